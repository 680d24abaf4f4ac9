//! The small kernel-prototype types of the generated table (`proto_table.rs`, from
//! `tools/gen-syscall-protos.py`): what every architecture's prototype of one call agrees on.
//! The table imports only this file; the checks (`check.rs`) read it.

/// What a kernel argument is (see sys-core's `proto::Kind`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Kind {
    /// At most a word.
    Word,
    /// 64 bits: a register pair on 32-bit architectures.
    Wide,
    /// A pointer the kernel reads.
    In,
    /// A pointer the kernel may write through.
    Out,
}

/// What the length argument of a pointer counts.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Unit {
    /// Bytes (`read`'s `count`, `bind`'s `addrlen`, `sched_getaffinity`'s `len`).
    Bytes,
    /// Elements of the pointee type (`poll`'s `nfds`, `readv`'s `vlen`).
    Elements,
    /// Bits (`mbind`'s `maxnode`): no slice maps onto it.
    Bits,
}

/// The argument that holds a pointer argument's length.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) struct Len {
    /// Its index in the prototype's arguments.
    pub(crate) index: usize,
    /// What it counts.
    pub(crate) unit: Unit,
}

/// One argument of the kernel's prototype.
#[derive(Debug)]
pub(crate) struct KParam {
    /// The kernel's name for it (`"buf"`).
    pub(crate) name: &'static str,
    /// Its C type (`"char __user *"`), the first architecture's.
    pub(crate) ctype: &'static str,
    /// What it is, with the generator's `READ_ONLY` list applied (pointers the kernel only
    /// reads although their type has no `const` are `In`).
    pub(crate) kind: Kind,
    /// For a pointer: the argument that holds its length, if one does, and what it counts.
    /// It may come before the pointer (`sched_getaffinity(pid, len, mask)`, `getgroups`,
    /// `io_submit`); a slice maps onto the pair only when it directly follows.
    pub(crate) len: Option<Len>,
    /// For a pointer the kernel reads: why the kernel writes through pointers it finds there
    /// (`readv`'s iovecs point at the buffers it fills), from the generator's
    /// `WRITES_INSIDE` list; `None` otherwise. A call with one has `writes: true`.
    pub(crate) writes_inside: Option<&'static str>,
}

/// What every architecture's prototype of one call agrees on.
#[derive(Debug)]
pub(crate) struct KProto {
    pub(crate) name: &'static str,
    /// The prototype as C text (the first architecture's, x86_64 when it has the call).
    pub(crate) c: &'static str,
    /// The arguments, when every architecture has the same count and kinds.
    pub(crate) params: Option<&'static [KParam]>,
    /// Whether the call writes memory (through a pointer argument on some architecture,
    /// through pointers inside what it is given, or otherwise, as `munmap`).
    pub(crate) writes: bool,
    /// Whether what it reads and writes depends on a command (`ioctl`, `fcntl`).
    pub(crate) multiplexer: bool,
    /// Whether it can fail.
    pub(crate) fails: bool,
}

/// The prototype of the call named `name` on any supported architecture.
pub(crate) fn lookup(name: &str) -> Option<&'static KProto> {
    let table = crate::proto_table::PROTOS;
    table
        .binary_search_by(|p| p.name.cmp(name))
        .ok()
        .map(|i| &table[i])
}
