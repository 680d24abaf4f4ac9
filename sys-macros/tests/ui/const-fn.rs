use libsys::syscall;

#[syscall(readonly)]
pub const unsafe fn getpid() -> u32;

fn main() {}
