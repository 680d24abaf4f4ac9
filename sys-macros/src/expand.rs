//! Expansion: the wrapper function for a checked declaration, and the drivers of both macros
//! (parse → validate → expand, or the fallback stub after an error).
//!
//! The expansion never looks at the target: the number comes from sys-core's `sys_nr!` (or the
//! user's literal, or `cfg(target_arch)` items the compiler picks from), and the call goes to
//! sys-core's `callN_meta` functions, which select the architecture's instruction.

use crate::attr::{ARCHES, Options};
use crate::diagnostics::{Error, compile_error, to_compile_errors};
use crate::fallback;
use crate::parse::{Attr, Block, Cursor, Decl};
use crate::validate::{ArgKind, Mode, NrPlan, RetKind, SliceLen, Wrapper, validate};
use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};

/// `#[syscall(args)] item`.
pub(crate) fn attribute(args: TokenStream, input: TokenStream) -> TokenStream {
    let mut errors = Vec::new();
    let opts = Options::parse(args, false, &mut errors);
    let mut c = Cursor::new(input);
    let decl = match Decl::parse(&mut c) {
        Ok(d) => d,
        Err(e) => return e.to_compile_error(),
    };
    if !c.is_empty() {
        errors.push(Error::new(
            c.span(),
            "unexpected tokens after the declaration",
        ));
    }
    let attrs = decl.attrs.clone();
    one(&decl, attrs, opts, Mode::Attribute, errors)
}

/// `#[syscalls(args)] unsafe extern "C" { items }`.
pub(crate) fn block(args: TokenStream, input: TokenStream) -> TokenStream {
    let mut block_errors = Vec::new();
    let block_opts = Options::parse(args, true, &mut block_errors);
    let block = match Block::parse(input) {
        Ok(b) => b,
        Err(e) => return e.to_compile_error(),
    };
    if block.unsafety.is_none() {
        block_errors.push(
            Error::new(block.extern_token.span(), "write `unsafe extern`")
                .hint("the block promises that every signature in it is right: `#[syscalls] unsafe extern \"C\" { … }`"),
        );
    }
    if let Some(abi) = &block.abi
        && abi.to_string() != "\"C\""
    {
        block_errors.push(
            Error::new(abi.span(), format!("unsupported ABI {abi}")).hint(
                "write `unsafe extern \"C\"`: the wrappers are Rust functions that make the call",
            ),
        );
    }
    // The block's own attributes (`cfg`, lints) apply to every item; its docs to none.
    let shared: Vec<Attr> = block
        .attrs
        .iter()
        .filter(|a| !a.is("doc"))
        .cloned()
        .collect();
    let mut out = to_compile_errors(&block_errors);
    for item in &block.items {
        let decl = match item {
            Ok(d) => d,
            Err(e) => {
                out.extend(e.to_compile_error());
                continue;
            }
        };
        let mut errors = Vec::new();
        let mut opts = None;
        let mut attrs = shared.clone();
        for a in &decl.attrs {
            if !a.is("syscall") {
                attrs.push(a.clone());
                continue;
            }
            if opts.is_some() {
                errors.push(
                    Error::range(
                        a.pound.span(),
                        a.group.span(),
                        "duplicate `#[syscall(…)]` attribute",
                    )
                    .hint("give all of the item's options in one `#[syscall(…)]`"),
                );
                continue;
            }
            match a.args() {
                Ok(args) => {
                    opts = Some(Options::parse(args.unwrap_or_default(), false, &mut errors))
                }
                Err(e) => errors.push(e),
            }
        }
        let mut opts = opts.unwrap_or_default();
        if opts.krate.is_none() {
            opts.krate.clone_from(&block_opts.krate);
        }
        out.extend(one(decl, attrs, opts, Mode::Block, errors));
    }
    out
}

/// One declaration: the wrapper, or the errors and a stub.
fn one(
    decl: &Decl,
    attrs: Vec<Attr>,
    opts: Options,
    mode: Mode,
    errors: Vec<Error>,
) -> TokenStream {
    match validate(decl, attrs.clone(), opts, mode, errors) {
        Ok(w) => wrapper(&w),
        Err(errors) => {
            let mut out = to_compile_errors(&errors);
            out.extend(fallback::stub(decl, &attrs, mode));
            out
        }
    }
}

