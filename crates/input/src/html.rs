//! HTML extraction: the article's text with its paragraph breaks, and metadata from the document head.
//!
//! The text is built from the `<article>` with the most text (outermost ones only), else the first `<main>`, else
//! `<body>`; elements that are never article body ([`DROPPED`]) are skipped with everything inside them. Block
//! elements ([`BLOCKS`]) and `<br>` end a line; runs of whitespace inside a line collapse to one space; lines are
//! trimmed and empty lines dropped, so paragraphs come out one per line, joined by `\n`. That string IS the
//! article text: offsets reported later index it, not the HTML. `<pre>` is not special-cased (its whitespace is
//! collapsed like any other). A document that is not UTF-8 but declares a legacy charset is decoded first
//! ([`decode_declared`]).

use ego_tree::iter::Edge;
use ego_tree::NodeRef;
use scraper::{Html, Node};

use crate::date::date_part;
use crate::nesting::{bound_nesting, MAX_NESTING};

/// Elements skipped with their whole subtree: scripts, styling, navigation, page chrome, forms, embeds.
pub const DROPPED: &[&str] = &[
    "script", "style", "nav", "noscript", "header", "footer", "aside", "form", "iframe", "svg", "template", "head",
    "button", "select", "textarea", "object", "canvas", "audio", "video",
];

/// Elements that start and end a line of output.
pub const BLOCKS: &[&str] = &[
    "address",
    "article",
    "blockquote",
    "body",
    "caption",
    "dd",
    "details",
    "dialog",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "legend",
    "li",
    "main",
    "ol",
    "p",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
];

/// How far into a non-UTF-8 document a `charset` declaration is looked for (the HTML standard's prescan
/// window).
pub const CHARSET_PRESCAN_BYTES: usize = 1024;

/// Decode an HTML document that is not UTF-8 but declares a legacy encoding in its first
/// [`CHARSET_PRESCAN_BYTES`] bytes (`<meta charset="windows-1256">`, `<meta http-equiv=... content="text/html;
/// charset=windows-1256">`), as older Arabic sites do. `None` when nothing usable is declared (or it declares
/// UTF-8), or the bytes are invalid in the declared encoding.
pub fn decode_declared(bytes: &[u8]) -> Option<String> {
    let head = &bytes[..bytes.len().min(CHARSET_PRESCAN_BYTES)];
    let lower = head.to_ascii_lowercase();
    let at = memchr::memmem::find(&lower, b"charset")? + "charset".len();
    let rest = &lower[at..];
    let rest = rest.strip_prefix(b" ").unwrap_or(rest);
    let rest = rest.strip_prefix(b"=")?;
    let rest = rest.strip_prefix(b" ").unwrap_or(rest);
    let rest = rest.strip_prefix(b"\"").or_else(|| rest.strip_prefix(b"'")).unwrap_or(rest);
    let end = rest.iter().position(|b| !(b.is_ascii_alphanumeric() || b"-_.:".contains(b))).unwrap_or(rest.len());
    let encoding = encoding_rs::Encoding::for_label(&rest[..end])?;
    if encoding == encoding_rs::UTF_8 {
        return None;
    }
    encoding.decode_without_bom_handling_and_without_replacement(bytes).map(|s| s.into_owned())
}

/// What an HTML document yields: the text and whatever metadata its markup declares.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Extracted {
    pub text: String,
    pub title: Option<String>,
    /// `YYYY-MM-DD`, from `article:published_time` (or `og:published_time`, `itemprop=datePublished`), else the
    /// first `<time datetime>` holding a valid date.
    pub published: Option<String>,
    /// `og:site_name`.
    pub source: Option<String>,
    /// `<link rel=canonical>`, else `og:url`.
    pub url: Option<String>,
    /// `<html lang>`.
    pub lang: Option<String>,
}

