//! Integration tests: reading fixture files and directories, one test per bad-input case.

use std::io::Write;
use std::path::{Path, PathBuf};

use rasid_input::{read_paths, Article, Format, InputError, ReadOptions};

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(rel)
}

/// Read `rel` (under fixtures) and render each item: `id|text` for articles, the message for errors with the
/// fixtures prefix removed.
fn read(rel: &str, opts: &ReadOptions) -> Vec<String> {
    let prefix = format!("{}/", fixture("").display().to_string().trim_end_matches('/'));
    read_paths(&[fixture(rel)], opts)
        .map(|r| match r {
            Ok(a) => format!("{}|{}", a.id, a.text),
            Err(e) => format!("error: {}", e.to_string().replace(&prefix, "")),
        })
        .collect()
}

fn articles(rel: &str) -> Vec<Article> {
    read_paths(&[fixture(rel)], &ReadOptions::default()).collect::<Result<Vec<_>, _>>().unwrap()
}

#[test]
fn directory_is_recursive_sorted_and_skips_hidden() {
    let a = articles("articles");
    let ids: Vec<&str> = a.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids, ["a-note", "b-page", "feed-1", "c-feed:2", "d-more"]);
    let paths: Vec<String> = a
        .iter()
        .map(|a| format!("{}:{:?}", Path::new(&a.origin.path).file_name().unwrap().to_string_lossy(), a.origin.line))
        .collect();
    assert_eq!(
        paths,
        ["a-note.txt:None", "b-page.html:None", "c-feed.jsonl:Some(1)", "c-feed.jsonl:Some(2)", "d-more.md:None"]
    );
}

#[test]
fn text_file_is_verbatim() {
    let a = articles("articles/a-note.txt");
    let raw = std::fs::read_to_string(fixture("articles/a-note.txt")).unwrap();
    assert_eq!(a[0].text, raw);
    assert_eq!(a[0].origin.line, None);
}

#[test]
fn html_file_text_and_metadata() {
    let a = &articles("articles/b-page.html")[0];
    assert_eq!(a.text, "عنوان الخبر\nوصل الوفد إلى المدينة مساء أمس.\nوأكد المتحدث\nأن الزيارة ناجحة.");
    assert_eq!(a.title.as_deref(), Some("خبر تجريبي"));
    assert_eq!(a.published.as_deref(), Some("2024-03-05"));
    assert_eq!(a.source.as_deref(), Some("موقع تجريبي"));
    assert_eq!(a.lang.as_deref(), Some("ar"));
}

#[test]
fn jsonl_fields() {
    let a = articles("articles/c-feed.jsonl");
    assert_eq!(a.len(), 2);
    assert_eq!(a[0].text, "سطر أول من الخبر.");
    assert_eq!(a[0].published.as_deref(), Some("2024-01-02"));
    assert_eq!(a[0].source.as_deref(), Some("وكالة"));
    assert_eq!(a[0].url.as_deref(), Some("https://example.test/1"));
    assert_eq!(a[0].lang.as_deref(), Some("ar"));
    assert_eq!(a[1].title.as_deref(), Some("عنوان"));
}

#[test]
fn forced_format_applies_everywhere() {
    let opts = ReadOptions { format: Some(Format::Text), ..ReadOptions::default() };
    let a: Vec<_> = read_paths(&[fixture("articles/b-page.html")], &opts).collect();
    assert!(a[0].as_ref().unwrap().text.starts_with("<!doctype html>"));
}

fn small() -> ReadOptions {
    ReadOptions { max_article_bytes: 100, ..ReadOptions::default() }
}

#[test]
fn invalid_utf8_text() {
    assert_eq!(read("bad/01-invalid-utf8.txt", &small()), ["error: bad/01-invalid-utf8.txt: invalid utf-8 at byte 6"]);
}

#[test]
fn invalid_utf8_jsonl_line_then_goes_on() {
    assert_eq!(
        read("bad/02-invalid-utf8.jsonl", &small()),
        [
            "02-invalid-utf8:1|جيد",
            "error: bad/02-invalid-utf8.jsonl:2: invalid utf-8 at byte 9 of the line",
            "02-invalid-utf8:3|بعده"
        ]
    );
}

