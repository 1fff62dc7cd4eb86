//! UPOS, XPOS and lemma accuracy on gold tokens, counted as the CoNLL 2018 scorer does.
use crate::feats::{universal_feats, FeatsModel};
use crate::feats_train::feats_tokens;
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
    /// UPOS and XPOS both right.
    pub tags_accuracy: f64,
    /// FEATS right, universal features only (the official scorer's UFeats),
    /// when a FEATS model was run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ufeats_accuracy: Option<f64>,
    /// UPOS, XPOS and FEATS all right (the official scorer's AllTags), when a
    /// FEATS model was run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alltags_accuracy: Option<f64>,
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
        ufeats_accuracy: None,
        alltags_accuracy: None,
        per_upos: per,
    }
}

/// FEATS of every gold sentence's words, read with `tags[i]` (our tagger's
/// output for sentence `i`): what [`evaluate_pos_feats`] scores, for writers
/// that must report the same output.
pub fn predict_feats(
    model: &FeatsModel,
    gold: &[Sentence],
    tags: &[Vec<PosTag>],
) -> Vec<Vec<&'static str>> {
    gold.iter()
        .zip(tags)
        .map(|(s, t)| model.predict(&feats_tokens(s, Some(t))))
        .collect()
}

/// UFeats accuracy of `pred[i]` against the words of `gold[i]`, both reduced
/// to universal features as the CoNLL 2018 scorer does.
pub fn score_feats(gold: &[Sentence], pred: &[Vec<&str>]) -> f64 {
    let (mut n, mut ok) = (0, 0);
    for (s, feats) in gold.iter().zip(pred) {
        for (w, f) in s.words.iter().zip(feats) {
            n += 1;
            ok += (universal_feats(&w.feats) == universal_feats(f)) as usize;
        }
    }
    ratio(ok, n)
}

/// [`evaluate_pos`] plus UFeats and AllTags from `feats` run on our tags.
pub fn evaluate_pos_feats(pos: &PosModel, feats: &FeatsModel, gold: &[Sentence]) -> PosScores {
    let tags = predict_pos(pos, gold);
    let predicted = predict_feats(feats, gold, &tags);
    let mut scores = score_pos(gold, &tags);
    scores.ufeats_accuracy = Some(score_feats(gold, &predicted));
    let (mut n, mut ok) = (0, 0);
    for ((s, t), f) in gold.iter().zip(&tags).zip(&predicted) {
        for ((w, t), f) in s.words.iter().zip(t).zip(f) {
            n += 1;
            ok += (t.upos == w.upos
                && t.xpos == w.xpos
                && universal_feats(&w.feats) == universal_feats(f)) as usize;
        }
    }
    scores.alltags_accuracy = Some(ratio(ok, n));
    scores
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}
