#!/usr/bin/env bash
# tools/bench-features.sh: what libsys's `outline` (out-of-line stubs) and `hooks` features cost
# a getppid(2) call (x86_64). benches/getppid_loop.rs is built four times (no feature, outline,
# hooks, outline+hooks); in each build libsys's calls change and the hand-written inline `asm!`
# reference does not, so each build's ratio to it is measured side by side in one process:
#   - instructions per call under valgrind's callgrind (N and 2N calls, the difference over N);
#   - time per call, the variants interleaved round by round (median of same-round ratios).
# The builds run one after the other, round-robin, ROUNDS_EACH times. Figures: BENCHMARKS.md.
#
# Usage: tools/bench-features.sh
# Environment: BENCH_COUNT_N (default 100000), BENCH_ROUNDS (interleaved rounds per process,
#   default 100), BENCH_CALLS (calls per round and variant, default 20000), BENCH_REPEAT (how
#   many times the four processes take turns, default 3), CARGO_TARGET_DIR.
set -CeEuo pipefail
trap 'echo >&2 "$0: error on line ${LINENO}: ${BASH_COMMAND}"' ERR

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$root/target}
export CARGO_TERM_COLOR=never
N=${BENCH_COUNT_N:-100000}
ROUNDS=${BENCH_ROUNDS:-100}
CALLS=${BENCH_CALLS:-20000}
REPEAT=${BENCH_REPEAT:-3}

if [[ $(uname -m) != x86_64 ]]; then
    echo >&2 "$0: x86_64 only (the hand-written reference is x86_64 asm)"
    exit 2
fi
command -v valgrind >/dev/null || {
    echo >&2 "$0: valgrind is not installed (apt-get install valgrind)"
    exit 1
}

busy=$(ps -eo pcpu=,comm= --sort=-pcpu | awk '$1 > 20 { printf "%s(%s%%) ", $2, $1 }')
echo "machine: $(nproc) CPUs, $(uname -r), $(rustc --version), load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "libsys: $(git -C "$root" describe --always --dirty 2>/dev/null || echo "not a git checkout")"
[[ -z $busy ]] || echo "warning: busy processes right now: $busy; the times may be disturbed"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
builds=(none outline hooks outline,hooks)
for b in "${builds[@]}"; do
    args=(-p libsys --bench getppid_loop --no-run --message-format=json)
    [[ $b == none ]] || args+=(--features "$b")
    exe=$(cargo bench "${args[@]}" 2>/dev/null | sed -n 's/.*"executable":"\([^"]*\)".*/\1/p' | tail -n1)
    [[ -x $exe ]] || {
        echo >&2 "$0: no getppid_loop executable for features '$b'"
        exit 1
    }
    cp "$exe" "$work/$b"
done

collected() { # EXE VARIANT CALLS
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$1" "$2" "$3" 2>&1 |
        sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}
per_call() { # EXE VARIANT
    local a b
    a=$(collected "$1" "$2" "$N")
    b=$(collected "$1" "$2" $((2 * N)))
    awk -v a="$a" -v b="$b" -v n="$N" 'BEGIN { printf "%.2f", (b - a) / n }'
}

echo
echo "== instructions per call (callgrind, $N and $((2 * N)) calls)"
echo "| features | inline asm | libsys wrapper | over asm | raw macro | over asm |"
echo "|---|---:|---:|---:|---:|---:|"
for b in "${builds[@]}"; do
    asm=$(per_call "$work/$b" asm)
    lib=$(per_call "$work/$b" libsys)
    raw=$(per_call "$work/$b" libsys_raw)
    printf '| %s | %s | %s | %+.2f | %s | %+.2f |\n' "$b" "$asm" "$lib" \
        "$(awk -v a="$lib" -v b="$asm" 'BEGIN { print a - b }')" "$raw" \
        "$(awk -v a="$raw" -v b="$asm" 'BEGIN { print a - b }')"
done

echo
echo "== time per call, interleaved with inline asm in each process ($ROUNDS rounds x $CALLS calls; the four builds take turns $REPEAT times)"
for ((i = 0; i < REPEAT; i++)); do
    for b in "${builds[@]}"; do
        "$work/$b" --interleave "$ROUNDS" "$CALLS" |
            awk -v b="$b" -F'|' '/inline `asm!`|libsys/ { gsub(/^ +| +$/, "", $2); gsub(/ /, "", $3); gsub(/ /, "", $4); print b "\t" $2 "\t" $3 "\t" $4 }' >>"$work/times"
    done
done
echo "| features | variant | ns/call (median of runs) | × asm (median of runs) |"
echo "|---|---|---:|---:|"
for b in "${builds[@]}"; do
    for v in 'hand-written inline `asm!`' 'libsys `#[syscall(readonly)] fn getppid() -> u32`' 'libsys `raw::syscall_readonly!(nr::getppid)`'; do
        awk -F'\t' -v b="$b" -v v="$v" '$1 == b && $2 == v { ns[n] = $3; r[n] = $4; n++ }
            function med(a, n,   i, j, t) { for (i = 0; i < n; i++) for (j = i + 1; j < n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
                return n % 2 ? a[int(n / 2)] : (a[n / 2 - 1] + a[n / 2]) / 2 }
            END { if (n) printf "| %s | %s | %.1f | %.3f |\n", b, v, med(ns, n), med(r, n) }' "$work/times"
    done
done
