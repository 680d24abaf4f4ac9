//! Source: the initial process stack, as the kernel lays it out (`fs/binfmt_elf.c`,
//! `create_elf_tables()`; the same on every architecture):
//!
//! ```text
//! sp -> argc
//!       argv[0] .. argv[argc - 1], NULL
//!       envp[0] .. envp[n - 1],   NULL
//!       auxv: (a_type, a_val) pairs .., (AT_NULL, 0)
//!       (padding, AT_RANDOM bytes, strings: higher up)
//! ```
//!
//! Only code that owns the entry point sees `sp`; it hands it over with
//! [`crate::init_from_stack`], or parses it with [`read`].

use core::ffi::c_char;

use crate::parse::{Auxv, Error};

/// Where the parts of the initial stack are.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Layout {
    pub(crate) argc: usize,
    pub(crate) argv: *const *const c_char,
    pub(crate) envp: *const *const c_char,
    pub(crate) auxv: *const usize,
}

/// Parses the vector on the initial stack whose `argc` is at `sp`.
///
/// # Errors
/// [`Error::BadStack`] if `sp` is null; [`Error::TooLong`] for a vector beyond
/// [`crate::CAPACITY`] entries.
///
/// # Safety
/// `sp` points at `argc` on a stack laid out as the kernel does at process entry (argc,
/// argv with its NULL, envp with its NULL, the auxiliary vector with its `AT_NULL`), all
/// readable and aligned.
pub unsafe fn read(sp: *const usize) -> Result<Auxv, Error> {
    // SAFETY: the caller's contract.
    let layout = unsafe { locate(sp) }?;
    // SAFETY: `locate` found the vector on the caller-guaranteed stack.
    unsafe { Auxv::from_ptr(layout.auxv) }
}

/// Finds argv, envp and the vector from `sp`.
///
/// # Safety
/// As [`read`].
pub(crate) unsafe fn locate(sp: *const usize) -> Result<Layout, Error> {
    if sp.is_null() {
        return Err(Error::BadStack);
    }
    // SAFETY: `sp` points at argc (caller's contract).
    let argc = unsafe { sp.read() };
    let argv = sp.wrapping_add(1).cast::<*const c_char>();
    // argv has argc entries and a NULL: argc + 1 words, which cannot wrap on a real stack.
    let Some(env_offset) = argc.checked_add(1) else {
        return Err(Error::BadStack);
    };
    let envp = argv.wrapping_add(env_offset);
    // SAFETY: envp follows argv's NULL on the kernel's stack.
    let auxv = unsafe { after_env(envp) };
    Ok(Layout {
        argc,
        argv,
        envp,
        auxv,
    })
}

/// The address of the vector: the word after `envp`'s NULL.
///
/// # Safety
/// `envp` is a readable, NULL-terminated array of pointers on the initial stack.
pub(crate) unsafe fn after_env(envp: *const *const c_char) -> *const usize {
    let mut p = envp;
    // SAFETY: the array is NULL-terminated (caller's contract), so every read up to and
    // including the NULL is inside it.
    while !unsafe { p.read() }.is_null() {
        p = p.wrapping_add(1);
    }
    p.wrapping_add(1).cast::<usize>()
}
