//! Clitic analysis of one normalised Arabic word: which proclitics and which pronoun suffix to split off.
//!
//! The grammar is a closed set and lives here: an optional conjunction (`و` `ف`), then an optional preposition
//! (`ب` `ل` `ك`) or the future particle `س` (only before an imperfect verb: `ي ت ن ا`), then an optional article
//! (`ال`, or its `ل` alone after the preposition `ل`: `للجيش` = `ل` + `ل` + `جيش`), the stem, and an optional
//! pronoun suffix (`ه ها هم هما هن ك كم كن ي نا ني`; never after the article).
//!
//! Whether a word really carries a clitic is decided by data (`data/text/`, derived from the ANT corpus).
//! A clitic `c` is split off word `w`, leaving host `h`, only when all three hold:
//! 1. the host is a known word (or, unknown, reduces to one by its article or suffix);
//! 2. `count(w) <= SPLIT_RATIO_BOUND * count(h)`: the host is not a rare coincidence (`فقط` ≠ `ف` + `قط`);
//! 3. `w` itself does not carry clitics that `c` would exclude at more than [`OUTER_FRACTION`] of their typical
//!    rates (`rate` in `clitics.tsv`): `ووزير` and `البلاد` are seen, so `وزير` is not `و` + `زير` and `بلاد`
//!    is not `ب` + `لاد`, while `ووقال` is never seen.
//!
//! So `والعراق` and `وقال` split while `وزير`, `لبنان`, `كتائب`, `كان` do not. Pronoun suffixes are decided the same
//! way against the stem, with ta marbuta restored (`حكومته` → `حكومت` counts as `حكومه`). Two rules need no
//! counts: a preposition with a bare pronoun (`له`, `بها`, `ولهم`) always splits, and an unknown word whose host
//! is unknown but starts with the article (`وبالكابيتول`) splits. Words in `no-split.txt` are never split
//! themselves (`لكن`, `الذي`, `الي` = إلى).
//!
//! Every known word's analysis is computed once when the model is built; only unknown words are analysed on
//! the fly, with a few hash look-ups and no allocation.

use crate::hash::KeyFilter;
use std::collections::HashSet;
use std::fmt;
use std::hash::{BuildHasherDefault, Hasher};

/// Proclitic forms with their kind (as named in `clitics.tsv`), in the order of the [`Prefixes`] flags.
pub const PREFIX_CLITICS: &[(&str, &str)] =
    &[("و", "conj"), ("ف", "conj"), ("ب", "prep"), ("ل", "prep"), ("ك", "prep"), ("س", "fut")];

/// Pronoun suffixes (normalised), longest first.
pub const PRONOUN_SUFFIXES: &[&str] = &["هما", "هم", "هن", "ها", "كم", "كن", "نا", "ني", "ه", "ك", "ي"];

/// A clitic is split off only if its host is at most this many times rarer than the whole word.
///
/// Generous on purpose: fixed phrases make the clitic form far more frequent than its host (`بشكل` is 8 times
/// `شكل`, `وأضاف` 20 times `أضاف`); it only rules out hosts that are coincidences (`فقط` is 47 times `قط`,
/// `بعد` 900 times `عد`). [`OUTER_FRACTION`] does most of the work. Set a priori, not tuned on UD.
pub const SPLIT_RATIO_BOUND: f32 = 25.0;

/// A word is a host of its own, not clitic + host, when it carries clitics that the split would exclude at more
/// than this fraction of the typical rate of those clitics (`ووزير` is seen, so `وزير` is not `و` + `زير`;
/// `البلاد` is seen, so `بلاد` is not `ب` + `لاد`; `ووقال` is never seen). Set a priori, not tuned on UD.
pub const OUTER_FRACTION: f32 = 0.1;

/// Which clitic a split removes (a proclitic by its index into [`PREFIX_CLITICS`], or a pronoun suffix).
#[derive(Debug, Clone, Copy)]
enum Clitic {
    Prefix(usize),
    Suffix,
}

/// The fewest letters a host may have after a preposition or the future particle (but see
/// [`SHORT_HOST_RATIO`]).
pub const MIN_PREP_HOST: usize = 3;

/// A two-letter host after a preposition needs the word to be at most this fraction of the host's count.
pub const SHORT_HOST_RATIO: f32 = 0.2;

/// Words longer than this (in bytes of normalised text) are never analysed: no real word is that long.
pub const MAX_WORD_BYTES: usize = 64;

/// The proclitics of one word, as bit flags (at most one conjunction, one of preposition/future, one article).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Prefixes(u8);

