//! The trained tagger: compact binary model file, feature lookup, constrained Viterbi decoding.
//!
//! # Model file format (version 1, all integers little-endian)
//!
//! ```text
//! magic      8 bytes  "RSDNER01"
//! lex_len    u32      byte length of the lexicon text that follows
//! lexicon    UTF-8    one record a line: `gaz<TAB>TYPE<TAB>entry` or `trigger<TAB>TYPE<TAB>word` (normalised)
//! trans      90 × i32 transition weights: rows 0–8 = previous tag, row 9 = sentence start; columns = tag
//! n_feat     u32      number of feature records
//! records    n_feat × { varint key delta (keys strictly ascending, first delta from 0),
//!                       u16 mask of tags with a non-zero weight,
//!                       one zigzag varint (an i16 value) per set mask bit, lowest tag first }
//! ```
//!
//! Tag order: O, B-PER, I-PER, B-LOC, I-LOC, B-ORG, I-ORG, B-MISC, I-MISC. Weights are the averaged perceptron
//! weights scaled to fit `i16` (the scale does not matter for decoding, which only compares sums).

use crate::features::{Lexicon, LexiconError, SentenceFacts};
use crate::tags::{allowed, NerTag, NT};

const MAGIC: &[u8; 8] = b"RSDNER01";

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
    #[error("ner model: {0} trailing bytes")]
    Trailing(usize),
}

/// A trained named-entity tagger. Cheap to share (`&NerModel` is all tagging needs).
#[derive(Debug, Clone)]
pub struct NerModel {
    pub(crate) lexicon: Lexicon,
    /// Feature keys, ascending (as in the file).
    keys: Vec<u32>,
    /// Dense weights, `NT` per feature, in key order.
    weights: Vec<i16>,
    pub(crate) trans: Vec<i32>,
    /// Open-addressing table of keys with their weights inline (one cache miss per feature; key 0 = empty).
    /// Length is a power of two, at most half full.
    table: Vec<Slot>,
}

#[derive(Debug, Clone, Copy, Default)]
struct Slot {
    key: u32,
    w: [i16; NT],
}

/// Reusable buffers for [`NerModel::tag_with`].
#[derive(Debug, Default)]
pub struct Scratch {
    pub(crate) facts: SentenceFacts,
    pub(crate) feats: Vec<u32>,
    pub(crate) emit: Vec<i32>,
    pub(crate) vit: Viterbi,
}

/// Buffers of the Viterbi decoder.
#[derive(Debug, Default)]
pub(crate) struct Viterbi {
    score: Vec<i64>,
    next: Vec<i64>,
    back: Vec<u8>,
    pub(crate) best: Vec<u8>,
}

