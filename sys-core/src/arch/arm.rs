//! arm (EABI, A32 and Thumb-2) syscall primitives.
//!
//! ABI (kernel `arch/arm/kernel/entry-common.S` (`vector_swi`); `syscall(2)`; Procedure Call
//! Standard for the Arm Architecture (AAPCS32)):
//! - instruction: `svc #0` (EABI; the immediate is ignored, unlike the old OABI `swi`)
//! - number: `r7`
//! - arguments: `r0`, `r1`, `r2`, `r3`, `r4`, `r5` (64-bit values in an even/odd pair, laid
//!   out by [`crate::arg`])
//! - return: `r0`
//! - clobbers: none; the kernel restores every other register and the CPSR flags, so
//!   `preserves_flags` holds; the user stack is untouched (`nostack`)
//! - r7: in Thumb mode r7 is the frame pointer and cannot be an `asm!` operand (rustix
//!   #415/#416/#420), and stable rustc does not expose `cfg(target_feature = "thumb-mode")`
//!   (it is an unstable target feature, set only on nightly), so Thumb cannot be told from A32
//!   with `cfg` here. Both modes therefore use the same sequence: save r7 in a scratch register,
//!   `mov r7, {nr}`, `svc #0`, restore r7. It is correct in A32 too, where r7 is an ordinary
//!   register: if the compiler itself placed `nr` or the scratch value in r7, the restore puts
//!   back exactly what it expects. The cost over naming r7 is two `mov`s and one register; a
//!   build-script probe (as rustix does) could select `in("r7")` for A32 later
//! - errors: `r0` in `-4095..=-1` is a negated errno
//! - noreturn trap: `udf #16` (in A32 the kernel's breakpoint encoding `0xe7f001f0`)

use core::arch::asm;

/// Defines `syscallN` and `syscallN_readonly` for each arity: one `asm!` shape, with the
/// argument registers listed in order.
///
/// `nr` and the saved r7 (`tmp`) are in registers the compiler picks: both differ from r0–r5,
/// which are named operands, and `tmp` is an early (non-late) output, so it differs from `nr`.
macro_rules! primitives {
    ($($name:ident, $ro:ident: ($($arg:ident in $reg:tt),*);)*) => {$(
        /// Makes a system call with this many arguments and returns the raw result.
        ///
        /// # Safety
        /// The caller upholds the kernel's contract for the syscall (see [`crate::call`]).
        #[inline(always)]
        pub(crate) unsafe fn $name(nr: usize, $($arg: usize),*) -> usize {
            let r;
            // SAFETY: r7 is restored from `tmp` (declared clobbered) before the asm ends;
            // `svc #0` writes only r0 (the output; also the first argument, which an input and
            // a late output may share) and preserves the flags and the stack; what it does to
            // memory is the caller's contract.
            unsafe {
                asm!("mov {tmp}, r7", "mov r7, {nr}", "svc #0", "mov r7, {tmp}",
                     nr = in(reg) nr, tmp = out(reg) _, $(in($reg) $arg,)* lateout("r0") r,
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
                asm!("mov {tmp}, r7", "mov r7, {nr}", "svc #0", "mov r7, {tmp}",
                     nr = in(reg) nr, tmp = out(reg) _, $(in($reg) $arg,)* lateout("r0") r,
                     options(nostack, preserves_flags, readonly));
            }
            r
        }
    )*};
}

primitives! {
    syscall0, syscall0_readonly: ();
    syscall1, syscall1_readonly: (a0 in "r0");
    syscall2, syscall2_readonly: (a0 in "r0", a1 in "r1");
    syscall3, syscall3_readonly: (a0 in "r0", a1 in "r1", a2 in "r2");
    syscall4, syscall4_readonly: (a0 in "r0", a1 in "r1", a2 in "r2", a3 in "r3");
    syscall5, syscall5_readonly: (a0 in "r0", a1 in "r1", a2 in "r2", a3 in "r3", a4 in "r4");
    syscall6, syscall6_readonly:
        (a0 in "r0", a1 in "r1", a2 in "r2", a3 in "r3", a4 in "r4", a5 in "r5");
}

/// Makes a one-argument system call that does not return (`exit`, `exit_group`).
///
/// # Safety
/// The syscall must not return on success; if it fails, the `udf` trap ends the process.
#[inline(always)]
pub(crate) unsafe fn syscall1_noreturn(nr: usize, a0: usize) -> ! {
    // SAFETY: the syscall ends the thread or process; `udf #16` traps if it ever returns, so
    // r7 (the Thumb frame pointer) need not be restored.
    unsafe {
        asm!("mov r7, {nr}", "svc #0", "udf #16", nr = in(reg) nr, in("r0") a0,
             options(nostack, noreturn));
    }
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
        asm!("mov {tmp}, r7", "mov r7, {nr}", "svc #0", site!(), "mov r7, {tmp}",
             site = const SITE, nr = in(reg) nr, tmp = out(reg) _, in("r0") a0, in("r1") a1,
             in("r2") a2, in("r3") a3, in("r4") a4, in("r5") a5, lateout("r0") r,
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
        asm!("mov r7, {nr}", "svc #0", site!(), "udf #16", site = const SITE, nr = in(reg) nr,
             in("r0") a0, options(nostack, noreturn));
    }
}
