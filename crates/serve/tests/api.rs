//! The API without a socket: `app(state).oneshot(request)` over a temporary SQLite store holding the repo's
//! samples and the seed article, ingested through `POST /v1/articles`.

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use rasid_serve::pool::StorePool;
use rasid_serve::{app, AppState, Config, API_ROUTES, OPENAPI};
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::path::PathBuf;
use tokio::sync::OnceCell;
use tower::ServiceExt;

const TOKEN: &str = "test-token-7f3a";

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn seed_dir() -> PathBuf {
    repo().join("../shared/data/seed")
}

fn temp_db(name: &str) -> String {
    let dir = std::env::temp_dir().join(format!("rasid-serve-api-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{name}.db"));
    for ext in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{ext}", path.display()));
    }
    path.display().to_string()
}

fn state_for(db: &str, config: Config) -> AppState {
    AppState::new(config, Some(StorePool::open(db, 2).expect("store opens")))
}

fn writer_config() -> Config {
    Config { token: Some(TOKEN.into()), ..Config::default() }
}

async fn send(app: &Router, req: Request<Body>) -> (StatusCode, Value, axum::http::HeaderMap) {
    let res = app.clone().oneshot(req).await.expect("the router answers");
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    let value = if bytes.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&bytes).unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()))
    };
    (status, value, headers)
}

async fn get(app: &Router, uri: &str) -> (StatusCode, Value) {
    let (s, v, _) = send(app, Request::get(uri).body(Body::empty()).unwrap()).await;
    (s, v)
}

fn post(uri: &str, content_type: &str, body: impl Into<Body>) -> Request<Body> {
    Request::post(uri).header(header::CONTENT_TYPE, content_type).body(body.into()).unwrap()
}

fn authed(mut req: Request<Body>) -> Request<Body> {
    req.headers_mut().insert(header::AUTHORIZATION, format!("Bearer {TOKEN}").parse().unwrap());
    req
}

fn assert_error(status: StatusCode, body: &Value, want_status: StatusCode, want_code: &str) {
    assert_eq!(status, want_status, "{body}");
    assert_eq!(body["error"]["code"], want_code, "{body}");
    assert!(body["error"]["message"].as_str().is_some_and(|m| !m.is_empty()), "{body}");
    assert_eq!(body.as_object().unwrap().len(), 1, "only `error` at the top: {body}");
}

/// Post the samples and the seed through the API; returns the ingest reports.
async fn fill(app: &Router) -> Vec<Value> {
    let mut reports = Vec::new();
    let jsonl = std::fs::read(repo().join("samples/articles.jsonl")).unwrap();
    let mosul = std::fs::read(repo().join("samples/mosul-checkpoint.ar.txt")).unwrap();
    let seed = std::fs::read(seed_dir().join("qaani-baghdad.ar.txt")).unwrap();
    let reqs = [
        post("/v1/articles", "application/x-ndjson", jsonl),
        post(
            "/v1/articles?id=mosul-checkpoint&published=2024-03-12&source=%D8%B4%D8%A8%D9%83%D8%A9",
            "text/plain; charset=utf-8",
            mosul,
        ),
        post("/v1/articles?id=qaani-baghdad&published=2024-02-18&source=%D9%85%D9%88%D9%82%D8%B9", "text/plain", seed),
    ];
    for req in reqs {
        let (status, body, _) = send(app, authed(req)).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        reports.push(body["report"].clone());
    }
    reports
}

/// One database filled once and shared by the read-only tests.
async fn filled_db() -> &'static str {
    static DB: OnceCell<String> = OnceCell::const_new();
    DB.get_or_init(|| async {
        let db = temp_db("shared");
        let app = app(state_for(&db, writer_config()));
        fill(&app).await;
        db
    })
    .await
}

async fn reader() -> Router {
    app(state_for(filled_db().await, Config::default()))
}

