//! What observing system calls costs: one syscall-heavy workload (a loop of getppid through a
//! `#[syscall]` wrapper, and a small file-copy loop: pread 4 KiB of pseudo-random bytes from
//! one file, pwrite it to another, through `syscall!`) run with no hook and with each way
//! libsys has of seeing the calls:
//!
//! - `other`: a replacement installed for another number (`set_replacement(nr::openat, …)`):
//!   what the numbers without one pay for it;
//! - `observe`: a counting observer (`set_observer`, told after the call, which is made in the
//!   caller's own frame; what the tracer uses);
//! - `count`: a counting hook that makes the call itself (`set_hook`, `Call::real`);
//! - `ring`: the built-in tracer writing strace-format lines into its in-memory ring.
//!
//! The getppid loop calls the wrapper inlined (the system call instruction sits in the loop);
//! the interleaved table also has a loop that calls it through a function that is not inlined
//! (what calling libc's `getppid`, or any wrapper the compiler kept out of line, is). The
//! difference matters on machines whose kernel leaves the return-stack buffer useless on its
//! way out (BENCHMARKS.md): there the first `ret` after a system call is mispredicted, and a
//! call through a function pays that once whether a hook runs or not.
//!
//! The counters are per thread (a `Cell` in a `thread_local!`), as a profiler's would be: the
//! figure is what libsys's hook machinery costs, not a contended atomic.
//!
//! Usage:
//! - `trace MODE [CALLS]`: one mode (`none` for no hook), printing `getppid NS` and `copy NS`
//!   (ns per system call, from the process's own clock). `tools/bench-trace.sh` runs it under
//!   `strace -f` and `strace -f --seccomp-bpf` too, and under callgrind for instruction counts.
//! - `trace --interleave ROUNDS CALLS`: every in-process mode in one process, taking turns
//!   (the order rotated by round), ROUNDS times; per mode the median ns per call over the rounds,
//!   the median of its same-round difference to `none` and of its same-round ratio. This is the
//!   figure for the hooks' own cost: the modes share the same binary, the same code placement
//!   and the machine's slow and fast moments.

#[cfg(target_os = "linux")]
mod util;

#[cfg(target_os = "linux")]
mod bench {
    use crate::util::{CopyFiles, median};
    use libsys::hook::{self, Call};
    use libsys::raw::syscall;
    use libsys::{RawRet, nr, syscall as declare};
    use std::cell::Cell;
    use std::os::fd::AsRawFd;
    use std::time::Instant;

    #[declare(readonly)]
    unsafe fn getppid() -> u32;

    std::thread_local! {
        static COUNT: Cell<u64> = const { Cell::new(0) };
    }

    fn bump() {
        COUNT.with(|c| c.set(c.get() + 1));
    }

    fn count(call: &mut Call<'_>) -> RawRet {
        bump();
        // SAFETY: each call is made once, as the caller asked.
        unsafe { call.real() }
    }

    fn observe(_: &Call<'_>, _: Option<RawRet>) {
        bump();
    }

    fn refuse(_: &mut Call<'_>) -> RawRet {
        libsys::Errno::EPERM.into()
    }

    /// The experiments' hooks: count, make getppid with `make` (inlined into the hook, so that
    /// the hook's own `ret` is the first after the kernel's exit), and every other call with
    /// `Call::real`. x86_64.
    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    fn getppid_by(call: &mut Call<'_>, make: impl FnOnce() -> usize) -> RawRet {
        bump();
        if call.nr() != nr::getppid {
            // SAFETY: each call is made once, as the caller asked.
            return unsafe { call.real() };
        }
        RawRet(make())
    }

    /// A hook that makes getppid itself with an inline `syscall` (no stub, no `Call::real`):
    /// what any hook that makes the call pays after the kernel's exit, at the least.
    #[cfg(target_arch = "x86_64")]
    fn asm_hook(call: &mut Call<'_>) -> RawRet {
        getppid_by(call, || {
            let r: usize;
            // SAFETY: getppid takes no arguments and writes no memory; `syscall` clobbers rcx
            // and r11.
            unsafe {
                core::arch::asm!(
                    "syscall",
                    inlateout("rax") nr::getppid => r,
                    out("rcx") _, out("r11") _,
                    options(nostack, preserves_flags)
                );
            }
            r
        })
    }

