//! riscv64: `arch/riscv/kernel/vdso/vdso.lds.S` (Linux 7.x), version node `LINUX_4.15`. The time
//! functions are there when the kernel has a generic vDSO (`HAS_VGETTIMEOFDAY`, any MMU kernel),
//! `__vdso_getrandom` with `CONFIG_VDSO_GETRANDOM`.

use super::{Export, Names, c, e};

const V: &str = "LINUX_4.15";

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
    e("__vdso_rt_sigreturn", V, (4, 15)),
    e("__vdso_gettimeofday", V, (4, 15)),
    e("__vdso_clock_gettime", V, (4, 15)),
    e("__vdso_clock_getres", V, (4, 15)),
    e("__vdso_getcpu", V, (4, 15)),
    e("__vdso_flush_icache", V, (4, 15)),
    e("__vdso_riscv_hwprobe", V, (6, 5)),
    c("__vdso_getrandom", V, (6, 16), "CONFIG_VDSO_GETRANDOM"),
];

/// What qemu-user 10's own vDSO (`linux-user/<arch>/vdso.S`) lacks of [`EXPORTS`]: measured with
/// qemu 10.0.2 (the guest's symbol listing, and `readelf --dyn-syms` of the image embedded in
/// the qemu binary).
pub const QEMU_LACKS: &[&str] = &["__vdso_riscv_hwprobe", "__vdso_getrandom"];
