//! A stable, line-per-span text rendering of a [`Document`], for reading (`rasid extract --format text`) and for
//! golden snapshot tests.

use crate::model::{Attribution, Count, Document, Participant};
use std::fmt::Write;

/// Renders `doc` as text, one line per span, in a fixed order.
pub fn render(doc: &Document) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "document {} lang={} published={} source={}",
        doc.id,
        doc.lang,
        opt(&doc.published),
        opt(&doc.source)
    );
    if let Some(d) = &doc.dateline {
        let place = d.place.as_ref().map_or("-".to_string(), |p| format!("{}/{}", p.name, opt(&p.country)));
        let _ = writeln!(out, "dateline [{},{}) {:?} place={place} agency={}", d.start, d.end, d.text, opt(&d.agency));
    }
    for b in &doc.boilerplate {
        let _ = writeln!(out, "boilerplate {:?} [{},{}) {:?}", b.kind, b.start, b.end, b.text);
    }
    for s in &doc.sentences {
        let dup = s.duplicate_of.map_or("-".to_string(), |d| d.to_string());
        let attr: Vec<String> = s.attribution.iter().map(attribution).collect();
        let _ = writeln!(
            out,
            "sentence {} [{},{}) {:?} body={} dup={dup} attribution=[{}] {:?}",
            s.index,
            s.start,
            s.end,
            s.kind,
            s.body,
            attr.join(" <- "),
            s.text
        );
    }
    for e in &doc.entities {
        let code = e.actor.as_ref().map_or("-".to_string(), |a| {
            format!("{}:{}/{}", a.id, a.country.as_deref().unwrap_or("-"), a.role.as_deref().unwrap_or("-"))
        });
        let _ = writeln!(out, "entity s{} [{},{}) {} {code} {:?}", e.sentence, e.start, e.end, e.kind, e.text);
    }
    for e in &doc.events {
        let date = e.date.as_ref().map_or("-".to_string(), |d| {
            let range = match (&d.start, &d.end) {
                (Some(s), Some(e)) => format!("{s}..{e}"),
                _ => d.value.clone(),
            };
            format!("{range}({}{})", if d.approx { "~" } else { "" }, d.precision)
        });
        let place = e.place.as_ref().map_or("-".to_string(), |p| {
            let off = match (p.distance_km, &p.direction) {
                (Some(km), dir) => format!(" {km}km {}", dir.as_deref().unwrap_or("")),
                (None, Some(dir)) => format!(" {dir}"),
                _ => String::new(),
            };
            format!("{}/{}{}", p.name, opt(&p.country), off.trim_end())
        });
        let mut counts = Vec::new();
        if let Some(c) = &e.counts {
            for (name, v) in [
                ("killed", &c.killed),
                ("wounded", &c.wounded),
                ("arrested", &c.arrested),
                ("participants", &c.participants),
                ("events", &c.events),
            ] {
                if let Some(v) = v {
                    counts.push(format!("{name}={}", count(v)));
                }
            }
        }
        let _ = writeln!(
            out,
            "event s{} {} cameo={} trigger={:?} source={} target={} date={date} place={place} counts=[{}] negated={} modality={:?} rule={}",
            e.sentence,
            e.kind,
            opt(&e.cameo),
            e.trigger.text,
            participant(&e.source),
            participant(&e.target),
            counts.join(","),
            e.negated,
            e.modality,
            e.rule
        );
    }
    for l in &doc.loaded {
        let _ = writeln!(out, "loaded s{} [{},{}) {} {:?}", l.sentence, l.start, l.end, l.category, l.text);
    }
    let f = &doc.framing;
    let _ = writeln!(
        out,
        "framing sentences={} opinion={} share={} words={} loaded_per_1000={}",
        f.sentences, f.opinion_sentences, f.opinion_share, f.words, f.loaded_per_1000_words
    );
    out
}

fn opt(s: &Option<String>) -> &str {
    s.as_deref().unwrap_or("-")
}

fn attribution(a: &Attribution) -> String {
    match &a.name {
        Some(name) if *name != a.text => format!("{:?}:{}={}", a.kind, a.text, name),
        _ => format!("{:?}:{}", a.kind, a.text),
    }
}

fn participant(p: &Option<Participant>) -> String {
    p.as_ref().map_or("-".to_string(), |p| {
        format!("{:?}({}/{})", p.text, p.country.as_deref().unwrap_or("-"), p.role.as_deref().unwrap_or("-"))
    })
}

fn count(c: &Count) -> String {
    use crate::model::CountQualifier as Q;
    match (c.approx, c.qualifier) {
        (_, Some(Q::MoreThan)) => format!(">{}", c.value),
        (_, Some(Q::AtLeast)) => format!(">={}", c.value),
        (_, Some(Q::LessThan)) => format!("<{}", c.value),
        (_, Some(Q::AtMost)) => format!("<={}", c.value),
        (true, _) | (_, Some(Q::About)) => format!("~{}", c.value),
        (false, None) => c.value.to_string(),
    }
}
