//! Filter features of a rule-coded candidate, hashed as they are built: each feature is the FNV-1a hash of its
//! name (`w-1=في`), computed from borrowed pieces of the sentence, so scoring allocates nothing per word; names
//! are spelled out only when training asks for them ([`FeatureSet::with_names`]).

use super::args::ActorPos;
use super::assertion::{is_number, Tok};
use super::lexicon::FormKind;
use super::{ActorSlot, EventDetector, Hit, PREPOSITIONS};
use crate::counts::CountExpr;
use rasid_text::hash::Fnv;

/// FNV-1a of the concatenation of `parts` (the hash of a feature name given in pieces).
pub fn name_hash(parts: &[&str]) -> u64 {
    parts.iter().fold(Fnv::new(), |h, p| h.str(p)).value()
}

/// The hash of a PLOVER type, for [`typed_key`].
pub fn type_hash(plover: &str) -> u64 {
    name_hash(&[plover, "|"])
}

/// The model key of feature `name_hash` for the PLOVER type of hash `type_hash` (the `TYPE|name` line of
/// `filter.tsv`).
pub fn typed_key(type_hash: u64, name_hash: u64) -> u64 {
    (name_hash ^ type_hash.rotate_left(31)).wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ type_hash
}

/// The feature of a noun trigger counted by an events count right before it (`أكثر من 20 هجوما`): an aggregated
/// report of events that took place (EXPECTED.md codes it; PLOVER counts aggregated events). The rules code such a
/// candidate and the filter does not judge it (measured under CV: it changes no detection decision but one).
pub const PASS: &str = "counted_events";

/// Decimal digits 0–9 as static strings, for bucketed numeric features.
const DIGITS: [&str; 10] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];

fn digit(n: usize) -> &'static str {
    DIGITS[n.min(9)]
}

/// The features of one candidate or one sentence: hashes (always) and names (training only). Reused across
/// candidates: [`FeatureSet::clear`] keeps the buffers.
#[derive(Debug, Default, Clone)]
pub struct FeatureSet {
    pub hashes: Vec<u64>,
    pub names: Vec<String>,
    keep_names: bool,
}

impl FeatureSet {
    pub fn new(keep_names: bool) -> FeatureSet {
        FeatureSet { hashes: Vec::new(), names: Vec::new(), keep_names }
    }

    pub fn with_names(&self) -> bool {
        self.keep_names
    }

    pub fn clear(&mut self) {
        self.hashes.clear();
        self.names.clear();
    }

    /// Adds the feature whose name is the concatenation of `parts`.
    pub fn add(&mut self, parts: &[&str]) {
        self.hashes.push(name_hash(parts));
        if self.keep_names {
            self.names.push(parts.concat());
        }
    }

    /// Sorts and removes duplicates (a feature counts once).
    pub fn finish(&mut self) {
        self.hashes.sort_unstable();
        self.hashes.dedup();
        self.names.sort_unstable();
        self.names.dedup();
    }
}

/// Clitic prefixes stripped for a stem (longest first) and suffixes (pronouns, plural and feminine endings).
const STEM_PREFIXES: &[&str] = &["وبال", "فبال", "وال", "فال", "بال", "كال", "ولل", "لل", "ال", "و", "ف", "ب", "ل"];
const STEM_SUFFIXES: &[&str] = &["هما", "كما", "ات", "ون", "ين", "ان", "ها", "هم", "ه", "ي", "ا"];

/// A light stem of a normalised word: one clitic prefix and one suffix off, at least three letters kept. A
/// feature of the filter only (a closed set of grammatical affixes, not a lexicon).
pub fn stem(w: &str) -> &str {
    let letters = |x: &str| x.chars().count();
    let mut s = w;
    if let Some(r) = STEM_PREFIXES.iter().find_map(|p| s.strip_prefix(p).filter(|r| letters(r) >= 3)) {
        s = r;
    }
    if let Some(r) = STEM_SUFFIXES.iter().find_map(|p| s.strip_suffix(p).filter(|r| letters(r) >= 3)) {
        s = r;
    }
    s
}

/// What the filter features of one candidate look at besides the trigger hit.
pub(super) struct FeatureContext<'a> {
    pub s: &'a str,
    pub toks: &'a [Tok],
    pub actors: &'a [ActorSlot],
    /// Actors (not places) of the sentence.
    pub actor_pos: &'a [ActorPos],
    /// Places of the sentence.
    pub places: usize,
    pub source: Option<usize>,
    pub target: Option<usize>,
    pub clause: (usize, usize),
    pub clause_no: usize,
    pub counts: &'a [CountExpr],
    /// [`quote_states`] of the sentence.
    pub quotes: &'a [(usize, bool)],
    /// [`family_spans`] of the sentence's hits.
    pub families: &'a [(u32, usize, usize)],
}

