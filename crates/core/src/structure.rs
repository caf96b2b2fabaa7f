//! Article structure: which paragraphs are body, which are site labels, datelines, pasted "related story"
//! headlines, captions or repeats, and the article's sentences with their near-duplicates.
//!
//! The rules, in order (each a documented cue list in `data/structure/`):
//! 1. **Site label**: the first paragraph when it is short (≤ [`MAX_LABEL_WORDS`] words) and ends with `:` or
//!    `|`, or equals the article's `source`.
//! 2. **Dateline**: at the start of one of the first body paragraphs, `PLACE (AGENCY) –` / `PLACE - AGENCY:` /
//!    `(AGENCY) -`, with the agency from `agencies.tsv`; the rest of the paragraph is body.
//! 3. **Headline-like** paragraphs: 3–[`MAX_HEADLINE_WORDS`] words, no sentence-final full stop, no reporting
//!    verb, not opening with the conjunction `و`/`ف` (Arabic body paragraphs almost always do or carry a verb).
//!    Such a paragraph is a **caption** when it carries a caption cue or opens with a short apposition naming
//!    someone already mentioned (`قاآني، خليفة …`); otherwise a **related link** when it carries a headline cue,
//!    a `..` pause or a final `؟`, stands in a run of headline-like paragraphs, or interrupts body text.
//! 4. **Duplicates**: a paragraph repeating an earlier one, and a sentence whose content words mostly restate an
//!    earlier sentence: at least [`DUPLICATE_MIN_WORDS`] shared content words (light-stemmed, function words
//!    dropped), overlap coefficient ≥ [`DUPLICATE_OVERLAP`] and Jaccard ≥ [`DUPLICATE_JACCARD`].

use crate::phrases::{Clitics, PhraseError, PhraseSet};
use crate::wordcount::words_up_to;
use rasid_text::hash::WideSet;
use rasid_text::{NormalizedText, Segmenter, Span};
use std::hash::Hasher;
use std::ops::Range;

/// A site label is a short line: longer first lines are headlines or body.
pub const MAX_LABEL_WORDS: usize = 6;
/// Longest paragraph, in words, that may be a pasted headline or caption.
pub const MAX_HEADLINE_WORDS: usize = 25;
/// Overlap coefficient (shared / smaller set) of content words at which a sentence restates an earlier one.
pub const DUPLICATE_OVERLAP: f64 = 0.6;
/// Jaccard similarity (shared / union) the two sentences must also reach, so that a short sentence whose few
/// words all recur in a long one is not called a restatement of it.
pub const DUPLICATE_JACCARD: f64 = 0.3;
/// Fewest shared content words for the near-duplicate test: short sentences share words by chance.
pub const DUPLICATE_MIN_WORDS: usize = 8;
/// How far into a paragraph (bytes of normalised text) a dateline may reach.
const MAX_DATELINE_BYTES: usize = 120;

/// What a paragraph is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParaKind {
    Body,
    SiteLabel,
    RelatedLink,
    Caption,
    Duplicate,
}

#[derive(Debug, Clone)]
pub struct Paragraph {
    pub span: Span,
    pub kind: ParaKind,
}

/// A dateline found at the start of a paragraph.
#[derive(Debug, Clone)]
pub struct DatelineSpan {
    pub span: Span,
    pub place: Option<Span>,
    pub agency: Option<String>,
}

#[derive(Debug, Clone)]
pub struct SentenceUnit {
    pub span: Span,
    pub paragraph: usize,
    /// False for sentences of site labels, related links, captions and repeated paragraphs.
    pub body: bool,
    pub duplicate_of: Option<usize>,
}

/// The structure of one article; reused across articles through [`Structure::clear`].
#[derive(Debug, Clone, Default)]
pub struct Structure {
    pub paragraphs: Vec<Paragraph>,
    pub dateline: Option<DatelineSpan>,
    pub sentences: Vec<SentenceUnit>,
}

impl Structure {
    pub fn clear(&mut self) {
        self.paragraphs.clear();
        self.dateline = None;
        self.sentences.clear();
    }
}

