//! What a lookup in the auxiliary vector costs through sys-auxv next to its peers, side by side
//! in one run (criterion): the page size (sys-auxv, glibc's `getauxval(AT_PAGESZ)` and
//! `sysconf(_SC_PAGESIZE)`, rustix's `param::page_size`), a generic lookup (`AT_RANDOM`:
//! sys-auxv's index against glibc's linear scan) and `AT_HWCAP` (rustix has a getter for it).
//! Then the one-time cost in a fresh process: this binary runs itself again once per sample,
//! and each child times a single first call (`Instant` around it) of one variant.
//!
//! Run: `cargo bench --bench auxv`. x86_64 only (criterion and the peers are x86_64
//! dev-dependencies). Prints a table of medians and ratios to sys-auxv at the end. Facts:
//! `getauxval(3)`, `sysconf(3)`; glibc 2.36 `misc/getauxval.c` scans `GLRO(dl_auxv)` for every key
//! but `AT_HWCAP`/`AT_HWCAP2`.

#[cfg(target_arch = "x86_64")]
mod results;

#[cfg(target_arch = "x86_64")]
mod bench {
    use crate::results;
    use criterion::{BenchmarkGroup, Criterion, measurement::WallTime};
    use libsys::sys_auxv::{self, Key, source};
    use std::hint::black_box;
    use std::process::Command;
    use std::time::{Duration, Instant, SystemTime};

    const GROUP: &str = "auxv";
    /// Environment variable that makes this binary a child measuring one first call.
    const CHILD: &str = "SYS_AUXV_BENCH_FIRST_CALL";

    /// Steady-state variants: (name, what, ratio base).
    const VARIANTS: &[(&str, &str, &str)] = &[
        (
            "page_size/sys_auxv",
            "sys-auxv `page_size()`",
            "page_size/sys_auxv",
        ),
        (
            "page_size/rustix",
            "rustix `param::page_size()`",
            "page_size/sys_auxv",
        ),
        (
            "page_size/getauxval",
            "glibc `getauxval(AT_PAGESZ)`",
            "page_size/sys_auxv",
        ),
        (
            "page_size/sysconf",
            "glibc `sysconf(_SC_PAGESIZE)`",
            "page_size/sys_auxv",
        ),
        (
            "random/sys_auxv",
            "sys-auxv `get(Key::RANDOM)`",
            "random/sys_auxv",
        ),
        (
            "random/getauxval",
            "glibc `getauxval(AT_RANDOM)`",
            "random/sys_auxv",
        ),
        ("hwcap/sys_auxv", "sys-auxv `hwcap()`", "hwcap/sys_auxv"),
        (
            "hwcap/rustix",
            "rustix `param::linux_hwcap().0`",
            "hwcap/sys_auxv",
        ),
        (
            "hwcap/getauxval",
            "glibc `getauxval(AT_HWCAP)`",
            "hwcap/sys_auxv",
        ),
    ];

    /// First-call variants, each timed in a fresh process: (name, what).
    const FIRST: &[(&str, &str)] = &[
        (
            "sys_auxv_page_size",
            "sys-auxv `page_size()` (parses what `.init_array` recorded)",
        ),
        (
            "sys_auxv_capture",
            "sys-auxv `source::stack::read(sp)` (envp walk and parse)",
        ),
        (
            "sys_auxv_procfs",
            "sys-auxv `source::procfs::read()` (the fallback's first source)",
        ),
        ("sys_auxv_prctl", "sys-auxv `source::prctl::read()`"),
        (
            "rustix_page_size",
            "rustix `param::page_size()` (its own auxv init)",
        ),
        ("getauxval", "glibc `getauxval(AT_PAGESZ)`"),
        ("sysconf", "glibc `sysconf(_SC_PAGESIZE)`"),
    ];

    /// In a child: times the first call of `name` and prints the nanoseconds.
    fn child(name: &str) {
        // Warm the clock itself (its vDSO page), so that only the call is measured.
        for _ in 0..3 {
            black_box(Instant::now());
        }
        let t = Instant::now();
        let v = match name {
            "sys_auxv_page_size" => sys_auxv::page_size().unwrap_or(0),
            "sys_auxv_capture" => match sys_auxv::args() {
                // SAFETY: argv is the initial stack's and argc sits before it (x86_64 glibc).
                Some((_, argv)) => unsafe { source::stack::read(argv.cast::<usize>().sub(1)) }
                    .map_or(0, |a| a.len()),
                None => 0,
            },
            "sys_auxv_procfs" => source::procfs::read().map_or(0, |a| a.len()),
            "sys_auxv_prctl" => source::prctl::read().map_or(0, |a| a.len()),
            "rustix_page_size" => rustix::param::page_size(),
            // SAFETY: getauxval only reads libc's copy of the vector.
            "getauxval" => unsafe { libc::getauxval(libc::AT_PAGESZ) as usize },
            // SAFETY: sysconf only reads libc's state.
            "sysconf" => unsafe { libc::sysconf(libc::_SC_PAGESIZE) as usize },
            _ => panic!("unknown first-call variant {name}"),
        };
        let ns = t.elapsed().as_nanos();
        black_box(v);
        println!("{ns}");
    }

