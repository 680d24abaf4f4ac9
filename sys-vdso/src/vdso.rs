//! This process's vDSO: where it is (`AT_SYSINFO_EHDR`), how much of it may be read, and
//! pointers to its functions.
//!
//! # Trust model
//! The kernel (or qemu-user, which plays its part) maps the vDSO read-only for the life of the
//! process and puts its address in the auxiliary vector as `AT_SYSINFO_EHDR`. The size of the
//! mapping is not in the auxiliary vector. This module trusts exactly two things:
//! 1. `AT_SYSINFO_EHDR`, when present and nonzero, is the start of a readable mapping of at least
//!    4096 bytes (one page of the smallest page size Linux uses) that is never unmapped or
//!    written;
//! 2. the mapping is at least as long as its own program headers say: the furthest end of a
//!    `PT_LOAD` segment's file contents (`p_offset + p_filesz`), provided that the ELF header
//!    and the program header table lie within the first 4096 bytes and the length is at most
//!    [`MAX_LEN`].
//!
//! Everything else (hash tables, symbols, strings, versions, every offset and index) is read
//! through the bounds-checked parser in [`crate::image`], which never reads outside that length.
//!
//! # Stack
//! vDSO functions run on the caller's stack. Some kernel configurations use up to about a page
//! of stack in them (Go runs them on a larger system stack for this reason): a runtime with very
//! small stacks (green threads, signal stacks) should leave at least 4 KiB free.

use core::cell::UnsafeCell;
use core::mem::MaybeUninit;
use core::ptr::NonNull;
use core::sync::atomic::{AtomicU8, Ordering};

use crate::elf::{NativeLayout, ParseError};
use crate::image::{Headers, Image, Symbol, Symbols};

const EMPTY: u8 = 0;
const WRITING: u8 = 1;
const READY: u8 = 2;
const ABSENT: u8 = 3;

/// The parsed vDSO of this process, once found: written once by the first caller of
/// [`Vdso::get`], then read by everyone (a lock-free once: callers that find it being written
/// parse for themselves).
struct Cache {
    state: AtomicU8,
    value: UnsafeCell<MaybeUninit<Vdso>>,
}

// SAFETY: `value` is written once, before `state` becomes READY (Release), and only read after
// an Acquire load of READY.
unsafe impl Sync for Cache {}

static CACHE: Cache = Cache {
    state: AtomicU8::new(EMPTY),
    value: UnsafeCell::new(MaybeUninit::uninit()),
};

/// The most bytes the live path will treat as the vDSO image (a vDSO is a few pages; anything
/// larger means the headers are not what the kernel writes).
pub const MAX_LEN: usize = 1 << 20;

/// The bytes the first read may cover: one page of the smallest Linux page size.
const HEAD_LEN: usize = 4096;

/// This process's vDSO, parsed.
#[derive(Clone, Copy, Debug)]
pub struct Vdso {
    base: NonNull<u8>,
    image: Image<'static, NativeLayout>,
}

// SAFETY: `Vdso` refers to a read-only mapping that lives as long as the process (trust model in
// the module documentation); sharing or sending it between threads reads nothing mutable.
unsafe impl Send for Vdso {}
// SAFETY: as for `Send`.
unsafe impl Sync for Vdso {}

impl Vdso {
    /// Finds and parses this process's vDSO. `None` when there is none (qemu-user before 8.1,
    /// mips under qemu, a kernel booted with `vdso=0`, valgrind) or when it does not parse as an
    /// image for this machine. The first call parses the headers (about a microsecond in a fresh
    /// process, the auxiliary-vector lookup included); the
    /// result is kept, and later calls copy it.
    pub fn get() -> Option<Vdso> {
        match CACHE.state.load(Ordering::Acquire) {
            READY => {
                // SAFETY: READY is stored (Release) after the value, which is never written
                // again; the Acquire load above makes the write visible.
                return Some(unsafe { (*CACHE.value.get()).assume_init() });
            }
            ABSENT => return None,
            _ => {}
        }
        let v = Self::find();
        // One writer: whoever moves EMPTY to WRITING. Others (and a signal handler that
        // interrupts the writer) use the value they computed themselves.
        if CACHE
            .state
            .compare_exchange(EMPTY, WRITING, Ordering::Relaxed, Ordering::Relaxed)
            .is_ok()
        {
            let state = match v {
                Some(v) => {
                    // SAFETY: only the thread that won the exchange writes, exactly once, and
                    // nobody reads before READY.
                    unsafe { (*CACHE.value.get()).write(v) };
                    READY
                }
                None => ABSENT,
            };
            CACHE.state.store(state, Ordering::Release);
        }
        v
    }

