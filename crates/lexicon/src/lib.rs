//! Coded actor dictionaries (countries, named actors, agent nouns, places) and the fast dictionary recogniser.
//!
//! - [`Lexicon::bundled`] holds the `data/` files compiled into the binary; [`Lexicon::load`] reads a directory.
//! - [`check`] validates a `data/` directory (`rasid dict check`), [`ActorMatcher::lookup`] explains what a
//!   phrase resolves to (`rasid dict lookup`).
//! - [`ActorMatcher::find`] finds every dictionary name in normalised text (see `matcher` for the rules), through a
//!   [`keytable::KeyTable`], which the events lexicon's trigger forms use too.

pub mod code;
pub mod data;
pub mod keytable;
pub mod matcher;

pub use code::{reported_slots, Code, CodeError, Country, DateError, DatedCode, Role, Ymd};
pub use data::{
    check, check_bundled, current_code, ActorEntry, AgentEntry, CountryEntry, Diagnostic, Lexicon, LexiconError,
    PlaceEntry, Severity, Source, FILES,
};
pub use matcher::{nationality_forms, ActorMatch, ActorMatcher, Explanation, MatchKind};
