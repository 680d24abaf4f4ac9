#!/usr/bin/env python3
"""Generate sys-core's syscall-number and errno tables from the kernel's uapi headers.

Reads an unpacked `linux-libc-dev` (the `usr/include` directory, which in current Debian
kernels holds `<triplet>/asm/` for every architecture) and writes:

- `sys-core/src/nr/<arch>.rs`: one `pub const` per `__NR_<name>`, a `NAMES` table and the
  `__sys_nr!` lookup macro (compile errors with a replacement for calls the arch lacks);
- `sys-core/src/errno/{generic,mips,powerpc}.rs`: `Errno` constants, `TABLE` and `ALIASES`;
- `sys-core/tests/crosscheck/<arch>.rs`: every name both sys-core and the libc crate define
  for that target, so `tests/libc_crosscheck.rs` can compare the values.

Syscall numbers come from running the host C preprocessor (`cpp -dM`) on `<asm/unistd.h>` with
the macros the architecture's compiler would predefine, then evaluating each `__NR_` macro
(integers, `+`, `-`, `*` and parentheses only). Errno values are parsed as text, following
`#include`/`#define`/`#undef`, so the comment after each define can become the message; the
result is cross-checked against `cpp -dM` on `<asm/errno.h>`.

Python 3.11, standard library only. Normally run through `tools/gen-syscall-tables.sh`, which
fetches the headers first. Output is deterministic: the same inputs give byte-identical files.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import re
import subprocess
import sys
from pathlib import Path

GENERATOR = "tools/gen-syscall-tables.sh"


@dataclasses.dataclass(frozen=True)
class Arch:
    """One target architecture: where its headers live and how its compiler sees them."""

    name: str  # Rust `target_arch` (and the file name under nr/ and crosscheck/)
    triplet: str  # Debian multiarch directory under usr/include
    abi: str  # human description for the doc line
    defines: tuple[str, ...]  # what the target compiler predefines that the headers test
    bits: int  # expected __BITS_PER_LONG
    errno: str  # which errno file covers it: generic, mips or powerpc
    libc_gnu: tuple[str, ...]  # libc files (under src/unix/linux_like/linux/) for the gnu target
    libc_musl: tuple[str, ...] = ()  # and for the musl target, when it is tested too
    same_as: tuple[str, ...] = ()  # other triplets whose tables must be identical
    known: tuple[tuple[str, int], ...] = ()  # sanity values
    label: str = ""  # the name in error messages when it is not just `name` ("x86 (i386)")

    @property
    def human(self) -> str:
        """The architecture as compile errors name it."""
        return self.label or self.name


ARCHES: tuple[Arch, ...] = (
    Arch(
        "x86_64", "x86_64-linux-gnu", "64-bit ABI", ("-D__x86_64__", "-D__LP64__"), 64, "generic",
        ("arch/generic/mod.rs", "gnu/mod.rs", "gnu/b64/mod.rs", "gnu/b64/x86_64/mod.rs",
         "gnu/b64/x86_64/not_x32.rs"),
        ("arch/generic/mod.rs", "musl/mod.rs", "musl/b64/mod.rs", "musl/b64/x86_64/mod.rs"),
        known=(("read", 0), ("write", 1), ("exit_group", 231), ("cachestat", 451)),
    ),
    Arch(
        "x86", "i386-linux-gnu", "i386", ("-D__i386__",), 32, "generic",
        ("arch/generic/mod.rs", "gnu/mod.rs", "gnu/b32/mod.rs", "gnu/b32/x86/mod.rs"),
        known=(("write", 4), ("_llseek", 140), ("socketcall", 102), ("clock_gettime64", 403)),
        label="x86 (i386)",
    ),
    Arch(
        "aarch64", "aarch64-linux-gnu", "LP64", ("-D__aarch64__", "-D__LP64__"), 64, "generic",
        ("arch/generic/mod.rs", "gnu/mod.rs", "gnu/b64/mod.rs", "gnu/b64/aarch64/mod.rs",
         "gnu/b64/aarch64/lp64.rs"),
        known=(("io_setup", 0), ("write", 64), ("exit_group", 94), ("clone3", 435)),
    ),
    Arch(
        "arm", "arm-linux-gnueabihf", "EABI", ("-D__arm__", "-D__ARM_EABI__"), 32, "generic",
        ("arch/generic/mod.rs", "gnu/mod.rs", "gnu/b32/mod.rs", "gnu/b32/arm/mod.rs"),
        same_as=("arm-linux-gnueabi",),
        known=(("restart_syscall", 0), ("write", 4), ("_llseek", 140), ("clock_gettime64", 403)),
    ),
    Arch(
        "riscv64", "riscv64-linux-gnu", "LP64",
        ("-D__riscv", "-D__riscv_xlen=64", "-D__SIZEOF_POINTER__=8", "-D__LP64__"), 64, "generic",
        ("arch/generic/mod.rs", "gnu/mod.rs", "gnu/b64/mod.rs", "gnu/b64/riscv64/mod.rs"),
        known=(("write", 64), ("riscv_flush_icache", 259)),
    ),
    Arch(
        "powerpc64", "powerpc64le-linux-gnu", "64-bit",
        ("-D__powerpc__", "-D__powerpc64__", "-D__LP64__"), 64, "powerpc",
        ("arch/powerpc/mod.rs", "gnu/mod.rs", "gnu/b64/mod.rs", "gnu/b64/powerpc64/mod.rs"),
        same_as=("powerpc64-linux-gnu",),
        known=(("write", 4), ("mmap", 90), ("clone3", 435)),
    ),
    Arch(
        "s390x", "s390x-linux-gnu", "64-bit", ("-D__s390__", "-D__s390x__", "-D__LP64__"), 64,
        "generic",
        ("arch/generic/mod.rs", "gnu/mod.rs", "gnu/b64/mod.rs", "gnu/b64/s390x.rs"),
        known=(("exit", 1), ("write", 4), ("mmap", 90), ("clone3", 435)),
    ),
    Arch(
        "loongarch64", "loongarch64-linux-gnu", "LP64",
        ("-D__loongarch__", "-D__loongarch64", "-D__loongarch_grlen=64", "-D__CHAR_BIT__=8",
         "-D__SIZEOF_LONG__=8", "-D__LP64__"), 64, "generic",
        ("arch/generic/mod.rs", "gnu/mod.rs", "gnu/b64/mod.rs", "gnu/b64/loongarch64/mod.rs"),
        known=(("write", 64), ("exit_group", 94)),
    ),
    Arch(
        "mips", "mipsel-linux-gnu", "o32",
        ("-D__mips__", "-D_MIPS_SIM=_MIPS_SIM_ABI32", "-D_MIPS_SZLONG=32"), 32, "mips",
        ("arch/mips/mod.rs", "gnu/mod.rs", "gnu/b32/mod.rs", "gnu/b32/mips/mod.rs"),
        same_as=("mips-linux-gnu",),
        known=(("syscall", 4000), ("exit", 4001), ("write", 4004), ("clone3", 4435)),
        label="mips (o32)",
    ),
    Arch(
        "mips64", "mips64el-linux-gnuabi64", "n64",
        ("-D__mips__", "-D__mips64", "-D_MIPS_SIM=_MIPS_SIM_ABI64", "-D_MIPS_SZLONG=64",
         "-D__LP64__"), 64, "mips",
        ("arch/mips/mod.rs", "gnu/mod.rs", "gnu/b64/mod.rs", "gnu/b64/mips64/mod.rs"),
        same_as=("mips64-linux-gnuabi64",),
        known=(("read", 5000), ("write", 5001), ("clone3", 5435)),
        label="mips64 (n64)",
    ),
)

# Errno files: which architectures each serves (for the doc line) and which header set
# generates it; every other architecture listed must resolve to the identical table.
ERRNO_FILES = {
    "generic": ("x86_64", "x86", "aarch64", "arm", "riscv64", "s390x", "loongarch64"),
    "powerpc": ("powerpc64",),
    "mips": ("mips", "mips64"),
}

# libc files shared by every Linux target, under src/unix/linux_like/.
LIBC_COMMON = ("mod.rs", "linux_l4re_shared.rs", "linux/mod.rs")

# Syscalls added in recent kernels that the tables are expected to contain (reported, and
# required on the architectures in NEWEST_REQUIRED_ON).
NEWEST = (
    "futex_waitv", "cachestat", "fchmodat2", "map_shadow_stack", "futex_wake", "futex_wait",
    "futex_requeue", "statmount", "listmount", "lsm_get_self_attr", "lsm_set_self_attr",
    "lsm_list_modules", "mseal", "setxattrat", "getxattrat", "listxattrat", "removexattrat",
    "open_tree_attr", "file_getattr", "file_setattr",
)
NEWEST_REQUIRED_ON = ("x86_64", "aarch64")

RUST_KEYWORDS = frozenset(
    "as async await break const continue crate dyn else enum extern false fn for gen if impl in "
    "let loop match mod move mut pub ref return self Self static struct super trait true try "
    "type unsafe use where while abstract become box do final macro override priv typeof "
    "unsized virtual yield".split()
)

# `__NR_` macros that are not system calls (bases, counts, masks).
NOT_SYSCALLS = frozenset({"syscalls", "arch_specific_syscall"})


def fail(msg: str) -> None:
    """Stop with an error message."""
    sys.exit(f"gen-syscall-tables: error: {msg}")


def note(msg: str) -> None:
    """Informational output (stderr, so stdout stays clean)."""
    print(f"gen-syscall-tables: {msg}", file=sys.stderr)


def ident(name: str) -> str:
    """A Rust identifier for `name` (a raw identifier for keywords)."""
    if name in ("self", "Self", "super", "crate"):
        fail(f"{name!r} cannot be a Rust identifier")
    return f"r#{name}" if name in RUST_KEYWORDS else name


# --------------------------------------------------------------------------------------------
# Macro evaluation: integers, + - * and parentheses, identifiers substituted from the macro set.

TOKEN = re.compile(r"\s*(?:(0[xX][0-9a-fA-F]+|[0-9]+)[uUlL]*|([A-Za-z_][A-Za-z0-9_]*)|(.))")


def tokenize(text: str) -> list[tuple[str, object]]:
    """Split a macro body into ('int', value) / ('id', name) / ('op', char) tokens."""
    out: list[tuple[str, object]] = []
    pos = 0
    text = text.strip()
    while pos < len(text):
        m = TOKEN.match(text, pos)
        if not m or m.end() == pos:
            break
        pos = m.end()
        num, name, op = m.groups()
        if num is not None:
            if num[:2] in ("0x", "0X"):
                out.append(("int", int(num, 16)))
            else:  # C: a leading 0 means octal
                out.append(("int", int(num, 8 if len(num) > 1 and num[0] == "0" else 10)))
        elif name is not None:
            out.append(("id", name))
        elif op is not None and not op.isspace():
            if op not in "+-*()":
                raise ValueError(f"unsupported token {op!r} in {text!r}")
            out.append(("op", op))
    return out


def evaluate(name: str, macros: dict[str, str], depth: int = 0) -> int:
    """The integer value of object-like macro `name`, expanding other macros recursively."""
    if depth > 32:
        raise ValueError(f"macro {name} expands too deeply")
    if name not in macros:
        raise ValueError(f"undefined macro {name}")
    tokens = tokenize(macros[name])
    pos = 0

    def peek() -> tuple[str, object] | None:
        return tokens[pos] if pos < len(tokens) else None

    def take() -> tuple[str, object]:
        nonlocal pos
        if pos >= len(tokens):
            raise ValueError(f"unexpected end of {name} = {macros[name]!r}")
        pos += 1
        return tokens[pos - 1]

    def expr() -> int:
        value = term()
        while peek() in (("op", "+"), ("op", "-")):
            op = take()[1]
            rhs = term()
            value = value + rhs if op == "+" else value - rhs
        return value

    def term() -> int:
        value = unary()
        while peek() == ("op", "*"):
            take()
            value *= unary()
        return value

    def unary() -> int:
        tok = peek()
        if tok == ("op", "-"):
            take()
            return -unary()
        if tok == ("op", "+"):
            take()
            return unary()
        return atom()

    def atom() -> int:
        kind, value = take()
        if kind == "int":
            return int(value)  # type: ignore[arg-type]
        if kind == "id":
            return evaluate(str(value), macros, depth + 1)
        if (kind, value) == ("op", "("):
            inner = expr()
            if take() != ("op", ")"):
                raise ValueError(f"unbalanced parentheses in {name} = {macros[name]!r}")
            return inner
        raise ValueError(f"unexpected {value!r} in {name} = {macros[name]!r}")

    result = expr()
    if pos != len(tokens):
        raise ValueError(f"trailing tokens in {name} = {macros[name]!r}")
    return result


# --------------------------------------------------------------------------------------------
# Running the preprocessor.


class Headers:
    """An unpacked linux-libc-dev: `root` is its usr/include."""

    def __init__(self, root: Path, cpp: str):
        self.root = root
        self.cpp = cpp
        version_h = (root / "linux/version.h").read_text()
        parts = [re.search(rf"#define LINUX_VERSION_{k} (\d+)", version_h) for k in
                 ("MAJOR", "PATCHLEVEL", "SUBLEVEL")]
        if not all(parts):
            fail(f"cannot read the kernel version from {root}/linux/version.h")
        self.kernel = ".".join(p.group(1) for p in parts)  # type: ignore[union-attr]

    def preprocess(self, triplet: str, defines: tuple[str, ...],
                   source: str) -> tuple[dict[str, str], list[str]]:
        """`cpp -dM` of `source`: (object-like macros, headers read relative to the root)."""
        if not (self.root / triplet / "asm").is_dir():
            fail(f"{self.root}/{triplet}/asm is missing: the package lacks this architecture")
        args = [self.cpp, "-undef", "-nostdinc", "-I", str(self.root / triplet), "-I",
                str(self.root), *defines]
        run = subprocess.run([*args, "-dM", "-"], input=source, capture_output=True, text=True)
        if run.returncode != 0:
            fail(f"{self.cpp} failed for {triplet}:\n{run.stderr}")
        macros: dict[str, str] = {}
        for line in run.stdout.splitlines():
            m = re.match(r"#define ([A-Za-z_][A-Za-z0-9_]*)(?:\s+(.*))?$", line)
            if m:  # function-like macros have '(' right after the name and do not match
                macros[m.group(1)] = (m.group(2) or "").strip()
        deps = subprocess.run([*args, "-M", "-MT", "x", "-"], input=source, capture_output=True,
                              text=True)
        if deps.returncode != 0:
            fail(f"{self.cpp} -M failed for {triplet}:\n{deps.stderr}")
        files = []
        for word in deps.stdout.replace("\\\n", " ").split()[1:]:
            if word == "-":
                continue
            rel = os.path.relpath(word, self.root)
            files.append(rel)
        return macros, files


# --------------------------------------------------------------------------------------------
# System call numbers.


@dataclasses.dataclass
class Syscalls:
    numbers: dict[str, int]  # name -> number
    aliases: dict[str, str]  # name -> the name it is defined as
    files: list[str]  # headers read (relative to usr/include)


def syscalls_for(h: Headers, arch: Arch, triplet: str | None = None) -> Syscalls:
    triplet = triplet or arch.triplet
    macros, files = h.preprocess(triplet, arch.defines,
                                 "#include <asm/bitsperlong.h>\n#include <asm/unistd.h>\n")
    bits = evaluate("__BITS_PER_LONG", macros)
    if bits != arch.bits:
        fail(f"{arch.name}: __BITS_PER_LONG is {bits}, expected {arch.bits}: check the defines")
    numbers: dict[str, int] = {}
    aliases: dict[str, str] = {}
    for macro in sorted(macros):
        if not macro.startswith("__NR_"):
            continue
        name = macro[len("__NR_"):]
        # Lower-case names are calls; __NR_Linux, __NR_SYSCALL_BASE, __NR_O32_Linux... are not.
        if not re.fullmatch(r"[a-z_][a-z0-9_]*", name) or name in NOT_SYSCALLS:
            continue
        try:
            numbers[name] = evaluate(macro, macros)
        except ValueError as e:
            fail(f"{arch.name}: {e}")
        body = macros[macro]
        if re.fullmatch(r"__NR_[a-z_][a-z0-9_]*", body):
            aliases[name] = body[len("__NR_"):]
    for name, number in numbers.items():
        if not 0 <= number < 1 << 20:
            fail(f"{arch.name}: __NR_{name} = {number} is out of range")
    # Two names for one number are only fine when one is defined as the other.
    by_number: dict[int, list[str]] = {}
    for name, number in numbers.items():
        by_number.setdefault(number, []).append(name)
    for number, names in by_number.items():
        primaries = [n for n in names if n not in aliases]
        if len(primaries) != 1:
            fail(f"{arch.name}: number {number} has names {sorted(names)}")
    files = [f for f in files if "unistd" in f]
    return Syscalls(numbers, aliases, files)


# --------------------------------------------------------------------------------------------
# The `__sys_nr!` lookup macro: one arm per call of the architecture, a compile error with a
# replacement for every call only other architectures have, and a catch-all for the rest.

# What to use instead of a call an architecture lacks: groups of candidates, tried in order; the
# first group with a member the architecture has is suggested (every member it has). Names that
# differ only by a `64`, `_time64` or `32` suffix are paired by rule (`replacements`), before
# this table; what replaces the paired name also replaces the suffixed one (`lstat64` → `lstat`
# → `newfstatat`).
REPLACEMENTS: dict[str, tuple[tuple[str, ...], ...]] = {
    # Paths: the `*at` forms.
    "open": (("openat",),),
    "creat": (("openat",),),
    "stat": (("newfstatat", "fstatat64", "statx"),),
    "lstat": (("newfstatat", "fstatat64", "statx"),),
    "fstat": (("statx",),),
    "oldstat": (("stat",), ("newfstatat", "fstatat64", "statx")),
    "oldlstat": (("lstat",), ("newfstatat", "fstatat64", "statx")),
    "oldfstat": (("fstat",), ("statx",)),
    "newfstatat": (("fstatat64",), ("statx",)),
    "fstatat64": (("newfstatat",), ("statx",)),
    "access": (("faccessat",),),
    "mkdir": (("mkdirat",),),
    "rmdir": (("unlinkat",),),
    "unlink": (("unlinkat",),),
    "rename": (("renameat2",), ("renameat",)),
    "renameat": (("renameat2",),),
    "link": (("linkat",),),
    "symlink": (("symlinkat",),),
    "readlink": (("readlinkat",),),
    "chmod": (("fchmodat",),),
    "chown": (("fchownat",),),
    "lchown": (("fchownat",),),
    "mknod": (("mknodat",),),
    "getdents": (("getdents64",),),
    "readdir": (("getdents64",),),
    "utime": (("utimensat",),),
    "utimes": (("utimensat",),),
    "futimesat": (("utimensat",),),
    "umount": (("umount2",),),
    "ustat": (("statfs",),),
    # Descriptors.
    "pipe": (("pipe2",),),
    "dup2": (("dup3",),),
    "poll": (("ppoll",),),
    "select": (("pselect6",),),
    "_newselect": (("pselect6",),),
    "epoll_create": (("epoll_create1",),),
    "epoll_wait": (("epoll_pwait",),),
    "epoll_wait_old": (("epoll_wait",), ("epoll_pwait",)),
    "epoll_ctl_old": (("epoll_ctl",),),
    "signalfd": (("signalfd4",),),
    "eventfd": (("eventfd2",),),
    "inotify_init": (("inotify_init1",),),
    "timerfd": (("timerfd_create",),),
    "_llseek": (("lseek",),),
    "fadvise64": (("fadvise64_64", "arm_fadvise64_64"),),
    "fadvise64_64": (("fadvise64",), ("arm_fadvise64_64",)),
    "arm_fadvise64_64": (("fadvise64_64",), ("fadvise64",)),
    "sync_file_range": (("sync_file_range2",),),
    "sync_file_range2": (("sync_file_range",),),
    "arm_sync_file_range": (("sync_file_range",), ("sync_file_range2",)),
    "accept": (("accept4",),),
    "send": (("sendto",),),
    "recv": (("recvfrom",),),
    # Memory.
    "mmap": (("mmap2",),),
    "mmap2": (("mmap",),),
    # Processes, time and signals.
    "fork": (("clone",),),
    "vfork": (("clone",),),
    "waitpid": (("wait4",),),
    "getpgrp": (("getpgid",),),
    "nice": (("setpriority",),),
    "getrlimit": (("prlimit64",),),
    "setrlimit": (("prlimit64",),),
    "ugetrlimit": (("getrlimit",), ("prlimit64",)),
    "olduname": (("uname",),),
    "oldolduname": (("uname",),),
    "time": (("clock_gettime",),),
    "stime": (("clock_settime",),),
    "ftime": (("clock_gettime",),),
    "alarm": (("setitimer",),),
    "pause": (("ppoll",),),
    "signal": (("rt_sigaction",),),
    "sigaction": (("rt_sigaction",),),
    "sigprocmask": (("rt_sigprocmask",),),
    "sgetmask": (("rt_sigprocmask",),),
    "ssetmask": (("rt_sigprocmask",),),
    "sigpending": (("rt_sigpending",),),
    "sigsuspend": (("rt_sigsuspend",),),
    "sigreturn": (("rt_sigreturn",),),
    "semop": (("semtimedop", "semtimedop_time64"),),
}

# Multiplexers whose sub-calls have numbers of their own: a few of them, as examples.
MULTIPLEXED: dict[str, tuple[str, ...]] = {
    "socketcall": ("socket", "connect", "sendmsg", "recvmsg"),
    "ipc": ("semget", "semtimedop", "msgget", "shmget"),
}

# C library function names that are no system call on any architecture, and the call behind
# them: `pread` is a common first guess for `pread64`.
LIBC_NAMES: dict[str, tuple[tuple[str, ...], ...]] = {
    "pread": (("pread64",),),
    "pwrite": (("pwrite64",),),
    "fstatat": (("newfstatat", "fstatat64"),),
    "lseek64": (("_llseek",), ("lseek",)),
    "mmap64": (("mmap2",), ("mmap",)),
    "prlimit": (("prlimit64",),),
    "wait": (("wait4",),),
    "sbrk": (("brk",),),
    "posix_fadvise": (("fadvise64_64", "arm_fadvise64_64"), ("fadvise64",)),
    "posix_fallocate": (("fallocate",),),
}


def check_replacements(universe: set[str]) -> None:
    """Every name the tables suggest, and every key of REPLACEMENTS, must be a real call on
    some architecture; LIBC_NAMES keys must not be (they would shadow a real arm)."""
    for table, keys_real in ((REPLACEMENTS, True), (LIBC_NAMES, False)):
        for key, groups in table.items():
            if (key in universe) != keys_real:
                fail(f"replacement table: `{key}` is {'not ' if keys_real else ''}a system call")
            for name in (n for g in groups for n in g):
                if name not in universe:
                    fail(f"replacement table: `{key}` → `{name}`, which no architecture has")
    for key, names in MULTIPLEXED.items():
        if key not in universe or not set(names) <= universe:
            fail(f"MULTIPLEXED: `{key}` or one of its calls is no system call")


def replacements(name: str, have: set[str], universe: set[str]) -> list[str]:
    """The calls of an architecture (`have`) to suggest instead of `name`, which it lacks."""
    paired = [name[: -len(s)] for s in ("_time64", "64", "32") if name.endswith(s)]
    paired += [name + s for s in ("64", "_time64")]
    paired = [p for p in paired if p in universe]
    groups: list[tuple[str, ...]] = [tuple(paired)] if paired else []
    groups += REPLACEMENTS.get(name, LIBC_NAMES.get(name, ()))
    for p in paired:
        groups += REPLACEMENTS.get(p, ())
    for group in groups:
        if hit := [n for n in group if n in have]:
            return hit
    return []


def english_list(items: list[str]) -> str:
    return ", ".join(items[:-1]) + (" and " if len(items) > 1 else "") + items[-1]


def render_sys_nr(arch: Arch, calls: Syscalls, all_calls: dict[str, set[str]]) -> list[str]:
    """The lines of `__sys_nr!` for `arch`; `all_calls` has every architecture's names."""
    have = set(calls.numbers)
    universe = set().union(*all_calls.values())
    check_replacements(universe)
    where = arch.human

    def patterns(name: str) -> list[str]:
        # A keyword is matched written bare (what `#[syscall]` passes) and raw.
        return [name, f"r#{name}"] if ident(name) != name else [name]

    def error(message: str) -> str:
        return f"::core::compile_error!({rust_str(message)})"

    arms: list[tuple[str, str]] = []
    order = sorted(calls.numbers.items(), key=lambda kv: (kv[1], kv[0] in calls.aliases, kv[0]))
    for name, _ in order:
        arms += [(p, f"$crate::nr::{ident(name)}") for p in patterns(name)]
    for name in sorted(universe - have):
        if name in MULTIPLEXED and (use := [n for n in MULTIPLEXED[name] if n in have]):
            tail = f"; use the separate calls instead ({', '.join(f'`{n}`' for n in use)}, …)"
        elif use := replacements(name, have, universe):
            tail = f"; use {' or '.join(f'`{n}`' for n in use)} instead"
        else:
            others = [a for a in ARCHES if a.name != arch.name]
            owners = [a.human for a in others if name in all_calls[a.name]]
            if len(owners) == len(others):
                tail = "; every other supported architecture has it"
            else:
                tail = f"; only {english_list(owners)} {'has' if len(owners) == 1 else 'have'} it"
        message = f"system call `{name}` does not exist on {where}{tail}"
        arms += [(p, error(message)) for p in patterns(name)]
    for name in sorted(LIBC_NAMES):
        if use := replacements(name, have, universe):
            message = (f"`{name}` is a C library function, not a system call on {where}; use "
                       f"{' or '.join(f'`{n}`' for n in use)} instead")
            arms += [(p, error(message)) for p in patterns(name)]

    out = [
        f"/// The number of system call `$name` on {where}, as a `usize` constant expression.",
        "///",
        f"/// A call that {where} lacks but another architecture has is a compile error naming",
        "/// the replacement; any other name is a compile error too. Reached as",
        "/// `sys_core::nr::sys_nr!`; the expansions of `#[syscall]` use it.",
        "#[doc(hidden)]",
        "#[macro_export]",
        "macro_rules! __sys_nr {",
    ]
    out += [f"    ({p}) => {{ {body} }};" for p, body in arms]
    catch_all = (
        '::core::compile_error!(::core::concat!("unknown system call `", '
        f'::core::stringify!($other), "` on {where}: the kernel headers have no __NR_", '
        '::core::stringify!($other), "; declare it with `nr = N`"))'
    )
    out.append(f"    ($other:ident) => {{ {catch_all} }};")
    out.append("}")
    return out


