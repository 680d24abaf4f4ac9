use libsys::{Errno, syscall};

pub struct Fd(i32);

impl Fd {
    #[syscall]
    pub unsafe fn close(self) -> Result<(), Errno>;

    #[syscall(name = "fsync")]
    pub unsafe fn sync(&self) -> Result<(), Errno>;
}

fn main() {}
