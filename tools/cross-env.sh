# shellcheck shell=bash
# shellcheck disable=SC2034 # CROSS_* variables are read by the scripts that source this file
# tools/cross-env.sh: set-up for building and running libsys on other architectures, sourced by
# tools/cross-test.sh and by any script that needs a cross target (benchmarks, ...).
# Facts (Debian 12 packages, qemu runners, the private-apt qemu 10 recipe) come from
# /work/shared/reference/cross-arch.md.
#
# Usage (bash):
#   source tools/cross-env.sh
#   cross_prepare aarch64-unknown-linux-gnu || echo "$CROSS_ERROR"   # install + export env
#   cargo test --target aarch64-unknown-linux-gnu
#
# Functions (each returns 0 on success, 1 on failure, 2 when a download does not exist here;
# on failure CROSS_ERROR holds a one-line reason):
#   cross_target_info T      set CROSS_KIND CROSS_GNU CROSS_QEMU CROSS_PKGS CROSS_RUST for T
#   ensure_packages PKG...   apt-get install the packages that are not installed (update first)
#   ensure_qemu10            fetch qemu-user 10 from bookworm-backports into $QEMU10_DIR/unpacked
#   ensure_nightly_src       nightly toolchain with rust-src (for -Zbuild-std)
#   ensure_target T          rust-std for T (rustup target add), or nightly rust-src if T needs
#                            -Zbuild-std
#   target_env T             export CARGO_TARGET_<T>_LINKER / _RUNNER (qemu 10, -L sysroot)
#   cross_prepare T          all of the above for T
# Nothing is installed or downloaded when it is already there: every step checks first
# (dpkg-query, rustup ... --installed, test -x), so a second run costs well under a second.

