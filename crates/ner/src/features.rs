//! Token features for the tagger, and the lexicon they read (gazetteers, trigger words).
//!
//! Every feature is a 32-bit key: an FNV-1a hash of a template id and the strings it looks at, computed
//! without allocating. The lexicon is matched over the sentence once per call (multi-word gazetteer entries,
//! clitic-tolerant first word), then each word's features are produced from precomputed per-word facts.

use rasid_text::{NormalizedText, Span};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::ops::Range;

use crate::tags::{class_of, EntityType, NT};

/// Longest gazetteer entry, in words, that is matched (longer entries are ignored).
pub(crate) const MAX_GAZ_WORDS: usize = 6;

/// Number of word-identity features that follow the bias in [`SentenceFacts::features`].
pub(crate) const LEXICAL_FEATURES: usize = 5;

/// Gazetteer slots: ANERgazet's person, location and organisation lists, then GeoNames place names (kept apart
/// because they include small places named with common words, so the learner weighs them separately).
const GAZ_BITS: [u8; 4] = [1, 2, 4, PLACE_BIT];
const PLACE_BIT: u8 = 8;
/// In the gazetteer hash map: the key is also the start of a longer entry.
const PREFIX_BIT: u8 = 0x80;

fn gaz_bit(t: EntityType) -> u8 {
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

/// FNV-1a, 64 bit: deterministic across runs and platforms (model keys depend on it).
#[derive(Clone, Copy)]
pub(crate) struct Fnv(u64);

impl Fnv {
    const BASIS: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;

    #[inline]
    pub(crate) fn new() -> Fnv {
        Fnv(Self::BASIS)
    }
    #[inline]
    pub(crate) fn byte(self, b: u8) -> Fnv {
        Fnv((self.0 ^ u64::from(b)).wrapping_mul(Self::PRIME))
    }
    #[inline]
    pub(crate) fn bytes(self, bs: &[u8]) -> Fnv {
        bs.iter().fold(self, |h, &b| h.byte(b))
    }
    #[inline]
    pub(crate) fn str(self, s: &str) -> Fnv {
        self.bytes(s.as_bytes())
    }
    /// A field separator, so that ("ab","c") and ("a","bc") differ.
    #[inline]
    fn sep(self) -> Fnv {
        self.byte(0xFF)
    }
    /// Folds to a non-zero 32-bit key (0 marks an empty slot in the model's table).
    #[inline]
    pub(crate) fn key(self) -> u32 {
        let k = (self.0 ^ (self.0 >> 32)) as u32;
        if k == 0 {
            1
        } else {
            k
        }
    }
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
    /// Normalised entry (words joined by one space) → gazetteer type bits.
    entries: std::collections::BTreeMap<String, u8>,
    /// Normalised trigger word → type bits of the entity it announces.
    trigger_words: std::collections::BTreeMap<String, u8>,
    /// Normalised word → (coarse cluster, fine cluster, log2 corpus frequency), from unlabelled news text.
    cluster_words: std::collections::BTreeMap<String, [u16; 3]>,
    gaz: MixMap<u64, u8>,
    triggers: MixMap<u64, u8>,
    clusters: MixMap<u64, [u16; 3]>,
}

fn type_name(bit: u8) -> &'static str {
    match bit {
        1 => "PER",
        2 => "LOC",
        4 => "ORG",
        PLACE_BIT => "PLACE",
        _ => "MISC",
    }
}

