//! Exports of merged events: flat CSV and JSON Lines (one row per event, the [`EventRecord`] columns), a
//! PLOVER/POLECAT-style JSON Lines, a GDELT 1.0-style TSV, and Parquet.
//! The columns of each are documented in docs/store.md.

use crate::days;
use crate::error::StoreError;
use crate::types::{EventFilter, EventRecord};
use crate::Store;
use serde_json::json;
use std::io::Write;

/// An export format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Csv,
    Jsonl,
    Parquet,
    Plover,
    Gdelt,
}

impl std::str::FromStr for ExportFormat {
    type Err = StoreError;
    fn from_str(s: &str) -> Result<ExportFormat, StoreError> {
        Ok(match s.trim().to_ascii_lowercase().as_str() {
            "csv" => ExportFormat::Csv,
            "jsonl" | "json" => ExportFormat::Jsonl,
            "parquet" => ExportFormat::Parquet,
            "plover" | "polecat" => ExportFormat::Plover,
            "gdelt" | "tsv" => ExportFormat::Gdelt,
            _ => {
                return Err(StoreError::invalid("format", format!("`{s}` is not csv, jsonl, parquet, plover or gdelt")))
            }
        })
    }
}

/// Writes every event matching `filter` to `out`; returns how many.
pub fn export(
    store: &mut Store,
    filter: &EventFilter,
    format: ExportFormat,
    out: &mut (dyn Write + Send),
) -> Result<u64, StoreError> {
    match format {
        ExportFormat::Csv => {
            let mut w = csv::Writer::from_writer(out);
            let n = store.for_each_event(filter, |e| Ok(w.serialize(e)?))?;
            if n == 0 {
                // An empty export still names its columns.
                w.write_record(CSV_COLUMNS)?;
            }
            w.flush()?;
            Ok(n)
        }
        ExportFormat::Jsonl => store.for_each_event(filter, |e| {
            serde_json::to_writer(&mut *out, e)?;
            out.write_all(b"\n")?;
            Ok(())
        }),
        ExportFormat::Plover => store.for_each_event(filter, |e| {
            serde_json::to_writer(&mut *out, &plover(e))?;
            out.write_all(b"\n")?;
            Ok(())
        }),
        ExportFormat::Gdelt => {
            let mut line = String::new();
            store.for_each_event(filter, |e| {
                gdelt_line(e, &mut line);
                out.write_all(line.as_bytes())?;
                Ok(())
            })
        }
        ExportFormat::Parquet => parquet_export(store, filter, out),
    }
}

fn parquet_export(store: &mut Store, filter: &EventFilter, out: &mut (dyn Write + Send)) -> Result<u64, StoreError> {
    crate::parquet_out::write(store, filter, out)
}

/// The CSV header (the fields of [`EventRecord`] in order).
pub const CSV_COLUMNS: &[&str] = &[
    "id",
    "type",
    "cameo",
    "date",
    "date_precision",
    "date_start",
    "date_end",
    "source_actor_id",
    "source_name",
    "source_country",
    "source_role",
    "target_actor_id",
    "target_name",
    "target_country",
    "target_role",
    "place",
    "place_country",
    "lat",
    "lon",
    "killed",
    "wounded",
    "arrested",
    "participants",
    "modality",
    "negated",
    "mentions",
    "sources",
    "independent_sources",
    "trigger",
    "sentence",
    "article_id",
    "article_ext_id",
    "outlet",
    "published",
    "url",
];

/// PLOVER's quad class of an event type.
pub fn quad_class(plover_type: &str) -> &'static str {
    match plover_type {
        "AGREE" | "CONSULT" | "SUPPORT" | "CONCEDE" => "VERBAL COOPERATION",
        "COOPERATE" | "AID" | "RETREAT" => "MATERIAL COOPERATION",
        "REQUEST" | "ACCUSE" | "REJECT" | "THREATEN" => "VERBAL CONFLICT",
        _ => "MATERIAL CONFLICT",
    }
}

