#!/usr/bin/env bash
# tools/bench-trace.sh: what observing system calls costs, on one syscall-heavy workload
# (benches/trace.rs: a getppid loop and a pread/pwrite copy loop through libsys), side by side:
# no hook; a counting hook (which makes the call itself) and a counting observer (told after the
# call); libsys's tracer writing strace lines into its ring; the same binary
# under `strace -f` (output to /dev/null) and under `strace -f --seccomp-bpf` tracing only the
# workload's calls; and the same workload through libc, plain and intercepted with Syscall User
# Dispatch and a counting observer (benches/intercept.rs). The modes take turns, ROUNDS times; the table gives the median ns per call
# of each and its ratio to no tracing. x86_64 (strace is installed if missing). BENCHMARKS.md.
#
# First, the hooks' own cost: `trace --interleave` runs the in-process modes (no hook, a
# replacement for another number, the counting observer, the counting hook, the tracer into its
# ring) taking turns in one process, BENCH_INTERLEAVE rounds, and prints per mode the median of
# the same-round differences to no hook. Then instructions per call under callgrind (if
# valgrind is installed), then the table across processes, with strace.
#
# Usage: tools/bench-trace.sh            Environment: BENCH_ROUNDS (5), BENCH_CALLS (100000),
#                                                     BENCH_INTERLEAVE (31)
set -CeEuo pipefail
trap 'echo >&2 "$0: error on line ${LINENO}: ${BASH_COMMAND}"' ERR

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$root/target}
export CARGO_TERM_COLOR=never
ROUNDS=${BENCH_ROUNDS:-5}
CALLS=${BENCH_CALLS:-100000}

# shellcheck source=tools/cross-env.sh
source tools/cross-env.sh
ensure_packages strace || {
    echo >&2 "$0: $CROSS_ERROR"
    exit 1
}
echo "machine: $(nproc) CPUs, $(uname -r), $(rustc --version), $(strace -V | head -n1), load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "libsys: $(git -C "$root" describe --always --dirty 2>/dev/null || echo "not a git checkout")"

exe=$(cargo bench -p libsys --features hooks,trace,std --bench trace --no-run --message-format=json 2>/dev/null |
    sed -n 's/.*"executable":"\([^"]*\)".*/\1/p' | tail -n1)
[[ -x $exe ]] || {
    echo >&2 "$0: no trace bench executable"
    exit 1
}
icpt=$(cargo bench -p libsys --features restrict,hooks,std --bench intercept --no-run --message-format=json 2>/dev/null |
    sed -n 's/.*"executable":"\([^"]*\)".*/\1/p' | tail -n1)
[[ -x $icpt ]] || {
    echo >&2 "$0: no intercept bench executable"
    exit 1
}
echo
"$exe" --interleave "${BENCH_INTERLEAVE:-31}" "$((CALLS * 2 / 5))"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Instructions per system call under callgrind (exact, whatever the load): each mode run with
# N and 2N getppid calls (and N/4, N/2 copy pairs), the difference over the 1.5 N calls it adds.
if command -v valgrind >/dev/null; then
    echo
    echo "instructions per system call of the workload (callgrind; user space only)"
    echo "| mode | instructions | over none |"
    echo "|---|---:|---:|"
    base=
    for m in none other observe count ring; do
        c=()
        for n in 20000 40000; do
            c+=("$(valgrind --tool=callgrind --callgrind-out-file=/dev/null "$exe" "$m" "$n" 2>&1 >/dev/null |
                sed -n 's/.*Collected : \([0-9]*\).*/\1/p')")
        done
        per=$(awk -v a="${c[0]}" -v b="${c[1]}" 'BEGIN { printf "%.1f", (b - a) / 30000 }')
        base=${base:-$per}
        awk -v m="$m" -v p="$per" -v b="$base" 'BEGIN { printf "| %s | %.1f | %+.1f |\n", m, p, p - b }'
    done
fi

modes=(none count observe ring strace strace-seccomp-bpf libc libc-intercepted)
run() { # MODE: prints "getppid NS" and "copy NS"
    case $1 in
        strace) strace -f -qq -o /dev/null "$exe" none "$CALLS" ;;
        strace-seccomp-bpf) strace -f -qq --seccomp-bpf -e trace=getppid,pread64,pwrite64 -o /dev/null "$exe" none "$CALLS" ;;
        libc) "$icpt" libc "$CALLS" ;;
        libc-intercepted) "$icpt" intercept "$CALLS" ;;
        *) "$exe" "$1" "$CALLS" ;;
    esac
}
for ((i = 0; i < ROUNDS; i++)); do
    for m in "${modes[@]}"; do
        run "$m" | awk -v m="$m" -v r="$i" '{ print m "\t" r "\t" $1 "\t" $2 }' >>"$work/times"
    done
done
echo
echo "$ROUNDS rounds, $CALLS getppid calls and $((CALLS / 4)) pread+pwrite pairs per run"
echo "| mode | getppid ns/call | x none | copy ns/call | x none |"
echo "|---|---:|---:|---:|---:|"
awk -F'\t' '
    function med(a, n,   i, j, t) { for (i = 0; i < n; i++) for (j = i + 1; j < n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
        return n % 2 ? a[int(n / 2)] : (a[n / 2 - 1] + a[n / 2]) / 2 }
    { v[$1 "," $3, n[$1 "," $3]++] = $4; if (!($1 in seen)) { seen[$1] = 1; order[k++] = $1 } }
    END {
        for (w = 0; w < 2; w++) { key = w ? "copy" : "getppid"; for (i = 0; i < n["none," key]; i++) b[i] = v["none," key, i]; base[key] = med(b, n["none," key]) }
        for (o = 0; o < k; o++) { m = order[o]
            for (w = 0; w < 2; w++) { key = w ? "copy" : "getppid"; delete a; for (i = 0; i < n[m "," key]; i++) a[i] = v[m "," key, i]; r[key] = med(a, n[m "," key]) }
            printf "| %s | %.1f | %.2f | %.1f | %.2f |\n", m, r["getppid"], r["getppid"] / base["getppid"], r["copy"], r["copy"] / base["copy"] }
    }' "$work/times"
