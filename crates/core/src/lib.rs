//! The rasid pipeline: body → sentences → attribution → actors → events → dates/places/counts.

pub mod eval;
pub mod events;
pub mod model;
