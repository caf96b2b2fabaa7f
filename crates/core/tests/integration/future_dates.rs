//! Acts dated after publication through the whole extractor (invented sentences): a noun or present verb whose
//! own clause dates it later than the article is a planned act, not one that happened.

use rasid_core::{ArticleInput, Extractor};

type Ev = (String, String, Option<String>, Option<String>, String);

/// `(type, modality, cameo, date, trigger)` of every event of a one-sentence article published on `published`.
fn events(text: &str, published: &str) -> Vec<Ev> {
    let doc = Extractor::shared().unwrap().extract(&ArticleInput {
        id: "t",
        text,
        published: Some(published),
        ..Default::default()
    });
    doc.events
        .iter()
        .map(|e| {
            let modality = serde_json::to_value(e.modality).unwrap().as_str().unwrap().to_string();
            (
                e.kind.clone(),
                modality,
                e.cameo.clone(),
                e.date.as_ref().map(|d| d.value.clone()),
                e.trigger.text.clone(),
            )
        })
        .collect()
}

fn has(evs: &[Ev], kind: &str, modality: &str, cameo: &str) -> bool {
    evs.iter().any(|e| e.0 == kind && e.1 == modality && e.2.as_deref() == Some(cameo))
}

#[test]
fn a_meeting_dated_next_week_is_an_intent_to_meet() {
    let evs = events("وأعلن الوزير عن اجتماع مع نظرائه العرب الخميس المقبل في القاهرة.", "2018-05-11");
    assert!(has(&evs, "AGREE", "asserted", "036"), "{evs:?}");
    assert!(!evs.iter().any(|e| e.0 == "CONSULT"), "{evs:?}");
    assert!(evs.iter().any(|e| e.3.as_deref() == Some("2018-05-17")), "{evs:?}");
}

#[test]
fn a_meeting_dated_last_week_happened() {
    let evs = events("وعقد الوزير اجتماعا مع نظرائه العرب الخميس الماضي في القاهرة.", "2018-05-11");
    assert!(has(&evs, "CONSULT", "asserted", "043"), "{evs:?}");
}

#[test]
fn a_strike_called_for_next_week_has_not_happened() {
    let evs = events("وأعلنت النقابات إضرابا عاما عن العمل يوم الأربعاء المقبل احتجاجا على القانون.", "2018-06-04");
    assert!(evs.iter().any(|e| e.4 == "إضرابا" && e.1 == "future"), "{evs:?}");
}

#[test]
fn a_future_date_in_another_clause_leaves_the_act_asserted() {
    // `فيما` opens the clause the date belongs to: the meeting of today is no planned one.
    let evs = events("ويأتي الاجتماع فيما يستعد الحلف لقمته في تموز المقبل.", "2018-05-28");
    assert!(has(&evs, "CONSULT", "asserted", "043"), "{evs:?}");
    assert!(has(&evs, "AGREE", "asserted", "036"), "{evs:?}");
}

#[test]
fn a_past_verb_is_not_made_future_by_a_later_date() {
    // The date after the signing is when the agreement takes effect: the signing happened.
    let evs = events("ووقعت الحكومة اتفاقية تدخل حيز التنفيذ في الأول من يوليو المقبل.", "2018-05-28");
    assert!(has(&evs, "SUPPORT", "asserted", "057"), "{evs:?}");
}
