//! Same input, same bytes out: `rasid extract` over real articles gives byte-identical output at any thread
//! count, and twice in a row.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::support::corpus_head;

/// The first `n` articles of the ANT corpus, as a JSON Lines file of the test's own.
fn corpus_sample(n: usize) -> PathBuf {
    let path = std::env::temp_dir().join(format!("rasid-determinism-{}.jsonl", std::process::id()));
    corpus_head(&path, n);
    path
}

fn extract(path: &Path, threads: &str) -> Vec<u8> {
    let out = Command::new(env!("CARGO_BIN_EXE_rasid"))
        .args(["extract", "--threads", threads, path.to_str().unwrap()])
        .output()
        .expect("rasid runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    out.stdout
}

#[test]
fn output_is_identical_at_any_thread_count() {
    let path = corpus_sample(300);
    let one = extract(&path, "1");
    assert_eq!(String::from_utf8_lossy(&one).lines().count(), 300);
    for threads in ["2", "3", "1"] {
        assert!(extract(&path, threads) == one, "output with {threads} thread(s) differs from 1 thread");
    }
    let _ = std::fs::remove_file(path);
}
