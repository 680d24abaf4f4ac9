//! A classic-BPF seccomp program as text, in the layout `seccomp-tools dump` uses: line number,
//! code, jt, jf and k in hex, and a C-like reading of each instruction with the names of the
//! `seccomp_data` fields it loads and the absolute line numbers of its jump targets.
//!
//! Sources: the opcodes of `linux/filter.h`, the `seccomp_data` offsets of `linux/seccomp.h`,
//! and the output format of seccomp-tools (david942j/seccomp-tools, `dump`), re-created here.

use crate::action::Action;
use crate::arch::{Arch, Endian, offset};
use crate::bpf::{Insn, op};
use core::fmt;

/// The text form of a program; see the [module documentation](self).
///
/// ```
/// use sys_restrict::bpf::Insn;
/// use sys_restrict::dump::Dump;
/// use sys_restrict::Arch;
///
/// let program = [
///     Insn::load(4),
///     Insn::jump(0x15, 0xc000_003e, 0, 1),
///     Insn::ret(0x7fff_0000),
///     Insn::ret(0x8000_0000),
/// ];
/// let text = Dump::new(&program, Some(Arch::X86_64)).to_string();
/// assert!(text.contains(" 0000: 0x20 0x00 0x00 0x00000004  A = arch\n"));
/// assert!(text.contains(" 0001: 0x15 0x00 0x01 0xc000003e  if (A != ARCH_X86_64) goto 0003\n"));
/// assert!(text.contains(" 0003: 0x06 0x00 0x00 0x80000000  return KILL_PROCESS\n"));
/// ```
#[derive(Clone, Copy, Debug)]
pub struct Dump<'a> {
    insns: &'a [Insn],
    arch: Option<Arch>,
}

impl<'a> Dump<'a> {
    /// The text of `insns`; `arch` names the halves of 64-bit fields (little-endian without
    /// one) and the arch word.
    pub fn new(insns: &'a [Insn], arch: Option<Arch>) -> Dump<'a> {
        Dump { insns, arch }
    }
}

/// The name of the field a load at `k` reads.
struct Field(u32, Endian);

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Field(k, endian) = *self;
        let high = match endian {
            Endian::Little => k % 8 == 4,
            Endian::Big => k % 8 == 0,
        };
        let shift = if high { " >> 32" } else { "" };
        match k {
            offset::NR => f.write_str("sys_number"),
            offset::ARCH => f.write_str("arch"),
            8..=15 => write!(f, "instruction_pointer{shift}"),
            16..=63 => write!(f, "args[{}]{shift}", (k - 16) / 8),
            _ => write!(f, "data[{k}]"),
        }
    }
}

/// The right-hand side of a comparison: `X`, an arch name after a load of the arch word, or
/// a number.
struct Operand {
    insn: Insn,
    arch_loaded: bool,
}

impl fmt::Display for Operand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.insn.code & op::X != 0 {
            return f.write_str("X");
        }
        let k = self.insn.k;
        match Arch::from_audit(k) {
            Some(a) if self.arch_loaded && self.insn.code & 0xf0 == op::JEQ => {
                let name = match a.name() {
                    "x86" => "I386",
                    "powerpc64le" => "PPC64LE",
                    "mipsel" => "MIPSEL",
                    "mips64el" => "MIPSEL64",
                    "mips64el-n32" => "MIPSEL64N32",
                    other => other,
                };
                f.write_str("ARCH_")?;
                for c in name.chars() {
                    fmt::Write::write_char(f, c.to_ascii_uppercase())?;
                }
                Ok(())
            }
            _ => write!(f, "{k:#x}"),
        }
    }
}

