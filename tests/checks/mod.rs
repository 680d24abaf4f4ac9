//! Behaviour checks of raw system calls, shared by the std test suite (`tests/raw_syscalls.rs`)
//! and the no-libc harness (`tests/nolibc`), so every architecture runs the same checks even
//! where no std test harness can be linked.
//!
//! `no_std`-compatible: only libsys and the libc crate's *constants* (flag values, which differ
//! per architecture: mips renumbers `O_CREAT`, `SOCK_DGRAM`, errno values …). The oracle is the
//! kernel's own behaviour: data written is read back, offsets and sizes are checked, errors
//! compared with libc's values for the target (themselves cross-checked against the kernel
//! headers by `sys-core/tests/libc_crosscheck.rs`).

#![allow(dead_code, reason = "each includer uses a different subset")]

use libsys::raw::{syscall, syscall_noreturn, syscall_readonly};
use libsys::{Errno, nr};

mod auxv;
mod declared;
#[cfg(feature = "outline")]
mod outline;
mod vdso;

/// What the test runner says of this process's vDSO: `SYS_VDSO_EXPECT=present` or `absent` in
/// the environment at process entry (as sys-auxv captured it; tools/cross-test.sh and
/// tools/novdso-test.sh set it per target and runner), `None` when it is unset or unreadable
/// (no capture, as on musl): then only the consistency of what is there is checked.
pub fn expected_vdso() -> Option<bool> {
    let mut envp = libsys::sys_auxv::envp()?;
    const KEY: &[u8] = b"SYS_VDSO_EXPECT=";
    loop {
        // SAFETY: `envp` is the initial stack's NULL-terminated array of C strings, captured at
        // start-up; it is read up to its NULL and never written.
        let entry = unsafe { envp.read() };
        if entry.is_null() {
            return None;
        }
        // SAFETY: every entry before the NULL is a NUL-terminated string on the initial stack.
        let bytes = unsafe { core::ffi::CStr::from_ptr(entry) }.to_bytes();
        if let Some(value) = bytes.strip_prefix(KEY) {
            return match value {
                b"present" => Some(true),
                b"absent" => Some(false),
                _ => None,
            };
        }
        // SAFETY: the entry was not the NULL, so the next one is still in the array.
        envp = unsafe { envp.add(1) };
    }
}

/// A check: `Ok` or a message saying what differed.
pub type Check = fn() -> Result<(), &'static str>;

/// Every check, by behaviour name.
pub static ALL: &[(&str, Check)] = &[
    #[cfg(feature = "outline")]
    (
        "outline_every_site_ends_a_syscall_instruction_in_the_stubs",
        outline::every_site_ends_a_syscall_instruction_in_the_stubs,
    ),
    #[cfg(feature = "outline")]
    (
        "outline_constant_numbers_are_pinned_to_their_own_stub",
        outline::constant_numbers_are_pinned_to_their_own_stub,
    ),
    #[cfg(feature = "outline")]
    (
        "outline_run_time_numbers_use_the_generic_stub",
        outline::run_time_numbers_use_the_generic_stub,
    ),
    (
        "declared_wrappers_round_trip_file_io",
        declared::declared_wrappers_round_trip_file_io,
    ),
    (
        "declared_wrappers_pipe_and_ids",
        declared::declared_wrappers_pipe_and_ids,
    ),
    (
        "write_then_read_round_trips_through_a_pipe",
        write_then_read_round_trips_through_a_pipe,
    ),
    (
        "getpid_is_stable_and_positive",
        getpid_is_stable_and_positive,
    ),
    (
        "six_args_reach_the_kernel_via_copy_file_range",
        six_args_reach_the_kernel_via_copy_file_range,
    ),
    (
        "copy_file_range_with_flags_is_einval",
        copy_file_range_with_flags_is_einval,
    ),
    (
        "six_args_reach_the_kernel_via_sendto",
        six_args_reach_the_kernel_via_sendto,
    ),
    (
        "mmap_with_file_offset_maps_the_right_page",
        mmap_with_file_offset_maps_the_right_page,
    ),
    ("pwrite_pread_above_4_gib", pwrite_pread_above_4_gib),
    (
        "fallocate_above_4_gib_sets_the_size",
        fallocate_above_4_gib_sets_the_size,
    ),
    (
        "ftruncate_above_4_gib_sets_the_size",
        ftruncate_above_4_gib_sets_the_size,
    ),
    (
        "errors_decode_to_the_right_errno",
        errors_decode_to_the_right_errno,
    ),
    (
        "noreturn_exit_group_in_a_child",
        noreturn_exit_group_in_a_child,
    ),
    ("auxv_sources_agree", auxv::auxv_sources_agree),
    (
        "auxv_typed_getters_are_consistent",
        auxv::auxv_typed_getters_are_consistent,
    ),
    ("vdso_exports_are_found", vdso::vdso_exports_are_found),
    (
        "vdso_functions_agree_with_the_syscalls",
        vdso::vdso_functions_agree_with_the_syscalls,
    ),
];

