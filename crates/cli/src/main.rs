//! The `rasid` binary: argument parsing and dispatch to the subcommands.

mod dict;
mod extract;

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
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Extract(args) => extract::run(args),
        Command::Dict(args) => dict::run(args),
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
