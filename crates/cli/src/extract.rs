//! `rasid extract`: reads articles, analyses them in parallel in bounded batches, prints JSON Lines in input order.

use anyhow::{Context, Result};
use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rasid_core::Extractor;
use rasid_input::{read_paths, Article, Format, ReadOptions, DEFAULT_MAX_ARTICLE_BYTES};
use rayon::prelude::*;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

/// Articles analysed together: enough to keep every thread busy, few enough that memory stays flat.
const BATCH_ARTICLES: usize = 256;

#[derive(Args, Debug)]
pub struct ExtractArgs {
    #[command(flatten)]
    read: ReadArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Jsonl)]
    format: OutputFormat,
}

/// What every command that reads articles takes: inputs, input format, threads, metadata for single files.
#[derive(Args, Debug, Clone)]
pub struct ReadArgs {
    /// Files or directories to read (`-` for stdin; stdin when none is given).
    pub paths: Vec<PathBuf>,
    /// Input format (default: from the file extension, or sniffed on stdin).
    #[arg(long, value_name = "text|html|jsonl")]
    pub input_format: Option<String>,
    /// Worker threads (default: all cores).
    #[arg(long)]
    pub threads: Option<usize>,
    /// Publication date (YYYY-MM-DD) for single-article files.
    #[arg(long)]
    pub published: Option<String>,
    /// Outlet name for single-article files.
    #[arg(long)]
    pub source: Option<String>,
    /// Article id for a single-article file (default: the file name without extension).
    #[arg(long)]
    pub id: Option<String>,
    /// Largest article accepted, in bytes; longer ones are reported as errors.
    #[arg(long, default_value_t = DEFAULT_MAX_ARTICLE_BYTES)]
    pub max_article_bytes: usize,
    /// Never show a progress bar.
    #[arg(long)]
    pub quiet: bool,
}

impl ReadArgs {
    /// The articles of the given inputs, read lazily; unreadable ones as error messages.
    pub fn articles(&self) -> Result<impl Iterator<Item = Result<Article, String>>> {
        let format = self.input_format.as_deref().map(str::parse::<Format>).transpose().map_err(anyhow::Error::msg)?;
        let opts = ReadOptions {
            format,
            max_article_bytes: self.max_article_bytes,
            id: self.id.clone(),
            published: self.published.clone(),
            source: self.source.clone(),
        };
        opts.check()?;
        let paths = if self.paths.is_empty() { vec![PathBuf::from("-")] } else { self.paths.clone() };
        Ok(read_paths(&paths, &opts).map(|r| r.map_err(|e| e.to_string())))
    }
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
enum OutputFormat {
    /// One compact JSON object per line.
    Jsonl,
    /// Indented JSON, one object after another (for reading).
    Pretty,
    /// One line per span (sentences, entities, events …), for reading.
    Text,
}

pub fn run(args: ExtractArgs) -> Result<ExitCode> {
    let extractor = Extractor::shared().map_err(|e| anyhow::anyhow!("cannot load the bundled data files: {e}"))?;
    let format = args.format;
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout());
    let failed = run_batches(
        args.read.articles()?,
        args.read.threads,
        args.read.quiet,
        |a: &Article| a.text.len() as u64,
        |a: &Article| render(extractor, a, format),
        |_, rendered: Vec<String>| {
            for doc in &rendered {
                out.write_all(doc.as_bytes())?;
                out.write_all(b"\n")?;
            }
            out.flush()?;
            Ok(())
        },
    )?;
    if failed > 0 {
        eprintln!("rasid: {failed} input(s) could not be read");
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

/// The batch loop every analysing command shares: reads `items` in batches of [`BATCH_ARTICLES`], maps each
/// batch with `analyse` on a pool of `threads` workers (input order kept), and hands every batch with its results
/// to `sink`, which runs on a thread of its own while the next batch is read and analysed. At most three batches
/// are alive at once (one analysed, one waiting, one in `sink`), so memory stays flat in the input size. Items
/// that are errors are printed and counted; the count is returned. The first error of `sink` stops the loop.
pub fn run_batches<A, T>(
    items: impl Iterator<Item = Result<A, String>>,
    threads: Option<usize>,
    quiet: bool,
    bytes: impl Fn(&A) -> u64,
    analyse: impl Fn(&A) -> T + Sync,
    mut sink: impl FnMut(Vec<A>, Vec<T>) -> Result<()> + Send,
) -> Result<usize>
where
    A: Send + Sync,
    T: Send,
{
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads.unwrap_or(0))
        .build()
        .context("cannot start worker threads")?;
    let progress = progress_bar(quiet);
    let mut failed = 0usize;
    let mut bytes_done = 0u64;
    let mut items = items;
    std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::sync_channel::<(Vec<A>, Vec<T>)>(1);
        let writer = scope.spawn(move || -> Result<()> {
            for (batch, results) in rx {
                sink(batch, results)?;
            }
            Ok(())
        });
        loop {
            let mut batch: Vec<A> = Vec::with_capacity(BATCH_ARTICLES);
            while batch.len() < BATCH_ARTICLES {
                match items.next() {
                    None => break,
                    Some(Ok(item)) => batch.push(item),
                    Some(Err(err)) => {
                        failed += 1;
                        progress.suspend(|| eprintln!("rasid: {err}"));
                    }
                }
            }
            if batch.is_empty() {
                break;
            }
            let results: Vec<T> = pool.install(|| batch.par_iter().map(&analyse).collect());
            progress.inc(batch.len() as u64);
            bytes_done += batch.iter().map(&bytes).sum::<u64>();
            progress.set_message(format!("{:.1} MB", bytes_done as f64 / 1e6));
            if tx.send((batch, results)).is_err() {
                // The writer stopped on an error, reported below.
                break;
            }
        }
        drop(tx);
        let written = writer.join().map_err(|_| anyhow::anyhow!("the writer thread panicked"))?;
        progress.finish_and_clear();
        written
    })?;
    Ok(failed)
}

pub use rasid_store::analyse;

fn render(extractor: &Extractor, a: &Article, format: OutputFormat) -> String {
    let doc = analyse(extractor, a);
    let json = match format {
        OutputFormat::Jsonl => serde_json::to_string(&doc),
        OutputFormat::Pretty => serde_json::to_string_pretty(&doc),
        OutputFormat::Text => Ok(rasid_core::summary::render(&doc)),
    };
    // Serialising plain structs of strings and numbers cannot fail.
    json.unwrap_or_else(|e| format!("{{\"id\":{:?},\"error\":{:?}}}", a.id, e.to_string()))
}

/// A spinner with counts on stderr, only when stderr is a terminal.
fn progress_bar(quiet: bool) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new_spinner();
    bar.set_draw_target(ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template("{spinner} {pos} articles  {msg}  {per_sec}  {elapsed}")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    bar.enable_steady_tick(std::time::Duration::from_millis(200));
    bar
}
