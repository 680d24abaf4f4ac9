use libsys::{Args, Env};

#[sys_macros::main]
fn start(args: Args, env: Env) -> i32 {
    let _ = (args, env);
    0
}

fn main() {}