impl EventDetector {
    /// Filter features of one candidate that depend on where it stands (not yet typed with the PLOVER type).
    /// Linear in the candidate's clause and window, never in the sentence.
    pub(super) fn hit_features(
        &self,
        fx: &FeatureContext<'_>,
        h: &Hit,
        clitic: &str,
        same_type: usize,
        f: &mut FeatureSet,
    ) {
        let (s, toks) = (fx.s, fx.toks);
        let w = |i: isize| -> &str {
            if i < 0 {
                return "<s>";
            }
            toks.get(i as usize).map_or("</s>", |t| &s[t.start..t.end])
        };
        let (a, b) = (h.first as isize, h.last as isize);
        let family = self.lexicon.families[h.family as usize].id.as_str();
        let kind = h.kind.name();
        let trig = &s[h.start..h.end];
        f.add(&["bias"]);
        f.add(&["fam=", family]);
        f.add(&["fam=", family, "/", kind]);
        f.add(&["clitic=", clitic]);
        f.add(&["w-1=", w(a - 1)]);
        f.add(&["w-2=", w(a - 2)]);
        f.add(&["w+1=", w(b)]);
        f.add(&["w+2=", w(b + 1)]);
        f.add(&["trig=", trig]);
        f.add(&["w-1|trig=", w(a - 1), "|", trig]);
        f.add(&["trig|w+1=", trig, "|", w(b)]);
        // Stems of the neighbours: the same word with another clitic or ending is the same cue.
        f.add(&["s-1=", stem(w(a - 1))]);
        f.add(&["s+1=", stem(w(b))]);
        f.add(&["s+1|fam=", stem(w(b)), "|", family]);
        f.add(&["pos=", digit(h.first.min(5))]);
        f.add(&["same=", digit(same_type.min(3))]);
        f.add(&["actors=", digit(fx.actor_pos.len().min(2))]);
        f.add(&["clause=", digit(fx.clause_no.min(4))]);
        f.add(&["third=", digit(3 * h.first / toks.len().max(1))]);
        // Grammar around the trigger: object of a preposition, case ending of a plural noun (`ون` nominative =
        // a subject), clause-initial verb, inside quoted speech.
        let prev = w(a - 1);
        if PREPOSITIONS.contains(&prev)
            || (h.prefix_end > toks[h.first].start
                && matches!(&s[toks[h.first].start..h.prefix_end], "ب" | "ل" | "لل" | "بال" | "وب" | "وبال"))
        {
            f.add(&["after_prep"]);
            f.add(&["after_prep/", kind]);
        }
        if matches!(h.kind, FormKind::Noun) {
            if trig.ends_with("ون") {
                f.add(&["case=nom"]);
            } else if trig.ends_with("ين") {
                f.add(&["case=obl"]);
            }
        }
        // A noun trigger counted by a number right before it (`20 هجوما`, `ثلاث هجمات` via the count finder):
        // enumerated events that took place.
        if matches!(h.kind, FormKind::Noun)
            && (is_number(prev)
                || fx.counts.iter().any(|c| {
                    let last = toks.partition_point(|t| t.end < c.norm.end);
                    last + 1 == h.first
                }))
        {
            f.add(&["counted"]);
        }
        if counted_events(toks, fx.counts, h) {
            f.add(&[PASS]);
        }
        if h.kind.is_verb() && h.first == fx.clause.0 {
            f.add(&["verb_clause_initial"]);
        }
        let open = fx.quotes.partition_point(|q| q.0 < h.start).checked_sub(1).is_some_and(|i| fx.quotes[i].1);
        if open {
            f.add(&["quoted"]);
        }
        // Actors: roles of the assigned source and target, roles present in the clause.
        let role = |i: Option<usize>| role_name(fx.actors, i);
        f.add(&["src=", role(fx.source)]);
        f.add(&["tgt=", role(fx.target)]);
        f.add(&["src|tgt=", role(fx.source), "|", role(fx.target)]);
        for p in fx.actor_pos.iter().filter(|p| p.first >= fx.clause.0 && p.first < fx.clause.1) {
            f.add(&["crole=", role(Some(p.index))]);
        }
        // Counts near the trigger (within four words).
        for c in fx.counts {
            let w = toks.partition_point(|t| t.end <= c.norm.start);
            if w + 4 >= h.first && w <= h.last + 4 {
                let cat = c.category.map_or("person", |k| k.as_str());
                f.add(&["near_count=", cat]);
                if c.value >= 100 || c.approx {
                    f.add(&["near_count=", cat, "/large"]);
                }
            }
        }
        // Other trigger families of the sentence (a family seen only at this trigger's own word does not count).
        for &(family, lo, hi) in fx.families {
            if !(lo == h.first && hi == h.first) {
                f.add(&["cofam=", &self.lexicon.families[family as usize].id]);
            }
        }
        // Context groups of the words around the trigger, and a year among them.
        let window = h.first.saturating_sub(3)..(h.last + 3).min(toks.len());
        for t in &toks[window] {
            let word = &s[t.start..t.end];
            for g in self.rules.context_groups(word) {
                f.add(&["near=", g]);
            }
            if is_year(word) {
                f.add(&["near=year"]);
            }
        }
        f.finish();
    }

