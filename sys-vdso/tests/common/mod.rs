//! Behaviour checks shared by `tests/vdso.rs` (vDSO on) and `tests/fallback.rs` (vDSO off): each
//! compares this crate's function with the raw system call (`sys_vdso::syscall`) or the host
//! libc. Facts: clock_gettime(2), getcpu(2), getrandom(2), sysconf(3).

#![allow(dead_code, reason = "each test binary uses a different subset")]

use std::collections::HashSet;
use std::vec::Vec;

use sys_vdso::{ClockId, Errno, Timespec, syscall};

/// Every clock id worth trying: the fixed ones, CPU-time clocks of this process and thread, and
/// invalid ones (which both paths must reject alike).
pub fn clock_ids() -> Vec<ClockId> {
    let mut v: Vec<ClockId> = (0..=11).map(ClockId::from_raw).collect();
    v.extend([
        ClockId::from_raw(12),
        ClockId::from_raw(16),
        ClockId::from_raw(31),
        ClockId::from_raw(32),
        ClockId::from_raw(1000),
        ClockId::from_raw(i32::MIN),
        ClockId::process_cputime(0),
        ClockId::process_cputime(std::process::id() as i32),
        ClockId::thread_cputime(0),
        ClockId::from_fd(-1),
        ClockId::from_fd(1_000_000),
    ]);
    v
}

/// The clock ids that must work everywhere.
pub const WORKING: [ClockId; 8] = [
    ClockId::REALTIME,
    ClockId::MONOTONIC,
    ClockId::PROCESS_CPUTIME_ID,
    ClockId::THREAD_CPUTIME_ID,
    ClockId::MONOTONIC_RAW,
    ClockId::REALTIME_COARSE,
    ClockId::MONOTONIC_COARSE,
    ClockId::BOOTTIME,
];

fn valid(ts: Timespec) -> bool {
    ts.sec >= 0 && (0..1_000_000_000).contains(&ts.nsec)
}

pub fn every_clock_agrees_with_the_syscall_on_success_or_errno() {
    for c in clock_ids() {
        let ours = sys_vdso::clock_gettime(c);
        let theirs = syscall::clock_gettime(c);
        match (ours, theirs) {
            (Ok(a), Ok(b)) => {
                assert!(valid(a) && valid(b), "{c:?}: {a:?} / {b:?}");
            }
            (Err(a), Err(b)) => assert_eq!(a, b, "{c:?}"),
            (a, b) => panic!("{c:?}: ours {a:?}, syscall {b:?}"),
        }
        let ours = sys_vdso::clock_getres(c);
        let theirs = syscall::clock_getres(c);
        match (ours, theirs) {
            (Ok(a), Ok(b)) => assert_eq!(a, b, "clock_getres({c:?})"),
            (Err(a), Err(b)) => assert_eq!(a, b, "clock_getres({c:?})"),
            (a, b) => panic!("clock_getres({c:?}): ours {a:?}, syscall {b:?}"),
        }
    }
    for c in WORKING {
        assert!(sys_vdso::clock_gettime(c).is_ok(), "{c:?}");
        assert!(sys_vdso::clock_getres(c).is_ok(), "{c:?}");
    }
    assert_eq!(
        sys_vdso::clock_gettime(ClockId::from_raw(-1)),
        Err(Errno::EINVAL)
    );
}

/// Monotonic clocks never go backwards across interleaved reads of both paths.
pub fn monotonic_never_goes_backwards_across_paths() {
    for c in [
        ClockId::MONOTONIC,
        ClockId::MONOTONIC_RAW,
        ClockId::BOOTTIME,
    ] {
        let mut last = Timespec::default();
        for i in 0..20_000 {
            let t = if i % 2 == 0 {
                sys_vdso::clock_gettime(c)
            } else {
                syscall::clock_gettime(c)
            }
            .unwrap();
            assert!(t >= last, "{c:?} went back: {last:?} then {t:?} (read {i})");
            last = t;
        }
    }
    // The coarse clock ticks at most as often as the fine one; it must not go back either.
    let mut last = Timespec::default();
    for _ in 0..2_000 {
        let t = sys_vdso::clock_gettime(ClockId::MONOTONIC_COARSE).unwrap();
        assert!(t >= last);
        last = t;
    }
}

