use libsys::{Errno, syscall};

#[syscall]
pub unsafe fn close(fd: i32) -> Result<(), Errno> {
    todo!()
}

fn main() {
    let _ = unsafe { close(-1) };
}
