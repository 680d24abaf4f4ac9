//! The vDSO (sys-vdso) checked without std, so that the no-libc harness runs it on every
//! architecture (loongarch64 included) and the std suite runs it too. Oracles: the system call
//! for every result, `AT_SYSINFO_EHDR` for whether there is a vDSO, the kernel's linker-script
//! export list (`sys_vdso::symbols`) for what it must export, uname(2) for the kernel release.

use libsys::raw::syscall;
use libsys::sys_vdso::symbols::native::{EXPORTS, NAMES, QEMU_LACKS};
use libsys::sys_vdso::{self, ClockId, Function, Timespec, Vdso};
use libsys::{Errno, nr};

use super::ensure;

/// (major, minor) of the running kernel.
fn kernel_release() -> Result<(u16, u16), &'static str> {
    let mut u = [0u8; 6 * 65];
    // SAFETY: `struct new_utsname` is six 65-byte fields; `u` is valid for writes of them all.
    unsafe { syscall!(nr::uname, u.as_mut_ptr()) }.map_err(|_| "uname failed")?;
    let release = &u[2 * 65..3 * 65];
    let mut parts = release
        .split(|c| !c.is_ascii_digit())
        .filter(|p| !p.is_empty());
    let mut num = || -> Option<u16> {
        parts.next()?.iter().try_fold(0u16, |n, &d| {
            n.checked_mul(10)?.checked_add(u16::from(d - b'0'))
        })
    };
    Ok((
        num().ok_or("no kernel major")?,
        num().ok_or("no kernel minor")?,
    ))
}

/// The parser finds a vDSO exactly when `AT_SYSINFO_EHDR` names one, and in it every symbol the
/// kernel's linker script exports for this architecture and kernel release (less what qemu's own
/// vDSO lacks), and each function of sys-vdso uses its entry point.
pub(super) fn vdso_exports_are_found() -> Result<(), &'static str> {
    let v = Vdso::get();
    ensure(
        v.is_some() == sys_vdso::vdso_base().is_some(),
        "AT_SYSINFO_EHDR names a vDSO that does not parse",
    )?;
    let Some(v) = v else { return Ok(()) };
    let kernel = kernel_release()?;
    for e in EXPORTS {
        let required = e.config.is_none() && e.since <= kernel && !QEMU_LACKS.contains(&e.name);
        if required && v.lookup(e.name, Some(e.version)).is_none() {
            return Err("a symbol of the kernel's export list is missing");
        }
    }
    let cases = [
        (Function::ClockGettime, NAMES.clock_gettime),
        (Function::ClockGetres, NAMES.clock_getres),
        (Function::Gettimeofday, NAMES.gettimeofday),
        (Function::Time, NAMES.time),
        (Function::Getcpu, NAMES.getcpu),
        (Function::Getrandom, NAMES.getrandom),
    ];
    for (f, name) in cases {
        let expected = name.and_then(|n| v.lookup(n, Some(NAMES.version)));
        ensure(
            sys_vdso::entry_point(f) == expected,
            "a function does not use the vDSO entry point it should",
        )?;
    }
    Ok(())
}

fn same(a: Result<Timespec, Errno>, b: Result<Timespec, Errno>, exact: bool) -> bool {
    match (a, b) {
        (Ok(x), Ok(y)) => !exact || x == y,
        (Err(x), Err(y)) => x == y,
        _ => false,
    }
}

/// Every clock (fixed, CPU-time, invalid) answers alike through the vDSO and the system call,
/// monotonic time never goes back across both, realtime agrees within 0.2 s, getcpu and
/// getrandom work; then the same with the vDSO switched off.
pub(super) fn vdso_functions_agree_with_the_syscalls() -> Result<(), &'static str> {
    let r = agree();
    sys_vdso::set_enabled(false);
    let off = agree();
    let none = sys_vdso::entry_point(Function::ClockGettime).is_none()
        && sys_vdso::entry_point(Function::Getrandom).is_none();
    sys_vdso::set_enabled(true);
    r?;
    off?;
    ensure(
        none,
        "an entry point is used while the vDSO is switched off",
    )
}

