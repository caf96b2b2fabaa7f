//! How an article's document is kept in `articles.document` (schema version 7): a "slim" document, Snappy-compressed.
//!
//! The document (docs/output.md) repeats the article's text: every sentence, entity, trigger, participant,
//! attribution, boilerplate and loaded-word record carries the `text` its code-point offsets cover. The stored
//! form leaves out every such `text` that equals the slice of the article's text it points at (the row keeps the
//! text itself), and compresses the JSON with Snappy (raw format): about 9 KB of JSON an article become about 2 KB,
//! so two or three article rows share a 16 KiB page instead of one filling it, and the WAL and its checkpoint copy
//! a third of the bytes. Reading puts every left-out text back from the offsets: the document read is the one
//! written, field for field.
//!
//! Stored value: a 4-byte header, `\0rz` and a kind (`S`: slim, `F`: whole document), then the raw Snappy
//! frame of the JSON. A document in which some record has an empty `text` while its offsets cover characters cannot
//! be told apart from a slim one once its texts are left out: it is kept whole (`F`). A value starting with `{` is
//! the JSON of a store written before version 7 (read as it is).

use crate::error::StoreError;
use rasid_core::model::Document;

const MAGIC: [u8; 3] = *b"\0rz";
const SLIM: u8 = b'S';
const WHOLE: u8 = b'F';

/// Calls `f` on every record text with offsets, with those offsets, always in the same order.
fn for_each_span(doc: &mut Document, f: &mut impl FnMut(&mut String, Option<usize>, Option<usize>)) {
    if let Some(d) = doc.dateline.as_mut() {
        f(&mut d.text, Some(d.start), Some(d.end));
    }
    for b in &mut doc.boilerplate {
        f(&mut b.text, Some(b.start), Some(b.end));
    }
    for s in &mut doc.sentences {
        f(&mut s.text, Some(s.start), Some(s.end));
        for a in &mut s.attribution {
            f(&mut a.text, a.start, a.end);
        }
    }
    for e in &mut doc.entities {
        f(&mut e.text, Some(e.start), Some(e.end));
    }
    for e in &mut doc.events {
        f(&mut e.trigger.text, Some(e.trigger.start), Some(e.trigger.end));
        for p in [e.source.as_mut(), e.target.as_mut()].into_iter().flatten() {
            f(&mut p.text, Some(p.start), Some(p.end));
        }
        if let Some(m) = e.date.as_mut().and_then(|d| d.mention.as_mut()) {
            f(&mut m.text, Some(m.start), Some(m.end));
        }
        for a in &mut e.attribution {
            f(&mut a.text, a.start, a.end);
        }
    }
    for l in &mut doc.loaded {
        f(&mut l.text, Some(l.start), Some(l.end));
    }
}

/// The byte offset of every character of `text`, and its length last.
fn char_bounds(text: &str) -> Vec<usize> {
    let mut b = Vec::new();
    char_bounds_into(text, &mut b);
    b
}

fn char_bounds_into(text: &str, b: &mut Vec<usize>) {
    b.clear();
    b.extend(text.char_indices().map(|(i, _)| i));
    b.push(text.len());
}

/// Buffers [`encode_mut`] reuses on its thread: the analysing thread encodes every article.
#[derive(Default)]
struct Scratch {
    bounds: Vec<usize>,
    taken: Vec<String>,
    json: Vec<u8>,
    packed: Vec<u8>,
    encoder: Option<snap::raw::Encoder>,
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::new(Scratch::default());
}

/// The text between code-point offsets `start` and `end`, if both lie in `text` in order.
fn slice<'t>(text: &'t str, bounds: &[usize], start: Option<usize>, end: Option<usize>) -> Option<&'t str> {
    let (s, e) = (start?, end?);
    if s > e {
        return None;
    }
    text.get(*bounds.get(s)?..*bounds.get(e)?)
}

/// The stored form of `doc`, an analysis of `text`. `doc` is left as it was.
pub(crate) fn encode_mut(doc: &mut Document, text: &str) -> Result<Vec<u8>, StoreError> {
    SCRATCH.with(|s| {
        let mut s = s.borrow_mut();
        let Scratch { bounds, taken, json, packed, encoder } = &mut *s;
        char_bounds_into(text, bounds);
        let mut slim = true;
        for_each_span(doc, &mut |t, s, e| {
            if t.is_empty() && slice(text, bounds, s, e).is_some_and(|x| !x.is_empty()) {
                slim = false;
            }
        });
        json.clear();
        if slim {
            // Every left-out text, or an empty string where a record keeps its own (no allocation).
            taken.clear();
            for_each_span(doc, &mut |t, s, e| {
                let same = !t.is_empty() && slice(text, bounds, s, e) == Some(t.as_str());
                taken.push(if same { std::mem::take(t) } else { String::new() });
            });
            let written = serde_json::to_writer(&mut *json, doc);
            let mut back = taken.drain(..);
            for_each_span(doc, &mut |t, _, _| {
                if let Some(x) = back.next().filter(|x| !x.is_empty()) {
                    *t = x;
                }
            });
            written?;
        } else {
            serde_json::to_writer(&mut *json, doc)?;
        }
        packed.clear();
        packed.resize(4 + snap::raw::max_compress_len(json.len()), 0);
        packed[..3].copy_from_slice(&MAGIC);
        packed[3] = if slim { SLIM } else { WHOLE };
        let n = encoder
            .get_or_insert_with(snap::raw::Encoder::new)
            .compress(json, &mut packed[4..])
            .map_err(|e| StoreError::Other(e.to_string()))?;
        Ok(packed[..4 + n].to_vec())
    })
}

