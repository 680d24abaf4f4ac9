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
    self, AnyLayout, Bytes, Class, DT_GNU_HASH, DT_HASH, DT_NULL, DT_STRSZ, DT_STRTAB, DT_SYMENT,
    DT_SYMTAB, DT_VERDEF, DT_VERSYM, ET_DYN, Endian, Layout, NativeLayout, PT_DYNAMIC, PT_LOAD,
    ParseError, SHN_ABS, SHN_UNDEF, STB_GLOBAL, STB_WEAK, STT_FUNC, STT_NOTYPE, STT_OBJECT, at,
};
use crate::hash::{GnuHash, SysvHash};
use crate::version::Versions;

/// A parsed ELF shared object, borrowed from the bytes it was parsed from.
///
/// `Image` (that is, `Image<'a, AnyLayout>`, from [`Image::parse`]) accepts any class, byte
/// order and machine, so that tests and fuzzing on one host cover them all;
/// `Image<'a, NativeLayout>` (from [`Image::parse_native`], and what [`Vdso`](crate::Vdso)
/// holds) requires this process's own and is read with compile-time offsets and byte order. The
/// parser and every method are the same for both.
#[derive(Clone, Copy, Debug)]
pub struct Image<'a, L: Layout = AnyLayout> {
    b: Bytes<'a, L>,
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
        Self::from_headers(data, &Headers::read(data)?)
    }
}

impl<'a> Image<'a, NativeLayout> {
    /// Parses an image and requires this process's class, byte order and `e_machine`.
    ///
    /// # Errors
    /// As [`Image::parse`], and [`ParseError::ForeignMachine`].
    pub fn parse_native(data: &'a [u8]) -> Result<Self, ParseError> {
        let h = Headers::read(data)?;
        if !h.is_native() {
            return Err(ParseError::ForeignMachine);
        }
        Self::from_headers(data, &h)
    }
}

