//! Who a sentence's claim belongs to (the attribution chain) and in whose voice it is written (report, quote,
//! opinion), plus the loaded-language marks that separate framing from fact.
//!
//! Attribution cues come from `data/attribution/reporting.tsv`:
//! - `say` verbs (`قالت مصادر … إن`): the source is the noun phrase after the verb, up to `إن/أن`, a colon, a
//!   comma, or an addressee `لـ + agency` (which becomes the outer link: Reuters ← sources). A verb with no
//!   subject of its own (`وأضاف أن`) continues the previous sentence's speaker.
//! - `relay` verbs (`نقلت X عن Y`): X ← Y.
//! - `according` phrases (`بحسب Y`, `وفقا لـ Y`): the source is Y.
//!   The dateline agency is the outermost link of every reported body sentence.
//!
//! Kind: `quote` when the sentence holds a quotation of at least [`MIN_QUOTE_WORDS`] words; `opinion` when
//! nothing attributes it and it carries an opinion cue (`data/framing/opinion_cues.tsv`) or evaluative loaded
//! language (`data/framing/loaded.tsv`, any category but a bare terror label, which many outlets use as a
//! house label); otherwise `report`.

use crate::model::{AttributionKind, SentenceKind};
use crate::phrases::{is_word_char, Clitics, PhraseError, PhraseHits, PhraseMatch, PhraseSet, PhraseUnion};
use std::ops::Range;

/// A quotation this short (`"الإرهاب"`) is a scare quote or a name, not a direct quote.
pub const MIN_QUOTE_WORDS: usize = 3;
/// Longest source phrase, in words: beyond this the phrase boundary was missed.
const MAX_SOURCE_WORDS: usize = 12;

/// One link of an attribution chain, in normalised byte offsets (`None` for the outlet itself).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub kind: AttributionKind,
    pub norm: Option<Range<usize>>,
    /// Canonical agency name when the link is an agency.
    pub agency: Option<String>,
}

/// A loaded term found in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadedTerm {
    pub norm: Range<usize>,
    pub category: String,
}

#[derive(Debug, Clone)]
pub struct AttributionRules {
    reporting: PhraseSet,
    agencies: PhraseSet,
    opinion: PhraseSet,
    loaded: PhraseSet,
    /// `reporting`, `opinion` and `loaded` (slots [`REPORTING`], [`OPINION`], [`LOADED`]): every sentence is
    /// searched for all three, in one pass over the article ([`AttributionRules::scan`]).
    union: PhraseUnion,
}

const REPORTING: usize = 0;
const OPINION: usize = 1;
const LOADED: usize = 2;

/// Where a sentence's cues come from: a search of its range, set by set, or an article's [`PhraseHits`].
#[derive(Debug, Clone, Copy)]
enum Cues<'a> {
    Search,
    Hits(&'a PhraseHits),
}

/// The verdict on one sentence.
#[derive(Debug, Clone)]
pub struct Voice {
    pub kind: SentenceKind,
    pub chain: Vec<Link>,
}

impl AttributionRules {
    pub fn bundled(agencies: PhraseSet) -> Result<AttributionRules, PhraseError> {
        let reporting = PhraseSet::parse(
            "reporting.tsv",
            include_str!("../../../data/attribution/reporting.tsv"),
            2,
            Clitics::Prefixes,
        )?;
        let opinion = PhraseSet::parse(
            "opinion_cues.tsv",
            include_str!("../../../data/framing/opinion_cues.tsv"),
            2,
            Clitics::Prefixes,
        )?;
        let loaded =
            PhraseSet::parse("loaded.tsv", include_str!("../../../data/framing/loaded.tsv"), 2, Clitics::Prefixes)?;
        let union = PhraseUnion::new(&[&reporting, &opinion, &loaded]).map_err(|message| PhraseError {
            file: "reporting.tsv, opinion_cues.tsv, loaded.tsv".into(),
            line: 0,
            message,
        })?;
        Ok(AttributionRules { reporting, agencies, opinion, loaded, union })
    }

    /// Finds the occurrences of every reporting, opinion and loaded phrase in the normalised article `norm`, for
    /// [`AttributionRules::loaded_terms_in`] and [`AttributionRules::voice_in`] over its sentences. False when
    /// the article is too long for them (use the searching variants then).
    pub fn scan(&self, norm: &str, hits: &mut PhraseHits) -> bool {
        self.union.scan(norm, hits)
    }

