#[sys_macros::main]
fn start<T: Default>() -> i32 {
    let _ = T::default();
    0
}

fn main() {}
