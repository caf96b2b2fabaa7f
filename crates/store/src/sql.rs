//! The one storage interface over two databases: SQLite (rusqlite) and PostgreSQL (postgres), with owned values.
//!
//! SQL is written once with `$1`, `$2` … placeholders (PostgreSQL's spelling; the SQLite side rewrites them to
//! `?1`, `?2` …). Every value is bound as a parameter; nothing from the outside is ever spliced into SQL text.
//! Rows come back as vectors of [`Val`], read in order with a [`RowReader`].

use crate::error::StoreError;
use std::borrow::Cow;
use std::collections::HashMap;

/// One SQL value; text is borrowed where the caller has it (a row's values are written without copying them).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Val<'a> {
    Null,
    Int(i64),
    Real(f64),
    Text(Cow<'a, str>),
    Blob(Cow<'a, [u8]>),
}

impl Val<'_> {
    /// The value with its text owned.
    pub(crate) fn into_owned(self) -> Val<'static> {
        match self {
            Val::Null => Val::Null,
            Val::Int(v) => Val::Int(v),
            Val::Real(v) => Val::Real(v),
            Val::Text(t) => Val::Text(Cow::Owned(t.into_owned())),
            Val::Blob(b) => Val::Blob(Cow::Owned(b.into_owned())),
        }
    }
}

impl From<i64> for Val<'_> {
    fn from(v: i64) -> Self {
        Val::Int(v)
    }
}
impl From<usize> for Val<'_> {
    fn from(v: usize) -> Self {
        Val::Int(i64::try_from(v).unwrap_or(i64::MAX))
    }
}
impl From<bool> for Val<'_> {
    fn from(v: bool) -> Self {
        Val::Int(i64::from(v))
    }
}
impl From<f64> for Val<'_> {
    fn from(v: f64) -> Self {
        Val::Real(v)
    }
}
impl<'a> From<&'a str> for Val<'a> {
    fn from(v: &'a str) -> Self {
        Val::Text(Cow::Borrowed(v))
    }
}
impl From<String> for Val<'_> {
    fn from(v: String) -> Self {
        Val::Text(Cow::Owned(v))
    }
}
impl From<Vec<u8>> for Val<'_> {
    fn from(v: Vec<u8>) -> Self {
        Val::Blob(Cow::Owned(v))
    }
}
impl<'a> From<&'a String> for Val<'a> {
    fn from(v: &'a String) -> Self {
        Val::Text(Cow::Borrowed(v.as_str()))
    }
}
impl<'a, T: Into<Val<'a>>> From<Option<T>> for Val<'a> {
    fn from(v: Option<T>) -> Self {
        v.map_or(Val::Null, Into::into)
    }
}

/// Which database a connection talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Backend {
    Sqlite,
    Postgres,
}

/// A connection: SQLite or PostgreSQL.
pub(crate) enum Conn {
    Sqlite(rusqlite::Connection),
    Postgres { client: Box<postgres::Client>, cache: HashMap<String, postgres::Statement> },
}

pub(crate) type Row = Vec<Val<'static>>;

impl Conn {
    pub(crate) fn backend(&self) -> Backend {
        match self {
            Conn::Sqlite(_) => Backend::Sqlite,
            Conn::Postgres { .. } => Backend::Postgres,
        }
    }

    /// Runs several statements without parameters (DDL, `BEGIN`, `COMMIT`).
    pub(crate) fn batch(&mut self, sql: &str) -> Result<(), StoreError> {
        match self {
            Conn::Sqlite(c) => c.execute_batch(sql).map_err(StoreError::from),
            Conn::Postgres { client, .. } => client.batch_execute(sql).map_err(StoreError::from),
        }
    }

    /// Begins a transaction that will write. SQLite takes the write lock at once (`BEGIN IMMEDIATE`), waiting for
    /// it under the busy timeout: a deferred transaction that reads first and writes later cannot wait when
    /// another connection wrote meanwhile, and fails at once with "database is locked".
    pub(crate) fn begin_write(&mut self) -> Result<(), StoreError> {
        self.batch(match self.backend() {
            Backend::Sqlite => "BEGIN IMMEDIATE",
            Backend::Postgres => "BEGIN",
        })
    }

