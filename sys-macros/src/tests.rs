//! Unit tests of parsing, validation and expansion, on token streams (the UI tests in
//! `tests/ui` check the diagnostics as rustc shows them).

use crate::attr::Options;
use crate::expand;
use crate::parse::{Cursor, Decl, Type};
use crate::validate::{ArgKind, Mode, RetKind, classify_arg, classify_ret, pretty, validate};
use proc_macro2::TokenStream;
use quote::quote;

fn ty(ts: TokenStream) -> Type {
    Type {
        tokens: ts.into_iter().collect(),
    }
}

fn decl(ts: TokenStream) -> Decl {
    Decl::parse(&mut Cursor::new(ts)).expect("parses")
}

/// The expansion as text, whitespace removed, for substring checks.
fn expand(args: TokenStream, item: TokenStream) -> String {
    expand::attribute(args, item).to_string().replace(' ', "")
}

#[test]
fn argument_types_are_classified_syntactically() {
    assert_eq!(classify_arg(&ty(quote!(u32))).unwrap(), ArgKind::Value);
    assert_eq!(classify_arg(&ty(quote!(u64))).unwrap(), ArgKind::Wide);
    assert_eq!(
        classify_arg(&ty(quote!(core::primitive::i64))).unwrap(),
        ArgKind::Wide
    );
    assert_eq!(
        classify_arg(&ty(quote!(libc::off64_t))).unwrap(),
        ArgKind::Wide
    );
    assert_eq!(
        classify_arg(&ty(quote!(&[u8]))).unwrap(),
        ArgKind::Slice { mutable: false }
    );
    assert_eq!(
        classify_arg(&ty(quote!(&'a mut [u8]))).unwrap(),
        ArgKind::Slice { mutable: true }
    );
    assert_eq!(classify_arg(&ty(quote!(&[u8; 4]))).unwrap(), ArgKind::Value);
    assert_eq!(
        classify_arg(&ty(quote!(&core::ffi::CStr))).unwrap(),
        ArgKind::CStr
    );
    assert_eq!(
        classify_arg(&ty(quote!(Option<&CStr>))).unwrap(),
        ArgKind::OptCStr
    );
    assert_eq!(
        classify_arg(&ty(quote!(Option<&mut i32>))).unwrap(),
        ArgKind::Value
    );
    assert_eq!(
        classify_arg(&ty(quote!(BorrowedFd<'_>))).unwrap(),
        ArgKind::Value
    );
    assert_eq!(
        classify_arg(&ty(quote!(*const u8))).unwrap(),
        ArgKind::Value
    );
    for bad in [
        quote!(&str),
        quote!([u8; 4]),
        quote!((u8, u8)),
        quote!(impl Arg),
        quote!(OwnedFd),
        quote!(Option<&[u8]>),
        quote!(&dyn Any),
    ] {
        assert!(classify_arg(&ty(bad.clone())).is_err(), "{bad} accepted");
    }
}

#[test]
fn return_types_are_classified_syntactically() {
    assert!(matches!(
        classify_ret(&ty(quote!(!))).unwrap(),
        RetKind::Never
    ));
    assert!(matches!(
        classify_ret(&ty(quote!(()))).unwrap(),
        RetKind::Unit
    ));
    assert!(matches!(
        classify_ret(&ty(quote!(u32))).unwrap(),
        RetKind::Value(_)
    ));
    assert!(matches!(
        classify_ret(&ty(quote!(*mut u8))).unwrap(),
        RetKind::Value(_)
    ));
    match classify_ret(&ty(quote!(core::result::Result<OwnedFd, libsys::Errno>))).unwrap() {
        RetKind::Result { ok, .. } => assert_eq!(pretty(&ok.tokens), "OwnedFd"),
        _ => panic!("not a Result"),
    }
    for bad in [
        quote!(&u8),
        quote!(Option<u32>),
        quote!(io::Result<u32>),
        quote!(Result<u32, io::Error>),
        quote!((u32, u32)),
        quote!(impl Sized),
    ] {
        assert!(classify_ret(&ty(bad.clone())).is_err(), "{bad} accepted");
    }
}

#[test]
fn types_print_as_written() {
    assert_eq!(pretty(&ty(quote!(&'a mut [u8])).tokens), "&'a mut [u8]");
    assert_eq!(pretty(&ty(quote!(Option<&CStr>)).tokens), "Option<&CStr>");
    assert_eq!(pretty(&ty(quote!(BorrowedFd<'_>)).tokens), "BorrowedFd<'_>");
    assert_eq!(pretty(&ty(quote!([u8; 4])).tokens), "[u8; 4]");
    assert_eq!(
        pretty(&ty(quote!(Result<(), Errno>)).tokens),
        "Result<(), Errno>"
    );
    assert_eq!(pretty(&ty(quote!(*const u8)).tokens), "*const u8");
}

#[test]
fn options_parse_and_report_mistakes() {
    let mut errors = Vec::new();
    let o = Options::parse(
        quote!(readonly, name = "openat", crate = ::my::libsys),
        false,
        &mut errors,
    );
    assert!(errors.is_empty());
    assert!(o.readonly.is_some() && o.noreturn.is_none());
    assert_eq!(o.name.as_ref().unwrap().0, "openat");
    assert_eq!(
        o.krate.unwrap().to_string().replace(' ', ""),
        "::my::libsys"
    );

    let mut errors = Vec::new();
    Options::parse(
        quote!(
            readonly,
            readonly,
            nr = 1,
            name = "x",
            bogus,
            nr(arm = 1, arm = 2)
        ),
        false,
        &mut errors,
    );
    let texts: Vec<String> = errors.iter().map(|e| e.text()).collect();
    assert_eq!(texts.len(), 4, "{texts:#?}");
    assert!(texts[0].starts_with("duplicate option `readonly`"));
    assert!(texts[1].starts_with("`name` and `nr` both"));
    assert!(texts[2].starts_with("unknown option `bogus`"));
    assert!(texts[3].starts_with("duplicate architecture `arm`"));
}

#[test]
fn the_declaration_is_split_into_its_parts() {
    let d = decl(quote! {
        /// Docs.
        #[cfg(unix)]
        pub(crate) unsafe fn openat(dirfd: BorrowedFd<'_>, path: &CStr, flags: u32, mut mode: u32) -> Result<OwnedFd, Errno>;
    });
    assert_eq!(d.attrs.len(), 2);
    assert!(d.attrs[0].is("doc") && d.attrs[1].is("cfg"));
    assert_eq!(d.vis.len(), 2);
    assert!(d.unsafety.is_some() && d.safety.is_none());
    assert_eq!(d.name, "openat");
    assert_eq!(d.params.len(), 4);
    assert!(d.body.is_ok());
}

#[test]
fn a_name_lookup_goes_through_sys_nr_with_the_users_name() {
    let out = expand(
        quote!(),
        quote!(
            pub unsafe fn openat(
                dirfd: BorrowedFd<'_>,
                path: &CStr,
                flags: u32,
                mode: u32,
            ) -> Result<OwnedFd, Errno>;
        ),
    );
    assert!(
        out.contains("const__LIBSYS_NR:usize=::libsys::__private::sys_nr!(openat);"),
        "{out}"
    );
    assert!(
        out.contains("name:\"openat\",args:&[\"dirfd\",\"path\",\"flags\",\"mode\"]"),
        "{out}"
    );
    assert!(
        out.contains("::libsys::__private::call4_meta(&__LIBSYS_META,::libsys::__private::Const::<{__LIBSYS_NR}>,"),
        "{out}"
    );
    assert!(out.contains("::core::ffi::CStr::as_ptr(path)"), "{out}");
    assert!(
        out.contains("::libsys::__private::decode::<OwnedFd>"),
        "{out}"
    );
    assert!(!out.contains("compile_error"), "{out}");
}

#[test]
fn slices_pass_pointer_and_length_in_the_kernels_unit() {
    // `count` counts bytes: `size_of_val`, the same code as `.len()` for `[u8]`.
    let out = expand(
        quote!(readonly, crate = ::x),
        quote!(
            pub unsafe fn pwrite64(fd: i32, buf: &[u8], off: u64) -> Result<usize, Errno>;
        ),
    );
    assert!(out.contains("::x::__private::call4_readonly_meta(&__LIBSYS_META,::x::__private::Const::<{__LIBSYS_NR}>,::x::__private::arg::<i32>(fd),buf.as_ptr(),::core::mem::size_of_val::<[_]>(buf),::x::__private::arg::<u64>(off))"), "{out}");
    // `getrandom`'s length counts bytes whatever the element type.
    let out = expand(
        quote!(),
        quote!(
            pub unsafe fn getrandom(buf: &mut [u64], flags: u32) -> Result<usize, Errno>;
        ),
    );
    assert!(
        out.contains("buf.as_mut_ptr(),::core::mem::size_of_val::<[_]>(buf),"),
        "{out}"
    );
    // `poll`'s `nfds` counts elements.
    let out = expand(
        quote!(),
        quote!(
            pub unsafe fn poll(fds: &mut [PollFd], timeout: i32) -> Result<usize, Errno>;
        ),
    );
    assert!(out.contains("fds.as_mut_ptr(),fds.len(),"), "{out}");
    // A memory range: the address as a word, its length in bytes.
    let out = expand(
        quote!(),
        quote!(
            pub unsafe fn munmap(mem: &mut [u64]) -> Result<(), Errno>;
        ),
    );
    assert!(
        out.contains("mem.as_mut_ptr(),::core::mem::size_of_val::<[_]>(mem)"),
        "{out}"
    );
    // Without a prototype (by number, `unchecked`): the number of elements.
    for args in [quote!(nr = 1), quote!(unchecked)] {
        let out = expand(
            args,
            quote!(
                pub unsafe fn write(fd: i32, buf: &[u64]) -> Result<usize, Errno>;
            ),
        );
        assert!(out.contains("buf.as_ptr(),buf.len()"), "{out}");
    }
}

#[test]
fn wide_arguments_overflowing_on_32_bit_get_a_cfg_error_there_only() {
    // 6 registers on 64-bit targets, 8 on 32-bit ones.
    let out = expand(
        quote!(nr = 999),
        quote!(
            pub unsafe fn f(a: u64, b: u32, c: u32, d: u32, e: i64, f: u64) -> Result<(), Errno>;
        ),
    );
    let cfg = "#[cfg(target_pointer_width=\"32\")]::core::compile_error!{\"toomanyargumentsfor32-bittargets";
    assert!(out.contains(cfg), "{out}");
    assert!(out.contains("call6_meta"), "{out}");
    let out = expand(
        quote!(nr = 999),
        quote!(
            pub unsafe fn f(a: u64, b: u32, c: u32, e: i64) -> Result<(), Errno>;
        ),
    );
    assert!(!out.contains("compile_error"), "{out}");
}

#[test]
fn per_architecture_numbers_are_cfg_items_with_an_error_for_the_rest() {
    let out = expand(
        quote!(nr(x86_64 = 462, aarch64 = 462)),
        quote!(
            pub unsafe fn mseal(addr: *mut u8, len: usize, flags: u64) -> Result<(), Errno>;
        ),
    );
    assert!(
        out.contains("#[cfg(target_arch=\"x86_64\")]const__LIBSYS_NR:usize=462;"),
        "{out}"
    );
    assert!(out.contains("#[cfg(target_arch=\"arm\")]const__LIBSYS_NR:usize=::core::compile_error!{\"`mseal`hasnosyscallnumberforarm"), "{out}");
    assert!(
        out.contains("#[cfg(not(any(target_arch=\"x86_64\","),
        "{out}"
    );
}

#[test]
fn never_returns_through_the_noreturn_entry_point() {
    let out = expand(
        quote!(),
        quote!(
            pub unsafe fn exit_group(code: i32) -> !;
        ),
    );
    assert!(
        out.contains(
            "call1_noreturn_meta(&__LIBSYS_META,::libsys::__private::Const::<{__LIBSYS_NR}>,::libsys::__private::arg::<i32>(code))"
        ),
        "{out}"
    );
}

#[test]
fn errors_come_with_a_stub_and_no_panic() {
    let out = expand(
        quote!(bogus),
        quote!(
            pub fn close<T>(self, fd: &str, ...) -> Option<u8> {
                1
            }
        ),
    );
    // bogus, body, not unsafe, generics, self, &str, variadic, Option
    assert_eq!(out.matches("compile_error").count(), 8, "{out}");
    assert!(
        out.contains("fnclose<T>(fd:&str)->Option<u8>{::core::panic!"),
        "{out}"
    );

    let d = decl(quote!(
        pub unsafe fn f(a: u32) -> u32;
    ));
    let w = validate(
        &d,
        Vec::new(),
        Options::default(),
        Mode::Attribute,
        Vec::new(),
    );
    assert!(w.is_ok());
}

#[test]
fn a_block_makes_safe_and_unsafe_wrappers() {
    let out = expand::block(
        quote!(),
        quote! {
            unsafe extern "C" {
                /// Docs.
                pub safe fn getpid() -> u32;
                #[syscall(readonly)]
                pub fn write(fd: BorrowedFd<'_>, buf: &[u8]) -> Result<usize, Errno>;
            }
        },
    )
    .to_string()
    .replace(' ', "");
    assert!(
        out.contains("#[doc=r\"Docs.\"]#[inline]pubfngetpid()->u32"),
        "{out}"
    );
    assert!(out.contains("pubunsafefnwrite("), "{out}");
    assert!(out.contains("call3_readonly_meta"), "{out}");
    assert!(!out.contains("#[syscall"), "{out}");
}

/// `#[main]`'s expansion as text, whitespace removed.
fn expand_main(args: TokenStream, item: TokenStream) -> String {
    crate::entry::attribute(args, item)
        .to_string()
        .replace(' ', "")
}

#[test]
fn main_keeps_the_function_and_adds_the_start_glue() {
    let out = expand_main(
        quote!(),
        quote!(
            fn main(args: libsys::Args) -> i32 {
                0
            }
        ),
    );
    assert!(
        out.starts_with("fnmain(args:libsys::Args)->i32{0}"),
        "{out}"
    );
    assert!(out.contains("#[unsafe(no_mangle)]unsafeextern\"C\"fn__libsys_start("));
    assert!(out.contains("::libsys::__private::rt::init(__libsys_sp)"));
    assert!(out.contains("main(__libsys_args)"));
    assert!(out.contains("::libsys::__private::rt::Termination::exit_code(__libsys_ret)"));
    assert!(!out.contains("compile_error"));
}

#[test]
fn main_without_args_or_returning_never() {
    let out = expand_main(
        quote!(crate = my::sys),
        quote!(
            fn run() -> ! {
                loop {}
            }
        ),
    );
    assert!(
        out.contains("my::sys::__private::rt::init(__libsys_sp)"),
        "{out}"
    );
    assert!(out.contains("let_=__libsys_args;run()"), "{out}");
    assert!(!out.contains("exit_code"), "{out}");
    assert!(!out.contains("compile_error"), "{out}");
}

#[test]
fn main_errors_keep_the_function_and_drop_the_glue() {
    let out = expand_main(
        quote!(),
        quote!(
            async fn main(a: u8, b: u8) {}
        ),
    );
    assert!(out.contains("compile_error"), "{out}");
    assert!(out.contains("asyncfnmain(a:u8,b:u8){}"), "{out}");
    assert!(!out.contains("__libsys_start"), "{out}");
}

#[test]
fn lifetime_parameters_are_kept_in_the_signature_and_inferred_inside() {
    let out = expand(
        quote!(),
        quote!(
            pub unsafe fn read<'a, 'b: 'a>(
                fd: BorrowedFd<'a>,
                buf: &'b mut [u8],
            ) -> Result<usize, Errno>;
        ),
    );
    assert!(!out.contains("compile_error"), "{out}");
    assert!(
        out.contains("pubunsafefnread<'a,'b:'a>(fd:BorrowedFd<'a>,buf:&'bmut[u8])"),
        "{out}"
    );
    // In the body and its `const` items, where the fn's lifetimes are not in scope: `'_`.
    assert!(
        out.contains("::libsys::__private::arg::<BorrowedFd<'_>>(fd)"),
        "{out}"
    );
    assert!(!out.contains("WideOf::<BorrowedFd<'a>>"), "{out}");
    // A type or const parameter is still refused.
    for generics in [quote!(<T>), quote!(<'a, T: Arg>), quote!(<const N: usize>)] {
        let out = expand(
            quote!(),
            quote!(pub unsafe fn close #generics(fd: i32) -> Result<(), Errno>;),
        );
        assert!(out.contains("genericparametersarenotsupported"), "{out}");
    }
}

#[test]
fn libc_names_are_no_kernel_call_and_point_at_kernel_calls() {
    for (name, instead) in crate::check::LIBC_NAMES {
        assert!(
            crate::kproto::lookup(name).is_none(),
            "{name} is a kernel call"
        );
        let named: Vec<&str> = instead
            .split('`')
            .skip(1)
            .step_by(2)
            .filter(|w| {
                w.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
            })
            .collect();
        for call in named {
            assert!(
                crate::kproto::lookup(call).is_some(),
                "{name}: `{call}` is no kernel call"
            );
        }
    }
    let out = expand(
        quote!(),
        quote!(
            pub unsafe fn llseek(fd: i32) -> Result<(), Errno>;
        ),
    );
    assert!(out.contains("declare`_llseek`"), "{out}");
    assert!(!out.contains("sys_nr"), "{out}");
}
