//! Loading and checking the dictionary files under `data/` (TSV with a header, `#` comments).
//!
//! Parsing never stops at a bad line: every problem becomes a [`Diagnostic`] (`file:line: message`) and the line is
//! skipped. [`Lexicon::load`] refuses a directory with any error; [`check`] returns all diagnostics, including the
//! cross-entry ones (duplicates, conflicts, inverted dates).

use crate::code::{Code, Country, DatedCode, Ymd};
use rasid_text::normalize;
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// Where an entry was read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub file: String,
    pub line: u32,
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

/// One country: `data/countries/countries.tsv`.
#[derive(Debug, Clone)]
pub struct CountryEntry {
    pub code: Country,
    pub iso2: String,
    pub en: Vec<String>,
    pub ar: Vec<String>,
    /// Masculine singular nationality adjectives (the matcher derives the other forms).
    pub adj: Vec<String>,
    /// Other nationality forms written out (broken plurals).
    pub adj_extra: Vec<String>,
    /// Capitals and seats of government used as metonyms for the government.
    pub capitals: Vec<String>,
    /// Whether Arabic is the country's main language.
    pub arabic: bool,
    pub src: Source,
}

/// One named actor: `data/actors/*.tsv`.
#[derive(Debug, Clone)]
pub struct ActorEntry {
    pub id: String,
    /// `PER`, `ORG` or `UNK`.
    pub kind: String,
    pub ar: Vec<String>,
    pub en: Vec<String>,
    /// Short forms (`~كيم` in the `ar` column), normalised: matched nowhere by themselves; after the actor is
    /// named in an article, a bare name of one of these forms is the same actor (`كيم` after `كيم جونغ أون`).
    pub short: Vec<String>,
    pub codes: Vec<DatedCode>,
    pub src: Source,
}

/// One agent noun group: `data/agents/*.tsv`.
#[derive(Debug, Clone)]
pub struct AgentEntry {
    pub forms: Vec<String>,
    pub code: Code,
    pub note: String,
    /// Only an actor when a nationality or country follows (`agents/with-country.tsv`: النظام الإيراني).
    pub needs_country: bool,
    pub src: Source,
}

/// One place: `data/places/places.tsv`.
#[derive(Debug, Clone)]
pub struct PlaceEntry {
    pub geonameid: u32,
    pub name: String,
    pub ar: Vec<String>,
    pub country: Country,
    pub lat: f32,
    pub lon: f32,
    pub population: u32,
    pub admin1: String,
    pub src: Source,
}

/// All dictionaries.
#[derive(Debug, Clone, Default)]
pub struct Lexicon {
    pub countries: Vec<CountryEntry>,
    pub actors: Vec<ActorEntry>,
    pub agents: Vec<AgentEntry>,
    pub places: Vec<PlaceEntry>,
    /// Normalised single words never matched as a name (`data/actors/common-words.txt`).
    pub common_words: HashSet<String>,
    /// Adjectives that may stand between a role noun and a nationality (`agents/modifiers.tsv`:
    /// `مسؤولون أمنيون عراقيون`), masculine singular; a role in the code replaces the noun's role.
    pub modifiers: Vec<AgentEntry>,
    /// Normalised agent forms that name a weapon or vehicle (`agents/instruments.txt`): not an actor after an
    /// instrumental `ب` (`بطائرة أمريكية`, "by a US aircraft").
    pub instruments: HashSet<String>,
    /// Normalised agent forms that are also adjectives (`agents/adjectival.txt`): not an actor right after a
    /// definite noun the dictionaries do not know (`الجماعات المعارضة للحرب`, "the groups opposed to the war").
    pub adjectival: HashSet<String>,
    country_index: HashMap<Country, usize>,
}

/// How serious a diagnostic is: errors fail `dict check`, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

/// One finding of the loader or of [`check`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub file: String,
    pub line: u32,
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sev = match self.severity {
            Severity::Error => "",
            Severity::Warning => "warning: ",
        };
        write!(f, "{}:{}: {}{}", self.file, self.line, sev, self.message)
    }
}

/// Why a dictionary directory could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LexiconError {
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{0}")]
    Invalid(Diagnostic),
}

/// The dictionary files, in load order (hand-written before converted: the first entry for a name wins).
pub const FILES: &[&str] = &[
    "countries/countries.tsv",
    "actors/mena.tsv",
    "actors/upar-actors.tsv",
    "actors/phoenix-en.tsv",
    "actors/common-words.txt",
    "agents/agents.tsv",
    "agents/with-country.tsv",
    "agents/upar-agents.tsv",
    "agents/modifiers.tsv",
    "agents/instruments.txt",
    "agents/adjectival.txt",
    "places/places.tsv",
];

