//! Shared number reading for dates and counts: a light word scanner over normalised text, clitic-aware word
//! tables loaded from `data/`, and the Arabic cardinal grammar (digits, number words, `عشرات`/`مئات`/`آلاف`).
//!
//! Everything here works on the NORMALISED text (see `rasid_text::NormalizedText`) and reports normalised byte
//! ranges. Word lists come from `data/numbers/*.tsv` (format in `data/numbers/README.md`), parsed once.

use std::ops::Range;

/// A set of words that may start an expression: a cheap first test before the full grammar runs.
#[derive(Debug, Clone, Default)]
pub struct Starters {
    words: WordMap<String, ()>,
    strip: Option<Strip>,
    /// In front of `words`: a stem whose bit is clear is no starter, with no hash computed (nearly every stem of
    /// an article).
    filter: rasid_text::hash::KeyFilter,
}

impl Starters {
    pub fn new(strip: Strip) -> Self {
        Starters { words: WordMap::default(), strip: Some(strip), filter: Default::default() }
    }

    pub fn insert(&mut self, w: &str) {
        self.filter.insert(w.as_bytes());
        self.words.insert(w.to_string(), ());
    }

    /// Whether `s` is a starter word.
    #[inline]
    fn contains(&self, s: &str) -> bool {
        self.filter.may_contain(s.as_bytes()) && self.words.contains_key(s)
    }

    /// Whether token `t` is digits, or a word one of whose stems is a starter.
    #[inline]
    pub fn may_start(&self, norm: &str, t: &Token) -> bool {
        match t.kind {
            TokKind::Digits => true,
            TokKind::Punct => false,
            TokKind::Word => {
                let Some(w) = norm.get(t.range()) else {
                    return false;
                };
                any_stem(w, self.strip.unwrap_or(Strip::Article), |p| w.get(p..).is_some_and(|s| self.contains(s)))
            }
        }
    }
}

/// A hash map keyed by short words (FNV-1a: short keys hashed many times per article, from our own data files).
pub type WordMap<K, V> = rasid_text::hash::FnvMap<K, V>;

/// What kind of token the scanner saw.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokKind {
    /// A run of Arabic or Latin letters.
    Word,
    /// A run of ASCII digits.
    Digits,
    /// One other visible character (punctuation, symbols).
    Punct,
}

/// One token of normalised text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub start: usize,
    pub end: usize,
    pub kind: TokKind,
    /// The token starts exactly where the previous one ended (no space between).
    pub glued: bool,
}

impl Token {
    #[inline]
    pub fn range(&self) -> Range<usize> {
        self.start..self.end
    }
}

/// Whether the two bytes starting a character are an Arabic letter [`is_letter`] accepts (U+0621–U+064A,
/// U+0671–U+06D3). Read as one number, those characters are exactly the byte pairs `D8 A1`–`D9 8A` and
/// `D9 B1`–`DB 93` of valid UTF-8 (a lead byte D8–DB is always followed by a continuation byte, so every
/// valid pair inside a range is a character of it): two comparisons, no decoding.
#[inline]
fn is_arabic_letter_at(lead: u8, next: u8) -> bool {
    let pair = u16::from_be_bytes([lead, next]);
    (0xD8A1..=0xD98A).contains(&pair) || (0xD9B1..=0xDB93).contains(&pair)
}

#[inline]
fn is_letter(c: char) -> bool {
    c.is_ascii_alphabetic() || ('\u{0621}'..='\u{064A}').contains(&c) || ('\u{0671}'..='\u{06D3}').contains(&c)
}

/// Splits normalised text into words, digit runs and single punctuation characters (whitespace is skipped).
pub fn tokenize(norm: &str, out: &mut Vec<Token>) {
    out.clear();
    let mut cur: Option<(usize, TokKind)> = None;
    let mut last_end = usize::MAX;
    let b = norm.as_bytes();
    let mut pos = 0;
    while pos < b.len() {
        // Inside a word, its two-byte Arabic letters change nothing: skip them without decoding.
        if matches!(cur, Some((_, TokKind::Word))) {
            while pos + 1 < b.len() && is_arabic_letter_at(b[pos], b[pos + 1]) {
                pos += 2;
            }
        }
        let i = pos;
        let Some(c) = norm.get(i..).and_then(|r| r.chars().next()) else { break };
        pos += c.len_utf8();
        let kind = if is_letter(c) {
            Some(TokKind::Word)
        } else if c.is_ascii_digit() {
            Some(TokKind::Digits)
        } else if c.is_whitespace() {
            None
        } else {
            Some(TokKind::Punct)
        };
        if let Some((s, k)) = cur {
            if kind != Some(k) || k == TokKind::Punct {
                out.push(Token { start: s, end: i, kind: k, glued: s == last_end });
                last_end = i;
                cur = None;
            }
        }
        if cur.is_none() {
            if let Some(k) = kind {
                cur = Some((i, k));
            }
        }
    }
    if let Some((s, k)) = cur {
        out.push(Token { start: s, end: norm.len(), kind: k, glued: s == last_end });
    }
}

