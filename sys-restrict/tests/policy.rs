//! The four policy shapes of `libsys::restrict` compiled for every architecture and evaluated
//! call by call: tables of (number, address) → expected action, written by hand from the
//! policy's meaning (not from `Policy::decide`), at every boundary ±1 on both 32-bit halves of
//! the address, at the same low word with another high word, with a wrong arch word and with
//! the x32 bit. Each table is also checked against `Policy::decide`, and every filter against
//! the kernel's checker (`bpf::validate`).

use sys_restrict::arch::{Arch, SeccompData, audit};
use sys_restrict::policy::{Generic, manifest_numbers};
use sys_restrict::{Action, Filter, IpRange, Policy, Stub, bpf};

// Numbers are data here: any value works for any architecture.
const GETPID: u32 = 20;
const WRITE: u32 = 4;
const CLOCK: u32 = 228;
const OTHER: u32 = 99;

const HI: u64 = 1 << 32;

/// Made-up addresses for one architecture: a stubs section, the vDSO, and a libc text segment
/// that crosses a 4 GiB boundary on 64-bit architectures.
struct Layout {
    stubs: IpRange,
    vdso: IpRange,
    libc: IpRange,
    getpid: u64,
    write: u64,
    clock: u64,
    generic: u64,
}

fn layout(arch: Arch) -> Layout {
    let (stubs, vdso, libc) = if arch.is_64bit() {
        (
            IpRange::new(0x0000_5555_0000_1000, 0x0000_5555_0000_1400),
            IpRange::new(0x0000_7fff_f7fc_1000, 0x0000_7fff_f7fc_3000),
            IpRange::new(0x0000_7f00_ffff_f000, 0x0000_7f01_0000_1000),
        )
    } else {
        (
            IpRange::new(0x0040_1000, 0x0040_1400),
            IpRange::new(0xb7ff_1000, 0xb7ff_3000),
            IpRange::new(0xb7e0_0000, 0xb7f0_0000),
        )
    };
    let s = stubs.start;
    Layout {
        stubs,
        vdso,
        libc,
        getpid: s + 0x12,
        write: s + 0x22,
        clock: s + 0x32,
        generic: s + 0x42,
    }
}

fn manifest(l: &Layout) -> [Stub; 4] {
    [
        Stub {
            nr: Some(GETPID),
            ip: l.getpid,
        },
        Stub {
            nr: Some(WRITE),
            ip: l.write,
        },
        Stub {
            nr: Some(CLOCK),
            ip: l.clock,
        },
        Stub {
            nr: None,
            ip: l.generic,
        },
    ]
}

/// Expected: allowed, or denied (the policy's `otherwise`); a wrong arch word, which kills,
/// is checked by `common`.
#[derive(Clone, Copy, Debug, PartialEq)]
enum E {
    Yes,
    No,
}

fn check(policy: &Policy, filter: &Filter, cases: &[(u32, u64, E)], what: &str) {
    let arch = policy.arch();
    bpf::validate(filter.insns()).unwrap();
    for &(nr, ip, e) in cases {
        let d = SeccompData::new(arch, nr, ip);
        let want = match e {
            E::Yes => Action::Allow,
            E::No => policy.otherwise_action(),
        };
        assert_eq!(
            filter.eval(&d),
            Ok(want),
            "{what} {arch}: nr {nr} ip {ip:#x}\n{filter}"
        );
        assert_eq!(
            policy.decide(&d),
            want,
            "decide: {what} {arch}: nr {nr} ip {ip:#x}"
        );
    }
}

