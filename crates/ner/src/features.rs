//! Token features for the tagger, and the lexicon they read (gazetteers, trigger words, word clusters).
//!
//! Every feature is a 32-bit key: a hash of a template id and the strings (or string hashes) it looks at,
//! computed without allocating. Features split in two kinds, so that tagging can cache most of the work per
//! word type ([`crate::model`]):
//!
//! - *unit* features depend on one word only and on its offset `d` (−2 … +2) from the word being tagged
//!   (`word at -1 is X`, `cluster at +1 is C`, the word's own affixes): [`WordInfo`], [`own_keys`],
//!   [`context_keys`], [`lexical_keys`];
//! - *pair* features read the sentence (word bigrams, the shape triple, gazetteer entries of several words,
//!   the neighbours' gazetteer matches): [`SentenceFacts::pair_keys`].

use rasid_text::hash::Fnv;
use rasid_text::{NormalizedText, Span};
use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasherDefault, Hasher};
use std::ops::Range;

use crate::tags::{class_of, EntityType, NT};

/// Longest gazetteer entry, in words, that is matched (longer entries are ignored).
pub(crate) const MAX_GAZ_WORDS: usize = 6;

/// Number of word-identity features that follow the bias in [`SentenceFacts::features`].
pub(crate) const LEXICAL_FEATURES: usize = 5;

/// Gazetteer slots (bit `1 << slot` in a gazetteer value): ANERgazet's person, location and organisation lists;
/// GeoNames place names (kept apart because they include small places named with common words); rasid's own
/// dictionaries: people, organisations, countries and capitals, nationality adjectives (`data/ner/gazetteers/`).
pub(crate) const SLOTS: usize = 8;
const SLOT_NAMES: [&str; SLOTS] = ["PER", "LOC", "ORG", "PLACE", "DPER", "DORG", "DLOC", "NAT"];
/// In the gazetteer hash map: the key is also the start of a longer entry.
const PREFIX_BIT: u16 = 1 << 15;

/// A gazetteer source, for [`Lexicon::add_list`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum GazSlot {
    /// ANERgazet persons, locations, organisations.
    Per,
    Loc,
    Org,
    /// GeoNames places.
    Place,
    /// rasid's dictionaries: named people, organisations, countries and capitals, nationality adjectives.
    DictPer,
    DictOrg,
    DictLoc,
    Nationality,
}

impl GazSlot {
    fn index(self) -> usize {
        self as usize
    }
    fn of_type(t: EntityType) -> GazSlot {
        match t {
            EntityType::Per => GazSlot::Per,
            EntityType::Loc => GazSlot::Loc,
            EntityType::Org | EntityType::Misc => GazSlot::Org,
        }
    }
}

fn trigger_bit(t: EntityType) -> u8 {
    match t {
        EntityType::Per => 1,
        EntityType::Loc => 2,
        EntityType::Org => 4,
        EntityType::Misc => 16,
    }
}

/// A hasher for keys that are already hashes: one multiply to spread the bits hashbrown probes with.
#[derive(Default)]
pub(crate) struct MixHasher(u64);

impl Hasher for MixHasher {
    fn finish(&self) -> u64 {
        self.0.wrapping_mul(0x9E37_79B9_7F4A_7C15)
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) ^ u64::from(b);
        }
    }
    fn write_u32(&mut self, i: u32) {
        self.0 = u64::from(i);
    }
    fn write_u64(&mut self, i: u64) {
        self.0 = i;
    }
}

pub(crate) type MixMap<K, V> = HashMap<K, V, BuildHasherDefault<MixHasher>>;

/// A feature key from a running FNV-1a hash (model keys depend on these values; see [`rasid_text::hash`]).
pub(crate) trait FeatureKey {
    /// Folds to a non-zero 32-bit key (0 marks an empty slot in the model's table).
    fn key(self) -> u32;
}

impl FeatureKey for Fnv {
    #[inline]
    fn key(self) -> u32 {
        fold(self.value())
    }
}

#[inline]
fn fold(h: u64) -> u32 {
    let k = (h ^ (h >> 32)) as u32;
    if k == 0 {
        1
    } else {
        k
    }
}

/// Hash of a word (never 0): the word-type cache key, and the unit of multi-word gazetteer keys.
#[inline]
pub(crate) fn word_hash(w: &str) -> u64 {
    Fnv::new().str(w).value() | 1
}

/// Mixes a value into a running hash (order-sensitive, deterministic).
#[inline]
pub(crate) fn mix(h: u64, v: u64) -> u64 {
    let x = (h ^ v.rotate_left(25)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    x ^ (x >> 29)
}

/// A feature key over a template id and a list of values.
#[inline]
fn hkey(id: u8, vals: &[u64]) -> u32 {
    let mut h = 0xA076_1D64_78BD_642F ^ u64::from(id).wrapping_mul(0xE703_7ED1_A0B4_28DB);
    for &v in vals {
        h = mix(h, v);
    }
    fold(h)
}

/// Key of a multi-word gazetteer entry: the hashes of its words chained.
#[inline]
fn gaz_chain(h: u64, next_word: u64) -> u64 {
    mix(h, next_word) | 1
}

/// A problem in a lexicon file.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LexiconError {
    #[error("{name}:{line}: expected `TYPE<TAB>word` with TYPE one of PER, LOC, ORG, found `{text}`")]
    BadTrigger { name: String, line: usize, text: String },
    #[error("{name}:{line}: expected `word<TAB>coarse<TAB>fine<TAB>log2freq` (numbers), found `{text}`")]
    BadCluster { name: String, line: usize, text: String },
    #[error("{name}:{line}: unknown lexicon record `{text}`")]
    BadRecord { name: String, line: usize, text: String },
}

/// Gazetteer entries and trigger words, normalised, ready to be matched over sentences.
#[derive(Debug, Clone, Default)]
pub struct Lexicon {
    /// Every gazetteer entry, trigger word and cluster record as added, in order, its canonical text a range of
    /// `text` (entries: words joined by one space). Only serialisation and the counts read it ([`Lexicon::maps`]
    /// sorts it into maps when asked): loading a model builds no map of strings.
    records: Vec<Record>,
    text: String,
    /// Entry key (word hashes chained, see `gaz_chain`) → slot bits, and [`PREFIX_BIT`] for entry prefixes.
    gaz: MixMap<u64, u16>,
    /// Word hash → type bits of the entity the trigger word announces.
    triggers: MixMap<u64, u8>,
    /// Word hash → (coarse cluster, fine cluster, log2 corpus frequency), from unlabelled news text.
    clusters: MixMap<u64, [u16; 3]>,
}

/// One record of [`Lexicon::records`]: where its text is, and what it adds.
#[derive(Debug, Clone, Copy)]
struct Record {
    at: u32,
    len: u32,
    kind: RecordKind,
}

#[derive(Debug, Clone, Copy)]
enum RecordKind {
    /// A gazetteer entry's slot bit.
    Gaz(u16),
    /// A trigger word's type bit.
    Trigger(u8),
    /// A word's clusters (a later record of the same word replaces an earlier one).
    Cluster([u16; 3]),
}

/// The lexicon's records as sorted maps: entry → slot bits, trigger word → type bits, word → clusters.
type Maps<'a> = (BTreeMap<&'a str, u16>, BTreeMap<&'a str, u8>, BTreeMap<&'a str, [u16; 3]>);

