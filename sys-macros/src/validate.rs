//! Validation: checks a parsed declaration and its options against what a syscall wrapper can
//! be, and turns them into the plan `expand` follows. Every mistake becomes one spanned error
//! with a hint; all of a declaration's mistakes are reported together.

use crate::attr::{Nr, Options};
use crate::check;
use crate::diagnostics::Error;
use crate::parse::{Attr, Decl, Param, Type, is_ident, is_punct, path_last, split_commas};
use proc_macro2::{Delimiter, Group, Ident, Literal, Span, TokenStream, TokenTree};
use quote::quote;

/// Where a declaration came from.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// `#[syscall]` on a fn: must be `unsafe fn`.
    Attribute,
    /// An item of a `#[syscalls] unsafe extern "C" { … }` block: `safe fn` or (default)
    /// unsafe.
    Block,
}

/// How one argument reaches the registers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ArgKind {
    /// Through `Arg`, one register (or a pair for a user type that says it is wide).
    Value,
    /// `u64`/`i64`: through `Arg`, a register pair on 32-bit targets.
    Wide,
    /// `&[T]`/`&mut [T]`: pointer and length, two registers.
    Slice { mutable: bool },
    /// `&CStr`: its pointer.
    CStr,
    /// `Option<&CStr>`: its pointer or null.
    OptCStr,
}

/// One argument of the call.
pub(crate) struct ArgPlan {
    pub(crate) ident: Ident,
    pub(crate) kind: ArgKind,
    /// The declared type.
    pub(crate) ty: Type,
    /// The whole parameter, for spans.
    pub(crate) tokens: Vec<TokenTree>,
    /// For a slice: what its length word counts (decided against the kernel's prototype).
    pub(crate) len: SliceLen,
}

/// What the length word of a slice passes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SliceLen {
    /// `.len()`: the number of elements (the kernel's length counts elements, or the call has
    /// no prototype to say).
    Elements,
    /// `size_of_val(slice)`: the number of bytes (the kernel's length counts bytes).
    Bytes,
}

/// What the wrapper returns.
pub(crate) enum RetKind {
    /// No return type or `()`: the result is dropped.
    Unit,
    /// `!`: the call does not return.
    Never,
    /// `Result<T, E>`: the call's result decoded, `T` converted by `FromRet`.
    Result { ok: Type, whole: Type },
    /// A plain type, for calls that cannot fail, converted by `FromRet`.
    Value(Type),
}

/// Where the number comes from.
pub(crate) enum NrPlan {
    /// Looked up by `sys_nr!` for the target, with the user's span.
    ByName(Ident),
    /// `nr = N`.
    One(Literal),
    /// `nr(arch = N, …)`.
    PerArch(Vec<(Ident, Literal)>),
}

/// A checked declaration, ready to expand.
pub(crate) struct Wrapper<'a> {
    pub(crate) decl: &'a Decl,
    /// The user's attributes to pass through.
    pub(crate) attrs: Vec<Attr>,
    pub(crate) safe: bool,
    pub(crate) readonly: bool,
    pub(crate) nr: NrPlan,
    /// The name recorded in `Meta`.
    pub(crate) meta_name: String,
    pub(crate) args: Vec<ArgPlan>,
    pub(crate) ret: RetKind,
    /// The path of the libsys facade (`::libsys`).
    pub(crate) krate: TokenStream,
    /// The argument at which 32-bit targets run out of registers (64-bit values take two),
    /// when 64-bit targets do not.
    pub(crate) wide32: Option<Error>,
    /// Whether the declaration is checked against the kernel's prototype (not `unchecked`).
    pub(crate) checked: bool,
}

const MAX_REGS: usize = 6;

const SUPPORTED_ARGS: &str = "supported: integers, `bool`, raw pointers, `&T`/`&mut T`, `Option<&T>`, `&[T]`/`&mut [T]` (pointer and length), `&CStr`/`Option<&CStr>`, `BorrowedFd<'_>`/`RawFd`, and types that implement `Arg`";

