//! Parquet export: the CSV columns, typed, in row groups of 8,192 events, snappy-compressed, written with the
//! `parquet` crate's column writers (no Arrow). One table ([`columns`]) gives both the schema and the values.

use crate::error::StoreError;
use crate::types::{EventFilter, EventRecord};
use crate::Store;
use parquet::data_type::{BoolType, ByteArray, ByteArrayType, DoubleType, Int64Type};
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use std::io::Write;
use std::sync::Arc;

/// Events per row group.
const ROWS: usize = 8192;

/// How a column's value is read from an event, and so its Parquet type.
enum Get {
    /// `binary (STRING)`.
    Str(fn(&EventRecord) -> Option<&str>),
    /// `int64`.
    Int(fn(&EventRecord) -> Option<i64>),
    /// `int64 (INTEGER(64,false))`.
    UInt(fn(&EventRecord) -> Option<u64>),
    /// `double`.
    Float(fn(&EventRecord) -> Option<f64>),
    /// `boolean`.
    Bool(fn(&EventRecord) -> bool),
}

struct Column {
    name: &'static str,
    /// Never null.
    required: bool,
    get: Get,
}

fn col(name: &'static str, required: bool, get: Get) -> Column {
    Column { name, required, get }
}

/// The columns, in [`crate::export::CSV_COLUMNS`] order.
fn columns() -> Vec<Column> {
    use Get::{Bool, Float, Int, Str, UInt};
    vec![
        col("id", true, Int(|r| Some(r.id))),
        col("type", true, Str(|r| Some(&r.kind))),
        col("cameo", false, Str(|r| r.cameo.as_deref())),
        col("date", false, Str(|r| r.date.as_deref())),
        col("date_precision", false, Str(|r| r.date_precision.as_deref())),
        col("date_start", false, Str(|r| r.date_start.as_deref())),
        col("date_end", false, Str(|r| r.date_end.as_deref())),
        col("source_actor_id", false, Str(|r| r.source_actor_id.as_deref())),
        col("source_name", false, Str(|r| r.source_name.as_deref())),
        col("source_country", false, Str(|r| r.source_country.as_deref())),
        col("source_role", false, Str(|r| r.source_role.as_deref())),
        col("target_actor_id", false, Str(|r| r.target_actor_id.as_deref())),
        col("target_name", false, Str(|r| r.target_name.as_deref())),
        col("target_country", false, Str(|r| r.target_country.as_deref())),
        col("target_role", false, Str(|r| r.target_role.as_deref())),
        col("place", false, Str(|r| r.place.as_deref())),
        col("place_country", false, Str(|r| r.place_country.as_deref())),
        col("lat", false, Float(|r| r.lat)),
        col("lon", false, Float(|r| r.lon)),
        col("killed", false, UInt(|r| r.killed)),
        col("wounded", false, UInt(|r| r.wounded)),
        col("arrested", false, UInt(|r| r.arrested)),
        col("participants", false, UInt(|r| r.participants)),
        col("modality", true, Str(|r| Some(&r.modality))),
        col("negated", true, Bool(|r| r.negated)),
        col("mentions", true, UInt(|r| Some(r.mentions))),
        col("sources", true, UInt(|r| Some(r.sources))),
        col("independent_sources", true, UInt(|r| Some(r.independent_sources))),
        col("trigger", true, Str(|r| Some(&r.trigger))),
        col("sentence", true, Str(|r| Some(&r.sentence))),
        col("article_id", true, Int(|r| Some(r.article_id))),
        col("article_ext_id", true, Str(|r| Some(&r.article_ext_id))),
        col("outlet", false, Str(|r| r.outlet.as_deref())),
        col("published", false, Str(|r| r.published.as_deref())),
        col("url", false, Str(|r| r.url.as_deref())),
    ]
}

/// The Parquet message type of [`columns`].
fn message_type(cols: &[Column]) -> String {
    let mut s = String::from("message rasid_event {\n");
    for c in cols {
        let ty = match c.get {
            Get::Str(_) => "binary",
            Get::Int(_) | Get::UInt(_) => "int64",
            Get::Float(_) => "double",
            Get::Bool(_) => "boolean",
        };
        let logical = match c.get {
            Get::Str(_) => " (STRING)",
            Get::UInt(_) => " (INTEGER(64,false))",
            _ => "",
        };
        let rep = if c.required { "required" } else { "optional" };
        s.push_str(&format!("  {rep} {ty} {}{logical};\n", c.name));
    }
    s.push('}');
    s
}

