//! strace as the oracle: this program runs a workload of system calls made through sys-core
//! under `strace -f` with the tracer on (writing to stdout), and compares the tracer's lines
//! with strace's for the same calls, after replacing addresses (`0x…`) with `ADDR`. Without
//! strace (or where ptrace is not allowed) it says so and passes. Run with
//! `cargo test -p sys-trace --features hooks --test strace`.
//!
//! Under qemu-user (the other architectures; strace cannot trace a guest) qemu's own `-strace`
//! is the oracle instead, when `LIBSYS_QEMU` holds the qemu command (tools/cross-env.sh's
//! `target_env` sets it; tools/qemu-strace-check.sh runs this for every qemu target). qemu's
//! format differs (`PID name(a,b) = r`, buffers as addresses, `-1 errno=9 (…)`, some flags as
//! numbers, calls without a decoder as six raw words), so the lines are compared in a form both
//! give: the name, the thread, each argument both print as an integer, and the result (the
//! errno value, from sys-core's `Errno::from_name` for the tracer's names, on the target).
//! Sources for qemu's format: qemu 10 linux-user/strace.c and strace.list, and its output.

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
    normalised_form_self_check();
    // strace runs here natively on x86 only; other architectures run under qemu-user, whose
    // strace cannot follow a guest: there qemu's own `-strace` is the oracle.
    if !cfg!(any(target_arch = "x86_64", target_arch = "x86")) {
        match std::env::var("LIBSYS_QEMU") {
            Ok(qemu) => qemu_oracle(&qemu),
            Err(_) => println!("strace oracle: skipped (not a native x86 target, no LIBSYS_QEMU)"),
        }
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

    // The workload's own forks: the tracer prints the call in the parent and in the child
    // (`= 0`), with the number of a call it does not decode in hex; strace only in the parent,
    // decoded. What the comparison is about is the children's lines after it.
    let ours: Vec<String> = ours
        .lines()
        .filter(|l| !FORKS.contains(&name_of(l)))
        .map(normalise)
        .collect();
    let names: BTreeSet<String> = ours.iter().map(|l| name_of(l).to_owned()).collect();
    // strace prefixes every line with `[pid N] ` while the process has several threads; the
    // tracer only the lines of threads other than the main one (it cannot count the threads
    // without a system call per line): the main thread's prefix is dropped here.
    let main_prefix = format!("[pid {:5}] ", main_pid(&ours).unwrap_or(0));
    let theirs = join_resumed(&theirs);
    let theirs: Vec<String> = theirs
        .iter()
        .map(String::as_str)
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

/// The calls that make the workload's forked children (not compared).
const FORKS: &[&str] = &["fork", "clone"];

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

/// strace -f's lines with each call that another process's call interrupted (`[pid N]
/// getppid( <unfinished ...>`, later `[pid N] <... getppid resumed>) = 1`) joined into one line,
/// at the place where the call began. A call that never resumes (`exit_group`) stays as it is.
fn join_resumed(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    // The pid's unfinished call: its index in `out`.
    let mut open: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for l in text.lines() {
        let pid = l
            .strip_prefix("[pid ")
            .and_then(|r| r.split_once(']'))
            .map_or(String::new(), |(p, _)| p.trim().to_owned());
        if let Some(call) = l.strip_suffix(" <unfinished ...>") {
            open.insert(pid, out.len());
            out.push(call.to_owned());
            continue;
        }
        let body = strip_pid(l);
        if let Some(rest) = body.strip_prefix("<... ")
            && let Some((_, tail)) = rest.split_once(" resumed>")
            && let Some(i) = open.remove(&pid)
            && let Some(start) = out.get_mut(i)
        {
            start.push_str(tail);
            continue;
        }
        out.push(l.to_owned());
    }
    // Calls left unfinished keep strace's marker.
    for i in open.into_values() {
        if let Some(l) = out.get_mut(i) {
            l.push_str(" <unfinished ...>");
        }
    }
    out
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
    let top = c(dir.to_str().unwrap());
    let long = c(&"n".repeat(300));
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
    // The environment's switch, as a program that opts in uses it (`LIBSYS_TRACE=fd:1`):
    // from the environment sys-auxv captured at start-up, or on musl (no capture) from
    // `/proc/self/environ`.
    let mode = sys_trace::from_env();
    assert_eq!(mode, Some(sys_trace::Mode::Print(sys_trace::Sink::Fd(1))));
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
        #[cfg(not(target_arch = "s390x"))]
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
        // s390x's mmap is the kernel's old_mmap: one pointer to the six words.
        #[cfg(target_arch = "s390x")]
        let block: [usize; 6] = [
            0,
            8192,
            (libc::PROT_READ | libc::PROT_WRITE) as usize,
            (libc::MAP_PRIVATE | libc::MAP_ANONYMOUS) as usize,
            -1isize as usize,
            0,
        ];
        #[cfg(target_arch = "s390x")]
        let map = syscall!(mmap, block.as_ptr()).unwrap();
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
        // Errors whose values differ by architecture (mips: ENOTEMPTY 93, ENAMETOOLONG 78).
        let _ = syscall!(
            nr::unlinkat,
            libc::AT_FDCWD,
            top.as_ptr(),
            libc::AT_REMOVEDIR
        );
        let _ = syscall!(nr::openat, libc::AT_FDCWD, long.as_ptr(), libc::O_RDONLY);
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
        // Forked children: their lines carry their own id (`[pid C] `), not the forking
        // thread's (which the tracer may have cached): a child of libc's fork(3), which libsys
        // does not see, and one of libsys's own fork (clone where there is no fork).
        for by_libc in [true, false] {
            let child = if by_libc {
                libc::fork() as isize
            } else {
                // fork where the architecture has it: clone's arguments are in a different
                // order on several (s390x takes the stack before the flags), and qemu-mips64el
                // refused clone(SIGCHLD, 0, ...).
                #[cfg(any(
                    target_arch = "x86_64",
                    target_arch = "x86",
                    target_arch = "arm",
                    target_arch = "mips",
                    target_arch = "mips64",
                    target_arch = "powerpc64",
                    target_arch = "s390x"
                ))]
                let r = syscall_readonly!(nr::fork);
                // The others (aarch64, riscv64, loongarch64) have only clone, flags first.
                #[cfg(not(any(
                    target_arch = "x86_64",
                    target_arch = "x86",
                    target_arch = "arm",
                    target_arch = "mips",
                    target_arch = "mips64",
                    target_arch = "powerpc64",
                    target_arch = "s390x"
                )))]
                let r = syscall_readonly!(nr::clone, libc::SIGCHLD, 0usize, 0usize, 0usize, 0usize);
                r.map_or(-1, |c| c as isize)
            };
            if child == 0 {
                let _ = syscall_readonly!(nr::getppid);
                let _ = syscall_readonly!(nr::close, -3);
                let _ = syscall_readonly!(nr::exit_group, 0);
            }
            assert!(child > 0, "fork failed");
            // libc's waitpid: not a libsys call, not compared.
            libc::waitpid(child as libc::pid_t, std::ptr::null_mut(), 0);
        }
        let _ = syscall_readonly!(nr::exit_group, 0);
    }
    std::process::exit(1)
}

