//! The `hooks` feature: a process-wide hook and per-number replacements at the one switch
//! point. Run with `cargo test -p libsys --features hooks --test hooks` (also with `outline`);
//! without the feature this file is empty. The kernel is the oracle: what a pipe holds, what
//! std reports.
#![cfg(feature = "hooks")]

use libsys::hook::{self, Call};
use libsys::raw::{syscall, syscall_readonly};
use libsys::{Errno, RawRet, nr, syscall as declare};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The hooks are process-wide: the tests take turns.
static TURN: Mutex<()> = Mutex::new(());

/// Takes the turn; a test that failed while holding it does not fail the others.
fn turn() -> std::sync::MutexGuard<'static, ()> {
    TURN.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

#[declare]
unsafe fn write(fd: i32, buf: &[u8]) -> Result<usize, Errno>;

fn pipe() -> (i32, i32) {
    let mut fds = [0i32; 2];
    // SAFETY: `fds` is valid for writes of two ints.
    unsafe { syscall!(nr::pipe2, fds.as_mut_ptr(), libc::O_CLOEXEC) }.unwrap();
    (fds[0], fds[1])
}

fn read_all(fd: i32) -> Vec<u8> {
    let mut buf = [0u8; 256];
    // SAFETY: `buf` is valid for writes of its length; the pipe's writer is closed or holds
    // data, so this does not block forever.
    let n = unsafe { syscall!(nr::read, fd, buf.as_mut_ptr(), buf.len()) }.unwrap();
    buf[..n].to_vec()
}

fn close(fd: i32) {
    // SAFETY: the test owns `fd`.
    let _ = unsafe { syscall_readonly!(nr::close, fd) };
}

static SEEN: AtomicUsize = AtomicUsize::new(0);
static SEEN_WRITE_META: AtomicUsize = AtomicUsize::new(0);

fn count(call: &mut Call<'_>) -> RawRet {
    SEEN.fetch_add(1, Ordering::Relaxed);
    // Raw calls have no `Meta`; the kernel's prototype names their arguments all the same.
    if call.meta().is_none() && call.nr() == nr::getppid {
        assert_eq!(call.proto().map(|p| p.name()), Some("getppid"));
    }
    if call.nr() == nr::write {
        let names: Vec<&str> = call.proto().unwrap().arg_names().collect();
        assert_eq!(names, ["fd", "buf", "count"]);
    }
    if call
        .meta()
        .is_some_and(|m| m.name == "write" && m.args == ["fd", "buf"])
    {
        SEEN_WRITE_META.fetch_add(1, Ordering::Relaxed);
    }
    // SAFETY: each call is made once, as the caller asked.
    unsafe { call.real() }
}

#[test]
fn a_hook_sees_every_call_with_its_meta_and_lets_it_through() {
    let _turn = turn();
    let (r, w) = pipe();
    SEEN.store(0, Ordering::Relaxed);
    SEEN_WRITE_META.store(0, Ordering::Relaxed);
    // SAFETY: the hook makes each call as asked.
    let old = unsafe { hook::set_hook(Some(count)) };
    assert!(old.is_none());
    // SAFETY: the buffer is valid for reads; the test owns `w`.
    let n = unsafe { write(w, b"through") }.unwrap();
    // SAFETY: getppid writes no memory.
    let ppid = unsafe { syscall_readonly!(nr::getppid) }.unwrap();
    // SAFETY: removing the hook.
    unsafe { hook::set_hook(None) };
    assert_eq!(n, 7);
    assert_eq!(ppid as u32, std::os::unix::process::parent_id());
    assert_eq!(SEEN.load(Ordering::Relaxed), 2);
    assert_eq!(SEEN_WRITE_META.load(Ordering::Relaxed), 1);
    assert_eq!(read_all(r), b"through");
    // Removed: no longer counted.
    // SAFETY: as above.
    let _ = unsafe { syscall_readonly!(nr::getppid) };
    assert_eq!(SEEN.load(Ordering::Relaxed), 2);
    close(r);
    close(w);
}

fn refuse(_: &mut Call<'_>) -> RawRet {
    Errno::EPERM.into()
}

