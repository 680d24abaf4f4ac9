//! The vDSO functions as hooks see them (feature `hooks`): each public function first loads the
//! hook slot of the system call it stands for (`sys_core::hook::installed`, one relaxed load);
//! with a hook installed it comes here, builds that call's argument words (pointers to zeroed
//! results) and runs the hook through `sys_core::hook::dispatch_vdso`, whose `Call::real` makes
//! the vDSO call (or the system call where the vDSO cannot answer) and records which answered.
//!
//! Facts: the system calls' argument orders from clock_gettime(2), clock_getres(2),
//! gettimeofday(2), time(2), getcpu(2) and getrandom(2), as strace prints them; which clocks the
//! kernel's vDSO reads itself from `lib/vdso/gettimeofday.c` (see [`crate::clock`]). The words
//! are those of the system call the function would make: on 32-bit architectures
//! `clock_gettime64`/`clock_getres_time64`, with the 64-bit [`Timespec`].
//!
//! In the hooked path `clock_gettime` asks the vDSO only about the clocks it reads itself and
//! sends the others (CPU-time, fd and alarm clocks, the auxiliary clocks, bad ids) straight to
//! the kernel, so that [`sys_core::hook::Call::answered_by_vdso`] is true exactly when no system
//! call was made; the results are the same either way.

use sys_core::hook::{VdsoReal, dispatch_vdso};
use sys_core::{Errno, RawRet, nr, syscall};

use crate::clock::{self, ClockId, GetcpuFn, Timespec, call_clock};
use crate::slot::{ABSENT, Slot, UNINIT};
use crate::symbols::native::NAMES;

/// The hook installed for number `nr`, if any.
#[inline(always)]
pub(crate) fn installed(nr: usize) -> Option<*mut ()> {
    let h = sys_core::hook::installed(nr);
    (!h.is_null()).then_some(h)
}

/// The entry point in `slot`, resolving `name` on first use (`ABSENT` or below: none).
fn entry(slot: &Slot, name: Option<&str>, check: impl FnOnce(usize) -> bool) -> usize {
    let f = slot.get();
    if f == UNINIT {
        slot.resolve(name, NAMES.version, check)
    } else {
        f
    }
}

/// The raw form of a result.
fn raw(r: Result<usize, Errno>) -> usize {
    match r {
        Ok(v) => v,
        Err(e) => RawRet::from(e).0,
    }
}

/// A clock id as a word, as `syscall!` passes an `i32` (sign-extended).
fn clock_word(clock: ClockId) -> usize {
    clock.raw() as isize as usize
}

/// Runs the hook `h` on a call of `nr` with `args` (the first `len` words).
///
/// # Safety
/// As `dispatch_vdso`.
unsafe fn run(h: *mut (), nr: usize, args: [usize; 6], len: usize, real: VdsoReal) -> RawRet {
    // SAFETY: forwarded from the caller.
    unsafe { dispatch_vdso(h, nr, &args, len, real) }
}

#[cold]
#[inline(never)]
pub(crate) fn clock_gettime(h: *mut (), clock: ClockId) -> Result<Timespec, Errno> {
    let mut ts = Timespec::default();
    let p = (&raw mut ts).expose_provenance();
    // SAFETY: the words are a clock id and a pointer valid for writes of a `Timespec` (the
    // kernel's `struct __kernel_timespec`), which `real_clock_gettime` expects.
    unsafe {
        run(
            h,
            crate::syscall::CLOCK_GETTIME,
            [clock_word(clock), p, 0, 0, 0, 0],
            2,
            real_clock_gettime,
        )
    }
    .result()?;
    Ok(ts)
}

/// The real `clock_gettime`: the vDSO for the clocks it reads, else the kernel.
///
/// # Safety
/// `a[1]` must be valid for writes of a [`Timespec`].
unsafe fn real_clock_gettime(a: &[usize; 6]) -> (usize, bool) {
    // SAFETY: forwarded from the caller.
    unsafe {
        real_clock(
            a,
            &clock::CLOCK_GETTIME,
            NAMES.clock_gettime,
            crate::syscall::CLOCK_GETTIME,
        )
    }
}

