//! A writer of small ELF shared objects shaped like a vDSO, for the parser's tests: either class,
//! either byte order, any machine, with `DT_HASH` (32- or 64-bit words), `DT_GNU_HASH` or both,
//! and optional symbol versions. Layouts from the System V gABI and the LSB versioning chapter.

use std::vec;
use std::vec::Vec;

use crate::elf::{Class, EM_S390, Endian};
use crate::hash::{gnu_hash, sysv_hash};

/// One symbol to write.
#[derive(Clone, Debug)]
pub struct S {
    pub name: &'static str,
    /// Index into `Spec::versions` + 2 (0 = local, 1 = global unversioned); bit 15 = hidden.
    pub versym: u16,
    pub kind: u8,
    pub bind: u8,
    pub shndx: u16,
}

pub fn func(name: &'static str) -> S {
    S {
        name,
        versym: 2,
        kind: 2,
        bind: 1,
        shndx: 7,
    }
}

#[derive(Clone, Debug)]
pub struct Spec {
    pub class: Class,
    pub endian: Endian,
    pub machine: u16,
    pub sysv: bool,
    pub gnu: bool,
    /// Version names (index 2, 3, …); empty: no DT_VERSYM/DT_VERDEF.
    pub versions: Vec<&'static str>,
    pub symbols: Vec<S>,
    /// Link address of the image (p_vaddr of PT_LOAD, file offset 0).
    pub vaddr: u64,
}

impl Spec {
    pub fn new(class: Class, endian: Endian) -> Spec {
        Spec {
            class,
            endian,
            machine: crate::elf::EM_X86_64,
            sysv: true,
            gnu: true,
            versions: vec!["LINUX_2.6"],
            symbols: vec![
                func("__vdso_clock_gettime"),
                func("__vdso_gettimeofday"),
                func("__vdso_time"),
                func("__vdso_getcpu"),
                func("__vdso_clock_getres"),
                func("__vdso_getrandom"),
                func("clock_gettime"),
            ],
            vaddr: 0,
        }
    }
}

struct W {
    buf: Vec<u8>,
    class: Class,
    endian: Endian,
}

impl W {
    fn put(&mut self, off: usize, bytes: &[u8]) {
        if self.buf.len() < off + bytes.len() {
            self.buf.resize(off + bytes.len(), 0);
        }
        self.buf[off..off + bytes.len()].copy_from_slice(bytes);
    }
    fn u16(&mut self, off: usize, v: u16) {
        let b = match self.endian {
            Endian::Little => v.to_le_bytes(),
            Endian::Big => v.to_be_bytes(),
        };
        self.put(off, &b);
    }
    fn u32(&mut self, off: usize, v: u32) {
        let b = match self.endian {
            Endian::Little => v.to_le_bytes(),
            Endian::Big => v.to_be_bytes(),
        };
        self.put(off, &b);
    }
    fn u64(&mut self, off: usize, v: u64) {
        let b = match self.endian {
            Endian::Little => v.to_le_bytes(),
            Endian::Big => v.to_be_bytes(),
        };
        self.put(off, &b);
    }
    fn word(&mut self, off: usize, v: u64) {
        match self.class {
            Class::Elf32 => self.u32(off, v as u32),
            Class::Elf64 => self.u64(off, v),
        }
    }
    fn align(&mut self, a: usize) -> usize {
        let n = self.buf.len().next_multiple_of(a);
        self.buf.resize(n, 0);
        n
    }
}

/// What was written where, for tests that corrupt specific parts.
#[derive(Debug, Default)]
pub struct Layout {
    #[allow(dead_code, reason = "kept for tests that corrupt the symbol table")]
    pub symtab: usize,
    pub dynamic: usize,
    pub text: usize,
    /// End of the last table (the dynamic section); zero padding follows up to `text`.
    pub tables_end: usize,
    /// Symbol names in table order (index 1..).
    pub order: Vec<&'static str>,
}

