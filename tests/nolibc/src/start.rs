//! The process entry point `_start` for each architecture: hands the initial stack pointer to
//! `start_rust` on an ABI-conforming stack.
//!
//! Facts from the psABIs (System V i386/AMD64, AAPCS/AAPCS64, RISC-V ELF psABI, 64-bit ELFv2
//! Power, s390x ELF ABI supplement, LoongArch ELF psABI, MIPS o32/n64) and the kernel's
//! `create_elf_tables()` (`fs/binfmt_elf.c`): at entry the stack pointer points at `argc`,
//! followed by `argv[]`, NULL, `envp[]`, NULL, the auxiliary vector. No register other than the
//! stack pointer carries anything we use (x86_64's rdx and aarch64's x0 may hold an `atexit`
//! function from a dynamic loader, which a static binary never has).
//!
//! Every variant: clears the frame pointer / return address where the ABI has one (so a
//! debugger's backtrace ends here), passes the original stack pointer as the first argument,
//! aligns the stack to 16 bytes, sets up what the ABI requires of a caller (frame, save area,
//! global/TOC pointer), calls `start_rust` (which never returns) and traps if it does.

use core::arch::global_asm;

// x86_64: the call pushes 8 bytes, so rsp is 16-aligned before it, as the AMD64 psABI 3.2.2
// requires at a call.
#[cfg(target_arch = "x86_64")]
global_asm!(
    ".globl _start",
    ".type _start, @function",
    "_start:",
    "xor ebp, ebp",
    "mov rdi, rsp",
    "and rsp, -16",
    "call start_rust",
    "ud2",
);

// x86 (i386): arguments on the stack; esp must be 16-aligned at the call (i386 psABI 2.2.2 as
// amended for SSE), so 12 bytes of padding precede the 4-byte argument.
#[cfg(target_arch = "x86")]
global_asm!(
    ".globl _start",
    ".type _start, @function",
    "_start:",
    "xor ebp, ebp",
    "mov eax, esp",
    "and esp, -16",
    "sub esp, 12",
    "push eax",
    "call start_rust",
    "ud2",
);

// aarch64: sp is already 16-aligned at entry (the hardware faults otherwise); x29/x30 cleared
// end the frame-record chain (AAPCS64 6.4.6).
#[cfg(target_arch = "aarch64")]
global_asm!(
    ".globl _start",
    ".type _start, %function",
    "_start:",
    "mov x29, #0",
    "mov x30, #0",
    "mov x0, sp",
    "and sp, x0, #-16",
    "bl start_rust",
    "brk #1",
);

// arm: AAPCS requires 8-byte alignment at public interfaces; 16 is used. r11 (A32 frame
// pointer), r7 (Thumb frame pointer) and lr are cleared. The same instructions assemble as A32
// or Thumb-2 and `_start` takes the target's default mode (Thumb for `thumbv7neon-*`); there
// `.thumb_func` marks it a Thumb function, so that the ELF entry address gets bit 0 set and the
// kernel starts the process in Thumb state (without it: SIGILL at the first instruction).
#[cfg(target_arch = "arm")]
macro_rules! arm_start {
    ($($directive:literal)?) => {
        global_asm!(
            $($directive,)?
            ".globl _start",
            ".type _start, %function",
            "_start:",
            "mov r11, #0",
            "mov r7, #0",
            "mov lr, #0",
            "mov r0, sp",
            "bic r1, r0, #15",
            "mov sp, r1",
            "bl start_rust",
            "udf #16",
        );
    };
}
#[cfg(all(target_arch = "arm", target_feature = "thumb-mode"))]
arm_start!(".thumb_func");
#[cfg(all(target_arch = "arm", not(target_feature = "thumb-mode")))]
arm_start!();

