//! `format` on made-up calls: the lines strace prints for them (strace 6.1, as in the issue's
//! examples), for any architecture's numbers; and the ring's reader.

use sys_core::{Errno, RawRet, nr};
use sys_trace::ring::{Read, Ring};
use sys_trace::{LineBuf, format};

fn line(nr: usize, args: &[usize], ret: Option<RawRet>) -> String {
    let mut buf = LineBuf::<1024>::new();
    // SAFETY: the pointers the tests pass point at live buffers and strings.
    unsafe { format(&mut buf, nr, args, ret) }.unwrap();
    String::from_utf8(buf.as_bytes().to_vec()).unwrap()
}

/// What the kernel returns for an error: `-errno`.
fn err(e: Errno) -> Option<RawRet> {
    Some(RawRet((e.raw() as isize).wrapping_neg() as usize))
}

fn ok(v: usize) -> Option<RawRet> {
    Some(RawRet(v))
}

#[test]
fn openat_prints_at_fdcwd_the_path_and_symbolic_flags() {
    let path = c"/etc/hostname";
    let flags = (libc::O_RDONLY | libc::O_CLOEXEC) as usize;
    let l = line(
        nr::openat,
        &[-100isize as usize, path.as_ptr() as usize, flags, 0],
        ok(3),
    );
    assert_eq!(
        l,
        r#"openat(AT_FDCWD, "/etc/hostname", O_RDONLY|O_CLOEXEC) = 3"#
    );
}

