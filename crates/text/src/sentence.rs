//! Paragraph and sentence segmentation over the original text, aware of Arabic punctuation, quotes,
//! ellipses, numbers and abbreviations.
//!
//! - A paragraph is a maximal run of non-blank text between line breaks (`\n`, `\r\n`, U+2029), trimmed.
//! - A sentence ends after `.`, `!`, `?`, `؟` (and runs of them), extended over closing quotes and brackets,
//!   when the next character is white space or the paragraph ends. It does not end:
//!   - at `..`, `...` or `…` (in Arabic news these mark a pause inside a sentence or a headline);
//!   - at a `.` between digits (`3.5`), or after an abbreviation from the abbreviation list (`د.`, `أ.ب`);
//!   - inside a quotation (« », “ ”, or paired ASCII `"`) that closes later in the same paragraph.
//! - `،` and `؛` are clause punctuation, never sentence ends.

use crate::span::Span;

/// Upper bound on the length of one sentence, in bytes: a paragraph without any sentence end (a scraped table,
/// a single 100 MB line) is cut into pieces no longer than this, at the nearest white space, so that every
/// later stage does bounded work per sentence.
pub const MAX_SENTENCE_BYTES: usize = 8 * 1024;

/// Abbreviations (normalised keys, one per line, without the final dot) that a `.` does not end a sentence after.
const ABBREVIATIONS: &str = include_str!("../../../data/text/abbreviations.txt");

/// Segments text into paragraphs and sentences. Built once; holds the abbreviation list.
#[derive(Debug, Clone)]
pub struct Segmenter {
    abbreviations: Vec<String>,
}

impl Default for Segmenter {
    fn default() -> Self {
        Segmenter::new()
    }
}

impl Segmenter {
    pub fn new() -> Segmenter {
        let mut abbreviations: Vec<String> = ABBREVIATIONS
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(String::from)
            .collect();
        abbreviations.sort();
        abbreviations.dedup();
        Segmenter { abbreviations }
    }

    /// Appends the paragraphs of `text` to `out`.
    pub fn paragraphs(&self, text: &str, out: &mut Vec<Span>) {
        let mut start = 0;
        let bytes = text.as_bytes();
        let mut i = 0;
        while i <= bytes.len() {
            // Eight bytes at a time past those that hold neither a line feed nor the lead byte of U+2029.
            while let Some(w) = bytes.get(i..i + 8) {
                let x = u64::from_le_bytes(w.try_into().unwrap_or([b'\n'; 8]));
                if has_byte(x, b'\n') || has_byte(x, 0xE2) {
                    break;
                }
                i += 8;
            }
            // A line feed, U+2029 PARAGRAPH SEPARATOR (E2 80 A9), or the end of the text.
            let end_here = i == bytes.len()
                || bytes[i] == b'\n'
                || (bytes[i] == 0xE2 && bytes.get(i + 1) == Some(&0x80) && bytes.get(i + 2) == Some(&0xA9));
            if end_here {
                if let Some(p) = trim(text, Span::new(start, i)) {
                    out.push(p);
                }
                let step = if i < bytes.len() && bytes[i] == 0xE2 { 3 } else { 1 };
                start = i + step;
                i += step;
            } else {
                i += 1;
            }
        }
    }

    /// Appends the sentences of one paragraph span of `text` to `out`.
    pub fn sentences(&self, text: &str, paragraph: Span, out: &mut Vec<Span>) {
        let para = &text[paragraph];
        let first = out.len();
        if !self.split(para, paragraph.start, true, out) {
            // A quotation that never closes: segment again ignoring quotes.
            out.truncate(first);
            self.split(para, paragraph.start, false, out);
        }
    }

