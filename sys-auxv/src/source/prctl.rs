//! Source: `prctl(PR_GET_AUXV, buf, len, 0, 0)` (Linux 6.4; `kernel/sys.c`,
//! `prctl_get_auxv`): copies `mm->saved_auxv` into `buf` and returns its full size (the copy
//! is zero-padded after `AT_NULL`).
//!
//! No file needed, but the kernel answers with the vector it built at `execve`: under
//! valgrind that is valgrind's own (a vDSO the client does not have, valgrind's program
//! headers), and qemu-user 10 does not implement the call (`EINVAL`). The fallback chain
//! therefore tries it only after `/proc/self/auxv`.

use sys_core::{nr, syscall};

use super::{BUF_WORDS, bytes_of};
use crate::parse::{Auxv, Error};

/// `PR_GET_AUXV` (`include/uapi/linux/prctl.h`): "AUXV" in ASCII.
const PR_GET_AUXV: usize = 0x4155_5856;

/// Reads and parses the vector with `prctl(PR_GET_AUXV)`.
///
/// # Errors
/// [`Error::Syscall`]: `EINVAL` before Linux 6.4 and under qemu-user; a parse error.
pub fn read() -> Result<Auxv, Error> {
    let mut buf = [0usize; BUF_WORDS];
    let bytes = read_into(&mut buf)?;
    Auxv::parse(bytes)
}

/// Reads the vector into `buf`; returns the bytes the kernel copied.
pub(crate) fn read_into(buf: &mut [usize]) -> Result<&[u8], Error> {
    let cap = size_of_val(buf);
    // SAFETY: the kernel writes at most `cap` bytes into `buf`, which we borrow mutably.
    let full = unsafe {
        syscall!(
            nr::prctl,
            PR_GET_AUXV,
            buf.as_mut_ptr(),
            cap,
            0usize,
            0usize
        )
    }?;
    Ok(bytes_of(buf, full.min(cap)))
}
