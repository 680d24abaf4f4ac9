//! Deterministic replay of the committed fuzz corpus (`fuzz/corpus/bpf_eval/`) through the same
//! checks as the `bpf_eval` fuzz target (`fuzz/fuzz_targets/bpf_eval_check.rs`), without
//! libFuzzer, on every architecture `tools/cross-test.sh` runs; plus a few thousand inputs from
//! a fixed pseudo-random sequence, and the writer of the crafted seeds.

use std::path::PathBuf;

#[path = "../../fuzz/fuzz_targets/bpf_eval_check.rs"]
mod check;

fn corpus_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fuzz/corpus/bpf_eval")
}

fn corpus() -> Vec<(String, Vec<u8>)> {
    let dir = corpus_dir();
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&path).unwrap())
        })
        .collect();
    files.sort();
    files
}

/// xorshift64*: a fixed sequence, the same on every architecture.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next() as u8).collect()
    }
}

/// Crafted seeds: a compiled policy as a program (for each byte order's reading), and policy
/// descriptions for every architecture.
fn seeds() -> Vec<(String, Vec<u8>)> {
    use sys_restrict::{Arch, IpRange, Policy};
    let mut out = Vec::new();
    let filter = Policy::range(
        Arch::X86_64,
        IpRange::new(0x5555_0000_1000, 0x5555_0000_1400),
    )
    .allow_range_for(IpRange::new(0x7fff_0000_1000, 0x7fff_0000_3000), &[228, 96])
    .compile()
    .unwrap();
    let mut program = vec![0u8];
    for i in filter.insns() {
        program.extend(i.code.to_le_bytes());
        program.extend([i.jt, i.jf]);
        program.extend(i.k.to_le_bytes());
    }
    out.push(("program-range-x86_64".to_string(), program));
    for (i, arch) in Arch::ALL.iter().enumerate() {
        // arch, action, 6 manifest stubs, a list of 3, generic `Only`, 3 regions, allow-list.
        let mut p = vec![1, i as u8, 3, 1, 0];
        for s in 0..6u8 {
            p.extend([s + 1, s % 3, 0x10 + 0x10 * s, 0]);
        }
        p.extend([3, 2, 4, 5, 1, 3]);
        p.extend([
            0, 0, 0, 0, 0, 4, 0, 1, 1, 0, 0, 2, 0xff, 0xff, 1, 2, 3, 0x30, 0, 2,
        ]);
        p.push(u8::from(i % 2 == 0));
        out.push((format!("policy-{}", arch.name()), p));
    }
    let mut rng = Rng(0x5eed);
    for i in 0..8 {
        let mut p = rng.bytes(64 + 16 * i);
        p[0] |= 1;
        out.push((format!("policy-random-{i}"), p));
    }
    out
}

#[test]
#[cfg_attr(miri, ignore = "reads the corpus from the file system")]
fn every_corpus_input_passes_the_fuzz_checks() {
    let files = corpus();
    assert!(files.len() >= 10, "corpus has {} files", files.len());
    for (name, data) in &files {
        let r = std::panic::catch_unwind(|| check::check(data));
        assert!(r.is_ok(), "{name} failed the fuzz checks");
    }
}

#[test]
fn the_crafted_seeds_pass_the_fuzz_checks() {
    for (name, data) in seeds() {
        let r = std::panic::catch_unwind(|| check::check(&data));
        assert!(r.is_ok(), "{name} failed the fuzz checks");
    }
}

#[test]
fn pseudo_random_inputs_pass_the_fuzz_checks() {
    let mut rng = Rng(0x1234_5678_9abc_def1);
    let rounds = if cfg!(miri) { 20 } else { 1000 };
    for round in 0..rounds {
        let len = (rng.next() % 300) as usize;
        let data = rng.bytes(len);
        let r = std::panic::catch_unwind(|| check::check(&data));
        assert!(r.is_ok(), "round {round}: {data:02x?}");
    }
}

/// Writes the crafted seeds when `SYS_RESTRICT_WRITE_SEEDS=<dir>` is set:
/// `SYS_RESTRICT_WRITE_SEEDS=fuzz/corpus/bpf_eval cargo test -p sys-restrict --test fuzz_corpus
/// write_fuzz_seeds -- --ignored`.
#[test]
#[ignore = "writes files; run by hand to refresh the fuzz corpus"]
fn write_fuzz_seeds() {
    let Some(dir) = std::env::var_os("SYS_RESTRICT_WRITE_SEEDS") else {
        return;
    };
    let dir = PathBuf::from(dir);
    std::fs::create_dir_all(&dir).unwrap();
    for (name, data) in seeds() {
        std::fs::write(dir.join(name), data).unwrap();
    }
}
