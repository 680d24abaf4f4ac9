//! The vDSO rule is exactly the calls the vDSO makes: this test reads the running vDSO's code
//! (its `.text` section, from the image sys-vdso finds), finds every system call instruction
//! and the number loaded into `eax` before it, and compares the numbers with
//! `install::vdso_numbers()`. x86_64 and x86 (natively; under qemu-user the vDSO is qemu's).
//!
//! - x86_64: every `syscall` (`0f 05`) with the closest `mov $imm32, %eax` (`b8`) before it.
//! - x86: every `call __kernel_vsyscall` (`e8 rel32`) with the closest `mov $imm32, %eax`
//!   before it (these calls reach the kernel at `__kernel_vsyscall`'s landing pad, where the
//!   vDSO rule applies), and every `int $0x80` (`cd 80`) outside `__kernel_vsyscall` (the
//!   signal trampolines, which the rule leaves out: `VDSO_TRAMPOLINES`).
#![cfg(any(target_arch = "x86_64", target_arch = "x86"))]

use std::collections::BTreeSet;
use sys_core::nr;
use sys_restrict::install;

/// A section of the image: its name and its bytes' range in the image.
struct Section {
    name: String,
    offset: usize,
    size: usize,
}

fn word(b: &[u8], at: usize, len: usize) -> usize {
    let mut v = 0usize;
    for i in (0..len).rev() {
        v = v << 8 | b[at + i] as usize;
    }
    v
}

/// The section headers of an ELF image (32- or 64-bit, little-endian).
fn sections(b: &[u8]) -> Vec<Section> {
    let wide = b[4] == 2;
    let (shoff, shentsize, shnum, shstrndx) = if wide {
        (
            word(b, 0x28, 8),
            word(b, 0x3a, 2),
            word(b, 0x3c, 2),
            word(b, 0x3e, 2),
        )
    } else {
        (
            word(b, 0x20, 4),
            word(b, 0x2e, 2),
            word(b, 0x30, 2),
            word(b, 0x32, 2),
        )
    };
    assert!(
        shoff != 0 && shoff + shnum * shentsize <= b.len(),
        "the vDSO image holds its section headers"
    );
    let raw = |i: usize| {
        let h = shoff + i * shentsize;
        if wide {
            (word(b, h, 4), word(b, h + 0x18, 8), word(b, h + 0x20, 8))
        } else {
            (word(b, h, 4), word(b, h + 0x10, 4), word(b, h + 0x14, 4))
        }
    };
    let (_, stroff, _) = raw(shstrndx);
    (0..shnum)
        .map(|i| {
            let (name, offset, size) = raw(i);
            let s = &b[stroff + name..];
            let end = s.iter().position(|&c| c == 0).unwrap();
            Section {
                name: String::from_utf8_lossy(&s[..end]).into_owned(),
                offset,
                size,
            }
        })
        .collect()
}

/// The whole `[vdso]` mapping that starts at `base` (sys-vdso's image ends with the last
/// segment; the section headers come after it, in the same pages).
fn mapping(base: usize) -> &'static [u8] {
    let maps = std::fs::read_to_string("/proc/self/maps").unwrap();
    let line = maps.lines().find(|l| l.ends_with("[vdso]")).unwrap();
    let (range, _) = line.split_once(' ').unwrap();
    let (a, b) = range.split_once('-').unwrap();
    let (a, b) = (
        usize::from_str_radix(a, 16).unwrap(),
        usize::from_str_radix(b, 16).unwrap(),
    );
    assert_eq!(a, base);
    // SAFETY: the kernel maps the vDSO readable for the life of the process.
    unsafe { std::slice::from_raw_parts(a as *const u8, b - a) }
}

/// The number a `mov $imm32, %eax` loads within the 24 bytes before `at`, the closest first.
fn number_before(code: &[u8], at: usize) -> Option<u32> {
    (at.saturating_sub(24)..at.saturating_sub(4))
        .rev()
        .find(|&i| code[i] == 0xb8)
        .map(|i| u32::from_le_bytes(code[i + 1..i + 5].try_into().unwrap()))
}

fn names(numbers: &BTreeSet<u32>) -> Vec<String> {
    (numbers.iter())
        .map(|&n| format!("{} ({n})", nr::name(n as usize).unwrap_or("?")))
        .collect()
}

