//! The process's own vector against the oracles: libc's `getauxval` for every key, each
//! source against the others, the typed getters against `sysconf`/`getuid` and the ELF
//! headers they point at. Runs on every target of `tools/cross-test.sh` (natively or under
//! qemu-user 10, which implements `/proc/self/auxv` but not `PR_GET_AUXV`).

use std::ffi::CStr;

use sys_auxv::{Auxv, Error, Key, Source, source};

/// libc's answer for `key`, `None` for `ENOENT`.
fn libc_getauxval(key: Key) -> Option<usize> {
    // SAFETY: `__errno_location` is this thread's errno; getauxval only reads.
    unsafe {
        *libc::__errno_location() = 0;
        let v = libc::getauxval(key.raw() as libc::c_ulong);
        (*libc::__errno_location() != libc::ENOENT).then_some(v as usize)
    }
}

/// Why libc's `getauxval(key)` may differ from the vector's value `vector` (documented glibc
/// behaviour), or `None` if it must be equal.
fn libc_deviation(key: Key, vector: Option<usize>, libc: Option<usize>) -> Option<&'static str> {
    if !cfg!(target_env = "gnu") {
        return None;
    }
    if cfg!(any(target_arch = "x86_64", target_arch = "x86")) && key == Key::HWCAP {
        // sysdeps/x86/cpu-features.c (init_cpu_features) replaces GLRO(dl_hwcap) with
        // HWCAP_X86_64 (or HWCAP_X86_SSE2 | ...), and getauxval(AT_HWCAP) returns that.
        return Some("glibc's getauxval(AT_HWCAP) is its own HWCAP_X86_* value on x86");
    }
    if (key == Key::HWCAP || key == Key::HWCAP2) && vector.is_none() && libc == Some(0) {
        // misc/getauxval.c answers AT_HWCAP and AT_HWCAP2 from GLRO(dl_hwcap*) without
        // looking at the vector, so "absent" reads as 0 (s390x passes no AT_HWCAP2).
        return Some("glibc's getauxval answers AT_HWCAP/AT_HWCAP2 even when absent");
    }
    None
}

/// Whether the error means "this kernel or emulator has no PR_GET_AUXV".
fn prctl_unsupported(e: &Error) -> bool {
    matches!(e, Error::Syscall(errno) if *errno == sys_core::Errno::EINVAL || *errno == sys_core::Errno::ENOSYS)
}

#[test]
fn the_default_source_is_the_start_up_capture_or_procfs() {
    let source = sys_auxv::source();
    if cfg!(all(target_env = "gnu", feature = "init-array")) {
        assert_eq!(
            source,
            Some(Source::InitArray),
            "glibc calls .init_array with argc/argv/envp"
        );
        assert!(source::init_array::captured());
        assert!(sys_auxv::args().is_some());
    } else {
        // musl passes no arguments to .init_array functions: the fallback chain ran.
        assert!(!source::init_array::captured());
        assert_eq!(source::init_array::read().unwrap_err(), Error::Unavailable);
        let want = if cfg!(feature = "libc") {
            Source::Libc
        } else {
            Source::Procfs
        };
        assert_eq!(source, Some(want));
    }
}

#[test]
fn every_key_libc_reports_matches() {
    let proc = source::procfs::read().expect("/proc/self/auxv");
    let mut compared = 0;
    for &key in Key::ALL.iter().filter(|k| !k.is_padding()) {
        let ours = sys_auxv::get(key);
        let theirs = libc_getauxval(key);
        if let Some(why) = libc_deviation(key, proc.get(key), theirs) {
            eprintln!("{key}: libc {theirs:?}, ours {ours:?} ({why}); compared with /proc instead");
            // (Unless the process vector itself came from getauxval: then it says the same.)
            let want = if sys_auxv::source() == Some(Source::Libc) {
                theirs
            } else {
                proc.get(key)
            };
            assert_eq!(ours, want, "{key}");
            continue;
        }
        assert_eq!(ours, theirs, "{key}: ours vs getauxval");
        compared += usize::from(theirs.is_some());
    }
    // At least the keys every Linux architecture passes.
    assert!(compared >= 14, "only {compared} keys present");
}

