use libsys::{Errno, syscall};

#[syscall]
pub unsafe fn ioctl(fd: i32, request: u32, args: ...) -> Result<i32, Errno>;

fn main() {}
