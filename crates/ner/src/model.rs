//! The trained tagger: compact binary model file, feature lookup, constrained Viterbi decoding.
//!
//! # Model file format (version 2, all integers little-endian)
//!
//! ```text
//! magic      8 bytes  "RSDNER02"
//! lex_len    u32      byte length of the lexicon text that follows
//! lexicon    UTF-8    sections headed by `<TAB>gaz<TAB>TYPE`, `<TAB>trigger<TAB>TYPE` or `<TAB>cluster`, then one
//!                     record a line: a normalised entry or word, or `word<TAB>coarse<TAB>fine<TAB>log2freq`
//! window     u32      second pass: neighbouring sentences on each side that form a word's document window
//! stages     u8       1 (one pass) or 2 (a second, stacked pass)
//! trans      stages × 306 × i32 transition weights: rows 0–16 = previous tag, row 17 = sentence start;
//!                     columns = tag
//! n_feat     u32      number of feature records
//! records    n_feat × { varint key delta (keys strictly ascending, first delta from 0),
//!                       varint mask of (stage, tag) pairs with a non-zero weight, bit = stage * 17 + tag,
//!                       one zigzag varint (an i16 value) per set mask bit, lowest bit first }
//! ```
//!
//! Tags are BILOU (17): O, then B, I, L, U of PER, LOC, ORG, MISC (see `tags.rs`). Weights are the averaged perceptron
//! weights of each stage scaled to fit `i16` (the scale does not matter for decoding, which only compares sums).
//!
//! # Two passes
//!
//! The first pass tags every sentence of a document from its own features. The second pass adds stacked
//! features ([`crate::features::Stacker`]): the first-pass tags of the word and its neighbours, and the tags
//! the first pass gave other occurrences of the same stem in the document window. Both stages' weights of a
//! feature sit in one table slot, so a feature costs one lookup for both passes.

use crate::features::{
    context_keys, lexical_keys, match_gaz, own_keys, pair_head, pair_rest, word_hash, Lexicon, LexiconError,
    SentenceFacts, Stacker, WordInfo,
};
use crate::tags::{allowed, allowed_last, to_bio, NerTag, NT};

const MAGIC: &[u8; 8] = b"RSDNER02";

/// Weights per table slot: one row of `NT` per stage.
const W2: usize = 2 * NT;

/// Transition weights: `(NT + 1) * NT`, rows = previous tag (row `NT` = start), columns = tag.
pub(crate) const TRANS_LEN: usize = (NT + 1) * NT;

/// A model file that cannot be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ModelError {
    #[error("ner model: bad magic (not a rasid NER model, or another format version)")]
    BadMagic,
    #[error("ner model: truncated at byte {0}")]
    Truncated(usize),
    #[error("ner model: lexicon is not UTF-8")]
    LexiconEncoding,
    #[error("ner model: {0}")]
    Lexicon(#[from] LexiconError),
    #[error("ner model: feature keys not strictly ascending at record {0}")]
    KeyOrder(usize),
    #[error("ner model: bad record {0}")]
    BadRecord(usize),
    #[error("ner model: {0} stages (expected 1 or 2)")]
    Stages(u8),
    #[error("ner model: {0} trailing bytes")]
    Trailing(usize),
}

/// A trained named-entity tagger. Cheap to share (`&NerModel` is all tagging needs).
#[derive(Debug, Clone)]
pub struct NerModel {
    pub(crate) lexicon: Lexicon,
    /// Feature keys, ascending (as in the file).
    keys: Vec<u32>,
    /// Dense weights, `2 * NT` per feature (first stage, then second), in key order.
    weights: Vec<i16>,
    trans: Vec<i32>,
    /// Transitions of the second pass; `None` for a one-pass model.
    trans2: Option<Vec<i32>>,
    /// Second pass: neighbouring sentences on each side in a word's document window.
    window: usize,
    /// Open-addressing index over the keys: `key << 32 | row` per slot (key 0 = empty), length a power of two,
    /// at most half full. It is small (8 bytes a slot) and mostly cache-resident, so a feature the model does
    /// not know costs no trip to memory; a known one costs one trip to its weight row.
    index: Vec<u64>,
    /// For each offset −2 … +2: the unit-feature weights a word gets from a position outside its sentence.
    edge_rows: Vec<i32>,
    /// A blocked Bloom filter over the keys (16 bits a key, two bits set in one 64-bit word): small enough to
    /// stay in the L2 cache, it turns most lookups of unknown features (rare words, word bigrams) away before
    /// they touch the larger index.
    bloom: Vec<u64>,
}

