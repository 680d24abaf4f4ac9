//! x86_64 syscall primitives.
//!
//! ABI (kernel `arch/x86/entry/entry_64.S`; `syscall(2)`; System V AMD64 psABI A.2.1):
//! - instruction: `syscall`
//! - number: `rax`
//! - arguments: `rdi`, `rsi`, `rdx`, `r10`, `r8`, `r9`
//! - return: `rax`
//! - clobbers: `rcx` (the return address) and `r11` (the saved rflags); rflags itself is
//!   restored, so `preserves_flags` holds; the red zone is untouched (`nostack`)
//! - errors: `rax` in `-4095..=-1` is a negated errno
//! - noreturn trap: `ud2`

use core::arch::asm;

/// Defines `syscallN` and `syscallN_readonly` for each arity: one `asm!` shape, with the
/// argument registers listed in order.
macro_rules! primitives {
    ($($name:ident, $ro:ident: ($($arg:ident in $reg:tt),*);)*) => {$(
        /// Makes a system call with this many arguments and returns the raw result.
        ///
        /// # Safety
        /// The caller upholds the kernel's contract for the syscall (see [`crate::call`]).
        #[inline(always)]
        pub(crate) unsafe fn $name(nr: usize, $($arg: usize),*) -> usize {
            let r;
            // SAFETY: `syscall` writes only rax (the output), rcx and r11 (clobbered here) and
            // preserves rflags and the stack; what it does to memory is the caller's contract.
            unsafe {
                asm!("syscall", inlateout("rax") nr => r, $(in($reg) $arg,)*
                     lateout("rcx") _, lateout("r11") _, options(nostack, preserves_flags));
            }
            r
        }

        /// As the plain form, for syscalls that do not write user memory.
        ///
        /// # Safety
        /// As the plain form; the syscall must not write memory visible to Rust.
        #[inline(always)]
        pub(crate) unsafe fn $ro(nr: usize, $($arg: usize),*) -> usize {
            let r;
            // SAFETY: as above; the caller promises the syscall does not write memory.
            unsafe {
                asm!("syscall", inlateout("rax") nr => r, $(in($reg) $arg,)*
                     lateout("rcx") _, lateout("r11") _,
                     options(nostack, preserves_flags, readonly));
            }
            r
        }
    )*};
}

primitives! {
    syscall0, syscall0_readonly: ();
    syscall1, syscall1_readonly: (a0 in "rdi");
    syscall2, syscall2_readonly: (a0 in "rdi", a1 in "rsi");
    syscall3, syscall3_readonly: (a0 in "rdi", a1 in "rsi", a2 in "rdx");
    syscall4, syscall4_readonly: (a0 in "rdi", a1 in "rsi", a2 in "rdx", a3 in "r10");
    syscall5, syscall5_readonly: (a0 in "rdi", a1 in "rsi", a2 in "rdx", a3 in "r10", a4 in "r8");
    syscall6, syscall6_readonly:
        (a0 in "rdi", a1 in "rsi", a2 in "rdx", a3 in "r10", a4 in "r8", a5 in "r9");
}

/// Makes a one-argument system call that does not return (`exit`, `exit_group`).
///
/// # Safety
/// The syscall must not return on success; if it fails, the `ud2` trap ends the process.
#[inline(always)]
pub(crate) unsafe fn syscall1_noreturn(nr: usize, a0: usize) -> ! {
    // SAFETY: the syscall ends the thread or process; `ud2` traps if it ever returns.
    unsafe { asm!("syscall", "ud2", in("rax") nr, in("rdi") a0, options(nostack, noreturn)) }
}

// The out-of-line stubs (feature `outline`; see `crate::outline`). Naked, so that each is exactly
// the instruction, its manifest entry and the way back; and the way back is `pop rcx; jmp rcx`
// rather than `ret`. A `ret` right after `syscall` is mispredicted on the machines measured
// (about 45 ns more per call on Linux 6.18 under a hypervisor: the return-stack buffer does not
// survive the kernel's exit path), an indirect jump is not; rcx is the register `syscall`
// clobbers anyway. `tools/bench-features.sh` measures it.

/// Number `N`'s stub: `(a0, …, a5)` in the C convention (`rdi`, `rsi`, `rdx`, `rcx`, `r8`, `r9`);
/// the kernel's fourth register is r10.
///
/// # Safety
/// The caller upholds the system call's contract (see [`crate::call`]).
#[cfg(any(feature = "outline", feature = "hooks"))]
#[unsafe(naked)]
#[unsafe(link_section = "libsys_stubs")]
pub(crate) unsafe extern "C" fn pinned<const N: usize>(
    _a0: usize,
    _a1: usize,
    _a2: usize,
    _a3: usize,
    _a4: usize,
    _a5: usize,
) -> usize {
    core::arch::naked_asm!(
        "mov r10, rcx", "mov eax, {nr}", "syscall", site!(), "pop rcx", "jmp rcx",
        nr = const N, site = const N
    )
}

/// The generic stub: `(nr, a0, …, a5)`, `a5` on the stack.
///
/// # Safety
/// The caller upholds the system call's contract (see [`crate::call`]).
#[cfg(any(feature = "outline", feature = "hooks"))]
#[unsafe(naked)]
#[unsafe(link_section = "libsys_stubs")]
pub(crate) unsafe extern "C" fn generic(
    _nr: usize,
    _a0: usize,
    _a1: usize,
    _a2: usize,
    _a3: usize,
    _a4: usize,
    _a5: usize,
) -> usize {
    core::arch::naked_asm!(
        "mov rax, rdi", "mov rdi, rsi", "mov rsi, rdx", "mov rdx, rcx", "mov r10, r8",
        "mov r8, r9", "mov r9, [rsp + 8]", "syscall", site!(), "pop rcx", "jmp rcx",
        site = const crate::stubs::GENERIC
    )
}

/// Number `N`'s stub for calls that do not return.
///
/// # Safety
/// The caller upholds the system call's contract; `N` does not return.
#[cfg(feature = "outline")]
#[unsafe(naked)]
#[unsafe(link_section = "libsys_stubs")]
pub(crate) unsafe extern "C" fn pinned_noreturn<const N: usize>(_a0: usize) -> ! {
    core::arch::naked_asm!("mov eax, {nr}", "syscall", site!(), "ud2", nr = const N, site = const N)
}

/// The generic stub for calls that do not return: `(nr, a0)`.
///
/// # Safety
/// The caller upholds the system call's contract; `nr` does not return.
#[cfg(feature = "outline")]
#[unsafe(naked)]
#[unsafe(link_section = "libsys_stubs")]
pub(crate) unsafe extern "C" fn generic_noreturn(_nr: usize, _a0: usize) -> ! {
    core::arch::naked_asm!(
        "mov rax, rdi", "mov rdi, rsi", "syscall", site!(), "ud2",
        site = const crate::stubs::GENERIC
    )
}
