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

    /// x86: `nr` with a 32-bit `syscall` of this program's own and the frame
    /// `__kernel_vsyscall` builds, except that the word where its caller's return address
    /// would be is `forged` (a `ret` in the vDSO, which then returns here). SIGILL on CPUs
    /// without the instruction in compatibility mode (Intel).
    #[cfg(target_arch = "x86")]
    #[unsafe(naked)]
    unsafe extern "C" fn forged_syscall(_nr: usize, _forged: usize) -> isize {
        core::arch::naked_asm!(
            "push ebx",
            "mov eax, [esp + 8]",
            "mov edx, [esp + 12]",
            "xor ebx, ebx",
            "call 2f",
            "pop ebx",
            "ret",
            "2:",
            "push edx",
            "push ecx",
            "push edx",
            "push ebp",
            "mov ebp, ecx",
            "syscall",
            "ud2"
        )
    }

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
            // A handler installed through libc returns (its restorer's rt_sigreturn is made at
            // the program's stack pointer when libc's code is emulated), and the program goes
            // on where the signal interrupted it.
            #[cfg(feature = "std")]
            "libc-handler" => {
                static HANDLED: std::sync::atomic::AtomicBool =
                    std::sync::atomic::AtomicBool::new(false);
                extern "C" fn on_usr1(_: i32) {
                    HANDLED.store(true, std::sync::atomic::Ordering::SeqCst);
                }
                // SAFETY: a handler that only stores to an atomic.
                unsafe { libc::signal(libc::SIGUSR1, on_usr1 as *const () as usize) };
                let mut d = Dispatch::new(Otherwise::Errno(Errno::EPERM));
                if let Some(v) = sys_restrict::vdso_range() {
                    d = d.emulate(v);
                }
                for r in sys_restrict::install::libc_ranges() {
                    d = d.emulate(r.start as usize..r.end as usize);
                }
                if let Err(e) = sud::enable(&d, Some(&SELECTOR)) {
                    fail(&format!("enable: {e:?}"));
                }
                for round in 0..3 {
                    HANDLED.store(false, std::sync::atomic::Ordering::SeqCst);
                    // SAFETY: signals this process.
                    let sent = unsafe {
                        let pid = syscall_readonly!(nr::getpid).unwrap_or(0);
                        syscall_readonly!(nr::kill, pid, libc::SIGUSR1)
                    };
                    if sent.is_err() || !HANDLED.load(std::sync::atomic::Ordering::SeqCst) {
                        fail(&format!(
                            "round {round}: the handler did not run ({sent:?})"
                        ));
                    }
                }
            }
            // x86: an own 32-bit `syscall` (AMD) with a `ret` of the vDSO's where
            // `__kernel_vsyscall`'s caller would be is not made on the attacker's behalf: the
            // handler does not judge a call by a word the caller wrote.
            "forged-return" => {
                #[cfg(target_arch = "x86")]
                {
                    // A regression may loop through the landing pad: a timer ends it.
                    // SAFETY: alarm(2) only arms a timer.
                    unsafe { libc::alarm(10) };
                    enable(Otherwise::Errno(Errno::EPERM));
                    let vdso = sys_vdso::Vdso::get().unwrap_or_else(|| fail("no vDSO"));
                    let vsyscall = vdso
                        .lookup("__kernel_vsyscall", None)
                        .unwrap_or_else(|| fail("no __kernel_vsyscall"))
                        .as_ptr() as usize;
                    // Its last instruction is a `ret` (0xc3), within 16 bytes.
                    // SAFETY: the vDSO's code is readable.
                    let code = unsafe { std::slice::from_raw_parts(vsyscall as *const u8, 16) };
                    let ret = vsyscall
                        + code
                            .iter()
                            .position(|&b| b == 0xc3)
                            .unwrap_or_else(|| fail("no ret"));
                    // SAFETY: getppid writes no memory; the frame is popped by the landing pad.
                    let r = unsafe { forged_syscall(nr::getppid, ret) };
                    if r != -(libc::EPERM as isize) {
                        fail(&format!("the forged call returned {r}, not -EPERM"));
                    }
                    // Without a selector too.
                    if let Err(e) = sud::enable(
                        &Dispatch::new(Otherwise::Errno(Errno::EPERM))
                            .emulate(sys_restrict::vdso_range().unwrap_or(0..0)),
                        None,
                    ) {
                        fail(&format!("enable: {e:?}"));
                    }
                    // SAFETY: as above.
                    let r = unsafe { forged_syscall(nr::getppid, ret) };
                    if r != -(libc::EPERM as isize) {
                        fail(&format!("without a selector the forged call returned {r}"));
                    }
                    // The vDSO's own fallback still works.
                    if sys_vdso::clock_gettime(sys_vdso::ClockId::PROCESS_CPUTIME_ID).is_err() {
                        fail("the vDSO's fallback was refused");
                    }
                    let _ = sud::disable_thread();
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
        #[cfg(feature = "std")]
        ("libc-handler", Ok(0)),
        ("forged-return", Ok(0)),
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
