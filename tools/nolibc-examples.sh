#!/usr/bin/env bash
# tools/nolibc-examples.sh: build the no-libc example programs (examples/hello, examples/args) for
# each target and run them (natively, or under qemu 10), checking their output and exit status;
# on the targets that run natively (x86_64 gnu and musl, i686) also that hello and args make no
# system call but write and exit_group (strace: the auxiliary vector comes from the initial stack,
# the clock from the vDSO) and that hello contains no cpuid instruction; on x86_64 gnu that hello,
# built as examples/README.md says, is at most 1 KiB. tools/cross-test.sh
# runs it for every target it tests (sourcing this file for `run_examples`).
# Facts: /work/shared/reference/cross-arch.md; the programs' output format: examples/args/src/main.rs.
#
# Usage: tools/nolibc-examples.sh [TARGET...]  (default: every target of tools/cross-env.sh; a
#                                               unique prefix such as `aarch64` works)
# Output: `PASS <target> (<n> checks)` or `FAIL <target>: <first failed check>` per target, then
#   `N passed, M failed`; exit status 1 if M > 0. Log: $CARGO_TARGET_DIR/cross-logs/<target>.examples.log
# Builds go to $CARGO_TARGET_DIR/nolibc-examples (CARGO_TARGET_DIR defaults to target/).
set -CeEuo pipefail

# The most bytes hello may have on x86_64-unknown-linux-gnu, built as examples/README.md says.
HELLO_MAX_BYTES=1024

# run_examples T LOG: build and check the examples for T (cross-env.sh sourced, T set up by
# cross_prepare or by cross-test.sh's set-up); prints "PASS<TAB>no-libc examples, N checks" or
# "FAIL<TAB>reason"; details go to LOG.
run_examples() {
    local t=$1 log=$2 root rc=0 dir runner=() v build=()
    root=${CROSS_ROOT:?cross-env.sh must be sourced}
    dir=${CARGO_TARGET_DIR:-$root/target}/nolibc-examples
    cross_target_info "$t" || {
        printf 'FAIL\t%s\n' "$CROSS_ERROR"
        return
    }
    case $CROSS_RUST in
        stable) build=(cargo build) ;;
        *) build=(cargo +nightly build -Zbuild-std=core,alloc) ;;
    esac
    # The documented build (examples/README.md): in examples/, so that cargo reads
    # examples/.cargo/config.toml (the compiler flags; the link arguments come from build.rs).
    build+=(--release --target "$t" --target-dir "$dir")
    (
        target_env "$t"
        cd "$root/examples"
        # RUSTFLAGS from the caller would replace the config's flags: not the documented build.
        unset RUSTFLAGS CARGO_ENCODED_RUSTFLAGS
        echo "+ cd examples && ${build[*]}"
        env | grep '^CARGO_TARGET_' || true
        timeout -k 30 "${CROSS_TIMEOUT:-1500}" "${build[@]}" || exit
        # pinned is a workspace of its own (examples/pinned/Cargo.toml says why).
        cd pinned
        echo "+ cd examples/pinned && ${build[*]}"
        exec timeout -k 30 "${CROSS_TIMEOUT:-1500}" "${build[@]}"
    ) >>"$log" 2>&1 || rc=$?
    if ((rc != 0)); then
        local first
        first=$(grep -m1 -E '^error' "$log" || true)
        printf 'FAIL\t%s\n' "no-libc examples: build failed (exit $rc)${first:+: ${first:0:200}}"
        return
    fi
    target_env "$t"
    v=CARGO_TARGET_$(tr 'a-z-' 'A-Z_' <<<"$t")_RUNNER
    [[ -z ${!v:-} ]] || read -r -a runner <<<"${!v}"
    local bin=$dir/$t/release tmp
    tmp=$(mktemp -d)
    _EX_N=0 _EX_FAIL=
    _ex_run_checks "$t" "$bin" "$tmp" "${runner[@]}" >>"$log" 2>&1 || true
    rm -rf "$tmp"
    if [[ -n $_EX_FAIL ]]; then
        printf 'FAIL\t%s\n' "no-libc examples: $_EX_FAIL"
    else
        printf 'PASS\tno-libc examples, %s checks\n' "$_EX_N"
    fi
}

# _ex_check NAME CONDITION-RESULT DETAIL: count a check; remember the first failure.
_ex_check() {
    if [[ $2 == ok ]]; then
        _EX_N=$((_EX_N + 1))
        echo "ok $1"
    else
        echo "FAIL $1: $3"
        [[ -n $_EX_FAIL ]] || _EX_FAIL="$1: ${3:0:200}"
    fi
}

# _ex_exec OUT RC CMD...: run CMD with an empty environment plus A=1 and B (so envc is known),
# stdout to OUT, exit status into the variable named RC; stderr must stay empty.
_ex_exec() {
    local out=$1 rcvar=$2 r=0
    shift 2
    echo "+ $*"
    env -i A=1 'B=two words' timeout -k 5 60 "$@" >|"$out" 2>|"$out.err" || r=$?
    printf -v "$rcvar" '%s' "$r"
    sed 's/^/    | /' "$out"
    if [[ -s $out.err ]]; then
        echo "    stderr:"
        sed 's/^/    ! /' "$out.err"
    fi
}