    /// Splits one paragraph; returns false if quote tracking was on and a quote was left open.
    ///
    /// Only quotes and terminal punctuation change anything, so the scan jumps from one to the next over the
    /// bytes ([`next_special`]) instead of decoding every character.
    fn split(&self, para: &str, base: usize, track_quotes: bool, out: &mut Vec<Span>) -> bool {
        let mut depth: i32 = 0;
        let mut ascii_open = false;
        let mut start = 0usize;
        let mut from = 0usize;
        while let Some(at) = next_special(para.as_bytes(), from) {
            let Some(c) = para.get(at..).and_then(|r| r.chars().next()) else { break };
            let after = at + c.len_utf8();
            match c {
                '«' | '“' if track_quotes => depth += 1,
                '»' | '”' if track_quotes => depth = (depth - 1).max(0),
                '"' if track_quotes => {
                    ascii_open = !ascii_open;
                }
                _ => {}
            }
            let in_quote = track_quotes && (depth > 0 || ascii_open);
            // A quotation that closes right after a sentence end closes the sentence too: `قال: "انتهى." ثم`.
            let closed_now = track_quotes && !in_quote && matches!(c, '»' | '”' | '"');
            if closed_now {
                let before = &para[..at];
                let prev = before.chars().next_back();
                let prev2 = prev.and_then(|p| before[..before.len() - p.len_utf8()].chars().next_back());
                if prev.is_some_and(is_terminal) && prev2 != Some('.') {
                    let end = skip_closers(para, after);
                    if space_or_end(para, end) {
                        push_bounded(para, base, start, end, out);
                        start = end;
                        from = end;
                        continue;
                    }
                }
            }
            if is_terminal(c) && !in_quote {
                // Take the whole run of terminal punctuation.
                let mut run_end = after;
                while let Some(n) = para[run_end..].chars().next().filter(|&n| is_terminal(n) || n == '…') {
                    run_end += n.len_utf8();
                }
                let run = &para[at..run_end];
                let is_ellipsis = c == '.' && run.len() >= 2 && run.bytes().all(|b| b == b'.');
                let boundary = !(is_ellipsis || c == '.' && run_end == after && self.dot_continues(para, at))
                    && space_or_end(para, skip_closers(para, run_end));
                if boundary {
                    // Extend over closing quotes and brackets.
                    let end = skip_closers(para, run_end);
                    push_bounded(para, base, start, end, out);
                    start = end;
                    from = end;
                } else {
                    from = run_end;
                }
                continue;
            }
            from = after;
        }
        if start < para.len() {
            push_bounded(para, base, start, para.len(), out);
        }
        !(track_quotes && (depth > 0 || ascii_open))
    }

    /// Whether the single `.` at byte `at` continues the sentence: a decimal point or an abbreviation.
    fn dot_continues(&self, para: &str, at: usize) -> bool {
        let prev = para[..at].chars().next_back();
        let next = para[at + 1..].chars().next();
        if prev.is_some_and(|c| c.is_ascii_digit()) && next.is_some_and(|c| c.is_ascii_digit()) {
            return true;
        }
        // The word before the dot.
        let word_start = para[..at]
            .char_indices()
            .rev()
            .find(|&(_, c)| c.is_whitespace() || c == '(' || c == '«' || c == '"')
            .map_or(0, |(p, c)| p + c.len_utf8());
        let word = &para[word_start..at];
        if word.is_empty() {
            return false;
        }
        // A single letter followed by a dot is an initial (أ. د. U.S.).
        if word.chars().count() == 1 && word.chars().all(char::is_alphabetic) {
            return true;
        }
        self.is_abbreviation(word)
    }

    /// Whether `word` normalises to a listed abbreviation. A word already normalised (nearly every one) is
    /// looked up as it is: normalising it would only copy it, through three allocations.
    fn is_abbreviation(&self, word: &str) -> bool {
        if crate::normalize::is_normalized(word) {
            return self.abbreviations.binary_search_by(|a| a.as_str().cmp(word)).is_ok();
        }
        let key = crate::normalize::normalize(word);
        self.abbreviations.binary_search(&key).is_ok()
    }

    /// The character-by-character splitter [`Segmenter::split`] replaced, kept to check it against.
    #[cfg(test)]
    fn split_reference(&self, para: &str, base: usize, track_quotes: bool, out: &mut Vec<Span>) -> bool {
        let chars: Vec<(usize, char)> = para.char_indices().collect();
        let mut depth: i32 = 0;
        let mut ascii_open = false;
        let mut start = 0usize;
        let mut k = 0;
        while k < chars.len() {
            let (at, c) = chars[k];
            match c {
                '«' | '“' if track_quotes => depth += 1,
                '»' | '”' if track_quotes => depth = (depth - 1).max(0),
                '"' if track_quotes => {
                    ascii_open = !ascii_open;
                }
                _ => {}
            }
            let in_quote = track_quotes && (depth > 0 || ascii_open);
            // A quotation that closes right after a sentence end closes the sentence too: `قال: "انتهى." ثم`.
            let closed_now = track_quotes && !in_quote && matches!(c, '»' | '”' | '"');
            if closed_now && k > 0 && is_terminal(chars[k - 1].1) && !(k > 1 && chars[k - 2].1 == '.') {
                let mut j = k;
                while j + 1 < chars.len() && is_closer(chars[j + 1].1) {
                    j += 1;
                }
                if next_is_space_or_end(&chars, j) {
                    let end = chars[j].0 + chars[j].1.len_utf8();
                    push_bounded(para, base, start, end, out);
                    start = end;
                    k = j + 1;
                    continue;
                }
            }
            if is_terminal(c) && !in_quote {
                // Take the whole run of terminal punctuation.
                let mut j = k;
                while j + 1 < chars.len() && (is_terminal(chars[j + 1].1) || chars[j + 1].1 == '…') {
                    j += 1;
                }
                let run = &para[at..chars[j].0 + chars[j].1.len_utf8()];
                let is_ellipsis = c == '.' && run.len() >= 2 && run.bytes().all(|b| b == b'.');
                let boundary = !(is_ellipsis || c == '.' && self.dot_continues_reference(para, &chars, k, j))
                    && next_is_space_or_end(&chars, j);
                if boundary {
                    // Extend over closing quotes and brackets.
                    while j + 1 < chars.len() && is_closer(chars[j + 1].1) {
                        j += 1;
                    }
                    let end = chars[j].0 + chars[j].1.len_utf8();
                    push_bounded(para, base, start, end, out);
                    start = end;
                }
                k = j + 1;
                continue;
            }
            k += 1;
        }
        if start < para.len() {
            push_bounded(para, base, start, para.len(), out);
        }
        !(track_quotes && (depth > 0 || ascii_open))
    }

