use libsys::{Errno, syscall};
use std::ffi::CStr;

// A slice is two registers: the path's length would become the flags.
#[syscall]
pub unsafe fn openat(dirfd: i32, path: &[u8], flags: i32, mode: u32) -> Result<i32, Errno>;

#[syscall(name = "openat")]
pub unsafe fn openat_extra(dirfd: i32, path: &CStr, flags: i32, mode: u32, extra: u32) -> Result<i32, Errno>;

#[syscall(name = "openat")]
pub unsafe fn openat_short(dirfd: i32, path: &CStr, flags: i32) -> Result<i32, Errno>;

fn main() {}
