#!/usr/bin/env bash
# tools/novdso-test.sh: sys-vdso's no-vDSO path on real guests without a vDSO. Runs the test
# binaries of sys-vdso, sys-auxv and libsys (all but tests/zero_cost.rs, which only compares
# assembly) under Debian 12's qemu-user 7.2, which gives no guest a vDSO (no AT_SYSINFO_EHDR at
# all), with SYS_VDSO_EXPECT=absent: sys-vdso's tests/expect.rs then asserts that there is no
# vDSO and that every function made the system call, and must print its confirmation line, so
# a run on a guest that did get a vDSO cannot pass.
# qemu 7.2 is fetched once from bookworm through a private apt state directory (the system's apt
# sources stay untouched) and unpacked into target/qemu72-apt/unpacked; the shared libraries it
# needs (it is not static, unlike qemu 10) are apt-get installed when missing. The rest of the
# set-up is tools/cross-env.sh's. The build is tools/cross-test.sh's (`cargo test --workspace
# --exclude sys-macros --target T`, here with --no-run): after cross-test.sh nothing is rebuilt.
# Every test runs with SYS_VDSO_EXPECT=absent, which the tests that check the vDSO's presence
# read (sys-vdso/tests/expect.rs, sys-auxv/tests/process.rs, tests/checks/auxv.rs).
#
# Usage: tools/novdso-test.sh [TARGET...]
#   default: aarch64-unknown-linux-gnu riscv64gc-unknown-linux-gnu armv7-unknown-linux-gnueabihf;
#   also thumbv7neon, powerpc64le, s390x; a unique prefix such as `riscv` works.
# Output: one line per target on stdout, then `N passed, M failed`; exit status 1 if M > 0.
#   PASS <target> (<n> tests, no vDSO)
#   FAIL <target>: <reason>
# Logs: $CARGO_TARGET_DIR/cross-logs/<target>.novdso.log, qemu72.log (download); progress and
# timings on stderr.
# Environment:
#   NOVDSO_TIMEOUT=<s>   limit for a target's build and for each test binary (default 1500)
#   QEMU72_DIR=<dir>     where qemu 7.2 is fetched and unpacked (default target/qemu72-apt)
#   CROSS_LOG_TAIL=<n>   print the last n log lines of a failing target to stderr
#                        (default 40 when CI is set, else 0)
set -CeEuo pipefail
trap 's=$?; echo >&2 "$0: error on line ${LINENO}: ${BASH_COMMAND}"; exit ${s}' ERR

DEFAULT_TARGETS=(aarch64-unknown-linux-gnu riscv64gc-unknown-linux-gnu armv7-unknown-linux-gnueabihf)
# shellcheck disable=SC2034 # read by name in cross_pick_targets
KNOWN_TARGETS=("${DEFAULT_TARGETS[@]}" thumbv7neon-unknown-linux-gnueabihf
    powerpc64le-unknown-linux-gnu s390x-unknown-linux-gnu)
# Packages whose test binaries run (their directories, relative to the repository), and test
# binaries skipped (package-dir/name).
PACKAGES=(sys-vdso sys-auxv .)
# ./wrappers: its clone test passes CLONE_PIDFD, which qemu 7.2 does not emulate (EINVAL); the
# file runs on every target under qemu 10 and natively in tools/cross-test.sh.
SKIP=(./zero_cost ./wrappers)
# What sys-vdso's tests/expect.rs prints when it has asserted the absence.
CONFIRMATION='sys-vdso expect: absent confirmed'

TIMEOUT=${NOVDSO_TIMEOUT:-1500}
if [[ -n ${CI:-} ]]; then LOG_TAIL=${CROSS_LOG_TAIL:-40}; else LOG_TAIL=${CROSS_LOG_TAIL:-0}; fi

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$root"
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$root/target}
export CARGO_TERM_COLOR=never
# shellcheck source=tools/cross-env.sh
source tools/cross-env.sh

QEMU72_DIR=${QEMU72_DIR:-$root/target/qemu72-apt}
QEMU72_BIN=$QEMU72_DIR/unpacked/usr/bin

say() { printf 'novdso-test: %s\n' "$*" >&2; }

# ---- arguments ----------------------------------------------------------------------------------
for arg in "$@"; do
    if [[ $arg == -h || $arg == --help ]]; then
        sed -n '2,/^set -/{/^#/s/^# \{0,1\}//p}' "$0"
        exit 0
    fi
done
cross_pick_targets KNOWN_TARGETS DEFAULT_TARGETS "$@" || exit
targets=("${CROSS_PICKED[@]}")

mkdir -p "$CROSS_LOG_DIR"
start=$(date +%s)

# ---- qemu 7.2 -----------------------------------------------------------------------------------
# ensure_qemu72 QEMU...: qemu-user 7.2 from bookworm in $QEMU72_BIN, each QEMU able to start.
# Serialised by flock on $QEMU72_DIR/.lock; a present copy is reused as is.
ensure_qemu72() {
    local d=$QEMU72_DIR fd rc=0
    mkdir -p "$d"
    exec {fd}>>"$d/.lock"
    flock "$fd"
    _ensure_qemu72_locked "$@" || rc=$?
    exec {fd}>&-
    return "$rc"
}