/// Appends an entry to `out`, normalised, its words joined with single spaces; returns the range it takes.
fn canonical_into(entry: &str, out: &mut String) -> Range<usize> {
    // Most entries (all of a model's embedded lexicon) are normalised already: skip building the copy.
    let n = if rasid_text::normalize::is_normalized(entry) {
        std::borrow::Cow::Borrowed(entry)
    } else {
        std::borrow::Cow::Owned(rasid_text::normalize(entry))
    };
    let start = out.len();
    for w in n.split_whitespace() {
        if out.len() > start {
            out.push(' ');
        }
        out.push_str(w);
    }
    start..out.len()
}

fn has_letter(s: &str) -> bool {
    s.chars().any(char::is_alphabetic)
}

impl Lexicon {
    /// An empty lexicon (no gazetteer or trigger features fire).
    pub fn new() -> Lexicon {
        Lexicon::default()
    }

    /// The lexicon shipped in `data/ner/` (converted gazetteer lists, trigger words, word clusters).
    pub fn bundled() -> Result<Lexicon, LexiconError> {
        let mut lex = Lexicon::new();
        for (slot, text) in BUNDLED_LISTS {
            lex.add_list(*slot, text);
        }
        lex.add_triggers("triggers.tsv", include_str!("../../../data/ner/triggers.tsv"))?;
        lex.add_clusters("clusters.tsv", include_str!("../../../data/ner/clusters.tsv"))?;
        Ok(lex)
    }

    /// Adds a gazetteer list: one entry per line (one or more words); `#` comments, blank lines and lines
    /// without a letter (ANERgazet's `====` separators) are skipped.
    pub fn add_gazetteer(&mut self, ty: EntityType, text: &str) {
        self.add_list(GazSlot::of_type(ty), text);
    }

    /// Adds place names (GeoNames), one entry a line like [`Lexicon::add_gazetteer`], as a separate source.
    pub fn add_places(&mut self, text: &str) {
        self.add_list(GazSlot::Place, text);
    }

    /// Adds a list (one entry a line, as [`Lexicon::add_gazetteer`]) to a gazetteer slot.
    pub fn add_list(&mut self, slot: GazSlot, text: &str) {
        let bit = 1u16 << slot.index();
        for line in text.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') || !has_letter(line) {
                continue;
            }
            self.add_entry(line, bit);
        }
    }

    /// Adds an entry (canonicalised here) to the slots `bit`.
    fn add_entry(&mut self, entry: &str, bit: u16) {
        let r = canonical_into(entry, &mut self.text);
        let c = &self.text[r.clone()];
        if c.is_empty() || c.split(' ').count() > MAX_GAZ_WORDS {
            self.text.truncate(r.start);
            return;
        }
        // Mark every proper word prefix so matching can stop as soon as no entry continues.
        let mut h = 0u64;
        let mut words = c.split(' ').peekable();
        while let Some(w) = words.next() {
            h = if h == 0 { word_hash(w) } else { gaz_chain(h, word_hash(w)) };
            if words.peek().is_some() {
                *self.gaz.entry(h).or_default() |= PREFIX_BIT;
            }
        }
        *self.gaz.entry(h).or_default() |= bit;
        self.record(r, RecordKind::Gaz(bit));
    }

    fn record(&mut self, r: Range<usize>, kind: RecordKind) {
        // (A lexicon of 4 GB of text is not one: its records' offsets saturate and read as empty.)
        let (at, len) = (u32::try_from(r.start).unwrap_or(u32::MAX), u32::try_from(r.len()).unwrap_or(0));
        self.records.push(Record { at, len, kind });
    }

    /// Adds trigger words: `TYPE<TAB>word` per line (TYPE = PER, LOC or ORG: the type of entity the word
    /// announces when it stands before a name); `#` comments and blank lines are skipped.
    pub fn add_triggers(&mut self, name: &str, text: &str) -> Result<(), LexiconError> {
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let bad = || LexiconError::BadTrigger { name: name.to_string(), line: n + 1, text: line.to_string() };
            let (ty, word) = line.split_once('\t').ok_or_else(bad)?;
            let ty = EntityType::parse(ty.trim()).filter(|t| *t != EntityType::Misc).ok_or_else(bad)?;
            let r = canonical_into(word, &mut self.text);
            let c = &self.text[r.clone()];
            if c.is_empty() || c.contains(' ') {
                self.text.truncate(r.start);
                return Err(bad());
            }
            self.add_trigger(r, trigger_bit(ty));
        }
        Ok(())
    }

    /// Adds the trigger word at `r` in `text` (canonical) with type bit `bit`.
    fn add_trigger(&mut self, r: Range<usize>, bit: u8) {
        *self.triggers.entry(word_hash(&self.text[r.clone()])).or_default() |= bit;
        self.record(r, RecordKind::Trigger(bit));
    }

    /// Adds word clusters: `word<TAB>coarse<TAB>fine<TAB>log2freq` per line (see `data/ner/README.md`);
    /// `#` comments and blank lines are skipped.
    pub fn add_clusters(&mut self, name: &str, text: &str) -> Result<(), LexiconError> {
        for (n, line) in text.lines().enumerate() {
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let bad = || LexiconError::BadCluster { name: name.to_string(), line: n + 1, text: line.to_string() };
            let mut parts = line.split('\t');
            let r = canonical_into(parts.next().unwrap_or(""), &mut self.text);
            let mut v = [0u16; 3];
            let mut ok = !r.is_empty();
            for x in &mut v {
                match parts.next().and_then(|p| p.trim().parse().ok()) {
                    Some(n) if ok => *x = n,
                    _ => ok = false,
                }
            }
            if !ok || parts.next().is_some() {
                self.text.truncate(r.start);
                return Err(bad());
            }
            self.clusters.insert(word_hash(&self.text[r.clone()]), v);
            self.record(r, RecordKind::Cluster(v));
        }
        Ok(())
    }

    /// The records sorted into maps (entries and trigger words with their bits or-ed together; a word's last
    /// clusters). For serialisation and the counts only: tagging never builds these.
    fn maps(&self) -> Maps<'_> {
        let mut m: Maps<'_> = Default::default();
        for r in &self.records {
            let at = r.at as usize;
            let s = self.text.get(at..at + r.len as usize).unwrap_or("");
            match r.kind {
                RecordKind::Gaz(bit) => *m.0.entry(s).or_default() |= bit,
                RecordKind::Trigger(bit) => *m.1.entry(s).or_default() |= bit,
                RecordKind::Cluster(v) => {
                    m.2.insert(s, v);
                }
            }
        }
        m
    }

    /// Number of words with a cluster.
    pub fn cluster_count(&self) -> usize {
        self.maps().2.len()
    }

    /// Number of gazetteer entries and trigger words.
    pub fn len(&self) -> (usize, usize) {
        let (entries, triggers, _) = self.maps();
        (entries.len(), triggers.len())
    }

    /// `true` when the lexicon has no entries at all.
    pub fn is_empty(&self) -> bool {
        !self.records.iter().any(|r| matches!(r.kind, RecordKind::Gaz(_) | RecordKind::Trigger(_)))
    }

    /// Serialises the lexicon for embedding in a model file: sections headed by a line that starts with a tab
    /// (`\tgaz\tLOC`, `\ttrigger\tPER`, `\tcluster`; entries never start with whitespace), then one sorted
    /// record a line (an entry, a trigger word, or `word<TAB>coarse<TAB>fine<TAB>log2freq`).
    pub(crate) fn to_text(&self) -> String {
        let (entries, trigger_words, cluster_words) = self.maps();
        let mut out = String::new();
        for (slot, name) in SLOT_NAMES.iter().enumerate() {
            let mut head = false;
            for entry in entries.iter().filter(|(_, &b)| b & (1 << slot) != 0).map(|(e, _)| e) {
                if !head {
                    out.push_str(&format!("\tgaz\t{name}\n"));
                    head = true;
                }
                out.push_str(entry);
                out.push('\n');
            }
        }
        for t in [EntityType::Per, EntityType::Loc, EntityType::Org] {
            let bit = trigger_bit(t);
            let mut head = false;
            for entry in trigger_words.iter().filter(|(_, &b)| b & bit != 0).map(|(e, _)| e) {
                if !head {
                    out.push_str(&format!("\ttrigger\t{}\n", t.as_str()));
                    head = true;
                }
                out.push_str(entry);
                out.push('\n');
            }
        }
        if !cluster_words.is_empty() {
            out.push_str("\tcluster\n");
        }
        for (word, c) in &cluster_words {
            out.push_str(&format!("{}\t{}\t{}\t{}\n", word, c[0], c[1], c[2]));
        }
        out
    }

    /// Inverse of [`Lexicon::to_text`].
    pub(crate) fn from_text(name: &str, text: &str) -> Result<Lexicon, LexiconError> {
        enum Section {
            None,
            Gaz(u16),
            Trigger(u8),
            Cluster,
        }
        let mut lex = Lexicon::new();
        let mut section = Section::None;
        for (n, line) in text.lines().enumerate() {
            let bad = || LexiconError::BadRecord { name: name.to_string(), line: n + 1, text: line.to_string() };
            if let Some(head) = line.strip_prefix('\t') {
                section = match head.split_once('\t') {
                    None if head == "cluster" => Section::Cluster,
                    Some(("gaz", t)) => Section::Gaz(1 << SLOT_NAMES.iter().position(|s| *s == t).ok_or_else(bad)?),
                    Some(("trigger", t)) => Section::Trigger(trigger_bit(EntityType::parse(t).ok_or_else(bad)?)),
                    _ => return Err(bad()),
                };
                continue;
            }
            match section {
                Section::None => return Err(bad()),
                Section::Cluster => lex.add_clusters(name, line)?,
                Section::Gaz(bit) => lex.add_entry(line, bit),
                Section::Trigger(bit) => {
                    let r = canonical_into(line, &mut lex.text);
                    lex.add_trigger(r, bit);
                }
            }
        }
        Ok(lex)
    }
}

