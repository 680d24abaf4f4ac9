//! Reading this run's results back from criterion's files, for the ratio tables the benchmarks
//! print at the end (`benches/getppid.rs`, `auxv.rs`, `vdso.rs`). Facts: criterion 0.8 writes
//! `<home>/<group>/<id>/new/estimates.json`, with the `/` of an id turned into `_`.

#![allow(
    dead_code,
    reason = "each benchmark reads a different part (getppid the interval)"
)]

use std::path::PathBuf;
use std::time::SystemTime;

/// Where criterion keeps its results (the order of its own lookup).
pub fn home() -> PathBuf {
    if let Some(h) = std::env::var_os("CRITERION_HOME") {
        return h.into();
    }
    if let Some(t) = std::env::var_os("CARGO_TARGET_DIR") {
        return PathBuf::from(t).join("criterion");
    }
    // <target>/release/deps/<bench>-<hash>
    let exe = std::env::current_exe().expect("current_exe");
    exe.ancestors()
        .nth(3)
        .expect("target directory")
        .join("criterion")
}

/// A median and its 95 % confidence interval, in ns.
#[derive(Clone, Copy)]
pub struct Estimate {
    /// The median's point estimate.
    pub median: f64,
    /// Lower bound of its confidence interval.
    pub lower: f64,
    /// Upper bound of its confidence interval.
    pub upper: f64,
}

/// The median estimate in an `estimates.json`.
fn parse(json: &str) -> Option<Estimate> {
    let m = &json[json.find("\"median\"")?..];
    let num = |key: &str| -> Option<f64> {
        let s = &m[m.find(key)? + key.len()..];
        s[..s.find([',', '}'])?].trim().parse().ok()
    };
    Some(Estimate {
        median: num("\"point_estimate\":")?,
        lower: num("\"lower_bound\":")?,
        upper: num("\"upper_bound\":")?,
    })
}

/// The estimate of benchmark `id` in `group`, if this run (started at `since`) wrote it.
pub fn read(group: &str, id: &str, since: SystemTime) -> Option<Estimate> {
    let path = home()
        .join(group)
        .join(id.replace('/', "_"))
        .join("new/estimates.json");
    let fresh = std::fs::metadata(&path)
        .and_then(|m| m.modified())
        .is_ok_and(|t| t >= since);
    if !fresh {
        return None;
    }
    parse(&std::fs::read_to_string(path).ok()?)
}
