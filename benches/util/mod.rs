//! What several benches share: the median of a sample, and the copy loop's files
//! (`benches/trace.rs`, `benches/intercept.rs`). Each bench uses what it needs.
#![allow(dead_code, reason = "each bench uses some of these")]

use std::fs::File;
use std::path::PathBuf;

/// The median of `v` (sorted in place); `NaN` for an empty sample.
pub fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    let m = v.len() / 2;
    match v.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => v[m],
        _ => (v[m - 1] + v[m]) / 2.0,
    }
}

/// Where the copy loop's files go: `/dev/shm` (tmpfs) if it is a directory, so that no
/// write-back of dirty pages to a disk falls in the middle of a round; else the temporary
/// directory.
pub fn scratch_dir() -> PathBuf {
    let shm = std::path::Path::new("/dev/shm");
    if shm.is_dir() {
        shm.to_path_buf()
    } else {
        std::env::temp_dir()
    }
}

/// The copy loop's files: `src`, 1 MiB of pseudo-random bytes (xorshift; not zeros, the worst
/// case for quoting the 32 bytes a trace line shows), and an empty `dst`, in a directory of
/// their own that is removed on drop.
pub struct CopyFiles {
    dir: PathBuf,
    /// The file read.
    pub src: File,
    /// The file written.
    pub dst: File,
}

impl CopyFiles {
    /// Makes them, in a directory named after `tag` and the process id.
    pub fn new(tag: &str) -> CopyFiles {
        let dir = scratch_dir().join(format!("libsys-bench-{tag}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let src = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(true)
            .open(dir.join("src"))
            .unwrap();
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let data: Vec<u8> = (0..1 << 20)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                (x >> 56) as u8
            })
            .collect();
        std::io::Write::write_all(&mut &src, &data).unwrap();
        let dst = File::create(dir.join("dst")).unwrap();
        CopyFiles { dir, src, dst }
    }
}

impl Drop for CopyFiles {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