/// The gazetteer lists compiled into the crate (`data/ner/gazetteers/`), with their slots.
const BUNDLED_LISTS: &[(GazSlot, &str)] = &[
    (GazSlot::Per, include_str!("../../../data/ner/gazetteers/per.txt")),
    (GazSlot::Loc, include_str!("../../../data/ner/gazetteers/loc.txt")),
    (GazSlot::Org, include_str!("../../../data/ner/gazetteers/org.txt")),
    (GazSlot::Place, include_str!("../../../data/ner/gazetteers/places.txt")),
    (GazSlot::DictPer, include_str!("../../../data/ner/gazetteers/dict-per.txt")),
    (GazSlot::DictOrg, include_str!("../../../data/ner/gazetteers/dict-org.txt")),
    (GazSlot::DictLoc, include_str!("../../../data/ner/gazetteers/dict-loc.txt")),
    (GazSlot::Nationality, include_str!("../../../data/ner/gazetteers/nationality.txt")),
];

/// File names of the gazetteer lists in a lexicon directory (`--lexicon DIR`), in [`GazSlot`] order.
pub const LIST_FILES: [(GazSlot, &str); SLOTS] = [
    (GazSlot::Per, "per.txt"),
    (GazSlot::Loc, "loc.txt"),
    (GazSlot::Org, "org.txt"),
    (GazSlot::Place, "places.txt"),
    (GazSlot::DictPer, "dict-per.txt"),
    (GazSlot::DictOrg, "dict-org.txt"),
    (GazSlot::DictLoc, "dict-loc.txt"),
    (GazSlot::Nationality, "nationality.txt"),
];

const WAW: char = 'و';
const FA: char = 'ف';
const BA: char = 'ب';
const KAF: char = 'ك';
const LAM: char = 'ل';

/// Byte ranges of a normalised word after removing proclitics (و ف, then ب ك ل, then ال).
#[derive(Debug, Clone, Default)]
pub(crate) struct Stripped {
    /// The word without و/ف and ب/ك/ل but keeping the article; `alef` says an `ا` must be prefixed (لل → ال).
    base: Range<usize>,
    alef: bool,
    /// The word without any proclitic, article included.
    stem: Range<usize>,
    /// As `stem`, but also without a ب ك ل that is not followed by the article (may cut a root letter: used
    /// only as extra evidence, never instead of the word).
    loose: Range<usize>,
}

fn nchars(s: &str) -> usize {
    s.chars().count()
}

/// A simple proclitic stripper. It keeps at least three letters (two after the article), and strips ب ك ل only
/// before the article, where they cannot be a root letter.
pub(crate) fn strip(w: &str) -> Stripped {
    let mut s = 0;
    if (w.starts_with(WAW) || w.starts_with(FA)) && nchars(w) >= 4 {
        s = WAW.len_utf8();
    }
    let rest = &w[s..];
    let al = "ال";
    let long = |from: usize| nchars(&w[from..]) >= 2;
    let end = w.len();
    let prep = rest.starts_with(BA) || rest.starts_with(KAF) || rest.starts_with(LAM);
    let (base, alef, stem) = if rest.starts_with(al) && long(s + al.len()) {
        (s..end, false, s + al.len()..end)
    } else if rest.starts_with("لل") && long(s + 4) {
        // لل = ل + ال with the alef elided: base is "ا" + w[s+2..].
        (s + LAM.len_utf8()..end, true, s + 4..end)
    } else if prep && rest[2..].starts_with(al) && long(s + 2 + al.len()) {
        (s + 2..end, false, s + 2 + al.len()..end)
    } else {
        (s..end, false, s..end)
    };
    let loose = if stem.start == s && prep && nchars(rest) >= 4 { s + 2..end } else { stem.clone() };
    Stripped { base, alef, stem, loose }
}

/// Word shape: classes of its characters (Arabic letter, Latin letter, digit, punctuation, other), runs collapsed,
/// at most four runs kept.
fn shape(w: &str) -> u32 {
    let mut code = 0u32;
    let mut last = 0u32;
    let mut runs = 0;
    for c in w.chars() {
        let class = match c {
            '\u{064B}'..='\u{065F}' | 'ـ' => continue,
            '\u{0621}'..='\u{064A}' | '\u{0671}'..='\u{06D3}' | '\u{06FA}'..='\u{06FF}' => 1,
            c if c.is_ascii_alphabetic() => 2,
            c if c.is_alphabetic() => 3,
            c if c.is_numeric() => 4,
            c if c.is_ascii_punctuation() || matches!(c, '،' | '؛' | '؟' | '«' | '»' | '…' | '“' | '”') => 5,
            _ => 6,
        };
        if class != last {
            runs += 1;
            if runs > 4 {
                break;
            }
            code = code * 8 + class;
            last = class;
        }
    }
    code
}

const NO_CLUSTER: [u16; 3] = [u16::MAX; 3];
const EDGE_CLUSTER: [u16; 3] = [u16::MAX - 1; 3];
const EDGE_SHAPE: u32 = 99;

