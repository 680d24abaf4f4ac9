use libsys::{Errno, syscall};

#[syscall]
pub unsafe fn frobnicate(fd: i32) -> Result<(), Errno>;

#[syscall(name = "clsoe")]
pub unsafe fn close(fd: i32) -> Result<(), Errno>;

fn main() {}
