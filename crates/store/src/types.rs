//! The store's public records: what queries return (all `Serialize`), filters, pages and reports.

use crate::days;
use crate::error::StoreError;
use serde::Serialize;

/// What one call to `Store::ingest` did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct IngestReport {
    /// Articles stored now.
    pub added: usize,
    /// Articles already in the store (same id, url and text), left as they were.
    pub skipped: usize,
    /// Of the added articles, those linked to an earlier near-duplicate.
    pub near_duplicates: usize,
    /// Event mentions stored.
    pub mentions: usize,
    /// Of those, mentions merged into an event another mention had created.
    pub merged: usize,
}

/// Schema version and row counts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DbInfo {
    pub backend: String,
    pub schema_version: i64,
    /// Processing generation of the articles' results (raised by each `reprocess`).
    pub generation: i64,
    pub articles: u64,
    pub near_duplicates: u64,
    pub sentences: u64,
    pub entities: u64,
    pub actors: u64,
    /// Merged events.
    pub events: u64,
    /// Event mentions (one per event found in one article).
    pub mentions: u64,
    /// Merged events with more than one source article.
    pub corroborated_events: u64,
    /// `YYYY-MM-DD` of the earliest and latest event day.
    pub first_day: Option<String>,
    pub last_day: Option<String>,
}

/// A filter over merged events. Build it with [`EventFilter::parse`] (validating strings) or field by field.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EventFilter {
    /// PLOVER types (any of them).
    pub types: Vec<String>,
    /// ISO-3 country of the source or the target.
    pub country: Option<String>,
    /// CAMEO role of the source or the target (`MIL`, `GOV`, …).
    pub role: Option<String>,
    /// Actor id or a piece of the source's or target's name (normalised, as rasid normalises Arabic).
    pub actor: Option<String>,
    /// First day (inclusive), as a day number; see [`days`].
    pub from: Option<i64>,
    /// Last day (inclusive).
    pub to: Option<i64>,
    /// Place name (normalised, whole name).
    pub place: Option<String>,
    /// Words that an article reporting the event must contain (full-text search).
    pub text: Option<String>,
}

/// The string form of an [`EventFilter`], as a command line or a query string gives it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FilterArgs<'a> {
    /// Comma-separated PLOVER types.
    pub types: Option<&'a str>,
    pub country: Option<&'a str>,
    pub role: Option<&'a str>,
    pub actor: Option<&'a str>,
    /// `YYYY-MM-DD`, `YYYY-MM` or `YYYY` (the first day of it).
    pub from: Option<&'a str>,
    /// `YYYY-MM-DD`, `YYYY-MM` or `YYYY` (the last day of it).
    pub to: Option<&'a str>,
    pub place: Option<&'a str>,
    pub text: Option<&'a str>,
}

fn nonempty(s: Option<&str>) -> Option<&str> {
    s.map(str::trim).filter(|s| !s.is_empty())
}

fn code(field: &'static str, s: &str, what: &str) -> Result<String, StoreError> {
    let up = s.to_ascii_uppercase();
    if up.len() == 3 && up.bytes().all(|b| b.is_ascii_uppercase()) {
        Ok(up)
    } else {
        Err(StoreError::invalid(field, format!("`{s}` is not {what} (three letters)")))
    }
}

