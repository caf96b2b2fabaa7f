//! Article readers: plain text, HTML and JSON Lines files, directories and stdin, streamed as [`Article`]s.
//!
//! ```no_run
//! use rasid_input::{read_paths, ReadOptions};
//! let paths = vec![std::path::PathBuf::from("news/")];
//! for item in read_paths(&paths, &ReadOptions::default()) {
//!     match item {
//!         Ok(article) => println!("{} ({} bytes)", article.id, article.text.len()),
//!         Err(e) => eprintln!("{e}"), // e.g. `news/a.jsonl:12: missing field `text``; reading goes on
//!     }
//! }
//! ```
//!
//! # Formats
//! - **Text** (`.txt`, `.md`, anything not listed below): one article per file. The text is the file exactly as
//!   it is, a leading byte-order mark and trailing newlines included, so offsets computed on it index the file.
//!   The id is `ReadOptions::id` or the file stem.
//! - **HTML** (`.html`, `.htm`, `.xhtml`): one article per file, text extracted as described in [`html`]; the
//!   extracted text is the article text. Title, published date, site name, canonical URL and `lang` come from the
//!   markup; `ReadOptions::{id,published,source}` override them.
//! - **JSON Lines** (`.jsonl`, `.ndjson`): one article per line, fields `id` (string or integer; default
//!   `{stem}:{line}`), `text` (required), optional `title`, `published` (`YYYY-MM-DD`, or a timestamp whose date
//!   part is kept), `source`, `url`, `lang`; unknown fields are ignored, `null` or `""` counts as absent, blank
//!   lines are skipped. Read line by line with bounded memory ([`jsonl::max_line_bytes`]).
//! - **gzip**: any of the above with a further `.gz` (`ant-2018.jsonl.gz`) is decompressed while reading.
//! - **Directory**: walked recursively, entries in byte order of their names, hidden entries (`.name`) skipped,
//!   symbolic links to directories not followed; each file's format comes from its extension.
//! - **stdin** (`-`): gzip is recognised by its magic bytes, then the first non-blank byte decides: `{` JSON Lines,
//!   `<` HTML, anything else text. The stem (default id) of stdin is `stdin`.
//!
//! `ReadOptions::format` forces one format for every input.
//!
//! # Bad input
//! Each problem is one [`InputError`] naming the input (and line), and reading goes on with the next line or
//! file: unreadable paths, binary files (a NUL byte in the first [`BINARY_SNIFF_BYTES`] bytes), empty files and
//! empty texts, invalid UTF-8 (with its byte offset), malformed JSON (with serde_json's column), a missing `text`,
//! a bad `published`, and articles over [`ReadOptions::max_article_bytes`]. No input makes the reader panic.
//!
//! HTML that is not UTF-8 is decoded when it declares its charset (`windows-1256`, `iso-8859-6`, ...) in a
//! `<meta>`; text and JSON Lines must be UTF-8.

pub mod date;
mod error;
pub mod html;
pub mod jsonl;
pub mod nesting;
mod reader;
pub mod sidecar;

use std::path::Path;
use std::str::FromStr;

pub use error::InputError;
pub use reader::{read_paths, read_str, Reader};

/// The largest article text accepted, in bytes: 16 MiB.
///
/// A long news article is 10–100 KB; 16 MiB is over a hundred times that, so only a wrong input reaches it (a
/// whole dump in one record, a log file, a book). The limit bounds the memory one article can take in the
/// pipeline (a small multiple of its text for tokens and sentences), times the number of threads working at
/// once. Records are bounded too: an HTML file may be [`HTML_SIZE_FACTOR`] times the limit, a JSON line
/// [`jsonl::max_line_bytes`].
pub const DEFAULT_MAX_ARTICLE_BYTES: usize = 16 << 20;

/// How many times the article limit an HTML file may be (markup, scripts and styles outweigh the text).
pub const HTML_SIZE_FACTOR: usize = 4;

/// A file whose first this-many bytes contain a NUL is a binary file (as git and grep decide).
pub const BINARY_SNIFF_BYTES: usize = 8 << 10;

/// One news article and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Article {
    pub id: String,
    /// Never empty or only whitespace, at most [`ReadOptions::max_article_bytes`] bytes.
    pub text: String,
    pub title: Option<String>,
    /// `YYYY-MM-DD`.
    pub published: Option<String>,
    pub source: Option<String>,
    pub url: Option<String>,
    pub lang: Option<String>,
    pub origin: Origin,
}

/// Where an article was read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// The path as given or found in a directory walk; `-` for stdin.
    pub path: String,
    /// The 1-based line, for JSON Lines.
    pub line: Option<usize>,
}

