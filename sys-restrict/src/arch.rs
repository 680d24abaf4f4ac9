//! The architecture facts a seccomp filter depends on, as values: the `AUDIT_ARCH_*` word the
//! kernel puts in `seccomp_data.arch`, the byte order (which 32-bit half of a 64-bit field a
//! classic-BPF load at a given offset sees), the word size, the x32 bit, and the length of the
//! syscall instruction (the reported instruction pointer is the address after it).
//!
//! Sources (Linux 6.18): `include/uapi/linux/audit.h` (`AUDIT_ARCH_*`, `__AUDIT_ARCH_64BIT`,
//! `__AUDIT_ARCH_LE`, `__AUDIT_ARCH_CONVENTION_MIPS64_N32`), `include/uapi/linux/elf-em.h`
//! (`EM_*`), `include/uapi/linux/seccomp.h` (`struct seccomp_data`), each architecture's
//! `syscall_get_arch()` in `arch/*/include/asm/syscall.h`, `arch/x86/include/uapi/asm/unistd.h`
//! (`__X32_SYSCALL_BIT`), and syscall(2) for the instructions.
//!
//! Because an [`Arch`] is a value, a filter for any architecture can be generated, dumped and
//! evaluated on any host; [`Arch::NATIVE`] is the one this program runs on.

use core::fmt;

/// `AUDIT_ARCH_*` values and their parts (`linux/audit.h`, `linux/elf-em.h`).
pub mod audit {
    /// `__AUDIT_ARCH_64BIT`: the 64-bit syscall table.
    pub const FLAG_64BIT: u32 = 0x8000_0000;
    /// `__AUDIT_ARCH_LE`: little-endian.
    pub const FLAG_LE: u32 = 0x4000_0000;
    /// `__AUDIT_ARCH_CONVENTION_MIPS64_N32`: mips64's n32 calling convention.
    pub const CONVENTION_MIPS64_N32: u32 = 0x2000_0000;

    /// `EM_386`.
    pub const EM_386: u32 = 3;
    /// `EM_MIPS`.
    pub const EM_MIPS: u32 = 8;
    /// `EM_PPC64`.
    pub const EM_PPC64: u32 = 21;
    /// `EM_S390`.
    pub const EM_S390: u32 = 22;
    /// `EM_ARM`.
    pub const EM_ARM: u32 = 40;
    /// `EM_X86_64`.
    pub const EM_X86_64: u32 = 62;
    /// `EM_AARCH64`.
    pub const EM_AARCH64: u32 = 183;
    /// `EM_RISCV`.
    pub const EM_RISCV: u32 = 243;
    /// `EM_LOONGARCH`.
    pub const EM_LOONGARCH: u32 = 258;

    /// `AUDIT_ARCH_X86_64` (also x32, which sets bit 30 of the number instead).
    pub const X86_64: u32 = EM_X86_64 | FLAG_64BIT | FLAG_LE;
    /// `AUDIT_ARCH_I386`.
    pub const I386: u32 = EM_386 | FLAG_LE;
    /// `AUDIT_ARCH_AARCH64`.
    pub const AARCH64: u32 = EM_AARCH64 | FLAG_64BIT | FLAG_LE;
    /// `AUDIT_ARCH_ARM`: 32-bit Arm, little-endian (EABI; also aarch32 tasks on arm64).
    pub const ARM: u32 = EM_ARM | FLAG_LE;
    /// `AUDIT_ARCH_RISCV64`.
    pub const RISCV64: u32 = EM_RISCV | FLAG_64BIT | FLAG_LE;
    /// `AUDIT_ARCH_PPC64LE`.
    pub const PPC64LE: u32 = EM_PPC64 | FLAG_64BIT | FLAG_LE;
    /// `AUDIT_ARCH_S390X` (big-endian: no `FLAG_LE`).
    pub const S390X: u32 = EM_S390 | FLAG_64BIT;
    /// `AUDIT_ARCH_LOONGARCH64`.
    pub const LOONGARCH64: u32 = EM_LOONGARCH | FLAG_64BIT | FLAG_LE;
    /// `AUDIT_ARCH_MIPSEL`: o32, little-endian.
    pub const MIPSEL: u32 = EM_MIPS | FLAG_LE;
    /// `AUDIT_ARCH_MIPSEL64`: n64, little-endian.
    pub const MIPSEL64: u32 = EM_MIPS | FLAG_64BIT | FLAG_LE;
    /// `AUDIT_ARCH_MIPSEL64N32`: n32 on a little-endian mips64 kernel.
    pub const MIPSEL64N32: u32 = EM_MIPS | FLAG_64BIT | FLAG_LE | CONVENTION_MIPS64_N32;
}