/// `a == b` entry by entry, in order; when the process vector came from libc's
/// `getauxval` (no order, known keys only), key by key instead.
fn assert_same(ours: &Auxv, other: &Auxv, what: &str) {
    if sys_auxv::source() == Some(Source::Libc) {
        for &key in Key::ALL {
            let (a, b) = (ours.get(key), other.get(key));
            if libc_deviation(key, b, a).is_none() {
                assert_eq!(a, b, "{key}: process vector vs {what}");
            }
        }
    } else {
        assert_eq!(ours, other, "process vector vs {what}");
    }
}

#[test]
fn all_sources_agree() {
    let ours = sys_auxv::snapshot();
    assert!(ours.len() >= 10, "{ours:?}");

    let proc = source::procfs::read().expect("/proc/self/auxv");
    assert_same(&ours, &proc, "/proc/self/auxv");

    match source::prctl::read() {
        Ok(v) => assert_same(&ours, &v, "prctl(PR_GET_AUXV)"),
        Err(e) if prctl_unsupported(&e) => {
            eprintln!("prctl(PR_GET_AUXV) unsupported here ({e}); not compared");
        }
        Err(e) => panic!("prctl(PR_GET_AUXV): {e}"),
    }

    if cfg!(all(target_env = "gnu", feature = "init-array")) {
        assert_same(
            &ours,
            &source::init_array::read().unwrap(),
            "the init-array capture",
        );
    }

    // The stack source, from the captured argv: argc sits just below it on the kernel's
    // stack. glibc's arm start code (2.36) reuses that word by the time `.init_array` runs;
    // then the stack source reads a copy of the stack from argc to AT_NULL instead.
    if let Some((argc, argv)) = sys_auxv::args() {
        let sp = argv.cast::<usize>().wrapping_sub(1);
        // SAFETY: the word before argv is on the initial stack (argc's slot).
        let slot = unsafe { sp.read() };
        let copy;
        let sp = if slot == argc {
            sp
        } else {
            eprintln!("argv[-1] is not argc here: parsing a copy of the initial stack");
            copy = stack_copy(argc, argv);
            copy.as_ptr()
        };
        // SAFETY: `sp` is the initial stack pointer, or a copy of that stack.
        let stack = unsafe { source::stack::read(sp) }.unwrap();
        assert_same(&ours, &stack, "the initial stack");
    }

    #[cfg(feature = "libc")]
    {
        let from_libc = source::libc::read().unwrap();
        for &key in Key::ALL.iter().filter(|k| !k.is_padding()) {
            let (a, b) = (from_libc.get(key), proc.get(key));
            if libc_deviation(key, b, a).is_none() {
                assert_eq!(a, b, "{key}: libc source vs /proc");
            }
        }
    }
}

/// argc and the initial stack from `argv` through the vector's `AT_NULL` pair, copied.
fn stack_copy(argc: usize, argv: *const *const std::ffi::c_char) -> Vec<usize> {
    let mut words = vec![argc];
    let mut p = argv.cast::<usize>();
    let mut nulls = 0;
    // argv's NULL, envp's NULL, then pairs up to a zero key.
    while nulls < 2 {
        // SAFETY: argv and envp are NULL-terminated arrays on the initial stack.
        let w = unsafe { p.read() };
        words.push(w);
        nulls += usize::from(w == 0);
        p = p.wrapping_add(1);
    }
    loop {
        // SAFETY: the vector follows envp's NULL and ends with an AT_NULL pair.
        let (k, v) = unsafe { (p.read(), p.add(1).read()) };
        words.extend([k, v]);
        if k == 0 {
            return words;
        }
        p = p.wrapping_add(2);
    }
}

