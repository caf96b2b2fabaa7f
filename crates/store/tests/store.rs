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
fn a_transaction_spans_batches_until_committed_and_analysed_batches_store_the_same() {
    // SQLite: a second connection shows what is committed.
    let data = corpus();
    let dir = tempfile::tempdir().unwrap();
    let path = |name: &str| dir.path().join(name).display().to_string();
    // The reference: one call, one transaction, plain documents.
    let mut fresh = Store::open(&path("fresh.db")).unwrap();
    fresh.ingest(&data).unwrap();
    let want = fresh.info().unwrap();
    let want_events = fresh.events(&EventFilter::default(), &PageRequest::default()).unwrap().items;
    let want_search = fresh.search("بغداد", 10).unwrap();
    assert!(!want_search.is_empty() && !want_events.is_empty());
    let db = path("span.db");
    let stored = || Store::open(&db).unwrap().info().unwrap().articles;
    // Uncommitted batches are invisible to another connection and lost when the store is dropped.
    let mut s = Store::open(&db).unwrap();
    s.set_commit_every(10);
    s.ingest(&data[..1]).unwrap();
    assert_eq!(stored(), 0);
    drop(s);
    assert_eq!(stored(), 0);
    // Articles analysed for the store, in a transaction over two calls, end as articles ingested plainly.
    let mut s = Store::open(&db).unwrap();
    s.set_commit_every(2);
    let extractor = Extractor::shared().unwrap();
    let analysed = |part: &[(Article, Document)]| -> Vec<_> {
        part.iter().map(|(a, _)| (a.clone(), rasid_store::analyse_for_store(extractor, a))).collect()
    };
    s.ingest_analysed(analysed(&data[..1])).unwrap();
    assert_eq!(stored(), 0, "one article: the transaction is still open");
    s.ingest_analysed(analysed(&data[1..2])).unwrap();
    assert_eq!(stored(), 2, "two: committed");
    s.ingest_analysed(analysed(&data[2..])).unwrap();
    s.commit().unwrap();
    let mut again = Store::open(&db).unwrap();
    assert_eq!(again.info().unwrap(), want);
    assert_eq!(again.events(&EventFilter::default(), &PageRequest::default()).unwrap().items, want_events);
    assert_eq!(again.search("بغداد", 10).unwrap(), want_search);
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

/// Invented short reports varying place, day, actors and event kind.
fn varied_corpus(n: usize) -> Vec<(Article, Document)> {
    const CITIES: [&str; 5] = ["بغداد", "الموصل", "حلب", "عدن", "البصرة"];
    const SENTENCES: [&str; 4] = [
        "قتل {k} جنود عراقيين في هجوم استهدف نقطة تفتيش للجيش العراقي في {c} يوم {d}.",
        "تظاهر مئات من السكان في {c} يوم {d} احتجاجا على انقطاع الكهرباء.",
        "اعتقلت قوات الأمن السورية {k} أشخاص في {c} يوم {d}.",
        "التقى وزير الخارجية الإيراني نظيره العراقي في {c} يوم {d} لبحث التعاون.",
    ];
    const DAYS: [&str; 3] = ["الأحد", "الاثنين", "الثلاثاء"];
    let articles = (0..n)
        .map(|i| {
            let text: String = (0..2)
                .map(|j| {
                    SENTENCES[(i + j * 3) % SENTENCES.len()]
                        .replace("{c}", CITIES[(i + j) % CITIES.len()])
                        .replace("{d}", DAYS[i % DAYS.len()])
                        .replace("{k}", &(i % 7 + 2).to_string())
                })
                .collect::<Vec<_>>()
                .join(" ");
            let mut a = article(&format!("v{i}"), &format!("outlet-{}", i % 3), &text);
            a.published = Some(format!("2018-{:02}-{:02}", i % 4 + 3, i % 27 + 1));
            a
        })
        .collect();
    batch(articles)
}

/// Whether `e` matches the filter's structured fields, decided from the record alone.
fn matches(e: &rasid_store::EventRecord, f: &EventFilter) -> bool {
    let either = |a: &Option<String>, b: &Option<String>, want: &Option<String>| match want {
        Some(w) => a.as_ref() == Some(w) || b.as_ref() == Some(w),
        None => true,
    };
    (f.types.is_empty() || f.types.contains(&e.kind))
        && either(&e.source_country, &e.target_country, &f.country)
        && either(&e.source_role, &e.target_role, &f.role)
        && f.place.as_ref().is_none_or(|p| e.place.as_deref().map(rasid_text::normalize).as_ref() == Some(p))
        && f.from.is_none_or(|d| e.date_end.as_deref().is_some_and(|x| x >= rasid_store::days::format(d).as_str()))
        && f.to.is_none_or(|d| e.date_start.as_deref().is_some_and(|x| x <= rasid_store::days::format(d).as_str()))
}

#[test]
fn filtered_pages_equal_a_filter_over_every_event() {
    let data = varied_corpus(24);
    let d = dbs("facets");
    for url in d.urls.clone() {
        let mut s = Store::open(&url).unwrap();
        s.ingest(&data).unwrap();
        let all = s.events(&EventFilter::default(), &PageRequest { after_id: None, limit: 1000 }).unwrap().items;
        assert!(all.len() > 20, "{url}: {}", all.len());
        let kinds: std::collections::BTreeSet<&str> = all.iter().map(|e| e.kind.as_str()).collect();
        assert!(kinds.len() >= 3, "{url}: {kinds:?}");
        let args = [
            FilterArgs { types: Some("ASSAULT"), ..FilterArgs::default() },
            FilterArgs { country: Some("IRQ"), ..FilterArgs::default() },
            FilterArgs { role: Some("MIL"), ..FilterArgs::default() },
            FilterArgs { country: Some("SYR"), types: Some("COERCE,ASSAULT"), ..FilterArgs::default() },
            FilterArgs { country: Some("IRQ"), role: Some("GOV"), ..FilterArgs::default() },
            FilterArgs { types: Some("PROTEST"), from: Some("2018-04"), to: Some("2018-05"), ..FilterArgs::default() },
            FilterArgs { from: Some("2018-03-10"), to: Some("2018-04-20"), ..FilterArgs::default() },
            FilterArgs { place: Some("حلب"), ..FilterArgs::default() },
            FilterArgs {
                place: Some("بغداد"), country: Some("IRQ"), types: Some("ASSAULT"), ..FilterArgs::default()
            },
            FilterArgs { country: Some("ZZZ"), ..FilterArgs::default() },
        ];
        let mut nonempty = 0;
        for a in &args {
            let f = EventFilter::parse(a).unwrap();
            let want: Vec<i64> = all.iter().filter(|e| matches(e, &f)).map(|e| e.id).collect();
            // Pages of 2 through the cursor give the same events, once each, in id order.
            let mut got = Vec::new();
            let mut page = PageRequest { after_id: None, limit: 2 };
            loop {
                let p = s.events(&f, &page).unwrap();
                assert!(p.items.iter().all(|e| matches(e, &f)), "{url}: {a:?}");
                got.extend(p.items.iter().map(|e| e.id));
                match p.next_after {
                    Some(after) => page.after_id = Some(after),
                    None => break,
                }
            }
            assert_eq!(got, want, "{url}: {a:?}");
            nonempty += usize::from(!want.is_empty());
        }
        assert!(nonempty >= 6, "{url}: the filters select something ({nonempty})");
    }
}

/// JSON Lines export with the database-assigned event and article ids blanked (PostgreSQL's sequences go on
/// counting after a reprocess; SQLite hands out the same ids again).
fn export_without_ids(s: &mut Store) -> String {
    let mut out = Vec::new();
    rasid_store::export::export(s, &EventFilter::default(), rasid_store::export::ExportFormat::Jsonl, &mut out)
        .unwrap();
    String::from_utf8(out)
        .unwrap()
        .lines()
        .map(|l| {
            let mut v: serde_json::Value = serde_json::from_str(l).unwrap();
            v["id"] = serde_json::Value::Null;
            v.to_string()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// An older analysis of the same articles: events dropped, codes missing, places renamed.
fn perturbed(doc: &Document, i: usize) -> Document {
    let mut d = doc.clone();
    if i % 2 == 0 && !d.events.is_empty() {
        d.events.remove(0);
    }
    for e in &mut d.events {
        if let Some(s) = e.source.as_mut() {
            s.country = None;
        }
        if let Some(p) = e.place.as_mut() {
            p.name.push_str(" القديمة");
        }
    }
    d.entities.truncate(1);
    d
}

#[test]
fn a_reprocessed_store_equals_a_fresh_ingest() {
    let mut data = corpus();
    data.extend(varied_corpus(16));
    let d = dbs("reprocess");
    let fresh_dir = tempfile::tempdir().unwrap();
    let fresh_url = format!("sqlite://{}", fresh_dir.path().join("fresh.db").display());
    let mut fresh = Store::open(&fresh_url).unwrap();
    fresh.ingest(&data).unwrap();
    let want = export_without_ids(&mut fresh);
    let want_info = fresh.info().unwrap();
    assert!(want.lines().count() > 10, "{want}");
    for url in d.urls.clone() {
        let mut s = Store::open(&url).unwrap();
        let old: Vec<(Article, Document)> =
            data.iter().enumerate().map(|(i, (a, doc))| (a.clone(), perturbed(doc, i))).collect();
        s.ingest(&old).unwrap();
        assert_ne!(export_without_ids(&mut s), want, "{url}: the perturbation changes the events");
        // Reprocess in two sittings (as after a kill), a few articles per transaction.
        let target = s.begin_reprocess().unwrap();
        let first = s.articles_to_reprocess(target, 0, 5).unwrap();
        let docs: Vec<(i64, Document)> = first.iter().map(|(id, a)| (*id, analyse(a))).collect();
        s.replace_results(&docs, target).unwrap();
        assert!(!s.finish_reprocess(target).unwrap());
        drop(s);
        let mut s = Store::open(&url).unwrap();
        assert_eq!(s.begin_reprocess().unwrap(), target, "{url}: the unfinished reprocess resumes");
        reprocess_after(&mut s, target, first.last().unwrap().0);
        assert!(s.finish_reprocess(target).unwrap());
        assert_eq!(export_without_ids(&mut s), want, "{url}");
        let info = s.info().unwrap();
        assert_eq!(info.generation, want_info.generation + 1);
        assert_eq!(
            (info.articles, info.near_duplicates, info.events, info.mentions, info.entities, info.actors),
            (
                want_info.articles,
                want_info.near_duplicates,
                want_info.events,
                want_info.mentions,
                want_info.entities,
                want_info.actors
            ),
            "{url}"
        );
        assert_eq!(info.corroborated_events, want_info.corroborated_events, "{url}");
        let hits = s.search("بالبصرة", 10).unwrap();
        assert_eq!(hits.len(), fresh.search("بالبصرة", 10).unwrap().len(), "{url}: the full-text index is whole");
    }
}

/// Reprocesses, four articles a transaction, every article after id `after` not yet at generation `target`.
fn reprocess_after(s: &mut Store, target: i64, mut after: i64) {
    loop {
        let page = s.articles_to_reprocess(target, after, 4).unwrap();
        let Some(last) = page.last() else { break };
        after = last.0;
        let docs: Vec<(i64, Document)> = page.iter().map(|(id, a)| (*id, analyse(a))).collect();
        s.replace_results(&docs, target).unwrap();
    }
}

#[test]
fn articles_ingested_during_a_reprocess_are_redone_and_leave_no_stale_rows() {
    // Their events are deleted with their facets (by the keys the event's row gives: there is no index of facets by
    // event) when the reprocess redoes them.
    let mut data = corpus();
    data.extend(varied_corpus(16));
    let d = dbs("reprocess_meanwhile");
    for url in d.urls.clone() {
        let mut s = Store::open(&url).unwrap();
        let (first, meanwhile) = data.split_at(3);
        s.ingest(first).unwrap();
        let target = s.begin_reprocess().unwrap();
        let old: Vec<(Article, Document)> =
            meanwhile.iter().enumerate().map(|(i, (a, doc))| (a.clone(), perturbed(doc, i))).collect();
        s.ingest(&old).unwrap();
        let before = s.info().unwrap();
        assert!(before.events > 0, "{url}: {before:?}");
        reprocess_after(&mut s, target, 0);
        assert!(s.finish_reprocess(target).unwrap());
        assert_eq!(s.check().unwrap(), Vec::<String>::new(), "{url}");
        let info = s.info().unwrap();
        assert_eq!(info.articles, data.len() as u64, "{url}");
    }
}

#[test]
fn two_connections_writing_in_turn_merge_as_one() {
    // Each connection keeps its merge candidates from one of its transactions to the next only while the other
    // has not written: an event the other created must be found. The same attack reported three times: the
    // target's country first IRQ, then twice SYR; the second report is a new event, the third must join it.
    let base = analyse(&article("t0", "outlet-a", ATTACK));
    assert!(base.events.iter().any(|e| e.place.is_some() && e.target.is_some()), "{:?}", base.events);
    let report = |i: usize, country: &str| {
        let mut doc = base.clone();
        for e in &mut doc.events {
            if let Some(t) = e.target.as_mut() {
                t.country = Some(country.into());
                t.actor_id = None;
            }
        }
        (article(&format!("t{i}"), &format!("outlet-{i}"), ATTACK), doc)
    };
    let data = [report(1, "IRQ"), report(2, "SYR"), report(3, "SYR")];
    let dir = tempfile::tempdir().unwrap();
    let path = |name: &str| dir.path().join(name).display().to_string();
    let mut fresh = Store::open(&path("fresh.db")).unwrap();
    for one in &data {
        fresh.ingest(std::slice::from_ref(one)).unwrap();
    }
    let want = export_without_ids(&mut fresh);
    let want_info = fresh.info().unwrap();
    let db = path("turns.db");
    let (mut a, mut b) = (Store::open(&db).unwrap(), Store::open(&db).unwrap());
    a.ingest(&data[..1]).unwrap();
    b.ingest(&data[1..2]).unwrap();
    a.ingest(&data[2..]).unwrap();
    assert_eq!(export_without_ids(&mut a), want);
    assert_eq!(a.info().unwrap(), want_info);
}

#[test]
fn many_connections_opening_a_new_store_at_once_all_succeed() {
    // An ingest and a reader (a dashboard, a test polling progress) may open a store no one has created yet at
    // the same moment: both migrate it, and neither may fail. SQLite upgraded a deferred read transaction to a
    // write one and returned "database is locked" at once to the loser, without waiting.
    for round in 0..20 {
        let d = dbs(&format!("race{round}"));
        for url in &d.urls {
            let barrier = std::sync::Barrier::new(8);
            let results: Vec<Result<(), String>> = std::thread::scope(|scope| {
                let handles: Vec<_> = (0..8)
                    .map(|_| {
                        scope.spawn(|| {
                            barrier.wait();
                            Store::open(url).and_then(|mut s| s.info().map(|_| ())).map_err(|e| e.to_string())
                        })
                    })
                    .collect();
                handles.into_iter().map(|h| h.join().unwrap()).collect()
            });
            for r in results {
                assert_eq!(r, Ok(()), "{url}, round {round}");
            }
        }
    }
}
