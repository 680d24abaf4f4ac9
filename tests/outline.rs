//! Out-of-line stubs (feature `outline`): every system call libsys makes executes its
//! instruction in the `libsys_stubs` section, number N only in stub N, and the manifest lists
//! each stub with the address after its instruction. The shared checks (`tests/checks`, which
//! add the `outline` ones with the feature) run here through the stubs; tools/cross-test.sh
//! runs `cargo test -p libsys --features outline --test outline` on every architecture.
//! Without the feature this file is empty.
#![cfg(feature = "outline")]

mod checks;

use libsys::outline;
use libsys::sys_vdso::{ClockId, syscall as fallback};
use libsys::{Errno, nr, syscall};

#[syscall]
unsafe fn getcwd(buf: &mut [u8]) -> Result<usize, Errno>;

#[test]
fn shared_behaviour_checks_pass_through_the_stubs() {
    let mut failed = Vec::new();
    let mut outline_checks = 0;
    for (name, check) in checks::ALL {
        outline_checks += usize::from(name.starts_with("outline_"));
        if let Err(msg) = check() {
            failed.push(format!("{name}: {msg}"));
        }
    }
    assert!(failed.is_empty(), "failed checks:\n{}", failed.join("\n"));
    assert_eq!(outline_checks, 3);
}

#[test]
fn a_declared_wrapper_through_its_stub_matches_std() {
    let mut buf = [0u8; 4096];
    // SAFETY: `buf` is valid for writes of its length.
    let n = unsafe { getcwd(&mut buf) }.unwrap();
    let cwd = std::env::current_dir()
        .unwrap()
        .into_os_string()
        .into_encoded_bytes();
    assert_eq!(&buf[..n - 1], &cwd[..]);
    assert!(outline::manifest().any(|s| s.nr == Some(nr::getcwd)));
}

#[test]
fn the_vdso_fallbacks_are_stubs_of_their_own() {
    let t = fallback::clock_gettime(ClockId::MONOTONIC).unwrap();
    assert!(t.sec > 0 || t.nsec > 0);
    #[cfg(target_pointer_width = "64")]
    let gettime = nr::clock_gettime;
    #[cfg(target_pointer_width = "32")]
    let gettime = nr::clock_gettime64;
    assert!(outline::manifest().any(|s| s.nr == Some(gettime)));
}
