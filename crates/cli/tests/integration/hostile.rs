//! Input the web throws at rasid: each case must end in a clear error naming the input, or a bounded result
//! whose offsets hold — never a hang or a panic. (Time is not asserted; a regression shows as a slow CI run.)

use std::io::Write;
use std::process::Output;

use super::support::{rasid_with_stdin, tempdir};

use rasid_core::{verify::offset_errors, ArticleInput, Extractor};

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn extract_checked(text: &str) -> rasid_core::model::Document {
    let extractor = Extractor::shared().unwrap();
    let doc = extractor.extract(&ArticleInput { id: "hostile", text, ..ArticleInput::default() });
    let errors = offset_errors(text, &doc);
    assert!(errors.is_empty(), "{:?}", &errors[..errors.len().min(5)]);
    doc
}

#[test]
fn deeply_nested_html_is_flattened_not_hung() {
    let depth = 100_000;
    let html = format!(
        "<html><body>{}<p>قال مسؤول إن مسلحين هاجموا نقطة تفتيش.</p>{}</body></html>",
        "<div><span>".repeat(depth),
        "</span></div>".repeat(depth)
    );
    let out = rasid_with_stdin(&["extract", "--input-format", "html", "-"], html.as_bytes());
    assert!(out.status.success(), "{}", stderr(&out));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(doc["sentences"][0]["text"].as_str().is_some_and(|t| t.contains("نقطة تفتيش")), "{doc}");
}

#[test]
fn ten_thousand_repeated_triggers_give_a_bounded_result() {
    let text = "هجوم ".repeat(10_000);
    let doc = extract_checked(&text);
    assert!(!doc.sentences.is_empty());
    let text = "قتل مسلحون جنديا في بغداد يوم الأحد ".repeat(2_000);
    extract_checked(&text);
}

#[test]
fn bidi_controls_and_mixed_scripts_keep_offsets() {
    let text = "\u{202e}قتل\u{202c} مسلحون \u{2066}جنديا\u{2069} in Baghdad \u{200f}بغداد، Москва 北京 \u{1F600} ١٢٣ ";
    extract_checked(&text.repeat(50));
}

#[test]
fn nul_bytes_are_a_clear_error_and_the_batch_goes_on() {
    let dir = tempdir("hostile", "nul");
    std::fs::write(dir.join("a.txt"), b"\x00\x00\xd9\x82\xd8\xaa\xd9\x84").unwrap();
    std::fs::write(dir.join("b.txt"), "قتل مسلحون جنديا في بغداد.").unwrap();
    let out = rasid_with_stdin(&["extract", dir.to_str().unwrap()], b"");
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("a.txt") && stderr(&out).contains("nul byte"), "{}", stderr(&out));
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 1);
}

#[test]
fn truncated_utf8_at_the_end_of_a_stream() {
    let mut jsonl = "{\"id\":\"a\",\"text\":\"قتل مسلحون جنديا\"}\n{\"id\":\"b\",\"text\":\"قتل".as_bytes().to_vec();
    jsonl.pop();
    let out = rasid_with_stdin(&["extract", "--input-format", "jsonl", "-"], &jsonl);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains(":2:"), "{}", stderr(&out));
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 1);
}

#[test]
fn hundred_megabyte_single_line_is_refused_by_size() {
    let dir = tempdir("hostile", "big");
    let path = dir.join("big.txt");
    {
        let mut f = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
        let chunk = "قتل مسلحون جنديا في بغداد، ".repeat(1000);
        while f.get_ref().metadata().unwrap().len() < 100_000_000 {
            f.write_all(chunk.as_bytes()).unwrap();
            f.flush().unwrap();
        }
    }
    let out = rasid_with_stdin(&["extract", path.to_str().unwrap()], b"");
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("big.txt") && stderr(&out).contains("over the limit"), "{}", stderr(&out));
}
