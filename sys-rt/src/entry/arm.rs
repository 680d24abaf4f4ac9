//! arm (EABI, A32 and Thumb-2) entry point.
//!
//! ABI (AAPCS 6.2.1 and 5.2.1.2; Linux `arch/arm/include/asm/processor.h`, `start_thread`):
//! - at entry: `sp` points at `argc`
//! - 8-byte stack alignment at public interfaces; 16 is used
//! - `r11` (A32 frame pointer), `r7` (Thumb frame pointer) and `lr` are cleared
//! - first argument: `r0`
//! - trap: `udf #16`
//! - the same instructions assemble as A32 or Thumb-2; the entry takes the target's default
//!   mode (Thumb for `thumbv7neon-*`), where `.thumb_func` marks the labels so that the ELF
//!   entry address gets bit 0 set and the kernel starts the process in Thumb state (without it:
//!   SIGILL at the first instruction)

#[cfg(target_feature = "thumb-mode")]
macro_rules! arm_entry {
    ($($insn:literal),+ $(,)?) => { entry!("%function", [".thumb_func"], $($insn),+); };
}
#[cfg(not(target_feature = "thumb-mode"))]
macro_rules! arm_entry {
    ($($insn:literal),+ $(,)?) => { entry!("%function", [], $($insn),+); };
}

arm_entry!(
    "mov r11, #0",
    "mov r7, #0",
    "mov lr, #0",
    "mov r0, sp",
    "bic r1, r0, #15",
    "mov sp, r1",
    "bl __libsys_start",
    "udf #16",
);
