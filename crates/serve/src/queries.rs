//! The read routes over the store (`/v1/events`, `/v1/timeline`, …) and the token-guarded ingest route.
//!
//! Query strings are parsed into typed values here and validated by `rasid_store::EventFilter::parse`, so a
//! bad value is a 400 `bad_filter` naming the parameter, and every value reaches SQL only as a bound parameter
//! (the store builds its SQL from fixed fragments and `$n` placeholders). Unknown parameters are refused too, so
//! a misspelt filter (`contry=IRQ`) is an error, not a silently unfiltered answer.

use crate::auth::require_token;
use crate::error::ApiError;
use crate::extract::{analyse_all, read_articles, ExtractParams};
use crate::pool::StorePool;
use crate::AppState;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use rasid_store::{
    ActorEdge, ActorSummary, ArticleHit, Bucket, DbInfo, EventFilter, EventRecord, FilterArgs, IngestReport,
    PageRequest, Store, StoreError, TimelinePoint,
};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::Arc;

/// Events per page when `limit` is not given.
pub const DEFAULT_PAGE: usize = 50;
/// Largest page (the store's own bound).
pub const MAX_PAGE: usize = 1000;
/// Events the map reads at most for one answer (the places of the rest are left out, and `truncated` says so).
pub const MAX_PLACE_SCAN: usize = 20_000;

/// Every query parameter a read route knows; each route refuses the ones it does not use.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    #[serde(rename = "type")]
    pub types: Option<String>,
    pub country: Option<String>,
    pub role: Option<String>,
    pub actor: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub place: Option<String>,
    pub text: Option<String>,
    pub limit: Option<String>,
    pub cursor: Option<String>,
    pub by: Option<String>,
    pub q: Option<String>,
}

impl Params {
    fn filter(&self) -> Result<EventFilter, ApiError> {
        EventFilter::parse(&FilterArgs {
            types: self.types.as_deref(),
            country: self.country.as_deref(),
            role: self.role.as_deref(),
            actor: self.actor.as_deref(),
            from: self.from.as_deref(),
            to: self.to.as_deref(),
            place: self.place.as_deref(),
            text: self.text.as_deref(),
        })
        .map_err(store_error)
    }

    fn has_filter(&self) -> bool {
        [&self.types, &self.country, &self.role, &self.actor, &self.from, &self.to, &self.place, &self.text]
            .iter()
            .any(|v| v.is_some())
    }

    /// Refuse parameters the route does not take (`allowed` lists the non-filter ones it does).
    fn only(&self, filters: bool, allowed: &[&str]) -> Result<(), ApiError> {
        if !filters && self.has_filter() {
            return Err(ApiError::bad_filter("this route takes no event filters"));
        }
        let given = [("limit", &self.limit), ("cursor", &self.cursor), ("by", &self.by), ("q", &self.q)];
        for (name, v) in given {
            if v.is_some() && !allowed.contains(&name) {
                return Err(ApiError::bad_filter(format!("unknown parameter `{name}` for this route")));
            }
        }
        Ok(())
    }

    fn limit(&self, default: usize, max: usize) -> Result<usize, ApiError> {
        match self.limit.as_deref().map(str::trim) {
            None | Some("") => Ok(default),
            Some(s) => match s.parse::<usize>() {
                Ok(n) if (1..=max).contains(&n) => Ok(n),
                _ => Err(ApiError::bad_filter(format!("limit: `{s}` is not a whole number from 1 to {max}"))),
            },
        }
    }
}

/// A bad value is the client's fault; anything else is the server's.
pub fn store_error(e: StoreError) -> ApiError {
    match e {
        StoreError::Invalid { field, reason } => ApiError::bad_filter(format!("{field}: {reason}")),
        other => ApiError::internal(other),
    }
}

fn store(state: &AppState) -> Result<Arc<StorePool>, ApiError> {
    state.inner.store.clone().ok_or_else(|| {
        ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "no_database", "this server was started without a database")
    })
}

/// Run a store call on the pool; a store error becomes the matching API error.
async fn with_store<R: Send + 'static>(
    state: &AppState,
    f: impl FnOnce(&mut Store) -> Result<R, StoreError> + Send + 'static,
) -> Result<R, ApiError> {
    store(state)?.run(f).await?.map_err(store_error)
}

fn id_of(raw: &str) -> Result<i64, ApiError> {
    raw.parse::<i64>()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| ApiError::bad_filter(format!("id: `{raw}` is not a positive whole number")))
}

fn query(q: Result<Query<Params>, QueryRejection>) -> Result<Params, ApiError> {
    Ok(q?.0)
}

/// `GET /v1/events`.
#[derive(Debug, Serialize)]
pub struct EventsPage {
    pub events: Vec<EventRecord>,
    /// Pass as `cursor` for the next page; null on the last page.
    pub next_cursor: Option<String>,
}