    /// Whether the `.` at `chars[k]` (run to `j`) continues the sentence: a decimal point or an abbreviation.
    #[cfg(test)]
    fn dot_continues_reference(&self, para: &str, chars: &[(usize, char)], k: usize, j: usize) -> bool {
        if j != k {
            return false;
        }
        let prev = k.checked_sub(1).map(|p| chars[p].1);
        let next = chars.get(k + 1).map(|&(_, c)| c);
        if prev.is_some_and(|c| c.is_ascii_digit()) && next.is_some_and(|c| c.is_ascii_digit()) {
            return true;
        }
        // The word before the dot.
        let word_start = chars[..k]
            .iter()
            .rposition(|&(_, c)| c.is_whitespace() || c == '(' || c == '«' || c == '"')
            .map_or(0, |p| chars[p].0 + chars[p].1.len_utf8());
        let word = &para[word_start..chars[k].0];
        if word.is_empty() {
            return false;
        }
        // A single letter followed by a dot is an initial (أ. د. U.S.).
        if word.chars().count() == 1 && word.chars().all(char::is_alphabetic) {
            return true;
        }
        let key = crate::normalize::normalize(word);
        self.abbreviations.binary_search(&key).is_ok()
    }
}

#[inline]
fn is_terminal(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '؟')
}

#[inline]
fn is_closer(c: char) -> bool {
    matches!(c, '»' | '”' | '"' | '\'' | '’' | ')' | ']')
}

#[cfg(test)]
fn next_is_space_or_end(chars: &[(usize, char)], j: usize) -> bool {
    let mut n = j + 1;
    while n < chars.len() && is_closer(chars[n].1) {
        n += 1;
    }
    n >= chars.len() || chars[n].1.is_whitespace()
}

/// Whether any byte of `x` is `b` (the zero-byte test on `x ^ b…b`: exact as to whether there is one).
#[inline]
fn has_byte(x: u64, b: u8) -> bool {
    let v = x ^ (u64::from(b) * 0x0101_0101_0101_0101);
    v.wrapping_sub(0x0101_0101_0101_0101) & !v & 0x8080_8080_8080_8080 != 0
}

/// The byte offset of the next quote or terminal punctuation mark at or after byte `from`: `.` `!` `?` `"`, `؟`
/// (D8 9F), `«` `»` (C2 AB, C2 BB), `“` `”` (E2 80 9C, E2 80 9D). The lead bytes tested never occur inside a
/// character, so the offset is a character boundary.
#[inline]
fn next_special(b: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    while let Some(&x) = b.get(i) {
        let hit = match x {
            b'.' | b'!' | b'?' | b'"' => true,
            0xD8 => b.get(i + 1) == Some(&0x9F),
            0xC2 => matches!(b.get(i + 1), Some(0xAB | 0xBB)),
            0xE2 => b.get(i + 1) == Some(&0x80) && matches!(b.get(i + 2), Some(0x9C | 0x9D)),
            _ => false,
        };
        if hit {
            return Some(i);
        }
        i += 1;
    }
    None
}

/// The byte offset after the closing quotes and brackets that start at byte `at`.
#[inline]
fn skip_closers(para: &str, mut at: usize) -> usize {
    while let Some(c) = para.get(at..).and_then(|r| r.chars().next()).filter(|&c| is_closer(c)) {
        at += c.len_utf8();
    }
    at
}

