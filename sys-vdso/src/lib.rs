//! vDSO parsing and vDSO-backed clocks, `getcpu` and `getrandom`, with the system call as
//! fallback, on every architecture libsys supports.
//!
//! Facts: vdso(7), the kernel's vDSO linker scripts and `parse_vdso.c` (see [`image`] and
//! [`symbols`]), clock_gettime(2), getcpu(2), getrandom(2) and the vgetrandom protocol (see
//! [`random`]).
//!
//! # Functions
//! [`clock_gettime`], [`clock_getres`], [`gettimeofday`], [`time`], [`getcpu`] (and
//! [`sched_getcpu`]) and
//! [`getrandom`] (with [`random::fill`]) use the vDSO when it has the symbol and make the system
//! call when the vDSO or the symbol is missing or the vDSO declines a request. The first call of
//! each function finds its entry point and caches it in one atomic word; every later call costs a
//! relaxed load and an indirect call. Times are 64-bit on every architecture ([`Timespec`],
//! [`Timeval`]). [`set_enabled`] switches the vDSO off (and on again) for all of them;
//! [`syscall`] has the system-call paths on their own; [`entry_point`] says which vDSO function
//! each one uses. Nothing here panics (clippy denies indexing, `unwrap` and `panic!` in the
//! library).
//!
//! The first call of the first function parses the vDSO (1.8–2.3 µs in a fresh process on the
//! benchmark machine, about half of rustix's first call in the same run: BENCHMARKS.md); the
//! parsed image is kept, so the first call of each further function only looks its symbol up. `getrandom`'s first call also queries the vgetrandom parameters and
//! maps the first states.
//!
//! # Stack
//! vDSO functions run on the caller's stack, and some kernel configurations use up to about a
//! page of it there: leave 4 KiB free on small stacks (green threads, signal stacks).
//!
//! # Parsing
//! [`Image`] parses any ELF shared object from a byte slice (a pure function: fuzzed, and tested
//! under Miri); [`Vdso`] is this process's vDSO, found through `AT_SYSINFO_EHDR`, with
//! [`Vdso::lookup`] by name and version and [`Vdso::symbols`] to list the exports. The
//! [trust model](vdso) says what is taken on faith from the kernel. One parser serves both: it
//! is generic over the [`Layout`], which is read from the image for [`Image::parse`]
//! ([`AnyLayout`]) and fixed at compile time for the live vDSO ([`NativeLayout`]), so the
//! first call runs about half the code; the fuzz checks require both readings to agree.
//!
//! ```
//! use sys_vdso::{ClockId, clock_gettime, getrandom};
//! # if cfg!(miri) { return; } // inline asm
//!
//! let t = clock_gettime(ClockId::REALTIME).unwrap();
//! assert!(t.sec > 1_600_000_000);
//! let mut key = [0u8; 32];
//! sys_vdso::random::fill(&mut key, 0).unwrap();
//! let n = getrandom(&mut key[..16], 0).unwrap(); // one call: may be short, like getrandom(2)
//! assert!(n <= 16);
//!
//! if let Some(vdso) = sys_vdso::Vdso::get() {
//!     for s in vdso.symbols() {
//!         let _ = (s.name_str(), s.version_str());
//!     }
//! }
//! ```
#![no_std]
// No panic anywhere in the library: no indexing, no unwrap/expect, no explicit panic.
#![cfg_attr(
    not(test),
    deny(
        clippy::indexing_slicing,
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::unreachable,
        clippy::todo,
        clippy::unimplemented
    )
)]

#[cfg(test)]
extern crate std;

pub mod clock;
mod elf;
mod hash;
#[cfg(feature = "hooks")]
mod hooks;
pub mod image;
pub mod random;
mod slot;
pub mod symbols;
pub mod syscall;
pub mod vdso;
mod version;

#[cfg(test)]
mod tests;

pub use clock::{
    ClockId, Timespec, Timeval, clock_getres, clock_gettime, getcpu, gettimeofday, sched_getcpu,
    time,
};
pub use elf::{AnyLayout, Class, Endian, Layout, NativeLayout, ParseError};
pub use image::{Image, Symbol, SymbolKind, Symbols};
pub use random::getrandom;
pub use slot::{is_enabled, set_enabled};
pub use sys_core::Errno;
pub use vdso::{MAX_LEN, Vdso, vdso_base};

/// The functions of this crate that can use the vDSO.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Function {
    /// [`clock_gettime`].
    ClockGettime,
    /// [`clock_getres`].
    ClockGetres,
    /// [`gettimeofday`].
    Gettimeofday,
    /// [`time`].
    Time,
    /// [`getcpu`].
    Getcpu,
    /// [`getrandom`].
    Getrandom,
}

impl Function {
    /// Every function, in declaration order.
    ///
    /// ```
    /// # if cfg!(miri) { return; } // inline asm
    /// for f in sys_vdso::Function::ALL {
    ///     println!("{f:?}: {:?}", sys_vdso::entry_point(f));
    /// }
    /// ```
    pub const ALL: [Function; 6] = [
        Function::ClockGettime,
        Function::ClockGetres,
        Function::Gettimeofday,
        Function::Time,
        Function::Getcpu,
        Function::Getrandom,
    ];
}

/// The vDSO entry point `f` uses in this process, resolving it if that has not happened yet;
/// `None` when `f` makes the system call (or, for `gettimeofday` and `time` without an entry of
/// their own, derives its result from [`clock_gettime`]).
pub fn entry_point(f: Function) -> Option<core::ptr::NonNull<()>> {
    use symbols::native::NAMES;
    let (s, name) = match f {
        Function::ClockGettime => (&clock::CLOCK_GETTIME, NAMES.clock_gettime),
        Function::ClockGetres => (&clock::CLOCK_GETRES, NAMES.clock_getres),
        Function::Gettimeofday => (&clock::GETTIMEOFDAY, NAMES.gettimeofday),
        Function::Time => (&clock::TIME, NAMES.time),
        Function::Getcpu => (&clock::GETCPU, NAMES.getcpu),
        Function::Getrandom => {
            random::vdso_state_size()?;
            (&random::GETRANDOM, NAMES.getrandom)
        }
    };
    let mut v = s.get();
    if v == slot::UNINIT {
        v = s.resolve(name, NAMES.version, |_| true);
    }
    if v > slot::ABSENT {
        core::ptr::NonNull::new(core::ptr::with_exposed_provenance_mut(v))
    } else {
        None
    }
}

/// The README's examples, compiled and run as doctests of this crate.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
