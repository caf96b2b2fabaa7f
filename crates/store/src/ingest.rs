//! Writing: articles with their analysis, one transaction per batch; near-duplicate links; event merging;
//! replacing an article's results on reprocess.
//!
//! An article's identity is `key = SHA-256(id, url, SHA-256(text))`: the same article ingested again is skipped
//! whole, so re-ingesting a corpus adds no row. Everything of one batch is written in one transaction, so a
//! process killed at any moment leaves whole articles only, and running the same ingest again completes the rest.
//!
//! Near-duplicates: an article whose MinHash signature estimates a Jaccard similarity of at least
//! [`NEAR_DUPLICATE_JACCARD`] with an earlier article's (over word 3-shingles of stems) is linked to the most
//! similar one (`dup_of`, `dup_similarity`) and shares its cluster root (`dup_root`); candidates come from the
//! LSH band index (`article_bands`).
//!
//! Event merging: a mention joins an existing event of the same PLOVER type, modality and negation, on days at
//! most [`MERGE_WINDOW_DAYS`] apart (both single days; an undated mention takes its article's publication day,
//! `date_precision = "published"`), and either at the same place (normalised name) with compatible actors (on
//! each side: actor ids, countries and roles equal wherever both are known), or, when neither has a place, with
//! the same actors (on each side: the same actor id, or the same country with compatible roles). Mentions with a
//! coarser date, or without a place and a known source and target, start an event of their own. `sources` counts
//! distinct articles, `independent` distinct near-duplicate clusters.

use crate::analysis::{Analysed, Prepared};
use crate::days;
use crate::error::StoreError;
use crate::fingerprint::{self, NEAR_DUPLICATE_JACCARD};
use crate::sql::{Backend, RowReader, Val};
use crate::types::IngestReport;
use crate::Store;
use rasid_core::model::{Attribution, AttributionKind, Document, Event, Modality, Participant, SentenceKind};
use rasid_input::Article;
use rasid_text::hash::{FnvMap, FnvSet};

/// How many days apart two day-precise mentions of one event may be dated.
pub const MERGE_WINDOW_DAYS: i64 = 1;

/// Most rows one multi-row `INSERT` writes.
const ROWS_PER_INSERT: usize = 32;

/// Longest `actor_text` kept on an event (names of its merged mentions, for `--actor`).
const ACTOR_TEXT_MAX: usize = 600;

pub(crate) fn modality_str(m: Modality) -> &'static str {
    match m {
        Modality::Asserted => "asserted",
        Modality::Hypothetical => "hypothetical",
        Modality::Counterfactual => "counterfactual",
        Modality::Future => "future",
    }
}

fn sentence_kind(k: SentenceKind) -> &'static str {
    match k {
        SentenceKind::Report => "report",
        SentenceKind::Quote => "quote",
        SentenceKind::Opinion => "opinion",
    }
}

fn attribution_str(chain: &[Attribution]) -> String {
    let mut s = String::new();
    for a in chain {
        if !s.is_empty() {
            s.push_str(" > ");
        }
        s.push_str(match a.kind {
            AttributionKind::Outlet => "outlet",
            AttributionKind::Agency => "agency",
            AttributionKind::Source => "source",
        });
        if a.kind != AttributionKind::Outlet {
            s.push(':');
            s.push_str(a.name.as_deref().unwrap_or(&a.text));
        }
    }
    s
}

/// An article's identity (see the module documentation): the SHA-256 of its text (`content_hash`) and its `key`,
/// computed once when the caller looks the article up before analysing it ([`Store::contains_key`]) and hands
/// the key on with the analysis ([`crate::Analysed::with_key`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleKey {
    content_hash: String,
    key: String,
}

impl ArticleKey {
    /// The identity of `a`: SHA-256 of its id, url and the SHA-256 of its text.
    pub fn of(a: &Article) -> ArticleKey {
        let content_hash = fingerprint::sha256_hex(&[a.text.as_bytes()]);
        let url = a.url.as_deref().unwrap_or("");
        let key = fingerprint::sha256_hex(&[a.id.as_bytes(), url.as_bytes(), content_hash.as_bytes()]);
        ArticleKey { content_hash, key }
    }
}

/// Tables whose ids [`Store::next_id`] hands out.
const ARTICLES: usize = 0;
const EVENTS: usize = 1;
const MENTIONS: usize = 2;

/// An article's derived row values (see [`Store::derive`]).
struct Derived {
    /// The document as stored (`crate::doccodec`).
    document: Vec<u8>,
    minhash: String,
    bands: [i64; fingerprint::BANDS],
    /// The nearest earlier near-duplicate: its id, the similarity, its cluster root.
    dup: Option<(i64, f64, i64)>,
}

/// Rows of a batch's sentences, entities and actors not written yet (see [`Store::store_analysis`]): written
/// [`ROWS_PER_INSERT`] at a time, not an article's at a time (a statement's fixed cost once, not three times, an
/// article).
#[derive(Default)]
struct BatchRows<'a> {
    sentences: Vec<Val<'a>>,
    entities: Vec<Val<'a>>,
    actors: Vec<Val<'a>>,
    /// The largest article id with rows here.
    last_article: i64,
}

/// One mention, ready to be written and merged.
struct MentionRow {
    kind: String,
    cameo: Option<String>,
    modality: &'static str,
    negated: bool,
    date: Option<String>,
    precision: Option<String>,
    day: Option<(i64, i64)>,
    place: Option<String>,
    place_key: Option<String>,
    place_country: Option<String>,
    lat: Option<f64>,
    lon: Option<f64>,
    source: Side,
    target: Side,
    counts: [Option<i64>; 4],
}

#[derive(Default)]
struct Side {
    text: Option<String>,
    actor: Option<String>,
    name: Option<String>,
    country: Option<String>,
    role: Option<String>,
}

impl Side {
    fn of(p: Option<&Participant>, names: &FnvMap<&str, &str>) -> Side {
        let Some(p) = p else { return Side::default() };
        let name = p.actor_id.as_deref().and_then(|id| names.get(id)).map(|n| n.to_string());
        Side {
            text: Some(p.text.clone()),
            name: name.or_else(|| Some(p.text.clone())),
            actor: p.actor_id.clone(),
            country: p.country.clone(),
            role: p.role.clone(),
        }
    }

    /// Known on both sides and equal: the same actor id, or the same country with compatible roles.
    fn same(&self, actor: Option<&str>, country: Option<&str>, role: Option<&str>) -> bool {
        match (self.actor.as_deref(), actor) {
            (Some(a), Some(b)) => a == b,
            _ => self.country.is_some() && self.country.as_deref() == country && self.compatible(None, None, role),
        }
    }

    /// Whether the side is known well enough to merge without a place.
    fn specific(&self) -> bool {
        self.actor.is_some() || self.country.is_some()
    }

    /// Equal wherever both are known.
    fn compatible(&self, actor: Option<&str>, country: Option<&str>, role: Option<&str>) -> bool {
        fn ok(a: Option<&str>, b: Option<&str>) -> bool {
            match (a, b) {
                (Some(a), Some(b)) => a == b,
                _ => true,
            }
        }
        ok(self.actor.as_deref(), actor) && ok(self.country.as_deref(), country) && ok(self.role.as_deref(), role)
    }
}

/// Most merge candidates a mention is compared with (the earliest events).
const MERGE_CANDIDATES: usize = 50;

