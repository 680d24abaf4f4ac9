//! System call numbers for the target architecture.
//!
//! Generated from the kernel's uapi headers by `tools/gen-syscall-tables.py` (see each file's
//! `@generated` header). Names are the kernel's `__NR_` names without the prefix, so a call that
//! does not exist on an architecture (`open` on aarch64) is simply absent there.

cfg_if::cfg_if! {
    if #[cfg(target_arch = "x86_64")] {
        #[path = "x86_64.rs"] mod table;
    } else if #[cfg(target_arch = "x86")] {
        #[path = "x86.rs"] mod table;
    } else if #[cfg(target_arch = "aarch64")] {
        #[path = "aarch64.rs"] mod table;
    } else if #[cfg(target_arch = "arm")] {
        #[path = "arm.rs"] mod table;
    } else if #[cfg(target_arch = "riscv64")] {
        #[path = "riscv64.rs"] mod table;
    } else if #[cfg(target_arch = "powerpc64")] {
        #[path = "powerpc64.rs"] mod table;
    } else if #[cfg(target_arch = "s390x")] {
        #[path = "s390x.rs"] mod table;
    } else if #[cfg(target_arch = "loongarch64")] {
        #[path = "loongarch64.rs"] mod table;
    } else if #[cfg(target_arch = "mips")] {
        #[path = "mips.rs"] mod table;
    } else if #[cfg(target_arch = "mips64")] {
        #[path = "mips64.rs"] mod table;
    }
}

pub use self::table::*;

/// The name of system call `nr` on this architecture (`"write"`), for tracers and diagnostics.
///
/// ```
/// assert_eq!(sys_core::nr::name(sys_core::nr::write), Some("write"));
/// assert_eq!(sys_core::nr::name(usize::MAX), None);
/// ```
pub fn name(nr: usize) -> Option<&'static str> {
    table::NAMES
        .binary_search_by_key(&nr, |e| e.1)
        .ok()
        .and_then(|i| table::NAMES.get(i))
        .map(|e| e.0)
}

/// The number of the system call called `name` on this architecture.
///
/// ```
/// assert_eq!(sys_core::nr::by_name("write"), Some(sys_core::nr::write));
/// ```
pub fn by_name(name: &str) -> Option<usize> {
    table::NAMES.iter().find(|e| e.0 == name).map(|e| e.1)
}

/// Every system call of this architecture as `(name, number)`, sorted by number.
pub fn all() -> &'static [(&'static str, usize)] {
    table::NAMES
}

/// The number of the system call named `$name` on the target architecture, as a `usize`
/// constant expression: `sys_nr!(openat)`. For the expansions of `#[syscall]`.
///
/// Stand-in until the generated version (which also reports calls an architecture lacks with a
/// suggestion) replaces it: a missing name is an unresolved path in [`nr`](self).
#[doc(hidden)]
#[macro_export]
macro_rules! sys_nr {
    ($name:ident) => {
        $crate::nr::$name
    };
}
