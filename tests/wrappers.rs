//! Correct wrappers of the calls that are easy to get wrong, each checked against an oracle
//! (the kernel's own answer read back another way, std, or libc) on every target of the cross
//! matrix: what the kernel writes through a pointer inside an argument (`readv`, also in a
//! release build: `cargo test --release -p libsys --test wrappers`), a length before its pointer
//! (`sched_getaffinity`), a byte count (`getrandom`), 64-bit file offsets and 64-bit time on
//! 32-bit targets (a sparse file with a marker at 5 GiB, a 1000 s timer), 32-bit ids, and
//! `clone` in each architecture's own argument order.
//!
//! Which call to declare where is in docs/per-arch.md; the constants and structures come from
//! `libsys::uapi` (the kernel's uapi headers for the target). Nothing here depends on timing or
//! the scheduler: the timer is read back long before it could expire, and the child of `clone`
//! is waited for.

use core::ffi::c_ulong;
use libsys::uapi::general::{
    __kernel_itimerspec, __kernel_timespec, CLOCK_MONOTONIC, CLONE_CHILD_SETTID, CLONE_PIDFD,
    SEEK_SET, SIGCHLD, iovec, rusage,
};
use libsys::{Errno, syscall};
use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::os::unix::fs::FileExt;
use std::path::PathBuf;

// ---- declarations --------------------------------------------------------------------------

