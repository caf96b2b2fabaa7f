//! Training and cross-validating the event filter on labelled sentences: the detection sets (`detect-*.jsonl`,
//! labels `yes` / `easy no` / `difficult no`, `ambiguous` skipped) and the span sets (`assault.jsonl`, …: every
//! sentence is a true event of its gold types, so it is a `yes` for each of them).
//!
//! A sentence labelled for type T makes every rule-coded T candidate in it an example. The span sets repeat
//! sentences of the detection sets (every span sentence is also a detection sentence, often labelled
//! `ambiguous` there), so training merges the labels of one sentence and type into one target
//! ([`merged_labels`]: gold in a span set or `yes` → 1; otherwise the share of annotators who accepted it, from
//! the `accept` / `reject` votes of the detection sets, so a `difficult no` accepted by one of three annotators
//! is 1/3, an `easy no` 0) and cross-validation folds group by
//! sentence text ([`fold_of`]): a sentence is never scored by a model that saw its twin. Actor features come from
//! the bundled [`ActorStage`], built into [`ActorSlot`]s as the pipeline does. Every figure reported from here is
//! out-of-fold.

use super::{ActorSlot, Candidate, EventDetector, Filter, TrainConfig};
use crate::actors::ActorStage;
use crate::eval::{read_gsr, Acc, DetectScore, EvalError, GsrRecord};
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

/// One labelled sentence.
#[derive(Debug, Clone)]
pub struct Labelled {
    pub text: String,
    /// PLOVER type the label is about.
    pub plover: String,
    /// `yes`, `easy no`, `difficult no` or `ambiguous`.
    pub label: String,
    /// Publication day (`YYYY-MM-DD`), for dated actor roles.
    pub published: Option<String>,
    /// From a span set (a gold event of `plover`), not a detection set.
    pub span: bool,
    /// Detection sets: annotators who accepted and who rejected the sentence (`accept`, `reject`).
    pub votes: Option<(u32, u32)>,
}

/// The votes of a detection record (fields the evaluation does not read).
#[derive(serde::Deserialize)]
struct VoteRecord {
    text: String,
    #[serde(default)]
    event_type: Option<String>,
    #[serde(default)]
    accept: Option<u32>,
    #[serde(default)]
    reject: Option<u32>,
}

/// The labelled sentences of one GSR file ([`Labelled::from_records`]) with the annotators' votes of its
/// detection records.
pub fn read_labelled(path: &Path, out: &mut Vec<Labelled>) -> Result<(), EvalError> {
    let records = read_gsr(path)?;
    let start = out.len();
    Labelled::from_records(&records, out);
    let text =
        std::fs::read_to_string(path).map_err(|e| EvalError::Io { path: path.display().to_string(), source: e })?;
    let mut votes: HashMap<(String, String), (u32, u32)> = HashMap::new();
    for (i, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let v: VoteRecord = serde_json::from_str(line).map_err(|e| EvalError::Parse {
            path: path.display().to_string(),
            line: i + 1,
            message: e.to_string(),
        })?;
        if let (Some(t), Some(a), Some(r)) = (v.event_type, v.accept, v.reject) {
            votes.entry((v.text, t)).or_insert((a, r));
        }
    }
    for l in &mut out[start..] {
        if !l.span {
            l.votes = votes.get(&(l.text.clone(), l.plover.clone())).copied();
        }
    }
    Ok(())
}

impl Labelled {
    fn positive(&self) -> Option<bool> {
        match self.label.as_str() {
            "yes" => Some(true),
            "easy no" | "difficult no" => Some(false),
            _ => None,
        }
    }

