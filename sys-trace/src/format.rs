//! One system call as strace prints it: `openat(AT_FDCWD, "/etc/hostname", O_RDONLY|O_CLOEXEC)
//! = 3`. Pure: the number, the argument words and the result in, text out; pointers are read
//! only for calls the table describes, as the kernel read or wrote them. Facts: strace 6.1's
//! output (the oracle test compares with it), the calls' man pages, `linux/wait.h` for the
//! status encoding.

use crate::buf::{Fmt, Out};
use crate::escape::{MAX_STRLEN, quote, quote_hex};
use crate::flags;
use crate::table::{self, Arg, Ret};
use core::fmt::{self, Write};
use sys_core::{Errno, RawRet};

/// Our process id if known (the tracer sets it), to spare a `getpid` per checked read.
pub(crate) static SELF_PID: core::sync::atomic::AtomicUsize =
    core::sync::atomic::AtomicUsize::new(0);

/// The longest path strace prints (`PATH_MAX - 1`).
const PATH_MAX: usize = 4096;

/// Whether 64-bit arguments start at an even word on this architecture (arm EABI, mips o32).
const PAIR_ALIGN: bool = cfg!(any(target_arch = "arm", target_arch = "mips"));

/// Writes one traced call as strace prints it, without the line's end: `name(args) = result`.
///
/// `ret` is the raw result, `None` for a call that does not return (`exit_group(0) = ?`). Calls
/// the table does not know are printed with their argument words in hex, and a number without
/// a name as `syscall_0x…`.
///
/// # Safety
/// For a call the table decodes that succeeded, the pointer arguments must be what the system
/// call's contract (see `sys_core::call`) asks of them, as the kernel read and wrote them:
/// paths NUL-terminated, input buffers readable for their length, output buffers readable for
/// the length the call returned. For a failed call, input buffers and paths are read with
/// `process_vm_readv(2)` (an address that cannot be read is printed as such), output buffers
/// not at all. With plain integers for the pointers of successful calls, the behaviour is
/// undefined.
pub unsafe fn format(
    out: &mut impl Write,
    nr: usize,
    args: &[usize],
    ret: Option<RawRet>,
) -> fmt::Result {
    let mut out = Fmt::new(out);
    // SAFETY: forwarded from the caller.
    unsafe { format_to(&mut out, nr, args, ret) };
    out.result()
}

/// [`format`] into the crate's own output (a [`crate::LineBuf`] directly: the tracer's path).
///
/// # Safety
/// As [`format`].
pub(crate) unsafe fn format_to(out: &mut impl Out, nr: usize, args: &[usize], ret: Option<RawRet>) {
    let name = sys_core::nr::name(nr);
    let spec = name.and_then(table::spec);
    match name {
        Some(n) => out.push_str(n),
        None => {
            out.push_str("syscall_");
            out.hex(nr as u64);
        }
    }
    out.push_byte(b'(');
    let result = ret.map(RawRet::result);
    // s390x's `mmap` is the kernel's old_mmap: its one argument points to the six words
    // (address, length, prot, flags, fd, offset), which strace and qemu print as the arguments.
    // Read when the call succeeded (the kernel read them); else the pointer alone, in hex.
    #[cfg(target_arch = "s390x")]
    let block: [usize; 6];
    #[cfg(target_arch = "s390x")]
    let (args, spec) = match (name, args.first(), result) {
        (Some("mmap"), Some(&p), Some(Ok(_))) if p != 0 => {
            // SAFETY: the kernel read these six words for the call that succeeded.
            block = unsafe { core::ptr::read_unaligned(p as *const [usize; 6]) };
            (&block[..], spec)
        }
        (Some("mmap"), Some(_), _) => (&args[..1], None),
        _ => (args, spec),
    };
    let fault = matches!(result, Some(Err(Errno::EFAULT)));
    let mut cx = Cx {
        args,
        result,
        fault,
        fcntl_ret: None,
    };
    match spec {
        // SAFETY: forwarded from the caller.
        Some(spec) => unsafe { cx.args(out, spec.args) },
        None => {
            for (i, a) in args.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                hex(out, *a);
            }
        }
    }
    out.push_str(") = ");
    match result {
        None => out.push_byte(b'?'),
        Some(Err(e)) => errno_to(out, e),
        Some(Ok(v)) => match spec.map_or(Ret::Hex, |s| s.ret) {
            Ret::Dec => out.dec(v as isize as i64),
            Ret::Hex | Ret::None => hex(out, v),
            Ret::Fcntl => cx.fcntl_result(out, v),
        },
    }
}

