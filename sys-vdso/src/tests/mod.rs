//! Parser tests over crafted images: every hash-table and version combination in both classes
//! and byte orders, s390x's 64-bit hash words, ppc64's `STT_NOTYPE`, and truncated or corrupted
//! images, which must be rejected or parsed without a panic or an out-of-bounds read. Pure (no
//! system calls), so they run under Miri: `cargo +nightly miri test -p sys-vdso --lib`.

mod build;

use std::vec;
use std::vec::Vec;

use build::{Spec, build, func};

use crate::elf::{Class, EM_PPC64, EM_S390, EM_X86_64, Endian, NATIVE_MACHINE, ParseError};
use crate::image::{Image, SymbolKind, mapped_len};

const SHAPES: [(Class, Endian); 4] = [
    (Class::Elf32, Endian::Little),
    (Class::Elf64, Endian::Little),
    (Class::Elf32, Endian::Big),
    (Class::Elf64, Endian::Big),
];
const TABLES: [(bool, bool); 3] = [(true, false), (false, true), (true, true)];

/// How much of the exhaustive truncation and corruption sweeps to run: all of it natively on
/// x86 (fast), a third under qemu (the parser does not depend on the host architecture beyond
/// what every target covers), a sample under Miri (slow).
const SWEEP: usize = if cfg!(miri) {
    0
} else if cfg!(any(target_arch = "x86_64", target_arch = "x86")) {
    2
} else {
    1
};

fn all_specs() -> Vec<Spec> {
    let mut v = Vec::new();
    for (class, endian) in SHAPES {
        for (sysv, gnu) in TABLES {
            for versioned in [true, false] {
                for vaddr in [0u64, 0x10_0000] {
                    let mut s = Spec::new(class, endian);
                    s.sysv = sysv;
                    s.gnu = gnu;
                    s.vaddr = vaddr;
                    if !versioned {
                        s.versions.clear();
                    }
                    v.push(s);
                }
            }
        }
    }
    v
}

/// Uses every entry point of an image, for the no-panic tests.
fn exercise(im: &Image<'_>) -> usize {
    let mut n = 0;
    for name in [
        "__vdso_clock_gettime",
        "__vdso_time",
        "clock_gettime",
        "x",
        "",
    ] {
        for v in [None, Some("LINUX_2.6"), Some("")] {
            n += usize::from(im.lookup(name, v).is_some());
        }
    }
    for s in im.symbols().take(10_000) {
        n += s.name.len() + s.version.map_or(0, <[u8]>::len);
    }
    n + im.symbol_count()
}

#[test]
fn finds_every_symbol_in_every_shape() {
    for spec in all_specs() {
        let (img, layout) = build(&spec);
        let im = Image::parse(&img).unwrap_or_else(|e| panic!("{spec:?}: {e}"));
        assert_eq!(im.hash_tables(), (spec.sysv, spec.gnu));
        assert_eq!(im.is_versioned(), !spec.versions.is_empty());
        assert_eq!(im.symbol_count(), spec.symbols.len() + 1);
        for (i, name) in layout.order.iter().enumerate() {
            let s = im
                .lookup(name, Some("LINUX_2.6"))
                .unwrap_or_else(|| panic!("{name} not found in {spec:?}"));
            assert_eq!(s.name, name.as_bytes());
            assert_eq!(s.index, i + 1);
            assert_eq!(s.offset, Some(layout.text + 16 * i));
            assert_eq!(s.kind, SymbolKind::Function);
            assert!(im.lookup(name, None).is_some());
            if spec.versions.is_empty() {
                assert_eq!(s.version, None);
                // An unversioned image matches any version (as parse_vdso.c does).
                assert!(im.lookup(name, Some("LINUX_9")).is_some());
            } else {
                assert_eq!(s.version, Some(&b"LINUX_2.6"[..]));
                assert!(im.lookup(name, Some("LINUX_9")).is_none());
            }
        }
        assert!(im.lookup("__vdso_nothing", None).is_none());
        assert!(im.lookup("", None).is_none());
        let listed: Vec<&[u8]> = im.symbols().map(|s| s.name).collect();
        let expected: Vec<&[u8]> = layout.order.iter().map(|n| n.as_bytes()).collect();
        assert_eq!(listed, expected);
    }
}

