//! 32-bit Arm: `arch/arm/vdso/vdso.lds.S` (Linux 7.x), version node `LINUX_2.6`. The kernel
//! null-patches the clock symbols when the platform has no usable timer (`patch_vdso` in
//! `arch/arm/kernel/vdso.c`), so each may be absent; there is no `getcpu`, `time` or `getrandom`.

use super::{Export, Names, e};

const V: &str = "LINUX_2.6";

/// The entry points this crate calls: only those with a 64-bit `time_t`.
pub const NAMES: Names = Names {
    version: V,
    clock_gettime: Some("__vdso_clock_gettime64"),
    clock_getres: Some("__vdso_clock_getres_time64"),
    gettimeofday: None,
    time: None,
    getcpu: None,
    getrandom: None,
};

/// Everything the kernel's linker script exports.
pub const EXPORTS: &[Export] = &[
    e("__vdso_clock_gettime", V, (4, 1)),
    e("__vdso_gettimeofday", V, (4, 1)),
    e("__vdso_clock_getres", V, (5, 5)),
    e("__vdso_clock_gettime64", V, (5, 5)),
    e("__vdso_clock_getres_time64", V, (7, 0)),
];

/// What qemu-user 10's own vDSO (`linux-user/<arch>/vdso.S`) lacks of [`EXPORTS`]: measured with
/// qemu 10.0.2 (the guest's symbol listing, and `readelf --dyn-syms` of the image embedded in
/// the qemu binary).
pub const QEMU_LACKS: &[&str] = &["__vdso_clock_getres_time64"];
