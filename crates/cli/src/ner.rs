//! `rasid ner`: trains the statistical name recogniser and measures it (cross-validation, held-out files).

use anyhow::{Context, Result};
use clap::{Args, Subcommand};
use rasid_ner::{cross_validate, evaluate, read_conll, train, NerModel, TrainConfig};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args, Debug)]
pub struct NerArgs {
    #[command(subcommand)]
    command: NerCommand,
}

#[derive(Subcommand, Debug)]
enum NerCommand {
    /// Train on a CoNLL file (`token TAG`, BIO) and write the model (deterministic: same input, same bytes).
    Train {
        corpus: PathBuf,
        #[arg(long, default_value = "data/ner/model.bin")]
        out: PathBuf,
    },
    /// K-fold cross-validation on a CoNLL file (contiguous folds, CoNLL exact span + type).
    Cv {
        corpus: PathBuf,
        #[arg(long, default_value_t = 5)]
        folds: usize,
    },
    /// Score the bundled model on a held-out CoNLL file.
    Eval { corpus: PathBuf },
}

fn corpus(path: &PathBuf) -> Result<Vec<rasid_ner::Sentence>> {
    let text = std::fs::read_to_string(path).with_context(|| format!("{}: cannot read", path.display()))?;
    Ok(read_conll(&path.display().to_string(), &text)?)
}

pub fn run(args: NerArgs) -> Result<ExitCode> {
    let config = || -> Result<TrainConfig> { Ok(TrainConfig::new(rasid_ner::Lexicon::bundled()?)) };
    match args.command {
        NerCommand::Train { corpus: path, out } => {
            let model = train(&corpus(&path)?, &config()?);
            std::fs::write(&out, model.to_bytes()).with_context(|| format!("{}: cannot write", out.display()))?;
            eprintln!("wrote {}", out.display());
        }
        NerCommand::Cv { corpus: path, folds } => print!("{}", cross_validate(&corpus(&path)?, folds, &config()?)),
        NerCommand::Eval { corpus: path } => print!("{}", evaluate(&NerModel::bundled()?, &corpus(&path)?)),
    }
    Ok(ExitCode::SUCCESS)
}