#[test]
fn binary_file() {
    assert_eq!(read("bad/03-binary.txt", &small()), ["error: bad/03-binary.txt: binary file (nul byte at byte 8)"]);
}

#[test]
fn empty_file_and_blank_text() {
    assert_eq!(read("bad/04-empty.txt", &small()), ["error: bad/04-empty.txt: empty file"]);
    assert_eq!(read("bad/05-blank.txt", &small()), ["error: bad/05-blank.txt: empty text"]);
    assert_eq!(read("bad/11-empty-html.html", &small()), ["error: bad/11-empty-html.html: empty text"]);
}

#[test]
fn malformed_json_line_then_goes_on() {
    assert_eq!(
        read("bad/06-malformed.jsonl", &small()),
        [
            "ok|سليم",
            "error: bad/06-malformed.jsonl:2: malformed json at column 32: EOF while parsing an object",
            "after|بعد السطر المكسور"
        ]
    );
}

#[test]
fn missing_text_and_bad_date() {
    assert_eq!(
        read("bad/07-missing-text.jsonl", &small()),
        ["error: bad/07-missing-text.jsonl:1: missing field `text`"]
    );
    assert_eq!(
        read("bad/08-bad-date.jsonl", &small()),
        ["error: bad/08-bad-date.jsonl:1: invalid published date `أمس` (expected YYYY-MM-DD)"]
    );
}

#[test]
fn over_the_size_limit() {
    assert_eq!(
        read("bad/09-big.txt", &small()),
        ["error: bad/09-big.txt: article of 360 bytes is over the limit of 100 bytes"]
    );
    assert_eq!(
        read("bad/10-big-line.jsonl", &small()),
        [
            "small|قصير",
            "error: bad/10-big-line.jsonl:2: article of 150 bytes is over the limit of 100 bytes",
            "error: bad/10-big-line.jsonl:3: json line of 422 bytes is over the limit of 400 bytes",
            "next|تال"
        ]
    );
}

#[test]
fn unreadable_path_then_goes_on() {
    let items: Vec<_> =
        read_paths(&[fixture("bad/no-such-file.txt"), fixture("articles/sub/d-more.md")], &ReadOptions::default())
            .collect();
    assert_eq!(items.len(), 2);
    let e = items[0].as_ref().unwrap_err();
    assert!(matches!(e, InputError::Io { .. }));
    assert!(
        e.to_string().ends_with("bad/no-such-file.txt: cannot read: no such file or directory (os error 2)"),
        "{e}"
    );
    assert_eq!(items[1].as_ref().unwrap().id, "d-more");
}

#[test]
fn whole_bad_directory_keeps_going() {
    let got = read("bad", &small());
    let ok = got.iter().filter(|s| !s.starts_with("error: ")).count();
    let errors = got.len() - ok;
    // Good lines: 2 (02), 2 (06), 2 (10); errors: one per bad file or line.
    assert_eq!((ok, errors), (6, 12), "{got:#?}");
}

