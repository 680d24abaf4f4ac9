//! powerpc64 (ELFv2, little-endian) entry point.
//!
//! ABI (64-bit ELF v2 ABI 2.2.2.1 "Stack Frame Organization", 2.3.2.1 "TOC"; 4.1 "Process
//! Initialization"):
//! - at entry: `r1` points at `argc`
//! - `r2` must hold the TOC pointer before a call to a function's local entry point (a `bl` to
//!   a function in the same executable goes there); the binary is static and not PIE, so
//!   `.TOC.` is loaded as an absolute 64-bit address
//! - the callee saves `lr` in its caller's frame: a minimal 32-byte frame with a NULL back
//!   chain is pushed; 16-byte alignment
//! - first argument: `r3`; the `nop` after `bl` is the slot the linker may use for a TOC restore
//! - trap: `trap`

entry!(
    "@function",
    [],
    "lis 2, .TOC.@highest",
    "ori 2, 2, .TOC.@higher",
    "rldicr 2, 2, 32, 31",
    "oris 2, 2, .TOC.@h",
    "ori 2, 2, .TOC.@l",
    "mr 3, 1",
    "clrrdi 1, 1, 4",
    "li 0, 0",
    "stdu 0, -32(1)",
    "mtlr 0",
    "bl __libsys_start",
    "nop",
    "trap",
);
