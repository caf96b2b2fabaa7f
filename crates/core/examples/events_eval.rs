//! Measures the event detector alone on the GSR dev sets, trains the filter, and cross-validates it.
//!
//! ```text
//! cargo run --release -p rasid-core --example events_eval -- [--dir DIR] [--cv K] [--train] [--sweep]
//!     [--span-repeat N] [--explain ID] [--stats] [--pw W] [--l2 X] [--epochs N] [--min-count N]
//!     [--members N] [--hard] [--vote-power K] [--vote-all] [--dump FILE] [--annotators]
//! ```
//! Without flags: scores every `*.jsonl` of DIR (default `../shared/data/gsr-dev`) with the bundled detector
//! (rules + committed filter, in-sample for the sentences it was trained on) and with rules only.
//! `--cv K` reports, per type, out-of-fold precision/recall/F1 on the detection sets and gold-type-found on the
//! span sets, at the committed thresholds and at thresholds chosen under CV (`train::choose_threshold`);
//! `--sweep` prints the same for every threshold; `--train` retrains `data/events/filter.tsv` on all sets with
//! CV-chosen thresholds. Exploration hooks: `RASID_DROP=bow=,cofam=` drops feature classes before CV;
//! `RASID_LOW=1` lists span-set sentences the out-of-fold filter scores below 0.1 (families only). Training
//! settings for CV: `--members` (averaged SGD runs), `--hard` (0 / 1 labels, no vote targets), `--vote-power K`
//! (target = accepting share^K), `--vote-all` (vote targets for every type); `--dump FILE` writes the prepared
//! sentences with their candidates' feature names as JSON lines (exploration only; never into the repository).
//! `--annotators`: how one annotator of the panel scores against the detection sets' labels (`yes` = every
//! annotator accepted), from the `accept` / `reject` votes: a bound of sorts for what the labels let a coder reach.

use rasid_core::actors::ActorStage;
use rasid_core::eval::{asserted_events, read_gsr, score_records, Found, GsrRecord};
use rasid_core::events::train::{self, Labelled};
use rasid_core::events::{EventDetector, TrainConfig};
use rasid_text::{normalize, NormalizedText};
use std::path::PathBuf;

fn found(det: &EventDetector, stage: &ActorStage, r: &GsrRecord) -> Vec<Found> {
    let nt = NormalizedText::new(&r.text);
    let norm = nt.as_str();
    let slots = train::actor_slots(stage, norm, r.published.as_deref());
    let mut c = Vec::new();
    det.detect(&nt, 0..norm.len(), &slots, &mut c);
    c.iter().filter(|c| c.coded).map(|c| Found { plover: c.plover.to_string(), ..Found::default() }).collect()
}

/// The expected detection score of one annotator drawn at random from each sentence's panel against the label the
/// panel gave (`yes` needs every vote; `ambiguous` is skipped, as `rasid eval` skips it): a sentence accepted by `a`
/// of `n` annotators counts `a / n` of a true positive when it is `yes`, of a false positive when it is a `no`.
fn annotator_scores(data: &[train::Labelled]) {
    let mut types: Vec<&str> = data.iter().filter(|l| !l.span).map(|l| l.plover.as_str()).collect();
    types.sort_unstable();
    types.dedup();
    for t in types {
        let (mut tp, mut fp, mut fn_) = (0.0f64, 0.0f64, 0.0f64);
        for l in data.iter().filter(|l| !l.span && l.plover == t && l.label != "ambiguous") {
            let Some((a, r)) = l.votes.filter(|(a, r)| a + r > 0) else { continue };
            let share = f64::from(a) / f64::from(a + r);
            if l.label == "yes" {
                tp += share;
                fn_ += 1.0 - share;
            } else {
                fp += share;
            }
        }
        let (p, r) = (tp / (tp + fp), tp / (tp + fn_));
        println!(
            "one annotator of the panel, detection {t}: P {p:.3} R {r:.3} F1 {:.3} (expected tp {tp:.1} fp {fp:.1} fn {fn_:.1})",
            2.0 * p * r / (p + r)
        );
    }
}