/// The compiled cue lists for structure detection.
#[derive(Debug, Clone)]
pub struct StructureRules {
    agencies: PhraseSet,
    headline: PhraseSet,
    caption: PhraseSet,
    reporting: PhraseSet,
    stopwords: WideSet<String>,
    /// The length in bytes of the longest stop word: a longer word is none, without a look-up.
    stopword_len: usize,
    /// In front of `stopwords`: most content words are told apart by one bit, without hashing them.
    stopword_filter: rasid_text::hash::KeyFilter,
}

impl StructureRules {
    pub fn bundled() -> Result<StructureRules, PhraseError> {
        StructureRules::from_data(
            include_str!("../../../data/structure/agencies.tsv"),
            include_str!("../../../data/structure/headline_cues.tsv"),
            include_str!("../../../data/structure/caption_cues.tsv"),
            include_str!("../../../data/attribution/reporting.tsv"),
            include_str!("../../../data/structure/stopwords.txt"),
        )
    }

    pub fn from_data(
        agencies: &str,
        headline: &str,
        caption: &str,
        reporting: &str,
        stopwords: &str,
    ) -> Result<StructureRules, PhraseError> {
        let stopwords: WideSet<String> = stopwords
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(rasid_text::normalize)
            .collect();
        Ok(StructureRules {
            agencies: PhraseSet::parse("agencies.tsv", agencies, 2, Clitics::Prefixes)?,
            headline: PhraseSet::parse("headline_cues.tsv", headline, 2, Clitics::None)?,
            caption: PhraseSet::parse("caption_cues.tsv", caption, 2, Clitics::None)?,
            reporting: PhraseSet::parse("reporting.tsv", reporting, 2, Clitics::Prefixes)?,
            stopword_len: stopwords.iter().map(String::len).max().unwrap_or(0),
            stopword_filter: stopwords.iter().fold(Default::default(), |mut f: rasid_text::hash::KeyFilter, w| {
                f.insert(w.as_bytes());
                f
            }),
            stopwords,
        })
    }

    /// The agency phrases (shared with attribution).
    pub fn agencies(&self) -> &PhraseSet {
        &self.agencies
    }

    /// Analyses the structure of `text` into `out`.
    pub fn analyse(
        &self,
        text: &str,
        norm: &NormalizedText,
        seg: &Segmenter,
        source: Option<&str>,
        out: &mut Structure,
    ) {
        out.clear();
        let mut spans = Vec::new();
        seg.paragraphs(text, &mut spans);
        out.paragraphs.extend(spans.iter().map(|&span| Paragraph { span, kind: ParaKind::Body }));
        self.mark_site_label(text, norm, source, out);
        self.mark_dateline(norm, out);
        self.mark_headlines(text, norm, out);
        self.mark_repeated_paragraphs(norm, out);
        self.split_sentences(text, seg, out);
        self.mark_duplicate_sentences(norm, out);
    }

    fn mark_site_label(&self, text: &str, norm: &NormalizedText, source: Option<&str>, out: &mut Structure) {
        let many = out.paragraphs.len() > 1;
        let Some(first) = out.paragraphs.first_mut() else { return };
        let t = &text[first.span];
        // Counted only as far as the test needs (a long first paragraph is not a label however long it is).
        let words = words_up_to(t, MAX_LABEL_WORDS);
        let ends_label = t.ends_with(':') || t.ends_with('|') || t.ends_with('：');
        let is_source = source.is_some_and(|s| {
            let s = rasid_text::normalize(s);
            let n = norm.as_str()[norm.to_norm(first.span)].trim_end_matches([':', '|', ' ']).to_string();
            !s.is_empty() && s.trim() == n.trim()
        });
        if words <= MAX_LABEL_WORDS && (ends_label || is_source) && many {
            first.kind = ParaKind::SiteLabel;
        }
    }

    fn mark_dateline(&self, norm: &NormalizedText, out: &mut Structure) {
        for p in out.paragraphs.iter().filter(|p| p.kind == ParaKind::Body).take(2) {
            if let Some(d) = self.dateline_at(norm, p.span) {
                out.dateline = Some(d);
                return;
            }
        }
    }

