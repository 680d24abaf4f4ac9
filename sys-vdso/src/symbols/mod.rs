//! What each architecture's vDSO exports: the symbols this crate calls (name and version per
//! function) and the full export list of the kernel's linker script, for lookups and tests.
//!
//! Facts: the `VERSION` block of each kernel linker script as of Linux 7.x
//! (`arch/x86/entry/vdso/vdso64/vdso64.lds.S`, `.../vdso32/vdso32.lds.S`,
//! `arch/arm64/kernel/vdso/vdso.lds.S`, `arch/arm/vdso/vdso.lds.S`,
//! `arch/riscv/kernel/vdso/vdso.lds.S`, `arch/loongarch/vdso/vdso.lds.S`,
//! `arch/powerpc/kernel/vdso/vdso64.lds.S`, `arch/s390/kernel/vdso/vdso.lds.S`,
//! `arch/mips/vdso/vdso.lds.S`), with the version strings of `asm/vdso.h`, cross-checked against
//! /work/shared/reference/vdso.md. The "since" release of each symbol is the kernel release that
//! first exported it, as far as the merge history shows; the tests only require symbols whose
//! release is not newer than the running kernel and that no kernel option gates.
//!
//! Every table is compiled on every target (they are plain data), so they can be inspected and
//! tested anywhere; [`native`] is the current target's.

pub mod aarch64;
pub mod arm;
pub mod loongarch64;
pub mod mips;
pub mod mips64;
pub mod powerpc64;
pub mod riscv64;
pub mod s390x;
pub mod x86;
pub mod x86_64;

/// One symbol a kernel vDSO linker script exports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Export {
    /// Symbol name.
    pub name: &'static str,
    /// Version node (`LINUX_2.6`).
    pub version: &'static str,
    /// The first kernel release (major, minor) that exports it.
    pub since: (u16, u16),
    /// The kernel option that must be enabled for it to be there, if any.
    pub config: Option<&'static str>,
}

/// Shorthand for the tables.
const fn e(name: &'static str, version: &'static str, since: (u16, u16)) -> Export {
    Export {
        name,
        version,
        since,
        config: None,
    }
}

/// Shorthand for a symbol that a kernel option gates.
const fn c(
    name: &'static str,
    version: &'static str,
    since: (u16, u16),
    config: &'static str,
) -> Export {
    Export {
        name,
        version,
        since,
        config: Some(config),
    }
}

/// The vDSO entry points this crate calls on one architecture. `None`: the kernel has none that
/// fits (for example `gettimeofday` with a 32-bit `time_t` on a 32-bit architecture), so the
/// function uses the system call or another entry point.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Names {
    /// The version node of these symbols.
    pub version: &'static str,
    /// `clock_gettime` with a 64-bit `time_t` (`__vdso_clock_gettime64` on 32-bit arches).
    pub clock_gettime: Option<&'static str>,
    /// `clock_getres` with a 64-bit `time_t`.
    pub clock_getres: Option<&'static str>,
    /// `gettimeofday` with a 64-bit `time_t`.
    pub gettimeofday: Option<&'static str>,
    /// `time` returning a 64-bit `time_t`.
    pub time: Option<&'static str>,
    /// `getcpu`.
    pub getcpu: Option<&'static str>,
    /// `getrandom` (the vgetrandom protocol, Linux 6.11+).
    pub getrandom: Option<&'static str>,
}

/// This target's tables.
pub mod native {
    #[cfg(target_arch = "aarch64")]
    pub use super::aarch64::{EXPORTS, NAMES, QEMU_LACKS};
    #[cfg(target_arch = "arm")]
    pub use super::arm::{EXPORTS, NAMES, QEMU_LACKS};
    #[cfg(target_arch = "loongarch64")]
    pub use super::loongarch64::{EXPORTS, NAMES, QEMU_LACKS};
    #[cfg(target_arch = "mips")]
    pub use super::mips::{EXPORTS, NAMES, QEMU_LACKS};
    #[cfg(target_arch = "mips64")]
    pub use super::mips64::{EXPORTS, NAMES, QEMU_LACKS};
    #[cfg(target_arch = "powerpc64")]
    pub use super::powerpc64::{EXPORTS, NAMES, QEMU_LACKS};
    #[cfg(target_arch = "riscv64")]
    pub use super::riscv64::{EXPORTS, NAMES, QEMU_LACKS};
    #[cfg(target_arch = "s390x")]
    pub use super::s390x::{EXPORTS, NAMES, QEMU_LACKS};
    #[cfg(target_arch = "x86")]
    pub use super::x86::{EXPORTS, NAMES, QEMU_LACKS};
    #[cfg(target_arch = "x86_64")]
    pub use super::x86_64::{EXPORTS, NAMES, QEMU_LACKS};
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: &[(&str, &[Export], Names)] = &[
        ("aarch64", aarch64::EXPORTS, aarch64::NAMES),
        ("arm", arm::EXPORTS, arm::NAMES),
        ("loongarch64", loongarch64::EXPORTS, loongarch64::NAMES),
        ("mips", mips::EXPORTS, mips::NAMES),
        ("mips64", mips64::EXPORTS, mips64::NAMES),
        ("powerpc64", powerpc64::EXPORTS, powerpc64::NAMES),
        ("riscv64", riscv64::EXPORTS, riscv64::NAMES),
        ("s390x", s390x::EXPORTS, s390x::NAMES),
        ("x86", x86::EXPORTS, x86::NAMES),
        ("x86_64", x86_64::EXPORTS, x86_64::NAMES),
    ];

    #[test]
    fn every_called_entry_point_is_in_its_arch_export_list() {
        for (arch, exports, n) in ALL {
            let called = [
                n.clock_gettime,
                n.clock_getres,
                n.gettimeofday,
                n.time,
                n.getcpu,
                n.getrandom,
            ];
            for name in called.into_iter().flatten() {
                let found = exports.iter().find(|e| e.name == name);
                let found = found.unwrap_or_else(|| panic!("{arch}: {name} not in EXPORTS"));
                assert_eq!(found.version, n.version, "{arch}: {name}");
            }
        }
    }

    #[test]
    fn export_lists_have_no_duplicates() {
        for (arch, exports, _) in ALL {
            for (i, a) in exports.iter().enumerate() {
                for b in &exports[i + 1..] {
                    assert_ne!(a.name, b.name, "{arch}: duplicate");
                }
            }
        }
    }
}