/// A score of [`found`]'s events, which carry types but no actors: a span set's line without its argument lines.
fn types_only(score: rasid_core::eval::FileScore) -> String {
    match score {
        rasid_core::eval::FileScore::Span(s) => {
            format!("span set: {} sentences, gold type found {}", s.sentences, s.type_found)
        }
        detect => detect.to_string(),
    }
}

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let mut dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/gsr-dev"));
    let (mut do_train, mut cv, mut explain, mut stats, mut sweep) = (false, 0usize, None, false, false);
    let (mut errors, mut annotators) = (false, false);
    let mut dump: Option<String> = None;
    let mut cfg = TrainConfig::default();
    while let Some(a) = args.next() {
        let mut num = |d: f32| args.next().and_then(|k| k.parse::<f32>().ok()).unwrap_or(d);
        match a.as_str() {
            "--dir" => dir = PathBuf::from(args.next().unwrap_or_default()),
            "--train" => do_train = true,
            "--cv" => cv = num(5.0) as usize,
            "--explain" => explain = args.next(),
            "--stats" => stats = true,
            "--sweep" => sweep = true,
            "--errors" => errors = true,
            "--annotators" => annotators = true,
            "--dump" => dump = args.next(),
            "--args" => {
                return dump_args(&dir);
            }
            "--text" => {
                return explain_text(&args.next().unwrap_or_default());
            }
            "--pipeline" => {
                return pipeline_scores(&dir);
            }
            "--pw" => cfg.positive_weight = num(cfg.positive_weight),
            "--l2" => cfg.l2 = num(cfg.l2),
            "--rate" => cfg.rate = num(cfg.rate),
            "--epochs" => cfg.epochs = num(cfg.epochs as f32) as usize,
            "--min-count" => cfg.min_count = num(cfg.min_count as f32) as usize,
            "--members" => cfg.members = num(cfg.members as f32) as usize,
            "--hard" => cfg.vote_power = None,
            "--vote-power" => cfg.vote_power = Some(num(1.0)),
            "--vote-all" => cfg.vote_types = &[],
            other => anyhow::bail!("unknown argument `{other}`"),
        }
    }
    let stage = ActorStage::bundled();
    let bundled = EventDetector::bundled()?;
    let mut rules = bundled.clone();
    rules.set_filter(None);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
        .collect();
    files.sort();
    let mut data = Vec::new();
    for f in &files {
        let recs = read_gsr(f)?;
        if let Some(id) = &explain {
            for r in recs.iter().filter(|r| &r.id == id) {
                let nt = NormalizedText::new(&r.text);
                let norm = nt.as_str();
                let slots = train::actor_slots(&stage, norm, r.published.as_deref());
                let mut c = Vec::new();
                bundled.detect(&nt, 0..norm.len(), &slots, &mut c);
                for c in &c {
                    println!(
                        "{} {} `{}` coded={} {:?} {}",
                        c.plover,
                        c.rule,
                        &norm[c.trigger.clone()],
                        c.coded,
                        c.modality,
                        c.reasons.join("; ")
                    );
                }
            }
            continue;
        }
        let name = f.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        println!("== {name}");
        println!("rules+filter (in-sample) {}", types_only(score_records(&recs, |r| found(&bundled, &stage, r))));
        println!("rules only               {}", types_only(score_records(&recs, |r| found(&rules, &stage, r))));
        train::read_labelled(f, &mut data)?;
    }
    if annotators {
        annotator_scores(&data);
        return Ok(());
    }
    let mut prepared = train::prepare(&rules, &stage, &data);
    // Exploration: RASID_DROP="bow=,w-2=" drops feature classes (matched after the `TYPE|` prefix).
    if let Ok(drop) = std::env::var("RASID_DROP") {
        let drop: Vec<&str> = drop.split(',').filter(|d| !d.is_empty()).collect();
        for p in &mut prepared {
            for f in &mut p.features {
                f.retain(|x| !drop.iter().any(|d| x.split_once('|').is_some_and(|(_, r)| r.starts_with(d))));
            }
        }
    }
    if let Some(path) = &dump {
        // Exploration: the prepared sentences with their candidates' feature names, one JSON object a line.
        let mut out = String::new();
        for p in &prepared {
            let v = serde_json::json!({
                "text": p.item.text, "norm": p.norm, "plover": p.item.plover, "label": p.item.label,
                "span": p.item.span, "fold": train::fold_of(&p.norm, 5), "features": p.features,
            });
            out.push_str(&v.to_string());
            out.push('\n');
        }
        std::fs::write(path, out)?;
    }
    if stats {
        // Per family and form kind: rule-coded candidates of the labelled type in yes / no detection sentences.
        let mut m: std::collections::BTreeMap<String, (usize, usize)> = Default::default();
        for p in prepared.iter().filter(|p| !p.item.span) {
            let y = match p.item.label.as_str() {
                "yes" => true,
                "ambiguous" => continue,
                _ => false,
            };
            let mut c = Vec::new();
            rules.detect(p.text(), 0..p.norm.len(), &p.slots, &mut c);
            let mut seen = std::collections::BTreeSet::new();
            for c in c.iter().filter(|c| c.plover == p.item.plover) {
                let key = format!(
                    "{} {}",
                    c.rule,
                    if c.coded { "coded" } else { c.reasons.last().map(String::as_str).unwrap_or("") }
                );
                if seen.insert(key.clone()) {
                    let e = m.entry(key).or_default();
                    if y {
                        e.0 += 1
                    } else {
                        e.1 += 1
                    }
                }
            }
        }
        for (k, (y, n)) in m {
            println!("{y:5} {n:5}  {k}");
        }
    }
    let line = |t: &str, th: f32, s: &train::TypeScore| format!("{t} @{th:.2}: {s}");
    let types: std::collections::BTreeSet<String> = data.iter().map(|d| d.plover.clone()).collect();
    if cv > 0 {
        let oof = train::out_of_fold(&prepared, cv, cfg);
        if std::env::var("RASID_LOW").is_ok() {
            for (o, p) in oof.iter().zip(&prepared).filter(|(o, _)| o.span && o.prob.is_some_and(|x| x < 0.1)) {
                let fams: Vec<&String> = p.features.iter().flatten().filter(|f| f.contains("|fam=")).collect();
                println!("low {} {:?} {:?}", o.plover, o.prob, fams);
            }
        }
        if errors {
            // Out-of-fold errors at the CV-chosen threshold, for reading (never to be pasted into the repo).
            for t in &types {
                let (f1, span) = train::targets(t);
                let th = train::choose_threshold(&oof, t, f1, span);
                for (o, p) in oof.iter().zip(&prepared).filter(|(o, _)| &o.plover == t) {
                    let coded = o.prob.is_some_and(|x| x >= th);
                    let kind = match (o.span, o.label.as_str(), coded) {
                        (true, _, false) => "SPAN-FN",
                        (false, "yes", false) => "FN",
                        (false, "easy no" | "difficult no", true) => "FP",
                        _ => continue,
                    };
                    let mut c = Vec::new();
                    rules.detect(p.text(), 0..p.norm.len(), &p.slots, &mut c);
                    let cands: Vec<String> = c
                        .iter()
                        .filter(|c| c.plover == t.as_str())
                        .map(|c| {
                            format!("{}`{}`{}", c.rule, &p.norm[c.trigger.clone()], if c.coded { "" } else { "(x)" })
                        })
                        .collect();
                    println!("{kind} {t} [{}] p={:?} {:?}\n    {}", o.label, o.prob, cands, p.item.text);
                }
            }
        }
        for t in &types {
            if sweep {
                for th in (5..=95).step_by(5).map(|x| x as f32 / 100.0) {
                    println!("  sweep {}", line(t, th, &train::score(&oof, t, th)));
                }
            }
            if let Some(f) = bundled.filter().filter(|f| f.covers(t)) {
                let th = f.threshold_for(t);
                println!("cv{cv} committed threshold {}", line(t, th, &train::score(&oof, t, th)));
            }
            let (f1, span) = train::targets(t);
            let th = train::choose_threshold(&oof, t, f1, span);
            println!("cv{cv} chosen {}", line(t, th, &train::score(&oof, t, th)));
            // Threshold choice held out too: each fold scored at the threshold chosen on the other folds.
            let mut d = rasid_core::eval::DetectScore::default();
            let mut sp = rasid_core::eval::Acc::default();
            for fold in 0..cv {
                let others: Vec<train::Oof> = oof.iter().filter(|o| o.fold != fold).cloned().collect();
                let th = train::choose_threshold(&others, t, f1, span);
                for o in oof.iter().filter(|o| o.fold == fold && &o.plover == t) {
                    let coded = o.prob.is_some_and(|p| p >= th);
                    if o.span {
                        sp.add(coded);
                    } else {
                        d.add(&o.label, coded);
                    }
                }
            }
            println!(
                "cv{cv} threshold also held out {t}: detection P {:.3} R {:.3} F1 {:.3} | span gold type found {sp}",
                d.precision(),
                d.recall(),
                d.f1()
            );
        }
    }
    if cv > 0 {
        pipeline_cv(&files, &data, &prepared, cv, cfg, &bundled)?;
    }
    if do_train {
        // The same training as `rasid events train` (one library function).
        let (model, _) = train::train_dir(&dir, cv.max(5))?;
        let out = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/events/filter.tsv"));
        std::fs::write(&out, model.to_tsv())?;
        println!("wrote {} ({} weights, thresholds {:?})", out.display(), model.len(), model.thresholds);
    }
    Ok(())
}

