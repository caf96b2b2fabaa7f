//! Integration tests of rasid-core, one binary (one link step) for all of them: each module is one former
//! test file, run one with `cargo test -p rasid-core --test integration MODULE::`.

mod context_tables;
mod events_cases;
mod events_gsr;
mod future_dates;
mod seed;
