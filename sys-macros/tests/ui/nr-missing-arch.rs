use libsys::{Errno, syscall};

// Compiled for x86_64 here, which the list leaves out.
#[syscall(nr(aarch64 = 462, riscv64 = 462))]
pub unsafe fn mseal(addr: *mut u8, len: usize, flags: u64) -> Result<(), Errno>;

fn main() {}
