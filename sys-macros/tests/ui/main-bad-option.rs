#[sys_macros::main(stack_size = 4096)]
fn start() -> i32 {
    0
}

fn main() {}