pub async fn events(
    State(state): State<AppState>,
    q: Result<Query<Params>, QueryRejection>,
) -> Result<Json<EventsPage>, ApiError> {
    let p = query(q)?;
    p.only(true, &["limit", "cursor"])?;
    let filter = p.filter()?;
    let limit = p.limit(DEFAULT_PAGE, MAX_PAGE)?;
    let after_id = match p.cursor.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(c) => Some(
            c.parse::<i64>()
                .ok()
                .filter(|n| *n >= 0)
                .ok_or_else(|| ApiError::bad_filter(format!("cursor: `{c}` is not a cursor this API gave out")))?,
        ),
    };
    let page = PageRequest { after_id, limit };
    let got = with_store(&state, move |s| s.events(&filter, &page)).await?;
    Ok(Json(EventsPage { events: got.items, next_cursor: got.next_after.map(|n| n.to_string()) }))
}

/// `GET /v1/events/{id}`.
pub async fn event(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<rasid_store::EventDetail>, ApiError> {
    let id = id_of(&id)?;
    with_store(&state, move |s| s.event(id))
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::not_found(format!("no event {id}")))
}

/// `GET /v1/articles/{id}`.
pub async fn article(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<rasid_store::ArticleRecord>, ApiError> {
    let id = id_of(&id)?;
    with_store(&state, move |s| s.article(id))
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::not_found(format!("no article {id}")))
}

#[derive(Debug, Serialize)]
pub struct Actors {
    pub actors: Vec<ActorSummary>,
}

/// `GET /v1/actors?q=`.
pub async fn actors(
    State(state): State<AppState>,
    q: Result<Query<Params>, QueryRejection>,
) -> Result<Json<Actors>, ApiError> {
    let p = query(q)?;
    p.only(false, &["q", "limit"])?;
    let limit = p.limit(DEFAULT_PAGE, MAX_PAGE)?;
    let needle = p.q.unwrap_or_default();
    Ok(Json(Actors { actors: with_store(&state, move |s| s.actors(&needle, limit)).await? }))
}

#[derive(Debug, Serialize)]
pub struct Timeline {
    pub by: Bucket,
    pub points: Vec<TimelinePoint>,
}

/// `GET /v1/timeline`.
pub async fn timeline(
    State(state): State<AppState>,
    q: Result<Query<Params>, QueryRejection>,
) -> Result<Json<Timeline>, ApiError> {
    let p = query(q)?;
    p.only(true, &["by"])?;
    let filter = p.filter()?;
    let by = match p.by.as_deref() {
        None | Some("") => Bucket::Week,
        Some(b) => b.parse::<Bucket>().map_err(store_error)?,
    };
    Ok(Json(Timeline { by, points: with_store(&state, move |s| s.timeline(&filter, by)).await? }))
}

#[derive(Debug, Serialize)]
pub struct Network {
    pub edges: Vec<ActorEdge>,
}

/// `GET /v1/network`.
pub async fn network(
    State(state): State<AppState>,
    q: Result<Query<Params>, QueryRejection>,
) -> Result<Json<Network>, ApiError> {
    let p = query(q)?;
    p.only(true, &["limit"])?;
    let filter = p.filter()?;
    let limit = p.limit(100, 10_000)?;
    Ok(Json(Network { edges: with_store(&state, move |s| s.network(&filter, limit)).await? }))
}

#[derive(Debug, Serialize)]
pub struct Hits {
    pub hits: Vec<ArticleHit>,
}

/// `GET /v1/search?q=`.
pub async fn search(
    State(state): State<AppState>,
    q: Result<Query<Params>, QueryRejection>,
) -> Result<Json<Hits>, ApiError> {
    let p = query(q)?;
    p.only(false, &["q", "limit"])?;
    let limit = p.limit(DEFAULT_PAGE, MAX_PAGE)?;
    let needle =
        p.q.filter(|q| !q.trim().is_empty()).ok_or_else(|| ApiError::bad_filter("q: give words to search for"))?;
    Ok(Json(Hits { hits: with_store(&state, move |s| s.search(&needle, limit)).await? }))
}

/// One place with the events that happened there.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlaceCount {
    pub name: String,
    pub country: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub events: u64,
    /// Events per PLOVER type.
    pub types: std::collections::BTreeMap<String, u64>,
}

#[derive(Debug, Serialize)]
pub struct Places {
    pub places: Vec<PlaceCount>,
    /// Events read.
    pub scanned: usize,
    /// Whether more events matched than [`MAX_PLACE_SCAN`].
    pub truncated: bool,
}

/// A place as the events name it: name, country and the coordinates' bits (equal floats, equal bits).
type PlaceKey = (String, Option<String>, Option<u64>, Option<u64>);

/// Group events by place, most events first.
pub fn group_places<'a>(events: impl IntoIterator<Item = &'a EventRecord>) -> Vec<PlaceCount> {
    let mut by: HashMap<PlaceKey, PlaceCount> = HashMap::new();
    for e in events {
        let Some(name) = e.place.as_ref() else { continue };
        let key = (name.clone(), e.place_country.clone(), e.lat.map(f64::to_bits), e.lon.map(f64::to_bits));
        let entry = by.entry(key).or_insert_with(|| PlaceCount {
            name: name.clone(),
            country: e.place_country.clone(),
            lat: e.lat,
            lon: e.lon,
            events: 0,
            types: Default::default(),
        });
        entry.events += 1;
        *entry.types.entry(e.kind.clone()).or_default() += 1;
    }
    let mut out: Vec<PlaceCount> = by.into_values().collect();
    out.sort_by(|a, b| b.events.cmp(&a.events).then_with(|| a.name.cmp(&b.name)));
    out
}

