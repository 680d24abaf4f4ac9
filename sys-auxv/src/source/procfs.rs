//! Source: `/proc/self/auxv` (`proc_pid_auxv(5)`; `fs/proc/base.c`, `auxv_read`), the vector
//! as bytes up to and including `AT_NULL`.
//!
//! Needs a mounted `/proc` (sandboxes, chroots and early boot lack one). valgrind and
//! qemu-user intercept the `open` and serve the vector they built for the program, so this is
//! right under both; it is the first system-call source the fallback chain tries.

use sys_core::{Errno, fd::AT_FDCWD, nr, syscall, syscall_readonly};

use super::{BUF_WORDS, bytes_of};
use crate::parse::{Auxv, Error};

/// `O_RDONLY | O_CLOEXEC` (`O_CLOEXEC` is 0o2000000 on every supported architecture).
const FLAGS: u32 = 0o2000000;

/// Reads and parses `/proc/self/auxv`.
///
/// # Errors
/// [`Error::Syscall`] if the file cannot be opened or read (`ENOENT` without `/proc`), or a
/// parse error.
pub fn read() -> Result<Auxv, Error> {
    let mut buf = [0usize; BUF_WORDS];
    let bytes = read_into(&mut buf)?;
    Auxv::parse(bytes)
}

/// Reads `/proc/self/auxv` into `buf`; returns the bytes read (at most the buffer's size).
pub(crate) fn read_into(buf: &mut [usize]) -> Result<&[u8], Error> {
    let path = c"/proc/self/auxv";
    let fd = loop {
        // SAFETY: `path` is a NUL-terminated string; openat writes no memory of ours.
        match unsafe { syscall_readonly!(nr::openat, AT_FDCWD, path.as_ptr(), FLAGS, 0u32) } {
            Err(Errno::EINTR) => continue,
            r => break r?,
        }
    };
    let cap = size_of_val(buf);
    let base = buf.as_mut_ptr().cast::<u8>();
    let mut len = 0;
    let result = loop {
        if len == cap {
            break Ok(());
        }
        // SAFETY: `base + len .. base + cap` lies inside `buf`, which we borrow mutably.
        match unsafe { syscall!(nr::read, fd, base.wrapping_add(len), cap - len) } {
            Ok(0) => break Ok(()),
            Ok(n) => len += n.min(cap - len),
            Err(Errno::EINTR) => {}
            Err(e) => break Err(Error::Syscall(e)),
        }
    };
    // SAFETY: `fd` is the descriptor opened above and owned here; nothing else uses it.
    let _ = unsafe { syscall_readonly!(nr::close, fd) };
    result.map(|()| bytes_of(buf, len))
}
