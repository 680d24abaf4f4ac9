//! Policies: where system calls may come from (address ranges, exact call sites) and which
//! numbers, described as plain data and compiled into a seccomp filter for any architecture.
//!
//! Sources: seccomp(2) and `kernel/seccomp.c` (Linux 6.18) for what a filter sees — the
//! reported `instruction_pointer` is the address *after* the syscall instruction (`KSTK_EIP`
//! at syscall entry); `include/uapi/linux/audit.h` for the arch word; OpenBSD's
//! msyscall(2)/pinsyscalls(2) for the idea.
//!
//! # Meaning
//! A [`Policy`] allows a system call when any of its rules matches, after two checks that come
//! first: the arch word must be the policy's (any other → `KILL_PROCESS`: a task of another
//! ABI, such as i386 code on x86_64, numbers its calls differently), and calls that cannot be
//! this ABI's (x32 numbers on x86_64; an address above 4 GiB on a 32-bit architecture) get the
//! `otherwise` action. The rules:
//!
//! - a **pinned site** `(nr, ip)` allows number `nr` from exactly that address;
//! - a **region** allows calls whose address is in its [`IpRange`], of any number or only of
//!   the numbers it lists.
//!
//! Everything else gets the policy's `otherwise` [`Action`]. [`Policy::decide`] is this
//! paragraph written in Rust; [`Policy::compile`] writes it in classic BPF, and the tests and
//! the fuzz target check that both agree.

use crate::action::Action;
use crate::arch::{Arch, SeccompData, offset};
use crate::bpf::{AsmError, Assembler, Cond, Insn, Invalid, Label, Target};
use crate::dump::Dump;
use crate::eval::{self, EvalError};
use alloc::collections::BTreeMap;
use alloc::vec::Vec;
use core::fmt;

/// Code addresses: a syscall instruction lies in `[start, end)`, so the address after it
/// (what seccomp reports) satisfies `start < ip <= end`.
///
/// ```
/// use sys_restrict::IpRange;
///
/// let stubs = IpRange::new(0x1000, 0x1100);
/// assert!(!stubs.contains(0x1000)); // an after-address cannot be the first byte
/// assert!(stubs.contains(0x1002) && stubs.contains(0x1100));
/// assert!(!stubs.contains(0x1101));
/// assert!(IpRange::at(0x1234).contains(0x1234));
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct IpRange {
    /// The first byte of code.
    pub start: u64,
    /// The byte after the last one.
    pub end: u64,
}

impl IpRange {
    /// The code in `[start, end)`.
    pub const fn new(start: u64, end: u64) -> IpRange {
        IpRange { start, end }
    }

    /// Exactly one after-address, `ip` (one call site).
    pub const fn at(ip: u64) -> IpRange {
        IpRange {
            start: ip.wrapping_sub(1),
            end: ip,
        }
    }

    /// Whether `ip`, an address after a syscall instruction, is in the range.
    pub const fn contains(self, ip: u64) -> bool {
        self.start < ip && ip <= self.end
    }

    /// Whether the range holds no address (`start >= end`).
    pub const fn is_empty(self) -> bool {
        self.start >= self.end
    }

    /// Whether the range holds exactly one after-address.
    const fn single(self) -> Option<u64> {
        if self.start != u64::MAX && self.end == self.start + 1 {
            Some(self.end)
        } else {
            None
        }
    }
}

impl fmt::Debug for IpRange {
    /// `0x1000..0x1400`: the addresses in hex.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:#x}..{:#x}", self.start, self.end)
    }
}

/// A call site: number `nr` is made by the instruction that ends at `ip`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Site {
    /// The system call number.
    pub nr: u32,
    /// The address after the syscall instruction.
    pub ip: u64,
}

/// One entry of the program's stub manifest (`sys_core::outline::manifest`): a stub for a
/// constant number (`nr: Some`) or the generic stub (`nr: None`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Stub {
    /// The number the stub always makes, or `None` for the generic stub.
    pub nr: Option<u32>,
    /// The address after its syscall instruction.
    pub ip: u64,
}

