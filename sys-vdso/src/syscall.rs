//! The system-call paths of every function in this crate, public for comparisons and for callers
//! that must not use the vDSO (for example under a tracer that has to see each call).
//!
//! Facts: clock_gettime(2), clock_getres(2), gettimeofday(2), getcpu(2), getrandom(2). On 32-bit
//! architectures the `time64` system calls are used (`clock_gettime64`, `clock_getres_time64`,
//! Linux 5.1+), and `gettimeofday` is derived from `clock_gettime64`: the `time32` calls would
//! truncate after 2038, so they are never made.

use sys_core::{Errno, nr, syscall};

use crate::clock::{ClockId, Timespec, Timeval};

#[cfg(target_pointer_width = "64")]
pub(crate) const CLOCK_GETTIME: usize = nr::clock_gettime;
#[cfg(target_pointer_width = "32")]
pub(crate) const CLOCK_GETTIME: usize = nr::clock_gettime64;
#[cfg(target_pointer_width = "64")]
pub(crate) const CLOCK_GETRES: usize = nr::clock_getres;
#[cfg(target_pointer_width = "32")]
pub(crate) const CLOCK_GETRES: usize = nr::clock_getres_time64;

/// `clock_gettime` (`clock_gettime64` on 32-bit architectures).
///
/// # Errors
/// As the kernel reports them (`EINVAL` for an unknown clock).
pub fn clock_gettime(clock: ClockId) -> Result<Timespec, Errno> {
    let mut ts = Timespec::default();
    // SAFETY: `ts` has the layout of `struct __kernel_timespec` and is valid for writes.
    unsafe { syscall!(self::CLOCK_GETTIME, clock.raw(), &mut ts) }?;
    Ok(ts)
}

/// `clock_getres` (`clock_getres_time64` on 32-bit architectures).
///
/// # Errors
/// As the kernel reports them (`EINVAL` for an unknown clock).
pub fn clock_getres(clock: ClockId) -> Result<Timespec, Errno> {
    let mut ts = Timespec::default();
    // SAFETY: as in `clock_gettime`.
    unsafe { syscall!(self::CLOCK_GETRES, clock.raw(), &mut ts) }?;
    Ok(ts)
}

/// `gettimeofday` (on 32-bit architectures: `clock_gettime64(CLOCK_REALTIME)` in microseconds).
///
/// # Errors
/// As the kernel reports them.
pub fn gettimeofday() -> Result<Timeval, Errno> {
    #[cfg(target_pointer_width = "64")]
    {
        let mut tv = Timeval::default();
        // SAFETY: on 64-bit architectures `Timeval` has the layout of `struct timeval`; a null
        // time zone is allowed.
        unsafe { syscall!(nr::gettimeofday, &mut tv, 0usize) }?;
        Ok(tv)
    }
    #[cfg(target_pointer_width = "32")]
    {
        let ts = clock_gettime(ClockId::REALTIME)?;
        Ok(Timeval {
            sec: ts.sec,
            usec: ts.nsec / 1000,
        })
    }
}

/// Seconds since the Epoch: the seconds of `CLOCK_REALTIME_COARSE` (what the kernel's `time`
/// returns; several architectures have no `time` system call).
///
/// # Errors
/// As the kernel reports them.
pub fn time() -> Result<i64, Errno> {
    Ok(clock_gettime(ClockId::REALTIME_COARSE)?.sec)
}

/// `getcpu`: `(cpu, node)`.
///
/// # Errors
/// As the kernel reports them.
pub fn getcpu() -> Result<(u32, u32), Errno> {
    let (mut cpu, mut node) = (0u32, 0u32);
    // SAFETY: both pointers are valid for writes of a u32; the third argument is unused.
    unsafe { syscall!(nr::getcpu, &mut cpu, &mut node, 0usize) }?;
    Ok((cpu, node))
}

/// `getcpu` for the CPU number alone (no node pointer), as sched_getcpu(3) makes it.
///
/// # Errors
/// As the kernel reports them.
pub fn sched_getcpu() -> Result<u32, Errno> {
    let mut cpu = 0u32;
    // SAFETY: `cpu` is valid for writes of a u32; a null node pointer is allowed and the third
    // argument is unused.
    unsafe { syscall!(nr::getcpu, &mut cpu, 0usize, 0usize) }?;
    Ok(cpu)
}

/// `getrandom`: fills up to `buf.len()` bytes and returns how many.
///
/// # Errors
/// As the kernel reports them (`EAGAIN` with `GRND_NONBLOCK` before the pool is ready, `EINTR`,
/// `EINVAL` for unknown flags).
pub fn getrandom(buf: &mut [u8], flags: u32) -> Result<usize, Errno> {
    // SAFETY: `buf` is valid for writes of `buf.len()` bytes.
    unsafe { syscall!(nr::getrandom, buf.as_mut_ptr(), buf.len(), flags) }
}
