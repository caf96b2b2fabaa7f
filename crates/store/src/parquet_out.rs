//! Parquet export (cargo feature `parquet`): the CSV columns, typed, in row groups of 8,192 events.

use crate::error::StoreError;
use crate::types::{EventFilter, EventRecord};
use crate::Store;
use arrow_array::builder::{BooleanBuilder, Float64Builder, Int64Builder, StringBuilder, UInt64Builder};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema};
use std::io::Write;
use std::sync::Arc;

const ROWS: usize = 8192;

fn schema() -> Arc<Schema> {
    use DataType::{Boolean, Float64, Int64, UInt64, Utf8};
    let f = |name: &str, t: DataType, nullable: bool| Field::new(name, t, nullable);
    let mut fields = vec![f("id", Int64, false), f("type", Utf8, false)];
    for name in ["cameo", "date", "date_precision", "date_start", "date_end"] {
        fields.push(f(name, Utf8, true));
    }
    for side in ["source", "target"] {
        for col in ["actor_id", "name", "country", "role"] {
            fields.push(f(&format!("{side}_{col}"), Utf8, true));
        }
    }
    fields.extend([
        f("place", Utf8, true),
        f("place_country", Utf8, true),
        f("lat", Float64, true),
        f("lon", Float64, true),
    ]);
    for name in ["killed", "wounded", "arrested", "participants"] {
        fields.push(f(name, UInt64, true));
    }
    fields.extend([
        f("modality", Utf8, false),
        f("negated", Boolean, false),
        f("mentions", UInt64, false),
        f("sources", UInt64, false),
        f("independent_sources", UInt64, false),
        f("trigger", Utf8, false),
        f("sentence", Utf8, false),
        f("article_id", Int64, false),
        f("article_ext_id", Utf8, false),
        f("outlet", Utf8, true),
        f("published", Utf8, true),
        f("url", Utf8, true),
    ]);
    Arc::new(Schema::new(fields))
}

fn batch(schema: &Arc<Schema>, rows: &[EventRecord]) -> Result<RecordBatch, StoreError> {
    let strings = |get: &dyn Fn(&EventRecord) -> Option<&str>| -> ArrayRef {
        let mut b = StringBuilder::new();
        for r in rows {
            b.append_option(get(r));
        }
        Arc::new(b.finish())
    };
    let uints = |get: &dyn Fn(&EventRecord) -> Option<u64>| -> ArrayRef {
        let mut b = UInt64Builder::new();
        for r in rows {
            b.append_option(get(r));
        }
        Arc::new(b.finish())
    };
    let floats = |get: &dyn Fn(&EventRecord) -> Option<f64>| -> ArrayRef {
        let mut b = Float64Builder::new();
        for r in rows {
            b.append_option(get(r));
        }
        Arc::new(b.finish())
    };
    let ints = |get: &dyn Fn(&EventRecord) -> i64| -> ArrayRef {
        let mut b = Int64Builder::new();
        for r in rows {
            b.append_value(get(r));
        }
        Arc::new(b.finish())
    };
    let mut negated = BooleanBuilder::new();
    for r in rows {
        negated.append_value(r.negated);
    }
    let columns: Vec<ArrayRef> = vec![
        ints(&|r| r.id),
        strings(&|r| Some(&r.kind)),
        strings(&|r| r.cameo.as_deref()),
        strings(&|r| r.date.as_deref()),
        strings(&|r| r.date_precision.as_deref()),
        strings(&|r| r.date_start.as_deref()),
        strings(&|r| r.date_end.as_deref()),
        strings(&|r| r.source_actor_id.as_deref()),
        strings(&|r| r.source_name.as_deref()),
        strings(&|r| r.source_country.as_deref()),
        strings(&|r| r.source_role.as_deref()),
        strings(&|r| r.target_actor_id.as_deref()),
        strings(&|r| r.target_name.as_deref()),
        strings(&|r| r.target_country.as_deref()),
        strings(&|r| r.target_role.as_deref()),
        strings(&|r| r.place.as_deref()),
        strings(&|r| r.place_country.as_deref()),
        floats(&|r| r.lat),
        floats(&|r| r.lon),
        uints(&|r| r.killed),
        uints(&|r| r.wounded),
        uints(&|r| r.arrested),
        uints(&|r| r.participants),
        strings(&|r| Some(&r.modality)),
        Arc::new(negated.finish()),
        uints(&|r| Some(r.mentions)),
        uints(&|r| Some(r.sources)),
        uints(&|r| Some(r.independent_sources)),
        strings(&|r| Some(&r.trigger)),
        strings(&|r| Some(&r.sentence)),
        ints(&|r| r.article_id),
        strings(&|r| Some(&r.article_ext_id)),
        strings(&|r| r.outlet.as_deref()),
        strings(&|r| r.published.as_deref()),
        strings(&|r| r.url.as_deref()),
    ];
    RecordBatch::try_new(schema.clone(), columns).map_err(|e| StoreError::Other(format!("parquet: {e}")))
}

/// Writes every event matching `filter` as one Parquet file (snappy-compressed).
pub(crate) fn write(store: &mut Store, filter: &EventFilter, out: &mut (dyn Write + Send)) -> Result<u64, StoreError> {
    let schema = schema();
    let props = parquet::file::properties::WriterProperties::builder()
        .set_compression(parquet::basic::Compression::SNAPPY)
        .build();
    let err = |e: parquet::errors::ParquetError| StoreError::Other(format!("parquet: {e}"));
    let mut writer = parquet::arrow::ArrowWriter::try_new(out, schema.clone(), Some(props)).map_err(err)?;
    let mut rows: Vec<EventRecord> = Vec::with_capacity(ROWS);
    let mut failed: Option<StoreError> = None;
    let n = store.for_each_event(filter, |e| {
        rows.push(e.clone());
        if rows.len() == ROWS {
            let b = batch(&schema, &rows)?;
            writer.write(&b).map_err(err)?;
            rows.clear();
        }
        Ok(())
    });
    let n = match n {
        Ok(n) => n,
        Err(e) => {
            failed = Some(e);
            0
        }
    };
    if let Some(e) = failed {
        return Err(e);
    }
    if !rows.is_empty() {
        writer.write(&batch(&schema, &rows)?).map_err(err)?;
    }
    writer.close().map_err(err)?;
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_batch_matches_the_schema_and_the_csv_columns() {
        let s = schema();
        let names: Vec<&str> = s.fields().iter().map(|f| f.name().as_str()).collect();
        assert_eq!(names, crate::export::CSV_COLUMNS);
        let b = batch(&s, &[crate::export::tests::record()]).unwrap();
        assert_eq!(b.num_rows(), 1);
    }
}
