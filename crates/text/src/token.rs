//! Tokens of normalised text: words, numbers and punctuation, with Arabic clitics split off inside each word.
//!
//! A token is a whitespace/punctuation-delimited unit of the normalised text (`وبالجيش` is one token); its
//! clitic segments (`و` `ب` `ال` `جيش`) are ranges inside it, never separate tokens, so a matcher can use the
//! whole word or its stem and every position still maps back to the original through
//! [`NormalizedText::to_original`].
//!
//! Token classes (on the normalised text, where Arabic-Indic digits are already ASCII):
//! - `Arabic`: a maximal run of Arabic letters (diacritics and tatweel were dropped by normalisation; any left,
//!   as in text that was not normalised, stay inside the word);
//! - `Latin`: a maximal run of other letters, with ASCII digits and combining marks inside (`covid19`);
//! - `Number`: digits, with `.` `,` `٫` `٬` between two digits kept inside (`3.5`, `1,000`);
//! - `Punct`: one punctuation character (`، ؛ ؟ . : « » “ ” " ( ) – - /` …), except that a run of two or more
//!   `.` is one token (an ellipsis);
//! - `Symbol`: any other visible character (`% $ + = @`, emoji, …), one per token.

use crate::clitic::{Analysis, CliticModel, DataError, Prefixes};
use crate::normalize::NormalizedText;
use crate::span::Span;
use std::ops::Range;
use std::sync::OnceLock;

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenKind {
    Arabic,
    Latin,
    Number,
    Punct,
    Symbol,
}

/// One token: byte offsets into the NORMALISED text, stored as `u32` so the token stays small and `Copy`.
///
/// Layout of an Arabic token: `start..stem_start` are the proclitics (as flagged in `prefixes`),
/// `stem_start..stem_end` the stem, `stem_end..end` the pronoun suffix (possibly empty). Other tokens are their
/// own stem. Use the accessors, which return `Range<usize>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Token {
    start: u32,
    end: u32,
    stem_start: u32,
    stem_end: u32,
    pub kind: TokenKind,
    pub prefixes: Prefixes,
}

impl Token {
    fn plain(kind: TokenKind, range: Range<usize>) -> Token {
        let (s, e) = (range.start as u32, range.end as u32);
        Token { start: s, end: e, stem_start: s, stem_end: e, kind, prefixes: Prefixes::NONE }
    }

    /// The whole token in the normalised text.
    #[inline]
    pub fn norm(&self) -> Range<usize> {
        self.start as usize..self.end as usize
    }

    /// The stem (clitics removed); empty for a preposition with a bare pronoun (`له`).
    #[inline]
    pub fn stem(&self) -> Range<usize> {
        self.stem_start as usize..self.stem_end as usize
    }

    /// The proclitics, article included (empty when there are none).
    #[inline]
    pub fn prefix(&self) -> Range<usize> {
        self.start as usize..self.stem_start as usize
    }

    /// The pronoun suffix (empty when there is none).
    #[inline]
    pub fn suffix(&self) -> Range<usize> {
        self.stem_end as usize..self.end as usize
    }

    /// The token's text in the normalised text it came from.
    #[inline]
    pub fn text<'a>(&self, norm: &'a str) -> &'a str {
        norm.get(self.norm()).unwrap_or("")
    }

    /// The stem's text in the normalised text it came from.
    #[inline]
    pub fn stem_text<'a>(&self, norm: &'a str) -> &'a str {
        norm.get(self.stem()).unwrap_or("")
    }

    /// The token's span in the original text.
    #[inline]
    pub fn span(&self, norm: &NormalizedText) -> Span {
        norm.to_original(self.norm())
    }

    /// The stem's span in the original text (with its diacritics).
    #[inline]
    pub fn stem_span(&self, norm: &NormalizedText) -> Span {
        norm.to_original(self.stem())
    }

    /// The clitic segments in order (`و` `ب` `ال` `جيش` `ه`); a token without clitics is one segment.
    pub fn segments(&self) -> Segments {
        let mut bounds = [0u32; 7];
        let mut n = 0;
        macro_rules! push {
            ($at:expr) => {{
                bounds[n] = $at;
                n += 1;
            }};
        }
        let mut at = self.start;
        push!(at);
        let p = self.prefixes;
        // Every proclitic letter is one two-byte Arabic letter in the normalised text.
        if p.intersects(Prefixes::CONJ_WA | Prefixes::CONJ_FA) {
            at += 2;
            push!(at);
        }
        if p.intersects(Prefixes::PREP_BI | Prefixes::PREP_LI | Prefixes::PREP_KA | Prefixes::FUT_SA) {
            at += 2;
            push!(at);
        }
        if p.contains(Prefixes::DET_AL) {
            at += 4;
            push!(at);
        } else if p.contains(Prefixes::LAM) {
            at += 2;
            push!(at);
        }
        debug_assert_eq!(at, self.stem_start);
        if self.stem_end > self.stem_start {
            push!(self.stem_end);
        }
        if self.end > self.stem_end {
            push!(self.end);
        }
        if n == 1 {
            // An empty token (never produced) still yields its one empty segment.
            push!(self.end);
        }
        Segments { bounds, n, i: 0 }
    }
}

