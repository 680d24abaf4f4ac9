//! What the vDSO-backed functions of sys-vdso cost next to their peers, side by side in one run
//! (criterion): `clock_gettime` (MONOTONIC, REALTIME, MONOTONIC_COARSE), `gettimeofday`,
//! `getcpu` and `getrandom` (16 B and 4 KiB) through sys-vdso, glibc, rustix, std and the raw
//! system call (`sys_vdso::syscall`), by criterion and in interleaved rounds. The one-time cost
//! of the first call in a fresh process is `benches/first_call.rs`.
//!
//! Run: `CARGO_TARGET_DIR=target/aligned RUSTFLAGS="-C llvm-args=-align-loops=64" cargo bench
//! -p libsys --bench vdso` for the figures in BENCHMARKS.md: with every loop aligned to 64 bytes, where a
//! loop happens to sit no longer decides differences of one cycle (0.3 ns) between variants
//! (plain `cargo bench -p libsys --bench vdso` works too). x86_64 only (criterion and the peers are x86_64
//! dev-dependencies). Prints a table of medians and ratios to sys-vdso at the end. Facts:
//! clock_gettime(2), getcpu(2), getrandom(2); glibc 2.36 calls the vDSO for the clocks and
//! `sched_getcpu` and the system call for `getrandom` (vgetrandom arrived in glibc 2.41);
//! rustix 1.1.6 calls the vDSO for `clock_gettime` and `sched_getcpu` and the system call for
//! `getrandom`. Each variant hands one small integer to `black_box` (a whole `timespec` there
//! stalls the CPU: /work/shared/reference/performance-baseline.md).

#[cfg(target_arch = "x86_64")]
mod results;

#[cfg(target_arch = "x86_64")]
mod bench {
    use crate::results;
    use criterion::{BenchmarkGroup, Criterion, measurement::WallTime};
    use libsys::sys_vdso::{self, ClockId, Timespec};
    use std::hint::black_box;
    use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

    const GROUP: &str = "vdso";

    /// Steady-state variants: (name, what, ratio base).
    const VARIANTS: &[(&str, &str, &str)] = &[
        (
            "monotonic/sys_vdso",
            "MONOTONIC: sys-vdso `clock_gettime`",
            "monotonic/sys_vdso",
        ),
        (
            "monotonic/glibc",
            "MONOTONIC: glibc `clock_gettime`",
            "monotonic/sys_vdso",
        ),
        (
            "monotonic/rustix",
            "MONOTONIC: rustix `time::clock_gettime`",
            "monotonic/sys_vdso",
        ),
        (
            "monotonic/std",
            "MONOTONIC: `std::time::Instant::now`",
            "monotonic/sys_vdso",
        ),
        (
            "monotonic/syscall",
            "MONOTONIC: raw system call",
            "monotonic/sys_vdso",
        ),
        (
            "realtime/sys_vdso",
            "REALTIME: sys-vdso `clock_gettime`",
            "realtime/sys_vdso",
        ),
        (
            "realtime/glibc",
            "REALTIME: glibc `clock_gettime`",
            "realtime/sys_vdso",
        ),
        (
            "realtime/rustix",
            "REALTIME: rustix `time::clock_gettime`",
            "realtime/sys_vdso",
        ),
        (
            "realtime/std",
            "REALTIME: `std::time::SystemTime::now`",
            "realtime/sys_vdso",
        ),
        (
            "realtime/syscall",
            "REALTIME: raw system call",
            "realtime/sys_vdso",
        ),
        (
            "coarse/sys_vdso",
            "MONOTONIC_COARSE: sys-vdso",
            "coarse/sys_vdso",
        ),
        ("coarse/glibc", "MONOTONIC_COARSE: glibc", "coarse/sys_vdso"),
        (
            "coarse/rustix",
            "MONOTONIC_COARSE: rustix",
            "coarse/sys_vdso",
        ),
        (
            "coarse/syscall",
            "MONOTONIC_COARSE: raw system call",
            "coarse/sys_vdso",
        ),
        (
            "gettimeofday/sys_vdso",
            "gettimeofday: sys-vdso",
            "gettimeofday/sys_vdso",
        ),
        (
            "gettimeofday/glibc",
            "gettimeofday: glibc",
            "gettimeofday/sys_vdso",
        ),
        (
            "gettimeofday/syscall",
            "gettimeofday: raw system call",
            "gettimeofday/sys_vdso",
        ),
        (
            "getcpu/sys_vdso_sched",
            "getcpu: sys-vdso `sched_getcpu`",
            "getcpu/sys_vdso_sched",
        ),
        (
            "getcpu/sys_vdso",
            "getcpu: sys-vdso `getcpu` (CPU and node)",
            "getcpu/sys_vdso_sched",
        ),
        (
            "getcpu/glibc",
            "getcpu: glibc `sched_getcpu`",
            "getcpu/sys_vdso_sched",
        ),
        (
            "getcpu/rustix",
            "getcpu: rustix `thread::sched_getcpu`",
            "getcpu/sys_vdso_sched",
        ),
        (
            "getcpu/syscall",
            "getcpu: raw system call",
            "getcpu/sys_vdso_sched",
        ),
        (
            "getrandom16/sys_vdso",
            "getrandom 16 B: sys-vdso (vgetrandom)",
            "getrandom16/sys_vdso",
        ),
        (
            "getrandom16/glibc",
            "getrandom 16 B: glibc `getrandom`",
            "getrandom16/sys_vdso",
        ),
        (
            "getrandom16/rustix",
            "getrandom 16 B: rustix `rand::getrandom`",
            "getrandom16/sys_vdso",
        ),
        (
            "getrandom16/syscall",
            "getrandom 16 B: raw system call",
            "getrandom16/sys_vdso",
        ),
        (
            "getrandom4k/sys_vdso",
            "getrandom 4 KiB: sys-vdso (vgetrandom)",
            "getrandom4k/sys_vdso",
        ),
        (
            "getrandom4k/glibc",
            "getrandom 4 KiB: glibc `getrandom`",
            "getrandom4k/sys_vdso",
        ),
        (
            "getrandom4k/rustix",
            "getrandom 4 KiB: rustix `rand::getrandom`",
            "getrandom4k/sys_vdso",
        ),
        (
            "getrandom4k/syscall",
            "getrandom 4 KiB: raw system call",
            "getrandom4k/sys_vdso",
        ),
    ];

