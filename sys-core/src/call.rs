//! The one entry point through which every system call made with sys-core passes.
//!
//! [`syscall!`](crate::syscall), the `#[syscall]` wrappers of sys-macros and everything else
//! in libsys end in [`invoke`] (or its twin [`invoke_noreturn`] for calls that do not return);
//! declared wrappers also pass a [`Meta`] naming the call and its arguments. Features that
//! observe or restrict system calls (a tracing or sandboxing hook, out-of-line stubs in one
//! linker section for seccomp pinning) switch this one function under a cargo feature; callers
//! never change, and with the features off it inlines to the bare instruction.
//!
//! # Safety contract of every function here
//! A system call can do anything the kernel allows: unmap memory Rust is using, close a file
//! descriptor that something owns, write through any pointer argument, end the process. The
//! caller must pass a number and arguments for which the call, as documented in its man page for
//! this architecture, does not violate Rust's rules: pointers valid for the reads and writes the
//! kernel will do, file descriptors the caller may use that way, and no unmapping or changing of
//! memory that Rust code still relies on. The `_readonly` forms also promise that the syscall
//! writes no memory visible to Rust.

#[cfg(not(feature = "outline"))]
use crate::arch;
use crate::arg::{Arg, Words, packed_len};
use crate::errno::Errno;

/// The raw value a system call returned, before it is decoded.
///
/// The generic convention holds on every architecture (the flag-based ones are normalised in
/// their asm): a value in `-4095..=-1` is a negated errno.
#[must_use = "a system call's result says whether it failed"]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(transparent)]
pub struct RawRet(pub usize);

impl RawRet {
    /// Decodes the kernel's convention: `Err` for `-4095..=-1`, `Ok` otherwise.
    #[inline(always)]
    pub fn result(self) -> Result<usize, Errno> {
        if self.0 > (-4096isize) as usize {
            Err(Errno::from_ret(self.0))
        } else {
            Ok(self.0)
        }
    }

    /// The value as is, for system calls that cannot fail (`getpid`, `getppid`, `gettid`).
    #[inline(always)]
    pub fn value(self) -> usize {
        self.0
    }
}

/// What a declared wrapper (`#[syscall]` in sys-macros) knows about its system call: the name,
/// the argument names and what each argument is, kept in a `static` by the expansion and
/// handed to [`invoke`] for hooks and tracers (feature `hooks`). Without a hook nothing reads
/// it, so it costs nothing.
#[derive(Debug)]
pub struct Meta {
    /// The system call's name (`"openat"`).
    pub name: &'static str,
    /// The declared argument names, in order (`["dirfd", "path", "flags", "mode"]`).
    pub args: &'static [&'static str],
    /// What each declared argument is, in the same order as `args` (a slice is one argument
    /// here and two words in the call: pointer and length).
    pub kinds: &'static [ArgKind],
}

/// What a declared argument is, as its declaration says, for a tracer to show it decoded.
///
/// Decided by `#[syscall]` from the Rust type, and for integers from the name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ArgKind {
    /// An integer value.
    Int,
    /// An integer of flag bits or a mode (named `flags`, `mode`, `prot`, `how`, `options`, or
    /// ending in `flags`).
    Flags,
    /// A file descriptor (`BorrowedFd`, `RawFd`, or an integer named `fd`, `dirfd`, `dfd` or
    /// ending in `fd`).
    Fd,
    /// A NUL-terminated string (`&CStr`, `Option<&CStr>`): a path or a name.
    Path,
    /// A buffer the kernel reads: `&[T]`, passed as pointer and length.
    BufIn,
    /// A buffer the kernel writes: `&mut [T]`, passed as pointer and length.
    BufOut,
    /// A pointer to memory the kernel reads (`&T`, `*const T`, `Option<&T>`).
    PtrIn,
    /// A pointer to memory the kernel may write (`&mut T`, `*mut T`, `Option<&mut T>`).
    PtrOut,
    /// Anything else (a type of the caller's own that implements `Arg`).
    Other,
}

/// A system call number as the callers of [`invoke`] give it: a constant ([`Const`], what
/// [`syscall!`](crate::syscall) makes of a path such as `nr::write` or a literal, and what the
/// `#[syscall]` wrappers pass) or a `usize` known only at run time.
///
/// The difference matters only with the `outline` feature, where a constant number gets a stub
/// of its own (the `outline` module); without it both compile to the same instruction.
pub trait Number: Copy + sealed::Sealed {
    /// The number.
    fn get(self) -> usize;

