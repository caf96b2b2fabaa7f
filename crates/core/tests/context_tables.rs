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
            && c.end.as_ref().is_none_or(|s| got.3.as_ref() == Some(s));
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
        if Some(e.value) != c.value || e.approx != c.approx || e.category != want_cat {
            failures.push(format!(
                "{} `{}`: want {:?} approx={} {:?}, got {} approx={} {:?}",
                c.from, c.text, c.value, c.approx, want_cat, e.value, e.approx, e.category
            ));
        }
    }
    let total = file.case.len();
    println!("counts: {} of {total} cases passed ({pos} positive, {neg} negative)", total - failures.len());
    assert!(failures.is_empty(), "{} count failures:\n{}", failures.len(), failures.join("\n"));
    assert!(pos >= 60, "at least 60 count expressions, have {pos}");
}
