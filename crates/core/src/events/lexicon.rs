//! The trigger lexicon: loads `data/events/triggers.toml`, validates it, generates forms, and finds them in a
//! sentence's words.
//!
//! Format: see `data/events/README.md`. Every form is normalised with `rasid_text::normalize` before it enters
//! one [`KeyTable`] of the forms and of their prefixes that end at a word end; [`Lexicon::find_forms`] looks the
//! sentence up from each word's start after each allowed clitic prefix, to each word end, and the matcher in
//! `mod.rs` keeps the readings the prefix and the word allow.

use super::assertion::{is_word_char, Tok};
use super::inflect::{self, Tense};
use rasid_lexicon::keytable::{key_hash, KeyTable};
use rasid_text::normalize;
use serde::Deserialize;
use std::collections::HashMap;
use std::ops::Range;

/// The 16 PLOVER event types rasid codes.
pub const PLOVER_TYPES: [&str; 16] = [
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "REQUEST",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
];

/// Interns a PLOVER type name to its `'static` spelling.
pub fn plover_static(name: &str) -> Option<&'static str> {
    PLOVER_TYPES.iter().copied().find(|t| *t == name)
}

/// Errors raised while loading a lexicon file.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LexiconError {
    #[error("{file}: {message}")]
    Parse { file: String, message: String },
    #[error("{file}: family `{family}`: {message}")]
    Invalid { file: String, family: String, message: String },
}

