//! Unit tests of the parser and the validation (no system calls, so they all run under Miri:
//! `cargo +nightly miri test -p sys-auxv --lib`).

extern crate std;

use std::vec::Vec;

use crate::source::stack;
use crate::{Auxv, CAPACITY, Error, Key};

const W: usize = size_of::<usize>();

/// A vector as a kernel on this target would pass it (values made up, layout real).
fn typical() -> Vec<usize> {
    let phent = crate::valid::PHDR_SIZE;
    std::vec![
        33,
        0x7fff_0000_usize & !0xfff, // AT_SYSINFO_EHDR
        51,
        3376, // AT_MINSIGSTKSZ
        16,
        0x178b_fbff, // AT_HWCAP
        6,
        4096, // AT_PAGESZ
        17,
        100, // AT_CLKTCK
        3,
        0x5555_0040, // AT_PHDR
        4,
        phent, // AT_PHENT
        5,
        13, // AT_PHNUM
        7,
        0x7f00_0000, // AT_BASE
        8,
        0, // AT_FLAGS
        9,
        0x5555_1000, // AT_ENTRY
        11,
        1000,
        12,
        1000,
        13,
        100,
        14,
        100, // ids
        23,
        0, // AT_SECURE
        25,
        0x7ffe_0009, // AT_RANDOM (unaligned is fine)
        26,
        2, // AT_HWCAP2
        31,
        0x7ffe_0ff0, // AT_EXECFN
        15,
        0x7ffe_0019, // AT_PLATFORM
        27,
        28,
        28,
        32, // AT_RSEQ_*
        0,
        0,
    ]
}

fn bytes(words: &[usize]) -> Vec<u8> {
    words.iter().flat_map(|w| w.to_ne_bytes()).collect()
}

#[test]
fn parses_a_typical_vector_in_order() {
    let words = typical();
    let a = Auxv::from_words(&words).unwrap();
    assert_eq!(a.len(), (words.len() - 2) / 2);
    assert_eq!(a.page_size(), Some(4096));
    assert_eq!(a.clock_ticks(), Some(100));
    assert_eq!(a.hwcap(), Some(0x178b_fbff));
    assert_eq!(a.hwcap2(), Some(2));
    assert_eq!(a.hwcap3(), None);
    assert_eq!(a.phent(), Some(crate::valid::PHDR_SIZE));
    assert_eq!(a.phnum(), Some(13));
    assert_eq!(a.entry(), Some(0x5555_1000));
    assert_eq!(a.uid(), Some(1000));
    assert_eq!(a.egid(), Some(100));
    assert_eq!(a.secure(), Some(false));
    assert_eq!(a.minsigstksz(), Some(3376));
    assert_eq!(a.get(Key::RSEQ_ALIGN), Some(32));
    assert!(a.sysinfo_ehdr_ptr().is_some());
    assert!(a.random_ptr().is_some());
    assert!(a.execfn_ptr().is_some());
    let keys: Vec<usize> = a.iter().map(|(k, _)| k.raw()).collect();
    let expect: Vec<usize> = words
        .chunks(2)
        .map(|p| p[0])
        .take_while(|&k| k != 0)
        .collect();
    assert_eq!(keys, expect);
    assert_eq!(Auxv::parse(&bytes(&words)).unwrap(), a);
    assert_eq!(a.clone().into_iter().len(), a.len());
}

#[test]
fn absent_is_distinct_from_zero() {
    let a = Auxv::from_words(&typical()).unwrap();
    assert_eq!(a.get(Key::FLAGS), Some(0));
    assert_eq!(a.get(Key::SECURE), Some(0));
    assert_eq!(a.get(Key::EXECFD), None);
    assert_eq!(a.get(Key::NULL), None);
    assert_eq!(a.get(Key::new(usize::MAX)), None);
}

#[test]
fn truncated_input_is_an_error() {
    let b = bytes(&typical());
    for cut in [
        1,
        W,
        W + 3,
        2 * W,
        2 * W + 1,
        b.len() - 2 * W,
        b.len() - W,
        b.len() - 1,
    ] {
        let want = if cut % (2 * W) == 0 {
            Error::Unterminated
        } else {
            Error::Truncated
        };
        assert_eq!(Auxv::parse(&b[..cut]).unwrap_err(), want, "cut at {cut}");
    }
    let w = typical();
    assert_eq!(
        Auxv::from_words(&w[..w.len() - 1]).unwrap_err(),
        Error::Truncated
    );
}

