//! Parsing of the macros' input into a model that keeps the user's tokens, so that every later
//! error can be spanned: a bodiless fn declaration (`attrs vis qualifiers fn name(args) -> ret;`)
//! and the `#[syscalls] unsafe extern "C" { … }` block.
//!
//! rustc has already parsed the input as an item (an attribute macro only sees well-formed
//! items), so this parser only needs to split it; rejections of what it finds happen in
//! `validate`.

use crate::diagnostics::Error;
use proc_macro2::{Delimiter, Group, Ident, Literal, Punct, Spacing, Span, TokenStream, TokenTree};
use quote::{ToTokens, TokenStreamExt};

/// The tokens of an input, consumed from the front.
pub(crate) struct Cursor {
    tokens: Vec<TokenTree>,
    pos: usize,
}

impl Cursor {
    pub(crate) fn new(stream: TokenStream) -> Self {
        Cursor {
            tokens: stream.into_iter().collect(),
            pos: 0,
        }
    }

    pub(crate) fn peek(&self) -> Option<&TokenTree> {
        self.tokens.get(self.pos)
    }

    fn peek_nth(&self, n: usize) -> Option<&TokenTree> {
        self.tokens.get(self.pos + n)
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.pos >= self.tokens.len()
    }

    pub(crate) fn next(&mut self) -> Option<TokenTree> {
        let t = self.tokens.get(self.pos).cloned();
        self.pos += 1;
        t
    }

    /// The span of the next token, or of the last one at the end.
    pub(crate) fn span(&self) -> Span {
        self.peek()
            .or_else(|| self.tokens.last())
            .map_or_else(Span::call_site, TokenTree::span)
    }

    pub(crate) fn peek_ident(&self, name: &str) -> bool {
        matches!(self.peek(), Some(TokenTree::Ident(i)) if i == name)
    }

    pub(crate) fn peek_punct(&self, ch: char) -> bool {
        is_punct(self.peek(), ch)
    }

    pub(crate) fn eat_ident(&mut self, name: &str) -> Option<Ident> {
        match self.peek() {
            Some(TokenTree::Ident(i)) if i == name => {
                let i = i.clone();
                self.pos += 1;
                Some(i)
            }
            _ => None,
        }
    }

    pub(crate) fn eat_punct(&mut self, ch: char) -> Option<Punct> {
        match self.peek() {
            Some(TokenTree::Punct(p)) if p.as_char() == ch => {
                let p = p.clone();
                self.pos += 1;
                Some(p)
            }
            _ => None,
        }
    }

    /// Takes an outer attribute `#[…]`, if one comes next.
    fn eat_attr(&mut self) -> Option<Attr> {
        match (self.peek(), self.peek_nth(1)) {
            (Some(TokenTree::Punct(p)), Some(TokenTree::Group(g)))
                if p.as_char() == '#' && g.delimiter() == Delimiter::Bracket =>
            {
                let attr = Attr {
                    pound: p.clone(),
                    group: g.clone(),
                };
                self.pos += 2;
                Some(attr)
            }
            _ => None,
        }
    }

    /// Takes tokens up to (not including) the first one at angle-bracket depth 0 for which
    /// `stop` holds.
    fn take_until(&mut self, stop: impl Fn(&TokenTree) -> bool) -> Vec<TokenTree> {
        let mut out = Vec::new();
        let mut depth = Depth::default();
        while let Some(t) = self.peek() {
            if depth.0 == 0 && stop(t) {
                break;
            }
            depth.step(t, out.last());
            out.push(t.clone());
            self.pos += 1;
        }
        out
    }
}

pub(crate) fn is_punct(t: Option<&TokenTree>, ch: char) -> bool {
    matches!(t, Some(TokenTree::Punct(p)) if p.as_char() == ch)
}

pub(crate) fn is_ident(t: Option<&TokenTree>, name: &str) -> bool {
    matches!(t, Some(TokenTree::Ident(i)) if i == name)
}

/// Angle-bracket depth while walking a type or generics: `<` opens, `>` closes unless it ends
/// an arrow `->`.
#[derive(Default)]
struct Depth(usize);

impl Depth {
    fn step(&mut self, t: &TokenTree, prev: Option<&TokenTree>) {
        if let TokenTree::Punct(p) = t {
            match p.as_char() {
                '<' => self.0 += 1,
                '>' => {
                    let arrow = matches!(prev, Some(TokenTree::Punct(q))
                        if q.as_char() == '-' && q.spacing() == Spacing::Joint);
                    if !arrow {
                        self.0 = self.0.saturating_sub(1);
                    }
                }
                _ => {}
            }
        }
    }
}

