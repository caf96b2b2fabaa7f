//! Counting whitespace-separated words eight bytes a step, as `str::split_whitespace` counts them: the bounded
//! count of the structure pass (labels, headlines, stop-word keys) and the word starts behind the framing counts.

/// `t.split_whitespace().take(limit + 1).count()`: the words of `t`, counted up to one more than `limit` with
/// [`word_starts`], 64 bytes (whole characters) a step until the count passes `limit`; the splitter counts when `t`
/// holds a white-space character outside ASCII.
pub(crate) fn words_up_to(t: &str, limit: usize) -> usize {
    let (mut n, mut prev_ws, mut exotic, mut at) = (0, true, false, 0);
    while at < t.len() {
        // A character is at most four bytes: a step always ends past `at`.
        let mut end = (at + 64).min(t.len());
        while !t.is_char_boundary(end) {
            end -= 1;
        }
        n += word_starts(t.as_bytes().get(at..end).unwrap_or_default(), &mut prev_ws, &mut exotic);
        if exotic {
            return t.split_whitespace().take(limit + 1).count();
        }
        if n > limit {
            return limit + 1;
        }
        at = end;
    }
    n
}

/// The bytes of `bytes` (whole characters) that are not ASCII white space and follow one that is (`prev_ws` for the
/// byte before them, updated); `exotic` set when a non-ASCII white-space character is among them. Eight bytes a
/// step ([`word_starts8`]); a character with a lead byte `C0`–`CF` or `E0`–`EF` is checked
/// ([`non_ascii_space`]), so quotes and dashes (`«»`, `“”`, `—`) no longer send the count to the splitter.
#[inline]
pub(crate) fn word_starts(bytes: &[u8], prev_ws: &mut bool, exotic: &mut bool) -> usize {
    let mut n = 0;
    let mut at = 0;
    while let Some(w) = bytes.get(at..at + 8).and_then(|c| <[u8; 8]>::try_from(c).ok()) {
        let (k, last, mut leads) = word_starts8(u64::from_le_bytes(w), *prev_ws);
        n += k;
        *prev_ws = last;
        while leads != 0 {
            let i = (leads.trailing_zeros() / 8) as usize;
            leads &= leads - 1;
            *exotic |= non_ascii_space(bytes.get(at + i..).unwrap_or_default());
        }
        at += 8;
    }
    let rest = bytes.get(at..).unwrap_or_default();
    for (i, &x) in rest.iter().enumerate() {
        let ws = is_ascii_ws(x);
        n += usize::from(*prev_ws & !ws);
        *prev_ws = ws;
        if matches!(x, 0xC2 | 0xE1 | 0xE2 | 0xE3) {
            *exotic |= non_ascii_space(rest.get(i..).unwrap_or_default());
        }
    }
    n
}

/// Whether `b` starts with the UTF-8 of a white-space character outside ASCII (`char::is_whitespace`: U+0085,
/// U+00A0, U+1680, U+2000–U+200A, U+2028, U+2029, U+202F, U+205F, U+3000).
#[inline]
pub(crate) fn non_ascii_space(b: &[u8]) -> bool {
    matches!(
        b,
        [0xC2, 0x85 | 0xA0, ..]
            | [0xE1, 0x9A, 0x80, ..]
            | [0xE2, 0x80, 0x80..=0x8A | 0xA8 | 0xA9 | 0xAF, ..]
            | [0xE2, 0x81, 0x9F, ..]
            | [0xE3, 0x80, 0x80, ..]
    )
}

/// ASCII white space as `char::is_whitespace` has it: space, `\t`, `\n`, `\x0B`, `\x0C`, `\r`.
#[inline]
pub(crate) fn is_ascii_ws(x: u8) -> bool {
    x == b' ' || x.wrapping_sub(b'\t') <= b'\r' - b'\t'
}