    /// Loaded terms in `norm[range]`, appended to `out`.
    pub fn loaded_terms(&self, norm: &str, range: Range<usize>, out: &mut Vec<LoadedTerm>) {
        self.loaded_terms_with(Cues::Search, norm, range, out);
    }

    /// [`AttributionRules::loaded_terms`] given the article's [`AttributionRules::scan`] (the same terms).
    pub fn loaded_terms_in(&self, hits: &PhraseHits, norm: &str, range: Range<usize>, out: &mut Vec<LoadedTerm>) {
        self.loaded_terms_with(Cues::Hits(hits), norm, range, out);
    }

    fn loaded_terms_with(&self, cues: Cues<'_>, norm: &str, range: Range<usize>, out: &mut Vec<LoadedTerm>) {
        let mut found = Vec::new();
        match cues {
            Cues::Search => self.loaded.find_in(norm, range, &mut found),
            Cues::Hits(h) => self.loaded.find_in_hits(h, LOADED, norm, range, &mut found),
        }
        out.extend(
            found
                .iter()
                .map(|m| LoadedTerm { norm: m.range(), category: self.loaded.phrase(m.phrase).attrs[0].clone() }),
        );
    }

    /// Classifies one sentence. `previous` is the chain of the sentence before it (for `وأضاف أن`);
    /// `dateline_agency` the agency of the article's dateline.
    pub fn voice(
        &self,
        norm: &str,
        sentence: Range<usize>,
        previous: Option<&[Link]>,
        dateline_agency: Option<&str>,
    ) -> Voice {
        let mut loaded = Vec::new();
        self.loaded_terms(norm, sentence.clone(), &mut loaded);
        self.voice_with_loaded(norm, sentence, previous, dateline_agency, &loaded)
    }

    /// [`AttributionRules::voice`] given the sentence's loaded terms ([`AttributionRules::loaded_terms`] over
    /// the same range), which the pipeline has found already.
    pub fn voice_with_loaded(
        &self,
        norm: &str,
        sentence: Range<usize>,
        previous: Option<&[Link]>,
        dateline_agency: Option<&str>,
        loaded: &[LoadedTerm],
    ) -> Voice {
        self.voice_with(Cues::Search, norm, sentence, previous, dateline_agency, loaded)
    }

    /// [`AttributionRules::voice_with_loaded`] given the article's [`AttributionRules::scan`] (the same voice).
    pub fn voice_in(
        &self,
        hits: &PhraseHits,
        norm: &str,
        sentence: Range<usize>,
        previous: Option<&[Link]>,
        dateline_agency: Option<&str>,
        loaded: &[LoadedTerm],
    ) -> Voice {
        self.voice_with(Cues::Hits(hits), norm, sentence, previous, dateline_agency, loaded)
    }

    fn voice_with(
        &self,
        found: Cues<'_>,
        norm: &str,
        sentence: Range<usize>,
        previous: Option<&[Link]>,
        dateline_agency: Option<&str>,
        loaded: &[LoadedTerm],
    ) -> Voice {
        let mut chain = Vec::new();
        if let Some(a) = dateline_agency {
            chain.push(Link { kind: AttributionKind::Agency, norm: None, agency: Some(a.to_string()) });
        }
        let mut cues = Vec::new();
        match found {
            Cues::Search => self.reporting.find_in(norm, sentence.clone(), &mut cues),
            Cues::Hits(h) => self.reporting.find_in_hits(h, REPORTING, norm, sentence.clone(), &mut cues),
        }
        let mut attributed = false;
        for cue in &cues {
            let kind = self.reporting.phrase(cue.phrase).attrs[0].as_str();
            if kind == "say" && negated_before(norm, sentence.start, cue.word_start) {
                // `ولم تعلن أي جهة مسؤوليتها`: a denied statement attributes nothing.
                continue;
            }
            let links = match kind {
                "relay" => self.relay(norm, sentence.clone(), cue),
                "according" => self.phrase_after(norm, sentence.clone(), cue.end).into_iter().collect(),
                _ => self.say(norm, sentence.clone(), cue),
            };
            if links.is_empty() {
                if kind == "say" && cue.word_start < sentence.start + 12 {
                    // `وأضاف أن …`: the speaker of the previous sentence goes on.
                    if let Some(prev) = previous {
                        chain.extend(prev.iter().skip_while(|l| l.norm.is_none()).cloned());
                        attributed = prev.iter().any(|l| l.kind != AttributionKind::Outlet);
                    }
                }
                if attributed {
                    break;
                }
                continue;
            }
            for l in links {
                // The same agency named again (dateline Reuters, then `وكالة رويترز`) is one link, located
                // where the sentence names it.
                if let Some(same) = chain.iter_mut().find(|c| l.agency.is_some() && c.agency == l.agency) {
                    if same.norm.is_none() {
                        same.norm = l.norm;
                    }
                    continue;
                }
                chain.push(l);
            }
            attributed = true;
            break;
        }
        let quoted = has_quotation(norm, sentence.clone());
        let kind = if quoted {
            SentenceKind::Quote
        } else if !attributed && self.is_opinion(found, norm, sentence, loaded) {
            SentenceKind::Opinion
        } else {
            SentenceKind::Report
        };
        if kind == SentenceKind::Opinion {
            chain.clear();
            chain.push(Link { kind: AttributionKind::Outlet, norm: None, agency: None });
        }
        Voice { kind, chain }
    }

