//! System call numbers for the target architecture.
//!
//! Generated from the kernel's uapi headers by `tools/gen-syscall-tables.py` (see each file's
//! `@generated` header). Names are the kernel's `__NR_` names without the prefix, so a call that
//! does not exist on an architecture (`open` on aarch64) is simply absent there, and
//! `sys_nr!(open)` is a compile error there that names the call to use instead.

// Plain `cfg`s rather than `cfg_if!`: the `#[macro_export]` `__sys_nr!` in the table file must
// not be macro-expanded, or `crate::__sys_nr` (below) could not name it.
#[cfg(target_arch = "x86_64")]
#[path = "x86_64.rs"]
mod table;
#[cfg(target_arch = "x86")]
#[path = "x86.rs"]
mod table;
#[cfg(target_arch = "aarch64")]
#[path = "aarch64.rs"]
mod table;
#[cfg(target_arch = "arm")]
#[path = "arm.rs"]
mod table;
#[cfg(target_arch = "riscv64")]
#[path = "riscv64.rs"]
mod table;
#[cfg(target_arch = "powerpc64")]
#[path = "powerpc64.rs"]
mod table;
#[cfg(target_arch = "s390x")]
#[path = "s390x.rs"]
mod table;
#[cfg(target_arch = "loongarch64")]
#[path = "loongarch64.rs"]
mod table;
#[cfg(target_arch = "mips")]
#[path = "mips.rs"]
mod table;
#[cfg(target_arch = "mips64")]
#[path = "mips64.rs"]
mod table;

pub use self::table::*;

/// The name of system call `nr` on this architecture (`"write"`), for tracers and diagnostics.
///
/// Where two names share a number (arm's `arm_sync_file_range` and `sync_file_range2`, both
/// 341), this is the first of them in [`all`]'s order: the kernel's own name before the name
/// defined as an alias of it.
///
/// ```
/// assert_eq!(sys_core::nr::name(sys_core::nr::write), Some("write"));
/// assert_eq!(sys_core::nr::name(usize::MAX), None);
/// ```
pub fn name(nr: usize) -> Option<&'static str> {
    let first = table::NAMES.partition_point(|e| e.1 < nr);
    table::NAMES.get(first).filter(|e| e.1 == nr).map(|e| e.0)
}

/// The number of the system call called `name` on this architecture.
///
/// ```
/// assert_eq!(sys_core::nr::by_name("write"), Some(sys_core::nr::write));
/// ```
pub fn by_name(name: &str) -> Option<usize> {
    table::NAMES.iter().find(|e| e.0 == name).map(|e| e.1)
}

/// Every system call of this architecture as `(name, number)`, sorted by number (a name defined
/// as an alias of another right after it).
pub fn all() -> &'static [(&'static str, usize)] {
    table::NAMES
}

/// The number of the system call named `$name` on the target architecture, as a `usize`
/// constant expression: `sys_nr!(openat)`. For the expansions of `#[syscall]`.
///
/// Generated with the tables (`__sys_nr!` in each architecture's file): a name this architecture
/// lacks is a compile error that names the call to use instead (`open` on aarch64: `openat`) or
/// the architectures that have it, and a name no architecture has is a compile error too.
///
/// ```
/// const WRITE: usize = sys_core::nr::sys_nr!(write);
/// assert_eq!(WRITE, sys_core::nr::write);
/// ```
///
/// ```compile_fail
/// let _ = sys_core::nr::sys_nr!(no_such_call);
/// ```
#[doc(hidden)]
pub use crate::__sys_nr as sys_nr;
