#!/usr/bin/env python3
"""Generate the kernel's system call prototypes, per architecture, from the kernel source.

Reads an unpacked Linux source tree (Debian's `linux-source-*`) and sys-core's generated
syscall-number tables (`sys-core/src/nr/<arch>.rs`, from `tools/gen-syscall-tables.sh`), and
writes:

- `sys-core/src/proto/<arch>.rs`: for every system call number of the architecture, the entry
  point the kernel's own table names (`arch/*/…/syscall*.tbl`, or `scripts/syscall.tbl` with the
  ABIs of the architecture's `Makefile.syscalls`), its prototype from the `SYSCALL_DEFINEn` that
  defines it (the architecture's own definition first, then the generic one; a plain
  `asmlinkage long sys_…(…)` for the few entry points written without the macro), and per
  argument: name, C type, kind (a word, a 64-bit value, a `const __user` pointer the kernel
  reads, a `__user` pointer it may write) and whether it takes a register pair there;
- `sys-macros/src/proto_table.rs`: the architecture-neutral part the proc macro checks with the
  user's spans (names, kinds where every architecture agrees, which calls write memory, which
  cannot fail).

What is not in the kernel's prototypes comes from short hand-maintained lists below, each entry
with its reason, checked by reading the call's implementation: non-const `__user` pointers the
kernel only reads (`READ_ONLY`), pointers it reads that hold pointers it writes through
(`WRITES_INSIDE`), calls that write memory other than through a pointer argument
(`WRITES_MEMORY`), calls that cannot fail (`CANNOT_FAIL`) and multiplexers whose writes depend on
a command (`MULTIPLEXERS`). An entry that names no argument (or call) of any architecture is an
error. Each pointer's length argument comes from a name rule with exceptions (`LENGTHS`), the size
of what it points at on each architecture from a small ABI model (`POINTEE_SIZES`, or
linux-raw-sys's own structure where the layout is the architecture's).

Python 3.11, standard library only. Normally run through `tools/gen-syscall-protos.sh`, which
fetches the source first. Output is deterministic.
"""

from __future__ import annotations

import argparse
import dataclasses
import re
import subprocess
import sys
from pathlib import Path

GENERATOR = "tools/gen-syscall-protos.sh"


@dataclasses.dataclass(frozen=True)
class Arch:
    name: str  # Rust target_arch
    label: str  # for messages
    tbl: str  # the kernel's table, relative to the source root
    abis: tuple[str, ...]  # ABI column values that apply
    archdir: str  # arch/<archdir> holds its own definitions
    bits: int
    pair_align: bool  # 64-bit pairs start at an even register
    base: int = 0  # number offset of the table (mips)
    makefile: str = ""  # Makefile.syscalls adding ABIs (generic-table architectures)


ARCHES: tuple[Arch, ...] = (
    Arch("x86_64", "x86_64", "arch/x86/entry/syscalls/syscall_64.tbl", ("common", "64"), "x86",
         64, False),
    Arch("x86", "x86 (i386)", "arch/x86/entry/syscalls/syscall_32.tbl", ("i386",), "x86", 32,
         False),
    Arch("aarch64", "aarch64", "arch/arm64/tools/syscall_64.tbl", ("common", "64"), "arm64", 64,
         False, makefile="arch/arm64/kernel/Makefile.syscalls"),
    Arch("arm", "arm (EABI)", "arch/arm/tools/syscall.tbl", ("common", "eabi"), "arm", 32, True),
    Arch("riscv64", "riscv64", "scripts/syscall.tbl", ("common", "64"), "riscv", 64, False,
         makefile="arch/riscv/kernel/Makefile.syscalls"),
    Arch("powerpc64", "powerpc64", "arch/powerpc/kernel/syscalls/syscall.tbl",
         ("common", "64", "nospu"), "powerpc", 64, False),
    Arch("s390x", "s390x", "arch/s390/kernel/syscalls/syscall.tbl", ("common", "64"), "s390",
         64, False),
    Arch("loongarch64", "loongarch64", "scripts/syscall.tbl", ("common", "64"), "loongarch", 64,
         False, makefile="arch/loongarch/kernel/Makefile.syscalls"),
    Arch("mips", "mips (o32)", "arch/mips/kernel/syscalls/syscall_o32.tbl", ("o32", "common"), "mips",
         32, True, base=4000),
    Arch("mips64", "mips64 (n64)", "arch/mips/kernel/syscalls/syscall_n64.tbl", ("n64", "common"), "mips",
         64, False, base=5000),
)

# Entry points written in assembly that pass their arguments on to another entry point
# unchanged (arm's `sys_mmap2` in entry-common.S: the page offset straight to mmap_pgoff).
# `*_wrapper` entry points (arm) are handled by name: they call the function without it.
ENTRY_ALIASES: dict[tuple[str, str], str] = {
    ("arm", "sys_mmap2"): "sys_mmap_pgoff",
}

# Entry points that take no argument from the caller (they read the signal frame from the
# stack), whatever their C signature says.
NO_ARGS = frozenset({"sigreturn", "rt_sigreturn"})

ARCH_DIRS = frozenset(a.archdir for a in ARCHES)

# C types of 64 bits on every architecture: a register pair on 32-bit ones.
WIDE_TYPES = frozenset({"loff_t", "u64", "s64", "__u64", "__s64", "long long",
                        "unsigned long long", "__kernel_loff_t", "off64_t"})

