//! The when, where and how many of each event: picks, for an event's trigger, the date expression, place and
//! counts of its clause or sentence, and resolves the date against the publication date.
//!
//! Rules:
//! - **Date**: the date expression of the trigger's clause (no clause punctuation `، ؛ :` between them), else
//!   the nearest one in the sentence outside a comma-set relative clause (`الذي قتل … قبل أربع سنوات،`),
//!   resolved with the previous event's date as the anchor of relative expressions (`في اليوم التالي`). A
//!   trigger right after an expression that measures from it (`بعد أقل من 48 ساعة من إلقاء …`) is dated back
//!   from the sentence's own date. Then across the article ([`share_dates`]): an undated event takes the date of
//!   a dated event of the same type and the same specific source actor (the visit of one sentence is the
//!   meeting dated in the next), and `السابقين لـ X` is re-anchored on X's date. Else the dateline's date;
//!   else none.
//! - **Place** ([`PlaceRules`]): the nearest place mention of the trigger's clause, else of the sentence, not
//!   one that names a backer (`المدعومة من إيران`), not one past another event's trigger of another type, not
//!   one in another clause holding another event; a distance before it (`على بعد 20 كيلومترا شمال بغداد`) is
//!   kept as `distance_km`/`direction` with the named place's coordinates; else the dateline place when no
//!   participant's country contradicts it.
//! - **Counts**: every count of the sentence with a category (killed, wounded, arrested, participants, events);
//!   of several counts of one category the one nearest the trigger.

use crate::actors::Mention;
use crate::calendar::Ymd;
use crate::counts::{CountCategory, CountExpr};
use crate::dates::{DateExpr, Precision, ResolvedDate};
use crate::model::{Count, CountQualifier, Counts};
use crate::numbers::{parse_table, DataError, NumberWords, PhraseTable, Strip};
use rasid_lexicon::{Country, MatchKind};
use std::ops::Range;

/// A resolved event date with the expression it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventDay {
    pub resolved: ResolvedDate,
    /// Normalised range of the expression; `None` for the dateline fallback.
    pub norm: Option<Range<usize>>,
}

/// Relative pronouns that open a relative clause (`الذي قتل … قبل أربع سنوات،`): a date inside such a clause,
/// set off by commas, dates that clause only. A closed grammatical class, so it lives here (normalised forms).
const RELATIVES: &[&str] = &["الذي", "التي", "الذين", "اللذين", "اللتين", "اللذان", "اللتان", "اللواتي", "اللاتي"];

/// Complementizers after a reporting verb (`قال … إن`, `أعلن … أن`); normalised, a closed grammatical class.
const COMPLEMENTIZERS: &[&str] = &["ان", "انه", "انها", "انهم", "بان", "بانه", "بانها"];

/// Whether one of `words` stands as a whole word in `norm[range]`.
fn has_word(norm: &str, range: Range<usize>, words: &[&str]) -> bool {
    norm.get(range).is_some_and(|s| {
        s.split(|c: char| c.is_whitespace() || matches!(c, '،' | ',' | '"' | '«' | '»' | '“' | '”'))
            .any(|w| words.contains(&w.strip_prefix('و').unwrap_or(w)))
    })
}

/// How an event's date was found in its sentence.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DateChoice {
    pub day: Option<EventDay>,
    /// Index (into the article's dates) of the expression that dated the event.
    pub expr: Option<usize>,
    /// Index of the expression whose referent the event is (`زيارة` in `الأسبوعين السابقين لزيارة قاآني`,
    /// `إلقاء` in `بعد أقل من 48 ساعة من إلقاء واشنطن اللوم`): the event is the other end of the expression.
    pub referent_of: Option<usize>,
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
    choose_date(norm, sentence, trigger, "", &[], dates, published, anchor)
        .day
        .or_else(|| has_dateline.then(|| EventDay { resolved: ResolvedDate::day(published), norm: None }))
}

/// Words at most between a trigger and the date after it that makes its act a future one.
const FUTURE_DATE_GAP_WORDS: usize = 8;

/// `اجتماع الخميس المقبل`, `زيارة … غدا السبت`, `القمة ستكون في 16 يوليو`: the date chosen for a trigger, written
/// after it in its own clause within a few words, resolves wholly after the publication date, so the act has not
/// happened yet. Returns the range between trigger and date (the caller checks it holds no clause word, `فيما`).
/// For nouns and present verbs only (the caller's check): a past verb's act has happened, and a date after it
/// belongs to something else.
pub fn dated_after_publication(
    norm: &str,
    trigger: &Range<usize>,
    choice: &DateChoice,
    dates: &[DateExpr],
    published: Ymd,
) -> Option<Range<usize>> {
    if choice.referent_of.is_some() {
        return None;
    }
    let (day, e) = (choice.day.as_ref()?, dates.get(choice.expr?)?);
    let between = trigger.end..e.norm.start;
    (day.resolved.start.is_some_and(|start| start > published)
        && e.norm.start >= trigger.end
        && !clause_break_between(norm, trigger, &e.norm)
        && norm.get(between.clone()).is_some_and(|b| b.split_whitespace().count() <= FUTURE_DATE_GAP_WORDS))
    .then_some(between)
}

