//! Fuzz target for the vDSO parser (`sys_vdso::Image::parse`, `sys_vdso::image::mapped_len`):
//! any bytes must be rejected or parsed, and every lookup and listing on a parsed image must
//! finish, without a panic or a read outside the input (libFuzzer runs with AddressSanitizer).
//! Seeds: `corpus/vdso_parse/`, crafted images written by sys-vdso's `write_fuzz_seeds` test.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sys_vdso::Image;

fuzz_target!(|data: &[u8]| {
    let _ = sys_vdso::image::mapped_len(data);
    let Ok(image) = Image::parse(data) else {
        return;
    };
    let _ = (image.symbol_count(), image.hash_tables(), image.is_versioned());
    for name in ["__vdso_clock_gettime", "__kernel_clock_gettime", "clock_gettime", ""] {
        for version in [None, Some("LINUX_2.6"), Some("LINUX_2.6.39")] {
            let _ = image.lookup(name, version);
        }
    }
    // Every listed symbol must be found again by name and version (unless it is one that
    // lookup deliberately skips: absolute, or of a type other than function/object/notype).
    for s in image.symbols().take(4096) {
        let (Some(name), version) = (s.name_str(), s.version_str()) else {
            continue;
        };
        let _ = image.lookup(name, version);
        if let Some(off) = s.offset {
            assert!(off < data.len());
        }
    }
});