fn ensure(cond: bool, msg: &'static str) -> Result<(), &'static str> {
    if cond { Ok(()) } else { Err(msg) }
}

fn ok<T>(r: Result<T, Errno>, msg: &'static str) -> Result<T, &'static str> {
    r.map_err(|_| msg)
}

const AT_FDCWD: i32 = -100;

/// `SIGCHLD` and `SOCK_DGRAM` from the kernel's headers. libc 0.2.191 gives mips64 glibc
/// targets the generic values (17 and 2) instead of mips' 18 and 1: its cfg in
/// `src/new/glibc/sysdeps/unix/linux/mod.rs` lists "mips" twice and omits "mips64".
#[cfg(target_arch = "mips64")]
mod kernel {
    pub const SIGCHLD: i32 = 18;
    pub const SOCK_DGRAM: i32 = 1;
}
#[cfg(not(target_arch = "mips64"))]
mod kernel {
    pub const SIGCHLD: i32 = libc::SIGCHLD;
    pub const SOCK_DGRAM: i32 = libc::SOCK_DGRAM;
}
const GIB: u64 = 1 << 30;

/// A file descriptor closed on drop.
struct Fd(i32);

impl Drop for Fd {
    fn drop(&mut self) {
        // SAFETY: the descriptor is owned by this value.
        let _ = unsafe { syscall_readonly!(nr::close, self.0) };
    }
}

/// Creates an anonymous, already-unlinked regular file in `/tmp` (named after the pid and a
/// counter while it exists).
fn temp_file() -> Result<Fd, &'static str> {
    use core::sync::atomic::{AtomicU32, Ordering};
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let mut path = [0u8; 64];
    let prefix = b"/tmp/libsys-check-";
    path[..prefix.len()].copy_from_slice(prefix);
    let mut n = prefix.len();
    // SAFETY: getpid takes no arguments and writes no memory.
    let pid = unsafe { syscall_readonly!(nr::getpid) }.map_err(|_| "getpid failed")?;
    for v in [pid, COUNTER.fetch_add(1, Ordering::Relaxed) as usize] {
        let mut digits = [0u8; 20];
        let mut len = 0;
        let mut v = v;
        loop {
            digits[len] = b'0' + (v % 10) as u8;
            len += 1;
            v /= 10;
            if v == 0 {
                break;
            }
        }
        for i in (0..len).rev() {
            path[n] = digits[i];
            n += 1;
        }
        path[n] = b'-';
        n += 1;
    }
    // O_LARGEFILE: 32-bit architectures refuse offsets above 2 GiB without it (EFBIG).
    let flags = libc::O_RDWR | libc::O_CREAT | libc::O_EXCL | libc::O_CLOEXEC | libc::O_LARGEFILE;
    // SAFETY: `path` is NUL-terminated (zero-filled beyond `n`).
    let fd = unsafe { syscall!(nr::openat, AT_FDCWD, path.as_ptr(), flags, 0o600u32) };
    let fd = Fd(ok(fd, "openat O_CREAT in /tmp failed")? as i32);
    ok(
        // SAFETY: as above.
        unsafe { syscall!(nr::unlinkat, AT_FDCWD, path.as_ptr(), 0) },
        "unlinkat failed",
    )?;
    Ok(fd)
}

fn pipe() -> Result<(Fd, Fd), &'static str> {
    let mut fds = [0i32; 2];
    ok(
        // SAFETY: `fds` is valid for writes of two ints.
        unsafe { syscall!(nr::pipe2, fds.as_mut_ptr(), libc::O_CLOEXEC) },
        "pipe2 failed",
    )?;
    Ok((Fd(fds[0]), Fd(fds[1])))
}

