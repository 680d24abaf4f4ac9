//! Raw Linux system calls for every architecture, without libc.
//!
//! sys-core is the bottom layer of [libsys](https://docs.rs/libsys): inline-asm primitives for
//! each architecture (one file each under `arch/`), syscall numbers generated from the kernel's
//! headers ([`nr`]), a typed [`Errno`] with this architecture's values, and the conversion of
//! Rust values into argument registers ([`Arg`]), including 64-bit values on 32-bit
//! architectures, which sys-core splits into (aligned) register pairs itself.
//!
//! It is `#![no_std]`, allocates nothing and links nothing from libc.
//!
//! ```
//! use sys_core::{nr, syscall, Errno};
//!
//! let msg = b"hello from sys-core\n";
//! // SAFETY: `msg` is valid for reads of `msg.len()` bytes; fd 1 is not owned by Rust code.
//! let n = unsafe { syscall!(nr::write, 1, msg.as_ptr(), msg.len()) };
//! assert_eq!(n, Ok(msg.len()));
//!
//! // SAFETY: closing a descriptor that does not exist touches nothing.
//! let e = unsafe { syscall!(nr::close, -1) };
//! assert_eq!(e, Err(Errno::EBADF));
//! ```
//!
//! Supported: x86_64, x86 (i686), aarch64, arm (A32 and Thumb), riscv64, powerpc64le, s390x,
//! loongarch64, mipsel (o32) and mips64el (n64). mips needs nightly for
//! `asm_experimental_arch`. Any other target is a compile error that says so.
//!
//! # Features
//! - `std`: `From<Errno> for std::io::Error` and `std::error::Error for Errno`.
//! - `outline`: every system call instruction in one linker section, one stub per constant
//!   number, and a manifest of the call sites (`outline` module): what seccomp pinning and
//!   Syscall User Dispatch restrict to. Off by default; without it each call is the bare
//!   instruction, inlined into its caller.
//! - `hooks`: a process-wide hook and per-number replacements at the one switch point
//!   (`hook` module), for tracers and sandboxes. Off by default; on, an unhooked call costs one
//!   relaxed load and a branch more.
#![no_std]
#![cfg_attr(
    any(target_arch = "mips", target_arch = "mips64"),
    feature(asm_experimental_arch)
)]

#[cfg(feature = "std")]
extern crate std;

#[macro_use]
#[cfg_attr(
    feature = "outline",
    expect(
        dead_code,
        reason = "with `outline`, every call goes through the stubs' `_site` forms"
    )
)]
mod arch;
pub mod arg;
pub mod call;
mod errno;
pub mod fd;
#[cfg(feature = "hooks")]
pub mod hook;
pub mod nr;
#[cfg(feature = "outline")]
pub mod outline;
pub mod proto;
pub mod ret;
#[cfg(any(feature = "outline", feature = "hooks"))]
mod stubs;
pub mod uapi;

pub use arg::Arg;
pub use call::{ArgKind, Meta, RawRet};
pub use errno::Errno;
pub use ret::FromRet;

/// Makes a system call and decodes the result: `Result<usize, Errno>`.
///
/// `syscall!(nr, a, b, …)` takes up to six arguments of any type that implements [`Arg`]
/// (integers, pointers, references, `Option<&T>`, your own types). A 64-bit value on a 32-bit
/// architecture takes a register pair, laid out by sys-core; more than six words in all is a
/// compile error.
///
/// The number is a constant when written as a path with at least two segments (`nr::write`,
/// `libsys::nr::write`) or as a literal: with the `outline` feature such a call gets a stub of
/// its own, which a seccomp filter can pin the number to ([`outline`](crate#features)). Any
/// other expression — a variable, a bare identifier, `(nr::write)` — is a number known at run
/// time and goes through the generic stub. Without the feature both compile to the same code.
///
/// # Safety
/// The call is `unsafe` and must appear in an `unsafe` block: the caller upholds the syscall's
/// contract, described in [`call`].
///
/// ```
/// use sys_core::{nr, syscall};
///
/// let mut buf = [0u8; 8];
/// // SAFETY: `buf` is valid for writes of its length.
/// let n = unsafe { syscall!(nr::getrandom, buf.as_mut_ptr(), buf.len(), 0u32) }.unwrap();
/// assert_eq!(n, 8);
/// ```
#[macro_export]
macro_rules! syscall {
    ($nr:literal $(, $a:expr)* $(,)?) => {
        $crate::__sys_call!(call; $crate::call::Const::<{ $nr }>; $($a),*).result()
    };
    ($p0:ident $(:: $p:ident)+ $(, $a:expr)* $(,)?) => {
        $crate::__sys_call!(call; $crate::call::Const::<{ $p0 $(:: $p)+ }>; $($a),*).result()
    };
    ($nr:expr $(, $a:expr)* $(,)?) => {
        $crate::__sys_call!(call; { let nr: usize = $nr; nr }; $($a),*).result()
    };
}