impl Prefixes {
    /// Conjunction `و` (and).
    pub const CONJ_WA: Prefixes = Prefixes(1);
    /// Conjunction `ف` (so, then).
    pub const CONJ_FA: Prefixes = Prefixes(1 << 1);
    /// Preposition `ب` (with, by, in).
    pub const PREP_BI: Prefixes = Prefixes(1 << 2);
    /// Preposition `ل` (for, to).
    pub const PREP_LI: Prefixes = Prefixes(1 << 3);
    /// Preposition `ك` (like, as).
    pub const PREP_KA: Prefixes = Prefixes(1 << 4);
    /// Future particle `س` (will).
    pub const FUT_SA: Prefixes = Prefixes(1 << 5);
    /// Article `ال`, written in full.
    pub const DET_AL: Prefixes = Prefixes(1 << 6);
    /// The article after `ل`, written as its `ل` alone (`للجيش`).
    pub const LAM: Prefixes = Prefixes(1 << 7);
    /// No proclitic.
    pub const NONE: Prefixes = Prefixes(0);

    /// The raw bits.
    #[inline]
    pub fn bits(self) -> u8 {
        self.0
    }

    /// Whether every flag of `other` is set.
    #[inline]
    pub fn contains(self, other: Prefixes) -> bool {
        self.0 & other.0 == other.0
    }

    /// Whether any flag of `other` is set.
    #[inline]
    pub fn intersects(self, other: Prefixes) -> bool {
        self.0 & other.0 != 0
    }

    #[inline]
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// Whether the word is definite (`ال` or the `ل` of `لل`).
    #[inline]
    pub fn is_definite(self) -> bool {
        self.intersects(Prefixes(Self::DET_AL.0 | Self::LAM.0))
    }
}

impl std::ops::BitOr for Prefixes {
    type Output = Prefixes;
    #[inline]
    fn bitor(self, rhs: Prefixes) -> Prefixes {
        Prefixes(self.0 | rhs.0)
    }
}

impl std::ops::BitOrAssign for Prefixes {
    #[inline]
    fn bitor_assign(&mut self, rhs: Prefixes) {
        self.0 |= rhs.0;
    }
}

/// The clitic split of one word: its proclitics, their total length and the pronoun suffix's length (bytes).
///
/// The stem is `word[prefix_len..word.len() - suffix_len]`; it is empty for a preposition with a bare pronoun
/// (`له`, `بها`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Analysis {
    pub prefixes: Prefixes,
    pub prefix_len: u8,
    pub suffix_len: u8,
}

/// A malformed line in an embedded data file.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct DataError {
    pub file: &'static str,
    pub line: usize,
    pub message: String,
}

impl fmt::Display for DataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.message)
    }
}

impl std::error::Error for DataError {}

/// A small multiply-rotate hasher: the keys are short words from our own data, so DoS resistance is moot and
/// SipHash would cost a large share of the tokenizer's time.
#[derive(Default, Clone, Copy)]
struct WordHasher(u64);

impl Hasher for WordHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x517c_c1b7_2722_0a95;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut b = [0u8; 8];
            b.copy_from_slice(c);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(b)).wrapping_mul(K);
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut b = [0u8; 8];
            b[..rest.len()].copy_from_slice(rest);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(b) ^ rest.len() as u64).wrapping_mul(K);
        }
    }

    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.0 = (self.0.rotate_left(5) ^ u64::from(i)).wrapping_mul(0x517c_c1b7_2722_0a95);
    }

    /// Mixes the high bits down: the table indexes by the low bits, which a multiply alone leaves poor (every
    /// Arabic letter's lead byte is `0xD8`–`0xDB`).
    #[inline]
    fn finish(&self) -> u64 {
        let mut h = self.0;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^ (h >> 33)
    }
}

type Build = BuildHasherDefault<WordHasher>;

#[derive(Debug, Clone, Copy)]
struct Entry {
    count: u32,
    analysis: Analysis,
}

/// A stack buffer for the few words the analysis has to build (`ا` + remainder, ta marbuta restored).
struct WordBuf {
    buf: [u8; MAX_WORD_BYTES + 8],
    len: usize,
}

impl WordBuf {
    fn new() -> WordBuf {
        WordBuf { buf: [0; MAX_WORD_BYTES + 8], len: 0 }
    }

    /// Writes the concatenation of the parts; `None` when it does not fit.
    fn join(&mut self, parts: &[&str]) -> Option<&str> {
        // Concatenated `str`s are valid UTF-8.
        std::str::from_utf8(self.join_bytes(parts)?).ok()
    }

    /// As [`WordBuf::join`], the bytes, for a look-up by [`CliticModel::count_bytes`]: the check that they are
    /// UTF-8 (all of them are) cost as much as the look-up.
    fn join_bytes(&mut self, parts: &[&str]) -> Option<&[u8]> {
        let total: usize = parts.iter().map(|p| p.len()).sum();
        if total > self.buf.len() {
            return None;
        }
        self.len = 0;
        for p in parts {
            self.buf[self.len..self.len + p.len()].copy_from_slice(p.as_bytes());
            self.len += p.len();
        }
        self.buf.get(..self.len)
    }
}

/// A word's 64-bit hash, never 0 (0 marks an empty slot).
#[inline]
fn fingerprint(w: &[u8]) -> u64 {
    hash_bytes(w) | 1
}

#[derive(Debug, Clone, Copy)]
struct Slot {
    fp: u64,
    entry: Entry,
}

