#!/usr/bin/env python3
"""tools/gen-per-arch-doc.py: docs/per-arch.md, which call to declare for each common operation
on each architecture, derived from the committed tables: the numbers (sys-core/src/nr/<arch>.rs)
and the kernel's prototypes (sys-core/src/proto/<arch>.rs), both generated from the kernel.

Usage: tools/gen-per-arch-doc.py            write docs/per-arch.md
       tools/gen-per-arch-doc.py --check    exit 1 (with a diff) if the committed file differs
       tools/gen-per-arch-doc.py --stdout   print it

Python 3.11, standard library only. Nothing below names a number or types a prototype: every
cell is looked up in the tables; the text around the tables says what rule picks the call.
"""

from __future__ import annotations

import argparse
import difflib
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "per-arch.md"

# (file stem = Rust's target_arch, the name shown, word size in bits, the matrix's targets)
ARCHES = [
    ("x86_64", "x86_64", 64, "x86_64-unknown-linux-gnu, -musl"),
    ("x86", "x86 (i686)", 32, "i686-unknown-linux-gnu"),
    ("aarch64", "aarch64", 64, "aarch64-unknown-linux-gnu"),
    ("arm", "arm", 32, "armv7-unknown-linux-gnueabihf, thumbv7neon-…"),
    ("riscv64", "riscv64", 64, "riscv64gc-unknown-linux-gnu"),
    ("powerpc64", "powerpc64", 64, "powerpc64le-unknown-linux-gnu"),
    ("s390x", "s390x", 64, "s390x-unknown-linux-gnu"),
    ("loongarch64", "loongarch64", 64, "loongarch64-unknown-linux-gnu"),
    ("mips", "mips (o32)", 32, "mipsel-unknown-linux-gnu"),
    ("mips64", "mips64 (n64)", 64, "mips64el-unknown-linux-gnuabi64"),
]

# How many argument words libsys passes (sys-core's call0..call6); the text of the
# sync_file_range section says what happens to a call of more.
MAX_WORDS = 6


@dataclass
class Param:
    name: str
    ctype: str
    kind: str
    pair: bool
    size: int = 0


@dataclass
class Proto:
    name: str
    nr: int
    entry: str
    c: str
    params: list[Param] | None
    words: int = 0
    fails: bool = True


@dataclass
class Arch:
    key: str
    title: str
    bits: int
    targets: str
    nr: dict[str, int] = field(default_factory=dict)
    proto: dict[str, Proto] = field(default_factory=dict)

    def has(self, name: str) -> bool:
        return name in self.nr

    def first(self, *names: str) -> str | None:
        return next((n for n in names if self.has(n)), None)


# ---- reading the tables ------------------------------------------------------------------------

NR_RE = re.compile(r"^pub const (?:r#)?([A-Za-z_][A-Za-z0-9_]*): usize = (\d+);", re.M)
TOKEN_RE = re.compile(
    r'"(?P<str>(?:[^"\\]|\\.)*)"'
    r"|(?P<int>\d+)"
    r"|(?P<word>[A-Za-z_][A-Za-z0-9_:#]*)"
    r"|(?P<punct>[()\[\],.&])"
)


def read_nr(path: Path) -> dict[str, int]:
    table = {name: int(n) for name, n in NR_RE.findall(path.read_text())}
    if not table:
        sys.exit(f"{path}: no `pub const NAME: usize = N;` lines")
    return table


def tokens(text: str):
    for m in TOKEN_RE.finditer(text):
        if m.group("str") is not None:
            yield ("str", m.group("str").replace('\\"', '"').replace("\\\\", "\\"))
        elif m.group("int") is not None:
            yield ("int", int(m.group("int")))
        elif m.group("word") is not None:
            yield ("word", m.group("word"))
        else:
            yield ("punct", m.group("punct"))


