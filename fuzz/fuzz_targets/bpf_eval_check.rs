//! The invariants the `bpf_eval` fuzz target checks, shared with the corpus replay test
//! (`sys-restrict/tests/fuzz_corpus.rs`). The first byte picks the half:
//!
//! - even: the rest is an arbitrary classic-BPF program (8 bytes per instruction, the first 64
//!   bytes also the `seccomp_data`): `sys_restrict::eval` and the dump never panic, and a
//!   program that `bpf::validate` accepts either returns or divides by a zero X — the only
//!   failure the kernel's checker cannot rule out;
//! - odd: the rest describes a policy (architecture, action, pinned sites, regions with or
//!   without number lists, an allow-list) whose addresses are drawn from a few bases plus small
//!   offsets, so that calls land on the boundaries: the compiled filter must pass the kernel's
//!   checks and, for calls at every boundary ±1, at the same low word with another high word,
//!   with the x32 bit and with a wrong arch word, return exactly what `Policy::decide` (the
//!   policy written directly in Rust) says.

use sys_restrict::arch::{Arch, SeccompData};
use sys_restrict::bpf::{self, Insn};
use sys_restrict::dump::Dump;
use sys_restrict::eval::{self, EvalError};
use sys_restrict::policy::Generic;
use sys_restrict::{Action, CompileError, IpRange, Policy, Stub};

/// Reads the input front to back; past the end it reads zeros.
struct Bytes<'a>(&'a [u8]);

impl Bytes<'_> {
    fn u8(&mut self) -> u8 {
        match self.0.split_first() {
            Some((&b, rest)) => {
                self.0 = rest;
                b
            }
            None => 0,
        }
    }
    fn u16(&mut self) -> u16 {
        u16::from_le_bytes([self.u8(), self.u8()])
    }
    fn u32(&mut self) -> u32 {
        u32::from_le_bytes([self.u8(), self.u8(), self.u8(), self.u8()])
    }
    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Checks one input; panics on a broken invariant.
pub fn check(data: &[u8]) {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    if first % 2 == 0 {
        program(rest);
    } else {
        policy(rest);
    }
}

fn program(data: &[u8]) {
    let insns: Vec<Insn> = data
        .chunks_exact(8)
        .map(|c| Insn {
            code: u16::from_le_bytes([c[0], c[1]]),
            jt: c[2],
            jf: c[3],
            k: u32::from_le_bytes([c[4], c[5], c[6], c[7]]),
        })
        .collect();
    let mut input = [0u8; 64];
    for (d, s) in input.iter_mut().zip(data) {
        *d = *s;
    }
    let valid = bpf::validate(&insns).is_ok();
    for arch in [Arch::X86_64, Arch::S390X] {
        let r = eval::eval_bytes(&insns, &input, arch.endian());
        if valid {
            assert!(
                matches!(r, Ok(_) | Err(EvalError::DivisionByZero { .. })),
                "a valid program failed: {r:?}"
            );
        }
        let _ = Dump::new(&insns, Some(arch)).to_string();
    }
}

