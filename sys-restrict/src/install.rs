//! Installing a filter in this process, and finding this process's addresses: the vDSO's
//! image, libsys's stubs and their manifest (feature `outline`), libc's and ld.so's code
//! (feature `std`).
//!
//! Sources: seccomp(2) (`SECCOMP_SET_MODE_FILTER`, `SECCOMP_FILTER_FLAG_TSYNC`: the result is
//! the id of a thread that could not be synchronized), prctl(2) (`PR_SET_NO_NEW_PRIVS`, needed
//! without `CAP_SYS_ADMIN`), `include/uapi/linux/filter.h` (`struct sock_fprog`), vdso(7)
//! (the vDSO's signal trampolines and fallbacks), dl_iterate_phdr(3).

use crate::arch::Arch;
use crate::bpf::Insn;
use crate::policy::Filter;
#[cfg(any(feature = "outline", feature = "std"))]
use crate::policy::IpRange;
use alloc::vec::Vec;
use sys_core::{Errno, nr, syscall};

/// `PR_SET_NO_NEW_PRIVS` (`linux/prctl.h`).
const PR_SET_NO_NEW_PRIVS: u32 = 38;
/// `SECCOMP_SET_MODE_FILTER` (`linux/seccomp.h`).
const SECCOMP_SET_MODE_FILTER: u32 = 1;
/// `SECCOMP_FILTER_FLAG_TSYNC`: every thread of the process gets the filter.
pub const FLAG_TSYNC: u32 = 1;
/// `SECCOMP_FILTER_FLAG_LOG`: log the actions taken, except `ALLOW`.
pub const FLAG_LOG: u32 = 2;

/// `struct sock_fprog`: the program's length and address.
#[repr(C)]
struct SockFprog {
    len: u16,
    filter: *const Insn,
}

/// Sets `no_new_privs` for the calling thread (`prctl(PR_SET_NO_NEW_PRIVS, 1)`): `execve` will
/// not grant privileges any more, which lets an unprivileged process install filters. It
/// cannot be undone and is inherited by children.
pub fn set_no_new_privs() -> Result<(), Errno> {
    // SAFETY: prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) reads and writes no memory.
    unsafe { syscall!(nr::prctl, PR_SET_NO_NEW_PRIVS, 1u32, 0u32, 0u32, 0u32) }.map(drop)
}

/// Installs `filter` with `seccomp(SECCOMP_SET_MODE_FILTER, flags, …)`. From then on every
/// system call of the calling thread (of every thread with [`FLAG_TSYNC`]) goes through it, and
/// so do those of the children it creates; filters cannot be removed.
///
/// Needs [`set_no_new_privs`] first (or `CAP_SYS_ADMIN`). Errors: `EINVAL` for a filter for
/// another architecture than this one (or a program the kernel rejects); `EACCES` without
/// `no_new_privs`; `ESRCH` when, with `FLAG_TSYNC`, another thread could not be synchronized
/// (the kernel returns that thread's id).
pub fn install(filter: &Filter, flags: u32) -> Result<(), Errno> {
    if filter.arch() != Arch::NATIVE {
        return Err(Errno::EINVAL);
    }
    let insns = filter.insns();
    let len = u16::try_from(insns.len()).map_err(|_| Errno::EINVAL)?;
    let prog = SockFprog {
        len,
        filter: insns.as_ptr(),
    };
    // SAFETY: the kernel reads `prog` and the `len` instructions it points to, both alive for
    // the call, and copies them; it writes no memory of ours.
    let r = unsafe { syscall!(nr::seccomp, SECCOMP_SET_MODE_FILTER, flags, &raw const prog) }?;
    if r != 0 { Err(Errno::ESRCH) } else { Ok(()) }
}

