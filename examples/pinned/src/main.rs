//! pinned: a program without libc that locks itself in with the strictest policy libsys
//! builds, then does its work and exits normally.
//!
//! With libsys's `restrict` feature (so `outline`) every system call the program makes comes
//! from a stub of its own in the `libsys_stubs` section, listed in the manifest. The program
//! installs a seccomp filter (`prctl(PR_SET_NO_NEW_PRIVS)`, `seccomp(SECCOMP_SET_MODE_FILTER)`)
//! that allows number N only from stub N's instruction and only the numbers of the manifest,
//! plus the vDSO's own fallback calls from the vDSO; anything else kills the process with
//! SIGSYS. Then it writes a line, reads the vDSO clock and exits 0: `write` and `exit_group`
//! are in its manifest. Arguments: `escape` tries `getuid` (in no stub) through a stub
//! instruction after the filter is in, and must die of SIGSYS.
//!
//! The filter is built with `alloc` (its instructions are a `Vec`): a program without libc
//! brings its own allocator, here a bump allocator over a static buffer.
#![no_std]
#![no_main]

extern crate alloc;

use alloc::vec::Vec;
use core::alloc::{GlobalAlloc, Layout};
use core::sync::atomic::{AtomicUsize, Ordering};
use libsys::restrict::policy::Generic;
use libsys::restrict::{Action, Arch, Policy, install};
use libsys::{Args, Errno, syscall};

/// `write(2)`.
#[syscall(readonly)]
unsafe fn write(fd: i32, buf: &[u8]) -> Result<usize, Errno>;

/// A bump allocator over 256 KiB: enough for a filter of a few hundred instructions; freed
/// memory is not reused (the program builds one filter and exits).
struct Bump;

const ARENA: usize = 256 * 1024;
static mut HEAP: [u8; ARENA] = [0; ARENA];
static NEXT: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every block handed out is inside `HEAP`, aligned as asked and never handed out twice
// (the offset only grows, atomically); null when the arena is exhausted.
unsafe impl GlobalAlloc for Bump {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let base = (&raw mut HEAP).cast::<u8>();
        let mut start = 0;
        let claimed = NEXT.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |next| {
            let addr = (base as usize).checked_add(next)?;
            let pad = addr.next_multiple_of(layout.align()) - addr;
            start = next.checked_add(pad)?;
            let end = start.checked_add(layout.size())?;
            (end <= ARENA).then_some(end)
        });
        match claimed {
            // SAFETY: `start + size <= ARENA`: inside the arena.
            Ok(_) => unsafe { base.add(start) },
            Err(_) => core::ptr::null_mut(),
        }
    }

    unsafe fn dealloc(&self, _ptr: *mut u8, _layout: Layout) {}
}

#[global_allocator]
static ALLOC: Bump = Bump;

/// Writes `msg` to stderr.
fn say(msg: &[u8]) {
    // SAFETY: `msg` is valid for reads of its length; fd 2 is the inherited stderr.
    let _ = unsafe { write(2, msg) };
}

#[libsys::main]
fn main(args: Args) -> i32 {
    let escape = args.skip(1).any(|a| a.to_bytes() == b"escape");
    let manifest = install::manifest();
    let mut numbers: Vec<u32> = manifest.iter().filter_map(|s| s.nr).collect();
    numbers.sort_unstable();
    numbers.dedup();
    let mut policy = Policy::pinned(Arch::NATIVE, &manifest, Generic::Deny).only_numbers(&numbers);
    if let Some(vdso) = install::vdso_range() {
        policy = policy.allow_range_for(vdso, &install::vdso_numbers());
    }
    let filter = match policy.otherwise(Action::KillProcess).compile() {
        Ok(f) => f,
        Err(_) => {
            say(b"pinned: the policy does not compile\n");
            return 2;
        }
    };
    if install::restrict(&filter).is_err() {
        say(b"pinned: seccomp refused the filter\n");
        return 3;
    }
    if escape {
        // getuid from the instruction of write's stub: pinned, the kernel kills the process
        // here.
        jump_with_another_number();
        say(b"pinned: still alive after an unpinned call\n");
        return 4;
    }
    // Reads the clock through the vDSO (no system call; its fallback is allowed from there).
    let t = libsys::sys_vdso::clock_gettime(libsys::sys_vdso::ClockId::MONOTONIC);
    let msg: &[u8] = if t.is_ok() {
        b"pinned: running under the pinned allow-list filter\n"
    } else {
        b"pinned: the clock failed\n"
    };
    // SAFETY: `msg` is valid for reads of its length; fd 1 is the inherited stdout.
    match unsafe { write(1, msg) } {
        Ok(n) if n == msg.len() => 0,
        _ => 1,
    }
}

/// Makes `getuid` from the instruction of `write`'s stub (x86_64 and x86: the instruction is
/// two bytes and a `ret` follows; elsewhere it does nothing, and `escape` is not tested).
fn jump_with_another_number() {
    let Some(site) = libsys::outline::manifest().find(|s| s.nr == Some(libsys::nr::write)) else {
        return;
    };
    #[cfg(target_arch = "x86_64")]
    // SAFETY: the stub's `syscall` is followed by its `ret`: calling it makes one system call
    // (getuid, which writes no memory) and returns; every register it may change is declared.
    unsafe {
        core::arch::asm!("call {f}", f = in(reg) site.ip - 2,
            inlateout("rax") libsys::nr::getuid => _, out("rcx") _, out("r11") _,
            out("rdi") _, out("rsi") _, out("rdx") _, out("r8") _, out("r9") _, out("r10") _);
    }
    #[cfg(target_arch = "x86")]
    // SAFETY: as above, with `int 0x80`.
    unsafe {
        core::arch::asm!("call {f}", f = in(reg) site.ip - 2,
            inlateout("eax") libsys::nr::getuid => _, out("ecx") _, out("edx") _, out("edi") _);
    }
    let _ = site;
}

/// Nothing here panics; if something did, exit with 101 as a std program would.
#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    libsys::sys_rt::exit(101)
}
