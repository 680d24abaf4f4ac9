#[sys_macros::main]
struct Start;

fn main() {}
