//! Casualty and participant counts (`مقتل ثلاثة جنود`, `أكثر من 20 هجوما`, `آلاف المحتجين`, `جنديين`): the
//! number, whether it is approximate, and what it counts, decided from the nearby head noun or trigger word.
//!
//! Word lists: `data/numbers/count_heads.tsv` (what a count counts), `data/numbers/approx.tsv` (`أكثر من`,
//! `على الأقل` …), number words from [`crate::numbers`]. Matching runs on normalised text and reports normalised
//! byte ranges.
//!
//! A number is reported only when something says what it counts: a head noun right after it (`20 هجوما`,
//! `ثلاثة جنود`), a trigger before it (`مقتل 28`, `عدد القتلى إلى 28`) when the number is followed by nothing
//! or by a particle (`في`, `من`, `بينهم` …), or a dual noun on its own (`جنديين` = 2). Years, percentages,
//! dates (`29 يناير`) and numbers before other nouns (`100 كلم`) are not counts.

use crate::numbers::{parse_table, DataError, NumberWords, PhraseTable, Starters, Strip, TokKind, Token};
use std::ops::Range;

const HEADS: &str = include_str!("../../../data/numbers/count_heads.tsv");
const APPROX: &str = include_str!("../../../data/numbers/approx.tsv");

/// What a count counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CountCategory {
    Killed,
    Wounded,
    Arrested,
    Participants,
    Events,
}

impl CountCategory {
    /// `killed`, `wounded`, `arrested`, `participants`, `events`, as in the output format.
    pub fn as_str(self) -> &'static str {
        match self {
            CountCategory::Killed => "killed",
            CountCategory::Wounded => "wounded",
            CountCategory::Arrested => "arrested",
            CountCategory::Participants => "participants",
            CountCategory::Events => "events",
        }
    }

    /// Parses [`CountCategory::as_str`] back.
    pub fn parse(s: &str) -> Option<CountCategory> {
        Some(match s {
            "killed" => CountCategory::Killed,
            "wounded" => CountCategory::Wounded,
            "arrested" => CountCategory::Arrested,
            "participants" => CountCategory::Participants,
            "events" => CountCategory::Events,
            _ => return None,
        })
    }
}

/// What an approximator says about the true value (`data/numbers/approx.tsv`, third column).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Qualifier {
    /// `أكثر من 20`: more than the number.
    MoreThan,
    /// `ما لا يقل عن 28`, `10 على الأقل`: the number or more.
    AtLeast,
    /// `نحو 2000`, `عشرات`: about the number.
    About,
    /// `أقل من 48`: less than the number.
    LessThan,
    /// `ما يصل إلى 50`: the number or fewer.
    AtMost,
}

impl Qualifier {
    /// `more_than`, `at_least`, `about`, `less_than`, `at_most`, as in the data and the output format.
    pub fn as_str(self) -> &'static str {
        match self {
            Qualifier::MoreThan => "more_than",
            Qualifier::AtLeast => "at_least",
            Qualifier::About => "about",
            Qualifier::LessThan => "less_than",
            Qualifier::AtMost => "at_most",
        }
    }

    /// Parses [`Qualifier::as_str`] back.
    pub fn parse(s: &str) -> Option<Qualifier> {
        Some(match s {
            "more_than" => Qualifier::MoreThan,
            "at_least" => Qualifier::AtLeast,
            "about" => Qualifier::About,
            "less_than" => Qualifier::LessThan,
            "at_most" => Qualifier::AtMost,
            _ => return None,
        })
    }
}

/// The approximator table (`data/numbers/approx.tsv`): phrase → (position, qualifier).
pub(crate) fn approx_table() -> Result<PhraseTable<(ApproxPos, Qualifier)>, DataError> {
    let mut approx = PhraseTable::new(Strip::Clitics);
    for (line, f) in parse_table("approx.tsv", APPROX, 3)? {
        let pos = match f[1] {
            "before" => ApproxPos::Before,
            "after" => ApproxPos::After,
            other => return Err(DataError::value("approx.tsv", line, other)),
        };
        let q = Qualifier::parse(f[2]).ok_or_else(|| DataError::value("approx.tsv", line, f[2]))?;
        approx.insert(&rasid_text::normalize(f[0]), (pos, q));
    }
    Ok(approx)
}

