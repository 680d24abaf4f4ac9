//! loongarch64: `arch/loongarch/vdso/vdso.lds.S` (Linux 7.x), version node `LINUX_5.10`.

use super::{Export, Names, e};

const V: &str = "LINUX_5.10";

/// The entry points this crate calls.
pub const NAMES: Names = Names {
    version: V,
    clock_gettime: Some("__vdso_clock_gettime"),
    clock_getres: Some("__vdso_clock_getres"),
    gettimeofday: Some("__vdso_gettimeofday"),
    time: None,
    getcpu: Some("__vdso_getcpu"),
    getrandom: Some("__vdso_getrandom"),
};

/// Everything the kernel's linker script exports.
pub const EXPORTS: &[Export] = &[
    e("__vdso_getcpu", V, (5, 19)),
    e("__vdso_clock_getres", V, (5, 19)),
    e("__vdso_clock_gettime", V, (5, 19)),
    e("__vdso_gettimeofday", V, (5, 19)),
    e("__vdso_getrandom", V, (6, 12)),
    e("__vdso_rt_sigreturn", V, (5, 19)),
];

/// What qemu-user 10's own vDSO (`linux-user/<arch>/vdso.S`) lacks of [`EXPORTS`]: measured with
/// qemu 10.0.2 (the guest's symbol listing, and `readelf --dyn-syms` of the image embedded in
/// the qemu binary).
pub const QEMU_LACKS: &[&str] = &["__vdso_getrandom"];
