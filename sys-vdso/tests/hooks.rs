//! The vDSO functions seen by sys-core's hooks (feature `hooks`): as the system calls they stand
//! for, with `Call::vdso` and `Call::answered_by_vdso`; replaced by a hook; and, let through,
//! agreeing with the kernel (`sys_vdso::syscall`).
//!
//! Facts: clock_gettime(2), getcpu(2), getrandom(2); which clocks the x86_64 vDSO reads itself
//! (`lib/vdso/gettimeofday.c`: not the CPU-time clocks).
//!
//! Hooks are process-wide: the test functions take one lock, and the hooks record only the
//! calls of the thread that installed them.
#![cfg(feature = "hooks")]

use std::cell::RefCell;
use std::sync::Mutex;

use sys_core::hook::{self, Call};
use sys_core::{Errno, RawRet, nr};
use sys_vdso::{ClockId, Timespec};

static LOCK: Mutex<()> = Mutex::new(());

/// What the hook saw: (number, argument words, vdso, answered by the vDSO).
type Seen = (usize, Vec<usize>, bool, bool);

std::thread_local! {
    static SEEN: RefCell<Option<Vec<Seen>>> = const { RefCell::new(None) };
}

/// Lets the call through and records it (on the recording thread only).
fn record(call: &mut Call<'_>) -> RawRet {
    // SAFETY: the caller's call, made once.
    let r = unsafe { call.real() };
    SEEN.with(|s| {
        if let Some(v) = s.borrow_mut().as_mut() {
            v.push((
                call.nr(),
                call.args().to_vec(),
                call.vdso(),
                call.answered_by_vdso(),
            ));
        }
    });
    r
}

/// Runs `f` with `record` as the process-wide hook; returns what it saw.
fn recorded(f: impl FnOnce()) -> Vec<Seen> {
    SEEN.with(|s| *s.borrow_mut() = Some(Vec::new()));
    // SAFETY: the hook returns the kernel's (or the vDSO's) answer to the caller's own call.
    unsafe { hook::set_hook(Some(record)) };
    f();
    // SAFETY: removing the hook.
    unsafe { hook::set_hook(None) };
    SEEN.with(|s| s.borrow_mut().take()).unwrap_or_default()
}

#[cfg(target_pointer_width = "64")]
const CLOCK_GETTIME: usize = nr::clock_gettime;
#[cfg(target_pointer_width = "32")]
const CLOCK_GETTIME: usize = nr::clock_gettime64;

fn in_vdso() -> bool {
    sys_vdso::entry_point(sys_vdso::Function::ClockGettime).is_some()
}

#[test]
fn clock_gettime_is_seen_and_answered_by_the_vdso() {
    let _l = LOCK.lock().unwrap();
    let mut t = Timespec::default();
    let seen = recorded(|| t = sys_vdso::clock_gettime(ClockId::MONOTONIC).unwrap());
    assert_eq!(seen.len(), 1, "{seen:?}");
    let (n, args, vdso, answered) = &seen[0];
    assert_eq!(*n, CLOCK_GETTIME);
    assert_eq!(args[0], 1, "CLOCK_MONOTONIC");
    assert!(*vdso);
    assert_eq!(*answered, in_vdso());
    assert!(t.sec > 0 || t.nsec > 0);
    // Ordinary system calls are not vDSO calls.
    let seen = recorded(|| {
        // SAFETY: getppid writes no memory.
        let _ = unsafe { sys_core::syscall_readonly!(nr::getppid) };
    });
    assert_eq!(seen.len(), 1);
    assert!(!seen[0].2 && !seen[0].3);
}

#[test]
fn cpu_time_clock_falls_back_to_the_kernel() {
    let _l = LOCK.lock().unwrap();
    let mut t = Timespec::default();
    let seen = recorded(|| t = sys_vdso::clock_gettime(ClockId::PROCESS_CPUTIME_ID).unwrap());
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert!(seen[0].2);
    assert!(!seen[0].3, "the vDSO does not read CPU-time clocks");
    assert!(t.as_nanos() > 0);
    // A bad clock: the kernel's EINVAL, through the hook.
    let seen = recorded(|| {
        assert_eq!(
            sys_vdso::clock_gettime(ClockId::from_raw(1000)),
            Err(Errno::EINVAL)
        );
    });
    assert_eq!(seen.len(), 1);
    assert!(!seen[0].3);
}

