//! `rasid events train`: trains the event filter (`data/events/filter.tsv`) from the GSR dev files and prints its
//! out-of-fold figures. The training itself is `rasid_core::events::train::train_dir`.

use anyhow::{Context, Result};
use clap::{Args, Subcommand};
use rasid_core::events::train;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args, Debug)]
pub struct EventsArgs {
    #[command(subcommand)]
    command: EventsCommand,
}

#[derive(Subcommand, Debug)]
enum EventsCommand {
    /// Train the statistical event filter on GSR files (deterministic) and write it as TSV.
    Train(TrainArgs),
}

#[derive(Args, Debug)]
struct TrainArgs {
    /// Directory of GSR `*.jsonl` files (detection and span sets, e.g. `../shared/data/gsr-dev`).
    #[arg(long)]
    gsr: PathBuf,
    /// Where to write the model (e.g. `data/events/filter.tsv`); `-` for stdout.
    #[arg(long, short)]
    out: PathBuf,
    /// Cross-validation folds for choosing the per-type thresholds and for the reported figures.
    #[arg(long, default_value_t = 5)]
    folds: usize,
}

pub fn run(args: EventsArgs) -> Result<ExitCode> {
    match args.command {
        EventsCommand::Train(a) => train_cmd(a),
    }
}

fn train_cmd(a: TrainArgs) -> Result<ExitCode> {
    let (model, oof) =
        train::train_dir(&a.gsr, a.folds).with_context(|| format!("{}: cannot train", a.gsr.display()))?;
    let tsv = model.to_tsv();
    if a.out.as_os_str() == "-" {
        out!("{tsv}")?;
    } else {
        std::fs::write(&a.out, &tsv).with_context(|| format!("{}: cannot write", a.out.display()))?;
    }
    let mut types: Vec<(&String, &f32)> = model.thresholds.iter().collect();
    types.sort_by(|a, b| a.0.cmp(b.0));
    for (t, th) in types {
        let s = train::score(&oof, t, *th);
        eprintln!("{t} @{th:.2} ({}-fold, out-of-fold): {s}", a.folds.max(2));
    }
    Ok(ExitCode::SUCCESS)
}
