//! Parsing of the options in `#[syscall(…)]` and `#[syscalls(…)]`.
//!
//! `readonly`, `noreturn`, `unchecked`, `name = "…"`, `nr = N`, `nr(arch = N, …)`,
//! `crate = path`, each at most once, separated by commas.

use crate::diagnostics::Error;
use crate::parse::{Cursor, split_commas};
use proc_macro2::{Ident, Literal, Span, TokenStream, TokenTree};

/// Where the syscall number comes from.
pub(crate) enum Nr {
    /// `nr = 462`.
    One(Literal),
    /// `nr(x86_64 = 462, aarch64 = 462)`: one entry per architecture.
    PerArch(Vec<(Ident, Literal)>),
}

/// The options given to one declaration.
#[derive(Default)]
pub(crate) struct Options {
    pub(crate) readonly: Option<Ident>,
    pub(crate) noreturn: Option<Ident>,
    /// `unchecked`: no check against the kernel's prototype (a deliberate deviation).
    pub(crate) unchecked: Option<Ident>,
    /// `name = "…"`: the value and its literal (for spans).
    pub(crate) name: Option<(String, Literal)>,
    pub(crate) nr: Option<Nr>,
    /// `crate = path`.
    pub(crate) krate: Option<TokenStream>,
}

/// The `target_arch` values sys-core supports (the names `nr(…)` accepts).
pub(crate) const ARCHES: &[&str] = &[
    "x86_64",
    "x86",
    "aarch64",
    "arm",
    "riscv64",
    "powerpc64",
    "s390x",
    "loongarch64",
    "mips",
    "mips64",
];

const EXPECTED: &str = "expected one of `readonly`, `noreturn`, `name = \"…\"`, `nr = N`, `nr(arch = N, …)`, `crate = path`";

impl Options {
    /// Parses the options; `block` says they are the `#[syscalls(…)]` ones (only `crate`).
    /// Adds every mistake to `errors` and keeps what was understood.
    pub(crate) fn parse(args: TokenStream, block: bool, errors: &mut Vec<Error>) -> Options {
        let mut opts = Options::default();
        let tokens: Vec<TokenTree> = args.into_iter().collect();
        for part in split_commas(&tokens) {
            if let Err(e) = opts.parse_one(part, block) {
                errors.push(e);
            }
        }
        opts
    }

    fn parse_one(&mut self, part: Vec<TokenTree>, block: bool) -> Result<(), Error> {
        let first = part[0].clone();
        let TokenTree::Ident(key) = &first else {
            return Err(Error::tokens(&part, "expected an option").hint(EXPECTED));
        };
        let key_str = key.to_string();
        if block && key_str != "crate" {
            return Err(Error::new(key.span(), format!("unknown option `{key_str}` for `#[syscalls]`"))
                .hint("`#[syscalls]` takes only `crate = path`; put per-function options on the item: `#[syscall(readonly)] pub fn …;`"));
        }
        let mut c = Cursor::new(part[1..].iter().cloned().collect());
        match key_str.as_str() {
            "readonly" | "noreturn" | "unchecked" => {
                if !c.is_empty() {
                    return Err(
                        Error::tokens(&part[1..], format!("`{key_str}` takes no value"))
                            .hint(format!("write just `{key_str}`")),
                    );
                }
                let slot = match key_str.as_str() {
                    "readonly" => &mut self.readonly,
                    "noreturn" => &mut self.noreturn,
                    _ => &mut self.unchecked,
                };
                if slot.is_some() {
                    return Err(duplicate(key));
                }
                *slot = Some(key.clone());
            }
            "name" => {
                if c.eat_punct('=').is_none() {
                    return Err(Error::new(c.span(), "expected `=` after `name`")
                        .hint("write `name = \"openat\"`"));
                }
                let lit = match (c.next(), c.is_empty()) {
                    (Some(TokenTree::Literal(l)), true) => l,
                    _ => {
                        return Err(Error::tokens(&part[2..], "expected a string literal")
                            .hint("write `name = \"openat\"`"));
                    }
                };
                let Some(value) = string_value(&lit) else {
                    return Err(Error::new(lit.span(), "expected a string literal")
                        .hint("write `name = \"openat\"`"));
                };
                if !is_identifier(&value) {
                    return Err(Error::new(
                        lit.span(),
                        format!("`{value}` is not a system call name"),
                    )
                    .hint(
                        "use the kernel's name without the `__NR_` prefix, such as `\"openat\"`",
                    ));
                }
                if self.name.is_some() {
                    return Err(duplicate(key));
                }
                if self.nr.is_some() {
                    return Err(conflict(key));
                }
                self.name = Some((value, lit));
            }
            "nr" => {
                let nr = if c.eat_punct('=').is_some() {
                    let lit = int_literal(&mut c, &part[2..])?;
                    Nr::One(lit)
                } else if let Some(TokenTree::Group(g)) = c.peek() {
                    let g = g.clone();
                    c.next();
                    if !c.is_empty() {
                        return Err(Error::new(c.span(), "unexpected tokens after `nr(…)`"));
                    }
                    Nr::PerArch(per_arch(g.span(), g.stream())?)
                } else {
                    return Err(Error::new(c.span(), "expected `=` or `(` after `nr`")
                        .hint("write `nr = 462` or `nr(x86_64 = 462, aarch64 = 462)`"));
                };
                if self.nr.is_some() {
                    return Err(duplicate(key));
                }
                if self.name.is_some() {
                    return Err(conflict(key));
                }
                self.nr = Some(nr);
            }
            "crate" => {
                if c.eat_punct('=').is_none() || c.is_empty() {
                    return Err(Error::tokens(&part, "expected `crate = path`").hint(
                        "write `crate = ::libsys` (the path under which libsys is reachable)",
                    ));
                }
                if self.krate.is_some() {
                    return Err(duplicate(key));
                }
                self.krate = Some(part[2..].iter().cloned().collect());
            }
            _ => {
                return Err(
                    Error::new(key.span(), format!("unknown option `{key_str}`")).hint(EXPECTED),
                );
            }
        }
        Ok(())
    }
}