/// `readv(2)`: the kernel writes into the buffers the `iovec`s point at, so no `readonly`.
#[syscall]
unsafe fn readv(fd: BorrowedFd<'_>, vec: &[iovec]) -> Result<usize, Errno>;

/// `sched_getaffinity(2)` in the kernel's order: the length comes before the mask pointer (a
/// slice, pointer then length, would not fit). Returns the bytes the kernel wrote.
#[syscall]
unsafe fn sched_getaffinity(
    pid: i32,
    len: u32,
    user_mask_ptr: *mut c_ulong,
) -> Result<usize, Errno>;

/// `getrandom(2)`: a byte buffer, so the slice's length is the byte count.
#[syscall]
unsafe fn getrandom(buf: &mut [u8], flags: u32) -> Result<usize, Errno>;

/// `getrandom(2)` into wider elements: the kernel's length counts bytes, so the macro passes
/// the slice's size in bytes (`size_of_val`), not its number of elements.
#[syscall(name = "getrandom")]
unsafe fn getrandom_u64(buf: &mut [u64], flags: u32) -> Result<usize, Errno>;

/// `_llseek(2)` (the man page's `llseek`): the 64-bit seek of 32-bit architectures, the offset
/// in two words, the result written through a `loff_t *`.
#[cfg(target_pointer_width = "32")]
#[syscall]
unsafe fn _llseek(
    fd: BorrowedFd<'_>,
    offset_high: usize,
    offset_low: usize,
    result: &mut i64,
    whence: u32,
) -> Result<(), Errno>;

/// `lseek(2)`: `off_t` is 64 bits on 64-bit architectures.
#[cfg(target_pointer_width = "64")]
#[syscall]
unsafe fn lseek(fd: BorrowedFd<'_>, offset: i64, whence: u32) -> Result<u64, Errno>;

/// `ftruncate64`: a 64-bit length (a register pair) on 32-bit architectures.
#[cfg(target_pointer_width = "32")]
#[syscall]
unsafe fn ftruncate64(fd: BorrowedFd<'_>, length: u64) -> Result<(), Errno>;

/// `ftruncate(2)` with a 64-bit `off_t`.
#[cfg(target_pointer_width = "64")]
#[syscall]
unsafe fn ftruncate(fd: BorrowedFd<'_>, length: u64) -> Result<(), Errno>;

/// `sendfile64`: a `loff_t *` offset on 32-bit architectures (`sendfile`'s is an `off_t *`,
/// 32 bits there).
#[cfg(target_pointer_width = "32")]
#[syscall]
unsafe fn sendfile64(
    out_fd: BorrowedFd<'_>,
    in_fd: BorrowedFd<'_>,
    offset: Option<&mut i64>,
    count: usize,
) -> Result<usize, Errno>;

/// `sendfile(2)`: the kernel's `sendfile64` with a 64-bit offset on 64-bit architectures.
#[cfg(target_pointer_width = "64")]
#[syscall]
unsafe fn sendfile(
    out_fd: BorrowedFd<'_>,
    in_fd: BorrowedFd<'_>,
    offset: Option<&mut i64>,
    count: usize,
) -> Result<usize, Errno>;

/// `pread64(2)`: a 64-bit offset everywhere (a register pair on 32-bit architectures).
#[syscall]
unsafe fn pread64(fd: BorrowedFd<'_>, buf: &mut [u8], pos: u64) -> Result<usize, Errno>;

#[syscall]
unsafe fn timerfd_create(clockid: u32, flags: i32) -> Result<OwnedFd, Errno>;

/// `timerfd_settime64`: the `__kernel_itimerspec` (64-bit time) form of 32-bit architectures.
#[cfg(target_pointer_width = "32")]
#[syscall]
unsafe fn timerfd_settime64(
    ufd: BorrowedFd<'_>,
    flags: i32,
    utmr: &__kernel_itimerspec,
    otmr: Option<&mut __kernel_itimerspec>,
) -> Result<(), Errno>;

/// `timerfd_gettime64`, its reading counterpart.
#[cfg(target_pointer_width = "32")]
#[syscall]
unsafe fn timerfd_gettime64(
    ufd: BorrowedFd<'_>,
    otmr: &mut __kernel_itimerspec,
) -> Result<(), Errno>;

/// `timerfd_settime(2)`: 64-bit time on 64-bit architectures.
#[cfg(target_pointer_width = "64")]
#[syscall]
unsafe fn timerfd_settime(
    ufd: BorrowedFd<'_>,
    flags: i32,
    utmr: &__kernel_itimerspec,
    otmr: Option<&mut __kernel_itimerspec>,
) -> Result<(), Errno>;

/// `timerfd_gettime(2)`.
#[cfg(target_pointer_width = "64")]
#[syscall]
unsafe fn timerfd_gettime(ufd: BorrowedFd<'_>, otmr: &mut __kernel_itimerspec)
-> Result<(), Errno>;

/// `getuid32`: x86's and arm's `getuid` is the old 16-bit call.
#[cfg(any(target_arch = "x86", target_arch = "arm"))]
#[syscall(readonly)]
unsafe fn getuid32() -> u32;

/// `getuid(2)`: 32-bit ids everywhere else.
#[cfg(not(any(target_arch = "x86", target_arch = "arm")))]
#[syscall(readonly)]
unsafe fn getuid() -> u32;

/// The uid as the kernel's 32-bit call gives it.
fn uid32() -> u32 {
    // SAFETY: no arguments, no memory touched.
    #[cfg(any(target_arch = "x86", target_arch = "arm"))]
    let uid = unsafe { getuid32() };
    // SAFETY: no arguments, no memory touched.
    #[cfg(not(any(target_arch = "x86", target_arch = "arm")))]
    let uid = unsafe { getuid() };
    uid
}

/// `clone(2)`, x86_64's and loongarch64's order: flags, stack, parent tid, child tid, tls.
#[cfg(any(target_arch = "x86_64", target_arch = "loongarch64"))]
#[syscall]
unsafe fn clone(
    clone_flags: usize,
    newsp: usize,
    parent_tidptr: *mut i32,
    child_tidptr: *mut i32,
    tls: usize,
) -> Result<i32, Errno>;

/// `clone(2)`, `CLONE_BACKWARDS` (x86, aarch64, arm, riscv64, powerpc64, mips): the tls before
/// the child tid.
#[cfg(any(
    target_arch = "x86",
    target_arch = "aarch64",
    target_arch = "arm",
    target_arch = "riscv64",
    target_arch = "powerpc64",
    target_arch = "mips",
    target_arch = "mips64"
))]
#[syscall]
unsafe fn clone(
    clone_flags: usize,
    newsp: usize,
    parent_tidptr: *mut i32,
    tls: usize,
    child_tidptr: *mut i32,
) -> Result<i32, Errno>;

/// `clone(2)`, s390x's `CLONE_BACKWARDS2`: the stack before the flags.
#[cfg(target_arch = "s390x")]
#[syscall]
unsafe fn clone(
    newsp: usize,
    clone_flags: usize,
    parent_tidptr: *mut i32,
    child_tidptr: *mut i32,
    tls: usize,
) -> Result<i32, Errno>;

/// `clone` with every pointer and word in this architecture's place.
///
/// # Safety
/// As `clone(2)`: without `CLONE_VM` and with a null stack the child is a copy of this process
/// that must only make system calls before it exits.
unsafe fn clone_here(
    flags: usize,
    parent_tid: *mut i32,
    child_tid: *mut i32,
) -> Result<i32, Errno> {
    // SAFETY: the caller's contract; the tid pointers are valid for writes.
    unsafe {
        #[cfg(any(target_arch = "x86_64", target_arch = "loongarch64"))]
        let r = clone(flags, 0, parent_tid, child_tid, 0);
        #[cfg(target_arch = "s390x")]
        let r = clone(0, flags, parent_tid, child_tid, 0);
        #[cfg(not(any(
            target_arch = "x86_64",
            target_arch = "loongarch64",
            target_arch = "s390x"
        )))]
        let r = clone(flags, 0, parent_tid, 0, child_tid);
        r
    }
}

