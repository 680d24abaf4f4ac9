use libsys::{Errno, syscall};
use std::ffi::CStr;
use std::fs::File;

#[syscall]
pub unsafe fn chdir(path: &String) -> Result<(), Errno>;

#[syscall]
pub unsafe fn fsync(fd: &File) -> Result<(), Errno>;

#[syscall(readonly)]
pub unsafe fn write(fd: i32, buf: &&[u8], len: usize) -> Result<usize, Errno>;

#[syscall]
pub unsafe fn getcwd(buf: &mut CStr, size: usize) -> Result<usize, Errno>;

#[syscall(name = "write", readonly)]
pub unsafe fn write_vec(fd: i32, buf: &Vec<u8>, len: usize) -> Result<usize, Errno>;

fn main() {}
