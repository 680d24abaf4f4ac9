//! Strings as strace prints them (strace's `-s 32` default and its quoting rules, observed with
//! strace 6.1 and checked by the oracle test): `"` and `\` escaped, `\t \n \v \f \r` by name,
//! other bytes outside `' '..='~'` in octal — as short as possible (`\0`, `\37`, `\377`), or
//! three digits when an octal digit follows — and at most 32 bytes, then `...`.

use core::fmt::{self, Write};

/// How many bytes of a buffer strace shows by default (`-s 32`).
pub const MAX_STRLEN: usize = 32;

/// Writes `bytes` quoted as strace quotes a buffer; `more` says that the buffer went on past
/// `bytes` (then `...` follows the closing quote).
pub fn quote(out: &mut impl Write, bytes: &[u8], more: bool) -> fmt::Result {
    out.write_char('"')?;
    let mut iter = bytes.iter().peekable();
    while let Some(&c) = iter.next() {
        match c {
            b'"' => out.write_str("\\\"")?,
            b'\\' => out.write_str("\\\\")?,
            b'\t' => out.write_str("\\t")?,
            b'\n' => out.write_str("\\n")?,
            0x0b => out.write_str("\\v")?,
            0x0c => out.write_str("\\f")?,
            b'\r' => out.write_str("\\r")?,
            b' '..=b'~' => out.write_char(c as char)?,
            _ => {
                let digit_follows = iter.peek().is_some_and(|&&n| (b'0'..=b'7').contains(&n));
                out.write_char('\\')?;
                if digit_follows || c >= 0o100 {
                    out.write_char(char::from(b'0' + (c >> 6)))?;
                }
                if digit_follows || c >= 0o10 {
                    out.write_char(char::from(b'0' + ((c >> 3) & 7)))?;
                }
                out.write_char(char::from(b'0' + (c & 7)))?;
            }
        }
    }
    out.write_char('"')?;
    if more {
        out.write_str("...")?;
    }
    Ok(())
}

/// Writes `bytes` as strace prints binary data it shows in hex (`getrandom`'s buffer): every
/// byte as `\xNN`.
pub fn quote_hex(out: &mut impl Write, bytes: &[u8], more: bool) -> fmt::Result {
    out.write_char('"')?;
    for b in bytes {
        write!(out, "\\x{b:02x}")?;
    }
    out.write_char('"')?;
    if more {
        out.write_str("...")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::LineBuf;

    fn q(b: &[u8]) -> LineBuf<256> {
        let mut s = LineBuf::new();
        quote(&mut s, b, false).unwrap();
        s
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
}
