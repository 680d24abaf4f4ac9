#!/usr/bin/env bash
# tools/build-cost.sh: what libsys's `#[syscall]` costs a user at build time, next to rustix.
# Creates two small programs in a temporary directory that make the same five calls (getppid,
# openat, read, write, close): one declares them with `#[syscall]` (a path dependency on this
# repository's libsys, default features), the other uses rustix (default features + `process`,
# `fs`). Then times `cargo build --release` from clean for each, in a fresh target directory
# every run, alternating the two, RUNS times each, and prints the medians and their ratio.
# Dependencies are fetched before the timed builds, which then run --offline: no network time.
#
# Usage: tools/build-cost.sh            (RUNS=3 by default; e.g. RUNS=5 tools/build-cost.sh)
# Output: one line per build, then a table; figures in BENCHMARKS.md.
set -CeEuo pipefail
trap 'echo >&2 "$0: error on line ${LINENO}: ${BASH_COMMAND}"' ERR

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RUNS=${RUNS:-3}
RUSTIX_VERSION=1.1.6
export CARGO_TERM_COLOR=never
unset CARGO_TARGET_DIR RUSTFLAGS CARGO_BUILD_RUSTFLAGS RUSTC_WRAPPER CARGO_BUILD_RUSTC_WRAPPER

work=$(mktemp -d "${TMPDIR:-/tmp}/libsys-build-cost.XXXXXX")
trap 'rm -rf "$work"' EXIT

# ---- the two programs ---------------------------------------------------------------------------
mkdir -p "$work/with-libsys/src" "$work/with-rustix/src"

cat >"$work/with-libsys/Cargo.toml" <<TOML
[package]
name = "with-libsys"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
libsys = { path = "$root" }

[workspace]
TOML
# The repository's lock file: the versions libsys is tested with.
cp "$root/Cargo.lock" "$work/with-libsys/Cargo.lock"

cat >"$work/with-libsys/src/main.rs" <<'RS'
//! Five system calls declared with `#[syscall]`.
use core::ffi::CStr;
use libsys::{Errno, syscall};

#[syscall(readonly)]
unsafe fn getppid() -> u32;
#[syscall]
unsafe fn openat(dirfd: i32, path: &CStr, flags: i32, mode: u32) -> Result<i32, Errno>;
#[syscall]
unsafe fn read(fd: i32, buf: &mut [u8]) -> Result<usize, Errno>;
#[syscall(readonly)]
unsafe fn write(fd: i32, buf: &[u8]) -> Result<usize, Errno>;
#[syscall(readonly)]
unsafe fn close(fd: i32) -> Result<(), Errno>;

fn main() -> Result<(), Errno> {
    let mut buf = [0u8; 64];
    // SAFETY: a C string path; the descriptor is ours and closed below; `buf` is ours.
    unsafe {
        let fd = openat(libsys::fd::AT_FDCWD, c"/proc/self/comm", 0, 0)?;
        let n = read(fd, &mut buf)?;
        write(1, &buf[..n])?;
        close(fd)?;
    }
    // SAFETY: getppid touches no memory.
    println!("parent {}", unsafe { getppid() });
    Ok(())
}
RS

cat >"$work/with-rustix/Cargo.toml" <<TOML
[package]
name = "with-rustix"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
rustix = { version = "=$RUSTIX_VERSION", features = ["process", "fs"] }

[workspace]
TOML

cat >"$work/with-rustix/src/main.rs" <<'RS'
//! The same five system calls through rustix.
use rustix::fd::BorrowedFd;
use rustix::fs::{CWD, Mode, OFlags, openat};
use rustix::io::{Errno, read, write};
use rustix::process::getppid;

fn main() -> Result<(), Errno> {
    let mut buf = [0u8; 64];
    let fd = openat(CWD, c"/proc/self/comm", OFlags::RDONLY, Mode::empty())?;
    let n = read(&fd, &mut buf)?;
    // SAFETY: descriptor 1 (stdout) stays open while the program runs.
    write(unsafe { BorrowedFd::borrow_raw(1) }, &buf[..n])?;
    drop(fd); // close
    println!("parent {}", getppid().map_or(0, |p| p.as_raw_nonzero().get()));
    Ok(())
}
RS

# ---- fetch (not timed), check that both build and run -------------------------------------------
for p in with-libsys with-rustix; do
    (cd "$work/$p" && cargo fetch -q)
    (cd "$work/$p" && CARGO_TARGET_DIR=$work/check-$p cargo build -q --release --offline)
    out=$("$work/check-$p/release/$p")
    echo "$p runs: $(tr '\n' ' ' <<<"$out")"
    rm -rf "$work/check-$p"
done

# ---- timed clean builds, alternating ------------------------------------------------------------
echo "machine: $(nproc) CPUs, $(uname -r), $(rustc --version), load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "libsys: $(git -C "$root" describe --always --dirty 2>/dev/null || echo "not a git checkout")"
declare -A times=()
crates=()
for ((i = 1; i <= RUNS; i++)); do
    for p in with-libsys with-rustix; do
        t=$work/target-$p-$i
        start=$EPOCHREALTIME
        log=$(cd "$work/$p" && CARGO_TARGET_DIR=$t cargo build --release --offline 2>&1)
        end=$EPOCHREALTIME
        s=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }')
        n=$(grep -c '^ *Compiling ' <<<"$log")
        times[$p]+="$s "
        crates+=("$p:$n")
        echo "run $i $p: $s s ($n crates compiled)"
        rm -rf "$t"
    done
done

median() { tr ' ' '\n' <<<"$1" | grep . | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
ml=$(median "${times[with-libsys]}")
mr=$(median "${times[with-rustix]}")
nl=$(printf '%s\n' "${crates[@]}" | sed -n 's/^with-libsys://p' | head -n1)
nr=$(printf '%s\n' "${crates[@]}" | sed -n 's/^with-rustix://p' | head -n1)
echo
echo "cargo build --release from clean, median of $RUNS:"
echo "| program | crates compiled | runs (s) | median (s) | ratio |"
echo "|---|---:|---|---:|---:|"
echo "| #[syscall] (libsys) | $nl | ${times[with-libsys]% } | $ml | $(awk -v a="$ml" -v b="$mr" 'BEGIN { printf "%.2f", a / b }') |"
echo "| rustix $RUSTIX_VERSION (process, fs) | $nr | ${times[with-rustix]% } | $mr | 1.00 |"
