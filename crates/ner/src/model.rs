//! The trained tagger: compact binary model file, feature lookup, constrained Viterbi decoding.
//!
//! # Model file format (version 3, all integers little-endian)
//!
//! ```text
//! magic      8 bytes  "RSDNER03"
//! body       raw DEFLATE (RFC 1951, level 9) of everything below, to the end of the file
//!   lex_len  u32      byte length of the lexicon text that follows
//!   lexicon  UTF-8    sections headed by `<TAB>gaz<TAB>TYPE`, `<TAB>trigger<TAB>TYPE` or `<TAB>cluster`, then one
//!                     record a line: a normalised entry or word, or `word<TAB>coarse<TAB>fine<TAB>log2freq`
//!   window   u32      second pass: neighbouring sentences on each side that form a word's document window
//!   stages   u8       1 (one pass) or 2 (a second, stacked pass)
//!   trans    stages × 306 × i32 transition weights: rows 0–16 = previous tag, row 17 = sentence start;
//!                     columns = tag
//!   n_feat   u32      number of features
//!   keys     n_feat × varint key delta (keys strictly ascending, first delta from 0)
//!   masks    n_feat × varint mask of the (stage, tag) pairs with a non-zero weight, bit = stage * 17 + tag
//!   codes    one byte per set mask bit, feature by feature, lowest bit first: an `i8` weight code (±1 … ±127)
//! ```
//!
//! The columns (keys, then masks, then codes) compress better than records. Version 2 stored `i16` weights as
//! zigzag varints in records, uncompressed (5.3 MB; version 3: 2.1 MB).
//!
//! Tags are BILOU (17): O, then B, I, L, U of PER, LOC, ORG, MISC (see `tags.rs`). Training scales each stage's
//! averaged perceptron weights so the largest is 32,767 (the scale does not matter for decoding, which only
//! compares sums; transitions are `i32` in the same scale), then codes each weight to 8 bits on a square law
//! ([`weight`]: code `c` stands for `round(32767 * (c / 127)²)`), so small weights keep their resolution.
//!
//! # Two passes
//!
//! The first pass tags every sentence of a document from its own features. The second pass adds stacked
//! features ([`crate::features::Stacker`]): the first-pass tags of the word and its neighbours, and the tags
//! the first pass gave other occurrences of the same stem in the document window. Both stages' weights of a
//! feature sit in one table slot, so a feature costs one lookup for both passes.

use crate::features::{
    context_keys, gaz_key, lexical_keys, match_gaz, own_keys, pair_head, pair_rest_split, stack_key, stack_slot,
    stack_slot_parts, word_hash, Lexicon, LexiconError, SentenceFacts, Stacker, WordInfo, STACK_SLOTS,
};
use crate::tags::{allowed_last, to_bio, NerTag, NT};

const MAGIC: &[u8; 8] = b"RSDNER03";

/// Largest decompressed model body read (a corrupt file cannot make the reader allocate more).
const MAX_BODY: usize = 1 << 28;

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
    #[error("ner model: the compressed body cannot be read")]
    Compression,
}

/// A trained named-entity tagger. Cheap to share (`&NerModel` is all tagging needs).
#[derive(Debug, Clone)]
pub struct NerModel {
    pub(crate) lexicon: Lexicon,
    trans: Vec<i32>,
    /// Transitions of the second pass; `None` for a one-pass model.
    trans2: Option<Vec<i32>>,
    /// Second pass: neighbouring sentences on each side in a word's document window.
    window: usize,
    /// Number of features with weights.
    features: usize,
    /// Open-addressing table of the feature keys (0 = empty; length a power of two, at most 3/4 full). The keys
    /// alone (4 bytes a slot) stay in the processor's cache, so a probe, and above all the probe of an unknown
    /// key (rare words, word bigrams), rarely waits for memory.
    keys: Vec<u32>,
    /// The weights of both passes of the key in the same slot of `keys`: a known feature costs one trip to
    /// memory, an unknown one none. Decoded from their 8-bit codes ([`weight`]) when the model is read: a row
    /// then adds to the emission sums as a few vector instructions instead of a table look-up per tag, for
    /// 68 bytes a slot instead of 34 (8.9 MB for the bundled model).
    weights: Vec<[i16; W2]>,
    /// For each offset −2 … +2: the unit-feature weights a word gets from a position outside its sentence.
    edge_rows: Vec<i32>,
    /// The weights of the bias feature (every word has it).
    bias_row: [i32; W2],
    /// The decoded second-pass weights of the stacked features by dense slot ([`crate::features::stack_key`]),
    /// zeros when the model lacks the feature: a slot costs one load, not an index and then its row, and an
    /// absent feature adds nothing (`STACK_SLOTS` rows, 286 KB, of which tagging reads a few hundred).
    stack: Vec<[i32; NT]>,
    /// Decoded weights of the gazetteer-match features: 64 bits of the word, then 8 slots of the left and 8 of
    /// the right neighbour ([`pair_rest_split`]).
    gaz_rows: Vec<[i32; W2]>,
}

/// Weight codes: an `i8` code `c` stands for the weight `sign(c) * round(32767 * (c / 127)²)`. The square
/// spends the 8 bits where perceptron weights are dense (near zero): the smallest non-zero code is 2, the
/// largest 32,767, and a weight is off by at most about 1/|c| of itself.
const WEIGHTS: [i32; 256] = {
    let mut t = [0i32; 256];
    let mut c = -128i32;
    while c < 128 {
        let a = if c < 0 { -c } else { c };
        let a = if a > 127 { 127 } else { a };
        let v = (32767 * a * a + 16129 / 2) / 16129;
        t[(c as u8) as usize] = if c < 0 { -v } else { v };
        c += 1;
    }
    t
};

/// The weight a code stands for ([`WEIGHTS`]).
#[inline]
pub(crate) fn weight(c: i8) -> i32 {
    WEIGHTS[usize::from(c as u8)]
}

/// The code whose weight is nearest to `v` (an `i16`-scaled weight); ties go to the smaller magnitude.
pub(crate) fn code_of(v: i16) -> i8 {
    let a = i32::from(v).abs();
    let guess = (127.0 * (f64::from(a) / 32767.0).sqrt()).round() as i32;
    let mut best = 0i32;
    for c in (guess - 1).max(0)..=(guess + 1).min(127) {
        if (weight(c as i8) - a).abs() < (weight(best as i8) - a).abs() {
            best = c;
        }
    }
    (if v < 0 { -best } else { best }) as i8
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
    /// Per word of the document: its hash and where its rows are (a cache slot, or `MISS |` a new word type).
    whash: Vec<u64>,
    wsrc: Vec<u32>,
    /// New word types of the document (not in the cache): `(hash, first word)`, then their facts and rows.
    misses: Vec<(u64, u32)>,
    minfo: Vec<WordInfo>,
    mrows: Vec<i32>,
    /// Feature keys looked up in one batch, with the offset of the row each one adds to.
    bkeys: Vec<u32>,
    bdst: Vec<u32>,
    sel: Vec<(u32, u32)>,
}

/// In `Scratch::wsrc`: the word's rows are those of new word type `x & !MISS`, not of a cache slot.
const MISS: u32 = 1 << 31;

/// Number of word types the per-thread cache holds: sets of [`WAYS`] slots.
const CACHE_SETS: usize = 1 << 15;
const WAYS: usize = 2;
/// Offsets −2 … +2 a word's unit features are summed for.
const OFFSETS: usize = 5;
const ROW: usize = OFFSETS * W2;

/// Per word type: its [`WordInfo`] and, for each offset `d` in −2 … +2, the summed weights of the unit features
/// the word at `i + d` gives word `i` (both passes), as `i16` (a word type whose sums do not all fit is not
/// cached). Two-way set-associative by word hash (a miss replaces the way not used last); a slot's facts and rows
/// are contiguous, so a hit reads one run of memory. The key is the word hash in the facts (never 0; 0 = empty).
#[derive(Debug, Default)]
struct WordCache {
    slots: Vec<CacheSlot>,
    /// Per set: the way used last.
    last: Vec<u8>,
    /// Per set: the word hash of each way (0 = empty), a copy of the slots' `info.hash` kept together so that a
    /// probe reads one small run of memory instead of the first line of every way.
    tags: Vec<[u64; WAYS]>,
}