#[test]
fn other_functions_are_seen_as_their_calls() {
    let _l = LOCK.lock().unwrap();
    let mut buf = [0u8; 16];
    let seen = recorded(|| {
        sys_vdso::getcpu().unwrap();
        sys_vdso::sched_getcpu().unwrap();
        assert_eq!(sys_vdso::getrandom(&mut buf, 0), Ok(16));
        sys_vdso::clock_getres(ClockId::MONOTONIC).unwrap();
    });
    let numbers: Vec<usize> = seen.iter().map(|s| s.0).collect();
    #[cfg(target_pointer_width = "64")]
    let getres = nr::clock_getres;
    #[cfg(target_pointer_width = "32")]
    let getres = nr::clock_getres_time64;
    assert_eq!(numbers, [nr::getcpu, nr::getcpu, nr::getrandom, getres]);
    assert!(seen.iter().all(|s| s.2));
    assert_eq!(seen[1].1[1], 0, "sched_getcpu asks for no node");
    assert_eq!(seen[2].1[1], 16);
    assert_ne!(buf, [0; 16]);
}

fn fixed_time(call: &mut Call<'_>) -> RawRet {
    if call.nr() != CLOCK_GETTIME {
        // SAFETY: the caller's call, made once.
        return unsafe { call.real() };
    }
    match call.args()[0] {
        1 => {
            let p = call.args()[1] as *mut Timespec;
            // SAFETY: a clock_gettime call's second word points to the caller's `Timespec`.
            unsafe { p.write(Timespec { sec: 42, nsec: 7 }) };
            RawRet(0)
        }
        _ => Errno::EPERM.into(),
    }
}

#[test]
fn a_replacement_returns_its_own_time_or_an_errno() {
    let _l = LOCK.lock().unwrap();
    // SAFETY: the hook writes a `Timespec` where the call would, or returns an error.
    unsafe { hook::set_replacement(CLOCK_GETTIME, Some(fixed_time)) }.unwrap();
    let mono = sys_vdso::clock_gettime(ClockId::MONOTONIC);
    let real = sys_vdso::clock_gettime(ClockId::REALTIME);
    // SAFETY: removing the replacement.
    unsafe { hook::set_replacement(CLOCK_GETTIME, None) }.unwrap();
    assert_eq!(mono, Ok(Timespec { sec: 42, nsec: 7 }));
    assert_eq!(real, Err(Errno::EPERM));
    assert_ne!(sys_vdso::clock_gettime(ClockId::MONOTONIC).unwrap().sec, 42);
}

#[test]
fn let_through_the_results_agree_with_the_kernel() {
    let _l = LOCK.lock().unwrap();
    let seen = recorded(|| {
        for clock in [ClockId::REALTIME, ClockId::MONOTONIC, ClockId::BOOTTIME] {
            let a = sys_vdso::syscall::clock_gettime(clock).unwrap();
            let b = sys_vdso::clock_gettime(clock).unwrap();
            let c = sys_vdso::syscall::clock_gettime(clock).unwrap();
            assert!(a <= b && b <= c, "{clock:?}: {a:?} {b:?} {c:?}");
            let r = sys_vdso::clock_getres(clock).unwrap();
            assert_eq!(r, sys_vdso::syscall::clock_getres(clock).unwrap());
        }
        let a = sys_vdso::syscall::time().unwrap();
        let b = sys_vdso::time().unwrap();
        assert!(b >= a && b - a <= 1);
        let tv = sys_vdso::gettimeofday().unwrap();
        assert!((tv.sec - b).abs() <= 1);
        let (cpu, _) = sys_vdso::getcpu().unwrap();
        // SAFETY: sysconf has no preconditions.
        let conf = unsafe { libc::sysconf(libc::_SC_NPROCESSORS_CONF) };
        assert!(libc::c_long::from(cpu as i32) < conf);
    });
    // The syscall paths are seen too (not as vDSO calls).
    assert!(seen.iter().any(|s| !s.2));
    assert!(seen.iter().any(|s| s.2));
}

/// Inside a hook, the vDSO functions are not hooked again.
fn nested(call: &mut Call<'_>) -> RawRet {
    if call.nr() == nr::getppid {
        let t = sys_vdso::clock_gettime(ClockId::MONOTONIC).unwrap();
        return RawRet(usize::try_from(t.sec).unwrap_or(0).max(1));
    }
    // SAFETY: the caller's call, made once.
    unsafe { call.real() }
}

#[test]
fn a_hook_can_use_the_vdso_functions() {
    let _l = LOCK.lock().unwrap();
    // SAFETY: getppid's result is a number; any positive one is acceptable to its callers.
    unsafe { hook::set_hook(Some(nested)) };
    // SAFETY: getppid writes no memory.
    let r = unsafe { sys_core::syscall_readonly!(nr::getppid) };
    // SAFETY: removing the hook.
    unsafe { hook::set_hook(None) };
    assert!(r.unwrap() >= 1);
}
