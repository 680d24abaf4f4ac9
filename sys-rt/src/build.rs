//! Link arguments for a `#![no_std]` `#![no_main]` binary that starts at sys-rt's entry point,
//! for its build script.
//!
//! Facts: rustc links Linux executables through a C compiler driver (`cc`, or the configured
//! `*-gcc`) that adds the C runtime's start files and asks for a PIE; a program without libc
//! needs `-nostartfiles -nostdlib -static -no-pie` and its own entry
//! (/work/shared/reference/cross-arch.md, "No-libc static binaries"; gcc(1) "Link Options").
//! When the linker is `ld`/`lld` itself (`rust-lld` for targets without a cross gcc), the same
//! is `-static --no-pie --entry=…` (ld(1)). A later `-no-pie`/`--no-pie` overrides rustc's
//! `-pie`. The size options (`--build-id=none`, `-z norelro`, `--no-eh-frame-hdr`, `-z
//! noseparate-code`) are in ld(1) for GNU ld 2.40 and `ld.lld --help` for lld 22; lld alone has
//! `--no-rosegment`. A build script can pass link arguments (`cargo:rustc-link-arg-bins`) but not
//! choose the linker, so this module only looks at the linker the user configured:
//! `RUSTC_LINKER` (cargo's resolved `target.<triple>.linker`), or `-C linker=`/`-C
//! linker-flavor=`/`-C linker-features=`/`-C link-arg=-fuse-ld=…` in `CARGO_ENCODED_RUSTFLAGS`;
//! none means rustc's default driver, `cc`, which on `x86_64-unknown-linux-gnu` runs rustc's
//! bundled lld (rustc 1.90 and later). Nor can a build script pass compiler flags: leaving out
//! unwind tables (`-C force-unwind-tables=no`, which the examples' `.cargo/config.toml` sets) is
//! up to the user.
//!
//! ```text
//! // build.rs of a no-libc binary package, with
//! // [build-dependencies] libsys = { version = "…", features = ["build"] }
//! fn main() {
//!     libsys::sys_rt::build::link_nolibc();
//! }
//! ```

use std::env;
use std::path::Path;
use std::string::{String, ToString};
use std::vec::Vec;
use std::{format, println, vec};

/// How the linker rustc runs takes its arguments.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flavor {
    /// A C compiler driver (`cc`, `gcc`, `clang`, `aarch64-linux-gnu-gcc`): linker options go
    /// through `-Wl,`.
    Driver,
    /// The linker itself (`ld`, `ld.lld`, `rust-lld`, `aarch64-linux-gnu-ld`).
    Linker,
}

impl Flavor {
    /// The flavor of a linker given by path or name, from its file name.
    pub fn of_linker(linker: &str) -> Flavor {
        let name = Path::new(linker)
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or(linker);
        let name = name.strip_suffix(".exe").unwrap_or(name);
        let is_ld = name == "ld"
            || name.ends_with("-ld")
            || name.starts_with("ld.")
            || name.contains("-ld.")
            || name == "lld"
            || name.ends_with("-lld");
        if is_ld {
            Flavor::Linker
        } else {
            Flavor::Driver
        }
    }

    /// Whether a linker given by path or name is lld (`rust-lld`, `ld.lld`, `lld`).
    fn names_lld(linker: &str) -> bool {
        let name = Path::new(linker)
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or(linker);
        name.contains("lld")
    }

    /// The flavor rustc links with, from what `-C linker-flavor=` says (`gcc`, `gnu-cc`,
    /// `gnu-lld-cc` are drivers; `ld`, `ld.lld`, `gnu`, `gnu-lld` linkers).
    fn of_flavor_flag(flavor: &str) -> Option<Flavor> {
        match flavor {
            "gcc" | "gnu-cc" | "gnu-lld-cc" => Some(Flavor::Driver),
            "ld" | "ld.lld" | "gnu" | "gnu-lld" => Some(Flavor::Linker),
            _ => None,
        }
    }
}

/// The linker rustc runs, as far as the link arguments depend on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Linker {
    /// A C compiler driver or the linker itself.
    pub flavor: Flavor,
    /// The program that links is LLVM's lld (`ld.lld`, `rust-lld`, or lld behind a driver's
    /// `-fuse-ld=lld`), which takes `--no-rosegment`; otherwise GNU ld options only.
    pub lld: bool,
}