/// How the arguments of a trigger are found (see `args.rs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Frame {
    /// Transitive verb: subject = source, object (or a target-preposition phrase) = target.
    Verb,
    /// Intransitive verb: subject = source; target only through a target preposition.
    VerbIntransitive,
    /// Verb whose subject is the device or the event itself (`انفجرت السيارة`): no actor around it is its agent
    /// (the source comes only through an agent marker or from another trigger); an actor after it is what it hit.
    VerbAgentless,
    /// Nominal event whose genitive (`اغتيال فلان`) or prepositional phrase is the target.
    NounTarget,
    /// Nominal event whose genitive is the source (`مظاهرة الطلاب`); target through a preposition.
    NounSource,
    /// Casualty noun (`مقتل ثلاثة جنود`): the genitive is the target, the source only through `من قبل`.
    Casualty,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileDef {
    #[serde(default)]
    agent_markers: Vec<String>,
    #[serde(default)]
    locative_words: Vec<String>,
    #[serde(default)]
    bridge_words: Vec<String>,
    #[serde(default)]
    undergo_verbs: Vec<String>,
    family: Vec<FamilyDef>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct VerbDef {
    past: Option<String>,
    past_c: Option<String>,
    present: Option<String>,
    #[serde(default)]
    passive: Vec<String>,
    passive_present: Option<String>,
    #[serde(default)]
    tail: Vec<String>,
    /// The tail stands right after the verb only when the verb carries an object pronoun (`حمّله المسؤولية`); a
    /// bare verb with the tail next to it is another verb (`تحمّل المسؤولية`, bear it).
    #[serde(default)]
    tail_apart: bool,
    /// Explicit past forms for verbs the generator does not cover (defective `التقى` → `التقت`, `التقوا`).
    #[serde(default)]
    past_extra: Vec<String>,
    /// Verbal nouns that take the same tail (`إلقاء` … `اللوم`, with the agent in between).
    #[serde(default)]
    masdar: Vec<String>,
    /// Explicit present forms (`يلتقي`, `يلتقون`).
    #[serde(default)]
    present_extra: Vec<String>,
    #[serde(default = "yes")]
    objects: bool,
    /// Generated forms starting with one of these are left out: they read as other words (`نزار`, "we visit", is
    /// the name Nizar).
    #[serde(default)]
    skip: Vec<String>,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FamilyDef {
    id: String,
    plover: String,
    mode: Option<String>,
    cameo: Option<String>,
    frame: Frame,
    noun_frame: Option<Frame>,
    #[serde(default)]
    place_target: bool,
    #[serde(default)]
    svo_passive: bool,
    #[serde(default)]
    partners: bool,
    #[serde(default)]
    source_roles: Vec<String>,
    #[serde(default)]
    target_roles: Vec<String>,
    #[serde(default)]
    target_preps: Vec<String>,
    future: Option<String>,
    future_cameo: Option<String>,
    negated: Option<String>,
    negated_cameo: Option<String>,
    #[serde(default)]
    senses: Vec<String>,
    #[serde(default)]
    adverbials: Vec<String>,
    #[serde(default)]
    verbs: Vec<VerbDef>,
    #[serde(default)]
    nouns: Vec<String>,
    #[serde(default)]
    phrases: Vec<String>,
    matches: String,
    example: String,
    not: String,
}

/// One compiled trigger family.
#[derive(Debug, Clone)]
pub struct Family {
    pub id: String,
    pub plover: &'static str,
    pub mode: Option<String>,
    pub cameo: Option<String>,
    pub frame: Frame,
    /// Frame of the family's verbal nouns when it differs from `frame` (`طلب قاآني`: the genitive requests).
    pub noun_frame: Option<Frame>,
    /// A place after a target preposition is the target, standing for its country's government (`زيارة إلى بغداد`).
    pub place_target: bool,
    /// Past verbs read passive after a subject with no object (`جنود قتلوا`: Form I, unvocalised).
    pub svo_passive: bool,
    /// The event joins partners (meet, agree, cooperate): an actor joined to the subject by `و`
    /// (`اتفقت الحكومة والمعارضة`) is the other party, the target; for other families it is a second subject.
    pub partners: bool,
    /// When no syntactic cue names the source / target: the nearest actor of the sentence with one of these roles
    /// (`country` = a country without a role) takes the slot (`source_roles`, `target_roles`).
    pub source_roles: Vec<String>,
    pub target_roles: Vec<String>,
    /// Normalised prepositions that introduce the target (`علي`, `ضد`, `بحق`).
    pub target_preps: Vec<String>,
    /// PLOVER type of the act when it is promised / announced for the future (AGREE, THREATEN, …).
    pub future: Option<&'static str>,
    /// CAMEO code of that future act (`138` threaten with military force); none: the family's own when the type
    /// stays, else none.
    pub future_cameo: Option<String>,
    /// PLOVER type of the act when it is negated (`لم توافق` → REJECT), if any.
    pub negated: Option<&'static str>,
    /// CAMEO code of the negated act (`120` reject), as `future_cameo`.
    pub negated_cameo: Option<String>,
    /// Names of sense-cue groups (`assertion.toml`) that turn this trigger into a non-event.
    pub senses: Vec<String>,
    /// Normalised forms that, written alone (an indefinite accusative, `احتجاجا` "in protest"), are an adverbial
    /// of purpose: their agent is the subject of the clause they stand in.
    pub adverbials: Vec<String>,
}

impl Family {
    /// The PLOVER type and CAMEO code of this family's act when it is a future one (`future`, `future_cameo`);
    /// `None` when the family codes no future act.
    pub fn future_reading(&self) -> Option<(&'static str, Option<&str>)> {
        self.future.map(|t| (t, self.recoded_cameo(t, &self.future_cameo)))
    }

    /// The PLOVER type and CAMEO code of this family's act when it is negated (`negated`, `negated_cameo`).
    pub fn negated_reading(&self) -> Option<(&'static str, Option<&str>)> {
        self.negated.map(|t| (t, self.recoded_cameo(t, &self.negated_cameo)))
    }

    /// The CAMEO code of the act recoded as type `t`: the recode's own `code`, else the family's when the type is
    /// unchanged (a changed type keeps none of the family's code).
    fn recoded_cameo<'a>(&'a self, t: &str, code: &'a Option<String>) -> Option<&'a str> {
        code.as_deref().or(self.cameo.as_deref().filter(|_| t == self.plover))
    }
}

/// What part of speech a form is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FormKind {
    Verb(Tense),
    Noun,
    Phrase,
}

impl FormKind {
    pub fn is_verb(self) -> bool {
        matches!(self, FormKind::Verb(_))
    }
    pub fn name(self) -> &'static str {
        match self {
            FormKind::Verb(Tense::Past) => "verb-past",
            FormKind::Verb(Tense::Present) => "verb-present",
            FormKind::Verb(Tense::Passive) => "verb-passive",
            FormKind::Noun => "noun",
            FormKind::Phrase => "phrase",
        }
    }
}

