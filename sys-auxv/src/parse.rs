//! The parsed auxiliary vector ([`Auxv`]): a fixed-capacity copy of the entries in their
//! original order plus a table by key, and the parsers that build it from words, from bytes
//! and from a raw pointer.
//!
//! Layout facts: the kernel's `create_elf_tables()` (`fs/binfmt_elf.c`) writes the vector as
//! pairs of native words (`elf_addr_t`: `u32` for 32-bit processes, `u64` for 64-bit ones)
//! ending with an `AT_NULL` pair; `/proc/self/auxv` (`fs/proc/base.c`, `auxv_read`) and
//! `prctl(PR_GET_AUXV)` (`kernel/sys.c`) return the same pairs as bytes, the latter padded with
//! zeros to the size of `mm->saved_auxv`. Nothing here reads memory that is not given as a
//! slice, except [`Auxv::from_ptr`], which is `unsafe`.

use core::ffi::c_char;
use core::fmt;
use core::ptr::NonNull;

use crate::key::Key;
use crate::valid;

/// How many entries (not counting the terminating `AT_NULL`) an [`Auxv`] holds. Linux 7.3
/// emits at most 22 generic entries plus 15 architecture-specific ones (powerpc), so this
/// leaves room for growth; a longer vector is [`Error::TooLong`].
pub const CAPACITY: usize = 64;

/// Keys below this number have a slot in a table indexed by key (one load per lookup); larger
/// (unknown) ones are found by a scan of the entries.
const INDEXED: usize = 64;

const WORD: usize = size_of::<usize>();

/// Why a vector could not be read or parsed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// The data ended, on a pair boundary, before an `AT_NULL` entry.
    Unterminated,
    /// The data ended in the middle of an entry, before an `AT_NULL` entry.
    Truncated,
    /// More than [`CAPACITY`] entries before `AT_NULL`.
    TooLong,
    /// A system call failed (`open` of `/proc/self/auxv`, `prctl`, ...).
    Syscall(sys_core::Errno),
    /// This source has nothing to give here (nothing was captured at start-up, libc reports
    /// no entry, the target's libc does not pass the process arguments, ...).
    Unavailable,
    /// The stack handed over does not have the kernel's layout (`envp` does not follow
    /// `argv`'s NULL, a negative `argc`, a null pointer).
    BadStack,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Unterminated => f.write_str("auxiliary vector without AT_NULL"),
            Error::Truncated => f.write_str("auxiliary vector cut in the middle of an entry"),
            Error::TooLong => write!(f, "auxiliary vector longer than {CAPACITY} entries"),
            Error::Syscall(e) => write!(f, "system call failed: {e}"),
            Error::Unavailable => f.write_str("this source of the auxiliary vector is unavailable"),
            Error::BadStack => f.write_str("the process stack does not have the kernel's layout"),
        }
    }
}

impl core::error::Error for Error {}

impl From<sys_core::Errno> for Error {
    fn from(e: sys_core::Errno) -> Error {
        Error::Syscall(e)
    }
}

/// An auxiliary vector: the entries in their original order (without the final `AT_NULL`)
/// and a table by key for lookups.
///
/// Lookups ([`Auxv::get`] and the typed getters) never panic: a key that is absent, a padding
/// key ([`Key::is_padding`]), or a key that appears several times with different values gives
/// `None`; a repeated key with one value is fine. The typed getters also check that the value
/// makes sense ([`Auxv::page_size`] is a power of two, [`Auxv::phent`] is this target's
/// program header size, ...). Pointer getters return the address only, validated for null and
/// alignment; reading through it is up to the caller (the crate-level functions such as
/// [`crate::execfn`] do so for the process's own vector).
#[derive(Clone)]
pub struct Auxv {
    entries: [(usize, usize); CAPACITY],
    len: usize,
    /// `values[k]`: the value of key `k`, valid if bit `k` of `present` is set.
    values: [usize; INDEXED],
    /// Keys below [`INDEXED`] with one value (padding keys never).
    present: u64,
    /// Keys below [`INDEXED`] seen with different values (never in `present`).
    conflict: u64,
}

