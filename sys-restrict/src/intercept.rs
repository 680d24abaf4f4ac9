//! Interception of every system call of the process, libc's and std's included (feature
//! `hooks`; x86_64 and x86): Syscall User Dispatch with libsys's stubs as the allowed region sends
//! each call made anywhere else to libsys's SIGSYS handler, which passes it to the installed
//! hook (`sys_core::hook::set_hook` / `set_replacement`, or `sys_trace::start`) and makes it on
//! the program's behalf from the stubs.
//!
//! Sources: `Documentation/admin-guide/syscall-user-dispatch.rst`, prctl(2), sigreturn(2),
//! clone(2); the frame layouts of `arch/x86/include/uapi/asm/{sigcontext,ucontext}.h` and
//! `arch/x86/kernel/signal_64.c` (`rt_sigreturn` finds its frame at `sp - 8`); glibc 2.36's
//! `sysdeps/unix/sysv/linux/x86_64/{clone3,clone}.S` and `nptl/pthread_create.c` (what a new
//! thread expects in its registers and signal mask). x86: `struct ucontext_ia32`
//! (`arch/x86/include/asm/ia32.h`), `arch/x86/kernel/signal_32.c` (`rt_sigreturn` finds its
//! frame at `sp - 4`, the old `sigreturn` at `sp - 8`), Debian 12's glibc 2.36 for i386
//! (objdump of `/usr/lib32/libc.so.6`: `clone` and `clone3` are made with `int $0x80` directly,
//! the other calls through the vDSO's `__kernel_vsyscall`; threads use `clone3`). Checked
//! natively (x86_64, and i686 binaries on the same x86_64 kernel) by `tests/intercept.rs`
//! against `strace -f` on Linux 6.18.
//!
//! # x86
//! - A call made through `__kernel_vsyscall` is dispatched as any other: the result written
//!   into eax, the handler returns to the vDSO's landing pad, which pops what
//!   `__kernel_vsyscall` pushed and returns to libc.
//! - `clone`/`clone3` of a thread: i386's `clone` takes (flags, newsp, parent_tid, tls,
//!   child_tid) in ebx..edi and `clone3` (args, size) in ebx, ecx; the trampoline makes the
//!   call with `int 0x80`, as glibc does, keeping its context in ebp (which neither reads). The
//!   child pushes the program's eip and ebp on its own stack (8 bytes below its stack pointer,
//!   where a signal frame could go as well) to restore every register but eax and the flags.
//!   A thread-creating `clone` made through `__kernel_vsyscall` (glibc never does) would
//!   return to the landing pad on the new stack, which holds nothing to pop: not supported.
//! - Signal handlers whose restorer is the vDSO's (`__kernel_sigreturn`,
//!   `__kernel_rt_sigreturn`: glibc leaves the restorer to the kernel when there is a vDSO)
//!   return without the hook: Syscall User Dispatch lets those calls through
//!   (`arch_syscall_is_vdso_sigreturn`). A restorer elsewhere (musl's, a program's own) makes a
//!   `sigreturn` or `rt_sigreturn` that is intercepted and performed at the program's stack
//!   pointer as on x86_64.
//!
//! # Coverage
//! - **Threads.** Dispatch is per thread and a new thread starts without it. A `clone`/`clone3`
//!   that shares memory (`CLONE_VM`, a thread or `posix_spawn`'s child) is made from a
//!   trampoline in the stubs section: in the child it turns dispatch on (prctl), sets the
//!   signal mask the program had at the call, restores the program's registers (the stack
//!   pointer stays the new stack) and jumps to the instruction after the program's `syscall`
//!   with `rax = 0`; `rcx` and `r11` are clobbered, as `syscall` clobbers them anyway. So every
//!   thread created through libc (pthread_create, std::thread) is covered from its first
//!   instruction.
//! - **fork.** `fork`, and `clone` without `CLONE_VM`, return through the handler in the
//!   child too (it has its own copy of the stack); the child turns dispatch on again (the
//!   kernel clears it in a fork child) before returning. `vfork` (and `clone(CLONE_VM |
//!   CLONE_VFORK)` without a stack) is made as a fork: a child sharing the handler's stack
//!   would overwrite the parent's handler frame.
//! - **Signals.** The handler runs with nothing more blocked than the program had
//!   (`SA_NODEFER`, empty mask), so the program's signals arrive as before, and a handler of
//!   the program is intercepted as any code. A handler's return (`rt_sigreturn` from libc's
//!   restorer, outside the region) is performed for it: the stack pointer is set to the
//!   program's and `rt_sigreturn` is made from a stub, so the kernel restores the program's
//!   interrupted context. `rt_sigprocmask` and `sigaltstack` are applied to the interrupted
//!   context (the handler's own return would otherwise undo them). SIGSYS cannot be blocked
//!   while interception runs (it is taken out of every mask), and the program must not
//!   install a SIGSYS handler of its own (it would replace libsys's).
//! - **exit, exit_group, execve** are made as they are. `execve` ends interception: the new
//!   program starts without dispatch and without libsys's handler.
//!
//! # Limits
//! While a hook runs on a thread, calls made on that thread go straight to the kernel without
//! the hook (sys-core's guard against recursion): a signal handler of the program that runs
//! while libsys makes a blocking call for it (a `read` waiting), and the child of
//! `posix_spawn` (which shares its parent's thread-local storage while the parent waits in
//! the hook), are not seen by the hook; their calls are made all the same. No selector byte is
//! used: every call from outside the stubs is dispatched. A call whose pointer arguments are
//! invalid can fault in the handler for `rt_sigprocmask` (its set is read there) instead of
//! failing with `EFAULT`. Each intercepted call costs a signal delivery and return.

