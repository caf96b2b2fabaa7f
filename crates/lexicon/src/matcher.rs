//! The dictionary recogniser: one hash table over every normalised name and every prefix of one that ends at a
//! word end, walked word by word from word starts (after optional clitic prefixes), longest first, with dated
//! roles, agent + nationality combination and context-based disambiguation.
//!
//! Rules (documented in `data/README.md` too):
//! - a match starts at a word start, or right after a clitic prefix attached to the word: an optional
//!   conjunction `و`/`ف` then an optional preposition `ب`/`ل`/`ك`; `ل` + `ال` written `لل` is recognised too
//!   (`للشرطة` → `الشرطة`). The reported range excludes the prefix. A match must end at a word end.
//! - at one position the longest name wins; a name is searched again shorter when its longest candidate ends
//!   inside a word.
//! - one name may mean several things; kinds rank Actor > Country > Capital > Nationality > Agent > Place.
//!   Among the candidates of the best rank (places only when nothing else is named so), when they point at
//!   different countries (عمان: Oman, or Amman in Jordan) the one whose country is also named unambiguously
//!   elsewhere in the same text wins; otherwise the first (for places, the most populous).
//! - a single word in `common-words.txt` is never a name; single-word places need 50,000 inhabitants in an
//!   Arabic-speaking country and 1,000,000 elsewhere.
//! - an agent directly followed by a nationality adjective or a country name becomes one match with that
//!   country (`الجيش العراقي` → IRQ MIL), and so does an agent followed by `في` + a country name
//!   (`المعارضة في سوريا` → SYR OPP); agents from `with-country.tsv` (`النظام`, `الطيران`) count only so.
//! - an actor's role is the one whose date range covers the given day; with no day, the undated or the
//!   latest role.

use crate::code::{Code, Country, DatedCode, Role, Ymd};
use crate::data::{current_code, Lexicon, Source};
use crate::keytable::{key_hash, KeyTable};
use rasid_text::hash::WideBuild;
use rasid_text::normalize;
use std::collections::HashMap;
use std::ops::Range;

/// What a match refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MatchKind {
    /// A named actor (`entry` indexes `Lexicon::actors`).
    Actor,
    /// A country name (`entry` indexes `Lexicon::countries`).
    Country,
    /// A capital or seat of government, standing for the government (`entry` indexes `Lexicon::countries`).
    Capital,
    /// A nationality adjective (`entry` indexes `Lexicon::countries`).
    Nationality,
    /// A role noun, possibly combined with a following nationality (`entry` indexes `Lexicon::agents`).
    Agent,
    /// A place (`entry` indexes `Lexicon::places`).
    Place,
}

/// One recognised name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActorMatch {
    /// Byte range in the normalised text, without the clitic prefix.
    pub norm: Range<usize>,
    /// Bytes of clitic prefix just before `norm` (0 when none).
    pub prefix: usize,
    pub kind: MatchKind,
    pub entry: u32,
    pub country: Option<Country>,
    pub role: Option<Role>,
    pub role2: Option<Role>,
    /// For an agent combined with a nationality or country: the country entry it was combined with.
    pub combined: Option<u32>,
}

#[derive(Debug, Clone, Copy)]
struct Cand {
    kind: MatchKind,
    entry: u32,
    /// The country a candidate points at (for disambiguation).
    country: Option<Country>,
    /// Place population (ranking among places).
    population: u32,
}

#[derive(Debug, Clone)]
struct Pattern {
    /// Pattern written without the article's alef after a `ل` prefix (`لشرطه` for `الشرطه`).
    elided: bool,
    cands: Vec<Cand>,
}

/// The recogniser, built once from a lexicon.
pub struct ActorMatcher<'l> {
    lex: &'l Lexicon,
    /// Every name and every prefix of one that ends before a non-word character ([`KeyTable`]).
    names: KeyTable,
    patterns: Vec<Pattern>,
    /// Every inflected form of the agent modifiers (`agents/modifiers.tsv`) → the role it imposes, if any.
    modifiers: HashMap<String, Option<Role>, WideBuild>,
    /// Actor id → its short forms ([`crate::data::ActorEntry::short`]), for the actors that have any.
    short_forms: HashMap<&'l str, &'l [String], WideBuild>,
}

/// A place a name may start (see [`ActorMatcher::find`]).
#[derive(Debug, Clone, Copy)]
struct Start {
    /// The word's start (before any clitic prefix).
    word: usize,
    at: usize,
    /// The word's end.
    end: usize,
    /// After the preposition `ل` (an elided name may follow).
    after_lam: bool,
    /// [`key_hash`] of `at..end`.
    hash: u64,
}

/// One way a phrase resolves, for `rasid dict lookup`.
#[derive(Debug, Clone, PartialEq)]
pub struct Explanation {
    /// The matched normalised text (without clitic prefix).
    pub text: String,
    pub kind: MatchKind,
    /// Entry id: actor id, ISO-3, agent note, or GeoNames id.
    pub id: String,
    pub name: String,
    pub code: Code,
    /// Where the entry is written.
    pub source: Source,
    /// Why this code, in words.
    pub why: String,
}

