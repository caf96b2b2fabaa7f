//! Command-line driver for the NER crate: train a model, cross-validate, convert gazetteers, measure speed.
//!
//! ```text
//! cargo run --release -p rasid-ner --example ner -- train IN OUT [--iterations N] [--lexicon DIR]
//! cargo run --release -p rasid-ner --example ner -- cv IN [--folds 5] [--iterations N] [--threads T] [--lexicon DIR]
//! cargo run --release -p rasid-ner --example ner -- gazetteers ANERGAZET_DIR OUT_DIR
//! cargo run --release -p rasid-ner --example ner -- speed IN [--model FILE] [--repeat N]
//! ```
//!
//! `--lexicon DIR` reads `gazetteers/{per,loc,org}.txt` and `triggers.tsv` from DIR (default: the lexicon
//! compiled into the crate from `data/ner/`).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{bail, Context, Result};
use rasid_ner::{
    cross_validate, read_conll, train, EntityType, Lexicon, NerModel, Scratch, TrainConfig,
};

struct Args {
    positional: Vec<String>,
    options: Vec<(String, String)>,
}

impl Args {
    fn parse() -> Result<Args> {
        let mut positional = Vec::new();
        let mut options = Vec::new();
        let mut it = std::env::args().skip(1);
        while let Some(a) = it.next() {
            if let Some(name) = a.strip_prefix("--") {
                let v = it
                    .next()
                    .with_context(|| format!("option `--{name}` needs a value"))?;
                options.push((name.to_string(), v));
            } else {
                positional.push(a);
            }
        }
        Ok(Args {
            positional,
            options,
        })
    }

    fn opt(&self, name: &str) -> Option<&str> {
        self.options
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    fn num(&self, name: &str, default: usize) -> Result<usize> {
        match self.opt(name) {
            None => Ok(default),
            Some(v) => v
                .parse()
                .with_context(|| format!("`--{name} {v}`: not a number")),
        }
    }

    fn pos(&self, i: usize, what: &str) -> Result<&str> {
        self.positional
            .get(i)
            .map(String::as_str)
            .with_context(|| format!("missing argument: {what}"))
    }
}

fn read(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("{}: cannot read", path.display()))
}

fn lexicon(args: &Args) -> Result<Lexicon> {
    let Some(dir) = args.opt("lexicon") else {
        return Ok(Lexicon::bundled()?);
    };
    let dir = PathBuf::from(dir);
    let mut lex = Lexicon::new();
    for (ty, file) in [
        (EntityType::Per, "per.txt"),
        (EntityType::Loc, "loc.txt"),
        (EntityType::Org, "org.txt"),
    ] {
        lex.add_gazetteer(ty, &read(&dir.join("gazetteers").join(file))?);
    }
    let trig = dir.join("triggers.tsv");
    lex.add_triggers(&trig.display().to_string(), &read(&trig)?)?;
    Ok(lex)
}

fn config(args: &Args) -> Result<TrainConfig> {
    let mut cfg = TrainConfig::new(lexicon(args)?);
    cfg.iterations = args.num("iterations", cfg.iterations)?;
    cfg.min_count = args.num("min-count", cfg.min_count as usize)? as u32;
    cfg.prune_below = args
        .num("prune-below", cfg.prune_below as usize)?
        .min(i16::MAX as usize) as i16;
    cfg.threads = args.num(
        "threads",
        std::thread::available_parallelism().map_or(1, |n| n.get()),
    )?;
    Ok(cfg)
}

fn corpus(path: &str) -> Result<Vec<rasid_ner::Sentence>> {
    Ok(read_conll(path, &read(Path::new(path))?)?)
}