CROSS_ROOT=${CROSS_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
# qemu 10 lives under the repository's target/ (other scripts look for it there).
QEMU10_DIR=${QEMU10_DIR:-$CROSS_ROOT/target/qemu10-apt}
QEMU10_BIN=$QEMU10_DIR/unpacked/usr/bin
CROSS_LOG_DIR=${CROSS_LOG_DIR:-${CARGO_TARGET_DIR:-$CROSS_ROOT/target}/cross-logs}
CROSS_ERROR=

# Every target cross-test.sh knows, in the order it runs them (the cheapest first).
CROSS_TARGETS=(
    x86_64-unknown-linux-gnu
    i686-unknown-linux-gnu
    x86_64-unknown-linux-musl
    aarch64-unknown-linux-gnu
    armv7-unknown-linux-gnueabihf
    thumbv7neon-unknown-linux-gnueabihf
    riscv64gc-unknown-linux-gnu
    powerpc64le-unknown-linux-gnu
    s390x-unknown-linux-gnu
    loongarch64-unknown-linux-gnu
    mipsel-unknown-linux-gnu
    mips64el-unknown-linux-gnuabi64
)

# qemu binaries that must be present for $QEMU10_BIN to count as complete.
_CROSS_QEMU_NEEDED=(qemu-aarch64 qemu-arm qemu-riscv64 qemu-ppc64le qemu-s390x qemu-loongarch64
    qemu-mipsel qemu-mips64el qemu-i386 qemu-x86_64)

_cross_say() { printf 'cross-env: %s\n' "$*" >&2; }

# Run as root, or through sudo when there is one.
_cross_root() {
    if [[ $EUID -eq 0 ]]; then
        "$@"
    elif command -v sudo >/dev/null; then
        sudo "$@"
    else
        "$@"
    fi
}
# cross_pick_targets KNOWN DEFAULT [ARG...]: sets the array CROSS_PICKED to the targets the ARGs
# name (a full name, or a prefix that only one target of the array named KNOWN has), or to the
# array named DEFAULT when there is no ARG. An ARG that names no target or several: a message
# on stderr and status 2.
cross_pick_targets() {
    local -n _cross_known=$1 _cross_default=$2
    shift 2
    local arg t matches
    CROSS_PICKED=()
    for arg in "$@"; do
        matches=()
        for t in "${_cross_known[@]}"; do
            if [[ $t == "$arg" ]]; then
                matches=("$t")
                break
            fi
            [[ $t != "$arg"* ]] || matches+=("$t")
        done
        if ((${#matches[@]} != 1)); then
            echo >&2 "$0: '$arg' matches ${#matches[@]} targets (known: ${_cross_known[*]})"
            return 2
        fi
        CROSS_PICKED+=("${matches[0]}")
    done
    ((${#CROSS_PICKED[@]})) || CROSS_PICKED=("${_cross_default[@]}")
}

# cross_target_info T: describe target T in CROSS_* variables.
#   CROSS_KIND  host | native (runs on this CPU) | qemu | nolibc (no-libc harness under qemu)
#   CROSS_GNU   GNU triplet of the cross gcc and of the glibc sysroot /usr/<triplet> (or empty)
#   CROSS_QEMU  qemu-user binary name (or empty)
#   CROSS_PKGS  Debian packages needed (space-separated)
#   CROSS_RUST  stable (rustup target add) | build-std (nightly -Zbuild-std) | nolibc
#   CROSS_VDSO  present | absent: whether T's process gets a vDSO as target_env runs it (qemu 10
#               has none for mips), exported as SYS_VDSO_EXPECT (sys-vdso/tests/expect.rs)
cross_target_info() {
    CROSS_KIND=qemu CROSS_GNU='' CROSS_QEMU='' CROSS_PKGS='' CROSS_RUST=stable CROSS_VDSO=present
    case $1 in
        x86_64-unknown-linux-gnu) CROSS_KIND=host CROSS_PKGS="gcc libc6-dev" ;;
        x86_64-unknown-linux-musl)
            # musl-tools: x86_64-linux-musl-gcc, which the cc crate runs for C code built for
            # this target (criterion's alloca, a dev-dependency of the root package).
            CROSS_KIND=native CROSS_PKGS="gcc musl-tools"
            ;;
        i686-unknown-linux-gnu)
            # Runs natively (the kernel has IA32 emulation); needs the i386 runtime.
            CROSS_KIND=native CROSS_GNU=i686-linux-gnu
            CROSS_PKGS="gcc-i686-linux-gnu libc6-dev-i386-cross libc6-i386 lib32gcc-s1"
            ;;
        aarch64-unknown-linux-gnu) CROSS_GNU=aarch64-linux-gnu CROSS_QEMU=qemu-aarch64 ;;
        armv7-unknown-linux-gnueabihf | thumbv7neon-unknown-linux-gnueabihf)
            CROSS_GNU=arm-linux-gnueabihf CROSS_QEMU=qemu-arm
            ;;
        riscv64gc-unknown-linux-gnu) CROSS_GNU=riscv64-linux-gnu CROSS_QEMU=qemu-riscv64 ;;
        powerpc64le-unknown-linux-gnu) CROSS_GNU=powerpc64le-linux-gnu CROSS_QEMU=qemu-ppc64le ;;
        s390x-unknown-linux-gnu) CROSS_GNU=s390x-linux-gnu CROSS_QEMU=qemu-s390x ;;
        mipsel-unknown-linux-gnu)
            CROSS_GNU=mipsel-linux-gnu CROSS_QEMU=qemu-mipsel CROSS_RUST=build-std
            CROSS_VDSO=absent
            ;;
        mips64el-unknown-linux-gnuabi64)
            CROSS_GNU=mips64el-linux-gnuabi64 CROSS_QEMU=qemu-mips64el CROSS_RUST=build-std
            CROSS_VDSO=absent
            ;;
        loongarch64-unknown-linux-gnu)
            # No rust-std, no cross gcc in Debian 12: no-libc binaries linked by rust-lld.
            CROSS_KIND=nolibc CROSS_QEMU=qemu-loongarch64 CROSS_RUST=nolibc
            ;;
        *)
            CROSS_ERROR="unknown target $1 (known: ${CROSS_TARGETS[*]})"
            return 1
            ;;
    esac
    if [[ -n $CROSS_GNU && -z $CROSS_PKGS ]]; then
        local dev=$CROSS_GNU
        case $CROSS_GNU in # Debian names the -cross libc packages by Debian architecture
            aarch64-linux-gnu) dev=arm64 ;;
            arm-linux-gnueabihf) dev=armhf ;;
            riscv64-linux-gnu) dev=riscv64 ;;
            powerpc64le-linux-gnu) dev=ppc64el ;;
            s390x-linux-gnu) dev=s390x ;;
            mipsel-linux-gnu) dev=mipsel ;;
            mips64el-linux-gnuabi64) dev=mips64el ;;
        esac
        CROSS_PKGS="gcc-$CROSS_GNU libc6-dev-$dev-cross"
    fi
    return 0
}

