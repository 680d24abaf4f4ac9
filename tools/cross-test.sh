#!/usr/bin/env bash
# tools/cross-test.sh: run libsys's tests on every supported architecture (x86_64/i686/musl
# natively, the others under qemu-user 10), as CI does and as anyone can by hand.
# Set-up (Debian packages, qemu 10, rustup targets) is in tools/cross-env.sh; facts come from
# /work/shared/reference/cross-arch.md. After a target's tests pass, the no-libc example
# programs are built and checked for it too (tools/nolibc-examples.sh), and on the qemu targets
# the tracer is compared with qemu's own -strace (tools/qemu-strace-check.sh).
#
# Usage: tools/cross-test.sh [TARGET...]     (default: all; a unique prefix such as `aarch64` works)
# Output: one line per target on stdout, then `N passed, M failed`; exit status 1 if M > 0.
#   PASS <target> (<n> tests; no-libc examples, <m> checks)
#   FAIL <target>: <reason>          UNAVAILABLE <target>: <what>
# Full logs: $CARGO_TARGET_DIR/cross-logs/<target>.log (CARGO_TARGET_DIR defaults to target/).
# Environment:
#   CROSS_ALLOW_UNAVAILABLE=1  UNAVAILABLE (a download that does not exist here) does not fail
#   CROSS_TIMEOUT=<s>          limit per target for build + tests (default 1500)
#   CROSS_LOG_TAIL=<n>         print the last n log lines of a failing target to stderr
#                              (default 40 when CI is set, else 0)
set -CeEuo pipefail
trap 's=$?; echo >&2 "$0: error on line ${LINENO}: ${BASH_COMMAND}"; exit ${s}' ERR

# The no-libc harness (loongarch64 has no rust-std and no cross gcc here). {target} is replaced.
NOLIBC_MANIFEST=tests/nolibc/Cargo.toml
NOLIBC_BUILD='cargo +nightly build -Zbuild-std=core,compiler_builtins -Zbuild-std-features=compiler-builtins-mem --release --manifest-path tests/nolibc/Cargo.toml --target {target}'
NOLIBC_BIN='{target}/release/nolibc-check' # relative to $CARGO_TARGET_DIR

# The std test command; mips adds +nightly and -Zbuild-std, the host target drops --target
# (so it reuses the plain `cargo test --workspace` build of .ci/run).
TEST_ARGS=(--workspace --exclude sys-macros --no-fail-fast)
# Then the same behaviour checks once more with every call made from the out-of-line stubs
# (feature `outline`), plus the stubs' and manifest's own checks and the hooks (feature `hooks`).
OUTLINE_ARGS=(-p libsys --features outline,hooks --no-fail-fast --test outline --test hooks --test raw_syscalls --test declared --test wrappers)

TIMEOUT=${CROSS_TIMEOUT:-1500}
if [[ -n ${CI:-} ]]; then LOG_TAIL=${CROSS_LOG_TAIL:-40}; else LOG_TAIL=${CROSS_LOG_TAIL:-0}; fi

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$root/target}
export CARGO_TERM_COLOR=never
# shellcheck source=tools/cross-env.sh
source tools/cross-env.sh
# run_examples: the no-libc example programs (examples/hello, examples/args), after the tests.
# shellcheck source=tools/nolibc-examples.sh
source tools/nolibc-examples.sh
# run_qemu_strace: the tracer against qemu's -strace (qemu targets with std), after the tests.
# shellcheck source=tools/qemu-strace-check.sh
source tools/qemu-strace-check.sh

say() { printf 'cross-test: %s\n' "$*" >&2; }

usage() {
    sed -n '2,/^set -/{/^#/s/^# \{0,1\}//p}' "$0"
    printf 'Targets:\n'
    printf '  %s\n' "${CROSS_TARGETS[@]}"
}

# ---- arguments ----------------------------------------------------------------------------------
for arg in "$@"; do
    if [[ $arg == -h || $arg == --help ]]; then
        usage
        exit 0
    fi
done
cross_pick_targets CROSS_TARGETS CROSS_TARGETS "$@" || exit
targets=("${CROSS_PICKED[@]}")

mkdir -p "$CROSS_LOG_DIR"
start=$(date +%s)

