//! Word-bounded key tables: every key of a list (a name, a trigger form) and every prefix of one that ends before
//! a non-word character, by a hash taken eight bytes a step, for searches that walk text from one word end to the
//! next (the dictionary matcher's names, the events lexicon's trigger forms).
//!
//! A key found in text can only end where the text's next character is not a word character, so the search from
//! a start hashes the text up to each such place in turn and looks the prefix up while longer keys continue it: a
//! cache line or two a word, where an Aho-Corasick automaton touches a state a byte. A small bit set of the keys'
//! first words answers first, for most starts, that no key starts there, without touching the table.

use std::collections::{HashMap, HashSet};

/// The hash of a key or of a stretch of text: eight bytes a step (the last step the last eight bytes, which may
/// overlap the one before; shorter keys in one step), then mixed so that every bit depends on every byte. A
/// [`KeyTable`] takes its top bits for the slot and for the first-word set, and its low half as the tag. In memory
/// only, never stored.
#[inline]
pub fn key_hash(b: &[u8]) -> u64 {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let step = |h: u64, w: u64| (h.rotate_left(5) ^ w).wrapping_mul(K);
    let n = b.len();
    let word = |at: usize| b.get(at..at + 8).and_then(|w| <[u8; 8]>::try_from(w).ok()).map_or(0, u64::from_le_bytes);
    let half = |at: usize| b.get(at..at + 4).and_then(|w| <[u8; 4]>::try_from(w).ok()).map_or(0, u32::from_le_bytes);
    let mut h = n as u64;
    if n >= 8 {
        let mut i = 0;
        while i + 8 <= n {
            h = step(h, word(i));
            i += 8;
        }
        if i < n {
            h = step(h, word(n - 8));
        }
    } else if n >= 4 {
        h = step(h, u64::from(half(0)) | u64::from(half(n - 4)) << 32);
    } else if let (Some(&x), Some(&y), Some(&z)) = (b.first(), b.get(n / 2), b.last()) {
        h = step(h, u64::from(x) | u64::from(y) << 8 | u64::from(z) << 16);
    }
    (h ^ (h >> 32)).wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

/// No pattern in a [`Slot`].
const NO_PATTERN: u32 = u32::MAX;
/// The bit of [`Slot::len_more`] saying that longer keys continue the key.
const MORE: u32 = 1 << 31;

/// One key of the [`KeyTable`]: 16 bytes, four to a cache line.
#[derive(Debug, Clone, Copy, Default)]
struct Slot {
    /// The key's hash ([`key_hash`]), lower half (the top bits pick the slot).
    tag: u32,
    /// Where the key's bytes start in [`KeyTable::arena`].
    at: u32,
    /// The key's length in bytes, with [`MORE`] set when a longer key starts with the key and a non-word
    /// character.
    len_more: u32,
    /// The pattern the key is, or [`NO_PATTERN`] for a prefix only.
    pattern: u32,
}

impl Slot {
    #[inline]
    fn len(self) -> usize {
        (self.len_more & !MORE) as usize
    }
}

/// What [`KeyTable::get`] found for a stretch of text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Found {
    /// The pattern (index into the keys the table was built from) the text is, if it is one.
    pub pattern: Option<u32>,
    /// Some longer key starts with the text and a non-word character: the search goes on to the next word end.
    /// (Unchecked against the text's bytes: on a rare hash collision the search goes on for nothing.)
    pub more: bool,
}

/// Every key (pattern) and every prefix of one that ends before a non-word character, by the hash of its bytes
/// ([`key_hash`]), in an open-addressing table; an empty slot has `len_more` 0 (no key is empty).
#[derive(Debug, Clone, Default)]
pub struct KeyTable {
    slots: Vec<Slot>,
    /// `64 - log2(slots.len())`: a hash's top bits pick its first slot.
    shift: u32,
    arena: String,
    /// The longest key, in bytes.
    max_len: usize,
    /// Two keys share a tag and a length: every slot found is checked against the text's bytes.
    verify: bool,
    /// Bit set of the hashes' top bits of every key's first word (up to its first non-word character).
    first_words: Vec<u64>,
    /// `64 - log2(first_words' bits)`.
    first_shift: u32,
}