fn policy(data: &[u8]) {
    let mut b = Bytes(data);
    let arch = Arch::ALL[usize::from(b.u8()) % Arch::ALL.len()];
    let otherwise = match b.u8() % 6 {
        0 => Action::KillProcess,
        1 => Action::KillThread,
        2 => Action::Trap(b.u16()),
        3 => Action::Errno(b.u16() & 0xfff),
        4 => Action::Log,
        _ => Action::Allow,
    };
    // Addresses near a few bases, some at the edges of a 4 GiB window.
    let bases: [u64; 4] = if arch.is_64bit() {
        [
            0x0000_5555_0000_1000,
            0x0000_7f00_ffff_f000,
            0x0000_7fff_0000_0000,
            0,
        ]
    } else {
        [0x0040_1000, 0xffff_f000, 0xb7ff_0000, 0]
    };
    let limit = if arch.is_64bit() {
        u64::MAX
    } else {
        u64::from(u32::MAX)
    };
    let addr = |b: &mut Bytes<'_>| -> u64 {
        let base = bases[usize::from(b.u8()) % bases.len()];
        base.saturating_add(u64::from(b.u16())).min(limit)
    };
    let numbers = [
        0u32,
        1,
        7,
        20,
        39,
        60,
        128,
        219,
        228,
        231,
        425,
        426,
        427,
        428,
        4000,
        4253,
        5000,
        0x4000_0027,
        u32::MAX,
    ];
    let nr = |b: &mut Bytes<'_>| numbers[usize::from(b.u8()) % numbers.len()];

    let mut manifest = Vec::new();
    for _ in 0..b.u8() % 24 {
        let n = nr(&mut b);
        let ip = addr(&mut b);
        manifest.push(Stub {
            nr: (n != 0).then_some(n),
            ip,
        });
    }
    let list: Vec<u32> = (0..b.u8() % 6).map(|_| nr(&mut b)).collect();
    let generic = match b.u8() % 3 {
        0 => Generic::Deny,
        1 => Generic::Only(&list),
        _ => Generic::Any,
    };
    let mut p = Policy::pinned(arch, &manifest, generic).otherwise(otherwise);
    for _ in 0..b.u8() % 6 {
        let (x, y) = (addr(&mut b), addr(&mut b));
        // Mostly in order; a reversed range (x > y, one case in eight) must be refused.
        let (start, end) = if b.u8() % 8 == 0 {
            (x, y)
        } else {
            (x.min(y), x.max(y))
        };
        let range = IpRange::new(start, end);
        p = match b.u8() % 3 {
            0 => p.allow_range(range),
            1 => p.allow_range_for(range, &list),
            _ => p.allow_range(IpRange::at(end)),
        };
    }
    if b.u8() % 2 == 1 {
        p = p.only_numbers(&list);
    }
    let filter = match p.compile() {
        Ok(f) => f,
        // Bad input is refused, and only bad input.
        Err(CompileError::BadErrno { errno }) => {
            assert!(errno == 0 || errno > 4095, "{p:?}");
            return;
        }
        Err(CompileError::ReversedRange { range }) => {
            assert!(range.start > range.end, "{p:?}");
            return;
        }
        Err(e) => panic!("{p:?} does not compile: {e}"),
    };
    bpf::validate(filter.insns()).unwrap();

    // Calls at the policy's own addresses and boundaries, with its numbers.
    let mut ips: Vec<u64> = Vec::new();
    for s in p.sites() {
        ips.push(s.ip);
    }
    for r in p.regions() {
        ips.extend([r.range.start, r.range.end]);
    }
    for _ in 0..4 {
        ips.push(addr(&mut b));
    }
    let mut calls: Vec<SeccompData> = Vec::new();
    for &ip in &ips {
        let near = [
            ip,
            ip.wrapping_add(1),
            ip.wrapping_sub(1),
            ip.wrapping_add(2),
            ip ^ (1 << 32),
            ip.wrapping_add(1 << 32),
            ip.wrapping_sub(1 << 32),
        ];
        for v in near {
            for &n in &numbers {
                calls.push(SeccompData::new(arch, n, v));
            }
        }
    }
    let mut wrong = SeccompData::new(arch, 20, ips.first().copied().unwrap_or(0));
    wrong.arch ^= u32::from(b.u8()).max(1);
    calls.push(wrong);
    for site in p.sites() {
        calls.push(SeccompData::new(arch, site.nr | 0x4000_0000, site.ip));
    }
    while !b.is_empty() {
        let (n, ip) = (b.u32(), u64::from(b.u32()) | u64::from(b.u32()) << 32);
        calls.push(SeccompData::new(arch, n, ip));
    }
    for d in &calls {
        let got = filter.eval(d);
        let want = p.decide(d);
        assert_eq!(got, Ok(want), "{arch} {d:x?}\n{p:?}\n{filter}");
    }
}
