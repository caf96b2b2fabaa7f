//! rasid's HTTP service: a JSON API over the store, `POST /v1/extract`, and the embedded dashboard.
//!
//! [`app`] builds the whole router from an [`AppState`]; [`serve`] runs it on a listener until ctrl-c or
//! SIGTERM. The store is synchronous, so queries run on tokio's blocking pool through a small pool of opened
//! stores ([`pool::StorePool`]). The API's routes are declared once, in the `api_routes!` list below, which
//! also yields [`API_ROUTES`] for the test that holds `openapi.json` to the router. The wire format is in
//! `docs/api.md`.

pub mod assets;
pub mod auth;
pub mod error;
pub mod extract;
pub mod pool;
pub mod queries;

use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::routing::{get, on, MethodFilter};
use axum::Router;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Semaphore;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;

pub use error::ApiError;

/// Stores opened for queries by default: a few more than the cores, since a query also waits on I/O.
pub const DEFAULT_POOL_SIZE: usize = 4;

/// Largest request body accepted by default (a batch of a few hundred articles).
pub const DEFAULT_MAX_BODY_BYTES: usize = 8 << 20;

/// Longest a request may take by default, queueing for a store included.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// How the service is set up.
#[derive(Debug, Clone)]
pub struct Config {
    /// Larger bodies get 413 `payload_too_large`.
    pub max_body_bytes: usize,
    /// Slower requests get 503 `timeout`.
    pub timeout: Duration,
    /// The bearer token that allows writes; `None` refuses every write.
    pub token: Option<String>,
    /// Requests analysing text at once (each holds a core).
    pub analysis_slots: usize,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            timeout: DEFAULT_TIMEOUT,
            token: None,
            analysis_slots: std::thread::available_parallelism().map_or(2, |n| n.get()),
        }
    }
}

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) config: Config,
    pub(crate) analysis: Semaphore,
    /// `None`: only `/v1/extract` and the static routes work; the others answer 503 `no_database`.
    pub(crate) store: Option<Arc<pool::StorePool>>,
}

impl AppState {
    pub fn new(config: Config, store: Option<pool::StorePool>) -> AppState {
        let analysis = Semaphore::new(config.analysis_slots.max(1));
        AppState { inner: Arc::new(Inner { config, analysis, store: store.map(Arc::new) }) }
    }

    pub fn config(&self) -> &Config {
        &self.inner.config
    }
}

macro_rules! api_routes {
    ($( $method:ident $path:literal => $handler:expr ),* $(,)?) => {
        /// Every API route as `(METHOD, path)`, path parameters in braces as in OpenAPI.
        pub const API_ROUTES: &[(&str, &str)] = &[ $( (stringify!($method), $path) ),* ];

        fn api_router() -> Router<AppState> {
            Router::new() $( .route($path, on(MethodFilter::$method, $handler)) )*
        }
    };
}

api_routes! {
    POST "/v1/extract" => extract::extract,
    POST "/v1/articles" => queries::ingest,
    GET "/v1/events" => queries::events,
    GET "/v1/events/{id}" => queries::event,
    GET "/v1/articles/{id}" => queries::article,
    GET "/v1/actors" => queries::actors,
    GET "/v1/timeline" => queries::timeline,
    GET "/v1/network" => queries::network,
    GET "/v1/places" => queries::places,
    GET "/v1/search" => queries::search,
    GET "/v1/info" => queries::info,
    GET "/v1/openapi.json" => openapi,
}

/// The OpenAPI 3 description of the API, written by hand.
pub const OPENAPI: &str = include_str!("../assets/openapi.json");

async fn openapi() -> ([(axum::http::HeaderName, &'static str); 1], &'static str) {
    ([(axum::http::header::CONTENT_TYPE, "application/json")], OPENAPI)
}

/// The whole service: API, dashboard, error shape, body and time limits.
pub fn app(state: AppState) -> Router {
    let config = state.config().clone();
    Router::new()
        .merge(api_router())
        .route("/", get(assets::index))
        .route("/assets/{name}", get(assets::asset))
        .fallback(error::no_route)
        .with_state(state)
        // Innermost first: the limits see the request before any handler, and `normalize` sees every response.
        .layer(DefaultBodyLimit::disable())
        .layer(RequestBodyLimitLayer::new(config.max_body_bytes))
        .layer(TimeoutLayer::with_status_code(StatusCode::SERVICE_UNAVAILABLE, config.timeout))
        .layer(axum::middleware::map_response(error::normalize))
}

/// Serve `app(state)` on `listener` until ctrl-c or SIGTERM, then finish the requests in flight.
pub async fn serve(listener: tokio::net::TcpListener, state: AppState) -> std::io::Result<()> {
    axum::serve(listener, app(state)).with_graceful_shutdown(shutdown()).await
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}