const SUPPORTED_RETS: &str = "supported: `Result<T, Errno>` with `T` an integer, `()`, a raw pointer, `OwnedFd` or a type that implements `FromRet`; a plain integer for calls that cannot fail; `!` for calls that do not return";

/// Checks `decl` with its options. `attrs` are the declaration's attributes to keep (the
/// `#[syscall]` ones of a block item already removed).
pub(crate) fn validate<'a>(
    decl: &'a Decl,
    attrs: Vec<Attr>,
    opts: Options,
    mode: Mode,
    mut errors: Vec<Error>,
) -> Result<Wrapper<'a>, Vec<Error>> {
    if let Err(body) = &decl.body {
        errors.push(
            Error::new(body.span_open(), "a `#[syscall]` declaration has no body")
                .hint("end the signature with `;`: the macro writes the body"),
        );
    }
    if let Some(c) = &decl.constness {
        errors.push(
            Error::new(c.span(), "a system call wrapper cannot be `const`")
                .hint("remove `const`: a system call happens at run time"),
        );
    }
    if let Some(a) = &decl.asyncness {
        errors.push(
            Error::new(a.span(), "a system call wrapper cannot be `async`")
                .hint("remove `async`: a system call blocks the thread that makes it"),
        );
    }
    if !decl.abi.is_empty() {
        errors.push(
            Error::tokens(&decl.abi, "a system call wrapper is a Rust function")
                .hint("remove `extern`: the macro makes the call"),
        );
    }
    let safe = match mode {
        Mode::Attribute => {
            if let Some(s) = &decl.safety {
                errors.push(
                    Error::new(s.span(), "`safe` needs a `#[syscalls]` block")
                        .hint("promise safety explicitly: `#[syscalls] unsafe extern \"C\" { pub safe fn name(…) -> …; }`"),
                );
            } else if decl.unsafety.is_none() {
                errors.push(
                    Error::range(start_span(decl), decl.name.span(), "a `#[syscall]` wrapper must be an `unsafe fn`")
                        .hint("write `unsafe fn`; to declare a safe wrapper, promise it in a block: `#[syscalls] unsafe extern \"C\" { pub safe fn name(…) -> …; }`"),
                );
            }
            false
        }
        Mode::Block => decl.safety.is_some(),
    };
    let lifetimes = match lifetime_params(&decl.generics) {
        Some(names) => names,
        None => {
            errors.push(
                Error::tokens(&decl.generics, "generic parameters are not supported").hint(
                    "a system call wrapper takes concrete types (lifetime parameters such as `<'a>` are fine); implement `Arg` for your own types",
                ),
            );
            Vec::new()
        }
    };
    if !decl.where_clause.is_empty() {
        errors.push(
            Error::tokens(&decl.where_clause, "`where` clauses are not supported")
                .hint("a system call wrapper takes concrete types"),
        );
    }

    let mut args = Vec::new();
    for param in &decl.params {
        match check_param(param, safe) {
            Ok(a) => args.push(a),
            Err(e) => errors.push(e),
        }
    }

    let ret = match &decl.ret {
        None => Ok(RetKind::Unit),
        Some((_, ty)) => classify_ret(ty),
    };
    let ret = ret.unwrap_or_else(|e| {
        errors.push(e);
        RetKind::Unit
    });

    let never = matches!(ret, RetKind::Never);
    if let Some(n) = &opts.noreturn
        && !never
    {
        errors.push(
            Error::new(n.span(), "`noreturn` needs the return type `!`")
                .hint("declare `-> !`, as for `exit_group` (a `!` return alone is enough)"),
        );
    }
    if let (Some(r), true) = (&opts.readonly, never) {
        errors.push(
            Error::new(
                r.span(),
                "`readonly` has no effect on a call that does not return",
            )
            .hint("remove `readonly`"),
        );
    }

    // Register counts: a slice takes two registers everywhere, `u64`/`i64` two on 32-bit.
    let mut regs64 = 0;
    let mut regs32 = 0;
    let mut wide32 = None;
    let mut too_many = false;
    for a in &args {
        let (n64, n32) = match a.kind {
            ArgKind::Slice { .. } => (2, 2),
            ArgKind::Wide => (1, 2),
            _ => (1, 1),
        };
        regs64 += n64;
        regs32 += n32;
        if regs64 > MAX_REGS && !too_many {
            too_many = true;
            let total: usize = args
                .iter()
                .map(|a| {
                    if matches!(a.kind, ArgKind::Slice { .. }) {
                        2
                    } else {
                        1
                    }
                })
                .sum();
            let mut e = Error::tokens(
                &a.tokens,
                format!(
                    "too many arguments: a system call takes at most 6 registers, this declaration needs {total}"
                ),
            );
            e = if args.iter().any(|a| matches!(a.kind, ArgKind::Slice { .. })) {
                e.hint("a slice takes two registers (pointer and length); pass a pointer to a struct for the rest, as the kernel's ABI for such calls does")
            } else {
                e.hint("calls with more arguments take a pointer to a struct (declare the argument as `&T`)")
            };
            errors.push(e);
        } else if regs32 > MAX_REGS && wide32.is_none() && !too_many {
            wide32 = Some(Error::tokens(
                &a.tokens,
                format!("too many arguments for 32-bit targets: there `u64` and `i64` take two registers, and this declaration needs {} (at most 6)", args.iter().map(|a| match a.kind { ArgKind::Slice { .. } | ArgKind::Wide => 2, _ => 1 }).sum::<usize>()),
            ).hint("declare the 32-bit form separately under `#[cfg(target_pointer_width = \"32\")]`, with the value split as that architecture's syscall expects"));
        }
    }
    if too_many {
        wide32 = None;
    }
    if never && !too_many && regs64 != 1 {
        let span = decl
            .ret
            .as_ref()
            .map_or_else(|| decl.name.span(), |(_, t)| t.tokens[0].span());
        errors.push(
            Error::new(span, format!("a call that does not return takes exactly one register argument, this declaration passes {regs64}"))
                .hint("only one-argument calls such as `exit` and `exit_group` can be declared `-> !`"),
        );
    }

    // Against Rust types that cannot be kernel structures and the kernel's own prototype,
    // unless `unchecked`; a call by number is not known to be the one its name says.
    let checked = opts.unchecked.is_none();
    if checked {
        errors.extend(args.iter().filter_map(|a| check::rust_type(&a.ty)));
    }
    // A by-value `Vec`/`String` is the compiler's error first (not `Arg`).
    let checked = checked && !args.iter().any(|a| check::never_arg(&a.ty));
    if checked
        && errors.is_empty()
        && opts.nr.is_none()
        && let Some(proto) = crate::kproto::lookup(&meta_name(&opts, decl))
    {
        check::against_kernel(
            decl,
            &mut args,
            &ret,
            opts.readonly.as_ref(),
            proto,
            &mut errors,
        );
    }

    let meta_name = meta_name(&opts, decl);
    let nr = match opts.nr {
        Some(Nr::One(lit)) => NrPlan::One(lit),
        Some(Nr::PerArch(list)) => NrPlan::PerArch(list),
        None => match &opts.name {
            Some((value, lit)) => NrPlan::ByName(Ident::new(value, lit.span())),
            None => NrPlan::ByName(strip_raw(&decl.name)),
        },
    };

    // A libc name no kernel has: the kernel's name instead of `sys_nr!`'s "unknown".
    if let NrPlan::ByName(id) = &nr
        && crate::kproto::lookup(&id.to_string()).is_none()
    {
        errors.extend(check::libc_name(id));
    }

    if !errors.is_empty() {
        return Err(errors);
    }
    // The target-dependent checks are `const` items inside the wrapper, where the fn's
    // lifetime parameters are not in scope: there (and in the body, where it is inferred) a
    // declared lifetime is `'_`. The checks above have seen the types as written.
    if !lifetimes.is_empty() {
        for a in &mut args {
            a.ty.tokens = erase_lifetimes(&a.ty.tokens, &lifetimes);
        }
    }
    Ok(Wrapper {
        decl,
        attrs,
        safe,
        readonly: opts.readonly.is_some(),
        nr,
        meta_name,
        args,
        ret,
        krate: opts.krate.unwrap_or_else(|| quote!(::libsys)),
        wide32,
        checked,
    })
}

