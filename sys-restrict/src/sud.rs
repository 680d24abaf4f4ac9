//! Syscall User Dispatch: system calls only from libsys's stubs, without seccomp (feature
//! `outline`; x86_64 and x86).
//!
//! `prctl(PR_SET_SYSCALL_USER_DISPATCH, PR_SYS_DISPATCH_ON, offset, len, selector)` (Linux ≥
//! 5.11, `Documentation/admin-guide/syscall-user-dispatch.rst`) makes every system call of the
//! calling thread that does not come from `[offset, offset + len)` raise SIGSYS instead of
//! running (`si_code` `SYS_USER_DISPATCH`), unless the thread's *selector* byte says
//! [`ALLOW`]. [`enable`] sets the region to the `libsys_stubs` section and installs libsys's
//! own SIGSYS handler, which
//!
//! - for a call from one of the [`Dispatch::emulate`] ranges (the vDSO, whose fallbacks make
//!   system calls of their own, or libc's code), makes the call on the caller's behalf from
//!   the generic stub and writes the result where the caller expects it;
//! - on x86, for a call reported at the vDSO's `__kernel_vsyscall` (where every `sysenter` and
//!   32-bit `syscall` of any code is reported), makes it only if it is one of the vDSO's own
//!   fallbacks and the vDSO is emulated, or if [`Dispatch::emulate_vsyscall`] says any: who
//!   called `__kernel_vsyscall` is a word on the caller's stack, which it writes itself;
//! - for a signal return (`rt_sigreturn`, x86's `sigreturn`) from an emulated range (libc's
//!   restorer, for a handler installed through libc), makes it at the program's stack pointer,
//!   so that the program's own frame is restored;
//! - for any other call, applies the [`Dispatch::otherwise`] action: fail it with an errno
//!   (written into the caller's result register: the call is not made), or end the process
//!   with SIGSYS as seccomp's `KILL_PROCESS` would.
//!
//! The handler returns through a restorer of libsys's own in the stubs section, so its
//! `rt_sigreturn` comes from the allowed region ([`restorer`]); the handler's own system calls
//! come from the stubs too. Both are verified by `tests/sud.rs`.
//!
//! Dispatch is per thread: [`enable`] covers the calling thread, and threads created after it
//! inherit nothing (the kernel clears the setting in every new task); call [`enable_thread`]
//! in each new thread, and in the child after `fork`, which starts without it too (both
//! checked by `tests/sud.rs` on Linux 6.18). `execve` ends it. The SIGSYS handler, like every
//! handler, is process-wide and survives `fork`. The selector is a byte the
//! thread owns ([`Selector`]): [`ALLOW`] lets every call through until it is set back to
//! [`BLOCK`], for example around code that must make its own system calls.
//!
//! Like the seccomp policies this shrinks the attack surface; it is no boundary against code
//! that can write the selector or jump into a stub.

use core::sync::atomic::{AtomicBool, AtomicU8, AtomicUsize, Ordering};
use sys_core::{Errno, nr, syscall, syscall_readonly};

/// `SYSCALL_DISPATCH_FILTER_ALLOW`: the selector value that lets every call through.
pub const ALLOW: u8 = 0;
/// `SYSCALL_DISPATCH_FILTER_BLOCK`: the selector value that sends calls from outside the
/// region to the SIGSYS handler.
pub const BLOCK: u8 = 1;

/// A thread's selector byte: where the kernel looks, on every system call from outside the
/// region, whether to let it through ([`ALLOW`]) or raise SIGSYS ([`BLOCK`]).
pub type Selector = AtomicU8;

pub(crate) const PR_SET_SYSCALL_USER_DISPATCH: usize = 59;
pub(crate) const PR_SYS_DISPATCH_OFF: usize = 0;
pub(crate) const PR_SYS_DISPATCH_ON: usize = 1;
/// `SIGSYS`: 31 on x86.
pub(crate) const SIGSYS: usize = 31;
/// `si_code` of a Syscall User Dispatch SIGSYS.
pub(crate) const SYS_USER_DISPATCH: i32 = 2;
pub(crate) const SA_SIGINFO: usize = 4;
pub(crate) const SA_RESTORER: usize = 0x0400_0000;

/// What happens to a call from outside the region and the emulated ranges.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Otherwise {
    /// The call is not made and fails with this errno.
    Errno(Errno),
    /// The process ends, killed by SIGSYS.
    KillProcess,
}

/// Where calls from outside the stubs are made on the program's behalf.
const MAX_RANGES: usize = 8;