    /// Runs one statement; returns the number of rows changed.
    pub(crate) fn exec(&mut self, sql: &str, params: &[Val<'_>]) -> Result<u64, StoreError> {
        match self {
            Conn::Sqlite(_) => self.exec_native(&sqlite_placeholders(sql), params),
            Conn::Postgres { .. } => self.exec_native(sql, params),
        }
    }

    /// [`Conn::exec`] of a statement already in this backend's spelling (`?N` or `?` on SQLite): not scanned for
    /// `$N` again (the writer's statements are rewritten once, and its multi-row inserts are built with `?`).
    pub(crate) fn exec_native(&mut self, sql: &str, params: &[Val<'_>]) -> Result<u64, StoreError> {
        match self {
            Conn::Sqlite(c) => {
                let mut st = c.prepare_cached(sql)?;
                Ok(st.execute(rusqlite::params_from_iter(params.iter()))? as u64)
            }
            Conn::Postgres { client, cache } => {
                let st = pg_statement(client, cache, sql)?;
                let refs: Vec<&(dyn postgres::types::ToSql + Sync)> =
                    params.iter().map(|v| v as &(dyn postgres::types::ToSql + Sync)).collect();
                Ok(client.execute(&st, &refs)?)
            }
        }
    }

    /// Runs one query and returns all its rows.
    pub(crate) fn query(&mut self, sql: &str, params: &[Val<'_>]) -> Result<Vec<Row>, StoreError> {
        match self {
            Conn::Sqlite(_) => self.query_native(&sqlite_placeholders(sql), params),
            Conn::Postgres { .. } => self.query_native(sql, params),
        }
    }

    /// [`Conn::query`] of a statement already in this backend's spelling (see [`Conn::exec_native`]).
    pub(crate) fn query_native(&mut self, sql: &str, params: &[Val<'_>]) -> Result<Vec<Row>, StoreError> {
        match self {
            Conn::Sqlite(c) => {
                let mut st = c.prepare_cached(sql)?;
                let n = st.column_count();
                let mut rows = st.query(rusqlite::params_from_iter(params.iter()))?;
                let mut out = Vec::new();
                while let Some(r) = rows.next()? {
                    let mut row = Vec::with_capacity(n);
                    for i in 0..n {
                        row.push(match r.get_ref(i)? {
                            rusqlite::types::ValueRef::Null => Val::Null,
                            rusqlite::types::ValueRef::Integer(v) => Val::Int(v),
                            rusqlite::types::ValueRef::Real(v) => Val::Real(v),
                            rusqlite::types::ValueRef::Text(t) => {
                                Val::Text(Cow::Owned(String::from_utf8_lossy(t).into_owned()))
                            }
                            rusqlite::types::ValueRef::Blob(b) => Val::Blob(Cow::Owned(b.to_vec())),
                        });
                    }
                    out.push(row);
                }
                Ok(out)
            }
            Conn::Postgres { client, cache } => {
                let st = pg_statement(client, cache, sql)?;
                let refs: Vec<&(dyn postgres::types::ToSql + Sync)> =
                    params.iter().map(|v| v as &(dyn postgres::types::ToSql + Sync)).collect();
                let rows = client.query(&st, &refs)?;
                let mut out = Vec::with_capacity(rows.len());
                for r in &rows {
                    let mut row = Vec::with_capacity(r.len());
                    for (i, col) in r.columns().iter().enumerate() {
                        row.push(pg_value(r, i, col.type_())?);
                    }
                    out.push(row);
                }
                Ok(out)
            }
        }
    }

    /// The first row of a query, if any.
    pub(crate) fn query_opt(&mut self, sql: &str, params: &[Val<'_>]) -> Result<Option<Row>, StoreError> {
        Ok(self.query(sql, params)?.into_iter().next())
    }

    /// The first column of the first row as an integer (0 when there is no row or it is NULL).
    pub(crate) fn query_i64(&mut self, sql: &str, params: &[Val<'_>]) -> Result<i64, StoreError> {
        Ok(match self.query_opt(sql, params)? {
            Some(row) => match row.first() {
                Some(Val::Int(v)) => *v,
                Some(Val::Real(v)) => *v as i64,
                Some(Val::Text(t)) => t.parse().unwrap_or(0),
                _ => 0,
            },
            None => 0,
        })
    }
}

fn pg_statement(
    client: &mut postgres::Client,
    cache: &mut HashMap<String, postgres::Statement>,
    sql: &str,
) -> Result<postgres::Statement, StoreError> {
    if let Some(st) = cache.get(sql) {
        return Ok(st.clone());
    }
    let st = client.prepare(sql)?;
    if cache.len() > 512 {
        cache.clear();
    }
    cache.insert(sql.to_string(), st.clone());
    Ok(st)
}

fn pg_value(r: &postgres::Row, i: usize, ty: &postgres::types::Type) -> Result<Val<'static>, StoreError> {
    use postgres::types::Type;
    Ok(if *ty == Type::INT8 {
        r.try_get::<_, Option<i64>>(i)?.map_or(Val::Null, Val::Int)
    } else if *ty == Type::INT4 {
        r.try_get::<_, Option<i32>>(i)?.map_or(Val::Null, |v| Val::Int(i64::from(v)))
    } else if *ty == Type::INT2 {
        r.try_get::<_, Option<i16>>(i)?.map_or(Val::Null, |v| Val::Int(i64::from(v)))
    } else if *ty == Type::FLOAT8 {
        r.try_get::<_, Option<f64>>(i)?.map_or(Val::Null, Val::Real)
    } else if *ty == Type::FLOAT4 {
        r.try_get::<_, Option<f32>>(i)?.map_or(Val::Null, |v| Val::Real(f64::from(v)))
    } else if *ty == Type::BOOL {
        r.try_get::<_, Option<bool>>(i)?.map_or(Val::Null, |v| Val::Int(i64::from(v)))
    } else if *ty == Type::BYTEA {
        r.try_get::<_, Option<Vec<u8>>>(i)?.map_or(Val::Null, Val::from)
    } else {
        r.try_get::<_, Option<String>>(i)?.map_or(Val::Null, Val::from)
    })
}

/// `$12` → `?12` outside quoted strings (SQLite's numbered parameters).
pub(crate) fn sqlite_placeholders(sql: &str) -> Cow<'_, str> {
    if !sql.as_bytes().contains(&b'$') {
        return Cow::Borrowed(sql);
    }
    // Byte-wise: `$`, `'` and digits are ASCII, so replacing one ASCII byte by another keeps the text UTF-8.
    let mut out = sql.as_bytes().to_vec();
    let mut quoted = false;
    for i in 0..out.len() {
        match out[i] {
            b'\'' => quoted = !quoted,
            b'$' if !quoted && out.get(i + 1).is_some_and(u8::is_ascii_digit) => out[i] = b'?',
            _ => {}
        }
    }
    Cow::Owned(String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()))
}

impl rusqlite::ToSql for Val<'_> {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, ValueRef};
        Ok(ToSqlOutput::Borrowed(match self {
            Val::Null => ValueRef::Null,
            Val::Int(v) => ValueRef::Integer(*v),
            Val::Real(v) => ValueRef::Real(*v),
            Val::Text(t) => ValueRef::Text(t.as_bytes()),
            Val::Blob(b) => ValueRef::Blob(b),
        }))
    }
}

impl postgres::types::ToSql for Val<'_> {
    fn to_sql(
        &self,
        ty: &postgres::types::Type,
        out: &mut bytes::BytesMut,
    ) -> Result<postgres::types::IsNull, Box<dyn std::error::Error + Sync + Send>> {
        use postgres::types::{IsNull, Type};
        match self {
            Val::Null => Ok(IsNull::Yes),
            Val::Int(v) => {
                if *ty == Type::INT4 {
                    i32::try_from(*v)?.to_sql(ty, out)
                } else if *ty == Type::INT2 {
                    i16::try_from(*v)?.to_sql(ty, out)
                } else if *ty == Type::FLOAT8 {
                    (*v as f64).to_sql(ty, out)
                } else if *ty == Type::BOOL {
                    (*v != 0).to_sql(ty, out)
                } else if *ty == Type::TEXT || *ty == Type::VARCHAR {
                    v.to_string().to_sql(ty, out)
                } else {
                    v.to_sql(ty, out)
                }
            }
            Val::Real(v) => {
                if *ty == Type::FLOAT4 {
                    (*v as f32).to_sql(ty, out)
                } else {
                    v.to_sql(ty, out)
                }
            }
            Val::Text(t) => t.as_ref().to_sql(ty, out),
            Val::Blob(b) => b.as_ref().to_sql(ty, out),
        }
    }

