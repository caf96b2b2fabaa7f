//! Measures normalisation throughput over a JSON Lines file of articles (`text` fields), one thread.
use std::io::BufRead;
fn main() {
    let path = std::env::args().nth(1).expect("usage: normalize_speed FILE.jsonl");
    let file = std::io::BufReader::new(std::fs::File::open(path).expect("readable file"));
    let texts: Vec<String> = file
        .lines()
        .map_while(Result::ok)
        .filter_map(|l| {
            let at = l.find("\"text\": \"")? + 9;
            Some(l[at..].replace("\\n", "\n"))
        })
        .collect();
    let bytes: usize = texts.iter().map(String::len).sum();
    let mut n = rasid_text::NormalizedText::default();
    let start = std::time::Instant::now();
    let mut total = 0;
    for _ in 0..3 {
        for t in &texts {
            n.reset(t);
            total += n.as_str().len();
        }
    }
    let secs = start.elapsed().as_secs_f64();
    println!("{:.1} MB/s ({} bytes out)", 3.0 * bytes as f64 / 1e6 / secs, total);
}
