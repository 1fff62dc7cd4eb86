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
    }
    let all = per.all();
    Ok(NerReport {
        whole: NerScores::from(&all.spans),
        documents: all.documents,
        tune: NerPart::from(&per.tune()),
        check: NerPart::from(&per.check()),
        folds: FoldFigures::new(&per, &HEADLINE),
    })
}
