//! nolibc-check: runs libsys's shared behaviour checks (`tests/checks/mod.rs`) in a static
//! binary with no libc and no std, so that every architecture runs them, including those with
//! no std/glibc toolchain here (loongarch64).
//!
//! Output, one line each, on fd 1: `ok <name>` or `FAIL <name>: <message>`, then
//! `nolibc-check: N passed, M failed`; the exit status is 0 iff no check failed. Arguments, if
//! any, select the checks whose names contain one of them. The process entry point is libsys's
//! (`sys-rt`, feature `start`), which calls the `#[libsys::main]` function below with the
//! arguments from the kernel's initial stack.
#![no_std]
#![no_main]

#[path = "../../checks/mod.rs"]
mod checks;
mod out;

use core::sync::atomic::{AtomicUsize, Ordering};

use libsys::Args;

use crate::out::Line;

/// Checks that passed so far.
static PASSED: AtomicUsize = AtomicUsize::new(0);
/// Checks that failed so far.
static FAILED: AtomicUsize = AtomicUsize::new(0);
/// Index in `checks::ALL` of the check running now, or `usize::MAX` outside any check (read by
/// the panic handler to name the culprit).
static CURRENT: AtomicUsize = AtomicUsize::new(usize::MAX);

/// Ends the process with `code`: `exit_group`; nothing is buffered.
fn exit(code: i32) -> ! {
    libsys::sys_rt::exit(code)
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

/// Whether `name` contains `needle`.
fn contains(name: &str, needle: &[u8]) -> bool {
    name.as_bytes().windows(needle.len()).any(|w| w == needle)
}

/// Runs the checks (those whose names contain one of the arguments, if there are any) and
/// returns the exit status: 0 if none failed, 1 if one did, 2 if no check was selected.
#[libsys::main]
fn main(args: Args) -> i32 {
    let filters = args.skip(1).map(|a| a.to_bytes());
    let has_filter = filters.clone().next().is_some();
    let mut ran = 0;
    for (index, (name, check)) in checks::ALL.iter().enumerate() {
        if has_filter && !filters.clone().any(|a| contains(name, a)) {
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
        return 2;
    }
    summary();
    i32::from(FAILED.load(Ordering::Relaxed) != 0)
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