use crate::sud::{PR_SET_SYSCALL_USER_DISPATCH, PR_SYS_DISPATCH_ON, SIGSYS, SYS_USER_DISPATCH};
use core::sync::atomic::{AtomicU32, Ordering};
use sys_core::{Errno, RawRet, hook, nr, syscall};

const SA_NODEFER: usize = 0x4000_0000;
const CLONE_VM: usize = 0x100;
const CLONE_VFORK: usize = 0x4000;

/// Signals that stay deliverable whatever the program's mask says (bit `sig - 1`): SIGKILL and
/// SIGSTOP (the kernel's rule), SIGSYS (interception's).
const UNBLOCKABLE: u64 = (1 << (9 - 1)) | (1 << (19 - 1)) | (1 << (SIGSYS - 1));

/// Offsets in `siginfo_t` and `ucontext_t` (x86_64).
#[cfg(target_arch = "x86_64")]
mod off {
    /// `si_code`.
    pub(super) const CODE: usize = 8;
    /// `si_syscall` (`_sigsys`, after `si_call_addr`).
    pub(super) const SYSCALL: usize = 24;
    /// `uc_stack` (`stack_t`, 24 bytes).
    pub(super) const STACK: usize = 16;
    /// `uc_mcontext`: `struct sigcontext_64`, whose first 17 words are r8..r15, rdi, rsi, rbp,
    /// rbx, rdx, rax, rcx, rsp, rip.
    pub(super) const GREGS: usize = 40;
    pub(super) const NGREGS: usize = 17;
    pub(super) const ARGS: [usize; 6] = [
        GREGS + 8 * 8,
        GREGS + 8 * 9,
        GREGS + 8 * 12,
        GREGS + 8 * 2,
        GREGS,
        GREGS + 8,
    ];
    pub(super) const RAX: usize = GREGS + 8 * 13;
    pub(super) const RSP: usize = GREGS + 8 * 15;
    /// `uc_sigmask`, after the 256-byte sigcontext.
    pub(super) const SIGMASK: usize = GREGS + 256;
}

/// Offsets in `siginfo_t` and `ucontext_t` (x86: `struct ucontext_ia32` of
/// `arch/x86/include/asm/ia32.h`, the layout of a 32-bit process on a 64-bit kernel and on a
/// 32-bit one alike).
#[cfg(target_arch = "x86")]
mod off {
    /// `si_code`.
    pub(super) const CODE: usize = 8;
    /// `si_syscall` (`_sigsys`, after the 4-byte `si_call_addr`).
    pub(super) const SYSCALL: usize = 16;
    /// `uc_stack` (`stack_t`, 12 bytes).
    pub(super) const STACK: usize = 8;
    /// `uc_mcontext`: `struct sigcontext_32`, whose first 15 words are gs, fs, es, ds, edi,
    /// esi, ebp, esp, ebx, edx, ecx, eax, trapno, err, eip (22 words in all).
    pub(super) const GREGS: usize = 20;
    pub(super) const NGREGS: usize = 15;
    /// ebx, ecx, edx, esi, edi, ebp.
    pub(super) const ARGS: [usize; 6] = [
        GREGS + 4 * 8,
        GREGS + 4 * 10,
        GREGS + 4 * 9,
        GREGS + 4 * 5,
        GREGS + 4 * 4,
        GREGS + 4 * 6,
    ];
    pub(super) const RAX: usize = GREGS + 4 * 11;
    pub(super) const RSP: usize = GREGS + 4 * 7;
    /// `uc_sigmask`, after the 88-byte sigcontext (4-byte aligned only).
    pub(super) const SIGMASK: usize = GREGS + 88;
}

