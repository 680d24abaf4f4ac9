//! A lock-free ring of trace lines in memory: fixed-size slots, a writer reserves a ticket with
//! one `fetch_add` and publishes its slot with a sequence stamp (a seqlock per slot); readers
//! copy lines out and detect lines that were overwritten meanwhile. No allocation, no lock;
//! when writers lap a slot that is still being written, the newer line is dropped and counted.
//! Memory-ordering facts: Boehm, "Can seqlocks get along with programming language memory
//! models?" (MSPC 2012), the fence-based reader used here.

use core::sync::atomic::{AtomicUsize, Ordering, fence};

const WORD: usize = core::mem::size_of::<usize>();

/// Ends a cut line's last word in `...\n`.
fn mark_cut(word: &mut [u8; WORD]) {
    if let Some(end) = word.get_mut(WORD.saturating_sub(4)..) {
        end.copy_from_slice(b"...\n");
    }
}

/// One slot: its stamp (`0` empty, `2t + 1` while ticket `t` writes it, `2t + 2` once ticket
/// `t`'s line is in it), the line's length and its bytes, in words (atomics, so that a reader
/// racing with a writer reads torn data, never undefined behaviour).
struct Slot<const WORDS: usize> {
    stamp: AtomicUsize,
    len: AtomicUsize,
    data: [AtomicUsize; WORDS],
}

impl<const WORDS: usize> Slot<WORDS> {
    const fn new() -> Self {
        Self {
            stamp: AtomicUsize::new(0),
            len: AtomicUsize::new(0),
            data: [const { AtomicUsize::new(0) }; WORDS],
        }
    }
}

/// A ring of `SLOTS` lines of at most `WORDS` machine words each (longer lines are cut and end
/// in `...\n`).
///
/// ```
/// use sys_trace::ring::{Ring, Read};
///
/// static RING: Ring<4, 8> = Ring::new();
/// RING.push(b"getpid() = 42\n");
/// let mut reader = RING.reader();
/// let mut buf = [0u8; 64];
/// assert_eq!(reader.read(&RING, &mut buf), Read::Line(14));
/// assert_eq!(&buf[..14], b"getpid() = 42\n");
/// assert_eq!(reader.read(&RING, &mut buf), Read::Empty);
/// ```
pub struct Ring<const SLOTS: usize, const WORDS: usize> {
    head: AtomicUsize,
    dropped: AtomicUsize,
    slots: [Slot<WORDS>; SLOTS],
}

impl<const SLOTS: usize, const WORDS: usize> Default for Ring<SLOTS, WORDS> {
    fn default() -> Self {
        Self::new()
    }
}

/// What one [`Reader::read`] found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Read {
    /// A line of this many bytes was copied out (cut to the buffer if it was shorter).
    Line(usize),
    /// Nothing new.
    Empty,
    /// The next line is still being written (or its writer dropped it): try again later, or
    /// [`Reader::skip`] it.
    Pending,
    /// This many lines were overwritten before they could be read; the reader moved past them.
    Lost(usize),
}

/// A reader's position in a [`Ring`]: the ticket of the next line it reads (the default
/// starts at the first line ever pushed).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Reader {
    next: usize,
}

impl<const SLOTS: usize, const WORDS: usize> Ring<SLOTS, WORDS> {
    /// An empty ring (for a `static`).
    pub const fn new() -> Self {
        Self {
            head: AtomicUsize::new(0),
            dropped: AtomicUsize::new(0),
            slots: [const { Slot::new() }; SLOTS],
        }
    }

    /// The longest line a slot holds, in bytes.
    pub const LINE: usize = WORDS * WORD;

    /// How many lines were ever pushed (the next ticket).
    pub fn written(&self) -> usize {
        self.head.load(Ordering::Relaxed)
    }

    /// How many lines were dropped because their slot was still being written.
    pub fn dropped(&self) -> usize {
        self.dropped.load(Ordering::Relaxed)
    }

