//! mips (o32, 32-bit) syscall primitives.
//!
//! ABI (kernel `arch/mips/kernel/scall32-o32.S` (`handle_sys`), `entry.S`
//! (`syscall_exit_partial`) and `asm/stackframe.h` (`SAVE_SOME`/`RESTORE_SOME`); `syscall(2)`;
//! System V ABI MIPS RISC Processor Supplement, 3rd ed., "Function Calling Sequence"; the clobber
//! list is the one glibc's `sysdeps/unix/sysv/linux/mips/mips32/sysdep.h` declares):
//! - instruction: `syscall`
//! - number: `$2` (v0)
//! - arguments: `$4`–`$7` (a0–a3); the fifth and sixth are read from the user stack at
//!   `16($sp)` and `20($sp)` (the kernel loads `16($sp)`–`28($sp)` on every call, whatever the
//!   arity; a fault there only yields zeros)
//! - return: `$2`; `$7` (a3) is the error flag on output, overwriting the fourth argument
//! - clobbers: `$3` (v1, pipe's second result), `$7`, `$8`–`$15` (t0–t7), `$24`, `$25`
//!   (t8, t9): declared. Also `$1` (at), hi and lo, which the kernel's fast exit path does not
//!   restore, and which Rust's `asm!` cannot declare (`$1` is "reserved for the assembler", and
//!   mips has only the `reg` and `freg` classes). LLVM nevertheless keeps live values in all
//!   three across an `asm!` block (seen in its output: a value in `$1`, and a 64-bit product
//!   parked in hi/lo for a `maddu` after the block), so the asm saves them in its own frame
//!   and restores them after the call
//! - stack: every form opens a 32-byte frame (8-byte aligned): `0`/`4`/`8($sp)` hold `$1`, hi
//!   and lo, `16`/`20($sp)` the fifth and sixth arguments; `$sp` is back where it was after
//!   the block, but there is no `nostack`. (A raw `clone` with a new stack or `vfork` cannot
//!   go through these primitives, as with every o32 syscall wrapper that touches the stack.)
//! - errors: a3 ≠ 0 means v0 holds a positive errno; the asm negates it on that path only
//!   (`beqz $7` over a `subu`, delay slot filled with an explicit `nop` under
//!   `.set noreorder`), so the result follows the generic `-4095..=-1` convention
//! - syscall restart: the kernel restores v0 and a3 itself (`regs[0]`, `regs[26]`) before it
//!   backs up over the `syscall`, so nothing need reload v0 right before the instruction
//! - flags: mips has none (`preserves_flags`)
//! - noreturn trap: `teq $0, $0`
//! - 64-bit arguments take an even/odd register pair (or stack slot pair); that layout is done
//!   in [`crate::arg`], so this file only ever sees words

use core::arch::asm;

/// The one `asm!` block of every form: frame, stack arguments, saves, `syscall`, restores,
/// error negation. `$1` is written only after the stack arguments are stored (the compiler
/// may have put one of them in `$1`) and is restored last.
macro_rules! syscall_asm {
    ($nr:ident, ($($arg:ident in $reg:tt),*), [$($sarg:ident at $off:literal),*], $($opt:ident),*) => {{
        let r;
        asm!(
            ".set noat",
            "addiu $sp, $sp, -32",
            $(concat!("sw {", stringify!($sarg), "}, ", $off, "($sp)"),)*
            "sw $1, 0($sp)",
            "mfhi $1",
            "sw $1, 4($sp)",
            "mflo $1",
            "sw $1, 8($sp)",
            "syscall",
            "lw $1, 4($sp)",
            "mthi $1",
            "lw $1, 8($sp)",
            "mtlo $1",
            "lw $1, 0($sp)",
            "addiu $sp, $sp, 32",
            ".set at",
            // a3 != 0: v0 is a positive errno; negate it. The delay slot is explicit.
            ".set noreorder",
            "beqz $7, 1f",
            "nop",
            "subu $2, $0, $2",
            "1:",
            ".set reorder",
            $($sarg = in(reg) $sarg,)*
            inlateout("$2") $nr => r, $(in($reg) $arg,)*
            lateout("$3") _, lateout("$7") _, lateout("$8") _, lateout("$9") _,
            lateout("$10") _, lateout("$11") _, lateout("$12") _, lateout("$13") _,
            lateout("$14") _, lateout("$15") _, lateout("$24") _, lateout("$25") _,
            options($($opt),*)
        );
        r
    }};
}

