#!/usr/bin/env bash
# Regenerates sys-core's syscall numbers (sys-core/src/nr/<arch>.rs), errno tables
# (sys-core/src/errno/{generic,mips,powerpc}.rs) and libc cross-check data
# (sys-core/tests/crosscheck/<arch>.rs) from Debian's linux-libc-dev.
#
# Debian's linux-libc-dev is `Architecture: all` and ships usr/include/<triplet>/asm for every
# architecture, so one package covers all targets. It is fetched through a private apt state
# directory under target/kernel-headers/ (the system's apt configuration is not touched) and
# unpacked there; nothing downloaded is committed.
#
#   tools/gen-syscall-tables.sh                 # newest linux-libc-dev in SUITES
#   LINUX_LIBC_DEV_VERSION=7.3.4-1~bpo13+1 tools/gen-syscall-tables.sh   # a pinned version
#   KERNEL_HEADERS=/path/to/usr/include SOURCE="..." tools/gen-syscall-tables.sh  # no download
#
# Needs: apt-get, dpkg-deb, cpp (the host's; no cross compiler), python3 (>= 3.11), rustfmt,
# cargo (to locate the libc crate's source; run `cargo fetch` first when offline).
set -CeEuo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"

SUITES=${SUITES:-"trixie-backports unstable trixie bookworm-backports"}

if [[ -z "${KERNEL_HEADERS:-}" ]]; then
    d=$repo/target/kernel-headers
    apt_dir=$d/apt
    mkdir -p "$apt_dir/parts" "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial"
    # The system's own Debian mirror, signed by the system's Debian archive keyring.
    uri=$(awk '/^URIs:/ { print $2; exit }' /etc/apt/sources.list.d/debian.sources 2>/dev/null ||
        true)
    uri=${uri:-http://deb.debian.org/debian}
    printf 'Types: deb\nURIs: %s\nSuites: %s\nComponents: main\nSigned-By: %s\n' \
        "$uri" "$SUITES" /usr/share/keyrings/debian-archive-keyring.gpg >|"$apt_dir/parts/k.sources"
    apt_opts=(
        -o "Dir::Etc::SourceList=/dev/null" -o "Dir::Etc::SourceParts=$apt_dir/parts"
        -o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache=$apt_dir/cache"
        -o "Dir::State::status=/dev/null"
    )
    apt-get "${apt_opts[@]}" -qq update

    version=${LINUX_LIBC_DEV_VERSION:-}
    if [[ -z "$version" ]]; then
        for v in $(apt-cache "${apt_opts[@]}" show linux-libc-dev |
            awk '/^Version:/ { print $2 }'); do
            if [[ -z "$version" ]] || dpkg --compare-versions "$v" gt "$version"; then
                version=$v
            fi
        done
    fi
    [[ -n "$version" ]] || {
        echo "no linux-libc-dev in $SUITES" >&2
        exit 1
    }
    unpacked=$d/$version
    if [[ ! -d "$unpacked/usr/include" ]]; then
        (cd "$apt_dir" && apt-get "${apt_opts[@]}" -qq download "linux-libc-dev=$version")
        deb=$(ls "$apt_dir"/linux-libc-dev_*_all.deb | grep -F "_${version/:/%3a}_" | head -n1)
        rm -rf "$unpacked.tmp"
        dpkg-deb -x "$deb" "$unpacked.tmp"
        mv "$unpacked.tmp" "$unpacked"
    fi
    KERNEL_HEADERS=$unpacked/usr/include
    SOURCE="Debian linux-libc-dev $version"
fi

exec python3 "$repo/tools/gen-syscall-tables.py" --headers "$KERNEL_HEADERS" \
    --source "${SOURCE:?set SOURCE to describe KERNEL_HEADERS}" --repo "$repo"
