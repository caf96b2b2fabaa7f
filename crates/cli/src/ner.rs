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
    /// Measure, on one thread, the tagger's speed and the share of recognition (dictionary matching, name
    /// tagging, linking) in the whole extraction, over the first `--mb` megabytes of article text of CORPUS
    /// (any input `rasid extract` reads, e.g. the ANT corpus `.jsonl.gz`). Times are this thread's CPU time.
    Bench {
        corpus: PathBuf,
        #[arg(long, default_value_t = 10)]
        mb: usize,
        /// Alternating rounds of whole extraction and recognition; the medians are reported.
        #[arg(long, default_value_t = 5)]
        rounds: usize,
    },
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
        NerCommand::Cv { corpus: path, folds } => out!("{}", cross_validate(&corpus(&path)?, folds, &config()?))?,
        NerCommand::Eval { corpus: path } => out!("{}", evaluate(&NerModel::bundled()?, &corpus(&path)?))?,
        NerCommand::Bench { corpus: path, mb, rounds } => bench(&path, mb, rounds)?,
    }
    Ok(ExitCode::SUCCESS)
}

/// CPU time of the calling thread (`/proc/thread-self/schedstat`), falling back to wall time elsewhere.
fn cpu_now() -> std::time::Duration {
    static START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse::<u64>().ok())
        .map(std::time::Duration::from_nanos)
        .unwrap_or_else(|| START.get_or_init(std::time::Instant::now).elapsed())
}