/// Restricts every thread of this process to `filter`: [`set_no_new_privs`], then
/// [`install`] with [`FLAG_TSYNC`]. Irreversible.
///
/// Refuses with `EBUSY`, installing nothing, when the process already holds an io_uring
/// instance ([`io_uring_held`]) and the filter's policy did not ask for io_uring
/// ([`Policy::allow_io_uring`](crate::Policy::allow_io_uring)): a ring created before the
/// filter keeps performing operations no filter sees (with `IORING_SETUP_SQPOLL`, without a
/// system call at all). Where `/proc` cannot be read the check cannot be made and the filter
/// is installed.
///
/// ```no_run
/// use sys_restrict::{Action, Policy, install};
///
/// # #[cfg(feature = "outline")] {
/// let vdso = install::vdso_range();
/// let mut policy = Policy::range(sys_restrict::Arch::NATIVE, install::stubs_range());
/// if let Some(v) = vdso {
///     policy = policy.allow_range_for(v, &install::vdso_numbers());
/// }
/// let filter = policy.otherwise(Action::KillProcess).compile().unwrap();
/// install::restrict(&filter).unwrap();
/// # }
/// ```
pub fn restrict(filter: &Filter) -> Result<(), Errno> {
    if !filter.allows_io_uring() && io_uring_held() == Ok(true) {
        return Err(Errno::EBUSY);
    }
    set_no_new_privs()?;
    install(filter, FLAG_TSYNC)
}

/// Whether this process holds an io_uring instance: a descriptor that is one
/// (`/proc/self/fd/N` links to `anon_inode:[io_uring]`) or a submission-queue polling thread
/// of one (a task of this process named `iou-sqp-…`: `IORING_SETUP_SQPOLL`). A ring with
/// neither — no descriptor left (`IORING_SETUP_REGISTERED_FD_ONLY`) and no polling thread —
/// is not seen, but it can only make progress through `io_uring_enter`, which a policy
/// refuses unless it allows io_uring. Errors: those of opening and reading `/proc/self/fd`
/// and `/proc/self/task` (`ENOENT` without `/proc`).
pub fn io_uring_held() -> Result<bool, Errno> {
    let mut found = false;
    each_entry(b"/proc/self/fd\0", |dir, name| {
        let mut link = [0u8; 32];
        // SAFETY: `name` is NUL-terminated; the kernel writes at most `link.len()` bytes.
        let n = unsafe {
            syscall!(
                nr::readlinkat,
                dir,
                name.as_ptr(),
                link.as_mut_ptr(),
                link.len()
            )
        };
        if let Ok(n) = n {
            found |= link.get(..n) == Some(&b"anon_inode:[io_uring]"[..]);
        }
    })?;
    each_entry(b"/proc/self/task\0", |dir, name| {
        // "<tid>/comm\0", relative to the task directory.
        let mut path = [0u8; 32];
        let tid = name.strip_suffix(b"\0").unwrap_or(name);
        let full = tid.iter().chain(b"/comm\0");
        if tid.len() + 6 > path.len() {
            return;
        }
        for (d, c) in path.iter_mut().zip(full) {
            *d = *c;
        }
        // SAFETY: `path` is NUL-terminated; the descriptor is closed below.
        let Ok(fd) = (unsafe { syscall!(nr::openat, dir, path.as_ptr(), O_RDONLY | O_CLOEXEC) })
        else {
            return;
        };
        let mut text = [0u8; 16];
        // SAFETY: the kernel writes at most `text.len()` bytes.
        let n = unsafe { syscall!(nr::read, fd, text.as_mut_ptr(), text.len()) };
        // SAFETY: closes the descriptor opened above.
        let _ = unsafe { syscall!(nr::close, fd) };
        if let Ok(n) = n {
            found |= text.get(..n).is_some_and(|t| t.starts_with(b"iou-sqp"));
        }
    })?;
    Ok(found)
}

/// `open` flags (`asm-generic/fcntl.h`; arm, aarch64 and powerpc number `O_DIRECTORY`
/// differently).
const O_RDONLY: usize = 0;
const O_CLOEXEC: usize = 0o2_000_000;
const O_DIRECTORY: usize = if cfg!(any(
    target_arch = "arm",
    target_arch = "aarch64",
    target_arch = "powerpc64"
)) {
    0o40_000
} else {
    0o200_000
};
/// `AT_FDCWD`.
const AT_FDCWD: isize = -100;

