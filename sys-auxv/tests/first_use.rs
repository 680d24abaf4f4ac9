//! First use of the process-wide vector from many threads at once, after the environment
//! was changed: every thread gets the same answer, equal to `/proc/self/auxv`. On musl this
//! is the real first use (the lazy fallback runs, racing); on glibc the start-up capture has
//! already run, and `setenv` must not have disturbed it. One test in its own binary, so
//! nothing else touched the vector or the environment first.

use std::sync::{Arc, Barrier};

#[test]
fn concurrent_first_use_after_setenv_agrees_with_procfs() {
    for i in 0..200 {
        // SAFETY: the only test in this binary; no other thread exists yet, so nothing reads
        // the environment concurrently.
        unsafe { std::env::set_var(format!("SYS_AUXV_TEST_{i}"), "x".repeat(100)) };
    }
    let threads = 8;
    let barrier = Arc::new(Barrier::new(threads));
    let handles: Vec<_> = (0..threads)
        .map(|_| {
            let barrier = Arc::clone(&barrier);
            std::thread::spawn(move || {
                barrier.wait();
                (
                    sys_auxv::page_size(),
                    sys_auxv::sysinfo_ehdr().map(|p| p.as_ptr().addr()),
                    sys_auxv::snapshot(),
                )
            })
        })
        .collect();
    let results: Vec<_> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    let proc = sys_auxv::source::procfs::read().unwrap();
    let from_libc = sys_auxv::source() == Some(sys_auxv::Source::Libc);
    for (page, vdso, snap) in &results {
        assert_eq!(*page, proc.page_size());
        assert_eq!(*vdso, proc.sysinfo_ehdr_ptr().map(|p| p.as_ptr().addr()));
        if from_libc {
            // getauxval gives no order and only the keys this crate knows: compare by key,
            // except glibc's own AT_HWCAP/AT_HWCAP2 (see tests/process.rs, libc_deviation).
            for &key in sys_auxv::Key::ALL {
                let glibc_own = cfg!(target_env = "gnu")
                    && (key == sys_auxv::Key::HWCAP || key == sys_auxv::Key::HWCAP2);
                if !glibc_own {
                    assert_eq!(snap.get(key), proc.get(key), "{key}");
                }
            }
        } else {
            assert_eq!(snap, &proc);
        }
    }
    assert!(sys_auxv::source().is_some());
}
