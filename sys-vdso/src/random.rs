//! `getrandom` through the vDSO (the vgetrandom protocol, Linux 6.11+), with the system call as
//! fallback.
//!
//! Facts: the kernel's `lib/vdso/getrandom.c` and `include/uapi/linux/random.h`
//! (`struct vgetrandom_opaque_params { u32 size_of_opaque_state, mmap_prot, mmap_flags,
//! reserved[13]; }`), its selftest `tools/testing/selftests/vDSO/vdso_test_getrandom.c`, and
//! /work/shared/reference/vdso.md:
//! 1. `f(NULL, 0, 0, &params, ~0UL)` returns 0 and fills the parameters;
//! 2. state memory is mapped with exactly `params.mmap_prot` and `params.mmap_flags`, and a state
//!    must not cross a page boundary;
//! 3. a state must never be used by two callers at once (the vDSO guards against re-entry on
//!    the same state from a signal handler by falling back to the system call, not against
//!    concurrent threads); a call is `f(buf, len, flags, state, size_of_opaque_state)` and
//!    returns the byte count or a negated errno, falling back to the system call by itself when
//!    it has to.
//!
//! # State allocation
//! This crate is `no_std` and has no thread-locals, so a state is taken from a pool for the
//! duration of one call and given back after it. The pool holds up to [`MAX_CHUNKS`] mappings of
//! one state per bit of a machine word each (64 on 64-bit targets); an atomic bitmap per mapping
//! says which states are taken. Taking claims
//! a clear bit with a compare-exchange (`Acquire`), giving back clears it (`Release`), so a
//! state's bytes written by one user are visible to the next and no two users ever hold the same
//! state. Both are lock-free and async-signal-safe: a signal handler that calls `getrandom`
//! while its thread holds a state simply takes another one. A state's slot is a power of two
//! bytes (at least 64, at most 4096), so states never straddle a 4096-byte boundary and hence no
//! page boundary of any page size. When every state is taken, or a mapping cannot be made, the
//! call uses the system call. Mappings are never unmapped (they are reused for the life of the
//! process).

use core::ffi::c_void;
use core::ptr::{NonNull, null_mut};
use core::sync::atomic::{AtomicBool, AtomicPtr, AtomicU32, AtomicUsize, Ordering};

use sys_core::{Errno, nr, syscall};

use crate::slot::{ABSENT, Slot, UNINIT};
use crate::symbols::native::NAMES;

/// `GRND_NONBLOCK`: fail with `EAGAIN` instead of blocking before the pool is initialised.
pub const GRND_NONBLOCK: u32 = 1;
/// `GRND_RANDOM`: historical, now the same source.
pub const GRND_RANDOM: u32 = 2;
/// `GRND_INSECURE`: never block, even before the pool is initialised (Linux 5.6+).
pub const GRND_INSECURE: u32 = 4;

/// The most state mappings the pool makes ([`PER_CHUNK`] states each).
pub const MAX_CHUNKS: usize = 64;
/// States per mapping: one per bit of the mapping's bitmap word (64 on 64-bit targets; 32-bit
/// ones have no vgetrandom, but the pool works there too).
pub const PER_CHUNK: usize = usize::BITS as usize;

pub(crate) static GETRANDOM: Slot = Slot::new();
/// `size_of_opaque_state << 8 | log2(slot size)` in one word, so that one load gives a
/// consistent pair; 0 before the parameters are known. Stored with `Release` after
/// [`MMAP_PROT`] and [`MMAP_FLAGS`], which a mapper reads after an `Acquire` load of it.
static STATE: AtomicUsize = AtomicUsize::new(0);
static MMAP_PROT: AtomicU32 = AtomicU32::new(0);
static MMAP_FLAGS: AtomicU32 = AtomicU32::new(0);
static POOL: Pool<MAX_CHUNKS> = Pool::new();

type GetrandomFn = unsafe extern "C" fn(*mut c_void, usize, u32, *mut c_void, usize) -> isize;

#[repr(C)]
struct Params {
    size_of_opaque_state: u32,
    mmap_prot: u32,
    mmap_flags: u32,
    reserved: [u32; 13],
}

