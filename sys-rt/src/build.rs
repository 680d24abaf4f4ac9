//! Link arguments for a `#![no_std]` `#![no_main]` binary that starts at sys-rt's entry point,
//! for its build script.
//!
//! Facts: rustc links Linux executables through a C compiler driver (`cc`, or the configured
//! `*-gcc`) that adds the C runtime's start files and asks for a PIE; a program without libc
//! needs `-nostartfiles -nostdlib -static -no-pie` and its own entry
//! (/work/shared/reference/cross-arch.md, "No-libc static binaries"; gcc(1) "Link Options").
//! When the linker is `ld`/`lld` itself (`rust-lld` for targets without a cross gcc), the same
//! is `-static --no-pie --entry=…` (ld(1)). A later `-no-pie`/`--no-pie` overrides rustc's
//! `-pie`. A build script can pass link arguments (`cargo:rustc-link-arg-bins`) but not choose
//! the linker, so this module only looks at the linker the user configured: `RUSTC_LINKER`
//! (cargo's resolved `target.<triple>.linker`), or `-C linker=`/`-C linker-flavor=` in
//! `CARGO_ENCODED_RUSTFLAGS`; none means rustc's default driver, `cc`.
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
use std::{format, println};

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

/// The arguments that make a static, non-PIE executable without the C runtime whose entry is
/// [`crate::ENTRY`], for a linker of `flavor`.
pub fn link_args(flavor: Flavor) -> Vec<String> {
    let entry = crate::ENTRY;
    let args: &[&str] = match flavor {
        Flavor::Driver => &["-nostartfiles", "-nostdlib", "-static", "-no-pie"],
        Flavor::Linker => &["-static", "--no-pie"],
    };
    let mut v: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    v.push(match flavor {
        Flavor::Driver => format!("-Wl,--entry={entry}"),
        Flavor::Linker => format!("--entry={entry}"),
    });
    v
}

/// The linker flavor for the build script's target, from the environment cargo gives build
/// scripts (see the module docs).
pub fn target_flavor() -> Flavor {
    let flags = env::var("CARGO_ENCODED_RUSTFLAGS").unwrap_or_default();
    let mut linker = None;
    let mut flavor = None;
    let mut words = flags.split('\x1f').peekable();
    while let Some(w) = words.next() {
        let codegen = match w.strip_prefix("-C") {
            Some("") => words.next().unwrap_or(""),
            Some(rest) => rest,
            None => continue,
        };
        if let Some(l) = codegen.strip_prefix("linker=") {
            linker = Some(l.to_string());
        } else if let Some(f) = codegen.strip_prefix("linker-flavor=") {
            flavor = Flavor::of_flavor_flag(f);
        }
    }
    if let Some(f) = flavor {
        return f;
    }
    match linker.or_else(|| env::var("RUSTC_LINKER").ok()) {
        Some(l) => Flavor::of_linker(&l),
        None => Flavor::Driver,
    }
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
    for arg in link_args(target_flavor()) {
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
    fn arguments_per_flavor() {
        assert_eq!(
            link_args(Flavor::Driver),
            [
                "-nostartfiles",
                "-nostdlib",
                "-static",
                "-no-pie",
                "-Wl,--entry=__libsys_entry"
            ]
        );
        assert_eq!(
            link_args(Flavor::Linker),
            ["-static", "--no-pie", "--entry=__libsys_entry"]
        );
    }
}
