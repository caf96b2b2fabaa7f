//! Event detection: trigger lexicon → candidates per sentence, with assertion, arguments and a learned filter.
//!
//! The lead passes one normalised document, a sentence range in it, and the actor mentions found there;
//! [`EventDetector::detect`] appends one [`Candidate`] per trigger reading, coded or not, each with the rule and
//! the reasons that decided it (for `rasid explain`). Data: `data/events/` (see its README.md).

pub mod args;
pub mod assertion;
pub mod features;
pub mod filter;
pub mod inflect;
pub mod lexicon;
pub mod train;

pub use assertion::{ArticleDomains, Domains, LazyDomains, Modality};
pub use filter::{Filter, TrainConfig};
pub use lexicon::{LexiconError, PLOVER_TYPES};

use crate::counts::{CountExpr, CountFinder};
use args::{ActorPos, ArgContext};
use assertion::{AssertionRules, Tok};
use features::{family_spans, quote_states, FeatureContext, FeatureSet};
use inflect::Tense;
use lexicon::{FormKind, FormMatch, Frame, Lexicon, PrefixSet};
use rasid_text::normalize;
use std::ops::Range;

const BUNDLED_TRIGGERS: &str = include_str!("../../../../data/events/triggers.toml");
const BUNDLED_ASSERTION: &str = include_str!("../../../../data/events/assertion.toml");
const BUNDLED_FILTER: &str = include_str!("../../../../data/events/filter.tsv");
/// Weapon and vehicle nouns: after an instrumental `ب` the mention that follows is the agent (see [`args`]).
const BUNDLED_INSTRUMENTS: &str = include_str!("../../../../data/agents/instruments.txt");

/// Clitic prefixes allowed before a verb (conjunctions, future `س`, `ل` of purpose/command).
const VERB_PREFIXES: &[&str] = &["", "و", "ف", "س", "وس", "فس", "ل", "ول", "فل"];
/// Prepositions (normalised) whose object a nominal trigger may be (`على المتظاهرين`, `بعد الهجوم`): a closed
/// grammatical class. After one, a word is read as a noun, and an adverbial (`احتجاجا`) is none.
const PREPOSITIONS: &[&str] =
    &["علي", "ضد", "مع", "بين", "الي", "من", "عن", "في", "بعد", "منذ", "قبل", "عقب", "اثر", "خلال"];
/// Clitic prefixes allowed before a noun (conjunctions, prepositions, article).
const NOUN_PREFIXES: &[&str] = &[
    "", "و", "ف", "ب", "ل", "ك", "ال", "وال", "فال", "بال", "كال", "لل", "ولل", "فلل", "وب", "فب", "ول", "فل", "وك",
    "وبال", "فبال", "وكال",
];

/// The text the detector reads: a normalised document, and the byte offsets (increasing) of the `ه` in it that
/// are folded `ة` ([`rasid_text::NormalizedText::folded_ta_marbuta`]). Pass the `NormalizedText` itself; a plain
/// string has no folded `ة` and reads every word ending in `ه` as a possible verb.
#[derive(Debug, Clone, Copy)]
pub struct Normalised<'n> {
    pub text: &'n str,
    pub folded_ta: &'n [u32],
    /// `folded_ta` is known (from normalisation): a final `ه` not listed there was written `ه`, so it is no `ة`
    /// of a noun (`مصادره` "his sources" is not `مصادرة` "confiscation"). False for a plain string.
    pub ta_known: bool,
    /// Byte offsets of the letters written with a damma ([`rasid_text::NormalizedText::damma_letters`]): a perfect
    /// verb whose first letter has one is passive (`قُتل`). Empty for a plain string.
    pub damma: &'n [u32],
    /// The article's domains ([`EventDetector::article_domains`], or found on need from its body sentences); none
    /// unless the caller sets them.
    pub domains: ArticleDomains<'n>,
}

impl<'n> From<&'n rasid_text::NormalizedText> for Normalised<'n> {
    fn from(n: &'n rasid_text::NormalizedText) -> Self {
        Normalised {
            text: n.as_str(),
            folded_ta: n.folded_ta_marbuta(),
            ta_known: true,
            damma: n.damma_letters(),
            domains: ArticleDomains::default(),
        }
    }
}

impl<'n> From<&'n str> for Normalised<'n> {
    fn from(text: &'n str) -> Self {
        Normalised { text, folded_ta: &[], ta_known: false, damma: &[], domains: ArticleDomains::default() }
    }
}

impl<'n> From<&'n String> for Normalised<'n> {
    fn from(text: &'n String) -> Self {
        Normalised { text, folded_ta: &[], ta_known: false, damma: &[], domains: ArticleDomains::default() }
    }
}

/// The actors of a sentence and the participants the argument rules gave a trigger (indices into `actors`).
struct Parties<'a> {
    actors: &'a [ActorSlot],
    actor_pos: &'a [ActorPos],
    source: Option<usize>,
    target: Option<usize>,
}

/// An actor mention the lead found in the sentence (normalised byte range, codes if known).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ActorSlot {
    pub norm: Range<usize>,
    pub country: Option<[u8; 3]>,
    pub role: Option<String>,
    pub id: Option<u32>,
    /// A place (a city, or a country named as a location): only ever the destination target of a family with
    /// `place_target`, standing for the government of its country; never a filter actor feature.
    pub place: bool,
    /// A bare nationality adjective (`أمريكية`): only ever the source of an attack noun or an instrument it
    /// qualifies (`غارة إسرائيلية`, `بطائرة أمريكية`), see [`args`]; never a filter actor feature.
    pub nationality: bool,
    /// A role noun or title (`الرئيس الفرنسي`, `وزير الخارجية`), not a name.
    pub title: bool,
    /// A named person with a country: one the actor dictionary names (`إيمانويل ماكرون`) or a statistical name
    /// coded from the title or nationality before it (`اللاعب المصري محمد صلاح`). Right after a title of a
    /// compatible code it is the titled person (`الرئيس الفرنسي إيمانويل ماكرون`), one participant; it is never a
    /// state (filter features, domains).
    pub person: bool,
    /// A capital standing for its country's government (`في القاهرة` → EGY GOV), not a body named as such: in a
    /// sports report it is as likely a club (`ريال مدريد`).
    pub capital: bool,
}

impl ActorSlot {
    /// The slot of a mention as the pipeline passes it (`id` = the caller's mention index): an actor with a code,
    /// or a place with a country (a city, a capital or a country named as a location, `place = true`), or a
    /// nationality adjective with its country (`nationality = true`). `None` for uncoded mentions.
    pub fn of_mention(m: &crate::actors::Mention, id: u32) -> Option<ActorSlot> {
        let code = m.code.as_ref()?;
        if m.kind == rasid_lexicon::MatchKind::Nationality {
            return Some(ActorSlot {
                norm: m.norm.clone(),
                country: Some(code.country?.0),
                role: None,
                id: Some(id),
                place: false,
                nationality: true,
                ..ActorSlot::default()
            });
        }
        let place = !m.is_actor();
        let place_kind = matches!(
            m.kind,
            rasid_lexicon::MatchKind::Place | rasid_lexicon::MatchKind::Capital | rasid_lexicon::MatchKind::Country
        );
        if place && !(place_kind && code.country.is_some()) {
            return None;
        }
        Some(ActorSlot {
            norm: m.norm.clone(),
            country: code.country.map(|c| c.0),
            role: if place { None } else { code.role.map(|r| r.as_str().to_string()) },
            id: Some(id),
            place,
            nationality: false,
            title: !place && m.kind == rasid_lexicon::MatchKind::Agent,
            person: !place
                && m.kind == rasid_lexicon::MatchKind::Actor
                && m.entity == crate::actors::EntityType::Per
                && code.country.is_some(),
            capital: !place && m.kind == rasid_lexicon::MatchKind::Capital,
        })
    }

