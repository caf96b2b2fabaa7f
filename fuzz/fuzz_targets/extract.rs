//! Fuzz target: the whole extractor on arbitrary UTF-8 never panics, every span it reports slices the original
//! text to exactly its `text`, and extraction is deterministic. Run: `cargo fuzz run -s none extract`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rasid_core::{verify::offset_errors, ArticleInput, Extractor};

fuzz_target!(|text: &str| {
    let extractor = Extractor::shared().expect("bundled data builds");
    let input = ArticleInput { id: "fuzz", text, published: Some("2024-02-18"), ..ArticleInput::default() };
    let doc = extractor.extract(&input);
    let errors = offset_errors(text, &doc);
    assert!(errors.is_empty(), "{errors:?}");
    let again = extractor.extract(&input);
    assert_eq!(serde_json::to_string(&doc).unwrap(), serde_json::to_string(&again).unwrap());
});
