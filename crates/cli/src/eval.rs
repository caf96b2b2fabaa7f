//! `rasid eval`: scores the whole pipeline against GSR-format JSON Lines (span sets and detection sets).

use anyhow::{Context, Result};
use clap::Args;
use rasid_core::eval::{asserted_events, read_gsr, score_records};
use rasid_core::{Extractor, Scratch};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args, Debug)]
pub struct EvalArgs {
    /// GSR files or directories of `*.jsonl` (e.g. `../shared/data/gsr-dev`).
    #[arg(required = true)]
    paths: Vec<PathBuf>,
}

pub fn run(args: EvalArgs) -> Result<ExitCode> {
    let extractor = Extractor::shared().map_err(|e| anyhow::anyhow!("cannot load the bundled data files: {e}"))?;
    let mut scratch = Scratch::default();
    let mut files = Vec::new();
    for p in &args.paths {
        if p.is_dir() {
            let mut found: Vec<PathBuf> = std::fs::read_dir(p)
                .with_context(|| format!("{}: cannot list", p.display()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|f| f.extension().is_some_and(|x| x == "jsonl"))
                .collect();
            found.sort();
            files.extend(found);
        } else {
            files.push(p.clone());
        }
    }
    for file in files {
        let records = read_gsr(&file).with_context(|| format!("{}: cannot read", file.display()))?;
        let score = score_records(&records, |r| asserted_events(extractor, &mut scratch, r));
        outln!("{}", file.display())?;
        outln!("{score}")?;
    }
    Ok(ExitCode::SUCCESS)
}
