//! Observing and replacing system calls (feature `hooks`): one process-wide hook at
//! [`crate::call::invoke`], and per-number replacements.
//!
//! A [`Hook`] sees every system call libsys makes — its number, its argument words and, for
//! declared wrappers, the [`Meta`] — and decides what the caller gets: the kernel's answer
//! ([`Call::real`], possibly after changing the arguments), a result of its own, or an
//! [`Errno`] without entering the kernel. It is FreeBSD libsys's interposing table, for Rust:
//!
//! - [`set_hook`] installs (or removes) the hook for every number;
//! - [`set_replacement`] installs (or removes) a hook for one number only, which takes
//!   precedence over the process-wide one for that number; the others pay nothing for it.
//!
//! Both are safe to call from any thread at any time: a call racing with an installation sees
//! either the old or the new hook. A hook may make system calls through libsys itself: while
//! a hook runs on a thread, that thread's libsys calls go straight to the kernel (with `std`
//! the flag is per thread; without `std` it is one process-wide flag, right for the
//! single-threaded programs that a no-libc binary usually is, and conservative otherwise: a
//! call of another thread made while a hook runs is not hooked).
//!
//! Cost (x86_64 figures from BENCHMARKS.md): with the feature off, nothing (the zero-cost
//! test). With it on and nothing installed, one relaxed load of the number's slot and a branch
//! predicted not taken (+3 instructions): each number has a slot of its own, which holds the
//! replacement for that number, or else the process-wide hook, or else the observer's mark, or
//! else nothing — so a replacement for one number costs the others nothing more.
//!
//! - An observer ([`set_observer`]): the call is made where it is made without one; then the
//!   words go from the registers into a [`Call`] in the caller's frame and one out-of-line
//!   function calls the observer (about 45 instructions, some 1–3 ns on a quiet machine).
//! - A hook that makes the call itself ([`Call::real`]): about 10 ns of its own; and where the
//!   kernel leaves the return-stack buffer useless on its way out, the `ret`s that follow the
//!   system call inside the hook are mispredicted (+40–50 ns when the caller's call was
//!   inlined; a call made through a function that is not inlined pays one such misprediction
//!   with or without a hook).
//!
//! ```
//! # #[cfg(feature = "hooks")] {
//! use sys_core::hook::{self, Call};
//! use sys_core::{Errno, RawRet, nr, syscall_readonly};
//!
//! // Refuse getppid without entering the kernel; let everything else through.
//! fn deny_getppid(_call: &mut Call) -> RawRet {
//!     Errno::EPERM.into()
//! }
//! // SAFETY: the hook returns results the callers can trust (an error).
//! unsafe { hook::set_replacement(nr::getppid, Some(deny_getppid)) };
//! // SAFETY: getppid writes no memory.
//! assert_eq!(unsafe { syscall_readonly!(nr::getppid) }, Err(Errno::EPERM));
//! // SAFETY: removing a replacement is always fine.
//! unsafe { hook::set_replacement(nr::getppid, None) };
//! assert!(unsafe { syscall_readonly!(nr::getppid) }.is_ok());
//! # }
//! ```

use crate::call::{Meta, RawRet};
use crate::errno::Errno;
use core::sync::atomic::{AtomicBool, AtomicPtr, Ordering};

/// A hook: called instead of the system call, it returns what the caller gets.
///
/// It runs on the calling thread, inside whatever the caller holds (a lock, a signal handler
/// if the call was made from one): keep it short and async-signal-safe if the program makes
/// system calls from signal handlers.
pub type Hook = fn(&mut Call<'_>) -> RawRet;

/// A system call as a hook sees it.
pub struct Call<'a> {
    nr: usize,
    len: usize,
    args: [usize; 6],
    meta: Option<&'static Meta>,
    /// How [`Call::real`] answers.
    how: How<'a>,
    /// Whether the last [`Call::real`] was answered by the vDSO (or, for a call told to an
    /// observer, whether it was).
    answered: AtomicBool,
}

