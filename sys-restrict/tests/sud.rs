//! Syscall User Dispatch, natively (x86_64 and x86; qemu-user cannot run it for a guest):
//! each case runs in a fresh process (this binary again, with `SUD_CASE` set), enables
//! dispatch and checks what the kernel does to calls from libsys's stubs, from libc, from the
//! vDSO, with the selector open and closed, in a new thread and after `fork`. The parent checks
//! how each child ended. `harness = false`: a child must not share the process with test
//! threads. Prints `N passed, M failed`.

#[cfg(all(feature = "outline", any(target_arch = "x86_64", target_arch = "x86")))]
mod cases {
    use std::os::unix::process::ExitStatusExt;
    use sys_core::{Errno, nr, syscall_readonly};
    use sys_restrict::sud::{self, ALLOW, BLOCK, Dispatch, Otherwise, Selector};

    static SELECTOR: Selector = Selector::new(BLOCK);

    /// A failed expectation in a child: the message on stderr, exit status 1.
    fn fail(msg: &str) -> ! {
        eprintln!("child: {msg}");
        std::process::exit(1)
    }

    fn libc_getppid_errno() -> Option<i32> {
        // SAFETY: getppid through libc's syscall(2): its instruction is in libc, outside the
        // stubs.
        let r = unsafe { libc::syscall(libc::SYS_getppid) };
        if r == -1 {
            Some(std::io::Error::last_os_error().raw_os_error().unwrap_or(0))
        } else {
            None
        }
    }

    fn enable(otherwise: Otherwise) {
        let mut d = Dispatch::new(otherwise);
        if let Some(v) = sys_restrict::vdso_range() {
            d = d.emulate(v);
        }
        if let Err(e) = sud::enable(&d, Some(&SELECTOR)) {
            fail(&format!("enable: {e:?}"));
        }
    }

