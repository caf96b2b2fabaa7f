//! Data-driven event cases (`testdata/events/*.toml`, invented sentences) and the seed article's events.

use rasid_core::events::{ActorSlot, ArticleDomains, EventDetector, Normalised};
use rasid_text::{normalize, NormalizedText, Segmenter};
use serde::Deserialize;
use std::path::Path;

#[derive(Deserialize)]
struct File {
    case: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    text: String,
    #[serde(default)]
    expect: Vec<String>,
    #[serde(default)]
    reject: Vec<String>,
    #[serde(default)]
    actors: Vec<String>,
    /// Codes of the actor slots, one per actor (`USA MIL`, `- UAF`, `IMG -`); none given: uncoded slots.
    #[serde(default)]
    codes: Vec<String>,
    /// What each actor slot is, one per actor: `title` (a role noun, `الرئيس الفرنسي`), `person` (a named person)
    /// or `-`; none given: neither.
    #[serde(default)]
    kinds: Vec<String>,
    source: Option<String>,
    target: Option<String>,
    /// `source` / `target` must hold in every coded event of the first expected type, not just in some.
    #[serde(default)]
    every: bool,
    /// The modality of every coded event of the first expected type (`asserted`, `future`); none given: any.
    modality: Option<String>,
    /// The CAMEO code of every coded event of the first expected type; none given: any.
    cameo: Option<String>,
    #[allow(dead_code)]
    note: Option<String>,
}

/// The rule layer alone: the learned filter is measured separately under cross-validation.
fn rules() -> EventDetector {
    let mut d = EventDetector::bundled().expect("bundled lexicon loads");
    d.set_filter(None);
    d
}

fn slots(norm: &str, actors: &[String], codes: &[String], kinds: &[String]) -> Vec<ActorSlot> {
    actors
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let a = normalize(a);
            let start = norm.find(&a).unwrap_or_else(|| panic!("actor `{a}` not in `{norm}`"));
            let (country, role) = match codes.get(i).and_then(|c| c.split_once(' ')) {
                Some((c, r)) => (
                    (c != "-").then(|| c.as_bytes().try_into().expect("a three-letter country")),
                    (r != "-").then(|| r.to_string()),
                ),
                None => (None, None),
            };
            let kind = kinds.get(i).map_or("-", String::as_str);
            let (title, person) = (kind == "title", kind == "person");
            ActorSlot { norm: start..start + a.len(), country, role, title, person, ..ActorSlot::default() }
        })
        .collect()
}

/// The sentences of a case's normalised text, as byte ranges.
fn sentences(norm: &str) -> Vec<std::ops::Range<usize>> {
    let seg = Segmenter::new();
    let (mut paragraphs, mut spans) = (Vec::new(), Vec::new());
    seg.paragraphs(norm, &mut paragraphs);
    for p in paragraphs {
        seg.sentences(norm, p, &mut spans);
    }
    spans.iter().map(|s| s.start..s.end).collect()
}

