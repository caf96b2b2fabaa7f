//! The statistical filter: logistic regression over sparse string features of a rule-coded candidate, trained
//! deterministically (fixed-order SGD with L2), stored as `data/events/filter.tsv` (`feature<TAB>weight`).
//!
//! Features are prefixed with the candidate's PLOVER type (`ASSAULT|w-1=…`), so one file holds one model per
//! type; a type without a `TYPE|bias` weight has no model and passes unfiltered.

use super::lexicon::LexiconError;
use std::collections::HashMap;
use std::fmt::Write as _;

/// A trained logistic-regression model.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    weights: HashMap<String, f32>,
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
    /// Weight of positive examples (the detection sets are mostly negative).
    pub positive_weight: f32,
    /// Decision threshold written into the model.
    pub threshold: f32,
    /// Times each span-set example (a gold event) is repeated in training (see `train.rs`).
    pub span_repeat: usize,
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
            span_repeat: 4,
        }
    }
}

fn sigmoid(x: f32) -> f32 {
    1.0 / (1.0 + (-x).exp())
}

impl Filter {
    /// Parses a `feature<TAB>weight` file; `#` lines are comments; `threshold<TAB>x` sets the threshold.
    pub fn from_tsv(file: &str, text: &str) -> Result<Filter, LexiconError> {
        let mut f = Filter { weights: HashMap::new(), threshold: 0.5, thresholds: HashMap::new() };
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
                f.weights.insert(k.to_owned(), w);
            }
        }
        Ok(f)
    }

    /// Writes the model as TSV, features sorted (stable diffs).
    pub fn to_tsv(&self) -> String {
        let mut keys: Vec<&String> = self.weights.keys().collect();
        keys.sort();
        let mut out = String::from("# rasid event filter: logistic regression weights (see data/events/README.md)\n");
        let _ = writeln!(out, "threshold\t{}", self.threshold);
        let mut types: Vec<(&String, &f32)> = self.thresholds.iter().collect();
        types.sort_by(|a, b| a.0.cmp(b.0));
        for (t, p) in types {
            let _ = writeln!(out, "{t}|threshold\t{p}");
        }
        for k in keys {
            let _ = writeln!(out, "{k}\t{:.5}", self.weights[k]);
        }
        out
    }

    /// Has this model weights for PLOVER type `plover`?
    pub fn covers(&self, plover: &str) -> bool {
        self.weights.contains_key(&format!("{plover}|bias"))
    }

    /// Decision threshold of PLOVER type `plover`.
    pub fn threshold_for(&self, plover: &str) -> f32 {
        self.thresholds.get(plover).copied().unwrap_or(self.threshold)
    }

    /// Probability that the candidate with these (type-prefixed) features is a coded event.
    pub fn probability(&self, feats: &[String]) -> f32 {
        sigmoid(feats.iter().filter_map(|f| self.weights.get(f)).sum())
    }

    /// The weight of one feature (0 when the model does not know it).
    pub fn weight(&self, feat: &str) -> f32 {
        self.weights.get(feat).copied().unwrap_or(0.0)
    }

    /// The probability for a sum of feature weights (what [`Filter::probability`] computes from the features).
    pub fn probability_of_sum(&self, sum: f32) -> f32 {
        sigmoid(sum)
    }

    /// Trains on `(features, label)` examples; deterministic for a given input order.
    pub fn train(examples: &[(Vec<String>, bool)], cfg: TrainConfig) -> Filter {
        let mut count: HashMap<&str, usize> = HashMap::new();
        for (f, _) in examples {
            for x in f {
                *count.entry(x.as_str()).or_default() += 1;
            }
        }
        let keep = |x: &str| x.ends_with("|bias") || count.get(x).copied().unwrap_or(0) >= cfg.min_count;
        let data: Vec<(Vec<&str>, f32, f32)> = examples
            .iter()
            .map(|(f, y)| {
                let fs: Vec<&str> = f.iter().map(String::as_str).filter(|x| keep(x)).collect();
                (fs, if *y { 1.0 } else { 0.0 }, if *y { cfg.positive_weight } else { 1.0 })
            })
            .collect();
        let mut w: HashMap<String, f32> = HashMap::new();
        let mut order: Vec<usize> = (0..data.len()).collect();
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
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
                let z: f32 = fs.iter().filter_map(|f| w.get(*f)).sum();
                let g = (sigmoid(z) - y) * cw;
                for f in fs {
                    let e = w.entry((*f).to_owned()).or_insert(0.0);
                    *e -= rate * (g + cfg.l2 * *e);
                }
            }
        }
        w.retain(|_, v| v.abs() > 1e-4);
        Filter { weights: w, threshold: cfg.threshold, thresholds: HashMap::new() }
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

    fn ex(f: &[&str], y: bool) -> (Vec<String>, bool) {
        (f.iter().map(|s| s.to_string()).collect(), y)
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
