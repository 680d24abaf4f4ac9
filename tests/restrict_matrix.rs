//! The restriction matrix, natively (x86_64 and x86; qemu-user would apply a filter to itself):
//! every policy against every way a program can make a system call, each cell in a fresh
//! process (this binary again, with `MATRIX_CELL` set) that installs the policy, makes the call
//! and reports what the kernel did: the call's result, the errno the filter chose, or the
//! signal that ended the process. The parent prints the matrix and checks each cell against
//! what the policy promises. `harness = false`; prints `N passed, M failed`.
//!
//! Ways: a `#[syscall]` wrapper, `syscall!` with a constant number, the vDSO's own fallback
//! (`CLOCK_PROCESS_CPUTIME_ID`, which the vDSO answers with a system call of its own), libc's
//! `syscall(3)`, an `asm!` system call in the program's ordinary `.text`, shellcode in an
//! `mmap`ed executable page, and a jump into getppid's stub instruction with another number
//! (`exit_group(42)`: exit status 42 proves it ran) in the registers.

#[cfg(all(
    feature = "restrict",
    feature = "std",
    any(target_arch = "x86_64", target_arch = "x86")
))]
mod matrix {
    use libsys::raw::{syscall_noreturn, syscall_readonly};
    use libsys::restrict::install;
    use libsys::restrict::policy::Generic;
    use libsys::restrict::{Action, Arch, Policy};
    use libsys::sys_vdso;
    use libsys::{Errno, nr};
    use std::os::unix::process::ExitStatusExt;

    /// The policies, as columns.
    pub const POLICIES: &[&str] = &[
        "none",
        "range",
        "range-kill",
        "pinned",
        "allow-list",
        "pinned+list",
        "std",
    ];
    /// The ways, as rows.
    pub const WAYS: &[&str] = &[
        "#[syscall] wrapper",
        "syscall! (constant)",
        "vDSO fallback",
        "libc syscall(3)",
        "asm! in .text",
        "mmap'd shellcode",
        "jump into a stub",
    ];

    /// What a denied call gets where the policy does not kill.
    const DENY: Action = Action::Errno(1); // EPERM

    fn vdso_rule(p: Policy) -> Policy {
        match install::vdso_range() {
            Some(v) => p.allow_range_for(v, &install::vdso_numbers()),
            None => p,
        }
    }

    fn manifest_numbers() -> Vec<u32> {
        let mut v: Vec<u32> = install::manifest().iter().filter_map(|s| s.nr).collect();
        v.sort_unstable();
        v.dedup();
        v
    }

    /// The policy named `name` for this process.
    pub fn policy(name: &str) -> Option<Policy> {
        let arch = Arch::NATIVE;
        let stubs = install::stubs_range();
        let p = match name {
            "range" => vdso_rule(Policy::range(arch, stubs)).otherwise(DENY),
            "range-kill" => vdso_rule(Policy::range(arch, stubs)).otherwise(Action::KillProcess),
            "pinned" => {
                vdso_rule(Policy::pinned(arch, &install::manifest(), Generic::Deny)).otherwise(DENY)
            }
            "allow-list" => vdso_rule(Policy::range(arch, stubs).only_numbers(&manifest_numbers()))
                .otherwise(DENY),
            "pinned+list" => vdso_rule(
                Policy::pinned(arch, &install::manifest(), Generic::Deny)
                    .only_numbers(&manifest_numbers()),
            )
            .otherwise(DENY),
            "std" => {
                let mut p = vdso_rule(Policy::range(arch, stubs));
                // x86: glibc makes every call through the vDSO's `__kernel_vsyscall`.
                if cfg!(target_arch = "x86")
                    && let Some(v) = install::vdso_range()
                {
                    p = p.allow_range(v);
                }
                for r in install::libc_ranges() {
                    p = p.allow_range(r);
                }
                p.otherwise(DENY)
            }
            _ => return None,
        };
        Some(p)
    }

    #[libsys::syscall(readonly)]
    unsafe fn getppid() -> u32;

