//! `rasid db info`: the store's schema version, processing generation and row counts.

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
}

pub fn run(args: DbArgs) -> Result<ExitCode> {
    match args.command {
        DbCommand::Info { db, json } => {
            let info = db.open()?.info()?;
            if json {
                println!("{}", serde_json::to_string(&info)?);
                return Ok(ExitCode::SUCCESS);
            }
            println!("store              {} ({})", db.db, info.backend);
            println!("schema version     {}", info.schema_version);
            println!("generation         {}", info.generation);
            println!("articles           {}", info.articles);
            println!("near-duplicates    {}", info.near_duplicates);
            println!("sentences          {}", info.sentences);
            println!("entities           {}", info.entities);
            println!("actors             {}", info.actors);
            println!("events             {}", info.events);
            println!("mentions           {}", info.mentions);
            println!("corroborated       {}", info.corroborated_events);
            println!(
                "event days         {} .. {}",
                info.first_day.as_deref().unwrap_or("-"),
                info.last_day.as_deref().unwrap_or("-")
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}