    /// `PLACE (AGENCY) –`, `(AGENCY) -`, `PLACE - AGENCY:` at the start of a paragraph.
    fn dateline_at(&self, norm: &NormalizedText, para: Span) -> Option<DatelineSpan> {
        let n = norm.as_str();
        let range = norm.to_norm(para);
        let limit = (range.start + MAX_DATELINE_BYTES).min(range.end);
        let mut limit = limit;
        while !n.is_char_boundary(limit) {
            limit -= 1;
        }
        let mut found = Vec::new();
        self.agencies.find_in(n, range.start..limit, &mut found);
        let agency = found.first()?;
        // What stands before the agency: an optional place of at most four words and an opening bracket or dash.
        let before = n[range.start..agency.word_start].trim_end();
        let (place_text, opener) = if let Some(p) = before.strip_suffix('(') {
            (p.trim_end(), '(')
        } else if let Some(p) = before.strip_suffix(['-', '–', '—']) {
            (p.trim_end(), '-')
        } else {
            return None;
        };
        let place_text = place_text.trim_end_matches(['،', ',']).trim_end();
        if place_text.split_whitespace().count() > 4 || place_text.contains(['.', ':', '؟']) {
            return None;
        }
        // `وأوردت (وام)` is a sentence citing an agency, not a dateline.
        let place_start = range.start + (before.len() - before.trim_start().len());
        if self.reporting.any_in(n, place_start..place_start + place_text.len()) {
            return None;
        }
        // What follows: `)` then an optional dash or colon (bracket form), or a colon/dash (dash form).
        let mut end = agency.end;
        let rest = &n[end..];
        let skip_ws = |s: &str| s.len() - s.trim_start().len();
        if opener == '(' {
            let r = &rest[skip_ws(rest)..];
            let r2 = r.strip_prefix(')')?;
            end += rest.len() - r2.len();
            let r3 = &r2[skip_ws(r2)..];
            if let Some(c) = r3.chars().next().filter(|c| matches!(c, '-' | '–' | '—' | ':' | '،')) {
                end = n.len() - r3.len() + c.len_utf8();
            }
        } else {
            let r = &rest[skip_ws(rest)..];
            let c = r.chars().next().filter(|c| matches!(c, ':' | '-' | '–' | '—'))?;
            end = n.len() - r.len() + c.len_utf8();
        }
        let span = norm.to_original(range.start..end);
        let place = if place_text.is_empty() {
            None
        } else {
            let ps = range.start + (before.len() - before.trim_start().len());
            let pe = ps + place_text.len();
            Some(norm.to_original(ps..pe))
        };
        let agency_name = self.agencies.phrase(agency.phrase).attrs.first().cloned();
        Some(DatelineSpan { span, place, agency: agency_name })
    }

    fn is_headline_like(&self, text: &str, norm: &NormalizedText, p: Span) -> bool {
        let t = text[p].trim_end();
        // Counted only as far as the test needs: every paragraph comes here, most are long.
        let words = words_up_to(t, MAX_HEADLINE_WORDS);
        if !(3..=MAX_HEADLINE_WORDS).contains(&words) {
            return false;
        }
        if t.ends_with('.') && !t.ends_with("..") || t.ends_with(['!', ':', '»', '”', '"']) {
            return false;
        }
        let range = norm.to_norm(p);
        let n = &norm.as_str()[range.clone()];
        let first = n.split_whitespace().next().unwrap_or("");
        if (first.starts_with('و') || first.starts_with('ف'))
            && first.chars().count() >= 3
            && !self.headline.any_in(norm.as_str(), range.clone())
        {
            return false;
        }
        !self.reporting.any_in(norm.as_str(), range)
    }

    fn mark_headlines(&self, text: &str, norm: &NormalizedText, out: &mut Structure) {
        let like: Vec<bool> = out
            .paragraphs
            .iter()
            .map(|p| p.kind == ParaKind::Body && self.is_headline_like(text, norm, p.span))
            .collect();
        let is_body = |i: usize, ps: &[Paragraph]| ps[i].kind == ParaKind::Body && !like[i];
        let first_body = (0..out.paragraphs.len()).find(|&i| is_body(i, &out.paragraphs));
        let n = norm.as_str();
        let mut kinds = Vec::with_capacity(like.len());
        for i in 0..out.paragraphs.len() {
            let p = &out.paragraphs[i];
            if !like[i] {
                kinds.push(p.kind);
                continue;
            }
            let range = norm.to_norm(p.span);
            let body_before = first_body.is_some_and(|f| f < i);
            let body_after = (i + 1..out.paragraphs.len()).any(|j| is_body(j, &out.paragraphs));
            let in_run = (i > 0 && like[i - 1]) || like.get(i + 1).copied().unwrap_or(false);
            let t = text[p.span].trim_end();
            let kind = if self.caption.any_in(n, range.clone()) || self.names_earlier_subject(n, range.clone()) {
                ParaKind::Caption
            } else if self.headline.any_in(n, range.clone())
                || t.contains("..")
                || t.ends_with(['؟', '?'])
                || in_run
                || (body_before && body_after)
            {
                // A headline cue, a `..` pause, a question, a run of them, or one interrupting body text.
                ParaKind::RelatedLink
            } else {
                ParaKind::Body
            };
            kinds.push(kind);
        }
        for (p, k) in out.paragraphs.iter_mut().zip(kinds) {
            p.kind = k;
        }
    }

