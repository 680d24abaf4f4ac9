//! mips64 (n64) entry point.
//!
//! ABI (MIPS n64 ABI, as the kernel's `create_elf_tables()` and GNU ld expect):
//! - at entry: `$sp` points at `argc`
//! - no argument save area; 16-byte alignment
//! - `$t9` holds the callee's address at the call (its PIC prologue derives `$gp` from it),
//!   built from the four 16-bit pieces of the absolute address (`%highest`/`%higher`/`%hi`/
//!   `%lo`): a `dla`/`jal` would become a GOT access
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
    "daddiu $t0, $zero, -16",
    "and $sp, $sp, $t0",
    "lui $t9, %highest(__libsys_start)",
    "daddiu $t9, $t9, %higher(__libsys_start)",
    "dsll $t9, $t9, 16",
    "daddiu $t9, $t9, %hi(__libsys_start)",
    "dsll $t9, $t9, 16",
    "daddiu $t9, $t9, %lo(__libsys_start)",
    "jalr $t9",
    "nop",
    "teq $zero, $zero",
    ".set pop",
);