// riscv64: gp is the linker's `__global_pointer$`, loaded with relaxation off (otherwise the
// linker could relax the load itself into a gp-relative one); s0 (frame pointer) and ra are
// cleared.
#[cfg(target_arch = "riscv64")]
global_asm!(
    ".globl _start",
    ".type _start, @function",
    "_start:",
    ".option push",
    ".option norelax",
    "lla gp, __global_pointer$",
    ".option pop",
    "li s0, 0",
    "li ra, 0",
    "mv a0, sp",
    "andi sp, sp, -16",
    "call start_rust",
    "unimp",
);

// powerpc64 ELFv2: r2 must hold the TOC pointer before calling a function's local entry point
// (a `bl` to a function in the same object goes there); the binary is static and not PIE, so
// `.TOC.` is loaded as an absolute 64-bit address. The callee saves lr in the caller's frame,
// so a minimal 32-byte frame with a NULL back chain is pushed (ELFv2 2.2.2.1).
#[cfg(target_arch = "powerpc64")]
global_asm!(
    ".globl _start",
    ".type _start, @function",
    "_start:",
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
    "bl start_rust",
    "nop",
    "trap",
);

// s390x: a callee may store registers in the 160-byte save area its caller provides (s390x ELF
// ABI supplement, "Stack frame"), the back chain at 0(r15) is cleared; 8-byte alignment is
// required, 16 is used.
#[cfg(target_arch = "s390x")]
global_asm!(
    ".globl _start",
    ".type _start, @function",
    "_start:",
    "lgr %r2, %r15",
    "nill %r15, 0xfff0",
    "aghi %r15, -160",
    "lghi %r0, 0",
    "stg %r0, 0(%r15)",
    "lghi %r14, 0",
    "brasl %r14, start_rust",
    "j .+2",
);

// loongarch64: 16-byte stack alignment (LoongArch psABI, "Procedure calling convention");
// fp (r22) and ra cleared.
#[cfg(target_arch = "loongarch64")]
global_asm!(
    ".globl _start",
    ".type _start, @function",
    "_start:",
    "move $fp, $zero",
    "move $ra, $zero",
    "move $a0, $sp",
    "bstrins.d $sp, $zero, 3, 0",
    "bl start_rust",
    "break 0",
);

// mips o32: the caller reserves 16 bytes of argument save area (o32 ABI), 8-byte alignment
// (16 used); PIC callees compute gp from t9, so t9 holds the callee's address at the call.
// Addresses are built with absolute %hi/%lo: a `la`/`jal` would become a GOT (CALL16) access
// in this PIC-by-default target, which a static link without a GOT set up cannot use.
#[cfg(target_arch = "mips")]
global_asm!(
    ".globl _start",
    ".type _start, @function",
    ".set push",
    ".set noreorder",
    "_start:",
    "move $fp, $zero",
    "move $ra, $zero",
    "move $a0, $sp",
    "li $t0, -16",
    "and $sp, $sp, $t0",
    "addiu $sp, $sp, -16",
    "lui $gp, %hi(_gp)",
    "addiu $gp, $gp, %lo(_gp)",
    "lui $t9, %hi(start_rust)",
    "addiu $t9, $t9, %lo(start_rust)",
    "jalr $t9",
    "nop",
    "teq $zero, $zero",
    ".set pop",
);

// mips64 n64: no argument save area; 16-byte alignment; t9 holds the callee's address (its
// prologue derives gp from it), built from the four 16-bit pieces of the absolute address.
#[cfg(target_arch = "mips64")]
global_asm!(
    ".globl _start",
    ".type _start, @function",
    ".set push",
    ".set noreorder",
    "_start:",
    "move $fp, $zero",
    "move $ra, $zero",
    "move $a0, $sp",
    "daddiu $t0, $zero, -16",
    "and $sp, $sp, $t0",
    "lui $t9, %highest(start_rust)",
    "daddiu $t9, $t9, %higher(start_rust)",
    "dsll $t9, $t9, 16",
    "daddiu $t9, $t9, %hi(start_rust)",
    "dsll $t9, $t9, 16",
    "daddiu $t9, $t9, %lo(start_rust)",
    "jalr $t9",
    "nop",
    "teq $zero, $zero",
    ".set pop",
);
