//! Classic BPF as seccomp accepts it: the instruction ([`Insn`], `struct sock_filter`), the
//! opcodes, a checker with the kernel's rules ([`validate`]) and an assembler with labels that
//! resolves jumps itself ([`Assembler`]).
//!
//! Sources (Linux 6.18): `include/uapi/linux/filter.h` and `include/uapi/linux/bpf_common.h`
//! (layout and opcodes), `kernel/seccomp.c` (`seccomp_check_filter`: the opcodes seccomp
//! accepts, loads 32-bit aligned inside `struct seccomp_data`), `net/core/filter.c`
//! (`bpf_check_classic`: jumps inside the program, a return last, no division by a constant
//! zero, shifts below 32, scratch slots below 16; `BPF_MAXINSNS`), bpf(4)'s classic-BPF part
//! in `Documentation/networking/filter.rst`.
//!
//! Classic BPF only jumps forward: a conditional jump has two 8-bit offsets (`jt`, `jf`,
//! counted from the next instruction), `JA` one 32-bit offset (`k`). [`Assembler`] takes jumps
//! to [`Label`]s and, where a target is more than 255 instructions away, routes the
//! conditional jump through `JA` trampolines placed right after it.

use alloc::vec::Vec;
use core::fmt;

/// The most instructions one classic BPF program may have (`BPF_MAXINSNS`).
pub const MAX_INSNS: usize = 4096;

/// One classic BPF instruction, laid out as the kernel's `struct sock_filter`.
///
/// ```
/// use sys_restrict::bpf::{Insn, op};
///
/// let load_nr = Insn::stmt(op::LD | op::W | op::ABS, 0);
/// assert_eq!((load_nr.code, load_nr.jt, load_nr.jf, load_nr.k), (0x20, 0, 0, 0));
/// assert_eq!(core::mem::size_of::<Insn>(), 8);
/// ```
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Insn {
    /// The opcode: class, size/operation, mode/source (see [`op`]).
    pub code: u16,
    /// Conditional jumps: instructions to skip when the condition holds.
    pub jt: u8,
    /// Conditional jumps: instructions to skip when it does not.
    pub jf: u8,
    /// The constant operand (load offset, immediate, `JA` offset, return value).
    pub k: u32,
}

impl Insn {
    /// A non-jump instruction (`BPF_STMT`).
    pub const fn stmt(code: u16, k: u32) -> Insn {
        Insn {
            code,
            jt: 0,
            jf: 0,
            k,
        }
    }

    /// A jump instruction (`BPF_JUMP`).
    pub const fn jump(code: u16, k: u32, jt: u8, jf: u8) -> Insn {
        Insn { code, jt, jf, k }
    }

    /// `A = word at offset k` of the input (`struct seccomp_data`).
    pub const fn load(offset: u32) -> Insn {
        Insn::stmt(op::LD | op::W | op::ABS, offset)
    }

    /// `return k`.
    pub const fn ret(k: u32) -> Insn {
        Insn::stmt(op::RET | op::K, k)
    }
}

/// Opcode parts and the whole opcodes seccomp accepts (`linux/bpf_common.h`,
/// `linux/filter.h`): an opcode is `class | size | mode` for loads and stores,
/// `class | operation | source` for arithmetic and jumps.
pub mod op {
    /// Class: load into A.
    pub const LD: u16 = 0x00;
    /// Class: load into X.
    pub const LDX: u16 = 0x01;
    /// Class: store A into a scratch slot.
    pub const ST: u16 = 0x02;
    /// Class: store X into a scratch slot.
    pub const STX: u16 = 0x03;
    /// Class: arithmetic on A.
    pub const ALU: u16 = 0x04;
    /// Class: jumps.
    pub const JMP: u16 = 0x05;
    /// Class: return.
    pub const RET: u16 = 0x06;
    /// Class: register moves.
    pub const MISC: u16 = 0x07;

    /// Size: 32-bit word.
    pub const W: u16 = 0x00;
    /// Size: 16-bit half word (not for seccomp).
    pub const H: u16 = 0x08;
    /// Size: byte (not for seccomp).
    pub const B: u16 = 0x10;

