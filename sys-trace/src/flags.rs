//! Symbolic names for the flag and enumeration arguments strace decodes, with this target's
//! values: taken from the libc crate's constants (which follow the kernel's uapi headers per
//! architecture: mips, powerpc and others renumber `O_*`, `MAP_*`, `SOCK_*` and signals), plus
//! the few arch-independent values libc lacks, from the kernel header named beside each.

use crate::buf::Out;

/// A value and its name.
pub type Xlat = (u64, &'static str);

/// Writes the name of `v` in `table`, or `v` in decimal (as strace does for an unknown value).
pub fn enum_dec(out: &mut impl Out, table: &[Xlat], v: u64) {
    match table.iter().find(|e| e.0 == v) {
        Some(e) => out.push_str(e.1),
        None => out.dec(i64::from(v as i64 as i32)),
    }
}

/// Writes the name of `v` in `table`, or `v` in hex (`0x…`) with a comment as strace does.
pub fn enum_hex(out: &mut impl Out, table: &[Xlat], v: u64, unknown: &str) {
    match table.iter().find(|e| e.0 == v) {
        Some(e) => out.push_str(e.1),
        None => {
            out.hex(v);
            out.push_str(" /* ");
            out.push_str(unknown);
            out.push_str("_??? */");
        }
    }
}

/// Writes `v` as `NAME|NAME|0x…` from `table` (in table order, zero entries skipped), or `zero`
/// when `v` is 0.
pub fn flags(out: &mut impl Out, table: &[Xlat], v: u64, zero: &str) {
    if v == 0 {
        return out.push_str(zero);
    }
    flags_rest(out, table, v, false)
}

/// As [`flags`], after `first` names were already written (`sep`: a `|` is due first).
pub fn flags_rest(out: &mut impl Out, table: &[Xlat], v: u64, mut sep: bool) {
    let mut left = v;
    for &(bits, name) in table {
        if bits != 0 && left & bits == bits {
            if sep {
                out.push_byte(b'|');
            }
            out.push_str(name);
            sep = true;
            left &= !bits;
        }
    }
    if left != 0 {
        if sep {
            out.push_byte(b'|');
        }
        out.hex(left);
    }
}

macro_rules! xlat {
    ($($(#[$m:meta])* $name:ident),* $(,)?) => {
        &[$($(#[$m])* (libc::$name as u64, stringify!($name))),*]
    };
}

/// `open(2)` flags after the access mode, in strace's order (`O_SYNC` before `O_DSYNC`, whose
/// bit it includes; `O_TMPFILE` before `O_DIRECTORY`).
pub static OPEN: &[Xlat] = &[
    (libc::O_CREAT as u64, "O_CREAT"),
    (libc::O_EXCL as u64, "O_EXCL"),
    (libc::O_NOCTTY as u64, "O_NOCTTY"),
    (libc::O_TRUNC as u64, "O_TRUNC"),
    (libc::O_APPEND as u64, "O_APPEND"),
    (libc::O_NONBLOCK as u64, "O_NONBLOCK"),
    (libc::O_SYNC as u64, "O_SYNC"),
    (libc::O_DSYNC as u64, "O_DSYNC"),
    (libc::O_ASYNC as u64, "O_ASYNC"),
    (libc::O_DIRECT as u64, "O_DIRECT"),
    (O_LARGEFILE, "O_LARGEFILE"),
    (libc::O_TMPFILE as u64, "O_TMPFILE"),
    (libc::O_DIRECTORY as u64, "O_DIRECTORY"),
    (libc::O_NOFOLLOW as u64, "O_NOFOLLOW"),
    (libc::O_NOATIME as u64, "O_NOATIME"),
    (libc::O_CLOEXEC as u64, "O_CLOEXEC"),
    (libc::O_PATH as u64, "O_PATH"),
];

/// The kernel's `O_LARGEFILE`: glibc (and so libc) defines it as 0 on 64-bit architectures
/// that use the generic value, where the kernel still sets `00100000` (`asm-generic/fcntl.h`)
/// in every descriptor's flags (`F_GETFL` shows it).
const O_LARGEFILE: u64 = if libc::O_LARGEFILE == 0 {
    0o100000
} else {
    libc::O_LARGEFILE as u64
};

/// The access modes (`O_ACCMODE`).
pub static ACCMODE: &[Xlat] = xlat![O_RDONLY, O_WRONLY, O_RDWR];

/// Writes `open(2)` flags: the access mode, then the flags (`O_RDONLY|O_CLOEXEC`).
pub fn open_flags(out: &mut impl Out, v: u64) {
    let mode = v & libc::O_ACCMODE as u64;
    enum_hex(out, ACCMODE, mode, "O");
    flags_rest(out, OPEN, v & !(libc::O_ACCMODE as u64), true)
}

/// `mmap(2)`/`mprotect(2)` protections.
pub static PROT: &[Xlat] = xlat![
    PROT_READ,
    PROT_WRITE,
    PROT_EXEC,
    PROT_GROWSDOWN,
    PROT_GROWSUP
];

/// `mmap(2)` mapping types (`MAP_TYPE` bits).
pub static MAP_TYPE: &[Xlat] = xlat![MAP_SHARED, MAP_PRIVATE, MAP_SHARED_VALIDATE];

/// `mmap(2)` flags after the type.
pub static MAP: &[Xlat] = xlat![
    MAP_FIXED,
    MAP_ANONYMOUS,
    #[cfg(target_arch = "x86_64")]
    MAP_32BIT,
    MAP_GROWSDOWN,
    MAP_DENYWRITE,
    MAP_EXECUTABLE,
    MAP_LOCKED,
    MAP_NORESERVE,
    MAP_POPULATE,
    MAP_NONBLOCK,
    MAP_STACK,
    MAP_HUGETLB,
    // Not defined for mips (libc 0.2; the kernel's MAP_SYNC is not for mips either).
    #[cfg(not(any(target_arch = "mips", target_arch = "mips64")))]
    MAP_SYNC,
    MAP_FIXED_NOREPLACE,
];

/// Writes `mmap(2)` flags: the type, then the flags (`MAP_PRIVATE|MAP_ANONYMOUS`).
pub fn map_flags(out: &mut impl Out, v: u64) {
    // MAP_TYPE is 0x0f in the kernel's `linux/mman.h` on every architecture.
    let ty = v & 0x0f;
    enum_hex(out, MAP_TYPE, ty, "MAP");
    flags_rest(out, MAP, v & !0x0f, true)
}

/// `*at(2)` flags.
pub static AT: &[Xlat] = xlat![
    AT_SYMLINK_NOFOLLOW,
    AT_REMOVEDIR,
    AT_SYMLINK_FOLLOW,
    AT_NO_AUTOMOUNT,
    AT_EMPTY_PATH,
    AT_RECURSIVE,
];

/// `renameat2(2)` flags.
pub static RENAME: &[Xlat] = xlat![RENAME_NOREPLACE, RENAME_EXCHANGE, RENAME_WHITEOUT];

/// `getrandom(2)` flags (`linux/random.h`: the same on every architecture).
pub static GRND: &[Xlat] = &[
    (1, "GRND_NONBLOCK"),
    (2, "GRND_RANDOM"),
    (4, "GRND_INSECURE"),
];

/// Clock ids (`linux/time.h`).
pub static CLOCK: &[Xlat] = xlat![
    CLOCK_REALTIME,
    CLOCK_MONOTONIC,
    CLOCK_PROCESS_CPUTIME_ID,
    CLOCK_THREAD_CPUTIME_ID,
    CLOCK_MONOTONIC_RAW,
    CLOCK_REALTIME_COARSE,
    CLOCK_MONOTONIC_COARSE,
    CLOCK_BOOTTIME,
    CLOCK_REALTIME_ALARM,
    CLOCK_BOOTTIME_ALARM,
    CLOCK_TAI,
];

/// `clock_nanosleep(2)` flags.
pub static TIMER: &[Xlat] = xlat![TIMER_ABSTIME];

/// `lseek(2)` whence.
pub static SEEK: &[Xlat] = xlat![SEEK_SET, SEEK_CUR, SEEK_END, SEEK_DATA, SEEK_HOLE];

/// Signal names (mips and others renumber some).
pub static SIGNALS: &[Xlat] = xlat![
    SIGHUP,
    SIGINT,
    SIGQUIT,
    SIGILL,
    SIGTRAP,
    SIGABRT,
    SIGBUS,
    SIGFPE,
    SIGKILL,
    SIGUSR1,
    SIGSEGV,
    SIGUSR2,
    SIGPIPE,
    SIGALRM,
    SIGTERM,
    #[cfg(not(any(target_arch = "mips", target_arch = "mips64")))]
    SIGSTKFLT,
    SIGCHLD,
    SIGCONT,
    SIGSTOP,
    SIGTSTP,
    SIGTTIN,
    SIGTTOU,
    SIGURG,
    SIGXCPU,
    SIGXFSZ,
    SIGVTALRM,
    SIGPROF,
    SIGWINCH,
    SIGIO,
    SIGPWR,
    SIGSYS,
];

/// Address families.
pub static AF: &[Xlat] = xlat![
    AF_UNSPEC, AF_UNIX, AF_INET, AF_INET6, AF_NETLINK, AF_PACKET, AF_VSOCK,
];

/// Socket types.
pub static SOCK_TYPE: &[Xlat] = xlat![SOCK_STREAM, SOCK_DGRAM, SOCK_RAW, SOCK_RDM, SOCK_SEQPACKET,];

/// Socket type flags.
pub static SOCK_FLAGS: &[Xlat] = xlat![SOCK_CLOEXEC, SOCK_NONBLOCK];

/// IP protocols for `AF_INET`/`AF_INET6` sockets.
pub static IPPROTO: &[Xlat] = xlat![
    IPPROTO_IP,
    IPPROTO_ICMP,
    IPPROTO_TCP,
    IPPROTO_UDP,
    IPPROTO_ICMPV6
];

/// `fcntl(2)` commands.
pub static FCNTL: &[Xlat] = xlat![
    F_DUPFD,
    F_GETFD,
    F_SETFD,
    F_GETFL,
    F_SETFL,
    F_GETLK,
    F_SETLK,
    F_SETLKW,
    F_SETOWN,
    F_GETOWN,
    F_SETLEASE,
    F_GETLEASE,
    F_NOTIFY,
    F_DUPFD_CLOEXEC,
    F_SETPIPE_SZ,
    F_GETPIPE_SZ,
    F_ADD_SEALS,
    F_GET_SEALS,
    F_OFD_GETLK,
    F_OFD_SETLK,
    F_OFD_SETLKW,
];

/// `fcntl(2)` descriptor flags.
pub static FD_FLAGS: &[Xlat] = xlat![FD_CLOEXEC];

/// `wait4(2)` options.
pub static WAIT: &[Xlat] = xlat![
    WNOHANG,
    WUNTRACED,
    WCONTINUED,
    __WNOTHREAD,
    __WALL,
    __WCLONE
];

/// A few `ioctl(2)` requests strace names (terminal and descriptor requests).
pub static IOCTL: &[Xlat] = xlat![
    TCGETS, TCSETS, TIOCGWINSZ, TIOCSWINSZ, FIONREAD, FIONBIO, FIOCLEX, FIONCLEX
];

/// `mkdir`/`open` mode bits as strace prints them: `0755`.
pub fn mode(out: &mut impl Out, v: u64) {
    // strace's `%#03o`: `000`, `007`, `0755`.
    match v {
        0 => out.push_str("000"),
        1..=7 => {
            out.push_str("00");
            out.oct(v);
        }
        _ => {
            out.push_byte(b'0');
            out.oct(v);
        }
    }
}
