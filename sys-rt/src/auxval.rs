//! `getauxval(3)` for programs without libc, answered from sys-auxv.
//!
//! Facts: on aarch64, rustup's prebuilt `compiler_builtins` carries LLVM's `cpu_model` code
//! (`lib/builtins/cpu_model/aarch64/{lse_atomics,fmv}/getauxval.inc`): the object that defines
//! `__aarch64_have_lse_atomics`, which every outline atomic (`__aarch64_cas4_acq` …) reads, has
//! an `.init_array` constructor that calls `getauxval(AT_HWCAP)`. The link needs the symbol even
//! though nothing runs constructors here (so the flag stays 0 and the atomics take their
//! load/store-exclusive path, correct on every ARMv8). Semantics per getauxval(3): the value,
//! or 0 when the key is absent (there is no `errno` to set to `ENOENT`). No other target's
//! prebuilt runtime references it (checked for every stable target of tools/cross-test.sh), so
//! it is compiled for aarch64 only.

use core::ffi::c_ulong;

/// C `getauxval`.
#[unsafe(no_mangle)]
extern "C" fn getauxval(key: c_ulong) -> c_ulong {
    // `c_ulong` is `usize` wide on every Linux target.
    sys_auxv::get(sys_auxv::Key::new(key as usize)).unwrap_or(0) as c_ulong
}
