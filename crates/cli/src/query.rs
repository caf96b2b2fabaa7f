//! `rasid query`: merged events with filters, timelines, one event, actors and full-text search, as a table,
//! JSON Lines or CSV.

use crate::ingest::DbArg;
use anyhow::Result;
use clap::{Args, Subcommand, ValueEnum};
use rasid_store::{Bucket, EventFilter, EventRecord, FilterArgs, PageRequest};
use serde::Serialize;
use std::io::{IsTerminal, Write};
use std::process::ExitCode;

/// The event filters shared by `query` and `export`.
#[derive(Args, Debug, Clone, Default)]
pub struct FilterOpts {
    /// PLOVER event types, comma-separated (`ASSAULT,PROTEST`).
    #[arg(long = "type", value_name = "TYPES")]
    pub types: Option<String>,
    /// ISO-3 country of the source or the target actor (`IRQ`).
    #[arg(long)]
    pub country: Option<String>,
    /// CAMEO role of the source or the target actor (`MIL`, `GOV`, …).
    #[arg(long)]
    pub role: Option<String>,
    /// Actor id, or a piece of an actor's name (Arabic normalised).
    #[arg(long)]
    pub actor: Option<String>,
    /// First day: YYYY-MM-DD, YYYY-MM or YYYY.
    #[arg(long)]
    pub from: Option<String>,
    /// Last day: YYYY-MM-DD, YYYY-MM or YYYY.
    #[arg(long)]
    pub to: Option<String>,
    /// Place name (Arabic normalised, whole name).
    #[arg(long)]
    pub place: Option<String>,
    /// Words an article reporting the event contains (full-text search, Arabic normalised).
    #[arg(long)]
    pub text: Option<String>,
}

impl FilterOpts {
    pub fn filter(&self) -> Result<EventFilter> {
        Ok(EventFilter::parse(&FilterArgs {
            types: self.types.as_deref(),
            country: self.country.as_deref(),
            role: self.role.as_deref(),
            actor: self.actor.as_deref(),
            from: self.from.as_deref(),
            to: self.to.as_deref(),
            place: self.place.as_deref(),
            text: self.text.as_deref(),
        })?)
    }
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
enum TableFormat {
    Table,
    Jsonl,
    Csv,
}

#[derive(Args, Debug)]
pub struct QueryArgs {
    #[command(subcommand)]
    command: QueryCommand,
}

#[derive(Subcommand, Debug)]
enum QueryCommand {
    /// Merged events matching the filters, in id order.
    Events {
        #[command(flatten)]
        filter: FilterOpts,
        #[command(flatten)]
        db: DbArg,
        /// Output format (default: table on a terminal, JSON Lines otherwise).
        #[arg(long, value_enum)]
        format: Option<TableFormat>,
        /// At most this many events (0: all).
        #[arg(long, default_value_t = 0)]
        limit: usize,
        /// Only events with an id above this one (the cursor of the previous page).
        #[arg(long)]
        after: Option<i64>,
    },
    /// Events per day, week or month and type.
    Timeline {
        #[command(flatten)]
        filter: FilterOpts,
        #[command(flatten)]
        db: DbArg,
        /// Bucket size.
        #[arg(long, default_value = "week", value_name = "day|week|month")]
        by: String,
        #[arg(long, value_enum)]
        format: Option<TableFormat>,
    },
    /// One merged event with all its mentions (JSON).
    Event {
        id: i64,
        #[command(flatten)]
        db: DbArg,
    },
    /// Articles containing every word (Arabic normalised, prefixes split off).
    Search {
        words: String,
        #[command(flatten)]
        db: DbArg,
        #[arg(long, default_value_t = 20)]
        limit: usize,
        #[arg(long, value_enum)]
        format: Option<TableFormat>,
    },
    /// Actors whose name or id contains a string, most events first.
    Actors {
        #[arg(default_value = "")]
        name: String,
        #[command(flatten)]
        db: DbArg,
        #[arg(long, default_value_t = 20)]
        limit: usize,
        #[arg(long, value_enum)]
        format: Option<TableFormat>,
    },
}

fn default_format(f: Option<TableFormat>) -> TableFormat {
    f.unwrap_or(if std::io::stdout().is_terminal() { TableFormat::Table } else { TableFormat::Jsonl })
}

/// Writes rows as JSON Lines, CSV or an aligned table (`cells` gives the table's columns).
fn write_rows<T: Serialize>(
    rows: &[T],
    format: TableFormat,
    header: &[&str],
    cells: impl Fn(&T) -> Vec<String>,
) -> Result<()> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    match format {
        TableFormat::Jsonl => {
            for r in rows {
                serde_json::to_writer(&mut out, r)?;
                out.write_all(b"\n")?;
            }
        }
        TableFormat::Csv => {
            let mut w = csv::Writer::from_writer(&mut out);
            for r in rows {
                w.serialize(r)?;
            }
            w.flush()?;
        }
        TableFormat::Table => {
            let table: Vec<Vec<String>> = rows.iter().map(&cells).collect();
            let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
            for row in &table {
                for (w, c) in widths.iter_mut().zip(row) {
                    *w = (*w).max(c.chars().count());
                }
            }
            let line = |cells: &[String], out: &mut dyn Write| -> std::io::Result<()> {
                let mut s = String::new();
                for (c, w) in cells.iter().zip(&widths) {
                    s.push_str(c);
                    s.extend(std::iter::repeat_n(' ', w.saturating_sub(c.chars().count()) + 2));
                }
                writeln!(out, "{}", s.trim_end())
            };
            line(&header.iter().map(|h| h.to_string()).collect::<Vec<_>>(), &mut out)?;
            for row in &table {
                line(row, &mut out)?;
            }
        }
    }
    out.flush()?;
    Ok(())
}

