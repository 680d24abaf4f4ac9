use libsys::syscall;

#[syscall(noreturn)]
pub unsafe fn exit_group(code: i32);

fn main() {}