/// Realtime from both paths, and gettimeofday, time and the host libc, within a tolerance.
pub fn realtime_agrees_with_the_syscall_and_libc() {
    const TOL_NS: i128 = 200_000_000; // generous: qemu guests are slow
    for _ in 0..100 {
        let a = sys_vdso::clock_gettime(ClockId::REALTIME).unwrap();
        let b = syscall::clock_gettime(ClockId::REALTIME).unwrap();
        let d = b.as_nanos() - a.as_nanos();
        assert!(
            (0..TOL_NS).contains(&d),
            "realtime: ours {a:?}, then syscall {b:?}"
        );
    }
    let a = sys_vdso::clock_gettime(ClockId::REALTIME).unwrap();
    let tv = sys_vdso::gettimeofday().unwrap();
    let b = sys_vdso::clock_gettime(ClockId::REALTIME).unwrap();
    let us = tv.sec as i128 * 1_000_000 + tv.usec as i128;
    assert!((0..1_000_000).contains(&tv.usec));
    assert!(
        a.as_nanos() / 1000 <= us && us <= b.as_nanos() / 1000,
        "{a:?} {tv:?} {b:?}"
    );
    let tv2 = syscall::gettimeofday().unwrap();
    assert!(tv2 >= tv);

    let t = sys_vdso::time().unwrap();
    let r = sys_vdso::clock_gettime(ClockId::REALTIME).unwrap();
    assert!(t <= r.sec && r.sec - t <= 1, "time {t}, realtime {r:?}");
    assert!((syscall::time().unwrap() - t).abs() <= 1);

    // The host libc (glibc or musl, itself through the vDSO or not).
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is valid for writes.
    let r = unsafe { libc::clock_gettime(libc::CLOCK_REALTIME, &mut ts) };
    assert_eq!(r, 0);
    let ours = sys_vdso::clock_gettime(ClockId::REALTIME).unwrap();
    let libc_ns = ts.tv_sec as i128 * 1_000_000_000 + ts.tv_nsec as i128;
    assert!((0..TOL_NS).contains(&(ours.as_nanos() - libc_ns)));
}

/// 64-bit seconds on every architecture: the value is past 2020 and fits no 32-bit truncation
/// artefact (the syscall path on 32-bit arches is clock_gettime64).
pub fn times_are_64_bit() {
    let t = sys_vdso::clock_gettime(ClockId::REALTIME).unwrap();
    assert!(t.sec > 1_577_836_800, "{t:?}");
    assert_eq!(core::mem::size_of::<Timespec>(), 16);
}

/// getcpu returns a CPU below the number of configured CPUs, agreeing with the syscall's range.
pub fn getcpu_is_below_the_cpu_count() {
    // SAFETY: sysconf has no preconditions.
    let ncpu = unsafe { libc::sysconf(libc::_SC_NPROCESSORS_CONF) };
    assert!(ncpu >= 1);
    for _ in 0..1000 {
        let (cpu, node) = sys_vdso::getcpu().unwrap();
        assert!(i64::from(cpu) < ncpu as i64, "cpu {cpu} of {ncpu}");
        assert!(node < 1024);
        let (cpu2, _) = syscall::getcpu().unwrap();
        assert!(i64::from(cpu2) < ncpu as i64);
        // The node-less form (sched_getcpu(3)), through the vDSO and the system call.
        let cpu3 = sys_vdso::sched_getcpu().unwrap();
        assert!(i64::from(cpu3) < ncpu as i64, "cpu {cpu3} of {ncpu}");
        let cpu4 = syscall::sched_getcpu().unwrap();
        assert!(i64::from(cpu4) < ncpu as i64);
    }
    // Pinned to one CPU, every form must name it.
    pinned_getcpu_names_the_cpu();
}