    /// Is this slot a title naming the person of slot `name`: a title (`الرئيس`, `الرئيس الفرنسي`) and a named
    /// person whose codes agree with it (the title's country and role, where it has them)?
    fn titles(&self, name: &ActorSlot) -> bool {
        self.title
            && name.person
            && (self.country.is_none() || self.country == name.country)
            && (self.role.is_none() || self.role == name.role)
    }
}

/// A code the argument rules give a participant instead of its mention's own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recode {
    /// The mention's country with this role (`بطائرة أمريكية`: the US military).
    Role(String),
    /// The mention's country alone, without a role (a place standing for the country where an act happens).
    CountryOnly,
}

/// One trigger reading in a sentence, coded or not.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate<'d> {
    pub plover: &'d str,
    pub cameo: Option<&'d str>,
    pub mode: Option<&'d str>,
    /// Lexicon family id (`assault.kill`).
    pub family: &'d str,
    /// Normalised byte range of the trigger (without clitic prefixes).
    pub trigger: Range<usize>,
    /// Index into the `actors` slice passed to `detect`.
    pub source: Option<usize>,
    pub target: Option<usize>,
    /// The code the source or target takes instead of its mention's own, when a rule says so.
    pub source_code: Option<Recode>,
    pub target_code: Option<Recode>,
    /// The act suspends attacks and no cue of its sentence names their target: the discourse rule
    /// [`EventDetector::carry_attack_targets`] gives it the target of the nearest earlier attack.
    pub suspends_attacks: bool,
    pub negated: bool,
    pub modality: Modality,
    /// True when this is an asserted event to output.
    pub coded: bool,
    /// Part of speech of the trigger form that fired.
    pub form: FormKind,
    /// Lexicon entry and form kind that fired, plus the argument heuristics used.
    pub rule: String,
    /// Every cue and decision, for `rasid explain`.
    pub reasons: Vec<String>,
    /// Filter probability, when a model covers this type and the rules coded the candidate.
    pub score: Option<f32>,
}

/// The compiled detector. Build once, share across threads.
#[derive(Debug, Clone)]
pub struct EventDetector {
    lexicon: Lexicon,
    /// Every clitic prefix a trigger form may follow in its word ([`VERB_PREFIXES`] and [`NOUN_PREFIXES`]).
    prefixes: PrefixSet,
    rules: AssertionRules,
    filter: Option<Filter>,
    agent_markers: Vec<Vec<String>>,
    locatives: Vec<String>,
    bridges: Vec<String>,
    /// Normalised verbs of undergoing (`تعرض`, `تعرضت`).
    undergo: Vec<String>,
    /// Normalised weapon and vehicle nouns (`data/agents/instruments.txt`).
    instruments: Vec<String>,
    /// Casualty and participant counts near a trigger are filter features.
    counts: CountFinder,
}

/// One raw lexicon hit on a word.
#[derive(Debug, Clone, Copy)]
struct Hit {
    first: usize,
    last: usize,
    start: usize,
    end: usize,
    family: u32,
    kind: FormKind,
    prefix_end: usize,
}

impl EventDetector {
    /// The detector over the lexicon, cues and filter model bundled from `data/events/`.
    pub fn bundled() -> Result<EventDetector, LexiconError> {
        let mut d = EventDetector::new(BUNDLED_TRIGGERS, BUNDLED_ASSERTION)?;
        let f = Filter::from_tsv("data/events/filter.tsv", BUNDLED_FILTER)?;
        d.filter = if f.is_empty() { None } else { Some(f) };
        Ok(d)
    }

    /// A detector from the texts of a trigger file and a cue file, without a filter.
    pub fn new(triggers_toml: &str, assertion_toml: &str) -> Result<EventDetector, LexiconError> {
        let lexicon = Lexicon::from_toml("triggers.toml", triggers_toml)?;
        let rules = AssertionRules::from_toml("assertion.toml", assertion_toml)?;
        // A sense no cue group and no domain names would silently never apply: refuse the lexicon instead.
        let known = |g: &String| rules.has_group(g) || rules.domains().iter().any(|d| d.senses.contains(g));
        if let Some((f, g)) = lexicon.families.iter().find_map(|f| f.senses.iter().find(|g| !known(g)).map(|g| (f, g)))
        {
            return Err(LexiconError::Invalid {
                file: "triggers.toml".into(),
                family: f.id.clone(),
                message: format!("no cue of sense group and no domain of sense `{g}` in assertion.toml"),
            });
        }
        // Likewise a domain sense no family lists would silence nothing.
        if let Some((d, g)) = rules.domains().iter().find_map(|d| {
            d.senses.iter().find(|g| !lexicon.families.iter().any(|f| f.senses.contains(g))).map(|g| (d, g))
        }) {
            return Err(LexiconError::Invalid {
                file: "assertion.toml".into(),
                family: d.name.clone(),
                message: format!("domain sense `{g}` is no family's sense in triggers.toml"),
            });
        }
        let agent_markers = lexicon
            .agent_markers
            .iter()
            .map(|m| normalize(m).split_whitespace().map(str::to_owned).collect())
            .collect();
        let locatives = lexicon.locative_words.iter().map(|w| normalize(w)).collect();
        let bridges = lexicon.bridge_words.iter().map(|w| normalize(w)).collect();
        let undergo = lexicon.undergo_verbs.iter().map(|w| normalize(w)).collect();
        let instruments = BUNDLED_INSTRUMENTS
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(normalize)
            .collect();
        Ok(EventDetector {
            lexicon,
            prefixes: PrefixSet::new(VERB_PREFIXES.iter().chain(NOUN_PREFIXES).copied()),
            rules,
            filter: None,
            agent_markers,
            locatives,
            bridges,
            undergo,
            instruments,
            counts: CountFinder::new(),
        })
    }

    /// Replaces the filter (None = rules only).
    pub fn set_filter(&mut self, filter: Option<Filter>) {
        self.filter = filter;
    }

    pub fn filter(&self) -> Option<&Filter> {
        self.filter.as_ref()
    }

    /// Number of trigger families and of compiled forms.
    pub fn size(&self) -> (usize, usize) {
        (self.lexicon.families.len(), self.lexicon.patterns.len())
    }