/// Normalises an entry and joins its words with single spaces.
fn canonical(entry: &str) -> String {
    let n = rasid_text::normalize(entry);
    let mut out = String::with_capacity(n.len());
    for w in n.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

fn has_letter(s: &str) -> bool {
    s.chars().any(char::is_alphabetic)
}

impl Lexicon {
    /// An empty lexicon (no gazetteer or trigger features fire).
    pub fn new() -> Lexicon {
        Lexicon::default()
    }

    /// The lexicon shipped in `data/ner/` (converted ANERgazet lists and the trigger-word file).
    pub fn bundled() -> Result<Lexicon, LexiconError> {
        let mut lex = Lexicon::new();
        lex.add_gazetteer(EntityType::Per, include_str!("../../../data/ner/gazetteers/per.txt"));
        lex.add_gazetteer(EntityType::Loc, include_str!("../../../data/ner/gazetteers/loc.txt"));
        lex.add_gazetteer(EntityType::Org, include_str!("../../../data/ner/gazetteers/org.txt"));
        lex.add_triggers("triggers.tsv", include_str!("../../../data/ner/triggers.tsv"))?;
        lex.add_places(include_str!("../../../data/ner/gazetteers/places.txt"));
        lex.add_clusters("clusters.tsv", include_str!("../../../data/ner/clusters.tsv"))?;
        Ok(lex)
    }

    /// Adds a gazetteer list: one entry per line (one or more words); `#` comments, blank lines and lines
    /// without a letter (ANERgazet's `====` separators) are skipped.
    pub fn add_gazetteer(&mut self, ty: EntityType, text: &str) {
        self.add_entries(gaz_bit(ty), text);
    }

    fn add_entries(&mut self, bit: u8, text: &str) {
        for line in text.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') || !has_letter(line) {
                continue;
            }
            let c = canonical(line);
            if c.split(' ').count() <= MAX_GAZ_WORDS {
                // Mark every proper word prefix so matching can stop as soon as no entry continues.
                for (pos, _) in c.match_indices(' ') {
                    *self.gaz.entry(Fnv::new().str(&c[..pos]).0).or_default() |= PREFIX_BIT;
                }
                *self.entries.entry(c.clone()).or_default() |= bit;
                *self.gaz.entry(Fnv::new().str(&c).0).or_default() |= bit;
            }
        }
    }

    /// Adds place names (GeoNames), one entry a line like [`Lexicon::add_gazetteer`], as a separate source.
    pub fn add_places(&mut self, text: &str) {
        self.add_entries(PLACE_BIT, text);
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
            let c = canonical(word);
            if c.is_empty() || c.contains(' ') {
                return Err(bad());
            }
            *self.trigger_words.entry(c.clone()).or_default() |= gaz_bit(ty);
            *self.triggers.entry(Fnv::new().str(&c).0).or_default() |= gaz_bit(ty);
        }
        Ok(())
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
            let word = parts.next().map(canonical).filter(|w| !w.is_empty()).ok_or_else(bad)?;
            let mut v = [0u16; 3];
            for x in &mut v {
                *x = parts.next().and_then(|p| p.trim().parse().ok()).ok_or_else(bad)?;
            }
            if parts.next().is_some() {
                return Err(bad());
            }
            self.clusters.insert(Fnv::new().str(&word).0, v);
            self.cluster_words.insert(word, v);
        }
        Ok(())
    }

    /// Number of words with a cluster.
    pub fn cluster_count(&self) -> usize {
        self.cluster_words.len()
    }

    /// Number of gazetteer entries and trigger words.
    pub fn len(&self) -> (usize, usize) {
        (self.entries.len(), self.trigger_words.len())
    }

    /// `true` when the lexicon has no entries at all.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty() && self.trigger_words.is_empty()
    }

    /// Serialises the lexicon for embedding in a model file: sections headed by a line that starts with a tab
    /// (`\tgaz\tLOC`, `\ttrigger\tPER`, `\tcluster`; entries never start with whitespace), then one sorted
    /// record a line (an entry, a trigger word, or `word<TAB>coarse<TAB>fine<TAB>log2freq`).
    pub(crate) fn to_text(&self) -> String {
        let mut out = String::new();
        for (kind, map) in [("gaz", &self.entries), ("trigger", &self.trigger_words)] {
            for bit in GAZ_BITS {
                let mut head = false;
                for entry in map.iter().filter(|(_, &b)| b & bit != 0).map(|(e, _)| e) {
                    if !head {
                        out.push_str(&format!("\t{kind}\t{}\n", type_name(bit)));
                        head = true;
                    }
                    out.push_str(entry);
                    out.push('\n');
                }
            }
        }
        if !self.cluster_words.is_empty() {
            out.push_str("\tcluster\n");
        }
        for (word, c) in &self.cluster_words {
            out.push_str(&format!("{}\t{}\t{}\t{}\n", word, c[0], c[1], c[2]));
        }
        out
    }

    /// Inverse of [`Lexicon::to_text`].
    pub(crate) fn from_text(name: &str, text: &str) -> Result<Lexicon, LexiconError> {
        enum Section {
            None,
            Gaz(EntityType),
            Places,
            Trigger(EntityType),
            Cluster,
        }
        let mut lex = Lexicon::new();
        let mut section = Section::None;
        for (n, line) in text.lines().enumerate() {
            let bad = || LexiconError::BadRecord { name: name.to_string(), line: n + 1, text: line.to_string() };
            if let Some(head) = line.strip_prefix('\t') {
                let ty = |t: &str| EntityType::parse(t).ok_or_else(bad);
                section = match head.split_once('\t') {
                    None if head == "cluster" => Section::Cluster,
                    Some(("gaz", "PLACE")) => Section::Places,
                    Some(("gaz", t)) => Section::Gaz(ty(t)?),
                    Some(("trigger", t)) => Section::Trigger(ty(t)?),
                    _ => return Err(bad()),
                };
                continue;
            }
            match section {
                Section::None => return Err(bad()),
                Section::Cluster => lex.add_clusters(name, line)?,
                Section::Places => lex.add_places(line),
                Section::Gaz(ty) => lex.add_gazetteer(ty, line),
                Section::Trigger(ty) => {
                    let c = canonical(line);
                    *lex.trigger_words.entry(c.clone()).or_default() |= gaz_bit(ty);
                    *lex.triggers.entry(Fnv::new().str(&c).0).or_default() |= gaz_bit(ty);
                }
            }
        }
        Ok(lex)
    }
}

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

