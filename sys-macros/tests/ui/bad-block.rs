use libsys::{Errno, syscalls};

#[syscalls]
extern "C" {
    pub fn close(fd: i32) -> Result<(), Errno>;
}

#[syscalls(readonly)]
unsafe extern "C" {
    #[syscall(readonly)]
    #[syscall(name = "close")]
    pub fn close2(fd: i32) -> Result<(), Errno>;
    pub static errno: i32;
}

fn main() {}