    /// The labelled sentences of GSR records: a detection record gives one, a span record one per gold type.
    pub fn from_records(records: &[GsrRecord], out: &mut Vec<Labelled>) {
        for r in records {
            let published = r.published.clone();
            if let (Some(t), Some(l)) = (&r.event_type, &r.label) {
                out.push(Labelled {
                    text: r.text.clone(),
                    plover: t.clone(),
                    label: l.clone(),
                    published,
                    span: false,
                    votes: None,
                });
            } else if let Some(events) = &r.events {
                let types: BTreeSet<&str> = events.iter().map(|e| e.plover.as_str()).collect();
                for t in types {
                    out.push(Labelled {
                        text: r.text.clone(),
                        plover: t.to_owned(),
                        label: "yes".into(),
                        published: published.clone(),
                        span: true,
                        votes: None,
                    });
                }
            }
        }
    }
}

/// A labelled sentence with its normalised text, actor slots and the filter features of its rule-coded
/// candidates of the labelled type (computed once; they do not depend on the model).
#[derive(Debug, Clone)]
pub struct Prepared {
    pub item: Labelled,
    pub norm: String,
    /// Where `norm` has a folded `ة` ([`super::Normalised`]).
    pub folded_ta: Vec<u32>,
    /// Its letters written with a damma ([`rasid_text::NormalizedText::damma_letters`]).
    pub damma: Vec<u32>,
    pub slots: Vec<ActorSlot>,
    /// The sentence's domains read as an article's, as the pipeline reads a one-sentence document.
    pub domains: super::Domains,
    /// One feature list per rule-coded candidate of `item.plover` (empty: the rules code no such event).
    pub features: Vec<Vec<String>>,
}

/// Actor slots of a sentence as the pipeline builds them: every mention that can be a participant.
pub fn actor_slots(stage: &ActorStage, norm: &str, published: Option<&str>) -> Vec<ActorSlot> {
    let date = published.and_then(|p| p.get(..10)).and_then(|p| p.parse().ok());
    let (mut scratch, mut mentions) = (Vec::new(), Vec::new());
    stage.find(norm, date, &mut scratch, &mut mentions);
    mentions.iter().enumerate().filter_map(|(i, m)| ActorSlot::of_mention(m, i as u32)).collect()
}

impl Prepared {
    /// The text the detector reads.
    pub fn text(&self) -> super::Normalised<'_> {
        super::Normalised {
            text: &self.norm,
            folded_ta: &self.folded_ta,
            ta_known: true,
            damma: &self.damma,
            domains: super::ArticleDomains::Known(self.domains),
        }
    }
}

/// Prepares labelled sentences with the rules of `rules_only` (a detector without filter).
pub fn prepare(rules_only: &EventDetector, stage: &ActorStage, data: &[Labelled]) -> Vec<Prepared> {
    data.iter()
        .map(|s| {
            let nt = rasid_text::NormalizedText::new(&s.text);
            let slots = actor_slots(stage, nt.as_str(), s.published.as_deref());
            let mut cands: Vec<Candidate<'_>> = Vec::new();
            let mut feats = Vec::new();
            let domains = rules_only.article_domains(nt.as_str(), std::iter::once(0..nt.as_str().len()));
            let text =
                super::Normalised { domains: super::ArticleDomains::Known(domains), ..super::Normalised::from(&nt) };
            rules_only.detect_with_features(text, 0..nt.as_str().len(), &slots, &mut cands, &mut feats);
            let features =
                cands.iter().zip(feats).filter(|(c, _)| c.plover == s.plover).filter_map(|(_, f)| f).collect();
            let (norm, folded_ta, damma) =
                (nt.as_str().to_owned(), nt.folded_ta_marbuta().to_vec(), nt.damma_letters().to_vec());
            Prepared { item: s.clone(), norm, folded_ta, damma, slots, domains, features }
        })
        .collect()
}

/// The cross-validation fold of a sentence: a hash of its normalised text, so copies of one sentence (a span-set
/// sentence and its detection-set twin, duplicates within a set) always share a fold.
pub fn fold_of(norm: &str, k: usize) -> usize {
    (rasid_text::hash::fnv1a(norm.as_bytes()) % k.max(1) as u64) as usize
}

