use crate::features::Scratch;
use crate::model::PosModel;
use chronicle_formats::Sentence;
use std::collections::BTreeMap;

/// Precision/recall/F1 of one UPOS tag.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct LabelScores {
    pub gold: usize,
    pub predicted: usize,
    pub correct: usize,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

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
    pub per_upos: BTreeMap<String, LabelScores>,
}

pub fn evaluate_pos(model: &PosModel, gold: &[Sentence]) -> PosScores {
    let mut sc = Scratch::default();
    let mut classes = Vec::new();
    let (mut n, mut upos_ok, mut xpos_ok, mut lemma_ok, mut tags_ok) = (0, 0, 0, 0, 0);
    let mut per: BTreeMap<String, LabelScores> = BTreeMap::new();
    for s in gold {
        let words: Vec<&str> = s.words.iter().map(|w| w.form.as_str()).collect();
        model.tag_classes(&words, &mut sc, &mut classes);
        for (i, (w, &c)) in s.words.iter().zip(&classes).enumerate() {
            let upos = model.upos[c as usize];
            let xpos = model.xpos[c as usize];
            let lemma = model.lemma_for(&w.form, i, c, &mut sc);
            let u = upos == w.upos;
            let x = xpos == w.xpos;
            let l = w.lemma == "_" || lemma == w.lemma;
            n += 1;
            upos_ok += u as usize;
            xpos_ok += x as usize;
            lemma_ok += l as usize;
            tags_ok += (u && x) as usize;
            per.entry(w.upos.clone()).or_default().gold += 1;
            let p = per.entry(upos.to_string()).or_default();
            p.predicted += 1;
            p.correct += u as usize;
        }
    }
    for s in per.values_mut() {
        (s.precision, s.recall, s.f1) = chronicle_formats::prf(s.correct, s.predicted, s.gold);
    }
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