/// Most candidates the merge cache holds before it starts again (memory stays flat in the store's size).
const MERGE_CACHE_MAX: usize = 200_000;

/// Most candidates the merge cache keeps from one ingest transaction to the next.
const MERGE_CACHE_KEEP: usize = 60_000;

/// What a merge candidate must share with a mention: type, place, modality and negation.
#[derive(Clone, PartialEq, Eq, Hash)]
struct MergeKey {
    kind: String,
    place: Option<String>,
    modality: &'static str,
    negated: bool,
}

impl MergeKey {
    fn of(m: &MentionRow) -> MergeKey {
        MergeKey { kind: m.kind.clone(), place: m.place_key.clone(), modality: m.modality, negated: m.negated }
    }
}

/// An event a mention may merge into: its id and actor id, country and role of source and target.
struct Candidate {
    id: i64,
    sides: [Option<String>; 6],
}

/// What the writer keeps in memory about the store: the single-day events of the merge keys and days it has read,
/// each day's in id order, kept up to date with the events it creates and fills in; the actors it has written.
/// (And, kept, the multi-row insert statements.) On SQLite it lasts from one ingest transaction to the next while
/// no other connection has written to the store (`PRAGMA data_version`) and it holds at most
/// [`MERGE_CACHE_KEEP`] candidates; any other transaction, a rollback, or PostgreSQL starts it again.
#[derive(Default)]
pub(crate) struct MergeCache {
    buckets: FnvMap<MergeKey, FnvMap<i64, Vec<Candidate>>>,
    size: usize,
    /// Ids of the actors written while the cache lasts.
    actors: FnvSet<String>,
    /// SQLite's `data_version` when the cache was last kept over a transaction's start.
    data_version: Option<i64>,
    /// `insert_rows` statements by table and number of rows.
    inserts: FnvMap<(&'static str, usize), String>,
}

impl MergeCache {
    pub(crate) fn clear(&mut self) {
        self.buckets.clear();
        self.size = 0;
        self.actors.clear();
    }
}

fn count(c: Option<&rasid_core::model::Count>) -> Option<i64> {
    c.and_then(|c| i64::try_from(c.value).ok())
}

impl MentionRow {
    fn of(ev: &Event, names: &FnvMap<&str, &str>, published: Option<&str>) -> MentionRow {
        let (date, precision, day) = match &ev.date {
            Some(d) => {
                let day = match (d.start.as_deref(), d.end.as_deref()) {
                    (Some(s), Some(e)) => days::parse_range(s).zip(days::parse_range(e)).map(|(a, b)| (a.0, b.1)),
                    _ => days::parse_range(&d.value),
                };
                (Some(d.value.clone()), Some(d.precision.clone()), day)
            }
            // Undated: the report's own day, as event datasets date what they cannot date otherwise.
            None => match published.and_then(days::parse_range).filter(|(a, b)| a == b) {
                Some(day) => (published.map(str::to_string), Some("published".to_string()), Some(day)),
                None => (None, None, None),
            },
        };
        let counts = ev.counts.as_ref();
        MentionRow {
            kind: ev.kind.clone(),
            cameo: ev.cameo.clone(),
            modality: modality_str(ev.modality),
            negated: ev.negated,
            date,
            precision,
            day,
            place: ev.place.as_ref().map(|p| p.name.clone()),
            place_key: ev.place.as_ref().map(|p| rasid_text::normalize(&p.name)).filter(|k| !k.is_empty()),
            place_country: ev.place.as_ref().and_then(|p| p.country.clone()),
            lat: ev.place.as_ref().and_then(|p| p.lat),
            lon: ev.place.as_ref().and_then(|p| p.lon),
            source: Side::of(ev.source.as_ref(), names),
            target: Side::of(ev.target.as_ref(), names),
            counts: [
                counts.and_then(|c| count(c.killed.as_ref())),
                counts.and_then(|c| count(c.wounded.as_ref())),
                counts.and_then(|c| count(c.arrested.as_ref())),
                counts.and_then(|c| count(c.participants.as_ref())),
            ],
        }
    }

    fn actor_text(&self) -> String {
        let mut parts: Vec<&str> = Vec::new();
        for s in [&self.source, &self.target] {
            for v in [&s.name, &s.text, &s.actor].into_iter().flatten() {
                if !parts.contains(&v.as_str()) {
                    parts.push(v);
                }
            }
        }
        rasid_text::normalize(&parts.join(" | "))
    }
}

impl Store {
    /// Stores a batch of analysed articles in one transaction (see the module documentation), or in the
    /// transaction left open for the next batches (see [`Store::set_commit_every`]).
    pub fn ingest(&mut self, batch: &[(Article, Document)]) -> Result<IngestReport, StoreError> {
        self.write_batch(batch.len(), |s, generation, report| {
            let mut rows = BatchRows::default();
            for (article, doc) in batch {
                s.ingest_one(article, doc, None, None, generation, &mut rows, report)?;
            }
            s.write_rows(&mut rows, true)
        })
    }

    /// [`Store::ingest`] of articles analysed with [`crate::analyse_for_store`]: their JSON, search text and
    /// MinHash signature were made while analysing them.
    pub fn ingest_analysed(&mut self, batch: Vec<(Article, Analysed)>) -> Result<IngestReport, StoreError> {
        // The documents stay until the batch is written: the rows waiting in `rows` borrow their text.
        let mut docs = Vec::with_capacity(batch.len());
        let mut rest = Vec::with_capacity(batch.len());
        for (article, a) in batch {
            docs.push(a.document);
            rest.push((article, a.prepared, a.key));
        }
        self.write_batch(docs.len(), |s, generation, report| {
            let mut rows = BatchRows::default();
            for ((article, prepared, key), doc) in rest.into_iter().zip(&docs) {
                s.ingest_one(&article, doc, Some(prepared), key, generation, &mut rows, report)?;
            }
            s.write_rows(&mut rows, true)
        })
    }

    /// Lets the ingest transaction run on over calls to [`Store::ingest`] until it holds at least `articles`
    /// articles (0 or 1: each call commits, the default). Fewer, larger transactions write the pages every batch
    /// touches (index pages, the search index's segments) fewer times. A process killed meanwhile loses the
    /// uncommitted articles only, whole; call [`Store::commit`] at the end: a store dropped with its transaction
    /// open rolls it back.
    pub fn set_commit_every(&mut self, articles: usize) {
        self.commit_every = articles;
    }

    /// SQLite: the page cache of this connection, in MiB (32 when not set). A larger cache keeps more index
    /// pages between the article rows an ingest writes (on the whole ANT corpus 96 MiB measured no clear gain
    /// over 32 for 70 MB more memory). No effect on PostgreSQL.
    pub fn set_cache_mib(&mut self, mib: u32) -> Result<(), StoreError> {
        if let crate::sql::Conn::Sqlite(c) = &self.conn {
            c.pragma_update(None, "cache_size", -(i64::from(mib) * 1024))?;
        }
        Ok(())
    }

    /// Commits the ingest transaction left open, if any (see [`Store::set_commit_every`]).
    pub fn commit(&mut self) -> Result<(), StoreError> {
        if !self.open_tx {
            return Ok(());
        }
        match self.flush_fts().and_then(|()| self.conn.batch("COMMIT")) {
            Ok(()) => {
                self.end_transaction();
                Ok(())
            }
            Err(e) => {
                self.rollback();
                Err(e)
            }
        }
    }