/// One training target per sentence and type, indexed like `data`, on its first copy (later copies get
/// `None`): 1 when the sentence is gold for the type in a span set or `yes` in a detection set; otherwise the
/// share of annotators who accepted it (mean over its detection copies with votes: an `easy no` 0, a
/// `difficult no` of 1 accept and 2 rejects 1/3, an `ambiguous` of 2 and 1 2/3); without votes 0 for a `no` and
/// `None` for an `ambiguous`.
pub fn merged_labels(data: &[&Prepared], cfg: &TrainConfig) -> Vec<Option<f32>> {
    // Per sentence and type: first index, gold seen, vote shares (sum, n), a `no` seen.
    type Acc = (usize, bool, f32, u32, bool);
    let mut first: HashMap<(&str, &str), Acc> = HashMap::new();
    for (i, p) in data.iter().enumerate() {
        let e = first.entry((p.norm.as_str(), p.item.plover.as_str())).or_insert((i, false, 0.0, 0, false));
        let y = p.item.positive();
        e.1 |= p.item.span || y == Some(true);
        e.4 |= y == Some(false);
        let plover = p.item.plover.as_str();
        let power = cfg.vote_power.filter(|_| cfg.vote_types.is_empty() || cfg.vote_types.contains(&plover));
        if let (Some((a, r)), Some(k)) = (p.item.votes.filter(|(a, r)| a + r > 0), power) {
            e.2 += (a as f32 / (a + r) as f32).powf(k);
            e.3 += 1;
        }
    }
    let mut out = vec![None; data.len()];
    for (i, gold, share, n, no) in first.into_values() {
        out[i] = if gold {
            Some(1.0)
        } else if n > 0 {
            Some(share / n as f32)
        } else if no {
            Some(0.0)
        } else {
            None
        };
    }
    out
}

/// Trains a filter on prepared sentences, one example per rule-coded candidate of each distinct labelled
/// sentence, its target the sentence's ([`merged_labels`]; sentences without a target are skipped).
pub fn train(data: &[&Prepared], cfg: TrainConfig) -> Filter {
    let mut ex = Vec::new();
    for (p, y) in data.iter().zip(merged_labels(data, &cfg)) {
        if let Some(y) = y {
            ex.extend(p.features.iter().map(|f| (f.clone(), y)));
        }
    }
    Filter::train(&ex, cfg)
}

/// Does `det` code an asserted event of the sentence's type?
pub fn codes(det: &EventDetector, p: &Prepared) -> bool {
    let mut cands = Vec::new();
    det.detect(p.text(), 0..p.norm.len(), &p.slots, &mut cands);
    cands.iter().any(|c| c.coded && c.plover == p.item.plover)
}

/// The out-of-fold decision material of one sentence.
#[derive(Debug, Clone)]
pub struct Oof {
    pub plover: String,
    pub label: String,
    pub span: bool,
    /// Highest filter probability over the rule-coded candidates of the type, from a model trained without
    /// this sentence; `None` when the rules code no such event.
    pub prob: Option<f32>,
    /// The sentence's cross-validation fold ([`fold_of`]).
    pub fold: usize,
}

/// `k`-fold cross-validation: every sentence scored by a filter trained on the other folds.
pub fn out_of_fold(data: &[Prepared], k: usize, cfg: TrainConfig) -> Vec<Oof> {
    let k = k.max(2);
    let mut out: Vec<Option<Oof>> = vec![None; data.len()];
    let folds: Vec<usize> = data.iter().map(|p| fold_of(&p.norm, k)).collect();
    for fold in 0..k {
        let train_set: Vec<&Prepared> = data.iter().zip(&folds).filter(|(_, f)| **f != fold).map(|(p, _)| p).collect();
        let model = train(&train_set, cfg);
        for (i, p) in data.iter().enumerate().filter(|(i, _)| folds[*i] == fold) {
            let prob = p.features.iter().map(|f| candidate_probability(&model, f)).reduce(f32::max);
            out[i] =
                Some(Oof { plover: p.item.plover.clone(), label: p.item.label.clone(), span: p.item.span, prob, fold });
        }
    }
    out.into_iter().flatten().collect()
}

