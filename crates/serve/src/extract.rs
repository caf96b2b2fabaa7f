//! `POST /v1/extract`: analyse posted text, HTML, JSON or JSON Lines without storing anything.
//!
//! The body is read with the same readers as `rasid extract` (`rasid_input::read_str`), chosen by content type:
//! `text/plain` (default) and `text/html` are one article whose metadata comes from the query (`id`,
//! `published`, `source`); `application/json` is one record and `application/x-ndjson` (or `application/jsonl`)
//! one record a line, each with `text` and optional `id`, `published`, `source`, `title`, `url`, `lang`. Any bad
//! record fails the whole request with a 400 naming its line, so a batch is analysed whole or not at all.
//! Analysis runs on the blocking pool, at most one request per core at a time.

use crate::error::ApiError;
use crate::AppState;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::Json;
use rasid_core::model::Document;
use rasid_core::Extractor;
use rasid_input::{read_str, Article, Format, ReadOptions};
use serde::{Deserialize, Serialize};

/// Metadata for a single text or HTML article.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExtractParams {
    pub id: Option<String>,
    /// `YYYY-MM-DD`.
    pub published: Option<String>,
    pub source: Option<String>,
    /// Also return each article's text as read (the documents' offsets are code points into it).
    #[serde(default)]
    pub include_text: bool,
}

/// The answer: one document per article, in input order.
#[derive(Debug, Serialize)]
pub struct Extracted {
    pub documents: Vec<Document>,
    /// With `include_text=true`: the text of each document, in the same order.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub texts: Option<Vec<String>>,
}

/// The input format a content type names; `None` for one the endpoint does not read.
pub fn format_of(headers: &HeaderMap) -> Result<Format, ApiError> {
    let ct = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("text/plain");
    let mime = ct.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    match mime.as_str() {
        "" | "text/plain" => Ok(Format::Text),
        "text/html" => Ok(Format::Html),
        "application/json"
        | "application/x-ndjson"
        | "application/jsonl"
        | "application/jsonlines"
        | "application/x-jsonlines" => Ok(Format::Jsonl),
        _ => Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            format!("content type `{mime}`: expected text/plain, text/html, application/json or application/x-ndjson"),
        )),
    }
}

/// Read the posted articles; a record that cannot be read fails the request.
pub fn read_articles(
    headers: &HeaderMap,
    params: ExtractParams,
    body: &[u8],
    max_article_bytes: usize,
) -> Result<Vec<Article>, ApiError> {
    let format = format_of(headers)?;
    let opts = ReadOptions {
        format: Some(format),
        max_article_bytes,
        id: params.id,
        published: params.published,
        source: params.source,
    };
    opts.check().map_err(|e| ApiError::bad_filter(e.to_string()))?;
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::bad_request("empty body: post the article text"));
    }
    let name = match format {
        Format::Jsonl => "body.jsonl",
        Format::Html => "body.html",
        Format::Text => "body.txt",
    };
    let mut articles = Vec::new();
    for item in read_str(name, body, format, &opts) {
        match item {
            Ok(a) => articles.push(a),
            Err(e) => {
                let code = if format == Format::Jsonl { "malformed_json" } else { "bad_request" };
                return Err(ApiError::new(StatusCode::BAD_REQUEST, code, e.to_string()));
            }
        }
    }
    if articles.is_empty() {
        return Err(ApiError::bad_request("no article in the body"));
    }
    Ok(articles)
}

pub use rasid_store::analyse;

/// Analyse articles on the blocking pool, holding one of the state's analysis permits.
pub async fn analyse_all(state: &AppState, articles: Vec<Article>) -> Result<(Vec<Article>, Vec<Document>), ApiError> {
    let extractor = Extractor::shared().map_err(ApiError::internal)?;
    let _permit = state.inner.analysis.acquire().await.map_err(ApiError::internal)?;
    tokio::task::spawn_blocking(move || {
        let docs = articles.iter().map(|a| analyse(extractor, a)).collect();
        (articles, docs)
    })
    .await
    .map_err(ApiError::internal)
}

pub async fn extract(
    State(state): State<AppState>,
    params: Result<Query<ExtractParams>, QueryRejection>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<Extracted>, ApiError> {
    let Query(params) = params?;
    let include_text = params.include_text;
    let body = body?;
    let articles = read_articles(&headers, params, &body, state.inner.config.max_body_bytes)?;
    let (articles, documents) = analyse_all(&state, articles).await?;
    let texts = include_text.then(|| articles.into_iter().map(|a| a.text).collect());
    Ok(Json(Extracted { documents, texts }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(ct: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::CONTENT_TYPE, HeaderValue::from_str(ct).unwrap());
        h
    }

    #[test]
    fn content_types_pick_the_reader() {
        assert_eq!(format_of(&HeaderMap::new()).unwrap(), Format::Text);
        assert_eq!(format_of(&headers("text/plain; charset=utf-8")).unwrap(), Format::Text);
        assert_eq!(format_of(&headers("text/html")).unwrap(), Format::Html);
        assert_eq!(format_of(&headers("application/x-ndjson")).unwrap(), Format::Jsonl);
        assert_eq!(format_of(&headers("image/png")).unwrap_err().status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    }

    #[test]
    fn jsonl_lines_become_articles_and_a_bad_line_fails_all() {
        let body = "{\"id\":\"a\",\"text\":\"نص أول\"}\n{\"id\":\"b\",\"text\":\"نص ثان\"}\n";
        let got = read_articles(&headers("application/x-ndjson"), ExtractParams::default(), body.as_bytes(), 1 << 20)
            .unwrap();
        assert_eq!(got.iter().map(|a| a.id.as_str()).collect::<Vec<_>>(), ["a", "b"]);
        let bad = "{\"id\":\"a\",\"text\":\"نص\"}\n{\"id\": \n";
        let err = read_articles(&headers("application/x-ndjson"), ExtractParams::default(), bad.as_bytes(), 1 << 20)
            .unwrap_err();
        assert_eq!(err.code, "malformed_json");
        assert!(err.message.contains(":2"), "{}", err.message);
    }

    #[test]
    fn text_takes_metadata_from_the_query_and_checks_the_date() {
        let p = ExtractParams { id: Some("x".into()), published: Some("2024-02-18".into()), ..Default::default() };
        let got = read_articles(&HeaderMap::new(), p, "نص الخبر".as_bytes(), 1 << 20).unwrap();
        assert_eq!((got[0].id.as_str(), got[0].published.as_deref()), ("x", Some("2024-02-18")));
        let p = ExtractParams { published: Some("yesterday".into()), ..Default::default() };
        assert_eq!(read_articles(&HeaderMap::new(), p, b"x", 1 << 20).unwrap_err().code, "bad_filter");
        let empty = read_articles(&HeaderMap::new(), ExtractParams::default(), b"  \n", 1 << 20).unwrap_err();
        assert_eq!(empty.code, "bad_request");
    }
}
