//! Zero-cost fixture: calls through `#[syscall]` wrappers, and the same calls written by hand
//! with `asm!`, compiled to assembly by `tests/zero_cost.rs` (never linked, never run).
//!
//! Built twice: `--cfg zero_cost="declared"` exports `zc_*` functions that call declared
//! wrappers; `--cfg zero_cost="handwritten"` exports the same names written without libsys's
//! call path: the instruction, the number, the registers, clobbers and options of the ABI, and
//! the kernel's error convention (`-4095..=-1` is a negated errno) decoded by hand. The test
//! asserts both builds compile each function to the same instructions. `zc_control_getppid`
//! (declared build only) adds a `black_box`, a negative control that must differ.
//!
//! Facts: the ABIs in `/work/shared/reference/syscall-abi.md` (kernel
//! `arch/x86/entry/entry_64.S`, `arch/arm64/kernel/entry.S`); the numbers from the kernel's
//! `arch/x86/entry/syscalls/syscall_64.tbl` and `include/uapi/asm-generic/unistd.h` (aarch64);
//! `getppid(2)`, `mmap(2)`, `write(2)`.
#![no_std]

#[cfg(zero_cost = "declared")]
mod declared {
    use libsys::{Errno, syscall};

    #[syscall(readonly)]
    unsafe fn getppid() -> u32;

    #[syscall]
    unsafe fn mmap(
        addr: *mut u8,
        len: usize,
        prot: i32,
        flags: i32,
        fd: i32,
        offset: i64,
    ) -> Result<*mut u8, Errno>;

    #[syscall(readonly)]
    unsafe fn write(fd: i32, buf: &[u8]) -> Result<usize, Errno>;

    /// `getppid()`, no arguments, a plain value.
    #[inline(never)]
    #[unsafe(no_mangle)]
    pub fn zc_getppid() -> u32 {
        // SAFETY: getppid touches no memory.
        unsafe { getppid() }
    }

    /// Negative control: the declared call plus a `black_box`, which must not compare equal.
    #[inline(never)]
    #[unsafe(no_mangle)]
    pub fn zc_control_getppid() -> u32 {
        // SAFETY: getppid touches no memory.
        core::hint::black_box(unsafe { getppid() })
    }

    /// Six arguments, sign-extended `int`s and a `Result` with a pointer.
    ///
    /// # Safety
    /// As `mmap(2)`: the mapping must not replace memory Rust uses.
    #[inline(never)]
    #[unsafe(no_mangle)]
    pub unsafe fn zc_mmap(
        addr: *mut u8,
        len: usize,
        prot: i32,
        flags: i32,
        fd: i32,
        offset: i64,
    ) -> Result<*mut u8, Errno> {
        // SAFETY: forwarded from the caller.
        unsafe { mmap(addr, len, prot, flags, fd, offset) }
    }

    /// A slice passed as pointer and length.
    #[inline(never)]
    #[unsafe(no_mangle)]
    pub fn zc_write(fd: i32, buf: &[u8]) -> Result<usize, Errno> {
        // SAFETY: the kernel reads `buf.len()` bytes of `buf`; a bad descriptor is an error.
        unsafe { write(fd, buf) }
    }
}

#[cfg(zero_cost = "handwritten")]
mod handwritten {
    use core::arch::asm;
    use libsys::Errno;

    #[cfg(target_arch = "x86_64")]
    const NR_GETPPID: usize = 110;
    #[cfg(target_arch = "x86_64")]
    const NR_MMAP: usize = 9;
    #[cfg(target_arch = "x86_64")]
    const NR_WRITE: usize = 1;
    #[cfg(target_arch = "aarch64")]
    const NR_GETPPID: usize = 173;
    #[cfg(target_arch = "aarch64")]
    const NR_MMAP: usize = 222;
    #[cfg(target_arch = "aarch64")]
    const NR_WRITE: usize = 64;

