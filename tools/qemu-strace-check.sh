#!/usr/bin/env bash
# tools/qemu-strace-check.sh: the tracer (sys-trace) checked against qemu-user's own `-strace` on
# the architectures that run under qemu, where strace cannot trace the guest (issue 11). It runs
# sys-trace's tests/strace.rs for each target with target_env's runner and LIBSYS_QEMU (the same
# qemu 10 command, tools/cross-env.sh): the test runs its workload once more under
# `qemu-<arch> -strace -D <file>` with the tracer writing to stdout, and compares the two traces
# line by line in the form both can give (name, integer arguments, result or errno value; the
# test's `qemu_oracle` says what is compared and why). tools/cross-test.sh runs it for every qemu
# target it tests (sourcing this file for `run_qemu_strace`).
# loongarch64 is not covered: it has no std here (the no-libc harness only).
#
# Usage: tools/qemu-strace-check.sh [TARGET...]  (default: every qemu target of
#                                                 tools/cross-env.sh with std; a prefix works)
# Output: `PASS <target> (<summary>)` or `FAIL <target>: <reason>` per target, then
#   `N passed, M failed`; exit status 1 if M > 0.
#   Log: $CARGO_TARGET_DIR/cross-logs/<target>.qemu-strace.log
set -CeEuo pipefail

# run_qemu_strace T LOG: the comparison for T (cross-env.sh sourced, T set up); prints
# "PASS<TAB>qemu -strace: N lines, M calls, ..." or "FAIL<TAB>reason"; details go to LOG.
run_qemu_strace() {
    local t=$1 log=$2 rc=0 line
    cross_target_info "$t" || {
        printf 'FAIL\t%s\n' "$CROSS_ERROR"
        return
    }
    local cmd=(cargo)
    [[ $CROSS_RUST != build-std ]] || cmd+=(+nightly)
    cmd+=(test)
    [[ $CROSS_RUST != build-std ]] || cmd+=(-Zbuild-std)
    cmd+=(-p sys-trace --features hooks --test strace --target "$t")
    (
        target_env "$t"
        echo "+ ${cmd[*]}"
        env | grep -E '^(CARGO_TARGET_|LIBSYS_QEMU=)' || true
        exec timeout -k 30 "${CROSS_TIMEOUT:-1500}" "${cmd[@]}"
    ) >>"$log" 2>&1 || rc=$?
    line=$(grep -m1 '^qemu strace oracle' "$log" || true)
    line=${line#qemu strace oracle }
    line=${line% (files in *}
    if ((rc == 0)) && [[ -n $line ]]; then
        printf 'PASS\tqemu -strace %s\n' "$line"
    elif ((rc == 0)); then
        printf 'FAIL\t%s\n' "qemu -strace: the test did not compare (no summary line; LIBSYS_QEMU unset?)"
    else
        local first
        first=$(grep -m1 -E '^(differ at|error|thread .main. .* panicked)' "$log" || true)
        printf 'FAIL\t%s\n' "qemu -strace (exit $rc)${line:+: $line}${first:+; first: ${first:0:160}}"
    fi
}

main() {
    local root
    root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
    cd "$root"
    export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$root/target}
    export CARGO_TERM_COLOR=never
    # shellcheck source=tools/cross-env.sh
    source tools/cross-env.sh
    local arg t passed=0 failed=0 res log
    for arg in "$@"; do
        if [[ $arg == -h || $arg == --help ]]; then
            sed -n '2,/^set -/{/^#/s/^# \{0,1\}//p}' "$0"
            return 0
        fi
    done
    # The targets that run std programs under qemu.
    local known=()
    for t in "${CROSS_TARGETS[@]}"; do
        cross_target_info "$t"
        [[ $CROSS_KIND != qemu ]] || known+=("$t")
    done
    cross_pick_targets known known "$@" || return
    mkdir -p "$CROSS_LOG_DIR"
    for t in "${CROSS_PICKED[@]}"; do
        log=$CROSS_LOG_DIR/$t.qemu-strace.log
        : >|"$log"
        if ! cross_prepare "$t" >>"$log" 2>&1; then
            echo "FAIL $t: set-up: $CROSS_ERROR"
            failed=$((failed + 1))
            continue
        fi
        res=$(run_qemu_strace "$t" "$log")
        if [[ ${res%%$'\t'*} == PASS ]]; then
            echo "PASS $t (${res#*$'\t'})"
            passed=$((passed + 1))
        else
            echo "FAIL $t: ${res#*$'\t'} (log: $log)"
            failed=$((failed + 1))
        fi
    done
    echo "$passed passed, $failed failed"
    ((failed == 0))
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
    main "$@"
fi
