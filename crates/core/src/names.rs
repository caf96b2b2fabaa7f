//! Names no dictionary knows: the statistical recogniser (`rasid-ner`) over each body sentence's words, kept
//! where it does not overlap a dictionary mention, coded from context and linked across the article.
//!
//! - Coding: a PER name right after a coded role noun (`الرئيس الأمريكي دونالد ترامب`, `قائد الشرطة علي …`)
//!   takes that noun's country and role (`data/agents/` supplies the nouns); right after a nationality (`اللاعب
//!   المصري محمد صلاح`, also with `السابق` between) it takes the nationality's country.
//! - Linking: a later mention equal to the last words, or to the whole, of an earlier name of the same type
//!   (`العامري` after `هادي العامري`) shares its id and code; so does a person's name equal to the last words or a
//!   short form (`~كيم`, `data/actors/README.md`) of exactly one dictionary person named before it (`روحاني` after
//!   `حسن روحاني`). A conjunction the tagger took into a name (`وكيم`) comes off when the rest links.
//!   Ids of unlinked names are `ner:` + the normalised name.
//! - Places no gazetteer knows: a name right after a site noun (`موقع`, `قاعدة`, `مخيم`, … in
//!   `data/ner/sites.tsv`) and right before `في` + a known place (`في موقع تاور 22 في الأردن`) is a place of that
//!   place's country; so is a LOC name the tagger found right before `في` + a known place.

use crate::actors::{ActorCode, EntityType, Mention};
use rasid_lexicon::{ActorMatcher, MatchKind};
use rasid_ner::{entity_spans, EntitySpan, NerModel, NerTag};
use rasid_text::{Token, TokenKind};
use std::ops::Range;

/// Reusable buffers for [`NameStage::find_article`] (keep one per thread: it holds the tagger's word cache).
#[derive(Debug, Default)]
pub struct NameScratch {
    words: Vec<Range<usize>>,
    sent_off: Vec<usize>,
    tags: Vec<NerTag>,
    spans: Vec<EntitySpan>,
    ner: rasid_ner::Scratch,
}

/// The statistical name recogniser, loaded once.
pub struct NameStage {
    model: NerModel,
}

impl std::fmt::Debug for NameStage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NameStage").finish_non_exhaustive()
    }
}

impl NameStage {
    pub fn bundled() -> Result<NameStage, rasid_ner::ModelError> {
        Ok(NameStage { model: NerModel::bundled()? })
    }

    /// Tags the words of an article's `sentences` (normalised byte ranges, in reading order; tokens of the whole
    /// text in `tokens`) as one document, and appends new name mentions to `found`, skipping any that overlap a
    /// mention in `known` (sorted by start).
    pub fn find_article<'r>(
        &self,
        norm: &str,
        sentences: impl IntoIterator<Item = &'r Range<usize>>,
        tokens: &[Token],
        known: &[Mention],
        scratch: &mut NameScratch,
        found: &mut Vec<Mention>,
    ) {
        scratch.words.clear();
        scratch.sent_off.clear();
        scratch.sent_off.push(0);
        for sentence in sentences {
            let first = tokens.partition_point(|t| t.norm().start < sentence.start);
            for t in tokens[first..].iter().take_while(|t| t.norm().end <= sentence.end) {
                if !matches!(t.kind, TokenKind::Symbol) {
                    scratch.words.push(t.norm());
                }
            }
            if scratch.sent_off.last() != Some(&scratch.words.len()) {
                scratch.sent_off.push(scratch.words.len());
            }
        }
        if scratch.words.is_empty() {
            return;
        }
        self.model.tag_normalized(norm, &scratch.words, &scratch.sent_off, &mut scratch.ner, &mut scratch.tags);
        for s in 0..scratch.sent_off.len() - 1 {
            let (a, b) = (scratch.sent_off[s], scratch.sent_off[s + 1]);
            entity_spans(&scratch.tags[a..b], &mut scratch.spans);
            for span in &scratch.spans {
                let range = scratch.words[a + span.start].start..scratch.words[a + span.end - 1].end;
                // `known` is sorted by start: only mentions starting before this name's end can overlap it.
                let before_end = known.partition_point(|m| m.norm.start < range.end);
                let overlaps = |m: &Mention| m.norm.start < range.end && range.start < m.norm.end;
                if known[..before_end].iter().rev().take(64).any(overlaps) || found.iter().rev().take(64).any(overlaps)
                {
                    continue;
                }
                let entity = match span.kind {
                    rasid_ner::EntityType::Per => EntityType::Per,
                    rasid_ner::EntityType::Org => EntityType::Org,
                    rasid_ner::EntityType::Loc => EntityType::Loc,
                    rasid_ner::EntityType::Misc => EntityType::Misc,
                };
                let kind = if entity == EntityType::Loc { MatchKind::Place } else { MatchKind::Actor };
                found.push(Mention { norm: range, kind, entity, code: None, place: None, as_place: false });
            }
        }
    }

    /// Tags one sentence (see [`NameStage::find_article`]).
    pub fn find(
        &self,
        norm: &str,
        sentence: &Range<usize>,
        tokens: &[Token],
        known: &[Mention],
        scratch: &mut NameScratch,
        found: &mut Vec<Mention>,
    ) {
        self.find_article(norm, [sentence], tokens, known, scratch, found);
    }
}

