//! Tests of the by-name lookups in `sys_core::nr`: the generated `sys_nr!` macro (which
//! `#[syscall]` expands to) against the constants, and `name`/`by_name` against the table.
//! The numbers themselves come from the kernel headers (`tools/gen-syscall-tables.py`).

use sys_core::nr::{self, sys_nr};

#[test]
fn sys_nr_gives_the_constants() {
    assert_eq!(sys_nr!(write), nr::write);
    assert_eq!(sys_nr!(read), nr::read);
    assert_eq!(sys_nr!(openat), nr::openat);
    assert_eq!(sys_nr!(close), nr::close);
    assert_eq!(sys_nr!(exit_group), nr::exit_group);
    assert_eq!(sys_nr!(clock_gettime), nr::clock_gettime);
    assert_eq!(sys_nr!(clone3), nr::clone3);
    assert_eq!(sys_nr!(write), nr::by_name("write").unwrap());
}

#[test]
fn sys_nr_is_a_constant_expression() {
    const WRITE: usize = sys_nr!(write);
    static PAIR: [usize; 2] = [sys_nr!(read), sys_nr!(write)];
    assert_eq!(WRITE, nr::write);
    assert_eq!(PAIR, [nr::read, nr::write]);
}

#[test]
fn sys_nr_through_the_crate_root_name() {
    // The macro is exported as `__sys_nr` and re-exported as `nr::sys_nr`: both are the same.
    assert_eq!(sys_core::__sys_nr!(getpid), nr::getpid);
}

#[cfg(target_arch = "x86_64")]
#[test]
fn sys_nr_on_x86_64() {
    assert_eq!(sys_nr!(read), 0);
    assert_eq!(sys_nr!(write), 1);
    assert_eq!(sys_nr!(open), 2);
    assert_eq!(sys_nr!(exit_group), 231);
}

#[cfg(target_arch = "aarch64")]
#[test]
fn sys_nr_on_aarch64() {
    assert_eq!(sys_nr!(io_setup), 0);
    assert_eq!(sys_nr!(write), 64);
}

#[cfg(any(target_arch = "x86", target_arch = "powerpc64", target_arch = "mips"))]
#[test]
fn sys_nr_takes_a_keyword_bare_and_raw() {
    assert_eq!(sys_nr!(break), nr::r#break);
    assert_eq!(sys_nr!(r#break), nr::r#break);
}

#[cfg(target_arch = "arm")]
#[test]
fn sys_nr_finds_both_names_of_a_shared_number() {
    assert_eq!(sys_nr!(sync_file_range2), 341);
    assert_eq!(sys_nr!(arm_sync_file_range), 341);
    assert_eq!(nr::name(341), Some("arm_sync_file_range"));
}

#[test]
fn name_is_the_first_table_entry_of_a_number() {
    let all = nr::all();
    assert!(
        all.windows(2).all(|w| w[0].1 <= w[1].1),
        "NAMES is not sorted by number"
    );
    for &(name, number) in all {
        let first = all.iter().find(|e| e.1 == number).map(|e| e.0);
        assert_eq!(nr::name(number), first, "{name} = {number}");
        assert_eq!(nr::by_name(name), Some(number), "{name}");
    }
    assert_eq!(nr::name(usize::MAX), None);
    assert_eq!(nr::by_name("no_such_call"), None);
}
