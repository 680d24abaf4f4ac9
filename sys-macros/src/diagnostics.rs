//! Spanned errors: a message about the user's syntax plus a hint, emitted as `compile_error!`.
//!
//! Stable proc macros can only report errors through `compile_error!`; spanning its path with
//! the first token and its group with the last token of the offending syntax makes rustc
//! underline that whole range (the technique `syn::Error` uses).

use proc_macro2::{Delimiter, Group, Ident, Literal, Punct, Spacing, Span, TokenStream, TokenTree};

/// One mistake in the user's input.
#[derive(Debug)]
pub(crate) struct Error {
    start: Span,
    end: Span,
    message: String,
    hint: Option<String>,
}

impl Error {
    /// An error underlining one token.
    pub(crate) fn new(span: Span, message: impl Into<String>) -> Self {
        Self::range(span, span, message)
    }

    /// An error underlining from `start` to `end`.
    pub(crate) fn range(start: Span, end: Span, message: impl Into<String>) -> Self {
        Error {
            start,
            end,
            message: message.into(),
            hint: None,
        }
    }

    /// An error underlining the tokens `tokens` (the call site if there are none).
    pub(crate) fn tokens(tokens: &[TokenTree], message: impl Into<String>) -> Self {
        let (start, end) = span_range(tokens);
        Self::range(start, end, message)
    }

    /// Adds a hint: what to write instead.
    pub(crate) fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// The full text rustc shows.
    pub(crate) fn text(&self) -> String {
        match &self.hint {
            Some(hint) => format!("{}\n= help: {hint}", self.message),
            None => self.message.clone(),
        }
    }

    /// `::core::compile_error! { "…" }`, spanned over the offending tokens.
    pub(crate) fn to_compile_error(&self) -> TokenStream {
        compile_error(self.start, self.end, &self.text())
    }
}

/// `::core::compile_error! { "text" }` with the path spanned at `start` and the braces at
/// `end`, so that rustc underlines `start..=end`.
pub(crate) fn compile_error(start: Span, end: Span, text: &str) -> TokenStream {
    let mut sep1 = Punct::new(':', Spacing::Joint);
    sep1.set_span(start);
    let mut sep2 = Punct::new(':', Spacing::Alone);
    sep2.set_span(start);
    let mut sep3 = Punct::new(':', Spacing::Joint);
    sep3.set_span(start);
    let mut sep4 = Punct::new(':', Spacing::Alone);
    sep4.set_span(start);
    let mut bang = Punct::new('!', Spacing::Alone);
    bang.set_span(start);
    let mut lit = Literal::string(text);
    lit.set_span(end);
    let mut group = Group::new(Delimiter::Brace, TokenTree::from(lit).into());
    group.set_span(end);
    [
        TokenTree::from(sep1),
        sep2.into(),
        Ident::new("core", start).into(),
        sep3.into(),
        sep4.into(),
        Ident::new("compile_error", start).into(),
        bang.into(),
        group.into(),
    ]
    .into_iter()
    .collect()
}

/// The first and last span of `tokens` (the call site if there are none).
pub(crate) fn span_range(tokens: &[TokenTree]) -> (Span, Span) {
    match (tokens.first(), tokens.last()) {
        (Some(first), Some(last)) => (first.span(), last.span()),
        _ => (Span::call_site(), Span::call_site()),
    }
}

/// Every error found, emitted together.
pub(crate) fn to_compile_errors(errors: &[Error]) -> TokenStream {
    errors.iter().map(Error::to_compile_error).collect()
}
