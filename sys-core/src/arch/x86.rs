//! x86 (i386/i686) syscall primitives.
//!
//! ABI (kernel `arch/x86/entry/entry_32.S` (`entry_INT80_32`) and `entry_64_compat.S`;
//! `syscall(2)`; System V i386 psABI):
//! - instruction: `int 0x80`; the faster `__kernel_vsyscall` of the vDSO (found through
//!   `AT_SYSINFO`, using `sysenter`/`syscall` where the CPU has them) is a later optimisation
//! - number: `eax`
//! - arguments: `ebx`, `ecx`, `edx`, `esi`, `edi`, `ebp`
//! - return: `eax`
//! - clobbers: none; the kernel restores every other register and eflags (from the
//!   interrupt frame, on `iret`), so `preserves_flags` holds
//! - operands: LLVM reserves `esi` (its base pointer in functions with realigned, dynamically
//!   sized frames) and `ebp` (the frame pointer), so neither can be named in `asm!`; with them
//!   gone only `eax`, `ebx`, `ecx`, `edx` and `edi` are certain to be free. So:
//!   - 0–3 arguments: plain register operands, `nostack`;
//!   - 4 arguments: `a3` arrives in a register of the compiler's choice (`edi` is always free
//!     then; `esi` itself is fine too) and is swapped into `esi` around the instruction
//!     (`xchg` does not touch the flags); still `nostack`;
//!   - 5 and 6 arguments: there is no sixth register to spare, so `eax` carries a pointer to
//!     `[nr, a3]` (`[nr, a3, a5]` for 6); the asm pushes `esi` (and `ebp`), loads them and `eax`
//!     from the array, and pops them afterwards. That uses the stack, so no `nostack`; while a
//!     6-argument call is in the kernel, a frame-pointer unwinder sees `a5` in `ebp`
//! - errors: `eax` in `-4095..=-1` is a negated errno
//! - noreturn trap: `ud2`

use core::arch::asm;