    /// Runs case `name` in this (child) process; returns only if it passed.
    pub fn run(name: &str) {
        let ppid = std::os::unix::process::parent_id() as usize;
        match name {
            // libsys's calls go through, libc's fail with the chosen errno, and the handler
            // returned each time (its rt_sigreturn from libsys's restorer was allowed with the
            // selector still at BLOCK).
            "errno" => {
                enable(Otherwise::Errno(Errno::EPERM));
                for _ in 0..3 {
                    // SAFETY: getppid writes no memory.
                    match unsafe { syscall_readonly!(nr::getppid) } {
                        Ok(p) if p == ppid => {}
                        other => fail(&format!("libsys getppid: {other:?}")),
                    }
                    if libc_getppid_errno() != Some(libc::EPERM) {
                        fail("libc's getppid was not refused with EPERM");
                    }
                }
            }
            // The selector opens and closes the gate for the thread.
            "selector" => {
                enable(Otherwise::Errno(Errno::EACCES));
                SELECTOR.store(ALLOW, std::sync::atomic::Ordering::Relaxed);
                if libc_getppid_errno().is_some() {
                    fail("libc's getppid failed with the selector at ALLOW");
                }
                SELECTOR.store(BLOCK, std::sync::atomic::Ordering::Relaxed);
                if libc_getppid_errno() != Some(libc::EACCES) {
                    fail("libc's getppid was not refused with the selector back at BLOCK");
                }
            }
            // The vDSO's own fallback system call (CPU-time clocks are not served from the vDSO
            // data page) is made on its behalf, with the right result.
            "vdso" => {
                enable(Otherwise::Errno(Errno::EPERM));
                if sys_restrict::vdso_range().is_none() {
                    fail("no vDSO in a native process");
                }
                match sys_vdso::clock_gettime(sys_vdso::ClockId::PROCESS_CPUTIME_ID) {
                    Ok(t) if t.sec > 0 || t.nsec > 0 => {}
                    other => fail(&format!("vDSO CPU-time clock: {other:?}")),
                }
            }
            // Anything else ends the process with SIGSYS.
            "kill" => {
                enable(Otherwise::KillProcess);
                let _ = libc_getppid_errno();
                fail("still alive after a refused call");
            }
            // A thread created after `enable` starts without dispatch (clone clears it) and
            // gets it with `enable_thread`.
            "thread" => {
                enable(Otherwise::Errno(Errno::EPERM));
                // Thread creation goes through libc: let it through, then close again.
                SELECTOR.store(ALLOW, std::sync::atomic::Ordering::Relaxed);
                let t = std::thread::spawn(|| {
                    let before = libc_getppid_errno();
                    static OWN: Selector = Selector::new(BLOCK);
                    let enabled = sud::enable_thread(Some(&OWN));
                    let after = libc_getppid_errno();
                    OWN.store(ALLOW, std::sync::atomic::Ordering::Relaxed);
                    (before, enabled, after)
                });
                let (before, enabled, after) = t.join().unwrap_or_else(|_| fail("thread"));
                if before.is_some() {
                    fail("a new thread inherited dispatch");
                }
                if enabled.is_err() || after != Some(libc::EPERM) {
                    fail("enable_thread did not turn dispatch on in the new thread");
                }
            }
            // fork does not keep dispatch in the child (the kernel clears it, as for a new
            // thread); `enable_thread` in the child turns it on there.
            "fork" => {
                enable(Otherwise::Errno(Errno::EPERM));
                SELECTOR.store(ALLOW, std::sync::atomic::Ordering::Relaxed);
                // SAFETY: the child only makes system calls and exits.
                let pid = unsafe { libc::fork() };
                if pid == 0 {
                    SELECTOR.store(BLOCK, std::sync::atomic::Ordering::Relaxed);
                    let inherited = libc_getppid_errno().is_some();
                    let enabled = sud::enable_thread(Some(&SELECTOR)).is_ok();
                    let refused = libc_getppid_errno() == Some(libc::EPERM);
                    SELECTOR.store(ALLOW, std::sync::atomic::Ordering::Relaxed);
                    let code = match (inherited, enabled, refused) {
                        (false, true, true) => 0,
                        (true, _, _) => 3,
                        _ => 4,
                    };
                    // SAFETY: ends the forked child.
                    unsafe { libc::_exit(code) };
                }
                let mut status = 0;
                // SAFETY: waits for the child forked above.
                unsafe { libc::waitpid(pid, &mut status, 0) };
                if !libc::WIFEXITED(status) || libc::WEXITSTATUS(status) != 0 {
                    fail(&format!(
                        "the forked child: 3 = kept dispatch, 4 = enable_thread failed (status {status:#x})"
                    ));
                }
            }
            _ => fail("unknown case"),
        }
        SELECTOR.store(ALLOW, std::sync::atomic::Ordering::Relaxed);
        std::process::exit(0)
    }

    /// The cases and how their processes must end: `Ok(code)` for an exit status, `Err(sig)`
    /// for a signal.
    pub const CASES: &[(&str, Result<i32, i32>)] = &[
        ("errno", Ok(0)),
        ("selector", Ok(0)),
        ("vdso", Ok(0)),
        ("kill", Err(libc::SIGSYS)),
        ("thread", Ok(0)),
        ("fork", Ok(0)),
    ];

    pub fn main() {
        if let Ok(case) = std::env::var("SUD_CASE") {
            run(&case);
        }
        let me = std::env::current_exe().unwrap();
        let (mut passed, mut failed) = (0, 0);
        for (case, want) in CASES {
            let out = std::process::Command::new(&me)
                .env("SUD_CASE", case)
                .output()
                .unwrap();
            let got = match (out.status.code(), out.status.signal()) {
                (Some(c), _) => Ok(c),
                (None, Some(s)) => Err(s),
                _ => Ok(-1),
            };
            if got == *want {
                println!("ok sud::{case}");
                passed += 1;
            } else {
                println!(
                    "FAIL sud::{case}: ended with {got:?}, expected {want:?}; stderr: {}",
                    String::from_utf8_lossy(&out.stderr).trim()
                );
                failed += 1;
            }
        }
        println!("{passed} passed, {failed} failed");
        if failed > 0 {
            std::process::exit(1);
        }
    }
}

fn main() {
    #[cfg(all(feature = "outline", any(target_arch = "x86_64", target_arch = "x86")))]
    cases::main();
}