    /// `قاآني، خليفة …`: the paragraph opens with a short apposition (≤ 3 words before `،`) whose head word
    /// occurs earlier in the article.
    fn names_earlier_subject(&self, n: &str, range: Range<usize>) -> bool {
        let para = &n[range.clone()];
        let Some(comma) = para.find(['،', ',']) else { return false };
        let head = para[..comma].trim();
        if head.contains(|c: char| c.is_ascii_digit() || c == ':') {
            return false;
        }
        let words: Vec<&str> = head.split_whitespace().collect();
        if words.is_empty() || words.len() > 3 {
            return false;
        }
        let earlier = &n[..range.start];
        words.iter().filter(|w| !self.stopwords.contains(**w) && w.chars().count() >= 3).any(|w| {
            earlier.match_indices(*w).any(|(at, _)| {
                let after_ok = earlier[at + w.len()..].chars().next().is_none_or(|c| !rasid_text::is_word_char(c));
                let before_ok = earlier[..at].chars().next_back().is_none_or(|c| !rasid_text::is_word_char(c));
                after_ok && before_ok
            })
        })
    }

    fn mark_repeated_paragraphs(&self, norm: &NormalizedText, out: &mut Structure) {
        let mut seen: WideSet<&str> = WideSet::default();
        for p in out.paragraphs.iter_mut() {
            let key = norm.as_str()[norm.to_norm(p.span)].trim();
            if words_up_to(key, 3) <= 3 {
                continue;
            }
            if !seen.insert(key) && p.kind == ParaKind::Body {
                p.kind = ParaKind::Duplicate;
            }
        }
    }

    fn split_sentences(&self, text: &str, seg: &Segmenter, out: &mut Structure) {
        let mut spans = Vec::new();
        for (pi, p) in out.paragraphs.iter().enumerate() {
            let mut para = p.span;
            if let Some(d) = &out.dateline {
                if p.span.contains(d.span) {
                    para = Span::new(d.span.end, p.span.end);
                }
            }
            spans.clear();
            seg.sentences(text, para, &mut spans);
            let body = p.kind == ParaKind::Body;
            out.sentences.extend(spans.iter().map(|&span| SentenceUnit {
                span,
                paragraph: pi,
                body,
                duplicate_of: None,
            }));
        }
    }

    /// Whether `w` (normalised) is a stop word.
    #[inline]
    fn is_stopword(&self, w: &str) -> bool {
        w.len() <= self.stopword_len && self.stopword_filter.may_contain(w.as_bytes()) && self.stopwords.contains(w)
    }

    /// The sorted, deduplicated hashes of a sentence's content words (light-stemmed, function words dropped).
    fn content_words(&self, n: &str, out: &mut Vec<u64>) {
        out.clear();
        for w in rasid_text::words(n) {
            if self.is_stopword(w) {
                continue;
            }
            let stem = strip_proclitics(w);
            // `w` is no stop word: its stem needs the look-up only when a proclitic was stripped.
            if stem.chars().nth(1).is_some() && (stem.len() == w.len() || !self.is_stopword(stem)) {
                out.push(word_hash(stem));
            }
        }
        out.sort_unstable();
        out.dedup();
    }

