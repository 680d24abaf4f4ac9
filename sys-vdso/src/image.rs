//! The vDSO parser: a pure function over a byte slice holding an ELF shared object as the kernel
//! maps it (file offset = offset from the start of the mapping), with symbol lookup by name and
//! version and a listing of what the image exports.
//!
//! Algorithm as in the kernel's `tools/testing/selftests/vDSO/parse_vdso.c`: the load bias comes
//! from the first `PT_LOAD` (`p_vaddr - p_offset`), `PT_DYNAMIC` gives `DT_STRTAB`, `DT_SYMTAB`,
//! `DT_HASH`/`DT_GNU_HASH`, `DT_VERSYM` and `DT_VERDEF`; a match must be `STB_GLOBAL` or
//! `STB_WEAK`, defined, and of the requested version. Differences: both hash tables are supported
//! (either alone suffices), `STT_NOTYPE` is accepted (ppc64 exports its functions that way), and
//! every offset, index and string is checked against the slice, so no input makes the parser
//! panic, loop without end or read outside the slice (the `vdso_parse` fuzz target and the
//! Miri-run unit tests exercise this).

use crate::elf::{
    self, Bytes, Class, DT_GNU_HASH, DT_HASH, DT_NULL, DT_STRSZ, DT_STRTAB, DT_SYMENT, DT_SYMTAB,
    DT_VERDEF, DT_VERSYM, ET_DYN, Endian, PT_DYNAMIC, PT_LOAD, ParseError, SHN_ABS, SHN_UNDEF,
    STB_GLOBAL, STB_WEAK, STT_FUNC, STT_NOTYPE, STT_OBJECT, at,
};
use crate::hash::{GnuHash, SysvHash};
use crate::version::Versions;

/// A parsed ELF shared object, borrowed from the bytes it was parsed from.
///
/// `Image` accepts any class, byte order and machine (so that tests and fuzzing on one host cover
/// them all); [`Image::parse_native`] also requires this process's own.
#[derive(Clone, Copy, Debug)]
pub struct Image<'a> {
    b: Bytes<'a>,
    machine: u16,
    /// `p_vaddr - p_offset` of the first `PT_LOAD`: an address `v` is at offset `v - bias`.
    bias: u64,
    /// The string table (clipped to `DT_STRSZ` and to the image).
    strings: &'a [u8],
    symtab: usize,
    syment: usize,
    nsyms: usize,
    sysv: Option<SysvHash>,
    gnu: Option<GnuHash>,
    versions: Option<Versions>,
}

/// The type of a symbol (`ELF_ST_TYPE`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SymbolKind {
    /// `STT_FUNC`.
    Function,
    /// `STT_NOTYPE` (ppc64's vDSO functions, version-name symbols on some arches).
    NoType,
    /// `STT_OBJECT` (x86's version-name symbols).
    Object,
    /// Any other type, with its number.
    Other(u8),
}

/// One exported symbol of an [`Image`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Symbol<'a> {
    /// Index in the dynamic symbol table.
    pub index: usize,
    /// The name, as stored (not necessarily UTF-8).
    pub name: &'a [u8],
    /// The version name (`LINUX_2.6`), or `None` for an unversioned symbol.
    pub version: Option<&'a [u8]>,
    /// `st_value`: the link-time address.
    pub value: u64,
    /// `st_size`.
    pub size: u64,
    /// `ELF_ST_TYPE`.
    pub kind: SymbolKind,
    /// `STB_WEAK` rather than `STB_GLOBAL`.
    pub weak: bool,
    /// Byte offset of the symbol in the image (`value` minus the load bias), or `None` for an
    /// absolute symbol (`SHN_ABS`) or a value outside the image. On 32-bit Arm a Thumb function
    /// keeps bit 0 set, as a branch to it needs.
    pub offset: Option<usize>,
}

impl Symbol<'_> {
    /// The name as `&str`, or `None` if it is not UTF-8.
    pub fn name_str(&self) -> Option<&str> {
        core::str::from_utf8(self.name).ok()
    }

    /// The version as `&str`, or `None` if unversioned or not UTF-8.
    pub fn version_str(&self) -> Option<&str> {
        self.version.and_then(|v| core::str::from_utf8(v).ok())
    }
}

