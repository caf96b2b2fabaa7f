//! Prints the tokenizer's clitic-segmentation agreement with a UD CoNLL-U treebank (method: tests/common/ud.rs).
//!
//! ```text
//! cargo run --release -p rasid-text --example ud_agreement -- /work/shared/data/ud/ar_pud-ud-test.conllu [--errors N]
//! ```

#[path = "../tests/common/ud.rs"]
mod ud;

use rasid_text::Tokenizer;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let Some(path) = args.get(1) else {
        return Err("usage: ud_agreement FILE.conllu [--errors N]".into());
    };
    let show: usize = match (args.get(2).map(String::as_str), args.get(3)) {
        (Some("--errors"), Some(n)) => n.parse()?,
        _ => 0,
    };
    let conllu = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    let tokenizer = Tokenizer::new();
    let mut misses = Vec::new();
    let a = ud::evaluate(&conllu, &tokenizer, |m| misses.push(m));
    println!("sentences: {} ({} skipped: forms not found in the text)", a.sentences, a.skipped_sentences);
    println!("words: {}   exact segmentation: {:.2}%", a.words, 100.0 * a.word_accuracy());
    println!("words with clitics (gold): {}   exact: {:.2}%", a.clitic_words, 100.0 * a.clitic_word_accuracy());
    println!(
        "split points: gold {}  predicted {}  precision {:.2}%  recall {:.2}%  F1 {:.2}%",
        a.true_pos + a.false_neg,
        a.true_pos + a.false_pos,
        100.0 * a.precision(),
        100.0 * a.recall(),
        100.0 * a.f1()
    );
    for (word, gold, pred) in misses.iter().take(show) {
        let cut = |v: &[usize]| {
            let mut s = String::new();
            let mut last = 0;
            for &p in v.iter().chain([&word.len()]) {
                if let Some(piece) = word.get(last..p) {
                    if !s.is_empty() {
                        s.push('+');
                    }
                    s.push_str(piece);
                }
                last = p;
            }
            s
        };
        println!("gold {}\tours {}", cut(gold), cut(pred));
    }
    Ok(())
}
