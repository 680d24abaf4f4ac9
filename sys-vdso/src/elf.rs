//! ELF structures the vDSO parser reads: identification, file header, program headers, dynamic
//! entries and symbols, for both classes and both byte orders.
//!
//! Facts: the System V gABI ("ELF header", "Program header", "Dynamic section", "Symbol table")
//! and the Linux UAPI `<linux/elf.h>` / `<linux/elf-em.h>` (kernel headers 7.3.4). Every read goes
//! through [`Bytes`], which checks bounds and never panics: a value that is not inside the slice
//! is `None`.

/// ELF class: the width of addresses and offsets in the file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Class {
    /// `ELFCLASS32`: 32-bit addresses (i386, arm, mips o32).
    Elf32,
    /// `ELFCLASS64`: 64-bit addresses.
    Elf64,
}

impl Class {
    /// The class of this target's own objects.
    pub const NATIVE: Class = if cfg!(target_pointer_width = "64") {
        Class::Elf64
    } else {
        Class::Elf32
    };

    /// Size in bytes of an address (`ElfN_Addr`, `ElfN_Off`, `ElfN_Xword`).
    pub const fn word(self) -> usize {
        match self {
            Class::Elf32 => 4,
            Class::Elf64 => 8,
        }
    }
}

/// ELF data encoding: the byte order of every multi-byte field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Endian {
    /// `ELFDATA2LSB`.
    Little,
    /// `ELFDATA2MSB`.
    Big,
}

impl Endian {
    /// The byte order of this target.
    pub const NATIVE: Endian = if cfg!(target_endian = "little") {
        Endian::Little
    } else {
        Endian::Big
    };
}

// e_ident
pub(crate) const ELFMAG: [u8; 4] = [0x7f, b'E', b'L', b'F'];
pub(crate) const EI_CLASS: usize = 4;
pub(crate) const EI_DATA: usize = 5;
pub(crate) const EI_VERSION: usize = 6;
pub(crate) const ELFCLASS32: u8 = 1;
pub(crate) const ELFCLASS64: u8 = 2;
pub(crate) const ELFDATA2LSB: u8 = 1;
pub(crate) const ELFDATA2MSB: u8 = 2;
pub(crate) const EV_CURRENT: u8 = 1;
pub(crate) const ET_DYN: u16 = 3;

// e_machine (<linux/elf-em.h>)
/// `EM_386`.
pub const EM_386: u16 = 3;
/// `EM_MIPS` (o32 and n64 alike).
pub const EM_MIPS: u16 = 8;
/// `EM_PPC64`.
pub const EM_PPC64: u16 = 21;
/// `EM_S390` (s390 and s390x).
pub const EM_S390: u16 = 22;
/// `EM_ARM`.
pub const EM_ARM: u16 = 40;
/// `EM_X86_64`.
pub const EM_X86_64: u16 = 62;
/// `EM_AARCH64`.
pub const EM_AARCH64: u16 = 183;
/// `EM_RISCV`.
pub const EM_RISCV: u16 = 243;
/// `EM_LOONGARCH`.
pub const EM_LOONGARCH: u16 = 258;
/// `EM_ALPHA` (like s390x, its `DT_HASH` words are 64-bit).
pub const EM_ALPHA: u16 = 0x9026;

/// `e_machine` of this target.
pub const NATIVE_MACHINE: u16 = if cfg!(target_arch = "x86_64") {
    EM_X86_64
} else if cfg!(target_arch = "x86") {
    EM_386
} else if cfg!(target_arch = "aarch64") {
    EM_AARCH64
} else if cfg!(target_arch = "arm") {
    EM_ARM
} else if cfg!(target_arch = "riscv64") {
    EM_RISCV
} else if cfg!(target_arch = "powerpc64") {
    EM_PPC64
} else if cfg!(target_arch = "s390x") {
    EM_S390
} else if cfg!(target_arch = "loongarch64") {
    EM_LOONGARCH
} else if cfg!(any(target_arch = "mips", target_arch = "mips64")) {
    EM_MIPS
} else {
    0
};

// p_type
pub(crate) const PT_LOAD: u32 = 1;
pub(crate) const PT_DYNAMIC: u32 = 2;

