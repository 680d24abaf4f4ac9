//! x86_64: `arch/x86/entry/vdso/vdso64/vdso64.lds.S` (Linux 7.x), version node `LINUX_2.6`. Each
//! `__vdso_*` function also has an unprefixed weak alias.

use super::{Export, Names, c, e};

const V: &str = "LINUX_2.6";

/// The entry points this crate calls.
pub const NAMES: Names = Names {
    version: V,
    clock_gettime: Some("__vdso_clock_gettime"),
    clock_getres: Some("__vdso_clock_getres"),
    gettimeofday: Some("__vdso_gettimeofday"),
    time: Some("__vdso_time"),
    getcpu: Some("__vdso_getcpu"),
    getrandom: Some("__vdso_getrandom"),
};

/// Everything the kernel's linker script exports.
pub const EXPORTS: &[Export] = &[
    e("clock_gettime", V, (2, 6)),
    e("__vdso_clock_gettime", V, (2, 6)),
    e("gettimeofday", V, (2, 6)),
    e("__vdso_gettimeofday", V, (2, 6)),
    e("getcpu", V, (2, 6)),
    e("__vdso_getcpu", V, (2, 6)),
    e("time", V, (2, 6)),
    e("__vdso_time", V, (2, 6)),
    e("clock_getres", V, (5, 3)),
    e("__vdso_clock_getres", V, (5, 3)),
    c("__vdso_sgx_enter_enclave", V, (5, 11), "CONFIG_X86_SGX"),
    e("getrandom", V, (6, 11)),
    e("__vdso_getrandom", V, (6, 11)),
    c(
        "__vdso_futex_robust_list64_try_unlock",
        V,
        (7, 0),
        "CONFIG_FUTEX_ROBUST_UNLOCK",
    ),
    c(
        "__vdso_futex_robust_list32_try_unlock",
        V,
        (7, 0),
        "CONFIG_FUTEX_ROBUST_UNLOCK && CONFIG_COMPAT",
    ),
];

/// What qemu-user 10's own vDSO (`linux-user/<arch>/vdso.S`) lacks of [`EXPORTS`]: measured with
/// qemu 10.0.2 (the guest's symbol listing, and `readelf --dyn-syms` of the image embedded in
/// the qemu binary).
/// This architecture's tests run natively, on the kernel's vDSO.
pub const QEMU_LACKS: &[&str] = &["getrandom", "__vdso_getrandom"];
