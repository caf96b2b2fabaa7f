//! Training and cross-validating the event filter on labelled detection sentences (`detect-*.jsonl`).
//!
//! A sentence labelled `yes` for type T makes every rule-coded T candidate in it a positive example, an
//! `easy no` / `difficult no` sentence makes them negatives (`ambiguous` is skipped). Folds are assigned by
//! position (`i % k`), so results are reproducible.

use super::{Candidate, EventDetector, Filter, TrainConfig};
use crate::eval::DetectScore;
use rasid_text::normalize;
use std::collections::BTreeMap;

/// One labelled detection sentence.
#[derive(Debug, Clone)]
pub struct Labelled {
    pub text: String,
    /// PLOVER type the label is about.
    pub plover: String,
    /// `yes`, `easy no`, `difficult no` or `ambiguous`.
    pub label: String,
}

impl Labelled {
    fn positive(&self) -> Option<bool> {
        match self.label.as_str() {
            "yes" => Some(true),
            "easy no" | "difficult no" => Some(false),
            _ => None,
        }
    }
}

/// Features of the rule-coded candidates of the sentence's type, with the sentence's label.
pub fn examples(rules_only: &EventDetector, s: &Labelled, out: &mut Vec<(Vec<String>, bool)>) {
    let Some(y) = s.positive() else { return };
    let norm = normalize(&s.text);
    let mut cands: Vec<Candidate<'_>> = Vec::new();
    let mut feats = Vec::new();
    rules_only.detect_with_features(&norm, 0..norm.len(), &[], &mut cands, &mut feats);
    for (c, f) in cands.iter().zip(feats) {
        if let (true, Some(f)) = (c.plover == s.plover, f) {
            out.push((f, y));
        }
    }
}

/// Trains a filter on `data` with the rules of `rules_only` (a detector without filter).
pub fn train(rules_only: &EventDetector, data: &[Labelled], cfg: TrainConfig) -> Filter {
    let mut ex = Vec::new();
    for s in data {
        examples(rules_only, s, &mut ex);
    }
    Filter::train(&ex, cfg)
}

/// Does `det` code an asserted event of type `plover` in `text`?
pub fn codes(det: &EventDetector, text: &str, plover: &str) -> bool {
    let norm = normalize(text);
    let mut cands = Vec::new();
    det.detect(&norm, 0..norm.len(), &[], &mut cands);
    cands.iter().any(|c| c.coded && c.plover == plover)
}

/// Per PLOVER type: detection scores of rules only and of rules + filter, under `k`-fold cross-validation
/// (each sentence is scored by a filter trained without it).
pub fn cross_validate(
    rules_only: &EventDetector,
    data: &[Labelled],
    k: usize,
    cfg: TrainConfig,
) -> BTreeMap<String, (DetectScore, DetectScore)> {
    let k = k.max(2);
    let mut scores: BTreeMap<String, (DetectScore, DetectScore)> = BTreeMap::new();
    for fold in 0..k {
        let train_set: Vec<Labelled> =
            data.iter().enumerate().filter(|(i, _)| i % k != fold).map(|(_, s)| s.clone()).collect();
        let model = train(rules_only, &train_set, cfg);
        let mut det = rules_only.clone();
        det.set_filter(Some(model));
        for (_, s) in data.iter().enumerate().filter(|(i, _)| i % k == fold) {
            let e = scores.entry(s.plover.clone()).or_insert_with(|| {
                let d = DetectScore { event_type: s.plover.clone(), ..DetectScore::default() };
                (d.clone(), d)
            });
            e.0.add(&s.label, codes(rules_only, &s.text, &s.plover));
            e.1.add(&s.label, codes(&det, &s.text, &s.plover));
        }
    }
    scores
}