#[test]
fn a_vector_needs_its_terminator() {
    assert_eq!(Auxv::parse(&[]).unwrap_err(), Error::Unterminated);
    let w = typical();
    assert_eq!(
        Auxv::from_words(&w[..w.len() - 2]).unwrap_err(),
        Error::Unterminated
    );
    assert_eq!(
        Auxv::from_pairs([(6, 4096)]).unwrap_err(),
        Error::Unterminated
    );
    // Only the terminator: valid and empty.
    let a = Auxv::from_words(&[0, 0]).unwrap();
    assert!(a.is_empty());
    assert_eq!(a.page_size(), None);
}

#[test]
fn anything_after_at_null_is_ignored() {
    // prctl(PR_GET_AUXV) pads with zeros; garbage after AT_NULL does not matter either,
    // nor does an odd tail.
    let mut w = typical();
    w.extend_from_slice(&[6, 8192, 0, 0, 99]);
    let a = Auxv::from_words(&w).unwrap();
    assert_eq!(a.page_size(), Some(4096));
    let mut b = bytes(&w);
    b.push(7);
    assert_eq!(Auxv::parse(&b).unwrap(), a);
}

#[test]
fn a_key_with_one_value_twice_is_fine() {
    let a = Auxv::from_words(&[6, 4096, 6, 4096, 0, 0]).unwrap();
    assert_eq!(a.page_size(), Some(4096));
    assert_eq!(a.len(), 2);
}

#[test]
fn a_key_with_conflicting_values_is_none() {
    let a = Auxv::from_words(&[6, 4096, 17, 100, 6, 65536, 6, 4096, 0, 0]).unwrap();
    assert_eq!(a.get(Key::PAGESZ), None);
    assert_eq!(a.page_size(), None);
    assert_eq!(a.clock_ticks(), Some(100));
    // Every entry is still listed.
    assert_eq!(a.iter().filter(|&(k, _)| k == Key::PAGESZ).count(), 3);
    // The same for keys beyond the index.
    let a = Auxv::from_words(&[1000, 1, 1000, 1, 2000, 5, 2000, 6, 0, 0]).unwrap();
    assert_eq!(a.get(Key::new(1000)), Some(1));
    assert_eq!(a.get(Key::new(2000)), None);
}

#[test]
fn padding_keys_never_answer_but_are_listed() {
    // valgrind turns what it hides into AT_IGNORE with the old values; powerpc repeats
    // AT_IGNOREPPC.
    let a = Auxv::from_words(&[1, 0x7fff_0000, 1, 3376, 22, 22, 22, 22, 6, 4096, 0, 0]).unwrap();
    assert_eq!(a.get(Key::IGNORE), None);
    assert_eq!(a.get(Key::IGNOREPPC), None);
    assert_eq!(a.len(), 5);
    assert_eq!(a.page_size(), Some(4096));
}

#[test]
fn unknown_keys_are_kept() {
    let a = Auxv::from_words(&[38, 5, 63, 6, 64, 7, usize::MAX, 8, 0, 0]).unwrap();
    assert_eq!(a.get(Key::new(38)), Some(5));
    assert_eq!(a.get(Key::new(63)), Some(6));
    assert_eq!(a.get(Key::new(64)), Some(7));
    assert_eq!(a.get(Key::new(usize::MAX)), Some(8));
    assert_eq!(a.get(Key::new(65)), None);
}

#[test]
fn capacity_entries_fit_and_one_more_does_not() {
    let mut w: Vec<usize> = (0..CAPACITY).flat_map(|i| [100 + i, i]).collect();
    w.extend_from_slice(&[0, 0]);
    let a = Auxv::from_words(&w).unwrap();
    assert_eq!(a.len(), CAPACITY);
    assert_eq!(a.get(Key::new(100 + CAPACITY - 1)), Some(CAPACITY - 1));
    let mut w: Vec<usize> = (0..=CAPACITY).flat_map(|i| [100 + i, i]).collect();
    w.extend_from_slice(&[0, 0]);
    assert_eq!(Auxv::from_words(&w).unwrap_err(), Error::TooLong);
}

#[test]
fn huge_input_stops_at_capacity() {
    // 64 KiB of non-zero pairs (Miri: kept small enough to stay quick).
    let b = std::vec![0x5au8; 64 * 1024];
    assert_eq!(Auxv::parse(&b).unwrap_err(), Error::TooLong);
    // A huge input with AT_NULL early parses and ignores the rest.
    let mut b = bytes(&[6, 4096, 0, 0]);
    b.resize(64 * 1024, 0xff);
    assert_eq!(Auxv::parse(&b).unwrap().page_size(), Some(4096));
}

