//! Aligned Arabic normalisation: a folded copy of the text that remembers, for every byte, where it came from.
//!
//! Matching (dictionaries, triggers, dates) runs on the normalised text; every span found there is mapped back
//! to the original with [`NormalizedText::to_original`], so offsets never drift whatever was folded or dropped.
//!
//! Folds (all one character to at most one character, except presentation forms, which NFKC may expand):
//! - alef forms `أ إ آ ٱ ٲ ٳ` → `ا`; `ى` → `ي`; `ة` → `ه`; Persian/Urdu letters `ک ی ۍ ې ہ ە` → `ك ي ي ي ه ه`;
//! - tatweel `ـ` and diacritics (harakat U+064B–U+065F, superscript alef U+0670, Quranic marks U+06D6–U+06ED)
//!   are dropped and their bytes attached to the preceding letter, so a word's span keeps its vowels;
//! - Arabic-Indic `٠–٩` and Persian `۰–۹` digits → ASCII digits; Arabic comma/semicolon/question mark are kept;
//! - bidi and zero-width controls (U+200B–U+200F, U+202A–U+202E, U+2066–U+2069, U+FEFF, U+061C) are dropped;
//! - Arabic presentation forms (U+FB50–U+FDFF, U+FE70–U+FEFF) go through NFKC, then through the folds above;
//! - ASCII letters are lower-cased; `_` becomes a space (hashtags join words with it: `#محمد_بن_سلمان`);
//!   everything else is copied unchanged.

use crate::span::Span;
use std::ops::Range;
use unicode_normalization::char::decompose_compatible;

/// How one original character is treated by the normaliser.
#[derive(Debug, Clone, Copy)]
enum Fold {
    /// Copy the character as it is.
    Keep,
    /// Replace it with this character.
    To(char),
    /// Drop it and extend the previous kept character over it (diacritics, tatweel).
    Attach,
    /// Drop it without attaching it to anything (invisible controls).
    Drop,
    /// Arabic presentation form: replace with its compatibility decomposition, folded again.
    Compat,
}

#[inline]
fn fold(c: char) -> Fold {
    match c {
        'A'..='Z' => Fold::To(c.to_ascii_lowercase()),
        '_' => Fold::To(' '),
        '\u{0000}'..='\u{007F}' => Fold::Keep,
        'أ' | 'إ' | 'آ' | 'ٱ' | 'ٲ' | 'ٳ' => Fold::To('ا'),
        'ى' => Fold::To('ي'),
        'ة' => Fold::To('ه'),
        'ک' => Fold::To('ك'),
        'ی' | 'ۍ' | 'ې' => Fold::To('ي'),
        'ہ' | 'ە' => Fold::To('ه'),
        'ـ' | '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{06D6}'..='\u{06ED}' => Fold::Attach,
        '٠'..='٩' => Fold::To(char::from(b'0' + (c as u32 - '٠' as u32) as u8)),
        '۰'..='۹' => Fold::To(char::from(b'0' + (c as u32 - '۰' as u32) as u8)),
        '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}' | '\u{061C}' => {
            Fold::Drop
        }
        '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFE}' => Fold::Compat,
        _ => Fold::Keep,
    }
}

/// Offset of `ة` (U+0629) in the Arabic block, as the fast path of [`NormalizedText::reset`] indexes it.
const TA_MARBUTA_LOW: u8 = 0x29;
/// The low byte of the damma, U+064F, in the Arabic block table.
const DAMMA_LOW: u8 = 0x4F;

/// [`fold`] of every character U+0600–U+06FF, by its offset in the block: computed once from [`fold`]. The block
/// has no presentation forms, so no entry is [`Fold::Compat`].
fn arabic_folds() -> &'static [Fold; 256] {
    static TABLE: std::sync::OnceLock<[Fold; 256]> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| std::array::from_fn(|k| char::from_u32(0x0600 + k as u32).map_or(Fold::Drop, fold)))
}

/// The end of the run of characters from byte `i` of `bytes` (a boundary) that fold to themselves and are ASCII or
/// in the Arabic block (one or two bytes each): ASCII but capitals and `_`, Arabic letters and punctuation.
#[inline]
fn keep_run(bytes: &[u8], mut i: usize, arabic: &[Fold; 256]) -> usize {
    while let Some(&b) = bytes.get(i) {
        if b < 0x80 {
            if b.is_ascii_uppercase() || b == b'_' {
                break;
            }
            i += 1;
        } else if (0xD8..=0xDB).contains(&b) {
            let Some(&c) = bytes.get(i + 1) else { break };
            let low = (usize::from(b & 0x03) << 6) | usize::from(c & 0x3F);
            if !matches!(arabic.get(low), Some(Fold::Keep)) {
                break;
            }
            i += 2;
        } else {
            break;
        }
    }
    i
}

