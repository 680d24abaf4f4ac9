//! Filters installed for real, each in a forked child that reports through its exit status
//! (never in the test process): libsys's stubs are allowed, libc's wrappers and an `asm!`
//! syscall in ordinary code are refused, pinning refuses the generic stub, and the kernel's
//! verdicts agree with the evaluator's. x86_64 and i686 only, natively (under qemu-user the
//! filter would apply to qemu itself); run with `--features outline,std`.
#![cfg(any(target_arch = "x86_64", target_arch = "x86"))]

use sys_core::{nr, syscall, syscall_noreturn, syscall_readonly};
use sys_restrict::policy::Generic;
use sys_restrict::{Action, Arch, Filter, Policy, SeccompData, install};

const EPERM: u16 = 1;

/// Runs `child` in a forked child that exits through libsys's own `exit_group` stub with the
/// step number that failed (0: all passed), and returns the raw wait status.
fn in_child(child: impl FnOnce() -> i32) -> i32 {
    // SAFETY: the child only makes system calls and returns; it allocates nothing (the filters
    // are built before the fork) and never returns into the test harness.
    let pid = unsafe { libc::fork() };
    assert!(pid >= 0, "fork failed");
    if pid == 0 {
        let code = child();
        // SAFETY: exit_group ends the child; it goes through libsys's stub (allowed).
        unsafe { syscall_noreturn!(nr::exit_group, code) }
    }
    let mut status = 0;
    // SAFETY: `status` is valid for writes; `pid` is our child.
    let r = unsafe { libc::waitpid(pid, &mut status, 0) };
    assert_eq!(r, pid);
    status
}

fn exit_code(status: i32) -> Option<i32> {
    libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status))
}

/// getppid with a `syscall`/`int $0x80` instruction of our own, outside the stubs section.
fn getppid_inline_asm() -> isize {
    let r: isize;
    // SAFETY: getppid takes no arguments and writes no memory.
    unsafe {
        #[cfg(target_arch = "x86_64")]
        core::arch::asm!("syscall", inlateout("rax") nr::getppid as isize => r,
            out("rcx") _, out("r11") _, options(nostack));
        #[cfg(target_arch = "x86")]
        core::arch::asm!("int 0x80", inlateout("eax") nr::getppid as isize => r, options(nostack));
    }
    r
}

fn range_policy() -> Policy {
    let mut p = Policy::range(Arch::NATIVE, install::stubs_range());
    if let Some(v) = install::vdso_range() {
        p = p.allow_range_for(v, &install::vdso_numbers());
    }
    p
}

fn compile(p: &Policy) -> Filter {
    let f = p.compile().unwrap();
    assert_eq!(f.arch(), Arch::NATIVE);
    f
}

#[test]
fn range_filter_allows_the_stubs_and_refuses_libc_and_inline_asm() {
    let filter = compile(&range_policy().otherwise(Action::Errno(EPERM)));
    let status = in_child(|| {
        if install::restrict(&filter).is_err() {
            return 1;
        }
        // SAFETY: getppid writes no memory.
        if unsafe { syscall_readonly!(nr::getppid) }.is_err() {
            return 2;
        }
        // SAFETY: getppid has no preconditions.
        if unsafe { libc::getppid() } != -1 {
            return 3;
        }
        if getppid_inline_asm() != -1 {
            return 4;
        }
        // A run-time number goes through the generic stub, also in the section.
        let n = core::hint::black_box(nr::getppid);
        // SAFETY: as above.
        if unsafe { syscall!(n) }.is_err() {
            return 5;
        }
        0
    });
    assert_eq!(exit_code(status), Some(0), "wait status {status:#x}");
}

#[test]
fn pinned_filter_refuses_the_generic_stub_and_other_numbers() {
    let manifest = install::manifest();
    assert!(manifest.iter().any(|s| s.nr == Some(nr::getppid as u32)));
    let mut p = Policy::pinned(Arch::NATIVE, &manifest, Generic::Deny);
    if let Some(v) = install::vdso_range() {
        p = p.allow_range_for(v, &install::vdso_numbers());
    }
    let filter = compile(&p.otherwise(Action::Errno(EPERM)));
    let status = in_child(|| {
        if install::restrict(&filter).is_err() {
            return 1;
        }
        // SAFETY: getppid writes no memory.
        if unsafe { syscall_readonly!(nr::getppid) }.is_err() {
            return 2;
        }
        let n = core::hint::black_box(nr::getppid);
        // SAFETY: as above.
        if unsafe { syscall!(n) } != Err(sys_core::Errno::EPERM) {
            return 3;
        }
        if getppid_inline_asm() != -1 {
            return 4;
        }
        0
    });
    assert_eq!(exit_code(status), Some(0), "wait status {status:#x}");
}