impl Default for Auxv {
    fn default() -> Auxv {
        Auxv::EMPTY
    }
}

impl fmt::Debug for Auxv {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl PartialEq for Auxv {
    /// Same entries, same order.
    fn eq(&self, other: &Auxv) -> bool {
        self.as_pairs() == other.as_pairs()
    }
}

impl Eq for Auxv {}

impl Auxv {
    /// A vector without entries.
    pub const EMPTY: Auxv = Auxv {
        entries: [(0, 0); CAPACITY],
        len: 0,
        values: [0; INDEXED],
        present: 0,
        conflict: 0,
    };

    /// Builds a vector from `(key, value)` pairs, up to the first `AT_NULL` key; what follows
    /// it is ignored.
    ///
    /// # Errors
    /// [`Error::Unterminated`] if the pairs end without `AT_NULL`, [`Error::TooLong`] if more
    /// than [`CAPACITY`] come before it.
    pub fn from_pairs<I: IntoIterator<Item = (usize, usize)>>(pairs: I) -> Result<Auxv, Error> {
        let mut auxv = Auxv::EMPTY;
        auxv.fill(pairs.into_iter())?;
        Ok(auxv)
    }

    /// Builds a vector from native words (`key, value, key, value, ..., AT_NULL, 0`), the
    /// layout of the process stack and of `prctl(PR_GET_AUXV)`.
    ///
    /// # Errors
    /// As [`Auxv::from_pairs`]; [`Error::Truncated`] if an odd word is left over without an
    /// `AT_NULL` before it.
    pub fn from_words(words: &[usize]) -> Result<Auxv, Error> {
        let chunks = words.chunks_exact(2);
        let partial = !chunks.remainder().is_empty();
        Auxv::from_pairs(chunks.map(|p| (p[0], p[1]))).map_err(|e| match e {
            Error::Unterminated if partial => Error::Truncated,
            e => e,
        })
    }

    /// Parses the bytes of a vector as `/proc/self/auxv` or `prctl(PR_GET_AUXV)` return them:
    /// pairs of native-endian words of this target's size. The slice needs no alignment.
    ///
    /// # Errors
    /// As [`Auxv::from_pairs`]; [`Error::Truncated`] if the bytes end inside an entry without
    /// an `AT_NULL` before it.
    pub fn parse(bytes: &[u8]) -> Result<Auxv, Error> {
        let mut auxv = Auxv::EMPTY;
        auxv.fill_bytes(bytes)?;
        Ok(auxv)
    }

    /// [`Auxv::parse`] into `self`, in place.
    pub(crate) fn fill_bytes(&mut self, bytes: &[u8]) -> Result<(), Error> {
        let chunks = bytes.chunks_exact(2 * WORD);
        let partial = !chunks.remainder().is_empty();
        let pairs = chunks.map(|pair| {
            let (k, v) = pair.split_at(WORD);
            (word(k), word(v))
        });
        self.fill(pairs).map_err(|e| match e {
            Error::Unterminated if partial => Error::Truncated,
            e => e,
        })
    }

    /// Reads a vector from memory, pair by pair, up to and including `AT_NULL`.
    ///
    /// At most `CAPACITY + 1` pairs are read: a longer vector is [`Error::TooLong`] and
    /// nothing beyond that is touched.
    ///
    /// # Errors
    /// [`Error::TooLong`].
    ///
    /// # Safety
    /// `auxv` is aligned for `usize` and readable up to its `AT_NULL` pair, or for
    /// `CAPACITY + 1` pairs, whichever comes first (the process's own vector on its initial
    /// stack qualifies).
    pub unsafe fn from_ptr(auxv: *const usize) -> Result<Auxv, Error> {
        let mut out = Auxv::EMPTY;
        // SAFETY: the caller's contract.
        unsafe { out.fill_from_ptr(auxv) }?;
        Ok(out)
    }

