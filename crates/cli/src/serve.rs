//! `rasid serve`: the JSON API and the dashboard over a store, on one address.

use anyhow::{Context, Result};
use clap::Args;
use rasid_serve::{AppState, Config};
use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

#[derive(Args, Debug)]
pub struct ServeArgs {
    /// The store: a file path, `sqlite://PATH` or `postgres://…`.
    #[arg(long, default_value = "rasid.db")]
    db: String,
    /// Address to listen on (port 0: any free port; the address taken is printed on stdout).
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// File holding the API token that allows `POST /v1/articles` (without it the server takes no writes).
    #[arg(long, value_name = "FILE")]
    token_file: Option<PathBuf>,
    /// Largest request body accepted, in bytes.
    #[arg(long, default_value_t = rasid_serve::DEFAULT_MAX_BODY_BYTES)]
    max_body_bytes: usize,
    /// Longest a request may take, in seconds.
    #[arg(long, default_value_t = rasid_serve::DEFAULT_TIMEOUT.as_secs())]
    timeout_secs: u64,
    /// Stores opened at once for queries.
    #[arg(long, default_value_t = rasid_serve::DEFAULT_POOL_SIZE)]
    pool: usize,
}

pub fn run(args: ServeArgs) -> Result<ExitCode> {
    let token = match &args.token_file {
        None => None,
        Some(path) => {
            let raw = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
            let token = raw.trim().to_string();
            anyhow::ensure!(!token.is_empty(), "{}: the token file is empty", path.display());
            Some(token)
        }
    };
    let config = Config {
        max_body_bytes: args.max_body_bytes,
        timeout: Duration::from_secs(args.timeout_secs.max(1)),
        token,
        ..Config::default()
    };
    let pool = rasid_serve::pool::StorePool::open(&args.db, args.pool.max(1))
        .map_err(anyhow::Error::msg)
        .with_context(|| format!("cannot open the store `{}`", args.db))?;
    let state = AppState::new(config, Some(pool));
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().context("cannot start tokio")?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(args.addr)
            .await
            .with_context(|| format!("cannot listen on {}", args.addr))?;
        let local = listener.local_addr()?;
        // The first stdout line is the address, for scripts and tests that asked for port 0.
        let mut out = std::io::stdout();
        writeln!(out, "http://{local}/")?;
        out.flush()?;
        eprintln!("rasid: serving {} on http://{local}/ (ctrl-c stops)", args.db);
        rasid_serve::serve(listener, state).await.context("server failed")
    })?;
    Ok(ExitCode::SUCCESS)
}