/// Calls `f(dir_fd, name)` for each entry of the directory `path` (NUL-terminated) but `.`
/// and `..`, with `name` NUL-terminated.
fn each_entry(path: &[u8], mut f: impl FnMut(usize, &[u8])) -> Result<(), Errno> {
    // SAFETY: `path` is NUL-terminated; the descriptor is closed below.
    let dir = unsafe {
        syscall!(
            nr::openat,
            AT_FDCWD,
            path.as_ptr(),
            O_RDONLY | O_DIRECTORY | O_CLOEXEC
        )
    }?;
    let mut buf = [0u64; 512];
    let result = loop {
        // SAFETY: the kernel writes at most the buffer's 4096 bytes of `linux_dirent64`s.
        let n = match unsafe { syscall!(nr::getdents64, dir, buf.as_mut_ptr(), 4096usize) } {
            Ok(0) => break Ok(()),
            Ok(n) => n,
            Err(e) => break Err(e),
        };
        // SAFETY: the buffer's bytes, as u8 (initialized u64s).
        let bytes = unsafe { core::slice::from_raw_parts(buf.as_ptr().cast::<u8>(), 4096) };
        let mut at = 0usize;
        while at + 19 < n {
            // struct linux_dirent64 { u64 d_ino; s64 d_off; u16 d_reclen; u8 d_type; name }
            let reclen = match bytes.get(at + 16..at + 18) {
                Some(&[a, b]) => usize::from(u16::from_ne_bytes([a, b])),
                _ => 0,
            };
            if reclen == 0 {
                break;
            }
            let rec = bytes.get(at + 19..(at + reclen).min(n)).unwrap_or(&[]);
            if let Some(end) = rec.iter().position(|&c| c == 0) {
                let name = rec.get(..=end).unwrap_or(&[]);
                if name != b".\0" && name != b"..\0" {
                    f(dir, name);
                }
            }
            at += reclen;
        }
    };
    // SAFETY: closes the descriptor opened above.
    let _ = unsafe { syscall!(nr::close, dir) };
    result
}

/// The vDSO's image in this process ([`crate::vdso_range`] as an [`IpRange`]): where its own
/// system calls come from (clock fallbacks for clocks it does not serve, `getrandom`'s, and the
/// signal-return trampolines on aarch64, riscv64, loongarch64, powerpc64, s390x and x86).
/// `None` without a vDSO.
#[cfg(feature = "outline")]
pub fn vdso_range() -> Option<IpRange> {
    crate::vdso_range().map(|r| IpRange::new(r.start as u64, r.end as u64))
}

/// The system calls this architecture's vDSO makes itself, by name: exactly the calls its code
/// contains (clock fallbacks for clocks it does not serve, `getrandom`'s, and its signal-return
/// trampolines where the kernel uses them), nothing more — every name here is a call that
/// anybody can make by jumping to the vDSO's instruction (on x86, by any `sysenter` or
/// `syscall`: see below), so a name too many is a hole.
///
/// - **x86_64**: `gettimeofday`, `clock_gettime`, `clock_getres`, `getrandom`. The x86_64 vDSO
///   has no signal trampoline (the kernel returns from handlers through the `SA_RESTORER` libc
///   or libsys passes), so `rt_sigreturn` is not listed: allowing it from the vDSO would let a
///   forged signal frame be returned through the vDSO's `syscall` instruction (SROP); `time`
///   and `getcpu` read the vDSO's data and make no call.
/// - **x86** (i386): `gettimeofday`, `clock_gettime`, `clock_gettime64`, `clock_getres`, made by
///   calling `__kernel_vsyscall`. Every fast system call (`sysenter`, or a 32-bit `syscall` on
///   AMD CPUs), *wherever its instruction is*, is reported at the same address as a genuine
///   `__kernel_vsyscall` call: after its `int $0x80` (the kernel's `do_fast_syscall_32` sets
///   the instruction pointer to the vDSO's `int80_landing_pad`). A filter cannot tell them
///   apart, so whatever the vDSO rule allows, a `syscall` or `sysenter` of the attacker's own
///   can make: here, reading a clock. The vDSO's `__kernel_sigreturn` and
///   `__kernel_rt_sigreturn` trampolines are not listed: the kernel uses them only for
///   handlers installed without `SA_RESTORER`, which neither libsys nor glibc does
///   ([`VDSO_TRAMPOLINES`]).
/// - The others, from the kernel's vDSO sources (not checked against a running vDSO: qemu-user
///   gives a process qemu's own vDSO): their clock fallbacks and `getrandom`, plus the signal
///   trampolines the kernel returns through (aarch64, riscv64, loongarch64, powerpc64, s390x
///   and mips use the vDSO's `rt_sigreturn`; s390x also restarts calls from it), riscv64's
///   `riscv_hwprobe`, `riscv_flush_icache` and `getcpu`.
///
/// `tests/vdso_calls.rs` scans the running vDSO's code on x86_64 and x86 (every system call
/// instruction and the number loaded before it) and compares it with this list.
pub const VDSO_CALLS: &[&str] = vdso_calls();