fn err(e: parquet::errors::ParquetError) -> StoreError {
    StoreError::Other(format!("parquet: {e}"))
}

/// Values and definition levels (1 = present) of one optional column.
fn split<T>(rows: &[EventRecord], get: impl Fn(&EventRecord) -> Option<T>) -> (Vec<T>, Vec<i16>) {
    let mut values = Vec::with_capacity(rows.len());
    let mut defs = Vec::with_capacity(rows.len());
    for r in rows {
        match get(r) {
            Some(v) => {
                values.push(v);
                defs.push(1);
            }
            None => defs.push(0),
        }
    }
    (values, defs)
}

fn write_group<W: Write + Send>(
    writer: &mut SerializedFileWriter<W>,
    cols: &[Column],
    rows: &[EventRecord],
) -> Result<(), StoreError> {
    let mut group = writer.next_row_group().map_err(err)?;
    for c in cols {
        let mut w = group
            .next_column()
            .map_err(err)?
            .ok_or_else(|| StoreError::Other(format!("parquet: no column writer for `{}`", c.name)))?;
        // Required columns take no definition levels.
        let levels = |defs: &[i16]| if c.required { None } else { Some(defs.to_vec()) };
        match c.get {
            Get::Str(get) => {
                let (v, d) = split(rows, |r| get(r).map(ByteArray::from));
                w.typed::<ByteArrayType>().write_batch(&v, levels(&d).as_deref(), None).map_err(err)?;
            }
            Get::Int(get) => {
                let (v, d) = split(rows, get);
                w.typed::<Int64Type>().write_batch(&v, levels(&d).as_deref(), None).map_err(err)?;
            }
            Get::UInt(get) => {
                // Unsigned 64-bit integers travel as the same bits in an int64.
                let (v, d) = split(rows, |r| get(r).map(|n| n as i64));
                w.typed::<Int64Type>().write_batch(&v, levels(&d).as_deref(), None).map_err(err)?;
            }
            Get::Float(get) => {
                let (v, d) = split(rows, get);
                w.typed::<DoubleType>().write_batch(&v, levels(&d).as_deref(), None).map_err(err)?;
            }
            Get::Bool(get) => {
                let v: Vec<bool> = rows.iter().map(get).collect();
                w.typed::<BoolType>().write_batch(&v, None, None).map_err(err)?;
            }
        }
        w.close().map_err(err)?;
    }
    group.close().map_err(err)?;
    Ok(())
}

/// Writes every event matching `filter` as one Parquet file.
pub(crate) fn write(store: &mut Store, filter: &EventFilter, out: &mut (dyn Write + Send)) -> Result<u64, StoreError> {
    let cols = columns();
    let schema = Arc::new(parquet::schema::parser::parse_message_type(&message_type(&cols)).map_err(err)?);
    let props = WriterProperties::builder().set_compression(parquet::basic::Compression::SNAPPY).build();
    let mut writer = SerializedFileWriter::new(out, schema, Arc::new(props)).map_err(err)?;
    let mut rows: Vec<EventRecord> = Vec::with_capacity(ROWS);
    let n = store.for_each_event(filter, |e| {
        rows.push(e.clone());
        if rows.len() == ROWS {
            write_group(&mut writer, &cols, &rows)?;
            rows.clear();
        }
        Ok(())
    })?;
    if !rows.is_empty() {
        write_group(&mut writer, &cols, &rows)?;
    }
    writer.close().map_err(err)?;
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_columns_are_the_csv_columns_and_the_schema_parses() {
        let cols = columns();
        let names: Vec<&str> = cols.iter().map(|c| c.name).collect();
        assert_eq!(names, crate::export::CSV_COLUMNS);
        let schema = parquet::schema::parser::parse_message_type(&message_type(&cols)).unwrap();
        assert_eq!(schema.get_fields().len(), cols.len());
    }
}
