//! Wrappers declared with `#[syscall]`/`#[syscalls]` and checked without std, so that the
//! no-libc harness runs them on every architecture (loongarch64 included), next to the std
//! suite `tests/declared.rs`. Raw descriptors only (`BorrowedFd`/`OwnedFd` need std). The
//! oracle is the kernel's behaviour: bytes written come back, sizes and offsets add up.

use core::ffi::CStr;
use libsys::{Errno, syscall, syscalls};

#[syscall]
unsafe fn openat(dirfd: i32, path: &CStr, flags: i32, mode: u32) -> Result<i32, Errno>;

#[syscall(readonly)]
unsafe fn unlinkat(dirfd: i32, path: &CStr, flags: i32) -> Result<(), Errno>;

#[syscall(readonly)]
unsafe fn close(fd: i32) -> Result<(), Errno>;

#[syscall]
unsafe fn pipe2(fds: &mut [i32; 2], flags: i32) -> Result<(), Errno>;

#[syscall(readonly)]
unsafe fn write(fd: i32, buf: &[u8]) -> Result<usize, Errno>;

#[syscall]
unsafe fn read(fd: i32, buf: &mut [u8]) -> Result<usize, Errno>;

#[syscall(readonly)]
unsafe fn pwrite64(fd: i32, buf: &[u8], offset: u64) -> Result<usize, Errno>;

#[syscall]
unsafe fn pread64(fd: i32, buf: &mut [u8], offset: u64) -> Result<usize, Errno>;

#[syscall]
unsafe fn fallocate(fd: i32, mode: i32, offset: u64, len: u64) -> Result<(), Errno>;

#[syscall]
unsafe fn statx(
    dirfd: i32,
    path: &CStr,
    flags: i32,
    mask: u32,
    buf: &mut [u64; 32],
) -> Result<(), Errno>;

#[syscall(readonly)]
unsafe fn getppid() -> u32;

#[syscalls]
unsafe extern "C" {
    /// `getpid(2)` cannot fail and touches no memory: declared safe.
    #[syscall(readonly)]
    safe fn getpid() -> u32;
    /// `gettid(2)`, likewise.
    #[syscall(readonly)]
    safe fn gettid() -> i32;
}

/// A file in `/tmp` created, used and removed through declared wrappers only.
pub fn declared_wrappers_round_trip_file_io() -> Result<(), &'static str> {
    let path = c"/tmp/libsys-declared-check";
    let flags = libc::O_RDWR | libc::O_CREAT | libc::O_TRUNC | libc::O_CLOEXEC | libc::O_LARGEFILE;
    // SAFETY: `path` is a valid C string; the descriptor returned is owned here.
    let fd = unsafe { openat(-100, path, flags, 0o600) }.map_err(|_| "openat")?;
    // SAFETY: as above.
    let _ = unsafe { unlinkat(-100, path, 0) };
    let far = 5u64 << 30;
    // SAFETY: `fd` is ours; the slices are valid for their lengths.
    let result = unsafe {
        (|| {
            if pwrite64(fd, b"declared", far).map_err(|_| "pwrite64")? != 8 {
                return Err("short pwrite64");
            }
            let mut buf = [0u8; 8];
            if pread64(fd, &mut buf, far).map_err(|_| "pread64")? != 8 || &buf != b"declared" {
                return Err("pread64 above 4 GiB read other bytes");
            }
            fallocate(fd, 0, far + 4096, 8192).map_err(|_| "fallocate")?;
            let mut stx = [0u64; 32];
            statx(fd, c"", 0x1000, 0x200, &mut stx).map_err(|_| "statx")?;
            if stx[5] != far + 4096 + 8192 {
                return Err("size after fallocate above 4 GiB is wrong");
            }
            Ok(())
        })()
    };
    // SAFETY: closing our own descriptor.
    unsafe { close(fd) }.map_err(|_| "close")?;
    result
}

/// Pipes, slices, infallible and safe declarations.
pub fn declared_wrappers_pipe_and_ids() -> Result<(), &'static str> {
    let mut fds = [0i32; 2];
    // SAFETY: `fds` is valid for writes.
    unsafe { pipe2(&mut fds, libc::O_CLOEXEC) }.map_err(|_| "pipe2")?;
    let mut buf = [0u8; 16];
    // SAFETY: the descriptors are ours; the slices are valid.
    let n = unsafe {
        write(fds[1], b"through a pipe").map_err(|_| "write")?;
        read(fds[0], &mut buf).map_err(|_| "read")?
    };
    // SAFETY: closing our own descriptors.
    unsafe {
        close(fds[0]).map_err(|_| "close")?;
        close(fds[1]).map_err(|_| "close")?;
    }
    if &buf[..n] != b"through a pipe" {
        return Err("pipe returned other bytes");
    }
    // Not a second close of `fds[0]`: in a multi-threaded test process another thread may
    // already have been given that number.
    // SAFETY: closing a descriptor that cannot exist fails without effect.
    if unsafe { close(-1) } != Err(Errno::EBADF) {
        return Err("close(-1) did not give EBADF");
    }
    // SAFETY: getppid takes nothing and writes nothing.
    let ppid = unsafe { getppid() };
    let pid = getpid();
    if pid == 0 || ppid == 0 || pid == ppid || gettid() <= 0 {
        return Err("getpid/getppid/gettid inconsistent");
    }
    Ok(())
}
