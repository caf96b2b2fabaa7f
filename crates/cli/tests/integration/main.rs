//! Integration tests of rasid-cli, one binary (one link step) for all of them: each module is one former
//! test file, run one with `cargo test -p rasid-cli --test integration MODULE::`.

mod cli;
mod determinism;
mod golden;
mod hostile;
mod offsets;
mod serve_e2e;
mod store;
mod support;