/// The arguments that make a static, non-PIE executable without the C runtime whose entry is
/// [`crate::ENTRY`], as small as the linker can make it, for `linker`.
///
/// Beyond the C runtime's start files, PIE and the entry, they leave out what nothing in such a
/// program reads: the build-id note (`--build-id=none`), the `PT_GNU_RELRO` segment (`-z
/// norelro`: only a C runtime's start-up code applies it in a static executable) and
/// `.eh_frame_hdr` (`--no-eh-frame-hdr`: a lookup table for an unwinder, and there is none);
/// and they put the read-only data in the code's segment (`-z noseparate-code` for GNU ld,
/// `--no-rosegment` for lld), one `PT_LOAD` instead of two or three.
pub fn link_args(linker: Linker) -> Vec<String> {
    let entry = format!("--entry={}", crate::ENTRY);
    // Linker options, one or two words each (`-z norelro`).
    let mut options: Vec<Vec<&str>> = vec![
        vec![&entry],
        vec!["--build-id=none"],
        vec!["-z", "norelro"],
        vec!["--no-eh-frame-hdr"],
        vec!["-z", "noseparate-code"],
    ];
    if linker.lld {
        options.push(vec!["--no-rosegment"]);
    }
    match linker.flavor {
        // The driver's own options, then each linker option as one `-Wl,` word (`-Wl,-z,norelro`).
        Flavor::Driver => ["-nostartfiles", "-nostdlib", "-static", "-no-pie"]
            .iter()
            .map(|a| a.to_string())
            .chain(options.iter().map(|o| format!("-Wl,{}", o.join(","))))
            .collect(),
        Flavor::Linker => ["-static", "--no-pie"]
            .iter()
            .chain(options.iter().flatten())
            .map(|a| a.to_string())
            .collect(),
    }
}

/// The linker for the build script's target, from the environment cargo gives build scripts
/// (see the module docs): the flavor, and whether it is lld.
///
/// lld when the linker is named so (`rust-lld`, `ld.lld`), when `-C linker-flavor=` says so
/// (`gnu-lld-cc`, `gnu-lld`, `ld.lld`), when a link argument asks the driver for it
/// (`-fuse-ld=lld`), when `-C linker-features=+lld` asks rustc for it, and for rustc's own
/// choice on `x86_64-unknown-linux-gnu` (rustc 1.90 and later link that target with its bundled
/// lld behind `cc` unless a linker is configured or `-C linker-features=-lld` is given).
pub fn target_linker() -> Linker {
    let flags = env::var("CARGO_ENCODED_RUSTFLAGS").unwrap_or_default();
    let target = env::var("TARGET").unwrap_or_default();
    let rustc_linker = env::var("RUSTC_LINKER").ok();
    linker_from(&flags, &target, rustc_linker.as_deref())
}

/// [`target_linker`] from its inputs: the `\x1f`-separated rustflags, the target triple and
/// `RUSTC_LINKER`.
fn linker_from(flags: &str, target: &str, rustc_linker: Option<&str>) -> Linker {
    let mut linker = None;
    let mut flavor_flag = None;
    let mut fuse_ld = None; // a driver's -fuse-ld=… in a link argument: whether it names lld
    let mut lld_feature = None; // -C linker-features=+lld / -lld
    let mut words = flags.split('\x1f').peekable();
    while let Some(w) = words.next() {
        let opt = match w.strip_prefix("-C").or_else(|| w.strip_prefix("-Z")) {
            Some("") => words.next().unwrap_or(""),
            Some(rest) => rest,
            None => continue,
        };
        let (key, value) = opt.split_once('=').unwrap_or((opt, ""));
        match key {
            "linker" => linker = Some(value),
            "linker-flavor" => flavor_flag = Some(value),
            "linker-features" => {
                for feature in value.split(',') {
                    match feature {
                        "+lld" => lld_feature = Some(true),
                        "-lld" => lld_feature = Some(false),
                        _ => {}
                    }
                }
            }
            "link-arg" | "link-args" => {
                for arg in value.split([' ', ',']) {
                    if let Some(ld) = arg.strip_prefix("-fuse-ld=") {
                        fuse_ld = Some(ld.contains("lld"));
                    }
                }
            }
            _ => {}
        }
    }
    let flavor_flag = flavor_flag.filter(|f| Flavor::of_flavor_flag(f).is_some());
    let configured = linker.or(rustc_linker);
    let flavor = match (flavor_flag, configured) {
        (Some(f), _) => Flavor::of_flavor_flag(f).unwrap_or(Flavor::Driver),
        (None, Some(l)) => Flavor::of_linker(l),
        (None, None) => Flavor::Driver,
    };
    let lld = match flavor {
        Flavor::Linker => {
            flavor_flag.is_some_and(|f| f.contains("lld"))
                || configured.is_some_and(Flavor::names_lld)
        }
        // A driver runs the linker `-fuse-ld=` names, else the one rustc asks for: lld where
        // the flavor or the linker features say so, and on x86_64 gnu when nothing is configured.
        Flavor::Driver => fuse_ld
            .or(lld_feature)
            .unwrap_or(match (flavor_flag, configured) {
                (Some(f), _) => f.contains("lld"),
                (None, Some(_)) => false,
                (None, None) => target == "x86_64-unknown-linux-gnu",
            }),
    };
    Linker { flavor, lld }
}