/// Code from which calls are allowed.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Region {
    /// Where the syscall instructions are.
    pub range: IpRange,
    /// The numbers allowed from there (sorted, distinct), or `None` for any.
    pub numbers: Option<Vec<u32>>,
}

impl Region {
    fn allows(&self, nr: u32, ip: u64) -> bool {
        self.range.contains(ip)
            && self
                .numbers
                .as_ref()
                .is_none_or(|n| n.binary_search(&nr).is_ok())
    }
}

/// What the generic stub (the one for numbers known only at run time) may do under
/// [`Policy::pinned`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Generic<'a> {
    /// Nothing: every call must come from its number's pinned stub.
    Deny,
    /// These numbers.
    Only(&'a [u32]),
    /// Any number.
    Any,
}

/// The numbers of a manifest's pinned stubs, sorted and distinct: the allow-list of
/// [`Policy::only_numbers`].
pub fn manifest_numbers(manifest: &[Stub]) -> Vec<u32> {
    sorted(manifest.iter().filter_map(|s| s.nr))
}

fn sorted(numbers: impl IntoIterator<Item = u32>) -> Vec<u32> {
    let mut v: Vec<u32> = numbers.into_iter().collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// Why a policy could not be compiled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompileError {
    /// `Action::Errno(0)` (a refused call would return 0 and read as success) or an errno
    /// above 4095 (the kernel would cap it at 4095), as the `otherwise` action.
    BadErrno {
        /// The errno.
        errno: u16,
    },
    /// A range whose start is above its end (`IpRange::new(end, start)` by mistake): it would
    /// allow nothing.
    ReversedRange {
        /// The range.
        range: IpRange,
    },
    /// An address above 4 GiB in a policy for a 32-bit architecture.
    AddressTooWide {
        /// The address.
        address: u64,
    },
    /// The program does not fit (more than 4096 instructions) or a jump did not resolve.
    Asm(AsmError),
    /// The program breaks a rule of the kernel's checker (a bug in this crate).
    Invalid(Invalid),
}

impl fmt::Display for CompileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CompileError::BadErrno { errno: 0 } => f.write_str(
                "Action::Errno(0) would make refused calls return 0, which reads as success",
            ),
            CompileError::BadErrno { errno } => {
                write!(
                    f,
                    "errno {errno} is above 4095, the largest the kernel returns"
                )
            }
            CompileError::ReversedRange { range } => {
                write!(f, "range {range:?} starts above its end")
            }
            CompileError::AddressTooWide { address } => {
                write!(f, "address {address:#x} does not fit a 32-bit architecture")
            }
            CompileError::Asm(e) => write!(f, "cannot assemble the filter: {e}"),
            CompileError::Invalid(e) => write!(f, "the filter would be rejected: {e}"),
        }
    }
}

impl core::error::Error for CompileError {}

/// Something a compiled policy does that is probably not what was meant; the filter works as
/// written ([`Filter::warnings`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Warning {
    /// A number this architecture has no system call for (checked for [`Arch::NATIVE`] only,
    /// whose table is compiled in): its rules are dead.
    UnknownNumber {
        /// The number.
        nr: u32,
    },
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Warning::UnknownNumber { nr } => {
                write!(f, "no system call has number {nr} on this architecture")
            }
        }
    }
}

impl From<AsmError> for CompileError {
    fn from(e: AsmError) -> CompileError {
        CompileError::Asm(e)
    }
}

