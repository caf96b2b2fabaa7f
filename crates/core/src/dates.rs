//! Arabic date expressions: finding them in normalised text ([`DateFinder`]) and resolving them against the
//! publication date and the previous event's date ([`resolve`]).
//!
//! Word lists live in `data/dates/` (format in `data/dates/README.md`); numbers come from [`crate::numbers`].
//! Resolution never invents precision: a month name alone gives a month, `قبل أربع سنوات` gives a year, and
//! spans of days (`الأسبوعين الماضيين`, `منذ الرابع من فبراير`) are `Range`s with `start`/`end`.
//!
//! Rules (what the grammar reads):
//! - `29 يناير [2024] [الماضي]`, `الرابع من فبراير`, `الحادي والعشرين من مارس`, `2024/1/29`, `29-1-2024`;
//!   paired names `فبراير/شباط`, `يناير (كانون الثاني)`; Hijri `15 رجب 1445 هـ` (tabular calendar, ±1 day);
//! - a year-less date takes the year that puts it on or before publication (`المقبل` after it: on or after);
//! - `عام 2014`, `في 2014`, `يناير 2024`, `منتصف يوليو`, weekdays (`الاثنين الماضي`, `يوم الأحد`),
//!   `أمس`/`اليوم`/`غدا`/`أمس الأول`, `في اليوم التالي` (needs the anchor), `قبل أربع سنوات`,
//!   `منذ <date or duration>`, `الأسبوعين الماضيين`, `الشهر الماضي`, `هذا العام`, `خلال 48 ساعة`,
//!   `الأسبوعين السابقين لـ X` (the two weeks before the anchor).
//!
//! Not dates: `العام` without a year or modifier (`الأمين العام`), ordinals without `من <month>` (`الأول`),
//! strict month names without a number (`مارس` the verb), `اليوم العالمي` and other `notdate` phrases.

use crate::calendar::{days_in_month, hijri_to_gregorian, hijri_year_of, Ymd};
use crate::counts::{approx_table, ApproxPos, Qualifier};
use crate::numbers::{parse_table, DataError, NumberWords, PhraseTable, Starters, Strip, TokKind, Token};
use std::ops::Range;

const MONTHS: &str = include_str!("../../../data/dates/months.tsv");
const WEEKDAYS: &str = include_str!("../../../data/dates/weekdays.tsv");
const WORDS: &str = include_str!("../../../data/dates/words.tsv");

/// A unit of time in durations and periods.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Hour,
    Day,
    Week,
    Month,
    Year,
}

/// Direction words after a unit, a month or a weekday.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rel {
    /// `الماضي`: before publication.
    Past,
    /// `المقبل`: after publication.
    Next,
    /// `الحالي`, `هذا`: the current one.
    This,
    /// `السابقين لـ X`: before the anchor event.
    Prior,
    /// `من العام الماضي` after a day or month: in the year before publication.
    PastYear,
    /// `من العام الجاري`: in the publication year.
    ThisYear,
    /// `من العام المقبل`: in the year after publication.
    NextYear,
}

/// What a date expression says, before resolution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateKind {
    /// A calendar date, possibly partial: day-month(-year), month(-year), or year.
    Calendar { year: Option<i32>, month: Option<u8>, day: Option<u8>, hijri: bool, rel: Option<Rel> },
    /// Part of a month (`منتصف يوليو`): days `first..=last` (`last = 0`: the month's end).
    MonthPart { year: Option<i32>, month: u8, hijri: bool, first: u8, last: u8, rel: Option<Rel> },
    /// A day relative to publication (`أمس` = -1).
    RelativeDay(i32),
    /// A day relative to the anchor (previous event) date (`في اليوم التالي` = +1).
    AnchorDay(i32),
    /// A weekday (0 = Sunday), with an optional direction.
    Weekday { weekday: u8, rel: Option<Rel> },
    /// `قبل أربع سنوات`: a point `n` units before publication; `q` from an approximator (`قبل نحو أسبوع`).
    Ago { n: u32, unit: Unit, q: Option<Qualifier> },
    /// `قبل يومين من مصرعه`: `n` units before another event (the anchor); negative `n` for `بعد … من`.
    /// The event named after `من` is the other end ([`DateExpr::resolve_referent`]).
    AgoFrom { n: i32, unit: Unit, q: Option<Qualifier> },
    /// `الأسبوعين الماضيين`, `الشهر المقبل`, `هذا العام`, `الأسبوعين السابقين لـ X`.
    Period { n: u32, unit: Unit, rel: Rel },
    /// `خلال 48 ساعة`: the `n` units before the anchor (or publication) date.
    Within { n: u32, unit: Unit },
    /// `منذ …`: from a date to publication.
    Since(Box<DateKind>),
    /// `منذ ذلك الحين`: from the anchor (the date named just before) to publication.
    SinceThen,
    /// `منذ أسبوعين`: from `n` units before publication to publication.
    SinceDuration { n: u32, unit: Unit, q: Option<Qualifier> },
}

/// One date expression found in normalised text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateExpr {
    /// Normalised byte range.
    pub norm: Range<usize>,
    pub kind: DateKind,
}

impl DateExpr {
    /// See [`resolve`].
    pub fn resolve(&self, published: Ymd, anchor: Option<Ymd>) -> Option<ResolvedDate> {
        resolve(self, published, anchor)
    }

    /// As [`DateExpr::resolve`] for an event told in the future tense (`سيزور الكويت الأحد`): a bare weekday
    /// or a year-less date is the next one on or after publication, not the last one before it.
    pub fn resolve_future(&self, published: Ymd, anchor: Option<Ymd>) -> Option<ResolvedDate> {
        let kind = match self.kind {
            DateKind::Weekday { weekday, rel: None } if published.weekday() != weekday => {
                DateKind::Weekday { weekday, rel: Some(Rel::Next) }
            }
            DateKind::Calendar { year: None, month, day, hijri, rel: None } => {
                DateKind::Calendar { year: None, month, day, hijri, rel: Some(Rel::Next) }
            }
            DateKind::MonthPart { year: None, month, hijri, first, last, rel: None } => {
                DateKind::MonthPart { year: None, month, hijri, first, last, rel: Some(Rel::Next) }
            }
            ref k => k.clone(),
        };
        resolve_kind(&kind, published, anchor)
    }

    /// Whether the expression counts from the date named just before it (`منذ ذلك الحين`).
    pub fn is_since_then(&self) -> bool {
        self.kind == DateKind::SinceThen
    }

    /// Whether the expression names another event after it whose date it measures from: `السابقين لـ X`,
    /// `بعد 48 ساعة من X`, `قبل يومين من X`. That event X is the expression's referent, not dated by it.
    pub fn has_referent(&self) -> bool {
        matches!(self.kind, DateKind::Period { rel: Rel::Prior, .. } | DateKind::AgoFrom { .. })
    }

