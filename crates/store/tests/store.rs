//! The store against real databases: SQLite always, PostgreSQL too when `RASID_TEST_POSTGRES` holds a URL
//! (a role allowed to create databases; each test makes and drops its own).

use rasid_core::model::Document;
use rasid_core::Extractor;
use rasid_input::{Article, Origin};
use rasid_store::{Bucket, EventFilter, FilterArgs, PageRequest, Store, StoreError};
use std::sync::atomic::{AtomicUsize, Ordering};

// Invented reports of one attack (two outlets, the second a near copy), and an unrelated protest.
const ATTACK: &str = "بغداد - قتل ثلاثة جنود عراقيين وأصيب خمسة آخرون في هجوم بسيارة مفخخة استهدف نقطة تفتيش \
للجيش العراقي في بغداد يوم الأحد، بحسب مصدر أمني. وقال المصدر إن المهاجمين فروا بعد الانفجار. \
وأضاف أن قوات الأمن فرضت طوقا أمنيا حول المكان وبدأت التحقيق في الحادث الذي وقع قرب سوق شعبي مزدحم.";
const PROTEST: &str = "البصرة - تظاهر مئات من سكان البصرة أمام مبنى المحافظة يوم الاثنين احتجاجا على انقطاع \
الكهرباء ونقص مياه الشرب، مطالبين الحكومة المحلية بحلول عاجلة. ورفع المتظاهرون لافتات تندد بالفساد.";

fn article(id: &str, source: &str, text: &str) -> Article {
    Article {
        id: id.into(),
        text: text.into(),
        title: None,
        published: Some("2018-03-05".into()),
        source: Some(source.into()),
        url: Some(format!("https://example.org/{id}")),
        lang: Some("ar".into()),
        origin: Origin { path: "test".into(), line: None },
    }
}

fn analyse(a: &Article) -> Document {
    rasid_store::analyse(Extractor::shared().unwrap(), a)
}

fn batch(articles: Vec<Article>) -> Vec<(Article, Document)> {
    articles
        .into_iter()
        .map(|a| {
            let d = analyse(&a);
            (a, d)
        })
        .collect()
}

fn corpus() -> Vec<(Article, Document)> {
    batch(vec![
        article("a1", "outlet-a", ATTACK),
        article("a2", "outlet-b", &format!("{ATTACK} (وكالات)")),
        article("p1", "outlet-a", PROTEST),
    ])
}

/// Databases to run each test on: a fresh SQLite file, and a fresh PostgreSQL database when configured.
struct Dbs {
    urls: Vec<String>,
    _dir: tempfile::TempDir,
    pg: Option<(String, String)>,
}

static COUNTER: AtomicUsize = AtomicUsize::new(0);

fn dbs(name: &str) -> Dbs {
    let dir = tempfile::tempdir().unwrap();
    let mut urls = vec![format!("sqlite://{}", dir.path().join(format!("{name}.db")).display())];
    let mut pg = None;
    if let Ok(base) = std::env::var("RASID_TEST_POSTGRES") {
        let db = format!("rasid_t_{}_{}_{}", name, std::process::id(), COUNTER.fetch_add(1, Ordering::SeqCst));
        let mut admin = postgres::Client::connect(&base, postgres::NoTls).expect("RASID_TEST_POSTGRES connects");
        admin.batch_execute(&format!("CREATE DATABASE {db}")).unwrap();
        let url = match base.rfind('/') {
            Some(i) if !base[..i].ends_with('/') => format!("{}/{db}", &base[..i]),
            _ => format!("{base}/{db}"),
        };
        urls.push(url);
        pg = Some((base, db));
    }
    Dbs { urls, _dir: dir, pg }
}

impl Drop for Dbs {
    fn drop(&mut self) {
        if let Some((base, db)) = &self.pg {
            if let Ok(mut admin) = postgres::Client::connect(base, postgres::NoTls) {
                let _ = admin.batch_execute(&format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)"));
            }
        }
    }
}

#[test]
fn ingest_is_idempotent_and_links_duplicates() {
    let data = corpus();
    let d = dbs("idem");
    for url in d.urls.clone() {
        let mut s = Store::open(&url).unwrap();
        let r = s.ingest(&data).unwrap();
        assert_eq!((r.added, r.skipped), (3, 0), "{url}");
        assert_eq!(r.near_duplicates, 1, "{url}: the wire copy is linked");
        let before = s.info().unwrap();
        let again = s.ingest(&data).unwrap();
        assert_eq!((again.added, again.skipped, again.mentions), (0, 3, 0), "{url}");
        let after = s.info().unwrap();
        assert_eq!(before, after, "{url}: re-ingest adds no row");
        assert_eq!(after.articles, 3);
        assert!(after.events > 0 && after.mentions >= after.events, "{url}: {after:?}");
        let copy = s.article(2).unwrap().unwrap();
        assert_eq!(copy.duplicate_of, Some(1), "{url}");
        assert_eq!(copy.document["id"], "a2");
        assert!(s.article(99).unwrap().is_none());
        // Reopening migrates nothing and keeps everything.
        drop(s);
        let mut s = Store::open(&url).unwrap();
        assert_eq!(s.info().unwrap(), after);
    }
}

