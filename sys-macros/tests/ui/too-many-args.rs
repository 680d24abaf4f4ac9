use libsys::{Errno, syscall};

#[syscall(nr = 1000)]
pub unsafe fn seven(a: u32, b: u32, c: u32, d: u32, e: u32, f: u32, g: u32) -> Result<(), Errno>;

// A slice takes two registers.
#[syscall(nr = 1001)]
pub unsafe fn slices(a: &[u8], b: &mut [u8], c: &[u32], d: u32) -> Result<(), Errno>;

fn main() {
    let _ = unsafe { seven(1, 2, 3, 4, 5, 6, 7) };
}