    /// getppid through inline asm in this file's `.text`.
    fn asm_getppid() -> isize {
        let r: isize;
        // SAFETY: getppid writes no memory; the registers the instruction changes are declared.
        #[cfg(target_arch = "x86_64")]
        unsafe {
            core::arch::asm!("syscall", inlateout("rax") nr::getppid as isize => r,
                lateout("rcx") _, lateout("r11") _, options(nostack, readonly));
        }
        // SAFETY: as above.
        #[cfg(target_arch = "x86")]
        unsafe {
            core::arch::asm!("int 0x80", inlateout("eax") nr::getppid as isize => r,
                options(nostack, readonly));
        }
        r
    }

    /// A page mapped at run time holding `mov eax, getppid; syscall|int 0x80; ret`, made before
    /// the filter is installed (mapping it is a libc call).
    fn shellcode_page() -> usize {
        let n = (nr::getppid as u32).to_le_bytes();
        #[cfg(target_arch = "x86_64")]
        let code = [0xb8, n[0], n[1], n[2], n[3], 0x0f, 0x05, 0xc3];
        #[cfg(target_arch = "x86")]
        let code = [0xb8, n[0], n[1], n[2], n[3], 0xcd, 0x80, 0xc3];
        // SAFETY: a fresh anonymous mapping, written before it is made executable.
        unsafe {
            let page = libc::mmap(
                core::ptr::null_mut(),
                4096,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
                -1,
                0,
            );
            if page == libc::MAP_FAILED {
                return 0;
            }
            core::ptr::copy_nonoverlapping(code.as_ptr(), page.cast::<u8>(), code.len());
            if libc::mprotect(page, 4096, libc::PROT_READ | libc::PROT_EXEC) != 0 {
                return 0;
            }
            page as usize
        }
    }

    /// Calls the shellcode of [`shellcode_page`].
    fn shellcode_getppid(page: usize) -> isize {
        if page == 0 {
            return -1000;
        }
        // SAFETY: the page holds a complete function in the C calling convention that changes
        // only eax (and rcx, r11, which `syscall` changes and the convention does not keep).
        let f: extern "C" fn() -> isize = unsafe { core::mem::transmute(page) };
        f()
    }

    /// Calls the syscall instruction of getppid's stub with `exit_group(42)` in the registers:
    /// if the kernel runs it, the process exits with 42 — proof that a stub instruction made a
    /// call of another number. If the filter refuses it with an errno, the stub goes on into
    /// its tail, which restores a frame (saved registers, a debug build's stack frame) that this
    /// jump did not set up: the process crashes, or returns the error where the tail is a bare
    /// `ret`. Either way it did not exit with 42 (the parent reads any signal but SIGSYS as the
    /// errno refusal).
    fn jump_into_stub() -> isize {
        let Some(site) = libsys::outline::manifest().find(|s| s.nr == Some(nr::getppid)) else {
            return -1002;
        };
        let insn = site.ip - 2; // `syscall` and `int 0x80` are two bytes
        let r: isize;
        // SAFETY: exit_group(42) ends the process if it runs; if it is refused, the stub's
        // `ret` returns here (x86_64) with every register it may change declared.
        #[cfg(target_arch = "x86_64")]
        unsafe {
            core::arch::asm!("call {f}", f = in(reg) insn, inlateout("rax") nr::exit_group as isize => r,
                inlateout("rdi") 42usize => _, out("rcx") _, out("r11") _, out("rsi") _, out("rdx") _,
                out("r8") _, out("r9") _, out("r10") _);
        }
        // SAFETY: as above; on x86 a refusal ends in a crash of this child process, which is
        // what the parent expects.
        #[cfg(target_arch = "x86")]
        unsafe {
            core::arch::asm!("call {f}", f = in(reg) insn, inlateout("eax") nr::exit_group as isize => r,
                in("ebx") 42usize, out("ecx") _, out("edx") _, out("edi") _);
        }
        r
    }

