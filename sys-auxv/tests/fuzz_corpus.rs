//! Deterministic replay of the committed fuzz corpus (`fuzz/corpus/auxv_parse/`) through the
//! same checks as the `auxv_parse` fuzz target (`fuzz/fuzz_targets/auxv_parse_check.rs`),
//! without libFuzzer, on every architecture `tools/cross-test.sh` runs. The corpus holds
//! vectors captured from real processes (x86_64, i686 compat, aarch64/ppc64le/s390x under
//! qemu-user, x86_64 under valgrind) and crafted malformed ones; a file parses as what it is
//! only on a target with the same word size and byte order, and must never panic on others.

use std::path::PathBuf;

#[path = "../../fuzz/fuzz_targets/auxv_parse_check.rs"]
mod check;

fn corpus() -> Vec<(String, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fuzz/corpus/auxv_parse");
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
#[cfg_attr(miri, ignore = "reads the corpus from the file system")]
fn captured_vectors_parse_on_a_matching_target() {
    let matching = match (
        cfg!(target_pointer_width = "64"),
        cfg!(target_endian = "little"),
    ) {
        (true, true) => &[
            "x86_64-linux.bin",
            "x86_64-valgrind.bin",
            "aarch64-qemu.bin",
            "ppc64le-qemu.bin",
        ][..],
        (false, true) => &["i686-compat.bin"][..],
        (true, false) => &["s390x-qemu.bin"][..],
        (false, false) => &[][..],
    };
    let files = corpus();
    for want in matching {
        let (_, data) = files.iter().find(|(n, _)| n == want).expect(want);
        let auxv = sys_auxv::Auxv::parse(data).unwrap_or_else(|e| panic!("{want}: {e}"));
        assert!(auxv.len() >= 15, "{want}: {} entries", auxv.len());
        assert_eq!(auxv.page_size(), Some(4096), "{want}");
        assert!(
            auxv.phent().is_some(),
            "{want}: AT_PHENT of this target's size"
        );
    }
}
