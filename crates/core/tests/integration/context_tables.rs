//! Table-driven tests for dates and counts: `testdata/dates.toml` and `testdata/counts.toml`, each case a short
//! phrase written from real phrasing in the ANT corpus or the GSR development sentences (`from` names the source).

use rasid_core::calendar::Ymd;
use rasid_core::counts::{CountCategory, CountFinder};
use rasid_core::dates::DateFinder;
use rasid_text::NormalizedText;
use serde::Deserialize;

#[derive(Deserialize)]
struct DateFile {
    case: Vec<DateCase>,
}

#[derive(Deserialize)]
struct DateCase {
    from: String,
    text: String,
    published: String,
    anchor: Option<String>,
    /// Expected value; absent (with `none = true`) when the phrase holds no date.
    value: Option<String>,
    precision: Option<String>,
    start: Option<String>,
    end: Option<String>,
    /// Expected `approx` flag of the resolved date (`قبل نحو أسبوع`); unchecked when absent.
    approx: Option<bool>,
    #[serde(default)]
    none: bool,
}

#[derive(Deserialize)]
struct CountFile {
    case: Vec<CountCase>,
}

#[derive(Deserialize)]
struct CountCase {
    from: String,
    text: String,
    value: Option<u64>,
    #[serde(default)]
    approx: bool,
    /// `killed`, `wounded`, `arrested`, `participants`, `events`, or `none` (a count of people, no category).
    category: Option<String>,
    /// `more_than`, `at_least`, `about`, `less_than`, `at_most`; unchecked when absent.
    qualifier: Option<String>,
    #[serde(default)]
    none: bool,
}