#[test]
fn openat_with_o_creat_prints_the_mode_in_octal() {
    let path = c"x";
    let flags = (libc::O_WRONLY | libc::O_CREAT | libc::O_EXCL) as usize;
    let l = line(
        nr::openat,
        &[5, path.as_ptr() as usize, flags, 0o600],
        ok(4),
    );
    assert_eq!(l, r#"openat(5, "x", O_WRONLY|O_CREAT|O_EXCL, 0600) = 4"#);
}

#[test]
fn read_prints_what_was_read_after_the_call() {
    let buf = *b"myhost\n\0\0\0";
    let l = line(nr::read, &[3, buf.as_ptr() as usize, 4096], ok(7));
    assert_eq!(l, r#"read(3, "myhost\n", 4096) = 7"#);
}

#[test]
fn a_failed_read_prints_the_buffer_address() {
    let l = line(nr::read, &[9, 0x1000, 16], err(Errno::EBADF));
    assert_eq!(l, "read(9, 0x1000, 16) = -1 EBADF (Bad file descriptor)");
}

#[test]
fn close_of_a_bad_descriptor_is_ebadf_with_glibc_message() {
    let l = line(nr::close, &[-1isize as usize], err(Errno::EBADF));
    assert_eq!(l, "close(-1) = -1 EBADF (Bad file descriptor)");
}

#[test]
fn long_buffers_are_cut_at_32_bytes() {
    let data = [b'a'; 40];
    let l = line(nr::write, &[1, data.as_ptr() as usize, 40], ok(40));
    assert_eq!(l, format!("write(1, \"{}\"..., 40) = 40", "a".repeat(32)));
}

#[test]
fn mmap_result_is_hex_and_flags_are_symbolic() {
    let prot = (libc::PROT_READ | libc::PROT_WRITE) as usize;
    let flags = (libc::MAP_PRIVATE | libc::MAP_ANONYMOUS) as usize;
    #[cfg(target_pointer_width = "64")]
    let mmap = nr::mmap;
    #[cfg(target_pointer_width = "32")]
    let mmap = nr::mmap2;
    let name = sys_core::nr::name(mmap).unwrap();
    let words = [0, 4096, prot, flags, usize::MAX, 0];
    // s390x's mmap (old_mmap) takes a pointer to the six words.
    #[cfg(target_arch = "s390x")]
    let l = line(mmap, &[words.as_ptr() as usize], ok(0x7f00_0000));
    #[cfg(not(target_arch = "s390x"))]
    let l = line(mmap, &words, ok(0x7f00_0000));
    assert_eq!(
        l,
        format!(
            "{name}(NULL, 4096, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f000000"
        )
    );
}

#[test]
fn getrandom_prints_its_bytes_in_hex() {
    let b: [u8; 4] = [0xde, 0xad, 0xbe, 0xef];
    let l = line(nr::getrandom, &[b.as_ptr() as usize, 4, 1], ok(4));
    assert_eq!(l, r#"getrandom("\xde\xad\xbe\xef", 4, GRND_NONBLOCK) = 4"#);
}

#[test]
fn exit_group_does_not_return() {
    assert_eq!(line(nr::exit_group, &[3], None), "exit_group(3) = ?");
}

#[test]
fn kill_names_the_signal() {
    let l = line(nr::kill, &[42, libc::SIGTERM as usize], ok(0));
    assert_eq!(l, "kill(42, SIGTERM) = 0");
}

#[test]
fn an_undecoded_call_prints_its_words_in_hex() {
    let l = line(nr::sched_getaffinity, &[0, 128, 0], err(Errno::EFAULT));
    assert_eq!(l, "sched_getaffinity(0, 0x80, 0) = -1 EFAULT (Bad address)");
}

#[test]
fn an_unknown_number_is_named_by_its_value() {
    // 0xfff is a call on mips (o32 numbers start at 4000); no architecture has 0xfffff.
    assert!(
        line(0xf_ffff, &[1], err(Errno::ENOSYS)).starts_with("syscall_0xfffff(0x1) = -1 ENOSYS")
    );
}

#[test]
fn a_line_too_long_for_its_buffer_ends_in_dots() {
    let mut buf = LineBuf::<16>::new();
    // SAFETY: no pointers.
    unsafe { format(&mut buf, nr::close, &[1], ok(0)) }.unwrap();
    buf.push_bytes(b"0123456789");
    buf.finish_line();
    assert_eq!(buf.as_bytes(), b"close(1) = 0...\n");
}

#[test]
fn the_ring_returns_lines_in_order_and_reports_overwritten_ones() {
    let ring: Ring<4, 4> = Ring::new();
    for i in 0..6 {
        ring.push(format!("line {i}\n").as_bytes());
    }
    let mut r = ring.reader_from_now();
    let mut buf = [0u8; 64];
    assert_eq!(r.read(&ring, &mut buf), Read::Empty);
    let mut r = sys_trace::ring::Reader::default();
    assert_eq!(r.read(&ring, &mut buf), Read::Lost(2));
    for i in 2..6 {
        let want = format!("line {i}\n");
        assert_eq!(r.read(&ring, &mut buf), Read::Line(want.len()));
        assert_eq!(&buf[..want.len()], want.as_bytes());
    }
    assert_eq!(r.read(&ring, &mut buf), Read::Empty);
    // A line longer than a slot is cut.
    ring.push(&[b'x'; 100]);
    let slot = Ring::<4, 4>::LINE;
    assert_eq!(r.read(&ring, &mut buf), Read::Line(slot));
    assert!(buf[..slot].ends_with(b"...\n"));
}

#[test]
fn the_ring_takes_lines_from_many_threads() {
    static RING: Ring<1024, 4> = Ring::new();
    std::thread::scope(|s| {
        for t in 0..4 {
            s.spawn(move || {
                for i in 0..100 {
                    RING.push(format!("{t}:{i}\n").as_bytes());
                }
            });
        }
    });
    let mut r = RING.reader();
    let mut buf = [0u8; 64];
    let mut n = 0;
    while let Read::Line(_) = r.read(&RING, &mut buf) {
        n += 1;
    }
    assert_eq!(n + RING.dropped(), 400);
}

#[cfg(feature = "hooks")]
#[test]
fn the_environment_switch_parses_every_form() {
    use sys_trace::{Mode, Sink, parse_env};
    assert_eq!(parse_env(b"1"), Some(Mode::Print(Sink::Stderr)));
    assert_eq!(parse_env(b"stderr"), Some(Mode::Print(Sink::Stderr)));
    assert_eq!(parse_env(b"fd:7"), Some(Mode::Print(Sink::Fd(7))));
    assert_eq!(parse_env(b"ring"), Some(Mode::Print(Sink::Ring)));
    assert_eq!(parse_env(b"count"), Some(Mode::Count));
    assert_eq!(parse_env(b"0"), None);
    assert_eq!(parse_env(b"fd:-1"), None);
    assert_eq!(parse_env(b""), None);
}

/// The hook is process-wide: the live tests take turns.
#[cfg(feature = "hooks")]
static TURN: std::sync::Mutex<()> = std::sync::Mutex::new(());

#[cfg(feature = "hooks")]
#[test]
fn the_ring_sink_holds_the_calls_made_while_tracing() {
    let _turn = TURN.lock().unwrap();
    let mut r = sys_trace::RING.reader_from_now();
    sys_trace::start(sys_trace::Sink::Ring);
    // SAFETY: closing a descriptor that does not exist.
    let e = unsafe { sys_core::syscall_readonly!(nr::close, -7) };
    sys_trace::stop();
    assert_eq!(e, Err(Errno::EBADF));
    let mut buf = [0u8; 256];
    let mut lines = Vec::new();
    while let Read::Line(n) = r.read(&sys_trace::RING, &mut buf) {
        lines.push(String::from_utf8_lossy(&buf[..n]).into_owned());
    }
    // Other test threads may make libsys calls meanwhile: look for ours.
    assert!(
        lines
            .iter()
            .any(|l| l.ends_with("close(-7) = -1 EBADF (Bad file descriptor)\n")),
        "{lines:?}"
    );
}

#[cfg(feature = "hooks")]
#[test]
fn counting_only_counts() {
    let _turn = TURN.lock().unwrap();
    sys_trace::start(sys_trace::Mode::Count);
    let before = sys_trace::calls();
    for _ in 0..10 {
        // SAFETY: getppid writes no memory.
        let _ = unsafe { sys_core::syscall_readonly!(nr::getppid) };
    }
    let after = sys_trace::calls();
    sys_trace::stop();
    assert!(after - before >= 10);
}

#[test]
fn getcpu_prints_the_numbers_it_wrote() {
    let (cpu, node) = (3u32, 0u32);
    let args = [(&raw const cpu) as usize, (&raw const node) as usize, 0];
    assert_eq!(line(nr::getcpu, &args, ok(0)), "getcpu([3], [0], NULL) = 0");
    let args = [(&raw const cpu) as usize, 0, 0];
    assert_eq!(
        line(nr::getcpu, &args, ok(0)),
        "getcpu([3], NULL, NULL) = 0"
    );
}