/// The names of the lifetime parameters in `generics` (`<'a, 'b: 'a>`), or `None` if it
/// declares a type or const parameter.
fn lifetime_params(generics: &[TokenTree]) -> Option<Vec<String>> {
    let inner = match generics {
        [] => return Some(Vec::new()),
        [_, inner @ .., _] => inner,
        _ => return None,
    };
    let mut names = Vec::new();
    for part in split_commas(inner) {
        match part.as_slice() {
            [TokenTree::Punct(p), TokenTree::Ident(name), rest @ ..]
                if p.as_char() == '\'' && (rest.is_empty() || is_punct(rest.first(), ':')) =>
            {
                names.push(name.to_string());
            }
            _ => return None,
        }
    }
    Some(names)
}

/// `tokens` with every lifetime named in `names` replaced by `'_` (same spans).
fn erase_lifetimes(tokens: &[TokenTree], names: &[String]) -> Vec<TokenTree> {
    let mut out = Vec::with_capacity(tokens.len());
    let mut prev_tick = false;
    for t in tokens {
        let t = match t {
            TokenTree::Ident(i) if prev_tick && names.iter().any(|n| i == n) => {
                TokenTree::Ident(Ident::new("_", i.span()))
            }
            TokenTree::Group(g) => {
                let inner: Vec<TokenTree> = g.stream().into_iter().collect();
                let mut ng = Group::new(
                    g.delimiter(),
                    erase_lifetimes(&inner, names).into_iter().collect(),
                );
                ng.set_span(g.span());
                TokenTree::Group(ng)
            }
            other => other.clone(),
        };
        prev_tick = is_punct(Some(&t), '\'');
        out.push(t);
    }
    out
}