/// As [`syscall!`], for system calls that write no memory visible to Rust (`getpid`,
/// `close`, `write`): the compiler may keep values in registers across the call.
///
/// # Safety
/// As [`syscall!`]; in addition the syscall must not write memory.
///
/// ```
/// use sys_core::{nr, syscall_readonly};
///
/// // SAFETY: getppid takes no arguments and writes no memory.
/// let ppid = unsafe { syscall_readonly!(nr::getppid) }.unwrap();
/// assert!(ppid > 0);
/// ```
#[macro_export]
macro_rules! syscall_readonly {
    ($nr:literal $(, $a:expr)* $(,)?) => {
        $crate::__sys_call!(readonly; $crate::call::Const::<{ $nr }>; $($a),*).result()
    };
    ($p0:ident $(:: $p:ident)+ $(, $a:expr)* $(,)?) => {
        $crate::__sys_call!(readonly; $crate::call::Const::<{ $p0 $(:: $p)+ }>; $($a),*).result()
    };
    ($nr:expr $(, $a:expr)* $(,)?) => {
        $crate::__sys_call!(readonly; { let nr: usize = $nr; nr }; $($a),*).result()
    };
}

/// Makes a one-argument system call that does not return, such as `exit_group`.
///
/// # Safety
/// As [`syscall!`]; the call must end the thread or process.
///
/// ```no_run
/// use sys_core::{nr, syscall_noreturn};
///
/// // SAFETY: exit_group ends the process.
/// unsafe { syscall_noreturn!(nr::exit_group, 0) }
/// ```
#[macro_export]
macro_rules! syscall_noreturn {
    ($nr:literal, $a:expr $(,)?) => {
        $crate::call::call1_noreturn($crate::call::Const::<{ $nr }>, $a)
    };
    ($p0:ident $(:: $p:ident)+, $a:expr $(,)?) => {
        $crate::call::call1_noreturn($crate::call::Const::<{ $p0 $(:: $p)+ }>, $a)
    };
    ($nr:expr, $a:expr $(,)?) => {
        $crate::call::call1_noreturn({ let nr: usize = $nr; nr }, $a)
    };
}

/// The `callN` function for a number of arguments (`call`) and its `readonly` twin. Not
/// public API: what [`syscall!`] and [`syscall_readonly!`] expand to.
#[doc(hidden)]
#[macro_export]
macro_rules! __sys_call {
    (call; $nr:expr;) => {
        $crate::call::call0($nr)
    };
    (call; $nr:expr; $a:expr) => {
        $crate::call::call1($nr, $a)
    };
    (call; $nr:expr; $a:expr, $b:expr) => {
        $crate::call::call2($nr, $a, $b)
    };
    (call; $nr:expr; $a:expr, $b:expr, $c:expr) => {
        $crate::call::call3($nr, $a, $b, $c)
    };
    (call; $nr:expr; $a:expr, $b:expr, $c:expr, $d:expr) => {
        $crate::call::call4($nr, $a, $b, $c, $d)
    };
    (call; $nr:expr; $a:expr, $b:expr, $c:expr, $d:expr, $e:expr) => {
        $crate::call::call5($nr, $a, $b, $c, $d, $e)
    };
    (call; $nr:expr; $a:expr, $b:expr, $c:expr, $d:expr, $e:expr, $f:expr) => {
        $crate::call::call6($nr, $a, $b, $c, $d, $e, $f)
    };
    (readonly; $nr:expr;) => {
        $crate::call::call0_readonly($nr)
    };
    (readonly; $nr:expr; $a:expr) => {
        $crate::call::call1_readonly($nr, $a)
    };
    (readonly; $nr:expr; $a:expr, $b:expr) => {
        $crate::call::call2_readonly($nr, $a, $b)
    };
    (readonly; $nr:expr; $a:expr, $b:expr, $c:expr) => {
        $crate::call::call3_readonly($nr, $a, $b, $c)
    };
    (readonly; $nr:expr; $a:expr, $b:expr, $c:expr, $d:expr) => {
        $crate::call::call4_readonly($nr, $a, $b, $c, $d)
    };
    (readonly; $nr:expr; $a:expr, $b:expr, $c:expr, $d:expr, $e:expr) => {
        $crate::call::call5_readonly($nr, $a, $b, $c, $d, $e)
    };
    (readonly; $nr:expr; $a:expr, $b:expr, $c:expr, $d:expr, $e:expr, $f:expr) => {
        $crate::call::call6_readonly($nr, $a, $b, $c, $d, $e, $f)
    };
    ($kind:ident; $nr:expr; $($a:expr),*) => {
        ::core::compile_error!("a system call takes at most six arguments")
    };
}

/// The README's examples, compiled and run as doctests of this crate.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