fn write_all(fd: &Fd, data: &[u8]) -> Result<(), &'static str> {
    // SAFETY: `data` is valid for reads of its length.
    let n = ok(
        unsafe { syscall!(nr::write, fd.0, data.as_ptr(), data.len()) },
        "write failed",
    )?;
    ensure(n == data.len(), "short write")
}

fn pwrite(fd: &Fd, data: &[u8], off: u64) -> Result<(), &'static str> {
    // SAFETY: `data` is valid for reads of its length.
    let r = unsafe { syscall!(nr::pwrite64, fd.0, data.as_ptr(), data.len(), off) };
    ensure(ok(r, "pwrite64 failed")? == data.len(), "short pwrite64")
}

fn pread(fd: &Fd, buf: &mut [u8], off: u64) -> Result<usize, &'static str> {
    ok(
        // SAFETY: `buf` is valid for writes of its length.
        unsafe { syscall!(nr::pread64, fd.0, buf.as_mut_ptr(), buf.len(), off) },
        "pread64 failed",
    )
}

/// The file's size through `statx` (the same struct layout on every architecture).
fn file_size(fd: &Fd) -> Result<u64, &'static str> {
    let mut stx = [0u64; 32]; // struct statx is 256 bytes
    let empty = b"\0";
    const AT_EMPTY_PATH: u32 = 0x1000;
    const STATX_SIZE: u32 = 0x200;
    // SAFETY: `stx` is valid for writes of 256 bytes; the path is NUL-terminated.
    let r = unsafe {
        syscall!(
            nr::statx,
            fd.0,
            empty.as_ptr(),
            AT_EMPTY_PATH,
            STATX_SIZE,
            stx.as_mut_ptr()
        )
    };
    ok(r, "statx failed")?;
    Ok(stx[5]) // stx_size is at byte offset 40
}

fn write_then_read_round_trips_through_a_pipe() -> Result<(), &'static str> {
    let (r, w) = pipe()?;
    write_all(&w, b"libsys")?;
    let mut buf = [0u8; 16];
    // SAFETY: `buf` is valid for writes of its length.
    let n = ok(
        unsafe { syscall!(nr::read, r.0, buf.as_mut_ptr(), buf.len()) },
        "read failed",
    )?;
    ensure(
        &buf[..n] == b"libsys",
        "read returned other bytes than were written",
    )
}

fn getpid_is_stable_and_positive() -> Result<(), &'static str> {
    // SAFETY: getpid/getppid take no arguments and write no memory.
    let (a, b, pp) = unsafe {
        (
            syscall_readonly!(nr::getpid).map_err(|_| "getpid")?,
            syscall_readonly!(nr::getpid).map_err(|_| "getpid")?,
            syscall_readonly!(nr::getppid).map_err(|_| "getppid")?,
        )
    };
    ensure(
        a == b && a > 0 && pp > 0 && a != pp,
        "getpid/getppid inconsistent",
    )
}

/// copy_file_range(fd_in, &off_in, fd_out, &off_out, len, 0): every one of the first five
/// arguments changes the observable result.
fn six_args_reach_the_kernel_via_copy_file_range() -> Result<(), &'static str> {
    let src = temp_file()?;
    let dst = temp_file()?;
    write_all(&src, b"0123456789abcdefghij")?;
    let mut off_in: i64 = 3;
    let mut off_out: i64 = 5;
    // SAFETY: the offsets are valid for reads and writes of an i64 each.
    let r = unsafe {
        syscall!(
            nr::copy_file_range,
            src.0,
            &mut off_in,
            dst.0,
            &mut off_out,
            7usize,
            0u32
        )
    };
    match r {
        Ok(7) => {}
        Err(e) if e == Errno::ENOSYS || e == Errno::EXDEV => return Ok(()), // old kernel / fs
        _ => return Err("copy_file_range did not copy 7 bytes"),
    }
    ensure(
        off_in == 10 && off_out == 12,
        "copy_file_range did not advance both offsets",
    )?;
    let mut buf = [0xffu8; 12];
    let n = pread(&dst, &mut buf, 0)?;
    ensure(
        n == 12 && &buf[5..12] == b"3456789" && buf[..5] == [0; 5],
        "copied bytes differ",
    )
}

