use libsys::syscall;

#[syscall(readonly)]
pub safe fn getpid() -> u32;

fn main() {}
