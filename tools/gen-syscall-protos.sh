#!/usr/bin/env bash
# Regenerates the kernel's system call prototypes: sys-core/src/proto/<arch>.rs (per
# architecture) and sys-macros/src/proto_table.rs (what every architecture agrees on), from
# Debian's linux-source package (the kernel's SYSCALL_DEFINEn definitions and syscall tables)
# and sys-core's syscall numbers (run tools/gen-syscall-tables.sh first when those change).
#
# The package is fetched through a private apt state directory under target/kernel-source/ (the
# system's apt configuration is not touched) and only the files needed are unpacked there
# (*.c, *.tbl, Kconfig, Makefile.syscalls, syscalls.h); nothing downloaded is committed.
#
#   tools/gen-syscall-protos.sh                                  # linux-source matching the
#                                                                # kernel of sys-core's nr tables
#   LINUX_SOURCE_VERSION=7.3.4-1~bpo13+1 tools/gen-syscall-protos.sh   # a pinned version
#   KERNEL_SOURCE=/path/to/linux SOURCE="..." tools/gen-syscall-protos.sh  # no download
#
# Needs: apt-get, dpkg-deb, tar with xz, python3 (>= 3.11), rustfmt.
set -CeEuo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"

SUITES=${SUITES:-"trixie-backports unstable trixie bookworm-backports"}

if [[ -z "${KERNEL_SOURCE:-}" ]]; then
    d=$repo/target/kernel-source
    apt_dir=$d/apt
    mkdir -p "$apt_dir/parts" "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial"
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

    # The kernel sys-core's numbers come from ("… linux-libc-dev 7.3.4-1~bpo13+1, kernel 7.3.4").
    version=${LINUX_SOURCE_VERSION:-}
    if [[ -z "$version" ]]; then
        version=$(sed -n 's/.*linux-libc-dev \([^,]*\),.*/\1/p;q' sys-core/src/nr/x86_64.rs)
    fi
    major=$(echo "$version" | sed 's/^\([0-9]*\.[0-9]*\).*/\1/')
    pkg=linux-source-$major
    unpacked=$d/$version
    if [[ ! -d "$unpacked/src" ]]; then
        (cd "$apt_dir" && apt-get "${apt_opts[@]}" -qq download "$pkg=$version")
        deb=$(ls "$apt_dir"/"$pkg"_*_all.deb | grep -F "_${version/:/%3a}_" | head -n1)
        rm -rf "$unpacked.tmp"
        mkdir -p "$unpacked.tmp/src"
        dpkg-deb --fsys-tarfile "$deb" | tar -xO "./usr/src/$pkg.tar.xz" |
            tar -xJ -C "$unpacked.tmp/src" --strip-components=1 --wildcards \
                '*.c' '*.tbl' '*/Kconfig' '*/Makefile.syscalls' '*/syscalls.h'
        mv "$unpacked.tmp" "$unpacked"
    fi
    KERNEL_SOURCE=$unpacked/src
    SOURCE="Debian $pkg $version"
fi

exec python3 "$repo/tools/gen-syscall-protos.py" --source-tree "$KERNEL_SOURCE" \
    --source "${SOURCE:?set SOURCE to describe KERNEL_SOURCE}" --repo "$repo"
