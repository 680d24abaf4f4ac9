//! Checks of a declaration against the kernel's own prototype of the call (the generated
//! `proto_table`, from the kernel's `SYSCALL_DEFINEn`s) and against Rust types that cannot be a
//! kernel structure.
//!
//! What is the same on every architecture is checked here, with the user's spans: the argument
//! count, `readonly` on a call that writes memory, a shared reference or slice where the kernel
//! writes, a plain return type for a call that can fail. What depends on the target (register
//! pairs for 64-bit values on 32-bit architectures, per-architecture argument orders) is checked
//! by a `const` assertion against sys-core's per-architecture table ([`const_check`]): this
//! crate runs on the host and never decides the target.

use crate::diagnostics::{Error, span_range};
use crate::kproto::{KParam, KProto, Kind, Len, Unit};
use crate::parse::{Decl, Type, is_ident, is_punct, path_last};
use crate::validate::{ArgKind, ArgPlan, RetKind, SliceLen, pretty};
use proc_macro2::{Ident, TokenTree};

/// The kernel's prototype, quoted in hints.
fn quoted(proto: &KProto) -> String {
    format!("the kernel's prototype: `{}`", proto.c)
}

/// How many kernel arguments a declared argument fills: a slice two (pointer and length).
fn slots(kind: ArgKind) -> usize {
    match kind {
        ArgKind::Slice { .. } => 2,
        _ => 1,
    }
}

/// Checks a valid declaration of the known call `proto`; adds one error per mismatch.
pub(crate) fn against_kernel(
    decl: &Decl,
    args: &mut [ArgPlan],
    ret: &RetKind,
    readonly: Option<&Ident>,
    proto: &KProto,
    errors: &mut Vec<Error>,
) {
    let call = proto.name;
    if let Some(params) = proto.params {
        let have: usize = args.iter().map(|a| slots(a.kind)).sum();
        if have != params.len() {
            let mut e = if have > params.len() {
                // Underline from the first argument that does not fit.
                let mut n = 0;
                let first = args
                    .iter()
                    .find(|a| {
                        n += slots(a.kind);
                        n > params.len()
                    })
                    .expect("more slots than parameters");
                let last = args.last().expect("at least one argument");
                Error::range(
                    first.tokens[0].span(),
                    last.tokens.last().expect("tokens").span(),
                    format!(
                        "`{call}` takes {} argument(s), this declaration passes {have}",
                        params.len()
                    ),
                )
            } else {
                let (start, end) = match args.last() {
                    Some(a) => span_range(&a.tokens),
                    None => (decl.name.span(), decl.name.span()),
                };
                Error::range(
                    start,
                    end,
                    format!(
                        "`{call}` takes {} argument(s), this declaration passes only {have}",
                        params.len()
                    ),
                )
            };
            let missing: Vec<String> = params
                .iter()
                .map(|p| format!("`{}` (`{}`)", p.name, p.ctype.trim()))
                .collect();
            e = e.hint(format!(
                "{}; declare one argument for each of {}{}",
                quoted(proto),
                missing.join(", "),
                if args.iter().any(|a| matches!(a.kind, ArgKind::Slice { .. })) {
                    " (a slice passes two: pointer and length)"
                } else {
                    ""
                }
            ));
            errors.push(e);
        } else {
            let mut i = 0;
            for a in args.iter_mut() {
                let slice = match a.kind {
                    ArgKind::Slice { .. } => Some(slice_mapping(a, i, params, proto)),
                    _ => None,
                };
                match slice {
                    Some(Err(e)) => errors.push(e),
                    Some(Ok(unit)) => {
                        if unit == Unit::Bytes {
                            a.len = SliceLen::Bytes;
                        }
                        errors.extend(pointer_mismatch(a, &params[i], proto));
                    }
                    None => errors.extend(pointer_mismatch(a, &params[i], proto)),
                }
                i += slots(a.kind);
            }
        }
    }
    if let Some(r) = readonly {
        errors.extend(readonly_mismatch(r, proto));
    }
    if proto.fails {
        let plain = match ret {
            RetKind::Unit => Some(None),
            RetKind::Value(ty) => Some(Some(ty)),
            RetKind::Result { .. } | RetKind::Never => None,
        };
        if let Some(ty) = plain {
            let (e, shown) = match (ty, &decl.ret) {
                (Some(ty), _) => (
                    Error::tokens(
                        &ty.tokens,
                        format!(
                            "`{call}` can fail, but `{}` cannot carry the error",
                            pretty(&ty.tokens)
                        ),
                    ),
                    pretty(&ty.tokens),
                ),
                (None, Some((_, ty))) => (
                    Error::tokens(
                        &ty.tokens,
                        format!("`{call}` can fail, but `()` drops the error"),
                    ),
                    "()".to_owned(),
                ),
                (None, None) => (
                    Error::new(
                        decl.name.span(),
                        format!("`{call}` can fail, but this declaration returns nothing"),
                    ),
                    "()".to_owned(),
                ),
            };
            errors.push(e.hint(format!(
                "return `Result<{shown}, Errno>`: only calls that cannot fail (`getpid`, `getppid`, `gettid`, …) return a plain value"
            )));
        }
    }
}