/// For eight bytes (`v`, little-endian) after a byte that was ASCII white space or not (`prev_ws`): how many
/// words start among them, whether the last is white space, and a mask of the bytes `C0`–`CF` and `E0`–`EF`
/// (bit 7 of each). Without branches: a byte's bit 7 marks, per mask, white space (`' '`, `\t`–`\r`: exact tests
/// on the low seven bits, no byte `80`–`FF` is one).
#[inline]
pub(crate) fn word_starts8(v: u64, prev_ws: bool) -> (usize, bool, u64) {
    const HI: u64 = 0x8080_8080_8080_8080;
    const LO7: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    const ONES: u64 = 0x0101_0101_0101_0101;
    let low = v & LO7;
    // A byte of `z` (at most 7F) is zero exactly when adding 7F leaves its bit 7 clear.
    let z = low ^ (ONES * u64::from(b' '));
    let space = !((z + LO7) | z) & HI;
    let ge_tab = (low + ONES * (0x80 - 0x09)) & HI;
    let ge_so = (low + ONES * (0x80 - 0x0E)) & HI;
    let ws = (space | (ge_tab & !ge_so)) & !(v & HI);
    let before = (ws << 8) | if prev_ws { 0x80 } else { 0 };
    let starts = !ws & HI & before;
    let count = ((starts >> 7).wrapping_mul(ONES) >> 56) as usize;
    let leads = v & (v << 1) & !(v << 3) & HI;
    (count, ws >> 63 != 0, leads)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_starts8_reads_every_byte() {
        // Every byte value in every position, after white space and after a word byte.
        for x in 0..=255u8 {
            for k in 0..8 {
                for prev_ws in [false, true] {
                    let mut w = [b'a'; 8];
                    w[k] = x;
                    let ws = |b: u8| b.is_ascii_whitespace() || b == 0x0B;
                    let want = (0..8).filter(|&i| !ws(w[i]) && if i == 0 { prev_ws } else { ws(w[i - 1]) }).count();
                    let lead = (0xC0..=0xCF).contains(&x) || (0xE0..=0xEF).contains(&x);
                    let (n, last, leads) = word_starts8(u64::from_le_bytes(w), prev_ws);
                    assert_eq!((n, last, leads != 0), (want, ws(w[7]), lead), "{x:#x} at {k}, {prev_ws}");
                }
            }
        }
    }

    #[test]
    fn words_up_to_is_the_bounded_splitter_count() {
        let cases = [
            "",
            " ",
            "كلمة",
            "  قال  الوزير\tأمس\n\nإن ",
            "a\u{0B}b\u{0C}c\r\nd e f g h i j k l m n o p q r s t u v w x y z",
            "x\u{85}y\u{A0}z\u{1680}w\u{2003}v\u{2028}u\u{202F}t\u{205F}s\u{3000}r",
            "\u{200B}zero-width\u{FEFF}is\u{200C}not space",
            "mixed 123 ، كلمات. end ",
            "©2018 €5 «قال» — ؟",
            "قال\u{A0}الوزير «نعم» في بيان صدر اليوم عن وزارة الخارجية في العاصمة",
            "وقال المتحدث باسم الوزارة إن 5 جنود قتلوا في هجوم شنه مسلحون على نقطة تفتيش قرب الحدود الشمالية للبلاد امس",
        ];
        for s in cases {
            let bounds: Vec<usize> = s.char_indices().map(|(i, _)| i).chain([s.len()]).collect();
            for &a in &bounds {
                let t = &s[a..];
                for limit in [0, 1, 3, 6, 25] {
                    assert_eq!(words_up_to(t, limit), t.split_whitespace().take(limit + 1).count(), "{t:?} {limit}");
                }
            }
        }
    }

    #[test]
    fn non_ascii_spaces_are_the_white_space_characters() {
        for c in (0x80..0x11000).filter_map(char::from_u32) {
            let mut buf = [0u8; 4];
            let b = c.encode_utf8(&mut buf).as_bytes();
            assert_eq!(non_ascii_space(b), c.is_whitespace(), "{c:?}");
            assert_eq!(non_ascii_space(&[b, b"x"].concat()), c.is_whitespace(), "{c:?}");
        }
    }
}