def render_nr(arch: Arch, calls: Syscalls, all_calls: dict[str, set[str]], source: str,
              kernel: str) -> str:
    out = [
        f"// @generated by {GENERATOR} from {source}, kernel {kernel}: "
        f"{', '.join(calls.files)}. Do not edit.",
        f"//! System call numbers for {arch.name} ({arch.abi}), from the kernel's uapi headers,",
        "//! and the lookup by name behind `sys_core::nr::sys_nr!`.",
        "#![allow(non_upper_case_globals)]",
        "",
    ]
    order = sorted(calls.numbers.items(), key=lambda kv: (kv[1], kv[0] in calls.aliases, kv[0]))
    for name, number in order:
        if name in calls.aliases:
            out.append(f"/// `{name}` ({number}), another name for `{calls.aliases[name]}`")
            out.append(f"pub const {ident(name)}: usize = {ident(calls.aliases[name])};")
        else:
            out.append(f"/// `{name}` ({number})")
            out.append(f"pub const {ident(name)}: usize = {number};")
    out.append("")
    out.append("/// Every call as (name, number), sorted by number.")
    entries = ", ".join(f'("{name}", {number})' for name, number in order)
    out.append(f"pub(crate) static NAMES: &[(&str, usize)] = &[{entries}];")
    out.append("")
    out += render_sys_nr(arch, calls, all_calls)
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------------------------
# Errno values.