    fn mix(ts: Timespec) -> u64 {
        (ts.sec ^ ts.nsec) as u64
    }

    fn libc_clock(id: libc::clockid_t) -> u64 {
        let mut ts = libc::timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        // SAFETY: `ts` is valid for writes.
        unsafe { libc::clock_gettime(id, &mut ts) };
        (ts.tv_sec ^ ts.tv_nsec) as u64
    }

    fn rustix_clock(id: rustix::time::ClockId) -> u64 {
        let ts = rustix::time::clock_gettime(id);
        (ts.tv_sec ^ ts.tv_nsec) as u64
    }

    fn ours_clock(id: ClockId) -> u64 {
        sys_vdso::clock_gettime(id).map_or(0, mix)
    }

    fn syscall_clock(id: ClockId) -> u64 {
        sys_vdso::syscall::clock_gettime(id).map_or(0, mix)
    }

    fn libc_gettimeofday() -> u64 {
        let mut tv = libc::timeval {
            tv_sec: 0,
            tv_usec: 0,
        };
        // SAFETY: `tv` is valid for writes; a null time zone is allowed.
        unsafe { libc::gettimeofday(&mut tv, std::ptr::null_mut()) };
        (tv.tv_sec ^ tv.tv_usec) as u64
    }

    fn libc_getcpu() -> u64 {
        // SAFETY: sched_getcpu has no preconditions.
        unsafe { libc::sched_getcpu() as u64 }
    }

    fn libc_getrandom(buf: &mut [u8]) -> u64 {
        // SAFETY: `buf` is valid for writes of its length.
        unsafe { libc::getrandom(buf.as_mut_ptr().cast(), buf.len(), 0) as u64 }
    }

    /// The table of this run's medians and the ratio to sys-vdso in each row group.
    fn summary(started: SystemTime) {
        let read = |name: &str| results::read(GROUP, name, started).map(|e| e.median);
        println!("\nvDSO functions, median ns/call, ratio to sys-vdso:");
        println!("| variant | ns/call | × sys-vdso |");
        println!("|---|---:|---:|");
        for &(name, what, base) in VARIANTS {
            let Some(med) = read(name) else { continue };
            let ratio = read(base).map_or("-".into(), |b| format!("{:.2}", med / b));
            println!("| {what} | {med:.2} | {ratio} |");
        }
    }

