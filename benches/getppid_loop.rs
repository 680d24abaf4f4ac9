//! `getppid(2)` in a plain loop, for what criterion cannot do: instructions per call under
//! `valgrind --tool=callgrind`, and time per call with the variants of `benches/common`
//! interleaved, so that they share the machine's slow and fast moments.
//!
//! Usage (what `tools/bench.sh` runs):
//! - `getppid_loop --list`: the variants, as `name<TAB>description` lines (`loop` is the empty
//!   loop: the `black_box` and the counter that every variant's loop also has);
//! - `getppid_loop VARIANT N`: N calls, nothing else; under callgrind, N and 2N calls give the
//!   instructions per call (the difference over N: start-up and glibc's lazy binding of
//!   `getppid` on the first call cancel);
//! - `getppid_loop --interleave ROUNDS CALLS`: ROUNDS rounds, each timing CALLS calls of every
//!   variant (in an order rotated by round), then per variant the median ns/call over the rounds
//!   and the median of its ratio to `asm` within the same round.
//!
//! Built by `cargo bench -p libsys --bench getppid_loop --no-run`; not run by a plain `cargo bench`
//! (`bench = false`). x86_64 only. On a VM whose syscall cost drifts by 30% from one second to
//! the next (the machine of BENCHMARKS.md), the paired ratios are the figure to read.

#[cfg(target_arch = "x86_64")]
mod common;
#[cfg(target_arch = "x86_64")]
mod util;
#[cfg(target_arch = "x86_64")]
use util::median;

/// Calls `f` `n` times, keeping each result alive.
#[cfg(target_arch = "x86_64")]
#[inline(never)]
fn run<F: Fn() -> u32>(n: u64, f: F) {
    for _ in 0..n {
        std::hint::black_box(f());
    }
}

/// Times `n` calls of `f`, in ns per call.
#[cfg(target_arch = "x86_64")]
#[inline(never)]
fn time<F: Fn() -> u32>(out: &mut f64, n: u64, f: F) {
    let t = std::time::Instant::now();
    run(n, f);
    *out = t.elapsed().as_nanos() as f64 / n as f64;
}

/// `--interleave ROUNDS CALLS`: the table of medians and paired ratios.
#[cfg(target_arch = "x86_64")]
fn interleave(rounds: usize, calls: u64) {
    let k = common::VARIANTS.len();
    // ns[v][r]: variant v in round r.
    let mut ns = vec![vec![0f64; rounds]; k];
    for r in 0..rounds {
        for i in 0..k {
            let v = (i + r) % k;
            let name = common::VARIANTS[v].0;
            let known = crate::with_variant!(name, time, &mut ns[v][r], calls);
            assert!(known, "no variant {name}");
        }
    }
    let asm = common::VARIANTS.iter().position(|v| v.0 == "asm").unwrap();
    println!(
        "getppid, interleaved: {rounds} rounds x {calls} calls per variant; median over rounds"
    );
    println!("| variant | ns/call | × asm (median of same-round ratios) |");
    println!("|---|---:|---:|");
    for (v, &(_, what)) in common::VARIANTS.iter().enumerate() {
        let mut ratios: Vec<f64> = (0..rounds).map(|r| ns[v][r] / ns[asm][r]).collect();
        let med = median(&mut ns[v].clone());
        println!("| {what} | {med:.1} | {:.3} |", median(&mut ratios));
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    #[cfg(target_arch = "x86_64")]
    match args.as_slice() {
        ["--list"] => {
            println!("loop\tthe empty loop (black_box and counter)");
            for (name, what) in common::VARIANTS {
                println!("{name}\t{what}");
            }
            return;
        }
        ["--interleave", rounds, calls] => {
            interleave(
                rounds.parse().expect("ROUNDS: a number"),
                calls.parse().expect("CALLS: a number"),
            );
            return;
        }
        [variant, n] if !variant.starts_with('-') => {
            let n: u64 = n.parse().expect("N: a number");
            let known = *variant == "loop" && {
                run(n, || 0);
                true
            } || crate::with_variant!(*variant, run, n);
            if known {
                return;
            }
            eprintln!("getppid_loop: no variant {variant}");
            std::process::exit(2);
        }
        _ => {}
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = args;
    eprintln!("usage: getppid_loop --list | VARIANT N | --interleave ROUNDS CALLS (x86_64 only)");
    std::process::exit(2);
}
