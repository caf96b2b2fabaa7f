//! `check` on the committed data (no errors) and on bad fixtures (errors with file:line).

use rasid_lexicon::{check, check_bundled, Lexicon, Severity};
use std::path::{Path, PathBuf};

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data")
}

#[test]
fn committed_data_has_no_errors() {
    let diags = check(&data_dir());
    let errors: Vec<String> = diags.iter().filter(|d| d.severity == Severity::Error).map(ToString::to_string).collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    assert!(check_bundled().iter().all(|d| d.severity != Severity::Error));
    let lex = Lexicon::load(&data_dir()).expect("data loads");
    assert!(lex.countries.len() > 150 && lex.actors.len() > 150 && lex.agents.len() > 50 && lex.places.len() > 1000);
}

#[test]
fn bundled_equals_directory() {
    let a = Lexicon::bundled();
    let b = Lexicon::load(&data_dir()).expect("data loads");
    assert_eq!(a.countries.len(), b.countries.len());
    assert_eq!(a.actors.len(), b.actors.len());
    assert_eq!(a.agents.len(), b.agents.len());
    assert_eq!(a.places.len(), b.places.len());
    assert_eq!(a.common_words, b.common_words);
}

/// Copies the committed data to a temporary directory and replaces one file with `bad`.
fn with_bad_file(name: &str, bad: &str) -> Vec<String> {
    let dir =
        std::env::temp_dir().join(format!("rasid-lexicon-check-{}-{}", std::process::id(), name.replace('/', "-")));
    for f in rasid_lexicon::FILES {
        let to = dir.join(f);
        std::fs::create_dir_all(to.parent().expect("has parent")).expect("mkdir");
        std::fs::copy(data_dir().join(f), &to).expect("copy");
    }
    std::fs::write(dir.join(name), bad).expect("write fixture");
    let out = check(&dir).iter().filter(|d| d.severity == Severity::Error).map(ToString::to_string).collect();
    let _ = std::fs::remove_dir_all(&dir);
    out
}

#[test]
fn bad_actor_fixture_reports_file_and_line() {
    let bad = include_str!("../../testdata/bad/actors.tsv");
    let errs = with_bad_file("actors/mena.tsv", bad);
    let want = [
        "actors/mena.tsv:3: unknown role `XYZ`",
        "actors/mena.tsv:4: unknown country `QQQ`",
        "actors/mena.tsv:5: inverted date range `2014-07-24..2005-04-07`",
        "actors/mena.tsv:6: bad date `2005-13-40` (expected YYYY-MM-DD)",
        "actors/mena.tsv:7: expected 5 tab-separated columns, found 3",
        "actors/mena.tsv:9: duplicate actor id `dup`; first at actors/mena.tsv:8",
        "actors/mena.tsv:9: conflicting entry `اسم مكرر` (IRN MIL)",
        "actors/mena.tsv:10: actor `x6` has an empty short form (`~` alone)",
    ];
    for w in want {
        assert!(errs.iter().any(|e| e.starts_with(w)), "missing `{w}` in:\n{}", errs.join("\n"));
    }
    assert!(Lexicon::load(&data_dir()).is_ok());
}

#[test]
fn bad_agent_and_place_fixtures() {
    let errs = with_bad_file("agents/agents.tsv", include_str!("../../testdata/bad/agents.tsv"));
    assert!(errs.iter().any(|e| e.starts_with("agents/agents.tsv:3: unknown country `FOO`")), "{errs:?}");
    assert!(errs.iter().any(|e| e.starts_with("agents/agents.tsv:4: agent code `IRQ` has no role")), "{errs:?}");
    let errs = with_bad_file("places/places.tsv", include_str!("../../testdata/bad/places.tsv"));
    assert!(errs.iter().any(|e| e.starts_with("places/places.tsv:3: unknown country `XXX`")), "{errs:?}");
    assert!(errs.iter().any(|e| e.starts_with("places/places.tsv:4: bad number")), "{errs:?}");
    assert!(errs.iter().any(|e| e.starts_with("places/places.tsv:5: coordinates out of range")), "{errs:?}");
}
