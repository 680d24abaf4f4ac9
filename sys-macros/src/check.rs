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
use crate::kproto::{KParam, KProto, Kind};
use crate::parse::{Decl, Type, is_ident, is_punct, path_last};
use crate::validate::{ArgKind, ArgPlan, RetKind, pretty};
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
    args: &[ArgPlan],
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
            for a in args {
                if let Some(e) = pointer_mismatch(a, &params[i], proto) {
                    errors.push(e);
                }
                i += slots(a.kind);
            }
        }
    }
    if let Some(r) = readonly
        && proto.writes
        && !proto.multiplexer
    {
        let out = proto
            .params
            .and_then(|ps| ps.iter().find(|p| p.kind == Kind::Out));
        let what = match out {
            Some(p) => format!(
                "the kernel writes through `{}` (`{}`)",
                p.name,
                p.ctype.trim()
            ),
            None => "the kernel changes memory in this call".to_owned(),
        };
        errors.push(
            Error::new(
                r.span(),
                format!("`readonly` promises that `{call}` writes no memory, but {what}"),
            )
            .hint(format!(
                "remove `readonly`: the compiler would keep values it read before the call; {}",
                quoted(proto)
            )),
        );
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
