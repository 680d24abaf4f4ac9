use libsys::{Errno, syscall};

#[syscall]
pub async unsafe fn close(fd: i32) -> Result<(), Errno>;

fn main() {}
