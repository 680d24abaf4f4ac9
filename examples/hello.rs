//! The main example: raw system calls through libsys, no libc calls involved.
//!
//! Run it with `cargo run --example hello`.

use libsys::raw::{syscall, syscall_readonly};
use libsys::{Errno, nr};

fn main() {
    let msg = b"hello from libsys\n";
    // SAFETY: `msg` is valid for reads of its length; fd 1 is the inherited stdout.
    let n = unsafe { syscall!(nr::write, 1, msg.as_ptr(), msg.len()) };
    assert_eq!(n, Ok(msg.len()));

    // SAFETY: getpid and getppid take no arguments and write no memory.
    let (pid, ppid) = unsafe {
        (
            syscall_readonly!(nr::getpid).unwrap(),
            syscall_readonly!(nr::getppid).unwrap(),
        )
    };
    println!(
        "pid {pid}, parent {ppid}; getpid is syscall {} here",
        nr::getpid
    );

    // Errors come back typed, with this architecture's errno value, name and message.
    let path = c"/no/such/file";
    // SAFETY: `path` is NUL-terminated; AT_FDCWD (-100) names the working directory.
    let r = unsafe { syscall!(nr::openat, -100, path.as_ptr(), 0, 0) };
    match r {
        Err(e) => println!("openat({path:?}) failed: {e} = errno {}", e.raw()),
        Ok(fd) => println!("unexpectedly opened fd {fd}"),
    }
    assert_eq!(r, Err(Errno::ENOENT));
}
