//! Compiled phrase lists: word-bounded, clitic-tolerant matching of normalised phrases from `data/` files.
//!
//! A phrase list file is UTF-8 TSV: the first column is an Arabic (or Latin) phrase, the other columns are
//! attributes kept as strings; `#` starts a comment line; blank lines are skipped. Keys are normalised with
//! [`rasid_text::normalize`] and matched on normalised text, leftmost-longest, only where the phrase starts at a
//! word start (optionally after the attached clitics `و ف ب ل ك ال لل`) and ends at a word end.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use std::ops::Range;

/// One loaded phrase with its attribute columns.
#[derive(Debug, Clone)]
pub struct Phrase {
    pub text: String,
    pub attrs: Vec<String>,
    /// `file:line` the phrase came from, for explanations.
    pub origin: String,
}

/// A match of a phrase in normalised text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PhraseMatch {
    /// The phrase itself, without any clitic prefix.
    pub start: usize,
    pub end: usize,
    /// Start of the whole word, clitic prefix included.
    pub word_start: usize,
    pub phrase: usize,
}

impl PhraseMatch {
    pub fn range(&self) -> Range<usize> {
        self.start..self.end
    }
}

/// Which attached prefixes may precede a phrase.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clitics {
    /// The phrase must stand alone as a word.
    None,
    /// `و ف ب ل ك` and the article `ال` (and `لل`) may be attached before it.
    Prefixes,
}

#[derive(Debug, Clone)]
pub struct PhraseSet {
    phrases: Vec<Phrase>,
    automaton: AhoCorasick,
    clitics: Clitics,
}

/// A malformed phrase file.
#[derive(Debug, thiserror::Error)]
#[error("{file}:{line}: {message}")]
pub struct PhraseError {
    pub file: String,
    pub line: usize,
    pub message: String,
}

impl PhraseSet {
    /// Parses a phrase file; `min_columns` counts the phrase column.
    pub fn parse(file: &str, data: &str, min_columns: usize, clitics: Clitics) -> Result<PhraseSet, PhraseError> {
        let mut phrases = Vec::new();
        for (n, line) in data.lines().enumerate() {
            let line_no = n + 1;
            let trimmed = line.trim_end_matches('\r');
            if trimmed.trim().is_empty() || trimmed.trim_start().starts_with('#') {
                continue;
            }
            let mut cols = trimmed.split('\t').map(str::trim);
            let key = cols.next().unwrap_or_default();
            let attrs: Vec<String> = cols.map(String::from).collect();
            if attrs.len() + 1 < min_columns {
                return Err(PhraseError {
                    file: file.into(),
                    line: line_no,
                    message: format!("expected {min_columns} tab-separated columns, found {}", attrs.len() + 1),
                });
            }
            let text = collapse_spaces(&rasid_text::normalize(key));
            if text.is_empty() {
                return Err(PhraseError { file: file.into(), line: line_no, message: "empty phrase".into() });
            }
            phrases.push(Phrase { text, attrs, origin: format!("{file}:{line_no}") });
        }
        PhraseSet::from_phrases(phrases, clitics).map_err(|message| PhraseError { file: file.into(), line: 0, message })
    }

    pub fn from_phrases(phrases: Vec<Phrase>, clitics: Clitics) -> Result<PhraseSet, String> {
        // No prefilter: on Arabic text the packed (Teddy) prefilter finds a candidate at nearly every word (the
        // phrases share their first bytes with common words), and verifying those costs several times more than
        // running the small automaton over every byte. Matches are the same either way. A DFA: the lists are small
        // (a few hundred states), and a DFA step is one table read where the NFA follows failure links.
        let automaton = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .kind(Some(AhoCorasickKind::DFA))
            .prefilter(false)
            .build(phrases.iter().map(|p| p.text.as_str()))
            .map_err(|e| format!("cannot compile phrases: {e}"))?;
        Ok(PhraseSet { phrases, automaton, clitics })
    }

    pub fn phrase(&self, i: usize) -> &Phrase {
        &self.phrases[i]
    }

    pub fn len(&self) -> usize {
        self.phrases.len()
    }

    pub fn is_empty(&self) -> bool {
        self.phrases.is_empty()
    }

    /// Appends every word-bounded match in `norm[range]` to `out`.
    pub fn find_in(&self, norm: &str, range: Range<usize>, out: &mut Vec<PhraseMatch>) {
        out.extend(self.matches_in(norm, range));
    }

    /// Whether any phrase occurs in `norm[range]`.
    pub fn any_in(&self, norm: &str, range: Range<usize>) -> bool {
        self.matches_in(norm, range).next().is_some()
    }

    /// [`PhraseSet::find_in`] read off the occurrences of a [`PhraseUnion`] scan of `norm` (`slot`: this set's
    /// place in the union). The same matches.
    pub fn find_in_hits(
        &self,
        hits: &PhraseHits,
        slot: usize,
        norm: &str,
        range: Range<usize>,
        out: &mut Vec<PhraseMatch>,
    ) {
        out.extend(hits.raw_in(slot, range).filter_map(|(s, e, p)| self.accept(norm, s, e, p)));
    }

