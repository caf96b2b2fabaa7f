//! `rasid ingest`, `query`, `export`, `reprocess` and `db` end to end, and the crash test: an ingest killed with
//! SIGKILL mid-way leaves whole articles only, and running it again completes the rest without duplicates.
//! SQLite always; PostgreSQL too when `RASID_TEST_POSTGRES` holds a URL of a role that may create databases.

use rasid_store::{EventFilter, PageRequest, Store};
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use super::support::{corpus_head, rasid, shared, tempdir};
use std::time::{Duration, Instant};

const CITIES: [&str; 6] = ["بغداد", "الموصل", "البصرة", "كركوك", "حلب", "عدن"];
const DAYS: [&str; 4] = ["الأحد", "الاثنين", "الثلاثاء", "الأربعاء"];

/// `n` invented, distinct short reports as JSON Lines; every `twin`-th one repeats the previous with a suffix.
fn corpus(path: &Path, n: usize) {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    for i in 0..n {
        let city = CITIES[i % CITIES.len()];
        let day = DAYS[i % DAYS.len()];
        let text = format!(
            "{city} - قتل {} أشخاص وأصيب {} آخرون في انفجار عبوة ناسفة استهدف سوقا شعبيا في مدينة {city} يوم {day}، \
             بحسب مصدر في الشرطة. وقال المصدر إن عددا من المصابين في حالة خطرة، وإن التحقيق جار في الحادث رقم {i}. \
             وتظاهر العشرات في المدينة احتجاجا على تدهور الأوضاع الأمنية.",
            i % 9 + 2,
            i % 7 + 3
        );
        let day_of_month = i % 28 + 1;
        let line = serde_json::json!({
            "id": format!("r{i}"),
            "text": text,
            "published": format!("2018-03-{day_of_month:02}"),
            "source": format!("outlet-{}", i % 3),
            "url": format!("https://example.org/{i}"),
        });
        writeln!(f, "{line}").unwrap();
    }
}

/// The stores each test runs on.
fn stores(dir: &Path, name: &str) -> Vec<(String, Option<(String, String)>)> {
    let mut out = vec![(format!("sqlite://{}", dir.join(format!("{name}.db")).display()), None)];
    if let Ok(base) = std::env::var("RASID_TEST_POSTGRES") {
        let db = format!("rasid_cli_{name}_{}", std::process::id());
        let mut admin = postgres::Client::connect(&base, postgres::NoTls).expect("RASID_TEST_POSTGRES connects");
        admin.batch_execute(&format!("DROP DATABASE IF EXISTS {db}")).unwrap();
        admin.batch_execute(&format!("CREATE DATABASE {db}")).unwrap();
        let url = match base.rfind('/') {
            Some(i) if !base[..i].ends_with('/') => format!("{}/{db}", &base[..i]),
            _ => format!("{base}/{db}"),
        };
        out.push((url, Some((base, db))));
    }
    out
}

fn drop_pg(pg: &Option<(String, String)>) {
    if let Some((base, db)) = pg {
        if let Ok(mut admin) = postgres::Client::connect(base, postgres::NoTls) {
            let _ = admin.batch_execute(&format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)"));
        }
    }
}

#[test]
fn killed_ingest_leaves_whole_articles_and_resumes_without_duplicates() {
    let dir = tempdir("store", "crash");
    let input = dir.join("big.jsonl");
    let n = 3000;
    corpus(&input, n);
    let log = dir.join("ingest.log");
    for (url, pg) in stores(&dir, "crash") {
        let mut child = Command::new(env!("CARGO_BIN_EXE_rasid"))
            .args(["ingest", "--quiet", "--threads", "1", "--db", &url, input.to_str().unwrap()])
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .unwrap();
        // Wait for the first committed batches, then kill -9 in the middle of the run. Polling opens the store
        // while the ingest may be creating it: both must succeed.
        let start = Instant::now();
        let mut stored = 0;
        while start.elapsed() < Duration::from_secs(300) {
            std::thread::sleep(Duration::from_millis(100));
            if let Some(status) = child.try_wait().unwrap() {
                let stderr = std::fs::read_to_string(&log).unwrap_or_default();
                panic!("{url}: the ingest ended ({status}) before it was killed, with {stored} articles: {stderr}");
            }
            if let Ok(mut s) = Store::open(&url) {
                stored = s.info().map(|i| i.articles).unwrap_or(0);
            }
            if stored >= 512 {
                break;
            }
        }
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        let mut s = Store::open(&url).unwrap();
        let after_kill = s.info().unwrap();
        assert!(after_kill.articles > 0, "{url}: something was committed before the kill");
        assert!((after_kill.articles as usize) < n, "{url}: the kill came before the end ({after_kill:?})");
        assert_eq!(s.check().unwrap(), Vec::<String>::new(), "{url}: only whole articles after the kill");
        drop(s);

        let out = rasid(&["ingest", "--quiet", "--db", &url, input.to_str().unwrap()]);
        assert!(out.status.success(), "{url}: {}", String::from_utf8_lossy(&out.stderr));
        let mut s = Store::open(&url).unwrap();
        let done = s.info().unwrap();
        assert_eq!(done.articles as usize, n, "{url}: the second run completes the rest, once each");
        assert_eq!(s.check().unwrap(), Vec::<String>::new(), "{url}");
        assert!(done.corroborated_events > 0, "{url}: {done:?}");
        // A third run adds nothing.
        let out = rasid(&["ingest", "--quiet", "--db", &url, input.to_str().unwrap()]);
        assert!(out.status.success());
        assert_eq!(Store::open(&url).unwrap().info().unwrap(), done, "{url}");
        drop_pg(&pg);
    }
}

