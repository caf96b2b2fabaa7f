//! Golden snapshots of whole-document output (rendered one line per span) for the bundled sample and the seed.
//! A change in what rasid finds shows up as a reviewable diff of `tests/integration/snapshots/`.

use rasid_core::{summary::render, ArticleInput, Extractor};
use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[test]
fn sample_article() {
    let text = std::fs::read_to_string(root().join("samples/mosul-checkpoint.ar.txt")).unwrap();
    let doc = Extractor::shared().unwrap().extract(&ArticleInput {
        id: "mosul-checkpoint",
        text: &text,
        published: Some("2024-03-12"),
        source: Some("شبكة الراصد"),
        ..Default::default()
    });
    insta::assert_snapshot!("mosul_checkpoint", render(&doc));
}

#[test]
fn seed_article() {
    let dir = root().join("../shared/data/seed");
    let text = std::fs::read_to_string(dir.join("qaani-baghdad.ar.txt")).expect("seed in ../shared");
    let doc = Extractor::shared().unwrap().extract(&ArticleInput {
        id: "qaani-baghdad",
        text: &text,
        published: Some("2024-02-18"),
        source: Some("موقع المجلس"),
        ..Default::default()
    });
    insta::assert_snapshot!("qaani_baghdad", render(&doc));
}
