//! The one-time cost of the first call in a fresh process, for sys-auxv's and sys-vdso's lazy
//! initialisation next to rustix's and glibc's: this small binary (no criterion) runs itself
//! again once per sample, and each child times a single first call of one variant with
//! `Instant` around it (after three `Instant::now` calls, so that glibc's vDSO clock and its
//! data page are warm and only the call is measured). Variants are interleaved, their order
//! rotated per round, so machine noise spreads over all of them. Page faults during the call
//! come from getrusage(2).
//!
//! Run: `cargo bench -p libsys --bench first_call` (`FIRST_CALL_PROCESSES=N` children per variant,
//! default 300). x86_64 only (rustix is an x86_64 dev-dependency). Prints one table with the
//! median, p10–p90, page faults and the ratio to the first row of each group. glibc's rows are
//! low because ld.so parsed the vector and the vDSO before `main`, outside the measurement.

#[cfg(target_arch = "x86_64")]
mod bench {
    use libsys::sys_auxv::{self, source};
    use libsys::sys_vdso::{self, ClockId};
    use std::hint::black_box;
    use std::process::Command;
    use std::time::Instant;

    /// Environment variable that makes this binary a child measuring one first call.
    const CHILD: &str = "LIBSYS_FIRST_CALL";

    /// (name, what, ratio base: the first row of its group, or "" for none).
    const VARIANTS: &[(&str, &str, &str)] = &[
        (
            "sys_auxv_page_size",
            "sys-auxv `page_size()` (parses what `.init_array` recorded)",
            "sys_auxv_page_size",
        ),
        (
            "rustix_page_size",
            "rustix `param::page_size()` (its own auxv init)",
            "sys_auxv_page_size",
        ),
        (
            "getauxval",
            "glibc `getauxval(AT_PAGESZ)`",
            "sys_auxv_page_size",
        ),
        (
            "sysconf",
            "glibc `sysconf(_SC_PAGESIZE)`",
            "sys_auxv_page_size",
        ),
        (
            "sys_auxv_sysinfo_ehdr",
            "sys-auxv `sysinfo_ehdr()` (the same, and the vDSO's ELF header checked)",
            "",
        ),
        (
            "sys_auxv_capture",
            "sys-auxv `source::stack::read(sp)` (envp walk and parse)",
            "",
        ),
        (
            "sys_auxv_procfs",
            "sys-auxv `source::procfs::read()` (the fallback's first source)",
            "",
        ),
        ("sys_auxv_prctl", "sys-auxv `source::prctl::read()`", ""),
        (
            "sys_vdso_clock_gettime",
            "sys-vdso `clock_gettime(MONOTONIC)` (auxv lookup, vDSO parse, lookup, call)",
            "sys_vdso_clock_gettime",
        ),
        (
            "rustix_clock_gettime",
            "rustix `time::clock_gettime(Monotonic)` (its auxv init, vDSO parse, call)",
            "sys_vdso_clock_gettime",
        ),
        (
            "glibc_clock_gettime",
            "glibc `clock_gettime(CLOCK_MONOTONIC)` (vDSO parsed by ld.so)",
            "sys_vdso_clock_gettime",
        ),
        (
            "std_instant",
            "`Instant::now` (glibc)",
            "sys_vdso_clock_gettime",
        ),
        (
            "sys_vdso_sched_getcpu",
            "sys-vdso `sched_getcpu()` (auxv lookup, vDSO parse, lookup, call)",
            "sys_vdso_sched_getcpu",
        ),
        (
            "rustix_sched_getcpu",
            "rustix `thread::sched_getcpu()` (its auxv init, vDSO parse, call)",
            "sys_vdso_sched_getcpu",
        ),
        (
            "glibc_sched_getcpu",
            "glibc `sched_getcpu()`",
            "sys_vdso_sched_getcpu",
        ),
        (
            "sys_vdso_parse",
            "sys-vdso `Vdso::get()` alone (auxv lookup, headers, dynamic table, hash tables)",
            "",
        ),
        (
            "sys_vdso_getcpu_second",
            "sys-vdso `getcpu()` after a `clock_gettime` (image parsed: lookup and call)",
            "",
        ),
        (
            "sys_vdso_getrandom",
            "sys-vdso `getrandom` 16 B (resolve, parameter query, state mmap, call)",
            "",
        ),
    ];

    fn clock(ts: sys_vdso::Timespec) -> u64 {
        (ts.sec ^ ts.nsec) as u64
    }