/// The probability the pipeline gives a rule-coded candidate with these features: the filter's, or 1 for a
/// counted event noun, which the filter does not judge (`features::PASS`).
pub fn candidate_probability(model: &Filter, features: &[String]) -> f32 {
    let pass = features.iter().any(|x| x.split_once('|').is_some_and(|(_, n)| n == super::features::PASS));
    if pass {
        1.0
    } else {
        model.probability(features)
    }
}

/// Scores of one PLOVER type at one threshold, from out-of-fold material.
#[derive(Debug, Clone, Default)]
pub struct TypeScore {
    pub rules: DetectScore,
    pub filtered: DetectScore,
    /// Span sets: gold type found, rules only and with the filter.
    pub span_rules: Acc,
    pub span_filtered: Acc,
}

impl std::fmt::Display for TypeScore {
    /// `detection P … R … F1 … | span gold type found … | rules only: P … R … F1 …, span …`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (d, r) = (&self.filtered, &self.rules);
        write!(
            f,
            "detection P {:.3} R {:.3} F1 {:.3} | span gold type found {} | rules only: P {:.3} R {:.3} F1 {:.3}, span {}",
            d.precision(),
            d.recall(),
            d.f1(),
            self.span_filtered,
            r.precision(),
            r.recall(),
            r.f1(),
            self.span_rules
        )
    }
}

/// Scores type `plover` at decision threshold `threshold`.
pub fn score(oof: &[Oof], plover: &str, threshold: f32) -> TypeScore {
    let mut s = TypeScore::default();
    s.rules.event_type = plover.to_owned();
    s.filtered.event_type = plover.to_owned();
    for o in oof.iter().filter(|o| o.plover == plover) {
        let (r, f) = (o.prob.is_some(), o.prob.is_some_and(|p| p >= threshold));
        if o.span {
            s.span_rules.add(r);
            s.span_filtered.add(f);
        } else {
            s.rules.add(&o.label, r);
            s.filtered.add(&o.label, f);
        }
    }
    s
}

/// Balances detection precision against span-set recall: the threshold (0.05 … 0.95 by 0.01) maximising
/// `min(detection F1 / f1_target, span gold-type-found / span_target)` — the threshold that comes proportionally
/// closest to both targets at once — averaged over the thresholds within [`SMOOTH`] of it, so that one sentence
/// flipping near the peak does not move the choice (ties: higher detection F1). Without span sentences: the best
/// detection F1, averaged the same way.
pub fn choose_threshold(oof: &[Oof], plover: &str, f1_target: f64, span_target: f64) -> f32 {
    let ts: Vec<f32> = (5..=95).map(|x| x as f32 / 100.0).collect();
    let scored: Vec<(f64, f64)> = ts
        .iter()
        .map(|&t| {
            let s = score(oof, plover, t);
            let f1 = s.filtered.f1();
            let balance = if s.span_filtered.total == 0 {
                f1
            } else {
                (f1 / f1_target.max(1e-9)).min(s.span_filtered.rate() / span_target.max(1e-9))
            };
            (balance, f1)
        })
        .collect();
    let mut best = (0.05f32, f64::MIN, f64::MIN);
    for (i, &t) in ts.iter().enumerate() {
        let window = &scored[i.saturating_sub(SMOOTH)..(i + SMOOTH + 1).min(scored.len())];
        let balance = window.iter().map(|w| w.0).sum::<f64>() / window.len() as f64;
        let f1 = scored[i].1;
        if balance > best.1 + 1e-9 || ((balance - best.1).abs() <= 1e-9 && f1 > best.2) {
            best = (t, balance, f1);
        }
    }
    best.0
}

/// Steps of 0.01 on each side over which [`choose_threshold`] averages its objective.
const SMOOTH: usize = 3;

/// Issue targets per PLOVER type: detection F1 (ASSAULT 0.70, PROTEST 0.60, others 0.60) and span-set
/// gold-type-found (0.90). Used only to balance the two when choosing a threshold.
pub fn targets(plover: &str) -> (f64, f64) {
    (if plover == "ASSAULT" { 0.70 } else { 0.60 }, 0.90)
}

