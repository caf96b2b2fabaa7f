//! SQLite's full-text entries and query terms: the search text rewritten so that FTS5's cheap `ascii` tokenizer
//! (the index's since schema version 6) yields exactly the tokens `unicode61 remove_diacritics 0` (the index's
//! before) yields on it.
//!
//! `ascii` splits on ASCII characters other than letters and digits, folds ASCII case and keeps every other
//! character; `unicode61` also splits on non-ASCII separators (punctuation, marks, characters its Unicode 6.1
//! tables do not know) and folds non-ASCII case. A word of ASCII characters and Arabic letters (those known to
//! Unicode 6.1, caseless) comes out of both tokenizers the same, and is written unchanged: nearly every word. Any
//! other word is tokenised by SQLite's own `unicode61` on an in-memory connection and its tokens written
//! separated by spaces, which `ascii` splits again exactly there (each token holds only letters and digits of
//! ASCII, or non-ASCII characters). The text so made is tokenised alike by both tokenizers: a store whose index
//! still uses `unicode61` reads and writes it unchanged.

use std::cell::RefCell;

/// Arabic letters of Unicode 6.1 (general category `Lo`: token characters for both tokenizers, without case).
const fn arabic_letter_61(cp: u32) -> bool {
    matches!(cp,
        0x0620..=0x063F | 0x0641..=0x064A | 0x066E..=0x066F | 0x0671..=0x06D3 | 0x06D5 | 0x06EE..=0x06EF
        | 0x06FA..=0x06FC | 0x06FF | 0x0750..=0x077F)
}

/// Whether `unicode61` and `ascii` give the same tokens on text made of `c` and ASCII: an ASCII character or an
/// [`arabic_letter_61`].
#[cfg(test)]
fn same_for_both(c: char) -> bool {
    c.is_ascii() || arabic_letter_61(c as u32)
}

/// [`arabic_letter_61`] of U+0600–U+07FF, a bit each (the two-byte characters whose first byte is 0xD8–0xDF).
const ARABIC_BLOCK: [u64; 8] = {
    let mut bits = [0u64; 8];
    let mut cp = 0x600u32;
    while cp < 0x800 {
        if arabic_letter_61(cp) {
            let i = (cp - 0x600) as usize;
            bits[i / 64] |= 1 << (i % 64);
        }
        cp += 1;
    }
    bits
};

/// Whether every character of `s` is ASCII or an [`arabic_letter_61`], a byte at a time.
fn all_same_for_both(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c < 0x80 {
            i += 1;
            continue;
        }
        // A lead byte 0xD8–0xDF of valid UTF-8 starts a two-byte character U+0600–U+07FF.
        if (0xD8..=0xDF).contains(&c) && i + 1 < b.len() {
            let k = ((usize::from(c & 0x1F) << 6) | usize::from(b[i + 1] & 0x3F)) - 0x600;
            if ARABIC_BLOCK[k / 64] >> (k % 64) & 1 == 1 {
                i += 2;
                continue;
            }
        }
        return false;
    }
    true
}

