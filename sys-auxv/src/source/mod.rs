//! Where an auxiliary vector comes from: one module per source, each usable on its own.
//!
//! | source | module | needs | under valgrind |
//! |---|---|---|---|
//! | the initial stack, from a no-libc `_start` | [`stack`] | owning the entry point | valgrind's vector |
//! | `.init_array` capture of glibc's `(argc, argv, envp)` | [`init_array`] | glibc (not musl) | valgrind's vector |
//! | `/proc/self/auxv` | [`procfs`] | a mounted `/proc` | valgrind's vector (it fakes the file) |
//! | `prctl(PR_GET_AUXV)` | [`prctl`] | Linux ≥ 6.4 (qemu-user: `EINVAL`) | the kernel's: wrong |
//! | libc's `getauxval` | `libc` (feature `libc`) | a libc | valgrind's vector |
//!
//! Facts: `prctl(2)`, `proc_pid_auxv(5)`, `getauxval(3)`; valgrind 3.19 rewrites the vector
//! it builds for the client (`coregrind/m_initimg/initimg-linux.c`: the vDSO and entries it
//! does not support become `AT_IGNORE`) and serves that copy for `/proc/self/auxv`, but passes
//! `prctl` to the kernel, which answers with the vector it built for valgrind itself.

pub mod init_array;
#[cfg(feature = "libc")]
pub mod libc;
pub mod prctl;
pub mod procfs;
pub mod stack;

/// The source the process-wide vector was read from ([`crate::source()`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Source {
    /// [`crate::init_from_stack`], called by a no-libc entry point.
    Stack,
    /// The `.init_array` function, given `(argc, argv, envp)` by glibc at start-up.
    InitArray,
    /// libc's `getauxval` (feature `libc`).
    Libc,
    /// `/proc/self/auxv`.
    Procfs,
    /// `prctl(PR_GET_AUXV)`.
    Prctl,
}

impl Source {
    /// Whether every address in a vector from this source is mapped in this process as the
    /// vector says (so that the vDSO header can be read without asking the kernel first).
    /// `/proc` and `prctl` describe the process as the kernel started it, which is not what
    /// runs under an emulator that does not intercept them.
    pub(crate) const fn maps_its_pointers(self) -> bool {
        matches!(self, Source::Stack | Source::InitArray | Source::Libc)
    }

    /// A non-zero number for a `u8` in a zero-initialised static.
    pub(crate) const fn code(self) -> u8 {
        match self {
            Source::Stack => 1,
            Source::InitArray => 2,
            Source::Libc => 3,
            Source::Procfs => 4,
            Source::Prctl => 5,
        }
    }

    /// The source with [`Source::code`] `code`.
    pub(crate) const fn from_code(code: u8) -> Option<Source> {
        Some(match code {
            1 => Source::Stack,
            2 => Source::InitArray,
            3 => Source::Libc,
            4 => Source::Procfs,
            5 => Source::Prctl,
            _ => return None,
        })
    }

    /// A short lowercase name (`"init-array"`).
    pub const fn name(self) -> &'static str {
        match self {
            Source::Stack => "stack",
            Source::InitArray => "init-array",
            Source::Libc => "libc",
            Source::Procfs => "procfs",
            Source::Prctl => "prctl",
        }
    }
}

/// Words of the buffer the system-call sources read into: room for [`crate::CAPACITY`]
/// entries and `AT_NULL`.
pub(crate) const BUF_WORDS: usize = 2 * (crate::CAPACITY + 1);

/// The first `len` bytes of `buf`.
pub(crate) fn bytes_of(buf: &[usize], len: usize) -> &[u8] {
    let len = len.min(size_of_val(buf));
    // SAFETY: `buf` is initialised memory of at least `len` bytes, valid for reads for the
    // returned lifetime; any byte pattern is a valid `u8`.
    unsafe { core::slice::from_raw_parts(buf.as_ptr().cast::<u8>(), len) }
}
