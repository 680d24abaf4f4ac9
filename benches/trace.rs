//! What observing system calls costs: one syscall-heavy workload (a loop of getppid, and a
//! small file-copy loop: pread 4 KiB from one file, pwrite it to another) run with no hook, with
//! a counting hook, and with the built-in tracer writing strace-format lines into its in-memory
//! ring. Counting is done two ways: a hook that makes the call itself (`count`: `set_hook`) and
//! an observer told afterwards (`observe`: `set_observer`, what the tracer uses).
//! `tools/bench-trace.sh` runs this binary for each mode, and under `strace -f` and
//! `strace -f --seccomp-bpf`, alternating, and prints ns per call with the ratios
//! (BENCHMARKS.md).
//!
//! Usage: `trace MODE [CALLS]` with MODE `none`, `count`, `observe` or `ring`; prints
//! `getppid NS` and `copy NS` (ns per system call, from the process's own clock).

#[cfg(target_os = "linux")]
mod bench {
    use libsys::hook::{self, Call};
    use libsys::raw::syscall;
    use libsys::{RawRet, nr, syscall as declare};
    use std::os::fd::AsRawFd;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Instant;

    #[declare(readonly)]
    unsafe fn getppid() -> u32;

    static COUNT: AtomicUsize = AtomicUsize::new(0);

    fn count(call: &mut Call<'_>) -> RawRet {
        COUNT.fetch_add(1, Ordering::Relaxed);
        // SAFETY: each call is made once, as the caller asked.
        unsafe { call.real() }
    }

    fn observe(_: &Call<'_>, _: Option<RawRet>) {
        COUNT.fetch_add(1, Ordering::Relaxed);
    }

    pub fn main() {
        let mut args = std::env::args().skip(1);
        let mode = args.next().unwrap_or_else(|| "none".into());
        let calls: u32 = args.next().and_then(|a| a.parse().ok()).unwrap_or(200_000);
        let dir = std::env::temp_dir().join(format!("libsys-bench-trace-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let src = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(true)
            .open(dir.join("src"))
            .unwrap();
        src.set_len(1 << 20).unwrap();
        let dst = std::fs::File::create(dir.join("dst")).unwrap();
        match mode.as_str() {
            "none" => {}
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
            other => panic!("unknown mode {other}"),
        }
        let t = Instant::now();
        for _ in 0..calls {
            // SAFETY: getppid writes no memory.
            std::hint::black_box(unsafe { getppid() });
        }
        let getppid_ns = t.elapsed().as_nanos() as f64 / f64::from(calls);
        let mut buf = vec![0u8; 4096];
        let copies = calls / 4;
        let t = Instant::now();
        for i in 0..copies {
            let off = u64::from(i % 256) * 4096;
            // SAFETY: `buf` is valid for writes and reads of its length; the files stay open.
            unsafe {
                let n = syscall!(
                    nr::pread64,
                    src.as_raw_fd(),
                    buf.as_mut_ptr(),
                    buf.len(),
                    off
                )
                .unwrap();
                syscall!(nr::pwrite64, dst.as_raw_fd(), buf.as_ptr(), n, off).unwrap();
            }
        }
        let copy_ns = t.elapsed().as_nanos() as f64 / f64::from(copies * 2);
        if mode == "ring" {
            libsys::trace::stop();
        }
        let _ = std::fs::remove_dir_all(&dir);
        println!("getppid {getppid_ns:.1}");
        println!("copy {copy_ns:.1}");
        if mode == "count" || mode == "observe" {
            assert!(COUNT.load(Ordering::Relaxed) >= calls as usize);
        }
    }
}

fn main() {
    #[cfg(target_os = "linux")]
    bench::main();
}
