use libsys::{Errno, syscall};

// The kernel takes the length first, then the pointer: natively EFAULT, under qemu a segfault.
#[syscall]
pub unsafe fn sched_getaffinity(pid: i32, mask: &mut [u8]) -> Result<usize, Errno>;

#[syscall]
pub unsafe fn getgroups(list: &mut [u32]) -> Result<usize, Errno>;

fn main() {}
