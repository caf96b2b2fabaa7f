//! `rasid dict`: validate the data files and show what a phrase resolves to.

use anyhow::Result;
use clap::{Args, Subcommand};
use rasid_lexicon::{ActorMatcher, Severity, Ymd};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args, Debug)]
pub struct DictArgs {
    #[command(subcommand)]
    command: DictCommand,
}

#[derive(Subcommand, Debug)]
enum DictCommand {
    /// Validate every data file (unknown codes, duplicate or conflicting entries, bad dates).
    Check {
        /// A `data/` directory to check (default: the data bundled into this binary).
        #[arg(long)]
        data: Option<PathBuf>,
    },
    /// Show what a phrase resolves to and why.
    Lookup {
        /// The phrase, in Arabic or English.
        text: String,
        /// The day whose roles apply (YYYY-MM-DD).
        #[arg(long)]
        date: Option<String>,
    },
}

pub fn run(args: DictArgs) -> Result<ExitCode> {
    match args.command {
        DictCommand::Check { data } => check(data),
        DictCommand::Lookup { text, date } => lookup(&text, date.as_deref()),
    }
}

fn check(data: Option<PathBuf>) -> Result<ExitCode> {
    let (diags, phrases) = match &data {
        Some(dir) => (rasid_lexicon::check(dir), rasid_core::datacheck::check_dir(dir)),
        None => (rasid_lexicon::check_bundled(), rasid_core::datacheck::check_bundled()),
    };
    let mut errors = phrases.len();
    for d in &diags {
        if d.severity == Severity::Error {
            errors += 1;
        }
        println!("{d}");
    }
    for p in &phrases {
        println!("{p}");
    }
    let warnings = diags.len() + phrases.len() - errors;
    let what = data.as_ref().map_or("bundled data".to_string(), |d| d.display().to_string());
    eprintln!("{what}: {errors} error(s), {warnings} warning(s)");
    Ok(if errors > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

fn lookup(text: &str, date: Option<&str>) -> Result<ExitCode> {
    let date = date.map(|d| d.parse::<Ymd>()).transpose()?;
    let found = ActorMatcher::bundled().lookup(text, date);
    if found.is_empty() {
        println!("`{text}`: no dictionary entry matches");
        return Ok(ExitCode::from(1));
    }
    for e in found {
        println!("{}\t{:?}\t{}\t{}\t{}\t{}\t{}", e.text, e.kind, e.id, e.name, e.code, e.source, e.why);
    }
    Ok(ExitCode::SUCCESS)
}
