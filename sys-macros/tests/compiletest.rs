//! Runs the UI tests: each `tests/ui/<mistake>.rs` must fail to compile with the diagnostics in
//! its `.stderr` (pinned to the stable toolchain; refresh with `TRYBUILD=overwrite` and review
//! every changed file by eye); each `tests/ui-pass/*.rs` must compile and run.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*.rs");
    t.pass("tests/ui-pass/*.rs");
}