#[test]
fn query_export_reprocess_round_trip() {
    let dir = tempdir("store", "cmds");
    let input = dir.join("small.jsonl");
    corpus(&input, 40);
    for (url, pg) in stores(&dir, "cmds") {
        let out = rasid(&["ingest", "--quiet", "--db", &url, input.to_str().unwrap()]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let info = rasid(&["db", "info", "--json", "--db", &url]);
        let info: serde_json::Value = serde_json::from_slice(&info.stdout).unwrap();
        assert_eq!(info["articles"], 40);
        assert_eq!(info["schema_version"], rasid_store::schema_version());

        let q = rasid(&["query", "events", "--db", &url, "--type", "ASSAULT", "--format", "jsonl"]);
        assert!(q.status.success(), "{}", String::from_utf8_lossy(&q.stderr));
        let events: Vec<serde_json::Value> =
            String::from_utf8(q.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
        assert!(!events.is_empty());
        assert!(events.iter().all(|e| e["type"] == "ASSAULT"));

        let bad = rasid(&["query", "events", "--db", &url, "--country", "IRAQ"]);
        assert_eq!(bad.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&bad.stderr).contains("country"), "{}", String::from_utf8_lossy(&bad.stderr));

        let tl = rasid(&["query", "timeline", "--by", "week", "--db", &url, "--format", "csv"]);
        assert!(tl.status.success());
        assert!(String::from_utf8_lossy(&tl.stdout).starts_with("bucket,type,events,sources"));

        for (format, check) in [
            ("csv", "id,type,cameo,date"),
            ("jsonl", "{\"id\":"),
            ("plover", "{\"Actor Country\""),
            ("gdelt", "1\t2018"),
        ] {
            let path = dir.join(format!("out.{format}"));
            let e = rasid(&["export", "--format", format, "--db", &url, "--out", path.to_str().unwrap()]);
            assert!(e.status.success(), "{format}: {}", String::from_utf8_lossy(&e.stderr));
            let text = std::fs::read_to_string(&path).unwrap();
            assert!(text.starts_with(check), "{format}: {}", &text[..text.len().min(200)]);
            let rows = text.lines().count();
            let expected = info["events"].as_u64().unwrap() as usize + usize::from(format == "csv");
            assert_eq!(rows, expected, "{format}");
        }

        let before = Store::open(&url).unwrap().info().unwrap();
        let first = Store::open(&url)
            .unwrap()
            .events(&EventFilter::default(), &PageRequest { after_id: None, limit: 1000 })
            .unwrap()
            .items;
        let r = rasid(&["reprocess", "--quiet", "--db", &url]);
        assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
        let mut s = Store::open(&url).unwrap();
        let after = s.info().unwrap();
        assert_eq!(after.generation, before.generation + 1);
        assert_eq!(
            (after.articles, after.sentences, after.entities, after.mentions, after.events),
            (before.articles, before.sentences, before.entities, before.mentions, before.events),
            "{url}: reprocess with the same dictionaries replaces results one for one"
        );
        let again = s.events(&EventFilter::default(), &PageRequest { after_id: None, limit: 1000 }).unwrap().items;
        let key = |e: &rasid_store::EventRecord| (e.kind.clone(), e.date.clone(), e.place.clone(), e.sources);
        let mut a: Vec<_> = first.iter().map(key).collect();
        let mut b: Vec<_> = again.iter().map(key).collect();
        a.sort();
        b.sort();
        assert_eq!(a, b, "{url}");
        assert_eq!(s.check().unwrap(), Vec::<String>::new());
        let check = rasid(&["db", "check", "--db", &url]);
        assert!(check.status.success());
        drop_pg(&pg);
    }
}

/// Parquet export of real events (the seed and some corpus articles), read back with the parquet crate's reader:
/// row count, column names and types, and every value against the JSON Lines export of the same store.
#[test]
fn parquet_export_reads_back_as_the_jsonl_export() {
    use parquet::basic::{ConvertedType, LogicalType, Type as Physical};
    use parquet::file::reader::{FileReader, SerializedFileReader};
    use parquet::record::Field;

    let dir = tempdir("store", "parquet");
    let db = dir.join("pq.db");
    let db = db.to_str().unwrap();
    let seed = shared().join("data/seed/qaani-baghdad.ar.txt");
    let out = rasid(&[
        "ingest",
        "--quiet",
        "--db",
        db,
        "--published",
        "2024-02-18",
        "--source",
        "seed",
        seed.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let head = dir.join("head.jsonl");
    corpus_head(&head, 30);
    let out = rasid(&["ingest", "--quiet", "--db", db, head.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    let pq = dir.join("events.parquet");
    let out = rasid(&["export", "--format", "parquet", "--db", db, "--out", pq.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let jsonl = rasid(&["export", "--format", "jsonl", "--db", db]);
    assert!(jsonl.status.success());
    let want: Vec<serde_json::Map<String, serde_json::Value>> =
        String::from_utf8(jsonl.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert!(want.len() > 20, "{} events", want.len());

    let reader = SerializedFileReader::new(std::fs::File::open(&pq).unwrap()).unwrap();
    let meta = reader.metadata().file_metadata();
    assert_eq!(meta.num_rows() as usize, want.len());
    let schema = meta.schema_descr();
    let names: Vec<&str> = schema.columns().iter().map(|c| c.name()).collect();
    assert_eq!(names, rasid_store::export::CSV_COLUMNS);
    let column = |name: &str| schema.columns().iter().find(|c| c.name() == name).unwrap().clone();
    for (name, physical) in [
        ("id", Physical::INT64),
        ("type", Physical::BYTE_ARRAY),
        ("sentence", Physical::BYTE_ARRAY),
        ("lat", Physical::DOUBLE),
        ("killed", Physical::INT64),
        ("negated", Physical::BOOLEAN),
    ] {
        assert_eq!(column(name).physical_type(), physical, "{name}");
    }
    assert_eq!(column("type").logical_type_ref(), Some(&LogicalType::String));
    assert_eq!(column("sources").converted_type(), ConvertedType::UINT_64);
    assert!(!column("id").self_type().is_optional() && column("source_country").self_type().is_optional());

    let (mut arabic, mut nulls) = (0, 0);
    let rows = reader.get_row_iter(None).unwrap();
    let mut n = 0;
    for (row, want) in rows.zip(&want) {
        let row = row.unwrap();
        n += 1;
        for (name, field) in row.get_column_iter() {
            let w = &want[name.as_str()];
            let same = match field {
                Field::Null => w.is_null(),
                Field::Str(s) => {
                    arabic += usize::from(s.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)));
                    w.as_str() == Some(s.as_str())
                }
                Field::Long(v) => w.as_i64() == Some(*v),
                Field::ULong(v) => w.as_u64() == Some(*v),
                // serde_json's default float parser may miss the last bit of a 17-digit number.
                Field::Double(v) => w.as_f64().is_some_and(|x| (x - v).abs() <= 1e-12 * v.abs().max(1.0)),
                Field::Bool(v) => w.as_bool() == Some(*v),
                other => panic!("{name}: unexpected {other:?}"),
            };
            nulls += usize::from(matches!(field, Field::Null));
            assert!(same, "event {}: {name} is {field:?} in Parquet, {w} in JSON Lines", want["id"]);
        }
    }
    assert_eq!(n, want.len());
    assert!(arabic > 0 && nulls > 0, "arabic {arabic}, nulls {nulls}");
    assert!(
        want.iter().any(|e| e["article_ext_id"].as_str().is_some_and(|id| id.starts_with("qaani-baghdad"))),
        "the seed's events are exported"
    );
}