/// Under qemu-user (the runner sets `LIBSYS_QEMU` to its command, `qemu-<arch> -L <sysroot>`,
/// see tools/cross-env.sh): the same workload once more under that qemu with `-strace`, its
/// trace (`PID name(a,b,c) = r`) compared with the tracer's in the form both can give: the
/// name, the integer arguments and the result (a number, or the errno value on failure).
/// The guest starts qemu itself: qemu-user passes an `execve` of a host binary to the kernel.
fn qemu_oracle(qemu: &str) {
    let mut words = qemu.split_whitespace();
    let Some(bin) = words.next() else {
        println!("qemu strace oracle: skipped (LIBSYS_QEMU is empty)");
        return;
    };
    let dir = std::env::temp_dir().join(format!("sys-trace-qemu-oracle-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let exe = std::env::current_exe().unwrap();
    let log = dir.join("qemu.txt");
    let out = Command::new(bin)
        .args(words)
        .arg("-strace")
        .arg("-D")
        .arg(&log)
        .arg(&exe)
        .env(CHILD, &dir)
        .env("LIBSYS_TRACE", "fd:1")
        .env_remove("LIBSYS_QEMU")
        .output()
        .unwrap();
    let ours = String::from_utf8_lossy(&out.stdout).into_owned();
    let theirs = std::fs::read_to_string(&log).unwrap_or_default();
    std::fs::write(dir.join("tracer.txt"), &ours).unwrap();
    assert!(
        out.status.success() && !theirs.is_empty(),
        "{bin} -strace failed ({}): {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );

    let main = main_pid(&ours.lines().map(str::to_owned).collect::<Vec<_>>()).unwrap_or(0);
    let ours: Vec<Call> = ours
        .lines()
        .filter_map(|l| Call::from_tracer(l, main))
        // The workload's forks (see `parent`): qemu prints libc's too.
        .filter(|c| !FORKS.contains(&c.name.as_str()))
        .collect();
    let names: BTreeSet<&str> = ours.iter().map(|c| c.name.as_str()).collect();
    let theirs: Vec<Call> = theirs
        .lines()
        .flat_map(unsplice)
        .skip_while(|l| !l.contains("write(-1,"))
        .filter_map(|l| Call::from_qemu(l, main))
        .filter(|c| !FORKS.contains(&c.name.as_str()))
        // The tracer's own lines (to stdout).
        .filter(|c| !(c.name == "write" && c.args.first() == Some(&Some(1))))
        .filter(|c| names.contains(c.name.as_str()))
        .collect();

    let (mut diffs, mut ints) = (0, 0);
    for i in 0..ours.len().max(theirs.len()) {
        let (a, b) = (ours.get(i), theirs.get(i));
        match a.zip(b).and_then(|(a, b)| a.matches(b)) {
            Some(n) => ints += n,
            None => {
                diffs += 1;
                let show =
                    |c: Option<&Call>| c.map_or_else(|| "<none>".to_owned(), Call::to_string);
                println!(
                    "differ at line {}:\n  sys-trace: {}\n  qemu:      {}",
                    i + 1,
                    show(a),
                    show(b)
                );
            }
        }
    }
    println!(
        "qemu strace oracle ({}): {} lines, {} different system calls, {} integer arguments, \
         {} differences (files in {})",
        std::env::consts::ARCH,
        ours.len(),
        names.len(),
        ints,
        diffs,
        dir.display()
    );
    assert!(names.len() >= 20, "fewer than 20 different calls compared");
    assert_eq!(diffs, 0, "the tracer's lines differ from qemu's -strace");
    let _ = std::fs::remove_dir_all(&dir);
}

/// The normalised form tells what it should: equal lines in both formats match (qemu's raw six
/// words too), a different argument or errno does not, and a continued line is cut apart.
fn normalised_form_self_check() {
    assert_eq!(
        join_resumed(
            "[pid 7] getppid( <unfinished ...>\n[pid 6] wait4(7,  <unfinished ...>\n\
             [pid 7] <... getppid resumed>) = 6\n[pid 7] exit_group(0) = ?\n\
             [pid 6] <... wait4 resumed>NULL, 0, NULL) = 7\n[pid 6] exit_group(0) <unfinished ...>"
        ),
        [
            "[pid 7] getppid() = 6",
            "[pid 6] wait4(7, NULL, 0, NULL) = 7",
            "[pid 7] exit_group(0) = ?",
            "[pid 6] exit_group(0) <unfinished ...>",
        ]
    );
    let ours = |l| Call::from_tracer(l, 7).unwrap();
    let qemu = |l| Call::from_qemu(l, 7).unwrap();
    let ebadf = "close(-1) = -1 EBADF (Bad file descriptor)";
    assert_eq!(
        ours(ebadf).matches(&qemu("7 close(-1) = -1 errno=9 (Bad file descriptor)")),
        Some(1)
    );
    assert_eq!(
        ours(ebadf).matches(&qemu("7 close(-2) = -1 errno=9 (x)")),
        None
    );
    assert_eq!(
        ours(ebadf).matches(&qemu("7 close(-1) = -1 errno=2 (x)")),
        None
    );
    assert_eq!(
        ours(ebadf).matches(&qemu("8 close(-1) = -1 errno=9 (x)")),
        None
    );
    let rename = r#"renameat2(AT_FDCWD, "a,b", AT_FDCWD, "c", RENAME_NOREPLACE) = 0"#;
    assert_eq!(
        ours(rename).matches(&qemu("7 renameat2(-100,1,-100,2,1,0) = 0")),
        Some(0)
    );
    let mode = r#"[pid  9] mkdirat(AT_FDCWD, "d", 0755) = 0"#;
    assert_eq!(
        ours(mode).matches(&qemu(r#"9 mkdirat(AT_FDCWD,"d",0755) = 0"#)),
        Some(1)
    );
    assert_eq!(
        ours(mode).matches(&qemu(r#"9 mkdirat(AT_FDCWD,"d",0700) = 0"#)),
        None
    );
    let map = "mmap(NULL, 8192, PROT_READ, MAP_PRIVATE, -1, 0) = 0x7f0000001000";
    assert_eq!(
        ours(map).matches(&qemu(
            "7 mmap(NULL,8192,PROT_READ,MAP_PRIVATE,-1,0) = 0x7f0000001000"
        )),
        Some(3)
    );
    assert_eq!(
        unsplice("7 futex(0x1,FUTEX_WAIT,0,NULL)9 getppid() = 4"),
        ["7 futex(0x1,FUTEX_WAIT,0,NULL)", "9 getppid() = 4"]
    );
}

/// qemu's name for a call where it differs from the tracer's (sys-core's table), and why:
/// (qemu's, the tracer's, reason). None is needed for this workload: both name a call by its
/// number after the kernel's table, and the workload calls the 32-bit targets' own numbers
/// (`mmap2`, `fcntl64`, `fstat64`, `clock_gettime64`; `lseek` rather than `_llseek`), which qemu
/// 10 prints under the same names on arm, mips and the 64-bit targets alike (checked on all 8
/// qemu targets with std).
const QEMU_NAMES: &[(&str, &str, &str)] = &[];

/// A result as both can give it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Ret {
    /// A number (hexadecimal too: mmap's and brk's addresses, fcntl's flag words).
    Num(usize),
    /// Failure: the errno value (qemu's `-1 errno=9`, the tracer's `-1 EBADF`).
    Err(i32),
    /// `?` (a call that does not return), or nothing to compare.
    Unknown,
}

/// One line in the normalised form.
#[derive(Debug)]
struct Call {
    /// The thread, when not the main one.
    tid: Option<u32>,
    name: String,
    /// The arguments: the integer ones (decimal or octal, at the target's width), `None` for
    /// the rest (pointers, buffers, strings, structures, symbolic flags).
    args: Vec<Option<usize>>,
    ret: Ret,
}

impl std::fmt::Display for Call {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some(t) = self.tid {
            write!(f, "[{t}] ")?;
        }
        write!(f, "{}(", self.name)?;
        for (i, a) in self.args.iter().enumerate() {
            let sep = if i == 0 { "" } else { ", " };
            match a {
                Some(v) => write!(f, "{sep}{}", *v as isize)?,
                None => write!(f, "{sep}_")?,
            }
        }
        match self.ret {
            Ret::Num(v) => write!(f, ") = {}", v as isize),
            Ret::Err(e) => write!(f, ") = -1 errno {e}"),
            Ret::Unknown => write!(f, ") = ?"),
        }
    }
}

impl Call {
    /// A tracer line: `[pid  N] name(a, b) = r`.
    fn from_tracer(l: &str, main: u32) -> Option<Self> {
        let (tid, l) = match l.strip_prefix("[pid ") {
            Some(rest) => {
                let (t, r) = rest.split_once("] ")?;
                (t.trim().parse().ok(), r)
            }
            None => (None, l),
        };
        let mut call = Self::parse(l, |e| {
            let name = e.split_whitespace().next()?;
            sys_core::Errno::from_name(name).map(sys_core::Errno::raw)
        })?;
        call.tid = tid.filter(|&t| t != main);
        Some(call)
    }

    /// A qemu line: `PID name(a,b) = r`, failures `= -1 errno=N (message)`.
    fn from_qemu(l: &str, main: u32) -> Option<Self> {
        let (pid, l) = l.split_once(' ')?;
        let pid: u32 = pid.parse().ok()?;
        let mut call = Self::parse(l, |e| {
            e.strip_prefix("errno=")?.split(' ').next()?.parse().ok()
        })?;
        if let Some(&(_, ours, _)) = QEMU_NAMES.iter().find(|m| m.0 == call.name) {
            ours.clone_into(&mut call.name);
        }
        call.tid = Some(pid).filter(|&t| t != main);
        Some(call)
    }

    /// `name(args) = result`; `errno` reads the errno value after `-1 `.
    fn parse(l: &str, errno: impl Fn(&str) -> Option<i32>) -> Option<Self> {
        let (name, rest) = l.split_once('(')?;
        if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
            return None;
        }
        let (args, ret) = split_args(rest)?;
        let ret = ret.trim_start().strip_prefix("= ")?;
        let ret = match ret.strip_prefix("-1 ") {
            Some(e) => errno(e).map_or(Ret::Unknown, Ret::Err),
            None => ret
                .split([' ', '('])
                .next()
                .and_then(|r| number(r, true))
                .map_or(Ret::Unknown, Ret::Num),
        };
        Some(Self {
            tid: None,
            name: name.to_owned(),
            args: args.iter().map(|a| number(a, false)).collect(),
            ret,
        })
    }

    /// `Some(number of integer arguments compared)` when `qemu` (the other side) says the same:
    /// name, thread, result, and each argument that both give as an integer. qemu prints a call
    /// it has no decoder for with all six argument words (`renameat2(-100,…,1,…)`): then the
    /// tracer's arguments are compared with the first of them.
    fn matches(&self, qemu: &Self) -> Option<usize> {
        if self.name != qemu.name || self.tid != qemu.tid {
            return None;
        }
        match (self.ret, qemu.ret) {
            (Ret::Unknown, _) | (_, Ret::Unknown) => {}
            (a, b) if a == b => {}
            _ => return None,
        }
        let raw = qemu.args.len() == 6 && self.args.len() < 6;
        if self.args.len() != qemu.args.len() && !raw {
            return None;
        }
        let mut n = 0;
        for (a, b) in self.args.iter().zip(&qemu.args) {
            if let (Some(a), Some(b)) = (a, b) {
                if a != b {
                    return None;
                }
                n += 1;
            }
        }
        Some(n)
    }
}

/// A qemu line cut where another thread's line starts: qemu prints a call that blocks
/// (`futex(…)`) without its end, which comes later on a line of its own (` = 0`), and the
/// next line follows directly (`…,0)26845 getppid() = 26840`). The cut-off start has no result
/// and is not compared.
fn unsplice(mut l: &str) -> Vec<&str> {
    let mut out = Vec::new();
    while let Some((_, rest)) = l.split_once('(').and_then(|(_, a)| split_args(a))
        && rest.starts_with(|c: char| c.is_ascii_digit())
    {
        out.push(&l[..l.len() - rest.len()]);
        l = rest;
    }
    out.push(l);
    out
}

/// The arguments of `a, b, c) = r` split at the commas outside quotes and brackets, and what
/// follows the closing parenthesis.
fn split_args(s: &str) -> Option<(Vec<&str>, &str)> {
    let (mut depth, mut quoted, mut escaped, mut start) = (0u32, false, false, 0);
    let mut args = Vec::new();
    for (i, ch) in s.char_indices() {
        if quoted {
            match ch {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => quoted = false,
                _ => {}
            }
            continue;
        }
        match ch {
            '"' => quoted = true,
            '(' | '[' | '{' => depth += 1,
            ']' | '}' => depth = depth.saturating_sub(1),
            ')' if depth == 0 => {
                let last = s[start..i].trim();
                if !(args.is_empty() && last.is_empty()) {
                    args.push(last);
                }
                return Some((args, &s[i + 1..]));
            }
            ')' => depth -= 1,
            ',' if depth == 0 => {
                args.push(s[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    None
}

/// An integer token at the target's width: decimal, octal (`0644`), and hexadecimal when
/// `hex` (results; hexadecimal arguments are addresses, which qemu prints cut to 32 bits).
fn number(t: &str, hex: bool) -> Option<usize> {
    let (neg, d) = t.strip_prefix('-').map_or((false, t), |d| (true, d));
    let v = if let Some(h) = d.strip_prefix("0x") {
        if !hex {
            return None;
        }
        u128::from_str_radix(h, 16).ok()?
    } else if d.len() > 1 && d.starts_with('0') {
        u128::from_str_radix(d, 8).ok()?
    } else {
        d.parse::<u128>().ok()?
    };
    // Truncation to the target's width: qemu prints some words unsigned, the tracer signed.
    #[allow(clippy::cast_possible_truncation)]
    let v = v as usize;
    Some(if neg { v.wrapping_neg() } else { v })
}
