//! Clocks and CPU number through the vDSO, with the system call as fallback: `clock_gettime`,
//! `clock_getres`, `gettimeofday`, `time`, `getcpu`.
//!
//! Facts: clock_gettime(2), gettimeofday(2), time(2), getcpu(2); clock ids from
//! `<linux/time.h>`, the CPU-time and fd clock encodings from `include/linux/posix-timers.h`
//! (`MAKE_PROCESS_CPUCLOCK`, `FD_TO_CLOCKID`); the clocks the generic vDSO serves from
//! `lib/vdso/gettimeofday.c` (`VDSO_HRES | VDSO_COARSE | VDSO_RAW | VDSO_AUX`: realtime,
//! monotonic, monotonic_raw, the coarse ones, boottime, tai). Every clock id goes to the vDSO
//! entry point first, as in glibc and rustix: for any other id (CPU-time clocks, dynamic fd
//! clocks, alarm clocks, bad ids) the vDSO makes the system call itself (the kernel's generic
//! vDSO, and qemu-user's, which makes the system call for everything), so the hot path has no
//! test of the id. A nonzero answer from the vDSO (a bad id) is asked of the kernel again, to
//! get its errno. `clock_getres` is the exception: the kernel's vDSO answers it for the
//! auxiliary clocks (`CLOCK_AUX`, ids 16 to 23, Linux 6.17) even when they are disabled and the
//! system call says `EINVAL` (seen on Linux 6.18 x86_64), so it only asks the vDSO about the
//! clocks listed above.
//!
//! All times are 64-bit on every architecture: 32-bit architectures call the `time64` entry
//! points (`__vdso_clock_gettime64`, `clock_gettime64`), never the `time32` ones.

use core::ffi::c_void;
use core::mem::MaybeUninit;

use sys_core::Errno;

use crate::slot::{ABSENT, Slot, UNINIT};
use crate::symbols::native::NAMES;
use crate::syscall;

/// A point in time or a duration: seconds and nanoseconds, 64-bit on every architecture. The
/// layout is the kernel's `struct __kernel_timespec` (and `struct timespec` on 64-bit
/// architectures), so it is passed to the kernel and the vDSO as is.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timespec {
    /// Seconds.
    pub sec: i64,
    /// Nanoseconds, `0..1_000_000_000`.
    pub nsec: i64,
}

impl Timespec {
    /// The value in nanoseconds.
    pub const fn as_nanos(self) -> i128 {
        self.sec as i128 * 1_000_000_000 + self.nsec as i128
    }
}

/// Seconds and microseconds, 64-bit on every architecture (the layout of the kernel's
/// `struct timeval` on 64-bit architectures).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timeval {
    /// Seconds.
    pub sec: i64,
    /// Microseconds, `0..1_000_000`.
    pub usec: i64,
}

/// A clock id (`clockid_t`): one of the constants, or a CPU-time or dynamic clock made with the
/// constructors.
#[repr(transparent)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ClockId(i32);

impl ClockId {
    /// `CLOCK_REALTIME`.
    pub const REALTIME: ClockId = ClockId(0);
    /// `CLOCK_MONOTONIC`.
    pub const MONOTONIC: ClockId = ClockId(1);
    /// `CLOCK_PROCESS_CPUTIME_ID`.
    pub const PROCESS_CPUTIME_ID: ClockId = ClockId(2);
    /// `CLOCK_THREAD_CPUTIME_ID`.
    pub const THREAD_CPUTIME_ID: ClockId = ClockId(3);
    /// `CLOCK_MONOTONIC_RAW`.
    pub const MONOTONIC_RAW: ClockId = ClockId(4);
    /// `CLOCK_REALTIME_COARSE`.
    pub const REALTIME_COARSE: ClockId = ClockId(5);
    /// `CLOCK_MONOTONIC_COARSE`.
    pub const MONOTONIC_COARSE: ClockId = ClockId(6);
    /// `CLOCK_BOOTTIME`.
    pub const BOOTTIME: ClockId = ClockId(7);
    /// `CLOCK_REALTIME_ALARM`.
    pub const REALTIME_ALARM: ClockId = ClockId(8);
    /// `CLOCK_BOOTTIME_ALARM`.
    pub const BOOTTIME_ALARM: ClockId = ClockId(9);
    /// `CLOCK_TAI`.
    pub const TAI: ClockId = ClockId(11);

