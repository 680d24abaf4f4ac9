use libsys::syscall;

#[syscall]
pub unsafe fn close(fd: i32) -> Result<(), std::io::Error>;

fn main() {}
