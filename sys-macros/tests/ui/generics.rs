use libsys::{Arg, Errno, syscall};

#[syscall]
pub unsafe fn write<T: Arg>(fd: i32, buf: T, len: usize) -> Result<usize, Errno>;

#[syscall]
pub unsafe fn close(fd: impl Arg) -> Result<(), Errno>;

#[syscall]
pub unsafe fn dup(fd: i32) -> Result<i32, Errno>
where
    i32: Arg;

fn main() {}