    /// The date of the referent X of `… بعد <n> من X` / `… قبل <n> من X`, given the date `main` of the event the
    /// expression dates: `main` less (or plus) the duration; `أقل من` makes it the range up to the day before
    /// (after) `main`, `نحو` an approximate day. `None` for other expressions.
    pub fn resolve_referent(&self, main: Ymd) -> Option<ResolvedDate> {
        let DateKind::AgoFrom { n, unit, q } = self.kind else {
            return None;
        };
        // `بعد n من X` (n < 0): X lies n before main; `قبل n من X`: X lies n after main.
        let back = n < 0;
        let m = n.unsigned_abs();
        let far = if back { units_back(main, m, unit) } else { units_forward(main, m, unit) };
        let near = main.add_days(if back { -1 } else { 1 });
        let mut r = match (q, unit) {
            (Some(Qualifier::LessThan | Qualifier::AtMost), _) => ResolvedDate::range(far, near),
            (_, Unit::Day | Unit::Hour) => ResolvedDate::day(far),
            (_, Unit::Week) => ResolvedDate::range(far.add_days(-3), far.add_days(3)),
            (_, Unit::Month) => ResolvedDate::month(far.y, far.m)?,
            (_, Unit::Year) => ResolvedDate::year(far.y)?,
        };
        r.approx = q.is_some();
        Some(r)
    }
}

/// How precisely a resolved date is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Precision {
    Day,
    Month,
    Year,
    /// A span of days between `start` and `end`.
    Range,
}

impl Precision {
    /// `day`, `month`, `year` or `range`, as in the output format.
    pub fn as_str(self) -> &'static str {
        match self {
            Precision::Day => "day",
            Precision::Month => "month",
            Precision::Year => "year",
            Precision::Range => "range",
        }
    }
}

/// A date expression resolved to the calendar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedDate {
    /// `YYYY-MM-DD` (day), `YYYY-MM` (month), `YYYY` (year); for a range, the finest of those that holds both
    /// ends (`2024-01` for 2024-01-15…2024-01-29).
    pub value: String,
    pub precision: Precision,
    /// First and last day covered (set for every precision; equal for a day).
    pub start: Option<Ymd>,
    pub end: Option<Ymd>,
    /// The expression is approximate (`قبل نحو أسبوع`, `منذ حوالي شهر`, `بعد أقل من 48 ساعة من`).
    pub approx: bool,
}

impl ResolvedDate {
    /// A known day.
    pub fn day(d: Ymd) -> ResolvedDate {
        ResolvedDate { value: d.to_string(), precision: Precision::Day, start: Some(d), end: Some(d), approx: false }
    }
    fn month(y: i32, m: u8) -> Option<ResolvedDate> {
        let s = Ymd::new(y, m, 1)?;
        Some(ResolvedDate {
            value: format!("{y:04}-{m:02}"),
            precision: Precision::Month,
            start: Some(s),
            end: Some(s.month_end()),
            approx: false,
        })
    }
    fn year(y: i32) -> Option<ResolvedDate> {
        Some(ResolvedDate {
            value: format!("{y:04}"),
            precision: Precision::Year,
            start: Ymd::new(y, 1, 1),
            end: Ymd::new(y, 12, 31),
            approx: false,
        })
    }
    /// The days `a..=b` (a day when equal).
    pub fn range(a: Ymd, b: Ymd) -> ResolvedDate {
        let (a, b) = if a <= b { (a, b) } else { (b, a) };
        let value = if a == b {
            return ResolvedDate::day(a);
        } else if a.y == b.y && a.m == b.m {
            format!("{:04}-{:02}", a.y, a.m)
        } else {
            format!("{:04}", a.y)
        };
        ResolvedDate { value, precision: Precision::Range, start: Some(a), end: Some(b), approx: false }
    }
}

/// A date word from `data/dates/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lex {
    /// `strict`: 0 free, 1 needs a day or a year next to it, 2 needs a year.
    Month {
        m: u8,
        hijri: bool,
        strict: u8,
    },
    Weekday(u8),
    RelDay(i32),
    AnchorDay(i32),
    Unit(Unit, u8),
    Mod(Rel),
    This,
    Part(u8, u8),
    Ago,
    After,
    Since,
    Within,
    SinceThen,
    Until,
    Hijri,
    Greg,
    NotDate,
}

/// Finds date expressions; build once, use for many texts.
#[derive(Debug, Clone)]
pub struct DateFinder {
    lex: PhraseTable<Lex>,
    /// Approximators before a duration (`نحو`, `أقل من`), from `data/numbers/approx.tsv`.
    approx: PhraseTable<(ApproxPos, Qualifier)>,
    nums: NumberWords,
    /// Words that may start a date expression (a quick test before the grammar).
    starters: Starters,
}

impl Default for DateFinder {
    fn default() -> Self {
        Self::new()
    }
}

/// Reusable buffers for [`DateFinder::find_with`].
#[derive(Debug, Default)]
pub struct DateScratch {
    toks: Vec<Token>,
    stems: Vec<(usize, usize)>,
}

/// Cursor state while parsing: the text, its tokens and a scratch vector.
struct Cx<'a> {
    norm: &'a str,
    toks: &'a [Token],
}

impl<'a> Cx<'a> {
    fn word(&self, i: usize) -> Option<&'a str> {
        self.toks.get(i).filter(|t| t.kind == TokKind::Word).and_then(|t| self.norm.get(t.range()))
    }
    fn punct(&self, i: usize) -> Option<&'a str> {
        self.toks.get(i).filter(|t| t.kind == TokKind::Punct).and_then(|t| self.norm.get(t.range()))
    }
    fn digits(&self, i: usize) -> Option<&'a str> {
        self.toks.get(i).filter(|t| t.kind == TokKind::Digits).and_then(|t| self.norm.get(t.range()))
    }
    fn end(&self, next: usize) -> usize {
        next.checked_sub(1).and_then(|k| self.toks.get(k)).map_or(0, |t| t.end)
    }
}

fn parse_rel(s: &str) -> Option<Rel> {
    Some(match s {
        "past" => Rel::Past,
        "next" => Rel::Next,
        "this" => Rel::This,
        "prior" => Rel::Prior,
        _ => return None,
    })
}

fn parse_unit(s: &str) -> Option<Unit> {
    Some(match s {
        "hour" => Unit::Hour,
        "day" => Unit::Day,
        "week" => Unit::Week,
        "month" => Unit::Month,
        "year" => Unit::Year,
        _ => return None,
    })
}

impl DateFinder {
    /// Builds the finder from the embedded data (checked by this module's tests, so it does not fail).
    pub fn new() -> Self {
        Self::try_new().expect("embedded date tables are valid")
    }