/// The normalised form of one text, aligned byte by byte with the original.
///
/// Reuse one value across documents with [`NormalizedText::reset`] to keep its buffers.
#[derive(Debug, Clone, Default)]
pub struct NormalizedText {
    text: String,
    /// For each byte of `text`: the original byte offset where the character it came from starts.
    starts: Vec<u32>,
    /// For each byte of `text`: the original byte offset where that character (with attached marks) ends.
    ends: Vec<u32>,
    /// Byte offsets in `text` of every `ه` that is a folded `ة`, in increasing order.
    folded_ta: Vec<u32>,
    /// Byte offsets in `text` of every letter written with a damma (`قُتل`), in increasing order.
    damma: Vec<u32>,
    original_len: usize,
}

impl NormalizedText {
    /// Normalises `original`.
    ///
    /// Offsets are stored as `u32`: callers bound article size well below 4 GiB (see the input size limit).
    pub fn new(original: &str) -> NormalizedText {
        let mut n = NormalizedText::default();
        n.reset(original);
        n
    }

    /// Normalises `original` into this value, reusing its buffers.
    pub fn reset(&mut self, original: &str) {
        self.text.clear();
        self.starts.clear();
        self.ends.clear();
        self.folded_ta.clear();
        self.damma.clear();
        self.original_len = original.len();
        self.text.reserve(original.len());
        self.starts.reserve(original.len());
        self.ends.reserve(original.len());
        let bytes = original.as_bytes();
        let arabic = arabic_folds();
        let mut i = 0;
        while i < bytes.len() {
            // Most of a text is characters the folds keep as they are: copied a run at a time.
            let run = keep_run(bytes, i, arabic);
            if run > i {
                self.push_run(original, i, run);
                i = run;
                continue;
            }
            let b = bytes[i];
            if b < 0x80 {
                // ASCII fast path (the folds of `fold` for ASCII: lower case, `_` to a space).
                let c = match b {
                    b'A'..=b'Z' => b.to_ascii_lowercase(),
                    b'_' => b' ',
                    _ => b,
                };
                self.text.push(c as char);
                self.starts.push(i as u32);
                self.ends.push((i + 1) as u32);
                i += 1;
                continue;
            }
            if (0xD8..=0xDB).contains(&b) && i + 1 < bytes.len() {
                // Arabic block (U+0600–U+06FF) fast path: the two bytes index a table of the folds.
                let low = (usize::from(b & 0x03) << 6) | usize::from(bytes[i + 1] & 0x3F);
                let (s, e) = (i as u32, (i + 2) as u32);
                match arabic.get(low).copied().unwrap_or(Fold::Drop) {
                    Fold::Keep => {
                        if let Some(two) = original.get(i..i + 2) {
                            self.text.push_str(two);
                        }
                        self.starts.extend_from_slice(&[s, s]);
                        self.ends.extend_from_slice(&[e, e]);
                    }
                    Fold::To(t) => {
                        if low == usize::from(TA_MARBUTA_LOW) {
                            self.folded_ta.push(self.text.len() as u32);
                        }
                        self.push(t, s, e);
                    }
                    Fold::Attach => {
                        if low == usize::from(DAMMA_LOW) {
                            if let Some(c) = self.text.chars().next_back() {
                                let at = (self.text.len() - c.len_utf8()) as u32;
                                if self.damma.last() != Some(&at) {
                                    self.damma.push(at);
                                }
                            }
                        }
                        self.attach(e)
                    }
                    Fold::Drop | Fold::Compat => {}
                }
                i += 2;
                continue;
            }
            let c = original[i..].chars().next().expect("char boundary");
            let w = c.len_utf8();
            let (s, e) = (i as u32, (i + w) as u32);
            match fold(c) {
                Fold::Keep => self.push(c, s, e),
                Fold::To(t) => self.push(t, s, e),
                Fold::Attach => self.attach(e),
                Fold::Drop => {}
                Fold::Compat => {
                    let mut any = false;
                    decompose_compatible(c, |d| match fold(d) {
                        Fold::Keep | Fold::Compat => {
                            self.push(d, s, e);
                            any = true;
                        }
                        Fold::To(t) => {
                            if d == 'ة' {
                                self.folded_ta.push(self.text.len() as u32);
                            }
                            self.push(t, s, e);
                            any = true;
                        }
                        Fold::Attach | Fold::Drop => {}
                    });
                    if !any {
                        self.attach(e);
                    }
                }
            }
            i += w;
        }
    }

