//! Prints the analysis of one plain-text article as pretty JSON (development aid).
fn main() {
    let path = std::env::args().nth(1).expect("usage: show FILE [PUBLISHED]");
    let published = std::env::args().nth(2);
    let text = std::fs::read_to_string(&path).expect("readable UTF-8 file");
    let ex = rasid_core::Extractor::bundled().expect("bundled data");
    let doc = ex.extract(&rasid_core::ArticleInput {
        id: &path,
        text: &text,
        published: published.as_deref(),
        ..Default::default()
    });
    println!("{}", serde_json::to_string_pretty(&doc).expect("serialisable"));
}
