//! aarch64 entry point.
//!
//! ABI (AAPCS64 6.4.5.1 and 6.4.6; Linux `arch/arm64/kernel/process.c`, `start_thread`):
//! - at entry: `sp` points at `argc`, already 16-byte aligned (the hardware faults on a
//!   misaligned `sp` access, and the kernel aligns it)
//! - `x29` (frame pointer) and `x30` (link register) cleared end the frame-record chain
//! - first argument: `x0`
//! - trap: `brk #1`

entry!(
    "%function",
    [],
    "mov x29, #0",
    "mov x30, #0",
    "mov x0, sp",
    "and sp, x0, #-16",
    "bl __libsys_start",
    "brk #1",
);
