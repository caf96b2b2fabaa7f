//! Byte spans into an article's original text, and the code-point index that turns them into output offsets.

use std::ops::{Index, Range};

/// A half-open byte range `[start, end)` into the ORIGINAL text of a document.
///
/// Every span rasid reports is of this type until the output layer converts it to code-point offsets with a
/// [`CharIndex`] built once per document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    /// Creates a span; `start <= end` is a caller invariant checked in debug builds.
    #[inline]
    pub fn new(start: usize, end: usize) -> Span {
        debug_assert!(start <= end, "span start {start} after end {end}");
        Span { start, end }
    }

    #[inline]
    pub fn len(self) -> usize {
        self.end - self.start
    }

    #[inline]
    pub fn is_empty(self) -> bool {
        self.start == self.end
    }

    /// Whether `other` lies entirely inside `self`.
    #[inline]
    pub fn contains(self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    /// Whether the two spans share at least one byte.
    #[inline]
    pub fn overlaps(self, other: Span) -> bool {
        self.start < other.end && other.start < self.end
    }

    /// The smallest span covering both.
    #[inline]
    pub fn cover(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }

    #[inline]
    pub fn range(self) -> Range<usize> {
        self.start..self.end
    }
}

impl From<Range<usize>> for Span {
    fn from(r: Range<usize>) -> Span {
        Span::new(r.start, r.end)
    }
}

impl Index<Span> for str {
    type Output = str;
    #[inline]
    fn index(&self, span: Span) -> &str {
        &self[span.start..span.end]
    }
}

impl Index<Span> for String {
    type Output = str;
    #[inline]
    fn index(&self, span: Span) -> &str {
        &self[span.start..span.end]
    }
}

/// Converts byte offsets of one text into Unicode code-point offsets (what Python's `str` indexes).
///
/// Built once per document in one pass over the bytes: one bit per byte marks where a character starts, and
/// every 64-byte block keeps the count of characters before it, so a look-up is one population count.
#[derive(Debug, Clone, Default)]
pub struct CharIndex {
    /// Per 64-byte block (one more than the text has, for the offset at the very end): bit `i` is set when byte
    /// `64 * block + i` starts a character.
    starts: Vec<u64>,
    /// Per block: the characters that start before it.
    before: Vec<usize>,
    len: usize,
}

/// The top bit of each byte of a `u64`.
const HIGH_BITS: u64 = 0x8080_8080_8080_8080;

impl CharIndex {
    pub fn new(text: &str) -> CharIndex {
        let bytes = text.as_bytes();
        let blocks = bytes.len() / 64 + 1;
        let mut starts = Vec::with_capacity(blocks);
        let mut before = Vec::with_capacity(blocks);
        let mut count = 0usize;
        for block in bytes.chunks(64) {
            let mut bits = 0u64;
            if block.len() == 64 {
                // Eight bytes at a time: the flags land on each byte's top bit, and one multiplication gathers
                // the eight into a byte (the partial products never meet, so nothing carries).
                for (k, w) in block.chunks_exact(8).enumerate() {
                    let x = u64::from_le_bytes(w.try_into().unwrap_or([0; 8]));
                    let continuation = x & !(x << 1) & HIGH_BITS;
                    let starts = (!continuation & HIGH_BITS) >> 7;
                    bits |= (starts.wrapping_mul(0x0102_0408_1020_4080) >> 56) << (8 * k);
                }
            } else {
                for (i, &b) in block.iter().enumerate() {
                    // Every byte but a continuation byte (10xxxxxx) starts a character.
                    bits |= u64::from(b & 0xC0 != 0x80) << i;
                }
            }
            starts.push(bits);
            before.push(count);
            count += bits.count_ones() as usize;
        }
        starts.push(0);
        before.push(count);
        CharIndex { starts, before, len: text.len() }
    }

    /// The code-point offset of byte offset `byte` (which must be a char boundary, or the text length).
    pub fn char_offset(&self, byte: usize) -> usize {
        // Past the end (never for a span of the text): the characters of the text, then one a byte.
        if byte > self.len {
            return self.before.last().copied().unwrap_or(0) + (byte - self.len);
        }
        let (block, bit) = (byte / 64, byte % 64);
        match (self.starts.get(block), self.before.get(block)) {
            (Some(&bits), Some(&before)) => before + (bits & ((1u64 << bit) - 1)).count_ones() as usize,
            _ => self.before.last().copied().unwrap_or(0),
        }
    }

    /// The code-point offsets `(start, end)` of a byte span.
    pub fn char_span(&self, span: Span) -> (usize, usize) {
        (self.char_offset(span.start), self.char_offset(span.end))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn char_offsets_match_python_indexing() {
        let text = "ab بغداد c😀d";
        let idx = CharIndex::new(text);
        for (chars, (byte, _)) in text.char_indices().enumerate() {
            assert_eq!(idx.char_offset(byte), chars);
        }
        assert_eq!(idx.char_offset(text.len()), text.chars().count());
    }

    #[test]
    fn char_offsets_across_blocks() {
        // Lengths around the 64-byte block size, mixed widths.
        for n in [0usize, 1, 21, 31, 32, 33, 63, 64, 65, 100, 128, 129] {
            let text: String = (0..n).map(|i| ['a', 'ب', '€', '😀'][i % 4]).collect();
            let idx = CharIndex::new(&text);
            for (chars, (byte, _)) in text.char_indices().enumerate() {
                assert_eq!(idx.char_offset(byte), chars, "{n} {byte}");
            }
            assert_eq!(idx.char_offset(text.len()), text.chars().count());
        }
    }

    #[test]
    fn offsets_past_the_end_count_one_a_byte() {
        // Total on any offset: past the end, the text's characters and then one a byte (never a panic).
        let text = "بغداد";
        let idx = CharIndex::new(text);
        assert_eq!(idx.char_offset(text.len() + 3), 5 + 3);
        assert_eq!(CharIndex::new("").char_offset(200), 200);
    }

    #[test]
    fn span_indexes_str() {
        let text = "قال مصدر";
        let s = Span::new(0, "قال".len());
        assert_eq!(&text[s], "قال");
        assert!(Span::new(0, 4).overlaps(Span::new(3, 5)));
        assert!(!Span::new(0, 3).overlaps(Span::new(3, 5)));
    }
}