# Non-const `__user` pointers the kernel only reads (it copies them in and never writes them
# back): (call, argument). Checked by reading each call's implementation in the kernel source.
READ_ONLY: dict[tuple[str, str], str] = {
    ("bind", "umyaddr"): "move_addr_to_kernel only",
    ("rt_sigprocmask", "nset"): "copy_from_user (only `oset` is written)",
    ("connect", "uservaddr"): "move_addr_to_kernel only",
    ("sendto", "buff"): "the data sent",
    ("sendto", "addr"): "move_addr_to_kernel only",
    ("sendmsg", "msg"): "copy_msghdr_from_user only",
    ("setsockopt", "optval"): "the option's new value",
    ("mount", "dev_name"): "strndup_user/copy_mount_string",
    ("mount", "dir_name"): "user_path_at",
    ("mount", "type"): "copy_mount_string",
    ("mount", "data"): "copy_mount_options",
    ("nanosleep", "rqtp"): "get_timespec64",
    ("clock_nanosleep", "rqtp"): "get_timespec64",
    ("utimensat", "utimes"): "get_timespec64",
    ("utimes", "utimes"): "copy_from_user",
    ("futimesat", "utimes"): "copy_from_user",
    # The 32-bit time_t forms (`*_time32`, `utime32`) of the 32-bit architectures name it `t`.
    ("utimensat", "t"): "get_old_timespec32",
    ("utimes", "t"): "get_old_timeval32",
    ("futimesat", "t"): "get_old_timeval32",
    ("utime", "t"): "get_user of each field",
    ("settimeofday", "tv"): "get_user",
    ("settimeofday", "tz"): "copy_from_user",
    ("setrlimit", "rlim"): "copy_from_user",
    ("sched_setparam", "param"): "copy_from_user",
    ("sched_setscheduler", "param"): "copy_from_user",
    ("sethostname", "name"): "copy_from_user",
    ("setdomainname", "name"): "copy_from_user",
    ("setgroups", "grouplist"): "groups_from_user",
    ("sched_setaffinity", "user_mask_ptr"): "get_user_cpu_mask",
    ("setitimer", "value"): "get_itimerval",
    ("timer_create", "timer_event_spec"): "copy_from_user",
    ("rt_sigqueueinfo", "uinfo"): "copy_siginfo_from_user",
    ("rt_tgsigqueueinfo", "uinfo"): "copy_siginfo_from_user",
    ("semop", "tsops"): "copy_from_user",
    ("semtimedop", "tsops"): "copy_from_user",
    ("msgsnd", "msgp"): "load_msg",
    ("mq_open", "u_attr"): "copy_from_user",
    ("epoll_ctl", "event"): "copy_from_user",
    ("init_module", "umod"): "copy_from_user",
    ("kexec_load", "segments"): "copy_from_user",
    ("signalfd4", "user_mask"): "copy_from_user into a kernel sigset_t",
    ("signalfd", "user_mask"): "copy_from_user into a kernel sigset_t",
    ("openat2", "how"): "copy_struct_from_user",
    ("futex_waitv", "waiters"): "futex_parse_waitv: copy_from_user; the futex words only read",
    ("futex_waitv", "timeout"): "futex2_setup_timeout: get_timespec64",
    ("futex_requeue", "waiters"): "futex_parse_waitv: copy_from_user of the two waiters",
    ("futex_wait", "uaddr"): "futex_wait_setup: futex_get_value_locked reads the word",
    ("futex_wait", "timeout"): "futex2_setup_timeout: get_timespec64",
    ("futex_wake", "uaddr"): "get_futex_key only (the word is not accessed)",
    ("cachestat", "cstat_range"): "copy_from_user",
    ("mount_setattr", "uattr"): "copy_struct_from_user",
    ("open_tree_attr", "uattr"): "copy_struct_from_user",
    ("file_setattr", "ufattr"): "copy_struct_from_user",
    ("clone3", "uargs"): "copy_clone_args_from_user: copy_struct_from_user",
    ("pselect6", "sig"): "get_sigset_argpack: reads the {sigset pointer, size} pair",
    ("pselect6_time64", "sig"): "get_sigset_argpack: reads the {sigset pointer, size} pair",
    ("io_submit", "iocbpp"): "get_user of each iocb pointer (the iocbs: see WRITES_INSIDE)",
    ("io_cancel", "iocb"): "get_user of aio_key only",
    ("io_getevents", "timeout"): "get_timespec64 / get_old_timespec32",
    ("io_pgetevents", "timeout"): "get_timespec64 / get_old_timespec32",
    ("io_pgetevents_time64", "timeout"): "get_timespec64",
    ("lsm_set_self_attr", "ctx"): "security_setselfattr: memdup_user",
    ("getxattrat", "uargs"): "copy_struct_from_user (the value buffer: see WRITES_INSIDE)",
    ("select", "arg"): "old_select: copy_from_user (the sets: see WRITES_INSIDE)",
    ("mmap", "arg"): "old_mmap: copy_from_user of mmap_arg_struct",
    ("move_pages", "pages"): "do_pages_move/do_pages_stat: get_user of each address; the pages "
                             "are moved, not written",
    ("open_by_handle_at", "handle"): "handle_to_path: copy_from_user only",
    ("pidfd_send_signal", "info"): "copy_siginfo_from_user_any",
    ("rt_sigsuspend", "unewset"): "copy_from_user",
    ("sigsuspend", "uset"): "mips: copy_from_user via sys_rt_sigsuspend",
    ("sigprocmask", "nset"): "copy_from_user (only `oset` is written)",
    ("setgroups32", "grouplist"): "groups_from_user",
    ("semtimedop", "tsems"): "do_semtimedop: copy_from_user",
    ("semtimedop_time64", "tsops"): "do_semtimedop: copy_from_user",
    ("utimensat_time64", "utimes"): "get_timespec64",
    ("clock_settime", "tp"): "get_old_timespec32 (the 32-bit form)",
    ("timer_settime", "new"): "get_old_itimerspec32 (the 32-bit form)",
    ("utime", "filename"): "user_path_at",
    ("utime", "times"): "copy_from_user",
    ("utimes", "filename"): "user_path_at via do_utimes",
    ("umount", "name"): "user_path_at via ksys_umount",
    ("umount2", "name"): "user_path_at via ksys_umount",
    ("stime", "tptr"): "get_user",
    ("send", "buff"): "the data sent (__sys_sendto)",
    ("reboot", "arg"): "strncpy_from_user for LINUX_REBOOT_CMD_RESTART2 only",
    ("pciconfig_write", "buf"): "get_user of the value written to config space",
}

# Pointers the kernel reads (`const`, or in READ_ONLY) that hold pointers it writes through:
# (call, argument) -> how, from the call's implementation. Each gives the argument
# `writes_inside` and the call `writes: true` in the neutral table, so `readonly` is refused.
# (recvmsg's and recvmmsg's headers are written themselves: already `Out`.)
WRITES_INSIDE: dict[tuple[str, str], str] = {
    ("readv", "vec"): "do_readv: import_iovec(ITER_DEST) + copy_to_iter fill the buffers",
    ("preadv", "vec"): "do_preadv: import_iovec(ITER_DEST) + copy_to_iter fill the buffers",
    ("preadv2", "vec"): "do_preadv: import_iovec(ITER_DEST) + copy_to_iter fill the buffers",
    ("process_vm_readv", "lvec"): "process_vm_rw: import_iovec(ITER_DEST) + copy_page_to_iter "
                                  "fill the local buffers",
    ("process_vm_writev", "rvec"): "process_vm_rw_core: copy_page_from_iter writes the target's "
                                   "pages (the caller's own with its own pid)",
    ("vmsplice", "uiov"): "vmsplice_to_user: import_iovec(ITER_DEST) + copy_page_to_iter fill "
                          "the buffers from a pipe's read end",
    ("io_submit", "iocbpp"): "io_submit_one: put_user(KIOCB_KEY, &iocb->aio_key) into each "
                             "iocb; IOCB_CMD_PREAD/PREADV fill aio_buf (aio_setup_rw ITER_DEST)",
    ("getxattrat", "uargs"): "copy_struct_from_user, then do_getxattr copy_to_user into the "
                             "args.value buffer",
    ("select", "arg"): "old_select: copy_from_user of sel_arg_struct, then kern_select writes "
                       "inp/outp/exp/tvp",
    ("clone3", "uargs"): "copy_clone_args_from_user; put_user of pidfd (copy_process) and "
                         "parent_tid (kernel_clone), child_tid set/cleared by the child",
    ("sigaltstack", "uss"): "do_sigaltstack records ss_sp; signal delivery writes frames there",
}

