//! Measures the event detector alone on the GSR dev sets, trains the filter, and cross-validates it.
//!
//! ```text
//! cargo run --release -p rasid-core --example events_eval -- [--dir DIR] [--train] [--cv K] [--explain ID]
//! ```
//! Without flags: scores every `*.jsonl` of DIR (default `../shared/data/gsr-dev`) with the bundled detector
//! (rules + committed filter) and with rules only. `--train` retrains `data/events/filter.tsv` on all detection
//! sets; `--cv K` reports rules-only vs rules+filter under K-fold cross-validation.

use rasid_core::eval::{read_gsr, score_records, Found, GsrRecord};
use rasid_core::events::train::{self, Labelled};
use rasid_core::events::{EventDetector, TrainConfig};
use rasid_text::normalize;
use std::path::PathBuf;

fn found(det: &EventDetector, r: &GsrRecord) -> Vec<Found> {
    let norm = normalize(&r.text);
    let mut c = Vec::new();
    det.detect(&norm, 0..norm.len(), &[], &mut c);
    c.iter().filter(|c| c.coded).map(|c| Found { plover: c.plover.to_string(), ..Found::default() }).collect()
}

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let mut dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/gsr-dev"));
    let (mut do_train, mut cv, mut explain, mut stats) = (false, 0usize, None, false);
    let mut cfg = TrainConfig::default();
    while let Some(a) = args.next() {
        match a.as_str() {
            "--dir" => dir = PathBuf::from(args.next().unwrap_or_default()),
            "--train" => do_train = true,
            "--cv" => cv = args.next().and_then(|k| k.parse().ok()).unwrap_or(5),
            "--explain" => explain = args.next(),
            "--stats" => stats = true,
            "--pw" => cfg.positive_weight = args.next().and_then(|k| k.parse().ok()).unwrap_or(cfg.positive_weight),
            "--l2" => cfg.l2 = args.next().and_then(|k| k.parse().ok()).unwrap_or(cfg.l2),
            "--epochs" => cfg.epochs = args.next().and_then(|k| k.parse().ok()).unwrap_or(cfg.epochs),
            "--min-count" => cfg.min_count = args.next().and_then(|k| k.parse().ok()).unwrap_or(cfg.min_count),
            "--threshold" => cfg.threshold = args.next().and_then(|k| k.parse().ok()).unwrap_or(cfg.threshold),
            other => anyhow::bail!("unknown argument `{other}`"),
        }
    }
    let bundled = EventDetector::bundled()?;
    let mut rules = bundled.clone();
    rules.set_filter(None);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
        .collect();
    files.sort();
    let mut detect_data = Vec::new();
    for f in &files {
        let recs = read_gsr(f)?;
        if let Some(id) = &explain {
            for r in recs.iter().filter(|r| &r.id == id) {
                let norm = normalize(&r.text);
                let mut c = Vec::new();
                bundled.detect(&norm, 0..norm.len(), &[], &mut c);
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
        println!("rules+filter {}", score_records(&recs, |r| found(&bundled, r)));
        println!("rules only   {}", score_records(&recs, |r| found(&rules, r)));
        for r in &recs {
            if let (Some(t), Some(l)) = (&r.event_type, &r.label) {
                detect_data.push(Labelled { text: r.text.clone(), plover: t.clone(), label: l.clone() });
            }
        }
    }
    if stats {
        // Per family and form kind: rule-coded candidates of the labelled type in yes / no sentences.
        let mut m: std::collections::BTreeMap<String, (usize, usize)> = Default::default();
        for s in &detect_data {
            let y = match s.label.as_str() {
                "yes" => true,
                "ambiguous" => continue,
                _ => false,
            };
            let norm = normalize(&s.text);
            let mut c = Vec::new();
            rules.detect(&norm, 0..norm.len(), &[], &mut c);
            let mut seen = std::collections::BTreeSet::new();
            for c in c.iter().filter(|c| c.plover == s.plover) {
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
    if cv > 0 {
        for (t, (r, f)) in train::cross_validate(&rules, &detect_data, cv, cfg) {
            println!(
                "cv{cv} {t}: rules only P {:.3} R {:.3} F1 {:.3} | rules+filter P {:.3} R {:.3} F1 {:.3}",
                r.precision(),
                r.recall(),
                r.f1(),
                f.precision(),
                f.recall(),
                f.f1()
            );
        }
    }
    if do_train {
        let model = train::train(&rules, &detect_data, cfg);
        let out = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/events/filter.tsv"));
        std::fs::write(&out, model.to_tsv())?;
        println!("wrote {} ({} weights)", out.display(), model.len());
    }
    Ok(())
}