/// Cases every policy shares: another arch word kills; on 32-bit architectures an address
/// with a high half is refused; x32 numbers are refused on x86_64.
fn common(policy: &Policy, filter: &Filter, ip_ok: u64, nr_ok: u32) {
    let arch = policy.arch();
    for other in Arch::ALL
        .iter()
        .chain([&Arch::MIPS64EL_N32])
        .filter(|a| **a != arch)
    {
        let mut d = SeccompData::new(arch, nr_ok, ip_ok);
        d.arch = other.audit();
        assert_eq!(
            filter.eval(&d),
            Ok(Action::KillProcess),
            "{arch} vs {other}"
        );
        assert_eq!(policy.decide(&d), Action::KillProcess);
    }
    let mut d = SeccompData::new(arch, nr_ok, ip_ok);
    d.arch = 0;
    assert_eq!(filter.eval(&d), Ok(Action::KillProcess));
    let x32 = SeccompData::new(arch, nr_ok | 0x4000_0000, ip_ok);
    let want = if arch == Arch::X86_64 {
        policy.otherwise_action()
    } else {
        Action::Allow
    };
    if policy
        .regions()
        .iter()
        .any(|r| r.numbers.is_none() && r.range.contains(ip_ok))
    {
        assert_eq!(filter.eval(&x32), Ok(want), "x32 bit on {arch}");
    }
    if arch == Arch::X86_64 {
        assert_eq!(filter.eval(&x32), Ok(policy.otherwise_action()));
    }
    let d = SeccompData::new(arch, nr_ok, ip_ok);
    assert_eq!(
        filter.eval(&d),
        Ok(Action::Allow),
        "{arch}: the allowed call"
    );
    if !arch.is_64bit() {
        let high = SeccompData::new(arch, nr_ok, ip_ok | HI);
        assert_eq!(
            filter.eval(&high),
            Ok(policy.otherwise_action()),
            "{arch}: high half"
        );
    }
}

const ACTIONS: [Action; 6] = [
    Action::KillProcess,
    Action::KillThread,
    Action::Trap(0),
    Action::Errno(1),
    Action::Log,
    Action::Allow,
];

/// Cases around a range for any number: `start < ip <= end`.
fn range_cases(r: IpRange, nr: u32, yes: E) -> Vec<(u32, u64, E)> {
    let mut v = vec![
        (nr, r.start, E::No),
        (nr, r.start + 1, yes),
        (nr, r.start + 2, yes),
        (nr, r.end - 1, yes),
        (nr, r.end, yes),
        (nr, r.end + 1, E::No),
        (nr, r.start - 1, E::No),
        (nr, 0, E::No),
        (nr, u64::MAX, E::No),
    ];
    // The same low word with another high word: outside, also on 32-bit (high half not 0).
    for ip in [r.start + 2, r.end] {
        v.push((nr, ip + HI, E::No));
        if ip >= HI {
            v.push((nr, ip - HI, E::No));
        }
    }
    v
}

#[test]
fn range_policy_allows_the_stubs_and_the_vdso_only() {
    for arch in Arch::ALL {
        let l = layout(arch);
        for otherwise in ACTIONS {
            let p = Policy::range(arch, l.stubs)
                .allow_range(l.vdso)
                .otherwise(otherwise);
            let f = p.compile().unwrap();
            let mut cases = range_cases(l.stubs, OTHER, E::Yes);
            cases.extend(range_cases(l.vdso, GETPID, E::Yes));
            cases.extend(range_cases(l.libc, GETPID, E::No));
            check(&p, &f, &cases, "range");
            common(&p, &f, l.getpid, GETPID);
        }
    }
}

#[test]
fn a_range_across_a_4gib_boundary_compares_both_halves() {
    for arch in Arch::ALL.into_iter().filter(|a| a.is_64bit()) {
        let l = layout(arch);
        let p = Policy::new(arch)
            .allow_range(l.libc)
            .otherwise(Action::Errno(1));
        let f = p.compile().unwrap();
        let (lo_hi, hi_hi) = (0x7f00u64 << 32, 0x7f01u64 << 32);
        let cases = [
            (1, lo_hi | 0xffff_f000, E::No),  // start
            (1, lo_hi | 0xffff_f001, E::Yes), // start + 1
            (1, lo_hi | 0xffff_ffff, E::Yes),
            (1, hi_hi, E::Yes),
            (1, hi_hi | 0x1000, E::Yes),     // end
            (1, hi_hi | 0x1001, E::No),      // end + 1
            (1, lo_hi | 0x0000_0800, E::No), // high half of start, low half below start's
            (1, lo_hi | 0x0000_1000, E::No), // low half of end
            (1, hi_hi | 0xffff_f800, E::No), // high half of end, low half above end's
            (1, hi_hi | 0xffff_f001, E::No), // low half of start + 1
            (1, 0x7eff << 32 | 0xffff_f800, E::No),
            (1, 0x7f02 << 32, E::No),
        ];
        check(&p, &f, &cases, "4 GiB");
    }
}