/// `__X32_SYSCALL_BIT`: x32 system calls come in with the x86_64 arch word and this bit set
/// in the number; a filter for x86_64 code must deny them.
pub const X32_SYSCALL_BIT: u32 = 0x4000_0000;

/// Offsets in `struct seccomp_data` (`linux/seccomp.h`): `int nr; __u32 arch;
/// __u64 instruction_pointer; __u64 args[6];`, in the task's byte order.
pub mod offset {
    /// `nr`, the system call number.
    pub const NR: u32 = 0;
    /// `arch`, the `AUDIT_ARCH_*` word.
    pub const ARCH: u32 = 4;
    /// `instruction_pointer` (8 bytes).
    pub const IP: u32 = 8;
    /// `args[0]` (8 bytes each).
    pub const ARGS: u32 = 16;
    /// The size of the struct.
    pub const SIZE: u32 = 64;
}

/// The byte order of a task, and so of its `seccomp_data`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Endian {
    /// Least significant byte first.
    Little,
    /// Most significant byte first (s390x).
    Big,
}

/// An architecture as a seccomp filter sees it.
///
/// ```
/// use sys_restrict::arch::{Arch, audit};
///
/// assert_eq!(Arch::X86_64.audit(), 0xc000_003e);
/// assert_eq!(Arch::S390X.audit(), audit::S390X);
/// // On big-endian s390x the high half of the instruction pointer is at offset 8.
/// assert_eq!((Arch::S390X.ip_high_offset(), Arch::S390X.ip_low_offset()), (8, 12));
/// assert_eq!((Arch::AARCH64.ip_high_offset(), Arch::AARCH64.ip_low_offset()), (12, 8));
/// assert_eq!(Arch::from_audit(0xc00000b7), Some(Arch::AARCH64));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Arch {
    name: &'static str,
    audit: u32,
    endian: Endian,
    bits64: bool,
    x32_bit: bool,
    insn_len: u8,
}

impl Arch {
    /// x86_64 (`syscall`, 2 bytes); x32 numbers are denied.
    pub const X86_64: Arch =
        Arch::new("x86_64", audit::X86_64, Endian::Little, true, 2).with_x32_bit();
    /// x86, i386 ABI (`int $0x80` or `sysenter` through the vDSO, 2 bytes).
    pub const X86: Arch = Arch::new("x86", audit::I386, Endian::Little, false, 2);
    /// aarch64 (`svc #0`, 4 bytes).
    pub const AARCH64: Arch = Arch::new("aarch64", audit::AARCH64, Endian::Little, true, 4);
    /// 32-bit Arm EABI, little-endian (`svc #0`: 4 bytes in A32, 2 in Thumb; the shorter
    /// counts).
    pub const ARM: Arch = Arch::new("arm", audit::ARM, Endian::Little, false, 2);
    /// riscv64 (`ecall`, 4 bytes).
    pub const RISCV64: Arch = Arch::new("riscv64", audit::RISCV64, Endian::Little, true, 4);
    /// powerpc64, little-endian (`sc`, 4 bytes).
    pub const POWERPC64LE: Arch = Arch::new("powerpc64le", audit::PPC64LE, Endian::Little, true, 4);
    /// s390x, big-endian (`svc 0`, 2 bytes).
    pub const S390X: Arch = Arch::new("s390x", audit::S390X, Endian::Big, true, 2);
    /// loongarch64 (`syscall 0`, 4 bytes).
    pub const LOONGARCH64: Arch =
        Arch::new("loongarch64", audit::LOONGARCH64, Endian::Little, true, 4);
    /// mipsel, o32 ABI (`syscall`, 4 bytes; numbers from 4000).
    pub const MIPSEL: Arch = Arch::new("mipsel", audit::MIPSEL, Endian::Little, false, 4);
    /// mips64el, n64 ABI (`syscall`, 4 bytes; numbers from 5000).
    pub const MIPS64EL: Arch = Arch::new("mips64el", audit::MIPSEL64, Endian::Little, true, 4);
    /// mips64el, n32 ABI (numbers from 6000): a different arch word from n64. libsys does not
    /// support n32; the value is here so that an n64 filter can be tested against it.
    pub const MIPS64EL_N32: Arch =
        Arch::new("mips64el-n32", audit::MIPSEL64N32, Endian::Little, true, 4);