/// `readonly` on a call that writes memory: through a pointer argument, through pointers
/// inside what it is given (`readv`'s iovecs), otherwise (`munmap`), or may, depending on a
/// command (every multiplexer: `fcntl`, `ioctl`).
fn readonly_mismatch(r: &Ident, proto: &KProto) -> Option<Error> {
    let call = proto.name;
    let params = proto.params.unwrap_or(&[]);
    let out = params.iter().find(|p| p.kind == Kind::Out);
    let inside = params.iter().find(|p| p.writes_inside.is_some());
    let message =
        |what: String| format!("`readonly` promises that `{call}` writes no memory, but {what}");
    let hint = || {
        format!(
            "remove `readonly`: the compiler would keep values it read before the call; {}",
            quoted(proto)
        )
    };
    // Every multiplexer, not only those the table says write: a command that writes can hide
    // behind a word argument (`fcntl`'s `arg` with `F_GETLK`), and a wrong `readonly`
    // miscompiles where a needless error only costs an `unchecked`.
    if proto.multiplexer {
        return Some(
            Error::new(
                r.span(),
                message(
                    "what it writes depends on its command, which the macro cannot check"
                        .to_owned(),
                ),
            )
            .hint(format!(
                "remove `readonly`; for a wrapper of one command that writes nothing (`fcntl` with `F_GETFD`), take responsibility with `#[syscall(readonly, unchecked)]`; {}",
                quoted(proto)
            )),
        );
    }
    let what = if let Some(p) = out {
        format!(
            "the kernel writes through `{}` (`{}`)",
            p.name,
            p.ctype.trim()
        )
    } else if let Some(p) = inside {
        format!(
            "the kernel writes through pointers inside `{}` (`{}`): {}",
            p.name,
            p.ctype.trim(),
            p.writes_inside.unwrap_or_default()
        )
    } else if proto.writes {
        "the kernel changes memory in this call".to_owned()
    } else {
        return None;
    };
    Some(Error::new(r.span(), message(what)).hint(hint()))
}

