use libsys::{Errno, syscall, syscalls};

/// What `uname(2)` fills.
pub struct Utsname(pub [[u8; 65]; 6]);

#[syscalls]
unsafe extern "C" {
    // A safe function in which the kernel writes through a shared reference.
    pub safe fn read(fd: i32, buf: &[u8]) -> Result<usize, Errno>;
}

#[syscall]
pub unsafe fn uname(buf: &Utsname) -> Result<(), Errno>;

#[syscall]
pub unsafe fn getcwd(buf: &core::ffi::CStr, size: usize) -> Result<usize, Errno>;

fn main() {}
