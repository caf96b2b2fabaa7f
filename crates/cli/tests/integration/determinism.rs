//! Same input, same bytes out: `rasid extract` over real articles gives byte-identical output at any thread
//! count, and twice in a row.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

fn shared() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared")
}

/// The first `n` articles of the ANT corpus, as a JSON Lines file of the test's own.
fn corpus_sample(n: usize) -> PathBuf {
    let gz =
        std::fs::File::open(shared().join("corpus/ant-2018.jsonl.gz")).expect("../shared/corpus is beside the repo");
    let lines = BufReader::new(flate2::read::GzDecoder::new(gz)).lines().take(n);
    let path = std::env::temp_dir().join(format!("rasid-determinism-{}.jsonl", std::process::id()));
    let mut out = std::fs::File::create(&path).unwrap();
    for line in lines {
        writeln!(out, "{}", line.unwrap()).unwrap();
    }
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
