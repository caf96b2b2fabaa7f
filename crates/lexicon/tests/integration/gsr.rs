//! The hand-coded actor phrases of `../shared/data/gsr-dev` resolve to their gold country and role often enough
//! (a floor below the measured 63.7% both-right, so regressions show).

use rasid_lexicon::{ActorMatcher, MatchKind, Ymd};
use rasid_text::normalize;

#[test]
fn gsr_dev_phrases() {
    let m = ActorMatcher::bundled();
    let (mut n, mut both) = (0usize, 0usize);
    for f in ["assault.jsonl", "protest.jsonl"] {
        let path = format!("{}/../../../shared/data/gsr-dev/{f}", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        for line in text.lines() {
            let v: serde_json::Value = serde_json::from_str(line).expect("gsr-dev line is JSON");
            let date = v["published"].as_str().and_then(|d| d.parse::<Ymd>().ok());
            for ev in v["events"].as_array().into_iter().flatten() {
                for side in ["source", "target"] {
                    let Some(phrase) = ev[format!("{side}_text")].as_str() else {
                        continue;
                    };
                    let (gc, gr) = (ev[side]["country"].as_str(), ev[side]["role"].as_str());
                    if gc.is_none() && gr.is_none() {
                        continue;
                    }
                    n += 1;
                    let mut ms = Vec::new();
                    m.find(&normalize(phrase), date, &mut ms);
                    let role = ms
                        .iter()
                        .filter(|x| x.kind != MatchKind::Nationality)
                        .find_map(|x| x.role)
                        .or_else(|| ms.iter().find_map(|x| x.role))
                        .map(|r| r.to_string());
                    let country = ms.iter().find_map(|x| x.country).map(|c| c.to_string());
                    both += usize::from(role.as_deref() == gr && country.as_deref() == gc);
                }
            }
        }
    }
    let rate = both as f64 / n as f64;
    assert!(n > 150, "only {n} phrases");
    assert!(rate >= 0.60, "both right {both}/{n} = {rate:.3}");
}
