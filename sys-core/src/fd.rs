//! File descriptor helpers: `AT_FDCWD` and, with the `std` feature, a `BorrowedFd` for it.
//!
//! Facts: `AT_FDCWD` is -100 on every architecture (`include/uapi/linux/fcntl.h`); the `*at`
//! system calls (`openat(2)`) read it as "relative to the current working directory".

/// The `dirfd` value that makes `openat` and the other `*at` calls resolve a relative path
/// against the current working directory.
pub const AT_FDCWD: i32 = -100;

/// The current working directory as a `dirfd` for `*at` calls: a `BorrowedFd` holding
/// [`AT_FDCWD`].
///
/// ```
/// use std::os::fd::AsRawFd;
/// assert_eq!(sys_core::fd::cwd().as_raw_fd(), -100);
/// ```
#[cfg(feature = "std")]
#[inline]
pub fn cwd() -> std::os::fd::BorrowedFd<'static> {
    // SAFETY: `borrow_raw` requires a value other than -1 that stays valid for the lifetime;
    // AT_FDCWD is not a descriptor that can be closed, it is a constant the kernel always
    // accepts as a `dirfd`, for the whole life of the process.
    unsafe { std::os::fd::BorrowedFd::borrow_raw(AT_FDCWD) }
}