_qemu72_complete() {
    local q
    for q; do [[ -x $QEMU72_BIN/$q ]] || return 1; done
}

_qemu72_starts() {
    local q
    for q; do "$QEMU72_BIN/$q" --version >/dev/null 2>&1 || return 1; done
}

_ensure_qemu72_locked() {
    local log=$CROSS_LOG_DIR/qemu72.log deb deps
    deb=$(compgen -G "$QEMU72_DIR/qemu-user_*.deb" | tail -n1 || true)
    if ! _qemu72_complete "$@"; then
        _cross_fetch_qemu "$QEMU72_DIR" bookworm "qemu-user 7.2" "$log" || return
        deb=$CROSS_QEMU_DEB
        if ! _qemu72_complete "$@"; then
            CROSS_ERROR="qemu72: $deb lacks one of $*"
            return 1
        fi
    fi
    _qemu72_starts "$@" && return 0
    # bookworm's qemu-user is linked dynamically: install the libraries its package depends on.
    if [[ -n $deb ]]; then
        deps=$(dpkg-deb -f "$deb" Depends | tr ',' '\n' | sed -E 's/^ +//; s/[ (|].*//')
        # shellcheck disable=SC2086 # a word list
        ensure_packages $deps || return
    fi
    if ! _qemu72_starts "$@"; then
        CROSS_ERROR="qemu72: $QEMU72_BIN/$1 does not start: $("$QEMU72_BIN/$1" --version 2>&1 | head -n1)"
        return 1
    fi
}

# ---- set-up -------------------------------------------------------------------------------------
declare -A setup_err=()
qemus=() pkgs=()
for t in "${targets[@]}"; do
    cross_target_info "$t"
    qemus+=("$CROSS_QEMU")
    # shellcheck disable=SC2206 # a word list
    pkgs+=($CROSS_PKGS)
done
if ! ensure_packages "${pkgs[@]}"; then
    say "$CROSS_ERROR; retrying per target"
    for t in "${targets[@]}"; do
        cross_target_info "$t"
        # shellcheck disable=SC2086
        ensure_packages $CROSS_PKGS || setup_err[$t]=$CROSS_ERROR
    done
fi
if ensure_qemu72 "${qemus[@]}"; then
    say "qemu: $("$QEMU72_BIN/${qemus[0]}" --version | head -n1)"
else
    for t in "${targets[@]}"; do setup_err[$t]=${setup_err[$t]:-$CROSS_ERROR}; done
fi
for t in "${targets[@]}"; do
    [[ -n ${setup_err[$t]:-} ]] || ensure_target "$t" || setup_err[$t]=$CROSS_ERROR
done
say "set-up done in $(($(date +%s) - start)) s"

