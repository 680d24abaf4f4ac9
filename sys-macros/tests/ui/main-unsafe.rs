#[sys_macros::main]
unsafe fn start() -> i32 {
    0
}

fn main() {}
