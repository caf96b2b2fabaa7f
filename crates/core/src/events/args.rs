//! Argument assignment without a parser: which of the given actor mentions is the source and which the target.
//!
//! Heuristics over words and clause bounds (documented per rule in `reasons`):
//! - agent phrases (`من قبل`, `على يد`) after the trigger mark the source, and make a verb read as passive;
//! - a family's target prepositions (`على`, `ضد`, `بحق`) right before an actor mark the target;
//! - verbs: SVO (nearest actor before the trigger in its clause) or else VSO (first actor after it) is the
//!   source, the next actor after it the target; a passive verb (or a clause-initial verb followed by a number,
//!   `قتل 20 شخصا`) takes the actor after it as target;
//! - nominal events: the genitive right after the noun (construct state `اغتيال فلان`, `مقتل ثلاثة جنود`) is the
//!   target (`noun-target`, `casualty`) or the source (`noun-source`, `مظاهرة الطلاب`); for `noun-target` the
//!   subject of a light verb before it in the clause (`شنت إسرائيل غارة`) is the source;
//! - a mention that covers the trigger itself (`المتظاهرون`, `انتحاري`) is its source (the target of a casualty
//!   noun);
//! - a mention right after a locative word (`قرب`, `شمال`, `في`) is a place, never a participant; a place mention
//!   (`ActorPos::place`) is only the target of a family with `place_target` after a target preposition
//!   (`زيارة إلى بغداد`: the government of the place's country);
//! - a verb that carries its subject (`اغتالوا`, `يقتلون`) has no subject after it: the actor after it is the object;
//!   one that carries its subject and its object (`اتهموها`, `يتهمونه`) has neither after it;
//! - an actor before a bare complementizer (`قال الجيش إن …`) is the speaker, not the subject of the reported verb;
//! - an agent phrase later in the sentence (`من جانب الجماعات`) is the source when the clause has none;
//! - a verb right after a relative pronoun that opens its clause (`المسلحون الذين هاجموا`, also after a comma:
//!   `ترمب، الذي اتهم برلين`; in a cleft, before the separate pronoun: `قوات النظام هي التي أطلقت`) has the
//!   antecedent as its subject (the subject before the verb, read as SVO or as an
//!   unvocalised passive), and an actor after it is its object, never a subject after the verb; unless the relative
//!   is resumed (`الذي انسحبت منه واشنطن`: a pronoun on the verb or on a preposition among the next two words) or
//!   cannot be the verb's subject (`الذي تتهمه الحكومة`: the verb does not agree with the pronoun in gender or
//!   number): then the actor after the verb is its subject and the antecedent its target;
//! - an agent noun of the type that is itself a trigger (`انتحاري`, `المتظاهرون`) is never the object, the passive
//!   subject or the genitive of another trigger of the type; after a noun trigger (`هجوم انتحاري`) it is the source;
//! - a relative clause whose verb carries an object pronoun (`الهجمات … التي تشنها جماعات`) names the agent of
//!   the event it follows: the actor after that verb is the source;
//! - a relative clause whose first actor carries a possessive pronoun (`قاآني، الذي قتل سلفه`: "whose
//!   predecessor was killed") reads passive: that actor is the target, and the antecedent is no participant;
//! - a bare role followed by a named actor of a known country, in apposition after a comma or after partitive
//!   `من` (`رئيس الوزراء، إيهود أولمرت`, `مسلحين من تنظيم القاعدة`), gives way to that actor;
//! - an instrument after `ب` (`بطائرة أمريكية`, `برصاص الشرطة`) or a nationality right after an attack noun
//!   (`غارة إسرائيلية`) marks the agent: the actor after the instrument, or the nationality's country with the
//!   family's `nationality:ROLE` role (`source_roles`).
//! - possessed victims right after the trigger (`مقتل أحد جنوده`) make the actor named last before it the target;
//! - a verb carrying an object pronoun (`خطفهم مقاتلون`) takes the actor after it as subject and the actor before
//!   it as object;
//! - the first actor after a describing verb (`مسلحون يرتدون زي الشرطة`) is not the trigger's object;
//! - a passive verb right after a relative pronoun (`التي اغتيلت`) takes the antecedent as target;
//! - actors joined to a VSO subject by `و` are more subjects (`اتهمت السعودية والإمارات إيران`: the object is the
//!   actor after the list), except in families of partners (`partners`: `اتفقت الحكومة والمعارضة`);
//! - a first-person imperfect (`أدعو`, `ندعو`) carries its subject: the actor after it is the object;
//! - the subject of a passive verb trigger of the type (`أصيب شرطيان في الهجوم`) is no agent of a noun trigger after
//!   it.
//!
//! A title right before the name of the person it titles (`الرئيس الفرنسي إيمانويل ماكرون`) reaches these rules as
//! one mention (the detector merges them first, see `titled_names` in the parent module).

use super::assertion::Tok;
use super::inflect::Tense;
use super::lexicon::{FormKind, Frame};

/// An actor mention located on the sentence's words: `first..last` word indices (half-open).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ActorPos {
    /// Index into the caller's actor slice.
    pub index: usize,
    pub first: usize,
    pub last: usize,
    /// A place mention (a city or a country named as a location), not an actor.
    pub place: bool,
    /// A bare nationality adjective: only the agent of an instrument or attack noun it qualifies.
    pub nationality: bool,
    /// Written with a prepositional proclitic (`للشرطة`, `بالجيش`): never a subject.
    pub preposed: bool,
    /// A role with no country (`الرئيس`, `مسلحون`): a named actor in apposition stands for it.
    pub bare: bool,
    /// Carries a country (`أولمرت`, `تنظيم القاعدة`, `الجيش العراقي`).
    pub national: bool,
    /// Written with a conjunction proclitic (`والإمارات`, `وأستراليا`): a list item.
    pub conjoined: bool,
}

/// Is `prefix` (the letters of a mention's word before the mention) a prepositional proclitic, after an optional
/// conjunction: `ل`, `ب`, `ك` (`للشرطة`, `وبالجيش`, `كالمسلحين`)? A closed grammatical class.
pub fn has_preposition_clitic(prefix: &str) -> bool {
    let p = prefix.strip_prefix(['و', 'ف']).unwrap_or(prefix);
    p.starts_with(['ل', 'ب', 'ك'])
}

/// The participants [`assign_full`] chose, with the code a nationality source takes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Assigned {
    pub source: Option<usize>,
    pub target: Option<usize>,
    pub source_code: Option<super::Recode>,
}

/// Is the present-tense verb `w` (normalised, clitics included) in the first person (`ادعو`, `وندعو`, `سنطالب`):
/// after the conjunction, future and purpose proclitics its person prefix is `ا` or `ن`, not `ي` / `ت`? Such a
/// verb carries its subject (the speaker).
fn first_person_present(w: &str) -> bool {
    let mut rest = w;
    for _ in 0..2 {
        rest = rest.strip_prefix(['و', 'ف', 'س', 'ل']).unwrap_or(rest);
    }
    rest.chars().count() >= 3 && rest.starts_with(['ا', 'ن'])
}

/// Relative pronouns (normalised): a closed grammatical class.
const RELATIVES: &[&str] = &["الذي", "التي", "الذين", "اللذين", "اللذان", "اللتين", "اللتان", "اللواتي", "اللاتي"];

/// Attached pronouns that stay unambiguous after normalisation (a final `ه` may be a folded `ة`, so it counts only
/// on a verb or on a listed possessed noun): a closed grammatical class.
const PRONOUN_SUFFIXES: &[&str] = &["ها", "هم", "هما", "هن"];

/// Words that may follow an unvocalised passive verb (`قتلوا في انفجار`, `قتلوا امس`, `خطفوا وأفرج عنهم`): with
/// anything else after it (`خطفوا أربعة مهندسين`, `اختطفوا نقيب`) the verb has an object and reads active.
/// Prepositions, adverbs of time and subordinators: a closed class.
const PASSIVE_FOLLOWERS: &[&str] = &[
    "في",
    "علي",
    "على",
    "من",
    "الي",
    "جراء",
    "اثر",
    "إثر",
    "خلال",
    "بعد",
    "قبل",
    "منذ",
    "عند",
    "عندما",
    "حين",
    "حينما",
    "لدي",
    "بينما",
    "فيما",
    "امس",
    "اليوم",
    "الليله",
    "صباح",
    "مساء",
    "ليل",
    "فجر",
    "بينهم",
    "منهم",
    "اثناء",
    "بسبب",
    "برصاص",
    "بنيران",
    "بالرصاص",
    "بانفجار",
    "بهجوم",
    "بقصف",
    "بجروح",
    "ايضا",
    "كذلك",
    "قرب",
    "بالقرب",
];

/// Complementizers (normalised) that open a reported or subordinate clause: an actor before one is not the
/// subject of a verb after it. A closed grammatical class. With a subject pronoun (`أعلنت الجماعة أنها ستعلق`)
/// the reported subject is the speaker, so those forms do not block.
pub(super) const COMPLEMENTIZERS: &[&str] = &["ان", "بان", "لان"];

/// Prepositions (normalised) that open a complement of the verb (`تدعو الى اعادة القوات`, `ردت على هجوم الجيش`): an
/// actor after one of them, with no actor between, is inside that phrase and is not the subject after the verb. The
/// locative `في` is not among them (`هاجم في بغداد مسلحون`), nor `بين`, which names both parties (`اشتباكات بين
/// الجيش والمسلحين`). A closed grammatical class.
const COMPLEMENT_PREPOSITIONS: &[&str] = &["الي", "علي", "عن", "ضد", "مع"];

/// Prepositions written as words (normalised): an actor right after one is inside a prepositional phrase
/// (`في رسالة من الرئاسة الى الصحافيين، طالبت`), never the subject before a verb. A closed grammatical class.
/// Not the partitive `من` (`عشرات من عناصر الميليشيات قتلوا`), `بين`, nor `عن`, which names a speaker
/// (`نقلت عن الشركة انها وقعت`).
const PREPOSITION_WORDS: &[&str] = &["الي", "علي", "ضد", "مع", "في", "لدي", "عند", "حول", "نحو", "تجاه", "عبر", "ازاء"];

/// Definite time nouns (normalised) that may stand between a verb and its subject (`اعلنت الجمعه الحكومه`): a
/// closed class.
const DEFINITE_TIME_WORDS: &[&str] = &[
    "اليوم",
    "الليله",
    "الاحد",
    "الاثنين",
    "الثلاثاء",
    "الاربعاء",
    "الخميس",
    "الجمعه",
    "السبت",
    "الاسبوع",
    "الشهر",
    "العام",
];

