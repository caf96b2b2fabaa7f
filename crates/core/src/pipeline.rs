//! The extractor: runs every stage over one article and renders the output [`Document`].
//!
//! Build it once (`Extractor::bundled()`), share it across threads (`&Extractor` is `Sync`), and give each
//! thread its own [`Scratch`] so buffers are reused from article to article.

use crate::actors::{ActorStage, Mention};
use crate::attribution::{AttributionRules, Link, LoadedTerm};
use crate::context::{
    carry_episode_dates, choose_date, dated_after_publication, event_counts, is_specific_actor, is_verbal, same_clause,
    share_dates, Dating, EventDay, PlaceRules,
};
use crate::counts::{CountExpr, CountFinder};
use crate::dates::{DateExpr, DateFinder, Precision};
use crate::events::inflect::Tense;
use crate::events::lexicon::FormKind;
use crate::events::{ActorSlot, Candidate, EventDetector, Recode};
use crate::model::{
    ActorRef, Attribution, AttributionKind, Boilerplate, BoilerplateKind, Dateline, DatelinePlace, Document, Entity,
    Event, EventDate, Framing, Loaded, Mention as Slice, Modality, Participant, Place, Sentence, SentenceKind,
    FORMAT_VERSION,
};
use crate::names::{code_and_link, NameScratch, NameStage};
use crate::phrases::PhraseError;
use crate::structure::{ParaKind, Structure, StructureRules};
use crate::wordcount::{is_ascii_ws, word_starts};
use rasid_text::{CharIndex, NormalizedText, Segmenter, Span, Token, Tokenizer};
use std::ops::Range;

/// What the extractor needs to know about one article.
#[derive(Debug, Clone, Copy, Default)]
pub struct ArticleInput<'a> {
    pub id: &'a str,
    pub text: &'a str,
    pub lang: Option<&'a str>,
    /// `YYYY-MM-DD`.
    pub published: Option<&'a str>,
    pub source: Option<&'a str>,
    pub title: Option<&'a str>,
    pub url: Option<&'a str>,
}

