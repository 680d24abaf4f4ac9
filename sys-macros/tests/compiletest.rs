//! Runs the UI tests: each `tests/ui/<mistake>.rs` must fail to compile with the diagnostics in
//! its `.stderr` (pinned to the stable toolchain; refresh with `TRYBUILD=overwrite` and review
//! every changed file by eye).

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*.rs");
}