async fn all_events(app: &Router, query: &str) -> Vec<Value> {
    let (s, v) = get(app, &format!("/v1/events?limit=1000{query}")).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert!(v["next_cursor"].is_null());
    v["events"].as_array().unwrap().clone()
}

#[tokio::test]
async fn ingest_needs_the_token_and_is_idempotent() {
    let db = temp_db("ingest");
    let app = app(state_for(&db, writer_config()));
    let body = || {
        "{\"id\":\"t1\",\"published\":\"2024-05-02\",\"text\":\"قالت الشرطة إن مسلحين هاجموا نقطة تفتيش في بغداد.\"}\n"
    };
    let (s, v, h) = send(&app, post("/v1/articles", "application/x-ndjson", body())).await;
    assert_error(s, &v, StatusCode::UNAUTHORIZED, "unauthorized");
    assert_eq!(h[header::WWW_AUTHENTICATE], "Bearer");
    let mut wrong = post("/v1/articles", "application/x-ndjson", body());
    wrong.headers_mut().insert(header::AUTHORIZATION, "Bearer nope".parse().unwrap());
    let (s, v, _) = send(&app, wrong).await;
    assert_error(s, &v, StatusCode::UNAUTHORIZED, "unauthorized");
    let (_, info) = get(&app, "/v1/info").await;
    assert_eq!(info["articles"], 0, "refused writes store nothing");

    let (s, v, _) = send(&app, authed(post("/v1/articles", "application/x-ndjson", body()))).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["report"]["added"], 1);
    let (s, v, _) = send(&app, authed(post("/v1/articles", "application/x-ndjson", body()))).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!((v["report"]["added"].clone(), v["report"]["skipped"].clone()), (json!(0), json!(1)));

    // A server without a token takes no writes at all, even with a header.
    let ro = rasid_serve::app(state_for(&db, Config::default()));
    let (s, v, _) = send(&ro, authed(post("/v1/articles", "application/x-ndjson", body()))).await;
    assert_error(s, &v, StatusCode::FORBIDDEN, "writes_disabled");
}

#[tokio::test]
async fn the_filled_store_holds_the_samples_and_the_seed() {
    let db = temp_db("fill");
    let app = app(state_for(&db, writer_config()));
    let reports = fill(&app).await;
    let added: u64 = reports.iter().map(|r| r["added"].as_u64().unwrap()).sum();
    assert_eq!(added, 5, "three JSONL samples, the Mosul sample and the seed: {reports:?}");
    let (s, info) = get(&app, "/v1/info").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(info["articles"], 5);
    assert!(info["events"].as_u64().unwrap() > 0, "{info}");
}

#[tokio::test]
async fn events_page_through_every_event_once() {
    let app = reader().await;
    let (_, info) = get(&app, "/v1/info").await;
    let total = info["events"].as_u64().unwrap() as usize;
    assert!(total >= 2, "{info}");
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let uri = match &cursor {
            Some(c) => format!("/v1/events?limit=1&cursor={c}"),
            None => "/v1/events?limit=1".to_string(),
        };
        let (s, v) = get(&app, &uri).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        let page = v["events"].as_array().unwrap();
        assert!(page.len() <= 1);
        seen.extend(page.iter().map(|e| e["id"].as_i64().unwrap()));
        match v["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => break,
        }
    }
    assert_eq!(seen.len(), total);
    assert!(seen.windows(2).all(|w| w[0] < w[1]), "ids ascend without repeats: {seen:?}");
}