const fn vdso_calls() -> &'static [&'static str] {
    if cfg!(target_arch = "x86_64") {
        &["gettimeofday", "clock_gettime", "clock_getres", "getrandom"]
    } else if cfg!(target_arch = "x86") {
        &[
            "gettimeofday",
            "clock_gettime",
            "clock_gettime64",
            "clock_getres",
        ]
    } else if cfg!(target_arch = "aarch64") {
        &[
            "gettimeofday",
            "clock_gettime",
            "clock_getres",
            "getrandom",
            "rt_sigreturn",
        ]
    } else if cfg!(target_arch = "arm") {
        // The signal trampolines are in arm's sigpage, not in the vDSO.
        &[
            "gettimeofday",
            "clock_gettime",
            "clock_gettime64",
            "clock_getres",
            "clock_getres_time64",
        ]
    } else if cfg!(target_arch = "riscv64") {
        &[
            "gettimeofday",
            "clock_gettime",
            "clock_getres",
            "getcpu",
            "getrandom",
            "riscv_hwprobe",
            "riscv_flush_icache",
            "rt_sigreturn",
        ]
    } else if cfg!(target_arch = "s390x") {
        &[
            "gettimeofday",
            "clock_gettime",
            "clock_getres",
            "getrandom",
            "sigreturn",
            "rt_sigreturn",
            "restart_syscall",
        ]
    } else if cfg!(target_arch = "mips") {
        &[
            "gettimeofday",
            "clock_gettime",
            "clock_gettime64",
            "clock_getres",
            "clock_getres_time64",
            "sigreturn",
            "rt_sigreturn",
        ]
    } else {
        // powerpc64, loongarch64, mips64 (n64).
        &[
            "gettimeofday",
            "clock_gettime",
            "clock_getres",
            "getrandom",
            "rt_sigreturn",
        ]
    }
}

/// x86 (i386) only: the vDSO's signal-return trampolines, `__kernel_sigreturn` and
/// `__kernel_rt_sigreturn`, which [`VDSO_CALLS`] leaves out. The kernel returns through them
/// from a handler installed without `SA_RESTORER`; a program that installs such handlers
/// pins these calls at the trampolines' own addresses (`vdso_trampolines()`, feature
/// `outline`) rather than allowing them from the whole vDSO (whose landing pad every
/// `sysenter` reaches). Empty elsewhere.
pub const VDSO_TRAMPOLINES: &[&str] = if cfg!(target_arch = "x86") {
    &["sigreturn", "rt_sigreturn"]
} else {
    &[]
};

/// This architecture's numbers of [`VDSO_CALLS`], for
/// [`Policy::allow_range_for`](crate::Policy::allow_range_for) with the vDSO's range
/// (`vdso_range`, feature `outline`).
pub fn vdso_numbers() -> Vec<u32> {
    (VDSO_CALLS.iter())
        .filter_map(|name| nr::by_name(name))
        .filter_map(|n| u32::try_from(n).ok())
        .collect()
}

/// x86 only: the exact sites of the vDSO's signal trampolines ([`VDSO_TRAMPOLINES`]) in this
/// process, as pinned sites (`sigreturn` at `__kernel_sigreturn`'s `int $0x80`,
/// `rt_sigreturn` at `__kernel_rt_sigreturn`'s), found by reading the trampolines' code; empty
/// elsewhere or when the code is not the expected `mov $nr, %eax; int $0x80`.
#[cfg(feature = "outline")]
pub fn vdso_trampolines() -> Vec<crate::policy::Site> {
    let mut out = Vec::new();
    if !cfg!(target_arch = "x86") {
        return out;
    }
    let Some(v) = sys_vdso::Vdso::get() else {
        return out;
    };
    for (symbol, name) in [
        ("__kernel_sigreturn", "sigreturn"),
        ("__kernel_rt_sigreturn", "rt_sigreturn"),
    ] {
        let (Some(at), Some(want)) = (v.lookup(symbol, None), nr::by_name(name)) else {
            continue;
        };
        let start = at.as_ptr() as usize;
        let Some(offset) = start.checked_sub(v.base().as_ptr() as usize) else {
            continue;
        };
        let code = v.image().bytes().get(offset..).unwrap_or(&[]);
        // `pop %eax` (sigreturn only), `mov $nr, %eax` (b8 imm32), `int $0x80` (cd 80).
        let skip = usize::from(code.first() == Some(&0x58));
        let Some(&[0xb8, a, b, c, d, 0xcd, 0x80]) = code.get(skip..skip + 7) else {
            continue;
        };
        if u32::from_le_bytes([a, b, c, d]) as usize == want {
            out.push(crate::policy::Site {
                nr: want as u32,
                ip: (start + skip + 7) as u64,
            });
        }
    }
    out
}