impl KeyTable {
    /// The table over `keys` (pattern `i` is `keys[i]`; a repeated key is pattern of its last index; empty keys
    /// and keys of 2 GiB or more are left out), whose words are runs of characters `is_word_char` accepts, with a
    /// first-word set of `2^first_word_bits` bits (6 to 32; with 2^17, 16 KiB, for 20,000 first words, about one
    /// in eight starts that begin no key passes).
    pub fn new<'k>(
        keys: impl IntoIterator<Item = &'k str>,
        is_word_char: impl Fn(char) -> bool,
        first_word_bits: u32,
    ) -> KeyTable {
        let bits = first_word_bits.clamp(6, 32);
        let mut first_words = vec![0u64; 1 << (bits - 6)];
        let first_shift = 64 - bits;
        let mut entries: HashMap<&str, (u32, bool)> = HashMap::new();
        for (i, k) in keys.into_iter().enumerate() {
            if k.is_empty() {
                continue;
            }
            let e = entries.entry(k).or_insert((NO_PATTERN, false));
            e.0 = i as u32;
            let mut first_end = k.len();
            for (at, c) in k.char_indices() {
                if at > 0 && !is_word_char(c) {
                    entries.entry(&k[..at]).or_insert((NO_PATTERN, false)).1 = true;
                    first_end = first_end.min(at);
                }
            }
            let bit = (key_hash(&k.as_bytes()[..first_end]) >> first_shift) as usize;
            if let Some(w) = first_words.get_mut(bit / 64) {
                *w |= 1 << (bit % 64);
            }
        }
        let cap = (entries.len() * 2).next_power_of_two().max(16);
        let shift = 64 - cap.trailing_zeros();
        let mut t = KeyTable {
            slots: vec![Slot::default(); cap],
            shift,
            arena: String::new(),
            max_len: 0,
            verify: false,
            first_words,
            first_shift,
        };
        // Sorted, so that the table is the same on every run.
        let mut sorted: Vec<(&str, (u32, bool))> = entries.into_iter().collect();
        sorted.sort_unstable();
        let mut seen: HashSet<(u32, usize)> = HashSet::new();
        for (k, (pattern, more)) in sorted {
            if k.len() >= MORE as usize || t.arena.len() > u32::MAX as usize {
                continue;
            }
            let h = key_hash(k.as_bytes());
            t.verify |= !seen.insert((h as u32, k.len()));
            let mask = cap - 1;
            let mut i = (h >> shift) as usize;
            while t.slots[i].len_more != 0 {
                i = (i + 1) & mask;
            }
            t.slots[i] = Slot {
                tag: h as u32,
                at: t.arena.len() as u32,
                len_more: k.len() as u32 | if more { MORE } else { 0 },
                pattern,
            };
            t.arena.push_str(k);
            t.max_len = t.max_len.max(k.len());
        }
        t
    }

    /// The longest key, in bytes.
    #[inline]
    pub fn max_len(&self) -> usize {
        self.max_len
    }

    /// Whether some key may start with the word (up to its first non-word character) whose [`key_hash`] is `h`:
    /// false means none does.
    #[inline]
    pub fn may_start(&self, h: u64) -> bool {
        let bit = (h >> self.first_shift) as usize;
        self.first_words.get(bit / 64).is_some_and(|w| w & (1 << (bit % 64)) != 0)
    }

    /// The first slot probed for a key hashing to `h`.
    #[inline]
    fn home(&self, h: u64) -> usize {
        (h >> self.shift) as usize & self.slots.len().saturating_sub(1)
    }

    /// Reads the first slot a look-up of `h` will probe, and returns its tag (for the caller to fold into a value
    /// it keeps, so that the load stays): a sweep of these over a text's starts lets the memory system serve the
    /// look-ups' cache misses together.
    #[inline]
    pub fn touch(&self, h: u64) -> u32 {
        self.slots.get(self.home(h)).map_or(0, |s| s.tag)
    }

    /// Looks up `text`, whose [`key_hash`] is `h`: `None` when no key is `text` (no key starts with it and a
    /// non-word character either, so a search from its start ends here).
    #[inline]
    pub fn get(&self, h: u64, text: &[u8]) -> Option<Found> {
        let mask = self.slots.len().checked_sub(1)?;
        let mut i = self.home(h);
        loop {
            let s = *self.slots.get(i)?;
            if s.len_more == 0 {
                return None;
            }
            if s.tag == h as u32 && s.len() == text.len() && (!self.verify || self.is_key(s, text)) {
                // A prefix-only slot is taken on its tag; a pattern is checked.
                let pattern = (s.pattern != NO_PATTERN && (self.verify || self.is_key(s, text))).then_some(s.pattern);
                return Some(Found { pattern, more: s.len_more & MORE != 0 });
            }
            i = (i + 1) & mask;
        }
    }

    /// Whether a slot's key is `text`.
    #[inline]
    fn is_key(&self, s: Slot, text: &[u8]) -> bool {
        let at = s.at as usize;
        self.arena.as_bytes().get(at..at + s.len()) == Some(text)
    }

    /// Every pattern key with its index, in index order (for tests and checks).
    pub fn patterns(&self) -> Vec<(u32, &str)> {
        let mut keys: Vec<(u32, &str)> = self
            .slots
            .iter()
            .filter(|s| s.len_more != 0 && s.pattern != NO_PATTERN)
            .filter_map(|s| Some((s.pattern, self.arena.get(s.at as usize..s.at as usize + s.len())?)))
            .collect();
        keys.sort_unstable();
        keys
    }

    /// Bytes of memory the table holds.
    pub fn heap_size(&self) -> usize {
        self.slots.len() * std::mem::size_of::<Slot>() + self.arena.len() + self.first_words.len() * 8
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lookup(t: &KeyTable, s: &str) -> Option<Found> {
        t.get(key_hash(s.as_bytes()), s.as_bytes())
    }

    #[test]
    fn keys_and_word_prefixes() {
        let t = KeyTable::new(["وقف اطلاق النار", "اطلاق النار", "قتل", "قتل"], |c: char| c.is_alphanumeric(), 10);
        for first in ["وقف", "اطلاق", "قتل"] {
            assert!(t.may_start(key_hash(first.as_bytes())), "{first}");
        }
        assert_eq!(lookup(&t, "قتل"), Some(Found { pattern: Some(3), more: false }));
        assert_eq!(lookup(&t, "اطلاق النار"), Some(Found { pattern: Some(1), more: false }));
        assert_eq!(lookup(&t, "وقف"), Some(Found { pattern: None, more: true }));
        assert_eq!(lookup(&t, "وقف اطلاق"), Some(Found { pattern: None, more: true }));
        assert_eq!(lookup(&t, "وقف اطلاق النار"), Some(Found { pattern: Some(0), more: false }));
        assert_eq!(lookup(&t, "اطلاق"), Some(Found { pattern: None, more: true }));
        assert_eq!(lookup(&t, "وقف ا"), None);
        assert_eq!(lookup(&t, "قت"), None);
        assert_eq!(t.patterns(), vec![(0, "وقف اطلاق النار"), (1, "اطلاق النار"), (3, "قتل")]);
        assert_eq!(t.max_len(), "وقف اطلاق النار".len());
        assert_eq!(KeyTable::new([], |c: char| c.is_alphanumeric(), 0).patterns(), vec![]);
    }

    #[test]
    fn colliding_tags_are_checked() {
        let keys: Vec<String> = (0..5000).map(|i| format!("k{i}")).collect();
        let mut t = KeyTable::new(keys.iter().map(String::as_str), |c: char| c.is_alphanumeric(), 12);
        t.verify = true;
        for (i, k) in keys.iter().enumerate() {
            assert_eq!(lookup(&t, k), Some(Found { pattern: Some(i as u32), more: false }));
        }
        assert_eq!(lookup(&t, "k5000"), None);
    }
}
