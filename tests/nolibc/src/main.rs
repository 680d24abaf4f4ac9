//! nolibc-check: runs libsys's shared behaviour checks (`tests/checks/mod.rs`) in a static
//! binary with no libc and no std, so that every architecture runs them, including those with
//! no std/glibc toolchain here (loongarch64).
//!
//! Output, one line each, on fd 1: `ok <name>` or `FAIL <name>: <message>`, then
//! `nolibc-check: N passed, M failed`; the exit status is 0 iff no check failed. Arguments, if
//! any, select the checks whose names contain one of them. The process entry (`_start`) is in
//! `start.rs`; the stack layout it hands over is the kernel's (`fs/binfmt_elf.c`,
//! `create_elf_tables()`): `argc`, `argv[]`, NULL, `envp[]`, NULL, auxv.
#![no_std]
#![no_main]
#![cfg_attr(
    any(target_arch = "mips", target_arch = "mips64"),
    feature(asm_experimental_arch)
)]

#[path = "../../checks/mod.rs"]
mod checks;
mod out;
mod start;

use core::ffi::CStr;
use core::sync::atomic::{AtomicUsize, Ordering};

use libsys::nr;
use libsys::raw::syscall_noreturn;

use crate::out::Line;

/// Checks that passed so far.
static PASSED: AtomicUsize = AtomicUsize::new(0);
/// Checks that failed so far.
static FAILED: AtomicUsize = AtomicUsize::new(0);
/// Index in `checks::ALL` of the check running now, or `usize::MAX` outside any check (read by
/// the panic handler to name the culprit).
static CURRENT: AtomicUsize = AtomicUsize::new(usize::MAX);

/// Ends the process with `code`.
fn exit(code: usize) -> ! {
    // SAFETY: exit_group ends the process; nothing is left to clean up (no buffered output,
    // no destructors that matter after main).
    unsafe { syscall_noreturn!(nr::exit_group, code) }
}

/// Prints the summary line, the last line of the output.
fn summary() {
    Line::new()
        .str("nolibc-check: ")
        .num(PASSED.load(Ordering::Relaxed))
        .str(" passed, ")
        .num(FAILED.load(Ordering::Relaxed))
        .str(" failed")
        .print();
}

/// The command-line arguments after the program name.
///
/// # Safety
/// `sp` is the initial stack pointer the kernel set up: `argc` followed by `argc` pointers to
/// NUL-terminated strings.
unsafe fn args(sp: *const usize) -> impl Iterator<Item = &'static [u8]> {
    // SAFETY: the caller passes the kernel's initial stack.
    let argc = unsafe { *sp };
    let argv = sp.wrapping_add(1).cast::<*const core::ffi::c_char>();
    (1..argc).map(move |i| {
        // SAFETY: `argv[i]` for `i < argc` points to a NUL-terminated string that lives as
        // long as the process.
        unsafe { CStr::from_ptr(*argv.add(i)) }.to_bytes()
    })
}

/// Whether `name` contains `needle`.
fn contains(name: &str, needle: &[u8]) -> bool {
    name.as_bytes().windows(needle.len()).any(|w| w == needle)
}

/// The Rust entry point, called by `_start` with the initial stack pointer.
///
/// # Safety
/// Called once, by `_start`, with the kernel's initial stack pointer.
#[unsafe(no_mangle)]
unsafe extern "C" fn start_rust(sp: *const usize) -> ! {
    // SAFETY: `_start` passes the initial stack pointer.
    let has_filter = unsafe { args(sp) }.next().is_some();
    let mut ran = 0;
    for (index, (name, check)) in checks::ALL.iter().enumerate() {
        // SAFETY: as above.
        if has_filter && !unsafe { args(sp) }.any(|a| contains(name, a)) {
            continue;
        }
        ran += 1;
        CURRENT.store(index, Ordering::Relaxed);
        match check() {
            Ok(()) => {
                PASSED.fetch_add(1, Ordering::Relaxed);
                Line::new().str("ok ").str(name).print();
            }
            Err(msg) => {
                FAILED.fetch_add(1, Ordering::Relaxed);
                Line::new()
                    .str("FAIL ")
                    .str(name)
                    .str(": ")
                    .str(msg)
                    .print();
            }
        }
        CURRENT.store(usize::MAX, Ordering::Relaxed);
    }
    if ran == 0 {
        Line::new()
            .str("nolibc-check: no check name contains any of the arguments")
            .print();
        exit(2);
    }
    summary();
    exit(usize::from(FAILED.load(Ordering::Relaxed) != 0))
}

/// Reports a panic as a failure of the running check, prints the summary (the checks after it
/// do not run) and exits with 101, as a std test binary would.
#[panic_handler]
fn panic(info: &core::panic::PanicInfo<'_>) -> ! {
    use core::fmt::Write as _;
    let current = CURRENT.load(Ordering::Relaxed);
    let name = checks::ALL
        .get(current)
        .map_or("(outside any check)", |c| c.0);
    let mut line = Line::new().str("FAIL ").str(name).str(": panicked: ");
    // `Line` truncates instead of failing, so the result carries no information.
    let _ = write!(line, "{}", info.message());
    if let Some(loc) = info.location() {
        line = line
            .str(" at ")
            .str(loc.file())
            .str(":")
            .num(loc.line() as usize);
    }
    line.print();
    FAILED.fetch_add(1, Ordering::Relaxed);
    Line::new()
        .str("nolibc-check: aborted by the panic above; later checks did not run")
        .print();
    summary();
    exit(101)
}
