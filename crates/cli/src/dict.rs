//! `rasid dict`: validate the data files and show what a phrase resolves to.

use anyhow::Result;
use clap::{Args, Subcommand};
use rasid_lexicon::{ActorMatcher, Severity, Ymd};
use std::path::{Path, PathBuf};
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
    let (diags, mut phrases) = match &data {
        Some(dir) => (rasid_lexicon::check(dir), rasid_core::datacheck::check_dir(dir)),
        None => (rasid_lexicon::check_bundled(), rasid_core::datacheck::check_bundled()),
    };
    phrases.extend(match &data {
        Some(dir) => check_other_files(dir),
        None => check_other_bundled(),
    });
    let mut errors = phrases.len();
    for d in &diags {
        if d.severity == Severity::Error {
            errors += 1;
        }
        outln!("{d}")?;
    }
    for p in &phrases {
        outln!("{p}")?;
    }
    let warnings = diags.len() + phrases.len() - errors;
    let what = data.as_ref().map_or("bundled data".to_string(), |d| d.display().to_string());
    eprintln!("{what}: {errors} error(s), {warnings} warning(s)");
    Ok(if errors > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// One-entry-a-line lists read by `core` outside the phrase files (title nouns, locative words).
const LINE_LISTS: &[&str] = &["actors/titles.txt", "places/locative.txt"];

/// Files under `data/` that are documentation or licences, not data.
fn is_doc(name: &str) -> bool {
    let file = name.rsplit('/').next().unwrap_or(name);
    file == "README.md" || file.starts_with("LICENSE")
}

/// The data files the other checks (`rasid_lexicon::check`, the phrase files) do not cover, in a `data/`
/// directory: the name recogniser's lexicon and model (parsed as the tagger parses them), the line lists, and
/// every remaining file (dates, numbers, events, text tables), which must at least be readable UTF-8; the
/// extractor parses those when it is built (see [`check_other_bundled`]). Returns one message per problem.
pub fn check_other_files(dir: &Path) -> Vec<String> {
    let mut errors = Vec::new();
    let read = |name: &str, errors: &mut Vec<String>| match std::fs::read_to_string(dir.join(name)) {
        Ok(t) => Some(t),
        Err(e) => {
            errors.push(format!("{name}: cannot read: {e}"));
            None
        }
    };
    // The name recogniser's lexicon, file by file.
    let mut lex = rasid_ner::Lexicon::new();
    for (slot, file) in rasid_ner::LIST_FILES {
        let name = format!("ner/gazetteers/{file}");
        if let Some(t) = read(&name, &mut errors) {
            lex.add_list(slot, &t);
        }
    }
    if let Some(t) = read("ner/triggers.tsv", &mut errors) {
        if let Err(e) = lex.add_triggers("ner/triggers.tsv", &t) {
            errors.push(e.to_string());
        }
    }
    if let Some(t) = read("ner/clusters.tsv", &mut errors) {
        if let Err(e) = lex.add_clusters("ner/clusters.tsv", &t) {
            errors.push(e.to_string());
        }
    }
    match std::fs::read(dir.join("ner/model.bin")) {
        Ok(b) => {
            if let Err(e) = rasid_ner::NerModel::from_bytes(&b) {
                errors.push(format!("ner/model.bin: {e}"));
            }
        }
        Err(e) => errors.push(format!("ner/model.bin: cannot read: {e}")),
    }
    for name in LINE_LISTS {
        if let Some(t) = read(name, &mut errors) {
            for (n, line) in t.lines().enumerate() {
                let l = line.trim();
                if !l.is_empty() && !l.starts_with('#') && rasid_text::normalize(l).trim().is_empty() {
                    errors.push(format!("{name}:{}: entry `{l}` is empty after normalisation", n + 1));
                }
            }
        }
    }
    // Everything else must at least be readable text.
    let known: Vec<String> = rasid_lexicon::FILES
        .iter()
        .map(|f| f.to_string())
        .chain(rasid_core::datacheck::PHRASE_FILES.iter().map(|f| f.0.to_string()))
        .chain(LINE_LISTS.iter().map(|f| f.to_string()))
        .collect();
    for name in data_files(dir) {
        let covered = known.contains(&name) || name.starts_with("ner/");
        if !covered && !is_doc(&name) {
            let _ = read(&name, &mut errors);
        }
    }
    errors
}

/// The bundled copies of the files [`check_other_files`] covers, parsed by the code that uses them.
pub fn check_other_bundled() -> Vec<String> {
    let mut errors = Vec::new();
    if let Err(e) = rasid_ner::Lexicon::bundled() {
        errors.push(e.to_string());
    }
    if let Err(e) = rasid_ner::NerModel::bundled() {
        errors.push(format!("ner/model.bin: {e}"));
    }
    if let Err(e) = rasid_core::Extractor::bundled() {
        errors.push(format!("extractor data: {e}"));
    }
    errors
}

/// Every file under `dir`, as a `/`-separated path relative to it, sorted.
fn data_files(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else { continue };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if let Ok(rel) = p.strip_prefix(dir) {
                out.push(rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/"));
            }
        }
    }
    out.sort();
    out
}

