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

    /// The word-bounded matches in `norm[range]`, in text order.
    fn matches_in<'a>(&'a self, norm: &'a str, range: Range<usize>) -> impl Iterator<Item = PhraseMatch> + 'a {
        let base = range.start;
        self.automaton.find_iter(&norm[range]).filter_map(move |m| {
            let (s, e) = (base + m.start(), base + m.end());
            if !is_word_end(norm, e) {
                return None;
            }
            let word_start = self.word_start(norm, s)?;
            Some(PhraseMatch { start: s, end: e, word_start, phrase: m.pattern().as_usize() })
        })
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
