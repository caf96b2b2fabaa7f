//! The reader's error type: every error names the input (path, and line for JSON Lines) and the cause.

use std::fmt;
use std::io;

/// Where an error happened: `{path}:{line}` or `{path}`.
struct Loc<'a>(&'a str, Option<usize>);

impl fmt::Display for Loc<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.1 {
            Some(line) => write!(f, "{}:{}", self.0, line),
            None => f.write_str(self.0),
        }
    }
}

/// An OS message (`No such file or directory (os error 2)`) with its first letter lower-cased, as house style
/// wants error messages.
struct Lower<'a>(&'a io::Error);

impl fmt::Display for Lower<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = self.0.to_string();
        let mut chars = s.chars();
        match chars.next() {
            Some(c) => {
                for l in c.to_lowercase() {
                    f.write_fmt(format_args!("{l}"))?;
                }
                f.write_str(chars.as_str())
            }
            None => Ok(()),
        }
    }
}

/// One bad input: a file, a line or an option. The reader reports it and goes on with the next article.
///
/// `Display` gives `{path}:{line}: {cause}` (JSON Lines) or `{path}: {cause}`, lower-case, no trailing period.
#[non_exhaustive]
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    /// The path could not be opened or read (missing, permission, a read error mid-file, a corrupt gzip stream).
    #[error("{}: cannot read: {}", Loc(path, *line), Lower(source))]
    Io {
        path: String,
        /// The line being read when the error happened (JSON Lines), if any.
        line: Option<usize>,
        #[source]
        source: io::Error,
    },
    /// A directory could not be listed.
    #[error("{path}: cannot read directory: {}", Lower(source))]
    Dir {
        path: String,
        #[source]
        source: io::Error,
    },
    /// A NUL byte in the first [`crate::BINARY_SNIFF_BYTES`] bytes.
    #[error("{path}: binary file (nul byte at byte {offset})")]
    Binary { path: String, offset: usize },
    /// A file with no bytes at all.
    #[error("{path}: empty file")]
    EmptyFile { path: String },
    /// An article whose text is empty or only whitespace.
    #[error("{}: empty text", Loc(path, *line))]
    EmptyText { path: String, line: Option<usize> },
    /// Bytes that are not UTF-8. `offset` counts from the start of the file, or of the line for JSON Lines
    /// (0-based, in bytes).
    #[error("{}: invalid utf-8 at byte {offset}{}", Loc(path, *line), if line.is_some() { " of the line" } else { "" })]
    InvalidUtf8 { path: String, line: Option<usize>, offset: usize },
    /// A JSON Lines line that is not a JSON object of the expected shape; `column` is serde_json's (1-based, in
    /// bytes of the line).
    #[error("{}: malformed json at column {column}: {message}", Loc(path, Some(*line)))]
    Json { path: String, line: usize, column: usize, message: String },
    /// A JSON Lines record without a `text` field (or with `"text": null`).
    #[error("{path}:{line}: missing field `text`")]
    MissingText { path: String, line: usize },
    /// A `published` value (record field or `--published`) that is not `YYYY-MM-DD` or a timestamp starting with one.
    #[error("{}: invalid published date `{value}` (expected YYYY-MM-DD)", Loc(path, *line))]
    BadDate { path: String, line: Option<usize>, value: String },
    /// An article, or the record holding it (an HTML file, a JSON line), over its size limit. `size` is exact
    /// unless `at_least` (a stream cut off at the limit).
    #[error("{}: {what} of {}{size} bytes is over the limit of {limit} bytes", Loc(path, *line), if *at_least { "more than " } else { "" })]
    TooLarge {
        path: String,
        line: Option<usize>,
        /// `article`, `html file` or `json line`.
        what: &'static str,
        size: u64,
        at_least: bool,
        limit: usize,
    },
    /// A metadata sidecar (`story.meta.json`) that cannot be read or is not valid; its article is not read.
    #[error("{path}: bad metadata sidecar: {message}")]
    Sidecar { path: String, message: String },
}

impl InputError {
    /// The input the error is about (`-` for stdin).
    pub fn path(&self) -> &str {
        match self {
            InputError::Io { path, .. }
            | InputError::Dir { path, .. }
            | InputError::Binary { path, .. }
            | InputError::EmptyFile { path }
            | InputError::EmptyText { path, .. }
            | InputError::InvalidUtf8 { path, .. }
            | InputError::Json { path, .. }
            | InputError::MissingText { path, .. }
            | InputError::BadDate { path, .. }
            | InputError::TooLarge { path, .. }
            | InputError::Sidecar { path, .. } => path,
        }
    }

    /// The 1-based line (JSON Lines), if the error is about one line.
    pub fn line(&self) -> Option<usize> {
        match self {
            InputError::Json { line, .. } | InputError::MissingText { line, .. } => Some(*line),
            InputError::Io { line, .. }
            | InputError::EmptyText { line, .. }
            | InputError::InvalidUtf8 { line, .. }
            | InputError::BadDate { line, .. }
            | InputError::TooLarge { line, .. } => *line,
            InputError::Dir { .. }
            | InputError::Binary { .. }
            | InputError::EmptyFile { .. }
            | InputError::Sidecar { .. } => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_path_and_line() {
        let e = InputError::MissingText { path: "a.jsonl".into(), line: 3 };
        assert_eq!(e.to_string(), "a.jsonl:3: missing field `text`");
        assert_eq!(e.line(), Some(3));
        let e = InputError::InvalidUtf8 { path: "a.txt".into(), line: None, offset: 7 };
        assert_eq!(e.to_string(), "a.txt: invalid utf-8 at byte 7");
        let e = InputError::TooLarge {
            path: "-".into(),
            line: Some(2),
            what: "article",
            size: 10,
            at_least: true,
            limit: 9,
        };
        assert_eq!(e.to_string(), "-:2: article of more than 10 bytes is over the limit of 9 bytes");
        assert_eq!(e.path(), "-");
    }
}