#[test]
fn cases_per_plover_type() {
    let d = rules();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/events");
    let mut files: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    let mut failures = Vec::new();
    let mut covered = std::collections::BTreeSet::new();
    let mut n = 0;
    for f in &files {
        let file: File = toml::from_str(&std::fs::read_to_string(f).unwrap()).unwrap();
        for c in file.case {
            n += 1;
            let nt = NormalizedText::new(&c.text);
            let norm = nt.as_str();
            let actors = slots(norm, &c.actors, &c.codes, &c.kinds);
            let mut out = Vec::new();
            // The case is read as an article, sentence by sentence, with its domain (a sports report …) found
            // over its whole text, as the pipeline reads one.
            let sentences = sentences(norm);
            let domains = d.article_domains(norm, sentences.iter().cloned());
            for s in sentences {
                d.detect(
                    Normalised { domains: ArticleDomains::Known(domains), ..Normalised::from(&nt) },
                    s,
                    &actors,
                    &mut out,
                );
            }
            for cand in &out {
                // Every trigger maps back to original text.
                let span = nt.to_original(cand.trigger.clone());
                assert!(!c.text[span.range()].is_empty());
            }
            let coded: Vec<&str> = out.iter().filter(|c| c.coded).map(|c| c.plover).collect();
            for e in &c.expect {
                covered.insert(e.clone());
                if !coded.contains(&e.as_str()) {
                    failures.push(format!("{}: `{}` expected {e}, coded {coded:?}", f.display(), c.text));
                }
            }
            for r in &c.reject {
                if coded.contains(&r.as_str()) {
                    failures.push(format!("{}: `{}` must not code {r}", f.display(), c.text));
                }
            }
            if let Some(main) = c.expect.first() {
                let evs: Vec<_> = out.iter().filter(|x| x.coded && x.plover == main.as_str()).collect();
                if let Some(want) = &c.cameo {
                    let got: Vec<Option<&str>> = evs.iter().map(|e| e.cameo).collect();
                    if got.iter().any(|g| *g != Some(want.as_str())) {
                        failures.push(format!("{}: `{}` CAMEO expected {want}, got {got:?}", f.display(), c.text));
                    }
                }
                if let Some(m) = &c.modality {
                    let got: Vec<&str> = evs.iter().map(|e| e.modality.name()).collect();
                    if got.iter().any(|g| g != m) {
                        failures.push(format!("{}: `{}` modality expected {m}, got {got:?}", f.display(), c.text));
                    }
                }
                for (want, slot) in [(&c.source, "source"), (&c.target, "target")] {
                    if let Some(w) = want {
                        // A named participant must be one of the case's actors, or the check could not fail.
                        assert!(
                            w == "-" || c.actors.contains(w),
                            "{}: `{}` {slot} `{w}` is not among the case's actors",
                            f.display(),
                            c.text
                        );
                        let got: Vec<_> =
                            evs.iter().map(|e| if slot == "source" { e.source } else { e.target }).collect();
                        // `-`: the slot stays empty in every event of the type; a name: some event takes it.
                        let ok = if w == "-" {
                            got.iter().all(Option::is_none)
                        } else if c.every {
                            let want = c.actors.iter().position(|a| a == w);
                            !got.is_empty() && got.iter().all(|g| *g == want)
                        } else {
                            got.contains(&c.actors.iter().position(|a| a == w))
                        };
                        if !ok {
                            failures.push(format!("{}: `{}` {slot} expected `{w}`, got {got:?}", f.display(), c.text));
                        }
                    }
                }
            }
        }
    }
    assert!(n >= 40, "only {n} cases");
    assert!(failures.is_empty(), "{} of {n} cases fail:\n{}", failures.len(), failures.join("\n"));
    for t in rasid_core::events::PLOVER_TYPES {
        if !covered.contains(t) {
            eprintln!("note: no positive case for {t}");
        }
    }
}

/// Coded PLOVER types of the candidates whose trigger is `word` (normalised) in `line`.
fn at(d: &EventDetector, line: &str, word: &str) -> Vec<(String, bool)> {
    let nt = NormalizedText::new(line);
    let norm = nt.as_str();
    let mut out = Vec::new();
    d.detect(&nt, 0..norm.len(), &[], &mut out);
    let w = normalize(word);
    out.iter()
        .filter(|c| norm[c.trigger.clone()].contains(w.as_str()))
        .map(|c| (c.plover.to_string(), c.coded))
        .collect()
}

#[test]
fn seed_article_events() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/seed/qaani-baghdad.ar.txt");
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!("seed article not found at {}: skipped", path.display());
        return;
    };
    let lines: Vec<&str> = text.lines().collect();
    let d = rules();
    let has = |l: usize, word: &str, t: &str, coded: bool| {
        let got = at(&d, lines[l - 1], word);
        assert!(
            got.iter().any(|(p, c)| p == t && *c == coded),
            "line {l} `{word}`: want {t} coded={coded}, got {got:?}"
        );
    };
    let never = |l: usize, word: &str, t: &str| {
        let got = at(&d, lines[l - 1], word);
        assert!(!got.iter().any(|(p, c)| p == t && *c), "line {l} `{word}`: {t} must not be coded, got {got:?}");
    };
    has(2, "زيارة", "CONSULT", true);
    has(3, "التقى", "CONSULT", true);
    has(3, "إلقاء", "ACCUSE", true);
    has(3, "مقتل", "ASSAULT", true);
    has(5, "قتل", "ASSAULT", true);
    never(6, "الضربات", "ASSAULT");
    never(6, "تدمير", "ASSAULT");
    has(10, "توافق", "REJECT", true);
    has(10, "وافقت", "AGREE", true);
    never(10, "هجماتها", "ASSAULT");
    has(10, "تعلق", "RETREAT", true);
    never(11, "هجمات", "ASSAULT");
    has(11, "هجوما", "ASSAULT", true);
    never(12, "عملياتها العسكرية", "RETREAT");
    never(15, "هجمات", "ASSAULT");
    has(15, "هجوما", "ASSAULT", true);
}