    /// The architectures libsys supports.
    pub const ALL: [Arch; 10] = [
        Arch::X86_64,
        Arch::X86,
        Arch::AARCH64,
        Arch::ARM,
        Arch::RISCV64,
        Arch::POWERPC64LE,
        Arch::S390X,
        Arch::LOONGARCH64,
        Arch::MIPSEL,
        Arch::MIPS64EL,
    ];

    /// The architecture this program is compiled for.
    #[cfg(target_arch = "x86_64")]
    pub const NATIVE: Arch = Arch::X86_64;
    /// The architecture this program is compiled for.
    #[cfg(target_arch = "x86")]
    pub const NATIVE: Arch = Arch::X86;
    /// The architecture this program is compiled for.
    #[cfg(target_arch = "aarch64")]
    pub const NATIVE: Arch = Arch::AARCH64;
    /// The architecture this program is compiled for.
    #[cfg(all(target_arch = "arm", target_endian = "little"))]
    pub const NATIVE: Arch = Arch::ARM;
    /// The architecture this program is compiled for.
    #[cfg(target_arch = "riscv64")]
    pub const NATIVE: Arch = Arch::RISCV64;
    /// The architecture this program is compiled for.
    #[cfg(all(target_arch = "powerpc64", target_endian = "little"))]
    pub const NATIVE: Arch = Arch::POWERPC64LE;
    /// The architecture this program is compiled for.
    #[cfg(target_arch = "s390x")]
    pub const NATIVE: Arch = Arch::S390X;
    /// The architecture this program is compiled for.
    #[cfg(target_arch = "loongarch64")]
    pub const NATIVE: Arch = Arch::LOONGARCH64;
    /// The architecture this program is compiled for.
    #[cfg(all(target_arch = "mips", target_endian = "little"))]
    pub const NATIVE: Arch = Arch::MIPSEL;
    /// The architecture this program is compiled for.
    #[cfg(all(
        target_arch = "mips64",
        target_endian = "little",
        target_pointer_width = "64"
    ))]
    pub const NATIVE: Arch = Arch::MIPS64EL;

    const fn new(
        name: &'static str,
        audit: u32,
        endian: Endian,
        bits64: bool,
        insn_len: u8,
    ) -> Arch {
        Arch {
            name,
            audit,
            endian,
            bits64,
            x32_bit: false,
            insn_len,
        }
    }

    const fn with_x32_bit(self) -> Arch {
        Arch {
            x32_bit: true,
            ..self
        }
    }

    /// The architecture whose `seccomp_data.arch` word is `audit`, among [`Arch::ALL`] and
    /// [`Arch::MIPS64EL_N32`].
    pub fn from_audit(audit: u32) -> Option<Arch> {
        Arch::ALL
            .into_iter()
            .chain([Arch::MIPS64EL_N32])
            .find(|a| a.audit == audit)
    }

    /// A short name (`"x86_64"`, `"s390x"`).
    pub const fn name(self) -> &'static str {
        self.name
    }

    /// The `AUDIT_ARCH_*` word of `seccomp_data.arch`.
    pub const fn audit(self) -> u32 {
        self.audit
    }

    /// The byte order.
    pub const fn endian(self) -> Endian {
        self.endian
    }

    /// Whether addresses are 64 bits wide (on 32-bit architectures the high half of
    /// `instruction_pointer` is always 0).
    pub const fn is_64bit(self) -> bool {
        self.bits64
    }

    /// The bit that marks x32 numbers, on x86_64 only.
    pub const fn x32_bit(self) -> Option<u32> {
        if self.x32_bit {
            Some(X32_SYSCALL_BIT)
        } else {
            None
        }
    }

    /// The length of the shortest syscall instruction: the reported instruction pointer is
    /// this far (or further) past the instruction's start.
    pub const fn syscall_insn_len(self) -> u8 {
        self.insn_len
    }

    /// The offset of the low 32 bits of the 64-bit field at `field` (8 for the instruction
    /// pointer, `16 + 8 * i` for argument `i`).
    pub const fn low_offset(self, field: u32) -> u32 {
        match self.endian {
            Endian::Little => field,
            Endian::Big => field + 4,
        }
    }

    /// The offset of the high 32 bits of the 64-bit field at `field`.
    pub const fn high_offset(self, field: u32) -> u32 {
        match self.endian {
            Endian::Little => field + 4,
            Endian::Big => field,
        }
    }

    /// Where a load finds the low half of `instruction_pointer`: 8, or 12 on big-endian.
    pub const fn ip_low_offset(self) -> u32 {
        self.low_offset(offset::IP)
    }

    /// Where a load finds the high half of `instruction_pointer`: 12, or 8 on big-endian.
    pub const fn ip_high_offset(self) -> u32 {
        self.high_offset(offset::IP)
    }
}