/// Laid out in order and aligned to a cache line: the probe reads the hash at the start, the rows follow.
#[derive(Debug, Clone)]
#[repr(C, align(64))]
struct CacheSlot {
    info: WordInfo,
    /// Offset 0 (the word's own features, the largest sums), then −2, −1, +1, +2 as `i16`.
    own: [i32; W2],
    ctx: [i16; ROW - W2],
}

impl CacheSlot {
    /// Adds the row of offset index `d` (0 … 4 for −2 … +2) to `acc`.
    #[inline(always)]
    fn add_to(&self, d: usize, acc: &mut Acc<ACC_GROUPS>) {
        if d == 2 {
            acc.add(&self.own);
        } else {
            let k = if d < 2 { d } else { d - 1 };
            if let Some(r) = self.ctx.get(k * W2..(k + 1) * W2).and_then(|r| <&[i16; W2]>::try_from(r).ok()) {
                acc.add(r);
            }
        }
    }
}

/// Adds a row of weights to a row of sums. Fixed lengths, and not inlined: the loop then compiles to a few
/// vector instructions (inlined into [`NerModel::add_batch`] or [`NerModel::run`], it stayed 34 scalar
/// additions).
#[inline(never)]
fn add_row<S: Copy + Into<i32>>(dst: &mut [i32; W2], src: &[S; W2]) {
    for k in 0..W2 {
        dst[k] += src[k].into();
    }
}

/// Groups of four lanes an [`Acc`] holds: `W2` (34) sums in eight full groups and a ninth with two lanes used.
const ACC_GROUPS: usize = W2.div_ceil(4);

/// A row of sums held in groups of four lanes while many rows are added to it, then stored once: `Acc<ACC_GROUPS>`
/// for both passes (`W2`, 34 sums: eight full groups and a ninth with two lanes used), `Acc<STACK_GROUPS>` for the
/// second pass's (`NT`). Every method is inlined into the loop that uses it, so that the compiler keeps the groups
/// in vector registers: a row then costs its loads, widening and adds, where [`add_row`] also loads and stores the
/// sums (54 instructions an `i16` row, about 40 added this way).
#[derive(Clone, Copy)]
struct Acc<const G: usize>([[i32; 4]; G]);

/// [`Acc`] groups of one pass's sums (`NT`).
const STACK_GROUPS: usize = NT.div_ceil(4);

impl<const G: usize> Acc<G> {
    /// The sums of `r` (`N` at most `4 * G`).
    #[inline(always)]
    fn load<const N: usize>(r: &[i32; N]) -> Acc<G> {
        Acc(std::array::from_fn(|g| std::array::from_fn(|j| r.get(4 * g + j).copied().unwrap_or(0))))
    }

    /// Adds a row of weights.
    #[inline(always)]
    fn add<S: Copy + Into<i32>, const N: usize>(&mut self, r: &[S; N]) {
        for (g, q) in self.0.iter_mut().enumerate() {
            for (j, x) in q.iter_mut().enumerate() {
                if let Some(&w) = r.get(4 * g + j) {
                    *x += w.into();
                }
            }
        }
    }

    /// Writes the sums to `r`.
    #[inline(always)]
    fn store<const N: usize>(&self, r: &mut [i32; N]) {
        for (k, x) in r.iter_mut().enumerate() {
            *x = self.0[k / 4][k % 4];
        }
    }
}

/// Row `i` (`W2` values) of `v`.
#[inline]
fn row_mut(v: &mut [i32], i: usize) -> Option<&mut [i32; W2]> {
    v.get_mut(i * W2..(i + 1) * W2)?.try_into().ok()
}

/// Buffers of the Viterbi decoder.
#[derive(Debug, Default)]
pub(crate) struct Viterbi {
    /// [`Viterbi::decode_wide`]'s back pointers, per word.
    back: Vec<[u8; NT]>,
    /// [`Viterbi::decode_narrow`]'s scores, per word (lanes as [`TAG_OF_LANE`]): the back pointer of the one tag
    /// of the path at each word is found again from them, instead of keeping one for every tag.
    scores: Vec<[Quad; 5]>,
    pub(crate) best: Vec<u8>,
}

/// The largest emission or transition (in absolute value) the fast decoder takes.
///
/// With every input within `±B`, a word's scores stay within `12 B` of its `O` score. Let `M` be a word's best
/// score and `K` its best closer's. A closer at word `i + 1` follows every tag (`L-X` follows `B-X` and `I-X`;
/// `O` and `U-X` the closers), so `K(i+1) ≥ M(i) − 2B`, and `O` at `i + 1` follows every closer:
/// `O(i+1) ≥ K(i) − 2B ≥ M(i−1) − 4B`, while every score at `i + 1` is at most `M(i−1) + 4B`: at most `8B` above
/// `O`'s. Below: an opener at `i + 1` is at least `K(i) − 2B ≥ M(i−1) − 4B`, `I-X` and `L-X` at least
/// `B-X(i) − 2B ≥ K(i−1) − 4B ≥ M(i−2) − 6B`, and `O(i+1) ≤ M(i−2) + 6B`: at most `12B` below. (The first words
/// keep these bounds: the first word's scores lie within `4B` of each other.) So every sum the decoder forms, a
/// relative score plus a transition plus an emission, lies within `14B < 2^24` and is exact in `f32`; and
/// with `B = 2^20` nothing needs checking per step, only the inputs once.
const NARROW_INPUT: i32 = 1 << 20;

/// `true` when every value lies in `-bound..=bound` (`bound` positive). Without an early exit, so that the loop
/// compiles to a few vector instructions: the decoder checks every emission row.
#[inline]
fn within(xs: &[i32], bound: i32) -> bool {
    let span = 2 * bound as u32;
    xs.iter().fold(0u32, |bad, &x| bad | u32::from(x.wrapping_add(bound) as u32 > span)) == 0
}

/// Tags that may follow a sentence start, `O`, `L-X` or `U-X`: `O`, `B-X`, `U-X` (BILOU indices, see `tags.rs`).
const OPENERS: [usize; 9] = [0, 1, 4, 5, 8, 9, 12, 13, 16];
/// Tags an opener may follow: `O`, `L-X`, `U-X` (and the sentence start), ascending.
const CLOSERS: [usize; 9] = [0, 3, 4, 7, 8, 11, 12, 15, 16];

/// Lanes of the fast decoder's scores: five groups of four ([`Quad`]), one lane a type, so that each step is a
/// few vector operations: `B-*` (group 0), `U-*` (1), `O` and three copies of it (2), `L-*` (3), `I-*` (4).
/// The openers are groups 0–2.
const LANES: usize = 20;
const O_GROUP: usize = 2;

/// Four lanes.
type Quad = [f32; 4];

/// The tag of each lane.
const TAG_OF_LANE: [usize; LANES] = {
    let mut t = [0usize; LANES];
    let mut k = 0;
    while k < 4 {
        t[k] = 1 + 4 * k;
        t[4 + k] = 4 + 4 * k;
        t[12 + k] = 3 + 4 * k;
        t[16 + k] = 2 + 4 * k;
        k += 1;
    }
    t
};

/// The lane of each tag.
const LANE_OF: [usize; NT] = {
    let mut l = [0usize; NT];
    let mut j = LANES;
    while j > 0 {
        j -= 1;
        l[TAG_OF_LANE[j]] = j;
    }
    l
};

/// The closers in the order the forward pass takes them: `O`, the `U-*`, the `L-*` (the order of a maximum does
/// not matter; ties are settled in the backtrack, in [`CLOSERS`] order).
const FORWARD_CLOSERS: [usize; 9] = [0, 4, 8, 12, 16, 3, 7, 11, 15];

