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
#![no_std]
#![cfg_attr(
    any(target_arch = "mips", target_arch = "mips64"),
    feature(asm_experimental_arch)
)]

#[cfg(feature = "std")]
extern crate std;

mod arch;
pub mod arg;
pub mod call;
mod errno;
pub mod fd;
pub mod nr;
pub mod proto;
pub mod ret;

pub use arg::Arg;
pub use call::{Meta, RawRet};
pub use errno::Errno;
pub use ret::FromRet;

/// Makes a system call and decodes the result: `Result<usize, Errno>`.
///
/// `syscall!(nr, a, b, …)` takes up to six arguments of any type that implements [`Arg`]
/// (integers, pointers, references, `Option<&T>`, your own types). A 64-bit value on a 32-bit
/// architecture takes a register pair, laid out by sys-core; more than six words in all is a
/// compile error.
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
    ($nr:expr $(,)?) => {
        $crate::call::call0($nr).result()
    };
    ($nr:expr, $a:expr $(,)?) => {
        $crate::call::call1($nr, $a).result()
    };
    ($nr:expr, $a:expr, $b:expr $(,)?) => {
        $crate::call::call2($nr, $a, $b).result()
    };
    ($nr:expr, $a:expr, $b:expr, $c:expr $(,)?) => {
        $crate::call::call3($nr, $a, $b, $c).result()
    };
    ($nr:expr, $a:expr, $b:expr, $c:expr, $d:expr $(,)?) => {
        $crate::call::call4($nr, $a, $b, $c, $d).result()
    };
    ($nr:expr, $a:expr, $b:expr, $c:expr, $d:expr, $e:expr $(,)?) => {
        $crate::call::call5($nr, $a, $b, $c, $d, $e).result()
    };
    ($nr:expr, $a:expr, $b:expr, $c:expr, $d:expr, $e:expr, $f:expr $(,)?) => {
        $crate::call::call6($nr, $a, $b, $c, $d, $e, $f).result()
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
    ($nr:expr $(,)?) => {
        $crate::call::call0_readonly($nr).result()
    };
    ($nr:expr, $a:expr $(,)?) => {
        $crate::call::call1_readonly($nr, $a).result()
    };
    ($nr:expr, $a:expr, $b:expr $(,)?) => {
        $crate::call::call2_readonly($nr, $a, $b).result()
    };
    ($nr:expr, $a:expr, $b:expr, $c:expr $(,)?) => {
        $crate::call::call3_readonly($nr, $a, $b, $c).result()
    };
    ($nr:expr, $a:expr, $b:expr, $c:expr, $d:expr $(,)?) => {
        $crate::call::call4_readonly($nr, $a, $b, $c, $d).result()
    };
    ($nr:expr, $a:expr, $b:expr, $c:expr, $d:expr, $e:expr $(,)?) => {
        $crate::call::call5_readonly($nr, $a, $b, $c, $d, $e).result()
    };
    ($nr:expr, $a:expr, $b:expr, $c:expr, $d:expr, $e:expr, $f:expr $(,)?) => {
        $crate::call::call6_readonly($nr, $a, $b, $c, $d, $e, $f).result()
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
    ($nr:expr, $a:expr $(,)?) => {
        $crate::call::call1_noreturn($nr, $a)
    };
}
