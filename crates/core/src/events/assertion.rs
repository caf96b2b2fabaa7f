//! Assertion of a trigger: negation, modality (hypothetical, counterfactual, future, question) and non-event
//! senses, from cue words in `data/events/assertion.toml`, scoped to the trigger's clause.
//!
//! Words are the maximal runs of letters and digits of the normalised sentence ([`tokenize`]); a clause ends at
//! clause punctuation, at a clause-opening word, or at a coordinated trigger verb (`و` + verb, see `mod.rs`).

use super::inflect::Tense;
use super::lexicon::{Family, FormKind, LexiconError};
use rasid_lexicon::keytable::{key_hash, KeyTable};
use rasid_text::hash::{KeyFilter, WideBuild};
use rasid_text::normalize;
use rasid_text::{Token, TokenKind};
use serde::Deserialize;
use std::collections::HashMap;

/// Whether an event is asserted: the output format's type (`crate::model::Modality`), one enum for both.
pub use crate::model::Modality;

/// One word of a normalised sentence: byte range relative to the sentence slice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tok {
    pub start: usize,
    pub end: usize,
    /// True when clause punctuation separates this word from the previous one.
    pub punct_before: bool,
}

/// Strips the article (`ال`, `لل`) when at least two letters remain.
pub fn strip_article(w: &str) -> &str {
    ["ال", "لل", "بال"].iter().find_map(|p| w.strip_prefix(p).filter(|r| r.chars().count() >= 2)).unwrap_or(w)
}

/// `c.is_alphanumeric()`, answered without the Unicode tables for ASCII, the Arabic block and the punctuation
/// around Arabic text ([`rasid_text::is_alphanumeric`]), which are nearly all of a normalised sentence.
#[inline]
pub(super) fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else {
        rasid_text::is_alphanumeric(c)
    }
}

/// Quotation marks that may enclose a short name (`«كتائب القسام»`) and their closing partners.
const NAME_QUOTES: [(char, char); 2] = [('«', '»'), ('“', '”')];
/// At most this many bytes of a quoted name (about five words): a longer quotation is speech, and bounds clauses.
const NAME_QUOTE_MAX: usize = 60;

/// Longest parenthetical between two commas that [`AssertionRules::join_parentheticals`] joins, in words.
const PARENTHETICAL_MAX: usize = 4;

/// A cue form word standing for any number written in digits (`# طالب`: a count before the trigger).
pub const NUMBER_FORM: &str = "#";

/// Is word `w` of a normalised sentence a number written in digits? (Normalisation writes every digit in ASCII.)
pub(super) fn is_number(w: &str) -> bool {
    !w.is_empty() && w.bytes().all(|c| c.is_ascii_digit())
}

/// The length in bytes of the character at byte `i` of `b` when it is an ASCII letter or digit or one of the Arabic
/// block's letters (U+0621–U+064A, all word characters), told from its bytes; 0 for any other character. In UTF-8
/// those letters are exactly the byte pairs `D8 A1` to `D9 8A` read as one big-endian number (a continuation byte
/// is `80`–`BF`): one range test, with no branch on the lead byte, which Arabic text alternates at random.
#[inline(always)]
fn letter_len(b: &[u8], i: usize) -> usize {
    match (b.get(i), b.get(i + 1)) {
        (Some(&c0), Some(&c1)) if (0xD8A1..=0xD98A).contains(&u16::from_be_bytes([c0, c1])) => 2,
        (Some(&c0), _) => usize::from(c0.is_ascii_alphanumeric()),
        _ => 0,
    }
}