fn load<T: for<'de> Deserialize<'de>>(name: &str) -> T {
    let path = format!("{}/testdata/{name}", env!("CARGO_MANIFEST_DIR"));
    let src = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    toml::from_str(&src).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn date_table() {
    let file: DateFile = load("dates.toml");
    let finder = DateFinder::new();
    let mut failures = Vec::new();
    let (mut pos, mut neg) = (0, 0);
    for c in &file.case {
        let norm = NormalizedText::new(&c.text);
        let mut found = Vec::new();
        finder.find(norm.as_str(), &mut found);
        for e in &found {
            let span = norm.to_original(e.norm.clone());
            assert!(c.text.get(span.range()).is_some_and(|s| !s.is_empty()), "{}: bad span {span:?}", c.from);
        }
        let published = Ymd::parse(&c.published).unwrap_or_else(|| panic!("{}: bad published", c.from));
        let anchor = c.anchor.as_deref().map(|a| Ymd::parse(a).unwrap_or_else(|| panic!("{}: bad anchor", c.from)));
        if c.none {
            neg += 1;
            let resolved: Vec<_> = found.iter().filter_map(|e| e.resolve(published, anchor)).collect();
            if !resolved.is_empty() {
                failures.push(format!("{} `{}`: expected no date, got {resolved:?} from {found:?}", c.from, c.text));
            }
            continue;
        }
        pos += 1;
        let [e] = found.as_slice() else {
            failures.push(format!("{} `{}`: expected one expression, found {found:?}", c.from, c.text));
            continue;
        };
        let Some(r) = e.resolve(published, anchor) else {
            failures.push(format!("{} `{}`: {e:?} did not resolve", c.from, c.text));
            continue;
        };
        let got = (
            r.value.clone(),
            r.precision.as_str().to_string(),
            r.start.map(|d| d.to_string()),
            r.end.map(|d| d.to_string()),
        );
        let want_value = c.value.clone().unwrap_or_default();
        let want_prec = c.precision.clone().unwrap_or_default();
        let ok = got.0 == want_value
            && got.1 == want_prec
            && c.start.as_ref().is_none_or(|s| got.2.as_ref() == Some(s))
            && c.end.as_ref().is_none_or(|s| got.3.as_ref() == Some(s))
            && c.approx.is_none_or(|a| a == r.approx);
        if !ok {
            failures.push(format!(
                "{} `{}`: want {want_value} {want_prec} {:?}..{:?}, got {got:?} ({:?})",
                c.from, c.text, c.start, c.end, e.kind
            ));
        }
    }
    let total = file.case.len();
    println!("dates: {} of {total} cases passed ({pos} positive, {neg} negative)", total - failures.len());
    assert!(failures.is_empty(), "{} date failures:\n{}", failures.len(), failures.join("\n"));
    assert!(pos >= 150, "at least 150 date expressions, have {pos}");
}

#[test]
fn count_table() {
    let file: CountFile = load("counts.toml");
    let finder = CountFinder::new();
    let mut failures = Vec::new();
    let (mut pos, mut neg) = (0, 0);
    for c in &file.case {
        let norm = NormalizedText::new(&c.text);
        let mut found = Vec::new();
        finder.find(norm.as_str(), &mut found);
        for e in &found {
            let span = norm.to_original(e.norm.clone());
            assert!(c.text.get(span.range()).is_some_and(|s| !s.is_empty()), "{}: bad span {span:?}", c.from);
        }
        if c.none {
            neg += 1;
            if !found.is_empty() {
                failures.push(format!("{} `{}`: expected no count, got {found:?}", c.from, c.text));
            }
            continue;
        }
        pos += 1;
        let [e] = found.as_slice() else {
            failures.push(format!("{} `{}`: expected one count, found {found:?}", c.from, c.text));
            continue;
        };
        let want_cat = match c.category.as_deref() {
            None | Some("none") => None,
            Some(s) => Some(CountCategory::parse(s).unwrap_or_else(|| panic!("{}: bad category `{s}`", c.from))),
        };
        let qualifier_ok = c.qualifier.as_deref().is_none_or(|q| e.qualifier.map(|x| x.as_str()) == Some(q));
        if Some(e.value) != c.value || e.approx != c.approx || e.category != want_cat || !qualifier_ok {
            failures.push(format!(
                "{} `{}`: want {:?} approx={} {:?} {:?}, got {} approx={} {:?} {:?}",
                c.from, c.text, c.value, c.approx, want_cat, c.qualifier, e.value, e.approx, e.category, e.qualifier
            ));
        }
    }
    let total = file.case.len();
    println!("counts: {} of {total} cases passed ({pos} positive, {neg} negative)", total - failures.len());
    assert!(failures.is_empty(), "{} count failures:\n{}", failures.len(), failures.join("\n"));
    assert!(pos >= 60, "at least 60 count expressions, have {pos}");
}

/// The seed article (read from `../shared` when present): the dates and counts `EXPECTED.md` asks for.
#[test]
fn seed_article() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/seed/qaani-baghdad.ar.txt");
    let Ok(text) = std::fs::read_to_string(path) else {
        eprintln!("seed article not found at {path}; skipped");
        return;
    };
    let published = Ymd::parse("2024-02-18").expect("date");
    let visit = Ymd::parse("2024-01-29");
    let dates = DateFinder::new();
    let counts = CountFinder::new();
    let mut seen = Vec::new();
    let mut found_counts = Vec::new();
    for line in text.lines() {
        let norm = NormalizedText::new(line);
        let mut ds = Vec::new();
        dates.find(norm.as_str(), &mut ds);
        for d in &ds {
            let span = norm.to_original(d.norm.clone());
            let r = d.resolve(published, visit);
            seen.push((line[span.range()].to_string(), r.map(|r| (r.value, r.precision.as_str(), r.start, r.end))));
        }
        let mut cs = Vec::new();
        counts.find(norm.as_str(), &mut cs);
        for c in cs {
            let span = norm.to_original(c.norm.clone());
            found_counts.push((line[span.range()].to_string(), c.value, c.approx, c.category));
        }
    }
    let get = |t: &str| seen.iter().find(|(s, _)| s.contains(t)).and_then(|(_, r)| r.clone());
    assert_eq!(get("29 يناير").map(|r| r.0), Some("2024-01-29".into()), "{seen:?}");
    assert_eq!(get("قبل أربع سنوات").map(|r| r.0), Some("2020".into()));
    assert_eq!(get("اليوم التالي").map(|r| r.0), Some("2024-01-30".into()));
    let since = get("منذ الرابع من فبراير").expect("since");
    assert_eq!((since.1, since.2.map(|d| d.to_string())), ("range", Some("2024-02-04".into())));
    let before = get("الأسبوعين السابقين").expect("two weeks before the visit");
    assert_eq!(
        (before.2.map(|d| d.to_string()), before.3.map(|d| d.to_string())),
        (Some("2024-01-15".into()), Some("2024-01-29".into()))
    );
    assert!(found_counts.iter().any(|c| c.1 == 3 && !c.2 && c.3 == Some(CountCategory::Killed)), "{found_counts:?}");
    assert!(found_counts.iter().any(|c| c.1 == 20 && c.2 && c.3 == Some(CountCategory::Events)), "{found_counts:?}");
    assert!(!found_counts.iter().any(|c| c.1 == 10), "10 sources is not a count: {found_counts:?}");
}