    /// Builds the finder, reporting a bad line in the embedded data.
    pub fn try_new() -> Result<Self, DataError> {
        let mut lex = PhraseTable::new(Strip::Clitics);
        for (line, f) in parse_table("months.tsv", MONTHS, 4)? {
            let m: u8 = f[2]
                .parse()
                .ok()
                .filter(|m| (1..=12).contains(m))
                .ok_or_else(|| DataError::value("months.tsv", line, f[2]))?;
            let hijri = match f[1] {
                "gregorian" => false,
                "hijri" => true,
                other => return Err(DataError::value("months.tsv", line, other)),
            };
            let strict = match f[3] {
                "year" => 2,
                "yes" => 1,
                "no" => 0,
                other => return Err(DataError::value("months.tsv", line, other)),
            };
            lex.insert(&rasid_text::normalize(f[0]), Lex::Month { m, hijri, strict });
        }
        for (line, f) in parse_table("weekdays.tsv", WEEKDAYS, 2)? {
            let d: u8 =
                f[1].parse().ok().filter(|d| *d < 7).ok_or_else(|| DataError::value("weekdays.tsv", line, f[1]))?;
            lex.insert(&rasid_text::normalize(f[0]), Lex::Weekday(d));
        }
        for (line, f) in parse_table("words.tsv", WORDS, 2)? {
            let bad = |v: &str| DataError::value("words.tsv", line, v);
            let arg = |k: usize| f.get(k).copied().ok_or_else(|| bad(f[1]));
            let int = |k: usize| -> Result<i32, DataError> { arg(k)?.parse().map_err(|_| bad(arg(k).unwrap_or(""))) };
            let v = match f[1] {
                "relday" => Lex::RelDay(int(2)?),
                "anchorday" => Lex::AnchorDay(int(2)?),
                "unit" => {
                    let u = parse_unit(arg(2)?).ok_or_else(|| bad(f[2]))?;
                    let k = u8::try_from(int(3)?).ok().filter(|k| *k <= 2).ok_or_else(|| bad(f[3]))?;
                    Lex::Unit(u, k)
                }
                "mod" => Lex::Mod(parse_rel(arg(2)?).ok_or_else(|| bad(f[2]))?),
                "this" => Lex::This,
                "part" => {
                    let a = u8::try_from(int(2)?).map_err(|_| bad(f[2]))?;
                    let b = u8::try_from(int(3)?).map_err(|_| bad(f[3]))?;
                    Lex::Part(a, b)
                }
                "ago" => Lex::Ago,
                "after" => Lex::After,
                "since" => Lex::Since,
                "within" => Lex::Within,
                "sincethen" => Lex::SinceThen,
                "hijri" => Lex::Hijri,
                "greg" => Lex::Greg,
                "notdate" => Lex::NotDate,
                "until" => Lex::Until,
                other => return Err(bad(other)),
            };
            lex.insert(&rasid_text::normalize(f[0]), v);
        }
        let nums = NumberWords::try_new()?;
        let mut starters = Starters::new(Strip::Clitics);
        for (w, _) in lex.first_words() {
            starters.insert(w);
        }
        for w in nums.forms() {
            starters.insert(w);
        }
        starters.insert("في");
        let approx = approx_table()?;
        Ok(DateFinder { lex, approx, nums, starters })
    }

    /// Finds the date expressions of `norm` (normalised text), appending them to `out` in text order.
    pub fn find(&self, norm: &str, out: &mut Vec<DateExpr>) {
        let mut s = DateScratch::default();
        self.find_with(&mut s, norm, out);
    }

    /// As [`DateFinder::find`], reusing buffers.
    pub fn find_with(&self, s: &mut DateScratch, norm: &str, out: &mut Vec<DateExpr>) {
        crate::numbers::tokenize(norm, &mut s.toks);
        let toks = std::mem::take(&mut s.toks);
        self.find_in_tokens(norm, &toks, &mut s.stems, out);
        s.toks = toks;
    }

    /// As [`DateFinder::find`], over the tokens of `norm` already made by [`crate::numbers::tokenize`] (the
    /// pipeline tokenises an article once for dates and counts); `stems` is a scratch buffer.
    pub fn find_in_tokens(&self, norm: &str, toks: &[Token], stems: &mut Vec<(usize, usize)>, out: &mut Vec<DateExpr>) {
        let cx = Cx { norm, toks };
        let mut i = 0;
        while i < toks.len() {
            if !self.starters.may_start(norm, &toks[i]) {
                i += 1;
                continue;
            }
            match self.parse_at(&cx, i, stems) {
                Some((Some(kind), start, next)) if next > i => {
                    out.push(DateExpr { norm: start..cx.end(next), kind });
                    i = next;
                }
                Some((None, _, next)) if next > i => i = next,
                _ => i += 1,
            }
        }
    }

    fn lex_at(&self, cx: &Cx, i: usize, sc: &mut Vec<(usize, usize)>) -> Option<(Lex, usize, usize)> {
        self.lex.match_at(cx.norm, cx.toks, i, sc).map(|m| (*m.value, m.next, m.start))
    }

    /// A month name at `i`, with an optional paired name (`فبراير/شباط`, `يناير (كانون الثاني)`).
    fn month_at(&self, cx: &Cx, i: usize, sc: &mut Vec<(usize, usize)>) -> Option<(u8, bool, u8, usize, usize)> {
        let (Lex::Month { m, hijri, strict }, mut next, start) = self.lex_at(cx, i, sc)? else {
            return None;
        };
        let open = cx.punct(next);
        if matches!(open, Some("/" | "(" | "-" | "،" | ",")) {
            if let Some((Lex::Month { m: m2, .. }, n2, _)) = self.lex_at(cx, next + 1, sc) {
                if m2 == m {
                    next = n2;
                    if open == Some("(") && cx.punct(next) == Some(")") {
                        next += 1;
                    }
                }
            }
        } else if let Some((Lex::Month { m: m2, hijri: false, .. }, n2, _)) = self.lex_at(cx, next, sc) {
            // Unpunctuated pair: `فبراير شباط`.
            if m2 == m && !hijri {
                next = n2;
            }
        }
        Some((m, hijri, strict, start, next))
    }

