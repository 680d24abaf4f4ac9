//! The package of libsys's main example, `examples/hello.rs`: run it with
//! `cargo run --example hello` from the repository root. The library is empty.