/// The wrapper function for `w`.
pub(crate) fn wrapper(w: &Wrapper<'_>) -> TokenStream {
    let decl = w.decl;
    let krate = &w.krate;
    let attrs = &w.attrs;
    let inline = if attrs.iter().any(|a| a.is("inline")) {
        quote!()
    } else {
        quote!(#[inline])
    };
    let vis: TokenStream = decl.vis.iter().cloned().collect();
    let unsafety = if w.safe { quote!() } else { quote!(unsafe) };
    let fn_token = &decl.fn_token;
    let name = &decl.name;
    // Lifetime parameters only (`validate` refuses the others).
    let generics: TokenStream = decl.generics.iter().cloned().collect();
    let params = decl
        .params
        .iter()
        .map(|p| p.tokens().into_iter().collect::<TokenStream>());
    let ret = decl.ret.as_ref().map(|(arrow, ty)| {
        let arrow: TokenStream = arrow.iter().cloned().collect();
        quote!(#arrow #ty)
    });

    // Names of our own items and locals: `mixed_site` keeps the locals apart from the user's
    // parameter names.
    let meta = Ident::new("__LIBSYS_META", Span::mixed_site());
    let nr = Ident::new("__LIBSYS_NR", Span::mixed_site());
    let raw = Ident::new("__libsys_raw", Span::mixed_site());

    let meta_name = Literal::string(&w.meta_name);
    let arg_names = w.args.iter().map(|a| Literal::string(&a.ident.to_string()));
    let arg_kinds = w.args.iter().map(meta_kind);
    let nr_items = nr_items(w, &nr);
    // Registers: the syntactic count for 32-bit targets (u64/i64 take a pair) as a `cfg`
    // error at the argument; otherwise a compile-time check with sys-core's own packing, which
    // also counts the pair alignment of arm and mips and users' wide types.
    let registers = match &w.wide32 {
        Some(e) => {
            let err = e.to_compile_error();
            quote!(#[cfg(target_pointer_width = "32")] #err;)
        }
        None => crate::const_check::register_check(w),
    };

    let proto_check = crate::const_check::const_check(w);

    let mut words = Vec::new();
    for a in &w.args {
        let id = &a.ident;
        match a.kind {
            ArgKind::Value | ArgKind::Wide => {
                // Through `arg::<Type>` spanned at the type, so that a type that is not `Arg`
                // is reported there, without a misleading "consider borrowing".
                let ty = &a.ty;
                let span = ty.tokens[0].span();
                let arg = quote_spanned!(span=> #krate::__private::arg::<#ty>);
                words.push(quote!(#arg(#id)));
            }
            ArgKind::Slice { mutable } => {
                let ptr = if mutable {
                    quote!(as_mut_ptr)
                } else {
                    quote!(as_ptr)
                };
                words.push(quote!(#id.#ptr()));
                words.push(match a.len {
                    SliceLen::Elements => quote!(#id.len()),
                    // The same code as `.len()` for bytes.
                    SliceLen::Bytes => quote!(::core::mem::size_of_val::<[_]>(#id)),
                });
            }
            ArgKind::CStr => words.push(quote!(::core::ffi::CStr::as_ptr(#id))),
            ArgKind::OptCStr => words.push(quote! {
                match #id {
                    ::core::option::Option::Some(s) => ::core::ffi::CStr::as_ptr(s),
                    ::core::option::Option::None => ::core::ptr::null(),
                }
            }),
        }
    }

    let call = if matches!(w.ret, RetKind::Never) {
        quote! {
            unsafe { #krate::__private::call1_noreturn_meta(&#meta, #krate::__private::Const::<{ #nr }>, #(#words),*) }
        }
    } else {
        let f = if w.readonly {
            format_ident!("call{}_readonly_meta", words.len())
        } else {
            format_ident!("call{}_meta", words.len())
        };
        let decode = match &w.ret {
            RetKind::Unit => quote!(let _ = #raw;),
            RetKind::Never => unreachable!("handled above"),
            RetKind::Result { ok, whole } => {
                let span = whole.tokens[0].span();
                let decode = quote_spanned!(span=> #krate::__private::decode::<#ok>);
                quote!(unsafe { #decode(#raw) })
            }
            RetKind::Value(ty) => {
                let span = ty.tokens[0].span();
                let decode = quote_spanned!(span=> #krate::__private::decode_value::<#ty>);
                quote!(unsafe { #decode(#raw) })
            }
        };
        quote! {
            let #raw = unsafe { #krate::__private::#f(&#meta, #krate::__private::Const::<{ #nr }>, #(#words),*) };
            #decode
        }
    };

    quote! {
        #(#attrs)*
        #inline
        #vis #unsafety #fn_token #name #generics(#(#params),*) #ret {
            static #meta: #krate::__private::Meta = #krate::__private::Meta {
                name: #meta_name,
                args: &[#(#arg_names),*],
                kinds: &[#(#krate::__private::ArgKind::#arg_kinds),*],
            };
            #nr_items
            #registers
            #proto_check
            #call
        }
    }
}

/// The `ArgKind` variant of `Meta::kinds` for an argument: from its Rust type, and for integers
/// from its name.
fn meta_kind(a: &crate::validate::ArgPlan) -> Ident {
    let kind = match a.kind {
        ArgKind::CStr | ArgKind::OptCStr => "Path",
        ArgKind::Slice { mutable: false } => "BufIn",
        ArgKind::Slice { mutable: true } => "BufOut",
        ArgKind::Value | ArgKind::Wide => {
            let ty: String = a.ty.tokens.iter().map(ToString::to_string).collect();
            let name = a.ident.to_string();
            let name = name.trim_start_matches('_');
            let int = [
                "i8",
                "i16",
                "i32",
                "i64",
                "isize",
                "u8",
                "u16",
                "u32",
                "u64",
                "usize",
                "c_int",
                "c_uint",
                "c_long",
                "c_ulong",
                "c_longlong",
                "c_ulonglong",
                "c_short",
                "c_ushort",
                "loff_t",
                "off_t",
                "off64_t",
                "size_t",
                "pid_t",
                "mode_t",
            ];
            let last = ty.rsplit("::").next().unwrap_or(&ty);
            if ty.contains("BorrowedFd") || ty.contains("RawFd") {
                "Fd"
            } else if ty.starts_with("&mut")
                || ty.starts_with("*mut")
                || ty.starts_with("Option<&mut")
            {
                "PtrOut"
            } else if ty.starts_with('&') || ty.starts_with("*const") || ty.starts_with("Option<&")
            {
                "PtrIn"
            } else if int.contains(&last) {
                if name == "fd" || name == "dirfd" || name == "dfd" || name.ends_with("fd") {
                    "Fd"
                } else if ["flags", "mode", "prot", "how", "options"].contains(&name)
                    || name.ends_with("flags")
                {
                    "Flags"
                } else {
                    "Int"
                }
            } else {
                "Other"
            }
        }
    };
    Ident::new(kind, Span::call_site())
}

/// `const __LIBSYS_NR: usize = …;` for the target, however the number was given.
fn nr_items(w: &Wrapper<'_>, nr: &Ident) -> TokenStream {
    let krate = &w.krate;
    match &w.nr {
        NrPlan::ByName(name) => {
            // Every token of the invocation carries the user's span, the crate path included:
            // a `compile_error!` from `sys_nr!` is reported at the invocation, so at the name.
            let krate: TokenStream = krate
                .clone()
                .into_iter()
                .map(|mut t| {
                    t.set_span(name.span());
                    t
                })
                .collect();
            let lookup = quote_spanned!(name.span()=> #krate::__private::sys_nr!(#name));
            quote!(const #nr: usize = #lookup;)
        }
        NrPlan::One(lit) => quote!(const #nr: usize = #lit;),
        NrPlan::PerArch(list) => {
            let mut out = TokenStream::new();
            for (arch, lit) in list {
                let arch = Literal::string(&arch.to_string());
                out.extend(quote!(#[cfg(target_arch = #arch)] const #nr: usize = #lit;));
            }
            let name = &w.decl.name;
            let given: Vec<String> = list.iter().map(|(a, _)| a.to_string()).collect();
            let (start, end) = (name.span(), name.span());
            for arch in ARCHES.iter().filter(|a| !given.iter().any(|g| g == *a)) {
                let text = format!(
                    "`{}` has no syscall number for {arch}\n= help: add `{arch} = N` to `nr(…)`, or leave the declaration out there with `#[cfg(not(target_arch = \"{arch}\"))]`",
                    w.meta_name
                );
                let err = compile_error(start, end, &text);
                out.extend(quote!(#[cfg(target_arch = #arch)] const #nr: usize = #err;));
            }
            let all: Vec<&str> = ARCHES.to_vec();
            let text = format!(
                "`{}` has no syscall number for this architecture, which libsys does not support",
                w.meta_name
            );
            let err = compile_error(start, end, &text);
            out.extend(quote!(#[cfg(not(any(#(target_arch = #all),*)))] const #nr: usize = #err;));
            out
        }
    }
}