/// One event as a PLOVER/POLECAT-style record (POLECAT's column names; rasid's additions after them).
pub fn plover(e: &EventRecord) -> serde_json::Value {
    json!({
        "Event ID": format!("rasid-{}", e.id),
        "Event Date": e.date_start,
        "Event Type": e.kind.to_ascii_lowercase(),
        "Event Mode": null,
        "Event Intensity": null,
        "Quad Code": quad_class(&e.kind),
        "Contexts": [],
        "Actor Name": e.source_name,
        "Actor Country": e.source_country,
        "Primary Actor Sector": e.source_role,
        "Actor ID": e.source_actor_id,
        "Recipient Name": e.target_name,
        "Recipient Country": e.target_country,
        "Primary Recipient Sector": e.target_role,
        "Recipient ID": e.target_actor_id,
        "Placename": e.place,
        "Country": e.place_country,
        "Latitude": e.lat,
        "Longitude": e.lon,
        "Source": e.outlet,
        "Publication Date": e.published,
        "Story ID": e.article_ext_id,
        "URL": e.url,
        "Language": "ar",
        "Version": "rasid-store-1",
        "cameo": e.cameo,
        "date_precision": e.date_precision,
        "date_end": e.date_end,
        "killed": e.killed,
        "wounded": e.wounded,
        "arrested": e.arrested,
        "participants": e.participants,
        "modality": e.modality,
        "negated": e.negated,
        "mentions": e.mentions,
        "sources": e.sources,
        "independent_sources": e.independent_sources,
        "trigger": e.trigger,
        "sentence": e.sentence,
    })
}

/// CAMEO's quad class of an event code (root 01–05 verbal cooperation … 14–20 material conflict), else PLOVER's.
fn gdelt_quad(e: &EventRecord) -> u8 {
    let root = e.cameo.as_deref().and_then(|c| c.get(..2)).and_then(|r| r.parse::<u8>().ok());
    match root {
        Some(1..=5) => 1,
        Some(6..=8) => 2,
        Some(9..=13) => 3,
        Some(14..=20) => 4,
        _ => match quad_class(&e.kind) {
            "VERBAL COOPERATION" => 1,
            "MATERIAL COOPERATION" => 2,
            "VERBAL CONFLICT" => 3,
            _ => 4,
        },
    }
}

/// Tabs and line breaks would break a TSV row.
fn tsv(s: Option<&str>) -> String {
    s.unwrap_or("").replace(['\t', '\n', '\r'], " ")
}

/// One event as a GDELT 1.0 event-file row (58 tab-separated columns, no header), with its newline.
pub fn gdelt_line(e: &EventRecord, line: &mut String) {
    use std::fmt::Write as _;
    line.clear();
    let day = e.date_start.as_deref().and_then(days::parse_range).map(|r| r.0);
    let (date, month_year, year, fraction) = match day {
        Some(d) => {
            let (y, m, dd) = days::to_ymd(d);
            let doy = d - days::from_ymd(y, 1, 1).unwrap_or(d);
            (
                format!("{y:04}{m:02}{dd:02}"),
                format!("{y:04}{m:02}"),
                y.to_string(),
                format!("{:.4}", y as f64 + doy as f64 / 365.0),
            )
        }
        None => Default::default(),
    };
    let code = |c: &Option<String>, r: &Option<String>| format!("{}{}", tsv(c.as_deref()), tsv(r.as_deref()));
    let mut cols: Vec<String> = vec![e.id.to_string(), date, month_year, year, fraction];
    for (c, r, name) in
        [(&e.source_country, &e.source_role, &e.source_name), (&e.target_country, &e.target_role, &e.target_name)]
    {
        cols.push(code(c, r));
        cols.push(tsv(name.as_deref()));
        cols.push(tsv(c.as_deref()));
        cols.extend(std::iter::repeat_n(String::new(), 4)); // known group, ethnic, religion 1 and 2
        cols.push(tsv(r.as_deref()));
        cols.extend(std::iter::repeat_n(String::new(), 2)); // type 2 and 3
    }
    let cameo = e.cameo.as_deref().unwrap_or("");
    cols.push("1".into()); // IsRootEvent
    cols.push(cameo.into());
    cols.push(cameo.get(..3).unwrap_or(cameo).into());
    cols.push(cameo.get(..2).unwrap_or(cameo).into());
    cols.push(gdelt_quad(e).to_string());
    cols.push(String::new()); // GoldsteinScale
    cols.push(e.mentions.to_string());
    cols.push(e.independent_sources.to_string());
    cols.push(e.sources.to_string());
    cols.push(String::new()); // AvgTone
    for _ in 0..2 {
        cols.extend(std::iter::repeat_n(String::new(), 7)); // actor geographies: unknown
    }
    let geo_type = if e.lat.is_some() {
        "4"
    } else if e.place_country.is_some() {
        "1"
    } else {
        ""
    };
    let has_place = e.place.is_some();
    cols.push(if has_place { geo_type.into() } else { String::new() });
    cols.push(tsv(e.place.as_deref()));
    cols.push(tsv(e.place_country.as_deref()));
    cols.push(String::new()); // ADM1
    cols.push(e.lat.map(|v| format!("{v:.4}")).unwrap_or_default());
    cols.push(e.lon.map(|v| format!("{v:.4}")).unwrap_or_default());
    cols.push(String::new()); // FeatureID
    cols.push(e.published.as_deref().unwrap_or("").replace('-', ""));
    cols.push(tsv(e.url.as_deref()));
    debug_assert_eq!(cols.len(), GDELT_COLUMNS);
    for (i, c) in cols.iter().enumerate() {
        if i > 0 {
            line.push('\t');
        }
        let _ = write!(line, "{c}");
    }
    line.push('\n');
}

