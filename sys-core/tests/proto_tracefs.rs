//! The generated prototypes (`sys_core::proto`, from the Linux 7.3 source) cross-checked against
//! an independent source: the running kernel's own syscall tracepoint metadata. Every
//! `SYSCALL_DEFINEn` of a kernel built with `CONFIG_FTRACE_SYSCALLS` records its argument types
//! and names (`SYSCALL_METADATA` in include/linux/syscalls.h), and tracefs shows them in
//! `/sys/kernel/tracing/events/syscalls/sys_enter_<name>/format` (`field:const char * filename;`),
//! `__user` expanded away. For every call present in both: argument count, names, C types
//! (`__user` removed), which arguments are pointers and whether the kernel's pointee is `const`.
//! Every difference is listed below with its reason; a new one fails the test.
//!
//! x86_64 only: the metadata is the running kernel's, so it describes the target's own calls
//! only when the test runs natively (not under qemu-user, whose guests see the host's tracefs).
//! Reading tracefs needs root (the test mounts it when it is not mounted). Where it cannot run
//! (another user, no tracefs, another architecture) the test prints one line saying that it
//! did not check and why, and passes, so that `cargo test --workspace` passes for everyone;
//! `LIBSYS_REQUIRE_TRACEFS=1` (set by CI, which runs as root on x86_64) makes a natively run
//! x86_64 test that cannot read tracefs a failure.

use std::fs;
use std::path::Path;

use sys_core::proto::{self, Kind, Proto};

/// Where tracefs is mounted (since Linux 4.1; `/sys/kernel/debug/tracing` before).
const TRACEFS: &str = "/sys/kernel/tracing";
/// The syscall events in it.
const EVENTS: &str = "/sys/kernel/tracing/events/syscalls";
/// Set to 1 where this check must run (CI: root on x86_64): not being able to is a failure.
const REQUIRE: &str = "LIBSYS_REQUIRE_TRACEFS";

/// When a listed difference is explained.
#[derive(Clone, Copy, Debug)]
enum When {
    /// The running kernel is at most this version (the call or change came later).
    UpTo(u32, u32),
    /// The running kernel lacks a configuration option (an unconfigured call is
    /// `sys_ni_syscall` and has no metadata); checked in `/proc/config.gz` when it exists.
    Config(&'static str),
}

/// Calls of the table the running kernel has no tracepoint for.
const ABSENT: &[(&str, When, &str)] = &[
    ("listns", When::UpTo(6, 18), "added in 6.19"),
    ("rseq_slice_yield", When::UpTo(6, 18), "added after 6.18"),
    ("fchroot", When::UpTo(6, 18), "added after 6.18"),
    (
        "init_module",
        When::Config("CONFIG_MODULES"),
        "module loading",
    ),
    (
        "finit_module",
        When::Config("CONFIG_MODULES"),
        "module loading",
    ),
    (
        "delete_module",
        When::Config("CONFIG_MODULES"),
        "module loading",
    ),
    ("kexec_load", When::Config("CONFIG_KEXEC"), "kexec"),
    (
        "kexec_file_load",
        When::Config("CONFIG_KEXEC_FILE"),
        "kexec",
    ),
    (
        "map_shadow_stack",
        When::Config("CONFIG_X86_USER_SHADOW_STACK"),
        "user shadow stacks",
    ),
];

/// Calls whose arguments changed: (call, the older kernel's argument names, when, why).
const CHANGED: &[(&str, &[&str], When, &str)] = &[(
    "bpf",
    &["cmd", "uattr", "size"],
    When::UpTo(6, 18),
    "7.x appends uattr_common and size_common (common attributes for every command)",
)];

/// Arguments whose C type is spelled differently: (call, argument, the kernel's type, why).
const RETYPED: &[(&str, &str, &str, When, &str)] = &[
    (
        "semop",
        "nsops",
        "unsigned",
        When::UpTo(6, 18),
        "the same type, written `unsigned int` since",
    ),
    (
        "getcpu",
        "unused",
        "struct getcpu_cache *",
        When::UpTo(6, 18),
        "the unused third argument became `void __user *` (struct getcpu_cache was removed)",
    ),
];

/// Typedefs of `__user` pointers: the kernel's type shows no `*`, the table says In/Out.
const POINTER_TYPEDEFS: &[(&str, &str)] = &[
    (
        "cap_user_header_t",
        "struct __user_cap_header_struct __user *",
    ),
    ("cap_user_data_t", "struct __user_cap_data_struct __user *"),
];

/// Non-const pointers the kernel only reads (copies in, never writes back): the table says In
/// where the C type alone says Out. Each is checked in the kernel's implementation; the list is
/// the generator's own (`READ_ONLY` in tools/gen-syscall-protos.py), read from its source so
/// that there is one list: `(call, argument)`.
fn read_only() -> &'static [(String, String)] {
    static LIST: std::sync::OnceLock<Vec<(String, String)>> = std::sync::OnceLock::new();
    LIST.get_or_init(|| {
        let src = include_str!("../../tools/gen-syscall-protos.py");
        let start = src
            .find("\nREAD_ONLY: dict[")
            .expect("READ_ONLY in tools/gen-syscall-protos.py");
        let body = &src[start..];
        let body = &body[..body.find("\n}").expect("the end of READ_ONLY")];
        let list: Vec<(String, String)> = body
            .lines()
            .filter_map(|l| {
                let l = l.trim().strip_prefix("(\"")?;
                let (call, rest) = l.split_once("\", \"")?;
                let (arg, _) = rest.split_once("\"):")?;
                Some((call.to_owned(), arg.to_owned()))
            })
            .collect();
        assert!(
            list.len() >= 40,
            "READ_ONLY parsed as {} entries",
            list.len()
        );
        list
    })
}