fn bench(path: &std::path::Path, mb: usize, rounds: usize) -> Result<()> {
    use rasid_core::actors::ActorStage;
    use rasid_core::names::{code_and_link, NameScratch, NameStage};
    use rasid_core::structure::{Structure, StructureRules};
    use rasid_text::{NormalizedText, Segmenter, Tokenizer};
    use std::time::Duration;

    let limit = mb << 20;
    let mut articles = Vec::new();
    let mut bytes = 0usize;
    for item in rasid_input::read_paths(&[path.to_path_buf()], &rasid_input::ReadOptions::default()) {
        let a = item?;
        bytes += a.text.len();
        articles.push(a);
        if bytes >= limit {
            break;
        }
    }
    let extractor = rasid_core::Extractor::shared().map_err(|e| anyhow::anyhow!("{e}"))?;
    let (actors, names) = (ActorStage::bundled(), NameStage::bundled()?);
    let (rules, seg) = (StructureRules::bundled()?, Segmenter::new());
    // Warm-up: one pass over the first articles (builds automata, fills the tagger's word cache as a long run would).
    let mut scratch = rasid_core::Scratch::default();
    for a in articles.iter().take(200) {
        extractor.extract_with(&mut scratch, &rasid_store::article_input(a));
    }
    // Recognition alone, as the pipeline runs it: dictionary matching, tokens, the tagger over the body
    // sentences, coding and linking. Normalisation and structure are computed first for every article, outside
    // the timings, so the clock is read twice per loop (not per article: a read costs microseconds). The
    // tagger's word cache starts as the extractor's did: warmed on the same first articles.
    let mut prepared = Vec::with_capacity(articles.len());
    let mut st = Structure::default();
    let mut ner_bytes = 0usize;
    for a in &articles {
        let norm = NormalizedText::new(&a.text);
        rules.analyse(&a.text, &norm, &seg, a.source.as_deref(), &mut st);
        let ranges: Vec<_> = st.sentences.iter().filter(|s| s.body).map(|s| norm.to_norm(s.span)).collect();
        ner_bytes += ranges.iter().map(|r| r.len()).sum::<usize>();
        let published = a.published.as_deref().and_then(|p| p.parse::<rasid_lexicon::Ymd>().ok());
        prepared.push((norm, ranges, published));
    }
    let (mut matches, mut mentions, mut found, mut tokens) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut ns = NameScratch::default();
    type Prepared = (NormalizedText, Vec<std::ops::Range<usize>>, Option<rasid_lexicon::Ymd>);
    let mut recognise = |(norm, ranges, published): &Prepared, a: &rasid_input::Article, ns: &mut NameScratch| {
        let n = norm.as_str();
        actors.find(n, *published, &mut matches, &mut mentions);
        Tokenizer::shared().tokenize_original(&a.text, norm, &mut tokens);
        found.clear();
        names.find_article(n, ranges, &tokens, &mentions, ns, &mut found);
        code_and_link(n, &mentions, actors.matcher(), &mut found);
        found.len()
    };
    for (p, a) in prepared.iter().zip(&articles).take(200) {
        recognise(p, a, &mut ns);
    }
    // The whole extraction and recognition alone, timed in alternating rounds (a shared machine's speed drifts by
    // a quarter within a minute): the medians of the rounds, and the share per round.
    let (mut wholes, mut recogs) = (Vec::new(), Vec::new());
    let (mut entities, mut names_found) = (0usize, 0usize);
    for _ in 0..rounds.max(1) {
        let t = cpu_now();
        entities = 0;
        for a in &articles {
            entities += extractor.extract_with(&mut scratch, &rasid_store::article_input(a)).entities.len();
        }
        wholes.push(cpu_now() - t);
        let t = cpu_now();
        names_found = 0;
        for (p, a) in prepared.iter().zip(&articles) {
            names_found += recognise(p, a, &mut ns);
        }
        recogs.push(cpu_now() - t);
    }
    let shares: Vec<f64> =
        wholes.iter().zip(&recogs).map(|(w, r)| 100.0 * r.as_secs_f64() / w.as_secs_f64().max(1e-9)).collect();
    let median = |v: &mut Vec<Duration>| {
        v.sort();
        v[v.len() / 2]
    };
    let (whole, recog) = (median(&mut wholes), median(&mut recogs));
    // The tagger alone, on the same words (dictionary mentions and tokens computed first, outside the timing).
    let mut inputs = Vec::with_capacity(articles.len());
    for ((norm, _, published), a) in prepared.iter().zip(&articles) {
        actors.find(norm.as_str(), *published, &mut matches, &mut mentions);
        Tokenizer::shared().tokenize_original(&a.text, norm, &mut tokens);
        inputs.push((tokens.clone(), mentions.clone()));
    }
    let mut ns = NameScratch::default();
    let tag_all = |ns: &mut NameScratch, found: &mut Vec<_>, take: usize| {
        for ((norm, ranges, _), (tokens, mentions)) in prepared.iter().zip(&inputs).take(take) {
            found.clear();
            names.find_article(norm.as_str(), ranges, tokens, mentions, ns, found);
        }
    };
    tag_all(&mut ns, &mut found, 200);
    let t = cpu_now();
    tag_all(&mut ns, &mut found, usize::MAX);
    let ner: Duration = cpu_now() - t;
    outln!("{names_found} statistical names")?;
    let mbs = |b: usize, d: Duration| b as f64 / 1e6 / d.as_secs_f64().max(1e-9);
    outln!("{} articles, {:.1} MB of text, {entities} entities", articles.len(), bytes as f64 / 1e6)?;
    outln!("whole extraction: {:.2} s CPU, {:.2} MB/s", whole.as_secs_f64(), mbs(bytes, whole))?;
    outln!(
        "recognition (dictionaries + tokens + tagger + linking): {:.2} s CPU, {:.2} MB/s, {:.0} % of the whole",
        recog.as_secs_f64(),
        mbs(bytes, recog),
        100.0 * recog.as_secs_f64() / whole.as_secs_f64().max(1e-9)
    )?;
    let (lo, hi) = shares.iter().fold((f64::MAX, 0f64), |(lo, hi), &x| (lo.min(x), hi.max(x)));
    outln!("  ({} rounds, medians; recognition's share per round {lo:.0}–{hi:.0} %)", shares.len())?;
    outln!(
        "tagger alone: {:.2} s CPU, {:.2} MB/s of body text ({:.1} MB)",
        ner.as_secs_f64(),
        mbs(ner_bytes, ner),
        ner_bytes as f64 / 1e6
    )?;
    Ok(())
}
