//! strace as the oracle: this program runs a workload of system calls made through sys-core
//! under `strace -f` with the tracer on (writing to stdout), and compares the tracer's lines
//! with strace's for the same calls, after replacing addresses (`0x…`) with `ADDR`. Without
//! strace (or where ptrace is not allowed) it says so and passes. Run with
//! `cargo test -p sys-trace --features hooks --test strace`.

use std::collections::BTreeSet;
use std::process::{Command, Stdio};
use sys_core::{nr, syscall, syscall_readonly};

const CHILD: &str = "SYS_TRACE_ORACLE_CHILD";
/// The first call of the compared window: both tracers print it.
const MARKER: &[u8] = b"sys-trace oracle: begin\n";

fn main() {
    if let Some(dir) = std::env::var_os(CHILD) {
        workload(std::path::Path::new(&dir));
    }
    parent();
}

fn parent() {
    // strace runs here natively on x86 only; other architectures run under qemu-user, whose
    // strace cannot follow a guest.
    if !cfg!(any(target_arch = "x86_64", target_arch = "x86")) {
        println!("strace oracle: skipped (not a native x86 target)");
        return;
    }
    let ok = Command::new("strace")
        .args(["-o", "/dev/null", "true"])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        println!("strace oracle: skipped (strace missing or ptrace not allowed)");
        return;
    }
    let dir = std::env::temp_dir().join(format!("sys-trace-oracle-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let exe = std::env::current_exe().unwrap();
    let out = Command::new("strace")
        .args(["-f", "-qq", "-e", "signal=none", "-s", "32", "-a", "1"])
        .arg(&exe)
        .env(CHILD, &dir)
        .env("LIBSYS_TRACE", "fd:1")
        .output()
        .unwrap();
    let ours = String::from_utf8_lossy(&out.stdout).into_owned();
    let theirs = String::from_utf8_lossy(&out.stderr).into_owned();
    std::fs::write(dir.join("tracer.txt"), &ours).unwrap();
    std::fs::write(dir.join("strace.txt"), &theirs).unwrap();

    let ours: Vec<String> = ours.lines().map(normalise).collect();
    let names: BTreeSet<String> = ours.iter().map(|l| name_of(l).to_owned()).collect();
    // strace prefixes every line with `[pid N] ` while the process has several threads; the
    // tracer only the lines of threads other than the main one (it cannot count the threads
    // without a system call per line): the main thread's prefix is dropped here.
    let main_prefix = format!("[pid {:5}] ", main_pid(&ours).unwrap_or(0));
    let theirs: Vec<String> = theirs
        .lines()
        .skip_while(|l| !l.contains("sys-trace oracle: begin"))
        .filter(|l| !l.contains("+++") && !l.contains("---"))
        .map(|l| l.strip_prefix(main_prefix.as_str()).unwrap_or(l))
        // exit_group in a process with other threads: strace ends the line when they are gone.
        .map(|l| match l.strip_suffix(" <unfinished ...>") {
            Some(call) if name_of(call) == "exit_group" => format!("{call}) = ?"),
            _ => l.to_owned(),
        })
        .map(|l| normalise(&l))
        // The tracer's own calls: its lines (to stdout) and its thread-id look-ups.
        .filter(|l| !l.starts_with("write(1, ") && !strip_pid(l).starts_with("write(1, "))
        .filter(|l| names.contains(name_of(l)))
        .collect();

    let mut diffs = 0;
    for i in 0..ours.len().max(theirs.len()) {
        let a = ours.get(i).map_or("<none>", String::as_str);
        let b = theirs.get(i).map_or("<none>", String::as_str);
        if a != b {
            diffs += 1;
            println!(
                "differ at line {}:\n  sys-trace: {a}\n  strace:    {b}",
                i + 1
            );
        }
    }
    println!(
        "strace oracle: {} lines, {} different system calls, {} differences (files in {})",
        ours.len(),
        names.len(),
        diffs,
        dir.display()
    );
    assert!(names.len() >= 20, "fewer than 20 different calls compared");
    assert_eq!(diffs, 0, "the tracer's lines differ from strace's");
    let _ = std::fs::remove_dir_all(&dir);
}

/// The main thread's id: the result of the workload's `getpid()`.
fn main_pid(lines: &[String]) -> Option<u32> {
    lines
        .iter()
        .find_map(|l| l.strip_prefix("getpid() = "))
        .and_then(|p| p.parse().ok())
}

/// The line without a `[pid N] ` prefix.
fn strip_pid(l: &str) -> &str {
    match l.strip_prefix("[pid ") {
        Some(rest) => rest.split_once("] ").map_or(l, |(_, r)| r),
        None => l,
    }
}

/// The call's name.
fn name_of(l: &str) -> &str {
    let l = strip_pid(l);
    l.split_once('(').map_or(l, |(n, _)| n)
}

/// Addresses (`0x…`) replaced with `ADDR`.
fn normalise(l: &str) -> String {
    let mut out = String::new();
    let mut rest = l;
    while let Some(i) = rest.find("0x") {
        out.push_str(&rest[..i]);
        let after = &rest[i + 2..];
        let n = after.bytes().take_while(u8::is_ascii_hexdigit).count();
        if n == 0 {
            out.push_str("0x");
        } else {
            out.push_str("ADDR");
        }
        rest = &after[n..];
    }
    out.push_str(rest);
    out
}

fn c(s: &str) -> std::ffi::CString {
    std::ffi::CString::new(s).unwrap()
}

/// The calls, each through sys-core; ends the process with exit_group.
#[allow(clippy::too_many_lines, reason = "one workload, call after call")]
fn workload(dir: &std::path::Path) -> ! {
    let file = c(dir.join("file").to_str().unwrap());
    let sub = c(dir.join("sub").to_str().unwrap());
    let renamed = c(dir.join("renamed").to_str().unwrap());
    // A thread that makes calls while the main thread waits (in an untraced futex), so that
    // neither tracer splits lines.
    let ready = std::sync::Arc::new(std::sync::Barrier::new(2));
    let go = std::sync::Arc::new(std::sync::Barrier::new(2));
    let done = std::sync::Arc::new(std::sync::Barrier::new(2));
    let (ready2, go2, done2) = (ready.clone(), go.clone(), done.clone());
    let thread = std::thread::spawn(move || {
        ready2.wait();
        go2.wait();
        // SAFETY: getppid writes no memory.
        let _ = unsafe { syscall_readonly!(nr::getppid) };
        // SAFETY: closing a descriptor that does not exist.
        let _ = unsafe { syscall_readonly!(nr::close, -2) };
        done2.wait();
        // Stay until exit_group: a thread's own exit unmaps its signal stack, a call strace
        // would show and the tracer (which sees libsys's calls only) would not.
        loop {
            std::thread::park();
        }
    });

    ready.wait();
    // The environment's switch, as a program that opts in uses it (`LIBSYS_TRACE=fd:1`).
    assert_eq!(
        sys_trace::from_env(),
        Some(sys_trace::Mode::Print(sys_trace::Sink::Fd(1)))
    );
    // SAFETY: (all calls below) buffers are valid for their lengths, descriptors are the
    // workload's own, paths are NUL-terminated.
    unsafe {
        let _ = syscall_readonly!(nr::write, -1, MARKER.as_ptr(), MARKER.len());
        let pid = syscall_readonly!(nr::getpid).unwrap();
        let _ = syscall_readonly!(nr::getppid);
        let _ = syscall_readonly!(nr::getuid);
        let fd = syscall!(
            nr::openat,
            libc::AT_FDCWD,
            file.as_ptr(),
            libc::O_RDWR | libc::O_CREAT | libc::O_TRUNC | libc::O_CLOEXEC,
            0o644
        )
        .unwrap() as i32;
        let text: &[u8] =
            b"hello\n\t\"q\"\\ \0\x01\x7f\xff\x0012 0123456789abcdefghijklmnopqrstuvwxyz";
        let _ = syscall_readonly!(nr::write, fd, text.as_ptr(), text.len());
        let _ = syscall_readonly!(nr::lseek, fd, 0, libc::SEEK_SET);
        let mut buf = [0u8; 4096];
        let _ = syscall!(nr::read, fd, buf.as_mut_ptr(), buf.len());
        let _ = syscall!(nr::pread64, fd, buf.as_mut_ptr(), 5usize, 2u64);
        let _ = syscall_readonly!(nr::pwrite64, fd, b"XY".as_ptr(), 2usize, 1u64);
        #[cfg(target_pointer_width = "64")]
        let _ = syscall!(nr::fstat, -1, buf.as_mut_ptr());
        #[cfg(target_pointer_width = "32")]
        let _ = syscall!(nr::fstat64, -1, buf.as_mut_ptr());
        #[cfg(target_pointer_width = "64")]
        let fcntl = nr::fcntl;
        #[cfg(target_pointer_width = "32")]
        let fcntl = nr::fcntl64;
        let _ = syscall!(fcntl, fd, libc::F_GETFD);
        let _ = syscall!(fcntl, fd, libc::F_GETFL);
        let _ = syscall!(fcntl, fd, libc::F_SETFD, libc::FD_CLOEXEC);
        let _ = syscall!(fcntl, fd, libc::F_SETFL, libc::O_NONBLOCK);
        let _ = syscall!(fcntl, fd, libc::F_DUPFD_CLOEXEC, 20);
        let _ = syscall!(nr::ioctl, fd, libc::TCGETS, buf.as_mut_ptr());
        let _ = syscall_readonly!(nr::close, fd);
        let _ = syscall_readonly!(nr::close, -1);
        let _ = syscall_readonly!(
            nr::openat,
            libc::AT_FDCWD,
            c"/nonexistent/sys-trace".as_ptr(),
            libc::O_RDONLY
        );
        #[cfg(target_pointer_width = "64")]
        let mmap = nr::mmap;
        #[cfg(target_pointer_width = "32")]
        let mmap = nr::mmap2;
        let map = syscall!(
            mmap,
            0usize,
            8192usize,
            libc::PROT_READ | libc::PROT_WRITE,
            libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
            -1,
            0usize
        )
        .unwrap();
        let _ = syscall!(nr::mprotect, map, 4096usize, libc::PROT_READ);
        let _ = syscall!(nr::munmap, map, 8192usize);
        let _ = syscall!(nr::brk, 0usize);
        let _ = syscall!(nr::uname, buf.as_mut_ptr());
        let _ = syscall!(nr::getcwd, buf.as_mut_ptr(), buf.len());
        let _ = syscall!(nr::mkdirat, libc::AT_FDCWD, sub.as_ptr(), 0o755);
        let _ = syscall!(nr::chdir, sub.as_ptr());
        let _ = syscall!(nr::chdir, c"..".as_ptr());
        let _ = syscall!(
            nr::renameat2,
            libc::AT_FDCWD,
            file.as_ptr(),
            libc::AT_FDCWD,
            renamed.as_ptr(),
            libc::RENAME_NOREPLACE
        );
        let _ = syscall!(nr::unlinkat, libc::AT_FDCWD, renamed.as_ptr(), 0);
        let _ = syscall!(
            nr::unlinkat,
            libc::AT_FDCWD,
            sub.as_ptr(),
            libc::AT_REMOVEDIR
        );
        let mut fds = [0i32; 2];
        let _ = syscall!(nr::pipe2, fds.as_mut_ptr(), libc::O_CLOEXEC);
        let _ = syscall!(nr::dup3, fds[0], 30, libc::O_CLOEXEC);
        let mut ts = [0usize; 4];
        #[cfg(target_pointer_width = "64")]
        let _ = syscall!(nr::clock_gettime, libc::CLOCK_MONOTONIC, ts.as_mut_ptr());
        #[cfg(target_pointer_width = "32")]
        let _ = syscall!(nr::clock_gettime64, libc::CLOCK_MONOTONIC, ts.as_mut_ptr());
        let short: [isize; 2] = [0, 1000];
        let _ = syscall!(nr::nanosleep, short.as_ptr(), 0usize);
        let _ = syscall!(
            nr::clock_nanosleep,
            libc::CLOCK_MONOTONIC,
            0,
            short.as_ptr(),
            0usize
        );
        let _ = syscall!(nr::getrandom, buf.as_mut_ptr(), 8usize, 1u32);
        let s = syscall!(
            nr::socket,
            libc::AF_UNIX,
            libc::SOCK_DGRAM | libc::SOCK_CLOEXEC,
            0
        )
        .unwrap();
        let _ = syscall_readonly!(nr::close, s);
        let mut sv = [0i32; 2];
        let _ = syscall!(
            nr::socketpair,
            libc::AF_UNIX,
            libc::SOCK_DGRAM,
            0,
            sv.as_mut_ptr()
        );
        let _ = syscall!(nr::sendto, sv[0], b"ping".as_ptr(), 4usize, 0, 0usize, 0);
        let _ = syscall!(
            nr::recvfrom,
            sv[1],
            buf.as_mut_ptr(),
            64usize,
            0,
            0usize,
            0usize
        );
        let _ = syscall_readonly!(nr::kill, pid, 0);
        go.wait();
        done.wait();
        drop(thread);
        let _ = syscall_readonly!(nr::exit_group, 0);
    }
    std::process::exit(1)
}
