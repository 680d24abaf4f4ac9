use libsys::{Errno, syscall};

#[syscall(name = "close", nr = 3)]
pub unsafe fn my_close(fd: i32) -> Result<(), Errno>;

fn main() {}