/// The words one of which must follow a verb in its clause (`أطلق` … `النار`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tail {
    /// The alternatives, each split into words (normalised).
    pub alternatives: Vec<Vec<String>>,
    /// The verb's `tail_apart`: a tail right after the verb needs an object pronoun on it (`حمّله المسؤولية`).
    pub apart: bool,
}

/// One (family, kind) reading of a pattern string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reading {
    pub family: u32,
    pub kind: FormKind,
    /// Index into [`Lexicon::tails`] of the words one of which must follow the verb in its clause, if any.
    pub tail: Option<u32>,
    /// A noun with the possessive pronoun `ه` (`طلبه` "his request"): not a reading of a word whose `ه` is a
    /// folded `ة` (`طلبة` "students").
    pub pronoun_h: bool,
    /// A noun written with a final `ة` (`مصادرة`, normalised `مصادره`): not a reading of a word that ends in a
    /// written `ه` (`مصادره` "his sources").
    pub ta_noun: bool,
}

/// The compiled lexicon: families, the table of forms, and the readings of each pattern.
#[derive(Debug, Clone)]
pub struct Lexicon {
    pub families: Vec<Family>,
    /// Every pattern, and every prefix of one that ends at a word end (see [`Lexicon::find_forms`]).
    pub forms: KeyTable,
    /// Readings of each pattern, by pattern id.
    pub readings: Vec<Vec<Reading>>,
    /// The pattern strings (normalised), by pattern id.
    pub patterns: Vec<String>,
    /// The tails of verb phrases ([`Reading::tail`] indexes them).
    pub tails: Vec<Tail>,
    /// Phrases that introduce the agent of a passive or nominal event (`من قبل`, `على يد`).
    pub agent_markers: Vec<String>,
    /// Words after which a mention names where something happened, not who took part (`قرب`, `شمال`).
    pub locative_words: Vec<String>,
    /// Words that may stand between a target preposition and its actor: groups (`على مجموعة من عناصر`) and the
    /// actor's acts (`على قرار`).
    pub bridge_words: Vec<String>,
    /// Verbs of undergoing (`تعرض`): their subject is the victim of the event noun after `ل` (`تعرضت القافلة
    /// لهجوم`).
    pub undergo_verbs: Vec<String>,
}