    fn one(g: &mut BenchmarkGroup<'_, WallTime>, name: &str, mut f: impl FnMut() -> u64) {
        assert!(
            VARIANTS.iter().any(|v| v.0 == name),
            "{name} not in VARIANTS"
        );
        g.bench_function(name, |b| b.iter(|| black_box(f())));
    }

    fn steady(g: &mut BenchmarkGroup<'_, WallTime>) {
        // The clock ids go through black_box so that no call is specialised on a constant
        // the others cannot see.
        one(g, "monotonic/sys_vdso", || {
            ours_clock(black_box(ClockId::MONOTONIC))
        });
        one(g, "monotonic/glibc", || {
            libc_clock(black_box(libc::CLOCK_MONOTONIC))
        });
        one(g, "monotonic/rustix", || {
            rustix_clock(black_box(rustix::time::ClockId::Monotonic))
        });
        let origin = Instant::now();
        one(g, "monotonic/std", || {
            Instant::now().duration_since(origin).as_nanos() as u64
        });
        one(g, "monotonic/syscall", || {
            syscall_clock(black_box(ClockId::MONOTONIC))
        });

        one(g, "realtime/sys_vdso", || {
            ours_clock(black_box(ClockId::REALTIME))
        });
        one(g, "realtime/glibc", || {
            libc_clock(black_box(libc::CLOCK_REALTIME))
        });
        one(g, "realtime/rustix", || {
            rustix_clock(black_box(rustix::time::ClockId::Realtime))
        });
        one(g, "realtime/std", || {
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.subsec_nanos() as u64)
        });
        one(g, "realtime/syscall", || {
            syscall_clock(black_box(ClockId::REALTIME))
        });

        one(g, "coarse/sys_vdso", || {
            ours_clock(black_box(ClockId::MONOTONIC_COARSE))
        });
        one(g, "coarse/glibc", || {
            libc_clock(black_box(libc::CLOCK_MONOTONIC_COARSE))
        });
        one(g, "coarse/rustix", || {
            rustix_clock(black_box(rustix::time::ClockId::MonotonicCoarse))
        });
        one(g, "coarse/syscall", || {
            syscall_clock(black_box(ClockId::MONOTONIC_COARSE))
        });

        one(g, "gettimeofday/sys_vdso", || {
            sys_vdso::gettimeofday().map_or(0, |t| (t.sec ^ t.usec) as u64)
        });
        one(g, "gettimeofday/glibc", libc_gettimeofday);
        one(g, "gettimeofday/syscall", || {
            sys_vdso::syscall::gettimeofday().map_or(0, |t| (t.sec ^ t.usec) as u64)
        });

        one(g, "getcpu/sys_vdso_sched", || {
            sys_vdso::sched_getcpu().map_or(0, u64::from)
        });
        one(g, "getcpu/sys_vdso", || {
            sys_vdso::getcpu().map_or(0, |c| u64::from(c.0))
        });
        // SAFETY: sched_getcpu has no preconditions.
        one(g, "getcpu/glibc", || unsafe { libc::sched_getcpu() as u64 });
        one(g, "getcpu/rustix", || rustix::thread::sched_getcpu() as u64);
        one(g, "getcpu/syscall", || {
            sys_vdso::syscall::getcpu().map_or(0, |c| u64::from(c.0))
        });