/// The system call numbers a policy treats specially, on one architecture (each
/// architecture's `unistd` table, Linux 6.18): see [`Policy`](crate::Policy)'s "always
/// allowed" and io_uring rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Numbers {
    /// `exit`.
    pub exit: u32,
    /// `exit_group`.
    pub exit_group: u32,
    /// `restart_syscall`: what the kernel makes a call interrupted by a stop (or a handler
    /// with `SA_RESTART`) continue as, from the original call's instruction.
    pub restart_syscall: u32,
    /// `rt_sigreturn`.
    pub rt_sigreturn: u32,
    /// `sigreturn`, where the architecture has it.
    pub sigreturn: Option<u32>,
    /// The first of `io_uring_setup`, `io_uring_enter`, `io_uring_register` (consecutive
    /// everywhere).
    pub io_uring_setup: u32,
}

impl Numbers {
    /// `io_uring_setup`, `io_uring_enter`, `io_uring_register`.
    pub const fn io_uring(self) -> [u32; 3] {
        let s = self.io_uring_setup;
        [s, s + 1, s + 2]
    }
}

impl Arch {
    /// This architecture's [`Numbers`].
    ///
    /// ```
    /// use sys_restrict::Arch;
    ///
    /// assert_eq!(Arch::X86_64.numbers().restart_syscall, 219);
    /// assert_eq!(Arch::AARCH64.numbers().io_uring(), [425, 426, 427]);
    /// ```
    pub const fn numbers(self) -> Numbers {
        // (exit, exit_group, restart_syscall, rt_sigreturn, sigreturn, io_uring_setup)
        let (exit, exit_group, restart_syscall, rt_sigreturn, sigreturn, io_uring_setup) =
            match self.audit {
                audit::X86_64 => (60, 231, 219, 15, None, 425),
                audit::I386 => (1, 252, 0, 173, Some(119), 425),
                audit::ARM => (1, 248, 0, 173, Some(119), 425),
                audit::PPC64LE => (1, 234, 0, 172, Some(119), 425),
                audit::S390X => (1, 248, 7, 173, Some(119), 425),
                audit::MIPSEL => (4001, 4246, 4253, 4193, Some(4119), 4425),
                audit::MIPSEL64 => (5058, 5205, 5213, 5211, None, 5425),
                audit::MIPSEL64N32 => (6058, 6205, 6214, 6211, None, 6425),
                // aarch64, riscv64, loongarch64: the generic table.
                _ => (93, 94, 128, 139, None, 425),
            };
        Numbers {
            exit,
            exit_group,
            restart_syscall,
            rt_sigreturn,
            sigreturn,
            io_uring_setup,
        }
    }
}

impl fmt::Display for Arch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name)
    }
}

/// A `struct seccomp_data`: what a filter sees of one system call.
///
/// ```
/// use sys_restrict::arch::{Arch, SeccompData};
///
/// let d = SeccompData::new(Arch::S390X, 20, 0x1234_5678_9abc_def0);
/// let bytes = d.to_bytes(Arch::S390X.endian());
/// assert_eq!(&bytes[8..12], &[0x12, 0x34, 0x56, 0x78]); // the high half first
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct SeccompData {
    /// The system call number (`int` in the kernel; kept as its bits).
    pub nr: u32,
    /// The `AUDIT_ARCH_*` word.
    pub arch: u32,
    /// The address after the syscall instruction.
    pub instruction_pointer: u64,
    /// The six arguments, as the kernel read them from the registers.
    pub args: [u64; 6],
}

impl SeccompData {
    /// A call of `nr` from `ip` by a task of `arch`, with zero arguments.
    pub const fn new(arch: Arch, nr: u32, ip: u64) -> SeccompData {
        SeccompData {
            nr,
            arch: arch.audit,
            instruction_pointer: ip,
            args: [0; 6],
        }
    }