    /// The clocks whose resolution the vDSO gives as the kernel does (a bit per id below 32):
    /// realtime, monotonic, monotonic_raw, the coarse ones, boottime, tai; not the auxiliary
    /// clocks (see the module documentation).
    const VDSO_GETRES: u32 = 1 << 0 | 1 << 1 | 1 << 4 | 1 << 5 | 1 << 6 | 1 << 7 | 1 << 11;

    /// Any raw clock id; the kernel decides whether it is valid.
    pub const fn from_raw(id: i32) -> ClockId {
        ClockId(id)
    }

    /// The raw id.
    pub const fn raw(self) -> i32 {
        self.0
    }

    /// The CPU-time clock of process `pid` (`MAKE_PROCESS_CPUCLOCK(pid, CPUCLOCK_SCHED)`; what
    /// clock_getcpuclockid(3) returns).
    pub const fn process_cputime(pid: i32) -> ClockId {
        ClockId((!pid << 3) | 2)
    }

    /// The CPU-time clock of thread `tid` (`MAKE_THREAD_CPUCLOCK(tid, CPUCLOCK_SCHED)`; what
    /// pthread_getcpuclockid(3) returns).
    pub const fn thread_cputime(tid: i32) -> ClockId {
        ClockId((!tid << 3) | 2 | 4)
    }

    /// The dynamic clock of an open clock device such as `/dev/ptp0` (`FD_TO_CLOCKID`).
    pub const fn from_fd(fd: i32) -> ClockId {
        ClockId((!fd << 3) | 3)
    }

    /// Whether `clock_getres` may ask the vDSO about this clock; also the clocks the kernel's
    /// vDSO reads itself (for the others it makes the system call).
    #[inline(always)]
    pub(crate) const fn vdso_getres(self) -> bool {
        (self.0 as u32) < 32 && (Self::VDSO_GETRES >> self.0) & 1 != 0
    }
}

pub(crate) static CLOCK_GETTIME: Slot = Slot::new();
pub(crate) static CLOCK_GETRES: Slot = Slot::new();
pub(crate) static GETTIMEOFDAY: Slot = Slot::new();
pub(crate) static TIME: Slot = Slot::new();
pub(crate) static GETCPU: Slot = Slot::new();

pub(crate) type ClockFn = unsafe extern "C" fn(i32, *mut Timespec) -> i32;
pub(crate) type GettimeofdayFn = unsafe extern "C" fn(*mut Timeval, *mut c_void) -> i32;
pub(crate) type TimeFn = unsafe extern "C" fn(*mut i64) -> i64;
pub(crate) type GetcpuFn = unsafe extern "C" fn(*mut u32, *mut u32, *mut c_void) -> i32;

/// Calls a vDSO clock function (`clock_gettime` or `clock_getres` shape); `None` if it declined.
///
/// # Safety
/// `f` must be the address of the vDSO's time64 `clock_gettime` or `clock_getres` entry point.
#[inline(always)]
pub(crate) unsafe fn call_clock(f: usize, clock: ClockId) -> Option<Timespec> {
    // SAFETY: the caller passes the address of a function of this signature (the kernel's
    // `int (clockid_t, struct __kernel_timespec *)`), which `Timespec` matches in layout.
    let f = unsafe { core::mem::transmute::<usize, ClockFn>(f) };
    let mut ts = MaybeUninit::<Timespec>::uninit();
    // SAFETY: `ts` is valid for writes of a `Timespec`; the vDSO function reads and writes
    // nothing else of ours.
    let r = unsafe { f(clock.raw(), ts.as_mut_ptr()) };
    // SAFETY: a zero result means the vDSO filled `*ts`.
    (r == 0).then(|| unsafe { ts.assume_init() })
}

/// Reads a clock (clock_gettime(2)): through the vDSO for the clocks it serves, from the kernel
/// for the others or when there is no vDSO.
///
/// # Errors
/// `EINVAL` for an unknown clock, as the kernel reports it.
///
/// ```
/// use sys_vdso::{clock_gettime, ClockId};
/// # if cfg!(miri) { return; } // inline asm
///
/// let a = clock_gettime(ClockId::MONOTONIC).unwrap();
/// let b = clock_gettime(ClockId::MONOTONIC).unwrap();
/// assert!(b >= a);
/// ```
#[inline]
pub fn clock_gettime(clock: ClockId) -> Result<Timespec, Errno> {
    #[cfg(feature = "hooks")]
    if let Some(h) = crate::hooks::installed(syscall::CLOCK_GETTIME) {
        return crate::hooks::clock_gettime(h, clock);
    }
    let f = CLOCK_GETTIME.get();
    if f > ABSENT {
        // SAFETY: the slot holds the vDSO's clock_gettime (time64) entry point.
        if let Some(ts) = unsafe { call_clock(f, clock) } {
            return Ok(ts);
        }
    }
    clock_gettime_slow(clock)
}