/// How far [`stems`] may strip attached particles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strip {
    /// Conjunctions `و ف` and prepositions `ب ل ك`, keeping the article `ال` (month and weekday names).
    Clitics,
    /// Also the article `ال` (and `لل` = `ل` + `ال`): nouns whose table lists the bare form.
    Article,
}

/// The word itself and its suffixes after stripping attached particles, longest first, each with the byte length
/// of the stripped prefix. Particles are a closed grammatical class, so they live here:
/// `و`/`ف` (and), then `ب`/`ل`/`ك` (with, for, like), then `ال` (the); `لل` is `ل` + `ال`.
pub fn stems(word: &str, strip: Strip, out: &mut Vec<(usize, usize)>) {
    out.clear();
    any_stem(word, strip, |p| {
        if !out.iter().any(|&(q, _)| q == p) {
            out.push((p, word.len() - p));
        }
        false
    });
}

/// Whether `test` holds for the prefix length of one of a word's stems, tried in place as they are found, longest
/// first (no buffer: the starter test runs on every word of an article); [`stems`] lists the same ones. The word
/// itself, then after `و`/`ف`, `ب`/`ل`/`ك` and (with [`Strip::Article`]) `ال`, each leaving at least two letters.
/// A stem may be tried twice.
#[inline]
pub fn any_stem(word: &str, strip: Strip, mut test: impl FnMut(usize) -> bool) -> bool {
    if test(0) {
        return true;
    }
    let mut try_at = |p: usize| word.len() >= p + 4 && test(p);
    let conj = if word.starts_with('و') || word.starts_with('ف') { 2 } else { 0 };
    if conj == 2 && try_at(2) {
        return true;
    }
    for s in if conj == 2 { &[0usize, 2][..] } else { &[0usize][..] } {
        let rest = &word[*s..];
        if rest.starts_with('ب') || rest.starts_with('ل') || rest.starts_with('ك') {
            if try_at(s + 2) {
                return true;
            }
            if strip == Strip::Article
                && (rest.starts_with("لل") && try_at(s + 4) || rest[2..].starts_with("ال") && try_at(s + 6))
            {
                return true;
            }
        }
        if strip == Strip::Article && rest.starts_with("ال") && try_at(s + 4) {
            return true;
        }
    }
    false
}

/// Parses one embedded table: lines of tab-separated fields, `#` comments and blank lines skipped.
/// Returns `(line number, fields)` rows, or an error naming the file and line.
pub fn parse_table<'a>(name: &str, src: &'a str, min_fields: usize) -> Result<Vec<(usize, Vec<&'a str>)>, DataError> {
    let mut rows = Vec::new();
    for (i, line) in src.lines().enumerate() {
        let line = line.trim_end();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').map(str::trim).collect();
        if fields.len() < min_fields || fields[0].is_empty() {
            return Err(DataError::Fields { file: name.to_string(), line: i + 1, want: min_fields });
        }
        rows.push((i + 1, fields));
    }
    Ok(rows)
}

/// A bad line in an embedded data file.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum DataError {
    #[error("{file}:{line}: expected at least {want} tab-separated fields")]
    Fields { file: String, line: usize, want: usize },
    #[error("{file}:{line}: bad value `{value}`")]
    Value { file: String, line: usize, value: String },
}

impl DataError {
    pub fn value(file: &str, line: usize, value: &str) -> DataError {
        DataError::Value { file: file.to_string(), line, value: value.to_string() }
    }
}

