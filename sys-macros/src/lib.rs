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
/// ```
/// use libsys::{Errno, syscall};
/// use std::ffi::CStr;
/// use std::os::fd::{BorrowedFd, OwnedFd};
///
/// #[syscall]                      // number looked up by the fn's name for the target
/// pub unsafe fn openat(dirfd: BorrowedFd<'_>, path: &CStr, flags: u32, mode: u32) -> Result<OwnedFd, Errno>;
/// #[syscall(readonly)]            // writes no memory
/// pub unsafe fn getppid() -> u32; // cannot fail: the plain value
/// #[syscall]                      // a slice passes pointer and length
/// pub unsafe fn getrandom(buf: &mut [u64], flags: u32) -> Result<usize, Errno>;
/// #[syscall]                      // `!`: does not return (`noreturn` is implied)
/// pub unsafe fn exit_group(code: i32) -> !;
/// // A call the tables do not know yet, by its number on one architecture (numbers differ:
/// // mips has its own); `nr(x86_64 = 462, aarch64 = 462)` gives several.
/// #[cfg(target_arch = "x86_64")]
/// #[syscall(nr = 462)]
/// pub unsafe fn mseal_by_number(addr: *mut u8, len: usize, flags: u64) -> Result<(), Errno>;
///
/// // SAFETY: AT_FDCWD (-100) is a valid `dirfd`; the path is a C string.
/// let cwd = unsafe { BorrowedFd::borrow_raw(-100) };
/// // SAFETY: as above; O_DIRECTORY (0o200000) opens the directory read-only.
/// let root = unsafe { openat(cwd, c"/", 0o200000, 0) };
/// assert!(root.is_ok());
/// // SAFETY: getppid has no preconditions.
/// assert!(unsafe { getppid() } > 0);
/// let mut words = [0u64; 4];
/// // SAFETY: `words` is valid for its length; the kernel counts bytes: 32.
/// assert_eq!(unsafe { getrandom(&mut words, 0) }, Ok(32));
/// ```
///
/// Declarations of a known call are checked against the kernel's own prototype (sys-core's
/// `proto`, generated from the kernel source): the argument count; `readonly` where the kernel
/// writes, through an argument, through pointers inside what it is given (`readv`'s iovecs) or
/// depending on a command (`fcntl`, `ioctl`: take responsibility for a command that writes
/// nothing with `#[syscall(readonly, unchecked)]`); `&T`/`&[T]` where it writes; a slice only
/// where the kernel takes a pointer and, as the very next argument, its length; a plain return
/// type for a call that can fail; and on the target being compiled, 64-bit values where it
/// takes a word and the reverse. `&String`, `&File`, `&&T`, `&mut CStr` and the like are
/// rejected with the type to use, libc's names that no kernel has (`llseek`, `pread`) with the
/// kernel's call. `unchecked` turns these checks off for a deliberate deviation; `nr = N`
/// declarations are not checked.
///
/// Options: `readonly`, `noreturn` (requires `-> !`), `unchecked`, `name = "…"` (the kernel's name, when the
/// fn's differs), `nr = N` or `nr(arch = N, …)` (a `target_arch` not listed is a compile error
/// there), `crate = path` (where libsys is, default `::libsys`). Works at module level and in
/// inherent `impl` blocks; attributes and doc comments pass through. Lifetime parameters
/// (`read<'a>(fd: BorrowedFd<'a>, buf: &'a mut [u8])`) are kept; type and const parameters are
/// refused.
///
/// Arguments: anything that implements `Arg` (integers with C's widening, `bool`, raw pointers,
/// `&T`, `&mut T`, `Option<&T>`, `BorrowedFd`, your own types), `&[T]`/`&mut [T]` as pointer and
/// length (two registers), `&CStr`/`Option<&CStr>`. A slice's length is what the kernel's
/// length counts: bytes (`size_of_val(slice)`, as for `read` and `getrandom`, the same as
/// `.len()` for `[u8]`) or elements (`.len()`, as for `poll` and `readv`). For a call without a
/// prototype to say (`nr = N`, `unchecked`, a name the tables do not know) it is `.len()`, the
/// number of elements: use `&[u8]` or a pointer and a length of your own where the kernel
/// counts bytes. At most six registers; `u64`/`i64` take a pair on 32-bit targets. Returns:
/// `Result<T, Errno>` for `T: FromRet`, a plain `T: FromRet` for calls that cannot fail
/// (`getpid`, `brk`, `setfsuid`), `()`, or `!`.
#[proc_macro_attribute]
pub fn syscall(args: TokenStream, input: TokenStream) -> TokenStream {
    expand::attribute(args.into(), input.into()).into()
}

/// Declares system call wrappers for every item of an `unsafe extern "C"` block; items marked
/// `safe` become safe functions (a promise the block's author makes), the others `unsafe fn`.
///
/// ```
/// use libsys::{Errno, syscalls};
/// use std::os::fd::{AsFd, BorrowedFd};
///
/// #[syscalls]
/// unsafe extern "C" {
///     pub safe fn getpid() -> u32;
///     pub fn read(fd: BorrowedFd<'_>, buf: &mut [u8]) -> Result<usize, Errno>;
///     #[syscall(readonly)]
///     pub safe fn write(fd: BorrowedFd<'_>, buf: &[u8]) -> Result<usize, Errno>;
/// }
///
/// assert!(getpid() > 0);
/// assert_eq!(write(std::io::stdout().as_fd(), b""), Ok(0));
/// let file = std::fs::File::open("/proc/self/stat")?;
/// let mut buf = [0u8; 16];
/// // SAFETY: `buf` is valid for its length.
/// assert!(unsafe { read(file.as_fd(), &mut buf) }? > 0);
/// # Ok::<(), Box<dyn std::error::Error>>(())
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
/// ```no_run
/// #![no_std]
/// #![no_main]
/// # // The doctest's libsys has no `start` feature (it would add an entry point to every test
/// # // binary): the attribute is taken from this crate, and the test is type-checked, not
/// # // linked (a binary without libc needs sys-rt's link arguments, see examples/).
/// # mod libsys { pub use ::sys_macros::main; pub use ::libsys::Args; }
///
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
