//! `rasid export`: every merged event matching the filters, as CSV, JSON Lines, Parquet, PLOVER/POLECAT-style
//! JSON Lines or GDELT-style TSV (docs/store.md), to a file or stdout.

use crate::ingest::DbArg;
use crate::query::FilterOpts;
use anyhow::{Context, Result};
use clap::Args;
use rasid_store::export::{export, ExportFormat};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args, Debug)]
pub struct ExportArgs {
    /// csv, jsonl, parquet, plover or gdelt.
    #[arg(long, value_name = "csv|jsonl|parquet|plover|gdelt")]
    format: String,
    /// Output file (default: stdout).
    #[arg(long)]
    out: Option<PathBuf>,
    #[command(flatten)]
    filter: FilterOpts,
    #[command(flatten)]
    db: DbArg,
}

pub fn run(args: ExportArgs) -> Result<ExitCode> {
    let format: ExportFormat = args.format.parse()?;
    let filter = args.filter.filter()?;
    let mut store = args.db.open()?;
    let n = match &args.out {
        Some(path) => {
            // Write beside the target and rename, so a failed export leaves no truncated file.
            let tmp = path.with_extension("partial");
            let file = std::fs::File::create(&tmp).with_context(|| format!("cannot create {}", tmp.display()))?;
            let mut w = std::io::BufWriter::with_capacity(1 << 16, file);
            let n = export(&mut store, &filter, format, &mut w).and_then(|n| {
                w.flush()?;
                Ok(n)
            });
            match n {
                Ok(n) => {
                    std::fs::rename(&tmp, path).with_context(|| format!("cannot write {}", path.display()))?;
                    n
                }
                Err(e) => {
                    let _ = std::fs::remove_file(&tmp);
                    return Err(e.into());
                }
            }
        }
        None => {
            let stdout = std::io::stdout();
            let mut w = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
            let n = export(&mut store, &filter, format, &mut w)?;
            w.flush()?;
            n
        }
    };
    eprintln!("rasid: {n} event(s) exported");
    Ok(ExitCode::SUCCESS)
}