/// Cardinal number words (normalised): a number right after a clause-initial verb marks the counted victims of a
/// passive (`قتل ثلاثة جنود`). A closed grammatical class.
const NUMBER_WORDS: &[&str] = &[
    "احد",
    "اثنان",
    "اثنين",
    "ثلاث",
    "ثلاثه",
    "اربع",
    "اربعه",
    "خمس",
    "خمسه",
    "ست",
    "سته",
    "سبع",
    "سبعه",
    "ثماني",
    "ثمانيه",
    "تسع",
    "تسعه",
    "عشر",
    "عشره",
    "عشرات",
    "عشرين",
    "عشرون",
    "ثلاثين",
    "اربعين",
    "خمسين",
    "مئه",
    "مائه",
    "مئات",
    "الف",
    "الاف",
    "نحو",
    "قرابه",
    "زهاء",
    "حوالي",
];

/// Everything the assignment needs about one trigger.
pub struct ArgContext<'a> {
    pub s: &'a str,
    pub toks: &'a [Tok],
    pub clause: (usize, usize),
    pub trig: (usize, usize),
    pub frame: Frame,
    pub kind: FormKind,
    pub target_preps: &'a [String],
    pub agent_markers: &'a [Vec<String>],
    /// Normalised locative words (`قرب`, `شمال`).
    pub locatives: &'a [String],
    /// Normalised words allowed between a target preposition and its actor (`على مجموعة من`, `على قرار`).
    pub bridges: &'a [String],
    /// Normalised verbs of undergoing (`تعرض`): their subject is the victim of an event noun after `ل`.
    pub undergo: &'a [String],
    /// Places after a target preposition are targets (`place_target` of the family).
    pub place_target: bool,
    /// The family's past verbs read passive after their subject when no object follows (`svo_passive`).
    pub svo_passive: bool,
    /// The family joins partners (`partners`): an actor joined to the subject by `و` is the target.
    pub partners: bool,
    /// The role a nationality takes as the agent of an instrument or attack noun (`nationality:MIL` in the
    /// family's `source_roles`); `None`: nationalities never take part.
    pub nationality_role: Option<&'a str>,
    /// Normalised weapon and vehicle nouns (`data/agents/instruments.txt`).
    pub instruments: &'a [String],
    /// Word ranges of the other agent-noun triggers of the same PLOVER type in the sentence (`انتحاري`,
    /// `المتظاهرون`; casualty nouns excluded): a mention covering one is that type's agent, never its target.
    pub agent_nouns: &'a [(usize, usize)],
    /// Where the passive verb triggers of the same PLOVER type before this trigger end (word index after them): the
    /// subject of such a verb (`أصيب شرطيان في الهجوم`) is a victim, never the agent of the noun trigger.
    pub passive_ends: &'a [usize],
    /// The trigger is a verbal noun whose frame comes from the family's `noun_frame` (`اغتيال`, `طلب`): a
    /// possessive pronoun on it is the verb's object (`اغتياله`) or subject (`طلبه`) as that frame says; on
    /// other nouns (`هجماتها`, `قذائفهم`) it names the agent.
    pub verbal_noun: bool,
    /// The trigger is the family's adverbial of purpose (`adverbials`: `استدعت الخارجية السفير احتجاجا`): its agent
    /// is the subject of its clause, not the actor right before it.
    pub adverbial: bool,
}

impl ArgContext<'_> {
    fn word(&self, i: usize) -> &str {
        self.toks.get(i).map_or("", |t| &self.s[t.start..t.end])
    }

    /// Do `words` (in reading order) stand right before word `at`?
    fn words_end_at<'w>(&self, at: usize, words: impl DoubleEndedIterator<Item = &'w str>) -> bool {
        let mut i = at;
        words.rev().all(|w| {
            i = match i.checked_sub(1) {
                Some(j) => j,
                None => return false,
            };
            self.word(i) == w
        })
    }

    /// Is the actor introduced by an agent phrase (`من قبل X`)?
    fn agent_marked(&self, a: &ActorPos) -> bool {
        self.agent_markers.iter().any(|m| self.words_end_at(a.first, m.iter().map(String::as_str)))
    }

    /// The target preposition before the actor, when there is one; a preposition may be several words
    /// (`احتجاجا على`, `أمام مقر`), matched word by word. Up to three bridge words or numbers may stand between
    /// them: a group (`صاروخا على مجموعة من عناصر الكتائب`) or the actor's act (`احتجاجا على قرار الحكومة`).
    fn prep_marked(&self, a: &ActorPos) -> Option<&str> {
        let bridge = |i: usize| self.is_number(i) || self.bridges.iter().any(|p| p == self.word(i));
        (0..=3.min(a.first))
            .take_while(|&k| k == 0 || bridge(a.first - k))
            .find_map(|k| self.target_preps.iter().find(|p| self.words_end_at(a.first - k, p.split(' '))))
            .map(String::as_str)
    }

    /// Does the mention cover another trigger noun of the type (`هجوم انتحاري`: the bomber is the agent)?
    fn is_agent_noun(&self, a: &ActorPos) -> bool {
        self.agent_nouns.iter().any(|&(f, l)| a.first < l && a.last > f)
    }

    /// Is the mention the object of a preposition written as a word right before it (`الى الصحافيين`)?
    fn in_prepositional_phrase(&self, a: &ActorPos) -> bool {
        a.first > 0 && PREPOSITION_WORDS.contains(&self.word(a.first - 1))
    }

    /// Is the mention what an instrument with `ب` belongs to (`برصاص جيش الاحتلال`)? It is the agent of that
    /// shooting, inside a prepositional phrase, not the agent of a nominal event after it.
    fn wields_instrument(&self, a: &ActorPos) -> bool {
        a.first > 0 && self.instrument_with_b(a.first - 1)
    }

    /// Is word `i` an instrument noun with `ب` (`برصاص`, `وبطائرة`)?
    fn instrument_with_b(&self, i: usize) -> bool {
        let w = self.word(i);
        let bare = w.strip_prefix("وب").or_else(|| w.strip_prefix('ب'));
        bare.is_some_and(|b| self.instruments.iter().any(|x| x == b))
    }

    /// Does a preposition written as a word stand between the trigger and the mention after it (`احتجاجا على
    /// نقل السفارة`)?
    fn preposition_between(&self, a: &ActorPos) -> bool {
        (self.trig.1..a.first.min(self.toks.len())).any(|i| PREPOSITION_WORDS.contains(&self.word(i)))
    }

    /// A cardinal in digits or in words (`ثلاثة`, `عشرات`): a closed class, matched after `و`.
    fn is_number(&self, i: usize) -> bool {
        is_count_word(self.word(i))
    }
}

/// Is the (normalised) word a cardinal in digits or in words (`ثلاثة`, `عشرات`), also after `و`?
pub(crate) fn is_count_word(w: &str) -> bool {
    let w = w.strip_prefix('و').filter(|x| x.len() >= 4).unwrap_or(w);
    super::assertion::is_number(w) || NUMBER_WORDS.contains(&w)
}

/// Chooses source and target among `actors` (already restricted to the sentence) and says why.
pub fn assign(cx: &ArgContext<'_>, actors: &[ActorPos], reasons: &mut Vec<String>) -> (Option<usize>, Option<usize>) {
    let a = assign_full(cx, actors, reasons);
    (a.source, a.target)
}

/// Does word `i` carry an attached pronoun? `ه` counts on verbs (`verb`) and on the possessed nouns of
/// `data/actors/relations.tsv` (`سلفه`) only, since a folded `ة` ends in `ه` too.
fn has_pronoun(cx: &ArgContext<'_>, i: usize, verb: bool) -> bool {
    let w = cx.word(i);
    let w = w.strip_prefix('و').filter(|x| x.len() >= 6).unwrap_or(w);
    w.chars().count() >= 4
        && (PRONOUN_SUFFIXES.iter().any(|p| w.ends_with(p))
            || (verb && w.ends_with('ه'))
            || crate::actors::possessed_nouns().iter().any(|p| p == w))
}

/// Object pronouns a verb may end in, longest first (`هما` before `ها`, `هم` before `ه`).
const OBJECT_SUFFIXES: &[&str] = &["هما", "هم", "هن", "ها", "ه"];

/// `اتهموها`, `يتهمونه`: a one-word verb trigger carrying its plural subject and an object pronoun (the plural's
/// alif falls before the pronoun): the verb without the pronoun.
fn subject_and_object<'a>(cx: &ArgContext<'a>) -> Option<&'a str> {
    if cx.trig.1 != cx.trig.0 + 1 {
        return None;
    }
    let w = cx.toks.get(cx.trig.0).map_or("", |t| &cx.s[t.start..t.end]);
    OBJECT_SUFFIXES.iter().filter_map(|p| w.strip_suffix(p)).find(|st| {
        st.chars().count() >= 4
            && match cx.kind {
                FormKind::Verb(Tense::Past) => st.ends_with('و'),
                FormKind::Verb(Tense::Present) => st.ends_with("ون"),
                _ => false,
            }
    })
}

/// Separate pronouns of a cleft sentence (`قوات النظام هي التي أطلقت الصواريخ`). A closed grammatical class.
const CLEFT_PRONOUNS: &[&str] = &["هو", "هي", "هم", "هن"];

/// Prepositions (normalised) that take a resumptive pronoun in a relative clause (`الذي انسحبت منه واشنطن`,
/// `الذي تعاون معه واكد`). A closed grammatical class.
const RESUMING_PREPOSITIONS: &[&str] = &["ب", "ل", "من", "الي", "في", "علي", "عن", "مع", "بشان", "حول", "ضد", "لدي"];

/// `الاتفاق الذي انسحبت منه واشنطن`, `الجماعة التي تحملها أنقرة`: the relative pronoun before a verb trigger is
/// resumed by a pronoun on the verb or on a preposition among the next two words, so it is the verb's object and an
/// actor after the verb is its subject.
fn resumed_relative(cx: &ArgContext<'_>) -> bool {
    let prep_pronoun = |i: usize| {
        let w = cx.word(i);
        let w = w.strip_prefix('و').unwrap_or(w);
        OBJECT_SUFFIXES.iter().filter_map(|p| w.strip_suffix(p)).any(|stem| RESUMING_PREPOSITIONS.contains(&stem))
    };
    object_pronoun(cx) || (cx.trig.1..(cx.trig.1 + 2).min(cx.clause.1)).any(prep_pronoun) || !agrees_with_relative(cx)
}