fn short(s: Option<&str>, n: usize) -> String {
    let s = s.unwrap_or("-");
    if s.chars().count() > n {
        format!("{}…", s.chars().take(n - 1).collect::<String>())
    } else {
        s.to_string()
    }
}

fn side(actor: Option<&str>, country: Option<&str>, role: Option<&str>) -> String {
    let code = format!("{}{}", country.unwrap_or(""), role.unwrap_or(""));
    match (actor, code.is_empty()) {
        (Some(a), _) => short(Some(a), 24),
        (None, false) => code,
        (None, true) => "-".into(),
    }
}

fn event_cells(e: &EventRecord) -> Vec<String> {
    vec![
        e.id.to_string(),
        e.date.clone().unwrap_or_else(|| "-".into()),
        e.kind.clone(),
        side(e.source_name.as_deref(), e.source_country.as_deref(), e.source_role.as_deref()),
        side(e.target_name.as_deref(), e.target_country.as_deref(), e.target_role.as_deref()),
        short(e.place.as_deref(), 20),
        e.killed.map_or("-".into(), |k| k.to_string()),
        e.sources.to_string(),
    ]
}

pub fn run(args: QueryArgs) -> Result<ExitCode> {
    match args.command {
        QueryCommand::Events { filter, db, format, limit, after } => {
            let f = filter.filter()?;
            let mut store = db.open()?;
            let format = default_format(format);
            let mut rows = Vec::new();
            let mut page = PageRequest { after_id: after, limit: if limit == 0 { 1000 } else { limit.min(1000) } };
            loop {
                let p = store.events(&f, &page)?;
                rows.extend(p.items);
                if limit > 0 && rows.len() >= limit {
                    rows.truncate(limit);
                    break;
                }
                match p.next_after {
                    Some(a) => page.after_id = Some(a),
                    None => break,
                }
                if format != TableFormat::Table && rows.len() >= 10_000 {
                    // Stream long results instead of holding them.
                    write_rows(&rows, format, &[], event_cells)?;
                    rows.clear();
                }
            }
            write_rows(
                &rows,
                format,
                &["id", "date", "type", "source", "target", "place", "killed", "sources"],
                event_cells,
            )?;
        }
        QueryCommand::Timeline { filter, db, by, format } => {
            let f = filter.filter()?;
            let by: Bucket = by.parse()?;
            let points = db.open()?.timeline(&f, by)?;
            write_rows(&points, default_format(format), &["bucket", "type", "events", "sources"], |p| {
                vec![p.bucket.clone(), p.kind.clone(), p.events.to_string(), p.sources.to_string()]
            })?;
        }
        QueryCommand::Event { id, db } => match db.open()?.event(id)? {
            Some(e) => outln!("{}", serde_json::to_string_pretty(&e)?)?,
            None => {
                eprintln!("rasid: no event {id}");
                return Ok(ExitCode::from(1));
            }
        },
        QueryCommand::Search { words, db, limit, format } => {
            let hits = db.open()?.search(&words, limit)?;
            write_rows(&hits, default_format(format), &["id", "ext_id", "published", "outlet", "title"], |h| {
                vec![
                    h.id.to_string(),
                    short(Some(&h.ext_id), 24),
                    short(h.published.as_deref(), 10),
                    short(h.outlet.as_deref(), 20),
                    short(h.title.as_deref().or(Some(&h.snippet)), 60),
                ]
            })?;
        }
        QueryCommand::Actors { name, db, limit, format } => {
            let actors = db.open()?.actors(&name, limit)?;
            write_rows(&actors, default_format(format), &["id", "name", "country", "role", "events"], |a| {
                vec![
                    short(Some(&a.id), 30),
                    short(Some(&a.name), 30),
                    short(a.country.as_deref(), 3),
                    short(a.role.as_deref(), 3),
                    a.events.to_string(),
                ]
            })?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
