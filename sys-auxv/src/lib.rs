//! The ELF auxiliary vector of the running process, typed, from every source, never
//! panicking.
//!
//! The kernel hands every process a list of `(AT_*, value)` pairs after its environment
//! (`getauxval(3)`, `fs/binfmt_elf.c`): the page size, the vDSO's address, CPU capability
//! bits, 16 random bytes, the program's headers and more. This crate finds that vector with
//! no libc, keeps it in static memory and answers lookups with a plain load:
//!
//! ```
//! let page = sys_auxv::page_size().expect("every Linux kernel passes AT_PAGESZ");
//! assert!(page.is_power_of_two());
//! // Generic lookup: `None` is "absent", `Some(0)` a real zero.
//! assert_eq!(sys_auxv::get(sys_auxv::Key::PAGESZ), Some(page));
//! for (key, value) in sys_auxv::iter() {
//!     println!("{key}: {value:#x}");
//! }
//! ```
//!
//! # Where the vector comes from
//! Each source is also usable on its own (module [`mod@source`]):
//! 1. [`init_from_stack`]: a no-libc entry point hands over the initial stack pointer;
//! 2. an `.init_array` function that glibc calls with `(argc, argv, envp)` before `main`:
//!    the vector follows `envp`'s NULL ([`source::init_array`]);
//! 3. `prctl(PR_GET_AUXV)` (Linux ≥ 6.4, [`source::prctl`]);
//! 4. `/proc/self/auxv` ([`source::procfs`]);
//! 5. libc's `getauxval`, with the `libc` feature (`source::libc`).
//!
//! **The default.** A program that calls [`init_from_stack`] uses the stack; an ordinary std
//! program on glibc gets the `.init_array` capture, which costs no system call and no file
//! and sees the vector the program was really started with (valgrind's under valgrind).
//! If nothing was captured (musl, whose start code passes no arguments to `.init_array`
//! functions; a library `dlopen`ed after `setenv`; a no-libc program that did not call
//! [`init_from_stack`]), the first lookup runs a fallback chain: libc's `getauxval` (only
//! with the `libc` feature), then `/proc/self/auxv`, then `prctl(PR_GET_AUXV)`. `/proc`
//! comes before `prctl` because valgrind and qemu-user intercept the file and serve the
//! vector they built for the program, while `prctl` reaches the kernel, which under valgrind
//! describes valgrind itself (a vDSO the program does not have: peers that ask `prctl` first
//! crash there) and which qemu-user 10 does not implement. `prctl` still covers `/proc`-less
//! sandboxes. Under valgrind `/proc` is always there (valgrind itself exits with "can't
//! open /proc/self/maps" without it), so the fallback never reaches `prctl` there.
//! [`source()`] says which source was used.
//!
//! # Validation
//! Parsing never panics: a vector without `AT_NULL`, truncated, longer than [`CAPACITY`]
//! entries is an [`Error`]; a key present several times with different values, an absurd
//! value (a page size that is not a power of two, a program header size that is not this
//! target's, a misaligned pointer) makes the lookup `None`. Pointer values are checked for
//! null and alignment, and the vDSO base must point at an ELF shared object for this
//! machine ([`sysinfo_ehdr`]). The parser over bytes ([`Auxv::parse`]) has a fuzz target
//! (`fuzz/`) and runs under Miri.
//!
//! # Cost
//! After initialisation every function here reads statics only (one `Acquire` load of the
//! state, then a precomputed value or a bit test and a load in the table by key): no system
//! call, no lock, no allocation. The exceptions are [`execfn`], [`platform`] and
//! [`base_platform`], which also find their string's NUL on each call (up to 4096 or 256
//! bytes), and [`snapshot`] and [`iter`], which copy the vector. At start-up a capture only
//! records where the vector is (a walk over the environment, four stores); the first lookup
//! parses it from there (about 25 pairs, no system call) and checks the vDSO's ELF header,
//! or, without a capture, runs the fallback (`open`/`read`/`close` of `/proc/self/auxv`). All
//! state is in zeroed statics (`.bss`).
#![no_std]

mod key;
mod parse;
pub mod source;
mod store;
mod valid;

