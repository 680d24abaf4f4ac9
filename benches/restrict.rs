//! What a seccomp filter costs a system call: getppid through libsys's stub with no filter,
//! under each of libsys's policies, and under an allow-list filter of the same numbers built
//! with the `seccompiler` crate (rust-vmm's, what Firecracker uses), side by side in one run.
//!
//! Each (filter, round) runs in a forked child (a filter cannot be removed), which installs the
//! filter, times `CALLS` calls and sends the figure back through a pipe. The rounds interleave
//! the filters, so that all of them share the machine's slow and fast moments; the table gives
//! per filter the median over rounds and the median of its same-round ratio to no filter.
//!
//! `cargo bench -p libsys --features restrict,std --bench restrict` (x86_64; BENCHMARKS.md). Options
//! after `--`: `--rounds N` (default 15), `--calls N` (default 200000).

#[cfg(target_arch = "x86_64")]
mod util;

#[cfg(target_arch = "x86_64")]
mod bench {
    use crate::util::median;
    use libsys::nr;
    use libsys::raw::{syscall, syscall_noreturn, syscall_readonly};
    use libsys::restrict::policy::Generic;
    use libsys::restrict::{Action, Arch, Filter, Policy, install};
    use std::collections::BTreeMap;
    use std::time::Instant;

    /// A filter to time: libsys's, seccompiler's, or none.
    enum Kind {
        None,
        Libsys(Filter),
        Seccompiler(seccompiler::BpfProgram),
    }

    /// The instructions a getppid from its stub executes in `prog` (`None`: no filter).
    fn executed(kind: &Kind, site: u64) -> Option<usize> {
        use libsys::restrict::bpf::Insn;
        use libsys::restrict::eval::eval_counted;
        let d = libsys::restrict::SeccompData::new(Arch::NATIVE, nr::getppid as u32, site);
        match kind {
            Kind::None => None,
            Kind::Libsys(f) => f.eval_counted(&d).ok().map(|(_, n)| n),
            Kind::Seccompiler(p) => {
                let insns: Vec<Insn> = (p.iter())
                    .map(|i| Insn {
                        code: i.code,
                        jt: i.jt,
                        jf: i.jf,
                        k: i.k,
                    })
                    .collect();
                eval_counted(&insns, &d, Arch::NATIVE.endian())
                    .ok()
                    .map(|(_, n)| n)
            }
        }
    }

    /// Nanoseconds per getppid in a forked child under `kind`.
    fn time_in_child(kind: &Kind, calls: u32) -> f64 {
        let mut fds = [0i32; 2];
        // SAFETY: `fds` has room for the two descriptors.
        assert_eq!(unsafe { libc::pipe(fds.as_mut_ptr()) }, 0);
        // SAFETY: the child makes system calls through libsys only (and seccompiler's two to
        // install its filter), then exits.
        let pid = unsafe { libc::fork() };
        assert!(pid >= 0);
        if pid == 0 {
            let ok = match kind {
                Kind::None => true,
                Kind::Libsys(f) => install::restrict(f).is_ok(),
                Kind::Seccompiler(p) => seccompiler::apply_filter_all_threads(p).is_ok(),
            };
            if !ok {
                // SAFETY: exit_group ends the child.
                unsafe { syscall_noreturn!(nr::exit_group, 1) }
            }
            let t = Instant::now();
            for _ in 0..calls {
                // SAFETY: getppid writes no memory.
                let _ = std::hint::black_box(unsafe { syscall_readonly!(nr::getppid) });
            }
            let ns = t.elapsed().as_nanos() as f64 / f64::from(calls);
            let bytes = ns.to_le_bytes();
            // SAFETY: `bytes` is valid for reads of its length.
            let _ = unsafe { syscall!(nr::write, fds[1], bytes.as_ptr(), bytes.len()) };
            // SAFETY: exit_group ends the child.
            unsafe { syscall_noreturn!(nr::exit_group, 0) }
        }
        let mut bytes = [0u8; 8];
        // SAFETY: `bytes` is valid for writes of its length.
        let n = unsafe { libc::read(fds[0], bytes.as_mut_ptr().cast(), 8) };
        let mut status = 0;
        // SAFETY: `status` is valid for writes; `pid` is our child.
        unsafe {
            libc::waitpid(pid, &mut status, 0);
            libc::close(fds[0]);
            libc::close(fds[1]);
        }
        assert_eq!(n, 8, "child status {status:#x}");
        f64::from_le_bytes(bytes)
    }