/// Score of the states a sentence cannot start in (`I-X`, `L-X`): far below any real score (`14B`, see
/// [`NARROW_INPUT`]), and `f32` sums with it stay far below.
const NEG: f32 = -1_073_741_824.0;

/// The transitions as the fast decoder reads them; built once for a document's pass ([`decode_all`]).
#[derive(Debug, Clone)]
pub(crate) struct Steps {
    /// Sentence start to each lane (`NEG` for `L-*`, `I-*`).
    start: [Quad; 5],
    /// Per closer ([`FORWARD_CLOSERS`] order): to each opener lane (groups 0–2).
    open: [[Quad; 3]; 9],
    /// Per type: `B-X → I-X`, `I-X → I-X`, `B-X → L-X`, `I-X → L-X`.
    cont: [Quad; 4],
    /// All transitions (`TRANS_LEN`), for the back pointers.
    tr: [f32; TRANS_LEN],
}

impl Steps {
    /// `None` when `trans` is short or has a weight beyond [`NARROW_INPUT`] (then [`Viterbi::decode_wide`]
    /// decodes).
    pub(crate) fn new(trans: &[i32]) -> Option<Steps> {
        let tr: &[i32; TRANS_LEN] = trans.get(..TRANS_LEN)?.try_into().ok()?;
        if !within(tr, NARROW_INPUT) {
            return None;
        }
        // Exact: every weight is within 2^20.
        let f = |p: usize, t: usize| tr[p * NT + t] as f32;
        let opener = |p: usize| std::array::from_fn(|g| std::array::from_fn(|k| f(p, TAG_OF_LANE[4 * g + k])));
        Some(Steps {
            start: std::array::from_fn(|g| {
                std::array::from_fn(|k| if g <= O_GROUP { f(NT, TAG_OF_LANE[4 * g + k]) } else { NEG })
            }),
            open: FORWARD_CLOSERS.map(opener),
            cont: [(0, 1), (1, 1), (0, 2), (1, 2)]
                .map(|(b, a)| std::array::from_fn(|k| f(1 + 4 * k + b, 1 + 4 * k + a))),
            tr: tr.map(|x| x as f32),
        })
    }
}

#[inline(always)]
fn add4(a: Quad, b: Quad) -> Quad {
    [a[0] + b[0], a[1] + b[1], a[2] + b[2], a[3] + b[3]]
}

/// The larger of each pair (a form the compiler turns into one `maxps`).
#[inline(always)]
fn max4(a: Quad, b: Quad) -> Quad {
    let m = |x: f32, y: f32| if x > y { x } else { y };
    [m(a[0], b[0]), m(a[1], b[1]), m(a[2], b[2]), m(a[3], b[3])]
}

/// A word's emission row in lanes (zeros for a missing row), and the largest absolute value in it.
#[inline(always)]
fn lanes_of(row: Option<&[i32]>) -> ([Quad; 5], Quad) {
    let Some(r) = row.and_then(|r| <&[i32; NT]>::try_from(r).ok()) else {
        return ([[0.0; 4]; 5], [0.0; 4]);
    };
    // Per type: B, I, L, U; then transposed into the lane groups.
    let t: [Quad; 4] = std::array::from_fn(|k| std::array::from_fn(|j| r[1 + 4 * k + j] as f32));
    let o = r[0] as f32;
    let e = [
        [t[0][0], t[1][0], t[2][0], t[3][0]],
        [t[0][3], t[1][3], t[2][3], t[3][3]],
        [o; 4],
        [t[0][2], t[1][2], t[2][2], t[3][2]],
        [t[0][1], t[1][1], t[2][1], t[3][1]],
    ];
    let abs = |q: Quad| q.map(f32::abs);
    let big = max4(max4(abs(t[0]), abs(t[1])), max4(abs(t[2]), abs(t[3])));
    (e, max4(big, [o.abs(); 4]))
}

impl Viterbi {
    /// Best tag sequence (as indices in `self.best`) for `n` words with emission scores `emit` (word `i`'s
    /// at `i * stride`, `NT` of them) and transitions `trans` (`TRANS_LEN`), never producing an `I-X` that does
    /// not continue `X`.
    ///
    /// The BILOU constraints are written out: an opener (`O`, `B-X`, `U-X`) follows a closer (`O`, `L-*`,
    /// `U-*`); `I-X` and `L-X` follow `B-X` or `I-X`. Ties go to the lowest previous tag.
    pub(crate) fn decode(&mut self, n: usize, emit: &[i32], stride: usize, trans: &[i32]) {
        let steps = Steps::new(trans);
        self.decode_with(n, emit, stride, trans, steps.as_ref());
    }

    /// [`Viterbi::decode`] with the fast decoder's view of `trans` built beforehand (`Steps::new(trans)`).
    pub(crate) fn decode_with(&mut self, n: usize, emit: &[i32], stride: usize, trans: &[i32], steps: Option<&Steps>) {
        self.best.clear();
        if n == 0 {
            return;
        }
        if !steps.is_some_and(|st| self.decode_narrow(n, emit, stride, st)) {
            self.decode_wide(n, emit, stride, trans);
        }
    }

    /// [`Viterbi::decode`] in `f32`, the fast path, exact for inputs within [`NARROW_INPUT`] (see there): scores
    /// are kept relative to the `O` tag's (subtracting the same amount from every state of a word changes no
    /// comparison), so the path and its ties are those of [`Viterbi::decode_wide`]. Each step takes the best of
    /// the nine closers for the twelve opener lanes, and of `B-X`, `I-X` for `I-X`, `L-X`, with no back pointers;
    /// the backtrack compares again the few candidates of the path's tags. Returns `false` when an emission
    /// exceeds `NARROW_INPUT` (the caller then decodes in `i64`).
    fn decode_narrow(&mut self, n: usize, emit: &[i32], stride: usize, st: &Steps) -> bool {
        let row = |i: usize| emit.get(i * stride..i * stride + NT);
        self.scores.clear();
        let (e0, mut big) = lanes_of(row(0));
        let mut s: [Quad; 5] = std::array::from_fn(|g| add4(st.start[g], e0[g]));
        self.scores.push(s);
        for i in 1..n {
            let (e, b) = lanes_of(row(i));
            big = max4(big, b);
            // Openers: the best closer.
            let splat = |x: f32| [x; 4];
            let o = &st.open;
            let mut acc = o[0].map(|t| add4(splat(s[O_GROUP][0]), t));
            for k in 0..4 {
                let (u, l) = (splat(s[1][k]), splat(s[3][k]));
                for g in 0..3 {
                    acc[g] = max4(acc[g], add4(u, o[1 + k][g]));
                    acc[g] = max4(acc[g], add4(l, o[5 + k][g]));
                }
            }
            // Inside and last: the better of `B-X` and `I-X`.
            let c = &st.cont;
            let ins = max4(add4(s[0], c[0]), add4(s[4], c[1]));
            let last = max4(add4(s[0], c[2]), add4(s[4], c[3]));
            let next = [acc[0], acc[1], acc[2], last, ins];
            let base = splat(next[O_GROUP][0] + e[O_GROUP][0]);
            s = std::array::from_fn(|g| {
                let x = add4(next[g], e[g]);
                [x[0] - base[0], x[1] - base[1], x[2] - base[2], x[3] - base[3]]
            });
            // The bound of `NARROW_INPUT`'s proof, for inputs within it so far.
            debug_assert!(
                !big.iter().all(|&x| x <= NARROW_INPUT as f32)
                    || s.as_flattened().iter().all(|&x| x.abs() <= 12.0 * NARROW_INPUT as f32),
                "{s:?}"
            );
            self.scores.push(s);
        }
        // (Converted integers: no NaN.)
        if big.iter().any(|&x| x > NARROW_INPUT as f32) {
            return false;
        }
        let flat = |s: &[Quad; 5], t: usize| s.as_flattened()[LANE_OF[t]];
        self.best.resize(n, 0);
        self.best[n - 1] = best_last(|t| flat(&s, t));
        for i in (1..n).rev() {
            // (A tag, so below `NT`: the bound lets the compiler drop the index checks of `cand`.)
            let t = usize::from(self.best[i]).min(NT - 1);
            let prev = &self.scores[i - 1];
            let cand = |p: usize| flat(prev, p) + st.tr[p * NT + t];
            let role = (t + 3) % 4;
            let p = if t == 0 || role == 0 || role == 3 {
                // An opener: the best closer, the lowest on ties.
                let (mut bp, mut bv) = (CLOSERS[0], cand(CLOSERS[0]));
                for &p in &CLOSERS[1..] {
                    let v = cand(p);
                    if v > bv {
                        (bp, bv) = (p, v);
                    }
                }
                bp
            } else {
                // `I-X` or `L-X`: after `B-X` unless `I-X` is strictly better.
                let b0 = t - role;
                if cand(b0 + 1) > cand(b0) {
                    b0 + 1
                } else {
                    b0
                }
            };
            self.best[i - 1] = p as u8;
        }
        true
    }

