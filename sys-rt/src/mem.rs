//! `memcpy`, `memmove`, `memset`, `memcmp`, `bcmp` and `strlen` for programs without libc.
//!
//! Facts: rustup's prebuilt `core` and `compiler_builtins` for Linux targets leave these
//! undefined (the C library normally provides them), and LLVM emits calls to them for copies,
//! fills and comparisons in any crate; `core::ffi::CStr::from_ptr` calls `strlen`. Semantics
//! per C11 7.24 (`string.h`) and POSIX (`bcmp`: zero iff equal).
//!
//! Every access is volatile (`read_volatile`/`write_volatile`), so LLVM cannot recognise a loop
//! here as a copy, fill or comparison idiom and compile it into a call to the very function it
//! implements (which would recurse forever); `#![no_builtins]` would do the same for the whole
//! crate, but it also keeps the crate out of LTO and stops its `#[inline]` functions from
//! being inlined into callers. The copies move a word at a time when source and destination are
//! equally aligned, else a byte at a time: small and correct, not tuned; a program that copies a
//! lot should bring an optimised implementation (or use
//! `-Zbuild-std-features=compiler-builtins-mem` on nightly and leave the `mem` feature off).
//!
//! The exported symbols exist only with the `mem` feature and never in this crate's own unit
//! tests (they would replace the C library's in the test binary); the tests call the functions
//! by their Rust names.

const W: usize = size_of::<usize>();

/// Copies `n` bytes from `s` to `d`, lowest address first.
///
/// # Safety
/// `s[..n]` readable, `d[..n]` writable; if they overlap, `d` is not after `s`.
pub(crate) unsafe fn copy_forward(mut d: *mut u8, mut s: *const u8, mut n: usize) {
    // SAFETY: every access is inside `d[..n]`/`s[..n]` (the counts below never exceed `n`);
    // word accesses happen only at addresses that are multiples of `W`, for both pointers (they
    // are equally aligned), so they are aligned. Forward order is correct when `d` is not after
    // `s` (each byte is read before a write can reach it).
    unsafe {
        if n >= 2 * W && (d as usize ^ s as usize).is_multiple_of(W) {
            while !(d as usize).is_multiple_of(W) {
                d.write_volatile(s.read_volatile());
                d = d.add(1);
                s = s.add(1);
                n -= 1;
            }
            while n >= W {
                d.cast::<usize>()
                    .write_volatile(s.cast::<usize>().read_volatile());
                d = d.add(W);
                s = s.add(W);
                n -= W;
            }
        }
        while n > 0 {
            d.write_volatile(s.read_volatile());
            d = d.add(1);
            s = s.add(1);
            n -= 1;
        }
    }
}

/// Copies `n` bytes from `s` to `d`, highest address first.
///
/// # Safety
/// `s[..n]` readable, `d[..n]` writable; if they overlap, `d` is not before `s`.
pub(crate) unsafe fn copy_backward(d: *mut u8, s: *const u8, mut n: usize) {
    // SAFETY: as in `copy_forward`, mirrored: `de`/`se` walk down from one past the end and
    // never below `d`/`s`; backward order is correct when `d` is not before `s`.
    unsafe {
        let (mut de, mut se) = (d.add(n), s.add(n));
        if n >= 2 * W && (d as usize ^ s as usize).is_multiple_of(W) {
            while !(de as usize).is_multiple_of(W) {
                de = de.sub(1);
                se = se.sub(1);
                de.write_volatile(se.read_volatile());
                n -= 1;
            }
            while n >= W {
                de = de.sub(W);
                se = se.sub(W);
                de.cast::<usize>()
                    .write_volatile(se.cast::<usize>().read_volatile());
                n -= W;
            }
        }
        while n > 0 {
            de = de.sub(1);
            se = se.sub(1);
            de.write_volatile(se.read_volatile());
            n -= 1;
        }
    }
}