/// Defines `syscallN` and `syscallN_readonly` for the arities whose arguments all fit in
/// registers that may be named: one `asm!` shape, with the argument registers listed in order.
macro_rules! primitives {
    ($($name:ident, $ro:ident: ($($arg:ident in $reg:tt),*);)*) => {$(
        /// Makes a system call with this many arguments and returns the raw result.
        ///
        /// # Safety
        /// The caller upholds the kernel's contract for the syscall (see [`crate::call`]).
        #[inline(always)]
        pub(crate) unsafe fn $name(nr: usize, $($arg: usize),*) -> usize {
            let r;
            // SAFETY: `int 0x80` writes only eax (the output) and preserves eflags and the
            // stack; what it does to memory is the caller's contract.
            unsafe {
                asm!("int 0x80", inlateout("eax") nr => r, $(in($reg) $arg,)*
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
                asm!("int 0x80", inlateout("eax") nr => r, $(in($reg) $arg,)*
                     options(nostack, preserves_flags, readonly));
            }
            r
        }
    )*};
}

primitives! {
    syscall0, syscall0_readonly: ();
    syscall1, syscall1_readonly: (a0 in "ebx");
    syscall2, syscall2_readonly: (a0 in "ebx", a1 in "ecx");
    syscall3, syscall3_readonly: (a0 in "ebx", a1 in "ecx", a2 in "edx");
}

/// Makes a system call with four arguments and returns the raw result.
///
/// # Safety
/// The caller upholds the kernel's contract for the syscall (see [`crate::call`]).
#[inline(always)]
pub(crate) unsafe fn syscall4(nr: usize, a0: usize, a1: usize, a2: usize, a3: usize) -> usize {
    let r;
    // SAFETY: the second `xchg` restores both esi and the register holding `a3` (the kernel
    // preserves esi); `int 0x80` writes only eax (the output) and preserves eflags and the
    // stack; what it does to memory is the caller's contract.
    unsafe {
        asm!("xchg esi, {a3}", "int 0x80", "xchg esi, {a3}",
             a3 = in(reg) a3, inlateout("eax") nr => r, in("ebx") a0, in("ecx") a1,
             in("edx") a2, options(nostack, preserves_flags));
    }
    r
}

/// As [`syscall4`], for syscalls that do not write user memory.
///
/// # Safety
/// As the plain form; the syscall must not write memory visible to Rust.
#[inline(always)]
pub(crate) unsafe fn syscall4_readonly(
    nr: usize,
    a0: usize,
    a1: usize,
    a2: usize,
    a3: usize,
) -> usize {
    let r;
    // SAFETY: as in `syscall4`; the caller promises the syscall does not write memory.
    unsafe {
        asm!("xchg esi, {a3}", "int 0x80", "xchg esi, {a3}",
             a3 = in(reg) a3, inlateout("eax") nr => r, in("ebx") a0, in("ecx") a1,
             in("edx") a2, options(nostack, preserves_flags, readonly));
    }
    r
}

/// Makes a system call with five arguments and returns the raw result.
///
/// # Safety
/// The caller upholds the kernel's contract for the syscall (see [`crate::call`]).
#[inline(always)]
pub(crate) unsafe fn syscall5(
    nr: usize,
    a0: usize,
    a1: usize,
    a2: usize,
    a3: usize,
    a4: usize,
) -> usize {
    let r;
    let words = [nr, a3];
    // SAFETY: `words` outlives the asm, which only reads it; esi is pushed and popped around
    // the call, balancing the stack; `int 0x80` writes only eax (the output) and preserves
    // eflags; what it does to memory is the caller's contract.
    unsafe {
        asm!("push esi", "mov esi, [eax + 4]", "mov eax, [eax]", "int 0x80", "pop esi",
             inlateout("eax") words.as_ptr() => r, in("ebx") a0, in("ecx") a1, in("edx") a2,
             in("edi") a4, options(preserves_flags));
    }
    r
}

/// As [`syscall5`], for syscalls that do not write user memory.
///
/// # Safety
/// As the plain form; the syscall must not write memory visible to Rust.
#[inline(always)]
pub(crate) unsafe fn syscall5_readonly(
    nr: usize,
    a0: usize,
    a1: usize,
    a2: usize,
    a3: usize,
    a4: usize,
) -> usize {
    let r;
    let words = [nr, a3];
    // SAFETY: as in `syscall5`; the caller promises the syscall does not write memory.
    unsafe {
        asm!("push esi", "mov esi, [eax + 4]", "mov eax, [eax]", "int 0x80", "pop esi",
             inlateout("eax") words.as_ptr() => r, in("ebx") a0, in("ecx") a1, in("edx") a2,
             in("edi") a4, options(preserves_flags, readonly));
    }
    r
}

/// Makes a system call with six arguments and returns the raw result.
///
/// # Safety
/// The caller upholds the kernel's contract for the syscall (see [`crate::call`]).
#[inline(always)]
pub(crate) unsafe fn syscall6(
    nr: usize,
    a0: usize,
    a1: usize,
    a2: usize,
    a3: usize,
    a4: usize,
    a5: usize,
) -> usize {
    let r;
    let words = [nr, a3, a5];
    // SAFETY: `words` outlives the asm, which only reads it; ebp and esi are pushed and popped
    // around the call, balancing the stack; `int 0x80` writes only eax (the output) and
    // preserves eflags; what it does to memory is the caller's contract.
    unsafe {
        asm!("push ebp", "push esi", "mov esi, [eax + 4]", "mov ebp, [eax + 8]",
             "mov eax, [eax]", "int 0x80", "pop esi", "pop ebp",
             inlateout("eax") words.as_ptr() => r, in("ebx") a0, in("ecx") a1, in("edx") a2,
             in("edi") a4, options(preserves_flags));
    }
    r
}

/// As [`syscall6`], for syscalls that do not write user memory.
///
/// # Safety
/// As the plain form; the syscall must not write memory visible to Rust.
#[inline(always)]
pub(crate) unsafe fn syscall6_readonly(
    nr: usize,
    a0: usize,
    a1: usize,
    a2: usize,
    a3: usize,
    a4: usize,
    a5: usize,
) -> usize {
    let r;
    let words = [nr, a3, a5];
    // SAFETY: as in `syscall6`; the caller promises the syscall does not write memory.
    unsafe {
        asm!("push ebp", "push esi", "mov esi, [eax + 4]", "mov ebp, [eax + 8]",
             "mov eax, [eax]", "int 0x80", "pop esi", "pop ebp",
             inlateout("eax") words.as_ptr() => r, in("ebx") a0, in("ecx") a1, in("edx") a2,
             in("edi") a4, options(preserves_flags, readonly));
    }
    r
}

/// Makes a one-argument system call that does not return (`exit`, `exit_group`).
///
/// # Safety
/// The syscall must not return on success; if it fails, the `ud2` trap ends the process.
#[inline(always)]
pub(crate) unsafe fn syscall1_noreturn(nr: usize, a0: usize) -> ! {
    // SAFETY: the syscall ends the thread or process; `ud2` traps if it ever returns.
    unsafe { asm!("int 0x80", "ud2", in("eax") nr, in("ebx") a0, options(nostack, noreturn)) }
}

// The out-of-line stubs (feature `outline`; see `crate::outline`). Naked: cdecl passes the
// arguments on the stack, the stub saves the four callee-saved registers the kernel's
// convention needs (ebx, esi, edi, ebp), loads the six arguments, makes the call and restores
// them. The way back is `pop ecx; jmp ecx` rather than `ret` (ecx is caller-saved), as on
// x86_64: a `ret` right after the kernel's exit path is mispredicted.

/// Number `N`'s stub: `(a0, …, a5)` on the stack (cdecl).
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
        "push ebp", "push edi", "push esi", "push ebx",
        "mov ebx, [esp + 20]", "mov ecx, [esp + 24]", "mov edx, [esp + 28]",
        "mov esi, [esp + 32]", "mov edi, [esp + 36]", "mov ebp, [esp + 40]",
        "mov eax, {nr}", "int 0x80", site!(),
        "pop ebx", "pop esi", "pop edi", "pop ebp", "pop ecx", "jmp ecx",
        nr = const N, site = const N
    )
}

/// The generic stub: `(nr, a0, …, a5)` on the stack.
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
        "push ebp", "push edi", "push esi", "push ebx",
        "mov eax, [esp + 20]", "mov ebx, [esp + 24]", "mov ecx, [esp + 28]",
        "mov edx, [esp + 32]", "mov esi, [esp + 36]", "mov edi, [esp + 40]",
        "mov ebp, [esp + 44]", "int 0x80", site!(),
        "pop ebx", "pop esi", "pop edi", "pop ebp", "pop ecx", "jmp ecx",
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
    core::arch::naked_asm!(
        "mov ebx, [esp + 4]", "mov eax, {nr}", "int 0x80", site!(), "ud2",
        nr = const N, site = const N
    )
}

/// The generic stub for calls that do not return: `(nr, a0)` on the stack.
///
/// # Safety
/// The caller upholds the system call's contract; `nr` does not return.
#[cfg(feature = "outline")]
#[unsafe(naked)]
#[unsafe(link_section = "libsys_stubs")]
pub(crate) unsafe extern "C" fn generic_noreturn(_nr: usize, _a0: usize) -> ! {
    core::arch::naked_asm!(
        "mov eax, [esp + 4]", "mov ebx, [esp + 8]", "int 0x80", site!(), "ud2",
        site = const crate::stubs::GENERIC
    )
}
