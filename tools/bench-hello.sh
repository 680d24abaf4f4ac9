#!/usr/bin/env bash
# tools/bench-hello.sh: the size and start-up cost of examples/hello (libsys, no libc; built as
# examples/README.md documents it, nothing added) side by side with a hand-written asm-only
# binary (the floor), C hello worlds (musl static, glibc static,
# glibc dynamic) and Rust std hello worlds (glibc dynamic, musl static), x86_64, all in one run:
# stripped size, exec+wait time per run (posix_spawn + waitpid in a loop, interleaved batches,
# medians), the ratio to the floor, the cpuid instructions executed before exit (counted under
# qemu-x86_64, one instruction per translation block) and the system calls after execve
# (strace). A measurement, not a test: nothing here passes or fails on timing. Method and
# figures: BENCHMARKS.md ("No-libc hello world").
#
# Usage: tools/bench-hello.sh [NAME=PATH...]   (extra binaries printing "hello", measured alongside)
# Environment:
#   BENCH_BATCHES=<n>   batches per binary (default 30)
#   BENCH_RUNS=<n>      execs per batch (default 200)
#   CARGO_TARGET_DIR    as cargo (default: target/ of the repository); work files go to
#                       $CARGO_TARGET_DIR/bench-hello
set -CeEuo pipefail
trap 'echo >&2 "$0: error on line ${LINENO}: ${BASH_COMMAND}"' ERR

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$root/target}
export CARGO_TERM_COLOR=never
BATCHES=${BENCH_BATCHES:-30}
RUNS=${BENCH_RUNS:-200}
T=x86_64-unknown-linux-gnu
W=$CARGO_TARGET_DIR/bench-hello
say() { printf 'bench-hello: %s\n' "$*" >&2; }

declare -A extra_path=()
extra_names=()
for a in "$@"; do
    case $a in
        -h | --help)
            sed -n '2,/^set -/{/^#/s/^# \{0,1\}//p}' "$0"
            exit 0
            ;;
        *=*)
            extra_names+=("${a%%=*}")
            extra_path[${a%%=*}]=$(realpath "${a#*=}")
            ;;
        *)
            echo >&2 "$0: expected NAME=PATH, got '$a' (see --help)"
            exit 2
            ;;
    esac
done
if [[ $(uname -m) != x86_64 ]]; then
    echo >&2 "$0: x86_64 only (the floor is x86_64 assembly)"
    exit 2
fi

# shellcheck source=tools/cross-env.sh
source tools/cross-env.sh
# musl-gcc for the C musl hello, strace for the system calls, qemu 10 for the cpuid count,
# rust-std for the Rust std musl hello.
ensure_packages gcc libc6-dev musl-tools strace binutils || {
    echo >&2 "$0: $CROSS_ERROR"
    exit 1
}
ensure_qemu10 || {
    echo >&2 "$0: $CROSS_ERROR"
    exit 1
}
ensure_target x86_64-unknown-linux-musl || {
    echo >&2 "$0: $CROSS_ERROR"
    exit 1
}
rm -rf "$W/bin" "$W/src"
mkdir -p "$W/bin" "$W/src"

# ---- the binaries -------------------------------------------------------------------------------
# hello: built exactly as examples/README.md documents it, with no flags of this script's own:
# in examples/ (so cargo reads examples/.cargo/config.toml: no unwind tables), the release
# profile (opt-level "s", LTO, one codegen unit, panic = "abort", strip = true) and the link
# arguments of hello's build.rs (sys_rt::build::link_nolibc()). RUSTFLAGS would replace the
# config's flags, so the build runs without it.
say "building examples/hello (release, as documented)"
(
    cd examples
    unset RUSTFLAGS CARGO_ENCODED_RUSTFLAGS
    cargo build -q --release --target "$T" -p hello --target-dir "$W/cargo"
)
cp "$W/cargo/$T/release/hello" "$W/bin/libsys-hello"
# The documented build as cargo leaves it (stripped by the profile), before the common strip
# below also takes .comment off every binary.
documented_size=$(stat -c %s "$W/bin/libsys-hello")

# The floor: write(1, "hello\n", 6) and exit_group(0), nothing else, assembled and linked by hand.
cat >"$W/src/floor.s" <<'EOF'
    .section .rodata
msg: .ascii "hello\n"
    .text
    .globl _start
_start:
    mov $1, %eax
    mov $1, %edi
    lea msg(%rip), %rsi
    mov $6, %edx
    syscall
    mov $231, %eax
    xor %edi, %edi
    syscall
EOF
as -o "$W/src/floor.o" "$W/src/floor.s"
ld -static --build-id=none -z norelro -z noseparate-code -o "$W/bin/floor" "$W/src/floor.o"

printf '#include <stdio.h>\nint main(void) { puts("hello"); return 0; }\n' >"$W/src/hello.c"
say "building the C and Rust std hello worlds"
musl-gcc -static -Os -o "$W/bin/c-musl-static" "$W/src/hello.c"
gcc -static -O2 -o "$W/bin/c-glibc-static" "$W/src/hello.c"
gcc -O2 -o "$W/bin/c-glibc-dynamic" "$W/src/hello.c"
printf 'fn main() {\n    println!("hello");\n}\n' >"$W/src/hello.rs"
rustc -O -o "$W/bin/rust-std-glibc" "$W/src/hello.rs"
rustc -O --target x86_64-unknown-linux-musl -o "$W/bin/rust-std-musl" "$W/src/hello.rs"

# Stripped the same way: symbols and the .comment section (compiler and linker versions) go.
names=(floor libsys-hello c-musl-static c-glibc-static c-glibc-dynamic rust-std-musl rust-std-glibc)
for n in "${extra_names[@]}"; do
    cp "${extra_path[$n]}" "$W/bin/$n"
    names+=("$n")
