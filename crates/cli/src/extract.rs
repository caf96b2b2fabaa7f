//! `rasid extract`: reads articles, analyses them in parallel in bounded batches, prints JSON Lines in input order.

use anyhow::{Context, Result};
use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rasid_core::{ArticleInput, Extractor, Scratch};
use rasid_input::{read_paths, Article, Format, ReadOptions, DEFAULT_MAX_ARTICLE_BYTES};
use rayon::prelude::*;
use std::cell::RefCell;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

/// Articles analysed together: enough to keep every thread busy, few enough that memory stays flat.
const BATCH_ARTICLES: usize = 256;

#[derive(Args, Debug)]
pub struct ExtractArgs {
    /// Files or directories to read (`-` for stdin; stdin when none is given).
    paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Jsonl)]
    format: OutputFormat,
    /// Input format (default: from the file extension, or sniffed on stdin).
    #[arg(long, value_name = "text|html|jsonl")]
    input_format: Option<String>,
    /// Worker threads (default: all cores).
    #[arg(long)]
    threads: Option<usize>,
    /// Publication date (YYYY-MM-DD) for single-article files.
    #[arg(long)]
    published: Option<String>,
    /// Outlet name for single-article files.
    #[arg(long)]
    source: Option<String>,
    /// Article id for a single-article file (default: the file name without extension).
    #[arg(long)]
    id: Option<String>,
    /// Largest article accepted, in bytes; longer ones are reported as errors.
    #[arg(long, default_value_t = DEFAULT_MAX_ARTICLE_BYTES)]
    max_article_bytes: usize,
    /// Never show a progress bar.
    #[arg(long)]
    quiet: bool,
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
    let format = args.input_format.as_deref().map(str::parse::<Format>).transpose().map_err(anyhow::Error::msg)?;
    let opts = ReadOptions {
        format,
        max_article_bytes: args.max_article_bytes,
        id: args.id.clone(),
        published: args.published.clone(),
        source: args.source.clone(),
    };
    opts.check()?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.threads.unwrap_or(0))
        .build()
        .context("cannot start worker threads")?;
    let extractor = Extractor::shared().map_err(|e| anyhow::anyhow!("cannot load the bundled data files: {e}"))?;
    let paths = if args.paths.is_empty() { vec![PathBuf::from("-")] } else { args.paths.clone() };
    let reader = read_paths(&paths, &opts);

    let progress = progress_bar(args.quiet);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let mut failed = 0usize;
    let mut bytes_done = 0u64;
    let mut batch: Vec<Article> = Vec::with_capacity(BATCH_ARTICLES);
    let mut reader = reader.peekable();
    loop {
        batch.clear();
        while batch.len() < BATCH_ARTICLES {
            match reader.next() {
                None => break,
                Some(Ok(article)) => batch.push(article),
                Some(Err(err)) => {
                    failed += 1;
                    progress.suspend(|| eprintln!("rasid: {err}"));
                }
            }
        }
        if batch.is_empty() && reader.peek().is_none() {
            break;
        }
        let rendered: Vec<String> =
            pool.install(|| batch.par_iter().map(|a| render(extractor, a, args.format)).collect());
        for doc in &rendered {
            out.write_all(doc.as_bytes())?;
            out.write_all(b"\n")?;
        }
        progress.inc(batch.len() as u64);
        bytes_done += batch.iter().map(|a| a.text.len() as u64).sum::<u64>();
        progress.set_message(format!("{:.1} MB", bytes_done as f64 / 1e6));
    }
    out.flush()?;
    progress.finish_and_clear();
    if failed > 0 {
        eprintln!("rasid: {failed} input(s) could not be read");
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

fn render(extractor: &Extractor, a: &Article, format: OutputFormat) -> String {
    let input = ArticleInput {
        id: &a.id,
        text: &a.text,
        lang: a.lang.as_deref(),
        published: a.published.as_deref(),
        source: a.source.as_deref(),
        title: a.title.as_deref(),
        url: a.url.as_deref(),
    };
    let doc = SCRATCH.with(|s| extractor.extract_with(&mut s.borrow_mut(), &input));
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