/// A description of the system calls a process may make, by where they come from.
///
/// The four shapes of `libsys::restrict`:
///
/// 1. **range**: calls only from libsys's stubs section and the vDSO ([`Policy::range`] plus
///    [`allow_range`](Policy::allow_range) for the vDSO);
/// 2. **pinned**: number N only from stub N's instruction ([`Policy::pinned`]), optionally
///    the generic stub for some or all numbers ([`Generic`]);
/// 3. **allow-list**: either of them limited to the manifest's numbers
///    ([`only_numbers`](Policy::only_numbers) with [`manifest_numbers`]);
/// 4. **std-friendly**: as (1) or (3), plus libc's and ld.so's executable segments
///    ([`allow_range`](Policy::allow_range)), so that Rust's std can still exit, handle
///    signals and use libc.
///
/// The vDSO makes system calls itself (its clock functions fall back to `clock_gettime`
/// for CPU-time clocks, for example): allow its range, for any number or only for its own
/// ([`allow_range_for`](Policy::allow_range_for)).
///
/// Addresses are plain data, so policies for made-up addresses and other architectures can be
/// compiled and evaluated anywhere:
///
/// ```
/// use sys_restrict::{Action, Arch, IpRange, Policy, SeccompData};
///
/// let stubs = IpRange::new(0x5555_0000_1000, 0x5555_0000_1400);
/// let vdso = IpRange::new(0x7fff_f7fc_1000, 0x7fff_f7fc_3000);
/// let policy = Policy::range(Arch::X86_64, stubs)
///     .allow_range_for(vdso, &[228, 96, 201, 309]) // clock_gettime, gettimeofday, time, getcpu
///     .otherwise(Action::Errno(1));
/// let filter = policy.compile()?;
///
/// let call = |nr, ip| filter.eval(&SeccompData::new(Arch::X86_64, nr, ip)).unwrap();
/// assert_eq!(call(39, 0x5555_0000_1012), Action::Allow); // getpid from a stub
/// assert_eq!(call(39, 0x5555_0000_2012), Action::Errno(1)); // from elsewhere
/// assert_eq!(call(228, 0x7fff_f7fc_1a02), Action::Allow); // the vDSO's fallback
/// assert_eq!(call(39, 0x7fff_f7fc_1a02), Action::Errno(1));
/// println!("{filter}"); // like `seccomp-tools dump`
/// # Ok::<(), sys_restrict::CompileError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Policy {
    arch: Arch,
    pinned: Vec<Site>,
    regions: Vec<Region>,
    otherwise: Action,
    io_uring: bool,
}

impl Policy {
    /// A policy for `arch` that allows nothing; denied calls kill the process.
    pub fn new(arch: Arch) -> Policy {
        Policy {
            arch,
            pinned: Vec::new(),
            regions: Vec::new(),
            otherwise: Action::KillProcess,
            io_uring: false,
        }
    }

    /// (1) Any call from the stubs section.
    pub fn range(arch: Arch, stubs: IpRange) -> Policy {
        Policy::new(arch).allow_range(stubs)
    }

    /// (2) Each pinned stub of the manifest for its own number only; the generic stub as
    /// `generic` says.
    pub fn pinned(arch: Arch, manifest: &[Stub], generic: Generic<'_>) -> Policy {
        let mut p = Policy::new(arch);
        for stub in manifest {
            match (stub.nr, &generic) {
                (Some(nr), _) => p = p.pin(nr, stub.ip),
                (None, Generic::Deny) => {}
                (None, Generic::Only(numbers)) => {
                    p = p.allow_range_for(IpRange::at(stub.ip), numbers);
                }
                (None, Generic::Any) => p = p.allow_range(IpRange::at(stub.ip)),
            }
        }
        p
    }

    /// Allows number `nr` from the instruction ending at `ip`.
    pub fn pin(mut self, nr: u32, ip: u64) -> Policy {
        self.pinned.push(Site { nr, ip });
        self
    }

    /// Allows any call from `range`.
    pub fn allow_range(mut self, range: IpRange) -> Policy {
        self.regions.push(Region {
            range,
            numbers: None,
        });
        self
    }

    /// Allows the calls numbered in `numbers` from `range`.
    pub fn allow_range_for(mut self, range: IpRange, numbers: &[u32]) -> Policy {
        let numbers = Some(sorted(numbers.iter().copied()));
        self.regions.push(Region { range, numbers });
        self
    }

