//! The unwinding symbols that the prebuilt `core` of a stable toolchain references, for
//! programs built with `panic = "abort"` that link no unwinder.
//!
//! Facts: rustup's `core` for Linux targets is compiled with `panic=unwind`, so its objects name
//! `rust_eh_personality` (the personality routine in their `.eh_frame`), and on arm (EHABI) the
//! personality routines `__aeabi_unwind_cpp_pr0`/`pr1` in their `.ARM.exidx` entries (ARM
//! "Exception Handling ABI for the Arm Architecture", 6.3; `pr2` completes the set). With
//! `panic = "abort"` nothing unwinds, so nothing calls them; they only have to exist for the
//! link. If one is ever called, something is unwinding through a binary that cannot: the
//! process exits with status 134 (128 + SIGABRT, what a shell shows for an abort).

/// Ends the process: the state an unwinder would need does not exist here.
fn abort() -> ! {
    crate::exit(134)
}

/// The Rust personality routine, never called with `panic = "abort"`.
#[unsafe(no_mangle)]
extern "C" fn rust_eh_personality() -> ! {
    abort()
}

/// ARM EHABI personality routine 0 (short frames), never called without unwinding.
#[cfg(target_arch = "arm")]
#[unsafe(no_mangle)]
extern "C" fn __aeabi_unwind_cpp_pr0() -> ! {
    abort()
}

/// ARM EHABI personality routine 1 (long frames, 16-bit scope), never called without unwinding.
#[cfg(target_arch = "arm")]
#[unsafe(no_mangle)]
extern "C" fn __aeabi_unwind_cpp_pr1() -> ! {
    abort()
}

/// ARM EHABI personality routine 2 (long frames, 32-bit scope), never called without unwinding.
#[cfg(target_arch = "arm")]
#[unsafe(no_mangle)]
extern "C" fn __aeabi_unwind_cpp_pr2() -> ! {
    abort()
}
