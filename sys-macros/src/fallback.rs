//! The stub emitted after an error: the user's function with a body that panics, so that call
//! sites still type-check and the only errors shown are the declaration's own.

use crate::parse::{Attr, Decl, Param};
use crate::validate::Mode;
use proc_macro2::TokenStream;
use quote::quote;

/// The declaration as a function with a `panic!` body, minus what cannot compile anywhere
/// (`self` in a free function, variadics, `safe`).
pub(crate) fn stub(decl: &Decl, attrs: &[Attr], mode: Mode) -> TokenStream {
    let vis: TokenStream = decl.vis.iter().cloned().collect();
    let constness = &decl.constness;
    let asyncness = &decl.asyncness;
    let unsafety = match mode {
        Mode::Attribute => decl.unsafety.as_ref().map(|u| quote!(#u)),
        Mode::Block => decl.safety.is_none().then(|| quote!(unsafe)),
    };
    let name = &decl.name;
    let generics: TokenStream = decl.generics.iter().cloned().collect();
    let params = decl.params.iter().filter_map(|p| match p {
        Param::Typed { .. } => Some(p.tokens().into_iter().collect::<TokenStream>()),
        Param::Receiver { .. } | Param::Variadic { .. } => None,
    });
    let ret = decl.ret.as_ref().map(|(arrow, ty)| {
        let arrow: TokenStream = arrow.iter().cloned().collect();
        quote!(#arrow #ty)
    });
    let where_clause: TokenStream = decl.where_clause.iter().cloned().collect();
    quote! {
        #(#attrs)*
        #[allow(unused_variables, clippy::all)]
        #vis #constness #asyncness #unsafety fn #name #generics(#(#params),*) #ret #where_clause {
            ::core::panic!("this `#[syscall]` declaration has errors")
        }
    }
}