#[cold]
#[inline(never)]
fn clock_gettime_slow(clock: ClockId) -> Result<Timespec, Errno> {
    // Loaded again rather than passed: the hot path then keeps nothing but the clock id alive
    // across the vDSO call (one saved register fewer).
    let f = CLOCK_GETTIME.get();
    if f == UNINIT {
        let f = CLOCK_GETTIME.resolve(NAMES.clock_gettime, NAMES.version, |_| true);
        if f > ABSENT {
            // SAFETY: as in `clock_gettime`.
            if let Some(ts) = unsafe { call_clock(f, clock) } {
                return Ok(ts);
            }
        }
    }
    syscall::clock_gettime(clock)
}

/// The resolution of a clock (clock_getres(2)).
///
/// # Errors
/// `EINVAL` for an unknown clock.
pub fn clock_getres(clock: ClockId) -> Result<Timespec, Errno> {
    #[cfg(feature = "hooks")]
    if let Some(h) = crate::hooks::installed(syscall::CLOCK_GETRES) {
        return crate::hooks::clock_getres(h, clock);
    }
    let mut f = CLOCK_GETRES.get();
    if f == UNINIT {
        f = CLOCK_GETRES.resolve(NAMES.clock_getres, NAMES.version, |_| true);
    }
    if f > ABSENT && clock.vdso_getres() {
        // SAFETY: the slot holds the vDSO's clock_getres (time64) entry point.
        if let Some(ts) = unsafe { call_clock(f, clock) } {
            return Ok(ts);
        }
    }
    syscall::clock_getres(clock)
}

/// The wall-clock time in microseconds (gettimeofday(2), without the obsolete time zone).
/// Where the vDSO has no `gettimeofday` with a 64-bit `time_t` (32-bit architectures), this is
/// `CLOCK_REALTIME` cut to microseconds.
///
/// # Errors
/// None in practice; the type leaves room for the kernel's.
#[inline]
pub fn gettimeofday() -> Result<Timeval, Errno> {
    #[cfg(all(feature = "hooks", target_pointer_width = "64"))]
    if let Some(h) = crate::hooks::installed(sys_core::nr::gettimeofday) {
        return crate::hooks::gettimeofday(h);
    }
    let f = GETTIMEOFDAY.get();
    if f > ABSENT {
        // SAFETY: the slot holds the vDSO's gettimeofday, whose `struct timeval` has 64-bit
        // fields (the slot is only filled on 64-bit architectures), like `Timeval`.
        let f = unsafe { core::mem::transmute::<usize, GettimeofdayFn>(f) };
        let mut tv = MaybeUninit::<Timeval>::uninit();
        // SAFETY: `tv` is valid for writes; a null time zone is allowed.
        if unsafe { f(tv.as_mut_ptr(), core::ptr::null_mut()) } == 0 {
            // SAFETY: zero means the vDSO filled `*tv`.
            return Ok(unsafe { tv.assume_init() });
        }
    }
    gettimeofday_slow()
}

#[cold]
#[inline(never)]
fn gettimeofday_slow() -> Result<Timeval, Errno> {
    let f = GETTIMEOFDAY.get();
    if f == UNINIT {
        GETTIMEOFDAY.resolve(NAMES.gettimeofday, NAMES.version, |_| true);
        return gettimeofday();
    }
    let ts = clock_gettime(ClockId::REALTIME)?;
    Ok(Timeval {
        sec: ts.sec,
        usec: ts.nsec / 1000,
    })
}

/// Seconds since the Epoch (time(2)). Where the vDSO has no `time` with a 64-bit `time_t`, this
/// is the seconds of `CLOCK_REALTIME_COARSE`, which is what the kernel's `time` returns.
///
/// # Errors
/// None in practice; the type leaves room for the kernel's.
#[inline]
pub fn time() -> Result<i64, Errno> {
    #[cfg(all(
        feature = "hooks",
        any(target_arch = "x86_64", target_arch = "powerpc64")
    ))]
    if let Some(h) = crate::hooks::installed(sys_core::nr::time) {
        return crate::hooks::time(h);
    }
    let f = TIME.get();
    if f > ABSENT {
        // SAFETY: the slot holds the vDSO's `time_t time(time_t *)` with a 64-bit `time_t`.
        let f = unsafe { core::mem::transmute::<usize, TimeFn>(f) };
        // SAFETY: a null pointer asks for the return value only.
        return Ok(unsafe { f(core::ptr::null_mut()) });
    }
    time_slow()
}

