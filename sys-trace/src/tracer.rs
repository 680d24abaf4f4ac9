//! The live tracer (feature `hooks`): sys-core's observer (`sys_core::hook::set_observer`)
//! formats each call after the kernel answered and sends the line to a [`Sink`]; the call itself
//! is made where it is made without a tracer. Thread ids as `strace -f` prints them
//! (`[pid  1235] ` for threads other than the main one; strace 6.1 `printleader`), read with
//! `gettid(2)` — once per thread with `std` (see [`tid`]), else per line; the switch from the
//! environment reads the initial stack's `envp` (sys-auxv).

use crate::buf::{LineBuf, Out};
use crate::sink::Sink;
use core::sync::atomic::{AtomicIsize, AtomicUsize, Ordering};
use sys_core::hook::{self, Call};
use sys_core::{RawRet, nr, syscall_readonly};

/// The sink, encoded: `-1` none, `-2` the ring, `-3` count only, else a descriptor.
/// (`isize`: 32-bit mips has no 64-bit atomics.)
static SINK: AtomicIsize = AtomicIsize::new(-1);
/// How many calls the tracer saw.
static CALLS: AtomicUsize = AtomicUsize::new(0);
/// The process id when tracing started (the main thread's id).
static PID: AtomicUsize = AtomicUsize::new(0);
/// Thread ids cached before this generation are stale: bumped when this thread may now be
/// another (a fork child; see [`tid`]).
static GENERATION: AtomicUsize = AtomicUsize::new(1);

const NONE: isize = -1;
const RING: isize = -2;
const COUNT: isize = -3;

/// The longest line the tracer formats; longer ones end in `...`.
const LINE: usize = 1024;

/// What the tracer does with each call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Format the call and send the line to the sink.
    Print(Sink),
    /// Only count the calls ([`calls`]): no formatting, no output.
    Count,
}

impl From<Sink> for Mode {
    fn from(s: Sink) -> Self {
        Mode::Print(s)
    }
}

/// Starts tracing every system call libsys makes in this process: each one, after the kernel
/// answered, as one strace-style line to `to` (a [`Sink`]) — or only counted.
///
/// Installs the tracer as sys-core's observer (replacing any other observer, which it returns);
/// a process-wide hook or a number's replacement, where installed, takes precedence.
pub fn start(to: impl Into<Mode>) -> Option<hook::Observer> {
    let code = match to.into() {
        Mode::Count => COUNT,
        Mode::Print(Sink::Ring) => RING,
        Mode::Print(Sink::Stderr) => 2,
        Mode::Print(Sink::Fd(fd)) => fd.max(0) as isize,
    };
    // SAFETY: getpid takes no arguments and writes no memory.
    let pid = unsafe { syscall_readonly!(nr::getpid) }.unwrap_or(0);
    PID.store(pid, Ordering::Relaxed);
    crate::format::SELF_PID.store(pid, Ordering::Relaxed);
    #[cfg(feature = "std")]
    watch_libc_forks();
    GENERATION.fetch_add(1, Ordering::Relaxed);
    SINK.store(code, Ordering::Relaxed);
    hook::set_observer(Some(trace))
}

/// Stops tracing (removes the observer if it is the tracer).
pub fn stop() {
    let old = hook::set_observer(None);
    if let Some(o) = old
        && !core::ptr::fn_addr_eq(o, trace as hook::Observer)
    {
        hook::set_observer(Some(o));
    }
    SINK.store(NONE, Ordering::Relaxed);
}

/// How many calls the tracer has seen since the process started.
pub fn calls() -> usize {
    CALLS.load(Ordering::Relaxed)
}

/// Starts tracing if the environment says so: `LIBSYS_TRACE=1` or `stderr` (descriptor 2),
/// `fd:N`, `ring` or `count`. Returns the mode started, `None` when the variable is absent,
/// empty, `0` or not understood (or the environment is unknown).
///
/// The environment is the one the process started with: the initial stack's `envp` where
/// sys-auxv captured it at start-up (glibc, libsys's own entry point), else
/// `/proc/self/environ` (musl, whose start-up code hands `.init_array` functions nothing).
pub fn from_env() -> Option<Mode> {
    let mode = match env_value(b"LIBSYS_TRACE") {
        Some(v) => parse_env(v)?,
        None => parse_env(procfs_env_value(b"LIBSYS_TRACE")?.as_bytes())?,
    };
    start(mode);
    Some(mode)
}

