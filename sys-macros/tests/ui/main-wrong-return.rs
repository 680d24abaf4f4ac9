#[sys_macros::main]
fn start(args: libsys::Args) -> &'static str {
    let _ = args;
    "done"
}

fn main() {}