mod never_panics {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn on_arbitrary_text(s in "[ ٠-٩0-9/().،\\-ابتثجحخدذرسشصضطظعغفقكلمنهويةىأإآءًٌٍَُِّـ]{0,60}") {
            let norm = NormalizedText::new(&s);
            let mut d = Vec::new();
            DateFinder::new().find(norm.as_str(), &mut d);
            for e in &d {
                let span = norm.to_original(e.norm.clone());
                prop_assert!(s.get(span.range()).is_some());
                let _ = e.resolve(Ymd::parse("2018-03-01").expect("date"), None);
            }
            let mut c = Vec::new();
            CountFinder::new().find(norm.as_str(), &mut c);
            for e in &c {
                prop_assert!(s.get(norm.to_original(e.norm.clone()).range()).is_some());
            }
        }
    }
}

/// Throughput over the ANT corpus (release build): `cargo test -p rasid-core --release --test integration context_tables::
/// -- --ignored --nocapture throughput`.
#[test]
#[ignore]
fn throughput() {
    use std::io::Read;
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus/ant-2018.jsonl.gz");
    if !std::path::Path::new(path).exists() {
        return;
    }
    let mut gz = String::new();
    // The corpus is gzip: decompress with the system tool to keep dependencies out.
    let mut child = std::process::Command::new("gzip")
        .args(["-dc", path])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("gzip");
    child.stdout.take().expect("stdout").read_to_string(&mut gz).expect("read");
    let _ = child.wait();
    let texts: Vec<String> = gz
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v.get("text").and_then(|t| t.as_str()).map(str::to_string))
        .collect();
    let dates = DateFinder::new();
    let counts = CountFinder::new();
    let norms: Vec<NormalizedText> = texts.iter().map(|t| NormalizedText::new(t)).collect();
    let total: usize = texts.iter().map(String::len).sum();
    let (mut nd, mut nc) = (0, 0);
    let start = std::time::Instant::now();
    let mut d = Vec::new();
    let mut c = Vec::new();
    for n in &norms {
        d.clear();
        c.clear();
        dates.find(n.as_str(), &mut d);
        counts.find(n.as_str(), &mut c);
        nd += d.len();
        nc += c.len();
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{} articles, {:.1} MB: {nd} dates, {nc} counts in {secs:.2} s = {:.1} MB/s (dates + counts, one core)",
        texts.len(),
        total as f64 / 1e6,
        total as f64 / 1e6 / secs
    );
}

/// Prints what the finders see in a slice of the ANT corpus, for review by eye:
/// `cargo test -p rasid-core --test integration context_tables:: -- --ignored --nocapture sample_dump`.
#[test]
#[ignore]
fn sample_dump() {
    use std::io::Read;
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus/ant-2018.jsonl.gz");
    let skip: usize = std::env::var("RASID_DUMP_SKIP").ok().and_then(|s| s.parse().ok()).unwrap_or(0);
    let Ok(mut child) =
        std::process::Command::new("gzip").args(["-dc", path]).stdout(std::process::Stdio::piped()).spawn()
    else {
        return;
    };
    let mut gz = String::new();
    child.stdout.take().expect("stdout").read_to_string(&mut gz).expect("read");
    let _ = child.wait();
    let dates = DateFinder::new();
    let counts = CountFinder::new();
    for v in gz
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|v| v["category"] == "middleEast")
        .skip(skip)
        .take(25)
    {
        let (Some(text), Some(p)) = (v["text"].as_str(), v["published"].as_str()) else {
            continue;
        };
        let Some(published) = Ymd::parse(p) else {
            continue;
        };
        let norm = NormalizedText::new(text);
        let mut d = Vec::new();
        dates.find(norm.as_str(), &mut d);
        let mut c = Vec::new();
        counts.find(norm.as_str(), &mut c);
        println!("== {} {p}", v["id"]);
        for e in &d {
            let sp = norm.to_original(e.norm.clone());
            let r = e.resolve(published, None);
            println!("  D [{}] -> {:?}", &text[sp.range()], r.map(|r| (r.value, r.precision.as_str())));
        }
        for e in &c {
            let sp = norm.to_original(e.norm.clone());
            let ctx_end = text[sp.end..].char_indices().nth(20).map_or(text.len(), |(i, _)| sp.end + i);
            println!(
                "  C [{}]{} -> {} {} {:?}",
                &text[sp.range()],
                &text[sp.end..ctx_end].replace('\n', " "),
                e.value,
                e.approx,
                e.category
            );
        }
    }
}

