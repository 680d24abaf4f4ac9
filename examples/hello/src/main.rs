//! hello: writes "hello\n" to stdout through a `#[syscall]`-declared `write(2)` and exits 0,
//! with no libc and no std. The whole program is `_start` (sys-rt), this main, one `write` and
//! one `exit_group`; `strace` shows exactly those two system calls.
#![no_std]
#![no_main]

use libsys::{Errno, syscall};

/// `write(2)`: writes `buf` to `fd`, returns the number of bytes written. `readonly`: the
/// kernel only reads the buffer.
#[syscall(readonly)]
unsafe fn write(fd: i32, buf: &[u8]) -> Result<usize, Errno>;

#[libsys::main]
fn main() -> i32 {
    let msg = b"hello\n";
    // SAFETY: fd 1 is the inherited stdout (a bad descriptor is just an error); `msg` is valid
    // for reads of its length.
    match unsafe { write(1, msg) } {
        Ok(n) if n == msg.len() => 0,
        _ => 1,
    }
}

/// Nothing here panics; if something did, exit with 101 as a std program would.
#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    libsys::sys_rt::exit(101)
}
