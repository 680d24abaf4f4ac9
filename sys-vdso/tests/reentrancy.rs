//! getrandom where a state could be shared by mistake: from a signal handler that interrupts a
//! getrandom of the same thread (the handler must get another state or the system call, never
//! the interrupted call's state), and in a child after fork (parent and child must not produce
//! the same bytes). Oracles: the values themselves (distinct draws), and a flag the main loop
//! sets around its calls, so the handler knows it interrupted one. Facts: signal-safety(7),
//! pthread_kill(3), fork(2).

// System calls through inline asm, which Miri does not run: the parser is tested under Miri
// by the unit tests (`cargo +nightly miri test -p sys-vdso`).
#![cfg(not(miri))]

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// `SIGUSR1`: 16 on mips, where libc 0.2.191 gives mips64 glibc the generic 10 (`SIGBUS` there;
/// its cfg in `src/new/glibc/sysdeps/unix/linux/mod.rs` omits "mips64").
const SIGUSR1: libc::c_int = if cfg!(any(target_arch = "mips", target_arch = "mips64")) {
    16
} else {
    libc::SIGUSR1
};

static IN_CALL: AtomicBool = AtomicBool::new(false);
static HANDLED: AtomicUsize = AtomicUsize::new(0);
static NESTED: AtomicUsize = AtomicUsize::new(0);
static BAD: AtomicUsize = AtomicUsize::new(0);

extern "C" fn on_signal(_: libc::c_int) {
    // Async-signal-safe: sys_vdso::getrandom takes a pool state with atomics (or makes the
    // system call) and allocates nothing.
    let nested = IN_CALL.load(Ordering::Relaxed);
    let mut b = [0u8; 32];
    match sys_vdso::getrandom(&mut b, 0) {
        Ok(32) if b != [0u8; 32] => {}
        _ => {
            BAD.fetch_add(1, Ordering::Relaxed);
        }
    }
    HANDLED.fetch_add(1, Ordering::Relaxed);
    if nested {
        NESTED.fetch_add(1, Ordering::Relaxed);
    }
}

#[test]
fn getrandom_in_a_signal_handler_that_interrupts_getrandom() {
    // signal(3), not sigaction: libc 0.2.191 gives mips64 glibc the generic `struct sigaction`
    // layout, not mips' (sa_flags first). glibc's signal() installs with SA_RESTART.
    let handler = on_signal as extern "C" fn(libc::c_int) as libc::sighandler_t;
    // SAFETY: the handler is async-signal-safe (see above).
    let old = unsafe { libc::signal(SIGUSR1, handler) };
    assert_ne!(old, libc::SIG_ERR);
    // SAFETY: pthread_self has no preconditions. (Carried as an integer: `pthread_t` is a
    // pointer on musl, which is not `Send`.)
    let me = unsafe { libc::pthread_self() } as usize;
    let stop = AtomicBool::new(false);
    std::thread::scope(|s| {
        s.spawn(|| {
            while !stop.load(Ordering::Relaxed) {
                // SAFETY: `me` is the test thread, alive until `stop` is set (scope join).
                unsafe { libc::pthread_kill(me as libc::pthread_t, SIGUSR1) };
                std::thread::sleep(Duration::from_micros(50));
            }
        });
        let start = Instant::now();
        let mut last = [0u8; 64];
        let mut calls = 0u64;
        while start.elapsed() < Duration::from_secs(20)
            && (NESTED.load(Ordering::Relaxed) < 50 || calls < 10_000)
        {
            let mut b = [0u8; 64];
            IN_CALL.store(true, Ordering::Relaxed);
            let r = sys_vdso::getrandom(&mut b, 0);
            IN_CALL.store(false, Ordering::Relaxed);
            assert_eq!(r, Ok(64));
            assert_ne!(b, last, "two draws are equal");
            last = b;
            calls += 1;
        }
        stop.store(true, Ordering::Relaxed);
        println!(
            "{calls} calls, {} signals handled, {} while a call was running",
            HANDLED.load(Ordering::Relaxed),
            NESTED.load(Ordering::Relaxed)
        );
    });
    assert_eq!(
        BAD.load(Ordering::Relaxed),
        0,
        "a handler's getrandom failed"
    );
    assert!(
        NESTED.load(Ordering::Relaxed) > 0,
        "no signal arrived during a getrandom"
    );
}

#[test]
fn parent_and_child_draw_different_bytes_after_fork() {
    let mut warm = [0u8; 16];
    sys_vdso::random::fill(&mut warm, 0).unwrap();
    let mut fds = [0i32; 2];
    // SAFETY: `fds` is valid for two ints.
    assert_eq!(unsafe { libc::pipe(fds.as_mut_ptr()) }, 0);
    // SAFETY: the child only calls async-signal-safe functions (getrandom through sys-vdso,
    // write, _exit) before it exits.
    let pid = unsafe { libc::fork() };
    assert!(pid >= 0);
    if pid == 0 {
        let mut b = [0u8; 32];
        let ok = sys_vdso::random::fill(&mut b, 0).is_ok();
        // SAFETY: `b` is valid for reads; the child exits right after.
        unsafe {
            libc::write(fds[1], b.as_ptr().cast(), b.len());
            libc::_exit(if ok { 0 } else { 1 });
        }
    }
    let mut ours = [0u8; 32];
    sys_vdso::random::fill(&mut ours, 0).unwrap();
    let mut theirs = [0u8; 32];
    // SAFETY: `theirs` is valid for writes of its length.
    let n = unsafe { libc::read(fds[0], theirs.as_mut_ptr().cast(), theirs.len()) };
    let mut status = 0;
    // SAFETY: `pid` is our child.
    assert_eq!(unsafe { libc::waitpid(pid, &mut status, 0) }, pid);
    // SAFETY: closing our pipe ends.
    unsafe {
        libc::close(fds[0]);
        libc::close(fds[1]);
    }
    assert!(libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0);
    assert_eq!(n, 32);
    assert_ne!(ours, theirs, "parent and child drew the same bytes");
    assert_ne!(theirs, [0u8; 32]);
}
