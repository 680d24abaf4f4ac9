use libsys::{Errno, syscall};

// The man page's name; the kernel's is `_llseek` (32-bit) or `lseek` (64-bit).
#[syscall]
pub unsafe fn llseek(fd: i32, hi: usize, lo: usize, result: &mut i64, whence: u32) -> Result<(), Errno>;

#[syscall(name = "pread")]
pub unsafe fn read_at(fd: i32, buf: &mut [u8], offset: u64) -> Result<usize, Errno>;

fn main() {}