#[test]
fn kill_process_is_sigsys() {
    let filter = compile(&range_policy().otherwise(Action::KillProcess));
    let status = in_child(|| {
        if install::restrict(&filter).is_err() {
            return 1;
        }
        // SAFETY: getppid has no preconditions.
        unsafe { libc::getppid() };
        2
    });
    assert!(libc::WIFSIGNALED(status), "wait status {status:#x}");
    assert_eq!(libc::WTERMSIG(status), libc::SIGSYS);
}

#[test]
fn std_friendly_filter_lets_libc_work() {
    let libc_code = install::libc_ranges();
    assert!(!libc_code.is_empty(), "no libc found by dl_iterate_phdr");
    let mut p = range_policy();
    for r in &libc_code {
        p = p.allow_range(*r);
    }
    // i386 glibc makes its system calls through the vDSO's __kernel_vsyscall.
    if let (Arch::X86, Some(v)) = (Arch::NATIVE, install::vdso_range()) {
        p = p.allow_range(v);
    }
    let filter = compile(&p.otherwise(Action::Errno(EPERM)));
    let status = in_child(|| {
        if install::restrict(&filter).is_err() {
            return 1;
        }
        // SAFETY: getppid has no preconditions.
        if unsafe { libc::getppid() } == -1 {
            return 2;
        }
        if getppid_inline_asm() != -1 {
            return 3;
        }
        0
    });
    assert_eq!(exit_code(status), Some(0), "wait status {status:#x}");
}

#[test]
fn the_evaluator_agrees_with_the_stub_addresses() {
    let manifest = install::manifest();
    let filter = compile(&Policy::pinned(Arch::NATIVE, &manifest, Generic::Deny));
    let stubs = install::stubs_range();
    for s in manifest.iter().filter(|s| s.nr.is_some()) {
        let nr = s.nr.unwrap_or(0);
        assert!(stubs.contains(s.ip), "{s:?} outside {stubs:?}");
        let d = SeccompData::new(Arch::NATIVE, nr, s.ip);
        assert_eq!(filter.eval(&d), Ok(Action::Allow));
        let d = SeccompData::new(Arch::NATIVE, nr ^ 1, s.ip);
        let other_pinned_here = manifest
            .iter()
            .any(|t| t.nr == Some(nr ^ 1) && t.ip == s.ip);
        if !other_pinned_here {
            assert_eq!(filter.eval(&d), Ok(Action::KillProcess));
        }
    }
}

#[test]
fn a_filter_for_another_architecture_is_refused() {
    let other = if Arch::NATIVE == Arch::X86_64 {
        Arch::X86
    } else {
        Arch::X86_64
    };
    let filter = Policy::range(other, sys_restrict::IpRange::new(0x1000, 0x2000)).compile();
    assert_eq!(
        install::install(&filter.unwrap(), 0),
        Err(sys_core::Errno::EINVAL)
    );
}

#[test]
fn libc_restorer_is_one_rt_sigreturn_site_in_libc_or_the_vdso_trampolines() {
    let sites = install::libc_restorer();
    if cfg!(target_arch = "x86_64") {
        // glibc's __restore_rt: one `syscall` in libc's code, after `mov $15, %rax`.
        assert_eq!(sites.len(), 1, "{sites:?}");
        let s = sites[0];
        assert_eq!(s.nr, nr::rt_sigreturn as u32);
        assert!(install::libc_ranges().iter().any(|r| r.contains(s.ip)));
        // SAFETY: the two bytes before the site are libc's code.
        let insn = unsafe { core::slice::from_raw_parts((s.ip - 2) as *const u8, 2) };
        assert_eq!(insn, [0x0f, 0x05]);
    } else {
        // glibc on x86 leaves the restorer to the kernel: the vDSO's trampolines.
        assert_eq!(sites, install::vdso_trampolines());
        assert_eq!(sites.len(), 2);
    }
}