/// Single-word place names are matched only from these populations (in Arabic-speaking countries, elsewhere):
/// below them, single Arabic-script names are mostly transliterations that collide with common words
/// (سنه "year" for Sanandaj, امل "hope" for Amol).
const MIN_SINGLE_WORD_PLACE_POP: (u32, u32) = (50_000, 1_000_000);

/// Whether a character can be part of a word (normalised text has no diacritics).
#[inline]
fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else if ('\u{0621}'..='\u{064A}').contains(&c) {
        true
    } else {
        rasid_text::is_alphanumeric(c)
    }
}

/// Bits of the name table's first-word set, log2 (see [`KeyTable::may_start`]).
const FIRST_WORD_BITS: u32 = 17;

/// Whether the character at byte `at` (a char boundary) is a word character, and its length in bytes (0 at
/// the end).
#[inline(always)]
fn word_char_at(norm: &str, at: usize) -> (bool, usize) {
    let b = norm.as_bytes();
    let Some(&c0) = b.get(at) else { return (false, 0) };
    if c0 < 0x80 {
        return (c0.is_ascii_alphanumeric(), 1);
    }
    // U+0621–U+064A, the common case, without decoding: in UTF-8 exactly the byte pairs `D8 A1` to `D9 8A` read as
    // one big-endian number (a continuation byte is `80`–`BF`), one range test with no branch on the lead byte.
    if let Some(&c1) = b.get(at + 1) {
        if (0xD8A1..=0xD98A).contains(&u16::from_be_bytes([c0, c1])) {
            return (true, 2);
        }
    }
    word_char_decoded(norm, at)
}

/// [`word_char_at`] for the other characters.
#[cold]
#[inline(never)]
fn word_char_decoded(norm: &str, at: usize) -> (bool, usize) {
    norm.get(at..).and_then(|t| t.chars().next()).map_or((false, 1), |c| (is_word_char(c), c.len_utf8()))
}

/// Where the word characters from byte `at` end.
#[inline]
fn word_end(norm: &str, mut at: usize) -> usize {
    loop {
        let (w, n) = word_char_at(norm, at);
        if !w {
            return at;
        }
        at += n;
    }
}

/// Nationality forms derived from a masculine singular adjective (every word inflected alike):
/// عراقي → عراقيا عراقيه عراقيون عراقيين عراقيات عراقيان عراقيتان عراقيتين, each also with ال.
pub fn nationality_forms(masc: &str) -> Vec<String> {
    const SUFFIXES: &[&str] = &["", "ا", "ه", "ون", "ين", "ات", "ان", "تان", "تين"];
    let words: Vec<String> = normalize(masc).split_whitespace().map(str::to_string).collect();
    let mut out = Vec::new();
    for suf in SUFFIXES {
        for def in [false, true] {
            let form: Vec<String> = words
                .iter()
                .map(|w| {
                    let base = w.strip_prefix("ال").unwrap_or(w);
                    format!("{}{}{}", if def { "ال" } else { "" }, base, suf)
                })
                .collect();
            out.push(form.join(" "));
        }
    }
    out
}

/// Agent forms: the written forms, plus for single words without the article: the definite form (جنود →
/// الجنود), the indefinite accusative (مسلح → مسلحا) unless the word ends in ا ه ون ين ات, and the construct
/// form of sound plurals (مسلحون → مسلحو, مقاتلين → مقاتلي).
fn agent_forms(forms: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for f in forms {
        let n = normalize(f);
        let single = !n.contains(' ') && n.chars().next().is_some_and(is_arabic_letter);
        if single && !n.starts_with("ال") {
            out.push(format!("ال{n}"));
            if let Some(stem) = n.strip_suffix("ون") {
                out.push(format!("{stem}و"));
            } else if let Some(stem) = n.strip_suffix("ين") {
                out.push(format!("{stem}ي"));
            } else if !["ا", "ه", "ات"].iter().any(|e| n.ends_with(e)) {
                out.push(format!("{n}ا"));
            }
        }
        out.push(n);
    }
    out
}

/// The spelling of a name with every `عبد` joined to the word after it (`عبد الله الثاني` → `عبدالله الثاني`), as
/// news often writes compound names; `None` when the name has no `عبد` followed by a word.
fn joined_abd(key: &str) -> Option<String> {
    let words: Vec<&str> = key.split(' ').collect();
    if !words[..words.len().saturating_sub(1)].contains(&"عبد") {
        return None;
    }
    let mut out = String::with_capacity(key.len());
    for (i, w) in words.iter().enumerate() {
        if i > 0 && words[i - 1] != "عبد" {
            out.push(' ');
        }
        out.push_str(w);
    }
    Some(out)
}

fn is_arabic_letter(c: char) -> bool {
    ('\u{0621}'..='\u{064A}').contains(&c)
}

fn kind_rank(k: MatchKind) -> u8 {
    k as u8
}

