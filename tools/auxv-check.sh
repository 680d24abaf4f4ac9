#!/usr/bin/env bash
# tools/auxv-check.sh: the auxiliary vector as sys-auxv sees it, against glibc's own view, in the
# conditions where peers go wrong: natively, under valgrind (which builds its own vector for the
# program and hides the vDSO), and with /proc hidden (a tmpfs mounted over /proc in a private
# mount namespace). Runs examples/auxv.rs built for glibc (source: the .init_array capture) and
# for musl (source: the fallback chain, /proc/self/auxv then prctl(PR_GET_AUXV)).
#
# Usage: tools/auxv-check.sh            (as CI does; root, or unprivileged user namespaces)
# Oracle: `LD_SHOW_AUXV=1` makes glibc print the vector it was started with, in the same
# process, just before the example prints its own listing in the same format: every line glibc
# prints must appear verbatim in ours (AT_??? lines, which glibc 2.36 prints for keys it has no
# name for, are skipped). The musl runs compare the values that do not depend on the address
# layout with glibc's LD_SHOW_AUXV of /bin/true under the same conditions.
# Needs: valgrind, musl-tools (apt-get installed if missing), unshare + mount (util-linux).
# valgrind and /proc hidden together is not a case: valgrind itself needs /proc ("FATAL: can't
# open /proc/self/maps"), so that combination is only checked to fail that way.
set -CeEuo pipefail
trap 's=$?; echo >&2 "$0: error on line ${LINENO}: ${BASH_COMMAND}"; exit ${s}' ERR

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$root/target}
export CARGO_TERM_COLOR=never
# shellcheck source=tools/cross-env.sh
source tools/cross-env.sh

say() { printf 'auxv-check: %s\n' "$*" >&2; }
failed=0
fail() {
    printf 'FAIL %s\n' "$*"
    failed=$((failed + 1))
}
pass() { printf 'ok   %s\n' "$*"; }

# ---- set-up ---------------------------------------------------------------------------------
# musl-tools: x86_64-linux-musl-gcc, for the C in the root package's dev-dependencies
# (criterion -> alloca) when the example is built for musl.
ensure_packages valgrind util-linux gcc musl-tools || {
    echo "$0: $CROSS_ERROR" >&2
    exit 1
}
musl=x86_64-unknown-linux-musl
ensure_target "$musl" || {
    echo "$0: $CROSS_ERROR" >&2
    exit 1
}
say "building examples/auxv (glibc and musl)"
cargo build -q --example auxv
cargo build -q --example auxv --target "$musl"
glibc_bin=$CARGO_TARGET_DIR/debug/examples/auxv
musl_bin=$CARGO_TARGET_DIR/$musl/debug/examples/auxv

# A private mount namespace with a tmpfs over /proc: as root, or in a user namespace.
hide_proc=()
if unshare -m --propagation private true 2>/dev/null; then
    hide_proc=(unshare -m --propagation private)
elif unshare -r -m --propagation private true 2>/dev/null; then
    hide_proc=(unshare -r -m --propagation private)
else
    say "cannot create a mount namespace (not root, no user namespaces): /proc-hidden runs skipped"
fi
# without_proc CMD...: run CMD with an empty tmpfs on /proc.
without_proc() {
    "${hide_proc[@]}" sh -c 'mount -t tmpfs none /proc && exec "$@"' sh "$@"
}

# ---- comparison -----------------------------------------------------------------------------
# compare_with_glibc OUTPUT: glibc's last LD_SHOW_AUXV block before our "# sys-auxv:" line (a
# block restarts when a name repeats: valgrind's launcher prints its own first) against our
# listing. Prints the number of lines compared, or the missing lines; status 1 on a mismatch.
compare_with_glibc() {
    awk '
        function name() { return $1 == "AT_???" ? $1 " " $2 : $1 }
        /^# sys-auxv:/ { ours = 1; next }
        /^#/ { next }
        !ours && /^AT_/ {
            if (name() in seen && $1 != "AT_IGNORE:") { split("", seen); n = 0 }
            seen[name()] = 1; glibc[++n] = $0; next
        }
        ours && /^AT_/ { mine[$0] = 1 }
        END {
            if (!ours) { print "no sys-auxv listing"; exit 1 }
            compared = 0
            for (i = 1; i <= n; i++) {
                if (glibc[i] ~ /^AT_\?\?\?/) continue
                if (!(glibc[i] in mine)) { print "missing: " glibc[i]; bad = 1 }
                compared++
            }
            if (compared < 10) { print "only " compared " glibc lines"; exit 1 }
            if (!bad) print compared
            exit bad
        }' <<<"$1"
}

# stable_values OUTPUT: the layout-independent lines of the last listing in OUTPUT (glibc's or
# ours; a listing restarts at our marker or when a name repeats), sorted: what a musl run and a
# glibc run of another program under the same conditions must share.
stable_values() {
    awk '
        function name() { return $1 == "AT_???" ? $1 " " $2 : $1 }
        /^# sys-auxv:/ { split("", v); next }
        /^AT_/ { if (name() in v && $1 != "AT_IGNORE:") split("", v); v[name()] = $0 }
        END {
            for (k in v)
                if (k ~ /^AT_(PAGESZ|CLKTCK|HWCAP|HWCAP2|UID|EUID|GID|EGID|SECURE|FLAGS|MINSIGSTKSZ|PHENT|PLATFORM):$/)
                    print v[k]
        }' <<<"$1" | sort
}

# has LINE OUTPUT: whether OUTPUT has a line starting with LINE.
has() { grep -q -F -- "$1" <<<"$2"; }