    /// Mode: the constant `k`.
    pub const IMM: u16 = 0x00;
    /// Mode: the input at offset `k`.
    pub const ABS: u16 = 0x20;
    /// Mode: the input at offset `X + k` (not for seccomp).
    pub const IND: u16 = 0x40;
    /// Mode: scratch slot `k`.
    pub const MEM: u16 = 0x60;
    /// Mode: the input's length.
    pub const LEN: u16 = 0x80;
    /// Mode: IP header length (not for seccomp).
    pub const MSH: u16 = 0xa0;

    /// ALU: addition.
    pub const ADD: u16 = 0x00;
    /// ALU: subtraction.
    pub const SUB: u16 = 0x10;
    /// ALU: multiplication.
    pub const MUL: u16 = 0x20;
    /// ALU: unsigned division.
    pub const DIV: u16 = 0x30;
    /// ALU: bitwise or.
    pub const OR: u16 = 0x40;
    /// ALU: bitwise and.
    pub const AND: u16 = 0x50;
    /// ALU: shift left.
    pub const LSH: u16 = 0x60;
    /// ALU: logical shift right.
    pub const RSH: u16 = 0x70;
    /// ALU: negation.
    pub const NEG: u16 = 0x80;
    /// ALU: remainder (classic BPF has it; seccomp rejects it).
    pub const MOD: u16 = 0x90;
    /// ALU: exclusive or.
    pub const XOR: u16 = 0xa0;

    /// Jump: always, by `k`.
    pub const JA: u16 = 0x00;
    /// Jump: if `A == operand`.
    pub const JEQ: u16 = 0x10;
    /// Jump: if `A > operand` (unsigned).
    pub const JGT: u16 = 0x20;
    /// Jump: if `A >= operand` (unsigned).
    pub const JGE: u16 = 0x30;
    /// Jump: if `A & operand != 0`.
    pub const JSET: u16 = 0x40;

    /// Source: the constant `k`.
    pub const K: u16 = 0x00;
    /// Source: register X.
    pub const X: u16 = 0x08;
    /// Return source: register A (`RET | A`).
    pub const A: u16 = 0x10;

    /// Misc: `X = A`.
    pub const TAX: u16 = 0x00;
    /// Misc: `A = X`.
    pub const TXA: u16 = 0x80;

    /// Every opcode `seccomp_check_filter` accepts, in its order.
    pub const SECCOMP: [u16; 41] = [
        LD | W | ABS,
        LD | W | LEN,
        LDX | W | LEN,
        RET | K,
        RET | A,
        ALU | ADD | K,
        ALU | ADD | X,
        ALU | SUB | K,
        ALU | SUB | X,
        ALU | MUL | K,
        ALU | MUL | X,
        ALU | DIV | K,
        ALU | DIV | X,
        ALU | AND | K,
        ALU | AND | X,
        ALU | OR | K,
        ALU | OR | X,
        ALU | XOR | K,
        ALU | XOR | X,
        ALU | LSH | K,
        ALU | LSH | X,
        ALU | RSH | K,
        ALU | RSH | X,
        ALU | NEG,
        LD | IMM,
        LDX | IMM,
        MISC | TAX,
        MISC | TXA,
        LD | MEM,
        LDX | MEM,
        ST,
        STX,
        JMP | JA,
        JMP | JEQ | K,
        JMP | JEQ | X,
        JMP | JGE | K,
        JMP | JGE | X,
        JMP | JGT | K,
        JMP | JGT | X,
        JMP | JSET | K,
        JMP | JSET | X,
    ];

    /// Whether seccomp accepts this opcode.
    ///
    /// ```
    /// use sys_restrict::bpf::op;
    ///
    /// assert!(op::seccomp_accepts(op::JMP | op::JSET | op::K));
    /// assert!(!op::seccomp_accepts(op::ALU | op::MOD | op::K));
    /// assert!(!op::seccomp_accepts(op::LD | op::B | op::ABS));
    /// ```
    pub const fn seccomp_accepts(code: u16) -> bool {
        let mut rest: &[u16] = &SECCOMP;
        while let [first, tail @ ..] = rest {
            if *first == code {
                return true;
            }
            rest = tail;
        }
        false
    }
}

