//! libsys: system calls, vDSO access and the ELF auxiliary vector for Rust, outside libc.
//!
//! This facade re-exports the workspace crates:
//! - [`sys_core`]: raw system calls for every architecture, numbers, [`Errno`];
//! - `sys_macros`: [`#[syscall]`](macro@syscall) and [`#[syscalls]`](macro@syscalls), wrappers
//!   declared from a signature;
//! - [`sys_auxv`]: the auxiliary vector;
//! - [`sys_vdso`]: vDSO-backed clocks and friends;
//! - [`sys_rt`]: process start-up without libc: the entry point behind `#[libsys::main]`
//!   (feature `start`), [`Args`] and [`Env`];
//! - [`uapi`]: the kernel's constants and structures for the target architecture, from its
//!   uapi headers (linux-raw-sys), usable in declarations (`tp: &mut
//!   uapi::general::__kernel_timespec`).
//!
//! Which call to declare for an operation on each architecture (`_llseek`, `ftruncate64`,
//! `mmap2`, `sendfile64`, the `*_time64` calls, `getuid32`, `clone`'s order) is in the
//! repository's `docs/per-arch.md`, generated from the same tables the macro checks against.
//!
//! ```
//! use libsys::{syscall, Errno};
//! use core::ffi::CStr;
//!
//! /// Opens a file relative to a directory (`fd::AT_FDCWD`: the working directory).
//! #[syscall]
//! pub unsafe fn openat(dirfd: i32, path: &CStr, flags: u32, mode: u32) -> Result<i32, Errno>;
//!
//! // SAFETY: the path is a valid C string; a missing file leaves nothing open.
//! let r = unsafe { openat(libsys::fd::AT_FDCWD, c"/no/such/file", 0, 0) };
//! assert_eq!(r, Err(Errno::ENOENT));
//! ```
//!
//! The raw macros, for a call without a declaration, are in [`raw`]:
//!
//! ```
//! use libsys::{nr, raw::syscall, Errno};
//!
//! // SAFETY: closing a descriptor that does not exist touches nothing.
//! assert_eq!(unsafe { syscall!(nr::close, -1) }, Err(Errno::EBADF));
//! ```
//!
//! # Features
//! - `std`: `From<Errno> for std::io::Error`, and the file-descriptor types of `std::os::fd`
//!   in wrappers: `BorrowedFd` arguments, `OwnedFd` results, `fd::cwd()`. Off by default so that
//!   libsys stays `no_std`; `RawFd`/`i32` descriptors work without it.
//! - `start`: [`#[libsys::main]`](macro@main) and the process entry point, for `#![no_std]`
//!   `#![no_main]` binaries without libc (see [`sys_rt`] for what such a binary needs). Never in
//!   a program that has a C runtime: it adds an entry point and stand-in unwinding symbols.
//! - `mem`: `memcpy`, `memmove`, `memset`, `memcmp`, `bcmp` and `strlen`, which a program
//!   without libc needs on a stable toolchain.
//! - `build`: `sys_rt::build`, the link arguments for such a binary, for its build script.
//! - `init-array` (default): sys-auxv's `.init_array` function, which records the auxiliary
//!   vector that glibc's start-up code passes to it. A program without libc (`start`) turns it
//!   off (`default-features = false`): nothing would call it.
#![no_std]

pub use sys_auxv;
pub use sys_core;
/// The kernel's constants and structures for the target architecture (`O_*`, `MAP_*`,
/// `struct __kernel_timespec`, …), from its uapi headers: see [`sys_core::uapi`].
pub use sys_core::uapi;
pub use sys_core::{
    Arg, ArgKind, Errno, FromRet, Meta, RawRet, fd, nr, syscall_noreturn, syscall_readonly,
};
pub use sys_macros::{syscall, syscalls};
pub use sys_rt;
pub use sys_rt::{Args, Env};
pub use sys_vdso;

/// Out-of-line system call stubs and the manifest of their call sites (feature `outline`):
/// see [`sys_core::outline`].
#[cfg(feature = "outline")]
pub use sys_core::outline;

/// Restricting where system calls come from (feature `restrict`): seccomp policies over the
/// out-of-line stubs and Syscall User Dispatch; see [`sys_restrict`].
#[cfg(feature = "restrict")]
pub use sys_restrict as restrict;

/// The built-in tracer (feature `trace`; with `hooks`, `trace::start` installs it): see
/// [`sys_trace`].
#[cfg(feature = "trace")]
pub use sys_trace as trace;

/// Observing and replacing system calls (feature `hooks`): see [`sys_core::hook`].
#[cfg(feature = "hooks")]
pub use sys_core::hook;

/// Declares the program's main for a `#![no_std]` `#![no_main]` binary without libc (feature
/// `start`): the process entry point calls it with the command-line [`Args`] and exits with its
/// result.
///
/// ```text
/// #[libsys::main]
/// fn main(args: libsys::Args) -> i32 { … }
/// ```
///
/// The function may take no parameter or one [`Args`], and return `()`, `i32`, `u8` (anything
/// that implements [`sys_rt::Termination`]) or `!`. Option: `crate = path` (where libsys is,
/// default `::libsys`).
// `doc`: documented whatever the features.
#[cfg(any(feature = "start", doc))]
pub use sys_macros::main;

/// The README's examples, compiled and run as doctests of this crate (`cargo test -p libsys
/// --doc`; the restriction example needs `--features restrict,std`).
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

/// sys-rt's README, whose examples use the facade (`libsys::main`, `libsys::sys_rt::build`) as
/// a program does: compiled as doctests of the facade rather than of sys-rt.
#[cfg(doctest)]
#[doc = include_str!("../sys-rt/README.md")]
pub struct SysRtReadmeDoctests;

/// The raw system call macros: `syscall!(nr, args…)` and its `readonly`/`noreturn` forms (the
/// attribute [`macro@crate::syscall`] has the crate root's name).
pub mod raw {
    pub use sys_core::{syscall, syscall_noreturn, syscall_readonly};
}

/// What the expansions of `#[syscall]` name. Not public API.
#[doc(hidden)]
pub mod __private {
    pub use sys_core::arg::{WideFallback, WideOf, arg, packed_len};
    pub use sys_core::call::{
        ArgKind, Const, Meta, call0_meta, call0_readonly_meta, call1_meta, call1_noreturn_meta,
        call1_readonly_meta, call2_meta, call2_readonly_meta, call3_meta, call3_readonly_meta,
        call4_meta, call4_readonly_meta, call5_meta, call5_readonly_meta, call6_meta,
        call6_readonly_meta,
    };
    pub use sys_core::nr::sys_nr;
    pub use sys_core::proto::{self, sys_proto};
    pub use sys_core::ret::{decode, decode_value};

    /// What `#[libsys::main]` expands to calls.
    pub mod rt {
        pub use sys_rt::{Args, Termination, exit, init};
    }
}