    /// Filter features of the whole sentence, the same for each of its candidates: roles of its actors, what
    /// its counts count, places, context groups, its bag of stems.
    pub(super) fn sentence_features(&self, fx: &FeatureContext<'_>, f: &mut FeatureSet) {
        let (s, toks) = (fx.s, fx.toks);
        for p in fx.actor_pos {
            f.add(&["arole=", role_name(fx.actors, Some(p.index))]);
        }
        for c in fx.counts {
            f.add(&["count=", c.category.map_or("person", |k| k.as_str())]);
        }
        f.add(&["places=", digit(fx.places.min(2))]);
        f.add(&["len=", digit((toks.len() / 10).min(5))]);
        for t in toks {
            let word = &s[t.start..t.end];
            if is_number(word) {
                f.add(&["ctx=number"]);
                // A year named in the sentence: often a dated, earlier event (`في 16 مايو 2003`).
                if is_year(word) {
                    f.add(&["ctx=year"]);
                }
            }
            for g in self.rules.context_groups(word) {
                f.add(&["ctx=", g]);
            }
            // Bag of stems (a bag of surface words as well only doubled the weights, measured under CV).
            f.add(&["bos=", stem(word)]);
        }
        f.finish();
    }
}

/// Is the noun trigger `h` the head of an events count right before it (`أكثر من 20 هجوما`)?
pub(super) fn counted_events(toks: &[Tok], counts: &[CountExpr], h: &Hit) -> bool {
    matches!(h.kind, FormKind::Noun)
        && counts.iter().any(|c| {
            c.category == Some(crate::counts::CountCategory::Events)
                && toks.partition_point(|t| t.end < c.norm.end) + 1 == h.first
        })
}

/// A four-digit year 1900–2099.
fn is_year(w: &str) -> bool {
    w.len() == 4 && is_number(w) && (w.starts_with("19") || w.starts_with("20"))
}

/// The role an actor contributes to filter features: its CAMEO role, else `country` (a state) or `uncoded`; `none`
/// for no actor. A person known only by a nationality (`اللاعب المصري محمد صلاح`) is `uncoded`: the filter is
/// trained on dictionary mentions, where a role-less coded actor is a state.
fn role_name(actors: &[ActorSlot], i: Option<usize>) -> &str {
    match i.and_then(|i| actors.get(i)) {
        None => "none",
        Some(a) => a.role.as_deref().unwrap_or(if a.country.is_some() && !a.person { "country" } else { "uncoded" }),
    }
}

/// For each quotation mark of a sentence (byte position, ascending): whether quoted speech is open just after
/// it (more `«` than `»` so far, or an odd number of `"`).
pub(super) fn quote_states(s: &str) -> Vec<(usize, bool)> {
    let (mut guillemets, mut straight) = (0i32, 0u32);
    s.char_indices()
        .filter(|(_, c)| matches!(c, '«' | '»' | '"'))
        .map(|(i, c)| {
            match c {
                '«' => guillemets += 1,
                '»' => guillemets -= 1,
                _ => straight += 1,
            }
            (i, guillemets > 0 || straight % 2 == 1)
        })
        .collect()
}

/// Each trigger family of a sentence with the first and last word index where one of its triggers starts.
pub(super) fn family_spans(hits: &[Hit]) -> Vec<(u32, usize, usize)> {
    let mut spans: Vec<(u32, usize, usize)> = Vec::new();
    for h in hits {
        match spans.iter_mut().find(|(f, _, _)| *f == h.family) {
            Some(span) => {
                span.1 = span.1.min(h.first);
                span.2 = span.2.max(h.first);
            }
            None => spans.push((h.family, h.first, h.first)),
        }
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_of_pieces_is_hash_of_name() {
        assert_eq!(name_hash(&["w-1=", "في"]), name_hash(&["w-1=في"]));
        let bias = name_hash(&["bias"]);
        assert_ne!(typed_key(type_hash("ASSAULT"), bias), typed_key(type_hash("PROTEST"), bias));
        let mut f = FeatureSet::new(true);
        f.add(&["a=", "x"]);
        f.add(&["a=x"]);
        f.finish();
        assert_eq!((f.hashes.len(), f.names.as_slice()), (1, &["a=x".to_string()][..]));
    }

    #[test]
    fn stems_strip_one_clitic_and_one_ending() {
        assert_eq!(stem("والمتظاهرون"), "متظاهر");
        assert_eq!(stem("هجماتهم"), "هجمات");
        assert_eq!(stem("في"), "في");
    }
}