    /// In a child: times the first call of `name`; prints nanoseconds and minor page faults.
    fn child(name: &str) {
        for _ in 0..3 {
            black_box(Instant::now());
        }
        let mut buf = [0u8; 16];
        if name == "sys_vdso_getcpu_second" {
            black_box(sys_vdso::clock_gettime(ClockId::MONOTONIC).map_or(0, clock));
        }
        let faults = minor_faults();
        let t = Instant::now();
        let v: u64 = match name {
            "sys_auxv_page_size" => sys_auxv::page_size().unwrap_or(0) as u64,
            "rustix_page_size" => rustix::param::page_size() as u64,
            // SAFETY: getauxval only reads libc's copy of the vector.
            "getauxval" => unsafe { libc::getauxval(libc::AT_PAGESZ) },
            // SAFETY: sysconf only reads libc's state.
            "sysconf" => unsafe { libc::sysconf(libc::_SC_PAGESIZE) as u64 },
            "sys_auxv_sysinfo_ehdr" => sys_auxv::sysinfo_ehdr().map_or(0, |p| p.as_ptr() as u64),
            "sys_auxv_capture" => match sys_auxv::args() {
                // SAFETY: argv is the initial stack's and argc sits before it (x86_64 glibc).
                Some((_, argv)) => unsafe { source::stack::read(argv.cast::<usize>().sub(1)) }
                    .map_or(0, |a| a.len() as u64),
                None => 0,
            },
            "sys_auxv_procfs" => source::procfs::read().map_or(0, |a| a.len() as u64),
            "sys_auxv_prctl" => source::prctl::read().map_or(0, |a| a.len() as u64),
            "sys_vdso_clock_gettime" => {
                sys_vdso::clock_gettime(ClockId::MONOTONIC).map_or(0, clock)
            }
            "rustix_clock_gettime" => {
                let ts = rustix::time::clock_gettime(rustix::time::ClockId::Monotonic);
                (ts.tv_sec ^ ts.tv_nsec) as u64
            }
            "glibc_clock_gettime" => {
                let mut ts = libc::timespec {
                    tv_sec: 0,
                    tv_nsec: 0,
                };
                // SAFETY: `ts` is valid for writes.
                unsafe { libc::clock_gettime(libc::CLOCK_MONOTONIC, &mut ts) };
                (ts.tv_sec ^ ts.tv_nsec) as u64
            }
            "std_instant" => Instant::now().elapsed().as_nanos() as u64 + 1,
            "sys_vdso_sched_getcpu" => sys_vdso::sched_getcpu().map_or(0, |c| u64::from(c) + 1),
            "rustix_sched_getcpu" => rustix::thread::sched_getcpu() as u64 + 1,
            // SAFETY: sched_getcpu has no preconditions.
            "glibc_sched_getcpu" => unsafe { libc::sched_getcpu() as u64 + 1 },
            "sys_vdso_parse" => {
                sys_vdso::Vdso::get().map_or(0, |v| v.image().symbol_count() as u64)
            }
            "sys_vdso_getcpu_second" => sys_vdso::getcpu().map_or(0, |c| u64::from(c.0) + 1),
            "sys_vdso_getrandom" => sys_vdso::getrandom(&mut buf, 0).map_or(0, |n| n as u64),
            _ => panic!("unknown first-call variant {name}"),
        };
        let ns = t.elapsed().as_nanos();
        let faults = minor_faults() - faults;
        black_box(v);
        println!("{ns} {faults}");
    }

    /// Minor page faults of this process so far (getrusage(2)).
    fn minor_faults() -> i64 {
        // SAFETY: an all-zero rusage is a valid value to be overwritten.
        let mut r: libc::rusage = unsafe { std::mem::zeroed() };
        // SAFETY: `r` is valid for writes.
        unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut r) };
        r.ru_minflt
    }

    pub fn main() {
        if let Ok(name) = std::env::var(CHILD) {
            child(&name);
            return;
        }
        let samples: usize = std::env::var("FIRST_CALL_PROCESSES")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(300);
        let exe = std::env::current_exe().expect("current_exe");
        let n = VARIANTS.len();
        let mut times: Vec<Vec<u64>> = vec![Vec::new(); n];
        let mut faults: Vec<Vec<i64>> = vec![Vec::new(); n];
        for r in 0..samples {
            // The order rotates per round, so that no variant always follows the same one.
            for k in 0..n {
                let i = (k + r) % n;
                let name = VARIANTS[i].0;
                let out = Command::new(&exe).env(CHILD, name).output().expect("spawn");
                let s = String::from_utf8_lossy(&out.stdout);
                let mut w = s.split_whitespace().map(str::parse::<i64>);
                match (w.next(), w.next()) {
                    (Some(Ok(ns)), Some(Ok(f))) if out.status.success() => {
                        times[i].push(ns as u64);
                        faults[i].push(f);
                    }
                    _ => panic!(
                        "child {name} failed: {s} {}",
                        String::from_utf8_lossy(&out.stderr)
                    ),
                }
            }
        }
        for v in times.iter_mut() {
            v.sort_unstable();
        }
        for v in faults.iter_mut() {
            v.sort_unstable();
        }
        let q = |v: &[u64], p: usize| v[(v.len() - 1) * p / 100];
        println!("first call in a fresh process, ns ({samples} processes per variant):");
        println!("| variant | median | p10–p90 | page faults (median) | × first of group |");
        println!("|---|---:|---|---:|---:|");
        for (i, &(_, what, base)) in VARIANTS.iter().enumerate() {
            let med = q(&times[i], 50);
            let ratio = match VARIANTS.iter().position(|v| v.0 == base) {
                Some(b) => format!("{:.2}", med as f64 / q(&times[b], 50).max(1) as f64),
                None => "-".into(),
            };
            println!(
                "| {what} | {med} | {}–{} | {} | {ratio} |",
                q(&times[i], 10),
                q(&times[i], 90),
                faults[i][faults[i].len() / 2]
            );
        }
    }
}

fn main() {
    #[cfg(target_arch = "x86_64")]
    bench::main();
    #[cfg(not(target_arch = "x86_64"))]
    eprintln!("first_call bench: x86_64 only (rustix is an x86_64 dev-dependency)");
}
