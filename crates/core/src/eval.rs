//! GSR scoring (`rasid eval`): reads GSR JSONL, runs a caller's analysis per sentence, scores span and detection
//! sets.
//!
//! Two record shapes (see `../shared/data/gsr-dev/`):
//! - span sets: `{id, text, published, category, events: [{plover, source: {country, role}, target: {…}}]}` —
//!   scored as the share of gold events whose type was found, and source/target country, role and exact-code
//!   accuracy (overall, and over gold actors that carry a code);
//! - detection sets: `{id, text, published, event_type, label}` with `label` `yes`, `easy no`, `difficult no` or
//!   `ambiguous` — scored as precision/recall/F1 of "codes an asserted event of `event_type`" (ambiguous skipped).

use rasid_text::score;
use serde::Deserialize;
use std::fmt;
use std::path::Path;

/// A gold or found actor code (`null` = not coded).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct GsrActor {
    pub country: Option<String>,
    pub role: Option<String>,
}

impl GsrActor {
    fn has_code(&self) -> bool {
        self.country.is_some() || self.role.is_some()
    }
}

/// One gold event of a span set.
#[derive(Debug, Clone, Deserialize)]
pub struct GsrEvent {
    pub plover: String,
    #[serde(default)]
    pub trigger_text: Option<String>,
    #[serde(default)]
    pub source: GsrActor,
    #[serde(default)]
    pub target: GsrActor,
}

/// One GSR line (either shape).
#[derive(Debug, Clone, Deserialize)]
pub struct GsrRecord {
    pub id: String,
    pub text: String,
    #[serde(default)]
    pub published: Option<String>,
    #[serde(default)]
    pub events: Option<Vec<GsrEvent>>,
    #[serde(default)]
    pub event_type: Option<String>,
    #[serde(default)]
    pub label: Option<String>,
}

/// An asserted event the analysis found in a sentence.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Found {
    pub plover: String,
    pub source: GsrActor,
    pub target: GsrActor,
}

/// The asserted events the whole pipeline codes in one GSR sentence (analysed as a one-sentence article), with
/// their actor codes: what [`score_records`] scores against the gold.
pub fn asserted_events(extractor: &crate::Extractor, scratch: &mut crate::Scratch, r: &GsrRecord) -> Vec<Found> {
    let doc = extractor.extract_with(
        scratch,
        &crate::ArticleInput { id: &r.id, text: &r.text, published: r.published.as_deref(), ..Default::default() },
    );
    let code = |p: Option<&crate::model::Participant>| GsrActor {
        country: p.and_then(|p| p.country.clone()),
        role: p.and_then(|p| p.role.clone()),
    };
    doc.events
        .iter()
        .filter(|e| !e.negated && e.modality == crate::model::Modality::Asserted)
        .map(|e| Found { plover: e.kind.clone(), source: code(e.source.as_ref()), target: code(e.target.as_ref()) })
        .collect()
}

/// Errors reading a GSR file.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EvalError {
    #[error("{path}: {source}")]
    Io { path: String, source: std::io::Error },
    #[error("{path}:{line}: {message}")]
    Parse { path: String, line: usize, message: String },
}

/// Parses GSR JSONL text (`name` is used in errors); blank lines are skipped.
pub fn parse_gsr(name: &str, text: &str) -> Result<Vec<GsrRecord>, EvalError> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let r: GsrRecord = serde_json::from_str(line).map_err(|e| EvalError::Parse {
            path: name.into(),
            line: i + 1,
            message: e.to_string(),
        })?;
        if r.events.is_none() && (r.event_type.is_none() || r.label.is_none()) {
            return Err(EvalError::Parse {
                path: name.into(),
                line: i + 1,
                message: "neither `events` nor `event_type` + `label`".into(),
            });
        }
        out.push(r);
    }
    Ok(out)
}

/// Reads a GSR JSONL file.
pub fn read_gsr(path: &Path) -> Result<Vec<GsrRecord>, EvalError> {
    let text =
        std::fs::read_to_string(path).map_err(|e| EvalError::Io { path: path.display().to_string(), source: e })?;
    parse_gsr(&path.display().to_string(), &text)
}