impl<'a, L: Layout> Image<'a, L> {
    /// The rest of [`Image::parse`], after the file and program headers: `h` must come from
    /// `Headers::read` over these bytes or over a prefix of the same mapping.
    // Inlined: the live path runs this once, cold; one body is fewer cache lines to fetch.
    #[inline(always)]
    pub(crate) fn from_headers(data: &'a [u8], h: &Headers<L>) -> Result<Self, ParseError> {
        if h.ph_end > data.len() {
            return Err(ParseError::Truncated);
        }
        let b = Bytes {
            data,
            layout: h.layout,
        };
        let bias = h.bias;
        let dyn_off = usize::try_from(h.dyn_off).map_err(|_| ParseError::NoDynamic)?;
        if dyn_off >= b.len() {
            return Err(ParseError::NoDynamic);
        }
        let max_entries = usize::try_from(h.dyn_size)
            .unwrap_or(usize::MAX)
            .checked_div(elf::dyn_size(b.class()))
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
        let min_syment = elf::sym_size(b.class());
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
            .and_then(|o| SysvHash::new(&b, o, h.machine));
        let gnu = t.gnu_hash.and_then(off).and_then(|o| GnuHash::new(&b, o));
        let nsyms = match (sysv, gnu) {
            (Some(h), _) => h.nchain,
            (None, Some(g)) => g.symbol_count(&b).ok_or(ParseError::NoHashTable)?,
            (None, None) => return Err(ParseError::NoHashTable),
        };
        // No more symbols than fit between the symbol table and the end of the image.
        let fit = b
            .len()
            .saturating_sub(symtab)
            .checked_div(syment)
            .unwrap_or(0);
        let nsyms = nsyms.min(fit);

        let versions = match (t.versym.and_then(off), t.verdef.and_then(off)) {
            (Some(versym), Some(verdef)) => Some(Versions { versym, verdef }),
            _ => None,
        };

        Ok(Image {
            b,
            machine: h.machine,
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

    /// The ELF class.
    pub fn class(&self) -> Class {
        self.b.class()
    }

    /// The byte order.
    pub fn endian(&self) -> Endian {
        self.b.layout.endian()
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
        let (i, raw, _) = self.find(name.as_bytes(), version.map(str::as_bytes))?;
        self.describe(i, raw, self.string_if(raw.name, name.as_bytes())?)
    }

    /// The byte offset in the image of what [`Image::lookup`] finds, without describing it:
    /// the live path's lookup (less code to run cold).
    pub(crate) fn offset_of(&self, name: &str, version: Option<&str>) -> Option<usize> {
        self.find(name.as_bytes(), version.map(str::as_bytes))
            .map(|(_, _, offset)| offset)
    }

    /// The index, table entry and offset of the symbol [`Image::lookup`] describes.
    fn find(&self, name: &[u8], version: Option<&[u8]>) -> Option<(usize, elf::Sym, usize)> {
        let matches = |i: usize| {
            // The name first: it rules out every other candidate of the hash chain cheaply.
            let raw = self.raw_symbol(i)?;
            self.string_if(raw.name, name)?;
            if !matches!(raw.kind(), STT_FUNC | STT_NOTYPE | STT_OBJECT) || raw.shndx == SHN_ABS {
                return None;
            }
            let offset = offset_in(raw.value, self.bias, self.b.len())?;
            if let (Some(v), Some(want)) = (self.versions, version) {
                let ndx = v.index(&self.b, i)?;
                self.string_if(v.name_offset(&self.b, ndx)?, want)?;
            }
            Some((i, raw, offset))
        };
        let by_gnu = self.gnu.and_then(|g| g.find(&self.b, name, matches));
        by_gnu.or_else(|| {
            self.sysv
                .and_then(|h| h.find(&self.b, name, self.nsyms, matches))
        })
    }

    /// Every defined `STB_GLOBAL`/`STB_WEAK` symbol, in symbol-table order (absolute ones
    /// included, with `offset: None`).
    pub fn symbols(&self) -> Symbols<'a, L> {
        Symbols {
            image: *self,
            next: 1,
        }
    }

    /// The table entry of symbol `i` if it is a defined global or weak symbol.
    fn raw_symbol(&self, i: usize) -> Option<elf::Sym> {
        if i == 0 || i >= self.nsyms {
            return None;
        }
        let s = elf::sym(&self.b, at(self.symtab, i, self.syment)?)?;
        let global = s.bind() == STB_GLOBAL || s.bind() == STB_WEAK;
        (global && s.shndx != SHN_UNDEF).then_some(s)
    }

    /// Symbol `i` if it is a defined global or weak symbol with a readable name.
    fn symbol(&self, i: usize) -> Option<Symbol<'a>> {
        let s = self.raw_symbol(i)?;
        self.describe(i, s, self.string(s.name)?)
    }

    /// The [`Symbol`] for entry `s` (index `i`, name `name`).
    fn describe(&self, i: usize, s: elf::Sym, name: &'a [u8]) -> Option<Symbol<'a>> {
        let version = self.versions.and_then(|v| {
            let ndx = v.index(&self.b, i)?;
            self.string(v.name_offset(&self.b, ndx)?)
        });
        let offset = if s.shndx == SHN_ABS {
            None
        } else {
            offset_in(s.value, self.bias, self.b.len())
        };
        Some(self.make(i, s, name, version, offset))
    }

    fn make(
        &self,
        i: usize,
        s: elf::Sym,
        name: &'a [u8],
        version: Option<&'a [u8]>,
        offset: Option<usize>,
    ) -> Symbol<'a> {
        Symbol {
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
        }
    }

    /// The string at `off` if it is `want` (compared in place, without a search for the NUL).
    fn string_if(&self, off: u32, want: &[u8]) -> Option<&'a [u8]> {
        let start = usize::try_from(off).ok()?;
        let end = start.checked_add(want.len())?;
        let s = self.strings.get(start..end)?;
        (s == want && self.strings.get(end) == Some(&0)).then_some(s)
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
pub struct Symbols<'a, L: Layout = AnyLayout> {
    image: Image<'a, L>,
    next: usize,
}

impl<'a, L: Layout> Iterator for Symbols<'a, L> {
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

/// What the file header and the program headers say: enough to size the mapping and to find
/// the dynamic table.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Headers<L> {
    pub(crate) layout: L,
    pub(crate) machine: u16,
    /// End of the program header table.
    pub(crate) ph_end: usize,
    /// `p_vaddr - p_offset` of the first `PT_LOAD`.
    pub(crate) bias: u64,
    /// The furthest `p_offset + p_filesz` of a `PT_LOAD`.
    pub(crate) load_end: u64,
    /// `p_offset` and `p_filesz` of the first `PT_DYNAMIC`.
    pub(crate) dyn_off: u64,
    pub(crate) dyn_size: u64,
}

impl<L: Layout> Headers<L> {
    /// Reads and checks the file header and the program header table, which must lie in `data`.
    // Inlined: the live path runs this once, cold; one body is fewer cache lines to fetch.
    #[inline(always)]
    pub(crate) fn read(data: &[u8]) -> Result<Headers<L>, ParseError> {
        let eh = elf::ehdr(data)?;
        if eh.e_type != ET_DYN {
            return Err(ParseError::NotSharedObject);
        }
        let b = Bytes {
            data,
            layout: eh.layout,
        };
        if usize::from(eh.phentsize) != elf::phdr_size(b.class()) {
            return Err(ParseError::BadProgramHeader);
        }
        let phoff = usize::try_from(eh.phoff).map_err(|_| ParseError::Truncated)?;
        let ph_end = at(phoff, usize::from(eh.phnum), usize::from(eh.phentsize))
            .ok_or(ParseError::Truncated)?;
        if ph_end > b.len() {
            return Err(ParseError::Truncated);
        }
        let mut bias = None;
        let mut load_end = 0u64;
        let mut dynamic = None;
        for i in 0..usize::from(eh.phnum) {
            let p = elf::phdr(&b, phoff, i).ok_or(ParseError::Truncated)?;
            if p.p_type == PT_LOAD {
                bias.get_or_insert(p.vaddr.wrapping_sub(p.offset));
                let end = p
                    .offset
                    .checked_add(p.filesz)
                    .ok_or(ParseError::Truncated)?;
                load_end = load_end.max(end);
            } else if p.p_type == PT_DYNAMIC && dynamic.is_none() {
                dynamic = Some((p.offset, p.filesz));
            }
        }
        let bias = bias.ok_or(ParseError::NoLoadSegment)?;
        let (dyn_off, dyn_size) = dynamic.ok_or(ParseError::NoDynamic)?;
        Ok(Headers {
            layout: eh.layout,
            machine: eh.machine,
            ph_end,
            bias,
            load_end,
            dyn_off,
            dyn_size,
        })
    }

    /// Whether the image is for this process's class, byte order and machine.
    pub(crate) fn is_native(&self) -> bool {
        self.layout.class() == Class::NATIVE
            && self.layout.endian() == Endian::NATIVE
            && self.machine == elf::NATIVE_MACHINE
    }
}

/// The offset in an image of `len` bytes of the address `v`, given the load bias.
fn offset_in(v: u64, bias: u64, len: usize) -> Option<usize> {
    let o = usize::try_from(v.wrapping_sub(bias)).ok()?;
    (o < len).then_some(o)
}

/// The number of bytes the kernel's mapping of the image at least holds, computed from the ELF
/// header and program headers in `head` (the first bytes of the mapping): the furthest end of a
/// `PT_LOAD` segment's file contents.
///
/// # Errors
/// As [`Image::parse`] for the headers, plus [`ParseError::ForeignMachine`].
pub fn mapped_len(head: &[u8]) -> Result<usize, ParseError> {
    let h = Headers::<AnyLayout>::read(head)?;
    if !h.is_native() {
        return Err(ParseError::ForeignMachine);
    }
    usize::try_from(h.load_end).map_err(|_| ParseError::Truncated)
}