/// Why the kernel would reject a program ([`validate`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Invalid {
    /// No instruction at all.
    Empty,
    /// More than [`MAX_INSNS`] instructions.
    TooLong {
        /// The program's length.
        len: usize,
    },
    /// An opcode seccomp does not accept.
    Opcode {
        /// The instruction's index.
        at: usize,
        /// Its opcode.
        code: u16,
    },
    /// A load outside `struct seccomp_data` (64 bytes) or not 32-bit aligned.
    Load {
        /// The instruction's index.
        at: usize,
        /// Its offset.
        k: u32,
    },
    /// A scratch slot at 16 or above.
    Slot {
        /// The instruction's index.
        at: usize,
        /// The slot.
        k: u32,
    },
    /// A division by the constant zero.
    DivisionByZero {
        /// The instruction's index.
        at: usize,
    },
    /// A shift by a constant of 32 or more.
    Shift {
        /// The instruction's index.
        at: usize,
    },
    /// A jump past the last instruction.
    Jump {
        /// The instruction's index.
        at: usize,
    },
    /// The last instruction is not a return.
    NoReturn,
}

impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Invalid::Empty => f.write_str("empty program"),
            Invalid::TooLong { len } => {
                write!(f, "{len} instructions (at most {MAX_INSNS})")
            }
            Invalid::Opcode { at, code } => {
                write!(
                    f,
                    "instruction {at}: opcode {code:#06x} not accepted by seccomp"
                )
            }
            Invalid::Load { at, k } => write!(
                f,
                "instruction {at}: load at offset {k} (aligned, below 64 for seccomp_data)"
            ),
            Invalid::Slot { at, k } => write!(f, "instruction {at}: scratch slot {k} (0..16)"),
            Invalid::DivisionByZero { at } => write!(f, "instruction {at}: division by zero"),
            Invalid::Shift { at } => write!(f, "instruction {at}: shift by 32 or more"),
            Invalid::Jump { at } => write!(f, "instruction {at}: jump past the end"),
            Invalid::NoReturn => f.write_str("the last instruction is not a return"),
        }
    }
}

impl core::error::Error for Invalid {}

/// Size of `struct seccomp_data`, the input of every seccomp filter.
const DATA_LEN: u32 = 64;

/// Checks a program as `seccomp(SECCOMP_SET_MODE_FILTER)` does before it accepts it (the
/// rules of `bpf_check_classic` and `seccomp_check_filter`), so that a mistake is found
/// before installing and on any host. Not checked: the kernel's test that no scratch slot
/// is read before it is written (the programs of this crate use no slots).
///
/// ```
/// use sys_restrict::bpf::{self, Insn, Invalid};
///
/// assert_eq!(bpf::validate(&[Insn::load(0), Insn::ret(0)]), Ok(()));
/// assert_eq!(bpf::validate(&[Insn::load(6), Insn::ret(0)]), Err(Invalid::Load { at: 0, k: 6 }));
/// assert_eq!(bpf::validate(&[Insn::load(0)]), Err(Invalid::NoReturn));
/// ```
pub fn validate(program: &[Insn]) -> Result<(), Invalid> {
    let len = program.len();
    if len == 0 {
        return Err(Invalid::Empty);
    }
    if len > MAX_INSNS {
        return Err(Invalid::TooLong { len });
    }
    for (at, insn) in program.iter().enumerate() {
        let (code, k) = (insn.code, insn.k);
        if !op::seccomp_accepts(code) {
            return Err(Invalid::Opcode { at, code });
        }
        let class = code & 0x07;
        let rest = len - at - 1; // instructions after this one
        let mode = code & 0xe0;
        match class {
            op::LD | op::LDX if mode == op::ABS && (k >= DATA_LEN || k & 3 != 0) => {
                return Err(Invalid::Load { at, k });
            }
            op::LD | op::LDX if mode == op::MEM && k >= 16 => {
                return Err(Invalid::Slot { at, k });
            }
            op::ST | op::STX if k >= 16 => return Err(Invalid::Slot { at, k }),
            op::ALU => match code & 0xf0 {
                op::DIV if code & op::X == 0 && k == 0 => {
                    return Err(Invalid::DivisionByZero { at });
                }
                op::LSH | op::RSH if code & op::X == 0 && k >= 32 => {
                    return Err(Invalid::Shift { at });
                }
                _ => {}
            },
            op::JMP => {
                let far = if code & 0xf0 == op::JA {
                    k as usize >= rest
                } else {
                    insn.jt as usize >= rest || insn.jf as usize >= rest
                };
                if far {
                    return Err(Invalid::Jump { at });
                }
            }
            _ => {}
        }
    }
    match program.last() {
        Some(last) if last.code & 0x07 == op::RET => Ok(()),
        _ => Err(Invalid::NoReturn),
    }
}