// d_tag
pub(crate) const DT_NULL: u64 = 0;
pub(crate) const DT_HASH: u64 = 4;
pub(crate) const DT_STRTAB: u64 = 5;
pub(crate) const DT_SYMTAB: u64 = 6;
pub(crate) const DT_STRSZ: u64 = 10;
pub(crate) const DT_SYMENT: u64 = 11;
pub(crate) const DT_GNU_HASH: u64 = 0x6fff_fef5;
pub(crate) const DT_VERSYM: u64 = 0x6fff_fff0;
pub(crate) const DT_VERDEF: u64 = 0x6fff_fffc;

// symbols
pub(crate) const STB_GLOBAL: u8 = 1;
pub(crate) const STB_WEAK: u8 = 2;
pub(crate) const STT_NOTYPE: u8 = 0;
pub(crate) const STT_OBJECT: u8 = 1;
pub(crate) const STT_FUNC: u8 = 2;
pub(crate) const SHN_UNDEF: u16 = 0;
pub(crate) const SHN_ABS: u16 = 0xfff1;

mod sealed {
    pub trait Sealed {}
    impl Sealed for super::AnyLayout {}
    impl Sealed for super::NativeLayout {}
}

/// How an image's words are read: its [`Class`] and [`Endian`] byte order, either as the image
/// says at run time ([`AnyLayout`], what [`Image::parse`](crate::Image::parse) uses) or fixed
/// at compile time to this process's ([`NativeLayout`], what the live vDSO uses), in which case
/// every read compiles to a plain bounds-checked load and the parser to about half the code.
/// The parser is the same for both. Sealed: these two are the only layouts.
pub trait Layout: Copy + core::fmt::Debug + sealed::Sealed {
    /// The class.
    fn class(self) -> Class;
    /// The byte order.
    fn endian(self) -> Endian;
    /// The layout that reads an image of `class` and `endian`, if this kind can.
    #[doc(hidden)]
    fn for_image(class: Class, endian: Endian) -> Option<Self>;
}

/// Any class and byte order, as found in the image's `e_ident`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct AnyLayout {
    class: Class,
    endian: Endian,
}

impl Layout for AnyLayout {
    #[inline(always)]
    fn class(self) -> Class {
        self.class
    }
    #[inline(always)]
    fn endian(self) -> Endian {
        self.endian
    }
    fn for_image(class: Class, endian: Endian) -> Option<Self> {
        Some(AnyLayout { class, endian })
    }
}

/// This process's class and byte order ([`Class::NATIVE`], [`Endian::NATIVE`]), known at compile
/// time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct NativeLayout;

impl Layout for NativeLayout {
    #[inline(always)]
    fn class(self) -> Class {
        Class::NATIVE
    }
    #[inline(always)]
    fn endian(self) -> Endian {
        Endian::NATIVE
    }
    fn for_image(class: Class, endian: Endian) -> Option<Self> {
        (class == Class::NATIVE && endian == Endian::NATIVE).then_some(NativeLayout)
    }
}

/// A byte slice read as ELF data of one class and byte order. Every accessor is bounds-checked
/// and returns `None` instead of panicking.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Bytes<'a, L> {
    pub(crate) data: &'a [u8],
    pub(crate) layout: L,
}

impl<'a, L: Layout> Bytes<'a, L> {
    #[inline(always)]
    pub(crate) fn class(&self) -> Class {
        self.layout.class()
    }

    pub(crate) fn len(&self) -> usize {
        self.data.len()
    }

    fn array<const N: usize>(&self, off: usize) -> Option<[u8; N]> {
        let end = off.checked_add(N)?;
        self.data.get(off..end)?.try_into().ok()
    }

    pub(crate) fn u8(&self, off: usize) -> Option<u8> {
        self.data.get(off).copied()
    }

    pub(crate) fn u16(&self, off: usize) -> Option<u16> {
        let b = self.array::<2>(off)?;
        Some(match self.layout.endian() {
            Endian::Little => u16::from_le_bytes(b),
            Endian::Big => u16::from_be_bytes(b),
        })
    }

    pub(crate) fn u32(&self, off: usize) -> Option<u32> {
        let b = self.array::<4>(off)?;
        Some(match self.layout.endian() {
            Endian::Little => u32::from_le_bytes(b),
            Endian::Big => u32::from_be_bytes(b),
        })
    }

