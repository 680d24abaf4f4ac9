//! Fuzz target: sys-restrict's classic-BPF evaluator over arbitrary programs, and compiled
//! policies against the policy's own decision in Rust, with the invariants of
//! `bpf_eval_check.rs` (shared with the corpus replay test `sys-restrict/tests/fuzz_corpus.rs`).
//! Seeds in `corpus/bpf_eval/`: written by sys-restrict's `write_fuzz_seeds` test (named
//! `program-*`, `policy-*`), plus 60 inputs of a 120 s libFuzzer run (283k executions, no
//! failure) picked across the sizes of its merged corpus.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "bpf_eval_check.rs"]
mod check;

fuzz_target!(|data: &[u8]| check::check(data));