impl<'l> ActorMatcher<'l> {
    /// The matcher over the bundled dictionaries, built once.
    pub fn bundled() -> &'static ActorMatcher<'static> {
        static M: std::sync::OnceLock<ActorMatcher<'static>> = std::sync::OnceLock::new();
        M.get_or_init(|| ActorMatcher::new(Lexicon::bundled()))
    }

    /// Builds the automaton over every name in the lexicon.
    pub fn new(lex: &'l Lexicon) -> ActorMatcher<'l> {
        let mut keys: HashMap<String, usize> = HashMap::new();
        let mut pats: Vec<(String, Pattern)> = Vec::new();
        let common = &lex.common_words;
        let mut add = |key: String, cand: Cand| {
            let key = key.split_whitespace().collect::<Vec<_>>().join(" ");
            if key.is_empty() {
                return;
            }
            let single = !key.contains(' ');
            if single && cand.kind != MatchKind::Agent && common.contains(&key) {
                return;
            }
            if single && cand.kind == MatchKind::Place {
                let arabic = cand.country.and_then(|c| lex.country(c)).is_some_and(|c| c.arabic);
                let min = if arabic { MIN_SINGLE_WORD_PLACE_POP.0 } else { MIN_SINGLE_WORD_PLACE_POP.1 };
                if cand.population < min {
                    return;
                }
            }
            let mut spellings = vec![key.clone()];
            spellings.extend(joined_abd(&key));
            let mut variants = Vec::new();
            for key in spellings {
                let elided = key.strip_prefix("ال").filter(|rest| !rest.is_empty()).map(|rest| format!("ل{rest}"));
                variants.push((key, false));
                variants.extend(elided.map(|k| (k, true)));
            }
            for (k, elided) in variants {
                let idx = *keys.entry(k.clone()).or_insert_with(|| {
                    pats.push((k, Pattern { elided, cands: Vec::new() }));
                    pats.len() - 1
                });
                let p = &mut pats[idx].1;
                if p.cands.iter().any(|c| c.kind == cand.kind && c.entry == cand.entry) {
                    continue;
                }
                p.cands.push(cand);
            }
        };
        for (i, a) in lex.actors.iter().enumerate() {
            let cand = Cand {
                kind: MatchKind::Actor,
                entry: i as u32,
                country: current_code(&a.codes).country,
                population: 0,
            };
            for n in &a.ar {
                add(normalize(n), cand);
            }
            // English aliases only when distinctive: two words or five letters at least.
            for n in &a.en {
                if n.contains(' ') || n.chars().count() >= 5 {
                    add(normalize(n), cand);
                }
            }
        }
        for (i, c) in lex.countries.iter().enumerate() {
            let mk = |kind| Cand { kind, entry: i as u32, country: Some(c.code), population: 0 };
            for n in &c.ar {
                add(normalize(n), mk(MatchKind::Country));
            }
            for n in &c.capitals {
                add(normalize(n), mk(MatchKind::Capital));
            }
            for a in &c.adj {
                for f in nationality_forms(a) {
                    add(f, mk(MatchKind::Nationality));
                }
            }
            for n in &c.adj_extra {
                add(normalize(n), mk(MatchKind::Nationality));
            }
        }
        for (i, a) in lex.agents.iter().enumerate() {
            let cand = Cand { kind: MatchKind::Agent, entry: i as u32, country: a.code.country, population: 0 };
            for f in agent_forms(&a.forms) {
                add(f, cand);
            }
        }
        for (i, p) in lex.places.iter().enumerate() {
            let cand =
                Cand { kind: MatchKind::Place, entry: i as u32, country: Some(p.country), population: p.population };
            for n in &p.ar {
                add(normalize(n), cand);
            }
        }
        for (_, p) in pats.iter_mut() {
            // Stable: equal ranks keep file order (hand-written first); places by population.
            p.cands.sort_by_key(|c| (kind_rank(c.kind), std::cmp::Reverse(c.population)));
        }
        let names = KeyTable::new(pats.iter().map(|(k, _)| k.as_str()), is_word_char, FIRST_WORD_BITS);
        let mut modifiers = HashMap::default();
        for m in &lex.modifiers {
            for f in m.forms.iter().flat_map(|f| nationality_forms(f)) {
                modifiers.entry(f).or_insert(m.code.role);
            }
        }
        let short_forms =
            lex.actors.iter().filter(|a| !a.short.is_empty()).map(|a| (a.id.as_str(), a.short.as_slice())).collect();
        ActorMatcher { lex, names, patterns: pats.into_iter().map(|(_, p)| p).collect(), modifiers, short_forms }
    }

    /// The short forms of actor `id` (`كيم` for `kim-jong-un`): a bare name of one of them, after the actor is
    /// named in an article, is the same actor. Empty for an unknown id.
    pub fn short_forms(&self, id: &str) -> &'l [String] {
        self.short_forms.get(id).copied().unwrap_or(&[])
    }