/// The system call's name: `name = "…"`, else the fn's.
fn meta_name(opts: &Options, decl: &Decl) -> String {
    match &opts.name {
        Some((value, _)) => value.clone(),
        None => strip_raw(&decl.name).to_string(),
    }
}

/// `r#name` → `name`, with the same span.
fn strip_raw(ident: &Ident) -> Ident {
    let s = ident.to_string();
    match s.strip_prefix("r#") {
        Some(bare) => Ident::new(bare, ident.span()),
        None => ident.clone(),
    }
}

/// The span where the declaration's signature starts (after its attributes).
fn start_span(decl: &Decl) -> Span {
    decl.vis
        .first()
        .map(TokenTree::span)
        .or_else(|| decl.abi.first().map(TokenTree::span))
        .unwrap_or_else(|| decl.fn_token.span())
}

fn check_param(param: &Param, safe: bool) -> Result<ArgPlan, Error> {
    match param {
        Param::Receiver { tokens } => Err(Error::tokens(
            tokens,
            "`self` is not supported: a system call wrapper is not a method",
        )
        .hint("take the value as an ordinary parameter, such as `fd: BorrowedFd<'_>`")),
        Param::Variadic { tokens } => Err(Error::tokens(
            tokens,
            "variadic arguments are not supported",
        )
        .hint("a system call takes a fixed number of arguments: declare one wrapper per form")),
        Param::Typed { pat, ty, .. } => {
            let ident = match pat.as_slice() {
                [TokenTree::Ident(i)] if i != "_" => i.clone(),
                [TokenTree::Ident(m), TokenTree::Ident(i)] if m == "mut" && i != "_" => i.clone(),
                _ => {
                    return Err(Error::tokens(pat, "expected a parameter name")
                        .hint("write `name: Type`: the value is passed to the call and its name recorded for tracing"));
                }
            };
            let kind = classify_arg(ty)?;
            if safe && has_raw_pointer(&ty.tokens) {
                return Err(Error::tokens(&ty.tokens, format!("a safe wrapper cannot take the raw pointer type `{}`", pretty(&ty.tokens)))
                    .hint("declare the item without `safe` (an `unsafe fn`), or take a reference or a slice the kernel may access"));
            }
            Ok(ArgPlan {
                ident,
                kind,
                ty: ty.clone(),
                tokens: param.tokens(),
                len: SliceLen::Elements,
            })
        }
    }
}