#[tokio::test]
async fn filters_narrow_and_bad_values_are_400() {
    let app = reader().await;
    let all = all_events(&app, "").await;
    let kind = all[0]["type"].as_str().unwrap().to_string();
    let some = all_events(&app, &format!("&type={}", kind.to_lowercase())).await;
    assert!(!some.is_empty() && some.iter().all(|e| e["type"] == kind.as_str()));
    let from_later = all_events(&app, "&from=2099-01-01").await;
    assert!(from_later.is_empty());

    for (uri, what) in [
        ("/v1/events?country=IRAQ", "country"),
        ("/v1/events?role=M1L", "role"),
        ("/v1/events?type=BOMB", "type"),
        ("/v1/events?from=yesterday", "from"),
        ("/v1/events?from=2019&to=2018", "from"),
        ("/v1/events?limit=0", "limit"),
        ("/v1/events?limit=ten", "limit"),
        ("/v1/events?cursor=abc", "cursor"),
        ("/v1/events?contry=IRQ", "contry"),
        ("/v1/events?q=x", "q"),
        ("/v1/timeline?by=fortnight", "by"),
        ("/v1/search", "q"),
        ("/v1/actors?country=IRQ", "filters"),
        ("/v1/events/abc", "id"),
        ("/v1/articles/0", "id"),
    ] {
        let (s, v) = get(&app, uri).await;
        assert_error(s, &v, StatusCode::BAD_REQUEST, "bad_filter");
        assert!(v["error"]["message"].as_str().unwrap().contains(what), "{uri}: {v}");
    }
    let long = "ا".repeat(150);
    let (s, v) = get(&app, &format!("/v1/events?actor={long}")).await;
    assert_error(s, &v, StatusCode::BAD_REQUEST, "bad_filter");
}

#[tokio::test]
async fn filter_values_carrying_sql_are_bound_not_interpreted() {
    let app = reader().await;
    let total = all_events(&app, "").await.len();
    assert!(total > 0);
    let inject = "%27%20OR%201%3D1%20--"; // ' OR 1=1 --
    for field in ["actor", "place", "text"] {
        let got = all_events(&app, &format!("&{field}={inject}")).await;
        assert!(got.is_empty(), "{field}=' OR 1=1 -- matched {} of {total} events", got.len());
    }
    let quoted = "x%27%29%3B%20DROP%20TABLE%20events%3B%20--"; // x'); DROP TABLE events; --
    for uri in [
        format!("/v1/events?actor={quoted}"),
        format!("/v1/search?q={inject}"),
        format!("/v1/search?q={quoted}"),
        format!("/v1/actors?q={inject}"),
        format!("/v1/timeline?place={quoted}"),
        format!("/v1/network?actor={inject}"),
    ] {
        let (s, v) = get(&app, &uri).await;
        assert_eq!(s, StatusCode::OK, "{uri}: {v}");
        let rows = v.as_object().unwrap().values().find_map(Value::as_array).unwrap();
        assert!(rows.is_empty(), "{uri} matched: {v}");
    }
    let (s, v) = get(&app, "/v1/events?type=ASSAULT%27%20OR%20%271%27%3D%271").await;
    assert_error(s, &v, StatusCode::BAD_REQUEST, "bad_filter");
    assert_eq!(all_events(&app, "").await.len(), total, "the tables are intact");
}

#[tokio::test]
async fn event_and_article_details() {
    let app = reader().await;
    let first = &all_events(&app, "").await[0];
    let id = first["id"].as_i64().unwrap();
    let (s, v) = get(&app, &format!("/v1/events/{id}")).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["event"]["id"], id);
    assert!(!v["mentions"].as_array().unwrap().is_empty());
    let (s, v) = get(&app, "/v1/events/999999").await;
    assert_error(s, &v, StatusCode::NOT_FOUND, "not_found");

    let article = first["article_id"].as_i64().unwrap();
    let (s, a) = get(&app, &format!("/v1/articles/{article}")).await;
    assert_eq!(s, StatusCode::OK, "{a}");
    let text: Vec<char> = a["text"].as_str().unwrap().chars().collect();
    let doc = &a["document"];
    assert_eq!(doc["length"].as_u64().unwrap() as usize, text.len());
    for layer in ["sentences", "entities", "loaded", "boilerplate"] {
        for item in doc[layer].as_array().unwrap() {
            let (start, end) = (item["start"].as_u64().unwrap() as usize, item["end"].as_u64().unwrap() as usize);
            let slice: String = text[start..end].iter().collect();
            assert_eq!(slice, item["text"].as_str().unwrap(), "{layer} offsets are code points into `text`");
        }
    }
    let (s, v) = get(&app, "/v1/articles/424242").await;
    assert_error(s, &v, StatusCode::NOT_FOUND, "not_found");
}

