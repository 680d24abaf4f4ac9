//! Declarations checked against the kernel's prototypes of the target being compiled: the
//! correct forms compile for every target, and each feature adds one mistake that must be a
//! compile error exactly on the targets `tools/proto-check.sh` lists for it (the register
//! pairs of 64-bit values exist on 32-bit targets only; `clone`'s order and the 16-bit,
//! `*64` and `*_time64` calls differ per architecture). Facts: lseek(2), llseek(2), pread(2),
//! mmap(2), mmap2(2), sendfile(2), clock_nanosleep(2), getuid(2), clone(2), truncate(2),
//! sync_file_range(2), posix_fadvise(2), and the kernel's syscall tables and `fs/read_write.c`,
//! `fs/open.c`, `fs/sync.c`, `mm/mmap.c`, `mm/fadvise.c`, `kernel/fork.c`, `kernel/uid16.c`,
//! `arch/x86/kernel/sys_ia32.c`, `arch/arm/kernel/sys_arm.c` (Linux 7.3).
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

/// `struct __kernel_timespec`: 16 bytes on every architecture.
#[repr(C)]
pub struct Timespec64 {
    tv_sec: i64,
    tv_nsec: i64,
}

/// s390x's `mmap` reads its six arguments from memory (`struct mmap_arg_struct`).
#[repr(C)]
pub struct MmapArgs {
    addr: usize,
    len: usize,
    prot: usize,
    flags: usize,
    fd: usize,
    offset: usize,
}

/// A 64-bit `off_t` where the kernel's `sendfile` takes a word-sized one.
#[cfg(target_pointer_width = "32")]
#[syscall]
unsafe fn sendfile64(
    out_fd: i32,
    in_fd: i32,
    offset: Option<&mut i64>,
    count: usize,
) -> Result<usize, Errno>;

#[cfg(target_pointer_width = "64")]
#[syscall]
unsafe fn sendfile(
    out_fd: i32,
    in_fd: i32,
    offset: Option<&mut i64>,
    count: usize,
) -> Result<usize, Errno>;

/// The 64-bit timespec: `clock_nanosleep` takes the old 32-bit one on 32-bit targets.
#[cfg(target_pointer_width = "32")]
#[syscall]
unsafe fn clock_nanosleep_time64(
    clock: i32,
    flags: i32,
    request: &Timespec64,
    remain: Option<&mut Timespec64>,
) -> Result<(), Errno>;

#[cfg(target_pointer_width = "64")]
#[syscall]
unsafe fn clock_nanosleep(
    clock: i32,
    flags: i32,
    request: &Timespec64,
    remain: Option<&mut Timespec64>,
) -> Result<(), Errno>;

/// 64-bit offsets on 32-bit targets: high and low words, the result through a pointer.
#[cfg(target_pointer_width = "32")]
#[syscall]
unsafe fn _llseek(
    fd: u32,
    offset_high: usize,
    offset_low: usize,
    result: &mut i64,
    whence: u32,
) -> Result<(), Errno>;

#[cfg(target_pointer_width = "32")]
#[syscall]
unsafe fn ftruncate64(fd: u32, length: i64) -> Result<(), Errno>;

#[cfg(target_pointer_width = "64")]
#[syscall]
unsafe fn ftruncate(fd: u32, length: i64) -> Result<(), Errno>;

/// The offset in 4096-byte units.
#[cfg(target_pointer_width = "32")]
#[syscall]
unsafe fn mmap2(
    addr: *mut u8,
    len: usize,
    prot: i32,
    flags: i32,
    fd: i32,
    pgoff: usize,
) -> Result<*mut u8, Errno>;

#[cfg(all(target_pointer_width = "64", not(target_arch = "s390x")))]
#[syscall]
unsafe fn mmap(
    addr: *mut u8,
    len: usize,
    prot: i32,
    flags: i32,
    fd: i32,
    offset: i64,
) -> Result<*mut u8, Errno>;

#[cfg(target_arch = "s390x")]
#[syscall]
unsafe fn mmap(args: &MmapArgs) -> Result<*mut u8, Errno>;

/// 32-bit ids where `getuid` is the 16-bit `sys_getuid16`.
#[cfg(any(target_arch = "x86", target_arch = "arm"))]
#[syscall(readonly)]
unsafe fn getuid32() -> u32;

#[cfg(not(any(target_arch = "x86", target_arch = "arm")))]
#[syscall(readonly)]
unsafe fn getuid() -> u32;

/// `clone`'s order: x86_64's, s390x's (the stack first), everyone else's (`tls` before
/// `child_tid`).
#[cfg(target_arch = "x86_64")]
#[syscall]
unsafe fn clone(
    flags: usize,
    stack: usize,
    parent_tid: *mut i32,
    child_tid: *mut i32,
    tls: usize,
) -> Result<i32, Errno>;

#[cfg(target_arch = "s390x")]
#[syscall]
unsafe fn clone(
    stack: usize,
    flags: usize,
    parent_tid: *mut i32,
    child_tid: *mut i32,
    tls: usize,
) -> Result<i32, Errno>;

