//! A pure interpreter of classic BPF over a `struct seccomp_data`: what the kernel would
//! return for one system call, computed anywhere (tests, fuzzing, other architectures).
//!
//! Sources (Linux 6.18): `net/core/filter.c` (`bpf_convert_filter`: the meaning of each
//! classic opcode, 32-bit unsigned arithmetic, `A`/`X`/`M[16]` starting at zero, a division
//! by `X == 0` ending the program with 0), `kernel/seccomp.c` (`seccomp_check_filter`: word
//! loads only, aligned, inside the 64-byte struct; `LEN` loads the struct's size), and
//! `Documentation/networking/filter.rst`.
//!
//! It never panics: every program either returns a word or a defined [`EvalError`]
//! (programs the kernel would reject are evaluated as far as they go). It runs at most one
//! step per instruction, since classic BPF jumps only forward.

use crate::arch::{Endian, SeccompData};
use crate::bpf::{Insn, op};
use core::fmt;

/// Why a program did not return a value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EvalError {
    /// An opcode seccomp does not accept.
    Opcode {
        /// The instruction's index.
        at: usize,
        /// Its opcode.
        code: u16,
    },
    /// A load outside the 64-byte struct or not 32-bit aligned.
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
    /// A division by zero. The kernel rejects a constant zero when the filter is installed
    /// and ends the filter with 0 (`KILL_THREAD`) for `X == 0`.
    DivisionByZero {
        /// The instruction's index.
        at: usize,
    },
    /// A jump, or the end of the program, without a return.
    OutOfProgram {
        /// The index of the instruction that left the program.
        at: usize,
    },
}

impl fmt::Display for EvalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            EvalError::Opcode { at, code } => {
                write!(
                    f,
                    "instruction {at}: opcode {code:#06x} not accepted by seccomp"
                )
            }
            EvalError::Load { at, k } => write!(f, "instruction {at}: bad load offset {k}"),
            EvalError::Slot { at, k } => write!(f, "instruction {at}: bad scratch slot {k}"),
            EvalError::DivisionByZero { at } => write!(f, "instruction {at}: division by zero"),
            EvalError::OutOfProgram { at } => {
                write!(f, "instruction {at}: left the program without a return")
            }
        }
    }
}

impl core::error::Error for EvalError {}

/// Runs `program` on `data` laid out in `endian` byte order and returns the filter's word
/// (see [`Action::from_word`](crate::Action::from_word)).
///
/// ```
/// use sys_restrict::arch::{Arch, SeccompData};
/// use sys_restrict::bpf::Insn;
/// use sys_restrict::eval::eval;
///
/// let program = [Insn::load(0), Insn::stmt(0x16, 0)]; // return A (the number)
/// let d = SeccompData::new(Arch::S390X, 20, 0);
/// assert_eq!(eval(&program, &d, Arch::S390X.endian()), Ok(20));
/// ```
pub fn eval(program: &[Insn], data: &SeccompData, endian: Endian) -> Result<u32, EvalError> {
    eval_bytes(program, &data.to_bytes(endian), endian)
}

/// As [`eval`], over the struct's raw 64 bytes.
pub fn eval_bytes(program: &[Insn], data: &[u8; 64], endian: Endian) -> Result<u32, EvalError> {
    run(program, data, endian).map(|(word, _)| word)
}

/// As [`eval`], and how many instructions the program executed for this call (the return
/// included): what a call costs in the filter itself, on the path it takes.
///
/// ```
/// use sys_restrict::arch::{Arch, SeccompData};
/// use sys_restrict::bpf::Insn;
/// use sys_restrict::eval::eval_counted;
///
/// let program = [Insn::load(0), Insn::stmt(0x16, 0)]; // return A
/// let d = SeccompData::new(Arch::X86_64, 39, 0);
/// assert_eq!(eval_counted(&program, &d, Arch::X86_64.endian()), Ok((39, 2)));
/// ```
pub fn eval_counted(
    program: &[Insn],
    data: &SeccompData,
    endian: Endian,
) -> Result<(u32, usize), EvalError> {
    run(program, &data.to_bytes(endian), endian)
}

