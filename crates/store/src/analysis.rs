//! One article read by `rasid-input` analysed by the shared extractor with this thread's reusable buffers: the
//! step every front end (`rasid extract`, `rasid ingest`, `rasid serve`) runs before printing or storing.
//! [`analyse_for_store`] also derives, on the analysing thread, what the store writes besides the document: its
//! JSON, the search text and the MinHash signature (from the extractor's own tokens, not tokenising again).

use std::cell::RefCell;

use crate::fingerprint::{self, Signature};
use crate::ingest::ArticleKey;
use rasid_core::model::Document;
use rasid_core::{ArticleInput, Extractor, Scratch};
use rasid_input::Article;

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// The extractor's view of an article read by `rasid-input`.
pub fn article_input(a: &Article) -> ArticleInput<'_> {
    ArticleInput {
        id: &a.id,
        text: &a.text,
        lang: a.lang.as_deref(),
        published: a.published.as_deref(),
        source: a.source.as_deref(),
        title: a.title.as_deref(),
        url: a.url.as_deref(),
    }
}

/// rasid's analysis of one article, with this thread's reusable buffers.
pub fn analyse(extractor: &Extractor, a: &Article) -> Document {
    let input = article_input(a);
    SCRATCH.with(|s| extractor.extract_with(&mut s.borrow_mut(), &input))
}

/// An article's analysis with what the store derives from it (see [`analyse_for_store`]).
pub struct Analysed {
    pub document: Document,
    /// What the store writes besides the document, made on the analysing thread.
    pub(crate) prepared: Prepared,
    /// The article's identity, when the caller computed it already (see [`Analysed::with_key`]).
    pub(crate) key: Option<ArticleKey>,
}

impl Analysed {
    /// The article's identity computed before (by [`ArticleKey::of`] of the same article, to look it up with
    /// `Store::contains_key`): the store does not hash its text again.
    pub fn with_key(mut self, key: ArticleKey) -> Analysed {
        self.key = Some(key);
        self
    }
}

/// What [`analyse_for_store`] derives for the store on the analysing thread, besides the document.
pub(crate) struct Prepared {
    /// The document as stored (`crate::doccodec`; `None`: encoding failed, the store encodes again and reports
    /// the error).
    pub(crate) document: Option<Vec<u8>>,
    /// Search text of title and text, as `Store::ingest` builds it.
    pub(crate) search: String,
    /// MinHash signature of the text.
    pub(crate) signature: Signature,
}

thread_local! {
    static PRINT: RefCell<fingerprint::Scratch> = RefCell::new(fingerprint::Scratch::default());
}

/// [`analyse`], with the document's JSON, search text and MinHash signature made on this thread: what
/// `Store::ingest_analysed` writes.
pub fn analyse_for_store(extractor: &Extractor, a: &Article) -> Analysed {
    let input = article_input(a);
    let mut search = String::new();
    let (mut document, signature) = SCRATCH.with(|s| {
        let mut s = s.borrow_mut();
        let document = extractor.extract_with(&mut s, &input);
        let (norm, tokens) = s.tokens();
        let signature = fingerprint::analyse_tokens(norm.as_str(), tokens, &mut search);
        (document, signature)
    });
    if let Some(title) = a.title.as_deref() {
        PRINT.with(|p| fingerprint::prepend_title(&mut p.borrow_mut(), title, &mut search));
    }
    let stored = crate::doccodec::encode_mut(&mut document, &a.text).ok();
    Analysed { document, prepared: Prepared { document: stored, search, signature }, key: None }
}
