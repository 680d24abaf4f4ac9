//! A fixed-size line buffer on the stack that never fails: what does not fit is cut (the line
//! then ends in `...`), so that tracing never allocates. Also the crate's own output trait,
//! [`Out`], through which lines are formatted without `core::fmt`: bytes pushed as they are,
//! integers by small hand-written writers (`core::fmt` costs hundreds of instructions a line).

use core::fmt;
use core::mem::MaybeUninit;

/// A byte buffer of `N` bytes that collects formatted text and cuts what does not fit.
///
/// Not zeroed when made: only the bytes written are ever read.
pub struct LineBuf<const N: usize> {
    /// Invariant: `bytes[..len]` is initialized, `len <= N`.
    bytes: [MaybeUninit<u8>; N],
    len: usize,
    cut: bool,
}

impl<const N: usize> Default for LineBuf<N> {
    fn default() -> Self {
        Self::new()
    }
}

impl<const N: usize> LineBuf<N> {
    /// An empty buffer.
    pub const fn new() -> Self {
        Self {
            bytes: [MaybeUninit::uninit(); N],
            len: 0,
            cut: false,
        }
    }

    /// The text written so far.
    pub fn as_bytes(&self) -> &[u8] {
        let len = self.len.min(N);
        // SAFETY: the first `len` bytes are initialized (the invariant), and `len <= N`.
        unsafe { core::slice::from_raw_parts(self.bytes.as_ptr().cast::<u8>(), len) }
    }

    /// Whether some text did not fit.
    pub fn is_cut(&self) -> bool {
        self.cut
    }

    /// Empties the buffer.
    pub fn clear(&mut self) {
        self.len = 0;
        self.cut = false;
    }

    /// Appends bytes, cutting what does not fit.
    #[inline]
    pub fn push_bytes(&mut self, b: &[u8]) {
        let room = N.saturating_sub(self.len);
        let n = b.len().min(room);
        // SAFETY: `len + n <= N`: the `n` bytes after the first `len` are inside `bytes`; `b`
        // is readable for `n <= b.len()` bytes and does not overlap `self`.
        unsafe { copy_small(b.as_ptr(), self.bytes.as_mut_ptr().add(self.len).cast(), n) };
        self.len += n;
        if n < b.len() {
            self.cut = true;
        }
    }

    /// Appends one byte, cutting it if the buffer is full.
    #[inline]
    pub(crate) fn push_byte(&mut self, b: u8) {
        match self.bytes.get_mut(self.len) {
            Some(slot) => {
                slot.write(b);
                self.len += 1;
            }
            None => self.cut = true,
        }
    }

    /// Ends the line: `\n`, replacing the last bytes with `...\n` if the text was cut.
    pub fn finish_line(&mut self) {
        if self.cut || self.len == N {
            self.len = self.len.min(N.saturating_sub(4));
            self.cut = false;
            self.push_bytes(b"...");
        }
        self.push_byte(b'\n');
    }
}

/// Copies `n` bytes from `src` to `dst` without calling `memcpy` for the short runs a trace
/// line is made of (names, separators, numbers): two overlapping loads and stores.
///
/// # Safety
/// `src` readable and `dst` writable for `n` bytes; the two do not overlap.
#[inline(always)]
unsafe fn copy_small(src: *const u8, dst: *mut u8, n: usize) {
    // SAFETY: every access is within the first `n` bytes of `src` or `dst`
    // (`n - 8 + 8 == n` and so on), which the caller lets us read or write; unaligned accesses
    // are made with `read_unaligned`/`write_unaligned`.
    unsafe {
        if n > 16 {
            core::ptr::copy_nonoverlapping(src, dst, n);
        } else if n >= 8 {
            let a = src.cast::<u64>().read_unaligned();
            let b = src.add(n - 8).cast::<u64>().read_unaligned();
            dst.cast::<u64>().write_unaligned(a);
            dst.add(n - 8).cast::<u64>().write_unaligned(b);
        } else if n >= 4 {
            let a = src.cast::<u32>().read_unaligned();
            let b = src.add(n - 4).cast::<u32>().read_unaligned();
            dst.cast::<u32>().write_unaligned(a);
            dst.add(n - 4).cast::<u32>().write_unaligned(b);
        } else if n > 0 {
            // 1, 2 or 3 bytes: the first, the middle and the last (some the same).
            *dst = *src;
            *dst.add(n / 2) = *src.add(n / 2);
            *dst.add(n - 1) = *src.add(n - 1);
        }
    }
}