/// The quantised weights of one trained pass.
#[derive(Debug, Clone, Default)]
pub(crate) struct Stage {
    /// Distinct non-zero keys with their weights.
    pub(crate) features: Vec<(u32, [i16; NT])>,
    pub(crate) trans: Vec<i32>,
}

/// Reusable buffers for tagging (one per thread). Holds a cache of per-word-type feature sums, so keep it
/// across articles: the more text it has seen, the faster it tags.
#[derive(Debug, Default)]
pub struct Scratch {
    pub(crate) facts: SentenceFacts,
    pub(crate) feats: Vec<u32>,
    /// Emission scores of both passes for every word of the document (`2 * NT` per word: first, second).
    emit: Vec<i32>,
    /// Word facts, stem key, tag, per word; word offset of each sentence (one extra at the end).
    infos: Vec<WordInfo>,
    gaz: Vec<u64>,
    stems: Vec<u64>,
    labels: Vec<u8>,
    sent_off: Vec<usize>,
    stacker: Stacker,
    cache: WordCache,
    pub(crate) vit: Viterbi,
}

/// Number of word types the per-thread cache holds (direct-mapped).
const CACHE_SLOTS: usize = 1 << 15;
/// Offsets −2 … +2 a word's unit features are summed for.
const OFFSETS: usize = 5;
const ROW: usize = OFFSETS * W2;

/// Per word type: its [`WordInfo`] and, for each offset `d` in −2 … +2, the summed weights of the unit features
/// the word at `i + d` gives word `i` (both passes). Direct-mapped by word hash.
#[derive(Debug, Default)]
struct WordCache {
    keys: Vec<u64>,
    infos: Vec<WordInfo>,
    rows: Vec<i32>,
}

#[inline]
fn add_row(dst: &mut [i32], src: &[i16; W2]) {
    for (d, &s) in dst.iter_mut().zip(src) {
        *d += i32::from(s);
    }
}

/// Buffers of the Viterbi decoder.
#[derive(Debug, Default)]
pub(crate) struct Viterbi {
    back: Vec<[u8; NT]>,
    pub(crate) best: Vec<u8>,
}

/// For each tag, the previous tags it may follow (at most `NT`), and how many.
fn predecessors() -> &'static ([[u8; NT]; NT], [usize; NT]) {
    static P: std::sync::OnceLock<([[u8; NT]; NT], [usize; NT])> = std::sync::OnceLock::new();
    P.get_or_init(|| {
        let mut table = [[0u8; NT]; NT];
        let mut len = [0usize; NT];
        for t in 0..NT {
            for p in (0..NT).filter(|&p| allowed(Some(p), t)) {
                table[t][len[t]] = p as u8;
                len[t] += 1;
            }
        }
        (table, len)
    })
}