/// What the features need to know about one word type (a normalised word), whatever its sentence.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[repr(C)]
pub(crate) struct WordInfo {
    /// First (the word cache reads it to probe a slot).
    pub(crate) hash: u64,
    /// Hash of the clitic-free stem: the key under which the second pass groups a word's occurrences.
    pub(crate) stem: u64,
    /// First-word gazetteer variants: the word, the word without و/ف and ب/ك/ل (article kept, لل → ال), the
    /// stem, the loose stem; all 0 for an empty word (which matches nothing).
    variants: [u64; 4],
    /// The gazetteer value of each variant as a one-word key (slot bits and [`PREFIX_BIT`]; 0: unknown), so
    /// that matching a sentence looks up only the continuations of multi-word entries.
    gaz1: [u16; 4],
    loose: u64,
    shape: u32,
    clusters: [u16; 3],
    stem_clusters: [u16; 3],
    trig: u8,
}

impl WordInfo {
    /// The facts of normalised word `w`.
    pub(crate) fn new(w: &str, lex: &Lexicon) -> WordInfo {
        let st = strip(w);
        let hash = word_hash(w);
        let base =
            if st.alef { Fnv::new().str("ا").str(&w[st.base.clone()]).value() | 1 } else { word_hash(&w[st.base]) };
        let stem = word_hash(&w[st.stem]);
        let loose = word_hash(&w[st.loose]);
        let cl = |h: u64| lex.clusters.get(&h).copied();
        let mut info = WordInfo {
            hash,
            stem,
            variants: [0; 4],
            gaz1: [0; 4],
            loose,
            shape: shape(w),
            clusters: cl(hash).unwrap_or(NO_CLUSTER),
            stem_clusters: cl(base).or_else(|| cl(stem)).or_else(|| cl(loose)).unwrap_or(NO_CLUSTER),
            trig: 0,
        };
        if !w.is_empty() {
            info.variants = [hash, base, stem, loose];
            info.gaz1 = info.variants.map(|v| lex.gaz.get(&v).copied().unwrap_or(0));
            for h in [hash, base, stem] {
                info.trig |= lex.triggers.get(&h).copied().unwrap_or(0);
            }
        }
        info
    }

    /// The stand-in for the positions before a sentence (`after == false`) or after it.
    pub(crate) fn edge(after: bool) -> WordInfo {
        WordInfo {
            hash: word_hash(if after { "</s>" } else { "<s>" }),
            stem: word_hash("<>"),
            variants: [0; 4],
            gaz1: [0; 4],
            loose: 0,
            shape: EDGE_SHAPE,
            clusters: EDGE_CLUSTER,
            stem_clusters: EDGE_CLUSTER,
            trig: 0,
        }
    }
}

/// The word at `i + d` of `infos`, or the edge stand-in.
#[inline]
fn at(infos: &[WordInfo], i: usize, d: isize) -> WordInfo {
    let j = i as isize + d;
    if j < 0 {
        WordInfo::edge(false)
    } else {
        infos.get(j as usize).copied().unwrap_or_else(|| WordInfo::edge(true))
    }
}

/// Identity features of the word itself (hidden by training dropout): word, stem, loose stem.
pub(crate) fn lexical_keys(info: &WordInfo, out: &mut Vec<u32>) {
    out.push(hkey(1, &[info.hash]));
    out.push(hkey(2, &[info.stem]));
    out.push(hkey(35, &[info.loose]));
}

/// Keys a word gets from the word at offset `d` (±1, ±2; [`WordInfo::edge`] outside the sentence).
pub(crate) fn context_keys(info: &WordInfo, d: isize, out: &mut Vec<u32>) {
    let c = info.clusters.map(u64::from);
    let (word, stem, coarse, fine, trig) = match d {
        -2 => (5, None, 26, None, 21),
        -1 => (3, Some(7), 27, Some(27), 22),
        1 => (4, Some(8), 29, Some(29), 24),
        _ => (6, None, 30, None, 0),
    };
    out.push(hkey(word, &[info.hash]));
    if let Some(id) = stem {
        out.push(hkey(id, &[info.stem]));
    }
    out.push(hkey(coarse, &[0, c[0]]));
    if let Some(id) = fine {
        out.push(hkey(id, &[1, c[1]]));
    }
    if trig != 0 && info.trig != 0 {
        out.push(hkey(trig, &[u64::from(info.trig)]));
    }
}

/// The word's own features besides its identity: affixes, proclitics, shape, length, clusters, trigger.
pub(crate) fn own_keys(w: &str, info: &WordInfo, out: &mut Vec<u32>) {
    let st = strip(w);
    // Prefixes and suffixes of one to four characters.
    let mut ends = [0usize; 5];
    let mut count = 0;
    for (k, (pos, c)) in w.char_indices().take(4).enumerate() {
        ends[k + 1] = pos + c.len_utf8();
        count = k + 1;
    }
    for k in 1..=count {
        out.push(Fnv::new().byte(11).byte(k as u8).str(&w[..ends[k]]).key());
    }
    let mut starts = [w.len(); 5];
    let mut scount = 0;
    for (k, (pos, _)) in w.char_indices().rev().take(4).enumerate() {
        starts[k + 1] = pos;
        scount = k + 1;
    }
    for k in 1..=scount {
        out.push(Fnv::new().byte(12).byte(k as u8).str(&w[starts[k]..]).key());
    }
    // Stem prefixes (after the clitics), and the proclitic string itself.
    let stem = &w[st.stem.clone()];
    for (k, (pos, c)) in stem.char_indices().take(3).enumerate() {
        out.push(Fnv::new().byte(13).byte(k as u8).str(&stem[..pos + c.len_utf8()]).key());
    }
    out.push(Fnv::new().byte(14).str(&w[..st.stem.start]).key());
    // Letter trigrams inside the stem (transliterated foreign names share them: ـوف, ـسكي, ـيتش).
    let mut marks = [0usize; 4];
    let long = nchars(stem) > 3;
    for (k, (pos, _)) in stem.char_indices().chain(std::iter::once((stem.len(), ' '))).enumerate() {
        marks[k % 4] = pos;
        if k >= 3 && long {
            out.push(Fnv::new().byte(36).str(&stem[marks[(k - 3) % 4]..pos]).key());
        }
    }
    out.push(hkey(15, &[u64::from(info.shape)]));
    let len = match nchars(w) {
        0..=2 => 0u64,
        3 => 1,
        4 => 2,
        5..=6 => 3,
        _ => 4,
    };
    out.push(hkey(17, &[len]));
    let c = info.clusters.map(u64::from);
    out.push(hkey(28, &[0, c[0]]));
    out.push(hkey(28, &[1, c[1]]));
    out.push(hkey(31, &[u64::from(info.stem_clusters[0])]));
    out.push(hkey(32, &[u64::from(info.stem_clusters[1])]));
    out.push(hkey(33, &[c[2]]));
    if info.trig != 0 {
        out.push(hkey(23, &[u64::from(info.trig)]));
    }
}