/// Diagnostic: the filter features of every rule-coded candidate of one sentence, heaviest weights first.
fn explain_text(text: &str) -> anyhow::Result<()> {
    let stage = ActorStage::bundled();
    let bundled = EventDetector::bundled()?;
    let Some(model) = bundled.filter() else { anyhow::bail!("no committed filter") };
    let nt = NormalizedText::new(text);
    let norm = nt.as_str();
    let slots = train::actor_slots(&stage, norm, None);
    let (mut c, mut feats) = (Vec::new(), Vec::new());
    bundled.detect_with_features(&nt, 0..norm.len(), &slots, &mut c, &mut feats);
    for (c, f) in c.iter().zip(feats) {
        let Some(f) = f else { continue };
        println!("{} `{}` p={:.3}", c.rule, &norm[c.trigger.clone()], model.probability(&f));
        let mut w: Vec<(f32, &String)> = f.iter().map(|x| (model.weight(x), x)).filter(|w| w.0 != 0.0).collect();
        w.sort_by(|a, b| b.0.abs().total_cmp(&a.0.abs()));
        for (w, x) in w.iter().take(25) {
            println!("  {w:+.3} {x}");
        }
    }
    Ok(())
}

/// Diagnostic: per span-set sentence, the gold codes and what the whole pipeline codes (entities and events).
fn dump_args(dir: &std::path::Path) -> anyhow::Result<()> {
    let ex = rasid_core::Extractor::bundled()?;
    let code = |a: &rasid_core::eval::GsrActor| {
        format!("{}/{}", a.country.as_deref().unwrap_or("-"), a.role.as_deref().unwrap_or("-"))
    };
    for name in ["assault.jsonl", "protest.jsonl"] {
        for r in read_gsr(&dir.join(name))? {
            let doc = ex.extract(&rasid_core::ArticleInput {
                id: &r.id,
                text: &r.text,
                published: r.published.as_deref(),
                ..Default::default()
            });
            println!("## {} {}", r.id, r.text);
            for g in r.events.iter().flatten() {
                println!("  gold {} src {} tgt {}", g.plover, code(&g.source), code(&g.target));
            }
            for e in &doc.entities {
                let a = e.actor.as_ref();
                println!(
                    "  ent `{}` {} {}/{}",
                    e.text,
                    e.kind,
                    a.and_then(|a| a.country.as_deref()).unwrap_or("-"),
                    a.and_then(|a| a.role.as_deref()).unwrap_or("-")
                );
            }
            for e in &doc.events {
                let p = |x: &Option<rasid_core::model::Participant>| match x {
                    Some(p) => format!(
                        "`{}` {}/{}",
                        p.text,
                        p.country.as_deref().unwrap_or("-"),
                        p.role.as_deref().unwrap_or("-")
                    ),
                    None => "none".into(),
                };
                println!(
                    "  ev {} `{}` {:?} neg={} src {} tgt {} [{}]",
                    e.kind,
                    e.trigger.text,
                    e.modality,
                    e.negated,
                    p(&e.source),
                    p(&e.target),
                    e.rule
                );
            }
        }
    }
    Ok(())
}