    /// [`Viterbi::decode`] in `i64`, for any scores.
    fn decode_wide(&mut self, n: usize, emit: &[i32], stride: usize, trans: &[i32]) {
        // Impossible states score far below any real path but cannot overflow when sums are added to them.
        const NEG: i64 = i64::MIN / 4;
        let tr: &[i32; TRANS_LEN] = match trans.get(..TRANS_LEN).and_then(|t| t.try_into().ok()) {
            Some(t) => t,
            None => return self.best.resize(n, 0),
        };
        let row = |i: usize| -> [i64; NT] {
            let mut r = [0i64; NT];
            if let Some(e) = emit.get(i * stride..i * stride + NT) {
                for (x, &y) in r.iter_mut().zip(e) {
                    *x = i64::from(y);
                }
            }
            r
        };
        let e0 = row(0);
        let mut score = [NEG; NT];
        for &t in &OPENERS {
            score[t] = i64::from(tr[NT * NT + t]) + e0[t];
        }
        // The transitions the constraints allow, as fixed arrays: opener a from closer b; per type k, I and L
        // (a = 0, 1) from B and I (b = 0, 1).
        let mut open = [[0i64; 9]; 9];
        for (a, &t) in OPENERS.iter().enumerate() {
            for (b, &p) in CLOSERS.iter().enumerate() {
                open[a][b] = i64::from(tr[p * NT + t]);
            }
        }
        let cont: [[[i64; 2]; 2]; 4] = continuations(tr);
        self.back.clear();
        self.back.resize(n, [0; NT]);
        for i in 1..n {
            let e = row(i);
            let mut next = [NEG; NT];
            let back = &mut self.back[i];
            let closed = CLOSERS.map(|p| score[p]);
            for (a, &t) in OPENERS.iter().enumerate() {
                let (mut best, mut arg) = (NEG, 0usize);
                for b in 0..9 {
                    let s = closed[b] + open[a][b];
                    if s > best {
                        best = s;
                        arg = b;
                    }
                }
                next[t] = best + e[t];
                back[t] = CLOSERS[arg] as u8;
            }
            for (k, c) in cont.iter().enumerate() {
                let b0 = 1 + 4 * k;
                for (a, ca) in c.iter().enumerate() {
                    let t = b0 + 1 + a;
                    let (s0, s1) = (score[b0] + ca[0], score[b0 + 1] + ca[1]);
                    // Ties go to the lower tag (B); a score not above NEG keeps the default 0, as the generic loop.
                    let (best, arg) = if s1 > s0 && s1 > NEG {
                        (s1, b0 + 1)
                    } else if s0 > NEG {
                        (s0, b0)
                    } else if s1 > NEG {
                        (s1, b0 + 1)
                    } else {
                        (NEG, 0)
                    };
                    next[t] = best + e[t];
                    back[t] = arg as u8;
                }
            }
            score = next;
        }
        self.backtrack(n, &score);
    }

    /// Fills `best` for `n` words: the highest-scoring tag that may end a sentence (the first on ties), then the
    /// back pointers from it.
    fn backtrack<S: PartialOrd + Copy>(&mut self, n: usize, score: &[S; NT]) {
        self.best.resize(n, 0);
        self.best[n - 1] = best_last(|t| score[t]);
        for i in (1..n).rev() {
            self.best[i - 1] = self.back[i][usize::from(self.best[i])];
        }
    }
}

/// The highest-scoring tag that may end a sentence, the first on ties (`score(t)`: tag `t`'s final score).
fn best_last<S: PartialOrd>(score: impl Fn(usize) -> S) -> u8 {
    let mut last = 0;
    for t in 1..NT {
        if allowed_last(t) && score(t) > score(last) {
            last = t;
        }
    }
    last as u8
}