done
for n in "${names[@]}"; do
    strip -s -R .comment "$W/bin/$n"
    out=$("$W/bin/$n")
    [[ $out == hello ]] || {
        echo >&2 "$0: $n printed '$out'"
        exit 1
    }
done

# ---- counts -------------------------------------------------------------------------------------
declare -A size=() cpuid=() calls=() static_cpuid=()
for n in "${names[@]}"; do
    size[$n]=$(stat -c %s "$W/bin/$n")
    static_cpuid[$n]=$(objdump -d "$W/bin/$n" | grep -cw cpuid || true)
    strace -f -qq -o "$W/strace.$n" "$W/bin/$n" >/dev/null
    # Every traced system call after the execve that started the program.
    calls[$n]=$(grep -cE '^([0-9]+ +)?[a-z_0-9]+\(' "$W/strace.$n" | awk '{ print $1 - 1 }')
    # cpuid executed: qemu logs each translated instruction (in_asm) and each executed block
    # (exec, one instruction per block, chaining off); count executions at cpuid addresses.
    "$QEMU10_BIN/qemu-x86_64" -one-insn-per-tb -d in_asm,exec,nochain -D "$W/qemu.$n" \
        "$W/bin/$n" >/dev/null
    cpuid[$n]=$(awk '
        /^0x[0-9a-f]+: .*[[:space:]]cpuid/ { a = $1; sub(":", "", a); sub(/^0x0*/, "", a); c[a] = 1 }
        /^Trace / { split($4, f, "/"); p = f[2]; sub(/^0*/, "", p); n[p]++ }
        END { t = 0; for (a in c) t += n[a]; print t }' "$W/qemu.$n")
    rm -f "$W/qemu.$n"
done

# ---- time ---------------------------------------------------------------------------------------
cat >"$W/src/spawn.c" <<'EOF'
/* spawn: exec+wait time per run of each program given, in interleaved batches.
 * Usage: spawn BATCHES RUNS PROGRAM... ; prints "PROGRAM median_us min_us" per program.
 * Each batch runs every program RUNS times (posix_spawn with stdout on /dev/null, waitpid),
 * rotating the order per batch, after one warm-up batch that is not counted; the median and
 * minimum over batches of the mean per run. */
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <fcntl.h>
extern char **environ;
static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}
static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}
int main(int argc, char **argv) {
    if (argc < 4) return 2;
    int batches = atoi(argv[1]), runs = atoi(argv[2]), n = argc - 3;
    double *us = calloc((size_t)n * batches, sizeof *us);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    for (int b = -1; b < batches; b++) {
        for (int k = 0; k < n; k++) {
            int p = (k + b + n) % n;
            char *args[] = {argv[3 + p], NULL};
            double t0 = now();
            for (int r = 0; r < runs; r++) {
                pid_t pid;
                int st;
                if (posix_spawn(&pid, argv[3 + p], &fa, NULL, args, environ) != 0) return 1;
                if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
                    fprintf(stderr, "%s failed\n", argv[3 + p]);
                    return 1;
                }
            }
            if (b >= 0) us[p * batches + b] = (now() - t0) / runs;
        }
    }
    for (int p = 0; p < n; p++) {
        double *v = us + p * batches;
        qsort(v, batches, sizeof *v, cmp);
        double med = batches % 2 ? v[batches / 2] : (v[batches / 2 - 1] + v[batches / 2]) / 2;
        printf("%s %.2f %.2f\n", argv[3 + p], med, v[0]);
    }
    return 0;
}
EOF
gcc -O2 -o "$W/spawn" "$W/src/spawn.c"
say "timing: $BATCHES batches x $RUNS execs of ${#names[@]} programs"
declare -A med=() min=()
paths=()
for n in "${names[@]}"; do paths+=("$W/bin/$n"); done
while read -r p m lo; do
    n=${p##*/}
    med[$n]=$m min[$n]=$lo
done < <(env -i "$W/spawn" "$BATCHES" "$RUNS" "${paths[@]}")

# ---- report -------------------------------------------------------------------------------------
echo "# no-libc hello world vs peers, x86_64 ($(uname -r); rustc $(rustc -V | cut -d' ' -f2); libsys $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet 2>/dev/null || echo '+dirty'))"
echo "# exec+wait: median (min) of $BATCHES interleaved batches of $RUNS runs each"
printf '| %-16s | %14s | %7s | %18s | %7s | %12s | %13s | %8s |\n' binary "stripped bytes" "x floor" "us/exec med (min)" "x floor" "cpuid (qemu)" "cpuid in file" syscalls
printf '|%s|%s:|%s:|%s:|%s:|%s:|%s:|%s:|\n' ------------------ ---------------- --------- -------------------- --------- -------------- --------------- ----------
for n in "${names[@]}"; do
    printf '| %-16s | %14s | %7s | %18s | %7s | %12s | %13s | %8s |\n' "$n" "${size[$n]}" \
        "$(awk -v a="${size[$n]}" -v b="${size[floor]}" 'BEGIN { printf "%.2f", a / b }')" \
        "${med[$n]} (${min[$n]})" \
        "$(awk -v a="${med[$n]}" -v b="${med[floor]}" 'BEGIN { printf "%.3f", a / b }')" \
        "${cpuid[$n]}" "${static_cpuid[$n]}" "${calls[$n]}"
done
echo
echo "libsys-hello as the documented build leaves it (before strip -R .comment): $documented_size bytes"
echo "libsys-hello system calls (strace):"
sed 's/^[0-9]* */    /' "$W/strace.libsys-hello"
echo "libsys-hello sections:"
size -A "$W/bin/libsys-hello" | awk '$1 ~ /^\./ { printf "    %-12s %6d bytes\n", $1, $2 }'
