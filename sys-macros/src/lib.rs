//! Attribute macros for libsys: `#[syscall]` turns a bodiless signature into a system call
//! wrapper, `#[syscalls]` does so for every item of an `unsafe extern "C"` block (the way to
//! declare safe wrappers), `#[main]` declares a no-libc program's main.
//!
//! Use them through the `libsys` facade (`libsys::syscall`, `libsys::syscalls`): the
//! expansions name `::libsys::__private` (or the path given with `crate = …`).
//!
//! Layout (after dtolnay's macro crates): `parse` and `attr` read the input into a model that
//! keeps the user's tokens, `validate` checks it and plans the call, `expand` writes the
//! wrapper, `fallback` writes a stub after an error, `diagnostics` renders spanned errors.
//!
//! ```
//! use libsys::{syscall, Errno};
//!
//! /// Reads from a descriptor.
//! #[syscall]
//! pub unsafe fn read(fd: i32, buf: &mut [u8]) -> Result<usize, Errno>;
//!
//! let mut buf = [0u8; 4];
//! // SAFETY: reading from a descriptor that does not exist touches nothing.
//! assert_eq!(unsafe { read(-1, &mut buf) }, Err(Errno::EBADF));
//! ```

mod attr;
mod check;
mod const_check;
mod diagnostics;
mod entry;
mod expand;
mod fallback;
mod kproto;
mod parse;
mod proto_table;
mod validate;

#[cfg(test)]
mod directions_test;
#[cfg(test)]
mod tests;

use proc_macro::TokenStream;

/// Declares a system call wrapper from a bodiless `unsafe fn` signature.
///
/// ```text
/// #[syscall]                      // number looked up by the fn's name for the target
/// pub unsafe fn openat(dirfd: BorrowedFd<'_>, path: &CStr, flags: u32, mode: u32) -> Result<OwnedFd, Errno>;
/// #[syscall(readonly)]            // writes no memory
/// pub unsafe fn getppid() -> u32; // cannot fail: the plain value
/// #[syscall(nr = 462)]            // an explicit number (or `nr(x86_64 = 462, aarch64 = 462)`)
/// pub unsafe fn mseal(addr: *mut u8, len: usize, flags: u64) -> Result<(), Errno>;
/// #[syscall]                      // `!`: does not return (`noreturn` is implied)
/// pub unsafe fn exit_group(code: i32) -> !;
/// ```
///
/// Declarations of a known call are checked against the kernel's own prototype (sys-core's
/// `proto`, generated from the kernel source): the argument count, `readonly` where the kernel
/// writes, `&T`/`&[T]` where it writes, a plain return type for a call that can fail, and on
/// the target being compiled, 64-bit values where it takes a word and the reverse. `&String`,
/// `&File`, `&&T`, `&mut CStr` and the like are rejected with the type to use. `unchecked`
/// turns these checks off for a deliberate deviation; `nr = N` declarations are not checked.
///
/// Options: `readonly`, `noreturn` (requires `-> !`), `unchecked`, `name = "…"` (the kernel's name, when the
/// fn's differs), `nr = N` or `nr(arch = N, …)` (a `target_arch` not listed is a compile error
/// there), `crate = path` (where libsys is, default `::libsys`). Works at module level and in
/// inherent `impl` blocks; attributes and doc comments pass through.
///
/// Arguments: anything that implements `Arg` (integers with C's widening, `bool`, raw pointers,
/// `&T`, `&mut T`, `Option<&T>`, `BorrowedFd`, your own types), `&[T]`/`&mut [T]` as pointer and
/// length (two registers), `&CStr`/`Option<&CStr>`. At most six registers; `u64`/`i64` take a
/// pair on 32-bit targets. Returns: `Result<T, Errno>` for `T: FromRet`, a plain `T: FromRet`
/// for calls that cannot fail, `()`, or `!`.
#[proc_macro_attribute]
pub fn syscall(args: TokenStream, input: TokenStream) -> TokenStream {
    expand::attribute(args.into(), input.into()).into()
}

/// Declares system call wrappers for every item of an `unsafe extern "C"` block; items marked
/// `safe` become safe functions (a promise the block's author makes), the others `unsafe fn`.
///
/// ```text
/// #[syscalls]
/// unsafe extern "C" {
///     pub safe fn getpid() -> u32;
///     #[syscall(readonly)]
///     pub fn read(fd: BorrowedFd<'_>, buf: &mut [u8]) -> Result<usize, Errno>;
/// }
/// ```
///
/// Each item takes the options of [`macro@syscall`] in its own `#[syscall(…)]`; the block takes
/// `crate = path`. A safe item cannot take raw pointers.
#[proc_macro_attribute]
pub fn syscalls(args: TokenStream, input: TokenStream) -> TokenStream {
    expand::block(args.into(), input.into()).into()
}

/// Declares the program's main for a `#![no_std]` `#![no_main]` binary without libc; use it as
/// `#[libsys::main]` (the facade's `start` feature).
///
/// ```text
/// #[libsys::main]
/// fn main(args: libsys::Args) -> i32 {
///     args.len() as i32
/// }
/// ```
///
/// The function keeps its name and body; next to it the macro defines `__libsys_start`, which
/// the entry point of sys-rt (one per architecture, chosen by `cfg` there, not here) calls with
/// the initial stack pointer: it runs `sys_rt::init`, calls the function and exits with its
/// result through `sys_rt::Termination` (`()`, `i32`, `u8`; a `-> !` main is just called).
/// Takes no parameter or one (`libsys::Args`); option `crate = path` (default `::libsys`).
#[proc_macro_attribute]
pub fn main(args: TokenStream, input: TokenStream) -> TokenStream {
    entry::attribute(args.into(), input.into()).into()
}
