//! Conversion of Rust values into syscall argument words, and the packing of 64-bit values into
//! register pairs on 32-bit architectures.
//!
//! Facts: `syscall(2)` "Architecture calling conventions"; arm EABI (AAPCS §6.1.1, 64-bit
//! values in an even/odd register pair) and mips o32 align a 64-bit argument to an even argument
//! slot; i386 does not. All 32-bit targets supported here are little-endian, so the low word
//! comes first.

/// A value that can be passed to a system call.
///
/// Integers are widened the way C widens them to `long`: signed types are sign-extended and
/// unsigned types zero-extended. Pointers pass their address. On 32-bit architectures `u64` and
/// `i64` are [`WIDE`](Arg::WIDE) and travel in a register pair that sys-core lays out (including
/// the even-register alignment of arm EABI and mips o32), so callers never split them by hand.
///
/// Implement it for your own newtypes and flag types:
///
/// ```
/// use sys_core::Arg;
///
/// #[derive(Clone, Copy)]
/// struct OpenFlags(u32);
///
/// impl Arg for OpenFlags {
///     fn into_bits(self) -> u64 {
///         self.0.into_bits()
///     }
/// }
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be passed to a system call",
    label = "`Arg` is not implemented for `{Self}`",
    note = "supported: integers, `bool`, raw pointers, references, `Option<&T>`, `BorrowedFd` (feature `std`), and types that implement `sys_core::Arg`"
)]
pub trait Arg: Sized {
    /// Whether the value is 64 bits wide, so that it needs a register pair on 32-bit
    /// architectures. Only `u64` and `i64` (and types that forward to them) set this.
    const WIDE: bool = false;

    /// The value as it should appear in the argument register (or register pair), widened to
    /// 64 bits. For a value that is not [`WIDE`](Arg::WIDE), only the low `usize` bits are used.
    fn into_bits(self) -> u64;
}

macro_rules! narrow_ints {
    ($($t:ty),*) => {$(
        impl Arg for $t {
            #[inline(always)]
            fn into_bits(self) -> u64 {
                // Sign- or zero-extension, as C's conversion to `long` does.
                self as u64
            }
        }
    )*};
}
narrow_ints!(u8, u16, u32, usize, i8, i16, i32, isize);

impl Arg for bool {
    #[inline(always)]
    fn into_bits(self) -> u64 {
        u64::from(self)
    }
}

impl Arg for u64 {
    const WIDE: bool = cfg!(target_pointer_width = "32");
    #[inline(always)]
    fn into_bits(self) -> u64 {
        self
    }
}

impl Arg for i64 {
    const WIDE: bool = cfg!(target_pointer_width = "32");
    #[inline(always)]
    fn into_bits(self) -> u64 {
        self as u64
    }
}

impl<T: ?Sized> Arg for *const T {
    #[inline(always)]
    fn into_bits(self) -> u64 {
        self.cast::<()>().expose_provenance() as u64
    }
}

impl<T: ?Sized> Arg for *mut T {
    #[inline(always)]
    fn into_bits(self) -> u64 {
        self.cast::<()>().expose_provenance() as u64
    }
}

impl<T: ?Sized> Arg for core::ptr::NonNull<T> {
    #[inline(always)]
    fn into_bits(self) -> u64 {
        self.as_ptr().into_bits()
    }
}

impl<T: ?Sized> Arg for &T {
    #[inline(always)]
    fn into_bits(self) -> u64 {
        (self as *const T).into_bits()
    }
}

impl<T: ?Sized> Arg for &mut T {
    #[inline(always)]
    fn into_bits(self) -> u64 {
        (self as *mut T).into_bits()
    }
}

impl<T: ?Sized> Arg for Option<&T> {
    #[inline(always)]
    fn into_bits(self) -> u64 {
        match self {
            Some(r) => r.into_bits(),
            None => 0,
        }
    }
}

impl<T: ?Sized> Arg for Option<&mut T> {
    #[inline(always)]
    fn into_bits(self) -> u64 {
        match self {
            Some(r) => r.into_bits(),
            None => 0,
        }
    }
}

#[cfg(feature = "std")]
impl Arg for std::os::fd::BorrowedFd<'_> {
    #[inline(always)]
    fn into_bits(self) -> u64 {
        std::os::fd::AsRawFd::as_raw_fd(&self).into_bits()
    }
}

/// The value itself: the expansion of `#[syscall]` passes each argument through
/// `arg::<DeclaredType>(value)`, so that a type that is not [`Arg`] is reported at its
/// declaration.
#[doc(hidden)]
#[inline(always)]
pub fn arg<T: Arg>(value: T) -> T {
    value
}

/// `WideOf::<T>::WIDE` is `T::WIDE` for an [`Arg`] type and `false` (through [`WideFallback`])
/// for any other, so that the register check of a `#[syscall]` expansion adds no second error
/// to the one for a type that is not `Arg`.
#[doc(hidden)]
pub struct WideOf<T>(core::marker::PhantomData<T>);

impl<T: Arg> WideOf<T> {
    /// `T::WIDE`.
    pub const WIDE: bool = T::WIDE;
}

/// The fallback of [`WideOf`] for types that are not [`Arg`].
#[doc(hidden)]
pub trait WideFallback {
    /// Not wide.
    const WIDE: bool = false;
}

impl<T> WideFallback for WideOf<T> {}

/// Whether this architecture starts a 64-bit register pair at an even argument slot.
const PAIR_ALIGN: bool = cfg!(any(target_arch = "arm", target_arch = "mips"));

/// How many argument words the arguments with these widths occupy on this architecture,
/// counting pairs and alignment padding. Evaluated at compile time by [`Words::push`] callers.
#[doc(hidden)]
pub const fn packed_len(wide: &[bool]) -> usize {
    let mut n = 0;
    let mut i = 0;
    while i < wide.len() {
        if wide[i] && cfg!(target_pointer_width = "32") {
            if PAIR_ALIGN && n % 2 == 1 {
                n += 1;
            }
            n += 2;
        } else {
            n += 1;
        }
        i += 1;
    }
    n
}

/// Argument words being laid out for one call. Every method is `#[inline(always)]` and every
/// index is a compile-time constant after inlining, so the optimiser keeps the words in
/// registers; nothing of this struct survives in the generated code.
#[doc(hidden)]
pub struct Words {
    /// The words, in register order.
    pub w: [usize; 6],
    /// How many words are in use.
    pub len: usize,
}

impl Words {
    /// No words yet.
    #[inline(always)]
    pub const fn new() -> Self {
        Self { w: [0; 6], len: 0 }
    }

    #[inline(always)]
    fn word(&mut self, v: usize) {
        // The caller has checked `packed_len(..) <= 6` at compile time; the `if` keeps this
        // panic-free even if it had not.
        if self.len < self.w.len() {
            self.w[self.len] = v;
        }
        self.len += 1;
    }

    /// Appends one argument, as one word or as an (aligned) register pair.
    #[inline(always)]
    pub fn push<A: Arg>(&mut self, a: A) {
        let bits = a.into_bits();
        if A::WIDE && cfg!(target_pointer_width = "32") {
            if PAIR_ALIGN && self.len % 2 == 1 {
                self.word(0);
            }
            // Little-endian targets only (see the module docs): low word first.
            self.word(bits as u32 as usize);
            self.word((bits >> 32) as u32 as usize);
        } else {
            self.word(bits as usize);
        }
    }
}

impl Default for Words {
    fn default() -> Self {
        Self::new()
    }
}