/// Parses a `LIBSYS_TRACE` value.
pub fn parse_env(v: &[u8]) -> Option<Mode> {
    Some(match v {
        b"1" | b"stderr" => Mode::Print(Sink::Stderr),
        b"ring" => Mode::Print(Sink::Ring),
        b"count" => Mode::Count,
        _ => {
            let n = v.strip_prefix(b"fd:")?;
            let s = core::str::from_utf8(n).ok()?;
            Mode::Print(Sink::Fd(s.parse().ok().filter(|&fd: &i32| fd >= 0)?))
        }
    })
}

/// The value of environment variable `key` at process entry, from the `envp` sys-auxv
/// captured (`None` also when there was no capture).
fn env_value(key: &[u8]) -> Option<&'static [u8]> {
    let mut envp = sys_auxv::envp()?;
    loop {
        // SAFETY: `envp` is the initial stack's NULL-terminated array of C strings, captured
        // at start-up; read up to its NULL, never written.
        let entry = unsafe { envp.read() };
        if entry.is_null() {
            return None;
        }
        // SAFETY: every entry before the NULL is a NUL-terminated string on the initial
        // stack, which lives as long as the process.
        let bytes = unsafe { core::ffi::CStr::from_ptr(entry) }.to_bytes();
        if let Some(value) = bytes.strip_prefix(key).and_then(|r| r.strip_prefix(b"=")) {
            return Some(value);
        }
        // SAFETY: the entry was not the NULL, so the next one is still in the array.
        envp = unsafe { envp.add(1) };
    }
}

/// A short environment value, copied ([`procfs_env_value`]): longer ones are no mode.
pub(crate) struct ShortValue {
    bytes: [u8; 32],
    len: usize,
}

impl ShortValue {
    pub(crate) fn as_bytes(&self) -> &[u8] {
        self.bytes.get(..self.len).unwrap_or(&[])
    }
}

/// The value of environment variable `key` in `/proc/self/environ` (the environment the
/// process started with), if it is at most 32 bytes long; `None` when it is absent, longer,
/// or the file cannot be read.
fn procfs_env_value(key: &[u8]) -> Option<ShortValue> {
    const PATH: &core::ffi::CStr = c"/proc/self/environ";
    // SAFETY: the path is NUL-terminated; openat writes no memory of ours.
    let fd = unsafe {
        syscall_readonly!(
            nr::openat,
            libc::AT_FDCWD,
            PATH.as_ptr(),
            libc::O_RDONLY | libc::O_CLOEXEC
        )
    }
    .ok()?;
    let mut finder = EnvFinder::new(key);
    let mut chunk = [0u8; 512];
    let found = loop {
        // SAFETY: `chunk` is valid for writes of its length; the descriptor is ours.
        let n = match unsafe { sys_core::syscall!(nr::read, fd, chunk.as_mut_ptr(), chunk.len()) } {
            Ok(0) | Err(_) => break finder.end(),
            Ok(n) => n,
        };
        if let Some(v) = finder.feed(chunk.get(..n).unwrap_or(&[])) {
            break Some(v);
        }
    };
    // SAFETY: the descriptor is ours and closed once.
    let _ = unsafe { syscall_readonly!(nr::close, fd) };
    found
}

/// Finds `key=value` in NUL-separated `key=value` entries fed in pieces of any size.
pub(crate) struct EnvFinder<'k> {
    key: &'k [u8],
    /// How far the current entry matches `key=` (`key.len() + 1`: in the value); `None` once
    /// it does not.
    matched: Option<usize>,
    value: ShortValue,
    /// The value is longer than [`ShortValue`] holds.
    long: bool,
}