fn lookup(text: &str, date: Option<&str>) -> Result<ExitCode> {
    let date = date.map(|d| d.parse::<Ymd>()).transpose()?;
    let found = ActorMatcher::bundled().lookup(text, date);
    if found.is_empty() {
        outln!("`{text}`: no dictionary entry matches")?;
        return Ok(ExitCode::from(1));
    }
    for e in found {
        outln!("{}\t{:?}\t{}\t{}\t{}\t{}\t{}", e.text, e.kind, e.id, e.name, e.code, e.source, e.why)?;
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data_dir() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data")
    }

    /// `dict check` covers every committed data file, and the committed data passes it.
    #[test]
    fn every_data_file_is_checked_and_passes() {
        let dir = data_dir();
        let errors: Vec<String> = rasid_lexicon::check(&dir)
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .map(ToString::to_string)
            .chain(rasid_core::datacheck::check_dir(&dir))
            .chain(check_other_files(&dir))
            .chain(check_other_bundled())
            .collect();
        assert!(errors.is_empty(), "{}", errors.join("\n"));
        let files = data_files(&dir);
        for f in ["ner/model.bin", "ner/triggers.tsv", "agents/modifiers.tsv", "actors/titles.txt"] {
            assert!(files.iter().any(|x| x == f), "{f} not found");
        }
        // Every data file of the lexicon list exists (a missing one is an error, not a silent skip).
        for f in rasid_lexicon::FILES {
            assert!(files.iter().any(|x| x == f), "{f} missing from data/");
        }
    }

    #[test]
    fn a_broken_ner_file_is_reported_with_its_line() {
        let tmp = std::env::temp_dir().join(format!("rasid-dict-check-{}", std::process::id()));
        for f in data_files(&data_dir()).iter().filter(|f| f.starts_with("ner/") || LINE_LISTS.contains(&f.as_str())) {
            let to = tmp.join(f);
            std::fs::create_dir_all(to.parent().unwrap()).unwrap();
            std::fs::copy(data_dir().join(f), &to).unwrap();
        }
        std::fs::write(tmp.join("ner/triggers.tsv"), "PER\tالرئيس\nXYZ\tكلمة\n").unwrap();
        std::fs::write(tmp.join("ner/model.bin"), b"not a model").unwrap();
        let errors = check_other_files(&tmp);
        let _ = std::fs::remove_dir_all(&tmp);
        assert!(errors.iter().any(|e| e.starts_with("ner/triggers.tsv:2:")), "{errors:?}");
        assert!(errors.iter().any(|e| e.starts_with("ner/model.bin:")), "{errors:?}");
    }
}
