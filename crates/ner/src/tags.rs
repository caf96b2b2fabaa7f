//! BIO tags, entity types and the conversion of tag sequences into entity spans (CoNLL chunking rules).

use std::fmt;

/// The four entity types of ANERcorp (its `PERS` is read as [`EntityType::Per`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EntityType {
    Per,
    Loc,
    Org,
    Misc,
}

impl EntityType {
    /// All types, in tag-index order.
    pub const ALL: [EntityType; 4] = [EntityType::Per, EntityType::Loc, EntityType::Org, EntityType::Misc];

    /// The output label: `PER`, `LOC`, `ORG` or `MISC`.
    pub fn as_str(self) -> &'static str {
        match self {
            EntityType::Per => "PER",
            EntityType::Loc => "LOC",
            EntityType::Org => "ORG",
            EntityType::Misc => "MISC",
        }
    }

    /// Parses a type label; accepts ANERcorp's `PERS` as well as `PER`.
    pub fn parse(s: &str) -> Option<EntityType> {
        match s {
            "PER" | "PERS" => Some(EntityType::Per),
            "LOC" => Some(EntityType::Loc),
            "ORG" => Some(EntityType::Org),
            "MISC" => Some(EntityType::Misc),
            _ => None,
        }
    }

    #[inline]
    fn index(self) -> usize {
        match self {
            EntityType::Per => 0,
            EntityType::Loc => 1,
            EntityType::Org => 2,
            EntityType::Misc => 3,
        }
    }
}

impl fmt::Display for EntityType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One BIO tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum NerTag {
    #[default]
    O,
    /// First word of an entity.
    B(EntityType),
    /// A following word of an entity.
    I(EntityType),
}

/// Number of distinct tags (O + B/I for four types).
pub(crate) const NT: usize = 9;

impl NerTag {
    /// Dense index: 0 = O, then B-PER, I-PER, B-LOC, I-LOC, B-ORG, I-ORG, B-MISC, I-MISC.
    #[inline]
    pub(crate) fn index(self) -> usize {
        match self {
            NerTag::O => 0,
            NerTag::B(t) => 1 + 2 * t.index(),
            NerTag::I(t) => 2 + 2 * t.index(),
        }
    }

    /// Inverse of [`NerTag::index`]; out-of-range indices give `O`.
    #[inline]
    pub(crate) fn from_index(i: usize) -> NerTag {
        if i == 0 || i >= NT {
            return NerTag::O;
        }
        let t = EntityType::ALL[(i - 1) / 2];
        if i % 2 == 1 {
            NerTag::B(t)
        } else {
            NerTag::I(t)
        }
    }

    /// Parses `O`, `B-PERS`, `I-LOC`, … (ANERcorp and CoNLL spelling).
    pub fn parse(s: &str) -> Option<NerTag> {
        if s == "O" {
            return Some(NerTag::O);
        }
        let (bio, ty) = s.split_once('-')?;
        let ty = EntityType::parse(ty)?;
        match bio {
            "B" => Some(NerTag::B(ty)),
            "I" => Some(NerTag::I(ty)),
            _ => None,
        }
    }

    /// The entity type, if any.
    pub fn entity_type(self) -> Option<EntityType> {
        match self {
            NerTag::O => None,
            NerTag::B(t) | NerTag::I(t) => Some(t),
        }
    }
}

impl fmt::Display for NerTag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NerTag::O => f.write_str("O"),
            NerTag::B(t) => write!(f, "B-{t}"),
            NerTag::I(t) => write!(f, "I-{t}"),
        }
    }
}

/// `true` when tag index `cur` may follow tag index `prev` (`None` = sentence start): `I-X` only continues `X`.
#[inline]
pub(crate) fn allowed(prev: Option<usize>, cur: usize) -> bool {
    if cur == 0 || cur % 2 == 1 {
        return true;
    }
    matches!(prev, Some(p) if p == cur || p + 1 == cur)
}

/// An entity as a half-open range of word indices with its type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct EntitySpan {
    pub start: usize,
    pub end: usize,
    pub kind: EntityType,
}

/// Converts BIO tags into entity spans, appending to `out` (cleared first).
///
/// CoNLL rules (as `conlleval`): an entity starts at `B-X`, or at `I-X` that does not continue an `X` entity,
/// and extends over the following `I-X`.
pub fn entity_spans(tags: &[NerTag], out: &mut Vec<EntitySpan>) {
    out.clear();
    let mut open: Option<(usize, EntityType)> = None;
    for (i, &tag) in tags.iter().enumerate() {
        let continues = matches!((tag, open), (NerTag::I(t), Some((_, o))) if t == o);
        if continues {
            continue;
        }
        if let Some((start, kind)) = open.take() {
            out.push(EntitySpan { start, end: i, kind });
        }
        if let Some(t) = tag.entity_type() {
            open = Some((i, t));
        }
    }
    if let Some((start, kind)) = open {
        out.push(EntitySpan { start, end: tags.len(), kind });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(s: &str) -> Vec<NerTag> {
        s.split_whitespace().map(|t| NerTag::parse(t).unwrap()).collect()
    }

    #[test]
    fn index_round_trips() {
        for i in 0..NT {
            assert_eq!(NerTag::from_index(i).index(), i);
        }
        assert_eq!(NerTag::parse("B-PERS"), Some(NerTag::B(EntityType::Per)));
        assert_eq!(NerTag::parse("I-MISC").unwrap().to_string(), "I-MISC");
        assert_eq!(NerTag::parse("X-LOC"), None);
        assert_eq!(NerTag::parse("B-FOO"), None);
    }

    #[test]
    fn spans_follow_conll_rules() {
        let mut out = Vec::new();
        entity_spans(&tags("B-PERS I-PERS O B-LOC B-LOC I-ORG I-ORG O I-MISC"), &mut out);
        let got: Vec<_> = out.iter().map(|s| (s.start, s.end, s.kind.as_str())).collect();
        assert_eq!(got, vec![(0, 2, "PER"), (3, 4, "LOC"), (4, 5, "LOC"), (5, 7, "ORG"), (8, 9, "MISC")]);
        entity_spans(&tags("B-LOC I-PERS"), &mut out);
        assert_eq!(out.len(), 2);
        entity_spans(&[], &mut out);
        assert!(out.is_empty());
    }

    #[test]
    fn transitions_forbid_dangling_inside() {
        assert!(!allowed(None, NerTag::I(EntityType::Loc).index()));
        assert!(allowed(Some(NerTag::B(EntityType::Loc).index()), NerTag::I(EntityType::Loc).index()));
        assert!(allowed(Some(NerTag::I(EntityType::Loc).index()), NerTag::I(EntityType::Loc).index()));
        assert!(!allowed(Some(NerTag::B(EntityType::Per).index()), NerTag::I(EntityType::Loc).index()));
        assert!(allowed(Some(0), NerTag::B(EntityType::Org).index()));
    }
}
