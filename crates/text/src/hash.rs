//! FNV-1a (64 bit), rasid's one cheap, stable hash: word-set keys, feature names, model keys, fingerprints.
//!
//! Stable means the same value on every run and platform, which the committed models rely on (their keys are
//! FNV-1a of feature names). Keys come from the project's own data files, so SipHash's resistance to chosen
//! keys buys nothing where these hash maps are used.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

/// The FNV-1a 64-bit offset basis.
pub const BASIS: u64 = 0xcbf2_9ce4_8422_2325;
/// The FNV-1a 64-bit prime.
pub const PRIME: u64 = 0x0000_0100_0000_01b3;

/// A running FNV-1a hash, built up by value (`Fnv::new().byte(3).str(word).value()`) or used as a [`Hasher`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fnv(u64);

impl Fnv {
    /// The empty hash (the offset basis).
    #[inline]
    pub const fn new() -> Fnv {
        Fnv(BASIS)
    }

    /// Adds one byte.
    #[inline]
    pub const fn byte(self, b: u8) -> Fnv {
        Fnv((self.0 ^ b as u64).wrapping_mul(PRIME))
    }

    /// Adds bytes in order.
    #[inline]
    pub fn bytes(self, bs: &[u8]) -> Fnv {
        bs.iter().fold(self, |h, &b| h.byte(b))
    }

    /// Adds a string's UTF-8 bytes.
    #[inline]
    pub fn str(self, s: &str) -> Fnv {
        self.bytes(s.as_bytes())
    }

    /// The hash so far.
    #[inline]
    pub const fn value(self) -> u64 {
        self.0
    }
}

impl Default for Fnv {
    fn default() -> Fnv {
        Fnv::new()
    }
}

impl Hasher for Fnv {
    #[inline]
    fn finish(&self) -> u64 {
        self.0
    }

    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        *self = self.bytes(bytes);
    }
}

/// FNV-1a of `bytes`.
#[inline]
pub fn fnv1a(bytes: &[u8]) -> u64 {
    Fnv::new().bytes(bytes).value()
}

/// Builds [`Fnv`] hashers for hash maps and sets.
pub type FnvBuild = BuildHasherDefault<Fnv>;
/// A hash map keyed through FNV-1a.
pub type FnvMap<K, V> = HashMap<K, V, FnvBuild>;
/// A hash set keyed through FNV-1a.
pub type FnvSet<K> = HashSet<K, FnvBuild>;

/// A hasher for hash sets and maps that live in memory only and whose order nothing reads (stop-word sets, the
/// paragraphs seen so far): eight bytes a step where [`Fnv`] takes one, so long keys hash several times faster.
/// Not stable across versions: never for a committed key.
#[derive(Debug, Clone, Copy, Default)]
pub struct Wide(u64);

/// The multiplier of [`Wide`] (FxHash's: odd, with its bits spread).
const WIDE_K: u64 = 0x517c_c1b7_2722_0a95;

impl Wide {
    #[inline]
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(WIDE_K);
    }
}

impl Hasher for Wide {
    #[inline]
    fn finish(&self) -> u64 {
        self.0
    }

    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.add(u64::from_le_bytes(c.try_into().unwrap_or([0; 8])));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut last = [0u8; 8];
            last[..rest.len()].copy_from_slice(rest);
            // The length keeps `ab` and `ab\0` apart.
            self.add(u64::from_le_bytes(last) ^ ((rest.len() as u64) << 59));
        }
    }

    #[inline]
    fn write_u8(&mut self, b: u8) {
        self.add(u64::from(b));
    }
}

/// Builds [`Wide`] hashers.
pub type WideBuild = BuildHasherDefault<Wide>;
/// A hash set keyed through [`Wide`] (membership only: its order is not stable).
pub type WideSet<K> = HashSet<K, WideBuild>;

/// A bit set in front of a set of short words, one bit per [`KeyFilter::key`] of a word inserted: a word whose bit
/// is clear is not in the set, told without hashing it (nearly every word an article asks a stop-word or starter
/// set about); a set bit only says "maybe". 8 KiB once a word is inserted; empty (every answer no) before.
#[derive(Debug, Clone, Default)]
pub struct KeyFilter {
    bits: Vec<u64>,
}

impl KeyFilter {
    /// Bits of the set.
    const KEY_BITS: u32 = 16;

    /// A word's bit: its length in bytes modulo 16 and the low six bits of its second and of its last byte (for an
    /// Arabic word, its first and last letter's own bits).
    #[inline]
    fn key(w: &[u8]) -> usize {
        let second = w.get(1).copied().unwrap_or(0);
        let last = w.last().copied().unwrap_or(0);
        (usize::from(second & 0x3F) << 10) | (usize::from(last & 0x3F) << 4) | (w.len() & 0xF)
    }

    /// Notes a word of the set.
    pub fn insert(&mut self, w: &[u8]) {
        if self.bits.is_empty() {
            self.bits = vec![0; 1 << (Self::KEY_BITS - 6)];
        }
        let k = Self::key(w);
        if let Some(x) = self.bits.get_mut(k >> 6) {
            *x |= 1 << (k & 63);
        }
    }

    /// False when `w` was certainly not inserted.
    #[inline]
    pub fn may_contain(&self, w: &[u8]) -> bool {
        let k = Self::key(w);
        self.bits.get(k >> 6).is_some_and(|x| x & (1 << (k & 63)) != 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_filters_keep_every_word_inserted() {
        let mut f = KeyFilter::default();
        assert!(!f.may_contain(b"") && !f.may_contain("في".as_bytes()));
        let words = ["في", "من", "علي", "الي", "ان", "a", "", "ثلاثه", "x1"];
        for w in words {
            f.insert(w.as_bytes());
        }
        assert!(words.iter().all(|w| f.may_contain(w.as_bytes())));
        // Most other words are told apart (same length, other letters).
        let others = ["قال", "ضد", "عن", "حتي", "ثلاثة", "b", "وزير", "مدينة", "قصف", "x2"];
        assert!(others.iter().filter(|w| f.may_contain(w.as_bytes())).count() <= 2);
    }

    #[test]
    fn matches_the_published_test_vectors() {
        // From the FNV reference test suite (64-bit FNV-1a).
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a(b"foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn pieces_hash_like_their_concatenation() {
        let whole = fnv1a("قصف المدينة".as_bytes());
        assert_eq!(Fnv::new().str("قصف").byte(b' ').str("المدينة").value(), whole);
        let mut h = Fnv::default();
        h.write("قصف ".as_bytes());
        h.write("المدينة".as_bytes());
        assert_eq!(h.finish(), whole);
    }

    #[test]
    fn wide_sets_find_what_they_hold() {
        let words = ["لم", "لن", "المتحدة", "الولايات المتحدة الامريكية", "a", "ab", "ab\0", ""];
        let s: WideSet<&str> = words.into_iter().collect();
        assert_eq!(s.len(), words.len());
        assert!(words.iter().all(|w| s.contains(w)));
        assert!(!s.contains("لا") && !s.contains("ا") && !s.contains("الولايات المتحدة"));
    }

    #[test]
    fn maps_find_what_they_hold() {
        let mut m: FnvMap<String, u32> = FnvMap::default();
        m.insert("هجوم".into(), 1);
        m.insert("غارة".into(), 2);
        assert_eq!(m.get("غارة"), Some(&2));
        let s: FnvSet<&str> = ["لم", "لن"].into_iter().collect();
        assert!(s.contains("لن") && !s.contains("لا"));
    }
}