    fn arg(name: &str, default: u32) -> u32 {
        let args: Vec<String> = std::env::args().collect();
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1)?.parse().ok())
            .unwrap_or(default)
    }

    pub fn main() {
        let rounds = arg("--rounds", 15) as usize;
        let calls = arg("--calls", 200_000);
        let arch = Arch::NATIVE;
        let manifest = install::manifest();
        let mut numbers: Vec<u32> = manifest.iter().filter_map(|s| s.nr).collect();
        numbers.sort_unstable();
        numbers.dedup();
        let vdso = install::vdso_range();
        let vdso_numbers = install::vdso_numbers();
        let with_vdso = |mut p: Policy| {
            if let Some(v) = vdso {
                p = p.allow_range_for(v, &vdso_numbers);
            }
            p.otherwise(Action::Errno(1))
        };
        let stubs = install::stubs_range();
        let mut std_friendly = Policy::range(arch, stubs);
        for r in install::libc_ranges() {
            std_friendly = std_friendly.allow_range(r);
        }
        let policies = [
            ("range (stubs + vDSO)", Policy::range(arch, stubs)),
            ("pinned", Policy::pinned(arch, &manifest, Generic::Deny)),
            (
                "allow-list (range + manifest numbers)",
                Policy::range(arch, stubs).only_numbers(&numbers),
            ),
            (
                "pinned + allow-list",
                Policy::pinned(arch, &manifest, Generic::Deny).only_numbers(&numbers),
            ),
            ("std-friendly (range + libc, ld.so)", std_friendly),
        ];
        let mut kinds: Vec<(String, Kind)> = vec![("no filter".to_string(), Kind::None)];
        // The floor: a filter that reads the instruction pointer and allows everything (the
        // kernel's cache cannot skip it, as it cannot skip any filter that reads the address).
        {
            use libsys::restrict::bpf::Insn;
            let floor = Filter::new(
                arch,
                vec![
                    Insn::load(arch.ip_low_offset()),
                    Insn::ret(Action::Allow.word()),
                ],
            )
            .expect("a valid program");
            kinds.push((
                "reads the IP, allows all, 2 insns".to_string(),
                Kind::Libsys(floor),
            ));
        }
        for (name, p) in policies {
            let f = with_vdso(p).compile().expect("the policy compiles");
            kinds.push((
                format!("libsys {name}, {} insns", f.insns().len()),
                Kind::Libsys(f),
            ));
        }
        // The same numbers as the allow-list (and the vDSO's), from any address: seccompiler
        // has no notion of where a call comes from.
        let mut all = numbers.clone();
        all.extend(&vdso_numbers);
        let rules: BTreeMap<i64, Vec<seccompiler::SeccompRule>> =
            all.iter().map(|&n| (i64::from(n), Vec::new())).collect();
        let sc = seccompiler::SeccompFilter::new(
            rules,
            seccompiler::SeccompAction::Errno(1),
            seccompiler::SeccompAction::Allow,
            seccompiler::TargetArch::x86_64,
        )
        .expect("seccompiler accepts the rules");
        let prog: seccompiler::BpfProgram = sc.try_into().expect("seccompiler compiles the rules");
        let len = prog.len();
        kinds.push((
            format!("seccompiler allow-list (same numbers), {len} insns"),
            Kind::Seccompiler(prog),
        ));

        println!(
            "getppid through libsys's stub, {rounds} interleaved rounds x {calls} calls per filter, each in a forked child; {} manifest numbers",
            numbers.len()
        );
        let mut ns: Vec<Vec<f64>> = vec![Vec::new(); kinds.len()];
        let mut ratios: Vec<Vec<f64>> = vec![Vec::new(); kinds.len()];
        for round in 0..rounds {
            let mut this = vec![0.0; kinds.len()];
            // Rotate the order by round.
            for k in 0..kinds.len() {
                let i = (k + round) % kinds.len();
                this[i] = time_in_child(&kinds[i].1, calls);
            }
            for i in 0..kinds.len() {
                ns[i].push(this[i]);
                ratios[i].push(this[i] / this[0]);
            }
        }
        let site = manifest
            .iter()
            .find(|s| s.nr == Some(nr::getppid as u32))
            .map_or(0, |s| s.ip);
        println!(
            "| filter | ns/call | x no filter (median of same-round ratios) | + ns | insns executed |"
        );
        println!("|---|---:|---:|---:|---:|");
        let base = median(&mut ns[0].clone());
        for (i, (name, kind)) in kinds.iter().enumerate() {
            let t = median(&mut ns[i]);
            let r = median(&mut ratios[i]);
            let n = executed(kind, site).map_or("-".to_string(), |n| n.to_string());
            println!("| {name} | {t:.1} | {r:.3} | {:+.1} | {n} |", t - base);
        }
    }
}

fn main() {
    #[cfg(target_arch = "x86_64")]
    bench::main();
}