use crate::sud::{OLD_SIGRETURN, sigreturn_at};

/// Starts intercepting every system call of the calling thread, and of every thread and
/// process it creates from now on: installs libsys's SIGSYS handler (replacing any) and turns
/// Syscall User Dispatch on with the stubs as the region. The calls go to the hook installed
/// with `sys_core::hook` (none: they are simply made).
///
/// Threads that already exist are not covered: call [`this_thread`] in each (or start
/// interception before creating them).
///
/// Errors: `EINVAL` from a kernel without Syscall User Dispatch (before 5.11), the errors of
/// `rt_sigaction`.
pub fn start() -> Result<(), Errno> {
    crate::sud::set_sigsys(handler as *const () as usize, SA_NODEFER)?;
    this_thread()
}

/// Turns interception on for the calling thread (after [`start`]).
pub fn this_thread() -> Result<(), Errno> {
    // No selector: every call from outside the stubs is dispatched.
    crate::sud::enable_thread(None)
}

/// Turns interception off for the calling thread (the handler stays installed; other threads
/// keep theirs).
pub fn stop_this_thread() -> Result<(), Errno> {
    crate::sud::disable_thread()
}

fn neg(e: Errno) -> usize {
    (e.raw() as isize).wrapping_neg() as usize
}

/// What the trampoline needs for a new thread: the call, then what the child sets up. Its
/// layout is read by [`clone_trampoline`] (x86_64: the offsets in the comments; x86: through
/// `offset_of!`).
#[repr(C)]
struct CloneCtx {
    /// 0: the number, 8..56: the arguments.
    nr: usize,
    args: [usize; 6],
    /// 56, 64: the region for the child's prctl.
    stubs_start: usize,
    stubs_len: usize,
    /// 72: the child's signal mask (the program's at the call).
    sigmask: u64,
    /// 80: non-zero when the child keeps the saved stack pointer (no new stack).
    saved_sp: usize,
    /// 88: set by the child once it has read everything (the parent waits for it: this lives
    /// on the parent's handler stack).
    done: AtomicU32,
    _pad: u32,
    /// 96: the first words of the sigcontext (x86_64: r8..r15, rdi, rsi, rbp, rbx, rdx, rax,
    /// rcx, rsp, rip; x86: gs, fs, es, ds, edi, esi, ebp, esp, ebx, edx, ecx, eax, trapno,
    /// err, eip).
    regs: [usize; off::NGREGS],
}