/// A jump target handed out by [`Assembler::label`] and placed by [`Assembler::bind`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Label(u32);

/// Where a conditional jump goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// The next instruction (the fall-through).
    Next,
    /// A label's position.
    To(Label),
}

impl From<Label> for Target {
    fn from(l: Label) -> Target {
        Target::To(l)
    }
}

/// The comparison of a conditional jump: `A` against `k` (`K`) or against `X`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cond {
    /// `A == k`.
    Eq,
    /// `A > k`, unsigned.
    Gt,
    /// `A >= k`, unsigned.
    Ge,
    /// `A & k != 0`.
    Set,
}

impl Cond {
    const fn code(self) -> u16 {
        op::JMP
            | op::K
            | match self {
                Cond::Eq => op::JEQ,
                Cond::Gt => op::JGT,
                Cond::Ge => op::JGE,
                Cond::Set => op::JSET,
            }
    }
}

/// Why [`Assembler::finish`] failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AsmError {
    /// The program would have more than [`MAX_INSNS`] instructions.
    TooLong {
        /// Its length, with trampolines.
        len: usize,
    },
    /// A label that was jumped to was never bound.
    Unbound(Label),
    /// A label was bound twice.
    BoundTwice(Label),
    /// A jump to a label bound before it (classic BPF only jumps forward).
    Backward(Label),
    /// A jump to a label bound after the last instruction.
    PastEnd(Label),
}

impl fmt::Display for AsmError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            AsmError::TooLong { len } => {
                write!(f, "{len} instructions (at most {MAX_INSNS})")
            }
            AsmError::Unbound(l) => write!(f, "label {} is never bound", l.0),
            AsmError::BoundTwice(l) => write!(f, "label {} is bound twice", l.0),
            AsmError::Backward(l) => {
                write!(
                    f,
                    "jump back to label {} (classic BPF jumps forward only)",
                    l.0
                )
            }
            AsmError::PastEnd(l) => write!(f, "label {} is after the last instruction", l.0),
        }
    }
}

impl core::error::Error for AsmError {}

#[derive(Clone, Copy, Debug)]
enum Item {
    Plain(Insn),
    Cond {
        code: u16,
        k: u32,
        jt: Target,
        jf: Target,
    },
    Goto(Label),
    Bind(Label),
}

/// Builds a program from instructions and jumps to labels, and lays the jumps out.
///
/// A conditional jump whose target is too far for its 8-bit offset is rewritten as the jump
/// to one or two `JA` trampolines right after it (`JA` has a 32-bit offset). Errors (a program
/// that is too long, labels that are unbound, bound twice or behind their jump) are returned
/// by [`finish`](Assembler::finish); nothing panics.
///
/// ```
/// use sys_restrict::bpf::{Assembler, Cond, Insn, Target};
///
/// let mut asm = Assembler::new();
/// let allow = asm.label();
/// asm.push(Insn::load(0));
/// asm.jump(Cond::Eq, 39, allow.into(), Target::Next); // getpid on x86_64
/// for _ in 0..300 {
///     asm.push(Insn::load(0)); // pushes `allow` out of an 8-bit jump's reach
/// }
/// asm.push(Insn::ret(0));
/// asm.bind(allow);
/// asm.push(Insn::ret(0x7fff_0000));
/// let program = asm.finish().unwrap();
/// assert_eq!(program.len(), 2 + 1 + 300 + 2); // the jump goes through a trampoline
/// sys_restrict::bpf::validate(&program).unwrap();
/// ```
#[derive(Clone, Debug, Default)]
pub struct Assembler {
    items: Vec<Item>,
    labels: u32,
}

