//! What a lookup in the auxiliary vector costs through sys-auxv next to its peers, side by side
//! in one run (criterion): the page size (sys-auxv, glibc's `getauxval(AT_PAGESZ)` and
//! `sysconf(_SC_PAGESIZE)`, rustix's `param::page_size`), a generic lookup (`AT_RANDOM`:
//! sys-auxv's index against glibc's linear scan) and `AT_HWCAP` (rustix has a getter for it).
//! The one-time cost of the first lookup in a fresh process is `benches/first_call.rs`.
//!
//! Run: `cargo bench -p libsys --bench auxv`. x86_64 only (criterion and the peers are x86_64
//! dev-dependencies). Prints a table of medians and ratios to sys-auxv at the end. Facts:
//! `getauxval(3)`, `sysconf(3)`; glibc 2.36 `misc/getauxval.c` scans `GLRO(dl_auxv)` for every key
//! but `AT_HWCAP`/`AT_HWCAP2`.

#[cfg(target_arch = "x86_64")]
mod results;

#[cfg(target_arch = "x86_64")]
mod bench {
    use crate::results;
    use criterion::{BenchmarkGroup, Criterion, measurement::WallTime};
    use libsys::sys_auxv::{self, Key};
    use std::hint::black_box;
    use std::time::{Duration, SystemTime};

    const GROUP: &str = "auxv";

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
    }
}

fn main() {
    #[cfg(target_arch = "x86_64")]
    bench::main();
    #[cfg(not(target_arch = "x86_64"))]
    eprintln!("auxv bench: x86_64 only (criterion and the peers are x86_64 dev-dependencies)");
}
