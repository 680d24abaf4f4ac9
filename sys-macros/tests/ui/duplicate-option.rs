use libsys::{Errno, syscall};

#[syscall(readonly, readonly)]
pub unsafe fn close(fd: i32) -> Result<(), Errno>;

#[syscall(nr = 3, nr = 3)]
pub unsafe fn close2(fd: i32) -> Result<(), Errno>;

fn main() {}