/// Known words in one open-addressing table of 16-byte slots keyed by a 64-bit fingerprint, so a look-up
/// touches one cache line (a `HashMap<Box<str>, _>` touches control bytes, a bucket and the key's heap block).
/// Words are not stored: two of the 80,000 words, or an unknown word and a known one, would have to share all
/// 64 bits for a look-up to go wrong (odds about 1 in 10^14 per look-up).
#[derive(Debug, Clone)]
struct WordTable {
    slots: Vec<Slot>,
    mask: usize,
    used: usize,
}

impl WordTable {
    /// A table for up to `n` words at a load of at most two thirds.
    fn with_capacity(n: usize) -> WordTable {
        let size = (n + n / 2 + 1).next_power_of_two().max(16);
        let empty = Slot { fp: 0, entry: Entry { count: 0, analysis: Analysis::default() } };
        WordTable { slots: vec![empty; size], mask: size - 1, used: 0 }
    }

    /// The first slot probed for `fp`.
    #[inline]
    fn home(&self, fp: u64) -> usize {
        (fp >> 7) as usize & self.mask
    }

    /// The slot holding `fp`, or the empty slot where it would go.
    #[inline]
    fn find(&self, fp: u64) -> usize {
        let mut i = self.home(fp);
        loop {
            let slot = &self.slots[i];
            if slot.fp == fp || slot.fp == 0 {
                return i;
            }
            i = (i + 1) & self.mask;
        }
    }

    fn insert(&mut self, fp: u64, entry: Entry) {
        if 3 * (self.used + 1) > 2 * self.slots.len() {
            let mut bigger = WordTable::with_capacity(self.slots.len());
            for s in self.slots.iter().filter(|s| s.fp != 0) {
                bigger.insert(s.fp, s.entry);
            }
            *self = bigger;
        }
        let i = self.find(fp);
        if self.slots[i].fp == 0 {
            self.used += 1;
        }
        self.slots[i] = Slot { fp, entry };
    }

    #[inline]
    fn get(&self, fp: u64) -> Option<Entry> {
        let slot = &self.slots[self.find(fp)];
        (slot.fp != 0).then_some(slot.entry)
    }

    fn get_mut(&mut self, fp: u64) -> Option<&mut Entry> {
        let i = self.find(fp);
        let slot = &mut self.slots[i];
        (slot.fp != 0).then_some(&mut slot.entry)
    }
}

/// How many of the most frequent words also go into the small hot table, which stays in cache.
const HOT_WORDS: usize = 4096;

/// Slots of the per-thread cache of unknown words' analyses (a power of two).
const COLD_SLOTS: usize = 8192;
/// Longest unknown word (bytes) the cache holds.
const COLD_KEY: usize = 32;

#[derive(Debug, Clone, Copy)]
struct ColdSlot {
    /// Address of the model that computed the entry.
    model: usize,
    len: u8,
    analysis: Analysis,
    key: [u8; COLD_KEY],
}

thread_local! {
    static COLD: std::cell::RefCell<Vec<ColdSlot>> = const { std::cell::RefCell::new(Vec::new()) };
}

#[inline]
fn hash_bytes(b: &[u8]) -> u64 {
    let mut h = WordHasher::default();
    h.write(b);
    h.finish()
}

/// The no-split words, with a [`KeyFilter`] in front of the hash set: the analysis asks about a few words for each
/// word it analyses (80,000 at load), and nearly all are rejected by one bit.
#[derive(Debug, Clone, Default)]
struct NoSplit {
    set: HashSet<Box<str>, Build>,
    filter: KeyFilter,
}

impl NoSplit {
    fn insert(&mut self, w: &str) {
        self.filter.insert(w.as_bytes());
        self.set.insert(w.into());
    }

    #[inline]
    fn contains(&self, w: &str) -> bool {
        self.filter.may_contain(w.as_bytes()) && self.set.contains(w)
    }
}

/// The lines of `s` as [`str::lines`] splits them (at `\n`, dropping a `\r` before it), found by a byte loop: the
/// word list's 80,000 lines are a few bytes each, too short for the library's `memchr` search to pay.
fn short_lines(s: &str) -> impl Iterator<Item = &str> {
    let mut rest = s;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        match rest.as_bytes().iter().position(|&b| b == b'\n') {
            Some(i) => {
                let line = rest.get(..i).unwrap_or_default();
                rest = rest.get(i + 1..).unwrap_or_default();
                Some(line.strip_suffix('\r').unwrap_or(line))
            }
            None => Some(std::mem::take(&mut rest)),
        }
    })
}

/// `line.split_once('\t')` by a byte loop (see [`short_lines`]).
#[inline]
fn split_tab(line: &str) -> Option<(&str, &str)> {
    let i = line.as_bytes().iter().position(|&b| b == b'\t')?;
    Some((line.get(..i)?, line.get(i + 1..)?))
}

