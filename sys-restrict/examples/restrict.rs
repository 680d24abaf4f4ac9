//! Prints this program's filters (range, pinned) as `seccomp-tools dump` would, and what each
//! costs a system call: getppid through libsys's stub, timed in a forked child per filter and
//! round (the best of 5 interleaved rounds).
//!
//! `cargo run -p sys-restrict --example restrict --features outline,std --release [-- --dump]`
//! (Linux; installs filters only in forked children).

use std::time::Instant;
use sys_core::{nr, syscall_noreturn, syscall_readonly};
use sys_restrict::policy::Generic;
use sys_restrict::{Action, Arch, Filter, Policy, install};

const CALLS: u32 = 1_000_000;
const ROUNDS: usize = 5;

/// Nanoseconds per getppid in a forked child under `filter` (none: no filter), sent back
/// through a pipe.
fn time_in_child(filter: Option<&Filter>) -> f64 {
    let mut fds = [0i32; 2];
    // SAFETY: `fds` has room for the two descriptors.
    assert_eq!(unsafe { libc::pipe(fds.as_mut_ptr()) }, 0);
    // SAFETY: the child makes system calls through libsys only, then exits.
    let pid = unsafe { libc::fork() };
    assert!(pid >= 0);
    if pid == 0 {
        if let Some(f) = filter
            && install::restrict(f).is_err()
        {
            // SAFETY: exit_group ends the child.
            unsafe { syscall_noreturn!(nr::exit_group, 1) }
        }
        let t = Instant::now();
        for _ in 0..CALLS {
            // SAFETY: getppid writes no memory.
            let _ = unsafe { syscall_readonly!(nr::getppid) };
        }
        let ns = t.elapsed().as_nanos() as f64 / f64::from(CALLS);
        let bytes = ns.to_le_bytes();
        // SAFETY: `bytes` is valid for reads of its length (write goes through the stub).
        let _ = unsafe { sys_core::syscall!(nr::write, fds[1], bytes.as_ptr(), bytes.len()) };
        // SAFETY: exit_group ends the child.
        unsafe { syscall_noreturn!(nr::exit_group, 0) }
    }
    let mut bytes = [0u8; 8];
    // SAFETY: `bytes` is valid for writes of its length.
    let n = unsafe { libc::read(fds[0], bytes.as_mut_ptr().cast(), 8) };
    let mut status = 0;
    // SAFETY: `status` is valid for writes; `pid` is our child.
    unsafe { libc::waitpid(pid, &mut status, 0) };
    assert_eq!(n, 8, "child status {status:#x}");
    f64::from_le_bytes(bytes)
}

fn main() {
    let dump = std::env::args().any(|a| a == "--dump");
    let manifest = install::manifest();
    let vdso = install::vdso_range();
    let with_vdso = |mut p: Policy| {
        if let Some(v) = vdso {
            p = p.allow_range_for(v, &install::vdso_numbers());
        }
        p.otherwise(Action::KillProcess)
    };
    let range = with_vdso(Policy::range(Arch::NATIVE, install::stubs_range()))
        .compile()
        .unwrap();
    let pinned = with_vdso(Policy::pinned(Arch::NATIVE, &manifest, Generic::Deny))
        .compile()
        .unwrap();
    let pinned_numbers = manifest.iter().filter(|s| s.nr.is_some()).count();
    println!(
        "stubs {:?}, {} manifest entries ({pinned_numbers} pinned), vDSO {vdso:?}",
        install::stubs_range(),
        manifest.len()
    );
    if dump {
        println!("range filter:\n{range}\npinned filter:\n{pinned}");
    }
    // Rounds interleaved, the best of each kept: the machine may be shared.
    let filters: [(&str, Option<&Filter>); 3] = [
        ("no", None),
        ("range", Some(&range)),
        ("pinned", Some(&pinned)),
    ];
    let mut best = [f64::INFINITY; 3];
    for _ in 0..ROUNDS {
        for (b, (_, f)) in best.iter_mut().zip(&filters) {
            *b = b.min(time_in_child(*f));
        }
    }
    let base = best[0];
    for ((name, f), t) in filters.iter().zip(best) {
        let len = f.map_or(0, |f| f.insns().len());
        println!(
            "getppid, {name:6} filter: {t:6.1} ns ({len:3} instructions; {:.2}x, {:+.1} ns)",
            t / base,
            t - base
        );
    }
}