/// Extract text and metadata from an HTML document. Never fails: html5ever recovers from any markup, and markup
/// nested deeper than [`MAX_NESTING`] is flattened first so parsing stays linear.
pub fn extract(html: &str) -> Extracted {
    let html = bound_nesting(html, MAX_NESTING);
    let doc = Html::parse_document(&html);
    let mut meta = Meta::default();
    let mut articles: Vec<NodeRef<'_, Node>> = Vec::new();
    let mut main: Option<NodeRef<'_, Node>> = None;
    let mut body: Option<NodeRef<'_, Node>> = None;
    // Depth inside dropped elements and inside <article>, tracked on one iterative walk (no recursion: deep
    // markup cannot overflow the stack).
    let mut dropped = 0usize;
    let mut in_article = 0usize;
    for edge in doc.tree.root().traverse() {
        match edge {
            Edge::Open(node) => {
                let Node::Element(el) = node.value() else {
                    if let (Node::Text(t), true) = (node.value(), meta.in_title) {
                        meta.title_text.push_str(t);
                    }
                    continue;
                };
                let name = el.name();
                match name {
                    "html" if meta.lang.is_none() => meta.lang = clean(el.attr("lang")),
                    // Only the first <title> (an <svg> in the body may have its own).
                    "title" if !meta.title_seen => {
                        meta.in_title = true;
                        meta.title_seen = true;
                    }
                    "meta" => meta.meta(el),
                    "link" if meta.canonical.is_none() && is_canonical(el.attr("rel")) => {
                        meta.canonical = clean(el.attr("href"));
                    }
                    "time" if meta.time.is_none() => {
                        meta.time = el.attr("datetime").and_then(date_part).map(str::to_owned);
                    }
                    "body" if body.is_none() => body = Some(node),
                    "main" if main.is_none() && dropped == 0 => main = Some(node),
                    "article" => {
                        if dropped == 0 && in_article == 0 {
                            articles.push(node);
                        }
                        in_article += 1;
                    }
                    _ => {}
                }
                if DROPPED.contains(&name) {
                    dropped += 1;
                }
            }
            Edge::Close(node) => {
                if let Node::Element(el) = node.value() {
                    let name = el.name();
                    if name == "title" {
                        meta.in_title = false;
                    } else if name == "article" {
                        in_article = in_article.saturating_sub(1);
                    }
                    if DROPPED.contains(&name) {
                        dropped = dropped.saturating_sub(1);
                    }
                }
            }
        }
    }

    let text = if articles.is_empty() {
        render(main.or(body).unwrap_or_else(|| doc.tree.root()))
    } else {
        // Outermost <article>s are disjoint, so rendering each is linear in the document overall.
        articles.into_iter().map(render).max_by_key(String::len).unwrap_or_default()
    };
    let mut title = meta.og_title.take();
    if title.is_none() {
        title = clean(Some(&meta.title_text));
    }
    Extracted {
        text,
        title,
        published: meta.published.or(meta.time),
        source: meta.site_name,
        url: meta.canonical.or(meta.og_url),
        lang: meta.lang,
    }
}

#[derive(Default)]
struct Meta {
    in_title: bool,
    title_seen: bool,
    title_text: String,
    og_title: Option<String>,
    published: Option<String>,
    time: Option<String>,
    site_name: Option<String>,
    canonical: Option<String>,
    og_url: Option<String>,
    lang: Option<String>,
}

impl Meta {
    fn meta(&mut self, el: &scraper::node::Element) {
        let key = el
            .attr("property")
            .or_else(|| el.attr("name"))
            .or_else(|| el.attr("itemprop"))
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        let content = el.attr("content");
        let slot = match key.as_str() {
            "og:title" => &mut self.og_title,
            "og:site_name" => &mut self.site_name,
            "og:url" => &mut self.og_url,
            "article:published_time" | "og:published_time" | "datepublished" => {
                if self.published.is_none() {
                    self.published = content.and_then(date_part).map(str::to_owned);
                }
                return;
            }
            _ => return,
        };
        if slot.is_none() {
            *slot = clean(content);
        }
    }
}

fn is_canonical(rel: Option<&str>) -> bool {
    rel.is_some_and(|r| r.split_ascii_whitespace().any(|t| t.eq_ignore_ascii_case("canonical")))
}

/// Whitespace collapsed and trimmed; `None` when nothing is left.
fn clean(s: Option<&str>) -> Option<String> {
    let s = s?;
    let mut out = String::with_capacity(s.len());
    for word in s.split(char::is_whitespace).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    (!out.is_empty()).then_some(out)
}

/// The text under `root`, one line per block, dropped elements skipped.
fn render(root: NodeRef<'_, Node>) -> String {
    let mut out = Out::default();
    let mut dropped = 0usize;
    for edge in root.traverse() {
        match edge {
            Edge::Open(node) => match node.value() {
                Node::Element(el) => {
                    let name = el.name();
                    if DROPPED.contains(&name) {
                        dropped += 1;
                    } else if dropped == 0 && (name == "br" || BLOCKS.contains(&name)) {
                        out.line_break();
                    }
                }
                Node::Text(t) if dropped == 0 => out.push(t),
                _ => {}
            },
            Edge::Close(node) => {
                if let Node::Element(el) = node.value() {
                    let name = el.name();
                    if DROPPED.contains(&name) {
                        dropped = dropped.saturating_sub(1);
                    } else if dropped == 0 && BLOCKS.contains(&name) {
                        out.line_break();
                    }
                }
            }
        }
    }
    out.text
}

#[derive(Default)]
struct Out {
    text: String,
    space: bool,
    newline: bool,
}

impl Out {
    fn line_break(&mut self) {
        self.newline = !self.text.is_empty();
        self.space = false;
    }