#[tokio::test]
async fn aggregates_actors_and_search() {
    let app = reader().await;
    let total = all_events(&app, "").await.len() as u64;
    let (s, t) = get(&app, "/v1/timeline?by=month").await;
    assert_eq!(s, StatusCode::OK, "{t}");
    assert_eq!(t["by"], "month");
    let points = t["points"].as_array().unwrap();
    assert!(!points.is_empty());
    let counted: u64 = points.iter().map(|p| p["events"].as_u64().unwrap()).sum();
    assert!(counted <= total && counted > 0, "{counted} of {total}");
    assert!(points.iter().all(|p| p["bucket"].as_str().unwrap().len() == 7), "{t}");

    let (s, n) = get(&app, "/v1/network?limit=5").await;
    assert_eq!(s, StatusCode::OK, "{n}");
    assert!(n["edges"].as_array().unwrap().len() <= 5);

    let (s, p) = get(&app, "/v1/places").await;
    assert_eq!(s, StatusCode::OK, "{p}");
    let placed: u64 = p["places"].as_array().unwrap().iter().map(|x| x["events"].as_u64().unwrap()).sum();
    assert!(placed <= total);
    assert_eq!(p["truncated"], false);

    let (s, a) = get(&app, "/v1/actors?limit=3").await;
    assert_eq!(s, StatusCode::OK, "{a}");
    let actors = a["actors"].as_array().unwrap();
    assert!(!actors.is_empty() && actors.len() <= 3);
    let id = actors[0]["id"].as_str().unwrap();
    let (_, one) = get(&app, &format!("/v1/actors?q={id}")).await;
    assert!(one["actors"].as_array().unwrap().iter().any(|x| x["id"] == id), "{one}");

    // `بغداد` is in the seed; the search normalises (`بغداد` written with a diacritic still matches).
    let (s, hits) = get(&app, "/v1/search?q=%D8%A8%D8%BA%D8%AF%D8%A7%D8%AF").await;
    assert_eq!(s, StatusCode::OK, "{hits}");
    let hits = hits["hits"].as_array().unwrap();
    assert!(hits.iter().any(|h| h["ext_id"] == "qaani-baghdad"), "{hits:?}");
}

