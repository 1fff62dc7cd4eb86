//! UPOS, XPOS and lemma accuracy on gold tokens, counted as the CoNLL 2018 scorer does.
use crate::model::{PosModel, PosTag};
use chronicle_formats::{Score, Sentence};
use std::collections::BTreeMap;

/// Scores on gold tokens, computed as the CoNLL 2018 shared-task scorer does
/// for UPOS, XPOS and Lemmas (every word counts; lemmas compare
/// case-sensitively, and a gold lemma of `_` accepts any prediction).
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct PosScores {
    pub words: usize,
    pub upos_accuracy: f64,
    pub xpos_accuracy: f64,
    pub lemma_accuracy: f64,
    /// UPOS and XPOS both right (the official scorer's AllTags when FEATS are
    /// not predicted).
    pub tags_accuracy: f64,
    /// Precision/recall/F1 of each UPOS tag.
    pub per_upos: BTreeMap<String, Score>,
}

/// Tags and lemmatizes the words of every gold sentence: the predictions
/// [`evaluate_pos`] scores, for writers that must report the same output.
pub fn predict_pos(model: &PosModel, gold: &[Sentence]) -> Vec<Vec<PosTag>> {
    gold.iter()
        .map(|s| {
            let words: Vec<&str> = s.words.iter().map(|w| w.form.as_str()).collect();
            model.tag(&words)
        })
        .collect()
}

pub fn evaluate_pos(model: &PosModel, gold: &[Sentence]) -> PosScores {
    score_pos(gold, &predict_pos(model, gold))
}

/// Scores `pred[i]` against the words of `gold[i]`.
pub fn score_pos(gold: &[Sentence], pred: &[Vec<PosTag>]) -> PosScores {
    let (mut n, mut upos_ok, mut xpos_ok, mut lemma_ok, mut tags_ok) = (0, 0, 0, 0, 0);
    let mut per: BTreeMap<String, Score> = BTreeMap::new();
    for (s, tags) in gold.iter().zip(pred) {
        for (w, t) in s.words.iter().zip(tags) {
            let u = t.upos == w.upos;
            let x = t.xpos == w.xpos;
            let l = w.lemma == "_" || t.lemma == w.lemma;
            n += 1;
            upos_ok += u as usize;
            xpos_ok += x as usize;
            lemma_ok += l as usize;
            tags_ok += (u && x) as usize;
            per.entry(w.upos.clone()).or_default().gold += 1;
            let p = per.entry(t.upos.to_string()).or_default();
            p.predicted += 1;
            p.correct += u as usize;
        }
    }
    per.values_mut().for_each(Score::update);
    PosScores {
        words: n,
        upos_accuracy: ratio(upos_ok, n),
        xpos_accuracy: ratio(xpos_ok, n),
        lemma_accuracy: ratio(lemma_ok, n),
        tags_accuracy: ratio(tags_ok, n),
        per_upos: per,
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}
