//! Out-of-line stubs (feature `outline`): every system call libsys makes executes its
//! instruction in the `libsys_stubs` section, number N only in stub N, and the manifest lists
//! each stub with the address after its instruction. Run with
//! `cargo test -p libsys --features outline --test outline` (tools/cross-test.sh does, on
//! every architecture); without the feature this file is empty.
#![cfg(feature = "outline")]

mod checks;

use libsys::outline::{self, Site};
use libsys::raw::{syscall, syscall_readonly};
use libsys::{Errno, nr, syscall as declare};

/// The bytes of the architecture's system call instruction, as the stubs encode it: the
/// instruction ends at a manifest entry's `ip`.
const INSN: &[u8] = {
    #[cfg(target_arch = "x86_64")]
    let insn: &[u8] = &[0x0f, 0x05]; // syscall
    #[cfg(target_arch = "x86")]
    let insn: &[u8] = &[0xcd, 0x80]; // int 0x80
    #[cfg(target_arch = "aarch64")]
    let insn: &[u8] = &0xd400_0001u32.to_le_bytes(); // svc #0
    #[cfg(all(target_arch = "arm", target_feature = "thumb-mode"))]
    let insn: &[u8] = &0xdf00u16.to_le_bytes(); // svc #0 (T1)
    #[cfg(all(target_arch = "arm", not(target_feature = "thumb-mode")))]
    let insn: &[u8] = &0xef00_0000u32.to_le_bytes(); // svc #0 (A1, always)
    #[cfg(target_arch = "riscv64")]
    let insn: &[u8] = &0x0000_0073u32.to_le_bytes(); // ecall
    #[cfg(target_arch = "powerpc64")]
    let insn: &[u8] = &0x4400_0002u32.to_le_bytes(); // sc (little-endian)
    #[cfg(target_arch = "s390x")]
    let insn: &[u8] = &[0x0a, 0x00]; // svc 0
    #[cfg(target_arch = "loongarch64")]
    let insn: &[u8] = &0x002b_0000u32.to_le_bytes(); // syscall 0
    #[cfg(any(target_arch = "mips", target_arch = "mips64"))]
    let insn: &[u8] = &0x0000_000cu32.to_le_bytes(); // syscall
    insn
};

#[declare(readonly)]
unsafe fn getppid() -> u32;

#[declare]
unsafe fn getcwd(buf: &mut [u8]) -> Result<usize, Errno>;

fn sites() -> Vec<Site> {
    outline::manifest().collect()
}

#[test]
fn every_site_is_a_syscall_instruction_inside_the_stubs_section() {
    // SAFETY: getppid writes no memory.
    let _ = unsafe { getppid() };
    let stubs = outline::stubs();
    assert!(stubs.start < stubs.end, "empty stubs section {stubs:x?}");
    let sites = sites();
    assert!(sites.len() >= 3, "{sites:x?}");
    for s in &sites {
        assert!(
            s.ip > stubs.start && s.ip <= stubs.end,
            "{s:x?} outside {stubs:x?}"
        );
        // SAFETY: the instruction before `ip` lies in the (mapped, executable and readable)
        // stubs section, checked just above.
        let code = unsafe { std::slice::from_raw_parts((s.ip - INSN.len()) as *const u8, INSN.len()) };
        assert_eq!(code, INSN, "the instruction before {s:x?}");
    }
}

#[test]
fn a_constant_number_has_a_stub_of_its_own() {
    // SAFETY: getppid writes no memory; `buf` is valid for writes of its length.
    let (ppid, cwd) = unsafe {
        let mut buf = [0u8; 4096];
        (
            syscall_readonly!(nr::getppid).unwrap(),
            getcwd(&mut buf).map(|n| buf[..n.saturating_sub(1)].to_vec()),
        )
    };
    assert_eq!(ppid as u32, std::os::unix::process::parent_id());
    assert_eq!(
        cwd.unwrap(),
        std::env::current_dir().unwrap().into_os_string().into_encoded_bytes()
    );
    let sites = sites();
    for n in [nr::getppid, nr::getcwd] {
        assert!(
            sites.iter().any(|s| s.nr == Some(n)),
            "no stub for {n}: {sites:x?}"
        );
    }
    // Pinned: no two numbers share an instruction, and no numbered stub is the generic one.
    for a in &sites {
        for b in &sites {
            if a.ip == b.ip {
                assert_eq!(a.nr, b.nr, "{a:x?} and {b:x?} share an instruction");
            }
        }
    }
}

#[test]
fn a_number_known_at_run_time_goes_through_the_generic_stub() {
    let n = std::hint::black_box(nr::getpid);
    // SAFETY: getpid writes no memory.
    let pid = unsafe { syscall_readonly!(n) }.unwrap();
    assert_eq!(pid as u32, std::process::id());
    assert!(sites().iter().any(|s| s.nr.is_none()), "no generic stub");
    // A literal is a constant too.
    // SAFETY: as above.
    let lit = unsafe { syscall_readonly!(nr::getpid) }.unwrap();
    assert_eq!(lit, pid);
}

#[test]
fn errors_and_wide_arguments_pass_through_the_stubs() {
    // SAFETY: closing a descriptor that does not exist touches nothing.
    assert_eq!(unsafe { syscall!(nr::close, -1) }, Err(Errno::EBADF));
    let mut failed = Vec::new();
    for (name, check) in checks::ALL {
        if let Err(msg) = check() {
            failed.push(format!("{name}: {msg}"));
        }
    }
    assert!(failed.is_empty(), "failed checks:\n{}", failed.join("\n"));
}

#[test]
fn the_vdso_fallbacks_and_auxv_calls_are_in_the_manifest() {
    // The system-call forms of sys-vdso are its fallbacks; each is a stub of its own.
    let _ = libsys::sys_vdso::syscall::clock_gettime(libsys::sys_vdso::ClockId::MONOTONIC);
    let sites = sites();
    #[cfg(target_pointer_width = "64")]
    let gettime = nr::clock_gettime;
    #[cfg(target_pointer_width = "32")]
    let gettime = nr::clock_gettime64;
    assert!(sites.iter().any(|s| s.nr == Some(gettime)), "{sites:x?}");
}