fn run(program: &[Insn], data: &[u8; 64], endian: Endian) -> Result<(u32, usize), EvalError> {
    let mut steps = 0usize;
    let mut a: u32 = 0;
    let mut x: u32 = 0;
    let mut mem = [0u32; 16];
    let mut pc = 0usize;
    let mut prev = 0usize;
    loop {
        let at = pc;
        let Some(&insn) = program.get(pc) else {
            return Err(EvalError::OutOfProgram { at: prev });
        };
        prev = at;
        pc += 1;
        steps += 1;
        let k = insn.k;
        let code = insn.code;
        if !op::seccomp_accepts(code) {
            return Err(EvalError::Opcode { at, code });
        }
        match code {
            c if c == op::LD | op::W | op::ABS => a = load(data, k, endian, at)?,
            c if c == op::LD | op::W | op::LEN => a = 64,
            c if c == op::LDX | op::W | op::LEN => x = 64,
            c if c == op::LD | op::IMM => a = k,
            c if c == op::LDX | op::IMM => x = k,
            c if c == op::LD | op::MEM => a = *slot(&mut mem, k, at)?,
            c if c == op::LDX | op::MEM => x = *slot(&mut mem, k, at)?,
            op::ST => *slot(&mut mem, k, at)? = a,
            op::STX => *slot(&mut mem, k, at)? = x,
            c if c == op::MISC | op::TAX => x = a,
            c if c == op::MISC | op::TXA => a = x,
            c if c == op::RET | op::K => return Ok((k, steps)),
            c if c == op::RET | op::A => return Ok((a, steps)),
            c if c == op::JMP | op::JA => {
                pc = pc.saturating_add(k as usize);
            }
            c if c & 0x07 == op::JMP => {
                let operand = if c & op::X != 0 { x } else { k };
                let taken = match c & 0xf0 {
                    op::JEQ => a == operand,
                    op::JGT => a > operand,
                    op::JGE => a >= operand,
                    _ => a & operand != 0, // JSET: the only other accepted jump
                };
                pc += usize::from(if taken { insn.jt } else { insn.jf });
            }
            c => {
                // ALU: the only class left among the accepted opcodes.
                let operand = if c & op::X != 0 { x } else { k };
                a = match c & 0xf0 {
                    op::ADD => a.wrapping_add(operand),
                    op::SUB => a.wrapping_sub(operand),
                    op::MUL => a.wrapping_mul(operand),
                    op::DIV => match a.checked_div(operand) {
                        Some(q) => q,
                        None => return Err(EvalError::DivisionByZero { at }),
                    },
                    op::AND => a & operand,
                    op::OR => a | operand,
                    op::XOR => a ^ operand,
                    // eBPF's 32-bit shifts use the amount modulo 32 (a constant of 32 or more
                    // is rejected at install time).
                    op::LSH => a.wrapping_shl(operand),
                    op::RSH => a.wrapping_shr(operand),
                    _ => a.wrapping_neg(), // NEG
                };
            }
        }
    }
}

fn load(data: &[u8; 64], k: u32, endian: Endian, at: usize) -> Result<u32, EvalError> {
    let bad = EvalError::Load { at, k };
    if k & 3 != 0 {
        return Err(bad);
    }
    let i = k as usize;
    let bytes: [u8; 4] = data
        .get(i..i.saturating_add(4))
        .and_then(|s| s.try_into().ok())
        .ok_or(bad)?;
    Ok(match endian {
        Endian::Little => u32::from_le_bytes(bytes),
        Endian::Big => u32::from_be_bytes(bytes),
    })
}

