//! The store's typed errors: database failures, bad URLs, bad filter values, schema versions.

/// Everything the store can fail with.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    #[error("sqlite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("postgres: {0}")]
    Postgres(#[from] postgres::Error),
    #[error("database `{url}`: {reason}")]
    Url { url: String, reason: String },
    /// A filter or query value that does not validate (`--country`: `IRAQ` is not an ISO-3 code).
    #[error("{field}: {reason}")]
    Invalid { field: &'static str, reason: String },
    /// The database was written by a newer rasid.
    #[error("database schema version {found} is newer than this rasid's {supported}")]
    SchemaTooNew { found: i64, supported: i64 },
    #[error("json: {0}")]
    Json(#[from] serde_json::Error),
    #[error("csv: {0}")]
    Csv(#[from] csv::Error),
    #[error("io: {0}")]
    Io(#[from] std::io::Error),
    #[error("{0}")]
    Other(String),
}

impl StoreError {
    pub(crate) fn invalid(field: &'static str, reason: impl Into<String>) -> StoreError {
        StoreError::Invalid { field, reason: reason.into() }
    }
}
