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
const fn find(all: &[&'static Proto], parts: &[&str]) -> Option<&'static Proto> {
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
const fn find_first(all: &[&'static Proto], cands: &[&[&str]]) -> Option<&'static Proto> {
    let mut i = 0;
    while i < cands.len() {
        if let Some(p) = find(all, cands[i]) {
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
/// name this architecture lacks: `sys_nr!` reports that, this adds `_llseek` for `llseek`).
#[doc(hidden)]
pub const fn check(
    proto: &Proto,
    call: &str,
    wide: &[bool],
    decl: &[&str],
    names: &[&str],
    sizes: &[usize],
) {
    check_in(table::ALL, proto, call, wide, decl, names, sizes)
}

/// [`check`] with `all` as this architecture's calls (the hints' other calls come from it).
const fn check_in(
    all: &[&'static Proto],
    proto: &Proto,
    call: &str,
    wide: &[bool],
    decl: &[&str],
    names: &[&str],
    sizes: &[usize],
) {
    if proto.nr == usize::MAX {
        unknown(all, call);
        return;
    }
    if is_uid16(proto)
        && let Some(p32) = find(all, &[proto.name, "32"])
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
            count_mismatch(all, proto, call, wide.len(), params);
        }
        order(proto, call, decl, names, params);
        let mut i = 0;
        while i < params.len() {
            if wide[i] != params[i].pair {
                pair_mismatch(all, proto, call, wide[i], decl[i], params, i);
            }
            i += 1;
        }
        let mut i = 0;
        while i < params.len() {
            let k = params[i].size;
            // An array's whole size (`ARRAY` set) may hold several of the kernel's objects
            // (`utimensat`'s two timespecs as `[u64; 4]`) or be one of them (`[[u8; 65]; 6]`
            // for `struct new_utsname`).
            let d = sizes[i] & !ARRAY;
            let fits = d == k || (sizes[i] & ARRAY != 0 && k != 0 && d.is_multiple_of(k));
            if k != 0 && d != 0 && !fits {
                size_mismatch(all, proto, call, decl[i], d, params, i);
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

/// For a name this architecture lacks: the underscored call of the same name (`llseek`, the
/// man page's name, is `_llseek`). `sys_nr!` reports the name itself, naming the call of
/// this architecture for the names other architectures have (`sync_file_range` →
/// `sync_file_range2` on arm).
const fn unknown(all: &[&'static Proto], call: &str) {
    if call.is_empty() {
        return;
    }
    if let Some(p) = find(all, &["_", call]) {
        Msg::new()
            .push("`")
            .push(call)
            .push("` is not a system call of this architecture\n= help: declare ")
            .push_call(p)
            .fail();
    }
}

const fn count_mismatch(
    all: &[&'static Proto],
    proto: &Proto,
    call: &str,
    declared: usize,
    params: &[Param],
) -> ! {
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
        match find(all, &["mmap2"]) {
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
        m.push("the kernel's prototype here: `")
            .push(proto.c)
            .push("`")
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
    all: &[&'static Proto],
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
        && let Some(ll) = find(all, &["_llseek"])
    {
        m.push("a word limits the offset to 2 GiB here; for 64-bit offsets declare ")
            .push_call(ll)
            .push(" (the offset as high and low words, the new position written through `result`)")
    } else if str_eq(name, "mmap")
        && i + 1 == params.len()
        && let Some(m2) = find(all, &["mmap2"])
    {
        m.push("a word limits the offset to 2 GiB here; for larger offsets declare ")
            .push_call(m2)
            .push(" (the offset in 4096-byte units), or declare the offset word-sized (`isize`)")
    } else if let Some(alt) = find_first(
        all,
        &[
            &[name, "64"],
            &[name, "_64"],
            &["arm_", name, "_64"],
            &[name, "2"],
        ],
    ) && has_pair(alt)
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
    all: &[&'static Proto],
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
    let alt = match find(all, &[name, "_time64"]) {
        Some(a) => Some(a),
        None => find(all, &[name, "64"]),
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

/// Or'ed into a declared pointee size of [`check`]: the size is an array's whole size
/// (`&[T; N]`), accepted when it is a multiple of the kernel's object.
#[doc(hidden)]
pub const ARRAY: usize = 1 << (usize::BITS - 1);

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

#[cfg(test)]
mod tests {
    //! [`check`] against hand-made tables of a 32-bit architecture (facts: i386's and s390x's
    //! syscall tables and `SYSCALL_DEFINE`s of Linux 7.3: `sendfile`'s `off_t` and the old
    //! `struct old_timespec32` are 4 and 8 bytes on i386, `sys_getuid16`, s390x's `clone`).
    extern crate std;
    use super::Kind::*;
    use super::*;
    use std::string::{String, ToString};

    const SENDFILE: Proto = Proto::new(
        "sendfile",
        187,
        "sys_sendfile",
        "sys_sendfile(int out_fd, int in_fd, off_t __user *offset, size_t count)",
        &[
            Param::new("out_fd", "int", Word, false),
            Param::new("in_fd", "int", Word, false),
            Param::new("offset", "off_t __user *", Out, false).pointee(4),
            Param::new("count", "size_t", Word, false),
        ],
        4,
        true,
    );
    const SENDFILE64: Proto = Proto::new(
        "sendfile64",
        239,
        "sys_sendfile64",
        "sys_sendfile64(int out_fd, int in_fd, loff_t __user *offset, size_t count)",
        &[
            Param::new("out_fd", "int", Word, false),
            Param::new("in_fd", "int", Word, false),
            Param::new("offset", "loff_t __user *", Out, false).pointee(8),
            Param::new("count", "size_t", Word, false),
        ],
        4,
        true,
    );
    const NANOSLEEP: Proto = Proto::new(
        "clock_nanosleep",
        267,
        "sys_clock_nanosleep_time32",
        "sys_clock_nanosleep_time32(clockid_t which_clock, int flags, struct old_timespec32 __user *rqtp, struct old_timespec32 __user *rmtp)",
        &[
            Param::new("which_clock", "clockid_t", Word, false),
            Param::new("flags", "int", Word, false),
            Param::new("rqtp", "struct old_timespec32 __user *", In, false).pointee(8),
            Param::new("rmtp", "struct old_timespec32 __user *", Out, false).pointee(8),
        ],
        4,
        true,
    );
    const NANOSLEEP64: Proto = Proto::new(
        "clock_nanosleep_time64",
        407,
        "sys_clock_nanosleep",
        "sys_clock_nanosleep(const clockid_t which_clock, int flags, const struct __kernel_timespec __user *rqtp, struct __kernel_timespec __user *rmtp)",
        &[
            Param::new("which_clock", "const clockid_t", Word, false),
            Param::new("flags", "int", Word, false),
            Param::new("rqtp", "const struct __kernel_timespec __user *", In, false).pointee(16),
            Param::new("rmtp", "struct __kernel_timespec __user *", Out, false).pointee(16),
        ],
        4,
        true,
    );
    const GETUID: Proto = Proto::new(
        "getuid",
        24,
        "sys_getuid16",
        "sys_getuid16(void)",
        &[],
        0,
        true,
    );
    const GETUID32: Proto = Proto::new(
        "getuid32",
        199,
        "sys_getuid",
        "sys_getuid(void)",
        &[],
        0,
        true,
    );
    const LSEEK: Proto = Proto::new(
        "lseek",
        19,
        "sys_lseek",
        "sys_lseek(unsigned int fd, off_t offset, unsigned int whence)",
        &[
            Param::new("fd", "unsigned int", Word, false),
            Param::new("offset", "off_t", Word, false),
            Param::new("whence", "unsigned int", Word, false),
        ],
        3,
        true,
    );
    const LLSEEK: Proto = Proto::new(
        "_llseek",
        140,
        "sys_llseek",
        "sys_llseek(unsigned int fd, unsigned long offset_high, unsigned long offset_low, loff_t __user *result, unsigned int whence)",
        &[
            Param::new("fd", "unsigned int", Word, false),
            Param::new("offset_high", "unsigned long", Word, false),
            Param::new("offset_low", "unsigned long", Word, false),
            Param::new("result", "loff_t __user *", Out, false).pointee(8),
            Param::new("whence", "unsigned int", Word, false),
        ],
        5,
        true,
    );
    const CLONE_S390X: Proto = Proto::new(
        "clone",
        120,
        "sys_clone",
        "sys_clone(unsigned long newsp, unsigned long clone_flags, int __user *parent_tidptr, int __user *child_tidptr, unsigned long tls)",
        &[
            Param::new("newsp", "unsigned long", Word, false),
            Param::new("clone_flags", "unsigned long", Word, false),
            Param::new("parent_tidptr", "int __user *", Out, false),
            Param::new("child_tidptr", "int __user *", Out, false),
            Param::new("tls", "unsigned long", Word, false),
        ],
        5,
        true,
    );
    /// mips o32: `fd` in a0, a1 unused, `offset` in a2/a3, `nbytes` and `flags` on the stack.
    const SYNC_FILE_RANGE_O32: Proto = Proto::new(
        "sync_file_range",
        4305,
        "sys_sync_file_range",
        "sys_sync_file_range(int fd, loff_t offset, loff_t nbytes, unsigned int flags)",
        &[
            Param::new("fd", "int", Word, false),
            Param::new("offset", "loff_t", Wide, true),
            Param::new("nbytes", "loff_t", Wide, true),
            Param::new("flags", "unsigned int", Word, false),
        ],
        7,
        true,
    );
    const SYNC_FILE_RANGE2: Proto = Proto::new(
        "sync_file_range2",
        341,
        "sys_sync_file_range2",
        "sys_sync_file_range2(int fd, unsigned int flags, loff_t offset, loff_t nbytes)",
        &[
            Param::new("fd", "int", Word, false),
            Param::new("flags", "unsigned int", Word, false),
            Param::new("offset", "loff_t", Wide, true),
            Param::new("nbytes", "loff_t", Wide, true),
        ],
        6,
        true,
    );
    const ALL: &[&Proto] = &[
        &LSEEK,
        &GETUID,
        &LLSEEK,
        &SENDFILE,
        &GETUID32,
        &SENDFILE64,
        &NANOSLEEP,
        &SYNC_FILE_RANGE2,
        &NANOSLEEP64,
    ];

    /// `check_in(ALL, …)`'s compile error, `None` if it accepts the declaration.
    fn error(
        proto: &Proto,
        wide: &[bool],
        decl: &[&str],
        names: &[&str],
        sizes: &[usize],
    ) -> Option<String> {
        std::panic::set_hook(std::boxed::Box::new(|_| {}));
        let r =
            std::panic::catch_unwind(|| check_in(ALL, proto, proto.name, wide, decl, names, sizes));
        let _ = std::panic::take_hook();
        match r {
            Ok(()) => None,
            Err(e) => Some(match e.downcast_ref::<String>() {
                Some(s) => s.clone(),
                None => e.downcast_ref::<&str>().unwrap_or(&"?").to_string(),
            }),
        }
    }

    const SENDFILE_DECL: [&str; 4] = [
        "out_fd: i32",
        "in_fd: i32",
        "offset: Option<&mut i64>",
        "count: usize",
    ];
    const SENDFILE_NAMES: [&str; 4] = ["out_fd", "in_fd", "offset", "count"];

    #[test]
    fn sendfile_with_a_64_bit_offset_names_sendfile64() {
        let e = error(
            &SENDFILE,
            &[false; 4],
            &SENDFILE_DECL,
            &SENDFILE_NAMES,
            &[0, 0, 8, 0],
        );
        assert_eq!(
            e.as_deref(),
            Some(
                "`offset: Option<&mut i64>` of `sendfile` points at 8 bytes, but the kernel's `offset` (`off_t __user *`) points at 4 on this architecture\n= help: declare `sendfile64`: `sys_sendfile64(int out_fd, int in_fd, loff_t __user *offset, size_t count)`, which takes the 8-byte one"
            )
        );
    }

    #[test]
    fn pointees_of_the_kernels_size_or_unknown_are_accepted() {
        let w = [false; 4];
        assert_eq!(
            error(
                &SENDFILE,
                &w,
                &SENDFILE_DECL,
                &SENDFILE_NAMES,
                &[0, 0, 4, 0]
            ),
            None
        );
        assert_eq!(
            error(
                &SENDFILE,
                &w,
                &SENDFILE_DECL,
                &SENDFILE_NAMES,
                &[0, 0, 0, 0]
            ),
            None
        );
        assert_eq!(
            error(
                &SENDFILE64,
                &w,
                &SENDFILE_DECL,
                &SENDFILE_NAMES,
                &[0, 0, 8, 0]
            ),
            None
        );
    }

    #[test]
    fn clock_nanosleep_with_a_64_bit_timespec_names_the_time64_call() {
        let decl = [
            "clock: i32",
            "flags: i32",
            "req: &Timespec",
            "rem: Option<&mut Timespec>",
        ];
        let names = ["clock", "flags", "req", "rem"];
        let e = error(&NANOSLEEP, &[false; 4], &decl, &names, &[0, 0, 16, 16]).unwrap();
        assert!(e.starts_with("`req: &Timespec` of `clock_nanosleep` points at 16 bytes, but the kernel's `rqtp` (`struct old_timespec32 __user *`) points at 8 on this architecture\n= help: declare `clock_nanosleep_time64`: `sys_clock_nanosleep(const clockid_t"), "{e}");
        // A pointee size no other call takes: the sizes themselves.
        let e = error(&NANOSLEEP, &[false; 4], &decl, &names, &[0, 0, 12, 0]).unwrap();
        assert!(e.ends_with("= help: declare it with a pointee of 8 bytes; the kernel's prototype here: `sys_clock_nanosleep_time32(clockid_t which_clock, int flags, struct old_timespec32 __user *rqtp, struct old_timespec32 __user *rmtp)`"), "{e}");
    }

    #[test]
    fn legacy_16_bit_getuid_names_getuid32() {
        assert_eq!(
            error(&GETUID, &[], &[], &[], &[]).as_deref(),
            Some(
                "`getuid` is the legacy `sys_getuid16` on this architecture: its ids have 16 bits (larger ones are truncated, or read as the overflow id 65534)\n= help: declare `getuid32`: `sys_getuid(void)` (the same arguments, 32-bit ids)"
            )
        );
        assert_eq!(error(&GETUID32, &[], &[], &[], &[]), None);
    }

    const CLONE_DECL_X86_64: [&str; 5] = [
        "flags: usize",
        "stack: usize",
        "parent_tid: *mut i32",
        "child_tid: *mut i32",
        "tls: usize",
    ];

    #[test]
    fn clone_in_x86_64_order_is_refused_on_s390x() {
        let names = ["flags", "stack", "parent_tid", "child_tid", "tls"];
        let e = error(
            &CLONE_S390X,
            &[false; 5],
            &CLONE_DECL_X86_64,
            &names,
            &[0; 5],
        );
        assert_eq!(
            e.as_deref(),
            Some(
                "`flags: usize` is argument 1 of `clone`, but the kernel takes it (`clone_flags`) as argument 2 on this architecture\n= help: declare the arguments in this architecture's order (a `#[cfg(target_arch = …)]` declaration each where the orders differ); the kernel's prototype here: `sys_clone(unsigned long newsp, unsigned long clone_flags, int __user *parent_tidptr, int __user *child_tidptr, unsigned long tls)`"
            )
        );
        let names = ["stack", "flags", "parent_tid", "child_tid", "tls"];
        assert_eq!(
            error(
                &CLONE_S390X,
                &[false; 5],
                &CLONE_DECL_X86_64,
                &names,
                &[0; 5]
            ),
            None
        );
        // Names the kernel does not use say nothing about the order.
        let names = ["a", "b", "c", "d", "e"];
        assert_eq!(
            error(
                &CLONE_S390X,
                &[false; 5],
                &CLONE_DECL_X86_64,
                &names,
                &[0; 5]
            ),
            None
        );
    }

    #[test]
    fn man_page_names_match_the_kernels() {
        assert!(same_arg("flags", "clone_flags"));
        assert!(same_arg("stack", "newsp"));
        assert!(same_arg("parent_tid", "parent_tidptr"));
        assert!(same_arg("buf", "ubuf"));
        assert!(same_arg("dirfd", "dfd"));
        assert!(!same_arg("fd", "out_fd"), "two letters are not enough");
        assert!(!same_arg("stack", "clone_flags"));
        assert!(!same_arg("", "fd"));
    }

    #[test]
    fn lseek_with_a_64_bit_offset_names_llseek() {
        let decl = ["fd: i32", "offset: i64", "whence: i32"];
        let e = error(
            &LSEEK,
            &[false, true, false],
            &decl,
            &["fd", "offset", "whence"],
            &[0; 3],
        );
        assert_eq!(
            e.as_deref(),
            Some(
                "`offset: i64` of `lseek` takes a register pair on this architecture, but the kernel's `offset` is one word (`off_t`)\n= help: a word limits the offset to 2 GiB here; for 64-bit offsets declare `_llseek`: `sys_llseek(unsigned int fd, unsigned long offset_high, unsigned long offset_low, loff_t __user *result, unsigned int whence)` (the offset as high and low words, the new position written through `result`)"
            )
        );
    }

    #[test]
    fn seven_words_on_mips_o32_are_refused_with_what_works() {
        let decl = ["fd: i32", "offset: i64", "nbytes: i64", "flags: u32"];
        let names = ["fd", "offset", "nbytes", "flags"];
        let wide = [false, true, true, false];
        if crate::arg::packed_len(&wide) <= 6 {
            // Not a 32-bit architecture with aligned pairs: the words fit.
            assert_eq!(
                error(&SYNC_FILE_RANGE_O32, &wide, &decl, &names, &[0; 4]),
                None
            );
            return;
        }
        let e = error(&SYNC_FILE_RANGE_O32, &wide, &decl, &names, &[0; 4]).unwrap();
        assert!(
            e.starts_with("`sync_file_range` needs 7 argument words on this architecture"),
            "{e}"
        );
    }

    #[test]
    fn llseek_names_llseek_with_its_underscore() {
        let e =
            std::panic::catch_unwind(|| check_in(ALL, &Proto::NONE, "llseek", &[], &[], &[], &[]));
        let e = e.unwrap_err();
        assert_eq!(
            e.downcast_ref::<String>().map(String::as_str),
            Some(
                "`llseek` is not a system call of this architecture\n= help: declare `_llseek`: `sys_llseek(unsigned int fd, unsigned long offset_high, unsigned long offset_low, loff_t __user *result, unsigned int whence)`"
            )
        );
        // Other unknown names are `sys_nr!`'s to report.
        check_in(ALL, &Proto::NONE, "sync_file_range", &[], &[], &[], &[]);
    }
}
