//! Inflection generator: every surface form of a trigger verb or verbal noun from a few normalised stems.
//!
//! Input stems are already normalised (`rasid_text::normalize`), so `ة` is `ه` and hamza-alef is `ا`. The affix
//! sets below are closed grammatical paradigms (person/number suffixes, object and possessive pronouns), which is
//! why they live in code; which words inflect, and how, lives in `data/events/triggers.toml`.
//! Clitic PREFIXES (و ف ب ل ال س …) are not generated: the matcher accepts them at match time.

/// The tense/voice of one generated verb form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tense {
    Past,
    Present,
    Passive,
}

/// Subject suffixes attached to the vowel-initial past stem (`قتل` → `قتلوا`); `ت` (3fs) also attaches here.
const PAST_V: &[&str] = &["", "ت", "ا", "وا", "تا"];
/// Subject suffixes attached to the consonant past stem (hollow verbs: `قال` → `قلت`).
const PAST_C: &[&str] = &["ت", "نا", "تم", "تن", "ن", "تما"];
/// Person prefixes of the imperfect (`ا` is normalised `أ`).
const PRESENT_PREFIX: &[&str] = &["ي", "ت", "ن", "ا"];
/// Person/number/mood suffixes of the imperfect.
const PRESENT_SUFFIX: &[&str] = &["", "ون", "ان", "ين", "ن", "وا", "ا"];
/// Object pronoun suffixes.
pub(crate) const OBJECT: &[&str] = &["ه", "ها", "هم", "هما", "هن", "ني", "نا", "ك", "كم"];
/// Possessive pronoun suffixes on nouns. Not `ي` ("my"): a noun + `ي` is far more often its adjective (`اجتماعي`
/// "social", `هجومي` "offensive") than "my …" in a quotation.
const POSSESSIVE: &[&str] = &["ه", "ها", "هم", "هما", "هن", "نا", "كم"];

/// Pushes `stem + suffix` and, when `objects`, the same with every object pronoun (`وا` → `و` before one).
fn push_with_objects(out: &mut Vec<String>, stem: &str, suffix: &str, objects: bool) {
    out.push(format!("{stem}{suffix}"));
    if !objects {
        return;
    }
    let base = suffix.strip_suffix("وا").map(|s| format!("{s}و")).unwrap_or_else(|| suffix.to_owned());
    for o in OBJECT {
        out.push(format!("{stem}{base}{o}"));
    }
}

/// Past active forms of a verb: `past` is the 3ms stem, `past_c` the stem before consonant suffixes.
pub fn past_forms(past: &str, past_c: Option<&str>, objects: bool, out: &mut Vec<String>) {
    for s in PAST_V {
        push_with_objects(out, past, s, objects);
    }
    let c = past_c.unwrap_or(past);
    for s in PAST_C {
        push_with_objects(out, c, s, objects);
    }
}

/// Passive past forms (no object pronouns): `اغتيل`, `اغتيلت`, `اغتيلوا`.
pub fn passive_past_forms(stem: &str, out: &mut Vec<String>) {
    for s in PAST_V.iter().chain(PAST_C) {
        out.push(format!("{stem}{s}"));
    }
}

/// Imperfect forms from the stem without person prefix (`قتل` → `يقتل`, `تقتلون`, `نقتلهم`).
pub fn present_forms(stem: &str, objects: bool, out: &mut Vec<String>) {
    for p in PRESENT_PREFIX {
        let full = format!("{p}{stem}");
        for s in PRESENT_SUFFIX {
            let obj = objects && matches!(*s, "" | "ون" | "وا" | "ان");
            push_with_objects(out, &full, s, obj);
        }
    }
}

/// Noun forms: the noun, its dual, accusative `ا`, and possessives (`ة`/`ه` → `ت` before a suffix).
pub fn noun_forms(noun: &str, out: &mut Vec<String>) {
    out.push(noun.to_owned());
    if let Some(stem) = noun.strip_suffix('ه') {
        for s in ["تان", "تين"] {
            out.push(format!("{stem}{s}"));
        }
        for p in POSSESSIVE {
            out.push(format!("{stem}ت{p}"));
        }
    } else {
        // Sound feminine plurals (`هجمات`) take neither the dual nor the accusative alef.
        if !noun.ends_with("ات") {
            for s in ["ا", "ان", "ين"] {
                out.push(format!("{noun}{s}"));
            }
        }
        for p in POSSESSIVE {
            out.push(format!("{noun}{p}"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn past_includes_plural_with_object() {
        let mut v = Vec::new();
        past_forms("قتل", None, true, &mut v);
        for f in ["قتل", "قتلت", "قتلوا", "قتلوه", "قتلناهم", "قتلتم"] {
            assert!(v.iter().any(|x| x == f), "{f} missing");
        }
    }

    #[test]
    fn hollow_past_uses_consonant_stem() {
        let mut v = Vec::new();
        past_forms("اغتال", Some("اغتل"), true, &mut v);
        assert!(v.iter().any(|x| x == "اغتالوا"));
        assert!(v.iter().any(|x| x == "اغتلنا"));
        assert!(v.iter().any(|x| x == "اغتلت") && v.iter().any(|x| x == "اغتالت"));
    }

    #[test]
    fn present_and_passive() {
        let mut v = Vec::new();
        present_forms("هاجم", true, &mut v);
        for f in ["يهاجم", "تهاجمون", "يهاجمونه", "نهاجم", "يهاجموا"] {
            assert!(v.iter().any(|x| x == f), "{f} missing");
        }
        let mut p = Vec::new();
        passive_past_forms("اغتيل", &mut p);
        assert!(p.iter().any(|x| x == "اغتيلت"));
    }

    #[test]
    fn nouns_with_ta_marbuta() {
        let mut v = Vec::new();
        noun_forms("مظاهره", &mut v);
        for f in ["مظاهره", "مظاهرتان", "مظاهرتهم"] {
            assert!(v.iter().any(|x| x == f), "{f} missing");
        }
        let mut w = Vec::new();
        noun_forms("هجمات", &mut w);
        assert!(w.iter().any(|x| x == "هجماتها"));
        assert!(!w.iter().any(|x| x == "هجماتا"));
    }
}