    /// [`Auxv::from_ptr`] into `self`, in place (for the process-wide store, which has no
    /// room for a temporary copy during start-up).
    ///
    /// # Safety
    /// As [`Auxv::from_ptr`].
    pub(crate) unsafe fn fill_from_ptr(&mut self, auxv: *const usize) -> Result<(), Error> {
        let pairs = (0..=CAPACITY).map(|i| {
            // SAFETY: the caller guarantees pairs up to AT_NULL are readable, and `fill`
            // stops pulling pairs at AT_NULL, so pair `i` is only read when all before it
            // were not AT_NULL.
            unsafe { (auxv.add(2 * i).read(), auxv.add(2 * i + 1).read()) }
        });
        self.fill(pairs)
    }

    /// Replaces the contents of `self` with the pairs up to `AT_NULL`; on error `self` is
    /// left empty.
    pub(crate) fn fill(
        &mut self,
        pairs: impl Iterator<Item = (usize, usize)>,
    ) -> Result<(), Error> {
        self.clear();
        for (key, value) in pairs {
            if key == Key::NULL.raw() {
                return Ok(());
            }
            if let Err(e) = self.push(key, value) {
                self.clear();
                return Err(e);
            }
        }
        self.clear();
        Err(Error::Unterminated)
    }

    /// Removes every entry.
    fn clear(&mut self) {
        self.len = 0;
        self.present = 0;
        self.conflict = 0;
    }

    /// Appends an entry and records it in the table by key.
    fn push(&mut self, key: usize, value: usize) -> Result<(), Error> {
        let Some(slot) = self.entries.get_mut(self.len) else {
            return Err(Error::TooLong);
        };
        *slot = (key, value);
        self.len += 1;
        if key < INDEXED && !Key::new(key).is_padding() {
            let bit = 1u64 << key;
            if self.conflict & bit != 0 {
                // Already ambiguous.
            } else if self.present & bit == 0 {
                self.present |= bit;
                self.values[key] = value;
            } else if self.values[key] != value {
                self.present &= !bit;
                self.conflict |= bit;
            }
        }
        Ok(())
    }

    /// The entries, in order, as `(key, value)` pairs.
    #[inline]
    pub fn as_pairs(&self) -> &[(usize, usize)] {
        self.entries.get(..self.len).unwrap_or(&[])
    }

    /// The number of entries (without `AT_NULL`).
    #[inline]
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether there are no entries.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The entries in their original order.
    pub fn iter(&self) -> Iter<'_> {
        Iter {
            inner: self.as_pairs().iter(),
        }
    }

    /// The value for `key`: `None` if it is absent, padding, or present several times with
    /// different values. A present zero is `Some(0)`.
    #[inline]
    pub fn get(&self, key: Key) -> Option<usize> {
        let k = key.raw();
        if k < INDEXED {
            if (self.present >> k) & 1 != 0 {
                Some(self.values[k])
            } else {
                None
            }
        } else {
            self.get_unindexed(k)
        }
    }

    /// Lookup of a key beyond the table (unknown to this crate): the single value it has.
    #[cold]
    fn get_unindexed(&self, key: usize) -> Option<usize> {
        let mut found = None;
        for &(k, v) in self.as_pairs() {
            if k == key {
                match found {
                    None => found = Some(v),
                    Some(prev) if prev != v => return None,
                    Some(_) => {}
                }
            }
        }
        found
    }

    /// The page size (`AT_PAGESZ`), if it is a power of two from 4 KiB to 256 MiB.
    #[inline]
    pub fn page_size(&self) -> Option<usize> {
        self.get(Key::PAGESZ).filter(|&v| valid::page_size(v))
    }

    /// The clock tick rate of `times()` (`AT_CLKTCK`), if non-zero.
    #[inline]
    pub fn clock_ticks(&self) -> Option<usize> {
        self.get(Key::CLKTCK).filter(|&v| v != 0)
    }

