//! The properties the `auxv_parse` fuzz target checks for one input, shared with the
//! deterministic corpus replay (`sys-auxv/tests/fuzz_corpus.rs`): parsing never panics, and a
//! vector that parses is consistent (lookups agree with the listed entries, getters accept
//! only plausible values, and it survives a round trip through bytes).

use sys_auxv::{Auxv, CAPACITY, Error, Key};

const W: usize = size_of::<usize>();

/// Parses `data` and checks the result; panics (a fuzzer finding) on a violated property.
pub fn check(data: &[u8]) {
    let auxv = match Auxv::parse(data) {
        Ok(a) => a,
        Err(Error::Truncated) => {
            assert!(
                !data.len().is_multiple_of(2 * W),
                "Truncated for a whole number of pairs"
            );
            return;
        }
        Err(Error::Unterminated) => {
            assert!(
                data.len().is_multiple_of(2 * W),
                "Unterminated with a partial pair"
            );
            return;
        }
        Err(Error::TooLong) => {
            assert!(
                data.len() >= (CAPACITY + 1) * 2 * W,
                "TooLong for a short input"
            );
            return;
        }
        Err(e) => panic!("parse of bytes failed with {e:?}"),
    };
    assert!(auxv.len() <= CAPACITY);

    // Every lookup is the value of the key's entries if they agree, None otherwise.
    for (key, _) in &auxv {
        let values = auxv.iter().filter(|&(k, _)| k == key).map(|(_, v)| v);
        let first = auxv.iter().find(|&(k, _)| k == key).map(|(_, v)| v);
        let agree = values.clone().all(|v| Some(v) == first);
        let want = if key.is_padding() || !agree {
            None
        } else {
            first
        };
        assert_eq!(auxv.get(key), want, "{key}");
        let _ = (key.name(), key.format(), key.to_string());
    }

    // Typed getters: only plausible values.
    if let Some(p) = auxv.page_size() {
        assert!(p.is_power_of_two() && p >= 4096);
    }
    if let Some(n) = auxv.phnum() {
        assert!((1..=0xffff).contains(&n));
    }
    if let Some(p) = auxv.phdr() {
        assert!(p.as_ptr().addr().is_multiple_of(W));
    }
    if let Some(p) = auxv.sysinfo_ehdr_ptr() {
        assert!(p.as_ptr().addr().is_multiple_of(4096));
    }
    if let Some(p) = auxv.random_ptr() {
        assert!(p.as_ptr().addr().checked_add(16).is_some());
    }
    let _ = (
        auxv.clock_ticks(),
        auxv.hwcap(),
        auxv.hwcap2(),
        auxv.hwcap3(),
        auxv.hwcap4(),
    );
    let _ = (
        auxv.secure(),
        auxv.entry(),
        auxv.phent(),
        auxv.interpreter_base(),
    );
    let _ = (
        auxv.uid(),
        auxv.euid(),
        auxv.gid(),
        auxv.egid(),
        auxv.minsigstksz(),
    );
    let _ = (
        auxv.execfn_ptr(),
        auxv.platform_ptr(),
        auxv.base_platform_ptr(),
        auxv.sysinfo(),
    );
    for &key in Key::ALL {
        let _ = auxv.get(key);
    }

    // Round trip: the entries and an AT_NULL, as bytes, parse to the same vector.
    let mut bytes = Vec::with_capacity((auxv.len() + 1) * 2 * W);
    for &(k, v) in auxv.as_pairs().iter().chain(&[(0, 0)]) {
        bytes.extend_from_slice(&k.to_ne_bytes());
        bytes.extend_from_slice(&v.to_ne_bytes());
    }
    assert_eq!(Auxv::parse(&bytes).as_ref(), Ok(&auxv));
    let words: Vec<usize> = auxv
        .as_pairs()
        .iter()
        .flat_map(|&(k, v)| [k, v])
        .chain([0, 0])
        .collect();
    assert_eq!(Auxv::from_words(&words).as_ref(), Ok(&auxv));
}
