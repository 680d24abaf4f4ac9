//! mips o32: `arch/mips/vdso/vdso.lds.S` (Linux 7.x), version node `LINUX_2.6`. Nothing is
//! exported with `CONFIG_MIPS_DISABLE_VDSO`; `__vdso_gettimeofday` needs
//! `CONFIG_MIPS_CLOCK_VSYSCALL`. qemu-user gives mips guests no vDSO at all.

use super::{Export, Names, c, e};

const V: &str = "LINUX_2.6";

/// The entry points this crate calls: only those with a 64-bit `time_t`.
pub const NAMES: Names = Names {
    version: V,
    clock_gettime: Some("__vdso_clock_gettime64"),
    clock_getres: None,
    gettimeofday: None,
    time: None,
    getcpu: None,
    getrandom: None,
};

/// Everything the kernel's linker script exports.
pub const EXPORTS: &[Export] = &[
    e("__vdso_clock_gettime", V, (4, 4)),
    c(
        "__vdso_gettimeofday",
        V,
        (4, 4),
        "CONFIG_MIPS_CLOCK_VSYSCALL",
    ),
    e("__vdso_clock_getres", V, (5, 4)),
    e("__vdso_clock_gettime64", V, (5, 4)),
];

/// What qemu-user 10's own vDSO lacks of [`EXPORTS`]: qemu gives mips guests no vDSO at all, so
/// there is nothing to list.
pub const QEMU_LACKS: &[&str] = &[];