#[test]
fn pinned_policy_allows_each_number_only_at_its_stub() {
    for arch in Arch::ALL {
        let l = layout(arch);
        let m = manifest(&l);
        for otherwise in ACTIONS {
            let p = Policy::pinned(arch, &m, Generic::Deny)
                .allow_range_for(l.vdso, &[CLOCK])
                .otherwise(otherwise);
            let f = p.compile().unwrap();
            let mut cases = vec![
                (GETPID, l.getpid, E::Yes),
                (WRITE, l.write, E::Yes),
                (CLOCK, l.clock, E::Yes),
                (WRITE, l.getpid, E::No),
                (GETPID, l.write, E::No),
                (OTHER, l.getpid, E::No),
                (GETPID, l.getpid - 1, E::No),
                (GETPID, l.getpid + 1, E::No),
                (GETPID, l.getpid + HI, E::No),
                (GETPID, l.getpid ^ 0x8000_0000, E::No),
                (GETPID, l.generic, E::No),
                (OTHER, l.generic, E::No),
                // The vDSO's own fallback: its number from its pages, nothing else.
                (CLOCK, l.vdso.start + 0x100, E::Yes),
                (GETPID, l.vdso.start + 0x100, E::No),
                (CLOCK, l.vdso.end + 1, E::No),
            ];
            if arch.is_64bit() {
                cases.push((GETPID, l.getpid - HI, E::No));
            }
            check(&p, &f, &cases, "pinned");
            common(&p, &f, l.getpid, GETPID);
        }
    }
}

#[test]
fn the_generic_stub_is_allowed_as_asked() {
    for arch in Arch::ALL {
        let l = layout(arch);
        let m = manifest(&l);
        let only = [OTHER, WRITE];
        for (generic, other_ok, getpid_ok) in [
            (Generic::Deny, E::No, E::No),
            (Generic::Only(&only), E::Yes, E::No),
            (Generic::Any, E::Yes, E::Yes),
        ] {
            let p = Policy::pinned(arch, &m, generic.clone()).otherwise(Action::Errno(38));
            let f = p.compile().unwrap();
            let cases = [
                (OTHER, l.generic, other_ok),
                (WRITE, l.generic, other_ok),
                (GETPID, l.generic, getpid_ok),
                (OTHER, l.generic - 1, E::No),
                (OTHER, l.generic + 1, E::No),
                (OTHER, l.generic + HI, E::No),
                (GETPID, l.getpid, E::Yes),
            ];
            check(&p, &f, &cases, &format!("generic {generic:?}"));
        }
    }
}

#[test]
fn allow_list_limits_the_numbers_but_not_the_vdso_added_after_it() {
    for arch in Arch::ALL {
        let l = layout(arch);
        let m = manifest(&l);
        let numbers = manifest_numbers(&m);
        assert_eq!(numbers, [WRITE, GETPID, CLOCK]);
        let p = Policy::range(arch, l.stubs)
            .only_numbers(&numbers)
            .allow_range(l.vdso)
            .otherwise(Action::Errno(1));
        let f = p.compile().unwrap();
        let cases = [
            (GETPID, l.getpid, E::Yes),
            (GETPID, l.write, E::Yes), // range mode: any stub
            (OTHER, l.getpid, E::No),
            (OTHER, l.generic, E::No),
            (OTHER, l.vdso.start + 1, E::Yes),
            (GETPID, l.stubs.end + 1, E::No),
        ];
        check(&p, &f, &cases, "allow-list");
        common(&p, &f, l.getpid, GETPID);

        // Pinned and allow-listed: CLOCK dropped from the list drops its pinned site.
        let p = Policy::pinned(arch, &m, Generic::Any)
            .only_numbers(&[GETPID, WRITE, OTHER])
            .otherwise(Action::Errno(1));
        let f = p.compile().unwrap();
        let cases = [
            (GETPID, l.getpid, E::Yes),
            (CLOCK, l.clock, E::No),
            (OTHER, l.generic, E::Yes),
            (CLOCK, l.generic, E::No),
        ];
        check(&p, &f, &cases, "pinned allow-list");
    }
}

