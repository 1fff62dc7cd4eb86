//! Entity-level exact-match scoring, with the chunk semantics of seqeval's
//! default mode (and conlleval), so figures are comparable with published ones.

use crate::{EntitySpan, Label, NerExample, NerModel};
use chronicle_formats::Score;
use serde::{Serialize, Serializer};
use std::collections::{BTreeMap, HashSet};

/// Chunks `(type, start, end_exclusive)` of an IOB2 sequence. A chunk starts at
/// `B-X`, or at `I-X` after anything but `B-X`/`I-X`; it ends before `O`, `B-*`
/// or a tag of another type. Tags without a `-` other than `O` count as O.
pub fn iob2_chunks<S: AsRef<str>>(tags: &[S]) -> Vec<(String, usize, usize)> {
    let mut out = Vec::new();
    let mut open: Option<(&str, usize)> = None;
    for (i, t) in tags.iter().enumerate() {
        let t = t.as_ref();
        let (prefix, typ) = match t.split_once('-') {
            Some((p, ty)) if !ty.is_empty() && (p == "B" || p == "I") => (p, ty),
            _ => ("O", ""),
        };
        let continues = prefix == "I" && open.is_some_and(|(ty, _)| ty == typ);
        if !continues {
            if let Some((ty, s)) = open.take() {
                out.push((ty.to_string(), s, i));
            }
            if prefix != "O" {
                open = Some((typ, i));
            }
        }
    }
    if let Some((ty, s)) = open {
        out.push((ty.to_string(), s, tags.len()));
    }
    out
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct NerScores {
    /// Micro-averaged over PER, ORG and LOC.
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub support: usize,
    pub predicted: usize,
    pub correct: usize,
    /// Per label; `gold` counts the label's gold entities and is written `support`,
    /// as seqeval's report names it.
    #[serde(serialize_with = "gold_as_support")]
    pub per_label: BTreeMap<String, Score>,
}

fn gold_as_support<S: Serializer>(
    per_label: &BTreeMap<String, Score>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.collect_map(per_label.iter().map(|(k, v)| (k, v.gold_named("support"))))
}

/// Match counts `(correct, predicted, gold)` per label, in [`Label::ALL`]
/// order: what [`NerScores`] are computed from, and what parts of a set (its
/// documents, folds) add up.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NerCounts(pub [(usize, usize, usize); 3]);

impl std::ops::AddAssign for NerCounts {
    fn add_assign(&mut self, o: Self) {
        for (a, b) in self.0.iter_mut().zip(o.0) {
            *a = (a.0 + b.0, a.1 + b.1, a.2 + b.2);
        }
    }
}

/// Counts predicted against gold spans, sentence by sentence (`gold[i]` and
/// `pred[i]` describe the same sentence). A prediction is correct only when
/// label, start and end all match.
pub fn count_spans(gold: &[Vec<EntitySpan>], pred: &[Vec<EntitySpan>]) -> NerCounts {
    let mut counts = NerCounts::default();
    for (g, p) in gold.iter().zip(pred) {
        let gs: HashSet<&EntitySpan> = g.iter().collect();
        let ps: HashSet<&EntitySpan> = p.iter().collect();
        for s in &gs {
            counts.0[s.label as usize].2 += 1;
        }
        for s in &ps {
            let c = &mut counts.0[s.label as usize];
            c.1 += 1;
            if gs.contains(s) {
                c.0 += 1;
            }
        }
    }
    counts
}

impl From<&NerCounts> for NerScores {
    fn from(counts: &NerCounts) -> Self {
        let mut scores = NerScores::default();
        for (l, &(c, p, g)) in Label::ALL.iter().zip(&counts.0) {
            scores
                .per_label
                .insert(l.as_str().to_string(), Score::from_counts(c, p, g));
            scores.correct += c;
            scores.predicted += p;
            scores.support += g;
        }
        let total = Score::from_counts(scores.correct, scores.predicted, scores.support);
        (scores.precision, scores.recall, scores.f1) = (total.precision, total.recall, total.f1);
        scores
    }
}

/// Scores predicted against gold spans, sentence by sentence, as [`count_spans`]
/// counts them.
pub fn score_spans(gold: &[Vec<EntitySpan>], pred: &[Vec<EntitySpan>]) -> NerScores {
    NerScores::from(&count_spans(gold, pred))
}

/// Tags the gold sentences' tokens, each run of consecutive sentences of one
/// document together ([`NerModel::tag_document`], as the annotation pipeline
/// tags an article), a sentence of no known document on its own: the
/// predictions [`evaluate_ner`] scores, for writers that must report the same
/// output.
pub fn predict_ner(model: &NerModel, gold: &[NerExample]) -> Vec<Vec<EntitySpan>> {
    let mut out = Vec::with_capacity(gold.len());
    let mut rest = gold;
    while let Some(first) = rest.first() {
        let n = if first.document.is_empty() {
            1
        } else {
            rest.iter()
                .take_while(|e| e.document == first.document)
                .count()
        };
        let (doc, tail) = rest.split_at(n);
        let words: Vec<Vec<&str>> = doc
            .iter()
            .map(|e| e.tokens.iter().map(String::as_str).collect())
            .collect();
        if first.document.is_empty() {
            out.push(model.tag(&words[0]));
        } else {
            out.extend(model.tag_document(&words));
        }
        rest = tail;
    }
    out
}

/// Tags every gold sentence's tokens and scores the result.
pub fn evaluate_ner(model: &NerModel, gold: &[NerExample]) -> NerScores {
    let pred = predict_ner(model, gold);
    let gold_spans: Vec<Vec<EntitySpan>> = gold.iter().map(|e| e.entities.clone()).collect();
    score_spans(&gold_spans, &pred)
}

/// Scores [`NerModel::tag_document`] over documents (each a list of gold
/// sentences); `partial` as in [`evaluate_ner_partial`].
pub fn evaluate_ner_documents(
    model: &NerModel,
    docs: &[Vec<NerExample>],
    partial: bool,
) -> NerScores {
    let mut gold_spans = Vec::new();
    let mut pred = Vec::new();
    for doc in docs {
        let sents: Vec<Vec<&str>> = doc
            .iter()
            .map(|e| e.tokens.iter().map(String::as_str).collect())
            .collect();
        let tagged = model.tag_document(&sents);
        for (ex, spans) in doc.iter().zip(tagged) {
            gold_spans.push(ex.entities.clone());
            pred.push(
                spans
                    .into_iter()
                    .filter(|s| !partial || !unannotated(ex, s))
                    .collect(),
            );
        }
    }
    score_spans(&gold_spans, &pred)
}

fn unannotated(ex: &NerExample, s: &EntitySpan) -> bool {
    !ex.ignore.is_empty()
        && (s.start_token..s.end_token).all(|k| ex.ignore.get(k).copied().unwrap_or(false))
}

/// Like [`evaluate_ner`], but a predicted span lying entirely on tokens the
/// gold marks as unannotated (`NerExample::ignore`) counts neither way. For
/// corpora such as MEANTIME that label only some of the names.
pub fn evaluate_ner_partial(model: &NerModel, gold: &[NerExample]) -> NerScores {
    let pred: Vec<Vec<EntitySpan>> = gold
        .iter()
        .map(|ex| {
            let words: Vec<&str> = ex.tokens.iter().map(String::as_str).collect();
            model
                .tag(&words)
                .into_iter()
                .filter(|s| {
                    ex.ignore.is_empty()
                        || !(s.start_token..s.end_token)
                            .all(|k| ex.ignore.get(k).copied().unwrap_or(false))
                })
                .collect()
        })
        .collect();
    let gold_spans: Vec<Vec<EntitySpan>> = gold.iter().map(|e| e.entities.clone()).collect();
    score_spans(&gold_spans, &pred)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sp(s: usize, e: usize, l: Label) -> EntitySpan {
        EntitySpan {
            start_token: s,
            end_token: e,
            label: l,
        }
    }

    #[test]
    fn chunks_follow_seqeval_semantics() {
        let t = [
            "B-PER", "I-PER", "O", "I-LOC", "I-LOC", "B-LOC", "I-ORG", "B-X",
        ];
        assert_eq!(
            iob2_chunks(&t),
            vec![
                ("PER".to_string(), 0, 2),
                ("LOC".to_string(), 3, 5),
                ("LOC".to_string(), 5, 6),
                ("ORG".to_string(), 6, 7),
                ("X".to_string(), 7, 8),
            ]
        );
        assert!(iob2_chunks(&["O", "O"]).is_empty());
    }

    #[test]
    fn exact_match_only() {
        let gold = vec![vec![
            sp(0, 2, Label::Per),
            sp(3, 4, Label::Loc),
            sp(5, 7, Label::Org),
        ]];
        // Right type, left boundary wrong; exact LOC; ORG labelled PER.
        let pred = vec![vec![
            sp(1, 2, Label::Per),
            sp(3, 4, Label::Loc),
            sp(5, 7, Label::Per),
        ]];
        let s = score_spans(&gold, &pred);
        assert_eq!((s.correct, s.predicted, s.support), (1, 3, 3));
        assert!((s.f1 - 1.0 / 3.0).abs() < 1e-9);
        let per = s.per_label["PER"];
        assert_eq!((per.correct, per.predicted, per.gold), (0, 2, 1));
        let loc = s.per_label["LOC"];
        assert_eq!(loc.f1, 1.0);
        let org = s.per_label["ORG"];
        assert_eq!((org.correct, org.predicted, org.gold), (0, 0, 1));
        assert_eq!(org.precision, 0.0);
        let json = serde_json::to_value(&s).unwrap();
        assert_eq!(json["per_label"]["ORG"]["support"], 1);
        assert!(json["per_label"]["ORG"].get("gold").is_none());
        assert_eq!(json["support"], 3);
    }

    #[test]
    fn right_boundary_mismatch_and_empty() {
        let gold = vec![vec![sp(0, 3, Label::Org)], vec![]];
        let pred = vec![vec![sp(0, 2, Label::Org)], vec![sp(0, 1, Label::Loc)]];
        let s = score_spans(&gold, &pred);
        assert_eq!((s.correct, s.predicted, s.support), (0, 2, 1));
        assert_eq!(s.f1, 0.0);
        let empty = score_spans(&[], &[]);
        assert_eq!(empty.f1, 0.0);
    }
}