    /// The outcome of way `w` in this process: `Ok(())` if the call was made and answered as
    /// the kernel answers it, `Err(errno)` if it failed.
    fn run_way(w: usize, ppid: isize, page: usize) -> Result<(), i32> {
        let raw = |r: isize| {
            if r < 0 && r > -4096 {
                Err((-r) as i32)
            } else if r == ppid {
                Ok(())
            } else {
                Err(-1)
            }
        };
        match w {
            // SAFETY: getppid writes no memory.
            0 => raw(unsafe { getppid() } as isize),
            // SAFETY: as above.
            1 => match unsafe { syscall_readonly!(nr::getppid) } {
                Ok(p) => raw(p as isize),
                Err(e) => Err(e.raw()),
            },
            2 => match sys_vdso::clock_gettime(sys_vdso::ClockId::PROCESS_CPUTIME_ID) {
                Ok(t) if t.sec > 0 || t.nsec > 0 => Ok(()),
                Ok(_) => Err(-1),
                Err(e) => Err(e.raw()),
            },
            3 => {
                // SAFETY: getppid through libc's syscall(3).
                let r = unsafe { libc::syscall(libc::SYS_getppid) };
                if r < 0 {
                    Err(std::io::Error::last_os_error().raw_os_error().unwrap_or(-1))
                } else {
                    raw(r as isize)
                }
            }
            4 => raw(asm_getppid()),
            5 => raw(shellcode_getppid(page)),
            6 => {
                let r = jump_into_stub();
                if r < 0 && r > -4096 {
                    Err((-r) as i32)
                } else {
                    Err(-1)
                }
            }
            _ => Err(-1),
        }
    }

    /// A cell's child: installs the policy, makes the call, exits 0 (made) or 100 + errno.
    pub fn child(cell: &str) -> ! {
        let (p, w) = cell.split_once(':').unwrap_or(("?", "?"));
        let w: usize = w.parse().unwrap_or(usize::MAX);
        // What needs libc comes first: under most policies libc's calls are refused.
        let ppid = std::os::unix::process::parent_id() as isize;
        let page = if w == 5 { shellcode_page() } else { 0 };
        if w == 6 {
            // A refused jump may run on in the stub's tail without end (x86): a timer ends it.
            // SAFETY: alarm(2) only arms a timer.
            unsafe { libc::alarm(5) };
        }
        if p != "none" {
            let Some(policy) = policy(p) else {
                std::process::exit(90)
            };
            let filter = match policy.compile() {
                Ok(f) => f,
                Err(_) => std::process::exit(91),
            };
            if install::restrict(&filter).is_err() {
                std::process::exit(92);
            }
        }
        let code = match run_way(w, ppid, page) {
            Ok(()) => 0,
            Err(e) if e > 0 && e < 100 => 100 + e,
            Err(_) => 99,
        };
        // Leave without another system call than libsys's exit_group (libc's exit would be
        // refused by the strict policies).
        libsys_exit(code)
    }

    fn libsys_exit(code: i32) -> ! {
        // SAFETY: ends the process.
        unsafe { syscall_noreturn!(nr::exit_group, code) }
    }