impl Lexicon {
    /// Parses and compiles the TOML text of a trigger file (`file` names it in errors).
    pub fn from_toml(file: &str, text: &str) -> Result<Lexicon, LexiconError> {
        let def: FileDef =
            toml::from_str(text).map_err(|e| LexiconError::Parse { file: file.into(), message: e.to_string() })?;
        let mut families = Vec::new();
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut patterns: Vec<String> = Vec::new();
        let mut readings: Vec<Vec<Reading>> = Vec::new();
        let mut add = |form: String, r: Reading| {
            if form.chars().count() < 2 {
                return;
            }
            let id = *index.entry(form.clone()).or_insert_with(|| {
                patterns.push(form);
                readings.push(Vec::new());
                patterns.len() - 1
            });
            if !readings[id].contains(&r) {
                readings[id].push(r);
            }
        };
        let mut seen_ids = HashMap::new();
        let mut tails_table: Vec<Tail> = Vec::new();
        for f in def.family {
            let bad = |m: String| LexiconError::Invalid { file: file.into(), family: f.id.clone(), message: m };
            if seen_ids.insert(f.id.clone(), ()).is_some() {
                return Err(bad("duplicate family id".into()));
            }
            let plover = plover_static(&f.plover).ok_or_else(|| bad(format!("unknown PLOVER type `{}`", f.plover)))?;
            let future = match &f.future {
                None => None,
                Some(t) => Some(plover_static(t).ok_or_else(|| bad(format!("unknown future type `{t}`")))?),
            };
            let negated = match &f.negated {
                None => None,
                Some(t) => Some(plover_static(t).ok_or_else(|| bad(format!("unknown negated type `{t}`")))?),
            };
            for c in [&f.cameo, &f.future_cameo, &f.negated_cameo].into_iter().flatten() {
                if c.is_empty() || c.len() > 4 || !c.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(bad(format!("bad CAMEO code `{c}`")));
                }
            }
            if f.future_cameo.is_some() && f.future.is_none() || f.negated_cameo.is_some() && f.negated.is_none() {
                return Err(bad("a `future_cameo` / `negated_cameo` without its `future` / `negated` type".into()));
            }
            if f.matches.trim().is_empty() || f.example.trim().is_empty() || f.not.trim().is_empty() {
                return Err(bad("`matches`, `example` and `not` must document the family".into()));
            }
            if f.verbs.is_empty() && f.nouns.is_empty() && f.phrases.is_empty() {
                return Err(bad("no verbs, nouns or phrases".into()));
            }
            // An adverbial is one of the family's nouns as listed, or it could never fire.
            if let Some(a) = f.adverbials.iter().find(|a| !f.nouns.iter().any(|n| normalize(n) == normalize(a))) {
                return Err(bad(format!("adverbial `{a}` is not among the family's nouns")));
            }
            let fam = families.len() as u32;
            let mut forms = Vec::new();
            for v in &f.verbs {
                if v.tail_apart && v.tail.is_empty() {
                    return Err(bad("tail_apart without a tail".into()));
                }
                let tail = if v.tail.is_empty() {
                    None
                } else {
                    tails_table.push(Tail {
                        alternatives: v
                            .tail
                            .iter()
                            .map(|t| normalize(t.trim()).split_whitespace().map(str::to_owned).collect())
                            .collect(),
                        apart: v.tail_apart,
                    });
                    Some(tails_table.len() as u32 - 1)
                };
                let skip: Vec<String> = v.skip.iter().map(|x| normalize(x.trim())).collect();
                let push = |forms: &mut Vec<String>, kind: FormKind, add: &mut dyn FnMut(String, Reading)| {
                    forms.retain(|f| !skip.iter().any(|x| f.starts_with(x.as_str())));
                    for form in forms.drain(..) {
                        add(form, Reading { family: fam, kind, tail, pronoun_h: false, ta_noun: false });
                    }
                };
                if let Some(p) = &v.past {
                    let pc = v.past_c.as_deref().map(normalize);
                    inflect::past_forms(&normalize(p), pc.as_deref(), v.objects, &mut forms);
                    push(&mut forms, FormKind::Verb(Tense::Past), &mut add);
                }
                if let Some(p) = &v.present {
                    inflect::present_forms(&normalize(p), v.objects, &mut forms);
                    push(&mut forms, FormKind::Verb(Tense::Present), &mut add);
                }
                for p in &v.passive {
                    inflect::passive_past_forms(&normalize(p), &mut forms);
                    push(&mut forms, FormKind::Verb(Tense::Passive), &mut add);
                }
                if let Some(p) = &v.passive_present {
                    inflect::present_forms(&normalize(p), false, &mut forms);
                    push(&mut forms, FormKind::Verb(Tense::Passive), &mut add);
                }
                forms.extend(v.past_extra.iter().map(|x| normalize(x.trim())));
                push(&mut forms, FormKind::Verb(Tense::Past), &mut add);
                forms.extend(v.present_extra.iter().map(|x| normalize(x.trim())));
                push(&mut forms, FormKind::Verb(Tense::Present), &mut add);
                for m in &v.masdar {
                    inflect::noun_forms(&normalize(m.trim()), &mut forms);
                }
                push(&mut forms, FormKind::Noun, &mut add);
                if v.past.is_none()
                    && v.present.is_none()
                    && v.passive.is_empty()
                    && v.past_extra.is_empty()
                    && v.masdar.is_empty()
                {
                    return Err(bad("a verb needs `past`, `present` or `passive`".into()));
                }
            }
            for n in &f.nouns {
                let noun = normalize(n.trim());
                let written_ta = n.trim().ends_with('ة');
                inflect::noun_forms(&noun, &mut forms);
                for form in forms.drain(..) {
                    let pronoun_h = form.len() > noun.len() && form.ends_with('ه');
                    let ta_noun = written_ta && form == noun;
                    add(form, Reading { family: fam, kind: FormKind::Noun, tail: None, pronoun_h, ta_noun });
                }
            }
            for p in &f.phrases {
                let p = normalize(p.trim());
                if !p.contains(' ') {
                    return Err(bad(format!("phrase `{p}` has one word: list it as a noun")));
                }
                add(p, Reading { family: fam, kind: FormKind::Phrase, tail: None, pronoun_h: false, ta_noun: false });
            }
            families.push(Family {
                id: f.id,
                plover,
                mode: f.mode,
                cameo: f.cameo,
                frame: f.frame,
                noun_frame: f.noun_frame,
                place_target: f.place_target,
                svo_passive: f.svo_passive,
                partners: f.partners,
                source_roles: f.source_roles,
                target_roles: f.target_roles,
                target_preps: f.target_preps.iter().map(|p| normalize(p)).collect(),
                future,
                future_cameo: f.future_cameo,
                negated,
                negated_cameo: f.negated_cameo,
                senses: f.senses,
                adverbials: f.adverbials.iter().map(|w| normalize(w)).collect(),
            });
        }
        // Words are what `assertion::tokenize` reads: runs of letters and digits.
        let forms = KeyTable::new(patterns.iter().map(String::as_str), is_word_char, FIRST_WORD_BITS);
        Ok(Lexicon {
            families,
            forms,
            readings,
            patterns,
            tails: tails_table,
            agent_markers: def.agent_markers,
            locative_words: def.locative_words,
            bridge_words: def.bridge_words,
            undergo_verbs: def.undergo_verbs,
        })
    }
}