    /// The domains (`[[domain]]` of `assertion.toml`) of an article from its body sentences (byte ranges of the
    /// normalised `text`); set them on the [`Normalised`] text given to [`detect`](Self::detect).
    pub fn article_domains(&self, text: &str, sentences: impl IntoIterator<Item = Range<usize>>) -> Domains {
        let mut tokens = Vec::new();
        rasid_text::Tokenizer::shared().tokenize_str(text, &mut tokens);
        let (sentences, mut words): (Vec<Range<usize>>, _) = (sentences.into_iter().collect(), Vec::new());
        assertion::body_words(&tokens, &sentences, &mut words);
        self.rules.article_domains(text, &words)
    }

    /// The names of `domains`.
    pub fn domain_names(&self, domains: Domains) -> impl Iterator<Item = &str> {
        self.rules.domains().iter().enumerate().filter(move |(i, _)| domains.contains(*i)).map(|(_, d)| d.name.as_str())
    }

    /// Appends the candidates of sentence `sentence` of the normalised document `norm` to `out`.
    pub fn detect<'d, 'n>(
        &'d self,
        norm: impl Into<Normalised<'n>>,
        sentence: Range<usize>,
        actors: &[ActorSlot],
        out: &mut Vec<Candidate<'d>>,
    ) {
        self.detect_inner(norm.into(), sentence, actors, out, None);
    }

    /// As [`detect`](Self::detect), also returning the filter features of every rule-coded candidate (for training).
    pub fn detect_with_features<'d, 'n>(
        &'d self,
        norm: impl Into<Normalised<'n>>,
        sentence: Range<usize>,
        actors: &[ActorSlot],
        out: &mut Vec<Candidate<'d>>,
        feats: &mut Vec<Option<Vec<String>>>,
    ) {
        self.detect_inner(norm.into(), sentence, actors, out, Some(feats));
    }

    /// The article domain (`[[domain]]`) that makes a trigger of family `fam` in sentence `s` (words `toks`) a
    /// non-event: the article is a report of a domain that silences one of the family's senses, and politics takes
    /// no part — no actor of the sentence holds a role of the domain's `keep_roles` (`التقى الحريري بوتين عشية
    /// المونديال` is a meeting; a capital standing for its government, `ريال مدريد`, does not count), and neither the
    /// source nor the target is a country, unless the sentence names something of a domain whose countries may be
    /// teams (`تطالب بريطانيا بمعاقبة روسيا` is a demand; in `تلتقي فرنسا مع بلجيكا في نصف النهائي` the countries
    /// are teams; in a technology report `تطلب الصين من شركات التكنولوجيا` is the state's demand).
    fn domain_silences(
        &self,
        text: Normalised<'_>,
        fam: &lexicon::Family,
        s: &str,
        toks: &[Tok],
        parties: &Parties<'_>,
    ) -> Option<&str> {
        if !self.rules.may_silence(&fam.senses) {
            return None;
        }
        let (di, d) = self.rules.silencing_domain(text.domains.get(&self.rules, text.text), &fam.senses)?;
        let actors = parties.actors;
        let political = parties.actor_pos.iter().any(|p| {
            let a = &actors[p.index];
            !p.place && !p.nationality && !a.capital && d.keeps(a.role.as_deref())
        });
        let country_party = || {
            [parties.source, parties.target]
                .into_iter()
                .flatten()
                .any(|i| actors[i].country.is_some() && !actors[i].nationality && !actors[i].person)
                && !(d.country_teams && self.rules.has_domain_form(s, toks, di))
        };
        (!political && !country_party()).then_some(d.name.as_str())
    }