    /// The struct's 64 bytes in the given byte order, as a filter's loads read them.
    pub fn to_bytes(&self, endian: Endian) -> [u8; 64] {
        let mut words = [0u8; 64];
        let mut at = 0;
        let mut put = |bytes: &[u8]| {
            for (dst, src) in words.iter_mut().skip(at).zip(bytes) {
                *dst = *src;
            }
            at += bytes.len();
        };
        match endian {
            Endian::Little => {
                put(&self.nr.to_le_bytes());
                put(&self.arch.to_le_bytes());
                put(&self.instruction_pointer.to_le_bytes());
                for a in self.args {
                    put(&a.to_le_bytes());
                }
            }
            Endian::Big => {
                put(&self.nr.to_be_bytes());
                put(&self.arch.to_be_bytes());
                put(&self.instruction_pointer.to_be_bytes());
                for a in self.args {
                    put(&a.to_be_bytes());
                }
            }
        }
        words
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn audit_words_match_linux_audit_h() {
        // Printed from <linux/audit.h> (Linux 6.18 uapi headers) on x86_64.
        let expect = [
            (Arch::X86_64, 0xc000_003e),
            (Arch::X86, 0x4000_0003),
            (Arch::AARCH64, 0xc000_00b7),
            (Arch::ARM, 0x4000_0028),
            (Arch::RISCV64, 0xc000_00f3),
            (Arch::POWERPC64LE, 0xc000_0015),
            (Arch::S390X, 0x8000_0016),
            (Arch::LOONGARCH64, 0xc000_0102),
            (Arch::MIPSEL, 0x4000_0008),
            (Arch::MIPS64EL, 0xc000_0008),
            (Arch::MIPS64EL_N32, 0xe000_0008),
        ];
        for (arch, word) in expect {
            assert_eq!(arch.audit(), word, "{arch}");
            assert_eq!(Arch::from_audit(word), Some(arch));
            assert_eq!(
                arch.audit() & audit::FLAG_64BIT != 0,
                arch.is_64bit(),
                "{arch}"
            );
            assert_eq!(
                arch.audit() & audit::FLAG_LE != 0,
                arch.endian() == Endian::Little
            );
        }
    }

    #[test]
    fn the_native_arch_has_this_targets_word_size_and_byte_order() {
        assert_eq!(Arch::NATIVE.is_64bit(), cfg!(target_pointer_width = "64"));
        assert_eq!(
            Arch::NATIVE.endian() == Endian::Big,
            cfg!(target_endian = "big")
        );
    }

    #[test]
    fn numbers_match_the_native_table() {
        let n = Arch::NATIVE.numbers();
        let by = |name| sys_core::nr::by_name(name).map(|v| v as u32);
        assert_eq!(Some(n.exit), by("exit"));
        assert_eq!(Some(n.exit_group), by("exit_group"));
        assert_eq!(Some(n.restart_syscall), by("restart_syscall"));
        assert_eq!(Some(n.rt_sigreturn), by("rt_sigreturn"));
        assert_eq!(n.sigreturn, by("sigreturn"));
        let ring = ["io_uring_setup", "io_uring_enter", "io_uring_register"].map(by);
        assert_eq!(ring, n.io_uring().map(Some));
    }

    #[test]
    fn to_bytes_is_the_native_struct_layout() {
        let d = SeccompData {
            nr: 0x0102_0304,
            arch: Arch::NATIVE.audit(),
            instruction_pointer: 0x1122_3344_5566_7788,
            args: [1, 2, 3, 4, 5, u64::MAX - 1],
        };
        // The kernel fills the struct natively: `repr(C)` fields in native order.
        let mut native = [0u8; 64];
        native[0..4].copy_from_slice(&d.nr.to_ne_bytes());
        native[4..8].copy_from_slice(&d.arch.to_ne_bytes());
        native[8..16].copy_from_slice(&d.instruction_pointer.to_ne_bytes());
        for (i, a) in d.args.iter().enumerate() {
            native[16 + 8 * i..24 + 8 * i].copy_from_slice(&a.to_ne_bytes());
        }
        assert_eq!(d.to_bytes(Arch::NATIVE.endian()), native);
        let lo = Arch::NATIVE.ip_low_offset() as usize;
        let word = u32::from_ne_bytes(native[lo..lo + 4].try_into().unwrap());
        assert_eq!(word, 0x5566_7788);
    }
}