/// Trains the model to commit: on all sentences, with per-type thresholds chosen under `k`-fold CV.
pub fn train_committed(data: &[Prepared], k: usize, cfg: TrainConfig) -> (Filter, Vec<Oof>) {
    let oof = out_of_fold(data, k, cfg);
    let all: Vec<&Prepared> = data.iter().collect();
    let mut model = train(&all, cfg);
    let types: BTreeSet<&str> = data.iter().map(|p| p.item.plover.as_str()).collect();
    let covered: Vec<&str> = types.into_iter().filter(|t| model.covers(t)).collect();
    for t in covered {
        let (f1, span) = targets(t);
        model.thresholds.insert(t.to_owned(), choose_threshold(&oof, t, f1, span));
    }
    (model, oof)
}

/// The GSR files the filter is trained on: every `*.jsonl` of `dir`, sorted by name.
pub fn gsr_files(dir: &Path) -> Result<Vec<PathBuf>, EvalError> {
    let io = |e| EvalError::Io { path: dir.display().to_string(), source: e };
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(io)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
        .collect();
    files.sort();
    Ok(files)
}

/// The labelled sentences of GSR files, prepared with the rules of the bundled detector (no filter) and the
/// bundled actor stage.
pub fn prepare_files(files: &[PathBuf]) -> Result<Vec<Prepared>, TrainError> {
    let mut data = Vec::new();
    for f in files {
        read_labelled(f, &mut data)?;
    }
    let mut rules = EventDetector::bundled()?;
    rules.set_filter(None);
    Ok(prepare(&rules, &ActorStage::bundled(), &data))
}

/// Errors of [`train_dir`].
#[derive(Debug, thiserror::Error)]
pub enum TrainError {
    #[error(transparent)]
    Gsr(#[from] EvalError),
    #[error(transparent)]
    Lexicon(#[from] super::LexiconError),
    #[error("{0}: no labelled sentences")]
    Empty(String),
}

/// Trains the filter to commit as `data/events/filter.tsv` from the GSR files of `dir` (`rasid events train`):
/// all labelled sentences, default settings, thresholds chosen under `k`-fold CV. Deterministic: the same files
/// give the same model, byte for byte ([`Filter::to_tsv`]). Also returns the out-of-fold material.
pub fn train_dir(dir: &Path, k: usize) -> Result<(Filter, Vec<Oof>), TrainError> {
    let prepared = prepare_files(&gsr_files(dir)?)?;
    if prepared.is_empty() {
        return Err(TrainError::Empty(dir.display().to_string()));
    }
    Ok(train_committed(&prepared, k, TrainConfig::default()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prepared(text: &str, label: &str, span: bool, votes: Option<(u32, u32)>) -> Prepared {
        let item =
            Labelled { text: text.into(), plover: "PROTEST".into(), label: label.into(), published: None, span, votes };
        Prepared {
            item,
            norm: rasid_text::normalize(text),
            folded_ta: Vec::new(),
            damma: Vec::new(),
            slots: Vec::new(),
            domains: Default::default(),
            features: Vec::new(),
        }
    }

    #[test]
    fn merged_targets_are_gold_or_the_accepting_share() {
        let data = [
            prepared("جملة اولى", "difficult no", false, Some((1, 2))),
            prepared("جملة ثانية", "ambiguous", false, Some((2, 1))),
            prepared("جملة ثانية", "yes", true, None),
            prepared("جملة ثالثة", "easy no", false, Some((0, 3))),
            prepared("جملة رابعة", "ambiguous", false, None),
            prepared("جملة خامسة", "easy no", false, None),
        ];
        let refs: Vec<&Prepared> = data.iter().collect();
        let cfg = TrainConfig { vote_power: Some(1.0), vote_types: &[], ..TrainConfig::default() };
        let y = merged_labels(&refs, &cfg);
        assert!((y[0].unwrap() - 1.0 / 3.0).abs() < 1e-6);
        assert_eq!(&y[1..], &[Some(1.0), None, Some(0.0), None, Some(0.0)]);
    }
}
