//! The target-dependent checks of a declaration, as `const` items of the expansion: sys-core's
//! per-architecture prototype table ([`const_check`]) and its register packing
//! ([`register_check`]) decide on the target being compiled, since this crate runs on the host.
//! Items, not `const { }` blocks, so that `cargo check` evaluates them as `cargo build` does.
//! What each word points at is read from the declared type here ([`pointee`]) and measured
//! by the compiler for the target (`size_of`), then compared with the kernel's in sys-core.

use crate::validate::{ArgKind, NrPlan, RetKind, Wrapper, pretty};
use proc_macro2::{Delimiter, Group, Ident, Literal, Punct, Spacing, TokenStream, TokenTree};
use quote::{quote, quote_spanned};

/// Whether the declaration is checked against sys-core's prototype ([`const_check`] emits
/// an item): by name, not `unchecked`, and returning.
fn proto_checked(w: &Wrapper<'_>) -> bool {
    matches!(w.nr, NrPlan::ByName(_)) && w.checked && !matches!(w.ret, RetKind::Never)
}

/// The `const` item that checks the declaration against sys-core's prototype for the target
/// architecture (legacy 16-bit calls, argument count and order, register pairs, pointee
/// sizes, register count), spanned at the fn's name. Empty for declarations by number,
/// `unchecked` ones and calls that do not return.
pub(crate) fn const_check(w: &Wrapper<'_>) -> TokenStream {
    let NrPlan::ByName(name) = &w.nr else {
        return TokenStream::new();
    };
    if !proto_checked(w) {
        return TokenStream::new();
    }
    let krate = &w.krate;
    let mut wides = Vec::new();
    let mut texts = Vec::new();
    let mut names = Vec::new();
    let mut sizes = Vec::new();
    for a in &w.args {
        let shown = Literal::string(&format!("{}: {}", a.ident, pretty(&a.ty.tokens)));
        let ident = Literal::string(&a.ident.to_string());
        let size = match pointee(&a.ty.tokens) {
            Some((t, array)) => {
                let t = static_lifetimes(t.into_iter().collect());
                if array {
                    quote!(#krate::__private::proto::PointeeSize::<#t>::SIZE | #krate::__private::proto::ARRAY)
                } else {
                    quote!(#krate::__private::proto::PointeeSize::<#t>::SIZE)
                }
            }
            None => quote!(0),
        };
        match a.kind {
            ArgKind::Value | ArgKind::Wide => {
                let ty = static_lifetimes(a.ty.tokens.iter().cloned().collect());
                wides.push(quote!(#krate::__private::WideOf::<#ty>::WIDE));
                texts.push(shown);
                names.push(ident);
                sizes.push(size);
            }
            ArgKind::Slice { .. } => {
                wides.extend([quote!(false), quote!(false)]);
                texts.extend([shown.clone(), shown]);
                names.extend([ident, Literal::string("")]);
                sizes.extend([size, quote!(0)]);
            }
            ArgKind::CStr | ArgKind::OptCStr => {
                wides.push(quote!(false));
                texts.push(shown);
                names.push(ident);
                sizes.push(quote!(0));
            }
        }
    }
    let call = Literal::string(&w.meta_name);
    let span = w.decl.name.span();
    // An item of its own, not a `const { }` block: evaluated whether or not the wrapper is
    // ever called (a block would be evaluated only when the function is compiled for a caller).
    quote_spanned! {span=>
        const _: () = {
            #[allow(unused_imports)]
            use #krate::__private::WideFallback as _;
            #[allow(unused_imports)]
            use #krate::__private::proto::PointeeFallback as _;
            #krate::__private::proto::check(
                #krate::__private::sys_proto!(#name),
                #call,
                &[#(#wides),*],
                &[#(#texts),*],
                &[#(#names),*],
                &[#(#sizes),*],
            )
        };
    }
}

/// `const _: () = assert!(packed_len(&[WIDE, …]) <= 6);`, spanned at the fn's name, for the
/// declarations [`const_check`] does not check (sys-core's `check` counts the registers of the
/// others, with a hint for the call).
pub(crate) fn register_check(w: &Wrapper<'_>) -> TokenStream {
    if proto_checked(w) {
        return TokenStream::new();
    }
    let krate = &w.krate;
    let mut wides = Vec::new();
    for a in &w.args {
        match a.kind {
            ArgKind::Value | ArgKind::Wide => {
                let ty = static_lifetimes(a.ty.tokens.iter().cloned().collect());
                wides.push(quote!(#krate::__private::WideOf::<#ty>::WIDE));
            }
            ArgKind::Slice { .. } => wides.extend([quote!(false), quote!(false)]),
            ArgKind::CStr | ArgKind::OptCStr => wides.push(quote!(false)),
        }
    }
    let any_arg = w
        .args
        .iter()
        .any(|a| matches!(a.kind, ArgKind::Value | ArgKind::Wide));
    if !any_arg || matches!(w.ret, RetKind::Never) {
        // Only slices and C strings (the syntactic count is exact), or the one-register
        // `noreturn` form (checked by sys-core).
        return TokenStream::new();
    }
    let msg = format!(
        "`{}` needs more than six argument registers on this architecture (64-bit values take a register pair on 32-bit ones, starting at an even register on arm and mips)",
        w.meta_name
    );
    let span = w.decl.name.span();
    quote_spanned! {span=>
        const _: () = {
            #[allow(unused_imports)]
            use #krate::__private::WideFallback as _;
            ::core::assert!(#krate::__private::packed_len(&[#(#wides),*]) <= 6, #msg)
        };
    }
}

/// Pointees that are bytes of any kind: raw pointers and slices of them are buffers, not
/// checked by size.
const BYTE_LIKE: &[&str] = &["u8", "i8", "c_void", "c_char", "c_uchar", "c_schar"];

/// The type whose size the kernel sees through this argument, syntactically: `T` of `&T`,
/// `&mut T`, `Option<&T>`, `Option<&mut T>`, `*const T`, `*mut T` (not for bytes), `E` of a
/// slice `&[E]` (not for bytes), and `[E; N]` of `&[E; N]` with `true` (an array: its whole
/// size, which may hold several of the kernel's objects). `None` for anything else (an
/// integer, a user type that implements `Arg` by value: not checked).
pub(crate) fn pointee(ty: &[TokenTree]) -> Option<(Vec<TokenTree>, bool)> {
    let (first, rest) = ty.split_first()?;
    match first {
        TokenTree::Punct(p) if p.as_char() == '&' => {
            let mut rest = rest;
            if let [TokenTree::Punct(q), TokenTree::Ident(_), more @ ..] = rest
                && q.as_char() == '\''
            {
                rest = more;
            }
            if let [TokenTree::Ident(m), more @ ..] = rest
                && m == "mut"
            {
                rest = more;
            }
            if let [TokenTree::Group(g)] = rest
                && g.delimiter() == Delimiter::Bracket
            {
                let inner: Vec<TokenTree> = g.stream().into_iter().collect();
                let slice = !inner
                    .iter()
                    .any(|t| matches!(t, TokenTree::Punct(p) if p.as_char() == ';'));
                if !slice {
                    // `&[E; N]`: the whole array (see `proto::ARRAY`).
                    return Some((rest.to_vec(), true));
                }
                return (!(inner.is_empty() || byte_like(&inner))).then_some((inner, false));
            }
            (!rest.is_empty()).then(|| (rest.to_vec(), false))
        }
        TokenTree::Punct(p) if p.as_char() == '*' => match rest {
            [TokenTree::Ident(m), t @ ..] if (m == "const" || m == "mut") && !t.is_empty() => {
                (!byte_like(t)).then(|| (t.to_vec(), false))
            }
            _ => None,
        },
        _ => {
            // `Option<…>`, `core::option::Option<…>`, `::std::option::Option<…>`.
            let open = ty
                .iter()
                .position(|t| matches!(t, TokenTree::Punct(p) if p.as_char() == '<'))?;
            let path = &ty[..open];
            let last_is_option = matches!(path.last(), Some(TokenTree::Ident(i)) if i == "Option");
            let path_ok = path.iter().all(|t| match t {
                TokenTree::Ident(i) => {
                    ["Option", "core", "std", "option"].contains(&&*i.to_string())
                }
                TokenTree::Punct(p) => p.as_char() == ':',
                _ => false,
            });
            let closes = matches!(ty.last(), Some(TokenTree::Punct(p)) if p.as_char() == '>');
            if !(last_is_option && path_ok && closes) {
                return None;
            }
            let inner = &ty[open + 1..ty.len() - 1];
            match inner.first() {
                Some(TokenTree::Punct(p)) if p.as_char() == '&' => pointee(inner),
                _ => None,
            }
        }
    }
}

/// `u8`, `core::ffi::c_void`, …: a path (without generics) ending in a byte-like name.
fn byte_like(t: &[TokenTree]) -> bool {
    let all_path = t.iter().all(|t| match t {
        TokenTree::Ident(_) => true,
        TokenTree::Punct(p) => p.as_char() == ':',
        _ => false,
    });
    all_path
        && matches!(t.last(), Some(TokenTree::Ident(i)) if BYTE_LIKE.contains(&&*i.to_string()))
}

/// The type with every named lifetime made `'static`, so that it can be named in a `const`
/// item outside the fn that declares `'a` (the size and width do not depend on it).
fn static_lifetimes(ts: TokenStream) -> TokenStream {
    let mut out = Vec::new();
    let mut iter = ts.into_iter().peekable();
    while let Some(t) = iter.next() {
        match t {
            TokenTree::Punct(p) if p.as_char() == '\'' => {
                if let Some(TokenTree::Ident(i)) = iter.peek()
                    && i != "static"
                    && i != "_"
                {
                    let span = i.span();
                    iter.next();
                    let mut q = Punct::new('\'', Spacing::Joint);
                    q.set_span(p.span());
                    out.push(TokenTree::Punct(q));
                    out.push(TokenTree::Ident(Ident::new("static", span)));
                } else {
                    out.push(TokenTree::Punct(p));
                }
            }
            TokenTree::Group(g) => {
                let mut n = Group::new(g.delimiter(), static_lifetimes(g.stream()));
                n.set_span(g.span());
                out.push(TokenTree::Group(n));
            }
            other => out.push(other),
        }
    }
    out.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::{pointee, static_lifetimes};
    use proc_macro2::{TokenStream, TokenTree};

    /// The pointee `pointee` finds in the type `ty`, as text.
    fn of(ty: &str) -> Option<String> {
        let t: Vec<TokenTree> = ty.parse::<TokenStream>().unwrap().into_iter().collect();
        pointee(&t).map(|(p, array)| {
            let p = p.into_iter().collect::<TokenStream>().to_string();
            if array { format!("{p} (array)") } else { p }
        })
    }

    #[test]
    fn references_and_options_of_references_point_at_their_type() {
        assert_eq!(of("&Timespec").as_deref(), Some("Timespec"));
        assert_eq!(of("&'a mut i64").as_deref(), Some("i64"));
        assert_eq!(of("Option<&mut i64>").as_deref(), Some("i64"));
        assert_eq!(
            of("::core::option::Option<&'a Timespec>").as_deref(),
            Some("Timespec")
        );
        assert_eq!(of("&mut u8").as_deref(), Some("u8"));
    }

    #[test]
    fn arrays_are_checked_whole_and_slices_by_element() {
        assert_eq!(
            of("&[Timespec; 2]").as_deref(),
            Some("[Timespec ; 2] (array)")
        );
        assert_eq!(of("&mut [PollFd]").as_deref(), Some("PollFd"));
        assert_eq!(of("&[u8; 16]").as_deref(), Some("[u8 ; 16] (array)"));
    }

    #[test]
    fn byte_buffers_and_values_are_not_checked() {
        assert_eq!(of("&mut [u8]"), None);
        assert_eq!(of("*mut u8"), None);
        assert_eq!(of("*const core::ffi::c_void"), None);
        assert_eq!(of("*const libc::c_char"), None);
        assert_eq!(of("i64"), None);
        assert_eq!(of("BorrowedFd<'_>"), None);
        assert_eq!(of("Option<Foo>"), None);
        assert_eq!(of("*mut Stat").as_deref(), Some("Stat"));
    }

    #[test]
    fn named_lifetimes_become_static_for_the_const_item() {
        let t: TokenStream = "Option<&'a mut Foo<'b, '_, 'static>>".parse().unwrap();
        assert_eq!(
            static_lifetimes(t).to_string(),
            "Option <&'static mut Foo <'static , '_ , 'static >>"
        );
    }
}
