//! The two ELF symbol hash tables: System V `DT_HASH` (with the 64-bit hash words of s390x and
//! alpha) and GNU `DT_GNU_HASH`.
//!
//! Facts: the System V gABI ("Hash Table"), the GNU hash layout as written by binutils and read by
//! glibc's `dl-lookup.c` (header `nbuckets, symoffset, bloom_size, bloom_shift`, then the bloom
//! words of class size, the buckets, the chains with bit 0 marking a chain's end), and the kernel's
//! `tools/testing/selftests/vDSO/parse_vdso.c` (s390x `DT_HASH` words are `Elf64_Xword`).
//!
//! Every table is read through bounds-checked accessors and every walk is bounded, so a corrupt
//! table ends a lookup instead of looping or reading outside the image.

use crate::elf::{Bytes, Class, EM_ALPHA, EM_S390, Layout, at};

/// The System V hash of `name` (gABI `elf_hash`).
pub(crate) fn sysv_hash(name: &[u8]) -> u32 {
    let mut h: u32 = 0;
    for &c in name {
        h = (h << 4).wrapping_add(u32::from(c));
        let g = h & 0xf000_0000;
        if g != 0 {
            h ^= g >> 24;
        }
        h &= !g;
    }
    h
}

/// The GNU hash of `name` (Bernstein's `h * 33 + c`, from 5381).
pub(crate) fn gnu_hash(name: &[u8]) -> u32 {
    name.iter().fold(5381u32, |h, &c| {
        h.wrapping_mul(33).wrapping_add(u32::from(c))
    })
}

/// A `DT_HASH` table: `nbucket, nchain, bucket[nbucket], chain[nchain]`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct SysvHash {
    /// Byte offset of `bucket[0]`.
    buckets: usize,
    nbucket: usize,
    /// Byte offset of `chain[0]`.
    chains: usize,
    /// `nchain`: also the number of symbols.
    pub(crate) nchain: usize,
    /// 4, or 8 on s390x and alpha (64-bit).
    entry: usize,
}

impl SysvHash {
    /// Reads the header of the table at `off`; `None` if it is not inside the image.
    // Inlined: the live path runs this once, cold; one body is fewer cache lines to fetch.
    #[inline(always)]
    pub(crate) fn new<L: Layout>(b: &Bytes<'_, L>, off: usize, machine: u16) -> Option<Self> {
        let entry = if b.class() == Class::Elf64 && (machine == EM_S390 || machine == EM_ALPHA) {
            8
        } else {
            4
        };
        let word = |o: usize| -> Option<usize> {
            let v = if entry == 8 {
                b.u64(o)?
            } else {
                u64::from(b.u32(o)?)
            };
            usize::try_from(v).ok()
        };
        let nbucket = word(off)?;
        let nchain = word(off.checked_add(entry)?)?;
        let buckets = off.checked_add(2 * entry)?;
        let chains = at(buckets, nbucket, entry)?;
        // The bucket array must be inside the image; the chains are checked per read.
        if nbucket == 0 || chains > b.len() {
            return None;
        }
        Some(SysvHash {
            buckets,
            nbucket,
            chains,
            nchain,
            entry,
        })
    }

    fn read<L: Layout>(&self, b: &Bytes<'_, L>, o: usize) -> Option<usize> {
        let v = if self.entry == 8 {
            b.u64(o)?
        } else {
            u64::from(b.u32(o)?)
        };
        usize::try_from(v).ok()
    }

    /// Calls `f` with each symbol index in `name`'s chain until `f` returns `Some`. At most
    /// `limit` steps, so a cycle in a corrupt chain ends.
    pub(crate) fn find<L: Layout, T>(
        &self,
        b: &Bytes<'_, L>,
        name: &[u8],
        limit: usize,
        mut f: impl FnMut(usize) -> Option<T>,
    ) -> Option<T> {
        let h = usize::try_from(sysv_hash(name)).ok()?;
        let slot = h.checked_rem(self.nbucket)?;
        let mut i = self.read(b, at(self.buckets, slot, self.entry)?)?;
        let mut steps = 0usize;
        while i != 0 && steps < limit && i < self.nchain {
            if let Some(t) = f(i) {
                return Some(t);
            }
            i = self.read(b, at(self.chains, i, self.entry)?)?;
            steps = steps.checked_add(1)?;
        }
        None
    }
}