    /// What cell (policy, way) must show: "ok", "EPERM" or "SIGSYS".
    fn expected(policy: &str, way: usize) -> &'static str {
        let libsys = way <= 2; // wrapper, constant syscall!, vDSO fallback
        match (policy, way) {
            ("none", _) => "ok",
            (_, w) if libsys && w <= 2 => "ok",
            // The jump reaches a stub instruction: any number passes in range mode, and
            // exit_group is one of the manifest's numbers.
            ("range" | "range-kill" | "std" | "allow-list", 6) => "ok",
            // libc's code is allowed in the std-friendly policy.
            ("std", 3) => "ok",
            ("range-kill", _) => "SIGSYS",
            _ => "EPERM",
        }
    }

    /// A std program under the std-friendly policy: printing, threads, a panic caught while
    /// unwinding, then (`panic`) an uncaught one, which must end the process as a panic does
    /// (exit status 101, the message on stderr), not with SIGSYS or a crash.
    fn std_program(panic: bool) -> ! {
        let Some(policy) = policy("std") else {
            std::process::exit(90)
        };
        let Ok(filter) = policy.compile() else {
            std::process::exit(91)
        };
        if install::restrict(&filter).is_err() {
            std::process::exit(92);
        }
        println!("std under the std-friendly filter: printing");
        let sum: u64 = (0..4u64)
            .map(|i| std::thread::spawn(move || i * 10))
            .map(|t| t.join().unwrap_or(0))
            .sum();
        let caught = std::panic::catch_unwind(|| panic!("caught")).is_err();
        let file = std::env::temp_dir().join(format!("libsys-std-friendly-{}", std::process::id()));
        let io = std::fs::write(&file, b"x").is_ok() && std::fs::remove_file(&file).is_ok();
        println!("threads {sum}, unwound {caught}, file {io}");
        if panic {
            panic!("an uncaught panic under the filter");
        }
        std::process::exit(if sum == 60 && caught && io { 0 } else { 3 })
    }

    /// Runs the std program cases; returns (passed, failed).
    fn std_cases(me: &std::path::Path) -> (usize, usize) {
        let (mut passed, mut failed) = (0, 0);
        for (case, want) in [("std-program", 0), ("std-panic", 101)] {
            let out = std::process::Command::new(me)
                .env("MATRIX_STD", case)
                .output()
                .unwrap();
            let stdout = String::from_utf8_lossy(&out.stdout);
            let stderr = String::from_utf8_lossy(&out.stderr);
            let ok = out.status.code() == Some(want)
                && stdout.contains("threads 60, unwound true, file true")
                && (want == 0 || stderr.contains("an uncaught panic under the filter"));
            if ok {
                println!("ok {case} under std-friendly: exit {want}");
                passed += 1;
            } else {
                println!(
                    "FAIL {case} under std-friendly: {:?} (want exit {want}); stdout {stdout:?}; stderr {stderr:?}",
                    out.status
                );
                failed += 1;
            }
        }
        (passed, failed)
    }

    pub fn main() {
        if let Ok(cell) = std::env::var("MATRIX_CELL") {
            child(&cell);
        }
        if let Ok(case) = std::env::var("MATRIX_STD") {
            std_program(case == "std-panic");
        }
        let me = std::env::current_exe().unwrap();
        let (mut passed, mut failed) = (0, 0);
        let mut failures = Vec::new();
        println!("| way \\ policy | {} |", POLICIES.join(" | "));
        println!("|---|{}", "---|".repeat(POLICIES.len()));
        for (w, way) in WAYS.iter().enumerate() {
            let mut row = Vec::new();
            for p in POLICIES {
                let status = std::process::Command::new(&me)
                    .env("MATRIX_CELL", format!("{p}:{w}"))
                    .status()
                    .unwrap();
                let got = match (status.code(), status.signal()) {
                    (Some(0), _) => "ok".to_string(),
                    // The jump made exit_group(42) from getppid's stub.
                    (Some(42), _) if w == 6 => "ok".to_string(),
                    (Some(c), _) if c > 100 => Errno::from_raw(c - 100)
                        .and_then(Errno::name)
                        .unwrap_or("errno?")
                        .to_string(),
                    (Some(c), _) => format!("exit {c}"),
                    (None, Some(s)) if s == libc::SIGSYS => "SIGSYS".to_string(),
                    // A refused jump goes on into the stub's tail, which expects a frame it did
                    // not set up, and crashes (see `jump_into_stub`): refused all the same.
                    (None, Some(_)) if w == 6 => "EPERM".to_string(),
                    (None, Some(s)) => format!("signal {s}"),
                    _ => "?".to_string(),
                };
                let want = expected(p, w);
                if got == want {
                    passed += 1;
                    row.push(got);
                } else {
                    failed += 1;
                    failures.push(format!("{way} under {p}: {got}, expected {want}"));
                    row.push(format!("**{got}** (want {want})"));
                }
            }
            println!("| {way} | {} |", row.join(" | "));
        }
        for f in &failures {
            println!("FAIL {f}");
        }
        let (p, f) = std_cases(&me);
        passed += p;
        failed += f;
        println!("{passed} passed, {failed} failed");
        if failed > 0 {
            std::process::exit(1);
        }
    }
}

fn main() {
    #[cfg(all(
        feature = "restrict",
        feature = "std",
        any(target_arch = "x86_64", target_arch = "x86")
    ))]
    matrix::main();
}