impl<const N: usize> fmt::Write for LineBuf<N> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.push_bytes(s.as_bytes());
        Ok(())
    }
}

/// Where the formatter writes (crate-internal): a [`LineBuf`], directly, or any `fmt::Write`
/// through [`Fmt`] (the public `format` and `errno` take one). Never fails: a [`LineBuf`] cuts,
/// [`Fmt`] remembers the first error and drops what follows it.
pub(crate) trait Out {
    /// Appends bytes (ASCII: everything the formatter writes is).
    fn push_bytes(&mut self, b: &[u8]);

    /// Appends one byte.
    fn push_byte(&mut self, b: u8) {
        self.push_bytes(&[b]);
    }

    /// Appends a string.
    fn push_str(&mut self, s: &str) {
        self.push_bytes(s.as_bytes());
    }

    /// Free space to write into directly (then [`Out::advance`]); empty where there is none.
    fn spare(&mut self) -> &mut [MaybeUninit<u8>] {
        &mut []
    }

    /// Takes the first `n` bytes of [`Out::spare`] as written.
    ///
    /// # Safety
    /// Those `n` bytes were initialized through the slice `spare` returned, and `n` is at most
    /// its length.
    unsafe fn advance(&mut self, n: usize) {
        let _ = n;
    }

    /// An unsigned integer in decimal (`{}`).
    fn udec(&mut self, v: u64) {
        let mut buf = [0u8; 24];
        let start = digits_dec(&mut buf, v);
        self.push_bytes(buf.get(start..).unwrap_or(&[]));
    }

    /// An unsigned integer in decimal, right-aligned in `width` columns with spaces (`{:5}`).
    fn udec_width(&mut self, v: u64, width: usize) {
        let mut buf = [0u8; 24];
        let start = digits_dec(&mut buf, v);
        let len = buf.len() - start;
        for _ in len..width.min(buf.len()) {
            self.push_byte(b' ');
        }
        self.push_bytes(buf.get(start..).unwrap_or(&[]));
    }

    /// A signed integer in decimal (`{}`).
    fn dec(&mut self, v: i64) {
        if v < 0 {
            self.push_byte(b'-');
        }
        self.udec(v.unsigned_abs());
    }

    /// An integer in hex with its `0x` (`{:#x}`: `0x0` for zero).
    fn hex(&mut self, v: u64) {
        let mut buf = [0u8; 24];
        // At most 16 digits: room for the prefix.
        let i = power_of_two_digits(v, 4, &mut buf).saturating_sub(2);
        if let Some(p) = buf.get_mut(i..i + 2) {
            p.copy_from_slice(b"0x");
        }
        self.push_bytes(buf.get(i..).unwrap_or(&[]));
    }

    /// An integer in octal, without a prefix (`{:o}`).
    fn oct(&mut self, v: u64) {
        let mut buf = [0u8; 24];
        let i = power_of_two_digits(v, 3, &mut buf);
        self.push_bytes(buf.get(i..).unwrap_or(&[]));
    }
}

/// Lower-case hex digits.
pub(crate) const HEX_DIGITS: &[u8; 16] = b"0123456789abcdef";

/// The two-digit numbers `00` to `99`, one after the other.
static PAIRS: [u8; 200] = pairs();

const fn pairs() -> [u8; 200] {
    let mut t = [0u8; 200];
    let mut i = 0;
    while i < 100 {
        t[2 * i] = b'0' + (i / 10) as u8;
        t[2 * i + 1] = b'0' + (i % 10) as u8;
        i += 1;
    }
    t
}

/// Writes `v` in decimal at the end of `buf`; returns where the digits start.
#[inline]
fn digits_dec(buf: &mut [u8; 24], v: u64) -> usize {
    let mut i = buf.len();
    let mut put_pair = |i: usize, r: usize| {
        if let (Some(d), Some(s)) = (buf.get_mut(i..i + 2), PAIRS.get(2 * r..2 * r + 2)) {
            d.copy_from_slice(s);
        }
    };
    // 32-bit division where the value allows it: a 64-bit one is a library call on 32-bit
    // targets.
    let mut v = match u32::try_from(v) {
        Ok(v) => v,
        Err(_) => {
            let mut v = v;
            while v >= 1 << 32 {
                i -= 2;
                put_pair(i, (v % 100) as usize);
                v /= 100;
            }
            v as u32
        }
    };
    while v >= 100 {
        i -= 2;
        put_pair(i, (v % 100) as usize);
        v /= 100;
    }
    if v >= 10 {
        i -= 2;
        put_pair(i, v as usize);
    } else {
        i -= 1;
        if let Some(d) = buf.get_mut(i) {
            *d = b'0' + v as u8;
        }
    }
    i
}

