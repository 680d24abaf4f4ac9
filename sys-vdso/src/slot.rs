//! The cache of resolved vDSO entry points: one atomic word per function, filled on first use.
//!
//! A slot holds [`UNINIT`] (not resolved yet), [`ABSENT`] (no vDSO, no such symbol, or the vDSO
//! is switched off with [`crate::set_enabled`]) or the function's address. The hot path is one
//! relaxed load and a compare. Resolution needs no lock: every thread that finds `UNINIT`
//! computes the same value from the same immutable image and stores it with a
//! compare-exchange from `UNINIT`, so racing threads agree and none waits. Relaxed ordering is
//! enough: the stored address points into code that was mapped before the process started, so no
//! other memory has to be published with it.

use core::sync::atomic::{AtomicBool, AtomicUsize, Ordering::Relaxed};

use crate::vdso::Vdso;

/// Not resolved yet.
pub(crate) const UNINIT: usize = 0;
/// Resolved: use the system call.
pub(crate) const ABSENT: usize = 1;

/// `false` after `set_enabled(false)`: every slot resolves to [`ABSENT`].
static ENABLED: AtomicBool = AtomicBool::new(true);

/// One cached entry point.
pub(crate) struct Slot(AtomicUsize);

impl Slot {
    pub(crate) const fn new() -> Self {
        Slot(AtomicUsize::new(UNINIT))
    }

    /// The cached value: [`UNINIT`], [`ABSENT`] or an address.
    #[inline(always)]
    pub(crate) fn get(&self) -> usize {
        self.0.load(Relaxed)
    }

    /// Resolves `name` (if any) in `version` and caches the result. `check` may reject a symbol
    /// that was found (for example when a protocol query fails): it returns `false` to make the
    /// slot [`ABSENT`]. Returns the value now in the slot.
    #[cold]
    pub(crate) fn resolve(
        &self,
        name: Option<&str>,
        version: &str,
        check: impl FnOnce(usize) -> bool,
    ) -> usize {
        let v = if ENABLED.load(Relaxed) {
            name.and_then(|n| Vdso::get()?.lookup(n, Some(version)))
                .map(|p| p.as_ptr().expose_provenance())
                .filter(|&p| p > ABSENT && check(p))
                .unwrap_or(ABSENT)
        } else {
            ABSENT
        };
        match self.0.compare_exchange(UNINIT, v, Relaxed, Relaxed) {
            Ok(_) => v,
            Err(current) => current,
        }
    }

    fn reset(&self, to: usize) {
        self.0.store(to, Relaxed);
    }
}

/// Every slot, for [`set_enabled`].
pub(crate) fn all() -> [&'static Slot; 6] {
    [
        &crate::clock::CLOCK_GETTIME,
        &crate::clock::CLOCK_GETRES,
        &crate::clock::GETTIMEOFDAY,
        &crate::clock::TIME,
        &crate::clock::GETCPU,
        &crate::random::GETRANDOM,
    ]
}

/// Switches the use of the vDSO on (the default) or off for every function of this crate.
///
/// Off, every function makes its system call: for tests of the fallback path, for comparisons,
/// or to work around a broken vDSO. Switching back on makes the next call of each function
/// resolve its entry point again. Meant to be called while no other thread uses the crate (at
/// start-up, in a test): a call racing with a first-time resolution in another thread may leave
/// that one function in the previous mode.
pub fn set_enabled(enabled: bool) {
    ENABLED.store(enabled, Relaxed);
    let to = if enabled { UNINIT } else { ABSENT };
    for s in all() {
        s.reset(to);
    }
}

/// Whether the vDSO is switched on (see [`set_enabled`]).
pub fn is_enabled() -> bool {
    ENABLED.load(Relaxed)
}