    /// [`PhraseSet::any_in`] read off the occurrences of a [`PhraseUnion`] scan of `norm`.
    pub fn any_in_hits(&self, hits: &PhraseHits, slot: usize, norm: &str, range: Range<usize>) -> bool {
        hits.raw_in(slot, range).any(|(s, e, p)| self.accept(norm, s, e, p).is_some())
    }

    /// The word-bounded matches in `norm[range]`, in text order.
    fn matches_in<'a>(&'a self, norm: &'a str, range: Range<usize>) -> impl Iterator<Item = PhraseMatch> + 'a {
        let base = range.start;
        self.automaton
            .find_iter(&norm[range])
            .filter_map(move |m| self.accept(norm, base + m.start(), base + m.end(), m.pattern().as_usize()))
    }

    /// The automaton's match of phrase `p` at `s..e` as a match of this set, if it is word-bounded.
    #[inline]
    fn accept(&self, norm: &str, s: usize, e: usize, p: usize) -> Option<PhraseMatch> {
        if !is_word_end(norm, e) {
            return None;
        }
        let word_start = self.word_start(norm, s)?;
        Some(PhraseMatch { start: s, end: e, word_start, phrase: p })
    }

    /// The start of the word a match at `s` begins, if the text before it in that word is an allowed clitic.
    fn word_start(&self, norm: &str, s: usize) -> Option<usize> {
        let before = &norm[..s];
        let word_start = before
            .rfind(|c: char| !is_word_char(c))
            .map_or(0, |i| i + before[i..].chars().next().map_or(1, char::len_utf8));
        if word_start == s {
            return Some(s);
        }
        match self.clitics {
            Clitics::None => None,
            Clitics::Prefixes => is_clitic_prefix(&norm[word_start..s]).then_some(word_start),
        }
    }
}

/// Several phrase sets searched together: one overlapping pass over a text ([`PhraseUnion::scan`]) finds every
/// occurrence of every phrase of every set, and each set's matches in any range of that text are then read off
/// the occurrences ([`PhraseSet::find_in_hits`]) instead of searching the range again, set by set.
///
/// Exact: a set's leftmost-longest search of `norm[range]` reports, from the search position on, the occurrence
/// of one of its phrases inside the range that starts first, the longest of those (the first listed of equal
/// ones), and goes on after its end; [`PhraseHits`] replays that choice over the sorted occurrences.
#[derive(Debug, Clone)]
pub struct PhraseUnion {
    automaton: AhoCorasick,
    /// Per pattern of the union: its set's slot and its index in that set.
    owner: Vec<(u32, u32)>,
}

/// The occurrences a [`PhraseUnion`] found in one text (a reusable buffer).
#[derive(Debug, Clone, Default)]
pub struct PhraseHits {
    /// Sorted by start, then longest first, then slot and phrase.
    occ: Vec<Occurrence>,
}

#[derive(Debug, Clone, Copy)]
struct Occurrence {
    start: u32,
    end: u32,
    slot: u32,
    phrase: u32,
}

impl PhraseUnion {
    /// The union of `sets`; a set's slot is its index in `sets`.
    pub fn new(sets: &[&PhraseSet]) -> Result<PhraseUnion, String> {
        let mut owner = Vec::new();
        let mut patterns = Vec::new();
        for (slot, set) in sets.iter().enumerate() {
            for (i, p) in set.phrases.iter().enumerate() {
                owner.push((slot as u32, i as u32));
                patterns.push(p.text.as_str());
            }
        }
        // A DFA without prefilter, as for the sets themselves (see `PhraseSet::from_phrases`).
        let automaton = AhoCorasickBuilder::new()
            .match_kind(MatchKind::Standard)
            .kind(Some(AhoCorasickKind::DFA))
            .prefilter(false)
            .build(patterns)
            .map_err(|e| format!("cannot compile phrases: {e}"))?;
        Ok(PhraseUnion { automaton, owner })
    }

    /// Every occurrence of every phrase in `norm`; false (and none) when `norm` is too long for the `u32`
    /// offsets of [`PhraseHits`] (search the sets one by one then).
    pub fn scan(&self, norm: &str, hits: &mut PhraseHits) -> bool {
        hits.occ.clear();
        if u32::try_from(norm.len()).is_err() {
            return false;
        }
        for m in self.automaton.find_overlapping_iter(norm) {
            let Some(&(slot, phrase)) = self.owner.get(m.pattern().as_usize()) else { continue };
            hits.occ.push(Occurrence { start: m.start() as u32, end: m.end() as u32, slot, phrase });
        }
        hits.occ.sort_unstable_by_key(|o| (o.start, std::cmp::Reverse(o.end), o.slot, o.phrase));
        true
    }
}

impl PhraseHits {
    /// What the leftmost-longest search of set `slot` over `range` finds, before the word-boundary test:
    /// (start, end, phrase), in text order.
    fn raw_in(&self, slot: usize, range: Range<usize>) -> impl Iterator<Item = (usize, usize, usize)> + '_ {
        let lo = self.occ.partition_point(|o| (o.start as usize) < range.start);
        let mut pos = range.start;
        self.occ[lo..].iter().take_while(move |o| (o.start as usize) < range.end).filter_map(move |o| {
            let (s, e) = (o.start as usize, o.end as usize);
            if o.slot as usize != slot || e > range.end || s < pos {
                return None;
            }
            pos = e;
            Some((s, e, o.phrase as usize))
        })
    }
}