/// The seed article through the whole pipeline: event dates, places and counts as `EXPECTED.md` reads them.
#[test]
fn seed_events_in_context() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/seed/qaani-baghdad.ar.txt");
    let Ok(text) = std::fs::read_to_string(path) else {
        eprintln!("seed article not found at {path}; skipped");
        return;
    };
    let ex = rasid_core::pipeline::Extractor::shared().expect("extractor");
    let doc = ex.extract(&rasid_core::pipeline::ArticleInput {
        id: "seed",
        text: &text,
        published: Some("2024-02-18"),
        ..Default::default()
    });
    let line_of = |e: &rasid_core::model::Event| {
        let start: usize = text.chars().take(e.trigger.start).map(char::len_utf8).sum();
        text[..start].matches('\n').count() + 1
    };
    let find = |line: usize, kind: &str, trigger: &str| {
        doc.events
            .iter()
            .find(|e| line_of(e) == line && e.kind == kind && e.trigger.text.contains(trigger))
            .unwrap_or_else(|| panic!("no {kind} `{trigger}` on line {line}: {:#?}", doc.events))
    };
    let span = |e: &rasid_core::model::Event| {
        let d = e.date.as_ref().unwrap_or_else(|| panic!("{e:?}: no date"));
        (d.start.clone().unwrap_or(d.value.clone()), d.end.clone().unwrap_or(d.value.clone()))
    };
    // Line 2: the visit is the meeting of line 3.
    let visit = find(2, "CONSULT", "زيارة");
    assert_eq!(visit.date.as_ref().map(|d| d.value.as_str()), Some("2024-01-29"));
    assert_eq!(find(3, "CONSULT", "التقى").date.as_ref().map(|d| d.value.as_str()), Some("2024-01-29"));
    // Line 3: the blame less than 48 hours before the meeting; the killing on or before it; Jordan is the
    // killing's place, not the blame's.
    let blame = find(3, "ACCUSE", "إلقاء");
    assert_eq!(span(blame), ("2024-01-27".into(), "2024-01-28".into()));
    assert!(blame.date.as_ref().is_some_and(|d| d.approx));
    assert_ne!(blame.place.as_ref().map(|p| p.name.as_str()), Some("الأردن"));
    let killing = find(3, "ASSAULT", "مقتل");
    assert!(span(killing).1.as_str() <= "2024-01-28", "{:?}", killing.date);
    // EXPECTED.md: Tower 22, JOR (`في موقع تاور 22 في الأردن`; the site name, placed by crates/core/src/names.rs).
    assert_eq!(killing.place.as_ref().map(|p| p.name.as_str()), Some("تاور 22"));
    assert_eq!(killing.place.as_ref().and_then(|p| p.country.as_deref()), Some("JOR"));
    // Line 10: the factions' answers to Qaani's request belong to the episode of the meeting (about 2024-01-29).
    for (kind, trigger) in [("REJECT", "توافق"), ("AGREE", "وافقت"), ("REQUEST", "طلب")] {
        let e = find(10, kind, trigger);
        let d = e.date.as_ref().unwrap_or_else(|| panic!("{kind}: no date"));
        assert_eq!((d.value.as_str(), d.approx), ("2024-01-29", true), "{kind}");
    }
    // Line 10: the suspension the next day, not in Iran.
    let suspend = find(10, "RETREAT", "تعلق");
    assert_eq!(suspend.date.as_ref().map(|d| d.value.as_str()), Some("2024-01-30"));
    assert_ne!(suspend.place.as_ref().map(|p| p.name.as_str()), Some("إيران"));
    // Line 11: more than 20 attacks in the two weeks before the visit.
    let attacks = find(11, "ASSAULT", "هجوما");
    assert_eq!(span(attacks), ("2024-01-15".into(), "2024-01-29".into()));
    let n = attacks.counts.as_ref().and_then(|c| c.events).expect("count");
    assert_eq!((n.value, n.qualifier), (20, Some(rasid_core::model::CountQualifier::MoreThan)));
    // No asserted attack on or after 4 February.
    for e in &doc.events {
        if e.kind == "ASSAULT" && !e.negated && e.modality == rasid_core::model::Modality::Asserted {
            assert!(e.date.as_ref().is_none_or(|d| d.end.as_deref().unwrap_or(&d.value) < "2024-02-04"), "{e:?}");
        }
    }
}
