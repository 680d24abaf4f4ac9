#!/usr/bin/env bash
# Checks that `#[syscall]` declarations are checked against the kernel's prototypes of the
# target being compiled, not the host's: `cargo check --target T` of tests/proto-check, once
# with only correct declarations (must compile on every target) and once per mistake feature
# (must fail on exactly the targets listed for it, with the expected message). `cargo check`,
# not `cargo build`: the checks are `const` items, which an editor's `cargo check` evaluates
# too. What CI runs; prints PASS/FAIL (SKIP: see the reason) per target and case, exits
# non-zero on any FAIL.
#
#   tools/proto-check.sh                           # every target below
#   tools/proto-check.sh i686-unknown-linux-gnu    # some targets
#
# Needs: rustup (adds the targets' rust-std when missing), cargo; for mipsel (tier 3, no
# rust-std) the nightly toolchain with rust-src, used as `cargo +nightly check
# -Zbuild-std=core`. Nothing is linked, so no cross linker or qemu is needed.
set -CeEuo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
targets=("$@")
if [[ ${#targets[@]} -eq 0 ]]; then
    targets=(x86_64-unknown-linux-gnu i686-unknown-linux-gnu aarch64-unknown-linux-gnu
        armv7-unknown-linux-gnueabihf s390x-unknown-linux-gnu mipsel-unknown-linux-gnu)
fi
all32="i686-unknown-linux-gnu armv7-unknown-linux-gnueabihf mipsel-unknown-linux-gnu"
not_x86_64="i686-unknown-linux-gnu aarch64-unknown-linux-gnu armv7-unknown-linux-gnueabihf s390x-unknown-linux-gnu mipsel-unknown-linux-gnu"
not_s390x="x86_64-unknown-linux-gnu i686-unknown-linux-gnu aarch64-unknown-linux-gnu armv7-unknown-linux-gnueabihf mipsel-unknown-linux-gnu"

# feature | targets where it must fail ("all" or a space-separated list) | expected message
# part [| sizes: needs the pointee sizes of the generated tables]. A feature may have several
# rows (different messages on different targets); it must compile on the targets none lists.
cases=(
    "lseek-i64|$all32|for 64-bit offsets declare \`_llseek\`: \`sys_llseek("
    "pread64-word|$all32|is a 64-bit value in a register pair"
    "mmap-six-args|i686-unknown-linux-gnu s390x-unknown-linux-gnu|is declared with 6 argument(s)"
    "mmap-six-args|armv7-unknown-linux-gnueabihf|system call \`mmap\` does not exist on arm; use \`mmap2\` instead"
    "read-readonly|all|\`readonly\` promises that \`read\` writes no memory"
    "sendfile-i64|$all32|declare \`sendfile64\`: \`sys_sendfile64(|sizes"
    "nanosleep-timespec64|$all32|declare \`clock_nanosleep_time64\`: \`sys_clock_nanosleep(|sizes"
    "getuid16|i686-unknown-linux-gnu armv7-unknown-linux-gnueabihf|is the legacy \`sys_getuid16\` on this architecture: its ids have 16 bits"
    "clone-x86_64-order|$not_x86_64|but the kernel takes it (\`"
    "clone-s390x-order|$not_s390x|but the kernel takes it (\`"
    "ftruncate-i64|$all32|for a 64-bit value declare \`ftruncate64\`: \`sys_"
    "mmap-i64-offset|i686-unknown-linux-gnu mipsel-unknown-linux-gnu|declare \`mmap2\`: \`sys_"
    "mmap-i64-offset|armv7-unknown-linux-gnueabihf|use \`mmap2\` instead"
    "mmap-i64-offset|s390x-unknown-linux-gnu|takes one pointer to the six values"
    "fadvise64|i686-unknown-linux-gnu|for a 64-bit value declare \`fadvise64_64\`"
    "fadvise64|armv7-unknown-linux-gnueabihf|use \`arm_fadvise64_64\` instead"
    "fadvise64|mipsel-unknown-linux-gnu|\`fadvise64\` needs 7 argument words on this architecture"
    "sync-file-range|armv7-unknown-linux-gnueabihf|use \`sync_file_range2\` instead"
    "sync-file-range|mipsel-unknown-linux-gnu|\`sync_file_range\` needs 7 argument words on this architecture"
    "llseek|all|system call named \`llseek\`: it is libc's name"
    "register-count|armv7-unknown-linux-gnueabihf mipsel-unknown-linux-gnu|\`fallocate\` needs more than six argument registers"
)
# Until tools/gen-syscall-protos.py fills the pointee sizes, the size checks cannot fire.
have_sizes=0
grep -q '\.pointee(' "$repo/sys-core/src/proto/x86.rs" && have_sizes=1

export CARGO_TARGET_DIR=$repo/target/proto-check
cd "$repo/tests/proto-check"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
failed=0
report() { # status target case detail
    printf '%-4s %-30s %-20s %s\n' "$1" "$2" "$3" "$4"
    [[ $1 == PASS || $1 == SKIP ]] || failed=1
}
features=()
for c in "${cases[@]}"; do
    f=${c%%|*}
    [[ " ${features[*]} " == *" $f "* ]] || features+=("$f")
done

for t in "${targets[@]}"; do
    check=(cargo check -q --target "$t")
    if [[ $t == mips* ]]; then
        # Tier 3: no rust-std to add; core built from source by nightly.
        if ! rustup component list --toolchain nightly --installed 2>/dev/null | grep -q '^rust-src'; then
            report FAIL "$t" - "needs the nightly toolchain with rust-src (rustup component add rust-src --toolchain nightly)"
            continue
        fi
        check=(cargo +nightly check -q -Zbuild-std=core --target "$t")
    elif ! rustup target list --installed | grep -qx "$t"; then
        rustup target add "$t" >/dev/null 2>&1 || {
            report FAIL "$t" - "rustup target add failed"
            continue
        }
    fi
    if "${check[@]}" >|"$log" 2>&1; then
        report PASS "$t" correct "compiles"
    else
        report FAIL "$t" correct "does not compile: $(grep -m1 '^error' "$log" || true)"
    fi
    for feature in "${features[@]}"; do
        message="" needs=""
        for c in "${cases[@]}"; do
            IFS='|' read -r f where m n <<<"$c"
            [[ $f == "$feature" ]] || continue
            if [[ $where == all || " $where " == *" $t "* ]]; then
                message=$m needs=${n:-}
            fi
        done
        if [[ -n $message && $needs == sizes && $have_sizes == 0 ]]; then
            report SKIP "$t" "$feature" "the generated tables have no pointee sizes yet (expected: $message)"
            continue
        fi
        if "${check[@]}" --features "$feature" >|"$log" 2>&1; then
            if [[ -n $message ]]; then
                report FAIL "$t" "$feature" "compiled, expected: $message"
            else
                report PASS "$t" "$feature" "compiles (correct here)"
            fi
        elif [[ -z $message ]]; then
            report FAIL "$t" "$feature" "rejected: $(grep -m1 -A1 '^error' "$log" | tr '\n' ' ' || true)"
        elif grep -qF -- "$message" "$log"; then
            report PASS "$t" "$feature" "rejected: $message"
        else
            report FAIL "$t" "$feature" "rejected without '$message': $(grep -m1 -A1 '^error' "$log" | tr '\n' ' ' || true)"
        fi
    done
done
exit "$failed"
