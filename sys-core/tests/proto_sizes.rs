//! The pointee sizes of the generated prototype tables (`sys_core::proto`, from
//! `tools/gen-syscall-protos.py`'s per-architecture ABI model and linux-raw-sys) against the C
//! library's own types on the target as the oracle: `libc`'s `iovec`, `pollfd`,
//! `epoll_event`, `rusage`, … have the kernel's layout on every Linux target.

use core::mem::size_of;

use sys_core::proto::{self, Kind};

/// The size the table records for argument `arg` of system call `call` on this target.
fn pointee(call: &str, arg: &str) -> usize {
    let p = proto::by_name(call).unwrap_or_else(|| panic!("no system call `{call}` here"));
    let params = p
        .params()
        .unwrap_or_else(|| panic!("`{call}` has no prototype here"));
    let q = params
        .iter()
        .find(|q| q.name == arg)
        .unwrap_or_else(|| panic!("`{call}` has no argument `{arg}` here: {}", p.c()));
    assert!(
        matches!(q.kind, Kind::In | Kind::Out),
        "`{call}`'s `{arg}` is no pointer"
    );
    q.size
}

/// The C type of argument `arg` of `call` on this target.
fn ctype(call: &str, arg: &str) -> &'static str {
    let p = proto::by_name(call).expect("the call exists");
    let params = p.params().expect("the call has a prototype");
    params
        .iter()
        .find(|q| q.name == arg)
        .expect("the argument exists")
        .ctype
}

#[test]
fn iovec_arrays_count_libc_iovecs() {
    assert_eq!(pointee("readv", "vec"), size_of::<libc::iovec>());
    assert_eq!(
        pointee("process_vm_readv", "lvec"),
        size_of::<libc::iovec>()
    );
}

#[test]
fn poll_and_epoll_arrays_count_libc_structures() {
    assert_eq!(pointee("ppoll", "ufds"), size_of::<libc::pollfd>());
    // 12 bytes on x86_64 (packed) and i386 (u64 4-aligned), 16 elsewhere.
    assert_eq!(
        pointee("epoll_pwait", "events"),
        size_of::<libc::epoll_event>()
    );
}

#[test]
fn message_headers_match_libc() {
    assert_eq!(pointee("recvmsg", "msg"), size_of::<libc::msghdr>());
    assert_eq!(pointee("sendmmsg", "mmsg"), size_of::<libc::mmsghdr>());
}

#[test]
fn resource_structures_match_libc() {
    // musl pads `struct rusage`, `struct sysinfo` and `struct sched_param` with reserved space
    // of its own (272, 368 and 48 bytes on x86_64): there the kernel's uapi layout
    // (linux-raw-sys) is the oracle for rusage, and the other two are checked with glibc only.
    #[cfg(not(target_env = "musl"))]
    {
        assert_eq!(pointee("getrusage", "ru"), size_of::<libc::rusage>());
        assert_eq!(pointee("sysinfo", "info"), size_of::<libc::sysinfo>());
        assert_eq!(
            pointee("sched_setparam", "param"),
            size_of::<libc::sched_param>()
        );
    }
    #[cfg(target_env = "musl")]
    assert_eq!(
        pointee("getrusage", "ru"),
        size_of::<linux_raw_sys::general::rusage>()
    );
    assert_eq!(
        pointee("prlimit64", "old_rlim"),
        size_of::<libc::rlimit64>()
    );
    assert_eq!(pointee("uname", "name"), size_of::<libc::utsname>());
    assert_eq!(pointee("sigaltstack", "uss"), size_of::<libc::stack_t>());
    // libc's `timezone` is opaque: the kernel's is two C ints.
    assert_eq!(pointee("gettimeofday", "tz"), 2 * size_of::<libc::c_int>());
}

#[test]
fn siginfo_is_128_bytes_as_in_libc() {
    assert_eq!(pointee("waitid", "infop"), size_of::<libc::siginfo_t>());
    assert_eq!(pointee("rt_sigqueueinfo", "uinfo"), 128);
}

#[test]
fn clock_gettime_takes_the_time_of_its_own_width() {
    let size = pointee("clock_gettime", "tp");
    if ctype("clock_gettime", "tp").contains("old_timespec32") {
        // The 32-bit time_t form of the 32-bit architectures: two 32-bit fields.
        assert_eq!(size, 2 * size_of::<i32>());
        assert_eq!(pointee("clock_gettime64", "tp"), 2 * size_of::<i64>());
    } else {
        assert_eq!(size, size_of::<libc::timespec>());
        assert_eq!(size, 16);
    }
}

#[test]
fn sendfile_offset_is_the_kernel_off_t_or_loff_t() {
    let size = pointee("sendfile", "offset");
    if ctype("sendfile", "offset").starts_with("off_t") {
        // __kernel_off_t is a C long: 32 bits where sendfile64 exists.
        assert_eq!(size, size_of::<libc::c_long>());
        assert_eq!(pointee("sendfile64", "offset"), size_of::<libc::off64_t>());
    } else {
        assert_eq!(size, size_of::<libc::off64_t>());
    }
}

#[test]
fn group_lists_count_ids_of_the_calls_width() {
    let size = pointee("getgroups", "grouplist");
    if ctype("getgroups", "grouplist").starts_with("old_gid_t") {
        // The legacy 16-bit ids of i386 and arm (getgroups32 takes gid_t).
        assert_eq!(size, size_of::<u16>());
        assert_eq!(
            pointee("getgroups32", "grouplist"),
            size_of::<libc::gid_t>()
        );
    } else {
        assert_eq!(size, size_of::<libc::gid_t>());
    }
}

#[test]
fn byte_buffers_and_byte_counted_structures_have_no_size() {
    assert_eq!(pointee("read", "buf"), 0);
    assert_eq!(pointee("bind", "umyaddr"), 0);
    assert_eq!(pointee("clone3", "uargs"), 0);
    assert_eq!(pointee("sched_getaffinity", "user_mask_ptr"), 0);
}

#[cfg(any(
    target_arch = "x86_64",
    target_arch = "aarch64",
    target_arch = "riscv64"
))]
#[test]
fn stat_matches_libc_where_glibc_uses_the_kernel_layout() {
    assert_eq!(pointee("fstat", "statbuf"), size_of::<libc::stat>());
}
