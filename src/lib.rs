//! libsys: system calls, vDSO access and the ELF auxiliary vector for Rust, outside libc.
//!
//! This facade re-exports the workspace crates:
//! - [`sys_core`]: raw system calls for every architecture, numbers, [`Errno`];
//! - `sys_macros`: `#[syscall]` wrappers declared from a signature;
//! - [`sys_auxv`]: the auxiliary vector;
//! - [`sys_vdso`]: vDSO-backed clocks and friends.
//!
//! ```
//! use libsys::{nr, syscall, Errno};
//!
//! // SAFETY: closing a descriptor that does not exist touches nothing.
//! assert_eq!(unsafe { syscall!(nr::close, -1) }, Err(Errno::EBADF));
//! ```
#![no_std]

pub use sys_auxv;
pub use sys_core;
pub use sys_core::{Arg, Errno, RawRet, nr, syscall, syscall_noreturn, syscall_readonly};
pub use sys_vdso;
