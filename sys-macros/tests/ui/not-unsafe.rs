use libsys::{Errno, syscall};

#[syscall]
pub fn close(fd: i32) -> Result<(), Errno>;

fn main() {
    let _ = close(-1);
}