#[cfg(not(any(target_arch = "x86_64", target_arch = "s390x")))]
#[syscall]
unsafe fn clone(
    flags: usize,
    stack: usize,
    parent_tid: *mut i32,
    tls: usize,
    child_tid: *mut i32,
) -> Result<i32, Errno>;

/// arm puts `flags` second so that the pairs start at even registers; mips o32 has no form
/// that fits six words.
#[cfg(target_arch = "arm")]
#[syscall]
unsafe fn sync_file_range2(fd: i32, flags: u32, offset: i64, nbytes: i64) -> Result<(), Errno>;

#[cfg(not(any(target_arch = "arm", target_arch = "mips")))]
#[syscall]
unsafe fn sync_file_range(fd: i32, offset: i64, nbytes: i64, flags: u32) -> Result<(), Errno>;

/// The same for `fadvise64`: i386's takes a word-sized `len`, arm's puts `advice` second.
#[cfg(target_arch = "x86")]
#[syscall]
unsafe fn fadvise64_64(fd: i32, offset: i64, len: i64, advice: i32) -> Result<(), Errno>;

#[cfg(target_arch = "arm")]
#[syscall]
unsafe fn arm_fadvise64_64(fd: i32, advice: i32, offset: i64, len: i64) -> Result<(), Errno>;

#[cfg(target_pointer_width = "64")]
#[syscall]
unsafe fn fadvise64(fd: i32, offset: i64, len: i64, advice: i32) -> Result<(), Errno>;

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
#[syscall(name = "mmap")]
unsafe fn mmap_six(
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

/// A 64-bit `off_t` for `sendfile`, whose `off_t` is 32-bit on 32-bit targets.
#[cfg(feature = "sendfile-i64")]
#[syscall(name = "sendfile")]
unsafe fn sendfile_i64(
    out_fd: i32,
    in_fd: i32,
    offset: Option<&mut i64>,
    count: usize,
) -> Result<usize, Errno>;

/// A 64-bit timespec for the `clock_nanosleep` of 32-bit targets (the old 32-bit one).
#[cfg(feature = "nanosleep-timespec64")]
#[syscall(name = "clock_nanosleep")]
unsafe fn clock_nanosleep_64(
    clock: i32,
    flags: i32,
    request: &Timespec64,
    remain: Option<&mut Timespec64>,
) -> Result<(), Errno>;

/// `sys_getuid16` on i686 and arm.
#[cfg(feature = "getuid16")]
#[syscall(readonly, name = "getuid")]
unsafe fn getuid_16() -> u32;

/// x86_64's order everywhere.
#[cfg(feature = "clone-x86_64-order")]
#[syscall(name = "clone")]
unsafe fn clone_x86_64(
    flags: usize,
    stack: usize,
    parent_tid: *mut i32,
    child_tid: *mut i32,
    tls: usize,
) -> Result<i32, Errno>;

/// s390x's order everywhere.
#[cfg(feature = "clone-s390x-order")]
#[syscall(name = "clone")]
unsafe fn clone_s390x(
    stack: usize,
    flags: usize,
    parent_tid: *mut i32,
    child_tid: *mut i32,
    tls: usize,
) -> Result<i32, Errno>;

/// A 64-bit length for `ftruncate`, whose `off_t` is a word.
#[cfg(feature = "ftruncate-i64")]
#[syscall(name = "ftruncate")]
unsafe fn ftruncate_i64(fd: u32, length: i64) -> Result<(), Errno>;

/// The 64-bit targets' `mmap` everywhere.
#[cfg(feature = "mmap-i64-offset")]
#[syscall(name = "mmap")]
unsafe fn mmap_i64(
    addr: *mut u8,
    len: usize,
    prot: i32,
    flags: i32,
    fd: i32,
    offset: i64,
) -> Result<*mut u8, Errno>;

/// The 64-bit targets' `fadvise64` everywhere.
#[cfg(feature = "fadvise64")]
#[syscall(name = "fadvise64")]
unsafe fn fadvise64_everywhere(fd: i32, offset: i64, len: i64, advice: i32) -> Result<(), Errno>;

/// The generic `sync_file_range` everywhere (arm has `sync_file_range2`, mips o32 needs seven
/// words).
#[cfg(feature = "sync-file-range")]
#[syscall(name = "sync_file_range")]
unsafe fn sync_file_range_everywhere(
    fd: i32,
    offset: i64,
    nbytes: i64,
    flags: u32,
) -> Result<(), Errno>;

/// Not checked against the prototype, still counted: the pair after one word starts at an
/// even register on arm and mips, seven words in all.
#[cfg(feature = "register-count")]
#[syscall(unchecked, name = "fallocate")]
unsafe fn fallocate_seven(fd: i32, offset: u64, len: u64, mode: i32) -> Result<(), Errno>;

/// The man page's name: the 32-bit targets' call is `_llseek`, 64-bit ones have `lseek` only.
#[cfg(feature = "llseek")]
#[syscall]
unsafe fn llseek(
    fd: u32,
    offset_high: usize,
    offset_low: usize,
    result: &mut i64,
    whence: u32,
) -> Result<(), Errno>;