fn unsupported_arg(ty: &Type) -> Error {
    Error::tokens(
        &ty.tokens,
        format!("unsupported argument type `{}`", pretty(&ty.tokens)),
    )
    .hint(SUPPORTED_ARGS)
}

/// How an argument of type `ty` is passed.
pub(crate) fn classify_arg(ty: &Type) -> Result<ArgKind, Error> {
    let t = &ty.tokens;
    match t.first() {
        None => Err(Error::new(Span::call_site(), "expected a type")),
        Some(TokenTree::Punct(p)) if p.as_char() == '&' => classify_ref(ty, &t[1..]),
        Some(TokenTree::Punct(p)) if p.as_char() == '*' => Ok(ArgKind::Value),
        Some(TokenTree::Ident(i)) if i == "impl" => Err(Error::tokens(
            t,
            format!("`{}` is generic, which is not supported", pretty(t)),
        )
        .hint("a system call wrapper takes concrete types; implement `Arg` for your own types")),
        Some(TokenTree::Ident(i))
            if i == "dyn" || i == "fn" || i == "unsafe" || i == "extern" || i == "_" =>
        {
            Err(unsupported_arg(ty))
        }
        Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Bracket => Err(Error::tokens(
            t,
            format!(
                "unsupported argument type `{}`: arrays and slices are passed by reference",
                pretty(t)
            ),
        )
        .hint("take `&[T]` or `&mut [T]` (pointer and length), or `&[T; N]` (pointer)")),
        Some(TokenTree::Group(_)) | Some(TokenTree::Punct(_)) | Some(TokenTree::Literal(_)) => {
            Err(unsupported_arg(ty))
        }
        Some(TokenTree::Ident(_)) => match path_last(t) {
            Some((seg, args)) => {
                let name = seg.to_string();
                match name.as_str() {
                    "u64" | "i64" | "c_ulonglong" | "c_longlong" | "loff_t" | "off64_t" if args.is_empty() => Ok(ArgKind::Wide),
                    "str" => Err(unsupported_arg(ty)),
                    "OwnedFd" => Err(Error::tokens(t, "an `OwnedFd` passed by value would be closed when the call returns")
                        .hint("take `fd: BorrowedFd<'_>` and pass `owned.as_fd()`")),
                    "Option" if args.len() == 1 && is_punct(args[0].first(), '&') => {
                        match classify_ref(ty, &args[0][1..])? {
                            ArgKind::CStr => Ok(ArgKind::OptCStr),
                            ArgKind::Slice { .. } => Err(Error::tokens(t, format!("unsupported argument type `{}`: an optional slice has no length register of its own", pretty(t)))
                                .hint("take a raw pointer and a length as two parameters")),
                            _ => Ok(ArgKind::Value),
                        }
                    }
                    _ => Ok(ArgKind::Value),
                }
            }
            None => Err(unsupported_arg(ty)),
        },
    }
}