/// Gives statistical names their codes and ids: role nouns right before a person, then links across the
/// article (see the module docs). `known` are the dictionary mentions (sorted by start), `names` the statistical
/// ones (sorted by start; site names before `في` + a known place are added, see [`site_names`]).
pub fn code_and_link(norm: &str, known: &[Mention], actors: &ActorMatcher<'_>, names: &mut Vec<Mention>) {
    site_names(norm, known, names);
    for i in 0..names.len() {
        if let Some(code) = linked_code(norm, known, actors, &names[..i], &names[i]) {
            names[i].code = Some(code);
            continue;
        }
        // A conjunction the tagger took into the name (`وكيم`), when the rest is a name the article has named.
        if let Some(r) = conjunction_off(norm, &names[i].norm) {
            let bare = Mention { norm: r, ..names[i].clone() };
            if let Some(code) = linked_code(norm, known, actors, &names[..i], &bare) {
                names[i] = Mention { code: Some(code), ..bare };
                continue;
            }
        }
        let text = &norm[names[i].norm.clone()];
        let mut code =
            ActorCode { id: format!("ner:{text}"), name: text.to_string(), country: None, role: None, former: false };
        if names[i].entity == EntityType::Per {
            if let Some((country, role)) = qualifier_before(norm, names[i].norm.start, known) {
                code.country = country;
                code.role = role;
            }
        }
        if names[i].entity == EntityType::Loc {
            code.country = place_after(norm, names[i].norm.end, known).and_then(|p| p.code.as_ref()?.country);
        }
        if names[i].entity != EntityType::Misc {
            names[i].code = Some(code);
        }
    }
}

/// The code `name` takes from the article: that of an earlier name of the same type it equals or ends
/// ([`ends_with_words`]), else that of the one dictionary person it refers to ([`dictionary_person`]).
fn linked_code(
    norm: &str,
    known: &[Mention],
    actors: &ActorMatcher<'_>,
    earlier: &[Mention],
    name: &Mention,
) -> Option<ActorCode> {
    let text = &norm[name.norm.clone()];
    let same = earlier.iter().find(|e| {
        e.entity == name.entity && (&norm[e.norm.clone()] == text || ends_with_words(&norm[e.norm.clone()], text))
    });
    match same {
        Some(e) => e.code.clone(),
        None => dictionary_person(norm, known, actors, name).cloned(),
    }
}

/// `range` without a leading conjunction `و` or `ف` when at least two letters are left (`وكيم` → `كيم`).
fn conjunction_off(norm: &str, range: &Range<usize>) -> Option<Range<usize>> {
    let text = &norm[range.clone()];
    let rest = text.strip_prefix('و').or_else(|| text.strip_prefix('ف'))?;
    (rest.chars().take_while(|c| c.is_alphabetic()).count() >= 2).then(|| range.end - rest.len()..range.end)
}