# The length argument of a pointer: a Word argument with one of these names right after the
# pointer (`read(fd, buf, count)`), else right before it (`sched_getaffinity(pid, len, mask)`,
# `getgroups(gidsetsize, list)`, `io_submit(ctx, nr, iocbpp)`); LENGTHS below overrides both.
LEN_NAME = re.compile(r"count|len|size|usize|sz|nbytes|bufsiz|bufsize|addrlen|addr_len|optlen|"
                      r"plen|msg_len|msgsz|sizemask|sigsetsize|argsz|rseq_len|cmdline_len|"
                      r"cpusetsize|vlen|nfds|maxevents|nsops|gidsetsize|nr|nr_\w+|\w+cnt|"
                      r"\w+_count|maxnode")
# What such a length counts, from its name: elements of the pointee type, bits, or else bytes.
ELEMENTS_NAME = re.compile(r"vlen|nfds|maxevents|nsops|gidsetsize|nr|nr_\w+|\w+cnt|\w+_count")
BITS_NAME = re.compile(r"maxnode")

# Where the rule above is wrong or silent: (call, pointer) -> (its length argument or None,
# what it counts or None for the name's unit, why).
LENGTHS: dict[tuple[str, str], tuple[str | None, str | None, str]] = {
    ("rt_sigprocmask", "nset"): ("sigsetsize", "Bytes", "both sets are sigsetsize bytes"),
    ("rt_sigtimedwait", "uthese"): ("sigsetsize", "Bytes", "the set is sigsetsize bytes"),
    ("rt_sigtimedwait", "uts"): (None, None, "sigsetsize is the set's size, not the timeout's"),
    ("rt_sigtimedwait_time64", "uthese"): ("sigsetsize", "Bytes", "the set is sigsetsize bytes"),
    ("rt_sigtimedwait_time64", "uts"): (None, None, "sigsetsize is the set's, not the timeout's"),
    ("rt_sigaction", "oact"): (None, None, "sigsetsize is the size of sa_mask inside, not of "
                                           "the struct sigaction"),
    ("rt_sigaction", "act"): (None, None, "as oact"),
    ("copy_file_range", "off_in"): (None, None, "len is the byte count to copy"),
    ("copy_file_range", "off_out"): (None, None, "len is the byte count to copy"),
    ("splice", "off_in"): (None, None, "len is the byte count to move"),
    ("splice", "off_out"): (None, None, "len is the byte count to move"),
    ("futex_requeue", "waiters"): (None, None, "always two waiters; nr_wake and nr_requeue count "
                                               "tasks"),
    ("sendfile", "offset"): (None, None, "count is the byte count to send"),
    ("sendfile64", "offset"): (None, None, "count is the byte count to send"),
    ("msgsnd", "msgp"): (None, None, "load_msg: msgsz counts mtext only, after the long mtype"),
    ("msgrcv", "msgp"): (None, None, "do_msgrcv: msgsz counts mtext only, after the long mtype"),
    ("mincore", "vec"): (None, None, "len is the address range's; vec gets a byte per page"),
    ("io_setup", "ctxp"): (None, None, "nr_events sizes the ring; ctxp is one aio_context_t"),
    ("readdir", "dirent"): (None, None, "old_readdir fills one entry; count is unused"),
    ("futex_wake", "uaddr"): (None, None, "nr is the number of waiters to wake"),
    ("migrate_pages", "old_nodes"): ("maxnode", "Bits", "get_nodes: both masks are maxnode "
                                                        "bits"),
    ("migrate_pages", "new_nodes"): ("maxnode", "Bits", "get_nodes: both masks are maxnode "
                                                        "bits"),
    ("statfs64", "pathname"): (None, None, "sz is the size of buf"),
    ("statfs64", "buf"): ("sz", "Bytes", "sz must be sizeof(struct statfs64)"),
    ("move_pages", "nodes"): ("nr_pages", "Elements", "one node per page"),
    ("move_pages", "status"): ("nr_pages", "Elements", "one status per page"),
    ("select", "inp"): ("n", "Bits", "core_sys_select: each set holds n bits"),
    ("select", "outp"): ("n", "Bits", "core_sys_select: each set holds n bits"),
    ("select", "exp"): ("n", "Bits", "core_sys_select: each set holds n bits"),
    ("_newselect", "inp"): ("n", "Bits", "core_sys_select: each set holds n bits"),
    ("_newselect", "outp"): ("n", "Bits", "core_sys_select: each set holds n bits"),
    ("_newselect", "exp"): ("n", "Bits", "core_sys_select: each set holds n bits"),
    ("pselect6", "inp"): ("n", "Bits", "core_sys_select: each set holds n bits"),
    ("pselect6", "outp"): ("n", "Bits", "core_sys_select: each set holds n bits"),
    ("pselect6", "exp"): ("n", "Bits", "core_sys_select: each set holds n bits"),
    ("pselect6_time64", "inp"): ("n", "Bits", "core_sys_select: each set holds n bits"),
    ("pselect6_time64", "outp"): ("n", "Bits", "core_sys_select: each set holds n bits"),
    ("pselect6_time64", "exp"): ("n", "Bits", "core_sys_select: each set holds n bits"),
    ("s390_pci_mmio_read", "user_buffer"): ("length", "Bytes", "the bytes read"),
    ("s390_pci_mmio_write", "user_buffer"): ("length", "Bytes", "the bytes written"),
}

# Calls that change memory Rust can see other than through a pointer argument: `readonly` is
# wrong for them whatever their arguments.
WRITES_MEMORY: dict[str, str] = {
    "madvise": "MADV_DONTNEED and MADV_FREE discard contents",
    "process_madvise": "as madvise",
    "munmap": "removes mappings",
    "mremap": "moves mappings",
    "mmap": "MAP_FIXED replaces mappings",
    "mmap2": "as mmap",
    "shmat": "maps a segment",
    "shmdt": "unmaps a segment",
    "brk": "changes the heap",
    "remap_file_pages": "changes mappings",
    "clone": "the child runs on the caller's memory (CLONE_VM) and writes tids",
    "clone3": "as clone",
    "vfork": "the child runs on the caller's memory",
    "set_tid_address": "the kernel writes the tid there at exit",
    "set_robust_list": "the kernel walks and writes the list at exit",
    "rseq": "the kernel writes the area on every preemption",
    "io_uring_enter": "completes requests into shared rings and buffers",
    "process_vm_writev": "writes a process's memory (possibly the caller's)",
}

