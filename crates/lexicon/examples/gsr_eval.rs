//! Scores the recogniser on the hand-coded actor phrases of `gsr-dev` (source_text/target_text → country, role):
//! `cargo run -p rasid-lexicon --example gsr_eval -- ../shared/data/gsr-dev/assault.jsonl ../shared/data/gsr-dev/protest.jsonl`.
//! A phrase's code: the first role of a match that is not a nationality (else any role), plus the first country.

use rasid_lexicon::{ActorMatcher, Ymd};
use rasid_text::normalize;

fn main() {
    let m = ActorMatcher::bundled();
    let verbose = std::env::var("VERBOSE").is_ok();
    let (mut n, mut exact, mut role_ok, mut country_ok, mut found) = (0, 0, 0, 0, 0);
    for path in std::env::args().skip(1) {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        for line in text.lines() {
            let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else {
                continue;
            };
            let date = v["published"].as_str().and_then(|d| d.parse::<Ymd>().ok());
            for ev in v["events"].as_array().into_iter().flatten() {
                for side in ["source", "target"] {
                    let Some(phrase) = ev[format!("{side}_text")].as_str() else {
                        continue;
                    };
                    let gold_c = ev[side]["country"].as_str();
                    let gold_r = ev[side]["role"].as_str();
                    if gold_c.is_none() && gold_r.is_none() {
                        continue;
                    }
                    n += 1;
                    let norm = normalize(phrase);
                    let mut ms = Vec::new();
                    m.find(&norm, date, &mut ms);
                    if !ms.is_empty() {
                        found += 1;
                    }
                    // Gold phrases are often in scrambled word order: prefer a role that is not a nationality's.
                    let role = ms
                        .iter()
                        .filter(|x| x.kind != rasid_lexicon::MatchKind::Nationality)
                        .find_map(|x| x.role)
                        .or_else(|| ms.iter().find_map(|x| x.role))
                        .map(|r| r.to_string());
                    let country = ms.iter().find_map(|x| x.country).map(|c| c.to_string());
                    let r_ok = role.as_deref() == gold_r;
                    let c_ok = country.as_deref() == gold_c;
                    role_ok += usize::from(r_ok);
                    country_ok += usize::from(c_ok);
                    exact += usize::from(r_ok && c_ok);
                    if verbose && !(r_ok && c_ok) {
                        println!("{phrase}\tgold {gold_c:?} {gold_r:?}\tgot {country:?} {role:?}");
                    }
                }
            }
        }
    }
    let pct = |k: usize| 100.0 * k as f64 / n.max(1) as f64;
    println!(
        "{n} coded phrases: something matched {:.1}%, country right {:.1}%, role right {:.1}%, both right {:.1}%",
        pct(found),
        pct(country_ok),
        pct(role_ok),
        pct(exact)
    );
}
