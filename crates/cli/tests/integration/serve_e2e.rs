//! `rasid serve` end to end: a store filled by `rasid ingest`, the server on a loopback port, and the dashboard
//! opened in headless Chromium, which must render the timeline, the map and an annotated article with data.
//!
//! Needs Debian's `chromium` (installed by `.ci/run`). Outside CI the test skips with a message when it is
//! missing; with `CI=true` a missing browser fails the test. Screenshots go to `target/serve-e2e/`.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

use super::support::repo;

/// Runs `rasid ARGS`, which must succeed.
fn rasid(args: &[&str]) -> Output {
    let out = super::support::rasid(args);
    assert!(out.status.success(), "rasid {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    out
}

fn chromium() -> Option<PathBuf> {
    let names = ["chromium", "chromium-browser", "google-chrome"];
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).flat_map(|dir| names.iter().map(move |n| dir.join(n))).find(|p| p.is_file())
}

/// Kills the server when the test ends, pass or fail.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A plain HTTP/1.1 GET (no client library needed for a test).
fn http_get(addr: SocketAddr, path: &str) -> (u16, String) {
    let mut s = TcpStream::connect(addr).expect("server accepts");
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    write!(s, "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let status = text.split(' ').nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    let body = text.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default();
    (status, body)
}

fn json(addr: SocketAddr, path: &str) -> serde_json::Value {
    let (status, body) = http_get(addr, path);
    assert_eq!(status, 200, "{path}: {body}");
    serde_json::from_str(&body).unwrap_or_else(|e| panic!("{path}: {e}: {body}"))
}

fn browser(chrome: &Path, profile: &Path, args: &[&str]) -> String {
    let out = Command::new(chrome)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--hide-scrollbars",
            "--window-size=1400,1100",
            "--virtual-time-budget=15000",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("chromium runs");
    assert!(out.status.success(), "chromium {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The number in `attr="N"` on the element with `id="ID"` (or the first element carrying `attr`).
fn attr_number(dom: &str, anchor: &str, attr: &str) -> Option<u64> {
    let at = dom.find(anchor)?;
    let tag_start = dom[..at].rfind('<')?;
    let tag_end = at + dom[at..].find('>')?;
    let tag = &dom[tag_start..tag_end];
    let key = format!("{attr}=\"");
    let v = &tag[tag.find(&key)? + key.len()..];
    v[..v.find('"')?].parse().ok()
}

#[test]
fn dashboard_renders_timeline_map_and_article_in_chromium() {
    let Some(chrome) = chromium() else {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("chromium is not installed, and CI=true: .ci/run must install it (apt-get install -y chromium)");
        }
        eprintln!("SKIPPED serve_e2e: chromium is not installed (apt-get install -y chromium)");
        return;
    };
    let dir = std::env::temp_dir().join(format!("rasid-serve-e2e-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let db = dir.join("e2e.db");
    let db = db.to_str().unwrap();
    let seed = repo().join("../shared/data/seed/qaani-baghdad.ar.txt");
    rasid(&["ingest", "--quiet", "--db", db, repo().join("samples/articles.jsonl").to_str().unwrap()]);
    rasid(&[
        "ingest",
        "--quiet",
        "--db",
        db,
        "--published",
        "2024-03-12",
        repo().join("samples/mosul-checkpoint.ar.txt").to_str().unwrap(),
    ]);
    rasid(&[
        "ingest",
        "--quiet",
        "--db",
        db,
        "--published",
        "2024-02-18",
        "--id",
        "qaani-baghdad",
        "--source",
        "موقع المجلس",
        seed.to_str().unwrap(),
    ]);

    let child = Command::new(env!("CARGO_BIN_EXE_rasid"))
        .args(["serve", "--db", db, "--addr", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("rasid serve starts");
    let mut server = Server(child);
    let mut first = String::new();
    BufReader::new(server.0.stdout.take().unwrap()).read_line(&mut first).unwrap();
    let base = first.trim().to_string();
    let addr: SocketAddr = base.trim_start_matches("http://").trim_end_matches('/').parse().expect("address line");

    // What the pages should show, from the API.
    let info = json(addr, "/v1/info");
    assert_eq!(info["articles"], 5, "{info}");
    let hits = json(addr, "/v1/search?q=%D8%A8%D8%BA%D8%AF%D8%A7%D8%AF");
    let seed_id = hits["hits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["ext_id"] == "qaani-baghdad")
        .and_then(|h| h["id"].as_i64())
        .expect("the seed is searchable");
    let places = json(addr, "/v1/places");
    let placed = places["places"].as_array().unwrap().iter().filter(|p| p["lat"].is_number()).count();
    assert!(placed > 0, "some event is geocoded: {places}");

    let shots = repo().join("target/serve-e2e");
    std::fs::create_dir_all(&shots).unwrap();
    let profile = dir.join("profile");

    let overview = browser(&chrome, &profile, &["--dump-dom", &format!("{base}#/overview?by=month")]);
    assert!(!overview.contains("role=\"alert\">"), "no error shown: {overview}");
    let buckets = attr_number(&overview, "id=\"timeline-chart\"", "data-buckets").expect("the timeline is drawn");
    assert!(buckets > 0, "timeline has buckets");
    assert!(overview.matches("class=\"bar\"").count() > 0, "timeline has bars");
    let map_places = attr_number(&overview, "id=\"map-chart\"", "data-places").expect("the map is drawn");
    assert_eq!(map_places as usize, placed, "every geocoded place is a dot");
    assert!(overview.matches("class=\"country").count() > 150, "country outlines drawn");
    assert!(overview.matches("class=\"event-dot\"").count() > 0);
    assert!(overview.contains("5 articles"), "the header shows the database summary");

    let article = browser(&chrome, &profile, &["--dump-dom", &format!("{base}#/article/{seed_id}")]);
    let annotations = attr_number(&article, "class=\"article-text\"", "data-annotations").expect("article text shown");
    assert!(annotations > 10, "the seed carries many highlighted layers");
    let events = attr_number(&article, "id=\"article\"", "data-events").unwrap();
    assert!(events > 0);
    for class in ["trig", "ent ent-", "s-report", "boiler", "loaded"] {
        assert!(article.contains(class), "article view highlights `{class}`");
    }
    assert!(article.contains("dir=\"rtl\""));

    let network = browser(&chrome, &profile, &["--dump-dom", &format!("{base}#/network")]);
    assert!(network.contains("id=\"network-chart\"") || network.contains("No event with both"), "{network}");

    for (name, hash) in [("overview", "#/overview?by=month"), ("article", &format!("#/article/{seed_id}"))] {
        let png = shots.join(format!("{name}.png"));
        let _ = std::fs::remove_file(&png);
        browser(&chrome, &profile, &[&format!("--screenshot={}", png.display()), &format!("{base}{hash}")]);
        let size = std::fs::metadata(&png).map(|m| m.len()).unwrap_or(0);
        assert!(size > 20_000, "{} is a real picture ({size} bytes)", png.display());
    }
    drop(server);
    let _ = std::fs::remove_dir_all(&dir);
}