    /// (3) Limits the rules added so far to the numbers in `numbers` (pinned sites of other
    /// numbers are dropped, regions keep only these numbers). Rules added afterwards are not
    /// limited: add the vDSO after this to let it make its calls whatever the list says.
    ///
    /// Whatever the list, the calls a program needs to end and to return from its own
    /// signal handlers stay allowed from their own rules: pinned sites of `exit`,
    /// `exit_group`, `rt_sigreturn`, `sigreturn` and `restart_syscall` are kept, and regions
    /// keep `exit` and `exit_group` (an allow-list without them killed the program at its
    /// exit). `rt_sigreturn` is kept only where it is pinned (libsys's restorer, see
    /// `install::manifest`), never added to a region: from a region it would let a forged
    /// signal frame in (SROP).
    pub fn only_numbers(mut self, numbers: &[u32]) -> Policy {
        let n = self.arch.numbers();
        let list = sorted(numbers.iter().copied().chain([n.exit, n.exit_group]));
        let listed = |nr: &u32| list.binary_search(nr).is_ok();
        let kept = [n.rt_sigreturn, n.restart_syscall]
            .into_iter()
            .chain(n.sigreturn);
        let kept: Vec<u32> = kept.collect();
        self.pinned
            .retain(|s| listed(&s.nr) || kept.contains(&s.nr));
        for r in &mut self.regions {
            r.numbers = Some(match r.numbers.take() {
                None => list.clone(),
                Some(own) => own.into_iter().filter(listed).collect(),
            });
        }
        self
    }

    /// Allows `io_uring_setup`, `io_uring_enter` and `io_uring_register` wherever the rules
    /// allow them. Without this, every policy refuses the three whatever its rules say (a
    /// stub for them in the manifest is not enough), because the operations a ring performs
    /// never pass through seccomp: with a ring, a program can open, write, create
    /// directories, connect sockets… with no system call the filter sees. Asking for them
    /// opens every operation io_uring offers (`IORING_OP_*`), whatever the rest of the
    /// policy says. A ring created *before* the policy is installed keeps working either
    /// way (`install::restrict` refuses to install while the process holds one).
    pub fn allow_io_uring(mut self) -> Policy {
        self.io_uring = true;
        self
    }

    /// Whether [`allow_io_uring`](Policy::allow_io_uring) was asked for.
    pub fn allows_io_uring(&self) -> bool {
        self.io_uring
    }

    /// What happens to calls no rule allows (initially [`Action::KillProcess`]).
    pub fn otherwise(mut self, action: Action) -> Policy {
        self.otherwise = action;
        self
    }

    /// The architecture.
    pub fn arch(&self) -> Arch {
        self.arch
    }

    /// The pinned sites.
    pub fn sites(&self) -> &[Site] {
        &self.pinned
    }

    /// The regions.
    pub fn regions(&self) -> &[Region] {
        &self.regions
    }

    /// The action for calls no rule allows.
    pub fn otherwise_action(&self) -> Action {
        self.otherwise
    }