/// For a build script: prints `cargo:rustc-link-arg-bins=…` for each of [`link_args`] for the
/// target's linker, and asks cargo to rerun the script when the linker settings change. On a
/// target that is not Linux it prints a warning and nothing else (sys-rt does not build there).
pub fn link_nolibc() {
    let target = env::var("TARGET").unwrap_or_default();
    let os = env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    println!(
        "cargo:rerun-if-env-changed=CARGO_TARGET_{}_LINKER",
        target.to_uppercase().replace(['-', '.'], "_")
    );
    println!("cargo:rerun-if-env-changed=RUSTC_LINKER");
    if os != "linux" && os != "android" {
        println!("cargo:warning=sys-rt: no-libc link arguments are for Linux, not {os}");
        return;
    }
    for arg in link_args(target_linker()) {
        println!("cargo:rustc-link-arg-bins={arg}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn linker_names_give_their_flavor() {
        for l in [
            "cc",
            "gcc",
            "/usr/bin/aarch64-linux-gnu-gcc",
            "clang",
            "musl-gcc",
        ] {
            assert_eq!(Flavor::of_linker(l), Flavor::Driver, "{l}");
        }
        for l in [
            "ld",
            "rust-lld",
            "ld.lld",
            "/usr/bin/ld.bfd",
            "mips-linux-gnu-ld",
            "lld",
        ] {
            assert_eq!(Flavor::of_linker(l), Flavor::Linker, "{l}");
        }
    }

    #[test]
    fn arguments_per_linker() {
        let ld_common = [
            "--build-id=none",
            "-z",
            "norelro",
            "--no-eh-frame-hdr",
            "-z",
            "noseparate-code",
        ];
        assert_eq!(
            link_args(Linker {
                flavor: Flavor::Driver,
                lld: false
            }),
            [
                "-nostartfiles",
                "-nostdlib",
                "-static",
                "-no-pie",
                "-Wl,--entry=__libsys_entry",
                "-Wl,--build-id=none",
                "-Wl,-z,norelro",
                "-Wl,--no-eh-frame-hdr",
                "-Wl,-z,noseparate-code",
            ]
        );
        assert_eq!(
            link_args(Linker {
                flavor: Flavor::Driver,
                lld: true
            })
            .last()
            .map(String::as_str),
            Some("-Wl,--no-rosegment")
        );
        let mut want = vec!["-static", "--no-pie", "--entry=__libsys_entry"];
        want.extend(ld_common);
        assert_eq!(
            link_args(Linker {
                flavor: Flavor::Linker,
                lld: false
            }),
            want
        );
        want.push("--no-rosegment");
        assert_eq!(
            link_args(Linker {
                flavor: Flavor::Linker,
                lld: true
            }),
            want
        );
    }

    /// `flags` as cargo encodes them: separated by 0x1f.
    fn linker(flags: &[&str], target: &str, rustc_linker: Option<&str>) -> Linker {
        linker_from(&flags.join("\x1f"), target, rustc_linker)
    }

    const X86_64: &str = "x86_64-unknown-linux-gnu";
    const DRIVER: Linker = Linker {
        flavor: Flavor::Driver,
        lld: false,
    };
    const DRIVER_LLD: Linker = Linker {
        flavor: Flavor::Driver,
        lld: true,
    };
    const LLD: Linker = Linker {
        flavor: Flavor::Linker,
        lld: true,
    };

    #[test]
    fn rustc_default_is_lld_on_x86_64_gnu_only() {
        assert_eq!(linker(&[], X86_64, None), DRIVER_LLD);
        assert_eq!(linker(&[], "x86_64-unknown-linux-musl", None), DRIVER);
        assert_eq!(linker(&[], "aarch64-unknown-linux-gnu", None), DRIVER);
    }

    #[test]
    fn a_configured_driver_runs_its_own_linker() {
        assert_eq!(linker(&[], X86_64, Some("gcc")), DRIVER);
        assert_eq!(linker(&["-C", "linker=cc"], X86_64, None), DRIVER);
        assert_eq!(
            linker(
                &[],
                "aarch64-unknown-linux-gnu",
                Some("aarch64-linux-gnu-gcc")
            ),
            DRIVER
        );
    }

    #[test]
    fn flags_that_choose_lld_or_not() {
        assert_eq!(
            linker(&["-C", "linker-features=-lld"], X86_64, None),
            DRIVER
        );
        assert_eq!(linker(&["-Clinker-features=-lld"], X86_64, None), DRIVER);
        assert_eq!(
            linker(
                &["-Clink-arg=-fuse-ld=lld"],
                "riscv64gc-unknown-linux-gnu",
                None
            ),
            DRIVER_LLD
        );
        assert_eq!(
            linker(&["-C", "link-arg=-fuse-ld=bfd"], X86_64, None),
            DRIVER
        );
        assert_eq!(
            linker(
                &["-C", "linker-flavor=gnu-lld-cc"],
                "s390x-unknown-linux-gnu",
                None
            ),
            DRIVER_LLD
        );
        assert_eq!(linker(&["-C", "linker-flavor=gcc"], X86_64, None), DRIVER);
    }

    #[test]
    fn a_linker_named_lld_is_lld() {
        assert_eq!(
            linker(&[], "loongarch64-unknown-linux-gnu", Some("rust-lld")),
            LLD
        );
        assert_eq!(linker(&["-C", "linker=ld.lld"], X86_64, None), LLD);
        assert_eq!(
            linker(&["-C", "linker=/usr/bin/ld.bfd"], X86_64, None),
            Linker {
                flavor: Flavor::Linker,
                lld: false
            }
        );
    }
}
