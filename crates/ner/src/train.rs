//! Training (averaged structured perceptron), evaluation (CoNLL exact span + type) and k-fold cross-validation.
//!
//! Training is deterministic: sentences are shuffled each epoch by a fixed-seed generator, the epoch count is
//! fixed, feature ids are assigned in first-occurrence order and updates are integers, so the same data and
//! configuration always give the same model bytes.

use std::fmt;

use crate::corpus::Sentence;
use crate::features::{Lexicon, MixMap, SentenceFacts, Stacker, LEXICAL_FEATURES};
use crate::model::{NerModel, Scratch, Stage, Viterbi, TRANS_LEN};
use crate::tags::{encode, entity_spans, EntitySpan, EntityType, NT};
use rasid_text::rng::SplitMix64 as Rng;
use rasid_text::score;

/// Training settings.
#[derive(Debug, Clone)]
pub struct TrainConfig {
    /// Passes over the training data.
    pub iterations: usize,
    /// Seed of the per-epoch shuffle.
    pub seed: u64,
    /// Features seen in fewer training words than this are not learned.
    pub min_count: u32,
    /// Quantised weights with an absolute value below this are dropped from the model (size control). Weights
    /// are scaled so that the largest is 32,767: 500 drops weights under about 1.5 % of the largest (72k features
    /// instead of the 187k of 100, so the lookup table stays in the processor's cache far better; CV F1 unchanged).
    pub prune_below: i16,
    /// Gazetteers and trigger words (embedded in the model).
    pub lexicon: Lexicon,
    /// Number of perceptrons trained with different shuffles and averaged into the model (1 = a single one).
    pub ensemble: usize,
    /// Probability of hiding a word's identity features (word, stem, word bigrams) from one training pass
    /// over it, so that the model learns to recognise names from context and shape, as it must for unseen ones.
    pub dropout: f64,
    /// Subtracted from every transition into `O` after averaging (in perceptron update units): trades
    /// precision for recall, which the perceptron otherwise under-weights.
    pub o_penalty: f64,
    /// Worker threads for cross-validation (folds run in parallel; results do not depend on it).
    pub threads: usize,
    /// Train a second, stacked pass that reads the first pass's tags of the word elsewhere in its document
    /// window (see `model` docs).
    pub stacked: bool,
    /// Second pass: neighbouring sentences on each side that form a word's document window.
    pub window: usize,
    /// Second pass: the first-pass tags it learns from come from this many jackknife models, each trained
    /// without the sentences it tags (so they are as wrong as on unseen text).
    pub stack_folds: usize,
    /// Ensemble size of each jackknife model.
    pub stack_ensemble: usize,
}

impl TrainConfig {
    /// The settings the bundled model was trained with, using `lexicon`.
    pub fn new(lexicon: Lexicon) -> TrainConfig {
        TrainConfig {
            iterations: 12,
            seed: 0x7261_7369_645F_6E65,
            min_count: 1,
            prune_below: 500,
            o_penalty: 0.0,
            dropout: 0.2,
            ensemble: 5,
            lexicon,
            threads: 1,
            stacked: true,
            window: 10,
            stack_folds: 5,
            stack_ensemble: 1,
        }
    }
}

/// Exact-match counts for one entity type or overall.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub tp: usize,
    pub fp: usize,
    pub fn_: usize,
}

impl Counts {
    pub fn precision(&self) -> f64 {
        score::precision(self.tp, self.fp)
    }
    pub fn recall(&self) -> f64 {
        score::recall(self.tp, self.fn_)
    }
    pub fn f1(&self) -> f64 {
        score::f1(self.precision(), self.recall())
    }
    fn add(&mut self, o: &Counts) {
        self.tp += o.tp;
        self.fp += o.fp;
        self.fn_ += o.fn_;
    }
}

/// Evaluation figures: CoNLL-style exact span + type matching, micro-averaged over sentences (and folds).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Report {
    pub overall: Counts,
    /// Per type, in [`EntityType::ALL`] order.
    pub per_type: [Counts; 4],
    /// Overall counts of each fold (cross-validation only).
    pub folds: Vec<Counts>,
    pub sentences: usize,
    pub words: usize,
}