impl<'k> EnvFinder<'k> {
    pub(crate) fn new(key: &'k [u8]) -> Self {
        EnvFinder {
            key,
            matched: Some(0),
            value: ShortValue {
                bytes: [0; 32],
                len: 0,
            },
            long: false,
        }
    }

    /// Feeds the next bytes; the value once its entry ended within them.
    pub(crate) fn feed(&mut self, bytes: &[u8]) -> Option<ShortValue> {
        for &b in bytes {
            if b == 0 {
                if let Some(v) = self.entry_end() {
                    return Some(v);
                }
                continue;
            }
            self.matched = match self.matched {
                Some(i) if i < self.key.len() => (self.key.get(i) == Some(&b)).then_some(i + 1),
                Some(i) if i == self.key.len() => (b == b'=').then_some(i + 1),
                Some(i) => {
                    match self.value.bytes.get_mut(self.value.len) {
                        Some(slot) => {
                            *slot = b;
                            self.value.len += 1;
                        }
                        None => self.long = true,
                    }
                    Some(i)
                }
                None => None,
            };
        }
        None
    }

    /// The end of the input: a last entry without its NUL counts.
    pub(crate) fn end(&mut self) -> Option<ShortValue> {
        self.entry_end()
    }

    fn entry_end(&mut self) -> Option<ShortValue> {
        let found = self.matched.is_some_and(|i| i > self.key.len()) && !self.long;
        let value = core::mem::replace(
            &mut self.value,
            ShortValue {
                bytes: [0; 32],
                len: 0,
            },
        );
        self.matched = Some(0);
        self.long = false;
        found.then_some(value)
    }
}

#[cfg(test)]
mod env_tests {
    use super::EnvFinder;

    fn find(text: &[u8], piece: usize) -> Option<std::vec::Vec<u8>> {
        let mut f = EnvFinder::new(b"LIBSYS_TRACE");
        for c in text.chunks(piece.max(1)) {
            if let Some(v) = f.feed(c) {
                return Some(v.as_bytes().to_vec());
            }
        }
        f.end().map(|v| v.as_bytes().to_vec())
    }

    #[test]
    fn finds_the_value_whatever_the_pieces() {
        let env = b"PATH=/bin\0LIBSYS_TRACEX=no\0XLIBSYS_TRACE=no\0LIBSYS_TRACE=fd:7\0HOME=/\0";
        for piece in 1..env.len() + 1 {
            assert_eq!(
                find(env, piece).as_deref(),
                Some(&b"fd:7"[..]),
                "piece {piece}"
            );
        }
        // The last entry without its NUL; an empty value; absent; too long to be a mode.
        assert_eq!(
            find(b"A=1\0LIBSYS_TRACE=ring", 3).as_deref(),
            Some(&b"ring"[..])
        );
        assert_eq!(find(b"LIBSYS_TRACE=\0", 4).as_deref(), Some(&b""[..]));
        assert_eq!(find(b"A=1\0B=2\0", 2), None);
        assert_eq!(
            find(b"LIBSYS_TRACE=0123456789012345678901234567890123\0", 5),
            None
        );
        assert_eq!(find(b"", 1), None);
    }
}

/// The observer: told of each call after it was made (before, for one that does not return).
fn trace(call: &Call<'_>, ret: Option<RawRet>) {
    CALLS.fetch_add(1, Ordering::Relaxed);
    let code = SINK.load(Ordering::Relaxed);
    if code == NONE || code == COUNT {
        return;
    }
    let sink = match code {
        RING => Sink::Ring,
        2 => Sink::Stderr,
        fd => Sink::Fd(fd as i32),
    };
    emit(sink, call, ret);
}

/// Formats and sends one line.
#[inline(never)]
fn emit(sink: Sink, call: &Call<'_>, ret: Option<RawRet>) {
    if ret.is_some_and(|r| r.result().is_ok()) && FORKS.contains(&call.nr()) {
        // In the child (`0`) this thread is a new one; in the parent too, after a `vfork` (or
        // a `clone` with `CLONE_VM` and no `CLONE_SETTLS`), whose child ran on this thread's
        // memory and may have cached its own id here.
        GENERATION.fetch_add(1, Ordering::Relaxed);
    }
    let mut line = LineBuf::<LINE>::new();
    let tid = tid();
    if tid != PID.load(Ordering::Relaxed) {
        line.push_bytes(b"[pid ");
        line.udec_width(tid as u64, 5);
        line.push_bytes(b"] ");
    }
    // SAFETY: the call's arguments satisfied its contract, and the kernel answered `ret`.
    unsafe { crate::format::format_to(&mut line, call.nr(), call.args(), ret) };
    line.finish_line();
    let _ = sink.emit(line.as_bytes());
}

