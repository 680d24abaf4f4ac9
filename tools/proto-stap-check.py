#!/usr/bin/env python3
"""tools/proto-stap-check.py: x86_64's generated prototypes (sys-core/src/proto/x86_64.rs)
against a second independent source, SystemTap's syscall tapsets (Debian's systemtap-common,
/usr/share/systemtap/tapset/linux/sysc_*.stp). Each tapset opens with the kernel prototypes it
probes, written by hand (`# long sys_openat(int dfd, const char __user *filename, ...)`); the
argument count of every `sys_*` entry point the table uses is compared where the tapsets give
exactly one count for it. Known differences are listed below with their reason; any other fails.

The package is fetched with `apt-get download` into target/systemtap-common/ (once) and
unpacked there; nothing is installed. Not part of `cargo test`: it needs the download.

Usage: tools/proto-stap-check.py        Output: the figures; exit status 1 on a difference.
"""
import glob
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
WORK = REPO / "target" / "systemtap-common"
TAPSETS = WORK / "unpacked" / "usr/share/systemtap/tapset/linux"

# (entry point, SystemTap's count): why it differs from the kernel source's.
KNOWN = {
    ("sys_getuid", 1): "sysc_getuid.stp's comment lacks its `)`: `# long sys_getuid(void`",
    ("sys_rt_sigreturn", 1): "the tapset quotes i386's pre-3.x `sys_rt_sigreturn(unsigned long "
    "__unused)`; x86_64's is SYSCALL_DEFINE0",
}
MIN_AGREE = 230


def fetch() -> None:
    if TAPSETS.is_dir():
        return
    WORK.mkdir(parents=True, exist_ok=True)
    subprocess.run(["apt-get", "download", "-q", "systemtap-common"], cwd=WORK, check=True)
    deb = sorted(WORK.glob("systemtap-common_*.deb"))[-1]
    subprocess.run(["dpkg-deb", "-x", str(deb), str(WORK / "unpacked")], check=True)


def table() -> dict[str, tuple[str, int]]:
    """entry point -> (call name, argument count) of the calls with a prototype."""
    text = (REPO / "sys-core/src/proto/x86_64.rs").read_text()
    out = {}
    for m in re.finditer(r'Proto::new\(\s*"(\w+)",\s*\d+,\s*"(\w+)",\s*"[^"]*",\s*&\[(.*?)\],',
                         text, re.S):
        out[m.group(2)] = (m.group(1), len(re.findall(r"Param::new\(", m.group(3))))
    return out


def tapsets() -> dict[str, set[int]]:
    """entry point -> the argument counts the tapsets' prototype comments give it."""
    out: dict[str, set[int]] = {}
    # A C return type before the name: not prose such as "The sys_clone() call was …".
    head = re.compile(r"^#\s*(?:asmlinkage\s+)?(?:unsigned\s+)?(?:long|int|ssize_t|off_t|pid_t"
                      r"|time_t|void)\s+(sys_\w+)\s*\(([^)]*)\)", re.M | re.S)
    for f in glob.glob(str(TAPSETS / "sysc_*.stp")):
        for m in head.finditer(Path(f).read_text(errors="replace")):
            args = " ".join(m.group(2).replace("#", " ").split())
            n = 0 if args in ("", "void") else args.count(",") + 1
            out.setdefault(m.group(1), set()).add(n)
    return out


def main() -> int:
    fetch()
    ours, theirs = table(), tapsets()
    agree, ambiguous, absent, known, bad = 0, 0, 0, [], []
    for entry, (name, count) in sorted(ours.items()):
        counts = theirs.get(entry)
        if counts is None:
            absent += 1
        elif len(counts) > 1:
            ambiguous += 1
        elif count in counts:
            agree += 1
        else:
            (n,) = counts
            why = KNOWN.get((entry, n))
            (known if why else bad).append(f"{name}: {count} here, {n} in SystemTap"
                                           + (f" ({why})" if why else ""))
    print(f"proto-stap-check: {len(ours)} calls with a prototype, SystemTap describes "
          f"{len(theirs)} entry points: {agree} agree on the argument count, {ambiguous} "
          f"ambiguous (several counts), {absent} not covered, {len(known)} known differences")
    for k in known:
        print(f"  known: {k}")
    for b in bad:
        print(f"  DIFFERS: {b}")
    if bad or agree < MIN_AGREE:
        print(f"proto-stap-check: FAILED ({len(bad)} unexplained differences, {agree} agree, "
              f"at least {MIN_AGREE} expected)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
