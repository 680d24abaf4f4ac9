//! What a seccomp filter returns: the action word (`SECCOMP_RET_*` in the high 16 bits, data
//! such as an errno in the low 16) and its typed form, [`Action`].
//!
//! Sources: `include/uapi/linux/seccomp.h` (Linux 6.18), seccomp(2) ("Filter return values":
//! when filters disagree the kernel takes the action with the lowest `SECCOMP_RET_ACTION_FULL`
//! value, so `KILL_PROCESS` (`0x80000000` as a signed number) wins over everything).

use core::fmt;

/// `SECCOMP_RET_KILL_PROCESS`: the whole process dies of SIGSYS, with a core dump.
pub const RET_KILL_PROCESS: u32 = 0x8000_0000;
/// `SECCOMP_RET_KILL_THREAD`: the calling thread dies as if by SIGSYS.
pub const RET_KILL_THREAD: u32 = 0x0000_0000;
/// `SECCOMP_RET_TRAP`: the call is not made; the thread gets SIGSYS (`si_code` `SYS_SECCOMP`).
pub const RET_TRAP: u32 = 0x0003_0000;
/// `SECCOMP_RET_ERRNO`: the call is not made and fails with the errno in the low 16 bits.
pub const RET_ERRNO: u32 = 0x0005_0000;
/// `SECCOMP_RET_USER_NOTIF`: a supervisor decides.
pub const RET_USER_NOTIF: u32 = 0x7fc0_0000;
/// `SECCOMP_RET_TRACE`: a ptrace tracer decides.
pub const RET_TRACE: u32 = 0x7ff0_0000;
/// `SECCOMP_RET_LOG`: the call is made and logged.
pub const RET_LOG: u32 = 0x7ffc_0000;
/// `SECCOMP_RET_ALLOW`: the call is made.
pub const RET_ALLOW: u32 = 0x7fff_0000;
/// `SECCOMP_RET_ACTION_FULL`: the action part of a return value.
pub const RET_ACTION_FULL: u32 = 0xffff_0000;
/// `SECCOMP_RET_DATA`: the data part of a return value.
pub const RET_DATA: u32 = 0x0000_ffff;

/// What happens to a system call a filter does not allow (or, with [`Action::Allow`], to
/// every call: for testing a policy's shape without enforcing it).
///
/// ```
/// use sys_restrict::Action;
///
/// assert_eq!(Action::Errno(1).word(), 0x0005_0001);
/// assert_eq!(Action::from_word(0x8000_0000), Action::KillProcess);
/// assert_eq!(Action::Errno(38).to_string(), "ERRNO(38)");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    /// Kill the whole process with SIGSYS (and a core dump).
    KillProcess,
    /// Kill the calling thread.
    KillThread,
    /// Deliver SIGSYS with this value in `si_errno`; the call is not made.
    Trap(u16),
    /// Fail the call with this errno value (this architecture's number: ENOSYS is 38 on most,
    /// 89 on mips); the kernel caps it at 4095.
    Errno(u16),
    /// Make the call and log it (audit).
    Log,
    /// Make the call.
    Allow,
    /// Any other word, as is (trace, user notification, unknown actions).
    Other(u32),
}

impl Action {
    /// The word a filter returns for this action.
    pub const fn word(self) -> u32 {
        match self {
            Action::KillProcess => RET_KILL_PROCESS,
            Action::KillThread => RET_KILL_THREAD,
            Action::Trap(d) => RET_TRAP | d as u32,
            Action::Errno(e) => RET_ERRNO | e as u32,
            Action::Log => RET_LOG,
            Action::Allow => RET_ALLOW,
            Action::Other(w) => w,
        }
    }

    /// The action a returned word stands for. Data bits of actions that carry none make it
    /// [`Action::Other`], so `from_word(w).word() == w` for every `w`.
    pub const fn from_word(word: u32) -> Action {
        let data = (word & RET_DATA) as u16;
        match word & RET_ACTION_FULL {
            RET_KILL_PROCESS if data == 0 => Action::KillProcess,
            RET_KILL_THREAD if data == 0 => Action::KillThread,
            RET_TRAP => Action::Trap(data),
            RET_ERRNO => Action::Errno(data),
            RET_LOG if data == 0 => Action::Log,
            RET_ALLOW if data == 0 => Action::Allow,
            _ => Action::Other(word),
        }
    }
}

impl fmt::Display for Action {
    /// As seccomp-tools names return values: `ALLOW`, `KILL_PROCESS`, `ERRNO(1)`, `TRAP`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Action::KillProcess => f.write_str("KILL_PROCESS"),
            Action::KillThread => f.write_str("KILL"),
            Action::Trap(0) => f.write_str("TRAP"),
            Action::Trap(d) => write!(f, "TRAP({d})"),
            Action::Errno(e) => write!(f, "ERRNO({e})"),
            Action::Log => f.write_str("LOG"),
            Action::Allow => f.write_str("ALLOW"),
            Action::Other(w) => match w & RET_ACTION_FULL {
                RET_TRACE => write!(f, "TRACE({})", w & RET_DATA),
                RET_USER_NOTIF => write!(f, "USER_NOTIF({})", w & RET_DATA),
                _ => write!(f, "{w:#010x}"),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_round_trip() {
        for w in [
            0,
            1,
            0x8000_0000,
            0x8000_0001,
            0x0003_0007,
            0x0005_0026,
            0x7ffc_0000,
        ]
        .into_iter()
        .chain([0x7fff_0000, 0x7fff_0001, 0x7ff0_0005, 0xffff_ffff])
        {
            assert_eq!(Action::from_word(w).word(), w, "{w:#x}");
        }
    }
}