/// `memmove`: copies `n` bytes from `s` to `d`, which may overlap.
///
/// # Safety
/// `s[..n]` readable, `d[..n]` writable.
pub(crate) unsafe fn move_bytes(d: *mut u8, s: *const u8, n: usize) {
    // `d - s` (wrapping) is below `n` exactly when `d` lies inside `s[..n]` after `s`: only then
    // does a forward copy overwrite bytes before reading them.
    if (d as usize).wrapping_sub(s as usize) >= n {
        // SAFETY: the caller's bounds; `d` is before `s` or the ranges do not overlap.
        unsafe { copy_forward(d, s, n) }
    } else {
        // SAFETY: the caller's bounds; `d` is after `s`.
        unsafe { copy_backward(d, s, n) }
    }
}

/// `memset`: writes `n` copies of `c` at `d`.
///
/// # Safety
/// `d[..n]` writable.
pub(crate) unsafe fn fill(mut d: *mut u8, c: u8, mut n: usize) {
    // SAFETY: writes stay inside `d[..n]`; word writes happen at multiples of `W` only.
    unsafe {
        if n >= 2 * W {
            while !(d as usize).is_multiple_of(W) {
                d.write_volatile(c);
                d = d.add(1);
                n -= 1;
            }
            let word = usize::from_ne_bytes([c; W]);
            while n >= W {
                d.cast::<usize>().write_volatile(word);
                d = d.add(W);
                n -= W;
            }
        }
        while n > 0 {
            d.write_volatile(c);
            d = d.add(1);
            n -= 1;
        }
    }
}

/// `memcmp`: the difference of the first unequal bytes (as unsigned char), or 0.
///
/// # Safety
/// `a[..n]` and `b[..n]` readable.
pub(crate) unsafe fn compare(a: *const u8, b: *const u8, n: usize) -> i32 {
    let mut i = 0;
    while i < n {
        // SAFETY: `i < n`, inside both ranges.
        let (x, y) = unsafe { (a.add(i).read_volatile(), b.add(i).read_volatile()) };
        if x != y {
            return i32::from(x) - i32::from(y);
        }
        i += 1;
    }
    0
}

/// `strlen`: the number of bytes before the first NUL.
///
/// # Safety
/// `s` points to a NUL-terminated string.
pub(crate) unsafe fn str_len(s: *const u8) -> usize {
    let mut n = 0;
    // SAFETY: every byte read is before the NUL the caller guarantees.
    while unsafe { s.add(n).read_volatile() } != 0 {
        n += 1;
    }
    n
}

/// The C symbols, with the `mem` feature, outside this crate's unit tests.
#[cfg(all(feature = "mem", not(test)))]
mod symbols {
    use core::ffi::{c_char, c_int};

    /// C `memcpy`.
    ///
    /// # Safety
    /// `src[..n]` readable, `dest[..n]` writable, not overlapping.
    #[unsafe(no_mangle)]
    unsafe extern "C" fn memcpy(dest: *mut u8, src: *const u8, n: usize) -> *mut u8 {
        // SAFETY: the caller's contract; non-overlapping ranges are fine for a forward copy.
        unsafe { super::copy_forward(dest, src, n) };
        dest
    }

    /// C `memmove`.
    ///
    /// # Safety
    /// `src[..n]` readable, `dest[..n]` writable.
    #[unsafe(no_mangle)]
    unsafe extern "C" fn memmove(dest: *mut u8, src: *const u8, n: usize) -> *mut u8 {
        // SAFETY: the caller's contract.
        unsafe { super::move_bytes(dest, src, n) };
        dest
    }

    /// C `memset`: the fill byte is `c` converted to `unsigned char`.
    ///
    /// # Safety
    /// `dest[..n]` writable.
    #[unsafe(no_mangle)]
    unsafe extern "C" fn memset(dest: *mut u8, c: c_int, n: usize) -> *mut u8 {
        // SAFETY: the caller's contract.
        unsafe { super::fill(dest, c as u8, n) };
        dest
    }

