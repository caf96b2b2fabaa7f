//! The versioned schema: one list of migrations, written once with type placeholders for both databases.
//!
//! `meta.schema_version` holds the number of migrations applied; opening a store applies the missing ones in a
//! transaction each. A database written by a newer rasid is refused ([`StoreError::SchemaTooNew`]).

use crate::error::StoreError;
use crate::sql::{Backend, Conn, Val};

/// Migrations in order; index + 1 is the schema version each one brings.
const MIGRATIONS: &[&str] = &[
    // 1: articles, their analysis, merged events.
    "
CREATE TABLE articles (
    id {id},
    ext_id TEXT NOT NULL,
    url TEXT,
    key TEXT NOT NULL UNIQUE,
    content_hash TEXT NOT NULL,
    title TEXT,
    published TEXT,
    outlet TEXT,
    lang TEXT,
    origin TEXT,
    text TEXT NOT NULL,
    document TEXT NOT NULL,
    minhash TEXT NOT NULL,
    dup_of {int},
    dup_similarity {real},
    dup_root {int} NOT NULL,
    gen {int} NOT NULL
);
CREATE INDEX articles_content ON articles (content_hash);
CREATE INDEX articles_ext ON articles (ext_id);
CREATE TABLE article_bands (
    band {int} NOT NULL,
    article_id {int} NOT NULL
);
CREATE INDEX article_bands_band ON article_bands (band);
CREATE INDEX articles_gen ON articles (gen, id);
CREATE TABLE sentences (
    article_id {int} NOT NULL,
    idx {int} NOT NULL,
    start_char {int} NOT NULL,
    end_char {int} NOT NULL,
    kind TEXT NOT NULL,
    body {int} NOT NULL,
    PRIMARY KEY (article_id, idx)
);
CREATE TABLE actors (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    norm_name TEXT NOT NULL,
    country TEXT,
    role TEXT
);
CREATE INDEX actors_norm ON actors (norm_name);
CREATE TABLE entities (
    id {id},
    article_id {int} NOT NULL,
    sentence {int} NOT NULL,
    start_char {int} NOT NULL,
    end_char {int} NOT NULL,
    kind TEXT NOT NULL,
    text TEXT NOT NULL,
    actor_id TEXT
);
CREATE INDEX entities_article ON entities (article_id);
CREATE INDEX entities_actor ON entities (actor_id);
CREATE TABLE events (
    id {id},
    type TEXT NOT NULL,
    cameo TEXT,
    date TEXT,
    date_precision TEXT,
    day_start {int},
    day_end {int},
    week {int},
    month {int},
    place TEXT,
    place_key TEXT,
    place_country TEXT,
    lat {real},
    lon {real},
    source_actor TEXT,
    source_name TEXT,
    source_country TEXT,
    source_role TEXT,
    target_actor TEXT,
    target_name TEXT,
    target_country TEXT,
    target_role TEXT,
    actor_text TEXT NOT NULL,
    killed {int},
    wounded {int},
    arrested {int},
    participants {int},
    modality TEXT NOT NULL,
    negated {int} NOT NULL,
    mentions {int} NOT NULL,
    sources {int} NOT NULL,
    independent {int} NOT NULL,
    first_mention {int} NOT NULL
);
CREATE INDEX events_merge ON events (type, place_key, day_start);
CREATE INDEX events_day ON events (day_start);
CREATE INDEX events_type_id ON events (type, id);
CREATE INDEX events_scountry ON events (source_country);
CREATE INDEX events_tcountry ON events (target_country);
CREATE INDEX events_srole ON events (source_role);
CREATE INDEX events_trole ON events (target_role);
CREATE INDEX events_sactor ON events (source_actor);
CREATE INDEX events_tactor ON events (target_actor);
CREATE INDEX events_place ON events (place_key);
CREATE TABLE mentions (
    id {id},
    event_id {int} NOT NULL,
    article_id {int} NOT NULL,
    article_root {int} NOT NULL,
    sentence {int} NOT NULL,
    sentence_text TEXT NOT NULL,
    trigger_start {int} NOT NULL,
    trigger_end {int} NOT NULL,
    trigger_text TEXT NOT NULL,
    type TEXT NOT NULL,
    cameo TEXT,
    rule TEXT NOT NULL,
    modality TEXT NOT NULL,
    negated {int} NOT NULL,
    source_text TEXT,
    source_actor TEXT,
    source_country TEXT,
    source_role TEXT,
    target_text TEXT,
    target_actor TEXT,
    target_country TEXT,
    target_role TEXT,
    date TEXT,
    date_precision TEXT,
    day_start {int},
    day_end {int},
    place TEXT,
    place_key TEXT,
    place_country TEXT,
    lat {real},
    lon {real},
    killed {int},
    wounded {int},
    arrested {int},
    participants {int},
    attribution TEXT NOT NULL
);
CREATE INDEX mentions_event ON mentions (event_id, article_id);
CREATE INDEX mentions_article ON mentions (article_id);
{fts}
",
    // 2: event facets, the access path of filtered event pages (see `facets.rs`), filled from the events.
    "
CREATE TABLE event_facets (
    facet TEXT NOT NULL,
    event_id {int} NOT NULL,
    day_start {int},
    day_end {int},
    PRIMARY KEY (facet, event_id)
){without_rowid};
CREATE INDEX event_facets_event ON event_facets (event_id);
{fill_facets};
",
    // 3: indexes every write paid for and no read needs any more. Filtered reads (pages, exports, timelines,
    // networks) go through `event_facets`; `events_merge` (dedup), `events_sactor`/`events_tactor` (actor
    // counts) and `entities_article` stay. Nothing reads entities by actor.
    "
DROP INDEX IF EXISTS events_day;
DROP INDEX IF EXISTS events_type_id;
DROP INDEX IF EXISTS events_scountry;
DROP INDEX IF EXISTS events_tcountry;
DROP INDEX IF EXISTS events_srole;
DROP INDEX IF EXISTS events_trole;
DROP INDEX IF EXISTS events_place;
DROP INDEX IF EXISTS entities_actor;
",
    // 4: what every article paid for at a random place of a b-tree, growing with the store. Nothing reads articles
    // by content hash or input id: their indexes go. The LSH bands become one b-tree keyed (band, article), which
    // answers the near-duplicate look-up alone (was: a rowid table and an index on band, then a read of the table
    // for the article id). SQLite's full-text index merges 8 segments of a level at a time, not 4 (less merging
    // on ingest, a little more reading on search).
    "
DROP INDEX IF EXISTS articles_content;
DROP INDEX IF EXISTS articles_ext;
CREATE TABLE article_bands_v4 (
    band {int} NOT NULL,
    article_id {int} NOT NULL,
    PRIMARY KEY (band, article_id)
){without_rowid};
INSERT INTO article_bands_v4 (band, article_id) SELECT DISTINCT band, article_id FROM article_bands;
DROP TABLE article_bands;
ALTER TABLE article_bands_v4 RENAME TO article_bands;
{fts_automerge}
",
    // 5: the index of actors by normalised name: `query actors` matches `norm_name LIKE '%…%'`, which no b-tree
    // answers (its plan is a scan of `actors`), while every new actor of an ingest paid a random insert into it.
    "
DROP INDEX IF EXISTS actors_norm;
",
    // 6: SQLite's full-text index tokenised by FTS5's `ascii` tokenizer, not `unicode61`, whose Unicode tables
    // cost a binary search for every Arabic letter of every entry; the text written and searched is made to give
    // the same tokens (see `fts.rs`). The new table is filled from each indexed article's title and text
    // ([`rebuild_fts`]), then takes the old one's name.
    "
{fts_v6}
",
    // 7: `articles.document` holds the slim, Snappy-compressed document (`doccodec.rs`): no text the article's own
    // text and the offsets give again, a third of the bytes (one 16 KiB page held one article row). On
    // PostgreSQL the column becomes `bytea`, kept out of line without PostgreSQL's own compression. The
    // documents already stored are converted ([`convert_documents`]).
    "
{doc_v7}
",
    // 8: one b-tree insert a row, not two, for the rows every article writes most of. `sentences` and `entities`
    // become clustered tables keyed by the article and the row's place in it (`WITHOUT ROWID` on SQLite; the
    // same primary key on PostgreSQL): a sentence was a row plus its primary-key index entry, an entity a row
    // plus `entities_article` (nothing reads `entities.id`; `n` is the entity's index in the document, the order
    // its rows were written in). `event_facets_event` goes: only a reprocess deleted facets by event, and it now
    // deletes the keys the event's row gives (`facets::keys`). The indexes of events by source and target actor
    // (`rasid query actors` counts events per actor id) leave out the events without one, half and three
    // quarters of them.
    "
CREATE TABLE sentences_v8 (
    article_id {int} NOT NULL,
    idx {int} NOT NULL,
    start_char {int} NOT NULL,
    end_char {int} NOT NULL,
    kind TEXT NOT NULL,
    body {int} NOT NULL,
    PRIMARY KEY (article_id, idx)
){without_rowid};
INSERT INTO sentences_v8 (article_id, idx, start_char, end_char, kind, body)
    SELECT article_id, idx, start_char, end_char, kind, body FROM sentences;
DROP TABLE sentences;
ALTER TABLE sentences_v8 RENAME TO sentences;
CREATE TABLE entities_v8 (
    article_id {int} NOT NULL,
    n {int} NOT NULL,
    sentence {int} NOT NULL,
    start_char {int} NOT NULL,
    end_char {int} NOT NULL,
    kind TEXT NOT NULL,
    text TEXT NOT NULL,
    actor_id TEXT,
    PRIMARY KEY (article_id, n)
){without_rowid};
INSERT INTO entities_v8 (article_id, n, sentence, start_char, end_char, kind, text, actor_id)
    SELECT article_id, row_number() OVER (PARTITION BY article_id ORDER BY id) - 1, sentence, start_char, end_char,
    kind, text, actor_id FROM entities;
DROP TABLE entities;
ALTER TABLE entities_v8 RENAME TO entities;
DROP INDEX IF EXISTS event_facets_event;
DROP INDEX IF EXISTS events_sactor;
DROP INDEX IF EXISTS events_tactor;
CREATE INDEX events_sactor ON events (source_actor) WHERE source_actor IS NOT NULL;
CREATE INDEX events_tactor ON events (target_actor) WHERE target_actor IS NOT NULL;
",
    // 9: SQLite's full-text index starts merging a level's segments when it holds 16, not 8. An ingest writes a
    // segment or more a transaction; with 8, FTS5's incremental merges ran on every few transactions and left
    // partly merged levels behind (whole ANT corpus: 19 segments at the end), with 16 the merges run less often
    // and in one go (6 segments): 13–19 % less full-text work on ingest, and searches as fast. Nothing
    // to do on PostgreSQL.
    "
{fts_automerge_v9}
",
];