#[cold]
#[inline(never)]
fn time_slow() -> Result<i64, Errno> {
    let f = TIME.get();
    if f == UNINIT {
        TIME.resolve(NAMES.time, NAMES.version, |_| true);
        return time();
    }
    Ok(clock_gettime(ClockId::REALTIME_COARSE)?.sec)
}

/// The CPU and NUMA node the calling thread runs on (getcpu(2)): `(cpu, node)`. The answer may
/// be stale as soon as it is returned.
///
/// # Errors
/// None in practice; the type leaves room for the kernel's.
#[inline]
pub fn getcpu() -> Result<(u32, u32), Errno> {
    #[cfg(feature = "hooks")]
    if let Some(h) = crate::hooks::installed(sys_core::nr::getcpu) {
        return crate::hooks::getcpu(h, true).map(|(cpu, node)| (cpu, node.unwrap_or(0)));
    }
    let f = GETCPU.get();
    if f > ABSENT {
        // SAFETY: the slot holds the vDSO's getcpu.
        let f = unsafe { core::mem::transmute::<usize, GetcpuFn>(f) };
        let (mut cpu, mut node) = (MaybeUninit::<u32>::uninit(), MaybeUninit::<u32>::uninit());
        // SAFETY: both pointers are valid for writes of a u32; the cache argument is unused
        // since Linux 2.6.24 and may be null.
        if unsafe { f(cpu.as_mut_ptr(), node.as_mut_ptr(), core::ptr::null_mut()) } == 0 {
            // SAFETY: zero means the vDSO wrote both.
            return Ok(unsafe { (cpu.assume_init(), node.assume_init()) });
        }
    }
    getcpu_slow()
}

/// The CPU the calling thread runs on, without the NUMA node (sched_getcpu(3)): the same vDSO
/// entry point as [`getcpu`], asked for one value only. The answer may be stale as soon as it
/// is returned.
///
/// # Errors
/// None in practice; the type leaves room for the kernel's.
///
/// ```
/// # if cfg!(miri) { return; } // inline asm
/// let cpu = sys_vdso::sched_getcpu().unwrap();
/// // SAFETY: sysconf has no preconditions.
/// let configured = unsafe { libc::sysconf(libc::_SC_NPROCESSORS_CONF) };
/// assert!(i64::from(cpu) < i64::from(configured));
/// ```
#[inline]
pub fn sched_getcpu() -> Result<u32, Errno> {
    #[cfg(feature = "hooks")]
    if let Some(h) = crate::hooks::installed(sys_core::nr::getcpu) {
        return crate::hooks::getcpu(h, false).map(|(cpu, _)| cpu);
    }
    let f = GETCPU.get();
    if f > ABSENT {
        // SAFETY: the slot holds the vDSO's getcpu.
        let f = unsafe { core::mem::transmute::<usize, GetcpuFn>(f) };
        let mut cpu = MaybeUninit::<u32>::uninit();
        // SAFETY: `cpu` is valid for writes of a u32; the node pointer may be null (the vDSO
        // then writes no node), and the cache argument is unused.
        if unsafe {
            f(
                cpu.as_mut_ptr(),
                core::ptr::null_mut(),
                core::ptr::null_mut(),
            )
        } == 0
        {
            // SAFETY: zero means the vDSO wrote the CPU number.
            return Ok(unsafe { cpu.assume_init() });
        }
    }
    sched_getcpu_slow()
}

#[cold]
#[inline(never)]
fn sched_getcpu_slow() -> Result<u32, Errno> {
    let f = GETCPU.get();
    if f == UNINIT {
        GETCPU.resolve(NAMES.getcpu, NAMES.version, |_| true);
        return sched_getcpu();
    }
    syscall::sched_getcpu()
}

#[cold]
#[inline(never)]
fn getcpu_slow() -> Result<(u32, u32), Errno> {
    let f = GETCPU.get();
    if f == UNINIT {
        GETCPU.resolve(NAMES.getcpu, NAMES.version, |_| true);
        return getcpu();
    }
    syscall::getcpu()
}