@dataclasses.dataclass
class ErrnoDef:
    name: str
    value: int | None  # None for an alias
    target: str | None  # the name an alias is defined as
    message: str | None


@dataclasses.dataclass
class Errnos:
    primaries: dict[str, tuple[int, str]]  # name -> (value, message)
    aliases: dict[str, tuple[str, str]]  # alias -> (primary, message)
    files: list[str]


DEFINE = re.compile(
    r"#\s*define\s+(E[A-Z0-9]+)\s+([0-9]+|E[A-Z0-9]+)\s*(?:/\*\s*(.*?)\s*\*/)?\s*$"
)


def read_errno_defines(root: Path, triplet: str) -> tuple[list[ErrnoDef], list[str]]:
    """Follow asm/errno.h's #include/#define/#undef as text, keeping the comments."""
    defs: dict[str, ErrnoDef] = {}
    order: list[str] = []
    files: list[str] = []

    def visit(rel: str) -> None:
        for base in (root / triplet, root):
            path = base / rel
            if path.is_file():
                break
        else:
            fail(f"cannot find <{rel}> for {triplet}")
        files.append(os.path.relpath(path, root))
        in_comment = False
        for raw in path.read_text().splitlines():
            line = raw.strip()
            if in_comment:
                if "*/" in line:
                    in_comment = False
                continue
            if line.startswith("/*") and "*/" not in line:
                in_comment = True
                continue
            if m := re.match(r"#\s*include\s*<([^>]+)>", line):
                visit(m.group(1))
            elif m := re.match(r"#\s*undef\s+(E[A-Z0-9]+)\b", line):
                defs.pop(m.group(1), None)
            elif line.startswith("#") and re.match(r"#\s*define\s+E", line):
                m = DEFINE.match(line)
                if not m:
                    fail(f"{path}: cannot parse {raw!r}")
                name, value, message = m.groups()
                if value.isdigit():
                    defs[name] = ErrnoDef(name, int(value), None, message)
                else:
                    defs[name] = ErrnoDef(name, None, value, message)
                if name in order:
                    order.remove(name)
                order.append(name)

    visit("asm/errno.h")
    return [defs[n] for n in order if n in defs], files


