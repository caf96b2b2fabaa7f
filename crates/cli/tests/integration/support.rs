//! What every module of these tests needs: where the repository and `../shared` are, a fresh scratch folder,
//! the first articles of the ANT corpus as a file, and running the `rasid` binary.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The repository's root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The shared data checked out beside the repository.
pub fn shared() -> PathBuf {
    repo().join("../shared")
}

/// An empty folder of this test process's own, named after the test module and case.
pub fn tempdir(module: &str, name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("rasid-{module}-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Writes the first `n` articles of the ANT corpus to `path` as JSON Lines.
pub fn corpus_head(path: &Path, n: usize) {
    let gz =
        std::fs::File::open(shared().join("corpus/ant-2018.jsonl.gz")).expect("../shared/corpus is beside the repo");
    let lines = BufReader::new(flate2::read::GzDecoder::new(gz)).lines();
    let mut out = std::fs::File::create(path).unwrap();
    for line in lines.take(n) {
        writeln!(out, "{}", line.unwrap()).unwrap();
    }
}

/// Runs `rasid ARGS` with `stdin` as its standard input and returns what it printed and its exit status.
pub fn rasid_with_stdin(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_rasid"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("rasid runs");
    // A command that exits before reading all of stdin closes the pipe; that is its business, not the test's.
    let _ = child.stdin.take().expect("stdin is piped").write_all(stdin);
    child.wait_with_output().expect("rasid's output is readable")
}

/// Runs `rasid ARGS` with no standard input.
pub fn rasid(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rasid")).args(args).stdin(Stdio::null()).output().expect("rasid runs")
}
