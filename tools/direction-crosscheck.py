#!/usr/bin/env python3
"""Cross-check the macro's direction facts against syzkaller's, as a table for humans.

Reads the generated table sys-macros/src/proto_table.rs (per call, per parameter: `kind` In/Out
and `writes_inside`; per call: `writes`) and tools/data/syzkaller-directions.tsv (facts read from
syzkaller's sys/linux descriptions), classifies every pointer argument both sources describe, and
prints agreements and disagreements. The same comparison is a unit test in the sys-macros crate
(sys-macros/src/directions_test.rs), which also holds the explanation of every disagreement;
docs/directions.md summarises both.

Classes (one letter per side):
  R  the kernel only reads the pointee           (ours: In without writes_inside;
                                                  syzkaller: only `in`, nothing inner out/inout)
  I  it reads the pointee and writes through      (ours: In with writes_inside;
     pointers found inside                        syzkaller: `in` with an inner out/inout buffer)
  W  it writes the pointee                        (ours: Out; syzkaller: out or inout in a variant)
  N  syzkaller gives no direction (vma, scalar, or no argument there): not compared

Usage: tools/direction-crosscheck.py [--all | --markdown]
  --all       also print the agreeing arguments
  --markdown  print the summary and the explained disagreements as Markdown (docs/directions.md)
"""

import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TABLE = os.path.join(ROOT, "sys-macros", "src", "proto_table.rs")
FACTS = os.path.join(ROOT, "tools", "data", "syzkaller-directions.tsv")
TEST = os.path.join(ROOT, "sys-macros", "src", "directions_test.rs")


def parse_table(path):
    """name -> (params or None, writes); params: list of (name, kind, writes_inside or None)."""
    text = open(path, encoding="utf-8").read()
    calls = {}
    for block in re.split(r"\n    KProto \{", text)[1:]:
        name = re.search(r'name: "([^"]+)"', block).group(1)
        writes = re.search(r"\bwrites: (true|false)", block).group(1) == "true"
        if re.search(r"params: None", block):
            params = None
        else:
            params = []
            for p in re.finditer(
                r'KParam \{\s*name: "([^"]*)",.*?kind: (\w+),.*?writes_inside: '
                r'(None|Some\(\s*"((?:[^"\\]|\\.)*)")',
                block,
                re.S,
            ):
                params.append((p.group(1), p.group(2), p.group(4)))
        calls[name] = (params, writes)
    return calls


def parse_facts(path):
    """call -> {"state": described|absent, "args": {index: (name, set(top), inner)}}."""
    facts = {}
    for line in open(path, encoding="utf-8"):
        if line.startswith("#") or not line.strip():
            continue
        call, arg, name, top, inner, _src = line.rstrip("\n").split("\t")
        entry = facts.setdefault(call, {"state": "described", "args": {}})
        if top == "absent":
            entry["state"] = "absent"
        elif arg != "-":
            entry["args"][int(arg)] = (name, set(top.split(",")), inner == "yes")
    return facts


def parse_known(path):
    """(call, index or None, ours, syz) -> (wrong side, why), from the test's KNOWN list."""
    known = {}
    pat = re.compile(
        r'k\("([^"]+)", (None|Some\((\d+)\)), ([RIW]), ([RIW]), (Ours|Syzkaller|Both|Deliberate), "((?:[^"\\]|\\.)*)"\)'
    )
    for m in pat.finditer(open(path, encoding="utf-8").read()):
        index = int(m.group(3)) if m.group(3) else None
        known[(m.group(1), index, m.group(4), m.group(5))] = (m.group(6), m.group(7))
    return known


def ours_class(kind, writes_inside):
    if kind == "Out":
        return "W"
    if kind == "In":
        return "I" if writes_inside else "R"
    return None


def syz_class(top, inner):
    if "out" in top or "inout" in top:
        return "W"
    if "in" in top:
        return "I" if inner else "R"
    return "N"


def syz_writes(entry):
    return any(syz_class(t, i) in "WI" for _n, t, i in entry["args"].values())


def compare(calls, facts):
    """Rows (call, index, our name, ours, syz, syzkaller's name) and call-level rows."""
    args, whole = [], []
    for call in sorted(calls):
        params, writes = calls[call]
        entry = facts.get(call)
        if entry is None or entry["state"] == "absent":
            continue
        for i, (pname, kind, wi) in enumerate(params or []):
            ours = ours_class(kind, wi)
            if ours is None:
                continue
            name, top, inner = entry["args"].get(i, ("-", set(), False))
            args.append((call, i, pname, ours, syz_class(top, inner), name))
        if not writes and syz_writes(entry):
            whole.append((call, "ours: writes no memory", "syzkaller: some variant writes"))
    return args, whole


def main():
    show_all = "--all" in sys.argv[1:]
    markdown = "--markdown" in sys.argv[1:]
    calls, facts = parse_table(TABLE), parse_facts(FACTS)
    known = parse_known(TEST)
    described = sorted(c for c in calls if facts.get(c, {}).get("state") == "described")
    absent = sorted(c for c in calls if c not in described)
    args, whole = compare(calls, facts)
    compared = [a for a in args if a[4] != "N"]
    agree = [a for a in compared if a[3] == a[4]]
    differ = [(a[0], a[1], a[3], a[4], a[2], a[5]) for a in compared if a[3] != a[4]]
    differ += [(c, None, "R", "W", "(whole call)", "-") for c, _o, _s in whole]
    sides = {}
    for d in differ:
        side = known.get(d[:4], ("UNLISTED", ""))[0]
        sides[side] = sides.get(side, 0) + 1
    summary = [
        f"calls in our table: {len(calls)}; described by syzkaller: {len(described)}; "
        f"absent: {len(absent)}",
        f"pointer arguments of described calls: {len(args)}; compared: {len(compared)}; "
        f"agree: {len(agree)}; disagree: {len(compared) - len(agree)}; "
        f"syzkaller gives no direction: {len(args) - len(compared)}",
        f"calls our table says write nothing while a syzkaller variant writes: {len(whole)}",
        "disagreements by the side that is wrong: "
        + ", ".join(f"{k} {v}" for k, v in sorted(sides.items())),
    ]
    if markdown:
        for line in summary:
            print(f"- {line}")
        print()
        print("| call | argument | ours | syzkaller | wrong | why |")
        print("| --- | --- | --- | --- | --- | --- |")
        for call, i, ours, syz, pname, _sname in sorted(differ, key=lambda d: (d[0], d[1] or -1)):
            side, why = known.get((call, i, ours, syz), ("UNLISTED", ""))
            arg = "whole call (`writes`)" if i is None else f"{i} `{pname}`"
            print(f"| `{call}` | {arg} | {ours} | {syz} | {side} | {why} |")
        print()
        print("Absent (" + str(len(absent)) + "): " + ", ".join(f"`{a}`" for a in absent))
        return
    for line in summary:
        print(line)
    print()
    fmt = "{:<20} {:>4}  {:<14} {:<4} {:<4} {:<9} {}"
    print(fmt.format("call", "arg", "ours (name)", "ours", "syz", "wrong", "why"))
    rows = differ
    if show_all:
        rows = rows + [(a[0], a[1], a[3], a[4], a[2], a[5]) for a in agree]
    for call, i, ours, syz, pname, _sname in sorted(rows, key=lambda d: (d[0], d[1] or -1)):
        side, why = ("", "") if ours == syz else known.get((call, i, ours, syz), ("UNLISTED", ""))
        print(fmt.format(call, "-" if i is None else i, pname, ours, syz, side, why))
    print()
    print("absent:", " ".join(absent))


if __name__ == "__main__":
    main()