/// The `libsys_stubs` section: every system call instruction libsys executes.
#[cfg(feature = "outline")]
pub fn stubs_range() -> IpRange {
    let r = sys_core::outline::stubs();
    IpRange::new(r.start as u64, r.end as u64)
}

/// Every stub of the program (`sys_core::outline::manifest`) as policy input, and on x86_64
/// and x86 libsys's signal restorer ([`crate::sud::restorer`]) as the stub of `rt_sigreturn`:
/// handlers installed with it return under every policy built from the manifest.
#[cfg(feature = "outline")]
pub fn manifest() -> Vec<crate::policy::Stub> {
    let mut stubs: Vec<crate::policy::Stub> = (sys_core::outline::manifest())
        .map(|s| crate::policy::Stub {
            nr: s.nr.and_then(|n| u32::try_from(n).ok()),
            ip: s.ip as u64,
        })
        .collect();
    #[cfg(any(target_arch = "x86_64", target_arch = "x86"))]
    stubs.push(crate::policy::Stub {
        nr: Some(nr::rt_sigreturn as u32),
        ip: crate::sud::restorer_site() as u64,
    });
    stubs
}

/// The executable segments of every loaded object whose file name says it is the C library
/// or the dynamic linker (`libc.so*`, `ld-linux*`, `ld-musl*`, `ld64.so*`, `ld.so*`), as
/// `dl_iterate_phdr` lists them: what a std-friendly policy adds so that Rust's std (which
/// exits, returns from signal handlers and makes many calls through libc) keeps working.
///
/// On x86 (i386) glibc makes its system calls through the vDSO's `__kernel_vsyscall`: a
/// std-friendly policy there also allows the vDSO for any number.
#[cfg(feature = "std")]
pub fn libc_ranges() -> Vec<IpRange> {
    loaded_code(|name| {
        let file = name.rsplit(|&b| b == b'/').next().unwrap_or(name);
        [
            &b"libc.so"[..],
            b"libc-",
            b"ld-linux",
            b"ld-musl",
            b"ld64.so",
            b"ld.so",
        ]
        .iter()
        .any(|p| file.starts_with(p))
    })
}