impl Report {
    fn add(&mut self, o: &Report) {
        self.overall.add(&o.overall);
        for (a, b) in self.per_type.iter_mut().zip(&o.per_type) {
            a.add(b);
        }
        self.sentences += o.sentences;
        self.words += o.words;
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{:<8} {:>9} {:>9} {:>9} {:>7} {:>7} {:>7}",
            "type", "precision", "recall", "f1", "tp", "fp", "fn"
        )?;
        let row = |f: &mut fmt::Formatter<'_>, name: &str, c: &Counts| {
            writeln!(
                f,
                "{:<8} {:>9.4} {:>9.4} {:>9.4} {:>7} {:>7} {:>7}",
                name,
                c.precision(),
                c.recall(),
                c.f1(),
                c.tp,
                c.fp,
                c.fn_
            )
        };
        for (t, c) in EntityType::ALL.iter().zip(&self.per_type) {
            row(f, t.as_str(), c)?;
        }
        row(f, "overall", &self.overall)?;
        for (i, c) in self.folds.iter().enumerate() {
            writeln!(f, "fold {}: f1 {:.4} (p {:.4}, r {:.4})", i + 1, c.f1(), c.precision(), c.recall())?;
        }
        write!(f, "{} sentences, {} words", self.sentences, self.words)
    }
}

/// Feature keys of every word of a corpus, computed once (they do not depend on the weights).
struct Prepared {
    keys: Vec<u32>,
    /// Start of each word's keys in `keys` (one extra at the end).
    word_off: Vec<usize>,
    /// Start of each sentence's words (one extra at the end).
    sent_off: Vec<usize>,
    gold: Vec<u8>,
    /// Stem key of each word (groups a word's occurrences for the second pass).
    stems: Vec<u64>,
}

impl Prepared {
    fn new(sentences: &[Sentence], lexicon: &Lexicon) -> Prepared {
        let mut p =
            Prepared { keys: Vec::new(), word_off: vec![0], sent_off: vec![0], gold: Vec::new(), stems: Vec::new() };
        let mut facts = SentenceFacts::default();
        for s in sentences {
            let n = s.words.len().min(s.tags.len());
            facts.prepare(&s.words[..n], lexicon);
            encode(&s.tags[..n], &mut p.gold);
            for i in 0..n {
                facts.features(i, &mut p.keys);
                p.word_off.push(p.keys.len());
                p.stems.push(facts.stem_key(i));
            }
            p.sent_off.push(p.gold.len());
        }
        p
    }

    fn words(&self, s: usize) -> std::ops::Range<usize> {
        self.sent_off[s]..self.sent_off[s + 1]
    }

    /// A copy with the second-pass features of the sentences `sents` (ascending) appended to their words' keys,
    /// from first-pass tags `labels` (one per word of the corpus). A document window never reaches past a
    /// sentence missing from `sents`.
    fn stacked(&self, sents: &[usize], labels: &[u8], window: usize) -> Prepared {
        let mut extra: Vec<Vec<u32>> = vec![Vec::new(); self.gold.len()];
        let mut stacker = Stacker::default();
        let mut i = 0;
        while i < sents.len() {
            let mut j = i + 1;
            while j < sents.len() && sents[j] == sents[j - 1] + 1 {
                j += 1;
            }
            let (first, last) = (sents[i], sents[j - 1]);
            let w0 = self.sent_off[first];
            let w1 = self.sent_off[last + 1];
            let offs: Vec<usize> = self.sent_off[first..=last + 1].iter().map(|&o| o - w0).collect();
            stacker.run(&self.stems[w0..w1], &labels[w0..w1], &offs, window, |w, keys| {
                extra[w0 + w].extend_from_slice(keys);
            });
            i = j;
        }
        let mut p = Prepared {
            keys: Vec::with_capacity(self.keys.len() + extra.iter().map(Vec::len).sum::<usize>()),
            word_off: vec![0],
            sent_off: self.sent_off.clone(),
            gold: self.gold.clone(),
            stems: self.stems.clone(),
        };
        for (w, e) in extra.iter().enumerate() {
            p.keys.extend_from_slice(&self.keys[self.word_off[w]..self.word_off[w + 1]]);
            p.keys.extend_from_slice(e);
            p.word_off.push(p.keys.len());
        }
        p
    }
}

/// Tags the sentences `sents` with a one-pass model from their prepared keys, writing `labels` (per corpus word).
fn predict(model: &NerModel, p: &Prepared, sents: &[usize], labels: &mut [u8]) {
    let mut emit = Vec::new();
    let mut vit = Viterbi::default();
    for &s in sents {
        let words = p.words(s);
        emit.clear();
        emit.resize(words.len() * NT, 0);
        for (i, wi) in words.clone().enumerate() {
            let e = &mut emit[i * NT..(i + 1) * NT];
            for &k in &p.keys[p.word_off[wi]..p.word_off[wi + 1]] {
                if let Some(ws) = model.lookup(k) {
                    for (a, &b) in e.iter_mut().zip(ws) {
                        *a += i32::from(b);
                    }
                }
            }
        }
        vit.decode(words.len(), &emit, NT, model.trans());
        labels[words].copy_from_slice(&vit.best);
    }
}