impl<'a> Image<'a> {
    /// Parses an image of any class, byte order and machine.
    ///
    /// # Errors
    /// [`ParseError`] says which part of the image is missing or malformed.
    pub fn parse(data: &'a [u8]) -> Result<Self, ParseError> {
        let eh = elf::ehdr(data)?;
        if eh.e_type != ET_DYN {
            return Err(ParseError::NotSharedObject);
        }
        let b = Bytes {
            data,
            class: eh.class,
            endian: eh.endian,
        };
        let ph = program_headers(&b, eh.phoff, eh.phentsize, eh.phnum)?;

        // Load bias and the dynamic table.
        let mut bias = None;
        let mut dynamic = None;
        for i in 0..usize::from(eh.phnum) {
            let p = elf::phdr(&b, ph, i).ok_or(ParseError::Truncated)?;
            if p.p_type == PT_LOAD && bias.is_none() {
                bias = Some(p.vaddr.wrapping_sub(p.offset));
            } else if p.p_type == PT_DYNAMIC && dynamic.is_none() {
                dynamic = Some((p.offset, p.filesz));
            }
        }
        let bias = bias.ok_or(ParseError::NoLoadSegment)?;
        let (dyn_off, dyn_size) = dynamic.ok_or(ParseError::NoDynamic)?;
        let dyn_off = usize::try_from(dyn_off).map_err(|_| ParseError::NoDynamic)?;
        if dyn_off >= b.len() {
            return Err(ParseError::NoDynamic);
        }
        let max_entries = usize::try_from(dyn_size)
            .unwrap_or(usize::MAX)
            .checked_div(elf::dyn_size(b.class))
            .unwrap_or(0);

        let mut t = DynTags::default();
        for i in 0..max_entries {
            let Some((tag, val)) = elf::dyn_entry(&b, dyn_off, i) else {
                break;
            };
            let slot = match tag {
                DT_NULL => break,
                DT_HASH => &mut t.hash,
                DT_GNU_HASH => &mut t.gnu_hash,
                DT_STRTAB => &mut t.strtab,
                DT_STRSZ => &mut t.strsz,
                DT_SYMTAB => &mut t.symtab,
                DT_SYMENT => &mut t.syment,
                DT_VERSYM => &mut t.versym,
                DT_VERDEF => &mut t.verdef,
                _ => continue,
            };
            slot.get_or_insert(val);
        }

        let off = |v: u64| offset_in(v, bias, b.len());
        let strtab = t.strtab.and_then(off).ok_or(ParseError::BadDynamic)?;
        let symtab = t.symtab.and_then(off).ok_or(ParseError::BadDynamic)?;
        let str_end = match t.strsz.and_then(|n| usize::try_from(n).ok()) {
            Some(n) => strtab.saturating_add(n).min(b.len()),
            None => b.len(),
        };
        let strings = data.get(strtab..str_end).ok_or(ParseError::BadDynamic)?;
        let min_syment = elf::sym_size(b.class);
        let syment = match t.syment {
            None => min_syment,
            Some(n) => match usize::try_from(n) {
                Ok(n) if (min_syment..=256).contains(&n) => n,
                _ => return Err(ParseError::BadDynamic),
            },
        };

        let sysv = t
            .hash
            .and_then(off)
            .and_then(|o| SysvHash::new(&b, o, eh.machine));
        let gnu = t.gnu_hash.and_then(off).and_then(|o| GnuHash::new(&b, o));
        let nsyms = match (sysv, gnu) {
            (Some(h), _) => h.nchain,
            (None, Some(g)) => g.symbol_count(&b).ok_or(ParseError::NoHashTable)?,
            (None, None) => return Err(ParseError::NoHashTable),
        };
        // No more symbols than fit between the symbol table and the end of the image.
        let fit = (b.len() - symtab) / syment;
        let nsyms = nsyms.min(fit);

        let versions = match (t.versym.and_then(off), t.verdef.and_then(off)) {
            (Some(versym), Some(verdef)) => Some(Versions { versym, verdef }),
            _ => None,
        };

        Ok(Image {
            b,
            machine: eh.machine,
            bias,
            strings,
            symtab,
            syment,
            nsyms,
            sysv,
            gnu,
            versions,
        })
    }

