//! Actor mentions: dictionary recognition over the whole article, typed as entities (PER/ORG/LOC/MISC) with
//! their codes, and linked across the article so that every mention of one real-world actor shares one id.
//!
//! Linking: dictionary aliases already resolve to one entry (`قاآني` = `إسماعيل قاآني` = `qaani`); mentions
//! the dictionary does not know (from the statistical recogniser) are linked to an earlier, longer mention
//! whose last word they equal (`العامري` → `هادي العامري`), and inherit its code.

use rasid_lexicon::{ActorMatch, ActorMatcher, Country, MatchKind, Role, Ymd};
use std::ops::Range;

/// Entity type in the CoNLL sense.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EntityType {
    Per,
    Org,
    Loc,
    Misc,
}

impl EntityType {
    pub fn as_str(self) -> &'static str {
        match self {
            EntityType::Per => "PER",
            EntityType::Org => "ORG",
            EntityType::Loc => "LOC",
            EntityType::Misc => "MISC",
        }
    }
}

/// The code an actor mention carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActorCode {
    /// Stable id of the real-world actor within the lexicon: an actor id (`qaani`), an ISO-3 code for a
    /// country, `ISO3-ROLE` for a capital standing for its government or an agent (`USA-MIL`), `geo:ID` for a place.
    pub id: String,
    pub name: String,
    pub country: Option<Country>,
    pub role: Option<Role>,
}

/// One actor or place mention, in normalised byte offsets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    pub norm: Range<usize>,
    pub kind: MatchKind,
    pub entity: EntityType,
    pub code: Option<ActorCode>,
    /// Index into the lexicon's places when the mention is a place, a capital or a country.
    pub place: Option<u32>,
}

impl Mention {
    /// Whether the mention can be an event participant (a place or a bare nationality cannot).
    pub fn is_actor(&self) -> bool {
        !matches!(self.kind, MatchKind::Place | MatchKind::Nationality) && self.code.is_some()
    }
}

/// Finds and codes actor mentions.
pub struct ActorStage {
    matcher: &'static ActorMatcher<'static>,
}

impl std::fmt::Debug for ActorStage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ActorStage").finish_non_exhaustive()
    }
}

impl Clone for ActorStage {
    fn clone(&self) -> Self {
        ActorStage { matcher: self.matcher }
    }
}

impl Default for ActorStage {
    fn default() -> Self {
        ActorStage::bundled()
    }
}

impl ActorStage {
    pub fn bundled() -> ActorStage {
        ActorStage { matcher: ActorMatcher::bundled() }
    }

    pub fn matcher(&self) -> &'static ActorMatcher<'static> {
        self.matcher
    }

    /// Finds every mention in the normalised text of an article published on `date`.
    pub fn find(&self, norm: &str, date: Option<Ymd>, scratch: &mut Vec<ActorMatch>, out: &mut Vec<Mention>) {
        scratch.clear();
        out.clear();
        self.matcher.find(norm, date, scratch);
        out.extend(scratch.iter().map(|m| {
            let mut mention = self.mention(m);
            if m.kind == MatchKind::Capital && is_locative(norm, m) {
                // `في بغداد`, `مطار بغداد`: the city, not the government.
                if let Some(code) = mention.code.as_mut() {
                    code.role = None;
                    code.id = code_id(code.country, None);
                }
            }
            mention
        }));
    }

    fn mention(&self, m: &ActorMatch) -> Mention {
        let lex = self.matcher.lexicon();
        let name = self.matcher.name(m).to_string();
        let (entity, id, place) = match m.kind {
            MatchKind::Actor => {
                let a = &lex.actors[m.entry as usize];
                let entity = if a.kind == "PER" { EntityType::Per } else { EntityType::Org };
                (entity, a.id.clone(), None)
            }
            MatchKind::Country => (EntityType::Loc, code_id(m.country, None), None),
            MatchKind::Capital => (EntityType::Loc, code_id(m.country, Some(Role::GOV)), None),
            MatchKind::Nationality => (EntityType::Misc, code_id(m.country, None), None),
            MatchKind::Agent => (EntityType::Org, code_id(m.country, m.role), None),
            MatchKind::Place => {
                let p = &lex.places[m.entry as usize];
                (EntityType::Loc, format!("geo:{}", p.geonameid), Some(m.entry))
            }
        };
        let code = Some(ActorCode { id, name, country: m.country, role: m.role });
        Mention { norm: m.norm.clone(), kind: m.kind, entity, code, place }
    }
}

/// Whether a capital stands as a place: after a locative preposition (attached `ب`, or `في`, `إلى`, `من`, `قرب` …)
/// or as the second term of a construct with a place noun (`مطار بغداد`, `محافظة`, `شمال`).
fn is_locative(norm: &str, m: &ActorMatch) -> bool {
    let prefix = &norm[m.norm.start - m.prefix..m.norm.start];
    if prefix.ends_with('ب') || prefix.ends_with('ل') {
        return true;
    }
    let before = norm[..m.norm.start - m.prefix].trim_end();
    let word = before.rsplit(|c: char| !rasid_text::is_word_char(c)).next().unwrap_or("");
    let word = word.strip_prefix('و').filter(|w| w.chars().count() >= 2).unwrap_or(word);
    locative_words().contains(word)
}

/// Words after which a capital names the city (`data/places/locative.txt`, normalised).
fn locative_words() -> &'static std::collections::HashSet<String> {
    static WORDS: std::sync::OnceLock<std::collections::HashSet<String>> = std::sync::OnceLock::new();
    WORDS.get_or_init(|| {
        include_str!("../../../data/places/locative.txt")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(rasid_text::normalize)
            .collect()
    })
}

fn code_id(country: Option<Country>, role: Option<Role>) -> String {
    match (country, role) {
        (Some(c), Some(r)) => format!("{}-{}", c.as_str(), r.as_str()),
        (Some(c), None) => c.as_str().to_string(),
        (None, Some(r)) => r.as_str().to_string(),
        (None, None) => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find(text: &str) -> Vec<(String, &'static str, Option<String>)> {
        let norm = rasid_text::normalize(text);
        let mut scratch = Vec::new();
        let mut out = Vec::new();
        ActorStage::bundled().find(&norm, "2024-02-18".parse::<Ymd>().ok(), &mut scratch, &mut out);
        out.iter()
            .map(|m| (norm[m.norm.clone()].to_string(), m.entity.as_str(), m.code.as_ref().map(|c| c.id.clone())))
            .collect()
    }

    #[test]
    fn codes_and_entity_types() {
        let got = find("التقى إسماعيل قاآني بممثلي الفصائل في بغداد بعد أن ألقت واشنطن اللوم على الجيش العراقي");
        let ids: Vec<&str> = got.iter().filter_map(|g| g.2.as_deref()).collect();
        assert!(ids.contains(&"qaani"), "{got:?}");
        assert!(ids.contains(&"USA-GOV"), "{got:?}");
        assert!(ids.contains(&"IRQ-MIL"), "{got:?}");
        assert!(got.iter().any(|g| g.0 == rasid_text::normalize("إسماعيل قاآني") && g.1 == "PER"), "{got:?}");
        // A capital after a locative preposition is a place, not its government.
        assert!(got.iter().any(|g| g.0 == "بغداد" && g.1 == "LOC" && g.2.as_deref() == Some("IRQ")), "{got:?}");
    }
}
