//! args: prints its arguments, the number of environment variables, a few auxiliary-vector
//! entries and a vDSO clock reading, then exits with the status given as `exit=N` (default 0).
//! No libc, no std: the entry point is libsys's, the auxiliary vector comes from the initial
//! stack (no `/proc`, no system call), the clock from the vDSO where there is one.
//!
//! Output, one `name: value` line each (tools/nolibc-examples.sh checks it):
//!
//! ```text
//! argc: 3
//! argv[0]: ./args
//! argv[1]: two words
//! argv[2]: exit=7
//! envc: 2
//! auxv source: Stack
//! AT_PAGESZ: 4096
//! AT_HWCAP: 0x178bfbff
//! AT_PLATFORM: x86_64
//! AT_EXECFN: ./args
//! AT_RANDOM: 16 bytes
//! vdso: present
//! CLOCK_MONOTONIC: 12345.678901234
//! exit: 7
//! ```
//!
//! An entry the vector lacks prints `absent`; `vdso: absent` (mips under qemu) means the clock
//! came from the system call.
#![no_std]
#![no_main]

use core::fmt::{self, Write};

use libsys::sys_vdso::{ClockId, Vdso, clock_gettime};
use libsys::{Args, Errno, sys_auxv, syscall};

/// `write(2)`.
#[syscall(readonly)]
unsafe fn write(fd: i32, buf: &[u8]) -> Result<usize, Errno>;

/// Line-buffered standard output: one `write` per line (lines longer than the buffer are
/// written in pieces).
struct Stdout {
    buf: [u8; 256],
    len: usize,
}

impl Stdout {
    fn flush(&mut self) {
        let mut rest = &self.buf[..self.len];
        while !rest.is_empty() {
            // SAFETY: fd 1 is the inherited stdout; `rest` is valid for reads of its length.
            match unsafe { write(1, rest) } {
                Ok(n) => rest = &rest[n..],
                Err(Errno::EINTR) => {}
                // Nowhere to report it: the exit status still says how the program ended.
                Err(_) => break,
            }
        }
        self.len = 0;
    }
}

impl Write for Stdout {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        for &b in s.as_bytes() {
            if self.len == self.buf.len() {
                self.flush();
            }
            self.buf[self.len] = b;
            self.len += 1;
            if b == b'\n' {
                self.flush();
            }
        }
        Ok(())
    }
}

/// Shows a C string, invalid UTF-8 as U+FFFD.
struct Show<'a>(&'a core::ffi::CStr);

impl fmt::Display for Show<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for chunk in self.0.to_bytes().utf8_chunks() {
            f.write_str(chunk.valid())?;
            if !chunk.invalid().is_empty() {
                f.write_char(char::REPLACEMENT_CHARACTER)?;
            }
        }
        Ok(())
    }
}

/// The status asked for with `exit=N`, the last one wins; 0 without one.
fn exit_code(args: Args) -> u8 {
    let mut code = 0;
    for a in args.skip(1) {
        if let Some(n) = a.to_bytes().strip_prefix(b"exit=") {
            code = core::str::from_utf8(n)
                .ok()
                .and_then(|n| n.parse().ok())
                .unwrap_or(255);
        }
    }
    code
}

/// Prints everything; formatting into `Stdout` cannot fail.
fn report(out: &mut Stdout, args: &Args) -> fmt::Result {
    writeln!(out, "argc: {}", args.len())?;
    for (i, a) in args.clone().enumerate() {
        writeln!(out, "argv[{i}]: {}", Show(a))?;
    }
    writeln!(out, "envc: {}", args.env().count())?;

    match sys_auxv::source() {
        Some(s) => writeln!(out, "auxv source: {s:?}")?,
        None => writeln!(out, "auxv source: none")?,
    }
    match sys_auxv::page_size() {
        Some(p) => writeln!(out, "AT_PAGESZ: {p}")?,
        None => writeln!(out, "AT_PAGESZ: absent")?,
    }
    match sys_auxv::hwcap() {
        Some(h) => writeln!(out, "AT_HWCAP: {h:#x}")?,
        None => writeln!(out, "AT_HWCAP: absent")?,
    }
    match sys_auxv::platform() {
        Some(p) => writeln!(out, "AT_PLATFORM: {}", Show(p))?,
        None => writeln!(out, "AT_PLATFORM: absent")?,
    }
    match sys_auxv::execfn() {
        Some(p) => writeln!(out, "AT_EXECFN: {}", Show(p))?,
        None => writeln!(out, "AT_EXECFN: absent")?,
    }
    match sys_auxv::random_bytes() {
        Some(r) => writeln!(out, "AT_RANDOM: {} bytes", r.len())?,
        None => writeln!(out, "AT_RANDOM: absent")?,
    }

    let vdso = if Vdso::get().is_some() {
        "present"
    } else {
        "absent"
    };
    writeln!(out, "vdso: {vdso}")?;
    match clock_gettime(ClockId::MONOTONIC) {
        Ok(t) => writeln!(out, "CLOCK_MONOTONIC: {}.{:09}", t.sec, t.nsec)?,
        Err(e) => writeln!(out, "CLOCK_MONOTONIC: error {e}")?,
    }
    Ok(())
}

#[libsys::main]
fn main(args: Args) -> u8 {
    let mut out = Stdout {
        buf: [0; 256],
        len: 0,
    };
    let code = exit_code(args.clone());
    let _ = report(&mut out, &args);
    let _ = writeln!(out, "exit: {code}");
    code
}

/// Prints the panic and exits with 101, as a std program would.
#[panic_handler]
fn panic(info: &core::panic::PanicInfo<'_>) -> ! {
    let mut out = Stdout {
        buf: [0; 256],
        len: 0,
    };
    let _ = writeln!(out, "panicked: {}", info.message());
    out.flush();
    libsys::sys_rt::exit(101)
}
