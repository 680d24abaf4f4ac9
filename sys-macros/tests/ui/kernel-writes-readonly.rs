use libsys::{Errno, syscall};

// The kernel writes into `buf`: `readonly` would let the compiler keep stale values of it.
#[syscall(readonly)]
pub unsafe fn read(fd: i32, buf: &mut [u8]) -> Result<usize, Errno>;

// munmap changes memory without writing through an argument.
#[syscall(readonly)]
pub unsafe fn munmap(addr: *mut u8, len: usize) -> Result<(), Errno>;

fn main() {}
