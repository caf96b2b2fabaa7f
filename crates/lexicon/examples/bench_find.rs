//! Measures `ActorMatcher::find` throughput over JSONL articles on stdin (field `text`):
//! `zcat ../shared/corpus/ant-2018.jsonl.gz | cargo run --release -p rasid-lexicon --example bench_find`.

use rasid_lexicon::{ActorMatcher, MatchKind, Ymd};
use rasid_text::NormalizedText;
use std::io::BufRead;
use std::time::Instant;

fn main() {
    let t0 = Instant::now();
    let m = ActorMatcher::bundled();
    let build = t0.elapsed();
    let mut texts = Vec::new();
    let mut orig_bytes = 0usize;
    for line in std::io::stdin().lock().lines() {
        let Ok(line) = line else { break };
        let Ok(v) = serde_json::from_str::<serde_json::Value>(&line) else {
            continue;
        };
        if let Some(t) = v.get("text").and_then(|t| t.as_str()) {
            orig_bytes += t.len();
            texts.push(NormalizedText::new(t).as_str().to_string());
        }
    }
    let norm_bytes: usize = texts.iter().map(String::len).sum();
    let date = "2018-06-01".parse::<Ymd>().ok();
    let mut out = Vec::new();
    let mut counts = [0usize; 6];
    let cpu0 = thread_cpu_ns();
    let t = Instant::now();
    for s in &texts {
        out.clear();
        m.find(s, date, &mut out);
        for x in &out {
            counts[x.kind as usize] += 1;
        }
    }
    let secs = t.elapsed().as_secs_f64();
    let cpu = thread_cpu_ns().zip(cpu0).map(|(b, a)| (b - a) as f64 / 1e9);
    // RASID_DUMP=N prints the matches of the first N articles (name, kind, code), for eyeballing.
    let dump: usize = std::env::var("RASID_DUMP").ok().and_then(|v| v.parse().ok()).unwrap_or(0);
    for s in texts.iter().take(dump) {
        out.clear();
        m.find(s, date, &mut out);
        for x in &out {
            let code = format!(
                "{} {}",
                x.country.map(|c| c.to_string()).unwrap_or_default(),
                x.role.map(|r| r.to_string()).unwrap_or_default()
            );
            println!("{}\t{:?}\t{}\t{}", &s[x.norm.clone()], x.kind, code, m.name(x));
        }
    }
    println!("patterns: {}, lexicon+automaton build: {:.2?}", m.pattern_count(), build);
    println!(
        "{} articles, {:.1} MB original, {:.1} MB normalised, find: {:.2} s, {:.1} MB/s (normalised bytes)",
        texts.len(),
        orig_bytes as f64 / 1e6,
        norm_bytes as f64 / 1e6,
        secs,
        norm_bytes as f64 / 1e6 / secs
    );
    if let Some(cpu) = cpu {
        println!("find CPU time (this thread): {:.2} s, {:.1} MB/s per core", cpu, norm_bytes as f64 / 1e6 / cpu);
    }
    let kinds = [
        MatchKind::Actor,
        MatchKind::Country,
        MatchKind::Capital,
        MatchKind::Nationality,
        MatchKind::Agent,
        MatchKind::Place,
    ];
    for k in kinds {
        println!("  {:?}: {}", k, counts[k as usize]);
    }
}

/// Nanoseconds this thread has run on a CPU (Linux `/proc/thread-self/schedstat`), to measure on a busy machine.
fn thread_cpu_ns() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    s.split_whitespace().next()?.parse().ok()
}
