//! A fixed-size line buffer on the stack that implements `core::fmt::Write` and never fails:
//! what does not fit is cut (the line then ends in `...`), so that tracing never allocates.

use core::fmt;

/// A byte buffer of `N` bytes that collects formatted text and cuts what does not fit.
pub struct LineBuf<const N: usize> {
    bytes: [u8; N],
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
            bytes: [0; N],
            len: 0,
            cut: false,
        }
    }

    /// The text written so far.
    pub fn as_bytes(&self) -> &[u8] {
        self.bytes.get(..self.len).unwrap_or(&[])
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
    pub fn push_bytes(&mut self, b: &[u8]) {
        let room = N - self.len;
        let n = b.len().min(room);
        if let (Some(dst), Some(src)) = (self.bytes.get_mut(self.len..self.len + n), b.get(..n)) {
            dst.copy_from_slice(src);
            self.len += n;
        }
        if n < b.len() {
            self.cut = true;
        }
    }

    /// Ends the line: `\n`, replacing the last bytes with `...\n` if the text was cut.
    pub fn finish_line(&mut self) {
        if self.cut || self.len == N {
            self.len = self.len.min(N.saturating_sub(4));
            self.cut = false;
            self.push_bytes(b"...");
        }
        self.push_bytes(b"\n");
    }
}

impl<const N: usize> fmt::Write for LineBuf<N> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.push_bytes(s.as_bytes());
        Ok(())
    }
}