#[test]
fn a_replacement_answers_without_entering_the_kernel() {
    let _turn = turn();
    let (r, w) = pipe();
    // SAFETY: an error is always a result the caller can trust.
    unsafe { hook::set_replacement(nr::write, Some(refuse)) }.unwrap();
    // SAFETY: the buffer is valid for reads; the test owns `w`.
    let refused = unsafe { write(w, b"never") };
    // SAFETY: as above.
    let raw = unsafe { syscall!(nr::write, w, b"x".as_ptr(), 1usize) };
    // The other numbers are untouched.
    // SAFETY: getppid writes no memory.
    let ppid = unsafe { syscall_readonly!(nr::getppid) };
    // SAFETY: removing the replacement.
    unsafe { hook::set_replacement(nr::write, None) }.unwrap();
    assert_eq!(refused, Err(Errno::EPERM));
    assert_eq!(raw, Err(Errno::EPERM));
    assert!(ppid.is_ok());
    // Nothing reached the pipe: a write after removal is the only content.
    // SAFETY: as above.
    unsafe { write(w, b"after") }.unwrap();
    close(w);
    assert_eq!(read_all(r), b"after");
    close(r);
}

static REDIRECT_TO: AtomicUsize = AtomicUsize::new(0);

fn redirect(call: &mut Call<'_>) -> RawRet {
    // SAFETY: the new descriptor is a pipe the test owns; the buffer is unchanged.
    unsafe {
        call.set_arg(0, REDIRECT_TO.load(Ordering::Relaxed));
        call.real()
    }
}

#[test]
fn a_hook_can_change_the_arguments() {
    let _turn = turn();
    let (r1, w1) = pipe();
    let (r2, w2) = pipe();
    REDIRECT_TO.store(w2 as usize, Ordering::Relaxed);
    // SAFETY: the hook only swaps one owned pipe for another.
    unsafe { hook::set_replacement(nr::write, Some(redirect)) }.unwrap();
    // SAFETY: the buffer is valid for reads; the test owns `w1`.
    let n = unsafe { write(w1, b"moved") };
    // SAFETY: removing the replacement.
    unsafe { hook::set_replacement(nr::write, None) }.unwrap();
    assert_eq!(n, Ok(5));
    close(w1);
    close(w2);
    assert_eq!(read_all(r2), b"moved");
    assert_eq!(read_all(r1), b"");
    close(r1);
    close(r2);
}

fn to_getpid(call: &mut Call<'_>) -> RawRet {
    // SAFETY: getpid takes no arguments and writes no memory.
    unsafe {
        call.set_nr(nr::getpid);
        call.real()
    }
}

#[declare(readonly)]
unsafe fn getppid() -> u32;

#[test]
fn a_hook_can_change_the_number() {
    let _turn = turn();
    // SAFETY: getppid and getpid take no arguments; the result is a process id either way.
    unsafe { hook::set_replacement(nr::getppid, Some(to_getpid)) }.unwrap();
    // A declared wrapper (a constant number: its own stub, left for the generic one), a raw
    // call with a constant number, and one with a number known only at run time.
    // SAFETY: getppid writes no memory.
    let declared = unsafe { getppid() };
    // SAFETY: as above.
    let constant = unsafe { syscall_readonly!(nr::getppid) };
    let runtime = std::hint::black_box(nr::getppid);
    // SAFETY: as above.
    let dynamic = unsafe { syscall_readonly!(runtime) };
    // SAFETY: removing the replacement.
    unsafe { hook::set_replacement(nr::getppid, None) }.unwrap();
    let pid = std::process::id();
    assert_eq!(declared, pid);
    assert_eq!(constant, Ok(pid as usize));
    assert_eq!(dynamic, Ok(pid as usize));
    // And without the replacement, getppid is getppid again.
    // SAFETY: as above.
    assert_eq!(unsafe { getppid() }, std::os::unix::process::parent_id());
}

static NESTED: AtomicUsize = AtomicUsize::new(0);

fn nested(call: &mut Call<'_>) -> RawRet {
    NESTED.fetch_add(1, Ordering::Relaxed);
    // The hook's own calls go straight to the kernel: no recursion.
    // SAFETY: getpid writes no memory.
    let pid = unsafe { syscall_readonly!(nr::getpid) }.unwrap();
    assert_eq!(pid as u32, std::process::id());
    // SAFETY: the call is made once, as the caller asked.
    unsafe { call.real() }
}