# ---- running ------------------------------------------------------------------------------------
# build T LOG: the test binaries of T (cross-test.sh's build); prints "<package dir> <name>
# <executable>" per test binary of $PACKAGES, less $SKIP; on failure returns 1 and prints why.
build() {
    local t=$1 log=$2 json rc=0 line dir name exe p
    json=$CROSS_LOG_DIR/$t.novdso.json
    (
        target_env "$t"
        local cmd=(cargo test --workspace --exclude sys-macros --no-run --target "$t"
            --message-format=json-render-diagnostics)
        echo "+ ${cmd[*]}"
        exec timeout -k 30 "$TIMEOUT" "${cmd[@]}" 2>>"$log" >|"$json"
    ) >>"$log" 2>&1 || rc=$?
    if ((rc != 0)); then
        local e
        e=$(grep -m1 -E '^error' "$log" || true)
        ((rc != 124 && rc != 137)) || e="timed out after $TIMEOUT s (NOVDSO_TIMEOUT)"
        echo "${e:-cargo exited with status $rc}"
        return 1
    fi
    while IFS= read -r line; do
        # test harnesses only (the profile's "test":true), not the examples cargo test also builds
        [[ $line == *'"reason":"compiler-artifact"'* && $line =~ \"profile\":\{[^}]*\"test\":true ]] || continue
        [[ $line =~ \"executable\":\"([^\"]+)\" ]] || continue
        exe=${BASH_REMATCH[1]}
        [[ $line =~ \"manifest_path\":\"([^\"]+)/Cargo.toml\" ]] || continue
        dir=${BASH_REMATCH[1]}
        dir=${dir#"$root"}
        dir=${dir#/}
        dir=${dir:-.}
        [[ $line =~ \"target\":\{[^}]*\"name\":\"([^\"]+)\" ]] || continue
        name=${BASH_REMATCH[1]}
        for p in "${PACKAGES[@]}"; do
            [[ $dir == "$p" ]] || continue
            [[ " ${SKIP[*]} " != *" $dir/$name "* ]] || continue
            printf '%s %s %s\n' "$dir" "$name" "$exe"
        done
    done <"$json"
}

# first_failure OUT: the first failing test of a libtest output, with its panic message.
first_failure() {
    # With --nocapture the panic comes before the FAILED line, else after it: remember them all.
    awk '
        /^test .* \.\.\. FAILED$/ && !name { name = $0; sub(/^test /, "", name); sub(/ \.\.\. FAILED$/, "", name) }
        /^thread .* panicked at / {
            t = $0; sub(/^thread \047/, "", t); sub(/\047 .*$/, "", t)
            if (!(t in loc)) { l = $0; sub(/^.* panicked at /, "", l); sub(/:$/, "", l); loc[t] = l; getline msg[t] }
        }
        END {
            if (name) print "test " name " failed" (msg[name] != "" ? ": " substr(msg[name], 1, 200) : "") \
                (loc[name] != "" ? " (" loc[name] ")" : "")
        }
    ' <<<"$1"
}

# run_target T LOG: build, then run every test binary under qemu 7.2; prints "PASS|FAIL<TAB>text"
# (the first failure, and how many binaries failed in all).
run_target() {
    local t=$1 log=$2 list dir name exe out rc n total=0 confirmed='' reason first='' nfail=0 s
    if ! list=$(build "$t" "$log"); then
        printf 'FAIL\tbuild: %s\n' "$list"
        return
    fi
    if [[ -z $list ]]; then
        printf 'FAIL\tthe build listed no test binary of %s\n' "${PACKAGES[*]}"
        return
    fi
    cross_target_info "$t"
    local qemu=("$QEMU72_BIN/$CROSS_QEMU" -L "/usr/$CROSS_GNU")
    while read -r dir name exe; do
        local args=()
        [[ $dir/$name != sys-vdso/expect ]] || args=(--nocapture)
        echo "+ (cd $dir && SYS_VDSO_EXPECT=absent ${qemu[*]} $exe ${args[*]})" >>"$log"
        rc=0
        out=$(cd "$dir" && SYS_VDSO_EXPECT=absent CARGO_MANIFEST_DIR=$root/$dir \
            timeout -k 10 "$TIMEOUT" "${qemu[@]}" "$exe" "${args[@]}" 2>&1) || rc=$?
        printf '%s\n[exit status %s]\n' "$out" "$rc" >>"$log"
        n=$(awk '/^test result: / { for (i = 1; i < NF; i++) if ($(i + 1) ~ /^passed;?$/) s += $i } END { print s + 0 }' <<<"$out")
        total=$((total + n))
        if ((rc == 124 || rc == 137)); then
            reason="$dir/$name timed out after $TIMEOUT s (NOVDSO_TIMEOUT)"
        elif ((rc != 0)); then
            reason=$(first_failure "$out")
            [[ -n $reason ]] || reason="test binary $dir/$name exited with status $rc"
            ((rc <= 128)) || reason+=" (signal $((rc - 128)))"
        elif [[ $out != *$'\ntest result: ok.'* ]]; then
            reason="test binary $dir/$name printed no \"test result: ok.\" line"
        else
            [[ $dir/$name != sys-vdso/expect || $out != *"$CONFIRMATION"* ]] || confirmed=1
            continue
        fi
        nfail=$((nfail + 1))
        [[ -n $first ]] || first="$reason [$dir/$name]"
    done <<<"$list"
    if ((nfail)); then
        ((nfail == 1)) || first+=" (and $((nfail - 1)) more failing test binaries)"
        printf 'FAIL\t%s\n' "$first"
    elif [[ -z $confirmed ]]; then
        printf 'FAIL\tsys-vdso tests/expect.rs did not run or did not print "%s"\n' "$CONFIRMATION"
    elif ((total == 0)); then
        printf 'FAIL\tno tests ran\n'
    else
        printf 'PASS\t%s tests, no vDSO\n' "$total"
    fi
}

passed=0 failed=0
for t in "${targets[@]}"; do
    log=$CROSS_LOG_DIR/$t.novdso.log
    : >|"$log"
    if [[ -n ${setup_err[$t]:-} ]]; then
        echo "set-up failed: ${setup_err[$t]}" >>"$log"
        res="FAIL"$'\t'"set-up: ${setup_err[$t]}"
    else
        say "$t ..."
        t0=$(date +%s)
        res=$(run_target "$t" "$log")
        echo "[novdso-test: $t took $(($(date +%s) - t0)) s]" >>"$log"
        say "$t took $(($(date +%s) - t0)) s"
    fi
    if [[ ${res%%$'\t'*} == PASS ]]; then
        echo "PASS $t (${res#*$'\t'})"
        passed=$((passed + 1))
    else
        echo "FAIL $t: ${res#*$'\t'}"
        failed=$((failed + 1))
        if ((LOG_TAIL > 0)) && [[ -s $log ]]; then
            say "last $LOG_TAIL lines of $log:"
            tail -n "$LOG_TAIL" "$log" | sed 's/^/    | /' >&2
        fi
    fi
done

say "total $(($(date +%s) - start)) s; logs in $CROSS_LOG_DIR"
echo "$passed passed, $failed failed"
if ((failed)); then exit 1; fi
