//! The kernel's own prototype of every system call of the target architecture: argument names,
//! C types, which `__user` pointers the kernel reads or writes, which arguments take a register
//! pair here, and whether the call can fail.
//!
//! Generated from the kernel source by `tools/gen-syscall-protos.py` (see each file's
//! `@generated` header): the entry point each number is wired to in the architecture's syscall
//! table (`arch/*/…/syscall*.tbl`, `scripts/syscall.tbl`) and the `SYSCALL_DEFINEn` that defines
//! it. `#[syscall]` wrappers check their declarations against it at compile time (the
//! target-dependent part in `const` assertions, see [`check`]); tracers can name the arguments
//! of raw [`syscall!`](crate::syscall) calls with [`by_nr`].
//!
//! ```
//! let p = sys_core::proto::by_nr(sys_core::nr::openat).unwrap();
//! assert_eq!(p.name(), "openat");
//! assert!(p.arg_names().eq(["dfd", "filename", "flags", "mode"]));
//! ```

// Plain `cfg`s rather than `cfg_if!`, as in `nr`: the `#[macro_export]` `__sys_proto!` in the
// table file must not be macro-expanded. The files are one line per call: not rustfmt's.
#[cfg(target_arch = "x86_64")]
#[path = "x86_64.rs"]
mod table;
#[cfg(target_arch = "x86")]
#[path = "x86.rs"]
mod table;
#[cfg(target_arch = "aarch64")]
#[path = "aarch64.rs"]
mod table;
#[cfg(target_arch = "arm")]
#[path = "arm.rs"]
mod table;
#[cfg(target_arch = "riscv64")]
#[path = "riscv64.rs"]
mod table;
#[cfg(target_arch = "powerpc64")]
#[path = "powerpc64.rs"]
mod table;
#[cfg(target_arch = "s390x")]
#[path = "s390x.rs"]
mod table;
#[cfg(target_arch = "loongarch64")]
#[path = "loongarch64.rs"]
mod table;
#[cfg(target_arch = "mips")]
#[path = "mips.rs"]
mod table;
#[cfg(target_arch = "mips64")]
#[path = "mips64.rs"]
mod table;

pub use self::table::*;

/// What an argument is, from its C type in the kernel's prototype.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// An integer of at most a word (`int`, `unsigned long`, `size_t`, `off_t`), or an address
    /// the kernel does not access as user memory.
    Word,
    /// A 64-bit integer (`loff_t`, `u64`): a register pair on 32-bit architectures.
    Wide,
    /// A `const … __user *` pointer (or one the kernel only reads): the kernel reads through
    /// it.
    In,
    /// A `__user *` pointer without `const`: the kernel may write through it.
    Out,
}

/// One argument of a kernel prototype.
#[derive(Clone, Copy, Debug)]
pub struct Param {
    /// The kernel's name for it (`"filename"`).
    pub name: &'static str,
    /// Its C type (`"const char __user *"`); two halves for a value the kernel takes as
    /// explicit low and high words.
    pub ctype: &'static str,
    /// What it is.
    pub kind: Kind,
    /// Whether it takes a register pair on this architecture.
    pub pair: bool,
    /// For a pointer: the size in bytes on this architecture of one object it points at (a
    /// kernel scalar such as `off_t`, or a kernel structure such as `struct
    /// __kernel_timespec`); 0 when unknown or not a pointer, or for a byte buffer (`void *`,
    /// `char *`).
    pub size: usize,
}

impl Param {
    #[doc(hidden)]
    pub const fn new(name: &'static str, ctype: &'static str, kind: Kind, pair: bool) -> Self {
        Param {
            name,
            ctype,
            kind,
            pair,
            size: 0,
        }
    }

    /// The same, with the size of the pointee on this architecture.
    #[doc(hidden)]
    pub const fn pointee(self, size: usize) -> Self {
        Param { size, ..self }
    }
}

/// The kernel's prototype of one system call on this architecture.
#[derive(Debug)]
pub struct Proto {
    name: &'static str,
    nr: usize,
    entry: &'static str,
    c: &'static str,
    params: Option<&'static [Param]>,
    words: usize,
    fails: bool,
}

impl Proto {
    /// What `sys_proto!` gives for a name this architecture lacks.
    #[doc(hidden)]
    pub const NONE: Proto = Proto::unknown("", usize::MAX, "");

    #[doc(hidden)]
    pub const fn new(
        name: &'static str,
        nr: usize,
        entry: &'static str,
        c: &'static str,
        params: &'static [Param],
        words: usize,
        fails: bool,
    ) -> Self {
        Proto {
            name,
            nr,
            entry,
            c,
            params: Some(params),
            words,
            fails,
        }
    }

    /// A call without a prototype: not implemented (`sys_ni_syscall`) or defined in assembly.
    #[doc(hidden)]
    pub const fn unknown(name: &'static str, nr: usize, entry: &'static str) -> Self {
        Proto {
            name,
            nr,
            entry,
            c: entry,
            params: None,
            words: 0,
            fails: true,
        }
    }

