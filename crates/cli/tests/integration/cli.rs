//! `rasid extract` end to end: formats, stdin, directories, order, exit statuses and bad input.

use std::io::Write;
use std::path::Path;
use std::process::Output;

use super::support::{rasid, rasid_with_stdin, repo, tempdir};

fn docs(out: &Output) -> Vec<serde_json::Value> {
    String::from_utf8(out.stdout.clone())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).expect("each stdout line is a JSON document"))
        .collect()
}

#[test]
fn sample_article_with_metadata_flags() {
    let sample = repo().join("samples/mosul-checkpoint.ar.txt");
    let out = rasid(&[
        "extract",
        "--published",
        "2024-03-12",
        "--source",
        "شبكة الراصد",
        "--id",
        "m1",
        sample.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let d = &docs(&out)[0];
    assert_eq!(d["id"], "m1");
    assert_eq!(d["published"], "2024-03-12");
    assert_eq!(d["source"], "شبكة الراصد");
    assert_eq!(d["dateline"]["agency"], "Reuters");
}

#[test]
fn jsonl_keeps_input_order_across_threads() {
    let dir = tempdir("cli", "order");
    let path = dir.join("many.jsonl");
    let mut f = std::fs::File::create(&path).unwrap();
    for i in 0..600 {
        writeln!(f, "{{\"id\":\"a{i}\",\"text\":\"قال مسؤول إن الاجتماع رقم {i} انتهى.\"}}").unwrap();
    }
    drop(f);
    let out = rasid(&["extract", "--threads", "2", path.to_str().unwrap()]);
    assert!(out.status.success());
    let ids: Vec<String> = docs(&out).iter().map(|d| d["id"].as_str().unwrap().to_string()).collect();
    let expected: Vec<String> = (0..600).map(|i| format!("a{i}")).collect();
    assert_eq!(ids, expected);
}

#[test]
fn stdin_html_and_directory() {
    let out = rasid_with_stdin(&["extract", "-"], "قال الوزير إن الخطة جاهزة.".as_bytes());
    assert!(out.status.success());
    assert_eq!(docs(&out)[0]["id"], "stdin");

    let dir = tempdir("cli", "dir");
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    std::fs::write(
        dir.join("sub/page.html"),
        "<html lang=ar><head><title>عنوان</title><script>var x=1;</script></head><body><nav>القائمة</nav><p>وصل الوفد إلى العاصمة.</p><p>وقال المتحدث إن المحادثات بدأت.</p></body></html>",
    )
    .unwrap();
    std::fs::write(dir.join("a.txt"), "قال المصدر إن الوضع هادئ.").unwrap();
    let out = rasid(&["extract", dir.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let ds = docs(&out);
    assert_eq!(ds.len(), 2);
    let html = ds.iter().find(|d| d["id"] == "page").unwrap();
    let text: Vec<&str> = html["sentences"].as_array().unwrap().iter().map(|s| s["text"].as_str().unwrap()).collect();
    assert_eq!(text, vec!["وصل الوفد إلى العاصمة.", "وقال المتحدث إن المحادثات بدأت."]);
}

#[test]
fn bad_inputs_are_reported_and_the_rest_goes_on() {
    let dir = tempdir("cli", "bad");
    let w = |name: &str, data: &[u8]| {
        std::fs::write(dir.join(name), data).unwrap();
        dir.join(name)
    };
    let good = w("1-good.txt", "قال المصدر إن الوضع هادئ.".as_bytes());
    let utf8 = w("2-latin1.txt", b"caf\xe9 \xff");
    let binary = w("3-binary.txt", b"\x00\x01\x02ELF");
    let empty = w("4-empty.txt", b"");
    let jsonl = w(
        "5-mixed.jsonl",
        "{\"id\":\"ok1\",\"text\":\"وصل الوفد.\"}\n{\"id\":\"broken\",\"text\":\n{\"id\":\"ok2\",\"text\":\"غادر الوفد.\"}\n".as_bytes(),
    );
    let big = w("6-big.txt", "كلمة ".repeat(1000).as_bytes());
    let paths: Vec<&str> = [&good, &utf8, &binary, &empty, &jsonl, &big].iter().map(|p| p.to_str().unwrap()).collect();
    let mut args = vec!["extract", "--max-article-bytes", "4000"];
    args.extend(paths);
    let out = rasid(&args);
    assert_eq!(out.status.code(), Some(1), "a failed input makes the exit status 1");
    let ids: Vec<String> = docs(&out).iter().map(|d| d["id"].as_str().unwrap().to_string()).collect();
    assert_eq!(ids, vec!["1-good", "ok1", "ok2"]);
    let err = String::from_utf8_lossy(&out.stderr);
    let name = |p: &Path| p.to_str().unwrap().to_string();
    assert!(err.contains(&name(&utf8)) && err.to_lowercase().contains("utf-8"), "{err}");
    assert!(err.contains(&name(&binary)) && err.contains("binary"), "{err}");
    assert!(err.contains(&name(&empty)) && err.contains("empty"), "{err}");
    assert!(err.contains(&format!("{}:2:", name(&jsonl))), "{err}");
    assert!(err.contains(&name(&big)) && err.contains("4000"), "{err}");
}

#[test]
fn bad_arguments_exit_with_two() {
    let out = rasid(&["extract", "--published", "18-02-2024", "x.txt"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("18-02-2024"));
}

#[test]
fn pretty_output_is_json() {
    let sample = repo().join("samples/articles.jsonl");
    let out = rasid(&["extract", "--format", "pretty", sample.to_str().unwrap()]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let values: Vec<serde_json::Value> =
        serde_json::Deserializer::from_str(&text).into_iter().collect::<Result<_, _>>().unwrap();
    assert_eq!(values.len(), 3);
}

/// `rasid … | head` closes stdout early: every command ends quietly with success, never a panic.
#[test]
fn a_closed_stdout_is_not_a_panic() {
    let sample = repo().join("samples/articles.jsonl");
    let cases: [&[&str]; 3] = [
        &["explain", "قتل مسلحون ثلاثة جنود في هجوم على دورية للشرطة أمس."],
        &["dict", "lookup", "الجيش العراقي"],
        &["extract", sample.to_str().unwrap()],
    ];
    for args in cases {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_rasid"))
            .args(args)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("rasid runs");
        drop(child.stdout.take()); // the reader is gone before rasid writes its first line
        let out = child.wait_with_output().expect("rasid's stderr is readable");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!err.contains("panicked"), "rasid {args:?} panicked on a closed stdout: {err}");
        assert!(out.status.success(), "rasid {args:?}: {:?} {err}", out.status);
    }
}