/// Splits `tokens` at commas outside angle brackets; a trailing comma gives no empty part.
pub(crate) fn split_commas(tokens: &[TokenTree]) -> Vec<Vec<TokenTree>> {
    let mut parts = Vec::new();
    let mut cur: Vec<TokenTree> = Vec::new();
    let mut depth = Depth::default();
    for t in tokens {
        if depth.0 == 0 && is_punct(Some(t), ',') {
            parts.push(std::mem::take(&mut cur));
            continue;
        }
        depth.step(t, cur.last());
        cur.push(t.clone());
    }
    if !cur.is_empty() {
        parts.push(cur);
    }
    parts
}

/// An outer attribute, `#[…]`.
#[derive(Clone)]
pub(crate) struct Attr {
    pub(crate) pound: Punct,
    pub(crate) group: Group,
}

impl Attr {
    /// The last segment of the attribute's path: `doc`, `inline`, `syscall` (also for
    /// `libsys::syscall`).
    pub(crate) fn name(&self) -> Option<Ident> {
        let mut last = None;
        for t in self.group.stream() {
            match t {
                TokenTree::Ident(i) => last = Some(i),
                TokenTree::Punct(p) if p.as_char() == ':' => {}
                _ => break,
            }
        }
        last
    }

    pub(crate) fn is(&self, name: &str) -> bool {
        self.name().is_some_and(|i| i == name)
    }

    /// The tokens inside `#[name(…)]`; `None` for `#[name]`, an error for `#[name = …]`.
    pub(crate) fn args(&self) -> Result<Option<TokenStream>, Error> {
        let mut tokens = self
            .group
            .stream()
            .into_iter()
            .skip_while(|t| matches!(t, TokenTree::Ident(_)) || is_punct(Some(t), ':'));
        match (tokens.next(), tokens.next()) {
            (None, _) => Ok(None),
            (Some(TokenTree::Group(g)), None) if g.delimiter() == Delimiter::Parenthesis => {
                Ok(Some(g.stream()))
            }
            (Some(t), _) => Err(
                Error::new(t.span(), "expected `(` or the end of the attribute")
                    .hint("write options as `#[syscall(readonly, name = \"…\")]`"),
            ),
        }
    }
}

impl ToTokens for Attr {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        tokens.append(self.pound.clone());
        tokens.append(self.group.clone());
    }
}

/// A type, as the user wrote it.
#[derive(Clone)]
pub(crate) struct Type {
    pub(crate) tokens: Vec<TokenTree>,
}

impl ToTokens for Type {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        tokens.extend(self.tokens.iter().cloned());
    }
}

/// One parameter of the declaration.
pub(crate) enum Param {
    /// `pattern: Type`; `pat` holds the pattern's tokens.
    Typed {
        pat: Vec<TokenTree>,
        colon: Punct,
        ty: Type,
    },
    /// A receiver (`self`, `&mut self`, `self: Box<Self>`).
    Receiver { tokens: Vec<TokenTree> },
    /// `...` or `name: ...`.
    Variadic { tokens: Vec<TokenTree> },
}

impl Param {
    fn parse(tokens: Vec<TokenTree>) -> Param {
        let dots = tokens
            .windows(3)
            .any(|w| w.iter().all(|t| is_punct(Some(t), '.')));
        if dots {
            return Param::Variadic { tokens };
        }
        // The first `:` that is not half of `::` separates the pattern from the type.
        let mut i = 0;
        let mut colon = None;
        while i < tokens.len() {
            if let TokenTree::Punct(p) = &tokens[i]
                && p.as_char() == ':'
            {
                if p.spacing() == Spacing::Joint && is_punct(tokens.get(i + 1), ':') {
                    i += 2;
                    continue;
                }
                colon = Some((i, p.clone()));
                break;
            }
            i += 1;
        }
        let pat = colon.as_ref().map_or(&tokens[..], |(i, _)| &tokens[..*i]);
        if pat.iter().any(|t| is_ident(Some(t), "self")) {
            return Param::Receiver { tokens };
        }
        match colon {
            Some((i, colon)) => Param::Typed {
                pat: tokens[..i].to_vec(),
                colon,
                ty: Type {
                    tokens: tokens[i + 1..].to_vec(),
                },
            },
            // Not valid Rust in a fn signature; treat it as a receiver-like oddity.
            None => Param::Receiver { tokens },
        }
    }

