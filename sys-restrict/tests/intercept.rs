//! Interception of every system call (`sys_restrict::intercept`), natively on x86_64 and x86
//! (i686 binaries on an x86_64 kernel run them natively too): each
//! case runs in a fresh process (this binary again, with `INTERCEPT_CASE` set). The `std` case
//! runs under `strace -f -qq` too, and the names of the calls the hook saw are compared with
//! strace's between two marker calls. `harness = false`: a child must not share the process
//! with test threads. Prints `N passed, M failed`.

#[cfg(any(target_arch = "x86_64", target_arch = "x86"))]
mod cases {
    use std::collections::BTreeSet;
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    use sys_core::hook::{self, Call};
    use sys_core::{Errno, RawRet, nr};
    use sys_restrict::intercept;

    #[allow(
        clippy::declare_interior_mutable_const,
        reason = "an array initialiser"
    )]
    const ZERO: AtomicUsize = AtomicUsize::new(0);
    static COUNTS: [AtomicUsize; 512] = [ZERO; 512];
    static SIGNALLED: AtomicBool = AtomicBool::new(false);

    fn count(call: &mut Call<'_>) -> RawRet {
        if let Some(c) = COUNTS.get(call.nr()) {
            c.fetch_add(1, Ordering::Relaxed);
        }
        // SAFETY: the caller's call, made once.
        unsafe { call.real() }
    }

    fn deny(_call: &mut Call<'_>) -> RawRet {
        Errno::EPERM.into()
    }

    extern "C" fn on_usr1(_sig: libc::c_int) {
        SIGNALLED.store(true, Ordering::Relaxed);
    }

    fn fail(msg: &str) -> ! {
        eprintln!("child: {msg}");
        std::process::exit(1)
    }

    /// Calls the `std` case must show the hook: file I/O, the threads' `clone3`, the return
    /// of the program's handler, fork's `clone` and `wait4`. x86: the handler returns through
    /// the vDSO's `__kernel_sigreturn` (glibc leaves the restorer to the kernel when there is
    /// a vDSO), whose call Syscall User Dispatch lets through (`arch_syscall_is_vdso_sigreturn`
    /// in `kernel/entry/syscall_user_dispatch.c`): the hook cannot see it; the `restorer` case
    /// checks the returns the hook does see.
    #[cfg(target_arch = "x86_64")]
    const MUST: &[&str] = &[
        "openat",
        "write",
        "read",
        "clone3",
        "rt_sigreturn",
        "clone",
        "wait4",
    ];
    #[cfg(target_arch = "x86")]
    const MUST: &[&str] = &["openat", "write", "read", "clone3", "clone", "wait4"];

    /// strace's names that the hook does not see in the `std` case: the fork child's
    /// `exit_group` (the hook sees it in the child's copy of the counters), and on x86 the
    /// returns of signal handlers (libsys's own restorer's `rt_sigreturn`, the vDSO's
    /// `sigreturn` for the program's handler: see [`MUST`]).
    #[cfg(target_arch = "x86_64")]
    pub const UNSEEN: &[&str] = &["exit_group"];
    #[cfg(target_arch = "x86")]
    pub const UNSEEN: &[&str] = &["exit_group", "rt_sigreturn", "sigreturn"];

    /// The marker calls that bound the compared window in strace's output.
    const MARK: libc::pid_t = 0x7eadbeef;
    fn marker() {
        // SAFETY: getpgid of a process that does not exist: ESRCH, nothing written.
        let _ = unsafe { libc::getpgid(MARK) };
    }

    fn work(dir: &std::path::Path) {
        let f = dir.join("main.txt");
        std::fs::write(&f, b"hello").unwrap_or_else(|e| fail(&format!("write: {e}")));
        let back = std::fs::read(&f).unwrap_or_else(|e| fail(&format!("read: {e}")));
        if back != b"hello" {
            fail("read back something else");
        }
        println!("intercept: main thread wrote and read {}", f.display());
        let threads: Vec<_> = (0..2)
            .map(|i| {
                let p = dir.join(format!("t{i}.txt"));
                std::thread::spawn(move || {
                    std::fs::write(&p, format!("thread {i}")).map(|_| std::fs::read(&p))
                })
            })
            .collect();
        for t in threads {
            match t.join() {
                Ok(Ok(Ok(_))) => {}
                _ => fail("a thread's I/O failed"),
            }
        }
        // SAFETY: a handler that only stores to an atomic; raise sends it to this thread.
        unsafe {
            libc::signal(libc::SIGUSR1, on_usr1 as *const () as libc::sighandler_t);
            libc::raise(libc::SIGUSR1);
        }
        if !SIGNALLED.load(Ordering::Relaxed) {
            fail("the program's own signal handler did not run");
        }
        // SAFETY: the child only exits.
        let pid = unsafe { libc::fork() };
        if pid == 0 {
            // SAFETY: ends the child at once.
            unsafe { libc::_exit(7) };
        }
        let mut status = 0;
        // SAFETY: waits for our own child.
        if unsafe { libc::waitpid(pid, &mut status, 0) } != pid
            || !libc::WIFEXITED(status)
            || libc::WEXITSTATUS(status) != 7
        {
            fail(&format!("fork child: status {status:#x}"));
        }
        println!("intercept: threads joined, signal handled, fork child exited 7");
    }

    pub fn run(name: &str) {
        let dir = std::env::temp_dir().join(format!("intercept-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| fail(&format!("mkdir: {e}")));
        match name {
            "std" => {
                marker();
                // SAFETY: the counting hook returns the kernel's answers.
                unsafe { hook::set_hook(Some(count)) };
                intercept::start().unwrap_or_else(|e| fail(&format!("start: {e:?}")));
                work(&dir);
                // SAFETY: removing the hook.
                unsafe { hook::set_hook(None) };
                marker();
                let _ = intercept::stop_this_thread();
                let names: BTreeSet<&str> = COUNTS
                    .iter()
                    .enumerate()
                    .filter(|(_, c)| c.load(Ordering::Relaxed) > 0)
                    .filter_map(|(n, _)| nr::name(n))
                    .collect();
                let list: Vec<&str> = names.into_iter().collect();
                if let Ok(out) = std::env::var("INTERCEPT_NAMES") {
                    std::fs::write(out, list.join("\n")).unwrap_or_else(|e| fail(&format!("{e}")));
                }
                for &must in MUST {
                    if !list.contains(&must) {
                        fail(&format!("the hook did not see {must}: {list:?}"));
                    }
                }
            }
            "deny" => {
                let f = dir.join("keep.txt");
                std::fs::write(&f, b"x").unwrap_or_else(|e| fail(&format!("write: {e}")));
                // SAFETY: the replacement returns an error.
                unsafe {
                    let _ = hook::set_replacement(nr::unlinkat, Some(deny));
                    let _ = hook::set_replacement(nr::unlink, Some(deny));
                }
                intercept::start().unwrap_or_else(|e| fail(&format!("start: {e:?}")));
                match std::fs::remove_file(&f) {
                    Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {}
                    other => fail(&format!("remove_file: {other:?}")),
                }
                if !f.exists() {
                    fail("the file was removed");
                }
                // SAFETY: removing the replacements.
                unsafe {
                    let _ = hook::set_replacement(nr::unlinkat, None);
                    let _ = hook::set_replacement(nr::unlink, None);
                }
                std::fs::remove_file(&f).unwrap_or_else(|e| fail(&format!("cleanup: {e}")));
            }
            #[cfg(target_arch = "x86")]
            "restorer" => restorer_case(),
            "bench" => {
                const N: u32 = 200_000;
                let time = || {
                    let t = std::time::Instant::now();
                    for _ in 0..N {
                        // SAFETY: getppid through libc's syscall(2).
                        std::hint::black_box(unsafe { libc::getppid() });
                    }
                    t.elapsed().as_nanos() as f64 / f64::from(N)
                };
                let plain = time();
                // SAFETY: the counting hook returns the kernel's answers.
                unsafe { hook::set_hook(Some(count)) };
                intercept::start().unwrap_or_else(|e| fail(&format!("start: {e:?}")));
                let hooked = time();
                let _ = intercept::stop_this_thread();
                // SAFETY: removing the hook.
                unsafe { hook::set_hook(None) };
                let seen = COUNTS[nr::getppid].load(Ordering::Relaxed);
                println!(
                    "getppid via libc: {plain:.0} ns/call plain, {hooked:.0} ns/call intercepted \
                     with a counting hook ({seen} seen)"
                );
                if seen < N as usize {
                    fail("the hook missed calls");
                }
            }
            other => fail(&format!("unknown case {other}")),
        }
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[cfg(target_arch = "x86")]
    static SIGNALLED_RT: AtomicBool = AtomicBool::new(false);

    #[cfg(target_arch = "x86")]
    extern "C" fn on_usr2(_sig: libc::c_int, _info: *mut libc::siginfo_t, _uc: *mut libc::c_void) {
        SIGNALLED_RT.store(true, Ordering::Relaxed);
    }

    /// A restorer outside the vDSO for a handler without `SA_SIGINFO` (musl's, or glibc's
    /// without a vDSO): the old `sigreturn` after popping the signal number.
    #[cfg(target_arch = "x86")]
    #[unsafe(naked)]
    extern "C" fn restore_old() {
        core::arch::naked_asm!("pop eax", "mov eax, 119", "int 0x80", "ud2")
    }

    /// The same for an `SA_SIGINFO` handler: `rt_sigreturn`.
    #[cfg(target_arch = "x86")]
    #[unsafe(naked)]
    extern "C" fn restore_rt() {
        core::arch::naked_asm!("mov eax, 173", "int 0x80", "ud2")
    }

    /// x86: handlers whose restorers are the program's own code (not the vDSO's, which
    /// Syscall User Dispatch lets through), so their `sigreturn` and `rt_sigreturn` are
    /// intercepted and performed by libsys at the program's stack pointer; the program goes on
    /// with its registers (a local that lives across the signals is checked).
    #[cfg(target_arch = "x86")]
    fn restorer_case() {
        #[repr(C)]
        struct KernelSigaction {
            handler: usize,
            flags: usize,
            restorer: usize,
            mask: u64,
        }
        const SA_RESTORER: usize = 0x0400_0000;
        // SAFETY: the counting hook returns the kernel's answers.
        unsafe { hook::set_hook(Some(count)) };
        intercept::start().unwrap_or_else(|e| fail(&format!("start: {e:?}")));
        let keep = std::hint::black_box(0x1234_5678u32);
        for (sig, handler, flags, restorer) in [
            (
                libc::SIGUSR1,
                on_usr1 as *const () as usize,
                0,
                restore_old as *const () as usize,
            ),
            (
                libc::SIGUSR2,
                on_usr2 as *const () as usize,
                libc::SA_SIGINFO as usize,
                restore_rt as *const () as usize,
            ),
        ] {
            let act = KernelSigaction {
                handler,
                flags: flags | SA_RESTORER,
                restorer,
                mask: 0,
            };
            // SAFETY: the kernel's sigaction layout; the handlers only store to atomics and
            // the restorers make the return the kernel expects.
            let r = unsafe {
                libc::syscall(
                    libc::SYS_rt_sigaction,
                    sig,
                    &act,
                    core::ptr::null_mut::<KernelSigaction>(),
                    8usize,
                )
            };
            if r != 0 {
                fail(&format!("rt_sigaction({sig}): {r}"));
            }
            // SAFETY: sends the signal to this thread; its handler is installed above.
            unsafe { libc::raise(sig) };
        }
        let _ = intercept::stop_this_thread();
        // SAFETY: removing the hook.
        unsafe { hook::set_hook(None) };
        if !SIGNALLED.load(Ordering::Relaxed) || !SIGNALLED_RT.load(Ordering::Relaxed) {
            fail("a handler did not run");
        }
        if std::hint::black_box(keep) != 0x1234_5678 {
            fail("a register or the stack was not restored");
        }
        let (old, rt) = (
            COUNTS[nr::sigreturn].load(Ordering::Relaxed),
            COUNTS[nr::rt_sigreturn].load(Ordering::Relaxed),
        );
        if old == 0 || rt == 0 {
            fail(&format!(
                "the hook saw sigreturn {old} and rt_sigreturn {rt} times"
            ));
        }
        println!("intercept: sigreturn seen {old}, rt_sigreturn seen {rt}; the program went on");
    }

    /// strace's names between the two markers.
    pub fn strace_names(path: &str) -> BTreeSet<String> {
        let text = std::fs::read_to_string(path).unwrap_or_default();
        let mark = format!("getpgid({MARK}");
        let mut inside = false;
        let mut names = BTreeSet::new();
        for line in text.lines() {
            // `strace -f -o FILE` starts each line with the thread's id.
            let l = line
                .trim_start_matches(|c: char| c.is_ascii_digit())
                .trim_start();
            if l.starts_with(&mark) {
                inside = !inside;
                continue;
            }
            if !inside || l.starts_with("---") || l.starts_with("+++") {
                continue;
            }
            let l = l.strip_prefix("<... ").unwrap_or(l);
            let name: String = l
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                names.insert(name);
            }
        }
        names
    }
}

#[cfg(any(target_arch = "x86_64", target_arch = "x86"))]
fn main() {
    use std::process::Command;
    if let Ok(case) = std::env::var("INTERCEPT_CASE") {
        cases::run(&case);
        std::process::exit(0);
    }
    let me = std::env::current_exe().expect("own path");
    let (mut passed, mut failed) = (0, 0);
    let mut check = |name: &str, ok: bool, detail: String| {
        if ok {
            passed += 1;
            println!("{name} ... ok {detail}");
        } else {
            failed += 1;
            println!("{name} ... FAILED {detail}");
        }
    };
    #[cfg(target_arch = "x86_64")]
    let all = ["std", "deny", "bench"].as_slice();
    #[cfg(target_arch = "x86")]
    let all = ["std", "deny", "restorer", "bench"].as_slice();
    for &case in all {
        let out = Command::new(&me)
            .env("INTERCEPT_CASE", case)
            .output()
            .expect("spawn");
        check(
            case,
            out.status.success(),
            format!(
                "{:?} {}{}",
                out.status,
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ),
        );
    }
    // The same std case under strace: the hook's names against strace's.
    let have_strace = Command::new("strace").arg("-V").output().is_ok();
    if have_strace {
        let dir = std::env::temp_dir();
        let (trace, names) = (
            dir.join(format!("intercept-strace-{}", std::process::id())),
            dir.join(format!("intercept-names-{}", std::process::id())),
        );
        let st = Command::new("strace")
            .args(["-f", "-qq", "-o"])
            .arg(&trace)
            .arg(&me)
            .env("INTERCEPT_CASE", "std")
            .env("INTERCEPT_NAMES", &names)
            .status()
            .expect("strace");
        let hooked: std::collections::BTreeSet<String> = std::fs::read_to_string(&names)
            .unwrap_or_default()
            .lines()
            .map(str::to_owned)
            .collect();
        let straced = cases::strace_names(trace.to_str().unwrap_or_default());
        // strace also sees interception's own set-up (libsys's rt_sigaction and prctl, made
        // with the hook installed: the hook sees them too) and nothing else should differ.
        // strace sees libsys's own `rt_sigreturn` (the handler's return after each
        // intercepted call) and the fork child's `exit_group` (which the hook sees in the
        // child's copy of the counters): the program's `rt_sigreturn` must be in the hook's
        // (x86_64; x86: see `cases::UNSEEN`).
        let missing: Vec<_> = straced
            .difference(&hooked)
            .filter(|n| !cases::UNSEEN.contains(&n.as_str()))
            .collect();
        let extra: Vec<_> = hooked.difference(&straced).collect();
        check(
            "std vs strace",
            st.success() && !straced.is_empty() && missing.is_empty() && extra.is_empty(),
            format!(
                "{st:?}: {} names by strace, {} by the hook; strace only: {missing:?}; hook \
                 only: {extra:?}",
                straced.len(),
                hooked.len()
            ),
        );
        let _ = std::fs::remove_file(trace);
        let _ = std::fs::remove_file(names);
    } else {
        println!("std vs strace ... skipped (no strace)");
    }
    println!("{passed} passed, {failed} failed");
    if failed > 0 {
        std::process::exit(1);
    }
}

#[cfg(not(any(target_arch = "x86_64", target_arch = "x86")))]
fn main() {
    println!("intercept: x86_64 and x86 only; skipped");
}
