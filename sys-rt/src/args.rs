//! `argv` and `envp` as iterators of `&'static CStr`.
//!
//! Facts: the kernel copies the argument and environment strings to the top of the new stack and
//! puts `argc`, `argv[0..argc]`, NULL, `envp[..]`, NULL, then the auxiliary vector below them
//! (`fs/binfmt_elf.c`, `create_elf_tables()`; System V ABI, "Process Initialization"). Those
//! arrays and strings are never freed or moved, so the references live as long as the process.
//! A program may write to them (`prctl(PR_SET_MM_ARG_START)`, or by hand, as `ps` title
//! setters do); this crate never does.

use core::ffi::{CStr, c_char};
use core::fmt;
use core::iter::FusedIterator;

/// The string at `p`, its length counted here rather than by `CStr::from_ptr` (which calls the
/// C library's `strlen`, absent from a program without libc). The reads are volatile so that
/// LLVM cannot recognise the loop as the `strlen` idiom and call `strlen` after all.
///
/// # Safety
/// `p` points to a NUL-terminated string that lives as long as the process.
unsafe fn c_str(p: *const c_char) -> &'static CStr {
    let mut n = 0;
    // SAFETY: the caller guarantees a NUL within the string; every byte read lies before it.
    while unsafe { p.add(n).read_volatile() } != 0 {
        n += 1;
    }
    // SAFETY: `p[..=n]` is readable (above), `p[n]` is its only NUL, and the string lives as
    // long as the process (module docs).
    unsafe { CStr::from_bytes_with_nul_unchecked(core::slice::from_raw_parts(p.cast(), n + 1)) }
}

/// The command-line arguments, `argv[0]` (the program name, as the caller of `execve` passed
/// it) first. An iterator of `&'static CStr`; `len()` is `argc` minus what was consumed.
///
/// Given to the program's main by the entry point (`#[libsys::main] fn main(args: Args)`).
/// Cloning is cheap (three pointers).
#[derive(Clone)]
pub struct Args {
    /// The next argument to yield.
    next: *const *const c_char,
    /// One past the last argument to yield.
    end: *const *const c_char,
    /// The environment array, which follows `argv`'s NULL terminator.
    envp: *const *const c_char,
}

// SAFETY: the pointers refer to the process's argument strings, which are never freed (module
// docs); `Args` only reads them, so sharing or sending it between threads is as safe as sharing
// `&'static CStr`.
unsafe impl Send for Args {}
// SAFETY: as for `Send`.
unsafe impl Sync for Args {}

impl Args {
    /// The arguments from the process's initial stack: `sp` points at `argc`.
    ///
    /// # Safety
    /// `sp` is the stack pointer the kernel handed to the entry point (or a copy of that layout
    /// that lives as long as the process): `argc`, then `argc` pointers to NUL-terminated
    /// strings and a NULL, then the environment pointers and a NULL.
    #[inline]
    pub unsafe fn from_stack(sp: *const usize) -> Args {
        // SAFETY: the caller guarantees the layout; `argc` is the first word.
        let argc = unsafe { *sp };
        let argv = sp.wrapping_add(1).cast::<*const c_char>();
        // SAFETY: as the caller guarantees.
        unsafe { Args::from_raw(argc, argv) }
    }

    /// The arguments from `argc` and `argv`, as C's `main` receives them.
    ///
    /// # Safety
    /// `argv[0..argc]` are pointers to NUL-terminated strings, `argv[argc]` is NULL and is
    /// followed by the NULL-terminated environment array; all of it lives as long as the
    /// process and is not written while an `Args` or a string from it is in use.
    #[inline]
    pub unsafe fn from_raw(argc: usize, argv: *const *const c_char) -> Args {
        let end = argv.wrapping_add(argc);
        Args {
            next: argv,
            end,
            envp: end.wrapping_add(1),
        }
    }

    /// The environment (`envp`) that follows the arguments on the initial stack.
    #[inline]
    pub fn env(&self) -> Env {
        // SAFETY: `from_raw`'s contract covers the environment array after `argv`'s NULL.
        unsafe { Env::from_raw(self.envp) }
    }

    /// The remaining arguments as the raw `argv` pointer (NULL-terminated after the last one),
    /// for passing on to C-style interfaces.
    #[inline]
    pub fn as_ptr(&self) -> *const *const c_char {
        self.next
    }
}

impl Iterator for Args {
    type Item = &'static CStr;

