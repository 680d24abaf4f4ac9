//! s390x: `arch/s390/kernel/vdso/vdso.lds.S` (`vdso64/vdso64.lds.S` before 6.16), version node
//! `LINUX_2.6.29`. Its `DT_HASH` words are 64-bit (handled by the parser).

use super::{Export, Names, e};

const V: &str = "LINUX_2.6.29";

/// The entry points this crate calls.
pub const NAMES: Names = Names {
    version: V,
    clock_gettime: Some("__kernel_clock_gettime"),
    clock_getres: Some("__kernel_clock_getres"),
    gettimeofday: Some("__kernel_gettimeofday"),
    time: None,
    getcpu: Some("__kernel_getcpu"),
    getrandom: Some("__kernel_getrandom"),
};

/// Everything the kernel's linker script exports.
pub const EXPORTS: &[Export] = &[
    e("__kernel_gettimeofday", V, (2, 6)),
    e("__kernel_clock_gettime", V, (2, 6)),
    e("__kernel_clock_getres", V, (2, 6)),
    e("__kernel_getcpu", V, (5, 11)),
    e("__kernel_restart_syscall", V, (5, 11)),
    e("__kernel_rt_sigreturn", V, (5, 11)),
    e("__kernel_sigreturn", V, (5, 11)),
    e("__kernel_getrandom", V, (6, 12)),
];

/// What qemu-user 10's own vDSO (`linux-user/<arch>/vdso.S`) lacks of [`EXPORTS`]: measured with
/// qemu 10.0.2 (the guest's symbol listing, and `readelf --dyn-syms` of the image embedded in
/// the qemu binary).
pub const QEMU_LACKS: &[&str] = &["__kernel_restart_syscall", "__kernel_getrandom"];
