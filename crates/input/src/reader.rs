//! The streaming reader: expands directories, opens files, gzip and stdin, sniffs binary content and format,
//! and yields one article or error at a time.

use std::collections::VecDeque;
use std::fs::{self, File};
use std::io::{self, BufReader, Chain, Cursor, Read};
use std::path::{Path, PathBuf};

use flate2::read::MultiGzDecoder;

use crate::date::parse_ymd;
use crate::jsonl::JsonlStream;
use crate::sidecar::{self, Sidecar};
use crate::{file_stem, html, Article, Format, InputError, Origin, ReadOptions, BINARY_SNIFF_BYTES, HTML_SIZE_FACTOR};

type Item = Result<Article, InputError>;
type DynRead = Box<dyn Read + Send>;
type Stream<R> = BufReader<Chain<Cursor<Vec<u8>>, R>>;

/// Buffer for JSON Lines streams: large reads, few syscalls.
const READ_BUFFER: usize = 64 << 10;

enum Job {
    Path(PathBuf),
    Stdin,
    Error(InputError),
}

/// Articles (or errors) from many paths, in order, one input open at a time; see [`read_paths`].
pub struct Reader {
    opts: ReadOptions,
    jobs: VecDeque<Job>,
    current: Option<JsonlStream<Stream<DynRead>>>,
    buf: Vec<u8>,
}

/// Read every article under `paths` (files, directories, `-` for stdin), lazily and in order.
pub fn read_paths(paths: &[PathBuf], opts: &ReadOptions) -> Reader {
    Reader {
        opts: opts.clone(),
        jobs: paths.iter().map(|p| if p.as_os_str() == "-" { Job::Stdin } else { Job::Path(p.clone()) }).collect(),
        current: None,
        buf: Vec::new(),
    }
}

/// Read the articles of one in-memory input named `name` (used for its stem and in errors) in `format`.
pub fn read_str(name: &str, data: &[u8], format: Format, opts: &ReadOptions) -> Vec<Item> {
    let stem = file_stem(Path::new(name));
    match open_stream(name, stem, data, Some(format), Some(data.len() as u64), opts, None) {
        Opened::One(item) => vec![item],
        Opened::Lines(mut lines) => {
            let mut buf = Vec::new();
            std::iter::from_fn(|| lines.next_item(&mut buf, opts)).collect()
        }
    }
}

impl Iterator for Reader {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        loop {
            if let Some(cur) = &mut self.current {
                if let Some(item) = cur.next_item(&mut self.buf, &self.opts) {
                    return Some(item);
                }
                self.current = None;
            }
            let opened = match self.jobs.pop_front()? {
                Job::Error(e) => return Some(Err(e)),
                Job::Stdin => match stdin_reader() {
                    Ok(raw) => open_stream("-", "stdin".into(), raw, self.opts.format, None, &self.opts, None),
                    Err(source) => Opened::One(Err(io_error("-", source))),
                },
                Job::Path(path) => {
                    let name = path.display().to_string();
                    match fs::metadata(&path) {
                        Err(source) => return Some(Err(io_error(&name, source))),
                        Ok(m) if m.is_dir() => {
                            let mut found = Vec::new();
                            walk(&path, &mut found);
                            for job in found.into_iter().rev() {
                                self.jobs.push_front(job);
                            }
                            continue;
                        }
                        Ok(m) => match File::open(&path) {
                            Err(source) => return Some(Err(io_error(&name, source))),
                            Ok(file) => {
                                let gz = is_gz(&path);
                                let raw: DynRead = if gz {
                                    Box::new(MultiGzDecoder::new(BufReader::new(file)))
                                } else {
                                    Box::new(file)
                                };
                                let format = self.opts.format.unwrap_or_else(|| Format::from_path(&path));
                                let size = (!gz).then_some(m.len());
                                let meta = match format {
                                    Format::Jsonl => None,
                                    Format::Text | Format::Html => match sidecar::find(&path) {
                                        Ok(meta) => meta,
                                        Err(e) => return Some(Err(e)),
                                    },
                                };
                                let stem = file_stem(&path);
                                open_stream(&name, stem, raw, Some(format), size, &self.opts, meta)
                            }
                        },
                    }
                }
            };
            match opened {
                Opened::One(item) => return Some(item),
                Opened::Lines(lines) => self.current = Some(lines),
            }
        }
    }
}

fn is_gz(path: &Path) -> bool {
    path.extension().is_some_and(|e| e.eq_ignore_ascii_case("gz"))
}