/// A table of phrases (one or more normalised words) mapped to values, matched on tokens.
///
/// The first word may carry attached particles (see [`stems`]); the following words must match exactly.
/// The longest phrase wins.
#[derive(Debug, Clone)]
pub struct PhraseTable<T> {
    by_first: WordMap<String, Vec<(Vec<String>, T)>>,
    strip: Strip,
}

/// A phrase found by [`PhraseTable::match_at`].
#[derive(Debug, Clone, Copy)]
pub struct PhraseMatch<'t, T> {
    pub value: &'t T,
    /// Index of the first token after the phrase.
    pub next: usize,
    /// Normalised byte where the phrase starts (after any stripped particle).
    pub start: usize,
}

impl<T> PhraseTable<T> {
    pub fn new(strip: Strip) -> Self {
        PhraseTable { by_first: WordMap::default(), strip }
    }

    /// Adds a phrase (already normalised; words separated by single spaces).
    pub fn insert(&mut self, phrase: &str, value: T) {
        let mut words = phrase.split_whitespace().map(str::to_string);
        let Some(first) = words.next() else { return };
        let rest: Vec<String> = words.collect();
        let list = self.by_first.entry(first).or_default();
        list.push((rest, value));
        list.sort_by_key(|e| std::cmp::Reverse(e.0.len()));
    }

    /// Matches a phrase starting at token `i`.
    pub fn match_at<'t>(
        &'t self,
        norm: &str,
        toks: &[Token],
        i: usize,
        scratch: &mut Vec<(usize, usize)>,
    ) -> Option<PhraseMatch<'t, T>> {
        let t = toks.get(i)?;
        if t.kind != TokKind::Word {
            return None;
        }
        let word = norm.get(t.range())?;
        stems(word, self.strip, scratch);
        for &(p, _) in scratch.iter() {
            let Some(list) = word.get(p..).and_then(|s| self.by_first.get(s)) else {
                continue;
            };
            'cand: for (rest, value) in list {
                for (k, w) in rest.iter().enumerate() {
                    match toks.get(i + 1 + k) {
                        Some(tk) if tk.kind == TokKind::Word && norm.get(tk.range()) == Some(w.as_str()) => {}
                        _ => continue 'cand,
                    }
                }
                return Some(PhraseMatch { value, next: i + 1 + rest.len(), start: t.start + p });
            }
        }
        None
    }

    pub fn len(&self) -> usize {
        self.by_first.values().map(Vec::len).sum()
    }

    /// The first words of the phrases, with the values of their phrases.
    pub fn first_words(&self) -> impl Iterator<Item = (&str, impl Iterator<Item = &T>)> {
        self.by_first.iter().map(|(k, v)| (k.as_str(), v.iter().map(|(_, t)| t)))
    }

    pub fn is_empty(&self) -> bool {
        self.by_first.is_empty()
    }
}

/// What a number word does in the cardinal grammar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NumKind {
    /// 1–9 (`ثلاثة`, `ثلاث`).
    Unit,
    /// `أحد`/`إحدى`: one, only before `عشر`.
    TeenUnit,
    /// `عشر`/`عشرة`: ten, or the teen part after a unit.
    Ten,
    /// 20–90.
    Tens,
    /// `مئة`: a multiplier of 100.
    Hundred,
    /// A fixed number of hundreds (`مئتين`, `ثلاثمئة`).
    Hundreds,
    /// `ألف`: a multiplier of 1000.
    Thousand,
    /// `آلاف`: a plural multiplier of 1000; alone it is vague (`آلاف المحتجين`).
    ThousandPl,
    /// `ألفين`: 2000.
    Thousands,
    /// `مليون`.
    Million,
    /// `ملايين`: plural multiplier; alone it is vague.
    MillionPl,
    /// `مليونين`.
    Millions,
    /// `عشرات`, `مئات`: a vague plural, approximate.
    Approx,
}

/// One number read from text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NumberMatch {
    pub value: u64,
    /// The number is vague (`عشرات`, `آلاف` alone).
    pub approx: bool,
    /// Normalised byte range of the number (without a stripped particle).
    pub start: usize,
    pub end: usize,
    /// Index of the first token after the number.
    pub next: usize,
    /// The number was written (at least partly) in digits.
    pub digits: bool,
}

/// The cardinal and ordinal number words of `data/numbers/`.
#[derive(Debug, Clone)]
pub struct NumberWords {
    cardinals: WordMap<String, (u64, NumKind)>,
    ordinals: WordMap<String, u32>,
}

