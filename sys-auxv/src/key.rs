//! The auxiliary vector's entry types (`AT_*`), typed.
//!
//! Values from the Linux 7.3 uapi headers: the generic ones from `include/uapi/linux/auxvec.h`,
//! the architecture-specific ones from `arch/*/include/uapi/asm/auxvec.h` (x86, powerpc, riscv,
//! alpha, sh, sparc). The kernel never reuses a number across architectures, so every constant
//! is defined on every target; the documentation says which architectures emit it.

use core::fmt;

/// The type of an auxiliary vector entry (`a_type`, the kernel's `AT_*` value).
///
/// A transparent wrapper around the raw number: every `AT_*` value the kernel defines is an
/// associated constant without the `AT_` prefix (`Key::PAGESZ`, `Key::SYSINFO_EHDR`), and
/// [`Key::new`] accepts any other number, so an entry from a newer kernel is still a `Key`.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(transparent)]
pub struct Key(usize);

/// How `LD_SHOW_AUXV=1` (glibc's `_dl_show_auxv`) prints the value of an entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// A number, in decimal (`AT_PAGESZ:            4096`).
    Dec,
    /// A number or an address, in hexadecimal with `0x` (`AT_ENTRY:             0x5555...`).
    Hex,
    /// The address of a NUL-terminated string, printed as the string (`AT_EXECFN`).
    Str,
}

