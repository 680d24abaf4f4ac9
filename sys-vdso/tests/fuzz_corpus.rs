//! Deterministic replay of the committed fuzz corpus (`fuzz/corpus/vdso_parse/`) through the
//! same checks as the `vdso_parse` fuzz target (`fuzz/fuzz_targets/vdso_parse_check.rs`),
//! without libFuzzer, on every architecture `tools/cross-test.sh` runs. The corpus holds crafted
//! images of both classes and byte orders (DT_HASH only, DT_GNU_HASH only, both, versioned or
//! not, s390x 64-bit hash words, ppc64 STT_NOTYPE) and what fuzzing derived from them.

use std::path::PathBuf;

#[path = "../../fuzz/fuzz_targets/vdso_parse_check.rs"]
mod check;

fn corpus() -> Vec<(String, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fuzz/corpus/vdso_parse");
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
    assert!(files.len() >= 7, "corpus has {} files", files.len());
    for (name, data) in &files {
        let r = std::panic::catch_unwind(|| check::check(data));
        assert!(r.is_ok(), "{name} failed the fuzz checks");
    }
}

#[test]
#[cfg_attr(miri, ignore = "reads the corpus from the file system")]
fn the_crafted_seeds_parse_and_find_clock_gettime() {
    for (name, data) in corpus().iter().filter(|(n, _)| n.starts_with("elf")) {
        let image = sys_vdso::Image::parse(data).unwrap_or_else(|e| panic!("{name}: {e}"));
        let s = image.lookup("__vdso_clock_gettime", None);
        assert!(s.is_some(), "{name}");
    }
}