def errnos_for(h: Headers, triplet: str, defines: tuple[str, ...]) -> Errnos:
    defs, files = read_errno_defines(h.root, triplet)
    primaries: dict[str, tuple[int, str]] = {}
    by_value: dict[int, str] = {}
    alias_of: dict[str, tuple[str, str | None]] = {}
    for d in defs:
        if d.value is not None and d.value in by_value:
            # Two numeric defines with one value: the later one is an alias of the earlier.
            note(f"{triplet}: {d.name} = {d.value} duplicates {by_value[d.value]}; made an alias")
            alias_of[d.name] = (by_value[d.value], d.message)
        elif d.value is not None:
            if not 1 <= d.value <= 4095:
                fail(f"{triplet}: {d.name} = {d.value} is outside 1..=4095")
            if d.message is None:
                fail(f"{triplet}: {d.name} has no message comment")
            primaries[d.name] = (d.value, d.message)
            by_value[d.value] = d.name
        else:
            alias_of[d.name] = (str(d.target), d.message)
    aliases: dict[str, tuple[str, str]] = {}
    for name, (target, message) in alias_of.items():
        seen = {name}
        while target in alias_of:
            if target in seen:
                fail(f"{triplet}: alias loop at {name}")
            seen.add(target)
            target = alias_of[target][0]
        if target not in primaries:
            fail(f"{triplet}: {name} names {target}, which is not defined")
        aliases[name] = (target, message or primaries[target][1])
    # Cross-check the text parse against the preprocessor's view of the same header.
    macros, _ = h.preprocess(triplet, defines, "#include <asm/errno.h>\n")
    cpp_names = {m for m in macros if re.fullmatch(r"E[A-Z0-9]+", m)}
    ours = set(primaries) | set(aliases)
    if cpp_names != ours:
        fail(f"{triplet}: errno names differ from cpp: {sorted(cpp_names ^ ours)}")
    for name in ours:
        value = primaries[name][0] if name in primaries else primaries[aliases[name][0]][0]
        if evaluate(name, macros) != value:
            fail(f"{triplet}: {name} parsed as {value}, cpp says {evaluate(name, macros)}")
    return Errnos(primaries, aliases, files)


