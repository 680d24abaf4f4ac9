use libsys::{Errno, syscall};

#[syscall]
pub unsafe fn pipe2((r, w): (i32, i32), _: u32) -> Result<(), Errno>;

fn main() {}
