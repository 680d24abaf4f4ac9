//! Link `pinned` without the C runtime: static, not PIE, entry `__libsys_entry`
//! (sys-rt's `build` module says which arguments, for the linker cargo uses).

fn main() {
    libsys::sys_rt::build::link_nolibc();
}
