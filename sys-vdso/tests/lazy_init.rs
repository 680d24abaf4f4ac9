//! First use from many threads at once: the lazy resolution of each entry point is race-free
//! (every thread gets a correct answer, all end with the same cached entry point). Its own test
//! binary, so that nothing has resolved anything before the threads start.

// System calls through inline asm, which Miri does not run: the parser is tested under Miri
// by the unit tests (`cargo +nightly miri test -p sys-vdso`).
#![cfg(not(miri))]

use std::sync::Barrier;

use sys_vdso::{ClockId, Function, entry_point};

#[test]
fn racing_first_calls_all_succeed_and_agree() {
    let threads = 8;
    let barrier = Barrier::new(threads);
    let results: Vec<_> = std::thread::scope(|s| {
        let hs: Vec<_> = (0..threads)
            .map(|i| {
                let barrier = &barrier;
                s.spawn(move || {
                    barrier.wait();
                    let t = sys_vdso::clock_gettime(ClockId::MONOTONIC).unwrap();
                    let c = sys_vdso::getcpu().unwrap();
                    let mut b = [0u8; 16];
                    let n = sys_vdso::getrandom(&mut b, 0).unwrap();
                    let tv = sys_vdso::gettimeofday().unwrap();
                    let res = sys_vdso::clock_getres(ClockId::from_raw(i as i32 % 2)).unwrap();
                    (t, c, n, tv, res, sys_vdso::time().unwrap())
                })
            })
            .collect();
        hs.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for (t, _, n, tv, res, time) in &results {
        assert!(t.sec >= 0 && *n == 16 && tv.sec > 0 && *time > 0);
        assert!(res.sec == 0 && res.nsec > 0);
    }
    let first: Vec<_> = Function::ALL.into_iter().map(entry_point).collect();
    let again: Vec<_> = Function::ALL.into_iter().map(entry_point).collect();
    assert_eq!(first, again);
}
