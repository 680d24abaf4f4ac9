//! powerpc64 (ELFv2, little-endian): `arch/powerpc/kernel/vdso/vdso64.lds.S` (Linux 7.x),
//! version node `LINUX_2.6.15` (`VDSO_VERSION_STRING` in `asm/vdso.h`). The functions are
//! `STT_NOTYPE` symbols pointing at code (no function descriptors in ELFv2), and on error they
//! return a positive errno with `cr0.SO` set: callers treat any nonzero result as "use the
//! syscall".

use super::{Export, Names, e};

const V: &str = "LINUX_2.6.15";

/// The entry points this crate calls.
pub const NAMES: Names = Names {
    version: V,
    clock_gettime: Some("__kernel_clock_gettime"),
    clock_getres: Some("__kernel_clock_getres"),
    gettimeofday: Some("__kernel_gettimeofday"),
    time: Some("__kernel_time"),
    getcpu: Some("__kernel_getcpu"),
    getrandom: Some("__kernel_getrandom"),
};

/// Everything the kernel's linker script exports.
pub const EXPORTS: &[Export] = &[
    e("__kernel_get_syscall_map", V, (2, 6)),
    e("__kernel_gettimeofday", V, (2, 6)),
    e("__kernel_clock_gettime", V, (2, 6)),
    e("__kernel_clock_getres", V, (2, 6)),
    e("__kernel_get_tbfreq", V, (2, 6)),
    e("__kernel_sync_dicache", V, (2, 6)),
    e("__kernel_sigtramp_rt64", V, (2, 6)),
    e("__kernel_getcpu", V, (2, 6)),
    e("__kernel_time", V, (2, 6)),
    e("__kernel_getrandom", V, (6, 13)),
];

/// What qemu-user 10's own vDSO (`linux-user/<arch>/vdso.S`) lacks of [`EXPORTS`]: measured with
/// qemu 10.0.2 (the guest's symbol listing, and `readelf --dyn-syms` of the image embedded in
/// the qemu binary).
pub const QEMU_LACKS: &[&str] = &[
    "__kernel_get_syscall_map",
    "__kernel_get_tbfreq",
    "__kernel_getrandom",
];