/// Can the relative pronoun right before a one-word verb trigger be its subject? A verb agrees with its subject in
/// gender and number, so `التي يتهم مواطنون` (a masculine verb after the feminine pronoun), `الذي تتهمه أكثر من
/// مئة امرأة` (a feminine verb after the masculine one) and `الذين يتهمهم` (a singular verb after the plural) have
/// the pronoun as object, while `الذين اتهموه` agrees. Read from the verb's person prefix (imperfect) or subject
/// suffix (perfect). Called only for a verb without a lone object pronoun ([`object_pronoun`] resumes the relative).
fn agrees_with_relative(cx: &ArgContext<'_>) -> bool {
    let tense = match cx.kind {
        FormKind::Verb(t @ (Tense::Past | Tense::Present)) => t,
        _ => return true,
    };
    if cx.trig.1 != cx.trig.0 + 1 || cx.trig.0 == 0 {
        return true;
    }
    let w = cx.word(cx.trig.0);
    // (A final `ن` is no plural mark here: it ends many stems, `يعلن`, `يعاون`.)
    let (feminine, plural) = match (subject_and_object(cx), tense) {
        (Some(_), _) => (false, true),
        (None, Tense::Present) => (w.starts_with('ت'), w.ends_with("ون")),
        (None, _) => (w.ends_with('ت') || w.ends_with("تا"), w.ends_with("وا")),
    };
    match cx.word(cx.trig.0 - 1) {
        "الذي" => !feminine,
        "التي" => feminine,
        "الذين" => plural,
        _ => true,
    }
}

/// Attached pronouns on a possessed noun (`جنودها`, `عناصرهم`); `ه` as well, since the quantifier before it
/// marks a partitive of people (`أحد جنوده`), not a word ending in a folded `ة`.
const OWNER_SUFFIXES: &[&str] = &["ها", "هم", "هما", "هن"];

/// `مقتل أحد جنوده`, `إصابة ثلاثة من عناصرها`: right after the trigger, a quantifier (a cardinal or
/// `أحد`/`إحدى`, then an optional partitive `من`) and a noun carrying a possessive pronoun. The victims belong
/// to an actor named earlier; returns the index of the possessed word.
fn possessed_after(cx: &ArgContext<'_>) -> Option<usize> {
    let mut j = cx.trig.1;
    let mut quantified = false;
    while j < cx.trig.1 + 2 && j < cx.clause.1 && (cx.is_number(j) || cx.word(j) == "احدي") {
        quantified = true;
        j += 1;
    }
    if quantified && cx.word(j) == "من" {
        j += 1;
    }
    if j >= cx.clause.1 || (cx.trig.1..=j).any(|i| i > cx.trig.1 && cx.toks.get(i).is_some_and(|t| t.punct_before)) {
        return None;
    }
    let w = cx.word(j);
    let w = w.strip_prefix('و').filter(|x| x.chars().count() >= 5).unwrap_or(w);
    // A definite word is no possessed noun; a word followed by a definite one is in construct (`قادة الحركة`:
    // its final `ه` is a folded `ة`).
    let construct = cx.word(j + 1).starts_with("ال") && cx.toks.get(j + 1).is_some_and(|t| !t.punct_before);
    let owned = OWNER_SUFFIXES.iter().any(|p| w.ends_with(p)) || w.ends_with('ه');
    // The reflexive `نفسه` (`تفجير نفسها`) names the agent, not an owner.
    let reflexive = w.starts_with("نفس") || w.starts_with("انفس");
    (quantified && w.chars().count() >= 4 && !w.starts_with("ال") && !construct && owned && !reflexive).then_some(j)
}

/// Does the verb trigger carry an object pronoun (`خطفهم`, `استهدفها`)? No verb stem of the lexicon ends in `ه`,
/// so a final `ه` is the pronoun. A subject suffix before it (`خطفوهم`) is excluded: that verb carries both.
fn object_pronoun(cx: &ArgContext<'_>) -> bool {
    if cx.trig.1 != cx.trig.0 + 1 || !matches!(cx.kind, FormKind::Verb(Tense::Past | Tense::Present)) {
        return false;
    }
    let w = cx.word(cx.trig.0);
    let stem = OBJECT_SUFFIXES.iter().find_map(|p| w.strip_suffix(p));
    stem.is_some_and(|st| st.chars().count() >= 3 && !st.ends_with('و'))
}

/// `تعرضت قافلة عسكرية لهجوم`, `القافلة تعرضت لإطلاق نار`: a noun trigger written with the preposition `ل`, and
/// before it in its clause a verb of undergoing (`undergo_verbs`); the victim is the first actor between that verb
/// and the trigger (VSO), or else the actor ending at most two words before the verb (SVO). A verb carrying a
/// pronoun (`تعرضه`) has its victim in the pronoun: no actor is taken.
fn undergoer<'a>(cx: &ArgContext<'_>, actors: &'a [ActorPos]) -> Option<&'a ActorPos> {
    if cx.kind.is_verb() || cx.undergo.is_empty() {
        return None;
    }
    let w = cx.word(cx.trig.0);
    let w = w.strip_prefix(['و', 'ف']).unwrap_or(w);
    if !w.starts_with('ل') {
        return None;
    }
    let first = cx.clause.0.max(cx.trig.0.saturating_sub(8));
    let v = (first..cx.trig.0).rev().find(|&i| {
        let x = cx.word(i);
        let x = x.strip_prefix(['و', 'ف']).filter(|r| r.chars().count() >= 4).unwrap_or(x);
        cx.undergo.iter().any(|u| u == x)
    })?;
    let usable = |a: &&ActorPos| !a.place && !a.preposed;
    actors
        .iter()
        .filter(usable)
        .find(|a| a.first > v && a.last <= cx.trig.0)
        .or_else(|| actors.iter().filter(usable).rfind(|a| a.last <= v && a.first >= cx.clause.0 && v - a.last <= 2))
}

/// `هجوم شنه متمردون`: an indefinite noun trigger, then (no punctuation between) a word that is no mention and
/// carries the object pronoun agreeing with the noun (`ه` after a masculine singular, `ها`/`هم` after a feminine
/// or plural noun, whose adjectives end in a folded `ة` and so never in `ها`), then an actor: that actor, the
/// subject of the relative clause, is the event's agent.
fn asyndetic_agent<'a>(cx: &ArgContext<'_>, actors: &'a [ActorPos]) -> Option<&'a ActorPos> {
    if cx.kind.is_verb() || cx.frame == Frame::Casualty || cx.trig.1 != cx.trig.0 + 1 || cx.is_number(cx.trig.1) {
        return None;
    }
    let noun = cx.word(cx.trig.0);
    let noun = noun.strip_prefix(['و', 'ف']).unwrap_or(noun);
    let j = cx.trig.1;
    if noun.starts_with("ال") || noun.starts_with("لل") || j + 1 >= cx.clause.1 || cx.toks[j].punct_before {
        return None;
    }
    let verb = cx.word(j);
    let feminine = noun.ends_with('ه') || noun.ends_with("ات");
    // A broken plural of things agrees in the feminine singular (`صواريخ أطلقها الحوثيون`), so after a noun that
    // is not marked feminine both `ه` and `ها` refer back to it.
    let pronoun = if feminine {
        ["ها", "هم"].iter().any(|p| verb.ends_with(p))
    } else {
        verb.ends_with('ه') || verb.ends_with("ها")
    };
    // A word shorter than the suffix carries no pronoun; saturating keeps it from underflowing all the same.
    let stem_len = verb.chars().count().saturating_sub(if feminine { 2 } else { 1 });
    let possessed = crate::actors::possessed_nouns().iter().any(|p| p == verb);
    if !pronoun
        || stem_len < 2
        || possessed
        || verb.starts_with("ال")
        || actors.iter().any(|a| a.first <= j && j < a.last)
    {
        return None;
    }
    actors.iter().find(|a| !a.place && a.first == j + 1 && !cx.toks[j + 1].punct_before)
}

/// `طالبت العائلة بإجراء تحقيق`, `طالب الادعاء الإندونيسي بتنفيذ`: right after the verb trigger, in its clause, a
/// phrase of words with the article that begins no mention and no time word (`اعلنت الجمعه الحكومه`), ended by a
/// preposition, a word with the proclitic `ب` or a relative pronoun that begins no mention either: a noun
/// phrase that names no actor holds the place of the subject (or of the object, the subject being in the verb).
/// A title before a name is no such phrase: it runs into the mention (`المخرج الأميركي مارتن سكورسيزي`), or goes on
/// with a complement of its own, which `ل` and `بأعمال` begin and which ends nothing (`المفوضة الأوروبية للتجارة
/// سيسيليا`, `القائم بأعمال`).
/// Returns, when there is such a phrase, where a complement with `ب` that ends it begins (`بإجراء تحقيق … المسؤولين`:
/// no actor in it is the verb's direct object).
fn definite_noun_after(cx: &ArgContext<'_>, actors: &[ActorPos]) -> Option<Option<usize>> {
    let starts_mention = |i: usize| actors.iter().any(|a| a.first <= i && a.last > i);
    let open = |i: usize| i < cx.clause.1 && !cx.toks[i].punct_before && !starts_mention(i);
    let definite = |w: &str| {
        w.starts_with("ال")
            && w.chars().count() >= 4
            && !DEFINITE_TIME_WORDS.contains(&w)
            && !PASSIVE_FOLLOWERS.contains(&w)
            && !RELATIVES.contains(&w)
    };
    let mut i = cx.trig.1;
    while open(i) && definite(cx.word(i)) {
        i += 1;
    }
    let w = cx.word(i);
    let with_b = w.starts_with('ب') && w.chars().count() >= 5 && !w.starts_with("باعمال");
    let ender = PREPOSITION_WORDS.contains(&w) || RELATIVES.contains(&w) || with_b;
    (i > cx.trig.1 && open(i) && ender).then_some(with_b.then_some(i))
}

/// A masculine plural imperfect verb (`يرتدون`, `يحملون`) that is no part of a mention: after an indefinite
/// noun it opens a describing clause (`مسلحون يرتدون زي الشرطة`), whose object is not the trigger's.
fn describing_verb(cx: &ArgContext<'_>, actors: &[ActorPos], i: usize) -> bool {
    let w = cx.word(i);
    w.starts_with('ي')
        && w.ends_with("ون")
        && w.chars().count() >= 5
        && !actors.iter().any(|a| a.first <= i && i < a.last)
}

