//! The auxiliary vector (sys-auxv) checked without std, so that the no-libc harness runs it
//! on every architecture (loongarch64 included) with the vector its own `_start` handed to
//! `sys_auxv::init_from_stack`, and the std suite runs it with the `.init_array` capture (or,
//! on musl, the fallback). Oracles: the kernel's `/proc/self/auxv` and `prctl(PR_GET_AUXV)`
//! (qemu-user implements the first, not the second), and the ELF header of the vDSO.

use libsys::Errno;
use libsys::sys_auxv::{self, Auxv, Error, Key, Source, source};

/// Whether `other` is the same vector as the process's (entry by entry; key by key when the
/// process's came from libc's `getauxval`, which has no order).
fn same(ours: &Auxv, other: &Auxv) -> bool {
    if sys_auxv::source() == Some(Source::Libc) {
        other.page_size() == ours.page_size()
    } else {
        ours == other
    }
}

/// The process's vector: from the start-up capture when there was one, equal to what
/// `/proc/self/auxv`, `prctl(PR_GET_AUXV)` and the stack say.
pub(super) fn auxv_sources_agree() -> Result<(), &'static str> {
    let from = sys_auxv::source().ok_or("no auxiliary vector from any source")?;
    let ours = sys_auxv::snapshot();
    if ours.len() < 10 {
        return Err("fewer than 10 auxv entries");
    }
    if sys_auxv::page_size().is_none() {
        return Err("no valid AT_PAGESZ");
    }
    if source::init_array::captured() && from != Source::InitArray {
        return Err("the .init_array capture ran but the store came from elsewhere");
    }
    if let Some((argc, argv)) = sys_auxv::args() {
        if !matches!(from, Source::Stack | Source::InitArray) {
            return Err("argv was captured but the store came from a fallback");
        }
        // The stack source again, from argc's slot below argv (glibc's arm start code reuses
        // that word before .init_array runs: then there is nothing to compare).
        let sp = argv.cast::<usize>().wrapping_sub(1);
        // SAFETY: argv is on the initial stack; the word before it is argc's slot.
        if unsafe { sp.read() } == argc {
            // SAFETY: `sp` points at argc on the kernel's initial stack.
            let stack = unsafe { source::stack::read(sp) }.map_err(|_| "stack source failed")?;
            if !same(&ours, &stack) {
                return Err("the stack source differs from the process vector");
            }
        }
    }
    match source::procfs::read() {
        Ok(v) if !same(&ours, &v) => return Err("/proc/self/auxv differs"),
        Ok(_) | Err(Error::Syscall(Errno::ENOENT)) => {}
        Err(_) => return Err("/proc/self/auxv unreadable"),
    }
    match source::prctl::read() {
        Ok(v) if !same(&ours, &v) => return Err("prctl(PR_GET_AUXV) differs"),
        // Before Linux 6.4, and under qemu-user: EINVAL.
        Ok(_) | Err(Error::Syscall(Errno::EINVAL)) => {}
        Err(_) => return Err("prctl(PR_GET_AUXV) failed"),
    }
    Ok(())
}

/// The typed getters agree with the raw entries, and the vDSO base is an ELF header.
pub(super) fn auxv_typed_getters_are_consistent() -> Result<(), &'static str> {
    let page = sys_auxv::page_size().ok_or("no page size")?;
    if sys_auxv::get(Key::PAGESZ) != Some(page) || !page.is_power_of_two() {
        return Err("page size");
    }
    if sys_auxv::phent().is_none() || sys_auxv::phnum().is_none() || sys_auxv::phdr().is_none() {
        return Err("program headers (AT_PHDR/AT_PHENT/AT_PHNUM)");
    }
    if sys_auxv::is_secure() {
        return Err("secure mode in a test run");
    }
    let random = sys_auxv::random_bytes().ok_or("no AT_RANDOM")?;
    if random.as_ptr().addr() != sys_auxv::get(Key::RANDOM).unwrap_or(0) {
        return Err("random_bytes() is not AT_RANDOM");
    }
    let execfn = sys_auxv::execfn().ok_or("no AT_EXECFN")?;
    if execfn.is_empty() {
        return Err("empty AT_EXECFN");
    }
    match (sys_auxv::get(Key::SYSINFO_EHDR), sys_auxv::sysinfo_ehdr()) {
        (Some(_), _) if super::expected_vdso() == Some(false) => {
            return Err("a vDSO, but SYS_VDSO_EXPECT=absent");
        }
        (Some(raw), Some(p)) if raw == p.as_ptr().addr() => {
            // SAFETY: sysinfo_ehdr() checked an ELF header there.
            let magic = unsafe { core::slice::from_raw_parts(p.as_ptr(), 4) };
            if magic != b"\x7fELF" {
                return Err("vDSO magic");
            }
        }
        (None, None) if super::expected_vdso() == Some(true) => {
            return Err("no vDSO, but SYS_VDSO_EXPECT=present");
        }
        // qemu-user gives mips guests no vDSO, and qemu 7.2 gives none to any guest.
        (None, None) => {}
        _ => return Err("AT_SYSINFO_EHDR rejected by validation"),
    }
    Ok(())
}
