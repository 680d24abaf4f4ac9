//! The system-call fallback of every function, with the vDSO switched off
//! (`sys_vdso::set_enabled(false)` before anything else in each test; every test of this binary
//! does the same, so there is no race). The same checks as `tests/vdso.rs` must pass, and no
//! function may report a vDSO entry point. Runs on every architecture, and under qemu 7.2 (which
//! gives guests no vDSO at all) it also covers the "no vDSO" case.

// System calls through inline asm, which Miri does not run: the parser is tested under Miri
// by the unit tests (`cargo +nightly miri test -p sys-vdso`).
#![cfg(not(miri))]

mod common;

use sys_vdso::{Function, entry_point, set_enabled};

fn off() {
    set_enabled(false);
    assert!(!sys_vdso::is_enabled());
}

#[test]
fn no_function_uses_the_vdso_when_it_is_off() {
    off();
    for f in Function::ALL {
        assert_eq!(entry_point(f), None, "{f:?}");
    }
    assert_eq!(sys_vdso::random::vdso_state_size(), None);
}

#[test]
fn every_clock_agrees_with_the_syscall() {
    off();
    common::every_clock_agrees_with_the_syscall_on_success_or_errno();
}

#[test]
fn monotonic_never_goes_backwards() {
    off();
    common::monotonic_never_goes_backwards_across_paths();
}

#[test]
fn realtime_agrees() {
    off();
    common::realtime_agrees_with_the_syscall_and_libc();
}

#[test]
fn times_are_64_bit() {
    off();
    common::times_are_64_bit();
}

#[test]
fn getcpu_is_below_the_cpu_count() {
    off();
    common::getcpu_is_below_the_cpu_count();
}

#[test]
fn getrandom_fills_every_size() {
    off();
    common::getrandom_fills_every_size();
}

#[test]
fn getrandom_works_from_many_threads() {
    off();
    common::getrandom_works_from_many_threads();
}