    fn mark_duplicate_sentences(&self, norm: &NormalizedText, out: &mut Structure) {
        // Every sentence's word set in one buffer: `bounds[k]` is sentence k's slice of `words`.
        let mut words: Vec<u64> = Vec::new();
        let mut bounds: Vec<Range<usize>> = Vec::with_capacity(out.sentences.len());
        let mut set = Vec::new();
        for s in &out.sentences {
            let start = words.len();
            if s.body {
                self.content_words(&norm.as_str()[norm.to_norm(s.span)], &mut set);
                words.extend_from_slice(&set);
            }
            bounds.push(start..words.len());
        }
        let sets = |k: usize| &words[bounds[k].clone()];
        for j in 0..out.sentences.len() {
            if !out.sentences[j].body || sets(j).len() < DUPLICATE_MIN_WORDS {
                continue;
            }
            for i in 0..j {
                let (a, b) = (sets(i), sets(j));
                if a.len() < DUPLICATE_MIN_WORDS || out.sentences[i].duplicate_of.is_some() {
                    continue;
                }
                // The Jaccard index is at most min/max (all of the smaller set shared): skip pairs too unequal
                // in size to reach it before intersecting them.
                let (small, large) = (a.len().min(b.len()), a.len().max(b.len()));
                if (small as f64 / large as f64) < DUPLICATE_JACCARD {
                    continue;
                }
                if near_duplicate(a, b) {
                    out.sentences[j].duplicate_of = Some(i);
                    break;
                }
            }
        }
    }
}

/// Strips a leading conjunction, preposition and article, keeping at least three letters (a light stem for
/// comparing sentences, not a morphological analysis).
fn strip_proclitics(w: &str) -> &str {
    for p in ["وال", "بال", "فال", "كال", "لل", "ال", "و", "ف", "ب", "ل"] {
        if let Some(r) = w.strip_prefix(p) {
            if r.chars().nth(2).is_some() {
                return r;
            }
        }
    }
    w
}

/// A cheap hash for comparing word sets within one article (eight bytes a step; nothing stores it).
fn word_hash(w: &str) -> u64 {
    let mut h = rasid_text::hash::Wide::default();
    h.write(w.as_bytes());
    h.finish()
}

