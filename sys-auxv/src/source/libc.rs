//! Source: libc's `getauxval(3)` (feature `libc`), asked for every key this crate knows.
//!
//! glibc and musl read the vector from the stack at start-up, so this is right under
//! valgrind and needs no `/proc`; but it cannot list keys the crate does not know, keeps no
//! order, and glibc answers `AT_HWCAP`/`AT_HWCAP2` from its own copies (on x86 `AT_HWCAP` is
//! glibc's `HWCAP_X86_*` value, not the kernel's). An absent key is told from a zero by
//! `errno == ENOENT` (glibc ≥ 2.19, musl).

use crate::key::Key;
use crate::parse::{Auxv, Error};

/// Builds a vector from `getauxval` for each of [`Key::ALL`] (padding keys excepted), in key
/// order.
///
/// # Errors
/// [`Error::Unavailable`] if libc reports no key at all.
pub fn read() -> Result<Auxv, Error> {
    let mut auxv = Auxv::EMPTY;
    fill(&mut auxv)?;
    Ok(auxv)
}

/// [`read`] into `auxv`, in place.
pub(crate) fn fill(auxv: &mut Auxv) -> Result<(), Error> {
    let present = Key::ALL
        .iter()
        .filter(|k| !k.is_padding())
        .filter_map(|&k| get(k).map(|v| (k.raw(), v)));
    auxv.fill(present.chain([(0, 0)]))?;
    if auxv.is_empty() {
        return Err(Error::Unavailable);
    }
    Ok(())
}

/// `getauxval(key)`, `None` if libc says `ENOENT`.
pub fn get(key: Key) -> Option<usize> {
    // SAFETY: `__errno_location` returns this thread's errno, valid for writes; getauxval
    // only reads libc's copy of the vector.
    unsafe {
        let errno = ::libc::__errno_location();
        *errno = 0;
        let v = ::libc::getauxval(key.raw() as ::libc::c_ulong);
        if *errno == ::libc::ENOENT {
            None
        } else {
            Some(v as usize)
        }
    }
}