/// A `DT_GNU_HASH` table.
#[derive(Clone, Copy, Debug)]
pub(crate) struct GnuHash {
    nbuckets: usize,
    /// Index of the first symbol the table covers.
    symoffset: usize,
    /// Byte offset of `buckets[0]` (u32 each).
    buckets: usize,
    /// Byte offset of `chain[0]`, the hash of symbol `symoffset` (u32 each).
    chains: usize,
}

impl GnuHash {
    /// Reads the header of the table at `off`; `None` if it is not inside the image.
    // Inlined: the live path runs this once, cold; one body is fewer cache lines to fetch.
    #[inline(always)]
    pub(crate) fn new<L: Layout>(b: &Bytes<'_, L>, off: usize) -> Option<Self> {
        let u = |o: usize| b.u32(o).and_then(|v| usize::try_from(v).ok());
        let nbuckets = u(off)?;
        let symoffset = u(off.checked_add(4)?)?;
        let bloom_size = u(off.checked_add(8)?)?;
        let bloom = off.checked_add(16)?;
        let buckets = at(bloom, bloom_size, b.class().word())?;
        let chains = at(buckets, nbuckets, 4)?;
        if nbuckets == 0 || chains > b.len() {
            return None;
        }
        Some(GnuHash {
            nbuckets,
            symoffset,
            buckets,
            chains,
        })
    }

    /// Calls `f` with each symbol index whose hash matches `name`'s, until `f` returns `Some`.
    /// Each step reads a new chain word further into the image, so the walk ends at the image's
    /// end at the latest.
    pub(crate) fn find<L: Layout, T>(
        &self,
        b: &Bytes<'_, L>,
        name: &[u8],
        mut f: impl FnMut(usize) -> Option<T>,
    ) -> Option<T> {
        let h = gnu_hash(name);
        let slot = usize::try_from(h).ok()?.checked_rem(self.nbuckets)?;
        let mut i = usize::try_from(b.u32(at(self.buckets, slot, 4)?)?).ok()?;
        if i < self.symoffset {
            return None;
        }
        loop {
            let c = b.u32(at(self.chains, i.checked_sub(self.symoffset)?, 4)?)?;
            if (c | 1) == (h | 1)
                && let Some(t) = f(i)
            {
                return Some(t);
            }
            if c & 1 != 0 {
                return None;
            }
            i = i.checked_add(1)?;
        }
    }

    /// The number of entries in the symbol table: one past the last symbol of the longest-indexed
    /// chain (the table does not record it). `None` if a chain runs off the image.
    pub(crate) fn symbol_count<L: Layout>(&self, b: &Bytes<'_, L>) -> Option<usize> {
        let mut last = 0usize;
        for k in 0..self.nbuckets {
            let v = usize::try_from(b.u32(at(self.buckets, k, 4)?)?).ok()?;
            last = last.max(v);
        }
        if last < self.symoffset {
            return Some(self.symoffset);
        }
        let mut i = last;
        loop {
            let c = b.u32(at(self.chains, i.checked_sub(self.symoffset)?, 4)?)?;
            if c & 1 != 0 {
                return i.checked_add(1);
            }
            i = i.checked_add(1)?;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sysv_hash_matches_the_gabi_examples() {
        // Values computed by the gABI algorithm (also what binutils writes into .hash).
        assert_eq!(sysv_hash(b""), 0);
        assert_eq!(sysv_hash(b"printf"), 0x077905a6);
        assert_eq!(sysv_hash(b"exit"), 0x0006cf04);
    }

    #[test]
    fn gnu_hash_matches_known_values() {
        assert_eq!(gnu_hash(b""), 0x0000_1505);
        assert_eq!(gnu_hash(b"printf"), 0x156b_2bb8);
        assert_eq!(gnu_hash(b"exit"), 0x7c96_7e3f);
    }
}