/// A hit count over a total.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Acc {
    pub hit: usize,
    pub total: usize,
}

impl Acc {
    pub fn add(&mut self, ok: bool) {
        self.total += 1;
        self.hit += usize::from(ok);
    }
    pub fn rate(self) -> f64 {
        if self.total == 0 {
            0.0
        } else {
            self.hit as f64 / self.total as f64
        }
    }
}

impl fmt::Display for Acc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:.3} ({}/{})", self.rate(), self.hit, self.total)
    }
}

/// Accuracy of one argument slot.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SlotScore {
    /// Over all gold events (`null` gold must be found `null`).
    pub country: Acc,
    pub role: Acc,
    pub exact: Acc,
    /// Over gold actors that carry the field (country / role / any code).
    pub coded_country: Acc,
    pub coded_role: Acc,
    pub coded_exact: Acc,
}

impl SlotScore {
    fn add(&mut self, gold: &GsrActor, found: Option<&GsrActor>) {
        let none = GsrActor::default();
        let f = found.unwrap_or(&none);
        let (c, r) = (gold.country == f.country, gold.role == f.role);
        self.country.add(c);
        self.role.add(r);
        self.exact.add(c && r);
        if gold.country.is_some() {
            self.coded_country.add(c);
        }
        if gold.role.is_some() {
            self.coded_role.add(r);
        }
        if gold.has_code() {
            self.coded_exact.add(c && r);
        }
    }
}

/// Scores of a span set.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SpanScore {
    pub sentences: usize,
    pub type_found: Acc,
    pub source: SlotScore,
    pub target: SlotScore,
}

/// Scores of a detection set.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DetectScore {
    pub event_type: String,
    pub tp: usize,
    pub fp_easy: usize,
    pub fp_difficult: usize,
    pub fn_: usize,
    pub tn: usize,
    pub skipped: usize,
}

impl DetectScore {
    pub fn precision(&self) -> f64 {
        score::precision(self.tp, self.fp_easy + self.fp_difficult)
    }
    pub fn recall(&self) -> f64 {
        score::recall(self.tp, self.fn_)
    }
    pub fn f1(&self) -> f64 {
        score::f1(self.precision(), self.recall())
    }
    /// Adds one judged sentence (`label` as in the file, `coded` = the analysis coded `event_type`).
    pub fn add(&mut self, label: &str, coded: bool) {
        match (label, coded) {
            ("yes", true) => self.tp += 1,
            ("yes", false) => self.fn_ += 1,
            ("easy no", true) => self.fp_easy += 1,
            ("difficult no", true) => self.fp_difficult += 1,
            ("easy no" | "difficult no", false) => self.tn += 1,
            _ => self.skipped += 1,
        }
    }
}

/// The score of one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileScore {
    Span(SpanScore),
    Detect(DetectScore),
}

/// Scores `records` with `analyse`, which returns the asserted events of one record's sentence.
pub fn score_records(records: &[GsrRecord], mut analyse: impl FnMut(&GsrRecord) -> Vec<Found>) -> FileScore {
    let detect = records.iter().all(|r| r.events.is_none());
    if detect {
        let mut d = DetectScore::default();
        for r in records {
            let (Some(t), Some(label)) = (&r.event_type, &r.label) else {
                continue;
            };
            if d.event_type.is_empty() {
                d.event_type = t.clone();
            }
            if label == "ambiguous" {
                d.skipped += 1;
                continue;
            }
            let found = analyse(r);
            d.add(label, found.iter().any(|f| &f.plover == t));
        }
        return FileScore::Detect(d);
    }
    let mut s = SpanScore::default();
    for r in records {
        let Some(events) = &r.events else { continue };
        s.sentences += 1;
        let found = analyse(r);
        for g in events {
            let same: Vec<&Found> = found.iter().filter(|f| f.plover == g.plover).collect();
            s.type_found.add(!same.is_empty());
            // The found event of this type that agrees most with the gold codes.
            let agree = |f: &Found| {
                usize::from(f.source.country == g.source.country)
                    + usize::from(f.source.role == g.source.role)
                    + usize::from(f.target.country == g.target.country)
                    + usize::from(f.target.role == g.target.role)
            };
            let best = same.iter().copied().max_by_key(|f| agree(f));
            s.source.add(&g.source, best.map(|f| &f.source));
            s.target.add(&g.target, best.map(|f| &f.target));
        }
    }
    FileScore::Span(s)
}

