//! The target-dependent checks of a declaration, as `const` items of the expansion: sys-core's
//! per-architecture prototype table ([`const_check`]) and its register packing
//! ([`register_check`]) decide on the target being compiled, since this crate runs on the host.
//! Items, not `const { }` blocks, so that `cargo check` evaluates them as `cargo build` does.

use crate::validate::{ArgKind, NrPlan, RetKind, Wrapper, pretty};
use proc_macro2::{Literal, TokenStream};
use quote::{quote, quote_spanned};

/// The `const` assertion that checks the declaration against sys-core's prototype for the
/// target architecture (argument count and register pairs), spanned at the fn's name. Empty
/// for declarations by number, `unchecked` ones and calls that do not return.
pub(crate) fn const_check(w: &Wrapper<'_>) -> TokenStream {
    let NrPlan::ByName(name) = &w.nr else {
        return TokenStream::new();
    };
    if !w.checked || matches!(w.ret, RetKind::Never) {
        return TokenStream::new();
    }
    let krate = &w.krate;
    let mut wides = Vec::new();
    let mut texts = Vec::new();
    for a in &w.args {
        let shown = format!("{}: {}", a.ident, pretty(&a.ty.tokens));
        match a.kind {
            ArgKind::Value | ArgKind::Wide => {
                let ty = &a.ty;
                wides.push(quote!(#krate::__private::WideOf::<#ty>::WIDE));
                texts.push(Literal::string(&shown));
            }
            ArgKind::Slice { .. } => {
                wides.extend([quote!(false), quote!(false)]);
                texts.extend([Literal::string(&shown), Literal::string(&shown)]);
            }
            ArgKind::CStr | ArgKind::OptCStr => {
                wides.push(quote!(false));
                texts.push(Literal::string(&shown));
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
            #krate::__private::proto::check(
                #krate::__private::sys_proto!(#name),
                #call,
                &[#(#wides),*],
                &[#(#texts),*],
            )
        };
    }
}

/// `const _: () = assert!(packed_len(&[WIDE, …]) <= 6);`, spanned at the fn's name.
pub(crate) fn register_check(w: &Wrapper<'_>) -> TokenStream {
    let krate = &w.krate;
    let mut wides = Vec::new();
    for a in &w.args {
        match a.kind {
            ArgKind::Value | ArgKind::Wide => {
                let ty = &a.ty;
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