    /// `AT_HWCAP`.
    #[inline]
    pub fn hwcap(&self) -> Option<usize> {
        self.get(Key::HWCAP)
    }

    /// `AT_HWCAP2`.
    #[inline]
    pub fn hwcap2(&self) -> Option<usize> {
        self.get(Key::HWCAP2)
    }

    /// `AT_HWCAP3`.
    #[inline]
    pub fn hwcap3(&self) -> Option<usize> {
        self.get(Key::HWCAP3)
    }

    /// `AT_HWCAP4`.
    #[inline]
    pub fn hwcap4(&self) -> Option<usize> {
        self.get(Key::HWCAP4)
    }

    /// Whether the process runs in secure mode: `AT_SECURE` is non-zero, or the real and
    /// effective user or group IDs differ (checked even when `AT_SECURE` says 0, as glibc's
    /// `__libc_enable_secure` did before `AT_SECURE` existed). `None` if the vector has
    /// neither `AT_SECURE` nor all four IDs.
    #[inline]
    pub fn secure(&self) -> Option<bool> {
        let ids = match (self.uid(), self.euid(), self.gid(), self.egid()) {
            (Some(u), Some(eu), Some(g), Some(eg)) => Some(u != eu || g != eg),
            _ => None,
        };
        match (self.get(Key::SECURE), ids) {
            (Some(s), ids) => Some(s != 0 || ids == Some(true)),
            (None, ids) => ids,
        }
    }

    /// The program's entry point (`AT_ENTRY`), if non-zero.
    #[inline]
    pub fn entry(&self) -> Option<usize> {
        self.get(Key::ENTRY).filter(|&v| v != 0)
    }

    /// The address of the program headers (`AT_PHDR`), if non-null and aligned for a word.
    #[inline]
    pub fn phdr(&self) -> Option<NonNull<u8>> {
        self.get(Key::PHDR).and_then(|v| valid::pointer(v, WORD))
    }

    /// The size of a program header entry (`AT_PHENT`), if it is this target's
    /// (`sizeof(Elf64_Phdr)` = 56 or `sizeof(Elf32_Phdr)` = 32).
    #[inline]
    pub fn phent(&self) -> Option<usize> {
        self.get(Key::PHENT).filter(|&v| v == valid::PHDR_SIZE)
    }

    /// The number of program headers (`AT_PHNUM`), if in `1..=0xffff`.
    #[inline]
    pub fn phnum(&self) -> Option<usize> {
        self.get(Key::PHNUM).filter(|&v| (1..=0xffff).contains(&v))
    }

    /// The base address of the program interpreter (`AT_BASE`), if there is one (non-zero)
    /// and it is aligned to 4 KiB.
    #[inline]
    pub fn interpreter_base(&self) -> Option<NonNull<u8>> {
        self.get(Key::BASE)
            .and_then(|v| valid::pointer(v, valid::MIN_PAGE))
    }

    /// The real user ID (`AT_UID`), if it fits a `u32`.
    #[inline]
    pub fn uid(&self) -> Option<u32> {
        self.get(Key::UID).and_then(|v| u32::try_from(v).ok())
    }

    /// The effective user ID (`AT_EUID`), if it fits a `u32`.
    #[inline]
    pub fn euid(&self) -> Option<u32> {
        self.get(Key::EUID).and_then(|v| u32::try_from(v).ok())
    }

    /// The real group ID (`AT_GID`), if it fits a `u32`.
    #[inline]
    pub fn gid(&self) -> Option<u32> {
        self.get(Key::GID).and_then(|v| u32::try_from(v).ok())
    }

    /// The effective group ID (`AT_EGID`), if it fits a `u32`.
    #[inline]
    pub fn egid(&self) -> Option<u32> {
        self.get(Key::EGID).and_then(|v| u32::try_from(v).ok())
    }

    /// The minimal signal stack size (`AT_MINSIGSTKSZ`), if non-zero and below 16 MiB.
    #[inline]
    pub fn minsigstksz(&self) -> Option<usize> {
        self.get(Key::MINSIGSTKSZ)
            .filter(|&v| v != 0 && v < valid::MAX_MINSIGSTKSZ)
    }