/// Trains the first pass and, when configured, the stacked second pass on the sentences `sents`.
fn fit(p: &Prepared, sents: &[usize], cfg: &TrainConfig) -> NerModel {
    let first = train_stage(p, sents, cfg, cfg.ensemble);
    if !cfg.stacked {
        return NerModel::from_stages(cfg.lexicon.clone(), first, None, 0);
    }
    // Jackknife: first-pass tags of every training sentence from a model that did not see it.
    let mut labels = vec![0u8; p.gold.len()];
    let k = cfg.stack_folds.clamp(2, sents.len().max(2));
    for j in 0..k {
        let (a, b) = (j * sents.len() / k, (j + 1) * sents.len() / k);
        let rest: Vec<usize> = sents[..a].iter().chain(&sents[b..]).copied().collect();
        let stage = train_stage(p, &rest, cfg, cfg.stack_ensemble);
        let m = NerModel::from_stages(Lexicon::new(), stage, None, 0);
        predict(&m, p, &sents[a..b], &mut labels);
    }
    let p2 = p.stacked(sents, &labels, cfg.window);
    let second = train_stage(&p2, sents, cfg, cfg.ensemble);
    NerModel::from_stages(cfg.lexicon.clone(), first, Some(second), cfg.window)
}

/// Weights with running sums for averaging: `avg = w - u / c` where `u` accumulates `c * delta`.
struct Averaged {
    w: Vec<i32>,
    u: Vec<i64>,
}

impl Averaged {
    fn new(n: usize) -> Averaged {
        Averaged { w: vec![0; n], u: vec![0; n] }
    }
    #[inline]
    fn bump(&mut self, i: usize, d: i32, c: i64) {
        self.w[i] += d;
        self.u[i] += c * i64::from(d);
    }
    fn average(&self, c: i64) -> Vec<f64> {
        self.w.iter().zip(&self.u).map(|(&w, &u)| f64::from(w) - u as f64 / c as f64).collect()
    }
}

