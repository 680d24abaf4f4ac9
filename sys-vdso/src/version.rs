//! Symbol versions: `DT_VERSYM` (one `u16` per symbol) and the `DT_VERDEF` chain that names them.
//!
//! Facts: the LSB "Symbol Versioning" chapter (`Elfxx_Verdef`: `vd_version, vd_flags, vd_ndx,
//! vd_cnt` (u16), `vd_hash, vd_aux, vd_next` (u32); `Elfxx_Verdaux`: `vda_name, vda_next`;
//! `VER_FLG_BASE` = 1 names the file itself; bit 15 of a versym entry is the "hidden" bit) and the
//! kernel's `tools/testing/selftests/vDSO/parse_vdso.c`, which masks the hidden bit and skips the
//! base definition. Both structures are the same size in both ELF classes.

use crate::elf::{Bytes, Layout, at};

const VER_FLG_BASE: u16 = 1;
const VERSYM_HIDDEN: u16 = 0x8000;
const VERDEF_SIZE: usize = 20;

/// The version tables of an image (offsets inside it).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Versions {
    /// Byte offset of the versym array.
    pub(crate) versym: usize,
    /// Byte offset of the first `Verdef`.
    pub(crate) verdef: usize,
}

impl Versions {
    /// The version index of symbol `i` with the hidden bit masked off, or `None` if the entry
    /// is outside the image.
    pub(crate) fn index<L: Layout>(&self, b: &Bytes<'_, L>, i: usize) -> Option<u16> {
        Some(b.u16(at(self.versym, i, 2)?)? & !VERSYM_HIDDEN)
    }

    /// The name offset (in the string table) of the non-base definition with index `ndx`.
    /// Every `Verdef` read must be inside the image and the walk advances by `vd_next > 0`, so it
    /// ends after at most `len / 20` steps.
    pub(crate) fn name_offset<L: Layout>(&self, b: &Bytes<'_, L>, ndx: u16) -> Option<u32> {
        let mut off = self.verdef;
        let max_steps = b.len() / VERDEF_SIZE + 1;
        for _ in 0..max_steps {
            let flags = b.u16(off.checked_add(2)?)?;
            let vd_ndx = b.u16(off.checked_add(4)?)?;
            let vd_aux = b.u32(off.checked_add(12)?)?;
            let vd_next = b.u32(off.checked_add(16)?)?;
            if flags & VER_FLG_BASE == 0 && (vd_ndx & !VERSYM_HIDDEN) == ndx {
                let aux = off.checked_add(usize::try_from(vd_aux).ok()?)?;
                return b.u32(aux);
            }
            if vd_next == 0 {
                return None;
            }
            off = off.checked_add(usize::try_from(vd_next).ok()?)?;
        }
        None
    }
}