fn copy_file_range_with_flags_is_einval() -> Result<(), &'static str> {
    let src = temp_file()?;
    let dst = temp_file()?;
    write_all(&src, b"data")?;
    // SAFETY: null offsets mean "use the file positions".
    let r = unsafe {
        syscall!(
            nr::copy_file_range,
            src.0,
            0usize,
            dst.0,
            0usize,
            4usize,
            1u32
        )
    };
    ensure(
        r == Err(Errno::EINVAL),
        "copy_file_range with flags=1 did not fail with EINVAL",
    )
}

/// sendto(fd, buf, len, flags, addr, addrlen) to an abstract unix socket: the datagram only
/// arrives if the address and its exact length (the sixth argument) reach the kernel.
fn six_args_reach_the_kernel_via_sendto() -> Result<(), &'static str> {
    let dgram = kernel::SOCK_DGRAM | libc::SOCK_CLOEXEC;
    // SAFETY: socket takes integers only.
    let rx = Fd(ok(
        unsafe { syscall!(nr::socket, libc::AF_UNIX, dgram, 0) },
        "socket",
    )? as i32);
    // SAFETY: as above.
    let tx = Fd(ok(
        unsafe { syscall!(nr::socket, libc::AF_UNIX, dgram, 0) },
        "socket",
    )? as i32);
    // sockaddr_un: sun_family (u16), then an abstract name: NUL, "libsys-<pid>".
    let mut addr = [0u8; 110];
    addr[..2].copy_from_slice(&(libc::AF_UNIX as u16).to_ne_bytes());
    // SAFETY: getpid writes no memory.
    let pid = unsafe { syscall_readonly!(nr::getpid) }.map_err(|_| "getpid")?;
    let name = b"libsys-sendto-";
    addr[3..3 + name.len()].copy_from_slice(name);
    addr[3 + name.len()..3 + name.len() + 8].copy_from_slice(&(pid as u64).to_le_bytes());
    let len = 3 + name.len() + 8;
    ok(
        // SAFETY: `addr` is valid for reads of `len` bytes.
        unsafe { syscall!(nr::bind, rx.0, addr.as_ptr(), len as u32) },
        "bind failed",
    )?;
    let msg = b"six";
    // A length one byte short names another (unbound) abstract socket.
    // SAFETY: as above.
    let short = unsafe {
        syscall!(
            nr::sendto,
            tx.0,
            msg.as_ptr(),
            msg.len(),
            0,
            addr.as_ptr(),
            (len - 1) as u32
        )
    };
    ensure(
        short == Err(Errno::ECONNREFUSED),
        "sendto with a truncated addrlen reached a peer",
    )?;
    // SAFETY: as above.
    let sent = unsafe {
        syscall!(
            nr::sendto,
            tx.0,
            msg.as_ptr(),
            msg.len(),
            libc::MSG_DONTWAIT,
            addr.as_ptr(),
            len as u32
        )
    };
    ensure(
        ok(sent, "sendto failed")? == 3,
        "sendto sent a short datagram",
    )?;
    let mut buf = [0u8; 8];
    // SAFETY: `buf` is valid for writes of its length; MSG_DONTWAIT never blocks.
    let n = unsafe {
        syscall!(
            nr::recvfrom,
            rx.0,
            buf.as_mut_ptr(),
            buf.len(),
            libc::MSG_DONTWAIT,
            0usize,
            0usize
        )
    };
    ensure(
        ok(n, "recvfrom failed")? == 3 && &buf[..3] == b"six",
        "datagram differs",
    )
}