/// The handler's settings: written by [`enable`] before the handler is installed, read by the
/// handler.
struct Settings {
    ranges: [(AtomicUsize, AtomicUsize); MAX_RANGES],
    /// x86: the vDSO's `__kernel_vsyscall`, through which libc and the vDSO's own fallbacks
    /// make every system call (0: none, or x86_64).
    vsyscall: AtomicUsize,
    /// x86: whether every call reported at `__kernel_vsyscall` is made
    /// ([`Dispatch::emulate_vsyscall`]).
    vsyscall_any: AtomicBool,
    /// x86: the numbers the vDSO's own code makes through `__kernel_vsyscall`
    /// (`install::vdso_numbers`; `usize::MAX`: unused slot).
    vdso_own: [AtomicUsize; 8],
    /// `0`: kill; otherwise the errno value.
    errno: AtomicUsize,
}

#[allow(
    clippy::declare_interior_mutable_const,
    reason = "an array initialiser"
)]
const EMPTY: (AtomicUsize, AtomicUsize) = (AtomicUsize::new(0), AtomicUsize::new(0));
#[allow(
    clippy::declare_interior_mutable_const,
    reason = "an array initialiser"
)]
const NONE: AtomicUsize = AtomicUsize::new(usize::MAX);
static SETTINGS: Settings = Settings {
    ranges: [EMPTY; MAX_RANGES],
    vsyscall: AtomicUsize::new(0),
    vsyscall_any: AtomicBool::new(false),
    vdso_own: [NONE; 8],
    errno: AtomicUsize::new(0),
};

/// A Syscall User Dispatch configuration, built and then [`enable`]d.
///
/// ```no_run
/// # #[cfg(any(target_arch = "x86_64", target_arch = "x86"))] {
/// use sys_restrict::sud::{self, Dispatch, Otherwise};
/// use sys_core::Errno;
///
/// static SELECTOR: sud::Selector = sud::Selector::new(sud::BLOCK);
/// let vdso = sys_restrict::vdso_range();
/// let mut d = Dispatch::new(Otherwise::Errno(Errno::EPERM));
/// if let Some(r) = vdso {
///     d = d.emulate(r);
/// }
/// sud::enable(&d, Some(&SELECTOR)).unwrap();
/// // From here on libc's system calls on this thread fail with EPERM; libsys's work.
/// # }
/// ```
#[derive(Clone, Copy, Debug)]
pub struct Dispatch {
    ranges: [(usize, usize); MAX_RANGES],
    len: usize,
    otherwise: Otherwise,
    vsyscall_any: bool,
}

impl Dispatch {
    /// Calls from outside the stubs get `otherwise`.
    pub fn new(otherwise: Otherwise) -> Dispatch {
        Dispatch {
            ranges: [(0, 0); MAX_RANGES],
            len: 0,
            otherwise,
            vsyscall_any: false,
        }
    }

    /// Calls whose instruction ends in `range` (`start < ip <= end`, as the kernel reports the
    /// address after the instruction) are made on the caller's behalf. At most eight ranges;
    /// more are ignored.
    #[must_use]
    pub fn emulate(mut self, range: core::ops::Range<usize>) -> Dispatch {
        if let Some(slot) = self.ranges.get_mut(self.len) {
            *slot = (range.start, range.end);
            self.len += 1;
        }
        self
    }

    /// x86: makes every call reported at the vDSO's `__kernel_vsyscall`, whatever its number.
    ///
    /// glibc makes nearly all its calls through `__kernel_vsyscall`, so emulating libc's code
    /// on x86 needs this. But every fast system call — `sysenter`, or a 32-bit `syscall` on AMD
    /// CPUs — is reported there, wherever its instruction is (the kernel puts the instruction
    /// pointer at the vDSO's landing pad), and who called `__kernel_vsyscall` is only a word
    /// on the caller's stack, which the caller controls: with this, code of any origin makes
    /// any call with its own `sysenter` or `syscall`. Without it, a call reported there is
    /// made only if it is one of the vDSO's own fallbacks (`install::vdso_numbers`) and the
    /// vDSO is an [`emulate`](Dispatch::emulate)d range; any other gets
    /// [`otherwise`](Dispatch::otherwise). No effect on x86_64.
    #[must_use]
    pub fn emulate_vsyscall(mut self) -> Dispatch {
        self.vsyscall_any = true;
        self
    }

    /// What happens to the other calls.
    #[must_use]
    pub fn otherwise(mut self, otherwise: Otherwise) -> Dispatch {
        self.otherwise = otherwise;
        self
    }
}

