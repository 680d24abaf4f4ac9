use libsys::{Errno, syscalls};

#[syscalls]
unsafe extern "C" {
    pub safe fn write(fd: i32, buf: *const u8, len: usize) -> Result<usize, Errno>;
    pub safe fn execve(path: &core::ffi::CStr, argv: &[*const u8], envp: &[*const u8]) -> Result<(), Errno>;
}

fn main() {}