fn duplicate(key: &Ident) -> Error {
    Error::new(key.span(), format!("duplicate option `{key}`")).hint("give each option once")
}

fn conflict(key: &Ident) -> Error {
    Error::new(key.span(), "`name` and `nr` both choose the syscall number")
        .hint("give either `name = \"…\"` (looked up per architecture) or `nr = N`, not both")
}

/// `x86_64 = 462, aarch64 = 462` inside `nr(…)`.
fn per_arch(span: Span, stream: TokenStream) -> Result<Vec<(Ident, Literal)>, Error> {
    let tokens: Vec<TokenTree> = stream.into_iter().collect();
    let mut out: Vec<(Ident, Literal)> = Vec::new();
    let parts = split_commas(&tokens);
    if parts.is_empty() {
        return Err(Error::new(span, "`nr(…)` lists no architecture")
            .hint("write `nr(x86_64 = 462, aarch64 = 462)`"));
    }
    for part in parts {
        let mut c = Cursor::new(part.iter().cloned().collect());
        let arch = match c.next() {
            Some(TokenTree::Ident(i)) => i,
            _ => {
                return Err(Error::tokens(&part, "expected `arch = N`")
                    .hint("write `nr(x86_64 = 462, aarch64 = 462)`"));
            }
        };
        let arch_str = arch.to_string();
        if !ARCHES.contains(&arch_str.as_str()) {
            return Err(
                Error::new(arch.span(), format!("unknown architecture `{arch_str}`"))
                    .hint(format!("use a `target_arch` name: {}", ARCHES.join(", "))),
            );
        }
        if out.iter().any(|(a, _)| *a == arch_str) {
            return Err(
                Error::new(arch.span(), format!("duplicate architecture `{arch_str}`"))
                    .hint("give each architecture once"),
            );
        }
        if c.eat_punct('=').is_none() {
            return Err(
                Error::new(c.span(), format!("expected `=` after `{arch_str}`"))
                    .hint(format!("write `{arch_str} = 462`")),
            );
        }
        let lit = int_literal(&mut c, &part[2..])?;
        out.push((arch, lit));
    }
    Ok(out)
}

/// An integer literal (the rest of `c`), with no suffix or `usize`.
fn int_literal(c: &mut Cursor, rest: &[TokenTree]) -> Result<Literal, Error> {
    let hint = "write the number as an integer literal, such as `nr = 462`";
    match (c.next(), c.is_empty()) {
        (Some(TokenTree::Literal(l)), true) => {
            let s = l.to_string();
            let digits = s.strip_suffix("usize").unwrap_or(&s);
            let ok = s.starts_with(|ch: char| ch.is_ascii_digit())
                && (digits.chars().all(|ch| ch.is_ascii_digit() || ch == '_')
                    || (digits.starts_with("0x")
                        && digits[2..]
                            .chars()
                            .all(|ch| ch.is_ascii_hexdigit() || ch == '_')));
            if ok {
                Ok(l)
            } else {
                Err(
                    Error::new(l.span(), format!("expected a syscall number, found `{s}`"))
                        .hint(hint),
                )
            }
        }
        _ => Err(Error::tokens(rest, "expected a syscall number").hint(hint)),
    }
}

/// The value of a plain string literal `"…"` without escapes (syscall names have none).
fn string_value(lit: &Literal) -> Option<String> {
    let s = lit.to_string();
    let inner = s.strip_prefix('"')?.strip_suffix('"')?;
    (!inner.contains('\\')).then(|| inner.to_owned())
}

fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}
