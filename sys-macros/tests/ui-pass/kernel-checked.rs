//! Declarations that match the kernel's prototypes, and deliberate deviations: all accepted.

use libsys::{Errno, syscall, syscalls};
use std::ffi::CStr;
use std::os::fd::{BorrowedFd, OwnedFd};

#[syscall]
pub unsafe fn read(fd: BorrowedFd<'_>, buf: &mut [u8]) -> Result<usize, Errno>;

#[syscall(readonly)]
pub unsafe fn write(fd: i32, buf: &[u8]) -> Result<usize, Errno>;

#[syscall]
pub unsafe fn openat(dirfd: BorrowedFd<'_>, path: &CStr, flags: i32, mode: u32) -> Result<OwnedFd, Errno>;

#[syscall]
pub unsafe fn pread64(fd: i32, buf: &mut [u8], offset: u64) -> Result<usize, Errno>;

#[syscall(readonly)]
pub unsafe fn lseek(fd: i32, offset: isize, whence: i32) -> Result<usize, Errno>;

#[syscall]
pub unsafe fn getcwd(buf: &mut [u8]) -> Result<usize, Errno>;

#[syscall]
pub unsafe fn uname(buf: &mut [[u8; 65]; 6]) -> Result<(), Errno>;

// The kernel only reads `utimes` (not `const` in its prototype).
#[syscall]
pub unsafe fn utimensat(dirfd: i32, path: Option<&CStr>, times: Option<&[u64; 4]>, flags: i32) -> Result<(), Errno>;

// Multiplexers: what is written depends on the command, so `readonly` (for a command that
// writes nothing, as `F_GETFD`) is the declaration's own responsibility: `unchecked`.
#[syscall(readonly, unchecked, name = "fcntl")]
pub unsafe fn fcntl_getfd(fd: i32, cmd: i32, arg: usize) -> Result<i32, Errno>;
#[syscall]
pub unsafe fn fcntl(fd: i32, cmd: i32, arg: usize) -> Result<i32, Errno>;

// Calls that cannot fail return the plain value.
#[syscall(readonly)]
pub unsafe fn getppid() -> u32;
#[syscall(readonly)]
pub unsafe fn umask(mask: u32) -> u32;

// Deliberate deviations: `unchecked`, or a number instead of a name.
#[syscall(readonly, unchecked)]
pub unsafe fn sched_yield() -> i32;
#[syscall(nr = 0)]
pub unsafe fn by_number(fd: i32, buf: &[u8]) -> usize;

#[syscalls]
unsafe extern "C" {
    pub safe fn getpid() -> u32;
    pub safe fn getrandom(buf: &mut [u8], flags: u32) -> Result<usize, Errno>;
    // The kernel's length counts bytes: 32 for four `u64`s, not 4.
    #[syscall(name = "getrandom")]
    pub safe fn getrandom_u64(buf: &mut [u64], flags: u32) -> Result<usize, Errno>;
}

/// `struct pollfd`.
#[repr(C)]
pub struct PollFd {
    pub fd: i32,
    pub events: i16,
    pub revents: i16,
}

// A memory range: the address as a word, then its length in bytes.
#[syscall]
pub unsafe fn munmap(mem: &mut [u64]) -> Result<(), Errno>;

// `nfds` counts elements.
#[syscall]
pub unsafe fn poll(fds: &mut [PollFd], timeout: i32) -> Result<usize, Errno>;

fn main() {
    assert!(getpid() > 0);
    let mut buf = [0u8; 4];
    assert_eq!(getrandom(&mut buf, 0), Ok(4));
    let mut wide = [0u64; 4];
    assert_eq!(getrandom_u64(&mut wide, 0), Ok(32));
    assert!(wide.iter().any(|&w| w != 0));
    // A negative descriptor is ignored; with a count in bytes (16) the kernel would read past
    // the array and fail with EFAULT.
    let mut fds = [
        PollFd { fd: -1, events: 0, revents: 0 },
        PollFd { fd: -1, events: 0, revents: 0 },
    ];
    // SAFETY: `fds` is valid for its length.
    assert_eq!(unsafe { poll(&mut fds, 0) }, Ok(0));
    // SAFETY: F_GETFD (1) on stdin writes nothing.
    assert!(unsafe { fcntl_getfd(0, 1, 0) }.is_ok_and(|f| f >= 0));
    // SAFETY: as above.
    assert!(unsafe { fcntl(0, 1, 0) }.is_ok());
}