/// Word counts, clitic rates and the no-split list, with every known word's analysis precomputed.
#[derive(Debug, Clone)]
pub struct CliticModel {
    /// The most frequent words again, in a small table that stays in cache (most tokens hit it).
    hot: WordTable,
    words: WordTable,
    /// Number of known words.
    len: usize,
    no_split: NoSplit,
    prefix_rate: [f32; 6],
    article_rate: f32,
}

const CONJ: [(Prefixes, &str, usize); 2] = [(Prefixes::CONJ_WA, "و", 0), (Prefixes::CONJ_FA, "ف", 1)];
const PREP: [(Prefixes, &str, usize); 4] =
    [(Prefixes::PREP_BI, "ب", 2), (Prefixes::PREP_LI, "ل", 3), (Prefixes::PREP_KA, "ك", 4), (Prefixes::FUT_SA, "س", 5)];

/// Whether a word starts with a letter a proclitic or the article could begin with, or ends with a letter a
/// pronoun suffix could end with: the others need no look-up.
#[inline]
fn may_have_clitic(w: &str) -> bool {
    w.starts_with(['و', 'ف', 'ب', 'ل', 'ك', 'س', 'ا']) || w.ends_with(['ه', 'ا', 'م', 'ن', 'ك', 'ي'])
}

/// [`PRONOUN_SUFFIXES`] as numbers (their bytes, big-endian), with a mask of their length and the length: a word
/// ends with a suffix when its last eight bytes read the same way ([`tail`]) agree with it under the mask.
const SUFFIX_TAILS: [(u64, u64, usize); PRONOUN_SUFFIXES.len()] = suffix_tails();

const fn suffix_tails() -> [(u64, u64, usize); PRONOUN_SUFFIXES.len()] {
    let mut out = [(0, 0, 0); PRONOUN_SUFFIXES.len()];
    let mut i = 0;
    while i < PRONOUN_SUFFIXES.len() {
        let b = PRONOUN_SUFFIXES[i].as_bytes();
        // A compile-time check: every suffix fits in the eight bytes read.
        assert!(!b.is_empty() && b.len() < 8);
        let mut v = 0u64;
        let mut k = 0;
        while k < b.len() {
            v = (v << 8) | b[k] as u64;
            k += 1;
        }
        out[i] = (v, (1u64 << (8 * b.len())) - 1, b.len());
        i += 1;
    }
    out
}

/// The last eight bytes of `w` (all of a shorter word, after zeros) as a big-endian number: one load, or a short
/// loop (a copy of a variable length would call `memcpy`).
#[inline]
fn tail(w: &[u8]) -> u64 {
    match w.len().checked_sub(8).and_then(|at| w.get(at..)).and_then(|t| <[u8; 8]>::try_from(t).ok()) {
        Some(last) => u64::from_be_bytes(last),
        None => w.iter().fold(0, |v, &x| (v << 8) | u64::from(x)),
    }
}