/// Per-sentence facts every word's features read; lives in the tagger's scratch space.
#[derive(Debug, Default)]
pub(crate) struct SentenceFacts {
    orig: String,
    spans: Vec<Span>,
    norm: NormalizedText,
    words: Vec<Range<usize>>,
    stripped: Vec<Stripped>,
    shapes: Vec<u32>,
    /// Gazetteer match bits per word: for slot `t` (PER, LOC, ORG, PLACE) bit `t * 6 + kind`, kinds:
    /// 0 exact one-word, 1 exact multi-word start, 2 exact multi-word inside, 3–5 the same via a clitic-stripped
    /// first word.
    gaz: Vec<u32>,
    trig: Vec<u8>,
    /// Clusters of each word (and of its stem when the word has none); `u16::MAX` = unknown.
    clusters: Vec<[u16; 3]>,
    stem_clusters: Vec<[u16; 3]>,
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

impl SentenceFacts {
    /// Normalises the words and matches the lexicon over them.
    pub(crate) fn prepare<S: AsRef<str>>(&mut self, words: &[S], lex: &Lexicon) {
        self.orig.clear();
        self.spans.clear();
        for w in words {
            if !self.orig.is_empty() {
                self.orig.push(' ');
            }
            let start = self.orig.len();
            self.orig.push_str(w.as_ref());
            self.spans.push(Span::new(start, self.orig.len()));
        }
        self.norm.reset(&self.orig);
        self.words.clear();
        self.stripped.clear();
        self.shapes.clear();
        let text = self.norm.as_str();
        for &span in &self.spans {
            let mut r = self.norm.to_norm(span);
            // A word of invisible characters only may map to a range that starts past its end.
            r.start = r.start.min(r.end);
            let w = &text[r.clone()];
            let st = strip(w);
            self.stripped.push(Stripped {
                base: r.start + st.base.start..r.start + st.base.end,
                alef: st.alef,
                stem: r.start + st.stem.start..r.start + st.stem.end,
                loose: r.start + st.loose.start..r.start + st.loose.end,
            });
            self.shapes.push(shape(&self.orig[span.range()]));
            self.words.push(r);
        }
        self.match_lexicon(lex);
    }

    fn word(&self, i: usize) -> &str {
        &self.norm.as_str()[self.words[i].clone()]
    }

    fn stem(&self, i: usize) -> &str {
        &self.norm.as_str()[self.stripped[i].stem.clone()]
    }