/// `search` as written to (and searched in) the SQLite index: borrowed unchanged when every character is ASCII
/// or an [`arabic_letter_61`], else rebuilt word by word (see the module documentation).
pub(crate) fn index_text(search: &str) -> std::borrow::Cow<'_, str> {
    if all_same_for_both(search) {
        return std::borrow::Cow::Borrowed(search);
    }
    let mut out = String::with_capacity(search.len());
    for word in search.split(|c: char| c.is_ascii_whitespace()) {
        if word.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        if all_same_for_both(word) {
            out.push_str(word);
        } else {
            push_unicode61_tokens(word, &mut out);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// An in-memory FTS5 table with the `unicode61` tokenizer and the positions of its terms.
struct Unicode61 {
    conn: rusqlite::Connection,
}

impl Unicode61 {
    fn open() -> rusqlite::Result<Unicode61> {
        let conn = rusqlite::Connection::open_in_memory()?;
        conn.execute_batch(
            "CREATE VIRTUAL TABLE t USING fts5(w, tokenize='unicode61 remove_diacritics 0'); \
             CREATE VIRTUAL TABLE v USING fts5vocab(t, instance);",
        )?;
        Ok(Unicode61 { conn })
    }

    /// The tokens `unicode61` makes of `word`, in order.
    fn tokens(&self, word: &str) -> rusqlite::Result<Vec<String>> {
        self.conn.prepare_cached("INSERT INTO t (rowid, w) VALUES (1, ?1)")?.execute([word])?;
        let tokens = self
            .conn
            .prepare_cached("SELECT term FROM v ORDER BY \"offset\"")?
            .query_map([], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<String>>>();
        self.conn.prepare_cached("DELETE FROM t")?.execute([])?;
        tokens
    }
}

thread_local! {
    static UNICODE61: RefCell<Option<Unicode61>> = const { RefCell::new(None) };
}

/// Appends `unicode61`'s tokens of `word`, separated by spaces (`word` itself should SQLite fail, which it does
/// not on a healthy process).
fn push_unicode61_tokens(word: &str, out: &mut String) {
    let tokens = UNICODE61.with(|u| {
        let mut u = u.borrow_mut();
        if u.is_none() {
            *u = Unicode61::open().ok();
        }
        u.as_ref().and_then(|u| u.tokens(word).ok())
    });
    match tokens {
        Some(tokens) => {
            let len = out.len();
            for t in tokens {
                if out.len() > len {
                    out.push(' ');
                }
                out.push_str(&t);
            }
            // A word with no token (only separators) leaves nothing, as `unicode61` would; drop the space before.
            if out.len() == len && out.ends_with(' ') {
                out.pop();
            }
        }
        None => out.push_str(word),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens61(text: &str) -> Vec<String> {
        Unicode61::open().unwrap().tokens(text).unwrap()
    }

    /// `ascii`'s tokens, as FTS5 makes them.
    fn tokens_ascii(text: &str) -> Vec<String> {
        let c = rusqlite::Connection::open_in_memory().unwrap();
        c.execute_batch(
            "CREATE VIRTUAL TABLE t USING fts5(w, tokenize='ascii'); \
             CREATE VIRTUAL TABLE v USING fts5vocab(t, instance);",
        )
        .unwrap();
        c.execute("INSERT INTO t (rowid, w) VALUES (1, ?1)", [text]).unwrap();
        let mut st = c.prepare("SELECT term FROM v ORDER BY \"offset\"").unwrap();
        let out = st.query_map([], |r| r.get::<_, String>(0)).unwrap().collect::<Result<Vec<_>, _>>().unwrap();
        out
    }

    #[test]
    fn the_accepted_characters_are_single_tokens_for_unicode61() {
        let mut s = String::new();
        for c in (0x80..0x800u32).filter_map(char::from_u32).filter(|c| same_for_both(*c)) {
            s.clear();
            s.push(c);
            assert_eq!(tokens61(&s), vec![s.clone()], "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn both_tokenizers_agree_on_the_index_text() {
        for text in [
            "قاهره وزير خارجيه",
            "Trump ترامب 2018 3.5 BBC",
            "Élysée Macron élysée",
            "١٬٥ ٫ x",
            "ÀÉÎ straße ДОМ",
            "a\u{064E}b \u{08A0}\u{08B6} \u{200C}",
            "٫",
            "كلمة «اقتباس» ، ؛ ؟",
            "",
        ] {
            let t = index_text(text);
            assert_eq!(tokens_ascii(&t), tokens61(text), "{text:?} → {t:?}");
            assert_eq!(tokens61(&t), tokens61(text), "{text:?} → {t:?}");
        }
    }

    #[test]
    fn the_byte_scan_agrees_with_the_character_test() {
        let mut s = String::new();
        for c in (0..0x1_0000u32).filter_map(char::from_u32) {
            s.clear();
            s.push('a');
            s.push(c);
            assert_eq!(all_same_for_both(&s), same_for_both(c), "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn plain_arabic_and_ascii_are_borrowed() {
        assert!(matches!(index_text("قاهره trump 12"), std::borrow::Cow::Borrowed(_)));
    }
}
