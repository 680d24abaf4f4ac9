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
    buf: [u8; 2048],
    len: usize,
}

impl Msg {
    const fn new() -> Self {
        Msg {
            buf: [0; 2048],
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

    /// `` `name`: `prototype` ``, the way the hints quote another call.
    const fn push_call(self, p: &Proto) -> Self {
        self.push("`").push(p.name).push("`: `").push(p.c).push("`")
    }

    const fn fail(&self) -> ! {
        match core::str::from_utf8(self.buf.split_at(self.len).0) {
            Ok(s) => panic!("{}", s),
            Err(_) => panic!("a `#[syscall]` declaration does not match the kernel's prototype"),
        }
    }
}

/// Whether `s` is the concatenation of `parts`.
const fn eq_concat(s: &str, parts: &[&str]) -> bool {
    let s = s.as_bytes();
    let mut at = 0;
    let mut k = 0;
    while k < parts.len() {
        let p = parts[k].as_bytes();
        let mut j = 0;
        while j < p.len() {
            if at >= s.len() || s[at] != p[j] {
                return false;
            }
            at += 1;
            j += 1;
        }
        k += 1;
    }
    at == s.len()
}

const fn str_eq(a: &str, b: &str) -> bool {
    eq_concat(a, &[b])
}

const fn ends_with(s: &str, end: &str) -> bool {
    let (s, e) = (s.as_bytes(), end.as_bytes());
    if e.len() > s.len() {
        return false;
    }
    let mut i = 0;
    while i < e.len() {
        if s[s.len() - e.len() + i] != e[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// The call of this architecture named by the concatenation of `parts`.
const fn find(parts: &[&str]) -> Option<&'static Proto> {
    let all = table::ALL;
    let mut i = 0;
    while i < all.len() {
        if eq_concat(all[i].name, parts) {
            return Some(all[i]);
        }
        i += 1;
    }
    None
}

/// The first of these spellings of another call (each a concatenation of parts) that this
/// architecture has.
const fn find_first(cands: &[&[&str]]) -> Option<&'static Proto> {
    let mut i = 0;
    while i < cands.len() {
        if let Some(p) = find(cands[i]) {
            return Some(p);
        }
        i += 1;
    }
    None
}

/// Whether any argument of `p` takes a register pair here.
const fn has_pair(p: &Proto) -> bool {
    let Some(params) = p.params else {
        return false;
    };
    let mut i = 0;
    while i < params.len() {
        if params[i].pair {
            return true;
        }
        i += 1;
    }
    false
}

/// An argument name lowercased without underscores and digits, for comparing the man page's
/// names with the kernel's (`parent_tid`, `parent_tidptr`).
const fn norm(s: &str) -> ([u8; 32], usize) {
    let b = s.as_bytes();
    let mut out = [0u8; 32];
    let mut n = 0;
    let mut i = 0;
    while i < b.len() && n < out.len() {
        let c = b[i].to_ascii_lowercase();
        if c.is_ascii_lowercase() {
            out[n] = c;
            n += 1;
        }
        i += 1;
    }
    (out, n)
}

const fn contains(hay: &[u8], needle: &[u8]) -> bool {
    if needle.len() > hay.len() {
        return false;
    }
    let mut at = 0;
    while at + needle.len() <= hay.len() {
        let mut j = 0;
        while j < needle.len() && hay[at + j] == needle[j] {
            j += 1;
        }
        if j == needle.len() {
            return true;
        }
        at += 1;
    }
    false
}

/// Names of the same argument that share no letters run (the man page's, the kernel's).
const SYNONYMS: &[(&str, &str)] = &[
    ("stack", "newsp"),
    ("ptid", "parenttidptr"),
    ("ctid", "childtidptr"),
    ("dirfd", "dfd"),
    ("path", "filename"),
];

/// Whether the declared argument name `decl` names the kernel's parameter `kernel`: the same
/// letters, one containing the other (at least 3 letters), or a known synonym.
const fn same_arg(decl: &str, kernel: &str) -> bool {
    let (a, an) = norm(decl);
    let (b, bn) = norm(kernel);
    if an == 0 || bn == 0 {
        return false;
    }
    let a = a.split_at(an).0;
    let b = b.split_at(bn).0;
    if an == bn && contains(a, b) {
        return true;
    }
    if (an >= 3 && contains(b, a)) || (bn >= 3 && contains(a, b)) {
        return true;
    }
    let mut i = 0;
    while i < SYNONYMS.len() {
        let (x, y) = SYNONYMS[i];
        let (x, y) = (x.as_bytes(), y.as_bytes());
        if (bytes_eq(a, x) && bytes_eq(b, y)) || (bytes_eq(a, y) && bytes_eq(b, x)) {
            return true;
        }
        i += 1;
    }
    false
}

const fn bytes_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && contains(a, b)
}

/// Ids of 16 bits: the entry point of `getuid` and its kin on i386 and arm.
const fn is_uid16(p: &Proto) -> bool {
    ends_with(p.entry, "16") && eq_concat(p.entry, &["sys_", p.name, "16"])
}

/// The compile-time check of a `#[syscall]` declaration against the kernel's prototype on this
/// architecture. Called in a `const` item of the expansion; panics (a compile error) with a
/// message naming the declaration and a hint naming the call to declare instead, where this
/// architecture has one. In order:
/// - a legacy call with 16-bit ids (`sys_getuid16`, where `getuid32` exists);
/// - the argument count (`mmap` that is the one-pointer `old_mmap` here);
/// - word arguments in another order than the kernel's (by their names);
/// - which arguments take a register pair (a 64-bit value where the kernel takes a word, or
///   the reverse; `lseek` → `_llseek`, `ftruncate` → `ftruncate64`, `mmap` → `mmap2`);
/// - the size of what each pointer points at, where the kernel's is known (`sendfile` →
///   `sendfile64`, `clock_nanosleep` → `clock_nanosleep_time64`);
/// - at most six argument words (mips o32's `sync_file_range` needs seven).
///
/// For every argument word the declaration passes (a slice counts two: pointer, length):
/// `wide` says whether it is a 64-bit value that takes a pair on this architecture, `decl`
/// describes it as the user wrote it, `names` holds its declared name (`""` for a slice's
/// length) and `sizes` the size of what it points at (0: not a pointer, a byte pointer, or
/// not known).
///
/// `call` is the declaration's syscall name; `proto` its prototype ([`Proto::NONE`] for a
/// name this architecture lacks: `sys_nr!` reports that, this adds the call to declare instead
/// when there is one).
#[doc(hidden)]
pub const fn check(
    proto: &Proto,
    call: &str,
    wide: &[bool],
    decl: &[&str],
    names: &[&str],
    sizes: &[usize],
) {
    if proto.nr == usize::MAX {
        unknown(call);
        return;
    }
    if is_uid16(proto)
        && let Some(p32) = find(&[proto.name, "32"])
    {
        Msg::new()
            .push("`")
            .push(call)
            .push("` is the legacy `")
            .push(proto.entry)
            .push("` on this architecture: its ids have 16 bits (larger ones are truncated, or read as the overflow id 65534)\n= help: declare ")
            .push_call(p32)
            .push(" (the same arguments, 32-bit ids)")
            .fail();
    }
    if let Some(params) = proto.params {
        if params.len() != wide.len() {
            count_mismatch(proto, call, wide.len(), params);
        }
        order(proto, call, decl, names, params);
        let mut i = 0;
        while i < params.len() {
            if wide[i] != params[i].pair {
                pair_mismatch(proto, call, wide[i], decl[i], params, i);
            }
            i += 1;
        }
        let mut i = 0;
        while i < params.len() {
            let k = params[i].size;
            if k != 0 && sizes[i] != 0 && sizes[i] != k {
                size_mismatch(proto, call, decl[i], sizes[i], params, i);
            }
            i += 1;
        }
    }
    let words = crate::arg::packed_len(wide);
    if words > 6 {
        let m = Msg::new()
            .push("`")
            .push(call)
            .push("` needs ")
            .push_num(words)
            .push(" argument words on this architecture");
        let m = if proto.words > 6 {
            // mips o32: `fd` in a0, then the pair in a2/a3, the next on the stack.
            let m = m.push(" (its 64-bit values take register pairs that start at an even register), and libsys passes at most six\n= help: ");
            if str_eq(proto.name, "sync_file_range") {
                m.push("this architecture has no other form of it: `fdatasync` (the whole file) does what it does, or leave it out here")
            } else {
                m.push("the advice is optional: leave the call out on this architecture (`#[cfg(not(target_arch = \"mips\"))]`)")
            }
            .push("; the kernel's prototype here: `")
            .push(proto.c)
            .push("`")
        } else {
            m.push(" (64-bit values take a register pair on 32-bit ones, starting at an even register on arm and mips), but a system call takes at most six")
        };
        m.fail();
    }
}

/// For a name this architecture lacks: the call to declare instead, if there is one (the
/// error that the name is unknown is `sys_nr!`'s).
const fn unknown(call: &str) {
    let cands: &[&[&str]] = &[
        &["_", call],
        &[call, "2"],
        &["arm_", call],
        &["arm_", call, "_64"],
        &[call, "_64"],
        &[call, "64"],
        &[call, "_time64"],
        &[call, "32"],
    ];
    if call.is_empty() {
        return;
    }
    if let Some(p) = find_first(cands) {
        Msg::new()
            .push("`")
            .push(call)
            .push("` is not a system call of this architecture\n= help: declare ")
            .push_call(p)
            .fail();
    }
}

const fn count_mismatch(proto: &Proto, call: &str, declared: usize, params: &[Param]) -> ! {
    let m = Msg::new()
        .push("`")
        .push(call)
        .push("` is declared with ")
        .push_num(declared)
        .push(" argument(s) (a slice counts two: pointer and length), but the kernel's takes ")
        .push_num(params.len())
        .push(" on this architecture\n= help: ");
    let m = if str_eq(proto.name, "mmap") && params.len() == 1 {
        let m = m.push("`mmap` here is the old form that takes one pointer to the six values (`struct mmap_arg_struct`)");
        match find(&["mmap2"]) {
            Some(p2) => m
                .push("; declare ")
                .push_call(p2)
                .push(" (the offset in 4096-byte units)"),
            None => m
                .push(": declare `mmap(args: &MmapArgs)` with a `#[repr(C)]` struct of six words; the kernel's prototype here: `")
                .push(proto.c)
                .push("`"),
        }
    } else {
        m.push("the kernel's prototype here: `").push(proto.c).push("`")
    };
    m.fail()
}

/// A declared name that is the kernel's at another position (and not at its own): the
/// arguments are in another architecture's order (`clone` on s390x takes the stack first).
const fn order(proto: &Proto, call: &str, decl: &[&str], names: &[&str], params: &[Param]) {
    let mut i = 0;
    while i < params.len() {
        if !same_arg(names[i], params[i].name) {
            let mut j = 0;
            while j < params.len() {
                if j != i
                    && same_arg(names[i], params[j].name)
                    && !same_arg(names[j], params[j].name)
                {
                    Msg::new()
                        .push("`")
                        .push(decl[i])
                        .push("` is argument ")
                        .push_num(i + 1)
                        .push(" of `")
                        .push(call)
                        .push("`, but the kernel takes it (`")
                        .push(params[j].name)
                        .push("`) as argument ")
                        .push_num(j + 1)
                        .push(" on this architecture\n= help: declare the arguments in this architecture's order (a `#[cfg(target_arch = …)]` declaration each where the orders differ); the kernel's prototype here: `")
                        .push(proto.c)
                        .push("`")
                        .fail();
                }
                j += 1;
            }
        }
        i += 1;
    }
}

const fn pair_mismatch(
    proto: &Proto,
    call: &str,
    wide: bool,
    decl: &str,
    params: &[Param],
    i: usize,
) -> ! {
    let p = &params[i];
    let m = Msg::new().push("`").push(decl).push("` of `").push(call);
    if !wide {
        m.push("` is one register on this architecture, but the kernel's `")
            .push(p.name)
            .push("` is a 64-bit value in a register pair (`")
            .push(p.ctype)
            .push("`)\n= help: declare it as `u64` or `i64`; the kernel's prototype here: `")
            .push(proto.c)
            .push("`")
            .fail()
    }
    let m = m
        .push("` takes a register pair on this architecture, but the kernel's `")
        .push(p.name)
        .push("` is one word (`")
        .push(p.ctype)
        .push("`)\n= help: ");
    let name = proto.name;
    let m = if str_eq(name, "lseek")
        && let Some(ll) = find(&["_llseek"])
    {
        m.push("a word limits the offset to 2 GiB here; for 64-bit offsets declare ")
            .push_call(ll)
            .push(" (the offset as high and low words, the new position written through `result`)")
    } else if str_eq(name, "mmap")
        && i + 1 == params.len()
        && let Some(m2) = find(&["mmap2"])
    {
        m.push("a word limits the offset to 2 GiB here; for larger offsets declare ")
            .push_call(m2)
            .push(" (the offset in 4096-byte units), or declare the offset word-sized (`isize`)")
    } else if let Some(alt) = find_first(
        &[
            &[name, "64"],
            &[name, "_64"],
            &["arm_", name, "_64"],
            &[name, "2"],
        ]) && has_pair(alt)
    {
        m.push("for a 64-bit value declare ")
            .push_call(alt)
            .push("; the kernel's prototype of `")
            .push(name)
            .push("` here: `")
            .push(proto.c)
            .push("`")
    } else {
        m.push("declare it with a word-sized type (`isize`, `usize`, `i32`, `u32`); the kernel's prototype here: `")
            .push(proto.c)
            .push("`")
    };
    m.fail()
}

const fn size_mismatch(
    proto: &Proto,
    call: &str,
    decl: &str,
    declared: usize,
    params: &[Param],
    i: usize,
) -> ! {
    let p = &params[i];
    let m = Msg::new()
        .push("`")
        .push(decl)
        .push("` of `")
        .push(call)
        .push("` points at ")
        .push_num(declared)
        .push(" bytes, but the kernel's `")
        .push(p.name)
        .push("` (`")
        .push(p.ctype)
        .push("`) points at ")
        .push_num(p.size)
        .push(" on this architecture\n= help: ");
    let name = proto.name;
    let alt = match find(&[name, "_time64"]) {
        Some(a) => Some(a),
        None => find(&[name, "64"]),
    };
    let fits = match alt {
        Some(a) => match a.params {
            Some(ap) => ap.len() == params.len() && (ap[i].size == 0 || ap[i].size == declared),
            None => false,
        },
        None => false,
    };
    let m = match alt {
        Some(a) if fits => m
            .push("declare ")
            .push_call(a)
            .push(", which takes the ")
            .push_num(declared)
            .push("-byte one"),
        _ => m
            .push("declare it with a pointee of ")
            .push_num(p.size)
            .push(" bytes; the kernel's prototype here: `")
            .push(proto.c)
            .push("`"),
    };
    m.fail()
}

/// `PointeeSize::<T>::SIZE` is `size_of::<T>()` for a sized `T` and 0 (through
/// [`PointeeFallback`]) for any other, so that the pointee check of a `#[syscall]` expansion
/// adds no error of its own for an unsized type.
#[doc(hidden)]
pub struct PointeeSize<T: ?Sized>(core::marker::PhantomData<T>);

impl<T> PointeeSize<T> {
    /// `size_of::<T>()`.
    pub const SIZE: usize = core::mem::size_of::<T>();
}

/// The fallback of [`PointeeSize`] for unsized types.
#[doc(hidden)]
pub trait PointeeFallback {
    /// Not checked.
    const SIZE: usize = 0;
}

impl<T: ?Sized> PointeeFallback for PointeeSize<T> {}