impl Assembler {
    /// An empty program.
    pub fn new() -> Assembler {
        Assembler::default()
    }

    /// A new label, to be bound once with [`bind`](Assembler::bind).
    pub fn label(&mut self) -> Label {
        self.labels = self.labels.wrapping_add(1);
        Label(self.labels - 1)
    }

    /// Places `label` at the next instruction.
    pub fn bind(&mut self, label: Label) {
        self.items.push(Item::Bind(label));
    }

    /// Appends one instruction as is (its jump offsets, if any, are taken literally).
    pub fn push(&mut self, insn: Insn) {
        self.items.push(Item::Plain(insn));
    }

    /// `A = word at offset` of the input.
    pub fn load(&mut self, offset: u32) {
        self.push(Insn::load(offset));
    }

    /// `return k`.
    pub fn ret(&mut self, k: u32) {
        self.push(Insn::ret(k));
    }

    /// `if (A cond k) goto jt else goto jf`.
    pub fn jump(&mut self, cond: Cond, k: u32, jt: Target, jf: Target) {
        self.items.push(Item::Cond {
            code: cond.code(),
            k,
            jt,
            jf,
        });
    }

    /// `goto label` (`JA`).
    pub fn goto(&mut self, label: Label) {
        self.items.push(Item::Goto(label));
    }

    /// Lays the program out, resolving every jump.
    pub fn finish(&self) -> Result<Vec<Insn>, AsmError> {
        let n = self.labels as usize;
        // Where each label is, in items (for the ordering check) and in instructions.
        let mut bound_item: Vec<Option<usize>> = alloc::vec![None; n];
        for (i, item) in self.items.iter().enumerate() {
            if let Item::Bind(l) = *item {
                let slot = bound_item
                    .get_mut(l.0 as usize)
                    .ok_or(AsmError::Unbound(l))?;
                if slot.is_some() {
                    return Err(AsmError::BoundTwice(l));
                }
                *slot = Some(i);
            }
        }
        let target_item = |at: usize, t: Target| -> Result<(), AsmError> {
            if let Target::To(l) = t {
                match bound_item.get(l.0 as usize).copied().flatten() {
                    None => return Err(AsmError::Unbound(l)),
                    Some(b) if b < at => return Err(AsmError::Backward(l)),
                    Some(_) => {}
                }
            }
            Ok(())
        };
        for (i, item) in self.items.iter().enumerate() {
            match *item {
                Item::Cond { jt, jf, .. } => {
                    target_item(i, jt)?;
                    target_item(i, jf)?;
                }
                Item::Goto(l) => target_item(i, Target::To(l))?,
                _ => {}
            }
        }

        // Which targets of conditional jumps go through a trampoline: grows until every
        // direct offset fits. Marking only lengthens the program, so this ends after at most
        // two rounds per jump.
        let mut far = alloc::vec![(false, false); self.items.len()];
        let mut pos = alloc::vec![0usize; self.items.len()];
        let mut label_pos = alloc::vec![0usize; n];
        loop {
            let mut at = 0usize;
            for (i, item) in self.items.iter().enumerate() {
                if let Some(p) = pos.get_mut(i) {
                    *p = at;
                }
                at += match *item {
                    Item::Bind(l) => {
                        if let Some(p) = label_pos.get_mut(l.0 as usize) {
                            *p = at;
                        }
                        0
                    }
                    Item::Cond { .. } => {
                        let (t, f) = far.get(i).copied().unwrap_or_default();
                        1 + usize::from(t) + usize::from(f)
                    }
                    _ => 1,
                };
            }
            if at > MAX_INSNS {
                return Err(AsmError::TooLong { len: at });
            }
            let mut changed = false;
            for (i, item) in self.items.iter().enumerate() {
                if let Item::Cond { jt, jf, .. } = *item {
                    let here = pos.get(i).copied().unwrap_or(0);
                    let too_far = |t: Target| match t {
                        Target::Next => false,
                        Target::To(l) => {
                            let to = label_pos.get(l.0 as usize).copied().unwrap_or(0);
                            to.saturating_sub(here + 1) > 255
                        }
                    };
                    if let Some((ft, ff)) = far.get_mut(i) {
                        for (flag, t) in [(ft, jt), (ff, jf)] {
                            if !*flag && too_far(t) {
                                *flag = true;
                                changed = true;
                            }
                        }
                    }
                }
            }
            if !changed {
                return self.emit(&far, &label_pos, at);
            }
        }
    }