    pub(crate) fn u64(&self, off: usize) -> Option<u64> {
        let b = self.array::<8>(off)?;
        Some(match self.layout.endian() {
            Endian::Little => u64::from_le_bytes(b),
            Endian::Big => u64::from_be_bytes(b),
        })
    }

    /// A class-sized field (`ElfN_Addr`, `ElfN_Off`, `ElfN_Xword`, `ElfN_Sxword`), widened.
    pub(crate) fn word(&self, off: usize) -> Option<u64> {
        match self.class() {
            Class::Elf32 => self.u32(off).map(u64::from),
            Class::Elf64 => self.u64(off),
        }
    }

    /// The NUL-terminated string at `off` inside `self.data`, without the NUL.
    pub(crate) fn cstr(&self, off: usize) -> Option<&'a [u8]> {
        let tail = self.data.get(off..)?;
        let n = tail.iter().position(|&c| c == 0)?;
        tail.get(..n)
    }
}

/// `(base + index * size)`, or `None` on overflow.
pub(crate) fn at(base: usize, index: usize, size: usize) -> Option<usize> {
    base.checked_add(index.checked_mul(size)?)
}

/// The ELF file header fields the parser uses.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Ehdr<L> {
    pub(crate) layout: L,
    pub(crate) e_type: u16,
    pub(crate) machine: u16,
    pub(crate) phoff: u64,
    pub(crate) phentsize: u16,
    pub(crate) phnum: u16,
}

/// Why an image was rejected.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ParseError {
    /// Shorter than an ELF header, or the program headers lie outside the image.
    Truncated,
    /// Not an ELF file (magic), or an unknown class, encoding or version.
    NotElf,
    /// An ELF file of another class, byte order or machine than this process.
    ForeignMachine,
    /// Not a shared object (`e_type != ET_DYN`).
    NotSharedObject,
    /// A program header size this parser does not know.
    BadProgramHeader,
    /// No `PT_LOAD` segment.
    NoLoadSegment,
    /// No `PT_DYNAMIC` segment, or one outside the image.
    NoDynamic,
    /// `DT_STRTAB` or `DT_SYMTAB` missing or outside the image, or a bad `DT_SYMENT`.
    BadDynamic,
    /// Neither a usable `DT_HASH` nor a usable `DT_GNU_HASH`.
    NoHashTable,
}

impl core::fmt::Display for ParseError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            ParseError::Truncated => "image truncated: header or program headers out of bounds",
            ParseError::NotElf => "not an ELF image of a known class, encoding and version",
            ParseError::ForeignMachine => "ELF image of another class, byte order or machine",
            ParseError::NotSharedObject => "ELF image is not a shared object (ET_DYN)",
            ParseError::BadProgramHeader => "unexpected program header entry size",
            ParseError::NoLoadSegment => "no PT_LOAD segment",
            ParseError::NoDynamic => "no PT_DYNAMIC segment inside the image",
            ParseError::BadDynamic => "DT_STRTAB/DT_SYMTAB missing or out of bounds",
            ParseError::NoHashTable => "no usable DT_HASH or DT_GNU_HASH",
        })
    }
}

/// Reads and checks `e_ident` and the file header.
/// [`ParseError::ForeignMachine`] when `L` cannot read the image's class and byte order.
// Inlined: the live path runs this once, cold; one body is fewer cache lines to fetch.
#[inline(always)]
pub(crate) fn ehdr<L: Layout>(data: &[u8]) -> Result<Ehdr<L>, ParseError> {
    let ident = data.get(..16).ok_or(ParseError::Truncated)?;
    if ident.get(..4) != Some(&ELFMAG[..]) {
        return Err(ParseError::NotElf);
    }
    let class = match ident.get(EI_CLASS) {
        Some(&ELFCLASS32) => Class::Elf32,
        Some(&ELFCLASS64) => Class::Elf64,
        _ => return Err(ParseError::NotElf),
    };
    let endian = match ident.get(EI_DATA) {
        Some(&ELFDATA2LSB) => Endian::Little,
        Some(&ELFDATA2MSB) => Endian::Big,
        _ => return Err(ParseError::NotElf),
    };
    if ident.get(EI_VERSION) != Some(&EV_CURRENT) {
        return Err(ParseError::NotElf);
    }
    let layout = L::for_image(class, endian).ok_or(ParseError::ForeignMachine)?;
    let b = Bytes { data, layout };
    // Offsets of e_phoff, e_phentsize, e_phnum; e_type and e_machine are at 16 and 18 in both.
    let (phoff, phentsize, phnum, ehsize) = match layout.class() {
        Class::Elf32 => (28, 42, 44, 52),
        Class::Elf64 => (32, 54, 56, 64),
    };
    if b.len() < ehsize {
        return Err(ParseError::Truncated);
    }
    let t = ParseError::Truncated;
    Ok(Ehdr {
        layout,
        e_type: b.u16(16).ok_or(t)?,
        machine: b.u16(18).ok_or(t)?,
        phoff: b.word(phoff).ok_or(t)?,
        phentsize: b.u16(phentsize).ok_or(t)?,
        phnum: b.u16(phnum).ok_or(t)?,
    })
}