macro_rules! keys {
    ($($(#[$doc:meta])* $name:ident = $value:literal, $at:literal, $fmt:ident;)*) => {
        impl Key {
            $(
                $(#[$doc])*
                pub const $name: Key = Key($value);
            )*

            /// Every `AT_*` value the kernel defines (on any architecture), in numeric order.
            pub const ALL: &'static [Key] = &[$(Key::$name),*];

            /// The kernel's name of this key (`"AT_PAGESZ"`), or `None` for a number the kernel
            /// does not define.
            pub const fn name(self) -> Option<&'static str> {
                match self.0 {
                    $($value => Some($at),)*
                    _ => None,
                }
            }

            /// How glibc's `LD_SHOW_AUXV=1` prints this key's value (hexadecimal for a number
            /// the kernel does not define).
            pub const fn format(self) -> Format {
                match self.0 {
                    $($value => Format::$fmt,)*
                    _ => Format::Hex,
                }
            }
        }
    };
}

keys! {
    /// `AT_NULL` (0): the end of the vector. Never stored; [`crate::get`] returns `None` for it.
    NULL = 0, "AT_NULL", Hex;
    /// `AT_IGNORE` (1): an entry to skip (valgrind turns the entries it hides into this). Its
    /// value is meaningless and may repeat: [`crate::get`] returns `None` for it.
    IGNORE = 1, "AT_IGNORE", Hex;
    /// `AT_EXECFD` (2): the file descriptor of the program (for `binfmt_misc` interpreters).
    EXECFD = 2, "AT_EXECFD", Dec;
    /// `AT_PHDR` (3): the address of the program's ELF program headers.
    PHDR = 3, "AT_PHDR", Hex;
    /// `AT_PHENT` (4): the size of one program header entry.
    PHENT = 4, "AT_PHENT", Dec;
    /// `AT_PHNUM` (5): the number of program header entries.
    PHNUM = 5, "AT_PHNUM", Dec;
    /// `AT_PAGESZ` (6): the system page size.
    PAGESZ = 6, "AT_PAGESZ", Dec;
    /// `AT_BASE` (7): the base address of the program interpreter (0 without one).
    BASE = 7, "AT_BASE", Hex;
    /// `AT_FLAGS` (8): flags (always 0 on Linux).
    FLAGS = 8, "AT_FLAGS", Hex;
    /// `AT_ENTRY` (9): the program's entry point.
    ENTRY = 9, "AT_ENTRY", Hex;
    /// `AT_NOTELF` (10): the program is not ELF.
    NOTELF = 10, "AT_NOTELF", Hex;
    /// `AT_UID` (11): the real user ID.
    UID = 11, "AT_UID", Dec;
    /// `AT_EUID` (12): the effective user ID.
    EUID = 12, "AT_EUID", Dec;
    /// `AT_GID` (13): the real group ID.
    GID = 13, "AT_GID", Dec;
    /// `AT_EGID` (14): the effective group ID.
    EGID = 14, "AT_EGID", Dec;
    /// `AT_PLATFORM` (15): the address of a string naming the CPU (`"x86_64"`).
    PLATFORM = 15, "AT_PLATFORM", Str;
    /// `AT_HWCAP` (16): architecture-specific CPU capability bits.
    HWCAP = 16, "AT_HWCAP", Hex;
    /// `AT_CLKTCK` (17): the frequency at which `times()` counts.
    CLKTCK = 17, "AT_CLKTCK", Dec;
    /// `AT_FPUCW` (18, sh only): the FPU control word in use.
    FPUCW = 18, "AT_FPUCW", Hex;
    /// `AT_DCACHEBSIZE` (19, powerpc): the data cache block size.
    DCACHEBSIZE = 19, "AT_DCACHEBSIZE", Dec;
    /// `AT_ICACHEBSIZE` (20, powerpc): the instruction cache block size.
    ICACHEBSIZE = 20, "AT_ICACHEBSIZE", Dec;
    /// `AT_UCACHEBSIZE` (21, powerpc): the unified cache block size.
    UCACHEBSIZE = 21, "AT_UCACHEBSIZE", Dec;
    /// `AT_IGNOREPPC` (22, powerpc): padding the kernel emits twice; like [`Key::IGNORE`],
    /// [`crate::get`] returns `None` for it.
    IGNOREPPC = 22, "AT_IGNOREPPC", Hex;
    /// `AT_SECURE` (23): non-zero in secure mode (set-user-ID and the like).
    SECURE = 23, "AT_SECURE", Dec;
    /// `AT_BASE_PLATFORM` (24): the address of a string naming the real platform, which may
    /// differ from [`Key::PLATFORM`].
    BASE_PLATFORM = 24, "AT_BASE_PLATFORM", Str;
    /// `AT_RANDOM` (25): the address of 16 random bytes.
    RANDOM = 25, "AT_RANDOM", Hex;
    /// `AT_HWCAP2` (26): more CPU capability bits.
    HWCAP2 = 26, "AT_HWCAP2", Hex;
    /// `AT_RSEQ_FEATURE_SIZE` (27, Linux 6.3): the size of the rseq area the kernel supports.
    RSEQ_FEATURE_SIZE = 27, "AT_RSEQ_FEATURE_SIZE", Dec;
    /// `AT_RSEQ_ALIGN` (28, Linux 6.3): the alignment the rseq area needs.
    RSEQ_ALIGN = 28, "AT_RSEQ_ALIGN", Dec;
    /// `AT_HWCAP3` (29, Linux 6.14): more CPU capability bits.
    HWCAP3 = 29, "AT_HWCAP3", Hex;
    /// `AT_HWCAP4` (30, Linux 6.14): more CPU capability bits.
    HWCAP4 = 30, "AT_HWCAP4", Hex;
    /// `AT_EXECFN` (31): the address of the file name the program was executed as.
    EXECFN = 31, "AT_EXECFN", Str;
    /// `AT_SYSINFO` (32, i386 and alpha): the entry point of the vsyscall page (`__kernel_vsyscall`).
    SYSINFO = 32, "AT_SYSINFO", Hex;
    /// `AT_SYSINFO_EHDR` (33): the address of the vDSO's ELF header.
    SYSINFO_EHDR = 33, "AT_SYSINFO_EHDR", Hex;
    /// `AT_L1I_CACHESHAPE` (34, alpha and sh).
    L1I_CACHESHAPE = 34, "AT_L1I_CACHESHAPE", Hex;
    /// `AT_L1D_CACHESHAPE` (35, alpha and sh).
    L1D_CACHESHAPE = 35, "AT_L1D_CACHESHAPE", Hex;
    /// `AT_L2_CACHESHAPE` (36, alpha and sh).
    L2_CACHESHAPE = 36, "AT_L2_CACHESHAPE", Hex;
    /// `AT_L3_CACHESHAPE` (37, alpha).
    L3_CACHESHAPE = 37, "AT_L3_CACHESHAPE", Hex;
    /// `AT_L1I_CACHESIZE` (40, powerpc and riscv).
    L1I_CACHESIZE = 40, "AT_L1I_CACHESIZE", Dec;
    /// `AT_L1I_CACHEGEOMETRY` (41, powerpc and riscv): line size and associativity.
    L1I_CACHEGEOMETRY = 41, "AT_L1I_CACHEGEOMETRY", Hex;
    /// `AT_L1D_CACHESIZE` (42, powerpc and riscv).
    L1D_CACHESIZE = 42, "AT_L1D_CACHESIZE", Dec;
    /// `AT_L1D_CACHEGEOMETRY` (43, powerpc and riscv).
    L1D_CACHEGEOMETRY = 43, "AT_L1D_CACHEGEOMETRY", Hex;
    /// `AT_L2_CACHESIZE` (44, powerpc and riscv).
    L2_CACHESIZE = 44, "AT_L2_CACHESIZE", Dec;
    /// `AT_L2_CACHEGEOMETRY` (45, powerpc and riscv).
    L2_CACHEGEOMETRY = 45, "AT_L2_CACHEGEOMETRY", Hex;
    /// `AT_L3_CACHESIZE` (46, powerpc and riscv).
    L3_CACHESIZE = 46, "AT_L3_CACHESIZE", Dec;
    /// `AT_L3_CACHEGEOMETRY` (47, powerpc and riscv).
    L3_CACHEGEOMETRY = 47, "AT_L3_CACHEGEOMETRY", Hex;
    /// `AT_ADI_BLKSZ` (48, sparc64): the ADI block size.
    ADI_BLKSZ = 48, "AT_ADI_BLKSZ", Dec;
    /// `AT_ADI_NBITS` (49, sparc64): the number of ADI version bits.
    ADI_NBITS = 49, "AT_ADI_NBITS", Dec;
    /// `AT_ADI_UEONADI` (50, sparc64): whether an ADI mismatch is a precise exception.
    ADI_UEONADI = 50, "AT_ADI_UEONADI", Dec;
    /// `AT_MINSIGSTKSZ` (51; emitted by arm64, powerpc, riscv and x86): the minimal stack
    /// size for signal delivery on this CPU.
    MINSIGSTKSZ = 51, "AT_MINSIGSTKSZ", Dec;
}

impl Key {
    /// The key with raw number `raw` (any number: unknown ones are kept as they are).
    pub const fn new(raw: usize) -> Key {
        Key(raw)
    }

    /// The raw `AT_*` number.
    pub const fn raw(self) -> usize {
        self.0
    }

    /// Whether the kernel defines this key on some architecture.
    pub const fn is_known(self) -> bool {
        self.name().is_some()
    }

    /// Whether the key is padding whose value means nothing ([`Key::IGNORE`],
    /// [`Key::IGNOREPPC`]) or the terminator ([`Key::NULL`]); lookups never return a value for
    /// these.
    pub const fn is_padding(self) -> bool {
        matches!(self.0, 0 | 1 | 22)
    }
}

impl fmt::Debug for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(name) => f.write_str(name),
            None => write!(f, "AT_??? ({:#x})", self.0),
        }
    }
}