const BUNDLED: &[(&str, &str)] = &[
    ("countries/countries.tsv", include_str!("../../../data/countries/countries.tsv")),
    ("actors/mena.tsv", include_str!("../../../data/actors/mena.tsv")),
    ("actors/upar-actors.tsv", include_str!("../../../data/actors/upar-actors.tsv")),
    ("actors/phoenix-en.tsv", include_str!("../../../data/actors/phoenix-en.tsv")),
    ("actors/common-words.txt", include_str!("../../../data/actors/common-words.txt")),
    ("agents/agents.tsv", include_str!("../../../data/agents/agents.tsv")),
    ("agents/with-country.tsv", include_str!("../../../data/agents/with-country.tsv")),
    ("agents/upar-agents.tsv", include_str!("../../../data/agents/upar-agents.tsv")),
    ("agents/modifiers.tsv", include_str!("../../../data/agents/modifiers.tsv")),
    ("agents/instruments.txt", include_str!("../../../data/agents/instruments.txt")),
    ("agents/adjectival.txt", include_str!("../../../data/agents/adjectival.txt")),
    ("places/places.tsv", include_str!("../../../data/places/places.tsv")),
];

impl Lexicon {
    /// The dictionaries compiled into the binary (no files needed at run time); parsed once.
    pub fn bundled() -> &'static Lexicon {
        static LEX: OnceLock<Lexicon> = OnceLock::new();
        LEX.get_or_init(|| parse_files(BUNDLED.iter().map(|(n, t)| (n.to_string(), *t))).0)
    }

    /// Reads the dictionaries from a `data/` directory; fails on the first error-level diagnostic.
    pub fn load(dir: &Path) -> Result<Lexicon, LexiconError> {
        let texts = read_dir_files(dir)?;
        let (lex, diags) = parse_files(texts.iter().map(|(n, t)| (n.clone(), t.as_str())));
        match diags.into_iter().find(|d| d.severity == Severity::Error) {
            Some(d) => Err(LexiconError::Invalid(d)),
            None => Ok(lex),
        }
    }

    /// The country entry for a code.
    pub fn country(&self, c: Country) -> Option<&CountryEntry> {
        self.country_index.get(&c).map(|&i| &self.countries[i])
    }

    /// Whether the code is in the countries file.
    pub fn is_country(&self, c: Country) -> bool {
        self.country_index.contains_key(&c)
    }
}

fn read_dir_files(dir: &Path) -> Result<Vec<(String, String)>, LexiconError> {
    FILES
        .iter()
        .map(|name| {
            let path = dir.join(name);
            std::fs::read_to_string(&path)
                .map(|t| (name.to_string(), t))
                .map_err(|source| LexiconError::Io { path, source })
        })
        .collect()
}

/// Checks every dictionary file in `dir`: parse errors, unknown codes, bad or inverted dates, duplicate and
/// conflicting entries. A missing file is reported as an error diagnostic.
pub fn check(dir: &Path) -> Vec<Diagnostic> {
    let mut texts = Vec::new();
    let mut diags = Vec::new();
    for name in FILES {
        match std::fs::read_to_string(dir.join(name)) {
            Ok(t) => texts.push((name.to_string(), t)),
            Err(e) => diags.push(Diagnostic {
                severity: Severity::Error,
                file: name.to_string(),
                line: 0,
                message: format!("cannot read: {e}"),
            }),
        }
    }
    let (lex, parse_diags) = parse_files(texts.iter().map(|(n, t)| (n.clone(), t.as_str())));
    diags.extend(parse_diags);
    diags.extend(cross_check(&lex));
    diags
}

/// Checks the bundled dictionaries (the same rules as [`check`]).
pub fn check_bundled() -> Vec<Diagnostic> {
    let (lex, mut diags) = parse_files(BUNDLED.iter().map(|(n, t)| (n.to_string(), *t)));
    diags.extend(cross_check(&lex));
    diags
}

struct Ctx<'a> {
    file: &'a str,
    diags: &'a mut Vec<Diagnostic>,
}

impl Ctx<'_> {
    fn err(&mut self, line: u32, message: String) {
        self.diags.push(Diagnostic { severity: Severity::Error, file: self.file.to_string(), line, message });
    }
}

