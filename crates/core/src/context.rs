//! The when, where and how many of each event: picks, for an event's trigger, the date expression, place and
//! counts of its clause or sentence, and resolves the date against the publication date.
//!
//! Rules:
//! - **Date**: the date expression of the trigger's clause (no clause punctuation `، ؛ :` between them), else
//!   the nearest one in the sentence, resolved with the previous event's date as the anchor of relative
//!   expressions (`في اليوم التالي`); else, when the article has a dateline, the publication day (the day the
//!   report was filed; `text` is empty and `mention` null); else none.
//! - **Place**: the nearest place mention in the sentence (a place, a capital used as a place, a country), a
//!   city before a country; else the dateline place.
//! - **Counts**: every count of the sentence with a category (killed, wounded, arrested, participants, events);
//!   of several counts of one category the one nearest the trigger.

use crate::actors::Mention;
use crate::calendar::Ymd;
use crate::counts::{CountCategory, CountExpr};
use crate::dates::{DateExpr, Precision, ResolvedDate};
use crate::model::{Count, Counts};
use rasid_lexicon::MatchKind;
use std::ops::Range;

/// A resolved event date with the expression it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventDay {
    pub resolved: ResolvedDate,
    /// Normalised range of the expression; `None` for the dateline fallback.
    pub norm: Option<Range<usize>>,
}

/// The date of an event whose trigger is at `trigger` in sentence `sentence`.
pub fn event_date(
    norm: &str,
    sentence: &Range<usize>,
    trigger: &Range<usize>,
    dates: &[DateExpr],
    published: Option<Ymd>,
    anchor: Option<Ymd>,
    has_dateline: bool,
) -> Option<EventDay> {
    let published = published?;
    let in_sentence = dates.iter().filter(|d| sentence.start <= d.norm.start && d.norm.end <= sentence.end);
    let mut best: Option<(&DateExpr, (bool, usize))> = None;
    for d in in_sentence {
        let same_clause = !clause_break_between(norm, trigger, &d.norm);
        let distance = gap(trigger, &d.norm);
        // Prefer the same clause, then the nearest.
        let key = (!same_clause, distance);
        if best.as_ref().is_none_or(|(_, k)| key < *k) {
            best = Some((d, key));
        }
    }
    if let Some((d, _)) = best {
        // Years outside 1–9999 (`قبل ثمانية آلاف عام`) are history, not an event date the format can carry.
        if let Some(resolved) =
            d.resolve(published, anchor).filter(|r| r.start.is_none_or(|s| (1..=9999).contains(&s.y)))
        {
            return Some(EventDay { resolved, norm: Some(d.norm.clone()) });
        }
    }
    has_dateline.then(|| EventDay {
        resolved: ResolvedDate {
            value: published.to_string(),
            precision: Precision::Day,
            start: Some(published),
            end: Some(published),
        },
        norm: None,
    })
}

/// The place mention for an event: the place-like mention of the trigger's clause, else of the sentence, the
/// nearest first.
pub fn event_place<'m>(
    norm: &str,
    sentence: &Range<usize>,
    trigger: &Range<usize>,
    mentions: &'m [Mention],
) -> Option<&'m Mention> {
    mentions
        .iter()
        .filter(|m| sentence.start <= m.norm.start && m.norm.end <= sentence.end)
        .filter(|m| is_place(m))
        .min_by_key(|m| (clause_break_between(norm, trigger, &m.norm), gap(trigger, &m.norm)))
}

/// Whether a mention names a place (a city or region, a capital named as a location, a country).
pub fn is_place(m: &Mention) -> bool {
    match m.kind {
        MatchKind::Place | MatchKind::Country => true,
        MatchKind::Capital => m.as_place,
        _ => false,
    }
}

/// Which count categories an event of a PLOVER type can carry: casualties and numbers of attacks belong to
/// assaults, arrests to coercion, participants to protests and mobilisations.
pub fn counts_apply(plover: &str, category: CountCategory) -> bool {
    match category {
        CountCategory::Killed | CountCategory::Wounded => plover == "ASSAULT",
        CountCategory::Arrested => matches!(plover, "COERCE" | "ASSAULT"),
        CountCategory::Participants => matches!(plover, "PROTEST" | "MOBILIZE"),
        CountCategory::Events => matches!(plover, "ASSAULT" | "PROTEST"),
    }
}