    /// Makes the call from this number's out-of-line stub.
    ///
    /// # Safety
    /// See the [module documentation](self).
    #[cfg(feature = "outline")]
    #[doc(hidden)]
    unsafe fn outline(self, a: &[usize; 6]) -> usize;

    /// Makes a call that does not return from this number's out-of-line stub.
    ///
    /// # Safety
    /// See the [module documentation](self); the call must not return.
    #[cfg(feature = "outline")]
    #[doc(hidden)]
    unsafe fn outline_noreturn(self, a0: usize) -> !;

    /// The hook slot calls of this number load.
    #[cfg(feature = "hooks")]
    #[doc(hidden)]
    fn slot(self) -> &'static core::sync::atomic::AtomicPtr<()>;

    /// How a hook's `hook::Call::real` makes this number's call.
    #[cfg(feature = "hooks")]
    #[doc(hidden)]
    fn real() -> crate::hook::Real;
}

mod sealed {
    pub trait Sealed {}
    impl Sealed for usize {}
    impl<const N: usize> Sealed for super::Const<N> {}
}

/// A system call number known at compile time: `Const::<{ nr::write }>`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Const<const N: usize>;

impl Number for usize {
    #[inline(always)]
    fn get(self) -> usize {
        self
    }

    #[cfg(feature = "outline")]
    #[inline(always)]
    unsafe fn outline(self, a: &[usize; 6]) -> usize {
        // SAFETY: forwarded from the caller.
        unsafe { crate::stubs::generic(self, a[0], a[1], a[2], a[3], a[4], a[5]) }
    }

    #[cfg(feature = "outline")]
    #[inline(always)]
    unsafe fn outline_noreturn(self, a0: usize) -> ! {
        // SAFETY: forwarded from the caller.
        unsafe { crate::stubs::generic_noreturn(self, a0) }
    }

    #[cfg(feature = "hooks")]
    #[inline(always)]
    fn slot(self) -> &'static core::sync::atomic::AtomicPtr<()> {
        crate::hook::slot(self)
    }

    #[cfg(feature = "hooks")]
    #[inline(always)]
    fn real() -> crate::hook::Real {
        crate::hook::Real::GENERIC
    }
}

impl<const N: usize> Number for Const<N> {
    #[inline(always)]
    fn get(self) -> usize {
        N
    }

    #[cfg(feature = "outline")]
    #[inline(always)]
    unsafe fn outline(self, a: &[usize; 6]) -> usize {
        // SAFETY: forwarded from the caller.
        unsafe { crate::stubs::pinned::<N>(a[0], a[1], a[2], a[3], a[4], a[5]) }
    }

    #[cfg(feature = "outline")]
    #[inline(always)]
    unsafe fn outline_noreturn(self, a0: usize) -> ! {
        // SAFETY: forwarded from the caller.
        unsafe { crate::stubs::pinned_noreturn::<N>(a0) }
    }

    #[cfg(feature = "hooks")]
    #[inline(always)]
    fn slot(self) -> &'static core::sync::atomic::AtomicPtr<()> {
        crate::hook::slot(N)
    }

    #[cfg(feature = "hooks")]
    #[inline(always)]
    fn real() -> crate::hook::Real {
        crate::hook::Real::pinned::<N>()
    }
}

/// Makes system call `nr` with the arguments laid out in `w`. The one switch point.
///
/// `meta` describes the call when it comes from a declared wrapper, `None` for [`syscall!`]
/// and the plain `callN` forms. It is unused for now: a later hook or tracing feature reads it
/// here, behind a cargo feature, and with the feature off it inlines away.
///
/// Without the `outline` feature the instruction is inlined here; with it, the call goes to
/// the number's stub in the `libsys_stubs` section (the `outline` module), which costs a call and
/// a return (`READONLY` is then moot: the compiler sees an ordinary call).
///
/// # Safety
/// See the [module documentation](self).
#[doc(hidden)]
#[inline(always)]
pub unsafe fn invoke<const READONLY: bool, N: Number>(
    meta: Option<&'static Meta>,
    nr: N,
    w: &Words,
) -> RawRet {
    let _ = meta;
    #[cfg(feature = "hooks")]
    {
        let hook = nr.slot().load(core::sync::atomic::Ordering::Relaxed);
        if !hook.is_null() {
            let a = w.w;
            if crate::hook::is_observed(hook) {
                // The call is made here, as without a hook; the observer is told afterwards.
                // SAFETY: forwarded from the caller.
                let r = unsafe { make::<READONLY, N>(nr, w) };
                crate::hook::observed(&crate::hook::told(nr.get(), a, w.len, meta, r), r);
                return r;
            }
            // SAFETY: forwarded from the caller.
            return unsafe {
                crate::hook::dispatch_words(
                    hook,
                    meta,
                    nr.get(),
                    w.len,
                    N::real(),
                    a[0],
                    a[1],
                    a[2],
                    a[3],
                    a[4],
                    a[5],
                )
            };
        }
    }
    // SAFETY: forwarded from the caller.
    unsafe { make::<READONLY, N>(nr, w) }
}