def rust_str(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def render_errno(arches: tuple[str, ...], e: Errnos, source: str, kernel: str) -> str:
    names = ", ".join(arches[:-1]) + (" and " if len(arches) > 1 else "") + arches[-1]
    out = [
        f"// @generated by {GENERATOR} from {source}, kernel {kernel}: "
        f"{', '.join(e.files)}. Do not edit.",
        f"//! Errno values for {names}, from the kernel's uapi headers "
        f"(`{'`, `'.join(e.files)}`).",
        "",
        "use super::Errno;",
        "",
        "impl Errno {",
    ]
    ordered = sorted(e.primaries.items(), key=lambda kv: kv[1][0])
    for name, (value, message) in ordered:
        out.append(f"    /// {message}")
        out.append(f"    pub const {name}: Errno = Errno::from_const({value});")
    for alias, (target, message) in sorted(e.aliases.items()):
        out.append(f"    /// {message} (another name for `{target}`)")
        out.append(f"    pub const {alias}: Errno = Errno::{target};")
    out.append("}")
    out.append("")
    out.append("/// (value, name, message), sorted by value; one primary name per value.")
    rows = ", ".join(f"({v}, {rust_str(n)}, {rust_str(m)})" for n, (v, m) in ordered)
    out.append(f"pub(crate) static TABLE: &[(u16, &str, &str)] = &[{rows}];")
    out.append("")
    out.append("/// (alias, primary name).")
    rows = ", ".join(f"({rust_str(a)}, {rust_str(t)})" for a, (t, _) in sorted(e.aliases.items()))
    out.append(f"pub(crate) static ALIASES: &[(&str, &str)] = &[{rows}];")
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------------------------
# The libc crate cross-check data.

LIBC_CONST = re.compile(r"pub const (?:(SYS_[a-z0-9_]+): c_long|(E[A-Z0-9]+): c_int) = ")


def cfg_eval(text: str, target: dict[str, str]) -> bool | None:
    """Evaluate a `cfg(...)` predicate for `target` (key -> value) with three-valued logic:
    None when it depends on something the target does not fix (features, libc's own cfgs)."""
    tokens = re.findall(r'[A-Za-z_][A-Za-z0-9_]*|"[^"]*"|[(),=]', text)
    pos = 0

    def pred() -> bool | None:
        nonlocal pos
        name = tokens[pos]
        pos += 1
        if name in ("any", "all", "not") and pos < len(tokens) and tokens[pos] == "(":
            pos += 1
            args: list[bool | None] = []
            while tokens[pos] != ")":
                args.append(pred())
                if tokens[pos] == ",":
                    pos += 1
            pos += 1
            if name == "not":
                return None if args[0] is None else not args[0]
            if name == "any":
                return True if True in args else (None if None in args else False)
            return False if False in args else (None if None in args else True)
        if pos < len(tokens) and tokens[pos] == "=":
            value = tokens[pos + 1].strip('"')
            pos += 2
            return target[name] == value if name in target else None
        return None  # a bare cfg such as `doc` or `gnu_time_bits64`

    result = pred()
    return result if pos == len(tokens) else None


def libc_names(libc_src: Path, files: tuple[str, ...],
               target: dict[str, str]) -> tuple[set[str], set[str]]:
    """Syscall names (without SYS_) and E* names that `files` (paths under
    src/unix/linux_like/) define for `target`: top-level items, and items of the `cfg_if!`
    branch that applies. A `cfg_if!` whose choice depends on something unknown (a feature,
    libc's own cfgs such as `gnu_time_bits64`) is skipped from that branch on, and so is any
    item with an attribute: the lists may miss names, never claim one libc lacks."""
    sys_names: set[str] = set()
    e_names: set[str] = set()
    base = libc_src / "src/unix/linux_like"

    def add(line: str, previous: str) -> None:
        m = LIBC_CONST.match(line)
        if m and not previous.lstrip().startswith("#["):
            name = m.group(1) or m.group(2)
            if name.startswith("SYS_"):
                sys_names.add(name[4:])
            else:
                e_names.add(name)

    for rel in files:
        path = base / rel
        if not path.is_file():
            fail(f"libc file {path} is missing (libc version changed?)")
        lines = path.read_text().splitlines()
        previous = ""
        i = 0
        while i < len(lines):
            line = lines[i]
            if line.startswith("cfg_if! {"):
                # Branch heads at 4 spaces (`if #[cfg(..)] {`, `} else if #[cfg(..)] {`,
                # `} else {`), items at 8 spaces, the block closes with `}` at column 0.
                state = "search"  # then "taking" (in the chosen branch) or "done"
                inner_prev = ""
                i += 1
                while i < len(lines) and not lines[i].startswith("}"):
                    head = lines[i]
                    m = re.match(r"    (?:\} else )?if #\[cfg\((.*)$", head)
                    if m or head.startswith("    } else {") or head.startswith("    }"):
                        if state == "taking":
                            state = "done"
                        if m and state == "search":
                            cond = m.group(1)
                            while not re.search(r"\)\]\s*\{\s*$", cond):
                                i += 1
                                cond += " " + lines[i].strip()
                            value = cfg_eval(re.sub(r"\)\]\s*\{\s*$", "", cond), target)
                            if value is True:
                                state = "taking"
                            elif value is None:
                                state = "done"
                        elif head.startswith("    } else {") and state == "search":
                            state = "taking"
                        inner_prev = ""
                    elif state == "taking" and head.startswith("        ") and \
                            not head.startswith("         "):
                        add(head[8:], inner_prev)
                    if head.strip():
                        inner_prev = head
                    i += 1
                previous = "}"
                i += 1
                continue
            add(line, previous)  # column 0 only: top-level items
            if line.strip():
                previous = line
            i += 1
    return sys_names, e_names


def find_libc(repo: Path) -> tuple[Path, str]:
    run = subprocess.run(["cargo", "metadata", "--format-version", "1", "--locked"],
                         cwd=repo, capture_output=True, text=True)
    if run.returncode != 0:
        fail(f"cargo metadata failed:\n{run.stderr}")
    for pkg in json.loads(run.stdout)["packages"]:
        if pkg["name"] == "libc":
            return Path(pkg["manifest_path"]).parent, pkg["version"]
    fail("the libc crate is not in the workspace's dependency graph")
    raise AssertionError


def render_crosscheck(arch: Arch, calls: Syscalls, errno_names: set[str], libc_version: str,
                      libc_files: list[str], sys_names: set[str], e_names: set[str]) -> str:
    out = [
        f"// @generated by {GENERATOR} from sys-core's tables and the libc crate {libc_version} "
        f"({', '.join(libc_files)}). Do not edit.",
        f"//! The names sys-core and the libc crate both define for {arch.name}"
        + (" (gnu and musl)" if arch.libc_musl else "") + ", for `libc_crosscheck.rs`.",
        "",
        "/// Every syscall number both sys-core and the libc crate define for this target.",
        "pub fn numbers(check: &mut dyn FnMut(&'static str, usize, libc::c_long)) {",
    ]
    for name in sorted(set(calls.numbers) & sys_names):
        out.append(f'    check("{name}", sys_core::nr::{ident(name)}, libc::SYS_{name});')
    out.append("}")
    out.append("")
    out.append("/// Every errno both define for this target.")
    out.append("pub fn errnos(check: &mut dyn FnMut(&'static str, i32, libc::c_int)) {")
    for name in sorted(errno_names & e_names):
        out.append(f'    check("{name}", sys_core::Errno::{name}.raw(), libc::{name});')
    out.append("}")
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------------------------


def rustfmt(text: str, cwd: Path) -> str:
    run = subprocess.run(["rustfmt", "--edition", "2024", "--emit", "stdout"], input=text,
                         capture_output=True, text=True, cwd=cwd)
    if run.returncode != 0:
        fail(f"rustfmt failed:\n{run.stderr}\n--- input ---\n{text[:2000]}")
    return run.stdout


def write(path: Path, text: str, repo: Path, written: list[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = rustfmt(text, path.parent)
    old = path.read_text() if path.exists() else None
    if old != text:
        path.write_text(text)
        written.append(str(path.relative_to(repo)))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--headers", required=True, type=Path,
                    help="usr/include of an unpacked linux-libc-dev")
    ap.add_argument("--source", required=True,
                    help="what the headers are, for the @generated line "
                    '("Debian linux-libc-dev 7.3.4-1")')
    ap.add_argument("--repo", type=Path, default=Path(__file__).resolve().parent.parent)
    ap.add_argument("--cpp", default="cpp")
    args = ap.parse_args()

    repo: Path = args.repo
    h = Headers(args.headers.resolve(), args.cpp)
    libc_src, libc_version = find_libc(repo)
    note(f"headers: {args.source}, kernel {h.kernel}; libc {libc_version} at {libc_src}")
    written: list[str] = []
    summary: list[str] = []

    # Errno tables.
    errno_tables: dict[str, Errnos] = {}
    for kind, arch_names in ERRNO_FILES.items():
        tables = []
        for arch_name in arch_names:
            arch = next(a for a in ARCHES if a.name == arch_name)
            for triplet in (arch.triplet, *arch.same_as):
                tables.append((triplet, errnos_for(h, triplet, arch.defines)))
        first_triplet, first = tables[0]
        for triplet, other in tables[1:]:
            if (other.primaries, other.aliases) != (first.primaries, first.aliases):
                fail(f"errno tables of {first_triplet} and {triplet} differ")
        errno_tables[kind] = first
        write(repo / f"sys-core/src/errno/{kind}.rs",
              render_errno(arch_names, first, args.source, h.kernel), repo, written)
        summary.append(f"errno/{kind}.rs: {len(first.primaries)} values, "
                       f"{len(first.aliases)} aliases")
    all_names = {k: set(e.primaries) | set(e.aliases) for k, e in errno_tables.items()}
    union = set().union(*all_names.values())
    for kind, names in all_names.items():
        if missing := sorted(union - names):
            summary.append(f"errno/{kind}.rs lacks {', '.join(missing)}")

    # Syscall numbers and the crosscheck data; every architecture's names first, for the
    # errors `__sys_nr!` gives for calls only other architectures have.
    arch_calls = {arch.name: syscalls_for(h, arch) for arch in ARCHES}
    all_calls = {name: set(calls.numbers) for name, calls in arch_calls.items()}
    for arch in ARCHES:
        calls = arch_calls[arch.name]
        for triplet in arch.same_as:
            other = syscalls_for(h, arch, triplet)
            if (other.numbers, other.aliases) != (calls.numbers, calls.aliases):
                fail(f"{arch.name}: {arch.triplet} and {triplet} give different numbers")
        for name, number in arch.known:
            if calls.numbers.get(name) != number:
                fail(f"{arch.name}: sanity check failed: {name} = {calls.numbers.get(name)}, "
                     f"expected {number}")
        missing_new = [n for n in NEWEST if n not in calls.numbers]
        if arch.name in NEWEST_REQUIRED_ON and missing_new:
            fail(f"{arch.name}: headers too old, missing {missing_new}")
        write(repo / f"sys-core/src/nr/{arch.name}.rs",
              render_nr(arch, calls, all_calls, args.source, h.kernel), repo, written)

        files = [*LIBC_COMMON, *(f"linux/{f}" for f in arch.libc_gnu)]
        gnu = {"target_os": "linux", "target_family": "unix", "target_env": "gnu",
               "target_arch": arch.name, "target_pointer_width": str(arch.bits)}
        sys_names, e_names = libc_names(libc_src, tuple(files), gnu)
        if arch.libc_musl:
            musl_files = [*LIBC_COMMON, *(f"linux/{f}" for f in arch.libc_musl)]
            musl_sys, musl_e = libc_names(libc_src, tuple(musl_files),
                                          {**gnu, "target_env": "musl"})
            sys_names &= musl_sys
            e_names &= musl_e
            files += [f for f in musl_files if f not in files]
        libc_files = [f"src/unix/linux_like/{f}" for f in files]
        errno_names = all_names[arch.errno]
        write(repo / f"sys-core/tests/crosscheck/{arch.name}.rs",
              render_crosscheck(arch, calls, errno_names, libc_version, libc_files, sys_names,
                                e_names), repo, written)
        checked = len(set(calls.numbers) & sys_names)
        only_libc = sorted(sys_names - set(calls.numbers))
        line = (f"nr/{arch.name}.rs: {len(calls.numbers)} calls "
                f"({len(calls.aliases)} aliases); checked against libc: {checked} numbers, "
                f"{len(errno_names & e_names)} errnos")
        if only_libc:
            line += f"; libc-only SYS_ names: {', '.join(only_libc)}"
        if missing_new:
            line += f"; lacks {', '.join(missing_new)}"
        summary.append(line)

    for line in summary:
        note(line)
    note(f"{len(written)} file(s) changed" + (": " + ", ".join(written) if written else ""))


if __name__ == "__main__":
    main()