/// The schema version this rasid writes.
pub fn current_version() -> i64 {
    MIGRATIONS.len() as i64
}

const SQLITE_FTS: &str = "CREATE VIRTUAL TABLE articles_fts USING fts5(body, content='', contentless_delete=1, \
                          tokenize='unicode61 remove_diacritics 0');";
const SQLITE_FTS_AUTOMERGE: &str = "INSERT INTO articles_fts (articles_fts, rank) VALUES ('automerge', 8);";
const SQLITE_FTS_AUTOMERGE_V9: &str = "INSERT INTO articles_fts (articles_fts, rank) VALUES ('automerge', 16);";
const SQLITE_FTS_V6: &str = "CREATE VIRTUAL TABLE articles_fts_v6 USING fts5(body, content='', \
                             contentless_delete=1, tokenize='ascii');";
const PG_DOC_V7: &str = "ALTER TABLE articles ALTER COLUMN document TYPE bytea USING convert_to(document, 'UTF8'); \
                         ALTER TABLE articles ALTER COLUMN document SET STORAGE EXTERNAL;";
const PG_FTS: &str = "ALTER TABLE articles ADD COLUMN fts tsvector; \
                      CREATE INDEX articles_fts ON articles USING GIN (fts);";

fn render(sql: &str, backend: Backend) -> String {
    let (id, int, real, fts, without_rowid, fts_automerge, fts_v6, doc_v7, fts_automerge_v9) = match backend {
        Backend::Sqlite => (
            "INTEGER PRIMARY KEY",
            "INTEGER",
            "REAL",
            SQLITE_FTS,
            " WITHOUT ROWID",
            SQLITE_FTS_AUTOMERGE,
            SQLITE_FTS_V6,
            "",
            SQLITE_FTS_AUTOMERGE_V9,
        ),
        Backend::Postgres => ("BIGSERIAL PRIMARY KEY", "BIGINT", "DOUBLE PRECISION", PG_FTS, "", "", "", PG_DOC_V7, ""),
    };
    sql.replace("{id}", id)
        .replace("{int}", int)
        .replace("{real}", real)
        .replace("{fts}", fts)
        .replace("{without_rowid}", without_rowid)
        .replace("{fts_automerge}", fts_automerge)
        .replace("{fts_v6}", fts_v6)
        .replace("{doc_v7}", doc_v7)
        .replace("{fts_automerge_v9}", fts_automerge_v9)
        .replace("{fill_facets}", &crate::facets::insert_sql("true"))
}

