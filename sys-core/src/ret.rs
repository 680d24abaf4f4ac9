//! Conversion of a system call's successful return value into the Rust type a wrapper returns.
//!
//! Facts: on success the kernel returns a non-negative `long` (a count, a file descriptor, an
//! address for `mmap`/`brk`, 0); errors are decoded before this by [`RawRet::result`]
//! (`syscall(2)`, "Return value").

use crate::call::RawRet;
use crate::errno::Errno;

/// A type a system call's successful return value converts into, as `#[syscall]` wrappers
/// declared with `-> Result<T, Errno>` or `-> T` use it.
///
/// Implemented for every integer type (truncating to the type's width, sign-extending for
/// signed types), `()`, raw pointers, and (feature `std`) `OwnedFd`. Implement it for your own
/// types:
///
/// ```
/// use sys_core::ret::FromRet;
///
/// /// A process id.
/// pub struct Pid(u32);
///
/// impl FromRet for Pid {
///     unsafe fn from_ret(value: usize) -> Self {
///         Pid(value as u32)
///     }
/// }
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be returned by a system call wrapper",
    label = "`FromRet` is not implemented for `{Self}`",
    note = "supported: integers, `()`, raw pointers, `OwnedFd` (feature `std`), and types that implement `sys_core::ret::FromRet`"
)]
pub trait FromRet: Sized {
    /// Converts the value a system call returned on success.
    ///
    /// # Safety
    /// `value` is what the system call returned on success, and the declaration of the call
    /// says what it means: an `OwnedFd`, for example, may only be built from a descriptor the
    /// call handed to the caller, which nothing else owns.
    unsafe fn from_ret(value: usize) -> Self;
}

macro_rules! unsigned {
    ($($t:ty),*) => {$(
        impl FromRet for $t {
            #[inline(always)]
            unsafe fn from_ret(value: usize) -> Self {
                value as $t
            }
        }
    )*};
}
unsigned!(u8, u16, u32, u64, usize);

macro_rules! signed {
    ($($t:ty),*) => {$(
        impl FromRet for $t {
            #[inline(always)]
            unsafe fn from_ret(value: usize) -> Self {
                // The kernel's `long`: sign-extend from the register width.
                value as isize as $t
            }
        }
    )*};
}
signed!(i8, i16, i32, i64, isize);

impl FromRet for () {
    #[inline(always)]
    unsafe fn from_ret(_: usize) -> Self {}
}

impl<T> FromRet for *const T {
    #[inline(always)]
    unsafe fn from_ret(value: usize) -> Self {
        core::ptr::with_exposed_provenance(value)
    }
}

impl<T> FromRet for *mut T {
    #[inline(always)]
    unsafe fn from_ret(value: usize) -> Self {
        core::ptr::with_exposed_provenance_mut(value)
    }
}

#[cfg(feature = "std")]
impl FromRet for std::os::fd::OwnedFd {
    #[inline(always)]
    unsafe fn from_ret(value: usize) -> Self {
        use std::os::fd::FromRawFd;
        // SAFETY: the caller guarantees that the call returned a descriptor it now owns
        // (`open`, `dup`, `socket`, …); a successful return is in `0..=i32::MAX`, never -1.
        unsafe { Self::from_raw_fd(value as i32) }
    }
}

/// Decodes a fallible call's result: `Err` for the kernel's `-4095..=-1`, else the converted
/// value. The expansion of `-> Result<T, Errno>` wrappers.
///
/// # Safety
/// As [`FromRet::from_ret`].
#[doc(hidden)]
#[inline(always)]
pub unsafe fn decode<T: FromRet>(raw: RawRet) -> Result<T, Errno> {
    match raw.result() {
        // SAFETY: forwarded from the caller.
        Ok(v) => Ok(unsafe { T::from_ret(v) }),
        Err(e) => Err(e),
    }
}

/// Converts an infallible call's result as is (see [`RawRet::value`]). The expansion of
/// `-> T` wrappers.
///
/// # Safety
/// As [`FromRet::from_ret`]; the call cannot fail.
#[doc(hidden)]
#[inline(always)]
pub unsafe fn decode_value<T: FromRet>(raw: RawRet) -> T {
    // SAFETY: forwarded from the caller.
    unsafe { T::from_ret(raw.value()) }
}