#[test]
fn s390x_hash_words_are_64_bit() {
    let mut spec = Spec::new(Class::Elf64, Endian::Big);
    spec.machine = EM_S390;
    spec.gnu = false;
    let (mut img, layout) = build(&spec);
    let im = Image::parse(&img).unwrap();
    assert_eq!(im.symbol_count(), layout.order.len() + 1);
    for name in &layout.order {
        assert!(im.lookup(name, Some("LINUX_2.6")).is_some(), "{name}");
    }
    // The same table read with 32-bit words (any other machine) does not make sense: nchain is
    // the high half of nbucket, 0, and nothing is found.
    img[18..20].copy_from_slice(&EM_X86_64.to_be_bytes());
    let other = Image::parse(&img);
    assert!(other.is_err() || other.unwrap().lookup(layout.order[0], None).is_none());
}

#[test]
fn ppc64_notype_symbols_are_found() {
    let mut spec = Spec::new(Class::Elf64, Endian::Little);
    spec.machine = EM_PPC64;
    spec.versions = vec!["LINUX_2.6.15"];
    for s in &mut spec.symbols {
        s.kind = 0; // STT_NOTYPE
    }
    let (img, layout) = build(&spec);
    let im = Image::parse(&img).unwrap();
    for name in &layout.order {
        let s = im.lookup(name, Some("LINUX_2.6.15")).unwrap();
        assert_eq!(s.kind, SymbolKind::NoType);
    }
}

#[test]
fn undefined_local_absolute_and_section_symbols_are_not_found() {
    let mut spec = Spec::new(Class::Elf64, Endian::Little);
    spec.symbols = vec![
        func("good"),
        func("undef"),
        func("local"),
        func("abs"),
        func("sect"),
    ];
    spec.symbols[1].shndx = 0;
    spec.symbols[2].bind = 0;
    spec.symbols[3].shndx = 0xfff1;
    spec.symbols[4].kind = 3; // STT_SECTION
    for (sysv, gnu) in TABLES {
        spec.sysv = sysv;
        spec.gnu = gnu;
        let (img, _) = build(&spec);
        let im = Image::parse(&img).unwrap();
        assert!(im.lookup("good", None).is_some());
        for name in ["undef", "local", "abs", "sect"] {
            assert!(im.lookup(name, None).is_none(), "{name}");
        }
        // The listing has the defined global ones: the absolute one without an offset.
        let listed: Vec<(&[u8], Option<usize>)> =
            im.symbols().map(|s| (s.name, s.offset)).collect();
        assert!(listed.iter().any(|(n, o)| *n == b"abs" && o.is_none()));
        assert!(listed.iter().any(|(n, _)| *n == b"sect"));
        assert!(!listed.iter().any(|(n, _)| *n == b"undef" || *n == b"local"));
    }
}

#[test]
fn versions_are_matched_through_verdef() {
    let mut spec = Spec::new(Class::Elf32, Endian::Little);
    spec.machine = crate::elf::EM_386;
    spec.versions = vec!["LINUX_2.6", "LINUX_2.5"];
    spec.symbols = vec![
        func("__vdso_clock_gettime64"),
        func("__kernel_vsyscall"),
        func("hidden"),
        func("plain"),
    ];
    spec.symbols[1].versym = 3;
    spec.symbols[2].versym = 0x8002; // hidden bit: still LINUX_2.6
    spec.symbols[3].versym = 1; // VER_NDX_GLOBAL: unversioned in a versioned image
    for (sysv, gnu) in TABLES {
        spec.sysv = sysv;
        spec.gnu = gnu;
        let (img, _) = build(&spec);
        let im = Image::parse(&img).unwrap();
        assert!(
            im.lookup("__vdso_clock_gettime64", Some("LINUX_2.6"))
                .is_some()
        );
        assert!(
            im.lookup("__vdso_clock_gettime64", Some("LINUX_2.5"))
                .is_none()
        );
        assert!(im.lookup("__kernel_vsyscall", Some("LINUX_2.5")).is_some());
        assert!(im.lookup("__kernel_vsyscall", Some("LINUX_2.6")).is_none());
        assert_eq!(
            im.lookup("hidden", Some("LINUX_2.6")).unwrap().version,
            Some(&b"LINUX_2.6"[..])
        );
        assert!(im.lookup("plain", Some("LINUX_2.6")).is_none());
        assert!(im.lookup("plain", None).is_some());
    }
}