/// How [`Call::real`] answers: the variants are what each way into the hooks knows.
#[derive(Clone, Copy)]
enum How<'a> {
    /// A call told to an observer: the result it already got.
    Told(RawRet),
    /// The same, for a call that stands for a vDSO function.
    ToldVdso(RawRet),
    /// A call that does not return, told to an observer before it is made.
    Before,
    /// The caller's own path for its number (with the `outline` feature, the number's stub),
    /// used when the hook left the number alone.
    Real(Real),
    /// A call that stands for a vDSO function: its number and how to make it.
    Vdso(usize, VdsoReal),
    /// A call made on someone else's behalf ([`on_behalf`]): made from the generic stub, or by
    /// the function given (a call that cannot simply be made again from a stub); while it runs
    /// the thread is not "in a hook" (a signal handler of the program's that runs during the
    /// call is the program's code).
    Behalf(Option<&'a Special<'a>>),
}

impl<'a> Call<'a> {
    #[inline(always)]
    fn new(
        nr: usize,
        args: [usize; 6],
        len: usize,
        meta: Option<&'static Meta>,
        how: How<'a>,
    ) -> Self {
        Call {
            nr,
            len,
            args,
            meta,
            how,
            answered: AtomicBool::new(false),
        }
    }
}

/// How a call made on someone else's behalf ([`on_behalf`]) is made when it cannot simply be
/// made again from the generic stub: given the number and the words, it returns the result.
#[doc(hidden)]
pub type Special<'a> = dyn Fn(usize, &[usize; 6]) -> usize + 'a;

/// How [`Call::real`] makes the call: from the number's own stub (a constant number: `nr` and
/// its stub) while the hook leaves the number alone, else from the generic stub. The stub is
/// called straight from [`Call::real`], which is inlined into the hook: after the kernel's
/// exit as few `ret`s run as can (each one whose `call` came before the system call is
/// mispredicted on machines whose kernel refills the return-stack buffer on exit).
#[doc(hidden)]
#[derive(Clone, Copy)]
pub struct Real {
    nr: usize,
    stub: Option<Stub>,
}

/// A constant number's stub.
type Stub = unsafe extern "C" fn(usize, usize, usize, usize, usize, usize) -> usize;

impl Real {
    /// For numbers known only at run time: the generic stub.
    pub(crate) const GENERIC: Real = Real { nr: 0, stub: None };

    /// For constant number `N`: its own stub.
    #[inline(always)]
    pub(crate) fn pinned<const N: usize>() -> Real {
        Real {
            nr: N,
            stub: Some(crate::stubs::pinned::<N>),
        }
    }

    /// Makes call `nr` with words `a`.
    ///
    /// # Safety
    /// As [`crate::call::invoke`].
    #[inline(always)]
    unsafe fn make(self, nr: usize, a: &[usize; 6]) -> usize {
        match self.stub {
            // SAFETY: forwarded from the caller.
            Some(stub) if nr == self.nr => unsafe { stub(a[0], a[1], a[2], a[3], a[4], a[5]) },
            // SAFETY: forwarded from the caller.
            _ => unsafe { real_dynamic(nr, a) },
        }
    }
}

/// How [`Call::real`] makes a call that stands for a vDSO function (sys-vdso's functions with
/// its `hooks` feature): from the argument words, the raw result (`-errno` for an error) and
/// whether the vDSO answered (`false`: the system call did).
#[doc(hidden)]
pub type VdsoReal = unsafe fn(&[usize; 6]) -> (usize, bool);

impl core::fmt::Debug for Call<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Call")
            .field("nr", &self.nr)
            .field("name", &crate::nr::name(self.nr))
            .field("args", &self.args())
            .field("meta", &self.meta)
            .field("vdso", &self.vdso())
            .finish()
    }
}