/// Picks the date expression of the trigger's clause, else the nearest of the sentence (`dates`: the article's
/// expressions sorted by start), and resolves it. A trigger standing after an expression that measures from
/// another event (`السابقين لـ X`, `بعد 48 ساعة من X`), in the same clause, is that X: it is dated from the
/// sentence's other date (`بعد … من`) or left for [`share_dates`] (`السابقين لـ`).
///
/// `kind` and `others` (the sentence's candidate triggers with their types) keep a date that stands past
/// another event's trigger of another type for that event (`ألقت … القبض على مشتبه به في هجوم … في مايو 2013`:
/// May 2013 is the attack's date, not the arrest's).
#[allow(clippy::too_many_arguments)]
pub fn choose_date(
    norm: &str,
    sentence: &Range<usize>,
    trigger: &Range<usize>,
    kind: &str,
    others: &[Trigger<'_>],
    dates: &[DateExpr],
    published: Ymd,
    anchor: Option<Ymd>,
) -> DateChoice {
    let lo = dates.partition_point(|d| d.norm.start < sentence.start);
    let in_sentence = || {
        (lo..dates.len())
            .take_while(|&i| dates[i].norm.start < sentence.end)
            .filter(|&i| dates[i].norm.end <= sentence.end)
    };
    let mut best: Option<(usize, (u8, usize))> = None;
    for i in in_sentence() {
        let d = &dates[i];
        let same_clause = !clause_break_between(norm, trigger, &d.norm);
        // A date inside a relative clause set off by a comma belongs to that clause.
        if !same_clause && in_relative_clause(norm, sentence, &d.norm) {
            continue;
        }
        if others.iter().any(|(t, k)| *k != kind && trigger.end <= t.start && t.end <= d.norm.start) {
            continue;
        }
        // `… السلطة منذ أحد عشر عاما` after `الذي`: a relative clause after the trigger dates its own verb.
        if trigger.end <= d.norm.start && has_word(norm, trigger.end..d.norm.start, RELATIVES) {
            continue;
        }
        // `أعلنت المنظمة، الخميس، أن السلطات أفرجت …`: a date before the complementizer dates the saying; it
        // counts only after the dates of the trigger's own side.
        let said = d.norm.end <= trigger.start && has_word(norm, d.norm.end..trigger.start, COMPLEMENTIZERS);
        let distance = gap(trigger, &d.norm);
        // Prefer the same clause, then the nearest.
        let key = (u8::from(!same_clause) + u8::from(said), distance);
        if best.as_ref().is_none_or(|(_, k)| key < *k) {
            best = Some((i, key));
        }
    }
    let Some((i, (across, _))) = best else { return DateChoice::default() };
    let d = &dates[i];
    let sane = |r: &ResolvedDate| r.start.is_none_or(|s| (1..=9999).contains(&s.y));
    if d.has_referent() && across == 0 && trigger.start >= d.norm.end {
        // The event is X: `بعد … من X` counts back from the sentence's own (absolute) date, if any.
        let main = in_sentence()
            .filter(|&k| k != i)
            .filter_map(|k| Some((gap(&dates[k].norm, &d.norm), dates[k].resolve(published, None)?)))
            .filter(|(_, r)| r.precision == Precision::Day)
            .min_by_key(|(g, _)| *g)
            .and_then(|(_, r)| r.start);
        let day = main
            .and_then(|m| d.resolve_referent(m))
            .filter(sane)
            .map(|resolved| EventDay { resolved, norm: Some(d.norm.clone()) });
        return DateChoice { expr: day.as_ref().map(|_| i), day, referent_of: Some(i) };
    }
    // `بدأت … في 30 مارس، ومنذ ذلك التاريخ قتل …`: counts from the sentence's date before it, else the anchor.
    let anchor = if d.is_since_then() {
        in_sentence()
            .filter(|&k| dates[k].norm.end <= d.norm.start)
            .last()
            .and_then(|k| dates[k].resolve(published, anchor))
            .and_then(|r| r.start)
            .or(anchor)
    } else {
        anchor
    };
    // Years outside 1–9999 (`قبل ثمانية آلاف عام`) are history, not an event date the format can carry.
    match d.resolve(published, anchor).filter(sane) {
        Some(resolved) => DateChoice {
            day: Some(EventDay { resolved, norm: Some(d.norm.clone()) }),
            expr: Some(i),
            referent_of: None,
        },
        None => DateChoice::default(),
    }
}

/// Whether the clause holding `r` (between clause punctuation) holds a relative pronoun before it.
fn in_relative_clause(norm: &str, sentence: &Range<usize>, r: &Range<usize>) -> bool {
    let Some(before) = norm.get(sentence.start..r.start) else { return false };
    let Some(cut) = before.rfind(['،', ',', '؛', ';']) else { return false };
    let clause = &before[cut..];
    clause.split_whitespace().any(|w| RELATIVES.contains(&w.trim_start_matches(['،', ','])))
}

/// One event's dating state, for [`share_dates`].
#[derive(Debug, Clone, PartialEq)]
pub struct Dating {
    /// PLOVER type.
    pub kind: String,
    /// Actor id of the event's source when it names one actor (`qaani`), not a generic code (`UAF`, `USA-MIL`).
    pub actor: Option<String>,
    /// Ids of the named actors (see [`is_specific_actor`]) among the event's source and target.
    pub participants: Vec<String>,
    /// Index of the event's sentence, and whether that sentence holds a date expression at all.
    pub sentence: usize,
    pub sentence_dated: bool,
    pub trigger: Range<usize>,
    pub choice: DateChoice,
}

/// How many sentences an episode runs on after an event dated as a day (see [`carry_episode_dates`]).
pub const EPISODE_SENTENCES: usize = 8;

/// Dates the events of one episode, approximately. An event still undated, in a sentence without any date
/// expression, that has a named actor (`qaani`) as source or target takes the day of the latest earlier event
/// that named actor took part in, when that event's own expression dated it as a day at most
/// [`EPISODE_SENTENCES`] sentences before (the factions' answer to the request Qaani made at the meeting dated
/// two sentences earlier). The date is marked approximate and has no text of its own. Then the undated events of
/// such a sentence share the date one of them took.
pub fn carry_episode_dates(items: &mut [Dating]) {
    for i in 0..items.len() {
        let it = &items[i];
        if it.choice.day.is_some() || it.sentence_dated || it.participants.is_empty() {
            continue;
        }
        let from = items[..i]
            .iter()
            .rev()
            .take_while(|o| o.sentence + EPISODE_SENTENCES >= it.sentence)
            .filter(|o| o.sentence < it.sentence && o.choice.referent_of.is_none())
            .filter(|o| o.participants.iter().any(|p| it.participants.contains(p)))
            .find_map(|o| {
                o.choice
                    .day
                    .as_ref()
                    .filter(|d| d.norm.is_some() && d.resolved.precision == Precision::Day && !d.resolved.approx)
            });
        if let Some(day) = from {
            let mut resolved = day.resolved.clone();
            resolved.approx = true;
            items[i].choice.day = Some(EventDay { resolved, norm: None });
        }
    }
    for i in 0..items.len() {
        if items[i].choice.day.is_some() || items[i].sentence_dated {
            continue;
        }
        let sibling = items
            .iter()
            .filter(|o| o.sentence == items[i].sentence)
            .find_map(|o| o.choice.day.as_ref().filter(|d| d.norm.is_none() && d.resolved.approx))
            .cloned();
        if sibling.is_some() {
            items[i].choice.day = sibling;
        }
    }
}

/// Whether an actor id names one real-world actor (`qaani`, `kataib-hezbollah`, `ner:…`) rather than a class
/// of actors (`UAF`, `USA-MIL`) or a country (`IRQ`) or place (`geo:…`).
pub fn is_specific_actor(id: &str) -> bool {
    id.bytes().any(|b| b.is_ascii_lowercase()) && !id.starts_with("geo:")
}

/// Dates events from the rest of the article:
/// - an undated event that refers to the same occurrence as a dated one (same PLOVER type, same specific source
///   actor: the visit of line 2 is the meeting dated in line 3) takes that event's date — the nearest such
///   event whose date was stated for it as a day;
/// - an expression measured from its referent (`الأسبوعين السابقين لزيارة قاآني`) is resolved again with the
///   referent's date as the anchor, for the events it dates.
///
/// Returns the pairs `(event, the event it took its date from)`.
pub fn share_dates(items: &mut [Dating], dates: &[DateExpr], published: Option<Ymd>) -> Vec<(usize, usize)> {
    let mut shared = Vec::new();
    let Some(published) = published else { return shared };
    for i in 0..items.len() {
        if items[i].choice.day.is_some() {
            continue;
        }
        let Some(actor) = items[i].actor.as_deref() else { continue };
        let t = &items[i].trigger;
        let from = items
            .iter()
            .enumerate()
            .filter(|&(j, o)| {
                j != i
                    && o.kind == items[i].kind
                    && o.actor.as_deref() == Some(actor)
                    && o.choice.referent_of.is_none()
                    && o.choice.day.as_ref().is_some_and(|d| d.norm.is_some() && d.resolved.precision == Precision::Day)
            })
            .min_by_key(|(_, o)| gap(t, &o.trigger))
            .map(|(j, o)| (j, o.choice.clone()));
        if let Some((j, c)) = from {
            items[i].choice.day = c.day;
            items[i].choice.expr = c.expr;
            shared.push((i, j));
        }
    }
    // Re-anchor `السابقين لـ X` on X's date.
    for i in 0..items.len() {
        let Some(e) = items[i].choice.expr.filter(|_| items[i].choice.referent_of.is_none()) else { continue };
        let Some(expr) = dates.get(e).filter(|d| d.has_referent()) else { continue };
        let referent = items
            .iter()
            .filter(|o| o.choice.referent_of == Some(e))
            .find_map(|o| o.choice.day.as_ref().filter(|d| d.resolved.precision == Precision::Day))
            .and_then(|d| d.resolved.start);
        if let Some(resolved) = referent.and_then(|a| expr.resolve(published, Some(a))) {
            items[i].choice.day = Some(EventDay { resolved, norm: Some(expr.norm.clone()) });
        }
    }
    shared
}

/// PLOVER types of statements and decisions: they happen where the speaker is, so the dateline (where the report
/// was filed) is not their place when the speaker belongs to another country. A closed set of the ontology.
pub fn is_verbal(kind: &str) -> bool {
    matches!(kind, "ACCUSE" | "AGREE" | "REJECT" | "REQUEST" | "THREATEN" | "SUPPORT" | "CONCEDE")
}

/// Whether the place mention is in the trigger's clause.
pub fn same_clause(norm: &str, trigger: &Range<usize>, place: &Range<usize>) -> bool {
    !clause_break_between(norm, trigger, place)
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

const BACKING: &str = include_str!("../../../data/places/backing.txt");
const DISTANCE: &str = include_str!("../../../data/numbers/distance.tsv");

#[derive(Debug, Clone, Copy, PartialEq)]
enum DistWord {
    Lead,
    /// Kilometres per unit.
    Unit(f64),
    Dir(&'static str),
}

/// A distance and direction from a named place (`على بعد 20 كيلومترا شمال بغداد`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Offset {
    pub km: Option<f64>,
    pub direction: Option<&'static str>,
    /// Normalised byte where the distance phrase starts.
    pub start: usize,
}

/// Where events happen: which place mention of a sentence is an event's place, and its distance qualifier.
/// Build once (`PlaceRules::try_new`).
#[derive(Debug, Clone)]
pub struct PlaceRules {
    /// `المدعومة من`, `الموالية` … (`data/places/backing.txt`), normalised.
    backing: Vec<String>,
    distance: PhraseTable<DistWord>,
    nums: NumberWords,
}

/// Other events of the same sentence: trigger range and PLOVER type.
pub type Trigger<'a> = (Range<usize>, &'a str);

impl PlaceRules {
    /// Builds the rules from the embedded data, reporting a bad line.
    pub fn try_new() -> Result<PlaceRules, DataError> {
        let backing = BACKING
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(rasid_text::normalize)
            .collect();
        let mut distance = PhraseTable::new(Strip::Article);
        for (line, f) in parse_table("distance.tsv", DISTANCE, 3)? {
            let bad = |v: &str| DataError::value("distance.tsv", line, v);
            let w = match f[1] {
                "lead" => DistWord::Lead,
                "unit" => DistWord::Unit(f[2].parse().map_err(|_| bad(f[2]))?),
                "dir" => DistWord::Dir(
                    ["N", "NE", "E", "SE", "S", "SW", "W", "NW"]
                        .into_iter()
                        .find(|d| *d == f[2])
                        .ok_or_else(|| bad(f[2]))?,
                ),
                other => return Err(bad(other)),
            };
            distance.insert(&rasid_text::normalize(f[0]), w);
        }
        Ok(PlaceRules { backing, distance, nums: NumberWords::try_new()? })
    }

    /// The place of an event of type `kind` at `trigger`: the nearest place mention of the trigger's clause, else
    /// of the sentence, skipping
    /// - countries and capitals not named as a location (`انسحاب الولايات المتحدة`, `أرسلت إيران قوات` name
    ///   actors; `في سوريا`, `شرقي سوريا` name places);
    /// - the place of an unrecognised dateline opening the sentence (`دبي، الإمارات العربية المتحدة (CNN)--`);
    /// - countries, for statements (`is_verbal`): `رحبت الولايات المتحدة بجهود التحالف في اليمن` names the
    ///   topic, not where the welcome was spoken;
    /// - places inside a cited news agency's name (`cited`);
    /// - a place read inside a longer word (`وباكرا` "and early" as Accra) in a country the article names nowhere
    ///   else (`countries`: the countries of the article's other mentions);
    /// - places that name an actor's backer (`المدعومة من إيران`);
    /// - places past another event's trigger of another type (`إلقاء اللوم … في مقتل جنود … في الأردن`: Jordan is
    ///   where the killing happened, not the blame);
    /// - places of another clause that holds a trigger of another type (they are that event's).
    #[allow(clippy::too_many_arguments)]
    pub fn event_place<'m>(
        &self,
        norm: &str,
        sentence: &Range<usize>,
        trigger: &Range<usize>,
        kind: &str,
        others: &[Trigger<'_>],
        mentions: &'m [Mention],
        cited: &[Range<usize>],
        countries: &[Country],
    ) -> Option<&'m Mention> {
        let breaks = ClauseBreaks::of(norm, sentence);
        mentions
            .iter()
            .filter(|m| sentence.start <= m.norm.start && m.norm.end <= sentence.end)
            .filter(|m| is_event_place(m))
            .filter(|m| !cited.iter().any(|a| a.start < m.norm.end && m.norm.start < a.end))
            .filter(|m| !is_dateline_place(norm, sentence, m))
            .filter(|m| !is_stray_place(norm, m, countries))
            .filter(|m| !(is_verbal(kind) && m.kind == MatchKind::Country))
            .filter(|m| !self.is_backer(norm, sentence, m))
            .filter(|m| {
                let across = breaks.between(trigger, &m.norm);
                !others.iter().any(|(t, k)| {
                    if t == trigger {
                        return false;
                    }
                    let between = (trigger.end <= t.start && t.end <= m.norm.start)
                        || (m.norm.end <= t.start && t.end <= trigger.start);
                    *k != kind && (between || (across && !breaks.between(t, &m.norm)))
                })
            })
            .min_by_key(|m| (breaks.between(trigger, &m.norm), gap(trigger, &m.norm)))
    }

    /// Whether the words right before the mention say it backs an actor (`المدعومة من إيران`, `الموالية لإيران`).
    fn is_backer(&self, norm: &str, sentence: &Range<usize>, m: &Mention) -> bool {
        let Some(mut before) = norm.get(sentence.start..m.norm.start) else { return false };
        // A preposition attached to the place (`لإيران`).
        if let Some(b) = before.strip_suffix(['ل', 'ب']) {
            before = b;
        }
        let before = before.trim_end();
        self.backing.iter().any(|p| {
            before.strip_suffix(p.as_str()).is_some_and(|head| {
                let head = head.strip_suffix(['و', 'ف']).unwrap_or(head);
                head.is_empty() || head.ends_with(char::is_whitespace)
            })
        })
    }

    /// The distance phrase right before a place mention: `[على بعد] <number> <unit> [إلى] <direction>` (km and
    /// direction), or `<number> <unit> من` (km only).
    pub fn offset(&self, norm: &str, sentence: &Range<usize>, m: &Mention) -> Option<Offset> {
        let mut from = m.norm.start.saturating_sub(90).max(sentence.start);
        while !norm.is_char_boundary(from) {
            from += 1;
        }
        let window = norm.get(from..m.norm.start)?;
        let mut toks = Vec::new();
        crate::numbers::tokenize(window, &mut toks);
        let mut sc = Vec::new();
        let n = toks.len();
        for k in 0..n {
            let mut i = k;
            let lead = self.distance.match_at(window, &toks, i, &mut sc).filter(|p| *p.value == DistWord::Lead);
            if let Some(p) = lead {
                i = p.next;
            }
            let Some(num) = self.nums.number_at(window, &toks, i, &mut sc) else { continue };
            let Some(unit) = self.distance.match_at(window, &toks, num.next, &mut sc) else { continue };
            let DistWord::Unit(per_km) = *unit.value else { continue };
            let km = (num.value as f64 * per_km * 1000.0).round() / 1000.0;
            let mut j = unit.next;
            if matches!(toks.get(j).and_then(|t| window.get(t.range())), Some("الي" | "باتجاه")) {
                j += 1;
            }
            let start = from + lead.map_or(toks[i].start, |p| p.start);
            if let Some(p) = self.distance.match_at(window, &toks, j, &mut sc) {
                if let (DistWord::Dir(d), true) = (*p.value, p.next == n) {
                    return Some(Offset { km: Some(km), direction: Some(d), start });
                }
            }
            if j + 1 == n && toks.get(j).and_then(|t| window.get(t.range())) == Some("من") {
                return Some(Offset { km: Some(km), direction: None, start });
            }
        }
        None
    }
}

