//! The process-wide vector: where a start-up capture found it, and a static [`Store`] filled on
//! first use and published once through an atomic state.
//!
//! A capture ([`capture`], from [`crate::init_from_stack`] or the `.init_array` function) only
//! records where argc, argv, envp and the vector are on the initial stack: a few stores, so a
//! program that never looks anything up pays for nothing else. The first lookup parses the
//! vector from that address (no system call), or, without a capture, runs the fallback chain.
//!
//! States: `UNINIT` → `BUSY` (one thread, the winner of a compare-exchange, writes the store
//! and the static read buffer) → `READY` (stored with `Release`; from then on the store is
//! never written again and every reader that loads `READY` with `Acquire` sees it complete).
//! A reader that finds `BUSY` does not wait (no lock, nothing to deadlock on in a signal
//! handler): it reads the vector itself into a local copy and answers from that.
//!
//! After `READY`, a getter is one `Acquire` load of the state (a plain load on x86, `ldar` on
//! arm64) and a load of a precomputed field (page size, vDSO base) or of the table by key
//! (a bit test and a load, then the getter's plausibility check): no system call, no lock,
//! no allocation. Every static here starts as zeros (`.bss`: no file-backed data page in the
//! program).
//!
//! The first lookup of a process is one call from the getter into [`first_use`], whose code
//! (compare-exchange, parse, derive, publish) is a few consecutive cache lines: in a fresh
//! process each first-touched line of code or data costs a cache miss, which is most of what
//! that lookup costs. So it derives only what needs more than the table (the checked page
//! size, the validated vDSO base), leaves the fallback chain, `mincore` and the racing
//! reader's local copy in cold functions of their own, and does not touch the strings of
//! `AT_EXECFN`, `AT_PLATFORM` and `AT_BASE_PLATFORM` (their getters measure them).

use core::cell::UnsafeCell;
use core::ffi::{CStr, c_char};
use core::ptr::NonNull;
use core::sync::atomic::{AtomicPtr, AtomicU8, AtomicUsize, Ordering};

use sys_core::{nr, syscall};

use crate::parse::Auxv;
use crate::source::stack::Layout;
use crate::source::{BUF_WORDS, Source, prctl, procfs};
use crate::valid;

/// The vector and the values derived from it once, at initialisation. All zeros is the
/// empty store.
///
/// Derived once: the page size (checked; the vDSO check needs it) and the vDSO base (its ELF
/// header read once). Everything else is computed from the table by key when asked for.
pub(crate) struct Store {
    pub(crate) auxv: Auxv,
    /// [`Source::code`], 0 for none.
    source: u8,
    pub(crate) page_size: Option<usize>,
    /// Validated vDSO base, 0 for none.
    pub(crate) sysinfo_ehdr: usize,
}

impl Store {
    /// Nothing known: every getter answers `None`.
    const EMPTY: Store = Store {
        auxv: Auxv::EMPTY,
        source: 0,
        page_size: None,
        sysinfo_ehdr: 0,
    };

    /// The source of the vector, `None` if every source failed.
    pub(crate) fn source(&self) -> Option<Source> {
        Source::from_code(self.source)
    }

    /// Whether the process is in secure mode (`true` when unknown).
    pub(crate) fn secure(&self) -> bool {
        self.auxv.secure() != Some(false)
    }

    /// The 16 bytes at `AT_RANDOM`.
    #[inline]
    pub(crate) fn random(&self) -> Option<&'static [u8; 16]> {
        // SAFETY: the store's vector describes this process, so AT_RANDOM is the address of
        // 16 bytes that live as long as the process (on the initial stack).
        self.auxv.random_ptr().map(|p| unsafe { p.as_ref() })
    }

    /// The string of `AT_EXECFN`, if it ends with a NUL within 4096 bytes (measured on each
    /// call, so that the first lookup of a process does not touch it).
    pub(crate) fn execfn(&self) -> Option<&'static CStr> {
        cstr(self.auxv.execfn_ptr(), 4096)
    }

    /// The string of `AT_PLATFORM`, if it ends with a NUL within 256 bytes.
    pub(crate) fn platform(&self) -> Option<&'static CStr> {
        cstr(self.auxv.platform_ptr(), 256)
    }

    /// The string of `AT_BASE_PLATFORM`, if it ends with a NUL within 256 bytes.
    pub(crate) fn base_platform(&self) -> Option<&'static CStr> {
        cstr(self.auxv.base_platform_ptr(), 256)
    }

    /// Computes the derived values of `self.auxv`, read from `source`, which describes this
    /// process.
    fn derive(&mut self, source: Source) {
        self.source = source.code();
        self.page_size = self.auxv.page_size();
        self.sysinfo_ehdr = self
            .auxv
            .sysinfo_ehdr_ptr()
            .filter(|&p| vdso_ok(p, source, self.page_size))
            .map_or(0, |p| p.as_ptr().expose_provenance());
    }
}