    pub(crate) fn tokens(&self) -> Vec<TokenTree> {
        match self {
            Param::Typed { pat, colon, ty } => {
                let mut v = pat.clone();
                v.push(colon.clone().into());
                v.extend(ty.tokens.iter().cloned());
                v
            }
            Param::Receiver { tokens } | Param::Variadic { tokens } => tokens.clone(),
        }
    }
}

/// A declaration: `attrs vis qualifiers fn name<generics>(params) -> ret where … ;`.
pub(crate) struct Decl {
    pub(crate) attrs: Vec<Attr>,
    pub(crate) vis: Vec<TokenTree>,
    pub(crate) constness: Option<Ident>,
    pub(crate) asyncness: Option<Ident>,
    pub(crate) unsafety: Option<Ident>,
    pub(crate) safety: Option<Ident>,
    /// `extern` and its ABI string, if any.
    pub(crate) abi: Vec<TokenTree>,
    pub(crate) fn_token: Ident,
    pub(crate) name: Ident,
    /// `<…>` after the name.
    pub(crate) generics: Vec<TokenTree>,
    pub(crate) params: Vec<Param>,
    /// `->` (two puncts) and the return type.
    pub(crate) ret: Option<(Vec<TokenTree>, Type)>,
    pub(crate) where_clause: Vec<TokenTree>,
    /// The body, when there is one (an error), else the `;`.
    pub(crate) body: Result<Punct, Group>,
}

impl Decl {
    /// Parses one declaration from `c`, consuming its closing `;` or body.
    pub(crate) fn parse(c: &mut Cursor) -> Result<Decl, Error> {
        let mut attrs = Vec::new();
        while let Some(a) = c.eat_attr() {
            attrs.push(a);
        }
        let mut vis = Vec::new();
        if let Some(p) = c.eat_ident("pub") {
            vis.push(p.into());
            if let Some(TokenTree::Group(g)) = c.peek()
                && g.delimiter() == Delimiter::Parenthesis
            {
                vis.push(c.next().expect("peeked"));
            }
        }
        let (mut constness, mut asyncness, mut unsafety, mut safety) = (None, None, None, None);
        let mut abi = Vec::new();
        loop {
            if let Some(i) = c.eat_ident("const") {
                constness = Some(i);
            } else if let Some(i) = c.eat_ident("async") {
                asyncness = Some(i);
            } else if let Some(i) = c.eat_ident("unsafe") {
                unsafety = Some(i);
            } else if let Some(i) = c.eat_ident("safe") {
                safety = Some(i);
            } else if let Some(i) = c.eat_ident("extern") {
                abi.push(i.into());
                if let Some(TokenTree::Literal(_)) = c.peek() {
                    abi.push(c.next().expect("peeked"));
                }
            } else {
                break;
            }
        }
        let Some(fn_token) = c.eat_ident("fn") else {
            return Err(Error::new(c.span(), "expected a `fn` declaration")
                .hint("system call wrappers are functions: `pub unsafe fn name(args) -> Result<T, Errno>;`"));
        };
        let name = match c.next() {
            Some(TokenTree::Ident(i)) => i,
            other => {
                let span = other.map_or_else(Span::call_site, |t| t.span());
                return Err(Error::new(span, "expected the function's name"));
            }
        };
        let mut generics = Vec::new();
        if c.peek_punct('<') {
            let mut depth = Depth::default();
            while let Some(t) = c.next() {
                depth.step(&t, generics.last());
                let done = depth.0 == 0;
                generics.push(t);
                if done {
                    break;
                }
            }
        }
        let paren = match c.next() {
            Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Parenthesis => g,
            other => {
                let span = other.map_or_else(Span::call_site, |t| t.span());
                return Err(Error::new(span, "expected the parameter list `(…)`"));
            }
        };
        let params = split_commas(&paren.stream().into_iter().collect::<Vec<_>>())
            .into_iter()
            .map(Param::parse)
            .collect();
        let ret = if c.peek_punct('-') && is_punct(c.peek_nth(1), '>') {
            let arrow = vec![c.next().expect("peeked"), c.next().expect("peeked")];
            let ty = c.take_until(|t| {
                is_punct(Some(t), ';')
                    || is_ident(Some(t), "where")
                    || matches!(t, TokenTree::Group(g) if g.delimiter() == Delimiter::Brace)
            });
            Some((arrow, Type { tokens: ty }))
        } else {
            None
        };
        let mut where_clause = Vec::new();
        if c.peek_ident("where") {
            where_clause = c.take_until(|t| {
                is_punct(Some(t), ';')
                    || matches!(t, TokenTree::Group(g) if g.delimiter() == Delimiter::Brace)
            });
        }
        let body = match c.next() {
            Some(TokenTree::Punct(p)) if p.as_char() == ';' => Ok(p),
            Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Brace => Err(g),
            other => {
                let span = other.map_or_else(Span::call_site, |t| t.span());
                return Err(Error::new(span, "expected `;` after the declaration"));
            }
        };
        Ok(Decl {
            attrs,
            vis,
            constness,
            asyncness,
            unsafety,
            safety,
            abi,
            fn_token,
            name,
            generics,
            params,
            ret,
            where_clause,
            body,
        })
    }
}