/// One program header.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Phdr {
    pub(crate) p_type: u32,
    pub(crate) offset: u64,
    pub(crate) vaddr: u64,
    pub(crate) filesz: u64,
}

/// Size of a program header entry in this class.
pub(crate) const fn phdr_size(class: Class) -> usize {
    match class {
        Class::Elf32 => 32,
        Class::Elf64 => 56,
    }
}

/// Reads program header `i` (the table must have been checked to be `phdr_size`-strided).
// Inlined: the live path runs this once, cold; one body is fewer cache lines to fetch.
#[inline(always)]
pub(crate) fn phdr<L: Layout>(b: &Bytes<'_, L>, phoff: usize, i: usize) -> Option<Phdr> {
    let o = at(phoff, i, phdr_size(b.class()))?;
    Some(match b.class() {
        Class::Elf32 => Phdr {
            p_type: b.u32(o)?,
            offset: b.word(o.checked_add(4)?)?,
            vaddr: b.word(o.checked_add(8)?)?,
            filesz: b.word(o.checked_add(16)?)?,
        },
        Class::Elf64 => Phdr {
            p_type: b.u32(o)?,
            offset: b.word(o.checked_add(8)?)?,
            vaddr: b.word(o.checked_add(16)?)?,
            filesz: b.word(o.checked_add(32)?)?,
        },
    })
}

/// Size of a dynamic entry (`ElfN_Dyn`).
pub(crate) const fn dyn_size(class: Class) -> usize {
    2 * class.word()
}

/// Reads dynamic entry `i` of the table at `off`: `(d_tag, d_val)`. A 32-bit tag is sign-less
/// here; the tags the parser compares with all fit in 31 bits.
// Inlined: the live path runs this once, cold; one body is fewer cache lines to fetch.
#[inline(always)]
pub(crate) fn dyn_entry<L: Layout>(b: &Bytes<'_, L>, off: usize, i: usize) -> Option<(u64, u64)> {
    let o = at(off, i, dyn_size(b.class()))?;
    Some((b.word(o)?, b.word(o.checked_add(b.class().word())?)?))
}

/// Size of a symbol table entry (`ElfN_Sym`).
pub(crate) const fn sym_size(class: Class) -> usize {
    match class {
        Class::Elf32 => 16,
        Class::Elf64 => 24,
    }
}

/// One symbol table entry.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Sym {
    pub(crate) name: u32,
    pub(crate) info: u8,
    pub(crate) shndx: u16,
    pub(crate) value: u64,
    pub(crate) size: u64,
}

impl Sym {
    pub(crate) fn bind(&self) -> u8 {
        self.info >> 4
    }

    pub(crate) fn kind(&self) -> u8 {
        self.info & 0xf
    }
}

/// Reads the symbol at byte offset `o`.
// Inlined: the live path runs this once, cold; one body is fewer cache lines to fetch.
#[inline(always)]
pub(crate) fn sym<L: Layout>(b: &Bytes<'_, L>, o: usize) -> Option<Sym> {
    let f = |d: usize| o.checked_add(d);
    Some(match b.class() {
        Class::Elf32 => Sym {
            name: b.u32(o)?,
            value: b.word(f(4)?)?,
            size: b.word(f(8)?)?,
            info: b.u8(f(12)?)?,
            shndx: b.u16(f(14)?)?,
        },
        Class::Elf64 => Sym {
            name: b.u32(o)?,
            info: b.u8(f(4)?)?,
            shndx: b.u16(f(6)?)?,
            value: b.word(f(8)?)?,
            size: b.word(f(16)?)?,
        },
    })
}