# ---- set-up -------------------------------------------------------------------------------------
# setup_rc[T]: 0 ready, 1 failed, 2 unavailable; setup_err[T]: the reason.
declare -A setup_rc=() setup_err=()
all_pkgs=()
need_qemu=
for t in "${targets[@]}"; do
    cross_target_info "$t"
    # shellcheck disable=SC2206 # a word list
    all_pkgs+=($CROSS_PKGS)
    # The no-libc examples' native checks use strace and objdump.
    [[ -n $CROSS_QEMU ]] || all_pkgs+=(strace binutils)
    [[ -z $CROSS_QEMU ]] || need_qemu=1
    setup_rc[$t]=0
done

set_failed() { # target rc reason
    if [[ ${setup_rc[$1]} == 0 ]]; then
        setup_rc[$1]=$2
        setup_err[$1]=$3
    fi
}

# Packages in one apt-get call; if that fails, per target, so one missing package only hits
# the targets that need it.
if ! ensure_packages "${all_pkgs[@]}"; then
    say "$CROSS_ERROR; retrying per target"
    for t in "${targets[@]}"; do
        cross_target_info "$t"
        # shellcheck disable=SC2086
        ensure_packages $CROSS_PKGS || set_failed "$t" $? "$CROSS_ERROR"
    done
fi
if [[ -n $need_qemu ]]; then
    ensure_qemu10 || {
        rc=$?
        for t in "${targets[@]}"; do
            cross_target_info "$t"
            [[ -z $CROSS_QEMU ]] || set_failed "$t" "$rc" "$CROSS_ERROR"
        done
    }
fi
for t in "${targets[@]}"; do
    [[ ${setup_rc[$t]} != 0 ]] || ensure_target "$t" || set_failed "$t" $? "$CROSS_ERROR"
done
say "set-up done in $(($(date +%s) - start)) s"

# ---- result parsing -----------------------------------------------------------------------------
# passed_count LOG: the sum of "N passed" over cargo's "test result:" lines.
passed_count() {
    awk '/^test result: / { for (i = 1; i < NF; i++) if ($(i + 1) ~ /^passed;?$/) s += $i } END { print s + 0 }' "$1"
}

# failure_reason LOG RC: one line saying why a cargo build/test run failed.
failure_reason() {
    local log=$1 rc=$2 r
    if ((rc == 124 || rc == 137)); then
        echo "timed out after $TIMEOUT s (CROSS_TIMEOUT); last line: $(grep -v '^\s*$' "$log" | tail -n1 | cut -c1-120)"
        return
    fi
    # The first failing test (with its panic message), or the first test binary that died of
    # something other than a test failure, whichever the log shows first.
    r=$(awk '
        function clip(s) { return length(s) > 200 ? substr(s, 1, 197) "..." : s }
        /^ *Doc-tests / { doc = $0; sub(/^ */, "", doc) }
        /^ *Running / { doc = "" }
        /^test .* \.\.\. FAILED$/ && !name && !died {
            name = $0; sub(/^test /, "", name); sub(/ \.\.\. FAILED$/, "", name)
            if (doc) rerun = doc
        }
        # a doc-test that does not compile: the first error in its "---- NAME stdout ----" section
        name && $0 == "---- " name " stdout ----" { insec = 6; next }
        insec && /^error/ && !msg { msg = $0; insec = 3; next }
        insec && /^ *--> / && msg && !loc { loc = $0; sub(/^ *--> /, "", loc) }
        insec { insec-- }
        # "thread '\''NAME'\'' (TID) panicked at FILE:LINE:COL:", then the message lines
        name && !loc && index($0, "thread '\''" name "'\'' ") == 1 && / panicked at / {
            loc = $0; sub(/^.* panicked at /, "", loc); sub(/:$/, "", loc); inmsg = 3; next
        }
        inmsg && (/^$/ || /^(stack backtrace|note):/) { inmsg = 0 }
        inmsg { msg = msg (msg == "" ? "" : msg ~ /:$/ ? " " : "; ") $0; inmsg-- }
        name && !rerun && /^error: test failed, to rerun pass `/ {
            rerun = $0; sub(/^[^`]*`/, "", rerun); sub(/`.*$/, "", rerun)
        }
        /process didn.t exit successfully: / && !/\(exit status: 101\)$/ && !name && !died {
            bin = $0; st = $0
            sub(/` \(.*$/, "", bin); sub(/^.*\//, "", bin); sub(/-[0-9a-f]+$/, "", bin)
            sub(/^.*` \(/, "", st); sub(/\)$/, "", st)
            died = "test binary " bin " died: " st
        }
        END {
            if (name)
                print "test " name " failed" (rerun ? " [" rerun "]" : "") \
                    (msg ? ": " clip(msg) : "") (loc ? " (" loc ")" : "")
            else if (died)
                print died
        }
    ' "$log")
    if [[ -n $r ]]; then
        echo "$r"
        return
    fi
    # A build error: cargo's summary line plus the first error and where it is.
    r=$(awk '
        /^error(\[E[0-9]+\])?: / && !/^error: (could not compile|test failed|[0-9]+ targets? failed)/ && !first {
            first = $0; want = 4; next
        }
        want && /^ *--> / { sub(/^ *--> /, ""); loc = $0; want = 0 }
        want { want-- }
        /^error: could not compile / && !summary { summary = $0 }
        END {
            if (summary) { sub(/^error: /, "", summary); out = "build: " summary }
            if (first) out = out (out ? "; first: " : "build: ") first (loc ? " at " loc : "")
            print out
        }
    ' "$log")
    if [[ -n $r ]]; then
        echo "${r:0:300}"
        return
    fi
    r=$(grep -m1 -E '^error' "$log" || true)
    echo "${r:-cargo exited with status $rc}"
}

