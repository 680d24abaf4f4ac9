//! `#[main]`: the program's main for a binary without libc. Parse (the fn, through
//! `parse::Decl`, and the `crate = path` option) → validate → expand, or the user's function
//! unchanged plus the errors.
//!
//! The expansion never looks at the target: it defines `__libsys_start(sp)`, the one function
//! the entry point (`sys-rt`, `global_asm!` per architecture, compiled under `cfg`) calls, and
//! that calls `sys_rt::init`, the user's function and `sys_rt::exit` through the facade.

use crate::diagnostics::{Error, to_compile_errors};
use crate::parse::{Cursor, Decl, Param, is_punct, split_commas};
use proc_macro2::{Ident, Span, TokenStream, TokenTree};
use quote::{quote, quote_spanned};

/// `#[main(args)] item`.
pub(crate) fn attribute(args: TokenStream, input: TokenStream) -> TokenStream {
    let mut errors = Vec::new();
    let krate = parse_options(args, &mut errors);
    let mut c = Cursor::new(input.clone());
    let Ok(decl) = Decl::parse(&mut c) else {
        let tokens: Vec<TokenTree> = input.clone().into_iter().collect();
        let e = Error::tokens(&tokens, "`#[main]` goes on the program's main function")
            .hint("write `fn main(args: libsys::Args) -> i32 { … }`");
        return with_errors(input, &[e]);
    };
    if !c.is_empty() {
        errors.push(Error::new(c.span(), "unexpected tokens after the function"));
    }
    let plan = validate(&decl, &mut errors);
    if !errors.is_empty() {
        return with_errors(input, &errors);
    }
    let krate = krate.unwrap_or_else(|| quote!(::libsys));
    expand(&decl, &plan, &krate, input)
}

/// After an error: the errors and the user's function as written (so that its body is still
/// checked and its callers still resolve), without the start-up glue.
fn with_errors(input: TokenStream, errors: &[Error]) -> TokenStream {
    let mut out = to_compile_errors(errors);
    out.extend(input);
    out
}

/// Parses `crate = path`, the only option.
fn parse_options(args: TokenStream, errors: &mut Vec<Error>) -> Option<TokenStream> {
    let tokens: Vec<TokenTree> = args.into_iter().collect();
    let mut krate = None;
    for part in split_commas(&tokens) {
        let is_crate = matches!(&part[0], TokenTree::Ident(i) if i == "crate");
        if !is_crate {
            errors.push(
                Error::tokens(&part, "unknown option for `#[main]`").hint(
                    "the only option is `crate = path` (where libsys is, default `::libsys`)",
                ),
            );
            continue;
        }
        if !is_punct(part.get(1), '=') || part.len() < 3 {
            errors.push(
                Error::tokens(&part, "expected `crate = path`")
                    .hint("write `crate = ::libsys` (the path under which libsys is reachable)"),
            );
            continue;
        }
        if krate.is_some() {
            errors.push(Error::tokens(&part, "`crate` given twice"));
            continue;
        }
        krate = Some(part[2..].iter().cloned().collect());
    }
    krate
}

/// What the expansion needs to know about a valid main.
struct Plan {
    /// Takes the `Args` parameter.
    takes_args: bool,
    /// Returns `!`: nothing to exit with.
    never: bool,
}

/// Checks what `__libsys_start` can call: a plain, non-generic, synchronous fn with a body,
/// taking at most the `Args`.
fn validate(decl: &Decl, errors: &mut Vec<Error>) -> Plan {
    let hint = "write `fn main(args: libsys::Args) -> i32 { … }` (or without the parameter)";
    if let Some(a) = &decl.asyncness {
        errors.push(Error::new(a.span(), "`#[main]` cannot be `async`").hint(hint));
    }
    for (kw, what) in [(&decl.unsafety, "unsafe"), (&decl.safety, "safe")] {
        if let Some(k) = kw {
            errors.push(
                Error::new(k.span(), format!("`#[main]` cannot be `{what}`")).hint(
                    "main is called once by the entry point, with nothing to promise: remove it",
                ),
            );
        }
    }
    if !decl.abi.is_empty() {
        errors.push(
            Error::tokens(&decl.abi, "`#[main]` takes a Rust fn, not an `extern` one")
                .hint("remove the ABI: the entry point's ABI is handled by the expansion"),
        );
    }
    if !decl.generics.is_empty() || !decl.where_clause.is_empty() {
        let tokens = if decl.generics.is_empty() {
            &decl.where_clause
        } else {
            &decl.generics
        };
        errors.push(Error::tokens(tokens, "`#[main]` cannot be generic").hint(hint));
    }
    if let Ok(semi) = &decl.body {
        errors.push(
            Error::new(semi.span(), "`#[main]` needs a function with a body")
                .hint("write the program's main: `fn main(args: libsys::Args) -> i32 { … }`"),
        );
    }
    match decl.params.as_slice() {
        [] | [Param::Typed { .. }] => {}
        [Param::Receiver { tokens } | Param::Variadic { tokens }] => {
            errors.push(Error::tokens(tokens, "`#[main]` takes `args: libsys::Args`").hint(hint));
        }
        [_, rest @ ..] => {
            let tokens: Vec<TokenTree> = rest.iter().flat_map(Param::tokens).collect();
            errors.push(
                Error::tokens(&tokens, "`#[main]` takes at most one parameter, the `Args`")
                    .hint("the environment is `args.env()`; the auxiliary vector is in `libsys::sys_auxv`"),
            );
        }
    }
    let never = decl.ret.as_ref().is_some_and(
        |(_, ty)| matches!(ty.tokens.as_slice(), [TokenTree::Punct(p)] if p.as_char() == '!'),
    );
    Plan {
        takes_args: !decl.params.is_empty(),
        never,
    }
}

/// The user's function unchanged, then `__libsys_start` in an anonymous const (so that it adds
/// no name to the user's module).
fn expand(decl: &Decl, plan: &Plan, krate: &TokenStream, input: TokenStream) -> TokenStream {
    let name = &decl.name;
    // Our locals: `mixed_site` keeps them apart from the user's names in scope.
    let sp = Ident::new("__libsys_sp", Span::mixed_site());
    let args = Ident::new("__libsys_args", Span::mixed_site());
    let call = if plan.takes_args {
        quote!(#name(#args))
    } else {
        quote!({
            let _ = #args;
            #name()
        })
    };
    let tail = if plan.never {
        call
    } else {
        // Spanned at the return type, so that a type that is not an exit status is reported
        // there.
        let span = decl
            .ret
            .as_ref()
            .map_or(name.span(), |(_, ty)| ty.tokens[0].span());
        let ret = Ident::new("__libsys_ret", Span::mixed_site().located_at(span));
        let code = quote_spanned!(span=> #krate::__private::rt::Termination::exit_code);
        quote! {
            let #ret = #call;
            #krate::__private::rt::exit(#code(#ret))
        }
    };
    quote! {
        #input

        const _: () = {
            /// The process's start after the architecture's entry point (sys-rt): `sp` is the
            /// initial stack pointer.
            #[doc(hidden)]
            #[unsafe(no_mangle)]
            unsafe extern "C" fn __libsys_start(#sp: *const usize) -> ! {
                // SAFETY: the entry point calls this once, first, with the kernel's stack
                // pointer.
                let #args: #krate::__private::rt::Args =
                    unsafe { #krate::__private::rt::init(#sp) };
                #tail
            }
        };
    }
}
