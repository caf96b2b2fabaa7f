//! Validation of the pipeline's own phrase files (structure, attribution, framing cues) for `rasid dict check`.
//!
//! The actor, country, agent and place dictionaries are checked by `rasid_lexicon::check`; this covers the
//! phrase lists that `core` bundles, with the same `file:line: message` errors.

use crate::phrases::{Clitics, PhraseSet};
use std::path::Path;

/// Every phrase file `core` reads: path under `data/`, the bundled text, and its minimum column count.
pub const PHRASE_FILES: &[(&str, &str, usize)] = &[
    ("structure/agencies.tsv", include_str!("../../../data/structure/agencies.tsv"), 2),
    ("structure/headline_cues.tsv", include_str!("../../../data/structure/headline_cues.tsv"), 2),
    ("structure/caption_cues.tsv", include_str!("../../../data/structure/caption_cues.tsv"), 2),
    ("attribution/reporting.tsv", include_str!("../../../data/attribution/reporting.tsv"), 2),
    ("framing/loaded.tsv", include_str!("../../../data/framing/loaded.tsv"), 2),
    ("framing/opinion_cues.tsv", include_str!("../../../data/framing/opinion_cues.tsv"), 2),
];

/// Checks the phrase files under `dir` (a `data/` directory); returns one message per problem.
pub fn check_dir(dir: &Path) -> Vec<String> {
    let mut errors = Vec::new();
    for (name, _, columns) in PHRASE_FILES {
        match std::fs::read_to_string(dir.join(name)) {
            Ok(text) => errors.extend(check_text(name, &text, *columns)),
            Err(e) => errors.push(format!("{name}: cannot read: {e}")),
        }
    }
    errors
}

/// Checks the phrase files bundled into this build.
pub fn check_bundled() -> Vec<String> {
    PHRASE_FILES.iter().flat_map(|(name, text, columns)| check_text(name, text, *columns)).collect()
}

fn check_text(name: &str, text: &str, columns: usize) -> Vec<String> {
    let mut errors = Vec::new();
    if let Err(e) = PhraseSet::parse(name, text, columns, Clitics::Prefixes) {
        errors.push(e.to_string());
    }
    // The same phrase twice with different attributes is a conflict.
    let mut seen: std::collections::HashMap<String, (usize, String)> = std::collections::HashMap::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        let mut cols = line.split('\t');
        let key = rasid_text::normalize(cols.next().unwrap_or("").trim());
        let attrs = cols.map(str::trim).collect::<Vec<_>>().join("\t");
        if let Some((first, other)) = seen.get(&key) {
            if *other != attrs {
                errors.push(format!("{name}:{}: `{key}` conflicts with line {first}", n + 1));
            }
        } else {
            seen.insert(key, (n + 1, attrs));
        }
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_files_are_clean() {
        assert_eq!(check_bundled(), Vec::<String>::new());
    }

    #[test]
    fn repository_files_are_clean() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data");
        assert_eq!(check_dir(&dir), Vec::<String>::new());
    }

    #[test]
    fn reports_file_and_line() {
        assert_eq!(check_text("x.tsv", "# c\nقال\tsay\nقال\trelay\n", 2), vec!["x.tsv:3: `قال` conflicts with line 2"]);
        assert_eq!(check_text("x.tsv", "قال\n", 2), vec!["x.tsv:1: expected 2 tab-separated columns, found 1"]);
    }
}