# ---- running ------------------------------------------------------------------------------------
passed=0 failed=0 unavailable=0
report() { # status target text
    case $1 in
        PASS)
            echo "PASS $2 ($3)"
            passed=$((passed + 1))
            ;;
        FAIL | UNAVAILABLE)
            echo "$1 $2: $3"
            if [[ $1 == UNAVAILABLE && ${CROSS_ALLOW_UNAVAILABLE:-} == 1 ]]; then
                unavailable=$((unavailable + 1))
            else
                failed=$((failed + 1))
            fi
            if ((LOG_TAIL > 0)) && [[ -s $CROSS_LOG_DIR/$2.log ]]; then
                say "last $LOG_TAIL lines of $CROSS_LOG_DIR/$2.log:"
                tail -n "$LOG_TAIL" "$CROSS_LOG_DIR/$2.log" | sed 's/^/    | /' >&2
            fi
            ;;
    esac
}

# run_std T LOG [ARGS...]: cargo test for T (with TEST_ARGS, or ARGS); prints
# "PASS|FAIL<TAB>text". LOG should be a fresh file: the passed tests in it are counted.
run_std() {
    local t=$1 log=$2 rc=0 n
    shift 2
    local args=("$@")
    ((${#args[@]})) || args=("${TEST_ARGS[@]}")
    local cmd=(cargo)
    [[ $CROSS_RUST != build-std ]] || cmd+=(+nightly)
    cmd+=(test)
    [[ $CROSS_RUST != build-std ]] || cmd+=(-Zbuild-std)
    cmd+=("${args[@]}")
    [[ $CROSS_KIND == host ]] || cmd+=(--target "$t")
    (
        target_env "$t"
        echo "+ ${cmd[*]}"
        env | grep -E '^(CARGO_TARGET_|SYS_VDSO_EXPECT=|LIBSYS_REQUIRE_TRACEFS=|LIBSYS_QEMU=)' || true
        exec timeout -k 30 "$TIMEOUT" "${cmd[@]}"
    ) >>"$log" 2>&1 || rc=$?
    n=$(passed_count "$log")
    if ((rc != 0)); then
        printf 'FAIL\t%s\n' "$(failure_reason "$log" "$rc")"
    elif ((n == 0)); then
        printf 'FAIL\t%s\n' "no tests ran (no \"test result:\" line with passed tests)"
    else
        printf 'PASS\t%s tests\n' "$n"
    fi
}

# run_nolibc T LOG [CARGO-ARGS...]: build the no-libc harness for T (with CARGO-ARGS, such
# as `--features outline`) and run it under qemu 10.
run_nolibc() {
    local t=$1 log=$2 rc=0 bin out last n m
    shift 2
    if [[ ! -f $NOLIBC_MANIFEST ]]; then
        printf 'FAIL\t%s\n' "no-libc harness missing: $NOLIBC_MANIFEST does not exist"
        return
    fi
    local build
    read -r -a build <<<"${NOLIBC_BUILD//\{target\}/$t}"
    build+=("$@")
    bin=$CARGO_TARGET_DIR/${NOLIBC_BIN//\{target\}/$t}
    (
        target_env "$t"
        echo "+ ${build[*]}"
        env | grep '^CARGO_TARGET_' || true
        exec timeout -k 30 "$TIMEOUT" "${build[@]}"
    ) >>"$log" 2>&1 || rc=$?
    if ((rc != 0)); then
        printf 'FAIL\t%s\n' "$(failure_reason "$log" "$rc")"
        return
    fi
    if [[ ! -x $bin ]]; then
        printf 'FAIL\t%s\n' "harness built, but $bin is not there (NOLIBC_BIN in $0)"
        return
    fi
    local runner
    target_env "$t"
    local v
    v=CARGO_TARGET_$(tr 'a-z-' 'A-Z_' <<<"$t")_RUNNER
    read -r -a runner <<<"${!v}"
    echo "+ ${runner[*]} $bin" >>"$log"
    out=$(timeout -k 10 300 "${runner[@]}" "$bin" 2>&1) || rc=$?
    printf '%s\n[exit status %s]\n' "$out" "$rc" >>"$log"
    last=$(tail -n1 <<<"$out")
    if [[ $last =~ ^nolibc-check:\ ([0-9]+)\ passed,\ ([0-9]+)\ failed ]]; then
        n=${BASH_REMATCH[1]} m=${BASH_REMATCH[2]}
    else
        n=0 m='?'
    fi
    if ((rc == 0)) && [[ $m == 0 ]] && ((n > 0)); then
        printf 'PASS\tno-libc harness, %s checks\n' "$n"
    elif ((rc == 124 || rc == 137)); then
        printf 'FAIL\t%s\n' "no-libc harness timed out after 300 s"
    elif [[ $m == \? ]]; then
        printf 'FAIL\t%s\n' "no-libc harness exited with status $rc without its summary line; last: ${last:0:120}"
    else
        local first
        first=$(grep -m1 -iE 'fail|not ok' <<<"$out" | grep -v '^nolibc-check: ' || true)
        printf 'FAIL\t%s\n' "no-libc harness: $n passed, $m failed (exit $rc)${first:+; first: ${first:0:150}}"
    fi
}

for t in "${targets[@]}"; do
    log=$CROSS_LOG_DIR/$t.log
    : >|"$log"
    case ${setup_rc[$t]} in
        1)
            echo "set-up failed: ${setup_err[$t]}" >>"$log"
            report FAIL "$t" "set-up: ${setup_err[$t]}"
            continue
            ;;
        2)
            echo "unavailable: ${setup_err[$t]}" >>"$log"
            report UNAVAILABLE "$t" "${setup_err[$t]}"
            continue
            ;;
    esac
    cross_target_info "$t"
    say "$t ..."
    t0=$(date +%s)
    if [[ $CROSS_KIND == nolibc ]]; then
        res=$(run_nolibc "$t" "$log")
    else
        res=$(run_std "$t" "$log")
    fi
    if [[ ${res%%$'\t'*} == PASS ]]; then
        olog=$CROSS_LOG_DIR/$t.outline.log
        : >|"$olog"
        if [[ $CROSS_KIND == nolibc ]]; then
            out=$(run_nolibc "$t" "$olog" --features outline)
        else
            out=$(run_std "$t" "$olog" "${OUTLINE_ARGS[@]}")
        fi
        cat "$olog" >>"$log"
        if [[ ${out%%$'\t'*} == PASS ]]; then res="$res; outline stubs: ${out#*$'\t'}"; else res="FAIL"$'\t'"outline stubs: ${out#*$'\t'}"; fi
    fi
    if [[ ${res%%$'\t'*} == PASS && $CROSS_KIND == qemu ]]; then
        qs=$(run_qemu_strace "$t" "$log")
        if [[ ${qs%%$'\t'*} == PASS ]]; then res="$res; ${qs#*$'\t'}"; else res=$qs; fi
    fi
    if [[ ${res%%$'\t'*} == PASS ]]; then
        ex=$(run_examples "$t" "$log")
        if [[ ${ex%%$'\t'*} == PASS ]]; then res="$res; ${ex#*$'\t'}"; else res=$ex; fi
    fi
    t1=$(date +%s)
    echo "[cross-test: $t took $((t1 - t0)) s]" >>"$log"
    say "$t took $((t1 - t0)) s"
    report "${res%%$'\t'*}" "$t" "${res#*$'\t'}"
done

say "total $(($(date +%s) - start)) s; logs in $CROSS_LOG_DIR"
if ((unavailable)); then say "$unavailable unavailable (allowed by CROSS_ALLOW_UNAVAILABLE=1)"; fi
echo "$passed passed, $failed failed"
if ((failed)); then exit 1; fi