/// PostgreSQL advisory lock held while a connection migrates (any number, the same in every rasid).
const PG_MIGRATION_LOCK: i64 = 0x7261_7369_6400;

/// Applies the missing migrations; returns the version now in force.
///
/// On PostgreSQL, two connections opening a new store at once (an ingest and a reader) both created its tables and
/// the second failed (`duplicate key value violates unique constraint "pg_type_typname_nsp_index"`): DDL there
/// takes no lock that makes the other wait. A session advisory lock serialises migrations; the second then reads
/// the version the first wrote and has nothing left to do.
pub(crate) fn migrate(conn: &mut Conn) -> Result<i64, StoreError> {
    if conn.backend() == Backend::Postgres {
        conn.batch(&format!("SELECT pg_advisory_lock({PG_MIGRATION_LOCK})"))?;
        let result = migrate_locked(conn);
        let unlocked = conn.batch(&format!("SELECT pg_advisory_unlock({PG_MIGRATION_LOCK})"));
        return result.and_then(|v| unlocked.map(|()| v));
    }
    migrate_locked(conn)
}

fn migrate_locked(conn: &mut Conn) -> Result<i64, StoreError> {
    conn.batch("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")?;
    let found = read_version(conn)?;
    let supported = current_version();
    if found > supported {
        return Err(StoreError::SchemaTooNew { found, supported });
    }
    for (i, m) in MIGRATIONS.iter().enumerate().skip(usize::try_from(found).unwrap_or(0)) {
        let version = i as i64 + 1;
        conn.begin_write()?;
        let step = (|| {
            // Another process may have migrated meanwhile: re-read inside the transaction.
            if read_version(conn)? >= version {
                return Ok(());
            }
            conn.batch(&render(m, conn.backend()))?;
            if version == 6 && conn.backend() == Backend::Sqlite {
                rebuild_fts(conn)?;
            }
            if version == 7 {
                convert_documents(conn)?;
            }
            set_meta(conn, "schema_version", &version.to_string())?;
            if version == 1 {
                set_meta(conn, "generation", "1")?;
            }
            Ok::<(), StoreError>(())
        })();
        match step {
            Ok(()) => conn.batch("COMMIT")?,
            Err(e) => {
                let _ = conn.batch("ROLLBACK");
                return Err(e);
            }
        }
    }
    Ok(supported)
}

