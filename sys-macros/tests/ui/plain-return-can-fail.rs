use libsys::syscall;
use std::ffi::CStr;
use std::os::fd::OwnedFd;

// `read(-1, …)` would return 18446744073709551607.
#[syscall]
pub unsafe fn read(fd: i32, buf: &mut [u8]) -> usize;

#[syscall(name = "read")]
pub unsafe fn read_unit(fd: i32, buf: &mut [u8]) -> ();

#[syscall(readonly)]
pub unsafe fn close(fd: i32);

// An error value as an `OwnedFd` aborts the process when it is dropped.
#[syscall]
pub unsafe fn openat(dirfd: i32, path: &CStr, flags: i32, mode: u32) -> OwnedFd;

fn main() {}
