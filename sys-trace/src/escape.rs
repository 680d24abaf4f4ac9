//! Strings as strace prints them (strace's `-s 32` default and its quoting rules, observed with
//! strace 6.1 and checked by the oracle test): `"` and `\` escaped, `\t \n \v \f \r` by name,
//! other bytes outside `' '..='~'` in octal — as short as possible (`\0`, `\37`, `\377`), or
//! three digits when an octal digit follows — and at most 32 bytes, then `...`.
//!
//! Each byte's escape comes from a table built at compile time; the escapes are written
//! straight into the line's free space when it has room for the longest (4 bytes a byte).

use crate::buf::{HEX_DIGITS, Out};
use core::mem::MaybeUninit;

/// How many bytes of a buffer strace shows by default (`-s 32`).
pub const MAX_STRLEN: usize = 32;

/// The longest escape of one byte (`\377`).
const WIDEST: usize = 4;

/// Bytes encoded at a time into a local buffer when the output has no room to write into.
const CHUNK: usize = 64;

/// A table entry's flag: the byte is printed in octal, in three digits if an octal digit
/// follows.
const OCTAL: u64 = 1 << 40;
/// A table entry's flag: the byte is an octal digit (`'0'..='7'`).
const DIGIT: u64 = 1 << 41;

/// Each byte's escape: its bytes in bits 0..32 (the first in the lowest byte), their number in
/// bits 32..40, [`OCTAL`] for the bytes printed in octal (the short form in bits 0..32),
/// [`DIGIT`] for the octal digits.
static ESCAPES: [u64; 256] = escapes();

/// Each byte in three octal digits, `\ooo`, the bytes as in [`ESCAPES`].
static LONG: [u32; 256] = long();

/// A two-byte escape: `\` and `x`.
const fn pair(x: u8) -> u64 {
    (b'\\' as u64) | ((x as u64) << 8) | (2 << 32)
}

const fn escapes() -> [u64; 256] {
    let mut t = [0u64; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        t[c] = match b {
            b'"' => pair(b'"'),
            b'\\' => pair(b'\\'),
            b'\t' => pair(b't'),
            b'\n' => pair(b'n'),
            0x0b => pair(b'v'),
            0x0c => pair(b'f'),
            b'\r' => pair(b'r'),
            b'0'..=b'7' => (b as u64) | (1 << 32) | DIGIT,
            b' '..=b'~' => (b as u64) | (1 << 32),
            _ => {
                // The short form: `\` and the digits without leading zeros.
                let mut code = b'\\' as u64;
                let mut len = 1;
                if b >= 0o100 {
                    code |= ((b'0' + (b >> 6)) as u64) << (8 * len);
                    len += 1;
                }
                if b >= 0o10 {
                    code |= ((b'0' + ((b >> 3) & 7)) as u64) << (8 * len);
                    len += 1;
                }
                code |= ((b'0' + (b & 7)) as u64) << (8 * len);
                len += 1;
                code | ((len as u64) << 32) | OCTAL
            }
        };
        c += 1;
    }
    t
}

const fn long() -> [u32; 256] {
    let mut t = [0u32; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        t[c] = u32::from_le_bytes([
            b'\\',
            b'0' + (b >> 6),
            b'0' + ((b >> 3) & 7),
            b'0' + (b & 7),
        ]);
        c += 1;
    }
    t
}

/// Writes the escape of `c`, followed by `next` (`0` at the end: not a digit), at `out + w`;
/// returns the position after it.
///
/// # Safety
/// `out + w` is writable for [`WIDEST`] bytes.
#[inline(always)]
unsafe fn step(out: *mut u8, w: usize, c: u8, next: u8) -> usize {
    // `u8` indexes: always inside the 256 entries.
    let e = ESCAPES[usize::from(c)];
    let long = e & OCTAL != 0 && ESCAPES[usize::from(next)] & DIGIT != 0;
    let (code, len) = if long {
        (LONG[usize::from(c)], WIDEST)
    } else {
        (e as u32, (e >> 32) as u8 as usize)
    };
    // SAFETY: the caller's promise; unaligned writes. (Bytes past `len` are overwritten by the
    // next escape or left unused.)
    unsafe {
        out.add(w)
            .cast::<[u8; 4]>()
            .write_unaligned(code.to_le_bytes())
    };
    w + len
}