/// The check cannot run here: one line saying so, or a failure where `LIBSYS_REQUIRE_TRACEFS=1`.
fn cannot_run(why: &str) {
    if std::env::var_os(REQUIRE).is_some_and(|v| v == "1") {
        panic!("{why}\n({REQUIRE}=1: this runner must read the kernel's syscall metadata)");
    }
    say(&format!(
        "proto_tracefs: prototypes not checked against the running kernel: {why} ({REQUIRE}=1 makes this a failure)"
    ));
}

/// One line to the test's stderr, past libtest's capture of `eprintln!` (shown for a test
/// that passes too).
fn say(line: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "{line}");
}

/// The check has nothing to compare on this target (the kernel's metadata describes another
/// architecture): one line saying so, whatever `LIBSYS_REQUIRE_TRACEFS` says.
fn not_applicable(why: &str) {
    say(&format!(
        "proto_tracefs: prototypes not checked against the running kernel: {why}"
    ));
}

#[test]
fn prototypes_match_the_running_kernels_syscall_metadata() {
    if !cfg!(target_arch = "x86_64") {
        return not_applicable(&format!(
            "the table is for {} but the kernel's metadata describes its own architecture",
            std::env::consts::ARCH
        ));
    }
    // qemu-user fakes uname but not this sysctl (the host's architecture).
    let arch = fs::read_to_string("/proc/sys/kernel/arch").unwrap_or_default();
    if !arch.is_empty() && arch.trim() != "x86_64" {
        return not_applicable(&format!(
            "emulated: the kernel is {}'s, not x86_64's",
            arch.trim()
        ));
    }
    let _mount = match Mount::ensure() {
        Ok(m) => m,
        Err(why) => return cannot_run(&why),
    };
    match Metadata::read() {
        Ok(meta) => compare(&meta),
        Err(why) => cannot_run(&why),
    }
}

/// The running kernel's version (major, minor), from `/proc/sys/kernel/osrelease`.
fn kernel_version() -> (u32, u32) {
    let release = fs::read_to_string("/proc/sys/kernel/osrelease").expect("osrelease");
    let mut it = release
        .split(|c: char| !c.is_ascii_digit())
        .map(|s| s.parse::<u32>().unwrap_or(0));
    (it.next().unwrap_or(0), it.next().unwrap_or(0))
}

