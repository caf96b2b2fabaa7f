//! What the store derives from an article's text: the content hash, the search text (normalised, clitic-split
//! stems) and a MinHash signature over word 3-shingles for near-duplicate detection.
//!
//! MinHash: [`MINHASH_LEN`] minima of independent hashes over the set of 3-shingles of stems; the share of equal
//! positions of two signatures estimates the Jaccard similarity of the two shingle sets. Candidates are found by
//! locality-sensitive hashing: [`BANDS`] bands of [`ROWS`] positions, each band hashed to one integer; two texts
//! with Jaccard 0.8 share a band with probability 0.985, with Jaccard 0.3 with probability 0.06.
//!
//! SQLite's FTS5 tokenizers (`unicode61`, `ascii`) neither fold Arabic letter variants nor split attached prefixes
//! (`والقاهرة`), so the index is built over rasid's own analysis: each Arabic word becomes its stem on the
//! normalised text (`والقاهرة` → `قاهره`), Latin words and numbers stay as they are, punctuation is dropped.
//! Queries go through the same function, so `القاهرة`, `بالقاهرة` and `القاهره` find the same articles.

use rasid_text::hash::fnv1a;
use rasid_text::{NormalizedText, Token, TokenKind, Tokenizer};
use sha2::{Digest, Sha256};

/// Positions of a MinHash signature.
pub const MINHASH_LEN: usize = 32;
/// LSH bands and positions per band (`BANDS * ROWS == MINHASH_LEN`).
pub const BANDS: usize = 8;
pub const ROWS: usize = 4;
/// Estimated Jaccard similarity of shingle sets from which two articles are near-duplicates.
pub const NEAR_DUPLICATE_JACCARD: f64 = 0.7;

/// A MinHash signature.
pub type Signature = [u32; MINHASH_LEN];

/// Reusable buffers for [`analyse`].
#[derive(Default)]
pub struct Scratch {
    norm: Option<NormalizedText>,
    tokens: Vec<Token>,
}

/// The search text (space-separated stems) and MinHash signature of a text.
pub fn analyse(scratch: &mut Scratch, text: &str, search: &mut String) -> Signature {
    let norm = match &mut scratch.norm {
        Some(n) => {
            n.reset(text);
            n
        }
        None => scratch.norm.insert(NormalizedText::new(text)),
    };
    Tokenizer::shared().tokenize_original(text, norm, &mut scratch.tokens);
    analyse_tokens(norm.as_str(), &scratch.tokens, search)
}

/// Puts the search text of `title` before `search` (the text's), separated by a space; nothing for a title
/// without words. Title and text are searched together.
pub fn prepend_title(scratch: &mut Scratch, title: &str, search: &mut String) {
    let mut t = String::new();
    analyse(scratch, title, &mut t);
    if !t.is_empty() {
        t.push(' ');
        search.insert_str(0, &t);
    }
}

/// [`analyse`] over a text already normalised and tokenised (`Tokenizer::tokenize_original`), as the extractor
/// leaves it in its scratch: `norm` is the normalised text the tokens index.
pub fn analyse_tokens(s: &str, tokens: &[Token], search: &mut String) -> Signature {
    search.clear();
    let mut sig = [u32::MAX; MINHASH_LEN];
    let mut window = [0u64; 3];
    let mut seen = 0usize;
    for t in tokens {
        let word = match t.kind {
            TokenKind::Arabic => t.stem_text(s),
            TokenKind::Latin | TokenKind::Number => t.text(s),
            TokenKind::Punct | TokenKind::Symbol => continue,
        };
        if word.is_empty() {
            continue;
        }
        if !search.is_empty() {
            search.push(' ');
        }
        search.push_str(word);
        window = [window[1], window[2], fnv1a(word.as_bytes())];
        seen += 1;
        if seen >= 3 {
            add_shingle(&mut sig, window[0] ^ window[1].rotate_left(21) ^ window[2].rotate_left(42));
        }
    }
    if (1..3).contains(&seen) {
        // Too short for a 3-shingle: the words that are there make one shingle.
        add_shingle(&mut sig, window.iter().fold(0u64, |a, w| a.rotate_left(17) ^ w));
    }
    sig
}

