//! io_uring and the policies, each case in a forked child that reports through its exit
//! status: a policy refuses `io_uring_setup`, `io_uring_enter` and `io_uring_register` unless
//! it asks for io_uring by name, and `install::restrict` refuses to install a policy that does
//! not while the process holds a ring (an `IORING_SETUP_SQPOLL` ring performs its operations
//! with no system call a filter could see). x86_64 and x86, natively.
#![cfg(any(target_arch = "x86_64", target_arch = "x86"))]

use sys_core::{Errno, nr, syscall, syscall_noreturn};
use sys_restrict::{Action, Arch, Policy, install};

/// `IORING_SETUP_SQPOLL` (`linux/io_uring.h`).
const SQPOLL: u32 = 2;

/// `io_uring_setup(4, &params)` with `flags`: the ring's descriptor.
fn ring(flags: u32) -> Result<usize, Errno> {
    // struct io_uring_params: 120 bytes, `flags` is the third word.
    let mut params = [0u32; 30];
    params[2] = flags;
    // SAFETY: the kernel reads and writes the 120-byte params.
    unsafe { syscall!(nr::io_uring_setup, 4usize, params.as_mut_ptr()) }
}

fn in_child(child: impl FnOnce() -> i32) -> i32 {
    // SAFETY: the child makes system calls and exits through libsys's exit_group stub.
    let pid = unsafe { libc::fork() };
    assert!(pid >= 0);
    if pid == 0 {
        let code = child();
        // SAFETY: ends the child.
        unsafe { syscall_noreturn!(nr::exit_group, code) }
    }
    let mut status = 0;
    // SAFETY: our child.
    assert_eq!(unsafe { libc::waitpid(pid, &mut status, 0) }, pid);
    assert!(libc::WIFEXITED(status), "status {status:#x}");
    libc::WEXITSTATUS(status)
}

fn policy() -> Policy {
    let mut p = Policy::range(Arch::NATIVE, install::stubs_range());
    if let Some(v) = install::vdso_range() {
        p = p.allow_range_for(v, &install::vdso_numbers());
    }
    p.otherwise(Action::Errno(1))
}

/// Whether io_uring can be used here at all (not disabled by `kernel.io_uring_disabled` or a
/// container's own filter).
fn available() -> bool {
    match ring(0) {
        Ok(fd) => {
            // SAFETY: closes the ring just made.
            let _ = unsafe { syscall!(nr::close, fd) };
            true
        }
        Err(e) => {
            eprintln!("io_uring unavailable here ({e:?}): skipped");
            false
        }
    }
}

#[test]
fn a_ring_is_seen_by_its_descriptor_and_its_sqpoll_thread() {
    if !available() {
        return;
    }
    let code = in_child(|| {
        if install::io_uring_held() != Ok(false) {
            return 1;
        }
        let Ok(fd) = ring(0) else { return 2 };
        if install::io_uring_held() != Ok(true) {
            return 3;
        }
        // SAFETY: closes the ring.
        let _ = unsafe { syscall!(nr::close, fd) };
        if install::io_uring_held() != Ok(false) {
            return 4;
        }
        let Ok(_sqpoll) = ring(SQPOLL) else { return 5 };
        if install::io_uring_held() != Ok(true) {
            return 6;
        }
        0
    });
    assert_eq!(code, 0);
}

#[test]
fn restrict_refuses_while_an_sqpoll_ring_is_held_unless_io_uring_is_asked_for() {
    if !available() {
        return;
    }
    let filter = policy().compile().unwrap();
    let asked = policy().allow_io_uring().compile().unwrap();
    assert!(!filter.allows_io_uring() && asked.allows_io_uring());
    let code = in_child(|| {
        if ring(SQPOLL).is_err() {
            return 1;
        }
        if install::restrict(&filter) != Err(Errno::EBUSY) {
            return 2;
        }
        // Nothing was installed: a libc call still works.
        // SAFETY: getppid has no preconditions.
        if unsafe { libc::getppid() } <= 0 {
            return 3;
        }
        if install::restrict(&asked).is_err() {
            return 4;
        }
        // The asked-for policy lets a new ring be made from the stubs.
        if ring(0).is_err() {
            return 5;
        }
        0
    });
    assert_eq!(code, 0);
}

#[test]
fn every_io_uring_call_is_refused_under_a_policy_that_did_not_ask() {
    if !available() {
        return;
    }
    let filter = policy().compile().unwrap();
    let code = in_child(|| {
        if install::restrict(&filter).is_err() {
            return 1;
        }
        if ring(0) != Err(Errno::EPERM) || ring(SQPOLL) != Err(Errno::EPERM) {
            return 2;
        }
        // SAFETY: io_uring_enter and io_uring_register on a descriptor that is no ring: the
        // filter refuses them before the kernel looks.
        let (enter, register) = unsafe {
            (
                syscall!(
                    nr::io_uring_enter,
                    0usize,
                    0usize,
                    0usize,
                    0usize,
                    0usize,
                    0usize
                ),
                syscall!(nr::io_uring_register, 0usize, 0usize, 0usize, 0usize),
            )
        };
        if enter != Err(Errno::EPERM) || register != Err(Errno::EPERM) {
            return 3;
        }
        0
    });
    assert_eq!(code, 0);
}