impl Call<'_> {
    /// The system call number.
    pub fn nr(&self) -> usize {
        self.nr
    }

    /// The argument words, in register order (64-bit values on 32-bit architectures take two
    /// words); as many as the caller passed.
    pub fn args(&self) -> &[usize] {
        self.args.get(..self.len).unwrap_or(&self.args)
    }

    /// What the declared wrapper says of the call (its name and argument names), `None` for
    /// raw [`syscall!`](crate::syscall) calls.
    pub fn meta(&self) -> Option<&'static Meta> {
        self.meta
    }

    /// The kernel's prototype of the call (argument names, C types, which pointers it reads or
    /// writes), for raw [`syscall!`](crate::syscall) calls as for declared ones: what a tracer
    /// shows where [`Call::meta`] is `None`.
    pub fn proto(&self) -> Option<&'static crate::proto::Proto> {
        crate::proto::by_nr(self.nr)
    }

    /// Changes the number the real call will use.
    ///
    /// # Safety
    /// The arguments must satisfy the new system call's contract (see [`crate::call`]), and
    /// its result must be one the caller's declaration can trust.
    pub unsafe fn set_nr(&mut self, nr: usize) {
        self.nr = nr;
    }

    /// Changes argument word `i` (`0..6`; past the caller's count it adds words). Out of range:
    /// nothing happens.
    ///
    /// # Safety
    /// The arguments must satisfy the system call's contract (see [`crate::call`]).
    pub unsafe fn set_arg(&mut self, i: usize, value: usize) {
        if let Some(w) = self.args.get_mut(i) {
            *w = value;
            self.len = self.len.max(i + 1);
        }
    }

    /// Makes the call with the current number and arguments and returns the kernel's answer.
    ///
    /// # Safety
    /// A call that the caller made once may not be safe to make twice (a second `close` of a
    /// descriptor closes someone else's): call this at most once per hook invocation unless
    /// the call is idempotent.
    ///
    /// For a call that stands for a vDSO function ([`Call::vdso`]), this runs the vDSO function
    /// (or the system call, where the vDSO cannot answer, as without a hook) unless the hook
    /// changed the number; [`Call::answered_by_vdso`] then says which answered.
    #[inline]
    pub unsafe fn real(&self) -> RawRet {
        match self.how {
            How::Told(r) | How::ToldVdso(r) => r,
            // An observer told of a call that does not return, which it must not make: as the
            // caller would have.
            // SAFETY: the caller of `invoke` upheld the contract for these words.
            How::Before => RawRet(unsafe { real_dynamic(self.nr, &self.args) }),
            How::Behalf(special) => {
                guard::leave();
                let r = match special {
                    Some(f) => f(self.nr, &self.args),
                    // SAFETY: as below.
                    None => unsafe { real_dynamic(self.nr, &self.args) },
                };
                let _ = guard::enter();
                RawRet(r)
            }
            How::Vdso(nr, vdso) if nr == self.nr => {
                // SAFETY: as below; the function is the caller's own path for these words.
                let (r, answered) = unsafe { vdso(&self.args) };
                self.answered.store(answered, Ordering::Relaxed);
                RawRet(r)
            }
            How::Vdso(..) => {
                self.answered.store(false, Ordering::Relaxed);
                // SAFETY: as below.
                RawRet(unsafe { real_dynamic(self.nr, &self.args) })
            }
            How::Real(real) => {
                // SAFETY: the caller of `invoke` upheld the contract for these words (or the
                // hook took it over with `set_nr`/`set_arg`); the hook's caller promises not to
                // repeat a call that cannot be repeated.
                RawRet(unsafe { real.make(self.nr, &self.args) })
            }
        }
    }

    /// Whether the call stands for a vDSO function (sys-vdso's `clock_gettime`, `getcpu`,
    /// `getrandom`, ... with its `hooks` feature): the caller may never enter the kernel, and
    /// `strace` would not see it. Its number and argument words are those of the system call
    /// it stands for, with pointers to the caller's (zeroed) results.
    pub fn vdso(&self) -> bool {
        matches!(self.how, How::Vdso(..) | How::ToldVdso(_))
    }

    /// After [`Call::real`]: whether the vDSO answered, rather than the kernel (always `false`
    /// for calls that do not stand for a vDSO function, and before `real`). A vDSO that makes
    /// the system call itself (qemu-user's) counts as answering.
    pub fn answered_by_vdso(&self) -> bool {
        self.answered.load(Ordering::Relaxed)
    }
}

impl From<Errno> for RawRet {
    /// The raw form of an error: what the kernel returns for it (`-errno`).
    fn from(e: Errno) -> RawRet {
        RawRet((e.raw() as isize).wrapping_neg() as usize)
    }
}

/// The first number with a slot of its own on this architecture (mips numbers its calls from
/// 4000 for o32 and 5000 for n64).
const BASE: usize = if cfg!(target_arch = "mips") {
    4000
} else if cfg!(target_arch = "mips64") {
    5000
} else {
    0
};
/// Slots: every number of every table sys-core knows lies in `BASE..BASE + SLOTS` (a test
/// checks it), except arm's private calls (`0x0f0001`…), which use [`OTHER`].
const SLOTS: usize = 512;