    /// The lexicon this matcher was built from.
    pub fn lexicon(&self) -> &'l Lexicon {
        self.lex
    }

    /// Number of distinct normalised names (including `لل` variants).
    pub fn pattern_count(&self) -> usize {
        self.patterns.len()
    }

    /// Longest pattern starting at `at` (a word character) whose first word ends at `first_end`, and that ends
    /// at a word end (an elided pattern only `after_lam`): (end, pattern index). What [`ActorMatcher::find`]
    /// does at one start, for the tests that compare it with the automaton the name table replaced.
    #[cfg(test)]
    fn longest_at(&self, norm: &str, at: usize, first_end: usize, after_lam: bool) -> Option<(usize, usize)> {
        let h = key_hash(norm.as_bytes().get(at..first_end)?);
        if !self.names.may_start(h) {
            return None;
        }
        self.longest_from(norm, at, first_end, h, after_lam)
    }

    /// The longest pattern from `at` (see [`ActorMatcher::longest_at`]), for a start whose first word
    /// (`at..first_end`, hashing to `first_hash`) is in the first-word set.
    ///
    /// Walks the text from one word end to the next (every place whose next character is not a word character)
    /// while some name continues the text so far, looking each prefix up in the name table.
    fn longest_from(
        &self,
        norm: &str,
        at: usize,
        first_end: usize,
        first_hash: u64,
        after_lam: bool,
    ) -> Option<(usize, usize)> {
        let b = norm.as_bytes();
        let mut best = None;
        let (mut e, mut h) = (first_end, first_hash);
        loop {
            if e - at > self.names.max_len() {
                break;
            }
            let key = b.get(at..e).unwrap_or(&[]);
            let Some(found) = self.names.get(h, key) else { break };
            if let Some(p) = found.pattern.map(|p| p as usize) {
                if !self.patterns.get(p).is_some_and(|x| x.elided) || after_lam {
                    best = Some((e, p));
                }
            }
            if !found.more || e >= b.len() {
                break;
            }
            // The non-word character at the word end, then the next word.
            e = word_end(norm, e + word_char_at(norm, e).1);
            h = key_hash(b.get(at..e).unwrap_or(&[]));
        }
        best
    }

    /// Finds every dictionary name in normalised text. `date` selects dated roles. Appends to `out`
    /// (which is not cleared) in text order; matches never overlap.
    ///
    /// Word by word: the word (and the word minus each possible clitic prefix) is tested against a small
    /// bit set of names' first words; only on a hit is the name table walked (see [`KeyTable`]).
    pub fn find(&self, norm: &str, date: Option<Ymd>, out: &mut Vec<ActorMatch>) {
        let first = out.len();
        // Every place a name may start, in text order: a word start, or after a clitic prefix, where the rest of
        // the word is in the first-word set.
        // Sized for a start every 16 bytes (ANT articles have one every 20 to 30): one allocation.
        let mut starts: Vec<Start> = Vec::with_capacity(norm.len() / 16 + 1);
        let b = norm.as_bytes();
        let mut i = 0;
        while i < b.len() {
            let (w, n) = word_char_at(norm, i);
            if !w {
                i += n.max(1);
                continue;
            }
            // A word runs from i to j.
            let j = word_end(norm, i + n);
            let mut add = |at: usize, after_lam: bool| {
                if let Some(word) = b.get(at..j).filter(|w| !w.is_empty()) {
                    let hash = key_hash(word);
                    if self.names.may_start(hash) {
                        starts.push(Start { word: i, at, end: j, after_lam, hash });
                    }
                }
            };
            add(i, false);
            // Clitic prefixes [و|ف]? [ب|ل|ك]? (each letter two bytes).
            let letter = |at: usize| b.get(at..at + 2).unwrap_or(&[]);
            let mut at = i;
            if letter(at) == "و".as_bytes() || letter(at) == "ف".as_bytes() {
                at += 2;
                add(at, false);
            }
            let p = letter(at);
            if p == "ب".as_bytes() || p == "ل".as_bytes() || p == "ك".as_bytes() {
                add(at + 2, p == "ل".as_bytes());
            }
            i = j;
        }
        // The table slots the first look-ups will read, in one sweep of independent loads: the memory system
        // serves them together instead of one cache miss per start.
        let touch = starts.iter().fold(0u32, |t, s| t ^ self.names.touch(s.hash));
        std::hint::black_box(touch);
        // Word by word: the longest name from any of the word's starts (the first tried on a tie); a name's
        // words start no other.
        let mut pidx: Vec<usize> = Vec::new();
        let mut reached = 0;
        let mut k = 0;
        while let Some(s0) = starts.get(k) {
            let word = s0.word;
            let group = starts[k..].iter().take_while(|s| s.word == word).count();
            if word >= reached {
                let mut best: Option<(usize, usize, usize)> = None; // (end, pattern, name start)
                for s in &starts[k..k + group] {
                    if let Some((end, p)) = self.longest_from(norm, s.at, s.end, s.hash, s.after_lam) {
                        if best.is_none_or(|(e, _, _)| end > e) {
                            best = Some((end, p, s.at));
                        }
                    }
                }
                if let Some((end, p, s)) = best {
                    out.push(ActorMatch {
                        norm: s..end,
                        prefix: s - word,
                        kind: MatchKind::Place,
                        entry: 0,
                        country: None,
                        role: None,
                        role2: None,
                        combined: None,
                    });
                    pidx.push(p);
                    reached = end;
                }
            }
            k += group;
        }
        self.resolve(&mut out[first..], &pidx, date);
        self.combine(norm, out, first);
    }

    /// Chooses a candidate for every match (see the module rules) and fills in codes.
    fn resolve(&self, ms: &mut [ActorMatch], pidx: &[usize], date: Option<Ymd>) {
        // Candidates are sorted by kind rank with places last: the best tier is the non-place prefix, or all.
        let tier = best_tier;
        // Countries named unambiguously in this text.
        let mut context: Vec<Country> = Vec::new();
        for &p in pidx {
            let t = tier(&self.patterns[p]);
            let mut cs = t.iter().filter_map(|c| c.country);
            if let Some(first) = cs.next() {
                if cs.all(|c| c == first) && !context.contains(&first) {
                    context.push(first);
                }
            }
        }
        for (m, &p) in ms.iter_mut().zip(pidx) {
            let t = tier(&self.patterns[p]);
            let chosen =
                t.iter().find(|c| c.country.is_some_and(|k| context.contains(&k))).or_else(|| t.first()).copied();
            let Some(c) = chosen else { continue };
            m.kind = c.kind;
            m.entry = c.entry;
            let code = self.code_of(c.kind, c.entry, date, false).0;
            m.country = code.country;
            m.role = code.role;
            m.role2 = code.role2;
        }
    }

    /// The code of an entry, and why (the reason only when `explain`: matching does not read it).
    fn code_of(&self, kind: MatchKind, entry: u32, date: Option<Ymd>, explain: bool) -> (Code, String) {
        let e = entry as usize;
        let why = |f: &dyn Fn() -> String| if explain { f() } else { String::new() };
        match kind {
            MatchKind::Actor => match self.lex.actors.get(e) {
                Some(a) => resolve_dated(&a.codes, date, explain),
                None => (Code::default(), String::new()),
            },
            MatchKind::Country | MatchKind::Nationality => {
                let country = self.lex.countries.get(e).map(|c| c.code);
                (Code { country, role: None, role2: None }, why(&|| format!("{kind:?} of {}", fmt_opt(country))))
            }
            MatchKind::Capital => {
                let country = self.lex.countries.get(e).map(|c| c.code);
                (
                    Code { country, role: Some(Role::GOV), role2: None },
                    why(&|| format!("seat of government of {}, standing for its government", fmt_opt(country))),
                )
            }
            MatchKind::Agent => match self.lex.agents.get(e) {
                Some(a) => (a.code, why(&|| format!("role noun ({})", a.note))),
                None => (Code::default(), String::new()),
            },
            MatchKind::Place => {
                let country = self.lex.places.get(e).map(|p| p.country);
                (Code { country, role: None, role2: None }, why(&|| "place".to_string()))
            }
        }
    }

    /// Agent + nationality/country → one match (the agent's roles, the nationality's country), also across
    /// modifier adjectives (`مسؤولون أمنيون عراقيون`); instruments after `ب` and adjectival forms after an
    /// unknown definite noun are dropped (see the module rules).
    fn combine(&self, norm: &str, out: &mut Vec<ActorMatch>, first: usize) {
        let mut w = first;
        let mut r = first;
        while r < out.len() {
            let mut m = out[r].clone();
            if m.kind == MatchKind::Agent
                && (self.is_instrument(norm, &m) || self.is_adjective(norm, out, first, w, &m))
            {
                r += 1;
                continue;
            }
            if m.kind == MatchKind::Agent {
                // Modifier adjectives after the noun; matches inside them are consumed.
                let (mut end, mut role) = (m.norm.end, None);
                let mut q = r + 1;
                while let Some((word_end, imposed)) = self.modifier_after(norm, end) {
                    end = word_end;
                    role = imposed.or(role);
                    while q < out.len() && out[q].norm.start < end {
                        q += 1;
                    }
                }
                // `الجيش العراقي`, `قوات العراق`; and `الحكومة في تايلاند`: an agent placed in a country is of it.
                let next = out.get(q).filter(|n| {
                    let gap = norm.get(end..n.norm.start);
                    n.prefix == 0
                        && (gap.is_some_and(|g| g == " ")
                            && matches!(n.kind, MatchKind::Nationality | MatchKind::Country)
                            || gap.is_some_and(|g| g == " في ") && n.kind == MatchKind::Country)
                });
                if let Some(n) = next {
                    m.norm.end = n.norm.end;
                    m.country = n.country;
                    m.combined = Some(n.entry);
                    if role.is_some() {
                        m.role = role;
                        m.role2 = None;
                    }
                    out[w] = m;
                    w += 1;
                    r = q + 1;
                    continue;
                }
                if role.is_some() && end > m.norm.end {
                    m.norm.end = end;
                    m.role = role;
                    m.role2 = None;
                    out[w] = m;
                    w += 1;
                    r = q;
                    continue;
                }
            }
            let needs_country =
                m.kind == MatchKind::Agent && self.lex.agents.get(m.entry as usize).is_some_and(|a| a.needs_country);
            if !needs_country {
                out[w] = m;
                w += 1;
            }
            r += 1;
        }
        out.truncate(w);
    }

    /// A modifier adjective right after `at` (one space between): its end and the role it imposes.
    fn modifier_after(&self, norm: &str, at: usize) -> Option<(usize, Option<Role>)> {
        let rest = norm.get(at..)?.strip_prefix(' ')?;
        let len = rest.char_indices().find(|&(_, c)| !is_word_char(c)).map_or(rest.len(), |(i, _)| i);
        let role = *self.modifiers.get(&rest[..len])?;
        Some((at + 1 + len, role))
    }

    /// A weapon or vehicle noun after an instrumental `ب` (`بطائرة أمريكية`).
    fn is_instrument(&self, norm: &str, m: &ActorMatch) -> bool {
        let prefix = norm.get(m.norm.start - m.prefix..m.norm.start).unwrap_or("");
        let text = norm.get(m.norm.clone()).unwrap_or("");
        let first = text.split(' ').next().unwrap_or("");
        prefix.contains('ب') && self.lex.instruments.contains(first)
    }

    /// An adjectival form right after a definite word that is not itself a match (`الجماعات المعارضة`).
    /// `kept` ends the matches already accepted (`out[first..kept]`).
    fn is_adjective(&self, norm: &str, out: &[ActorMatch], first: usize, kept: usize, m: &ActorMatch) -> bool {
        if m.prefix != 0 || !self.lex.adjectival.contains(norm.get(m.norm.clone()).unwrap_or("")) {
            return false;
        }
        let Some(before) = norm.get(..m.norm.start).and_then(|b| b.strip_suffix(' ')) else {
            return false;
        };
        let start = before.char_indices().rev().find(|&(_, c)| !is_word_char(c)).map_or(0, |(i, c)| i + c.len_utf8());
        let word = &before[start..];
        let known = out[first..kept].last().is_some_and(|p| p.norm.end == before.len());
        word.starts_with("ال") && word.chars().count() > 3 && !known
    }

    /// A readable name for a match's entry.
    pub fn name(&self, m: &ActorMatch) -> &'l str {
        let e = m.entry as usize;
        let lex = self.lex;
        let s = match m.kind {
            MatchKind::Actor => lex.actors.get(e).and_then(|a| a.en.first().or(a.ar.first())),
            MatchKind::Country | MatchKind::Capital | MatchKind::Nationality => {
                lex.countries.get(e).and_then(|c| c.en.first())
            }
            MatchKind::Agent => lex.agents.get(e).map(|a| &a.note),
            MatchKind::Place => lex.places.get(e).map(|p| &p.name),
        };
        s.map(String::as_str).unwrap_or("")
    }

    /// What a phrase resolves to and why (for `rasid dict lookup`). The phrase is normalised first.
    pub fn lookup(&self, text: &str, date: Option<Ymd>) -> Vec<Explanation> {
        let norm = normalize(text);
        let mut ms = Vec::new();
        self.find(&norm, date, &mut ms);
        let lex = self.lex;
        ms.iter()
            .map(|m| {
                let e = m.entry as usize;
                let (_, mut why) = self.code_of(m.kind, m.entry, date, true);
                let (id, source) = match m.kind {
                    MatchKind::Actor => lex.actors.get(e).map(|a| (a.id.clone(), a.src.clone())),
                    MatchKind::Country | MatchKind::Capital | MatchKind::Nationality => {
                        lex.countries.get(e).map(|c| (c.code.to_string(), c.src.clone()))
                    }
                    MatchKind::Agent => lex.agents.get(e).map(|a| (a.note.clone(), a.src.clone())),
                    MatchKind::Place => lex.places.get(e).map(|p| (p.geonameid.to_string(), p.src.clone())),
                }
                .unwrap_or_else(|| (String::new(), Source { file: String::new(), line: 0 }));
                if let Some(c) = m.combined.and_then(|c| lex.countries.get(c as usize)) {
                    why.push_str(&format!(", combined with the following nationality or country {}", c.code));
                }
                if m.prefix > 0 {
                    why.push_str(&format!(
                        ", after the clitic prefix `{}`",
                        &norm[m.norm.start - m.prefix..m.norm.start]
                    ));
                }
                Explanation {
                    text: norm[m.norm.clone()].to_string(),
                    kind: m.kind,
                    id,
                    name: self.name(m).to_string(),
                    code: Code { country: m.country, role: m.role, role2: m.role2 },
                    source,
                    why,
                }
            })
            .collect()
    }
}

