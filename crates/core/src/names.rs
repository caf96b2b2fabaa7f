//! Names no dictionary knows: the statistical recogniser (`rasid-ner`) over each body sentence's words, kept
//! where it does not overlap a dictionary mention, coded from context and linked across the article.
//!
//! - Coding: a PER name right after a coded role noun (`الرئيس الأمريكي دونالد ترامب`, `قائد الشرطة علي …`)
//!   takes that noun's country and role (`data/agents/` supplies the nouns).
//! - Linking: a later mention equal to the last word, or to the whole, of an earlier name of the same type
//!   (`العامري` after `هادي العامري`) shares its id and code. Ids of unlinked names are `ner:` + the normalised name.

use crate::actors::{ActorCode, EntityType, Mention};
use rasid_lexicon::MatchKind;
use rasid_ner::{entity_spans, EntitySpan, NerModel, NerTag};
use rasid_text::{Token, TokenKind};
use std::ops::Range;

/// Reusable buffers for [`NameStage::find_article`] (keep one per thread: it holds the tagger's word cache).
#[derive(Debug, Default)]
pub struct NameScratch {
    words: Vec<Range<usize>>,
    sent_off: Vec<usize>,
    tags: Vec<NerTag>,
    spans: Vec<EntitySpan>,
    ner: rasid_ner::Scratch,
}

/// The statistical name recogniser, loaded once.
pub struct NameStage {
    model: NerModel,
}

impl std::fmt::Debug for NameStage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NameStage").finish_non_exhaustive()
    }
}

impl NameStage {
    pub fn bundled() -> Result<NameStage, rasid_ner::ModelError> {
        Ok(NameStage { model: NerModel::bundled()? })
    }

    /// Tags the words of an article's `sentences` (normalised byte ranges, in reading order; tokens of the whole
    /// text in `tokens`) as one document, and appends new name mentions to `found`, skipping any that overlap a
    /// mention in `known` (sorted by start).
    pub fn find_article<'r>(
        &self,
        norm: &str,
        sentences: impl IntoIterator<Item = &'r Range<usize>>,
        tokens: &[Token],
        known: &[Mention],
        scratch: &mut NameScratch,
        found: &mut Vec<Mention>,
    ) {
        scratch.words.clear();
        scratch.sent_off.clear();
        scratch.sent_off.push(0);
        for sentence in sentences {
            let first = tokens.partition_point(|t| t.norm().start < sentence.start);
            for t in tokens[first..].iter().take_while(|t| t.norm().end <= sentence.end) {
                if !matches!(t.kind, TokenKind::Symbol) {
                    scratch.words.push(t.norm());
                }
            }
            if scratch.sent_off.last() != Some(&scratch.words.len()) {
                scratch.sent_off.push(scratch.words.len());
            }
        }
        if scratch.words.is_empty() {
            return;
        }
        self.model.tag_normalized(norm, &scratch.words, &scratch.sent_off, &mut scratch.ner, &mut scratch.tags);
        for s in 0..scratch.sent_off.len() - 1 {
            let (a, b) = (scratch.sent_off[s], scratch.sent_off[s + 1]);
            entity_spans(&scratch.tags[a..b], &mut scratch.spans);
            for span in &scratch.spans {
                let range = scratch.words[a + span.start].start..scratch.words[a + span.end - 1].end;
                // `known` is sorted by start: only mentions starting before this name's end can overlap it.
                let before_end = known.partition_point(|m| m.norm.start < range.end);
                let overlaps = |m: &Mention| m.norm.start < range.end && range.start < m.norm.end;
                if known[..before_end].iter().rev().take(64).any(overlaps) || found.iter().rev().take(64).any(overlaps)
                {
                    continue;
                }
                let entity = match span.kind {
                    rasid_ner::EntityType::Per => EntityType::Per,
                    rasid_ner::EntityType::Org => EntityType::Org,
                    rasid_ner::EntityType::Loc => EntityType::Loc,
                    rasid_ner::EntityType::Misc => EntityType::Misc,
                };
                let kind = if entity == EntityType::Loc { MatchKind::Place } else { MatchKind::Actor };
                found.push(Mention { norm: range, kind, entity, code: None, place: None, as_place: false });
            }
        }
    }

    /// Tags one sentence (see [`NameStage::find_article`]).
    pub fn find(
        &self,
        norm: &str,
        sentence: &Range<usize>,
        tokens: &[Token],
        known: &[Mention],
        scratch: &mut NameScratch,
        found: &mut Vec<Mention>,
    ) {
        self.find_article(norm, [sentence], tokens, known, scratch, found);
    }
}

/// Gives statistical names their codes and ids: role nouns right before a person, then links across the
/// article (see the module docs). `known` are the dictionary mentions, `names` the statistical ones.
pub fn code_and_link(norm: &str, known: &[Mention], names: &mut [Mention]) {
    for i in 0..names.len() {
        let text = norm[names[i].norm.clone()].to_string();
        // Linking to an earlier name of the same type.
        let earlier = names[..i].iter().find(|e| {
            e.entity == names[i].entity && {
                let t = &norm[e.norm.clone()];
                t == text || (t.len() > text.len() && t.ends_with(&text) && t[..t.len() - text.len()].ends_with(' '))
            }
        });
        if let Some(e) = earlier {
            names[i].code = e.code.clone();
            continue;
        }
        let mut code =
            ActorCode { id: format!("ner:{text}"), name: text.clone(), country: None, role: None, former: false };
        if names[i].entity == EntityType::Per {
            if let Some(agent) = role_noun_before(norm, names[i].norm.start, known) {
                code.country = agent.country;
                code.role = agent.role;
            }
        }
        if names[i].entity != EntityType::Misc {
            names[i].code = Some(code);
        }
    }
}

/// A coded role-noun mention ending right before `at` (only spaces or a comma between).
fn role_noun_before<'m>(norm: &str, at: usize, known: &'m [Mention]) -> Option<&'m ActorCode> {
    known.iter().filter(|m| m.kind == MatchKind::Agent && m.norm.end <= at).max_by_key(|m| m.norm.end).and_then(|m| {
        let between = &norm[m.norm.end..at];
        between.chars().all(|c| c == ' ' || c == '،' || c == ',').then_some(m.code.as_ref()).flatten()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mention(norm: &str, text: &str, entity: EntityType, kind: MatchKind) -> Mention {
        let at = norm.find(text).unwrap();
        Mention { norm: at..at + text.len(), kind, entity, code: None, place: None, as_place: false }
    }

    #[test]
    fn links_short_forms_and_codes_from_role_nouns() {
        let norm = rasid_text::normalize("قال الرئيس سامر خليل إن الحكومة مستقرة. واضاف خليل ان الوضع هادئ");
        let mut agent = mention(&norm, "الرئيس", EntityType::Org, MatchKind::Agent);
        agent.code = Some(ActorCode {
            id: "GOV".into(),
            name: "president".into(),
            country: rasid_lexicon::Country::parse("JOR"),
            role: rasid_lexicon::Role::parse("GOV"),
            former: false,
        });
        let full = mention(&norm, "سامر خليل", EntityType::Per, MatchKind::Actor);
        let short_at = norm.rfind("خليل").unwrap();
        let short = Mention { norm: short_at..short_at + "خليل".len(), ..full.clone() };
        let mut names = vec![full, short];
        code_and_link(&norm, &[agent], &mut names);
        let a = names[0].code.clone().unwrap();
        assert_eq!(a.country.map(|c| c.as_str().to_string()).as_deref(), Some("JOR"));
        assert_eq!(names[1].code.as_ref().map(|c| c.id.clone()), Some(a.id));
    }
}
