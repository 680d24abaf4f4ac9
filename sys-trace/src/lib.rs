//! An strace-style tracer for the system calls libsys makes: one line per call, in strace's
//! format, to stderr, a descriptor or a lock-free ring in memory.
//!
//! Facts: strace 6.1's output (the oracle test runs the same program under strace and
//! compares), the calls' man pages (section 2), the kernel's uapi headers through the libc
//! crate's constants for the target.
//!
//! ```text
//! openat(AT_FDCWD, "/etc/hostname", O_RDONLY|O_CLOEXEC) = 3
//! read(3, "myhost\n", 4096) = 7
//! close(-1) = -1 EBADF (Bad file descriptor)
//! ```
//!
//! - [`format()`] prints one call from its number, argument words and result: pure, always
//!   compiled, for any number (calls without a decoder get their words in hex).
//! - [`Sink`]: stderr, a descriptor (one `write` per line), or [`RING`], a lock-free
//!   [`ring::Ring`] of fixed slots read with a [`ring::Reader`].
//! - With the `hooks` feature, `start` installs the tracer as sys-core's process-wide hook,
//!   `stop` removes it, and `from_env` starts it when `LIBSYS_TRACE` says so (`1`/`stderr`,
//!   `fd:N`, `ring`, `count`), in the environment the process started with (the initial stack's
//!   `envp` that sys-auxv captured, else `/proc/self/environ`, as on musl).
//! - With `std` as well, each thread's id (`[pid N]` on the lines of threads other than the
//!   main one) is read once per thread and again after a fork; without it, once per line.
//!
//! Tracing never allocates: a line is formatted in a 1 KiB stack buffer (a longer one is cut
//! and ends in `...`), then written with one system call or copied into the ring.
//!
//! ```
//! use sys_trace::{LineBuf, format};
//! use sys_core::{Errno, RawRet, nr};
//!
//! let mut line = LineBuf::<128>::new();
//! let ebadf = RawRet((Errno::EBADF.raw() as isize).wrapping_neg() as usize);
//! // SAFETY: no pointer arguments.
//! unsafe { format(&mut line, nr::close, &[-1isize as usize], Some(ebadf)) }?;
//! assert_eq!(line.as_bytes(), b"close(-1) = -1 EBADF (Bad file descriptor)");
//! # Ok::<(), core::fmt::Error>(())
//! ```
#![no_std]

#[cfg(any(test, feature = "std"))]
extern crate std;

mod buf;
mod escape;
mod flags;
mod format;
mod generated {
    pub(crate) mod messages;
}
pub mod ring;
mod sink;
mod table;
#[cfg(feature = "hooks")]
mod tracer;

pub use buf::LineBuf;
pub use escape::MAX_STRLEN;
pub use format::{errno, format};
pub use sink::{RING, Sink};
#[cfg(feature = "hooks")]
pub use tracer::{Mode, calls, from_env, parse_env, start, stop};