#[test]
fn parse_native_checks_class_order_and_machine() {
    let mut spec = Spec::new(Class::NATIVE, Endian::NATIVE);
    spec.machine = NATIVE_MACHINE;
    if NATIVE_MACHINE == EM_S390 {
        spec.gnu = false;
    }
    let (img, _) = build(&spec);
    let im = Image::parse_native(&img).unwrap();
    assert_eq!(im.machine(), NATIVE_MACHINE);
    assert_eq!(mapped_len(&img), Ok(img.len()));

    spec.machine = if NATIVE_MACHINE == EM_PPC64 {
        EM_S390
    } else {
        EM_PPC64
    };
    spec.gnu = true;
    let (img, _) = build(&spec);
    assert_eq!(
        Image::parse_native(&img).err(),
        Some(ParseError::ForeignMachine)
    );
    assert_eq!(mapped_len(&img), Err(ParseError::ForeignMachine));
    assert!(Image::parse(&img).is_ok());

    let other = if Class::NATIVE == Class::Elf64 {
        Class::Elf32
    } else {
        Class::Elf64
    };
    let mut spec = Spec::new(other, Endian::NATIVE);
    spec.machine = NATIVE_MACHINE;
    let (img, _) = build(&spec);
    assert_eq!(
        Image::parse_native(&img).err(),
        Some(ParseError::ForeignMachine)
    );
}

#[test]
fn malformed_headers_give_their_error() {
    let spec = Spec::new(Class::Elf64, Endian::Little);
    let (img, layout) = build(&spec);
    assert_eq!(Image::parse(&[]).err(), Some(ParseError::Truncated));
    assert_eq!(Image::parse(&img[..40]).err(), Some(ParseError::Truncated));
    let mut bad = img.clone();
    bad[1] = b'X';
    assert_eq!(Image::parse(&bad).err(), Some(ParseError::NotElf));
    let mut bad = img.clone();
    bad[4] = 3;
    assert_eq!(Image::parse(&bad).err(), Some(ParseError::NotElf));
    let mut bad = img.clone();
    bad[16] = 2; // ET_EXEC
    assert_eq!(Image::parse(&bad).err(), Some(ParseError::NotSharedObject));
    let mut bad = img.clone();
    bad[54] = 57; // e_phentsize
    assert_eq!(Image::parse(&bad).err(), Some(ParseError::BadProgramHeader));
    let mut bad = img.clone();
    bad[56] = 200; // e_phnum: table past the end
    assert_eq!(Image::parse(&bad).err(), Some(ParseError::Truncated));
    let mut bad = img.clone();
    bad[64] = 9; // PT_LOAD -> something else
    assert_eq!(Image::parse(&bad).err(), Some(ParseError::NoLoadSegment));
    let mut bad = img.clone();
    bad[64 + 56] = 9; // PT_DYNAMIC -> something else
    assert_eq!(Image::parse(&bad).err(), Some(ParseError::NoDynamic));
    // No hash table: turn DT_HASH and DT_GNU_HASH into unknown tags.
    let mut bad = img.clone();
    for i in 0..2 {
        bad[layout.dynamic + 16 * i] = 0x70;
    }
    assert_eq!(Image::parse(&bad).err(), Some(ParseError::NoHashTable));
}

#[test]
fn a_cyclic_hash_chain_ends() {
    let mut spec = Spec::new(Class::Elf64, Endian::Little);
    spec.gnu = false;
    let (mut img, _) = build(&spec);
    // .hash is the first table after the program headers (offset 64 + 2 * 56 = 176): make every
    // chain entry point to itself.
    let hash = 176;
    let nb = u32::from_le_bytes(img[hash..hash + 4].try_into().unwrap()) as usize;
    let nc = u32::from_le_bytes(img[hash + 4..hash + 8].try_into().unwrap()) as usize;
    for i in 0..nc {
        let o = hash + 8 + 4 * nb + 4 * i;
        img[o..o + 4].copy_from_slice(&(i as u32).to_le_bytes());
    }
    let im = Image::parse(&img).unwrap();
    assert!(im.lookup("__vdso_nothing_here", None).is_none());
    exercise(&im);
}