/// Position i's seed, `(i + 1) · 0x9e37_79b9_7f4a_7c15`, through `mix`'s first step (`z ^ z >> 30`).
const SEEDS: [u64; MINHASH_LEN] = {
    let mut out = [0u64; MINHASH_LEN];
    let mut i = 0;
    while i < MINHASH_LEN {
        let seed = (i as u64 + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        out[i] = seed ^ (seed >> 30);
        i += 1;
    }
    out
};

fn add_shingle(sig: &mut Signature, h: u64) {
    // Position i's hash is `mix(h ^ seed_i) >> 32`. `mix` starts with `z ^ z >> 30`, which is linear over XOR:
    // of `h ^ seed_i` it is `(h ^ h >> 30) ^ (seed_i ^ seed_i >> 30)`, so the shingle's half is computed once and
    // the seeds' halves are constants (the same values, two operations fewer a position).
    let h = h ^ (h >> 30);
    for (m, seed) in sig.iter_mut().zip(SEEDS) {
        let v = (mix_rest(h ^ seed) >> 32) as u32;
        *m = (*m).min(v);
    }
}

/// Estimated Jaccard similarity of the shingle sets behind two signatures.
pub fn similarity(a: &Signature, b: &Signature) -> f64 {
    a.iter().zip(b).filter(|(x, y)| x == y).count() as f64 / MINHASH_LEN as f64
}

/// The LSH band keys of a signature (band number mixed in, so equal keys mean the same band).
pub fn bands(sig: &Signature) -> [i64; BANDS] {
    let mut out = [0i64; BANDS];
    for (b, o) in out.iter_mut().enumerate() {
        let h = sig[b * ROWS..(b + 1) * ROWS].iter().fold(b as u64 + 1, |acc, v| mix(acc ^ u64::from(*v)));
        *o = h as i64;
    }
    out
}

/// A signature as text (hex, 8 digits a position), and back.
pub fn signature_to_hex(sig: &Signature) -> String {
    let mut out = String::with_capacity(MINHASH_LEN * 8);
    for v in sig {
        push_hex(&mut out, &v.to_be_bytes());
    }
    out
}

/// Appends `bytes` as lower-case hex, two digits a byte (as `format!("{b:02x}")`, without formatting each).
fn push_hex(out: &mut String, bytes: &[u8]) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 15)]));
    }
}

pub fn signature_from_hex(s: &str) -> Option<Signature> {
    if s.len() != MINHASH_LEN * 8 || !s.is_ascii() {
        return None;
    }
    let mut sig = [0u32; MINHASH_LEN];
    for (i, v) in sig.iter_mut().enumerate() {
        *v = u32::from_str_radix(&s[i * 8..i * 8 + 8], 16).ok()?;
    }
    Some(sig)
}

/// The search text of a query (as [`analyse`] builds it for articles).
pub fn search_terms(query: &str) -> Vec<String> {
    let mut scratch = Scratch::default();
    let mut s = String::new();
    analyse(&mut scratch, query, &mut s);
    s.split(' ').filter(|w| !w.is_empty()).map(str::to_string).collect()
}

/// Hex SHA-256 of some byte strings, each followed by a NUL.
pub fn sha256_hex(parts: &[&[u8]]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p);
        h.update([0u8]);
    }
    let mut out = String::with_capacity(64);
    push_hex(&mut out, &h.finalize());
    out
}

/// A 64-bit finaliser (splitmix64's), so that every bit of the shingle hash depends on every input bit.
fn mix(z: u64) -> u64 {
    mix_rest(z ^ (z >> 30))
}