    fn find() -> Option<Vdso> {
        let base = vdso_base()?;
        // SAFETY: trust model (module documentation): `vdso_base` returns the kernel's
        // AT_SYSINFO_EHDR, a mapping of at least a page as long as its program headers say.
        unsafe { Self::from_base(base) }.ok()
    }

    /// Parses the vDSO image mapped at `base`.
    ///
    /// # Safety
    /// `base` must be the start of a readable mapping of at least 4096 bytes that is as long as
    /// its own program headers say (the [trust model](crate::vdso)), and that stays mapped and
    /// unchanged for the rest of the process.
    ///
    /// # Errors
    /// [`ParseError`] when the mapping does not hold an image for this machine.
    pub unsafe fn from_base(base: NonNull<u8>) -> Result<Vdso, ParseError> {
        // SAFETY: the caller guarantees 4096 readable, immutable bytes at `base`.
        let head: &'static [u8] = unsafe { core::slice::from_raw_parts(base.as_ptr(), HEAD_LEN) };
        let h = Headers::<NativeLayout>::read(head)?;
        if !h.is_native() {
            return Err(ParseError::ForeignMachine);
        }
        let len = usize::try_from(h.load_end).map_err(|_| ParseError::Truncated)?;
        if len > MAX_LEN {
            return Err(ParseError::Truncated);
        }
        // SAFETY: `len` bytes are mapped (the caller's guarantee, point 2 of the trust model).
        let bytes: &'static [u8] = unsafe { core::slice::from_raw_parts(base.as_ptr(), len) };
        let image = Image::from_headers(bytes, &h)?;
        Ok(Vdso { base, image })
    }

    /// The address the image is mapped at (`AT_SYSINFO_EHDR`).
    pub fn base(&self) -> NonNull<u8> {
        self.base
    }

    /// The parsed image.
    pub fn image(&self) -> &Image<'static, NativeLayout> {
        &self.image
    }

    /// Looks a symbol up by name and version (see [`Image::lookup`]) and returns its address in
    /// this process: `riscv` `__vdso_riscv_hwprobe`, x86_64 `__vdso_sgx_enter_enclave`, i386
    /// `__kernel_vsyscall`, … Calling it is up to the caller, with the signature and calling
    /// convention the kernel documents for it.
    pub fn lookup(&self, name: &str, version: Option<&str>) -> Option<NonNull<()>> {
        // The offset alone: the entry-point slots resolve through here on a first call, cold.
        let off = self.image.offset_of(name, version)?;
        NonNull::new(self.base.as_ptr().wrapping_add(off).cast())
    }

    /// The address in this process of a symbol of this image.
    pub fn address(&self, symbol: &Symbol<'_>) -> Option<NonNull<()>> {
        let off = symbol.offset?;
        NonNull::new(self.base.as_ptr().wrapping_add(off).cast())
    }

    /// Every defined global or weak symbol the image exports (see [`Image::symbols`]).
    pub fn symbols(&self) -> Symbols<'static, NativeLayout> {
        self.image.symbols()
    }
}

/// The address of the vDSO's ELF header from the auxiliary vector (`AT_SYSINFO_EHDR`, through
/// sys-auxv, which has checked it for null, alignment and an ELF header for this machine), or
/// `None` when the process has no vDSO.
#[inline]
pub fn vdso_base() -> Option<NonNull<u8>> {
    sys_auxv::sysinfo_ehdr()
}