    /// C `memcmp`.
    ///
    /// # Safety
    /// `a[..n]` and `b[..n]` readable.
    #[unsafe(no_mangle)]
    unsafe extern "C" fn memcmp(a: *const u8, b: *const u8, n: usize) -> c_int {
        // SAFETY: the caller's contract.
        unsafe { super::compare(a, b, n) }
    }

    /// `bcmp`: zero iff the ranges are equal (LLVM calls it for equality-only comparisons).
    ///
    /// # Safety
    /// `a[..n]` and `b[..n]` readable.
    #[unsafe(no_mangle)]
    unsafe extern "C" fn bcmp(a: *const u8, b: *const u8, n: usize) -> c_int {
        // SAFETY: the caller's contract.
        unsafe { super::compare(a, b, n) }
    }

    /// C `strlen`.
    ///
    /// # Safety
    /// `s` points to a NUL-terminated string.
    #[unsafe(no_mangle)]
    unsafe extern "C" fn strlen(s: *const c_char) -> usize {
        // SAFETY: the caller's contract.
        unsafe { super::str_len(s.cast()) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every (offset, length) pair inside a small buffer, for each operation, against the
    /// obvious byte-by-byte result (alignment cases: equal and unequal word offsets).
    const LEN: usize = 3 * W + 5;

    fn pattern() -> [u8; LEN] {
        core::array::from_fn(|i| i as u8 + 1)
    }

    #[test]
    fn copy_forward_and_backward_match_a_plain_copy() {
        for so in 0..W {
            for dof in 0..W {
                for n in 0..LEN - W {
                    let src = pattern();
                    for backward in [false, true] {
                        let mut dst = [0u8; LEN];
                        // SAFETY: both ranges lie inside their arrays (n + offset < LEN).
                        unsafe {
                            let (d, s) = (dst.as_mut_ptr().add(dof), src.as_ptr().add(so));
                            if backward {
                                copy_backward(d, s, n);
                            } else {
                                copy_forward(d, s, n);
                            }
                        }
                        assert_eq!(&dst[dof..dof + n], &src[so..so + n], "{so} {dof} {n}");
                        assert!(dst[..dof].iter().chain(&dst[dof + n..]).all(|&b| b == 0));
                    }
                }
            }
        }
    }

    #[test]
    fn move_bytes_handles_overlap_both_ways() {
        for so in 0..2 * W {
            for dof in 0..2 * W {
                for n in 0..LEN - 2 * W {
                    let mut buf = pattern();
                    let expect = {
                        let mut e = pattern();
                        e.copy_within(so..so + n, dof);
                        e
                    };
                    // SAFETY: both ranges lie inside `buf`.
                    unsafe {
                        let p = buf.as_mut_ptr();
                        move_bytes(p.add(dof), p.add(so), n);
                    }
                    assert_eq!(buf, expect, "{so} {dof} {n}");
                }
            }
        }
    }

    #[test]
    fn fill_writes_exactly_the_range() {
        for off in 0..W {
            for n in 0..LEN - W {
                let mut buf = [0u8; LEN];
                // SAFETY: inside `buf`.
                unsafe { fill(buf.as_mut_ptr().add(off), 0xa5, n) };
                for (i, &b) in buf.iter().enumerate() {
                    assert_eq!(b, if (off..off + n).contains(&i) { 0xa5 } else { 0 });
                }
            }
        }
    }

    #[test]
    fn compare_orders_as_unsigned_bytes() {
        // SAFETY: all reads inside the literals.
        unsafe {
            assert_eq!(compare(b"abc".as_ptr(), b"abc".as_ptr(), 3), 0);
            assert!(compare(b"abc".as_ptr(), b"abd".as_ptr(), 3) < 0);
            assert!(compare(b"\xff".as_ptr(), b"\x01".as_ptr(), 1) > 0);
            assert_eq!(compare(b"abX".as_ptr(), b"abY".as_ptr(), 2), 0);
            assert_eq!(compare(b"".as_ptr(), b"".as_ptr(), 0), 0);
            assert_eq!(str_len(c"hello".as_ptr().cast()), 5);
            assert_eq!(str_len(c"".as_ptr().cast()), 0);
        }
    }
}
