use libsys::{Errno, syscall};

#[syscall(readonly)]
pub unsafe fn getcwd(buf: &mut [u8]) -> Result<&[u8], Errno>;

#[syscall(readonly)]
pub unsafe fn getpid() -> Option<u32>;

#[syscall]
pub unsafe fn dup(fd: i32) -> std::io::Result<i32>;

#[syscall]
pub unsafe fn pipe(fds: &mut [i32; 2]) -> (i32, i32);

// Not a `FromRet`: reported by the compiler, at the return type.
#[syscall(name = "getpid")]
pub unsafe fn getpid_string() -> Result<String, Errno>;

fn main() {}