    fn push(&mut self, s: &str) {
        for (i, word) in s.split(char::is_whitespace).enumerate() {
            if i > 0 {
                // A whitespace run separates words; it only matters once something is on the line.
                self.space = !self.newline && !self.text.is_empty();
            }
            if word.is_empty() {
                continue;
            }
            if self.newline {
                self.text.push('\n');
            } else if self.space {
                self.text.push(' ');
            }
            self.newline = false;
            self.space = false;
            self.text.push_str(word);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_and_whitespace() {
        let x = extract(
            "<html lang='ar'><head><title> T  one </title><script>var x = 1;</script></head>\
             <body><nav>menu</nav><svg><title>icon</title></svg><p>  first\n  para <b>bold</b>graph </p><div>second<br>line<br><br>three</div>\
             <p></p><footer>foot</footer></body></html>",
        );
        assert_eq!(x.text, "first para boldgraph\nsecond\nline\nthree");
        assert_eq!(x.title.as_deref(), Some("T one"));
        assert_eq!(x.lang.as_deref(), Some("ar"));
        assert_eq!(x.published, None);
    }

    #[test]
    fn inline_elements_keep_spacing() {
        let x = extract("<p>a <i>b</i> c<span> d</span>e</p>");
        assert_eq!(x.text, "a b c de");
    }

    #[test]
    fn prefers_largest_article_then_main() {
        let x = extract(
            "<body><p>outside</p><article><p>short</p></article><article><h1>Head</h1><p>longer body text</p>\
             <article><p>nested</p></article></article><aside><article>related related related related related</article></aside></body>",
        );
        assert_eq!(x.text, "Head\nlonger body text\nnested");
        let x = extract("<body><div>chrome</div><main><p>one</p><p>two</p></main></body>");
        assert_eq!(x.text, "one\ntwo");
    }

    #[test]
    fn metadata() {
        let x = extract(
            "<html><head><meta property='og:title' content=' OG  title '><title>plain</title>\
             <meta property='article:published_time' content='2020-03-04T05:06:07+03:00'>\
             <meta property='og:site_name' content='Site'><link rel='canonical' href='https://x.test/a'>\
             </head><body><time datetime='2019-01-01'>x</time><p>body</p></body></html>",
        );
        assert_eq!(x.title.as_deref(), Some("OG title"));
        assert_eq!(x.published.as_deref(), Some("2020-03-04"));
        assert_eq!(x.source.as_deref(), Some("Site"));
        assert_eq!(x.url.as_deref(), Some("https://x.test/a"));
        let x = extract(
            "<body><time>no date</time><time datetime='bad'>a</time><time datetime='2019-01-02T00:00'>b</time></body>",
        );
        assert_eq!(x.published.as_deref(), Some("2019-01-02"), "the first valid <time> counts");
        let x = extract("<body><p>x<time datetime='2019-01-02'>b</time></p></body>");
        assert_eq!(x.published.as_deref(), Some("2019-01-02"));
        assert_eq!(x.text, "xb");
    }

    #[test]
    fn dropped_elements_and_odd_markup() {
        let x = extract("<p>keep</p><script>drop</script><style>p{}</style><svg><text>s</text></svg><template>t</template><noscript>n</noscript><form>f<p>g</p></form>");
        assert_eq!(x.text, "keep");
        assert_eq!(extract("").text, "");
        assert_eq!(extract("<p>\u{a0}</p>").text, "");
        assert_eq!(extract("plain &amp; text").text, "plain & text");
        let deep = "<div>".repeat(5_000) + "deep" + &"</div>".repeat(5_000);
        assert_eq!(extract(&deep).text, "deep");
    }

    #[test]
    fn legacy_charsets() {
        // "سلام" in windows-1256 is d3 e1 c7 e3.
        let doc = b"<html><head><meta http-equiv='Content-Type' content='text/html; charset=windows-1256'></head><body><p>\xd3\xe1\xc7\xe3</p></body></html>";
        assert_eq!(extract(&decode_declared(doc).unwrap()).text, "سلام");
        let doc = b"<meta charset=\"CP1256\"><p>\xd3\xe1\xc7\xe3";
        assert_eq!(extract(&decode_declared(doc).unwrap()).text, "سلام");
        assert_eq!(decode_declared(b"<meta charset=utf-8><p>\xff"), None);
        assert_eq!(decode_declared(b"<p>\xff</p>"), None);
        assert_eq!(decode_declared(b"<meta charset=nonsense><p>\xff"), None);
        assert_eq!(decode_declared(b"charset"), None);
    }

    #[test]
    fn arabic_paragraphs() {
        let x = extract("<html lang=\"ar\" dir=\"rtl\"><body><article><p>قال   المتحدث</p><p>الجملة الثانية.</p></article></body></html>");
        assert_eq!(x.text, "قال المتحدث\nالجملة الثانية.");
    }
}
