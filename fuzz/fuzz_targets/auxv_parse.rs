//! Fuzz target: sys-auxv's parser over arbitrary bytes ([`sys_auxv::Auxv::parse`], the
//! format of `/proc/self/auxv` and `prctl(PR_GET_AUXV)`), with the invariants of
//! `auxv_parse_check.rs` (shared with the corpus replay test).
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "auxv_parse_check.rs"]
mod check;

fuzz_target!(|data: &[u8]| check::check(data));
