//! Quality gate: the tokenizer's clitic segmentation agrees with UD Arabic-PUD at least as well as measured.
//!
//! Reads `../shared/data/ud/ar_pud-ud-test.conllu` beside the checkout (or `RASID_UD_CONLLU`); the floors sit a
//! little below the figures of `cargo run --release -p rasid-text --example ud_agreement`.

mod common;

use rasid_text::Tokenizer;
use std::path::PathBuf;

fn conllu_path() -> PathBuf {
    if let Ok(p) = std::env::var("RASID_UD_CONLLU") {
        return PathBuf::from(p);
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let beside = root.join("../shared/data/ud/ar_pud-ud-test.conllu");
    if beside.exists() {
        beside
    } else {
        PathBuf::from("/work/shared/data/ud/ar_pud-ud-test.conllu")
    }
}

#[test]
fn clitic_segmentation_agrees_with_ud_pud() {
    let path = conllu_path();
    let conllu = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let a = common::ud::evaluate(&conllu, Tokenizer::shared(), |_| {});
    assert_eq!(a.sentences, 1000);
    assert_eq!(a.skipped_sentences, 0, "forms no longer align with the text");
    assert!(a.words > 15_000, "{a:?}");
    assert!(a.word_accuracy() >= 0.965, "word accuracy {:.4} fell below the floor: {a:?}", a.word_accuracy());
    assert!(a.clitic_word_accuracy() >= 0.90, "clitic-word accuracy {:.4}: {a:?}", a.clitic_word_accuracy());
    assert!(a.precision() >= 0.88, "split-point precision {:.4}: {a:?}", a.precision());
    assert!(a.recall() >= 0.91, "split-point recall {:.4}: {a:?}", a.recall());
    assert!(a.f1() >= 0.90, "split-point F1 {:.4}: {a:?}", a.f1());
}
