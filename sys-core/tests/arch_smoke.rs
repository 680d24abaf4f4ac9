//! Every arity of this architecture's inline-asm primitives (`arch/<arch>.rs`) against the
//! kernel, with std and the host libc as oracles.
//!
//! Each test makes a call whose effect depends on every argument register it uses (a wrong
//! register shows as a wrong result), and `values_live_across_every_arity_survive` checks that
//! no form corrupts a register it does not declare (the x86 `esi`/`ebp` swaps, the arm r7 save,
//! the powerpc64 volatile registers). Facts: `mmap(2)` (i386, arm and mips o32 use `mmap2`,
//! whose offset counts 4096-byte units; s390x's `mmap` takes a pointer to six words),
//! `mremap(2)`, `splice(2)`, `openat(2)`.

use std::hint::black_box;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::PermissionsExt;

use sys_core::call::{
    call0, call0_readonly, call1, call1_readonly, call2, call2_readonly, call3, call3_readonly,
    call4, call4_readonly, call5, call5_readonly, call6, call6_readonly,
};
use sys_core::{Errno, nr, syscall, syscall_readonly};

const AT_FDCWD: i32 = -100;

/// A path in the temporary directory unique to this test, removed when dropped.
struct TempPath(std::ffi::CString);

impl TempPath {
    fn new(tag: &str) -> Self {
        let p = std::env::temp_dir().join(format!("sys-core-arch-{}-{tag}", std::process::id()));
        let _ = std::fs::remove_file(&p);
        Self(std::ffi::CString::new(p.into_os_string().into_encoded_bytes()).unwrap())
    }

    fn path(&self) -> &std::path::Path {
        std::path::Path::new(std::ffi::OsStr::from_bytes(self.0.as_bytes()))
    }
}

impl Drop for TempPath {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(self.path());
    }
}

fn page_size() -> usize {
    // SAFETY: sysconf has no preconditions.
    let p = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    usize::try_from(p).unwrap()
}

fn pipe() -> (OwnedFd, OwnedFd) {
    let mut fds = [0i32; 2];
    // SAFETY: `fds` is valid for writes of two ints.
    unsafe { syscall!(nr::pipe2, fds.as_mut_ptr(), libc::O_CLOEXEC) }.unwrap();
    // SAFETY: pipe2 just returned these two descriptors, owned by nobody else.
    unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) }
}

/// `mmap` with a byte offset (a multiple of 4096): `mmap2` on i386, arm and mips o32.
///
/// # Safety
/// As `mmap(2)`: the mapping must not replace memory Rust uses.
#[cfg(all(target_pointer_width = "32", not(target_arch = "s390x")))]
unsafe fn mmap(a: usize, l: usize, p: i32, f: i32, fd: i32, off: usize) -> Result<usize, Errno> {
    assert_eq!(off % 4096, 0);
    // SAFETY: forwarded from the caller.
    unsafe { syscall!(nr::mmap2, a, l, p, f, fd, off / 4096) }
}

/// `mmap` with a byte offset: s390x's `mmap` reads its six arguments from memory.
///
/// # Safety
/// As `mmap(2)`: the mapping must not replace memory Rust uses.
#[cfg(target_arch = "s390x")]
unsafe fn mmap(a: usize, l: usize, p: i32, f: i32, fd: i32, off: usize) -> Result<usize, Errno> {
    let block = [a, l, p as usize, f as usize, fd as usize, off];
    // SAFETY: forwarded from the caller; `block` outlives the call.
    unsafe { syscall!(nr::mmap, block.as_ptr()) }
}

/// `mmap` with a byte offset.
///
/// # Safety
/// As `mmap(2)`: the mapping must not replace memory Rust uses.
#[cfg(all(target_pointer_width = "64", not(target_arch = "s390x")))]
unsafe fn mmap(a: usize, l: usize, p: i32, f: i32, fd: i32, off: usize) -> Result<usize, Errno> {
    // SAFETY: forwarded from the caller.
    unsafe { syscall!(nr::mmap, a, l, p, f, fd, off) }
}

#[test]
fn getpid_with_no_arguments_matches_libc() {
    // SAFETY: getpid writes no memory.
    let pid = unsafe { syscall_readonly!(nr::getpid) }.unwrap();
    // SAFETY: getpid has no preconditions.
    assert_eq!(pid as libc::pid_t, unsafe { libc::getpid() });
    // SAFETY: as above.
    assert_eq!(unsafe { call0(nr::getpid) }.value(), pid);
}