#[test]
fn std_friendly_policy_adds_libc() {
    for arch in Arch::ALL {
        let l = layout(arch);
        let p = Policy::range(arch, l.stubs)
            .allow_range(l.vdso)
            .allow_range(l.libc)
            .otherwise(Action::KillProcess);
        let f = p.compile().unwrap();
        let mut cases = range_cases(l.libc, 60, E::Yes);
        cases.extend(range_cases(l.stubs, 60, E::Yes));
        cases.push((60, l.vdso.end + 0x1000, E::No));
        check(&p, &f, &cases, "std-friendly");
        common(&p, &f, l.libc.end, 60);
    }
}

#[test]
fn the_big_endian_filter_reads_the_high_half_at_offset_8() {
    let l = layout(Arch::S390X);
    let f = Policy::range(Arch::S390X, l.stubs).compile().unwrap();
    let hi = (l.stubs.start >> 32) as u32;
    let loads_hi_at_8 = f
        .insns()
        .windows(2)
        .any(|w| w[0] == bpf::Insn::load(8) && w[1].code == 0x15 && w[1].k == hi);
    assert!(loads_hi_at_8, "{f}");
    // The same filter read little-endian would be a different, wrong one: the byte order
    // matters for every 64-bit comparison.
    let le = sys_restrict::eval::eval(
        f.insns(),
        &SeccompData::new(Arch::S390X, 1, l.getpid),
        sys_restrict::arch::Endian::Little,
    );
    assert_ne!(le, Ok(Action::Allow.word()));
}

#[test]
fn a_32bit_policy_with_a_wide_address_is_an_error() {
    let p = Policy::range(Arch::X86, IpRange::new(0x1000, 0x1_0000_1000));
    assert_eq!(
        p.compile(),
        Err(sys_restrict::CompileError::AddressTooWide {
            address: 0x1_0000_1000
        })
    );
    let p = Policy::new(Arch::ARM).pin(1, 0x1_0000_0000);
    assert!(p.compile().is_err());
}

#[test]
fn a_policy_too_big_for_4096_instructions_is_an_error() {
    let mut p = Policy::new(Arch::X86_64);
    for i in 0..2000u32 {
        p = p.pin(i, 0x5555_0000_0000 + u64::from(i) * 16);
    }
    assert!(matches!(
        p.compile(),
        Err(sys_restrict::CompileError::Asm(_))
    ));
    // Many sites still fit: 500 numbers with far jumps through trampolines.
    let mut p = Policy::new(Arch::X86_64);
    for i in 0..500u32 {
        p = p.pin(i * 3, 0x5555_0000_0000 + u64::from(i) * 16);
    }
    let f = p.compile().unwrap();
    for i in (0..500u32).step_by(7) {
        let ip = 0x5555_0000_0000 + u64::from(i) * 16;
        let call = |nr, ip| f.eval(&SeccompData::new(Arch::X86_64, nr, ip)).unwrap();
        assert_eq!(call(i * 3, ip), Action::Allow);
        assert_eq!(call(i * 3 + 1, ip), Action::KillProcess);
        assert_eq!(call(i * 3, ip + 16), Action::KillProcess);
    }
}