/// The running kernel's configuration (`/proc/config.gz`, through `zcat`), when it has one.
fn kernel_config() -> Option<String> {
    let out = std::process::Command::new("zcat")
        .arg("/proc/config.gz")
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Whether `when` holds for the running kernel (a configuration option: checked when the
/// kernel exposes its configuration, assumed otherwise).
fn holds(when: When, version: (u32, u32), config: Option<&str>) -> bool {
    match when {
        When::UpTo(major, minor) => version <= (major, minor),
        When::Config(option) => config.is_none_or(|c| {
            !c.lines().any(|l| {
                l.strip_prefix(option)
                    .is_some_and(|v| v == "=y" || v == "=m")
            })
        }),
    }
}

/// One argument as the kernel's metadata gives it.
#[derive(Debug)]
struct Field {
    ctype: String,
    name: String,
}

/// Every `sys_enter_<name>` event: name and arguments.
struct Metadata(Vec<(String, Vec<Field>)>);

impl Metadata {
    fn read() -> Result<Self, String> {
        let dir = fs::read_dir(EVENTS).map_err(|e| {
            format!("cannot read {EVENTS}: {e} (root? a kernel with CONFIG_FTRACE_SYSCALLS?)")
        })?;
        let mut events = Vec::new();
        for entry in dir {
            let entry = entry.map_err(|e| e.to_string())?;
            let file = entry.file_name();
            let Some(name) = file.to_str().and_then(|f| f.strip_prefix("sys_enter_")) else {
                continue;
            };
            let path = entry.path().join("format");
            let text = fs::read_to_string(&path)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            events.push((name.to_owned(), parse_format(&text)));
        }
        if events.is_empty() {
            return Err(format!("{EVENTS} has no sys_enter_* events"));
        }
        events.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(Metadata(events))
    }

    fn get(&self, name: &str) -> Option<&[Field]> {
        let i = self.0.binary_search_by(|e| e.0.as_str().cmp(name)).ok()?;
        Some(&self.0[i].1)
    }
}

/// The arguments of a `format` file: the fields after `__syscall_nr`, such as
/// `\tfield:const char * filename;\toffset:24;\tsize:8;\tsigned:0;`.
fn parse_format(text: &str) -> Vec<Field> {
    let mut out = Vec::new();
    let mut args = false;
    for line in text.lines() {
        let Some(decl) = line
            .trim_start()
            .strip_prefix("field:")
            .and_then(|f| f.split(';').next())
        else {
            continue;
        };
        let split = decl
            .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .map_or(0, |i| i + 1);
        let (ctype, name) = decl.split_at(split);
        if args {
            out.push(Field {
                ctype: normalize(ctype),
                name: name.to_owned(),
            });
        }
        args |= name == "__syscall_nr";
    }
    out
}

/// A C type without `__user` and with single spaces (`const void * *`).
fn normalize(ctype: &str) -> String {
    ctype
        .split_whitespace()
        .filter(|w| *w != "__user")
        .collect::<Vec<_>>()
        .join(" ")
}

/// What the kernel's C type says about a pointer argument: `None` for a non-pointer,
/// `Some(true)` when the pointee is `const` (the kernel promises not to write through it).
fn pointee_const(ctype: &str) -> Option<bool> {
    // `const struct landlock_ruleset_attr *const`: the pointer itself is const; irrelevant.
    let t = ctype.trim_end_matches("const").trim_end();
    if let Some(&(_, def)) = POINTER_TYPEDEFS
        .iter()
        .find(|(name, _)| t.trim_start_matches("const ") == *name)
    {
        // `const cap_user_data_t` is a const pointer, but capset only reads it.
        return pointee_const(def).map(|c| c || t.starts_with("const "));
    }
    let pointee = t.strip_suffix('*')?.trim_end();
    Some(if pointee.contains('*') {
        pointee.ends_with("const")
    } else {
        pointee.split_whitespace().any(|w| w == "const")
    })
}

fn compare(meta: &Metadata) {
    let version = kernel_version();
    let config = kernel_config();
    let config = config.as_deref();
    let mut errors = Vec::new();
    let mut explained = Vec::new();
    let (mut arity, mut named, mut typed, mut pointers) = (0, 0, 0, 0);
    let mut seen = Vec::new();
    for &p in proto::all() {
        let Some(event) = p.entry().strip_prefix("sys_") else {
            errors.push(format!("{}: entry {} is not sys_*", p.name(), p.entry()));
            continue;
        };
        let Some(params) = p.params() else {
            // sys_ni_syscall: the kernel must have no metadata either.
            if meta.get(event).is_some() {
                errors.push(format!("{}: no prototype in the table", p.name()));
            }
            continue;
        };
        let Some(fields) = meta.get(event) else {
            match ABSENT.iter().find(|a| a.0 == p.name()) {
                Some(&(_, when, why)) if holds(when, version, config) => {
                    explained.push(format!("{} absent: {why} ({when:?})", p.name()))
                }
                Some(_) => errors.push(format!("{} absent from kernel {version:?}", p.name())),
                None => errors.push(format!("{}: no sys_enter_{event} event", p.name())),
            }
            continue;
        };
        seen.push(event);
        if fields.len() != params.len() {
            let names: Vec<&str> = fields.iter().map(|f| f.name.as_str()).collect();
            match CHANGED.iter().find(|c| c.0 == p.name()) {
                Some(&(_, old, when, why)) if old == names && holds(when, version, config) => {
                    explained.push(format!("{} arity: {why} ({when:?})", p.name()))
                }
                _ => errors.push(format!(
                    "{}: the kernel's ({names:?}) vs the table's {}",
                    p.name(),
                    p.c()
                )),
            }
            continue;
        }
        arity += 1;
        let mut all_named = true;
        for (q, f) in params.iter().zip(fields) {
            let at = format!("{}({})", p.name(), q.name);
            if q.name != f.name {
                all_named = false;
                errors.push(format!("{at}: the kernel calls it {}", f.name));
            }
            let ctype = normalize(q.ctype);
            if ctype == f.ctype {
                typed += 1;
            } else {
                match RETYPED.iter().find(|r| r.0 == p.name() && r.1 == q.name) {
                    Some(&(_, _, old, when, why))
                        if old == f.ctype && holds(when, version, config) =>
                    {
                        explained.push(format!("{at} type {old:?}: {why} ({when:?})"))
                    }
                    _ => errors.push(format!("{at}: type {ctype:?}, the kernel's {:?}", f.ctype)),
                }
            }
            check_kind(p, q.name, q.kind, &f.ctype, &mut errors, &mut pointers);
        }
        named += usize::from(all_named);
    }
    for (event, _) in &meta.0 {
        if !seen.contains(&event.as_str()) {
            errors.push(format!(
                "kernel's sys_enter_{event}: no call of the table uses it"
            ));
        }
    }
    let read_only_used = read_only()
        .iter()
        .filter(|(call, _)| proto::by_name(call).is_some_and(|p| seen.contains(&&p.entry()[4..])))
        .count();
    eprintln!(
        "proto_tracefs: kernel {version:?} (configuration {}), {} events, {} calls in the table: {arity} agree on \
         arity, {named} on every name, {typed} argument types and {pointers} pointer kinds agree",
        if config.is_some() {
            "read"
        } else {
            "not available"
        },
        meta.0.len(),
        proto::all().len()
    );
    eprintln!(
        "proto_tracefs: {} explained differences (+ {read_only_used} read-only pointers):",
        explained.len()
    );
    for e in &explained {
        eprintln!("  {e}");
    }
    assert!(
        errors.is_empty(),
        "{} differences from the running kernel's metadata:\n  {}",
        errors.len(),
        errors.join("\n  ")
    );
    assert!(arity >= 300, "only {arity} calls agree on arity");
    assert!(named >= 300, "only {named} calls agree on every name");
}

/// Pointer-ness and constness of one argument, against the kernel's C type.
fn check_kind(
    p: &Proto,
    arg: &str,
    kind: Kind,
    ctype: &str,
    errors: &mut Vec<String>,
    agree: &mut usize,
) {
    let at = format!("{}({arg})", p.name());
    let read_only = read_only().iter().any(|r| r.0 == p.name() && r.1 == arg);
    let ok = match (pointee_const(ctype), kind) {
        (None, Kind::Word | Kind::Wide) => true,
        // A READ_ONLY entry may be for another architecture's form of the call (the 32-bit
        // `clock_settime`'s `old_timespec32 *`): a const pointer here is no error.
        (Some(true), Kind::In) => true,
        (Some(false), Kind::Out) => !read_only,
        (Some(false), Kind::In) => read_only,
        _ => false,
    };
    if ok {
        *agree += 1;
    } else if read_only {
        errors.push(format!(
            "{at}: listed READ_ONLY here, but the table says {kind:?} and the kernel {ctype:?}"
        ));
    } else {
        errors.push(format!(
            "{at}: the table says {kind:?}, the kernel {ctype:?}"
        ));
    }
}

/// tracefs, mounted by the test when it was not; unmounted again on drop.
struct Mount(bool);

impl Mount {
    fn ensure() -> Result<Self, String> {
        match fs::metadata(EVENTS) {
            Ok(_) => return Ok(Mount(false)),
            Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {
                return Err(format!("cannot read {EVENTS}: {e} (tracefs is root's)"));
            }
            Err(_) => {}
        }
        if !Path::new(TRACEFS).is_dir() {
            return Err(format!(
                "{TRACEFS} does not exist (no tracefs in this kernel?)"
            ));
        }
        // SAFETY: mount(2) reads the three NUL-terminated strings, which outlive the call;
        // `data` is null (no options).
        let r = unsafe {
            sys_core::syscall!(
                sys_core::nr::mount,
                c"nodev".as_ptr(),
                c"/sys/kernel/tracing".as_ptr(),
                c"tracefs".as_ptr(),
                0usize,
                core::ptr::null::<u8>()
            )
        };
        match r {
            Ok(_) if Path::new(EVENTS).exists() => Ok(Mount(true)),
            Ok(_) => Err(format!("tracefs mounted, but {EVENTS} does not exist")),
            Err(e) => Err(format!(
                "{TRACEFS} is not mounted and mounting it failed: {e:?}"
            )),
        }
    }
}

impl Drop for Mount {
    fn drop(&mut self) {
        if self.0 {
            // SAFETY: umount2(2) reads the NUL-terminated path, which outlives the call.
            let _ = unsafe {
                sys_core::syscall!(
                    sys_core::nr::umount2,
                    c"/sys/kernel/tracing".as_ptr(),
                    0usize
                )
            };
        }
    }
}

#[test]
fn format_lines_parse() {
    let text = "name: sys_enter_openat\nID: 782\nformat:\n\
        \tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n\
        \tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n\n\
        \tfield:int __syscall_nr;\toffset:8;\tsize:4;\tsigned:1;\n\
        \tfield:int dfd;\toffset:16;\tsize:8;\tsigned:0;\n\
        \tfield:const char * filename;\toffset:24;\tsize:8;\tsigned:0;\n\n\
        print fmt: \"dfd: 0x%08lx\"\n";
    let f = parse_format(text);
    assert_eq!(f.len(), 2);
    assert_eq!((f[0].ctype.as_str(), f[0].name.as_str()), ("int", "dfd"));
    assert_eq!(
        (f[1].ctype.as_str(), f[1].name.as_str()),
        ("const char *", "filename")
    );
    assert_eq!(pointee_const("const char *"), Some(true));
    assert_eq!(pointee_const("char *"), Some(false));
    assert_eq!(pointee_const("const void * *"), Some(false));
    assert_eq!(pointee_const("const char *const *"), Some(true));
    assert_eq!(
        pointee_const("const struct landlock_ruleset_attr *const"),
        Some(true)
    );
    assert_eq!(pointee_const("cap_user_header_t"), Some(false));
    assert_eq!(pointee_const("const cap_user_data_t"), Some(true));
    assert_eq!(pointee_const("unsigned long"), None);
    assert_eq!(pointee_const("const size_t"), None);
}