    /// The same, then 16 `call`s that push return addresses of its own onto the CPU's
    /// return-stack buffer (each `call` lands on an `add rsp, 8` that drops the address from
    /// the stack again): an experiment on what the `ret`s after the kernel's exit cost on a
    /// machine whose kernel leaves entries of its own there (BENCHMARKS.md).
    #[cfg(target_arch = "x86_64")]
    fn asm_refill_hook(call: &mut Call<'_>) -> RawRet {
        getppid_by(call, || {
            let r: usize;
            // SAFETY: getppid takes no arguments and writes no memory; `syscall` clobbers rcx
            // and r11, the loop rcx and the flags. Each `call` pushes 8 bytes below rsp, which
            // the `add` right after it takes back (the red zone is not used: `nostack` is not
            // given).
            unsafe {
                core::arch::asm!(
                    "syscall",
                    "mov ecx, 16",
                    "2:",
                    "call 3f",
                    "int3",
                    "3:",
                    "add rsp, 8",
                    "dec ecx",
                    "jnz 2b",
                    inlateout("rax") nr::getppid => r,
                    out("rcx") _, out("r11") _,
                );
            }
            r
        })
    }

    /// The modes that run in-process, in the order of the table.
    #[cfg(target_arch = "x86_64")]
    const MODES: [&str; 7] = [
        "none",
        "other",
        "observe",
        "count",
        "ring",
        "asm",
        "asm-refill",
    ];
    #[cfg(not(target_arch = "x86_64"))]
    const MODES: [&str; 5] = ["none", "other", "observe", "count", "ring"];

    fn start(mode: &str) {
        match mode {
            "none" => {}
            // SAFETY: the replacement refuses openat, which the workload does not make.
            "other" => unsafe {
                hook::set_replacement(nr::openat, Some(refuse)).expect("openat has a slot");
            },
            // SAFETY: the hook makes each call as asked.
            "count" => unsafe {
                hook::set_hook(Some(count));
            },
            "observe" => {
                hook::set_observer(Some(observe));
            }
            "ring" => {
                libsys::trace::start(libsys::trace::Sink::Ring);
            }
            // SAFETY: the hook makes each call as asked.
            #[cfg(target_arch = "x86_64")]
            "asm" => unsafe {
                hook::set_hook(Some(asm_hook));
            },
            // SAFETY: as above.
            #[cfg(target_arch = "x86_64")]
            "asm-refill" => unsafe {
                hook::set_hook(Some(asm_refill_hook));
            },
            other => panic!("unknown mode {other}"),
        }
    }

    fn stop(mode: &str) {
        match mode {
            // SAFETY: removing a replacement or the hook is always fine.
            "other" => unsafe {
                hook::set_replacement(nr::openat, None).expect("openat has a slot");
            },
            // SAFETY: as above.
            "count" | "asm" | "asm-refill" => unsafe {
                hook::set_hook(None);
            },
            "observe" => {
                hook::set_observer(None);
            }
            "ring" => libsys::trace::stop(),
            _ => {}
        }
    }

    struct Files {
        files: CopyFiles,
        buf: Vec<u8>,
    }

    impl Files {
        fn new() -> Files {
            Files {
                files: CopyFiles::new("trace"),
                buf: vec![0u8; 4096],
            }
        }
    }

    /// getppid through a function that is not inlined.
    #[inline(never)]
    fn getppid_called() -> u32 {
        // SAFETY: getppid writes no memory.
        unsafe { getppid() }
    }

    /// `calls` getppid calls through a function that is not inlined: ns per call.
    fn called(calls: u32) -> f64 {
        let t = Instant::now();
        for _ in 0..calls {
            std::hint::black_box(getppid_called());
        }
        t.elapsed().as_nanos() as f64 / f64::from(calls)
    }

