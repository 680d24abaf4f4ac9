//! A lock-free ring of trace lines in memory: fixed-size slots, a writer reserves a ticket with
//! one `fetch_add` and publishes its slot with a sequence stamp (a seqlock per slot); readers
//! copy lines out and detect lines that were overwritten meanwhile. No allocation, no lock;
//! when writers lap a slot that is still being written, the newer line is dropped and counted.
//! Memory-ordering facts: Boehm, "Can seqlocks get along with programming language memory
//! models?" (MSPC 2012), the fence-based reader used here.

use core::sync::atomic::{AtomicUsize, Ordering, fence};

const WORD: usize = core::mem::size_of::<usize>();

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
        let mut cut = [0u8; 4];
        let (body, tail): (&[u8], &[u8]) = if line.len() > Self::LINE {
            cut.copy_from_slice(b"...\n");
            (line.get(..Self::LINE - 4).unwrap_or(&[]), &cut)
        } else {
            (line, &[])
        };
        let len = body.len() + tail.len();
        let mut bytes = body.iter().chain(tail.iter());
        for w in slot.data.iter().take(len.div_ceil(WORD)) {
            let mut word = [0u8; WORD];
            for (b, c) in word.iter_mut().zip(&mut bytes) {
                *b = *c;
            }
            w.store(usize::from_ne_bytes(word), Ordering::Relaxed);
        }
        slot.len.store(len, Ordering::Relaxed);
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
