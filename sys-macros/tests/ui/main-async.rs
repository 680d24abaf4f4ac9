#[sys_macros::main]
async fn start() -> i32 {
    0
}

fn main() {}