    /// `calls` getppid calls, then `calls / 4` pread+pwrite pairs: ns per call of each loop.
    fn workload(f: &mut Files, calls: u32) -> (f64, f64) {
        let t = Instant::now();
        for _ in 0..calls {
            // SAFETY: getppid writes no memory.
            std::hint::black_box(unsafe { getppid() });
        }
        let getppid_ns = t.elapsed().as_nanos() as f64 / f64::from(calls);
        let copies = (calls / 4).max(1);
        let (src, dst) = (f.files.src.as_raw_fd(), f.files.dst.as_raw_fd());
        let buf = &mut f.buf;
        let t = Instant::now();
        for i in 0..copies {
            let off = u64::from(i % 256) * 4096;
            // SAFETY: `buf` is valid for writes and reads of its length; the files stay open.
            unsafe {
                let n = syscall!(nr::pread64, src, buf.as_mut_ptr(), buf.len(), off).unwrap();
                syscall!(nr::pwrite64, dst, buf.as_ptr(), n, off).unwrap();
            }
        }
        let copy_ns = t.elapsed().as_nanos() as f64 / f64::from(copies * 2);
        (getppid_ns, copy_ns)
    }

    fn interleave(rounds: usize, calls: u32) {
        let mut f = Files::new();
        let k = MODES.len();
        // ns[mode][round] for each loop.
        let mut pp = vec![vec![0f64; rounds]; k];
        let mut pc = vec![vec![0f64; rounds]; k];
        let mut cp = vec![vec![0f64; rounds]; k];
        // A warm-up round, not counted.
        for m in MODES {
            start(m);
            workload(&mut f, calls / 4);
            stop(m);
        }
        for r in 0..rounds {
            for i in 0..k {
                let m = (i + r) % k;
                let before = COUNT.with(Cell::get);
                start(MODES[m]);
                (pp[m][r], cp[m][r]) = workload(&mut f, calls);
                pc[m][r] = called(calls);
                stop(MODES[m]);
                // The counting modes saw every call of the round: 2 x getppid loops and the
                // copy pairs.
                let seen = COUNT.with(Cell::get) - before;
                let made = 2 * u64::from(calls) + 2 * u64::from((calls / 4).max(1));
                if matches!(MODES[m], "observe" | "count") {
                    assert!(seen >= made, "{}: {seen} of {made} calls seen", MODES[m]);
                }
            }
        }
        println!(
            "{rounds} rounds x {calls} getppid calls and {} pread+pwrite pairs per mode, interleaved in one process; + ns: median of the same-round differences to none",
            calls / 4
        );
        println!(
            "| mode | getppid inlined ns/call | + ns | x none | getppid called ns/call | + ns | x none | copy ns/call | + ns | x none |"
        );
        println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (m, name) in MODES.iter().enumerate() {
            let stats = |v: &[Vec<f64>]| {
                let mut d: Vec<f64> = (0..rounds).map(|r| v[m][r] - v[0][r]).collect();
                let mut q: Vec<f64> = (0..rounds).map(|r| v[m][r] / v[0][r]).collect();
                (median(&mut v[m].clone()), median(&mut d), median(&mut q))
            };
            let (a, ad, aq) = stats(&pp);
            let (c, cd, cq) = stats(&pc);
            let (b, bd, bq) = stats(&cp);
            println!(
                "| {name} | {a:.1} | {ad:+.1} | {aq:.3} | {c:.1} | {cd:+.1} | {cq:.3} | {b:.1} | {bd:+.1} | {bq:.3} |"
            );
        }
    }

    pub fn main() {
        let args: Vec<String> = std::env::args().skip(1).collect();
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        if let ["--interleave", rounds, calls] = args.as_slice() {
            interleave(
                rounds.parse().expect("ROUNDS: a number"),
                calls.parse().expect("CALLS: a number"),
            );
            return;
        }
        let mode = args.first().copied().unwrap_or("none");
        let calls: u32 = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(200_000);
        let mut f = Files::new();
        start(mode);
        let (getppid_ns, copy_ns) = workload(&mut f, calls);
        stop(mode);
        drop(f);
        println!("getppid {getppid_ns:.1}");
        println!("copy {copy_ns:.1}");
        if mode == "count" || mode == "observe" {
            assert!(COUNT.with(Cell::get) >= u64::from(calls));
        }
    }
}

fn main() {
    #[cfg(target_os = "linux")]
    bench::main();
}
