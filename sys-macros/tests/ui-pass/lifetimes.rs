//! Explicit lifetime parameters, with bounds: accepted and kept in the wrapper's signature.

use libsys::{Errno, syscall, syscalls};
use std::os::fd::{AsFd, BorrowedFd};

#[syscall]
pub unsafe fn read<'a>(fd: BorrowedFd<'a>, buf: &'a mut [u8]) -> Result<usize, Errno>;

#[syscall(name = "write")]
pub unsafe fn write_both<'a, 'b: 'a>(fd: BorrowedFd<'a>, buf: &'b [u8]) -> Result<usize, Errno>;

#[syscalls]
unsafe extern "C" {
    pub safe fn pread64<'fd>(fd: BorrowedFd<'fd>, buf: &mut [u8], offset: u64) -> Result<usize, Errno>;
}

fn main() {
    let file = std::fs::File::open("/proc/self/stat").unwrap();
    let mut buf = [0u8; 8];
    // SAFETY: `buf` is valid for its length; the descriptor is open.
    let n = unsafe { read(file.as_fd(), &mut buf) }.unwrap();
    assert!(n > 0);
    let mut again = [0u8; 8];
    assert_eq!(pread64(file.as_fd(), &mut again, 0), Ok(n));
    assert_eq!(buf, again);
    let stdout = std::io::stdout();
    // SAFETY: an empty buffer.
    assert_eq!(unsafe { write_both(stdout.as_fd(), &[]) }, Ok(0));
}