#[cold]
#[inline(never)]
pub(crate) fn clock_getres(h: *mut (), clock: ClockId) -> Result<Timespec, Errno> {
    let mut ts = Timespec::default();
    let p = (&raw mut ts).expose_provenance();
    // SAFETY: as in `clock_gettime`.
    unsafe {
        run(
            h,
            crate::syscall::CLOCK_GETRES,
            [clock_word(clock), p, 0, 0, 0, 0],
            2,
            real_clock_getres,
        )
    }
    .result()?;
    Ok(ts)
}

/// The real `clock_getres`.
///
/// # Safety
/// `a[1]` must be valid for writes of a [`Timespec`].
unsafe fn real_clock_getres(a: &[usize; 6]) -> (usize, bool) {
    // SAFETY: forwarded from the caller.
    unsafe {
        real_clock(
            a,
            &clock::CLOCK_GETRES,
            NAMES.clock_getres,
            crate::syscall::CLOCK_GETRES,
        )
    }
}

/// A clock function of the vDSO in `slot` for the clocks it reads itself, else system call `nr`.
///
/// # Safety
/// `a[1]` must be valid for writes of a [`Timespec`]; `slot` holds a time64 clock function.
unsafe fn real_clock(a: &[usize; 6], slot: &Slot, name: Option<&str>, nr: usize) -> (usize, bool) {
    let [id, out, ..] = *a;
    let clock = ClockId::from_raw(id as i32);
    if clock.vdso_getres() {
        let f = entry(slot, name, |_| true);
        if f > ABSENT {
            // SAFETY: the slot holds the vDSO's time64 clock function of this shape.
            if let Some(ts) = unsafe { call_clock(f, clock) } {
                // SAFETY: the caller passes a pointer valid for writes of a `Timespec`.
                unsafe { core::ptr::with_exposed_provenance_mut::<Timespec>(out).write(ts) };
                return (0, true);
            }
        }
    }
    // SAFETY: a clock id and a pointer valid for writes of a `struct __kernel_timespec`.
    (raw(unsafe { syscall!(nr, id, out) }), false)
}

#[cfg(target_pointer_width = "64")]
#[cold]
#[inline(never)]
pub(crate) fn gettimeofday(h: *mut ()) -> Result<clock::Timeval, Errno> {
    let mut tv = clock::Timeval::default();
    let p = (&raw mut tv).expose_provenance();
    // SAFETY: a pointer valid for writes of a `Timeval` (`struct timeval` on 64-bit
    // architectures) and a null time zone, which `real_gettimeofday` expects.
    unsafe {
        run(
            h,
            nr::gettimeofday,
            [p, 0, 0, 0, 0, 0],
            2,
            real_gettimeofday,
        )
    }
    .result()?;
    Ok(tv)
}

/// The real `gettimeofday`: the vDSO's if it has one, else the system call.
///
/// # Safety
/// `a[0]` must be valid for writes of a `Timeval`, `a[1]` null or valid for a `struct timezone`.
#[cfg(target_pointer_width = "64")]
unsafe fn real_gettimeofday(a: &[usize; 6]) -> (usize, bool) {
    let [tv, tz, ..] = *a;
    let f = entry(&clock::GETTIMEOFDAY, NAMES.gettimeofday, |_| true);
    if f > ABSENT {
        // SAFETY: the slot holds the vDSO's gettimeofday (64-bit `struct timeval`).
        let f = unsafe { core::mem::transmute::<usize, clock::GettimeofdayFn>(f) };
        // SAFETY: the caller's pointers.
        let r = unsafe {
            f(
                core::ptr::with_exposed_provenance_mut(tv),
                core::ptr::with_exposed_provenance_mut::<core::ffi::c_void>(tz),
            )
        };
        if r == 0 {
            return (0, true);
        }
    }
    // SAFETY: the caller's pointers.
    (raw(unsafe { syscall!(nr::gettimeofday, tv, tz) }), false)
}

#[cfg(any(target_arch = "x86_64", target_arch = "powerpc64"))]
#[cold]
#[inline(never)]
pub(crate) fn time(h: *mut ()) -> Result<i64, Errno> {
    // SAFETY: a null pointer: the result only.
    let r = unsafe { run(h, nr::time, [0; 6], 1, real_time) }.result()?;
    Ok(r as i64)
}

