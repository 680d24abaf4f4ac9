//! riscv64 syscall primitives.
//!
//! ABI (kernel `arch/riscv/kernel/entry.S` (`handle_exception`) and
//! `arch/riscv/kernel/traps.c` (`do_trap_ecall_u`); `syscall(2)`; RISC-V ELF psABI, "Integer
//! Register Convention"; `Documentation/arch/riscv/vector.rst`):
//! - instruction: `ecall`
//! - number: `a7`
//! - arguments: `a0`, `a1`, `a2`, `a3`, `a4`, `a5`
//! - return: `a0`
//! - clobbers: the vector registers `v0`–`v31` and the vector state (`vl`, `vtype`, `vxrm`,
//!   `vxsat`): the kernel discards them at every syscall (`riscv_v_vstate_discard`), so they
//!   are clobbered and `preserves_flags` (which covers `vtype`/`vl`/`vxsat`/`vxrm` and
//!   `fflags` on RISC-V) is not claimed, as in rustix PR #1570. rustc accepts the `v0`–`v31`
//!   clobbers and passes them to LLVM whether or not the `v` target feature is enabled, so they
//!   are always declared and code built with `-C target-feature=+v` is covered. The user stack
//!   is untouched (`nostack`)
//! - errors: `a0` in `-4095..=-1` is a negated errno
//! - noreturn trap: `unimp`

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
            // SAFETY: `ecall` writes a0 (the output; also the first argument, which an input
            // and a late output may share) and discards the vector registers and vector state
            // (clobbered here); it leaves the stack alone. What it does to memory is the
            // caller's contract.
            unsafe {
                asm!("ecall", in("a7") nr, $(in($reg) $arg,)* lateout("a0") r,
                     lateout("v0") _, lateout("v1") _, lateout("v2") _, lateout("v3") _,
                     lateout("v4") _, lateout("v5") _, lateout("v6") _, lateout("v7") _,
                     lateout("v8") _, lateout("v9") _, lateout("v10") _, lateout("v11") _,
                     lateout("v12") _, lateout("v13") _, lateout("v14") _, lateout("v15") _,
                     lateout("v16") _, lateout("v17") _, lateout("v18") _, lateout("v19") _,
                     lateout("v20") _, lateout("v21") _, lateout("v22") _, lateout("v23") _,
                     lateout("v24") _, lateout("v25") _, lateout("v26") _, lateout("v27") _,
                     lateout("v28") _, lateout("v29") _, lateout("v30") _, lateout("v31") _,
                     options(nostack));
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
                asm!("ecall", in("a7") nr, $(in($reg) $arg,)* lateout("a0") r,
                     lateout("v0") _, lateout("v1") _, lateout("v2") _, lateout("v3") _,
                     lateout("v4") _, lateout("v5") _, lateout("v6") _, lateout("v7") _,
                     lateout("v8") _, lateout("v9") _, lateout("v10") _, lateout("v11") _,
                     lateout("v12") _, lateout("v13") _, lateout("v14") _, lateout("v15") _,
                     lateout("v16") _, lateout("v17") _, lateout("v18") _, lateout("v19") _,
                     lateout("v20") _, lateout("v21") _, lateout("v22") _, lateout("v23") _,
                     lateout("v24") _, lateout("v25") _, lateout("v26") _, lateout("v27") _,
                     lateout("v28") _, lateout("v29") _, lateout("v30") _, lateout("v31") _,
                     options(nostack, readonly));
            }
            r
        }
    )*};
}

primitives! {
    syscall0, syscall0_readonly: ();
    syscall1, syscall1_readonly: (a0 in "a0");
    syscall2, syscall2_readonly: (a0 in "a0", a1 in "a1");
    syscall3, syscall3_readonly: (a0 in "a0", a1 in "a1", a2 in "a2");
    syscall4, syscall4_readonly: (a0 in "a0", a1 in "a1", a2 in "a2", a3 in "a3");
    syscall5, syscall5_readonly: (a0 in "a0", a1 in "a1", a2 in "a2", a3 in "a3", a4 in "a4");
    syscall6, syscall6_readonly:
        (a0 in "a0", a1 in "a1", a2 in "a2", a3 in "a3", a4 in "a4", a5 in "a5");
}

/// Makes a one-argument system call that does not return (`exit`, `exit_group`).
///
/// # Safety
/// The syscall must not return on success; if it fails, the `unimp` trap ends the process.
#[inline(always)]
pub(crate) unsafe fn syscall1_noreturn(nr: usize, a0: usize) -> ! {
    // SAFETY: the syscall ends the thread or process; `unimp` traps if it ever returns.
    unsafe { asm!("ecall", "unimp", in("a7") nr, in("a0") a0, options(nostack, noreturn)) }
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
        asm!("ecall", site!(), site = const SITE, in("a7") nr, in("a0") a0, in("a1") a1,
             in("a2") a2, in("a3") a3, in("a4") a4, in("a5") a5, lateout("a0") r,
             lateout("v0") _, lateout("v1") _, lateout("v2") _, lateout("v3") _,
             lateout("v4") _, lateout("v5") _, lateout("v6") _, lateout("v7") _,
             lateout("v8") _, lateout("v9") _, lateout("v10") _, lateout("v11") _,
             lateout("v12") _, lateout("v13") _, lateout("v14") _, lateout("v15") _,
             lateout("v16") _, lateout("v17") _, lateout("v18") _, lateout("v19") _,
             lateout("v20") _, lateout("v21") _, lateout("v22") _, lateout("v23") _,
             lateout("v24") _, lateout("v25") _, lateout("v26") _, lateout("v27") _,
             lateout("v28") _, lateout("v29") _, lateout("v30") _, lateout("v31") _,
             options(nostack));
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
        asm!("ecall", site!(), "unimp", site = const SITE, in("a7") nr, in("a0") a0,
             options(nostack, noreturn))
    }
}