    fn next(&mut self) -> Option<&'static CStr> {
        if self.next == self.end {
            return None;
        }
        // SAFETY: `next < end`, so `*next` is one of the `argc` string pointers (`from_raw`).
        let s = unsafe { c_str(*self.next) };
        self.next = self.next.wrapping_add(1);
        Some(s)
    }

    #[inline]
    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.len();
        (n, Some(n))
    }
}

impl ExactSizeIterator for Args {
    #[inline]
    fn len(&self) -> usize {
        // Both pointers are into the same `argv` array with `next <= end`; the address
        // difference over the element size avoids `offset_from`'s provenance requirements.
        (self.end as usize - self.next as usize) / size_of::<*const c_char>()
    }
}

impl DoubleEndedIterator for Args {
    fn next_back(&mut self) -> Option<&'static CStr> {
        if self.next == self.end {
            return None;
        }
        self.end = self.end.wrapping_sub(1);
        // SAFETY: `next <= end` after the decrement, so `*end` is one of the string pointers.
        Some(unsafe { c_str(*self.end) })
    }
}

impl FusedIterator for Args {}

impl fmt::Debug for Args {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.clone()).finish()
    }
}

/// The environment, `NAME=value` strings in the order the caller of `execve` passed them (no
/// parsing: an entry need not contain `=`, and names may repeat). An iterator of
/// `&'static CStr`.
#[derive(Clone)]
pub struct Env {
    /// The next entry; the array ends with a NULL.
    next: *const *const c_char,
}

// SAFETY: as for `Args`: read-only access to strings that live as long as the process.
unsafe impl Send for Env {}
// SAFETY: as for `Send`.
unsafe impl Sync for Env {}

impl Env {
    /// The environment from a NULL-terminated `envp` array.
    ///
    /// # Safety
    /// `envp` points to pointers to NUL-terminated strings ending with a NULL pointer; all of
    /// it lives as long as the process and is not written while an `Env` or a string from it
    /// is in use.
    #[inline]
    pub unsafe fn from_raw(envp: *const *const c_char) -> Env {
        Env { next: envp }
    }

    /// The remaining entries as the raw `envp` pointer (NULL-terminated), for `execve`.
    #[inline]
    pub fn as_ptr(&self) -> *const *const c_char {
        self.next
    }
}

impl Iterator for Env {
    type Item = &'static CStr;

    fn next(&mut self) -> Option<&'static CStr> {
        // SAFETY: `next` points into the NULL-terminated array and never past its NULL.
        let p = unsafe { *self.next };
        if p.is_null() {
            return None;
        }
        self.next = self.next.wrapping_add(1);
        // SAFETY: a non-NULL entry points to a NUL-terminated string (`from_raw`).
        Some(unsafe { c_str(p) })
    }
}

impl FusedIterator for Env {}

impl fmt::Debug for Env {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.clone()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::ptr::null;

    /// A fake initial stack: argc, argv, NULL, envp, NULL.
    fn stack() -> [usize; 7] {
        static A0: &CStr = c"prog";
        static A1: &CStr = c"--flag";
        static E0: &CStr = c"HOME=/root";
        static E1: &CStr = c"X";
        [
            2,
            A0.as_ptr() as usize,
            A1.as_ptr() as usize,
            0,
            E0.as_ptr() as usize,
            E1.as_ptr() as usize,
            null::<u8>() as usize,
        ]
    }

    #[test]
    fn args_yield_argv_in_order_and_env_follows() {
        let st = stack();
        // SAFETY: `st` has the initial-stack layout and outlives `args`.
        let args = unsafe { Args::from_stack(st.as_ptr()) };
        assert_eq!(args.len(), 2);
        let v: [&CStr; 2] = [c"prog", c"--flag"];
        assert!(args.clone().eq(v));
        assert!(args.clone().rev().eq(v.into_iter().rev()));
        assert!(args.env().eq([c"HOME=/root", c"X"]));
        let mut a = args.clone();
        assert_eq!(a.next_back(), Some(c"--flag"));
        assert_eq!(a.len(), 1);
        assert_eq!(a.next(), Some(c"prog"));
        assert_eq!((a.next(), a.next_back(), a.len()), (None, None, 0));
    }

    #[test]
    fn empty_argv_and_env() {
        let st = [0usize, 0, 0];
        // SAFETY: argc 0, argv's NULL, envp's NULL.
        let args = unsafe { Args::from_stack(st.as_ptr()) };
        assert_eq!(args.len(), 0);
        assert_eq!(args.clone().next(), None);
        assert_eq!(args.env().next(), None);
    }
}