#[test]
fn the_same_attack_from_two_outlets_is_one_event_with_two_sources() {
    let data = corpus();
    let d = dbs("merge");
    for url in d.urls.clone() {
        let mut s = Store::open(&url).unwrap();
        s.ingest(&data).unwrap();
        let f = EventFilter::parse(&FilterArgs { types: Some("ASSAULT"), ..FilterArgs::default() }).unwrap();
        let page = s.events(&f, &PageRequest::default()).unwrap();
        let merged: Vec<_> = page.items.iter().filter(|e| e.sources == 2).collect();
        assert!(!merged.is_empty(), "{url}: {:#?}", page.items);
        let e = merged[0];
        assert_eq!(e.independent_sources, 1, "{url}: a near copy is not independent");
        let detail = s.event(e.id).unwrap().unwrap();
        assert_eq!(detail.mentions.len() as u64, e.mentions);
        assert_eq!(detail.outlets, vec!["outlet-a", "outlet-b"]);
        for m in &detail.mentions {
            let art = s.article(m.article_id).unwrap().unwrap();
            let got: String = art.text.chars().skip(m.trigger_start).take(m.trigger_end - m.trigger_start).collect();
            assert_eq!(got, m.trigger, "{url}: trigger offsets point into the article");
        }
        assert!(s.event(123_456).unwrap().is_none());
    }
}

#[test]
fn filters_pages_timeline_network_search() {
    let data = corpus();
    let d = dbs("query");
    for url in d.urls.clone() {
        let mut s = Store::open(&url).unwrap();
        s.ingest(&data).unwrap();
        let all = s.events(&EventFilter::default(), &PageRequest { after_id: None, limit: 1000 }).unwrap();
        assert!(all.next_after.is_none());
        let n = all.items.len();
        assert!(n >= 2, "{url}: {:#?}", all.items);
        // Cursor pages of one visit every event once, in order.
        let mut seen = Vec::new();
        let mut page = PageRequest { after_id: None, limit: 1 };
        loop {
            let p = s.events(&EventFilter::default(), &page).unwrap();
            seen.extend(p.items.iter().map(|e| e.id));
            match p.next_after {
                Some(a) => page.after_id = Some(a),
                None => break,
            }
        }
        assert_eq!(seen, all.items.iter().map(|e| e.id).collect::<Vec<_>>());
        let protest = s_events(&mut s, FilterArgs { types: Some("PROTEST"), ..FilterArgs::default() });
        assert!(protest.iter().all(|e| e.kind == "PROTEST"));
        let text = s_events(&mut s, FilterArgs { text: Some("بالكهرباء"), ..FilterArgs::default() });
        assert!(!text.is_empty() && text.iter().all(|e| e.article_ext_id == "p1"), "{url}: {text:#?}");
        let none = s_events(&mut s, FilterArgs { from: Some("2019"), ..FilterArgs::default() });
        assert!(none.is_empty());
        let hostile = s_events(&mut s, FilterArgs { actor: Some("x' OR '1'='1"), ..FilterArgs::default() });
        assert!(hostile.is_empty());
        let tl = s.timeline(&EventFilter::default(), Bucket::Month).unwrap();
        assert!(tl.iter().all(|p| p.bucket.len() == 7), "{tl:?}");
        let hits = s.search("القاهرة البصره", 10).unwrap();
        assert!(hits.is_empty());
        let hits = s.search("بالبصرة", 10).unwrap();
        assert_eq!(hits.iter().map(|h| h.ext_id.as_str()).collect::<Vec<_>>(), vec!["p1"], "{url}");
        let _ = s.network(&EventFilter::default(), 10).unwrap();
        let _ = s.actors("", 10).unwrap();
    }
}

fn s_events(s: &mut Store, a: FilterArgs) -> Vec<rasid_store::EventRecord> {
    let f = EventFilter::parse(&a).unwrap();
    s.events(&f, &PageRequest { after_id: None, limit: 1000 }).unwrap().items
}

#[test]
fn bad_urls_are_errors() {
    assert!(matches!(Store::open("mysql://x"), Err(StoreError::Url { .. })));
    assert!(Store::open("/nonexistent-dir/x/y.db").is_err());
}