#[test]
fn misaligned_bytes_parse_the_same() {
    let b = bytes(&typical());
    let want = Auxv::parse(&b).unwrap();
    for offset in 1..W {
        let mut shifted = std::vec![0u8; offset];
        shifted.extend_from_slice(&b);
        assert_eq!(Auxv::parse(&shifted[offset..]).unwrap(), want);
    }
}

#[test]
fn absurd_values_are_rejected_by_the_typed_getters() {
    let cases: &[(Key, usize)] = &[
        (Key::PAGESZ, 0),
        (Key::PAGESZ, 3),
        (Key::PAGESZ, 4096 + 1),
        (Key::PAGESZ, 512),
        (Key::PAGESZ, 1 << 29),
        (Key::PAGESZ, usize::MAX),
        (Key::CLKTCK, 0),
        (Key::PHENT, 7),
        (Key::PHNUM, 0),
        (Key::PHNUM, 0x1_0000),
        (Key::PHDR, 0),
        (Key::PHDR, 0x1001),
        (Key::ENTRY, 0),
        (Key::BASE, 0x1234),
        (Key::SYSINFO_EHDR, 0),
        (Key::SYSINFO_EHDR, 0x7fff_0010),
        (Key::RANDOM, 0),
        (Key::RANDOM, usize::MAX - 3),
        (Key::EXECFN, 0),
        (Key::PLATFORM, 0),
        (Key::BASE_PLATFORM, 0),
        (Key::MINSIGSTKSZ, 0),
        (Key::MINSIGSTKSZ, usize::MAX),
        (Key::SYSINFO, 0),
    ];
    for &(key, value) in cases {
        let a = Auxv::from_pairs([(key.raw(), value), (0, 0)]).unwrap();
        assert_eq!(a.get(key), Some(value), "{key:?} stays visible raw");
        let typed = match key {
            Key::PAGESZ => a.page_size().is_some(),
            Key::CLKTCK => a.clock_ticks().is_some(),
            Key::PHENT => a.phent().is_some(),
            Key::PHNUM => a.phnum().is_some(),
            Key::PHDR => a.phdr().is_some(),
            Key::ENTRY => a.entry().is_some(),
            Key::BASE => a.interpreter_base().is_some(),
            Key::SYSINFO_EHDR => a.sysinfo_ehdr_ptr().is_some(),
            Key::RANDOM => a.random_ptr().is_some(),
            Key::EXECFN => a.execfn_ptr().is_some(),
            Key::PLATFORM => a.platform_ptr().is_some(),
            Key::BASE_PLATFORM => a.base_platform_ptr().is_some(),
            Key::MINSIGSTKSZ => a.minsigstksz().is_some(),
            Key::SYSINFO => a.sysinfo().is_some(),
            _ => unreachable!(),
        };
        assert!(!typed, "{key:?} = {value:#x} accepted");
    }
}

#[cfg(target_pointer_width = "64")]
#[test]
fn ids_beyond_u32_are_rejected() {
    let a = Auxv::from_words(&[11, 1 << 32, 12, 5, 0, 0]).unwrap();
    assert_eq!(a.uid(), None);
    assert_eq!(a.euid(), Some(5));
}

#[test]
fn secure_mode_from_at_secure_or_the_ids() {
    let ids = |u: usize, eu: usize| std::vec![11, u, 12, eu, 13, 7, 14, 7];
    let with = |mut v: Vec<usize>, tail: &[usize]| {
        v.extend_from_slice(tail);
        v.extend_from_slice(&[0, 0]);
        Auxv::from_words(&v).unwrap().secure()
    };
    assert_eq!(with(ids(1, 1), &[23, 0]), Some(false));
    assert_eq!(with(ids(1, 1), &[23, 1]), Some(true));
    assert_eq!(with(ids(1, 0), &[23, 0]), Some(true));
    assert_eq!(with(ids(1, 0), &[]), Some(true));
    assert_eq!(with(ids(1, 1), &[]), Some(false));
    assert_eq!(
        Auxv::from_words(&[23, 0, 0, 0]).unwrap().secure(),
        Some(false)
    );
    assert_eq!(Auxv::from_words(&[0, 0]).unwrap().secure(), None);
}

#[test]
fn from_ptr_reads_nothing_past_at_null() {
    // Miri checks that no word beyond the buffer is read.
    let w = typical();
    // SAFETY: `w` is readable up to its AT_NULL pair, which is its end.
    let a = unsafe { Auxv::from_ptr(w.as_ptr()) }.unwrap();
    assert_eq!(a, Auxv::from_words(&w).unwrap());
}