impl Viterbi {
    /// Best tag sequence (as indices in `self.best`) for `n` words with emission scores `emit` (`n * NT`) and
    /// transitions `trans` (`TRANS_LEN`), never producing an `I-X` that does not continue `X`.
    pub(crate) fn decode(&mut self, n: usize, emit: &[i32], trans: &[i32]) {
        self.best.clear();
        if n == 0 {
            return;
        }
        const NEG: i64 = i64::MIN / 4;
        self.score.clear();
        self.score.resize(NT, NEG);
        self.next.clear();
        self.next.resize(NT, NEG);
        self.back.clear();
        self.back.resize(n * NT, 0);
        for t in 0..NT {
            if allowed(None, t) {
                self.score[t] = i64::from(trans[NT * NT + t]) + i64::from(emit[t]);
            }
        }
        for i in 1..n {
            for t in 0..NT {
                let mut best = NEG;
                let mut arg = 0u8;
                for p in 0..NT {
                    if self.score[p] == NEG || !allowed(Some(p), t) {
                        continue;
                    }
                    let s = self.score[p] + i64::from(trans[p * NT + t]);
                    if s > best {
                        best = s;
                        arg = p as u8;
                    }
                }
                self.next[t] = if best == NEG { NEG } else { best + i64::from(emit[i * NT + t]) };
                self.back[i * NT + t] = arg;
            }
            std::mem::swap(&mut self.score, &mut self.next);
        }
        let mut last = 0;
        for t in 1..NT {
            if self.score[t] > self.score[last] {
                last = t;
            }
        }
        self.best.resize(n, 0);
        self.best[n - 1] = last as u8;
        for i in (1..n).rev() {
            self.best[i - 1] = self.back[i * NT + usize::from(self.best[i])];
        }
    }
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
    fn u16(&mut self) -> Result<u16, ModelError> {
        let s = self.take(2)?;
        Ok(u16::from_le_bytes([s[0], s[1]]))
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
    /// Builds a model from quantised parts; `features` must have distinct non-zero keys.
    pub(crate) fn from_parts(lexicon: Lexicon, mut features: Vec<(u32, [i16; NT])>, trans: Vec<i32>) -> NerModel {
        features.sort_unstable_by_key(|f| f.0);
        let keys: Vec<u32> = features.iter().map(|f| f.0).collect();
        let weights: Vec<i16> = features.iter().flat_map(|f| f.1).collect();
        let mut m = NerModel { lexicon, keys, weights, trans, table: Vec::new() };
        m.build_table();
        m
    }

    fn build_table(&mut self) {
        let cap = (self.keys.len() * 2).next_power_of_two().max(16);
        self.table = vec![Slot::default(); cap];
        let mask = cap - 1;
        for (i, &k) in self.keys.iter().enumerate() {
            let mut slot = mix(k) & mask;
            while self.table[slot].key != 0 {
                slot = (slot + 1) & mask;
            }
            let mut w = [0; NT];
            w.copy_from_slice(&self.weights[i * NT..(i + 1) * NT]);
            self.table[slot] = Slot { key: k, w };
        }
    }

    #[inline]
    fn lookup(&self, key: u32) -> Option<&[i16; NT]> {
        let mask = self.table.len() - 1;
        let mut slot = mix(key) & mask;
        loop {
            let s = &self.table[slot];
            if s.key == key {
                return Some(&s.w);
            }
            if s.key == 0 {
                return None;
            }
            slot = (slot + 1) & mask;
        }
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
        let mut trans = Vec::with_capacity(TRANS_LEN);
        for _ in 0..TRANS_LEN {
            trans.push(r.u32()? as i32);
        }
        let n = r.u32()? as usize;
        // Each record takes at least 3 bytes: bound the allocation by the input.
        let mut keys = Vec::with_capacity(n.min(bytes.len() / 3));
        let mut weights = Vec::with_capacity(keys.capacity() * NT);
        let mut key = 0u64;
        for rec in 0..n {
            let delta = r.varint()?;
            key += delta;
            if delta == 0 || key > u64::from(u32::MAX) {
                return Err(ModelError::KeyOrder(rec));
            }
            keys.push(key as u32);
            let mask = r.u16()?;
            if mask >> NT != 0 {
                return Err(ModelError::BadRecord(rec));
            }
            for t in 0..NT {
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
        let mut m = NerModel { lexicon, keys, weights, trans, table: Vec::new() };
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
        for &t in &self.trans {
            out.extend_from_slice(&t.to_le_bytes());
        }
        out.extend_from_slice(&(self.keys.len() as u32).to_le_bytes());
        let mut prev = 0u32;
        for (i, &k) in self.keys.iter().enumerate() {
            put_varint(&mut out, u64::from(k - prev));
            prev = k;
            let w = &self.weights[i * NT..(i + 1) * NT];
            let mask = w.iter().enumerate().filter(|(_, &v)| v != 0).fold(0u16, |m, (t, _)| m | 1 << t);
            out.extend_from_slice(&mask.to_le_bytes());
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
    pub fn tag_with<S: AsRef<str>>(&self, words: &[S], scratch: &mut Scratch, out: &mut Vec<NerTag>) {
        out.clear();
        let n = words.len();
        scratch.facts.prepare(words, &self.lexicon);
        scratch.emit.clear();
        scratch.emit.resize(n * NT, 0);
        for i in 0..n {
            scratch.feats.clear();
            scratch.facts.features(i, &mut scratch.feats);
            let e = &mut scratch.emit[i * NT..(i + 1) * NT];
            for &k in &scratch.feats {
                if let Some(ws) = self.lookup(k) {
                    for (s, &w) in e.iter_mut().zip(ws) {
                        *s += i32::from(w);
                    }
                }
            }
        }
        scratch.vit.decode(n, &scratch.emit, &self.trans);
        out.extend(scratch.vit.best.iter().map(|&t| NerTag::from_index(usize::from(t))));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tags::EntityType;

    fn toy() -> NerModel {
        let mut lex = Lexicon::new();
        lex.add_gazetteer(EntityType::Loc, "بغداد\n");
        let mut trans = vec![0; TRANS_LEN];
        trans[NT * NT + 2] = 5; // start → I-PER must still be refused by the constraint
        let feats = vec![(7u32, [0, 0, 0, 0, 0, 0, 0, 0, 0]), (3, [1, -2, 300, 0, 0, 0, 0, 0, -32768])];
        NerModel::from_parts(lex, feats, trans)
    }

    #[test]
    fn bytes_round_trip() {
        let m = toy();
        let b = m.to_bytes();
        let m2 = NerModel::from_bytes(&b).unwrap();
        assert_eq!(m2.to_bytes(), b);
        assert_eq!(m2.feature_count(), 2);
        assert_eq!(m2.lookup(3), Some(&[1, -2, 300, 0, 0, 0, 0, 0, -32768]));
        assert_eq!(m2.lookup(4), None);
        assert_eq!(&m2.weights[..NT], &[1, -2, 300, 0, 0, 0, 0, 0, -32768]);
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
        // Emissions prefer I-LOC everywhere; the first word cannot be I-LOC.
        let mut emit = vec![0; 3 * NT];
        for i in 0..3 {
            emit[i * NT + 4] = 10;
            emit[i * NT + 3] = 6;
        }
        v.decode(3, &emit, &trans);
        assert_eq!(v.best, vec![3, 4, 4]);
        v.decode(0, &[], &trans);
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
