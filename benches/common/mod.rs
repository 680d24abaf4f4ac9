//! The `getppid(2)` variants measured side by side by `benches/getppid.rs` (time per call) and
//! `benches/getppid_loop.rs` (instructions per call, under callgrind): libsys's declared
//! wrapper, libsys's raw macro, hand-written inline `asm!`, glibc's `getppid` and `syscall`,
//! rustix and the `syscalls` crate.
//!
//! Each returns the parent's pid as `u32`, so that every variant hands the same small value to
//! `black_box` (a whole `Option`/`Result` there can stall, see
//! `/work/shared/reference/performance-baseline.md`). Facts: `getppid(2)` (cannot fail);
//! x86_64 number 110 from the kernel's `arch/x86/entry/syscalls/syscall_64.tbl`.

use libsys::syscall;

#[syscall(readonly)]
unsafe fn getppid() -> u32;

/// The variants, in the order the reports list them: (name, what it is).
pub const VARIANTS: &[(&str, &str)] = &[
    ("asm", "hand-written inline `asm!`"),
    (
        "libsys",
        "libsys `#[syscall(readonly)] fn getppid() -> u32`",
    ),
    ("libsys_raw", "libsys `raw::syscall_readonly!(nr::getppid)`"),
    ("rustix", "rustix `process::getppid`"),
    ("syscalls", "syscalls crate `syscall!(Sysno::getppid)`"),
    ("libc_getppid", "`libc::getppid`"),
    ("libc_syscall", "`libc::syscall(SYS_getppid)`"),
];

/// The hand-written reference: the instruction, the number, the clobbers, nothing else.
#[inline(always)]
pub fn asm() -> u32 {
    let r: usize;
    // SAFETY: `syscall` writes rax, rcx and r11 only (all declared); getppid writes no memory.
    unsafe {
        core::arch::asm!("syscall", inlateout("rax") 110usize => r, lateout("rcx") _,
                         lateout("r11") _, options(nostack, preserves_flags, readonly));
    }
    r as u32
}

/// The `#[syscall]` wrapper.
#[inline(always)]
pub fn libsys() -> u32 {
    // SAFETY: getppid touches no memory and cannot fail.
    unsafe { getppid() }
}

/// The raw macro, decoded as a `Result`.
#[inline(always)]
pub fn libsys_raw() -> u32 {
    // SAFETY: getppid touches no memory.
    let r = unsafe { libsys::raw::syscall_readonly!(libsys::nr::getppid) };
    r.unwrap_or(0) as u32
}

/// rustix (linux_raw backend: its own inline asm).
#[inline(always)]
pub fn rustix() -> u32 {
    rustix::process::getppid().map_or(0, |p| p.as_raw_nonzero().get() as u32)
}

/// The syscalls crate's checked form.
#[inline(always)]
pub fn syscalls() -> u32 {
    // SAFETY: getppid touches no memory.
    let r = unsafe { syscalls::syscall!(syscalls::Sysno::getppid) };
    r.unwrap_or(0) as u32
}

/// glibc's wrapper.
#[inline(always)]
pub fn libc_getppid() -> u32 {
    // SAFETY: getppid has no preconditions.
    unsafe { libc::getppid() as u32 }
}

/// glibc's generic `syscall(3)`.
#[inline(always)]
pub fn libc_syscall() -> u32 {
    // SAFETY: getppid takes no arguments and touches no memory.
    unsafe { libc::syscall(libc::SYS_getppid) as u32 }
}

/// Calls `$f` with the variant function named `$name` (a `&str`), monomorphised, so that each
/// variant is inlined into the caller's loop; evaluates to `false` for an unknown name.
#[macro_export]
macro_rules! with_variant {
    ($name:expr, $f:ident $(, $arg:expr)*) => {
        match $name {
            "asm" => { $f($($arg,)* common::asm); true }
            "libsys" => { $f($($arg,)* common::libsys); true }
            "libsys_raw" => { $f($($arg,)* common::libsys_raw); true }
            "rustix" => { $f($($arg,)* common::rustix); true }
            "syscalls" => { $f($($arg,)* common::syscalls); true }
            "libc_getppid" => { $f($($arg,)* common::libc_getppid); true }
            "libc_syscall" => { $f($($arg,)* common::libc_syscall); true }
            _ => false,
        }
    };
}