        let mut b16 = [0u8; 16];
        let mut b4k = vec![0u8; 4096];
        for (label, buf) in [("getrandom16", &mut b16[..]), ("getrandom4k", &mut b4k[..])] {
            one(g, &format!("{label}/sys_vdso"), || {
                sys_vdso::getrandom(buf, 0).map_or(0, |n| n as u64 ^ u64::from(buf[0]))
            });
            one(g, &format!("{label}/glibc"), || {
                libc_getrandom(buf) ^ u64::from(buf[0])
            });
            one(g, &format!("{label}/rustix"), || {
                rustix::rand::getrandom(&mut *buf, rustix::rand::GetRandomFlags::empty())
                    .map_or(0, |n| n as u64 ^ u64::from(buf[0]))
            });
            one(g, &format!("{label}/syscall"), || {
                sys_vdso::syscall::getrandom(buf, 0).map_or(0, |n| n as u64 ^ u64::from(buf[0]))
            });
        }
    }

    /// Runs a variant `n` times, folding its results (so that none is optimised away).
    #[inline(always)]
    fn looped(n: usize, mut f: impl FnMut() -> u64) -> u64 {
        let mut acc = 0u64;
        for _ in 0..n {
            acc ^= black_box(f());
        }
        acc
    }

    /// Every steady-state variant as a function that runs it `n` times (each monomorphised, so
    /// that the call is inlined into its loop as in the criterion run).
    /// A variant's name and its loop.
    type Loop = (&'static str, fn(usize) -> u64);

    fn loops() -> Vec<Loop> {
        use rustix::time::ClockId as R;
        let v: Vec<Loop> = vec![
            ("monotonic/sys_vdso", |n| {
                looped(n, || ours_clock(black_box(ClockId::MONOTONIC)))
            }),
            ("monotonic/glibc", |n| {
                looped(n, || libc_clock(black_box(libc::CLOCK_MONOTONIC)))
            }),
            ("monotonic/rustix", |n| {
                looped(n, || rustix_clock(black_box(R::Monotonic)))
            }),
            ("monotonic/std", |n| {
                let origin = Instant::now();
                looped(n, || {
                    Instant::now().duration_since(origin).as_nanos() as u64
                })
            }),
            ("monotonic/syscall", |n| {
                looped(n, || syscall_clock(black_box(ClockId::MONOTONIC)))
            }),
            ("realtime/sys_vdso", |n| {
                looped(n, || ours_clock(black_box(ClockId::REALTIME)))
            }),
            ("realtime/glibc", |n| {
                looped(n, || libc_clock(black_box(libc::CLOCK_REALTIME)))
            }),
            ("realtime/rustix", |n| {
                looped(n, || rustix_clock(black_box(R::Realtime)))
            }),
            ("realtime/std", |n| {
                looped(n, || {
                    SystemTime::now()
                        .duration_since(UNIX_EPOCH)
                        .map_or(0, |d| d.subsec_nanos() as u64)
                })
            }),
            ("realtime/syscall", |n| {
                looped(n, || syscall_clock(black_box(ClockId::REALTIME)))
            }),
            ("coarse/sys_vdso", |n| {
                looped(n, || ours_clock(black_box(ClockId::MONOTONIC_COARSE)))
            }),
            ("coarse/glibc", |n| {
                looped(n, || libc_clock(black_box(libc::CLOCK_MONOTONIC_COARSE)))
            }),
            ("coarse/rustix", |n| {
                looped(n, || rustix_clock(black_box(R::MonotonicCoarse)))
            }),
            ("coarse/syscall", |n| {
                looped(n, || syscall_clock(black_box(ClockId::MONOTONIC_COARSE)))
            }),
            ("gettimeofday/sys_vdso", |n| {
                looped(n, || {
                    sys_vdso::gettimeofday().map_or(0, |t| (t.sec ^ t.usec) as u64)
                })
            }),
            ("gettimeofday/glibc", |n| looped(n, libc_gettimeofday)),
            ("gettimeofday/syscall", |n| {
                looped(n, || {
                    sys_vdso::syscall::gettimeofday().map_or(0, |t| (t.sec ^ t.usec) as u64)
                })
            }),
            ("getcpu/sys_vdso_sched", |n| {
                looped(n, || sys_vdso::sched_getcpu().map_or(0, u64::from))
            }),
            ("getcpu/sys_vdso", |n| {
                looped(n, || sys_vdso::getcpu().map_or(0, |c| u64::from(c.0)))
            }),
            ("getcpu/glibc", |n| looped(n, libc_getcpu)),
            ("getcpu/rustix", |n| {
                looped(n, || rustix::thread::sched_getcpu() as u64)
            }),
            ("getcpu/syscall", |n| {
                looped(n, || {
                    sys_vdso::syscall::getcpu().map_or(0, |c| u64::from(c.0))
                })
            }),
            ("getrandom16/sys_vdso", |n| {
                random_loop::<16>(n, ours_random)
            }),
            ("getrandom16/glibc", |n| {
                random_loop::<16>(n, libc_getrandom)
            }),
            ("getrandom16/rustix", |n| {
                random_loop::<16>(n, rustix_random)
            }),
            ("getrandom16/syscall", |n| {
                random_loop::<16>(n, syscall_random)
            }),
            ("getrandom4k/sys_vdso", |n| {
                random_loop::<4096>(n, ours_random)
            }),
            ("getrandom4k/glibc", |n| {
                random_loop::<4096>(n, libc_getrandom)
            }),
            ("getrandom4k/rustix", |n| {
                random_loop::<4096>(n, rustix_random)
            }),
            ("getrandom4k/syscall", |n| {
                random_loop::<4096>(n, syscall_random)
            }),
        ];
        for (name, _) in &v {
            assert!(
                VARIANTS.iter().any(|x| x.0 == *name),
                "{name} not in VARIANTS"
            );
        }
        v
    }

    fn random_loop<const N: usize>(n: usize, f: fn(&mut [u8]) -> u64) -> u64 {
        let mut buf = [0u8; N];
        looped(n, || f(&mut buf) ^ u64::from(buf[0]))
    }

    fn ours_random(buf: &mut [u8]) -> u64 {
        sys_vdso::getrandom(buf, 0).map_or(0, |n| n as u64)
    }

    fn rustix_random(buf: &mut [u8]) -> u64 {
        rustix::rand::getrandom(buf, rustix::rand::GetRandomFlags::empty()).map_or(0, |n| n as u64)
    }

    fn syscall_random(buf: &mut [u8]) -> u64 {
        sys_vdso::syscall::getrandom(buf, 0).map_or(0, |n| n as u64)
    }

    /// `rounds` rounds; in each, every variant (in an order rotated per round) runs for about
    /// 200 µs. Prints each variant's median ns/call and the median, over rounds, of its ratio to
    /// sys-vdso in the same round: machine noise hits both sides of a ratio alike.
    fn interleaved(rounds: usize) {
        let loops = loops();
        // Calls per round: ~200 µs of each variant, from a short calibration.
        let counts: Vec<usize> = loops
            .iter()
            .map(|(_, f)| {
                f(100);
                let t = Instant::now();
                f(100);
                let per = t.elapsed().as_nanos().max(1) as f64 / 100.0;
                ((200_000.0 / per) as usize).clamp(20, 50_000)
            })
            .collect();
        let mut ns: Vec<Vec<f64>> = vec![Vec::new(); loops.len()];
        for r in 0..rounds {
            let mut this = vec![0f64; loops.len()];
            for k in 0..loops.len() {
                let i = (k + r) % loops.len();
                let t = Instant::now();
                black_box((loops[i].1)(counts[i]));
                this[i] = t.elapsed().as_nanos() as f64 / counts[i] as f64;
            }
            for (i, v) in this.into_iter().enumerate() {
                ns[i].push(v);
            }
        }
        // Quantile `q` (0..=100) of the values.
        let quantile = |v: &[f64], q: usize| {
            let mut v = v.to_vec();
            v.sort_by(f64::total_cmp);
            v[(v.len() - 1) * q / 100]
        };
        println!(
            "\ninterleaved: {rounds} rounds, median ns/call and the same-round ratio \
             (median, and the middle half of the rounds):"
        );
        println!("| variant | ns/call | × sys-vdso (same round) | p25–p75 |");
        println!("|---|---:|---:|---|");
        for (i, (name, _)) in loops.iter().enumerate() {
            let (_, what, base) = VARIANTS.iter().find(|v| v.0 == *name).copied().unwrap();
            let b = loops.iter().position(|l| l.0 == base).unwrap();
            let ratios: Vec<f64> = ns[i].iter().zip(&ns[b]).map(|(x, y)| x / y).collect();
            println!(
                "| {what} | {:.2} | {:.3} | {:.3}–{:.3} |",
                quantile(&ns[i], 50),
                quantile(&ratios, 50),
                quantile(&ratios, 25),
                quantile(&ratios, 75)
            );
        }
    }

    pub fn main() {
        assert!(
            sys_vdso::entry_point(sys_vdso::Function::ClockGettime).is_some(),
            "this process has no vDSO clock_gettime: the figures would compare system calls"
        );
        println!(
            "vgetrandom through the vDSO: {:?} (state size)",
            sys_vdso::random::vdso_state_size()
        );
        let started = SystemTime::now() - Duration::from_secs(1);
        let mut c = Criterion::default()
            .warm_up_time(Duration::from_millis(300))
            .measurement_time(Duration::from_millis(1500))
            .configure_from_args();
        {
            let mut g = c.benchmark_group(GROUP);
            steady(&mut g);
            g.finish();
        }
        c.final_summary();
        summary(started);
        let rounds = std::env::var("SYS_VDSO_BENCH_ROUNDS")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(200);
        if rounds > 0 {
            interleaved(rounds);
        }
    }
}

fn main() {
    #[cfg(target_arch = "x86_64")]
    bench::main();
    #[cfg(not(target_arch = "x86_64"))]
    eprintln!("vdso bench: x86_64 only (criterion and the peers are x86_64 dev-dependencies)");
}
