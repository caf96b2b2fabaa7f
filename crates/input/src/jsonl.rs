//! JSON Lines: a bounded line reader and the per-line record (`id`, `text`, optional metadata).
//!
//! Lines are read through a `BufRead` one at a time into one reused buffer, never more than the line limit:
//! a longer line is skipped to its end without being stored, so memory stays flat in file size and line length.

use std::fmt;
use std::io::{self, BufRead};

use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;

use crate::date::date_part;
use crate::{Article, InputError, Origin, ReadOptions};

/// How many times the article limit a JSON line may be.
pub const LINE_SIZE_FACTOR: usize = 4;

/// The longest JSON line read for an article limit of `max_article_bytes`: escapes (`\n`, `\u0627`) can take up
/// to three times the bytes of the UTF-8 text they encode, and the other fields (title, abstract, url) need room.
pub fn max_line_bytes(max_article_bytes: usize) -> usize {
    max_article_bytes.saturating_mul(LINE_SIZE_FACTOR)
}

/// What [`read_line`] found.
#[derive(Debug, PartialEq, Eq)]
pub enum LineRead {
    /// End of input, nothing read.
    Eof,
    /// A line is in the buffer, without its `\n` (or `\r\n`).
    Line,
    /// A line of this many bytes (without `\n`) exceeded the limit; it was consumed, not stored.
    TooLong(u64),
}

/// Read one line of at most `max` bytes into `buf` (cleared first).
pub fn read_line<R: BufRead>(r: &mut R, buf: &mut Vec<u8>, max: usize) -> io::Result<LineRead> {
    buf.clear();
    let mut len: u64 = 0;
    let mut any = false;
    let mut too_long = false;
    loop {
        let avail = match r.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if avail.is_empty() {
            break;
        }
        any = true;
        let (chunk_len, used, done) = match memchr::memchr(b'\n', avail) {
            Some(i) => (i, i + 1, true),
            None => (avail.len(), avail.len(), false),
        };
        len = len.saturating_add(chunk_len as u64);
        if !too_long {
            if buf.len() + chunk_len > max.saturating_add(1) {
                // One byte of slack for a `\r` before the `\n`, trimmed below.
                too_long = true;
                buf.clear();
            } else {
                buf.extend_from_slice(&avail[..chunk_len]);
            }
        }
        r.consume(used);
        if done {
            break;
        }
    }
    if !any {
        return Ok(LineRead::Eof);
    }
    if buf.last() == Some(&b'\r') {
        buf.pop();
        len = len.saturating_sub(1);
    }
    if too_long || buf.len() > max {
        buf.clear();
        return Ok(LineRead::TooLong(len));
    }
    Ok(LineRead::Line)
}

/// One JSON Lines record; unknown fields are ignored, `null` and `""` count as absent.
#[derive(Deserialize)]
#[serde(expecting = "a json object")]
struct Record {
    #[serde(default, deserialize_with = "string_or_number")]
    id: Option<String>,
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    published: Option<String>,
    #[serde(default)]
    source: Option<String>,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    lang: Option<String>,
}

/// An `id` may be a string or an integer (`"id": 17`).
fn string_or_number<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    struct V;
    impl<'de> Visitor<'de> for V {
        type Value = Option<String>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a string or an integer")
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(Some(v.to_owned()))
        }
        fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
            Ok(Some(v))
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
            Ok(Some(v.to_string()))
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
            Ok(Some(v.to_string()))
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_any(V)
        }
    }
    d.deserialize_option(V)
}

fn nonempty(s: Option<String>) -> Option<String> {
    s.filter(|s| !s.trim().is_empty())
}

