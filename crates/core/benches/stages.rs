//! Criterion benchmarks of each analysis stage and of the whole document, on synthetic articles (`synth/mod.rs`).
//!
//! Each stage runs on inputs prepared by the stages before it, so a figure is that stage's own cost. Every
//! benchmark first checks the stage's output on the same input (a benchmark of a broken stage measures nothing).
//! Run: `cargo bench -p rasid-core --bench stages` (one stage: `… -- events`).

mod synth;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use rasid_core::actors::{ActorStage, Mention};
use rasid_core::attribution::AttributionRules;
use rasid_core::counts::CountFinder;
use rasid_core::dates::DateFinder;
use rasid_core::events::{ActorSlot, Candidate, EventDetector};
use rasid_core::names::{NameScratch, NameStage};
use rasid_core::structure::{Structure, StructureRules};
use rasid_core::{ArticleInput, Extractor, Scratch};
use rasid_text::{NormalizedText, Segmenter, Token, Tokenizer};
use std::hint::black_box;
use std::ops::Range;

/// Bytes of article text each benchmark iteration reads.
const BYTES: usize = 256 * 1024;
const PUBLISHED: &str = "2024-02-18";

/// An article with the outputs of the stages before the measured one.
struct Prepared {
    text: String,
    types: Vec<String>,
    norm: NormalizedText,
    sentences: Vec<Range<usize>>,
    tokens: Vec<Token>,
    mentions: Vec<Mention>,
}

struct Stages {
    segmenter: Segmenter,
    structure: StructureRules,
    attribution: AttributionRules,
    actors: ActorStage,
    names: NameStage,
    events: EventDetector,
    dates: DateFinder,
    counts: CountFinder,
}

fn stages() -> Stages {
    let structure = StructureRules::bundled().expect("structure rules");
    let attribution = AttributionRules::bundled(structure.agencies().clone()).expect("attribution rules");
    Stages {
        segmenter: Segmenter::new(),
        structure,
        attribution,
        actors: ActorStage::bundled(),
        names: NameStage::bundled().expect("ner model"),
        events: EventDetector::bundled().expect("event lexicon"),
        dates: DateFinder::try_new().expect("date data"),
        counts: CountFinder::try_new().expect("count data"),
    }
}

fn prepare(s: &Stages) -> Vec<Prepared> {
    let date = PUBLISHED.parse().ok();
    synth::articles(BYTES)
        .into_iter()
        .map(|a| {
            let norm = NormalizedText::new(&a.text);
            let mut structure = Structure::default();
            s.structure.analyse(&a.text, &norm, &s.segmenter, None, &mut structure);
            let sentences = structure.sentences.iter().map(|u| norm.to_norm(u.span)).collect();
            let mut tokens = Vec::new();
            Tokenizer::shared().tokenize_original(&a.text, &norm, &mut tokens);
            let mut mentions = Vec::new();
            s.actors.find(norm.as_str(), date, &mut Vec::new(), &mut mentions);
            mentions.sort_by_key(|m| (m.norm.start, std::cmp::Reverse(m.norm.end)));
            Prepared { text: a.text, types: a.types, norm, sentences, tokens, mentions }
        })
        .collect()
}

fn bytes(batch: &[Prepared]) -> u64 {
    batch.iter().map(|p| p.text.len() as u64).sum()
}

fn sentences_reporting(batch: &[Prepared], kind: &str) -> usize {
    batch.iter().flat_map(|p| &p.types).filter(|t| *t == kind).count()
}

fn input(p: &Prepared) -> ArticleInput<'_> {
    ArticleInput { id: "bench", text: &p.text, published: Some(PUBLISHED), ..Default::default() }
}

/// The event candidates of one article, with the actor slots the pipeline would pass.
fn detect<'d>(s: &'d Stages, p: &Prepared, slots: &mut Vec<ActorSlot>, out: &mut Vec<Candidate<'d>>) {
    out.clear();
    for range in &p.sentences {
        slots.clear();
        for (i, m) in p.mentions.iter().enumerate() {
            if range.start <= m.norm.start && m.norm.end <= range.end {
                slots.extend(ActorSlot::of_mention(m, i as u32));
            }
        }
        s.events.detect(&p.norm, range.clone(), slots, out);
    }
}