class Parser:
    def __init__(self, text: str, where: str):
        self.toks = list(tokens(text))
        self.i = 0
        self.where = where

    def fail(self, what: str):
        sys.exit(f"{self.where}: expected {what}, found {self.toks[self.i:self.i + 4]}")

    def take(self, kind: str, value=None):
        if self.i >= len(self.toks):
            self.fail(kind if value is None else repr(value))
        k, v = self.toks[self.i]
        if k != kind or (value is not None and v != value):
            self.fail(kind if value is None else repr(value))
        self.i += 1
        return v

    def peek(self, kind: str, value=None) -> bool:
        if self.i >= len(self.toks):
            return False
        k, v = self.toks[self.i]
        return k == kind and (value is None or v == value)

    def param(self) -> Param:
        self.take("word", "Param::new")
        self.take("punct", "(")
        name = self.take("str")
        self.take("punct", ",")
        ctype = self.take("str")
        self.take("punct", ",")
        kind = self.take("word")
        self.take("punct", ",")
        pair = self.take("word") == "true"
        if self.peek("punct", ","):
            self.take("punct", ",")
        self.take("punct", ")")
        p = Param(name, ctype, kind, pair)
        while self.peek("punct", "."):
            self.take("punct", ".")
            method = self.take("word")
            self.take("punct", "(")
            if self.peek("int"):
                arg = self.take("int")
            else:
                # `::core::mem::size_of::<linux_raw_sys::…>()`: a size only the compiler
                # knows for the target; not needed here (0: unknown).
                arg = 0
                depth = 1
                while depth:
                    if self.i >= len(self.toks):
                        self.fail("')'")
                    k, v = self.toks[self.i]
                    self.i += 1
                    if k == "punct" and v == "(":
                        depth += 1
                    elif k == "punct" and v == ")":
                        depth -= 1
                self.i -= 1
            if self.peek("punct", ","):
                self.take("punct", ",")
            self.take("punct", ")")
            if method == "pointee":
                p.size = arg
        return p

    def proto(self) -> Proto:
        ctor = self.take("word")
        self.take("punct", "(")
        name = self.take("str")
        self.take("punct", ",")
        nr = self.take("int")
        self.take("punct", ",")
        entry = self.take("str")
        if ctor == "Proto::unknown":
            return Proto(name, nr, entry, entry, None)
        if ctor != "Proto::new":
            self.fail("Proto::new or Proto::unknown")
        self.take("punct", ",")
        c = self.take("str")
        self.take("punct", ",")
        self.take("punct", "&")
        self.take("punct", "[")
        params = []
        while not self.peek("punct", "]"):
            params.append(self.param())
            if self.peek("punct", ","):
                self.take("punct", ",")
        self.take("punct", "]")
        self.take("punct", ",")
        words = self.take("int")
        self.take("punct", ",")
        fails = self.take("word") == "true"
        return Proto(name, nr, entry, c, params, words, fails)


PROTO_START = re.compile(r"^pub const (?:r#)?[A-Za-z_][A-Za-z0-9_]*: Proto = ", re.M)


def read_proto(path: Path) -> dict[str, Proto]:
    text = path.read_text()
    # Up to the lookup macro: the constants come first.
    text = text.split("macro_rules!", 1)[0]
    out = {}
    starts = [m.end() for m in PROTO_START.finditer(text)]
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(text)
        chunk = text[start:end].split("\n);", 1)[0].split(");\n", 1)[0] + ")"
        p = Parser(chunk, f"{path}: item {n + 1}").proto()
        out[p.name] = p
    if not out:
        sys.exit(f"{path}: no `pub const NAME: Proto = …` items")
    return out


def load() -> list[Arch]:
    arches = []
    for key, title, bits, targets in ARCHES:
        a = Arch(key, title, bits, targets)
        a.nr = read_nr(ROOT / "sys-core" / "src" / "nr" / f"{key}.rs")
        a.proto = read_proto(ROOT / "sys-core" / "src" / "proto" / f"{key}.rs")
        arches.append(a)
    return arches


# ---- rendering ---------------------------------------------------------------------------------


def md(s: str) -> str:
    return s.replace("|", "\\|")


def show_proto(a: Arch, name: str) -> str:
    p = a.proto.get(name)
    if p is None:
        return "(not in the prototype table)"
    c = p.c.replace(" __user", "")
    if p.params is None:
        return f"`{md(c)}` (no C prototype: written in assembly or not implemented)"
    extra = []
    pairs = [q.name for q in p.params if q.pair]
    if pairs:
        extra.append("pairs: " + ", ".join(f"`{q}`" for q in pairs))
    if p.words > MAX_WORDS:
        extra.append(f"**{p.words} words**")
    elif pairs or p.words != len(p.params):
        extra.append(f"{p.words} words")
    tail = f" ({'; '.join(extra)})" if extra else ""
    return f"`{md(c)}`{tail}"


def call_cell(a: Arch, name: str | None) -> str:
    if name is None:
        return "—"
    return f"`{name}` ({a.nr[name]})"


