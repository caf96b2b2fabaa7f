//! Measures tokenizer throughput (MB/s of original text, one thread) over the ANT corpus article texts.
//!
//! ```text
//! cargo run --release -p rasid-text --example tokenize_speed -- /work/shared/corpus/ant-2018.jsonl.gz [ROUNDS [MB]]
//! ```
//!
//! `MB` caps the text read (default: all of it) so that several rounds fit in memory and in a short run.
//!
//! Texts are read and normalised first; only `Tokenizer::tokenize` is timed (normalisation is reported apart).

use rasid_text::{NormalizedText, Tokenizer};
use std::io::{BufRead, BufReader};
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let Some(path) = args.get(1) else {
        return Err("usage: tokenize_speed CORPUS.jsonl.gz [ROUNDS [MB]]".into());
    };
    let rounds: usize = args.get(2).map_or(Ok(3), |r| r.parse())?;
    let cap: usize = args.get(3).map_or(Ok(usize::MAX / 2_000_000), |m| m.parse())? * 1_000_000;
    let file = std::fs::File::open(path).map_err(|e| format!("{path}: {e}"))?;
    let mut texts = Vec::new();
    let mut read = 0;
    for line in BufReader::new(flate2::read::MultiGzDecoder::new(file)).lines() {
        let v: serde_json::Value = serde_json::from_str(&line?)?;
        if let Some(t) = v.get("text").and_then(|t| t.as_str()) {
            read += t.len();
            texts.push(t.to_string());
        }
        if read >= cap {
            break;
        }
    }
    let bytes: usize = texts.iter().map(String::len).sum();
    let t0 = Instant::now();
    let tokenizer = Tokenizer::new();
    let build = t0.elapsed();
    let t0 = Instant::now();
    let norms: Vec<NormalizedText> = texts.iter().map(|t| NormalizedText::new(t)).collect();
    let norm_time = t0.elapsed();
    let mut out = Vec::new();
    let (mut tokens, mut split) = (0usize, 0usize);
    let mut best = f64::MAX;
    let mut best_cpu = f64::MAX;
    for _ in 0..rounds {
        let c0 = thread_cpu_seconds();
        let t0 = Instant::now();
        tokens = 0;
        split = 0;
        for n in &norms {
            tokenizer.tokenize(n, &mut out);
            tokens += out.len();
            split += out.iter().filter(|t| t.stem() != t.norm()).count();
        }
        best = best.min(t0.elapsed().as_secs_f64());
        best_cpu = best_cpu.min(thread_cpu_seconds() - c0);
    }
    let mb = bytes as f64 / 1e6;
    println!("{} articles, {mb:.1} MB of text, {tokens} tokens ({split} with clitics)", texts.len());
    println!("tokenizer build: {:.0} ms", build.as_secs_f64() * 1e3);
    println!("normalise: {:.1} MB/s", mb / norm_time.as_secs_f64());
    println!("tokenize: {:.1} MB/s wall, {:.1} MB/s of CPU time (best of {rounds})", mb / best, mb / best_cpu);
    Ok(())
}

/// This thread's user + system CPU time (Linux `/proc`; 0 elsewhere), so a busy machine does not skew MB/s.
fn thread_cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/thread-self/stat") else {
        return 0.0;
    };
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15 (1-based).
    let Some(rest) = stat.rsplit(')').next() else {
        return 0.0;
    };
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks: f64 =
        f.get(11).and_then(|u| u.parse().ok()).unwrap_or(0.0) + f.get(12).and_then(|s| s.parse().ok()).unwrap_or(0.0);
    ticks / 100.0
}