/// Fills up to `buf.len()` bytes with random bytes (getrandom(2)) and returns how many: through
/// the vDSO where the kernel offers it, else the system call. Like the system call, a request may
/// be cut short (by a signal, or above 32 MiB); [`fill`] loops until the buffer is full.
///
/// # Errors
/// As getrandom(2): `EAGAIN` (`GRND_NONBLOCK` before the pool is ready), `EINTR`, `EINVAL`.
#[inline]
pub fn getrandom(buf: &mut [u8], flags: u32) -> Result<usize, Errno> {
    #[cfg(feature = "hooks")]
    if let Some(h) = crate::hooks::installed(sys_core::nr::getrandom) {
        return crate::hooks::getrandom(h, buf, flags);
    }
    let f = GETRANDOM.get();
    if f > ABSENT
        && let Some(r) = vdso_getrandom(f, buf, flags)
    {
        return r;
    }
    getrandom_slow(f, buf, flags)
}

/// Fills all of `buf` with random bytes, retrying after `EINTR` and short reads.
///
/// # Errors
/// As [`getrandom`], except `EINTR`.
pub fn fill(buf: &mut [u8], flags: u32) -> Result<(), Errno> {
    let mut rest = buf;
    while !rest.is_empty() {
        match getrandom(rest, flags) {
            Ok(n) => rest = core::mem::take(&mut rest).get_mut(n..).unwrap_or_default(),
            Err(Errno::EINTR) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

#[cold]
#[inline(never)]
fn getrandom_slow(f: usize, buf: &mut [u8], flags: u32) -> Result<usize, Errno> {
    if f == UNINIT {
        let f = GETRANDOM.resolve(NAMES.getrandom, NAMES.version, query_params);
        if f > ABSENT
            && let Some(r) = vdso_getrandom(f, buf, flags)
        {
            return r;
        }
    }
    crate::syscall::getrandom(buf, flags)
}

/// One call through the vDSO with a state from the pool; `None` if no state could be had.
#[inline(always)]
pub(crate) fn vdso_getrandom(f: usize, buf: &mut [u8], flags: u32) -> Option<Result<usize, Errno>> {
    let state = STATE.load(Ordering::Relaxed);
    let size = state >> 8;
    if size == 0 {
        return None;
    }
    let geometry = Geometry {
        shift: (state & 0xff) as u32,
    };
    let state = POOL.take(geometry, &KernelMapper)?;
    // SAFETY: `f` is the vDSO's getrandom (the slot is only filled after the parameter query
    // succeeded); `buf` is valid for writes of its length; `state` points to `size` bytes of a
    // mapping made with the kernel's prot and flags, inside one page, held by this call alone.
    let r = unsafe {
        let f = core::mem::transmute::<usize, GetrandomFn>(f);
        f(
            buf.as_mut_ptr().cast(),
            buf.len(),
            flags,
            state.ptr.as_ptr().cast(),
            size,
        )
    };
    POOL.give(state);
    match usize::try_from(r) {
        Ok(n) => Some(Ok(n)),
        // A negated errno; anything else would be a vDSO bug: let the system call answer.
        Err(_) => Errno::from_raw(i32::try_from(r.unsigned_abs()).ok()?).map(Err),
    }
}

/// Asks the vDSO for the state parameters and records them; `false` if it declines or asks for
/// something this crate cannot provide.
pub(crate) fn query_params(f: usize) -> bool {
    let mut p = Params {
        size_of_opaque_state: 0,
        mmap_prot: 0,
        mmap_flags: 0,
        reserved: [0; 13],
    };
    // SAFETY: `f` is the vDSO's getrandom; the parameter query writes `*p` only.
    let r = unsafe {
        let f = core::mem::transmute::<usize, GetrandomFn>(f);
        f(
            null_mut(),
            0,
            0,
            (&raw mut p).cast(),
            usize::MAX, // ~0UL: "give me the parameters"
        )
    };
    let size = p.size_of_opaque_state as usize;
    if r != 0 || size == 0 || size > PAGE {
        return false;
    }
    let stride = size.max(64).next_power_of_two();
    MMAP_PROT.store(p.mmap_prot, Ordering::Relaxed);
    MMAP_FLAGS.store(p.mmap_flags, Ordering::Relaxed);
    STATE.store(
        size << 8 | stride.trailing_zeros() as usize,
        Ordering::Release,
    );
    true
}

/// Whether `getrandom` goes through the vDSO (resolving it if needed), and the vDSO's state size.
pub fn vdso_state_size() -> Option<usize> {
    let mut f = GETRANDOM.get();
    if f == UNINIT {
        f = GETRANDOM.resolve(NAMES.getrandom, NAMES.version, query_params);
    }
    (f > ABSENT).then(|| STATE.load(Ordering::Relaxed) >> 8)
}

const PAGE: usize = 4096;

/// Where states go in a mapping.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Geometry {
    /// log2 of a state's slot size (6..=12).
    pub(crate) shift: u32,
}

impl Geometry {
    fn chunk_len(self) -> usize {
        // At most 64 slots of at most 4096 bytes: at most 256 KiB, whole pages.
        (PER_CHUNK << self.shift).max(PAGE)
    }
}

/// Makes and unmakes state mappings (the kernel's `mmap`, or the heap in tests).
pub(crate) trait Mapper {
    /// A zeroed, page-aligned mapping of `len` bytes.
    fn map(&self, len: usize) -> Option<NonNull<u8>>;
    /// Gives back a mapping made by `map` with the same `len`.
    ///
    /// # Safety
    /// `p` came from `self.map(len)` and is not used afterwards.
    unsafe fn unmap(&self, p: NonNull<u8>, len: usize);
}

struct KernelMapper;

#[cfg(target_pointer_width = "64")]
const MMAP: usize = nr::mmap;
#[cfg(target_pointer_width = "32")]
const MMAP: usize = nr::mmap2;

impl Mapper for KernelMapper {
    fn map(&self, len: usize) -> Option<NonNull<u8>> {
        if STATE.load(Ordering::Acquire) == 0 {
            return None;
        }
        let prot = MMAP_PROT.load(Ordering::Relaxed);
        let flags = MMAP_FLAGS.load(Ordering::Relaxed);
        // SAFETY: a new anonymous mapping at an address the kernel picks touches no existing
        // memory.
        let p = unsafe { syscall!(self::MMAP, 0usize, len, prot, flags, -1i32, 0usize) }.ok()?;
        NonNull::new(core::ptr::with_exposed_provenance_mut(p))
    }

    unsafe fn unmap(&self, p: NonNull<u8>, len: usize) {
        // SAFETY: the caller gives back a mapping of ours that nothing uses any more.
        let _ = unsafe { syscall!(nr::munmap, p, len) };
    }
}

/// A state held by one caller.
#[derive(Debug)]
pub(crate) struct State {
    pub(crate) ptr: NonNull<u8>,
    chunk: usize,
    bit: u32,
}

/// The state pool: `N` lazily made mappings of [`PER_CHUNK`] states, with one bitmap each.
pub(crate) struct Pool<const N: usize> {
    chunks: [AtomicPtr<u8>; N],
    used: [AtomicUsize; N],
    /// Mappings installed so far (`chunks[..count]` are non-null).
    count: AtomicUsize,
    /// Set when a mapping could not be made: no more attempts.
    failed: AtomicBool,
}

impl<const N: usize> Pool<N> {
    pub(crate) const fn new() -> Self {
        Pool {
            chunks: [const { AtomicPtr::new(null_mut()) }; N],
            used: [const { AtomicUsize::new(0) }; N],
            count: AtomicUsize::new(0),
            failed: AtomicBool::new(false),
        }
    }

    /// Takes a free state, making a new mapping if all are taken; `None` if none can be had.
    #[inline]
    pub(crate) fn take(&self, g: Geometry, m: &impl Mapper) -> Option<State> {
        let mut n = self.count.load(Ordering::Acquire);
        loop {
            for (c, used) in self.used.iter().enumerate().take(n) {
                if let Some(bit) = claim(used) {
                    let state = State {
                        ptr: NonNull::dangling(),
                        chunk: c,
                        bit,
                    };
                    // Non-null for every chunk below `count` (installed before the count was
                    // raised, both with release/acquire); checked all the same.
                    let Some(base) = self
                        .chunks
                        .get(c)
                        .and_then(|p| NonNull::new(p.load(Ordering::Acquire)))
                    else {
                        self.give(state);
                        return None;
                    };
                    // `bit < PER_CHUNK`: the slot is inside the chunk's `PER_CHUNK << shift` bytes.
                    let ptr = base.as_ptr().wrapping_add((bit as usize) << g.shift);
                    return Some(State {
                        ptr: NonNull::new(ptr)?,
                        ..state
                    });
                }
            }
            n = self.grow(n, g, m)?;
        }
    }

    /// Gives a state back.
    #[inline]
    pub(crate) fn give(&self, s: State) {
        if let Some(used) = self.used.get(s.chunk) {
            used.fetch_and(!(1usize << s.bit), Ordering::Release);
        }
    }

    /// Makes mapping number `seen` (unless another thread did) and returns the new count.
    #[cold]
    fn grow(&self, seen: usize, g: Geometry, m: &impl Mapper) -> Option<usize> {
        let now = self.count.load(Ordering::Acquire);
        if now != seen {
            return Some(now); // someone else grew the pool meanwhile: rescan
        }
        if seen >= N || self.failed.load(Ordering::Relaxed) {
            return None;
        }
        let len = g.chunk_len();
        let Some(p) = m.map(len) else {
            self.failed.store(true, Ordering::Relaxed);
            return None;
        };
        let slot = self.chunks.get(seen)?;
        if slot
            .compare_exchange(null_mut(), p.as_ptr(), Ordering::AcqRel, Ordering::Acquire)
            .is_err()
        {
            // SAFETY: `p` was never published.
            unsafe { m.unmap(p, len) };
        }
        // Publish the count (or find that the thread that won the slot already did).
        let _ = self
            .count
            .compare_exchange(seen, seen + 1, Ordering::AcqRel, Ordering::Acquire);
        Some(self.count.load(Ordering::Acquire))
    }
}

/// Claims a clear bit of `used`, if any.
#[inline(always)]
fn claim(used: &AtomicUsize) -> Option<u32> {
    let mut cur = used.load(Ordering::Relaxed);
    while cur != usize::MAX {
        let bit = (!cur).trailing_zeros();
        match used.compare_exchange_weak(cur, cur | 1 << bit, Ordering::Acquire, Ordering::Relaxed)
        {
            Ok(_) => return Some(bit),
            Err(now) => cur = now,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::alloc::{Layout, alloc_zeroed, dealloc};
    use std::sync::atomic::AtomicUsize as Count;
    use std::vec::Vec;

    /// The heap as mapper, so the pool runs under Miri.
    struct Heap(Count);

    impl Mapper for Heap {
        fn map(&self, len: usize) -> Option<NonNull<u8>> {
            self.0.fetch_add(1, Ordering::Relaxed);
            // SAFETY: `len` is nonzero.
            NonNull::new(unsafe { alloc_zeroed(Layout::from_size_align(len, PAGE).ok()?) })
        }
        unsafe fn unmap(&self, p: NonNull<u8>, len: usize) {
            // SAFETY: allocated by `map` with this layout.
            unsafe { dealloc(p.as_ptr(), Layout::from_size_align(len, PAGE).unwrap()) }
        }
    }

    fn leak_chunks<const N: usize>(pool: &Pool<N>, g: Geometry, heap: &Heap) {
        for c in &pool.chunks {
            if let Some(p) = NonNull::new(c.load(Ordering::Relaxed)) {
                // SAFETY: every chunk came from `heap.map(g.chunk_len())`.
                unsafe { heap.unmap(p, g.chunk_len()) };
            }
        }
    }

    #[test]
    fn states_are_distinct_aligned_and_inside_one_page() {
        let pool = Pool::<3>::new();
        let heap = Heap(Count::new(0));
        let g = Geometry { shift: 9 };
        let states: Vec<State> = (0..3 * PER_CHUNK)
            .map(|_| pool.take(g, &heap).unwrap())
            .collect();
        assert!(
            pool.take(g, &heap).is_none(),
            "all 3 * PER_CHUNK taken: the pool is full"
        );
        assert_eq!(heap.0.load(Ordering::Relaxed), 3);
        let mut addrs: Vec<usize> = states.iter().map(|s| s.ptr.as_ptr() as usize).collect();
        addrs.sort_unstable();
        addrs.dedup();
        assert_eq!(addrs.len(), 3 * PER_CHUNK);
        for a in &addrs {
            assert_eq!(a % 512, 0);
            assert_eq!(a / PAGE, (a + 511) / PAGE, "a state straddles a page");
        }
        for s in states {
            pool.give(s);
        }
        let again = pool.take(g, &heap).unwrap();
        assert_eq!(
            heap.0.load(Ordering::Relaxed),
            3,
            "given-back states are reused"
        );
        pool.give(again);
        leak_chunks(&pool, g, &heap);
    }

    #[test]
    fn threads_never_share_a_state() {
        let pool = Pool::<4>::new();
        let heap = Heap(Count::new(0));
        let g = Geometry { shift: 6 };
        let rounds = if cfg!(miri) { 20 } else { 2000 };
        std::thread::scope(|s| {
            for t in 0..4u8 {
                let (pool, heap) = (&pool, &heap);
                s.spawn(move || {
                    for _ in 0..rounds {
                        let st = pool.take(g, heap).unwrap();
                        // Write a mark, yield, check nobody else wrote to the same state.
                        // SAFETY: the state is ours until given back; 64 bytes long.
                        unsafe { st.ptr.as_ptr().write_volatile(t) };
                        std::thread::yield_now();
                        // SAFETY: as above.
                        assert_eq!(unsafe { st.ptr.as_ptr().read_volatile() }, t);
                        pool.give(st);
                    }
                });
            }
        });
        leak_chunks(&pool, g, &heap);
    }
}