/// Whether `long` ends with the whole words `short` (`محمد جواد ظريف` ends with `ظريف`, not `ريف`).
fn ends_with_words(long: &str, short: &str) -> bool {
    long.len() > short.len() && long.ends_with(short) && long[..long.len() - short.len()].ends_with(' ')
}

/// The code of the one dictionary person named before `name` whose name ends with it (`روحاني` after `حسن
/// روحاني`, `بن سلمان` after `الأمير محمد بن سلمان`) or who has it as a short form (`كيم` after `كيم جونغ أون`,
/// `data/actors/README.md`); none when no such person, or two different ones, were named (`سلمان` after both
/// `الملك سلمان` and `محمد بن سلمان`).
fn dictionary_person<'m>(
    norm: &str,
    known: &'m [Mention],
    actors: &ActorMatcher<'_>,
    name: &Mention,
) -> Option<&'m ActorCode> {
    if name.entity != EntityType::Per {
        return None;
    }
    let text = &norm[name.norm.clone()];
    let mut found: Option<&ActorCode> = None;
    for k in known.iter().take_while(|k| k.norm.end <= name.norm.start) {
        let Some(code) = k.code.as_ref().filter(|_| k.entity == EntityType::Per && k.kind == MatchKind::Actor) else {
            continue;
        };
        if !ends_with_words(&norm[k.norm.clone()], text) && !actors.short_forms(&code.id).iter().any(|f| f == text) {
            continue;
        }
        match found {
            Some(f) if f.id != code.id => return None,
            _ => found = Some(code),
        }
    }
    found
}

/// Site nouns and the words that after one are not a name (`data/ner/sites.tsv`, format in its header).
struct Sites {
    nouns: std::collections::HashSet<String>,
    not_names: std::collections::HashSet<String>,
}

fn sites() -> &'static Sites {
    static SITES: std::sync::OnceLock<Sites> = std::sync::OnceLock::new();
    SITES.get_or_init(|| parse_sites(include_str!("../../../data/ner/sites.tsv")))
}

/// Reads `sites.tsv`; lines that are not `SITE<TAB>word` or `NOT<TAB>word` are comments (a unit test checks
/// that the shipped file has none besides `#` lines).
fn parse_sites(text: &str) -> Sites {
    let mut sites = Sites { nouns: Default::default(), not_names: Default::default() };
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        match line.split_once('\t') {
            Some(("SITE", w)) => sites.nouns.insert(rasid_text::normalize(w.trim())),
            Some(("NOT", w)) => sites.not_names.insert(rasid_text::normalize(w.trim())),
            _ => false,
        };
    }
    sites
}

/// Longest site name, in words.
const MAX_SITE_WORDS: usize = 3;

/// The words of `norm[..end]` (split at whitespace) from the last backwards, with their byte ranges.
fn words_before(norm: &str, end: usize) -> impl Iterator<Item = (Range<usize>, &str)> {
    let head = norm.get(..end).unwrap_or("");
    let mut pos = head.len();
    std::iter::from_fn(move || {
        let trimmed = head[..pos].trim_end();
        if trimmed.is_empty() {
            return None;
        }
        let start =
            trimmed.rfind(char::is_whitespace).map_or(0, |i| i + trimmed[i..].chars().next().map_or(1, char::len_utf8));
        pos = start;
        Some((start..trimmed.len(), &trimmed[start..]))
    })
}

/// A word that may be part of a site's name: letters, digits and inner hyphens only.
fn name_word(w: &str) -> bool {
    !w.is_empty() && w.chars().all(|c| c.is_alphanumeric() || c == '-')
}

