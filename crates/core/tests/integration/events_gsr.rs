//! Quality gate on the GSR dev split (`../shared/data/gsr-dev`): skipped when the shared data is absent.
//!
//! Every filtered figure here is out-of-fold: 5-fold cross-validation with folds grouped by sentence text (a
//! span-set sentence and its detection-set twin share a fold), the model trained exactly as
//! `rasid events train` trains the committed one. Asserted: span-set "gold type found" by the rules ≥ 0.90 (issue
//! target); the committed `filter.tsv` is what training reproduces byte for byte, with the thresholds the CV
//! chooses; the filter beats rules only; detection F1 and span gold-type-found stay above floors a little below
//! the figures measured at commit time (data/events/README.md). The issue targets themselves (detection F1 ≥
//! 0.70 / 0.60, span ≥ 0.90 out-of-fold) are `issue_targets_out_of_fold`, ignored while they are not met.

use rasid_core::eval::{asserted_events, read_gsr, score_records, FileScore, Found};
use rasid_core::events::train;
use rasid_core::events::{EventDetector, TrainConfig};
use std::path::{Path, PathBuf};

fn dir() -> Option<PathBuf> {
    let d = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/gsr-dev");
    d.join("detect-assault.jsonl").exists().then_some(d)
}

fn rules() -> EventDetector {
    let mut d = EventDetector::bundled().unwrap();
    d.set_filter(None);
    d
}

#[test]
fn span_sets_type_found_by_rules() {
    let Some(dir) = dir() else {
        return eprintln!("gsr-dev not found: skipped");
    };
    let d = rules();
    for f in ["assault.jsonl", "protest.jsonl"] {
        let recs = read_gsr(&dir.join(f)).unwrap();
        let sc = score_records(&recs, |r| {
            let n = rasid_text::NormalizedText::new(&r.text);
            let mut c = Vec::new();
            d.detect(&n, 0..n.as_str().len(), &[], &mut c);
            c.iter().filter(|c| c.coded).map(|c| Found { plover: c.plover.into(), ..Found::default() }).collect()
        });
        let FileScore::Span(s) = sc else { panic!("{f} is not a span set") };
        assert!(s.type_found.rate() >= 0.90, "{f}: gold type found {}", s.type_found);
    }
}

fn files(dir: &Path) -> Vec<PathBuf> {
    ["assault.jsonl", "detect-assault.jsonl", "detect-protest.jsonl", "protest.jsonl"].map(|f| dir.join(f)).to_vec()
}

#[test]
fn committed_filter_is_reproduced_and_holds_out_of_fold() {
    let Some(dir) = dir() else {
        return eprintln!("gsr-dev not found: skipped");
    };
    let prepared = train::prepare_files(&files(&dir)).unwrap();
    let (model, oof) = train::train_committed(&prepared, 5, TrainConfig::default());
    let committed = include_str!("../../../../data/events/filter.tsv");
    assert!(
        model.to_tsv() == committed,
        "data/events/filter.tsv is stale: retrain with `rasid events train --gsr ../shared/data/gsr-dev --out data/events/filter.tsv`"
    );
    // Floors a little below the out-of-fold figures measured when the model was committed (README.md).
    for (t, f1_floor, span_floor) in [("ASSAULT", 0.61, 0.79), ("PROTEST", 0.39, 0.59)] {
        let th = model.threshold_for(t);
        let s = train::score(&oof, t, th);
        eprintln!("{t} @{th}: {s}");
        assert!(s.filtered.f1() > s.rules.f1(), "{t}: filter does not help");
        assert!(s.filtered.f1() >= f1_floor, "{t}: CV F1 {:.3} below floor {f1_floor}", s.filtered.f1());
        let span = s.span_filtered.rate();
        assert!(span >= span_floor, "{t}: CV span gold type found {span:.3} below floor {span_floor}");
    }
}

/// The issue's targets, out-of-fold: not met yet (README.md, "Targets not met"); run with `--ignored`.
#[test]
#[ignore = "issue 4 targets are not met out-of-fold yet"]
fn issue_targets_out_of_fold() {
    let Some(dir) = dir() else {
        return eprintln!("gsr-dev not found: skipped");
    };
    let prepared = train::prepare_files(&files(&dir)).unwrap();
    let oof = train::out_of_fold(&prepared, 5, TrainConfig::default());
    let model = EventDetector::bundled().unwrap().filter().cloned().expect("a committed filter");
    for t in ["ASSAULT", "PROTEST"] {
        let (f1_target, span_target) = train::targets(t);
        let s = train::score(&oof, t, model.threshold_for(t));
        assert!(s.filtered.f1() >= f1_target, "{t}: CV F1 {:.3} < {f1_target}", s.filtered.f1());
        assert!(s.span_filtered.rate() >= span_target, "{t}: CV span {} < {span_target}", s.span_filtered);
    }
}

/// What `rasid eval` measures on the span sets (whole pipeline, committed model): the issue's argument targets,
/// source and target exact ≥ 0.50 over gold actors that carry a code (data/events/README.md).
#[test]
fn span_sets_arguments_through_the_pipeline() {
    let Some(dir) = dir() else {
        return eprintln!("gsr-dev not found: skipped");
    };
    let ex = rasid_core::Extractor::bundled().unwrap();
    let mut scratch = rasid_core::Scratch::default();
    for (f, src_floor, tgt_floor) in [("assault.jsonl", 0.50, 0.50), ("protest.jsonl", 0.50, 0.50)] {
        let recs = read_gsr(&dir.join(f)).unwrap();
        let sc = score_records(&recs, |r| asserted_events(&ex, &mut scratch, r));
        let FileScore::Span(s) = sc else { panic!("{f} is not a span set") };
        eprintln!("{f}: source coded exact {}, target coded exact {}", s.source.coded_exact, s.target.coded_exact);
        assert!(s.source.coded_exact.rate() >= src_floor, "{f}: source exact {}", s.source.coded_exact);
        assert!(s.target.coded_exact.rate() >= tgt_floor, "{f}: target exact {}", s.target.coded_exact);
    }
}