fn io_error(path: &str, source: io::Error) -> InputError {
    InputError::Io { path: path.to_owned(), line: None, source }
}

/// Stdin, decompressed when it starts with the gzip magic bytes.
fn stdin_reader() -> io::Result<DynRead> {
    let mut stdin = io::stdin();
    let mut magic = Vec::with_capacity(2);
    (&mut stdin).take(2).read_to_end(&mut magic)?;
    let gz = magic == [0x1f, 0x8b];
    let raw = Cursor::new(magic).chain(stdin);
    Ok(if gz { Box::new(MultiGzDecoder::new(BufReader::new(raw))) } else { Box::new(raw) })
}

/// Append the files under `dir` to `out` in sorted order, hidden entries skipped, directory symlinks not
/// followed (no cycles), special files (fifos, sockets) skipped so that nothing blocks.
fn walk(dir: &Path, out: &mut Vec<Job>) {
    let dir_error = |source| Job::Error(InputError::Dir { path: dir.display().to_string(), source });
    let entries = match fs::read_dir(dir) {
        Ok(rd) => rd,
        Err(e) => return out.push(dir_error(e)),
    };
    let mut list = Vec::new();
    for entry in entries {
        match entry {
            Ok(e) => list.push(e),
            Err(e) => out.push(dir_error(e)),
        }
    }
    list.sort_by_key(|e| e.file_name());
    for entry in list {
        let file_name = entry.file_name();
        // Hidden entries, and metadata sidecars (read with their article, not as articles).
        if file_name.as_encoded_bytes().starts_with(b".")
            || file_name.as_encoded_bytes().ends_with(sidecar::SUFFIX.as_bytes())
        {
            continue;
        }
        let path = entry.path();
        match entry.file_type() {
            Ok(t) if t.is_dir() => walk(&path, out),
            Ok(t) if t.is_file() => out.push(Job::Path(path)),
            Ok(t) if t.is_symlink() => match fs::metadata(&path) {
                Ok(m) if m.is_dir() => {}
                Ok(m) if !m.is_file() => {}
                // A broken link is reported when it is opened.
                _ => out.push(Job::Path(path)),
            },
            Ok(_) => {}
            Err(source) => out.push(Job::Error(io_error(&path.display().to_string(), source))),
        }
    }
}

enum Opened<R> {
    One(Item),
    Lines(JsonlStream<Stream<R>>),
}

/// `format` of `None` sniffs the first non-blank byte. `size` is the input's byte length when known
/// (uncompressed files), to refuse an oversized file without reading it.
fn open_stream<R: Read>(
    path: &str,
    stem: String,
    mut raw: R,
    format: Option<Format>,
    size: Option<u64>,
    opts: &ReadOptions,
    meta: Option<Sidecar>,
) -> Opened<R> {
    let mut head = Vec::with_capacity(BINARY_SNIFF_BYTES.min(size.unwrap_or(u64::MAX) as usize));
    if let Err(source) = (&mut raw).take(BINARY_SNIFF_BYTES as u64).read_to_end(&mut head) {
        return Opened::One(Err(io_error(path, source)));
    }
    if head.is_empty() {
        return Opened::One(Err(InputError::EmptyFile { path: path.to_owned() }));
    }
    if let Some(offset) = memchr::memchr(0, &head) {
        return Opened::One(Err(InputError::Binary { path: path.to_owned(), offset }));
    }
    let format = format.unwrap_or_else(|| sniff(&head));
    let (limit, what) = match format {
        Format::Jsonl => {
            let reader = BufReader::with_capacity(READ_BUFFER, Cursor::new(head).chain(raw));
            return Opened::Lines(JsonlStream::new(reader, path.to_owned(), stem));
        }
        Format::Text => (opts.max_article_bytes, "article"),
        Format::Html => (opts.max_article_bytes.saturating_mul(HTML_SIZE_FACTOR), "html file"),
    };
    let too_large =
        |size, at_least| InputError::TooLarge { path: path.to_owned(), line: None, what, size, at_least, limit };
    if let Some(size) = size.filter(|&s| s > limit as u64) {
        return Opened::One(Err(too_large(size, false)));
    }
    let mut data = head;
    let rest = (limit as u64).saturating_add(1).saturating_sub(data.len() as u64);
    if let Err(source) = raw.take(rest).read_to_end(&mut data) {
        return Opened::One(Err(io_error(path, source)));
    }
    if data.len() > limit {
        return Opened::One(Err(too_large(limit as u64, true)));
    }
    Opened::One(single(path, stem, data, format, opts, meta.unwrap_or_default()))
}