/// `&…` with `rest` after the `&`.
fn classify_ref(ty: &Type, rest: &[TokenTree]) -> Result<ArgKind, Error> {
    let mut i = 0;
    if is_punct(rest.first(), '\'') {
        i = 2;
    }
    let mutable = is_ident(rest.get(i), "mut");
    if mutable {
        i += 1;
    }
    let inner = &rest[i.min(rest.len())..];
    match inner {
        [TokenTree::Group(g)] if g.delimiter() == Delimiter::Bracket => {
            let has_len = g.stream().into_iter().any(|t| is_punct(Some(&t), ';'));
            Ok(if has_len {
                ArgKind::Value
            } else {
                ArgKind::Slice { mutable }
            })
        }
        [TokenTree::Ident(i), ..] if i == "dyn" || i == "impl" => Err(unsupported_arg(ty)),
        _ => match path_last(inner) {
            Some((seg, _)) if seg == "CStr" => Ok(ArgKind::CStr),
            Some((seg, _)) if seg == "str" => Err(Error::tokens(
                &ty.tokens,
                format!(
                    "unsupported argument type `{}`: a `str` is not NUL-terminated",
                    pretty(&ty.tokens)
                ),
            )
            .hint("take `&CStr` for a path or name, or `&[u8]` for pointer and length")),
            Some((seg, _)) if seg == "OwnedFd" => Err(Error::tokens(
                &ty.tokens,
                format!(
                    "`{}` would pass the address of the `OwnedFd`, not the descriptor",
                    pretty(&ty.tokens)
                ),
            )
            .hint("take `fd: BorrowedFd<'_>` and pass `owned.as_fd()`")),
            _ => Ok(ArgKind::Value),
        },
    }
}

/// Whether `tokens` mention a raw pointer (`*const`, `*mut`, `NonNull`) anywhere.
fn has_raw_pointer(tokens: &[TokenTree]) -> bool {
    tokens.iter().enumerate().any(|(i, t)| match t {
        TokenTree::Punct(p) if p.as_char() == '*' => {
            is_ident(tokens.get(i + 1), "const") || is_ident(tokens.get(i + 1), "mut")
        }
        TokenTree::Ident(i) => i == "NonNull",
        TokenTree::Group(g) => has_raw_pointer(&g.stream().into_iter().collect::<Vec<_>>()),
        _ => false,
    })
}

fn unsupported_ret(ty: &Type) -> Error {
    Error::tokens(
        &ty.tokens,
        format!("unsupported return type `{}`", pretty(&ty.tokens)),
    )
    .hint(SUPPORTED_RETS)
}

/// What a declared return type `ty` means.
pub(crate) fn classify_ret(ty: &Type) -> Result<RetKind, Error> {
    let t = &ty.tokens;
    match t.as_slice() {
        [TokenTree::Punct(p)] if p.as_char() == '!' => return Ok(RetKind::Never),
        [TokenTree::Group(g)]
            if g.delimiter() == Delimiter::Parenthesis && g.stream().is_empty() =>
        {
            return Ok(RetKind::Unit);
        }
        _ => {}
    }
    check_value_type(ty)?;
    match path_last(t) {
        Some((seg, args)) if seg == "Result" => {
            if args.len() != 2 {
                return Err(Error::tokens(
                    t,
                    format!(
                        "write the return type as `Result<T, Errno>`, not `{}`",
                        pretty(t)
                    ),
                )
                .hint("the macro needs to see the success type `T`; `Errno` is the error"));
            }
            let ok = Type {
                tokens: args[0].clone(),
            };
            check_value_type(&ok)?;
            if !matches!(path_last(&args[1]), Some((seg, _)) if seg == "Errno") {
                return Err(Error::tokens(&args[1], format!("the error type of a system call wrapper is `Errno`, not `{}`", pretty(&args[1])))
                    .hint("declare `Result<T, Errno>`; `?` converts an `Errno` into `std::io::Error` at the call site (feature `std`)"));
            }
            Ok(RetKind::Result {
                ok,
                whole: ty.clone(),
            })
        }
        Some((seg, _)) if seg == "Option" => Err(Error::tokens(
            t,
            format!(
                "unsupported return type `{}`: an `Option` cannot carry the error",
                pretty(t)
            ),
        )
        .hint("return `Result<T, Errno>`")),
        Some(_) => Ok(RetKind::Value(ty.clone())),
        None if is_punct(t.first(), '*') => Ok(RetKind::Value(ty.clone())),
        None => Err(unsupported_ret(ty)),
    }
}