/// Where the C library's signal restorer makes its `rt_sigreturn` (x86_64 and x86): the pinned
/// site a policy needs so that signal handlers installed **through libc** (`sigaction(3)`,
/// `signal(3)`, std's own handlers) can return, without allowing libc's whole code.
///
/// Needed under every policy but std-friendly when the program installs handlers through
/// libc; not for handlers installed with libsys's restorer ([`crate::sud::restorer`], already
/// in [`manifest`]). Found by installing a handler for `SIGRTMAX` through libc, reading back
/// the `sa_restorer` libc passed to the kernel (`rt_sigaction` with no new action), and putting
/// the old action back; then reading the restorer's code up to its system call instruction.
/// glibc on x86_64 passes its `__restore_rt` (`mov $15, %rax; syscall`). glibc on x86 passes no
/// restorer when there is a vDSO, so the kernel returns through the vDSO's trampolines: the
/// result is then [`vdso_trampolines`]. Empty where neither is found (and on the other
/// architectures, whose vDSO trampolines are in [`VDSO_CALLS`]).
#[cfg(all(feature = "std", feature = "outline"))]
pub fn libc_restorer() -> Vec<crate::policy::Site> {
    let mut out = Vec::new();
    if !cfg!(any(target_arch = "x86_64", target_arch = "x86")) {
        return out;
    }
    extern "C" fn ignore(_: core::ffi::c_int) {}
    #[repr(C)]
    struct KSigaction {
        handler: usize,
        flags: usize,
        restorer: usize,
        mask: u64,
    }
    const SA_RESTORER: usize = 0x0400_0000;
    let sig = libc::SIGRTMAX();
    let mut kernel = KSigaction {
        handler: 0,
        flags: 0,
        restorer: 0,
        mask: 0,
    };
    // SAFETY: zeroed `sigaction`s are valid values; libc installs and then restores the old
    // action of a signal nobody sends (SIGRTMAX); rt_sigaction with a null new action only
    // writes the current one into `kernel`.
    unsafe {
        let mut new: libc::sigaction = core::mem::zeroed();
        let mut old: libc::sigaction = core::mem::zeroed();
        new.sa_sigaction = ignore as *const () as usize;
        if libc::sigaction(sig, &new, &mut old) != 0 {
            return out;
        }
        let r = syscall!(
            nr::rt_sigaction,
            sig,
            core::ptr::null::<KSigaction>(),
            &raw mut kernel,
            8usize
        );
        libc::sigaction(sig, &old, core::ptr::null_mut());
        if r.is_err() {
            return out;
        }
    }
    if kernel.flags & SA_RESTORER == 0 || kernel.restorer == 0 {
        out.extend(vdso_trampolines());
        return out;
    }
    // The restorer's first 16 bytes: the number it loads (`mov $imm32, %eax` or
    // `mov $imm32, %rax`), then `syscall` (x86_64) or `int $0x80` (x86).
    // SAFETY: the restorer is code of a loaded object, readable.
    let code = unsafe { core::slice::from_raw_parts(kernel.restorer as *const u8, 16) };
    let insn: [u8; 2] = if cfg!(target_arch = "x86_64") {
        [0x0f, 0x05]
    } else {
        [0xcd, 0x80]
    };
    let Some(at) = code.windows(2).position(|w| w == insn) else {
        return out;
    };
    let loads = |n: usize| {
        let imm = (n as u32).to_le_bytes();
        code.windows(5)
            .take(at)
            .any(|w| w.first() == Some(&0xb8) && w.get(1..5) == Some(&imm[..]))
            || code.windows(7).take(at).any(|w| {
                w.get(..3) == Some(&[0x48, 0xc7, 0xc0][..]) && w.get(3..7) == Some(&imm[..])
            })
    };
    if loads(nr::rt_sigreturn) {
        out.push(crate::policy::Site {
            nr: nr::rt_sigreturn as u32,
            ip: (kernel.restorer + at + 2) as u64,
        });
    }
    out
}

/// The executable `PT_LOAD` segments of the loaded objects whose name (`dlpi_name`, empty for
/// the main program) `keep` accepts.
#[cfg(feature = "std")]
pub fn loaded_code<F: FnMut(&[u8]) -> bool>(keep: F) -> Vec<IpRange> {
    struct State<F> {
        keep: F,
        out: Vec<IpRange>,
    }
    unsafe extern "C" fn each<F: FnMut(&[u8]) -> bool>(
        info: *mut libc::dl_phdr_info,
        _size: libc::size_t,
        data: *mut core::ffi::c_void,
    ) -> core::ffi::c_int {
        // SAFETY: `data` is the `State` passed to dl_iterate_phdr below, which outlives it;
        // `info` points to a valid `dl_phdr_info` during the callback (dl_iterate_phdr(3)).
        let (state, info) = unsafe { (&mut *data.cast::<State<F>>(), &*info) };
        let name: &[u8] = if info.dlpi_name.is_null() {
            b""
        } else {
            // SAFETY: a non-null `dlpi_name` is a NUL-terminated string (dl_iterate_phdr(3)).
            unsafe { core::ffi::CStr::from_ptr(info.dlpi_name) }.to_bytes()
        };
        if !(state.keep)(name) || info.dlpi_phdr.is_null() {
            return 0;
        }
        // SAFETY: `dlpi_phdr` points to `dlpi_phnum` program headers of the object.
        let phdrs = unsafe { core::slice::from_raw_parts(info.dlpi_phdr, info.dlpi_phnum.into()) };
        for ph in phdrs {
            if ph.p_type == libc::PT_LOAD && ph.p_flags & libc::PF_X != 0 {
                let start = wide(info.dlpi_addr).wrapping_add(wide(ph.p_vaddr));
                let end = start.wrapping_add(wide(ph.p_memsz));
                state.out.push(IpRange::new(start, end));
            }
        }
        0
    }
    let mut state = State {
        keep,
        out: Vec::new(),
    };
    // SAFETY: `each::<F>` matches the callback type and reads `state` as `State<F>`.
    unsafe { libc::dl_iterate_phdr(Some(each::<F>), (&raw mut state).cast()) };
    state.out
}

/// An ELF word (32 or 64 bits by the word size) as 64 bits.
#[cfg(feature = "std")]
fn wide<T: Into<u64>>(v: T) -> u64 {
    v.into()
}
