//! Statistical Arabic named-entity recognition (PER, LOC, ORG, MISC) for names no dictionary knows.
//!
//! The tagger is an averaged structured perceptron over BILOU tags (BIO outside the crate) with first-order
//! transitions and constrained Viterbi decoding ([`model`]), run in two passes: the second, stacked pass also
//! reads the first pass's tags of the same word elsewhere in its document window
//! ([`NerModel::tag_document`]). Token features ([`features`]) use the normalised word, its clitic-free stem,
//! affixes, word shape, a ±2 context window, gazetteer membership (multi-word entries matched over the sentence)
//! and title/trigger words from `data/ner/`. Training and cross-validation live in [`train`]; the trained model is
//! a compact binary file (`data/ner/model.bin`, format in [`model`]) embedded with [`NerModel::bundled`].
//!
//! Words are whole surface words as the pipeline tokenises them (not clitic-split); tags come back one per word.

pub mod corpus;
pub mod features;
pub mod model;
pub mod tags;
pub mod train;

pub use corpus::{read_conll, CorpusError, Sentence};
pub use features::{GazSlot, Lexicon, LexiconError, LIST_FILES};
pub use model::{ModelError, NerModel, Scratch};
pub use tags::{entity_spans, EntitySpan, EntityType, NerTag};
pub use train::{cross_validate, evaluate, train, Counts, Report, TrainConfig};
