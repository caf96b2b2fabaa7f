//! Reads the first 2,000 articles of the ANT corpus (`../shared/corpus/ant-2018.jsonl.gz`) through the gzip JSON
//! Lines reader; skipped with a note when the shared corpus is not there.

use std::path::PathBuf;

use rasid_input::{date::parse_ymd, read_paths, ReadOptions};

const ARTICLES: usize = 2_000;

#[test]
fn ant_corpus_first_2000() {
    let path = std::env::var_os("RASID_ANT_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/ant-2018.jsonl.gz"));
    if !path.exists() {
        eprintln!("note: {} not found, ANT corpus test skipped", path.display());
        return;
    }
    let mut ids = std::collections::HashSet::new();
    let mut bytes = 0usize;
    for (i, item) in read_paths(&[path], &ReadOptions::default()).take(ARTICLES).enumerate() {
        let a = item.unwrap_or_else(|e| panic!("article {}: {e}", i + 1));
        assert_eq!(a.origin.line, Some(i + 1));
        assert!(!a.text.trim().is_empty());
        assert!(a.published.as_deref().is_some_and(|p| parse_ymd(p).is_some()), "{}: {:?}", a.id, a.published);
        assert!(a.source.is_some() && a.title.is_some() && a.url.is_some(), "{}", a.id);
        assert!(ids.insert(a.id.clone()), "duplicate id {}", a.id);
        bytes += a.text.len();
    }
    assert_eq!(ids.len(), ARTICLES);
    eprintln!("read {ARTICLES} ANT articles, {bytes} bytes of text");
}