    /// The rules as the filter applies them: without io_uring's numbers (unless
    /// [`allow_io_uring`](Policy::allow_io_uring)), and with `restart_syscall` allowed from
    /// every address a rule allows — the kernel restarts an interrupted call (after a stop
    /// and continue, for example) as `restart_syscall` made by the original call's
    /// instruction, so refusing it there broke `clock_nanosleep`, `nanosleep`, `futex` waits
    /// and `poll` (it only resumes the calling thread's interrupted call, or fails `EINTR`).
    /// Pinned sites less than 64 KiB apart count as one span for it (the stubs section).
    fn effective(&self) -> (Vec<Site>, Vec<Region>) {
        let n = self.arch.numbers();
        let ring = n.io_uring();
        let keep = |nr: &u32| self.io_uring || !ring.contains(nr);
        // x32 numbers never match (`decide` refuses them first; the filter checks them only
        // on the way to the regions).
        let x32 = self.arch.x32_bit().unwrap_or(0);
        let mut pinned: Vec<Site> = (self.pinned.iter())
            .filter(|s| keep(&s.nr) && s.nr & x32 == 0)
            .copied()
            .collect();
        pinned.sort_unstable();
        pinned.dedup();
        let mut regions: Vec<Region> = (self.regions.iter())
            .map(|r| Region {
                range: r.range,
                numbers: r.numbers.as_ref().map(|list| {
                    sorted(list.iter().copied().filter(keep).chain([n.restart_syscall]))
                }),
            })
            .collect();
        // restart_syscall from the spans of pinned sites (sites less than 64 KiB apart form
        // one span: the stubs section, the vDSO's trampolines): a few range checks rather
        // than one per site.
        let mut ips: Vec<u64> = self.pinned.iter().map(|s| s.ip).collect();
        ips.sort_unstable();
        let mut spans: Vec<(u64, u64)> = Vec::new();
        for ip in ips {
            match spans.last_mut() {
                Some((_, last)) if ip - *last < 0x1_0000 => *last = ip,
                _ => spans.push((ip, ip)),
            }
        }
        regions.extend(spans.into_iter().map(|(first, last)| Region {
            range: IpRange::new(first.wrapping_sub(1), last),
            numbers: Some(alloc::vec![n.restart_syscall]),
        }));
        (pinned, regions)
    }

    /// The policy's decision for one call, computed directly (the reference the compiled
    /// filter is tested against).
    pub fn decide(&self, data: &SeccompData) -> Action {
        let (nr, ip) = (data.nr, data.instruction_pointer);
        if data.arch != self.arch.audit() {
            return Action::KillProcess;
        }
        if !self.arch.is_64bit() && ip >> 32 != 0 {
            return self.otherwise;
        }
        if self.arch.x32_bit().is_some_and(|bit| nr & bit != 0) {
            return self.otherwise;
        }
        if !self.io_uring && self.arch.numbers().io_uring().contains(&nr) {
            return self.otherwise;
        }
        let (pinned, regions) = self.effective();
        if pinned.iter().any(|s| s.nr == nr && s.ip == ip)
            || regions.iter().any(|r| r.allows(nr, ip))
        {
            return Action::Allow;
        }
        self.otherwise
    }

