//! Reading CoNLL-style training data: one `token TAG` per line, blank line between sentences.

use crate::tags::NerTag;

/// One annotated sentence: surface words and their gold BIO tags (same length).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sentence {
    pub words: Vec<String>,
    pub tags: Vec<NerTag>,
}

/// A malformed line in a training file.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CorpusError {
    #[error("{name}:{line}: expected `token TAG`, found `{text}`")]
    MissingTag { name: String, line: usize, text: String },
    #[error("{name}:{line}: unknown tag `{tag}`")]
    UnknownTag { name: String, line: usize, tag: String },
}

/// Parses a CoNLL-style file; `name` is used in error messages.
///
/// The tag is the last whitespace-separated field, the token everything before it (ANERcorp has a few tokens
/// that contain a space). Blank lines end sentences; lines starting with `-DOCSTART-` are skipped.
pub fn read_conll(name: &str, text: &str) -> Result<Vec<Sentence>, CorpusError> {
    let mut out = Vec::new();
    let mut cur = Sentence::default();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            if !cur.words.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        if line.starts_with("-DOCSTART-") {
            continue;
        }
        let Some(split) = line.rfind(char::is_whitespace) else {
            return Err(CorpusError::MissingTag { name: name.to_string(), line: n + 1, text: line.to_string() });
        };
        let (word, tag) = (line[..split].trim_end(), line[split..].trim());
        let Some(tag) = NerTag::parse(tag) else {
            return Err(CorpusError::UnknownTag { name: name.to_string(), line: n + 1, tag: tag.to_string() });
        };
        cur.words.push(word.to_string());
        cur.tags.push(tag);
    }
    if !cur.words.is_empty() {
        out.push(cur);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tags::EntityType;

    #[test]
    fn reads_sentences_and_odd_tokens() {
        let s = read_conll("t", "زار O\nعمان B-LOC\n\n\nفي O\n. x O\n").unwrap();
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].tags[1], NerTag::B(EntityType::Loc));
        assert_eq!(s[1].words[1], ". x");
    }

    #[test]
    fn reports_place_of_errors() {
        let e = read_conll("train.txt", "زار O\nعمان B-PLACE\n").unwrap_err();
        assert_eq!(e.to_string(), "train.txt:2: unknown tag `B-PLACE`");
        let e = read_conll("train.txt", "زار\n").unwrap_err();
        assert_eq!(e.to_string(), "train.txt:1: expected `token TAG`, found `زار`");
    }
}
