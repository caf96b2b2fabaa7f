//! Synthetic articles for the benchmarks: invented template sentences (`bench/input/news-templates.txt`) with their
//! slots filled and assembled into articles by a fixed-seed generator, so every run measures the same bytes.

use rasid_text::rng::SplitMix64 as Rng;
use std::collections::HashMap;

/// One generated article and what its sentences report.
pub struct Article {
    pub text: String,
    /// The PLOVER type of each template sentence used (`-` for a sentence that reports no event).
    pub types: Vec<String>,
}

struct Templates {
    slots: HashMap<String, Vec<String>>,
    /// (type, sentence with `{slot}` holes)
    sentences: Vec<(String, String)>,
}

const TEMPLATES: &str = include_str!("../../../../bench/input/news-templates.txt");

fn templates() -> Templates {
    let mut t = Templates { slots: HashMap::new(), sentences: Vec::new() };
    for (n, line) in TEMPLATES.lines().enumerate() {
        let line = line.trim_end();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(rest) = line.strip_prefix('@') {
            let (name, values) = rest.split_once('=').unwrap_or_else(|| panic!("templates:{}: no `=`", n + 1));
            let values: Vec<String> = values.split('|').map(|v| v.trim().to_string()).collect();
            t.slots.insert(name.trim().to_string(), values);
        } else {
            let (kind, sentence) = line.split_once('\t').unwrap_or_else(|| panic!("templates:{}: no tab", n + 1));
            t.sentences.push((kind.to_string(), sentence.to_string()));
        }
    }
    t
}

fn fill(t: &Templates, sentence: &str, rng: &mut Rng, out: &mut String) {
    let mut rest = sentence;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let close = rest[open..].find('}').map(|c| open + c).unwrap_or_else(|| panic!("unclosed slot: {sentence}"));
        let name = &rest[open + 1..close];
        let values = t.slots.get(name).unwrap_or_else(|| panic!("unknown slot `{name}`"));
        out.push_str(&values[rng.below(values.len())]);
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
}

/// Articles totalling at least `bytes` bytes of text: a dateline, then 8–14 distinct template sentences in 2–4
/// paragraphs.
pub fn articles(bytes: usize) -> Vec<Article> {
    let t = templates();
    let mut rng = Rng(0x72_6173_6964);
    let (mut out, mut total) = (Vec::new(), 0);
    while total < bytes {
        let mut text = String::new();
        fill(&t, "{place} ({agency}) – ", &mut rng, &mut text);
        let mut order: Vec<usize> = (0..t.sentences.len()).collect();
        let count = 8 + rng.below(7);
        let paragraphs = 2 + rng.below(3);
        let mut types = Vec::with_capacity(count);
        for i in 0..count {
            let pick = i + rng.below(order.len() - i);
            order.swap(i, pick);
            let (kind, sentence) = &t.sentences[order[i]];
            if i > 0 {
                text.push(if i % (count / paragraphs).max(1) == 0 { '\n' } else { ' ' });
            }
            fill(&t, sentence, &mut rng, &mut text);
            types.push(kind.clone());
        }
        text.push('\n');
        total += text.len();
        out.push(Article { text, types });
    }
    out
}
