//! The extractor: runs every stage over one article and renders the output [`Document`].
//!
//! Build it once (`Extractor::bundled()`), share it across threads (`&Extractor` is `Sync`), and give each
//! thread its own [`Scratch`] so buffers are reused from article to article.

use crate::actors::{ActorStage, Mention};
use crate::attribution::{AttributionRules, Link, LoadedTerm};
use crate::model::{
    ActorRef, Attribution, AttributionKind, Boilerplate, BoilerplateKind, Dateline, DatelinePlace, Document, Entity,
    Framing, Loaded, Sentence, SentenceKind, FORMAT_VERSION,
};
use crate::phrases::PhraseError;
use crate::structure::{ParaKind, Structure, StructureRules};
use rasid_text::{CharIndex, NormalizedText, Segmenter, Span};
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
}

/// The compiled analysis pipeline.
#[derive(Debug, Clone)]
pub struct Extractor {
    segmenter: Segmenter,
    structure: StructureRules,
    attribution: AttributionRules,
    actors: ActorStage,
}

/// Per-thread buffers reused across articles.
#[derive(Debug, Default)]
pub struct Scratch {
    norm: NormalizedText,
    structure: Structure,
    loaded: Vec<LoadedTerm>,
    matches: Vec<rasid_lexicon::ActorMatch>,
    mentions: Vec<Mention>,
}

impl Extractor {
    /// The extractor with every data file bundled into the binary.
    pub fn bundled() -> Result<Extractor, BuildError> {
        let structure = StructureRules::bundled()?;
        let attribution = AttributionRules::bundled(structure.agencies().clone())?;
        Ok(Extractor { segmenter: Segmenter::new(), structure, attribution, actors: ActorStage::bundled() })
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
        let mentions = &scratch.mentions;
        let st = &scratch.structure;
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
        let mut previous: Option<Vec<Link>> = None;
        scratch.loaded.clear();
        let mut loaded = Vec::new();
        for (index, s) in st.sentences.iter().enumerate() {
            let range = norm.to_norm(s.span);
            let before = scratch.loaded.len();
            self.attribution.loaded_terms(n, range.clone(), &mut scratch.loaded);
            for t in &scratch.loaded[before..] {
                let (start, end, tx) = mention(norm.to_original(t.norm.clone()));
                loaded.push(Loaded { start, end, text: tx, category: t.category.clone(), sentence: index });
            }
            let voice = if s.body {
                self.attribution.voice(n, range.clone(), previous.as_deref(), dateline_agency)
            } else {
                // Non-body text (labels, pasted headlines, captions) is the outlet's, whatever it says.
                let v = self.attribution.voice(n, range.clone(), None, None);
                crate::attribution::Voice {
                    kind: if v.kind == SentenceKind::Opinion { SentenceKind::Opinion } else { v.kind },
                    chain: vec![Link { kind: AttributionKind::Outlet, norm: None, agency: None }],
                }
            };
            let attribution = voice.chain.iter().map(|l| render_link(l, norm, text, &chars, article.source)).collect();
            if s.body {
                previous = Some(voice.chain.clone());
            }
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

        let sentence_ranges: Vec<Range<usize>> = st.sentences.iter().map(|s| norm.to_norm(s.span)).collect();
        let entities = mentions
            .iter()
            .filter_map(|m| {
                let sentence = sentence_ranges.iter().position(|r| r.start <= m.norm.start && m.norm.end <= r.end)?;
                let (start, end, t) = mention(norm.to_original(m.norm.clone()));
                Some(Entity {
                    start,
                    end,
                    text: t,
                    kind: m.entity.as_str().to_string(),
                    sentence,
                    actor: m.code.as_ref().map(|c| ActorRef {
                        id: c.id.clone(),
                        name: c.name.clone(),
                        country: c.country.map(|c| c.as_str().to_string()),
                        role: c.role.map(|r| r.as_str().to_string()),
                    }),
                })
            })
            .collect();

        let body: Vec<&Sentence> = sentences.iter().filter(|s| s.body).collect();
        let opinion = body.iter().filter(|s| s.kind == SentenceKind::Opinion).count();
        let words = body.iter().map(|s| s.text.split_whitespace().count()).sum::<usize>();
        let all_words = text.split_whitespace().count();
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
            events: Vec::new(),
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
            Attribution { kind: l.kind, text: text[span].to_string(), start: Some(start), end: Some(end) }
        }
        (None, AttributionKind::Outlet) => {
            Attribution { kind: l.kind, text: source.unwrap_or("outlet").to_string(), start: None, end: None }
        }
        (None, _) => Attribution { kind: l.kind, text: l.agency.clone().unwrap_or_default(), start: None, end: None },
    }
}
