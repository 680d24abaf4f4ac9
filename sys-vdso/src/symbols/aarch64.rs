//! aarch64: `arch/arm64/kernel/vdso/vdso.lds.S` (Linux 7.x), version node `LINUX_2.6.39`. No
//! `time` and no `getcpu` in the vDSO.

use super::{Export, Names, e};

const V: &str = "LINUX_2.6.39";

/// The entry points this crate calls.
pub const NAMES: Names = Names {
    version: V,
    clock_gettime: Some("__kernel_clock_gettime"),
    clock_getres: Some("__kernel_clock_getres"),
    gettimeofday: Some("__kernel_gettimeofday"),
    time: None,
    getcpu: None,
    getrandom: Some("__kernel_getrandom"),
};

/// Everything the kernel's linker script exports.
pub const EXPORTS: &[Export] = &[
    e("__kernel_rt_sigreturn", V, (3, 7)),
    e("__kernel_gettimeofday", V, (3, 7)),
    e("__kernel_clock_gettime", V, (3, 7)),
    e("__kernel_clock_getres", V, (3, 7)),
    e("__kernel_getrandom", V, (6, 14)),
];

/// What qemu-user 10's own vDSO (`linux-user/<arch>/vdso.S`) lacks of [`EXPORTS`]: measured with
/// qemu 10.0.2 (the guest's symbol listing, and `readelf --dyn-syms` of the image embedded in
/// the qemu binary).
pub const QEMU_LACKS: &[&str] = &["__kernel_getrandom"];