#[allow(
    clippy::declare_interior_mutable_const,
    reason = "an array initialiser"
)]
const EMPTY: AtomicPtr<()> = AtomicPtr::new(core::ptr::null_mut());
/// What each number's call runs: its replacement, else the process-wide hook, else null.
static SLOT: [AtomicPtr<()>; SLOTS] = [EMPTY; SLOTS];
/// The per-number replacements alone (to refill [`SLOT`] when the process-wide hook changes).
static REPLACED: [AtomicPtr<()>; SLOTS] = [EMPTY; SLOTS];
/// The slot of numbers outside the table: the process-wide hook, or the observer's mark.
static OTHER: AtomicPtr<()> = AtomicPtr::new(core::ptr::null_mut());
/// The process-wide hook ([`set_hook`]).
static HOOK: AtomicPtr<()> = AtomicPtr::new(core::ptr::null_mut());
/// The observer ([`set_observer`]).
static OBSERVER: AtomicPtr<()> = AtomicPtr::new(core::ptr::null_mut());
/// The value of a slot whose calls the observer sees (the call is made where it is made
/// without a hook, and the observer is told afterwards): `1`, which no function's address can
/// be (Linux never maps the first page, `vm.mmap_min_addr`), so that a call site compares the
/// slot with an immediate and loads nothing more.
#[inline(always)]
fn observed_mark() -> *mut () {
    core::ptr::without_provenance_mut(1)
}

/// Whether a slot's value means "tell the observer" rather than a [`Hook`].
#[doc(hidden)]
#[inline(always)]
pub fn is_observed(slot_value: *mut ()) -> bool {
    slot_value == observed_mark()
}

/// What a slot holds when its number has no replacement: the process-wide hook, else the
/// observer's mark, else nothing.
fn default_fill() -> *mut () {
    let hook = HOOK.load(Ordering::Relaxed);
    if !hook.is_null() {
        hook
    } else if !OBSERVER.load(Ordering::Relaxed).is_null() {
        observed_mark()
    } else {
        core::ptr::null_mut()
    }
}

/// Refills every slot after the process-wide hook or the observer changed (installing).
fn refill() {
    let fill = default_fill();
    OTHER.store(fill, Ordering::Release);
    for (slot, own) in SLOT.iter().zip(REPLACED.iter()) {
        let own = own.load(Ordering::Relaxed);
        slot.store(if own.is_null() { fill } else { own }, Ordering::Release);
    }
}
/// Serialises installations (rare); calls never take it.
static INSTALL: AtomicBool = AtomicBool::new(false);

/// The slot that a call of number `nr` loads.
#[inline(always)]
pub(crate) fn slot(nr: usize) -> &'static AtomicPtr<()> {
    match SLOT.get(nr.wrapping_sub(BASE)) {
        Some(s) => s,
        None => &OTHER,
    }
}

fn to_ptr(h: Option<Hook>) -> *mut () {
    h.map_or(core::ptr::null_mut(), |h| h as *mut ())
}

/// Runs `f` with installations serialised.
fn installing<R>(f: impl FnOnce() -> R) -> R {
    while INSTALL
        .compare_exchange_weak(false, true, Ordering::Acquire, Ordering::Relaxed)
        .is_err()
    {
        core::hint::spin_loop();
    }
    let r = f();
    INSTALL.store(false, Ordering::Release);
    r
}

/// Installs `hook` for every system call libsys makes (`None` removes it) and returns the one
/// it replaces. Numbers with a replacement of their own ([`set_replacement`]) keep it.
///
/// # Safety
/// The hook decides what every caller gets: it must return results that the callers'
/// declarations can trust (a descriptor only where the call returns one that nothing else
/// owns, a length no larger than the buffer, and so on), and make only calls that are sound.
pub unsafe fn set_hook(hook: Option<Hook>) -> Option<Hook> {
    let new = to_ptr(hook);
    installing(|| {
        let old = HOOK.swap(new, Ordering::AcqRel);
        refill();
        from_ptr(old)
    })
}