    fn emit(
        &self,
        far: &[(bool, bool)],
        label_pos: &[usize],
        total: usize,
    ) -> Result<Vec<Insn>, AsmError> {
        let mut out = Vec::with_capacity(total);
        let place = |l: Label| -> Result<usize, AsmError> {
            match label_pos.get(l.0 as usize) {
                Some(&p) if p < total => Ok(p),
                _ => Err(AsmError::PastEnd(l)),
            }
        };
        for (i, item) in self.items.iter().enumerate() {
            let here = out.len();
            match *item {
                Item::Bind(_) => {}
                Item::Plain(insn) => out.push(insn),
                Item::Goto(l) => {
                    let k = place(l)?.saturating_sub(here + 1);
                    out.push(Insn::stmt(op::JMP | op::JA, offset32(k)));
                }
                Item::Cond { code, k, jt, jf } => {
                    // The jump, then a `JA` trampoline for each far target (jt's first).
                    let (ft, ff) = far.get(i).copied().unwrap_or_default();
                    let tramps = usize::from(ft) + usize::from(ff);
                    let offset = |t: Target, far: bool, tramp: usize| -> Result<u8, AsmError> {
                        let d = match t {
                            _ if far => tramp,
                            Target::Next => tramps,
                            Target::To(l) => place(l)?.saturating_sub(here + 1),
                        };
                        Ok(u8::try_from(d).unwrap_or(u8::MAX))
                    };
                    let (ot, of) = (offset(jt, ft, 0)?, offset(jf, ff, usize::from(ft))?);
                    out.push(Insn::jump(code, k, ot, of));
                    for (t, is_far) in [(jt, ft), (jf, ff)] {
                        if let (Target::To(l), true) = (t, is_far) {
                            let from = out.len() + 1;
                            let k = place(l)?.saturating_sub(from);
                            out.push(Insn::stmt(op::JMP | op::JA, offset32(k)));
                        }
                    }
                }
            }
        }
        Ok(out)
    }
}

