//! Lists the system calls a binary built with libsys's `outline` feature makes through libsys:
//! its `libsys_manifest` section, read from the ELF file (any of libsys's architectures, from
//! any host), with each number's name for the binary's architecture.
//!
//! ```sh
//! cargo run --example manifest -- path/to/binary [--sites]
//! ```
//!
//! One line per system call number, `name (number)`, sorted by number; `--sites` adds the
//! address after each stub's instruction (the instruction pointer seccomp reports). The
//! generic stub (numbers known only at run time) is listed as `*generic*`. Facts: the ELF
//! layout from the System V gABI (`elf(5)`); the entry layout from `sys_core::outline`.

use std::collections::BTreeMap;
use std::process::ExitCode;

/// The numbers of one architecture: the `pub const name: usize = N;` lines of sys-core's
/// generated table for it.
fn table(src: &str) -> BTreeMap<u32, Vec<&str>> {
    let mut out: BTreeMap<u32, Vec<&str>> = BTreeMap::new();
    for line in src.lines() {
        let Some(rest) = line.strip_prefix("pub const ") else {
            continue;
        };
        let Some((name, value)) = rest.split_once(": usize = ") else {
            continue;
        };
        if let Ok(n) = value.trim_end_matches(';').parse() {
            out.entry(n).or_default().push(name);
        }
    }
    out
}

/// sys-core's table for an ELF file's machine (and class, for mips).
fn names_for(machine: u16, class64: bool) -> Option<(&'static str, &'static str)> {
    Some(match (machine, class64) {
        (62, true) => ("x86_64", include_str!("../sys-core/src/nr/x86_64.rs")),
        (3, false) => ("x86", include_str!("../sys-core/src/nr/x86.rs")),
        (183, true) => ("aarch64", include_str!("../sys-core/src/nr/aarch64.rs")),
        (40, false) => ("arm", include_str!("../sys-core/src/nr/arm.rs")),
        (243, true) => ("riscv64", include_str!("../sys-core/src/nr/riscv64.rs")),
        (21, true) => ("powerpc64", include_str!("../sys-core/src/nr/powerpc64.rs")),
        (22, true) => ("s390x", include_str!("../sys-core/src/nr/s390x.rs")),
        (258, true) => (
            "loongarch64",
            include_str!("../sys-core/src/nr/loongarch64.rs"),
        ),
        (8, false) => ("mips", include_str!("../sys-core/src/nr/mips.rs")),
        (8, true) => ("mips64", include_str!("../sys-core/src/nr/mips64.rs")),
        _ => return None,
    })
}

/// A bounds-checked reader of the file's bytes in its own byte order.
struct Reader<'a> {
    data: &'a [u8],
    big: bool,
}

impl Reader<'_> {
    fn bytes<const N: usize>(&self, at: u64) -> Option<[u8; N]> {
        let at = usize::try_from(at).ok()?;
        self.data.get(at..at.checked_add(N)?)?.try_into().ok()
    }
    fn u16(&self, at: u64) -> Option<u16> {
        let b = self.bytes(at)?;
        Some(if self.big {
            u16::from_be_bytes(b)
        } else {
            u16::from_le_bytes(b)
        })
    }
    fn u32(&self, at: u64) -> Option<u32> {
        let b = self.bytes(at)?;
        Some(if self.big {
            u32::from_be_bytes(b)
        } else {
            u32::from_le_bytes(b)
        })
    }
    fn u64(&self, at: u64) -> Option<u64> {
        let b = self.bytes(at)?;
        Some(if self.big {
            u64::from_be_bytes(b)
        } else {
            u64::from_le_bytes(b)
        })
    }
    /// The NUL-terminated string at `at` (without the NUL), if it ends inside the file.
    fn cstr(&self, at: u64) -> Option<&[u8]> {
        let rest = self.data.get(usize::try_from(at).ok()?..)?;
        rest.split(|&b| b == 0)
            .next()
            .filter(|s| s.len() < rest.len())
    }
}

/// A section: its address, file offset and size.
struct Section {
    addr: u64,
    offset: u64,
    size: u64,
}

/// What the manifest tool reads of an ELF file.
struct Elf {
    machine: u16,
    class64: bool,
    manifest: Option<Section>,
    stubs: Option<Section>,
}