/// [`mix`] after its first step (`z ^ z >> 30`).
fn mix_rest(z: u64) -> u64 {
    let z = z.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    let z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> (String, Signature) {
        let mut s = String::new();
        let h = analyse(&mut Scratch::default(), text, &mut s);
        (s, h)
    }

    #[test]
    fn search_text_folds_prefixes_and_letters() {
        let (a, _) = run("وصل الوزير إلى القاهرة، ثم بالقاهرة.");
        let (b, _) = run("القاهره");
        assert!(a.split(' ').filter(|w| *w == b).count() >= 2, "{a:?} / {b:?}");
        assert!(!a.contains('،') && !a.contains('.'));
        assert_eq!(search_terms("  "), Vec::<String>::new());
    }

    #[test]
    fn near_copies_are_close_and_different_texts_far() {
        let base = "قال مسؤولون إن وزير الخارجية وصل إلى بغداد صباح الأحد في زيارة تستمر يومين يلتقي خلالها \
                    رئيس الوزراء ورئيس الجمهورية لبحث العلاقات الثنائية وأمن الحدود والتعاون في مجال الطاقة";
        let copy = format!("{base} (رويترز)");
        let other = "أعلنت وزارة الصحة عن افتتاح مستشفى جديد في مدينة البصرة يضم مئتي سرير وقسما للطوارئ \
                     وسيخدم سكان المحافظة والمناطق المجاورة بعد سنوات من الانتظار والتأخير في التنفيذ";
        let (h1, h2, h3) = (run(base).1, run(&copy).1, run(other).1);
        assert!(similarity(&h1, &h2) >= NEAR_DUPLICATE_JACCARD, "{}", similarity(&h1, &h2));
        assert!(bands(&h1).iter().zip(bands(&h2)).any(|(a, b)| *a == b));
        assert!(similarity(&h1, &h3) < 0.2, "{}", similarity(&h1, &h3));
        assert_eq!(run(base).1, h1);
        assert_eq!(signature_from_hex(&signature_to_hex(&h1)), Some(h1));
        assert_eq!(signature_from_hex("zz"), None);
    }

    #[test]
    fn the_extractors_tokens_give_the_same_search_text_and_signature() {
        let text = "قال مسؤولون إن وزير الخارجية وصل إلى بغداد صباح الأحد، ثم بالقاهرة في 3 أيام (AFP).";
        let extractor = rasid_core::Extractor::shared().unwrap();
        let mut scratch = rasid_core::Scratch::default();
        let input = rasid_core::ArticleInput {
            id: "t",
            text,
            lang: None,
            published: None,
            source: None,
            title: None,
            url: None,
        };
        extractor.extract_with(&mut scratch, &input);
        let (norm, tokens) = scratch.tokens();
        let mut s = String::new();
        let sig = analyse_tokens(norm.as_str(), tokens, &mut s);
        assert_eq!((s, sig), run(text));
    }

    #[test]
    fn hex_is_formatted_hex() {
        let sig: Signature = std::array::from_fn(|i| (i as u32).wrapping_mul(0x9e37_79b9) ^ 0x0f00_00a0);
        assert_eq!(signature_to_hex(&sig), sig.iter().map(|v| format!("{v:08x}")).collect::<String>());
        let mut h = Sha256::new();
        h.update(b"x\0");
        let want: String = h.finalize().iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(sha256_hex(&[b"x"]), want);
    }

    #[test]
    fn shingles_hash_as_the_per_position_mix() {
        let mut z = 0x1234_5678_9abc_def0u64;
        for _ in 0..1000 {
            z = mix(z.wrapping_add(0x9e37_79b9_7f4a_7c15));
            let mut fast = [u32::MAX; MINHASH_LEN];
            add_shingle(&mut fast, z);
            let slow: Signature =
                std::array::from_fn(|i| (mix(z ^ (i as u64 + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15)) >> 32) as u32);
            assert_eq!(fast, slow);
        }
    }

    #[test]
    fn hashes_are_stable_hex() {
        let h = sha256_hex(&[b"a", b"b"]);
        assert_eq!(h.len(), 64);
        assert_ne!(h, sha256_hex(&[b"ab"]));
    }
}