/// Turns Syscall User Dispatch on for the calling thread, with the `libsys_stubs` section as
/// the region, `d`'s settings and libsys's SIGSYS handler (installed for the process; it
/// replaces any SIGSYS handler the program had). `selector` is the thread's selector byte, or
/// `None` for none (every call from outside the region is dispatched).
///
/// Errors: `EINVAL` from a kernel without Syscall User Dispatch (before 5.11, or built without
/// `CONFIG_GENERIC_ENTRY`), the errors of `rt_sigaction`.
pub fn enable(d: &Dispatch, selector: Option<&'static Selector>) -> Result<(), Errno> {
    for (i, (start, end)) in SETTINGS.ranges.iter().enumerate() {
        let (s, e) = d
            .ranges
            .get(i)
            .filter(|_| i < d.len)
            .copied()
            .unwrap_or((0, 0));
        start.store(s, Ordering::Relaxed);
        end.store(e, Ordering::Relaxed);
    }
    let errno = match d.otherwise {
        Otherwise::Errno(e) => e.raw() as usize,
        Otherwise::KillProcess => 0,
    };
    #[cfg(target_arch = "x86")]
    {
        let vsyscall = sys_vdso::Vdso::get()
            .and_then(|v| v.lookup("__kernel_vsyscall", Some("LINUX_2.5")))
            .map_or(0, |p| p.as_ptr() as usize);
        SETTINGS.vsyscall.store(vsyscall, Ordering::Relaxed);
        SETTINGS
            .vsyscall_any
            .store(d.vsyscall_any, Ordering::Relaxed);
        let own = crate::install::vdso_numbers();
        for (i, slot) in SETTINGS.vdso_own.iter().enumerate() {
            let n = own.get(i).map_or(usize::MAX, |&n| n as usize);
            slot.store(n, Ordering::Relaxed);
        }
    }
    SETTINGS.errno.store(errno, Ordering::Release);
    install_handler()?;
    enable_thread(selector)
}

/// Turns Syscall User Dispatch on for the calling thread with the settings and handler that
/// [`enable`] installed (for threads created after it).
pub fn enable_thread(selector: Option<&'static Selector>) -> Result<(), Errno> {
    let stubs = sys_core::outline::stubs();
    let sel = selector.map_or(core::ptr::null(), |s| s.as_ptr().cast_const());
    // SAFETY: prctl reads its arguments; the kernel keeps the selector's address and reads the
    // byte on later system calls, and it is `'static`.
    unsafe {
        syscall!(
            nr::prctl,
            PR_SET_SYSCALL_USER_DISPATCH,
            PR_SYS_DISPATCH_ON,
            stubs.start,
            stubs.end - stubs.start,
            sel
        )
    }
    .map(drop)
}

/// Turns Syscall User Dispatch off for the calling thread (the handler stays installed).
pub fn disable_thread() -> Result<(), Errno> {
    // SAFETY: prctl with DISPATCH_OFF reads nothing and forgets the selector.
    unsafe {
        syscall_readonly!(
            nr::prctl,
            PR_SET_SYSCALL_USER_DISPATCH,
            PR_SYS_DISPATCH_OFF,
            0usize,
            0usize,
            0usize
        )
    }
    .map(drop)
}

/// The kernel's `struct sigaction` for `rt_sigaction` (`arch/x86/include/uapi/asm/signal.h`).
#[repr(C)]
struct KernelSigaction {
    handler: usize,
    flags: usize,
    restorer: usize,
    mask: u64,
}

fn install_handler() -> Result<(), Errno> {
    // Not SA_ONSTACK: a handler on the alternate stack cannot make the calls that tear that
    // stack down (Rust's std does at thread exit: `sigaltstack` then `munmap`). Nothing more
    // blocked while it runs than SIGSYS itself.
    set_sigsys(handler as *const () as usize, 0)
}

/// Installs `handler` (an `extern "C" fn(i32, *mut siginfo_t, *mut ucontext_t)`) for SIGSYS,
/// with `SA_SIGINFO`, libsys's [`restorer`], `extra` flags and an empty mask. For this module
/// and `crate::intercept`.
pub(crate) fn set_sigsys(handler: usize, extra: usize) -> Result<(), Errno> {
    let act = KernelSigaction {
        handler,
        flags: SA_SIGINFO | SA_RESTORER | extra,
        restorer: restorer(),
        mask: 0,
    };
    // SAFETY: `act` is valid for reads; no old action is asked for; the handler and the
    // restorer are functions of this program that live as long as it does.
    unsafe {
        syscall_readonly!(
            nr::rt_sigaction,
            SIGSYS,
            &act,
            core::ptr::null_mut::<KernelSigaction>(),
            8usize
        )
    }
    .map(drop)
}