/// Migration 6 on SQLite: fills `articles_fts_v6` with the entry of every article the old index holds (an
/// article a running reprocess has not redone yet holds none), made from its title and text as an ingest makes
/// it, and puts it in the old table's place. An article at a time: memory stays flat in the store's size.
fn rebuild_fts(conn: &mut Conn) -> Result<(), StoreError> {
    let ids: Vec<i64> = conn
        .query("SELECT rowid FROM articles_fts ORDER BY rowid", &[])?
        .into_iter()
        .map(|r| crate::sql::RowReader::new(r).i64())
        .collect();
    let mut scratch = crate::fingerprint::Scratch::default();
    let mut search = String::new();
    for id in ids {
        let Some(row) = conn.query_opt("SELECT title, text FROM articles WHERE id = $1", &[Val::Int(id)])? else {
            continue;
        };
        let mut r = crate::sql::RowReader::new(row);
        let (title, text) = (r.opt_str(), r.str());
        crate::fingerprint::analyse(&mut scratch, &text, &mut search);
        if let Some(t) = title.as_deref() {
            crate::fingerprint::prepend_title(&mut scratch, t, &mut search);
        }
        let body = crate::fts::index_text(&search);
        conn.exec("INSERT INTO articles_fts_v6 (rowid, body) VALUES ($1, $2)", &[Val::Int(id), Val::from(&*body)])?;
    }
    conn.batch("DROP TABLE articles_fts; ALTER TABLE articles_fts_v6 RENAME TO articles_fts;")?;
    conn.batch(SQLITE_FTS_AUTOMERGE)
}

