//! The invariants the `vdso_parse` fuzz target checks, shared with the corpus replay test
//! (`sys-vdso/tests/fuzz_corpus.rs`): any bytes are rejected or parsed by
//! `sys_vdso::Image::parse` and `sys_vdso::image::mapped_len` without a panic; on a parsed image
//! every lookup and the listing finish, every listed symbol's offset is inside the input, and a
//! listed function found again by name and version has the same offset. Reads outside the input
//! would be caught by AddressSanitizer (libFuzzer) or Miri, and cannot happen without `unsafe`,
//! of which the parser has none.

use sys_vdso::{Image, SymbolKind};

/// Checks one input; panics on a broken invariant.
pub fn check(data: &[u8]) {
    let _ = sys_vdso::image::mapped_len(data);
    let Ok(image) = Image::parse(data) else {
        return;
    };
    assert_eq!(image.bytes().len(), data.len());
    let _ = (
        image.symbol_count(),
        image.hash_tables(),
        image.is_versioned(),
    );
    for name in [
        "__vdso_clock_gettime",
        "__kernel_clock_gettime",
        "clock_gettime",
        "",
    ] {
        for version in [None, Some("LINUX_2.6"), Some("LINUX_2.6.39")] {
            if let Some(s) = image.lookup(name, version) {
                assert_eq!(s.name, name.as_bytes());
                assert!(s.offset.is_some_and(|o| o < data.len()));
            }
        }
    }
    for s in image.symbols().take(4096) {
        if let Some(off) = s.offset {
            assert!(off < data.len());
        }
        let (Some(name), Some(off)) = (s.name_str(), s.offset) else {
            continue;
        };
        if !matches!(
            s.kind,
            SymbolKind::Function | SymbolKind::NoType | SymbolKind::Object
        ) {
            continue;
        }
        // The hash tables may not lead to this entry (a corrupt chain, or a duplicate name
        // earlier in the chain): then lookup may find nothing or another entry of that name.
        if let Some(found) = image.lookup(name, s.version_str())
            && found.index == s.index
        {
            assert_eq!(found.offset, Some(off));
        }
    }
}
