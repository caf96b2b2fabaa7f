//! One article read by `rasid-input` analysed by the shared extractor with this thread's reusable buffers: the
//! step every front end (`rasid extract`, `rasid ingest`, `rasid serve`) runs before printing or storing.

use std::cell::RefCell;

use rasid_core::model::Document;
use rasid_core::{ArticleInput, Extractor, Scratch};
use rasid_input::Article;

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// rasid's analysis of one article, with this thread's reusable buffers.
pub fn analyse(extractor: &Extractor, a: &Article) -> Document {
    let input = ArticleInput {
        id: &a.id,
        text: &a.text,
        lang: a.lang.as_deref(),
        published: a.published.as_deref(),
        source: a.source.as_deref(),
        title: a.title.as_deref(),
        url: a.url.as_deref(),
    };
    SCRATCH.with(|s| extractor.extract_with(&mut s.borrow_mut(), &input))
}
