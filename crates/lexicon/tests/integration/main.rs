//! Integration tests of rasid-lexicon, one binary (one link step) for all of them: each module is one former
//! test file, run one with `cargo test -p rasid-lexicon --test integration MODULE::`.

mod check;
mod gsr;
mod props;
mod table;