const CARDINALS: &str = include_str!("../../../data/numbers/cardinals.tsv");
const ORDINALS: &str = include_str!("../../../data/numbers/ordinals.tsv");

impl NumberWords {
    /// Loads the embedded tables.
    pub fn try_new() -> Result<Self, DataError> {
        let mut cardinals = WordMap::default();
        for (line, f) in parse_table("cardinals.tsv", CARDINALS, 3)? {
            let value: u64 = f[1].parse().map_err(|_| DataError::value("cardinals.tsv", line, f[1]))?;
            let kind = match f[2] {
                "unit" => NumKind::Unit,
                "teenunit" => NumKind::TeenUnit,
                "ten" => NumKind::Ten,
                "tens" => NumKind::Tens,
                "hundred" => NumKind::Hundred,
                "hundreds" => NumKind::Hundreds,
                "thousand" => NumKind::Thousand,
                "thousandpl" => NumKind::ThousandPl,
                "millionpl" => NumKind::MillionPl,
                "thousands" => NumKind::Thousands,
                "million" => NumKind::Million,
                "millions" => NumKind::Millions,
                "approx" => NumKind::Approx,
                other => return Err(DataError::value("cardinals.tsv", line, other)),
            };
            cardinals.insert(rasid_text::normalize(f[0]), (value, kind));
        }
        let mut ordinals = WordMap::default();
        for (line, f) in parse_table("ordinals.tsv", ORDINALS, 2)? {
            let value: u32 = f[1].parse().map_err(|_| DataError::value("ordinals.tsv", line, f[1]))?;
            ordinals.insert(rasid_text::normalize(f[0]), value);
        }
        Ok(NumberWords { cardinals, ordinals })
    }

    /// Every cardinal and ordinal word form (normalised).
    pub fn forms(&self) -> impl Iterator<Item = &str> {
        self.cardinals.keys().chain(self.ordinals.keys()).map(String::as_str)
    }

    /// Looks a word up as a cardinal, stripping particles; returns the entry and the stripped prefix length.
    fn cardinal(&self, word: &str, strip: Strip, scratch: &mut Vec<(usize, usize)>) -> Option<((u64, NumKind), usize)> {
        stems(word, strip, scratch);
        scratch.iter().find_map(|&(p, _)| word.get(p..).and_then(|s| self.cardinals.get(s)).map(|&e| (e, p)))
    }

    /// The day number of an ordinal day phrase at token `i` (`الرابع`, `الحادي عشر`, `الخامس والعشرين`,
    /// `العشرين`), with the index of the token after it and the normalised start (after particles).
    pub fn ordinal_at(
        &self,
        norm: &str,
        toks: &[Token],
        i: usize,
        scratch: &mut Vec<(usize, usize)>,
    ) -> Option<(u32, usize, usize)> {
        let t = toks.get(i).filter(|t| t.kind == TokKind::Word)?;
        let word = norm.get(t.range())?;
        stems(word, Strip::Clitics, scratch);
        let (v, p) =
            scratch.iter().find_map(|&(p, _)| word.get(p..).and_then(|s| self.ordinals.get(s)).map(|&v| (v, p)))?;
        let start = t.start + p;
        let next_word = |k: usize| toks.get(k).filter(|t| t.kind == TokKind::Word).and_then(|t| norm.get(t.range()));
        if v < 10 {
            if matches!(next_word(i + 1), Some("عشر")) {
                return Some((v + 10, i + 2, start));
            }
            if let Some(w) = next_word(i + 1).and_then(|w| w.strip_prefix('و')) {
                if let Some(&tens) = self.ordinals.get(w).filter(|&&t| t >= 20) {
                    return Some((v + tens, i + 2, start));
                }
            }
        }
        Some((v, i + 1, start))
    }