#[syscall(readonly)]
unsafe fn gettid() -> i32;

#[syscall]
unsafe fn wait4(
    upid: i32,
    stat_addr: &mut i32,
    options: i32,
    ru: Option<&mut rusage>,
) -> Result<i32, Errno>;

#[syscall]
unsafe fn exit_group(error_code: i32) -> !;

// ---- helpers -------------------------------------------------------------------------------

/// 5 GiB: beyond 32-bit `off_t` (2 GiB) and beyond 32 bits (4 GiB).
const FAR: u64 = 5 << 30;
const MARKER: &[u8] = b"libsys marker at 5 GiB";

/// A file removed when dropped.
struct TempFile {
    path: PathBuf,
    file: File,
}

impl TempFile {
    fn new(name: &str) -> TempFile {
        let path =
            std::env::temp_dir().join(format!("libsys-wrappers-{}-{name}", std::process::id()));
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(true)
            .open(&path)
            .expect("create a temporary file");
        TempFile { path, file }
    }

    /// A sparse file with `MARKER` at `FAR`, written by std (`pwrite64`): the oracle.
    fn sparse(name: &str) -> TempFile {
        let t = TempFile::new(name);
        t.file.write_all_at(MARKER, FAR).expect("write at 5 GiB");
        t
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

// ---- tests ---------------------------------------------------------------------------------

#[test]
fn readv_without_readonly_fills_both_buffers_and_the_program_sees_the_new_bytes() {
    let (mut r, mut w) = std::io::pipe().expect("pipe");
    w.write_all(b"hello, world").expect("write to the pipe");
    let mut first = [b'.'; 5];
    let mut second = [b'.'; 7];
    // Read before the call, so that an optimiser that wrongly believed the call writes no
    // memory would reuse these values afterwards.
    assert_eq!((first[0], second[6]), (b'.', b'.'));
    let iov = [
        iovec {
            iov_base: first.as_mut_ptr().cast(),
            iov_len: first.len() as _,
        },
        iovec {
            iov_base: second.as_mut_ptr().cast(),
            iov_len: second.len() as _,
        },
    ];
    // SAFETY: each iovec points at a live buffer of its length; nothing else uses them.
    let n = unsafe { readv(r.as_fd(), &iov) }.expect("readv");
    assert_eq!(n, 12);
    assert_eq!(&first, b"hello");
    assert_eq!(&second, b", world");
    // The pipe is empty afterwards: the kernel consumed exactly what it wrote into the buffers.
    drop(w);
    let mut rest = Vec::new();
    r.read_to_end(&mut rest).expect("read the rest");
    assert!(rest.is_empty());
}

#[test]
fn sched_getaffinity_takes_the_length_before_the_mask_and_agrees_with_libc() {
    let mut mask: [c_ulong; 16] = [0; 16]; // 1024 CPUs, libc's cpu_set_t
    let len = core::mem::size_of_val(&mask) as u32;
    // SAFETY: `mask` is valid for writes of `len` bytes.
    let written =
        unsafe { sched_getaffinity(0, len, mask.as_mut_ptr()) }.expect("sched_getaffinity");
    assert!(written > 0 && written <= len as usize && written % size_of::<c_ulong>() == 0);

    // SAFETY: an all-zero cpu_set_t is valid; libc writes at most its size.
    let mut set: libc::cpu_set_t = unsafe { core::mem::zeroed() };
    // SAFETY: `set` is a valid cpu_set_t of the size passed.
    let rc = unsafe { libc::sched_getaffinity(0, size_of::<libc::cpu_set_t>(), &mut set) };
    assert_eq!(rc, 0, "libc::sched_getaffinity");
    let bits = written * 8;
    let word = c_ulong::BITS as usize;
    for cpu in 0..bits.min(libc::CPU_SETSIZE as usize) {
        let ours = mask[cpu / word] >> (cpu % word) & 1 == 1;
        // SAFETY: `cpu` is below CPU_SETSIZE.
        let theirs = unsafe { libc::CPU_ISSET(cpu, &set) };
        assert_eq!(ours, theirs, "cpu {cpu}");
    }
    assert!(mask.iter().any(|&w| w != 0), "this thread runs on some CPU");
}

#[test]
fn getrandom_fills_exactly_the_bytes_of_a_u8_slice() {
    let mut buf = [0x5au8; 40];
    // SAFETY: the first 32 bytes of `buf` are valid for writes.
    let n = unsafe { getrandom(&mut buf[..32], 0) }.expect("getrandom");
    assert_eq!(n, 32, "the count is in bytes");
    assert_eq!(&buf[32..], &[0x5a; 8], "nothing written past the slice");
    // 32 random bytes all equal to the fill value: probability 2^-256.
    assert_ne!(&buf[..32], &[0x5a; 32]);
}

#[test]
fn getrandom_into_u64_elements_passes_the_byte_count() {
    let mut buf = [0x5a5a_5a5a_5a5a_5a5au64; 5];
    // SAFETY: the first four elements of `buf` are valid for writes of 32 bytes.
    let n = unsafe { getrandom_u64(&mut buf[..4], 0) }.expect("getrandom");
    assert_eq!(
        n, 32,
        "four u64 elements are 32 bytes, which the kernel fills"
    );
    assert_eq!(
        buf[4], 0x5a5a_5a5a_5a5a_5a5a,
        "nothing written past the slice"
    );
    // Had the macro passed the element count (4), only the first 4 bytes would be random: the
    // last element keeping the fill value has probability 2^-64.
    assert_ne!(buf[3], 0x5a5a_5a5a_5a5a_5a5a, "the last element was filled");
}

#[test]
fn seek_to_5_gib_and_read_the_marker_there() {
    let t = TempFile::sparse("seek");
    #[cfg(target_pointer_width = "32")]
    {
        let mut pos = 0i64;
        // SAFETY: `pos` is valid for writes of a loff_t.
        unsafe {
            _llseek(
                t.file.as_fd(),
                (FAR >> 32) as usize,
                FAR as u32 as usize,
                &mut pos,
                SEEK_SET,
            )
        }
        .expect("_llseek");
        assert_eq!(pos as u64, FAR);
    }
    #[cfg(target_pointer_width = "64")]
    {
        // SAFETY: no memory is touched.
        let pos = unsafe { lseek(t.file.as_fd(), FAR as i64, SEEK_SET) }.expect("lseek");
        assert_eq!(pos, FAR);
    }
    // std reads at the descriptor's position: the kernel's offset is 5 GiB.
    let mut got = vec![0u8; MARKER.len()];
    (&t.file)
        .read_exact(&mut got)
        .expect("read at the position");
    assert_eq!(got, MARKER);
}

#[test]
fn truncate_to_a_64_bit_length_as_std_sees_it() {
    let t = TempFile::new("truncate");
    let len = FAR + 12345;
    // SAFETY: no memory is touched.
    #[cfg(target_pointer_width = "32")]
    unsafe { ftruncate64(t.file.as_fd(), len) }.expect("ftruncate64");
    // SAFETY: no memory is touched.
    #[cfg(target_pointer_width = "64")]
    unsafe { ftruncate(t.file.as_fd(), len) }.expect("ftruncate");
    assert_eq!(t.file.metadata().expect("metadata").len(), len);
}

#[test]
fn sendfile_from_a_64_bit_offset_copies_the_marker_and_advances_the_offset() {
    let t = TempFile::sparse("sendfile");
    let (mut r, w) = std::io::pipe().expect("pipe");
    let mut offset = FAR as i64;
    // SAFETY: `offset` is valid for reads and writes of a loff_t.
    #[cfg(target_pointer_width = "32")]
    let n = unsafe { sendfile64(w.as_fd(), t.file.as_fd(), Some(&mut offset), MARKER.len()) }
        .expect("sendfile64");
    // SAFETY: `offset` is valid for reads and writes of a loff_t.
    #[cfg(target_pointer_width = "64")]
    let n = unsafe { sendfile(w.as_fd(), t.file.as_fd(), Some(&mut offset), MARKER.len()) }
        .expect("sendfile");
    assert_eq!(n, MARKER.len());
    assert_eq!(offset as u64, FAR + MARKER.len() as u64);
    drop(w);
    let mut got = Vec::new();
    r.read_to_end(&mut got).expect("read the pipe");
    assert_eq!(got, MARKER);
}

#[test]
fn pread64_reads_the_marker_at_5_gib() {
    let t = TempFile::sparse("pread");
    let mut got = vec![0u8; MARKER.len() + 8];
    // SAFETY: `got` is valid for writes of its length.
    let n = unsafe { pread64(t.file.as_fd(), &mut got, FAR) }.expect("pread64");
    assert_eq!(n, MARKER.len(), "the file ends after the marker");
    assert_eq!(&got[..n], MARKER);
    // And 4 GiB lower (what a truncated offset would read) there is only the hole.
    // SAFETY: `got` is valid for writes of its length.
    let n = unsafe { pread64(t.file.as_fd(), &mut got, FAR - (4 << 30)) }.expect("pread64");
    assert_eq!(n, got.len());
    assert!(got.iter().all(|&b| b == 0));
}

#[test]
fn a_1000_s_timer_reads_back_between_990_and_1000_s() {
    // SAFETY: no memory is touched.
    let fd = unsafe { timerfd_create(CLOCK_MONOTONIC, 0) }.expect("timerfd_create");
    let zero = __kernel_timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    let new = __kernel_itimerspec {
        it_interval: zero,
        it_value: __kernel_timespec {
            tv_sec: 1000,
            tv_nsec: 0,
        },
    };
    let mut cur = __kernel_itimerspec {
        it_interval: zero,
        it_value: zero,
    };
    // SAFETY: `new` is valid for reads, `cur` for writes, of a __kernel_itimerspec.
    #[cfg(target_pointer_width = "32")]
    unsafe {
        timerfd_settime64(fd.as_fd(), 0, &new, None).expect("timerfd_settime64");
        timerfd_gettime64(fd.as_fd(), &mut cur).expect("timerfd_gettime64");
    }
    // SAFETY: `new` is valid for reads, `cur` for writes, of a __kernel_itimerspec.
    #[cfg(target_pointer_width = "64")]
    unsafe {
        timerfd_settime(fd.as_fd(), 0, &new, None).expect("timerfd_settime");
        timerfd_gettime(fd.as_fd(), &mut cur).expect("timerfd_gettime");
    }
    // A 32-bit timespec read or written as a 64-bit one (or the reverse) puts the seconds in
    // the wrong half or the nanoseconds in the seconds: never 990..1000 s and < 1 s of ns.
    let left = cur.it_value;
    assert!(
        (990..1000).contains(&left.tv_sec) && (0..1_000_000_000).contains(&left.tv_nsec),
        "{} s {} ns left",
        left.tv_sec,
        left.tv_nsec
    );
    assert_eq!((cur.it_interval.tv_sec, cur.it_interval.tv_nsec), (0, 0));
}

#[test]
fn the_32_bit_uid_call_agrees_with_libc() {
    // SAFETY: getuid touches no memory.
    assert_eq!(uid32(), unsafe { libc::getuid() });
}

#[test]
fn the_32_bit_uid_call_sees_a_uid_above_65535() {
    // SAFETY: geteuid touches no memory.
    if unsafe { libc::geteuid() } != 0 {
        eprintln!("not root: cannot take uid 100000 to compare; skipped");
        return;
    }
    // SAFETY: the child only makes system calls (setresuid, getuid) and leaves with _exit.
    let pid = unsafe { libc::fork() };
    assert!(pid >= 0, "fork");
    if pid == 0 {
        // SAFETY: in the forked child, single-threaded; setresuid touches no memory of ours.
        let ok = unsafe { libc::setresuid(100_000, 100_000, 100_000) } == 0
            && uid32() == 100_000
            // SAFETY: getuid touches no memory.
            && unsafe { libc::getuid() } == 100_000;
        // SAFETY: ends the child without running anything of the parent's.
        unsafe { libc::_exit(if ok { 0 } else { 1 }) };
    }
    let mut status = 0;
    // SAFETY: `status` is valid for writes.
    assert_eq!(unsafe { libc::waitpid(pid, &mut status, 0) }, pid);
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "status {status:#x}"
    );
}

#[test]
fn clone_in_this_architectures_order_writes_both_tid_words_and_the_child_exits_7() {
    // The parent's word (parent_tidptr) receives a pidfd of the child (CLONE_PIDFD; the kernel
    // and qemu-user both write it in the parent, where CLONE_PARENT_SETTID is written only in
    // the child's copy under qemu), the child's word (child_tidptr) the child's tid
    // (CLONE_CHILD_SETTID, in the child's copy of memory). A word in the wrong place is not
    // written, or a flag lands where a pointer was expected (EFAULT, EINVAL).
    let mut pidfd: i32 = -1;
    let mut child_tid: i32 = -1;
    let flags = (CLONE_PIDFD | CLONE_CHILD_SETTID | SIGCHLD) as usize;
    // SAFETY: a fork-like clone (no CLONE_VM, stack 0): the child makes only system calls and
    // exits; both pointers are valid for writes of an int.
    let pid = unsafe { clone_here(flags, &mut pidfd, &mut child_tid) }.expect("clone");
    if pid == 0 {
        // The child: its own tid must be in its copy of `child_tid`.
        // SAFETY: reads a live local; gettid touches no memory.
        let seen = unsafe { core::ptr::read_volatile(&child_tid) };
        // SAFETY: gettid touches no memory.
        let code = if seen == unsafe { gettid() } { 7 } else { 8 };
        // SAFETY: ends the child at once.
        unsafe { exit_group(code) };
    }
    assert!(pid > 0);
    // SAFETY: reads a live local.
    let pidfd = unsafe { core::ptr::read_volatile(&pidfd) };
    assert!(pidfd >= 0, "the pidfd word was not written: {pidfd}");
    // The pidfd refers to the child: its fdinfo names the child's pid.
    let info = std::fs::read_to_string(format!("/proc/self/fdinfo/{pidfd}")).expect("fdinfo");
    assert!(
        info.lines()
            .any(|l| l.split_whitespace().eq(["Pid:", &pid.to_string()])),
        "fdinfo of the pidfd:\n{info}"
    );
    let mut status = 0;
    // SAFETY: `status` is valid for writes; no rusage.
    assert_eq!(unsafe { wait4(pid, &mut status, 0, None) }, Ok(pid));
    assert!(libc::WIFEXITED(status), "status {status:#x}");
    assert_eq!(
        libc::WEXITSTATUS(status),
        7,
        "the child saw the wrong tid word (8) or failed"
    );
    // SAFETY: the pidfd is ours and closed once.
    unsafe { libc::close(pidfd) };
    // The parent's copy of `child_tid` was not written: the child's write went to its copy.
    assert_eq!(child_tid, -1);
}