/// Gazetteer match bits of every word of a sentence, into `gaz` (cleared first): for slot `s` bit `s * 8 + kind`,
/// kinds: 0 exact one-word, 1 exact multi-word start, 2 exact multi-word inside, 3 exact multi-word end, 4–7 the
/// same via a clitic-stripped first word (the positions match the tagger's BILOU tags).
pub(crate) fn match_gaz(lex: &Lexicon, infos: &[WordInfo], gaz: &mut Vec<u64>) {
    let n = infos.len();
    gaz.clear();
    gaz.resize(n, 0);
    for i in 0..n {
        // Most words start no entry: every variant's one-word value is 0.
        if infos[i].gaz1 == [0; 4] {
            continue;
        }
        let v = infos[i].variants;
        for (vi, &first) in v.iter().enumerate() {
            if first == 0 || v[..vi].contains(&first) {
                continue;
            }
            let kind = if vi == 0 { 0 } else { 4 };
            let mut h = first;
            for len in 1..=MAX_GAZ_WORDS.min(n - i) {
                let bits = if len == 1 {
                    infos[i].gaz1[vi]
                } else {
                    let next = infos[i + len - 1].variants[0];
                    if next == 0 {
                        break;
                    }
                    h = gaz_chain(h, next);
                    lex.gaz.get(&h).copied().unwrap_or(0)
                };
                if bits == 0 {
                    break;
                }
                for slot in 0..SLOTS {
                    if bits & (1 << slot) == 0 {
                        continue;
                    }
                    let base_bit = (slot * 8 + kind) as u32;
                    if len == 1 {
                        gaz[i] |= 1 << base_bit;
                    } else {
                        gaz[i] |= 1 << (base_bit + 1);
                        for g in &mut gaz[i + 1..i + len - 1] {
                            *g |= 1 << (base_bit + 2);
                        }
                        gaz[i + len - 1] |= 1 << (base_bit + 3);
                    }
                }
                if bits & PREFIX_BIT == 0 {
                    break;
                }
            }
        }
    }
}

/// The gazetteer slots with a match in gazetteer bits `g` ([`match_gaz`]): bit `s` set when byte `s` is not 0.
#[inline]
fn slots_of(g: u64) -> u8 {
    // Each byte's bits ORed into its lowest bit, then the eight lowest bits gathered into the top byte by one
    // multiplication (each product bit there has exactly one source, so nothing carries).
    let mut x = g;
    x |= x >> 4;
    x |= x >> 2;
    x |= x >> 1;
    ((x & 0x0101_0101_0101_0101).wrapping_mul(0x0102_0408_1020_4080) >> 56) as u8
}

/// The bias and the word-bigram keys of word `i` (the bigrams are identity features, see [`LEXICAL_FEATURES`]).
#[inline]
pub(crate) fn pair_head(infos: &[WordInfo], i: usize) -> [u32; 3] {
    let (p, w, n) = (at(infos, i, -1).hash, at(infos, i, 0).hash, at(infos, i, 1).hash);
    [hkey(0, &[]), hkey(9, &[p, w]), hkey(10, &[w, n])]
}

/// The sentence-dependent keys of word `i` besides [`pair_head`]: shape triple, cluster bigram, gazetteer
/// matches of the word and its neighbours, a title before a gazetteer name.
pub(crate) fn pair_rest(infos: &[WordInfo], gaz: &[u64], i: usize, out: &mut Vec<u32>) {
    let (p, w, n) = (at(infos, i, -1), at(infos, i, 0), at(infos, i, 1));
    out.push(hkey(16, &[u64::from(p.shape), u64::from(w.shape), u64::from(n.shape)]));
    out.push(hkey(34, &[u64::from(p.clusters[1]), u64::from(w.clusters[1])]));
    let g = gaz.get(i).copied().unwrap_or(0);
    let mut bits = g;
    while bits != 0 {
        let b = bits.trailing_zeros();
        bits &= bits - 1;
        out.push(hkey(18, &[u64::from(b)]));
    }
    for (id, j) in [(19u8, i.wrapping_sub(1)), (20, i + 1)] {
        if let Some(&gj) = gaz.get(j) {
            for slot in 0..SLOTS {
                if gj & (0xFF << (slot * 8)) != 0 {
                    out.push(hkey(id, &[slot as u64]));
                }
            }
        }
    }
    if p.trig != 0 {
        // A title before a word the gazetteer knows is strong evidence.
        let types = (0..SLOTS).filter(|s| g & (0xFF << (s * 8)) != 0).fold(0u64, |m, s| m | 1 << s);
        out.push(hkey(25, &[u64::from(p.trig), types]));
    }
}

/// [`pair_rest`] for tagging, split: the keys of word `i`'s shape triple, cluster bigram and title before a
/// gazetteer name go to `out`; its gazetteer match bits (each bit `b` stands for the key `hkey(18, b)`) and the
/// gazetteer slots matched by its left and right neighbours (one bit a slot) are returned, for dense weights.
pub(crate) fn pair_rest_split(infos: &[WordInfo], gaz: &[u64], i: usize, out: &mut Vec<u32>) -> (u64, [u8; 2]) {
    let (p, w, n) = (at(infos, i, -1), at(infos, i, 0), at(infos, i, 1));
    out.push(hkey(16, &[u64::from(p.shape), u64::from(w.shape), u64::from(n.shape)]));
    out.push(hkey(34, &[u64::from(p.clusters[1]), u64::from(w.clusters[1])]));
    let g = gaz.get(i).copied().unwrap_or(0);
    let mut slots = [0u8; 2];
    for (s, j) in slots.iter_mut().zip([i.wrapping_sub(1), i + 1]) {
        if let Some(&gj) = gaz.get(j) {
            *s = slots_of(gj);
        }
    }
    if p.trig != 0 {
        out.push(hkey(25, &[u64::from(p.trig), u64::from(slots_of(g))]));
    }
    (g, slots)
}

/// The keys [`pair_rest_split`] returns as bits: gazetteer bit `b` of the word (`side` 0), gazetteer slot `b`
/// of its left (`side` 1) or right (`side` 2) neighbour.
pub(crate) fn gaz_key(side: usize, b: u32) -> u32 {
    match side {
        0 => hkey(18, &[u64::from(b)]),
        1 => hkey(19, &[u64::from(b)]),
        _ => hkey(20, &[u64::from(b)]),
    }
}

/// Per-sentence facts for training and for tagging surface words: the normalised words, their
/// [`WordInfo`]s and gazetteer matches.
#[derive(Debug, Default)]
pub(crate) struct SentenceFacts {
    orig: String,
    spans: Vec<Span>,
    norm: NormalizedText,
    words: Vec<Range<usize>>,
    infos: Vec<WordInfo>,
    gaz: Vec<u64>,
}

impl SentenceFacts {
    /// Joins surface words with spaces and normalises them once; `ranges` then gives each word in `text`.
    pub(crate) fn normalize<W: AsRef<[S]>, S: AsRef<str>>(&mut self, sentences: &[W]) {
        self.orig.clear();
        self.spans.clear();
        for words in sentences {
            for w in words.as_ref() {
                if !self.orig.is_empty() {
                    self.orig.push(' ');
                }
                let start = self.orig.len();
                self.orig.push_str(w.as_ref());
                self.spans.push(Span::new(start, self.orig.len()));
            }
        }
        self.norm.reset(&self.orig);
        self.words.clear();
        for &span in &self.spans {
            let mut r = self.norm.to_norm(span);
            // A word of invisible characters only may map to a range that starts past its end.
            r.start = r.start.min(r.end);
            self.words.push(r);
        }
    }

    /// The normalised text and word ranges made by [`SentenceFacts::normalize`].
    pub(crate) fn text(&self) -> (&str, &[Range<usize>]) {
        (self.norm.as_str(), &self.words)
    }