/// Turn one non-blank line (`line` is its 1-based number) into an article.
pub fn parse_line(
    bytes: &[u8],
    path: &str,
    stem: &str,
    line: usize,
    opts: &ReadOptions,
) -> Result<Article, InputError> {
    let s = std::str::from_utf8(bytes).map_err(|e| InputError::InvalidUtf8 {
        path: path.to_owned(),
        line: Some(line),
        offset: e.valid_up_to(),
    })?;
    // Serde would also take a struct from an array (`["id", "text"]`): only objects are records.
    if let Some(i) = s.bytes().position(|b| !b.is_ascii_whitespace()) {
        if s.as_bytes()[i] != b'{' {
            return Err(InputError::Json {
                path: path.to_owned(),
                line,
                column: i + 1,
                message: "expected a json object".into(),
            });
        }
    }
    let rec: Record = serde_json::from_str(s).map_err(|e| {
        let full = e.to_string();
        let suffix = format!(" at line {} column {}", e.line(), e.column());
        let message = full.strip_suffix(&suffix).unwrap_or(&full).to_owned();
        InputError::Json { path: path.to_owned(), line, column: e.column(), message }
    })?;
    let Some(text) = rec.text else {
        return Err(InputError::MissingText { path: path.to_owned(), line });
    };
    if text.trim().is_empty() {
        return Err(InputError::EmptyText { path: path.to_owned(), line: Some(line) });
    }
    if text.len() > opts.max_article_bytes {
        return Err(InputError::TooLarge {
            path: path.to_owned(),
            line: Some(line),
            what: "article",
            size: text.len() as u64,
            at_least: false,
            limit: opts.max_article_bytes,
        });
    }
    let published = match nonempty(rec.published) {
        None => None,
        Some(p) => match date_part(&p) {
            Some(d) => Some(d.to_owned()),
            None => return Err(InputError::BadDate { path: path.to_owned(), line: Some(line), value: p }),
        },
    };
    Ok(Article {
        id: nonempty(rec.id).unwrap_or_else(|| format!("{stem}:{line}")),
        text,
        title: nonempty(rec.title),
        published,
        source: nonempty(rec.source),
        url: nonempty(rec.url),
        lang: nonempty(rec.lang),
        origin: Origin { path: path.to_owned(), line: Some(line) },
    })
}

/// The articles of one JSON Lines stream, line by line.
pub struct JsonlStream<R> {
    reader: R,
    path: String,
    stem: String,
    line: usize,
    articles_or_errors: usize,
    done: bool,
}

impl<R: BufRead> JsonlStream<R> {
    pub fn new(reader: R, path: String, stem: String) -> Self {
        JsonlStream { reader, path, stem, line: 0, articles_or_errors: 0, done: false }
    }