/// Splits a `|` list; `-` or empty means none. Items are trimmed; empty items are errors.
fn list(field: &str, what: &str, line: u32, cx: &mut Ctx<'_>) -> Vec<String> {
    let field = field.trim();
    if field.is_empty() || field == "-" {
        return Vec::new();
    }
    let mut out = Vec::new();
    for item in field.split('|') {
        let item = item.trim();
        if item.is_empty() || normalize(item).trim().is_empty() {
            cx.err(line, format!("empty item in {what} list"));
        } else {
            out.push(item.to_string());
        }
    }
    out
}

/// Data lines of a TSV file: (line number, columns), checking the header and column count.
fn rows<'t>(text: &'t str, header: &[&str], cx: &mut Ctx<'_>) -> Vec<(u32, Vec<&'t str>)> {
    let mut out = Vec::new();
    let mut seen_header = false;
    for (i, raw) in text.lines().enumerate() {
        let line = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let l = raw.trim_end_matches('\r');
        if l.trim().is_empty() || l.starts_with('#') {
            continue;
        }
        let cols: Vec<&str> = l.split('\t').collect();
        if !seen_header {
            seen_header = true;
            if cols != header {
                cx.err(line, format!("header must be `{}`", header.join("\\t")));
            }
            continue;
        }
        if cols.len() != header.len() {
            cx.err(line, format!("expected {} tab-separated columns, found {}", header.len(), cols.len()));
            continue;
        }
        out.push((line, cols));
    }
    out
}

fn parse_files<'t>(files: impl Iterator<Item = (String, &'t str)>) -> (Lexicon, Vec<Diagnostic>) {
    let files: Vec<(String, &str)> = files.collect();
    let mut lex = Lexicon::default();
    let mut diags = Vec::new();
    // Countries first: codes elsewhere are checked against them.
    for (name, text) in files.iter().filter(|(n, _)| n.starts_with("countries/")) {
        parse_countries(&mut lex, text, &mut Ctx { file: name, diags: &mut diags });
    }
    for (name, text) in &files {
        let mut cx = Ctx { file: name, diags: &mut diags };
        if name.starts_with("countries/") {
            continue;
        } else if name.ends_with("common-words.txt") {
            lex.common_words.extend(words(text));
        } else if name.ends_with("instruments.txt") {
            lex.instruments.extend(words(text));
        } else if name.ends_with("adjectival.txt") {
            lex.adjectival.extend(words(text));
        } else if name.ends_with("modifiers.tsv") {
            parse_modifiers(&mut lex, text, &mut cx);
        } else if name.starts_with("actors/") {
            parse_actors(&mut lex, text, &mut cx);
        } else if name.starts_with("agents/") {
            parse_agents(&mut lex, text, &mut cx);
        } else if name.starts_with("places/") {
            parse_places(&mut lex, text, &mut cx);
        }
    }
    (lex, diags)
}

fn parse_countries(lex: &mut Lexicon, text: &str, cx: &mut Ctx<'_>) {
    let header = ["iso3", "iso2", "en", "ar", "adj", "adj_extra", "capital", "arabic"];
    for (line, c) in rows(text, &header, cx) {
        let Some(code) = Country::parse(c[0]) else {
            cx.err(line, format!("bad ISO-3 code `{}`", c[0]));
            continue;
        };
        if lex.country_index.contains_key(&code) {
            cx.err(line, format!("duplicate country `{code}`"));
            continue;
        }
        if c[1].len() != 2 || !c[1].bytes().all(|b| b.is_ascii_uppercase()) {
            cx.err(line, format!("bad ISO-2 code `{}`", c[1]));
        }
        let entry = CountryEntry {
            code,
            iso2: c[1].to_string(),
            en: list(c[2], "en", line, cx),
            ar: list(c[3], "ar", line, cx),
            adj: list(c[4], "adj", line, cx),
            adj_extra: list(c[5], "adj_extra", line, cx),
            capitals: list(c[6], "capital", line, cx),
            arabic: c[7] == "yes",
            src: Source { file: cx.file.to_string(), line },
        };
        if !matches!(c[7], "yes" | "no") {
            cx.err(line, format!("arabic must be `yes` or `no`, not `{}`", c[7]));
        }
        if entry.ar.is_empty() {
            cx.err(line, format!("country `{code}` has no Arabic name"));
        }
        lex.country_index.insert(code, lex.countries.len());
        lex.countries.push(entry);
    }
}