impl Viterbi {
    /// Best tag sequence (as indices in `self.best`) for `n` words with emission scores `emit` (word `i`'s
    /// at `i * stride`, `NT` of them) and transitions `trans` (`TRANS_LEN`), never producing an `I-X` that does
    /// not continue `X`.
    pub(crate) fn decode(&mut self, n: usize, emit: &[i32], stride: usize, trans: &[i32]) {
        self.best.clear();
        if n == 0 {
            return;
        }
        // Impossible starts score far below any real path but cannot overflow when sums are added to them.
        const NEG: i64 = i64::MIN / 4;
        let (prevs, plen) = predecessors();
        let tr: &[i32; TRANS_LEN] = match trans.get(..TRANS_LEN).and_then(|t| t.try_into().ok()) {
            Some(t) => t,
            None => return self.best.resize(n, 0),
        };
        let em = |i: usize, t: usize| i64::from(emit.get(i * stride + t).copied().unwrap_or(0));
        let mut score = [NEG; NT];
        for (t, s) in score.iter_mut().enumerate() {
            if allowed(None, t) {
                *s = i64::from(tr[NT * NT + t]) + em(0, t);
            }
        }
        self.back.clear();
        self.back.resize(n, [0; NT]);
        for i in 1..n {
            let row: Option<&[i32]> = emit.get(i * stride..i * stride + NT);
            let mut next = [NEG; NT];
            let back = &mut self.back[i];
            for t in 0..NT {
                let mut best = NEG;
                let mut arg = 0u8;
                for &p in &prevs[t][..plen[t]] {
                    let s = score[usize::from(p)] + i64::from(tr[usize::from(p) * NT + t]);
                    if s > best {
                        best = s;
                        arg = p;
                    }
                }
                next[t] = best + row.map_or(0, |r| i64::from(r[t]));
                back[t] = arg;
            }
            score = next;
        }
        let mut last = 0;
        for t in 1..NT {
            if allowed_last(t) && score[t] > score[last] {
                last = t;
            }
        }
        self.best.resize(n, 0);
        self.best[n - 1] = last as u8;
        for i in (1..n).rev() {
            self.best[i - 1] = self.back[i][usize::from(self.best[i])];
        }
    }
}

/// The Bloom filter word (of `words`, a power of two) and the two-bit mask of a key.
#[inline]
fn bloom_slot(k: u32, words: usize) -> (usize, u64) {
    let h = u64::from(k).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    let w = (h >> 40) as usize & (words - 1);
    (w, 1u64 << (h & 63) | 1u64 << ((h >> 6) & 63))
}

fn mix(k: u32) -> usize {
    (k.wrapping_mul(0x9E37_79B1) >> 7) as usize
}

struct Reader<'a> {
    b: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], ModelError> {
        let end = self.pos.checked_add(n).filter(|&e| e <= self.b.len()).ok_or(ModelError::Truncated(self.pos))?;
        let s = &self.b[self.pos..end];
        self.pos = end;
        Ok(s)
    }
    fn u32(&mut self) -> Result<u32, ModelError> {
        let s = self.take(4)?;
        Ok(u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
    }
    fn varint(&mut self) -> Result<u64, ModelError> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.take(1)?[0];
            v |= u64::from(b & 0x7F) << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(ModelError::Truncated(self.pos))
    }
}

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

impl NerModel {
    /// Builds a one-pass model from quantised parts; `features` must have distinct non-zero keys.
    #[cfg(test)]
    pub(crate) fn from_parts(lexicon: Lexicon, features: Vec<(u32, [i16; NT])>, trans: Vec<i32>) -> NerModel {
        NerModel::from_stages(lexicon, Stage { features, trans }, None, 0)
    }

    /// Builds a model from one or two trained passes (`window`: the second pass's document window).
    pub(crate) fn from_stages(lexicon: Lexicon, first: Stage, second: Option<Stage>, window: usize) -> NerModel {
        let mut all: Vec<(u32, usize, [i16; NT])> = first.features.into_iter().map(|(k, w)| (k, 0, w)).collect();
        let trans2 = second.map(|s| {
            all.extend(s.features.into_iter().map(|(k, w)| (k, 1, w)));
            s.trans
        });
        all.sort_unstable_by_key(|f| (f.0, f.1));
        let mut keys: Vec<u32> = Vec::new();
        let mut weights: Vec<i16> = Vec::new();
        for (k, stage, w) in all {
            if keys.last() != Some(&k) {
                keys.push(k);
                weights.extend_from_slice(&[0; W2]);
            }
            let at = weights.len() - W2 + stage * NT;
            weights[at..at + NT].copy_from_slice(&w);
        }
        let mut m = NerModel {
            lexicon,
            keys,
            weights,
            trans: first.trans,
            trans2,
            window,
            index: Vec::new(),
            edge_rows: Vec::new(),
            bloom: Vec::new(),
        };
        m.build_table();
        m
    }