/// Trains one pass (an ensemble of `members` averaged perceptrons) on the prepared keys of `sents`.
fn train_stage(p: &Prepared, sents: &[usize], cfg: &TrainConfig, members: usize) -> Stage {
    // Count features over the training words, then give ids in first-occurrence order.
    let mut counts: MixMap<u32, u32> = MixMap::default();
    for &s in sents {
        for wi in p.words(s) {
            for &k in &p.keys[p.word_off[wi]..p.word_off[wi + 1]] {
                *counts.entry(k).or_default() += 1;
            }
        }
    }
    let mut ids: MixMap<u32, u32> = MixMap::default();
    let mut id_keys: Vec<u32> = Vec::new();
    // Per training word: its feature ids (flattened), offsets per word in training order of `sents`.
    let mut fids: Vec<u32> = Vec::new();
    let mut fid_off: Vec<usize> = vec![0];
    let mut sent_first: Vec<usize> = Vec::with_capacity(sents.len());
    // Per training word: how many of its kept ids (after the bias) are identity features.
    let mut lexical: Vec<(bool, u8)> = Vec::new();
    for &s in sents {
        sent_first.push(fid_off.len() - 1);
        for wi in p.words(s) {
            let mut lex = (false, 0u8);
            for (pos, &k) in p.keys[p.word_off[wi]..p.word_off[wi + 1]].iter().enumerate() {
                if counts.get(&k).copied().unwrap_or(0) < cfg.min_count {
                    continue;
                }
                if pos == 0 {
                    lex.0 = true;
                } else if pos <= LEXICAL_FEATURES {
                    lex.1 += 1;
                }
                let next = id_keys.len() as u32;
                let id = *ids.entry(k).or_insert_with(|| {
                    id_keys.push(k);
                    next
                });
                fids.push(id);
            }
            fid_off.push(fids.len());
            lexical.push(lex);
        }
    }
    drop(counts);
    drop(ids);

    // An ensemble of perceptrons that differ only in their shuffle; their averaged weights are averaged again.
    let members = members.max(1);
    let mut avg = vec![0.0f64; id_keys.len() * NT];
    let mut tavg = vec![0.0f64; TRANS_LEN];
    for member in 0..members {
        let mut w = Averaged::new(id_keys.len() * NT);
        let mut tw = Averaged::new(TRANS_LEN);
        let mut trans = vec![0i32; TRANS_LEN];
        let mut emit: Vec<i32> = Vec::new();
        let mut vit = Viterbi::default();
        let mut order: Vec<usize> = (0..sents.len()).collect();
        let mut rng = Rng(cfg.seed.wrapping_add((member as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)));
        let mut c: i64 = 1;
        let mut dropped: Vec<bool> = Vec::new();
        let drop_threshold = (cfg.dropout.clamp(0.0, 1.0) * u64::MAX as f64) as u64;
        for _ in 0..cfg.iterations {
            for i in (1..order.len()).rev() {
                let j = rng.below(i + 1);
                order.swap(i, j);
            }
            for &o in &order {
                let words = p.words(sents[o]);
                let n = words.len();
                let first = sent_first[o];
                emit.clear();
                emit.resize(n * NT, 0);
                dropped.clear();
                for _ in 0..n {
                    dropped.push(drop_threshold > 0 && rng.next_u64() < drop_threshold);
                }
                // The kept ids of word i, without its identity features when they are dropped this pass.
                let word_ids = |i: usize| {
                    let ids = &fids[fid_off[first + i]..fid_off[first + i + 1]];
                    let (bias, nlex) = lexical[first + i];
                    if dropped[i] {
                        let b = usize::from(bias);
                        ids[..b].iter().chain(&ids[(b + usize::from(nlex)).min(ids.len())..])
                    } else {
                        ids[..0].iter().chain(ids)
                    }
                };
                for i in 0..n {
                    let e = &mut emit[i * NT..(i + 1) * NT];
                    for &f in word_ids(i) {
                        let f = f as usize * NT;
                        for (s, &wt) in e.iter_mut().zip(&w.w[f..f + NT]) {
                            *s += wt;
                        }
                    }
                }
                trans.copy_from_slice(&tw.w);
                vit.decode(n, &emit, NT, &trans);
                let gold = &p.gold[words];
                if vit.best.as_slice() != gold {
                    for i in 0..n {
                        let (g, q) = (usize::from(gold[i]), usize::from(vit.best[i]));
                        if g != q {
                            for &f in word_ids(i) {
                                w.bump(f as usize * NT + g, 1, c);
                                w.bump(f as usize * NT + q, -1, c);
                            }
                        }
                        let pg = if i == 0 { NT } else { usize::from(gold[i - 1]) };
                        let pq = if i == 0 { NT } else { usize::from(vit.best[i - 1]) };
                        if (pg, g) != (pq, q) {
                            tw.bump(pg * NT + g, 1, c);
                            tw.bump(pq * NT + q, -1, c);
                        }
                    }
                }
                c += 1;
            }
        }

        for (a, v) in avg.iter_mut().zip(w.average(c)) {
            *a += v / members as f64;
        }
        for (a, v) in tavg.iter_mut().zip(tw.average(c)) {
            *a += v / members as f64;
        }
    }
    // Average, scale to i16 and drop features whose weights all round to (near) zero.
    for row in 0..=NT {
        tavg[row * NT] -= cfg.o_penalty;
    }
    let max = avg.iter().fold(0.0f64, |m, &v| m.max(v.abs()));
    let scale = if max > 0.0 { 32767.0 / max } else { 1.0 };
    let mut features = Vec::new();
    for (i, &k) in id_keys.iter().enumerate() {
        let mut q = [0i16; NT];
        for t in 0..NT {
            let v = (avg[i * NT + t] * scale).round().clamp(-32767.0, 32767.0) as i16;
            q[t] = if v.unsigned_abs() < cfg.prune_below.unsigned_abs() { 0 } else { v };
        }
        if q.iter().any(|&v| v != 0) {
            features.push((k, q));
        }
    }
    let trans_q = tavg.iter().map(|&v| (v * scale).round().clamp(-1e9, 1e9) as i32).collect();
    Stage { features, trans: trans_q }
}

/// Trains a tagger on `sentences` (deterministic for a given input and configuration).
pub fn train(sentences: &[Sentence], cfg: &TrainConfig) -> NerModel {
    let p = Prepared::new(sentences, &cfg.lexicon);
    let all: Vec<usize> = (0..sentences.len()).collect();
    fit(&p, &all, cfg)
}

