//! mips (o32) entry point.
//!
//! ABI (System V MIPS psABI, o32: "Function Calling Sequence" and "Process Initialization"):
//! - at entry: `$sp` points at `argc`
//! - the caller reserves 16 bytes of argument save area; 8-byte alignment required, 16 used
//! - `$gp` = `_gp`; PIC callees compute `$gp` from `$t9`, so `$t9` holds the callee's address at
//!   the call
//! - addresses are built with absolute `%hi`/`%lo`: a `la`/`jal` would become a GOT access
//!   (`R_MIPS_CALL16`) in this PIC-by-default target, which a static link without a GOT set up
//!   cannot use (GNU ld crashes on it)
//! - `$fp` and `$ra` cleared; first argument: `$a0`; `noreorder`, so the delay slot is explicit
//! - trap: `teq $zero, $zero`

entry!(
    "@function",
    [],
    ".set push",
    ".set noreorder",
    "move $fp, $zero",
    "move $ra, $zero",
    "move $a0, $sp",
    "li $t0, -16",
    "and $sp, $sp, $t0",
    "addiu $sp, $sp, -16",
    "lui $gp, %hi(_gp)",
    "addiu $gp, $gp, %lo(_gp)",
    "lui $t9, %hi(__libsys_start)",
    "addiu $t9, $t9, %lo(__libsys_start)",
    "jalr $t9",
    "nop",
    "teq $zero, $zero",
    ".set pop",
);
