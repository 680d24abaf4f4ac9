//! Stand-in for `sys_auxv::sysinfo_ehdr()` until sys-auxv provides it: `AT_SYSINFO_EHDR` (33,
//! `<linux/auxvec.h>`) read once from `/proc/self/auxv` (proc(5)) with raw system calls, cached.

use core::ptr::NonNull;
use core::sync::atomic::{AtomicUsize, Ordering::Relaxed};

use sys_core::{fd::AT_FDCWD, nr, syscall};

const AT_NULL: usize = 0;
const AT_SYSINFO_EHDR: usize = 33;
const UNKNOWN: usize = 0;
const NONE: usize = 1;

static CACHE: AtomicUsize = AtomicUsize::new(UNKNOWN);

/// The vDSO's address from the auxiliary vector, or `None`.
pub(crate) fn sysinfo_ehdr() -> Option<NonNull<u8>> {
    let mut v = CACHE.load(Relaxed);
    if v == UNKNOWN {
        v = read().unwrap_or(NONE);
        CACHE.store(v, Relaxed);
    }
    if v == NONE {
        return None;
    }
    NonNull::new(core::ptr::with_exposed_provenance_mut(v))
}

fn read() -> Option<usize> {
    // SAFETY: the path is a valid C string; the descriptor is ours and closed below.
    let fd = unsafe { syscall!(nr::openat, AT_FDCWD, c"/proc/self/auxv".as_ptr(), 0, 0) }.ok()?;
    let mut buf = [0usize; 512];
    let mut filled = 0usize;
    let cap = core::mem::size_of_val(&buf);
    while filled < cap {
        let p = buf.as_mut_ptr().cast::<u8>().wrapping_add(filled);
        // SAFETY: `p .. p + cap - filled` lies inside `buf`.
        match unsafe { syscall!(nr::read, fd, p, cap - filled) } {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(sys_core::Errno::EINTR) => continue,
            Err(_) => break,
        }
    }
    // SAFETY: `fd` was opened above and is not used after this.
    let _ = unsafe { syscall!(nr::close, fd) };
    let words = filled / core::mem::size_of::<usize>();
    let mut found = None;
    for pair in buf.get(..words)?.chunks_exact(2) {
        match (pair.first(), pair.get(1)) {
            (Some(&AT_NULL), _) => break,
            (Some(&AT_SYSINFO_EHDR), Some(&v)) if v != 0 => found = Some(v),
            _ => {}
        }
    }
    found
}
