//! Calls that never return an errno: a plain return type is right (`brk` returns the break,
//! `setfsuid`/`setfsgid` the previous id, also when they refuse).

use libsys::syscall;

#[syscall]
pub unsafe fn brk(addr: usize) -> usize;
#[syscall]
pub unsafe fn setfsuid(uid: u32) -> u32;
#[syscall]
pub unsafe fn setfsgid(gid: u32) -> u32;

fn main() {
    // SAFETY: `brk(0)` only asks for the current break.
    let now = unsafe { brk(0) };
    assert_ne!(now, 0);
    // SAFETY: -1 is no id: the call changes nothing and returns the current one.
    let uid = unsafe { setfsuid(u32::MAX) };
    // SAFETY: as above.
    let gid = unsafe { setfsgid(u32::MAX) };
    // SAFETY: geteuid/getegid have no preconditions.
    assert_eq!((uid, gid), unsafe { (geteuid(), getegid()) });
}

#[syscall(readonly)]
unsafe fn geteuid() -> u32;
#[syscall(readonly)]
unsafe fn getegid() -> u32;