    /// Year after a month (`2024`, `1445 هـ`), and a direction word (`الماضي`): returns (year, hijri era, rel, next).
    fn tail(
        &self,
        cx: &Cx,
        mut next: usize,
        hijri: bool,
        sc: &mut Vec<(usize, usize)>,
    ) -> (Option<i32>, bool, Option<Rel>, usize) {
        let mut year = None;
        let mut era_hijri = hijri;
        let mut k = next;
        if cx.punct(k) == Some("،") || cx.punct(k) == Some(",") {
            k += 1;
        }
        // `15 يوليو/تموز عام 2016`.
        if matches!(self.lex_at(cx, k, sc), Some((Lex::Unit(Unit::Year, 1), _, _)))
            && cx.digits(k + 1).is_some_and(|d| d.len() == 4)
        {
            k += 1;
        }
        if let Some(y) = cx.digits(k).filter(|d| d.len() == 4).and_then(|d| d.parse::<i32>().ok()) {
            year = Some(y);
            next = k + 1;
            match self.lex_at(cx, next, sc) {
                Some((Lex::Hijri, n, _)) => {
                    era_hijri = true;
                    next = n;
                }
                Some((Lex::Greg, n, _)) => next = n,
                _ => {}
            }
            // `11 سبتمبر 2001 (أيلول)`: the paired name after the year.
            if cx.punct(next) == Some("(") {
                if let Some((Lex::Month { .. }, n, _)) = self.lex_at(cx, next + 1, sc) {
                    if cx.punct(n) == Some(")") {
                        next = n + 1;
                    }
                }
            }
        }
        // `من عام 1988`, `من العام الماضي`, `من العام الجاري`.
        if year.is_none() && cx.word(next) == Some("من") {
            if let Some((Some(k), _, n)) = self.parse_at(cx, next + 1, sc) {
                match k {
                    DateKind::Calendar { year: Some(y), month: None, hijri: h, .. } => {
                        return (Some(y), h || era_hijri, None, n);
                    }
                    DateKind::Period { n: 1, unit: Unit::Year, rel: r @ (Rel::Past | Rel::This | Rel::Next) } => {
                        return (
                            None,
                            era_hijri,
                            Some(match r {
                                Rel::Past => Rel::PastYear,
                                Rel::Next => Rel::NextYear,
                                _ => Rel::ThisYear,
                            }),
                            n,
                        );
                    }
                    _ => {}
                }
            }
        }
        let mut rel = None;
        if year.is_none() {
            if let Some((Lex::Mod(r @ (Rel::Past | Rel::Next | Rel::This)), n, _)) = self.lex_at(cx, next, sc) {
                rel = Some(r);
                next = n;
            }
        }
        (year, era_hijri, rel, next)
    }

    /// A duration at `i`: `يومين`, `أربع سنوات`, `48 ساعة`, `الـ48 ساعة`, `الأيام الثلاثة`, with an optional
    /// approximator before it (`نحو أسبوع`, `أقل من 48 ساعة`). Returns (n, unit, next, qualifier).
    fn duration_at(
        &self,
        cx: &Cx,
        i: usize,
        sc: &mut Vec<(usize, usize)>,
    ) -> Option<(u32, Unit, usize, Option<Qualifier>)> {
        let (q, i) = match self.approx.match_at(cx.norm, cx.toks, i, sc) {
            Some(m) if m.value.0 == ApproxPos::Before => (Some(m.value.1), m.next),
            _ => (None, i),
        };
        let (n, u, next) = self.bare_duration_at(cx, i, sc)?;
        Some((n, u, next, q))
    }

    fn bare_duration_at(&self, cx: &Cx, i: usize, sc: &mut Vec<(usize, usize)>) -> Option<(u32, Unit, usize)> {
        let mut i = i;
        // `الـ` before digits.
        if matches!(cx.word(i), Some("ال" | "ل" | "بال"))
            && cx.toks.get(i + 1).is_some_and(|t| t.kind == TokKind::Digits && t.glued)
        {
            i += 1;
        }
        if let Some((Lex::Unit(u, k), next, _)) = self.lex_at(cx, i, sc) {
            if k > 0 {
                return Some((u32::from(k), u, next));
            }
            // `الأيام الثلاثة`: a plural unit, then the number. Not `أعوام 2010 و2011`: a unit followed by a
            // year-sized number names those years, not a duration of two thousand years.
            let n = self.nums.number_at(cx.norm, cx.toks, next, sc)?;
            return Some((u32::try_from(n.value).ok().filter(|v| *v < 1000)?, u, n.next));
        }
        let n = self.nums.number_at(cx.norm, cx.toks, i, sc)?;
        if n.approx {
            return None;
        }
        let (Lex::Unit(u, _), next, _) = self.lex_at(cx, n.next, sc)? else {
            return None;
        };
        Some((u32::try_from(n.value).ok().filter(|v| *v > 0 && *v < 10_000)?, u, next))
    }

    /// Parses one expression at token `i`: `Some((Some(kind), start, next))` for a date, `Some((None, _, next))`
    /// for a phrase to skip (`notdate`), `None` for nothing here.
    fn parse_at(&self, cx: &Cx, i: usize, sc: &mut Vec<(usize, usize)>) -> Option<(Option<DateKind>, usize, usize)> {
        let t = *cx.toks.get(i)?;
        match t.kind {
            TokKind::Digits => self.digits_at(cx, i, sc).map(|(k, s, n)| (Some(k), s, n)),
            TokKind::Punct => None,
            TokKind::Word => self.word_at(cx, i, sc),
        }
    }

    fn digits_at(&self, cx: &Cx, i: usize, sc: &mut Vec<(usize, usize)>) -> Option<(DateKind, usize, usize)> {
        let t = cx.toks.get(i)?;
        let d1 = cx.digits(i)?;
        // Numeric dates: 2024/1/29, 29-1-2024, 29.1.2024, 26/9/1439هـ (Hijri), `3 / 2 / 1440 هـ`.
        if let (Some(s1), Some(d2), Some(s2), Some(d3)) =
            (cx.punct(i + 1), cx.digits(i + 2), cx.punct(i + 3), cx.digits(i + 4))
        {
            let glued = (i + 1..=i + 4).all(|k| cx.toks.get(k).is_some_and(|t| t.glued));
            let has_year = d1.len() == 4 || d3.len() == 4;
            if (glued || (has_year && s1 == "/")) && s1 == s2 && matches!(s1, "/" | "-" | ".") && d2.len() <= 2 {
                let (y, m, d) = if d1.len() == 4 && d3.len() <= 2 {
                    (d1, d2, d3)
                } else if d3.len() == 4 && d1.len() <= 2 {
                    (d3, d2, d1)
                } else {
                    return None;
                };
                let (y, m, d): (i32, u8, u8) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
                let mut next = i + 5;
                let mut hijri = false;
                if let Some((Lex::Hijri, n, _)) = self.lex_at(cx, next, sc) {
                    hijri = true;
                    next = n;
                }
                hijri |= (1300..=1500).contains(&y);
                if hijri {
                    if !(1..=12).contains(&m) || !(1..=30).contains(&d) {
                        return None;
                    }
                } else {
                    if !(1900..=2100).contains(&y) {
                        return None;
                    }
                    Ymd::new(y, m, d)?;
                }
                return Some((
                    DateKind::Calendar { year: Some(y), month: Some(m), day: Some(d), hijri, rel: None },
                    t.start,
                    next,
                ));
            }
        }
        // `29 يناير …`
        if d1.len() <= 2 {
            let day: u8 = d1.parse().ok().filter(|d| (1..=31).contains(d))?;
            let (m, hijri, strict, _, next) = self.month_at(cx, i + 1, sc)?;
            let (year, era_hijri, rel, next) = self.tail(cx, next, hijri, sc);
            if strict == 2 && year.is_none() {
                return None;
            }
            if !hijri && !era_hijri && day > days_in_month(year.unwrap_or(2024), m) {
                return None;
            }
            let kind = DateKind::Calendar { year, month: Some(m), day: Some(day), hijri: hijri || era_hijri, rel };
            return Some((kind, t.start, next));
        }
        None
    }