# Multiplexers with commands that store into the caller's memory (through an integer argument
# that is a pointer for that command): `writes` is true for them, whatever their prototypes say.
# (The macro refuses `readonly` on every multiplexer anyway; this keeps the table's facts right,
# as the syzkaller cross-check of sys-macros/src/directions_test.rs asks.)
MULTIPLEXER_WRITES: dict[str, str] = {
    "fcntl": "F_GETLK, F_OFD_GETLK, F_GETOWN_EX, F_GET_RW_HINT: copy_to_user through arg",
    "fcntl64": "as fcntl (F_GETLK64 too)",
    "ioctl": "_IOR/_IOWR commands: copy_to_user through arg",
    "prctl": "PR_GET_PDEATHSIG, PR_GET_NAME, PR_GET_TID_ADDRESS, …: put_user/copy_to_user through arg2",
    "arch_prctl": "ARCH_GET_FS/ARCH_GET_GS: put_user through arg2",
    "keyctl": "KEYCTL_READ, KEYCTL_DESCRIBE, KEYCTL_GET_SECURITY, KEYCTL_DH_COMPUTE, KEYCTL_PKEY_*",
    "ptrace": "PTRACE_PEEK*, PTRACE_GETREGS, PTRACE_GETSIGINFO, PTRACE_GETEVENTMSG: put_user/copy_to_user",
    "semctl": "IPC_STAT, SEM_STAT, GETALL: copy_to_user through the fourth argument",
    "sysfs": "option 2: copy_to_user of the file system's name",
    "msgctl": "IPC_STAT, MSG_STAT, MSG_INFO: copy_to_user through buf",
    "shmctl": "IPC_STAT, SHM_STAT, SHM_INFO: copy_to_user through buf",
    "quotactl": "Q_GETQUOTA, Q_GETINFO, Q_GETFMT, Q_XGETQSTAT: copy_to_user through addr",
    "socketcall": "the socket calls it stands for (recvmsg, getsockopt, …)",
    "ipc": "the IPC calls it stands for (msgrcv, semctl, shmat, …)",
    "bpf": "BPF_MAP_LOOKUP_ELEM, BPF_OBJ_GET_INFO_BY_FD, …: copy_to_user through attr's pointers",
    "seccomp": "SECCOMP_GET_NOTIF_SIZES: copy_to_user through uargs",
    "io_uring_register": "IORING_REGISTER_PROBE, IORING_REGISTER_RING_FDS, …: copy_to_user through arg",
    "perf_event_open": "the attribute's size field on E2BIG",
}

# Calls that write through an integer argument depending on a command: neither their pointer
# arguments nor `readonly` can be checked from the prototype.
MULTIPLEXERS = frozenset({"ioctl", "fcntl", "fcntl64", "prctl", "arch_prctl", "ptrace", "keyctl",
                          "socketcall", "ipc", "syscall", "quotactl", "sysfs", "bpf",
                          "perf_event_open", "seccomp", "io_uring_register", "ioperm", "iopl",
                          "vm86", "vm86old", "modify_ldt", "cacheflush", "sysmips",
                          "s390_runtime_instr", "spu_run", "subpage_prot", "rtas", "swapcontext",
                          "sys_debug_setcontext", "msgctl", "semctl", "shmctl", "nfsservctl"})

# Calls that cannot fail (their man pages: "always successful", or a value that is never an
# error): a plain return type is right for them; every other call can fail.
CANNOT_FAIL: dict[str, str] = {
    "getpid": "getpid(2): always successful",
    "getppid": "getpid(2): always successful",
    "gettid": "gettid(2): always successful",
    "getuid": "getuid(2): always successful",
    "geteuid": "getuid(2): always successful",
    "getgid": "getgid(2): always successful",
    "getegid": "getgid(2): always successful",
    "getuid32": "getuid(2): always successful",
    "geteuid32": "getuid(2): always successful",
    "getgid32": "getgid(2): always successful",
    "getegid32": "getgid(2): always successful",
    "getpgrp": "getpgrp(2): always successful (POSIX)",
    "umask": "umask(2): always succeeds",
    "sched_yield": "sched_yield(2): on Linux always succeeds",
    "sync": "sync(2): always successful",
    "set_tid_address": "set_tid_address(2): always succeeds",
    "alarm": "alarm(2): returns the seconds left, never an error",
    "exit": "does not return",
    "exit_group": "does not return",
    "restart_syscall": "returns the restarted call's result",
    "rt_sigreturn": "returns the interrupted context's register",
    "sigreturn": "returns the interrupted context's register",
    "brk": "SYSCALL_DEFINE1(brk): returns the new break, or the old one when it cannot move "
           "(its -EINTR needs a fatal signal: the caller never sees it)",
    "setfsuid": "__sys_setfsuid: returns the previous fsuid, never an errno",
    "setfsgid": "__sys_setfsgid: returns the previous fsgid, never an errno",
    "setfsuid32": "as setfsuid",
    "setfsgid32": "as setfsgid",
    "personality": "returns the previous personality, never an errno",
    "sgetmask": "returns the blocked mask (a mask with high bits would decode as an errno)",
    "ssetmask": "returns the previous blocked mask",
}

