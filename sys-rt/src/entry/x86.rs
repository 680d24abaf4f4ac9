//! x86 (i386) entry point.
//!
//! ABI (System V i386 psABI 2.2.2 as amended for SSE, and 3.4 "Process Initialization"):
//! - at entry: `esp` points at `argc`
//! - arguments on the stack; `esp` 16-byte aligned at the `call`, so 12 bytes of padding precede
//!   the 4-byte argument
//! - `ebp` cleared for the deepest frame
//! - trap: `ud2`

entry!(
    "@function",
    [],
    "xor ebp, ebp",
    "mov eax, esp",
    "and esp, -16",
    "sub esp, 12",
    "push eax",
    "call __libsys_start",
    "ud2",
);