impl Lexicon {
    /// What a phrase resolves to and why (builds a matcher; use [`ActorMatcher::lookup`] for many phrases).
    pub fn lookup(&self, text: &str, date: Option<Ymd>) -> Vec<Explanation> {
        ActorMatcher::new(self).lookup(text, date)
    }
}

/// Candidates are sorted by kind rank with places last: the best tier is the non-place prefix, or all.
fn best_tier(p: &Pattern) -> &[Cand] {
    let strong = p.cands.iter().take_while(|c| c.kind != MatchKind::Place).count();
    if strong == 0 {
        &p.cands
    } else {
        &p.cands[..strong]
    }
}

fn fmt_opt(c: Option<Country>) -> String {
    c.map(|c| c.to_string()).unwrap_or_else(|| "-".to_string())
}

/// The role of a dated entry on `date` (see the module rules), with the reason when `explain`.
fn resolve_dated(codes: &[DatedCode], date: Option<Ymd>, explain: bool) -> (Code, String) {
    let why = |f: &dyn Fn() -> String| if explain { f() } else { String::new() };
    match date {
        Some(d) => {
            if let Some(c) = codes.iter().find(|c| !c.is_undated() && c.covers(d)) {
                return (c.code, why(&|| format!("role {c} covers {d}")));
            }
            if let Some(c) = codes.iter().find(|c| c.is_undated()) {
                return (c.code, why(&|| format!("undated role {}", c.code)));
            }
            // No role on that day: keep the country only when every role agrees on it.
            let country = codes.first().and_then(|c| c.code.country);
            let same = codes.iter().all(|c| c.code.country == country);
            let code = Code { country: if same { country } else { None }, role: None, role2: None };
            let list = || codes.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ");
            (code, why(&|| format!("no role covers {d} (roles: {})", list())))
        }
        None => {
            let code = current_code(codes);
            (code, why(&|| format!("no date given: current role {code}")))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compound_names_with_abd_are_also_matched_joined() {
        assert_eq!(joined_abd("عبد الله الثاني").as_deref(), Some("عبدالله الثاني"));
        assert_eq!(joined_abd("محمد عبد العزيز عبد الله").as_deref(), Some("محمد عبدالعزيز عبدالله"));
        assert_eq!(joined_abd("عبد"), None);
        assert_eq!(joined_abd("حزب الله"), None);
    }

    #[test]
    fn nationality_inflection() {
        let f = nationality_forms("عراقي");
        for want in ["عراقي", "العراقيه", "العراقيون", "العراقيين", "العراقيات", "عراقيين", "عراقيتين"]
        {
            assert!(f.iter().any(|x| x == want), "{want} missing from {f:?}");
        }
        let f = nationality_forms("كوري شمالي");
        assert!(f.iter().any(|x| x == "الكوريه الشماليه"));
    }

    #[test]
    fn agent_forms_add_article() {
        let f = agent_forms(&["جنود".to_string(), "قوات الأمن".to_string(), "الشرطة".to_string()]);
        assert_eq!(f, vec!["الجنود", "جنودا", "جنود", "قوات الامن", "الشرطه"]);
        let f = agent_forms(&["مسلحون".to_string(), "مقاتلين".to_string(), "شرطه".to_string()]);
        assert_eq!(f, vec!["المسلحون", "مسلحو", "مسلحون", "المقاتلين", "مقاتلي", "مقاتلين", "الشرطه", "شرطه"]);
    }

    #[test]
    fn dated_resolution() {
        let known = |_| true;
        let codes = vec![
            DatedCode {
                code: Code::parse("IRQGOV", known).unwrap(),
                from: Ymd::new(2005, 4, 7),
                to: Ymd::new(2014, 7, 24),
            },
            DatedCode { code: Code::parse("IRQPTY", known).unwrap(), from: Ymd::new(2014, 7, 25), to: None },
        ];
        assert_eq!(resolve_dated(&codes, Ymd::new(2010, 1, 1), true).0.role, Some(Role::GOV));
        assert_eq!(resolve_dated(&codes, Ymd::new(2020, 1, 1), true).0.role, Some(Role::PTY));
        let (c, why) = resolve_dated(&codes, Ymd::new(1999, 1, 1), true);
        assert_eq!((c.country.map(|c| c.to_string()), c.role), (Some("IRQ".into()), None));
        assert!(why.contains("no role covers"));
        assert_eq!(resolve_dated(&codes, None, true).0.role, Some(Role::PTY));
    }

    /// The names of the table by pattern index (every pattern is a key).
    fn pattern_keys(t: &KeyTable) -> Vec<String> {
        let keys = t.patterns();
        assert!(keys.iter().enumerate().all(|(i, (p, _))| *p as usize == i), "pattern indices run 0..n");
        keys.into_iter().map(|(_, k)| k.to_string()).collect()
    }

    /// The search the name table replaced: an anchored leftmost-longest Aho-Corasick automaton over every
    /// name, searched again ending at the last word end before a candidate that ends inside a word or is an
    /// elided name not `after_lam`.
    struct Reference {
        ac: aho_corasick::AhoCorasick,
        elided: Vec<bool>,
    }

    impl Reference {
        fn new(m: &ActorMatcher<'_>) -> Reference {
            let ac = aho_corasick::AhoCorasickBuilder::new()
                .match_kind(aho_corasick::MatchKind::LeftmostLongest)
                .start_kind(aho_corasick::StartKind::Anchored)
                .build(pattern_keys(&m.names))
                .unwrap();
            Reference { ac, elided: m.patterns.iter().map(|p| p.elided).collect() }
        }

        fn longest_at(&self, norm: &str, at: usize, after_lam: bool) -> Option<(usize, usize)> {
            let ends_word = |at: usize| norm[at..].chars().next().is_none_or(|c| !is_word_char(c));
            let mut limit = norm.len();
            loop {
                let input = aho_corasick::Input::new(norm).span(at..limit).anchored(aho_corasick::Anchored::Yes);
                let m = self.ac.find(input)?;
                let (end, p) = (m.end(), m.pattern().as_usize());
                if ends_word(end) && (!self.elided[p] || after_lam) {
                    return Some((end, p));
                }
                let cut = norm[..end].char_indices().rev().find(|&(_, c)| !is_word_char(c)).map(|(i, _)| i)?;
                if cut <= at {
                    return None;
                }
                limit = cut;
            }
        }
    }

    /// Compares the name table with the reference at every word character of `norm` (the first-word set
    /// only skips starts the reference finds nothing at).
    fn same_as_reference(m: &ActorMatcher<'_>, r: &Reference, norm: &str) {
        for (s, c) in norm.char_indices() {
            if !is_word_char(c) {
                continue;
            }
            let j = word_end(norm, s);
            for after_lam in [false, true] {
                assert_eq!(
                    m.longest_at(norm, s, j, after_lam),
                    r.longest_at(norm, s, after_lam),
                    "at {s} (after_lam {after_lam}) in `{norm}`"
                );
            }
        }
    }

    #[test]
    fn name_table_finds_what_the_automaton_found() {
        let m = ActorMatcher::bundled();
        let r = Reference::new(m);
        let samples = include_str!("../../../samples/mosul-checkpoint.ar.txt");
        same_as_reference(m, &r, &normalize(samples));
        // Every name, alone, cut short, run on into a word, elided, and followed by punctuation.
        for k in pattern_keys(&m.names).iter().step_by(7) {
            let cut = k.char_indices().nth(k.chars().count() / 2).map_or(0, |(i, _)| i);
            let text = format!("{k} و{k}ية لل{k}، {}ا {k}.", &k[..cut]);
            same_as_reference(m, &r, &text);
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]
        /// Text made of names' words, clitics and punctuation: the name table and the reference agree.
        #[test]
        fn name_table_equals_reference(picks in proptest::collection::vec((0usize..100_000, 0usize..8), 1..24)) {
            static WORDS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
            static REFERENCE: std::sync::OnceLock<Reference> = std::sync::OnceLock::new();
            let m = ActorMatcher::bundled();
            let words = WORDS.get_or_init(|| {
                let mut w: Vec<String> =
                    pattern_keys(&m.names).iter().flat_map(|k| k.split(' ').map(str::to_string)).collect();
                w.sort();
                w.dedup();
                w
            });
            let r = REFERENCE.get_or_init(|| Reference::new(m));
            let mut text = String::new();
            for (w, sep) in picks {
                text.push_str(["و", "", "لل", "ب", "", "ال", "", "x"][sep]);
                text.push_str(&words[w % words.len()]);
                text.push_str([" ", " ", " ", "، ", "-", ". ", " ", "  "][sep]);
            }
            same_as_reference(m, r, &text);
            // And the whole search: word by word, the longest name from the word or after a clitic prefix.
            let mut want = Vec::new();
            let mut i = 0;
            while i < text.len() {
                let (w, n) = word_char_at(&text, i);
                if !w {
                    i += n.max(1);
                    continue;
                }
                let j = word_end(&text, i + n);
                let mut best: Option<(usize, usize)> = None;
                let mut at = i;
                let mut starts = vec![(i, false)];
                if text[at..].starts_with(['و', 'ف']) {
                    at += 2;
                    starts.push((at, false));
                }
                if text[at..].starts_with(['ب', 'ل', 'ك']) {
                    starts.push((at + 2, text[at..].starts_with('ل')));
                }
                for (s, after_lam) in starts {
                    if let Some((end, _)) = r.longest_at(&text, s, after_lam).filter(|_| s < j) {
                        if best.is_none_or(|(e, _)| end > e) {
                            best = Some((end, s));
                        }
                    }
                }
                match best {
                    Some((end, s)) => {
                        want.push((s - i, s..end));
                        i = end;
                    }
                    None => i = j,
                }
            }
            let mut got = Vec::new();
            m.find(&text, None, &mut got);
            // Agents combined with a following nationality or country grow: compare the starts.
            let got: Vec<_> = got.iter().map(|x| (x.prefix, x.norm.start)).collect();
            let want: Vec<_> = want.iter().map(|(p, r)| (*p, r.start)).collect();
            proptest::prop_assert!(got.iter().all(|g| want.contains(g)), "{got:?} vs {want:?} in `{text}`");
        }
    }
}
