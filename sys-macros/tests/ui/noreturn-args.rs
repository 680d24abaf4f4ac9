use libsys::syscall;

#[syscall(name = "exit_group")]
pub unsafe fn exit_none() -> !;

#[syscall(readonly)]
pub unsafe fn exit(code: i32) -> !;

fn main() {}