/// Makes a `clone`/`clone3` that creates a task sharing memory, from the stubs: returns the
/// parent's result; the child never comes back here (see the module's documentation).
#[cfg(target_arch = "x86_64")]
#[unsafe(naked)]
#[unsafe(link_section = "libsys_stubs")]
unsafe extern "C" fn clone_trampoline(ctx: *const CloneCtx) -> usize {
    core::arch::naked_asm!(
        "push r12",
        "mov r12, rdi",
        "mov rax, [r12]",
        "mov rdi, [r12 + 8]",
        "mov rsi, [r12 + 16]",
        "mov rdx, [r12 + 24]",
        "mov r10, [r12 + 32]",
        "mov r8, [r12 + 40]",
        "mov r9, [r12 + 48]",
        "syscall",
        "test rax, rax",
        "jz 2f",
        "pop r12",
        "ret",
        // The child: dispatch on, the program's mask, its registers, its next instruction.
        "2:",
        "mov eax, {prctl}",
        "mov edi, {set_sud}",
        "mov esi, {on}",
        "mov rdx, [r12 + 56]",
        "mov r10, [r12 + 64]",
        "xor r8d, r8d",
        "syscall",
        "mov eax, {sigprocmask}",
        "mov edi, 2",
        "lea rsi, [r12 + 72]",
        "xor edx, edx",
        "mov r10d, 8",
        "syscall",
        "mov rcx, r12",
        "cmp qword ptr [rcx + 80], 0",
        "je 3f",
        "mov rsp, [rcx + 96 + 15 * 8]",
        "3:",
        "mov r8, [rcx + 96]",
        "mov r9, [rcx + 96 + 8]",
        "mov r10, [rcx + 96 + 16]",
        "mov r12, [rcx + 96 + 32]",
        "mov r13, [rcx + 96 + 40]",
        "mov r14, [rcx + 96 + 48]",
        "mov r15, [rcx + 96 + 56]",
        "mov rdi, [rcx + 96 + 64]",
        "mov rsi, [rcx + 96 + 72]",
        "mov rbp, [rcx + 96 + 80]",
        "mov rbx, [rcx + 96 + 88]",
        "mov rdx, [rcx + 96 + 96]",
        "mov r11, [rcx + 96 + 16 * 8]",
        // From here on the parent may reuse the context's memory.
        "mov dword ptr [rcx + 88], 1",
        "xor eax, eax",
        "jmp r11",
        prctl = const nr::prctl,
        set_sud = const PR_SET_SYSCALL_USER_DISPATCH,
        on = const PR_SYS_DISPATCH_ON,
        sigprocmask = const nr::rt_sigprocmask,
    )
}

/// Makes a `clone`/`clone3` that creates a task sharing memory, from the stubs (x86: `int
/// 0x80`, as glibc's `clone` and `clone3` make it; i386's `clone` reads ebx..edi and `clone3`
/// ebx, ecx, so ebp holds the context across the call): returns the parent's result. The child
/// turns dispatch on, sets the mask, takes the saved stack pointer if it has no stack of its
/// own, pushes the program's eip and ebp on its stack (below its stack pointer, as a signal
/// frame would be), restores the other registers, and pops ebp and returns into the program
/// with eax = 0: every register but eax and the flags is the program's.
#[cfg(target_arch = "x86")]
#[unsafe(naked)]
#[unsafe(link_section = "libsys_stubs")]
unsafe extern "C" fn clone_trampoline(ctx: *const CloneCtx) -> usize {
    core::arch::naked_asm!(
        "push ebp",
        "push ebx",
        "push esi",
        "push edi",
        "mov ebp, [esp + 20]",
        "mov eax, [ebp + {nr}]",
        "mov ebx, [ebp + {args}]",
        "mov ecx, [ebp + {args} + 4]",
        "mov edx, [ebp + {args} + 8]",
        "mov esi, [ebp + {args} + 12]",
        "mov edi, [ebp + {args} + 16]",
        "int 0x80",
        "test eax, eax",
        "jz 2f",
        "pop edi",
        "pop esi",
        "pop ebx",
        "pop ebp",
        "ret",
        // The child: dispatch on, the program's mask, its registers, its next instruction.
        "2:",
        "mov eax, {prctl}",
        "mov ebx, {set_sud}",
        "mov ecx, {on}",
        "mov edx, [ebp + {start}]",
        "mov esi, [ebp + {len}]",
        "xor edi, edi",
        "int 0x80",
        "mov eax, {sigprocmask}",
        "mov ebx, 2",
        "lea ecx, [ebp + {mask}]",
        "xor edx, edx",
        "mov esi, 8",
        "int 0x80",
        "cmp dword ptr [ebp + {saved_sp}], 0",
        "je 3f",
        "mov esp, [ebp + {regs} + 7 * 4]",
        "3:",
        "push dword ptr [ebp + {regs} + 14 * 4]",
        "push dword ptr [ebp + {regs} + 6 * 4]",
        "mov edi, [ebp + {regs} + 4 * 4]",
        "mov esi, [ebp + {regs} + 5 * 4]",
        "mov ebx, [ebp + {regs} + 8 * 4]",
        "mov edx, [ebp + {regs} + 9 * 4]",
        "mov ecx, [ebp + {regs} + 10 * 4]",
        // From here on the parent may reuse the context's memory.
        "mov dword ptr [ebp + {done}], 1",
        "xor eax, eax",
        "pop ebp",
        "ret",
        nr = const core::mem::offset_of!(CloneCtx, nr),
        args = const core::mem::offset_of!(CloneCtx, args),
        start = const core::mem::offset_of!(CloneCtx, stubs_start),
        len = const core::mem::offset_of!(CloneCtx, stubs_len),
        mask = const core::mem::offset_of!(CloneCtx, sigmask),
        saved_sp = const core::mem::offset_of!(CloneCtx, saved_sp),
        done = const core::mem::offset_of!(CloneCtx, done),
        regs = const core::mem::offset_of!(CloneCtx, regs),
        prctl = const nr::prctl,
        set_sud = const PR_SET_SYSCALL_USER_DISPATCH,
        on = const PR_SYS_DISPATCH_ON,
        sigprocmask = const nr::rt_sigprocmask,
    )
}