    /// Parses an image and requires this process's class, byte order and `e_machine`.
    ///
    /// # Errors
    /// As [`Image::parse`], and [`ParseError::ForeignMachine`].
    pub fn parse_native(data: &'a [u8]) -> Result<Self, ParseError> {
        let img = Self::parse(data)?;
        if img.class() != Class::NATIVE
            || img.endian() != Endian::NATIVE
            || img.machine() != elf::NATIVE_MACHINE
        {
            return Err(ParseError::ForeignMachine);
        }
        Ok(img)
    }

    /// The ELF class.
    pub fn class(&self) -> Class {
        self.b.class
    }

    /// The byte order.
    pub fn endian(&self) -> Endian {
        self.b.endian
    }

    /// `e_machine`.
    pub fn machine(&self) -> u16 {
        self.machine
    }

    /// The image's bytes.
    pub fn bytes(&self) -> &'a [u8] {
        self.b.data
    }

    /// Whether the image has a `DT_HASH` table (`.0`) and a `DT_GNU_HASH` table (`.1`).
    pub fn hash_tables(&self) -> (bool, bool) {
        (self.sysv.is_some(), self.gnu.is_some())
    }

    /// The same image with only the chosen hash tables (for tests that check each table on its
    /// own against a real vDSO).
    #[doc(hidden)]
    pub fn with_hash_tables(mut self, sysv: bool, gnu: bool) -> Self {
        if !sysv {
            self.sysv = None;
        }
        if !gnu {
            self.gnu = None;
        }
        self
    }

    /// Whether the image carries symbol versions (`DT_VERSYM` and `DT_VERDEF`).
    pub fn is_versioned(&self) -> bool {
        self.versions.is_some()
    }

    /// The number of entries in the dynamic symbol table (including the null entry 0).
    pub fn symbol_count(&self) -> usize {
        self.nsyms
    }

    /// Looks up a defined `STB_GLOBAL`/`STB_WEAK` function or object by name and, if `version`
    /// is given and the image is versioned, by version (`LINUX_2.6`). An unversioned image
    /// matches any version, as the kernel's reference parser does.
    ///
    /// Absolute symbols (`SHN_ABS`, such as the version-name symbols) are not returned: they have
    /// no place in the mapping. A symbol whose value lies outside the image is not returned either.
    pub fn lookup(&self, name: &str, version: Option<&str>) -> Option<Symbol<'a>> {
        let name = name.as_bytes();
        let version = version.map(str::as_bytes);
        let matches = |i: usize| {
            let s = self.symbol(i)?;
            let usable = matches!(
                s.kind,
                SymbolKind::Function | SymbolKind::NoType | SymbolKind::Object
            );
            let version_ok = match (version, self.versions) {
                (Some(want), Some(_)) => s.version == Some(want),
                _ => true,
            };
            (usable && s.offset.is_some() && s.name == name && version_ok).then_some(s)
        };
        let by_gnu = self.gnu.and_then(|g| g.find(&self.b, name, matches));
        by_gnu.or_else(|| {
            self.sysv
                .and_then(|h| h.find(&self.b, name, self.nsyms, matches))
        })
    }

    /// Every defined `STB_GLOBAL`/`STB_WEAK` symbol, in symbol-table order (absolute ones
    /// included, with `offset: None`).
    pub fn symbols(&self) -> Symbols<'a> {
        Symbols {
            image: *self,
            next: 1,
        }
    }

    /// Symbol `i` if it is a defined global or weak symbol with a readable name.
    fn symbol(&self, i: usize) -> Option<Symbol<'a>> {
        if i == 0 || i >= self.nsyms {
            return None;
        }
        let s = elf::sym(&self.b, at(self.symtab, i, self.syment)?)?;
        if !(s.bind() == STB_GLOBAL || s.bind() == STB_WEAK) || s.shndx == SHN_UNDEF {
            return None;
        }
        let name = self.string(s.name)?;
        let version = self.versions.and_then(|v| {
            let ndx = v.index(&self.b, i)?;
            self.string(v.name_offset(&self.b, ndx)?)
        });
        let offset = if s.shndx == SHN_ABS {
            None
        } else {
            offset_in(s.value, self.bias, self.b.len())
        };
        Some(Symbol {
            index: i,
            name,
            version,
            value: s.value,
            size: s.size,
            kind: match s.kind() {
                STT_FUNC => SymbolKind::Function,
                STT_NOTYPE => SymbolKind::NoType,
                STT_OBJECT => SymbolKind::Object,
                k => SymbolKind::Other(k),
            },
            weak: s.bind() == STB_WEAK,
            offset,
        })
    }

    fn string(&self, off: u32) -> Option<&'a [u8]> {
        let strings = Bytes {
            data: self.strings,
            ..self.b
        };
        strings.cstr(usize::try_from(off).ok()?)
    }
}