#[test]
fn truncated_images_are_rejected_or_parsed_without_panic() {
    // Every cut inside the tables (every fifth under Miri), a few in the padding and the text.
    let specs = all_specs();
    let (every, step) = [(19, 5), (3, 1), (1, 1)][SWEEP];
    for spec in specs.iter().step_by(every) {
        let (img, layout) = build(spec);
        let cuts = (0..layout.tables_end)
            .step_by(step)
            .chain((layout.tables_end..=img.len()).step_by(97));
        for n in cuts {
            let cut = &img[..n];
            if let Ok(im) = Image::parse(cut) {
                assert!(im.bytes().len() == n);
                exercise(&im);
            }
            let _ = mapped_len(cut);
        }
    }
}

#[test]
fn corrupted_images_are_rejected_or_parsed_without_panic() {
    let values: &[&[u8]] = &[
        &[0x00],
        &[0xff],
        &[0x80],
        &[0xff, 0xff, 0xff, 0xff],
        &[0x00, 0x00, 0x00, 0x80],
        &[0xf0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
        &[0x01, 0x00, 0x00, 0x00],
        &[0x10, 0x08, 0x00, 0x00],
    ];
    let specs = all_specs();
    let (every, step, values) = [(29, 11, &values[3..7]), (9, 1, values), (3, 1, values)][SWEEP];
    for spec in specs.iter().step_by(every) {
        let (img, layout) = build(spec);
        // Corrupt every table byte (the padding and the text are never interpreted).
        for pos in (0..layout.tables_end).step_by(step) {
            for v in values {
                let mut bad = img.clone();
                let end = (pos + v.len()).min(bad.len());
                bad[pos..end].copy_from_slice(&v[..end - pos]);
                if let Ok(im) = Image::parse(&bad) {
                    exercise(&im);
                }
                let _ = mapped_len(&bad);
            }
        }
    }
}

/// Writes the crafted images as seeds for the `vdso_parse` fuzz target when
/// `SYS_VDSO_WRITE_SEEDS=<dir>` is set: `cargo test -p sys-vdso --lib write_fuzz_seeds --
/// --ignored` with `SYS_VDSO_WRITE_SEEDS=fuzz/corpus/vdso_parse`.
#[test]
#[ignore = "writes files; run by hand to refresh the fuzz corpus"]
fn write_fuzz_seeds() {
    let Some(dir) = std::env::var_os("SYS_VDSO_WRITE_SEEDS") else {
        return;
    };
    let dir = std::path::PathBuf::from(dir);
    let write = |name: &str, spec: &Spec| {
        let (img, _) = build(spec);
        std::fs::write(dir.join(name), img).unwrap();
    };
    let mut x86_64 = Spec::new(Class::Elf64, Endian::Little);
    write("elf64-le-both-versioned.bin", &x86_64);
    x86_64.sysv = false;
    write("elf64-le-gnu-only.bin", &x86_64);
    x86_64.sysv = true;
    x86_64.gnu = false;
    x86_64.versions.clear();
    write("elf64-le-sysv-only-unversioned.bin", &x86_64);
    let mut i386 = Spec::new(Class::Elf32, Endian::Little);
    i386.machine = crate::elf::EM_386;
    i386.versions = vec!["LINUX_2.6", "LINUX_2.5"];
    i386.symbols[1].versym = 3;
    i386.symbols[2].versym = 0x8002;
    write("elf32-le-i386-two-versions.bin", &i386);
    let mut s390x = Spec::new(Class::Elf64, Endian::Big);
    s390x.machine = EM_S390;
    s390x.gnu = false;
    write("elf64-be-s390x-hash64.bin", &s390x);
    let mut ppc = Spec::new(Class::Elf64, Endian::Little);
    ppc.machine = EM_PPC64;
    ppc.vaddr = 0x10_0000;
    for s in &mut ppc.symbols {
        s.kind = 0;
    }
    write("elf64-le-ppc64-notype-biased.bin", &ppc);
    let mut be32 = Spec::new(Class::Elf32, Endian::Big);
    be32.gnu = false;
    write("elf32-be-sysv.bin", &be32);
}