/// Iterator over a token's clitic segments (see [`Token::segments`]).
#[derive(Debug, Clone)]
pub struct Segments {
    bounds: [u32; 7],
    n: usize,
    i: usize,
}

impl Iterator for Segments {
    type Item = Range<usize>;

    #[inline]
    fn next(&mut self) -> Option<Range<usize>> {
        if self.i + 1 >= self.n {
            return None;
        }
        let r = self.bounds[self.i] as usize..self.bounds[self.i + 1] as usize;
        self.i += 1;
        Some(r)
    }
}

/// Whether `c` is an Arabic letter (the characters of an `Arabic` token in normalised text).
#[inline]
pub fn is_arabic_letter(c: char) -> bool {
    matches!(c,
        '\u{0620}'..='\u{063F}'
        | '\u{0641}'..='\u{064A}'
        | '\u{066E}'..='\u{066F}'
        | '\u{0671}'..='\u{06D3}'
        | '\u{06D5}'
        | '\u{06EE}'..='\u{06EF}'
        | '\u{06FA}'..='\u{06FC}'
        | '\u{06FF}'
        | '\u{0750}'..='\u{077F}'
        | '\u{08A0}'..='\u{08C9}')
}

/// Arabic marks that normalisation drops; kept inside a word when the text was not normalised.
#[inline]
fn is_arabic_mark(c: char) -> bool {
    matches!(c, '\u{0610}'..='\u{061A}' | '\u{0640}' | '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{06D6}'..='\u{06ED}')
}

#[inline]
fn is_combining_mark(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}' | '\u{20D0}'..='\u{20FF}')
}

/// Whether a non-letter, non-digit, non-space character is punctuation (otherwise it is a symbol).
#[inline]
fn is_punct(c: char) -> bool {
    match c {
        '!' | '"' | '\'' | '(' | ')' | ',' | '-' | '.' | '/' | ':' | ';' | '?' | '[' | ']' | '_' | '{' | '}' => true,
        '\u{0000}'..='\u{007F}' => false,
        '،' | '؛' | '؟' | '۔' | '\u{060D}' | '«' | '»' | '¡' | '¿' | '§' | '¶' | '·' => true,
        '\u{2010}'..='\u{2027}' | '\u{2030}'..='\u{205E}' | '\u{3001}'..='\u{3003}' | '\u{3008}'..='\u{3011}' => true,
        '\u{FE10}'..='\u{FE19}' | '\u{FE30}'..='\u{FE63}' | '\u{FF01}'..='\u{FF0F}' => true,
        _ => false,
    }
}

/// Decodes the character starting at byte `i` of `s` (a char boundary).
#[inline]
fn char_at(s: &str, i: usize) -> char {
    s[i..].chars().next().unwrap_or('\0')
}

/// Splits normalised text into tokens and Arabic words into clitic segments. Build once, share freely.
#[derive(Debug, Clone)]
pub struct Tokenizer {
    model: CliticModel,
}

const WORDS: &str = include_str!("../../../data/text/words.tsv");
const CLITICS: &str = include_str!("../../../data/text/clitics.tsv");
const NO_SPLIT: &str = include_str!("../../../data/text/no-split.txt");

impl Default for Tokenizer {
    fn default() -> Tokenizer {
        Tokenizer::new()
    }
}

impl Tokenizer {
    /// Builds the tokenizer from the data embedded from `data/text/` (a few hundred ms: it analyses every known
    /// word once; prefer [`Tokenizer::shared`]).
    pub fn new() -> Tokenizer {
        // The embedded files are part of the build and checked by a unit test, so this cannot fail at run time.
        Tokenizer::from_data(WORDS, CLITICS, NO_SPLIT).expect("embedded data/text files are valid")
    }