/// The iterator of [`Image::symbols`].
#[derive(Clone, Debug)]
pub struct Symbols<'a> {
    image: Image<'a>,
    next: usize,
}

impl<'a> Iterator for Symbols<'a> {
    type Item = Symbol<'a>;

    fn next(&mut self) -> Option<Symbol<'a>> {
        while self.next < self.image.nsyms {
            let i = self.next;
            self.next = i.saturating_add(1);
            if let Some(s) = self.image.symbol(i) {
                return Some(s);
            }
        }
        None
    }
}

#[derive(Default)]
struct DynTags {
    hash: Option<u64>,
    gnu_hash: Option<u64>,
    strtab: Option<u64>,
    strsz: Option<u64>,
    symtab: Option<u64>,
    syment: Option<u64>,
    versym: Option<u64>,
    verdef: Option<u64>,
}

/// Checks the program header table and returns its offset.
fn program_headers(
    b: &Bytes<'_>,
    phoff: u64,
    phentsize: u16,
    phnum: u16,
) -> Result<usize, ParseError> {
    if usize::from(phentsize) != elf::phdr_size(b.class) {
        return Err(ParseError::BadProgramHeader);
    }
    let phoff = usize::try_from(phoff).map_err(|_| ParseError::Truncated)?;
    let end = at(phoff, usize::from(phnum), usize::from(phentsize)).ok_or(ParseError::Truncated)?;
    if end > b.len() {
        return Err(ParseError::Truncated);
    }
    Ok(phoff)
}

/// The offset in an image of `len` bytes of the address `v`, given the load bias.
fn offset_in(v: u64, bias: u64, len: usize) -> Option<usize> {
    let o = usize::try_from(v.wrapping_sub(bias)).ok()?;
    (o < len).then_some(o)
}

/// The number of bytes the kernel's mapping of the image at least holds, computed from the ELF
/// header and program headers in `head` (the first bytes of the mapping): the furthest end of a
/// `PT_LOAD` segment's file contents. Used by the live path to size the slice it then parses.
///
/// # Errors
/// As [`Image::parse`] for the header, plus [`ParseError::ForeignMachine`].
pub fn mapped_len(head: &[u8]) -> Result<usize, ParseError> {
    let eh = elf::ehdr(head)?;
    if eh.class != Class::NATIVE || eh.endian != Endian::NATIVE || eh.machine != elf::NATIVE_MACHINE
    {
        return Err(ParseError::ForeignMachine);
    }
    let b = Bytes {
        data: head,
        class: eh.class,
        endian: eh.endian,
    };
    let ph = program_headers(&b, eh.phoff, eh.phentsize, eh.phnum)?;
    let mut end = 0usize;
    for i in 0..usize::from(eh.phnum) {
        let p = elf::phdr(&b, ph, i).ok_or(ParseError::Truncated)?;
        if p.p_type == PT_LOAD {
            let e = p
                .offset
                .checked_add(p.filesz)
                .ok_or(ParseError::Truncated)?;
            end = end.max(usize::try_from(e).map_err(|_| ParseError::Truncated)?);
        }
    }
    if end == 0 {
        return Err(ParseError::NoLoadSegment);
    }
    Ok(end)
}