/// The counts of the sentence that apply to an event of type `plover`, by category, each the one nearest the
/// trigger.
pub fn event_counts(
    plover: &str,
    sentence: &Range<usize>,
    trigger: &Range<usize>,
    counts: &[CountExpr],
) -> Option<Counts> {
    let mut out = Counts::default();
    let mut best: [Option<(usize, Count)>; 5] = [None; 5];
    for c in counts.iter().filter(|c| sentence.start <= c.norm.start && c.norm.end <= sentence.end) {
        let Some(cat) = c.category.filter(|&cat| counts_apply(plover, cat)) else { continue };
        let slot = match cat {
            CountCategory::Killed => 0,
            CountCategory::Wounded => 1,
            CountCategory::Arrested => 2,
            CountCategory::Participants => 3,
            CountCategory::Events => 4,
        };
        let d = gap(trigger, &c.norm);
        if best[slot].is_none_or(|(bd, _)| d < bd) {
            best[slot] = Some((d, Count { value: c.value, approx: c.approx }));
        }
    }
    let [k, w, a, p, e] = best.map(|b| b.map(|(_, c)| c));
    out.killed = k;
    out.wounded = w;
    out.arrested = a;
    out.participants = p;
    out.events = e;
    (k.is_some() || w.is_some() || a.is_some() || p.is_some() || e.is_some()).then_some(out)
}

/// Bytes between two ranges (0 when they touch or overlap).
fn gap(a: &Range<usize>, b: &Range<usize>) -> usize {
    if b.start >= a.end {
        b.start - a.end
    } else {
        a.start.saturating_sub(b.end)
    }
}

/// Whether clause punctuation stands between the two ranges.
fn clause_break_between(norm: &str, a: &Range<usize>, b: &Range<usize>) -> bool {
    let (from, to) = if a.end <= b.start { (a.end, b.start) } else { (b.end, a.start) };
    from < to && norm.get(from..to).is_some_and(|s| s.contains(['،', ',', '؛', ';', ':']))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::counts::CountFinder;
    use crate::dates::DateFinder;

    #[test]
    fn date_of_the_clause_wins_and_resolves_against_publication() {
        let norm = rasid_text::normalize("التقى الوزير نظيره يوم 29 يناير، وكان قد زاره في 3 ديسمبر");
        let mut dates = Vec::new();
        DateFinder::new().find(&norm, &mut dates);
        let trigger = 0..norm.find(' ').unwrap();
        let day = event_date(&norm, &(0..norm.len()), &trigger, &dates, Ymd::parse("2024-02-18"), None, false).unwrap();
        assert_eq!(day.resolved.value, "2024-01-29");
        // No expression and no dateline: no date.
        assert_eq!(event_date("هاجم مسلحون", &(0..10), &(0..4), &[], Ymd::parse("2024-02-18"), None, false), None);
        // With a dateline, the publication day.
        let d = event_date("هاجم مسلحون", &(0..10), &(0..4), &[], Ymd::parse("2024-02-18"), None, true).unwrap();
        assert_eq!((d.resolved.value.as_str(), d.norm), ("2024-02-18", None));
    }

    #[test]
    fn counts_by_category() {
        let norm = rasid_text::normalize("أسفر الهجوم عن مقتل ثلاثة جنود وإصابة أكثر من 20 آخرين");
        let mut counts = Vec::new();
        CountFinder::new().find(&norm, &mut counts);
        let trigger = norm.find("الهجوم").map(|i| i..i + "الهجوم".len()).unwrap();
        let c = event_counts("ASSAULT", &(0..norm.len()), &trigger, &counts).unwrap();
        assert_eq!(event_counts("CONSULT", &(0..norm.len()), &trigger, &counts), None);
        assert_eq!(c.killed, Some(Count { value: 3, approx: false }));
        assert_eq!(c.wounded, Some(Count { value: 20, approx: true }));
        assert_eq!(c.arrested, None);
    }
}