class Doc:
    def __init__(self, arches: list[Arch]):
        self.arches = arches
        self.lines: list[str] = []

    def w(self, *lines: str):
        self.lines.extend(lines)

    def pick_table(self, pick, also=None, only_present=False, col="declare"):
        """One row per architecture: the call `pick(a)` names, its number, its prototype; `also`
        (optional) lists other calls of the operation that exist there. With `only_present`,
        the architectures where `pick` names nothing are left out."""
        head = f"| arch | {col} | kernel prototype |"
        sep = "|---|---|---|"
        if also:
            head += " also there |"
            sep += "---|"
        self.w(head, sep)
        for a in self.arches:
            name = pick(a)
            if only_present and name is None:
                continue
            proto = show_proto(a, name) if name else "—"
            row = f"| {a.title} | {call_cell(a, name)} | {proto} |"
            if also:
                others = [n for n in also(a) if n != name and a.has(n)]
                row += " " + (", ".join(f"`{n}`" for n in others) or "—") + " |"
            self.w(row)
        self.w("")

    def old_table(self, old: str, new: str, what: str):
        """The old call's prototype where the new one is what to declare."""
        self.w(f"{what} (`{old}` where `{new}` is the call to declare):", "")
        self.pick_table(
            lambda a: old if a.has(new) and a.has(old) and a.bits == 32 else None,
            only_present=True,
            col="call",
        )

    def names_table(self, rows: list[tuple[str, list[str]]]):
        """Rows of candidate names; a cell is the first candidate that exists there."""
        self.w("| operation | " + " | ".join(a.title for a in self.arches) + " |")
        self.w("|---|" + "---|" * len(self.arches))
        for label, cands in rows:
            cells = []
            for a in self.arches:
                n = a.first(*cands)
                cells.append(f"`{n}`" if n else "—")
            self.w(f"| {label} | " + " | ".join(cells) + " |")
        self.w("")


def wide_offset_pick(a: Arch, wide: str, plain: str) -> str | None:
    """The 64-bit variant where the word is 32 bits and the table has it, else the plain call."""
    if a.bits == 32 and a.has(wide):
        return wide
    return plain if a.has(plain) else None


TIME64 = [
    # (the call with the architecture's own time_t, candidates for its 64-bit-time form)
    ("clock_gettime", ["clock_gettime64"]),
    ("clock_settime", ["clock_settime64"]),
    ("clock_getres", ["clock_getres_time64"]),
    ("clock_adjtime", ["clock_adjtime64"]),
    ("clock_nanosleep", ["clock_nanosleep_time64"]),
    ("timer_gettime", ["timer_gettime64"]),
    ("timer_settime", ["timer_settime64"]),
    ("timerfd_gettime", ["timerfd_gettime64"]),
    ("timerfd_settime", ["timerfd_settime64"]),
    ("utimensat", ["utimensat_time64"]),
    ("pselect6", ["pselect6_time64"]),
    ("ppoll", ["ppoll_time64"]),
    ("io_pgetevents", ["io_pgetevents_time64"]),
    ("recvmmsg", ["recvmmsg_time64"]),
    ("mq_timedsend", ["mq_timedsend_time64"]),
    ("mq_timedreceive", ["mq_timedreceive_time64"]),
    ("semtimedop", ["semtimedop_time64"]),
    ("rt_sigtimedwait", ["rt_sigtimedwait_time64"]),
    ("futex", ["futex_time64"]),
    ("sched_rr_get_interval", ["sched_rr_get_interval_time64"]),
]

UID16 = [
    "getuid", "geteuid", "getgid", "getegid", "setuid", "setgid", "setreuid", "setregid",
    "getresuid", "setresuid", "getresgid", "setresgid", "getgroups", "setgroups", "chown",
    "fchown", "lchown", "setfsuid", "setfsgid",
]  # fmt: skip