/// Rejects shapes no `FromRet` type can have: references, `impl`/`dyn`, tuples, arrays, `!`
/// inside `Result`.
fn check_value_type(ty: &Type) -> Result<(), Error> {
    let t = &ty.tokens;
    match t.first() {
        Some(TokenTree::Punct(p)) if p.as_char() == '&' => Err(Error::tokens(
            t,
            format!(
                "unsupported return type `{}`: a system call cannot return a reference",
                pretty(t)
            ),
        )
        .hint("return a raw pointer, or the value itself")),
        Some(TokenTree::Ident(i)) if i == "impl" || i == "dyn" || i == "fn" => {
            Err(unsupported_ret(ty))
        }
        Some(TokenTree::Group(g))
            if !(g.delimiter() == Delimiter::Parenthesis && g.stream().is_empty()) =>
        {
            Err(unsupported_ret(ty))
        }
        Some(TokenTree::Punct(p)) if p.as_char() != '*' => Err(unsupported_ret(ty)),
        Some(TokenTree::Literal(_)) | None => Err(unsupported_ret(ty)),
        _ => Ok(()),
    }
}

/// The user's syntax as they would write it (`&mut [u8]`, `BorrowedFd<'_>`), for messages.
pub(crate) fn pretty(tokens: &[TokenTree]) -> String {
    let mut out = String::new();
    let mut prev: Option<&TokenTree> = None;
    for t in tokens {
        let space = match (prev, t) {
            (None, _) => false,
            (
                Some(TokenTree::Ident(_) | TokenTree::Literal(_)),
                TokenTree::Ident(_) | TokenTree::Literal(_),
            ) => true,
            (Some(TokenTree::Ident(a)), TokenTree::Group(g)) => {
                !(g.delimiter() == Delimiter::Parenthesis
                    && (a == "fn" || a.to_string().starts_with(char::is_uppercase)))
            }
            (Some(TokenTree::Punct(p)), _) if p.as_char() == ',' || p.as_char() == ';' => true,
            (Some(TokenTree::Punct(p)), _)
                if p.as_char() == '>'
                    && matches!(prev, Some(TokenTree::Punct(q)) if q.spacing() == proc_macro2::Spacing::Alone)
                    && matches!(t, TokenTree::Ident(_)) =>
            {
                true
            }
            (_, TokenTree::Punct(p)) if p.as_char() == '-' || p.as_char() == '=' => true,
            _ => false,
        };
        if space {
            out.push(' ');
        }
        match t {
            TokenTree::Group(g) => {
                let (open, close) = match g.delimiter() {
                    Delimiter::Parenthesis => ("(", ")"),
                    Delimiter::Bracket => ("[", "]"),
                    Delimiter::Brace => ("{ ", " }"),
                    Delimiter::None => ("", ""),
                };
                out.push_str(open);
                out.push_str(&pretty(&g.stream().into_iter().collect::<Vec<_>>()));
                out.push_str(close);
            }
            TokenTree::Punct(p)
                if p.as_char() == '>'
                    && matches!(prev, Some(TokenTree::Punct(q)) if q.as_char() == '-') =>
            {
                out.push_str("> ")
            }
            other => out.push_str(&other.to_string()),
        }
        prev = Some(t);
    }
    out
}
