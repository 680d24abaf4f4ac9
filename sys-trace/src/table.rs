//! What strace prints for each system call it decodes: the kinds of the arguments and of the
//! result, by the kernel's name for the call (the same on every architecture; the numbers are
//! not). Facts: each call's man page (section 2) and strace 6.1's output for it.

/// How one argument is printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arg {
    /// A signed `int` (`-1`).
    Int,
    /// An unsigned word in decimal (a length).
    Ulong,
    /// A signed `long` in decimal (an offset).
    Long,
    /// A word in hex (`0x1f`).
    Hex,
    /// A pointer: `NULL` or `0x…`.
    Ptr,
    /// A descriptor (`int`).
    Fd,
    /// A directory descriptor: `AT_FDCWD` for -100.
    DirFd,
    /// A NUL-terminated path, printed in full.
    Path,
    /// A buffer the call reads, as long as argument `n` says.
    InBuf(u8),
    /// A buffer the call fills: the result's length of it, after the call.
    OutBuf,
    /// As [`Arg::OutBuf`], in hex (`getrandom`).
    OutBufHex,
    /// A path the call writes (`getcwd`): the result says its length.
    OutPath,
    /// A 64-bit offset (a register pair on 32-bit architectures).
    Off64,
    /// A mode: `0644`.
    Mode,
    /// `open(2)` flags.
    OpenFlags,
    /// `open(2)`'s mode: printed only with `O_CREAT` or `O_TMPFILE` in argument `n`.
    OpenMode(u8),
    /// `PROT_*`.
    Prot,
    /// `MAP_*`.
    MapFlags,
    /// `AT_*` (`0` for none).
    AtFlags,
    /// `RENAME_*`.
    RenameFlags,
    /// `GRND_*`.
    GrndFlags,
    /// `O_*` flags without an access mode (`pipe2`, `dup3`): `O_CLOEXEC`, `0`.
    FdFlags,
    /// A clock id.
    Clock,
    /// `TIMER_ABSTIME` or `0`.
    TimerFlags,
    /// `SEEK_*`.
    Whence,
    /// A signal: `SIGTERM`, `0`.
    Signal,
    /// An address family.
    Domain,
    /// A socket type with its flags.
    SockType,
    /// A protocol (named for `AF_INET`/`AF_INET6` in argument 0, else decimal).
    Protocol,
    /// `int[2]` written by the call (`pipe2`): `[3, 4]`.
    FdPair,
    /// An `unsigned int` written by the call (`getcpu`): `[3]`, or `NULL`.
    U32Out,
    /// A `struct timespec` of `long`s the call reads.
    Timespec,
    /// A `struct timespec` of `long`s the call writes.
    TimespecOut,
    /// A `struct __kernel_timespec` (64-bit fields) the call reads.
    Timespec64,
    /// A `struct __kernel_timespec` the call writes.
    Timespec64Out,
    /// A `struct utsname` the call writes.
    Utsname,
    /// An `int` status the call writes (`wait4`).
    WaitStatus,
    /// `wait4(2)` options.
    WaitOptions,
    /// An `ioctl(2)` request.
    Ioctl,
    /// `_llseek`'s high and low words and its result pointer (three words).
    LlseekOffset,
    /// `fcntl(2)`'s command and, depending on it, its argument.
    FcntlCmd,
}

/// How the result is printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ret {
    /// Decimal.
    Dec,
    /// Hex (`mmap`, `brk`).
    Hex,
    /// The call does not return: `= ?`.
    None,
    /// `fcntl`: depends on the command.
    Fcntl,
}

/// A call's printing rules.
#[derive(Clone, Copy, Debug)]
pub struct Spec {
    /// The arguments, in order.
    pub args: &'static [Arg],
    /// The result.
    pub ret: Ret,
}

const fn s(args: &'static [Arg]) -> Spec {
    Spec {
        args,
        ret: Ret::Dec,
    }
}

