//! Out-of-line system call stubs in one linker section, and the manifest of their call sites
//! (feature `outline`).
//!
//! With the feature on, no system call instruction of libsys is inlined into its caller: every
//! call ([`syscall!`](crate::syscall), the `#[syscall]` wrappers, sys-vdso's fallbacks,
//! sys-auxv, sys-rt) goes through [`crate::call::invoke`] to a small function in the section
//! `libsys_stubs`, whose bounds the linker exports as `__start_libsys_stubs` and
//! `__stop_libsys_stubs` (a section with a C-identifier name gets them from GNU ld and lld
//! alike). That is what lets a seccomp filter or Syscall User Dispatch allow system calls from
//! libsys only — the Linux counterpart of OpenBSD's `msyscall(2)`.
//!
//! There is one stub per syscall number the program uses with a constant number (a declared
//! wrapper, or `syscall!` with a path such as `nr::write` or a literal): number N is made by
//! stub N's instruction and by no other, so a filter can pin it there (OpenBSD's
//! `pinsyscalls(2)`). A number known only at run time goes through the one generic stub.
//!
//! Each stub records itself in the section `libsys_manifest`: its number (or the generic
//! marker) and the address right after its syscall instruction — the instruction pointer the
//! kernel reports for the call (seccomp's `instruction_pointer`). [`manifest`] reads it at run
//! time; the same section can be read from the ELF file by a tool. Entries are 8 bytes: the
//! number as a 32-bit word, then the signed 32-bit distance from that word (plus 4) to the
//! address; both are fixed by the static linker, so the section needs no relocation at run
//! time.
//!
//! The manifest lists what the linked program *contains*, which can be more than one run
//! makes: a stub that only unused code calls is kept too (the section is `SHF_GNU_RETAIN`).
//!
//! ```
//! # #[cfg(feature = "outline")] {
//! use sys_core::{nr, outline, syscall_readonly};
//!
//! // SAFETY: getppid takes no arguments and writes no memory.
//! let _ = unsafe { syscall_readonly!(nr::getppid) };
//! let stubs = outline::stubs();
//! let site = outline::manifest().find(|s| s.nr == Some(nr::getppid)).unwrap();
//! assert!(stubs.contains(&site.ip));
//! # }
//! ```

use core::ops::Range;

use crate::stubs::GENERIC;
/// The manifest word of the marker entry that makes sure both sections exist.
const MARKER: usize = 0xFFFF_FFFE;

/// Never called: its address is taken by [`stubs`] and [`manifest`], so that both sections
/// exist (and the linker defines their bounds) even in a program that makes no system call.
/// Its body is nothing but a manifest entry with the marker word.
#[inline(never)]
#[unsafe(link_section = "libsys_stubs")]
extern "C" fn marker() {
    // SAFETY: the asm emits only data into the manifest section; it executes nothing.
    unsafe {
        core::arch::asm!(site!(), site = const MARKER, options(nomem, nostack, preserves_flags))
    }
}

unsafe extern "C" {
    static __start_libsys_stubs: u8;
    static __stop_libsys_stubs: u8;
    static __start_libsys_manifest: [u32; 0];
    static __stop_libsys_manifest: [u32; 0];
}

/// The addresses of the `libsys_stubs` section: every system call instruction libsys executes
/// lies in it.
#[must_use]
pub fn stubs() -> Range<usize> {
    core::hint::black_box(marker as extern "C" fn());
    // Only the addresses of the linker-defined symbols are taken (no read: no `unsafe`).
    (&raw const __start_libsys_stubs) as usize..(&raw const __stop_libsys_stubs) as usize
}

/// One call site of the manifest.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Site {
    /// The system call number this stub makes, or `None` for the generic stub (numbers known
    /// only at run time, such as `syscall!(n, …)` with a variable).
    pub nr: Option<usize>,
    /// The address right after the stub's syscall instruction: what the kernel reports as the
    /// instruction pointer of the call (seccomp's `instruction_pointer`).
    pub ip: usize,
}

/// Every stub the program contains, in link order: the syscall numbers this program can make
/// through libsys, and from where. A number may appear more than once (a stub instantiated in
/// several codegen units).
pub fn manifest() -> Manifest {
    core::hint::black_box(marker as extern "C" fn());
    // Only the addresses of the linker-defined symbols are taken (no read: no `unsafe`).
    let start = (&raw const __start_libsys_manifest).cast::<u32>();
    let end = (&raw const __stop_libsys_manifest).cast::<u32>();
    Manifest { next: start, end }
}

/// The iterator [`manifest`] returns.
#[derive(Clone, Debug)]
pub struct Manifest {
    next: *const u32,
    end: *const u32,
}

impl Iterator for Manifest {
    type Item = Site;

    fn next(&mut self) -> Option<Site> {
        loop {
            if (self.end as usize).saturating_sub(self.next as usize) < 8 {
                return None;
            }
            let word = self.next;
            // SAFETY: `word` and `word + 1` lie in the manifest section, which holds whole
            // 8-byte, 4-aligned entries written by the `site!` asm.
            let (nr, rel) = unsafe { (word.read() as usize, word.add(1).read() as i32) };
            // SAFETY: as above; the next entry starts 8 bytes on (or at the end).
            self.next = unsafe { word.add(2) };
            let ip = (word as usize)
                .wrapping_add(4)
                .wrapping_add(rel as isize as usize);
            let nr = match nr {
                MARKER => continue,
                GENERIC => None,
                n => Some(n),
            };
            return Some(Site { nr, ip });
        }
    }
}