/// The seed article through the whole pipeline: the participants of the events EXPECTED.md lists.
#[test]
fn seed_article_participants() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/seed/qaani-baghdad.ar.txt");
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!("seed article not found at {}: skipped", path.display());
        return;
    };
    let ex = rasid_core::Extractor::bundled().expect("bundled data loads");
    let doc = ex.extract(&rasid_core::ArticleInput {
        id: "seed",
        text: &text,
        published: Some("2024-02-18"),
        ..Default::default()
    });
    let code = |p: &Option<rasid_core::model::Participant>| {
        p.as_ref().map(|p| format!("{}/{}", p.country.as_deref().unwrap_or("-"), p.role.as_deref().unwrap_or("-")))
    };
    let event = |trigger: &str, kind: &str, line_has: &str| {
        doc.events
            .iter()
            .find(|e| {
                e.kind == kind
                    && e.trigger.text == trigger
                    && doc.sentences[e.sentence].text.contains(line_has)
                    && e.modality == rasid_core::model::Modality::Asserted
                    && !e.negated
            })
            .unwrap_or_else(|| panic!("no asserted {kind} `{trigger}` in the sentence with `{line_has}`"))
    };
    // Every reported participant maps back to the original text.
    for e in &doc.events {
        for p in [&e.source, &e.target].into_iter().flatten() {
            let s: String = text.chars().skip(p.start).take(p.end - p.start).collect();
            assert_eq!(s, p.text);
        }
    }
    // Line 2: a visit to Baghdad targets the government of Iraq.
    let visit = event("زيارة", "CONSULT", "قالت مصادر");
    assert_eq!(code(&visit.source).as_deref(), Some("IRN/MIL"));
    assert_eq!(code(&visit.target).as_deref(), Some("IRQ/GOV"));
    // Line 3: three American soldiers killed.
    assert_eq!(code(&event("مقتل", "ASSAULT", "التقى").target).as_deref(), Some("USA/MIL"));
    // Line 10: `طلب قاآني` — Qaani requests.
    let request = event("طلب", "REQUEST", "لم توافق");
    assert_eq!(request.source.as_ref().map(|p| p.text.as_str()), Some("قاآني"));
    // Line 10: most factions agree to the same request one refused: Qaani's.
    let agree = event("وافقت", "AGREE", "لم توافق");
    assert_eq!(agree.target.as_ref().map(|p| p.text.as_str()), Some("قاآني"));
    // Line 11: the aggregated attacks target US forces; their source is the armed groups (`من جانب الجماعات`,
    // the head of the earlier `الجماعات المسلحة`).
    let attacks = event("هجوما", "ASSAULT", "ومنذ الرابع");
    assert_eq!(code(&attacks.target).as_deref(), Some("USA/MIL"));
    assert!(matches!(code(&attacks.source).as_deref(), Some("-/UAF" | "-/REB" | "IRQ/UAF" | "IRQ/REB")));
    // Line 5: the predecessor killed by a US drone (`الذي قتل سلفه بطائرة أمريكية`): USA MIL → Soleimani.
    let drone = event("قتل", "ASSAULT", "سلفه");
    assert_eq!(code(&drone.source).as_deref(), Some("USA/MIL"));
    assert_eq!(code(&drone.target).as_deref(), Some("IRN/MIL"));
    assert_eq!(drone.target.as_ref().map(|p| p.text.as_str()), Some("سلفه"));
    // Line 2: the halt of attacks is the attackers' (`التي تشنها جماعات …`), not Qaani's, against US forces.
    let halt = event("توقف", "RETREAT", "قالت مصادر");
    assert_eq!(code(&halt.target).as_deref(), Some("USA/MIL"));
    assert_ne!(halt.source.as_ref().and_then(|p| p.country.as_deref()), Some("IRN"));
    assert_eq!(code(&halt.source).as_deref(), Some("-/UAF"));
    // Line 10: Kata'ib Hezbollah suspends its attacks: their target comes from the article (discourse rule).
    let suspend = event("تعلق", "RETREAT", "في اليوم التالي");
    assert_eq!(code(&suspend.source).as_deref(), Some("IRQ/UAF"));
    assert_eq!(code(&suspend.target).as_deref(), Some("USA/MIL"));
    assert!(suspend.rule.ends_with("+target:earlier-attack"), "{}", suspend.rule);
}

