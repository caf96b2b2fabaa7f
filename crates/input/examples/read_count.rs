//! Reads every article under the given paths and prints counts, bytes and throughput (a reader benchmark):
//! `cargo run --release -p rasid-input --example read_count -- ../shared/corpus/ant-2018.jsonl.gz`

use std::path::PathBuf;
use std::time::Instant;

fn main() {
    let paths: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let start = Instant::now();
    let (mut ok, mut bad, mut bytes) = (0usize, 0usize, 0usize);
    for item in rasid_input::read_paths(&paths, &rasid_input::ReadOptions::default()) {
        match item {
            Ok(a) => {
                ok += 1;
                bytes += a.text.len();
            }
            Err(e) => {
                bad += 1;
                eprintln!("{e}");
            }
        }
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{ok} articles, {bad} errors, {:.1} MB of text in {secs:.2} s: {:.1} MB/s of article text",
        bytes as f64 / 1e6,
        bytes as f64 / 1e6 / secs
    );
}