#[test]
fn from_ptr_stops_after_capacity_plus_one_pairs() {
    let w: Vec<usize> = (0..=CAPACITY).flat_map(|i| [100 + i, i]).collect();
    assert_eq!(w.len(), 2 * (CAPACITY + 1));
    // SAFETY: `w` holds CAPACITY + 1 readable pairs (no AT_NULL): the documented bound.
    let r = unsafe { Auxv::from_ptr(w.as_ptr()) };
    assert_eq!(r.unwrap_err(), Error::TooLong);
}

/// A synthetic initial stack: argc, argv, NULL, envp, NULL, auxv.
fn synthetic_stack(args: &[&core::ffi::CStr], env: &[&core::ffi::CStr]) -> Vec<usize> {
    let mut s = std::vec![args.len()];
    s.extend(args.iter().map(|a| a.as_ptr().expose_provenance()));
    s.push(0);
    s.extend(env.iter().map(|e| e.as_ptr().expose_provenance()));
    s.push(0);
    s.extend_from_slice(&typical());
    s
}

#[test]
fn the_stack_source_walks_argv_and_envp() {
    let s = synthetic_stack(&[c"prog", c"-x"], &[c"A=1", c"B=2", c"C=3"]);
    // SAFETY: `s` has the kernel's layout and is readable to its end.
    let a = unsafe { stack::read(s.as_ptr()) }.unwrap();
    assert_eq!(a, Auxv::from_words(&typical()).unwrap());
    // SAFETY: as above.
    let layout = unsafe { stack::locate(s.as_ptr()) }.unwrap();
    assert_eq!(layout.argc, 2);
    assert_eq!(layout.envp.addr(), s.as_ptr().addr() + 4 * W);
    // No arguments, no environment.
    let s = synthetic_stack(&[], &[]);
    // SAFETY: as above.
    let a = unsafe { stack::read(s.as_ptr()) }.unwrap();
    assert_eq!(a.page_size(), Some(4096));
    // SAFETY: null is rejected before any read.
    let r = unsafe { stack::read(core::ptr::null()) };
    assert_eq!(r.unwrap_err(), Error::BadStack);
}

#[test]
fn the_init_array_capture_refuses_a_foreign_envp() {
    use crate::source::init_array::layout;
    let s = synthetic_stack(&[c"prog"], &[c"A=1"]);
    let argv = s
        .as_ptr()
        .wrapping_add(1)
        .cast::<*const core::ffi::c_char>();
    let envp = argv.wrapping_add(2);
    // Safe to call with these: argv has argc + 1 readable entries, envp is the stack's when
    // it equals argv + argc + 1, and a null argv is rejected before any read.
    let check = |argc, argv, envp| {
        // SAFETY: see above.
        unsafe { layout(argc, argv, envp) }.map(|l| l.auxv)
    };
    assert!(check(1, argv, envp).is_ok());
    let other_env = [c"A=1".as_ptr(), core::ptr::null()];
    assert_eq!(check(1, argv, other_env.as_ptr()), Err(Error::BadStack));
    assert_eq!(check(-1, argv, envp), Err(Error::BadStack));
    assert_eq!(check(1, core::ptr::null(), envp), Err(Error::BadStack));
    // argc one too small: argv[argc] is not NULL.
    assert_eq!(check(0, argv, argv.wrapping_add(1)), Err(Error::BadStack));
}

/// Deterministic pseudo-random inputs through the parser and every getter: no panic.
#[test]
fn random_inputs_never_panic() {
    let mut x: u64 = 0x2545_f491_4f6c_dd1d;
    let rounds = if cfg!(miri) { 40 } else { 5000 };
    for _ in 0..rounds {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let len = (x % 700) as usize;
        let mut b = std::vec![0u8; len];
        let mut y = x;
        for byte in &mut b {
            y = y.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            // Small keys often, so the index and the typed getters get exercised.
            *byte = if (y >> 60) < 10 {
                (y >> 33) as u8 % 64
            } else {
                (y >> 40) as u8
            };
        }
        exercise(&b);
    }
}

/// Everything a fuzz target does with one input.
pub(crate) fn exercise(data: &[u8]) {
    if let Ok(a) = Auxv::parse(data) {
        for (k, v) in &a {
            let _ = (k.name(), a.get(k), v);
        }
        let _ = (
            a.page_size(),
            a.clock_ticks(),
            a.hwcap(),
            a.secure(),
            a.entry(),
        );
        let _ = (
            a.phdr(),
            a.phent(),
            a.phnum(),
            a.interpreter_base(),
            a.uid(),
        );
        let _ = (
            a.minsigstksz(),
            a.sysinfo_ehdr_ptr(),
            a.random_ptr(),
            a.execfn_ptr(),
        );
        let _ = (a.platform_ptr(), a.base_platform_ptr(), a.sysinfo());
    }
}
