//! The output format v1: plain serde records, one [`Document`] per input article (specified in `docs/output.md`).
//!
//! All `start`/`end` fields are Unicode code-point offsets into the article's original `text`, `start`
//! inclusive, `end` exclusive, and every record with offsets carries the `text` it covers. Internally the
//! pipeline works with byte [`rasid_text::Span`]s and converts them here, through one `CharIndex` per document.

use serde::{Deserialize, Serialize};

/// Version of the output format written in every document.
pub const FORMAT_VERSION: u32 = 1;

/// One analysed article.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    pub id: String,
    pub lang: String,
    pub published: Option<String>,
    pub source: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    pub format_version: u32,
    /// Length of the original text in code points.
    pub length: usize,
    pub dateline: Option<Dateline>,
    pub boilerplate: Vec<Boilerplate>,
    pub sentences: Vec<Sentence>,
    pub entities: Vec<Entity>,
    pub events: Vec<Event>,
    /// Loaded and evaluative terms (terror labels, insults, dehumanising and sectarian terms).
    pub loaded: Vec<Loaded>,
    pub framing: Framing,
}

/// A loaded or evaluative term in the text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Loaded {
    pub start: usize,
    pub end: usize,
    pub text: String,
    /// `terror_label`, `insult`, `dehumanising`, `sectarian` or `evaluative`.
    pub category: String,
    pub sentence: usize,
}

/// How much of the article is the outlet's own voice.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Framing {
    /// Body sentences.
    pub sentences: usize,
    /// Body sentences in the outlet's own voice.
    pub opinion_sentences: usize,
    /// `opinion_sentences / sentences` (0 when there are none).
    pub opinion_share: f64,
    /// Words of body text.
    pub words: usize,
    /// Loaded terms per 1,000 words of the whole text.
    pub loaded_per_1000_words: f64,
}

/// A text slice with its code-point offsets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mention {
    pub start: usize,
    pub end: usize,
    pub text: String,
}

/// `بغداد (رويترز) –`: where and through which agency the report was filed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dateline {
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub place: Option<DatelinePlace>,
    pub agency: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DatelinePlace {
    pub name: String,
    pub country: Option<String>,
}

/// What kind of non-body text a [`Boilerplate`] span is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BoilerplateKind {
    SiteLabel,
    Dateline,
    RelatedLink,
    Caption,
    Duplicate,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Boilerplate {
    pub kind: BoilerplateKind,
    pub start: usize,
    pub end: usize,
    pub text: String,
}

/// Whose voice a sentence is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SentenceKind {
    /// The outlet reports what happened or what someone said (indirect speech).
    Report,
    /// The sentence holds a direct quotation.
    Quote,
    /// The outlet's own evaluation or commentary.
    Opinion,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sentence {
    pub index: usize,
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub kind: SentenceKind,
    /// Who the claim is attributed to, outermost first (the dateline agency, then its sources).
    pub attribution: Vec<Attribution>,
    /// Index of the earlier sentence this one repeats, if any.
    pub duplicate_of: Option<usize>,
    /// Whether the sentence lies in article body (false for site labels, related links, captions).
    pub body: bool,
}

/// Who stands behind a claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AttributionKind {
    /// The publishing outlet itself (its own voice); no offsets.
    Outlet,
    /// A news agency (from the dateline or named in the text).
    Agency,
    /// A named or described source of the claim.
    Source,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Attribution {
    pub kind: AttributionKind,
    pub text: String,
    /// The canonical name of an agency (`Reuters` for `رويترز`, `وكالة أنباء رويترز`), else null.
    pub name: Option<String>,
    pub start: Option<usize>,
    pub end: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entity {
    pub start: usize,
    pub end: usize,
    pub text: String,
    /// `PER`, `ORG`, `LOC` or `MISC`.
    #[serde(rename = "type")]
    pub kind: String,
    pub sentence: usize,
    pub actor: Option<ActorRef>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActorRef {
    pub id: String,
    pub name: String,
    pub country: Option<String>,
    pub role: Option<String>,
}

/// Whether an event is asserted as real.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Modality {
    Asserted,
    Hypothetical,
    Counterfactual,
    Future,
}

impl Modality {
    /// The serialised name (`asserted`, `hypothetical`, `counterfactual`, `future`).
    pub fn name(self) -> &'static str {
        match self {
            Modality::Asserted => "asserted",
            Modality::Hypothetical => "hypothetical",
            Modality::Counterfactual => "counterfactual",
            Modality::Future => "future",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// PLOVER event type, e.g. `ASSAULT`.
    #[serde(rename = "type")]
    pub kind: String,
    pub cameo: Option<String>,
    pub sentence: usize,
    pub trigger: Mention,
    pub source: Option<Participant>,
    pub target: Option<Participant>,
    pub date: Option<EventDate>,
    pub place: Option<Place>,
    pub counts: Option<Counts>,
    pub negated: bool,
    pub modality: Modality,
    /// The lexicon entry and heuristic that produced the event, e.g. `assault.kill/passive`.
    pub rule: String,
    /// The attribution chain of the event's sentence (outermost first); `outlet` for the outlet's own opinion.
    pub attribution: Vec<Attribution>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Participant {
    pub text: String,
    pub start: usize,
    pub end: usize,
    pub country: Option<String>,
    pub role: Option<String>,
    pub actor_id: Option<String>,
}

/// When an event happened, resolved against the publication date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventDate {
    /// The date expression as written (empty when the date comes from the dateline or publication day).
    pub text: String,
    /// `YYYY-MM-DD`, `YYYY-MM` or `YYYY`.
    pub value: String,
    /// First day of a range (`precision = "range"`), as `YYYY-MM-DD`.
    pub start: Option<String>,
    /// Last day of a range, as `YYYY-MM-DD`.
    pub end: Option<String>,
    /// `day`, `month`, `year` or `range`.
    pub precision: String,
    /// True when the expression itself is approximate (`قبل نحو أسبوع`, `بعد أقل من 48 ساعة من …`): the
    /// value or range is an estimate, not a stated date.
    #[serde(default)]
    pub approx: bool,
    /// Where the expression stands in the text, when it does.
    pub mention: Option<Mention>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Place {
    pub name: String,
    pub country: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub start: Option<usize>,
    pub end: Option<usize>,
    /// `على بعد 20 كيلومترا شمال بغداد`: the event lies this many kilometres from the named place …
    #[serde(default)]
    pub distance_km: Option<f64>,
    /// … in this compass direction (`N`, `NE`, `E`, `SE`, `S`, `SW`, `W`, `NW`); the coordinates stay the
    /// named place's.
    #[serde(default)]
    pub direction: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Counts {
    pub killed: Option<Count>,
    pub wounded: Option<Count>,
    pub arrested: Option<Count>,
    pub participants: Option<Count>,
    pub events: Option<Count>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Count {
    pub value: u64,
    /// True for `أكثر من 20`, `نحو 2000`, `عشرات`: the value is a bound or an estimate.
    pub approx: bool,
    /// Which way the bound goes when `approx` is true: `more_than 20` means at least 21.
    #[serde(default)]
    pub qualifier: Option<CountQualifier>,
}

/// How a count's true value relates to its `value`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CountQualifier {
    /// `أكثر من 20`: more than `value`.
    MoreThan,
    /// `ما لا يقل عن 28`, `على الأقل`: `value` or more.
    AtLeast,
    /// `نحو 2000`, `عشرات`: about `value`.
    About,
    /// `أقل من 10`: fewer than `value`.
    LessThan,
    /// `ما يصل إلى 50`: `value` or fewer.
    AtMost,
}
