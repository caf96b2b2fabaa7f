//! The `rasid` binary: argument parsing and dispatch to the subcommands.

/// `println!` that returns the write's error instead of panicking: a closed stdout (`rasid db info | head`) ends
/// the command quietly (see `is_broken_pipe`).
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        writeln!(std::io::stdout().lock(), $($arg)*)
    }};
}

/// `print!` that returns the write's error instead of panicking.
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        write!(std::io::stdout().lock(), $($arg)*)
    }};
}

mod db;
mod dict;
mod eval;
mod events;
mod explain;
mod export;
mod extract;
mod ingest;
mod ner;
mod query;
mod serve;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// rasid (راصد): reads Arabic news and writes structured, sourced event data.
#[derive(Parser, Debug)]
#[command(name = "rasid", version, about, max_term_width = 100)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Analyse articles and write one JSON document per article to stdout (JSON Lines).
    Extract(extract::ExtractArgs),
    /// Check the dictionaries, or look up what a phrase resolves to.
    Dict(dict::DictArgs),
    /// Score rasid against GSR-format JSON Lines (span sets and detection sets).
    Eval(eval::EvalArgs),
    /// Train the statistical event filter from GSR files (`rasid events train`).
    Events(events::EventsArgs),
    /// Show every candidate event trigger of a sentence and why it was or was not coded.
    Explain(explain::ExplainArgs),
    /// Train or measure the statistical name recogniser.
    Ner(ner::NerArgs),
    /// Analyse articles and keep the results in the store (SQLite file or PostgreSQL).
    Ingest(ingest::IngestArgs),
    /// Re-analyse every stored article with the current dictionaries, replacing the old results.
    Reprocess(ingest::ReprocessArgs),
    /// The store's schema version and counts.
    Db(db::DbArgs),
    /// Ask the store: events, timelines, one event, actors, full-text search.
    Query(query::QueryArgs),
    /// Write the stored events as CSV, JSON Lines, Parquet, PLOVER JSON or GDELT TSV.
    Export(export::ExportArgs),
    /// Serve the JSON API and the dashboard over a store.
    Serve(serve::ServeArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Extract(args) => extract::run(args),
        Command::Dict(args) => dict::run(args),
        Command::Eval(args) => eval::run(args),
        Command::Events(args) => events::run(args),
        Command::Explain(args) => explain::run(args),
        Command::Ner(args) => ner::run(args),
        Command::Ingest(args) => ingest::run(args),
        Command::Reprocess(args) => ingest::reprocess(args),
        Command::Db(args) => db::run(args),
        Command::Query(args) => query::run(args),
        Command::Export(args) => export::run(args),
        Command::Serve(args) => serve::run(args),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            if is_broken_pipe(&err) {
                return ExitCode::SUCCESS;
            }
            eprintln!("rasid: {err:#}");
            ExitCode::from(2)
        }
    }
}

/// A closed stdout (`rasid extract … | head`) is not an error.
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain()
        .any(|e| e.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe))
}