#[test]
fn constants_match_the_libc_crate() {
    use sys_restrict::action as a;
    assert_eq!(a::RET_KILL_PROCESS, libc::SECCOMP_RET_KILL_PROCESS);
    assert_eq!(a::RET_KILL_THREAD, libc::SECCOMP_RET_KILL_THREAD);
    assert_eq!(a::RET_TRAP, libc::SECCOMP_RET_TRAP);
    assert_eq!(a::RET_ERRNO, libc::SECCOMP_RET_ERRNO);
    assert_eq!(a::RET_USER_NOTIF, libc::SECCOMP_RET_USER_NOTIF);
    assert_eq!(a::RET_TRACE, libc::SECCOMP_RET_TRACE);
    assert_eq!(a::RET_LOG, libc::SECCOMP_RET_LOG);
    assert_eq!(a::RET_ALLOW, libc::SECCOMP_RET_ALLOW);
    assert_eq!(a::RET_DATA, libc::SECCOMP_RET_DATA);
    assert_eq!(a::RET_ACTION_FULL, libc::SECCOMP_RET_ACTION_FULL);
    assert_eq!(bpf::MAX_INSNS, libc::BPF_MAXINSNS as usize);
    use bpf::op;
    let pairs: [(u16, u32); 12] = [
        (op::LD, libc::BPF_LD),
        (op::LDX, libc::BPF_LDX),
        (op::ST, libc::BPF_ST),
        (op::JMP, libc::BPF_JMP),
        (op::RET, libc::BPF_RET),
        (op::ABS, libc::BPF_ABS),
        (op::MEM, libc::BPF_MEM),
        (op::LEN, libc::BPF_LEN),
        (op::JEQ, libc::BPF_JEQ),
        (op::JGE, libc::BPF_JGE),
        (op::JSET, libc::BPF_JSET),
        (op::X, libc::BPF_X),
    ];
    for (mine, theirs) in pairs {
        assert_eq!(u32::from(mine), theirs);
    }
    let _ = audit::X86_64;
}

#[test]
fn the_dump_reads_like_seccomp_tools() {
    let l = layout(Arch::X86_64);
    let f = Policy::range(Arch::X86_64, l.stubs)
        .otherwise(Action::Errno(1))
        .compile()
        .unwrap();
    let text = f.to_string();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], " line  CODE  JT   JF      K");
    assert_eq!(lines[2], " 0000: 0x20 0x00 0x00 0x00000004  A = arch");
    assert!(lines[3].starts_with(" 0001: 0x15 0x00 "), "{text}");
    assert!(lines[3].contains("if (A != ARCH_X86_64) goto "), "{text}");
    assert_eq!(lines[4], " 0002: 0x20 0x00 0x00 0x00000000  A = sys_number");
    assert!(lines[5].contains("if (A & 0x40000000) goto "), "{text}");
    assert!(text.contains("A = instruction_pointer >> 32\n"), "{text}");
    assert!(text.contains("return ERRNO(1)\n"), "{text}");
    assert!(text.contains("return ALLOW\n"), "{text}");
    assert!(text.contains("return KILL_PROCESS\n"), "{text}");
}

/// A call of `nr` from `ip` under `f`, for `arch`, checked against `Policy::decide` too.
fn verdict(p: &Policy, f: &Filter, nr: u32, ip: u64) -> Action {
    let d = SeccompData::new(p.arch(), nr, ip);
    let got = f.eval(&d).unwrap();
    assert_eq!(got, p.decide(&d), "{} nr {nr} ip {ip:#x}", p.arch());
    got
}

#[test]
fn errno_zero_and_errno_above_4095_are_refused() {
    use sys_restrict::CompileError;
    let stubs = IpRange::new(0x1000, 0x2000);
    for arch in Arch::ALL {
        for errno in [0u16, 4096, 5000, u16::MAX] {
            let p = Policy::range(arch, stubs).otherwise(Action::Errno(errno));
            assert_eq!(p.compile(), Err(CompileError::BadErrno { errno }), "{arch}");
            assert!(!CompileError::BadErrno { errno }.to_string().is_empty());
        }
        for errno in [1u16, 38, 89, 4095] {
            let p = Policy::range(arch, stubs).otherwise(Action::Errno(errno));
            let f = p.compile().unwrap();
            assert_eq!(verdict(&p, &f, GETPID, 0x9000), Action::Errno(errno));
        }
    }
}

