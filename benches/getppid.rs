//! Time per `getppid(2)` call, every variant of `benches/common` side by side in one run
//! (criterion), then a table of medians with their ratio to hand-written inline `asm!`.
//!
//! Run: `cargo bench --bench getppid` (or `tools/bench.sh`, which adds instruction counts).
//! x86_64 only (the hand-written reference is x86_64 asm). The table reads criterion's
//! `estimates.json` of this run from `$CRITERION_HOME`, else `$CARGO_TARGET_DIR/criterion`,
//! else the `criterion` directory of the target directory this binary was built in (where
//! criterion itself writes them).

#[cfg(target_arch = "x86_64")]
mod common;

#[cfg(target_arch = "x86_64")]
mod bench {
    use crate::common;
    use criterion::{BenchmarkGroup, Criterion, measurement::WallTime};
    use std::hint::black_box;
    use std::path::PathBuf;
    use std::time::{Duration, SystemTime};

    /// The benchmark group's name (criterion's directory under its home).
    const GROUP: &str = "getppid";

    fn one<F: Fn() -> u32>(g: &mut BenchmarkGroup<'_, WallTime>, name: &str, f: F) {
        g.bench_function(name, |b| b.iter(|| black_box(f())));
    }

    /// Where criterion keeps its results (the order of its own lookup).
    fn criterion_home() -> PathBuf {
        if let Some(h) = std::env::var_os("CRITERION_HOME") {
            return h.into();
        }
        if let Some(t) = std::env::var_os("CARGO_TARGET_DIR") {
            return PathBuf::from(t).join("criterion");
        }
        // <target>/release/deps/getppid-<hash>
        let exe = std::env::current_exe().expect("current_exe");
        let target = exe.ancestors().nth(3).expect("target directory");
        target.join("criterion")
    }

    /// The median estimate and its 95% confidence interval (ns) from an `estimates.json`.
    fn median(json: &str) -> Option<(f64, f64, f64)> {
        let m = &json[json.find("\"median\"")?..];
        let num = |key: &str| -> Option<f64> {
            let s = &m[m.find(key)? + key.len()..];
            let end = s.find([',', '}'])?;
            s[..end].trim().parse().ok()
        };
        Some((
            num("\"point_estimate\":")?,
            num("\"lower_bound\":")?,
            num("\"upper_bound\":")?,
        ))
    }

    /// The table: median ns/call and the ratio to `asm`, for the variants measured in this run.
    fn summary(started: SystemTime) {
        let home = criterion_home();
        let mut rows = Vec::new();
        for &(name, what) in common::VARIANTS {
            let path = home.join(GROUP).join(name).join("new/estimates.json");
            let fresh = std::fs::metadata(&path)
                .and_then(|m| m.modified())
                .is_ok_and(|t| t >= started);
            if !fresh {
                continue;
            }
            match std::fs::read_to_string(&path)
                .ok()
                .as_deref()
                .and_then(median)
            {
                Some(m) => rows.push((name, what, m)),
                None => eprintln!("getppid: cannot read the median in {}", path.display()),
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
            println!("(no results from this run under {})", home.display());
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
