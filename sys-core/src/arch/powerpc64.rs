//! powerpc64 (little-endian, ELFv2) syscall primitives.
//!
//! ABI (kernel `Documentation/arch/powerpc/syscall64-abi.rst` and
//! `arch/powerpc/kernel/interrupt_64.S`; `syscall(2)`; 64-bit ELF V2 ABI, "Register Roles"):
//! - instruction: `sc` (not `scv 0`, which newer kernels also accept but which returns a
//!   negated errno without cr0.SO and is not available on POWER8 and older)
//! - number: `r0`
//! - arguments: `r3`, `r4`, `r5`, `r6`, `r7`, `r8`
//! - return: `r3`
//! - clobbers: `r0` and `r4`–`r12` (declared as late outputs: inputs that the kernel may
//!   overwrite are `inlateout`), `cr0`, `ctr` and `xer`; `cr1`, `cr5`–`cr7`, `lr`, the
//!   floating-point and vector registers and `fpscr`/`vscr` are preserved, so
//!   `preserves_flags` (which covers the `fpscr`/`vscr` status bits on PowerPC; cr0 and xer are
//!   declared separately) holds. The user stack is untouched (`nostack`)
//! - errors: the kernel sets cr0.SO and returns a positive errno in `r3`; the asm negates it on
//!   that path only (`bns 1f; neg 3, 3; 1:`), so the result follows the generic convention
//!   (`-4095..=-1` is a negated errno) and the success path pays one not-taken branch
//! - noreturn trap: `trap`

use core::arch::asm;

/// Defines `syscallN` and `syscallN_readonly` for each arity: one `asm!` shape, with the
/// argument registers listed in order and the volatile registers that carry no argument.
///
/// `a0` shares `r3` with the result (an input and a late output may share a register); the
/// other arguments are `inlateout` because the kernel does not preserve `r4`–`r8`.
macro_rules! primitives {
    ($($name:ident, $ro:ident:
        ($($a0:ident $(, $arg:ident in $reg:tt)*)?) clobber($($clob:tt),*);)*) => {$(
        /// Makes a system call with this many arguments and returns the raw result.
        ///
        /// # Safety
        /// The caller upholds the kernel's contract for the syscall (see [`crate::call`]).
        #[inline(always)]
        pub(crate) unsafe fn $name(nr: usize, $($a0: usize, $($arg: usize),*)?) -> usize {
            let r;
            // SAFETY: `sc` writes r3 (the output), the volatile registers r0 and r4–r12, cr0,
            // ctr and xer (all declared as late outputs), preserves fpscr/vscr and leaves the
            // stack alone; `bns`/`neg` touch only r3. What the syscall does to memory is the
            // caller's contract.
            unsafe {
                asm!("sc", "bns 1f", "neg 3, 3", "1:",
                     inlateout("r0") nr => _,
                     $(in("r3") $a0, $(inlateout($reg) $arg => _,)*)?
                     lateout("r3") r,
                     $(lateout($clob) _,)*
                     lateout("cr0") _, lateout("ctr") _, lateout("xer") _,
                     options(nostack, preserves_flags));
            }
            r
        }

        /// As the plain form, for syscalls that do not write user memory.
        ///
        /// # Safety
        /// As the plain form; the syscall must not write memory visible to Rust.
        #[inline(always)]
        pub(crate) unsafe fn $ro(nr: usize, $($a0: usize, $($arg: usize),*)?) -> usize {
            let r;
            // SAFETY: as above; the caller promises the syscall does not write memory.
            unsafe {
                asm!("sc", "bns 1f", "neg 3, 3", "1:",
                     inlateout("r0") nr => _,
                     $(in("r3") $a0, $(inlateout($reg) $arg => _,)*)?
                     lateout("r3") r,
                     $(lateout($clob) _,)*
                     lateout("cr0") _, lateout("ctr") _, lateout("xer") _,
                     options(nostack, preserves_flags, readonly));
            }
            r
        }
    )*};
}

primitives! {
    syscall0, syscall0_readonly: ()
        clobber("r4", "r5", "r6", "r7", "r8", "r9", "r10", "r11", "r12");
    syscall1, syscall1_readonly: (a0)
        clobber("r4", "r5", "r6", "r7", "r8", "r9", "r10", "r11", "r12");
    syscall2, syscall2_readonly: (a0, a1 in "r4")
        clobber("r5", "r6", "r7", "r8", "r9", "r10", "r11", "r12");
    syscall3, syscall3_readonly: (a0, a1 in "r4", a2 in "r5")
        clobber("r6", "r7", "r8", "r9", "r10", "r11", "r12");
    syscall4, syscall4_readonly: (a0, a1 in "r4", a2 in "r5", a3 in "r6")
        clobber("r7", "r8", "r9", "r10", "r11", "r12");
    syscall5, syscall5_readonly: (a0, a1 in "r4", a2 in "r5", a3 in "r6", a4 in "r7")
        clobber("r8", "r9", "r10", "r11", "r12");
    syscall6, syscall6_readonly: (a0, a1 in "r4", a2 in "r5", a3 in "r6", a4 in "r7", a5 in "r8")
        clobber("r9", "r10", "r11", "r12");
}

/// Makes a one-argument system call that does not return (`exit`, `exit_group`).
///
/// # Safety
/// The syscall must not return on success; if it fails, the `trap` instruction ends the
/// process.
#[inline(always)]
pub(crate) unsafe fn syscall1_noreturn(nr: usize, a0: usize) -> ! {
    // SAFETY: the syscall ends the thread or process; `trap` traps if it ever returns.
    unsafe { asm!("sc", "trap", in("r0") nr, in("r3") a0, options(nostack, noreturn)) }
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
        asm!("sc", site!(), "bns 1f", "neg 3, 3", "1:", site = const SITE,
             inlateout("r0") nr => _, in("r3") a0, inlateout("r4") a1 => _,
             inlateout("r5") a2 => _, inlateout("r6") a3 => _, inlateout("r7") a4 => _,
             inlateout("r8") a5 => _, lateout("r3") r, lateout("r9") _, lateout("r10") _,
             lateout("r11") _, lateout("r12") _, lateout("cr0") _, lateout("ctr") _,
             lateout("xer") _, options(nostack, preserves_flags));
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
        asm!("sc", site!(), "trap", site = const SITE, in("r0") nr, in("r3") a0,
             options(nostack, noreturn))
    }
}