#[test]
fn close_of_an_invalid_fd_is_ebadf() {
    // SAFETY: closing a descriptor that does not exist touches nothing.
    let e = unsafe { syscall!(nr::close, -1) }.unwrap_err();
    assert_eq!(e, Errno::EBADF);
    assert_eq!(e.raw(), libc::EBADF);
    // SAFETY: as above.
    let e = unsafe { syscall_readonly!(nr::close, -1) }.unwrap_err();
    assert_eq!(e.raw(), libc::EBADF);
}

#[test]
fn openat_of_a_missing_file_is_enoent() {
    let path = c"/nonexistent-sys-core/missing";
    // SAFETY: NUL-terminated path; the call creates nothing.
    let e = unsafe { syscall!(nr::openat, AT_FDCWD, path.as_ptr(), libc::O_RDONLY, 0u32) };
    assert_eq!(e.unwrap_err().raw(), libc::ENOENT);
}

#[test]
fn write_then_read_round_trips_through_a_pipe() {
    let (r, w) = pipe();
    let msg = b"through the pipe";
    // SAFETY: `msg` is valid for reads of its length; `w` is ours.
    let n = unsafe { syscall_readonly!(nr::write, w.as_raw_fd(), msg.as_ptr(), msg.len()) };
    assert_eq!(n, Ok(msg.len()));
    let mut buf = [0u8; 32];
    // SAFETY: `buf` is valid for writes of its length; `r` is ours.
    let n = unsafe { syscall!(nr::read, r.as_raw_fd(), buf.as_mut_ptr(), buf.len()) }.unwrap();
    assert_eq!(&buf[..n], msg);
}

#[test]
fn four_args_create_a_file_with_the_given_mode() {
    let tmp = TempPath::new("mode");
    let flags = libc::O_RDWR | libc::O_CREAT | libc::O_EXCL | libc::O_CLOEXEC;
    // SAFETY: NUL-terminated path in the temporary directory.
    let fd = unsafe { syscall!(nr::openat, AT_FDCWD, tmp.0.as_ptr(), flags, 0o600u32) }.unwrap();
    // SAFETY: openat just returned this descriptor.
    drop(unsafe { OwnedFd::from_raw_fd(fd as i32) });
    let mode = std::fs::metadata(tmp.path()).unwrap().permissions().mode();
    // A umask never clears the owner's bits in practice; 0o600 is what any umask leaves.
    assert_eq!(mode & 0o777, 0o600, "mode {mode:o}");
}

#[test]
fn five_args_mremap_moves_a_mapping_to_the_fixed_address() {
    let page = page_size();
    let prot = libc::PROT_READ | libc::PROT_WRITE;
    let anon = libc::MAP_PRIVATE | libc::MAP_ANONYMOUS;
    // SAFETY: fresh anonymous mappings chosen by the kernel replace nothing.
    let (src, dst) = unsafe {
        (
            mmap(0, page, prot, anon, -1, 0),
            mmap(0, page, prot, anon, -1, 0),
        )
    };
    let (src, dst) = (src.unwrap(), dst.unwrap());
    // SAFETY: `src` is a fresh writable page of ours.
    unsafe { (src as *mut u64).write(0x5eed_cafe) };
    let flags = libc::MREMAP_MAYMOVE | libc::MREMAP_FIXED;
    // SAFETY: both pages are ours and nothing else refers to them; MREMAP_FIXED replaces `dst`.
    let moved = unsafe { syscall!(nr::mremap, src, page, page, flags, dst) }.unwrap();
    assert_eq!(moved, dst);
    // SAFETY: `dst` now holds the page that was at `src`.
    assert_eq!(unsafe { (dst as *const u64).read() }, 0x5eed_cafe);
    // SAFETY: the page is ours.
    unsafe { syscall!(nr::munmap, dst, page) }.unwrap();
}

#[test]
fn six_args_mmap_maps_the_file_page_at_the_offset() {
    let page = page_size();
    let tmp = TempPath::new("mmap");
    // Three pages 'a', 'b', 'c'; the third is mapped, so that the offset (2 pages, or 2 units
    // of `mmap2`) differs from every other argument.
    let mut data: Vec<u8> = [b'a', b'b', b'c']
        .iter()
        .flat_map(|&c| vec![c; page])
        .collect();
    data[2 * page..2 * page + 10].copy_from_slice(b"page three");
    std::fs::write(tmp.path(), &data).unwrap();
    let file = std::fs::File::open(tmp.path()).unwrap();
    let (prot, flags, fd) = (libc::PROT_READ, libc::MAP_SHARED, file.as_raw_fd());
    // SAFETY: a fresh shared read-only mapping chosen by the kernel replaces nothing.
    let addr = unsafe { mmap(0, page, prot, flags, fd, 2 * page) }.unwrap();
    // SAFETY: the mapping is `page` readable bytes until the munmap below.
    let mapped = unsafe { std::slice::from_raw_parts(addr as *const u8, page) };
    assert_eq!(mapped, &data[2 * page..]);
    // SAFETY: the mapping is ours and `mapped` is not used after this.
    unsafe { syscall!(nr::munmap, addr, page) }.unwrap();
}