/// Participant rules through the whole pipeline (rules only) on invented sentences: for each, an event of the
/// type whose source and target read as expected (`CTY/ROLE`, `-` for none; `None` = not checked), and whose
/// participants map back to the original text.
#[test]
fn participant_rules() {
    let mut ex = rasid_core::Extractor::bundled().expect("bundled data loads");
    ex.set_event_filter(None);
    let code = |p: &Option<rasid_core::model::Participant>| {
        p.as_ref().map_or("-/-".to_string(), |p| {
            format!("{}/{}", p.country.as_deref().unwrap_or("-"), p.role.as_deref().unwrap_or("-"))
        })
    };
    /// (rule, text, type, source, target)
    type ParticipantCase<'a> = (&'a str, &'a str, &'a str, Option<&'a str>, Option<&'a str>);
    let cases: &[ParticipantCase<'_>] = &[
        ("nationality after an attack noun", "قتل ثلاثة مسلحين في غارة إسرائيلية على المدينة أمس.", "ASSAULT", Some("ISR/MIL"), None),
        ("nationality after an instrument with ب", "قتل ثلاثة مسلحين بطائرة أمريكية بدون طيار أمس.", "ASSAULT", Some("USA/MIL"), None),
        ("a people is not an adjective", "قتلت غارة أمس سبعة فلسطينيين في المدينة.", "ASSAULT", Some("-/-"), None),
        ("actor after an instrument with ب", "قتل المسلحون برصاص الشرطة قرب الحدود.", "ASSAULT", Some("-/COP"), None),
        ("relative clause with a possessed noun", "وصل الجنرال، الذي قتل نجله بطائرة أمريكية بدون طيار، إلى المدينة.", "ASSAULT", Some("USA/MIL"), Some("-/-")),
        ("unvocalised verb with an object is active", "وقالت الشرطة إن مسلحين خطفوا أربعة مهندسين في الولاية.", "ASSAULT", Some("-/UAF"), Some("-/-")),
        ("unvocalised passive before a preposition", "وقالت الشرطة إن جنودا قتلوا في انفجار قنبلة.", "ASSAULT", None, Some("-/MIL")),
        ("protest: the country where it happens", "تظاهر مئات الطلاب في القاهرة أمس.", "PROTEST", None, Some("EGY/-")),
        ("protest: police is not the target", "واشتبك المتظاهرون مع الشرطة في شوارع البصرة.", "PROTEST", Some("-/CVL"), Some("IRQ/-")),
        ("relative clause agent of attacks", "وأدت الوساطة إلى توقف الهجمات على القوات الأمريكية التي تشنها جماعات موالية لطهران.", "RETREAT", Some("-/UAF"), Some("USA/MIL")),
        ("suspension takes the earlier attack's target", "هاجم مسلحون القوات الفرنسية في المدينة أمس. وفي اليوم التالي أعلنت كتائب حزب الله أنها ستعلق هجماتها.", "RETREAT", Some("IRQ/UAF"), Some("FRA/MIL")),
        ("a refusal and an agreement answer one proposal", "لم توافق إحدى الفصائل على طلب الحكومة العراقية، لكن معظم الفصائل الأخرى وافقت على ذلك.", "AGREE", Some("-/UAF"), Some("IRQ/GOV")),
        ("a definite head refers to the earlier mention", "التقى الوزير بممثلي الجماعات المسلحة. ووقع أكثر من 20 هجوما على القوات الأمريكية من جانب الجماعات المعارضة للحرب.", "ASSAULT", Some("-/UAF"), Some("USA/MIL")),
    ];
    let mut failures = Vec::new();
    for (rule, text, kind, source, target) in cases {
        let doc = ex.extract(&rasid_core::ArticleInput { id: "t", text, ..Default::default() });
        for e in &doc.events {
            for p in [&e.source, &e.target].into_iter().flatten() {
                let s: String = text.chars().skip(p.start).take(p.end - p.start).collect();
                assert_eq!(s, p.text, "{rule}: participant offsets");
            }
        }
        let ok = doc
            .events
            .iter()
            .filter(|e| e.kind == *kind && !e.negated)
            .any(|e| source.is_none_or(|s| code(&e.source) == s) && target.is_none_or(|t| code(&e.target) == t));
        if !ok {
            let got: Vec<String> = doc
                .events
                .iter()
                .map(|e| {
                    format!("{} `{}` {} -> {} [{}]", e.kind, e.trigger.text, code(&e.source), code(&e.target), e.rule)
                })
                .collect();
            failures.push(format!("{rule}: `{text}` want {kind} {source:?} -> {target:?}, got {got:?}"));
        }
    }
    assert!(failures.is_empty(), "{} of {} fail:\n{}", failures.len(), cases.len(), failures.join("\n"));
}
