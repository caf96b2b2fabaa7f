//! The canonical seed article (`../shared/data/seed/`): its structure, voices and attributions as
//! `EXPECTED.md` describes them, the offset contract, and the output schema.

use rasid_core::model::{BoilerplateKind, Document, SentenceKind};
use rasid_core::{verify::offset_errors, ArticleInput, Extractor};
use std::path::PathBuf;

fn shared() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared")
}

struct Seed {
    text: String,
    doc: Document,
    /// Code-point offsets of each line (1-based index → [start, end)).
    lines: Vec<(usize, usize)>,
}

fn seed() -> Seed {
    let dir = shared().join("data/seed");
    let text = std::fs::read_to_string(dir.join("qaani-baghdad.ar.txt")).expect("seed article in ../shared");
    let meta: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("qaani-baghdad.meta.json")).unwrap()).unwrap();
    let doc = Extractor::shared().unwrap().extract(&ArticleInput {
        id: meta["id"].as_str().unwrap(),
        text: &text,
        lang: meta["lang"].as_str(),
        published: meta["published"].as_str(),
        source: meta["source"].as_str(),
        ..Default::default()
    });
    let mut lines = vec![(0, 0)];
    let mut at = 0;
    for line in text.split('\n') {
        let n = line.chars().count();
        lines.push((at, at + n));
        at += n + 1;
    }
    Seed { text, doc, lines }
}

impl Seed {
    fn line_of(&self, start: usize) -> usize {
        self.lines.iter().rposition(|&(s, _)| s <= start).unwrap()
    }

    fn sentences_on(&self, line: usize) -> Vec<&rasid_core::model::Sentence> {
        self.doc.sentences.iter().filter(|s| self.line_of(s.start) == line).collect()
    }

    fn boilerplate_kind(&self, line: usize) -> Option<BoilerplateKind> {
        let (s, e) = self.lines[line];
        self.doc.boilerplate.iter().find(|b| b.start == s && b.end == e).map(|b| b.kind)
    }
}

#[test]
fn non_body_lines() {
    let seed = seed();
    assert_eq!(seed.boilerplate_kind(1), Some(BoilerplateKind::SiteLabel));
    assert_eq!(seed.boilerplate_kind(4), Some(BoilerplateKind::Caption));
    for line in [7, 8, 9, 13] {
        assert_eq!(seed.boilerplate_kind(line), Some(BoilerplateKind::RelatedLink), "line {line}");
    }
    for line in [1, 4, 7, 8, 9, 13] {
        assert!(seed.sentences_on(line).iter().all(|s| !s.body), "line {line} is not body");
    }
    for line in [2, 3, 5, 6, 10, 11, 12, 14, 15, 16, 17] {
        assert!(seed.sentences_on(line).iter().all(|s| s.body), "line {line} is body");
    }
    for line in [3, 5, 6, 10, 11, 12, 14, 16, 17] {
        assert_eq!(seed.boilerplate_kind(line), None, "line {line}");
    }
}

#[test]
fn dateline_is_baghdad_reuters_and_the_rest_is_body() {
    let seed = seed();
    let d = seed.doc.dateline.as_ref().expect("dateline");
    assert_eq!(d.text, "بغداد (رويترز) –");
    assert_eq!(d.place.as_ref().unwrap().name, "بغداد");
    assert_eq!(d.agency.as_deref(), Some("Reuters"));
    let first = seed.sentences_on(2)[0];
    assert!(first.text.starts_with("قالت مصادر"), "{}", first.text);
}

#[test]
fn quote_duplicate_and_opinion() {
    let seed = seed();
    assert!(seed.sentences_on(12).iter().any(|s| s.kind == SentenceKind::Quote));
    let line11 = seed.sentences_on(11)[0].index;
    let line15 = seed.sentences_on(15);
    assert_eq!(line15[0].duplicate_of, Some(line11));
    assert!(seed.doc.boilerplate.iter().any(|b| b.kind == BoilerplateKind::Duplicate && b.start == line15[0].start));
    for line in [16, 17] {
        assert!(seed.sentences_on(line).iter().all(|s| s.kind == SentenceKind::Opinion), "line {line}");
    }
    for line in [2, 3, 5, 6, 10, 11, 14] {
        assert!(seed.sentences_on(line).iter().all(|s| s.kind == SentenceKind::Report), "line {line}");
    }
    // Nothing else in the article repeats.
    assert_eq!(seed.doc.sentences.iter().filter(|s| s.duplicate_of.is_some()).count(), 1);
}

