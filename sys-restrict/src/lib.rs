//! Restricting where system calls come from: seccomp-BPF filters that allow system calls only
//! from libsys's syscall stubs, the vDSO and (optionally) libc, per number or per call site —
//! Linux's counterpart of OpenBSD's msyscall(2) and pinsyscalls(2).
//!
//! Facts: seccomp(2), `kernel/seccomp.c` and `include/uapi/linux/{seccomp,filter,audit}.h`
//! (Linux 6.18); see each module.
//!
//! # How
//! A seccomp filter sees each system call's number, the task's architecture word and the
//! address just **after** the syscall instruction (`seccomp_data.instruction_pointer`). With
//! libsys's `outline` feature every syscall instruction of libsys is in one linker section,
//! one stub per constant number, listed in a manifest (`sys_core::outline`). A [`Policy`]
//! turns these addresses into a filter:
//!
//! 1. **range**: calls only from the stubs section and the vDSO;
//! 2. **pinned**: number N only from stub N (plus, optionally, the generic stub);
//! 3. **allow-list**: only the numbers the program contains;
//! 4. **std-friendly**: as 1 or 3, plus libc's and ld.so's code, so that Rust's std keeps
//!    working (it exits and returns from signal handlers through libc).
//!
//! Everything that computes is pure and works for any architecture on any host: the policy
//! ([`policy`]), the classic-BPF assembler and checker ([`bpf`]), the architecture facts
//! ([`arch`]), an evaluator ([`eval`]) and a `seccomp-tools`-style listing ([`dump`]).
//! [`install`] puts a filter in place (`no_new_privs`, then `seccomp` with `TSYNC`) and finds
//! this process's addresses: the stubs and their manifest and the vDSO (feature `outline`),
//! libc's and ld.so's code (feature `std`). Filters are compiled with `alloc` (at most 4096
//! instructions, 32 KiB), so a program without libc needs a global allocator to build one.
//!
//! ```
//! use sys_restrict::{Action, Arch, IpRange, Policy, SeccompData, Stub, policy::Generic};
//!
//! // Made-up addresses: stub for getpid (39) ends at 0x1002, write (1) at 0x1012, the
//! // generic stub at 0x1022.
//! let manifest = [
//!     Stub { nr: Some(39), ip: 0x5000_1002 },
//!     Stub { nr: Some(1), ip: 0x5000_1012 },
//!     Stub { nr: None, ip: 0x5000_1022 },
//! ];
//! let filter = Policy::pinned(Arch::X86_64, &manifest, Generic::Deny).compile()?;
//! let call = |nr, ip| filter.eval(&SeccompData::new(Arch::X86_64, nr, ip)).unwrap();
//! assert_eq!(call(39, 0x5000_1002), Action::Allow);
//! assert_eq!(call(1, 0x5000_1002), Action::KillProcess); // write from getpid's stub
//! assert_eq!(call(1, 0x5000_1022), Action::KillProcess); // the generic stub is denied
//! # Ok::<(), sys_restrict::CompileError>(())
//! ```
//!
//! # Rules every policy applies
//! - `exit`, `exit_group` and pinned signal returns survive [`Policy::only_numbers`];
//!   `restart_syscall` is allowed wherever a call is (the kernel restarts interrupted sleeps,
//!   futex waits and polls with it, from the original call's instruction).
//! - `io_uring_setup`, `io_uring_enter` and `io_uring_register` are refused unless the policy
//!   asks for them ([`Policy::allow_io_uring`]): a ring's operations never pass through
//!   seccomp. [`install::restrict`] refuses to install while the process holds a ring.
//! - `Action::Errno(0)`, `Errno(> 4095)` and a range whose start is above its end are
//!   [`CompileError`]s; numbers the architecture lacks are [`Filter::warnings`].
//! - The vDSO rule ([`install::vdso_numbers`]) is exactly the calls the vDSO's code makes
//!   (`tests/vdso_calls.rs` reads the running vDSO on x86_64 and x86).
//!
//! # x86
//! Every fast system call of an i386 task (`sysenter`, a 32-bit `syscall` on AMD CPUs) is
//! reported at the vDSO's landing pad in `__kernel_vsyscall`, wherever its instruction is: a
//! filter cannot tell an attacker's own `syscall` from libc's call through the vDSO. libsys's
//! stubs use `int $0x80`, reported where they are, so strict policies allow only the vDSO's
//! clock fallbacks there; std-friendly must allow any number there (glibc's calls arrive
//! there), so on x86 it refuses only `int $0x80` from outside libc and the stubs.
//!
//! # What it is not
//! It shrinks the attack surface — shellcode's own `syscall` instruction, a `libc::syscall`
//! or an `asm!` outside the stubs is refused — but it is not a security boundary against code
//! that can already jump to arbitrary addresses: such code can jump to a stub (in range mode
//! to any stub with any number; in pinned mode to the stub of the number it wants, if the
//! program uses that number). Open by design: that jump; on x86 the landing pad (the numbers
//! allowed from the vDSO); `ptrace`, `process_vm_writev` and `/proc/self/mem` if the policy
//! allows the calls that reach them (leave them out of the allow-list); io_uring if asked
//! for; an allowed signal return reached with a forged frame. A filter is inherited across
//! `fork` and `execve`, but the addresses it names belong to this program: a program started
//! with `execve` afterwards runs under a filter for someone else's layout. Testing under
//! qemu-user is impossible (the filter would apply to qemu itself), which is why the filters
//! are generated and evaluated for every architecture as data.
//!
//! Reading the instruction pointer costs a filter about 45–55 ns per system call on x86_64,
//! almost independent of the filter's length.
#![no_std]
// No panic anywhere in the library: no indexing, no unwrap/expect, no explicit panic.
#![cfg_attr(
    not(test),
    deny(
        clippy::indexing_slicing,
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::unreachable,
        clippy::todo,
        clippy::unimplemented
    )
)]

extern crate alloc;
#[cfg(test)]
extern crate std;

pub mod action;
pub mod arch;
pub mod bpf;
pub mod dump;
pub mod eval;
pub mod install;
#[cfg(all(feature = "hooks", any(target_arch = "x86_64", target_arch = "x86")))]
pub mod intercept;
pub mod policy;
#[cfg(all(feature = "outline", any(target_arch = "x86_64", target_arch = "x86")))]
pub mod sud;

/// The address range of this process's vDSO (its loaded extent), if it has one: calls the vDSO
/// makes itself (the fallbacks of its clocks) come from there.
#[cfg(feature = "outline")]
pub fn vdso_range() -> Option<core::ops::Range<usize>> {
    let v = sys_vdso::Vdso::get()?;
    let base = v.base().as_ptr() as usize;
    Some(base..base + v.image().bytes().len())
}

pub use action::Action;
pub use arch::{Arch, SeccompData};
pub use policy::{CompileError, Filter, IpRange, Policy, Site, Stub, Warning};

/// The README's examples, compiled and run as doctests of this crate.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
