use libsys::{Errno, syscall};

/// `struct iovec`.
#[repr(C)]
pub struct IoVec {
    pub base: *mut u8,
    pub len: usize,
}

// The iovecs are only read, but the kernel fills the buffers they point at: with `readonly`, a
// release build read the buffer's old value after the call (issue 18).
#[syscall(readonly)]
pub unsafe fn readv(fd: i32, iov: &[IoVec]) -> Result<usize, Errno>;

#[syscall(readonly)]
pub unsafe fn preadv(fd: i32, iov: &[IoVec], pos_l: usize, pos_h: usize) -> Result<usize, Errno>;

#[syscall(readonly)]
pub unsafe fn preadv2(fd: i32, iov: &[IoVec], pos_l: usize, pos_h: usize, flags: i32) -> Result<usize, Errno>;

#[syscall(readonly)]
pub unsafe fn vmsplice(fd: i32, iov: &[IoVec], flags: u32) -> Result<usize, Errno>;

#[syscall(readonly)]
pub unsafe fn process_vm_readv(pid: i32, local: &[IoVec], remote: &[IoVec], flags: usize) -> Result<usize, Errno>;

/// `struct iocb`.
#[repr(C)]
pub struct Iocb(pub [u64; 8]);

#[syscall(readonly)]
pub unsafe fn io_submit(ctx: usize, nr: isize, iocbs: &[*mut Iocb; 1]) -> Result<usize, Errno>;

fn main() {}