    fn match_lexicon(&mut self, lex: &Lexicon) {
        let n = self.words.len();
        self.gaz.clear();
        self.gaz.resize(n, 0);
        self.trig.clear();
        self.trig.resize(n, 0);
        self.clusters.clear();
        self.stem_clusters.clear();
        let text = self.norm.as_str();
        const NONE: [u16; 3] = [u16::MAX; 3];
        for (r, st) in self.words.iter().zip(&self.stripped) {
            let c = lex.clusters.get(&Fnv::new().str(&text[r.clone()]).0).copied().unwrap_or(NONE);
            self.clusters.push(c);
            let alef = if st.alef { "ا" } else { "" };
            let sc = lex.clusters.get(&Fnv::new().str(alef).str(&text[st.base.clone()]).0).copied();
            let sc = sc.or_else(|| lex.clusters.get(&Fnv::new().str(&text[st.stem.clone()]).0).copied());
            let sc = sc.or_else(|| lex.clusters.get(&Fnv::new().str(&text[st.loose.clone()]).0).copied());
            self.stem_clusters.push(sc.unwrap_or(NONE));
        }
        for i in 0..n {
            let w = &text[self.words[i].clone()];
            if w.is_empty() {
                continue;
            }
            let st = &self.stripped[i];
            let base = &text[st.base.clone()];
            let stem = &text[st.stem.clone()];
            let alef = if st.alef { "ا" } else { "" };
            // Trigger words, tolerant of attached proclitics.
            for h in [Fnv::new().str(w), Fnv::new().str(alef).str(base), Fnv::new().str(stem)] {
                if let Some(&bits) = lex.triggers.get(&h.0) {
                    self.trig[i] |= bits;
                }
            }
            // Gazetteer entries starting at word i: exact first word, then clitic-stripped variants.
            let variants = [
                (Fnv::new().str(w), 0),
                (Fnv::new().str(alef).str(base), 3),
                (Fnv::new().str(stem), 3),
                (Fnv::new().str(&text[st.loose.clone()]), 3),
            ];
            for (vi, &(first, kind)) in variants.iter().enumerate() {
                if variants[..vi].iter().any(|v| v.0 .0 == first.0) {
                    continue;
                }
                let mut h = first;
                for len in 1..=MAX_GAZ_WORDS.min(n - i) {
                    if len > 1 {
                        h = h.byte(b' ').str(&text[self.words[i + len - 1].clone()]);
                    }
                    let Some(&bits) = lex.gaz.get(&h.0) else {
                        break;
                    };
                    for (slot, &bit) in GAZ_BITS.iter().enumerate() {
                        if bits & bit == 0 {
                            continue;
                        }
                        let base_bit = (slot * 6 + kind) as u32;
                        if len == 1 {
                            self.gaz[i] |= 1 << base_bit;
                        } else {
                            self.gaz[i] |= 1 << (base_bit + 1);
                            for g in &mut self.gaz[i + 1..i + len] {
                                *g |= 1 << (base_bit + 2);
                            }
                        }
                    }
                }
            }
        }
    }

    /// Hash of word `i`'s clitic-free stem: the key under which the second pass groups occurrences of a word.
    pub(crate) fn stem_key(&self, i: usize) -> u64 {
        Fnv::new().str(self.stem(i)).0
    }

    /// Number of words prepared.
    pub(crate) fn len(&self) -> usize {
        self.words.len()
    }