# Turn apt-get's error output (file $1) into CROSS_ERROR; return 2 when a package or file does not
# exist on the mirror, 1 otherwise.
_cross_apt_failure() {
    local line
    line=$(grep -m1 -E "^E: (Unable to locate package|Package '.*' has no installation candidate)|404 +Not Found" "$1" || true)
    if [[ -n $line ]]; then
        CROSS_ERROR="apt: ${line#E: } ($2)"
        return 2
    fi
    line=$(grep -m1 -E '^(E|W): ' "$1" || true)
    CROSS_ERROR="apt: ${line:-apt-get failed, see $1} ($2)"
    return 1
}

# ensure_packages PKG...: install the Debian packages that are not installed yet.
# `apt-get update` runs only when something is missing, and at most once per shell.
ensure_packages() {
    (($#)) || return 0
    local -A have=()
    local p s missing=() log
    while read -r p s; do
        [[ $s == 'install ok installed' ]] && have[$p]=1
    done < <(dpkg-query -W -f='${Package} ${Status}\n' "$@" 2>/dev/null || true)
    for p; do [[ -n ${have[$p]:-} ]] || missing+=("$p"); done
    ((${#missing[@]})) || return 0

    mkdir -p "$CROSS_LOG_DIR"
    log=$CROSS_LOG_DIR/apt.log
    _cross_say "installing ${missing[*]} (log: $log)"
    local apt=(env DEBIAN_FRONTEND=noninteractive apt-get -q -y -o DPkg::Lock::Timeout=600)
    if [[ -z ${_CROSS_APT_UPDATED:-} ]]; then
        if ! _cross_root "${apt[@]}" update >>"$log" 2>&1; then
            _cross_apt_failure "$log" "apt-get update"
            return
        fi
        _CROSS_APT_UPDATED=1
    fi
    if ! _cross_root "${apt[@]}" install --no-install-recommends "${missing[@]}" >>"$log" 2>&1; then
        _cross_apt_failure "$log" "installing ${missing[*]}"
        return
    fi
    return 0
}

# _cross_qemu10_complete: true when every qemu binary we use is in $QEMU10_BIN.
_cross_qemu10_complete() {
    local q
    for q in "${_CROSS_QEMU_NEEDED[@]}"; do [[ -x $QEMU10_BIN/$q ]] || return 1; done
}

# ensure_qemu10: qemu-user 10 (static, gives guests a vDSO) from bookworm-backports, fetched with a
# private apt state directory (the system's apt sources stay untouched) and unpacked into
# $QEMU10_DIR/unpacked. Serialised by flock on $QEMU10_DIR/.lock; a present copy is reused as is.
ensure_qemu10() {
    _cross_qemu10_complete && return 0
    local d=$QEMU10_DIR fd rc=0
    mkdir -p "$d"
    exec {fd}>>"$d/.lock"
    flock "$fd"
    _ensure_qemu10_locked || rc=$?
    exec {fd}>&-
    return "$rc"
}

_ensure_qemu10_locked() {
    _cross_qemu10_complete && return 0 # fetched by someone else while we waited
    local log=$CROSS_LOG_DIR/qemu10.log
    _cross_fetch_qemu "$QEMU10_DIR" bookworm-backports "qemu-user 10" "$log" || return
    if ! _cross_qemu10_complete; then
        CROSS_ERROR="qemu10: $CROSS_QEMU_DEB lacks one of ${_CROSS_QEMU_NEEDED[*]}"
        return 1
    fi
    _cross_say "qemu: $("$QEMU10_BIN/qemu-aarch64" --version | head -n1)"
}

# _cross_fetch_qemu DIR SUITE WHAT LOG: Debian's qemu-user package of SUITE (bookworm,
# bookworm-backports) unpacked into DIR/unpacked, fetched once into DIR with a private apt state
# directory (the system's apt sources stay untouched; the package index only, not the DEP-11
# metadata). Sets CROSS_QEMU_DEB to the package file; on failure CROSS_ERROR and status 1 or 2.
_cross_fetch_qemu() {
    local d=$1 suite=$2 what=$3 log=$4 uri deb
    mkdir -p "$d/parts" "$d/lists/partial" "$d/cache/archives/partial" "$CROSS_LOG_DIR"
    deb=$(compgen -G "$d/qemu-user_*.deb" | tail -n1 || true)
    if [[ -z $deb ]]; then
        _cross_say "fetching $what from $suite (log: $log)"
        uri=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
        [[ -n $uri ]] || uri=$(awk '/^deb / && $3 ~ /^bookworm$/ {print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
        [[ -n $uri ]] || uri=http://deb.debian.org/debian
        printf 'Types: deb\nURIs: %s\nSuites: %s\nComponents: main\nTargets: Packages\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
            "$uri" "$suite" >|"$d/parts/$suite.sources"
        local o=(-o Dir::Etc::SourceList=/dev/null -o "Dir::Etc::SourceParts=$d/parts"
            -o "Dir::State::Lists=$d/lists" -o "Dir::Cache=$d/cache")
        if ! apt-get "${o[@]}" update -qq >>"$log" 2>&1; then
            _cross_apt_failure "$log" "$suite index from $uri"
            return
        fi
        if ! (cd "$d" && apt-get "${o[@]}" download "qemu-user/$suite") >>"$log" 2>&1; then
            _cross_apt_failure "$log" "qemu-user/$suite from $uri"
            return
        fi
        deb=$(compgen -G "$d/qemu-user_*.deb" | tail -n1 || true)
    fi
    CROSS_QEMU_DEB=$deb
    # Unpack next to the final place and rename, so nobody sees a half-unpacked tree.
    rm -rf "$d/unpacked.tmp" "$d/unpacked.old"
    if ! dpkg-deb -x "$deb" "$d/unpacked.tmp" >>"$log" 2>&1; then
        CROSS_ERROR="$what: dpkg-deb -x $deb failed, see $log"
        return 1
    fi
    [[ ! -e $d/unpacked ]] || mv "$d/unpacked" "$d/unpacked.old"
    mv "$d/unpacked.tmp" "$d/unpacked"
    rm -rf "$d/unpacked.old"
}

# Turn rustup's error output (file $1) into CROSS_ERROR; 2 when the download does not exist.
_cross_rustup_failure() {
    local url
    if grep -q 'unsuccessful status code: 404' "$1"; then
        url=$(grep -m1 -o "could not download file from '[^']*'" "$1" | cut -d"'" -f2 || true)
        CROSS_ERROR="rustup: $2: 404 Not Found for ${url:-a download, see $1}"
        return 2
    fi
    if grep -qiE 'is unavailable for download|does not support target|not available' "$1"; then
        CROSS_ERROR="rustup: $2: $(grep -m1 -iE 'unavailable|does not support|not available' "$1")"
        return 2
    fi
    CROSS_ERROR="rustup: $2: $(grep -m1 '^error' "$1" || echo "failed, see $1")"
    return 1
}

# ensure_nightly_src: a nightly toolchain with rust-src (what -Zbuild-std builds from).
ensure_nightly_src() {
    local log=$CROSS_LOG_DIR/rustup.log comps
    mkdir -p "$CROSS_LOG_DIR"
    if ! comps=$(rustup component list --installed --toolchain nightly 2>/dev/null); then
        _cross_say "installing the nightly toolchain (log: $log)"
        if ! rustup toolchain install nightly --profile minimal --component rust-src >>"$log" 2>&1; then
            _cross_rustup_failure "$log" "toolchain nightly"
            return
        fi
        return 0
    fi
    [[ $'\n'$comps$'\n' == *$'\nrust-src\n'* ]] && return 0
    _cross_say "adding rust-src to nightly (log: $log)"
    if ! rustup component add rust-src --toolchain nightly >>"$log" 2>&1; then
        _cross_rustup_failure "$log" "rust-src for nightly"
        return
    fi
}

# ensure_target T: the Rust side of target T.
ensure_target() {
    cross_target_info "$1" || return
    case $CROSS_RUST in
        build-std | nolibc)
            ensure_nightly_src
            return
            ;;
    esac
    _cross_host_init
    [[ $1 == "$CROSS_HOST" ]] && return 0
    local installed log=$CROSS_LOG_DIR/rustup.log
    installed=$(rustup target list --installed)
    [[ $'\n'$installed$'\n' == *$'\n'$1$'\n'* ]] && return 0
    mkdir -p "$CROSS_LOG_DIR"
    _cross_say "rustup target add $1 (log: $log)"
    if ! rustup target add "$1" >>"$log" 2>&1; then
        _cross_rustup_failure "$log" "rust-std for $1"
        return
    fi
}

# _cross_host_init: CROSS_HOST = the triple rustc builds for by default.
_cross_host_init() {
    [[ -n ${CROSS_HOST:-} ]] || CROSS_HOST=$(rustc -vV | sed -n 's/^host: //p')
}

# target_env T: export the linker and runner cargo uses for T. Runners are always qemu 10 from
# $QEMU10_BIN (binfmt_misc is not mounted, and qemu 7.2 gives guests no vDSO), with
# -L /usr/<triplet> for glibc targets so the guest's dynamic loader and libc are found.
# Also SYS_VDSO_EXPECT=$CROSS_VDSO, which sys-vdso's tests/expect.rs asserts, and for qemu
# targets LIBSYS_QEMU, the runner's command (unset for the others). (sys-core's
# tests/proto_tracefs.rs tells by itself that another target has nothing to compare.)
target_env() {
    cross_target_info "$1" || return
    export SYS_VDSO_EXPECT=$CROSS_VDSO
    unset LIBSYS_QEMU
    local v
    v=CARGO_TARGET_$(tr 'a-z-' 'A-Z_' <<<"$1")
    case $CROSS_KIND in
        host) ;;
        native)
            if [[ -n $CROSS_GNU ]]; then export "${v}_LINKER=$CROSS_GNU-gcc"; fi
            ;;
        qemu)
            export "${v}_LINKER=$CROSS_GNU-gcc"
            export "${v}_RUNNER=$QEMU10_BIN/$CROSS_QEMU -L /usr/$CROSS_GNU"
            # The same command for a test that runs a program under qemu again, with -strace
            # (sys-trace/tests/strace.rs: qemu's trace as the oracle for the tracer's).
            export "LIBSYS_QEMU=$QEMU10_BIN/$CROSS_QEMU -L /usr/$CROSS_GNU"
            ;;
        nolibc)
            export "${v}_LINKER=rust-lld"
            export "${v}_RUNNER=$QEMU10_BIN/$CROSS_QEMU"
            ;;
    esac
}

# cross_prepare T: packages, qemu 10 (if T runs under qemu), Rust target, environment.
cross_prepare() {
    cross_target_info "$1" || return
    # shellcheck disable=SC2086 # CROSS_PKGS is a word list
    ensure_packages $CROSS_PKGS || return
    if [[ -n $CROSS_QEMU ]]; then ensure_qemu10 || return; fi
    ensure_target "$1" || return
    target_env "$1"
}