/// As [`assign`], with the code a nationality source takes.
pub fn assign_full(cx: &ArgContext<'_>, actors: &[ActorPos], reasons: &mut Vec<String>) -> Assigned {
    let mut source_code = None;
    let actors_all = actors;
    let kept: Vec<ActorPos> = actors.iter().filter(|a| !a.nationality).copied().collect();
    let actors = &kept[..];
    let in_clause = |a: &&ActorPos| a.first >= cx.clause.0 && a.first < cx.clause.1;
    let locative = |a: &&ActorPos| a.first > 0 && cx.locatives.iter().any(|l| l == cx.word(a.first - 1));
    // Places take part only as the destination of a `place_target` family.
    let eligible = |a: &&ActorPos| {
        !locative(a) && (!a.place || (cx.place_target && a.first >= cx.trig.1 && cx.prep_marked(a).is_some()))
    };
    // Complementizer between an actor and the trigger: the actor is the speaker of a reported clause.
    let reported = |a: &&ActorPos| (a.last..cx.trig.0).any(|i| COMPLEMENTIZERS.contains(&cx.word(i)));
    let mut before: Vec<&ActorPos> =
        actors.iter().filter(in_clause).filter(eligible).filter(|a| a.last <= cx.trig.0 && !reported(a)).collect();
    before.sort_by_key(|a| std::cmp::Reverse(a.first));
    // `المسلحون الذين هاجموا`, `الانتحاري الذي قتل بالرصاص`: a verb right after a relative pronoun that opens its
    // clause has the antecedent (the mention right before the pronoun) as its subject.
    // `ترمب، الذي اتهم برلين`: a verb right after a relative pronoun has the pronoun as its subject, so an actor
    // after the verb is its object, never a subject after the verb (VSO). Unless a pronoun after the verb resumes
    // the relative (`الذي تعاون معه واكد`): then the antecedent is the object and the actor after the verb its
    // subject.
    let after_relative = cx.kind.is_verb() && cx.trig.0 >= 1 && RELATIVES.contains(&cx.word(cx.trig.0 - 1));
    let resumed = after_relative && resumed_relative(cx);
    let relative_subject = after_relative && !resumed;
    let mut antecedent = None;
    let mut resumed_antecedent = None;
    // `قوات النظام هي التي أطلقت`: in a cleft, the antecedent stands before the separate pronoun.
    let cleft = after_relative && cx.trig.0 >= 2 && CLEFT_PRONOUNS.contains(&cx.word(cx.trig.0 - 2));
    let antecedent_end = cx.trig.0.saturating_sub(if cleft { 2 } else { 1 });
    if before.is_empty() && after_relative && (cx.trig.0 - 1 == cx.clause.0 || cleft) {
        if let Some(a) = actors.iter().find(|a| a.last == antecedent_end && !a.place && !locative(a)) {
            if resumed {
                resumed_antecedent = Some(a);
            } else {
                before.push(a);
                antecedent = Some(a.index);
            }
        }
    }
    // `بوتو التي اغتيلت`: a passive verb right after a relative pronoun has the antecedent as its subject, the
    // victim.
    let passive_antecedent = (cx.kind == FormKind::Verb(Tense::Passive)
        && cx.trig.0 >= 1
        && RELATIVES.contains(&cx.word(cx.trig.0 - 1))
        && !cx.toks[cx.trig.0].punct_before)
        .then(|| actors.iter().find(|a| a.last == cx.trig.0 - 1 && !a.place && !locative(a)))
        .flatten();
    // `مقتل أحد جنوده`: the victims belong to the actor named last before the trigger, which is the target.
    let owner = possessed_after(cx)
        .and_then(|_| {
            actors
                .iter()
                .filter(|a| a.last <= cx.trig.0 && !a.place && !locative(a) && !cx.is_agent_noun(a))
                .max_by_key(|a| a.last)
        })
        .filter(|_| matches!(cx.frame, Frame::Casualty | Frame::NounTarget) || cx.kind.is_verb());
    // `هجماتها`, `قذائفهم`, `اغتياله`: a noun trigger carrying a possessive pronoun refers to the actor named last
    // before it.
    let noun_owner = (cx.kind == FormKind::Noun && {
        let w = cx.word(cx.trig.1 - 1);
        w.chars().count() >= 5 && OWNER_SUFFIXES.iter().any(|p| w.ends_with(p))
    })
    .then(|| {
        actors
            .iter()
            .filter(|a| a.last <= cx.trig.0 && !a.place && !locative(a) && !cx.is_agent_noun(a))
            .max_by_key(|a| a.last)
    })
    .flatten();
    let mut after: Vec<&ActorPos> =
        actors.iter().filter(in_clause).filter(eligible).filter(|a| a.first >= cx.trig.1).collect();
    after.sort_by_key(|a| a.first);
    let covering = actors.iter().find(|a| !a.place && a.first < cx.trig.1 && a.last > cx.trig.0);

    let mut source: Option<&ActorPos> = None;
    let mut target: Option<&ActorPos> = None;
    if let Some(a) = covering.filter(|_| cx.kind == FormKind::Noun) {
        if cx.frame == Frame::Casualty {
            target = Some(a);
            reasons.push("target: the mention is the casualty noun itself".into());
        } else {
            source = Some(a);
            reasons.push("source: the mention is the trigger noun itself (agent noun)".into());
        }
    }
    if source.is_none() {
        if let Some(a) = after.iter().find(|a| cx.agent_marked(a)) {
            source = Some(a);
            reasons.push("source: agent phrase after the trigger".into());
        }
    }
    // `بطائرة أمريكية`, `برصاص الشرطة`, `غارة إسرائيلية`: the agent of the means names the
    // source before word order does (`قتل المسلحون برصاص الشرطة`: the verb then reads passive).
    if source.is_none() {
        if let Some((a, why)) = instrument_agent(cx, actors_all, target.map(|x| x.index)) {
            if a.nationality {
                if let Some(role) = cx.nationality_role {
                    source_code = Some(super::Recode::Role(role.to_string()));
                    source = Some(a);
                    reasons.push(format!("source: nationality of {why}, as {role}"));
                }
            } else {
                source = Some(a);
                reasons.push(format!("source: actor after {why}"));
            }
        }
    }
    if target.is_none() {
        if let Some((a, p)) = after.iter().find_map(|a| cx.prep_marked(a).map(|p| (a, p))) {
            if Some(a.index) != source.map(|x| x.index) {
                target = Some(a);
                reasons.push(format!("target: after preposition `{p}`"));
            }
        }
    }
    // `الهجمات على القوات التي تشنها جماعات`: a relative clause after the trigger whose verb carries an object
    // pronoun (the event noun it follows) names the event's agent right after that verb.
    if source.is_none() {
        let reach = (cx.trig.1 + 6).min(cx.toks.len());
        let rel = (cx.trig.1..reach)
            .take_while(|&j| j == cx.trig.1 || !cx.toks[j].punct_before)
            .find(|&j| RELATIVES.contains(&cx.word(j)) && has_pronoun(cx, j + 1, true));
        if let Some(j) = rel {
            let agent = actors.iter().find(|a| {
                !a.place && (a.first == j + 2 || a.first == j + 3) && Some(a.index) != target.map(|x| x.index)
            });
            if let Some(a) = agent {
                source = Some(a);
                reasons.push("source: agent of a relative clause on the event (`التي تشنها X`)".into());
            }
        }
    }
    // `تعرضت القافلة لهجوم`: the subject of a verb of undergoing is the victim of the event noun after `ل`.
    if target.is_none() {
        if let Some(a) = undergoer(cx, actors) {
            if Some(a.index) != source.map(|x| x.index) {
                target = Some(a);
                reasons.push("target: subject of a verb of undergoing before the event noun (`تعرض X لهجوم`)".into());
            }
        }
    }
    // `هجوم شنه متمردون`, `هجمات نفذها مسلحون`: an indefinite event noun takes its relative clause without a
    // pronoun; a verb right after it carrying the object pronoun that stands for it names the agent right after.
    if source.is_none() {
        if let Some(a) = asyndetic_agent(cx, actors) {
            if Some(a.index) != target.map(|x| x.index) {
                source = Some(a);
                reasons.push("source: agent of a relative clause on an indefinite event noun (`هجوم شنه X`)".into());
            }
        }
    }
    // `قاآني، الذي قتل سلفه`: a relative clause whose verb is followed by a noun with a possessive pronoun ("whose
    // predecessor was killed") is passive: that noun is the target, the antecedent takes no part.
    let mut resumptive = false;
    if cx.kind.is_verb()
        && cx.trig.0 > 0
        && RELATIVES.contains(&cx.word(cx.trig.0 - 1))
        && cx.trig.1 < cx.clause.1
        && has_pronoun(cx, cx.trig.1, false)
    {
        resumptive = true;
        if let Some(a) = actors.iter().find(|a| !a.place && a.first == cx.trig.1) {
            if target.is_none() {
                target = Some(a);
                reasons.push("target: possessed noun after a relative verb (`الذي قتل سلفه`: passive)".into());
            }
        }
    }
    let free = |a: &&&ActorPos, s: Option<&ActorPos>, t: Option<&ActorPos>| {
        !a.place && Some(a.index) != s.map(|x| x.index) && Some(a.index) != t.map(|x| x.index) && !cx.agent_marked(a)
    };
    // `هجوم انتحاري على …`, `تفجير انتحاري يقتل …`: an agent noun of the type is never the object or genitive.
    let patient = |a: &&&ActorPos, s: Option<&ActorPos>| free(a, s, None) && !cx.is_agent_noun(a);
    match (cx.frame, cx.kind) {
        (Frame::Verb | Frame::VerbIntransitive | Frame::VerbAgentless, _) | (_, FormKind::Verb(_)) => {
            let clause_initial = cx.trig.0 == cx.clause.0;
            // A number between the verb and its first actor (`قتل أمس سبعة من عناصر الشرطة`).
            // A counted actor right after the verb is its subject read passive (`قتل 70 شخصا`), unless a named
            // actor follows it at once, with no conjunction or preposition: that one is the object and the counted
            // actor the subject (`اتهمت 70 امرأة واينستين`). A role noun there is the second term of a construct
            // (`ثلاثة ضباط شرطة`, `قوات الجيش`), and a counted actor with `و` is a list item (`24 دولة وحلف …`).
            let number_next = after.first().is_some_and(|a| {
                (a.first.saturating_sub(3).max(cx.trig.1)..=a.first).any(|i| i < a.last && cx.is_number(i))
                    && !after.get(1).is_some_and(|b| {
                        b.first == a.last
                            && !a.conjoined
                            && !b.bare
                            && !b.place
                            && !b.conjoined
                            && !b.preposed
                            && cx.prep_marked(b).is_none()
                            && !cx.toks.get(b.first).is_some_and(|t| t.punct_before)
                    })
            });
            // Form I verbs read passive when unvocalised (`جنود أميركيين قتلوا وأصيب آخرون`): a subject before the
            // verb with no object after it in the clause is the victim.
            // A number or a noun right after the verb is its object (`مسلحين خطفوا أربعة مهندسين`): active.
            let next = cx.word(cx.trig.1);
            let no_object = cx.trig.1 >= cx.clause.1
                || cx.toks.get(cx.trig.1).is_some_and(|t| t.punct_before)
                || next.starts_with('و')
                || PASSIVE_FOLLOWERS.contains(&next);
            let svo_passive = cx.svo_passive
                && cx.kind == FormKind::Verb(Tense::Past)
                && source.is_none()
                && no_object
                && before.first().is_some_and(|a| cx.trig.0 - a.last <= 2)
                && !after.iter().any(|a| !a.place && !cx.agent_marked(a) && cx.prep_marked(a).is_none());
            if svo_passive {
                if let Some(a) = before.first() {
                    target = Some(a);
                    reasons.push("target: subject before a verb with no object (unvocalised passive)".into());
                    if antecedent == Some(a.index) {
                        reasons.push("target: the antecedent of the relative pronoun before the verb".into());
                    }
                }
            }
            let passive = resumptive
                || cx.kind == FormKind::Verb(Tense::Passive)
                || (source.is_some() && cx.frame == Frame::Verb)
                || ((clause_initial || before.is_empty())
                    && (number_next || owner.is_some())
                    && cx.frame == Frame::Verb)
                || svo_passive;
            let obj_pronoun = object_pronoun(cx);
            // Where a complement with `ب` after a subject that names no actor begins (`definite_noun_after`).
            let mut complement_from = None;
            // `اغتالوا`, `يقتلون`: the verb carries its subject, so no subject follows it.
            let trig = cx.s.get(cx.toks[cx.trig.0].start..cx.toks[cx.trig.1 - 1].end).unwrap_or("");
            // `اتهموها`, `يتهمونه`: the verb carries its subject and its object (the plural's alif falls before the
            // object pronoun).
            let both_pronouns = subject_and_object(cx).is_some();
            let subject_suffix = cx.trig.1 == cx.trig.0 + 1
                && match cx.kind {
                    FormKind::Verb(Tense::Past) => trig.ends_with("وا") || both_pronouns,
                    FormKind::Verb(Tense::Present) => {
                        trig.ends_with("ون") || first_person_present(trig) || both_pronouns
                    }
                    _ => false,
                };
            if passive {
                if target.is_none() {
                    if let Some(a) = passive_antecedent {
                        target = Some(a);
                        reasons.push("target: the antecedent of a relative pronoun before a passive verb".into());
                    } else if let Some(a) = owner {
                        target = Some(a);
                        reasons.push("target: the owner of the possessed victims after the verb (`أحد جنوده`)".into());
                    }
                }
                if target.is_none() {
                    target = after.iter().find(|a| patient(a, source)).copied();
                    if target.is_some() {
                        reasons.push("target: subject of a passive verb".into());
                    }
                }
            } else {
                // `عسكريين خطفهم مقاتلون`: the verb carries its object, so the actor after it is its subject and
                // the actor right before it the object the pronoun stands for.
                if obj_pronoun && cx.frame != Frame::VerbAgentless && source.is_none() && target.is_none() {
                    if let Some(a) =
                        after.iter().find(|a| free(a, None, None) && cx.prep_marked(a).is_none() && !a.preposed)
                    {
                        source = Some(a);
                        reasons.push("source: subject after a verb carrying an object pronoun".into());
                        if let Some(b) = before.first().filter(|b| cx.trig.0 - b.last <= 3) {
                            target = Some(b);
                            reasons.push("target: the antecedent of the verb's object pronoun".into());
                        }
                    }
                }
                if source.is_none() && cx.frame == Frame::VerbAgentless {
                    reasons.push("source: the verb's subject is the device, not an agent (`انفجرت السيارة`)".into());
                } else if source.is_none() {
                    // `في رسالة الى الصحافيين، السبت، طالبت`: an actor inside a prepositional phrase is no subject,
                    // unless the verb opens a relative clause on it (`الى الرئيس الذي ينتقد`, `علي مسؤولين انتقدوا`:
                    // an indefinite antecedent takes its clause right after it, with no subject of its own after the
                    // verb).
                    let relative_on = |a: &ActorPos| {
                        after_relative
                            || (a.last == cx.trig.0
                                && !cx.toks[cx.trig.0].punct_before
                                && after.first().is_none_or(|b| b.first != cx.trig.1))
                    };
                    let nearest = before.first().filter(|a| {
                        cx.trig.0 - a.last <= 8 && !a.place && !a.preposed && Some(a.index) != target.map(|x| x.index)
                    });
                    let in_phrase = nearest.is_some_and(|a| cx.in_prepositional_phrase(a) && !relative_on(a));
                    if let Some(a) = nearest.filter(|_| !in_phrase) {
                        source = Some(a);
                        reasons.push("source: subject before the verb (SVO)".into());
                        if antecedent == Some(a.index) {
                            reasons.push("source: the antecedent of the relative pronoun before the verb".into());
                        }
                    } else if subject_suffix {
                        reasons.push("source: the verb carries its subject (no subject after it)".into());
                    } else if relative_subject {
                        reasons.push("source: the relative pronoun before the verb is its subject".into());
                    } else if in_phrase && cx.kind == FormKind::Noun {
                        // `الضغط على ميركل لتقديم تنازلات`: the word after a verbal noun is its object as often as
                        // its subject; with the actor before it in a phrase of its own, no source is named.
                        reasons.push("source: the actor before the noun is inside a prepositional phrase".into());
                    } else if let Some(b_complement) = definite_noun_after(cx, actors_all).filter(|_| cx.kind.is_verb())
                    {
                        complement_from = b_complement;
                        // `طالبت العائلة بإجراء تحقيق … المسؤولين`: the noun right after the verb is its subject (or,
                        // with the subject in the verb, its object); a later actor is not the subject.
                        reasons.push("source: a noun that names no actor stands right after the verb".into());
                    } else if let Some(a) = after.iter().find(|a| {
                        free(a, None, target)
                            && cx.prep_marked(a).is_none()
                            && !a.preposed
                            && !(cx.trig.1..a.first).any(|i| COMPLEMENT_PREPOSITIONS.contains(&cx.word(i)))
                    }) {
                        source = Some(a);
                        reasons.push("source: subject after the verb (VSO)".into());
                    }
                }
                // `خطف مسلحون يرتدون زي الشرطة خمسة أجانب`: the first actor after a describing verb is its object.
                let from = source.filter(|a| a.first >= cx.trig.1).map_or(cx.trig.1, |a| a.last);
                let described = |a: &ActorPos| {
                    (from..a.first).any(|i| {
                        describing_verb(cx, actors_all, i) && !actors.iter().any(|b| b.first > i && b.first < a.first)
                    })
                };
                if target.is_none() && cx.frame != Frame::VerbIntransitive && !obj_pronoun && !both_pronouns {
                    let mut objects = after.iter().copied().filter(|a| {
                        patient(&a, source)
                            && cx.prep_marked(a).is_none()
                            && !described(a)
                            && complement_from.is_none_or(|k| a.first < k)
                    });
                    target = objects.next();
                    // `اتهمت السعودية والإمارات إيران`: actors joined by `و` right after the subject are more
                    // subjects (unless the family joins partners); the object is the actor after the list, when
                    // there is one.
                    let subject = source.filter(|s| s.first >= cx.trig.1 && !cx.partners);
                    if let (Some(s), Some(first)) = (subject, target) {
                        if first.conjoined && first.first == s.last {
                            let mut end = first.last;
                            let after_list = objects.find(|a| {
                                let joined = a.conjoined && a.first == end;
                                end = a.last;
                                !joined
                            });
                            if let Some(a) = after_list {
                                reasons.push("target: actors joined to the subject by `و` are more subjects".into());
                                target = Some(a);
                            }
                        }
                    }
                    if target.is_some() {
                        reasons.push("target: object after the verb".into());
                    }
                    if after.iter().any(|a| patient(&a, source) && described(a)) {
                        reasons.push(
                            "target: an actor inside a describing clause (`يرتدون زي …`) is not the object".into(),
                        );
                    }
                }
            }
        }
        (Frame::NounTarget | Frame::Casualty | Frame::NounSource, _) => {
            if let Some(a) = noun_owner {
                let victim = cx.frame == Frame::Casualty || (cx.verbal_noun && cx.frame == Frame::NounTarget);
                if victim && target.is_none() && Some(a.index) != source.map(|x| x.index) {
                    target = Some(a);
                    reasons.push("target: the owner of the possessive pronoun on a verbal noun (`اغتياله`)".into());
                } else if !victim && source.is_none() && Some(a.index) != target.map(|x| x.index) {
                    source = Some(a);
                    reasons.push("source: the owner of the possessive pronoun on the event noun (`هجماتها`)".into());
                }
            }
            let reach = if cx.frame == Frame::Casualty { 3 } else { 2 };
            let genitive = after
                .iter()
                .find(|a| {
                    a.first <= cx.trig.1 + reach
                        && free(a, source, target)
                        && cx.prep_marked(a).is_none()
                        // `احتجاجا على نقل السفارة`, `محادثات مع الرئيس`: a source genitive follows its noun
                        // directly; after a preposition stands a partner or a target. (A victim may: `قتلى في صفوف
                        // الحوثيين`.)
                        && !(cx.frame == Frame::NounSource && cx.preposition_between(a))
                })
                .copied();
            // `هجوم انتحاري`: an agent noun after the trigger is its agent (taken as source below), not a genitive.
            let agent_after = genitive.filter(|a| cx.frame != Frame::NounSource && cx.is_agent_noun(a));
            let genitive = genitive.filter(|a| agent_after.map(|x| x.index) != Some(a.index));
            if source.is_none() {
                if let Some(a) = agent_after {
                    source = Some(a);
                    reasons.push("source: agent noun after the nominal event (`هجوم انتحاري`)".into());
                }
            }
            if cx.frame == Frame::NounSource {
                if source.is_none() && genitive.is_some() {
                    source = genitive;
                    reasons.push("source: genitive of the nominal event".into());
                }
            } else if let Some(a) = owner.filter(|_| target.is_none()) {
                target = Some(a);
                reasons.push("target: the owner of the possessed victims after the noun (`مقتل أحد جنوده`)".into());
            } else if target.is_none() && genitive.is_some() {
                target = genitive;
                reasons.push("target: genitive of the nominal event (construct state)".into());
            }
            // `استدعت الخارجية التركية السفير الإسرائيلي احتجاجا`: the clause's first actor, when it stands where a
            // subject does (within three words of the clause's start: after its verb, or first), is the subject of
            // its verb, the one who protests; the actor right before the adverbial is the verb's object.
            if source.is_none() && cx.adverbial {
                let subject = before.iter().rev().find(|a| {
                    a.first <= cx.clause.0 + 3
                        && !a.place
                        && !a.preposed
                        && !cx.in_prepositional_phrase(a)
                        && cx.prep_marked(a).is_none()
                        && Some(a.index) != target.map(|x| x.index)
                });
                if let Some(a) = subject {
                    source = Some(a);
                    reasons.push("source: the first actor of the clause an adverbial of purpose stands in".into());
                }
            }
            if source.is_none() && cx.frame != Frame::Casualty {
                if let Some(a) = before.first().filter(|a| {
                    cx.trig.0 - a.last <= 4
                        && !a.place
                        && !a.preposed
                        // `تظاهروا أمام السفارة احتجاجا`: what a target preposition governs is not an agent.
                        && cx.prep_marked(a).is_none()
                        // `قتل برصاص جيش الاحتلال في الاحتجاجات`: the shooter is not the protester.
                        && !cx.wields_instrument(a)
                        // `أصيب شرطيان في الهجوم`: the subject of a passive verb of the type is a victim.
                        && !cx.passive_ends.iter().any(|&e| a.first >= e && a.first <= e + 2)
                        && Some(a.index) != target.map(|x| x.index)
                }) {
                    source = Some(a);
                    reasons.push("source: actor before the noun in its clause".into());
                }
            }
        }
    }
    if let Some(a) = resumed_antecedent.filter(|a| target.is_none() && Some(a.index) != source.map(|x| x.index)) {
        target = Some(a);
        reasons.push("target: the antecedent, resumed by a pronoun after the relative verb".into());
    }
    // An agent phrase later in the sentence (`… من جانب الجماعات`) when the clause names no source.
    if source.is_none() {
        if let Some(a) = actors
            .iter()
            .filter(|a| !a.place && a.first >= cx.trig.1 && Some(a.index) != target.map(|x| x.index))
            .filter(|a| cx.agent_marked(a))
            .min_by_key(|a| a.first)
        {
            source = Some(a);
            reasons.push("source: agent phrase later in the sentence".into());
        }
    }
    let source = source.map(|a| apposed(cx, actors, a).map_or(a, |(b, why)| keep(b, "source", why, reasons)));
    let target = target.map(|a| match apposed(cx, actors, a) {
        Some((b, why)) if Some(b.index) != source.map(|x| x.index) => keep(b, "target", why, reasons),
        _ => a,
    });
    Assigned { source: source.map(|a| a.index), target: target.map(|a| a.index), source_code }
}