    /// Appends the feature keys of word `i` to `out`. The first one is the bias; the next
    /// [`LEXICAL_FEATURES`] look at the word's identity (training may drop them to learn from context).
    pub(crate) fn features(&self, i: usize, out: &mut Vec<u32>) {
        let n = self.len();
        let w0 = self.word(i);
        let ctx = |j: isize| -> &str {
            if j < 0 {
                "<s>"
            } else if j as usize >= n {
                "</s>"
            } else {
                self.word(j as usize)
            }
        };
        let sctx = |j: isize| -> &str {
            if j < 0 || j as usize >= n {
                "<>"
            } else {
                self.stem(j as usize)
            }
        };
        let t = |id: u8| Fnv::new().byte(id);
        let ii = i as isize;
        out.push(t(0).key());
        out.push(t(1).str(w0).key());
        out.push(t(2).str(self.stem(i)).key());
        out.push(t(35).str(&self.norm.as_str()[self.stripped[i].loose.clone()]).key());
        out.push(t(9).str(ctx(ii - 1)).sep().str(w0).key());
        out.push(t(10).str(w0).sep().str(ctx(ii + 1)).key());
        out.push(t(3).str(ctx(ii - 1)).key());
        out.push(t(4).str(ctx(ii + 1)).key());
        out.push(t(5).str(ctx(ii - 2)).key());
        out.push(t(6).str(ctx(ii + 2)).key());
        out.push(t(7).str(sctx(ii - 1)).key());
        out.push(t(8).str(sctx(ii + 1)).key());
        // Prefixes and suffixes of one to four characters.
        let mut ends = [0usize; 5];
        let mut count = 0;
        for (k, (pos, c)) in w0.char_indices().take(4).enumerate() {
            ends[k + 1] = pos + c.len_utf8();
            count = k + 1;
        }
        for k in 1..=count {
            out.push(t(11).byte(k as u8).str(&w0[..ends[k]]).key());
        }
        let mut starts = [w0.len(); 5];
        let mut scount = 0;
        for (k, (pos, _)) in w0.char_indices().rev().take(4).enumerate() {
            starts[k + 1] = pos;
            scount = k + 1;
        }
        for k in 1..=scount {
            out.push(t(12).byte(k as u8).str(&w0[starts[k]..]).key());
        }
        // Stem prefixes (after the clitics), and the proclitic string itself.
        let stem = self.stem(i);
        for (k, (pos, c)) in stem.char_indices().take(3).enumerate() {
            out.push(t(13).byte(k as u8).str(&stem[..pos + c.len_utf8()]).key());
        }
        let proc_len = self.stripped[i].stem.start - self.words[i].start;
        out.push(t(14).str(&w0[..proc_len.min(w0.len())]).key());
        // Shape, length.
        let sh = |j: isize| {
            if j < 0 || j as usize >= n {
                99
            } else {
                self.shapes[j as usize]
            }
        };
        out.push(t(15).bytes(&sh(ii).to_le_bytes()).key());
        out.push(
            t(16).bytes(&sh(ii - 1).to_le_bytes()).bytes(&sh(ii).to_le_bytes()).bytes(&sh(ii + 1).to_le_bytes()).key(),
        );
        let len = match nchars(w0) {
            0..=2 => 0u8,
            3 => 1,
            4 => 2,
            5..=6 => 3,
            _ => 4,
        };
        out.push(t(17).byte(len).key());
        // Gazetteer bits of this word, and which types match the neighbours.
        let g = self.gaz[i];
        for b in 0..24 {
            if g & (1 << b) != 0 {
                out.push(t(18).byte(b).key());
            }
        }
        for (id, j) in [(19u8, ii - 1), (20, ii + 1)] {
            if j >= 0 && (j as usize) < n {
                let gj = self.gaz[j as usize];
                for slot in 0..4u8 {
                    if gj & (0x3F << (slot * 6)) != 0 {
                        out.push(t(id).byte(slot).key());
                    }
                }
            }
        }
        // Word clusters (coarse and fine) of the window, the stem's cluster, corpus frequency.
        let cl = |j: isize| {
            if j < 0 || j as usize >= n {
                [u16::MAX - 1; 3]
            } else {
                self.clusters[j as usize]
            }
        };
        for (id, j) in [(26u8, ii - 2), (27, ii - 1), (28, ii), (29, ii + 1), (30, ii + 2)] {
            let c = cl(j);
            out.push(t(id).byte(0).bytes(&c[0].to_le_bytes()).key());
            if id != 26 && id != 30 {
                out.push(t(id).byte(1).bytes(&c[1].to_le_bytes()).key());
            }
        }
        let sc = self.stem_clusters[i];
        out.push(t(31).bytes(&sc[0].to_le_bytes()).key());
        out.push(t(32).bytes(&sc[1].to_le_bytes()).key());
        out.push(t(33).bytes(&cl(ii)[2].to_le_bytes()).key());
        out.push(t(34).bytes(&cl(ii - 1)[1].to_le_bytes()).bytes(&cl(ii)[1].to_le_bytes()).key());
        // Trigger words around the word.
        for (id, j) in [(21u8, ii - 2), (22, ii - 1), (23, ii), (24, ii + 1)] {
            if j >= 0 && (j as usize) < n {
                let bits = self.trig[j as usize];
                if bits != 0 {
                    out.push(t(id).byte(bits).key());
                    if id == 22 {
                        // A title before a word the gazetteer knows is strong evidence.
                        let types = (0..3).filter(|s| g & (0x3F << (s * 6)) != 0).fold(0u8, |m, s| m | 1 << s);
                        out.push(t(25).byte(bits).byte(types).key());
                    }
                }
            }
        }
    }
}

/// Second-pass (stacked) features: what the first pass said about a word here and elsewhere in its document
/// window (the sentence and `window` neighbouring sentences on each side, in reading order).
///
/// Occurrences are grouped by clitic-free stem, so `وبغداد` counts as another `بغداد`. A name tagged as a
/// person in a full mention (`إيمانويل ماكرون`) thus lends its tag to a bare later mention (`ماكرون`).
#[derive(Debug, Default)]
pub(crate) struct Stacker {
    /// Stem key → first-pass tag counts over the sentences currently in the window.
    counts: MixMap<u64, [u16; NT]>,
    keys: Vec<u32>,
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
        let m = sent_off.len().saturating_sub(1);
        self.counts.clear();
        let change = |counts: &mut MixMap<u64, [u16; NT]>, s: usize, add: bool| {
            for w in sent_off[s]..sent_off[s + 1] {
                let c = counts.entry(stems[w]).or_default();
                let t = usize::from(labels[w]).min(NT - 1);
                c[t] = if add { c[t].saturating_add(1) } else { c[t].saturating_sub(1) };
            }
        };
        for s in 0..m.min(window + 1) {
            change(&mut self.counts, s, true);
        }
        for s in 0..m {
            let (a, b) = (sent_off[s], sent_off[s + 1]);
            for w in a..b {
                let own = usize::from(labels[w]).min(NT - 1);
                let prev = if w > a { usize::from(labels[w - 1]).min(NT - 1) } else { NT };
                let next = if w + 1 < b { usize::from(labels[w + 1]).min(NT - 1) } else { NT + 1 };
                let mut others = self.counts.get(&stems[w]).copied().unwrap_or_default();
                others[own] = others[own].saturating_sub(1);
                self.keys.clear();
                stack_features(own, prev, next, &others, &mut self.keys);
                f(w, &self.keys);
            }
            if s >= window {
                change(&mut self.counts, s - window, false);
            }
            if s + window + 1 < m {
                change(&mut self.counts, s + window + 1, true);
            }
        }
    }
}

