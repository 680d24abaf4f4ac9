use libsys::{Errno, syscall};
use std::ffi::CStr;

// `maxnode` counts bits, not elements.
#[syscall]
pub unsafe fn mbind(start: usize, len: usize, mode: i32, nodes: &[u64], flags: u32) -> Result<(), Errno>;

// `times` has no length: the slice's length would land in `flags`.
#[syscall]
pub unsafe fn utimensat(dirfd: i32, path: &CStr, times: &[[i64; 2]]) -> Result<(), Errno>;

fn main() {}