/// Parses `IRQGOV 2005-04-07..2014-07-24; IRQPTY 2014-09-09..` (dates optional, either end open).
fn parse_codes(field: &str, lex: &Lexicon, line: u32, cx: &mut Ctx<'_>) -> Vec<DatedCode> {
    let mut out = Vec::new();
    for part in field.split(';') {
        let part = part.trim();
        if part.is_empty() {
            cx.err(line, "empty code in list".to_string());
            continue;
        }
        let mut it = part.split_whitespace();
        let code_s = it.next().unwrap_or("");
        let code = match Code::parse(code_s, |c| lex.is_country(c)) {
            Ok(c) => c,
            Err(e) => {
                cx.err(line, e.to_string());
                continue;
            }
        };
        let (mut from, mut to) = (None, None);
        if let Some(range) = it.next() {
            let Some((a, b)) = range.split_once("..") else {
                cx.err(line, format!("bad date range `{range}` (expected FROM..TO)"));
                continue;
            };
            let mut bad = false;
            for (s, slot) in [(a, &mut from), (b, &mut to)] {
                if !s.is_empty() {
                    match s.parse::<Ymd>() {
                        Ok(d) => *slot = Some(d),
                        Err(e) => {
                            cx.err(line, e.to_string());
                            bad = true;
                        }
                    }
                }
            }
            if bad {
                continue;
            }
            if let (Some(f), Some(t)) = (from, to) {
                if f > t {
                    cx.err(line, format!("inverted date range `{range}`"));
                    continue;
                }
            }
        }
        if let Some(extra) = it.next() {
            cx.err(line, format!("unexpected `{extra}` after code `{code_s}`"));
            continue;
        }
        out.push(DatedCode { code, from, to });
    }
    out
}

fn parse_actors(lex: &mut Lexicon, text: &str, cx: &mut Ctx<'_>) {
    let header = ["id", "type", "ar", "en", "codes"];
    for (line, c) in rows(text, &header, cx) {
        if c[0].is_empty() || c[0].contains(char::is_whitespace) {
            cx.err(line, format!("bad actor id `{}`", c[0]));
            continue;
        }
        if !matches!(c[1], "PER" | "ORG" | "UNK") {
            cx.err(line, format!("unknown actor type `{}` (PER, ORG or UNK)", c[1]));
            continue;
        }
        let codes = parse_codes(c[4], lex, line, cx);
        if codes.is_empty() {
            cx.err(line, format!("actor `{}` has no valid code", c[0]));
            continue;
        }
        let (short, ar): (Vec<String>, Vec<String>) =
            list(c[2], "ar", line, cx).into_iter().partition(|n| n.starts_with('~'));
        let short: Vec<String> = short.iter().map(|n| normalize(n.trim_start_matches('~').trim())).collect();
        if short.iter().any(|n| n.trim().is_empty()) {
            cx.err(line, format!("actor `{}` has an empty short form (`~` alone)", c[0]));
            continue;
        }
        let en = list(c[3], "en", line, cx);
        if ar.is_empty() && en.is_empty() {
            cx.err(line, format!("actor `{}` has no name", c[0]));
            continue;
        }
        lex.actors.push(ActorEntry {
            id: c[0].to_string(),
            kind: c[1].to_string(),
            ar,
            en,
            short,
            codes,
            src: Source { file: cx.file.to_string(), line },
        });
    }
}

/// The normalised entries of a one-entry-a-line file (`#` starts a comment).
fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.lines().map(|l| l.split('#').next().unwrap_or("").trim()).filter(|w| !w.is_empty()).map(normalize)
}

fn parse_modifiers(lex: &mut Lexicon, text: &str, cx: &mut Ctx<'_>) {
    let header = ["forms", "code", "note"];
    for (line, c) in rows(text, &header, cx) {
        let code = match c[1].trim() {
            "-" => Code::default(),
            k => match Code::parse(k, |k| lex.is_country(k)) {
                Ok(code) if code.role.is_some() && code.country.is_none() => code,
                Ok(_) => {
                    cx.err(line, format!("modifier code `{k}` must be one role or `-`"));
                    continue;
                }
                Err(e) => {
                    cx.err(line, e.to_string());
                    continue;
                }
            },
        };
        let forms = list(c[0], "forms", line, cx);
        if forms.is_empty() {
            cx.err(line, "modifier has no forms".to_string());
            continue;
        }
        lex.modifiers.push(AgentEntry {
            forms,
            code,
            note: c[2].to_string(),
            needs_country: false,
            src: Source { file: cx.file.to_string(), line },
        });
    }
}

