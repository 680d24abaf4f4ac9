//! Shared references and slices where the kernel only reads although its prototype has no
//! `const` (issue 18): accepted.

use libsys::{Errno, syscall};
use std::ffi::CStr;
use std::os::fd::OwnedFd;

/// The kernel's `sigset_t` on x86_64 and most others (64 signals).
#[repr(C)]
pub struct SigSet(pub u64);
/// `struct open_how`.
#[repr(C)]
pub struct OpenHow {
    pub flags: u64,
    pub mode: u64,
    pub resolve: u64,
}
/// `struct futex_waitv`.
#[repr(C)]
pub struct FutexWaitv {
    pub val: u64,
    pub uaddr: u64,
    pub flags: u32,
    pub reserved: u32,
}
/// `struct __kernel_timespec`.
#[repr(C)]
pub struct Timespec {
    pub sec: i64,
    pub nsec: i64,
}
/// `struct cachestat_range`.
#[repr(C)]
pub struct CachestatRange {
    pub off: u64,
    pub len: u64,
}
/// `struct cachestat`.
#[repr(C)]
pub struct Cachestat(pub [u64; 5]);
/// `struct mount_attr`.
#[repr(C)]
pub struct MountAttr {
    pub set: u64,
    pub clr: u64,
    pub propagation: u64,
    pub userns_fd: u64,
}
/// `struct clone_args` (its first fields).
#[repr(C)]
pub struct CloneArgs(pub [u64; 11]);
/// `struct iocb`.
#[repr(C)]
pub struct Iocb(pub [u64; 8]);
/// `struct lsm_ctx` (its header).
#[repr(C)]
pub struct LsmCtx {
    pub id: u64,
    pub flags: u64,
    pub len: u64,
    pub ctx_len: u64,
}

#[syscall]
pub unsafe fn signalfd4(fd: i32, mask: &SigSet, size: usize, flags: i32) -> Result<OwnedFd, Errno>;
#[syscall]
pub unsafe fn openat2(dirfd: i32, path: &CStr, how: &OpenHow, size: usize) -> Result<OwnedFd, Errno>;
#[syscall]
pub unsafe fn futex_waitv(waiters: &[FutexWaitv], flags: u32, timeout: Option<&Timespec>, clock: i32) -> Result<usize, Errno>;
#[syscall]
pub unsafe fn cachestat(fd: i32, range: &CachestatRange, stat: &mut Cachestat, flags: u32) -> Result<(), Errno>;
#[syscall]
pub unsafe fn mount_setattr(dirfd: i32, path: &CStr, flags: u32, attr: &MountAttr, size: usize) -> Result<(), Errno>;
#[syscall]
pub unsafe fn clone3(args: &CloneArgs, size: usize) -> Result<i32, Errno>;
#[syscall]
pub unsafe fn pselect6(n: i32, inp: *mut u64, outp: *mut u64, exp: *mut u64, timeout: Option<&mut Timespec>, sig: &[usize; 2]) -> Result<usize, Errno>;
#[syscall]
pub unsafe fn io_submit(ctx: usize, nr: isize, iocbs: &[*mut Iocb; 1]) -> Result<usize, Errno>;
#[syscall]
pub unsafe fn lsm_set_self_attr(attr: u32, ctx: &LsmCtx, size: u32, flags: u32) -> Result<(), Errno>;

fn main() {
    let mask = SigSet(0);
    // SAFETY: `mask` is a valid `sigset_t` of the size given.
    let fd = unsafe { signalfd4(-1, &mask, size_of::<SigSet>(), 0) };
    assert!(fd.is_ok(), "{fd:?}");
    let how = OpenHow {
        flags: 0,
        mode: 0,
        resolve: 0,
    };
    // SAFETY: `how` is a valid `open_how` of the size given, the path a C string.
    let root = unsafe { openat2(-100, c"/", &how, size_of::<OpenHow>()) };
    assert!(matches!(root, Ok(_) | Err(Errno::ENOSYS)), "{root:?}");
}
