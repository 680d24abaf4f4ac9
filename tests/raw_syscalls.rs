//! Raw system calls against the kernel and the host libc: the shared behaviour checks of
//! `tests/checks` (also run by the no-libc harness), plus checks that need std as an oracle.

mod checks;

use libsys::raw::{syscall, syscall_readonly};
use libsys::{Errno, nr};

#[test]
fn shared_behaviour_checks_pass() {
    let mut failed = Vec::new();
    for (name, check) in checks::ALL {
        match check() {
            Ok(()) => println!("ok {name}"),
            Err(msg) => failed.push(format!("{name}: {msg}")),
        }
    }
    assert!(failed.is_empty(), "failed checks:\n{}", failed.join("\n"));
    assert!(checks::ALL.len() >= 10);
}

#[test]
fn getppid_matches_std() {
    // SAFETY: getppid writes no memory.
    let ppid = unsafe { syscall_readonly!(nr::getppid) }.unwrap();
    assert_eq!(ppid as u32, std::os::unix::process::parent_id());
}

#[test]
fn getpid_matches_std() {
    // SAFETY: getpid writes no memory.
    let pid = unsafe { syscall_readonly!(nr::getpid) }.unwrap();
    assert_eq!(pid as u32, std::process::id());
}

#[test]
fn read_of_a_file_std_wrote_returns_its_bytes() {
    use std::os::fd::AsRawFd;
    let dir = std::env::temp_dir().join(format!("libsys-raw-{}", std::process::id()));
    std::fs::write(&dir, b"written by std").unwrap();
    let file = std::fs::File::open(&dir).unwrap();
    std::fs::remove_file(&dir).unwrap();
    let mut buf = [0u8; 32];
    // SAFETY: `buf` is valid for writes of its length; the fd stays open in `file`.
    let n = unsafe { syscall!(nr::read, file.as_raw_fd(), buf.as_mut_ptr(), buf.len()) }.unwrap();
    assert_eq!(&buf[..n], b"written by std");
}

#[test]
fn errno_matches_the_io_error_std_reports() {
    let err = std::fs::File::open("/nonexistent-libsys/x").unwrap_err();
    let path = c"/nonexistent-libsys/x";
    // SAFETY: NUL-terminated path.
    let r = unsafe { syscall!(nr::openat, -100, path.as_ptr(), libc::O_RDONLY, 0u32) };
    let e = r.unwrap_err();
    assert_eq!(Some(e.raw()), err.raw_os_error());
    assert_eq!(e, Errno::ENOENT);
    assert_eq!(format!("{e:?}"), "ENOENT");
}