/// [`encode_mut`] of a document the caller keeps unchanged.
pub(crate) fn encode(doc: &Document, text: &str) -> Result<Vec<u8>, StoreError> {
    encode_mut(&mut doc.clone(), text)
}

/// A stored value: the JSON it holds and whether it is slim (`None`: plain JSON of an older store).
fn unpack(stored: &[u8]) -> Result<(Vec<u8>, bool), StoreError> {
    match stored {
        [m0, m1, m2, kind, frame @ ..] if [*m0, *m1, *m2] == MAGIC && (*kind == SLIM || *kind == WHOLE) => {
            let json = snap::raw::Decoder::new()
                .decompress_vec(frame)
                .map_err(|e| StoreError::Other(format!("stored document: {e}")))?;
            Ok((json, *kind == SLIM))
        }
        _ => Ok((stored.to_vec(), false)),
    }
}

/// The document stored as `stored` for an article of text `text`.
pub(crate) fn decode(stored: &[u8], text: &str) -> Result<Document, StoreError> {
    let (json, slim) = unpack(stored)?;
    let mut doc: Document = serde_json::from_slice(&json)?;
    if slim {
        let bounds = char_bounds(text);
        for_each_span(&mut doc, &mut |t, s, e| {
            if t.is_empty() {
                if let Some(x) = slice(text, &bounds, s, e) {
                    t.push_str(x);
                }
            }
        });
    }
    Ok(doc)
}

/// The document stored as `stored` as a JSON value, as written by `rasid extract`.
pub(crate) fn decode_value(stored: &[u8], text: &str) -> Result<serde_json::Value, StoreError> {
    let (json, slim) = unpack(stored)?;
    if !slim {
        return Ok(serde_json::from_slice(&json)?);
    }
    Ok(serde_json::from_str(&serde_json::to_string(&decode(stored, text)?)?)?)
}

/// Whether `stored` is the plain JSON of a store written before version 7 (migration 7 converts it).
pub(crate) fn is_plain(stored: &[u8]) -> bool {
    !stored.starts_with(&MAGIC)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use rasid_core::model::*;

    /// A document of `text` with a sentence, an attribution to the outlet and entities (one with offsets past
    /// the text, one empty).
    pub(crate) fn doc(text: &str) -> Document {
        let bounds = char_bounds(text);
        let cut = |s: usize, e: usize| text[bounds[s]..bounds[e]].to_string();
        let n = bounds.len() - 1;
        Document {
            id: "x".into(),
            lang: "ar".into(),
            published: None,
            source: Some("s".into()),
            title: None,
            url: None,
            format_version: 1,
            length: n,
            dateline: None,
            boilerplate: vec![],
            sentences: vec![Sentence {
                index: 0,
                start: 0,
                end: n,
                text: cut(0, n),
                kind: SentenceKind::Report,
                attribution: vec![Attribution {
                    kind: AttributionKind::Outlet,
                    text: "alarabia".into(),
                    name: None,
                    start: Some(0),
                    end: Some(3),
                }],
                duplicate_of: None,
                body: true,
            }],
            entities: vec![
                Entity { start: 0, end: 3, text: cut(0, 3), kind: "LOC".into(), sentence: 0, actor: None },
                // Offsets past the text: kept as written.
                Entity { start: 2, end: n + 5, text: "خارج".into(), kind: "LOC".into(), sentence: 0, actor: None },
                Entity { start: 1, end: 1, text: String::new(), kind: "LOC".into(), sentence: 0, actor: None },
            ],
            events: vec![],
            loaded: vec![],
            framing: Framing {
                sentences: 1,
                opinion_sentences: 0,
                opinion_share: 0.1,
                words: 2,
                loaded_per_1000_words: 0.3,
            },
        }
    }

    #[test]
    fn a_document_reads_back_as_written() {
        let text = "وصل الوزير إلى القاهرة Élysée.";
        let mut d = doc(text);
        let before = d.clone();
        let stored = encode_mut(&mut d, text).unwrap();
        assert_eq!(d, before, "the caller's document is unchanged");
        assert_eq!(stored[3], SLIM);
        assert_eq!(decode(&stored, text).unwrap(), before);
        let plain = serde_json::to_string(&before).unwrap();
        assert_eq!(decode_value(&stored, text).unwrap(), serde_json::from_str::<serde_json::Value>(&plain).unwrap());
        // An older store's plain JSON reads as it is.
        assert!(is_plain(plain.as_bytes()) && !is_plain(&stored));
        assert_eq!(decode(plain.as_bytes(), text).unwrap(), before);
        assert_eq!(
            decode_value(plain.as_bytes(), text).unwrap(),
            serde_json::from_str::<serde_json::Value>(&plain).unwrap()
        );
    }

    #[test]
    fn an_empty_text_over_characters_keeps_the_document_whole() {
        let text = "وصل الوزير";
        let mut d = doc(text);
        d.entities[0].text.clear();
        let stored = encode(&d, text).unwrap();
        assert_eq!(stored[3], WHOLE);
        assert_eq!(decode(&stored, text).unwrap(), d);
    }

    #[test]
    fn damaged_values_are_errors_not_panics() {
        for bad in [&b"\0rzS\xff\xff\xff"[..], b"\0rzS", b"", b"\0rz", b"{"] {
            assert!(decode(bad, "x").is_err(), "{bad:?}");
        }
    }
}