#[test]
fn attribution_chains() {
    let seed = seed();
    let chain = |line: usize| -> Vec<String> {
        seed.sentences_on(line)[0].attribution.iter().map(|a| a.name.clone().unwrap_or(a.text.clone())).collect()
    };
    assert_eq!(chain(2), vec!["Reuters", "مصادر إيرانية وعراقية متعددة"]);
    assert_eq!(chain(3), vec!["Reuters", "المصادر"]);
    assert_eq!(chain(5), vec!["Reuters", "10 مصادر"]);
    assert_eq!(chain(6), vec!["Reuters", "المصادر"]);
    let c12 = chain(12);
    assert!(c12[1].starts_with("قائد كبير في إحدى الجماعات المسلحة"), "{c12:?}");
    assert_eq!(chain(16), vec!["موقع المجلس"]);
}

#[test]
fn loaded_language_is_marked() {
    let seed = seed();
    let on = |line: usize| -> Vec<&str> {
        seed.doc.loaded.iter().filter(|l| seed.line_of(l.start) == line).map(|l| l.text.as_str()).collect()
    };
    assert!(on(17).contains(&"نظام الملالي"));
    assert!(on(17).contains(&"العميلة"));
    assert!(on(16).contains(&"لخداع"));
    assert!(on(4).contains(&"المجرمين"));
    assert!(on(2).is_empty() && on(3).is_empty());
}

#[test]
fn offsets_and_schema() {
    let seed = seed();
    assert_eq!(offset_errors(&seed.text, &seed.doc), Vec::<String>::new());
    let schema: serde_json::Value = serde_json::from_str(include_str!("../../../../docs/output.schema.json")).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let value = serde_json::to_value(&seed.doc).unwrap();
    let errors: Vec<String> = validator.iter_errors(&value).map(|e| format!("{e} at {}", e.instance_path)).collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

#[test]
fn actor_table() {
    let seed = seed();
    let codes = |text: &str| -> Vec<(String, Option<String>, Option<String>)> {
        seed.doc
            .entities
            .iter()
            .filter(|e| e.text == text)
            .filter_map(|e| e.actor.as_ref())
            .map(|a| (a.id.clone(), a.country.clone(), a.role.clone()))
            .collect()
    };
    let has = |text: &str, country: &str, roles: &[&str]| {
        let found = codes(text);
        assert!(!found.is_empty(), "`{text}` is not found");
        for (id, c, r) in &found {
            assert_eq!(c.as_deref(), Some(country), "`{text}` ({id})");
            if !roles.is_empty() {
                assert!(r.as_deref().is_some_and(|r| roles.contains(&r)), "`{text}` ({id}) role {r:?}");
            }
        }
    };
    // Esmail Qaani: one actor across the article, whatever the form.
    for form in ["قائد فيلق القدس الإيراني", "إسماعيل قاآني", "قاآني"] {
        assert!(
            codes(form).iter().all(|(id, _, _)| id == "qaani") && !codes(form).is_empty(),
            "{form}: {:?}",
            codes(form)
        );
        has(form, "IRN", &["MIL"]);
    }
    let qaani_lines: std::collections::BTreeSet<usize> = seed
        .doc
        .entities
        .iter()
        .filter(|e| e.actor.as_ref().is_some_and(|a| a.id == "qaani"))
        .map(|e| seed.line_of(e.start))
        .collect();
    // EXPECTED.md lists these lines; line 11 (`لزيارة قاآني`) names him too.
    for line in [2, 3, 4, 5, 10, 12, 14, 15] {
        assert!(qaani_lines.contains(&line), "line {line}: {qaani_lines:?}");
    }
    // `فيلق القدس` inside `قائد فيلق القدس الإيراني` is part of Qaani's title there, not a mention of its own.
    for form in ["فيلق القدس", "قوة القدس", "قيادة الحرس", "قاسم سليماني"] {
        has(form, "IRN", &["MIL"]);
    }
    has("كتائب حزب الله", "IRQ", &["REB", "UAF"]);
    for form in ["الجماعات المسلحة", "الفصائل", "الفصائل المسلحة"] {
        for (id, _, r) in codes(form) {
            assert!(matches!(r.as_deref(), Some("UAF" | "REB")), "`{form}` ({id}) role {r:?}");
        }
    }
    has("واشنطن", "USA", &["GOV"]);
    has("القوات الأمريكية", "USA", &["MIL"]);
    has("جنود أمريكيين", "USA", &["MIL"]);
    has("خامنئي", "IRN", &["GOV"]);
    for (place, country) in
        [("بغداد", "IRQ"), ("العراق", "IRQ"), ("سوريا", "SYR"), ("الأردن", "JOR"), ("غزة", "PSE"), ("طهران", "IRN")]
    {
        has(place, country, &[]);
    }
    // In no gazetteer: a site noun introduces it and `في الأردن` places it (crates/core/src/names.rs).
    has("تاور 22", "JOR", &[]);
    assert!(seed.doc.entities.iter().any(|e| e.text == "تاور 22" && e.kind == "LOC"), "`تاور 22` is not a LOC");
    // Reuters is a source of claims, not a party: it carries no country.
    assert!(codes("رويترز").iter().all(|(_, c, _)| c.is_none()));
}