# The size of one object a pointer points at, per architecture: kernel scalars and structures
# of fixed layout, from a small ABI model (`W` = a word: long, pointer, size_t; 4 or 8 bytes).
# Structures whose layout differs per architecture in ways the model does not describe come
# from linux-raw-sys (the kernel's uapi headers, per architecture) as `size_of` expressions.
# Byte buffers (void, char, u8), what a length counts in bytes or bits, variable-size
# structures (sockaddr, file_handle, linux_dirent, msgbuf, lsm_ctx) and extensible ones read
# with their size inside (sched_attr, mnt_id_req, perf_event_attr) are 0: unknown.
W = "W"
POINTEE_SIZES: dict[str, int | str] = {
    "int": 4, "unsigned int": 4, "unsigned": 4, "u32": 4, "__u32": 4, "s32": 4, "__s32": 4,
    "long": W, "unsigned long": W, "size_t": W, "off_t": W, "__kernel_old_time_t": W,
    "aio_context_t": W, "old_sigset_t": W,
    "loff_t": 8, "u64": 8, "__u64": 8, "s64": 8, "long long": 8,
    "pid_t": 4, "uid_t": 4, "gid_t": 4, "key_serial_t": 4, "clockid_t": 4, "timer_t": 4,
    "old_time32_t": 4, "qid_t": 4,
    "struct __kernel_timespec": 16, "struct old_timespec32": 8,
    "struct __kernel_itimerspec": 32, "struct old_itimerspec32": 16,
    "struct __kernel_old_timeval": "2W", "struct old_timeval32": 8,
    "struct __kernel_old_itimerval": "4W",
    "struct timezone": 8, "struct rlimit": "2W", "struct rlimit64": 16,
    "struct rusage": "18W",  # two __kernel_old_timeval and 14 longs
    "struct pollfd": 8, "struct iovec": "2W", "struct sembuf": 6,
    "struct user_msghdr": "7W",  # name, namelen (padded), iov, iovlen, control, controllen, flags
    "struct mmsghdr": "8W",  # user_msghdr and msg_len, padded to a word
    "struct tms": "4W", "struct utimbuf": "2W", "struct old_utimbuf32": 8,
    "struct mq_attr": "8W", "struct __aio_sigset": "2W", "stack_t": "3W",
    "struct sigevent": 64, "siginfo_t": 128, "struct siginfo": 128,
    "struct sched_param": 4, "struct new_utsname": 390, "struct old_utsname": 325,
    "struct oldold_utsname": 45, "struct statx": 256, "struct __kernel_timex": 208,
    "struct old_timex32": 128, "struct cachestat_range": 16, "struct cachestat": 40,
    "struct futex_waitv": 24, "struct io_event": 32, "struct iocb": 64,
    "struct io_uring_params": 120, "struct kexec_segment": "4W", "struct riscv_hwprobe": 16,
    "struct user_desc": 16, "struct mmap_arg_struct": "6W", "struct sel_arg_struct": "5W",
    "cap_user_header_t": 8, "cap_user_data_t": 12,
    "struct stat": "::core::mem::size_of::<linux_raw_sys::general::stat>()",
    "struct stat64": "::core::mem::size_of::<linux_raw_sys::general::stat64>()",
    "struct __old_kernel_stat":
        "::core::mem::size_of::<linux_raw_sys::general::__old_kernel_stat>()",
    "struct statfs": "::core::mem::size_of::<linux_raw_sys::general::statfs>()",
    "struct sysinfo": "::core::mem::size_of::<linux_raw_sys::system::sysinfo>()",
}


def pointee_size(arch: Arch, ctype: str) -> int | str:
    """The size on `arch` of what a pointer of C type `ctype` points at, 0 when unknown."""
    t = " ".join(w for w in ctype.split() if w not in ("__user", "const"))
    if t.startswith(("cap_user_", "const cap_user_")):
        return POINTEE_SIZES.get(t, 0)
    if not t.endswith("*"):
        return 0
    t = t[:-1].strip()
    word = arch.bits // 8
    if t.endswith("*"):
        return word  # an array of pointers (execve's argv, io_submit's iocbpp)
    if t in ("old_uid_t", "old_gid_t"):
        return 2 if arch.name in ("x86", "arm") else 4  # __kernel_old_uid_t
    if t == "sigset_t":
        return 16 if arch.name.startswith("mips") else 8  # _NSIG bits
    if t == "struct epoll_event":
        return 12 if arch.name in ("x86_64", "x86") else 16  # packed; u64 4-aligned on i386
    size = POINTEE_SIZES.get(t, 0)
    if size == W:
        return word
    if isinstance(size, str) and size.endswith("W"):
        return int(size[:-1]) * word
    return size


STORAGE = {"const", "volatile", "__user", "struct", "union", "enum", "signed"}


def fail(msg: str) -> None:
    sys.exit(f"gen-syscall-protos: error: {msg}")


def note(msg: str) -> None:
    print(f"gen-syscall-protos: {msg}", file=sys.stderr)


@dataclasses.dataclass
class Param:
    name: str
    ctype: str
    kind: str  # Word, Wide, In, Out
    len: tuple[int, str] | None = None  # (index of the length argument, Bytes/Elements/Bits)
    size: int | str = 0  # the pointee's size here (a number or a Rust size_of expression)

    def c(self) -> str:
        sep = "" if self.ctype.endswith("*") else " "
        return f"{self.ctype}{sep}{self.name}"


@dataclasses.dataclass
class Def:
    name: str  # without sys_
    params: list[Param]
    file: str
    line: int
    guard: str  # the innermost #if/#ifdef around it, for clone


def classify(ctype: str) -> str:
    t = " ".join(ctype.split())
    if t in ("cap_user_header_t", "cap_user_data_t"):
        return "Out"
    if t == "const cap_user_data_t":
        return "In"
    if "*" in t:
        if "__user" not in t:
            return "Word"  # an address the kernel does not dereference as user memory
        pointee = t[: t.rindex("*")]
        top = pointee[pointee.rindex("*") + 1:] if "*" in pointee else pointee
        return "In" if re.search(r"\bconst\b", top) else "Out"
    words = [w for w in t.split() if w not in STORAGE]
    return "Wide" if " ".join(words) in WIDE_TYPES else "Word"


def strip_comments(text: str) -> str:
    text = re.sub(r"/\*.*?\*/", lambda m: " " * 0 + "\n" * m.group(0).count("\n"), text, flags=re.S)
    return re.sub(r"//[^\n]*", "", text)


def balanced(text: str, start: int) -> tuple[str, int]:
    """The text inside the parentheses opening at text[start] == '('."""
    depth = 0
    for i in range(start, len(text)):
        if text[i] == "(":
            depth += 1
        elif text[i] == ")":
            depth -= 1
            if depth == 0:
                return text[start + 1:i], i + 1
    raise ValueError("unbalanced")


DEFINE = re.compile(r"^\s*SYSCALL_DEFINE([0-6])\s*\(", re.M)
ASMLINKAGE = re.compile(r"asmlinkage\s+long\s+sys_(\w+)\s*\(")


def parse_defines(root: Path) -> dict[str, list[Def]]:
    defs: dict[str, list[Def]] = {}
    for path in sorted(root.rglob("*.c")):
        rel = str(path.relative_to(root))
        if rel.startswith(("tools/", "Documentation/", "samples/")) or rel == "mm/nommu.c":
            continue
        if rel.startswith("arch/") and (rel.split("/")[1] not in ARCH_DIRS or "/um/" in rel):
            continue
        raw = path.read_text(errors="replace")
        if "SYSCALL_DEFINE" not in raw:
            continue
        text = strip_comments(raw)
        for m in DEFINE.finditer(text):
            n = int(m.group(1))
            inner, _ = balanced(text, m.end() - 1)
            parts = [" ".join(p.split()) for p in inner.split(",")]
            name, rest = parts[0], parts[1:]
            if len(rest) != 2 * n:
                fail(f"{rel}: SYSCALL_DEFINE{n}({name}) has {len(rest)} type/name parts")
            params = [Param(rest[2 * i + 1], rest[2 * i], classify(rest[2 * i]))
                      for i in range(n)]
            line = text.count("\n", 0, m.start()) + 1
            before = text[: m.start()]
            guards = re.findall(r"^#\s*(?:if|ifdef|elif|else)\b[^\n]*", before, re.M)
            defs.setdefault(name, []).append(Def(name, params, rel, line,
                                                 guards[-1] if guards else ""))
    return defs