    /// Copies `original[start..end]`, a run [`keep_run`] found (ASCII and two-byte characters only), with each
    /// byte's character start and end: a continuation byte's character starts one byte before it, a lead byte's
    /// character ends two bytes after it.
    #[inline]
    fn push_run(&mut self, original: &str, start: usize, end: usize) {
        let (Some(run), Some(bytes)) = (original.get(start..end), original.as_bytes().get(start..end)) else {
            return;
        };
        self.text.push_str(run);
        let at = start as u32;
        self.starts.extend(bytes.iter().zip(at..).map(|(&b, p)| p - u32::from(b & 0xC0 == 0x80)));
        self.ends.extend(bytes.iter().zip(at..).map(|(&b, p)| p + 1 + u32::from(b >= 0xC0)));
    }

    #[inline]
    fn push(&mut self, c: char, start: u32, end: u32) {
        let w = c.len_utf8();
        self.text.push(c);
        for _ in 0..w {
            self.starts.push(start);
            self.ends.push(end);
        }
    }

    /// Extends the last normalised character's original end over a dropped mark ending at `end`.
    #[inline]
    fn attach(&mut self, end: u32) {
        let Some(&last_start) = self.starts.last() else { return };
        // Only the bytes of the last character get the new end.
        let mut k = self.ends.len();
        while k > 0 && self.starts[k - 1] == last_start {
            self.ends[k - 1] = end;
            k -= 1;
        }
    }

    /// The normalised text.
    #[inline]
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The byte offset in the normalised text of every `ه` that is a folded `ة`, in increasing order: a word ending
    /// in `ة` is a noun or adjective, never a verb with the object pronoun `ه` (`وزارة`, not `و` + `زاره` "and he
    /// visited him").
    #[inline]
    pub fn folded_ta_marbuta(&self) -> &[u32] {
        &self.folded_ta
    }

    /// The byte offset in the normalised text of every letter the original writes with a damma (the mark itself is
    /// dropped), in increasing order: on the first letter of a perfect verb it marks the passive (`قُتل`, `أُصيب`).
    #[inline]
    pub fn damma_letters(&self) -> &[u32] {
        &self.damma
    }

    /// Length of the original text in bytes.
    #[inline]
    pub fn original_len(&self) -> usize {
        self.original_len
    }

    /// Maps a byte range of the normalised text (on char boundaries) to the original span it came from.
    ///
    /// An empty range maps to an empty span at the original position of the next normalised character.
    pub fn to_original(&self, norm: Range<usize>) -> Span {
        debug_assert!(norm.start <= norm.end && norm.end <= self.text.len());
        if norm.start >= norm.end {
            let at = self.starts.get(norm.start).map_or(self.original_len, |&s| s as usize);
            return Span::new(at, at);
        }
        let start = self.starts[norm.start] as usize;
        let end = self.ends[norm.end - 1] as usize;
        Span::new(start, end.max(start))
    }

    /// The original byte offset where the normalised byte `norm` came from (the original length at the end).
    #[inline]
    pub fn original_offset(&self, norm: usize) -> usize {
        self.starts.get(norm).map_or(self.original_len, |&s| s as usize)
    }

    /// The first normalised byte whose original character starts at or after original byte `orig`.
    pub fn norm_offset(&self, orig: usize) -> usize {
        let i = self.starts.partition_point(|&s| (s as usize) < orig);
        // Land on a char boundary of the normalised text.
        let mut i = i.min(self.text.len());
        while !self.text.is_char_boundary(i) {
            i += 1;
        }
        i
    }

    /// Maps an original span to the normalised range covering the characters that start inside it.
    pub fn to_norm(&self, span: Span) -> Range<usize> {
        self.norm_offset(span.start)..self.norm_offset(span.end)
    }
}

/// Whether `c` is part of a word (letters, digits, `_`), with fast paths for ASCII and Arabic letters so hot
/// loops avoid the general Unicode tables.
#[inline]
pub fn is_word_char(c: char) -> bool {
    match c {
        'a'..='z' | 'A'..='Z' | '0'..='9' | '_' => true,
        '\u{0000}'..='\u{007F}' => false,
        '\u{0621}'..='\u{064A}' | '\u{0660}'..='\u{0669}' | '\u{0671}'..='\u{06D3}' => true,
        '\u{060C}' | '\u{061B}' | '\u{061F}' | '\u{00AB}' | '\u{00BB}' | '\u{2000}'..='\u{206F}' => false,
        _ => is_alphanumeric(c),
    }
}