/// The address of libsys's signal restorer, in the `libsys_stubs` section: the handler returns
/// to it and its `rt_sigreturn` comes from the Syscall User Dispatch region. Pass it as
/// `sa_restorer` (with `SA_RESTORER | SA_SIGINFO`) for handlers of your own that must return
/// under a seccomp policy: [`install::manifest`](crate::install::manifest) lists it as the
/// `rt_sigreturn` stub ([`restorer_site`]), so pinned policies allow `rt_sigreturn` there and
/// nowhere else.
pub fn restorer() -> usize {
    restore as *const () as usize
}

/// The address right after the restorer's system call instruction (`mov $nr, %eax` is 5
/// bytes, `syscall` and `int $0x80` 2): what seccomp reports for its `rt_sigreturn`.
pub fn restorer_site() -> usize {
    restorer() + 7
}

/// Register offsets in `ucontext_t` (`arch/x86/include/uapi/asm/sigcontext.h`,
/// `include/uapi/asm-generic/ucontext.h`): the saved general registers start after
/// `uc_flags`, `uc_link` and `uc_stack`.
#[cfg(target_arch = "x86_64")]
mod regs {
    /// `uc_mcontext` (`struct sigcontext_64`) in `ucontext_t`.
    const GREGS: usize = 40;
    pub(super) const ARGS: [usize; 6] = [
        GREGS + 8 * 8,
        GREGS + 8 * 9,
        GREGS + 8 * 12,
        GREGS + 8 * 2,
        GREGS,
        GREGS + 8,
    ];
    /// rax.
    pub(super) const RESULT: usize = GREGS + 8 * 13;
    /// `si_call_addr`, `si_syscall` in `siginfo_t` (`_sigsys`, after three ints and padding).
    pub(super) const CALL_ADDR: usize = 16;
    pub(super) const SYSCALL: usize = 24;
    /// The stack pointer (where a handler's `rt_sigreturn` finds its frame).
    pub(super) const SP: usize = GREGS + 8 * 15;
}

#[cfg(target_arch = "x86")]
mod regs {
    /// `uc_mcontext` (`struct sigcontext_32`) in `ucontext_t`.
    const GREGS: usize = 20;
    /// ebx, ecx, edx, esi, edi, ebp.
    pub(super) const ARGS: [usize; 6] = [
        GREGS + 4 * 8,
        GREGS + 4 * 10,
        GREGS + 4 * 9,
        GREGS + 4 * 5,
        GREGS + 4 * 4,
        GREGS + 4 * 6,
    ];
    /// eax.
    pub(super) const RESULT: usize = GREGS + 4 * 11;
    pub(super) const CALL_ADDR: usize = 12;
    pub(super) const SYSCALL: usize = 16;
    /// esp.
    pub(super) const SP: usize = GREGS + 4 * 7;
}

/// libsys's SIGSYS handler.
extern "C" fn handler(_sig: i32, info: *mut u8, ctx: *mut u8) {
    // SAFETY: the kernel passes a valid siginfo_t and ucontext_t (SA_SIGINFO); the offsets are
    // the kernel's layout for this architecture (`regs`), every field is word-aligned.
    unsafe {
        if info.add(8).cast::<i32>().read() != SYS_USER_DISPATCH {
            return;
        }
        let ip = info.add(regs::CALL_ADDR).cast::<usize>().read();
        let nr = info.add(regs::SYSCALL).cast::<i32>().read() as usize;
        let in_range = |ip: usize| {
            SETTINGS.ranges.iter().any(|(s, e)| {
                let (s, e) = (s.load(Ordering::Relaxed), e.load(Ordering::Relaxed));
                s < ip && ip <= e
            })
        };
        // x86: a call reported at the vDSO's `__kernel_vsyscall` may come from any `sysenter`
        // or `syscall` instruction (the kernel reports every fast system call at the landing
        // pad), and the word above what `__kernel_vsyscall` pushes is the caller's to write:
        // neither says who made it. Such a call is made only as `emulate_vsyscall` or the
        // vDSO's own numbers allow; a signal return never.
        let vsyscall = SETTINGS.vsyscall.load(Ordering::Relaxed);
        let sigreturn = nr == nr::rt_sigreturn || nr == OLD_SIGRETURN;
        let emulate = if vsyscall != 0 && ip > vsyscall && ip <= vsyscall + 64 {
            let own = SETTINGS
                .vdso_own
                .iter()
                .any(|n| n.load(Ordering::Relaxed) == nr);
            !sigreturn && (SETTINGS.vsyscall_any.load(Ordering::Relaxed) || (own && in_range(ip)))
        } else {
            in_range(ip)
        };
        if emulate && sigreturn {
            // A handler's return from an emulated range (libc's restorer, for a handler
            // installed through libc): made at the program's stack pointer, so that the kernel
            // finds the program's signal frame there and resumes the program's interrupted
            // context (made from here, it would return into this handler's frame).
            let sp = ctx.add(regs::SP).cast::<usize>().read();
            sigreturn_at(sp, nr);
        }
        let result = if emulate {
            let a = regs::ARGS.map(|off| ctx.add(off).cast::<usize>().read());
            // SAFETY: the call is the one the program made, with its own arguments: making it
            // from the stubs instead of its own instruction changes nothing for the kernel.
            sys_core::call::call6(nr, a[0], a[1], a[2], a[3], a[4], a[5]).0
        } else {
            match SETTINGS.errno.load(Ordering::Acquire) {
                0 => die(),
                e => (e as isize).wrapping_neg() as usize,
            }
        };
        ctx.add(regs::RESULT).cast::<usize>().write(result);
    }
}

