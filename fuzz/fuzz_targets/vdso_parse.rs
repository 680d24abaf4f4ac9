//! Fuzz target: sys-vdso's ELF/vDSO parser over arbitrary bytes ([`sys_vdso::Image::parse`],
//! [`sys_vdso::image::mapped_len`]), with the invariants of `vdso_parse_check.rs` (shared with
//! the corpus replay test `sys-vdso/tests/fuzz_corpus.rs`). Seeds in `corpus/vdso_parse/`:
//! crafted images from sys-vdso's `write_fuzz_seeds` test plus what fuzzing found.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "vdso_parse_check.rs"]
mod check;

fuzz_target!(|data: &[u8]| check::check(data));
