//! sys-vdso against this process's real vDSO (whatever the kernel or qemu-user gives it): the
//! parser finds every symbol the kernel's linker script exports, the functions use the vDSO where
//! it has them, and every result agrees with the system call and the host libc.
//!
//! Oracle for "is there a vDSO": the host libc's `getauxval(AT_SYSINFO_EHDR)`. qemu-user 10
//! gives i386, x86_64, arm, aarch64, riscv64, ppc64le, s390x and loongarch64 guests a vDSO of its
//! own (`linux-user/<arch>/vdso.S`), which exports less than the kernel's:
//! `sys_vdso::symbols::native::QEMU_LACKS` lists what it lacks, and the test reports each such
//! symbol.

// System calls through inline asm, which Miri does not run: the parser is tested under Miri
// by the unit tests (`cargo +nightly miri test -p sys-vdso`).
#![cfg(not(miri))]

mod common;

use sys_vdso::symbols::native::{EXPORTS, NAMES, QEMU_LACKS};
use sys_vdso::{Function, Image, Vdso, entry_point};

fn libc_vdso_base() -> usize {
    // SAFETY: getauxval has no preconditions.
    unsafe { libc::getauxval(libc::AT_SYSINFO_EHDR) as usize }
}

/// (major, minor) of the running kernel (under qemu-user: the host's).
fn kernel_release() -> (u16, u16) {
    // SAFETY: an all-zero utsname is a valid value to be overwritten.
    let mut u: libc::utsname = unsafe { std::mem::zeroed() };
    // SAFETY: `u` is valid for writes.
    assert_eq!(unsafe { libc::uname(&mut u) }, 0);
    let rel: String = u
        .release
        .iter()
        .take_while(|&&c| c != 0)
        .map(|&c| c as u8 as char)
        .collect();
    let mut it = rel
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|s| s.parse::<u16>().ok());
    (it.next().unwrap_or(0), it.next().unwrap_or(0))
}

#[test]
fn vdso_base_is_the_libc_at_sysinfo_ehdr() {
    let ours = sys_vdso::vdso_base().map_or(0, |p| p.as_ptr() as usize);
    assert_eq!(ours, libc_vdso_base());
}

#[test]
fn the_vdso_parses_whenever_the_process_has_one() {
    let v = Vdso::get();
    assert_eq!(
        v.is_some(),
        libc_vdso_base() != 0,
        "libc sees a vDSO iff we parse one"
    );
    if let Some(v) = v {
        let (sysv, gnu) = v.image().hash_tables();
        println!(
            "vDSO at {:p}: {} bytes, {} symbols, DT_HASH {sysv}, DT_GNU_HASH {gnu}, versioned {}",
            v.base(),
            v.image().bytes().len(),
            v.image().symbol_count(),
            v.image().is_versioned()
        );
        for s in v.symbols() {
            println!(
                "  {:<40} {:<14} {:?} offset {:?}",
                s.name_str().unwrap_or("?"),
                s.version_str().unwrap_or("-"),
                s.kind,
                s.offset
            );
        }
    }
}

#[test]
fn every_symbol_the_kernel_exports_is_found() {
    let Some(v) = Vdso::get() else {
        println!("no vDSO in this process: nothing to look up");
        return;
    };
    let kernel = kernel_release();
    let mut missing = Vec::new();
    for e in EXPORTS {
        let found = v.lookup(e.name, Some(e.version));
        let required = e.config.is_none() && e.since <= kernel;
        let status = match (found.is_some(), required, QEMU_LACKS.contains(&e.name)) {
            (true, _, _) => "found",
            (false, false, _) => "absent (optional here)",
            (false, true, true) => "absent (qemu's vDSO lacks it)",
            (false, true, false) => {
                missing.push(e.name);
                "MISSING"
            }
        };
        println!(
            "{:<42} {:<13} since {}.{:<3} {:<34} {status}",
            e.name,
            e.version,
            e.since.0,
            e.since.1,
            e.config.unwrap_or("")
        );
    }
    assert!(
        missing.is_empty(),
        "kernel {kernel:?}: not found: {missing:?}"
    );
    // A symbol must not be found under another version.
    if v.image().is_versioned() {
        for e in EXPORTS {
            assert!(v.lookup(e.name, Some("LINUX_0.0")).is_none(), "{}", e.name);
        }
    }
}

