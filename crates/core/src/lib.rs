//! The rasid pipeline: body → sentences → attribution → actors → events → dates/places/counts.

pub mod model;
pub mod eval;
pub mod events;
