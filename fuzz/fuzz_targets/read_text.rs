//! Fuzz target: the text reader on arbitrary bytes never panics and every article it returns keeps the contract
//! (non-blank text within the size limit). Run: `cargo fuzz run -s none read_text` (stable) from the repo root.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rasid_input::{read_str, Format, ReadOptions};

/// Small, so that the size-limit paths are reached too.
const LIMIT: usize = 4096;

fuzz_target!(|data: &[u8]| {
    let opts = ReadOptions { max_article_bytes: LIMIT, ..ReadOptions::default() };
    for article in read_str("fuzz.in", data, Format::Text, &opts).into_iter().flatten() {
        assert!(!article.text.trim().is_empty());
        assert!(article.text.len() <= LIMIT);
    }
});