fn parse(data: &[u8]) -> Result<Elf, &'static str> {
    if data.get(..4) != Some(b"\x7fELF") {
        return Err("not an ELF file");
    }
    let class64 = match data.get(4) {
        Some(1) => false,
        Some(2) => true,
        _ => return Err("unknown ELF class"),
    };
    let big = match data.get(5) {
        Some(1) => false,
        Some(2) => true,
        _ => return Err("unknown ELF byte order"),
    };
    let r = Reader { data, big };
    let bad = "truncated or malformed ELF header";
    let machine = r.u16(18).ok_or(bad)?;
    let (shoff, shentsize, shnum, shstrndx) = if class64 {
        (r.u64(0x28), r.u16(0x3a), r.u16(0x3c), r.u16(0x3e))
    } else {
        (
            r.u32(0x20).map(u64::from),
            r.u16(0x2e),
            r.u16(0x30),
            r.u16(0x32),
        )
    };
    let (shoff, shentsize, shnum, shstrndx) = (
        shoff.ok_or(bad)?,
        u64::from(shentsize.ok_or(bad)?),
        u64::from(shnum.ok_or(bad)?),
        u64::from(shstrndx.ok_or(bad)?),
    );
    let header = |i: u64| shoff.checked_add(i.checked_mul(shentsize)?);
    // (name offset, address, file offset, size) of section `i`.
    let section = |i: u64| -> Option<(u32, Section)> {
        let h = header(i)?;
        let name = r.u32(h)?;
        let (addr, offset, size) = if class64 {
            (r.u64(h + 0x10)?, r.u64(h + 0x18)?, r.u64(h + 0x20)?)
        } else {
            (
                u64::from(r.u32(h + 0x0c)?),
                u64::from(r.u32(h + 0x10)?),
                u64::from(r.u32(h + 0x14)?),
            )
        };
        Some((name, Section { addr, offset, size }))
    };
    let (_, strtab) = section(shstrndx).ok_or("no section-name table")?;
    let name_is =
        |off: u32, want: &[u8]| r.cstr(strtab.offset.saturating_add(u64::from(off))) == Some(want);
    let mut elf = Elf {
        machine,
        class64,
        manifest: None,
        stubs: None,
    };
    for i in 0..shnum {
        let Some((name, s)) = section(i) else { break };
        if name_is(name, b"libsys_manifest") {
            elf.manifest = Some(s);
        } else if name_is(name, b"libsys_stubs") {
            elf.stubs = Some(s);
        }
    }
    Ok(elf)
}

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: manifest BINARY [--sites]");
        return ExitCode::from(2);
    };
    let sites = args.any(|a| a == "--sites");
    let data = match std::fs::read(&path) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("manifest: {path}: {e}");
            return ExitCode::from(2);
        }
    };
    let elf = match parse(&data) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("manifest: {path}: {e}");
            return ExitCode::from(2);
        }
    };
    let Some((arch, src)) = names_for(elf.machine, elf.class64) else {
        eprintln!(
            "manifest: {path}: ELF machine {} is not one of libsys's",
            elf.machine
        );
        return ExitCode::from(2);
    };
    let Some(m) = elf.manifest else {
        eprintln!(
            "manifest: {path}: no libsys_manifest section (built without libsys's `outline` feature?)"
        );
        return ExitCode::from(1);
    };
    let names = table(src);
    let r = Reader {
        data: &data,
        big: data.get(5) == Some(&2),
    };
    // number (None: generic) -> instruction pointers
    let mut calls: BTreeMap<Option<u32>, Vec<u64>> = BTreeMap::new();
    let mut at = 0;
    while at + 8 <= m.size {
        let (Some(nr), Some(rel)) = (r.u32(m.offset + at), r.u32(m.offset + at + 4)) else {
            eprintln!("manifest: {path}: the manifest section is truncated");
            return ExitCode::from(1);
        };
        let ip = (m.addr + at + 4).wrapping_add(rel as i32 as i64 as u64);
        let ip = if elf.class64 { ip } else { ip & 0xffff_ffff };
        at += 8;
        match nr {
            0xffff_fffe => {}
            0xffff_ffff => calls.entry(None).or_default().push(ip),
            n => calls.entry(Some(n)).or_default().push(ip),
        }
    }
    println!(
        "{path}: {arch}, {} system calls through libsys",
        calls.len()
    );
    if let Some(s) = &elf.stubs {
        println!("libsys_stubs: {:#x}..{:#x}", s.addr, s.addr + s.size);
    }
    for (nr, ips) in &calls {
        let name = match nr {
            None => "*generic*".to_string(),
            Some(n) => names
                .get(n)
                .map_or_else(|| "?".to_string(), |v| v.join("/")),
        };
        let nr = nr.map_or_else(|| "any".to_string(), |n| n.to_string());
        if sites {
            let ips: Vec<String> = ips.iter().map(|ip| format!("{ip:#x}")).collect();
            println!("{name} ({nr}) at {}", ips.join(", "));
        } else {
            println!("{name} ({nr})");
        }
    }
    ExitCode::SUCCESS
}