    fn word_at(&self, cx: &Cx, i: usize, sc: &mut Vec<(usize, usize)>) -> Option<(Option<DateKind>, usize, usize)> {
        let w = cx.word(i)?;
        // `في 2014`: a bare year after the preposition.
        if matches!(w, "في" | "وفي" | "ففي") {
            if let Some(y) = cx.digits(i + 1).filter(|d| d.len() == 4).and_then(|d| d.parse::<i32>().ok()) {
                let follows_unit = matches!(self.lex_at(cx, i + 2, sc), Some((Lex::Unit(..) | Lex::Month { .. }, ..)));
                // `في 2016/5`, `في 2016.5`, `في 2016%`: not a year; a full stop ending the sentence is fine.
                let follows_punct = cx.punct(i + 2) == Some("%")
                    || (matches!(cx.punct(i + 2), Some("/" | "-" | "." | ","))
                        && cx.toks.get(i + 3).is_some_and(|t| t.glued && t.kind == TokKind::Digits));
                if (1900..=2100).contains(&y) && !follows_unit && !follows_punct {
                    let t = cx.toks.get(i + 1)?;
                    let mut next = i + 2;
                    let mut hijri = false;
                    if let Some((Lex::Hijri, n, _)) = self.lex_at(cx, next, sc) {
                        hijri = true;
                        next = n;
                    }
                    return Some((
                        Some(DateKind::Calendar { year: Some(y), month: None, day: None, hijri, rel: None }),
                        t.start,
                        next,
                    ));
                }
            }
            return None;
        }
        // Ordinal day: `الرابع من فبراير`, `الحادي والعشرين من مارس`.
        if let Some((day, next, start)) = self.nums.ordinal_at(cx.norm, cx.toks, i, sc) {
            if cx.word(next) == Some("من") {
                if let Some((m, hijri, strict, _, n2)) = self.month_at(cx, next + 1, sc) {
                    let (year, era_hijri, rel, n3) = self.tail(cx, n2, hijri, sc);
                    if (u32::from(days_in_month(2024, m)) >= day || hijri) && (strict < 2 || year.is_some()) {
                        let kind = DateKind::Calendar {
                            year,
                            month: Some(m),
                            day: u8::try_from(day).ok(),
                            hijri: hijri || era_hijri,
                            rel,
                        };
                        return Some((Some(kind), start, n3));
                    }
                }
            }
            return None;
        }
        let (lex, next, start) = self.lex_at(cx, i, sc)?;
        let kind = match lex {
            Lex::NotDate => return Some((None, start, next)),
            // `حتى عام 2040`, `بحلول العام 2020`: an end point or a deadline, which dates no event.
            Lex::Until => {
                let (_, _, nx) = self.parse_at(cx, next, sc)?;
                return Some((None, start, nx));
            }
            Lex::Month { .. } => {
                let (m, hijri, strict, _, n) = self.month_at(cx, i, sc)?;
                let (year, era_hijri, rel, n) = self.tail(cx, n, hijri, sc);
                if strict > 0 && year.is_none() {
                    return None;
                }
                return Some((
                    Some(DateKind::Calendar { year, month: Some(m), day: None, hijri: hijri || era_hijri, rel }),
                    start,
                    n,
                ));
            }
            Lex::Weekday(wd) => {
                // `الأحد 4 فبراير`, `الأحد الموافق 4 فبراير`, `الأحد في الثامن عشر من فبراير`: the explicit date
                // wins.
                let k = if matches!(cx.word(next), Some("الموافق" | "في")) { next + 1 } else { next };
                if cx.digits(k).is_some() {
                    if let Some((kind, _, n)) = self.digits_at(cx, k, sc) {
                        return Some((Some(kind), start, n));
                    }
                } else if cx.word(k).is_some() && k > next {
                    if let Some((Some(kind @ DateKind::Calendar { day: Some(_), .. }), _, n)) = self.parse_at(cx, k, sc)
                    {
                        return Some((Some(kind), start, n));
                    }
                }
                if let Some((Lex::Mod(r @ (Rel::Past | Rel::Next | Rel::This)), n, _)) = self.lex_at(cx, next, sc) {
                    return Some((Some(DateKind::Weekday { weekday: wd, rel: Some(r) }), start, n));
                }
                return Some((Some(DateKind::Weekday { weekday: wd, rel: None }), start, next));
            }
            Lex::RelDay(n) => {
                // `اليوم الأحد`, `أمس الخميس`: the weekday restates the day; an explicit date after it wins
                // (`أمس الخميس 11 أكتوبر`).
                let mut nx = next;
                // `بالأمس (الأحد)`.
                if cx.punct(next) == Some("(") {
                    if let Some((Lex::Weekday(_), n2, _)) = self.lex_at(cx, next + 1, sc) {
                        if cx.punct(n2) == Some(")") {
                            return Some((Some(DateKind::RelativeDay(n)), start, n2 + 1));
                        }
                    }
                }
                if let Some((Lex::Weekday(_), n2, _)) = self.lex_at(cx, next, sc) {
                    nx = n2;
                    if cx.digits(nx).is_some() {
                        if let Some((kind, _, n3)) = self.digits_at(cx, nx, sc) {
                            return Some((Some(kind), start, n3));
                        }
                    }
                }
                return Some((Some(DateKind::RelativeDay(n)), start, nx));
            }
            Lex::AnchorDay(n) => DateKind::AnchorDay(n),
            Lex::SinceThen => DateKind::SinceThen,
            Lex::Unit(u, k) => {
                // `عام 2014`, `العام 2014`; `أعوام 2010 و2011`: the first year of the list.
                if u == Unit::Year && k <= 1 {
                    if let Some(y) = cx.digits(next).filter(|d| d.len() == 4).and_then(|d| d.parse::<i32>().ok()) {
                        let mut n = next + 1;
                        let mut hijri = false;
                        match self.lex_at(cx, n, sc) {
                            Some((Lex::Hijri, n2, _)) => {
                                hijri = true;
                                n = n2;
                            }
                            Some((Lex::Greg, n2, _)) => n = n2,
                            _ => {}
                        }
                        return Some((
                            Some(DateKind::Calendar { year: Some(y), month: None, day: None, hijri, rel: None }),
                            start,
                            n,
                        ));
                    }
                }
                // `الأسبوعين الماضيين`, `الأيام الثلاثة الماضية`, `الأسبوعين السابقين لـ`.
                let (n, u, nx) = self.bare_duration_at(cx, i, sc)?;
                let (Lex::Mod(rel), n2, _) = self.lex_at(cx, nx, sc)? else {
                    return None;
                };
                return Some((Some(DateKind::Period { n, unit: u, rel }), start, n2));
            }
            Lex::This => {
                let (Lex::Unit(u, 1), n2, _) = self.lex_at(cx, next, sc)? else {
                    return None;
                };
                return Some((Some(DateKind::Period { n: 1, unit: u, rel: Rel::This }), start, n2));
            }
            Lex::Part(first, last) => {
                // `أواخر العام الماضي`, `نهاية عام 2017`: a year (no finer claim).
                if let Some((
                    Some(
                        k @ (DateKind::Calendar { month: None, .. } | DateKind::Period { unit: Unit::Year, n: 1, .. }),
                    ),
                    _,
                    n,
                )) = self.parse_at(cx, next, sc)
                {
                    if !matches!(k, DateKind::Period { rel: Rel::Prior, .. }) {
                        return Some((Some(k), start, n));
                    }
                }
                let k = if cx.word(next) == Some("شهر") { next + 1 } else { next };
                let (m, hijri, strict, _, n) = self.month_at(cx, k, sc)?;
                let (year, era_hijri, rel, n) = self.tail(cx, n, hijri, sc);
                if strict > 0 && year.is_none() {
                    return None;
                }
                return Some((
                    Some(DateKind::MonthPart { year, month: m, hijri: hijri || era_hijri, first, last, rel }),
                    start,
                    n,
                ));
            }
            Lex::Ago | Lex::After => {
                let (n, unit, nx, q) = self.duration_at(cx, next, sc)?;
                // `قبل أسبوع من الانتخابات`: before another event, unless `من الآن` (from now).
                if cx.word(nx) == Some("من") && cx.word(nx + 1) != Some("الان") {
                    let n = i32::try_from(n).ok()?;
                    let n = if lex == Lex::After { -n } else { n };
                    return Some((Some(DateKind::AgoFrom { n, unit, q }), start, nx + 1));
                }
                if lex == Lex::After {
                    return None;
                }
                return Some((Some(DateKind::Ago { n, unit, q }), start, nx));
            }
            Lex::Since => {
                // `منذ يوم أمس`, `منذ يوم 4 فبراير`: `يوم` only introduces the day.
                let next = if cx.word(next) == Some("يوم")
                    && self.parse_at(cx, next + 1, sc).is_some_and(|p| p.0.is_some())
                {
                    next + 1
                } else {
                    next
                };
                if let Some((Some(inner), _, nx)) = self.parse_at(cx, next, sc) {
                    if !matches!(inner, DateKind::Since(_) | DateKind::SinceDuration { .. } | DateKind::Within { .. }) {
                        return Some((Some(DateKind::Since(Box::new(inner))), start, nx));
                    }
                }
                let (n, unit, nx, q) = self.duration_at(cx, next, sc)?;
                return Some((Some(DateKind::SinceDuration { n, unit, q }), start, nx));
            }
            Lex::Within => {
                if let Some((Some(inner @ DateKind::Period { .. }), s2, nx)) = self.parse_at(cx, next, sc) {
                    return Some((Some(inner), s2, nx));
                }
                let (n, unit, nx, _) = self.duration_at(cx, next, sc)?;
                if let Some((Lex::Mod(rel), n2, _)) = self.lex_at(cx, nx, sc) {
                    return Some((Some(DateKind::Period { n, unit, rel }), start, n2));
                }
                return Some((Some(DateKind::Within { n, unit }), start, nx));
            }
            Lex::Mod(_) | Lex::Hijri | Lex::Greg => return None,
        };
        Some((Some(kind), start, next))
    }
}