/// The string at `p`, if it ends with a NUL within `max` bytes. Reads the bytes up to the
/// first NUL, at most `max`.
#[inline(never)]
fn cstr(p: Option<NonNull<c_char>>, max: usize) -> Option<&'static CStr> {
    let p = p?.cast::<u8>().as_ptr();
    for len in 0..max {
        // SAFETY: the vector describes this process: the string at `p` is NUL-terminated and
        // lives as long as the process; bytes are read only up to the first NUL.
        if unsafe { p.add(len).read() } == 0 {
            // SAFETY: the `len + 1` bytes up to and including the NUL were just read, and the
            // NUL is the only one among them.
            return Some(unsafe {
                CStr::from_bytes_with_nul_unchecked(core::slice::from_raw_parts(p, len + 1))
            });
        }
    }
    None
}

/// Whether the vDSO base `p` is mapped and holds an ELF header for this machine. For
/// sources whose pointers are not known to be mapped as they say, `mincore(2)` must first
/// confirm the page is mapped.
fn vdso_ok(p: NonNull<u8>, source: Source, page_size: Option<usize>) -> bool {
    if !source.maps_its_pointers() && !mapped(p, page_size) {
        return false;
    }
    // SAFETY: the vDSO base from this process's vector is mapped (the kernel or valgrind
    // mapped it, or mincore just confirmed it), and its first page is readable.
    unsafe { valid::is_vdso_header(p) }
}

/// Whether the page at `p` is mapped: `mincore(2)` fails with `ENOMEM` otherwise. `false`
/// without a page size or for an address that is not page-aligned.
#[cold]
#[inline(never)]
fn mapped(p: NonNull<u8>, page_size: Option<usize>) -> bool {
    let Some(page) = page_size else { return false };
    if !p.as_ptr().addr().is_multiple_of(page) {
        return false;
    }
    let mut vec = 0u8;
    // SAFETY: mincore writes one byte (one page) into `vec`; it reads no memory.
    unsafe { syscall!(nr::mincore, p.as_ptr(), 1usize, &mut vec) }.is_ok()
}

const UNINIT: u8 = 0;
const BUSY: u8 = 1;
const READY: u8 = 2;

/// The state of [`GLOBAL`].
static STATE: AtomicU8 = AtomicU8::new(UNINIT);

/// The store and the read buffer of the fallback chain, written only by the thread that
/// moved [`STATE`] from `UNINIT` to `BUSY`, read only after `READY`.
struct Global {
    store: UnsafeCell<Store>,
    buf: UnsafeCell<[usize; BUF_WORDS]>,
}

// SAFETY: access follows the STATE protocol above: one writer while BUSY, readers only
// after the Release store of READY, which they observe with Acquire.
unsafe impl Sync for Global {}

static GLOBAL: Global = Global {
    store: UnsafeCell::new(Store::EMPTY),
    buf: UnsafeCell::new([0; BUF_WORDS]),
};

/// Runs `f` on the process-wide store, initialising it on first use.
#[inline]
pub(crate) fn with<R>(f: impl FnOnce(&Store) -> R) -> R {
    if STATE.load(Ordering::Acquire) == READY {
        // SAFETY: READY was stored after the last write to the store (see the module docs).
        f(unsafe { &*GLOBAL.store.get() })
    } else {
        match first_use() {
            Some(store) => f(store),
            None => with_local(f),
        }
    }
}

/// Fills the process-wide store if no other thread has begun to, and returns it once it is
/// `READY`; `None` while another thread is filling it.
///
/// Called straight from the getter and not generic, with [`init`] inlined: after a capture,
/// the first lookup of a process runs this one function of the crate (as compiled for
/// x86_64).
#[cold]
#[inline(never)]
fn first_use() -> Option<&'static Store> {
    match STATE.compare_exchange(UNINIT, BUSY, Ordering::Acquire, Ordering::Acquire) {
        Ok(_) => {
            // SAFETY: this thread moved STATE to BUSY, so it alone accesses GLOBAL until it
            // stores READY.
            let (store, buf) = unsafe { (&mut *GLOBAL.store.get(), &mut *GLOBAL.buf.get()) };
            init(store, buf);
            STATE.store(READY, Ordering::Release);
            // SAFETY: READY is stored; nobody writes the store any more.
            Some(unsafe { &*GLOBAL.store.get() })
        }
        // SAFETY: as in `with`.
        Err(READY) => Some(unsafe { &*GLOBAL.store.get() }),
        Err(_) => None,
    }
}

/// Another thread is initialising the process-wide store: do not wait for it, read the
/// vector into a local store and answer from that.
#[cold]
#[inline(never)]
fn with_local<R>(f: impl FnOnce(&Store) -> R) -> R {
    let mut store = Store::EMPTY;
    fill_local(&mut store);
    f(&store)
}

/// [`init`] of a store of its own, for [`with_local`].
#[cold]
#[inline(never)]
fn fill_local(store: &mut Store) {
    let mut buf = [0usize; BUF_WORDS];
    init(store, &mut buf);
}

