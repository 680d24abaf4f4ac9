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
        "`syscall` in .text",
        "`int 0x80` in .text",
        "`sysenter` in .text",
        "`syscall` in shellcode",
        "`int 0x80` in shellcode",
        "`sysenter` in shellcode",
        "jump into a stub",
        "`syscall` of a vDSO number",
        "SROP through the vDSO",
        "io_uring_setup from its stub",
        "a ring held at install",
    ];

    /// Row numbers of [`WAYS`].
    mod way {
        pub const LIBC: usize = 3;
        pub const OWN_SYSCALL: usize = 4;
        pub const OWN_INT80: usize = 5;
        pub const OWN_SYSENTER: usize = 6;
        pub const SHELL_SYSCALL: usize = 7;
        pub const SHELL_INT80: usize = 8;
        pub const SHELL_SYSENTER: usize = 9;
        pub const JUMP: usize = 10;
        pub const VDSO_NUMBER: usize = 11;
        pub const SROP: usize = 12;
        pub const URING_SETUP: usize = 13;
        pub const URING_HELD: usize = 14;
    }

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

    /// System call instructions of the attacker's own, in this file's `.text`: each takes
    /// `(nr, a0, a1)` and returns what the kernel left in the result register.
    ///
    /// On x86 (i386) the fast instructions `syscall` (AMD) and `sysenter` (Intel) are made
    /// with the frame `__kernel_vsyscall` builds (`push ecx; push edx; push ebp`, `ebp` = the
    /// second argument for `syscall`, the stack for `sysenter`): the kernel returns to the
    /// vDSO's landing pad, which pops that frame and returns here. Where the CPU lacks the
    /// instruction it raises SIGILL, in every cell of its row.
    mod own {
        /// `syscall`.
        #[cfg(target_arch = "x86_64")]
        #[unsafe(naked)]
        pub unsafe extern "C" fn syscall(_nr: usize, _a0: usize, _a1: usize) -> isize {
            core::arch::naked_asm!(
                "mov rax, rdi",
                "mov rdi, rsi",
                "mov rsi, rdx",
                "syscall",
                "ret"
            )
        }
        /// `int 0x80`: the i386 ABI (arch word `AUDIT_ARCH_I386`, i386 numbers).
        #[cfg(target_arch = "x86_64")]
        #[unsafe(naked)]
        pub unsafe extern "C" fn int80(_nr: usize, _a0: usize, _a1: usize) -> isize {
            core::arch::naked_asm!(
                "push rbx",
                "mov eax, edi",
                "mov ebx, esi",
                "mov ecx, edx",
                "int 0x80",
                "pop rbx",
                "movsxd rax, eax",
                "ret"
            )
        }
        /// `sysenter` (invalid in 64-bit mode on AMD CPUs).
        #[cfg(target_arch = "x86_64")]
        #[unsafe(naked)]
        pub unsafe extern "C" fn sysenter(_nr: usize, _a0: usize, _a1: usize) -> isize {
            core::arch::naked_asm!(
                "mov rax, rdi",
                "mov rdi, rsi",
                "mov rsi, rdx",
                "sysenter",
                "ret"
            )
        }
        /// A 32-bit `syscall` (AMD CPUs; SIGILL on Intel), with `__kernel_vsyscall`'s frame.
        #[cfg(target_arch = "x86")]
        #[unsafe(naked)]
        pub unsafe extern "C" fn syscall(_nr: usize, _a0: usize, _a1: usize) -> isize {
            core::arch::naked_asm!(
                "push ebx",
                "mov eax, [esp + 8]",
                "mov ebx, [esp + 12]",
                "mov ecx, [esp + 16]",
                "call 2f",
                "pop ebx",
                "ret",
                "2:",
                "push ecx",
                "push edx",
                "push ebp",
                "mov ebp, ecx",
                "syscall",
                "ud2"
            )
        }
        /// `int 0x80`.
        #[cfg(target_arch = "x86")]
        #[unsafe(naked)]
        pub unsafe extern "C" fn int80(_nr: usize, _a0: usize, _a1: usize) -> isize {
            core::arch::naked_asm!(
                "push ebx",
                "mov eax, [esp + 8]",
                "mov ebx, [esp + 12]",
                "mov ecx, [esp + 16]",
                "int 0x80",
                "pop ebx",
                "ret"
            )
        }
        /// `sysenter` (Intel CPUs; SIGILL on AMD in compatibility mode), with
        /// `__kernel_vsyscall`'s frame.
        #[cfg(target_arch = "x86")]
        #[unsafe(naked)]
        pub unsafe extern "C" fn sysenter(_nr: usize, _a0: usize, _a1: usize) -> isize {
            core::arch::naked_asm!(
                "push ebx",
                "mov eax, [esp + 8]",
                "mov ebx, [esp + 12]",
                "mov ecx, [esp + 16]",
                "call 2f",
                "pop ebx",
                "ret",
                "2:",
                "push ecx",
                "push edx",
                "push ebp",
                "mov ebp, esp",
                "sysenter",
                "ud2"
            )
        }
    }

    /// The type of the functions of [`own`].
    type Own = unsafe extern "C" fn(usize, usize, usize) -> isize;

    /// getppid's number for the instruction `f` (`int 0x80` on x86_64 takes i386 numbers).
    fn getppid_for(f: Own) -> usize {
        #[cfg(target_arch = "x86_64")]
        if f as usize == own::int80 as *const () as usize {
            return 64; // i386's getppid
        }
        let _ = f;
        nr::getppid
    }

    /// A page mapped at run time holding a copy of `f`'s code (the functions of [`own`] are
    /// position-independent and shorter than 64 bytes), made before the filter is installed
    /// (mapping it is a libc call). 0 if the mapping failed.
    fn shellcode_page(f: Own) -> usize {
        // SAFETY: a fresh anonymous mapping, written before it is made executable; `f`'s code
        // and the bytes after it are readable (they lie in this program's text segment).
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
            core::ptr::copy_nonoverlapping(f as usize as *const u8, page.cast::<u8>(), 64);
            if libc::mprotect(page, 4096, libc::PROT_READ | libc::PROT_EXEC) != 0 {
                return 0;
            }
            page as usize
        }
    }

    /// `io_uring_setup(4, &params)` with `flags`, from its stub: the ring's descriptor.
    fn io_uring_setup(flags: u32) -> Result<usize, Errno> {
        // struct io_uring_params: 120 bytes, `flags` is the third word.
        let mut params = [0u32; 30];
        params[2] = flags;
        // SAFETY: the kernel reads and writes the 120-byte params.
        unsafe { libsys::raw::syscall!(nr::io_uring_setup, 4usize, params.as_mut_ptr()) }
    }

    /// Where SROP lands: if the forged frame was restored, the process exits with 42.
    extern "C" fn srop_landed() -> ! {
        libsys_exit(42)
    }

    /// A forged `rt_sigreturn` frame whose saved registers resume at [`srop_landed`] on a
    /// stack of its own: the stack pointer to make `rt_sigreturn` with. Built in leaked
    /// memory before the filter is installed.
    fn forged_frame() -> usize {
        let mem: &'static mut [u64] = Vec::leak(vec![0u64; 4096]);
        let base = mem.as_mut_ptr() as usize;
        let stack_top = (base + 16 * 1024) & !15;
        let frame = base + 20 * 1024; // the stack pointer at the call
        let put = |at: usize, v: u64, wide: bool| {
            // SAFETY: `at` lies in `mem` (32 KiB), aligned for its width.
            unsafe {
                if wide {
                    (at as *mut u64).write(v)
                } else {
                    (at as *mut u32).write(v as u32)
                }
            }
        };
        #[cfg(target_arch = "x86_64")]
        {
            // struct rt_sigframe { char *pretcode; struct ucontext uc; … } at sp - 8: the
            // ucontext at sp. ucontext: uc_flags 0, uc_link 8, uc_stack 16 (ss_flags at 24),
            // uc_mcontext 40 (sigcontext: rsp at 120, rip 128, eflags 136, cs/gs/fs/ss u16 at
            // 144, fpstate 184), uc_sigmask 296 (arch/x86/include/uapi/asm/sigcontext.h).
            let uc = frame;
            put(uc + 24, 2, false); // SS_DISABLE: no alternate stack to restore
            put(uc + 40 + 120, (stack_top - 8) as u64, true);
            put(uc + 40 + 128, srop_landed as *const () as u64, true);
            put(uc + 40 + 136, 0x202, true);
            put(uc + 40 + 144, 0x2b_0000_0000_0033, true); // cs 0x33, ss 0x2b
        }
        #[cfg(target_arch = "x86")]
        {
            // struct rt_sigframe_ia32 at sp - 4: pretcode, sig, pinfo, puc, siginfo (128),
            // then the ucontext at sp + 140: uc_flags, uc_link, uc_stack (ss_flags at 12),
            // sigcontext_32 at 20 (gs fs es ds, edi esi ebp esp ebx edx ecx eax, trapno err
            // eip cs flags sp_at_signal ss fpstate oldmask cr2), uc_sigmask at 108.
            let uc = frame + 140;
            let seg = |which: u32| -> u64 {
                let v: u32;
                // SAFETY: reading a segment register has no effect.
                unsafe {
                    match which {
                        0 => core::arch::asm!("mov {0:e}, gs", out(reg) v),
                        1 => core::arch::asm!("mov {0:e}, fs", out(reg) v),
                        2 => core::arch::asm!("mov {0:e}, es", out(reg) v),
                        3 => core::arch::asm!("mov {0:e}, ds", out(reg) v),
                        4 => core::arch::asm!("mov {0:e}, cs", out(reg) v),
                        _ => core::arch::asm!("mov {0:e}, ss", out(reg) v),
                    }
                }
                u64::from(v & 0xffff)
            };
            put(uc + 12, 2, false); // SS_DISABLE
            let sc = uc + 20;
            for (i, at) in [0, 4, 8, 12].into_iter().enumerate() {
                put(sc + at, seg(i as u32), false);
            }
            put(sc + 28, (stack_top - 4) as u64, false); // esp
            put(sc + 56, srop_landed as *const () as u64, false); // eip
            put(sc + 60, seg(4), false); // cs
            put(sc + 64, 0x202, false); // eflags
            put(sc + 72, seg(5), false); // ss
        }
        frame
    }

    /// Makes `rt_sigreturn` with the stack pointer at `frame` from the vDSO: on x86_64 through
    /// a `syscall` instruction of the vDSO's (its clock fallbacks'), on x86 through the vDSO's
    /// `__kernel_rt_sigreturn` trampoline. Returns only if no such instruction was found.
    fn srop_through_vdso(frame: usize) -> isize {
        let Some(v) = sys_vdso::Vdso::get() else {
            return -1003;
        };
        #[cfg(target_arch = "x86_64")]
        let target = {
            let code = v.image().bytes();
            let Some(at) = code.windows(2).position(|w| w == [0x0f, 0x05]) else {
                return -1004;
            };
            v.base().as_ptr() as usize + at
        };
        #[cfg(target_arch = "x86")]
        let target = match v.lookup("__kernel_rt_sigreturn", None) {
            Some(t) => t.as_ptr() as usize,
            None => return -1004,
        };
        // SAFETY: a one-way trip: rt_sigreturn resumes at `srop_landed` (which exits), or the
        // refused call goes on in the vDSO's code on the forged stack and crashes this child.
        unsafe {
            #[cfg(target_arch = "x86_64")]
            core::arch::asm!("mov rsp, {f}", "jmp {t}", f = in(reg) frame, t = in(reg) target,
                in("rax") nr::rt_sigreturn, options(noreturn));
            #[cfg(target_arch = "x86")]
            core::arch::asm!("mov esp, {f}", "jmp {t}", f = in(reg) frame, t = in(reg) target,
                options(noreturn));
        }
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

    /// What a cell's child prepares before the filter (whatever needs libc or memory).
    #[derive(Default)]
    struct Prepared {
        page: usize,
        frame: usize,
    }

    /// The instruction of an own-instruction row.
    fn own_fn(w: usize) -> Option<Own> {
        Some(match w {
            way::OWN_SYSCALL | way::SHELL_SYSCALL | way::VDSO_NUMBER => own::syscall,
            way::OWN_INT80 | way::SHELL_INT80 => own::int80,
            way::OWN_SYSENTER | way::SHELL_SYSENTER => own::sysenter,
            _ => return None,
        })
    }

    /// The outcome of way `w` in this process: `Ok(())` if the call was made and answered as
    /// the kernel answers it, `Err(errno)` if it failed.
    fn run_way(w: usize, ppid: isize, prep: &Prepared) -> Result<(), i32> {
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
            way::LIBC => {
                // SAFETY: getppid through libc's syscall(3).
                let r = unsafe { libc::syscall(libc::SYS_getppid) };
                if r < 0 {
                    Err(std::io::Error::last_os_error().raw_os_error().unwrap_or(-1))
                } else {
                    raw(r as isize)
                }
            }
            way::OWN_SYSCALL | way::OWN_INT80 | way::OWN_SYSENTER => {
                let f = own_fn(w).ok_or(-1)?;
                // SAFETY: getppid writes no memory.
                raw(unsafe { f(getppid_for(f), 0, 0) })
            }
            way::SHELL_SYSCALL | way::SHELL_INT80 | way::SHELL_SYSENTER => {
                let f = own_fn(w).ok_or(-1)?;
                if prep.page == 0 {
                    return Err(-1);
                }
                // SAFETY: the page holds a copy of `f`, position-independent code of the same
                // type.
                let copy: Own = unsafe { core::mem::transmute(prep.page) };
                // SAFETY: getppid writes no memory.
                raw(unsafe { copy(getppid_for(f), 0, 0) })
            }
            way::JUMP => {
                let r = jump_into_stub();
                if r < 0 && r > -4096 {
                    Err((-r) as i32)
                } else {
                    Err(-1)
                }
            }
            way::VDSO_NUMBER => {
                // clock_gettime(CLOCK_MONOTONIC, &ts) with an own `syscall` instruction: a
                // number the vDSO rule allows (i386's 32-bit timespec fits in 16 bytes too).
                let mut ts = [0u64; 2];
                // SAFETY: the kernel writes one timespec into `ts`.
                let r = unsafe { own::syscall(nr::clock_gettime, 1, ts.as_mut_ptr() as usize) };
                match r {
                    0 if ts != [0, 0] => Ok(()),
                    r if r < 0 && r > -4096 => Err((-r) as i32),
                    _ => Err(-1),
                }
            }
            way::URING_SETUP | way::URING_HELD => match io_uring_setup(0) {
                Ok(_) => Ok(()),
                Err(e) => Err(e.raw()),
            },
            way::SROP => Err(match srop_through_vdso(prep.frame) {
                r if r < 0 && r > -4096 => (-r) as i32,
                _ => -1,
            }),
            _ => Err(-1),
        }
    }

    /// A cell's child: installs the policy, makes the call, exits 0 (made) or 100 + errno.
    pub fn child(cell: &str) -> ! {
        let (p, w) = cell.split_once(':').unwrap_or(("?", "?"));
        let w: usize = w.parse().unwrap_or(usize::MAX);
        // What needs libc comes first: under most policies libc's calls are refused.
        let ppid = std::os::unix::process::parent_id() as isize;
        let mut prep = Prepared::default();
        if matches!(
            w,
            way::SHELL_SYSCALL | way::SHELL_INT80 | way::SHELL_SYSENTER
        ) {
            prep.page = own_fn(w).map_or(0, shellcode_page);
        }
        if w == way::SROP {
            prep.frame = forged_frame();
        }
        if w == way::URING_HELD && io_uring_setup(2).is_err() {
            // IORING_SETUP_SQPOLL: a ring that works without system calls.
            std::process::exit(93);
        }
        if w == way::JUMP || w == way::SROP {
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
            match install::restrict(&filter) {
                Ok(()) => {}
                // Refused: the process holds a ring (EBUSY).
                Err(e) if w == way::URING_HELD => libsys_exit(100 + e.raw()),
                Err(_) => std::process::exit(92),
            }
        }
        let code = match run_way(w, ppid, &prep) {
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

    /// What cell (policy, way) must show: "ok", "EPERM" or "SIGSYS" (a row whose
    /// instruction this CPU lacks shows SIGILL everywhere: see `main`).
    fn expected(policy: &str, w: usize) -> &'static str {
        let x86 = cfg!(target_arch = "x86");
        let refused = if policy == "range-kill" {
            "SIGSYS"
        } else {
            "EPERM"
        };
        match (policy, w) {
            ("none", _) => "ok",
            // libsys's own calls: wrapper, constant syscall!, the vDSO's fallback.
            (_, 0..=2) => "ok",
            // libc's code is allowed in the std-friendly policy.
            ("std", way::LIBC) => "ok",
            // x86_64: `int 0x80` is the i386 ABI, another arch word: killed by every policy.
            (_, way::OWN_INT80 | way::SHELL_INT80) if !x86 => "SIGSYS",
            // x86: a fast system call from anywhere is reported at the vDSO's landing pad,
            // where std-friendly allows any number (glibc's calls all arrive there) ...
            ("std", way::OWN_SYSCALL | way::OWN_SYSENTER) if x86 => "ok",
            ("std", way::SHELL_SYSCALL | way::SHELL_SYSENTER) if x86 => "ok",
            ("std", way::SROP) if x86 => "ok",
            // ... and every policy the vDSO's own numbers (its clock fallbacks).
            (_, way::VDSO_NUMBER) if x86 => "ok",
            // The jump reaches a stub instruction: any number passes in range mode, and
            // exit_group is one of the manifest's numbers.
            ("range" | "range-kill" | "std" | "allow-list", way::JUMP) => "ok",
            // restrict refuses to install while the process holds a ring.
            (_, way::URING_HELD) => "EBUSY",
            _ => refused,
        }
    }

    /// Well-behaved programs under every policy, each case in a fresh child: the calls a
    /// policy must keep working.
    ///
    /// - `exit`: exits through libsys's `exit_group` stub under allow-lists that do not list
    ///   it (`allow-list` and `pinned+list` here with getppid alone: the `-short` policies).
    /// - `handler`: a SIGUSR1 handler installed with libsys's restorer returns.
    /// - `clock_nanosleep`, `nanosleep`, `futex`, `poll`: the child blocks in the call (with a
    ///   timeout, so that the kernel restarts it as `restart_syscall`); the parent waits until
    ///   `/proc/<pid>/syscall` shows the child blocked in that call, sends SIGSTOP, waits for
    ///   the stop (`WUNTRACED`), checks the child is stopped in the call, sends SIGCONT, and
    ///   for `poll` and `futex` then wakes it (a byte on its stdin; a `FUTEX_WAKE` on a word
    ///   of a shared file). The restarted call must complete: exit 0.
    mod behaved {
        use super::*;

        pub const CASES: &[&str] = &[
            "exit",
            "handler",
            "libc handler",
            "clock_nanosleep",
            "nanosleep",
            "futex",
            "poll",
        ];

        /// The sleeps' length: the child never ends a sleep itself. The parent stops it in the
        /// call, continues it, waits until it is blocked again in `restart_syscall` (the
        /// filter let the restart through) and then kills it; a sleep that ended on its own
        /// would be a failure, not a pass.
        const SLEEP_SECS: isize = 3600;

        /// `struct timespec` of the old ABI (`long` fields): what `nr::clock_nanosleep`,
        /// `nr::nanosleep` and `nr::futex` take on x86_64 and x86.
        #[repr(C)]
        struct Ts {
            sec: isize,
            nsec: isize,
        }

        /// The policy of a case: `exit` under the allow-lists uses one without exit_group.
        fn case_policy(p: &str, case: &str) -> Option<Policy> {
            if case == "exit" && matches!(p, "allow-list" | "pinned+list") {
                let arch = Arch::NATIVE;
                let only = [nr::getppid as u32];
                let base = if p == "allow-list" {
                    Policy::range(arch, install::stubs_range())
                } else {
                    Policy::pinned(arch, &install::manifest(), Generic::Deny)
                };
                return Some(vdso_rule(base.only_numbers(&only)).otherwise(Action::KillProcess));
            }
            // Kill rather than EPERM, so that a refused call shows as SIGSYS.
            let mut policy = policy(p)?.otherwise(Action::KillProcess);
            if case == "libc handler" {
                // The precise rule for handlers installed through libc: rt_sigreturn at
                // libc's restorer (x86: the vDSO's trampolines) alone.
                for site in install::libc_restorer() {
                    policy = policy.pin(site.nr, site.ip);
                }
            }
            Some(policy)
        }

        static HANDLED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

        extern "C" fn on_usr1(_sig: i32, _info: usize, _ctx: usize) {
            HANDLED.store(true, std::sync::atomic::Ordering::SeqCst);
        }

        /// The kernel's `struct sigaction` for `rt_sigaction` (x86_64 and x86).
        #[repr(C)]
        struct KSigaction {
            handler: usize,
            flags: usize,
            restorer: usize,
            mask: u64,
        }

        /// Runs case `case` in this child under policy `p`; exits 0 when the call worked.
        pub fn child(p: &str, case: &str) -> ! {
            if case == "libc handler" {
                extern "C" fn on_usr1_libc(_: i32) {
                    HANDLED.store(true, std::sync::atomic::Ordering::SeqCst);
                }
                // SAFETY: a handler that only stores to an atomic, installed through libc
                // (with libc's restorer) before the policy.
                unsafe { libc::signal(libc::SIGUSR1, on_usr1_libc as *const () as usize) };
            }
            let futex_word = if case == "futex" {
                map_futex_file(&std::env::var("MATRIX_FUTEX").unwrap_or_default())
            } else {
                0
            };
            if p != "none" {
                let Some(policy) = case_policy(p, case) else {
                    std::process::exit(90)
                };
                let Ok(filter) = policy.compile() else {
                    std::process::exit(91)
                };
                if install::restrict(&filter).is_err() {
                    std::process::exit(92);
                }
            }
            let ts = Ts {
                sec: SLEEP_SECS,
                nsec: 0,
            };
            let long = Ts { sec: 60, nsec: 0 };
            // SAFETY: each call reads only `ts`/`long`/the pollfd and writes nothing of ours
            // but what it is given; the futex word lives in a mapping kept for the process.
            let r: Result<usize, Errno> = unsafe {
                match case {
                    "exit" => syscall_readonly!(nr::getppid),
                    "libc handler" => {
                        let pid = syscall_readonly!(nr::getpid).unwrap_or(0);
                        match syscall_readonly!(nr::kill, pid, libc::SIGUSR1) {
                            Ok(_) if HANDLED.load(std::sync::atomic::Ordering::SeqCst) => Ok(0),
                            Ok(_) => Err(Errno::EINVAL),
                            Err(e) => Err(e),
                        }
                    }
                    "handler" => {
                        let act = KSigaction {
                            handler: on_usr1 as *const () as usize,
                            flags: 0x0400_0000 | 4, // SA_RESTORER | SA_SIGINFO
                            restorer: libsys::restrict::sud::restorer(),
                            mask: 0,
                        };
                        let set = syscall_readonly!(
                            nr::rt_sigaction,
                            libc::SIGUSR1,
                            &raw const act,
                            0usize,
                            8usize
                        );
                        let pid = syscall_readonly!(nr::getpid).unwrap_or(0);
                        let sent =
                            set.and_then(|_| syscall_readonly!(nr::kill, pid, libc::SIGUSR1));
                        match sent {
                            Ok(_) if HANDLED.load(std::sync::atomic::Ordering::SeqCst) => Ok(0),
                            Ok(_) => Err(Errno::EINVAL),
                            Err(e) => Err(e),
                        }
                    }
                    "clock_nanosleep" => syscall_readonly!(
                        nr::clock_nanosleep,
                        libc::CLOCK_MONOTONIC,
                        0usize,
                        &raw const ts,
                        0usize
                    ),
                    "nanosleep" => syscall_readonly!(nr::nanosleep, &raw const ts, 0usize),
                    // FUTEX_WAIT (shared: no FUTEX_PRIVATE_FLAG) while the word is 0.
                    "futex" => match syscall_readonly!(
                        nr::futex,
                        futex_word,
                        0usize,
                        0usize,
                        &raw const long
                    ) {
                        // Woken before the restart re-read the word: the restart ran too.
                        Err(Errno::EAGAIN) => Ok(0),
                        other => other,
                    },
                    "poll" => {
                        let mut fd = libc::pollfd {
                            fd: 0,
                            events: libc::POLLIN,
                            revents: 0,
                        };
                        libsys::raw::syscall!(nr::poll, &raw mut fd, 1usize, 60_000usize)
                    }
                    _ => Err(Errno::EINVAL),
                }
            };
            let code = match r {
                Ok(_) => 0,
                Err(e) if e.raw() > 0 && e.raw() < 100 => 100 + e.raw(),
                Err(_) => 99,
            };
            libsys_exit(code)
        }

        /// Maps the first page of `path` shared and returns the address of its first word (0 on
        /// failure).
        fn map_futex_file(path: &str) -> usize {
            let Ok(file) = std::fs::OpenOptions::new()
                .read(true)
                .write(true)
                .open(path)
            else {
                return 0;
            };
            use std::os::fd::AsRawFd;
            // SAFETY: a fresh shared mapping of a 4096-byte file, kept for the process.
            let at = unsafe {
                libc::mmap(
                    core::ptr::null_mut(),
                    4096,
                    libc::PROT_READ | libc::PROT_WRITE,
                    libc::MAP_SHARED,
                    file.as_raw_fd(),
                    0,
                )
            };
            if at == libc::MAP_FAILED {
                0
            } else {
                at as usize
            }
        }

        /// The number `/proc/<pid>/syscall` shows the task blocked in, if any.
        fn blocked_in(pid: i32) -> Option<usize> {
            let text = std::fs::read_to_string(format!("/proc/{pid}/syscall")).ok()?;
            text.split_whitespace().next()?.parse().ok()
        }

        /// The number case `case` blocks in, if it blocks.
        fn blocking_nr(case: &str) -> Option<usize> {
            Some(match case {
                "clock_nanosleep" => nr::clock_nanosleep,
                "nanosleep" => nr::nanosleep,
                "futex" => nr::futex,
                "poll" => nr::poll,
                _ => return None,
            })
        }

        /// Runs every (case, policy) in parallel children and checks each; returns
        /// (passed, failed).
        pub fn run(me: &std::path::Path) -> (usize, usize) {
            use std::io::Write;
            let dir = std::env::temp_dir();
            struct Running {
                case: &'static str,
                policy: &'static str,
                child: std::process::Child,
                futex: Option<(std::path::PathBuf, usize)>,
            }
            let mut running = Vec::new();
            for &case in CASES {
                for &p in POLICIES {
                    let mut cmd = std::process::Command::new(me);
                    cmd.env("MATRIX_BEHAVED", format!("{p}:{case}"));
                    cmd.stdin(std::process::Stdio::piped());
                    let mut futex = None;
                    if case == "futex" {
                        let path =
                            dir.join(format!("libsys-matrix-futex-{}-{p}", std::process::id()));
                        std::fs::write(&path, [0u8; 4096]).unwrap();
                        cmd.env("MATRIX_FUTEX", &path);
                        let word = map_futex_file(path.to_str().unwrap());
                        assert_ne!(word, 0);
                        futex = Some((path, word));
                    }
                    let child = cmd.spawn().unwrap();
                    running.push(Running {
                        case,
                        policy: p,
                        child,
                        futex,
                    });
                }
            }
            let (mut passed, mut failed) = (0, 0);
            let mut rows: Vec<(String, Vec<String>)> = Vec::new();
            for mut r in running {
                let pid = r.child.id() as i32;
                let mut note = String::new();
                let mut status = 0;
                let mut reaped = false;
                // A sleep seen blocked again in `restart_syscall` after the stop: proven, then
                // killed (it would sleep for an hour).
                let mut restarted = false;
                if let Some(n) = blocking_nr(r.case) {
                    // Until the child is blocked in the call (or has ended).
                    loop {
                        if blocked_in(pid) == Some(n) {
                            break;
                        }
                        // SAFETY: `status` is valid for writes; `pid` is our child.
                        if unsafe { libc::waitpid(pid, &mut status, libc::WNOHANG) } == pid {
                            reaped = true;
                            break;
                        }
                        std::thread::yield_now();
                    }
                    if !reaped {
                        // SAFETY: signals to our own child.
                        unsafe {
                            libc::kill(pid, libc::SIGSTOP);
                            libc::waitpid(pid, &mut status, libc::WUNTRACED);
                        }
                        if !libc::WIFSTOPPED(status) {
                            reaped = true;
                        } else {
                            if blocked_in(pid) != Some(n) {
                                note = " (not stopped in the call)".to_string();
                            }
                            // SAFETY: as above.
                            unsafe { libc::kill(pid, libc::SIGCONT) };
                            match (r.case, &r.futex) {
                                ("poll", _) => {
                                    let _ = r.child.stdin.as_mut().unwrap().write_all(b"x");
                                }
                                ("clock_nanosleep" | "nanosleep", _) => loop {
                                    if blocked_in(pid) == Some(nr::restart_syscall) {
                                        restarted = true;
                                        // SAFETY: signals to our own child.
                                        unsafe {
                                            libc::kill(pid, libc::SIGKILL);
                                            libc::waitpid(pid, &mut status, 0);
                                        }
                                        reaped = true;
                                        break;
                                    }
                                    // SAFETY: `status` is valid for writes; our child.
                                    if unsafe { libc::waitpid(pid, &mut status, libc::WNOHANG) }
                                        == pid
                                    {
                                        reaped = true;
                                        break;
                                    }
                                    std::thread::yield_now();
                                },
                                ("futex", Some((_, word))) => {
                                    // SAFETY: the word is in our shared mapping of the file;
                                    // FUTEX_WAKE reads nothing else.
                                    unsafe {
                                        (*word as *const std::sync::atomic::AtomicU32)
                                            .as_ref()
                                            .unwrap()
                                            .store(1, std::sync::atomic::Ordering::SeqCst);
                                        libc::syscall(libc::SYS_futex, *word, 1, 1);
                                    }
                                }
                                _ => {}
                            }
                        }
                    }
                }
                if !reaped {
                    // SAFETY: as above.
                    unsafe { libc::waitpid(pid, &mut status, 0) };
                }
                if let Some((path, _)) = &r.futex {
                    let _ = std::fs::remove_file(path);
                }
                let sleep = matches!(r.case, "clock_nanosleep" | "nanosleep");
                let got = if restarted {
                    "ok".to_string()
                } else if sleep && libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0 {
                    "ended without being seen restarted".to_string()
                } else if libc::WIFEXITED(status) {
                    match libc::WEXITSTATUS(status) {
                        0 => "ok".to_string(),
                        c if c > 100 => Errno::from_raw(c - 100)
                            .and_then(Errno::name)
                            .unwrap_or("errno?")
                            .to_string(),
                        c => format!("exit {c}"),
                    }
                } else if libc::WIFSIGNALED(status) && libc::WTERMSIG(status) == libc::SIGSYS {
                    "SIGSYS".to_string()
                } else if libc::WIFSIGNALED(status) {
                    format!("signal {}", libc::WTERMSIG(status))
                } else {
                    format!("status {status:#x}")
                };
                let cell = format!("{got}{note}");
                if cell == "ok" {
                    passed += 1;
                } else {
                    failed += 1;
                    println!("FAIL {} under {}: {cell}, expected ok", r.case, r.policy);
                }
                match rows.last_mut() {
                    Some((c, cells)) if c == r.case => cells.push(cell),
                    _ => rows.push((r.case.to_string(), vec![cell])),
                }
            }
            println!();
            println!("| well-behaved \\ policy | {} |", POLICIES.join(" | "));
            println!("|---|{}", "---|".repeat(POLICIES.len()));
            for (case, cells) in rows {
                println!("| {case} | {} |", cells.join(" | "));
            }
            (passed, failed)
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
        if let Ok(cell) = std::env::var("MATRIX_BEHAVED") {
            let (p, case) = cell.split_once(':').unwrap_or(("?", "?"));
            behaved::child(p, case);
        }
        let me = std::env::current_exe().unwrap();
        let (mut passed, mut failed) = (0, 0);
        let mut failures = Vec::new();
        println!("| way \\ policy | {} |", POLICIES.join(" | "));
        println!("|---|{}", "---|".repeat(POLICIES.len()));
        for (w, way) in WAYS.iter().enumerate() {
            let mut row = Vec::new();
            let mut none = String::new();
            for p in POLICIES {
                let status = std::process::Command::new(&me)
                    .env("MATRIX_CELL", format!("{p}:{w}"))
                    .status()
                    .unwrap();
                let got = match (status.code(), status.signal()) {
                    (Some(0), _) => "ok".to_string(),
                    // The jump made exit_group(42) from getppid's stub; the forged frame was
                    // restored and resumed at `srop_landed`.
                    (Some(42), _) if w == way::JUMP || w == way::SROP => "ok".to_string(),
                    (None, Some(s)) if s == libc::SIGSYS => "SIGSYS".to_string(),
                    // A refused rt_sigreturn goes on in the vDSO's code on the forged stack:
                    // whatever happens then, the frame was not restored.
                    _ if w == way::SROP => "EPERM".to_string(),
                    (Some(c), _) if c > 100 => Errno::from_raw(c - 100)
                        .and_then(Errno::name)
                        .unwrap_or("errno?")
                        .to_string(),
                    (Some(c), _) => format!("exit {c}"),
                    (None, Some(s)) if s == libc::SIGSYS => "SIGSYS".to_string(),
                    (None, Some(s)) if s == libc::SIGILL && own_fn(w).is_some() => {
                        "SIGILL".to_string()
                    }
                    // A refused jump goes on into the stub's tail (or the vDSO's code), which
                    // expects a frame it did not set up, and crashes (see `jump_into_stub`):
                    // refused all the same.
                    (None, Some(_)) if w == way::JUMP || w == way::SROP => "EPERM".to_string(),
                    (None, Some(s)) => format!("signal {s}"),
                    _ => "?".to_string(),
                };
                if *p == "none" {
                    none = got.clone();
                }
                // An instruction this CPU does not have (sysenter on AMD in 64-bit or
                // compatibility mode, a 32-bit syscall on Intel) makes no call at all.
                let want = if none == "SIGILL" {
                    "SIGILL"
                } else {
                    expected(p, w)
                };
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
        let (p, f) = behaved::run(&me);
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