    fn detect_inner<'d>(
        &'d self,
        text: Normalised<'_>,
        sentence: Range<usize>,
        actors: &[ActorSlot],
        out: &mut Vec<Candidate<'d>>,
        mut feats_out: Option<&mut Vec<Option<Vec<String>>>>,
    ) {
        let norm = text.text;
        let Some(s) = norm.get(sentence.clone()) else {
            return;
        };
        let base = sentence.start;
        // Room for a word every four bytes (a normalised word is at least a letter and a space): one allocation.
        let mut toks = Vec::with_capacity(s.len() / 4 + 1);
        assertion::tokenize(s, &self.rules.clause_punct, &mut toks);
        if toks.is_empty() {
            return;
        }
        let ta = |i: usize| text.folded_ta.binary_search(&((base + i) as u32)).is_ok();
        let damma = |i: usize| text.damma.binary_search(&((base + i) as u32)).is_ok();
        let hits = self.find_hits(s, &toks, ta, text.ta_known, damma);
        // No trigger, no candidate: most sentences end here.
        if hits.is_empty() {
            return;
        }
        // Verb triggers read their clause across a parenthetical between commas (`اتهمت المنظمة، الجمعة، الحكومة`);
        // noun triggers keep the commas, which fence them off from a casualty clause before them (`قتل أربعة
        // مدنيين، الثلاثاء، جراء انفجار`: the victims are no agents of the explosion).
        let joined = s.contains(['،', ',']).then(|| toks.clone()).and_then(|mut t| {
            let any = self.rules.join_parentheticals(s, &mut t);
            any.then_some(t)
        });
        // Clause starts: punctuation, clause words, or a coordinated trigger verb (`و` + verb).
        let clause_opens = |toks: &[Tok]| {
            let mut opens: Vec<bool> = (0..toks.len()).map(|i| i == 0 || self.rules.opens_clause(s, toks, i)).collect();
            for h in &hits {
                if h.kind.is_verb() && h.prefix_end > toks[h.first].start && h.first > 0 {
                    let p = &s[toks[h.first].start..h.prefix_end];
                    if p == "و" || p == "ف" {
                        opens[h.first] = true;
                    }
                }
            }
            opens
        };
        let opens = clause_opens(&toks);
        let joined = joined.map(|t| {
            let o = clause_opens(&t);
            (t, o)
        });
        let actor_pos: Vec<ActorPos> = actors
            .iter()
            .enumerate()
            .filter_map(|(index, a)| {
                if a.norm.start < sentence.start || a.norm.end > sentence.end || a.norm.start >= a.norm.end {
                    return None;
                }
                let (st, en) = (a.norm.start - base, a.norm.end - base);
                let first = toks.iter().position(|t| t.end > st)?;
                let last = toks.iter().rposition(|t| t.start < en)? + 1;
                let prefix = s.get(toks[first].start..st).unwrap_or("");
                let preposed = args::has_preposition_clitic(prefix);
                let conjoined = prefix.starts_with(['و', 'ف']);
                let transnational = a
                    .role
                    .as_deref()
                    .and_then(rasid_lexicon::Role::parse)
                    .is_some_and(rasid_lexicon::Role::is_transnational);
                (first < last).then_some(ActorPos {
                    index,
                    first,
                    last,
                    place: a.place,
                    nationality: a.nationality,
                    preposed,
                    // A transnational code (`IMG` al-Qaeda, `IGO` the UN) stands in the country slot: such an
                    // actor is named, not a bare role.
                    bare: a.role.is_some() && a.country.is_none() && !a.place && !transnational,
                    national: a.country.is_some() || transnational,
                    conjoined,
                })
            })
            .collect();
        let actor_pos = titled_names(actor_pos, actors, &toks, s, base);
        // Filter features look at actors only, not at places or bare nationalities.
        let feature_pos: Vec<ActorPos> = actor_pos.iter().filter(|a| !a.place && !a.nationality).copied().collect();
        let first_out = out.len();
        let mut fallbacks: Vec<[Option<usize>; 4]> = Vec::new();
        // Per candidate: the place standing for the country where it happens (`place` in `target_roles`), and
        // whether an empty target is left to the discourse rule (`attacked`).
        let mut last_resorts: Vec<(Option<usize>, bool)> = Vec::new();
        // Counts of the sentence (normalised ranges relative to `s`), found once when a feature needs them.
        let mut counts: Option<Vec<CountExpr>> = None;
        let quotes = quote_states(s);
        let families = family_spans(&hits);
        // Feature buffers, reused across the sentence's candidates; sentence features are built once.
        let names = feats_out.is_some();
        let mut hit_feats = FeatureSet::new(names);
        let mut sentence_feats: Option<FeatureSet> = None;
        let mut sentence_sums: Vec<(&str, f32)> = Vec::new();
        let places = actor_pos.iter().filter(|a| a.place).count();
        let same_type_rule_coded = |plover: &str, hits: &[Hit]| {
            hits.iter().filter(|h| self.lexicon.families[h.family as usize].plover == plover).count()
        };
        // Agent-noun triggers of the sentence (`انتحاري`, `المتظاهرون`) by type, for [`ArgContext::agent_nouns`].
        let mut agent_nouns: Vec<(usize, usize)> = Vec::new();
        let mut passive_ends: Vec<usize> = Vec::new();
        for h in &hits {
            let fam = &self.lexicon.families[h.family as usize];
            agent_nouns.clear();
            agent_nouns.extend(
                hits.iter()
                    .filter(|o| o.kind == FormKind::Noun && o.first != h.first)
                    .filter(|o| {
                        let f = &self.lexicon.families[o.family as usize];
                        f.plover == fam.plover && f.frame != Frame::Casualty
                    })
                    .map(|o| (o.first, o.last)),
            );
            passive_ends.clear();
            // A passive verb of the type before the trigger: written passive, or a transitive perfect with a count
            // right after it, read passive as the argument rules read it (`قتل 70 شخصا في الهجوم`: the people are
            // victims; not `خرجت 15 ألف امرأة في مسيرة`, where the verb has no object).
            let counted_after = |o: &Hit| {
                o.kind == FormKind::Verb(Tense::Past)
                    && self.lexicon.families[o.family as usize].frame == Frame::Verb
                    && toks.get(o.last).and_then(|t| s.get(t.start..t.end)).is_some_and(args::is_count_word)
            };
            passive_ends.extend(
                hits.iter()
                    .filter(|o| (o.kind == FormKind::Verb(Tense::Passive) || counted_after(o)) && o.last <= h.first)
                    .filter(|o| self.lexicon.families[o.family as usize].plover == fam.plover)
                    .map(|o| o.last),
            );
            let (toks_h, opens_h): (&[Tok], &[bool]) = match &joined {
                Some((t, o)) if h.kind.is_verb() => (t, o),
                _ => (&toks, &opens),
            };
            let clause_start = (0..=h.first).rev().find(|&i| opens_h[i]).unwrap_or(0);
            let clause_end = (h.last..toks.len()).find(|&i| opens_h[i] && i > h.first).unwrap_or(toks.len());
            let clitic = &s[toks[h.first].start..h.prefix_end];
            let mut a =
                self.rules.assess(s, toks_h, (clause_start, clause_end), (h.first, h.last), h.kind, clitic, fam);
            if a.modality == Modality::Asserted && !a.negated {
                if let Some(v) = self.coordinated_future(s, &toks, &hits, h, clitic) {
                    a.modality = Modality::Future;
                    a.reasons
                        .push(format!("future: coordinated with the future verb `{}`", &s[toks[v.first].start..v.end]));
                }
            }
            let mut reasons = a.reasons.clone();
            let cx = ArgContext {
                s,
                toks: toks_h,
                clause: (clause_start, clause_end),
                trig: (h.first, h.last),
                frame: match (h.kind, fam.noun_frame) {
                    (FormKind::Noun, Some(f)) => f,
                    _ => fam.frame,
                },
                kind: h.kind,
                target_preps: &fam.target_preps,
                agent_markers: &self.agent_markers,
                locatives: &self.locatives,
                bridges: &self.bridges,
                undergo: &self.undergo,
                place_target: fam.place_target,
                svo_passive: fam.svo_passive,
                partners: fam.partners,
                nationality_role: fam.source_roles.iter().find_map(|r| r.strip_prefix("nationality:")),
                instruments: &self.instruments,
                agent_nouns: &agent_nouns,
                passive_ends: &passive_ends,
                verbal_noun: h.kind == FormKind::Noun && fam.noun_frame.is_some(),
                // `احتجاجا` alone (no clitic, not after a preposition): "in protest", an adverbial of purpose.
                adverbial: h.kind == FormKind::Noun
                    && h.last == h.first + 1
                    && clitic.is_empty()
                    && fam.adverbials.iter().any(|w| w == &s[toks[h.first].start..toks[h.first].end])
                    && !after_preposition(s, &toks, h.first),
            };
            let assigned = args::assign_full(&cx, &actor_pos, &mut reasons);
            let (source, target) = (assigned.source, assigned.target);
            if a.nonevent.is_none() {
                let parties = Parties { actors, actor_pos: &actor_pos, source, target };
                if let Some(name) = self.domain_silences(text, fam, s, &toks, &parties) {
                    a.nonevent = Some(format!("domain.{name}"));
                    reasons.push(format!(
                        "domain.{name}: a {name} report; no actor of the sentence holds a political role \
                         (`keep_roles`), and no country takes part outside a sentence of the {name}"
                    ));
                }
            }
            // Filter features see the syntactic assignment only (not the typed fallback below).
            let (syn_source, syn_target) = (source, target);
            // Typed fallback: the nearest actor of the sentence whose role fits the family's slot. Actors with a
            // role fill the slot now; a bare country (`country`) only if sharing within the type leaves it empty.
            let nearest_with = |roles: &[String], other: Option<usize>, bare_country: bool| {
                if roles.is_empty() {
                    return None;
                }
                actor_pos
                    .iter()
                    .filter(|p| !p.place && !p.nationality && Some(p.index) != other)
                    // A bare role right after a locative word (`الشارع الرئيس` "the main street") is where, not
                    // who; a capital after one (`في القاهرة` → EGY GOV) may stand for its government.
                    .filter(|p| {
                        !p.bare || p.first == 0 || {
                            let t = &toks[p.first - 1];
                            !self.locatives.iter().any(|l| l.as_str() == &s[t.start..t.end])
                        }
                    })
                    // The speaker of a reported clause (`قالت الشرطة إن مسلحين خطفوا …`) takes no part in it.
                    .filter(|p| {
                        p.last > h.first
                            || !(p.last..h.first).any(|i| {
                                toks.get(i).is_some_and(|t| args::COMPLEMENTIZERS.contains(&&s[t.start..t.end]))
                            })
                    })
                    .filter(|p| {
                        let a = &actors[p.index];
                        match &a.role {
                            Some(r) => !bare_country && roles.iter().any(|x| x == r),
                            None => bare_country && a.country.is_some() && roles.iter().any(|x| x == "country"),
                        }
                    })
                    .min_by_key(|p| if p.first >= h.last { p.first - h.last } else { h.first - p.last.min(h.first) })
                    .map(|p| p.index)
            };
            // Proposed now, used only where sharing within the type (below) leaves a slot empty.
            // A bare role in apposition with a named actor (`رئيس الوزراء، إيهود أولمرت`) stands for that actor.
            let named = |i: Option<usize>| i.map(|i| args::apposition(&cx, &actor_pos, i).unwrap_or(i));
            fallbacks.push([
                named(nearest_with(&fam.source_roles, target, false)),
                named(nearest_with(&fam.target_roles, source, false)),
                nearest_with(&fam.source_roles, target, true),
                nearest_with(&fam.target_roles, source, true),
            ]);
            let place_fallback = fam.target_roles.iter().any(|r| r == "place").then(|| {
                actor_pos
                    .iter()
                    .filter(|p| p.place && actors[p.index].country.is_some())
                    .min_by_key(|p| if p.first >= h.last { p.first - h.last } else { h.first - p.last.min(h.first) })
                    .map(|p| p.index)
            });
            last_resorts.push((place_fallback.flatten(), fam.target_roles.iter().any(|r| r == "attacked")));
            let mut plover = fam.plover;
            // A recoded act takes the recode's CAMEO code; a changed type keeps none of the family's own.
            let mut cameo = fam.cameo.as_deref();
            let mut coded = !a.negated && a.nonevent.is_none() && a.modality == Modality::Asserted;
            if a.modality == Modality::Future && !a.negated && a.nonevent.is_none() {
                if let Some((t, code)) = fam.future_reading() {
                    (plover, cameo) = (t, code);
                    coded = true;
                    reasons.push(format!("future act coded as {t} (family `future`)"));
                }
            }
            if a.negated && !a.absent && a.nonevent.is_none() && a.modality == Modality::Asserted {
                if let Some((t, code)) = fam.negated_reading() {
                    (plover, cameo) = (t, code);
                    coded = true;
                    reasons.push(format!("negated act coded as {t} (family `negated`)"));
                }
            }
            let mut mode = fam.mode.as_deref();
            if let (true, Some((cue, r))) = (coded, a.recode.and_then(|i| self.rules.recoding(i))) {
                (plover, cameo, mode) = (r.plover, r.cameo.as_deref(), r.mode.as_deref());
                reasons.push(format!("coded as {} (cue `{cue}`)", r.plover));
            }
            if !coded && a.negated {
                reasons.push("not coded: negated".into());
            } else if let (false, Some(n)) = (coded, &a.nonevent) {
                reasons.push(format!("not coded: non-event sense `{n}`"));
            } else if !coded {
                reasons.push(format!("not coded: {}", a.modality.name()));
            }
            let mut score = None;
            let mut feats = None;
            if coded {
                let want = feats_out.is_some() || self.filter.as_ref().is_some_and(|f| f.covers(plover));
                if want {
                    let n = same_type_rule_coded(plover, &hits);
                    let clause_no = opens_h[..=h.first].iter().filter(|o| **o).count();
                    let counts = counts.get_or_insert_with(|| {
                        let mut v = Vec::new();
                        self.counts.find(s, &mut v);
                        v
                    });
                    let fx = FeatureContext {
                        s,
                        toks: toks_h,
                        actors,
                        actor_pos: &feature_pos,
                        places,
                        source: syn_source,
                        target: syn_target,
                        clause: (clause_start, clause_end),
                        clause_no,
                        counts,
                        quotes: &quotes,
                        families: &families,
                    };
                    hit_feats.clear();
                    self.hit_features(&fx, h, clitic, n, &mut hit_feats);
                    // Features of the whole sentence are the same for every candidate: built once, and their
                    // weight summed once per type, so a sentence of many triggers costs linear time.
                    let sent = sentence_feats.get_or_insert_with(|| {
                        let mut f = FeatureSet::new(names);
                        self.sentence_features(&fx, &mut f);
                        f
                    });
                    let counted = features::counted_events(&toks, counts, h);
                    if counted {
                        reasons.push("counted events (`أكثر من 20 هجوما`): asserted, not filtered".into());
                    }
                    if let Some(m) = self.filter.as_ref().filter(|m| m.covers(plover) && !counted) {
                        let sent_sum = match sentence_sums.iter().find(|(t, _)| *t == plover) {
                            Some(&(_, sum)) => sum,
                            None => {
                                let sum = m.sum(plover, &sent.hashes);
                                sentence_sums.push((plover, sum));
                                sum
                            }
                        };
                        let p = m.probability_of_sum(sent_sum + m.sum(plover, &hit_feats.hashes));
                        score = Some(p);
                        let t = m.threshold_for(plover);
                        if p < t {
                            coded = false;
                            reasons.push(format!("not coded: filter p={p:.2} < {t:.2}"));
                        } else {
                            reasons.push(format!("filter p={p:.2}"));
                        }
                    }
                    if names {
                        let mut all: Vec<&str> =
                            hit_feats.names.iter().chain(sent.names.iter()).map(String::as_str).collect();
                        all.sort_unstable();
                        all.dedup();
                        feats = Some(all.iter().map(|x| format!("{plover}|{x}")).collect());
                    }
                }
            }
            if let Some(fo) = feats_out.as_deref_mut() {
                fo.push(feats);
            }
            out.push(Candidate {
                plover,
                cameo,
                mode,
                family: &fam.id,
                trigger: base + h.start..base + h.end,
                source,
                target,
                source_code: assigned.source_code,
                target_code: None,
                suspends_attacks: false,
                negated: a.negated,
                modality: a.modality,
                coded,
                form: h.kind,
                rule: format!("{}/{}", fam.id, h.kind.name()),
                reasons,
                score,
            });
        }
        share_arguments(&mut out[first_out..]);
        for ((c, fb), (place, attacked)) in out[first_out..].iter_mut().zip(fallbacks).zip(last_resorts) {
            for (k, why) in [(0, "an actor of a typical source role"), (2, "a country actor")] {
                if c.source.is_none() && fb[k].is_some_and(|a| Some(a) != c.target) {
                    c.source = fb[k];
                    c.reasons.push(format!("source: nearest {why} in the sentence"));
                }
            }
            for (k, why) in [(1, "an actor of a typical target role"), (3, "a country actor")] {
                if c.target.is_none() && fb[k].is_some_and(|a| Some(a) != c.source) {
                    c.target = fb[k];
                    c.reasons.push(format!("target: nearest {why} in the sentence"));
                }
            }
            if c.target.is_none() && attacked {
                c.suspends_attacks = true;
                c.reasons.push("target: left to the discourse rule (the target of the nearest earlier attack)".into());
            }
            if c.target.is_none() && place.is_some_and(|p| Some(p) != c.source) {
                c.target = place;
                c.target_code = Some(Recode::CountryOnly);
                c.reasons.push("target: the country where it happens (`place` in target_roles)".into());
            }
        }
    }

    /// Discourse rule for acts that suspend attacks (`attacked` in the family's `target_roles`): an event
    /// `events[i]` of such a family whose sentence names no target (`ستعلق هجماتها`) takes the target of the
    /// nearest earlier ASSAULT of the article that has one, asserted or negated, and whose source is unknown or
    /// of the suspending actor or its role (`مقتل ثلاثة جنود أمريكيين`, not `قتل سلفه بطائرة أمريكية`); its
    /// `rule` gains `+target:earlier-attack`. `suspends[i]` is the
    /// candidate's [`Candidate::suspends_attacks`].
    pub fn carry_attack_targets(events: &mut [crate::model::Event], suspends: &[bool]) {
        for i in 0..events.len() {
            if !suspends.get(i).copied().unwrap_or(false) || events[i].target.is_some() {
                continue;
            }
            // The suspended attacks are the suspending actor's: an earlier attack by someone else (`قتل سلفه
            // بطائرة أمريكية`) is not among them; one whose source is unknown or of the same actor or role is.
            let by = events[i].source.clone();
            let same_side = |e: &crate::model::Event| match (&e.source, &by) {
                (None, _) | (_, None) => true,
                (Some(a), Some(b)) => a.actor_id == b.actor_id || (a.role.is_some() && a.role == b.role),
            };
            let earlier = events[..i].iter().rev().find(|e| {
                e.kind == "ASSAULT"
                    && e.target.is_some()
                    && matches!(e.modality, crate::model::Modality::Asserted)
                    && e.sentence <= events[i].sentence
                    && same_side(e)
                    && e.target.as_ref().map(|t| &t.actor_id) != by.as_ref().map(|b| &b.actor_id)
            });
            if let Some(t) = earlier.and_then(|e| e.target.clone()) {
                events[i].target = Some(t);
                events[i].rule.push_str("+target:earlier-attack");
            }
        }
    }

    /// Does one of the tail alternatives `tail` start within the six words after word `after` (same clause)?
    /// The first tail word may carry a clitic prefix (`بقرار` for `ب`, `وقواته`).
    fn tail_follows(&self, s: &str, toks: &[Tok], after: usize, tail: Option<u32>) -> bool {
        let Some(tail) = tail.and_then(|t| self.lexicon.tails.get(t as usize)) else {
            return true;
        };
        let word = |i: usize| toks.get(i).map_or("", |t| &s[t.start..t.end]);
        // `tail_apart`: right after a verb without an object pronoun the tail reads another verb (`تحمل المسؤولية`).
        let adjacent_ok =
            !tail.apart || after.checked_sub(1).is_some_and(|v| inflect::OBJECT.iter().any(|p| word(v).ends_with(p)));
        (after..(after + 6).min(toks.len()))
            .take_while(|&j| j == after || !toks[j].punct_before)
            .filter(|&j| j > after || adjacent_ok)
            .any(|j| {
                tail.alternatives.iter().any(|alt| {
                    alt.iter().enumerate().all(|(k, w)| {
                        let x = word(j + k);
                        x == w || (k == 0 && x.strip_suffix(w.as_str()).is_some_and(|p| NOUN_PREFIXES.contains(&p)))
                    })
                })
            })
    }

    /// True when a word of `norm[range]` is a clause word of the cue rules (`فيما`, `حيث`, `الذي` …).
    pub fn has_clause_word(&self, norm: &str, range: Range<usize>) -> bool {
        norm.get(range).is_some_and(|s| s.split_whitespace().any(|w| self.rules.is_clause_word(w)))
    }

    /// The PLOVER type and CAMEO code an act of family `family` (id) takes when it is a future one: the family's
    /// `future` type, with its `future_cameo`, or its own code when the type is unchanged; `None` when the family
    /// codes no future act.
    pub fn future_reading(&self, family: &str) -> Option<(&str, Option<&str>)> {
        self.lexicon.families.iter().find(|f| f.id == family)?.future_reading()
    }

    /// `سيزور موسكو … ويلتقي نظيره`: a present verb joined by `و`/`ف` to the preceding trigger verb, marked future by
    /// its `س`, shares that tense (a verb without the conjunction, `فيما يلتقي`, opens a clause of its own). Returns
    /// the future verb.
    fn coordinated_future<'h>(&self, s: &str, toks: &[Tok], hits: &'h [Hit], h: &Hit, clitic: &str) -> Option<&'h Hit> {
        if h.kind != FormKind::Verb(Tense::Present) || !matches!(clitic, "و" | "ف") {
            return None;
        }
        let prev = hits.iter().filter(|o| o.kind.is_verb() && o.last <= h.first).max_by_key(|o| o.first)?;
        let prev_clitic = &s[toks[prev.first].start..prev.prefix_end];
        (prev.kind == FormKind::Verb(Tense::Present) && prev_clitic.ends_with('س')).then_some(prev)
    }

    /// Lexicon forms that end at a word end after an allowed clitic prefix, best reading per word and family.
    /// `folded_ta(i)`: the `ه` at byte `i` of `s` is a folded `ة`, so a word ending there is no verb; with
    /// `ta_known`, a final `ه` that is not folded is no `ة` of a noun either.
    fn find_hits(
        &self,
        s: &str,
        toks: &[Tok],
        folded_ta: impl Fn(usize) -> bool,
        ta_known: bool,
        damma: impl Fn(usize) -> bool,
    ) -> Vec<Hit> {
        let mut hits: Vec<Hit> = Vec::new();
        let mut forms: Vec<FormMatch> = Vec::new();
        self.lexicon.find_forms(s, toks, &self.prefixes, &mut forms);
        for &FormMatch { first, last, start: st, end: en, pattern } in &forms {
            let Some(t0) = toks.get(first) else { continue };
            let prefix = &s[t0.start..st];
            let Some(readings) = self.lexicon.readings.get(pattern as usize) else { continue };
            // `وزارة` is not `و` + `زاره` ("and he visited him"): a verb never ends in `ة`, nor does a pronoun
            // (`طلبة` "students" is not `طلبه` "his request").
            let h_end = s[..en].ends_with('ه');
            let ta_end = h_end && folded_ta(en - 'ه'.len_utf8());
            // `مصادره` ("his sources") is not `مصادرة`: a noun written with `ة` needs a folded `ة` there.
            let plain_h = h_end && ta_known && !ta_end;
            let ok = |r: &lexicon::Reading| match r.kind {
                // The future `س` goes before an imperfect only (`سايد` in `ويست سايد` is no `س` + `أيد`).
                FormKind::Verb(Tense::Past) => !ta_end && VERB_PREFIXES.contains(&prefix) && !prefix.ends_with('س'),
                FormKind::Verb(_) => !ta_end && VERB_PREFIXES.contains(&prefix),
                FormKind::Noun => {
                    let misread = (ta_end && r.pronoun_h) || (plain_h && r.ta_noun);
                    !misread && NOUN_PREFIXES.contains(&prefix)
                }
                FormKind::Phrase => VERB_PREFIXES.contains(&prefix) || NOUN_PREFIXES.contains(&prefix),
            };
            // A word after a preposition is a noun (`على طلب قاآني`): a masdar, not a verb.
            let after_prep = after_preposition(s, toks, first);
            let nounish = after_prep
                || prefix.contains("ال")
                || prefix.ends_with('ب')
                || prefix.ends_with('ك')
                || prefix.ends_with("لل");
            // `قُتل`, `أُصيب`: a perfect written with a damma on its first letter is passive (no active perfect has
            // one there).
            let vocalised_passive = damma(st);
            for r in readings.iter().filter(|r| ok(r) && self.tail_follows(s, toks, last, r.tail)) {
                let kind = match r.kind {
                    FormKind::Verb(Tense::Past) if vocalised_passive => FormKind::Verb(Tense::Passive),
                    k => k,
                };
                let h = Hit { first, last, start: st, end: en, family: r.family, kind, prefix_end: st };
                let rank = |k: FormKind| match k {
                    FormKind::Phrase => 4,
                    FormKind::Noun if nounish => 3,
                    FormKind::Verb(Tense::Present) if prefix.ends_with('س') => 3,
                    FormKind::Verb(Tense::Passive) => 2,
                    FormKind::Verb(_) => 1,
                    FormKind::Noun => 0,
                };
                match hits.iter_mut().find(|x| x.first == first && x.family == r.family) {
                    Some(x) => {
                        let longer = (en - st) > (x.end - x.start);
                        let same = (en - st) == (x.end - x.start);
                        if longer || (same && rank(kind) > rank(x.kind)) {
                            *x = h;
                        }
                    }
                    None => hits.push(h),
                }
            }
        }
        // A longer match (phrase) hides shorter matches of other families inside it.
        let all = hits.clone();
        hits.retain(|h| {
            !all.iter().any(|o| o.start <= h.start && o.end >= h.end && (o.end - o.start) > (h.end - h.start))
        });
        hits.sort_by_key(|h| (h.start, h.family));
        hits
    }
}