/// Formats like glibc's `LD_SHOW_AUXV=1`: the name, or `AT_??? (0x..)` for an unknown number.
impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

impl From<usize> for Key {
    fn from(raw: usize) -> Key {
        Key(raw)
    }
}

impl From<Key> for usize {
    fn from(key: Key) -> usize {
        key.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_keys_are_sorted_unique_and_named() {
        for pair in Key::ALL.windows(2) {
            assert!(pair[0] < pair[1], "{:?} before {:?}", pair[0], pair[1]);
        }
        for key in Key::ALL {
            let name = key.name().unwrap();
            assert!(name.starts_with("AT_"));
        }
        assert_eq!(Key::ALL.len(), 50);
    }

    #[test]
    fn values_match_the_kernel_headers() {
        assert_eq!(Key::PAGESZ.raw(), 6);
        assert_eq!(Key::SYSINFO.raw(), 32);
        assert_eq!(Key::SYSINFO_EHDR.raw(), 33);
        assert_eq!(Key::HWCAP3.raw(), 29);
        assert_eq!(Key::HWCAP4.raw(), 30);
        assert_eq!(Key::RSEQ_ALIGN.raw(), 28);
        assert_eq!(Key::L3_CACHEGEOMETRY.raw(), 47);
        assert_eq!(Key::MINSIGSTKSZ.raw(), 51);
    }

    #[test]
    fn unknown_keys_print_like_glibc() {
        extern crate std;
        use std::format;
        assert_eq!(format!("{}", Key::new(27)), "AT_RSEQ_FEATURE_SIZE");
        assert_eq!(format!("{}", Key::new(0x99)), "AT_??? (0x99)");
        assert!(!Key::new(38).is_known());
        assert_eq!(Key::new(38).format(), Format::Hex);
        assert_eq!(Key::EXECFN.format(), Format::Str);
    }
}
