//! x86_64 entry point.
//!
//! ABI (System V AMD64 psABI 3.2.2 and 3.4.1 "Initial Stack and Register State"):
//! - at entry: `rsp` points at `argc` and is 16-byte aligned; `rbp` is unspecified ("the
//!   deepest stack frame" should have it zero)
//! - a call needs `rsp` 16-byte aligned before it (the `call` pushes 8 bytes)
//! - first argument: `rdi`
//! - trap: `ud2`

entry!(
    "@function",
    [],
    "xor ebp, ebp",
    "mov rdi, rsp",
    "and rsp, -16",
    "call __libsys_start",
    "ud2",
);