    /// Appends a line (cut to [`Self::LINE`] bytes, then ending in `...\n`). Lock-free: one
    /// `fetch_add`, one compare-and-swap, the copy and a store.
    pub fn push(&self, line: &[u8]) {
        if SLOTS == 0 {
            return;
        }
        let t = self.head.fetch_add(1, Ordering::Relaxed);
        let Some(slot) = self.slots.get(t % SLOTS) else {
            return;
        };
        let busy = t.wrapping_mul(2).wrapping_add(1);
        let cur = slot.stamp.load(Ordering::Relaxed);
        // Odd: another writer is in the slot; newer than ours: a later lap already wrote it.
        if cur & 1 == 1
            || cur > busy
            || slot
                .stamp
                .compare_exchange(cur, busy, Ordering::Acquire, Ordering::Relaxed)
                .is_err()
        {
            self.dropped.fetch_add(1, Ordering::Relaxed);
            return;
        }
        fence(Ordering::Release);
        // Only the words the line needs, a word at a time; a line too long for the slot is cut
        // to its size, its last four bytes then `...\n` (in the last word: LINE is a multiple
        // of the word, which has four bytes or more).
        let cut = line.len() > Self::LINE;
        let body = if cut {
            line.get(..Self::LINE).unwrap_or(&[])
        } else {
            line
        };
        let mut words = slot.data.iter();
        let mut chunks = body.chunks_exact(WORD);
        for c in &mut chunks {
            let Some(w) = words.next() else { break };
            let mut word = [0u8; WORD];
            word.copy_from_slice(c);
            if cut && words.len() == 0 {
                mark_cut(&mut word);
            }
            w.store(usize::from_ne_bytes(word), Ordering::Relaxed);
        }
        let rest = chunks.remainder();
        if let (Some(w), false) = (words.next(), rest.is_empty()) {
            let mut word = [0u8; WORD];
            if let Some(d) = word.get_mut(..rest.len()) {
                d.copy_from_slice(rest);
            }
            w.store(usize::from_ne_bytes(word), Ordering::Relaxed);
        }
        slot.len.store(body.len(), Ordering::Relaxed);
        slot.stamp.store(busy.wrapping_add(1), Ordering::Release);
    }

    /// A reader that starts at the oldest line still in the ring.
    pub fn reader(&self) -> Reader {
        Reader {
            next: self.written().saturating_sub(SLOTS),
        }
    }

    /// A reader that sees only lines pushed from now on.
    pub fn reader_from_now(&self) -> Reader {
        Reader {
            next: self.written(),
        }
    }
}

impl Reader {
    /// Copies the next line into `buf` (cut to its length).
    pub fn read<const SLOTS: usize, const WORDS: usize>(
        &mut self,
        ring: &Ring<SLOTS, WORDS>,
        buf: &mut [u8],
    ) -> Read {
        let head = ring.written();
        if self.next >= head {
            return Read::Empty;
        }
        if head - self.next > SLOTS {
            let lost = head - SLOTS - self.next;
            self.next = head - SLOTS;
            return Read::Lost(lost);
        }
        let Some(slot) = ring.slots.get(self.next % SLOTS) else {
            return Read::Empty;
        };
        let done = self.next.wrapping_mul(2).wrapping_add(2);
        let s1 = slot.stamp.load(Ordering::Acquire);
        if s1 < done {
            return Read::Pending;
        }
        if s1 > done {
            self.next += 1;
            return Read::Lost(1);
        }
        let len = slot
            .len
            .load(Ordering::Relaxed)
            .min(Ring::<SLOTS, WORDS>::LINE);
        let mut n = 0;
        for w in slot.data.iter().take(len.div_ceil(WORD)) {
            let word = w.load(Ordering::Relaxed).to_ne_bytes();
            for b in word.iter().take(len - n.min(len)) {
                if let Some(d) = buf.get_mut(n) {
                    *d = *b;
                }
                n += 1;
            }
        }
        fence(Ordering::Acquire);
        let s2 = slot.stamp.load(Ordering::Relaxed);
        self.next += 1;
        if s2 != s1 {
            return Read::Lost(1);
        }
        Read::Line(len)
    }

    /// Moves past the next line (one that stays [`Read::Pending`]).
    pub fn skip(&mut self) {
        self.next += 1;
    }

    /// The ticket of the next line this reader reads.
    pub fn position(&self) -> usize {
        self.next
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_length_comes_back_as_pushed_or_cut_at_the_slot() {
        let ring: Ring<2, 4> = Ring::new();
        let line = Ring::<2, 4>::LINE;
        let text: [u8; 64] = core::array::from_fn(|i| b'a' + (i % 26) as u8);
        let mut reader = ring.reader_from_now();
        for n in 0..=line + 5 {
            ring.push(&text[..n]);
            let mut buf = [0u8; 64];
            if n <= line {
                assert_eq!(reader.read(&ring, &mut buf), Read::Line(n));
                assert_eq!(&buf[..n], &text[..n]);
            } else {
                assert_eq!(reader.read(&ring, &mut buf), Read::Line(line));
                assert_eq!(&buf[..line - 4], &text[..line - 4]);
                assert_eq!(&buf[line - 4..line], b"...\n");
            }
        }
    }
}