    /// The kernel's convention: `-4095..=-1` is a negated errno.
    #[inline(always)]
    fn decode(r: usize) -> Result<usize, Errno> {
        if r > -4096isize as usize {
            match Errno::from_raw(r.wrapping_neg() as i32) {
                Some(e) => Err(e),
                None => Ok(r),
            }
        } else {
            Ok(r)
        }
    }

    /// `getppid()` by hand.
    #[inline(never)]
    #[unsafe(no_mangle)]
    pub fn zc_getppid() -> u32 {
        let r: usize;
        #[cfg(target_arch = "x86_64")]
        // SAFETY: `syscall` writes rax, rcx and r11 only; getppid writes no memory.
        unsafe {
            asm!("syscall", inlateout("rax") NR_GETPPID => r, lateout("rcx") _,
                 lateout("r11") _, options(nostack, preserves_flags, readonly));
        }
        #[cfg(target_arch = "aarch64")]
        // SAFETY: `svc #0` writes x0 only; getppid writes no memory.
        unsafe {
            asm!("svc #0", in("x8") NR_GETPPID, lateout("x0") r,
                 options(nostack, preserves_flags, readonly));
        }
        r as u32
    }

    /// `mmap(2)` by hand: C's sign extension of `int` arguments.
    ///
    /// # Safety
    /// As `mmap(2)`: the mapping must not replace memory Rust uses.
    #[inline(never)]
    #[unsafe(no_mangle)]
    pub unsafe fn zc_mmap(
        addr: *mut u8,
        len: usize,
        prot: i32,
        flags: i32,
        fd: i32,
        offset: i64,
    ) -> Result<*mut u8, Errno> {
        let (prot, flags, fd) = (prot as isize, flags as isize, fd as isize);
        let r: usize;
        #[cfg(target_arch = "x86_64")]
        // SAFETY: `syscall` writes rax, rcx and r11 only; memory is the caller's contract.
        unsafe {
            asm!("syscall", inlateout("rax") NR_MMAP => r, in("rdi") addr, in("rsi") len,
                 in("rdx") prot, in("r10") flags, in("r8") fd, in("r9") offset,
                 lateout("rcx") _, lateout("r11") _, options(nostack, preserves_flags));
        }
        #[cfg(target_arch = "aarch64")]
        // SAFETY: `svc #0` writes x0 only; memory is the caller's contract.
        unsafe {
            asm!("svc #0", in("x8") NR_MMAP, inlateout("x0") addr => r, in("x1") len,
                 in("x2") prot, in("x3") flags, in("x4") fd, in("x5") offset,
                 options(nostack, preserves_flags));
        }
        decode(r).map(|v| v as *mut u8)
    }

    /// `write(2)` by hand: the slice as pointer and length.
    #[inline(never)]
    #[unsafe(no_mangle)]
    pub fn zc_write(fd: i32, buf: &[u8]) -> Result<usize, Errno> {
        let fd = fd as isize;
        let r: usize;
        #[cfg(target_arch = "x86_64")]
        // SAFETY: `syscall` writes rax, rcx and r11 only; write reads `buf.len()` bytes of
        // `buf` and writes no memory.
        unsafe {
            asm!("syscall", inlateout("rax") NR_WRITE => r, in("rdi") fd,
                 in("rsi") buf.as_ptr(), in("rdx") buf.len(), lateout("rcx") _,
                 lateout("r11") _, options(nostack, preserves_flags, readonly));
        }
        #[cfg(target_arch = "aarch64")]
        // SAFETY: `svc #0` writes x0 only; write reads `buf.len()` bytes of `buf` and writes
        // no memory.
        unsafe {
            asm!("svc #0", in("x8") NR_WRITE, inlateout("x0") fd => r, in("x1") buf.as_ptr(),
                 in("x2") buf.len(), options(nostack, preserves_flags, readonly));
        }
        decode(r)
    }
}
