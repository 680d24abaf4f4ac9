//! Prints the process's auxiliary vector the way glibc's `LD_SHOW_AUXV=1` does
//! (`elf/dl-sysdep.c`, `_dl_show_auxv`: `AT_NAME:` padded to 22 columns, then the value in
//! decimal, hexadecimal or as a string), followed by `#` lines on the typed getters and on
//! what each other source says. `tools/auxv-check.sh` compares the output with glibc's own
//! `LD_SHOW_AUXV=1` in the same process, natively, under valgrind and with `/proc` hidden.
//!
//! ```sh
//! cargo run --example auxv
//! LD_SHOW_AUXV=1 cargo run --example auxv     # glibc's listing first, then ours
//! ```

use libsys::sys_auxv::{self, Auxv, Format, Key, source};

fn main() {
    let name = sys_auxv::source().map_or("none", |s| s.name());
    println!("# sys-auxv: source {name}");
    for (key, value) in sys_auxv::iter() {
        println!("{}", line(key, value));
    }

    let ours = sys_auxv::snapshot();
    println!(
        "# typed: page_size {:?}, clock_ticks {:?}, secure {}, phent {:?}, phnum {:?}",
        sys_auxv::page_size(),
        sys_auxv::clock_ticks(),
        sys_auxv::is_secure(),
        sys_auxv::phent(),
        sys_auxv::phnum()
    );
    println!(
        "# typed: sysinfo_ehdr {:?}, random {}, execfn {:?}, platform {:?}",
        sys_auxv::sysinfo_ehdr(),
        sys_auxv::random_bytes().map_or("-".into(), hex),
        sys_auxv::execfn(),
        sys_auxv::platform()
    );
    println!(
        "# /proc/self/auxv: {}",
        compare(&ours, source::procfs::read())
    );
    println!(
        "# prctl(PR_GET_AUXV): {}",
        compare(&ours, source::prctl::read())
    );
    if let Some((argc, _)) = sys_auxv::args() {
        println!("# args: argc {argc} (captured at start-up)");
    }
}

/// One line in `LD_SHOW_AUXV` style.
fn line(key: Key, value: usize) -> String {
    let Some(name) = key.name() else {
        return format!("AT_??? ({:#x}): {value:#x}", key.raw());
    };
    let shown = match (key, key.format()) {
        // glibc's x86 `_dl_procinfo` prints AT_HWCAP as bare hexadecimal.
        (Key::HWCAP, _) => format!("{value:x}"),
        (_, Format::Dec) => value.to_string(),
        (_, Format::Hex) => format!("{value:#x}"),
        (_, Format::Str) => {
            let s = match key {
                Key::EXECFN => sys_auxv::execfn(),
                Key::PLATFORM => sys_auxv::platform(),
                Key::BASE_PLATFORM => sys_auxv::base_platform(),
                _ => None,
            };
            s.map_or_else(
                || format!("{value:#x}"),
                |s| s.to_string_lossy().into_owned(),
            )
        }
    };
    format!("{:<22}{shown}", format!("{name}:"))
}

/// The 16 bytes in hexadecimal.
fn hex(bytes: &[u8; 16]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// What another source says, next to the process's vector.
fn compare(ours: &Auxv, other: Result<Auxv, sys_auxv::Error>) -> String {
    match other {
        Err(e) => format!("unavailable ({e})"),
        Ok(v) if v == *ours => format!("same {} entries", v.len()),
        Ok(v) => {
            let differ: Vec<String> = Key::ALL
                .iter()
                .filter(|&&k| v.get(k) != ours.get(k))
                .map(|k| k.to_string())
                .collect();
            format!("differs ({} entries; {})", v.len(), differ.join(" "))
        }
    }
}
