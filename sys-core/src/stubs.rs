//! The out-of-line system call stubs themselves: one per constant number (`pinned::<N>`), one
//! for numbers known at run time (`generic`), and their `noreturn` twins, all in the
//! `libsys_stubs` section with a manifest entry each (see [`crate::outline`] for the layout and
//! what they are for). Compiled with the `outline` feature, where every call goes through them,
//! and with `hooks`, where a hook's `Call::real` makes its call through them (on x86 their way
//! back avoids a `ret` right after the kernel's exit, which is mispredicted).

#[cfg(not(any(target_arch = "x86_64", target_arch = "x86")))]
use crate::arch;

/// The manifest word of the generic stub (numbers known only at run time).
pub(crate) const GENERIC: usize = 0xFFFF_FFFF;

// x86_64 and x86 define their stubs in their arch files, as naked functions (their way back
// avoids a `ret` right after the kernel's exit); elsewhere they are Rust functions around the
// architecture's `syscall6_site`/`syscall1_noreturn_site`.
#[cfg(any(target_arch = "x86_64", target_arch = "x86"))]
pub(crate) use crate::arch::{generic, pinned};
#[cfg(all(feature = "outline", any(target_arch = "x86_64", target_arch = "x86")))]
pub(crate) use crate::arch::{generic_noreturn, pinned_noreturn};

/// Number `N`'s stub: the only instruction from which libsys makes system call `N`.
///
/// # Safety
/// See [`crate::call`]: the caller upholds the system call's contract.
#[cfg(not(any(target_arch = "x86_64", target_arch = "x86")))]
#[inline(never)]
#[unsafe(link_section = "libsys_stubs")]
#[allow(clippy::too_many_arguments, reason = "six argument registers")]
pub(crate) unsafe extern "C" fn pinned<const N: usize>(
    a0: usize,
    a1: usize,
    a2: usize,
    a3: usize,
    a4: usize,
    a5: usize,
) -> usize {
    // SAFETY: forwarded from the caller.
    unsafe { arch::syscall6_site::<N>(N, a0, a1, a2, a3, a4, a5) }
}

/// The generic stub, for numbers known only at run time.
///
/// # Safety
/// See [`crate::call`]: the caller upholds the system call's contract.
#[cfg(not(any(target_arch = "x86_64", target_arch = "x86")))]
#[inline(never)]
#[unsafe(link_section = "libsys_stubs")]
#[allow(
    clippy::too_many_arguments,
    reason = "the number and six argument registers"
)]
pub(crate) unsafe extern "C" fn generic(
    nr: usize,
    a0: usize,
    a1: usize,
    a2: usize,
    a3: usize,
    a4: usize,
    a5: usize,
) -> usize {
    // SAFETY: forwarded from the caller.
    unsafe { arch::syscall6_site::<GENERIC>(nr, a0, a1, a2, a3, a4, a5) }
}

/// Number `N`'s stub for calls that do not return (`exit`, `exit_group`).
///
/// # Safety
/// See [`crate::call`]; `N` must be a call that does not return.
#[cfg(all(
    feature = "outline",
    not(any(target_arch = "x86_64", target_arch = "x86"))
))]
#[inline(never)]
#[unsafe(link_section = "libsys_stubs")]
pub(crate) unsafe extern "C" fn pinned_noreturn<const N: usize>(a0: usize) -> ! {
    // SAFETY: forwarded from the caller.
    unsafe { arch::syscall1_noreturn_site::<N>(N, a0) }
}

/// The generic stub for calls that do not return.
///
/// # Safety
/// See [`crate::call`]; `nr` must be a call that does not return.
#[cfg(all(
    feature = "outline",
    not(any(target_arch = "x86_64", target_arch = "x86"))
))]
#[inline(never)]
#[unsafe(link_section = "libsys_stubs")]
pub(crate) unsafe extern "C" fn generic_noreturn(nr: usize, a0: usize) -> ! {
    // SAFETY: forwarded from the caller.
    unsafe { arch::syscall1_noreturn_site::<GENERIC>(nr, a0) }
}
