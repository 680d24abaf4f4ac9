use libsys::{Errno, syscall};

#[syscall(read_only)]
pub unsafe fn close(fd: i32) -> Result<(), Errno>;

fn main() {}