/// Eight bytes, each `x`.
const fn splat(x: u8) -> u64 {
    u64::from_ne_bytes([x; 8])
}

/// Whether all eight bytes of `x` print as themselves: `' '..='~'`, not `"` or `\\`
/// (bit tricks from "Bit Twiddling Hacks", `hasless`, `hasmore` and `haszero`).
#[inline(always)]
fn all_plain(x: u64) -> bool {
    let has_zero = |v: u64| v.wrapping_sub(splat(1)) & !v & splat(0x80) != 0;
    let below_space = x.wrapping_sub(splat(b' ')) & !x & splat(0x80) != 0;
    let above_tilde = (x.wrapping_add(splat(127 - b'~')) | x) & splat(0x80) != 0;
    !(below_space || above_tilde || has_zero(x ^ splat(b'"')) || has_zero(x ^ splat(b'\\')))
}

/// `\0` eight times (the escapes of eight zero bytes no octal digit follows).
const ZEROS: [u8; 16] = *b"\\0\\0\\0\\0\\0\\0\\0\\0";

/// Encodes bytes of `src` into `dst`, as many as `dst` has room for at [`WIDEST`] bytes each;
/// `next` is the byte after `src` in the string, if any (it decides the octal form of the
/// last). Returns (bytes of `src` consumed, bytes of `dst` written).
///
/// Eight bytes at a time where they all print as themselves, or are all zero (binary data)
/// and no octal digit follows; else a byte at a time.
fn encode(src: &[u8], next: Option<u8>, dst: &mut [MaybeUninit<u8>]) -> (usize, usize) {
    let n = src.len().min(dst.len() / WIDEST);
    // The byte after the `n` encoded here (`0`, not a digit, at the string's end).
    let after_all = src.get(n).copied().or(next).unwrap_or(0);
    let Some(src) = src.get(..n) else {
        return (0, 0);
    };
    let out = dst.as_mut_ptr().cast::<u8>();
    // Byte `i` starts at `w <= WIDEST * i` (each escape is at most WIDEST, the eight-byte
    // forms shorter), so `w + WIDEST * k <= WIDEST * n <= dst.len()` for the `k <= n - i`
    // bytes from `i` on: room for the widest escape of each.
    let mut w = 0;
    let mut i = 0;
    while i < n {
        if let Some(eight) = src.get(i..i + 8) {
            let after = src.get(i + 8).copied().unwrap_or(after_all);
            let mut word = [0u8; 8];
            word.copy_from_slice(eight);
            let x = u64::from_ne_bytes(word);
            if all_plain(x) {
                // SAFETY: eight bytes of the `WIDEST * 8` the eight bytes have room for.
                unsafe { out.add(w).cast::<[u8; 8]>().write_unaligned(word) };
                (w, i) = (w + 8, i + 8);
                continue;
            }
            if x == 0 && ESCAPES[usize::from(after)] & DIGIT == 0 {
                // SAFETY: sixteen bytes of the `WIDEST * 8` the eight bytes have room for.
                unsafe { out.add(w).cast::<[u8; 16]>().write_unaligned(ZEROS) };
                (w, i) = (w + 16, i + 8);
                continue;
            }
        }
        let Some(&c) = src.get(i) else { break };
        let after = src.get(i + 1).copied().unwrap_or(after_all);
        // SAFETY: room for the widest escape (above).
        w = unsafe { step(out, w, c, after) };
        i += 1;
    }
    (n, w)
}