/// The rules for the call named `name`, if strace-style decoding is known for it.
pub fn spec(name: &str) -> Option<Spec> {
    use Arg::*;
    Some(match name {
        "read" => s(&[Fd, OutBuf, Ulong]),
        "write" => s(&[Fd, InBuf(2), Ulong]),
        "pread64" => s(&[Fd, OutBuf, Ulong, Off64]),
        "pwrite64" => s(&[Fd, InBuf(2), Ulong, Off64]),
        "open" => s(&[Path, OpenFlags, OpenMode(1)]),
        "openat" => s(&[DirFd, Path, OpenFlags, OpenMode(2)]),
        "close" => s(&[Fd]),
        "lseek" => s(&[Fd, Long, Whence]),
        "_llseek" => s(&[Fd, LlseekOffset, Whence]),
        "fstat" | "fstat64" => s(&[Fd, Ptr]),
        "newfstatat" | "fstatat64" => s(&[DirFd, Path, Ptr, AtFlags]),
        "statx" => s(&[DirFd, Path, AtFlags, Hex, Ptr]),
        "mmap" | "mmap2" => Spec {
            args: &[Ptr, Ulong, Prot, MapFlags, Fd, Hex],
            ret: Ret::Hex,
        },
        "munmap" => s(&[Ptr, Ulong]),
        "mprotect" => s(&[Ptr, Ulong, Prot]),
        "brk" => Spec {
            args: &[Ptr],
            ret: Ret::Hex,
        },
        "getpid" | "getppid" | "gettid" | "getuid" | "geteuid" | "getgid" | "getegid"
        | "getuid32" | "geteuid32" | "getgid32" | "getegid32" | "sched_yield" | "setsid"
        | "getpgrp" | "sync" => s(&[]),
        "uname" => s(&[Utsname]),
        "getcwd" => s(&[OutPath, Ulong]),
        "chdir" | "rmdir" | "unlink" => s(&[Path]),
        "fchdir" | "fsync" | "fdatasync" | "dup" => s(&[Fd]),
        "mkdir" => s(&[Path, Mode]),
        "mkdirat" => s(&[DirFd, Path, Mode]),
        "unlinkat" => s(&[DirFd, Path, AtFlags]),
        "renameat2" => s(&[DirFd, Path, DirFd, Path, RenameFlags]),
        "renameat" => s(&[DirFd, Path, DirFd, Path]),
        "symlinkat" => s(&[Path, DirFd, Path]),
        "linkat" => s(&[DirFd, Path, DirFd, Path, AtFlags]),
        "faccessat" => s(&[DirFd, Path, Mode]),
        "fchmodat" => s(&[DirFd, Path, Mode]),
        "fchmod" => s(&[Fd, Mode]),
        "umask" => s(&[Mode]),
        "ftruncate" => s(&[Fd, Off64]),
        "pipe2" => s(&[FdPair, FdFlags]),
        "pipe" => s(&[FdPair]),
        "dup2" => s(&[Fd, Fd]),
        "dup3" => s(&[Fd, Fd, FdFlags]),
        "fcntl" | "fcntl64" => Spec {
            args: &[Fd, FcntlCmd],
            ret: Ret::Fcntl,
        },
        "ioctl" => s(&[Fd, Ioctl, Ptr]),
        "clock_gettime" | "clock_getres" => s(&[Clock, TimespecOut]),
        "clock_gettime64" | "clock_getres_time64" => s(&[Clock, Timespec64Out]),
        "nanosleep" => s(&[Timespec, Ptr]),
        "clock_nanosleep" => s(&[Clock, TimerFlags, Timespec, Ptr]),
        "clock_nanosleep_time64" => s(&[Clock, TimerFlags, Timespec64, Ptr]),
        "getrandom" => s(&[OutBufHex, Ulong, GrndFlags]),
        "getcpu" => s(&[U32Out, U32Out, Ptr]),
        "exit_group" | "exit" => Spec {
            args: &[Int],
            ret: Ret::None,
        },
        "socket" => s(&[Domain, SockType, Protocol]),
        "socketpair" => s(&[Domain, SockType, Protocol, FdPair]),
        "bind" | "connect" => s(&[Fd, Ptr, Int]),
        "listen" => s(&[Fd, Int]),
        "shutdown" => s(&[Fd, Int]),
        "sendto" => s(&[Fd, InBuf(2), Ulong, Hex, Ptr, Int]),
        "recvfrom" => s(&[Fd, OutBuf, Ulong, Hex, Ptr, Ptr]),
        "kill" | "tkill" => s(&[Int, Signal]),
        "tgkill" => s(&[Int, Int, Signal]),
        "rt_sigaction" => s(&[Signal, Ptr, Ptr, Ulong]),
        "rt_sigprocmask" => s(&[Int, Ptr, Ptr, Ulong]),
        "wait4" => s(&[Int, WaitStatus, WaitOptions, Ptr]),
        "madvise" => s(&[Ptr, Ulong, Int]),
        "setuid" | "setgid" => s(&[Int]),
        _ => return None,
    })
}