# check NAME EXPECTED_SOURCE OUTPUT: our listing exists and came from EXPECTED_SOURCE.
check_source() {
    local got
    got=$(sed -n 's/^# sys-auxv: source //p' <<<"$3")
    if [[ $got != "$2" ]]; then
        fail "$1: source '$got', expected '$2'"
        return 1
    fi
}

# ---- glibc: the .init_array capture --------------------------------------------------------
run_glibc() { # NAME OUTPUT STATUS
    local name=$1 out=$2 rc=$3 n
    if ((rc != 0)); then
        fail "$name: exit status $rc"
        printf '%s\n' "$out" | tail -n 20
        return
    fi
    check_source "$name" init-array "$out" || return 0
    if ! n=$(compare_with_glibc "$out"); then
        fail "$name: differs from glibc's LD_SHOW_AUXV: $n"
        return
    fi
    pass "$name: source init-array, all $n lines of glibc's LD_SHOW_AUXV match"
}

say "glibc, native"
rc=0
out=$(LD_SHOW_AUXV=1 "$glibc_bin" 2>&1) || rc=$?
run_glibc "glibc native" "$out" "$rc"
has '# /proc/self/auxv: same' "$out" || fail "glibc native: /proc/self/auxv differs: $(grep '^# /proc' <<<"$out")"
has '# prctl(PR_GET_AUXV): same' "$out" || has '# prctl(PR_GET_AUXV): unavailable' "$out" ||
    fail "glibc native: prctl differs: $(grep '^# prctl' <<<"$out")"

say "glibc, valgrind"
rc=0
# LD_SHOW_AUXV set by `env` inside valgrind, so that only the program (and valgrind's launcher
# for it, whose block is skipped) print; --trace-children keeps the program under valgrind.
out=$(valgrind -q --error-exitcode=99 --trace-children=yes env LD_SHOW_AUXV=1 "$glibc_bin" 2>&1) || rc=$?
run_glibc "glibc valgrind" "$out" "$rc"
has '# /proc/self/auxv: same' "$out" || fail "glibc valgrind: valgrind's /proc/self/auxv differs"
# valgrind hides the vDSO (AT_SYSINFO_EHDR becomes AT_IGNORE): glibc lists none, and neither may we.
if ! grep -q '^AT_SYSINFO_EHDR:' <<<"$(awk '/^# sys-auxv:/ {exit} {print}' <<<"$out" | tail -n 25)"; then
    has '# typed: sysinfo_ehdr None' "$out" && pass "glibc valgrind: no vDSO, as valgrind says" ||
        fail "glibc valgrind: a vDSO base although valgrind hides it"
fi
has '# prctl(PR_GET_AUXV): differs' "$out" &&
    say "  (prctl(PR_GET_AUXV) under valgrind returns the kernel's vector for valgrind itself, as expected)"

if ((${#hide_proc[@]})); then
    say "glibc, /proc hidden"
    rc=0
    out=$(without_proc env LD_SHOW_AUXV=1 "$glibc_bin" 2>&1) || rc=$?
    run_glibc "glibc /proc hidden" "$out" "$rc"
    has '# /proc/self/auxv: unavailable' "$out" || fail "glibc /proc hidden: /proc/self/auxv was readable"
fi

# ---- musl: the fallback chain ----------------------------------------------------------------
run_musl() { # NAME EXPECTED_SOURCE OUTPUT STATUS REFERENCE
    local name=$1 want=$2 out=$3 rc=$4 ref=$5 a b
    if ((rc != 0)); then
        fail "$name: exit status $rc"
        printf '%s\n' "$out" | tail -n 20
        return
    fi
    check_source "$name" "$want" "$out" || return 0
    a=$(stable_values "$out")
    b=$(stable_values "$ref")
    if [[ $a != "$b" ]]; then
        fail "$name: layout-independent values differ from glibc's /bin/true:"
        diff <(echo "$b") <(echo "$a") || true
        return
    fi
    pass "$name: source $want, $(wc -l <<<"$a") layout-independent values as glibc's /bin/true"
}

say "musl, native"
ref=$(LD_SHOW_AUXV=1 /bin/true)
rc=0
out=$("$musl_bin" 2>&1) || rc=$?
run_musl "musl native" procfs "$out" "$rc" "$ref"

say "musl, valgrind"
ref=$(valgrind -q --trace-children=yes env LD_SHOW_AUXV=1 /bin/true 2>&1)
rc=0
out=$(valgrind -q --error-exitcode=99 "$musl_bin" 2>&1) || rc=$?
run_musl "musl valgrind" procfs "$out" "$rc" "$ref"
has '# typed: sysinfo_ehdr None' "$out" || grep -q '^AT_SYSINFO_EHDR:' <<<"$ref" ||
    fail "musl valgrind: a vDSO base although valgrind hides it"

if ((${#hide_proc[@]})); then
    say "musl, /proc hidden"
    ref=$(without_proc env LD_SHOW_AUXV=1 /bin/true)
    rc=0
    out=$(without_proc "$musl_bin" 2>&1) || rc=$?
    run_musl "musl /proc hidden" prctl "$out" "$rc" "$ref"

    say "valgrind, /proc hidden"
    rc=0
    out=$(without_proc valgrind -q "$glibc_bin" 2>&1) || rc=$?
    if ((rc != 0)) && grep -q "can't open /proc/self/maps" <<<"$out"; then
        pass "valgrind with /proc hidden: valgrind itself refuses to run (needs /proc/self/maps)"
    else
        fail "valgrind with /proc hidden ran (exit $rc): the documented reasoning needs revisiting"
    fi
fi

if ((failed)); then
    echo "auxv-check: $failed failed"
    exit 1
fi
echo "auxv-check: all passed"