/// Writes an error result: `-1 ENOENT (No such file or directory)`.
pub fn errno(out: &mut impl Write, e: Errno) -> fmt::Result {
    let mut out = Fmt::new(out);
    errno_to(&mut out, e);
    out.result()
}

/// [`errno`] into the crate's own output.
fn errno_to(out: &mut impl Out, e: Errno) {
    match e.name() {
        Some(name) => {
            let msg = crate::generated::messages::MESSAGES
                .binary_search_by_key(&name, |m| m.0)
                .ok()
                .and_then(|i| crate::generated::messages::MESSAGES.get(i))
                .map(|m| m.1)
                .or_else(|| e.message())
                .unwrap_or("Unknown error");
            out.push_str("-1 ");
            out.push_str(name);
            out.push_str(" (");
            out.push_str(msg);
            out.push_byte(b')');
        }
        None => {
            out.push_str("-1 E??? (Unknown error ");
            out.dec(i64::from(e.raw()));
            out.push_byte(b')');
        }
    }
}

/// `%#lx`: `0` or `0x…`.
fn hex(out: &mut impl Out, v: usize) {
    if v == 0 {
        out.push_byte(b'0');
    } else {
        out.hex(v as u64);
    }
}

/// A pointer: `NULL` or `0x…`.
fn ptr(out: &mut impl Out, v: usize) {
    if v == 0 {
        out.push_str("NULL");
    } else {
        out.hex(v as u64);
    }
}

/// The state of one call's formatting.
struct Cx<'a> {
    args: &'a [usize],
    result: Option<Result<usize, Errno>>,
    fault: bool,
    /// How `fcntl`'s result is printed, decided by its command.
    fcntl_ret: Option<u64>,
}

/// Reads `len` bytes at `addr`.
///
/// # Safety
/// `addr` must be readable for `len` bytes.
unsafe fn bytes<'b>(addr: usize, len: usize) -> &'b [u8] {
    // SAFETY: the caller's promise.
    unsafe { core::slice::from_raw_parts(addr as *const u8, len) }
}

