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
mod doccodec;
mod error;
pub mod export;
mod facets;
pub mod fingerprint;
mod fts;
mod ingest;
mod parquet_out;
mod query;
mod schema;
mod sql;
mod types;

pub use analysis::{analyse, analyse_for_store, article_input, Analysed};
pub use error::StoreError;
pub use ingest::{ArticleKey, MERGE_WINDOW_DAYS};
pub use schema::current_version as schema_version;
pub use types::*;

use sql::Conn;

/// The database rasid uses when none is given.
pub const DEFAULT_DB: &str = "rasid.db";

/// How long a SQLite connection waits for a lock another holds before giving up with "database is locked".
const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// One connection to a store. Open one per thread or request; methods take `&mut self`.
pub struct Store {
    conn: Conn,
    fp: fingerprint::Scratch,
    search_buf: String,
    /// Full-text entries of the batch being written, inserted at its end (see `ingest.rs`).
    fts_pending: Vec<(i64, String)>,
    /// Full-text entries to delete before those are written (reprocess).
    fts_stale: Vec<i64>,
    /// `facets::insert_sql` for one event in this backend's spelling, built once.
    facet_sql: Option<String>,
    /// The ingest transaction left open between calls (see [`Store::set_commit_every`]) and its articles.
    open_tx: bool,
    uncommitted: usize,
    commit_every: usize,
    /// SQLite: the next ids of articles, events and mentions, read once a transaction (`None`: read again).
    next_ids: Option<[i64; 3]>,
    /// The merge candidates read this transaction (see `ingest.rs`).
    merge: ingest::MergeCache,
    /// The writer's constant statements in this backend's spelling, by address (see `Store::sql`).
    sql_text: std::collections::HashMap<(usize, usize), std::sync::Arc<str>>,
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
                c.busy_timeout(BUSY_TIMEOUT)?;
                // Query planner stability: plans never depend on bound values. Without it SQLite marks a
                // statement comparing an unindexed column with a parameter (`modality = $4`) to be re-planned
                // when its bindings change, and the statement cache clears bindings on every return: such
                // statements were parsed and planned again on every call.
                c.set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
                // WAL: readers never block the writer; synchronous=NORMAL keeps every committed transaction
                // through a killed process (only an OS crash may lose the last ones, never half of one).
                // 16 KiB pages on a new store (no effect on an existing one): an article row (text and document,
                // 15 KB on average) fits in one page instead of a chain of 4 KiB overflow pages, and an ingest
                // makes a quarter as many page writes, WAL frames and checkpoint copies (whole ANT corpus: −3 %
                // ingest CPU, −40 % system time; first 5,000 articles: −10 %; the file is 10 % larger).
                c.pragma_update(None, "page_size", 16_384)?;
                set_wal(&c)?;
                c.pragma_update(None, "synchronous", "NORMAL")?;
                c.pragma_update(None, "cache_size", -32_768)?;
                c.pragma_update(None, "temp_store", "MEMORY")?;
                // Checkpoint every 8,192 pages of WAL (128 MiB with 16 KiB pages, 32 MiB on older stores), not
                // every 1,000: a page written by many batches (index pages, the tail of each table) is copied into
                // the database once a checkpoint, not once a batch.
                c.pragma_update(None, "wal_autocheckpoint", 8192)?;
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
            open_tx: false,
            uncommitted: 0,
            commit_every: 0,
            next_ids: None,
            merge: Default::default(),
            sql_text: Default::default(),
        };
        schema::migrate(&mut store.conn)?;
        Ok(store)
    }
}

/// Puts a SQLite database in WAL mode. Switching a new database to WAL needs it to itself, and SQLite answers a
/// second connection switching at the same moment with "database is locked" at once, without its busy handler:
/// that one retries, for as long as the busy timeout would have waited, until the first has switched.
fn set_wal(c: &rusqlite::Connection) -> rusqlite::Result<()> {
    let deadline = std::time::Instant::now() + BUSY_TIMEOUT;
    loop {
        match c.pragma_update(None, "journal_mode", "WAL") {
            Err(rusqlite::Error::SqliteFailure(e, _))
                if e.code == rusqlite::ErrorCode::DatabaseBusy && std::time::Instant::now() < deadline =>
            {
                std::thread::sleep(std::time::Duration::from_millis(5));
            }
            other => return other,
        }
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
    fn cached_statements_are_not_planned_again() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path().join("t.db").to_str().unwrap()).unwrap();
        // The shape of the merge look-up (`ingest.rs`): indexed type, place and days, unindexed modality and flag.
        let sql = "SELECT id FROM events WHERE type = $1 AND place_key = $2 AND day_start >= $3 AND day_start <= $4 \
                   AND day_end = day_start AND modality = $5 AND negated = $6 ORDER BY id LIMIT 50";
        for (day, m) in [(10, "asserted"), (11, "future"), (12, "asserted")] {
            let params = [
                sql::Val::from("ASSAULT"),
                sql::Val::from("بغداد"),
                sql::Val::Int(day - 1),
                sql::Val::Int(day + 1),
                sql::Val::from(m),
                sql::Val::Int(0),
            ];
            store.conn.query(sql, &params).unwrap();
        }
        let Conn::Sqlite(c) = &store.conn else { unreachable!() };
        let st = c.prepare_cached(&sql::sqlite_placeholders(sql)).unwrap();
        assert_eq!(st.get_status(rusqlite::StatementStatus::RePrepare), 0);
    }

    #[test]
    fn new_stores_have_16_kib_pages_and_old_ones_keep_theirs() {
        let dir = tempfile::tempdir().unwrap();
        let page_size = |s: &Store| {
            let Conn::Sqlite(c) = &s.conn else { unreachable!() };
            c.pragma_query_value(None, "page_size", |r| r.get::<_, i64>(0)).unwrap()
        };
        let new = dir.path().join("new.db");
        assert_eq!(page_size(&Store::open(new.to_str().unwrap()).unwrap()), 16_384);
        let old = dir.path().join("old.db");
        let c = rusqlite::Connection::open(&old).unwrap();
        c.pragma_update(None, "page_size", 4096).unwrap();
        c.execute_batch("CREATE TABLE t (x INTEGER)").unwrap();
        drop(c);
        let mut s = Store::open(old.to_str().unwrap()).unwrap();
        assert_eq!(page_size(&s), 4096);
        assert_eq!(s.info().unwrap().schema_version, schema::current_version());
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