/// `{` JSON Lines, `<` HTML, else text, after a byte-order mark and blanks.
fn sniff(head: &[u8]) -> Format {
    let head = head.strip_prefix("\u{feff}".as_bytes()).unwrap_or(head);
    match head.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'{') => Format::Jsonl,
        Some(b'<') => Format::Html,
        _ => Format::Text,
    }
}

/// One text or HTML article from the whole input.
/// Metadata comes from `opts` first, then the sidecar `meta`, then the page itself (HTML); the id falls back to
/// the file name without its language tag (`story.ar.txt` → `story`, language `ar`).
fn single(path: &str, stem: String, data: Vec<u8>, format: Format, opts: &ReadOptions, meta: Sidecar) -> Item {
    let text = match String::from_utf8(data) {
        Ok(text) => text,
        Err(e) => {
            // HTML text is extracted anyway, so a declared legacy charset can be decoded; a text file must stay
            // byte-for-byte what it is (offsets index it), so it is never transcoded.
            let decoded = (format == Format::Html).then(|| html::decode_declared(e.as_bytes())).flatten();
            decoded.ok_or_else(|| InputError::InvalidUtf8 {
                path: path.to_owned(),
                line: None,
                offset: e.utf8_error().valid_up_to(),
            })?
        }
    };
    let published = match &opts.published {
        Some(p) if parse_ymd(p).is_none() => {
            return Err(InputError::BadDate { path: path.to_owned(), line: None, value: p.clone() })
        }
        p => p.clone().or(meta.published),
    };
    let (text, extracted) = match format {
        Format::Html => {
            let mut x = html::extract(&text);
            (std::mem::take(&mut x.text), Some(x))
        }
        _ => (text, None),
    };
    if text.trim().is_empty() {
        return Err(InputError::EmptyText { path: path.to_owned(), line: None });
    }
    if text.len() > opts.max_article_bytes {
        return Err(InputError::TooLarge {
            path: path.to_owned(),
            line: None,
            what: "article",
            size: text.len() as u64,
            at_least: false,
            limit: opts.max_article_bytes,
        });
    }
    let x = extracted.unwrap_or_default();
    let (base, tag) = sidecar::split_language(&stem);
    Ok(Article {
        id: opts.id.clone().or(meta.id).unwrap_or_else(|| base.to_owned()),
        text,
        title: meta.title.or(x.title),
        published: published.or(x.published),
        source: opts.source.clone().or(meta.source).or(x.source),
        url: meta.url.or(x.url),
        lang: meta.lang.or(x.lang).or_else(|| tag.map(str::to_owned)),
        origin: Origin { path: path.to_owned(), line: None },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(name: &str, data: &str, format: Format) -> Item {
        let mut v = read_str(name, data.as_bytes(), format, &ReadOptions::default());
        assert_eq!(v.len(), 1);
        v.remove(0)
    }

    #[test]
    fn text_is_kept_exactly() {
        let data = "\u{feff}سطر أول\r\n\nسطر ثان  \n";
        let a = one("dir/خبر.txt", data, Format::Text).unwrap();
        assert_eq!(a.text, data);
        assert_eq!(a.id, "خبر");
        assert_eq!(a.origin, Origin { path: "dir/خبر.txt".into(), line: None });
        assert_eq!(a.title, None);
    }

    #[test]
    fn overrides_apply_to_single_articles() {
        let opts = ReadOptions {
            id: Some("my-id".into()),
            published: Some("2021-05-06".into()),
            source: Some("src".into()),
            ..ReadOptions::default()
        };
        let html = "<html><head><meta property='og:site_name' content='Site'>\
                    <meta property='article:published_time' content='2020-01-01'></head><body><p>نص</p></body></html>";
        let a = read_str("a.html", html.as_bytes(), Format::Html, &opts).remove(0).unwrap();
        assert_eq!(
            (a.id.as_str(), a.published.as_deref(), a.source.as_deref()),
            ("my-id", Some("2021-05-06"), Some("src"))
        );
        let a = read_str("a.html", html.as_bytes(), Format::Html, &ReadOptions::default()).remove(0).unwrap();
        assert_eq!(
            (a.id.as_str(), a.published.as_deref(), a.source.as_deref()),
            ("a", Some("2020-01-01"), Some("Site"))
        );
        // JSON Lines records keep their own fields.
        let a = read_str("a.jsonl", br#"{"id":"r","text":"t"}"#, Format::Jsonl, &opts).remove(0).unwrap();
        assert_eq!((a.id.as_str(), a.published, a.source), ("r", None, None));
        let bad = ReadOptions { published: Some("2021-5-6".into()), ..ReadOptions::default() };
        let e = read_str("a.txt", b"text", Format::Text, &bad).remove(0).unwrap_err();
        assert_eq!(e.to_string(), "a.txt: invalid published date `2021-5-6` (expected YYYY-MM-DD)");
    }

    #[test]
    fn jsonl_lines_and_errors_in_order() {
        let data = b"{\"id\":\"a\",\"text\":\"one\"}\n\n   \n{\"text\":\"two\"}\r\n{bad\n{\"id\":\"c\"}\n{\"text\":\"x\xff\"}\n{\"text\":\"last\"}";
        let items = read_str("in/f.jsonl", data, Format::Jsonl, &ReadOptions::default());
        let shown: Vec<String> = items
            .iter()
            .map(|r| match r {
                Ok(a) => format!("{}={}@{:?}", a.id, a.text, a.origin.line),
                Err(e) => e.to_string(),
            })
            .collect();
        assert_eq!(
            shown,
            vec![
                "a=one@Some(1)".to_string(),
                "f:4=two@Some(4)".into(),
                "in/f.jsonl:5: malformed json at column 2: key must be a string".into(),
                "in/f.jsonl:6: missing field `text`".into(),
                "in/f.jsonl:7: invalid utf-8 at byte 10 of the line".into(),
                "f:8=last@Some(8)".into(),
            ]
        );
    }

    #[test]
    fn limits() {
        let opts = ReadOptions { max_article_bytes: 8, ..ReadOptions::default() };
        let e = read_str("a.txt", b"123456789", Format::Text, &opts).remove(0).unwrap_err();
        assert_eq!(e.to_string(), "a.txt: article of 9 bytes is over the limit of 8 bytes");
        assert!(read_str("a.txt", b"12345678", Format::Text, &opts)[0].is_ok());
        // HTML may be 4x the limit, its text may not exceed it.
        assert!(read_str("a.html", b"<p>12345678</p>", Format::Html, &opts)[0].is_ok());
        let e = read_str("a.html", b"<p>123456789</p>", Format::Html, &opts).remove(0).unwrap_err();
        assert_eq!(e.to_string(), "a.html: article of 9 bytes is over the limit of 8 bytes");
        let big = format!("<p>{}</p>", "x".repeat(40));
        let e = read_str("a.html", big.as_bytes(), Format::Html, &opts).remove(0).unwrap_err();
        assert_eq!(e.to_string(), "a.html: html file of 47 bytes is over the limit of 32 bytes");
    }

    #[test]
    fn reader_can_move_to_another_thread() {
        fn assert_send<T: Send>() {}
        assert_send::<Reader>();
        assert_send::<InputError>();
    }

    #[test]
    fn sniffing() {
        assert_eq!(sniff(b"\xef\xbb\xbf \n{\"a\":1}"), Format::Jsonl);
        assert_eq!(sniff(b"  <!doctype html>"), Format::Html);
        assert_eq!(sniff("نص".as_bytes()), Format::Text);
        assert_eq!(sniff(b"   "), Format::Text);
    }

    #[test]
    fn binary_and_empty() {
        let e = read_str("b.txt", b"abc\0def", Format::Text, &ReadOptions::default()).remove(0).unwrap_err();
        assert_eq!(e.to_string(), "b.txt: binary file (nul byte at byte 3)");
        let e = read_str("b.jsonl", b"", Format::Jsonl, &ReadOptions::default()).remove(0).unwrap_err();
        assert_eq!(e.to_string(), "b.jsonl: empty file");
        let e = read_str("b.jsonl", b"\n \n", Format::Jsonl, &ReadOptions::default()).remove(0).unwrap_err();
        assert_eq!(e.to_string(), "b.jsonl: empty file");
        let e = read_str("b.txt", b" \n\t", Format::Text, &ReadOptions::default()).remove(0).unwrap_err();
        assert_eq!(e.to_string(), "b.txt: empty text");
        let e = read_str("b.html", b"<script>x</script>", Format::Html, &ReadOptions::default()).remove(0).unwrap_err();
        assert_eq!(e.to_string(), "b.html: empty text");
    }
}