/// libsys's SIGSYS handler for interception.
extern "C" fn handler(_sig: i32, info: *mut u8, ctx: *mut u8) {
    // SAFETY: the kernel passes a valid siginfo_t and ucontext_t (SA_SIGINFO); the offsets are
    // the kernel's layout for this architecture (`off`); every field read is aligned (the
    // 8-byte mask of x86 is read unaligned).
    unsafe {
        if info.add(off::CODE).cast::<i32>().read() != SYS_USER_DISPATCH {
            return;
        }
        let call = info.add(off::SYSCALL).cast::<i32>().read() as usize;
        let args = off::ARGS.map(|o| ctx.add(o).cast::<usize>().read());
        let result = match call {
            nr::rt_sigreturn | OLD_SIGRETURN => sigreturn(ctx, call, &args),
            nr::rt_sigprocmask => {
                let apply = |_: usize, a: &[usize; 6]| sigprocmask(ctx, a);
                hook::on_behalf(call, &args, Some(&apply))
            }
            nr::sigaltstack => {
                let r = hook::on_behalf(call, &args, None);
                // The handler's return restores the alternate stack from `uc_stack`: put the
                // one now in force there.
                let mut now = [0usize; 3];
                let null = core::ptr::null::<[usize; 3]>();
                if syscall!(nr::sigaltstack, null, &mut now).is_ok() {
                    ctx.add(off::STACK).cast::<[usize; 3]>().write(now);
                }
                r
            }
            nr::clone | nr::clone3 | nr::fork | nr::vfork => spawn(call, &args, ctx),
            _ => hook::on_behalf(call, &args, None),
        };
        ctx.add(off::RAX).cast::<usize>().write(result.0);
    }
}

/// Performs the program's `rt_sigreturn` (x86: or old `sigreturn`, `call`), after showing it
/// to the hook: never returns.
///
/// # Safety
/// `ctx` is the handler's ucontext for a SIGSYS raised by the program's `call`.
unsafe fn sigreturn(ctx: *mut u8, call: usize, args: &[usize; 6]) -> RawRet {
    // SAFETY: the saved stack pointer of the interrupted program.
    let sp = unsafe { ctx.add(off::RSP).cast::<usize>().read() };
    let outside = !hook::in_hook();
    // Whatever number a hook passes, the program's own call is the one that can be made.
    let go = move |_: usize, _: &[usize; 6]| -> usize {
        if outside {
            // The hook that called this never returns: clear its flag for it.
            hook::leave_hook();
        }
        // SAFETY: `sp` is where the program's restorer made the call: its signal frame is
        // right below, as the kernel expects.
        unsafe { sigreturn_at(sp, call) }
    };
    // SAFETY: `go` makes the program's own call.
    let _ = unsafe { hook::on_behalf(call, args, Some(&go)) };
    // A hook that did not make the call: make it anyway (returning would resume the program
    // in its restorer, with a result in the result register and nowhere to go).
    go(call, args);
    unreachable_ret()
}

fn unreachable_ret() -> RawRet {
    RawRet(neg(Errno::ENOSYS))
}