    fn is_opinion(&self, found: Cues<'_>, norm: &str, sentence: Range<usize>, loaded: &[LoadedTerm]) -> bool {
        let cue = match found {
            Cues::Search => self.opinion.any_in(norm, sentence),
            Cues::Hits(h) => self.opinion.any_in_hits(h, OPINION, norm, sentence),
        };
        if cue {
            return true;
        }
        loaded.iter().any(|t| t.category != "terror_label") || loaded.len() >= 2
    }

    /// `قالت مصادر إيرانية لرويترز إن`: the subject after a speech verb, and an addressee agency.
    fn say(&self, norm: &str, sentence: Range<usize>, cue: &PhraseMatch) -> Vec<Link> {
        let mut out = Vec::new();
        let words = words_after(norm, cue.end, sentence.end, SOURCE_SPAN_WORDS);
        let mut end = None;
        let mut start = None;
        let mut addressee = None;
        let mut prev_end = cue.end;
        for (k, w) in words.iter().enumerate() {
            let t = &norm[w.clone()];
            // `وأضاف: "…"`, `وأضاف "…"`: a quotation opens where a subject would stand; the speaker is not here.
            if norm.get(prev_end..w.start).is_some_and(|g| g.contains(['"', '«', '“', ':'])) {
                break;
            }
            prev_end = w.end;
            if k >= MAX_SOURCE_WORDS || is_complementizer(t) {
                break;
            }
            if let Some(a) = self.addressee(norm, w.clone()) {
                addressee = Some(a);
                break;
            }
            if is_circumstance(t)
                || (t == "في" && words.get(k + 1).is_some_and(|n| is_statement_noun(&norm[n.clone()])))
            {
                break;
            }
            start.get_or_insert(w.start);
            end = Some(w.end);
            if boundary_after(norm, w.end) {
                break;
            }
        }
        if let Some(a) = addressee {
            out.push(a);
        }
        if let (Some(s), Some(e)) = (start, end) {
            out.push(self.link(norm, s..e));
        }
        out
    }

    /// `نقلت وكالة رويترز عن المصادر`: X ← Y.
    fn relay(&self, norm: &str, sentence: Range<usize>, cue: &PhraseMatch) -> Vec<Link> {
        let words = words_after(norm, cue.end, sentence.end, SOURCE_SPAN_WORDS);
        let Some(k) = words.iter().position(|w| &norm[w.clone()] == "عن") else { return Vec::new() };
        if k == 0 || k > MAX_SOURCE_WORDS {
            return Vec::new();
        }
        let mut out = vec![self.link(norm, words[0].start..words[k - 1].end)];
        out.extend(self.phrase_after(norm, sentence, words[k].end));
        out
    }

    /// The source noun phrase after `at`: up to a quotation verb (`قوله`), complementizer or punctuation.
    fn phrase_after(&self, norm: &str, sentence: Range<usize>, at: usize) -> Option<Link> {
        let words = words_after(norm, at, sentence.end, SOURCE_SPAN_WORDS);
        let (mut start, mut end) = (None, None);
        for (k, w) in words.iter().enumerate() {
            let t = &norm[w.clone()];
            if k >= MAX_SOURCE_WORDS || is_complementizer(t) || t.starts_with("قول") {
                break;
            }
            start.get_or_insert(w.start);
            end = Some(w.end);
            if boundary_after(norm, w.end) {
                break;
            }
        }
        Some(self.link(norm, start?..end?))
    }