#[test]
fn a_range_that_starts_above_its_end_is_refused() {
    use sys_restrict::CompileError;
    let reversed = IpRange::new(0x2000, 0x1000);
    for arch in Arch::ALL {
        for p in [
            Policy::range(arch, reversed),
            Policy::new(arch).allow_range_for(reversed, &[GETPID]),
            Policy::range(arch, IpRange::new(0x10, 0x20)).allow_range(reversed),
        ] {
            assert_eq!(
                p.compile(),
                Err(CompileError::ReversedRange { range: reversed }),
                "{arch}"
            );
        }
        // An empty range (start == end) allows nothing and is no error.
        let p = Policy::range(arch, IpRange::new(0x1000, 0x1000));
        let f = p.compile().unwrap();
        assert_eq!(verdict(&p, &f, GETPID, 0x1000), Action::KillProcess);
    }
}

#[test]
fn numbers_the_native_architecture_lacks_are_reported() {
    use sys_restrict::Warning;
    let unknown = 4000u32; // no x86_64 or x86 number; mips's start there, but not as natives
    let known = sys_core::nr::getppid as u32;
    let missing = (0..1000u32).find(|&n| sys_core::nr::name(n as usize).is_none());
    let mut p = Policy::new(Arch::NATIVE)
        .pin(known, 0x1002)
        .allow_range_for(IpRange::new(0x2000, 0x3000), &[known]);
    let mut want = Vec::new();
    if sys_core::nr::name(unknown as usize).is_none() {
        p = p.pin(unknown, 0x1012);
        want.push(Warning::UnknownNumber { nr: unknown });
    }
    if let Some(m) = missing {
        p = p.allow_range_for(IpRange::new(0x4000, 0x5000), &[m]);
        want.push(Warning::UnknownNumber { nr: m });
    }
    want.sort_by_key(|w| match w {
        Warning::UnknownNumber { nr } => *nr,
    });
    let f = p.compile().unwrap();
    assert!(!want.is_empty());
    assert_eq!(f.warnings(), &want[..]);
    assert!(
        f.warnings()[0]
            .to_string()
            .contains("no system call has number")
    );
    // The rules still work as written.
    assert_eq!(verdict(&p, &f, known, 0x1002), Action::Allow);
    // A policy of known numbers has no warnings.
    let clean = Policy::new(Arch::NATIVE)
        .pin(known, 0x1002)
        .compile()
        .unwrap();
    assert!(clean.warnings().is_empty());
}

#[test]
fn exit_and_the_signal_return_survive_an_allow_list_without_them() {
    for arch in Arch::ALL {
        let n = arch.numbers();
        let manifest = [
            Stub {
                nr: Some(GETPID),
                ip: 0x1002,
            },
            Stub {
                nr: Some(n.exit_group),
                ip: 0x1012,
            },
            Stub {
                nr: Some(n.exit),
                ip: 0x1022,
            },
            Stub {
                nr: Some(n.rt_sigreturn),
                ip: 0x1032,
            },
            Stub {
                nr: Some(WRITE),
                ip: 0x1042,
            },
        ];
        // pinned + allow-list of getpid alone.
        let p = Policy::pinned(arch, &manifest, Generic::Deny)
            .only_numbers(&[GETPID])
            .otherwise(Action::Errno(1));
        let f = p.compile().unwrap();
        assert_eq!(verdict(&p, &f, GETPID, 0x1002), Action::Allow, "{arch}");
        assert_eq!(
            verdict(&p, &f, n.exit_group, 0x1012),
            Action::Allow,
            "{arch}"
        );
        assert_eq!(verdict(&p, &f, n.exit, 0x1022), Action::Allow, "{arch}");
        assert_eq!(
            verdict(&p, &f, n.rt_sigreturn, 0x1032),
            Action::Allow,
            "{arch}"
        );
        assert_eq!(verdict(&p, &f, WRITE, 0x1042), Action::Errno(1), "{arch}");
        // Only from their own stubs.
        assert_eq!(
            verdict(&p, &f, n.exit_group, 0x1002),
            Action::Errno(1),
            "{arch}"
        );
        assert_eq!(
            verdict(&p, &f, n.rt_sigreturn, 0x1012),
            Action::Errno(1),
            "{arch}"
        );
        // range + allow-list: exit and exit_group from the range, rt_sigreturn not.
        let stubs = IpRange::new(0x1000, 0x1100);
        let p = Policy::range(arch, stubs)
            .only_numbers(&[GETPID])
            .otherwise(Action::Errno(1));
        let f = p.compile().unwrap();
        assert_eq!(
            verdict(&p, &f, n.exit_group, 0x1052),
            Action::Allow,
            "{arch}"
        );
        assert_eq!(verdict(&p, &f, n.exit, 0x1052), Action::Allow, "{arch}");
        assert_eq!(
            verdict(&p, &f, n.rt_sigreturn, 0x1052),
            Action::Errno(1),
            "{arch}"
        );
        assert_eq!(
            verdict(&p, &f, n.exit_group, 0x2052),
            Action::Errno(1),
            "{arch}"
        );
    }
}