/// A failure to build the extractor from its data files.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    #[error(transparent)]
    Phrases(#[from] PhraseError),
    #[error("event lexicon: {0}")]
    Events(#[from] crate::events::LexiconError),
    #[error("name recogniser model: {0}")]
    Names(#[from] rasid_ner::ModelError),
    #[error("date and number tables: {0}")]
    Context(String),
}

/// The compiled analysis pipeline.
#[derive(Debug)]
pub struct Extractor {
    segmenter: Segmenter,
    structure: StructureRules,
    attribution: AttributionRules,
    actors: ActorStage,
    names: NameStage,
    events: EventDetector,
    dates: DateFinder,
    counts: CountFinder,
    places: PlaceRules,
}

/// Per-thread buffers reused across articles.
#[derive(Debug, Default)]
pub struct Scratch {
    norm: NormalizedText,
    structure: Structure,
    loaded: Vec<LoadedTerm>,
    matches: Vec<rasid_lexicon::ActorMatch>,
    mentions: Vec<Mention>,
    names: Vec<Mention>,
    name_scratch: NameScratch,
    tokens: Vec<Token>,
    dates: Vec<DateExpr>,
    counts: Vec<CountExpr>,
    number_tokens: Vec<crate::numbers::Token>,
    stems: Vec<(usize, usize)>,
    slots: Vec<ActorSlot>,
    slot_mentions: Vec<usize>,
    /// The article's reporting, opinion and loaded phrases, found in one pass for every sentence.
    cues: crate::phrases::PhraseHits,
}

impl Scratch {
    /// The last extracted article's normalised text and its tokens (`Tokenizer::tokenize_original` over the
    /// whole text), valid until the next extraction with this scratch: the store builds its search text and
    /// near-duplicate fingerprint from them instead of tokenising the article again.
    pub fn tokens(&self) -> (&NormalizedText, &[Token]) {
        (&self.norm, &self.tokens)
    }
}

impl Extractor {
    /// The extractor with every data file bundled into the binary.
    pub fn bundled() -> Result<Extractor, BuildError> {
        let structure = StructureRules::bundled()?;
        let attribution = AttributionRules::bundled(structure.agencies().clone())?;
        Ok(Extractor {
            segmenter: Segmenter::new(),
            structure,
            attribution,
            actors: ActorStage::bundled(),
            names: NameStage::bundled()?,
            events: EventDetector::bundled()?,
            dates: DateFinder::try_new().map_err(|e| BuildError::Context(e.to_string()))?,
            counts: CountFinder::try_new().map_err(|e| BuildError::Context(e.to_string()))?,
            places: PlaceRules::try_new().map_err(|e| BuildError::Context(e.to_string()))?,
        })
    }

    /// One extractor per process, built on first use from the bundled data (building loads the name model and
    /// compiles every automaton, a fraction of a second).
    pub fn shared() -> Result<&'static Extractor, &'static BuildError> {
        static SHARED: std::sync::OnceLock<Result<Extractor, BuildError>> = std::sync::OnceLock::new();
        SHARED.get_or_init(Extractor::bundled).as_ref()
    }

    /// Replaces the event detector's statistical filter (`None`: rules only). For cross-validating the whole
    /// pipeline (`events_eval --cv`): each fold runs with a filter trained without it.
    pub fn set_event_filter(&mut self, filter: Option<crate::events::Filter>) {
        self.events.set_filter(filter);
    }

    pub fn extract(&self, article: &ArticleInput<'_>) -> Document {
        self.extract_with(&mut Scratch::default(), article)
    }

    pub fn extract_with(&self, scratch: &mut Scratch, article: &ArticleInput<'_>) -> Document {
        let text = article.text;
        scratch.norm.reset(text);
        let norm = &scratch.norm;
        let n = norm.as_str();
        self.structure.analyse(text, norm, &self.segmenter, article.source, &mut scratch.structure);
        let published = article.published.and_then(|p| p.parse::<rasid_lexicon::Ymd>().ok());
        self.actors.find(n, published, &mut scratch.matches, &mut scratch.mentions);
        let st = &scratch.structure;
        let sentence_ranges: Vec<Range<usize>> = st.sentences.iter().map(|s| norm.to_norm(s.span)).collect();

        // Names the dictionaries do not know, in body sentences, coded from context and linked.
        Tokenizer::shared().tokenize_original(text, norm, &mut scratch.tokens);
        scratch.names.clear();
        // The body sentences are tagged as one document (the tagger's second pass reads neighbouring sentences).
        let body = st.sentences.iter().zip(&sentence_ranges).filter(|(s, _)| s.body).map(|(_, r)| r);
        self.names.find_article(
            n,
            body,
            &scratch.tokens,
            &scratch.mentions,
            &mut scratch.name_scratch,
            &mut scratch.names,
        );
        code_and_link(n, &scratch.mentions, self.actors.matcher(), &mut scratch.names);
        scratch.mentions.append(&mut scratch.names);
        scratch.mentions.sort_by_key(|m| (m.norm.start, std::cmp::Reverse(m.norm.end)));
        let mentions = &scratch.mentions;
        // The finders append: start each article empty.
        scratch.dates.clear();
        scratch.counts.clear();
        // One tokenisation of the article for both finders.
        crate::numbers::tokenize(n, &mut scratch.number_tokens);
        self.dates.find_in_tokens(n, &scratch.number_tokens, &mut scratch.stems, &mut scratch.dates);
        self.counts.find_in_tokens(n, &scratch.number_tokens, &mut scratch.stems, &mut scratch.counts);
        scratch.dates.sort_by_key(|d| d.norm.start);
        scratch.counts.sort_by_key(|c| c.norm.start);
        let chars = CharIndex::new(text);
        let mention = |span: Span| (chars.char_offset(span.start), chars.char_offset(span.end), text[span].to_string());

        let dateline = st.dateline.as_ref().map(|d| {
            let (start, end, t) = mention(d.span);
            Dateline {
                start,
                end,
                text: t,
                place: d.place.map(|p| DatelinePlace {
                    name: text[p].to_string(),
                    country: place_country(mentions, norm.to_norm(p)),
                }),
                agency: d.agency.clone(),
            }
        });
        let dateline_agency = st.dateline.as_ref().and_then(|d| d.agency.as_deref());

        let mut boilerplate = Vec::new();
        for p in &st.paragraphs {
            let kind = match p.kind {
                ParaKind::Body => continue,
                ParaKind::SiteLabel => BoilerplateKind::SiteLabel,
                ParaKind::RelatedLink => BoilerplateKind::RelatedLink,
                ParaKind::Caption => BoilerplateKind::Caption,
                ParaKind::Duplicate => BoilerplateKind::Duplicate,
            };
            let (start, end, t) = mention(p.span);
            boilerplate.push(crate::model::Boilerplate { kind, start, end, text: t });
        }
        if let Some(d) = &st.dateline {
            let (start, end, t) = mention(d.span);
            boilerplate.push(Boilerplate { kind: BoilerplateKind::Dateline, start, end, text: t });
        }

        let mut sentences = Vec::with_capacity(st.sentences.len());
        let mut agency_links: Vec<Vec<Range<usize>>> = Vec::with_capacity(st.sentences.len());
        let mut previous: Option<Vec<Link>> = None;
        scratch.loaded.clear();
        let mut loaded = Vec::new();
        let cues = self.attribution.scan(n, &mut scratch.cues).then_some(&scratch.cues);
        let voice =
            |range: Range<usize>, previous: Option<&[Link]>, agency: Option<&str>, terms: &[LoadedTerm]| match cues {
                Some(h) => self.attribution.voice_in(h, n, range, previous, agency, terms),
                None => self.attribution.voice_with_loaded(n, range, previous, agency, terms),
            };
        for (index, s) in st.sentences.iter().enumerate() {
            let range = norm.to_norm(s.span);
            let before = scratch.loaded.len();
            match cues {
                Some(h) => self.attribution.loaded_terms_in(h, n, range.clone(), &mut scratch.loaded),
                None => self.attribution.loaded_terms(n, range.clone(), &mut scratch.loaded),
            }
            for t in &scratch.loaded[before..] {
                let (start, end, tx) = mention(norm.to_original(t.norm.clone()));
                loaded.push(Loaded { start, end, text: tx, category: t.category.clone(), sentence: index });
            }
            let terms = &scratch.loaded[before..];
            let voice = if s.body {
                voice(range.clone(), previous.as_deref(), dateline_agency, terms)
            } else {
                // Non-body text (labels, pasted headlines, captions) is the outlet's, whatever it says.
                let v = voice(range.clone(), None, None, terms);
                crate::attribution::Voice {
                    kind: if v.kind == SentenceKind::Opinion { SentenceKind::Opinion } else { v.kind },
                    chain: vec![Link { kind: AttributionKind::Outlet, norm: None, agency: None }],
                }
            };
            let attribution = voice.chain.iter().map(|l| render_link(l, norm, text, &chars, article.source)).collect();
            if s.body {
                previous = Some(voice.chain.clone());
            }
            agency_links.push(
                voice
                    .chain
                    .iter()
                    .filter(|l| l.kind == AttributionKind::Agency)
                    .filter_map(|l| l.norm.clone())
                    .collect(),
            );
            if s.duplicate_of.is_some() {
                let (start, end, t) = mention(s.span);
                boilerplate.push(Boilerplate { kind: BoilerplateKind::Duplicate, start, end, text: t });
            }
            let (start, end, t) = mention(s.span);
            sentences.push(Sentence {
                index,
                start,
                end,
                text: t,
                kind: voice.kind,
                attribution,
                duplicate_of: s.duplicate_of,
                body: s.body,
            });
        }
        boilerplate.sort_by_key(|b| (b.start, b.end));

        let entities = mentions
            .iter()
            .filter_map(|m| {
                let k = sentence_ranges.partition_point(|r| r.start <= m.norm.start).checked_sub(1)?;
                let sentence = (m.norm.end <= sentence_ranges[k].end).then_some(k)?;
                let (start, end, t) = mention(norm.to_original(m.norm.clone()));
                Some(Entity {
                    start,
                    end,
                    text: t,
                    kind: m.entity.as_str().to_string(),
                    sentence,
                    actor: m.code.as_ref().map(|c| {
                        let (country, role) = rasid_lexicon::reported_slots(c.country, c.role);
                        ActorRef { id: c.id.clone(), name: c.name.clone(), country, role }
                    }),
                })
            })
            .collect();

        // Events of body sentences that do not restate an earlier one.
        let published_day = article.published.and_then(crate::calendar::Ymd::parse);
        let dateline_date = st.dateline.as_ref().and_then(|d| {
            let r = norm.to_norm(d.span);
            scratch.dates.iter().find(|e| r.start <= e.norm.start && e.norm.end <= r.end).cloned()
        });
        let dateline_place = st.dateline.as_ref().and_then(|d| d.place).map(|p| {
            let r = norm.to_norm(p);
            (p, mentions.iter().find(|m| r.start <= m.norm.start && m.norm.end <= r.end))
        });
        // The countries the article names other than through place names (for stray place readings).
        let mut countries: Vec<rasid_lexicon::Country> = mentions
            .iter()
            .filter(|m| {
                !(m.kind == rasid_lexicon::MatchKind::Place
                    || (m.kind == rasid_lexicon::MatchKind::Capital && m.as_place))
            })
            .filter_map(|m| m.code.as_ref()?.country)
            .collect();
        countries.sort_unstable();
        countries.dedup();
        let mut events = Vec::new();
        let mut datings: Vec<Dating> = Vec::new();
        // Per event: whether its place is a mention of the trigger's own clause.
        let mut own_place: Vec<bool> = Vec::new();
        let mut anchor: Option<crate::calendar::Ymd> = None;
        let mut candidates: Vec<Candidate<'_>> = Vec::new();
        // Per event: whether it suspends attacks whose target the discourse rule supplies.
        let mut suspends: Vec<bool> = Vec::new();
        let body = |s: &crate::structure::SentenceUnit| s.body && s.duplicate_of.is_none();
        // The article's domain (a sports report …) from its body, found when a trigger's sense rules first ask.
        let domains = crate::events::LazyDomains::new(
            &scratch.tokens,
            st.sentences.iter().zip(&sentence_ranges).filter(|(s, _)| body(s)).map(|(_, r)| r.clone()).collect(),
        );
        let detected = crate::events::Normalised {
            domains: crate::events::ArticleDomains::Lazy(&domains),
            ..crate::events::Normalised::from(norm)
        };
        for (index, (s, range)) in st.sentences.iter().zip(&sentence_ranges).enumerate() {
            if !body(s) {
                continue;
            }
            scratch.slots.clear();
            scratch.slot_mentions.clear();
            let agencies = &agency_links[index];
            // Mentions, dates and counts are sorted by start: take the sentence's slice of each.
            let lo = mentions.partition_point(|m| m.norm.start < range.start);
            let hi = lo + mentions[lo..].partition_point(|m| m.norm.start < range.end);
            let sentence_mentions = &mentions[lo..hi];
            let sentence_counts = in_range(&scratch.counts, range, |c| c.norm.start);
            for (mi, m) in sentence_mentions.iter().enumerate().map(|(i, m)| (lo + i, m)) {
                let inside = range.start <= m.norm.start && m.norm.end <= range.end;
                // A news agency the sentence cites is a source of the claim, not a party to the event; a mention
                // nested in a longer one (`فيلق القدس` in `قائد فيلق القدس`) is represented by the longer one.
                let cited = agencies.iter().any(|a| a.start < m.norm.end && m.norm.start < a.end);
                let nested = scratch.slot_mentions.last().is_some_and(|&p| mentions[p].norm.end >= m.norm.end);
                // Places come too: the destination of a visit is a participant (the place's government).
                if inside && !cited && !nested {
                    if let Some(slot) = ActorSlot::of_mention(m, mi as u32) {
                        scratch.slots.push(slot);
                        scratch.slot_mentions.push(mi);
                    }
                }
            }
            // Relative dates (`في اليوم التالي`) count from the last dated event of an earlier sentence.
            let sentence_anchor = anchor;
            let sentence_dated = !in_range(&scratch.dates, range, |d| d.norm.start).is_empty();
            candidates.clear();
            self.events.detect(detected, range.clone(), &scratch.slots, &mut candidates);
            // Coded events, and readings that are events but not asserted (negated, hypothetical, …).
            let kept =
                |c: &Candidate<'_>| c.coded || (c.score.is_none() && (c.negated || c.modality != Modality::Asserted));
            let triggers: Vec<crate::context::Trigger<'_>> =
                candidates.iter().filter(|c| kept(c)).map(|c| (c.trigger.clone(), c.plover)).collect();
            // Triggers that stand inside an actor's name (`زارة` in `وزارة الخارجية`) do not hold a date for
            // themselves.
            let blockers: Vec<crate::context::Trigger<'_>> = triggers
                .iter()
                .filter(|(t, _)| !sentence_mentions.iter().any(|m| m.norm.start < t.end && t.start < m.norm.end))
                .cloned()
                .collect();
            for c in &candidates {
                if !kept(c) {
                    continue;
                }
                // A count in another clause belongs to that clause's event unless that event is this one told
                // again (`هاجموا …، ما أسفر عن مقتل جنديين`: same type, same polarity).
                let count_blockers: Vec<crate::context::Trigger<'_>> = candidates
                    .iter()
                    .filter(|o| kept(o) && (o.plover != c.plover || o.negated != c.negated))
                    .map(|o| (o.trigger.clone(), o.plover))
                    .collect();
                let participant = |slot: Option<usize>, recode: Option<&Recode>| -> Option<Participant> {
                    let slot = slot?;
                    let m = &mentions[*scratch.slot_mentions.get(slot)?];
                    let (start, end, t) = mention(norm.to_original(m.norm.clone()));
                    let code = m.code.as_ref();
                    let country = code.and_then(|c| c.country).map(|c| c.as_str().to_string());
                    // A code an argument rule gives (`بطائرة أمريكية` → USA MIL; a place as its country alone).
                    if let Some(r) = recode {
                        let role = match r {
                            Recode::Role(role) => Some(role.clone()),
                            Recode::CountryOnly => None,
                        };
                        let id = match (&country, &role) {
                            (Some(c), Some(r)) => format!("{c}-{r}"),
                            (Some(c), None) => c.clone(),
                            (None, _) => return None,
                        };
                        return Some(Participant { text: t, start, end, actor_id: Some(id), country, role });
                    }
                    // A place participant (the destination of a visit) stands for its country's government.
                    if scratch.slots.get(slot).is_some_and(|s| s.place) {
                        let country = country?;
                        return Some(Participant {
                            text: t,
                            start,
                            end,
                            actor_id: Some(format!("{country}-GOV")),
                            country: Some(country),
                            role: Some("GOV".into()),
                        });
                    }
                    let (country, role) =
                        rasid_lexicon::reported_slots(code.and_then(|c| c.country), code.and_then(|c| c.role));
                    Some(Participant { text: t, start, end, country, role, actor_id: code.map(|c| c.id.clone()) })
                };
                let mut choice = published_day
                    .map(|p| choose_date(n, range, &c.trigger, c.plover, &blockers, &scratch.dates, p, sentence_anchor))
                    .unwrap_or_default();
                // `اجتماع الخميس المقبل`: an asserted noun or present verb dated after publication by its own clause
                // is a planned act: a cooperative one is its family's future AGREE (a planned meeting is AGREE 036);
                // any other (an attack next month) is no act of the sentence's speakers, so not coded.
                let (mut plover, mut cameo, mut coded, mut modality) = (c.plover, c.cameo, c.coded, c.modality);
                let future_form = matches!(c.form, FormKind::Noun | FormKind::Verb(Tense::Present));
                let may_be_planned = coded && modality == Modality::Asserted && future_form;
                if may_be_planned
                    && published_day.is_some_and(|p| {
                        dated_after_publication(n, &c.trigger, &choice, &scratch.dates, p)
                            .is_some_and(|between| !self.events.has_clause_word(n, between))
                    })
                {
                    modality = Modality::Future;
                    match self.events.future_reading(c.family) {
                        Some((t, code)) if t == "AGREE" => (plover, cameo) = (t, code),
                        _ => coded = false,
                    }
                }
                // `سيزور الكويت الأحد`: a future event's bare weekday after it is the coming one (one before it,
                // `أعلنت، الاثنين، استعدادها لإجراء محادثات`, dates the announcement).
                if c.modality == Modality::Future && choice.referent_of.is_none() {
                    let after = |e: &&DateExpr| e.norm.start >= c.trigger.end;
                    if let (Some(e), Some(p)) =
                        (choice.expr.and_then(|i| scratch.dates.get(i)).filter(after), published_day)
                    {
                        if let Some(resolved) = e.resolve_future(p, sentence_anchor) {
                            choice.day = Some(EventDay { resolved, norm: Some(e.norm.clone()) });
                        }
                    }
                }
                if let Some(d) = &choice.day {
                    if coded
                        && d.resolved.precision == Precision::Day
                        && d.norm.is_some()
                        && choice.referent_of.is_none()
                    {
                        anchor = d.resolved.start;
                    }
                }
                let (source, target) =
                    (participant(c.source, c.source_code.as_ref()), participant(c.target, c.target_code.as_ref()));
                suspends.push(c.suspends_attacks);
                let participants = [&source, &target]
                    .into_iter()
                    .flatten()
                    .filter_map(|p| p.actor_id.clone())
                    .filter(|id| is_specific_actor(id))
                    .collect();
                datings.push(Dating {
                    kind: plover.to_string(),
                    actor: source.as_ref().and_then(|p| p.actor_id.clone()).filter(|id| is_specific_actor(id)),
                    participants,
                    sentence: index,
                    sentence_dated,
                    trigger: c.trigger.clone(),
                    choice,
                });
                // A news agency the sentence cites (`وكالة أنباء الأناضول`) is not a place.
                let place_mention = self.places.event_place(
                    n,
                    range,
                    &c.trigger,
                    plover,
                    &triggers,
                    sentence_mentions,
                    agencies,
                    &countries,
                );
                own_place.push(place_mention.is_some_and(|m| same_clause(n, &c.trigger, &m.norm)));
                let place = match place_mention {
                    Some(m) => {
                        let (start, end, t) = mention(norm.to_original(m.norm.clone()));
                        let coords = self.actors.coordinates(n, m);
                        let offset = self.places.offset(n, range, m);
                        Some(Place {
                            name: t,
                            country: m.code.as_ref().and_then(|c| c.country).map(|c| c.as_str().to_string()),
                            lat: coords.map(|c| c.0),
                            lon: coords.map(|c| c.1),
                            start: Some(start),
                            end: Some(end),
                            distance_km: offset.and_then(|o| o.km),
                            direction: offset.and_then(|o| o.direction).map(str::to_string),
                        })
                    }
                    None => dateline_place.as_ref().and_then(|(span, m)| {
                        let (start, end, t) = mention(*span);
                        let coords = m.and_then(|m| self.actors.coordinates(n, m));
                        let country = m.and_then(|m| m.code.as_ref()?.country).map(|c| c.as_str().to_string());
                        // The dateline is where the report was filed: not the place of an act whose source is
                        // another country's (`واشنطن` blaming, filed from Baghdad).
                        let foreign = is_verbal(plover)
                            && source
                                .as_ref()
                                .and_then(|p| p.country.as_deref())
                                .is_some_and(|sc| country.as_deref().is_some_and(|dc| dc != sc));
                        (!foreign).then(|| Place {
                            name: t,
                            country,
                            lat: coords.map(|c| c.0),
                            lon: coords.map(|c| c.1),
                            start: Some(start),
                            end: Some(end),
                            distance_km: None,
                            direction: None,
                        })
                    }),
                };
                let (tstart, tend, ttext) = mention(norm.to_original(c.trigger.clone()));
                events.push(Event {
                    kind: plover.to_string(),
                    cameo: cameo.map(str::to_string),
                    sentence: index,
                    trigger: Slice { start: tstart, end: tend, text: ttext },
                    source,
                    target,
                    // Filled below, once dates are shared across the article.
                    date: None,
                    place,
                    counts: event_counts(n, plover, range, &c.trigger, &count_blockers, sentence_counts),
                    // A coded reading is an asserted act (a promise is an AGREE, a refusal a REJECT).
                    negated: !coded && c.negated,
                    modality: if coded { Modality::Asserted } else { modality },
                    rule: c.rule.clone(),
                    attribution: sentences[index].attribution.clone(),
                });
            }
        }

        EventDetector::carry_attack_targets(&mut events, &suspends);
        // An event dated as the same occurrence as another also takes that one's place when its own is not of its
        // clause.
        for (i, j) in share_dates(&mut datings, &scratch.dates, published_day) {
            if !own_place[i] && own_place[j] {
                events[i].place = events[j].place.clone();
            }
        }
        carry_episode_dates(&mut datings);
        for (e, d) in events.iter_mut().zip(datings) {
            let day = d.choice.day.or_else(|| {
                let d = dateline_date.as_ref()?;
                let resolved = d.resolve(published_day?, None)?;
                Some(EventDay { resolved, norm: Some(d.norm.clone()) })
            });
            e.date = day.map(|d| {
                let m = d.norm.map(|r| {
                    let (start, end, text) = mention(norm.to_original(r));
                    Slice { start, end, text }
                });
                EventDate {
                    text: m.as_ref().map_or(String::new(), |m| m.text.clone()),
                    value: d.resolved.value.clone(),
                    start: (d.resolved.precision == Precision::Range)
                        .then(|| d.resolved.start.map(|x| x.to_string()))
                        .flatten(),
                    end: (d.resolved.precision == Precision::Range)
                        .then(|| d.resolved.end.map(|x| x.to_string()))
                        .flatten(),
                    precision: d.resolved.precision.as_str().to_string(),
                    approx: d.resolved.approx,
                    mention: m,
                }
            });
        }

        let body: Vec<&Sentence> = sentences.iter().filter(|s| s.body).collect();
        let opinion = body.iter().filter(|s| s.kind == SentenceKind::Opinion).count();
        let (all_words, words) = word_counts(text, st.sentences.iter().filter(|s| s.body).map(|s| s.span));
        let framing = Framing {
            sentences: body.len(),
            opinion_sentences: opinion,
            opinion_share: ratio(opinion as f64, body.len() as f64),
            words,
            loaded_per_1000_words: ratio(loaded.len() as f64 * 1000.0, all_words as f64),
        };

        Document {
            id: article.id.to_string(),
            lang: article.lang.unwrap_or("ar").to_string(),
            published: article.published.map(str::to_string),
            source: article.source.map(str::to_string),
            title: article.title.map(str::to_string),
            url: article.url.map(str::to_string),
            format_version: FORMAT_VERSION,
            length: chars.char_offset(text.len()),
            dateline,
            boilerplate,
            sentences,
            entities,
            events,
            loaded,
            framing,
        }
    }
}

/// The country of the place, capital or country mention inside `range` (the dateline's place).
fn place_country(mentions: &[Mention], range: Range<usize>) -> Option<String> {
    mentions
        .iter()
        .find(|m| {
            range.start <= m.norm.start
                && m.norm.end <= range.end
                && m.code.as_ref().is_some_and(|c| c.country.is_some())
        })
        .and_then(|m| m.code.as_ref()?.country)
        .map(|c| c.as_str().to_string())
}

/// The items of a start-sorted slice that start inside `range`.
fn in_range<'a, T>(items: &'a [T], range: &Range<usize>, start: impl Fn(&T) -> usize) -> &'a [T] {
    let lo = items.partition_point(|x| start(x) < range.start);
    let hi = lo + items[lo..].partition_point(|x| start(x) < range.end);
    &items[lo..hi]
}