fn agree() -> Result<(), &'static str> {
    use sys_vdso::syscall as sc;
    let ids = (0..=12).chain([31, 32, -1, i32::MIN]);
    // pid/tid 0: the calling process/thread.
    let extra = [
        ClockId::process_cputime(0),
        ClockId::thread_cputime(0),
        ClockId::from_fd(-1),
    ];
    for c in ids.map(ClockId::from_raw).chain(extra) {
        ensure(
            same(sys_vdso::clock_gettime(c), sc::clock_gettime(c), false),
            "clock_gettime differs from the syscall in success or errno",
        )?;
        ensure(
            same(sys_vdso::clock_getres(c), sc::clock_getres(c), true),
            "clock_getres differs from the syscall",
        )?;
    }
    for c in [
        ClockId::MONOTONIC,
        ClockId::BOOTTIME,
        ClockId::MONOTONIC_RAW,
    ] {
        let mut last = Timespec::default();
        for i in 0..2000 {
            let t = if i % 2 == 0 {
                sys_vdso::clock_gettime(c)
            } else {
                sc::clock_gettime(c)
            };
            let t = t.map_err(|_| "a monotonic clock failed")?;
            ensure(t >= last, "a monotonic clock went backwards")?;
            last = t;
        }
    }
    let a = sys_vdso::clock_gettime(ClockId::REALTIME).map_err(|_| "realtime failed")?;
    let b = sc::clock_gettime(ClockId::REALTIME).map_err(|_| "realtime syscall failed")?;
    ensure(
        (0..200_000_000).contains(&(b.as_nanos() - a.as_nanos())),
        "realtime differs from the syscall by more than 0.2 s",
    )?;
    ensure(a.sec > 1_577_836_800, "realtime is before 2020: truncated?")?;
    let tv = sys_vdso::gettimeofday().map_err(|_| "gettimeofday failed")?;
    ensure(
        tv.sec >= a.sec && tv.sec - a.sec <= 1 && (0..1_000_000).contains(&tv.usec),
        "gettimeofday disagrees with realtime",
    )?;
    let t = sys_vdso::time().map_err(|_| "time failed")?;
    ensure(
        t >= a.sec - 1 && t <= b.sec + 1,
        "time disagrees with realtime",
    )?;
    let (cpu, _) = sys_vdso::getcpu().map_err(|_| "getcpu failed")?;
    let (cpu2, _) = sc::getcpu().map_err(|_| "getcpu syscall failed")?;
    ensure(cpu < 8192 && cpu2 < 8192, "getcpu returned an absurd CPU")?;

    let mut buf = [0u8; 4096 + 16];
    for len in [0, 1, 15, 16, 17, 255, 256, 257, 1000, 4095, 4096] {
        let mut changed = [false; 4096];
        for _ in 0..5 {
            buf.fill(0xa5);
            let n = sys_vdso::getrandom(&mut buf[..len], 0).map_err(|_| "getrandom failed")?;
            ensure(n == len, "getrandom returned a short count")?;
            ensure(
                buf[len..].iter().all(|&b| b == 0xa5),
                "getrandom wrote past the end",
            )?;
            for (c, &b) in changed.iter_mut().zip(&buf[..len]) {
                *c |= b != 0xa5;
            }
        }
        ensure(
            changed[..len].iter().all(|&c| c),
            "getrandom left a byte unwritten",
        )?;
    }
    let (mut x, mut y) = ([0u8; 32], [0u8; 32]);
    sys_vdso::random::fill(&mut x, 0).map_err(|_| "fill failed")?;
    sys_vdso::random::fill(&mut y, 0).map_err(|_| "fill failed")?;
    ensure(x != y, "two draws of 32 random bytes are equal")?;
    ensure(
        sys_vdso::getrandom(&mut x, 0x1000_0000) == Err(Errno::EINVAL),
        "getrandom accepted unknown flags",
    )
}
