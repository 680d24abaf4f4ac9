//! `Errno`: the error a system call returned, with its symbolic name and message for this
//! architecture.
//!
//! Values differ by architecture: mips renumbers most values above 34 (for example
//! `EDEADLK` is 45 and `ENOSYS` 89 there) and powerpc gives `EDEADLOCK` its own value 58. The
//! tables are generated from the kernel's uapi headers (`asm-generic/errno-base.h`,
//! `asm-generic/errno.h` and the arch `asm/errno.h`) by `tools/gen-syscall-tables.py`; the
//! messages are the comments of those headers.

use core::fmt;
use core::num::NonZeroU16;

/// An error number returned by a system call (`1..=4095`).
///
/// The associated constants (`Errno::ENOENT`, …) carry this architecture's values.
///
/// ```
/// use sys_core::Errno;
///
/// let e = Errno::ENOENT;
/// assert_eq!(e.name(), Some("ENOENT"));
/// assert_eq!(e.to_string(), "No such file or directory (ENOENT)");
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(transparent)]
pub struct Errno(NonZeroU16);

impl Errno {
    /// The largest value the kernel's return convention can carry.
    pub const MAX: u16 = 4095;

    /// Builds an `Errno` from a positive errno value, or `None` outside `1..=4095`.
    #[inline]
    pub const fn from_raw(value: i32) -> Option<Self> {
        if value >= 1 && value <= Self::MAX as i32 {
            match NonZeroU16::new(value as u16) {
                Some(v) => Some(Self(v)),
                None => None,
            }
        } else {
            None
        }
    }

    /// For the generated constants: a value known to be in range (checked at compile time).
    pub(crate) const fn from_const(value: u16) -> Self {
        match NonZeroU16::new(value) {
            Some(v) if value <= Self::MAX => Self(v),
            _ => panic!("errno constant out of range"),
        }
    }

    /// Decodes a raw return value in `-4095..=-1` (as `usize`).
    #[inline(always)]
    pub(crate) fn from_ret(ret: usize) -> Self {
        let v = ret.wrapping_neg() as u16;
        match NonZeroU16::new(v) {
            Some(v) => Self(v),
            // Not reachable from `RawRet::result`, which only calls this for -4095..=-1.
            None => Self::EIO,
        }
    }

    /// The raw return value a system call would give for this error (`-errno` as `usize`).
    #[inline(always)]
    #[cfg_attr(
        feature = "outline",
        expect(dead_code, reason = "only the inline form of `call::invoke` needs it")
    )]
    pub(crate) const fn raw_ret(self) -> usize {
        (self.0.get() as usize).wrapping_neg()
    }

    /// The positive errno value, as C's `errno` holds it.
    #[inline]
    pub const fn raw(self) -> i32 {
        self.0.get() as i32
    }

    fn entry(self) -> Option<&'static (u16, &'static str, &'static str)> {
        let v = self.0.get();
        table::TABLE
            .binary_search_by_key(&v, |e| e.0)
            .ok()
            .and_then(|i| table::TABLE.get(i))
    }

    /// The symbolic name (`"ENOENT"`), or `None` for a value this architecture does not define.
    pub fn name(self) -> Option<&'static str> {
        self.entry().map(|e| e.1)
    }

    /// The message (`"No such file or directory"`), or `None` for an undefined value.
    pub fn message(self) -> Option<&'static str> {
        self.entry().map(|e| e.2)
    }

    /// Looks a symbolic name up (`"ENOENT"`), including aliases such as `"EWOULDBLOCK"`.
    pub fn from_name(name: &str) -> Option<Self> {
        table::TABLE
            .iter()
            .find(|e| e.1 == name)
            .map(|e| Self::from_const(e.0))
            .or_else(|| {
                table::ALIASES
                    .iter()
                    .find(|a| a.0 == name)
                    .and_then(|a| Self::from_name(a.1))
            })
    }
}

impl fmt::Debug for Errno {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(name) => f.write_str(name),
            None => write!(f, "Errno({})", self.raw()),
        }
    }
}

impl fmt::Display for Errno {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.entry() {
            Some(&(_, name, message)) => write!(f, "{message} ({name})"),
            None => write!(f, "Unknown error {}", self.raw()),
        }
    }
}

impl core::error::Error for Errno {}

#[cfg(feature = "std")]
impl From<Errno> for std::io::Error {
    fn from(e: Errno) -> Self {
        std::io::Error::from_raw_os_error(e.raw())
    }
}

cfg_if::cfg_if! {
    if #[cfg(any(target_arch = "mips", target_arch = "mips64"))] {
        #[path = "mips.rs"]
        mod table;
    } else if #[cfg(any(target_arch = "powerpc", target_arch = "powerpc64"))] {
        #[path = "powerpc.rs"]
        mod table;
    } else {
        #[path = "generic.rs"]
        mod table;
    }
}