impl fmt::Display for Dump<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let endian = self.arch.map_or(Endian::Little, |a| a.endian());
        f.write_str(" line  CODE  JT   JF      K\n")?;
        f.write_str("=================================\n")?;
        let mut arch_loaded = false;
        for (line, insn) in self.insns.iter().enumerate() {
            let Insn { code, jt, jf, k } = *insn;
            write!(f, " {line:04}: {code:#04x} {jt:#04x} {jf:#04x} {k:#010x}  ")?;
            let next = line + 1;
            let op_text = |c: u16| match c & 0xf0 {
                op::ADD => "+=",
                op::SUB => "-=",
                op::MUL => "*=",
                op::DIV => "/=",
                op::AND => "&=",
                op::OR => "|=",
                op::XOR => "^=",
                op::LSH => "<<=",
                op::RSH => ">>=",
                _ => "?=",
            };
            let src = |c: u16| if c & op::X != 0 { Some("X") } else { None };
            let loads_arch = code == op::LD | op::W | op::ABS && k == offset::ARCH;
            if !op::seccomp_accepts(code) {
                write!(f, "??? (opcode {code:#06x} not accepted by seccomp)")?;
            } else if code == op::LD | op::W | op::ABS {
                write!(f, "A = {}", Field(k, endian))?;
            } else if code == op::LD | op::W | op::LEN {
                f.write_str("A = sizeof(struct seccomp_data)")?;
            } else if code == op::LDX | op::W | op::LEN {
                f.write_str("X = sizeof(struct seccomp_data)")?;
            } else if code == op::LD | op::IMM {
                write!(f, "A = {k:#x}")?;
            } else if code == op::LDX | op::IMM {
                write!(f, "X = {k:#x}")?;
            } else if code == op::LD | op::MEM {
                write!(f, "A = mem[{k}]")?;
            } else if code == op::LDX | op::MEM {
                write!(f, "X = mem[{k}]")?;
            } else if code == op::ST {
                write!(f, "mem[{k}] = A")?;
            } else if code == op::STX {
                write!(f, "mem[{k}] = X")?;
            } else if code == op::MISC | op::TAX {
                f.write_str("X = A")?;
            } else if code == op::MISC | op::TXA {
                f.write_str("A = X")?;
            } else if code == op::RET | op::K {
                write!(f, "return {}", Action::from_word(k))?;
            } else if code == op::RET | op::A {
                f.write_str("return A")?;
            } else if code == op::ALU | op::NEG {
                f.write_str("A = -A")?;
            } else if code & 0x07 == op::ALU {
                match src(code) {
                    Some(x) => write!(f, "A {} {x}", op_text(code))?,
                    None => write!(f, "A {} {k:#x}", op_text(code))?,
                }
            } else if code == op::JMP | op::JA {
                write!(f, "goto {:04}", next.saturating_add(k as usize))?;
            } else {
                let rhs = Operand {
                    insn: *insn,
                    arch_loaded,
                };
                let (t, e) = (next + usize::from(jt), next + usize::from(jf));
                let (is, is_not) = match code & 0xf0 {
                    op::JEQ => ("==", "!="),
                    op::JGT => (">", "<="),
                    op::JGE => (">=", "<"),
                    _ => ("&", ""),
                };
                let set = code & 0xf0 == op::JSET;
                match (jt, jf) {
                    (_, 0) if set => write!(f, "if (A & {rhs}) goto {t:04}")?,
                    (0, _) if set => write!(f, "if (!(A & {rhs})) goto {e:04}")?,
                    _ if set => write!(f, "if (A & {rhs}) goto {t:04} else goto {e:04}")?,
                    (_, 0) => write!(f, "if (A {is} {rhs}) goto {t:04}")?,
                    (0, _) => write!(f, "if (A {is_not} {rhs}) goto {e:04}")?,
                    _ => write!(f, "if (A {is} {rhs}) goto {t:04} else goto {e:04}")?,
                }
            }
            f.write_str("\n")?;
            // A keeps the arch word until something else writes A.
            let writes_a = matches!(code & 0x07, op::LD | op::ALU) || code == op::MISC | op::TXA;
            if loads_arch {
                arch_loaded = true;
            } else if writes_a {
                arch_loaded = false;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    #[test]
    fn every_opcode_has_a_reading() {
        for &code in &op::SECCOMP {
            let p = [Insn::jump(code, 16, 0, 0), Insn::ret(0)];
            let text = Dump::new(&p, None).to_string();
            assert!(!text.contains("???"), "{text}");
        }
        let bad = [Insn::stmt(0xffff, 0)];
        assert!(Dump::new(&bad, None).to_string().contains("???"));
    }

    #[test]
    fn big_endian_halves_are_named_right() {
        let p = [Insn::load(8), Insn::load(12), Insn::load(40)];
        let text = Dump::new(&p, Some(Arch::S390X)).to_string();
        assert!(text.contains("A = instruction_pointer >> 32\n"), "{text}");
        assert!(text.contains("A = instruction_pointer\n"), "{text}");
        assert!(text.contains("A = args[3] >> 32\n"), "{text}");
        let text = Dump::new(&p, Some(Arch::X86_64)).to_string();
        assert!(text.contains(" 0000: 0x20 0x00 0x00 0x00000008  A = instruction_pointer\n"));
    }

    #[test]
    fn both_targets_are_shown_when_neither_falls_through() {
        let p = [Insn::load(4), Insn::jump(0x15, 0xc000_003e, 1, 2)];
        let text = Dump::new(&p, None).to_string();
        assert!(
            text.contains("if (A == ARCH_X86_64) goto 0003 else goto 0004"),
            "{text}"
        );
    }
}
