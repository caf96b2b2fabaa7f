//! The rasid pipeline: body → sentences → attribution → actors → events → dates/places/counts.

pub mod actors;
pub mod attribution;
pub mod calendar;
pub mod context;
pub mod counts;
pub mod datacheck;
pub mod dates;
pub mod eval;
pub mod events;

pub mod model;
pub mod names;
pub mod numbers;
pub mod phrases;
pub mod pipeline;
pub mod structure;
pub mod summary;
pub mod verify;
mod wordcount;

pub use pipeline::{ArticleInput, BuildError, Extractor, Scratch};