    fn accepts(_ty: &postgres::types::Type) -> bool {
        true
    }

    postgres::types::to_sql_checked!();
}

/// Reads one row's values in order.
pub(crate) struct RowReader {
    vals: std::vec::IntoIter<Val<'static>>,
}

impl RowReader {
    pub(crate) fn new(row: Row) -> RowReader {
        RowReader { vals: row.into_iter() }
    }

    fn next(&mut self) -> Val<'static> {
        self.vals.next().unwrap_or(Val::Null)
    }

    pub(crate) fn opt_i64(&mut self) -> Option<i64> {
        match self.next() {
            Val::Int(v) => Some(v),
            Val::Real(v) => Some(v as i64),
            Val::Text(t) => t.parse().ok(),
            Val::Null | Val::Blob(_) => None,
        }
    }

    pub(crate) fn i64(&mut self) -> i64 {
        self.opt_i64().unwrap_or(0)
    }

    pub(crate) fn u64(&mut self) -> u64 {
        u64::try_from(self.i64()).unwrap_or(0)
    }

    pub(crate) fn opt_u64(&mut self) -> Option<u64> {
        self.opt_i64().and_then(|v| u64::try_from(v).ok())
    }

    pub(crate) fn bool(&mut self) -> bool {
        self.i64() != 0
    }

    pub(crate) fn opt_f64(&mut self) -> Option<f64> {
        match self.next() {
            Val::Int(v) => Some(v as f64),
            Val::Real(v) => Some(v),
            Val::Text(t) => t.parse().ok(),
            Val::Null | Val::Blob(_) => None,
        }
    }

    pub(crate) fn opt_str(&mut self) -> Option<String> {
        match self.next() {
            Val::Text(t) => Some(t.into_owned()),
            Val::Int(v) => Some(v.to_string()),
            Val::Real(v) => Some(v.to_string()),
            Val::Blob(b) => Some(String::from_utf8_lossy(&b).into_owned()),
            Val::Null => None,
        }
    }

    /// A value's bytes: a blob as it is, text as UTF-8 (empty when NULL).
    pub(crate) fn bytes(&mut self) -> Vec<u8> {
        match self.next() {
            Val::Blob(b) => b.into_owned(),
            Val::Text(t) => t.into_owned().into_bytes(),
            Val::Int(v) => v.to_string().into_bytes(),
            Val::Real(v) => v.to_string().into_bytes(),
            Val::Null => Vec::new(),
        }
    }

    pub(crate) fn str(&mut self) -> String {
        self.opt_str().unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_rewritten_outside_strings() {
        assert_eq!(sqlite_placeholders("SELECT $1, '$2', $10"), "SELECT ?1, '$2', ?10");
        assert_eq!(sqlite_placeholders("a $ b"), "a $ b");
    }

    #[test]
    fn sqlite_round_trip_of_values() {
        let mut c = Conn::Sqlite(rusqlite::Connection::open_in_memory().unwrap());
        c.batch("CREATE TABLE t (a INTEGER, b REAL, c TEXT)").unwrap();
        c.exec("INSERT INTO t VALUES ($1, $2, $3)", &[Val::Int(7), Val::Real(1.5), Val::from("نص")]).unwrap();
        c.exec("INSERT INTO t VALUES ($1, $2, $3)", &[Val::Null, Val::Null, Val::Null]).unwrap();
        let rows = c.query("SELECT a, b, c FROM t ORDER BY a IS NULL", &[]).unwrap();
        let mut r = RowReader::new(rows[0].clone());
        assert_eq!((r.i64(), r.opt_f64(), r.str()), (7, Some(1.5), "نص".to_string()));
        let mut r = RowReader::new(rows[1].clone());
        assert_eq!((r.opt_i64(), r.opt_f64(), r.opt_str()), (None, None, None));
    }
}
