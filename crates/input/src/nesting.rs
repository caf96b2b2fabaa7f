//! Bounding HTML nesting before parsing: html5ever's tree builder walks its stack of open elements at each
//! tag, so markup nested tens of thousands deep parses in quadratic time. Tags nested deeper than
//! [`MAX_NESTING`] are dropped (their text is kept), as browsers cap their parsers' tree depth.

use std::borrow::Cow;

/// Deepest element nesting kept; Chromium's parser caps the DOM depth at 512, real pages stay far below.
pub const MAX_NESTING: usize = 512;

/// Elements that never take an end tag.
const VOID: &[&str] =
    &["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"];

/// Elements whose content is raw text: a `<` inside them is not a tag.
const RAW_TEXT: &[&str] = &["script", "style", "textarea", "title", "xmp", "plaintext", "noembed", "noframes"];

/// `html` itself when its tags never nest deeper than `limit`, else a copy without the start and end tags that
/// lie deeper (text and shallower markup unchanged).
pub fn bound_nesting(html: &str, limit: usize) -> Cow<'_, str> {
    if scan(html, limit, None) <= limit {
        return Cow::Borrowed(html);
    }
    let mut out = String::with_capacity(html.len());
    scan(html, limit, Some(&mut out));
    Cow::Owned(out)
}

/// Walk the tags of `html`, returning the deepest nesting seen. With `out`, copy everything except tags that
/// open or close deeper than `limit`, each replaced by a space.
fn scan(html: &str, limit: usize, mut out: Option<&mut String>) -> usize {
    let bytes = html.as_bytes();
    let mut depth = 0usize;
    let mut deepest = 0usize;
    let mut copied = 0usize;
    let mut at = 0usize;
    while let Some(found) = memchr::memchr(b'<', &bytes[at..]) {
        let start = at + found;
        let Some(tag) = Tag::at(html, start) else {
            at = start + 1;
            continue;
        };
        let mut keep = true;
        match tag.kind {
            TagKind::Open { ref name, self_closing } => {
                if !self_closing && nests(name) {
                    depth += 1;
                    deepest = deepest.max(depth);
                    keep = depth <= limit;
                }
            }
            TagKind::Close { ref name } => {
                if nests(name) {
                    keep = depth <= limit;
                    depth = depth.saturating_sub(1);
                }
            }
            TagKind::Other => {}
        }
        if let Some(out) = out.as_deref_mut() {
            if !keep {
                // A space stands in for the tag, so a `<` before it cannot join what follows into a new tag.
                out.push_str(&html[copied..start]);
                out.push(' ');
                copied = tag.end;
            }
        }
        at = tag.end;
        // Raw-text content runs to its own end tag; nothing inside it nests.
        if let TagKind::Open { name, self_closing: false } = &tag.kind {
            if RAW_TEXT.contains(&name.as_str()) {
                at = raw_text_end(html, at, name);
            }
        }
    }
    if let Some(out) = out {
        out.push_str(&html[copied..]);
    }
    deepest
}

/// Whether an element counts towards the nesting depth: void elements never hold content, and raw-text ones
/// (kept whatever their depth, so their content never turns into markup) hold no elements.
fn nests(name: &str) -> bool {
    !VOID.contains(&name) && !RAW_TEXT.contains(&name)
}

struct Tag {
    kind: TagKind,
    /// Byte just past the tag's `>` (or the end of the document).
    end: usize,
}

enum TagKind {
    Open {
        name: String,
        self_closing: bool,
    },
    Close {
        name: String,
    },
    /// Comments, doctypes, processing instructions.
    Other,
}

