//! loongarch64 entry point.
//!
//! ABI (LoongArch ELF psABI, "Procedure Calling Convention"):
//! - at entry: `$sp` points at `argc`; 16-byte stack alignment
//! - `$fp` (`$r22`) and `$ra` cleared
//! - first argument: `$a0`
//! - trap: `break 0`

entry!(
    "@function",
    [],
    "move $fp, $zero",
    "move $ra, $zero",
    "move $a0, $sp",
    "bstrins.d $sp, $zero, 3, 0",
    "bl __libsys_start",
    "break 0",
);