/// One count found in normalised text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountExpr {
    /// Normalised byte range: the number with a leading approximator (`أكثر من 20`), or the dual noun.
    pub norm: Range<usize>,
    pub value: u64,
    /// `أكثر من`, `نحو`, `على الأقل`, `عشرات`, `آلاف` alone …
    pub approx: bool,
    /// How the true value relates to `value` (set whenever `approx` is).
    pub qualifier: Option<Qualifier>,
    /// `None` when the head is a person noun with no trigger nearby (`ثلاثة أشخاص`).
    pub category: Option<CountCategory>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Head,
    Trigger,
    Both,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Head {
    /// `None`: a person noun.
    category: Option<CountCategory>,
    role: Role,
    dual: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ApproxPos {
    Before,
    After,
}

/// Finds counts; build once, use for many texts.
#[derive(Debug, Clone)]
pub struct CountFinder {
    heads: PhraseTable<Head>,
    approx: PhraseTable<(ApproxPos, Qualifier)>,
    nums: NumberWords,
    /// Words that may start a count: number words, approximators, dual nouns.
    starters: Starters,
}

impl Default for CountFinder {
    fn default() -> Self {
        Self::new()
    }
}

/// Reusable buffers for [`CountFinder::find_with`].
#[derive(Debug, Default)]
pub struct CountScratch {
    toks: Vec<Token>,
    stems: Vec<(usize, usize)>,
}

/// Particles that may follow a number whose category comes from a trigger before it (`مقتل 28 في …`).
/// A closed grammatical class, so it lives here.
const NEUTRAL_AFTER: &[&str] =
    &["في", "من", "على", "بينهم", "منهم", "اخرين", "اخرون", "اخر", "اخري", "و", "اثر", "جراء", "اليوم", "امس"];

/// How many tokens before a number a trigger may stand.
const TRIGGER_WINDOW: usize = 4;

impl CountFinder {
    /// Builds the finder from the embedded data (checked by this module's tests, so it does not fail).
    pub fn new() -> Self {
        Self::try_new().expect("embedded count tables are valid")
    }

    /// Builds the finder, reporting a bad line in the embedded data.
    pub fn try_new() -> Result<Self, DataError> {
        let mut heads = PhraseTable::new(Strip::Article);
        for (line, f) in parse_table("count_heads.tsv", HEADS, 4)? {
            let bad = |v: &str| DataError::value("count_heads.tsv", line, v);
            let category = match f[1] {
                "person" => None,
                c => Some(CountCategory::parse(c).ok_or_else(|| bad(c))?),
            };
            let role = match f[2] {
                "head" => Role::Head,
                "trigger" => Role::Trigger,
                "both" => Role::Both,
                other => return Err(bad(other)),
            };
            let dual = match f[3] {
                "2" => true,
                "-" => false,
                other => return Err(bad(other)),
            };
            heads.insert(&rasid_text::normalize(f[0]), Head { category, role, dual });
        }
        let approx = approx_table()?;
        let nums = NumberWords::try_new()?;
        let mut starters = Starters::new(Strip::Article);
        for w in nums.forms() {
            starters.insert(w);
        }
        for (w, _) in approx.first_words() {
            starters.insert(w);
        }
        for (w, mut hs) in heads.first_words() {
            if hs.any(|h| h.dual) {
                starters.insert(w);
            }
        }
        Ok(CountFinder { heads, approx, nums, starters })
    }

    /// Finds the counts of `norm` (normalised text), appending them to `out` in text order.
    pub fn find(&self, norm: &str, out: &mut Vec<CountExpr>) {
        let mut s = CountScratch::default();
        self.find_with(&mut s, norm, out);
    }

    /// As [`CountFinder::find`], reusing buffers.
    pub fn find_with(&self, s: &mut CountScratch, norm: &str, out: &mut Vec<CountExpr>) {
        crate::numbers::tokenize(norm, &mut s.toks);
        let toks = std::mem::take(&mut s.toks);
        self.find_in_tokens(norm, &toks, &mut s.stems, out);
        s.toks = toks;
    }

    /// As [`CountFinder::find`], over the tokens of `norm` already made by [`crate::numbers::tokenize`] (the
    /// pipeline tokenises an article once for dates and counts); `stems` is a scratch buffer.
    pub fn find_in_tokens(
        &self,
        norm: &str,
        toks: &[Token],
        stems: &mut Vec<(usize, usize)>,
        out: &mut Vec<CountExpr>,
    ) {
        let mut i = 0;
        while i < toks.len() {
            if !self.starters.may_start(norm, &toks[i]) {
                i += 1;
                continue;
            }
            match self.count_at(norm, toks, i, stems) {
                Some((c, next)) => {
                    out.push(c);
                    i = next.max(i + 1);
                }
                None => i += 1,
            }
        }
    }

    fn head_at(&self, norm: &str, toks: &[Token], i: usize, sc: &mut Vec<(usize, usize)>) -> Option<(Head, usize)> {
        self.heads.match_at(norm, toks, i, sc).map(|m| (*m.value, m.next))
    }

    /// The nearest trigger among the `TRIGGER_WINDOW` tokens before token `i`, not crossing sentence punctuation.
    fn trigger_before(
        &self,
        norm: &str,
        toks: &[Token],
        i: usize,
        sc: &mut Vec<(usize, usize)>,
    ) -> Option<CountCategory> {
        for k in (i.saturating_sub(TRIGGER_WINDOW)..i).rev() {
            let t = toks.get(k)?;
            if t.kind == TokKind::Punct {
                if matches!(norm.get(t.range()), Some("." | "؛" | ";" | "!" | "؟" | "?" | ":")) {
                    return None;
                }
                continue;
            }
            if let Some((h, _)) = self.head_at(norm, toks, k, sc) {
                if h.role != Role::Head && h.category.is_some() {
                    return h.category;
                }
            }
        }
        None
    }

    /// A trigger within three tokens after token `i` (`ثلاثة جنود قتلوا`, `خمسة آخرين بجروح`).
    fn trigger_after(
        &self,
        norm: &str,
        toks: &[Token],
        i: usize,
        sc: &mut Vec<(usize, usize)>,
    ) -> Option<CountCategory> {
        for k in i..(i + 3).min(toks.len()) {
            if toks.get(k)?.kind == TokKind::Punct {
                return None;
            }
            if let Some((h, _)) = self.head_at(norm, toks, k, sc) {
                if h.role != Role::Head && h.category.is_some() {
                    return h.category;
                }
            }
        }
        None
    }

    /// `على الأقل` / `أو أكثر` at token `i`: returns the token after it and the qualifier.
    fn approx_after(
        &self,
        norm: &str,
        toks: &[Token],
        i: usize,
        sc: &mut Vec<(usize, usize)>,
    ) -> Option<(usize, Qualifier)> {
        // `شخصين، على الأقل،`: one comma may stand between.
        let i = if toks.get(i).and_then(|t| norm.get(t.range())).is_some_and(|p| p == "،" || p == ",") {
            i + 1
        } else {
            i
        };
        let m = self.approx.match_at(norm, toks, i, sc)?;
        (m.value.0 == ApproxPos::After).then_some((m.next, m.value.1))
    }

    fn count_at(
        &self,
        norm: &str,
        toks: &[Token],
        i: usize,
        sc: &mut Vec<(usize, usize)>,
    ) -> Option<(CountExpr, usize)> {
        // A dual noun on its own: `جنديين` = 2.
        if let Some((h, next)) = self.head_at(norm, toks, i, sc) {
            if h.dual {
                let t = toks.get(i)?;
                let w = norm.get(t.range())?;
                sc.clear();
                crate::numbers::stems(w, Strip::Article, sc);
                let start = t.start;
                let mut next = next;
                // `جنديين اثنين`: the number word repeats the dual.
                if let Some(n) = self.nums.number_at(norm, toks, next, sc) {
                    if n.value == 2 && !n.digits {
                        next = n.next;
                    }
                }
                let before = self.trigger_before(norm, toks, i, sc);
                let category = match (h.category, before) {
                    (Some(CountCategory::Participants), Some(b)) => Some(b),
                    (Some(c), _) => Some(c),
                    (None, b) => b.or_else(|| self.trigger_after(norm, toks, next, sc)),
                };
                let qualifier = self.approx_after(norm, toks, next, sc).map(|(_, q)| q);
                let approx = qualifier.is_some();
                return Some((CountExpr { norm: start..t.end, value: 2, approx, qualifier, category }, next));
            }
        }
        // An approximator before the number.
        let (mut qualifier, start_approx, j) = match self.approx.match_at(norm, toks, i, sc) {
            Some(m) if m.value.0 == ApproxPos::Before => (Some(m.value.1), Some(m.start), m.next),
            _ => (None, None, i),
        };
        let n = self.number(norm, toks, j, sc)?;
        if n.approx && qualifier.is_none() {
            qualifier = Some(Qualifier::About);
        }
        let start = start_approx.unwrap_or(n.start);
        let mut k = n.next;
        // Glued punctuation after digits: dates (2024/1/29), decimals, percentages.
        if let Some(t) = toks.get(k) {
            if t.kind == TokKind::Punct
                && t.glued
                && matches!(norm.get(t.range()), Some("/" | "-" | "." | "%" | ":"))
                && n.digits
            {
                let end_ok = matches!(norm.get(t.range()), Some(".")) && toks.get(k + 1).is_none_or(|t| !t.glued);
                if !end_ok {
                    return None;
                }
            }
        }
        // `آلاف من المتظاهرين`.
        if toks.get(k).and_then(|t| norm.get(t.range())) == Some("من")
            && (n.approx || n.value >= 1000)
            && self.head_at(norm, toks, k + 1, sc).is_some_and(|(h, _)| h.role != Role::Trigger)
        {
            k += 1;
        }
        let mut category = None;
        let mut counted = false;
        let mut after = k;
        if let Some((h, hn)) = self.head_at(norm, toks, k, sc).filter(|(h, _)| h.role != Role::Trigger && !h.dual) {
            counted = true;
            after = hn;
            // A casualty trigger before the number outranks a participant head (`قتلت … 817 متظاهرا`).
            let before = self.trigger_before(norm, toks, i, sc);
            category = match (h.category, before) {
                (Some(CountCategory::Participants), Some(b)) => Some(b),
                (Some(c), _) => Some(c),
                (None, b) => b.or_else(|| self.trigger_after(norm, toks, hn, sc)),
            };
        } else {
            let follower = toks.get(k);
            let neutral = match follower {
                None => true,
                Some(t) if t.kind == TokKind::Punct => true,
                Some(t) if t.kind == TokKind::Word => {
                    let w = norm.get(t.range()).unwrap_or("");
                    // `25 من الشهر الجاري` is a day, not a count.
                    let date_after = w == "من"
                        && toks
                            .get(k + 1)
                            .and_then(|t| norm.get(t.range()))
                            .is_some_and(|n| n == "الشهر" || n == "شهر");
                    (NEUTRAL_AFTER.contains(&w) && !date_after) || self.approx_after(norm, toks, k, sc).is_some()
                }
                Some(_) => false,
            };
            let year_like =
                n.digits && (1900..=2100).contains(&n.value) && norm.get(n.start..n.end).is_some_and(|s| s.len() == 4);
            // A trigger right before the number governs it whatever noun follows (`مقتل أربعة أقباط`).
            let adjacent = i == j && j > 0 && self.trigger_before(norm, toks, j, sc).is_some() && {
                let prev = j - 1;
                self.head_at(norm, toks, prev, sc).is_some_and(|(h, _)| h.role != Role::Head && h.category.is_some())
            };
            if (neutral || adjacent) && !year_like {
                category = self.trigger_before(norm, toks, i, sc);
                counted = category.is_some();
            }
        }
        if !counted {
            return None;
        }
        if let Some((nx, q)) =
            self.approx_after(norm, toks, after, sc).or_else(|| self.approx_after(norm, toks, n.next, sc))
        {
            // `أكثر من 20 … على الأقل` keeps the first; a vague plural gives way to the explicit bound.
            if qualifier.is_none_or(|_| start_approx.is_none()) {
                qualifier = Some(q);
            }
            after = after.max(nx);
        }
        let approx = qualifier.is_some();
        Some((
            CountExpr { norm: start..n.end, value: n.value, approx, qualifier, category },
            n.next.max(j + 1).min(after.max(n.next)),
        ))
    }

    /// A cardinal at token `i`; a number word carrying the article counts only for vague plurals (`الآلاف`),
    /// so `الاثنين` (Monday) is not two.
    fn number(
        &self,
        norm: &str,
        toks: &[Token],
        i: usize,
        sc: &mut Vec<(usize, usize)>,
    ) -> Option<crate::numbers::NumberMatch> {
        let n = self.nums.number_at(norm, toks, i, sc)?;
        let t = toks.get(i)?;
        let lead = norm.get(t.start..n.start).unwrap_or("");
        if lead.ends_with("ال") && !n.approx {
            return None;
        }
        Some(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn qualifiers(text: &str) -> Vec<Option<&'static str>> {
        let f = CountFinder::new();
        let n = rasid_text::normalize(text);
        let mut out = Vec::new();
        f.find(&n, &mut out);
        out.iter().map(|c| c.qualifier.map(Qualifier::as_str)).collect()
    }

    #[test]
    fn qualifiers_say_which_way_the_bound_goes() {
        assert_eq!(qualifiers("مقارنة بأكثر من 20 هجوما"), vec![Some("more_than")]);
        assert_eq!(qualifiers("مقتل ما لا يقل عن 28 شخصا"), vec![Some("at_least")]);
        assert_eq!(qualifiers("مقتل عشرة اشخاص على الاقل"), vec![Some("at_least")]);
        assert_eq!(qualifiers("شارك نحو 2000 متظاهر"), vec![Some("about")]);
        assert_eq!(qualifiers("خرج عشرات المحتجين"), vec![Some("about")]);
        assert_eq!(qualifiers("مقتل ثلاثة جنود"), vec![None]);
        for q in ["more_than", "at_least", "about", "less_than", "at_most"] {
            assert_eq!(Qualifier::parse(q).map(Qualifier::as_str), Some(q));
        }
    }

    fn counts(text: &str) -> Vec<(u64, bool, Option<&'static str>)> {
        let f = CountFinder::new();
        let n = rasid_text::normalize(text);
        let mut out = Vec::new();
        f.find(&n, &mut out);
        out.iter().map(|c| (c.value, c.approx, c.category.map(CountCategory::as_str))).collect()
    }

    #[test]
    fn seed_counts() {
        assert_eq!(counts("في مقتل ثلاثة جنود أمريكيين"), vec![(3, false, Some("killed"))]);
        assert_eq!(counts("مقارنة بأكثر من 20 هجوما في"), vec![(20, true, Some("events"))]);
        assert_eq!(counts("وقالت 10 مصادر إن"), vec![]);
        assert_eq!(counts("يوم 29 يناير"), vec![]);
        assert_eq!(counts("مقتل جنديين"), vec![(2, false, Some("killed"))]);
        assert_eq!(counts("مقتل عشرة اشخاص على الاقل"), vec![(10, true, Some("killed"))]);
        assert_eq!(counts("خرج آلاف المحتجين"), vec![(1000, true, Some("participants"))]);
        assert_eq!(counts("قتل يوم الاثنين."), vec![]);
        assert_eq!(counts("مقتل شخص عام 2014."), vec![]);
        assert_eq!(counts("مقتل خاشقجي في 25 من الشهر الجاري"), vec![]);
    }

    #[test]
    fn data_loads_and_never_panics() {
        let f = CountFinder::try_new().expect("tables");
        let mut out = Vec::new();
        for s in ["", "مقتل", "أكثر من", "20", "جنديين اثنين", "1,", "2.", "99999999999999 قتيلا", "عشرات"]
        {
            f.find(&rasid_text::normalize(s), &mut out);
        }
    }
}
