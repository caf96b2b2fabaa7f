//! Fuzz target: the dictionary loaders on arbitrary text never panic. The first byte picks which dictionary
//! file the rest of the input becomes; the other files are empty. Run: `cargo fuzz run -s none dict_load`.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use rasid_lexicon::{check, Lexicon, FILES};

/// One scratch `data/` folder per fuzzing process, with every dictionary file present.
fn scratch_dir() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("rasid-fuzz-dict-{}", std::process::id()));
        for name in FILES {
            let path = dir.join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, "").unwrap();
        }
        dir
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else { return };
    let dir = scratch_dir();
    let name = FILES[pick as usize % FILES.len()];
    std::fs::write(dir.join(name), rest).unwrap();
    // Diagnostics name a file and a line inside the input.
    for d in check(dir) {
        assert!(FILES.contains(&d.file.as_str()), "{d:?}");
        assert!(d.line as usize <= rest.iter().filter(|&&b| b == b'\n').count() + 1, "{d:?}");
    }
    let _ = Lexicon::load(dir);
    std::fs::write(dir.join(name), "").unwrap();
});