# _ex_line FILE KEY: the value of the `KEY: value` line of FILE (first one).
_ex_line() {
    awk -v k="$2: " 'index($0, k) == 1 { print substr($0, length(k) + 1); found = 1; exit }
        END { if (!found) print "<missing>" }' "$1"
}

# _ex_run_checks T BINDIR TMPDIR [RUNNER...]: every check, in order.
_ex_run_checks() {
    local t=$1 bin=$2 tmp=$3 rc out
    shift 3
    local runner=("$@")
    out=$tmp/out
    echo "== examples for $t (runner: ${runner[*]:-native})"

    # Size: the documented build is stripped by the release profile (`strip = true`); on
    # x86_64 gnu hello must stay within 1 KiB (BENCHMARKS.md). Other targets: logged only.
    local size
    size=$(stat -c %s "$bin/hello")
    echo "hello: $size bytes (args: $(stat -c %s "$bin/args") bytes)"
    if [[ $t == x86_64-unknown-linux-gnu ]]; then
        if ((size <= HELLO_MAX_BYTES)); then
            _ex_check "hello is at most $HELLO_MAX_BYTES bytes ($size)" ok
        else
            _ex_check "hello is at most $HELLO_MAX_BYTES bytes" no "$size bytes"
        fi
    fi

    # hello: "hello\n", exit 0, nothing on stderr.
    _ex_exec "$out" rc "${runner[@]}" "$bin/hello"
    if [[ $(cat "$out") == hello && $(wc -c <"$out") == 6 && ! -s $out.err && $rc == 0 ]]; then
        _ex_check "hello prints hello and exits 0" ok
    else
        _ex_check "hello prints hello and exits 0" no "exit $rc, stdout '$(head -c 80 "$out")', stderr '$(head -c 80 "$out.err")'"
    fi
    # A failed write (ENOSPC on /dev/full) is main's non-zero result, passed through to exit_group.
    echo "+ ${runner[*]} $bin/hello >/dev/full"
    rc=0
    timeout -k 5 60 "${runner[@]}" "$bin/hello" >/dev/full 2>"$out.err" || rc=$?
    if [[ $rc == 1 ]]; then
        _ex_check "hello exits 1 when write fails" ok
    else
        _ex_check "hello exits 1 when write fails" no "exit $rc (want 1)"
    fi

    # args: arguments (one empty, one with a space), environment size, auxv, vDSO clock, status.
    _ex_exec "$out" rc "${runner[@]}" "$bin/args" 'two words' '' exit=7
    local want_vdso=present
    [[ $t != mips* ]] || want_vdso=absent # qemu gives mips guests no vDSO
    local -a expect=(
        "argc=4" "argv[0]=$bin/args" "argv[1]=two words" "argv[2]=" "argv[3]=exit=7" "envc=2"
        "auxv source=Stack" "AT_EXECFN=$bin/args" "AT_RANDOM=16 bytes" "vdso=$want_vdso"
        "exit=7"
    )
    local e key want got bad=
    for e in "${expect[@]}"; do
        key=${e%%=*} want=${e#*=}
        got=$(_ex_line "$out" "$key")
        [[ $got == "$want" ]] || bad+="$key: '$got' (want '$want'); "
    done
    got=$(_ex_line "$out" AT_PAGESZ)
    [[ $got =~ ^[0-9]+$ ]] && ((got >= 4096 && (got & (got - 1)) == 0)) || bad+="AT_PAGESZ: '$got'; "
    got=$(_ex_line "$out" CLOCK_MONOTONIC)
    [[ $got =~ ^[0-9]+\.[0-9]{9}$ ]] || bad+="CLOCK_MONOTONIC: '$got'; "
    [[ ! -s $out.err ]] || bad+="stderr not empty; "
    if [[ -z $bad ]]; then
        _ex_check "args prints argv, envc, auxv, a vDSO clock" ok
    else
        _ex_check "args prints argv, envc, auxv, a vDSO clock" no "$bad"
    fi
    if [[ $rc == 7 ]]; then
        _ex_check "args exits with the status it is given (7)" ok
    else
        _ex_check "args exits with the status it is given (7)" no "exit $rc"
    fi
    local code
    for code in 0 255; do
        _ex_exec "$out" rc "${runner[@]}" "$bin/args" "exit=$code"
        if [[ $rc == "$code" && $(_ex_line "$out" argc) == 2 ]]; then
            _ex_check "args exits with $code" ok
        else
            _ex_check "args exits with $code" no "exit $rc, argc $(_ex_line "$out" argc)"
        fi
    done

    ((${#runner[@]} == 0)) || return 0
    # Native targets: the system calls (strace), and no cpuid. Nothing is skipped: a missing tool
    # is a failure that says what to install.
    local prog calls want_calls tool
    for tool in strace objdump; do
        if ! command -v "$tool" >/dev/null; then
            _ex_check "$tool is installed" no "$tool not found: apt-get install ${tool/objdump/binutils}"
            return 0
        fi
    done
    for prog in hello args; do
        echo "+ strace -f -qq -o $tmp/strace $bin/$prog"
        rc=0
        env -i A=1 strace -f -qq -o "$tmp/strace" "$bin/$prog" >/dev/null 2>&1 || rc=$?
        sed 's/^/    | /' "$tmp/strace"
        calls=$(sed -n 's/^\([0-9]* *\)\{0,1\}\([a-z_0-9]*\)(.*/\2/p' "$tmp/strace" | uniq | tr '\n' ' ')
        want_calls="execve write exit_group "
        if [[ $rc == 0 && $calls == "$want_calls" ]]; then
            _ex_check "$prog makes only write and exit_group (strace)" ok
        else
            _ex_check "$prog makes only write and exit_group (strace)" no "exit $rc; calls: ${calls:-none}"
        fi
    done
    # pinned (examples/pinned): under its own pinned allow-list seccomp filter it still works and
    # exits 0; a call of a number it has no stub for, made from a stub's instruction, is killed
    # with SIGSYS; and what strace sees it make is in its manifest, as the manifest tool reads
    # it from the ELF file (cargo run --example manifest). Native only: under qemu-user the
    # filter would apply to qemu itself.
    echo "+ $bin/pinned"
    rc=0
    "$bin/pinned" >"$tmp/pinned.out" 2>&1 || rc=$?
    if [[ $rc == 0 && $(cat "$tmp/pinned.out") == "pinned: running under the pinned allow-list filter" ]]; then
        _ex_check "pinned runs under its pinned allow-list filter and exits 0" ok
    else
        _ex_check "pinned runs under its pinned allow-list filter and exits 0" no "exit $rc: $(head -c 120 "$tmp/pinned.out")"
    fi
    rc=0
    "$bin/pinned" escape >/dev/null 2>&1 || rc=$?
    if [[ $rc == $((128 + 31)) ]]; then
        _ex_check "pinned: another number from a stub's instruction is killed (SIGSYS)" ok
    else
        _ex_check "pinned: another number from a stub's instruction is killed (SIGSYS)" no "exit $rc (want 159)"
    fi
    local manifest listed missing=
    echo "+ cargo run --example manifest -- $bin/pinned"
    manifest=$(cd "$root" && unset CARGO_BUILD_TARGET && cargo run -q --example manifest -- "$bin/pinned" 2>&1) || true
    sed 's/^/    | /' <<<"$manifest"
    listed=$(sed -n 's/^\([a-z_0-9/]*\) ([0-9]*)$/\1/p' <<<"$manifest" | tr '/' '\n')
    env -i A=1 strace -f -qq -o "$tmp/strace" "$bin/pinned" >/dev/null 2>&1 || true
    sed 's/^/    | /' "$tmp/strace"
    for call in $(sed -n 's/^\([0-9]* *\)\{0,1\}\([a-z_0-9]*\)(.*/\2/p' "$tmp/strace" | sort -u); do
        [[ $call == execve ]] && continue # the kernel's exec of the program, not a call of it
        grep -qx "$call" <<<"$listed" || missing+="$call "
    done
    if [[ -n $listed && -z $missing ]]; then
        _ex_check "every call strace sees pinned make is in its manifest" ok
    else
        _ex_check "every call strace sees pinned make is in its manifest" no "not listed: ${missing:-the manifest is empty}"
    fi
    local n
    n=$(objdump -d "$bin/hello" | grep -cw cpuid || true)
    if [[ $n == 0 ]]; then
        _ex_check "hello contains no cpuid" ok
    else
        _ex_check "hello contains no cpuid" no "$n cpuid instructions"
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
    local targets=() arg t passed=0 failed=0 res log
    for arg in "$@"; do
        if [[ $arg == -h || $arg == --help ]]; then
            sed -n '2,/^set -/{/^#/s/^# \{0,1\}//p}' "$0"
            return 0
        fi
    done
    cross_pick_targets CROSS_TARGETS CROSS_TARGETS "$@" || return
    targets=("${CROSS_PICKED[@]}")
    mkdir -p "$CROSS_LOG_DIR"
    for t in "${targets[@]}"; do
        log=$CROSS_LOG_DIR/$t.examples.log
        : >|"$log"
        if ! cross_prepare "$t" >>"$log" 2>&1; then
            echo "FAIL $t: set-up: $CROSS_ERROR"
            failed=$((failed + 1))
            continue
        fi
        cross_target_info "$t"
        if [[ -z $CROSS_QEMU ]] && ! ensure_packages strace binutils >>"$log" 2>&1; then
            echo "FAIL $t: set-up: strace/objdump are needed for the native checks: $CROSS_ERROR"
            failed=$((failed + 1))
            continue
        fi
        res=$(run_examples "$t" "$log")
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