/// Resolves a date expression against the publication date and, for anchor-relative expressions (`في اليوم
/// التالي`, `خلال 48 ساعة`, `السابقين لـ X`), the previous event's date. `None` when it cannot be resolved
/// honestly (no anchor, an impossible date).
pub fn resolve(expr: &DateExpr, published: Ymd, anchor: Option<Ymd>) -> Option<ResolvedDate> {
    let r = resolve_kind(&expr.kind, published, anchor)?;
    // `بعد 28 عاما من الغياب` ("after 28 years of absence") names a duration, not an interval after the anchor:
    // counted forward from the anchor it lands after publication, where no reported event can be.
    let forward = matches!(expr.kind, DateKind::AgoFrom { n, .. } if n < 0);
    if forward && r.start.is_some_and(|s| s > published) {
        return None;
    }
    // `خلال ألفي عام`, `منذ عام 1948`: a span longer than a lifetime is history or a standing state, never when a
    // reported event happened; a range that wide would only spread the event over the centuries.
    if let (Some(s), Some(e)) = (r.start, r.end) {
        if e.y - s.y > MAX_RANGE_YEARS {
            return None;
        }
    }
    Some(r)
}

/// The widest range, in years, that still dates an event (see [`resolve`]).
const MAX_RANGE_YEARS: i32 = 50;

fn units_back(from: Ymd, n: u32, unit: Unit) -> Ymd {
    let n = i64::from(n);
    match unit {
        Unit::Hour => from.add_days(-(n + 23) / 24),
        Unit::Day => from.add_days(-n),
        Unit::Week => from.add_days(-7 * n),
        Unit::Month => from.add_months(-(n as i32)),
        Unit::Year => from.add_months(-12 * (n as i32)),
    }
}

fn units_forward(from: Ymd, n: u32, unit: Unit) -> Ymd {
    let n = i64::from(n);
    match unit {
        Unit::Hour => from.add_days((n + 23) / 24),
        Unit::Day => from.add_days(n),
        Unit::Week => from.add_days(7 * n),
        Unit::Month => from.add_months(n as i32),
        Unit::Year => from.add_months(12 * (n as i32)),
    }
}

/// The Hijri year of a Hijri month named with a year: `رمضان 1439` is that Hijri year, but `رمضان 2018` names
/// Ramadan of the Gregorian year 2018 (a year far past the current Hijri year cannot be Hijri), so it is the
/// Hijri year whose month `m` begins in that Gregorian year.
fn hijri_named_year(y: i32, m: u8, published: Ymd) -> i32 {
    if y <= hijri_year_of(published) + 100 {
        return y;
    }
    let first = hijri_year_of(Ymd::new(y, 1, 1).unwrap_or(published));
    [first, first + 1].into_iter().find(|&h| hijri_to_gregorian(h, m, 1).is_some_and(|g| g.y == y)).unwrap_or(first)
}