/// The real `time`: the vDSO's if it has one, else the system call.
///
/// # Safety
/// `a[0]` must be null or valid for writes of an `i64`.
#[cfg(any(target_arch = "x86_64", target_arch = "powerpc64"))]
unsafe fn real_time(a: &[usize; 6]) -> (usize, bool) {
    let [tloc, ..] = *a;
    let f = entry(&clock::TIME, NAMES.time, |_| true);
    if f > ABSENT {
        // SAFETY: the slot holds the vDSO's `time_t time(time_t *)` with a 64-bit `time_t`.
        let f = unsafe { core::mem::transmute::<usize, clock::TimeFn>(f) };
        // SAFETY: the caller's pointer.
        return (
            unsafe { f(core::ptr::with_exposed_provenance_mut(tloc)) } as usize,
            true,
        );
    }
    // SAFETY: the caller's pointer.
    (raw(unsafe { syscall!(nr::time, tloc) }), false)
}

/// `getcpu` and `sched_getcpu` (`node`: whether the node is asked for; `None` if not).
#[cold]
#[inline(never)]
pub(crate) fn getcpu(h: *mut (), node: bool) -> Result<(u32, Option<u32>), Errno> {
    let (mut cpu, mut n) = (0u32, 0u32);
    let pc = (&raw mut cpu).expose_provenance();
    let pn = if node {
        (&raw mut n).expose_provenance()
    } else {
        0
    };
    // SAFETY: pointers valid for writes of a u32 (or null for the node), and an unused third
    // argument, which `real_getcpu` expects.
    unsafe { run(h, nr::getcpu, [pc, pn, 0, 0, 0, 0], 3, real_getcpu) }.result()?;
    Ok((cpu, node.then_some(n)))
}

/// The real `getcpu`: the vDSO's if it has one, else the system call.
///
/// # Safety
/// `a[0]` and `a[1]` must be null or valid for writes of a u32.
unsafe fn real_getcpu(a: &[usize; 6]) -> (usize, bool) {
    let [cpu, node, ..] = *a;
    let f = entry(&clock::GETCPU, NAMES.getcpu, |_| true);
    if f > ABSENT {
        // SAFETY: the slot holds the vDSO's getcpu.
        let f = unsafe { core::mem::transmute::<usize, GetcpuFn>(f) };
        // SAFETY: the caller's pointers; the cache argument is unused.
        let r = unsafe {
            f(
                core::ptr::with_exposed_provenance_mut(cpu),
                core::ptr::with_exposed_provenance_mut(node),
                core::ptr::null_mut(),
            )
        };
        if r == 0 {
            return (0, true);
        }
    }
    // SAFETY: the caller's pointers; the third argument is unused.
    (
        raw(unsafe { syscall!(nr::getcpu, cpu, node, 0usize) }),
        false,
    )
}

#[cold]
#[inline(never)]
pub(crate) fn getrandom(h: *mut (), buf: &mut [u8], flags: u32) -> Result<usize, Errno> {
    let p = buf.as_mut_ptr().expose_provenance();
    // SAFETY: a buffer valid for writes of its length, and the flags, which `real_getrandom`
    // expects.
    unsafe {
        run(
            h,
            nr::getrandom,
            [p, buf.len(), flags as usize, 0, 0, 0],
            3,
            real_getrandom,
        )
    }
    .result()
}

/// The real `getrandom`: the vDSO's with a state from the pool, else the system call.
///
/// # Safety
/// `a[0]` must be valid for writes of `a[1]` bytes.
unsafe fn real_getrandom(a: &[usize; 6]) -> (usize, bool) {
    let [p, len, flags, ..] = *a;
    let f = entry(
        &crate::random::GETRANDOM,
        NAMES.getrandom,
        crate::random::query_params,
    );
    if f > ABSENT && p != 0 {
        // SAFETY: the caller's buffer, non-null, valid for writes of `len` bytes.
        let buf = unsafe {
            core::slice::from_raw_parts_mut(core::ptr::with_exposed_provenance_mut::<u8>(p), len)
        };
        if let Some(r) = crate::random::vdso_getrandom(f, buf, flags as u32) {
            return (raw(r), true);
        }
    }
    // SAFETY: the caller's buffer and flags.
    (
        raw(unsafe { syscall!(nr::getrandom, p, len, flags) }),
        false,
    )
}