/// Triggers of one PLOVER type in one sentence mostly describe one event (`مظاهرة … المتظاهرين`, `مقارنة بأكثر
/// من 20 هجوما` after `هجمات على القوات`): a candidate without a source or target takes it from the nearest
/// candidate of the same type that has one, unless that actor already fills its other slot. Triggers of one
/// lexicon family count too: a refusal (a negated agreement, coded REJECT) and an agreement in one sentence answer
/// the same proposal (`لم توافق إحدى الفصائل على طلب قاآني، فإن معظم الفصائل وافقت على ذلك`).
fn share_arguments(cands: &mut [Candidate<'_>]) {
    /// The slot `pick` of the nearest other candidate of the same type, if it is not `other`.
    fn nearest(
        cands: &[Candidate<'_>],
        i: usize,
        pick: fn(&Candidate<'_>) -> Option<usize>,
        other: Option<usize>,
    ) -> Option<(usize, usize)> {
        cands
            .iter()
            .enumerate()
            .filter(|(j, o)| *j != i && (o.plover == cands[i].plover || o.family == cands[i].family))
            .filter_map(|(j, o)| pick(o).filter(|a| Some(*a) != other).map(|a| (j.abs_diff(i), j, a)))
            .min()
            .map(|(_, j, a)| (j, a))
    }
    for i in 0..cands.len() {
        if cands[i].source.is_none() {
            if let Some((j, a)) = nearest(cands, i, |o| o.source, cands[i].target) {
                let from = cands[j].family;
                cands[i].source = Some(a);
                cands[i]
                    .reasons
                    .push(format!("source: shared with `{from}` of the same type or family in the sentence"));
            }
        }
        if cands[i].target.is_none() {
            if let Some((j, a)) = nearest(cands, i, |o| o.target, cands[i].source) {
                let from = cands[j].family;
                cands[i].target = Some(a);
                cands[i]
                    .reasons
                    .push(format!("target: shared with `{from}` of the same type or family in the sentence"));
            }
        }
    }
}

/// A title right before the name of the person it titles, with nothing between (`الرئيس الفرنسي إيمانويل ماكرون`,
/// `الرئيس محمود عباس`), is one participant: the name's mention, stretched over the title, stands for both (the
/// name carries the fuller code). Not across punctuation (apposition after a comma is [`args`]' rule) nor before a
/// name written with a conjunction (`الرئيس ومحمود عباس` is a list).
fn titled_names(
    mut pos: Vec<ActorPos>,
    actors: &[ActorSlot],
    toks: &[assertion::Tok],
    s: &str,
    base: usize,
) -> Vec<ActorPos> {
    pos.sort_by_key(|a| a.first);
    // `dedup_by` hands each mention `b` with the one kept before it, `a`: a titled name replaces its title in place.
    pos.dedup_by(|b, a| {
        let title = actors[a.index].norm.clone();
        let merge = a.last == b.first
            && !toks[b.first].punct_before
            && !b.conjoined
            && !b.preposed
            && actors[a.index].titles(&actors[b.index])
            && crate::names::is_person_title(s, title.start - base..title.end - base);
        if merge {
            *a = ActorPos { first: a.first, preposed: a.preposed, ..*b };
        }
        merge
    });
    pos
}

/// Is word `i` of `s` (words `toks`) right after one of [`PREPOSITIONS`]?
fn after_preposition(s: &str, toks: &[Tok], i: usize) -> bool {
    i.checked_sub(1).and_then(|j| toks.get(j)).is_some_and(|t| PREPOSITIONS.contains(&&s[t.start..t.end]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn coded(d: &EventDetector, text: &str) -> Vec<(String, bool)> {
        let n = normalize(text);
        let mut out = Vec::new();
        d.detect(&n, 0..n.len(), &[], &mut out);
        out.iter().map(|c| (c.plover.to_string(), c.coded)).collect()
    }

    #[test]
    fn bundled_loads_and_detects() {
        let d = EventDetector::bundled().unwrap();
        let (fams, forms) = d.size();
        assert!(fams >= 16 && forms > 1000, "{fams} {forms}");
        assert!(d.filter().is_some_and(|f| f.covers("ASSAULT") && f.covers("PROTEST")));
        let mut rules = d.clone();
        rules.set_filter(None);
        let c = coded(&rules, "وقتل مسلحون ثلاثة جنود في هجوم على حاجز للجيش.");
        assert!(c.iter().any(|(p, k)| p == "ASSAULT" && *k), "{c:?}");
    }

    #[test]
    fn filter_scores_rule_coded_candidates() {
        let d = EventDetector::bundled().unwrap();
        let n = normalize("قصفت الطائرات مواقع المسلحين أمس.");
        let mut out = Vec::new();
        d.detect(&n, 0..n.len(), &[], &mut out);
        let c = out.iter().find(|c| c.plover == "ASSAULT").expect("an ASSAULT candidate");
        let p = c.score.expect("the filter scored it");
        assert!((0.0..=1.0).contains(&p));
        assert!(c.reasons.iter().any(|r| r.contains("filter")));
    }

    #[test]
    fn negation_blocks_coding() {
        let d = EventDetector::bundled().unwrap();
        let c = coded(&d, "لم تقع هجمات على القوات منذ أسبوعين.");
        assert!(c.iter().any(|(p, _)| p == "ASSAULT"), "{c:?}");
        assert!(!c.iter().any(|(p, k)| p == "ASSAULT" && *k), "{c:?}");
    }

    #[test]
    fn unknown_sense_group_is_refused() {
        let t = BUNDLED_TRIGGERS.replacen(r#"senses = ["generic"]"#, r#"senses = ["no-such-group"]"#, 1);
        assert_ne!(t, BUNDLED_TRIGGERS);
        let e = EventDetector::new(&t, BUNDLED_ASSERTION).unwrap_err().to_string();
        assert!(e.contains("no domain of sense `no-such-group`"), "{e}");
        let a = BUNDLED_ASSERTION.replacen(r#"senses = ["sport", "match"]"#, r#"senses = ["sport", "nothing"]"#, 1);
        assert_ne!(a, BUNDLED_ASSERTION);
        let e = EventDetector::new(BUNDLED_TRIGGERS, &a).unwrap_err().to_string();
        assert!(e.contains("domain sense `nothing`"), "{e}");
    }

    #[test]
    #[allow(clippy::reversed_empty_ranges)]
    fn no_panic_on_bad_ranges() {
        let d = EventDetector::bundled().unwrap();
        let n = normalize("قصف الطيران المدينة");
        let mut out = Vec::new();
        d.detect(&n, 1..n.len(), &[], &mut out);
        d.detect(&n, 0..n.len() + 10, &[], &mut out);
        d.detect(&n, 5..2, &[ActorSlot { norm: 100..3, ..Default::default() }], &mut out);
        d.detect("", 0..0, &[], &mut out);
    }

    /// The search [`Lexicon::find_forms`] replaced: an overlapping Aho-Corasick scan of the sentence over every
    /// pattern, keeping the matches that start at a word's start after an allowed prefix and end at a word end.
    fn reference_forms(ac: &aho_corasick::AhoCorasick, s: &str, toks: &[Tok]) -> Vec<FormMatch> {
        let prefixes: Vec<&str> = VERB_PREFIXES.iter().chain(NOUN_PREFIXES).copied().collect();
        ac.find_overlapping_iter(s)
            .filter_map(|m| {
                let (start, end) = (m.start(), m.end());
                let first = toks.partition_point(|t| t.end <= start);
                let t0 = toks.get(first).filter(|t| t.start <= start)?;
                let last = toks[first..].iter().position(|t| t.end == end)? + first + 1;
                let pattern = m.pattern().as_u32();
                prefixes.contains(&&s[t0.start..start]).then_some(FormMatch { first, last, start, end, pattern })
            })
            .collect()
    }

    fn reference_automaton(d: &EventDetector) -> aho_corasick::AhoCorasick {
        aho_corasick::AhoCorasickBuilder::new()
            .match_kind(aho_corasick::MatchKind::Standard)
            .build(&d.lexicon.patterns)
            .unwrap()
    }

    /// Compares the forms found in normalised text `s` with the reference's, in order; returns them.
    fn same_forms(d: &EventDetector, ac: &aho_corasick::AhoCorasick, s: &str) -> Vec<FormMatch> {
        let mut toks = Vec::new();
        assertion::tokenize(s, &d.rules.clause_punct, &mut toks);
        let mut got = Vec::new();
        d.lexicon.find_forms(s, &toks, &d.prefixes, &mut got);
        assert_eq!(got, reference_forms(ac, s, &toks), "in `{s}`");
        got
    }

    #[test]
    fn forms_are_found_where_the_automaton_found_them() {
        let d = EventDetector::bundled().unwrap();
        let ac = reference_automaton(&d);
        assert_eq!(d.lexicon.forms.patterns().len(), d.lexicon.patterns.len(), "every pattern is a key");
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/events");
        let mut cases = 0;
        for file in std::fs::read_dir(dir).unwrap() {
            let text = std::fs::read_to_string(file.unwrap().path()).unwrap();
            let v: toml::Value = toml::from_str(&text).unwrap();
            for case in v.get("case").and_then(|c| c.as_array()).into_iter().flatten() {
                if let Some(t) = case.get("text").and_then(|t| t.as_str()) {
                    same_forms(&d, &ac, &normalize(t));
                    cases += 1;
                }
            }
        }
        assert!(cases > 100, "{cases}");
        same_forms(&d, &ac, &normalize(include_str!("../../../../samples/mosul-checkpoint.ar.txt")));
        // Every pattern alone is found (a phrase's words are words as the tokenizer reads them); and each with every
        // prefix, cut short, run on into a word or into the next pattern, and followed by punctuation.
        let pats = &d.lexicon.patterns;
        for (i, p) in pats.iter().enumerate() {
            let alone = same_forms(&d, &ac, p);
            let bounded = p.starts_with(assertion::is_word_char) && p.ends_with(assertion::is_word_char);
            assert!(!bounded || alone.iter().any(|m| m.pattern as usize == i), "`{p}` alone is not found");
            if i % 5 != 0 {
                continue;
            }
            let cut = p.char_indices().nth(p.chars().count() / 2).map_or(0, |(k, _)| k);
            let next = &pats[(i * 7 + 3) % pats.len()];
            let mut text = format!("{p}ية {}، {p}{next} ({p}).", &p[..cut]);
            for x in VERB_PREFIXES.iter().chain(NOUN_PREFIXES) {
                text.push_str(&format!(" {x}{p}"));
            }
            same_forms(&d, &ac, &text);
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(500))]
        /// Text made of the patterns' words, clitic prefixes and punctuation: the forms found are the reference's.
        #[test]
        fn forms_equal_reference(picks in proptest::collection::vec((0usize..100_000, 0usize..10, 0usize..8), 1..24)) {
            static DETECTOR: std::sync::OnceLock<(EventDetector, aho_corasick::AhoCorasick, Vec<String>)> =
                std::sync::OnceLock::new();
            let (d, ac, words) = DETECTOR.get_or_init(|| {
                let d = EventDetector::bundled().unwrap();
                let ac = reference_automaton(&d);
                let mut w: Vec<String> = d.lexicon.patterns.iter().flat_map(|k| k.split(' ').map(str::to_string)).collect();
                w.sort();
                w.dedup();
                (d, ac, w)
            });
            let mut text = String::new();
            for (w, pre, sep) in picks {
                text.push_str(["و", "", "لل", "ب", "", "ال", "وس", "x", "فبال", "كال"][pre]);
                text.push_str(&words[w % words.len()]);
                text.push_str([" ", " ", " ", "، ", "-", ". ", "", "  "][sep]);
            }
            same_forms(d, ac, &text);
        }
    }
}
