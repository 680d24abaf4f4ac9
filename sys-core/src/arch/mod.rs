//! Selects the inline-asm syscall primitives for the target architecture.
//!
//! Every architecture file has the same shape (so the files diff cleanly against each other):
//! it opens with its ABI as bullets and then defines
//!
//! - `syscall0` … `syscall6`: `unsafe fn(nr: usize, a0: usize, …) -> usize`;
//! - `syscall0_readonly` … `syscall6_readonly`: the same, for calls that do not write memory
//!   (the asm block is `readonly`, so the compiler may keep values in registers across it);
//! - `syscall1_noreturn`: `unsafe fn(nr: usize, a0: usize) -> !`, with a trap after the
//!   instruction in case the kernel returns anyway.
//!
//! The value returned is the kernel's result normalised to the generic convention: a value in
//! `-4095..=-1` (as `usize`) is a negated errno. Architectures that signal errors with a flag
//! (powerpc64's cr0.SO, mips' a3) negate the result in the asm on the error path only, so the
//! success path costs nothing extra. Decoding into `Result` happens in [`crate::ret`].
//!
//! With the `outline` feature each file also defines what the out-of-line stubs of
//! `crate::outline` are made of: x86_64 and x86 the four stubs themselves (`pinned`, `generic`,
//! `pinned_noreturn`, `generic_noreturn`, naked functions), the others two forms that
//! `crate::outline` wraps in Rust functions:
//!
//! - `syscall6_site::<SITE>`: `syscall6` with the label `2:` right after the instruction and a
//!   manifest entry (the `site!` text) recording `SITE` and that address;
//! - `syscall1_noreturn_site::<SITE>`: the same for `syscall1_noreturn`.
//!
//! Nothing here is public API: callers go through [`crate::call`], the one entry point that
//! later features (hooks, out-of-line stubs) switch.

/// The manifest entry of an out-of-line stub, appended to its asm right after the syscall
/// instruction: the label `2:` (the address the kernel reports as the instruction pointer of
/// the call, and seccomp as `instruction_pointer`) and, in the `libsys_manifest` section, two
/// 32-bit words: the `{site}` operand (the syscall number, or one of the markers of
/// [`crate::outline`]) and the distance from the word itself to the label. The distance is
/// resolved by the static linker (no run-time relocation, so the section is read-only) and the
/// section is `R` (`SHF_GNU_RETAIN`): `--gc-sections` keeps every entry, and with it the stub
/// it points at. `%progbits` rather than `@progbits`: `@` starts a comment on arm.
#[cfg(any(feature = "outline", feature = "hooks"))]
macro_rules! site {
    () => {
        concat!(
            "2:\n",
            ".pushsection libsys_manifest,\"aR\",%progbits\n",
            ".balign 4\n",
            ".4byte {site}\n",
            ".4byte 2b - .\n",
            ".popsection"
        )
    };
}

cfg_if::cfg_if! {
    if #[cfg(not(any(target_os = "linux", target_os = "android")))] {
        compile_error!(
            "sys-core supports Linux only: this target's OS has no Linux syscall ABI"
        );
    } else if #[cfg(target_arch = "x86_64")] {
        #[cfg(target_pointer_width = "32")]
        compile_error!("sys-core does not support the x32 ABI (x86_64 with 32-bit pointers) yet");
        mod x86_64;
        pub(crate) use self::x86_64::*;
    } else if #[cfg(target_arch = "x86")] {
        mod x86;
        pub(crate) use self::x86::*;
    } else if #[cfg(target_arch = "aarch64")] {
        #[cfg(target_pointer_width = "32")]
        compile_error!("sys-core does not support aarch64 ILP32");
        mod aarch64;
        pub(crate) use self::aarch64::*;
    } else if #[cfg(target_arch = "arm")] {
        mod arm;
        pub(crate) use self::arm::*;
    } else if #[cfg(target_arch = "riscv64")] {
        mod riscv64;
        pub(crate) use self::riscv64::*;
    } else if #[cfg(all(target_arch = "powerpc64", target_endian = "little"))] {
        mod powerpc64;
        pub(crate) use self::powerpc64::*;
    } else if #[cfg(target_arch = "s390x")] {
        mod s390x;
        pub(crate) use self::s390x::*;
    } else if #[cfg(target_arch = "loongarch64")] {
        mod loongarch64;
        pub(crate) use self::loongarch64::*;
    } else if #[cfg(all(target_arch = "mips", target_endian = "little"))] {
        mod mips;
        pub(crate) use self::mips::*;
    } else if #[cfg(all(target_arch = "mips64", target_endian = "little", target_pointer_width = "64"))] {
        mod mips64;
        pub(crate) use self::mips64::*;
    } else {
        compile_error!(
            "sys-core does not support this architecture yet; supported: x86_64, x86, aarch64, \
             arm (A32 and Thumb), riscv64, powerpc64le, s390x, loongarch64, mipsel (o32), \
             mips64el (n64)"
        );
    }
}