    /// The next article or error, or `None` at the end (after an I/O error the stream ends).
    pub fn next_item(&mut self, buf: &mut Vec<u8>, opts: &ReadOptions) -> Option<Result<Article, InputError>> {
        while !self.done {
            let got = read_line(&mut self.reader, buf, max_line_bytes(opts.max_article_bytes));
            let item = match got {
                Err(source) => {
                    self.done = true;
                    Err(InputError::Io { path: self.path.clone(), line: Some(self.line + 1), source })
                }
                Ok(LineRead::Eof) => {
                    self.done = true;
                    if self.articles_or_errors > 0 {
                        return None;
                    }
                    // Only blank lines: as good as an empty file.
                    Err(InputError::EmptyFile { path: self.path.clone() })
                }
                Ok(LineRead::TooLong(size)) => {
                    self.line += 1;
                    Err(InputError::TooLarge {
                        path: self.path.clone(),
                        line: Some(self.line),
                        what: "json line",
                        size,
                        at_least: false,
                        limit: max_line_bytes(opts.max_article_bytes),
                    })
                }
                Ok(LineRead::Line) => {
                    self.line += 1;
                    let mut bytes = buf.as_slice();
                    if self.line == 1 {
                        bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
                    }
                    if bytes.iter().all(u8::is_ascii_whitespace) {
                        continue;
                    }
                    parse_line(bytes, &self.path, &self.stem, self.line, opts)
                }
            };
            self.articles_or_errors += 1;
            return Some(item);
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(data: &[u8], max: usize) -> Vec<Result<String, u64>> {
        let mut r = io::BufReader::with_capacity(4, data);
        let mut buf = Vec::new();
        let mut out = Vec::new();
        loop {
            match read_line(&mut r, &mut buf, max).unwrap() {
                LineRead::Eof => return out,
                LineRead::Line => out.push(Ok(String::from_utf8(buf.clone()).unwrap())),
                LineRead::TooLong(n) => out.push(Err(n)),
            }
        }
    }

    #[test]
    fn bounded_lines() {
        assert_eq!(lines(b"ab\r\ncdefgh\n\nxyz", 4), vec![Ok("ab".into()), Err(6), Ok("".into()), Ok("xyz".into())]);
        assert_eq!(lines(b"abcd\r\nabcde\n", 4), vec![Ok("abcd".into()), Err(5)]);
        assert_eq!(lines(b"", 4), vec![]);
        assert_eq!(lines(b"\n", 4), vec![Ok("".into())]);
    }

    fn parse(line: &str) -> Result<Article, InputError> {
        parse_line(line.as_bytes(), "f.jsonl", "f", 7, &ReadOptions::default())
    }

    #[test]
    fn records() {
        let a = parse(r#"{"id":"x1","text":"نص الخبر","title":"t","published":"2018-02-18T09:00:00Z","source":"s","url":"u","lang":"ar","extra":[1,{"a":2}]}"#).unwrap();
        assert_eq!(a.id, "x1");
        assert_eq!(a.text, "نص الخبر");
        assert_eq!(a.published.as_deref(), Some("2018-02-18"));
        assert_eq!(
            (a.title.as_deref(), a.source.as_deref(), a.url.as_deref(), a.lang.as_deref()),
            (Some("t"), Some("s"), Some("u"), Some("ar"))
        );
        assert_eq!(a.origin, Origin { path: "f.jsonl".into(), line: Some(7) });
        let a = parse(r#"{"text":"a\nb","id":null,"title":"","published":null}"#).unwrap();
        assert_eq!((a.id.as_str(), a.text.as_str(), a.title, a.published), ("f:7", "a\nb", None, None));
        assert_eq!(parse(r#"{"id":42,"text":"a"}"#).unwrap().id, "42");
    }

    #[test]
    fn bad_records() {
        let e = parse(r#"{"id":"x"}"#).unwrap_err();
        assert_eq!(e.to_string(), "f.jsonl:7: missing field `text`");
        let e = parse(r#"{"id":"x","text":" \n"}"#).unwrap_err();
        assert_eq!(e.to_string(), "f.jsonl:7: empty text");
        let e = parse(r#"{"id":"x","text":"a","published":"18/02/2018"}"#).unwrap_err();
        assert_eq!(e.to_string(), "f.jsonl:7: invalid published date `18/02/2018` (expected YYYY-MM-DD)");
        let e = parse(r#"{"id":"x","text":"a",}"#).unwrap_err();
        assert_eq!(e.to_string(), "f.jsonl:7: malformed json at column 22: trailing comma");
        let e = parse(r#"[1]"#).unwrap_err();
        assert_eq!(e.to_string(), "f.jsonl:7: malformed json at column 1: expected a json object");
        let e = parse(r#"{"text":5}"#).unwrap_err();
        assert!(matches!(e, InputError::Json { column: 9, .. }), "{e}");
        let e = parse_line(b"{\"text\":\"a\xffb\"}", "f.jsonl", "f", 2, &ReadOptions::default()).unwrap_err();
        assert_eq!(e.to_string(), "f.jsonl:2: invalid utf-8 at byte 10 of the line");
        let opts = ReadOptions { max_article_bytes: 3, ..ReadOptions::default() };
        let e = parse_line(br#"{"text":"abcd"}"#, "f.jsonl", "f", 1, &opts).unwrap_err();
        assert_eq!(e.to_string(), "f.jsonl:1: article of 4 bytes is over the limit of 3 bytes");
    }
}