/// `GET /v1/places`: where the events matching the filters happened (for the map).
pub async fn places(
    State(state): State<AppState>,
    q: Result<Query<Params>, QueryRejection>,
) -> Result<Json<Places>, ApiError> {
    let p = query(q)?;
    p.only(true, &["limit"])?;
    let filter = p.filter()?;
    let limit = p.limit(500, 10_000)?;
    let (mut places, scanned, truncated) = with_store(&state, move |s| {
        let mut events = Vec::new();
        let mut page = PageRequest { after_id: None, limit: MAX_PAGE };
        loop {
            let got = s.events(&filter, &page)?;
            events.extend(got.items);
            match got.next_after {
                Some(after) if events.len() < MAX_PLACE_SCAN => page.after_id = Some(after),
                Some(_) => return Ok((group_places(&events), events.len(), true)),
                None => return Ok((group_places(&events), events.len(), false)),
            }
        }
    })
    .await?;
    places.truncate(limit);
    Ok(Json(Places { places, scanned, truncated }))
}

/// `GET /v1/info`.
pub async fn info(State(state): State<AppState>) -> Result<Json<DbInfo>, ApiError> {
    Ok(Json(with_store(&state, |s| s.info()).await?))
}

#[derive(Debug, Serialize)]
pub struct Ingested {
    pub report: IngestReport,
}

/// `POST /v1/articles`: analyse and store the posted articles (bearer token required).
pub async fn ingest(
    State(state): State<AppState>,
    params: Result<Query<ExtractParams>, QueryRejection>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<Ingested>), ApiError> {
    require_token(state.config().token.as_deref(), &headers)?;
    let Query(params) = params?;
    let body = body?;
    store(&state)?;
    let articles = read_articles(&headers, params, &body, state.config().max_body_bytes)?;
    let (articles, docs) = analyse_all(&state, articles).await?;
    let batch: Vec<_> = articles.into_iter().zip(docs).collect();
    let report = with_store(&state, move |s| s.ingest(&batch)).await?;
    Ok((StatusCode::OK, Json(Ingested { report })))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(id: i64, kind: &str, place: Option<&str>, lat: Option<f64>) -> EventRecord {
        EventRecord {
            id,
            kind: kind.into(),
            cameo: None,
            date: None,
            date_precision: None,
            date_start: None,
            date_end: None,
            source_actor_id: None,
            source_name: None,
            source_country: None,
            source_role: None,
            target_actor_id: None,
            target_name: None,
            target_country: None,
            target_role: None,
            place: place.map(str::to_string),
            place_country: Some("IRQ".into()),
            lat,
            lon: lat,
            killed: None,
            wounded: None,
            arrested: None,
            participants: None,
            modality: "asserted".into(),
            negated: false,
            mentions: 1,
            sources: 1,
            independent_sources: 1,
            trigger: String::new(),
            sentence: String::new(),
            article_id: 1,
            article_ext_id: "a".into(),
            outlet: None,
            published: None,
            url: None,
        }
    }

    #[test]
    fn places_group_by_name_and_coordinates() {
        let events = [
            ev(1, "ASSAULT", Some("بغداد"), Some(33.3)),
            ev(2, "PROTEST", Some("بغداد"), Some(33.3)),
            ev(3, "ASSAULT", Some("بغداد"), Some(33.3)),
            ev(4, "ASSAULT", Some("الموصل"), None),
            ev(5, "ASSAULT", None, None),
        ];
        let got = group_places(&events);
        assert_eq!(got.len(), 2);
        assert_eq!((got[0].name.as_str(), got[0].events), ("بغداد", 3));
        assert_eq!(got[0].types["ASSAULT"], 2);
        assert_eq!((got[1].name.as_str(), got[1].lat), ("الموصل", None));
    }

    #[test]
    fn limits_and_ids_are_checked() {
        let p = Params { limit: Some("0".into()), ..Params::default() };
        assert_eq!(p.limit(50, 1000).unwrap_err().code, "bad_filter");
        let p = Params { limit: Some("1001".into()), ..Params::default() };
        assert!(p.limit(50, 1000).is_err());
        let p = Params { limit: Some(" 20 ".into()), ..Params::default() };
        assert_eq!(p.limit(50, 1000).unwrap(), 20);
        assert!(id_of("12").is_ok());
        for bad in ["0", "-3", "1 OR 1=1", "x"] {
            assert_eq!(id_of(bad).unwrap_err().code, "bad_filter", "{bad}");
        }
        let p = Params { cursor: Some("5".into()), ..Params::default() };
        assert!(p.only(true, &["limit"]).is_err());
        let p = Params { country: Some("IRQ".into()), ..Params::default() };
        assert!(p.only(false, &["q"]).is_err());
        assert!(p.only(true, &[]).is_ok());
    }
}
