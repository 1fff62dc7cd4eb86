//! NER (PER/ORG/LOC) on a Universal NER IOB2 file or a MEANTIME corpus folder,
//! split into tune and check parts by document ([`crate::folds`]): a MEANTIME
//! article by its file name, a UNER sentence by its document (`# newdoc id`, else
//! its `sent_id` without the sentence number). Each document's sentences are
//! tagged together, as the annotation pipeline tags an article
//! (`chronicle_ner::predict_ner`, the output of `chronicle tag --format iob2`,
//! which the official seqeval cross-check scores); the whole set's figures are
//! those of `chronicle_ner::evaluate_ner`.

use crate::folds::{FoldFigures, Measure, PerFold};
use crate::EvalError;
use chronicle_ner::{count_spans, EntitySpan, NerCounts, NerExample, NerModel, NerScores};
use serde::Serialize;
use std::path::Path;

/// `benchmark accuracy --task ner`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NerReport {
    /// The whole set (its fields appear at the top level of the JSON, as before
    /// the parts existed).
    #[serde(flatten)]
    pub whole: NerScores,
    pub documents: usize,
    /// Documents whose key falls in the tune folds: look at these.
    pub tune: NerPart,
    /// The other documents: only scored.
    pub check: NerPart,
    /// Each fold, and the spread of the headline figures over them.
    pub folds: FoldFigures<NerPart>,
    /// For a corpus that leaves names out of its annotation (MEANTIME marks the
    /// entities its events involve): the same figures with a prediction lying
    /// wholly on names the gold left out counted neither way. Absent when every
    /// name is annotated (UNER).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unannotated_ignored: Option<NerPartial>,
}

/// [`NerReport::unannotated_ignored`]: the whole set and its two parts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NerPartial {
    #[serde(flatten)]
    pub whole: NerScores,
    pub tune: NerPart,
    pub check: NerPart,
}

/// The figures of some of the documents (a part or a fold).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NerPart {
    pub documents: usize,
    #[serde(flatten)]
    pub scores: NerScores,
}

#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Counts {
    documents: usize,
    spans: NerCounts,
}

impl std::ops::AddAssign for Counts {
    fn add_assign(&mut self, o: Self) {
        self.documents += o.documents;
        self.spans += o.spans;
    }
}

impl From<&Counts> for NerPart {
    fn from(c: &Counts) -> Self {
        NerPart {
            documents: c.documents,
            scores: NerScores::from(&c.spans),
        }
    }
}

const HEADLINE: [Measure<NerPart>; 3] = [
    ("precision", |p| p.scores.precision),
    ("recall", |p| p.scores.recall),
    ("f1", |p| p.scores.f1),
];

/// Gold sentences grouped by document, each document with its fold key.
pub fn ner_documents(data: &Path) -> Result<Vec<(String, Vec<NerExample>)>, EvalError> {
    let ner = |e: chronicle_ner::NerError| EvalError::NothingToScore {
        path: data.to_path_buf(),
        reason: e.to_string(),
    };
    if data.is_dir() {
        return chronicle_ner::load_meantime_named(data).map_err(ner);
    }
    let sents = chronicle_formats::read_iob2_file(data)?;
    let examples = chronicle_ner::examples_from_iob2(&sents).map_err(ner)?;
    let mut docs: Vec<(String, Vec<NerExample>)> = Vec::new();
    for ex in examples {
        match docs.last_mut() {
            Some((k, d)) if *k == ex.document && !k.is_empty() => d.push(ex),
            _ => docs.push((ex.document.clone(), vec![ex])),
        }
    }
    Ok(docs)
}

/// Tags each document's sentences and scores them by part.
pub fn score_ner(model: &NerModel, data: &Path) -> Result<NerReport, EvalError> {
    let docs = ner_documents(data)?;
    if docs.is_empty() {
        return Err(EvalError::NothingToScore {
            path: data.to_path_buf(),
            reason: "no sentences".into(),
        });
    }
    let mut per: PerFold<Counts> = PerFold::default();
    let mut partial: PerFold<Counts> = PerFold::default();
    let partly_annotated = docs
        .iter()
        .flat_map(|(_, d)| d)
        .any(|e| !e.ignore.is_empty());
    for (key, doc) in &docs {
        let gold: Vec<Vec<EntitySpan>> = doc.iter().map(|e| e.entities.clone()).collect();
        let pred = chronicle_ner::predict_ner(model, doc);
        per.add(
            key,
            Counts {
                documents: 1,
                spans: count_spans(&gold, &pred),
            },
        );
        let kept: Vec<Vec<EntitySpan>> = doc
            .iter()
            .zip(&pred)
            .map(|(ex, spans)| {
                let unannotated = |s: &EntitySpan| {
                    (s.start_token..s.end_token).all(|k| ex.ignore.get(k).copied().unwrap_or(false))
                };
                spans.iter().filter(|s| !unannotated(s)).copied().collect()
            })
            .collect();
        partial.add(
            key,
            Counts {
                documents: 1,
                spans: count_spans(&gold, &kept),
            },
        );
    }
    let all = per.all();
    Ok(NerReport {
        whole: NerScores::from(&all.spans),
        documents: all.documents,
        tune: NerPart::from(&per.tune()),
        check: NerPart::from(&per.check()),
        folds: FoldFigures::new(&per, &HEADLINE),
        unannotated_ignored: partly_annotated.then(|| NerPartial {
            whole: NerScores::from(&partial.all().spans),
            tune: NerPart::from(&partial.tune()),
            check: NerPart::from(&partial.check()),
        }),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_split_into_parts_that_add_up() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("names.iob2");
        let mut text = String::new();
        for d in 0..12 {
            text += &format!(
                "# newdoc id = doc-{d}\n# sent_id = doc-{d}-0001\n1\tIlse\tB-PER\n2\tVarga\tI-PER\n3\tvisited\tO\n4\tVarnholm\tB-LOC\n\n\
                 # sent_id = doc-{d}-0002\n1\tVarga\tB-PER\n2\tleft\tO\n3\t.\tO\n\n"
            );
        }
        std::fs::write(&path, text).expect("write");
        let docs = ner_documents(&path).expect("read");
        assert_eq!(docs.len(), 12);
        assert!(docs.iter().all(|(_, d)| d.len() == 2));
        let model = &crate::pipeline().expect("models").ner;
        let r = score_ner(model, &path).expect("scored");
        assert_eq!(r.documents, 12);
        assert_eq!(r.tune.documents + r.check.documents, 12);
        assert_eq!(
            r.tune.scores.support + r.check.scores.support,
            r.whole.support
        );
        assert_eq!(
            r.tune.scores.correct + r.check.scores.correct,
            r.whole.correct
        );
        assert_eq!(r.whole.support, 36);
        assert!(r.unannotated_ignored.is_none(), "UNER annotates every name");
    }
}