impl Cx<'_> {
    fn word(&self, i: usize) -> usize {
        self.args.get(i).copied().unwrap_or(0)
    }

    fn ok(&self) -> Option<usize> {
        match self.result {
            Some(Ok(v)) => Some(v),
            _ => None,
        }
    }

    /// Writes the arguments.
    ///
    /// # Safety
    /// As [`format`].
    unsafe fn args(&mut self, out: &mut impl Out, kinds: &[Arg]) {
        let mut w = 0;
        let mut first = true;
        for &kind in kinds {
            if let Arg::OpenMode(f) = kind {
                let fl = self.word(f.into()) as u64;
                let tmp = libc::O_TMPFILE as u64;
                if fl & libc::O_CREAT as u64 == 0 && fl & tmp != tmp {
                    continue;
                }
            }
            if kind == Arg::FcntlCmd {
                // Prints its own separators: the argument exists for some commands only.
                out.push_str(", ");
                self.fcntl(out, self.word(w) as i32, self.word(w + 1));
                break;
            }
            if !first {
                out.push_str(", ");
            }
            first = false;
            // SAFETY: forwarded from the caller.
            w = unsafe { self.arg(out, kind, w) };
        }
    }

    /// Writes one argument starting at word `w`; returns the next word's index.
    ///
    /// # Safety
    /// As [`format`].
    unsafe fn arg(&mut self, out: &mut impl Out, kind: Arg, w: usize) -> usize {
        let v = self.word(w);
        let v64 = v as u64;
        match kind {
            Arg::Int | Arg::Fd => out.dec(i64::from(v as i32)),
            Arg::DirFd => {
                if v as i32 == libc::AT_FDCWD {
                    out.push_str("AT_FDCWD")
                } else {
                    out.dec(i64::from(v as i32))
                }
            }
            Arg::Ulong => out.udec(v as u64),
            Arg::Long => out.dec(v as isize as i64),
            Arg::Hex => hex(out, v),
            Arg::Ptr => ptr(out, v),
            // SAFETY: forwarded from the caller.
            Arg::Path => unsafe { self.path(out, v, PATH_MAX) },
            Arg::InBuf(n) => {
                let len = self.word(n.into());
                if v == 0 || self.fault {
                    ptr(out, v)
                } else if self.ok().is_some() {
                    // SAFETY: the call succeeded: the kernel read `len` bytes there.
                    let b = unsafe { bytes(v, len.min(MAX_STRLEN)) };
                    quote(out, b, len > MAX_STRLEN)
                } else {
                    // A failed call may not have read the buffer: read it as strace does.
                    let mut buf = [0u8; MAX_STRLEN];
                    let want = buf.get_mut(..len.min(MAX_STRLEN)).unwrap_or(&mut []);
                    let got = checked_read(v, want);
                    if got < want.len() {
                        ptr(out, v)
                    } else {
                        quote(out, want, len > MAX_STRLEN)
                    }
                }
            }
            Arg::OutBuf | Arg::OutBufHex => match self.ok() {
                Some(n) if v != 0 && !self.fault => {
                    // SAFETY: the kernel wrote `n` bytes there.
                    let b = unsafe { bytes(v, n.min(MAX_STRLEN)) };
                    if kind == Arg::OutBuf {
                        quote(out, b, n > MAX_STRLEN)
                    } else {
                        quote_hex(out, b, n > MAX_STRLEN)
                    }
                }
                _ => ptr(out, v),
            },
            Arg::OutPath => match self.ok() {
                Some(n) if v != 0 && n > 0 => {
                    // SAFETY: the kernel wrote `n` bytes there, a NUL-terminated path.
                    let b = unsafe { bytes(v, n - 1) };
                    quote(out, b, false)
                }
                _ => ptr(out, v),
            },
            Arg::Off64 => {
                let (value, next) = self.wide(w);
                out.dec(value as i64);
                return next;
            }
            Arg::Mode => flags::mode(out, v64 & 0o7777),
            Arg::OpenMode(_) => flags::mode(out, v64 & 0o7777),
            Arg::OpenFlags => flags::open_flags(out, v64 & 0xffff_ffff),
            Arg::FdFlags => flags::flags(out, flags::OPEN, v64 & 0xffff_ffff, "0"),
            Arg::Prot => flags::flags(out, flags::PROT, v64, "PROT_NONE"),
            Arg::MapFlags => flags::map_flags(out, v64),
            Arg::AtFlags => flags::flags(out, flags::AT, v64 & 0xffff_ffff, "0"),
            Arg::RenameFlags => flags::flags(out, flags::RENAME, v64 & 0xffff_ffff, "0"),
            Arg::GrndFlags => flags::flags(out, flags::GRND, v64 & 0xffff_ffff, "0"),
            Arg::Clock => flags::enum_dec(out, flags::CLOCK, v64 & 0xffff_ffff),
            Arg::TimerFlags => flags::flags(out, flags::TIMER, v64 & 0xffff_ffff, "0"),
            Arg::Whence => flags::enum_hex(out, flags::SEEK, v64 & 0xffff_ffff, "SEEK"),
            Arg::Signal => match v as i32 {
                0 => out.push_byte(b'0'),
                s => flags::enum_dec(out, flags::SIGNALS, s as u64),
            },
            Arg::Domain => flags::enum_dec(out, flags::AF, v64 & 0xffff_ffff),
            Arg::SockType => {
                let fl = v64 & flags::SOCK_FLAGS.iter().fold(0, |a, f| a | f.0);
                flags::enum_hex(out, flags::SOCK_TYPE, v64 & 0xf, "SOCK");
                flags::flags_rest(out, flags::SOCK_FLAGS, fl, true);
            }
            Arg::Protocol => {
                let af = self.word(0) as i32;
                if af == libc::AF_INET || af == libc::AF_INET6 {
                    flags::enum_dec(out, flags::IPPROTO, v64)
                } else {
                    out.dec(i64::from(v as i32))
                }
            }
            Arg::FdPair => match self.ok() {
                Some(_) if v != 0 => {
                    // SAFETY: the kernel wrote two ints there.
                    let fds = unsafe { core::ptr::read_unaligned(v as *const [i32; 2]) };
                    out.push_byte(b'[');
                    out.dec(i64::from(fds[0]));
                    out.push_str(", ");
                    out.dec(i64::from(fds[1]));
                    out.push_byte(b']');
                }
                _ => ptr(out, v),
            },
            Arg::U32Out => match self.ok() {
                Some(_) if v != 0 => {
                    // SAFETY: the kernel (or the vDSO) wrote an unsigned int there.
                    let n = unsafe { core::ptr::read_unaligned(v as *const u32) };
                    out.push_byte(b'[');
                    out.udec(u64::from(n));
                    out.push_byte(b']');
                }
                _ => ptr(out, v),
            },
            Arg::Timespec | Arg::Timespec64 if v != 0 && !self.fault => {
                // SAFETY: the kernel read the struct.
                unsafe { timespec(out, v, kind == Arg::Timespec64) }
            }
            Arg::TimespecOut | Arg::Timespec64Out if v != 0 && self.ok().is_some() => {
                // SAFETY: the kernel wrote the struct.
                unsafe { timespec(out, v, kind == Arg::Timespec64Out) }
            }
            Arg::Timespec | Arg::Timespec64 | Arg::TimespecOut | Arg::Timespec64Out => ptr(out, v),
            Arg::Utsname => match self.ok() {
                Some(_) if v != 0 => {
                    // SAFETY: the kernel wrote a `struct new_utsname`: six 65-byte fields.
                    let u = unsafe { bytes(v, 2 * 65) };
                    let field = |i: usize| {
                        let f = u.get(i * 65..(i + 1) * 65).unwrap_or(&[]);
                        let end = f.iter().position(|&c| c == 0).unwrap_or(f.len());
                        f.get(..end).unwrap_or(&[])
                    };
                    out.push_str("{sysname=");
                    quote(out, field(0), false);
                    out.push_str(", nodename=");
                    quote(out, field(1), false);
                    out.push_str(", ...}")
                }
                _ => ptr(out, v),
            },
            Arg::WaitStatus => match self.ok() {
                Some(pid) if v != 0 && pid != 0 => {
                    // SAFETY: the kernel wrote the status.
                    let st = unsafe { core::ptr::read_unaligned(v as *const i32) };
                    wait_status(out, st)
                }
                _ => ptr(out, v),
            },
            Arg::WaitOptions => flags::flags(out, flags::WAIT, v64 & 0xffff_ffff, "0"),
            Arg::Ioctl => match flags::IOCTL.iter().find(|e| e.0 == v64 & 0xffff_ffff) {
                Some(e) => out.push_str(e.1),
                None => hex(out, v),
            },
            Arg::LlseekOffset => {
                let off = ((v as u64) << 32) | (self.word(w + 1) as u64 & 0xffff_ffff);
                out.dec(off as i64);
                out.push_str(", ");
                let res = self.word(w + 2);
                match self.ok() {
                    Some(_) if res != 0 => {
                        // SAFETY: the kernel wrote the new offset there.
                        let r = unsafe { core::ptr::read_unaligned(res as *const i64) };
                        out.push_byte(b'[');
                        out.dec(r);
                        out.push_byte(b']');
                    }
                    _ => ptr(out, res),
                }
                return w + 3;
            }
            Arg::FcntlCmd => {}
        }
        w + 1
    }

    /// A 64-bit value at word `w` (a register pair on 32-bit architectures, low word first on
    /// the little-endian ones) and the index after it.
    fn wide(&self, w: usize) -> (u64, usize) {
        if cfg!(target_pointer_width = "64") {
            (self.word(w) as u64, w + 1)
        } else {
            let w = if PAIR_ALIGN && w % 2 == 1 { w + 1 } else { w };
            let (lo, hi) = if cfg!(target_endian = "little") {
                (self.word(w), self.word(w + 1))
            } else {
                (self.word(w + 1), self.word(w))
            };
            (((hi as u64) << 32) | (lo as u64 & 0xffff_ffff), w + 2)
        }
    }

    /// A NUL-terminated string at `addr`, at most `max` bytes.
    ///
    /// # Safety
    /// As [`format`]: `addr` is a C string.
    unsafe fn path(&self, out: &mut impl Out, addr: usize, max: usize) {
        if addr == 0 || self.fault {
            return ptr(out, addr);
        }
        if self.ok().is_none() {
            return checked_path(out, addr, max);
        }
        // SAFETY: the call succeeded, so the kernel read the C string: every byte up to its
        // NUL is readable.
        let s = unsafe { core::ffi::CStr::from_ptr(addr as *const core::ffi::c_char) };
        let b = s.to_bytes();
        quote(out, b.get(..max).unwrap_or(b), b.len() > max)
    }

    /// `fcntl`'s command and argument.
    fn fcntl(&mut self, out: &mut impl Out, cmd: i32, arg: usize) {
        flags::enum_hex(out, flags::FCNTL, cmd as u32 as u64, "F");
        match cmd {
            libc::F_GETFD
            | libc::F_GETFL
            | libc::F_GETOWN
            | libc::F_GETLEASE
            | libc::F_GETPIPE_SZ
            | libc::F_GET_SEALS => {
                self.fcntl_ret = Some(cmd as u64);
            }
            libc::F_SETFD => {
                out.push_str(", ");
                flags::flags(out, flags::FD_FLAGS, arg as u64, "0")
            }
            libc::F_SETFL => {
                out.push_str(", ");
                flags::open_flags(out, arg as u64 & 0xffff_ffff)
            }
            libc::F_DUPFD
            | libc::F_DUPFD_CLOEXEC
            | libc::F_SETOWN
            | libc::F_SETPIPE_SZ
            | libc::F_SETLEASE => {
                out.push_str(", ");
                out.dec(i64::from(arg as i32));
            }
            _ => {
                out.push_str(", ");
                ptr(out, arg)
            }
        }
    }

    /// `fcntl`'s result, by its command.
    fn fcntl_result(&self, out: &mut impl Out, v: usize) {
        match self.fcntl_ret.map(|c| c as i32) {
            Some(libc::F_GETFD) if v != 0 => {
                out.hex(v as u64);
                out.push_str(" (flags ");
                flags::flags(out, flags::FD_FLAGS, v as u64, "0");
                out.push_byte(b')')
            }
            Some(libc::F_GETFL) => {
                hex(out, v);
                out.push_str(" (flags ");
                flags::open_flags(out, v as u64);
                out.push_byte(b')')
            }
            _ => out.dec(v as isize as i64),
        }
    }
}