use core::ffi::{CStr, c_char};
use core::ptr::NonNull;

pub use key::{Format, Key};
pub use parse::{Auxv, CAPACITY, Error, IntoIter, Iter};
pub use source::Source;

/// The value of `key` in the process's vector: `None` if it is absent (or a padding key, or
/// present twice with different values), `Some(0)` for a real zero.
#[inline]
pub fn get(key: Key) -> Option<usize> {
    store::with(|s| s.auxv.get(key))
}

/// The entries of the process's vector, in the order the source gave them (a copy: the
/// iterator owns it).
pub fn iter() -> IntoIter {
    snapshot().into_iter()
}

/// A copy of the process's vector.
pub fn snapshot() -> Auxv {
    store::with(|s| s.auxv.clone())
}

/// The source the process's vector came from; `None` if every source failed (then every
/// lookup answers `None`).
pub fn source() -> Option<Source> {
    store::with(|s| s.source())
}

/// The page size (`AT_PAGESZ`), validated (a power of two from 4 KiB to 256 MiB).
#[inline]
pub fn page_size() -> Option<usize> {
    store::with(|s| s.page_size)
}

/// The frequency of `times()` (`AT_CLKTCK`, what `sysconf(_SC_CLK_TCK)` returns).
#[inline]
pub fn clock_ticks() -> Option<usize> {
    store::with(|s| s.auxv.clock_ticks())
}

/// CPU capability bits (`AT_HWCAP`), the kernel's value (glibc's `getauxval` gives its own
/// on x86).
#[inline]
pub fn hwcap() -> Option<usize> {
    store::with(|s| s.auxv.hwcap())
}

/// More CPU capability bits (`AT_HWCAP2`).
#[inline]
pub fn hwcap2() -> Option<usize> {
    store::with(|s| s.auxv.hwcap2())
}

/// More CPU capability bits (`AT_HWCAP3`, Linux 6.14).
#[inline]
pub fn hwcap3() -> Option<usize> {
    store::with(|s| s.auxv.hwcap3())
}

/// More CPU capability bits (`AT_HWCAP4`, Linux 6.14).
#[inline]
pub fn hwcap4() -> Option<usize> {
    store::with(|s| s.auxv.hwcap4())
}

/// The 16 random bytes the kernel placed for the process (`AT_RANDOM`; glibc uses them
/// for the stack protector and pointer guard, so they are not secret from the program).
#[inline]
pub fn random_bytes() -> Option<&'static [u8; 16]> {
    store::with(|s| s.random())
}

/// The file name the program was executed as (`AT_EXECFN`), if it ends within 4096 bytes.
/// Each call finds the string's end again (a scan, not a load: the first lookup of a process
/// does not touch the string).
#[inline]
pub fn execfn() -> Option<&'static CStr> {
    store::with(|s| s.execfn())
}

/// The string naming the CPU for optimised libraries (`AT_PLATFORM`, e.g. `x86_64`), if it
/// ends within 256 bytes. Each call finds the string's end again, like [`execfn`].
#[inline]
pub fn platform() -> Option<&'static CStr> {
    store::with(|s| s.platform())
}

/// The string naming the real platform (`AT_BASE_PLATFORM`, powerpc), if it ends within
/// 256 bytes. Each call finds the string's end again, like [`execfn`].
#[inline]
pub fn base_platform() -> Option<&'static CStr> {
    store::with(|s| s.base_platform())
}

/// Whether the process runs in secure mode (`AT_SECURE`, or real and effective IDs
/// differ; see [`Auxv::secure`]). `true` when the vector is unavailable: callers use this to
/// decide whether to trust the environment, so the unknown case errs on the safe side.
#[inline]
pub fn is_secure() -> bool {
    store::with(|s| s.secure())
}

/// The program's entry point (`AT_ENTRY`).
#[inline]
pub fn entry() -> Option<usize> {
    store::with(|s| s.auxv.entry())
}

/// The address of the program's ELF program headers (`AT_PHDR`).
#[inline]
pub fn phdr() -> Option<NonNull<u8>> {
    store::with(|s| s.auxv.phdr())
}

