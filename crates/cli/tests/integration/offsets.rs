//! The offset contract on real text: every span of every document over the seed, all of `gsr-dev`, and the
//! first 2,000 articles of the ANT corpus slices the original text to exactly its `text`; every document
//! validates against `docs/output.schema.json`.

use rasid_core::model::Document;
use rasid_core::{verify::offset_errors, ArticleInput, Extractor, Scratch};
use rasid_input::{read_paths, ReadOptions};

use super::support::shared;

struct Checker {
    extractor: &'static Extractor,
    scratch: Scratch,
    validator: jsonschema::Validator,
    documents: usize,
    spans: usize,
    errors: Vec<String>,
}

impl Checker {
    fn new() -> Checker {
        let schema: serde_json::Value =
            serde_json::from_str(include_str!("../../../../docs/output.schema.json")).unwrap();
        Checker {
            extractor: Extractor::shared().unwrap(),
            scratch: Scratch::default(),
            validator: jsonschema::validator_for(&schema).unwrap(),
            documents: 0,
            spans: 0,
            errors: Vec::new(),
        }
    }

    fn check(&mut self, input: ArticleInput<'_>) -> Document {
        let doc = self.extractor.extract_with(&mut self.scratch, &input);
        self.errors.extend(offset_errors(input.text, &doc));
        let value = serde_json::to_value(&doc).unwrap();
        self.errors
            .extend(self.validator.iter_errors(&value).map(|e| format!("{}: {e} at {}", doc.id, e.instance_path)));
        self.documents += 1;
        self.spans +=
            doc.sentences.len() + doc.entities.len() + doc.events.len() + doc.boilerplate.len() + doc.loaded.len();
        doc
    }

    fn finish(self, what: &str) {
        println!("{what}: {} documents, {} spans checked", self.documents, self.spans);
        assert!(
            self.errors.is_empty(),
            "{} errors, first: {:#?}",
            self.errors.len(),
            &self.errors[..self.errors.len().min(10)]
        );
        assert!(self.documents > 0);
    }
}

#[test]
fn gsr_dev_sentences_keep_offsets() {
    let mut checker = Checker::new();
    let dir = shared().join("data/gsr-dev");
    for name in ["assault.jsonl", "protest.jsonl", "detect-assault.jsonl", "detect-protest.jsonl"] {
        let text = std::fs::read_to_string(dir.join(name)).expect("gsr-dev in ../shared");
        for line in text.lines() {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            checker.check(ArticleInput {
                id: v["id"].as_str().unwrap_or("gsr"),
                text: v["text"].as_str().unwrap(),
                published: v["published"].as_str(),
                ..Default::default()
            });
        }
    }
    assert!(checker.documents >= 2000);
    checker.finish("gsr-dev");
}

#[test]
fn ant_corpus_keeps_offsets() {
    let mut checker = Checker::new();
    let corpus = shared().join("corpus/ant-2018.jsonl.gz");
    assert!(corpus.exists(), "the ANT corpus is expected at {}", corpus.display());
    for article in read_paths(&[corpus], &ReadOptions::default()).filter_map(Result::ok).take(2000) {
        checker.check(ArticleInput {
            id: &article.id,
            text: &article.text,
            published: article.published.as_deref(),
            source: article.source.as_deref(),
            ..Default::default()
        });
    }
    assert_eq!(checker.documents, 2000);
    checker.finish("ant-2018");
}

#[test]
fn seed_keeps_offsets() {
    let mut checker = Checker::new();
    let text = std::fs::read_to_string(shared().join("data/seed/qaani-baghdad.ar.txt")).unwrap();
    let doc =
        checker.check(ArticleInput { id: "seed", text: &text, published: Some("2024-02-18"), ..Default::default() });
    assert!(!doc.entities.is_empty());
    checker.finish("seed");
}
