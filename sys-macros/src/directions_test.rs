//! The table's direction facts cross-checked against a second, independent source: syzkaller's
//! system call descriptions (google/syzkaller, `sys/linux/*.txt`), read by hand into
//! `tools/data/syzkaller-directions.tsv` (its header names the files and commits).
//!
//! Every pointer argument both sources describe is put in one class per source: the kernel only
//! reads the pointee (`R`), reads it and writes through pointers found inside (`I`, our
//! `writes_inside`), or writes the pointee (`W`). Every call where our table says the call
//! writes no memory while some syzkaller variant writes is compared too. Each disagreement must
//! be listed in [`KNOWN`] with the side that is wrong and why; an unlisted disagreement fails, and
//! so does a listed one that no longer occurs (the table changed: update the list).
//! `tools/direction-crosscheck.py` prints the same comparison; `docs/directions.md` sums it up.

use crate::kproto::{KProto, Kind};
use crate::proto_table::PROTOS;
use std::collections::{BTreeMap, BTreeSet};

/// The facts read from syzkaller's descriptions.
const FACTS: &str = include_str!("../../tools/data/syzkaller-directions.tsv");

/// What one source says the kernel does with one pointer argument.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Class {
    /// Reads the pointee only.
    R,
    /// Reads the pointee and writes through pointers found inside it.
    I,
    /// Writes the pointee.
    W,
    /// No direction given (syzkaller: an address of a mapping, an integer, no argument there).
    N,
}

/// Which side of a disagreement is wrong.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Wrong {
    /// Syzkaller's description is imprecise there (it describes for fuzzing, not for aliasing).
    Syzkaller,
    /// Neither: our table is stricter on purpose (the kernel writes later, outside the call).
    Deliberate,
}

/// One explained disagreement. `arg: None` is the call-level one: our table says the call writes
/// no memory (`ours` is then `R`), while a syzkaller variant writes (`syz` is then `W`).
struct Known {
    call: &'static str,
    arg: Option<usize>,
    ours: Class,
    syz: Class,
    wrong: Wrong,
    why: &'static str,
}

const fn k(
    call: &'static str,
    arg: Option<usize>,
    ours: Class,
    syz: Class,
    wrong: Wrong,
    why: &'static str,
) -> Known {
    Known {
        call,
        arg,
        ours,
        syz,
        wrong,
        why,
    }
}

use Class::{I, R, W};
use Wrong::{Deliberate, Syzkaller};

