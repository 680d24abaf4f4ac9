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

/// Each byte's escape: its bytes in bits 0..32 (the first in the lowest byte), their number in
/// bits 32..40, [`OCTAL`] for the bytes printed in octal (the short form in bits 0..32).
static ESCAPES: [u64; 256] = escapes();

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

/// Encodes bytes of `src` into `dst`, as many as `dst` has room for at [`WIDEST`] bytes each;
/// `next` is the byte after `src` in the string, if any (it decides the octal form of the
/// last). Returns (bytes of `src` consumed, bytes of `dst` written).
fn encode(src: &[u8], next: Option<u8>, dst: &mut [MaybeUninit<u8>]) -> (usize, usize) {
    let n = src.len().min(dst.len() / WIDEST);
    let out = dst.as_mut_ptr().cast::<u8>();
    let mut w = 0;
    for i in 0..n {
        let Some(&c) = src.get(i) else { break };
        // `c` is a `u8`: always an index of the 256 entries.
        let e = ESCAPES[usize::from(c)];
        let mut code = e as u32;
        let mut len = (e >> 32) as u8 as usize;
        if e & OCTAL != 0 {
            let after = src.get(i + 1).copied().or(next);
            if after.is_some_and(|a| (b'0'..=b'7').contains(&a)) {
                code = u32::from_le_bytes([
                    b'\\',
                    b'0' + (c >> 6),
                    b'0' + ((c >> 3) & 7),
                    b'0' + (c & 7),
                ]);
                len = WIDEST;
            }
        }
        // SAFETY: `w <= WIDEST * i` (each byte writes at most WIDEST), so `w + WIDEST <=
        // WIDEST * n <= dst.len()`: the four bytes are inside `dst`, written unaligned. (The
        // bytes past `len` are overwritten by the next escape or left unused.)
        unsafe {
            out.add(w)
                .cast::<[u8; 4]>()
                .write_unaligned(code.to_le_bytes())
        };
        w += len;
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
    fn hex_is_every_byte_as_backslash_x() {
        let mut b = LineBuf::<64>::new();
        quote_hex(&mut b, &[0, 0xab, 0x7f], true);
        assert_eq!(b.as_bytes(), br#""\x00\xab\x7f"..."#);
    }
}