/// The Gregorian day of a (possibly year-less) calendar day, by the publication-year rule.
fn place_day(year: Option<i32>, m: u8, d: u8, hijri: bool, rel: Option<Rel>, published: Ymd) -> Option<Ymd> {
    let year = if hijri { year.map(|y| hijri_named_year(y, m, published)) } else { year };
    let make = |y: i32| {
        if hijri {
            hijri_to_gregorian(y, m, d)
        } else {
            Ymd::new(y, m, d)
        }
    };
    if let Some(y) = year.or_else(|| year_of_rel(rel, published)) {
        return make(y);
    }
    let py = if hijri { hijri_year_of(published) } else { published.y };
    if rel == Some(Rel::Next) {
        return [py, py + 1].into_iter().filter_map(make).find(|g| *g >= published);
    }
    [py, py - 1, py - 2].into_iter().filter_map(make).find(|g| *g <= published)
}

/// The year named by `من العام الماضي` and its kin (Gregorian only).
fn year_of_rel(rel: Option<Rel>, published: Ymd) -> Option<i32> {
    match rel? {
        Rel::PastYear => Some(published.y - 1),
        Rel::ThisYear => Some(published.y),
        Rel::NextYear => Some(published.y + 1),
        _ => None,
    }
}

/// First and last Gregorian day of a (possibly year-less) month.
fn place_month(year: Option<i32>, m: u8, hijri: bool, rel: Option<Rel>, published: Ymd) -> Option<(Ymd, Ymd)> {
    let year = if hijri { year.map(|y| hijri_named_year(y, m, published)) } else { year };
    let bounds = |y: i32| -> Option<(Ymd, Ymd)> {
        if hijri {
            let s = hijri_to_gregorian(y, m, 1)?;
            let e = if m == 12 { hijri_to_gregorian(y + 1, 1, 1)? } else { hijri_to_gregorian(y, m + 1, 1)? };
            Some((s, e.add_days(-1)))
        } else {
            let s = Ymd::new(y, m, 1)?;
            Some((s, s.month_end()))
        }
    };
    if let Some(y) = year.or_else(|| year_of_rel(rel, published)) {
        return bounds(y);
    }
    let py = if hijri { hijri_year_of(published) } else { published.y };
    match rel {
        Some(Rel::Next) => [py, py + 1].into_iter().filter_map(bounds).find(|(s, _)| *s > published),
        // `يناير الماضي`: a month strictly before the publication month.
        Some(Rel::Past) => [py, py - 1].into_iter().filter_map(bounds).find(|(_, e)| *e < published.month_start()),
        _ => [py, py - 1].into_iter().filter_map(bounds).find(|(s, _)| *s <= published),
    }
}