pub fn build(spec: &Spec) -> (Vec<u8>, Layout) {
    let c = spec.class;
    let ws = c.word();
    let mut w = W {
        buf: Vec::new(),
        class: c,
        endian: spec.endian,
    };
    let (ehsize, phsize, symsize) = match c {
        Class::Elf32 => (52usize, 32usize, 16usize),
        Class::Elf64 => (64, 56, 24),
    };
    // GNU hash needs the hashed symbols grouped by bucket.
    const NB_GNU: u32 = 2;
    let mut syms = spec.symbols.clone();
    if spec.gnu {
        syms.sort_by_key(|s| gnu_hash(s.name.as_bytes()) % NB_GNU);
    }
    let nsyms = syms.len() + 1;

    // Strings.
    let mut strtab = vec![0u8];
    let str_off = |s: &str, strtab: &mut Vec<u8>| {
        let o = strtab.len();
        strtab.extend_from_slice(s.as_bytes());
        strtab.push(0);
        o as u32
    };
    let name_offs: Vec<u32> = syms.iter().map(|s| str_off(s.name, &mut strtab)).collect();
    let soname = str_off("linux-vdso.so.1", &mut strtab);
    let ver_offs: Vec<u32> = spec
        .versions
        .iter()
        .map(|v| str_off(v, &mut strtab))
        .collect();

    let phoff = ehsize;
    w.buf.resize(phoff + 2 * phsize, 0);

    // .hash
    let hash_off = if spec.sysv {
        let he = if c == Class::Elf64 && spec.machine == EM_S390 {
            8
        } else {
            4
        };
        let off = w.align(8);
        let nb = 3usize;
        let mut bucket = vec![0u64; nb];
        let mut chain = vec![0u64; nsyms];
        for (i, s) in syms.iter().enumerate() {
            let idx = i + 1;
            let b = sysv_hash(s.name.as_bytes()) as usize % nb;
            chain[idx] = bucket[b];
            bucket[b] = idx as u64;
        }
        let mut o = off;
        let mut put = |w: &mut W, v: u64| {
            if he == 8 {
                w.u64(o, v)
            } else {
                w.u32(o, v as u32)
            }
            o += he;
        };
        put(&mut w, nb as u64);
        put(&mut w, nsyms as u64);
        for v in bucket.iter().chain(chain.iter()) {
            put(&mut w, *v);
        }
        Some(off)
    } else {
        None
    };

    // .gnu.hash: symoffset 1, one bloom word of all ones.
    let gnu_off = if spec.gnu {
        let off = w.align(8);
        w.u32(off, NB_GNU);
        w.u32(off + 4, 1);
        w.u32(off + 8, 1);
        w.u32(off + 12, 6);
        w.word(off + 16, u64::MAX);
        let buckets = off + 16 + ws;
        let chains = buckets + 4 * NB_GNU as usize;
        let mut first = [0u32; NB_GNU as usize];
        for (i, s) in syms.iter().enumerate().rev() {
            first[(gnu_hash(s.name.as_bytes()) % NB_GNU) as usize] = (i + 1) as u32;
        }
        for (k, f) in first.iter().enumerate() {
            w.u32(buckets + 4 * k, *f);
        }
        for (i, s) in syms.iter().enumerate() {
            let h = gnu_hash(s.name.as_bytes());
            let last = match syms.get(i + 1) {
                Some(n) => gnu_hash(n.name.as_bytes()) % NB_GNU != h % NB_GNU,
                None => true,
            };
            w.u32(chains + 4 * i, (h & !1) | last as u32);
        }
        if syms.is_empty() {
            w.u32(chains, 0); // keep the table non-empty in bytes
        }
        Some(off)
    } else {
        None
    };

    // .dynsym
    let symtab = w.align(8);
    w.buf.resize(symtab + nsyms * symsize, 0);
    let text_base = 0x800usize;
    for (i, s) in syms.iter().enumerate() {
        let o = symtab + (i + 1) * symsize;
        let value = spec.vaddr + (text_base + 16 * i) as u64;
        let info = (s.bind << 4) | s.kind;
        match c {
            Class::Elf32 => {
                w.u32(o, name_offs[i]);
                w.u32(o + 4, value as u32);
                w.u32(o + 8, 16);
                w.put(o + 12, &[info, 0]);
                w.u16(o + 14, s.shndx);
            }
            Class::Elf64 => {
                w.u32(o, name_offs[i]);
                w.put(o + 4, &[info, 0]);
                w.u16(o + 6, s.shndx);
                w.u64(o + 8, value);
                w.u64(o + 16, 16);
            }
        }
    }

    // .dynstr
    let strtab_off = w.buf.len();
    w.put(strtab_off, &strtab);

    // versions
    let (versym_off, verdef_off) = if spec.versions.is_empty() {
        (None, None)
    } else {
        let vs = w.align(2);
        w.buf.resize(vs + 2 * nsyms, 0);
        for (i, s) in syms.iter().enumerate() {
            w.u16(vs + 2 * (i + 1), s.versym);
        }
        let vd = w.align(8);
        // Base definition, then one per version; each with one Verdaux right after it.
        let names: Vec<(u16, u16, u32)> = core::iter::once((1u16, 1u16, soname))
            .chain(
                ver_offs
                    .iter()
                    .enumerate()
                    .map(|(k, &o)| (0, k as u16 + 2, o)),
            )
            .collect();
        for (k, (flags, ndx, name)) in names.iter().enumerate() {
            let o = vd + 28 * k;
            w.u16(o, 1);
            w.u16(o + 2, *flags);
            w.u16(o + 4, *ndx);
            w.u16(o + 6, 1);
            w.u32(o + 8, 0);
            w.u32(o + 12, 20);
            w.u32(o + 16, if k + 1 < names.len() { 28 } else { 0 });
            w.u32(o + 20, *name);
            w.u32(o + 24, 0);
        }
        (Some(vs), Some(vd))
    };

    // .dynamic
    let dynamic = w.align(8);
    let a = |o: usize| spec.vaddr + o as u64;
    let mut tags: Vec<(u64, u64)> = Vec::new();
    if let Some(o) = hash_off {
        tags.push((4, a(o)));
    }
    if let Some(o) = gnu_off {
        tags.push((0x6fff_fef5, a(o)));
    }
    tags.push((5, a(strtab_off)));
    tags.push((6, a(symtab)));
    tags.push((10, strtab.len() as u64));
    tags.push((11, symsize as u64));
    if let (Some(vs), Some(vd)) = (versym_off, verdef_off) {
        tags.push((0x6fff_fff0, a(vs)));
        tags.push((0x6fff_fffc, a(vd)));
        tags.push((0x6fff_fffd, spec.versions.len() as u64 + 1));
    }
    tags.push((0, 0));
    for (i, (t, v)) in tags.iter().enumerate() {
        w.word(dynamic + 2 * ws * i, *t);
        w.word(dynamic + 2 * ws * i + ws, *v);
    }
    let dyn_len = 2 * ws * tags.len();
    let tables_end = dynamic + dyn_len;

    // text
    let text = text_base.max(w.buf.len());
    assert_eq!(text, text_base, "test image grew past the text");
    w.buf.resize(text + 16 * syms.len().max(1), 0xcc);
    let total = w.buf.len() as u64;

    // ELF header
    w.put(0, &[0x7f, b'E', b'L', b'F']);
    w.put(4, &[if c == Class::Elf32 { 1 } else { 2 }]);
    w.put(5, &[if spec.endian == Endian::Little { 1 } else { 2 }]);
    w.put(6, &[1]);
    w.u16(16, 3);
    w.u16(18, spec.machine);
    w.u32(20, 1);
    match c {
        Class::Elf32 => {
            w.u32(28, phoff as u32);
            w.u16(40, ehsize as u16);
            w.u16(42, phsize as u16);
            w.u16(44, 2);
        }
        Class::Elf64 => {
            w.u64(32, phoff as u64);
            w.u16(52, ehsize as u16);
            w.u16(54, phsize as u16);
            w.u16(56, 2);
        }
    }
    // Program headers: PT_LOAD of the whole image, PT_DYNAMIC.
    let ph = |w: &mut W, i: usize, ty: u32, off: u64, filesz: u64, flags: u32| {
        let o = phoff + i * phsize;
        match c {
            Class::Elf32 => {
                w.u32(o, ty);
                w.u32(o + 4, off as u32);
                w.u32(o + 8, (spec.vaddr + off) as u32);
                w.u32(o + 12, (spec.vaddr + off) as u32);
                w.u32(o + 16, filesz as u32);
                w.u32(o + 20, filesz as u32);
                w.u32(o + 24, flags);
                w.u32(o + 28, 4096);
            }
            Class::Elf64 => {
                w.u32(o, ty);
                w.u32(o + 4, flags);
                w.u64(o + 8, off);
                w.u64(o + 16, spec.vaddr + off);
                w.u64(o + 24, spec.vaddr + off);
                w.u64(o + 32, filesz);
                w.u64(o + 40, filesz);
                w.u64(o + 48, 4096);
            }
        }
    };
    ph(&mut w, 0, 1, 0, total, 5);
    ph(&mut w, 1, 2, dynamic as u64, dyn_len as u64, 4);

    let order = syms.iter().map(|s| s.name).collect();
    (
        w.buf,
        Layout {
            symtab,
            dynamic,
            text,
            tables_end,
            order,
        },
    )
}