    /// Compiles the policy into a seccomp filter.
    ///
    /// The program checks the arch word, then (on 32-bit architectures) that the high half of
    /// the address is 0; then it finds the number's pinned sites with a binary search and
    /// compares the address, both 32-bit halves; then it refuses x32 numbers (x86_64) and
    /// io_uring's, and tries the regions in order.
    ///
    /// Fails on an `otherwise` of `Action::Errno(0)` or an errno above 4095, on a range whose
    /// start is above its end, if an address does not fit a 32-bit architecture or if the
    /// program would exceed 4096 instructions. Numbers the architecture does not have are
    /// reported in [`Filter::warnings`].
    pub fn compile(&self) -> Result<Filter, CompileError> {
        let arch = self.arch;
        if let Action::Errno(errno) = self.otherwise
            && (errno == 0 || errno > 4095)
        {
            return Err(CompileError::BadErrno { errno });
        }
        if let Some(r) = self.regions.iter().find(|r| r.range.start > r.range.end) {
            return Err(CompileError::ReversedRange { range: r.range });
        }
        let mut warnings = Vec::new();
        if arch == Arch::NATIVE {
            let numbers = (self.pinned.iter().map(|s| s.nr)).chain(
                self.regions
                    .iter()
                    .flat_map(|r| r.numbers.iter().flatten().copied()),
            );
            for nr in sorted(numbers) {
                if sys_core::nr::name(nr as usize).is_none() {
                    warnings.push(Warning::UnknownNumber { nr });
                }
            }
        }
        let (pinned, regions) = self.effective();
        if !arch.is_64bit() {
            let addresses = (pinned.iter().map(|s| s.ip)).chain(
                (regions.iter())
                    .filter(|r| !r.range.is_empty())
                    .flat_map(|r| [r.range.start, r.range.end]),
            );
            for address in addresses {
                if address > u64::from(u32::MAX) {
                    return Err(CompileError::AddressTooWide { address });
                }
            }
        }
        let mut c = Compiler {
            a: Assembler::new(),
            arch,
        };
        let (allow, deny, kill) = (c.a.label(), c.a.label(), c.a.label());
        let past_ring = c.a.label();

        c.a.load(offset::ARCH);
        c.a.jump(Cond::Eq, arch.audit(), Target::Next, kill.into());
        if !arch.is_64bit() {
            c.a.load(arch.ip_high_offset());
            c.a.jump(Cond::Eq, 0, Target::Next, deny.into());
        }
        // Pinned sites: number → its addresses, found by a binary search on A (= nr).
        let regions_at = c.a.label();
        let mut by_nr: BTreeMap<u32, Vec<u64>> = BTreeMap::new();
        for s in &pinned {
            by_nr.entry(s.nr).or_default().push(s.ip);
        }
        if !by_nr.is_empty() {
            c.a.load(offset::NR);
            let groups: Vec<(u32, Vec<u64>)> = (by_nr.into_iter())
                .map(|(nr, mut ips)| {
                    ips.sort_unstable();
                    ips.dedup();
                    (nr, ips)
                })
                .collect();
            c.sites(&groups, regions_at);
        }
        c.a.bind(regions_at);
        // The pinned sites hold no x32 number and (unless asked for) no io_uring number: these
        // checks are needed on the way to the regions only, off the path of a pinned call.
        let x32 = arch.x32_bit();
        if x32.is_some() || !self.io_uring {
            c.a.load(offset::NR);
        }
        if let Some(bit) = x32 {
            c.a.jump(Cond::Set, bit, deny.into(), Target::Next);
        }
        if !self.io_uring {
            // io_uring_setup ..= io_uring_register: refused.
            let [first, _, last] = arch.numbers().io_uring();
            c.a.jump(Cond::Ge, first, Target::Next, past_ring.into());
            c.a.jump(Cond::Gt, last, Target::Next, deny.into());
            c.a.bind(past_ring);
        }

        for r in regions.iter().filter(|r| !r.range.is_empty()) {
            let next = c.a.label();
            c.range(r.range, next);
            match &r.numbers {
                None => c.a.goto(allow),
                Some(list) => {
                    c.a.load(offset::NR);
                    let hits: Vec<(u32, Label)> = list.iter().map(|&n| (n, allow)).collect();
                    c.dispatch(&hits, next);
                }
            }
            c.a.bind(next);
        }

        c.a.bind(deny);
        c.a.ret(self.otherwise.word());
        c.a.bind(allow);
        c.a.ret(Action::Allow.word());
        c.a.bind(kill);
        c.a.ret(Action::KillProcess.word());

        let insns = c.a.finish()?;
        crate::bpf::validate(&insns).map_err(CompileError::Invalid)?;
        Ok(Filter {
            arch,
            insns,
            warnings,
            io_uring: self.io_uring,
        })
    }
}

/// The code generator's state: the assembler and the architecture's offsets.
struct Compiler {
    a: Assembler,
    arch: Arch,
}

impl Compiler {
    /// With the number in A: jumps to the label of `entries` (sorted by number, distinct)
    /// whose number equals A, or to `miss`. Short lists are a chain of `JEQ`s, longer ones
    /// are split in halves with `JGE`.
    fn dispatch(&mut self, entries: &[(u32, Label)], miss: Label) {
        const CHAIN: usize = 4;
        if entries.len() <= CHAIN {
            let Some(((last_nr, last), rest)) = entries.split_last() else {
                self.a.goto(miss);
                return;
            };
            for &(nr, to) in rest {
                self.a.jump(Cond::Eq, nr, to.into(), Target::Next);
            }
            self.a.jump(Cond::Eq, *last_nr, (*last).into(), miss.into());
            return;
        }
        let (low, high) = entries.split_at(entries.len() / 2);
        let Some(&(pivot, _)) = high.first() else {
            return;
        };
        let upper = self.a.label();
        self.a.jump(Cond::Ge, pivot, upper.into(), Target::Next);
        self.dispatch(low, miss);
        self.a.bind(upper);
        self.dispatch(high, miss);
    }

