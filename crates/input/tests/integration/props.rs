//! Property tests: no input makes a reader panic, and every article it returns honours the contract.

use proptest::prelude::*;
use rasid_input::{read_str, Format, ReadOptions};

fn check(data: &[u8], format: Format, limit: usize) -> Result<(), TestCaseError> {
    let opts = ReadOptions { max_article_bytes: limit, ..ReadOptions::default() };
    let items = read_str("p.in", data, format, &opts);
    prop_assert!(!items.is_empty(), "every input yields at least one article or error");
    let lines = data.split(|&b| b == b'\n').count();
    for item in items {
        match item {
            Ok(a) => {
                prop_assert!(!a.text.trim().is_empty());
                prop_assert!(a.text.len() <= limit);
                if let Some(p) = &a.published {
                    prop_assert!(rasid_input::date::parse_ymd(p).is_some(), "published {p}");
                }
                match format {
                    Format::Text => prop_assert_eq!(a.text.as_bytes(), data),
                    Format::Jsonl => {
                        prop_assert!(a.origin.line.is_some_and(|l| l >= 1 && l <= lines))
                    }
                    Format::Html => {
                        prop_assert!(!a.text.contains("\n\n") && a.text.trim() == a.text)
                    }
                }
            }
            Err(e) => {
                let msg = e.to_string();
                prop_assert!(msg.starts_with("p.in"), "{msg}");
                prop_assert!(!msg.ends_with('.'), "{msg}");
            }
        }
    }
    Ok(())
}

/// Bytes biased towards the characters each format cares about.
fn soup(alphabet: &'static [&'static str]) -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(
        prop_oneof![
            3 => prop::sample::select(alphabet).prop_map(|s| s.as_bytes().to_vec()),
            1 => prop::collection::vec(any::<u8>(), 0..4),
        ],
        0..60,
    )
    .prop_map(|parts| parts.concat())
}

const JSON_BITS: &[&str] = &[
    "{",
    "}",
    "\"text\":",
    "\"id\":",
    "\"published\":",
    "\"title\":",
    "\"2018-02-18\"",
    "\"2018-02-18T01:02\"",
    "\"نص\"",
    "\"\"",
    "\" \"",
    ",",
    ":",
    "\n",
    "\r\n",
    " ",
    "null",
    "5",
    "[",
    "]",
    "\\u0627",
    "\\n",
    "\\",
    "\"",
    "\u{feff}",
];

const HTML_BITS: &[&str] = &[
    "<p>",
    "</p>",
    "<div>",
    "</div>",
    "<br>",
    "<article>",
    "</article>",
    "<main>",
    "<script>",
    "</script>",
    "<nav>",
    "</nav>",
    "<title>",
    "</title>",
    "<meta property='og:title' content='ع'>",
    "<time datetime='2020-01-01'>",
    "<html lang='ar'>",
    "نص",
    " ",
    "\n",
    "&amp;",
    "&nbsp;",
    "<!--",
    "-->",
    "<",
    ">",
    "x",
    "<template>",
    "<svg>",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn text_never_panics(data in prop::collection::vec(any::<u8>(), 0..200), limit in 1usize..64) {
        check(&data, Format::Text, limit)?;
    }

    #[test]
    fn text_unicode(s in "\\PC{0,80}", limit in 1usize..400) {
        check(s.as_bytes(), Format::Text, limit)?;
    }

    #[test]
    fn html_never_panics(data in prop::collection::vec(any::<u8>(), 0..200), limit in 1usize..64) {
        check(&data, Format::Html, limit)?;
    }

    #[test]
    fn html_soup(data in soup(HTML_BITS), limit in 1usize..200) {
        check(&data, Format::Html, limit)?;
    }

    #[test]
    fn jsonl_never_panics(data in prop::collection::vec(any::<u8>(), 0..200), limit in 1usize..64) {
        check(&data, Format::Jsonl, limit)?;
    }

    #[test]
    fn jsonl_soup(data in soup(JSON_BITS), limit in 1usize..200) {
        check(&data, Format::Jsonl, limit)?;
    }

    /// Well-formed records always come back, with their text intact.
    #[test]
    fn jsonl_roundtrip(texts in prop::collection::vec("\\PC{1,30}", 1..8)) {
        let mut data = String::new();
        for t in &texts {
            data.push_str(&format!("{{\"text\":{}}}\n", serde_json::to_string(t).unwrap()));
        }
        let items = read_str("r.jsonl", data.as_bytes(), Format::Jsonl, &ReadOptions::default());
        let expected: Vec<&String> = texts.iter().filter(|t| !t.trim().is_empty()).collect();
        let got: Vec<String> = items.into_iter().filter_map(Result::ok).map(|a| a.text).collect();
        prop_assert_eq!(got.iter().collect::<Vec<_>>(), expected);
    }
}
