//! The process entry point: `__libsys_entry` (and a weak `_start` at the same address) for each
//! architecture, in `global_asm!`, one file per architecture.
//!
//! Facts: the kernel starts a static executable at its ELF entry address with the stack
//! pointer pointing at `argc`, followed by `argv[]`, NULL, `envp[]`, NULL and the auxiliary
//! vector (`fs/binfmt_elf.c`, `create_elf_tables()`; System V ABI, "Process Initialization"):
//!
//! ```text
//!   sp -> argc
//!         argv[0] .. argv[argc - 1], NULL
//!         envp[0] .. NULL
//!         auxv: (type, value) pairs .. (AT_NULL, 0)
//!         .. padding, the strings, the executable's name
//! ```
//!
//! No other register carries anything a static binary uses (x86_64's `rdx` and aarch64's `x0`
//! may hold an `atexit` function from a dynamic loader, which a static binary never has).
//! Every variant clears the frame pointer and return address where the ABI has them (so a
//! debugger's backtrace ends here), passes the original stack pointer as the first argument,
//! aligns the stack to 16 bytes, sets up what its psABI requires of a caller (frame, save area,
//! global/TOC pointer), and calls [`START_FN`] (`__libsys_start(sp: *const usize) -> !`,
//! defined by `#[libsys::main]`), trapping if that returns.
//!
//! The entry is named `__libsys_entry` rather than `_start` because on musl targets rustc
//! links its own C start files (`crt1.o`/`rcrt1.o`, defining `_start`) into every executable,
//! and a build script cannot turn that off (`-C link-self-contained=no` is a rustc flag); the
//! link names the entry with `--entry=__libsys_entry` (see [`crate::build`]). `_start` is
//! defined too, weak, for links that rely on the linker's default entry: a C runtime's strong
//! `_start` wins over it without a conflict.
//!
//! Compiled only with the `start` feature: a program with a C runtime already has an entry.

/// Emits the entry point: the header shared by every architecture (section, symbol types,
/// the weak `_start` and the global `__libsys_entry` labels at the same address), the
/// architecture's instructions, and the symbols' sizes.
///
/// `$ty` is how the assembler spells the function symbol type (`@function`; `%function` where
/// `@` starts a comment, as on arm and aarch64); `$label_prefix` is emitted before each label
/// (`.thumb_func` on Thumb targets, so that the entry address gets bit 0 set and the kernel
/// starts the process in Thumb state).
macro_rules! entry {
    ($ty:literal, [$($label_prefix:literal)?], $($insn:literal),+ $(,)?) => {
        core::arch::global_asm!(
            ".pushsection .text.__libsys_entry, \"ax\"",
            ".globl __libsys_entry",
            concat!(".type __libsys_entry, ", $ty),
            ".weak _start",
            concat!(".type _start, ", $ty),
            $($label_prefix,)?
            "_start:",
            $($label_prefix,)?
            "__libsys_entry:",
            $($insn,)+
            ".size __libsys_entry, . - __libsys_entry",
            ".size _start, . - _start",
            ".popsection",
        );
    };
}

cfg_if::cfg_if! {
    if #[cfg(not(any(target_os = "linux", target_os = "android")))] {
        compile_error!("sys-rt's entry point supports Linux only");
    } else if #[cfg(target_arch = "x86_64")] {
        mod x86_64;
    } else if #[cfg(target_arch = "x86")] {
        mod x86;
    } else if #[cfg(target_arch = "aarch64")] {
        mod aarch64;
    } else if #[cfg(target_arch = "arm")] {
        mod arm;
    } else if #[cfg(target_arch = "riscv64")] {
        mod riscv64;
    } else if #[cfg(target_arch = "powerpc64")] {
        mod powerpc64;
    } else if #[cfg(target_arch = "s390x")] {
        mod s390x;
    } else if #[cfg(target_arch = "loongarch64")] {
        mod loongarch64;
    } else if #[cfg(target_arch = "mips")] {
        mod mips;
    } else if #[cfg(target_arch = "mips64")] {
        mod mips64;
    } else {
        compile_error!(
            "sys-rt has no entry point for this architecture; supported: x86_64, x86, aarch64, \
             arm, riscv64, powerpc64 (little-endian), s390x, loongarch64, mips, mips64"
        );
    }
}
