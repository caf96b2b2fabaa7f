//! The statistical filter: logistic regression over hashed features of a rule-coded candidate, trained
//! deterministically (fixed-order SGD with L2, the weights of several runs over different fixed orders averaged) on
//! targets in [0, 1] (1 / 0, or the share of annotators who accepted the sentence), stored as
//! `data/events/filter.tsv` (`TYPE|feature<TAB>weight`).
//!
//! Features are typed with the candidate's PLOVER type (`ASSAULT|w-1=…`), so one file holds one model per type; a
//! type without a `TYPE|bias` weight has no model and passes unfiltered. In memory a weight is keyed by the hash
//! of its type and name ([`features::typed_key`]), so scoring hashes borrowed pieces and allocates nothing.

use super::features::{name_hash, type_hash, typed_key};
use super::lexicon::LexiconError;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::hash::{BuildHasherDefault, Hasher};

/// A hasher for keys that already are hashes: passes the `u64` through (other writes are FNV-1a hashed).
#[derive(Debug, Default, Clone, Copy)]
pub struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        self.0 = rasid_text::hash::fnv1a(bytes);
    }
    fn write_u64(&mut self, x: u64) {
        self.0 = x;
    }
}

type KeyMap<V> = HashMap<u64, V, BuildHasherDefault<KeyHasher>>;

/// A trained logistic-regression model.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Weight per typed key.
    weights: KeyMap<f32>,
    /// Feature names (`TYPE|name`) with their weights, for writing the model back.
    names: Vec<(String, f32)>,
    /// Probability below which a candidate is not coded (types without their own threshold).
    pub threshold: f32,
    /// Per PLOVER type thresholds (`TYPE|threshold` lines), chosen under cross-validation.
    pub thresholds: HashMap<String, f32>,
}

/// Training settings.
#[derive(Debug, Clone, Copy)]
pub struct TrainConfig {
    pub epochs: usize,
    pub rate: f32,
    pub l2: f32,
    /// Features seen in fewer training examples are dropped.
    pub min_count: usize,
    /// Weight of a positive example (target 1; a soft target `y` weighs `1 + (positive_weight - 1) * y`).
    pub positive_weight: f32,
    /// Decision threshold written into the model.
    pub threshold: f32,
    /// SGD runs (each over its own example order) whose weights are averaged: 25 keep a retrain after an unrelated
    /// change from moving the borderline events (5 moved a tenth of PROTEST on the 3k slice).
    pub members: usize,
    /// Targets from the annotators' votes instead of 0 / 1 labels: the accepting share raised to this power
    /// (`train::merged_labels`); `None`: 0 / 1 labels.
    pub vote_power: Option<f32>,
    /// The PLOVER types trained on vote targets (the others on 0 / 1 labels); empty: every type.
    pub vote_types: &'static [&'static str],
}

impl Default for TrainConfig {
    fn default() -> Self {
        TrainConfig {
            epochs: 5,
            rate: 0.1,
            l2: 1e-3,
            min_count: 5,
            positive_weight: 1.0,
            threshold: 0.4,
            members: 25,
            vote_power: Some(1.0),
            vote_types: &["ASSAULT"],
        }
    }
}

fn sigmoid(x: f32) -> f32 {
    1.0 / (1.0 + (-x).exp())
}

/// The typed key of a full feature name `TYPE|name`.
fn key_of(full: &str) -> u64 {
    match full.split_once('|') {
        Some((t, n)) => typed_key(type_hash(t), name_hash(&[n])),
        None => name_hash(&[full]),
    }
}

