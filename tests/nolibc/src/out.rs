//! Line output on fd 1 with `write(2)` (man 2 write: a write may be partial or interrupted by a
//! signal, so the rest is written again), built in a fixed stack buffer: no allocation, no libc.

use libsys::raw::syscall_readonly;
use libsys::{Errno, nr};

/// Capacity of one line; longer text is cut (and ends with `...`).
const CAP: usize = 512;

/// One line of output under construction; [`Line::print`] adds the newline and writes it.
pub(crate) struct Line {
    buf: [u8; CAP],
    len: usize,
}

impl Line {
    /// An empty line.
    pub(crate) fn new() -> Self {
        Line {
            buf: [0; CAP],
            len: 0,
        }
    }

    /// Appends bytes, keeping room for the newline; cut text is marked with `...`.
    pub(crate) fn bytes(mut self, b: &[u8]) -> Self {
        self.push(b);
        self
    }

    /// Appends a string.
    pub(crate) fn str(self, s: &str) -> Self {
        self.bytes(s.as_bytes())
    }

    /// Appends a number in decimal.
    pub(crate) fn num(self, mut v: usize) -> Self {
        let mut digits = [0u8; 20];
        let mut start = digits.len();
        loop {
            start -= 1;
            digits[start] = b'0' + (v % 10) as u8;
            v /= 10;
            if v == 0 {
                break;
            }
        }
        self.bytes(&digits[start..])
    }

    fn push(&mut self, b: &[u8]) {
        let room = CAP - 1 - self.len;
        if b.len() <= room {
            self.buf[self.len..self.len + b.len()].copy_from_slice(b);
            self.len += b.len();
        } else {
            self.buf[self.len..CAP - 1].copy_from_slice(&b[..room]);
            self.buf[CAP - 4..CAP - 1].copy_from_slice(b"...");
            self.len = CAP - 1;
        }
    }

    /// Writes the line and a newline to fd 1; output errors are ignored (there is nowhere to
    /// report them).
    pub(crate) fn print(mut self) {
        self.buf[self.len] = b'\n';
        let mut rest = &self.buf[..self.len + 1];
        while !rest.is_empty() {
            // SAFETY: `rest` is valid for reads of its length; write(2) does not write memory.
            match unsafe { syscall_readonly!(nr::write, 1, rest.as_ptr(), rest.len()) } {
                Ok(n) => rest = &rest[n.min(rest.len())..],
                Err(e) if e == Errno::EINTR => {}
                Err(_) => return,
            }
        }
    }
}

impl core::fmt::Write for Line {
    fn write_str(&mut self, s: &str) -> core::fmt::Result {
        self.push(s.as_bytes());
        Ok(())
    }
}