    /// Normalises one sentence's words and matches the lexicon over them.
    pub(crate) fn prepare<S: AsRef<str>>(&mut self, words: &[S], lex: &Lexicon) {
        self.normalize(&[words]);
        self.infos.clear();
        let text = self.norm.as_str();
        for r in &self.words {
            self.infos.push(WordInfo::new(&text[r.clone()], lex));
        }
        match_gaz(lex, &self.infos, &mut self.gaz);
    }

    fn word(&self, i: usize) -> &str {
        &self.norm.as_str()[self.words[i].clone()]
    }

    /// Hash of word `i`'s clitic-free stem: the key under which the second pass groups occurrences of a word.
    pub(crate) fn stem_key(&self, i: usize) -> u64 {
        self.infos[i].stem
    }

    /// Number of words prepared.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.words.len()
    }

    /// Appends the feature keys of word `i` to `out`. The first one is the bias; the next
    /// [`LEXICAL_FEATURES`] look at the word's identity (training may drop them to learn from context).
    pub(crate) fn features(&self, i: usize, out: &mut Vec<u32>) {
        let infos = &self.infos;
        let head = pair_head(infos, i);
        out.push(head[0]);
        lexical_keys(&infos[i], out);
        out.extend_from_slice(&head[1..]);
        own_keys(self.word(i), &infos[i], out);
        for d in [-2, -1, 1, 2] {
            context_keys(&at(infos, i, d), d, out);
        }
        pair_rest(infos, &self.gaz, i, out);
    }
}

/// Second-pass (stacked) features: what the first pass said about a word here and elsewhere in its document
/// window (the sentence and `window` neighbouring sentences on each side, in reading order).
///
/// Occurrences are grouped by clitic-free stem, so `وبغداد` counts as another `بغداد`. A name tagged as a
/// person in a full mention (`إيمانويل ماكرون`) thus lends its tag to a bare later mention (`ماكرون`).
#[derive(Debug, Default)]
pub(crate) struct Stacker {
    /// The document's stems, numbered in order of first occurrence ([`StemIds`]).
    ids: StemIds,
    /// Per stem number: first-pass tag counts over the sentences currently in the window.
    counts: Vec<[u16; NT]>,
    slots: Vec<u16>,
    keys: Vec<u32>,
}

/// The stems of a document numbered densely: the window walk then counts tags in a plain array indexed by
/// number, one hash look-up a word (here) instead of three (adding the word to the window, reading its
/// counts, removing it).
#[derive(Debug, Default)]
struct StemIds {
    map: MixMap<u64, u32>,
    /// Per word: the number of its stem.
    of_word: Vec<u32>,
}

impl StemIds {
    /// Numbers `stems`; returns how many distinct stems there are.
    fn number(&mut self, stems: &[u64]) -> usize {
        self.map.clear();
        self.of_word.clear();
        for &s in stems {
            let next = self.map.len() as u32;
            self.of_word.push(*self.map.entry(s).or_insert(next));
        }
        self.map.len()
    }
}

impl Stacker {
    /// For every word of the consecutive sentences `sent_off` (word offsets into `stems` and `labels`, one extra
    /// at the end), computes its stacked feature keys and hands them to `f(word, keys)`, in word order.
    pub(crate) fn run(
        &mut self,
        stems: &[u64],
        labels: &[u8],
        sent_off: &[usize],
        window: usize,
        mut f: impl FnMut(usize, &[u32]),
    ) {
        let keys = &mut self.keys;
        walk(&mut self.ids, &mut self.counts, &mut self.slots, stems, labels, sent_off, window, |w, slots| {
            keys.clear();
            keys.extend(slots.iter().map(|&s| stack_key(s)));
            f(w, keys);
        });
    }

    /// [`Stacker::run`] handing over the features as dense slots ([`stack_key`] gives their keys): tagging
    /// reads their weights from a table indexed by slot instead of hashing and looking up keys.
    pub(crate) fn run_slots(
        &mut self,
        stems: &[u64],
        labels: &[u8],
        sent_off: &[usize],
        window: usize,
        f: impl FnMut(usize, &[u16]),
    ) {
        walk(&mut self.ids, &mut self.counts, &mut self.slots, stems, labels, sent_off, window, f);
    }
}

/// The window walk of [`Stacker::run`]: `f(word, slots)` for every word.
#[allow(clippy::too_many_arguments)]
fn walk(
    ids: &mut StemIds,
    counts: &mut Vec<[u16; NT]>,
    slots: &mut Vec<u16>,
    stems: &[u64],
    labels: &[u8],
    sent_off: &[usize],
    window: usize,
    mut f: impl FnMut(usize, &[u16]),
) {
    let m = sent_off.len().saturating_sub(1);
    counts.clear();
    counts.resize(ids.number(stems), [0; NT]);
    let of_word = ids.of_word.as_slice();
    let change = |counts: &mut Vec<[u16; NT]>, s: usize, add: bool| {
        for w in sent_off[s]..sent_off[s + 1] {
            let c = &mut counts[of_word[w] as usize];
            let t = usize::from(labels[w]).min(NT - 1);
            c[t] = if add { c[t].saturating_add(1) } else { c[t].saturating_sub(1) };
        }
    };
    for s in 0..m.min(window + 1) {
        change(counts, s, true);
    }
    for s in 0..m {
        let (a, b) = (sent_off[s], sent_off[s + 1]);
        for w in a..b {
            let own = usize::from(labels[w]).min(NT - 1);
            let prev = if w > a { usize::from(labels[w - 1]).min(NT - 1) } else { NT };
            let next = if w + 1 < b { usize::from(labels[w + 1]).min(NT - 1) } else { NT + 1 };
            let mut others = counts[of_word[w] as usize];
            others[own] = others[own].saturating_sub(1);
            slots.clear();
            stack_features(own, prev, next, &others, slots);
            f(w, slots);
        }
        if s >= window {
            change(counts, s - window, false);
        }
        if s + window + 1 < m {
            change(counts, s + window + 1, true);
        }
    }
}

/// Values a stacked feature's numbers take (tags `0..NT`, the sentence start `NT` and end `NT + 1`, classes,
/// counts up to 4): each is below this.
const STACK_VALUES: usize = 20;
/// Number of dense stacked-feature slots: template ids 40–49, a first number, and an optional second one.
pub(crate) const STACK_SLOTS: usize = 10 * STACK_VALUES * (STACK_VALUES + 1);

/// The dense slot of stacked feature `id` (40–49) with number `a` and optionally `b` (each below
/// [`STACK_VALUES`]).
#[inline]
pub(crate) fn stack_slot(id: u8, a: u8, b: Option<u8>) -> u16 {
    let (id, a) = (usize::from(id - 40), usize::from(a));
    ((id * STACK_VALUES + a) * (STACK_VALUES + 1) + b.map_or(0, |b| usize::from(b) + 1)) as u16
}

/// The template id, first number and optional second number of a dense stacked slot (the inverse of
/// [`stack_slot`]).
pub(crate) fn stack_slot_parts(slot: u16) -> (u8, u8, Option<u8>) {
    let slot = usize::from(slot);
    let b = slot % (STACK_VALUES + 1);
    let a = (slot / (STACK_VALUES + 1)) % STACK_VALUES;
    let id = 40 + slot / (STACK_VALUES + 1) / STACK_VALUES;
    (id as u8, a as u8, b.checked_sub(1).map(|b| b as u8))
}