/// A 6-argument mmap of a file page at a non-zero offset (mmap2 with a page offset on 32-bit
/// architectures; s390x's mmap takes a pointer to a struct, so it is exercised that way).
fn mmap_with_file_offset_maps_the_right_page() -> Result<(), &'static str> {
    let f = temp_file()?;
    let page = 4096u64;
    pwrite(&f, b"second page", page)?;
    pwrite(&f, b"third page!", 2 * page)?;
    let prot = libc::PROT_READ;
    let flags = libc::MAP_SHARED;
    // SAFETY: a fresh mapping chosen by the kernel aliases no Rust memory.
    let r = unsafe {
        #[cfg(any(target_arch = "x86", target_arch = "arm", target_arch = "mips"))]
        {
            syscall!(nr::mmap2, 0usize, page as usize, prot, flags, f.0, 2usize)
        }
        #[cfg(target_arch = "s390x")]
        {
            let args: [u64; 6] = [0, page, prot as u64, flags as u64, f.0 as u64, 2 * page];
            syscall!(nr::mmap, args.as_ptr())
        }
        #[cfg(not(any(
            target_arch = "x86",
            target_arch = "arm",
            target_arch = "mips",
            target_arch = "s390x"
        )))]
        {
            syscall!(nr::mmap, 0usize, page as usize, prot, flags, f.0, 2 * page)
        }
    };
    let addr = ok(r, "mmap failed")?;
    // SAFETY: the mapping is readable and at least 11 bytes long.
    let bytes = unsafe { core::slice::from_raw_parts(addr as *const u8, 11) };
    let same = bytes == b"third page!";
    ok(
        // SAFETY: unmapping the mapping made above, which nothing else references.
        unsafe { syscall!(nr::munmap, addr, page as usize) },
        "munmap failed",
    )?;
    ensure(same, "mmap at offset 2 pages mapped other contents")
}

fn pwrite_pread_above_4_gib() -> Result<(), &'static str> {
    let f = temp_file()?;
    let off = 5 * GIB + 123;
    pwrite(&f, b"far away", off)?;
    ensure(
        file_size(&f)? == off + 8,
        "pwrite64 above 4 GiB wrote at the wrong offset",
    )?;
    let mut buf = [0u8; 8];
    ensure(
        pread(&f, &mut buf, off)? == 8 && &buf == b"far away",
        "pread64 above 4 GiB",
    )?;
    // The low 32 bits of the offset alone must see nothing there.
    let n = pread(&f, &mut buf, off & 0xffff_ffff)?;
    ensure(
        n == 8 && buf == [0; 8],
        "pread64 ignored the high word of the offset",
    )
}

fn fallocate_above_4_gib_sets_the_size() -> Result<(), &'static str> {
    let f = temp_file()?;
    let off = 4 * GIB + 4096;
    let len = GIB + 8192;
    // SAFETY: fallocate takes integers only.
    let r = unsafe { syscall!(nr::fallocate, f.0, 0, off, len) };
    match r {
        Ok(_) => ensure(file_size(&f)? == off + len, "fallocate gave the wrong size"),
        Err(e) if e == Errno::EOPNOTSUPP => Err("fallocate not supported by /tmp's filesystem"),
        Err(_) => Err("fallocate failed"),
    }
}

fn ftruncate_above_4_gib_sets_the_size() -> Result<(), &'static str> {
    let f = temp_file()?;
    let len = 6 * GIB + 1;
    // SAFETY: ftruncate takes integers only.
    #[cfg(target_pointer_width = "32")]
    let r = unsafe { syscall!(nr::ftruncate64, f.0, len) };
    // SAFETY: as above.
    #[cfg(target_pointer_width = "64")]
    let r = unsafe { syscall!(nr::ftruncate, f.0, len) };
    ok(r, "ftruncate failed")?;
    ensure(
        file_size(&f)? == len,
        "ftruncate above 4 GiB gave the wrong size",
    )
}