    /// The address of the vDSO's ELF header (`AT_SYSINFO_EHDR`), if non-null and aligned to
    /// 4 KiB. Only the address is checked: [`crate::sysinfo_ehdr`] also checks the header.
    #[inline]
    pub fn sysinfo_ehdr_ptr(&self) -> Option<NonNull<u8>> {
        self.get(Key::SYSINFO_EHDR)
            .and_then(|v| valid::pointer(v, valid::MIN_PAGE))
    }

    /// The i386 vsyscall entry point (`AT_SYSINFO`), if non-zero.
    #[inline]
    pub fn sysinfo(&self) -> Option<usize> {
        self.get(Key::SYSINFO).filter(|&v| v != 0)
    }

    /// The address of the 16 random bytes (`AT_RANDOM`), if non-null and not at the very
    /// end of the address space.
    #[inline]
    pub fn random_ptr(&self) -> Option<NonNull<[u8; 16]>> {
        self.get(Key::RANDOM)
            .filter(|v| v.checked_add(16).is_some())
            .and_then(|v| valid::pointer(v, 1))
            .map(NonNull::cast)
    }

    /// The address of the executed file name (`AT_EXECFN`), if non-null.
    #[inline]
    pub fn execfn_ptr(&self) -> Option<NonNull<c_char>> {
        self.get(Key::EXECFN)
            .and_then(|v| valid::pointer(v, 1))
            .map(NonNull::cast)
    }

    /// The address of the platform string (`AT_PLATFORM`), if non-null.
    #[inline]
    pub fn platform_ptr(&self) -> Option<NonNull<c_char>> {
        self.get(Key::PLATFORM)
            .and_then(|v| valid::pointer(v, 1))
            .map(NonNull::cast)
    }

    /// The address of the base platform string (`AT_BASE_PLATFORM`), if non-null.
    #[inline]
    pub fn base_platform_ptr(&self) -> Option<NonNull<c_char>> {
        self.get(Key::BASE_PLATFORM)
            .and_then(|v| valid::pointer(v, 1))
            .map(NonNull::cast)
    }
}

/// A native-endian word from exactly `WORD` bytes.
fn word(bytes: &[u8]) -> usize {
    let mut raw = [0u8; WORD];
    raw.copy_from_slice(bytes);
    usize::from_ne_bytes(raw)
}

/// The entries of an [`Auxv`], in order: `(key, value)`.
#[derive(Clone, Debug)]
pub struct Iter<'a> {
    inner: core::slice::Iter<'a, (usize, usize)>,
}

impl Iterator for Iter<'_> {
    type Item = (Key, usize);

    fn next(&mut self) -> Option<(Key, usize)> {
        self.inner.next().map(|&(k, v)| (Key::new(k), v))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.inner.size_hint()
    }
}

impl ExactSizeIterator for Iter<'_> {}

impl<'a> IntoIterator for &'a Auxv {
    type Item = (Key, usize);
    type IntoIter = Iter<'a>;

    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

/// The entries of an owned [`Auxv`], in order (what [`crate::iter`] returns).
#[derive(Clone, Debug)]
pub struct IntoIter {
    auxv: Auxv,
    pos: usize,
}

impl Iterator for IntoIter {
    type Item = (Key, usize);

    fn next(&mut self) -> Option<(Key, usize)> {
        let &(k, v) = self.auxv.as_pairs().get(self.pos)?;
        self.pos += 1;
        Some((Key::new(k), v))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.auxv.len().saturating_sub(self.pos);
        (n, Some(n))
    }
}

impl ExactSizeIterator for IntoIter {}

impl IntoIterator for Auxv {
    type Item = (Key, usize);
    type IntoIter = IntoIter;

    fn into_iter(self) -> IntoIter {
        IntoIter { auxv: self, pos: 0 }
    }
}
