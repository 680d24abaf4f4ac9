//! aarch64 syscall primitives.
//!
//! ABI (kernel `arch/arm64/kernel/entry.S` (`el0_svc`) and `arch/arm64/kernel/syscall.c`;
//! `syscall(2)`; Procedure Call Standard for the Arm 64-bit Architecture):
//! - instruction: `svc #0` (the immediate is ignored by Linux)
//! - number: `x8`
//! - arguments: `x0`, `x1`, `x2`, `x3`, `x4`, `x5`
//! - return: `x0`
//! - clobbers: none; the kernel restores every other general register and the NZCV flags
//!   (from SPSR on `eret`), so `preserves_flags` holds; the user stack is untouched (`nostack`)
//! - errors: `x0` in `-4095..=-1` is a negated errno
//! - noreturn trap: `brk #0x1`
//! - not declared: with SVE the kernel may zero the Z bits above the 128-bit V registers and
//!   P0–P15/FFR on a syscall (`Documentation/arch/arm64/sve.rst`); Rust has no stable scalable
//!   vector types and, like rustix and musl, these primitives do not clobber them

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
            // SAFETY: `svc #0` writes only x0 (the output; also the first argument, which an
            // input and a late output may share) and preserves NZCV and the stack; what it does
            // to memory is the caller's contract.
            unsafe {
                asm!("svc #0", in("x8") nr, $(in($reg) $arg,)* lateout("x0") r,
                     options(nostack, preserves_flags));
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
                asm!("svc #0", in("x8") nr, $(in($reg) $arg,)* lateout("x0") r,
                     options(nostack, preserves_flags, readonly));
            }
            r
        }
    )*};
}

primitives! {
    syscall0, syscall0_readonly: ();
    syscall1, syscall1_readonly: (a0 in "x0");
    syscall2, syscall2_readonly: (a0 in "x0", a1 in "x1");
    syscall3, syscall3_readonly: (a0 in "x0", a1 in "x1", a2 in "x2");
    syscall4, syscall4_readonly: (a0 in "x0", a1 in "x1", a2 in "x2", a3 in "x3");
    syscall5, syscall5_readonly: (a0 in "x0", a1 in "x1", a2 in "x2", a3 in "x3", a4 in "x4");
    syscall6, syscall6_readonly:
        (a0 in "x0", a1 in "x1", a2 in "x2", a3 in "x3", a4 in "x4", a5 in "x5");
}

/// Makes a one-argument system call that does not return (`exit`, `exit_group`).
///
/// # Safety
/// The syscall must not return on success; if it fails, the `brk` trap ends the process.
#[inline(always)]
pub(crate) unsafe fn syscall1_noreturn(nr: usize, a0: usize) -> ! {
    // SAFETY: the syscall ends the thread or process; `brk #0x1` traps if it ever returns.
    unsafe { asm!("svc #0", "brk #0x1", in("x8") nr, in("x0") a0, options(nostack, noreturn)) }
}

/// `syscall6` as the body of an out-of-line stub ([`crate::outline`]): the instruction is
/// followed by the manifest entry for `SITE` (the `site!` text of the parent module).
///
/// # Safety
/// As `syscall6`.
#[cfg(any(feature = "outline", feature = "hooks"))]
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
        asm!("svc #0", site!(), site = const SITE, in("x8") nr, in("x0") a0, in("x1") a1,
             in("x2") a2, in("x3") a3, in("x4") a4, in("x5") a5, lateout("x0") r,
             options(nostack, preserves_flags));
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
        asm!("svc #0", site!(), "brk #0x1", site = const SITE, in("x8") nr, in("x0") a0,
             options(nostack, noreturn))
    }
}