    /// One tokenizer for the whole process, built on first use.
    pub fn shared() -> &'static Tokenizer {
        static SHARED: OnceLock<Tokenizer> = OnceLock::new();
        SHARED.get_or_init(Tokenizer::new)
    }

    /// Builds a tokenizer from the text of `words.tsv`, `clitics.tsv` and `no-split.txt`.
    pub fn from_data(words: &str, clitics: &str, no_split: &str) -> Result<Tokenizer, DataError> {
        Ok(Tokenizer { model: CliticModel::from_data(words, clitics, no_split)? })
    }

    /// The clitic model (word counts and splitting decisions).
    pub fn model(&self) -> &CliticModel {
        &self.model
    }

    /// The clitic split of one normalised Arabic word.
    #[inline]
    pub fn analyse(&self, word: &str) -> Analysis {
        self.model.analyse(word)
    }

    /// Clears `out` and fills it with the tokens of `norm`, in order.
    ///
    /// Allocates nothing beyond `out`'s growth, except once per thread: the small cache of unknown words'
    /// analyses. Prefer [`Tokenizer::tokenize_original`] when the original text is at hand.
    pub fn tokenize(&self, norm: &NormalizedText, out: &mut Vec<Token>) {
        self.tokenize_str(norm.as_str(), out);
    }

    /// Like [`Tokenizer::tokenize`], then undoes pronoun suffixes that the original spelling rules out.
    ///
    /// Normalisation folds `ة` into `ه` and `ى` into `ي`, so `ثمة` and `موسى` look like `ثم` + `ه` and `موس` + `ي`
    /// in the normalised text. Given the original text (the one `norm` was built from), a suffix whose first
    /// letter was `ة` or `ى` is put back into the stem. Prefer this whenever the original is at hand.
    pub fn tokenize_original(&self, original: &str, norm: &NormalizedText, out: &mut Vec<Token>) {
        self.tokenize_str(norm.as_str(), out);
        for t in out.iter_mut() {
            if t.stem_end == t.end {
                continue;
            }
            let at = norm.original_offset(t.stem_end as usize);
            if original.get(at..).is_some_and(|rest| rest.starts_with(['ة', 'ى'])) {
                t.stem_end = t.end;
                if t.stem_start == t.stem_end {
                    // A bare preposition + ... cannot end in ة or ى; keep the token whole rather than odd.
                    t.stem_start = t.start;
                    t.prefixes = Prefixes::NONE;
                }
            }
        }
    }

    /// Clears `out` and fills it with the tokens of an already normalised string, in order.
    ///
    /// Arabic words are split into their clitics after the whole text is read: their analyses take two table
    /// look-ups each, mostly cache misses, and a loop that only reads every word's table slots first has the
    /// memory system serve many at once instead of one after another.
    pub fn tokenize_str(&self, s: &str, out: &mut Vec<Token>) {
        out.clear();
        let mut pending = Vec::new();
        self.tokenize_words(s, out, &mut pending);
        let mut touch = 0u64;
        for &(_, fp) in &pending {
            touch ^= self.model.touch(fp);
        }
        std::hint::black_box(touch);
        for &(at, fp) in &pending {
            self.finish_arabic(s, out, at as usize, fp);
        }
    }

    fn tokenize_words(&self, s: &str, out: &mut Vec<Token>, pending: &mut Vec<(u32, u64)>) {
        let b = s.as_bytes();
        let len = b.len();
        let mut i = 0;
        while i < len {
            let c0 = b[i];
            if c0 < 0x80 {
                match c0 {
                    b' ' | b'\t' | b'\n' | b'\r' | 0x0B | 0x0C => i += 1,
                    b'0'..=b'9' => i = self.number(s, i, out),
                    b'a'..=b'z' | b'A'..=b'Z' => i = self.latin(s, i, out),
                    b'.' => {
                        let mut j = i + 1;
                        while j < len && b[j] == b'.' {
                            j += 1;
                        }
                        out.push(Token::plain(TokenKind::Punct, i..j));
                        i = j;
                    }
                    0x00..=0x1F | 0x7F => i += 1,
                    _ => {
                        let kind = if is_punct(c0 as char) { TokenKind::Punct } else { TokenKind::Symbol };
                        out.push(Token::plain(kind, i..i + 1));
                        i += 1;
                    }
                }
                continue;
            }
            let c = char_at(s, i);
            if is_arabic_letter(c) || is_arabic_mark(c) {
                i = self.arabic(s, i, out, pending);
            } else if crate::is_numeric(c) {
                i = self.number(s, i, out);
            } else if crate::is_alphabetic(c) {
                i = self.latin(s, i, out);
            } else if c.is_whitespace() || c.is_control() || is_combining_mark(c) || c == '\u{FEFF}' {
                i += c.len_utf8();
            } else {
                let kind = if is_punct(c) { TokenKind::Punct } else { TokenKind::Symbol };
                out.push(Token::plain(kind, i..i + c.len_utf8()));
                i += c.len_utf8();
            }
        }
    }

    /// An Arabic word starting at `i`; returns where it ends. Its token goes out unsplit; the clitic analysis
    /// waits in `pending` (token index, fingerprint; see [`Tokenizer::tokenize_str`]).
    #[inline]
    fn arabic(&self, s: &str, start: usize, out: &mut Vec<Token>, pending: &mut Vec<(u32, u64)>) -> usize {
        let b = s.as_bytes();
        let mut i = start;
        let mut marks = false;
        while i < b.len() {
            let c0 = b[i];
            // Fastest path: U+0620–U+064A but the tatweel U+0640 (a mark), which are exactly the byte pairs
            // `D8 A0`–`D9 8A` read as one number but `D9 80` (no valid pair lies between `D8 BF` and `D9 80`):
            // nearly every letter of normalised text, with one comparison instead of a decode and a match.
            if let Some(&c1) = b.get(i + 1) {
                let pair = u16::from_be_bytes([c0, c1]);
                if (0xD8A0..=0xD98A).contains(&pair) && pair != 0xD980 {
                    i += 2;
                    continue;
                }
            }
            if (0xD8..=0xDB).contains(&c0) && i + 1 < b.len() {
                // Fast path: two-byte characters U+0600–U+06FF.
                let c = char::from_u32((u32::from(c0 & 0x1F) << 6) | u32::from(b[i + 1] & 0x3F)).unwrap_or('\0');
                if is_arabic_letter(c) {
                    i += 2;
                    continue;
                }
                if is_arabic_mark(c) {
                    marks = true;
                    i += 2;
                    continue;
                }
                break;
            }
            if c0 < 0x80 {
                break;
            }
            let c = char_at(s, i);
            if is_arabic_letter(c) {
                i += c.len_utf8();
            } else if is_arabic_mark(c) {
                marks = true;
                i += c.len_utf8();
            } else {
                break;
            }
        }
        let word = &s[start..i];
        out.push(Token::plain(TokenKind::Arabic, start..i));
        // Text with marks left in was not normalised: its words are not analysed rather than analysed wrongly.
        if let Some(fp) = if marks { None } else { self.model.prepare(word) } {
            pending.push(((out.len() - 1) as u32, fp));
        }
        i
    }

    /// Splits the clitics off the Arabic token `out[at]` (prepared as `fp`).
    fn finish_arabic(&self, s: &str, out: &mut [Token], at: usize, fp: u64) {
        let Some(t) = out.get_mut(at) else { return };
        let (start, end) = (t.start as usize, t.end as usize);
        let Some(word) = s.get(start..end) else { return };
        let a = self.model.analyse_prepared(word, fp);
        let (p, x) = (a.prefix_len as usize, a.suffix_len as usize);
        let valid = p + x <= word.len() && word.is_char_boundary(p) && word.is_char_boundary(word.len() - x);
        let (p, x, prefixes) = if valid { (p, x, a.prefixes) } else { (0, 0, Prefixes::NONE) };
        t.stem_start = (start + p) as u32;
        t.stem_end = (end - x) as u32;
        t.prefixes = prefixes;
    }

    /// A number starting at `i` (a digit); returns where it ends.
    fn number(&self, s: &str, start: usize, out: &mut Vec<Token>) -> usize {
        let mut i = start;
        let mut it = s[start..].char_indices().peekable();
        while let Some((k, c)) = it.next() {
            if crate::is_numeric(c) {
                i = start + k + c.len_utf8();
            } else if matches!(c, '.' | ',' | '٫' | '٬') && it.peek().is_some_and(|&(_, d)| d.is_ascii_digit()) {
                continue;
            } else {
                break;
            }
        }
        out.push(Token::plain(TokenKind::Number, start..i));
        i
    }

    /// A run of non-Arabic letters starting at `i`; returns where it ends.
    fn latin(&self, s: &str, start: usize, out: &mut Vec<Token>) -> usize {
        let mut i = start;
        for c in s[start..].chars() {
            if (crate::is_alphabetic(c) && !is_arabic_letter(c)) || c.is_ascii_digit() || is_combining_mark(c) {
                i += c.len_utf8();
            } else {
                break;
            }
        }
        out.push(Token::plain(TokenKind::Latin, start..i));
        i
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn toks(text: &str) -> Vec<(String, TokenKind)> {
        let n = NormalizedText::new(text);
        let mut out = Vec::new();
        Tokenizer::shared().tokenize(&n, &mut out);
        out.iter().map(|t| (text[t.span(&n)].to_string(), t.kind)).collect()
    }

    fn segs(word: &str) -> Vec<String> {
        let n = NormalizedText::new(word);
        let mut out = Vec::new();
        Tokenizer::shared().tokenize(&n, &mut out);
        assert_eq!(out.len(), 1, "{word}");
        out[0].segments().map(|r| n.as_str()[r].to_string()).collect()
    }

    #[test]
    fn embedded_data_loads() {
        assert!(Tokenizer::shared().model().len() > 10_000);
    }

    #[test]
    fn letter_pairs_are_the_arabic_letters_of_their_range() {
        // The byte-pair test of `Tokenizer::arabic` against `is_arabic_letter` on every character it can see.
        for c in ('\u{0600}'..='\u{06FF}').chain(['a', ' ', '\u{0750}', '\u{08A0}', '\u{2000}']) {
            let mut buf = [0u8; 4];
            let b = c.encode_utf8(&mut buf).as_bytes();
            let pair = (b.len() == 2).then(|| u16::from_be_bytes([b[0], b[1]]));
            let fast = pair.is_some_and(|p| (0xD8A0..=0xD98A).contains(&p) && p != 0xD980);
            if fast {
                assert!(is_arabic_letter(c), "{c:?}");
            }
            assert_eq!(fast, ('\u{0620}'..='\u{064A}').contains(&c) && c != '\u{0640}', "{c:?}");
        }
    }

    #[test]
    fn token_classes() {
        use TokenKind::*;
        let cases: &[(&str, &[(&str, TokenKind)])] = &[
            ("قال 2024 و3.5 ٤٨", &[("قال", Arabic), ("2024", Number), ("و", Arabic), ("3.5", Number), ("٤٨", Number)]),
            ("«نعم»، لا؟", &[("«", Punct), ("نعم", Arabic), ("»", Punct), ("،", Punct), ("لا", Arabic), ("؟", Punct)]),
            ("انتهى... ثم…", &[("انتهى", Arabic), ("...", Punct), ("ثم", Arabic), ("…", Punct)]),
            (
                "The UN (NATO) 50% 1,000.",
                &[
                    ("The", Latin),
                    ("UN", Latin),
                    ("(", Punct),
                    ("NATO", Latin),
                    (")", Punct),
                    ("50", Number),
                    ("%", Symbol),
                    ("1,000", Number),
                    (".", Punct),
                ],
            ),
            ("بغداد – (رويترز)", &[("بغداد", Arabic), ("–", Punct), ("(", Punct), ("رويترز", Arabic), (")", Punct)]),
            ("قُتِلَ الجنديُّ", &[("قُتِلَ", Arabic), ("الجنديُّ", Arabic)]),
            ("a/b “x”", &[("a", Latin), ("/", Punct), ("b", Latin), ("“", Punct), ("x", Latin), ("”", Punct)]),
        ];
        for (text, want) in cases {
            let got = toks(text);
            let want: Vec<(String, TokenKind)> = want.iter().map(|(s, k)| (s.to_string(), *k)).collect();
            assert_eq!(got, want, "{text}");
        }
    }

    #[test]
    fn clitic_segments() {
        let cases: &[(&str, &[&str])] = &[
            ("وبالجيش", &["و", "ب", "ال", "جيش"]),
            ("والعراق", &["و", "ال", "عراق"]),
            ("للسلطة", &["ل", "ل", "سلطه"]),
            ("سيكون", &["س", "يكون"]),
            ("وسيكون", &["و", "س", "يكون"]),
            ("حكومته", &["حكومت", "ه"]),
            ("له", &["ل", "ه"]),
            ("ولهم", &["و", "ل", "هم"]),
            ("وقال", &["و", "قال"]),
            ("عليهم", &["علي", "هم"]),
            ("وزير", &["وزير"]),
            ("وكالة", &["وكاله"]),
            ("فلسطين", &["فلسطين"]),
            ("بغداد", &["بغداد"]),
            ("لبنان", &["لبنان"]),
            ("كتائب", &["كتائب"]),
            ("سوريا", &["سوريا"]),
            ("كان", &["كان"]),
            ("لكن", &["لكن"]),
            ("الذي", &["الذي"]),
            ("إليه", &["الي", "ه"]),
        ];
        for (word, want) in cases {
            assert_eq!(segs(word), want.iter().map(|s| s.to_string()).collect::<Vec<_>>(), "{word}");
        }
    }

    #[test]
    fn stem_and_prefix_flags() {
        let n = NormalizedText::new("وبالجيشِ");
        let mut out = Vec::new();
        Tokenizer::shared().tokenize(&n, &mut out);
        let t = out[0];
        assert!(t.prefixes.contains(Prefixes::CONJ_WA | Prefixes::PREP_BI | Prefixes::DET_AL));
        assert_eq!(t.stem_text(n.as_str()), "جيش");
        assert_eq!(&"وبالجيشِ"[t.stem_span(&n)], "جيشِ");
        assert!(t.suffix().is_empty());
    }

    #[test]
    fn original_spelling_vetoes_suffixes() {
        // ة and ى fold to ه and ي, which look like pronoun suffixes; the original spelling decides.
        let cases: &[(&str, &[&str])] =
            &[("ثمة", &["ثمه"]), ("موسى", &["موسي"]), ("سوى", &["سوي"]), ("حكومته", &["حكومت", "ه"])];
        for (word, want) in cases {
            let n = NormalizedText::new(word);
            let mut out = Vec::new();
            Tokenizer::shared().tokenize_original(word, &n, &mut out);
            let got: Vec<String> = out[0].segments().map(|r| n.as_str()[r].to_string()).collect();
            assert_eq!(got, want.iter().map(|s| s.to_string()).collect::<Vec<_>>(), "{word}");
        }
    }

    #[test]
    fn tokenize_clears_and_reuses() {
        let mut out = Vec::new();
        Tokenizer::shared().tokenize_str("a b c", &mut out);
        Tokenizer::shared().tokenize_str("d", &mut out);
        assert_eq!(out.len(), 1);
    }

    proptest! {
        #[test]
        fn tokens_are_ordered_and_map_back(s in "\\PC{0,80}|[ وبالكفسهمنيا0-9.،«»]{0,40}") {
            let n = NormalizedText::new(&s);
            let t = n.as_str();
            let mut out = Vec::new();
            let mut plain = Vec::new();
            Tokenizer::shared().tokenize(&n, &mut plain);
            Tokenizer::shared().tokenize_original(&s, &n, &mut out);
            prop_assert_eq!(plain.len(), out.len());
            let mut last = 0;
            for tok in &out {
                let r = tok.norm();
                prop_assert!(r.start >= last && r.start < r.end && r.end <= t.len());
                prop_assert!(t.is_char_boundary(r.start) && t.is_char_boundary(r.end));
                last = r.end;
                let mut at = r.start;
                for seg in tok.segments() {
                    prop_assert_eq!(seg.start, at);
                    prop_assert!(t.is_char_boundary(seg.end) && seg.end <= r.end);
                    at = seg.end;
                }
                prop_assert_eq!(at, r.end);
                for range in [tok.stem(), tok.prefix(), tok.suffix()] {
                    prop_assert!(t.is_char_boundary(range.start) && t.is_char_boundary(range.end));
                }
                let span = tok.span(&n);
                prop_assert!(span.end <= s.len() && s.is_char_boundary(span.start) && s.is_char_boundary(span.end));
                prop_assert!(s.get(span.range()).is_some());
                let stem = tok.stem_span(&n);
                prop_assert!(span.contains(stem) || stem.is_empty());
            }
        }

        /// The analyses made after the whole text is read are those of each word on its own.
        #[test]
        fn deferred_analyses_are_each_words(s in "([وفبلكسال]{0,3}[ا-ي]{1,6}[هامنكي]{0,2}[ .،0-9a]{1,2}){0,60}") {
            let n = NormalizedText::new(&s);
            let t = n.as_str();
            let mut out = Vec::new();
            Tokenizer::shared().tokenize(&n, &mut out);
            for tok in out.iter().filter(|tok| tok.kind == TokenKind::Arabic) {
                let word = &t[tok.norm()];
                let a = Tokenizer::shared().analyse(word);
                let r = tok.norm();
                prop_assert_eq!(tok.stem(), r.start + a.prefix_len as usize..r.end - a.suffix_len as usize);
                prop_assert_eq!(tok.prefixes, a.prefixes);
            }
        }
    }
}
