//! Wrappers declared with `#[syscall]`/`#[syscalls]`, checked against std and the host libc as
//! oracles: the same bytes, sizes, descriptors and errno values.
//!
//! Portable to every architecture `tools/cross-test.sh` runs: flags come from the libc crate
//! (they differ on mips), and what differs by architecture (`ftruncate64` on 32-bit targets) is
//! declared under `cfg`. Facts: the man pages of each call (section 2).

use core::ffi::CStr;
use libsys::{Arg, Errno, FromRet, syscall, syscalls};
use std::ffi::CString;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, FromRawFd, OwnedFd, RawFd};
use std::os::unix::ffi::OsStrExt;

/// Open flags as a newtype: passed through its own `Arg` impl.
#[derive(Clone, Copy)]
struct OFlags(i32);

impl Arg for OFlags {
    fn into_bits(self) -> u64 {
        self.0.into_bits()
    }
}

/// A thread id, converted through its own `FromRet` impl.
#[derive(Debug, PartialEq)]
struct Tid(i32);

impl FromRet for Tid {
    unsafe fn from_ret(value: usize) -> Self {
        Tid(value as i32)
    }
}

/// Opens a file relative to a directory.
#[syscall]
unsafe fn openat(
    dirfd: BorrowedFd<'_>,
    path: &CStr,
    flags: OFlags,
    mode: u32,
) -> Result<OwnedFd, Errno>;

/// `read(2)` with a raw descriptor.
#[syscall(name = "read")]
unsafe fn read_raw(fd: RawFd, buf: &mut [u8]) -> Result<usize, Errno>;

/// `write(2)` from a raw pointer, to see the kernel's EFAULT.
#[syscall(name = "write", readonly)]
unsafe fn write_ptr(fd: RawFd, buf: *const u8, len: usize) -> Result<usize, Errno>;

#[syscall(readonly)]
unsafe fn close(fd: RawFd) -> Result<(), Errno>;

#[syscall]
unsafe fn pipe2(fds: &mut [RawFd; 2], flags: i32) -> Result<(), Errno>;

