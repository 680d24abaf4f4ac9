//! i386 (and 32-bit processes on x86_64): `arch/x86/entry/vdso/vdso32/vdso32.lds.S` (Linux 7.x).
//! The time functions are in `LINUX_2.6`, the system-call and signal-return trampolines in
//! `LINUX_2.5`. The time32 entry points (`__vdso_clock_gettime`, `__vdso_gettimeofday`,
//! `__vdso_time`, `__vdso_clock_getres`) are gated by `CONFIG_COMPAT_32BIT_TIME` since 7.0;
//! this crate never calls them, it calls the time64 ones.

use super::{Export, Names, c, e};

const V: &str = "LINUX_2.6";
const V25: &str = "LINUX_2.5";

/// The entry points this crate calls: only those with a 64-bit `time_t`.
pub const NAMES: Names = Names {
    version: V,
    clock_gettime: Some("__vdso_clock_gettime64"),
    clock_getres: Some("__vdso_clock_getres_time64"),
    gettimeofday: None,
    time: None,
    getcpu: Some("__vdso_getcpu"),
    getrandom: None,
};

/// Everything the kernel's linker script exports.
pub const EXPORTS: &[Export] = &[
    c(
        "__vdso_clock_gettime",
        V,
        (2, 6),
        "CONFIG_COMPAT_32BIT_TIME",
    ),
    c("__vdso_gettimeofday", V, (2, 6), "CONFIG_COMPAT_32BIT_TIME"),
    c("__vdso_time", V, (2, 6), "CONFIG_COMPAT_32BIT_TIME"),
    c("__vdso_clock_getres", V, (5, 3), "CONFIG_COMPAT_32BIT_TIME"),
    e("__vdso_clock_gettime64", V, (5, 3)),
    e("__vdso_clock_getres_time64", V, (7, 0)),
    e("__vdso_getcpu", V, (6, 3)),
    c(
        "__vdso_futex_robust_list32_try_unlock",
        V,
        (7, 0),
        "CONFIG_FUTEX_ROBUST_UNLOCK",
    ),
    e("__kernel_vsyscall", V25, (2, 6)),
    e("__kernel_sigreturn", V25, (2, 6)),
    e("__kernel_rt_sigreturn", V25, (2, 6)),
];

/// What qemu-user 10's own vDSO (`linux-user/<arch>/vdso.S`) lacks of [`EXPORTS`]: measured with
/// qemu 10.0.2 (the guest's symbol listing, and `readelf --dyn-syms` of the image embedded in
/// the qemu binary).
/// This architecture's tests run natively, on the kernel's vDSO.
pub const QEMU_LACKS: &[&str] = &["__vdso_clock_getres_time64"];