/// A `JA` offset: programs are at most 4096 long, so every offset fits.
fn offset32(d: usize) -> u32 {
    u32::try_from(d).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seccomp_list_has_the_kernels_41_opcodes() {
        let mut all: Vec<u16> = op::SECCOMP.to_vec();
        all.sort_unstable();
        all.dedup();
        assert_eq!(all.len(), 41);
        // Every accepted opcode is below 0x100; Miri checks just those.
        let top = if cfg!(miri) { 0xff } else { u16::MAX };
        let accepted = (0..=top).filter(|&c| op::seccomp_accepts(c)).count();
        assert_eq!(accepted, 41);
    }

    #[test]
    fn near_jumps_use_plain_offsets() {
        let mut a = Assembler::new();
        let l = a.label();
        a.load(0);
        a.jump(Cond::Eq, 1, l.into(), Target::Next);
        a.ret(0);
        a.bind(l);
        a.ret(1);
        let p = a.finish().unwrap();
        assert_eq!(p[1], Insn::jump(op::JMP | op::JEQ, 1, 1, 0));
        validate(&p).unwrap();
    }

    #[test]
    fn far_targets_go_through_trampolines() {
        for (jt_far, jf_far) in [(true, false), (false, true), (true, true)] {
            let mut a = Assembler::new();
            let (near, far) = (a.label(), a.label());
            let t = |f| if f { Target::To(far) } else { Target::To(near) };
            a.load(0);
            a.jump(Cond::Eq, 7, t(jt_far), t(jf_far));
            a.bind(near);
            a.ret(1);
            for _ in 0..300 {
                a.ret(2);
            }
            a.bind(far);
            a.ret(3);
            let p = a.finish().unwrap();
            validate(&p).unwrap();
            let ja = |i: usize| p[i].code == op::JMP | op::JA;
            let tramps = usize::from(jt_far) + usize::from(jf_far);
            assert!((2..2 + tramps).all(ja), "{jt_far} {jf_far}");
            assert!(!ja(2 + tramps));
            // Follow both branches by hand.
            let follow = |off: u8| {
                let i = 2 + off as usize;
                if ja(i) { i + 1 + p[i].k as usize } else { i }
            };
            let end = |f| if f { p.len() - 1 } else { 2 + tramps };
            assert_eq!(follow(p[1].jt), end(jt_far));
            assert_eq!(follow(p[1].jf), end(jf_far));
        }
    }

    #[test]
    fn a_jump_pushed_out_of_reach_by_other_trampolines_is_expanded_too() {
        // Jump 0 targets a label 255 instructions away, but the jumps in between grow.
        let mut a = Assembler::new();
        let (end, far) = (a.label(), a.label());
        a.jump(Cond::Eq, 0, end.into(), Target::Next);
        a.jump(Cond::Eq, 0, far.into(), Target::Next);
        for _ in 0..253 {
            a.ret(0);
        }
        a.bind(end);
        a.ret(1);
        for _ in 0..10 {
            a.ret(0);
        }
        a.bind(far);
        a.ret(2);
        let p = a.finish().unwrap();
        validate(&p).unwrap();
        assert_eq!(p.last().unwrap().k, 2);
    }

    #[test]
    fn label_errors_are_errors() {
        let mut a = Assembler::new();
        let l = a.label();
        a.goto(l);
        a.ret(0);
        assert_eq!(a.finish(), Err(AsmError::Unbound(l)));
        a.bind(l);
        assert_eq!(a.finish(), Err(AsmError::PastEnd(l)));
        a.bind(l);
        assert_eq!(a.finish(), Err(AsmError::BoundTwice(l)));

        let mut b = Assembler::new();
        let l = b.label();
        b.bind(l);
        b.ret(0);
        b.goto(l);
        assert_eq!(b.finish(), Err(AsmError::Backward(l)));
    }

    #[test]
    fn too_long_is_an_error() {
        let mut a = Assembler::new();
        for _ in 0..=MAX_INSNS {
            a.ret(0);
        }
        assert_eq!(a.finish(), Err(AsmError::TooLong { len: MAX_INSNS + 1 }));
        let p: Vec<Insn> = (0..=MAX_INSNS).map(|_| Insn::ret(0)).collect();
        assert_eq!(validate(&p), Err(Invalid::TooLong { len: MAX_INSNS + 1 }));
    }

    #[test]
    fn validate_mirrors_the_kernel_checks() {
        let r = Insn::ret(0);
        assert_eq!(validate(&[]), Err(Invalid::Empty));
        assert_eq!(
            validate(&[Insn::stmt(op::LD | op::W | op::ABS, 64), r]),
            Err(Invalid::Load { at: 0, k: 64 })
        );
        assert_eq!(
            validate(&[Insn::stmt(op::LD | op::MEM, 16), r]),
            Err(Invalid::Slot { at: 0, k: 16 })
        );
        assert_eq!(validate(&[Insn::stmt(op::ST, 15), r]), Ok(()));
        assert_eq!(
            validate(&[Insn::stmt(op::ALU | op::DIV | op::K, 0), r]),
            Err(Invalid::DivisionByZero { at: 0 })
        );
        assert_eq!(
            validate(&[Insn::stmt(op::ALU | op::LSH | op::K, 32), r]),
            Err(Invalid::Shift { at: 0 })
        );
        assert_eq!(
            validate(&[Insn::jump(op::JMP | op::JEQ, 0, 1, 0), r]),
            Err(Invalid::Jump { at: 0 })
        );
        assert_eq!(
            validate(&[Insn::stmt(op::JMP | op::JA, 1), r]),
            Err(Invalid::Jump { at: 0 })
        );
        assert_eq!(
            validate(&[Insn::stmt(op::ALU | op::MOD | op::K, 3), r]),
            Err(Invalid::Opcode { at: 0, code: 0x94 })
        );
    }
}