/// A word that may start a site's name: no article, no لل, not a nisba adjective (`عسكري`, `جويه`), not listed.
fn name_start(w: &str, sites: &Sites) -> bool {
    let nisba = ["ي", "يه", "يين", "يون"].iter().any(|e| w.ends_with(e) && w.chars().count() > e.chars().count() + 2);
    name_word(w)
        && !w.starts_with("ال")
        && !w.starts_with("لل")
        && !nisba
        && !sites.not_names.contains(w)
        && !w.chars().all(|c| c.is_ascii_digit())
}

/// The site noun `w`, possibly with one attached و/ف and one ب/ل/ك.
fn is_site_noun(w: &str, sites: &Sites) -> bool {
    let mut rest = w;
    for set in [&['و', 'ف'][..], &['ب', 'ل', 'ك'][..]] {
        if sites.nouns.contains(rest) {
            return true;
        }
        if let Some(c) = rest.chars().next().filter(|c| set.contains(c)) {
            rest = &rest[c.len_utf8()..];
        }
    }
    sites.nouns.contains(rest)
}

/// A known place with a country (a GeoNames place, a country, or a capital named as a place) starting right
/// after `في` that follows `at` (spaces only between).
fn place_after<'m>(norm: &str, at: usize, known: &'m [Mention]) -> Option<&'m Mention> {
    let rest = norm.get(at..)?;
    let after_space = rest.trim_start();
    let after_fi = after_space.strip_prefix("في")?;
    let place = after_fi.trim_start();
    if place.len() == after_fi.len() {
        return None;
    }
    let start = norm.len() - place.len();
    let i = known.partition_point(|m| m.norm.start < start);
    known[i..].iter().take_while(|m| m.norm.start == start).find(|m| {
        let place_like =
            matches!(m.kind, MatchKind::Place | MatchKind::Country) || (m.kind == MatchKind::Capital && m.as_place);
        place_like && m.code.as_ref().is_some_and(|c| c.country.is_some())
    })
}

/// Adds the places named by a site noun before `في` + a known place (module docs): for each such known place,
/// looks back over `في` for one to three name words after a site noun. The name must not overlap a dictionary
/// mention; statistical names inside or overlapping it are replaced by it (as LOC).
pub fn site_names(norm: &str, known: &[Mention], names: &mut Vec<Mention>) {
    let sites = sites();
    let mut added = false;
    for m in known {
        let Some((fi, _)) = words_before(norm, m.norm.start).next().filter(|(_, w)| *w == "في") else { continue };
        if !place_after(norm, fi.start, known).is_some_and(|p| std::ptr::eq(p, m)) {
            continue;
        }
        let start_fi = fi.start;
        let words: Vec<(Range<usize>, &str)> = words_before(norm, start_fi).take(MAX_SITE_WORDS + 1).collect();
        // words[0] is the last name word; the site noun is words[n] with the name words[n-1..=0].
        let Some(n) = (1..words.len()).find(|&n| is_site_noun(words[n].1, sites)) else { continue };
        let name = &words[..n];
        if !name_start(name[n - 1].1, sites) || !name.iter().all(|(_, w)| name_word(w)) {
            continue;
        }
        let range = name[n - 1].0.start..name[0].0.end;
        let overlaps = |x: &Mention| x.norm.start < range.end && range.start < x.norm.end;
        if known.iter().any(overlaps) {
            continue;
        }
        names.retain(|x| !overlaps(x));
        names.push(Mention {
            norm: range,
            kind: MatchKind::Place,
            entity: EntityType::Loc,
            code: None,
            place: None,
            as_place: false,
        });
        added = true;
    }
    if added {
        names.sort_by_key(|m| (m.norm.start, std::cmp::Reverse(m.norm.end)));
    }
}