/// `rt_sigprocmask` applied to the interrupted context's mask (which the handler's return
/// puts in force).
///
/// # Safety
/// `ctx` is the handler's ucontext; `a` are the program's arguments.
fn sigprocmask(ctx: *mut u8, a: &[usize; 6]) -> usize {
    let (how, set, old, size) = (a[0], a[1], a[2], a[3]);
    if size != 8 {
        return neg(Errno::EINVAL);
    }
    // SAFETY: `ctx` is the handler's ucontext; `set` and `old` are the program's pointers to
    // sigsets (null: none), as rt_sigprocmask takes them.
    unsafe {
        let mask = ctx.add(off::SIGMASK).cast::<u64>();
        let cur = mask.read_unaligned();
        let new = if set == 0 {
            cur
        } else {
            let s = (set as *const u64).read_unaligned();
            match how {
                0 => cur | s,
                1 => cur & !s,
                2 => s,
                _ => return neg(Errno::EINVAL),
            }
        };
        if old != 0 {
            (old as *mut u64).write_unaligned(cur);
        }
        mask.write_unaligned(new & !UNBLOCKABLE);
    }
    0
}

/// `clone`, `clone3`, `fork`, `vfork`.
///
/// # Safety
/// `ctx` is the handler's ucontext for the program's call `call` with `args`.
unsafe fn spawn(call: usize, args: &[usize; 6], ctx: *mut u8) -> RawRet {
    // Whether the child shares memory, and whether it gets a stack of its own.
    let (vm, stack) = match call {
        nr::clone => (args[0] & CLONE_VM != 0, args[1] != 0),
        nr::clone3 if args[0] != 0 && args[1] >= 64 => {
            // SAFETY: the program's `struct clone_args` (at least its first 64 bytes):
            // flags at 0, stack at 40, stack_size at 48.
            let (flags, st, size) = unsafe {
                let p = args[0] as *const u64;
                (
                    p.read_unaligned(),
                    p.add(5).read_unaligned(),
                    p.add(6).read_unaligned(),
                )
            };
            (flags as usize & CLONE_VM != 0, st != 0 && size != 0)
        }
        _ => (false, false),
    };
    let vfork_like = call == nr::vfork || (call == nr::clone && vm && !stack);
    if vm && !vfork_like {
        // SAFETY: forwarded from the caller.
        return unsafe { thread(call, args, ctx, stack) };
    }
    let fork = |nr: usize, a: &[usize; 6]| -> usize {
        let (nr, a0) = match nr {
            nr::vfork => (nr::fork, a[0]),
            nr::clone if vfork_like => (nr::clone, a[0] & !(CLONE_VM | CLONE_VFORK)),
            _ => (nr, a[0]),
        };
        // SAFETY: the program's own call (a fork, its child on its own copy of this stack).
        let r = unsafe { sys_core::call::call6(nr, a0, a[1], a[2], a[3], a[4], a[5]).0 };
        if r == 0 {
            // The fork child: the kernel cleared dispatch.
            let _ = this_thread();
        }
        r
    };
    // SAFETY: `fork` makes the program's own call.
    unsafe { hook::on_behalf(call, args, Some(&fork)) }
}

/// A `clone`/`clone3` of a task sharing memory, through [`clone_trampoline`].
///
/// # Safety
/// As [`spawn`].
unsafe fn thread(call: usize, args: &[usize; 6], ctx: *mut u8, stack: bool) -> RawRet {
    let stubs = sys_core::outline::stubs();
    // SAFETY: the ucontext's general registers and mask.
    let (regs, sigmask) = unsafe {
        (
            ctx.add(off::GREGS).cast::<[usize; off::NGREGS]>().read(),
            ctx.add(off::SIGMASK).cast::<u64>().read_unaligned(),
        )
    };
    let make = |nr: usize, a: &[usize; 6]| -> usize {
        let c = CloneCtx {
            nr,
            args: *a,
            stubs_start: stubs.start,
            stubs_len: stubs.end - stubs.start,
            sigmask: sigmask & !UNBLOCKABLE,
            saved_sp: usize::from(!stack),
            done: AtomicU32::new(0),
            _pad: 0,
            regs,
        };
        // SAFETY: the program's own call, from the trampoline; the child reads `c` before it
        // sets `done`, and this frame lives until then.
        let r = unsafe { clone_trampoline(&c) };
        if (r as isize) > 0 {
            while c.done.load(Ordering::Acquire) == 0 {
                core::hint::spin_loop();
            }
        }
        r
    };
    // SAFETY: `make` makes the program's own call.
    unsafe { hook::on_behalf(call, args, Some(&make)) }
}