/// The Rust arguments for the kernel's `params[from..from + n]`, to show in a hint
/// (`len: usize, user_mask_ptr: *mut u8`): a pointer as a raw pointer to the slice's element
/// type (`u8` for the others), the rest as words.
fn separate(params: &[&KParam], a: &ArgPlan) -> String {
    let elem = slice_element(&a.ty.tokens);
    params
        .iter()
        .map(|p| {
            let ty = match p.kind {
                Kind::In => format!("*const {elem}"),
                Kind::Out => format!("*mut {elem}"),
                Kind::Word => "usize".to_owned(),
                Kind::Wide => "u64".to_owned(),
            };
            format!("{}: {ty}", p.name)
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The `T` of a slice type `&[T]`/`&mut [T]`, as written.
fn slice_element(ty: &[TokenTree]) -> String {
    match ty.last() {
        Some(TokenTree::Group(g)) => pretty(&g.stream().into_iter().collect::<Vec<_>>()),
        _ => "u8".to_owned(),
    }
}

/// Where a slice lands in the prototype: its pointer at `params[i]`, its length word at
/// `params[i + 1]`. That pointer's length must be that very next argument, counting bytes or
/// elements; what it counts, or the error.
fn slice_mapping(a: &ArgPlan, i: usize, params: &[KParam], proto: &KProto) -> Result<Unit, Error> {
    let call = proto.name;
    let p = &params[i];
    let next = params.get(i + 1);
    let shown = format!("{}: {}", a.ident, pretty(&a.ty.tokens));
    let c = |p: &KParam| format!("`{}` (`{}`)", p.name, p.ctype.trim());
    let pointer = matches!(p.kind, Kind::In | Kind::Out);
    let err = |message: String, hint: String| {
        Err(Error::tokens(&a.tokens, message).hint(format!("{hint}; {}", quoted(proto))))
    };
    match (pointer, p.len) {
        (true, Some(Len { index, unit: unit @ (Unit::Bytes | Unit::Elements) })) if index == i + 1 => Ok(unit),
        (true, Some(Len { index, unit: Unit::Bits })) if index == i + 1 => err(
            format!(
                "`{shown}` passes a pointer and its number of elements, but `{call}` counts {} in bits",
                c(&params[index])
            ),
            format!(
                "declare the two as separate arguments, `{}`, and pass the number of bits",
                separate(&[p, &params[index]], a)
            ),
        ),
        (true, Some(Len { index, .. })) => err(
            format!(
                "`{shown}` passes a pointer then its length, but `{call}` takes the length of {} as {}, not as the next argument",
                c(p),
                c(&params[index.min(params.len() - 1)])
            ),
            format!(
                "declare the kernel's arguments in its order, the pointer and the length as separate arguments (`{}`)",
                separate(&params.iter().collect::<Vec<_>>(), a)
            ),
        ),
        (true, None) => err(
            format!(
                "`{shown}` passes a pointer and a length, but `{call}` takes no length after {}{}",
                c(p),
                next.map_or(String::new(), |n| format!(": the length would be {}", c(n)))
            ),
            "take a reference (`&T`, `&mut T`) or an array (`&[T; N]`), which passes the pointer alone".to_owned(),
        ),
        // A memory range (`munmap(addr, len)`, `mprotect(start, len, prot)`): the address as a
        // word, then its length in bytes.
        (false, _) if memory_range(p, next) => Ok(Unit::Bytes),
        (false, _) => {
            let after = next.filter(|n| {
                matches!(n.kind, Kind::In | Kind::Out)
                    && n.len.is_some_and(|l| l.index == i)
            });
            match after {
                Some(n) => err(
                    format!(
                        "`{shown}` passes a pointer then its length, but `{call}` takes the length {} before the pointer {}",
                        c(p),
                        c(n)
                    ),
                    format!(
                        "declare the two in the kernel's order as separate arguments: `{}`",
                        separate(&[p, n], a)
                    ),
                ),
                None => err(
                    format!(
                        "`{shown}` passes a pointer and a length, but `{call}`'s {} is no pointer",
                        c(p)
                    ),
                    format!(
                        "declare one argument for each of the kernel's, in its order: `{}`",
                        separate(&params.iter().collect::<Vec<_>>(), a)
                    ),
                ),
            }
        }
    }
}

/// Whether `p` and `next` are an address as a word and its length in bytes (`munmap`'s `addr`
/// and `len`, `madvise`'s `start` and `len_in`).
fn memory_range(p: &KParam, next: Option<&KParam>) -> bool {
    let Some(n) = next else { return false };
    p.kind == Kind::Word
        && n.kind == Kind::Word
        && matches!(p.name, "addr" | "start")
        && p.ctype.trim() == "unsigned long"
        && (n.name.starts_with("len") || n.name.ends_with("_len") || n.name == "size")
        && matches!(n.ctype.trim(), "size_t" | "unsigned long")
}

/// A shared reference, slice or C string where the kernel writes.
fn pointer_mismatch(a: &ArgPlan, p: &KParam, proto: &KProto) -> Option<Error> {
    if p.kind != Kind::Out || proto.multiplexer {
        return None;
    }
    let ty = &a.ty.tokens;
    let shown = pretty(ty);
    let (what, fix) = match a.kind {
        ArgKind::Slice { mutable: false } => ("a shared slice", "take `&mut [T]`".to_owned()),
        ArgKind::CStr | ArgKind::OptCStr => (
            "a C string",
            "take `&mut [u8]` for a buffer the kernel fills".to_owned(),
        ),
        ArgKind::Value if shared_ref(ty) => (
            "a shared reference",
            format!("take `{}`", shown.replacen('&', "&mut ", 1)),
        ),
        _ => return None,
    };
    Some(
        Error::tokens(
            &a.tokens,
            format!(
                "the kernel writes through `{}` (`{}`), but `{shown}` is {what}",
                p.name,
                p.ctype.trim()
            ),
        )
        .hint(format!("{fix}; {}", quoted(proto))),
    )
}

/// `&T` or `Option<&T>` (not `&mut`).
fn shared_ref(ty: &[TokenTree]) -> bool {
    let rest = match path_last(ty) {
        Some((seg, args)) if seg == "Option" && args.len() == 1 => args[0].clone(),
        _ => ty.to_vec(),
    };
    if !is_punct(rest.first(), '&') {
        return false;
    }
    let mut i = 1;
    if is_punct(rest.get(1), '\'') {
        i = 3;
    }
    !is_ident(rest.get(i), "mut")
}

/// A by-value std type that cannot implement `Arg` (the orphan rule): the compiler reports it
/// at the parameter, and the kernel checks wait until it is fixed.
pub(crate) fn never_arg(ty: &Type) -> bool {
    matches!(path_last(&ty.tokens), Some((seg, _)) if matches!(
        seg.to_string().as_str(),
        "Vec" | "String" | "Box" | "Rc" | "Arc" | "CString" | "OsString" | "PathBuf" | "File"
    ))
}

/// `&T`/`&mut T` of a Rust type whose address is no kernel structure: an error with the type
/// to use instead.
pub(crate) fn rust_type(ty: &Type) -> Option<Error> {
    let t = &ty.tokens;
    let inner_of = |t: &[TokenTree]| -> Option<(bool, Vec<TokenTree>)> {
        if !is_punct(t.first(), '&') {
            return None;
        }
        let mut i = 1;
        if is_punct(t.get(1), '\'') {
            i = 3;
        }
        let mutable = is_ident(t.get(i), "mut");
        Some((mutable, t[i + usize::from(mutable)..].to_vec()))
    };
    let (ty_tokens, (mutable, inner)) = match path_last(t) {
        Some((seg, args)) if seg == "Option" && args.len() == 1 => (t.clone(), inner_of(&args[0])?),
        _ => (t.clone(), inner_of(t)?),
    };
    let shown = pretty(&ty_tokens);
    let err = |why: &str, hint: &str| {
        Some(
            Error::tokens(&ty_tokens, format!("`{shown}` passes the address of {why}"))
                .hint(hint.to_owned()),
        )
    };
    if is_punct(inner.first(), '&') {
        return err(
            "a reference, not of the value",
            "take the value by one reference (`&T`, `&[T]`, `&CStr`)",
        );
    }
    let (seg, _) = path_last(&inner)?;
    match seg.to_string().as_str() {
        "String" | "OsString" | "OsStr" | "Path" | "PathBuf" => err(
            "a Rust string, not NUL-terminated bytes",
            "take `&CStr` for a path or name, or `&[u8]` for pointer and length",
        ),
        "CString" => err(
            "the `CString`, not its bytes",
            "take `&CStr` and pass `s.as_c_str()`",
        ),
        "CStr" if mutable => err(
            "a C string the kernel would write into",
            "take `&mut [u8]` for a buffer the kernel fills, or `&CStr` for a string it reads",
        ),
        "Vec" | "Box" | "Rc" | "Arc" | "VecDeque" => err(
            "a Rust container, not of its contents",
            "take `&[T]` or `&mut [T]` (pointer and length), or `&T` of the element",
        ),
        "File" | "TcpStream" | "UdpSocket" | "UnixStream" | "UnixListener" | "TcpListener"
        | "ChildStdin" | "ChildStdout" | "ChildStderr" | "BorrowedFd" => err(
            "a Rust object, not a descriptor",
            "take `fd: BorrowedFd<'_>` and pass `file.as_fd()`",
        ),
        _ => None,
    }
}

/// Names a wrapper writer finds in the man pages (libc's functions) that no architecture's
/// kernel has, and what to declare instead (checked against the table by the unit tests).
pub(crate) const LIBC_NAMES: &[(&str, &str)] = &[
    (
        "llseek",
        "`_llseek` on 32-bit architectures (`_llseek(fd, offset_high, offset_low, result: &mut i64, whence)`), `lseek` on 64-bit ones",
    ),
    (
        "lseek64",
        "`_llseek` on 32-bit architectures (`_llseek(fd, offset_high, offset_low, result: &mut i64, whence)`), `lseek` on 64-bit ones",
    ),
    ("pread", "`pread64`"),
    ("pwrite", "`pwrite64`"),
    ("preadv64", "`preadv`"),
    ("pwritev64", "`pwritev`"),
    (
        "fstatat",
        "`newfstatat` on 64-bit architectures, `fstatat64` on 32-bit ones, or `statx` everywhere",
    ),
    (
        "futimens",
        "`utimensat` with a null path (`Option<&CStr>`, `None`)",
    ),
    (
        "futimes",
        "`utimensat` with a null path (`Option<&CStr>`, `None`)",
    ),
    (
        "mmap64",
        "`mmap` on 64-bit architectures, `mmap2` on 32-bit ones (its offset counts 4096-byte pages)",
    ),
    (
        "posix_fadvise",
        "`fadvise64` (`fadvise64_64` on x86, `arm_fadvise64_64` on arm)",
    ),
    ("posix_fallocate", "`fallocate` with mode 0"),
    ("prlimit", "`prlimit64`"),
    ("sigqueue", "`rt_sigqueueinfo`"),
    ("sigtimedwait", "`rt_sigtimedwait`"),
    ("sigwaitinfo", "`rt_sigtimedwait` with a null timeout"),
    ("sigwait", "`rt_sigtimedwait` with a null timeout"),
    ("wait", "`wait4` (pid -1)"),
    ("wait3", "`wait4` (pid -1)"),
    ("sbrk", "`brk`, which returns the new break"),
    ("statvfs", "`statfs`"),
    ("fstatvfs", "`fstatfs`"),
    ("sched_getcpu", "`getcpu`"),
    ("gethostname", "`uname`"),
    ("getdomainname", "`uname`"),
    ("getentropy", "`getrandom`"),
    (
        "getpagesize",
        "no call: the page size is the auxiliary vector's `AT_PAGESZ` (`libsys::sys_auxv`)",
    ),
];

/// A declaration by name (`name` is the fn's or `name = "…"`'s, with its span) of a libc name
/// that no architecture's kernel has: the error, with the kernel's call to declare.
pub(crate) fn libc_name(name: &Ident) -> Option<Error> {
    let value = name.to_string();
    let (_, instead) = LIBC_NAMES.iter().find(|(n, _)| *n == value)?;
    Some(
        Error::new(
            name.span(),
            format!(
                "no architecture's kernel has a system call named `{value}`: it is libc's name"
            ),
        )
        .hint(format!(
            "declare {instead} (with `name = \"…\"` to keep the fn's name)"
        )),
    )
}
