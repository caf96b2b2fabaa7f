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

/// Converts byte offsets of one text into Unicode code-point offsets (what Python's `str` indexes).
///
/// Built once per document in one pass; look-ups are a binary search over the positions of multi-byte
/// characters, so ASCII-heavy and Arabic-heavy text both cost `O(log n)` per offset without a per-byte table.
#[derive(Debug, Clone, Default)]
pub struct CharIndex {
    /// Byte offsets of characters wider than one byte, with the extra bytes accumulated before them.
    wide: Vec<(usize, usize)>,
    len: usize,
}

impl CharIndex {
    pub fn new(text: &str) -> CharIndex {
        let mut wide = Vec::new();
        let mut extra = 0usize;
        for (at, ch) in text.char_indices() {
            let w = ch.len_utf8();
            if w > 1 {
                extra += w - 1;
                wide.push((at, extra));
            }
        }
        CharIndex { wide, len: text.len() }
    }

    /// The code-point offset of byte offset `byte` (which must be a char boundary, or the text length).
    pub fn char_offset(&self, byte: usize) -> usize {
        debug_assert!(byte <= self.len);
        // Characters strictly before `byte` that are wide contribute their extra bytes.
        let n = self.wide.partition_point(|&(at, _)| at < byte);
        let extra = if n == 0 { 0 } else { self.wide[n - 1].1 };
        byte - extra
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
    fn span_indexes_str() {
        let text = "قال مصدر";
        let s = Span::new(0, "قال".len());
        assert_eq!(&text[s], "قال");
        assert!(Span::new(0, 4).overlaps(Span::new(3, 5)));
        assert!(!Span::new(0, 3).overlaps(Span::new(3, 5)));
    }
}