/// A name without a code followed by a coded role after a comma (`جاسم الذهبي، عميد الكلية`) means that role.
/// A bare role (`الرئيس`, `مسلحا`) followed by a named actor of a known country, in apposition after a comma
/// (`رئيس الوزراء، إيهود أولمرت`) or by partitive `من` (`11 مسلحا من تنظيم القاعدة`), means that actor: it carries the fuller code.
fn apposed<'p>(cx: &ArgContext<'_>, actors: &'p [ActorPos], a: &ActorPos) -> Option<(&'p ActorPos, &'static str)> {
    // A name no dictionary codes (`جاسم الذهبي، عميد الكلية`) gives way to a coded role in apposition after it.
    let uncoded = !a.bare && !a.national && !a.place && !a.nationality;
    if !a.bare && !uncoded {
        return None;
    }
    let next = actors.iter().filter(|b| b.first >= a.last && !b.place && !b.nationality).min_by_key(|b| b.first);
    let b = next.filter(|b| (b.national || (uncoded && b.bare)) && !b.preposed)?;
    let gap = b.first - a.last;
    if uncoded {
        let comma =
            gap == 0 && cx.toks.get(b.first).is_some_and(|t| t.punct_before) && !cx.word(b.first).starts_with('و');
        return comma.then_some((b, "beside"));
    }
    let by_of = gap == 1 && cx.word(a.last) == "من" && !cx.toks[a.last].punct_before;
    // Apposition is set off by a comma (without one, `هاجم مسلحون القوات الفرنسية` is subject then object), and a
    // conjunction starts a list, not an apposition.
    let apposition = gap == 0 && cx.toks[b.first].punct_before && !cx.word(b.first).starts_with('و');
    if by_of {
        Some((b, "of"))
    } else if apposition {
        Some((b, "beside"))
    } else {
        None
    }
}