/// What `rasid eval` prints: the whole pipeline (rules + committed filter, in-sample) on every set.
fn pipeline_scores(dir: &std::path::Path) -> anyhow::Result<()> {
    let ex = rasid_core::Extractor::bundled()?;
    let mut scratch = rasid_core::Scratch::default();
    for name in ["assault.jsonl", "detect-assault.jsonl", "detect-protest.jsonl", "protest.jsonl"] {
        let recs = read_gsr(&dir.join(name))?;
        let sc = score_records(&recs, |r| asserted_events(&ex, &mut scratch, r));
        println!("{name}\n{sc}");
    }
    Ok(())
}

/// `rasid eval` out-of-fold: the whole pipeline scores every sentence with a filter trained without it (the
/// folds of `train::out_of_fold`, thresholds as committed), so the argument figures are honest too.
fn pipeline_cv(
    files: &[PathBuf],
    data: &[Labelled],
    prepared: &[train::Prepared],
    k: usize,
    cfg: TrainConfig,
    bundled: &EventDetector,
) -> anyhow::Result<()> {
    let mut ex = rasid_core::Extractor::bundled()?;
    let committed = bundled.filter().cloned();
    let models: Vec<rasid_core::events::Filter> = (0..k)
        .map(|fold| {
            let set: Vec<&train::Prepared> = prepared.iter().filter(|p| train::fold_of(&p.norm, k) != fold).collect();
            let mut m = train::train(&set, cfg);
            if let Some(c) = &committed {
                m.threshold = c.threshold;
                m.thresholds = c.thresholds.clone();
            }
            m
        })
        .collect();
    let mut scratch = rasid_core::Scratch::default();
    println!("== whole pipeline, {k}-fold out-of-fold (what `rasid eval` measures, without in-sample sentences)");
    for f in files {
        let recs = read_gsr(f)?;
        // The fold of each record: that of its text (`train::fold_of`), as in training.
        let fold_of: Vec<usize> = recs.iter().map(|r| train::fold_of(&normalize(&r.text), k)).collect();
        let mut found: Vec<Vec<Found>> = vec![Vec::new(); recs.len()];
        for (fold, model) in models.iter().enumerate() {
            ex.set_event_filter(Some(model.clone()));
            for (i, r) in recs.iter().enumerate().filter(|(i, _)| fold_of[*i] == fold) {
                found[i] = asserted_events(&ex, &mut scratch, r);
            }
        }
        let by_id: std::collections::HashMap<&str, usize> =
            recs.iter().enumerate().map(|(i, r)| (r.id.as_str(), i)).collect();
        let sc = score_records(&recs, |r| by_id.get(r.id.as_str()).map(|&i| found[i].clone()).unwrap_or_default());
        let name = f.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        println!("{name} (out-of-fold)\n{sc}");
        // The same pipeline without the filter: argument figures independent of the filter's choices.
        ex.set_event_filter(None);
        let rules = score_records(&recs, |r| asserted_events(&ex, &mut scratch, r));
        if matches!(rules, rasid_core::eval::FileScore::Span(_)) {
            println!("{name} (rules only, no filter)\n{rules}");
        }
    }
    let _ = data;
    Ok(())
}