#[test]
fn typed_getters_match_the_system() {
    // SAFETY: sysconf and the id getters have no preconditions.
    let (page, ticks, uid, euid, gid, egid) = unsafe {
        (
            libc::sysconf(libc::_SC_PAGESIZE),
            libc::sysconf(libc::_SC_CLK_TCK),
            libc::getuid(),
            libc::geteuid(),
            libc::getgid(),
            libc::getegid(),
        )
    };
    assert_eq!(sys_auxv::page_size(), Some(page as usize));
    assert_eq!(sys_auxv::get(Key::PAGESZ), Some(page as usize));
    assert_eq!(sys_auxv::clock_ticks(), Some(ticks as usize));
    assert_eq!(sys_auxv::uid(), Some(uid));
    assert_eq!(sys_auxv::euid(), Some(euid));
    assert_eq!(sys_auxv::gid(), Some(gid));
    assert_eq!(sys_auxv::egid(), Some(egid));
    assert!(!sys_auxv::is_secure());
    assert_eq!(sys_auxv::hwcap(), sys_auxv::get(Key::HWCAP));
    assert_eq!(sys_auxv::hwcap2(), sys_auxv::get(Key::HWCAP2));
    assert_eq!(sys_auxv::hwcap3(), sys_auxv::get(Key::HWCAP3));
    assert_eq!(sys_auxv::hwcap4(), sys_auxv::get(Key::HWCAP4));
    assert_eq!(sys_auxv::entry(), sys_auxv::get(Key::ENTRY));
    assert_eq!(sys_auxv::minsigstksz(), sys_auxv::get(Key::MINSIGSTKSZ));
    assert_eq!(sys_auxv::sysinfo(), sys_auxv::get(Key::SYSINFO));
    if cfg!(target_arch = "x86") {
        assert!(sys_auxv::sysinfo().is_some(), "i386 passes AT_SYSINFO");
    }

    let random = sys_auxv::random_bytes().expect("AT_RANDOM");
    assert_eq!(random.as_ptr().addr(), sys_auxv::get(Key::RANDOM).unwrap());
    assert_ne!(random, &[0; 16]);

    let execfn = sys_auxv::execfn().expect("AT_EXECFN");
    assert_eq!(execfn.as_ptr().addr(), sys_auxv::get(Key::EXECFN).unwrap());
    let path = std::path::Path::new(std::ffi::OsStr::from_encoded_bytes_checked(execfn));
    assert!(path.exists(), "AT_EXECFN {path:?} names the test binary");

    if let Some(platform) = sys_auxv::platform() {
        assert!(!platform.is_empty());
    }
    assert_eq!(
        sys_auxv::base_platform().map(|s| s.as_ptr().addr()),
        sys_auxv::get(Key::BASE_PLATFORM)
    );
}

/// `OsStr::from_encoded_bytes_unchecked` for a `CStr` (Unix: any bytes are an `OsStr`).
trait FromCStr {
    fn from_encoded_bytes_checked(s: &CStr) -> &std::ffi::OsStr;
}
impl FromCStr for std::ffi::OsStr {
    fn from_encoded_bytes_checked(s: &CStr) -> &std::ffi::OsStr {
        use std::os::unix::ffi::OsStrExt;
        std::ffi::OsStr::from_bytes(s.to_bytes())
    }
}