    /// Runs `f` over one batch in the open write transaction (beginning one when none is), then commits when
    /// the transaction holds enough articles; any error rolls the whole transaction back.
    fn write_batch(
        &mut self,
        articles: usize,
        f: impl FnOnce(&mut Store, i64, &mut IngestReport) -> Result<(), StoreError>,
    ) -> Result<IngestReport, StoreError> {
        if !self.open_tx {
            self.begin_transaction(true)?;
        }
        let mut report = IngestReport::default();
        let written = self.generation().and_then(|generation| f(self, generation, &mut report));
        if let Err(e) = written {
            self.rollback();
            return Err(e);
        }
        self.uncommitted += articles;
        if self.uncommitted >= self.commit_every {
            self.commit()?;
        }
        Ok(report)
    }

    /// Begins a write transaction. `keep_merge`: an ingest transaction, which keeps the merge cache of the
    /// ingest transactions before it if the store has not changed since (see [`MergeCache`]).
    fn begin_transaction(&mut self, keep_merge: bool) -> Result<(), StoreError> {
        let sqlite = self.conn.backend() == Backend::Sqlite;
        self.conn.begin_write()?;
        self.end_transaction();
        self.open_tx = true;
        // Read inside the transaction, which holds the write lock: no other connection commits meanwhile.
        // `data_version` changes when another connection has committed, never for this one's own commits.
        let version = if sqlite && keep_merge {
            match self.conn.query_i64("PRAGMA data_version", &[]) {
                Ok(v) => Some(v),
                Err(e) => {
                    self.rollback();
                    return Err(e);
                }
            }
        } else {
            None
        };
        if version.is_none() || version != self.merge.data_version || self.merge.size > MERGE_CACHE_KEEP {
            self.merge.clear();
        }
        self.merge.data_version = version;
        Ok(())
    }

    /// Forgets what belonged to the transaction just ended (or begun); the merge cache is left to
    /// [`Store::begin_transaction`].
    fn end_transaction(&mut self) {
        self.open_tx = false;
        self.uncommitted = 0;
        self.fts_pending.clear();
        self.fts_stale.clear();
        self.next_ids = None;
    }

    fn rollback(&mut self) {
        let _ = self.conn.batch("ROLLBACK");
        self.end_transaction();
        self.merge.clear();
    }

    /// Runs `f` in one write transaction of its own (an ingest transaction left open is committed first):
    /// committed when it returns `Ok`, rolled back otherwise.
    pub(crate) fn in_transaction<T>(
        &mut self,
        f: impl FnOnce(&mut Store) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        self.commit()?;
        self.begin_transaction(false)?;
        match f(self) {
            Ok(v) => {
                self.commit()?;
                Ok(v)
            }
            Err(e) => {
                self.rollback();
                Err(e)
            }
        }
    }

    /// SQLite: the id the next row of `table` gets ([`ARTICLES`], [`EVENTS`], [`MENTIONS`]), as SQLite would
    /// choose it (one more than the largest). Chosen here, the rows are written without `RETURNING`, which made
    /// SQLite keep a statement journal for every insert.
    fn next_id(&mut self, table: usize) -> Result<i64, StoreError> {
        let mut ids = match self.next_ids {
            Some(ids) => ids,
            None => {
                let mut ids = [0i64; 3];
                for (i, sql) in [
                    "SELECT COALESCE(max(id), 0) + 1 FROM articles",
                    "SELECT COALESCE(max(id), 0) + 1 FROM events",
                    "SELECT COALESCE(max(id), 0) + 1 FROM mentions",
                ]
                .into_iter()
                .enumerate()
                {
                    ids[i] = self.conn.query_i64(sql, &[])?;
                }
                ids
            }
        };
        let id = ids[table];
        ids[table] += 1;
        self.next_ids = Some(ids);
        Ok(id)
    }

    /// A constant statement in this backend's spelling (`?N` placeholders on SQLite), rewritten once: the writer
    /// runs a few statements thousands of times. Keyed by the text's address, which a `'static` text keeps.
    fn sql(&mut self, sql: &'static str) -> std::sync::Arc<str> {
        let sqlite = self.conn.backend() == Backend::Sqlite;
        self.sql_text
            .entry((sql.as_ptr() as usize, sql.len()))
            .or_insert_with(|| if sqlite { crate::sql::sqlite_placeholders(sql).into() } else { sql.into() })
            .clone()
    }

    /// [`crate::sql::Conn::exec`] of a constant statement (see [`Store::sql`]).
    fn exec_c(&mut self, sql: &'static str, params: &[Val<'_>]) -> Result<u64, StoreError> {
        let sql = self.sql(sql);
        self.conn.exec_native(&sql, params)
    }

