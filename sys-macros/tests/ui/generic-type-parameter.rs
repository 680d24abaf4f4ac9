use libsys::{Errno, syscall};
use std::os::fd::BorrowedFd;

// Lifetimes are fine (tests/ui-pass/lifetimes.rs); a type parameter is not.
#[syscall]
pub unsafe fn read<'a, T>(fd: BorrowedFd<'a>, buf: &'a mut [T]) -> Result<usize, Errno>;

fn main() {}