fn slot(mem: &mut [u32; 16], k: u32, at: usize) -> Result<&mut u32, EvalError> {
    mem.get_mut(k as usize).ok_or(EvalError::Slot { at, k })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::arch::Arch;

    fn run(p: &[Insn]) -> Result<u32, EvalError> {
        let d = SeccompData {
            nr: 7,
            arch: 0xc000_003e,
            instruction_pointer: 0x0000_7fff_1234_5678,
            args: [0x1_0000_0002, 0, 0, 0, 0, 0],
        };
        eval(p, &d, Endian::Little)
    }

    #[test]
    fn loads_see_the_byte_order() {
        let d = SeccompData::new(Arch::S390X, 1, 0x0000_0002_0000_0003);
        let hi = [Insn::load(8), Insn::stmt(op::RET | op::A, 0)];
        let lo = [Insn::load(12), Insn::stmt(op::RET | op::A, 0)];
        assert_eq!(eval(&hi, &d, Endian::Big), Ok(2));
        assert_eq!(eval(&lo, &d, Endian::Big), Ok(3));
        assert_eq!(eval(&hi, &d, Endian::Little), Ok(3));
    }

    #[test]
    fn arithmetic_scratch_and_jumps() {
        let ra = Insn::stmt(op::RET | op::A, 0);
        let p = [
            Insn::load(16),                           // A = 2 (args[0] low)
            Insn::stmt(op::ALU | op::MUL | op::K, 5), // 10
            Insn::stmt(op::ST, 3),
            Insn::stmt(op::LDX | op::IMM, 3),
            Insn::stmt(op::ALU | op::DIV | op::X, 0), // 3
            Insn::stmt(op::ALU | op::NEG, 0),
            Insn::stmt(op::ALU | op::NEG, 0),
            Insn::stmt(op::LDX | op::MEM, 3),         // X = 10
            Insn::stmt(op::ALU | op::ADD | op::X, 0), // 13
            Insn::jump(op::JMP | op::JGE | op::K, 13, 1, 0),
            Insn::ret(0),
            Insn::jump(op::JMP | op::JSET | op::K, 2, 0, 1),
            Insn::ret(1),
            ra,
        ];
        assert_eq!(run(&p), Ok(13));
        let len = [Insn::stmt(op::LD | op::W | op::LEN, 0), ra];
        assert_eq!(run(&len), Ok(64));
    }

    #[test]
    fn bad_programs_are_errors() {
        let r = Insn::ret(0);
        assert_eq!(run(&[]), Err(EvalError::OutOfProgram { at: 0 }));
        assert_eq!(
            run(&[Insn::load(0)]),
            Err(EvalError::OutOfProgram { at: 0 })
        );
        assert_eq!(
            run(&[Insn::load(62), r]),
            Err(EvalError::Load { at: 0, k: 62 })
        );
        assert_eq!(
            run(&[Insn::load(64), r]),
            Err(EvalError::Load { at: 0, k: 64 })
        );
        assert_eq!(
            run(&[Insn::load(0xffff_fffc), r]),
            Err(EvalError::Load {
                at: 0,
                k: 0xffff_fffc
            })
        );
        assert_eq!(
            run(&[Insn::stmt(op::ALU | op::DIV | op::X, 0), r]),
            Err(EvalError::DivisionByZero { at: 0 })
        );
        assert_eq!(
            run(&[Insn::stmt(op::JMP | op::JA, u32::MAX), r]),
            Err(EvalError::OutOfProgram { at: 0 })
        );
        assert_eq!(
            run(&[Insn::load(0), Insn::jump(op::JMP | op::JEQ, 7, 200, 0), r]),
            Err(EvalError::OutOfProgram { at: 1 })
        );
        assert_eq!(
            run(&[Insn::stmt(op::ST, 16), r]),
            Err(EvalError::Slot { at: 0, k: 16 })
        );
        assert_eq!(
            run(&[Insn::stmt(op::LD | op::B | op::ABS, 0), r]),
            Err(EvalError::Opcode { at: 0, code: 0x30 })
        );
    }
}