    /// [`crate::sql::Conn::query_opt`] of a constant statement (see [`Store::sql`]).
    fn query_opt_c(&mut self, sql: &'static str, params: &[Val<'_>]) -> Result<Option<crate::sql::Row>, StoreError> {
        let sql = self.sql(sql);
        Ok(self.conn.query_native(&sql, params)?.into_iter().next())
    }

    /// Whether this article (same id, url and text) is already stored: `ingest` would skip it, so a caller may
    /// skip analysing it.
    pub fn contains(&mut self, a: &Article) -> Result<bool, StoreError> {
        self.contains_key(&ArticleKey::of(a))
    }

    /// [`Store::contains`] of the article whose identity is `key`.
    pub fn contains_key(&mut self, key: &ArticleKey) -> Result<bool, StoreError> {
        Ok(self.query_opt_c("SELECT 1 FROM articles WHERE key = $1", &[Val::from(&key.key)])?.is_some())
    }

    #[allow(clippy::too_many_arguments)]
    fn ingest_one<'a>(
        &mut self,
        a: &Article,
        doc: &'a Document,
        prepared: Option<Prepared>,
        key: Option<ArticleKey>,
        generation: i64,
        rows: &mut BatchRows<'a>,
        report: &mut IngestReport,
    ) -> Result<(), StoreError> {
        let ArticleKey { content_hash, key } = key.unwrap_or_else(|| ArticleKey::of(a));
        if self.query_opt_c("SELECT 1 FROM articles WHERE key = $1", &[Val::from(&key)])?.is_some() {
            report.skipped += 1;
            return Ok(());
        }
        let derived = self.derive(None, a.title.as_deref(), &a.text, doc, prepared)?;
        let origin = match a.origin.line {
            Some(line) => format!("{}:{line}", a.origin.path),
            None => a.origin.path.clone(),
        };
        let dup = derived.dup;
        let mut params: Vec<Val> = vec![
            a.id.as_str().into(),
            a.url.as_deref().into(),
            key.into(),
            content_hash.into(),
            a.title.as_deref().into(),
            a.published.as_deref().into(),
            a.source.as_deref().into(),
            a.lang.as_deref().into(),
            origin.into(),
            a.text.as_str().into(),
            derived.document.into(),
            derived.minhash.into(),
            dup.map(|d| d.0).into(),
            dup.map(|d| d.1).into(),
            dup.map_or(0, |d| d.2).into(),
            generation.into(),
        ];
        let id = if self.conn.backend() == Backend::Postgres {
            params.push(self.search_buf.as_str().into());
            let id = self.conn.query_i64(
                "INSERT INTO articles (ext_id, url, key, content_hash, title, published, outlet, lang, origin, text, \
                 document, minhash, dup_of, dup_similarity, dup_root, gen, fts) VALUES \
                 ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, \
                 to_tsvector('simple', $17)) RETURNING id",
                &params,
            )?;
            if dup.is_none() {
                self.conn.exec("UPDATE articles SET dup_root = id WHERE id = $1", &[id.into()])?;
            }
            id
        } else {
            // The id is chosen here (the write transaction holds the lock), so an article that is its own cluster
            // root gets `dup_root` in its insert: updating the row afterwards rewrote its text and document.
            let next = self.next_id(ARTICLES)?;
            params.push(next.into());
            if dup.is_none() {
                params[14] = next.into();
            }
            self.exec_c(
                "INSERT INTO articles (ext_id, url, key, content_hash, title, published, outlet, lang, origin, text, \
                 document, minhash, dup_of, dup_similarity, dup_root, gen, id) VALUES \
                 ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)",
                &params,
            )?;
            next
        };
        let root = dup.map_or(id, |d| d.2);
        report.added += 1;
        report.near_duplicates += usize::from(dup.is_some());
        self.store_derived(id, root, &derived.bands, doc, rows, report)
    }

    /// What an article's row holds besides its text: the document, its MinHash signature and its nearest earlier
    /// near-duplicate (among articles with a smaller id than `id`, when given), with the search text left in
    /// `search_buf`.
    fn derive(
        &mut self,
        id: Option<i64>,
        title: Option<&str>,
        text: &str,
        doc: &Document,
        prepared: Option<Prepared>,
    ) -> Result<Derived, StoreError> {
        let (sig, stored) = match prepared {
            Some(p) => {
                self.search_buf = p.search;
                (p.signature, p.document)
            }
            None => (self.fill_search(title, text), None),
        };
        let bands = fingerprint::bands(&sig);
        let mut dup: Option<(i64, f64, i64)> = None;
        // The earliest 200 earlier articles sharing a band. One equality look-up a band, joined with UNION ALL:
        // `band IN (…)` with `DISTINCT` and `ORDER BY` made SQLite build three temporary b-trees an article.
        let params: Vec<Val> = bands.iter().map(|b| Val::Int(*b)).collect();
        let limit = id.unwrap_or(i64::MAX);
        let bands_sql = self.sql(
            "SELECT article_id FROM article_bands WHERE band = $1 UNION ALL \
             SELECT article_id FROM article_bands WHERE band = $2 UNION ALL \
             SELECT article_id FROM article_bands WHERE band = $3 UNION ALL \
             SELECT article_id FROM article_bands WHERE band = $4 UNION ALL \
             SELECT article_id FROM article_bands WHERE band = $5 UNION ALL \
             SELECT article_id FROM article_bands WHERE band = $6 UNION ALL \
             SELECT article_id FROM article_bands WHERE band = $7 UNION ALL \
             SELECT article_id FROM article_bands WHERE band = $8",
        );
        let mut found: Vec<i64> = self
            .conn
            .query_native(&bands_sql, &params)?
            .into_iter()
            .map(|r| RowReader::new(r).i64())
            .filter(|c| *c < limit)
            .collect();
        found.sort_unstable();
        found.dedup();
        found.truncate(200);
        for cand in found {
            let Some(row) = self.query_opt_c("SELECT minhash, dup_root FROM articles WHERE id = $1", &[cand.into()])?
            else {
                continue;
            };
            let mut r = RowReader::new(row);
            let (other, root) = (r.str(), r.i64());
            let Some(other) = fingerprint::signature_from_hex(&other) else { continue };
            let sim = fingerprint::similarity(&sig, &other);
            if sim >= NEAR_DUPLICATE_JACCARD && dup.is_none_or(|(_, best, _)| sim > best) {
                dup = Some((cand, sim, root));
            }
        }
        let document = match stored {
            Some(d) => d,
            None => crate::doccodec::encode(doc, text)?,
        };
        Ok(Derived { document, minhash: fingerprint::signature_to_hex(&sig), bands, dup })
    }

    /// Writes what hangs off a stored article row: its LSH bands, its full-text entry (SQLite; PostgreSQL keeps it
    /// in the row) and its analysis.
    fn store_derived<'a>(
        &mut self,
        id: i64,
        root: i64,
        bands: &[i64],
        doc: &'a Document,
        batch: &mut BatchRows<'a>,
        report: &mut IngestReport,
    ) -> Result<(), StoreError> {
        // `(band, article_id)` is the key: two bands of one article with the same key are one row.
        let mut keys = bands.to_vec();
        keys.sort_unstable();
        keys.dedup();
        let rows: Vec<Val> = keys.iter().flat_map(|b| [Val::Int(*b), Val::Int(id)]).collect();
        self.insert_rows("INSERT INTO article_bands (band, article_id)", 2, &rows, " ON CONFLICT DO NOTHING")?;
        if self.conn.backend() == Backend::Sqlite {
            self.fts_pending.push((id, std::mem::take(&mut self.search_buf)));
        }
        self.store_analysis(id, root, doc, batch, report)
    }

    /// Writes the batch's full-text entries (SQLite), last in its transaction. FTS5 keeps pending entries in
    /// memory until the transaction ends, but flushes them to a new index segment whenever a statement on another
    /// table opens a savepoint: written one article at a time between the other rows, each article became a
    /// segment of its own, merged again and again. Written together at the end, a batch is one segment.
    fn flush_fts(&mut self) -> Result<(), StoreError> {
        for id in std::mem::take(&mut self.fts_stale) {
            self.conn.exec("DELETE FROM articles_fts WHERE rowid = $1", &[id.into()])?;
        }
        let pending = std::mem::take(&mut self.fts_pending);
        for (id, body) in &pending {
            let body = crate::fts::index_text(body);
            self.exec_c("INSERT INTO articles_fts (rowid, body) VALUES ($1, $2)", &[(*id).into(), (&*body).into()])?;
        }
        Ok(())
    }

    /// Fills `search_buf` with the search text of title and text; returns the text's MinHash signature.
    fn fill_search(&mut self, title: Option<&str>, text: &str) -> fingerprint::Signature {
        let mut buf = std::mem::take(&mut self.search_buf);
        let h = fingerprint::analyse(&mut self.fp, text, &mut buf);
        if let Some(t) = title {
            fingerprint::prepend_title(&mut self.fp, t, &mut buf);
        }
        self.search_buf = buf;
        h
    }

    /// Writes the rows of sentences, entities and actors gathered so far that fill whole multi-row inserts, or
    /// all of them (`all`: at the end of a batch).
    fn write_rows(&mut self, rows: &mut BatchRows<'_>, all: bool) -> Result<(), StoreError> {
        for (head, cols, vals, tail) in [
            ("INSERT INTO sentences (article_id, idx, start_char, end_char, kind, body)", 6, &mut rows.sentences, ""),
            (
                "INSERT INTO actors (id, name, norm_name, country, role)",
                5,
                &mut rows.actors,
                " ON CONFLICT (id) DO NOTHING",
            ),
            (
                "INSERT INTO entities (article_id, n, sentence, start_char, end_char, kind, text, actor_id)",
                8,
                &mut rows.entities,
                "",
            ),
        ] {
            let n = if all { vals.len() } else { vals.len() - vals.len() % (cols * ROWS_PER_INSERT) };
            if n > 0 {
                self.insert_rows(head, cols, &vals[..n], tail)?;
                vals.drain(..n);
            }
        }
        Ok(())
    }

    /// Writes sentences, actors, entities and event mentions of one article (merging mentions into events). The
    /// rows of sentences, entities and actors join `batch`'s, written [`ROWS_PER_INSERT`] at a time (nothing
    /// reads them while the batch is written).
    fn store_analysis<'a>(
        &mut self,
        id: i64,
        root: i64,
        doc: &'a Document,
        batch: &mut BatchRows<'a>,
        report: &mut IngestReport,
    ) -> Result<(), StoreError> {
        batch.last_article = batch.last_article.max(id);
        for s in &doc.sentences {
            batch.sentences.extend([
                id.into(),
                s.index.into(),
                s.start.into(),
                s.end.into(),
                sentence_kind(s.kind).into(),
                s.body.into(),
            ]);
        }
        let mut names: FnvMap<&str, &str> = FnvMap::default();
        for (n, e) in doc.entities.iter().enumerate() {
            if let Some(actor) = &e.actor {
                // An actor this transaction has written already is not offered again.
                // (Looked up before it is copied: most entities name an actor written already.)
                if names.insert(actor.id.as_str(), actor.name.as_str()).is_none()
                    && !self.merge.actors.contains(actor.id.as_str())
                    && self.merge.actors.insert(actor.id.clone())
                {
                    batch.actors.extend([
                        actor.id.as_str().into(),
                        actor.name.as_str().into(),
                        rasid_text::normalize(&actor.name).into(),
                        actor.country.as_deref().into(),
                        actor.role.as_deref().into(),
                    ]);
                }
            }
            batch.entities.extend([
                id.into(),
                n.into(),
                e.sentence.into(),
                e.start.into(),
                e.end.into(),
                e.kind.as_str().into(),
                e.text.as_str().into(),
                e.actor.as_ref().map(|a| a.id.as_str()).into(),
            ]);
        }
        self.write_rows(batch, false)?;
        for ev in &doc.events {
            let m = MentionRow::of(ev, &names, doc.published.as_deref());
            let sentence_text = doc.sentences.get(ev.sentence).map_or("", |s| s.text.as_str());
            let event = self.find_event(&m)?;
            let sqlite = self.conn.backend() == Backend::Sqlite;
            // SQLite: the mention's id is known before it is written, so a new event names it in its insert.
            let mention_id = if sqlite { self.next_id(MENTIONS)? } else { 0 };
            let (event_id, merged) = match event {
                Some(e) => (e, true),
                None => (self.create_event(&m, mention_id)?, false),
            };
            let (new_source, new_root) = if merged {
                (
                    self.query_opt_c(
                        "SELECT 1 FROM mentions WHERE event_id = $1 AND article_id = $2 LIMIT 1",
                        &[event_id.into(), id.into()],
                    )?
                    .is_none(),
                    self.query_opt_c(
                        "SELECT 1 FROM mentions WHERE event_id = $1 AND article_root = $2 LIMIT 1",
                        &[event_id.into(), root.into()],
                    )?
                    .is_none(),
                )
            } else {
                (true, true)
            };
            let mut params: Vec<Val> = vec![
                event_id.into(),
                id.into(),
                root.into(),
                ev.sentence.into(),
                sentence_text.into(),
                ev.trigger.start.into(),
                ev.trigger.end.into(),
                ev.trigger.text.as_str().into(),
                m.kind.as_str().into(),
                m.cameo.as_deref().into(),
                ev.rule.as_str().into(),
                m.modality.into(),
                m.negated.into(),
                m.source.text.as_deref().into(),
                m.source.actor.as_deref().into(),
                m.source.country.as_deref().into(),
                m.source.role.as_deref().into(),
                m.target.text.as_deref().into(),
                m.target.actor.as_deref().into(),
                m.target.country.as_deref().into(),
                m.target.role.as_deref().into(),
                m.date.as_deref().into(),
                m.precision.as_deref().into(),
                m.day.map(|d| d.0).into(),
                m.day.map(|d| d.1).into(),
                m.place.as_deref().into(),
                m.place_key.as_deref().into(),
                m.place_country.as_deref().into(),
                m.lat.into(),
                m.lon.into(),
                m.counts[0].into(),
                m.counts[1].into(),
                m.counts[2].into(),
                m.counts[3].into(),
                attribution_str(&ev.attribution).into(),
            ];
            if sqlite {
                params.push(mention_id.into());
                self.exec_c(
                    "INSERT INTO mentions (event_id, article_id, article_root, sentence, sentence_text, \
                     trigger_start, trigger_end, trigger_text, type, cameo, rule, modality, negated, source_text, \
                     source_actor, source_country, source_role, target_text, target_actor, target_country, \
                     target_role, date, date_precision, day_start, day_end, place, place_key, place_country, lat, \
                     lon, killed, wounded, arrested, participants, attribution, id) VALUES ($1, $2, $3, $4, $5, \
                     $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, \
                     $25, $26, $27, $28, $29, $30, $31, $32, $33, $34, $35, $36)",
                    &params,
                )?;
            } else {
                let mention_id = self.conn.query_i64(
                    "INSERT INTO mentions (event_id, article_id, article_root, sentence, sentence_text, \
                     trigger_start, trigger_end, trigger_text, type, cameo, rule, modality, negated, source_text, \
                     source_actor, source_country, source_role, target_text, target_actor, target_country, \
                     target_role, date, date_precision, day_start, day_end, place, place_key, place_country, lat, \
                     lon, killed, wounded, arrested, participants, attribution) VALUES ($1, $2, $3, $4, $5, $6, \
                     $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, \
                     $26, $27, $28, $29, $30, $31, $32, $33, $34, $35) RETURNING id",
                    &params,
                )?;
                if !merged {
                    self.conn.exec(
                        "UPDATE events SET first_mention = $1 WHERE id = $2",
                        &[mention_id.into(), event_id.into()],
                    )?;
                }
            }
            report.mentions += 1;
            if merged {
                report.merged += 1;
                self.absorb(event_id, &m, new_source, new_root)?;
            }
        }
        Ok(())
    }

    /// An existing event this mention reports, if any (see the module documentation): of the events of its type,
    /// place, modality and negation on single days at most [`MERGE_WINDOW_DAYS`] from its day, the first of the
    /// 50 with the smallest ids whose actors fit. The candidates are read once a transaction a day (see
    /// [`MergeCache`]), not once a mention.
    fn find_event(&mut self, m: &MentionRow) -> Result<Option<i64>, StoreError> {
        let Some((day, day_end)) = m.day else { return Ok(None) };
        if day != day_end {
            return Ok(None);
        }
        let placeless = m.place_key.is_none();
        if placeless && !(m.source.specific() && m.target.specific()) {
            return Ok(None);
        }
        let key = MergeKey::of(m);
        let (from, to) = (day - MERGE_WINDOW_DAYS, day + MERGE_WINDOW_DAYS);
        self.load_candidates(&key, from, to)?;
        let Some(bucket) = self.merge.buckets.get(&key) else { return Ok(None) };
        let mut found: Vec<&Candidate> = (from..=to).filter_map(|d| bucket.get(&d)).flatten().collect();
        found.sort_unstable_by_key(|c| c.id);
        for c in found.into_iter().take(MERGE_CANDIDATES) {
            let [sa, sc, sr, ta, tc, tr] = c.sides.each_ref().map(Option::as_deref);
            let fits = if placeless {
                m.source.same(sa, sc, sr) && m.target.same(ta, tc, tr)
            } else {
                m.source.compatible(sa, sc, sr) && m.target.compatible(ta, tc, tr)
            };
            if fits {
                return Ok(Some(c.id));
            }
        }
        Ok(None)
    }

    /// Reads into the merge cache the candidates of `key` on the days of `from..=to` it has not read yet.
    fn load_candidates(&mut self, key: &MergeKey, from: i64, to: i64) -> Result<(), StoreError> {
        let loaded = self.merge.buckets.get(key);
        let missing: Vec<i64> = (from..=to).filter(|d| !loaded.is_some_and(|b| b.contains_key(d))).collect();
        let (Some(&lo), Some(&hi)) = (missing.first(), missing.last()) else { return Ok(()) };
        let mut params: Vec<Val> =
            vec![key.kind.as_str().into(), lo.into(), hi.into(), key.modality.into(), key.negated.into()];
        // One statement text per place test, each a constant (`Store::sql` keeps the rewritten text by address).
        macro_rules! candidates {
            ($place:literal) => {
                concat!(
                    "SELECT id, day_start, source_actor, source_country, source_role, target_actor, target_country, \
                     target_role FROM events WHERE type = $1 AND ",
                    $place,
                    " AND day_start >= $2 AND day_start <= $3 AND day_end = day_start AND modality = $4 \
                     AND negated = $5 ORDER BY id"
                )
            };
        }
        let sql = match &key.place {
            Some(p) => {
                params.push(p.as_str().into());
                self.sql(candidates!("place_key = $6"))
            }
            None => self.sql(candidates!("place_key IS NULL")),
        };
        let rows = self.conn.query_native(&sql, &params)?;
        if self.merge.size > MERGE_CACHE_MAX {
            self.merge.clear();
        }
        self.merge.size += rows.len() + missing.len();
        let bucket = self.merge.buckets.entry(key.clone()).or_default();
        for d in &missing {
            bucket.entry(*d).or_default();
        }
        for row in rows {
            let mut r = RowReader::new(row);
            let (id, d) = (r.i64(), r.i64());
            if !missing.contains(&d) {
                continue;
            }
            let sides = [r.opt_str(), r.opt_str(), r.opt_str(), r.opt_str(), r.opt_str(), r.opt_str()];
            bucket.entry(d).or_default().push(Candidate { id, sides });
        }
        Ok(())
    }

    /// Writes a new event from its first mention (`first_mention`: the mention's id, SQLite; PostgreSQL sets it
    /// once the mention is written) and its facets; returns its id.
    fn create_event(&mut self, m: &MentionRow, first_mention: i64) -> Result<i64, StoreError> {
        let day = m.day;
        let mut params: Vec<Val> = vec![
            m.kind.as_str().into(),
            m.cameo.as_deref().into(),
            m.date.as_deref().into(),
            m.precision.as_deref().into(),
            day.map(|d| d.0).into(),
            day.map(|d| d.1).into(),
            day.map(|d| days::week_start(d.0)).into(),
            day.map(|d| days::month_key(d.0)).into(),
            m.place.as_deref().into(),
            m.place_key.as_deref().into(),
            m.place_country.as_deref().into(),
            m.lat.into(),
            m.lon.into(),
            m.source.actor.as_deref().into(),
            m.source.name.as_deref().into(),
            m.source.country.as_deref().into(),
            m.source.role.as_deref().into(),
            m.target.actor.as_deref().into(),
            m.target.name.as_deref().into(),
            m.target.country.as_deref().into(),
            m.target.role.as_deref().into(),
            m.actor_text().into(),
            m.counts[0].into(),
            m.counts[1].into(),
            m.counts[2].into(),
            m.counts[3].into(),
            m.modality.into(),
            m.negated.into(),
        ];
        let id = if self.conn.backend() == Backend::Sqlite {
            let id = self.next_id(EVENTS)?;
            params.extend([first_mention.into(), id.into()]);
            self.exec_c(
                "INSERT INTO events (type, cameo, date, date_precision, day_start, day_end, week, month, place, \
                 place_key, place_country, lat, lon, source_actor, source_name, source_country, source_role, \
                 target_actor, target_name, target_country, target_role, actor_text, killed, wounded, arrested, \
                 participants, modality, negated, mentions, sources, independent, first_mention, id) VALUES ($1, \
                 $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, \
                 $23, $24, $25, $26, $27, $28, 1, 1, 1, $29, $30)",
                &params,
            )?;
            id
        } else {
            self.conn.query_i64(
                "INSERT INTO events (type, cameo, date, date_precision, day_start, day_end, week, month, place, \
                 place_key, place_country, lat, lon, source_actor, source_name, source_country, source_role, \
                 target_actor, target_name, target_country, target_role, actor_text, killed, wounded, arrested, \
                 participants, modality, negated, mentions, sources, independent, first_mention) VALUES ($1, $2, \
                 $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, \
                 $24, $25, $26, $27, $28, 1, 1, 1, 0) RETURNING id",
                &params,
            )?
        };
        // A single-day event is a merge candidate of the days the cache has read (a day read later finds it in
        // the table).
        if let Some((d, _)) = day.filter(|(d, e)| d == e) {
            if let Some(list) = self.merge.buckets.get_mut(&MergeKey::of(m)).and_then(|b| b.get_mut(&d)) {
                let sides = [&m.source, &m.target].map(|s| [s.actor.clone(), s.country.clone(), s.role.clone()]);
                let [[sa, sc, sr], [ta, tc, tr]] = sides;
                list.push(Candidate { id, sides: [sa, sc, sr, ta, tc, tr] });
                self.merge.size += 1;
            }
        }
        // The facets `facets::insert_sql` would derive from the row just written, without reading it back.
        let keys = crate::facets::keys(
            &m.kind,
            [m.source.country.as_deref(), m.target.country.as_deref()],
            [m.source.role.as_deref(), m.target.role.as_deref()],
            m.place_key.as_deref(),
        );
        let mut rows: Vec<Val> = Vec::with_capacity(keys.len() * 4);
        for k in keys {
            rows.extend([k.into(), id.into(), day.map(|d| d.0).into(), day.map(|d| d.1).into()]);
        }
        self.insert_rows(
            "INSERT INTO event_facets (facet, event_id, day_start, day_end)",
            4,
            &rows,
            " ON CONFLICT (facet, event_id) DO NOTHING",
        )?;
        Ok(id)
    }

    /// Inserts rows of `cols` values each (`vals` row after row) with multi-row `VALUES`, at most
    /// [`ROWS_PER_INSERT`] rows a statement: `head` names the table and columns (`INSERT INTO t (…)`), `tail`
    /// follows the values. On SQLite the statement is `INSERT OR FAIL`: a multi-row insert that may abort makes
    /// SQLite journal every page it changes to undo the statement alone, while any error here rolls back the
    /// whole transaction anyway.
    fn insert_rows(&mut self, head: &'static str, cols: usize, vals: &[Val<'_>], tail: &str) -> Result<(), StoreError> {
        use std::fmt::Write;
        if cols == 0 {
            return Ok(());
        }
        let sqlite = self.conn.backend() == Backend::Sqlite;
        for chunk in vals.chunks(cols * ROWS_PER_INSERT) {
            let n = chunk.len() / cols;
            let sql = self.merge.inserts.entry((head, n)).or_insert_with(|| {
                let mut sql = String::with_capacity(head.len() + tail.len() + 16 + n * cols * 6);
                match head.strip_prefix("INSERT INTO ") {
                    Some(rest) if sqlite => {
                        sql.push_str("INSERT OR FAIL INTO ");
                        sql.push_str(rest);
                    }
                    _ => sql.push_str(head),
                }
                sql.push_str(" VALUES ");
                // SQLite's own placeholders, run as they are: `?`, numbered in order, so the statement's text (which
                // the statement cache hashes, compares and copies on every run) is a third as long as with `?N`.
                for r in 0..n {
                    sql.push_str(if r == 0 { "(" } else { ",(" });
                    for c in 0..cols {
                        if c > 0 {
                            sql.push(',');
                        }
                        if sqlite {
                            sql.push('?');
                        } else {
                            let _ = write!(sql, "${}", r * cols + c + 1);
                        }
                    }
                    sql.push(')');
                }
                sql.push_str(tail);
                sql
            });
            self.conn.exec_native(sql, chunk)?;
        }
        Ok(())
    }

    /// Adds the facets of an event's row that it does not have yet (see `facets.rs`).
    fn add_facets(&mut self, event: i64) -> Result<(), StoreError> {
        let sqlite = self.conn.backend() == Backend::Sqlite;
        let sql = self
            .facet_sql
            .get_or_insert_with(|| {
                let sql = crate::facets::insert_sql("id = $1");
                if sqlite {
                    crate::sql::sqlite_placeholders(&sql).into_owned()
                } else {
                    sql
                }
            })
            .clone();
        self.conn.exec_native(&sql, &[event.into()])?;
        Ok(())
    }

    /// Adds a merged mention's knowledge to its event: counts, the highest casualty figures, unknown fields filled.
    fn absorb(&mut self, event: i64, m: &MentionRow, new_source: bool, new_root: bool) -> Result<(), StoreError> {
        let row = self.query_opt_c("SELECT actor_text FROM events WHERE id = $1", &[event.into()])?;
        let mut text = row.map(|r| RowReader::new(r).str()).unwrap_or_default();
        let add = m.actor_text();
        if !text.contains(&add) && text.len() + add.len() < ACTOR_TEXT_MAX {
            text.push_str(" | ");
            text.push_str(&add);
        }
        self.exec_c(
            "UPDATE events SET mentions = mentions + 1, sources = sources + $2, independent = independent + $3, \
             killed = CASE WHEN killed IS NULL OR killed < $4 THEN $4 ELSE killed END, \
             wounded = CASE WHEN wounded IS NULL OR wounded < $5 THEN $5 ELSE wounded END, \
             arrested = CASE WHEN arrested IS NULL OR arrested < $6 THEN $6 ELSE arrested END, \
             participants = CASE WHEN participants IS NULL OR participants < $7 THEN $7 ELSE participants END, \
             source_actor = COALESCE(source_actor, $8), source_name = COALESCE(source_name, $9), \
             source_country = COALESCE(source_country, $10), source_role = COALESCE(source_role, $11), \
             target_actor = COALESCE(target_actor, $12), target_name = COALESCE(target_name, $13), \
             target_country = COALESCE(target_country, $14), target_role = COALESCE(target_role, $15), \
             lat = COALESCE(lat, $16), lon = COALESCE(lon, $17), actor_text = $18 WHERE id = $1",
            &[
                event.into(),
                i64::from(new_source).into(),
                i64::from(new_root).into(),
                m.counts[0].into(),
                m.counts[1].into(),
                m.counts[2].into(),
                m.counts[3].into(),
                m.source.actor.as_deref().into(),
                m.source.name.as_deref().into(),
                m.source.country.as_deref().into(),
                m.source.role.as_deref().into(),
                m.target.actor.as_deref().into(),
                m.target.name.as_deref().into(),
                m.target.country.as_deref().into(),
                m.target.role.as_deref().into(),
                m.lat.into(),
                m.lon.into(),
                text.into(),
            ],
        )?;
        // The cached candidate learns what the update filled in (`COALESCE`), as a read of the row would.
        if let Some((d, _)) = m.day {
            let key = MergeKey::of(m);
            let news = [&m.source, &m.target].map(|s| [s.actor.as_ref(), s.country.as_ref(), s.role.as_ref()]);
            let news = news.as_flattened();
            if let Some(b) = self.merge.buckets.get_mut(&key) {
                for x in d - MERGE_WINDOW_DAYS..=d + MERGE_WINDOW_DAYS {
                    if let Some(c) = b.get_mut(&x).and_then(|l| l.iter_mut().find(|c| c.id == event)) {
                        for (slot, new) in c.sides.iter_mut().zip(news) {
                            if slot.is_none() {
                                *slot = new.cloned();
                            }
                        }
                    }
                }
            }
        }
        let fills = [&m.source, &m.target].iter().any(|s| s.country.is_some() || s.role.is_some());
        if fills {
            self.add_facets(event)?;
        }
        Ok(())
    }

    /// The processing generation new results are written with.
    pub(crate) fn generation(&mut self) -> Result<i64, StoreError> {
        Ok(crate::schema::get_meta(&mut self.conn, "generation")?.and_then(|v| v.parse().ok()).unwrap_or(1))
    }

    /// Starts (or resumes) a reprocess: returns the generation every article must reach.
    pub fn begin_reprocess(&mut self) -> Result<i64, StoreError> {
        self.in_transaction(|s| {
            if let Some(g) = crate::schema::get_meta(&mut s.conn, "reprocess_target")?.and_then(|v| v.parse().ok()) {
                return Ok(g);
            }
            let target = s.generation()? + 1;
            crate::schema::set_meta(&mut s.conn, "reprocess_target", &target.to_string())?;
            // Everything derived from the articles goes: they are analysed again in id order, as a fresh ingest
            // would, so merged events and near-duplicate links come out as they would from one.
            for table in ["event_facets", "mentions", "events", "entities", "sentences", "actors", "article_bands"] {
                s.conn.batch(&format!("DELETE FROM {table}"))?;
            }
            if s.conn.backend() == Backend::Sqlite {
                s.conn.batch("INSERT INTO articles_fts (articles_fts) VALUES ('delete-all')")?;
            }
            Ok(target)
        })
    }

    /// Up to `limit` stored articles still below generation `target`, in id order after `after_id`.
    pub fn articles_to_reprocess(
        &mut self,
        target: i64,
        after_id: i64,
        limit: usize,
    ) -> Result<Vec<(i64, Article)>, StoreError> {
        let rows = self.conn.query(
            "SELECT id, ext_id, text, title, published, outlet, url, lang, origin FROM articles \
             WHERE gen < $1 AND id > $2 ORDER BY id LIMIT $3",
            &[target.into(), after_id.into(), limit.into()],
        )?;
        Ok(rows
            .into_iter()
            .map(|row| {
                let mut r = RowReader::new(row);
                let id = r.i64();
                let article = Article {
                    id: r.str(),
                    text: r.str(),
                    title: r.opt_str(),
                    published: r.opt_str(),
                    source: r.opt_str(),
                    url: r.opt_str(),
                    lang: r.opt_str(),
                    origin: rasid_input::Origin { path: r.str(), line: None },
                };
                (id, article)
            })
            .collect())
    }

    /// Replaces the stored results of some articles with new analyses, in one transaction, and marks them as
    /// being of generation `target`. Called in id order after [`Store::begin_reprocess`], it derives near-duplicate
    /// links and merged events exactly as ingesting the same articles in the same order into an empty store.
    pub fn replace_results(&mut self, batch: &[(i64, Document)], target: i64) -> Result<IngestReport, StoreError> {
        self.in_transaction(|s| {
            let mut report = IngestReport::default();
            let mut rows = BatchRows::default();
            for (id, doc) in batch {
                let id = *id;
                if id <= rows.last_article {
                    // Its rows may wait in `rows`: written before they are deleted.
                    s.write_rows(&mut rows, true)?;
                }
                let Some(row) = s.conn.query_opt("SELECT title, text FROM articles WHERE id = $1", &[id.into()])?
                else {
                    continue;
                };
                let mut r = RowReader::new(row);
                let (title, text) = (r.opt_str(), r.str());
                // Results written since the reprocess began (an ingest meanwhile) go first.
                s.remove_results(id)?;
                s.conn.exec("DELETE FROM article_bands WHERE article_id = $1", &[id.into()])?;
                if s.conn.backend() == Backend::Sqlite {
                    s.fts_stale.push(id);
                }
                let derived = s.derive(Some(id), title.as_deref(), &text, doc, None)?;
                let dup = derived.dup;
                let root = dup.map_or(id, |d| d.2);
                let mut params: Vec<Val> = vec![
                    id.into(),
                    derived.document.into(),
                    target.into(),
                    derived.minhash.into(),
                    dup.map(|d| d.0).into(),
                    dup.map(|d| d.1).into(),
                    root.into(),
                ];
                let sql = if s.conn.backend() == Backend::Postgres {
                    params.push(s.search_buf.as_str().into());
                    "UPDATE articles SET document = $2, gen = $3, minhash = $4, dup_of = $5, dup_similarity = $6, \
                     dup_root = $7, fts = to_tsvector('simple', $8) WHERE id = $1"
                } else {
                    "UPDATE articles SET document = $2, gen = $3, minhash = $4, dup_of = $5, dup_similarity = $6, \
                     dup_root = $7 WHERE id = $1"
                };
                s.conn.exec(sql, &params)?;
                report.added += 1;
                report.near_duplicates += usize::from(dup.is_some());
                s.store_derived(id, root, &derived.bands, doc, &mut rows, &mut report)?;
            }
            s.write_rows(&mut rows, true)?;
            Ok(report)
        })
    }

    /// Ends a reprocess when no article is left below its target generation; returns whether it ended.
    pub fn finish_reprocess(&mut self, target: i64) -> Result<bool, StoreError> {
        self.in_transaction(|s| {
            let left = s.conn.query_i64("SELECT count(*) FROM articles WHERE gen < $1", &[target.into()])?;
            if left > 0 {
                return Ok(false);
            }
            crate::schema::set_meta(&mut s.conn, "generation", &target.to_string())?;
            crate::schema::delete_meta(&mut s.conn, "reprocess_target")?;
            Ok(true)
        })
    }

    /// Deletes an article's sentences, entities and mentions; events left without mentions go, the others are
    /// recomputed from the mentions they keep.
    fn remove_results(&mut self, id: i64) -> Result<(), StoreError> {
        let events: Vec<i64> = self
            .conn
            .query("SELECT DISTINCT event_id FROM mentions WHERE article_id = $1", &[id.into()])?
            .into_iter()
            .map(|r| RowReader::new(r).i64())
            .collect();
        self.conn.exec("DELETE FROM mentions WHERE article_id = $1", &[id.into()])?;
        self.conn.exec("DELETE FROM entities WHERE article_id = $1", &[id.into()])?;
        self.conn.exec("DELETE FROM sentences WHERE article_id = $1", &[id.into()])?;
        // Deleted rows may free the largest ids, and events change: read both again.
        self.next_ids = None;
        self.merge.clear();
        for e in events {
            self.refresh_event(e)?;
        }
        Ok(())
    }

    /// Recomputes an event from its mentions (the earliest one gives its fields), or deletes it without any.
    fn refresh_event(&mut self, event: i64) -> Result<(), StoreError> {
        let Some(row) = self.conn.query_opt(
            "SELECT count(*), count(DISTINCT article_id), count(DISTINCT article_root), min(id), max(killed), \
             max(wounded), max(arrested), max(participants) FROM mentions WHERE event_id = $1",
            &[event.into()],
        )?
        else {
            return Ok(());
        };
        let mut r = RowReader::new(row);
        let (n, sources, independent, first) = (r.i64(), r.i64(), r.i64(), r.opt_i64());
        let (killed, wounded, arrested, participants) = (r.opt_i64(), r.opt_i64(), r.opt_i64(), r.opt_i64());
        let Some(first) = first.filter(|_| n > 0) else {
            // Its facets are those its row gives (`facets::keys`: a merge only fills in what was unknown, and the
            // facets it adds are read from the row), each deleted by its key: no index of facets by event.
            if let Some(row) = self.conn.query_opt(
                "SELECT type, source_country, target_country, source_role, target_role, place_key FROM events \
                 WHERE id = $1",
                &[event.into()],
            )? {
                let mut r = RowReader::new(row);
                let kind = r.str();
                let (sc, tc, sr, tr, place) = (r.opt_str(), r.opt_str(), r.opt_str(), r.opt_str(), r.opt_str());
                let keys = crate::facets::keys(
                    &kind,
                    [sc.as_deref(), tc.as_deref()],
                    [sr.as_deref(), tr.as_deref()],
                    place.as_deref(),
                );
                for k in keys {
                    self.conn.exec(
                        "DELETE FROM event_facets WHERE facet = $1 AND event_id = $2",
                        &[k.into(), event.into()],
                    )?;
                }
            }
            self.conn.exec("DELETE FROM events WHERE id = $1", &[event.into()])?;
            return Ok(());
        };
        self.conn.exec(
            "UPDATE events SET mentions = $2, sources = $3, independent = $4, first_mention = $5, killed = $6, \
             wounded = $7, arrested = $8, participants = $9 WHERE id = $1",
            &[
                event.into(),
                n.into(),
                sources.into(),
                independent.into(),
                first.into(),
                killed.into(),
                wounded.into(),
                arrested.into(),
                participants.into(),
            ],
        )?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attribution_chains_read_outermost_first() {
        let chain = vec![
            Attribution {
                kind: AttributionKind::Agency,
                text: "رويترز".into(),
                name: Some("Reuters".into()),
                start: None,
                end: None,
            },
            Attribution {
                kind: AttributionKind::Source,
                text: "مصدر أمني".into(),
                name: None,
                start: Some(1),
                end: Some(2),
            },
        ];
        assert_eq!(attribution_str(&chain), "agency:Reuters > source:مصدر أمني");
        assert_eq!(attribution_str(&[]), "");
    }

    #[test]
    fn sides_are_compatible_where_unknown() {
        let s = Side { country: Some("IRQ".into()), role: None, ..Side::default() };
        assert!(s.compatible(None, Some("IRQ"), Some("MIL")));
        assert!(!s.compatible(None, Some("IRN"), None));
        assert!(Side::default().compatible(Some("x"), Some("IRN"), Some("GOV")));
    }
}