impl EventFilter {
    /// Validates string values: unknown PLOVER type, a country or role that is not three letters, a date that
    /// is not `YYYY[-MM[-DD]]`, `from` after `to`, or a value over 200 bytes is a [`StoreError::Invalid`].
    pub fn parse(a: &FilterArgs<'_>) -> Result<EventFilter, StoreError> {
        let mut f = EventFilter::default();
        let fields = [a.types, a.country, a.role, a.actor, a.from, a.to, a.place, a.text];
        let names = ["type", "country", "role", "actor", "from", "to", "place", "text"];
        for (v, name) in fields.iter().zip(names) {
            if v.is_some_and(|v| v.len() > 200) {
                return Err(StoreError::invalid(name, "longer than 200 bytes"));
            }
        }
        if let Some(types) = nonempty(a.types) {
            for t in types.split(',').map(str::trim).filter(|t| !t.is_empty()) {
                let up = t.to_ascii_uppercase();
                match rasid_core::events::PLOVER_TYPES.iter().find(|p| **p == up) {
                    Some(p) => f.types.push((*p).to_string()),
                    None => {
                        return Err(StoreError::invalid(
                            "type",
                            format!(
                                "unknown PLOVER type `{t}` (one of {})",
                                rasid_core::events::PLOVER_TYPES.join(", ")
                            ),
                        ))
                    }
                }
            }
        }
        f.country = nonempty(a.country).map(|c| code("country", c, "an ISO-3 country code")).transpose()?;
        f.role = nonempty(a.role).map(|r| code("role", r, "a CAMEO role code")).transpose()?;
        f.actor = nonempty(a.actor).map(rasid_text::normalize);
        f.place = nonempty(a.place).map(rasid_text::normalize);
        f.text = nonempty(a.text).map(str::to_string);
        if let Some(s) = nonempty(a.from) {
            f.from = Some(
                days::parse_range(s)
                    .ok_or_else(|| StoreError::invalid("from", format!("`{s}` is not YYYY-MM-DD, YYYY-MM or YYYY")))?
                    .0,
            );
        }
        if let Some(s) = nonempty(a.to) {
            f.to = Some(
                days::parse_range(s)
                    .ok_or_else(|| StoreError::invalid("to", format!("`{s}` is not YYYY-MM-DD, YYYY-MM or YYYY")))?
                    .1,
            );
        }
        if let (Some(from), Some(to)) = (f.from, f.to) {
            if from > to {
                return Err(StoreError::invalid("from", "after `to`"));
            }
        }
        Ok(f)
    }
}

/// Cursor pagination: events with `id > after_id`, in id order, at most `limit` (1–1000).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    pub after_id: Option<i64>,
    pub limit: usize,
}

impl Default for PageRequest {
    fn default() -> PageRequest {
        PageRequest { after_id: None, limit: 50 }
    }
}

/// One page of results; `next_after` is the cursor of the next page (absent on the last one).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_after: Option<i64>,
}

/// One merged event, flat (the columns of the CSV export; see docs/store.md).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EventRecord {
    pub id: i64,
    #[serde(rename = "type")]
    pub kind: String,
    pub cameo: Option<String>,
    /// As written by the first mention: `YYYY-MM-DD`, `YYYY-MM` or `YYYY`.
    pub date: Option<String>,
    pub date_precision: Option<String>,
    pub date_start: Option<String>,
    pub date_end: Option<String>,
    pub source_actor_id: Option<String>,
    pub source_name: Option<String>,
    pub source_country: Option<String>,
    pub source_role: Option<String>,
    pub target_actor_id: Option<String>,
    pub target_name: Option<String>,
    pub target_country: Option<String>,
    pub target_role: Option<String>,
    pub place: Option<String>,
    pub place_country: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub killed: Option<u64>,
    pub wounded: Option<u64>,
    pub arrested: Option<u64>,
    pub participants: Option<u64>,
    pub modality: String,
    pub negated: bool,
    /// Mentions merged into this event.
    pub mentions: u64,
    /// Distinct articles reporting it.
    pub sources: u64,
    /// Distinct articles once near-duplicates count as one.
    pub independent_sources: u64,
    /// The first mention's trigger and sentence, and its article.
    pub trigger: String,
    pub sentence: String,
    pub article_id: i64,
    pub article_ext_id: String,
    pub outlet: Option<String>,
    pub published: Option<String>,
    pub url: Option<String>,
}

/// A merged event with every mention.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EventDetail {
    pub event: EventRecord,
    pub mentions: Vec<MentionRecord>,
    /// Distinct outlets reporting it.
    pub outlets: Vec<String>,
}

