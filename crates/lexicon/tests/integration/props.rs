//! No panics on arbitrary input; matches are ordered, disjoint, on char boundaries and map back to the original.

use proptest::prelude::*;
use rasid_lexicon::{ActorMatcher, Ymd};
use rasid_text::NormalizedText;

fn arabicish() -> impl Strategy<Value = String> {
    // Mostly Arabic letters, spaces, clitic letters and punctuation, plus anything at all.
    prop_oneof![
        proptest::collection::vec(
            prop_oneof![
                Just('ا'),
                Just('ل'),
                Just('و'),
                Just('ب'),
                Just('ع'),
                Just('ر'),
                Just('ق'),
                Just('ي'),
                Just('ة'),
                Just('أ'),
                Just(' '),
                Just('،'),
                Just('ـ'),
                Just('\u{064E}'),
                Just('\u{200F}'),
                any::<char>()
            ],
            0..80
        )
        .prop_map(|v| v.into_iter().collect()),
        ".*",
    ]
}

fn check(m: &ActorMatcher<'_>, s: &str, date: Option<Ymd>) {
    let n = NormalizedText::new(s);
    let norm = n.as_str();
    let mut out = Vec::new();
    m.find(norm, date, &mut out);
    let mut last = 0;
    for x in &out {
        assert!(x.norm.start >= last && x.norm.start < x.norm.end && x.norm.end <= norm.len());
        assert!(norm.is_char_boundary(x.norm.start) && norm.is_char_boundary(x.norm.end));
        assert!(x.norm.start >= x.prefix);
        let span = n.to_original(x.norm.clone());
        assert!(s.get(span.range()).is_some());
        last = x.norm.end;
    }
    let _ = m.lookup(s, date);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]
    #[test]
    fn never_panics(s in arabicish(), d in proptest::option::of(-25_000i64..50_000)) {
        check(ActorMatcher::bundled(), &s, d.map(Ymd::from_days));
    }

    #[test]
    fn known_names_inside_noise(pre in arabicish(), post in arabicish()) {
        let s = format!("{pre} والجيش العراقي {post}");
        check(ActorMatcher::bundled(), &s, None);
    }
}