/// `char::is_alphanumeric`, `is_alphabetic` and `is_numeric` over U+0600–U+06FF (bit `c − U+0600`), as the
/// standard library's Unicode tables answer them (a test compares every character): the Arabic block's
/// punctuation and signs (`،`, `؟`, `٪`) would otherwise take those tables' search in hot loops.
const ARABIC_ALNUM: [u64; 4] =
    [0xffff_ffff_07ff_0000, 0xffff_c3ff_feff_ffff, 0xffff_ffff_ffff_ffff, 0x9fff_e1fe_1fef_ffff];
const ARABIC_ALPHA: [u64; 4] =
    [0xffff_ffff_07ff_0000, 0xffff_c000_feff_ffff, 0xffff_ffff_ffff_ffff, 0x9c00_e1fe_1fef_ffff];
const ARABIC_NUM: [u64; 4] = [0, 0x0000_03ff_0000_0000, 0, 0x03ff_0000_0000_0000];

/// Bit `c − U+0600` of a table over the Arabic block (`c` in U+0600–U+06FF).
#[inline]
fn arabic_bit(table: &[u64; 4], c: char) -> bool {
    let i = (c as u32).wrapping_sub(0x0600) as usize & 0xFF;
    table[i / 64] >> (i % 64) & 1 != 0
}

/// `c.is_alphanumeric()`, from a table for the Arabic block and at once for the punctuation around Arabic text
/// (`«`, `»`, U+2000–U+206F: none is a letter or digit).
#[inline]
pub fn is_alphanumeric(c: char) -> bool {
    match c {
        '\u{0600}'..='\u{06FF}' => arabic_bit(&ARABIC_ALNUM, c),
        '\u{00AB}' | '\u{00BB}' | '\u{2000}'..='\u{206F}' => false,
        _ => c.is_alphanumeric(),
    }
}

/// `c.is_alphabetic()`, fast for the Arabic block and its punctuation as [`is_alphanumeric`].
#[inline]
pub fn is_alphabetic(c: char) -> bool {
    match c {
        '\u{0600}'..='\u{06FF}' => arabic_bit(&ARABIC_ALPHA, c),
        '\u{00AB}' | '\u{00BB}' | '\u{2000}'..='\u{206F}' => false,
        _ => c.is_alphabetic(),
    }
}

/// `c.is_numeric()`, fast for the Arabic block and its punctuation as [`is_alphanumeric`].
#[inline]
pub fn is_numeric(c: char) -> bool {
    match c {
        '\u{0600}'..='\u{06FF}' => arabic_bit(&ARABIC_NUM, c),
        '\u{00AB}' | '\u{00BB}' | '\u{2000}'..='\u{206F}' => false,
        _ => c.is_numeric(),
    }
}

/// The words of `s`: its maximal runs of word characters ([`is_word_char`]), in order, as
/// `s.split(|c| !is_word_char(c))` without the empty pieces, over the bytes (ASCII and two-byte Arabic characters
/// are tested without decoding a `char`).
pub fn words(s: &str) -> Words<'_> {
    Words { s, pos: 0 }
}

/// The iterator of [`words`].
#[derive(Debug, Clone)]
pub struct Words<'a> {
    s: &'a str,
    pos: usize,
}

impl<'a> Iterator for Words<'a> {
    type Item = &'a str;

    #[inline]
    fn next(&mut self) -> Option<&'a str> {
        let mut i = self.pos;
        let start = loop {
            let (word, len) = word_char_at(self.s, i)?;
            if word {
                break i;
            }
            i += len;
        };
        while let Some((true, len)) = word_char_at(self.s, i) {
            i += len;
        }
        // Past `self.s` only when the loop above ended with it: then `None` next time.
        self.pos = i;
        self.s.get(start..i)
    }
}