/// A unique scratch directory under the system temp dir.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("rasid-input-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn gzip_jsonl_and_corrupt_gzip() {
    let dir = scratch("gz");
    let path = dir.join("feed.jsonl.gz");
    let mut gz = flate2::write::GzEncoder::new(std::fs::File::create(&path).unwrap(), flate2::Compression::fast());
    gz.write_all("{\"text\":\"مضغوط\"}\n{\"text\":\"ثان\"}\n".as_bytes()).unwrap();
    gz.finish().unwrap();
    let bad = dir.join("bad.txt.gz");
    std::fs::write(&bad, b"\x1f\x8b\x08\x00not really gzip").unwrap();
    let items: Vec<_> = read_paths(&[path, bad], &ReadOptions::default()).collect();
    assert_eq!(items.len(), 3);
    assert_eq!(items[0].as_ref().unwrap().id, "feed:1");
    assert_eq!(items[1].as_ref().unwrap().text, "ثان");
    let e = items[2].as_ref().unwrap_err().to_string();
    assert!(e.contains("bad.txt.gz: cannot read: "), "{e}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn huge_line_is_not_held_in_memory() {
    // A 3 MB line with a 1 KB limit: the reader must skip it (reporting its size) and read the next line.
    let dir = scratch("huge");
    let path = dir.join("huge.jsonl");
    let mut data = b"{\"text\":\"".to_vec();
    data.resize(3_000_000, b'x');
    data.extend_from_slice(b"\"}\n{\"text\":\"after\"}\n");
    std::fs::write(&path, &data).unwrap();
    let opts = ReadOptions { max_article_bytes: 1024, ..ReadOptions::default() };
    let items: Vec<_> = read_paths(&[path], &opts).collect();
    assert_eq!(items.len(), 2);
    assert!(items[0]
        .as_ref()
        .unwrap_err()
        .to_string()
        .ends_with(":1: json line of 3000002 bytes is over the limit of 4096 bytes"));
    assert_eq!(items[1].as_ref().unwrap().text, "after");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn legacy_charset_html_is_decoded_but_text_is_not() {
    let a = &articles("legacy/cp1256.html")[0];
    assert_eq!(a.text, "هذا نص بترميز قديم.");
    assert_eq!(a.title.as_deref(), Some("تجربة"));
    assert_eq!(
        read("legacy/cp1256.txt", &ReadOptions::default()),
        ["error: legacy/cp1256.txt: invalid utf-8 at byte 0"]
    );
}

#[test]
fn metadata_sidecars() {
    let dir = scratch("sidecar");
    let write = |name: &str, data: &str| std::fs::write(dir.join(name), data).unwrap();
    write("story.ar.txt", "نص الخبر");
    write("story.meta.json", r#"{"id":"s-1","published":"2024-02-18T08:00:00Z","source":"موقع","note":"ignored"}"#);
    write("plain.en.txt", "text");
    write(
        "page.html",
        "<html><head><meta property='og:site_name' content='Page Site'></head><body><p>نص</p></body></html>",
    );
    write("page.meta.json", r#"{"source":"Sidecar Site","url":"https://example.org/p"}"#);
    write("bad.txt", "نص");
    write("bad.meta.json", r#"{"published":"yesterday"}"#);

    let got: Vec<Result<Article, InputError>> =
        read_paths(std::slice::from_ref(&dir), &ReadOptions::default()).collect();
    // The sidecars themselves are not articles; the bad one stops only its own article.
    assert_eq!(got.len(), 4, "{got:#?}");
    let err = got[0].as_ref().unwrap_err();
    assert_eq!(err.path(), dir.join("bad.meta.json").display().to_string());
    assert!(err
        .to_string()
        .ends_with("bad metadata sidecar: invalid published date `yesterday` (expected YYYY-MM-DD)"));
    let page = got[1].as_ref().unwrap();
    assert_eq!((page.id.as_str(), page.source.as_deref()), ("page", Some("Sidecar Site")));
    assert_eq!(page.url.as_deref(), Some("https://example.org/p"));
    let plain = got[2].as_ref().unwrap();
    assert_eq!((plain.id.as_str(), plain.lang.as_deref(), plain.published.as_deref()), ("plain", Some("en"), None));
    let story = got[3].as_ref().unwrap();
    assert_eq!(
        (story.id.as_str(), story.published.as_deref(), story.source.as_deref(), story.lang.as_deref()),
        ("s-1", Some("2024-02-18"), Some("موقع"), Some("ar"))
    );

    // Options given on the command line win over the sidecar.
    let opts =
        ReadOptions { published: Some("2024-03-01".into()), source: Some("flag".into()), ..ReadOptions::default() };
    let story = read_paths(&[dir.join("story.ar.txt")], &opts).next().unwrap().unwrap();
    assert_eq!((story.published.as_deref(), story.source.as_deref()), (Some("2024-03-01"), Some("flag")));
    std::fs::remove_dir_all(&dir).unwrap();
}