/// The named actor in apposition that stands for the participant `index` (`رئيس الوزراء، إيهود أولمرت`), as
/// [`assign_full`] applies it to the participants it chooses; for participants chosen elsewhere (the typed
/// fallback of the detector).
pub fn apposition(cx: &ArgContext<'_>, actors: &[ActorPos], index: usize) -> Option<usize> {
    let kept: Vec<ActorPos> = actors.iter().filter(|a| !a.nationality).copied().collect();
    let a = kept.iter().find(|a| a.index == index)?;
    apposed(cx, &kept, a).map(|(b, _)| b.index)
}

/// Records why `b` took the slot in place of a bare role (or of an uncoded name, when `b` is a bare role).
fn keep<'p>(b: &'p ActorPos, slot: &str, why: &str, reasons: &mut Vec<String>) -> &'p ActorPos {
    if b.bare {
        reasons.push(format!("{slot}: the role in apposition stands for the uncoded name"));
    } else {
        reasons.push(format!("{slot}: the named actor {why} the bare role"));
    }
    b
}

/// The mention that names the agent of the means of an act: right after an instrument with `ب` in the trigger's
/// clause (`بطائرة أمريكية بدون طيار`, `برصاص قوات الأمن`), or a nationality right after the trigger noun
/// (`غارة جوية إسرائيلية`). At most three words between, none of them punctuation or another mention.
fn instrument_agent<'p>(
    cx: &ArgContext<'_>,
    actors: &'p [ActorPos],
    target: Option<usize>,
) -> Option<(&'p ActorPos, &'static str)> {
    // A nationality agrees with the noun it qualifies: a plural in `ون`/`ين` names people (`7 فلسطينيين`).
    let adjective = |a: &ActorPos| {
        let w = cx.word(a.last - 1);
        !a.nationality || !(w.ends_with("ون") || w.ends_with("ين"))
    };
    let next_mention = |from: usize, reach: usize| {
        actors
            .iter()
            .filter(|a| a.first >= from && !a.place)
            .min_by_key(|a| a.first)
            .filter(|a| a.first <= from + reach)
            .filter(|a| (from..=a.first).all(|i| (i == from || !cx.toks[i].punct_before) && !cx.is_number(i)))
            .filter(|a| Some(a.index) != target && adjective(a))
    };
    if cx.kind == FormKind::Noun {
        // `غارة إسرائيلية`, `ضربة جوية أمريكية`: at most one adjective between.
        if let Some(a) = next_mention(cx.trig.1, 1).filter(|a| a.nationality) {
            return Some((a, "the attack noun"));
        }
    }
    let end = cx.clause.1.min(cx.toks.len());
    for i in cx.trig.1..end {
        if i > cx.trig.1 && cx.toks[i].punct_before {
            break;
        }
        if cx.instrument_with_b(i) {
            if let Some(a) = next_mention(i + 1, 3) {
                return Some((a, "an instrument with `ب`"));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::super::assertion::tokenize;
    use super::*;

    /// A context over the whole of `toks` with empty word lists and no family flags.
    fn plain<'a>(s: &'a str, toks: &'a [Tok], trig: usize, frame: Frame, kind: FormKind) -> ArgContext<'a> {
        ArgContext {
            s,
            toks,
            clause: (0, toks.len()),
            trig: (trig, trig + 1),
            frame,
            kind,
            target_preps: &[],
            agent_markers: &[],
            locatives: &[],
            bridges: &[],
            undergo: &[],
            place_target: false,
            svo_passive: false,
            partners: false,
            nationality_role: None,
            instruments: &[],
            agent_nouns: &[],
            passive_ends: &[],
            verbal_noun: false,
            adverbial: false,
        }
    }

    /// Builds a context over `s` with actors given as word index ranges.
    fn run(
        s: &str,
        trig: usize,
        frame: Frame,
        kind: FormKind,
        actors: &[(usize, usize)],
    ) -> (Option<usize>, Option<usize>) {
        run_with(s, trig, frame, kind, actors, &[], false)
    }

    #[test]
    fn asyndetic_relative_names_the_agent_and_short_words_are_safe() {
        // `هجوم شنه مسلحون`: the actor after the verb carrying the noun's pronoun is the source.
        let s = "هجوم شنه مسلحون علي القريه";
        assert_eq!(run(s, 0, Frame::NounTarget, FormKind::Noun, &[(2, 3)]), (Some(0), None));
        // A one-letter word after a feminine noun is no verb with a pronoun (and must not underflow).
        let s = "غارات ب مسلحون";
        assert_eq!(run(s, 0, Frame::NounTarget, FormKind::Noun, &[(2, 3)]).0, None);
        // A broken plural of things takes a feminine pronoun: `صواريخ اطلقها الحوثيون`.
        let s = "صواريخ اطلقها الحوثيون علي المدينه";
        assert_eq!(run(s, 0, Frame::NounTarget, FormKind::Noun, &[(2, 3)]), (Some(0), None));
    }

    /// As `run`, with place mentions (indices into `actors`) and the family's `svo_passive` / `place_target`.
    fn run_with(
        s: &str,
        trig: usize,
        frame: Frame,
        kind: FormKind,
        actors: &[(usize, usize)],
        places: &[usize],
        flags: bool,
    ) -> (Option<usize>, Option<usize>) {
        let a = run_full(s, trig, frame, kind, actors, places, &[], flags);
        (a.source, a.target)
    }

    /// The words of `s`.
    fn words(s: &str) -> Vec<Tok> {
        let mut toks = Vec::new();
        tokenize(s, "،,.", &mut toks);
        toks
    }

    /// Plain actor mentions at the word ranges `actors`.
    fn positions(actors: &[(usize, usize)]) -> Vec<ActorPos> {
        actors
            .iter()
            .enumerate()
            .map(|(index, &(first, last))| ActorPos { index, first, last, ..ActorPos::default() })
            .collect()
    }

    /// A past verb at word `trig` whose clause is `clause` (the caller's clause bounds), no flags.
    fn run_clause(s: &str, trig: usize, clause: (usize, usize), actors: &[(usize, usize)]) -> Assigned {
        let toks = words(s);
        let cx = ArgContext { clause, ..plain(s, &toks, trig, Frame::Verb, FormKind::Verb(Tense::Past)) };
        assign_full(&cx, &positions(actors), &mut Vec::new())
    }

    /// As `run_with`, with nationality mentions (indices into `actors`), returning the whole assignment.
    #[allow(clippy::too_many_arguments)]
    fn run_full(
        s: &str,
        trig: usize,
        frame: Frame,
        kind: FormKind,
        actors: &[(usize, usize)],
        places: &[usize],
        nationalities: &[usize],
        flags: bool,
    ) -> Assigned {
        let toks = words(s);
        let preps = vec!["علي".to_string(), "ضد".to_string(), "بحق".to_string()];
        let agents = vec![vec!["من".to_string(), "قبل".to_string()], vec!["علي".to_string(), "يد".to_string()]];
        let locatives = vec!["قرب".to_string(), "شمال".to_string()];
        let instruments = vec!["طائره".to_string(), "رصاص".to_string()];
        // Every actor word that is a noun of the trigger's type (here: `انتحاري` forms).
        let agent_nouns: Vec<(usize, usize)> = (0..toks.len())
            .filter(|&i| i != trig && s[toks[i].start..toks[i].end].contains("انتحاري"))
            .map(|i| (i, i + 1))
            .collect();
        let cx = ArgContext {
            target_preps: &preps,
            agent_markers: &agents,
            locatives: &locatives,
            bridges: &[],
            place_target: flags,
            svo_passive: flags,
            nationality_role: Some("MIL"),
            instruments: &instruments,
            agent_nouns: &agent_nouns,
            ..plain(s, &toks, trig, frame, kind)
        };
        let pos: Vec<ActorPos> = actors
            .iter()
            .enumerate()
            .map(|(index, &(first, last))| ActorPos {
                index,
                first,
                last,
                place: places.contains(&index),
                nationality: nationalities.contains(&index),
                ..ActorPos::default()
            })
            .collect();
        let mut why = Vec::new();
        assign_full(&cx, &pos, &mut why)
    }

    #[test]
    fn svo_and_vso() {
        // الجيش هاجم المسلحين
        assert_eq!(
            run("الجيش هاجم المسلحين", 1, Frame::Verb, FormKind::Verb(Tense::Past), &[(0, 1), (2, 3)]),
            (Some(0), Some(1))
        );
        // هاجم الجيش المسلحين
        assert_eq!(
            run("هاجم الجيش المسلحين", 0, Frame::Verb, FormKind::Verb(Tense::Past), &[(1, 2), (2, 3)]),
            (Some(0), Some(1))
        );
    }

    #[test]
    fn passive_with_agent_phrase() {
        let s = "اغتيل الصحفي علي يد مسلحين";
        assert_eq!(run(s, 0, Frame::Verb, FormKind::Verb(Tense::Passive), &[(1, 2), (4, 5)]), (Some(1), Some(0)));
    }

    #[test]
    fn clause_initial_verb_with_number_is_passive() {
        let s = "قتل 20 شخصا في بغداد";
        assert_eq!(run(s, 0, Frame::Verb, FormKind::Verb(Tense::Past), &[(1, 3)]), (None, Some(0)));
    }

    #[test]
    fn target_preposition() {
        let s = "شن الطيران غاره علي المسلحين";
        assert_eq!(run(s, 2, Frame::NounTarget, FormKind::Noun, &[(1, 2), (4, 5)]), (Some(0), Some(1)));
    }

    #[test]
    fn casualty_genitive_is_target() {
        let s = "مقتل ثلاثه جنود امريكيين";
        assert_eq!(run(s, 0, Frame::Casualty, FormKind::Noun, &[(2, 4)]), (None, Some(0)));
    }

    #[test]
    fn construct_state_and_noun_source() {
        assert_eq!(run("اغتيال الوزير", 0, Frame::NounTarget, FormKind::Noun, &[(1, 2)]), (None, Some(0)));
        let s = "مظاهره الطلاب ضد الحكومه";
        assert_eq!(run(s, 0, Frame::NounSource, FormKind::Noun, &[(1, 2), (3, 4)]), (Some(0), Some(1)));
    }

    #[test]
    fn a_source_genitive_follows_its_noun_without_a_preposition() {
        // `احتجاجا علي نقل السفاره`: the embassy is what the protest is against, not who protests.
        let s = "خرج الالاف احتجاجا علي نقل السفاره";
        assert_eq!(run(s, 2, Frame::NounSource, FormKind::Noun, &[(5, 6)]).0, None);
        let s = "محادثات مع الرئيس";
        assert_eq!(run(s, 0, Frame::NounSource, FormKind::Noun, &[(2, 3)]).0, None);
        // A victim still may: `قتلي في صفوف الحوثيين`.
        let s = "قتلي في صفوف الحوثيين";
        assert_eq!(run(s, 0, Frame::Casualty, FormKind::Noun, &[(3, 4)]), (None, Some(0)));
    }

    #[test]
    fn the_wielder_of_an_instrument_is_not_the_agent_of_a_later_noun() {
        // `قتل شاب برصاص الجيش في احتجاجات`: the army shot; it did not protest.
        let s = "قتل شاب برصاص الجيش في احتجاجات";
        let a = run_full(s, 5, Frame::NounSource, FormKind::Noun, &[(3, 4)], &[], &[], false);
        assert_eq!(a.source, None);
        // Without the instrument the actor before the noun is its agent: `نظم الطلاب احتجاجات`.
        let s = "نظم الطلاب احتجاجات";
        let a = run_full(s, 2, Frame::NounSource, FormKind::Noun, &[(1, 2)], &[], &[], false);
        assert_eq!(a.source, Some(0));
    }

    #[test]
    fn agent_noun_covering_the_trigger_is_the_source() {
        let s = "تجمع المتظاهرون امام البرلمان";
        assert_eq!(run(s, 1, Frame::NounSource, FormKind::Noun, &[(1, 2)]), (Some(0), None));
    }

    #[test]
    fn locative_mention_is_not_a_participant() {
        let s = "هاجم مسلحون مهبطا قرب الصومال";
        assert_eq!(run(s, 0, Frame::Verb, FormKind::Verb(Tense::Past), &[(1, 2), (4, 5)]), (Some(0), None));
    }

    #[test]
    fn verb_with_subject_suffix_takes_the_next_actor_as_object() {
        let s = "اغتالوا رجل الدين امس";
        assert_eq!(run(s, 0, Frame::Verb, FormKind::Verb(Tense::Past), &[(1, 3)]), (None, Some(0)));
    }

    #[test]
    fn reported_clause_speaker_is_not_the_subject() {
        let s = "قال الجيش ان مسلحين هاجموا الحاجز";
        let r = run(s, 4, Frame::Verb, FormKind::Verb(Tense::Past), &[(1, 2), (3, 4)]);
        assert_eq!(r.0, Some(1));
        let s = "قال الجيش ان هاجموا الحاجز";
        assert_eq!(run(s, 3, Frame::Verb, FormKind::Verb(Tense::Past), &[(1, 2)]).0, None);
    }

    #[test]
    fn unvocalised_passive_after_the_subject() {
        let s = "جنود اميركيين قتلوا في انفجار";
        let r = run_with(s, 2, Frame::Verb, FormKind::Verb(Tense::Past), &[(0, 2)], &[], true);
        assert_eq!(r, (None, Some(0)));
        // Without the family flag the subject stays the source.
        assert_eq!(run(s, 2, Frame::Verb, FormKind::Verb(Tense::Past), &[(0, 2)]), (Some(0), None));
    }

    #[test]
    fn unvocalised_verb_with_an_object_is_active() {
        let s = "مسلحين خطفوا اربعه مهندسين";
        let r = run_with(s, 1, Frame::Verb, FormKind::Verb(Tense::Past), &[(0, 1)], &[], true);
        assert_eq!(r, (Some(0), None));
    }

    #[test]
    fn relative_clause_with_a_possessed_noun_is_passive() {
        // The antecedent is no participant; the nationality after the instrument is the agent.
        let s = "القائد الذي قتل سلفه بطائره امريكيه";
        let a = run_full(s, 2, Frame::Verb, FormKind::Verb(Tense::Past), &[(0, 1), (3, 4), (5, 6)], &[], &[2], true);
        assert_eq!((a.source, a.target), (Some(2), Some(1)));
        assert_eq!(a.source_code, Some(super::super::Recode::Role("MIL".into())));
    }

    #[test]
    fn relative_clause_names_the_agent_of_the_event() {
        let s = "توقف الهجمات علي القوات التي تشنها جماعات";
        let a = run_full(s, 0, Frame::Verb, FormKind::Verb(Tense::Present), &[(3, 4), (6, 7)], &[], &[], false);
        assert_eq!((a.source, a.target), (Some(1), Some(0)));
    }

    #[test]
    fn nationality_after_an_attack_noun_is_the_agent_but_not_a_people() {
        let s = "غاره اسرائيليه علي المدينه";
        let a = run_full(s, 0, Frame::NounTarget, FormKind::Noun, &[(1, 2)], &[], &[0], false);
        assert_eq!(a.source, Some(0));
        let s = "غاره امس 7 فلسطينيين";
        let a = run_full(s, 0, Frame::NounTarget, FormKind::Noun, &[(3, 4)], &[], &[0], false);
        assert_eq!(a.source, None);
    }

    #[test]
    fn actor_after_an_instrument_is_the_agent() {
        let s = "قتل المتظاهر برصاص الشرطه";
        let r = run(s, 0, Frame::Verb, FormKind::Verb(Tense::Passive), &[(1, 2), (3, 4)]);
        assert_eq!(r, (Some(1), Some(0)));
    }

    #[test]
    fn counted_victims_after_a_verb_are_the_target() {
        let s = "كما قتل ثلاثه مسلحين في غاره";
        assert_eq!(run(s, 1, Frame::Verb, FormKind::Verb(Tense::Past), &[(3, 4)]), (None, Some(0)));
    }

    #[test]
    fn antecedent_of_a_relative_pronoun_is_the_subject() {
        let s = "المسلحون الذين هاجموا الحاجز";
        let a = run_clause(s, 2, (1, 4), &[(0, 1), (3, 4)]);
        assert_eq!((a.source, a.target), (Some(0), Some(1)));
    }

    #[test]
    fn uncoded_name_gives_way_to_a_coded_role_in_apposition() {
        let s = "اغتيال زيد عمرو، عميد الكليه امس";
        let toks = words(s);
        let cx = plain(s, &toks, 0, Frame::NounTarget, FormKind::Noun);
        let mk = |index, first, last, bare| ActorPos { index, first, last, bare, ..ActorPos::default() };
        let pos = [mk(0, 1, 3, false), mk(1, 3, 5, true)];
        assert_eq!(assign(&cx, &pos, &mut Vec::new()), (None, Some(1)));
        // Without the comma the role is a second participant, not the name.
        let s = "اغتيال زيد عمرو عميد الكليه امس";
        let toks = words(s);
        let cx = ArgContext { s, toks: &toks, ..cx };
        assert_eq!(assign(&cx, &pos, &mut Vec::new()), (None, Some(0)));
    }

    #[test]
    fn agent_noun_after_an_attack_noun_is_its_source_not_its_target() {
        // The bomber is the agent of the attack noun; the object of the verb after it is the target.
        let s = "هجوم انتحاري استهدف الشرطه";
        let a = run_full(s, 0, Frame::NounTarget, FormKind::Noun, &[(1, 2), (3, 4)], &[], &[], false);
        assert_eq!((a.source, a.target), (Some(0), None));
        // A passive verb's subject that is an agent noun is not its victim.
        let s = "اصيب شرطي في هجوم انتحاري";
        let a = run_full(s, 0, Frame::Verb, FormKind::Verb(Tense::Passive), &[(4, 5)], &[], &[], false);
        assert_eq!(a.target, None);
    }

    #[test]
    fn place_is_only_a_destination_target() {
        let s = "زياره القائد الي بغداد";
        let toks = words(s);
        let preps = vec!["الي".to_string()];
        let cx = ArgContext {
            target_preps: &preps,
            place_target: true,
            ..plain(s, &toks, 0, Frame::NounSource, FormKind::Noun)
        };
        let pos = [
            ActorPos { index: 0, first: 1, last: 2, ..ActorPos::default() },
            ActorPos { index: 1, first: 3, last: 4, place: true, ..ActorPos::default() },
        ];
        assert_eq!(assign(&cx, &pos, &mut Vec::new()), (Some(0), Some(1)));
        let cx = ArgContext { place_target: false, ..cx };
        assert_eq!(assign(&cx, &pos, &mut Vec::new()), (Some(0), None));
    }
    #[test]
    fn owner_of_possessed_victims_is_the_target() {
        // `اعلن الجيش مقتل احد جنوده`: the army owns the soldier; it is the target, not the genitive or a source.
        let s = "اعلن الجيش مقتل احد جنوده في انفجار";
        let a = run_full(s, 2, Frame::Casualty, FormKind::Noun, &[(1, 2)], &[], &[], false);
        assert_eq!((a.source, a.target), (None, Some(0)));
        // A clause-initial verb with the possessed victims reads passive.
        let s = "الشرطه قالت قتل اثنان من عناصرها";
        let a = run_clause(s, 2, (2, 6), &[(0, 1)]);
        assert_eq!((a.source, a.target), (None, Some(0)));
        // No quantifier, a reflexive, or a construct with a definite genitive: no owner.
        let s = "الانتحاريه قامت بتفجير نفسها امس";
        let a = run_full(s, 2, Frame::NounTarget, FormKind::Noun, &[(0, 1)], &[], &[], false);
        assert_eq!(a.target, None);
        let s = "الجيش اعلن مقتل احد قاده الحركه";
        let a = run_full(s, 2, Frame::Casualty, FormKind::Noun, &[(0, 1), (5, 6)], &[], &[], false);
        assert_eq!(a.target, Some(1));
    }

    #[test]
    fn verb_with_an_object_pronoun_has_its_subject_after_it() {
        let s = "عسكريين خطفهم مقاتلون امس";
        let a = run_full(s, 1, Frame::Verb, FormKind::Verb(Tense::Past), &[(0, 1), (2, 3)], &[], &[], false);
        assert_eq!((a.source, a.target), (Some(1), Some(0)));
        // Without an actor after it, the actor before is the subject and the object stays the pronoun.
        let s = "الجيش استهدفهم امس";
        let a = run_full(s, 1, Frame::Verb, FormKind::Verb(Tense::Past), &[(0, 1)], &[], &[], false);
        assert_eq!((a.source, a.target), (Some(0), None));
    }

    #[test]
    fn actor_inside_a_prepositional_phrase_is_no_subject_before_the_verb() {
        let past = FormKind::Verb(Tense::Past);
        // `رساله الي الصحافيين السبت طالبت الرئاسه`: the journalists are addressed, not the ones who demand.
        let s = "رساله من الرئاسه الي الصحافيين السبت طالبت الرئاسه بسرعه";
        assert_eq!(run(s, 6, Frame::Verb, past, &[(4, 5)]), (None, None));
        // Without the preposition the actor before is the subject.
        let s = "رساله من الرئاسه و الصحافيين السبت طالبت الرئاسه بسرعه";
        assert_eq!(run(s, 6, Frame::Verb, past, &[(4, 5)]).0, Some(0));
        // A relative clause on the actor: the verb's subject is the antecedent.
        let s = "اتوجه الي الرئيس الذي ينتقد اوروبا";
        let present = FormKind::Verb(Tense::Present);
        assert_eq!(run(s, 4, Frame::Verb, present, &[(2, 3), (5, 6)]), (Some(0), Some(1)));
        // An indefinite antecedent takes its clause right after it, with no subject after the verb.
        let s = "ردت علي مسؤولين انتقدوا قرار المحكمه";
        assert_eq!(run(s, 3, Frame::Verb, past, &[(2, 3)]).0, Some(0));
        // A subject right after the verb wins over the actor in the phrase before it.
        let s = "في اجتماع مع مسؤولين تعهد ترمب باعاده البناء";
        assert_eq!(run(s, 4, Frame::Verb, past, &[(3, 4), (5, 6)]).0, Some(1));
        // A verbal noun after such an actor names no source (`الضغط علي ميركل لتقديم تنازلات`).
        let s = "الضغط علي ميركل لتقديم تنازلات المانيا";
        assert_eq!(run(s, 4, Frame::Verb, FormKind::Noun, &[(2, 3), (5, 6)]).0, None);
    }

    #[test]
    fn an_adverbial_of_purpose_takes_the_subject_of_its_clause() {
        // `استدعت الخارجيه السفير احتجاجا`: the ministry protests; the ambassador is the verb's object.
        let s = "استدعت الخارجيه السفير احتجاجا علي الهجوم";
        let toks = words(s);
        let pos = positions(&[(1, 2), (2, 3)]);
        let cx = plain(s, &toks, 3, Frame::NounSource, FormKind::Noun);
        assert_eq!(assign(&cx, &pos, &mut Vec::new()).0, Some(1), "not an adverbial: the actor right before");
        let cx = ArgContext { adverbial: true, ..cx };
        assert_eq!(assign(&cx, &pos, &mut Vec::new()).0, Some(0));
        // An actor far into the clause is no subject: the nearest actor stays the source.
        let s = "شل اضراب عام كافه المرافق والقضاء تلبيه لدعوه النقابه احتجاجا";
        let toks = words(s);
        let pos = positions(&[(5, 6), (8, 9)]);
        let cx = ArgContext { adverbial: true, ..plain(s, &toks, 9, Frame::NounSource, FormKind::Noun) };
        assert_eq!(assign(&cx, &pos, &mut Vec::new()).0, Some(1));
    }

    #[test]
    fn a_noun_phrase_naming_no_actor_holds_the_subject_place() {
        let past = FormKind::Verb(Tense::Past);
        // `طالبت العائله باجراء تحقيق`: the family demands; the officials inside the complement take no part.
        let s = "طالبت العائله باجراء تحقيق لمحاسبه المسؤولين";
        assert_eq!(run(s, 0, Frame::Verb, past, &[(5, 6)]), (None, None));
        // A target preposition still names the target (`بحق` in this context's list).
        let s = "طالب الادعاء الاندونيسي بتنفيذ الحكم بحق رجل الدين";
        assert_eq!(run(s, 0, Frame::Verb, past, &[(6, 8)]), (None, Some(0)));
        // A title runs into the name it belongs to: the name is the subject.
        let s = "دعا المخرج الاميركي مارتن سكورسيزي النجمه";
        assert_eq!(run(s, 0, Frame::Verb, past, &[(3, 5)]).0, Some(0));
        // A time word is no subject (`طالبت الجمعه الحكومه`).
        let s = "طالبت الجمعه الحكومه بالافراج عن المعتقلين";
        assert_eq!(run(s, 0, Frame::Verb, past, &[(2, 3)]).0, Some(0));
    }

    #[test]
    fn actor_in_a_describing_clause_is_not_the_object() {
        let s = "خطف مسلحون يرتدون زي الشرطه خمسه اجانب";
        let a = run_full(s, 0, Frame::Verb, FormKind::Verb(Tense::Past), &[(1, 2), (4, 5), (5, 7)], &[], &[], false);
        assert_eq!((a.source, a.target), (Some(0), Some(2)));
        // Without the describing verb the first actor after the subject is the object.
        let s = "خطف مسلحون الشرطي امس";
        let a = run_full(s, 0, Frame::Verb, FormKind::Verb(Tense::Past), &[(1, 2), (2, 3)], &[], &[], false);
        assert_eq!(a.target, Some(1));
    }

    #[test]
    fn antecedent_of_a_passive_relative_verb_is_the_target() {
        let s = "هاجم مسلحون الزعيمه التي اغتيلت في هجوم";
        let a = run_full(s, 4, Frame::Verb, FormKind::Verb(Tense::Passive), &[(1, 2), (2, 3)], &[], &[], false);
        assert_eq!(a.target, Some(1));
    }
    #[test]
    fn possessive_pronoun_on_an_event_noun_names_its_agent_or_victim() {
        // `قذائفهم`: the shells of the soldiers named before; they are the source.
        let s = "الجنود تجاهلوا الشرط واطلقوا قذائفهم باتجاه الموقع";
        let a = run_full(s, 4, Frame::NounTarget, FormKind::Noun, &[(0, 1)], &[], &[], false);
        assert_eq!((a.source, a.target), (Some(0), None));
        // On a verbal noun of a transitive verb (`اغتيالهم`) the owner is the victim.
        let mut toks = Vec::new();
        let s = "الصحفيون نجوا من اغتيالهم امس";
        tokenize(s, "،,.", &mut toks);
        let cx = ArgContext { verbal_noun: true, ..plain(s, &toks, 3, Frame::NounTarget, FormKind::Noun) };
        let pos = [ActorPos { index: 0, first: 0, last: 1, ..ActorPos::default() }];
        assert_eq!(assign(&cx, &pos, &mut Vec::new()), (None, Some(0)));
    }

    #[test]
    fn first_person_present_verbs_carry_their_subject() {
        for w in ["ادعو", "وندعو", "سنطالب", "فسنطالب"] {
            assert!(first_person_present(w), "{w}");
        }
        for w in ["يدعو", "وتدعو", "سيطالب", "يطالبون"] {
            assert!(!first_person_present(w), "{w}");
        }
    }
}