fn parse_agents(lex: &mut Lexicon, text: &str, cx: &mut Ctx<'_>) {
    let header = ["forms", "code", "note"];
    for (line, c) in rows(text, &header, cx) {
        let code = match Code::parse(c[1].trim(), |k| lex.is_country(k)) {
            Ok(code) if code.role.is_some() => code,
            Ok(_) => {
                cx.err(line, format!("agent code `{}` has no role", c[1]));
                continue;
            }
            Err(e) => {
                cx.err(line, e.to_string());
                continue;
            }
        };
        let forms = list(c[0], "forms", line, cx);
        if forms.is_empty() {
            cx.err(line, "agent has no forms".to_string());
            continue;
        }
        lex.agents.push(AgentEntry {
            forms,
            code,
            note: c[2].to_string(),
            needs_country: cx.file.ends_with("with-country.tsv"),
            src: Source { file: cx.file.to_string(), line },
        });
    }
}

fn parse_places(lex: &mut Lexicon, text: &str, cx: &mut Ctx<'_>) {
    let header = ["geonameid", "name", "ar", "country", "lat", "lon", "population", "admin1"];
    for (line, c) in rows(text, &header, cx) {
        let Some(country) = Country::parse(c[3]).filter(|k| lex.is_country(*k)) else {
            cx.err(line, format!("unknown country `{}`", c[3]));
            continue;
        };
        let (Ok(geonameid), Ok(lat), Ok(lon), Ok(population)) =
            (c[0].parse::<u32>(), c[4].parse::<f32>(), c[5].parse::<f32>(), c[6].parse::<u32>())
        else {
            cx.err(line, "bad number in geonameid, lat, lon or population".to_string());
            continue;
        };
        if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
            cx.err(line, format!("coordinates out of range: {lat}, {lon}"));
            continue;
        }
        lex.places.push(PlaceEntry {
            geonameid,
            name: c[1].to_string(),
            ar: list(c[2], "ar", line, cx),
            country,
            lat,
            lon,
            population,
            admin1: c[7].to_string(),
            src: Source { file: cx.file.to_string(), line },
        });
    }
}

/// Cross-entry checks: the same normalised name coded twice. Within one file a different code is an error
/// (the file contradicts itself) and the same code a warning; across files it is a warning (the earlier file
/// in [`FILES`] wins).
fn cross_check(lex: &Lexicon) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    let mut seen: HashMap<String, (Code, &Source)> = HashMap::new();
    let mut ids: HashMap<&str, &Source> = HashMap::new();
    for a in &lex.actors {
        if let Some(prev) = ids.insert(&a.id, &a.src) {
            diags.push(Diagnostic {
                severity: Severity::Error,
                file: a.src.file.clone(),
                line: a.src.line,
                message: format!("duplicate actor id `{}`; first at {prev}", a.id),
            });
        }
        // Actors compare by what the entry means today.
        let code = current_code(&a.codes);
        for n in a.ar.iter().chain(&a.en) {
            dup(&mut diags, &mut seen, n, code, &a.src);
        }
    }
    for ag in &lex.agents {
        for n in &ag.forms {
            dup(&mut diags, &mut seen, n, ag.code, &ag.src);
        }
    }
    diags
}

fn dup<'l>(
    diags: &mut Vec<Diagnostic>,
    seen: &mut HashMap<String, (Code, &'l Source)>,
    name: &str,
    code: Code,
    src: &'l Source,
) {
    let key = normalize(name);
    match seen.get(&key) {
        // The same name twice on one line (after normalisation) is harmless.
        Some((_, psrc)) if psrc.file == src.file && psrc.line == src.line => {}
        Some((prev, psrc)) => {
            let same_file = psrc.file == src.file;
            let severity = if same_file && *prev != code { Severity::Error } else { Severity::Warning };
            let what = if *prev == code { "duplicate" } else { "conflicting" };
            diags.push(Diagnostic {
                severity,
                file: src.file.clone(),
                line: src.line,
                message: format!("{what} entry `{name}` ({code}); first at {psrc} ({prev})"),
            });
        }
        None => {
            seen.insert(key, (code, src));
        }
    }
}

/// The code an actor entry has today: the undated one, else the one with the latest start.
pub fn current_code(codes: &[DatedCode]) -> Code {
    codes
        .iter()
        .find(|c| c.is_undated())
        .or_else(|| codes.iter().max_by_key(|c| (c.to.is_none(), c.from)))
        .map(|c| c.code)
        .unwrap_or_default()
}