/// The transitions inside an entity, for both decoders: `[k][a][b]` is the weight of `I-X` (a = 0) or `L-X`
/// (a = 1) of type `k` after its `B-X` (b = 0) or `I-X` (b = 1).
fn continuations<T: From<i32> + Copy + Default>(tr: &[i32; TRANS_LEN]) -> [[[T; 2]; 2]; 4] {
    let mut cont = [[[T::default(); 2]; 2]; 4];
    for (k, c) in cont.iter_mut().enumerate() {
        for (a, ca) in c.iter_mut().enumerate() {
            for (b, x) in ca.iter_mut().enumerate() {
                *x = T::from(tr[(1 + 4 * k + b) * NT + 2 + 4 * k + a]);
            }
        }
    }
    cont
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

    /// Builds a model from one or two trained passes (`window`: the second pass's document window); weights
    /// are coded to 8 bits ([`code_of`]) and features whose codes are all zero are dropped.
    pub(crate) fn from_stages(lexicon: Lexicon, first: Stage, second: Option<Stage>, window: usize) -> NerModel {
        let mut all: Vec<(u32, usize, [i16; NT])> = first.features.into_iter().map(|(k, w)| (k, 0, w)).collect();
        let trans2 = second.map(|s| {
            all.extend(s.features.into_iter().map(|(k, w)| (k, 1, w)));
            s.trans
        });
        all.sort_unstable_by_key(|f| (f.0, f.1));
        let mut feats: Vec<(u32, [i8; W2])> = Vec::new();
        for (k, stage, w) in all {
            if feats.last().is_none_or(|f| f.0 != k) {
                feats.push((k, [0; W2]));
            }
            if let Some(f) = feats.last_mut() {
                for (c, &v) in f.1[stage * NT..(stage + 1) * NT].iter_mut().zip(&w) {
                    *c = code_of(v);
                }
            }
        }
        feats.retain(|f| f.0 != 0 && f.1.iter().any(|&c| c != 0));
        NerModel::from_features(lexicon, &feats, first.trans, trans2, window)
    }

    /// Builds the lookup structures over features with distinct non-zero keys.
    fn from_features(
        lexicon: Lexicon,
        feats: &[(u32, [i8; W2])],
        trans: Vec<i32>,
        trans2: Option<Vec<i32>>,
        window: usize,
    ) -> NerModel {
        let cap = (feats.len() * 4 / 3 + 1).next_power_of_two().max(16);
        let mut keys = vec![0u32; cap];
        let mut table = vec![[0i16; W2]; cap];
        let mask = cap - 1;
        for &(k, codes) in feats {
            let mut slot = mix(k) & mask;
            while keys[slot] != 0 && keys[slot] != k {
                slot = (slot + 1) & mask;
            }
            keys[slot] = k;
            // Every weight fits: the largest code stands for 32,767.
            table[slot] = codes.map(|c| weight(c) as i16);
        }
        let mut m = NerModel {
            lexicon,
            trans,
            trans2,
            window,
            features: keys.iter().filter(|&&k| k != 0).count(),
            keys,
            weights: table,
            edge_rows: Vec::new(),
            bias_row: [0; W2],
            stack: Vec::new(),
            gaz_rows: Vec::new(),
        };
        let mut edge_rows = vec![0; ROW];
        let mut keys = Vec::new();
        for d in [-2isize, -1, 1, 2] {
            keys.clear();
            context_keys(&WordInfo::edge(d > 0), d, &mut keys);
            let at = (d + 2) as usize * W2;
            for &k in &keys {
                let row = edge_rows.get_mut(at..at + W2).and_then(|r| <&mut [i32; W2]>::try_from(r).ok());
                if let (Some(w), Some(row)) = (m.lookup(k), row) {
                    add_row(row, w);
                }
            }
        }
        m.edge_rows = edge_rows;
        let mut bias_row = [0; W2];
        if let Some(w) = m.lookup(pair_head(&[WordInfo::edge(false)], 0)[0]) {
            add_row(&mut bias_row, w);
        }
        m.bias_row = bias_row;
        m.stack = (0..STACK_SLOTS).map(|slot| m.stack_row(slot as u16)).collect();
        let gaz_rows = (0..64)
            .map(|b| gaz_key(0, b))
            .chain((0..8).map(|b| gaz_key(1, b)))
            .chain((0..8).map(|b| gaz_key(2, b)))
            .map(|k| m.lookup(k).map_or([0; W2], |c| c.map(i32::from)))
            .collect();
        m.gaz_rows = gaz_rows;
        m
    }

    /// Adds the weights (first pass and second, `W2`) of every key `keys[i]` the model has to
    /// `out[dst[i]..dst[i] + W2]`, in order.
    ///
    /// The lookups go in two sweeps: first the probes of the key table (small, in the processor's cache), which
    /// note the slot of every known key, then the weights of those slots. The loads of the second sweep do
    /// not depend on each other, so the memory system serves many at once instead of one cache miss after
    /// another (the tagger is bound by the latency of these random reads, not by instructions).
    fn add_batch(&self, keys: &[u32], dst: &[u32], out: &mut [i32], sel: &mut Vec<(u32, u32)>) {
        sel.clear();
        let mut touch = 0i16;
        for (&k, &at) in keys.iter().zip(dst) {
            if let Some(slot) = self.find(k) {
                // Both ends of the weights (68 bytes span two cache lines): the loads start now.
                if let Some(c) = self.weights.get(slot) {
                    touch ^= c[0] ^ c[W2 - 1];
                }
                sel.push((slot as u32, at));
            }
        }
        std::hint::black_box(touch);
        // The keys of one destination are consecutive: their rows are summed in registers, and the sums stored
        // once a destination.
        let mut rest = sel.as_slice();
        while let Some(&(_, at)) = rest.first() {
            let run = rest.iter().take_while(|s| s.1 == at).count();
            let (group, tail) = rest.split_at(run);
            rest = tail;
            let at = at as usize;
            let Some(o) = out.get_mut(at..at + W2).and_then(|o| <&mut [i32; W2]>::try_from(o).ok()) else {
                continue;
            };
            let mut acc = Acc::<ACC_GROUPS>::load(o);
            for &(slot, _) in group {
                if let Some(ws) = self.weights.get(slot as usize) {
                    acc.add(ws);
                }
            }
            acc.store(o);
        }
    }

    /// The slot of `key` in the table, if the model has it.
    #[inline]
    fn find(&self, key: u32) -> Option<usize> {
        let mask = self.keys.len().checked_sub(1)?;
        let mut slot = mix(key) & mask;
        loop {
            let k = *self.keys.get(slot)?;
            if k == key {
                return Some(slot);
            }
            if k == 0 {
                return None;
            }
            slot = (slot + 1) & mask;
        }
    }

    /// The weights of feature `key` (both passes, decoded from their codes), if the model has it.
    #[inline]
    pub(crate) fn lookup(&self, key: u32) -> Option<&[i16; W2]> {
        self.weights.get(self.find(key)?)
    }

    /// The second-pass weights of stacked slot `slot` ([`stack_key`]), zeros when the model lacks the feature.
    ///
    /// Every word has exactly one own-tag feature (template 40, its tag `t`) and one previous-and-own feature
    /// (41, a previous tag and `t`) ([`crate::features::stack_features`]): the own-tag row is folded into each
    /// previous-and-own row of the same `t` and read as absent itself, so that a word adds one row fewer.
    fn stack_row(&self, slot: u16) -> [i32; NT] {
        let row =
            |m: &NerModel, s: u16| m.lookup(stack_key(s)).map(|ws| std::array::from_fn(|t| i32::from(ws[NT + t])));
        let found: Option<[i32; NT]> = match stack_slot_parts(slot) {
            (40, _, _) => None,
            (41, _, Some(t)) => match (row(self, slot), row(self, stack_slot(40, t, None))) {
                (Some(p), Some(a)) => Some(std::array::from_fn(|k| p[k] + a[k])),
                (p, a) => p.or(a),
            },
            _ => row(self, slot),
        };
        found.unwrap_or([0; NT])
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
        if bytes.get(..8) != Some(&MAGIC[..]) {
            return Err(ModelError::BadMagic);
        }
        let mut body = Vec::new();
        let mut inflate = flate2::read::DeflateDecoder::new(&bytes[8..]);
        std::io::Read::read_to_end(&mut std::io::Read::take(&mut inflate, MAX_BODY as u64), &mut body)
            .map_err(|_| ModelError::Compression)?;
        let rest = (bytes.len() - 8).saturating_sub(inflate.total_in() as usize);
        if rest != 0 {
            return Err(ModelError::Trailing(rest));
        }
        let mut r = Reader { b: &body, pos: 0 };
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
        let mut feats: Vec<(u32, [i8; W2])> = Vec::with_capacity(n.min(body.len() / 3));
        let mut key = 0u64;
        for rec in 0..n {
            let delta = r.varint()?;
            key += delta;
            if delta == 0 || key > u64::from(u32::MAX) {
                return Err(ModelError::KeyOrder(rec));
            }
            feats.push((key as u32, [0; W2]));
        }
        let mut masks = Vec::with_capacity(feats.len());
        for rec in 0..n {
            let mask = r.varint()?;
            if mask == 0 || mask >> width != 0 {
                return Err(ModelError::BadRecord(rec));
            }
            masks.push(mask);
        }
        for (rec, (f, &mask)) in feats.iter_mut().zip(&masks).enumerate() {
            for (t, c) in f.1.iter_mut().enumerate().filter(|(t, _)| mask & (1 << t) != 0) {
                let _ = t;
                *c = r.take(1)?[0] as i8;
                if *c == 0 || *c == i8::MIN {
                    return Err(ModelError::BadRecord(rec));
                }
            }
        }
        if r.pos != body.len() {
            return Err(ModelError::Trailing(body.len() - r.pos));
        }
        Ok(NerModel::from_features(lexicon, &feats, trans, trans2, window))
    }

    /// Writes the model file (deterministic: same model, same bytes).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        let lex = self.lexicon.to_text();
        out.extend_from_slice(&(lex.len() as u32).to_le_bytes());
        out.extend_from_slice(lex.as_bytes());
        out.extend_from_slice(&(self.window as u32).to_le_bytes());
        out.push(if self.trans2.is_some() { 2 } else { 1 });
        for &t in self.trans.iter().chain(self.trans2.iter().flatten()) {
            out.extend_from_slice(&t.to_le_bytes());
        }
        // The codes again: a decoded weight's nearest code is its own (weights are strictly monotone in codes).
        let mut feats: Vec<(u32, [i8; W2])> =
            self.keys.iter().zip(&self.weights).filter(|s| *s.0 != 0).map(|(&k, w)| (k, w.map(code_of))).collect();
        feats.sort_unstable_by_key(|s| s.0);
        out.extend_from_slice(&(feats.len() as u32).to_le_bytes());
        let mut prev = 0u32;
        for &(k, _) in &feats {
            put_varint(&mut out, u64::from(k - prev));
            prev = k;
        }
        for (_, codes) in &feats {
            let mask = codes.iter().enumerate().filter(|(_, &c)| c != 0).fold(0u64, |m, (t, _)| m | 1 << t);
            put_varint(&mut out, mask);
        }
        for (_, codes) in &feats {
            out.extend(codes.iter().filter(|&&c| c != 0).map(|&c| c as u8));
        }
        let mut file = MAGIC.to_vec();
        let mut deflate = flate2::write::DeflateEncoder::new(&mut file, flate2::Compression::best());
        // Writing to a Vec cannot fail.
        let _ = std::io::Write::write_all(&mut deflate, &out);
        let _ = deflate.finish();
        file
    }

    /// Number of features with weights.
    pub fn feature_count(&self) -> usize {
        self.features
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
    /// A word's emission scores are the cached unit-feature sums of the words at offsets −2 … +2 (new word types
    /// enter the cache only after the whole document's sums are read, so a slot reused within it does no harm),
    /// plus the few sentence-dependent features ([`pair_head`], [`pair_rest_split`]).
    fn run(&self, text: &str, words: &[std::ops::Range<usize>], sent_off: &[usize], sc: &mut Scratch) {
        self.emissions(text, words, sent_off, sc);
        decode_all(&mut sc.vit, sent_off, &sc.emit, 0, &self.trans, &mut sc.labels);
        let Some(trans2) = &self.trans2 else {
            return;
        };
        let (emit, stacker) = (&mut sc.emit, &mut sc.stacker);
        stacker.run_slots(&sc.stems, &sc.labels, sent_off, self.window, |w, slots| {
            let Some(e) = emit.get_mut(w * W2 + NT..(w + 1) * W2).and_then(|e| <&mut [i32; NT]>::try_from(e).ok())
            else {
                return;
            };
            // Summed in registers, stored once.
            let mut acc = Acc::<STACK_GROUPS>::load(e);
            for &slot in slots {
                if let Some(row) = self.stack.get(usize::from(slot)) {
                    acc.add(row);
                }
            }
            acc.store(e);
        });
        decode_all(&mut sc.vit, sent_off, &sc.emit, NT, trans2, &mut sc.labels);
    }

    /// Both passes' scores from the word features (without the stacked ones) into `sc.emit`.
    ///
    /// In sweeps over the whole document, so that independent memory reads overlap: the words' hashes, the
    /// cache probes, the unit features of the word types the cache lacks (one batch of lookups), the row sums,
    /// then the sentence-dependent features of every word (one batch). New word types enter the cache at the end.
    fn emissions(&self, text: &str, words: &[std::ops::Range<usize>], sent_off: &[usize], sc: &mut Scratch) {
        let n_words = words.len();
        // Every word's scores start at the bias row (the bias feature of `pair_head`, which every word has).
        sc.emit.clear();
        for _ in 0..n_words {
            sc.emit.extend_from_slice(&self.bias_row);
        }
        sc.infos.clear();
        sc.stems.clear();
        if sc.cache.slots.is_empty() {
            sc.cache.slots =
                vec![CacheSlot { info: WordInfo::default(), own: [0; W2], ctx: [0; ROW - W2] }; CACHE_SETS * WAYS];
            sc.cache.last = vec![0; CACHE_SETS];
            sc.cache.tags = vec![[0; WAYS]; CACHE_SETS];
        }
        let word = |j: usize| words.get(j).and_then(|r| text.get(r.clone())).unwrap_or("");
        // Hashes and cache probes.
        sc.whash.clear();
        sc.whash.extend((0..n_words).map(|j| word_hash(word(j))));
        sc.wsrc.clear();
        let tags = &sc.cache.tags;
        sc.wsrc.extend(sc.whash.iter().map(|&h| {
            let set = cache_set(h);
            let [k0, k1] = tags.get(set).copied().unwrap_or([0; WAYS]);
            if k0 == h {
                (set * WAYS) as u32
            } else if k1 == h {
                (set * WAYS + 1) as u32
            } else {
                MISS
            }
        }));
        // Touch every cache line of the slots that hit, in one sweep of independent loads: the memory system
        // fetches them together, and the row sums below find them in the processor's cache instead of waiting
        // for one slot after another.
        let mut touch = 0i32;
        for &src in &sc.wsrc {
            if let Some(e) = sc.cache.slots.get(src as usize) {
                touch ^= e.info.hash as i32;
                for k in (0..W2).step_by(16) {
                    touch ^= e.own[k];
                }
                for k in (0..ROW - W2).step_by(32) {
                    touch ^= i32::from(e.ctx[k]);
                }
            }
        }
        std::hint::black_box(touch);
        for &src in &sc.wsrc {
            if src & MISS == 0 {
                let slot = src as usize;
                if let Some(l) = sc.cache.last.get_mut(slot / WAYS) {
                    *l = (slot % WAYS) as u8;
                }
            }
        }
        // New word types: one entry per distinct hash, their unit features looked up in one batch.
        sc.misses.clear();
        for (j, (&h, &src)) in sc.whash.iter().zip(&sc.wsrc).enumerate() {
            if src & MISS != 0 {
                sc.misses.push((h, j as u32));
            }
        }
        sc.misses.sort_unstable();
        sc.misses.dedup_by_key(|m| m.0);
        sc.minfo.clear();
        sc.mrows.clear();
        sc.mrows.resize(sc.misses.len() * ROW, 0);
        sc.bkeys.clear();
        sc.bdst.clear();
        for (x, &(_, j)) in sc.misses.iter().enumerate() {
            let w = word(j as usize);
            let info = WordInfo::new(w, &self.lexicon);
            sc.minfo.push(info);
            for d in -2isize..=2 {
                let before = sc.bkeys.len();
                if d == 0 {
                    lexical_keys(&info, &mut sc.bkeys);
                    own_keys(w, &info, &mut sc.bkeys);
                } else {
                    context_keys(&info, d, &mut sc.bkeys);
                }
                let at = (x * ROW + (d + 2) as usize * W2) as u32;
                sc.bdst.resize(sc.bdst.len() + sc.bkeys.len() - before, at);
            }
        }
        self.add_batch(&sc.bkeys, &sc.bdst, &mut sc.mrows, &mut sc.sel);
        for (&h, src) in sc.whash.iter().zip(sc.wsrc.iter_mut()) {
            if *src & MISS != 0 {
                let x = sc.misses.partition_point(|m| m.0 < h);
                *src = MISS | x as u32;
            }
        }
        // Row sums and the sentence-dependent keys.
        sc.bkeys.clear();
        sc.bdst.clear();
        for s in sent_off.windows(2) {
            let (a, b) = (s[0], s[1]);
            for &src in &sc.wsrc[a..b] {
                let info =
                    if src & MISS != 0 { sc.minfo[(src & !MISS) as usize] } else { sc.cache.slots[src as usize].info };
                sc.infos.push(info);
                sc.stems.push(info.stem);
            }
            match_gaz(&self.lexicon, &sc.infos[a..b], &mut sc.gaz);
            for i in a..b {
                let before = sc.bkeys.len();
                // The bias (the first key) is the row `emit` starts from.
                sc.bkeys.extend_from_slice(&pair_head(&sc.infos[a..b], i - a)[1..]);
                let (g, nb) = pair_rest_split(&sc.infos[a..b], &sc.gaz, i - a, &mut sc.bkeys);
                sc.bdst.resize(sc.bdst.len() + sc.bkeys.len() - before, (i * W2) as u32);
                // Word i's sums, gathered in registers and stored once (after the calls above, which would
                // spill them): the row each word at offset −2 … +2 gives it, or the edge's outside the sentence,
                // then the gazetteer matches from the dense rows; the other keys wait for the batch.
                // `emit` has a row for every word.
                let Some(e) = row_mut(&mut sc.emit, i) else { continue };
                let mut acc = Acc::<ACC_GROUPS>::load(e);
                for d in 0..OFFSETS {
                    // The word at offset d − 2, whose row d goes to word i.
                    let j = (i + d).wrapping_sub(2);
                    if j >= a && j < b {
                        let src = sc.wsrc[j];
                        if src & MISS != 0 {
                            let x = (src & !MISS) as usize;
                            let at = x * ROW + d * W2;
                            if let Some(r) = sc.mrows.get(at..at + W2).and_then(|r| <&[i32; W2]>::try_from(r).ok()) {
                                acc.add(r);
                            }
                        } else if let Some(slot) = sc.cache.slots.get(src as usize) {
                            slot.add_to(d, &mut acc);
                        }
                    } else if d != 2 {
                        if let Some(edge) =
                            self.edge_rows.get(d * W2..(d + 1) * W2).and_then(|r| <&[i32; W2]>::try_from(r).ok())
                        {
                            acc.add(edge);
                        }
                    }
                }
                let bits = [g, u64::from(nb[0]), u64::from(nb[1])];
                for (side, mut bits) in bits.into_iter().enumerate() {
                    while bits != 0 {
                        let bit = bits.trailing_zeros() as usize;
                        bits &= bits - 1;
                        let base = [0, 64, 72][side];
                        if let Some(row) = self.gaz_rows.get(base + bit) {
                            acc.add(row);
                        }
                    }
                }
                acc.store(e);
            }
        }
        self.add_batch(&sc.bkeys, &sc.bdst, &mut sc.emit, &mut sc.sel);
        // The new word types enter the cache (a later one of the same slot replaces an earlier one).
        for (x, &(h, _)) in sc.misses.iter().enumerate() {
            let Some(rows) = sc.mrows.get(x * ROW..(x + 1) * ROW) else { continue };
            let (head, rest) = rows.split_at(2 * W2);
            let (own, tail) = rest.split_at(W2);
            let (Ok(head), Ok(tail)) = (<&[i32; 2 * W2]>::try_from(head), <&[i32; 2 * W2]>::try_from(tail)) else {
                continue;
            };
            if !fits_i16(head) || !fits_i16(tail) {
                continue;
            }
            let set = cache_set(h);
            let Some(last) = sc.cache.last.get_mut(set) else { continue };
            let way = (usize::from(*last) + 1) % WAYS;
            *last = way as u8;
            if let (Some(e), Some(t)) = (sc.cache.slots.get_mut(set * WAYS + way), sc.cache.tags.get_mut(set)) {
                t[way] = h;
                e.info = sc.minfo[x];
                e.own.copy_from_slice(own);
                let (c0, c1) = e.ctx.split_at_mut(2 * W2);
                if let (Ok(c0), Ok(c1)) = (<&mut [i16; 2 * W2]>::try_from(c0), <&mut [i16; 2 * W2]>::try_from(c1)) {
                    narrow_rows(c0, head);
                    narrow_rows(c1, tail);
                }
            }
        }
    }
}

