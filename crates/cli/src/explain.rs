//! `rasid explain`: every candidate trigger of a sentence, and why it was or was not coded.

use anyhow::Result;
use clap::Args;
use rasid_core::actors::ActorStage;
use rasid_core::events::{ActorSlot, EventDetector};
use std::process::ExitCode;

#[derive(Args, Debug)]
pub struct ExplainArgs {
    /// The sentence, in Arabic.
    sentence: String,
    /// Publication day (YYYY-MM-DD) for dated actor roles.
    #[arg(long)]
    published: Option<String>,
}

pub fn run(args: ExplainArgs) -> Result<ExitCode> {
    let detector = EventDetector::bundled()?;
    let normalised = rasid_text::NormalizedText::new(&args.sentence);
    let norm = normalised.as_str();
    let date = args.published.as_deref().map(str::parse::<rasid_lexicon::Ymd>).transpose()?;
    let (mut matches, mut mentions) = (Vec::new(), Vec::new());
    ActorStage::bundled().find(norm, date, &mut matches, &mut mentions);
    let actors: Vec<&rasid_core::actors::Mention> =
        mentions.iter().filter(|m| ActorSlot::of_mention(m, 0).is_some()).collect();
    let slots: Vec<ActorSlot> =
        actors.iter().enumerate().filter_map(|(i, m)| ActorSlot::of_mention(m, i as u32)).collect();
    outln!("normalised: {norm}")?;
    for (i, m) in actors.iter().enumerate() {
        let code = m.code.as_ref().map_or("-".to_string(), |c| {
            let (country, role) = rasid_lexicon::reported_slots(c.country, c.role);
            format!("{}/{}", country.as_deref().unwrap_or("-"), role.as_deref().unwrap_or("-"))
        });
        outln!("actor {i}: {} {code}", &norm[m.norm.clone()])?;
    }
    let mut candidates = Vec::new();
    // The sentence is read as a one-sentence article, as `rasid extract` reads one: with its domain.
    let domains = detector.article_domains(norm, std::iter::once(0..norm.len()));
    if let Some(d) = detector.domain_names(domains).next() {
        outln!("article domain: {d}")?;
    }
    let text = rasid_core::events::Normalised {
        domains: rasid_core::events::ArticleDomains::Known(domains),
        ..rasid_core::events::Normalised::from(&normalised)
    };
    detector.detect(text, 0..norm.len(), &slots, &mut candidates);
    if candidates.is_empty() {
        outln!("no trigger word of the event lexicon occurs in this sentence")?;
    }
    for c in &candidates {
        let verdict = if c.coded { "CODED" } else { "not coded" };
        let who = |s: Option<usize>| s.map_or("-".to_string(), |i| norm[slots[i].norm.clone()].to_string());
        outln!(
            "\n{verdict}: {} (CAMEO {}) trigger `{}` rule {}\n  source {}  target {}  negated={} modality={:?}{}",
            c.plover,
            c.cameo.unwrap_or("-"),
            &norm[c.trigger.clone()],
            c.rule,
            who(c.source),
            who(c.target),
            c.negated,
            c.modality,
            c.score.map_or(String::new(), |p| format!(" filter p={p:.2}")),
        )?;
        for r in &c.reasons {
            outln!("  - {r}")?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