/// What an observer is told: the call as it was made and, after the kernel answered, its
/// result (`None` for a call that does not return, told before it is made: `exit_group`).
pub type Observer = fn(&Call<'_>, Option<RawRet>);

/// Installs `observer` (`None` removes it) and returns the one it replaces: it is told of every
/// call libsys makes after the call was made, and changes nothing. Unlike a [`Hook`], the call
/// is made where it is made without one (the caller's own code or stub), so observing costs the
/// observer's own work and little more: the tracer of sys-trace is one. A process-wide hook or
/// a number's replacement, where installed, takes precedence over it.
///
/// In an observer, [`Call::real`] returns the result already made (it does not make the call
/// again), except for a call that does not return, which an observer must not make.
pub fn set_observer(observer: Option<Observer>) -> Option<Observer> {
    let new = observer.map_or(core::ptr::null_mut(), |o| o as *mut ());
    installing(|| {
        let old = OBSERVER.swap(new, Ordering::AcqRel);
        refill();
        if old.is_null() {
            None
        } else {
            // SAFETY: every non-null value stored in OBSERVER came from an `Observer`.
            Some(unsafe { core::mem::transmute::<*mut (), Observer>(old) })
        }
    })
}

/// A call made by `invoke`, as its observer is told of it: built in the caller's frame, on the
/// path taken only with an observer installed, so that the words go straight from the
/// registers the system call used into the `Call`.
#[inline(always)]
pub(crate) fn told(
    nr: usize,
    args: [usize; 6],
    len: usize,
    meta: Option<&'static Meta>,
    ret: RawRet,
) -> Call<'static> {
    Call::new(nr, args, len, meta, How::Told(ret))
}

/// Tells the observer of a call made by `invoke` (cold: only with an observer installed).
#[cold]
#[inline(never)]
pub(crate) fn observed(call: &Call<'_>, ret: RawRet) {
    tell(call, Some(ret));
}

/// Tells the observer of a call that does not return, before it is made.
///
/// # Safety
/// The word is the call's, as the caller passed it.
#[doc(hidden)]
#[cold]
#[inline(never)]
pub unsafe fn observed_noreturn(meta: Option<&'static Meta>, nr: usize, a0: usize) {
    tell(
        &Call::new(nr, [a0, 0, 0, 0, 0, 0], 1, meta, How::Before),
        None,
    );
}

/// Runs the observer on `call` unless a hook or observer already runs on this thread.
#[inline(always)]
fn tell(call: &Call<'_>, made: Option<RawRet>) {
    if !guard::enter() {
        return;
    }
    /// Clears the flag however the observer ends.
    struct Leave;
    impl Drop for Leave {
        fn drop(&mut self) {
            guard::leave();
        }
    }
    let _leave = Leave;
    let p = OBSERVER.load(Ordering::Acquire);
    if !p.is_null() {
        // SAFETY: every non-null value stored in OBSERVER came from an `Observer`.
        let observer = unsafe { core::mem::transmute::<*mut (), Observer>(p) };
        observer(call, made);
    }
}

/// Installs `hook` for system call `nr` only (`None` removes it, and the process-wide hook, if
/// any, applies to `nr` again) and returns the replacement it replaces. Numbers outside this
/// architecture's table cannot have one: `Err(EINVAL)`.
///
/// # Safety
/// As for [`set_hook`], for the callers of `nr`.
pub unsafe fn set_replacement(nr: usize, hook: Option<Hook>) -> Result<Option<Hook>, Errno> {
    let i = nr.wrapping_sub(BASE);
    let (Some(slot), Some(own)) = (SLOT.get(i), REPLACED.get(i)) else {
        return Err(Errno::EINVAL);
    };
    let new = to_ptr(hook);
    Ok(installing(|| {
        let old = own.swap(new, Ordering::AcqRel);
        let fill = if new.is_null() { default_fill() } else { new };
        slot.store(fill, Ordering::Release);
        from_ptr(old)
    }))
}

fn from_ptr(p: *mut ()) -> Option<Hook> {
    if p.is_null() || is_observed(p) {
        None
    } else {
        // SAFETY: every non-null pointer stored in the tables came from a `Hook` (`to_ptr`).
        Some(unsafe { core::mem::transmute::<*mut (), Hook>(p) })
    }
}

/// Whether a hook is running on this thread (its libsys calls then bypass the hooks).
mod guard {
    #[cfg(feature = "std")]
    std::thread_local! {
        static IN_HOOK: core::cell::Cell<bool> = const { core::cell::Cell::new(false) };
    }