/// The pronoun suffixes `w` ends with, in [`PRONOUN_SUFFIXES`] order, each with the rest of the word: what
/// `w.strip_suffix(x)` gives for each suffix `x`, from one read of the word's last bytes instead of eleven
/// comparisons (the model's load asks this of most of its 80,000 words, several times).
#[inline]
fn suffix_splits(w: &str) -> impl Iterator<Item = (&'static str, &str)> + '_ {
    let t = tail(w.as_bytes());
    // By reference: `zip(SUFFIX_TAILS)` would copy the table into each iterator (a `memcpy` call).
    PRONOUN_SUFFIXES.iter().zip(SUFFIX_TAILS.iter()).filter_map(move |(x, &(v, mask, k))| {
        if w.len() >= k && t & mask == v {
            Some((*x, w.get(..w.len() - k)?))
        } else {
            None
        }
    })
}

/// Whether a word is a preposition with a bare pronoun (`لها`, `به`).
fn is_prep_pronoun(w: &str) -> bool {
    w.strip_prefix(['ب', 'ل']).is_some_and(|p| PRONOUN_SUFFIXES.contains(&p))
}

#[inline]
fn char_count(s: &str) -> usize {
    s.chars().count()
}

impl CliticModel {
    /// Builds the model from the text of `words.tsv`, `clitics.tsv` and `no-split.txt` (formats in
    /// `data/text/README.md`).
    pub fn from_data(words: &str, clitics: &str, no_split: &str) -> Result<CliticModel, DataError> {
        let err = |file, line, message: String| DataError { file, line, message };
        let mut list: Vec<(&str, u32)> = Vec::new();
        for (n, line) in short_lines(words).enumerate() {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let Some((w, c)) = split_tab(line) else {
                return Err(err("words.tsv", n + 1, format!("expected `word<TAB>count`, found `{line}`")));
            };
            let count: u32 = c.parse().map_err(|_| err("words.tsv", n + 1, format!("bad count `{c}` for `{w}`")))?;
            if !crate::normalize::is_normalized(w) {
                return Err(err("words.tsv", n + 1, format!("word `{w}` is not normalised")));
            }
            list.push((w, count));
        }
        let mut prefix_rate = [f32::NAN; 6];
        let mut article_rate = f32::NAN;
        for (n, line) in clitics.lines().enumerate() {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let cols: Vec<&str> = line.split('\t').collect();
            let (Some(form), Some(kind), Some(rate)) = (cols.first(), cols.get(1), cols.get(2)) else {
                return Err(err("clitics.tsv", n + 1, format!("expected `clitic<TAB>kind<TAB>rate`, found `{line}`")));
            };
            let rate: f32 = match rate.parse() {
                Ok(r) if (0.0..=1.0e3).contains(&r) => r,
                _ => return Err(err("clitics.tsv", n + 1, format!("bad rate `{rate}` for `{form}`"))),
            };
            if *kind == "det" && *form == "ال" {
                article_rate = rate;
            } else {
                match PREFIX_CLITICS.iter().position(|(f, k)| f == form && k == kind) {
                    Some(i) => prefix_rate[i] = rate,
                    None => return Err(err("clitics.tsv", n + 1, format!("unknown clitic `{form}` of kind `{kind}`"))),
                }
            }
        }
        if let Some(i) = prefix_rate.iter().position(|r| r.is_nan()) {
            return Err(err("clitics.tsv", 0, format!("missing rate for clitic `{}`", PREFIX_CLITICS[i].0)));
        }
        if article_rate.is_nan() {
            return Err(err("clitics.tsv", 0, "missing rate for the article `ال`".to_string()));
        }
        let mut set = NoSplit::default();
        for (n, line) in no_split.lines().enumerate() {
            let w = line.split('#').next().unwrap_or("").trim();
            if w.is_empty() {
                continue;
            }
            if !crate::normalize::is_normalized(w) {
                return Err(err("no-split.txt", n + 1, format!("word `{w}` is not normalised")));
            }
            set.insert(w);
        }
        let mut table = WordTable::with_capacity(list.len());
        for &(w, count) in &list {
            table.insert(fingerprint(w.as_bytes()), Entry { count, analysis: Analysis::default() });
        }
        let mut model = CliticModel {
            hot: WordTable::with_capacity(0),
            words: table,
            len: list.len(),
            no_split: set,
            prefix_rate,
            article_rate,
        };
        let analyses: Vec<Analysis> = list.iter().map(|(w, _)| model.compute(w)).collect();
        for ((w, _), a) in list.iter().zip(&analyses) {
            if let Some(e) = model.words.get_mut(fingerprint(w.as_bytes())) {
                e.analysis = *a;
            }
        }
        list.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        let mut hot = WordTable::with_capacity(HOT_WORDS);
        for &(w, _) in list.iter().take(HOT_WORDS) {
            let fp = fingerprint(w.as_bytes());
            if let Some(e) = model.words.get(fp) {
                hot.insert(fp, e);
            }
        }
        model.hot = hot;
        Ok(model)
    }

    /// The corpus count of a normalised word (0 when it is not among the known words).
    #[inline]
    pub fn count(&self, word: &str) -> u32 {
        self.count_bytes(word.as_bytes())
    }

    /// [`CliticModel::count`] of a word's bytes.
    #[inline]
    fn count_bytes(&self, word: &[u8]) -> u32 {
        self.words.get(fingerprint(word)).map_or(0, |e| e.count)
    }

    /// Number of known words.
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The clitic split of one normalised Arabic word (a run of Arabic letters).
    #[inline]
    pub fn analyse(&self, word: &str) -> Analysis {
        match self.prepare(word) {
            Some(fp) => self.analyse_prepared(word, fp),
            None => Analysis::default(),
        }
    }

    /// The first half of [`CliticModel::analyse`]: `None` when the word cannot have a clitic (its analysis is
    /// the default), else the fingerprint [`CliticModel::analyse_prepared`] takes.
    #[inline]
    pub(crate) fn prepare(&self, word: &str) -> Option<u64> {
        may_have_clitic(word).then(|| fingerprint(word.as_bytes()))
    }

    /// Reads the table slots a prepared word's analysis will read and returns their keys, for the caller to
    /// fold into a value it keeps: the loads start now, and the memory system serves those of several words
    /// at once instead of one cache miss after another when each word is analysed.
    #[inline]
    pub(crate) fn touch(&self, fp: u64) -> u64 {
        self.hot.slots.get(self.hot.home(fp)).map_or(0, |s| s.fp)
            ^ self.words.slots.get(self.words.home(fp)).map_or(0, |s| s.fp)
    }

    /// The second half of [`CliticModel::analyse`], for a word [`CliticModel::prepare`] gave `fp`.
    #[inline]
    pub(crate) fn analyse_prepared(&self, word: &str, fp: u64) -> Analysis {
        if let Some(e) = self.hot.get(fp) {
            return e.analysis;
        }
        match self.words.get(fp) {
            Some(e) => e.analysis,
            None => self.compute_cached(word),
        }
    }

    /// [`CliticModel::compute`] through a small per-thread direct-mapped cache: unknown words (names, rare
    /// forms) recur within and across articles, and analysing one costs a few dozen look-ups.
    fn compute_cached(&self, word: &str) -> Analysis {
        let w = word.as_bytes();
        if w.len() > COLD_KEY {
            return self.compute(word);
        }
        let mut key = [0u8; COLD_KEY];
        key[..w.len()].copy_from_slice(w);
        // The cache is per model as well as per thread: models built from different data never share entries.
        let id = self as *const CliticModel as usize;
        let i = hash_bytes(w) as usize & (COLD_SLOTS - 1);
        COLD.with(|cell| {
            let mut cache = cell.borrow_mut();
            if cache.is_empty() {
                cache.resize(
                    COLD_SLOTS,
                    ColdSlot { model: 0, len: 0, analysis: Analysis::default(), key: [0; COLD_KEY] },
                );
            }
            if let Some(slot) = cache.get(i) {
                if slot.model == id && slot.len as usize == w.len() && slot.key == key {
                    return slot.analysis;
                }
            }
            let analysis = self.compute(word);
            if let Some(slot) = cache.get_mut(i) {
                *slot = ColdSlot { model: id, len: w.len() as u8, analysis, key };
            }
            analysis
        })
    }

    fn compute(&self, w: &str) -> Analysis {
        if w.len() > MAX_WORD_BYTES || self.no_split.contains(w) {
            return Analysis::default();
        }
        let mut prefixes = Prefixes::NONE;
        let mut at = 0;
        for (flag, form, i) in CONJ {
            if let Some(rest) = w.strip_prefix(form) {
                if char_count(rest) >= 2 && self.split_ok(w, rest, Clitic::Prefix(i)) {
                    prefixes |= flag;
                    at = form.len();
                }
                break;
            }
        }
        let s = &w[at..];
        // A lexicalised word after the conjunction, bare or with a suffix (ولكنهم), keeps its first letter.
        let lexical = self.no_split.contains(s) || suffix_splits(s).any(|(_, h)| self.no_split.contains(h));
        for (flag, form, i) in PREP {
            if lexical {
                break;
            }
            let Some(rest) = s.strip_prefix(form) else {
                continue;
            };
            // (Not `ي`: `بي` and `لي` are mostly transliterations, as in `بي بي سي`.)
            if flag.intersects(Prefixes::PREP_BI | Prefixes::PREP_LI)
                && rest != "ي"
                && PRONOUN_SUFFIXES.contains(&rest)
                && !self.no_split.contains(s)
            {
                // A preposition with a bare pronoun: له، بها، ولهم.
                return Analysis {
                    prefixes: prefixes | flag,
                    prefix_len: (at + form.len()) as u8,
                    suffix_len: rest.len() as u8,
                };
            }
            // The future particle comes before an imperfect verb, never before the article.
            if flag == Prefixes::FUT_SA && (!rest.starts_with(['ي', 'ت', 'ن', 'ا']) || rest.starts_with("ال")) {
                break;
            }
            // Two-letter hosts after a preposition are mostly coincidences (بدا, كنت, لذا), unlike after و: they
            // must be far more frequent than the word (بكل, لما, بأن).
            let n = char_count(rest);
            let plain_ok = (n >= MIN_PREP_HOST
                || (n == 2 && self.count(s) as f32 <= SHORT_HOST_RATIO * self.count(rest) as f32))
                && self.split_ok(s, rest, Clitic::Prefix(i));
            if flag == Prefixes::PREP_LI && rest.starts_with('ل') && char_count(rest) >= 3 {
                // لل: the preposition, then the article written as its lam alone (للسلطة = ل + السلطة).
                let mut buf = WordBuf::new();
                if let Some(host) = buf.join(&["ا", rest]) {
                    if self.split_ok(s, host, Clitic::Prefix(i))
                        && (!plain_ok || self.effective_count(host, 2) >= self.effective_count(rest, 2))
                    {
                        return Analysis {
                            prefixes: prefixes | flag | Prefixes::LAM,
                            prefix_len: (at + 2 * form.len()) as u8,
                            suffix_len: 0,
                        };
                    }
                }
            }
            if plain_ok {
                prefixes |= flag;
                at += form.len();
            }
            break;
        }
        let (more, article_len, suffix_len) = self.base_analysis(&w[at..]);
        Analysis { prefixes: prefixes | more, prefix_len: (at + article_len) as u8, suffix_len: suffix_len as u8 }
    }

    /// How often `word` itself carries clitics it could not carry if it already had `c`, and how often a word
    /// of its frequency typically carries them.
    fn blocked(&self, word: &str, c: Clitic) -> (f32, f32) {
        let mut buf = WordBuf::new();
        let (mut seen, mut typical) = (0u32, 0.0f32);
        let mut outer = |form: &str, rate: f32| {
            seen = seen.saturating_add(buf.join_bytes(&[form, word]).map_or(0, |x| self.count_bytes(x)));
            typical += rate;
        };
        match c {
            // و + وزير is seen, و + وقال is not.
            Clitic::Prefix(i) if PREFIX_CLITICS[i].1 == "conj" => {
                outer("و", self.prefix_rate[0]);
                outer("ف", self.prefix_rate[1]);
            }
            // البلاد is seen, so بلاد is not ب + لاد.
            Clitic::Prefix(_) => {
                outer("ال", self.article_rate);
                outer("ب", self.prefix_rate[2]);
                if !word.starts_with('ل') {
                    // ل + لمجلس would read as للمجلس, the article form.
                    outer("ل", self.prefix_rate[3]);
                }
                outer("ك", self.prefix_rate[4]);
            }
            // المدينه is seen, so مدينه is not مدين + ه.
            Clitic::Suffix => outer("ال", self.article_rate),
        }
        (seen as f32, typical * self.count(word) as f32)
    }

    /// Whether `word` is `c` + `host` (or `host` + `c`): the host is known, explains the word's frequency, and
    /// the word does not itself take clitics that `c` would exclude.
    fn split_ok(&self, word: &str, host: &str, c: Clitic) -> bool {
        let prep = matches!(c, Clitic::Prefix(i) if PREFIX_CLITICS[i].1 != "conj");
        if prep && is_prep_pronoun(host) {
            // Two prepositions do not stack: كلها is not ك + لها.
            return false;
        }
        // After a preposition, an unknown host's stem needs as many letters as a known host.
        let ch = self.effective_count(host, if prep { MIN_PREP_HOST } else { 2 });
        let cw = self.count(word) as f32;
        if ch == 0.0 {
            // Unknown word, unknown host, but the article shows through: وبالكابيتول.
            let article = host.starts_with("ال")
                || host.starts_with("لل")
                || host.strip_prefix(['ب', 'ك']).is_some_and(|h| h.starts_with("ال"));
            return cw == 0.0 && article && char_count(host) >= 4;
        }
        if cw > SPLIT_RATIO_BOUND * ch {
            return false;
        }
        if cw == 0.0 {
            return true;
        }
        let (seen, typical) = self.blocked(word, c);
        seen <= OUTER_FRACTION * typical
    }

    /// The count of a host, or for an unknown one, the count of what is left after its article or suffix.
    fn effective_count(&self, host: &str, min_stem: usize) -> f32 {
        let c = self.count(host);
        if c > 0 {
            return c as f32;
        }
        if let Some(stem) = host.strip_prefix("ال") {
            return if char_count(stem) >= 2 { self.count(stem) as f32 } else { 0.0 };
        }
        if is_prep_pronoun(host) {
            // A preposition with a bare pronoun is always a word (لها), seen or not.
            return 1.0;
        }
        let mut best = 0.0f32;
        for (_, stem) in suffix_splits(host) {
            if char_count(stem) >= min_stem {
                best = best.max(self.stem_count(stem));
            }
        }
        best
    }

    /// The count of a stem seen before a pronoun suffix, with ta marbuta and the verbal alef restored.
    fn stem_count(&self, stem: &str) -> f32 {
        let mut buf = WordBuf::new();
        let mut n = self.count(stem);
        if let Some(s) = stem.strip_suffix('ت') {
            n = n.saturating_add(buf.join_bytes(&[s, "ه"]).map_or(0, |w| self.count_bytes(w)));
        }
        if stem.ends_with('و') {
            // كتبوا + ه is written كتبوه.
            n = n.saturating_add(buf.join_bytes(&[stem, "ا"]).map_or(0, |w| self.count_bytes(w)));
        }
        n as f32
    }

    /// Article and pronoun suffix of the word left after the proclitics: (flags, article bytes, suffix bytes).
    fn base_analysis(&self, base: &str) -> (Prefixes, usize, usize) {
        if self.no_split.contains(base) {
            return (Prefixes::NONE, 0, 0);
        }
        if let Some(stem) = base.strip_prefix("ال") {
            // A lexicalised particle with a suffix (اليه = إليه) is not an article.
            for (x, host) in suffix_splits(base) {
                if self.no_split.contains(host) {
                    return (Prefixes::NONE, 0, x.len());
                }
            }
            if char_count(stem) >= 2 && (self.count(stem) > 0 || self.count(base) == 0) {
                return (Prefixes::DET_AL, "ال".len(), 0);
            }
            return (Prefixes::NONE, 0, 0);
        }
        let cb = self.count(base) as f32;
        let mut best = (0.0f32, 0usize);
        for (x, stem) in suffix_splits(base) {
            if char_count(stem) < 2 {
                continue;
            }
            let cs = self.stem_count(stem);
            if cs == 0.0 || cb > SPLIT_RATIO_BOUND * cs {
                continue;
            }
            if cb > 0.0 {
                let (seen, typical) = self.blocked(base, Clitic::Suffix);
                if seen > OUTER_FRACTION * typical {
                    continue;
                }
            }
            if cs > best.0 {
                best = (cs, x.len());
            }
        }
        (Prefixes::NONE, 0, best.1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_lines_and_tabs_split_as_the_library() {
        for s in [
            "",
            "\n",
            "\n\n",
            "a",
            "a\n",
            "a\r\n",
            "a\r",
            "a\rb\r\n\r\nc",
            "\r\n",
            "كلمة\t12\nقال\t3\n#x\n\n",
            "a\tb\tc\r\nd\t",
            "\t\n\t",
            "x\r\r\n",
        ] {
            assert_eq!(short_lines(s).collect::<Vec<_>>(), s.lines().collect::<Vec<_>>(), "{s:?}");
            for line in s.lines() {
                assert_eq!(split_tab(line), line.split_once('\t'), "{line:?}");
            }
        }
    }

    #[test]
    fn suffix_splits_are_the_strip_suffix_list() {
        let letters = ["ه", "م", "ا", "ن", "ك", "ي", "ب", "x", "é"];
        let mut words = vec![String::new()];
        for _ in 0..5 {
            let next: Vec<String> = words.iter().flat_map(|w| letters.iter().map(move |l| format!("{w}{l}"))).collect();
            words.extend(next);
            words.sort();
            words.dedup();
        }
        words.push("كتابهما".repeat(3));
        for w in &words {
            let want: Vec<(&str, &str)> =
                PRONOUN_SUFFIXES.iter().filter_map(|x| w.strip_suffix(x).map(|h| (*x, h))).collect();
            assert_eq!(suffix_splits(w).collect::<Vec<_>>(), want, "{w}");
        }
    }

    #[test]
    fn no_split_filter_agrees_with_the_set() {
        let mut ns = NoSplit::default();
        let words = ["لكن", "بين", "ولكن", "ال", "x", "ليس", "كما"];
        for w in words {
            ns.insert(w);
        }
        let probes =
            ["لكن", "لكنه", "بين", "بيت", "ولكن", "والكن", "ال", "ا", "", "x", "y", "ليس", "لبس", "كما", "كمال"];
        for w in probes {
            assert_eq!(ns.contains(w), words.contains(&w), "{w}");
        }
        assert!(!NoSplit::default().contains("لكن"));
    }

    const CLITICS: &str = "و\tconj\t0.04\nف\tconj\t0.003\nب\tprep\t0.025\nل\tprep\t0.035\nك\tprep\t0.003\n\
        س\tfut\t0.05\nال\tdet\t0.4\n";

    fn model(words: &[(&str, u32)]) -> CliticModel {
        let w: String = words.iter().map(|(w, c)| format!("{w}\t{c}\n")).collect();
        CliticModel::from_data(&w, CLITICS, "لكن\nالي\nالذي\n").unwrap()
    }

    fn split(m: &CliticModel, w: &str) -> (String, String, String) {
        let a = m.analyse(w);
        let p = a.prefix_len as usize;
        let s = w.len() - a.suffix_len as usize;
        (w[..p].to_string(), w[p..s].to_string(), w[s..].to_string())
    }

    #[test]
    fn frequencies_decide_prefixes() {
        let m = model(&[("العراق", 1000), ("عراق", 10), ("والعراق", 50), ("وزير", 500), ("زير", 2), ("قال", 1000)]);
        assert_eq!(split(&m, "والعراق"), ("وال".into(), "عراق".into(), "".into()));
        assert_eq!(split(&m, "وزير"), ("".into(), "وزير".into(), "".into()));
        assert_eq!(split(&m, "وقال"), ("و".into(), "قال".into(), "".into()));
        assert_eq!(split(&m, "لكن"), ("".into(), "لكن".into(), "".into()));
    }

    #[test]
    fn lam_of_the_article_and_pronouns() {
        let m = model(&[("السلطه", 100), ("حكومه", 100), ("الي", 1000)]);
        let a = m.analyse("للسلطه");
        assert!(a.prefixes.contains(Prefixes::PREP_LI | Prefixes::LAM));
        assert_eq!(split(&m, "للسلطه").1, "سلطه");
        assert_eq!(split(&m, "وحكومته"), ("و".into(), "حكومت".into(), "ه".into()));
        assert_eq!(split(&m, "ولها"), ("ول".into(), "".into(), "ها".into()));
        assert_eq!(split(&m, "اليه"), ("".into(), "الي".into(), "ه".into()));
        assert_eq!(split(&m, "وبالكابيتول"), ("وبال".into(), "كابيتول".into(), "".into()));
    }

    #[test]
    fn future_only_before_imperfect() {
        let m = model(&[("يكون", 1000), ("وريا", 1000)]);
        assert_eq!(split(&m, "سيكون"), ("س".into(), "يكون".into(), "".into()));
        assert_eq!(split(&m, "سوريا").0, "");
    }

    #[test]
    fn bad_data_is_reported_with_its_line() {
        let e = CliticModel::from_data("a\t1\nبغداد\tx\n", CLITICS, "").unwrap_err();
        assert_eq!(e.to_string(), "words.tsv:2: bad count `x` for `بغداد`");
        let e = CliticModel::from_data("", "و\tconj\t0.1\n", "").unwrap_err();
        assert!(e.to_string().contains("missing rate"), "{e}");
    }
}
