//! Plausibility checks for auxiliary vector values, and the check that `AT_SYSINFO_EHDR`
//! points at an ELF header for this machine.
//!
//! Facts: the ELF header layout and `e_machine` values from the System V gABI (`elf.h`:
//! `EM_386` 3, `EM_MIPS` 8, `EM_PPC64` 21, `EM_S390` 22, `EM_ARM` 40, `EM_X86_64` 62,
//! `EM_AARCH64` 183, `EM_RISCV` 243, `EM_LOONGARCH` 258); the vDSO is an `ET_DYN` object mapped
//! at a page boundary (`arch/*/kernel/vdso.c`); every Linux architecture Rust supports has
//! pages of at least 4 KiB.

use core::ptr::NonNull;

/// The smallest page size of any supported architecture.
pub(crate) const MIN_PAGE: usize = 4096;
/// The largest page size accepted as plausible (hexagon's largest is 256 KiB; 256 MiB leaves
/// a wide margin while still rejecting garbage).
const MAX_PAGE: usize = 1 << 28;
/// `AT_MINSIGSTKSZ` values from here on are rejected (x86 with AMX asks for ~11 KiB).
pub(crate) const MAX_MINSIGSTKSZ: usize = 1 << 24;

/// `sizeof(ElfN_Phdr)` for this target.
#[cfg(target_pointer_width = "64")]
pub(crate) const PHDR_SIZE: usize = 56;
/// `sizeof(ElfN_Phdr)` for this target.
#[cfg(target_pointer_width = "32")]
pub(crate) const PHDR_SIZE: usize = 32;

/// `e_machine` of this target's ELF objects.
#[cfg(target_arch = "x86_64")]
const EM_THIS: u16 = 62;
#[cfg(target_arch = "x86")]
const EM_THIS: u16 = 3;
#[cfg(target_arch = "aarch64")]
const EM_THIS: u16 = 183;
#[cfg(target_arch = "arm")]
const EM_THIS: u16 = 40;
#[cfg(target_arch = "riscv64")]
const EM_THIS: u16 = 243;
#[cfg(target_arch = "powerpc64")]
const EM_THIS: u16 = 21;
#[cfg(target_arch = "s390x")]
const EM_THIS: u16 = 22;
#[cfg(target_arch = "loongarch64")]
const EM_THIS: u16 = 258;
#[cfg(any(target_arch = "mips", target_arch = "mips64"))]
const EM_THIS: u16 = 8;

/// `e_ident[EI_CLASS]`: `ELFCLASS64` (2) or `ELFCLASS32` (1).
const CLASS_THIS: u8 = if cfg!(target_pointer_width = "64") {
    2
} else {
    1
};
/// `e_ident[EI_DATA]`: `ELFDATA2LSB` (1) or `ELFDATA2MSB` (2).
const DATA_THIS: u8 = if cfg!(target_endian = "little") { 1 } else { 2 };
/// `e_type` of a shared object.
const ET_DYN: u16 = 3;

/// Whether `v` is a plausible page size.
#[inline]
pub(crate) fn page_size(v: usize) -> bool {
    v.is_power_of_two() && (MIN_PAGE..=MAX_PAGE).contains(&v)
}

/// `v` as a pointer, if non-null and a multiple of `align` (a power of two).
#[inline]
pub(crate) fn pointer(v: usize, align: usize) -> Option<NonNull<u8>> {
    if !v.is_multiple_of(align) {
        return None;
    }
    NonNull::new(core::ptr::with_exposed_provenance_mut(v))
}

/// Whether `base` points at an ELF header of a shared object for this machine: magic, class,
/// byte order, version, `e_type == ET_DYN`, `e_machine`.
///
/// # Safety
/// The first 20 bytes at `base` are readable.
pub(crate) unsafe fn is_vdso_header(base: NonNull<u8>) -> bool {
    let mut h = [0u8; 20];
    // SAFETY: the caller guarantees 20 readable bytes at `base`; `h` is a distinct local.
    unsafe { core::ptr::copy_nonoverlapping(base.as_ptr(), h.as_mut_ptr(), h.len()) };
    let e_type = u16::from_ne_bytes([h[16], h[17]]);
    let e_machine = u16::from_ne_bytes([h[18], h[19]]);
    h[..4] == *b"\x7fELF"
        && h[4] == CLASS_THIS
        && h[5] == DATA_THIS
        && h[6] == 1
        && e_type == ET_DYN
        && e_machine == EM_THIS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_sizes() {
        assert!(page_size(4096));
        assert!(page_size(65536));
        assert!(!page_size(0));
        assert!(!page_size(4095));
        assert!(!page_size(1024));
        assert!(!page_size(3 * 4096));
        assert!(!page_size(1 << 30));
        assert!(!page_size(usize::MAX));
    }

    #[test]
    fn pointers() {
        assert_eq!(pointer(0, 1), None);
        assert_eq!(pointer(4097, 4096), None);
        assert!(pointer(8192, 4096).is_some());
        assert!(pointer(usize::MAX, 1).is_some());
    }

    #[test]
    fn elf_header_check() {
        let mut h = [0u8; 64];
        h[..4].copy_from_slice(b"\x7fELF");
        h[4] = CLASS_THIS;
        h[5] = DATA_THIS;
        h[6] = 1;
        h[16..18].copy_from_slice(&ET_DYN.to_ne_bytes());
        h[18..20].copy_from_slice(&EM_THIS.to_ne_bytes());
        // SAFETY: `h` has 64 readable bytes.
        assert!(unsafe { is_vdso_header(NonNull::from(&h).cast()) });
        let mut wrong = h;
        wrong[18] ^= 1;
        // SAFETY: as above.
        assert!(!unsafe { is_vdso_header(NonNull::from(&wrong).cast()) });
        let mut wrong = h;
        wrong[4] = 3 - CLASS_THIS;
        // SAFETY: as above.
        assert!(!unsafe { is_vdso_header(NonNull::from(&wrong).cast()) });
    }
}