fn main() -> Result<()> {
    let args = Args::parse()?;
    match args.pos(0, "command (train, cv, gazetteers, speed)")? {
        "train" => {
            let (input, output) = (args.pos(1, "IN")?, args.pos(2, "OUT")?);
            let cfg = config(&args)?;
            let data = corpus(input)?;
            let t = Instant::now();
            let model = train(&data, &cfg);
            let bytes = model.to_bytes();
            std::fs::write(output, &bytes).with_context(|| format!("{output}: cannot write"))?;
            let (g, tr) = cfg.lexicon.len();
            println!(
                "trained on {} sentences in {:.1} s: {} features, {} gazetteer entries, {} triggers, {} iterations",
                data.len(),
                t.elapsed().as_secs_f64(),
                model.feature_count(),
                g,
                tr,
                cfg.iterations
            );
            println!("wrote {output}: {} bytes", bytes.len());
        }
        "cv" => {
            let input = args.pos(1, "IN")?;
            let cfg = config(&args)?;
            let folds = args.num("folds", 5)?;
            let data = corpus(input)?;
            let t = Instant::now();
            let report = cross_validate(&data, folds, &cfg);
            println!(
                "{folds}-fold cross-validation of {input} ({} iterations, contiguous folds)",
                cfg.iterations
            );
            println!("{report}");
            println!("took {:.1} s", t.elapsed().as_secs_f64());
        }
        "gazetteers" => {
            let (input, output) = (
                PathBuf::from(args.pos(1, "ANERGAZET_DIR")?),
                PathBuf::from(args.pos(2, "OUT_DIR")?),
            );
            std::fs::create_dir_all(&output)
                .with_context(|| format!("{}: cannot create", output.display()))?;
            for (src, dst) in [
                ("AlignedPersGazetteer.txt", "per.txt"),
                ("AlignedLocGazetteer.txt", "loc.txt"),
                ("AlignedOrgGazetteer.txt", "org.txt"),
            ] {
                let text = read(&input.join(src))?;
                let entries: BTreeSet<String> = text
                    .lines()
                    .filter(|l| l.chars().any(char::is_alphabetic))
                    .map(|l| {
                        rasid_text::normalize(l)
                            .split_whitespace()
                            .collect::<Vec<_>>()
                            .join(" ")
                    })
                    .filter(|l| !l.is_empty())
                    .collect();
                let mut out = format!(
                    "# Converted from ANERgazet {src} (Benajiba & Rosso 2008), CC BY-SA 4.0: see ../README.md.\n\
                     # Normalised with rasid_text::normalize, one entry a line, sorted, duplicates removed.\n"
                );
                for e in &entries {
                    out.push_str(e);
                    out.push('\n');
                }
                let path = output.join(dst);
                std::fs::write(&path, out)
                    .with_context(|| format!("{}: cannot write", path.display()))?;
                println!("{}: {} entries", path.display(), entries.len());
            }
        }
        "speed" => {
            let data = corpus(args.pos(1, "IN")?)?;
            let model = match args.opt("model") {
                Some(path) => NerModel::from_bytes(
                    &std::fs::read(path).with_context(|| format!("{path}: cannot read"))?,
                )?,
                None => NerModel::bundled()?,
            };
            let repeat = args.num("repeat", 3)?;
            let mut scratch = Scratch::default();
            let mut out = Vec::new();
            let (mut words, mut bytes, mut entities) = (0usize, 0usize, 0usize);
            let t = Instant::now();
            for _ in 0..repeat {
                for s in &data {
                    model.tag_with(&s.words, &mut scratch, &mut out);
                    words += s.words.len();
                    bytes += s.words.iter().map(|w| w.len() + 1).sum::<usize>();
                    entities += out
                        .iter()
                        .filter(|t| matches!(t, rasid_ner::NerTag::B(_)))
                        .count();
                }
            }
            let secs = t.elapsed().as_secs_f64();
            if entities == 0 {
                bail!("no entity tagged: the measurement would be meaningless");
            }
            println!(
                "tagged {words} words ({} entities) in {secs:.2} s: {:.0} words/s, {:.1} MB/s",
                entities,
                words as f64 / secs,
                bytes as f64 / secs / 1e6
            );
        }
        other => bail!("unknown command `{other}` (train, cv, gazetteers, speed)"),
    }
    Ok(())
}