    /// With the number in A: for the group of `groups` (sorted by number, distinct) with A's
    /// number, returns ALLOW if the address is one of the group's; otherwise (another address,
    /// or a number without a group) jumps to `miss`. A binary search with `JGE` down to short
    /// chains of `JEQ`s, each followed by its group's address checks, so that no jump but the
    /// halving ones and the exits is long.
    fn sites(&mut self, groups: &[(u32, Vec<u64>)], miss: Label) {
        const CHAIN: usize = 4;
        if groups.len() > CHAIN {
            let (low, high) = groups.split_at(groups.len() / 2);
            if let Some((pivot, _)) = high.first() {
                let upper = self.a.label();
                self.a.jump(Cond::Ge, *pivot, upper.into(), Target::Next);
                self.sites(low, miss);
                self.a.bind(upper);
                self.sites(high, miss);
                return;
            }
        }
        for (nr, ips) in groups {
            let skip = self.a.label();
            self.a.jump(Cond::Eq, *nr, Target::Next, skip.into());
            self.addresses(ips);
            self.a.goto(miss);
            self.a.bind(skip);
        }
        self.a.goto(miss);
    }

    /// Returns ALLOW if the address is one of `ips` (sorted, distinct), else falls through.
    fn addresses(&mut self, ips: &[u64]) {
        let (lo_at, hi_at) = (self.arch.ip_low_offset(), self.arch.ip_high_offset());
        if !self.arch.is_64bit() {
            // The high half is known to be 0 (checked first).
            self.a.load(lo_at);
            for &ip in ips {
                let no = self.a.label();
                self.a.jump(Cond::Eq, ip as u32, Target::Next, no.into());
                self.a.ret(Action::Allow.word());
                self.a.bind(no);
            }
            return;
        }
        for &ip in ips {
            let no = self.a.label();
            self.a.load(hi_at);
            self.a
                .jump(Cond::Eq, (ip >> 32) as u32, Target::Next, no.into());
            self.a.load(lo_at);
            self.a.jump(Cond::Eq, ip as u32, Target::Next, no.into());
            self.a.ret(Action::Allow.word());
            self.a.bind(no);
        }
    }

    /// Jumps to `hit` if the address is one of `ips` (sorted, distinct), else to `miss`.
    fn pinned(&mut self, ips: &[u64], hit: Label, miss: Label) {
        let (lo_at, hi_at) = (self.arch.ip_low_offset(), self.arch.ip_high_offset());
        if !self.arch.is_64bit() {
            // The high half is known to be 0 (checked first).
            self.a.load(lo_at);
            let entries: Vec<(u32, Label)> = ips.iter().map(|&ip| (ip as u32, hit)).collect();
            self.dispatch(&entries, miss);
            return;
        }
        for (i, &ip) in ips.iter().enumerate() {
            let fail = if i + 1 == ips.len() {
                miss
            } else {
                self.a.label()
            };
            let (hi, lo) = ((ip >> 32) as u32, ip as u32);
            self.a.load(hi_at);
            self.a.jump(Cond::Eq, hi, Target::Next, fail.into());
            self.a.load(lo_at);
            self.a.jump(Cond::Eq, lo, hit.into(), fail.into());
            if fail != miss {
                self.a.bind(fail);
            }
        }
    }

