//! loongarch64 syscall primitives.
//!
//! ABI (kernel `arch/loongarch/kernel/entry.S` (`handle_syscall`) and `syscall.c`;
//! `syscall(2)`; LoongArch ELF psABI, "Register convention"; the clobber list is the one glibc's
//! `sysdeps/unix/sysv/linux/loongarch/sysdep.h` declares):
//! - instruction: `syscall 0`
//! - number: `$a7`
//! - arguments: `$a0`, `$a1`, `$a2`, `$a3`, `$a4`, `$a5`
//! - return: `$a0`
//! - clobbers: the temporaries `$t0`–`$t8`; LoongArch has no flags register for integer code
//!   and the kernel leaves the FP condition flags alone (`preserves_flags`); the user stack is
//!   untouched (`nostack`)
//! - errors: `$a0` in `-4095..=-1` is a negated errno
//! - noreturn trap: `break 0`

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
            // SAFETY: `syscall 0` writes only $a0 (the output; also the first argument, which
            // an input and a late output may share) and $t0-$t8 (clobbered here), and leaves
            // the stack alone; what it does to memory is the caller's contract.
            unsafe {
                asm!("syscall 0", in("$a7") nr, $(in($reg) $arg,)* lateout("$a0") r,
                     lateout("$t0") _, lateout("$t1") _, lateout("$t2") _, lateout("$t3") _,
                     lateout("$t4") _, lateout("$t5") _, lateout("$t6") _, lateout("$t7") _,
                     lateout("$t8") _, options(nostack, preserves_flags));
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
                asm!("syscall 0", in("$a7") nr, $(in($reg) $arg,)* lateout("$a0") r,
                     lateout("$t0") _, lateout("$t1") _, lateout("$t2") _, lateout("$t3") _,
                     lateout("$t4") _, lateout("$t5") _, lateout("$t6") _, lateout("$t7") _,
                     lateout("$t8") _, options(nostack, preserves_flags, readonly));
            }
            r
        }
    )*};
}

primitives! {
    syscall0, syscall0_readonly: ();
    syscall1, syscall1_readonly: (a0 in "$a0");
    syscall2, syscall2_readonly: (a0 in "$a0", a1 in "$a1");
    syscall3, syscall3_readonly: (a0 in "$a0", a1 in "$a1", a2 in "$a2");
    syscall4, syscall4_readonly: (a0 in "$a0", a1 in "$a1", a2 in "$a2", a3 in "$a3");
    syscall5, syscall5_readonly:
        (a0 in "$a0", a1 in "$a1", a2 in "$a2", a3 in "$a3", a4 in "$a4");
    syscall6, syscall6_readonly:
        (a0 in "$a0", a1 in "$a1", a2 in "$a2", a3 in "$a3", a4 in "$a4", a5 in "$a5");
}

/// Makes a one-argument system call that does not return (`exit`, `exit_group`).
///
/// # Safety
/// The syscall must not return on success; if it fails, the `break 0` trap ends the process.
#[inline(always)]
pub(crate) unsafe fn syscall1_noreturn(nr: usize, a0: usize) -> ! {
    // SAFETY: the syscall ends the thread or process; `break 0` traps if it ever returns.
    unsafe { asm!("syscall 0", "break 0", in("$a7") nr, in("$a0") a0, options(nostack, noreturn)) }
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
        asm!("syscall 0", site!(), site = const SITE, in("$a7") nr, in("$a0") a0,
             in("$a1") a1, in("$a2") a2, in("$a3") a3, in("$a4") a4, in("$a5") a5,
             lateout("$a0") r, lateout("$t0") _, lateout("$t1") _, lateout("$t2") _,
             lateout("$t3") _, lateout("$t4") _, lateout("$t5") _, lateout("$t6") _,
             lateout("$t7") _, lateout("$t8") _, options(nostack, preserves_flags));
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
        asm!("syscall 0", site!(), "break 0", site = const SITE, in("$a7") nr, in("$a0") a0,
             options(nostack, noreturn))
    }
}