    /// The system call's name (`"openat"`).
    pub const fn name(&self) -> &'static str {
        self.name
    }

    /// Its number on this architecture.
    pub const fn nr(&self) -> usize {
        self.nr
    }

    /// The kernel function the number is wired to (`"sys_openat"`, `"sys_ia32_pread64"`).
    pub const fn entry(&self) -> &'static str {
        self.entry
    }

    /// The prototype as C text (`"sys_openat(int dfd, const char __user *filename, …)"`).
    pub const fn c(&self) -> &'static str {
        self.c
    }

    /// The arguments, in order; `None` when the kernel has no C prototype for the entry point
    /// (not implemented here, or written in assembly).
    pub const fn params(&self) -> Option<&'static [Param]> {
        self.params
    }

    /// The argument names, in order (none for a call without a prototype).
    pub fn arg_names(&self) -> impl Iterator<Item = &'static str> {
        self.params.unwrap_or(&[]).iter().map(|p| p.name)
    }

    /// How many argument registers the call takes on this architecture (pairs and their
    /// alignment included).
    pub const fn words(&self) -> usize {
        self.words
    }

    /// Whether the call can fail (every call but a few such as `getpid`).
    pub const fn can_fail(&self) -> bool {
        self.fails
    }
}

/// The prototype of system call `nr` on this architecture.
///
/// ```
/// let p = sys_core::proto::by_nr(sys_core::nr::read).unwrap();
/// assert_eq!(p.params().unwrap()[1].kind, sys_core::proto::Kind::Out);
/// ```
pub fn by_nr(nr: usize) -> Option<&'static Proto> {
    let first = table::ALL.partition_point(|p| p.nr < nr);
    table::ALL.get(first).copied().filter(|p| p.nr == nr)
}

/// The prototype of the system call called `name` on this architecture.
pub fn by_name(name: &str) -> Option<&'static Proto> {
    table::ALL.iter().copied().find(|p| p.name == name)
}

/// Every system call of this architecture, sorted by number.
pub fn all() -> &'static [&'static Proto] {
    table::ALL
}

/// The prototype of the system call named `$name` on the target architecture, as a
/// `&'static Proto` constant expression (a name the architecture lacks gives an empty one:
/// `sys_nr!` reports that). For the expansions of `#[syscall]`.
#[doc(hidden)]
pub use crate::__sys_proto as sys_proto;

/// A message assembled at compile time (`const fn`s cannot format).
struct Msg {
    buf: [u8; 1024],
    len: usize,
}

impl Msg {
    const fn new() -> Self {
        Msg {
            buf: [0; 1024],
            len: 0,
        }
    }

    const fn push(mut self, s: &str) -> Self {
        let b = s.as_bytes();
        let mut i = 0;
        // Stop before a UTF-8 continuation byte at the limit, so the text stays valid.
        while i < b.len() && self.len < self.buf.len() - 4 {
            self.buf[self.len] = b[i];
            self.len += 1;
            i += 1;
        }
        while i < b.len() && b[i] & 0xc0 == 0x80 && self.len < self.buf.len() {
            self.buf[self.len] = b[i];
            self.len += 1;
            i += 1;
        }
        self
    }

    const fn push_num(self, n: usize) -> Self {
        let mut digits = [0u8; 20];
        let mut i = digits.len();
        let mut n = n;
        loop {
            i -= 1;
            digits[i] = b'0' + (n % 10) as u8;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        match core::str::from_utf8(digits.split_at(i).1) {
            Ok(s) => self.push(s),
            Err(_) => self,
        }
    }

    const fn fail(&self) -> ! {
        match core::str::from_utf8(self.buf.split_at(self.len).0) {
            Ok(s) => panic!("{}", s),
            Err(_) => panic!("a `#[syscall]` declaration does not match the kernel's prototype"),
        }
    }
}

/// The compile-time check of a `#[syscall]` declaration against the kernel's prototype on this
/// architecture: the argument count, and which arguments take a register pair (a 64-bit value
/// where the kernel takes a word, or the reverse). Called in a `const` block of the expansion;
/// panics (a compile error) with a message naming the declaration.
///
/// `call` is the declaration's syscall name, `wide` says for every argument word the
/// declaration passes (a slice counts two) whether it is a 64-bit value that takes a pair on
/// this architecture, and `decl` describes each of them as the user wrote it.
#[doc(hidden)]
pub const fn check(proto: &Proto, call: &str, wide: &[bool], decl: &[&str]) {
    let Some(params) = proto.params else {
        return;
    };
    if params.len() != wide.len() {
        Msg::new()
            .push("`")
            .push(call)
            .push("` is declared with ")
            .push_num(wide.len())
            .push(" argument(s) (a slice counts two: pointer and length), but the kernel's takes ")
            .push_num(params.len())
            .push(" on this architecture\n= help: the kernel's prototype here: `")
            .push(proto.c)
            .push("`")
            .fail();
    }
    let mut i = 0;
    while i < params.len() {
        let p = &params[i];
        if wide[i] != p.pair {
            let mut m = Msg::new().push("`").push(decl[i]).push("` of `").push(call);
            m = if wide[i] {
                m.push("` takes a register pair on this architecture, but the kernel's `")
                    .push(p.name)
                    .push("` is one word (`")
                    .push(p.ctype)
                    .push("`)\n= help: declare it with a word-sized type (`isize`, `usize`, `i32`, `u32`); the kernel's prototype here: `")
            } else {
                m.push("` is one register on this architecture, but the kernel's `")
                    .push(p.name)
                    .push("` is a 64-bit value in a register pair (`")
                    .push(p.ctype)
                    .push(
                        "`)\n= help: declare it as `u64` or `i64`; the kernel's prototype here: `",
                    )
            };
            m.push(proto.c).push("`").fail();
        }
        i += 1;
    }
}