/// Tags `sentences` with `model` as one document (consecutive sentences, see [`NerModel::tag_document`]) and
/// scores the entities against their gold tags.
pub fn evaluate(model: &NerModel, sentences: &[Sentence]) -> Report {
    let mut r = Report::default();
    let mut scratch = Scratch::default();
    let (mut gs, mut ps) = (Vec::<EntitySpan>::new(), Vec::<EntitySpan>::new());
    let words: Vec<&[String]> = sentences.iter().map(|s| &s.words[..s.words.len().min(s.tags.len())]).collect();
    let mut tagged = Vec::new();
    model.tag_document(&words, &mut scratch, &mut tagged);
    for (s, pred) in sentences.iter().zip(&tagged) {
        let n = pred.len();
        entity_spans(&s.tags[..n], &mut gs);
        entity_spans(pred, &mut ps);
        for (ti, &t) in EntityType::ALL.iter().enumerate() {
            let c = &mut r.per_type[ti];
            for e in ps.iter().filter(|e| e.kind == t) {
                if gs.contains(e) {
                    c.tp += 1;
                } else {
                    c.fp += 1;
                }
            }
            c.fn_ += gs.iter().filter(|e| e.kind == t && !ps.contains(e)).count();
        }
        r.sentences += 1;
        r.words += n;
    }
    for c in r.per_type {
        r.overall.add(&c);
    }
    r
}

/// k-fold cross-validation over contiguous folds (fold `i` = the `i`-th k-th of the sentences): trains on the
/// rest, evaluates on the fold, and sums the counts. Folds run on `cfg.threads` threads.
pub fn cross_validate(sentences: &[Sentence], k: usize, cfg: &TrainConfig) -> Report {
    let k = k.clamp(2, sentences.len().max(2));
    let p = Prepared::new(sentences, &cfg.lexicon);
    let n = sentences.len();
    let bounds: Vec<(usize, usize)> = (0..k).map(|i| (i * n / k, (i + 1) * n / k)).collect();
    let threads = cfg.threads.clamp(1, k);
    let mut results: Vec<Option<Report>> = vec![None; k];
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|tid| {
                let (p, bounds) = (&p, &bounds);
                scope.spawn(move || {
                    let mut out = Vec::new();
                    for (fold, &(a, b)) in bounds.iter().enumerate().skip(tid).step_by(threads) {
                        let train_idx: Vec<usize> = (0..a).chain(b..n).collect();
                        let model = fit(p, &train_idx, cfg);
                        out.push((fold, evaluate(&model, &sentences[a..b])));
                    }
                    out
                })
            })
            .collect();
        for h in handles {
            // A worker only panics on a bug; report that fold as missing rather than propagate.
            if let Ok(v) = h.join() {
                for (fold, r) in v {
                    results[fold] = Some(r);
                }
            }
        }
    });
    let mut total = Report::default();
    for r in results.iter().flatten() {
        total.add(r);
        total.folds.push(r.overall);
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::read_conll;

    /// An invented toy corpus: titles before person names, "in" before places.
    fn toy() -> Vec<Sentence> {
        let mut text = String::new();
        let names = ["سمير", "خالد", "منى", "رامي", "هدى", "نزار"];
        let places = ["دمشق", "تونس", "عمان", "بيروت", "الرباط", "الخرطوم"];
        for i in 0..60 {
            let name = names[i % names.len()];
            let place = places[(i * 5) % places.len()];
            text.push_str(&format!("قال O\nالسيد O\n{name} B-PERS\nحداد I-PERS\nفي O\n{place} B-LOC\n. O\n\n"));
            text.push_str(&format!("وصل O\nالوفد O\nإلى O\n{place} B-LOC\nأمس O\n\n"));
        }
        read_conll("toy", &text).unwrap()
    }

    #[test]
    fn learns_toy_corpus_and_is_deterministic() {
        let data = toy();
        let cfg = TrainConfig { iterations: 3, ..TrainConfig::new(Lexicon::new()) };
        let m1 = train(&data, &cfg);
        let m2 = train(&data, &cfg);
        assert_eq!(m1.to_bytes(), m2.to_bytes());
        let r = evaluate(&m1, &data);
        assert!(r.overall.f1() > 0.95, "{r}");
        let cv = cross_validate(&data, 3, &TrainConfig { threads: 2, ..cfg.clone() });
        assert_eq!(cv.folds.len(), 3);
        assert_eq!(cv.sentences, data.len());
        let cv1 = cross_validate(&data, 3, &cfg);
        assert_eq!(cv.overall, cv1.overall);
    }

    #[test]
    fn counts_score_exact_spans() {
        let c = Counts { tp: 3, fp: 1, fn_: 2 };
        assert!((c.precision() - 0.75).abs() < 1e-9);
        assert!((c.recall() - 0.6).abs() < 1e-9);
        assert_eq!(Counts::default().f1(), 0.0);
    }
}