/// The old `sigreturn`, made by libc's restorer for a handler without `SA_SIGINFO` (x86 only:
/// x86_64 has none; `usize::MAX` matches no call).
#[cfg(target_arch = "x86")]
pub(crate) const OLD_SIGRETURN: usize = nr::sigreturn;
#[cfg(target_arch = "x86_64")]
pub(crate) const OLD_SIGRETURN: usize = usize::MAX;

/// The call `nr` (`rt_sigreturn`) with the stack pointer at `sp`: the program's signal frame
/// is at `sp - 8`.
#[cfg(target_arch = "x86_64")]
#[unsafe(naked)]
#[unsafe(link_section = "libsys_stubs")]
pub(crate) unsafe extern "C" fn sigreturn_at(sp: usize, nr: usize) -> ! {
    core::arch::naked_asm!("mov rsp, rdi", "mov eax, esi", "syscall", "ud2")
}

/// The call `nr` with the stack pointer at `sp`, through `int 0x80`: `rt_sigreturn` finds the
/// program's frame at `sp - 4` (the handler's `ret` popped its return address), the old
/// `sigreturn` at `sp - 8` (the restorer popped the signal number too); both as
/// `arch/x86/kernel/signal_32.c` (and the compat `sys32_*sigreturn`) read it.
#[cfg(target_arch = "x86")]
#[unsafe(naked)]
#[unsafe(link_section = "libsys_stubs")]
pub(crate) unsafe extern "C" fn sigreturn_at(sp: usize, nr: usize) -> ! {
    core::arch::naked_asm!(
        "mov eax, [esp + 8]",
        "mov esp, [esp + 4]",
        "int 0x80",
        "ud2"
    )
}

/// Ends the process with SIGSYS, as seccomp's `KILL_PROCESS` does: the default action for
/// SIGSYS, then the signal, which is delivered as soon as the handler returns (it is blocked
/// while the handler runs).
fn die() -> usize {
    let dfl = KernelSigaction {
        handler: 0,
        flags: SA_RESTORER,
        restorer: restorer(),
        mask: 0,
    };
    // SAFETY: `dfl` is valid for reads; tgkill sends a signal to this very thread.
    unsafe {
        let _ = syscall_readonly!(
            nr::rt_sigaction,
            SIGSYS,
            &dfl,
            core::ptr::null_mut::<KernelSigaction>(),
            8usize
        );
        let pid = syscall_readonly!(nr::getpid).unwrap_or(0);
        let tid = syscall_readonly!(nr::gettid).unwrap_or(0);
        let _ = syscall_readonly!(nr::tgkill, pid, tid, SIGSYS);
    }
    (Errno::ENOSYS.raw() as isize).wrapping_neg() as usize
}

/// The signal restorer: `rt_sigreturn` with the stack as the kernel left it after the handler.
#[cfg(target_arch = "x86_64")]
#[unsafe(naked)]
#[unsafe(link_section = "libsys_stubs")]
unsafe extern "C" fn restore() {
    core::arch::naked_asm!("mov eax, {nr}", "syscall", "ud2", nr = const nr::rt_sigreturn)
}

/// The signal restorer: `rt_sigreturn` with the stack as the kernel left it after the handler.
#[cfg(target_arch = "x86")]
#[unsafe(naked)]
#[unsafe(link_section = "libsys_stubs")]
unsafe extern "C" fn restore() {
    core::arch::naked_asm!("mov eax, {nr}", "int 0x80", "ud2", nr = const nr::rt_sigreturn)
}