/// The country and role a person's name takes from the words right before it (commas aside): a coded role noun
/// (`الرئيس الأمريكي دونالد ترامب`: its country and role) or a nationality (`الكوري الشمالي كيم`, `اللاعب
/// المصري محمد صلاح`: its country). After `السابق` ("former", `الجاسوس الروسي السابق سيرغي سكريبال`) only the
/// country holds.
fn qualifier_before(
    norm: &str,
    at: usize,
    known: &[Mention],
) -> Option<(Option<rasid_lexicon::Country>, Option<rasid_lexicon::Role>)> {
    let m = known
        .iter()
        .filter(|m| matches!(m.kind, MatchKind::Agent | MatchKind::Nationality) && m.norm.end <= at)
        .max_by_key(|m| (m.norm.end, m.kind == MatchKind::Agent))?;
    let code = m.code.as_ref()?;
    let mut between = norm.get(m.norm.end..at)?.split([' ', '،', ',']).filter(|w| !w.is_empty());
    match (between.next(), between.next()) {
        (None, _) if m.kind == MatchKind::Agent => Some((code.country, code.role)),
        (None, _) => Some((code.country, None)),
        (Some("السابق" | "السابقه"), None) => code.country.map(|c| (Some(c), None)),
        _ => None,
    }
}

