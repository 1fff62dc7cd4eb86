//! Attachment scores (UAS/LAS) of the parser on gold sentences, with gold or predicted input tags.
use crate::{Arc, ParserModel, Scratch};
use chronicle_formats::{Score, Sentence};
use std::collections::BTreeMap;

/// A tagger: given a sentence's words, returns `(upos, xpos)` per word.
pub type TagFn<'a> = dyn Fn(&[&str]) -> Vec<(String, String)> + 'a;

/// Where the parser's input tags come from during evaluation.
pub enum TagSource<'a> {
    /// UPOS/XPOS columns of the gold file.
    Gold,
    Predicted(&'a TagFn<'a>),
}

#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct ParseScores {
    pub words: usize,
    pub uas: f64,
    /// Head and universal relation (the part before ':') correct, as the
    /// CoNLL 2018 scorer counts it.
    pub las: f64,
    /// Head and full relation including subtype (`nmod:poss`) correct.
    pub las_full: f64,
    /// Per full relation, precision/recall/F1 of (head, relation): `correct` counts
    /// words with the right head and relation.
    pub per_deprel: BTreeMap<String, Score>,
}

fn universal(l: &str) -> &str {
    l.split(':').next().unwrap_or(l)
}

/// Parses every sentence of `gold` with tags from `tags`.
pub fn predict(model: &ParserModel, gold: &[Sentence], tags: &TagSource) -> Vec<Vec<Arc>> {
    let mut scratch = Scratch::default();
    gold.iter()
        .map(|s| {
            let words: Vec<&str> = s.words.iter().map(|w| w.form.as_str()).collect();
            match tags {
                TagSource::Gold => {
                    let up: Vec<&str> = s.words.iter().map(|w| w.upos.as_str()).collect();
                    let xp: Vec<&str> = s.words.iter().map(|w| w.xpos.as_str()).collect();
                    model.parse_with(&mut scratch, &words, &up, &xp)
                }
                TagSource::Predicted(f) => {
                    let t = f(&words);
                    let up: Vec<&str> = t.iter().map(|(u, _)| u.as_str()).collect();
                    let xp: Vec<&str> = t.iter().map(|(_, x)| x.as_str()).collect();
                    model.parse_with(&mut scratch, &words, &up, &xp)
                }
            }
        })
        .collect()
}

/// Attachment scores over all words, punctuation included (as the CoNLL 2018
/// shared-task scorer does with gold tokenisation).
pub fn evaluate_parser(model: &ParserModel, gold: &[Sentence], tags: TagSource) -> ParseScores {
    let pred = predict(model, gold, &tags);
    score_arcs(gold, &pred)
}

pub fn score_arcs(gold: &[Sentence], pred: &[Vec<Arc>]) -> ParseScores {
    let (mut words, mut uas, mut las, mut las_full) = (0usize, 0usize, 0usize, 0usize);
    let mut per: BTreeMap<String, Score> = BTreeMap::new();
    for (s, p) in gold.iter().zip(pred) {
        for (w, a) in s.words.iter().zip(p) {
            words += 1;
            per.entry(w.deprel.clone()).or_default().gold += 1;
            per.entry(a.deprel.clone()).or_default().predicted += 1;
            if w.head == a.head {
                uas += 1;
                if universal(&w.deprel) == universal(&a.deprel) {
                    las += 1;
                }
                if w.deprel == a.deprel {
                    las_full += 1;
                    per.entry(w.deprel.clone()).or_default().correct += 1;
                }
            }
        }
    }
    let frac = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    per.values_mut().for_each(Score::update);
    ParseScores {
        words,
        uas: frac(uas, words),
        las: frac(las, words),
        las_full: frac(las_full, words),
        per_deprel: per,
    }
}
