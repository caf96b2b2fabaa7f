//! Checks that a [`Document`] keeps the offset contract: every span's `text` is the original text sliced at
//! its code-point offsets. Used by the tests on every corpus and available to users who post-process output.

use crate::model::Document;

/// Slices `text` by code-point offsets, or None when they are out of range or inverted.
fn slice(chars: &[(usize, char)], text: &str, start: usize, end: usize) -> Option<String> {
    if start > end || end > chars.len() {
        return None;
    }
    let b = |i: usize| if i == chars.len() { text.len() } else { chars[i].0 };
    Some(text[b(start)..b(end)].to_string())
}

/// Every violation of the offset contract in `doc` for the original `text`, as readable messages.
pub fn offset_errors(text: &str, doc: &Document) -> Vec<String> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut errors = Vec::new();
    let mut check = |what: &str, start: usize, end: usize, expected: &str| match slice(&chars, text, start, end) {
        Some(s) if s == expected => {}
        Some(s) => errors.push(format!("{}: {what} [{start},{end}) is {s:?}, says {expected:?}", doc.id)),
        None => errors.push(format!("{}: {what} [{start},{end}) is out of range", doc.id)),
    };
    if doc.length != chars.len() {
        check("length", 0, doc.length, "");
    }
    if let Some(d) = &doc.dateline {
        check("dateline", d.start, d.end, &d.text);
    }
    for b in &doc.boilerplate {
        check("boilerplate", b.start, b.end, &b.text);
    }
    for s in &doc.sentences {
        check("sentence", s.start, s.end, &s.text);
        for a in &s.attribution {
            if let (Some(st), Some(en)) = (a.start, a.end) {
                check("attribution", st, en, &a.text);
            }
        }
    }
    for e in &doc.entities {
        check("entity", e.start, e.end, &e.text);
    }
    for l in &doc.loaded {
        check("loaded", l.start, l.end, &l.text);
    }
    for e in &doc.events {
        check("trigger", e.trigger.start, e.trigger.end, &e.trigger.text);
        for p in [&e.source, &e.target].into_iter().flatten() {
            check("participant", p.start, p.end, &p.text);
        }
        if let Some(m) = e.date.as_ref().and_then(|d| d.mention.as_ref()) {
            check("date", m.start, m.end, &m.text);
        }
        if let Some(p) = &e.place {
            if let (Some(st), Some(en)) = (p.start, p.end) {
                check("place", st, en, &p.name);
            }
        }
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ArticleInput, Extractor};
    use proptest::prelude::*;

    #[test]
    fn detects_a_wrong_offset() {
        let text = "قال المسؤول إن الوضع هادئ.";
        let ex = Extractor::shared().unwrap();
        let mut doc = ex.extract(&ArticleInput { id: "t", text, ..Default::default() });
        assert!(offset_errors(text, &doc).is_empty());
        doc.sentences[0].start += 1;
        assert_eq!(offset_errors(text, &doc).len(), 1);
    }

    #[test]
    fn reused_scratch_gives_the_same_document() {
        let ex = Extractor::shared().unwrap();
        let a = "قتل خمسة أشخاص في هجوم يوم 3 مارس الماضي، وأصيب عشرة آخرون.\nوتظاهر مئات الطلاب أمس في العاصمة.";
        let b = "وقال مسؤول إن الشرطة اعتقلت ثلاثة مشتبه بهم بعد خمسة أيام من الهجوم.";
        let input = |text| ArticleInput { id: "x", text, published: Some("2024-04-02"), ..Default::default() };
        let mut scratch = crate::Scratch::default();
        let _ = ex.extract_with(&mut scratch, &input(a));
        assert_eq!(ex.extract_with(&mut scratch, &input(b)), ex.extract(&input(b)));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]
        #[test]
        fn any_text_keeps_offsets_and_never_panics(text in "(\\PC|\\n|[«»“”\"().،؟:–-]){0,300}") {
            let ex = Extractor::shared().unwrap();
            let doc = ex.extract(&ArticleInput { id: "p", text: &text, ..Default::default() });
            prop_assert_eq!(offset_errors(&text, &doc), Vec::<String>::new());
        }

        #[test]
        fn arabic_like_text_keeps_offsets(words in proptest::collection::vec("(و|ف|ب|ال)?[ء-ي\u{064B}-\u{0652}ـ]{1,8}[.،؟:»«\n ]?", 0..80)) {
            let text = words.join(" ");
            let ex = Extractor::shared().unwrap();
            let doc = ex.extract(&ArticleInput { id: "p", text: &text, ..Default::default() });
            prop_assert_eq!(offset_errors(&text, &doc), Vec::<String>::new());
        }
    }
}
