//! The main example, one screen of what libsys is for: system calls declared with `#[syscall]`,
//! the vDSO clock, a few facts of the auxiliary vector, and a short trace of its own calls by
//! the built-in tracer (sys-trace, into its in-memory ring) — no libc function called for any
//! of it.
//!
//! Run it with `cargo run --example hello` from the repository root. It belongs to the
//! `libsys-demo` package (demo/), which takes libsys with the `hooks` and `trace` features, as a
//! program of yours would; the root package's own tests and benchmarks build libsys without
//! them. Facts: uname(2), getcwd(2), openat(2), read(2), close(2), getauxval(3), vdso(7).

use core::ffi::CStr;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd, RawFd};

use libsys::sys_vdso::{self, ClockId};
use libsys::trace::ring::Read;
use libsys::trace::{RING, Sink};
use libsys::{Errno, sys_auxv, syscall};

/// The directory the working directory means (`AT_FDCWD`).
const AT_FDCWD: RawFd = -100;
const O_RDONLY: u32 = 0;
const O_CLOEXEC: u32 = 0o2_000_000;

#[syscall(readonly)]
unsafe fn getpid() -> u32;
#[syscall]
unsafe fn uname(buf: &mut [[u8; 65]; 6]) -> Result<(), Errno>;
#[syscall]
unsafe fn getcwd(buf: &mut [u8]) -> Result<usize, Errno>;
#[syscall]
unsafe fn openat(dirfd: RawFd, path: &CStr, flags: u32, mode: u32) -> Result<OwnedFd, Errno>;
#[syscall]
unsafe fn read(fd: BorrowedFd<'_>, buf: &mut [u8]) -> Result<usize, Errno>;
#[syscall(readonly)]
unsafe fn write(fd: RawFd, buf: &[u8]) -> Result<usize, Errno>;
#[syscall(readonly)]
unsafe fn close(fd: RawFd) -> Result<(), Errno>;

/// A NUL-terminated field as text.
fn text(b: &[u8]) -> String {
    let end = b.iter().position(|&c| c == 0).unwrap_or(b.len());
    String::from_utf8_lossy(&b[..end]).into_owned()
}

fn main() -> Result<(), Errno> {
    println!("libsys: Linux system calls for Rust, outside libc\n");

    println!("Declared wrappers (#[syscall]):");
    let mut u = [[0u8; 65]; 6];
    // SAFETY: `u` is a `struct utsname` (six 65-byte fields), valid for writes.
    unsafe { uname(&mut u) }?;
    // SAFETY: getpid has no preconditions.
    let pid = unsafe { getpid() };
    println!(
        "  getpid() = {pid}; uname: {} {} {}",
        text(&u[0]),
        text(&u[2]),
        text(&u[4])
    );
    let mut cwd = [0u8; 4096];
    // SAFETY: `cwd` is valid for writes of its length.
    let n = unsafe { getcwd(&mut cwd) }?;
    println!("  getcwd() = {:?}", text(&cwd[..n]));
    // SAFETY: the path is NUL-terminated; the descriptor returned is new and ours.
    let fd = unsafe { openat(AT_FDCWD, c"/proc/self/comm", O_RDONLY | O_CLOEXEC, 0) }?;
    let mut comm = [0u8; 64];
    // SAFETY: `comm` is valid for writes of its length.
    let n = unsafe { read(fd.as_fd(), &mut comm) }?;
    println!(
        "  openat + read /proc/self/comm: {:?} ({n} bytes)",
        text(&comm[..n])
    );
    drop(fd); // OwnedFd closes it
    // SAFETY: as above.
    let e = unsafe { openat(AT_FDCWD, c"/no/such/file", O_RDONLY, 0) }.unwrap_err();
    println!(
        "  openat(\"/no/such/file\") = {e:?}: {e}, errno {}",
        e.raw()
    );

    println!("\nThe vDSO (no system call):");
    let t = sys_vdso::clock_gettime(ClockId::MONOTONIC)?;
    let via = sys_vdso::entry_point(sys_vdso::Function::ClockGettime);
    println!(
        "  clock_gettime(CLOCK_MONOTONIC) = {}.{:09} s, via {}",
        t.sec,
        t.nsec,
        via.map_or("the system call".to_owned(), |p| format!(
            "the vDSO at {p:p}"
        ))
    );
    let (cpu, node) = sys_vdso::getcpu()?;
    let mut key = [0u8; 8];
    sys_vdso::random::fill(&mut key, 0)?;
    println!("  getcpu() = cpu {cpu}, node {node}; getrandom: {key:02x?}");

    println!("\nThe auxiliary vector (source: {:?}):", sys_auxv::source());
    println!(
        "  page size {}, AT_EXECFN {:?}",
        sys_auxv::page_size().unwrap_or(0),
        sys_auxv::execfn().unwrap_or(c"?")
    );
    println!(
        "  AT_PLATFORM {:?}, AT_HWCAP {:#x}",
        sys_auxv::platform().unwrap_or(c"?"),
        sys_auxv::hwcap().unwrap_or(0)
    );
    match (sys_auxv::sysinfo_ehdr(), sys_vdso::Vdso::get()) {
        (Some(at), Some(v)) => println!(
            "  AT_SYSINFO_EHDR: a vDSO is mapped at {at:p}, {} symbols",
            v.symbols().count()
        ),
        _ => println!("  AT_SYSINFO_EHDR: no vDSO mapped"),
    }

    let by_vdso: Vec<&str> = [
        ("clock_gettime", sys_vdso::Function::ClockGettime),
        ("getcpu", sys_vdso::Function::Getcpu),
        ("getrandom", sys_vdso::Function::Getrandom),
    ]
    .into_iter()
    .filter(|&(_, f)| sys_vdso::entry_point(f).is_some())
    .map(|(name, _)| name)
    .collect();
    println!("\nIts own calls, traced by sys-trace into its in-memory ring (strace's format;");
    println!(
        "answered by the vDSO, unseen by strace: {}):",
        by_vdso.join(", ")
    );
    let mut reader = RING.reader_from_now();
    libsys::trace::start(Sink::Ring);
    // SAFETY: as above.
    let _ = unsafe { openat(AT_FDCWD, c"/no/such/file", O_RDONLY | O_CLOEXEC, 0) };
    // SAFETY: fd 1 is the inherited stdout; the buffer is valid for reads.
    let _ = unsafe { write(1, b"  (this line is the traced write)\n") };
    let _ = sys_vdso::clock_gettime(ClockId::MONOTONIC);
    let _ = sys_vdso::sched_getcpu();
    let _ = sys_vdso::getrandom(&mut key, 0);
    // SAFETY: closing -1 closes nothing: EBADF.
    let _ = unsafe { close(-1) };
    libsys::trace::stop();
    let mut line = [0u8; 256];
    loop {
        match reader.read(&RING, &mut line) {
            Read::Line(n) => print!("  {}", String::from_utf8_lossy(&line[..n.min(line.len())])),
            Read::Lost(_) | Read::Pending => reader.skip(),
            Read::Empty => break,
        }
    }
    Ok(())
}
