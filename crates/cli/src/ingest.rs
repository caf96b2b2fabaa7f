//! `rasid ingest` and `rasid reprocess`: analyse articles with the shared batch loop and keep the results in the
//! store, one transaction per batch.

use crate::extract::{analyse, run_batches, ReadArgs};
use anyhow::{Context, Result};
use clap::Args;
use rasid_core::Extractor;
use rasid_input::Article;
use rasid_store::analyse_for_store;
use rasid_store::{ArticleKey, IngestReport, Store, DEFAULT_DB};
use std::process::ExitCode;

/// The `--db` option of every command that uses the store.
#[derive(Args, Debug, Clone)]
pub struct DbArg {
    /// The store: a SQLite file (`PATH` or `sqlite://PATH`) or `postgres://USER:PASS@HOST/DB`.
    #[arg(long, default_value = DEFAULT_DB)]
    pub db: String,
}

impl DbArg {
    pub fn open(&self) -> Result<Store> {
        Store::open(&self.db).with_context(|| format!("cannot open the store `{}`", self.db))
    }
}

#[derive(Args, Debug)]
pub struct IngestArgs {
    #[command(flatten)]
    read: ReadArgs,
    #[command(flatten)]
    db: DbArg,
    /// Articles a transaction holds before it is committed (a killed ingest loses at most these; run it again).
    #[arg(long, default_value_t = 1024, value_parser = clap::value_parser!(u32).range(1..))]
    commit_every: u32,
    /// SQLite page cache of the ingest, in MiB (memory stays flat in the store's size: at most this much more).
    #[arg(long, default_value_t = 32, value_parser = clap::value_parser!(u32).range(1..4096))]
    cache_mib: u32,
}

#[derive(Args, Debug)]
pub struct ReprocessArgs {
    #[command(flatten)]
    db: DbArg,
    /// Worker threads (default: all cores).
    #[arg(long)]
    threads: Option<usize>,
    /// Never show a progress bar.
    #[arg(long)]
    quiet: bool,
}

fn add(total: &mut IngestReport, r: IngestReport) {
    total.added += r.added;
    total.skipped += r.skipped;
    total.near_duplicates += r.near_duplicates;
    total.mentions += r.mentions;
    total.merged += r.merged;
}

pub fn run(args: IngestArgs) -> Result<ExitCode> {
    let extractor = Extractor::shared().map_err(|e| anyhow::anyhow!("cannot load the bundled data files: {e}"))?;
    let mut store = args.db.open()?;
    store.set_commit_every(args.commit_every as usize);
    store.set_cache_mib(args.cache_mib)?;
    let mut total = IngestReport::default();
    // Articles already stored are counted and not analysed again (a second connection looks them up), so
    // re-running an interrupted ingest goes quickly over what it had done.
    let mut lookup = args.db.open()?;
    let mut known = 0usize;
    // Each article's identity is computed once: looked up here, stored with the analysis.
    let articles = args.read.articles()?.filter_map(|item| match item {
        Ok(a) => {
            let key = ArticleKey::of(&a);
            match lookup.contains_key(&key) {
                Ok(true) => {
                    known += 1;
                    None
                }
                _ => Some(Ok((a, key))),
            }
        }
        Err(e) => Some(Err(e)),
    });
    let failed = run_batches(
        articles,
        args.read.threads,
        args.read.quiet,
        |(a, _): &(Article, ArticleKey)| a.text.len() as u64,
        |(a, _): &(Article, ArticleKey)| analyse_for_store(extractor, a),
        |articles, analysed| {
            let batch: Vec<_> =
                articles.into_iter().zip(analysed).map(|((a, key), analysed)| (a, analysed.with_key(key))).collect();
            add(&mut total, store.ingest_analysed(batch)?);
            Ok(())
        },
    )?;
    store.commit()?;
    total.skipped += known;
    eprintln!(
        "rasid: {} article(s) added, {} already stored, {} near-duplicate(s); {} event mention(s), {} merged into \
         earlier events",
        total.added, total.skipped, total.near_duplicates, total.mentions, total.merged
    );
    if failed > 0 {
        eprintln!("rasid: {failed} input(s) could not be read");
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

/// Stored articles still to reprocess, read a page at a time from a connection of its own.
fn pending(mut reader: Store, target: i64) -> impl Iterator<Item = Result<(i64, Article), String>> {
    let mut after = 0i64;
    let mut page: std::vec::IntoIter<(i64, Article)> = Vec::new().into_iter();
    let mut done = false;
    std::iter::from_fn(move || loop {
        if let Some(item) = page.next() {
            after = item.0;
            return Some(Ok(item));
        }
        if done {
            return None;
        }
        match reader.articles_to_reprocess(target, after, 256) {
            Ok(rows) if rows.is_empty() => done = true,
            Ok(rows) => page = rows.into_iter(),
            Err(e) => {
                done = true;
                return Some(Err(format!("reading stored articles: {e}")));
            }
        }
    })
}

pub fn reprocess(args: ReprocessArgs) -> Result<ExitCode> {
    let extractor = Extractor::shared().map_err(|e| anyhow::anyhow!("cannot load the bundled data files: {e}"))?;
    let mut store = args.db.open()?;
    let target = store.begin_reprocess()?;
    let reader = args.db.open()?;
    let mut total = IngestReport::default();
    let failed = run_batches(
        pending(reader, target),
        args.threads,
        args.quiet,
        |a: &(i64, Article)| a.1.text.len() as u64,
        |a: &(i64, Article)| analyse(extractor, &a.1),
        |articles, docs| {
            let batch: Vec<_> = articles.into_iter().map(|a| a.0).zip(docs).collect();
            add(&mut total, store.replace_results(&batch, target)?);
            Ok(())
        },
    )?;
    if failed > 0 {
        anyhow::bail!("reprocess stopped; run it again to finish");
    }
    let finished = store.finish_reprocess(target)?;
    eprintln!(
        "rasid: {} article(s) reprocessed (generation {target}{}); {} event mention(s), {} merged",
        total.added,
        if finished { "" } else { ", not finished: run again" },
        total.mentions,
        total.merged
    );
    Ok(ExitCode::SUCCESS)
}