impl<const N: usize> Out for LineBuf<N> {
    #[inline]
    fn push_bytes(&mut self, b: &[u8]) {
        LineBuf::push_bytes(self, b);
    }

    #[inline]
    fn push_byte(&mut self, b: u8) {
        LineBuf::push_byte(self, b);
    }

    #[inline]
    fn spare(&mut self) -> &mut [MaybeUninit<u8>] {
        self.bytes.get_mut(self.len..).unwrap_or(&mut [])
    }

    #[inline]
    unsafe fn advance(&mut self, n: usize) {
        // The caller's promise keeps `len + n <= N` with those bytes initialized.
        self.len += n;
    }
}

/// [`Out`] over any `fmt::Write`: the first error is kept, and nothing is written after it.
pub(crate) struct Fmt<'a, W: ?Sized> {
    w: &'a mut W,
    err: bool,
}

impl<'a, W: fmt::Write + ?Sized> Fmt<'a, W> {
    /// Wraps `w`.
    pub(crate) fn new(w: &'a mut W) -> Self {
        Self { w, err: false }
    }

    /// `Err` if a write failed.
    pub(crate) fn result(&self) -> fmt::Result {
        if self.err { Err(fmt::Error) } else { Ok(()) }
    }
}

impl<W: fmt::Write + ?Sized> Out for Fmt<'_, W> {
    fn push_bytes(&mut self, b: &[u8]) {
        if self.err {
            return;
        }
        // Always ASCII (names, numbers, escaped strings): the check cannot fail.
        self.err = match core::str::from_utf8(b) {
            Ok(s) => self.w.write_str(s).is_err(),
            Err(_) => true,
        };
    }
}

/// Writes the digits of `v` in base `1 << bits` (`4`: hex, `3`: octal; at most 22 digits) at
/// the end of `buf`, and returns the index of the first.
fn power_of_two_digits(v: u64, bits: u32, buf: &mut [u8; 24]) -> usize {
    let mask = (1u64 << bits) - 1;
    let mut i = buf.len();
    let mut v = v;
    loop {
        i -= 1;
        if let Some(d) = buf.get_mut(i) {
            *d = HEX_DIGITS.get((v & mask) as usize).copied().unwrap_or(b'0');
        }
        v >>= bits;
        if v == 0 || i == 0 {
            return i;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(f: impl FnOnce(&mut LineBuf<64>)) -> LineBuf<64> {
        let mut b = LineBuf::new();
        f(&mut b);
        b
    }

    #[test]
    fn integers_print_as_core_fmt_prints_them() {
        for v in [
            0u64,
            1,
            9,
            10,
            99,
            4096,
            123_456_789,
            u32::MAX as u64,
            u32::MAX as u64 + 1,
            u64::MAX,
        ] {
            let b = text(|b| b.udec(v));
            assert_eq!(b.as_bytes(), std::format!("{v}").as_bytes());
            let b = text(|b| b.hex(v));
            assert_eq!(b.as_bytes(), std::format!("{v:#x}").as_bytes());
            let b = text(|b| b.oct(v));
            assert_eq!(b.as_bytes(), std::format!("{v:o}").as_bytes());
            let b = text(|b| b.udec_width(v, 5));
            assert_eq!(b.as_bytes(), std::format!("{v:5}").as_bytes());
        }
        for v in [0i64, -1, 1, -4096, i64::MIN, i64::MAX, i32::MIN as i64] {
            let b = text(|b| b.dec(v));
            assert_eq!(b.as_bytes(), std::format!("{v}").as_bytes());
        }
    }

    #[test]
    fn every_length_is_copied_and_cut_where_full() {
        let src: std::vec::Vec<u8> = (0..40u8).map(|i| b'a' + i % 26).collect();
        for n in 0..=src.len() {
            let mut b = LineBuf::<32>::new();
            b.push_byte(b'>');
            b.push_bytes(&src[..n]);
            let want = &[&b">"[..], &src[..n]].concat();
            assert_eq!(b.as_bytes(), &want[..want.len().min(32)]);
            assert_eq!(b.is_cut(), want.len() > 32);
        }
    }
}