def parse_asmlinkage(root: Path, files: list[Path]) -> dict[str, Def]:
    """`asmlinkage long sys_x(type name, …)` definitions and declarations."""
    out: dict[str, Def] = {}
    for path in files:
        text = strip_comments(path.read_text(errors="replace"))
        for m in ASMLINKAGE.finditer(text):
            inner, _ = balanced(text, m.end() - 1)
            params: list[Param] = []
            inner = " ".join(inner.split())
            if inner not in ("", "void"):
                for p in inner.split(","):
                    mm = re.match(r"(.*?[\s*])(\w+)$", p.strip())
                    if not mm or mm.group(1).strip() in ("", "unsigned", "struct", "const"):
                        break  # a declaration without parameter names: not usable
                    ctype = mm.group(1).strip()
                    params.append(Param(mm.group(2), ctype, classify(ctype)))
                else:
                    params.append(None)  # type: ignore[arg-type]
                if not params or params[-1] is not None:
                    continue
                params.pop()
            line = text.count("\n", 0, m.start()) + 1
            out.setdefault(m.group(1), Def(m.group(1), params,
                                           str(path.relative_to(root)), line, ""))
    return out


def merge_pairs(params: list[Param]) -> list[Param]:
    """Explicit low/high halves of one 64-bit value (x86's `sys_ia32_*`: `poslo, poshi`), in
    the order sys-core lays a pair out (low word first), become one 64-bit argument."""
    out: list[Param] = []
    i = 0
    while i < len(params):
        a = params[i]
        b = params[i + 1] if i + 1 < len(params) else None
        ma = re.fullmatch(r"(\w*?)_?(lo|low)", a.name)
        if b and ma and re.fullmatch(re.escape(ma.group(1)) + r"_?(hi|high)", b.name):
            out.append(Param(ma.group(1) or a.name, f"{a.ctype} {a.name}, {b.ctype} {b.name}",
                             "Wide"))
            i += 2
            continue
        out.append(a)
        i += 1
    return out


@dataclasses.dataclass
class Proto:
    name: str
    nr: int
    entry: str
    params: list[Param] | None  # None: no implementation (sys_ni_syscall) or not found
    c: str  # the prototype as text
    where: str  # file:line

    def kinds(self) -> tuple[str, ...] | None:
        return None if self.params is None else tuple(p.kind for p in self.params)


def read_tbl(root: Path, arch: Arch) -> dict[int, str]:
    abis = set(arch.abis)
    if arch.makefile:
        mk = (root / arch.makefile).read_text()
        for m in re.finditer(rf"syscall_abis_{arch.bits}\s*\+=\s*(.*)", mk):
            abis |= set(m.group(1).split())
    out: dict[int, str] = {}
    for line in (root / arch.tbl).read_text().splitlines():
        f = line.split()
        if not f or f[0].startswith("#") or len(f) < 3 or f[1] not in abis:
            continue
        nr = int(f[0]) + arch.base
        if nr not in out:
            out[nr] = f[3] if len(f) > 3 else "sys_ni_syscall"
    return out


def read_names(repo: Path, arch: Arch) -> list[tuple[str, int]]:
    text = (repo / f"sys-core/src/nr/{arch.name}.rs").read_text()
    m = re.search(r"static NAMES: &\[\(&str, usize\)\] = &\[(.*?)\];", text, re.S)
    if not m:
        fail(f"no NAMES table in sys-core/src/nr/{arch.name}.rs")
    return [(n, int(v)) for n, v in re.findall(r'\("(\w+)",\s*(\d+)\)', m.group(1))]


# Kconfig options that exist only for the other word size (arch_selects ignores what they select).
OTHER_WIDTH_OPTIONS: dict[int, frozenset[str]] = {
    64: frozenset({"X86_32", "PPC32", "32BIT"}),
    32: frozenset({"X86_64", "PPC64", "64BIT"}),
}


def arch_selects(root: Path, arch: Arch) -> set[str]:
    """The options the architecture's Kconfig selects (for definitions under `#ifdef CONFIG_…`
    such as clone's argument orders and the old sigsuspend forms)."""
    kconfig = (root / f"arch/{arch.archdir}/Kconfig").read_text()
    # Selects under the other word size's option do not apply: x86's `config X86_32` selects
    # CLONE_BACKWARDS, which x86_64 does not have (its clone takes child_tidptr before tls).
    other = OTHER_WIDTH_OPTIONS[arch.bits]
    selects: set[str] = set()
    block = ""
    for line in kconfig.splitlines():
        if m := re.match(r"(?:menu)?config (\w+)", line):
            block = m.group(1)
        elif m := re.match(r"\s+select (\w+)", line):
            if block not in other:
                selects.add(m.group(1))
    return selects


def resolve(entry: str, arch: Arch, defs: dict[str, list[Def]], asml: dict[str, dict[str, Def]],
            selects: set[str]) -> Def | None:
    entry = ENTRY_ALIASES.get((arch.name, entry), entry)
    name = entry.removeprefix("__").removeprefix("sys_").removesuffix("_wrapper")
    cands = defs.get(name, [])
    own = [d for d in cands if d.file.startswith(f"arch/{arch.archdir}/")]
    generic = [d for d in cands if not d.file.startswith("arch/")]
    pick = own or generic
    if len(pick) > 1:  # powerpc's pci_32.c and pci_64.c
        other = "32" if arch.bits == 64 else "64"
        pick = [d for d in pick if not re.search(rf"_{other}\.c$", d.file)] or pick
    if len(pick) > 1:
        chosen = [d for d in pick if set(re.findall(r"CONFIG_(\w+)", d.guard)) & selects]
        pick = chosen or [d for d in pick if d.guard.startswith("#else")] or pick
    if len(pick) > 1:
        kinds = {tuple((p.name, p.kind) for p in d.params) for d in pick}
        if len(kinds) > 1:
            fail(f"{arch.name}: {entry} has {len(pick)} differing definitions: "
                 + ", ".join(f"{d.file}:{d.line}" for d in pick))
    if pick:
        return pick[0]
    for source in (f"arch/{arch.archdir}", "generic"):
        if name in asml.get(source, {}):
            return asml[source][name]
    return None


def unit_of(name: str) -> str:
    if ELEMENTS_NAME.fullmatch(name):
        return "Elements"
    return "Bits" if BITS_NAME.fullmatch(name) else "Bytes"