fn benches(c: &mut Criterion) {
    let s = stages();
    let batch = prepare(&s);
    let mut g = c.benchmark_group("stage");
    g.sample_size(10).throughput(Throughput::Bytes(bytes(&batch)));

    // Normalisation: every original byte maps into the normalised text.
    let mut norm = NormalizedText::default();
    for p in &batch {
        norm.reset(&p.text);
        assert!(!norm.as_str().is_empty() && norm.as_str().len() <= p.text.len());
        assert_eq!(norm.as_str(), p.norm.as_str());
    }
    g.bench_function("normalise", |b| {
        b.iter(|| {
            for p in &batch {
                norm.reset(black_box(&p.text));
            }
        })
    });

    // Tokenisation: at least one token per five bytes of Arabic prose.
    let mut tokens = Vec::new();
    let total: usize = batch
        .iter()
        .map(|p| {
            Tokenizer::shared().tokenize_original(&p.text, &p.norm, &mut tokens);
            tokens.len()
        })
        .sum();
    assert!(total as u64 > bytes(&batch) / 20, "{total} tokens");
    g.bench_function("tokenise", |b| {
        b.iter(|| {
            for p in &batch {
                Tokenizer::shared().tokenize_original(&p.text, &p.norm, &mut tokens);
            }
        })
    });

    // Structure: every article has its dateline and at least as many sentences as templates.
    let mut st = Structure::default();
    for p in &batch {
        s.structure.analyse(&p.text, &p.norm, &s.segmenter, None, &mut st);
        assert!(st.dateline.is_some(), "no dateline: {}", p.text);
        assert!(
            st.sentences.len() >= p.types.len(),
            "{} sentences for {} templates",
            st.sentences.len(),
            p.types.len()
        );
    }
    g.bench_function("structure", |b| {
        b.iter(|| {
            for p in &batch {
                s.structure.analyse(&p.text, &p.norm, &s.segmenter, None, &mut st);
            }
        })
    });

    // Actors: the dictionaries find coded actors in most sentences.
    let date = PUBLISHED.parse().ok();
    let (mut scratch, mut mentions) = (Vec::new(), Vec::new());
    let coded: usize = batch
        .iter()
        .map(|p| {
            mentions.clear();
            s.actors.find(p.norm.as_str(), date, &mut scratch, &mut mentions);
            mentions.iter().filter(|m| m.code.is_some()).count()
        })
        .sum();
    let templates: usize = batch.iter().map(|p| p.types.len()).sum();
    assert!(coded >= templates, "{coded} coded mentions in {templates} sentences");
    g.bench_function("actors", |b| {
        b.iter(|| {
            for p in &batch {
                mentions.clear();
                s.actors.find(p.norm.as_str(), date, &mut scratch, &mut mentions);
            }
        })
    });

    // Names: the recogniser finds names the dictionaries do not know (the invented people).
    let mut names_scratch = NameScratch::default();
    let mut names = Vec::new();
    let found: usize = batch
        .iter()
        .map(|p| {
            names.clear();
            let body = p.sentences.iter();
            s.names.find_article(p.norm.as_str(), body, &p.tokens, &p.mentions, &mut names_scratch, &mut names);
            names.len()
        })
        .sum();
    assert!(found > 0, "no names found");
    g.bench_function("ner", |b| {
        b.iter(|| {
            for p in &batch {
                names.clear();
                let body = p.sentences.iter();
                s.names.find_article(p.norm.as_str(), body, &p.tokens, &p.mentions, &mut names_scratch, &mut names);
            }
        })
    });

    // Events: most sentences written to report an attack are coded as ASSAULT.
    let (mut slots, mut candidates) = (Vec::new(), Vec::new());
    let assaults: usize = batch
        .iter()
        .map(|p| {
            detect(&s, p, &mut slots, &mut candidates);
            candidates.iter().filter(|c| c.coded && c.plover == "ASSAULT").count()
        })
        .sum();
    let written = sentences_reporting(&batch, "ASSAULT");
    assert!(2 * assaults >= written, "{assaults} ASSAULT coded for {written} attack sentences");
    g.bench_function("events", |b| {
        b.iter(|| {
            for p in &batch {
                detect(&s, p, &mut slots, &mut candidates);
            }
        })
    });

    // Context: dates, counts, attribution and loaded terms of every sentence.
    let (mut dates, mut counts, mut loaded) = (Vec::new(), Vec::new(), Vec::new());
    let mut context = |p: &Prepared| {
        dates.clear();
        counts.clear();
        loaded.clear();
        s.dates.find(p.norm.as_str(), &mut dates);
        s.counts.find(p.norm.as_str(), &mut counts);
        let mut attributed = 0;
        for range in &p.sentences {
            s.attribution.loaded_terms(p.norm.as_str(), range.clone(), &mut loaded);
            let voice = s.attribution.voice(p.norm.as_str(), range.clone(), None, None);
            attributed += usize::from(!voice.chain.is_empty());
        }
        (dates.len(), counts.len(), attributed)
    };
    let (d, n, a) = batch.iter().map(&mut context).fold((0, 0, 0), |x, y| (x.0 + y.0, x.1 + y.1, x.2 + y.2));
    assert!(d > 0 && n > 0 && a > 0, "dates {d}, counts {n}, attributed sentences {a}");
    g.bench_function("context", |b| {
        b.iter(|| {
            for p in &batch {
                black_box(context(p));
            }
        })
    });

    // The whole document: every article yields sentences, entities and events, with offsets that hold.
    let ex = Extractor::bundled().expect("extractor");
    let mut scratch = Scratch::default();
    for p in &batch {
        let doc = ex.extract_with(&mut scratch, &input(p));
        assert!(!doc.sentences.is_empty() && !doc.entities.is_empty(), "empty analysis: {}", p.text);
        for e in &doc.entities {
            let text: String = p.text.chars().skip(e.start).take(e.end - e.start).collect();
            assert_eq!(text, e.text);
        }
    }
    let events: usize = batch.iter().map(|p| ex.extract_with(&mut scratch, &input(p)).events.len()).sum();
    assert!(events >= batch.len(), "{events} events in {} articles", batch.len());
    g.bench_function("document", |b| {
        b.iter_batched(
            || (),
            |()| {
                for p in &batch {
                    black_box(ex.extract_with(&mut scratch, &input(p)));
                }
            },
            BatchSize::PerIteration,
        )
    });
    g.finish();
}

criterion_group!(stage_benches, benches);
criterion_main!(stage_benches);