/// A `struct timespec` at `addr`: `{tv_sec=1, tv_nsec=500}`; `wide`: 64-bit fields, else `long`s.
///
/// # Safety
/// `addr` must be readable for the struct.
unsafe fn timespec(out: &mut impl Out, addr: usize, wide: bool) {
    let (sec, nsec) = if wide {
        // SAFETY: the caller's promise.
        let t = unsafe { core::ptr::read_unaligned(addr as *const [i64; 2]) };
        (t[0], t[1])
    } else {
        // SAFETY: the caller's promise.
        let t = unsafe { core::ptr::read_unaligned(addr as *const [isize; 2]) };
        (t[0] as i64, t[1] as i64)
    };
    out.push_str("{tv_sec=");
    out.dec(sec);
    out.push_str(", tv_nsec=");
    out.dec(nsec);
    out.push_byte(b'}');
}

/// A wait status as strace prints it: `[{WIFEXITED(s) && WEXITSTATUS(s) == 0}]`.
fn wait_status(out: &mut impl Out, st: i32) {
    let sig = st & 0x7f;
    if sig == 0 {
        out.push_str("[{WIFEXITED(s) && WEXITSTATUS(s) == ");
        out.dec(i64::from((st >> 8) & 0xff));
        out.push_str("}]");
    } else if sig != 0x7f {
        out.push_str("[{WIFSIGNALED(s) && WTERMSIG(s) == ");
        flags::enum_dec(out, flags::SIGNALS, sig as u64);
        if st & 0x80 != 0 {
            out.push_str(" && WCOREDUMP(s)");
        }
        out.push_str("}]")
    } else {
        out.push_byte(b'[');
        out.hex(u64::from(st as u32));
        out.push_byte(b']');
    }
}

