//! The dashboard's static files, embedded in the binary (no CDN, no files beside the binary at run time).

use axum::extract::Path;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::error::ApiError;

/// One embedded file: its name under `/assets/`, its content type and its bytes.
pub struct Asset {
    pub name: &'static str,
    pub mime: &'static str,
    pub body: &'static [u8],
}

macro_rules! assets {
    ($( $name:literal => $mime:literal ),* $(,)?) => {
        /// Every file under `crates/serve/assets/` that the dashboard loads.
        pub const ASSETS: &[Asset] = &[
            $( Asset { name: $name, mime: $mime, body: include_bytes!(concat!("../assets/", $name)) } ),*
        ];
    };
}

assets! {
    "index.html" => "text/html; charset=utf-8",
    "style.css" => "text/css; charset=utf-8",
    "app.js" => "text/javascript; charset=utf-8",
    "api.js" => "text/javascript; charset=utf-8",
    "timeline.js" => "text/javascript; charset=utf-8",
    "network.js" => "text/javascript; charset=utf-8",
    "map.js" => "text/javascript; charset=utf-8",
    "article.js" => "text/javascript; charset=utf-8",
    "events.js" => "text/javascript; charset=utf-8",
    "util.js" => "text/javascript; charset=utf-8",
    "world-110m.json" => "application/json",
    "LICENSE-world-atlas" => "text/plain; charset=utf-8",
}

pub fn find(name: &str) -> Option<&'static Asset> {
    ASSETS.iter().find(|a| a.name == name)
}

fn respond(a: &Asset) -> Response {
    let mut res = (StatusCode::OK, a.body).into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(a.mime));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    res
}

/// `GET /`: the dashboard page.
pub async fn index() -> Response {
    match find("index.html") {
        Some(a) => respond(a),
        None => ApiError::internal("index.html is not embedded").into_response(),
    }
}

/// `GET /assets/{name}`.
pub async fn asset(Path(name): Path<String>) -> Response {
    match find(&name) {
        Some(a) => respond(a),
        None => ApiError::not_found(format!("no asset `{name}`")).into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_asset_the_page_and_modules_import_is_embedded() {
        let page = std::str::from_utf8(find("index.html").unwrap().body).unwrap();
        let mut wanted = Vec::new();
        for a in ASSETS.iter().filter(|a| a.name.ends_with(".js") || a.name.ends_with(".html")) {
            let text = std::str::from_utf8(a.body).unwrap();
            for (i, _) in text.match_indices("/assets/") {
                let rest = &text[i + "/assets/".len()..];
                let end = rest.find(|c: char| !(c.is_ascii_alphanumeric() || "-_.".contains(c))).unwrap_or(rest.len());
                wanted.push(rest[..end].to_string());
            }
            for (i, _) in text.match_indices("from './") {
                let rest = &text[i + "from './".len()..];
                wanted.push(rest[..rest.find('\'').unwrap()].to_string());
            }
        }
        assert!(page.contains("/assets/app.js"));
        for w in wanted {
            assert!(find(&w).is_some(), "`{w}` is referenced but not embedded");
        }
    }
}