/// Migration 7: every article's document in the stored form of `doccodec.rs`, an article at a time (memory stays
/// flat in the store's size). A value that is not a readable document is left as it was.
fn convert_documents(conn: &mut Conn) -> Result<(), StoreError> {
    let ids: Vec<i64> = conn
        .query("SELECT id FROM articles ORDER BY id", &[])?
        .into_iter()
        .map(|r| crate::sql::RowReader::new(r).i64())
        .collect();
    for id in ids {
        let Some(row) = conn.query_opt("SELECT text, document FROM articles WHERE id = $1", &[Val::Int(id)])? else {
            continue;
        };
        let mut r = crate::sql::RowReader::new(row);
        let (text, stored) = (r.str(), r.bytes());
        if !crate::doccodec::is_plain(&stored) {
            continue;
        }
        let Ok(mut doc) = serde_json::from_slice::<rasid_core::model::Document>(&stored) else { continue };
        let stored = crate::doccodec::encode_mut(&mut doc, &text)?;
        conn.exec("UPDATE articles SET document = $2 WHERE id = $1", &[Val::Int(id), Val::from(stored)])?;
    }
    Ok(())
}

fn read_version(conn: &mut Conn) -> Result<i64, StoreError> {
    Ok(get_meta(conn, "schema_version")?.and_then(|v| v.parse().ok()).unwrap_or(0))
}

pub(crate) fn get_meta(conn: &mut Conn, key: &str) -> Result<Option<String>, StoreError> {
    Ok(conn.query_opt("SELECT value FROM meta WHERE key = $1", &[Val::from(key)])?.and_then(|r| match r.first() {
        Some(Val::Text(t)) => Some(t.to_string()),
        _ => None,
    }))
}

pub(crate) fn set_meta(conn: &mut Conn, key: &str, value: &str) -> Result<(), StoreError> {
    conn.exec(
        "INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        &[Val::from(key), Val::from(value)],
    )?;
    Ok(())
}