/// Whether `p` is a sequence of attachable proclitics: optional و/ف, optional ب/ل/ك, optional ال (or لل).
pub fn is_clitic_prefix(p: &str) -> bool {
    let mut rest = p;
    for conj in ["و", "ف"] {
        if let Some(r) = rest.strip_prefix(conj) {
            rest = r;
            break;
        }
    }
    if rest.is_empty() {
        return true;
    }
    if let Some(r) = rest.strip_prefix("لل") {
        return r.is_empty();
    }
    for prep in ["ب", "ل", "ك"] {
        if let Some(r) = rest.strip_prefix(prep) {
            rest = r;
            break;
        }
    }
    rest.is_empty() || rest == "ال"
}

pub use rasid_text::is_word_char;

#[inline]
pub fn is_word_end(norm: &str, e: usize) -> bool {
    norm[e..].chars().next().is_none_or(|c| !is_word_char(c))
}

fn collapse_spaces(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(data: &str, clitics: Clitics) -> PhraseSet {
        PhraseSet::parse("test.tsv", data, 1, clitics).unwrap()
    }

    fn found(s: &PhraseSet, text: &str) -> Vec<String> {
        let norm = rasid_text::normalize(text);
        let mut out = Vec::new();
        s.find_in(&norm, 0..norm.len(), &mut out);
        out.iter().map(|m| norm[m.range()].to_string()).collect()
    }

    #[test]
    fn matches_whole_words_with_clitics() {
        let s = set("رويترز\nوكالة أنباء\n", Clitics::Prefixes);
        assert_eq!(found(&s, "ولرويترز قالت"), vec!["رويترز"]);
        assert_eq!(found(&s, "رويترزي"), Vec::<String>::new());
        assert_eq!(found(&s, "ووكالة أنباء"), vec!["وكاله انباء"]);
        let strict = set("رويترز\n", Clitics::None);
        assert_eq!(found(&strict, "لرويترز"), Vec::<String>::new());
    }

    #[test]
    fn union_hits_are_each_sets_own_matches() {
        // Overlapping, nested and duplicate phrases across sets, in text made of their pieces, clitics, other
        // words and punctuation: every range of it gives each set the matches of its own search.
        let a = set("قال\nقال ان\nان\nقال\nوكالة انباء\nانباء\n", Clitics::Prefixes);
        let b = set("ان\nانباء رويترز\nرويترز\nقال ان المصدر\n", Clitics::None);
        let c = set("المصدر\nمصدر\nال\nقال\n", Clitics::Prefixes);
        let union = PhraseUnion::new(&[&a, &b, &c]).unwrap();
        let pieces = [
            "قال",
            "ان",
            "انباء",
            "رويترز",
            "المصدر",
            "مصدر",
            "وكالة",
            "و",
            "ب",
            "ال",
            "لل",
            "فقال",
            "استقال",
            " ",
            " ",
            " ",
            "، ",
            ". ",
            "«",
            "»",
            "x",
        ];
        let mut rng = rasid_text::rng::SplitMix64(7);
        let mut hits = PhraseHits::default();
        for _ in 0..200 {
            let text: String = (0..rng.below(40)).map(|_| pieces[rng.below(pieces.len())]).collect();
            let norm = rasid_text::normalize(&text);
            assert!(union.scan(&norm, &mut hits));
            let bounds: Vec<usize> = (0..=norm.len()).filter(|&i| norm.is_char_boundary(i)).collect();
            for _ in 0..20 {
                let (x, y) = (bounds[rng.below(bounds.len())], bounds[rng.below(bounds.len())]);
                let range = x.min(y)..x.max(y);
                for (slot, s) in [&a, &b, &c].into_iter().enumerate() {
                    let (mut want, mut got) = (Vec::new(), Vec::new());
                    s.find_in(&norm, range.clone(), &mut want);
                    s.find_in_hits(&hits, slot, &norm, range.clone(), &mut got);
                    assert_eq!(got, want, "{norm:?} {range:?} set {slot}");
                    assert_eq!(s.any_in_hits(&hits, slot, &norm, range.clone()), s.any_in(&norm, range.clone()));
                }
            }
        }
    }

    #[test]
    fn bad_lines_name_the_place() {
        let err = PhraseSet::parse("cues.tsv", "# c\nقال\tverb\nأكد\n", 2, Clitics::None).unwrap_err();
        assert_eq!(err.to_string(), "cues.tsv:3: expected 2 tab-separated columns, found 1");
    }

    #[test]
    fn clitic_prefixes() {
        for p in ["و", "وب", "فل", "وال", "بال", "لل", "ولل", "ك"] {
            assert!(is_clitic_prefix(p), "{p}");
        }
        for p in ["م", "ات", "وم", "الو"] {
            assert!(!is_clitic_prefix(p), "{p}");
        }
    }
}