/// One article's report of an event.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MentionRecord {
    pub id: i64,
    pub article_id: i64,
    pub article_ext_id: String,
    pub title: Option<String>,
    pub outlet: Option<String>,
    pub published: Option<String>,
    pub url: Option<String>,
    /// Sentence index in the article, its text, and the trigger's code-point offsets into the article text.
    pub sentence: usize,
    pub sentence_text: String,
    pub trigger_start: usize,
    pub trigger_end: usize,
    pub trigger: String,
    pub rule: String,
    pub source_text: Option<String>,
    pub target_text: Option<String>,
    pub date: Option<String>,
    pub place: Option<String>,
    pub modality: String,
    pub negated: bool,
    /// The attribution chain, outermost first, as `kind:name-or-text` joined by ` > `.
    pub attribution: String,
}

/// One stored article.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ArticleRecord {
    pub id: i64,
    pub ext_id: String,
    pub title: Option<String>,
    pub published: Option<String>,
    pub outlet: Option<String>,
    pub url: Option<String>,
    pub lang: Option<String>,
    /// SHA-256 of the text.
    pub content_hash: String,
    /// The stored article this one nearly duplicates, and their estimated Jaccard similarity (word 3-shingles).
    pub duplicate_of: Option<i64>,
    pub duplicate_similarity: Option<f64>,
    pub text: String,
    /// rasid's full output for the article (docs/output.md).
    pub document: serde_json::Value,
}

/// An actor known to the store, with how many merged events it takes part in.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActorSummary {
    pub id: String,
    pub name: String,
    pub country: Option<String>,
    pub role: Option<String>,
    pub events: u64,
}

/// Time buckets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Bucket {
    Day,
    Week,
    Month,
}

impl std::str::FromStr for Bucket {
    type Err = StoreError;
    fn from_str(s: &str) -> Result<Bucket, StoreError> {
        match s.trim().to_ascii_lowercase().as_str() {
            "day" => Ok(Bucket::Day),
            "week" => Ok(Bucket::Week),
            "month" => Ok(Bucket::Month),
            _ => Err(StoreError::invalid("by", format!("`{s}` is not day, week or month"))),
        }
    }
}

/// Events of one type in one bucket (`bucket`: the day, the Monday of the week, or `YYYY-MM`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TimelinePoint {
    pub bucket: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub events: u64,
    /// Sum of the events' distinct source articles.
    pub sources: u64,
}

/// Events from one actor to another (`source`/`target`: the actor id, else `COUNTRY`+`ROLE` codes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ActorEdge {
    pub source: String,
    pub source_name: Option<String>,
    pub target: String,
    pub target_name: Option<String>,
    pub events: u64,
}

/// A full-text search hit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ArticleHit {
    pub id: i64,
    pub ext_id: String,
    pub title: Option<String>,
    pub published: Option<String>,
    pub outlet: Option<String>,
    pub url: Option<String>,
    /// The first 200 characters of the text.
    pub snippet: String,
    /// Higher is better.
    pub score: f64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_validate() {
        let f = EventFilter::parse(&FilterArgs {
            types: Some("assault, protest"),
            country: Some("irq"),
            role: Some("MIL"),
            from: Some("2018-02"),
            to: Some("2018"),
            actor: Some("الحشد"),
            ..FilterArgs::default()
        })
        .unwrap();
        assert_eq!(f.types, vec!["ASSAULT", "PROTEST"]);
        assert_eq!(f.country.as_deref(), Some("IRQ"));
        assert_eq!(f.from.map(days::format).as_deref(), Some("2018-02-01"));
        assert_eq!(f.to.map(days::format).as_deref(), Some("2018-12-31"));
        for bad in [
            FilterArgs { types: Some("BOMB"), ..FilterArgs::default() },
            FilterArgs { country: Some("IRAQ"), ..FilterArgs::default() },
            FilterArgs { role: Some("M1L"), ..FilterArgs::default() },
            FilterArgs { from: Some("2018-2-1"), ..FilterArgs::default() },
            FilterArgs { from: Some("2019"), to: Some("2018"), ..FilterArgs::default() },
        ] {
            assert!(matches!(EventFilter::parse(&bad), Err(StoreError::Invalid { .. })), "{bad:?}");
        }
        assert!("fortnight".parse::<Bucket>().is_err());
        assert_eq!("Week".parse::<Bucket>().unwrap(), Bucket::Week);
    }
}