pub(crate) fn delete_meta(conn: &mut Conn, key: &str) -> Result<(), StoreError> {
    conn.exec("DELETE FROM meta WHERE key = $1", &[Val::from(key)])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An in-memory SQLite store with the first `version` migrations applied, as a store of that version.
    fn sqlite_at_version(version: usize) -> Conn {
        let mut c = Conn::Sqlite(rusqlite::Connection::open_in_memory().unwrap());
        c.batch("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)").unwrap();
        for m in &MIGRATIONS[..version] {
            c.batch(&render(m, Backend::Sqlite)).unwrap();
        }
        set_meta(&mut c, "schema_version", &version.to_string()).unwrap();
        c
    }

    #[test]
    fn migrations_apply_once_and_newer_schemas_are_refused() {
        let mut c = Conn::Sqlite(rusqlite::Connection::open_in_memory().unwrap());
        assert_eq!(migrate(&mut c).unwrap(), current_version());
        assert_eq!(migrate(&mut c).unwrap(), current_version());
        set_meta(&mut c, "schema_version", "999").unwrap();
        assert!(matches!(migrate(&mut c), Err(StoreError::SchemaTooNew { found: 999, .. })));
    }

    #[test]
    fn migration_2_fills_the_facets_of_a_store_written_before() {
        let mut c = sqlite_at_version(1);
        c.batch(
            "INSERT INTO events (id, type, day_start, day_end, source_country, target_country, target_role, \
             place_key, actor_text, modality, negated, mentions, sources, independent, first_mention) VALUES \
             (7, 'ASSAULT', 100, 100, 'IRQ', 'SYR', 'MIL', 'بغداد', '', 'asserted', 0, 1, 1, 1, 1), \
             (9, 'PROTEST', NULL, NULL, NULL, NULL, NULL, NULL, '', 'asserted', 0, 1, 1, 1, 2)",
        )
        .unwrap();
        assert_eq!(migrate(&mut c).unwrap(), current_version());
        let rows =
            c.query("SELECT facet, event_id, day_start FROM event_facets ORDER BY event_id, facet", &[]).unwrap();
        let got: Vec<(String, i64, Option<i64>)> = rows
            .into_iter()
            .map(|r| {
                let mut r = crate::sql::RowReader::new(r);
                (r.str(), r.i64(), r.opt_i64())
            })
            .collect();
        let e7 = |k: &str| (k.to_string(), 7, Some(100));
        let e9 = |k: &str| (k.to_string(), 9, None);
        assert_eq!(
            got,
            vec![
                e7("*"),
                e7("c:IRQ"),
                e7("c:SYR"),
                e7("p:بغداد"),
                e7("r:MIL"),
                e7("t:ASSAULT"),
                e9("*"),
                e9("t:PROTEST")
            ]
        );
    }

    #[test]
    fn migration_4_keys_the_bands_and_drops_unread_indexes() {
        let mut c = sqlite_at_version(3);
        c.batch("INSERT INTO article_bands (band, article_id) VALUES (-5, 1), (7, 1), (7, 2), (7, 1)").unwrap();
        assert_eq!(migrate(&mut c).unwrap(), current_version());
        let rows = c.query("SELECT band, article_id FROM article_bands ORDER BY band, article_id", &[]).unwrap();
        let got: Vec<(i64, i64)> = rows
            .into_iter()
            .map(|r| {
                let mut r = crate::sql::RowReader::new(r);
                (r.i64(), r.i64())
            })
            .collect();
        assert_eq!(got, vec![(-5, 1), (7, 1), (7, 2)]);
        let names = |c: &mut Conn, kind: &str| -> Vec<String> {
            c.query("SELECT name FROM sqlite_master WHERE type = $1 ORDER BY name", &[Val::from(kind)])
                .unwrap()
                .into_iter()
                .map(|r| crate::sql::RowReader::new(r).str())
                .collect()
        };
        let indexes = names(&mut c, "index");
        for gone in ["articles_content", "articles_ext", "article_bands_band"] {
            assert!(!indexes.iter().any(|i| i == gone), "{gone} in {indexes:?}");
        }
        assert!(indexes.iter().any(|i| i == "articles_gen"), "{indexes:?}");
        assert!(!names(&mut c, "table").iter().any(|t| t == "article_bands_v4"));
        // The near-duplicate look-up reads the key alone.
        let plan: Vec<String> = c
            .query("EXPLAIN QUERY PLAN SELECT article_id FROM article_bands WHERE band = $1", &[Val::Int(7)])
            .unwrap()
            .into_iter()
            .map(|r| format!("{r:?}"))
            .collect();
        assert!(plan.iter().any(|p| p.contains("PRIMARY KEY (band=?)")), "{plan:?}");
        let automerge = c.query_i64("SELECT v FROM articles_fts_config WHERE k = 'automerge'", &[]).unwrap();
        assert_eq!(automerge, 16);
    }

    #[test]
    fn migration_5_drops_the_actor_name_index_no_plan_reads() {
        let mut c = sqlite_at_version(4);
        c.batch("INSERT INTO actors (id, name, norm_name) VALUES ('a', 'بغداد', 'بغداد')").unwrap();
        let plan = |c: &mut Conn| -> String {
            c.query(
                "EXPLAIN QUERY PLAN SELECT x.id FROM actors x WHERE x.norm_name LIKE $1 ESCAPE '\\' OR x.id = $2",
                &[Val::from("%غد%"), Val::from("q")],
            )
            .unwrap()
            .into_iter()
            .map(|r| format!("{r:?}"))
            .collect()
        };
        // The query `rasid query actors` runs scans the table with or without the index.
        let before = plan(&mut c);
        assert!(before.contains("SCAN x") && !before.contains("actors_norm"), "{before}");
        assert_eq!(migrate(&mut c).unwrap(), current_version());
        let indexes = c.query("SELECT name FROM sqlite_master WHERE type = 'index'", &[]).unwrap();
        assert!(!format!("{indexes:?}").contains("actors_norm"), "{indexes:?}");
        assert_eq!(plan(&mut c), before);
        let found = c.query("SELECT id FROM actors WHERE norm_name LIKE $1", &[Val::from("%غد%")]).unwrap();
        assert_eq!(found.len(), 1);
    }

    #[test]
    fn migration_6_rebuilds_the_search_index_with_the_ascii_tokenizer() {
        let mut c = sqlite_at_version(5);
        let mut scratch = crate::fingerprint::Scratch::default();
        let articles = [
            (1, Some("زيارة Élysée"), "وصل الوزير إلى القاهرة، ثم بالقاهرة."),
            (2, None, "١٫٥ مليون BBC"),
            (3, None, ""),
        ];
        for (id, title, text) in articles {
            c.exec(
                "INSERT INTO articles (id, ext_id, key, content_hash, title, text, document, minhash, dup_root, gen) \
                 VALUES ($1, 'x', $2, 'h', $3, $4, '{}', '', $1, 1)",
                &[Val::Int(id), Val::from(id.to_string()), Val::from(title), Val::from(text)],
            )
            .unwrap();
            let mut search = String::new();
            crate::fingerprint::analyse(&mut scratch, text, &mut search);
            if let Some(t) = title {
                crate::fingerprint::prepend_title(&mut scratch, t, &mut search);
            }
            // Article 2 is not indexed (as while a reprocess has not redone it yet).
            if id != 2 {
                c.exec("INSERT INTO articles_fts (rowid, body) VALUES ($1, $2)", &[Val::Int(id), Val::from(search)])
                    .unwrap();
            }
        }
        let search = |c: &mut Conn, q: &str| -> Vec<(i64, String)> {
            c.query("SELECT rowid, rank FROM articles_fts WHERE articles_fts MATCH $1 ORDER BY rank", &[Val::from(q)])
                .unwrap()
                .into_iter()
                .map(|r| {
                    let mut r = crate::sql::RowReader::new(r);
                    (r.i64(), format!("{:?}", r.opt_f64()))
                })
                .collect()
        };
        let queries = ["\"قاهره\"", "\"élysée\"", "\"وزير\" \"زياره\"", "\"bbc\""];
        let before: Vec<_> = queries.iter().map(|q| search(&mut c, q)).collect();
        assert_eq!(before[0].len(), 1);
        assert_eq!(migrate(&mut c).unwrap(), current_version());
        let after: Vec<_> = queries.iter().map(|q| search(&mut c, q)).collect();
        assert_eq!(after, before);
        let ids = c.query("SELECT rowid FROM articles_fts ORDER BY rowid", &[]).unwrap();
        assert_eq!(ids.len(), 2, "{ids:?}");
        let sql = c.query_opt("SELECT sql FROM sqlite_master WHERE name = 'articles_fts'", &[]).unwrap();
        assert!(format!("{sql:?}").contains("tokenize='ascii'"), "{sql:?}");
        let automerge = c.query_i64("SELECT v FROM articles_fts_config WHERE k = 'automerge'", &[]).unwrap();
        assert_eq!(automerge, 16);
    }

    #[test]
    fn migration_7_stores_documents_slim_and_compressed() {
        let mut c = sqlite_at_version(6);
        let text = "وصل الوزير إلى القاهرة.";
        let doc = crate::doccodec::tests::doc(text);
        let json = serde_json::to_string(&doc).unwrap();
        for (id, document) in [(1, json.as_str()), (2, "{}")] {
            c.exec(
                "INSERT INTO articles (id, ext_id, key, content_hash, text, document, minhash, dup_root, gen) \
                 VALUES ($1, 'x', $2, 'h', $3, $4, '', $1, 1)",
                &[Val::Int(id), Val::from(id.to_string()), Val::from(text), Val::from(document)],
            )
            .unwrap();
        }
        assert_eq!(migrate(&mut c).unwrap(), current_version());
        let rows = c.query("SELECT typeof(document), document FROM articles ORDER BY id", &[]).unwrap();
        let mut first = crate::sql::RowReader::new(rows[0].clone());
        let (kind, stored) = (first.str(), first.bytes());
        assert_eq!(kind, "blob");
        assert!(stored.len() < json.len());
        assert_eq!(crate::doccodec::decode(&stored, text).unwrap(), doc);
        // Not a document: left as it was.
        let mut second = crate::sql::RowReader::new(rows[1].clone());
        assert_eq!((second.str(), second.str()), ("text".to_string(), "{}".to_string()));
    }

    #[test]
    fn migration_8_clusters_sentences_and_entities_and_drops_indexes_writes_paid_for() {
        let mut c = sqlite_at_version(7);
        c.batch(
            "INSERT INTO sentences (article_id, idx, start_char, end_char, kind, body) VALUES \
             (2, 0, 0, 5, 'report', 1), (1, 1, 6, 9, 'quote', 0), (1, 0, 0, 5, 'report', 1); \
             INSERT INTO entities (id, article_id, sentence, start_char, end_char, kind, text, actor_id) VALUES \
             (10, 1, 0, 0, 3, 'PER', 'a', 'x'), (11, 2, 0, 1, 2, 'LOC', 'b', NULL), (12, 1, 1, 6, 8, 'ORG', 'c', NULL), \
             (13, 1, 1, 7, 9, 'ORG', 'd', 'y');",
        )
        .unwrap();
        assert_eq!(migrate(&mut c).unwrap(), current_version());
        let rows = |c: &mut Conn, sql: &str| -> Vec<String> {
            c.query(sql, &[]).unwrap().into_iter().map(|r| format!("{r:?}")).collect()
        };
        // Each article's entities numbered in the order they were written (their ids).
        let entities = rows(&mut c, "SELECT article_id, n, text FROM entities ORDER BY article_id, n");
        let want = [(1, 0, "a"), (1, 1, "c"), (1, 2, "d"), (2, 0, "b")]
            .map(|(a, n, t)| format!("{:?}", [Val::Int(a), Val::Int(n), Val::from(t)]));
        assert_eq!(entities, want);
        assert_eq!(rows(&mut c, "SELECT * FROM sentences").len(), 3);
        let sql = rows(&mut c, "SELECT name, sql FROM sqlite_master WHERE name IN ('sentences', 'entities')");
        assert!(sql.iter().all(|s| s.contains("WITHOUT ROWID")), "{sql:?}");
        let indexes = rows(&mut c, "SELECT name FROM sqlite_master WHERE type = 'index' ORDER BY name").join(" ");
        for gone in ["entities_article", "event_facets_event", "sqlite_autoindex_sentences"] {
            assert!(!indexes.contains(gone), "{gone} in {indexes}");
        }
        // An article's rows are read by the key; events are counted by actor through the partial indexes.
        for (q, want) in [
            ("SELECT count(*) FROM entities WHERE article_id = 1", "PRIMARY KEY (article_id=?)"),
            ("SELECT count(*) FROM sentences WHERE article_id = 1", "PRIMARY KEY (article_id=?)"),
            ("SELECT count(*) FROM events e WHERE e.source_actor = 'x'", "events_sactor"),
            ("SELECT count(*) FROM events e WHERE e.target_actor = 'x'", "events_tactor"),
            ("DELETE FROM event_facets WHERE facet = '*' AND event_id = 1", "PRIMARY KEY (facet=? AND event_id=?)"),
        ] {
            let plan = rows(&mut c, &format!("EXPLAIN QUERY PLAN {q}")).join(" ");
            assert!(plan.contains(want), "{q}: {plan}");
        }
    }

    #[test]
    fn placeholders_are_all_replaced() {
        for b in [Backend::Sqlite, Backend::Postgres] {
            for m in MIGRATIONS {
                assert!(!render(m, b).contains('{'));
            }
        }
    }

    #[test]
    fn migration_9_merges_the_search_index_16_segments_at_a_time() {
        fn automerge(c: &mut Conn) -> i64 {
            c.query_i64("SELECT v FROM articles_fts_config WHERE k = 'automerge'", &[]).unwrap()
        }
        let mut c = sqlite_at_version(8);
        assert_eq!(automerge(&mut c), 8);
        c.exec("INSERT INTO articles_fts (rowid, body) VALUES (1, $1)", &[Val::from("قاهره وزير")]).unwrap();
        assert_eq!(migrate(&mut c).unwrap(), current_version());
        assert_eq!(automerge(&mut c), 16);
        let found =
            c.query("SELECT rowid FROM articles_fts WHERE articles_fts MATCH $1", &[Val::from("\"قاهره\"")]).unwrap();
        assert_eq!(found.len(), 1);
    }
}