/// Is the role phrase at `range` of `norm` the title of a person, so that a name right after it is that person?
/// It starts with a title word (`الرئيس الفرنسي`, `وزير الخارجية`, `العاهل السعودي`) or follows one
/// (`مدير` + `الاستخبارات الاميركيه`); `السلطات الاسرائيليه` or `الجيش` alone are not titles. The title words are
/// the `PER` trigger words of `data/ner/triggers.tsv`.
pub fn is_person_title(norm: &str, range: std::ops::Range<usize>) -> bool {
    static TITLES: std::sync::OnceLock<std::collections::HashSet<String>> = std::sync::OnceLock::new();
    let titles = TITLES.get_or_init(|| {
        include_str!("../../../data/ner/triggers.tsv")
            .lines()
            .filter_map(|l| l.strip_prefix("PER\t"))
            .map(|w| rasid_text::normalize(w.trim()))
            .collect()
    });
    let first = norm.get(range.clone()).and_then(|p| p.split(' ').next());
    let before = norm.get(..range.start).and_then(|h| h.trim_end_matches(' ').rsplit(' ').next());
    first.is_some_and(|w| titles.contains(w)) || before.is_some_and(|w| titles.contains(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn person_titles_start_or_precede_the_role_phrase() {
        let at = |norm: &str, phrase: &str| {
            let start = norm.find(phrase).unwrap();
            is_person_title(norm, start..start + phrase.len())
        };
        assert!(at("دعا الرئيس الفرنسي ماكرون", "الرئيس الفرنسي"));
        assert!(at("وحذر مدير الاستخبارات الاميركيه كوتس", "الاستخبارات الاميركيه"));
        assert!(!at("وتحتجز السلطات الاسرائيليه اوزكان", "السلطات الاسرائيليه"));
        assert!(!at("الجيش", "الجيش"));
    }

    fn mention(norm: &str, text: &str, entity: EntityType, kind: MatchKind) -> Mention {
        let at = norm.find(text).unwrap();
        Mention { norm: at..at + text.len(), kind, entity, code: None, place: None, as_place: false }
    }

    /// Dictionary mentions and site names of an invented sentence: `(name, country)` of every LOC name.
    fn site_places(text: &str, tagged: &[&str]) -> Vec<(String, Option<String>)> {
        let norm = rasid_text::normalize(text);
        let (mut matches, mut known) = (Vec::new(), Vec::new());
        crate::actors::ActorStage::bundled().find(&norm, None, &mut matches, &mut known);
        let mut names: Vec<Mention> = tagged
            .iter()
            .map(|t| mention(&norm, &rasid_text::normalize(t), EntityType::Loc, MatchKind::Place))
            .collect();
        code_and_link(&norm, &known, ActorMatcher::bundled(), &mut names);
        names
            .iter()
            .filter(|m| m.entity == EntityType::Loc)
            .map(|m| {
                let country = m.code.as_ref().and_then(|c| c.country).map(|c| c.as_str().to_string());
                (norm[m.norm.clone()].to_string(), country)
            })
            .collect()
    }

    #[test]
    fn site_nouns_introduce_places_of_the_following_country() {
        let jor = |name: &str| vec![(name.to_string(), Some("JOR".to_string()))];
        // Invented sentences.
        assert_eq!(site_places("قتل جنديان في هجوم على موقع زيتورا 7 في الأردن أمس", &[]), jor("زيتورا 7"));
        assert_eq!(site_places("ووصلت الشاحنات إلى معبر دوريكان في الأردن", &[]), jor("دوريكان"));
        assert_eq!(site_places("انفجار وقع بمعسكر بارتيل الشمالي في الأردن", &[]), jor("بارتيل الشمالي"));
        // A name the tagger found as LOC takes the country too, and a later bare mention links to it.
        let got = site_places("سقطت قذيفة على تل زنبارا في سوريا ثم على تل زنبارا مرة أخرى", &["تل زنبارا"]);
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].1.as_deref(), Some("SYR"));
        // Common words after a site noun are not names: the article, a nisba adjective, a listed word; and the
        // place must follow `في` directly.
        assert!(site_places("وصل المحققون إلى موقع الحادث في الأردن", &[]).is_empty());
        assert!(site_places("هاجموا قاعدة عسكرية في الأردن", &[]).is_empty());
        assert!(site_places("هاجموا موقعا قريب في الأردن", &[]).is_empty());
        assert!(site_places("هاجموا موقع زيتورا في شمال الأردن", &[]).is_empty());
        // More than three words between the site noun and `في`: not a name.
        assert!(site_places("هاجموا موقع زيتورا بارتيل دوريكان دبيان في الأردن", &[]).is_empty());
    }

    #[test]
    fn shipped_sites_file_is_well_formed() {
        let text = include_str!("../../../data/ner/sites.tsv");
        for (n, line) in text.lines().enumerate().filter(|(_, l)| !l.starts_with('#')) {
            let ok = matches!(line.split_once('\t'), Some(("SITE" | "NOT", w)) if !w.trim().is_empty());
            assert!(ok, "sites.tsv:{}: `{line}`", n + 1);
        }
        let s = sites();
        assert!(s.nouns.contains(&rasid_text::normalize("قاعدة")) && s.not_names.contains("قريب"));
    }

    #[test]
    fn a_nationality_right_before_a_name_gives_its_country() {
        // (country, role) of the statistical name `name` in `text`, coded from the dictionary's mentions.
        let coded = |text: &str, name: &str| {
            let norm = rasid_text::normalize(text);
            let (mut matches, mut known) = (Vec::new(), Vec::new());
            crate::actors::ActorStage::bundled().find(&norm, None, &mut matches, &mut known);
            let mut names = vec![mention(&norm, &rasid_text::normalize(name), EntityType::Per, MatchKind::Actor)];
            code_and_link(&norm, &known, ActorMatcher::bundled(), &mut names);
            let c = names[0].code.clone().unwrap();
            (c.country.map(|c| c.as_str().to_string()), c.role.map(|r| r.as_str().to_string()))
        };
        assert_eq!(coded("وسجل اللاعب المصري سامر خليل هدفين", "سامر خليل"), (Some("EGY".into()), None));
        assert_eq!(coded("وقال الجاسوس الروسي السابق سامر خليل إنه بخير", "سامر خليل"), (Some("RUS".into()), None));
        // A title keeps giving its role; a nationality further off gives nothing.
        assert_eq!(coded("وقال الرئيس الفرنسي سامر خليل", "سامر خليل"), (Some("FRA".into()), Some("GOV".into())));
        assert_eq!(coded("الوفد المصري التقى امس سامر خليل", "سامر خليل"), (None, None));
    }

    #[test]
    fn links_a_surname_to_the_dictionary_person_named_before_it() {
        let person = |norm: &str, text: &str, id: &str, from: usize| {
            let at = from + norm[from..].find(&rasid_text::normalize(text)).unwrap();
            Mention {
                norm: at..at + rasid_text::normalize(text).len(),
                kind: MatchKind::Actor,
                entity: EntityType::Per,
                code: Some(ActorCode {
                    id: id.into(),
                    name: id.into(),
                    country: rasid_lexicon::Country::parse("IRN"),
                    role: rasid_lexicon::Role::parse("GOV"),
                    former: false,
                }),
                place: None,
                as_place: false,
            }
        };
        let linked = |text: &str, known: &[(&str, &str)], name: &str| {
            let norm = rasid_text::normalize(text);
            let known: Vec<Mention> = known.iter().map(|(t, id)| person(&norm, t, id, 0)).collect();
            let after = known.iter().map(|k| k.norm.end).max().unwrap_or(0);
            let mut names = vec![Mention { code: None, ..person(&norm, name, "-", after) }];
            code_and_link(&norm, &known, ActorMatcher::bundled(), &mut names);
            names[0].code.as_ref().map(|c| format!("{} {}", c.id, &norm[names[0].norm.clone()]))
        };
        let text = "قال الرئيس حسن روحاني إن بلاده صامدة. وأضاف روحاني أن العقوبات ظالمة";
        assert_eq!(linked(text, &[("حسن روحاني", "rouhani")], "روحاني").as_deref(), Some("rouhani روحاني"));
        // A whole last word only, and only a person named before.
        let text = "قال الرئيس حسن روحاني إن بلاده صامدة. وأضاف حاني أن العقوبات ظالمة";
        assert_eq!(linked(text, &[("حسن روحاني", "rouhani")], "حاني").as_deref(), Some("ner:حاني حاني"));
        // A short form the dictionary lists (`~كيم`), family name first.
        let text = "التقى كيم جونغ أون الرئيس. وقال كيم إن بلاده مستعدة";
        let kim = [("كيم جونغ أون", "kim-jong-un")];
        assert_eq!(linked(text, &kim, "كيم").as_deref(), Some("kim-jong-un كيم"));
        assert_eq!(linked(text, &[("كيم جونغ أون", "someone-else")], "كيم").as_deref(), Some("ner:كيم كيم"));
        // A conjunction the tagger took into the name comes off when the rest is the person; it stays otherwise.
        let text = "التقى كيم جونغ أون الرئيس. ثم وكيم قال إن بلاده مستعدة";
        assert_eq!(linked(text, &kim, "وكيم").as_deref(), Some("kim-jong-un كيم"));
        let text = "التقى كيم جونغ أون الرئيس. وقال وليد إن بلاده مستعدة";
        assert_eq!(linked(text, &kim, "وليد").as_deref(), Some("ner:وليد وليد"));
        // Two different people end with the name: no link.
        let text = "التقى الملك سلمان ومحمد بن سلمان الوفد. وقال سلمان إن";
        let known = [("الملك سلمان", "king-salman"), ("محمد بن سلمان", "mbs")];
        assert_eq!(linked(text, &known, "سلمان").as_deref(), Some("ner:سلمان سلمان"));
    }

    #[test]
    fn links_short_forms_and_codes_from_role_nouns() {
        let norm = rasid_text::normalize("قال الرئيس سامر خليل إن الحكومة مستقرة. واضاف خليل ان الوضع هادئ");
        let mut agent = mention(&norm, "الرئيس", EntityType::Org, MatchKind::Agent);
        agent.code = Some(ActorCode {
            id: "GOV".into(),
            name: "president".into(),
            country: rasid_lexicon::Country::parse("JOR"),
            role: rasid_lexicon::Role::parse("GOV"),
            former: false,
        });
        let full = mention(&norm, "سامر خليل", EntityType::Per, MatchKind::Actor);
        let short_at = norm.rfind("خليل").unwrap();
        let short = Mention { norm: short_at..short_at + "خليل".len(), ..full.clone() };
        let mut names = vec![full, short];
        code_and_link(&norm, &[agent], ActorMatcher::bundled(), &mut names);
        let a = names[0].code.clone().unwrap();
        assert_eq!(a.country.map(|c| c.as_str().to_string()).as_deref(), Some("JOR"));
        assert_eq!(names[1].code.as_ref().map(|c| c.id.clone()), Some(a.id));
    }
}