/// Splits a normalised sentence into words, marking clause punctuation between them. Quotation marks around a
/// short name with no clause punctuation inside (`صاروخا على «كتائب القسام»`) bound no clause.
pub fn tokenize(s: &str, clause_punct: &str, out: &mut Vec<Tok>) {
    out.clear();
    // ASCII clause punctuation as a bit set; other characters are looked up in `clause_punct`.
    let ascii_punct = clause_punct.bytes().filter(u8::is_ascii).fold(0u128, |m, b| m | (1u128 << b));
    let is_punct =
        |c: char| if c.is_ascii() { ascii_punct & (1u128 << (c as u32)) != 0 } else { clause_punct.contains(c) };
    let mut start = None;
    let mut punct = false;
    // Byte offset of the closing mark of a quoted name being read.
    let mut name_close: Option<usize> = None;
    let b = s.as_bytes();
    let mut next = 0;
    while let Some(&c0) = b.get(next) {
        let i = next;
        // ASCII letters and digits and the Arabic block's letters, nearly every character of a normalised sentence,
        // are told from their bytes, a word's run of them at once; other characters are decoded.
        let n = letter_len(b, i);
        if n > 0 {
            if start.is_none() {
                start = Some(i);
            }
            next = i + n;
            while let n @ 1.. = letter_len(b, next) {
                next += n;
            }
            continue;
        }
        let c = if c0 < 0x80 {
            char::from(c0)
        } else {
            let Some(c) = s.get(i..).and_then(|r| r.chars().next()) else { break };
            c
        };
        next = i + c.len_utf8();
        if is_word_char(c) {
            if start.is_none() {
                start = Some(i);
            }
        } else {
            if let Some(st) = start.take() {
                out.push(Tok { start: st, end: i, punct_before: punct });
                punct = false;
            }
            if name_close == Some(i) {
                name_close = None;
                continue;
            }
            if let Some(&(_, close)) = NAME_QUOTES.iter().find(|q| q.0 == c) {
                // The first closing mark or clause punctuation after the opening one, within reach of a name.
                let inner = i + c.len_utf8();
                let stop = s[inner..]
                    .char_indices()
                    .take_while(|&(k, x)| k + x.len_utf8() <= NAME_QUOTE_MAX)
                    .find(|&(_, x)| x == close || is_punct(x));
                if let Some((k, _)) = stop.filter(|&(k, x)| x == close && k > 0) {
                    name_close = Some(inner + k);
                    continue;
                }
            }
            if is_punct(c) {
                punct = true;
            }
        }
    }
    if let Some(st) = start {
        out.push(Tok { start: st, end: s.len(), punct_before: punct });
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
enum Effect {
    Negated,
    /// The act is named as missing (`دون موافقة`, "without approval"): negated, but no refusal, so the family's
    /// `negated` type does not recode it.
    Absent,
    Hypothetical,
    Counterfactual,
    Future,
    Nonevent,
    /// The act is another type's (`plover`, `mode`, `cameo` of the cue): `أدانت المحكمة` convicts (SANCTION).
    Recode,
    /// The act needs one of the cue's forms in scope; without one it is a non-event (`حذر` is a threat only when
    /// the warning names repercussions: `عواقب`, `إذا`). Only with a `group`.
    Required,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
enum Position {
    Before,
    After,
    /// Before or after, within `max_words` either side.
    Around,
    Sentence,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
enum Applies {
    Any,
    Verb,
    Noun,
    Present,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CueDef {
    name: String,
    effect: Effect,
    position: Position,
    #[serde(default = "default_max")]
    max_words: usize,
    #[serde(default = "any")]
    applies: Applies,
    group: Option<String>,
    #[serde(default)]
    stop_at_clause: Option<bool>,
    forms: Vec<String>,
    /// Words that, right before a form, keep the cue from firing (`قبل أن يلتقي`: a past act told in order).
    #[serde(default)]
    not_after: Vec<String>,
    /// `recode` only: the type, mode and CAMEO code the act takes.
    plover: Option<String>,
    mode: Option<String>,
    cameo: Option<String>,
}

fn default_max() -> usize {
    4
}
fn any() -> Applies {
    Applies::Any
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileDef {
    clause_punct: String,
    question_marks: String,
    clause_words: Vec<String>,
    conjunction_prefixes: Vec<String>,
    #[serde(default)]
    parenthetical_words: Vec<String>,
    #[serde(default)]
    parenthetical_phrases: Vec<String>,
    #[serde(default)]
    context: std::collections::BTreeMap<String, Vec<String>>,
    cue: Vec<CueDef>,
    #[serde(default)]
    domain: Vec<DomainDef>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DomainDef {
    name: String,
    senses: Vec<String>,
    keep_roles: Vec<String>,
    #[serde(default = "countries_may_be_teams")]
    country_teams: bool,
    min_forms: usize,
    min_share: f64,
    forms: Vec<String>,
}

fn countries_may_be_teams() -> bool {
    true
}

/// An article domain (`[[domain]]`): an article whose body holds at least `min_forms` distinct forms of the list,
/// their occurrences at least `min_share` of its words, is a report of that domain (a sports report). There a
/// trigger of a family with one of `senses` is a non-event unless its source or target holds a role of
/// `keep_roles` (a head of state meeting another at a match is still a meeting). With `country_teams` a country
/// named beside a form of the domain may be a player of it (a team); without, a country is always a state.
#[derive(Debug, Clone)]
pub struct Domain {
    pub name: String,
    pub senses: Vec<String>,
    pub keep_roles: Vec<String>,
    pub country_teams: bool,
    min_forms: usize,
    min_share: f64,
}

impl Domain {
    /// Does an actor with role `role` (and a transnational code in `role`, as the lexicon writes it) keep an event
    /// of this domain?
    pub fn keeps(&self, role: Option<&str>) -> bool {
        role.is_some_and(|r| self.keep_roles.iter().any(|k| k == r))
    }
}

/// The domains an article belongs to, as bits of [`AssertionRules`]' domain list (at most 32 domains).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Domains(u32);

impl Domains {
    /// Whether domain `i` of the list is among them.
    pub fn contains(self, i: usize) -> bool {
        i < 32 && self.0 & (1 << i) != 0
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }
}

/// An article's domains as the detector gets them: known, or found from the body's words the first time a
/// trigger needs them (most articles never do, and the count reads every word).
#[derive(Debug, Clone, Copy)]
pub enum ArticleDomains<'n> {
    Known(Domains),
    Lazy(&'n LazyDomains<'n>),
}

impl Default for ArticleDomains<'_> {
    fn default() -> Self {
        ArticleDomains::Known(Domains::default())
    }
}

/// An article's tokens ([`rasid_text::Tokenizer`] over its normalised text), its body sentences (byte ranges,
/// in order), and its domains once found.
#[derive(Debug)]
pub struct LazyDomains<'n> {
    tokens: &'n [Token],
    sentences: Vec<std::ops::Range<usize>>,
    found: std::cell::OnceCell<Domains>,
}

impl<'n> LazyDomains<'n> {
    pub fn new(tokens: &'n [Token], sentences: Vec<std::ops::Range<usize>>) -> LazyDomains<'n> {
        LazyDomains { tokens, sentences, found: std::cell::OnceCell::new() }
    }
}

impl ArticleDomains<'_> {
    /// The domains of the article whose normalised text is `text`, found now if they are not yet.
    pub fn get(self, rules: &AssertionRules, text: &str) -> Domains {
        match self {
            ArticleDomains::Known(d) => d,
            ArticleDomains::Lazy(l) => *l.found.get_or_init(|| {
                let mut words = Vec::new();
                body_words(l.tokens, &l.sentences, &mut words);
                rules.article_domains(text, &words)
            }),
        }
    }
}

/// The words (tokens other than punctuation and symbols) of `tokens` that lie inside `sentences` (both in text
/// order), as [`Tok`]s of the text.
pub fn body_words(tokens: &[Token], sentences: &[std::ops::Range<usize>], out: &mut Vec<Tok>) {
    out.clear();
    let mut sentence = sentences.iter().peekable();
    for t in tokens.iter().filter(|t| !matches!(t.kind, TokenKind::Punct | TokenKind::Symbol)) {
        let r = t.norm();
        while sentence.next_if(|s| s.end <= r.start).is_some() {}
        match sentence.peek() {
            Some(s) if s.start <= r.start && r.end <= s.end => {
                out.push(Tok { start: r.start, end: r.end, punct_before: false })
            }
            Some(_) => {}
            None => break,
        }
    }
}

/// Possessive pronouns a one-word domain form may carry (`مدربها`): none ends in `ه`, which may be a folded `ة`.
const DOMAIN_SUFFIXES: [&str; 4] = ["هما", "هم", "ها", "نا"];

/// Bits of the domain key table's first-word set (2^12: a few hundred keys, one in sixteen words passes).
const DOMAIN_FIRST_WORD_BITS: u32 = 12;

/// Most domains one cue file may define (the bits of [`Domains`]).
const MAX_DOMAINS: usize = 32;
/// `required` cues a lexicon may hold (one bit each while a trigger is assessed).
const MAX_REQUIRED: usize = 64;

#[derive(Debug, Clone)]
struct Cue {
    name: String,
    effect: Effect,
    position: Position,
    max_words: usize,
    applies: Applies,
    group: Option<String>,
    stop_at_clause: bool,
    forms: Vec<Vec<String>>,
    /// Normalised words that, right before a form (with or without a conjunction), keep the cue from firing.
    not_after: Vec<String>,
    recode: Option<Recoding>,
}

impl Cue {
    /// Does the cue apply to a trigger of form `kind` in `family` (its `applies`, and its sense group among the
    /// family's `senses`)?
    fn binds(&self, kind: FormKind, family: &Family) -> bool {
        let applies = match self.applies {
            Applies::Any => true,
            Applies::Verb => kind.is_verb() || kind == FormKind::Phrase,
            Applies::Noun => kind == FormKind::Noun,
            Applies::Present => kind == FormKind::Verb(Tense::Present),
        };
        applies && self.group.as_ref().is_none_or(|g| family.senses.iter().any(|x| x == g))
    }
}

/// The type a `recode` cue gives an act.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recoding {
    pub plover: &'static str,
    pub mode: Option<String>,
    pub cameo: Option<String>,
}

/// The compiled cue rules.
#[derive(Debug, Clone)]
pub struct AssertionRules {
    pub clause_punct: String,
    question_marks: String,
    clause_words: HashMap<String, (), WideBuild>,
    /// In front of `clause_words` and `first`: most words of a sentence are neither, told by one bit each.
    clause_filter: KeyFilter,
    first_filter: KeyFilter,
    /// Words any short run of which, alone between two commas, is a time parenthetical (`، الجمعة،`).
    parenthetical_words: HashMap<String, (), WideBuild>,
    /// Phrases that, alone between two commas, are a parenthetical (`، في بيان،`).
    parenthetical_phrases: Vec<Vec<String>>,
    conj: Vec<String>,
    cues: Vec<Cue>,
    /// Indices of the `required` cues (at most [`MAX_REQUIRED`]).
    required: Vec<usize>,
    /// First word of a cue form → (cue, form) indices.
    first: HashMap<String, Vec<(usize, usize)>, WideBuild>,
    /// Context word (article and conjunction stripped) → names of its groups (filter features only).
    context: HashMap<String, Vec<String>, WideBuild>,
    domains: Vec<Domain>,
    /// Every domain form's domain index.
    domain_forms: Vec<usize>,
    /// Every written variant of every domain form (with `و`/`ف`, with a possessive on a one-word form): key `i` is
    /// a variant of form `domain_variants[i]`.
    domain_keys: KeyTable,
    domain_variants: Vec<usize>,
}

/// The verdict on one trigger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assertion {
    pub negated: bool,
    /// The negation names the act as missing (an `absent` cue), not refused.
    pub absent: bool,
    pub modality: Modality,
    /// Name of the sense cue that makes this trigger a non-event (sport, metaphor, generic …).
    pub nonevent: Option<String>,
    /// The `recode` cue (index, see [`AssertionRules::recoding`]) that gives the act another type: the first that
    /// applies.
    pub recode: Option<usize>,
    pub reasons: Vec<String>,
}

impl AssertionRules {
    /// Parses the TOML cue file (`file` names it in errors).
    pub fn from_toml(file: &str, text: &str) -> Result<AssertionRules, LexiconError> {
        let def: FileDef =
            toml::from_str(text).map_err(|e| LexiconError::Parse { file: file.into(), message: e.to_string() })?;
        let mut cues = Vec::new();
        let mut first: HashMap<String, Vec<(usize, usize)>, WideBuild> = HashMap::default();
        for c in def.cue {
            let forms: Vec<Vec<String>> = c
                .forms
                .iter()
                .map(|f| normalize(f).split_whitespace().map(str::to_owned).collect::<Vec<_>>())
                .filter(|v: &Vec<String>| !v.is_empty())
                .collect();
            if forms.is_empty() {
                return Err(LexiconError::Invalid {
                    file: file.into(),
                    family: c.name,
                    message: "cue without forms".into(),
                });
            }
            let recode = match (c.effect, &c.plover) {
                (Effect::Recode, Some(t)) => {
                    let plover = super::lexicon::PLOVER_TYPES.iter().find(|x| **x == t.as_str()).copied();
                    let Some(plover) = plover else {
                        return Err(LexiconError::Invalid {
                            file: file.into(),
                            family: c.name,
                            message: format!("`{t}` is no PLOVER type"),
                        });
                    };
                    Some(Recoding { plover, mode: c.mode.clone(), cameo: c.cameo.clone() })
                }
                (Effect::Recode, None) | (_, Some(_)) => {
                    return Err(LexiconError::Invalid {
                        file: file.into(),
                        family: c.name,
                        message: "a `recode` cue, and only one, names its `plover` type".into(),
                    })
                }
                _ => None,
            };
            if c.effect == Effect::Required && c.group.is_none() {
                return Err(LexiconError::Invalid {
                    file: file.into(),
                    family: c.name,
                    message: "a `required` cue names the sense `group` of the families it binds".into(),
                });
            }
            let ci = cues.len();
            for (fi, f) in forms.iter().enumerate() {
                first.entry(f[0].clone()).or_default().push((ci, fi));
            }
            cues.push(Cue {
                stop_at_clause: c.stop_at_clause.unwrap_or(c.position != Position::Sentence),
                name: c.name,
                effect: c.effect,
                position: c.position,
                max_words: c.max_words,
                applies: c.applies,
                group: c.group,
                forms,
                not_after: c.not_after.iter().map(|w| normalize(w)).collect(),
                recode,
            });
        }
        let required: Vec<usize> = (0..cues.len()).filter(|&i| cues[i].effect == Effect::Required).collect();
        if required.len() > MAX_REQUIRED {
            return Err(LexiconError::Invalid {
                file: file.into(),
                family: "cue".into(),
                message: format!("{} `required` cues, at most {MAX_REQUIRED}", required.len()),
            });
        }
        if def.domain.len() > MAX_DOMAINS {
            return Err(LexiconError::Invalid {
                file: file.into(),
                family: "domain".into(),
                message: format!("{} domains, at most {MAX_DOMAINS}", def.domain.len()),
            });
        }
        let (mut domains, mut domain_forms) = (Vec::new(), Vec::new());
        let (mut variant_keys, mut domain_variants) = (Vec::new(), Vec::new());
        for (di, d) in def.domain.into_iter().enumerate() {
            let invalid =
                |message: String| LexiconError::Invalid { file: file.into(), family: d.name.clone(), message };
            if let Some(r) = d.keep_roles.iter().find(|r| rasid_lexicon::Role::parse(r).is_none()) {
                return Err(invalid(format!("`{r}` in keep_roles is no CAMEO role")));
            }
            if d.min_forms == 0 || !(0.0..=1.0).contains(&d.min_share) || d.senses.is_empty() {
                return Err(invalid("needs min_forms ≥ 1, min_share in 0…1 and at least one sense".into()));
            }
            for f in &d.forms {
                let words: Vec<String> = normalize(f).split_whitespace().map(str::to_owned).collect();
                let Some((first, rest)) = words.split_first() else { continue };
                let rest: String = rest.iter().map(|w| format!(" {w}")).collect();
                let suffixes: &[&str] = if rest.is_empty() { &DOMAIN_SUFFIXES } else { &[] };
                for conj in std::iter::once("").chain(def.conjunction_prefixes.iter().map(|c| c.as_str())) {
                    for suffix in std::iter::once(&"").chain(suffixes) {
                        variant_keys.push(format!("{}{first}{suffix}{rest}", normalize(conj)));
                        domain_variants.push(domain_forms.len());
                    }
                }
                domain_forms.push(di);
            }
            if domain_forms.iter().filter(|x| **x == di).count() < d.min_forms {
                return Err(invalid(format!("fewer forms than min_forms ({})", d.min_forms)));
            }
            domains.push(Domain {
                name: d.name,
                senses: d.senses,
                keep_roles: d.keep_roles,
                country_teams: d.country_teams,
                min_forms: d.min_forms,
                min_share: d.min_share,
            });
        }
        let mut context: HashMap<String, Vec<String>, WideBuild> = HashMap::default();
        for (name, words) in &def.context {
            for w in words {
                context.entry(strip_article(&normalize(w)).to_owned()).or_default().push(name.clone());
            }
        }
        let clause_words: HashMap<String, (), WideBuild> =
            def.clause_words.iter().map(|w| (normalize(w), ())).collect();
        let filter = |words: &mut dyn Iterator<Item = &String>| {
            words.fold(KeyFilter::default(), |mut f, w| {
                f.insert(w.as_bytes());
                f
            })
        };
        Ok(AssertionRules {
            context,
            clause_punct: def.clause_punct,
            question_marks: def.question_marks,
            clause_filter: filter(&mut clause_words.keys()),
            first_filter: filter(&mut first.keys()),
            clause_words,
            parenthetical_words: def.parenthetical_words.iter().map(|w| (normalize(w), ())).collect(),
            parenthetical_phrases: def
                .parenthetical_phrases
                .iter()
                .map(|p| normalize(p).split_whitespace().map(str::to_owned).collect::<Vec<_>>())
                .filter(|p| !p.is_empty())
                .collect(),
            conj: def.conjunction_prefixes.iter().map(|w| normalize(w)).collect(),
            cues,
            required,
            first,
            domains,
            domain_forms,
            domain_keys: KeyTable::new(variant_keys.iter().map(String::as_str), is_word_char, DOMAIN_FIRST_WORD_BITS),
            domain_variants,
        })
    }

    /// The article domains of the list.
    pub fn domains(&self) -> &[Domain] {
        &self.domains
    }

    /// The domains of an article from the words of its body (`words`: [`body_words`] of its normalised `text`). A
    /// form counts once per occurrence, also with a conjunction (`والمباراة`) or, a one-word form, with a possessive
    /// that cannot be a folded `ة` (`مدربها`).
    pub fn article_domains(&self, text: &str, words: &[Tok]) -> Domains {
        if self.domains.is_empty() {
            return Domains::default();
        }
        let mut seen = vec![false; self.domain_forms.len()];
        let mut distinct = vec![0usize; self.domains.len()];
        let mut hits = vec![0usize; self.domains.len()];
        for i in 0..words.len() {
            self.domain_forms_at(text, words, i, |form| {
                let d = self.domain_forms[form];
                hits[d] += 1;
                if !std::mem::replace(&mut seen[form], true) {
                    distinct[d] += 1;
                }
            });
        }
        let mut out = 0u32;
        for (i, d) in self.domains.iter().enumerate() {
            if distinct[i] >= d.min_forms && hits[i] as f64 >= d.min_share * words.len() as f64 {
                out |= 1 << i;
            }
        }
        Domains(out)
    }

    /// The name of recode cue `cue` and the type it gives an act.
    pub fn recoding(&self, cue: usize) -> Option<(&str, &Recoding)> {
        let c = self.cues.get(cue)?;
        Some((c.name.as_str(), c.recode.as_ref()?))
    }

    /// Whether some domain may silence a family with `senses` (one of its senses is one of the domain's).
    pub fn may_silence(&self, senses: &[String]) -> bool {
        self.domains.iter().any(|d| d.senses.iter().any(|x| senses.contains(x)))
    }

    /// The first domain among `domains` that silences a family with `senses`, with its index.
    pub fn silencing_domain(&self, domains: Domains, senses: &[String]) -> Option<(usize, &Domain)> {
        if domains.is_empty() {
            return None;
        }
        self.domains
            .iter()
            .enumerate()
            .find(|(i, d)| domains.contains(*i) && d.senses.iter().any(|x| senses.contains(x)))
    }

    /// Does the sentence `s` (words `toks`) hold a form of domain `domain`?
    pub fn has_domain_form(&self, s: &str, toks: &[Tok], domain: usize) -> bool {
        let mut found = false;
        for i in 0..toks.len() {
            self.domain_forms_at(s, toks, i, |form| found |= self.domain_forms[form] == domain);
            if found {
                return true;
            }
        }
        false
    }

    /// Calls `hit` with every domain form (index) that words `i…` of `s` write: the word alone, then with the
    /// words after it while a longer form goes on (`كرة` → `كرة القدم`).
    fn domain_forms_at(&self, s: &str, words: &[Tok], i: usize, mut hit: impl FnMut(usize)) {
        let start = words[i].start;
        let first = s.as_bytes().get(start..words[i].end).unwrap_or_default();
        if !self.domain_keys.may_start(key_hash(first)) {
            return;
        }
        for w in &words[i..] {
            let Some(bytes) = s.as_bytes().get(start..w.end) else { return };
            let Some(found) = self.domain_keys.get(key_hash(bytes), bytes) else { return };
            if let Some(&form) = found.pattern.and_then(|p| self.domain_variants.get(p as usize)) {
                hit(form);
            }
            if !found.more {
                return;
            }
        }
    }

    /// Does a cue of sense group `group` exist?
    pub fn has_group(&self, group: &str) -> bool {
        self.cues.iter().any(|c| c.group.as_deref() == Some(group))
    }

    /// Context groups of a word (after stripping `و`/`ف` and the article).
    pub fn context_groups(&self, w: &str) -> &[String] {
        let w = self.strip_conj(w).unwrap_or(w);
        self.context.get(strip_article(w)).map_or(&[], Vec::as_slice)
    }

    /// Strips one conjunction prefix (`و`, `ف`) from a word if what remains is at least two letters.
    fn strip_conj<'a>(&self, w: &'a str) -> Option<&'a str> {
        self.conj.iter().find_map(|c| w.strip_prefix(c.as_str()).filter(|r| r.chars().count() >= 2))
    }

    /// Joins the clause around a parenthetical set off by commas (`اتهمت منظمة العفو، الجمعة، ميليشيات الحوثي`,
    /// `أعلنت الوزارة، في بيان، أن …`): a time word run of at most [`PARENTHETICAL_MAX`] words or a listed phrase
    /// between two commas bounds no clause, so the commas around it count as no punctuation. Returns whether it
    /// joined any.
    pub fn join_parentheticals(&self, s: &str, toks: &mut [Tok]) -> bool {
        let comma_before = |toks: &[Tok], i: usize| {
            i > 0 && toks[i].punct_before && {
                let gap = s.get(toks[i - 1].end..toks[i].start).unwrap_or("");
                let mut marks = gap.chars().filter(|c| !c.is_whitespace());
                matches!(marks.next(), Some('،' | ',')) && marks.next().is_none()
            }
        };
        let mut joined = false;
        let mut a = 1;
        while a < toks.len() {
            if !comma_before(toks, a) {
                a += 1;
                continue;
            }
            let Some(b) = (a + 1..toks.len().min(a + PARENTHETICAL_MAX + 1)).find(|&j| toks[j].punct_before) else {
                a += 1;
                continue;
            };
            let words = || toks[a..b].iter().map(|t| &s[t.start..t.end]);
            let parenthetical = comma_before(toks, b)
                && (words().all(|w| self.parenthetical_words.contains_key(self.strip_conj(w).unwrap_or(w)))
                    || self
                        .parenthetical_phrases
                        .iter()
                        .any(|p| p.len() == b - a && words().eq(p.iter().map(String::as_str))));
            if parenthetical {
                toks[a].punct_before = false;
                toks[b].punct_before = false;
                joined = true;
                a = b + 1;
            } else {
                a = b;
            }
        }
        joined
    }

    /// True when `w`, or `w` without its conjunction, is a clause word (`حيث`, `وقال`, `الذي` …).
    pub fn is_clause_word(&self, w: &str) -> bool {
        self.clause_word(w) || self.strip_conj(w).is_some_and(|w| self.clause_word(w))
    }

    /// Whether `w` itself is a clause word.
    #[inline]
    fn clause_word(&self, w: &str) -> bool {
        self.clause_filter.may_contain(w.as_bytes()) && self.clause_words.contains_key(w)
    }

    /// True when word `i` opens a new clause (clause word, or punctuation before it).
    pub fn opens_clause(&self, s: &str, toks: &[Tok], i: usize) -> bool {
        let Some(t) = toks.get(i) else { return false };
        if t.punct_before {
            return true;
        }
        self.clause_word(&s[t.start..t.end])
    }

    /// Does cue form `form` match the words starting at `i`? The first word may carry a conjunction.
    fn form_at(&self, s: &str, toks: &[Tok], i: usize, form: &[String]) -> bool {
        if i + form.len() > toks.len() {
            return false;
        }
        form.iter().enumerate().all(|(k, f)| {
            let w = &s[toks[i + k].start..toks[i + k].end];
            w == f || (f == NUMBER_FORM && is_number(w)) || (k == 0 && self.strip_conj(w) == Some(f.as_str()))
        })
    }

    /// Is the word before word `i`, in its clause and with or without a conjunction, one of `words`?
    fn follows_any(&self, s: &str, toks: &[Tok], i: usize, words: &[String]) -> bool {
        if words.is_empty() || i == 0 || toks[i].punct_before {
            return false;
        }
        let w = &s[toks[i - 1].start..toks[i - 1].end];
        words.iter().any(|x| x == w || self.strip_conj(w) == Some(x.as_str()))
    }

    /// Judges the trigger spanning words `trig.0..trig.1` of `s`, whose clause spans words `clause`.
    #[allow(clippy::too_many_arguments)]
    pub fn assess(
        &self,
        s: &str,
        toks: &[Tok],
        clause: (usize, usize),
        trig: (usize, usize),
        kind: FormKind,
        clitic: &str,
        family: &Family,
    ) -> Assertion {
        let mut a = Assertion {
            negated: false,
            absent: false,
            modality: Modality::Asserted,
            nonevent: None,
            recode: None,
            reasons: Vec::new(),
        };
        let set_modality = |a: &mut Assertion, m: Modality, why: String| {
            let rank = |m: Modality| match m {
                Modality::Asserted => 0,
                Modality::Future => 1,
                Modality::Hypothetical => 2,
                Modality::Counterfactual => 3,
            };
            if rank(m) > rank(a.modality) {
                a.modality = m;
            }
            a.reasons.push(why);
        };
        if kind == FormKind::Verb(Tense::Present) && clitic.ends_with('س') {
            set_modality(&mut a, Modality::Future, "future: prefix `س` on the verb".into());
        }
        if self.question_marks.chars().any(|q| s.contains(q)) {
            set_modality(&mut a, Modality::Hypothetical, "question: the sentence is a question".into());
        }
        // Bit k: the k-th `required` cue has a form in scope.
        let mut met: u64 = 0;
        for i in 0..toks.len() {
            let w = &s[toks[i].start..toks[i].end];
            let keys = [Some(w), self.strip_conj(w), is_number(w).then_some(NUMBER_FORM)];
            for key in keys.into_iter().flatten() {
                if !self.first_filter.may_contain(key.as_bytes()) {
                    continue;
                }
                let Some(hits) = self.first.get(key) else {
                    continue;
                };
                for &(ci, fi) in hits {
                    let cue = &self.cues[ci];
                    let form = &cue.forms[fi];
                    if !self.form_at(s, toks, i, form) || self.follows_any(s, toks, i, &cue.not_after) {
                        continue;
                    }
                    let end = i + form.len();
                    let before =
                        || end <= trig.0 && trig.0 - end <= cue.max_words && (!cue.stop_at_clause || i >= clause.0);
                    let after =
                        || i >= trig.1 && i - trig.1 <= cue.max_words && (!cue.stop_at_clause || end <= clause.1);
                    let in_scope = match cue.position {
                        Position::Before => before(),
                        Position::After => after(),
                        Position::Around => before() || after(),
                        Position::Sentence => !(i < trig.1 && end > trig.0),
                    };
                    if !in_scope {
                        continue;
                    }
                    if !cue.binds(kind, family) {
                        continue;
                    }
                    let why = format!("{}: `{}`", cue.name, form.join(" "));
                    match cue.effect {
                        Effect::Negated => {
                            a.negated = true;
                            a.reasons.push(why);
                        }
                        Effect::Absent => {
                            a.negated = true;
                            a.absent = true;
                            a.reasons.push(why);
                        }
                        Effect::Hypothetical => set_modality(&mut a, Modality::Hypothetical, why),
                        Effect::Counterfactual => set_modality(&mut a, Modality::Counterfactual, why),
                        Effect::Future => set_modality(&mut a, Modality::Future, why),
                        Effect::Nonevent => {
                            if a.nonevent.is_none() {
                                a.nonevent = Some(cue.name.clone());
                            }
                            a.reasons.push(why);
                        }
                        Effect::Recode => {
                            if a.recode.is_none() {
                                a.recode = Some(ci);
                            }
                            a.reasons.push(why);
                        }
                        Effect::Required => {
                            if let Some(k) = self.required.iter().position(|&r| r == ci) {
                                met |= 1 << k;
                            }
                            a.reasons.push(why);
                        }
                    }
                }
            }
        }
        for (k, &ci) in self.required.iter().enumerate() {
            let cue = &self.cues[ci];
            if met & (1 << k) == 0 && cue.binds(kind, family) {
                if a.nonevent.is_none() {
                    a.nonevent = Some(cue.name.clone());
                }
                a.reasons.push(format!("{}: none of its forms in reach", cue.name));
            }
        }
        a
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_keep_every_cue_first_word_and_clause_word() {
        let rules = AssertionRules::from_toml("assertion.toml", super::super::BUNDLED_ASSERTION).expect("bundled cues");
        assert!(!rules.first.is_empty() && !rules.clause_words.is_empty());
        assert!(rules.first.keys().all(|w| rules.first_filter.may_contain(w.as_bytes())));
        assert!(rules.clause_words.keys().all(|w| rules.clause_filter.may_contain(w.as_bytes())));
        for w in rules.clause_words.keys() {
            assert!(rules.is_clause_word(w), "{w}");
        }
        assert!(!rules.is_clause_word("الحكومه"));
    }

    #[test]
    fn tokenize_marks_punctuation() {
        let mut t = Vec::new();
        tokenize("قال، ان الجيش قصف", "،,.", &mut t);
        assert_eq!(t.len(), 4);
        assert!(!t[0].punct_before && t[1].punct_before && !t[2].punct_before);
    }

    #[test]
    fn parentheticals_between_commas_bound_no_clause() {
        let rules = AssertionRules::from_toml(
            "test",
            "clause_punct = \"،,.\"\nquestion_marks = \"؟\"\nclause_words = []\nconjunction_prefixes = [\"و\"]\n\
             parenthetical_words = [\"اليوم\", \"الجمعه\"]\nparenthetical_phrases = [\"في بيان\"]\ncue = []\n",
        )
        .expect("rules");
        let marks = |s: &str| {
            let mut t = Vec::new();
            tokenize(s, &rules.clause_punct, &mut t);
            let _ = rules.join_parentheticals(s, &mut t);
            t.iter().map(|t| t.punct_before).collect::<Vec<_>>()
        };
        // A time run or a listed phrase between two commas: both commas are gone.
        assert_eq!(marks("اتهمت المنظمه، اليوم الجمعه، الحكومه"), [false; 5]);
        assert_eq!(marks("اتهمت المنظمه، في بيان، الحكومه"), [false; 5]);
        // Anything else between the commas, a single comma, or a full stop still bounds the clause.
        assert_eq!(marks("اتهمت المنظمه، وهي مستقله، الحكومه"), [false, false, true, false, true]);
        assert_eq!(marks("اتهمت المنظمه، اليوم الحكومه"), [false, false, true, false]);
        assert_eq!(marks("اتهمت المنظمه. اليوم، الحكومه"), [false, false, true, true]);
    }

    fn domain_rules(extra: &str) -> Result<AssertionRules, LexiconError> {
        AssertionRules::from_toml(
            "test",
            &format!(
                "clause_punct = \"،,.\"\nquestion_marks = \"؟\"\nclause_words = []\nconjunction_prefixes = [\"و\"]\n\
                 cue = []\n[[domain]]\nname = \"sport\"\nsenses = [\"match\"]\n{extra}"
            ),
        )
    }

    #[test]
    fn article_domains_need_distinct_forms_and_their_share_of_words() {
        let rules = domain_rules(
            "keep_roles = [\"GOV\"]\nmin_forms = 3\nmin_share = 0.2\nforms = [\"المباراه\", \"الملعب\", \"مدرب\", \"كره القدم\"]\n",
        )
        .expect("rules");
        let words_of = |s: &str, sentences: &[std::ops::Range<usize>]| {
            let (mut tokens, mut words) = (Vec::new(), Vec::new());
            rasid_text::Tokenizer::shared().tokenize_str(s, &mut tokens);
            body_words(&tokens, sentences, &mut words);
            words
        };
        let domains = |s: &str| rules.article_domains(s, &words_of(s, std::slice::from_ref(&(0..s.len()))));
        // Three distinct forms in at most 9 words: a sports report. A form counts with `و` (`والمباراه`), with a
        // possessive (`ومدربها`), and word by word when it has two (`كره القدم`).
        assert!(domains("والمباراه في الملعب امس قال ان").is_empty());
        assert!(domains("والمباراه في الملعب امس ومدربها قال ان").contains(0));
        assert!(domains("والمباراه في الملعب امس قال ان كره القدم").contains(0));
        assert!(domains("والمباراه في الملعب امس قال ان كره السله").is_empty());
        // One form repeated is one distinct form; three forms lost in many words are under the share.
        assert!(domains("المباراه المباراه المباراه المباراه").is_empty());
        let long = format!("المباراه الملعب مدرب {}", "كلمة ".repeat(20));
        assert!(domains(&long).is_empty());
        // Sentences outside the ranges given are not read.
        let text = "المباراه الملعب مدرب. والوزير قال";
        let second = text.find(" و").unwrap_or(0);
        assert!(rules.article_domains(text, &words_of(text, std::slice::from_ref(&(second..text.len())))).is_empty());
        assert!(rules.article_domains(text, &words_of(text, std::slice::from_ref(&(0..second)))).contains(0));
        assert_eq!(words_of(text, &[0..second, second..text.len()]).len(), 5);
        assert!(rules.silencing_domain(domains("المباراه الملعب مدرب"), &["match".into()]).is_some());
        assert!(rules.silencing_domain(domains("المباراه الملعب مدرب"), &["sport".into()]).is_none());
    }

    #[test]
    fn bad_domains_are_load_errors() {
        let err = |extra: &str| domain_rules(extra).expect_err(extra).to_string();
        assert!(err("min_forms = 1\nmin_share = 0.1\nforms = [\"x\"]\nkeep_roles = [\"XYZ\"]\n").contains("keep_roles"));
        assert!(err("keep_roles = []\nmin_forms = 2\nmin_share = 0.1\nforms = [\"المباراه\"]\n").contains("min_forms"));
        assert!(err("keep_roles = []\nmin_forms = 1\nmin_share = 2.0\nforms = [\"المباراه\"]\n").contains("min_share"));
    }

    #[test]
    fn a_required_cue_makes_its_families_triggers_non_events_without_its_forms() {
        let head = "clause_punct = \"،.\"\nquestion_marks = \"؟\"\nclause_words = []\nconjunction_prefixes = [\"و\"]\n";
        let cue = "[[cue]]\nname = \"sense.repercussions\"\neffect = \"required\"\nposition = \"after\"\n\
                   max_words = 40\nstop_at_clause = false\nforms = [\"اذا\", \"عواقب\"]\n";
        // A `required` cue binds the families of its sense group: without a group it is a load error.
        let e = AssertionRules::from_toml("a.toml", &format!("{head}{cue}")).unwrap_err().to_string();
        assert!(e.contains("sense.repercussions") && e.contains("group"), "{e}");
        let rules = AssertionRules::from_toml("a.toml", &format!("{head}{cue}group = \"repercussions\"\n")).unwrap();
        let family = |senses: &str| {
            super::super::lexicon::Lexicon::from_toml(
                "t.toml",
                &format!(
                    "[[family]]\nid = \"t.warn\"\nplover = \"THREATEN\"\nframe = \"verb\"\n\
                     verbs = [{{ past = \"حذر\", present = \"حذر\" }}]\nsenses = [{senses}]\n\
                     matches = \"m\"\nexample = \"e\"\nnot = \"n\"\n"
                ),
            )
            .unwrap()
            .families
            .remove(0)
        };
        let (bound, free) = (family("\"repercussions\""), family(""));
        let verdict = |s: &str, f: &Family| {
            let mut toks = Vec::new();
            tokenize(s, &rules.clause_punct, &mut toks);
            let t = toks.iter().position(|t| s[t.start..t.end] == *"حذر").expect("the trigger");
            rules.assess(s, &toks, (0, toks.len()), (t, t + 1), FormKind::Verb(Tense::Past), "", f).nonevent
        };
        let forecast = "حذر الخبراء من ان الخطوه تضر بالاقتصاد.";
        assert_eq!(verdict(forecast, &bound).as_deref(), Some("sense.repercussions"));
        assert_eq!(verdict(forecast, &free), None);
        // A form anywhere after the trigger, past a clause bound (`stop_at_clause = false`), meets the need.
        assert_eq!(verdict("حذر الوزير من رد قاس، اذا لم تنسحب القوات.", &bound), None);
        assert_eq!(verdict("حذر الوزير من عواقب التصعيد.", &bound), None);
        // Before the trigger it is out of reach.
        assert_eq!(verdict("وعن عواقب التصعيد حذر الوزير.", &bound).as_deref(), Some("sense.repercussions"));
    }

    #[test]
    fn recode_cues_name_a_plover_type_and_only_they_do() {
        let rules = |cue: &str| {
            AssertionRules::from_toml(
                "test",
                &format!(
                    "clause_punct = \"،\"\nquestion_marks = \"؟\"\nclause_words = []\nconjunction_prefixes = []\n\
                     [[cue]]\nname = \"c\"\nposition = \"before\"\nforms = [\"المحكمه\"]\n{cue}"
                ),
            )
        };
        let ok = rules("effect = \"recode\"\nplover = \"SANCTION\"\nmode = \"convict\"\n").expect("a recode cue");
        assert_eq!(ok.recoding(0).map(|(_, r)| (r.plover, r.mode.as_deref())), Some(("SANCTION", Some("convict"))));
        for bad in [
            "effect = \"recode\"\n",
            "effect = \"recode\"\nplover = \"CONVICT\"\n",
            "effect = \"nonevent\"\nplover = \"SANCTION\"\n",
        ] {
            assert!(rules(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn not_after_words_must_stand_right_before_the_cue_in_its_clause() {
        let rules = AssertionRules::from_toml(
            "test",
            "clause_punct = \"،\"\nquestion_marks = \"؟\"\nclause_words = []\nconjunction_prefixes = [\"و\"]\n\
             [[cue]]\nname = \"c\"\neffect = \"hypothetical\"\nposition = \"before\"\nforms = [\"ان\"]\n\
             not_after = [\"قبل\"]\n",
        )
        .expect("rules");
        assert_eq!(rules.cues[0].not_after, ["قبل"]);
        let follows = |s: &str, i: usize| {
            let mut t = Vec::new();
            tokenize(s, "،", &mut t);
            rules.follows_any(s, &t, i, &rules.cues[0].not_after)
        };
        // Right before, bare or with a conjunction.
        assert!(follows("قبل ان تقتله", 1));
        assert!(follows("وقبل ان تقتله", 1));
        // Two words back, across a comma, at the sentence's start, or another word: the cue fires.
        assert!(!follows("قبل ذلك ان تقتله", 2));
        assert!(!follows("قبل، ان تقتله", 1));
        assert!(!follows("ان تقتله", 0));
        assert!(!follows("يريد ان يقتله", 1));
        assert!(!rules.follows_any("قبل ان", &[], 0, &[]));
    }

    #[test]
    fn word_chars_are_the_alphanumerics() {
        for c in (0..0x3000).filter_map(char::from_u32) {
            assert_eq!(is_word_char(c), c.is_alphanumeric(), "{c:?}");
        }
        // `tokenize` takes these for letters from their bytes.
        assert!(('\u{0621}'..='\u{064A}').all(is_word_char));
    }

    #[test]
    fn quoted_names_bound_no_clause() {
        let mut t = Vec::new();
        let punct = "،,.«»“”";
        tokenize("صاروخا علي «كتائب القسام» في الحي", punct, &mut t);
        assert_eq!(t.len(), 6);
        assert!(t.iter().all(|t| !t.punct_before), "{t:?}");
        // A comma right after the closing mark still bounds the clause; so does a long quotation.
        tokenize("علي «كتائب القسام»، كانت", punct, &mut t);
        assert_eq!(t.iter().map(|t| t.punct_before).collect::<Vec<_>>(), [false, false, false, true]);
        tokenize("وقال «ان الحكومة لن تسمح بذلك ابدا مهما كانت الظروف والضغوط عليها» امس", punct, &mut t);
        assert!(t[1].punct_before && t[t.len() - 1].punct_before, "{t:?}");
        // An unclosed mark, or clause punctuation inside, bounds as before.
        tokenize("علي «كتائب القسام", punct, &mut t);
        assert!(t[1].punct_before);
        tokenize("قال «نعم، سنرد» امس", punct, &mut t);
        assert!(t[1].punct_before && t[3].punct_before);
    }

    #[test]
    fn tokenize_empty_and_punct_only() {
        let mut t = Vec::new();
        tokenize("", "،", &mut t);
        assert!(t.is_empty());
        tokenize("،، ..", "،.", &mut t);
        assert!(t.is_empty());
    }
}
