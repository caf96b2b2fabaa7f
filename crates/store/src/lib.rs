//! rasid's store: keeps what `rasid` extracts in SQLite (default, embedded) or PostgreSQL, links near-duplicate
//! articles, merges the mentions of one real-world event, and answers queries and exports (docs/store.md).
//!
//! ```no_run
//! use rasid_store::{EventFilter, FilterArgs, PageRequest, Store};
//! let mut store = Store::open("rasid.db")?;
//! let filter = EventFilter::parse(&FilterArgs { types: Some("ASSAULT"), country: Some("IRQ"), ..FilterArgs::default() })?;
//! for e in store.events(&filter, &PageRequest::default())?.items {
//!     println!("{} {} {:?} sources={}", e.id, e.kind, e.date, e.sources);
//! }
//! # Ok::<(), rasid_store::StoreError>(())
//! ```

pub mod analysis;
pub mod days;
mod error;
pub mod export;
mod facets;
pub mod fingerprint;
mod ingest;
mod parquet_out;
mod query;
mod schema;
mod sql;
mod types;

pub use analysis::analyse;
pub use error::StoreError;
pub use ingest::MERGE_WINDOW_DAYS;
pub use schema::current_version as schema_version;
pub use types::*;

use sql::Conn;

/// The database rasid uses when none is given.
pub const DEFAULT_DB: &str = "rasid.db";

/// One connection to a store. Open one per thread or request; methods take `&mut self`.
pub struct Store {
    conn: Conn,
    fp: fingerprint::Scratch,
    search_buf: String,
    /// Full-text entries of the batch being written, inserted at its end (see `ingest.rs`).
    fts_pending: Vec<(i64, String)>,
    /// Full-text entries to delete before those are written (reprocess).
    fts_stale: Vec<i64>,
    /// `facets::insert_sql` for one event, built once.
    facet_sql: Option<String>,
}

/// Where a database URL points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    Sqlite(std::path::PathBuf),
    Postgres(String),
}

impl Location {
    /// `postgres://…` / `postgresql://…`, `sqlite://PATH`, `sqlite:PATH`, or a plain file path.
    pub fn parse(url: &str) -> Result<Location, StoreError> {
        let url = url.trim();
        if url.is_empty() {
            return Err(StoreError::Url { url: url.into(), reason: "empty".into() });
        }
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(Location::Postgres(url.to_string()));
        }
        let path = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")).unwrap_or(url);
        if path.is_empty() {
            return Err(StoreError::Url { url: url.into(), reason: "no file path".into() });
        }
        if path.contains("://") {
            return Err(StoreError::Url {
                url: url.into(),
                reason: "unknown scheme (sqlite:// or postgres://)".into(),
            });
        }
        Ok(Location::Sqlite(path.into()))
    }
}

impl Store {
    /// Opens (creating and migrating as needed) the store at `url`: a path, `sqlite://PATH` or `postgres://…`.
    pub fn open(url: &str) -> Result<Store, StoreError> {
        let conn = match Location::parse(url)? {
            Location::Sqlite(path) => {
                let c = rusqlite::Connection::open(&path)
                    .map_err(|e| StoreError::Url { url: url.into(), reason: e.to_string() })?;
                c.busy_timeout(std::time::Duration::from_secs(10))?;
                // WAL: readers never block the writer; synchronous=NORMAL keeps every committed transaction
                // through a killed process (only an OS crash may lose the last ones, never half of one).
                c.pragma_update(None, "journal_mode", "WAL")?;
                c.pragma_update(None, "synchronous", "NORMAL")?;
                c.pragma_update(None, "cache_size", -32_768)?;
                c.pragma_update(None, "temp_store", "MEMORY")?;
                c.set_prepared_statement_cache_capacity(256);
                Conn::Sqlite(c)
            }
            Location::Postgres(u) => {
                let client = postgres::Client::connect(&u, postgres::NoTls)?;
                Conn::Postgres { client: Box::new(client), cache: Default::default() }
            }
        };
        let mut store = Store {
            conn,
            fp: fingerprint::Scratch::default(),
            search_buf: String::new(),
            fts_pending: Vec::new(),
            fts_stale: Vec::new(),
            facet_sql: None,
        };
        schema::migrate(&mut store.conn)?;
        Ok(store)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_store_can_move_between_threads() {
        fn send<T: Send>() {}
        send::<Store>();
    }

    #[test]
    fn urls_parse() {
        assert_eq!(Location::parse("rasid.db").unwrap(), Location::Sqlite("rasid.db".into()));
        assert_eq!(Location::parse("sqlite:///tmp/x.db").unwrap(), Location::Sqlite("/tmp/x.db".into()));
        assert!(matches!(Location::parse("postgres://u@localhost/db").unwrap(), Location::Postgres(_)));
        assert!(Location::parse("mysql://x").is_err());
        assert!(Location::parse("sqlite://").is_err());
    }
}
