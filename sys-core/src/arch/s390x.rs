//! s390x syscall primitives.
//!
//! ABI (kernel `arch/s390/kernel/entry.S` (`system_call`) and `arch/s390/kernel/syscall.c`;
//! `syscall(2)`; ELF Application Binary Interface s390x Supplement, "Register usage"):
//! - instruction: `svc 0` (the number goes in `r1`, so the 8-bit immediate form is not needed)
//! - number: `r1`
//! - arguments: `r2`, `r3`, `r4`, `r5`, `r6`, `r7` (`r6` and `r7` are callee-saved in the
//!   calling convention but are ordinary operands for `asm!`: the compiler saves them itself)
//! - return: `r2`
//! - clobbers: none; every other general register, the access registers and the condition code
//!   (held in the PSW, which the kernel reloads on return) are preserved, so `preserves_flags`
//!   holds; the kernel does not touch the user stack (`nostack`)
//! - errors: `r2` in `-4095..=-1` is a negated errno
//! - noreturn trap: `j .+2`, a branch into the middle of itself, whose second halfword
//!   (`0x0001`) is not a valid instruction (SIGILL)
//! - quirk: on s390x `mmap` (`__NR_mmap`, 90) is the kernel's `old_mmap` and takes one
//!   argument, a pointer to six `unsigned long`s (address, length, prot, flags, fd, offset);
//!   these primitives pass words as given, so callers of `mmap` build that block themselves

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
            // SAFETY: `svc 0` writes only r2 (the output; also the first argument, which an
            // input and a late output may share) and preserves the condition code and the
            // stack; what it does to memory is the caller's contract.
            unsafe {
                asm!("svc 0", in("r1") nr, $(in($reg) $arg,)* lateout("r2") r,
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
                asm!("svc 0", in("r1") nr, $(in($reg) $arg,)* lateout("r2") r,
                     options(nostack, preserves_flags, readonly));
            }
            r
        }
    )*};
}

primitives! {
    syscall0, syscall0_readonly: ();
    syscall1, syscall1_readonly: (a0 in "r2");
    syscall2, syscall2_readonly: (a0 in "r2", a1 in "r3");
    syscall3, syscall3_readonly: (a0 in "r2", a1 in "r3", a2 in "r4");
    syscall4, syscall4_readonly: (a0 in "r2", a1 in "r3", a2 in "r4", a3 in "r5");
    syscall5, syscall5_readonly: (a0 in "r2", a1 in "r3", a2 in "r4", a3 in "r5", a4 in "r6");
    syscall6, syscall6_readonly:
        (a0 in "r2", a1 in "r3", a2 in "r4", a3 in "r5", a4 in "r6", a5 in "r7");
}

/// Makes a one-argument system call that does not return (`exit`, `exit_group`).
///
/// # Safety
/// The syscall must not return on success; if it fails, the `j .+2` trap ends the process.
#[inline(always)]
pub(crate) unsafe fn syscall1_noreturn(nr: usize, a0: usize) -> ! {
    // SAFETY: the syscall ends the thread or process; `j .+2` traps if it ever returns.
    unsafe { asm!("svc 0", "j .+2", in("r1") nr, in("r2") a0, options(nostack, noreturn)) }
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
        asm!("svc 0", site!(), site = const SITE, in("r1") nr, in("r2") a0, in("r3") a1,
             in("r4") a2, in("r5") a3, in("r6") a4, in("r7") a5, lateout("r2") r,
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
        asm!("svc 0", site!(), "j .+2", site = const SITE, in("r1") nr, in("r2") a0,
             options(nostack, noreturn))
    }
}
