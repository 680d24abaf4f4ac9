//! Time per `getppid(2)` call, every variant of `benches/common` side by side in one run
//! (criterion), then a table of medians with their ratio to hand-written inline `asm!`.
//!
//! Run: `cargo bench -p libsys --bench getppid` (or `tools/bench.sh`, which adds instruction counts).
//! x86_64 only (the hand-written reference is x86_64 asm). The table reads criterion's
//! `estimates.json` of this run from `$CRITERION_HOME`, else `$CARGO_TARGET_DIR/criterion`,
//! else the `criterion` directory of the target directory this binary was built in (where
//! criterion itself writes them).

#[cfg(target_arch = "x86_64")]
mod common;
#[cfg(target_arch = "x86_64")]
mod results;

#[cfg(target_arch = "x86_64")]
mod bench {
    use crate::common;
    use crate::results;
    use criterion::{BenchmarkGroup, Criterion, measurement::WallTime};
    use std::hint::black_box;
    use std::time::{Duration, SystemTime};

    /// The benchmark group's name (criterion's directory under its home).
    const GROUP: &str = "getppid";

    fn one<F: Fn() -> u32>(g: &mut BenchmarkGroup<'_, WallTime>, name: &str, f: F) {
        g.bench_function(name, |b| b.iter(|| black_box(f())));
    }

    /// The table: median ns/call and the ratio to `asm`, for the variants measured in this run.
    fn summary(started: SystemTime) {
        let mut rows = Vec::new();
        for &(name, what) in common::VARIANTS {
            if let Some(e) = results::read(GROUP, name, started) {
                rows.push((name, what, (e.median, e.lower, e.upper)));
            }
        }
        let reference = rows.iter().find(|r| r.0 == "asm").map(|r| r.2.0);
        println!("\ngetppid, median ns/call (95% CI), ratio to hand-written asm:");
        println!("| variant | ns/call | 95% CI | × asm |");
        println!("|---|---:|---|---:|");
        for (_, what, (med, lo, hi)) in &rows {
            let ratio = reference.map_or("-".into(), |r| format!("{:.3}", med / r));
            println!("| {what} | {med:.1} | {lo:.1}–{hi:.1} | {ratio} |");
        }
        if rows.is_empty() {
            println!(
                "(no results from this run under {})",
                results::home().display()
            );
        }
    }

    pub fn main() {
        let started = SystemTime::now() - Duration::from_secs(1);
        let mut c = Criterion::default()
            .warm_up_time(Duration::from_millis(500))
            .measurement_time(Duration::from_millis(2500))
            .configure_from_args();
        {
            let mut g = c.benchmark_group(GROUP);
            for &(name, _) in common::VARIANTS {
                let known = crate::with_variant!(name, one, &mut g, name);
                assert!(known, "no variant {name}");
            }
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
    eprintln!("getppid bench: x86_64 only (the hand-written reference is x86_64 asm)");
}
