use libsys::{Errno, syscall};

// `fcntl(fd, F_GETLK, &mut flock)` writes the lock: what is written depends on the command.
#[syscall(readonly)]
pub unsafe fn fcntl(fd: i32, cmd: i32, arg: usize) -> Result<i32, Errno>;

#[syscall(readonly)]
pub unsafe fn ioctl(fd: i32, request: u32, arg: usize) -> Result<i32, Errno>;

fn main() {}
