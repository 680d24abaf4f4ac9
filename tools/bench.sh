#!/usr/bin/env bash
# tools/bench.sh: the cost of one getppid(2) call through libsys and its peers, side by side
# (x86_64): time per call with criterion (benches/getppid.rs, a table of medians and ratios to
# hand-written inline asm at the end) and instructions per call under valgrind's callgrind
# (benches/getppid_loop.rs). Method and figures: BENCHMARKS.md.
#
# Usage: tools/bench.sh [time] [count]      (default: both)
# Environment:
#   BENCH_COUNT_N=<n>   calls per counting run (default 100000); each variant runs with N and 2N
#                       calls and the difference is divided by N, so start-up costs cancel
#   CARGO_TARGET_DIR    as cargo (default: target/ of the repository)
set -CeEuo pipefail
trap 'echo >&2 "$0: error on line ${LINENO}: ${BASH_COMMAND}"' ERR

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$root/target}
export CARGO_TERM_COLOR=never
N=${BENCH_COUNT_N:-100000}
ROUNDS=${BENCH_ROUNDS:-300}
CALLS=${BENCH_CALLS:-20000}

want_time='' want_count=''
for a in "$@"; do
    case $a in
        time) want_time=1 ;;
        count) want_count=1 ;;
        -h | --help)
            sed -n '2,/^set -/{/^#/s/^# \{0,1\}//p}' "$0"
            exit 0
            ;;
        *)
            echo >&2 "$0: unknown argument '$a' (time, count)"
            exit 2
            ;;
    esac
done
if [[ -z $want_time$want_count ]]; then want_time=1 want_count=1; fi

if [[ $(uname -m) != x86_64 ]]; then
    echo >&2 "$0: x86_64 only (the hand-written reference is x86_64 asm)"
    exit 2
fi

# What else runs: timings on 2 cores shared with a build are not worth much.
busy=$(ps -eo pcpu=,comm= --sort=-pcpu | awk '$1 > 20 { printf "%s(%s%%) ", $2, $1 }')
echo "machine: $(nproc) CPUs, $(uname -r), $(rustc --version), load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "libsys: $(git -C "$root" describe --always --dirty 2>/dev/null || echo "not a git checkout")"
if [[ -n $busy ]]; then
    echo "warning: busy processes right now: $busy; the times may be disturbed"
fi

exe=$(cargo bench -p libsys --bench getppid_loop --no-run --message-format=json |
    sed -n 's/.*"executable":"\([^"]*\)".*/\1/p' | tail -n1)
[[ -x $exe ]] || {
    echo >&2 "$0: no getppid_loop executable in cargo's output"
    exit 1
}

if [[ -n $want_time ]]; then
    echo
    echo "== time per call, one variant after the other: cargo bench -p libsys --bench getppid"
    cargo bench -p libsys --bench getppid
    echo
    echo "== time per call, interleaved: getppid_loop --interleave $ROUNDS $CALLS"
    "$exe" --interleave "$ROUNDS" "$CALLS"
fi

if [[ -n $want_count ]]; then
    echo
    echo "== instructions per call: callgrind, $N and $((2 * N)) calls"
    command -v valgrind >/dev/null || {
        echo >&2 "$0: valgrind is not installed (apt-get install valgrind)"
        exit 1
    }
    # collected VARIANT CALLS: the instructions callgrind counted for the whole process.
    collected() {
        local out
        out=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null "$exe" "$1" "$2" 2>&1) || {
            echo >&2 "$0: valgrind $exe $1 $2 failed:"$'\n'"$out"
            return 1
        }
        sed -n 's/.*Collected : \([0-9]*\).*/\1/p' <<<"$out"
    }
    echo "| variant | instructions/call | without the loop |"
    echo "|---|---:|---:|"
    loop=
    while IFS=$'\t' read -r name what; do
        a=$(collected "$name" "$N")
        b=$(collected "$name" $((2 * N)))
        per=$(awk -v a="$a" -v b="$b" -v n="$N" 'BEGIN { printf "%.2f", (b - a) / n }')
        if [[ $name == loop ]]; then
            loop=$per
            echo "| $what | $per | |"
        else
            echo "| $what | $per | $(awk -v p="$per" -v l="$loop" 'BEGIN { printf "%.2f", p - l }') |"
        fi
    done < <("$exe" --list)
fi