/// `unsafe extern "C" { items }` under `#[syscalls]`.
pub(crate) struct Block {
    pub(crate) attrs: Vec<Attr>,
    pub(crate) unsafety: Option<Ident>,
    pub(crate) extern_token: Ident,
    pub(crate) abi: Option<Literal>,
    pub(crate) items: Vec<Result<Decl, Error>>,
}

impl Block {
    pub(crate) fn parse(input: TokenStream) -> Result<Block, Error> {
        let mut c = Cursor::new(input);
        let mut attrs = Vec::new();
        while let Some(a) = c.eat_attr() {
            attrs.push(a);
        }
        let unsafety = c.eat_ident("unsafe");
        let Some(extern_token) = c.eat_ident("extern") else {
            return Err(Error::new(
                c.span(),
                "`#[syscalls]` goes on an `unsafe extern \"C\" { … }` block",
            )
            .hint(
                "for a single function, use `#[syscall]` on `pub unsafe fn name(args) -> ret;`",
            ));
        };
        let abi = match c.peek() {
            Some(TokenTree::Literal(l)) => {
                let l = l.clone();
                c.next();
                Some(l)
            }
            _ => None,
        };
        let body = match c.next() {
            Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Brace => g,
            other => {
                let span = other.map_or_else(Span::call_site, |t| t.span());
                return Err(Error::new(span, "expected `{ … }` after `extern`"));
            }
        };
        let mut inner = Cursor::new(body.stream());
        let mut items = Vec::new();
        while !inner.is_empty() {
            let start = inner.pos;
            let item = Decl::parse(&mut inner);
            if item.is_err() {
                // Skip to the end of this item so the next ones are still checked.
                while let Some(t) = inner.next() {
                    if is_punct(Some(&t), ';')
                        || matches!(&t, TokenTree::Group(g) if g.delimiter() == Delimiter::Brace)
                    {
                        break;
                    }
                }
            }
            debug_assert!(inner.pos > start);
            items.push(item);
        }
        Ok(Block {
            attrs,
            unsafety,
            extern_token,
            abi,
            items,
        })
    }
}

/// The last segment of a path type (`core::ffi::CStr` → `CStr`), with its generic arguments
/// (`Option<&CStr>` → `Option`, [`&CStr`]); `None` if `tokens` is not a plain path.
pub(crate) fn path_last(tokens: &[TokenTree]) -> Option<(Ident, Vec<Vec<TokenTree>>)> {
    let mut i = 0;
    let colons = |i: usize| is_punct(tokens.get(i), ':') && is_punct(tokens.get(i + 1), ':');
    if colons(0) {
        i = 2;
    }
    loop {
        let TokenTree::Ident(seg) = tokens.get(i)? else {
            return None;
        };
        i += 1;
        let mut args = Vec::new();
        if is_punct(tokens.get(i), '<') {
            let start = i;
            let mut depth = Depth::default();
            let mut prev: Option<&TokenTree> = None;
            loop {
                let t = tokens.get(i)?;
                depth.step(t, prev);
                prev = Some(t);
                i += 1;
                if depth.0 == 0 {
                    break;
                }
            }
            args = split_commas(&tokens[start + 1..i - 1]);
        }
        if i == tokens.len() {
            return Some((seg.clone(), args));
        }
        if !colons(i) {
            return None;
        }
        i += 2;
    }
}