fn resolve_kind(kind: &DateKind, published: Ymd, anchor: Option<Ymd>) -> Option<ResolvedDate> {
    Some(match *kind {
        DateKind::Calendar { year, month, day, hijri, rel } => match (month, day) {
            (Some(m), Some(d)) => ResolvedDate::day(place_day(year, m, d, hijri, rel, published)?),
            (Some(m), None) => {
                let (s, e) = place_month(year, m, hijri, rel, published)?;
                if hijri {
                    ResolvedDate::range(s, e)
                } else {
                    ResolvedDate::month(s.y, s.m)?
                }
            }
            (None, _) => {
                let y = year?;
                if hijri {
                    let s = hijri_to_gregorian(y, 1, 1)?;
                    let e = hijri_to_gregorian(y + 1, 1, 1)?.add_days(-1);
                    ResolvedDate::range(s, e)
                } else {
                    ResolvedDate::year(y)?
                }
            }
        },
        DateKind::MonthPart { year, month, hijri, first, last, rel } => {
            let (s, e) = place_month(year, month, hijri, rel, published)?;
            let a = s.add_days(i64::from(first.max(1)) - 1);
            let b = if last == 0 { e } else { s.add_days(i64::from(last) - 1).min(e) };
            ResolvedDate::range(a, b)
        }
        DateKind::RelativeDay(n) => ResolvedDate::day(published.add_days(i64::from(n))),
        DateKind::AnchorDay(n) => ResolvedDate::day(anchor?.add_days(i64::from(n))),
        DateKind::Weekday { weekday, rel } => {
            let pw = i64::from(published.weekday());
            let w = i64::from(weekday);
            match rel {
                Some(Rel::Next) => {
                    let ahead = (w - pw).rem_euclid(7);
                    ResolvedDate::day(published.add_days(if ahead == 0 { 7 } else { ahead }))
                }
                Some(Rel::Past) => {
                    let back = (pw - w).rem_euclid(7);
                    ResolvedDate::day(published.add_days(-if back == 0 { 7 } else { back }))
                }
                _ => ResolvedDate::day(published.add_days(-(pw - w).rem_euclid(7))),
            }
        }
        DateKind::AgoFrom { n, unit, q } => {
            let a = anchor?;
            let d =
                if n >= 0 { units_back(a, n.unsigned_abs(), unit) } else { units_forward(a, n.unsigned_abs(), unit) };
            let mut r = match unit {
                Unit::Year => ResolvedDate::year(d.y)?,
                Unit::Month => ResolvedDate::month(d.y, d.m)?,
                Unit::Week => ResolvedDate::range(d.add_days(-3), d.add_days(3)),
                Unit::Day | Unit::Hour => ResolvedDate::day(d),
            };
            r.approx = q.is_some();
            r
        }
        DateKind::Ago { n, unit, q } => {
            let mut r = match unit {
                Unit::Hour | Unit::Day => ResolvedDate::day(units_back(published, n, unit)),
                Unit::Week => {
                    let c = units_back(published, n, unit);
                    ResolvedDate::range(c.add_days(-3), c.add_days(3).min(published))
                }
                Unit::Month => {
                    let c = units_back(published, n, unit);
                    ResolvedDate::month(c.y, c.m)?
                }
                Unit::Year => ResolvedDate::year(published.y - i32::try_from(n).ok()?)?,
            };
            r.approx = q.is_some();
            r
        }
        DateKind::Period { n, unit, rel } => match (rel, unit, n) {
            (Rel::Past, Unit::Month, 1) => {
                let c = published.add_months(-1);
                ResolvedDate::month(c.y, c.m)?
            }
            (Rel::Past, Unit::Year, 1) => ResolvedDate::year(published.y - 1)?,
            (Rel::Next, Unit::Month, 1) => {
                let c = published.month_start().add_months(1);
                ResolvedDate::month(c.y, c.m)?
            }
            (Rel::Next, Unit::Year, 1) => ResolvedDate::year(published.y + 1)?,
            (Rel::This, Unit::Year, _) => ResolvedDate::year(published.y)?,
            (Rel::This, Unit::Month, _) => ResolvedDate::month(published.y, published.m)?,
            (Rel::This, Unit::Day | Unit::Hour, _) => ResolvedDate::day(published),
            (Rel::This, Unit::Week, _) => {
                let s = published.add_days(-i64::from(published.weekday()));
                ResolvedDate::range(s, s.add_days(6))
            }
            (Rel::Past, Unit::Month, _) => {
                let s = published.month_start().add_months(-(n as i32));
                ResolvedDate::range(s, published.month_start().add_days(-1))
            }
            (Rel::Past, Unit::Year, _) => {
                ResolvedDate::range(Ymd::new(published.y - n as i32, 1, 1)?, Ymd::new(published.y - 1, 12, 31)?)
            }
            (Rel::Past, _, _) => ResolvedDate::range(units_back(published, n, unit), published),
            (Rel::Next, _, _) => ResolvedDate::range(published, units_forward(published, n, unit)),
            (Rel::PastYear | Rel::ThisYear | Rel::NextYear, _, _) => return None,
            (Rel::Prior, _, _) => {
                let a = anchor?;
                ResolvedDate::range(units_back(a, n, unit), a)
            }
        },
        DateKind::Within { n, unit } => {
            let r = anchor.unwrap_or(published);
            ResolvedDate::range(units_back(r, n, unit), r)
        }
        DateKind::Since(ref inner) => {
            let from = resolve_kind(inner, published, anchor)?;
            ResolvedDate::range(from.start?, published)
        }
        DateKind::SinceThen => ResolvedDate::range(anchor?, published),
        DateKind::SinceDuration { n, unit, q } => {
            let mut r = ResolvedDate::range(units_back(published, n, unit), published);
            r.approx = q.is_some();
            r
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str, published: &str, anchor: Option<&str>) -> Option<(String, &'static str)> {
        let f = DateFinder::new();
        let n = rasid_text::normalize(text);
        let mut out = Vec::new();
        f.find(&n, &mut out);
        let e = out.first()?;
        let r = e.resolve(Ymd::parse(published)?, anchor.and_then(Ymd::parse))?;
        Some((r.value, r.precision.as_str()))
    }

    #[test]
    fn seed_dates() {
        let p = "2024-02-18";
        assert_eq!(one("في مطار بغداد يوم 29 يناير،", p, None), Some(("2024-01-29".into(), "day")));
        assert_eq!(one("وفي اليوم التالي، أعلنت", p, Some("2024-01-29")), Some(("2024-01-30".into(), "day")));
        assert_eq!(one("وفي اليوم التالي، أعلنت", p, None), None);
        assert_eq!(one("قبل أربع سنوات", p, None), Some(("2020".into(), "year")));
        assert_eq!(one("ومنذ الرابع من فبراير/شباط لم تقع", p, None), Some(("2024-02".into(), "range")));
        assert_eq!(one("في الأسبوعين السابقين لزيارة", p, Some("2024-01-29")), Some(("2024-01".into(), "range")));
    }

    fn approx_of(text: &str, published: &str) -> Option<(String, bool)> {
        let f = DateFinder::new();
        let n = rasid_text::normalize(text);
        let mut out = Vec::new();
        f.find(&n, &mut out);
        let r = out.first()?.resolve(Ymd::parse(published)?, None)?;
        Some((r.value, r.approx))
    }

    #[test]
    fn about_dates_are_marked_approximate() {
        let p = "2018-03-20";
        assert_eq!(approx_of("قبل نحو أسبوع", p), Some(("2018-03".into(), true)));
        assert_eq!(approx_of("منذ حوالي شهر", p), Some(("2018".into(), true)));
        assert_eq!(approx_of("قبل أسبوع", p), Some(("2018-03".into(), false)));
        assert_eq!(approx_of("قبل حوالي ثلاثة أيام", p), Some(("2018-03-17".into(), true)));
    }

    #[test]
    fn referent_of_after_less_than_48_hours() {
        let f = DateFinder::new();
        let n = rasid_text::normalize("يوم 29 يناير، بعد أقل من 48 ساعة من إلقاء واشنطن اللوم");
        let mut out = Vec::new();
        f.find(&n, &mut out);
        assert_eq!(out.len(), 2, "{out:?}");
        assert!(out[1].has_referent());
        let main = out[0].resolve(Ymd::parse("2024-02-18").unwrap(), None).unwrap();
        assert_eq!(main.value, "2024-01-29");
        let x = out[1].resolve_referent(main.start.unwrap()).unwrap();
        assert_eq!((x.start, x.end, x.approx), (Ymd::parse("2024-01-27"), Ymd::parse("2024-01-28"), true));
        // An exact duration gives the day; `قبل يومين من X` puts X after the main date.
        out.clear();
        f.find(&rasid_text::normalize("قبل يومين من مصرعه"), &mut out);
        let x = out[0].resolve_referent(Ymd::parse("2018-10-01").unwrap()).unwrap();
        assert_eq!((x.value.as_str(), x.approx), ("2018-10-03", false));
    }

    #[test]
    fn after_a_duration_never_lands_after_publication() {
        let p = "2018-05-02";
        assert_eq!(one("عاد بعد 28 عاما من الغياب", p, Some("2018-04-30")), None);
        assert_eq!(one("وبعد يومين من الهجوم، أعلنت", p, Some("2018-04-20")), Some(("2018-04-22".into(), "day")));
    }

    #[test]
    fn since_then_counts_from_the_anchor() {
        assert_eq!(
            one("ومنذ ذلك التاريخ قتل 33 فلسطينيا", "2018-04-13", Some("2018-03-30")),
            Some(("2018".into(), "range"))
        );
        assert_eq!(one("ومنذ ذلك الحين", "2018-04-13", None), None);
    }

    #[test]
    fn weekday_then_explicit_date() {
        let p = "2018-03-05";
        assert_eq!(one("اعتقل الأحد في الثامن عشر من فبراير الماضي", p, None), Some(("2018-02-18".into(), "day")));
        assert_eq!(one("الأحد في 18 فبراير", p, None), Some(("2018-02-18".into(), "day")));
        assert_eq!(one("الأحد في بغداد", p, None), Some(("2018-03-04".into(), "day")));
    }

    #[test]
    fn future_events_take_the_next_weekday() {
        let f = DateFinder::new();
        let mut out = Vec::new();
        f.find(&rasid_text::normalize("سيزور الكويت الأحد"), &mut out);
        // 2018-09-29 is a Saturday: the coming Sunday, not the last one.
        let p = Ymd::parse("2018-09-29").unwrap();
        assert_eq!(out[0].resolve(p, None).map(|r| r.value), Some("2018-09-23".into()));
        assert_eq!(out[0].resolve_future(p, None).map(|r| r.value), Some("2018-09-30".into()));
    }

    #[test]
    fn data_loads_and_never_panics() {
        let f = DateFinder::try_new().expect("tables");
        let mut out = Vec::new();
        for s in [
            "",
            "/",
            "29",
            "29 ",
            "في",
            "منذ",
            "منذ منذ منذ",
            "2024/",
            "2024/1/",
            "ال",
            "0 يناير",
            "99999999999999999999 يناير",
        ] {
            f.find(&rasid_text::normalize(s), &mut out);
        }
    }
}
