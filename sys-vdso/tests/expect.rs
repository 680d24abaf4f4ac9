//! Whether this process has a vDSO, asserted from outside: `SYS_VDSO_EXPECT=absent` (set by
//! `tools/novdso-test.sh`, which runs the tests under qemu-user 7.2: no vDSO for any guest) or
//! `present` (set by `tools/cross-test.sh` natively and under qemu 10; `absent` on mips, whose
//! qemu has none). The other tests pass alike with and without a vDSO (they compare with
//! `getauxval(AT_SYSINFO_EHDR)`), so this is what shows which path a run really took.
//!
//! Unset, the test prints what it saw and checks only that the pieces agree with each other.

// System calls through inline asm, which Miri does not run.
#![cfg(not(miri))]

use sys_vdso::{ClockId, Function, Vdso, entry_point, syscall};

const FUNCTIONS: [Function; 6] = Function::ALL;

fn libc_vdso_base() -> usize {
    // SAFETY: getauxval has no preconditions.
    unsafe { libc::getauxval(libc::AT_SYSINFO_EHDR) as usize }
}

/// Calls each function once (which resolves its entry point) and checks the result against the
/// system call made just before and after it.
fn call_each_function_once() {
    for c in [ClockId::MONOTONIC, ClockId::REALTIME] {
        let before = syscall::clock_gettime(c).unwrap();
        let ours = sys_vdso::clock_gettime(c).unwrap();
        let after = syscall::clock_gettime(c).unwrap();
        if c == ClockId::MONOTONIC {
            assert!(
                before <= ours && ours <= after,
                "{before:?} {ours:?} {after:?}"
            );
        } else {
            assert!((ours.sec - before.sec).abs() <= 2, "{before:?} {ours:?}");
        }
        assert_eq!(sys_vdso::clock_getres(c), syscall::clock_getres(c), "{c:?}");
    }
    let before = syscall::gettimeofday().unwrap();
    let ours = sys_vdso::gettimeofday().unwrap();
    assert!((ours.sec - before.sec).abs() <= 2, "{before:?} {ours:?}");
    let before = syscall::time().unwrap();
    let ours = sys_vdso::time().unwrap();
    assert!((ours - before).abs() <= 2, "time: {before} {ours}");
    let (cpu, _) = sys_vdso::getcpu().unwrap();
    let (cpu2, _) = syscall::getcpu().unwrap();
    // SAFETY: sysconf has no preconditions.
    let ncpu = unsafe { libc::sysconf(libc::_SC_NPROCESSORS_CONF) }.max(1) as u32;
    assert!(
        cpu < ncpu && cpu2 < ncpu,
        "getcpu {cpu} / {cpu2}, {ncpu} CPUs"
    );
    let mut buf = [0u8; 32];
    let n = sys_vdso::getrandom(&mut buf, 0).unwrap();
    assert!(n > 0 && n <= buf.len(), "getrandom gave {n}");
    assert!(syscall::getrandom(&mut buf, 0).unwrap() > 0);
}

#[test]
fn the_vdso_is_what_sys_vdso_expect_says() {
    let expect = std::env::var("SYS_VDSO_EXPECT").ok();
    call_each_function_once();

    let libc_base = libc_vdso_base();
    let ours = sys_vdso::vdso_base().map_or(0, |p| p.as_ptr() as usize);
    let parsed = Vdso::get();
    let entries: Vec<_> = FUNCTIONS.iter().map(|&f| (f, entry_point(f))).collect();
    println!(
        "SYS_VDSO_EXPECT={expect:?}: AT_SYSINFO_EHDR {libc_base:#x} (libc), {ours:#x} (ours), \
         parsed {}, enabled {}",
        parsed.is_some(),
        sys_vdso::is_enabled()
    );
    for (f, e) in &entries {
        println!(
            "  {f:?}: {}",
            e.map_or("system call".into(), |p| format!("vDSO {p:p}"))
        );
    }

    // Always: the pieces agree.
    assert_eq!(ours, libc_base, "sys-auxv's AT_SYSINFO_EHDR is libc's");
    assert_eq!(
        parsed.is_some(),
        libc_base != 0,
        "a vDSO parses iff there is one"
    );
    if parsed.is_none() {
        for (f, e) in &entries {
            assert_eq!(*e, None, "{f:?} has an entry point without a vDSO");
        }
    }

    match expect.as_deref() {
        None | Some("") => println!("SYS_VDSO_EXPECT unset: nothing asserted beyond consistency"),
        Some("absent") => {
            assert_eq!(
                libc_base, 0,
                "a vDSO at {libc_base:#x}, SYS_VDSO_EXPECT=absent"
            );
            assert!(parsed.is_none(), "a vDSO parsed, SYS_VDSO_EXPECT=absent");
            for (f, e) in &entries {
                assert_eq!(*e, None, "{f:?} uses the vDSO, SYS_VDSO_EXPECT=absent");
            }
            assert_eq!(sys_vdso::random::vdso_state_size(), None);
            println!(
                "sys-vdso expect: absent confirmed (no AT_SYSINFO_EHDR, every function on the \
                 system call)"
            );
        }
        Some("present") => {
            assert_ne!(libc_base, 0, "no AT_SYSINFO_EHDR, SYS_VDSO_EXPECT=present");
            let v = parsed.expect("AT_SYSINFO_EHDR set but no vDSO parsed");
            assert!(sys_vdso::is_enabled());
            let f = entry_point(Function::ClockGettime)
                .expect("clock_gettime does not use the vDSO, SYS_VDSO_EXPECT=present");
            let start = v.base().as_ptr() as usize;
            let end = start + v.image().bytes().len();
            let addr = f.as_ptr() as usize;
            assert!(
                (start..end).contains(&addr),
                "clock_gettime at {addr:#x}, outside the vDSO {start:#x}..{end:#x}"
            );
            println!("sys-vdso expect: present confirmed (clock_gettime at {addr:#x})");
        }
        Some(other) => panic!("SYS_VDSO_EXPECT must be `absent` or `present`, not {other:?}"),
    }
}