/// Reads our own memory at `addr` without trusting it (`process_vm_readv(2)` on ourselves, as
/// strace reads a tracee's): how many bytes could be read.
fn checked_read(addr: usize, buf: &mut [u8]) -> usize {
    if buf.is_empty() {
        return 0;
    }
    let pid = match SELF_PID.load(core::sync::atomic::Ordering::Relaxed) {
        0 => {
            // SAFETY: getpid takes no arguments and writes no memory.
            match unsafe { sys_core::syscall_readonly!(sys_core::nr::getpid) } {
                Ok(pid) => pid,
                Err(_) => return 0,
            }
        }
        pid => pid,
    };
    let local = [buf.as_mut_ptr() as usize, buf.len()];
    let remote = [addr, buf.len()];
    // SAFETY: `local` describes `buf`, which the kernel may write; `remote` is only read, by
    // the kernel, which reports a fault instead of faulting.
    let r = unsafe {
        sys_core::syscall!(
            sys_core::nr::process_vm_readv,
            pid,
            local.as_ptr(),
            1usize,
            remote.as_ptr(),
            1usize,
            0usize
        )
    };
    r.unwrap_or(0)
}

/// A path of a failed call, read with [`checked_read`] (page by page: the string may end
/// right before an unmapped page).
#[inline(never)]
fn checked_path(out: &mut impl Out, addr: usize, max: usize) {
    let mut buf = [0u8; PATH_MAX];
    let mut have = 0;
    while have < max.min(PATH_MAX) {
        let at = addr.wrapping_add(have);
        let to_page = 4096 - at % 4096;
        let end = (have + to_page).min(max).min(PATH_MAX);
        let Some(chunk) = buf.get_mut(have..end) else {
            break;
        };
        let got = checked_read(at, chunk);
        let nul = chunk
            .get(..got)
            .and_then(|c| c.iter().position(|&b| b == 0));
        if let Some(i) = nul {
            return quote(out, buf.get(..have + i).unwrap_or(&[]), false);
        }
        if got < chunk.len() {
            return ptr(out, addr);
        }
        have = end;
    }
    quote(out, buf.get(..have).unwrap_or(&[]), true)
}