/// Writes `bytes` quoted as strace quotes a buffer; `more` says that the buffer went on past
/// `bytes` (then `...` follows the closing quote).
pub(crate) fn quote(out: &mut impl Out, bytes: &[u8], more: bool) {
    out.push_byte(b'"');
    let mut rest = bytes;
    while !rest.is_empty() {
        let spare = out.spare();
        let consumed = if spare.len() >= WIDEST {
            let (from, to) = rest
                .split_at_checked(spare.len() / WIDEST)
                .unwrap_or((rest, &[]));
            let (n, w) = encode(from, to.first().copied(), spare);
            // SAFETY: `encode` wrote the first `w` bytes of `spare`, which it had room for.
            unsafe { out.advance(w) };
            n
        } else {
            // No room to write into (nearly full, or not a line buffer): a chunk at a time,
            // appended, where the line buffer cuts it.
            let mut tmp = [MaybeUninit::<u8>::uninit(); WIDEST * CHUNK];
            let (from, to) = rest.split_at_checked(CHUNK).unwrap_or((rest, &[]));
            let (n, w) = encode(from, to.first().copied(), &mut tmp);
            // SAFETY: `encode` initialized the first `w <= tmp.len()` bytes of `tmp`.
            let done = unsafe { core::slice::from_raw_parts(tmp.as_ptr().cast::<u8>(), w) };
            out.push_bytes(done);
            n
        };
        rest = rest.get(consumed..).unwrap_or(&[]);
        if consumed == 0 {
            break;
        }
    }
    out.push_byte(b'"');
    if more {
        out.push_bytes(b"...");
    }
}