/// Fills `store`: from the vector a start-up capture found, else from the first source of the
/// fallback chain that works: libc's `getauxval` (feature `libc`), `/proc/self/auxv`,
/// `prctl(PR_GET_AUXV)`; empty if none does. Inlined in its two callers ([`first_use`] and
/// the cold [`fill_local`]), so that the first lookup's code stays in one piece.
#[inline(always)]
fn init(store: &mut Store, buf: &mut [usize]) {
    let source = match captured_auxv() {
        // SAFETY: a capture recorded the vector on the initial stack, which stays mapped and
        // is not written after start-up; parsing stops at AT_NULL or after CAPACITY + 1 pairs.
        Some((source, auxv)) if unsafe { store.auxv.fill_from_ptr(auxv) }.is_ok() => source,
        _ => match fill_fallback(store, buf) {
            Some(source) => source,
            None => return,
        },
    };
    store.derive(source);
}

/// Fills `store.auxv` from the first source of the fallback chain that works, through `buf`;
/// `None`, and `store` empty, if none does.
#[cold]
#[inline(never)]
fn fill_fallback(store: &mut Store, buf: &mut [usize]) -> Option<Source> {
    #[cfg(feature = "libc")]
    if crate::source::libc::fill(&mut store.auxv).is_ok() {
        return Some(Source::Libc);
    }
    if procfs::read_into(buf)
        .and_then(|bytes| store.auxv.fill_bytes(bytes))
        .is_ok()
    {
        return Some(Source::Procfs);
    }
    if prctl::read_into(buf)
        .and_then(|bytes| store.auxv.fill_bytes(bytes))
        .is_ok()
    {
        return Some(Source::Prctl);
    }
    *store = Store::EMPTY;
    None
}

/// Which capture recorded the layout below: 0 none, else the [`Source::code`] of the
/// capture, stored last (`Release`).
static CAPTURED: AtomicU8 = AtomicU8::new(0);
static ARGC: AtomicUsize = AtomicUsize::new(0);
static ARGV: AtomicPtr<*const c_char> = AtomicPtr::new(core::ptr::null_mut());
static ENVP: AtomicPtr<*const c_char> = AtomicPtr::new(core::ptr::null_mut());
static AUXV: AtomicPtr<usize> = AtomicPtr::new(core::ptr::null_mut());

/// Records where a start-up capture found argc, argv, envp and the vector. Nothing is
/// parsed here: the first lookup does that, from this address.
///
/// Plain stores, no read-modify-write: a capture runs at start-up, before other threads
/// exist, and if both the `.init_array` function and a no-libc entry point capture, they
/// describe the same stack, so the later one changes nothing. (Without a read, a program that
/// never looks anything up lets the optimiser drop the stores altogether.)
///
/// # Safety
/// `layout` describes the process's initial stack (argv, envp and the vector readable and
/// never changed afterwards).
pub(crate) unsafe fn capture(layout: Layout, source: Source) {
    ARGC.store(layout.argc, Ordering::Relaxed);
    ARGV.store(layout.argv.cast_mut(), Ordering::Relaxed);
    ENVP.store(layout.envp.cast_mut(), Ordering::Relaxed);
    AUXV.store(layout.auxv.cast_mut(), Ordering::Relaxed);
    CAPTURED.store(source.code(), Ordering::Release);
}

/// The source and vector address of the recorded start-up capture (two loads: what the
/// first lookup needs of [`captured_layout`]).
fn captured_auxv() -> Option<(Source, *const usize)> {
    match Source::from_code(CAPTURED.load(Ordering::Acquire)) {
        Some(s @ (Source::Stack | Source::InitArray)) => Some((s, AUXV.load(Ordering::Relaxed))),
        _ => None,
    }
}

/// The recorded start-up capture.
pub(crate) fn captured_layout() -> Option<(Source, Layout)> {
    let source = match Source::from_code(CAPTURED.load(Ordering::Acquire)) {
        Some(s @ (Source::Stack | Source::InitArray)) => s,
        _ => return None,
    };
    Some((
        source,
        Layout {
            argc: ARGC.load(Ordering::Relaxed),
            argv: ARGV.load(Ordering::Relaxed),
            envp: ENVP.load(Ordering::Relaxed),
            auxv: AUXV.load(Ordering::Relaxed),
        },
    ))
}

/// Which start-up capture ran, if any.
pub(crate) fn captured_by() -> Option<Source> {
    captured_layout().map(|(s, _)| s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cstr_bounds() {
        let s = b"x86_64\0rest";
        let p = NonNull::from(s).cast::<c_char>();
        assert_eq!(cstr(Some(p), 256), Some(c"x86_64"));
        // The NUL is byte 6: found within 7 bytes, not within 6.
        assert_eq!(cstr(Some(p), 7), Some(c"x86_64"));
        assert_eq!(cstr(Some(p), 6), None);
        assert_eq!(cstr(None, 256), None);
        let empty = b"\0";
        assert_eq!(cstr(Some(NonNull::from(empty).cast()), 1), Some(c""));
    }

    #[test]
    fn empty_store_answers_nothing() {
        let s = Store::EMPTY;
        assert_eq!(s.source(), None);
        assert!(s.secure());
        assert_eq!(s.random(), None);
        assert_eq!(s.execfn(), None);
        assert_eq!(s.platform(), None);
        assert_eq!(s.base_platform(), None);
        assert_eq!((s.page_size, s.sysinfo_ehdr), (None, 0));
    }
}