fn errors_decode_to_the_right_errno() -> Result<(), &'static str> {
    let missing = b"/nonexistent-libsys/file\0";
    // SAFETY: NUL-terminated path.
    let r = unsafe { syscall!(nr::openat, AT_FDCWD, missing.as_ptr(), libc::O_RDONLY, 0u32) };
    ensure(
        r.map_err(Errno::raw) == Err(libc::ENOENT),
        "openat of a missing file: not ENOENT",
    )?;
    // SAFETY: closing an invalid descriptor touches nothing.
    let r = unsafe { syscall_readonly!(nr::close, -1) };
    ensure(
        r.map_err(Errno::raw) == Err(libc::EBADF),
        "close(-1): not EBADF",
    )?;
    let (_r, w) = pipe()?;
    // SAFETY: the kernel checks the bad pointer and returns EFAULT without writing.
    let r = unsafe { syscall!(nr::write, w.0, 8usize as *const u8, 1usize) };
    ensure(
        r.map_err(Errno::raw) == Err(libc::EFAULT),
        "write from address 8: not EFAULT",
    )?;
    // SAFETY: as above.
    let r = unsafe { syscall!(nr::write, i32::MAX, b"x".as_ptr(), 1usize) };
    ensure(
        r.map_err(Errno::raw) == Err(libc::EBADF),
        "write to an unused fd: not EBADF",
    )?;
    // (Not "/": qemu-user answers EISDIR there where the kernel says EEXIST.)
    let null = b"/dev/null\0";
    let flags = libc::O_RDONLY | libc::O_CREAT | libc::O_EXCL;
    // SAFETY: NUL-terminated path.
    let r = unsafe { syscall!(nr::openat, AT_FDCWD, null.as_ptr(), flags, 0u32) };
    ensure(
        r.map_err(Errno::raw) == Err(libc::EEXIST),
        "O_EXCL on /dev/null: not EEXIST",
    )?;
    let notdir = b"/dev/null/x\0";
    // SAFETY: NUL-terminated path.
    let r = unsafe { syscall!(nr::openat, AT_FDCWD, notdir.as_ptr(), libc::O_RDONLY, 0u32) };
    ensure(
        r.map_err(Errno::raw) == Err(libc::ENOTDIR),
        "path under /dev/null: not ENOTDIR",
    )?;
    // A number no kernel assigns: above every table (mips n32's end below 7000) and below arm's
    // private range 0xf0000, where an unknown number outside 0xf0000..=0xf07ff raises SIGILL
    // instead of failing with ENOSYS (arch/arm/kernel/traps.c, `arm_syscall`).
    // SAFETY: an unassigned syscall does nothing but fail.
    let r = unsafe { syscall!(99_999usize, 0) };
    ensure(
        r.map_err(Errno::raw) == Err(libc::ENOSYS),
        "unassigned syscall: not ENOSYS",
    )?;
    let mut two = [0i32; 2];
    // SAFETY: pipe2 with invalid flags fails before writing.
    let r = unsafe { syscall!(nr::pipe2, two.as_mut_ptr(), -1) };
    ensure(
        r.map_err(Errno::raw) == Err(libc::EINVAL),
        "pipe2 with bad flags: not EINVAL",
    )
}

/// Forks with `clone(SIGCHLD)`, the child leaves through `exit_group(42)` (a `noreturn` call)
/// and the parent reads 42 from `wait4`.
fn noreturn_exit_group_in_a_child() -> Result<(), &'static str> {
    let sigchld = kernel::SIGCHLD as usize;
    // SAFETY: a fork-like clone (no CLONE_VM): the child gets a copy of memory and only makes
    // raw system calls before it exits.
    let pid = unsafe {
        #[cfg(target_arch = "s390x")]
        {
            syscall!(nr::clone, 0usize, sigchld, 0usize, 0usize, 0usize)
        }
        #[cfg(not(target_arch = "s390x"))]
        {
            syscall!(nr::clone, sigchld, 0usize, 0usize, 0usize, 0usize)
        }
    };
    let pid = ok(pid, "clone failed")?;
    if pid == 0 {
        // SAFETY: exit_group ends the child.
        unsafe { syscall_noreturn!(nr::exit_group, 42) }
    }
    let mut status: i32 = 0;
    // SAFETY: `status` is valid for writes of an int.
    let r = unsafe { syscall!(nr::wait4, pid, &mut status, 0, 0usize) };
    ensure(ok(r, "wait4 failed")? == pid, "wait4 returned another pid")?;
    ensure(
        status & 0x7f == 0 && (status >> 8) & 0xff == 42,
        "child did not exit with 42",
    )
}