impl fmt::Display for SlotScore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "all: country {} role {} exact {} | coded: country {} role {} exact {}",
            self.country, self.role, self.exact, self.coded_country, self.coded_role, self.coded_exact
        )
    }
}

impl fmt::Display for FileScore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FileScore::Span(s) => {
                writeln!(f, "span set: {} sentences, gold type found {}", s.sentences, s.type_found)?;
                writeln!(f, "  source {}", s.source)?;
                write!(f, "  target {}", s.target)
            }
            FileScore::Detect(d) => write!(
                f,
                "detection {}: P {:.3} R {:.3} F1 {:.3} (tp {} fp {} [easy {} difficult {}] fn {} tn {} skipped {})",
                d.event_type,
                d.precision(),
                d.recall(),
                d.f1(),
                d.tp,
                d.fp_easy + d.fp_difficult,
                d.fp_easy,
                d.fp_difficult,
                d.fn_,
                d.tn,
                d.skipped
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPAN: &str = r#"{"id":"a","text":"x","events":[{"plover":"ASSAULT","source":{"country":"USA","role":"MIL"},"target":{"country":null,"role":null}}]}
{"id":"b","text":"y","events":[{"plover":"PROTEST","source":{"country":null,"role":"CVL"},"target":{"country":"IRQ","role":"GOV"}}]}"#;

    #[test]
    fn span_scores() {
        let recs = parse_gsr("s.jsonl", SPAN).unwrap();
        let sc = score_records(&recs, |r| {
            if r.id == "a" {
                vec![Found {
                    plover: "ASSAULT".into(),
                    source: GsrActor { country: Some("USA".into()), role: Some("MIL".into()) },
                    target: GsrActor::default(),
                }]
            } else {
                vec![]
            }
        });
        let FileScore::Span(s) = sc else { panic!("not a span set") };
        assert_eq!(s.type_found, Acc { hit: 1, total: 2 });
        assert_eq!(s.source.coded_exact, Acc { hit: 1, total: 2 });
        assert_eq!(s.target.coded_exact, Acc { hit: 0, total: 1 });
        assert_eq!(s.target.exact, Acc { hit: 1, total: 2 });
    }

    #[test]
    fn detection_scores_skip_ambiguous() {
        let text = [
            r#"{"id":"1","text":"a","event_type":"ASSAULT","label":"yes"}"#,
            r#"{"id":"2","text":"b","event_type":"ASSAULT","label":"difficult no"}"#,
            r#"{"id":"3","text":"c","event_type":"ASSAULT","label":"ambiguous"}"#,
            r#"{"id":"4","text":"d","event_type":"ASSAULT","label":"easy no"}"#,
        ]
        .join("\n");
        let recs = parse_gsr("d.jsonl", &text).unwrap();
        let sc = score_records(&recs, |r| {
            if r.text == "a" || r.text == "b" || r.text == "c" {
                vec![Found { plover: "ASSAULT".into(), ..Found::default() }]
            } else {
                vec![]
            }
        });
        let FileScore::Detect(d) = sc else { panic!("not a detection set") };
        assert_eq!((d.tp, d.fp_difficult, d.tn, d.skipped), (1, 1, 1, 1));
        assert!((d.precision() - 0.5).abs() < 1e-9 && (d.recall() - 1.0).abs() < 1e-9);
    }

    #[test]
    fn parse_error_names_line() {
        let e = parse_gsr("x.jsonl", "{\"id\":\"1\",\"text\":\"a\",\"event_type\":\"A\",\"label\":\"yes\"}\n{oops")
            .unwrap_err();
        assert!(e.to_string().starts_with("x.jsonl:2:"), "{e}");
    }
}