    /// Sets the flag; `false` if it was set already (a hook's own call).
    #[cfg(feature = "std")]
    pub(super) fn enter() -> bool {
        IN_HOOK.try_with(|f| !f.replace(true)).unwrap_or(false)
    }

    #[cfg(feature = "std")]
    pub(super) fn leave() {
        let _ = IN_HOOK.try_with(|f| f.set(false));
    }

    #[cfg(not(feature = "std"))]
    static IN_HOOK: core::sync::atomic::AtomicBool = core::sync::atomic::AtomicBool::new(false);

    /// A load and a store, not a swap (a locked instruction): the flag keeps a hook's own
    /// calls from recursing, and a race between threads at worst runs one hook more.
    #[cfg(not(feature = "std"))]
    pub(super) fn enter() -> bool {
        use core::sync::atomic::Ordering::Relaxed;
        if IN_HOOK.load(Relaxed) {
            return false;
        }
        IN_HOOK.store(true, Relaxed);
        true
    }

    #[cfg(not(feature = "std"))]
    pub(super) fn leave() {
        IN_HOOK.store(false, core::sync::atomic::Ordering::Release);
    }
}

/// The slow path of a hooked call: runs the hook in `hook` (the non-null value of the call's
/// slot), or, inside a hook already, makes the call directly. Inlined into [`dispatch_words`]
/// (one frame fewer to return through after the system call).
///
/// # Safety
/// As [`crate::call::invoke`]; `hook` is a value loaded from a slot.
#[inline(always)]
unsafe fn dispatch_inline(
    hook: *mut (),
    meta: Option<&'static Meta>,
    nr: usize,
    args: &[usize; 6],
    len: usize,
    real: Real,
) -> RawRet {
    let Some(hook) = from_ptr(hook) else {
        // SAFETY: forwarded from the caller.
        return RawRet(unsafe { real.make(nr, args) });
    };
    if !guard::enter() {
        // SAFETY: forwarded from the caller.
        return RawRet(unsafe { real.make(nr, args) });
    }
    let call = Call::new(nr, *args, len, meta, How::Real(real));
    run(hook, call)
}

/// Runs `hook` on `call` with the thread's flag set (the caller set it).
#[inline(always)]
fn run(hook: Hook, mut call: Call<'_>) -> RawRet {
    /// Clears the flag however the hook ends (a panic that unwinds included).
    struct Leave;
    impl Drop for Leave {
        fn drop(&mut self) {
            guard::leave();
        }
    }
    let _leave = Leave;
    hook(&mut call)
}

/// The hook slot that a call of number `nr` loads, loaded (one relaxed load; null: no hook).
/// For sys-vdso's functions, which check it before they call the vDSO.
#[doc(hidden)]
#[inline(always)]
pub fn installed(nr: usize) -> *mut () {
    slot(nr).load(Ordering::Relaxed)
}

/// The slow path of a vDSO function with a hook installed: runs the hook in `hook` (a non-null
/// value from [`installed`]) on a call of number `nr` whose [`Call::real`] runs `real`, or,
/// inside a hook already, runs `real` directly. For sys-vdso's functions.
///
/// # Safety
/// `args` (the first `len` words) must satisfy the contract of system call `nr` (see
/// [`crate::call`]), and `real` must make that call or an equivalent one (the vDSO function).
#[doc(hidden)]
#[cold]
#[inline(never)]
pub unsafe fn dispatch_vdso(
    hook: *mut (),
    nr: usize,
    args: &[usize; 6],
    len: usize,
    real: VdsoReal,
) -> RawRet {
    if is_observed(hook) {
        // SAFETY: forwarded from the caller.
        let (r, answered) = unsafe { real(args) };
        let call = Call::new(nr, *args, len, None, How::ToldVdso(RawRet(r)));
        call.answered.store(answered, Ordering::Relaxed);
        tell(&call, Some(RawRet(r)));
        return RawRet(r);
    }
    let Some(hook) = from_ptr(hook) else {
        // SAFETY: forwarded from the caller.
        return RawRet(unsafe { real(args) }.0);
    };
    if !guard::enter() {
        // SAFETY: forwarded from the caller.
        return RawRet(unsafe { real(args) }.0);
    }
    let call = Call::new(nr, *args, len, None, How::Vdso(nr, real));
    run(hook, call)
}

