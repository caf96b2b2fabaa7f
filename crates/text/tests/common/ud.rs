//! Token-boundary agreement of the tokenizer's clitic segmentation with a UD CoNLL-U treebank (shared by the
//! `ud_agreement` example and the `ud_agreement` integration test).
//!
//! Gold words are rebuilt on the SURFACE text (`# text =`): every syntactic word line's form is located in the
//! sentence text in order; consecutive Arabic forms with no whitespace between them form one gold word, and the
//! points where one form ends and the next begins are its gold split points. In UD Arabic-PUD the forms
//! concatenate exactly to the surface (`للسلطة` is `ل` + `لسلطة`, `حكومته` is `حكومت` + `ه`), so split points
//! are byte offsets of the original text and need no re-spelling; a sentence whose forms cannot be located in
//! its text (a treebank that re-spells forms, like `ل` + `السلطة`) is counted in `skipped_sentences` instead
//! of being guessed at. UD does not split the article `ال`, so the tokenizer's article boundary (after `ال`,
//! or after the `ل` of `لل`) is left out of its split points; every other segment boundary counts, and so do
//! the tokenizer's token edges falling inside a gold word.

use rasid_text::score::{self, ratio};
use rasid_text::token::{is_arabic_letter, TokenKind};
use rasid_text::{NormalizedText, Tokenizer};
use std::collections::BTreeSet;

/// Counts behind the agreement figures.
#[derive(Debug, Default, Clone, Copy)]
pub struct Agreement {
    pub sentences: usize,
    pub skipped_sentences: usize,
    pub words: usize,
    pub words_exact: usize,
    pub clitic_words: usize,
    pub clitic_words_exact: usize,
    pub true_pos: usize,
    pub false_pos: usize,
    pub false_neg: usize,
}

impl Agreement {
    pub fn word_accuracy(&self) -> f64 {
        ratio(self.words_exact, self.words)
    }
    pub fn clitic_word_accuracy(&self) -> f64 {
        ratio(self.clitic_words_exact, self.clitic_words)
    }
    pub fn precision(&self) -> f64 {
        score::precision(self.true_pos, self.false_pos)
    }
    pub fn recall(&self) -> f64 {
        score::recall(self.true_pos, self.false_neg)
    }
    pub fn f1(&self) -> f64 {
        score::f1(self.precision(), self.recall())
    }
}

fn is_arabic_form(form: &str) -> bool {
    !form.is_empty()
        && form.chars().all(|c| is_arabic_letter(c) || matches!(c, '\u{0640}' | '\u{064B}'..='\u{065F}' | '\u{0670}'))
}

/// One disagreement, for error listings: the surface word, gold split points, predicted split points.
pub type Miss = (String, Vec<usize>, Vec<usize>);

/// Scores `tokenizer` against the CoNLL-U text; disagreements are passed to `on_miss`.
pub fn evaluate(conllu: &str, tokenizer: &Tokenizer, mut on_miss: impl FnMut(Miss)) -> Agreement {
    let mut a = Agreement::default();
    let mut norm = NormalizedText::default();
    let mut toks = Vec::new();
    for block in conllu.split("\n\n") {
        let Some(text) = block.lines().find_map(|l| l.strip_prefix("# text = ")) else {
            continue;
        };
        a.sentences += 1;
        // (start, end, preceded by whitespace, arabic) of each syntactic word, located in `text`.
        let mut forms = Vec::new();
        let mut pos = 0;
        let mut ok = true;
        for line in block.lines().filter(|l| !l.starts_with('#') && !l.is_empty()) {
            let mut cols = line.split('\t');
            let (Some(id), Some(form)) = (cols.next(), cols.next()) else {
                continue;
            };
            if id.contains('-') || id.contains('.') {
                continue;
            }
            let rest = &text[pos..];
            let trimmed = rest.trim_start();
            let gap = trimmed.len() != rest.len();
            let start = pos + (rest.len() - trimmed.len());
            if !trimmed.starts_with(form) {
                ok = false;
                break;
            }
            pos = start + form.len();
            forms.push((start, pos, gap, is_arabic_form(form)));
        }
        if !ok {
            a.skipped_sentences += 1;
            continue;
        }
        norm.reset(text);
        tokenizer.tokenize_original(text, &norm, &mut toks);
        let mut predicted = BTreeSet::new();
        for t in toks.iter().filter(|t| t.kind == TokenKind::Arabic) {
            let stem_start = t.stem().start;
            for seg in t.segments() {
                if seg.start == stem_start && t.prefixes.is_definite() {
                    continue;
                }
                predicted.insert(norm.original_offset(seg.start));
            }
            predicted.insert(t.span(&norm).end);
        }
        let mut k = 0;
        while k < forms.len() {
            if !forms[k].3 {
                k += 1;
                continue;
            }
            let mut j = k + 1;
            while j < forms.len() && forms[j].3 && !forms[j].2 {
                j += 1;
            }
            let (ws, we) = (forms[k].0, forms[j - 1].1);
            let gold: Vec<usize> = forms[k + 1..j].iter().map(|f| f.0).collect();
            let pred: Vec<usize> = predicted.range(ws + 1..we).copied().collect();
            let edges = predicted.contains(&ws) && predicted.contains(&we);
            let exact = gold == pred && edges;
            a.words += 1;
            a.words_exact += usize::from(exact);
            if !gold.is_empty() {
                a.clitic_words += 1;
                a.clitic_words_exact += usize::from(exact);
            }
            let tp = pred.iter().filter(|p| gold.contains(p)).count();
            a.true_pos += tp;
            a.false_pos += pred.len() - tp;
            a.false_neg += gold.len() - tp;
            if !exact {
                let rel = |v: &[usize]| v.iter().map(|x| x - ws).collect();
                on_miss((text[ws..we].to_string(), rel(&gold), rel(&pred)));
            }
            k = j;
        }
    }
    a
}
