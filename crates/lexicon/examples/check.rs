//! Prints every diagnostic for a data directory and exits non-zero on errors:
//! `cargo run -p rasid-lexicon --example check -- data`.

use rasid_lexicon::{check, Severity};

fn main() {
    let dir = std::env::args().nth(1).unwrap_or_else(|| "data".to_string());
    let diags = check(std::path::Path::new(&dir));
    for d in &diags {
        println!("{d}");
    }
    let errors = diags.iter().filter(|d| d.severity == Severity::Error).count();
    eprintln!("{} errors, {} warnings", errors, diags.len() - errors);
    if errors > 0 {
        std::process::exit(1);
    }
}