def assign_lengths(p: Proto, undecided: list[str]) -> None:
    """Sets `len` of every pointer argument of `p` that has a length argument."""
    if p.params is None or p.name in MULTIPLEXERS:
        return
    params = p.params
    index = {q.name: i for i, q in enumerate(params)}
    ptrs = [i for i, q in enumerate(params) if q.kind in ("In", "Out")]
    lens = {i for i, q in enumerate(params) if q.kind == "Word" and LEN_NAME.fullmatch(q.name)}
    claimed: set[int] = set()
    done: set[int] = set()
    for i in ptrs:
        rule = LENGTHS.get((p.name, params[i].name))
        if rule is None:
            continue
        done.add(i)
        arg, unit, _ = rule
        if arg is not None:
            params[i].len = (index[arg], unit or unit_of(arg))
            claimed.add(index[arg])
    for i in ptrs:  # right after the pointer (a length two pointers share: rt_sigprocmask)
        if i not in done and i + 1 in lens:
            params[i].len = (i + 1, unit_of(params[i + 1].name))
            claimed.add(i + 1)
            done.add(i)
    for i in ptrs:  # right before it, when no pointer took it
        if i not in done and i - 1 in lens and i - 1 not in claimed:
            params[i].len = (i - 1, unit_of(params[i - 1].name))
            claimed.add(i - 1)
            done.add(i)
    left = lens - claimed
    for i in ptrs:
        if i not in done and left:
            undecided.append(f"{p.name}({params[i].name}; "
                             + ", ".join(params[j].name for j in sorted(left)) + ")")