/// A set of clitic prefixes a form may follow in its word, tested on a word's first eight bytes at once.
#[derive(Debug, Clone, Default)]
pub struct PrefixSet {
    /// The empty prefix (the word's start) is in the set.
    empty: bool,
    /// Per first character of a prefix: the mask of its bytes and its bytes in a little-endian word, and the range
    /// of its prefixes in `items`.
    firsts: Vec<(u64, u64, Range<usize>)>,
    /// Per prefix, grouped by first character: the mask of its bytes and its bytes, in a little-endian word; its
    /// length.
    items: Vec<(u64, u64, usize)>,
    /// Prefixes longer than eight bytes, compared as slices.
    long: Vec<String>,
}

impl PrefixSet {
    /// The set of `prefixes` (repeats are kept once; the empty prefix stands for the word's start).
    pub fn new<'p>(prefixes: impl IntoIterator<Item = &'p str>) -> PrefixSet {
        let mut set = PrefixSet::default();
        let mut short: Vec<&str> = Vec::new();
        for p in prefixes {
            if p.is_empty() {
                set.empty = true;
            } else if p.len() > 8 {
                if !set.long.iter().any(|x| x == p) {
                    set.long.push(p.to_owned());
                }
            } else if !short.contains(&p) {
                short.push(p);
            }
        }
        let first = |p: &str| p.chars().next().map_or(0, char::len_utf8);
        short.sort_by_key(|p| &p[..first(p)]);
        for p in short {
            let f = first(p);
            let (fmask, fbytes) = (Self::mask(f), Self::word(&p.as_bytes()[..f]));
            match set.firsts.last_mut() {
                Some((m, b, r)) if (*m, *b) == (fmask, fbytes) => r.end += 1,
                _ => set.firsts.push((fmask, fbytes, set.items.len()..set.items.len() + 1)),
            }
            set.items.push((Self::mask(p.len()), Self::word(p.as_bytes()), p.len()));
        }
        set
    }

    /// The first eight bytes of `b` in a little-endian word (zeros past its end).
    #[inline]
    fn word(b: &[u8]) -> u64 {
        let mut w = [0u8; 8];
        let n = b.len().min(8);
        w[..n].copy_from_slice(&b[..n]);
        u64::from_le_bytes(w)
    }

    #[inline]
    fn mask(len: usize) -> u64 {
        if len >= 8 {
            u64::MAX
        } else {
            (1u64 << (8 * len)) - 1
        }
    }

    /// Calls `f` with the length of every prefix of the set that `word` starts with and is shorter than it.
    #[inline]
    fn each(&self, word: &[u8], mut f: impl FnMut(usize)) {
        if self.empty && !word.is_empty() {
            f(0);
        }
        let w = Self::word(word);
        if let Some((_, _, r)) = self.firsts.iter().find(|&&(m, b, _)| w & m == b) {
            for &(mask, bytes, len) in self.items.get(r.clone()).unwrap_or(&[]) {
                if w & mask == bytes && len < word.len() {
                    f(len);
                }
            }
        }
        for p in &self.long {
            if p.len() < word.len() && word.starts_with(p.as_bytes()) {
                f(p.len());
            }
        }
    }
}