/// Whether a mention can be an event's place: a place name, or a country or capital named as a location.
pub fn is_event_place(m: &Mention) -> bool {
    match m.kind {
        MatchKind::Place => true,
        MatchKind::Capital | MatchKind::Country => m.as_place,
        _ => false,
    }
}

/// Whether the mention stands in a dateline at the head of the sentence: `مدينة، بلد (وكالة)` followed by a dash.
fn is_dateline_place(norm: &str, sentence: &Range<usize>, m: &Mention) -> bool {
    let Some(s) = norm.get(sentence.start..sentence.end) else { return false };
    let Some(open) = s.find('(').filter(|&o| o <= 100) else { return false };
    let Some(close) = s[open..].find(')').filter(|&c| c <= 40) else { return false };
    m.norm.end <= sentence.start + open && s[open + close + 1..].trim_start().starts_with(['-', '–', '—', ':'])
}

/// Whether a place mention was read from inside a longer word (`وباكرا`) and lies in a country the article does
/// not otherwise name.
fn is_stray_place(norm: &str, m: &Mention, countries: &[Country]) -> bool {
    let glued = norm.get(..m.norm.start).and_then(|s| s.chars().next_back()).is_some_and(char::is_alphabetic);
    glued
        && matches!(m.kind, MatchKind::Place | MatchKind::Capital)
        && m.code.as_ref().and_then(|c| c.country).is_some_and(|c| !countries.contains(&c))
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
///
/// A count in another clause that holds another event's trigger is that event's (`لم تقع هجمات …، مقارنة بأكثر
/// من 20 هجوما`): `others` are the sentence's event triggers.
pub fn event_counts(
    norm: &str,
    plover: &str,
    sentence: &Range<usize>,
    trigger: &Range<usize>,
    others: &[Trigger<'_>],
    counts: &[CountExpr],
) -> Option<Counts> {
    let mut out = Counts::default();
    let mut best: [Option<(usize, Count)>; 5] = [None; 5];
    for c in counts.iter().filter(|c| sentence.start <= c.norm.start && c.norm.end <= sentence.end) {
        if clause_break_between(norm, trigger, &c.norm)
            && others.iter().any(|(t, _)| t != trigger && !clause_break_between(norm, t, &c.norm))
        {
            continue;
        }
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
            best[slot] = Some((d, Count { value: c.value, approx: c.approx, qualifier: c.qualifier.map(qualifier) }));
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

fn qualifier(q: crate::counts::Qualifier) -> CountQualifier {
    use crate::counts::Qualifier as Q;
    match q {
        Q::MoreThan => CountQualifier::MoreThan,
        Q::AtLeast => CountQualifier::AtLeast,
        Q::About => CountQualifier::About,
        Q::LessThan => CountQualifier::LessThan,
        Q::AtMost => CountQualifier::AtMost,
    }
}

/// Bytes between two ranges (0 when they touch or overlap).
fn gap(a: &Range<usize>, b: &Range<usize>) -> usize {
    if b.start >= a.end {
        b.start - a.end
    } else {
        a.start.saturating_sub(b.end)
    }
}

/// The clause punctuation of one sentence, found once so that asking whether it separates two ranges costs a
/// binary search, not a scan (an event place weighs every mention against every other trigger).
struct ClauseBreaks(Vec<usize>);

impl ClauseBreaks {
    fn of(norm: &str, sentence: &Range<usize>) -> ClauseBreaks {
        let text = norm.get(sentence.clone()).unwrap_or("");
        ClauseBreaks(text.match_indices(CLAUSE_PUNCT).map(|(i, _)| sentence.start + i).collect())
    }

    /// What [`clause_break_between`] says, for ranges inside the sentence.
    fn between(&self, a: &Range<usize>, b: &Range<usize>) -> bool {
        let (from, to) = if a.end <= b.start { (a.end, b.start) } else { (b.end, a.start) };
        from < to && self.0.get(self.0.partition_point(|&p| p < from)).is_some_and(|&p| p < to)
    }
}

/// Punctuation that ends a clause.
const CLAUSE_PUNCT: [char; 5] = ['،', ',', '؛', ';', ':'];

/// Whether clause punctuation stands between the two ranges.
fn clause_break_between(norm: &str, a: &Range<usize>, b: &Range<usize>) -> bool {
    let (from, to) = if a.end <= b.start { (a.end, b.start) } else { (b.end, a.start) };
    from < to && norm.get(from..to).is_some_and(|s| s.contains(CLAUSE_PUNCT))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::counts::CountFinder;
    use crate::dates::DateFinder;

    #[test]
    fn clause_breaks_agree_with_the_scan() {
        let norm = rasid_text::normalize("قال، إن الجيش: هاجم؛ المسلحين, في بغداد");
        let sentence = 0..norm.len();
        let breaks = ClauseBreaks::of(&norm, &sentence);
        let bounds: Vec<usize> = (0..=norm.len()).filter(|&i| norm.is_char_boundary(i)).collect();
        for &a in &bounds {
            for &b in bounds.iter().filter(|&&b| b >= a) {
                for &c in bounds.iter().filter(|&&c| c >= b).step_by(3) {
                    let (x, y) = (a..b, b..c);
                    assert_eq!(breaks.between(&x, &y), clause_break_between(&norm, &x, &y), "{x:?} {y:?}");
                    assert_eq!(breaks.between(&y, &x), clause_break_between(&norm, &y, &x), "{y:?} {x:?}");
                }
            }
        }
    }

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
    fn a_later_date_after_the_trigger_in_its_clause_makes_a_planned_act() {
        let p = Ymd::parse("2018-05-11").unwrap();
        let planned = |text: &str, trig: &str| {
            let norm = rasid_text::normalize(text);
            let mut dates = Vec::new();
            DateFinder::new().find(&norm, &mut dates);
            let t = norm.find(&rasid_text::normalize(trig)).unwrap();
            let trigger = t..t + rasid_text::normalize(trig).len();
            let choice = choose_date(&norm, &(0..norm.len()), &trigger, "CONSULT", &[], &dates, p, None);
            dated_after_publication(&norm, &trigger, &choice, &dates, p).is_some()
        };
        assert!(planned("وأعلن الوزير عن اجتماع الخميس المقبل مع نظرائه", "اجتماع"));
        // A date before publication, a date before the trigger, a date of another clause: no.
        assert!(!planned("وعقد الوزير اجتماعا الخميس الماضي مع نظرائه", "اجتماعا"));
        assert!(!planned("وفي 14 أيار المقبل ندعو المجتمع الدولي إلى المقاطعة", "ندعو"));
        assert!(!planned("وانتهى الاجتماع، وتعقد القمة في 20 أيار المقبل", "الاجتماع"));
        // Too far from the trigger to be its date.
        assert!(!planned(
            "وبحث الاجتماع الخطط الاقتصادية والاستثمارية والأمنية والثقافية والتعليمية والسياحية للبلدين في عام 2030",
            "الاجتماع"
        ));
    }

    #[test]
    fn dates_of_the_saying_and_of_relative_clauses_yield() {
        let p = Ymd::parse("2018-05-24").unwrap();
        let date_of = |text: &str, trig: &str| {
            let norm = rasid_text::normalize(text);
            let mut dates = Vec::new();
            DateFinder::new().find(&norm, &mut dates);
            let t = norm.find(trig).map(|i| i..i + trig.len()).unwrap();
            choose_date(&norm, &(0..norm.len()), &t, "X", &[], &dates, p, None).day.map(|d| d.resolved.value)
        };
        assert_eq!(
            date_of("أعلنت المنظمة، الخميس، أن السلطات أفرجت عن الناشطة، الأربعاء، بعد أيام", "افرجت"),
            Some("2018-05-23".into())
        );
        assert_eq!(date_of("أوصت الشرطة باتهام الرئيس الذي يحكم منذ عام 2007", "اتهام"), None);
        assert_eq!(date_of("أعلنت الوزارة الخميس أنها ستفرج عن المعتقلين", "ستفرج"), Some("2018-05-24".into()));
    }

    #[test]
    fn a_date_past_another_events_trigger_is_that_events() {
        let norm = rasid_text::normalize("ألقت الشرطة القبض على مشتبه به في هجوم مزدوج في مايو 2013");
        let mut dates = Vec::new();
        DateFinder::new().find(&norm, &mut dates);
        let arrest = norm.find("القت").map(|i| i..i + "القت".len()).unwrap();
        let attack = norm.find("هجوم").map(|i| i..i + "هجوم".len()).unwrap();
        let others = [(arrest.clone(), "COERCE"), (attack.clone(), "ASSAULT")];
        let p = Ymd::parse("2018-09-12").unwrap();
        let all = 0..norm.len();
        assert_eq!(choose_date(&norm, &all, &arrest, "COERCE", &others, &dates, p, None).day, None);
        let d = choose_date(&norm, &all, &attack, "ASSAULT", &others, &dates, p, None).day.unwrap();
        assert_eq!(d.resolved.value, "2013-05");
    }

    #[test]
    fn backers_are_not_places_and_distances_are_kept() {
        let rules = PlaceRules::try_new().expect("tables");
        let m = |norm: &str, w: &str| Mention {
            norm: norm.find(w).map(|i| i..i + w.len()).unwrap(),
            kind: MatchKind::Country,
            entity: crate::actors::EntityType::Loc,
            code: None,
            place: None,
            as_place: true,
        };
        let norm = rasid_text::normalize("أعلنت كتائب حزب الله المدعومة من إيران أنها ستعلق هجماتها");
        assert!(rules.is_backer(&norm, &(0..norm.len()), &m(&norm, "ايران")));
        let norm = rasid_text::normalize("الفصائل الموالية لإيران");
        assert!(rules.is_backer(&norm, &(0..norm.len()), &m(&norm, "ايران")));
        let norm = rasid_text::normalize("سقطت قذائف في إيران");
        assert!(!rules.is_backer(&norm, &(0..norm.len()), &m(&norm, "ايران")));
        let norm = rasid_text::normalize("انفجرت عبوة على بعد 20 كيلومترا شمال بغداد");
        let o = rules.offset(&norm, &(0..norm.len()), &m(&norm, "بغداد")).expect("offset");
        assert_eq!((o.km, o.direction), (Some(20.0), Some("N")));
        let norm = rasid_text::normalize("في بلدة تقع 100 كلم شمال شرقي بغداد");
        let o = rules.offset(&norm, &(0..norm.len()), &m(&norm, "بغداد")).expect("offset");
        assert_eq!((o.km, o.direction), (Some(100.0), Some("NE")));
        let norm = rasid_text::normalize("قتل 3 في بغداد");
        assert_eq!(rules.offset(&norm, &(0..norm.len()), &m(&norm, "بغداد")), None);
    }

    #[test]
    fn counts_by_category() {
        let norm = rasid_text::normalize("أسفر الهجوم عن مقتل ثلاثة جنود وإصابة أكثر من 20 آخرين");
        let mut counts = Vec::new();
        CountFinder::new().find(&norm, &mut counts);
        let trigger = norm.find("الهجوم").map(|i| i..i + "الهجوم".len()).unwrap();
        let c = event_counts(&norm, "ASSAULT", &(0..norm.len()), &trigger, &[], &counts).unwrap();
        assert_eq!(event_counts(&norm, "CONSULT", &(0..norm.len()), &trigger, &[], &counts), None);
        // A count of another clause that has its own event is that event's.
        let norm = rasid_text::normalize("لم تقع هجمات، مقارنة بأكثر من 20 هجوما");
        let mut counts = Vec::new();
        CountFinder::new().find(&norm, &mut counts);
        let first = norm.find("هجمات").map(|i| i..i + "هجمات".len()).unwrap();
        let second = norm.find("هجوما").map(|i| i..i + "هجوما".len()).unwrap();
        let others = [(first.clone(), "ASSAULT"), (second.clone(), "ASSAULT")];
        assert_eq!(event_counts(&norm, "ASSAULT", &(0..norm.len()), &first, &others, &counts), None);
        assert!(event_counts(&norm, "ASSAULT", &(0..norm.len()), &second, &others, &counts).is_some());
        assert_eq!(c.killed, Some(Count { value: 3, approx: false, qualifier: None }));
        assert_eq!(c.wounded, Some(Count { value: 20, approx: true, qualifier: Some(CountQualifier::MoreThan) }));
        assert_eq!(c.arrested, None);
    }

    fn dating(sentence: usize, who: &[&str], day: Option<&str>) -> Dating {
        let resolved = day.map(|d| {
            let y = Ymd::parse(d).expect("day");
            ResolvedDate { value: d.into(), precision: Precision::Day, start: Some(y), end: Some(y), approx: false }
        });
        Dating {
            kind: "CONSULT".into(),
            actor: None,
            participants: who.iter().map(|w| w.to_string()).collect(),
            sentence,
            sentence_dated: day.is_some(),
            trigger: sentence * 100..sentence * 100 + 5,
            choice: DateChoice {
                day: resolved.map(|resolved| EventDay { resolved, norm: Some(0..5) }),
                expr: None,
                referent_of: None,
            },
        }
    }

    #[test]
    fn episodes_carry_a_named_actors_day_approximately() {
        let mut items = vec![
            dating(2, &["qaani"], Some("2024-01-29")),
            dating(3, &["soleimani"], Some("2020-01-03")),
            dating(5, &["qaani"], None),
            dating(5, &[], None),
            dating(6, &["someone-else"], None),
            dating(20, &["qaani"], None),
        ];
        carry_episode_dates(&mut items);
        let got: Vec<Option<(String, bool, bool)>> = items
            .iter()
            .map(|d| d.choice.day.as_ref().map(|d| (d.resolved.value.clone(), d.resolved.approx, d.norm.is_some())))
            .collect();
        let approx = |v: &str| Some((v.to_string(), true, false));
        assert_eq!(
            got,
            [
                Some(("2024-01-29".into(), false, true)),
                Some(("2020-01-03".into(), false, true)),
                // Qaani's next event, and its undated sentence sibling, take the meeting's day, approximately.
                approx("2024-01-29"),
                approx("2024-01-29"),
                // Another actor, or an event past the episode's reach, stay undated.
                None,
                None,
            ]
        );
    }
}