/// What the vDSO's code calls: (numbers through the shared entry, numbers of the trampolines).
fn scan() -> (BTreeSet<u32>, BTreeSet<u32>) {
    let vdso = sys_vdso::Vdso::get().expect("this process has a vDSO");
    let image = mapping(vdso.base().as_ptr() as usize);
    let text = sections(image)
        .into_iter()
        .find(|s| s.name == ".text")
        .expect("the vDSO has a .text section");
    let code = &image[text.offset..text.offset + text.size];
    let (mut entry, mut trampolines) = (BTreeSet::new(), BTreeSet::new());
    if cfg!(target_arch = "x86_64") {
        for at in (0..code.len() - 1).filter(|&i| code[i..i + 2] == [0x0f, 0x05]) {
            let n = number_before(code, at)
                .unwrap_or_else(|| panic!("no number loaded before the syscall at {at:#x}"));
            entry.insert(n);
        }
    } else {
        let base = vdso.base().as_ptr() as usize;
        let vsyscall = vdso.lookup("__kernel_vsyscall", None).unwrap().as_ptr() as usize;
        let vsyscall = vsyscall - base - text.offset; // its offset in `code`
        for at in 0..code.len().saturating_sub(5) {
            let to = (at + 5).wrapping_add(word(code, at + 1, 4) as i32 as isize as usize);
            if code[at] == 0xe8 && to == vsyscall {
                let n = number_before(code, at)
                    .unwrap_or_else(|| panic!("no number loaded before the call at {at:#x}"));
                entry.insert(n);
            }
        }
        // __kernel_vsyscall is `push ecx; push edx; push ebp; mov ecx, ebp; sysenter or
        // syscall (patched at boot); int $0x80; …`: its own `int $0x80` makes whatever its
        // caller loaded; the other `int $0x80`s are trampolines with their number in front.
        for at in (0..code.len() - 1).filter(|&i| code[i..i + 2] == [0xcd, 0x80]) {
            if at.wrapping_sub(vsyscall) < 16 {
                continue;
            }
            let n = number_before(code, at)
                .unwrap_or_else(|| panic!("no number loaded before the int $0x80 at {at:#x}"));
            trampolines.insert(n);
        }
    }
    (entry, trampolines)
}

#[test]
fn vdso_numbers_are_exactly_the_calls_the_running_vdso_makes() {
    let (entry, trampolines) = scan();
    assert!(
        entry.len() >= 3,
        "found the clock fallbacks: {:?}",
        names(&entry)
    );
    let listed: BTreeSet<u32> = install::vdso_numbers().into_iter().collect();
    // getrandom is in the vDSO from Linux 6.11 on: an older vDSO need not make it.
    let vdso = sys_vdso::Vdso::get().unwrap();
    let mut expect = listed.clone();
    if vdso.lookup("__vdso_getrandom", None).is_none() {
        expect.remove(&(nr::getrandom as u32));
    }
    assert_eq!(
        names(&entry),
        names(&expect),
        "the calls the vDSO's code makes vs install::vdso_numbers()"
    );
    assert!(entry.is_subset(&listed));
    let want: BTreeSet<u32> = (install::VDSO_TRAMPOLINES.iter())
        .map(|n| nr::by_name(n).unwrap() as u32)
        .collect();
    assert_eq!(names(&trampolines), names(&want), "the signal trampolines");
}

#[test]
fn the_x86_64_vdso_has_no_rt_sigreturn() {
    let (entry, trampolines) = scan();
    let sigreturn = nr::by_name("rt_sigreturn").unwrap() as u32;
    assert!(!entry.contains(&sigreturn) || cfg!(target_arch = "x86"));
    assert!(!install::vdso_numbers().contains(&sigreturn));
    if cfg!(target_arch = "x86_64") {
        assert!(trampolines.is_empty());
    }
}

#[test]
fn the_trampoline_sites_are_found_on_x86() {
    let sites = install::vdso_trampolines();
    if cfg!(target_arch = "x86_64") {
        assert!(sites.is_empty());
        return;
    }
    let vdso = sys_vdso::Vdso::get().unwrap();
    let at = |s| vdso.lookup(s, None).unwrap().as_ptr() as u64;
    let mut found: Vec<(u32, u64)> = sites.iter().map(|s| (s.nr, s.ip)).collect();
    found.sort_unstable();
    // `pop %eax; mov $119, %eax; int $0x80` and `mov $173, %eax; int $0x80`.
    let mut want = vec![
        (
            nr::by_name("sigreturn").unwrap() as u32,
            at("__kernel_sigreturn") + 8,
        ),
        (nr::rt_sigreturn as u32, at("__kernel_rt_sigreturn") + 7),
    ];
    want.sort_unstable();
    assert_eq!(found, want);
}
