//! What intercepting libc's system calls costs: the workload of `benches/trace.rs` (a getppid
//! loop, a 4 KiB pread/pwrite copy loop) made through libc instead of libsys, without
//! interception (`libc`) and with `libsys::restrict::intercept` and a counting observer
//! (`intercept`: Syscall User Dispatch sends each of libc's calls to libsys's SIGSYS handler,
//! which tells the observer and makes the call from libsys's stubs). `tools/bench-trace.sh` runs
//! it next to the other modes (BENCHMARKS.md).
//!
//! Usage: `intercept MODE [CALLS]` with MODE `libc` or `intercept`; prints `getppid NS` and
//! `copy NS` (ns per system call).

#[cfg(any(target_arch = "x86_64", target_arch = "x86"))]
mod util;

#[cfg(any(target_arch = "x86_64", target_arch = "x86"))]
mod bench {
    use libsys::RawRet;
    use libsys::hook::{self, Call};
    use std::os::fd::AsRawFd;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Instant;

    static COUNT: AtomicUsize = AtomicUsize::new(0);

    fn observe(_: &Call<'_>, _: Option<RawRet>) {
        COUNT.fetch_add(1, Ordering::Relaxed);
    }

    pub fn main() {
        let mut args = std::env::args().skip(1);
        let mode = args.next().unwrap_or_else(|| "libc".into());
        let calls: u32 = args.next().and_then(|a| a.parse().ok()).unwrap_or(100_000);
        let files = crate::util::CopyFiles::new("icpt");
        let (src, dst) = (&files.src, &files.dst);
        let mut buf = vec![0u8; 4096];
        match mode.as_str() {
            "libc" => {}
            "intercept" => {
                hook::set_observer(Some(observe));
                libsys::restrict::intercept::start().expect("Syscall User Dispatch");
            }
            other => panic!("unknown mode {other}"),
        }
        let t = Instant::now();
        for _ in 0..calls {
            // SAFETY: getppid has no preconditions.
            std::hint::black_box(unsafe { libc::getppid() });
        }
        let getppid_ns = t.elapsed().as_nanos() as f64 / f64::from(calls);
        let copies = calls / 4;
        let t = Instant::now();
        for i in 0..copies {
            let off = i64::from(i % 256) * 4096;
            // SAFETY: `buf` is valid for writes and reads of its length; the files stay open.
            unsafe {
                let n = libc::pread(
                    src.as_raw_fd(),
                    buf.as_mut_ptr().cast(),
                    buf.len(),
                    off as _,
                );
                assert_eq!(n, 4096);
                libc::pwrite(dst.as_raw_fd(), buf.as_ptr().cast(), n as usize, off as _);
            }
        }
        let copy_ns = t.elapsed().as_nanos() as f64 / f64::from(copies * 2);
        if mode == "intercept" {
            libsys::restrict::intercept::stop_this_thread().expect("dispatch off");
            assert!(COUNT.load(Ordering::Relaxed) >= calls as usize);
        }
        drop(files);
        println!("getppid {getppid_ns:.1}");
        println!("copy {copy_ns:.1}");
    }
}

fn main() {
    #[cfg(any(target_arch = "x86_64", target_arch = "x86"))]
    bench::main();
}
