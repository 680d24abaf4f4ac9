//! Where trace lines go: a descriptor (stderr or any other, one `write(2)` per line so that
//! lines of different threads do not interleave) or the in-memory [`ring`](crate::ring).

use crate::ring::Ring;
use sys_core::{Errno, nr, syscall_readonly};

/// A destination for trace lines.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sink {
    /// Descriptor 2.
    Stderr,
    /// This descriptor (owned by the program; the tracer only writes to it).
    Fd(i32),
    /// The process-wide ring, [`RING`].
    Ring,
}

/// The process-wide ring that [`Sink::Ring`] fills: 256 lines of up to 256 bytes (128 on
/// 32-bit architectures).
pub static RING: Ring<256, 32> = Ring::new();

impl Sink {
    /// Sends one line (which should end in `\n`).
    pub fn emit(self, line: &[u8]) -> Result<(), Errno> {
        match self {
            Sink::Stderr => write_all(2, line),
            Sink::Fd(fd) => write_all(fd, line),
            Sink::Ring => {
                RING.push(line);
                Ok(())
            }
        }
    }
}

/// Writes all of `line` to `fd`: one `write` unless the kernel takes less.
fn write_all(fd: i32, mut line: &[u8]) -> Result<(), Errno> {
    while !line.is_empty() {
        // SAFETY: `line` is valid for reads of its length; write(2) writes no memory of ours.
        let n = unsafe { syscall_readonly!(nr::write, fd, line.as_ptr(), line.len()) };
        match n {
            Ok(0) => return Err(Errno::EIO),
            Ok(n) => line = line.get(n..).unwrap_or(&[]),
            Err(Errno::EINTR) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}