/// The call itself, as [`invoke`] makes it without a hook: inline, or from the number's stub
/// with `outline`.
///
/// # Safety
/// See the [module documentation](self).
#[inline(always)]
unsafe fn make<const READONLY: bool, N: Number>(nr: N, w: &Words) -> RawRet {
    #[cfg(feature = "outline")]
    {
        // SAFETY: forwarded from the caller; unused words are zero.
        RawRet(unsafe { nr.outline(&w.w) })
    }
    #[cfg(not(feature = "outline"))]
    {
        let nr = nr.get();
        let a = w.w;
        // SAFETY: the caller upholds the syscall's contract (module docs); the arch primitive
        // passes the words in the registers the kernel reads them from.
        let r = unsafe {
            match (w.len, READONLY) {
                (0, false) => arch::syscall0(nr),
                (0, true) => arch::syscall0_readonly(nr),
                (1, false) => arch::syscall1(nr, a[0]),
                (1, true) => arch::syscall1_readonly(nr, a[0]),
                (2, false) => arch::syscall2(nr, a[0], a[1]),
                (2, true) => arch::syscall2_readonly(nr, a[0], a[1]),
                (3, false) => arch::syscall3(nr, a[0], a[1], a[2]),
                (3, true) => arch::syscall3_readonly(nr, a[0], a[1], a[2]),
                (4, false) => arch::syscall4(nr, a[0], a[1], a[2], a[3]),
                (4, true) => arch::syscall4_readonly(nr, a[0], a[1], a[2], a[3]),
                (5, false) => arch::syscall5(nr, a[0], a[1], a[2], a[3], a[4]),
                (5, true) => arch::syscall5_readonly(nr, a[0], a[1], a[2], a[3], a[4]),
                (6, false) => arch::syscall6(nr, a[0], a[1], a[2], a[3], a[4], a[5]),
                (6, true) => arch::syscall6_readonly(nr, a[0], a[1], a[2], a[3], a[4], a[5]),
                // Ruled out at compile time by the `const` checks of the callers below.
                _ => Errno::E2BIG.raw_ret(),
            }
        };
        RawRet(r)
    }
}