#[test]
fn every_listed_symbol_is_found_by_lookup_at_the_same_address() {
    let Some(v) = Vdso::get() else { return };
    let mut n = 0;
    for s in v.symbols() {
        let Some(name) = s.name_str() else { continue };
        if s.offset.is_none() {
            continue; // absolute (version-name) symbols
        }
        let found = v.lookup(name, s.version_str()).expect(name);
        assert_eq!(Some(found), v.address(&s), "{name}");
        n += 1;
    }
    assert!(n >= 3, "only {n} symbols");
}

#[test]
fn each_hash_table_alone_finds_every_symbol() {
    let Some(v) = Vdso::get() else { return };
    let (sysv, gnu) = v.image().hash_tables();
    for (use_sysv, use_gnu) in [(true, false), (false, true)] {
        if (use_sysv && !sysv) || (use_gnu && !gnu) {
            continue;
        }
        let im = v.image().with_hash_tables(use_sysv, use_gnu);
        for s in v.symbols().filter(|s| s.offset.is_some()) {
            let name = s.name_str().unwrap();
            let found = im.lookup(name, s.version_str());
            assert_eq!(
                found,
                Some(s),
                "{name} with DT_HASH {use_sysv}, DT_GNU_HASH {use_gnu}"
            );
        }
    }
}

#[test]
fn the_live_image_survives_every_truncation() {
    let Some(v) = Vdso::get() else { return };
    let bytes = v.image().bytes().to_vec();
    let full = Image::parse_native(&bytes).unwrap();
    assert_eq!(full.symbol_count(), v.image().symbol_count());
    for n in 0..bytes.len() {
        if let Ok(im) = Image::parse(&bytes[..n]) {
            for e in EXPORTS {
                let _ = im.lookup(e.name, Some(e.version));
            }
            let _ = im.symbols().count();
        }
    }
}

#[test]
fn each_function_uses_the_vdso_exactly_when_it_has_the_symbol() {
    let v = Vdso::get();
    let cases = [
        (Function::ClockGettime, NAMES.clock_gettime),
        (Function::ClockGetres, NAMES.clock_getres),
        (Function::Gettimeofday, NAMES.gettimeofday),
        (Function::Time, NAMES.time),
        (Function::Getcpu, NAMES.getcpu),
        (Function::Getrandom, NAMES.getrandom),
    ];
    for (f, name) in cases {
        let expected = v.and_then(|v| v.lookup(name?, Some(NAMES.version)));
        println!("{f:?}: {name:?} -> {expected:?}");
        assert_eq!(entry_point(f), expected, "{f:?}");
    }
    // getrandom goes through the vDSO where the kernel offers it: natively on x86_64 since 6.11.
    if cfg!(target_arch = "x86_64") && kernel_release() >= (6, 11) && v.is_some() {
        let size = sys_vdso::random::vdso_state_size();
        println!("vgetrandom state size: {size:?}");
        assert!(size.is_some_and(|s| s > 0));
    }
}

#[test]
fn every_clock_agrees_with_the_syscall() {
    common::every_clock_agrees_with_the_syscall_on_success_or_errno();
}

#[test]
fn monotonic_never_goes_backwards() {
    common::monotonic_never_goes_backwards_across_paths();
}

#[test]
fn realtime_agrees() {
    common::realtime_agrees_with_the_syscall_and_libc();
}

#[test]
fn times_are_64_bit() {
    common::times_are_64_bit();
}

#[test]
fn getcpu_is_below_the_cpu_count() {
    common::getcpu_is_below_the_cpu_count();
}

#[test]
fn getrandom_fills_every_size() {
    common::getrandom_fills_every_size();
}

#[test]
fn getrandom_works_from_many_threads() {
    common::getrandom_works_from_many_threads();
}