    /// Falls through if `range` contains the address (`start < ip <= end`, each a 64-bit
    /// comparison of both halves), else jumps to `fail`.
    fn range(&mut self, range: IpRange, fail: Label) {
        let (lo_at, hi_at) = (self.arch.ip_low_offset(), self.arch.ip_high_offset());
        let (sh, sl) = ((range.start >> 32) as u32, range.start as u32);
        let (eh, el) = ((range.end >> 32) as u32, range.end as u32);
        if let Some(ip) = range.single() {
            let ok = self.a.label();
            self.pinned(&[ip], ok, fail);
            self.a.bind(ok);
            return;
        }
        if !self.arch.is_64bit() {
            self.a.load(lo_at);
            self.a.jump(Cond::Gt, sl, Target::Next, fail.into());
            self.a.jump(Cond::Gt, el, fail.into(), Target::Next);
            return;
        }
        if sh == eh {
            // One 4 GiB window: the high half must be it, the low half in (sl, el].
            self.a.load(hi_at);
            self.a.jump(Cond::Eq, sh, Target::Next, fail.into());
            self.a.load(lo_at);
            self.a.jump(Cond::Gt, sl, Target::Next, fail.into());
            self.a.jump(Cond::Gt, el, fail.into(), Target::Next);
            return;
        }
        // ip > start: high half greater, or equal and low half greater.
        let above_start = self.a.label();
        self.a.load(hi_at);
        self.a.jump(Cond::Gt, sh, above_start.into(), Target::Next);
        self.a.jump(Cond::Eq, sh, Target::Next, fail.into());
        self.a.load(lo_at);
        self.a.jump(Cond::Gt, sl, Target::Next, fail.into());
        self.a.bind(above_start);
        // ip <= end: high half smaller, or equal and low half not greater.
        let inside = self.a.label();
        self.a.load(hi_at);
        self.a.jump(Cond::Gt, eh, fail.into(), Target::Next);
        self.a.jump(Cond::Eq, eh, Target::Next, inside.into());
        self.a.load(lo_at);
        self.a.jump(Cond::Gt, el, fail.into(), Target::Next);
        self.a.bind(inside);
    }
}

/// A compiled seccomp filter for one architecture: the program to install, evaluate or dump.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Filter {
    arch: Arch,
    insns: Vec<Insn>,
    warnings: Vec<Warning>,
    io_uring: bool,
}

impl Filter {
    /// A filter from a program written by hand (checked as the kernel would).
    pub fn new(arch: Arch, insns: Vec<Insn>) -> Result<Filter, Invalid> {
        crate::bpf::validate(&insns)?;
        Ok(Filter {
            arch,
            insns,
            warnings: Vec::new(),
            io_uring: false,
        })
    }

    /// Whether the policy asked for io_uring ([`Policy::allow_io_uring`]); `false` for a
    /// filter made with [`Filter::new`]. `install::restrict` refuses to install a filter
    /// without it while the process holds a ring.
    pub fn allows_io_uring(&self) -> bool {
        self.io_uring
    }

    /// What [`Policy::compile`] noticed and let through (numbers the architecture does not
    /// have); empty for a filter made with [`Filter::new`].
    pub fn warnings(&self) -> &[Warning] {
        &self.warnings
    }

    /// The architecture the filter is for.
    pub fn arch(&self) -> Arch {
        self.arch
    }

    /// The instructions.
    pub fn insns(&self) -> &[Insn] {
        &self.insns
    }

    /// What the kernel would do with this call (evaluated by [`eval::eval`]).
    pub fn eval(&self, data: &SeccompData) -> Result<Action, EvalError> {
        eval::eval(&self.insns, data, self.arch.endian()).map(Action::from_word)
    }

    /// As [`eval`](Filter::eval), with the number of instructions the call executes.
    pub fn eval_counted(&self, data: &SeccompData) -> Result<(Action, usize), EvalError> {
        eval::eval_counted(&self.insns, data, self.arch.endian())
            .map(|(w, n)| (Action::from_word(w), n))
    }

    /// The program as text, as `seccomp-tools dump` shows it (also what `Display` prints).
    pub fn dump(&self) -> Dump<'_> {
        Dump::new(&self.insns, Some(self.arch))
    }
}

impl fmt::Display for Filter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.dump().fmt(f)
    }
}