/// Columns of a GDELT 1.0 event row.
pub const GDELT_COLUMNS: usize = 58;

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn record() -> EventRecord {
        EventRecord {
            id: 7,
            kind: "ASSAULT".into(),
            cameo: Some("190".into()),
            date: Some("2018-03-04".into()),
            date_precision: Some("day".into()),
            date_start: Some("2018-03-04".into()),
            date_end: Some("2018-03-04".into()),
            source_actor_id: None,
            source_name: Some("مسلحون".into()),
            source_country: None,
            source_role: Some("REB".into()),
            target_actor_id: None,
            target_name: Some("الجيش\tالعراقي".into()),
            target_country: Some("IRQ".into()),
            target_role: Some("MIL".into()),
            place: Some("بغداد".into()),
            place_country: Some("IRQ".into()),
            lat: Some(33.34),
            lon: Some(44.4),
            killed: Some(3),
            wounded: None,
            arrested: None,
            participants: None,
            modality: "asserted".into(),
            negated: false,
            mentions: 3,
            sources: 2,
            independent_sources: 1,
            trigger: "هجوم".into(),
            sentence: "جملة".into(),
            article_id: 1,
            article_ext_id: "a1".into(),
            outlet: Some("x".into()),
            published: Some("2018-03-05".into()),
            url: Some("https://example.org/a1".into()),
        }
    }

    #[test]
    fn gdelt_rows_have_58_columns_in_place() {
        let mut line = String::new();
        gdelt_line(&record(), &mut line);
        let cols: Vec<&str> = line.trim_end_matches('\n').split('\t').collect();
        assert_eq!(cols.len(), GDELT_COLUMNS);
        assert_eq!(cols[1], "20180304");
        assert_eq!(cols[5], "REB");
        assert_eq!(cols[15], "IRQMIL");
        assert_eq!(cols[16], "الجيش العراقي");
        assert_eq!((cols[26], cols[27], cols[28], cols[29]), ("190", "190", "19", "4"));
        assert_eq!((cols[31], cols[32], cols[33]), ("3", "1", "2"));
        assert_eq!((cols[49], cols[50], cols[53]), ("4", "بغداد", "33.3400"));
        assert_eq!((cols[56], cols[57]), ("20180305", "https://example.org/a1"));
    }

    #[test]
    fn plover_records_and_csv_header() {
        let v = plover(&record());
        assert_eq!(v["Event Type"], "assault");
        assert_eq!(v["Quad Code"], "MATERIAL CONFLICT");
        assert_eq!(v["Recipient Country"], "IRQ");
        let json = serde_json::to_value(record()).unwrap();
        let keys: Vec<&String> = json.as_object().unwrap().keys().collect();
        assert_eq!(keys.len(), CSV_COLUMNS.len());
        for c in CSV_COLUMNS {
            assert!(json.get(*c).is_some(), "{c}");
        }
        assert!("xls".parse::<ExportFormat>().is_err());
    }
}