/// Writes `bytes` as strace prints binary data it shows in hex (`getrandom`'s buffer): every
/// byte as `\xNN`.
pub(crate) fn quote_hex(out: &mut impl Out, bytes: &[u8], more: bool) {
    out.push_byte(b'"');
    for &b in bytes {
        let hi = HEX_DIGITS.get(usize::from(b >> 4)).copied().unwrap_or(b'0');
        let lo = HEX_DIGITS
            .get(usize::from(b & 0xf))
            .copied()
            .unwrap_or(b'0');
        out.push_bytes(&[b'\\', b'x', hi, lo]);
    }
    out.push_byte(b'"');
    if more {
        out.push_bytes(b"...");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::LineBuf;
    use crate::buf::Fmt;
    use std::string::String;

    fn q(b: &[u8]) -> LineBuf<256> {
        let mut s = LineBuf::new();
        quote(&mut s, b, false);
        s
    }

    /// The rules written out byte by byte, as the module's first version did (through
    /// `core::fmt`): the reference for the table.
    fn reference(bytes: &[u8], more: bool) -> String {
        let mut out = String::from("\"");
        let mut iter = bytes.iter().peekable();
        while let Some(&c) = iter.next() {
            match c {
                b'"' => out.push_str("\\\""),
                b'\\' => out.push_str("\\\\"),
                b'\t' => out.push_str("\\t"),
                b'\n' => out.push_str("\\n"),
                0x0b => out.push_str("\\v"),
                0x0c => out.push_str("\\f"),
                b'\r' => out.push_str("\\r"),
                b' '..=b'~' => out.push(c as char),
                _ => {
                    let digit_follows = iter.peek().is_some_and(|&&n| (b'0'..=b'7').contains(&n));
                    out.push('\\');
                    if digit_follows || c >= 0o100 {
                        out.push(char::from(b'0' + (c >> 6)));
                    }
                    if digit_follows || c >= 0o10 {
                        out.push(char::from(b'0' + ((c >> 3) & 7)));
                    }
                    out.push(char::from(b'0' + (c & 7)));
                }
            }
        }
        out.push('"');
        if more {
            out.push_str("...");
        }
        out
    }

    #[test]
    fn escapes_as_strace_does() {
        assert_eq!(q(b"myhost\n").as_bytes(), b"\"myhost\\n\"");
        assert_eq!(q(b"a\"b\\c\t").as_bytes(), b"\"a\\\"b\\\\c\\t\"");
        assert_eq!(
            q(b"\0\x01\x1f\x7f\xff").as_bytes(),
            b"\"\\0\\1\\37\\177\\377\""
        );
        // An octal digit after the byte forces three digits.
        assert_eq!(q(b"\x001").as_bytes(), b"\"\\0001\"");
        assert_eq!(q(b"\x018").as_bytes(), b"\"\\18\"");
    }

    #[test]
    fn every_byte_before_every_kind_of_byte_matches_the_rules() {
        for c in 0..=255u8 {
            for next in [b'0', b'7', b'8', b'a', 0, 0xff, b'"'] {
                let s = [c, next, c];
                assert_eq!(q(&s).as_bytes(), reference(&s, false).as_bytes(), "{s:?}");
            }
        }
    }

    #[test]
    fn long_strings_cut_and_chunked_match_the_rules() {
        // Longer than a chunk, with octal escapes whose next byte lies in the next chunk, into
        // line buffers of every fill level (the direct path, the chunked one, and cutting).
        let s: std::vec::Vec<u8> = (0..300u32)
            .map(|i| [0u8, b'1', b'x', 0xfe, b'"'][(i % 5) as usize])
            .collect();
        let want = reference(&s, true);
        for pre in [0usize, 100, 200, 400, 600, 1000, 1020] {
            let mut b = LineBuf::<1024>::new();
            b.push_bytes(&std::vec![b'.'; pre]);
            quote(&mut b, &s, true);
            let full = [std::vec![b'.'; pre], want.as_bytes().to_vec()].concat();
            assert_eq!(b.as_bytes(), &full[..full.len().min(1024)], "prefix {pre}");
            assert_eq!(b.is_cut(), full.len() > 1024);
        }
        let mut text = String::new();
        let mut f = Fmt::new(&mut text);
        quote(&mut f, &s, true);
        assert!(f.result().is_ok());
        assert_eq!(text, want);
    }

    #[test]
    fn runs_of_plain_and_zero_bytes_match_the_rules() {
        // Runs of every length up to 20 of zeros, plain text, digits and escapes, in turn, so
        // that eight-byte runs start and end everywhere (before a digit too).
        let kinds: [&[u8]; 5] = [b"\0", b"abcdefgh", b"01234567", b"\x01\xff\"", b"\0"];
        let mut s = std::vec::Vec::new();
        for len in 0..20 {
            for (k, kind) in kinds.iter().enumerate() {
                s.extend((0..len + k).map(|i| kind[i % kind.len()]));
            }
        }
        for pre in [0usize, 1, 3, 500, 1000, 1023] {
            let mut b = LineBuf::<4096>::new();
            b.push_bytes(&std::vec![b'.'; pre]);
            quote(&mut b, &s, false);
            let full = [std::vec![b'.'; pre], reference(&s, false).into_bytes()].concat();
            assert_eq!(b.as_bytes(), &full[..full.len().min(4096)], "prefix {pre}");
        }
        for len in 0..40 {
            for last in [0u8, b'1', b'9', b'a'] {
                let mut s = std::vec![0u8; len];
                s.push(last);
                assert_eq!(q(&s).as_bytes(), reference(&s, false).as_bytes(), "{s:?}");
                s.pop();
                assert_eq!(q(&s).as_bytes(), reference(&s, false).as_bytes(), "{s:?}");
            }
        }
    }

    #[test]
    fn hex_is_every_byte_as_backslash_x() {
        let mut b = LineBuf::<64>::new();
        quote_hex(&mut b, &[0, 0xab, 0x7f], true);
        assert_eq!(b.as_bytes(), br#""\x00\xab\x7f"..."#);
    }
}