#[test]
fn a_hook_making_system_calls_does_not_recurse() {
    let _turn = turn();
    NESTED.store(0, Ordering::Relaxed);
    // SAFETY: the hook makes each call as asked.
    unsafe { hook::set_hook(Some(nested)) };
    // SAFETY: getppid writes no memory.
    let r = unsafe { syscall_readonly!(nr::getppid) };
    // SAFETY: removing the hook.
    unsafe { hook::set_hook(None) };
    assert!(r.is_ok());
    assert_eq!(NESTED.load(Ordering::Relaxed), 1);
}

#[test]
fn a_replacement_wins_over_the_process_wide_hook_and_survives_its_removal() {
    let _turn = turn();
    SEEN.store(0, Ordering::Relaxed);
    // SAFETY: both hooks return trustworthy results.
    unsafe {
        hook::set_replacement(nr::getppid, Some(refuse)).unwrap();
        hook::set_hook(Some(count));
    }
    // SAFETY: getppid and getpid write no memory.
    let (ppid, pid) = unsafe {
        (
            syscall_readonly!(nr::getppid),
            syscall_readonly!(nr::getpid),
        )
    };
    // SAFETY: removing the process-wide hook.
    unsafe { hook::set_hook(None) };
    // SAFETY: as above.
    let still = unsafe { syscall_readonly!(nr::getppid) };
    // SAFETY: removing the replacement.
    unsafe { hook::set_replacement(nr::getppid, None) }.unwrap();
    assert_eq!(ppid, Err(Errno::EPERM));
    assert!(pid.is_ok());
    assert_eq!(
        SEEN.load(Ordering::Relaxed),
        1,
        "only getpid reached the counting hook"
    );
    assert_eq!(still, Err(Errno::EPERM));
    // SAFETY: as above.
    assert!(unsafe { syscall_readonly!(nr::getppid) }.is_ok());
}

#[test]
fn a_number_outside_the_table_cannot_have_a_replacement() {
    let _turn = turn();
    // SAFETY: nothing is installed (the number has no slot).
    let r = unsafe { hook::set_replacement(usize::MAX, Some(refuse)) };
    assert_eq!(r.err(), Some(Errno::EINVAL));
}

#[test]
fn every_number_of_the_table_has_a_slot() {
    // It sets (to nothing) every number's replacement: not while another test has one.
    let _turn = turn();
    for &(name, n) in libsys::nr::all() {
        // arm's private calls (cacheflush, set_tls, …) live at 0x0f0000 and up.
        if cfg!(target_arch = "arm") && n >= 0x0f_0000 {
            continue;
        }
        // SAFETY: installing and removing nothing changes nothing.
        let r = unsafe { hook::set_replacement(n, None) };
        assert!(r.is_ok(), "{name} ({n}) has no slot");
    }
}

#[test]
fn installing_and_removing_races_with_calls_from_other_threads() {
    let _turn = turn();
    let stop = std::sync::atomic::AtomicBool::new(false);
    // Each caller's count of calls, read by the installing loop: it goes on until every caller
    // has made calls while hooks came and went, however the threads are scheduled.
    let made: [std::sync::atomic::AtomicU32; 3] = Default::default();
    std::thread::scope(|s| {
        let callers: Vec<_> = made
            .iter()
            .map(|made| {
                let stop = &stop;
                s.spawn(move || {
                    while !stop.load(Ordering::Relaxed) {
                        // SAFETY: getppid writes no memory.
                        let r = unsafe { syscall_readonly!(nr::getppid) };
                        assert!(r.is_ok() || r == Err(Errno::EPERM), "{r:?}");
                        made.fetch_add(1, Ordering::Relaxed);
                    }
                })
            })
            .collect();
        let mut rounds = 0u32;
        while rounds < 1000 || made.iter().any(|m| m.load(Ordering::Relaxed) < 100) {
            // SAFETY: both hooks return trustworthy results.
            unsafe {
                hook::set_hook(Some(count));
                hook::set_replacement(nr::getppid, Some(refuse)).unwrap();
                hook::set_replacement(nr::getppid, None).unwrap();
                hook::set_hook(None);
            }
            rounds += 1;
            if rounds.is_multiple_of(64) {
                // Let a caller that has no core of its own run (the loop's end waits for it).
                std::thread::yield_now();
            }
        }
        stop.store(true, Ordering::Relaxed);
        for c in callers {
            c.join().unwrap();
        }
    });
    assert!(made.iter().all(|m| m.load(Ordering::Relaxed) >= 100));
    // SAFETY: as above.
    assert!(unsafe { syscall_readonly!(nr::getppid) }.is_ok());
}