    fn build_table(&mut self) {
        let words = (self.keys.len() / 4).next_power_of_two().max(1);
        self.bloom = vec![0; words];
        for &k in &self.keys {
            let (w, m) = bloom_slot(k, words);
            self.bloom[w] |= m;
        }
        let cap = (self.keys.len() * 2).next_power_of_two().max(16);
        self.index = vec![0; cap];
        let mask = cap - 1;
        for (i, &k) in self.keys.iter().enumerate() {
            let mut slot = mix(k) & mask;
            while self.index[slot] != 0 {
                slot = (slot + 1) & mask;
            }
            self.index[slot] = u64::from(k) << 32 | i as u64;
        }
        let mut edge_rows = vec![0; ROW];
        let mut keys = Vec::new();
        for d in [-2isize, -1, 1, 2] {
            keys.clear();
            context_keys(&WordInfo::edge(d > 0), d, &mut keys);
            let at = (d + 2) as usize * W2;
            for &k in &keys {
                if let Some(w) = self.lookup(k) {
                    add_row(&mut edge_rows[at..at + W2], w);
                }
            }
        }
        self.edge_rows = edge_rows;
    }

    /// The cache slot of normalised word `w`, filled on a miss.
    fn cached(&self, w: &str, cache: &mut WordCache, keys: &mut Vec<u32>) -> usize {
        if cache.keys.is_empty() {
            cache.keys = vec![0; CACHE_SLOTS];
            cache.infos = vec![WordInfo::default(); CACHE_SLOTS];
            cache.rows = vec![0; CACHE_SLOTS * ROW];
        }
        let h = word_hash(w);
        let slot = (h.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - CACHE_SLOTS.trailing_zeros())) as usize;
        if cache.keys[slot] == h {
            return slot;
        }
        let info = WordInfo::new(w, &self.lexicon);
        let rows = &mut cache.rows[slot * ROW..(slot + 1) * ROW];
        rows.fill(0);
        for d in -2isize..=2 {
            keys.clear();
            if d == 0 {
                lexical_keys(&info, keys);
                own_keys(w, &info, keys);
            } else {
                context_keys(&info, d, keys);
            }
            let at = (d + 2) as usize * W2;
            for &k in keys.iter() {
                if let Some(wt) = self.lookup(k) {
                    add_row(&mut rows[at..at + W2], wt);
                }
            }
        }
        cache.keys[slot] = h;
        cache.infos[slot] = info;
        slot
    }

    #[inline]
    pub(crate) fn lookup(&self, key: u32) -> Option<&[i16; W2]> {
        let (w, m) = bloom_slot(key, self.bloom.len());
        if self.bloom.get(w).is_none_or(|&b| b & m != m) {
            return None;
        }
        let mask = self.index.len() - 1;
        let mut slot = mix(key) & mask;
        loop {
            let v = self.index[slot];
            let k = (v >> 32) as u32;
            if k == key {
                let row = (v as u32) as usize * W2;
                return self.weights.get(row..row + W2).and_then(|w| w.try_into().ok());
            }
            if k == 0 {
                return None;
            }
            slot = (slot + 1) & mask;
        }
    }

    /// Transitions of the first pass.
    pub(crate) fn trans(&self) -> &[i32] {
        &self.trans
    }

    /// The model shipped in `data/ner/model.bin` (trained on ANERcorp, see `data/ner/README.md`).
    pub fn bundled() -> Result<NerModel, ModelError> {
        NerModel::from_bytes(include_bytes!("../../../data/ner/model.bin"))
    }

    /// Reads a model file (format in the module docs).
    pub fn from_bytes(bytes: &[u8]) -> Result<NerModel, ModelError> {
        let mut r = Reader { b: bytes, pos: 0 };
        if r.take(8).map_err(|_| ModelError::BadMagic)? != MAGIC {
            return Err(ModelError::BadMagic);
        }
        let lex_len = r.u32()? as usize;
        let lex = std::str::from_utf8(r.take(lex_len)?).map_err(|_| ModelError::LexiconEncoding)?;
        let lexicon = Lexicon::from_text("model lexicon", lex)?;
        let window = r.u32()? as usize;
        let stages = r.take(1)?[0];
        if !(1..=2).contains(&stages) {
            return Err(ModelError::Stages(stages));
        }
        let mut trans = Vec::with_capacity(TRANS_LEN);
        for _ in 0..TRANS_LEN {
            trans.push(r.u32()? as i32);
        }
        let trans2 = if stages == 2 {
            let mut t = Vec::with_capacity(TRANS_LEN);
            for _ in 0..TRANS_LEN {
                t.push(r.u32()? as i32);
            }
            Some(t)
        } else {
            None
        };
        let width = usize::from(stages) * NT;
        let n = r.u32()? as usize;
        // Each record takes at least 3 bytes: bound the allocation by the input.
        let mut keys = Vec::with_capacity(n.min(bytes.len() / 3));
        let mut weights = Vec::with_capacity(keys.capacity() * W2);
        let mut key = 0u64;
        for rec in 0..n {
            let delta = r.varint()?;
            key += delta;
            if delta == 0 || key > u64::from(u32::MAX) {
                return Err(ModelError::KeyOrder(rec));
            }
            keys.push(key as u32);
            let mask = r.varint()?;
            if mask >> width != 0 {
                return Err(ModelError::BadRecord(rec));
            }
            for t in 0..W2 {
                if mask & (1 << t) == 0 {
                    weights.push(0);
                    continue;
                }
                let z = r.varint()?;
                let v = (z >> 1) as i64 ^ -((z & 1) as i64);
                let v = i16::try_from(v).map_err(|_| ModelError::BadRecord(rec))?;
                weights.push(v);
            }
        }
        if r.pos != bytes.len() {
            return Err(ModelError::Trailing(bytes.len() - r.pos));
        }
        let mut m = NerModel {
            lexicon,
            keys,
            weights,
            trans,
            trans2,
            window,
            index: Vec::new(),
            edge_rows: Vec::new(),
            bloom: Vec::new(),
        };
        m.build_table();
        Ok(m)
    }

    /// Writes the model file (deterministic: same model, same bytes).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(MAGIC);
        let lex = self.lexicon.to_text();
        out.extend_from_slice(&(lex.len() as u32).to_le_bytes());
        out.extend_from_slice(lex.as_bytes());
        out.extend_from_slice(&(self.window as u32).to_le_bytes());
        out.push(if self.trans2.is_some() { 2 } else { 1 });
        for &t in self.trans.iter().chain(self.trans2.iter().flatten()) {
            out.extend_from_slice(&t.to_le_bytes());
        }
        out.extend_from_slice(&(self.keys.len() as u32).to_le_bytes());
        let mut prev = 0u32;
        for (i, &k) in self.keys.iter().enumerate() {
            put_varint(&mut out, u64::from(k - prev));
            prev = k;
            let w = &self.weights[i * W2..(i + 1) * W2];
            let mask = w.iter().enumerate().filter(|(_, &v)| v != 0).fold(0u64, |m, (t, _)| m | 1 << t);
            put_varint(&mut out, mask);
            for &v in w.iter().filter(|&&v| v != 0) {
                let v = i64::from(v);
                put_varint(&mut out, ((v << 1) ^ (v >> 63)) as u64);
            }
        }
        out
    }

    /// Number of features with weights.
    pub fn feature_count(&self) -> usize {
        self.keys.len()
    }

    /// The gazetteers and trigger words the model was trained with.
    pub fn lexicon(&self) -> &Lexicon {
        &self.lexicon
    }

    /// Tags one sentence of surface words (one tag per word, appended to `out` after clearing it).
    pub fn tag(&self, words: &[&str], out: &mut Vec<NerTag>) {
        self.tag_with(words, &mut Scratch::default(), out);
    }

    /// As [`NerModel::tag`], reusing `scratch` across calls (no allocation once the buffers have grown).
    ///
    /// The sentence is its own document: the second pass sees other occurrences of a word in this sentence only.
    /// Use [`NerModel::tag_document`] to give it the neighbouring sentences too.
    pub fn tag_with<S: AsRef<str>>(&self, words: &[S], scratch: &mut Scratch, out: &mut Vec<NerTag>) {
        self.run_surface(&[words], scratch);
        out.clear();
        out.extend(scratch.labels.iter().map(|&t| to_bio(usize::from(t))));
    }

    /// Tags the consecutive sentences of one document (an article, in reading order): one tag vector per
    /// sentence in `out` (resized to the number of sentences). The second pass of a word looks at the sentences
    /// within [`NerModel::window`] on each side.
    pub fn tag_document<W: AsRef<[S]>, S: AsRef<str>>(
        &self,
        sentences: &[W],
        scratch: &mut Scratch,
        out: &mut Vec<Vec<NerTag>>,
    ) {
        self.run_surface(sentences, scratch);
        out.resize_with(sentences.len(), Vec::new);
        for (s, tags) in out.iter_mut().enumerate() {
            tags.clear();
            let words = scratch.sent_off[s]..scratch.sent_off[s + 1];
            tags.extend(scratch.labels[words].iter().map(|&t| to_bio(usize::from(t))));
        }
    }

    /// Tags a document given as normalised text (`rasid_text::normalize`, or `NormalizedText::as_str`): `words`
    /// are the byte ranges of its words in `text`, in order, and `sent_off` the index in `words` where each
    /// sentence starts, with `words.len()` at the end (`[0, 12, 30]`: two sentences). One tag per word goes to
    /// `out` (cleared first). This is the fast path: no copy, no second normalisation. Ranges that are out of
    /// bounds or off character boundaries read as empty words; offsets that are not ascending are clamped.
    pub fn tag_normalized(
        &self,
        text: &str,
        words: &[std::ops::Range<usize>],
        sent_off: &[usize],
        scratch: &mut Scratch,
        out: &mut Vec<NerTag>,
    ) {
        scratch.sent_off.clear();
        scratch.sent_off.push(0);
        for &o in sent_off.iter().skip(1) {
            let last = scratch.sent_off.last().copied().unwrap_or(0);
            scratch.sent_off.push(o.clamp(last, words.len()));
        }
        if scratch.sent_off.last() != Some(&words.len()) {
            scratch.sent_off.push(words.len());
        }
        let offs = std::mem::take(&mut scratch.sent_off);
        self.run(text, words, &offs, scratch);
        scratch.sent_off = offs;
        out.clear();
        out.extend(scratch.labels.iter().map(|&t| to_bio(usize::from(t))));
    }

    /// Neighbouring sentences on each side that the second pass reads (0 for a one-pass model).
    pub fn window(&self) -> usize {
        self.window
    }

    /// Normalises surface words, then tags them as [`NerModel::run`] does.
    fn run_surface<W: AsRef<[S]>, S: AsRef<str>>(&self, sentences: &[W], sc: &mut Scratch) {
        sc.facts.normalize(sentences);
        let mut offs = std::mem::take(&mut sc.sent_off);
        offs.clear();
        offs.push(0);
        for s in sentences {
            offs.push(offs.last().copied().unwrap_or(0) + s.as_ref().len());
        }
        let facts = std::mem::take(&mut sc.facts);
        let (text, words) = facts.text();
        self.run(text, words, &offs, sc);
        sc.facts = facts;
        sc.sent_off = offs;
    }

    /// Tags a document of normalised words into `scratch.labels` (one tag index per word). `sent_off`: word
    /// offset of each sentence, ascending, `words.len()` last.
    ///
    /// A word's emission scores are the cached unit-feature sums of the words at offsets −2 … +2 (each word's
    /// rows are added to its neighbours as soon as it is looked up, so a cache slot reused within the sentence
    /// does no harm), plus the few sentence-dependent features ([`pair_head`], [`pair_rest`]).
    fn run(&self, text: &str, words: &[std::ops::Range<usize>], sent_off: &[usize], sc: &mut Scratch) {
        self.emissions(text, words, sent_off, sc);
        decode_all(&mut sc.vit, sent_off, &sc.emit, 0, &self.trans, &mut sc.labels);
        let Some(trans2) = &self.trans2 else {
            return;
        };
        let (emit, stacker) = (&mut sc.emit, &mut sc.stacker);
        stacker.run(&sc.stems, &sc.labels, sent_off, self.window, |w, keys| {
            let e = &mut emit[w * W2 + NT..(w + 1) * W2];
            for &k in keys {
                if let Some(ws) = self.lookup(k) {
                    for (s, &v) in e.iter_mut().zip(&ws[NT..]) {
                        *s += i32::from(v);
                    }
                }
            }
        });
        decode_all(&mut sc.vit, sent_off, &sc.emit, NT, trans2, &mut sc.labels);
    }

    /// Both passes' scores from the word features (without the stacked ones) into `sc.emit`.
    fn emissions(&self, text: &str, words: &[std::ops::Range<usize>], sent_off: &[usize], sc: &mut Scratch) {
        let n_words = words.len();
        sc.emit.clear();
        sc.emit.resize(n_words * W2, 0);
        sc.infos.clear();
        sc.stems.clear();
        for s in sent_off.windows(2) {
            let (a, b) = (s[0], s[1]);
            for (j, range) in words.iter().enumerate().take(b).skip(a) {
                let w = text.get(range.clone()).unwrap_or("");
                let slot = self.cached(w, &mut sc.cache, &mut sc.feats);
                let info = sc.cache.infos[slot];
                sc.infos.push(info);
                sc.stems.push(info.stem);
                let rows = &sc.cache.rows[slot * ROW..(slot + 1) * ROW];
                for d in 0..OFFSETS {
                    // This word is at offset d - 2 from word i.
                    let Some(i) = (j + 2).checked_sub(d).filter(|&i| i >= a && i < b) else { continue };
                    let e = &mut sc.emit[i * W2..(i + 1) * W2];
                    for (x, &y) in e.iter_mut().zip(&rows[d * W2..(d + 1) * W2]) {
                        *x += y;
                    }
                }
            }
            match_gaz(&self.lexicon, &sc.infos[a..b], &mut sc.gaz);
            for i in a..b {
                let e = &mut sc.emit[i * W2..(i + 1) * W2];
                for d in [0usize, 1, 3, 4] {
                    let j = (i + d).checked_sub(2);
                    if j.is_none_or(|j| j < a || j >= b) {
                        for (x, &y) in e.iter_mut().zip(&self.edge_rows[d * W2..(d + 1) * W2]) {
                            *x += y;
                        }
                    }
                }
                sc.feats.clear();
                sc.feats.extend_from_slice(&pair_head(&sc.infos[a..b], i - a));
                pair_rest(&sc.infos[a..b], &sc.gaz, i - a, &mut sc.feats);
                for &k in &sc.feats {
                    if let Some(ws) = self.lookup(k) {
                        add_row(e, ws);
                    }
                }
            }
        }
    }
}