/// The stacked features of one word: its own first-pass tag with its neighbours', and the tags the first pass
/// gave the other occurrences of its stem in the window.
fn stack_features(own: usize, prev: usize, next: usize, others: &[u16; NT], out: &mut Vec<u32>) {
    let t = |id: u8| Fnv::new().byte(id);
    let oc = class_of(own) as u8;
    out.push(t(40).byte(own as u8).key());
    out.push(t(41).byte(prev as u8).byte(own as u8).key());
    out.push(t(42).byte(own as u8).byte(next as u8).key());
    let mut tc = [0u32; 5];
    for (tag, &c) in others.iter().enumerate() {
        tc[class_of(tag)] += u32::from(c);
    }
    let total: u32 = tc.iter().sum();
    if total == 0 {
        out.push(t(48).byte(oc).key());
        return;
    }
    let maj = (0..5).fold(0, |m, c| if tc[c] > tc[m] { c } else { m });
    out.push(t(43).byte(maj as u8).key());
    out.push(t(44).byte(maj as u8).byte(oc).key());
    out.push(t(49).byte(maj as u8).byte(total.min(4) as u8).key());
    if tc[maj] == total {
        out.push(t(46).byte(maj as u8).key());
    }
    for (ty, &c) in tc.iter().enumerate().skip(1) {
        if c > 0 {
            out.push(t(45).byte(ty as u8).key());
        }
    }
    for (tag, &c) in others.iter().enumerate().skip(1) {
        if c > 0 {
            out.push(t(47).byte(tag as u8).key());
        }
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
        assert_eq!(f.trig[1], 1);
        assert_eq!(f.gaz[3], 1 << (6 + 3));
        assert_eq!(f.gaz[6], 1 << (6 + 1));
        assert_eq!(f.gaz[7], 1 << (6 + 2));
        assert_eq!(f.gaz[0], 0);
        let mut out = Vec::new();
        f.features(3, &mut out);
        assert!(out.len() > 20);
        assert!(out.iter().all(|&k| k != 0));
    }

    #[test]
    fn lexicon_text_round_trips() {
        let mut lex = Lexicon::new();
        lex.add_gazetteer(EntityType::Per, "محمد\nعلي  حسن\n");
        lex.add_gazetteer(EntityType::Loc, "عمان\n");
        lex.add_gazetteer(EntityType::Org, "عمان\n");
        lex.add_triggers("t", "# c\nLOC\tمدينة\n").unwrap();
        let text = lex.to_text();
        let back = Lexicon::from_text("m", &text).unwrap();
        assert_eq!(back.to_text(), text);
        assert_eq!(back.len(), (3, 1));
        assert!(lex.add_triggers("t.tsv", "PLACE\tمدينة\n").is_err());
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