/// `true` when every value fits an `i16` (no early exit: the loop compiles to a few vector instructions).
#[inline]
fn fits_i16(xs: &[i32; 2 * W2]) -> bool {
    xs.iter().fold(0u32, |bad, &v| bad | u32::from(v.wrapping_add(32768) as u32 > 65535)) == 0
}

/// Two rows of sums as `i16` (each fits, see [`fits_i16`]); fixed lengths, not inlined, so that it vectorises.
#[inline(never)]
fn narrow_rows(dst: &mut [i16; 2 * W2], src: &[i32; 2 * W2]) {
    for k in 0..2 * W2 {
        dst[k] = src[k] as i16;
    }
}

/// The word cache set of a word hash.
#[inline]
fn cache_set(h: u64) -> usize {
    (h.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - CACHE_SETS.trailing_zeros())) as usize
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
    let steps = Steps::new(trans);
    for s in sent_off.windows(2) {
        let from = (s[0] * W2 + off).min(emit.len());
        vit.decode_with(s[1] - s[0], &emit[from..], W2, trans, steps.as_ref());
        labels.extend_from_slice(&vit.best);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tags::EntityType;
    use proptest::prelude::*;

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
            all.iter().map(|&k| (k, std::array::from_fn(|t| (((k >> t) & 0xFF) as i16 - 128) * 200 + 1))).collect();
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

    /// A model of `n` features with keys `1..=n` and random rows (the full `i16` range), first pass and second.
    fn random_model(n: u32, seed: u64) -> NerModel {
        let mut x = seed | 1;
        let mut rnd = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let mut rows = || -> Vec<(u32, [i16; NT])> {
            (1..=n).map(|k| (k, std::array::from_fn(|_| (rnd() % 65_535) as i16 ^ i16::MIN))).collect()
        };
        let (first, second) = (rows(), rows());
        NerModel::from_stages(
            Lexicon::new(),
            Stage { features: first, trans: vec![0; TRANS_LEN] },
            Some(Stage { features: second, trans: vec![0; TRANS_LEN] }),
            1,
        )
    }

    proptest! {
        /// `add_batch`'s sums (each destination's rows added in registers, stored once) equal a row added to the
        /// output for every known key, in order; destinations repeat, in runs and apart, and some keys are
        /// unknown.
        #[test]
        fn batched_rows_equal_one_add_a_key(
            items in prop::collection::vec((0u32..40, 0u32..6), 0..120),
            start in prop::collection::vec(-100_000i32..100_000, 6 * W2),
        ) {
            let m = random_model(30, 0x9E37_79B9_7F4A_7C15);
            let (keys, dst): (Vec<u32>, Vec<u32>) = items.iter().map(|&(k, d)| (k, d * W2 as u32)).unzip();
            let mut fast = start.clone();
            m.add_batch(&keys, &dst, &mut fast, &mut Vec::new());
            let mut want = start;
            for (&k, &d) in keys.iter().zip(&dst) {
                if let Some(w) = m.lookup(k) {
                    let d = d as usize;
                    add_row(<&mut [i32; W2]>::try_from(&mut want[d..d + W2]).unwrap(), w);
                }
            }
            prop_assert_eq!(fast, want);
        }
    }

    /// The stacked rows as tagging reads them (the own-tag row folded into the previous-and-own rows, summed in
    /// an `Acc`) add up, for every word's slots, to the second-pass weights of the slots' keys; some features,
    /// own-tag and previous-and-own ones among them, are missing from the model.
    #[test]
    fn folded_stacked_rows_equal_the_features_weights() {
        use crate::features::{stack_features, STACK_SLOTS};
        let mut x = 0x2545_F491_4F6C_DD1Du64;
        let mut rnd = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let second: Vec<(u32, [i16; NT])> = (0..STACK_SLOTS as u16)
            .filter(|&s| s % 7 != 3 && stack_slot_parts(s) != (40, 5, None))
            .map(|s| (stack_key(s), std::array::from_fn(|_| ((rnd() % 60_001) as i32 - 30_000) as i16)))
            .collect();
        let m = NerModel::from_stages(
            Lexicon::new(),
            Stage { features: Vec::new(), trans: vec![0; TRANS_LEN] },
            Some(Stage { features: second, trans: vec![0; TRANS_LEN] }),
            1,
        );
        let mut slots = Vec::new();
        for own in 0..NT {
            for prev in 0..=NT {
                for next in (0..NT).chain([NT + 1]) {
                    let mut others = [0u16; NT];
                    for o in &mut others {
                        *o = (rnd() % 3) as u16 * u16::from(rnd() % 4 == 0);
                    }
                    slots.clear();
                    stack_features(own, prev, next, &others, &mut slots);
                    let mut want = [0i32; NT];
                    for &s in &slots {
                        if let Some(w) = m.lookup(stack_key(s)) {
                            for (x, &y) in want.iter_mut().zip(&w[NT..]) {
                                *x += i32::from(y);
                            }
                        }
                    }
                    let mut acc = Acc::<STACK_GROUPS>::load(&[0i32; NT]);
                    for &s in &slots {
                        if let Some(row) = m.stack.get(usize::from(s)) {
                            acc.add(row);
                        }
                    }
                    let mut got = [0i32; NT];
                    acc.store(&mut got);
                    assert_eq!(got, want, "own {own}, prev {prev}, next {next}, others {others:?}");
                }
            }
        }
    }

    #[test]
    fn stack_slot_parts_inverts_stack_slot() {
        for id in 40..50u8 {
            for a in 0..20u8 {
                for b in [None].into_iter().chain((0..20u8).map(Some)) {
                    assert_eq!(stack_slot_parts(stack_slot(id, a, b)), (id, a, b));
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

    /// The bundled model's lexicon serialises back to the very text its file holds (the lexicon keeps its
    /// records, not sorted maps, and sorts them only to serialise).
    #[test]
    fn bundled_lexicon_text_round_trips() {
        let bytes = include_bytes!("../../../data/ner/model.bin");
        let mut body = Vec::new();
        std::io::Read::read_to_end(&mut flate2::read::DeflateDecoder::new(&bytes[8..]), &mut body).unwrap();
        let n = u32::from_le_bytes(body[..4].try_into().unwrap()) as usize;
        let m = NerModel::bundled().unwrap();
        assert!(m.lexicon().to_text().as_bytes() == &body[4..4 + n]);
        assert!(!m.lexicon().is_empty() && m.lexicon().cluster_count() > 0);
    }

    #[test]
    fn within_checks_the_closed_range() {
        for (xs, ok) in [
            (&[0, 5, -5][..], true),
            (&[5, -5, 6][..], false),
            (&[-6][..], false),
            (&[i32::MIN, 0][..], false),
            (&[i32::MAX][..], false),
            (&[][..], true),
        ] {
            assert_eq!(within(xs, 5), ok, "{xs:?}");
        }
        assert!(within(&[NARROW_INPUT, -NARROW_INPUT], NARROW_INPUT));
        assert!(!within(&[NARROW_INPUT + 1], NARROW_INPUT) && !within(&[-NARROW_INPUT - 1], NARROW_INPUT));
    }

    #[test]
    fn bytes_round_trip() {
        let m = toy();
        let b = m.to_bytes();
        let m2 = NerModel::from_bytes(&b).unwrap();
        assert_eq!(m2.to_bytes(), b);
        // Feature 7 has only zero weights: dropped.
        assert_eq!(m2.feature_count(), 1);
        let w = m2.lookup(3).unwrap().map(i32::from);
        assert_eq!(&w[..3], &[0, -2, 293]);
        assert_eq!(w[NT - 1], -32767);
        assert_eq!(m2.lookup(4), None);
        assert_eq!(m2.lookup(7), None);
        assert_eq!(m2.window(), 0);
    }

    #[test]
    fn weight_codes_are_nearest_and_monotone() {
        assert_eq!((weight(0), weight(1), weight(127), weight(-127)), (0, 2, 32767, -32767));
        for c in -127i8..127 {
            assert!(weight(c) < weight(c + 1), "{c}");
        }
        // The model keeps decoded weights and writes their codes back.
        for c in -127i8..=127 {
            assert_eq!(code_of(weight(c) as i16), c);
        }
        for v in (-32767i16..=32767).step_by(13) {
            let c = code_of(v);
            let err = (weight(c) - i32::from(v)).abs();
            for n in [c.saturating_sub(1).max(-127), c.saturating_add(1)] {
                assert!(err <= (weight(n) - i32::from(v)).abs(), "{v}: code {c}, neighbour {n}");
            }
            // Relative error about 1/|c| at most (plus one for rounding).
            assert!(err <= 1 + i32::from(v).abs() / i32::from(c.unsigned_abs().max(1)), "{v}");
        }
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

    /// The written-out constraints decode exactly as a generic Viterbi over `tags::allowed` (same ties).
    #[test]
    fn decoding_matches_the_generic_constrained_viterbi() {
        use crate::tags::allowed;
        fn generic(n: usize, emit: &[i32], tr: &[i32]) -> Vec<u8> {
            const NEG: i64 = i64::MIN / 4;
            let mut score = [NEG; NT];
            for t in (0..NT).filter(|&t| allowed(None, t)) {
                score[t] = i64::from(tr[NT * NT + t]) + i64::from(emit[t]);
            }
            let mut back = vec![[0u8; NT]; n];
            for i in 1..n {
                let mut next = [NEG; NT];
                for t in 0..NT {
                    let (mut best, mut arg) = (NEG, 0u8);
                    for p in (0..NT).filter(|&p| allowed(Some(p), t)) {
                        let s = score[p] + i64::from(tr[p * NT + t]);
                        if s > best {
                            (best, arg) = (s, p as u8);
                        }
                    }
                    next[t] = best + i64::from(emit[i * NT + t]);
                    back[i][t] = arg;
                }
                score = next;
            }
            let last = (1..NT).fold(0, |l, t| if allowed_last(t) && score[t] > score[l] { t } else { l });
            let mut best = vec![0u8; n];
            best[n - 1] = last as u8;
            for i in (1..n).rev() {
                best[i - 1] = back[i][usize::from(best[i])];
            }
            best
        }
        let mut x = 0x2545_F491_4F6C_DD1Du64;
        let mut rnd = |m: i32| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x % (2 * m as u64 + 1)) as i32 - m
        };
        let mut v = Viterbi::default();
        for round in 0..400 {
            // Long sentences exercise the `i32` decoder's renormalisation; huge scores its fall-back to `i64`.
            let n = if round % 5 == 4 { 150 + round } else { 1 + round % 23 };
            // Small ranges make ties frequent.
            let m = match round % 7 {
                0 | 3 => 3,
                6 => 1 << 28,
                5 => NARROW_INPUT,
                _ => 1000,
            };
            let emit: Vec<i32> = (0..n * NT).map(|_| rnd(m)).collect();
            let tr: Vec<i32> = (0..TRANS_LEN).map(|_| rnd(m)).collect();
            v.decode(n, &emit, NT, &tr);
            assert_eq!(v.best, generic(n, &emit, &tr), "round {round}");
        }
    }

    /// Emissions or transitions for the decoder properties: small ranges (ties everywhere), the fast decoder's
    /// extremes (its score bound), any `i32` (the fall-back), one row repeated (scores drift the same way at every
    /// word).
    fn weights(len: usize) -> impl Strategy<Value = Vec<i32>> {
        let b = NARROW_INPUT;
        prop_oneof![
            prop::collection::vec(-3i32..=3, len),
            prop::collection::vec(-1000i32..=1000, len),
            prop::collection::vec(prop_oneof![Just(-b), Just(0), Just(b)], len),
            prop::collection::vec(-b..=b, len),
            prop::collection::vec(prop_oneof![Just(-b), Just(b)], NT).prop_map(move |r| r
                .iter()
                .copied()
                .cycle()
                .take(len)
                .collect()),
            prop::collection::vec(-(b + 2)..=b + 2, len),
            prop::collection::vec(any::<i32>(), len),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        /// The `f32` decoder finds the `i64` decoder's path, ties included, and declines only inputs beyond
        /// `NARROW_INPUT`.
        #[test]
        fn narrow_decoding_equals_wide(
            (n, emit, tr) in (1usize..90).prop_flat_map(|n| (Just(n), weights(n * NT), weights(TRANS_LEN)))
        ) {
            let mut wide = Viterbi::default();
            wide.decode_wide(n, &emit, NT, &tr);
            let mut narrow = Viterbi::default();
            let steps = Steps::new(&tr);
            let done = steps.as_ref().is_some_and(|st| narrow.decode_narrow(n, &emit, NT, st));
            prop_assert_eq!(done, within(&emit, NARROW_INPUT) && within(&tr, NARROW_INPUT));
            if done {
                prop_assert_eq!(&narrow.best, &wide.best);
            }
            narrow.decode(n, &emit, NT, &tr);
            prop_assert_eq!(&narrow.best, &wide.best);
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