/// Whether two sorted word sets share enough words: at least [`DUPLICATE_MIN_WORDS`], overlap coefficient ≥
/// [`DUPLICATE_OVERLAP`], Jaccard ≥ [`DUPLICATE_JACCARD`].
fn near_duplicate(a: &[u64], b: &[u64]) -> bool {
    let m = a.len().min(b.len());
    let ok = |shared: usize| {
        let overlap = shared as f64 / m as f64;
        let jaccard = shared as f64 / (a.len() + b.len() - shared) as f64;
        shared >= DUPLICATE_MIN_WORDS && overlap >= DUPLICATE_OVERLAP && jaccard >= DUPLICATE_JACCARD
    };
    // `ok` only ever turns true as the shared count grows (both ratios grow with it, and so do their rounded
    // values): find the least count that passes, then walk the two sets only until the shared words reach it
    // (a duplicate) or the words left can no longer make it up (not one). Same answer as counting them all.
    if !ok(m) {
        return false;
    }
    let (mut lo, mut hi) = (0, m);
    while lo < hi {
        let mid = (lo + hi) / 2;
        if ok(mid) {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    let need = lo;
    let (mut i, mut j, mut n) = (0, 0, 0);
    while n < need {
        let (Some(&x), Some(&y)) = (a.get(i), b.get(j)) else { return false };
        if x < y {
            i += 1;
            if a.len() - i + n < need {
                return false;
            }
        } else if x > y {
            j += 1;
            if b.len() - j + n < need {
                return false;
            }
        } else {
            n += 1;
            i += 1;
            j += 1;
        }
    }
    true
}

/// The number of values two sorted sets share (the reference [`near_duplicate`] is tested against).
#[cfg(test)]
fn sorted_intersection(a: &[u64], b: &[u64]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_duplicate_is_the_full_count_test() {
        // Sorted sets drawn from small ranges (many shared values) of every size around the thresholds.
        let mut x = 0x2545_F491_4F6C_DD1Du64;
        let mut draw = |len: usize, range: u64| {
            let mut v: Vec<u64> = (0..len)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    x % range
                })
                .collect();
            v.sort_unstable();
            v.dedup();
            v
        };
        let mut seen = [0usize; 2];
        for la in 0..40 {
            for lb in 0..40 {
                for range in [12, 20, 40, 80] {
                    let (a, b) = (draw(la, range), draw(lb, range));
                    let shared = sorted_intersection(&a, &b);
                    let m = a.len().min(b.len());
                    let full = m > 0
                        && shared >= DUPLICATE_MIN_WORDS
                        && shared as f64 / m as f64 >= DUPLICATE_OVERLAP
                        && shared as f64 / (a.len() + b.len() - shared) as f64 >= DUPLICATE_JACCARD;
                    assert_eq!(near_duplicate(&a, &b), full, "{a:?} {b:?}");
                    seen[usize::from(full)] += 1;
                }
            }
        }
        assert!(seen[0] > 100 && seen[1] > 100, "{seen:?}");
    }

    fn analyse(text: &str) -> Structure {
        let rules = StructureRules::bundled().unwrap();
        let norm = NormalizedText::new(text);
        let mut s = Structure::default();
        rules.analyse(text, &norm, &Segmenter::new(), None, &mut s);
        s
    }

    fn kinds(text: &str) -> Vec<ParaKind> {
        analyse(text).paragraphs.iter().map(|p| p.kind).collect()
    }

    #[test]
    fn dateline_forms() {
        for (text, place, agency) in [
            ("القاهرة (رويترز) - أعلن الجيش أمس عن عملية.", Some("القاهرة"), "Reuters"),
            ("بيروت - أ ف ب: قالت الحكومة إنها ستعقد اجتماعا.", Some("بيروت"), "AFP"),
            ("(الأناضول) – وصل الوفد إلى أنقرة.", None, "Anadolu"),
        ] {
            let s = analyse(text);
            let d = s.dateline.expect(text);
            assert_eq!(d.place.map(|p| &text[p]), place);
            assert_eq!(d.agency.as_deref(), Some(agency));
            assert!(!text[s.sentences[0].span].contains(agency.chars().next().unwrap()) || agency == "AFP");
        }
        assert!(analyse("قالت رويترز إن الوضع هادئ.").dateline.is_none());
    }

    #[test]
    fn site_label_and_related_links() {
        let text = "موقع الخبر:\nوقال مسؤول إن الاجتماع انتهى دون اتفاق.\nمن هو الرجل الذي يقود الحزب الجديد؟\nتفاصيل جديدة عن الصفقة المنتظرة\nوأضاف المسؤول أن المحادثات ستستأنف الأسبوع المقبل.";
        assert_eq!(
            kinds(text),
            vec![ParaKind::SiteLabel, ParaKind::Body, ParaKind::RelatedLink, ParaKind::RelatedLink, ParaKind::Body]
        );
    }

    #[test]
    fn caption_by_apposition_of_earlier_name() {
        let text = "وقال الوزير سامر خليل إن الخطة جاهزة.\nخليل، وزير المالية الجديد منذ عامين في الحكومة\nوأضاف أن التنفيذ يبدأ الشهر المقبل.";
        assert_eq!(kinds(text), vec![ParaKind::Body, ParaKind::Caption, ParaKind::Body]);
    }

    #[test]
    fn body_without_final_stop_at_the_end_stays_body() {
        let text = "وقال مسؤول إن الاجتماع انتهى.\nالحكومة تبحث خطة جديدة للطاقة";
        assert_eq!(kinds(text), vec![ParaKind::Body, ParaKind::Body]);
    }

    #[test]
    fn near_duplicate_sentence_points_to_the_first() {
        let text = "وأعلنت وزارة الصحة تسجيل خمسين إصابة جديدة بالفيروس في العاصمة والمدن الشمالية خلال الأسبوع الماضي.\nوقال الوزير إن المستشفيات جاهزة.\nوسجلت وزارة الصحة خمسين إصابة جديدة بالفيروس في العاصمة والمدن الشمالية الأسبوع الماضي.";
        let s = analyse(text);
        assert_eq!(s.sentences[2].duplicate_of, Some(0));
        assert_eq!(s.sentences[1].duplicate_of, None);
    }

    #[test]
    fn repeated_paragraph_is_a_duplicate() {
        let text = "وقال مسؤول إن الاجتماع انتهى اليوم.\nوقال مسؤول إن الاجتماع انتهى اليوم.";
        assert_eq!(kinds(text), vec![ParaKind::Body, ParaKind::Duplicate]);
    }
}
