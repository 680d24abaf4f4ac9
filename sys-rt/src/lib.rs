//! Process start-up for Rust programs without libc: the entry point for every architecture
//! libsys supports, `argv`/`envp` as iterators, the exit path, and the few symbols a program
//! without a C library must bring itself.
//!
//! Use it through the facade: `libsys` with the `start` feature gives
//! [`#[libsys::main]`](https://docs.rs/libsys), which expands to the [`START_FN`] that the
//! entry point calls:
//!
//! ```text
//! #![no_std]
//! #![no_main]
//!
//! #[libsys::main]
//! fn main(args: libsys::Args) -> i32 {
//!     args.len() as i32
//! }
//!
//! #[panic_handler]
//! fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
//!     libsys::sys_rt::exit(101)
//! }
//! ```
//!
//! What happens at start (see [`init`] and the `entry` module's sources):
//! 1. the kernel jumps to [`ENTRY`] (`__libsys_entry`, in `global_asm!` per architecture) with
//!    the stack pointer at `argc`;
//! 2. it aligns the stack, sets up the registers its psABI requires of a caller and calls
//!    `__libsys_start(sp)`, which `#[libsys::main]` defines;
//! 3. that calls [`init`] (hands the initial stack to sys-auxv, so the auxiliary vector and the
//!    vDSO work with no `/proc` and no system call, and returns [`Args`]), then the program's
//!    main, then [`exit`] (`exit_group`) with main's result ([`Termination`]).
//!
//! Nothing else runs: no TLS set-up (the thread pointer is 0, so `#[thread_local]` cannot be
//! used), no constructors (`.init_array`), no CPU feature probing, no system call at all before
//! main.
//!
//! # Features
//! - `start`: the entry point itself, the unwinding symbols the prebuilt `core` references
//!   (`rust_eh_personality`; arm `__aeabi_unwind_cpp_pr0/1/2`) and, on aarch64, `getauxval`
//!   (which the prebuilt `compiler_builtins` references there), answered from sys-auxv. For `#![no_main]` binaries
//!   only: in a program with a C runtime it would add a second entry and a fake personality.
//! - `mem`: `memcpy`, `memmove`, `memset`, `memcmp`, `bcmp`, `strlen`. Needed on stable (the
//!   prebuilt `compiler_builtins` for Linux has none); leave it off when `-Zbuild-std` builds
//!   `compiler_builtins` with `compiler-builtins-mem`, which defines them too.
//! - `build`: [`build`], the link arguments for a build script (uses std).
//!
//! # Linking
//! The binary must be linked without the C runtime, statically, not as a PIE, with
//! [`ENTRY`] as its entry point: [`build::link_nolibc`] in the package's build script does it
//! for a gcc-style driver or an ld-style linker, `panic = "abort"` must be set in the
//! profiles. Static PIE is not supported: nothing would apply the relocations (the README
//! explains the choice).
#![no_std]
#![cfg_attr(
    any(target_arch = "mips", target_arch = "mips64"),
    feature(asm_experimental_arch)
)]

// `doc`: the build helper is documented whatever the features.
#[cfg(any(feature = "build", test, doc))]
extern crate std;

mod args;
// Only where the prebuilt `compiler_builtins` needs it: an exported `getauxval` keeps sys-auxv's
// lookup code, and with it the recorded stack pointers, alive through LTO in every program.
#[cfg(all(feature = "start", target_arch = "aarch64"))]
mod auxval;
#[cfg(any(feature = "build", doc))]
pub mod build;
#[cfg(feature = "start")]
mod eh;
#[cfg(feature = "start")]
mod entry;
#[cfg(any(feature = "mem", test))]
mod mem;

pub use args::{Args, Env};

/// The entry point's symbol name (the ELF entry address): link with `--entry=__libsys_entry`.
pub const ENTRY: &str = "__libsys_entry";

/// The function the entry point calls, `unsafe extern "C" fn __libsys_start(sp: *const usize)
/// -> !`, defined by `#[libsys::main]` (or by hand: call [`init`], run, call [`exit`]).
pub const START_FN: &str = "__libsys_start";

/// What a program's main may return: the exit status it becomes.
///
/// `()` is 0; an `i32` or `u8` is itself (the kernel keeps the low 8 bits). A main that
/// returns `!` needs no conversion.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not an exit status for the program's main",
    label = "main returns this",
    note = "main may return `()`, `i32`, `u8` (or anything that implements `Termination`) or `!`"
)]
pub trait Termination {
    /// The status to pass to `exit_group`.
    fn exit_code(self) -> i32;
}

impl Termination for () {
    #[inline]
    fn exit_code(self) -> i32 {
        0
    }
}

impl Termination for i32 {
    #[inline]
    fn exit_code(self) -> i32 {
        self
    }
}

impl Termination for u8 {
    #[inline]
    fn exit_code(self) -> i32 {
        i32::from(self)
    }
}

/// Ends the process (every thread) with `code`: `exit_group(2)`. No destructors, no flushing:
/// nothing is buffered here.
#[inline]
pub fn exit(code: i32) -> ! {
    // SAFETY: exit_group takes an int, touches no memory and does not return.
    unsafe { sys_core::syscall_noreturn!(sys_core::nr::exit_group, code) }
}

/// Start-up work before main: hands the initial stack to the auxiliary-vector reader and
/// returns the command-line arguments. Called by [`START_FN`] first thing.
///
/// # Safety
/// `sp` is the stack pointer the kernel gave the entry point (pointing at `argc`); called once,
/// before anything reads the auxiliary vector.
#[inline(always)]
pub unsafe fn init(sp: *const usize) -> Args {
    // SAFETY: the caller passes the initial stack pointer, once.
    unsafe { auxv_from_stack(sp) };
    // SAFETY: the kernel's initial stack has the layout `from_stack` needs and lives as long as
    // the process.
    unsafe { Args::from_stack(sp) }
}

/// Gives sys-auxv the initial stack, so that its lookups (and the vDSO, which it locates) need
/// neither `/proc/self/auxv` nor a system call.
///
/// # Safety
/// As [`init`].
#[inline(always)]
unsafe fn auxv_from_stack(sp: *const usize) {
    // SAFETY: the caller's contract is `init_from_stack`'s: the kernel's initial stack, which
    // stays mapped and unchanged.
    unsafe { sys_auxv::init_from_stack(sp) }
}