/// The whitespace-separated words of `text` and of the `spans` of it (its body sentences), as
/// `text.split_whitespace().count()` and the sum of `text[span].split_whitespace().count()`: one sweep over the
/// bytes when the spans are in order and apart (a span's first word counts for it even when it continues a word
/// before the span). Over the bytes when `text` has no lead byte of a non-ASCII white-space character (U+0085,
/// U+00A0: `C2`; U+1680: `E1`; U+2000–U+205F: `E2`; U+3000: `E3`): a word then starts at every byte that is not
/// ASCII white space after one that is (a continuation byte never follows ASCII). Otherwise the splitter counts.
fn word_counts(text: &str, spans: impl Iterator<Item = Span> + Clone) -> (usize, usize) {
    let split = || {
        let body = spans.clone().map(|s| text.get(s.start..s.end).map_or(0, |t| t.split_whitespace().count()));
        (text.split_whitespace().count(), body.sum())
    };
    let b = text.as_bytes();
    let (mut all, mut words, mut pos, mut prev_ws, mut exotic) = (0, 0, 0, true, false);
    for span in spans.clone() {
        let (Some(gap), Some(inner)) = (b.get(pos..span.start), b.get(span.start..span.end)) else { return split() };
        all += word_starts(gap, &mut prev_ws, &mut exotic);
        let continues = !prev_ws && inner.first().is_some_and(|&x| !is_ascii_ws(x));
        prev_ws = true;
        let n = word_starts(inner, &mut prev_ws, &mut exotic);
        words += n;
        all += n - usize::from(continues);
        pos = span.end;
    }
    all += word_starts(b.get(pos..).unwrap_or_default(), &mut prev_ws, &mut exotic);
    if exotic {
        split()
    } else {
        (all, words)
    }
}