def rust_str(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def ident(name: str) -> str:
    return f"r#{name}" if name in ("break", "yield", "type", "move") else name


def render_arch(arch: Arch, protos: list[Proto], source: str, tbl: str) -> str:
    out = [
        f"// @generated by {GENERATOR} from {source}: {tbl} (entry points) and the "
        "SYSCALL_DEFINEn (or asmlinkage) definitions they name. Do not edit.",
        f"//! Kernel prototypes of the system calls of {arch.label}, and the lookup by name behind",
        "//! `sys_core::proto::sys_proto!`.",
        "#![allow(non_upper_case_globals)]",
        "",
        "use super::{Kind::*, Param, Proto};",
        "",
    ]
    for p in protos:
        if p.params is None:
            body = (f"Proto::unknown({rust_str(p.name)}, {p.nr}, {rust_str(p.entry)})")
        else:
            words = 0
            ps = []
            for q in p.params:
                pair = q.kind == "Wide" and arch.bits == 32
                if pair:
                    if arch.pair_align and words % 2 == 1:
                        words += 1
                    words += 2
                else:
                    words += 1
                size = q.size if q.kind in ("In", "Out") and not (
                    q.len and q.len[1] in ("Bytes", "Bits")) else 0
                ps.append(f"Param::new({rust_str(q.name)}, {rust_str(q.ctype)}, {q.kind}, "
                          f"{'true' if pair else 'false'})"
                          + (f".pointee({size})" if size else ""))
            body = (f"Proto::new({rust_str(p.name)}, {p.nr}, {rust_str(p.entry)}, "
                    f"{rust_str(p.c)}, &[{', '.join(ps)}], {words}, "
                    f"{'false' if p.name in CANNOT_FAIL else 'true'})")
        out.append(f"/// `{p.c}` ({p.where})")
        out.append(f"pub const {ident(p.name)}: Proto = {body};")
    out.append("")
    out.append("/// Every call, sorted by number (a name that is another's alias right after it).")
    out.append("pub(crate) static ALL: &[&Proto] = &[" +
               ", ".join(f"&{ident(p.name)}" for p in protos) + "];")
    out.append("")
    out += [
        f"/// The kernel's prototype of system call `$name` on {arch.label}, as a",
        "/// `&'static Proto` constant expression; a name this architecture lacks gives",
        "/// `Proto::NONE` (`sys_nr!` reports it). Reached as `sys_core::proto::sys_proto!`.",
        "#[doc(hidden)]",
        "#[macro_export]",
        "macro_rules! __sys_proto {",
    ]
    for p in protos:
        pats = [p.name] + ([f"r#{p.name}"] if ident(p.name) != p.name else [])
        for pat in pats:
            out.append(f"    ({pat}) => {{ &$crate::proto::{ident(p.name)} }};")
    out.append("    ($other:ident) => { &$crate::proto::Proto::NONE };")
    out.append("}")
    return "\n".join(out) + "\n"


def neutral_len(name: str, i: int, have: list[Proto]) -> str:
    """Argument `i`'s length where every architecture agrees on it, as Rust."""
    found = {p.params[i].len for p in have if p.params}
    if len(found) != 1:
        note(f"{name}: argument {i}'s length differs between architectures: {sorted(map(str, found))}")
        return "None"
    got = found.pop()
    return "None" if got is None else f"Some(Len {{ index: {got[0]}, unit: {got[1]} }})"


def render_neutral(per_arch: dict[str, dict[str, Proto]], source: str) -> str:
    names = sorted(set().union(*(set(t) for t in per_arch.values())))
    out = [
        f"// @generated by {GENERATOR} from {source}: the per-architecture prototypes of "
        "sys-core/src/proto/ and the lists in tools/gen-syscall-protos.py. Do not edit.",
        "//! The architecture-neutral facts `#[syscall]` checks declarations against with the",
        "//! user's spans: argument names and kinds where every architecture agrees, whether a",
        "//! call writes memory, whether it can fail. Target-dependent facts (register counts,",
        "//! pairs) are checked by sys-core's per-architecture tables in `const` assertions.",
        "",
        "use crate::kproto::{KParam, KProto, Kind::*, Len, Unit::*};",
        "",
        "/// Every system call name of any supported architecture, sorted by name.",
        "pub(crate) static PROTOS: &[KProto] = &[",
    ]
    order = [a.name for a in ARCHES]
    for name in names:
        have = [per_arch[a][name] for a in order if name in per_arch[a] and
                per_arch[a][name].params is not None]
        if not have:
            continue
        first = have[0]
        agree = all(p.kinds() == first.kinds() for p in have)
        writes = any(q.kind == "Out" or (name, q.name) in WRITES_INSIDE
                     for p in have for q in p.params or []) or name in WRITES_MEMORY \
            or name in MULTIPLEXER_WRITES
        params = "None"
        if agree:
            ps = ", ".join(
                f"KParam {{ name: {rust_str(q.name)}, ctype: {rust_str(q.ctype)}, "
                f"kind: {q.kind}, len: {neutral_len(name, i, have)}, writes_inside: "
                + (f"Some({rust_str(WRITES_INSIDE[(name, q.name)])})"
                   if (name, q.name) in WRITES_INSIDE else "None")
                + " }" for i, q in enumerate(first.params or []))
            params = f"Some(&[{ps}])"
        out.append(
            f"    KProto {{ name: {rust_str(name)}, c: {rust_str(first.c)}, params: {params}, "
            f"writes: {'true' if writes else 'false'}, "
            f"multiplexer: {'true' if name in MULTIPLEXERS else 'false'}, "
            f"fails: {'false' if name in CANNOT_FAIL else 'true'} }},")
    out.append("];")
    return "\n".join(out) + "\n"


def rustfmt(text: str, cwd: Path) -> str:
    run = subprocess.run(["rustfmt", "--edition", "2024", "--emit", "stdout"], input=text,
                         capture_output=True, text=True, cwd=cwd)
    if run.returncode != 0:
        fail(f"rustfmt failed:\n{run.stderr[:3000]}")
    return run.stdout


def write(path: Path, text: str, repo: Path, written: list[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = rustfmt(text, path.parent)
    if not path.exists() or path.read_text() != text:
        path.write_text(text)
        written.append(str(path.relative_to(repo)))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--source-tree", required=True, type=Path, help="unpacked kernel source")
    ap.add_argument("--source", required=True, help='for the @generated line ("Debian …")')
    ap.add_argument("--repo", type=Path, default=Path(__file__).resolve().parent.parent)
    args = ap.parse_args()
    root: Path = args.source_tree.resolve()
    repo: Path = args.repo

    defs = parse_defines(root)
    asml: dict[str, dict[str, Def]] = {}
    for arch in ARCHES:
        d = root / f"arch/{arch.archdir}"
        files = sorted(d.rglob("*.c")) + sorted(d.rglob("syscalls.h"))
        asml[f"arch/{arch.archdir}"] = parse_asmlinkage(root, files)
    asml["generic"] = parse_asmlinkage(root, [root / "include/linux/syscalls.h"])
    note(f"{sum(len(v) for v in defs.values())} SYSCALL_DEFINEs for {len(defs)} names")

    written: list[str] = []
    per_arch: dict[str, dict[str, Proto]] = {}
    for arch in ARCHES:
        tbl = read_tbl(root, arch)
        selects = arch_selects(root, arch)
        protos: list[Proto] = []
        missing: list[str] = []
        for name, nr in read_names(repo, arch):
            entry = tbl.get(nr)
            if entry is None:
                fail(f"{arch.name}: {name} ({nr}) is not in {arch.tbl}")
            if entry in ("sys_ni_syscall", "sys_ni_posix_timers"):
                protos.append(Proto(name, nr, entry, None, f"{entry}()", arch.tbl))
                continue
            d = resolve(entry, arch, defs, asml, selects)
            if d is None and name in NO_ARGS:
                d = Def(name, [], arch.tbl, 0, "")
            if d is None:
                missing.append(f"{name}={entry}")
                protos.append(Proto(name, nr, entry, None, f"{entry}(…)", arch.tbl))
                continue
            # Copies: one definition serves several architectures, sizes differ.
            params = [dataclasses.replace(q) for q in merge_pairs(d.params)]
            c = f"{entry}({', '.join(p.c() for p in d.params) or 'void'})"
            protos.append(Proto(name, nr, entry, params, c, f"{d.file}:{d.line}"))
        per_arch[arch.name] = {p.name: p for p in protos}
        known = sum(p.params is not None for p in protos)
        note(f"proto/{arch.name}.rs: {len(protos)} calls, {known} with a prototype"
             + (f"; no definition found for {', '.join(missing)}" if missing else ""))
    def has_arg(call: str, arg: str) -> bool:
        return any(call in t and t[call].params and any(q.name == arg for q in t[call].params)
                   for t in per_arch.values())

    for list_name, entries in (("READ_ONLY", READ_ONLY), ("WRITES_INSIDE", WRITES_INSIDE)):
        for (call, arg) in entries:
            if not has_arg(call, arg):
                fail(f"{list_name}: {call}({arg}) is no argument of any architecture's {call}")
    for list_name, names in (("CANNOT_FAIL", CANNOT_FAIL), ("WRITES_MEMORY", WRITES_MEMORY),
                             ("MULTIPLEXERS", MULTIPLEXERS),
                             ("MULTIPLEXER_WRITES", MULTIPLEXER_WRITES)):
        for call in names:
            if not any(call in t for t in per_arch.values()):
                fail(f"{list_name}: {call} is no call of any architecture")
    # A READ_ONLY entry is stale once no architecture's prototype has the pointer without
    # `const` (sys-core/tests/proto_tracefs.rs accepts an entry whose pointer is const on the
    # running kernel: it may be for another architecture's form of the call).
    for (call, arg) in READ_ONLY:
        if not any(call in t and any(q.name == arg and q.kind == "Out"
                                     for q in t[call].params or [])
                   for t in per_arch.values()):
            fail(f"READ_ONLY: {call}({arg}) is `const` on every architecture: remove the entry")
    # Apply READ_ONLY after the check above so that kinds agree across architectures.
    for t in per_arch.values():
        for p in t.values():
            for q in p.params or []:
                if (p.name, q.name) in READ_ONLY and q.kind == "Out":
                    q.kind = "In"
                if (p.name, q.name) in WRITES_INSIDE and q.kind != "In":
                    fail(f"WRITES_INSIDE: {p.name}({q.name}) is `{q.kind}`, not a pointer the "
                         "kernel only reads (add it to READ_ONLY first)")
    for (call, arg), (length, _, _) in LENGTHS.items():
        if not has_arg(call, arg) or (length is not None and not has_arg(call, length)):
            fail(f"LENGTHS: {call}({arg}, {length}) names no argument of any architecture's "
                 f"{call}")
    undecided: list[str] = []
    for t in per_arch.values():
        for p in t.values():
            assign_lengths(p, undecided)
    for arch in ARCHES:
        for p in per_arch[arch.name].values():
            for q in p.params or []:
                q.size = pointee_size(arch, q.ctype) if q.kind in ("In", "Out") else 0
    sized = {(p.name, q.name) for t in per_arch.values() for p in t.values()
             for q in p.params or [] if q.size and not (q.len and q.len[1] != "Elements")}
    note(f"{len(sized)} pointer arguments (call, name) have a pointee size")
    counted = {(p.name, q.name) for t in per_arch.values() for p in t.values()
               for q in p.params or [] if q.len}
    note(f"{len(counted)} pointer arguments (call, name) have a length argument")
    if undecided:
        note("length undecided (a length-like argument no pointer took; add to LENGTHS): "
             + ", ".join(sorted(set(undecided))))
    for arch in ARCHES:
        protos = list(per_arch[arch.name].values())
        write(repo / f"sys-core/src/proto/{arch.name}.rs",
              render_arch(arch, protos, args.source, arch.tbl), repo, written)
    write(repo / "sys-macros/src/proto_table.rs", render_neutral(per_arch, args.source), repo,
          written)
    note(f"{len(set(written))} file(s) changed")


if __name__ == "__main__":
    main()
