//! s390x entry point.
//!
//! ABI (s390x ELF ABI supplement, "Stack frame" and "Process initialization"):
//! - at entry: `r15` points at `argc`
//! - a callee may store registers in the 160-byte save area its caller provides; the back chain
//!   at `0(r15)` is cleared; 8-byte alignment required, 16 used
//! - `r14` (return address) cleared
//! - first argument: `r2`
//! - trap: `j .+2` (a branch into the middle of itself: an illegal instruction)

entry!(
    "@function",
    [],
    "lgr %r2, %r15",
    "nill %r15, 0xfff0",
    "aghi %r15, -160",
    "lghi %r0, 0",
    "stg %r0, 0(%r15)",
    "lghi %r14, 0",
    "brasl %r14, __libsys_start",
    "j .+2",
);