/// Decodes every sentence of a document (word offsets `sent_off`) into `labels`; `emit` holds both passes'
/// scores (`2 * NT` a word), `off` picks the pass (0 or `NT`).
pub(crate) fn decode_all(
    vit: &mut Viterbi,
    sent_off: &[usize],
    emit: &[i32],
    off: usize,
    trans: &[i32],
    labels: &mut Vec<u8>,
) {
    labels.clear();
    for s in sent_off.windows(2) {
        let from = (s[0] * W2 + off).min(emit.len());
        vit.decode(s[1] - s[0], &emit[from..], W2, trans);
        labels.extend_from_slice(&vit.best);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tags::EntityType;

    /// The cached tagging path computes exactly the scores training sees (every feature of
    /// `SentenceFacts::features`, summed), for words with clitics, gazetteer names, triggers, repeats and edges.
    #[test]
    fn cached_emissions_equal_feature_sums() {
        let lex = Lexicon::bundled().unwrap();
        // Invented sentences.
        let sents: Vec<Vec<&str>> = vec![
            vec!["وقال", "الرئيس", "الفرنسي", "إيمانويل", "ماكرون", "في", "باريس", "إن", "الأمم", "المتحدة"],
            vec!["وصل", "الوفد", "إلى", "بغداد", "ثم", "بغداد", "وللأردن", "دور"],
            vec!["كلمة"],
            vec![],
            vec!["ماكرون", "", "١٢", "F-16", "الشرق", "الأوسط"],
        ];
        // A model whose weights depend on the key: every key gets a distinct row.
        let mut facts = SentenceFacts::default();
        let mut all = Vec::new();
        for s in &sents {
            facts.prepare(s, &lex);
            for i in 0..facts.len() {
                facts.features(i, &mut all);
            }
        }
        let mut edge = Vec::new();
        for d in [-2isize, -1, 1, 2] {
            context_keys(&WordInfo::edge(d > 0), d, &mut edge);
        }
        all.extend(edge);
        all.sort_unstable();
        all.dedup();
        let features: Vec<(u32, [i16; NT])> =
            all.iter().map(|&k| (k, std::array::from_fn(|t| ((k >> t) & 0xFF) as i16 - 128))).collect();
        let m = NerModel::from_parts(lex.clone(), features, vec![0; TRANS_LEN]);
        let mut sc = Scratch::default();
        // Twice: cold cache, then warm.
        for _ in 0..2 {
            m.run_surface(&sents, &mut sc);
            let mut w = 0;
            for s in &sents {
                facts.prepare(s, &lex);
                for i in 0..facts.len() {
                    let mut keys = Vec::new();
                    facts.features(i, &mut keys);
                    let mut want = [0i32; NT];
                    for k in keys {
                        for (x, &y) in want.iter_mut().zip(&m.lookup(k).unwrap()[..NT]) {
                            *x += i32::from(y);
                        }
                    }
                    assert_eq!(&sc.emit[w * W2..w * W2 + NT], &want, "word {w}");
                    w += 1;
                }
            }
        }
    }

    fn toy() -> NerModel {
        let mut lex = Lexicon::new();
        lex.add_gazetteer(EntityType::Loc, "بغداد\n");
        let mut trans = vec![0; TRANS_LEN];
        trans[NT * NT + 2] = 5; // start → I-PER must still be refused by the constraint
        let mut w = [0i16; NT];
        w[..3].copy_from_slice(&[1, -2, 300]);
        w[NT - 1] = -32768;
        let feats = vec![(7u32, [0; NT]), (3, w)];
        NerModel::from_parts(lex, feats, trans)
    }

    #[test]
    fn bytes_round_trip() {
        let m = toy();
        let b = m.to_bytes();
        let m2 = NerModel::from_bytes(&b).unwrap();
        assert_eq!(m2.to_bytes(), b);
        assert_eq!(m2.feature_count(), 2);
        assert_eq!(&m2.lookup(3).unwrap()[..3], &[1, -2, 300]);
        assert_eq!(m2.lookup(3).unwrap()[NT - 1], -32768);
        assert_eq!(m2.lookup(4), None);
        assert_eq!(m2.weights[NT - 1], -32768);
        assert_eq!(m2.window(), 0);
    }

    #[test]
    fn corrupt_files_are_errors_not_panics() {
        let b = toy().to_bytes();
        assert!(matches!(NerModel::from_bytes(b"nonsense"), Err(ModelError::BadMagic)));
        for cut in 0..b.len() {
            assert!(NerModel::from_bytes(&b[..cut]).is_err());
        }
        let mut extra = b.clone();
        extra.push(0);
        assert!(matches!(NerModel::from_bytes(&extra), Err(ModelError::Trailing(1))));
        for i in 0..b.len() {
            let mut c = b.clone();
            c[i] ^= 0xA5;
            let _ = NerModel::from_bytes(&c);
        }
    }

    #[test]
    fn decoding_respects_bio_constraints() {
        let mut v = Viterbi::default();
        let trans = vec![0; TRANS_LEN];
        // Emissions prefer I-LOC (6) everywhere, then L-LOC (7), then B-LOC (5): the first word cannot be
        // inside, the last must close the entity.
        let mut emit = vec![0; 3 * NT];
        for i in 0..3 {
            emit[i * NT + 6] = 10;
            emit[i * NT + 7] = 8;
            emit[i * NT + 5] = 6;
        }
        v.decode(3, &emit, NT, &trans);
        assert_eq!(v.best, vec![5, 6, 7]);
        v.decode(0, &[], NT, &trans);
        assert!(v.best.is_empty());
    }

    #[test]
    fn tags_any_input_without_panicking() {
        let m = toy();
        let mut out = Vec::new();
        m.tag(&["في", "بغداد"], &mut out);
        assert_eq!(out.len(), 2);
        assert!(out.iter().all(|t| !matches!(t, NerTag::I(_)) || out[0] != NerTag::O));
        m.tag(&[], &mut out);
        assert!(out.is_empty());
        m.tag(&["", " ", "\u{200F}"], &mut out);
        assert_eq!(out.len(), 3);
    }
}
