//! riscv64 entry point.
//!
//! ABI (RISC-V ELF psABI, "Procedure Calling Convention" and "Global pointer"):
//! - at entry: `sp` points at `argc`; 16-byte stack alignment
//! - `gp` = the linker's `__global_pointer$`, loaded with relaxation off (otherwise the linker
//!   could relax the load itself into a `gp`-relative one)
//! - `s0` (frame pointer) and `ra` cleared
//! - first argument: `a0`
//! - trap: `unimp`

entry!(
    "@function",
    [],
    ".option push",
    ".option norelax",
    "lla gp, __global_pointer$",
    ".option pop",
    "li s0, 0",
    "li ra, 0",
    "mv a0, sp",
    "andi sp, sp, -16",
    "call __libsys_start",
    "unimp",
);