/// Runs the installed hook (the replacement for `nr`, else the process-wide hook) for a call
/// that someone else made (libsys's Syscall User Dispatch handler, for libc's calls), as
/// [`crate::call::invoke`] does for libsys's own: the hook sees `nr` and all six words, no
/// [`Meta`]; without a hook, or inside a hook already on this thread, the call is made
/// directly. `special` makes the call instead of the generic stub when it cannot simply be
/// made again from there (`rt_sigreturn`, `clone` of a thread, ...).
///
/// # Safety
/// As [`crate::call::invoke`]: the words satisfy the call's contract (they are the ones the
/// program passed); `special` upholds it too.
#[doc(hidden)]
pub unsafe fn on_behalf(nr: usize, args: &[usize; 6], special: Option<&Special<'_>>) -> RawRet {
    let direct = |nr: usize, a: &[usize; 6]| match special {
        Some(f) => f(nr, a),
        // SAFETY: forwarded from the caller.
        None => unsafe { real_dynamic(nr, a) },
    };
    let value = slot(nr).load(Ordering::Acquire);
    if is_observed(value) {
        let told = |made: Option<RawRet>| {
            Call::new(nr, *args, 6, None, made.map_or(How::Before, How::Told))
        };
        // Calls that do not come back here are told before they are made.
        #[cfg(target_arch = "x86")]
        let sigreturn = nr == crate::nr::sigreturn;
        #[cfg(not(target_arch = "x86"))]
        let sigreturn = false;
        let returns = !sigreturn
            && ![
                crate::nr::exit_group,
                crate::nr::exit,
                crate::nr::rt_sigreturn,
            ]
            .contains(&nr);
        if !returns {
            tell(&told(None), None);
        }
        let r = RawRet(direct(nr, args));
        if returns {
            tell(&told(Some(r)), Some(r));
        }
        return r;
    }
    let Some(hook) = from_ptr(value) else {
        return RawRet(direct(nr, args));
    };
    if !guard::enter() {
        return RawRet(direct(nr, args));
    }
    let mut call = Call::new(nr, *args, 6, None, How::Behalf(special));
    /// Clears the flag however the hook ends (a panic that unwinds included).
    struct Leave;
    impl Drop for Leave {
        fn drop(&mut self) {
            guard::leave();
        }
    }
    let _leave = Leave;
    hook(&mut call)
}

/// Clears this thread's in-a-hook flag: for a call made on someone else's behalf that does
/// not return to the hook (`rt_sigreturn` performed for the program, a new thread's start).
#[doc(hidden)]
pub fn leave_hook() {
    guard::leave();
}

/// Whether a hook is running on this thread (its calls then bypass the hooks).
#[doc(hidden)]
pub fn in_hook() -> bool {
    if guard::enter() {
        guard::leave();
        false
    } else {
        true
    }
}

/// The real call for a number known only at run time (and for hooks that change the number).
///
/// # Safety
/// As [`crate::call::invoke`].
pub(crate) unsafe fn real_dynamic(nr: usize, a: &[usize; 6]) -> usize {
    // SAFETY: forwarded from the caller; words past the call's count are zero or ignored by
    // the kernel.
    unsafe { crate::stubs::generic(nr, a[0], a[1], a[2], a[3], a[4], a[5]) }
}

/// The slow path of a hooked call, with the words as separate arguments: what `invoke` calls,
/// so that the words stay in registers on the path without a hook (an array whose address is
/// taken there would be stored to the stack on every call, hook or not).
///
/// # Safety
/// As [`crate::call::invoke`]; `hook` is a value loaded from a slot.
#[cold]
#[inline(never)]
#[allow(
    clippy::too_many_arguments,
    reason = "the six words travel in registers"
)]
pub(crate) unsafe fn dispatch_words(
    hook: *mut (),
    meta: Option<&'static Meta>,
    nr: usize,
    len: usize,
    real: Real,
    a0: usize,
    a1: usize,
    a2: usize,
    a3: usize,
    a4: usize,
    a5: usize,
) -> RawRet {
    // SAFETY: forwarded from the caller.
    unsafe { dispatch_inline(hook, meta, nr, &[a0, a1, a2, a3, a4, a5], len, real) }
}