/// Whether the character at byte `i` of `s` (a boundary) is a word character, and its length; `None` at the end.
#[inline(always)]
fn word_char_at(s: &str, i: usize) -> Option<(bool, usize)> {
    let b = s.as_bytes();
    let x = *b.get(i)?;
    if x < 0x80 {
        return Some((x.is_ascii_alphanumeric() || x == b'_', 1));
    }
    if (0xD8..=0xDB).contains(&x) {
        if let Some(&y) = b.get(i + 1) {
            // U+0621–U+064A, every one a word character, are exactly the pairs `D8 A1`–`D9 8A` read as one number
            // (the tokenizer's test): most characters of Arabic text, with no decoding.
            if (0xD8A1..=0xD98A).contains(&u16::from_be_bytes([x, y])) {
                return Some((true, 2));
            }
            let c = char::from_u32((u32::from(x & 0x1F) << 6) | u32::from(y & 0x3F)).unwrap_or('\0');
            return Some((is_word_char(c), 2));
        }
    }
    let c = s.get(i..)?.chars().next()?;
    Some((is_word_char(c), c.len_utf8()))
}

/// Normalises one string without alignment (for dictionary keys and queries).
pub fn normalize(s: &str) -> String {
    NormalizedText::new(s).text
}

/// Whether `s` is already normalised (`normalize(s) == s`), without building the normalised copy: every
/// character is one the folds keep as it is (a character's normalised form does not depend on its neighbours).
pub fn is_normalized(s: &str) -> bool {
    // The leading run of ASCII and Arabic-block characters that fold to themselves (most often the whole word)
    // is read from the bytes with the normaliser's table; the characters after it one by one.
    let run = keep_run(s.as_bytes(), 0, arabic_folds());
    s.get(run..).is_some_and(is_normalized_chars)
}

