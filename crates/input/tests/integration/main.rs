//! Integration tests of rasid-input, one binary (one link step) for all of them: each module is one former
//! test file, run one with `cargo test -p rasid-input --test integration MODULE::`.

mod corpus;
mod props;
mod read;