/// An input format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Html,
    Jsonl,
}

impl Format {
    /// The format a file name implies: `.jsonl`/`.ndjson` JSON Lines, `.html`/`.htm`/`.xhtml` HTML, else text;
    /// a final `.gz` is looked through.
    pub fn from_path(path: &Path) -> Format {
        let name = path.file_name().map(|n| n.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
        let name = name.strip_suffix(".gz").unwrap_or(&name);
        match name.rsplit_once('.').map(|(_, ext)| ext) {
            Some("jsonl" | "ndjson") => Format::Jsonl,
            Some("html" | "htm" | "xhtml") => Format::Html,
            _ => Format::Text,
        }
    }
}

impl FromStr for Format {
    type Err = String;
    /// `text`/`txt`, `html`, `jsonl`/`ndjson` (for a `--input-format` flag).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "text" | "txt" => Ok(Format::Text),
            "html" | "htm" => Ok(Format::Html),
            "jsonl" | "ndjson" => Ok(Format::Jsonl),
            _ => Err(format!("unknown input format `{s}` (expected text, html or jsonl)")),
        }
    }
}

/// How to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadOptions {
    /// `None`: from the extension (files) or by sniffing (stdin).
    pub format: Option<Format>,
    /// See [`DEFAULT_MAX_ARTICLE_BYTES`].
    pub max_article_bytes: usize,
    /// Overrides for single-article files (text, HTML); JSON Lines records keep their own fields.
    pub id: Option<String>,
    /// Must be `YYYY-MM-DD` (see [`ReadOptions::check`]); an invalid value makes every text/HTML file an error.
    pub published: Option<String>,
    pub source: Option<String>,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            format: None,
            max_article_bytes: DEFAULT_MAX_ARTICLE_BYTES,
            id: None,
            published: None,
            source: None,
        }
    }
}

impl ReadOptions {
    /// Validate the options up front (a CLI calls this before reading): `published` must be `YYYY-MM-DD`.
    /// The error's path is `--published`.
    pub fn check(&self) -> Result<(), InputError> {
        match &self.published {
            Some(p) if date::parse_ymd(p).is_none() => {
                Err(InputError::BadDate { path: "--published".into(), line: None, value: p.clone() })
            }
            _ => Ok(()),
        }
    }
}

/// The default id of a single-article file: its name without `.gz` and without its last extension.
pub fn file_stem(path: &Path) -> String {
    if path.as_os_str() == "-" {
        return "stdin".into();
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.to_string_lossy().into_owned());
    let name = match name.len().checked_sub(3) {
        Some(i) if name.get(i..).is_some_and(|s| s.eq_ignore_ascii_case(".gz")) => &name[..i],
        _ => &name[..],
    };
    match name.rfind('.') {
        Some(i) if i > 0 => name[..i].to_owned(),
        _ => name.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_from_names() {
        assert_eq!(Format::from_path(Path::new("a/b.JSONL")), Format::Jsonl);
        assert_eq!(Format::from_path(Path::new("ant-2018.jsonl.gz")), Format::Jsonl);
        assert_eq!(Format::from_path(Path::new("x.ndjson")), Format::Jsonl);
        assert_eq!(Format::from_path(Path::new("x.htm")), Format::Html);
        assert_eq!(Format::from_path(Path::new("x.html.gz")), Format::Html);
        assert_eq!(Format::from_path(Path::new("x.md")), Format::Text);
        assert_eq!(Format::from_path(Path::new("x")), Format::Text);
        assert_eq!(Format::from_path(Path::new("x.gz")), Format::Text);
        assert_eq!("JSONL".parse::<Format>(), Ok(Format::Jsonl));
        assert!("xml".parse::<Format>().is_err());
    }

    #[test]
    fn stems() {
        assert_eq!(file_stem(Path::new("dir/ant-2018.jsonl.gz")), "ant-2018");
        assert_eq!(file_stem(Path::new("a.b.txt")), "a.b");
        assert_eq!(file_stem(Path::new(".hidden")), ".hidden");
        assert_eq!(file_stem(Path::new("noext")), "noext");
        assert_eq!(file_stem(Path::new("ملف.txt")), "ملف");
        assert_eq!(file_stem(Path::new("-")), "stdin");
    }

    #[test]
    fn check_options() {
        assert!(ReadOptions::default().check().is_ok());
        let o = ReadOptions { published: Some("2018-02-30".into()), ..ReadOptions::default() };
        assert_eq!(
            o.check().unwrap_err().to_string(),
            "--published: invalid published date `2018-02-30` (expected YYYY-MM-DD)"
        );
    }
}