/// A pattern found in a sentence by [`Lexicon::find_forms`]: byte range `start..end` of the sentence, from word
/// `first` (whose start to `start` is the clitic prefix) to the end of word `last - 1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FormMatch {
    pub first: usize,
    pub last: usize,
    pub start: usize,
    pub end: usize,
    pub pattern: u32,
}

/// Bits of the form table's first-word set, log2: 32 KiB for some 17,000 first words, which lets one in sixteen
/// starts that begin no form through to the table.
const FIRST_WORD_BITS: u32 = 18;

impl Lexicon {
    /// Every pattern in sentence `s` (words `toks`, from [`super::assertion::tokenize`]) that starts at a word's
    /// start after one of `prefixes` and ends at a word end, appended to `out` in the order an overlapping
    /// automaton scan of the text reports them: by end, and at one end the longest first.
    ///
    /// The starts whose first word some form may begin with (the table's first-word set) are listed first, and
    /// their first table slots read in one sweep of independent loads; then from each the sentence is looked up
    /// in [`Lexicon::forms`] up to the start's word end, and on to the next word ends while a longer pattern
    /// continues it (phrases).
    pub fn find_forms(&self, s: &str, toks: &[Tok], prefixes: &PrefixSet, out: &mut Vec<FormMatch>) {
        let from = out.len();
        let b = s.as_bytes();
        // (word, start, hash of the start's first word)
        let mut starts: Vec<(usize, usize, u64)> = Vec::new();
        for (first, t) in toks.iter().enumerate() {
            let Some(word) = b.get(t.start..t.end) else { continue };
            prefixes.each(word, |p| {
                let h = key_hash(&word[p..]);
                if self.forms.may_start(h) {
                    starts.push((first, t.start + p, h));
                }
            });
        }
        let touch = starts.iter().fold(0u32, |t, s| t ^ self.forms.touch(s.2));
        std::hint::black_box(touch);
        for (first, start, mut h) in starts {
            let mut last = first;
            while let Some(key) = toks.get(last).and_then(|t| b.get(start..t.end)) {
                if key.len() > self.forms.max_len() {
                    break;
                }
                let Some(found) = self.forms.get(h, key) else { break };
                if let Some(pattern) = found.pattern {
                    out.push(FormMatch { first, last: last + 1, start, end: start + key.len(), pattern });
                }
                if !found.more {
                    break;
                }
                last += 1;
                h = toks.get(last).and_then(|t| b.get(start..t.end)).map_or(0, key_hash);
            }
        }
        out[from..].sort_unstable_by_key(|m| (m.end, m.start));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: &str = r#"
[[family]]
id = "t.kill"
plover = "ASSAULT"
cameo = "190"
frame = "verb"
verbs = [{ past = "قتل", present = "قتل" }]
nouns = ["مقتل"]
matches = "killing"
example = "قتل مسلحون جنديا"
not = "قتل الوقت"
"#;

    #[test]
    fn compiles_small_file() {
        let l = Lexicon::from_toml("t.toml", SMALL).unwrap();
        assert_eq!(l.families.len(), 1);
        assert!(l.patterns.iter().any(|p| p == "يقتلون"));
        assert!(l.patterns.iter().any(|p| p == "مقتلها"));
    }

    #[test]
    fn rejects_unknown_type_and_names_family() {
        let bad = SMALL.replace("ASSAULT", "FIGHT");
        let e = Lexicon::from_toml("t.toml", &bad).unwrap_err().to_string();
        assert!(e.contains("t.toml") && e.contains("t.kill") && e.contains("FIGHT"), "{e}");
    }

    #[test]
    fn recode_codes_need_their_recode_and_digits() {
        let with = |extra: &str| SMALL.replace("cameo = \"190\"", &format!("cameo = \"190\"\n{extra}"));
        let l = Lexicon::from_toml("t.toml", &with("future = \"THREATEN\"\nfuture_cameo = \"138\"")).unwrap();
        assert_eq!(l.families[0].future_cameo.as_deref(), Some("138"));
        let e = Lexicon::from_toml("t.toml", &with("future_cameo = \"138\"")).unwrap_err().to_string();
        assert!(e.contains("t.kill") && e.contains("future_cameo"), "{e}");
        let e = Lexicon::from_toml("t.toml", &with("negated = \"REJECT\"\nnegated_cameo = \"12x\"")).unwrap_err();
        assert!(e.to_string().contains("bad CAMEO code `12x`"), "{e}");
    }

    #[test]
    fn an_adverbial_must_be_a_listed_noun() {
        let with =
            |a: &str| SMALL.replace("nouns = [\"مقتل\"]", &format!("nouns = [\"مقتل\"]\nadverbials = [\"{a}\"]"));
        let l = Lexicon::from_toml("t.toml", &with("مقتل")).unwrap();
        assert_eq!(l.families[0].adverbials, vec![normalize("مقتل")]);
        let e = Lexicon::from_toml("t.toml", &with("قتلا")).unwrap_err().to_string();
        assert!(e.contains("t.kill") && e.contains("adverbial `قتلا`"), "{e}");
    }

    #[test]
    fn tail_apart_needs_a_tail_and_is_kept_per_tail() {
        let with = |v: &str| SMALL.replace("{ past = \"قتل\", present = \"قتل\" }", v);
        let l = Lexicon::from_toml(
            "t.toml",
            &with("{ past = \"قتل\", present = \"قتل\", tail = [\"الوقت\"], tail_apart = true }"),
        )
        .unwrap();
        assert_eq!(l.tails, vec![Tail { alternatives: vec![vec![normalize("الوقت")]], apart: true }]);
        let e = Lexicon::from_toml("t.toml", &with("{ past = \"قتل\", present = \"قتل\", tail_apart = true }"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("t.kill") && e.contains("tail_apart without a tail"), "{e}");
    }

    #[test]
    fn rejects_undocumented_family() {
        let bad = SMALL.replace("not = \"قتل الوقت\"", "not = \"\"");
        assert!(Lexicon::from_toml("t.toml", &bad).is_err());
    }
}
