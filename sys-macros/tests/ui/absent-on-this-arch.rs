use libsys::{Errno, syscall};

#[syscall]
pub unsafe fn fstatat64(fd: i32, path: *const u8, st: *mut u8, flags: i32) -> Result<(), Errno>;

#[syscall]
pub unsafe fn clock_gettime64(clock: i32, tp: *mut u8) -> Result<(), Errno>;

#[syscall]
pub unsafe fn riscv_flush_icache(start: usize, end: usize, flags: usize) -> Result<(), Errno>;

fn main() {}