#[test]
fn program_headers_describe_this_program() {
    let phdr = sys_auxv::phdr().expect("AT_PHDR");
    let phent = sys_auxv::phent().expect("AT_PHENT of this target's size");
    let phnum = sys_auxv::phnum().expect("AT_PHNUM");
    let entry = sys_auxv::entry().expect("AT_ENTRY");
    // p_type is the first u32 of every ElfN_Phdr; p_vaddr follows at 16 (64-bit: after
    // p_type, p_flags, p_offset) or 8 (32-bit: after p_type, p_offset).
    let (vaddr_at, memsz_at) = if cfg!(target_pointer_width = "64") {
        (16, 40)
    } else {
        (8, 20)
    };
    let mut load_bias = None;
    let mut loads = Vec::new();
    for i in 0..phnum {
        let h = phdr.as_ptr().wrapping_add(i * phent);
        // SAFETY: AT_PHDR points at phnum headers of phent bytes in the mapped program.
        let (p_type, vaddr, memsz) = unsafe {
            (
                h.cast::<u32>().read(),
                h.add(vaddr_at).cast::<usize>().read_unaligned(),
                h.add(memsz_at).cast::<usize>().read_unaligned(),
            )
        };
        match p_type {
            6 => load_bias = Some(phdr.as_ptr().addr().wrapping_sub(vaddr)), // PT_PHDR
            1 => loads.push((vaddr, memsz)),                                 // PT_LOAD
            _ => {}
        }
    }
    assert!(!loads.is_empty(), "no PT_LOAD");
    // With PT_PHDR (every PIE here has one), AT_ENTRY lies in a PT_LOAD segment.
    if let Some(bias) = load_bias {
        let in_load = loads
            .iter()
            .any(|&(v, m)| (bias.wrapping_add(v)..bias.wrapping_add(v + m)).contains(&entry));
        assert!(in_load, "AT_ENTRY {entry:#x} outside the PT_LOAD segments");
    }
}

#[test]
fn the_vdso_base_is_validated() {
    let raw = sys_auxv::get(Key::SYSINFO_EHDR);
    let checked = sys_auxv::sysinfo_ehdr();
    assert_eq!(checked.map(|p| p.as_ptr().addr()), raw);
    // The runner says whether there is one (tools/cross-test.sh, tools/novdso-test.sh):
    // natively and under qemu-user 10 there is, except for mips guests; under qemu 7.2 there
    // is none. Unset, both are accepted.
    let expected = std::env::var("SYS_VDSO_EXPECT").ok();
    let Some(base) = checked else {
        assert_ne!(expected.as_deref(), Some("present"), "no AT_SYSINFO_EHDR");
        return;
    };
    assert_ne!(
        expected.as_deref(),
        Some("absent"),
        "AT_SYSINFO_EHDR {base:p}"
    );
    let base = base.as_ptr();
    // SAFETY: sysinfo_ehdr() confirmed an ELF header there.
    let magic = unsafe { core::slice::from_raw_parts(base, 4) };
    assert_eq!(magic, b"\x7fELF");
}

#[test]
fn iteration_and_lookup_agree() {
    let v: Auxv = sys_auxv::snapshot();
    let listed: Vec<(Key, usize)> = sys_auxv::iter().collect();
    assert_eq!(listed.len(), v.len());
    for &(key, value) in &listed {
        if key.is_padding() {
            assert_eq!(sys_auxv::get(key), None);
        } else {
            assert_eq!(sys_auxv::get(key), Some(value), "{key}");
        }
    }
    assert!(listed.iter().any(|&(k, _)| k == Key::PAGESZ));
}

#[test]
fn captured_args_and_env_are_the_processes() {
    let Some((argc, argv)) = sys_auxv::args() else {
        assert_ne!(sys_auxv::source(), Some(Source::InitArray));
        if cfg!(all(target_env = "gnu", feature = "init-array")) {
            panic!("glibc start-up capture missing");
        }
        return;
    };
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    assert_eq!(argc, args.len());
    for (i, want) in args.iter().enumerate() {
        // SAFETY: argv has argc NUL-terminated strings on the initial stack.
        let got = unsafe { CStr::from_ptr(*argv.add(i)) };
        assert_eq!(got.to_bytes(), want.as_encoded_bytes());
    }
    // SAFETY: argv[argc] is the terminator.
    assert!(unsafe { *argv.add(argc) }.is_null());
    let envp = sys_auxv::envp().unwrap();
    assert_eq!(envp, argv.wrapping_add(argc + 1));
    let mut n = 0;
    // SAFETY: envp is the initial stack's NULL-terminated array of C strings.
    while let Some(s) = unsafe { envp.add(n).read().as_ref() } {
        // SAFETY: as above.
        let s = unsafe { CStr::from_ptr(s) };
        assert!(s.to_bytes().contains(&b'='), "{s:?}");
        n += 1;
    }
}
