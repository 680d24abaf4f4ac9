//! The live tracer (feature `hooks`): sys-core's observer (`sys_core::hook::set_observer`)
//! formats each call after the kernel answered and sends the line to a [`Sink`]; the call itself
//! is made where it is made without a tracer. Thread ids as `strace -f` prints them
//! (`[pid  1235] ` for threads other than the main one; strace 6.1 `printleader`), read with
//! `gettid(2)`; the switch from the environment reads the initial stack's `envp` (sys-auxv).

use crate::buf::LineBuf;
use crate::sink::Sink;
use core::fmt::Write;
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
pub fn from_env() -> Option<Mode> {
    let mode = parse_env(env_value(b"LIBSYS_TRACE")?)?;
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

/// The value of environment variable `key` at process entry.
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
    let mut line = LineBuf::<LINE>::new();
    // SAFETY: gettid takes no arguments and writes no memory.
    let tid = unsafe { syscall_readonly!(nr::gettid) }.unwrap_or(0);
    if tid != PID.load(Ordering::Relaxed) {
        let _ = write!(line, "[pid {tid:5}] ");
    }
    // SAFETY: the call's arguments satisfied its contract, and the kernel answered `ret`.
    let _ = unsafe { crate::format(&mut line, call.nr(), call.args(), ret) };
    line.finish_line();
    let _ = sink.emit(line.as_bytes());
}
