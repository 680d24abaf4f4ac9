//! The generated prototypes (`sys_core::proto`) cross-checked against the generated numbers
//! (`sys_core::nr`, from the uapi headers: an independent source) and against argument lists
//! verified by hand from the man pages (section 2, "SYNOPSIS"; the raw kernel interface where
//! it differs from the libc wrapper, as the NOTES sections say). Runs for the target being
//! tested, so `tools/cross-test.sh` covers every architecture.

use sys_core::nr;
use sys_core::proto::{self, Kind};

#[test]
fn every_number_has_a_prototype_entry() {
    for &(name, number) in nr::all() {
        let p =
            proto::by_nr(number).unwrap_or_else(|| panic!("no prototype for {name} ({number})"));
        assert_eq!(p.nr(), number);
        // Two names for one number (arm's `arm_sync_file_range`/`sync_file_range2`) share it.
        let q = proto::by_name(name).unwrap_or_else(|| panic!("no prototype named {name}"));
        assert_eq!(q.nr(), number, "{name}");
    }
    assert_eq!(proto::all().len(), nr::all().len());
}

#[test]
fn almost_every_call_has_a_c_prototype() {
    let known = proto::all().iter().filter(|p| p.params().is_some()).count();
    // The rest are `sys_ni_syscall` (reserved numbers) and entry points written in assembly.
    assert!(
        known * 100 >= proto::all().len() * 85,
        "{known} of {}",
        proto::all().len()
    );
}

/// Calls that take more than six words: on mips o32 a 64-bit argument starts at an even
/// register, so `fadvise64` and `sync_file_range` (an int, two 64-bit values, an int) take seven;
/// the o32 kernel reads up to eight (four registers and `16($sp)`–`28($sp)`), sys-core passes
/// six. Listed so that a new one is noticed.
const MORE_THAN_SIX: &[&str] = if cfg!(target_arch = "mips") {
    &["fadvise64", "sync_file_range"]
} else {
    &[]
};

#[test]
fn register_counts_fit_and_match_the_pairs() {
    let mut over = Vec::new();
    for p in proto::all() {
        let Some(params) = p.params() else { continue };
        if p.words() > 6 {
            over.push(p.name());
        }
        let pairs = params.iter().filter(|q| q.pair).count();
        assert!(p.words() >= params.len() + pairs, "{}", p.name());
        if cfg!(target_pointer_width = "64") {
            assert_eq!(pairs, 0, "{}", p.name());
        }
    }
    assert_eq!(over, MORE_THAN_SIX, "calls taking more than six words");
}

/// (name, argument count of the kernel's interface, indexes of the pointers it writes through),
/// from the man pages.
const BY_HAND: &[(&str, usize, &[usize])] = &[
    ("read", 3, &[1]),
    ("write", 3, &[]),
    ("openat", 4, &[]),
    ("close", 1, &[]),
    ("pread64", 4, &[1]),
    ("pwrite64", 4, &[]),
    ("readv", 3, &[]),
    ("getcwd", 2, &[0]),
    ("pipe2", 2, &[0]),
    ("dup3", 3, &[]),
    ("fstatfs", 2, &[1]),
    ("statx", 5, &[4]),
    ("readlinkat", 4, &[2]),
    ("getrandom", 3, &[0]),
    ("clock_gettime", 2, &[1]),
    ("rt_sigaction", 4, &[2]),
    ("rt_sigprocmask", 4, &[2]),
    ("wait4", 4, &[1, 3]),
    ("uname", 1, &[0]),
    ("getppid", 0, &[]),
    ("getpid", 0, &[]),
    ("exit_group", 1, &[]),
    ("kill", 2, &[]),
    ("socket", 3, &[]),
    ("connect", 3, &[]),
    ("sendto", 6, &[]),
    ("recvfrom", 6, &[1, 4, 5]),
    ("accept4", 4, &[1, 2]),
    ("fallocate", 4, &[]),
    ("utimensat", 4, &[]),
    ("prlimit64", 4, &[3]),
    ("futex", 6, &[0, 4]),
    ("epoll_pwait", 6, &[1]),
    // The raw ppoll writes the time left into `tsp` (ppoll(2), NOTES).
    ("ppoll", 5, &[0, 2]),
    ("mseal", 3, &[]),
];

#[test]
fn argument_counts_and_written_pointers_match_the_man_pages() {
    let mut checked = 0;
    for &(name, count, written) in BY_HAND {
        // A call this architecture lacks (socketcall-only i386 has the socket calls since 4.3).
        let Some(p) = proto::by_name(name) else {
            continue;
        };
        let params = p
            .params()
            .unwrap_or_else(|| panic!("{name} has no prototype"));
        assert_eq!(params.len(), count, "{name}: {}", p.c());
        let out: Vec<usize> = (0..count)
            .filter(|&i| params[i].kind == Kind::Out)
            .collect();
        assert_eq!(out, written, "{name}: {}", p.c());
        checked += 1;
    }
    assert!(checked >= BY_HAND.len() - 2, "only {checked} checked");
}

#[test]
fn calls_that_cannot_fail_are_few() {
    for name in ["getpid", "getppid", "gettid", "umask"] {
        assert!(!proto::by_name(name).unwrap().can_fail(), "{name}");
    }
    for name in ["read", "close", "openat", "mmap", "kill"] {
        if let Some(p) = proto::by_name(name) {
            assert!(p.can_fail(), "{name}");
        }
    }
}

#[test]
fn a_raw_call_can_be_named_for_a_tracer() {
    let p = proto::by_nr(nr::write).unwrap();
    assert_eq!(p.name(), "write");
    assert!(p.arg_names().eq(["fd", "buf", "count"]));
}