#[test]
fn six_args_splice_writes_at_the_given_offset_and_checks_flags() {
    let (r, w) = pipe();
    let msg = b"spliced";
    // SAFETY: `msg` is valid for reads of its length.
    unsafe { syscall!(nr::write, w.as_raw_fd(), msg.as_ptr(), msg.len()) }.unwrap();
    let tmp = TempPath::new("splice");
    let file = std::fs::File::create_new(tmp.path()).unwrap();
    let mut off: i64 = 100;
    // SAFETY: `off` is valid for reads and writes of a loff_t; the null `off_in` is for the pipe.
    let n = unsafe {
        syscall!(
            nr::splice,
            r.as_raw_fd(),
            0usize,
            file.as_raw_fd(),
            &mut off,
            msg.len(),
            0u32
        )
    };
    assert_eq!(n, Ok(msg.len()));
    assert_eq!(off, 100 + msg.len() as i64);
    let content = std::fs::read(tmp.path()).unwrap();
    assert_eq!(&content[100..], msg);
    // An unknown flag in the sixth argument is EINVAL.
    // SAFETY: as above; the call fails before moving data.
    let e = unsafe {
        syscall!(
            nr::splice,
            r.as_raw_fd(),
            0usize,
            file.as_raw_fd(),
            &mut off,
            1usize,
            1u32 << 30
        )
    };
    assert_eq!(e.unwrap_err().raw(), libc::EINVAL);
}

/// Runs a loop that keeps ten values live in registers across `call` (more than any of these
/// architectures has argument registers), so a register that a primitive changes without
/// declaring it (the x86 `esi`/`ebp` swaps, the arm r7 save, the powerpc64 volatile registers)
/// changes the result.
#[inline(always)]
fn churn(call: impl Fn(usize) -> usize) -> [usize; 10] {
    let (mut v0, mut v1, mut v2, mut v3, mut v4) =
        black_box((1usize, 2usize, 3usize, 4usize, 5usize));
    let (mut v5, mut v6, mut v7, mut v8, mut v9) =
        black_box((6usize, 7usize, 8usize, 9usize, 10usize));
    for i in 0..black_box(32usize) {
        let r = call(v0 ^ i);
        v0 = v0.wrapping_mul(31).wrapping_add(v9 ^ r);
        v1 = v1.rotate_left(5) ^ v0;
        v2 = v2.wrapping_add(v1).wrapping_mul(7);
        v3 ^= v2.rotate_right(3);
        v4 = v4.wrapping_sub(v3) ^ i;
        v5 = v5.wrapping_add(v4.rotate_left(11));
        v6 ^= v5.wrapping_mul(13);
        v7 = v7.wrapping_add(v6) ^ v0;
        v8 = v8.rotate_left(7).wrapping_add(v7);
        v9 ^= v8.wrapping_add(v1);
    }
    [v0, v1, v2, v3, v4, v5, v6, v7, v8, v9]
}

/// `getpid` ignores its argument registers, so it can be made through every arity: the result
/// must still be the pid, and the values live across the call must be intact afterwards.
#[test]
fn values_live_across_every_arity_survive() {
    // SAFETY: getpid has no preconditions.
    let pid = unsafe { libc::getpid() } as usize;
    let expected = churn(|_| pid);
    macro_rules! check {
        ($($f:ident($($a:expr),*);)*) => {$(
            // SAFETY: getpid writes no memory and ignores its arguments.
            #[allow(unused_variables, reason = "call0 passes no argument")]
            let got = churn(|x| unsafe { $f(nr::getpid $(, $a(x))*) }.value());
            assert_eq!(got, expected, "{}", stringify!($f));
        )*};
    }
    let (p, q, s, t, u, w) = (
        |x: usize| x,
        |x: usize| !x,
        |x: usize| x ^ 0x55,
        |x: usize| x.wrapping_mul(3),
        |x: usize| x >> 1,
        |x: usize| x.rotate_left(9),
    );
    check! {
        call0(); call0_readonly();
        call1(p); call1_readonly(p);
        call2(p, q); call2_readonly(p, q);
        call3(p, q, s); call3_readonly(p, q, s);
        call4(p, q, s, t); call4_readonly(p, q, s, t);
        call5(p, q, s, t, u); call5_readonly(p, q, s, t, u);
        call6(p, q, s, t, u, w); call6_readonly(p, q, s, t, u, w);
    }
}