    /// Reads a cardinal number starting at token `i`: digits (`20`, `1,500`, `2.5 مليون`) or number words
    /// (`ثلاثة`, `خمسة وعشرين`, `ثلاثة آلاف`, `عشرات الآلاف`).
    pub fn number_at(
        &self,
        norm: &str,
        toks: &[Token],
        i: usize,
        scratch: &mut Vec<(usize, usize)>,
    ) -> Option<NumberMatch> {
        let t = *toks.get(i)?;
        let mut total: u64 = 0;
        let mut cur: u64 = 0;
        let mut approx = false;
        let digits = false;
        let start;
        let mut end;
        let mut j;
        let mut last: Option<NumKind>;
        match t.kind {
            TokKind::Digits => {
                let s = norm.get(t.range())?;
                if s.len() > 12 {
                    return None;
                }
                let mut v: u64 = s.parse().ok()?;
                start = t.start;
                end = t.end;
                j = i + 1;
                // Thousands separators `1,500` and decimals `2.5` (only before a multiplier word).
                let mut frac: Option<(u64, u32)> = None;
                while let (Some(p), Some(d)) = (toks.get(j), toks.get(j + 1)) {
                    let ps = norm.get(p.range()).unwrap_or("");
                    if !p.glued || !d.glued || d.kind != TokKind::Digits {
                        break;
                    }
                    let ds = norm.get(d.range()).unwrap_or("");
                    if ps == "," && ds.len() == 3 && frac.is_none() {
                        v = v.saturating_mul(1000).saturating_add(ds.parse::<u64>().unwrap_or(0));
                    } else if ps == "." && frac.is_none() && ds.len() <= 3 {
                        frac = Some((ds.parse::<u64>().unwrap_or(0), ds.len() as u32));
                    } else {
                        break;
                    }
                    end = d.end;
                    j += 2;
                }
                // A multiplier word may follow: `2.5 مليون`, `20 ألف`.
                if let Some(w) = toks.get(j).filter(|t| t.kind == TokKind::Word) {
                    if let Some(((_, k), 0)) =
                        norm.get(w.range()).and_then(|s| self.cardinal(s, Strip::Clitics, scratch))
                    {
                        let mult = match k {
                            // `55 ألفا`: after a number the dual-looking `ألفا` is the accusative of thousand.
                            NumKind::Thousand | NumKind::ThousandPl | NumKind::Thousands => Some(1000),
                            NumKind::Million | NumKind::MillionPl => Some(1_000_000),
                            _ => None,
                        };
                        if let Some(mult) = mult {
                            let (fv, fl) = frac.unwrap_or((0, 0));
                            let scaled = v.saturating_mul(mult).saturating_add(fv.saturating_mul(mult) / 10u64.pow(fl));
                            return Some(NumberMatch {
                                value: scaled,
                                approx: false,
                                start,
                                end: w.end,
                                next: j + 1,
                                digits: true,
                            });
                        }
                    }
                }
                if frac.is_some() {
                    return None;
                }
                return Some(NumberMatch { value: v, approx: false, start, end, next: j, digits: true });
            }
            TokKind::Word => {
                let w = norm.get(t.range())?;
                let ((v, k), p) = self.cardinal(w, Strip::Article, scratch)?;
                start = t.start + p;
                end = t.end;
                j = i + 1;
                match k {
                    NumKind::TeenUnit => {
                        // Only as the first part of eleven.
                        let n = toks.get(j).and_then(|n| norm.get(n.range()));
                        if !matches!(n, Some("عشر" | "عشره")) {
                            return None;
                        }
                        cur = v;
                    }
                    NumKind::Thousand | NumKind::Million => total = v,
                    NumKind::ThousandPl | NumKind::MillionPl => {
                        approx = true;
                        total = v;
                    }
                    NumKind::Thousands | NumKind::Millions | NumKind::Hundreds => total = v,
                    NumKind::Approx => {
                        approx = true;
                        cur = v;
                    }
                    _ => cur = v,
                }
                last = Some(k);
                // Continue over the following number words.
                while let Some(n) = toks.get(j).filter(|n| n.kind == TokKind::Word) {
                    let nw = norm.get(n.range()).unwrap_or("");
                    let (conj, stem) = match nw.strip_prefix('و') {
                        Some(s) if self.cardinals.contains_key(s) && !self.cardinals.contains_key(nw) => (true, s),
                        _ => (false, nw),
                    };
                    let stem_nd = stem.strip_prefix("ال").filter(|s| self.cardinals.contains_key(*s)).unwrap_or(stem);
                    let Some(&(nv, nk)) = self.cardinals.get(stem_nd) else {
                        break;
                    };
                    let ok = match (last, nk, conj) {
                        (Some(NumKind::Unit | NumKind::TeenUnit), NumKind::Ten, false) => {
                            cur += 10;
                            true
                        }
                        (Some(NumKind::Unit), NumKind::Hundred, false) => {
                            cur *= 100;
                            true
                        }
                        (_, NumKind::Unit | NumKind::Tens | NumKind::Ten | NumKind::Hundreds, true) => {
                            cur += nv;
                            true
                        }
                        (_, NumKind::Hundred, true) => {
                            cur += 100;
                            true
                        }
                        (_, NumKind::Thousand | NumKind::ThousandPl, false) if cur > 0 => {
                            total += cur * 1000;
                            cur = 0;
                            true
                        }
                        (_, NumKind::Million | NumKind::MillionPl, false) if cur > 0 || total > 0 => {
                            total = (total + cur).saturating_mul(nv);
                            cur = 0;
                            true
                        }
                        (_, NumKind::Thousands, false) if cur > 0 => {
                            total += cur * 1000;
                            cur = 0;
                            true
                        }
                        (_, NumKind::Thousands, true) => {
                            total += nv;
                            true
                        }
                        _ => false,
                    };
                    if !ok {
                        break;
                    }
                    last = Some(nk);
                    end = n.end;
                    j += 1;
                }
            }
            TokKind::Punct => return None,
        }
        let value = total + cur;
        if value == 0 {
            return None;
        }
        Some(NumberMatch { value, approx, start, end, next: j, digits })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn starters_filter_agrees_with_the_word_set() {
        let mut st = Starters::new(Strip::Article);
        let words = ["ثلاثه", "عشرات", "الف", "يناير", "في", "a", "مئات", "اثنين", "x1"];
        for w in words {
            st.insert(w);
        }
        let text = "وثلاثه والعشرات بالف فيناير في a b لمئات للاثنين اثنان الفين ثلاث عشره x1 ab وفي ف و \
                    كالثلاثه فبالعشرات ثلاثهم يناير، 12 مئاتي الالف";
        let mut toks = Vec::new();
        tokenize(text, &mut toks);
        let mut sc2 = Vec::new();
        let mut hits = 0;
        for t in &toks {
            let want = match t.kind {
                TokKind::Digits => true,
                TokKind::Punct => false,
                TokKind::Word => {
                    let w = &text[t.range()];
                    stems(w, Strip::Article, &mut sc2);
                    sc2.iter().any(|&(p, _)| st.words.contains_key(&w[p..]))
                }
            };
            hits += usize::from(want);
            assert_eq!(st.may_start(text, t), want, "{:?}", &text[t.range()]);
        }
        assert!(hits > 10, "{hits}");
        // Without a word inserted nothing but digits starts.
        let empty = Starters::default();
        assert!(toks.iter().all(|t| empty.may_start(text, t) == (t.kind == TokKind::Digits)));
    }

    #[test]
    fn stems_strip_the_particles_longest_first() {
        for (word, strip, want) in [
            ("وبالمتظاهرين", Strip::Article, &["وبالمتظاهرين", "بالمتظاهرين", "المتظاهرين", "متظاهرين"][..]),
            ("وبالمتظاهرين", Strip::Clitics, &["وبالمتظاهرين", "بالمتظاهرين", "المتظاهرين"][..]),
            ("للشرطه", Strip::Article, &["للشرطه", "لشرطه", "شرطه"][..]),
            ("للشرطه", Strip::Clitics, &["للشرطه", "لشرطه"][..]),
            ("فالقوات", Strip::Article, &["فالقوات", "القوات", "قوات"][..]),
            ("كالثلاثه", Strip::Article, &["كالثلاثه", "الثلاثه", "ثلاثه"][..]),
            ("الجيش", Strip::Clitics, &["الجيش"][..]),
            // Stems keep two letters at least.
            ("وبه", Strip::Article, &["وبه", "به"][..]),
            ("وب", Strip::Article, &["وب"][..]),
        ] {
            let mut s = Vec::new();
            stems(word, strip, &mut s);
            let got: Vec<&str> = s.iter().map(|&(p, n)| &word[p..p + n]).collect();
            assert_eq!(got, want, "{word} {strip:?}");
            // `any_stem` finds each of them and nothing else.
            for w in want {
                assert!(any_stem(word, strip, |p| &word[p..] == *w), "{word} {w}");
            }
            assert!(!any_stem(word, strip, |p| !want.contains(&&word[p..])));
        }
    }

    #[test]
    fn letter_pairs_are_the_letters_of_is_letter() {
        for c in ('\u{0080}'..='\u{07FF}').chain(['a', '0', ' ']) {
            let mut buf = [0u8; 4];
            let b = c.encode_utf8(&mut buf).as_bytes();
            let pair = b.len() == 2 && is_arabic_letter_at(b[0], b[1]);
            assert_eq!(pair, is_letter(c) && !c.is_ascii(), "{c:?}");
        }
    }

    #[test]
    fn tokenize_matches_a_char_by_char_reading() {
        // The reference: classify every character, merge runs of one kind (punctuation never merges).
        fn reference(norm: &str) -> Vec<(usize, usize, TokKind, bool)> {
            let mut out: Vec<(usize, usize, TokKind, bool)> = Vec::new();
            let mut last_end = usize::MAX;
            let mut cur: Option<(usize, TokKind)> = None;
            for (i, c) in norm.char_indices().chain(std::iter::once((norm.len(), ' '))) {
                let kind = match c {
                    _ if i == norm.len() => None,
                    c if is_letter(c) => Some(TokKind::Word),
                    c if c.is_ascii_digit() => Some(TokKind::Digits),
                    c if c.is_whitespace() => None,
                    _ => Some(TokKind::Punct),
                };
                if let Some((s, k)) = cur {
                    if kind != Some(k) || k == TokKind::Punct {
                        out.push((s, i, k, s == last_end));
                        last_end = i;
                        cur = None;
                    }
                }
                if cur.is_none() {
                    cur = kind.map(|k| (i, k));
                }
            }
            out
        }
        for s in [
            "قتل 25 شخصا، وأصيب 3.5 آخرون.. في بغداد(العراق)",
            "ءابتثجحخدذرزسشصضطظعغفقكلمنهوي ٱپچژکگیۀۓ ً ٰ ـ x1y",
            "abc١٢ def—ghi «kl» ۔ ",
            "",
        ] {
            let mut out = Vec::new();
            tokenize(s, &mut out);
            let got: Vec<_> = out.iter().map(|t| (t.start, t.end, t.kind, t.glued)).collect();
            assert_eq!(got, reference(s), "{s}");
        }
    }

    fn num(s: &str) -> Option<(u64, bool)> {
        let w = NumberWords::try_new().expect("tables");
        let n = rasid_text::normalize(s);
        let mut toks = Vec::new();
        tokenize(&n, &mut toks);
        let mut sc = Vec::new();
        w.number_at(&n, &toks, 0, &mut sc).map(|m| (m.value, m.approx))
    }

    #[test]
    fn cardinals() {
        assert_eq!(num("ثلاثة جنود"), Some((3, false)));
        assert_eq!(num("ثلاثة عشر"), Some((13, false)));
        assert_eq!(num("خمسة وعشرين"), Some((25, false)));
        assert_eq!(num("ثلاثة آلاف"), Some((3000, false)));
        assert_eq!(num("آلاف المحتجين"), Some((1000, true)));
        assert_eq!(num("عشرات الآلاف"), Some((10000, true)));
        assert_eq!(num("مئات"), Some((100, true)));
        assert_eq!(num("1,500"), Some((1500, false)));
        assert_eq!(num("2.5 مليون"), Some((2_500_000, false)));
        assert_eq!(num("مئة وخمسين"), Some((150, false)));
        assert_eq!(num("ألفين"), Some((2000, false)));
        assert_eq!(num("55 ألفا"), Some((55_000, false)));
        assert_eq!(num("خمسين ألفا"), Some((50_000, false)));
        assert_eq!(num("أحد الجنود"), None);
        assert_eq!(num("عام"), None);
    }

    #[test]
    fn tokens_and_stems() {
        let mut t = Vec::new();
        tokenize("في 2024/1/29، ال48", &mut t);
        let kinds: Vec<TokKind> = t.iter().map(|t| t.kind).collect();
        assert_eq!(kinds.len(), 9);
        assert!(t[2].glued && !t[1].glued);
        let mut s = Vec::new();
        stems("وبالمتظاهرين", Strip::Article, &mut s);
        assert!(s.iter().any(|&(p, _)| &"وبالمتظاهرين"[p..] == "متظاهرين"));
        tokenize("", &mut t);
        assert!(t.is_empty());
    }
}