#[syscall]
unsafe fn dup(fd: BorrowedFd<'_>) -> Result<OwnedFd, Errno>;

#[syscall]
unsafe fn dup3(old: BorrowedFd<'_>, new: RawFd, flags: i32) -> Result<RawFd, Errno>;

// Only `F_GETFD`, which writes nothing: `readonly` on a multiplexer is the declaration's own
// promise (`unchecked`), since some of its commands write.
#[syscall(readonly, unchecked)]
unsafe fn fcntl(fd: BorrowedFd<'_>, cmd: i32, arg: usize) -> Result<i32, Errno>;

#[syscall]
unsafe fn pread64(fd: BorrowedFd<'_>, buf: &mut [u8], offset: u64) -> Result<usize, Errno>;

#[syscall(readonly)]
unsafe fn pwrite64(fd: BorrowedFd<'_>, buf: &[u8], offset: u64) -> Result<usize, Errno>;

#[syscall]
unsafe fn fallocate(fd: BorrowedFd<'_>, mode: i32, offset: u64, len: u64) -> Result<(), Errno>;

/// `ftruncate(2)`: a 64-bit length is `ftruncate64` on 32-bit architectures.
#[cfg(target_pointer_width = "64")]
#[syscall]
unsafe fn ftruncate(fd: BorrowedFd<'_>, len: u64) -> Result<(), Errno>;
/// `ftruncate(2)`: a 64-bit length is `ftruncate64` on 32-bit architectures.
#[cfg(target_pointer_width = "32")]
#[syscall(name = "ftruncate64")]
unsafe fn ftruncate(fd: BorrowedFd<'_>, len: u64) -> Result<(), Errno>;

#[syscall]
unsafe fn statx(
    dirfd: BorrowedFd<'_>,
    path: &CStr,
    flags: i32,
    mask: u32,
    buf: &mut [u64; 32],
) -> Result<(), Errno>;

#[syscall(readonly)]
unsafe fn faccessat(dirfd: BorrowedFd<'_>, path: &CStr, mode: i32) -> Result<(), Errno>;

/// `utimensat(fd, NULL, NULL, 0)` sets the times of `fd` itself to now.
#[syscall]
unsafe fn utimensat(
    dirfd: BorrowedFd<'_>,
    path: Option<&CStr>,
    times: Option<&[u64; 4]>,
    flags: i32,
) -> Result<(), Errno>;

#[syscall]
unsafe fn getcwd(buf: &mut [u8]) -> Result<usize, Errno>;

#[syscall]
unsafe fn readlinkat(dirfd: BorrowedFd<'_>, path: &CStr, buf: &mut [u8]) -> Result<usize, Errno>;

#[syscall]
unsafe fn uname(buf: &mut libc::utsname) -> Result<(), Errno>;

#[syscall(readonly)]
unsafe fn kill(pid: i32, sig: i32) -> Result<(), Errno>;

#[syscall(readonly)]
unsafe fn getppid() -> u32;

/// `mseal(2)` (Linux 6.10) by number: 462 in the common table, offset on mips.
#[syscall(nr(
    x86_64 = 462,
    x86 = 462,
    aarch64 = 462,
    arm = 462,
    riscv64 = 462,
    powerpc64 = 462,
    s390x = 462,
    loongarch64 = 462,
    mips = 4462,
    mips64 = 5462
))]
unsafe fn mseal(addr: *mut u8, len: usize, flags: usize) -> Result<(), Errno>;

#[syscall]
unsafe fn exit_group(code: i32) -> !;

/// Declarations in an inherent `impl` block.
struct Thread;

impl Thread {
    /// The caller's thread id.
    #[syscall(readonly)]
    unsafe fn gettid() -> Tid;
}

#[syscalls]
unsafe extern "C" {
    /// The caller's process id: cannot fail, touches no memory.
    #[syscall(readonly)]
    safe fn getpid() -> u32;
    /// Reads into a buffer the caller owns.
    safe fn read(fd: BorrowedFd<'_>, buf: &mut [u8]) -> Result<usize, Errno>;
    /// Writes from a buffer the caller owns.
    #[syscall(readonly)]
    safe fn write(fd: BorrowedFd<'_>, buf: &[u8]) -> Result<usize, Errno>;
    /// Fills a buffer with random bytes.
    safe fn getrandom(buf: &mut [u8], flags: u32) -> Result<usize, Errno>;
    /// Not `safe`: an `unsafe fn`, as closing a descriptor someone owns is unsound.
    #[syscall(name = "close", readonly)]
    fn close_in_block(fd: RawFd) -> Result<(), Errno>;
}

const GIB: u64 = 1 << 30;

fn cstring(path: &std::path::Path) -> CString {
    CString::new(path.as_os_str().as_bytes()).unwrap()
}

/// A fresh, already unlinked file in the temp directory, opened read-write.
fn temp_file(tag: &str) -> OwnedFd {
    let path = std::env::temp_dir().join(format!("libsys-declared-{}-{tag}", std::process::id()));
    let c = cstring(&path);
    // O_LARGEFILE: 32-bit architectures refuse offsets above 2 GiB without it (EFBIG).
    let flags = libc::O_RDWR | libc::O_CREAT | libc::O_EXCL | libc::O_CLOEXEC | libc::O_LARGEFILE;
    let flags = OFlags(flags);
    // SAFETY: a NUL-terminated path; the descriptor returned is new and ours.
    let fd = unsafe { openat(libsys::fd::cwd(), &c, flags, 0o600) }.unwrap();
    std::fs::remove_file(&path).unwrap();
    fd
}

fn pipe() -> (OwnedFd, OwnedFd) {
    let mut fds = [-1; 2];
    // SAFETY: pipe2 writes two descriptors into `fds`, which we then own.
    unsafe { pipe2(&mut fds, libc::O_CLOEXEC) }.unwrap();
    // SAFETY: both descriptors are new and owned by nobody else.
    unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) }
}

fn size_of_fd(fd: BorrowedFd<'_>) -> u64 {
    std::fs::File::from(fd.try_clone_to_owned().unwrap())
        .metadata()
        .unwrap()
        .len()
}

#[test]
fn openat_returns_an_owned_fd_that_reads_what_std_wrote() {
    let path = std::env::temp_dir().join(format!("libsys-declared-{}-open", std::process::id()));
    std::fs::write(&path, b"written by std").unwrap();
    // SAFETY: NUL-terminated path; the descriptor is new.
    let fd = unsafe {
        openat(
            libsys::fd::cwd(),
            &cstring(&path),
            OFlags(libc::O_RDONLY | libc::O_CLOEXEC),
            0,
        )
    };
    std::fs::remove_file(&path).unwrap();
    let fd = fd.unwrap();
    let mut buf = [0u8; 64];
    let n = read(fd.as_fd(), &mut buf).unwrap();
    assert_eq!(&buf[..n], b"written by std");
    // SAFETY: `buf` is valid for writes of its length, `fd` stays open.
    let n = unsafe { read_raw(fd.as_raw_fd(), &mut buf) };
    assert_eq!(n, Ok(0), "at end of file");
}

#[test]
fn openat_errors_match_libc() {
    let cases: [(&CStr, i32, i32); 3] = [
        (c"/nonexistent-libsys/file", libc::O_RDONLY, libc::ENOENT),
        (c"/dev/null/x", libc::O_RDONLY, libc::ENOTDIR),
        // (qemu-user answers EISDIR for `/`, so an existing non-directory.)
        (
            c"/dev/null",
            libc::O_RDONLY | libc::O_CREAT | libc::O_EXCL,
            libc::EEXIST,
        ),
    ];
    for (path, flags, errno) in cases {
        // SAFETY: NUL-terminated paths; none of them opens anything.
        let ours = unsafe { openat(libsys::fd::cwd(), path, OFlags(flags), 0) }.unwrap_err();
        // SAFETY: the same call through libc, the oracle.
        let theirs = unsafe { libc::openat(libc::AT_FDCWD, path.as_ptr(), flags, 0) };
        assert_eq!(theirs, -1);
        let libc_errno = std::io::Error::last_os_error().raw_os_error();
        assert_eq!(
            (ours.raw(), Some(ours.raw())),
            (errno, libc_errno),
            "{path:?}"
        );
    }
}

#[test]
fn slices_pass_pointer_and_length_through_a_pipe() {
    let (r, w) = pipe();
    assert_eq!(write(w.as_fd(), b"libsys declared"), Ok(15));
    let mut buf = [0u8; 8];
    assert_eq!(
        read(r.as_fd(), &mut buf),
        Ok(8),
        "the length limits the read"
    );
    assert_eq!(&buf, b"libsys d");
    assert_eq!(read(r.as_fd(), &mut buf[..3]), Ok(3));
    assert_eq!(&buf[..3], b"ecl");
}

#[test]
fn pipe2_flags_reach_the_kernel() {
    let (r, _w) = pipe();
    // SAFETY: F_GETFD reads the descriptor flags only.
    let flags = unsafe { fcntl(r.as_fd(), libc::F_GETFD, 0) }.unwrap();
    assert_eq!(flags & libc::FD_CLOEXEC, libc::FD_CLOEXEC);
}

#[test]
fn dup_and_dup3_give_descriptors_to_the_same_pipe() {
    let (r, w) = pipe();
    // SAFETY: dup returns a new descriptor that we own.
    let w2 = unsafe { dup(w.as_fd()) }.unwrap();
    assert_ne!(w2.as_raw_fd(), w.as_raw_fd());
    write(w2.as_fd(), b"via dup").unwrap();
    let target = temp_file("dup3-target");
    // SAFETY: `target` is ours; dup3 atomically replaces it with a copy of `w`.
    let same = unsafe { dup3(w.as_fd(), target.as_raw_fd(), libc::O_CLOEXEC) }.unwrap();
    assert_eq!(same, target.as_raw_fd());
    write(target.as_fd(), b" and dup3").unwrap();
    let mut buf = [0u8; 32];
    let n = read(r.as_fd(), &mut buf).unwrap();
    assert_eq!(&buf[..n], b"via dup and dup3");
    // SAFETY: dup3 onto itself fails without touching anything.
    let e = unsafe { dup3(w.as_fd(), w.as_raw_fd(), 0) }.unwrap_err();
    assert_eq!(e.raw(), libc::EINVAL);
}

#[test]
fn pread64_and_pwrite64_reach_offsets_above_4_gib() {
    let f = temp_file("pwrite");
    let off = 5 * GIB + 123;
    // SAFETY: the slice is valid for reads.
    assert_eq!(unsafe { pwrite64(f.as_fd(), b"far away", off) }, Ok(8));
    assert_eq!(
        size_of_fd(f.as_fd()),
        off + 8,
        "std sees the size the offset implies"
    );
    let mut buf = [0u8; 8];
    // SAFETY: the slice is valid for writes.
    assert_eq!(unsafe { pread64(f.as_fd(), &mut buf, off) }, Ok(8));
    assert_eq!(&buf, b"far away");
    // The low 32 bits alone point into the hole.
    // SAFETY: as above.
    let n = unsafe { pread64(f.as_fd(), &mut buf, off & 0xffff_ffff) };
    assert_eq!(n, Ok(8));
    assert_eq!(buf, [0; 8]);
    let mut theirs = [0u8; 8];
    // SAFETY: libc's pread64 with the same arguments, the oracle.
    let n = unsafe { libc::pread64(f.as_raw_fd(), theirs.as_mut_ptr().cast(), 8, off as i64) };
    assert_eq!((n, &theirs), (8, b"far away"));
}

#[test]
fn fallocate_and_ftruncate_take_64_bit_lengths() {
    let f = temp_file("fallocate");
    let (off, len) = (4 * GIB + 4096, GIB + 8192);
    // SAFETY: integers only.
    match unsafe { fallocate(f.as_fd(), 0, off, len) } {
        Ok(()) => assert_eq!(size_of_fd(f.as_fd()), off + len),
        Err(e) => assert_eq!(e.raw(), libc::EOPNOTSUPP, "fallocate failed: {e}"),
    }
    let len = 6 * GIB + 1;
    // SAFETY: integers only.
    unsafe { ftruncate(f.as_fd(), len) }.unwrap();
    assert_eq!(size_of_fd(f.as_fd()), len);
}

#[test]
fn statx_of_a_file_matches_std_metadata() {
    let path = std::env::temp_dir().join(format!("libsys-declared-{}-statx", std::process::id()));
    std::fs::write(&path, vec![7u8; 12345]).unwrap();
    let mut stx = [0u64; 32];
    const STATX_SIZE: u32 = 0x200;
    // SAFETY: NUL-terminated path; `stx` has room for `struct statx` (256 bytes).
    let r = unsafe { statx(libsys::fd::cwd(), &cstring(&path), 0, STATX_SIZE, &mut stx) };
    let meta = std::fs::metadata(&path).unwrap();
    std::fs::remove_file(&path).unwrap();
    r.unwrap();
    assert_eq!(stx[5], meta.len(), "stx_size is at byte 40");
}

#[test]
fn faccessat_reports_existence_like_libc() {
    for path in [c"/", c"/nonexistent-libsys"] {
        // SAFETY: NUL-terminated path.
        let ours = unsafe { faccessat(libsys::fd::cwd(), path, libc::F_OK) }.map_err(Errno::raw);
        // SAFETY: the same through libc.
        let theirs = unsafe { libc::faccessat(libc::AT_FDCWD, path.as_ptr(), libc::F_OK, 0) };
        let theirs = if theirs == 0 {
            Ok(())
        } else {
            Err(std::io::Error::last_os_error().raw_os_error().unwrap())
        };
        assert_eq!(ours, theirs, "{path:?}");
    }
}

#[test]
fn optional_arguments_pass_null() {
    let f = temp_file("utimensat");
    let old = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000);
    let file = std::fs::File::from(f.try_clone().unwrap());
    file.set_modified(old).unwrap();
    // SAFETY: a null path means `f` itself; null times mean now.
    unsafe { utimensat(f.as_fd(), None, None, 0) }.unwrap();
    let modified = file.metadata().unwrap().modified().unwrap();
    assert!(
        modified > old + std::time::Duration::from_secs(3600),
        "times were set to now"
    );
    // A path given as `Some`:
    // SAFETY: NUL-terminated path that does not exist.
    let e = unsafe { utimensat(libsys::fd::cwd(), Some(c"/nonexistent-libsys"), None, 0) };
    assert_eq!(e.map_err(Errno::raw), Err(libc::ENOENT));
}

#[test]
fn getcwd_and_readlinkat_match_std() {
    let mut buf = [0u8; 4096];
    // SAFETY: `buf` is valid for writes of its length.
    let n = unsafe { getcwd(&mut buf) }.unwrap();
    let cwd = std::env::current_dir().unwrap();
    assert_eq!(
        &buf[..n - 1],
        cwd.as_os_str().as_bytes(),
        "getcwd counts the NUL"
    );
    // SAFETY: as above.
    let e = unsafe { getcwd(&mut buf[..1]) }.unwrap_err();
    assert_eq!(e.raw(), libc::ERANGE);
    // SAFETY: as above; readlinkat does not NUL-terminate.
    let n = unsafe { readlinkat(libsys::fd::cwd(), c"/proc/self/exe", &mut buf) }.unwrap();
    assert_eq!(
        &buf[..n],
        std::fs::read_link("/proc/self/exe")
            .unwrap()
            .as_os_str()
            .as_bytes()
    );
}

#[test]
fn uname_fills_a_libc_struct_like_libc() {
    // SAFETY: utsname is plain bytes; all zeroes is valid.
    let mut ours: libc::utsname = unsafe { core::mem::zeroed() };
    // SAFETY: `ours` is valid for writes of a whole `struct utsname`.
    unsafe { uname(&mut ours) }.unwrap();
    // SAFETY: as above.
    let mut theirs: libc::utsname = unsafe { core::mem::zeroed() };
    // SAFETY: libc's uname with the same buffer type, the oracle.
    assert_eq!(unsafe { libc::uname(&mut theirs) }, 0);
    assert_eq!(ours.sysname, theirs.sysname);
    assert_eq!(ours.release, theirs.release);
    assert_eq!(ours.machine, theirs.machine);
}

#[test]
fn process_ids_match_std() {
    assert_eq!(getpid(), std::process::id());
    // SAFETY: getppid cannot fail and writes nothing.
    assert_eq!(unsafe { getppid() }, std::os::unix::process::parent_id());
    // SAFETY: gettid cannot fail and writes nothing.
    let tid = unsafe { Thread::gettid() };
    // SAFETY: libc's gettid, the oracle.
    assert_eq!(tid, Tid(unsafe { libc::gettid() }));
}

#[test]
fn kill_with_signal_zero_probes_processes() {
    // SAFETY: signal 0 sends nothing.
    assert_eq!(unsafe { kill(getpid() as i32, 0) }, Ok(()));
    // SAFETY: as above; no process has this id.
    let e = unsafe { kill(i32::MAX, 0) }.unwrap_err();
    assert_eq!(e.raw(), libc::ESRCH);
}

#[test]
fn errors_decode_to_libc_errno_values() {
    // SAFETY: closing a descriptor that does not exist touches nothing.
    assert_eq!(unsafe { close(-1) }.map_err(Errno::raw), Err(libc::EBADF));
    // SAFETY: as above.
    let r = unsafe { close_in_block(-1) };
    assert_eq!(r.map_err(Errno::raw), Err(libc::EBADF));
    let (_r, w) = pipe();
    // SAFETY: the kernel checks the bad pointer and fails without reading.
    let e = unsafe { write_ptr(w.as_raw_fd(), 8usize as *const u8, 1) }.unwrap_err();
    assert_eq!(e.raw(), libc::EFAULT);
    let e = getrandom(&mut [0u8; 4], u32::MAX).unwrap_err();
    assert_eq!(e.raw(), libc::EINVAL);
    let fd = temp_file("close");
    // SAFETY: closes a descriptor we own, and then forget.
    assert_eq!(unsafe { close(fd.as_raw_fd()) }, Ok(()));
    core::mem::forget(fd);
}

#[test]
fn getrandom_fills_the_whole_slice() {
    let mut a = [0u8; 64];
    let mut b = [0u8; 64];
    assert_eq!(getrandom(&mut a, 0), Ok(64));
    assert_eq!(getrandom(&mut b, 0), Ok(64));
    assert_ne!(a, b);
}

#[test]
fn a_number_given_per_architecture_reaches_the_kernel() {
    // mseal with unknown flags: EINVAL from a kernel that has it; ENOSYS from an older kernel
    // or an emulator that does not know the number; EPERM where seccomp forbids it.
    // SAFETY: invalid flags make the call fail before it seals anything.
    let e = unsafe { mseal(core::ptr::null_mut(), 0, usize::MAX) }.unwrap_err();
    assert!(
        [libc::EINVAL, libc::ENOSYS, libc::EPERM].contains(&e.raw()),
        "{e:?}"
    );
}

#[test]
fn exit_group_ends_a_forked_child_with_its_code() {
    // SAFETY: the child only makes the exit_group system call.
    let pid = unsafe { libc::fork() };
    assert!(pid >= 0, "fork failed");
    if pid == 0 {
        // SAFETY: ends the child, which owns nothing that needs cleaning up.
        unsafe { exit_group(42) }
    }
    let mut status = 0;
    // SAFETY: `status` is valid for writes.
    assert_eq!(unsafe { libc::waitpid(pid, &mut status, 0) }, pid);
    assert!(libc::WIFEXITED(status));
    assert_eq!(libc::WEXITSTATUS(status), 42);
}
