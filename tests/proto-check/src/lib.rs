//! Declarations checked against the kernel's prototypes of the target being compiled: the
//! correct forms compile for every target, and each feature adds one mistake that must be a
//! compile error exactly on the targets `tools/proto-check.sh` lists for it (the register
//! pairs of 64-bit values exist on 32-bit targets only). Facts: lseek(2), pread(2), mmap(2)
//! and the kernel's `fs/read_write.c`, `mm/mmap.c`, `arch/x86/kernel/sys_ia32.c`.
#![no_std]
#![allow(dead_code)]

use core::ffi::CStr;
use libsys::{Errno, syscall};

#[syscall]
unsafe fn read(fd: i32, buf: &mut [u8]) -> Result<usize, Errno>;

#[syscall(readonly)]
unsafe fn write(fd: i32, buf: &[u8]) -> Result<usize, Errno>;

#[syscall]
unsafe fn openat(dirfd: i32, path: &CStr, flags: i32, mode: u32) -> Result<i32, Errno>;

/// `off_t` is a word everywhere.
#[syscall(readonly)]
unsafe fn lseek(fd: i32, offset: isize, whence: i32) -> Result<usize, Errno>;

/// `loff_t` is 64 bits everywhere: a register pair on 32-bit targets.
#[syscall]
unsafe fn pread64(fd: i32, buf: &mut [u8], offset: u64) -> Result<usize, Errno>;

#[syscall]
unsafe fn fallocate(fd: i32, mode: i32, offset: u64, len: u64) -> Result<(), Errno>;

#[syscall(readonly)]
unsafe fn getppid() -> u32;

/// The mistake of the issue: an `i64` offset is a pair on i686, where the kernel takes a word.
#[cfg(feature = "lseek-i64")]
#[syscall(readonly, name = "lseek")]
unsafe fn lseek_i64(fd: i32, offset: i64, whence: i32) -> Result<usize, Errno>;

/// The reverse: one word where the kernel takes a pair on 32-bit targets.
#[cfg(feature = "pread64-word")]
#[syscall(name = "pread64")]
unsafe fn pread64_word(fd: i32, buf: &mut [u8], offset: usize) -> Result<usize, Errno>;

/// `mmap` on i686 is the old one-argument form (a pointer to the six values).
#[cfg(feature = "mmap-six-args")]
#[syscall]
unsafe fn mmap(
    addr: *mut u8,
    len: usize,
    prot: i32,
    flags: i32,
    fd: i32,
    offset: isize,
) -> Result<*mut u8, Errno>;

/// The same on every target: the kernel writes into `buf`.
#[cfg(feature = "read-readonly")]
#[syscall(readonly, name = "read")]
unsafe fn read_readonly(fd: i32, buf: &mut [u8]) -> Result<usize, Errno>;
