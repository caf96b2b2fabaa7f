//! The rasid pipeline: body → sentences → attribution → actors → events → dates/places/counts.

pub mod calendar;
pub mod counts;
pub mod dates;
pub mod model;
pub mod numbers;