/// The calls that make a new process (or thread): after them the thread ids cached are checked
/// again. (`fork` and `vfork` where the architecture has them: the tables in sys-core's `nr`.)
const FORKS: &[usize] = &[
    nr::clone,
    nr::clone3,
    #[cfg(any(
        target_arch = "x86_64",
        target_arch = "x86",
        target_arch = "arm",
        target_arch = "mips",
        target_arch = "mips64",
        target_arch = "powerpc64",
        target_arch = "s390x"
    ))]
    nr::fork,
    #[cfg(any(
        target_arch = "x86_64",
        target_arch = "x86",
        target_arch = "arm",
        target_arch = "powerpc64",
        target_arch = "s390x"
    ))]
    nr::vfork,
];

/// The calling thread's id (`gettid(2)`).
///
/// With `std`, read once per thread and kept in a thread-local, with the [`GENERATION`] it was
/// read in: a system call per traced line is what the tracer cost most. The id of a thread
/// never changes, except in a forked child, whose one thread goes on with the forking thread's
/// memory (and thread-locals) under a new id. So the generation is bumped
///
/// - by the tracer itself when it sees libsys's own `fork`, `vfork`, `clone` or `clone3`
///   succeed (in the child, and in the parent: a `vfork` child shares its memory);
/// - for forks made by libc (`fork(3)`, which libsys does not see), by a `pthread_atfork(3)`
///   child handler registered at [`start`] (std means libc is linked).
///
/// A thread compares one relaxed load with its cached generation and calls `gettid` only when
/// they differ. Not seen: children of libc's `vfork(3)`, `clone(2)` wrapper, `_Fork(3)` and
/// `posix_spawn(3)`, which run no fork handlers — a libsys call such a child makes before it
/// execs is printed with the parent's id. (Checking the process id on every line instead would
/// be the system call this saves.)
///
/// Without `std` (no thread-locals on stable Rust without it), every line asks the kernel.
fn tid() -> usize {
    #[cfg(feature = "std")]
    {
        let generation = GENERATION.load(Ordering::Relaxed);
        let cached = TID.try_with(|c| c.get()).ok();
        if let Some((g, tid)) = cached
            && g == generation
        {
            return tid;
        }
        let tid = gettid();
        let _ = TID.try_with(|c| c.set((generation, tid)));
        tid
    }
    #[cfg(not(feature = "std"))]
    gettid()
}

#[cfg(feature = "std")]
std::thread_local! {
    /// This thread's id and the [`GENERATION`] it was read in (`0`: never).
    static TID: core::cell::Cell<(usize, usize)> = const { core::cell::Cell::new((0, 0)) };
}

/// Asks the kernel for the calling thread's id.
fn gettid() -> usize {
    // SAFETY: gettid takes no arguments and writes no memory.
    unsafe { syscall_readonly!(nr::gettid) }.unwrap_or(0)
}

/// Registers (once) the `pthread_atfork(3)` child handler that makes a forked child read its
/// thread id again.
#[cfg(feature = "std")]
fn watch_libc_forks() {
    static REGISTERED: core::sync::atomic::AtomicBool = core::sync::atomic::AtomicBool::new(false);
    extern "C" fn forked() {
        // Async-signal-safe: one atomic add.
        GENERATION.fetch_add(1, Ordering::Relaxed);
    }
    if !REGISTERED.swap(true, Ordering::Relaxed) {
        // SAFETY: `forked` is a function of the program's lifetime that only touches an
        // atomic; registering a handler has no other requirement.
        unsafe { libc::pthread_atfork(None, None, Some(forked)) };
    }
}
