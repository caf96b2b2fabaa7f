//! Metadata sidecars of single-article files: `story.meta.json` beside `story.txt`, `story.ar.txt` or
//! `story.html` gives the article's id, publication date, outlet, title, url and language.
//!
//! A sidecar is a JSON object; the keys above are read, other keys (notes, file names) are ignored. Options given
//! on the command line win over the sidecar, and the sidecar over what an HTML page says of itself.

use crate::date::date_part;
use crate::InputError;
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// The suffix that marks a sidecar (directory walks skip such files: they are not articles).
pub const SUFFIX: &str = ".meta.json";

/// Sidecars larger than this are refused (metadata is a few hundred bytes).
const MAX_BYTES: u64 = 1 << 20;

/// What a sidecar says of its article (every value trimmed and non-empty).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct Sidecar {
    pub id: Option<String>,
    /// `YYYY-MM-DD`, or a timestamp starting with one.
    pub published: Option<String>,
    pub source: Option<String>,
    pub title: Option<String>,
    pub url: Option<String>,
    pub lang: Option<String>,
}

/// A file name's base and language tag: `story.ar` → (`story`, `ar`); a tag is two ASCII lower-case letters.
pub fn split_language(stem: &str) -> (&str, Option<&str>) {
    match stem.rsplit_once('.') {
        Some((base, tag)) if !base.is_empty() && tag.len() == 2 && tag.bytes().all(|b| b.is_ascii_lowercase()) => {
            (base, Some(tag))
        }
        _ => (stem, None),
    }
}

/// The sidecar of the article file `path`, if one exists: `<base>.meta.json`, else `<stem>.meta.json`, where
/// `stem` is the file name without its extension (and `.gz`) and `base` the stem without a language tag.
pub fn find(path: &Path) -> Result<Option<Sidecar>, InputError> {
    let stem = crate::file_stem(path);
    let (base, _) = split_language(&stem);
    let dir = path.parent().unwrap_or(Path::new(""));
    let candidates: [PathBuf; 2] = [dir.join(format!("{base}{SUFFIX}")), dir.join(format!("{stem}{SUFFIX}"))];
    for candidate in candidates.iter().take(if base == stem { 1 } else { 2 }) {
        if candidate.as_path() == path || !candidate.is_file() {
            continue;
        }
        return read(candidate).map(Some);
    }
    Ok(None)
}

fn read(path: &Path) -> Result<Sidecar, InputError> {
    let name = path.display().to_string();
    let error = |message: String| InputError::Sidecar { path: name.clone(), message };
    let size = std::fs::metadata(path).map_err(|e| error(format!("cannot read: {e}")))?.len();
    if size > MAX_BYTES {
        return Err(error(format!("{size} bytes is over the limit of {MAX_BYTES} bytes")));
    }
    let bytes = std::fs::read(path).map_err(|e| error(format!("cannot read: {e}")))?;
    parse(&bytes).map_err(error)
}

/// Parses and checks a sidecar's bytes; the error message names the bad key or the JSON position.
pub fn parse(bytes: &[u8]) -> Result<Sidecar, String> {
    let raw: Sidecar = serde_json::from_slice(bytes).map_err(|e| format!("malformed json: {e}"))?;
    let clean = |v: Option<String>| v.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
    let published = match clean(raw.published) {
        None => None,
        Some(p) => Some(
            date_part(&p)
                .map(str::to_owned)
                .ok_or_else(|| format!("invalid published date `{p}` (expected YYYY-MM-DD)"))?,
        ),
    };
    Ok(Sidecar {
        id: clean(raw.id),
        published,
        source: clean(raw.source),
        title: clean(raw.title),
        url: clean(raw.url),
        lang: clean(raw.lang),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_tags() {
        assert_eq!(split_language("story.ar"), ("story", Some("ar")));
        assert_eq!(split_language("a.b"), ("a.b", None));
        assert_eq!(split_language("report.v2"), ("report.v2", None));
        assert_eq!(split_language(".ar"), (".ar", None));
        assert_eq!(split_language("plain"), ("plain", None));
    }

    #[test]
    fn parses_known_keys_and_ignores_others() {
        let s =
            parse(br#"{"id":" x ","published":"2024-02-18T10:00:00Z","source":"","note":"n","file":"f","lang":"ar"}"#)
                .unwrap();
        assert_eq!(
            s,
            Sidecar {
                id: Some("x".into()),
                published: Some("2024-02-18".into()),
                lang: Some("ar".into()),
                ..Sidecar::default()
            }
        );
    }

    #[test]
    fn bad_sidecars_say_why() {
        assert!(parse(b"{").unwrap_err().starts_with("malformed json"));
        assert!(parse(b"[1]").unwrap_err().starts_with("malformed json"));
        assert_eq!(
            parse(br#"{"published":"18/02/2024"}"#).unwrap_err(),
            "invalid published date `18/02/2024` (expected YYYY-MM-DD)"
        );
        assert!(parse(br#"{"id":3}"#).unwrap_err().starts_with("malformed json"));
    }
}