/// Every disagreement between the two sources, explained (kernel 7.3 source as the judge).
#[rustfmt::skip]
static KNOWN: &[Known] = &[
    // Calls that write, where syzkaller only models the reading half.
    k("capget", Some(0), W, R, Syzkaller, "the kernel writes the header's version field back when the version it was given is unknown"),
    k("capget", Some(1), W, R, Syzkaller, "capget fills the capability data: it is the call's output"),
    k("capset", Some(0), W, R, Syzkaller, "capset validates the header like capget and writes the version field back on an unknown version"),
    k("clock_adjtime", Some(1), W, R, Syzkaller, "the kernel writes the clock's state back into the timex structure"),
    k("futex", Some(0), W, R, Syzkaller, "the PI operations (FUTEX_LOCK_PI, FUTEX_UNLOCK_PI, ...) store the owner's thread id in the futex word"),
    k("futex", Some(4), W, R, Syzkaller, "FUTEX_WAKE_OP applies its operation to the second futex word; the requeue-PI operations write it too"),
    k("name_to_handle_at", Some(2), W, R, Syzkaller, "the kernel fills the file handle (and its size field on EOVERFLOW)"),
    k("perf_event_open", Some(0), W, I, Syzkaller, "the kernel writes the attribute's size field back on E2BIG; syzkaller's inner out is a breakpoint address, which the call does not write"),
    k("poll", Some(0), W, R, Syzkaller, "the kernel writes each pollfd's revents"),
    k("ppoll", Some(0), W, R, Syzkaller, "the kernel writes each pollfd's revents"),
    k("ppoll", Some(2), W, R, Syzkaller, "the kernel writes the time left back into the timeout"),
    k("recvfrom", Some(4), W, R, Syzkaller, "the kernel writes the sender's address there (syzkaller also gives the length argument by value, not as the int * it is)"),
    k("recvmmsg", Some(1), W, I, Syzkaller, "besides the buffers the iovecs point at, the kernel writes each header's msg_len, msg_namelen, msg_controllen and msg_flags"),
    k("recvmmsg", Some(4), W, R, Syzkaller, "the kernel writes the time left back into the timeout"),
    k("recvmsg", Some(1), W, I, Syzkaller, "besides the buffers the iovecs point at, the kernel writes the header's msg_namelen, msg_controllen and msg_flags"),
    k("rseq", Some(0), W, R, Syzkaller, "the kernel writes the current CPU's ids into the registered area (syzkaller gives those fields as constants)"),
    k("sched_setattr", Some(1), W, R, Syzkaller, "the kernel writes its own size of sched_attr into the size field on E2BIG"),
    k("sendmmsg", Some(1), W, R, Syzkaller, "the kernel writes each header's msg_len, the bytes sent for that message"),
    k("splice", Some(1), W, R, Syzkaller, "the kernel writes the advanced offset back through off_in"),
    k("splice", Some(3), W, R, Syzkaller, "the kernel writes the advanced offset back through off_out"),
    k("get_thread_area", Some(0), W, R, Syzkaller, "the kernel reads the entry number and fills the rest of the user_desc"),
    k("get_robust_list", Some(1), W, I, Syzkaller, "the kernel writes the list head's address into *head_ptr: the pointee itself is the output"),
    // Pointers the kernel only reads, where syzkaller marks a nested buffer out.
    k("io_pgetevents", Some(5), R, I, Syzkaller, "the kernel reads the signal mask's address and size and then the mask; syzkaller's shared sigset_size type marks the mask inout"),
    k("process_vm_readv", Some(3), R, I, Syzkaller, "the remote iovecs describe the other process's memory: nothing of the caller's is written through them"),
    k("process_vm_writev", Some(1), R, I, Syzkaller, "the local iovecs are only read from (syzkaller uses its out iovec type for both vectors of both calls)"),
    k("io_cancel", Some(1), R, I, Syzkaller, "the kernel only reads the iocb's aio_key; the buffer syzkaller marks inout belongs to the request being cancelled and is not written by this call"),
    k("pselect6", Some(5), R, I, Syzkaller, "the kernel only reads the {sigset pointer, size} pair and then the sigset; syzkaller's shared sigset_size type marks the sigset inout"),
    // Pointers the kernel writes through, where syzkaller describes only the reading use.
    k("vmsplice", Some(1), I, R, Syzkaller, "syzkaller describes only vmsplice into a pipe; on a pipe's read end the kernel copies the pipe's data into the buffers the iovecs point at"),
    // Our table is wrong: the prototype has no const, but the kernel only reads.
    k("set_robust_list", Some(0), W, R, Deliberate, "the call only records the head's address, as syzkaller says; the generator keeps it Out because the kernel walks and writes the list at thread exit"),
];

/// One argument's facts in the TSV: syzkaller's directions over the variants, and whether a
/// buffer inside is written.
struct Fact {
    top: BTreeSet<&'static str>,
    inner: bool,
}

/// Per call: `None` = absent (not described), `Some(args)` = described.
fn facts() -> BTreeMap<&'static str, Option<BTreeMap<usize, Fact>>> {
    let mut out: BTreeMap<&'static str, Option<BTreeMap<usize, Fact>>> = BTreeMap::new();
    for line in FACTS
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        let cols: Vec<&'static str> = line.split('\t').collect();
        assert_eq!(cols.len(), 6, "six tab-separated columns: {line:?}");
        let (call, arg, top, inner) = (cols[0], cols[1], cols[3], cols[4]);
        if top == "absent" {
            assert!(
                out.insert(call, None).is_none(),
                "{call}: absent and described"
            );
            continue;
        }
        let args = out
            .entry(call)
            .or_insert_with(|| Some(BTreeMap::new()))
            .as_mut()
            .unwrap_or_else(|| panic!("{call}: described and absent"));
        if arg == "-" {
            assert_eq!(top, "none", "{line:?}");
            continue;
        }
        let top: BTreeSet<&'static str> = top.split(',').collect();
        for t in &top {
            assert!(
                ["in", "out", "inout", "vma", "scalar"].contains(t),
                "unknown direction {t:?} in {line:?}"
            );
        }
        assert!(["yes", "no"].contains(&inner), "{line:?}");
        let index = arg.parse().unwrap_or_else(|_| panic!("{line:?}"));
        let fact = Fact {
            top,
            inner: inner == "yes",
        };
        assert!(args.insert(index, fact).is_none(), "twice: {line:?}");
    }
    out
}

fn syz_class(f: Option<&Fact>) -> Class {
    match f {
        None => Class::N,
        Some(f) if f.top.contains("out") || f.top.contains("inout") => Class::W,
        Some(f) if f.top.contains("in") && f.inner => Class::I,
        Some(f) if f.top.contains("in") => Class::R,
        Some(_) => Class::N,
    }
}

fn ours_class(kind: Kind, writes_inside: Option<&str>) -> Option<Class> {
    match kind {
        Kind::Out => Some(Class::W),
        Kind::In if writes_inside.is_some() => Some(Class::I),
        Kind::In => Some(Class::R),
        Kind::Word | Kind::Wide => None,
    }
}

