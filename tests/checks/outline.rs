//! Checks of the `outline` feature (out-of-line stubs and their manifest), shared by the std
//! tests and the no-libc harness: every manifest entry ends a system call instruction inside
//! the `libsys_stubs` section, constant numbers have stubs of their own, and calls made
//! through the stubs (a constant number, a number known at run time, a declared wrapper)
//! return what the kernel says.

use libsys::outline::{self, Site};
use libsys::raw::syscall_readonly;
use libsys::{Errno, nr};

/// The encodings of the architecture's system call instruction, as the stubs encode it; one
/// of them ends at a manifest entry's `ip`. arm has two: stable rustc cannot tell a Thumb
/// build from an A32 one with `cfg` (see sys-core's `arch/arm.rs`).
const INSNS: &[&[u8]] = {
    #[cfg(target_arch = "x86_64")]
    let insns: &[&[u8]] = &[&[0x0f, 0x05]]; // syscall
    #[cfg(target_arch = "x86")]
    let insns: &[&[u8]] = &[&[0xcd, 0x80]]; // int 0x80
    #[cfg(target_arch = "aarch64")]
    let insns: &[&[u8]] = &[&0xd400_0001u32.to_le_bytes()]; // svc #0
    #[cfg(target_arch = "arm")]
    let insns: &[&[u8]] = &[&0xdf00u16.to_le_bytes(), &0xef00_0000u32.to_le_bytes()]; // svc #0: T1, A1
    #[cfg(target_arch = "riscv64")]
    let insns: &[&[u8]] = &[&0x0000_0073u32.to_le_bytes()]; // ecall
    #[cfg(target_arch = "powerpc64")]
    let insns: &[&[u8]] = &[&0x4400_0002u32.to_le_bytes()]; // sc (little-endian)
    #[cfg(target_arch = "s390x")]
    let insns: &[&[u8]] = &[&[0x0a, 0x00]]; // svc 0
    #[cfg(target_arch = "loongarch64")]
    let insns: &[&[u8]] = &[&0x002b_0000u32.to_le_bytes()]; // syscall 0
    #[cfg(any(target_arch = "mips", target_arch = "mips64"))]
    let insns: &[&[u8]] = &[&0x0000_000cu32.to_le_bytes()]; // syscall
    insns
};

/// Whether a system call instruction ends at `ip` (inside the stubs section, so the bytes
/// before it are mapped).
fn ends_a_syscall_instruction(ip: usize, stubs: &core::ops::Range<usize>) -> bool {
    INSNS.iter().any(|insn| {
        let Some(start) = ip.checked_sub(insn.len()).filter(|s| *s >= stubs.start) else {
            return false;
        };
        // SAFETY: `start..ip` lies in the stubs section, which is mapped readable and
        // executable.
        let code = unsafe { core::slice::from_raw_parts(start as *const u8, insn.len()) };
        code == *insn
    })
}

#[libsys::syscall(readonly)]
unsafe fn getppid() -> u32;

fn has(n: Option<usize>) -> bool {
    outline::manifest().any(|s| s.nr == n)
}

/// Every entry of the manifest is the address after a system call instruction in the stubs.
pub fn every_site_ends_a_syscall_instruction_in_the_stubs() -> Result<(), &'static str> {
    let stubs = outline::stubs();
    if stubs.start >= stubs.end {
        return Err("the libsys_stubs section is empty");
    }
    let mut count = 0;
    for Site { ip, .. } in outline::manifest() {
        count += 1;
        if ip <= stubs.start || ip > stubs.end {
            return Err("a manifest entry lies outside the stubs section");
        }
        if !ends_a_syscall_instruction(ip, &stubs) {
            return Err("a manifest entry does not follow a system call instruction");
        }
    }
    if count < 3 {
        return Err("fewer than three stubs in the manifest");
    }
    Ok(())
}

/// Constant numbers have their own stub: no instruction is shared by two numbers, and the
/// numbers used here are listed.
pub fn constant_numbers_are_pinned_to_their_own_stub() -> Result<(), &'static str> {
    // SAFETY: getppid writes no memory.
    let declared = unsafe { getppid() };
    // SAFETY: as above.
    let raw = unsafe { syscall_readonly!(nr::getppid) }.map_err(|_| "getppid failed")?;
    if declared as usize != raw || raw == 0 {
        return Err("the declared and raw getppid disagree");
    }
    if !has(Some(nr::getppid)) || !has(Some(nr::close)) {
        return Err("getppid or close has no stub in the manifest");
    }
    for a in outline::manifest() {
        if outline::manifest().any(|b| a.ip == b.ip && a.nr != b.nr) {
            return Err("two numbers share one stub");
        }
    }
    // SAFETY: closing a descriptor that does not exist touches nothing.
    match unsafe { syscall_readonly!(nr::close, -1) } {
        Err(Errno::EBADF) => Ok(()),
        _ => Err("close(-1) through its stub is not EBADF"),
    }
}

/// A number known only at run time goes through the generic stub, with the same result.
pub fn run_time_numbers_use_the_generic_stub() -> Result<(), &'static str> {
    let n = core::hint::black_box(nr::getpid);
    // SAFETY: getpid writes no memory.
    let dynamic = unsafe { syscall_readonly!(n) };
    // SAFETY: as above.
    let constant = unsafe { syscall_readonly!(nr::getpid) };
    if dynamic != constant || dynamic.is_err() {
        return Err("getpid through the generic stub differs");
    }
    if !has(None) {
        return Err("no generic stub in the manifest");
    }
    Ok(())
}
