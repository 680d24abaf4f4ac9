//! Source: capture at start-up from an `.init_array` function, with no system call and no
//! file.
//!
//! glibc calls every `.init_array` function with `(argc, argv, envp)` (dynamic programs:
//! `_dl_init` in `elf/dl-init.c`, with `envp` computed from the stack by `_dl_start_user`;
//! static ones: `call_init` in `csu/libc-start.c`); the auxiliary vector follows `envp`'s
//! NULL. The capture runs before `main` and before ordinary constructors (section
//! `.init_array.00099`, the priority std uses for its own argv capture), so nothing has had
//! the chance to `setenv` yet; and it checks that `envp` is the stack's (`envp == argv +
//! argc + 1`, `argv[argc] == NULL`), which is false when a library is `dlopen`ed after the
//! environment was changed (glibc then passes the current `environ`): such a capture is
//! refused and the lazy fallback reads the vector later.
//!
//! musl (1.2.x, `src/env/__libc_start_main.c`, `libc_start_init`) calls `.init_array`
//! functions with no arguments: the registers hold garbage. The function is therefore only
//! registered for `target_env = "gnu"`; on musl the fallback chain is used. Runtimes that
//! imitate glibc's calling convention (origin) work too. Under Miri nothing is registered,
//! nor without the `init-array` feature (on by default).
//!
//! The function only records where the vector is ([`crate::init_from_stack`] does the same
//! for a no-libc entry point): the first lookup parses it, still without a system call.

use core::ffi::{c_char, c_int};

use super::Source;
use super::stack::{Layout, after_env};
use crate::parse::{Auxv, Error};
use crate::store;

/// The `.init_array` entry: glibc's signature for these functions.
#[cfg(all(
    feature = "init-array",
    target_os = "linux",
    target_env = "gnu",
    not(miri)
))]
#[used]
#[unsafe(link_section = ".init_array.00099")]
static CAPTURE: extern "C" fn(c_int, *const *const c_char, *const *const c_char) = capture;

/// Captures the vector, argv and envp, if they look like the kernel's stack.
#[cfg_attr(
    not(all(
        feature = "init-array",
        target_os = "linux",
        target_env = "gnu",
        not(miri)
    )),
    expect(dead_code, reason = "only registered where libc passes the arguments")
)]
extern "C" fn capture(argc: c_int, argv: *const *const c_char, envp: *const *const c_char) {
    // SAFETY: glibc passes the process's argc, argv and envp (see the module documentation);
    // `layout` checks that envp is the stack's before anything beyond argv[argc] is read.
    if let Ok(layout) = unsafe { layout(argc, argv, envp) } {
        // SAFETY: `layout` describes the initial stack, which stays mapped and unchanged.
        unsafe { store::capture(layout, Source::InitArray) };
    }
}

/// Checks `(argc, argv, envp)` against the kernel's stack layout and finds the vector.
///
/// # Safety
/// `argv` is null or points at `argc + 1` readable pointers; if `envp == argv + argc + 1`,
/// it is a NULL-terminated array followed by the auxiliary vector (the initial stack).
pub(crate) unsafe fn layout(
    argc: c_int,
    argv: *const *const c_char,
    envp: *const *const c_char,
) -> Result<Layout, Error> {
    let Ok(argc) = usize::try_from(argc) else {
        return Err(Error::BadStack);
    };
    if argv.is_null() || envp != argv.wrapping_add(argc).wrapping_add(1) {
        return Err(Error::BadStack);
    }
    // SAFETY: argv has argc + 1 readable entries (caller's contract).
    if !unsafe { argv.add(argc).read() }.is_null() {
        return Err(Error::BadStack);
    }
    // SAFETY: envp directly follows argv's NULL: it is the initial stack's.
    let auxv = unsafe { after_env(envp) };
    Ok(Layout {
        argc,
        argv,
        envp,
        auxv,
    })
}

/// Whether the `.init_array` capture ran and was accepted.
pub fn captured() -> bool {
    store::captured_by() == Some(Source::InitArray)
}

/// The vector the `.init_array` function found at start-up, read again from the stack.
///
/// # Errors
/// [`Error::Unavailable`] if nothing was captured (musl, a no-libc program, a refused
/// `dlopen` capture, Miri).
pub fn read() -> Result<Auxv, Error> {
    match store::captured_layout() {
        // SAFETY: the pointer was found on the initial stack, which stays mapped.
        Some((Source::InitArray, layout)) => unsafe { Auxv::from_ptr(layout.auxv) },
        _ => Err(Error::Unavailable),
    }
}