/// Everything both sources describe, compared.
struct Comparison {
    /// (call, argument, ours, syzkaller's) for every pointer argument with a direction in both.
    args: Vec<(&'static str, usize, Class, Class)>,
    /// Calls our table says write nothing while a syzkaller variant writes.
    writes: Vec<&'static str>,
    /// Calls both describe.
    calls: usize,
}

fn compare() -> Comparison {
    let facts = facts();
    let mut c = Comparison {
        args: Vec::new(),
        writes: Vec::new(),
        calls: 0,
    };
    for p in PROTOS {
        let Some(Some(args)) = facts.get(p.name) else {
            continue;
        };
        c.calls += 1;
        for (i, param) in p.params.unwrap_or(&[]).iter().enumerate() {
            let Some(ours) = ours_class(param.kind, param.writes_inside) else {
                continue;
            };
            let syz = syz_class(args.get(&i));
            if syz != Class::N {
                c.args.push((p.name, i, ours, syz));
            }
        }
        let syz_writes = args
            .values()
            .any(|f| matches!(syz_class(Some(f)), Class::W | Class::I));
        if !p.writes && syz_writes {
            c.writes.push(p.name);
        }
    }
    c
}

#[test]
fn every_disagreement_with_syzkaller_is_listed_and_explained() {
    let c = compare();
    let mut found: BTreeSet<(&str, Option<usize>, Class, Class)> = BTreeSet::new();
    for &(call, i, ours, syz) in &c.args {
        if ours != syz {
            found.insert((call, Some(i), ours, syz));
        }
    }
    for &call in &c.writes {
        found.insert((call, None, Class::R, Class::W));
    }
    let listed: BTreeSet<(&str, Option<usize>, Class, Class)> = KNOWN
        .iter()
        .map(|k| (k.call, k.arg, k.ours, k.syz))
        .collect();
    assert_eq!(
        listed.len(),
        KNOWN.len(),
        "an entry of KNOWN is listed twice"
    );
    let unlisted: Vec<_> = found.difference(&listed).collect();
    let gone: Vec<_> = listed.difference(&found).collect();
    assert!(
        unlisted.is_empty() && gone.is_empty(),
        "disagreements with syzkaller not explained in KNOWN (call, argument, ours, syzkaller's): \
         {unlisted:?}\nlisted in KNOWN but no longer occurring (the table changed: drop or update \
         them): {gone:?}"
    );
}

#[test]
fn every_known_disagreement_says_why() {
    for k in KNOWN {
        assert!(k.why.len() > 20, "{}: explain the disagreement", k.call);
        assert_ne!(k.ours, k.syz, "{}: not a disagreement", k.call);
        if k.arg.is_none() {
            assert_eq!((k.ours, k.syz), (Class::R, Class::W), "{}", k.call);
        }
        if k.wrong == Deliberate {
            // A deliberate difference is our table being stricter than syzkaller.
            assert_eq!(k.ours, Class::W, "{}", k.call);
        }
    }
}

#[test]
fn the_facts_cover_every_call_of_the_table_and_nothing_else() {
    let facts = facts();
    let names: BTreeSet<&str> = PROTOS.iter().map(|p: &KProto| p.name).collect();
    let missing: Vec<_> = names.iter().filter(|n| !facts.contains_key(*n)).collect();
    let unknown: Vec<_> = facts.keys().filter(|n| !names.contains(*n)).collect();
    assert!(
        missing.is_empty(),
        "calls of the table the TSV neither describes nor marks absent: {missing:?}"
    );
    assert!(
        unknown.is_empty(),
        "calls of the TSV the table does not have: {unknown:?}"
    );
}

#[test]
fn the_comparison_covers_the_calls_syzkaller_describes() {
    let c = compare();
    // 326 of the table's calls are described in the syzkaller files read, with 300 and more
    // pointer arguments that have a direction in both sources: a guard against a parser that
    // silently compares nothing.
    assert!(c.calls >= 300, "only {} calls compared", c.calls);
    assert!(
        c.args.len() >= 280,
        "only {} arguments compared",
        c.args.len()
    );
    let agree = c.args.iter().filter(|a| a.2 == a.3).count();
    assert!(
        agree * 4 >= c.args.len() * 3,
        "{agree} of {} agree",
        c.args.len()
    );
}

#[test]
fn the_facts_name_their_source() {
    let header: Vec<&str> = FACTS.lines().take_while(|l| l.starts_with('#')).collect();
    assert!(
        header
            .iter()
            .any(|l| l.contains("github.com/google/syzkaller"))
    );
    assert!(header.iter().any(|l| l.contains("sys/linux/sys.txt @ ")));
    assert!(
        header
            .iter()
            .any(|l| l.contains("no text of syzkaller is copied"))
    );
}
