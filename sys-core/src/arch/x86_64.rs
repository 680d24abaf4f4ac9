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

/// `syscall6` as the body of an out-of-line stub ([`crate::outline`]): the instruction is
/// followed by the manifest entry for `SITE` (the `site!` text of the parent module).
///
/// # Safety
/// As `syscall6`.
#[cfg(feature = "outline")]
#[inline(always)]
#[allow(
    clippy::too_many_arguments,
    reason = "the number and six argument registers"
)]
pub(crate) unsafe fn syscall6_site<const SITE: usize>(
    nr: usize,
    a0: usize,
    a1: usize,
    a2: usize,
    a3: usize,
    a4: usize,
    a5: usize,
) -> usize {
    let r;
    // SAFETY: as in `syscall6`; the manifest entry is data in a section of its own.
    unsafe {
        asm!("syscall", site!(), site = const SITE, inlateout("rax") nr => r, in("rdi") a0,
             in("rsi") a1, in("rdx") a2, in("r10") a3, in("r8") a4, in("r9") a5,
             lateout("rcx") _, lateout("r11") _, options(nostack, preserves_flags));
    }
    r
}

/// `syscall1_noreturn` as the body of an out-of-line stub: the instruction is followed by the
/// manifest entry for `SITE`.
///
/// # Safety
/// As `syscall1_noreturn`.
#[cfg(feature = "outline")]
#[inline(always)]
pub(crate) unsafe fn syscall1_noreturn_site<const SITE: usize>(nr: usize, a0: usize) -> ! {
    // SAFETY: as in `syscall1_noreturn`; the manifest entry is data in a section of its own.
    unsafe {
        asm!("syscall", site!(), "ud2", site = const SITE, in("rax") nr, in("rdi") a0,
             options(nostack, noreturn))
    }
}
