use libsys::{Errno, syscall};

#[syscall(name = close)]
pub unsafe fn a(fd: i32) -> Result<(), Errno>;

#[syscall(name = "clo se")]
pub unsafe fn b(fd: i32) -> Result<(), Errno>;

#[syscall(nr = "3")]
pub unsafe fn c(fd: i32) -> Result<(), Errno>;

#[syscall(nr(x68_64 = 3))]
pub unsafe fn d(fd: i32) -> Result<(), Errno>;

#[syscall(readonly = true)]
pub unsafe fn e(fd: i32) -> Result<(), Errno>;

fn main() {}