/// The feature key of a dense stacked slot: the template id, then its one or two numbers, hashed.
pub(crate) fn stack_key(slot: u16) -> u32 {
    let (id, a, b) = stack_slot_parts(slot);
    let f = Fnv::new().byte(id).byte(a);
    match b {
        None => f.key(),
        Some(b) => f.byte(b).key(),
    }
}

/// The stacked features of one word, as dense slots ([`stack_key`] gives their keys): its own first-pass tag
/// with its neighbours', and the tags the first pass gave the other occurrences of its stem in the window.
///
/// The class counts are written out as sums of each type's four tags (`class_of` of BILOU), and the tags seen
/// elsewhere gathered as a bit set first: the tagger calls this for every word of a document.
pub(crate) fn stack_features(own: usize, prev: usize, next: usize, others: &[u16; NT], out: &mut Vec<u16>) {
    let oc = class_of(own) as u8;
    out.push(stack_slot(40, own as u8, None));
    out.push(stack_slot(41, prev as u8, Some(own as u8)));
    out.push(stack_slot(42, own as u8, Some(next as u8)));
    let o = others.map(u32::from);
    let tc = [
        o[0],
        o[1] + o[2] + o[3] + o[4],
        o[5] + o[6] + o[7] + o[8],
        o[9] + o[10] + o[11] + o[12],
        o[13] + o[14] + o[15] + o[16],
    ];
    let total: u32 = tc.iter().sum();
    if total == 0 {
        out.push(stack_slot(48, oc, None));
        return;
    }
    let maj = (0..5).fold(0, |m, c| if tc[c] > tc[m] { c } else { m });
    out.push(stack_slot(43, maj as u8, None));
    out.push(stack_slot(44, maj as u8, Some(oc)));
    out.push(stack_slot(49, maj as u8, Some(total.min(4) as u8)));
    if tc[maj] == total {
        out.push(stack_slot(46, maj as u8, None));
    }
    for (ty, &c) in tc.iter().enumerate().skip(1) {
        if c > 0 {
            out.push(stack_slot(45, ty as u8, None));
        }
    }
    let mut seen = o.iter().enumerate().skip(1).fold(0u32, |m, (tag, &c)| m | u32::from(c > 0) << tag);
    while seen != 0 {
        let tag = seen.trailing_zeros();
        seen &= seen - 1;
        out.push(stack_slot(47, tag as u8, None));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stripped(w: &str) -> (String, String) {
        let s = strip(w);
        let base = format!("{}{}", if s.alef { "ا" } else { "" }, &w[s.base]);
        (base, w[s.stem].to_string())
    }

    #[test]
    fn strips_proclitics() {
        assert_eq!(stripped("وبالعراق"), ("العراق".into(), "عراق".into()));
        assert_eq!(stripped("للاردن"), ("الاردن".into(), "اردن".into()));
        assert_eq!(stripped("وبغداد"), ("بغداد".into(), "بغداد".into()));
        assert_eq!(stripped("بغداد"), ("بغداد".into(), "بغداد".into()));
        assert_eq!(stripped("ولد"), ("ولد".into(), "ولد".into()));
        assert_eq!(stripped("ال"), ("ال".into(), "ال".into()));
        assert_eq!(stripped(""), ("".into(), "".into()));
    }

    #[test]
    fn shapes_classify_scripts() {
        assert_eq!(shape("بغداد"), 1);
        assert_eq!(shape("2024"), 4);
        assert_eq!(shape("F-16"), (2 * 8 + 5) * 8 + 4);
        assert_eq!(shape("،"), 5);
    }

    #[test]
    fn matches_multiword_and_clitic_gazetteer_entries() {
        let mut lex = Lexicon::new();
        lex.add_gazetteer(EntityType::Loc, "====\nالأردن\nالشرق الأوسط\n");
        lex.add_triggers("t", "PER\tالرئيس\n").unwrap();
        let mut f = SentenceFacts::default();
        f.prepare(&["قال", "الرئيس", "إن", "للأردن", "دورا", "في", "الشرق", "الاوسط"], &lex);
        assert_eq!(f.infos[1].trig, 1);
        assert_eq!(f.gaz[3], 1 << (8 + 4));
        assert_eq!(f.gaz[6], 1 << (8 + 1));
        assert_eq!(f.gaz[7], 1 << (8 + 3));
        assert_eq!(f.gaz[0], 0);
        let mut out = Vec::new();
        f.features(3, &mut out);
        assert!(out.len() > 20);
        assert!(out.iter().all(|&k| k != 0));
        // A word of the entry alone does not match; a prefix without its continuation does not either.
        f.prepare(&["الشرق", "الجديد"], &lex);
        assert_eq!(f.gaz, vec![0, 0]);
    }

    #[test]
    fn lexicon_text_round_trips() {
        let mut lex = Lexicon::new();
        lex.add_gazetteer(EntityType::Per, "محمد\nعلي  حسن\n");
        lex.add_gazetteer(EntityType::Loc, "عمان\n");
        lex.add_gazetteer(EntityType::Org, "عمان\n");
        lex.add_triggers("t", "# c\nLOC\tمدينة\n").unwrap();
        lex.add_list(GazSlot::Nationality, "عراقي\n");
        let text = lex.to_text();
        let back = Lexicon::from_text("m", &text).unwrap();
        assert_eq!(back.to_text(), text);
        assert_eq!(back.len(), (4, 1));
        assert!(lex.add_triggers("t.tsv", "PLACE\tمدينة\n").is_err());
    }

    #[test]
    fn stack_slots_are_distinct_and_give_the_hashed_keys() {
        let mut seen = vec![false; STACK_SLOTS];
        for id in 40u8..=49 {
            for a in 0..STACK_VALUES as u8 {
                let one = stack_slot(id, a, None);
                assert_eq!(stack_key(one), Fnv::new().byte(id).byte(a).key());
                for slot in std::iter::once(one).chain((0..STACK_VALUES as u8).map(|b| stack_slot(id, a, Some(b)))) {
                    assert!(!std::mem::replace(&mut seen[usize::from(slot)], true), "{id} {a}");
                }
                for b in 0..STACK_VALUES as u8 {
                    assert_eq!(stack_key(stack_slot(id, a, Some(b))), Fnv::new().byte(id).byte(a).byte(b).key());
                }
            }
        }
        assert!(seen.iter().all(|&s| s));
    }

    #[test]
    fn stacker_counts_other_occurrences_in_the_window() {
        // Invented: three one-word "sentences"; stems s1, s2, s1 (the last with a clitic in real text).
        let stems = [11u64, 22, 11, 11];
        // First-pass tags: U-PER (4), O, O, and a far sentence tagged U-LOC (8).
        let labels = [4u8, 0, 0, 8];
        let offs = [0usize, 1, 2, 3, 4];
        let run = |window: usize| {
            let mut got: Vec<Vec<u32>> = Vec::new();
            Stacker::default().run(&stems, &labels, &offs, window, |w, keys| {
                assert_eq!(w, got.len());
                got.push(keys.to_vec());
            });
            got
        };
        let per_elsewhere = Fnv::new().byte(45).byte(1).key();
        let loc_elsewhere = Fnv::new().byte(45).byte(2).key();
        let got = run(1);
        assert_eq!(got.len(), 4);
        // Word 2 sees word 3's LOC; word 0's PER is two sentences away, beyond the window.
        assert!(got[2].contains(&loc_elsewhere) && !got[2].contains(&per_elsewhere));
        // Words 0 and 1 have no other occurrence in their windows.
        assert!(got[0].contains(&Fnv::new().byte(48).byte(1).key()));
        assert!(got[1].contains(&Fnv::new().byte(48).byte(0).key()));
        let got = run(2);
        assert!(got[2].contains(&loc_elsewhere) && got[2].contains(&per_elsewhere));
        assert!(got[0].contains(&Fnv::new().byte(43).byte(0).key()));
    }

    /// [`stack_features`] as it was, summing the classes in a loop over the tags: the reference.
    fn stack_features_by_loops(own: usize, prev: usize, next: usize, others: &[u16; NT], out: &mut Vec<u16>) {
        let oc = class_of(own) as u8;
        out.push(stack_slot(40, own as u8, None));
        out.push(stack_slot(41, prev as u8, Some(own as u8)));
        out.push(stack_slot(42, own as u8, Some(next as u8)));
        let mut tc = [0u32; 5];
        for (tag, &c) in others.iter().enumerate() {
            tc[class_of(tag)] += u32::from(c);
        }
        let total: u32 = tc.iter().sum();
        if total == 0 {
            out.push(stack_slot(48, oc, None));
            return;
        }
        let maj = (0..5).fold(0, |m, c| if tc[c] > tc[m] { c } else { m });
        out.push(stack_slot(43, maj as u8, None));
        out.push(stack_slot(44, maj as u8, Some(oc)));
        out.push(stack_slot(49, maj as u8, Some(total.min(4) as u8)));
        if tc[maj] == total {
            out.push(stack_slot(46, maj as u8, None));
        }
        for (ty, &c) in tc.iter().enumerate().skip(1) {
            if c > 0 {
                out.push(stack_slot(45, ty as u8, None));
            }
        }
        for (tag, &c) in others.iter().enumerate().skip(1) {
            if c > 0 {
                out.push(stack_slot(47, tag as u8, None));
            }
        }
    }

    /// Every own, previous and next tag, with counts elsewhere of none, few or many tags.
    #[test]
    fn stack_features_as_the_loops() {
        let mut x = 0x2545_F491_4F6C_DD1Du64;
        let mut rnd = move |n: u64| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x % n
        };
        let (mut got, mut want) = (Vec::new(), Vec::new());
        for own in 0..NT {
            for prev in 0..=NT {
                for next in (0..NT).chain([NT + 1]) {
                    for round in 0..8 {
                        let mut others = [0u16; NT];
                        for o in &mut others {
                            *o = match round {
                                0 => 0,
                                1..=4 => (rnd(8) == 0) as u16 * rnd(3) as u16,
                                5 | 6 => rnd(5) as u16,
                                _ => [0, 1, u16::MAX][rnd(3) as usize],
                            };
                        }
                        got.clear();
                        want.clear();
                        stack_features(own, prev, next, &others, &mut got);
                        stack_features_by_loops(own, prev, next, &others, &mut want);
                        assert_eq!(got, want, "own {own}, prev {prev}, next {next}, others {others:?}");
                    }
                }
            }
        }
    }

    /// The walk as it was, with the counts in a map keyed by stem: the reference for the numbered stems.
    fn walk_by_map(stems: &[u64], labels: &[u8], sent_off: &[usize], window: usize) -> Vec<Vec<u16>> {
        let mut counts: MixMap<u64, [u16; NT]> = MixMap::default();
        let mut out = Vec::new();
        let m = sent_off.len().saturating_sub(1);
        let change = |counts: &mut MixMap<u64, [u16; NT]>, s: usize, add: bool| {
            for w in sent_off[s]..sent_off[s + 1] {
                let c = counts.entry(stems[w]).or_default();
                let t = usize::from(labels[w]).min(NT - 1);
                c[t] = if add { c[t].saturating_add(1) } else { c[t].saturating_sub(1) };
            }
        };
        for s in 0..m.min(window + 1) {
            change(&mut counts, s, true);
        }
        for s in 0..m {
            let (a, b) = (sent_off[s], sent_off[s + 1]);
            for w in a..b {
                let own = usize::from(labels[w]).min(NT - 1);
                let prev = if w > a { usize::from(labels[w - 1]).min(NT - 1) } else { NT };
                let next = if w + 1 < b { usize::from(labels[w + 1]).min(NT - 1) } else { NT + 1 };
                let mut others = counts.get(&stems[w]).copied().unwrap_or_default();
                others[own] = others[own].saturating_sub(1);
                let mut slots = Vec::new();
                stack_features(own, prev, next, &others, &mut slots);
                out.push(slots);
            }
            if s >= window {
                change(&mut counts, s - window, false);
            }
            if s + window + 1 < m {
                change(&mut counts, s + window + 1, true);
            }
        }
        out
    }

    /// Random documents (few distinct stems, so that they recur; some labels out of range; empty sentences),
    /// walked with numbered stems and by the map, one `Stacker` reused across them.
    #[test]
    fn numbered_stems_walk_as_the_map() {
        let mut x = 0x9E37_79B9_7F4A_7C15u64;
        let mut rnd = move |n: u64| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x % n
        };
        let mut stacker = Stacker::default();
        for doc in 0..300 {
            let n_sent = rnd(12) as usize;
            let mut sent_off = vec![0usize];
            for _ in 0..n_sent {
                sent_off.push(sent_off.last().copied().unwrap_or(0) + rnd(9) as usize);
            }
            let n = sent_off.last().copied().unwrap_or(0);
            let kinds = 1 + rnd(20);
            let stems: Vec<u64> = (0..n).map(|_| rnd(kinds).wrapping_mul(0x1234_5678_9ABC_DEF1)).collect();
            let labels: Vec<u8> = (0..n).map(|_| if rnd(3) == 0 { 0 } else { rnd(NT as u64 + 2) as u8 }).collect();
            let window = rnd(4) as usize;
            let mut got = Vec::new();
            stacker.run_slots(&stems, &labels, &sent_off, window, |w, slots| {
                assert_eq!(w, got.len());
                got.push(slots.to_vec());
            });
            assert_eq!(got, walk_by_map(&stems, &labels, &sent_off, window), "document {doc}");
        }
    }

    #[test]
    fn gazetteer_slots_gather_the_nonzero_bytes() {
        let naive = |g: u64| (0..SLOTS).filter(|s| g & (0xFF << (s * 8)) != 0).fold(0u8, |m, s| m | 1 << s);
        let mut x = 0x2545_F491_4F6C_DD1Du64;
        for k in 0..10_000u64 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            // Sparse values too: a few random bytes kept.
            let g = if k % 2 == 0 { x } else { x & (0xFF << ((x % 8) * 8)) & (x >> 3) };
            assert_eq!(slots_of(g), naive(g), "{g:#x}");
        }
        for s in 0..64 {
            assert_eq!(slots_of(1 << s), 1 << (s / 8));
        }
        assert_eq!((slots_of(0), slots_of(u64::MAX)), (0, 0xFF));
    }

    #[test]
    fn odd_words_do_not_panic() {
        let lex = Lexicon::new();
        let mut f = SentenceFacts::default();
        f.prepare(&["", "\u{200F}", "ـــ", "َ", "a b", "ل"], &lex);
        let mut out = Vec::new();
        for i in 0..f.len() {
            f.features(i, &mut out);
        }
        f.prepare::<&str>(&[], &lex);
        assert_eq!(f.len(), 0);
    }
}
