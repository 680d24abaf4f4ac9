#!/usr/bin/env bash
# Checks that `#[syscall]` declarations are checked against the kernel's prototypes of the
# target being compiled, not the host's: `cargo check --target T` of tests/proto-check, once
# with only correct declarations (must compile on every target) and once per mistake feature
# (must fail on exactly the targets listed for it, with the expected message). What CI runs;
# prints PASS/FAIL per target and case, exits non-zero on any FAIL.
#
#   tools/proto-check.sh                           # x86_64, i686 and aarch64 (gnu)
#   tools/proto-check.sh i686-unknown-linux-gnu    # some targets
#
# Needs: rustup (adds the targets' rust-std when missing), cargo. Nothing is linked, so no
# cross linker or qemu is needed.
set -CeEuo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
targets=("$@")
if [[ ${#targets[@]} -eq 0 ]]; then
    targets=(x86_64-unknown-linux-gnu i686-unknown-linux-gnu aarch64-unknown-linux-gnu)
fi

# feature | targets where it must fail ("all" or a space-separated list) | expected message part
cases=(
    "lseek-i64|i686-unknown-linux-gnu|takes a register pair on this architecture"
    "pread64-word|i686-unknown-linux-gnu|is a 64-bit value in a register pair"
    "mmap-six-args|i686-unknown-linux-gnu|is declared with 6 argument(s)"
    "read-readonly|all|\`readonly\` promises that \`read\` writes no memory"
)

export CARGO_TARGET_DIR=$repo/target/proto-check
cd "$repo/tests/proto-check"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
failed=0
report() { # status target case detail
    printf '%-4s %-28s %-14s %s\n' "$1" "$2" "$3" "$4"
    [[ $1 == PASS ]] || failed=1
}

for t in "${targets[@]}"; do
    if ! rustup target list --installed | grep -qx "$t"; then
        rustup target add "$t" >/dev/null 2>&1 || {
            report FAIL "$t" - "rustup target add failed"
            continue
        }
    fi
    if cargo check -q --target "$t" >|"$log" 2>&1; then
        report PASS "$t" correct "compiles"
    else
        report FAIL "$t" correct "does not compile: $(grep -m1 '^error' "$log" || true)"
    fi
    for c in "${cases[@]}"; do
        IFS='|' read -r feature where message <<<"$c"
        must_fail=0
        [[ $where == all || " $where " == *" $t "* ]] && must_fail=1
        if cargo check -q --target "$t" --features "$feature" >|"$log" 2>&1; then
            if [[ $must_fail == 1 ]]; then
                report FAIL "$t" "$feature" "compiled, expected: $message"
            else
                report PASS "$t" "$feature" "compiles (correct here)"
            fi
        elif [[ $must_fail == 0 ]]; then
            report FAIL "$t" "$feature" "rejected: $(grep -m1 '^error' "$log" || true)"
        elif grep -qF -- "$message" "$log"; then
            report PASS "$t" "$feature" "rejected: $message"
        else
            report FAIL "$t" "$feature" "rejected without '$message': $(grep -m1 '^error' "$log" || true)"
        fi
    done
done
exit "$failed"