    /// Runs `samples` children per first-call variant, interleaved, and prints the medians.
    fn first_calls(samples: usize) {
        let exe = std::env::current_exe().expect("current_exe");
        let mut times: Vec<Vec<u128>> = vec![Vec::new(); FIRST.len()];
        for _ in 0..samples {
            for (i, &(name, _)) in FIRST.iter().enumerate() {
                let out = Command::new(&exe).env(CHILD, name).output().expect("spawn");
                let s = String::from_utf8_lossy(&out.stdout);
                match s.trim().parse() {
                    Ok(ns) if out.status.success() => times[i].push(ns),
                    _ => panic!(
                        "child {name} failed: {s} {}",
                        String::from_utf8_lossy(&out.stderr)
                    ),
                }
            }
        }
        println!("\nfirst call in a fresh process, median ns ({samples} processes each):");
        println!("| variant | ns (median) | p10–p90 |");
        println!("|---|---:|---|");
        for ((_, what), t) in FIRST.iter().zip(&mut times) {
            t.sort_unstable();
            let q = |p: usize| t[(t.len() - 1) * p / 100];
            println!("| {what} | {} | {}–{} |", q(50), q(10), q(90));
        }
    }

    /// The table of this run's medians and the ratio to sys-auxv in each group.
    fn summary(started: SystemTime) {
        let read = |name: &str| results::read(GROUP, name, started).map(|e| e.median);
        println!("\nauxv lookups, median ns/call, ratio to sys-auxv:");
        println!("| variant | ns/call | × sys-auxv |");
        println!("|---|---:|---:|");
        for &(name, what, base) in VARIANTS {
            let Some(med) = read(name) else { continue };
            let ratio = read(base).map_or("-".into(), |b| format!("{:.2}", med / b));
            println!("| {what} | {med:.2} | {ratio} |");
        }
    }

    fn one(g: &mut BenchmarkGroup<'_, WallTime>, name: &str, f: impl Fn() -> usize) {
        assert!(
            VARIANTS.iter().any(|v| v.0 == name),
            "{name} not in VARIANTS"
        );
        assert_ne!(f(), 0, "{name} gives nothing");
        g.bench_function(name, |b| b.iter(|| black_box(f())));
    }

    /// Every steady-state variant (the key goes through `black_box`, so that no lookup is
    /// folded into a constant).
    fn steady(g: &mut BenchmarkGroup<'_, WallTime>) {
        one(g, "page_size/sys_auxv", || {
            sys_auxv::page_size().unwrap_or(0)
        });
        one(g, "page_size/rustix", rustix::param::page_size);
        // SAFETY: getauxval and sysconf only read libc's state (so do all libc calls below).
        one(g, "page_size/getauxval", || unsafe {
            libc::getauxval(black_box(libc::AT_PAGESZ)) as usize
        });
        // SAFETY: as above.
        one(g, "page_size/sysconf", || unsafe {
            libc::sysconf(black_box(libc::_SC_PAGESIZE)) as usize
        });
        one(g, "random/sys_auxv", || {
            sys_auxv::get(black_box(Key::RANDOM)).unwrap_or(0)
        });
        // SAFETY: as above.
        one(g, "random/getauxval", || unsafe {
            libc::getauxval(black_box(libc::AT_RANDOM)) as usize
        });
        one(g, "hwcap/sys_auxv", || sys_auxv::hwcap().unwrap_or(0));
        one(g, "hwcap/rustix", || rustix::param::linux_hwcap().0);
        // SAFETY: as above.
        one(g, "hwcap/getauxval", || unsafe {
            libc::getauxval(black_box(libc::AT_HWCAP)) as usize
        });
    }

    pub fn main() {
        if let Ok(name) = std::env::var(CHILD) {
            child(&name);
            return;
        }
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
        let samples = std::env::var("SYS_AUXV_BENCH_PROCESSES")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(200);
        first_calls(samples);
    }
}

fn main() {
    #[cfg(target_arch = "x86_64")]
    bench::main();
    #[cfg(not(target_arch = "x86_64"))]
    eprintln!("auxv bench: x86_64 only (criterion and the peers are x86_64 dev-dependencies)");
}