/// With the thread pinned to one CPU (sched_setaffinity(2)), getcpu, sched_getcpu and the
/// system call all report that CPU: a check of the values, not only of their range. The
/// previous affinity is restored. Skipped (with a note) where setting the affinity fails.
fn pinned_getcpu_names_the_cpu() {
    // SAFETY: an all-zero cpu_set_t is an empty set.
    let mut old: libc::cpu_set_t = unsafe { core::mem::zeroed() };
    let size = core::mem::size_of::<libc::cpu_set_t>();
    // SAFETY: `old` is valid for writes of `size` bytes.
    if unsafe { libc::sched_getaffinity(0, size, &mut old) } != 0 {
        println!("sched_getaffinity failed: pinned getcpu check skipped");
        return;
    }
    let Some(target) = (0..libc::CPU_SETSIZE as usize)
        // SAFETY: `old` is an initialised set; the index is below CPU_SETSIZE.
        .rfind(|&c| unsafe { libc::CPU_ISSET(c, &old) })
    else {
        return;
    };
    // SAFETY: as above.
    let mut one: libc::cpu_set_t = unsafe { core::mem::zeroed() };
    // SAFETY: the index is below CPU_SETSIZE.
    unsafe { libc::CPU_SET(target, &mut one) };
    // SAFETY: `one` is a valid set of `size` bytes.
    if unsafe { libc::sched_setaffinity(0, size, &one) } != 0 {
        println!("sched_setaffinity failed: pinned getcpu check skipped");
        return;
    }
    let want = target as u32;
    let seen = (
        sys_vdso::getcpu().unwrap().0,
        sys_vdso::sched_getcpu().unwrap(),
        syscall::getcpu().unwrap().0,
        syscall::sched_getcpu().unwrap(),
    );
    // SAFETY: `old` is the set read above.
    unsafe { libc::sched_setaffinity(0, size, &old) };
    assert_eq!(seen, (want, want, want, want), "pinned to CPU {target}");
}

/// getrandom fills exactly the requested bytes for every size 0..=4096 and never writes past
/// them; the output varies.
pub fn getrandom_fills_every_size() {
    const CANARY: u8 = 0xa5;
    let mut buf = vec![0u8; 4096 + 64];
    for len in 0..=4096usize {
        // Each position must change from the canary in at least one of 5 draws (a false alarm
        // per position has odds 256^-5; over all sizes ~8e-6).
        let mut seen = vec![false; len];
        for _ in 0..5 {
            buf.fill(CANARY);
            let n = sys_vdso::getrandom(&mut buf[..len], 0).unwrap();
            assert_eq!(n, len);
            assert!(buf[len..].iter().all(|&b| b == CANARY), "wrote past {len}");
            for (s, &b) in seen.iter_mut().zip(&buf[..len]) {
                *s |= b != CANARY;
            }
            if seen.iter().all(|&s| s) {
                break;
            }
        }
        assert!(
            seen.iter().all(|&s| s),
            "size {len}: a byte was never written"
        );
    }
    let mut a = [0u8; 32];
    let mut b = [0u8; 32];
    sys_vdso::random::fill(&mut a, 0).unwrap();
    sys_vdso::random::fill(&mut b, 0).unwrap();
    assert_ne!(a, b);
    assert_ne!(a, [0u8; 32]);
    let mut big = vec![0u8; 1 << 20];
    sys_vdso::random::fill(&mut big, sys_vdso::random::GRND_INSECURE).unwrap();
    let distinct: HashSet<u8> = big.iter().copied().collect();
    assert_eq!(distinct.len(), 256);
    assert_eq!(
        sys_vdso::getrandom(&mut a, 0x1000_0000),
        Err(Errno::EINVAL),
        "unknown flags"
    );
}

/// Many threads draw at once; every draw is distinct.
pub fn getrandom_works_from_many_threads() {
    let threads = 16;
    let per = if cfg!(target_arch = "x86_64") {
        2000
    } else {
        200
    };
    let all: Vec<Vec<[u8; 16]>> = std::thread::scope(|s| {
        let hs: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(move || {
                    let mut v = Vec::with_capacity(per);
                    for i in 0..per {
                        let mut x = [0u8; 16];
                        sys_vdso::random::fill(&mut x, 0).unwrap();
                        v.push(x);
                        if i % 50 == 0 {
                            std::thread::yield_now();
                        }
                    }
                    v
                })
            })
            .collect();
        hs.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let set: HashSet<[u8; 16]> = all.iter().flatten().copied().collect();
    assert_eq!(set.len(), threads * per, "two draws were equal");
}