#[tokio::test]
async fn extract_analyses_without_storing() {
    let db = temp_db("extract");
    let app = app(state_for(&db, Config::default()));
    let seed = std::fs::read_to_string(seed_dir().join("qaani-baghdad.ar.txt")).unwrap();
    let (s, v, _) =
        send(&app, post("/v1/extract?id=seed&published=2024-02-18&include_text=true", "text/plain", seed.clone()))
            .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let doc = &v["documents"][0];
    assert_eq!(doc["id"], "seed");
    assert_eq!(doc["published"], "2024-02-18");
    assert!(!doc["events"].as_array().unwrap().is_empty());
    assert_eq!(v["texts"][0].as_str().unwrap().chars().count() as u64, doc["length"].as_u64().unwrap());
    let (_, info) = get(&app, "/v1/info").await;
    assert_eq!(info["articles"], 0, "extract stores nothing");

    let jsonl = std::fs::read(repo().join("samples/articles.jsonl")).unwrap();
    let (s, v, _) = send(&app, post("/v1/extract", "application/x-ndjson", jsonl)).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let ids: Vec<&str> = v["documents"].as_array().unwrap().iter().map(|d| d["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["sample-1", "sample-2", "sample-3"]);
    assert!(v.get("texts").is_none());

    let one = json!({"id": "j", "text": "تظاهر مئات الطلاب أمام الجامعة."}).to_string();
    let (s, v, _) = send(&app, post("/v1/extract", "application/json", one)).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["documents"][0]["id"], "j");
}

#[tokio::test]
async fn malformed_oversized_unknown_and_wrong_method_are_json_errors() {
    let small = Config { max_body_bytes: 1024, ..Config::default() };
    let app = app(AppState::new(small, None));
    let (s, v, _) = send(&app, post("/v1/extract", "application/json", "{\"text\": \"نص")).await;
    assert_error(s, &v, StatusCode::BAD_REQUEST, "malformed_json");
    let (s, v, _) = send(&app, post("/v1/extract", "application/x-ndjson", "{\"text\":\"a\"}\n[1,2\n")).await;
    assert_error(s, &v, StatusCode::BAD_REQUEST, "malformed_json");
    let (s, v, _) = send(&app, post("/v1/extract", "application/json", "{\"id\":\"x\"}")).await;
    assert_error(s, &v, StatusCode::BAD_REQUEST, "malformed_json");
    let (s, v, _) = send(&app, post("/v1/extract", "text/plain", "")).await;
    assert_error(s, &v, StatusCode::BAD_REQUEST, "bad_request");
    let (s, v, _) = send(&app, post("/v1/extract", "image/png", "x")).await;
    assert_error(s, &v, StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type");
    let (s, v, _) = send(&app, post("/v1/extract?published=2024-13-45", "text/plain", "نص")).await;
    assert_error(s, &v, StatusCode::BAD_REQUEST, "bad_filter");
    let (s, v, _) = send(&app, post("/v1/extract?colour=red", "text/plain", "نص")).await;
    assert_error(s, &v, StatusCode::BAD_REQUEST, "bad_filter");

    // Over the limit, with a length header (refused up front) and streamed without one.
    let big = "ن".repeat(2000);
    let (s, v, _) = send(&app, post("/v1/extract", "text/plain", big.clone())).await;
    assert_error(s, &v, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large");
    let chunks = futures_stream(big.into_bytes());
    let req = Request::post("/v1/extract").header(header::CONTENT_TYPE, "text/plain").body(chunks).unwrap();
    let (s, v, _) = send(&app, req).await;
    assert_error(s, &v, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large");

    let (s, v) = get(&app, "/v2/nothing").await;
    assert_error(s, &v, StatusCode::NOT_FOUND, "not_found");
    let (s, v) = get(&app, "/assets/missing.js").await;
    assert_error(s, &v, StatusCode::NOT_FOUND, "not_found");
    let (s, v, h) = send(&app, Request::delete("/v1/events").body(Body::empty()).unwrap()).await;
    assert_error(s, &v, StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed");
    assert!(h[header::ALLOW].to_str().unwrap().contains("GET"));
    let (s, v) = get(&app, "/v1/extract").await;
    assert_error(s, &v, StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed");

    // Without a database the store routes say so; extract still works.
    let (s, v) = get(&app, "/v1/events").await;
    assert_error(s, &v, StatusCode::SERVICE_UNAVAILABLE, "no_database");
    let (s, _, _) = send(&app, post("/v1/extract", "text/plain", "تظاهر الطلاب.")).await;
    assert_eq!(s, StatusCode::OK);
}

/// A body sent in small chunks with no length header.
fn futures_stream(data: Vec<u8>) -> Body {
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> = data.chunks(100).map(|c| Ok(c.to_vec())).collect();
    Body::from_stream(futures_util::stream::iter(chunks))
}

#[tokio::test]
async fn dashboard_and_assets_are_served() {
    let app = app(AppState::new(Config::default(), None));
    let res = app.clone().oneshot(Request::get("/").body(Body::empty()).unwrap()).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers()[header::CONTENT_TYPE].to_str().unwrap().starts_with("text/html"));
    let res = app.clone().oneshot(Request::get("/assets/world-110m.json").body(Body::empty()).unwrap()).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    let world: Value = serde_json::from_slice(&bytes).unwrap();
    let iraq = world["countries"].as_array().unwrap().iter().find(|c| c["iso3"] == "IRQ").expect("Iraq is outlined");
    assert!(iraq["d"].as_str().unwrap().starts_with('M'));
}

fn openapi() -> Value {
    serde_json::from_str(OPENAPI).expect("openapi.json is JSON")
}

#[test]
fn openapi_documents_exactly_the_routes() {
    let doc = openapi();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let mut documented = BTreeSet::new();
    for (path, ops) in doc["paths"].as_object().unwrap() {
        for method in ops.as_object().unwrap().keys() {
            documented.insert((method.to_uppercase(), path.clone()));
        }
    }
    let routed: BTreeSet<(String, String)> = API_ROUTES.iter().map(|(m, p)| (m.to_string(), p.to_string())).collect();
    assert_eq!(documented, routed);
    // Every `$ref` resolves.
    let text = OPENAPI;
    for (i, _) in text.match_indices("\"$ref\": \"#/") {
        let rest = &text[i + "\"$ref\": \"#/".len()..];
        let pointer = format!("/{}", &rest[..rest.find('"').unwrap()]);
        assert!(doc.pointer(&pointer).is_some(), "dangling $ref {pointer}");
    }
}

#[tokio::test]
async fn every_documented_route_is_routed() {
    let app = app(AppState::new(Config::default(), None));
    for (method, path) in API_ROUTES {
        let uri = path.replace("{id}", "1");
        let req = Request::builder().method(Method::from_bytes(method.as_bytes()).unwrap()).uri(&uri);
        let (s, v, _) = send(&app, req.body(Body::empty()).unwrap()).await;
        assert_ne!(s, StatusCode::METHOD_NOT_ALLOWED, "{method} {path}");
        assert!(v["error"]["message"] != "no such route", "{method} {path} is not routed");
    }
}

/// The documented properties of each record are exactly the keys the API sends.
#[tokio::test]
async fn openapi_schemas_match_the_answers() {
    let app = reader().await;
    let doc = openapi();
    let keys = |v: &Value| v.as_object().unwrap().keys().cloned().collect::<BTreeSet<_>>();
    let props = |name: &str| keys(&doc["components"]["schemas"][name]["properties"]);
    let first = all_events(&app, "").await[0].clone();
    assert_eq!(keys(&first), props("EventRecord"));
    let (_, detail) = get(&app, &format!("/v1/events/{}", first["id"])).await;
    assert_eq!(keys(&detail), props("EventDetail"));
    assert_eq!(keys(&detail["mentions"][0]), props("MentionRecord"));
    let (_, article) = get(&app, &format!("/v1/articles/{}", first["article_id"])).await;
    assert_eq!(keys(&article), props("ArticleRecord"));
    let (_, info) = get(&app, "/v1/info").await;
    assert_eq!(keys(&info), props("DbInfo"));
    let (_, actors) = get(&app, "/v1/actors").await;
    assert_eq!(keys(&actors["actors"][0]), props("ActorSummary"));
    let (_, t) = get(&app, "/v1/timeline").await;
    assert_eq!(keys(&t["points"][0]), props("TimelinePoint"));
    let (_, p) = get(&app, "/v1/places").await;
    if let Some(place) = p["places"].as_array().unwrap().first() {
        assert_eq!(keys(place), props("PlaceCount"));
    }
    let (_, n) = get(&app, "/v1/network").await;
    if let Some(edge) = n["edges"].as_array().unwrap().first() {
        assert_eq!(keys(edge), props("ActorEdge"));
    }
    let (_, hits) = get(&app, "/v1/search?q=%D8%A8%D8%BA%D8%AF%D8%A7%D8%AF").await;
    assert_eq!(keys(&hits["hits"][0]), props("ArticleHit"));
}
