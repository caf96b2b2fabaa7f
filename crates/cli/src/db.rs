//! `rasid db info`: the store's schema version, processing generation and row counts; `rasid db check`: its
//! consistency.

use crate::ingest::DbArg;
use anyhow::Result;
use clap::{Args, Subcommand};
use std::process::ExitCode;

#[derive(Args, Debug)]
pub struct DbArgs {
    #[command(subcommand)]
    command: DbCommand,
}

#[derive(Subcommand, Debug)]
enum DbCommand {
    /// Print the schema version and row counts (creating and migrating the store if needed).
    Info {
        #[command(flatten)]
        db: DbArg,
        /// Print one JSON object instead of lines.
        #[arg(long)]
        json: bool,
    },
    /// Check that every article's stored rows match its document and every event its mentions (a full scan).
    Check {
        #[command(flatten)]
        db: DbArg,
    },
}

pub fn run(args: DbArgs) -> Result<ExitCode> {
    match args.command {
        DbCommand::Check { db } => {
            let problems = db.open()?.check()?;
            for p in &problems {
                outln!("{p}")?;
            }
            if problems.is_empty() {
                eprintln!("rasid: the store is consistent");
                return Ok(ExitCode::SUCCESS);
            }
            eprintln!("rasid: {} problem(s)", problems.len());
            Ok(ExitCode::from(1))
        }
        DbCommand::Info { db, json } => {
            let info = db.open()?.info()?;
            if json {
                outln!("{}", serde_json::to_string(&info)?)?;
                return Ok(ExitCode::SUCCESS);
            }
            outln!("store              {} ({})", db.db, info.backend)?;
            outln!("schema version     {}", info.schema_version)?;
            outln!("generation         {}", info.generation)?;
            outln!("articles           {}", info.articles)?;
            outln!("near-duplicates    {}", info.near_duplicates)?;
            outln!("sentences          {}", info.sentences)?;
            outln!("entities           {}", info.entities)?;
            outln!("actors             {}", info.actors)?;
            outln!("events             {}", info.events)?;
            outln!("mentions           {}", info.mentions)?;
            outln!("corroborated       {}", info.corroborated_events)?;
            outln!(
                "event days         {} .. {}",
                info.first_day.as_deref().unwrap_or("-"),
                info.last_day.as_deref().unwrap_or("-")
            )?;
            Ok(ExitCode::SUCCESS)
        }
    }
}