fn ratio(a: f64, b: f64) -> f64 {
    if b == 0.0 {
        0.0
    } else {
        (a / b * 1000.0).round() / 1000.0
    }
}

fn render_link(l: &Link, norm: &NormalizedText, text: &str, chars: &CharIndex, source: Option<&str>) -> Attribution {
    match (&l.norm, l.kind) {
        (Some(r), _) => {
            let span = norm.to_original(Range::clone(r));
            let (start, end) = chars.char_span(span);
            Attribution {
                kind: l.kind,
                text: text[span].to_string(),
                name: l.agency.clone(),
                start: Some(start),
                end: Some(end),
            }
        }
        (None, AttributionKind::Outlet) => Attribution {
            kind: l.kind,
            text: source.unwrap_or("outlet").to_string(),
            name: None,
            start: None,
            end: None,
        },
        (None, _) => Attribution {
            kind: l.kind,
            text: l.agency.clone().unwrap_or_default(),
            name: l.agency.clone(),
            start: None,
            end: None,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::word_counts;
    use rasid_text::Span;

    #[test]
    fn word_counts_are_split_whitespace_counts() {
        let cases = [
            "",
            " ",
            "كلمة",
            "  قال  الوزير\tأمس\n\nإن ",
            "a\u{0B}b\u{0C}c\r\nd",
            "x\u{85}y\u{A0}z\u{1680}w\u{2003}v\u{2028}u\u{202F}t\u{205F}s\u{3000}r",
            "\u{200B}zero-width\u{FEFF}is\u{200C}not space",
            "mixed 123 ، كلمات. end ",
            "©2018 €5 «قال» — ؟",
            "\u{1C}\u{1F}\u{7F} a\u{1E}b",
            "قال\u{A0}الوزير «نعم»",
            "وقال\nالمتحدث\r\n\t  إن 5 جنود",
            "قال المتحدث «إن الجيش قصف» مواقع “المسلحين” — في الشمال… امس\u{A0}الاحد",
            "«نعم»، قال: “لا” — ©2018 € ـ ١٢ abc def ghi jkl mno pqr stu vwx yz",
        ];
        for s in cases {
            let bounds: Vec<usize> = s.char_indices().map(|(i, _)| i).chain([s.len()]).collect();
            let at = |k: usize| bounds[k * (bounds.len() - 1) / 8];
            // Spans in order, apart, touching, splitting words; then out of order (the splitter counts).
            for spans in [
                vec![],
                vec![Span::new(0, s.len())],
                vec![Span::new(at(1), at(3)), Span::new(at(3), at(4)), Span::new(at(5), at(8))],
                vec![Span::new(at(2), at(6)), Span::new(at(1), at(3))],
            ] {
                let want = spans.iter().map(|&p| s[p].split_whitespace().count()).sum::<usize>();
                assert_eq!(
                    word_counts(s, spans.iter().copied()),
                    (s.split_whitespace().count(), want),
                    "{s:?} {spans:?}"
                );
            }
        }
    }
}
