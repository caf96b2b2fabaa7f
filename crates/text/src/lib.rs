//! The Arabic text layer: spans into the original text, aligned normalisation, tokens with clitics, sentences.
//!
//! Nothing here allocates per token in the hot path, and nothing depends on more than `unicode-normalization`
//! and `memchr`, so the crate builds in seconds.

pub mod span;

pub use span::{CharIndex, Span};
pub mod day;
pub use day::Ymd;
pub mod hash;
pub mod normalize;
pub mod rng;
pub mod score;

pub use normalize::{is_alphabetic, is_alphanumeric, is_numeric, is_word_char, normalize, words, NormalizedText};
pub mod sentence;

pub use sentence::Segmenter;
pub mod clitic;
pub mod token;

pub use clitic::{Analysis, Prefixes};
pub use token::{Token, TokenKind, Tokenizer};