/// Defines one `callN` function: `$ro` selects the `readonly` primitives, `$meta` (when
/// given) names a leading `&'static Meta` parameter passed on to [`invoke`].
macro_rules! call_fn {
    ($(#[$doc:meta])* $name:ident, $ro:literal, ($($meta:ident)?), ($($arg:ident: $ty:ident),*)) => {
        $(#[$doc])*
        #[inline(always)]
        #[allow(clippy::too_many_arguments, reason = "six syscall arguments, the number and the meta")]
        pub unsafe fn $name<Nr: Number, $($ty: Arg),*>(
            $($meta: &'static Meta,)? nr: Nr, $($arg: $ty),*
        ) -> RawRet {
            const { assert!(packed_len(&[$($ty::WIDE),*]) <= 6, "a system call takes at most six argument registers (64-bit values count twice on 32-bit architectures)") };
            #[allow(unused_mut, reason = "the zero-argument form pushes nothing")]
            let mut w = Words::new();
            $(w.push($arg);)*
            // SAFETY: forwarded from the caller.
            unsafe { invoke::<$ro, Nr>(call_fn!(@meta $($meta)?), nr, &w) }
        }
    };
    (@meta) => { None };
    (@meta $meta:ident) => { Some($meta) };
}

macro_rules! arities {
    ($($name:ident, $ro:ident, $name_meta:ident, $ro_meta:ident: ($($arg:ident: $ty:ident),*);)*) => {$(
        call_fn! {
            /// Makes a system call with this many arguments (64-bit values on 32-bit
            /// architectures take a register pair; at most six words in all, checked at
            /// compile time).
            ///
            /// # Safety
            /// See the [module documentation](self).
            $name, false, (), ($($arg: $ty),*)
        }
        call_fn! {
            /// As the plain form, for system calls that write no memory visible to Rust.
            ///
            /// # Safety
            /// See the [module documentation](self); the syscall must not write memory.
            $ro, true, (), ($($arg: $ty),*)
        }
        call_fn! {
            /// As the plain form, with the call's [`Meta`] (the form `#[syscall]` wrappers use).
            ///
            /// # Safety
            /// See the [module documentation](self).
            $name_meta, false, (meta), ($($arg: $ty),*)
        }
        call_fn! {
            /// As the `readonly` form, with the call's [`Meta`].
            ///
            /// # Safety
            /// See the [module documentation](self); the syscall must not write memory.
            $ro_meta, true, (meta), ($($arg: $ty),*)
        }
    )*};
}

arities! {
    call0, call0_readonly, call0_meta, call0_readonly_meta: ();
    call1, call1_readonly, call1_meta, call1_readonly_meta: (a: A);
    call2, call2_readonly, call2_meta, call2_readonly_meta: (a: A, b: B);
    call3, call3_readonly, call3_meta, call3_readonly_meta: (a: A, b: B, c: C);
    call4, call4_readonly, call4_meta, call4_readonly_meta: (a: A, b: B, c: C, d: D);
    call5, call5_readonly, call5_meta, call5_readonly_meta: (a: A, b: B, c: C, d: D, e: E);
    call6, call6_readonly, call6_meta, call6_readonly_meta: (a: A, b: B, c: C, d: D, e: E, f: F);
}

/// Makes a system call that does not return. The twin of [`invoke`] for `noreturn` calls, and
/// their one switch point in the same way.
///
/// # Safety
/// See the [module documentation](self); `nr` must be a call that does not return.
#[doc(hidden)]
#[inline(always)]
pub unsafe fn invoke_noreturn<N: Number>(meta: Option<&'static Meta>, nr: N, a0: usize) -> ! {
    let _ = meta;
    #[cfg(feature = "hooks")]
    {
        let hook = nr.slot().load(core::sync::atomic::Ordering::Relaxed);
        if crate::hook::is_observed(hook) {
            // SAFETY: the word is the caller's.
            unsafe { crate::hook::observed_noreturn(meta, nr.get(), a0) };
        } else if !hook.is_null() {
            // The hook sees the call (and may make it); if it returns, the call is made.
            // SAFETY: forwarded from the caller.
            let _ = unsafe {
                crate::hook::dispatch_words(hook, meta, nr.get(), 1, N::real(), a0, 0, 0, 0, 0, 0)
            };
        }
    }
    #[cfg(feature = "outline")]
    {
        // SAFETY: forwarded from the caller.
        unsafe { nr.outline_noreturn(a0) }
    }
    #[cfg(not(feature = "outline"))]
    {
        // SAFETY: forwarded from the caller.
        unsafe { arch::syscall1_noreturn(nr.get(), a0) }
    }
}

/// Makes a one-argument system call that does not return (`exit`, `exit_group`). If the kernel
/// returns anyway, an architecture trap instruction ends the process.
///
/// # Safety
/// See the [module documentation](self); `nr` must be a call that does not return.
#[inline(always)]
pub unsafe fn call1_noreturn<Nr: Number, A: Arg>(nr: Nr, a: A) -> ! {
    const {
        assert!(
            !A::WIDE || cfg!(target_pointer_width = "64"),
            "pass a register-sized value"
        )
    };
    // SAFETY: forwarded from the caller.
    unsafe { invoke_noreturn(None, nr, a.into_bits() as usize) }
}

/// As [`call1_noreturn`], with the call's [`Meta`] (the form `#[syscall]` wrappers use).
///
/// # Safety
/// See the [module documentation](self); `nr` must be a call that does not return.
#[inline(always)]
pub unsafe fn call1_noreturn_meta<Nr: Number, A: Arg>(meta: &'static Meta, nr: Nr, a: A) -> ! {
    const {
        assert!(
            !A::WIDE || cfg!(target_pointer_width = "64"),
            "pass a register-sized value"
        )
    };
    // SAFETY: forwarded from the caller.
    unsafe { invoke_noreturn(Some(meta), nr, a.into_bits() as usize) }
}