/// The size of a program header (`AT_PHENT`), if it is this target's.
#[inline]
pub fn phent() -> Option<usize> {
    store::with(|s| s.auxv.phent())
}

/// The number of program headers (`AT_PHNUM`).
#[inline]
pub fn phnum() -> Option<usize> {
    store::with(|s| s.auxv.phnum())
}

/// The base address of the program interpreter (`AT_BASE`); `None` for a static program.
#[inline]
pub fn interpreter_base() -> Option<NonNull<u8>> {
    store::with(|s| s.auxv.interpreter_base())
}

/// The real user ID at `execve` (`AT_UID`).
#[inline]
pub fn uid() -> Option<u32> {
    store::with(|s| s.auxv.uid())
}

/// The effective user ID at `execve` (`AT_EUID`).
#[inline]
pub fn euid() -> Option<u32> {
    store::with(|s| s.auxv.euid())
}

/// The real group ID at `execve` (`AT_GID`).
#[inline]
pub fn gid() -> Option<u32> {
    store::with(|s| s.auxv.gid())
}

/// The effective group ID at `execve` (`AT_EGID`).
#[inline]
pub fn egid() -> Option<u32> {
    store::with(|s| s.auxv.egid())
}

/// The minimal stack size for signal delivery on this CPU (`AT_MINSIGSTKSZ`).
#[inline]
pub fn minsigstksz() -> Option<usize> {
    store::with(|s| s.auxv.minsigstksz())
}

/// The i386 vsyscall entry point (`AT_SYSINFO`; `None` elsewhere).
#[inline]
pub fn sysinfo() -> Option<usize> {
    store::with(|s| s.auxv.sysinfo())
}

/// The base of the vDSO (`AT_SYSINFO_EHDR`), validated: non-null, page-aligned, mapped,
/// and an ELF shared object (`ET_DYN`) of this machine's class, byte order and `e_machine`.
/// `None` when there is no vDSO (valgrind hides it; qemu-user before 10 has none).
#[inline]
pub fn sysinfo_ehdr() -> Option<NonNull<u8>> {
    store::with(|s| NonNull::new(core::ptr::with_exposed_provenance_mut(s.sysinfo_ehdr)))
}

/// Hands the initial stack pointer to the crate: records where argc, argv, envp and the
/// vector are (a walk over envp and four stores: no system call, no allocation, nothing
/// parsed yet); the first lookup parses the vector from there, again without a system call.
/// [`args`] and [`envp`] return what was recorded.
///
/// For a no-libc entry point; call it first, before anything asks for the vector and before
/// other threads exist (if a lookup came first, the fallback chain has filled the store, which
/// stays as it is; argc, argv and envp are recorded all the same). A null `sp` is ignored; a
/// vector longer than [`CAPACITY`] entries makes the first lookup use the fallback chain.
///
/// # Safety
/// `sp` is the stack pointer at process entry, pointing at `argc`, followed by `argv` and
/// its NULL, `envp` and its NULL, and the auxiliary vector ending with `AT_NULL`, as the
/// kernel lays them out; that memory stays mapped and is not modified for the life of the
/// process.
pub unsafe fn init_from_stack(sp: *const usize) {
    // SAFETY: the caller's contract is `locate`'s.
    if let Ok(layout) = unsafe { source::stack::locate(sp) } {
        // SAFETY: `layout` describes the initial stack (caller's contract).
        unsafe { store::capture(layout, Source::Stack) };
    }
}

/// `argc` and `argv` as captured at start-up by [`init_from_stack`] or the glibc
/// `.init_array` function; `None` if neither ran. `argv` has `argc` entries and a NULL, on
/// the initial stack.
pub fn args() -> Option<(usize, *const *const c_char)> {
    store::captured_layout().map(|(_, l)| (l.argc, l.argv))
}

/// The environment as it was at process entry (the initial stack's NULL-terminated array,
/// not the current `environ`), captured like [`args`].
pub fn envp() -> Option<*const *const c_char> {
    store::captured_layout().map(|(_, l)| l.envp)
}

#[cfg(test)]
mod tests;