#[declare]
unsafe fn openat(
    dirfd: i32,
    path: &core::ffi::CStr,
    flags: i32,
    mode: u32,
) -> Result<std::os::fd::OwnedFd, Errno>;

#[declare]
unsafe fn read(fd: std::os::fd::BorrowedFd<'_>, buf: &mut [u8]) -> Result<usize, Errno>;

static KINDS: Mutex<Vec<(&str, &[libsys::ArgKind])>> = Mutex::new(Vec::new());

fn record_kinds(call: &mut Call<'_>) -> RawRet {
    if let Some(m) = call.meta() {
        KINDS.lock().unwrap().push((m.name, m.kinds));
    }
    // SAFETY: each call is made once, as the caller asked.
    unsafe { call.real() }
}

#[test]
fn the_meta_says_what_each_declared_argument_is() {
    use libsys::ArgKind::{BufOut, Fd, Flags, Path};
    use std::os::fd::AsFd;
    let _turn = turn();
    KINDS.lock().unwrap().clear();
    // SAFETY: the hook makes each call as asked.
    unsafe { hook::set_hook(Some(record_kinds)) };
    // SAFETY: a NUL-terminated path; the descriptor returned is owned by nobody else.
    let fd = unsafe {
        openat(
            -100,
            c"/proc/self/stat",
            libc::O_RDONLY | libc::O_CLOEXEC,
            0,
        )
    };
    let mut buf = [0u8; 16];
    // SAFETY: `buf` is valid for writes of its length.
    let n = fd.as_ref().map(|fd| unsafe { read(fd.as_fd(), &mut buf) });
    // SAFETY: removing the hook.
    unsafe { hook::set_hook(None) };
    assert!(matches!(n, Ok(Ok(16))), "{n:?}");
    let kinds = KINDS.lock().unwrap().clone();
    assert_eq!(
        kinds,
        [
            ("openat", &[Fd, Path, Flags, Flags][..]),
            ("read", &[Fd, BufOut][..])
        ]
    );
}

type Seen = (usize, Option<RawRet>, Vec<usize>, Option<&'static str>);
static OBSERVED: Mutex<Vec<Seen>> = Mutex::new(Vec::new());

fn watch(call: &Call<'_>, ret: Option<RawRet>) {
    // The result the observer is given and the one `real` returns are the same.
    // SAFETY: for an observed call, `real` returns the result already made.
    assert_eq!(ret, Some(unsafe { call.real() }));
    assert!(!call.vdso() && !call.answered_by_vdso());
    OBSERVED.lock().unwrap().push((
        call.nr(),
        ret,
        call.args().to_vec(),
        call.meta().map(|m| m.name),
    ));
}

#[test]
fn an_observer_is_told_each_call_and_its_result_after_it_was_made() {
    let _turn = turn();
    OBSERVED.lock().unwrap().clear();
    let (r, w) = pipe();
    assert!(hook::set_observer(Some(watch)).is_none());
    // SAFETY: the buffer is valid for reads; the test owns `w`.
    let n = unsafe { write(w, b"seen") };
    // SAFETY: closing a descriptor that does not exist touches nothing.
    let bad = unsafe { syscall_readonly!(nr::close, -1) };
    // A replacement takes precedence over the observer for its number.
    // SAFETY: an error is a result the caller can trust.
    unsafe { hook::set_replacement(nr::getppid, Some(refuse)) }.unwrap();
    // SAFETY: getppid writes no memory.
    let ppid = unsafe { syscall_readonly!(nr::getppid) };
    // SAFETY: removing the replacement.
    unsafe { hook::set_replacement(nr::getppid, None) }.unwrap();
    let old = hook::set_observer(None);
    assert!(old.is_some());
    assert_eq!(n, Ok(4));
    assert_eq!(bad, Err(Errno::EBADF));
    assert_eq!(ppid, Err(Errno::EPERM));
    assert_eq!(read_all(r), b"seen");
    let seen = OBSERVED.lock().unwrap().clone();
    assert_eq!(
        seen,
        [
            (
                nr::write,
                Some(RawRet(4)),
                vec![w as usize, b"seen".as_ptr() as usize, 4],
                Some("write")
            ),
            (
                nr::close,
                Some(RawRet::from(Errno::EBADF)),
                vec![usize::MAX],
                None
            ),
        ]
    );
    close(r);
    close(w);
}