    /// `لرويترز`: a `ل` + agency word after the subject, the channel the source spoke through.
    fn addressee(&self, norm: &str, word: Range<usize>) -> Option<Link> {
        let t = &norm[word.clone()];
        let rest = t.strip_prefix('ل')?;
        let mut found = Vec::new();
        self.agencies.find_in(norm, word.start + 'ل'.len_utf8()..word.end, &mut found);
        let m = found.first().filter(|m| m.end - m.start == rest.len())?;
        Some(Link {
            kind: AttributionKind::Agency,
            norm: Some(m.range()),
            agency: self.agencies.phrase(m.phrase).attrs.first().cloned(),
        })
    }

    fn link(&self, norm: &str, range: Range<usize>) -> Link {
        let mut found = Vec::new();
        self.agencies.find_in(norm, range.clone(), &mut found);
        match found.first() {
            Some(m) => Link {
                kind: AttributionKind::Agency,
                norm: Some(range),
                agency: self.agencies.phrase(m.phrase).attrs.first().cloned(),
            },
            None => Link { kind: AttributionKind::Source, norm: Some(range), agency: None },
        }
    }
}

/// Whether the word right before `at` (within the sentence) is a negation particle.
fn negated_before(norm: &str, sentence_start: usize, at: usize) -> bool {
    let before = norm[sentence_start..at].trim_end();
    let word = before.rsplit(|c: char| !is_word_char(c)).next().unwrap_or("");
    matches!(word, "لم" | "ولم" | "فلم" | "لا" | "ولا" | "لن" | "ولن" | "ما" | "وما")
}

/// Time words that end a speaker's noun phrase (`قال المسؤول أمس`).
fn is_circumstance(t: &str) -> bool {
    matches!(
        t,
        "خلال"
            | "امس"
            | "اليوم"
            | "يوم"
            | "الاحد"
            | "الاثنين"
            | "الثلاثاء"
            | "الاربعاء"
            | "الخميس"
            | "الجمعه"
            | "السبت"
            | "صباح"
            | "مساء"
            | "الليله"
    )
}

/// What a statement was made in (`قال المسؤول في بيان`): `في` before these ends the speaker's noun phrase.
fn is_statement_noun(t: &str) -> bool {
    let t = t.strip_prefix("ال").unwrap_or(t);
    ["بيان", "تصريح", "مؤتمر", "حديث", "مقابله", "كلمه", "تغريده", "رساله", "اتصال", "لقاء", "خطاب", "منشور", "تسجيل"]
        .iter()
        .any(|w| t.starts_with(w))
}

fn is_complementizer(t: &str) -> bool {
    matches!(
        t,
        "ان" | "انه"
            | "انها"
            | "انهم"
            | "بان"
            | "بانه"
            | "بانها"
            | "لان"
            | "قوله"
            | "قولها"
            | "قولهم"
            | "ما"
            | "الى"
    )
}

/// Whether punctuation that closes a noun phrase follows the word ending at `e`.
fn boundary_after(norm: &str, e: usize) -> bool {
    norm[e..].chars().next().is_some_and(|c| matches!(c, '،' | ',' | ':' | '؛' | '.' | '(' | '"' | '«' | '“'))
}

/// How many words after a cue the source readers look at: [`MAX_SOURCE_WORDS`] and the one after them (`say`
/// peeks one word ahead, `relay` takes `عن` up to that place). A sentence's words beyond go unread.
const SOURCE_SPAN_WORDS: usize = MAX_SOURCE_WORDS + 1;

/// The first `limit` words (normalised ranges) in `norm[from..to]`.
fn words_after(norm: &str, from: usize, to: usize, limit: usize) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    if limit == 0 {
        return out;
    }
    let mut start = None;
    for (i, c) in norm[from..to].char_indices() {
        let at = from + i;
        if is_word_char(c) {
            start.get_or_insert(at);
        } else if let Some(s) = start.take() {
            out.push(s..at);
            if out.len() == limit {
                return out;
            }
        }
    }
    if let Some(s) = start {
        out.push(s..to);
    }
    out
}

