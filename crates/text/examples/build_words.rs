//! Derives `data/text/words.tsv` and `data/text/clitics.tsv` from the ANT news corpus, reproducibly.
//!
//! ```text
//! cargo run --release -p rasid-text --example build_words -- /work/shared/corpus/ant-2018.jsonl.gz data/text
//! ```
//!
//! Reads the `title` and `text` of every article, normalises them with [`rasid_text::normalize`], counts the
//! maximal runs of Arabic letters (the same runs the tokenizer calls Arabic tokens), and writes:
//! - `words.tsv`: the [`TOP_N`] most frequent words, `word<TAB>count`, most frequent first (ties by word);
//! - `clitics.tsv`: for each proclitic and the article, its typical rate: the median, over frequent host
//!   words `r` seen with it, of `count(clitic+r) / count(r)` (see `data/text/README.md`).
//!
//! Only word counts leave the corpus; no sentence is stored.

use rasid_text::clitic::PREFIX_CLITICS;
use rasid_text::token::is_arabic_letter;
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};

/// How many words `words.tsv` keeps (keeps the file well under 2 MB).
const TOP_N: usize = 80_000;
/// A host word must be seen this often to enter a clitic's ratio statistics.
const MIN_HOST_COUNT: u64 = 200;
/// The quantile of host ratios written as a clitic's bound.
const QUANTILE: f64 = 0.5;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let (Some(input), Some(out_dir)) = (args.get(1), args.get(2)) else {
        return Err("usage: build_words CORPUS.jsonl.gz OUT_DIR".into());
    };
    let file = std::fs::File::open(input).map_err(|e| format!("{input}: {e}"))?;
    let reader = BufReader::new(flate2::read::MultiGzDecoder::new(file));
    let mut counts: HashMap<String, u64> = HashMap::new();
    let mut articles = 0usize;
    for (n, line) in reader.lines().enumerate() {
        let line = line.map_err(|e| format!("{input}:{}: {e}", n + 1))?;
        let v: serde_json::Value = serde_json::from_str(&line).map_err(|e| format!("{input}:{}: {e}", n + 1))?;
        for field in ["title", "text"] {
            if let Some(s) = v.get(field).and_then(|s| s.as_str()) {
                count_words(&rasid_text::normalize(s), &mut counts);
            }
        }
        articles += 1;
    }
    let mut sorted: Vec<(&String, &u64)> = counts.iter().collect();
    sorted.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    let mut words = std::io::BufWriter::new(std::fs::File::create(format!("{out_dir}/words.tsv"))?);
    for (w, c) in sorted.iter().take(TOP_N) {
        writeln!(words, "{w}\t{c}")?;
    }
    words.flush()?;

    let hosts: Vec<(&String, u64)> =
        sorted.iter().filter(|(_, &c)| c >= MIN_HOST_COUNT).map(|(w, &c)| (*w, c)).collect();
    let mut clitics = std::io::BufWriter::new(std::fs::File::create(format!("{out_dir}/clitics.tsv"))?);
    writeln!(clitics, "# derived by crates/text/examples/build_words.rs from {articles} ANT corpus articles")?;
    writeln!(clitics, "# clitic\tkind\trate\thosts")?;
    for &(form, kind) in PREFIX_CLITICS {
        let mut ratios = Vec::new();
        for &(r, c) in &hosts {
            // Imperfect verbs (the alef of the first person is left out: it would admit every `ال` word).
            if kind == "fut" && !r.starts_with(['ي', 'ت', 'ن']) {
                continue;
            }
            let joined = if form == "ل" && r.starts_with("ال") {
                // The preposition li- drops the article's alef: ل + الجيش = للجيش.
                format!("ل{}", &r["ا".len()..])
            } else {
                format!("{form}{r}")
            };
            if let Some(&n) = counts.get(&joined) {
                ratios.push(n as f64 / c as f64);
            }
        }
        writeln!(clitics, "{form}\t{kind}\t{:.5}\t{}", quantile(&mut ratios), ratios.len())?;
    }
    // The article, for the test that a word is a host of its own (البلاد shows that بلاد is not ب + لاد).
    let mut ratios = Vec::new();
    for &(r, c) in &hosts {
        if !r.starts_with("ال") {
            if let Some(&n) = counts.get(&format!("ال{r}")) {
                ratios.push(n as f64 / c as f64);
            }
        }
    }
    writeln!(clitics, "ال\tdet\t{:.5}\t{}", quantile(&mut ratios), ratios.len())?;
    clitics.flush()?;
    eprintln!("{articles} articles, {} distinct words, kept {}", counts.len(), TOP_N.min(counts.len()));
    Ok(())
}

fn count_words(norm: &str, counts: &mut HashMap<String, u64>) {
    let mut start = None;
    for (i, ch) in norm.char_indices().chain([(norm.len(), ' ')]) {
        match (is_arabic_letter(ch), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                let w = &norm[s..i];
                if let Some(c) = counts.get_mut(w) {
                    *c += 1;
                } else {
                    counts.insert(w.to_string(), 1);
                }
                start = None;
            }
            _ => {}
        }
    }
}

/// The [`QUANTILE`] of the ratios (robust to the few coincidences such as `كان` = `ك` + `ان`).
fn quantile(v: &mut [f64]) -> f64 {
    if v.is_empty() {
        return 0.0;
    }
    v.sort_by(|a, b| a.total_cmp(b));
    v[((v.len() as f64 * QUANTILE) as usize).min(v.len() - 1)]
}
