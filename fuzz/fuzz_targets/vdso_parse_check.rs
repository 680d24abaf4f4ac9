//! The invariants the `vdso_parse` fuzz target checks, shared with the corpus replay test
//! (`sys-vdso/tests/fuzz_corpus.rs`): any bytes are rejected or parsed by
//! `sys_vdso::Image::parse` and `sys_vdso::image::mapped_len` without a panic; on a parsed image
//! every lookup and the listing finish, every listed symbol's offset is inside the input, and a
//! listed function found again by name and version has the same offset; and where the input has
//! this machine's class and byte order, the compile-time `NativeLayout` reading (what the live
//! vDSO uses) gives exactly what the run-time `AnyLayout` reading gives. Reads outside the input
//! would be caught by AddressSanitizer (libFuzzer) or Miri, and cannot happen without `unsafe`,
//! of which the parser has none.

use sys_vdso::{Image, NativeLayout, SymbolKind};

/// The names every lookup check tries.
const NAMES: [&str; 4] = [
    "__vdso_clock_gettime",
    "__kernel_clock_gettime",
    "clock_gettime",
    "",
];
const VERSIONS: [Option<&str>; 3] = [None, Some("LINUX_2.6"), Some("LINUX_2.6.39")];

/// The native reading of an image agrees with the run-time one in every respect.
fn same_reading(any: &Image<'_>, native: &Image<'_, NativeLayout>) {
    assert_eq!(native.symbol_count(), any.symbol_count());
    assert_eq!(native.hash_tables(), any.hash_tables());
    assert_eq!(native.is_versioned(), any.is_versioned());
    assert!(native.symbols().take(4096).eq(any.symbols().take(4096)));
    for name in NAMES {
        for version in VERSIONS {
            assert_eq!(native.lookup(name, version), any.lookup(name, version));
        }
    }
    for s in any.symbols().take(64) {
        if let Some(name) = s.name_str() {
            assert_eq!(
                native.lookup(name, s.version_str()),
                any.lookup(name, s.version_str())
            );
        }
    }
}

/// Checks one input; panics on a broken invariant.
pub fn check(data: &[u8]) {
    let _ = sys_vdso::image::mapped_len(data);
    let native = Image::parse_native(data);
    let Ok(image) = Image::parse(data) else {
        assert!(native.is_err(), "only the native reading parses");
        return;
    };
    if let Ok(native) = native {
        same_reading(&image, &native);
    }
    assert_eq!(image.bytes().len(), data.len());
    let _ = (
        image.symbol_count(),
        image.hash_tables(),
        image.is_versioned(),
    );
    for name in NAMES {
        for version in VERSIONS {
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
