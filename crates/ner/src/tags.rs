//! BIO tags, entity types, the conversion of tag sequences into entity spans (CoNLL chunking rules), and the
//! BILOU tag indices the tagger uses internally.

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
    pub(crate) fn index(self) -> usize {
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

/// Number of internal tags: O, then B (first of several words), I (inside), L (last), U (single word) for each
/// of the four types. The tagger decodes these; callers see BIO [`NerTag`]s.
pub(crate) const NT: usize = 17;

/// BILOU tag indices: 0 = O; for type `t` (in [`EntityType::ALL`] order) `1 + 4t` = B, `2 + 4t` = I,
/// `3 + 4t` = L, `4 + 4t` = U.
const B: usize = 0;
const I: usize = 1;
const L: usize = 2;
const U: usize = 3;

#[inline]
fn role(i: usize) -> usize {
    (i - 1) % 4
}

/// The entity class of a tag index: 0 = O, 1–4 = PER, LOC, ORG, MISC.
#[inline]
pub(crate) fn class_of(i: usize) -> usize {
    i.div_ceil(4)
}

/// The BIO tag of an internal tag index (out-of-range indices give `O`).
#[inline]
pub(crate) fn to_bio(i: usize) -> NerTag {
    if i == 0 || i >= NT {
        return NerTag::O;
    }
    let t = EntityType::ALL[(i - 1) / 4];
    match role(i) {
        I | L => NerTag::I(t),
        _ => NerTag::B(t),
    }
}

/// Converts BIO tags into internal BILOU indices (entities as CoNLL reads them), appending to `out`.
pub(crate) fn encode(tags: &[NerTag], out: &mut Vec<u8>) {
    let mut spans = Vec::new();
    entity_spans(tags, &mut spans);
    let at = out.len();
    out.resize(at + tags.len(), 0);
    for e in spans {
        let base = 1 + 4 * e.kind.index();
        if e.end - e.start == 1 {
            out[at + e.start] = (base + U) as u8;
        } else {
            out[at + e.start] = (base + B) as u8;
            for x in &mut out[at + e.start + 1..at + e.end - 1] {
                *x = (base + I) as u8;
            }
            out[at + e.end - 1] = (base + L) as u8;
        }
    }
}

impl NerTag {
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

/// `true` when tag index `cur` may follow tag index `prev` (`None` = sentence start): an entity opened by B
/// continues with I or L of its type, and only there. (The decoder writes these constraints out; tests check
/// it against this.)
#[inline]
#[cfg(test)]
pub(crate) fn allowed(prev: Option<usize>, cur: usize) -> bool {
    let continues = cur != 0 && matches!(role(cur), I | L);
    match prev {
        Some(p) if p != 0 && matches!(role(p), B | I) => continues && (p - 1) / 4 == (cur - 1) / 4,
        _ => !continues,
    }
}

/// `true` when a sentence may end on tag index `t` (not inside an open entity).
#[inline]
pub(crate) fn allowed_last(t: usize) -> bool {
    t == 0 || matches!(role(t), L | U)
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
    fn bilou_round_trips_through_bio() {
        let bio = tags("B-PERS I-PERS I-PERS O B-LOC B-LOC I-ORG O I-MISC I-MISC");
        let mut enc = Vec::new();
        encode(&bio, &mut enc);
        assert_eq!(enc, vec![1, 2, 3, 0, 8, 8, 12, 0, 13, 15]);
        let back: Vec<NerTag> = enc.iter().map(|&i| to_bio(usize::from(i))).collect();
        // I-ORG opening an entity comes back as B-ORG: the same entities.
        let (mut a, mut b) = (Vec::new(), Vec::new());
        entity_spans(&bio, &mut a);
        entity_spans(&back, &mut b);
        assert_eq!(a, b);
        assert_eq!(class_of(0), 0);
        assert_eq!(class_of(4), 1);
        assert_eq!(class_of(16), 4);
        assert_eq!(to_bio(99), NerTag::O);
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
        // LOC: B 5, I 6, L 7, U 8; PER: B 1.
        assert!(!allowed(None, 6));
        assert!(!allowed(None, 7));
        assert!(allowed(None, 8));
        assert!(allowed(Some(5), 6));
        assert!(allowed(Some(6), 7));
        assert!(!allowed(Some(5), 0));
        assert!(!allowed(Some(1), 6));
        assert!(!allowed(Some(7), 6));
        assert!(allowed(Some(7), 5));
        assert!(allowed(Some(0), 9));
        assert!(allowed_last(7) && allowed_last(0) && !allowed_last(5) && !allowed_last(6));
    }
}