#[test]
fn restart_syscall_is_allowed_wherever_a_call_is() {
    for arch in Arch::ALL {
        let r = arch.numbers().restart_syscall;
        let manifest = [
            Stub {
                nr: Some(GETPID),
                ip: 0x1002,
            },
            Stub {
                nr: Some(WRITE),
                ip: 0x1402,
            },
        ];
        let vdso = IpRange::new(0x9000, 0xa000);
        let p = Policy::pinned(arch, &manifest, Generic::Deny)
            .only_numbers(&[GETPID, WRITE])
            .allow_range_for(vdso, &[CLOCK])
            .otherwise(Action::Errno(1));
        let f = p.compile().unwrap();
        // From every pinned stub (the span of the stubs), from the vDSO's region.
        for ip in [0x1002, 0x1402, 0x1200, 0x9802] {
            assert_eq!(verdict(&p, &f, r, ip), Action::Allow, "{arch} {ip:#x}");
        }
        // Not from elsewhere.
        for ip in [0x1001, 0x1403, 0x5_0000, 0xa001] {
            assert_eq!(verdict(&p, &f, r, ip), Action::Errno(1), "{arch} {ip:#x}");
        }
    }
}

#[test]
fn io_uring_is_refused_unless_asked_for_by_name() {
    for arch in Arch::ALL {
        let ring = arch.numbers().io_uring();
        let stubs = IpRange::new(0x1000, 0x1100);
        let manifest: Vec<Stub> = (ring.iter().enumerate())
            .map(|(i, &nr)| Stub {
                nr: Some(nr),
                ip: 0x1002 + 16 * i as u64,
            })
            .collect();
        let policies = [
            Policy::range(arch, stubs),
            Policy::range(arch, stubs).only_numbers(&ring),
            Policy::pinned(arch, &manifest, Generic::Any),
            Policy::pinned(arch, &manifest, Generic::Deny).only_numbers(&ring),
        ];
        for p in policies {
            let p = p.otherwise(Action::Errno(1));
            let f = p.compile().unwrap();
            for (i, &nr) in ring.iter().enumerate() {
                let ip = 0x1002 + 16 * i as u64;
                assert_eq!(verdict(&p, &f, nr, ip), Action::Errno(1), "{arch} {nr}");
                let asked = p.clone().allow_io_uring();
                let g = asked.compile().unwrap();
                assert_eq!(verdict(&asked, &g, nr, ip), Action::Allow, "{arch} {nr}");
            }
            // Its neighbours are not caught by the ring's check.
            let after = ring[2] + 1;
            let q = Policy::range(arch, stubs).otherwise(Action::Errno(1));
            let g = q.compile().unwrap();
            assert_eq!(verdict(&q, &g, after, 0x1002), Action::Allow, "{arch}");
            assert_eq!(
                verdict(&q, &g, ring[0] - 1, 0x1002),
                Action::Allow,
                "{arch}"
            );
        }
    }
}