impl Tag {
    /// The tag starting at the `<` at byte `start`, or `None` when that `<` is text.
    fn at(html: &str, start: usize) -> Option<Tag> {
        let rest = &html.as_bytes()[start + 1..];
        if rest.starts_with(b"!--") {
            let end = memchr::memmem::find(&rest[3..], b"-->").map_or(html.len(), |i| start + 1 + 3 + i + 3);
            return Some(Tag { kind: TagKind::Other, end });
        }
        let (closing, name_from) = match rest.first()? {
            b'/' => (true, 1),
            b'!' | b'?' => {
                let end = memchr::memchr(b'>', rest).map_or(html.len(), |i| start + 1 + i + 1);
                return Some(Tag { kind: TagKind::Other, end });
            }
            _ => (false, 0),
        };
        let name_bytes = &rest[name_from..];
        if !name_bytes.first()?.is_ascii_alphabetic() {
            return None;
        }
        let name_len = name_bytes.iter().position(|b| b.is_ascii_whitespace() || *b == b'/' || *b == b'>');
        let name_len = name_len.unwrap_or(name_bytes.len());
        let name = String::from_utf8_lossy(&name_bytes[..name_len]).to_ascii_lowercase();
        let (close, self_closing) = tag_close(rest, name_from + name_len);
        let end = close.map_or(html.len(), |i| start + 1 + i + 1);
        let kind = if closing { TagKind::Close { name } } else { TagKind::Open { name, self_closing } };
        Some(Tag { kind, end })
    }
}

/// The index in `rest` of the `>` closing a tag whose attributes start at `from` (quoted values may hold `>`),
/// and whether the tag ends `/>`.
fn tag_close(rest: &[u8], from: usize) -> (Option<usize>, bool) {
    let mut quote: Option<u8> = None;
    for (i, &b) in rest.iter().enumerate().skip(from) {
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if b == b'"' || b == b'\'' => quote = Some(b),
            None if b == b'>' => return (Some(i), i > 0 && rest[i - 1] == b'/'),
            None => {}
        }
    }
    (None, false)
}

/// Where the raw text of a `name` element starting at byte `from` ends: at its `</name`, else the document's end.
fn raw_text_end(html: &str, from: usize, name: &str) -> usize {
    let bytes = html.as_bytes();
    let mut at = from;
    while let Some(i) = memchr::memmem::find(&bytes[at..], b"</") {
        let name_at = at + i + 2;
        let candidate = &bytes[name_at..(name_at + name.len()).min(bytes.len())];
        if candidate.eq_ignore_ascii_case(name.as_bytes()) {
            return at + i;
        }
        at = name_at;
    }
    html.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nested(depth: usize) -> String {
        format!("<body>{}نص{}</body>", "<div>".repeat(depth), "</div>".repeat(depth))
    }

    #[test]
    fn shallow_markup_is_untouched() {
        let html = "<p class=\"a>b\">x<br/>y<img src=x></p><!-- <div><div> --><script>if (a<b) {}</script>";
        assert!(matches!(bound_nesting(html, 2), Cow::Borrowed(_)));
        assert_eq!(scan(&nested(30), 100, None), 31);
    }

    #[test]
    fn deep_tags_are_dropped_and_text_kept() {
        let html = nested(5000);
        let bounded = bound_nesting(&html, 10);
        assert_eq!(scan(&bounded, usize::MAX, None), 10);
        assert!(bounded.contains("نص"));
        assert!(bounded.ends_with("</div></body>") && !bounded.contains("<div> <div>"));
    }

    #[test]
    fn raw_text_is_never_reparsed() {
        let html = format!("{}<script>a<div>b</script>{}", "<div>".repeat(20), "</div>".repeat(20));
        let bounded = bound_nesting(&html, 5);
        assert!(bounded.contains("<script>a<div>b</script>"));
        assert_eq!(scan(&bounded, usize::MAX, None), 5);
    }

    proptest::proptest! {
        #[test]
        fn any_markup_comes_out_within_the_limit(html in "(<div>|</div>|<p>|<br/>|<script>|</script>|<!--|-->|x|<|>|\"|ب){0,200}", limit in 0usize..8) {
            let bounded = bound_nesting(&html, limit);
            proptest::prop_assert!(scan(&bounded, usize::MAX, None) <= limit, "{bounded}");
        }
    }

    #[test]
    fn unterminated_markup_is_bounded() {
        for html in ["<div", "<div class=\"x", "<!-- never closed", "</", "<", "<script>a<b", "<\u{0628}>"] {
            let _ = bound_nesting(html, 1);
        }
    }
}