/// Defines `syscallN` and `syscallN_readonly` for each arity: one `asm!` shape, with the
/// register arguments listed in order and then the stack arguments with their offsets.
macro_rules! primitives {
    ($($name:ident, $ro:ident: ($($arg:ident in $reg:tt),*) [$($sarg:ident at $off:literal),*];)*) => {$(
        /// Makes a system call with this many arguments and returns the raw result.
        ///
        /// # Safety
        /// The caller upholds the kernel's contract for the syscall (see [`crate::call`]).
        #[inline(always)]
        pub(crate) unsafe fn $name(nr: usize, $($arg: usize,)* $($sarg: usize),*) -> usize {
            // SAFETY: the asm writes only $2 (the output) and the registers declared clobbered
            // ($7 may also carry the fourth argument in); it restores $1, hi and lo, which the
            // kernel clobbers, from a frame it opens below $sp and closes again. What the
            // syscall does to memory is the caller's contract.
            unsafe {
                syscall_asm!(nr, ($($arg in $reg),*), [$($sarg at $off),*], preserves_flags)
            }
        }

        /// As the plain form, for syscalls that do not write user memory.
        ///
        /// # Safety
        /// As the plain form; the syscall must not write memory visible to Rust.
        #[inline(always)]
        pub(crate) unsafe fn $ro(nr: usize, $($arg: usize,)* $($sarg: usize),*) -> usize {
            // SAFETY: as above; the caller promises the syscall does not write memory, and the
            // asm's own stores go to the frame it opens, which no Rust code can observe.
            unsafe {
                syscall_asm!(nr, ($($arg in $reg),*), [$($sarg at $off),*], preserves_flags, readonly)
            }
        }
    )*};
}

primitives! {
    syscall0, syscall0_readonly: () [];
    syscall1, syscall1_readonly: (a0 in "$4") [];
    syscall2, syscall2_readonly: (a0 in "$4", a1 in "$5") [];
    syscall3, syscall3_readonly: (a0 in "$4", a1 in "$5", a2 in "$6") [];
    syscall4, syscall4_readonly: (a0 in "$4", a1 in "$5", a2 in "$6", a3 in "$7") [];
    syscall5, syscall5_readonly: (a0 in "$4", a1 in "$5", a2 in "$6", a3 in "$7") [a4 at 16];
    syscall6, syscall6_readonly:
        (a0 in "$4", a1 in "$5", a2 in "$6", a3 in "$7") [a4 at 16, a5 at 20];
}

/// Makes a one-argument system call that does not return (`exit`, `exit_group`).
///
/// # Safety
/// The syscall must not return on success; if it fails, the `teq $0, $0` trap ends the process.
#[inline(always)]
pub(crate) unsafe fn syscall1_noreturn(nr: usize, a0: usize) -> ! {
    // SAFETY: the syscall ends the thread or process; `teq $0, $0` traps if it ever returns.
    unsafe { asm!("syscall", "teq $0, $0", in("$2") nr, in("$4") a0, options(nostack, noreturn)) }
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
        asm!(
            ".set noat",
            "addiu $sp, $sp, -32",
            "sw {a4}, 16($sp)",
            "sw {a5}, 20($sp)",
            "sw $1, 0($sp)",
            "mfhi $1",
            "sw $1, 4($sp)",
            "mflo $1",
            "sw $1, 8($sp)",
            "syscall",
            site!(),
            "lw $1, 4($sp)",
            "mthi $1",
            "lw $1, 8($sp)",
            "mtlo $1",
            "lw $1, 0($sp)",
            "addiu $sp, $sp, 32",
            ".set at",
            ".set noreorder",
            "beqz $7, 1f",
            "nop",
            "subu $2, $0, $2",
            "1:",
            ".set reorder",
            site = const SITE,
            a4 = in(reg) a4,
            a5 = in(reg) a5,
            inlateout("$2") nr => r, in("$4") a0, in("$5") a1, in("$6") a2, in("$7") a3,
            lateout("$3") _, lateout("$7") _, lateout("$8") _, lateout("$9") _,
            lateout("$10") _, lateout("$11") _, lateout("$12") _, lateout("$13") _,
            lateout("$14") _, lateout("$15") _, lateout("$24") _, lateout("$25") _,
            options(preserves_flags)
        );
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
        asm!("syscall", site!(), "teq $0, $0", site = const SITE, in("$2") nr, in("$4") a0,
             options(nostack, noreturn))
    }
}
