use libsys::{Errno, syscall};
use std::os::fd::OwnedFd;

#[syscall(name = "chdir")]
pub unsafe fn chdir_str(path: &str) -> Result<(), Errno>;

#[syscall]
pub unsafe fn write(fd: i32, buf: [u8; 4]) -> Result<usize, Errno>;

#[syscall]
pub unsafe fn close(fd: OwnedFd) -> Result<(), Errno>;

#[syscall]
pub unsafe fn fsync(fd: &OwnedFd) -> Result<(), Errno>;

#[syscall(name = "write")]
pub unsafe fn write_opt(fd: i32, buf: Option<&[u8]>) -> Result<usize, Errno>;

#[syscall(name = "getcwd")]
pub unsafe fn getcwd_tuple(buf: (usize, usize)) -> Result<usize, Errno>;

// Not an `Arg`: reported by the compiler, at the parameter.
#[syscall(name = "write")]
pub unsafe fn write_vec(fd: i32, buf: Vec<u8>) -> Result<usize, Errno>;

fn main() {}