impl Filter {
    /// Parses a `feature<TAB>weight` file; `#` lines are comments; `threshold<TAB>x` sets the threshold.
    pub fn from_tsv(file: &str, text: &str) -> Result<Filter, LexiconError> {
        let mut f = Filter { threshold: 0.5, ..Filter::default() };
        for (n, line) in text.lines().enumerate() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let bad = |m: &str| LexiconError::Parse { file: format!("{file}:{}", n + 1), message: m.into() };
            let (k, v) = line.rsplit_once('\t').ok_or_else(|| bad("expected `feature<TAB>weight`"))?;
            let w: f32 = v.trim().parse().map_err(|_| bad(&format!("bad weight `{v}`")))?;
            if k == "threshold" {
                f.threshold = w;
            } else if let Some(t) = k.strip_suffix("|threshold") {
                f.thresholds.insert(t.to_owned(), w);
            } else {
                f.weights.insert(key_of(k), w);
                f.names.push((k.to_owned(), w));
            }
        }
        f.names.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(f)
    }

    /// Writes the model as TSV, features sorted (stable diffs).
    pub fn to_tsv(&self) -> String {
        let mut out = String::from("# rasid event filter: logistic regression weights (see data/events/README.md)\n");
        let _ = writeln!(out, "threshold\t{}", self.threshold);
        let mut types: Vec<(&String, &f32)> = self.thresholds.iter().collect();
        types.sort_by(|a, b| a.0.cmp(b.0));
        for (t, p) in types {
            let _ = writeln!(out, "{t}|threshold\t{p}");
        }
        for (k, w) in &self.names {
            let _ = writeln!(out, "{k}\t{w:.5}");
        }
        out
    }

    /// Has this model weights for PLOVER type `plover`?
    pub fn covers(&self, plover: &str) -> bool {
        self.weights.contains_key(&typed_key(type_hash(plover), name_hash(&["bias"])))
    }

    /// Decision threshold of PLOVER type `plover`.
    pub fn threshold_for(&self, plover: &str) -> f32 {
        self.thresholds.get(plover).copied().unwrap_or(self.threshold)
    }

    /// Probability that the candidate with these (type-prefixed, `TYPE|name`) features is a coded event.
    pub fn probability(&self, feats: &[String]) -> f32 {
        sigmoid(feats.iter().filter_map(|f| self.weights.get(&key_of(f))).sum())
    }

    /// Sum of the weights of features (name hashes, [`super::features::FeatureSet`]) for type `plover`.
    pub fn sum(&self, plover: &str, hashes: &[u64]) -> f32 {
        let t = type_hash(plover);
        hashes.iter().filter_map(|h| self.weights.get(&typed_key(t, *h))).sum()
    }

    /// The weight of one feature `TYPE|name` (0 when the model does not know it).
    pub fn weight(&self, feat: &str) -> f32 {
        self.weights.get(&key_of(feat)).copied().unwrap_or(0.0)
    }

    /// The probability for a sum of feature weights (what [`Filter::probability`] computes from the features).
    pub fn probability_of_sum(&self, sum: f32) -> f32 {
        sigmoid(sum)
    }

    /// Trains on `(features, target)` examples, the target a probability in [0, 1] (1 = an event, 0 = none,
    /// between: the share of annotators who saw one); deterministic for a given input order.
    pub fn train(examples: &[(Vec<String>, f32)], cfg: TrainConfig) -> Filter {
        // Features become keys once; names are kept for writing.
        let mut ids: HashMap<&str, usize> = HashMap::new();
        let mut names: Vec<&str> = Vec::new();
        let mut count: Vec<usize> = Vec::new();
        let mut encoded: Vec<Vec<usize>> = Vec::with_capacity(examples.len());
        for (f, _) in examples {
            let mut e = Vec::with_capacity(f.len());
            for x in f {
                let id = *ids.entry(x.as_str()).or_insert_with(|| {
                    names.push(x.as_str());
                    count.push(0);
                    names.len() - 1
                });
                count[id] += 1;
                e.push(id);
            }
            encoded.push(e);
        }
        let keep: Vec<bool> =
            names.iter().zip(&count).map(|(n, c)| n.ends_with("|bias") || *c >= cfg.min_count).collect();
        let data: Vec<(Vec<usize>, f32, f32)> = encoded
            .into_iter()
            .zip(examples)
            .map(|(mut fs, (_, y))| {
                fs.retain(|i| keep[*i]);
                let y = y.clamp(0.0, 1.0);
                (fs, y, 1.0 + (cfg.positive_weight - 1.0) * y)
            })
            .collect();
        // Each member runs SGD over its own fixed example order; the model is the mean of the members' weights
        // (still one linear model: the same file, the same scoring), less dependent on one order.
        let members = cfg.members.max(1);
        let mut w = vec![0f32; names.len()];
        let mut member = vec![0f32; names.len()];
        let mut order: Vec<usize> = (0..data.len()).collect();
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..members {
            member.iter_mut().for_each(|x| *x = 0.0);
            for epoch in 0..cfg.epochs {
                // Fisher-Yates with a fixed LCG: reproducible, yet not always the same order.
                for i in (1..order.len()).rev() {
                    seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
                    let j = (seed >> 33) as usize % (i + 1);
                    order.swap(i, j);
                }
                let rate = cfg.rate / (1.0 + epoch as f32 * 0.1);
                for &i in &order {
                    let (fs, y, cw) = &data[i];
                    let z: f32 = fs.iter().map(|f| member[*f]).sum();
                    let g = (sigmoid(z) - y) * cw;
                    for f in fs {
                        member[*f] -= rate * (g + cfg.l2 * member[*f]);
                    }
                }
            }
            for (a, m) in w.iter_mut().zip(&member) {
                *a += m / members as f32;
            }
        }
        let mut named: Vec<(String, f32)> = names
            .iter()
            .zip(&w)
            .filter(|(_, v)| v.abs() > 1e-4)
            // Written with five decimals: the model in memory is the model read back.
            .map(|(n, v)| ((*n).to_owned(), format!("{v:.5}").parse().unwrap_or(*v)))
            .collect();
        named.sort_by(|a, b| a.0.cmp(&b.0));
        let weights = named.iter().map(|(n, v)| (key_of(n), *v)).collect();
        Filter { weights, names: named, threshold: cfg.threshold, thresholds: HashMap::new() }
    }

    /// Number of weights.
    pub fn len(&self) -> usize {
        self.weights.len()
    }

    pub fn is_empty(&self) -> bool {
        self.weights.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ex(f: &[&str], y: bool) -> (Vec<String>, f32) {
        (f.iter().map(|s| s.to_string()).collect(), if y { 1.0 } else { 0.0 })
    }

    #[test]
    fn soft_targets_order_the_probabilities() {
        // A feature seen with target 2/3 ends between one seen with 1 and one seen with 0.
        let mut data = Vec::new();
        for _ in 0..30 {
            data.push(ex(&["A|bias", "A|yes"], true));
            data.push(ex(&["A|bias", "A|no"], false));
            data.push((vec!["A|bias".to_string(), "A|some".to_string()], 2.0 / 3.0));
        }
        let m = Filter::train(&data, TrainConfig { epochs: 20, ..TrainConfig::default() });
        let p = |f: &str| m.probability(&["A|bias".into(), f.into()]);
        assert!(p("A|no") < p("A|some") && p("A|some") < p("A|yes"), "{} {} {}", p("A|no"), p("A|some"), p("A|yes"));
        assert!((p("A|some") - 2.0 / 3.0).abs() < 0.2, "{}", p("A|some"));
    }

    #[test]
    fn learns_a_separable_feature_and_round_trips() {
        let mut data = Vec::new();
        for _ in 0..20 {
            data.push(ex(&["A|bias", "A|good"], true));
            data.push(ex(&["A|bias", "A|bad"], false));
        }
        let m = Filter::train(&data, TrainConfig::default());
        assert!(m.probability(&["A|bias".into(), "A|good".into()]) > 0.8);
        assert!(m.probability(&["A|bias".into(), "A|bad".into()]) < 0.2);
        // Same input, same model.
        assert_eq!(Filter::train(&data, TrainConfig::default()).to_tsv(), m.to_tsv());
        let mut m = m;
        m.thresholds.insert("A".into(), 0.3);
        let back = Filter::from_tsv("m.tsv", &m.to_tsv()).unwrap();
        assert_eq!((back.threshold_for("A"), back.threshold_for("B")), (0.3, m.threshold));
        assert!(back.covers("A") && !back.covers("B"));
        let p = back.probability(&["A|bias".into(), "A|good".into()]);
        assert!((p - m.probability(&["A|bias".into(), "A|good".into()])).abs() < 1e-3);
    }

    #[test]
    fn bad_line_names_file_and_line() {
        let e = Filter::from_tsv("m.tsv", "threshold\t0.5\nx\tnope\n").unwrap_err().to_string();
        assert!(e.contains("m.tsv:2"), "{e}");
    }
}