def generate(arches: list[Arch]) -> str:
    d = Doc(arches)
    d.w(
        "<!-- @generated by tools/gen-per-arch-doc.py from sys-core/src/nr/<arch>.rs and",
        "     sys-core/src/proto/<arch>.rs; do not edit: run the script (CI runs it with",
        "     --check). -->",
        "# Which call to declare, per architecture",
        "",
        "The same operation is a different system call on different architectures: 32-bit ones",
        "keep their old calls with 32-bit `off_t`, `time_t` or 16-bit ids next to the 64-bit ones,",
        "some take their arguments in another order, some lack the old calls altogether. Each",
        "table below is derived from libsys's own tables (the numbers from the kernel's uapi",
        "headers, the prototypes from the kernel source: `tools/gen-syscall-tables.sh`,",
        "`tools/gen-syscall-protos.sh`), so it says what `#[syscall]` will check your declaration",
        "against. A name is declared as is",
        "(`#[syscall] unsafe fn _llseek(…)`); the number in brackets is the one libsys looks up.",
        "\"pairs\" are 64-bit arguments that take two registers there (libsys splits a `u64`/`i64`",
        "for you, aligned as the architecture wants); \"words\" counts the argument registers.",
        "`__user` is left out of the prototypes.",
        "",
        "| arch | word | targets of the test matrix |",
        "|---|---|---|",
    )
    for a in arches:
        d.w(f"| {a.title} | {a.bits}-bit | {a.targets} |")
    d.w("")

    d.w(
        "## 64-bit file offsets",
        "",
        "### Seek",
        "",
        "Where the word is 32 bits, `lseek`'s `off_t` is too: declare `_llseek` (the man page's",
        "`llseek`), which takes the offset as two words and writes the 64-bit result through a",
        "`loff_t *`.",
        "",
    )
    d.pick_table(
        lambda a: wide_offset_pick(a, "_llseek", "lseek"),
        also=lambda a: ["lseek", "_llseek"],
    )
    d.old_table("lseek", "_llseek", "The word-sized offset")

    d.w(
        "### Truncate",
        "",
        "`ftruncate64`/`truncate64` where the word is 32 bits (the length is a register pair),",
        "`ftruncate`/`truncate` elsewhere.",
        "",
    )
    d.pick_table(
        lambda a: wide_offset_pick(a, "ftruncate64", "ftruncate"),
        also=lambda a: ["ftruncate", "ftruncate64", "truncate64"],
    )
    d.old_table("ftruncate", "ftruncate64", "The word-sized length")

    d.w(
        "### Positioned read and write",
        "",
        "`pread64`/`pwrite64` take a 64-bit offset everywhere (a register pair on 32-bit",
        "architectures).",
        "",
    )
    d.pick_table(lambda a: a.first("pread64"), also=lambda a: ["pwrite64", "preadv", "preadv2"])

    d.w(
        "### mmap with an offset",
        "",
        "`mmap2` where the table has it (its last argument counts pages of 4096 bytes, so a 32-bit",
        "word reaches 16 TiB); elsewhere `mmap` with a byte offset. Where `mmap` takes one pointer",
        "(`old_mmap`, a structure of six words), that is the old interface: s390x's only one, and",
        "i686's next to `mmap2`.",
        "",
    )
    d.pick_table(lambda a: a.first("mmap2", "mmap"), also=lambda a: ["mmap"])
    d.old_table("mmap", "mmap2", "The old call")

    d.w(
        "### sendfile with a 64-bit offset",
        "",
        "`sendfile`'s offset pointer is an `off_t *`: 32 bits where the word is. `sendfile64`",
        "takes a `loff_t *` there.",
        "",
    )
    d.pick_table(
        lambda a: wide_offset_pick(a, "sendfile64", "sendfile"),
        also=lambda a: ["sendfile"],
    )
    d.old_table("sendfile", "sendfile64", "The word-sized offset")

    d.w(
        "### sync_file_range",
        "",
        "Where the flags come before the two 64-bit values (`sync_file_range2`, arm's",
        "`arm_sync_file_range`), the pairs stay aligned; the order is the prototype's. A call of",
        f"more than {MAX_WORDS} words (in bold) takes its last words on the stack (the o32 ABI of",
        f"mips): libsys passes at most {MAX_WORDS} argument words, so `#[syscall]` refuses such a",
        "declaration, and mips o32 has no other form of the call (the same holds for `fadvise64`",
        "below).",
        "",
    )
    d.pick_table(
        lambda a: a.first("sync_file_range2", "arm_sync_file_range", "sync_file_range"),
        also=lambda a: ["sync_file_range", "sync_file_range2", "arm_sync_file_range"],
    )

    d.w(
        "### fadvise",
        "",
        "The call with a 64-bit offset and a 64-bit length: `arm_fadvise64_64` (advice before the",
        "pairs), `fadvise64_64`, or `fadvise64` where that is the only one (its `len` is a",
        "`size_t`: a word).",
        "",
    )
    d.pick_table(
        lambda a: a.first("arm_fadvise64_64", "fadvise64_64", "fadvise64"),
        also=lambda a: ["fadvise64", "fadvise64_64"],
    )

    d.w(
        "## Time: the `*_time64` calls",
        "",
        "On 32-bit architectures the calls that take a `struct timespec`, `itimerspec` or",
        "`timeval` have a second form with the kernel's 64-bit `struct __kernel_timespec`",
        "(`libsys::uapi::general::__kernel_timespec`, 16 bytes everywhere): declare that one (the",
        "old form's `time_t` ends in 2038). 64-bit architectures have only the first form, with",
        "64-bit time. Each cell is the call to declare.",
        "",
    )
    d.names_table(
        [
            (f"`{base}`", [*cands, base])
            for base, cands in TIME64
            if any(a.has(n) for a in arches for n in [base, *cands])
        ]
    )
    d.w("The prototypes of one of them:", "")
    d.pick_table(lambda a: a.first("clock_gettime64", "clock_gettime"))
    d.pick_table(lambda a: a.first("timerfd_settime64", "timerfd_settime"))

    d.w(
        "## User and group ids",
        "",
        "Where the table has `getuid32`, the plain `getuid` family is the old one with 16-bit ids",
        "(`old_uid_t`): a uid above 65535 comes back as 65534. Declare the `*32` calls there.",
        "",
    )
    d.names_table([(f"`{base}`", [base + "32", base]) for base in UID16])
    d.pick_table(lambda a: a.first("getuid32", "getuid"), also=lambda a: ["getuid"])
    d.old_table("getuid", "getuid32", "The 16-bit call")

    d.w(
        "## clone: the argument order",
        "",
        "`clone`'s arguments come in one of several orders (the kernel's `CLONE_BACKWARDS*`",
        "configurations). Name your parameters as the kernel does and keep its order; `clone3`",
        "(one structure and its size) is the same everywhere it exists.",
        "",
    )
    d.pick_table(lambda a: a.first("clone"), also=lambda a: ["clone3", "fork", "vfork"])

    d.w(
        "## stat",
        "",
        "`statx` exists everywhere. Of the older calls, 64-bit architectures have `newfstatat`",
        "(`struct stat`), 32-bit ones `fstatat64` (`struct stat64`); riscv64 and loongarch64 are",
        "newer than both when the table has neither.",
        "",
    )
    d.names_table([
        ("stat at a path", ["newfstatat", "fstatat64"]),
        ("stat of a descriptor", ["fstat64", "fstat"]),
        ("statx", ["statx"]),
    ])  # fmt: skip
    d.pick_table(
        lambda a: a.first("newfstatat", "fstatat64", "statx"),
        also=lambda a: ["statx", "fstat", "fstat64", "stat", "stat64"],
    )

    d.w(
        "## Calls that newer architectures lack",
        "",
        "aarch64, riscv64 and loongarch64 have only the `*at` and flag-taking forms: declare",
        "those everywhere (each cell is the first of the row's names that exists there).",
        "",
    )
    d.names_table([
        ("`pipe` → `pipe2`", ["pipe", "pipe2"]),
        ("`pipe2`", ["pipe2"]),
        ("`open` → `openat`", ["open", "openat"]),
        ("`fork` → `clone`", ["fork", "clone"]),
        ("`dup2` → `dup3`", ["dup2", "dup3"]),
        ("`poll` → `ppoll`", ["poll", "ppoll"]),
        ("`epoll_wait` → `epoll_pwait`", ["epoll_wait", "epoll_pwait"]),
        ("`getdents64`", ["getdents64"]),
        ("`rename` → `renameat` → `renameat2`", ["rename", "renameat", "renameat2"]),
        ("`unlink` → `unlinkat`", ["unlink", "unlinkat"]),
    ])  # fmt: skip
    d.w(
        "`pipe`'s prototype, where there is one (without a C prototype it returns the two",
        "descriptors in two registers, which a `#[syscall]` result cannot take: declare `pipe2`):",
        "",
    )
    d.pick_table(lambda a: a.first("pipe"), only_present=True)
    return "\n".join(d.lines).rstrip("\n") + "\n"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    g = ap.add_mutually_exclusive_group()
    g.add_argument("--check", action="store_true", help="fail if docs/per-arch.md differs")
    g.add_argument("--stdout", action="store_true", help="print instead of writing")
    args = ap.parse_args()
    text = generate(load())
    if args.stdout:
        sys.stdout.write(text)
        return 0
    if args.check:
        old = OUT.read_text() if OUT.exists() else ""
        if old == text:
            return 0
        sys.stdout.writelines(
            difflib.unified_diff(old.splitlines(True), text.splitlines(True), str(OUT), "generated")
        )
        rel = OUT.relative_to(ROOT)
        print(f"{rel} is out of date: run tools/gen-per-arch-doc.py", file=sys.stderr)
        return 1
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