/// Whether byte `at` is the end of `para` or starts white space.
#[inline]
fn space_or_end(para: &str, at: usize) -> bool {
    para.get(at..).and_then(|r| r.chars().next()).is_none_or(char::is_whitespace)
}

/// Pushes `para[start..end]` (trimmed) as sentences no longer than [`MAX_SENTENCE_BYTES`].
fn push_bounded(para: &str, base: usize, start: usize, end: usize, out: &mut Vec<Span>) {
    let mut s = start;
    while end - s > MAX_SENTENCE_BYTES {
        let mut cut = s + MAX_SENTENCE_BYTES;
        while !para.is_char_boundary(cut) {
            cut -= 1;
        }
        // Prefer the last white space before the cut.
        if let Some(ws) = para[s..cut].rfind(char::is_whitespace) {
            if ws > 0 {
                cut = s + ws;
            }
        }
        if let Some(t) = trim(para, Span::new(s, cut)) {
            out.push(Span::new(t.start + base, t.end + base));
        }
        s = cut;
    }
    if let Some(t) = trim(para, Span::new(s, end)) {
        out.push(Span::new(t.start + base, t.end + base));
    }
}

/// The span without leading and trailing white space (and invisible controls), or None if nothing is left.
fn trim(text: &str, span: Span) -> Option<Span> {
    let s = &text[span];
    let is_blank =
        |c: char| c.is_whitespace() || matches!(c, '\u{200B}'..='\u{200F}' | '\u{FEFF}' | '\u{2066}'..='\u{2069}');
    let lead = s.len() - s.trim_start_matches(is_blank).len();
    let trimmed = s.trim_matches(is_blank);
    if trimmed.is_empty() {
        return None;
    }
    let start = span.start + lead;
    Some(Span::new(start, start + trimmed.len()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn sentences(text: &str) -> Vec<&str> {
        let seg = Segmenter::new();
        let mut paras = Vec::new();
        seg.paragraphs(text, &mut paras);
        let mut out = Vec::new();
        for p in paras {
            seg.sentences(text, p, &mut out);
        }
        out.into_iter().map(|s| &text[s]).collect()
    }

    #[test]
    fn splits_on_arabic_and_latin_terminals() {
        assert_eq!(
            sentences("قال المصدر إن الهجوم وقع. هل انتهى؟ نعم! ثم غادر"),
            vec!["قال المصدر إن الهجوم وقع.", "هل انتهى؟", "نعم!", "ثم غادر"]
        );
    }

    #[test]
    fn clause_punctuation_does_not_split() {
        assert_eq!(sentences("وصل الوفد، ثم غادر؛ بينما بقي آخرون."), vec!["وصل الوفد، ثم غادر؛ بينما بقي آخرون."]);
    }

    #[test]
    fn ellipses_numbers_and_initials_do_not_split() {
        assert_eq!(sentences("مليشيا جديدة.. من هي؟"), vec!["مليشيا جديدة.. من هي؟"]);
        assert_eq!(sentences("بلغ النمو 3.5 في المئة. وتراجع"), vec!["بلغ النمو 3.5 في المئة.", "وتراجع"]);
        assert_eq!(sentences("قال د. أحمد إن الوضع هادئ."), vec!["قال د. أحمد إن الوضع هادئ."]);
        assert_eq!(sentences("انتظر... ثم تكلم."), vec!["انتظر... ثم تكلم."]);
    }

    #[test]
    fn quotes_stay_whole_and_closers_attach() {
        assert_eq!(sentences("وقال إنه «لن نتراجع. سنواصل». وغادر."), vec!["وقال إنه «لن نتراجع. سنواصل».", "وغادر."]);
        assert_eq!(sentences("قال: \"انتهى الأمر.\" ثم صمت."), vec!["قال: \"انتهى الأمر.\"", "ثم صمت."]);
        // An unclosed quote does not swallow the paragraph.
        assert_eq!(sentences("قال «لن نتراجع. ثم غادر."), vec!["قال «لن نتراجع.", "ثم غادر."]);
    }

    #[test]
    fn abbreviations_are_found_as_through_normalisation() {
        let seg = Segmenter::new();
        let words = ["dr", "Dr", "DR", "etc", "ص", "صـ", "هـ", "ه", "ق.م", "ق.مـ", "د", "أحمد", "إلخ", "الخ", "", "x"];
        for w in words.into_iter().chain(seg.abbreviations.iter().map(String::as_str)) {
            let key = crate::normalize::normalize(w);
            assert_eq!(seg.is_abbreviation(w), seg.abbreviations.binary_search(&key).is_ok(), "{w}");
        }
    }

    #[test]
    fn paragraphs_split_on_line_breaks() {
        let text = "  أول سطر\r\n\n ثاني سطر \u{2029}ثالث";
        let seg = Segmenter::new();
        let mut paras = Vec::new();
        seg.paragraphs(text, &mut paras);
        let got: Vec<&str> = paras.iter().map(|&p| &text[p]).collect();
        assert_eq!(got, vec!["أول سطر", "ثاني سطر", "ثالث"]);
    }

    /// [`Segmenter::paragraphs`] byte by byte, as it was before the eight-byte skip.
    fn paragraphs_reference(text: &str) -> Vec<Span> {
        let (bytes, mut out, mut start, mut i) = (text.as_bytes(), Vec::new(), 0, 0);
        while i <= bytes.len() {
            let end_here = i == bytes.len()
                || bytes[i] == b'\n'
                || (bytes[i] == 0xE2 && bytes.get(i + 1) == Some(&0x80) && bytes.get(i + 2) == Some(&0xA9));
            if end_here {
                out.extend(trim(text, Span::new(start, i)));
                let step = if i < bytes.len() && bytes[i] == 0xE2 { 3 } else { 1 };
                start = i + step;
                i += step;
            } else {
                i += 1;
            }
        }
        out
    }

    #[test]
    fn eight_byte_skip_splits_paragraphs_as_the_byte_loop() {
        let pieces = ["قال", " ", "\n", "\r\n", "\u{2029}", "–", "“", "a", "bc", "\n\n", "،"];
        let mut rng = crate::rng::SplitMix64(3);
        let seg = Segmenter::new();
        for _ in 0..2000 {
            let text: String = (0..rng.below(30)).map(|_| pieces[rng.below(pieces.len())]).collect();
            let mut got = Vec::new();
            seg.paragraphs(&text, &mut got);
            assert_eq!(got, paragraphs_reference(&text), "{text:?}");
        }
    }

    #[test]
    fn long_paragraph_is_cut_at_white_space() {
        let text = "كلمة ".repeat(5000);
        for s in sentences(&text) {
            assert!(s.len() <= MAX_SENTENCE_BYTES);
        }
    }

    /// Both splitters over `text` (one paragraph), with and without quote tracking.
    fn both_splits(text: &str) -> [(bool, Vec<Span>, bool, Vec<Span>); 2] {
        let seg = Segmenter::new();
        [true, false].map(|track| {
            let (mut a, mut b) = (Vec::new(), Vec::new());
            let ra = seg.split(text, 7, track, &mut a);
            let rb = seg.split_reference(text, 7, track, &mut b);
            (ra, a, rb, b)
        })
    }

    #[test]
    fn byte_scan_splits_as_the_character_scan() {
        for text in [
            "قال «لن نتراجع.» ثم \"غادر.\" وعاد!! هل؟؟ نعم... لا… د. أحمد 3.5 U.S. بلغ.",
            "\"قال.\"\" ثم».) أخيرا؟» (ب. ج.) ”انتهى.“ ؟!’ وأخيرا.",
            "أ.ب. .. . .\" \"«»“” .»» ok. x.y 1.2. 2. ",
            "قال \"انتظر..\" ثم «قف!» و“كفى؟”) لا «أ.» نعم",
        ] {
            for (ra, a, rb, b) in both_splits(text) {
                assert_eq!((ra, a), (rb, b), "{text}");
            }
        }
    }

    proptest! {
        #[test]
        fn byte_scan_splits_as_the_character_scan_on_any_text(
            s in "([ .!?؟«»“”\"'’)\\]…(a-zأبدج0-9\u{0600}-\u{06FF}\u{2000}-\u{2030}]|د\\.|\\.\\.){0,60}"
        ) {
            for (ra, a, rb, b) in both_splits(&s) {
                prop_assert_eq!((ra, a), (rb, b));
            }
        }

        #[test]
        fn sentences_are_ordered_trimmed_slices(s in "\\PC{0,200}") {
            let seg = Segmenter::new();
            let mut paras = Vec::new();
            seg.paragraphs(&s, &mut paras);
            let mut out = Vec::new();
            for p in &paras {
                seg.sentences(&s, *p, &mut out);
            }
            let mut last = 0;
            for span in out {
                prop_assert!(span.start >= last && span.start < span.end && span.end <= s.len());
                prop_assert!(s.is_char_boundary(span.start) && s.is_char_boundary(span.end));
                prop_assert!(!s[span].starts_with(char::is_whitespace));
                last = span.end;
            }
        }
    }
}
