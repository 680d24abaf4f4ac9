// placeholder until tools/gen-syscall-tables.py runs
use super::Errno;
impl Errno {
    /// Input/output error
    pub const EIO: Errno = Errno::from_const(5);
    /// Argument list too long
    pub const E2BIG: Errno = Errno::from_const(7);
    /// No such file or directory
    pub const ENOENT: Errno = Errno::from_const(2);
}
pub(crate) static TABLE: &[(u16, &str, &str)] = &[(2, "ENOENT", "No such file or directory"), (5, "EIO", "Input/output error"), (7, "E2BIG", "Argument list too long")];
pub(crate) static ALIASES: &[(&str, &str)] = &[];