/// Whether `norm[range]` holds a quotation of at least [`MIN_QUOTE_WORDS`] words.
fn has_quotation(norm: &str, range: Range<usize>) -> bool {
    let s = &norm[range];
    for (open, close) in [('«', '»'), ('“', '”'), ('"', '"')] {
        let mut rest = s;
        while let Some(a) = rest.find(open) {
            let after = &rest[a + open.len_utf8()..];
            let Some(b) = after.find(close) else { break };
            if after[..b].split_whitespace().nth(MIN_QUOTE_WORDS.saturating_sub(1)).is_some() {
                return true;
            }
            rest = &after[b + close.len_utf8()..];
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_after_stops_at_its_limit() {
        let texts =
            ["", "قال", "قالت مصادر إيرانية، لرويترز: إن «الوضع» هادئ.", " a-b  c. د ", "كلمة ".repeat(40).as_str()]
                .map(rasid_text::normalize);
        for n in &texts {
            let all = words_after(n, 0, n.len(), usize::MAX);
            for from in (0..=n.len()).filter(|&i| n.is_char_boundary(i)) {
                let rest = words_after(n, from, n.len(), usize::MAX);
                for limit in [0, 1, 2, SOURCE_SPAN_WORDS, 50] {
                    assert_eq!(words_after(n, from, n.len(), limit), rest[..limit.min(rest.len())], "{n} {from}");
                }
            }
            assert!(all.iter().all(|w| w.start < w.end));
        }
    }

    fn rules() -> AttributionRules {
        let agencies = PhraseSet::parse(
            "agencies.tsv",
            include_str!("../../../data/structure/agencies.tsv"),
            2,
            Clitics::Prefixes,
        )
        .unwrap();
        AttributionRules::bundled(agencies).unwrap()
    }

    fn voice(text: &str, agency: Option<&str>) -> (SentenceKind, Vec<String>) {
        let norm = rasid_text::normalize(text);
        let v = rules().voice(&norm, 0..norm.len(), None, agency);
        let chain = v
            .chain
            .iter()
            .map(|l| match (&l.norm, &l.agency) {
                (_, Some(a)) => a.clone(),
                (Some(r), None) => norm[r.clone()].to_string(),
                (None, None) => "outlet".to_string(),
            })
            .collect();
        (v.kind, chain)
    }

    #[test]
    fn say_verb_with_addressee_agency() {
        let (kind, chain) = voice("قالت مصادر أمنية متعددة لرويترز إن الوفد وصل.", None);
        assert_eq!(kind, SentenceKind::Report);
        assert_eq!(chain, vec!["Reuters", "مصادر امنيه متعدده"]);
    }

    #[test]
    fn relay_and_dateline_agency_merge() {
        let (_, chain) = voice("ونقلت وكالة رويترز عن المسؤولين قولهم إن الاتفاق قريب.", Some("Reuters"));
        assert_eq!(chain, vec!["Reuters", "المسؤولين"]);
    }

    #[test]
    fn according_to() {
        let (_, chain) = voice("وقتل خمسة أشخاص، بحسب الدفاع المدني.", None);
        assert_eq!(chain, vec!["الدفاع المدني"]);
    }

    #[test]
    fn added_quote_continues_the_previous_speaker() {
        let r = rules();
        let first = rasid_text::normalize("وقال الوزير التركي للصحفيين إن الاجتماع كان مثمرا.");
        let prev = r.voice(&first, 0..first.len(), None, None).chain;
        assert_eq!(prev.len(), 1, "{prev:?}");
        for text in ["وأضاف \"طالبنا بإبعاد هذا التكوين من القوات\".", "وأضاف: «لن نقبل بهذا أبدا»."]
        {
            let norm = rasid_text::normalize(text);
            let v = r.voice(&norm, 0..norm.len(), Some(&prev), None);
            assert_eq!(v.kind, SentenceKind::Quote, "{text}");
            assert_eq!(v.chain, prev, "{text}");
        }
        // `وقال X إنه “…”`: X, in a quote.
        let norm =
            rasid_text::normalize("وقال قائد كبير في إحدى الجماعات إنه “لولا التدخل المباشر لما توقفت العمليات”.");
        let v = r.voice(&norm, 0..norm.len(), None, None);
        assert_eq!(v.kind, SentenceKind::Quote);
        assert_eq!(v.chain.len(), 1);
        assert_eq!(v.chain[0].norm.clone().map(|x| &norm[x]), Some("قائد كبير في احدي الجماعات"));
    }

    #[test]
    fn quote_and_opinion() {
        assert_eq!(voice("وقال الوزير: «لن نقبل بهذا الاتفاق أبدا».", None).0, SentenceKind::Quote);
        assert_eq!(voice("لقد أثبت نظام الملالي أنه لا يريد السلام.", None).0, SentenceKind::Opinion);
        assert_eq!(voice("وصل الوفد إلى العاصمة صباح أمس.", None).0, SentenceKind::Report);
        // A denied statement attributes nothing.
        assert_eq!(voice("ولم تعلن أي جهة مسؤوليتها عن الهجوم.", None).1, Vec::<String>::new());
        // A bare house label in a reported sentence is not an opinion.
        assert_eq!(voice("وقال الجيش إنه قتل عناصر من تنظيم داعش الإرهابي.", None).0, SentenceKind::Report);
    }
}