/// [`is_normalized`] character by character.
fn is_normalized_chars(s: &str) -> bool {
    s.chars().all(|c| match fold(c) {
        Fold::Keep => true,
        // A presentation form without a decomposition stays itself.
        Fold::Compat => {
            let mut buf = [0u8; 4];
            let one: &str = c.encode_utf8(&mut buf);
            NormalizedText::new(one).text == one
        }
        Fold::To(_) | Fold::Attach | Fold::Drop => false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn words_are_the_non_empty_pieces_between_non_word_characters() {
        for s in ["", " ", "قال، الوزير: «نعم» 2018_x", "a-b  c\u{200F}د😀هـ", "،؟", "كلمة", "  x y  ", "é ü ß"]
        {
            let want: Vec<&str> = s.split(|c: char| !is_word_char(c)).filter(|w| !w.is_empty()).collect();
            assert_eq!(words(s).collect::<Vec<_>>(), want, "{s:?}");
        }
    }

    #[test]
    fn word_char_at_answers_as_is_word_char() {
        for c in ('\u{0}'..='\u{07FF}').chain(['\u{2000}', '\u{200F}', '\u{FEFF}', '😀']) {
            let s = c.to_string();
            assert_eq!(word_char_at(&s, 0), Some((is_word_char(c), c.len_utf8())), "{c:?}");
        }
    }

    #[test]
    fn class_tables_answer_as_the_standard_library() {
        let chars = (0x0600..=0x06FF).chain(0x2000..=0x206F).chain([0xAB, 0xBB, 0x41, 0x31, 0xE9, 0x0750]);
        for c in chars.filter_map(char::from_u32) {
            assert_eq!(is_alphanumeric(c), c.is_alphanumeric(), "{c:?}");
            assert_eq!(is_alphabetic(c), c.is_alphabetic(), "{c:?}");
            assert_eq!(is_numeric(c), c.is_numeric(), "{c:?}");
        }
    }

    #[test]
    fn folds_letters_and_digits() {
        assert_eq!(normalize("أإآٱ ى ة"), "اااا ي ه");
        assert_eq!(normalize("٢٠٢٤ ۱۲"), "2024 12");
        assert_eq!(normalize("ABC"), "abc");
        assert_eq!(normalize("ک ی"), "ك ي");
        assert_eq!(normalize("#محمد_بن_سلمان"), "#محمد بن سلمان");
    }

    #[test]
    fn folded_ta_marbuta_is_told_from_ha() {
        let original = "وزارة زاره";
        let n = NormalizedText::new(original);
        assert_eq!(n.as_str(), "وزاره زاره");
        assert_eq!(n.folded_ta_marbuta(), &[8]);
        assert_eq!(&n.as_str()[8..10], "ه");
        // With a vowel on it, and as a presentation form (U+FE94).
        let n = NormalizedText::new("مدرسةٌ \u{FE94}");
        assert_eq!(n.as_str(), "مدرسه ه");
        assert_eq!(n.folded_ta_marbuta(), &[8, 11]);
    }

    #[test]
    fn letters_with_a_damma_are_recorded() {
        // `قُتل` and `وأُصيب`: the damma on the first letter of each verb; the fatha and kasra are not recorded.
        let n = NormalizedText::new("قُتِلَ وأُصيب");
        assert_eq!(n.as_str(), "قتل واصيب");
        assert_eq!(n.damma_letters(), &[0, 9]);
        assert_eq!(&n.as_str()[9..11], "ا");
        assert!(NormalizedText::new("قَتَلَ").damma_letters().is_empty());
    }

    #[test]
    fn drops_marks_and_controls() {
        assert_eq!(normalize("قُتِلَ"), "قتل");
        assert_eq!(normalize("الـــعراق"), "العراق");
        assert_eq!(normalize("a\u{200F}b\u{202B}c\u{FEFF}"), "abc");
    }

    #[test]
    fn presentation_forms_fold() {
        // U+FEFB is the lam-alef ligature; U+FE8D the isolated alef.
        assert_eq!(normalize("\u{FEFB}"), "لا");
        assert_eq!(normalize("\u{FE8D}"), "ا");
    }

    #[test]
    fn spans_map_back_with_attached_vowels() {
        let orig = "قُتِلَ الجنديُّ";
        let n = NormalizedText::new(orig);
        let norm = n.as_str();
        let at = norm.find("الجندي").unwrap();
        let span = n.to_original(at..at + "الجندي".len());
        assert_eq!(&orig[span], "الجنديُّ");
        let span = n.to_original(0.."قتل".len());
        assert_eq!(&orig[span], "قُتِلَ");
    }

    #[test]
    fn norm_offset_round_trips() {
        let orig = "قال \u{200F}مصدر";
        let n = NormalizedText::new(orig);
        let at = n.as_str().find("مصدر").unwrap();
        let span = n.to_original(at..n.as_str().len());
        assert_eq!(&orig[span], "مصدر");
        assert_eq!(n.to_norm(span), at..n.as_str().len());
    }

    #[test]
    fn is_normalized_agrees_with_normalize() {
        for s in
            ["", "abc", "Abc", "قال الرئيس", "قالَ", "أحمد", "مدرسة", "٢٠", "\u{200F}x", "\u{FEFB}", "ـ", "\u{FBB2}"]
        {
            assert_eq!(is_normalized(s), normalize(s) == s, "{s:?}");
        }
    }

    #[test]
    fn is_normalized_agrees_with_the_char_by_char_test() {
        // Every character of the ASCII range and the Arabic block alone, after a kept run, and before one.
        for c in (0..0x80).chain(0x0600..0x0700).chain([0xFB50, 0xFEFB, 0x200F, 0x0671, 0x06CC]) {
            let Some(c) = char::from_u32(c) else { continue };
            for s in [format!("{c}"), format!("قال{c}"), format!("{c}قال"), format!("ab{c}كلمة{c}")] {
                assert_eq!(is_normalized(&s), is_normalized_chars(&s), "{s:?}");
                assert_eq!(is_normalized(&s), normalize(&s) == s, "{s:?}");
            }
        }
    }

    proptest! {
        #[test]
        fn words_split_as_the_char_predicate(s in "\\PC{0,60}") {
            let want: Vec<&str> = s.split(|c: char| !is_word_char(c)).filter(|w| !w.is_empty()).collect();
            prop_assert_eq!(words(&s).collect::<Vec<_>>(), want);
        }
        #[test]
        fn is_normalized_is_normalize_fixed_point(s in "\\PC{0,30}") {
            prop_assert_eq!(is_normalized(&s), normalize(&s) == s);
        }

        #[test]
        fn is_normalized_agrees_on_arabic(s in "[\\x{0600}-\\x{06FF}\\x{FE70}-\\x{FE80}A-Za-z0-9 ]{0,20}") {
            prop_assert_eq!(is_normalized(&s), normalize(&s) == s);
        }

        #[test]
        fn every_normalised_range_maps_to_a_valid_span(s in "\\PC{0,60}") {
            let n = NormalizedText::new(&s);
            let t = n.as_str();
            let bounds: Vec<usize> = t.char_indices().map(|(i, _)| i).chain([t.len()]).collect();
            for (k, &a) in bounds.iter().enumerate() {
                for &b in &bounds[k..] {
                    let span = n.to_original(a..b);
                    prop_assert!(span.start <= span.end && span.end <= s.len());
                    prop_assert!(s.is_char_boundary(span.start) && s.is_char_boundary(span.end));
                }
            }
        }
    }
}
