//! Named entity recognition for English news: persons, organizations and
//! locations. An averaged-perceptron sequence tagger (the shared `chronicle-ml`
//! learner) over word, shape, affix, ±2 window, casing-vs-lexicon and
//! gazetteer features. Tags are BILOU internally (an explicit "last token of a
//! name" decision) and decoded with first-order Viterbi, trained as a
//! structured perceptron; a greedy decoder with richer tag-history features is
//! kept as a training option. Names of other kinds (UNER OTH, products) are a
//! hidden class so the model does not learn "unknown capitalised name = O".
//! Callers see spans; [`NerModel::tag_document`] adds a document-level pass
//! that makes repeated names agree.
//!
//! Nationality adjectives ("Syrian") are not entities here, as in UNER, but
//! [`demonym_country`] links them to their country for later stages.

mod document;
mod eval;
mod features;
mod gazetteer;
mod meantime;
mod train;
mod viterbi;

pub use eval::{
    count_spans, evaluate_ner, evaluate_ner_documents, evaluate_ner_partial, iob2_chunks,
    predict_ner, score_spans, NerCounts, NerScores,
};
pub use gazetteer::{city_country, country_code, demonym_country};
pub use meantime::{
    load_meantime_dir, load_meantime_docs, load_meantime_file, load_meantime_named, parse_meantime,
};
pub use train::{train_ner, EpochReport, TrainOptions};
// `Scheme` is defined below and exported from the crate root.

use chronicle_ml::codec::{pack, unpack_version, Reader, Writer};
use chronicle_ml::{argmax, Model};
use features::{Lexicon, Prepared};
use serde::Serialize;
use std::cell::RefCell;

/// Entity classes. UNER's OTH and MEANTIME's products are not predicted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Label {
    #[serde(rename = "PER")]
    Per,
    #[serde(rename = "ORG")]
    Org,
    #[serde(rename = "LOC")]
    Loc,
}

impl Label {
    pub const ALL: [Label; 3] = [Label::Per, Label::Org, Label::Loc];

    pub fn as_str(self) -> &'static str {
        match self {
            Label::Per => "PER",
            Label::Org => "ORG",
            Label::Loc => "LOC",
        }
    }

    /// `PER`/`ORG`/`LOC`; anything else (OTH, MISC, …) is not an entity here.
    pub fn parse(s: &str) -> Option<Label> {
        match s {
            "PER" => Some(Label::Per),
            "ORG" => Some(Label::Org),
            "LOC" => Some(Label::Loc),
            _ => None,
        }
    }
}

impl std::fmt::Display for Label {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Tokens `start_token..end_token` (end exclusive) name an entity of `label`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct EntitySpan {
    pub start_token: usize,
    pub end_token: usize,
    pub label: Label,
}

/// A tokenized sentence with its gold entities, the unit of training and scoring.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NerExample {
    pub tokens: Vec<String>,
    /// Sorted, non-overlapping, within `0..tokens.len()`.
    pub entities: Vec<EntitySpan>,
    /// Names of other kinds (UNER OTH, MEANTIME products) as `start..end`
    /// token ranges. Never predicted as entities; the tagger learns them as a
    /// separate internal class so that "a capitalised unknown name that is not
    /// PER/ORG/LOC" is not taught as plain O.
    pub others: Vec<(usize, usize)>,
    /// Tokens whose gold label is unknown (names a partially annotated corpus
    /// left out); empty when everything is annotated. Training makes no update
    /// there and partial scoring ignores predictions lying inside them.
    pub ignore: Vec<bool>,
    /// The document the sentence belongs to (empty when unknown). Consecutive
    /// sentences with the same key are tagged together by [`predict_ner`], as
    /// the annotation pipeline tags an article ([`NerModel::tag_document`]).
    pub document: String,
}

impl NerExample {
    /// From IOB2 tags, seqeval-style: a chunk starts at `B-X`, or at an `I-X`
    /// that does not continue an `X` chunk. Types other than PER/ORG/LOC are O.
    pub fn from_iob2<S: AsRef<str>>(tokens: Vec<String>, tags: &[S]) -> Result<Self, NerError> {
        if tokens.len() != tags.len() {
            return Err(NerError::Invalid(format!(
                "{} tokens but {} tags",
                tokens.len(),
                tags.len()
            )));
        }
        let mut entities = Vec::new();
        let mut others = Vec::new();
        for (l, s, e) in iob2_chunks(tags) {
            match Label::parse(&l) {
                Some(label) => entities.push(EntitySpan {
                    start_token: s,
                    end_token: e,
                    label,
                }),
                None if l == "OTH" || l == "MISC" => others.push((s, e)),
                None => {}
            }
        }
        Ok(NerExample {
            tokens,
            entities,
            others,
            ignore: Vec::new(),
            document: String::new(),
        })
    }

    pub fn to_iob2(&self) -> Vec<String> {
        spans_to_iob2(self.tokens.len(), &self.entities)
    }
}

impl TryFrom<&chronicle_formats::NerSentence> for NerExample {
    type Error = NerError;
    fn try_from(s: &chronicle_formats::NerSentence) -> Result<Self, NerError> {
        NerExample::from_iob2(s.tokens.clone(), &s.tags)
    }
}

/// Converts sentences read by `chronicle_formats::read_iob2*`, each with its
/// document ([`iob2_document_keys`]).
pub fn examples_from_iob2(
    sentences: &[chronicle_formats::NerSentence],
) -> Result<Vec<NerExample>, NerError> {
    sentences
        .iter()
        .zip(iob2_document_keys(sentences))
        .map(|(s, document)| {
            Ok(NerExample {
                document,
                ..NerExample::try_from(s)?
            })
        })
        .collect()
}

/// The document each sentence read by `chronicle_formats::read_iob2*` belongs
/// to: the last `# newdoc id =` at or before it, else its `# sent_id` without
/// the trailing `-NNNN` sentence number (UD's convention), else none (`""`).
pub fn iob2_document_keys(sentences: &[chronicle_formats::NerSentence]) -> Vec<String> {
    let field = |s: &chronicle_formats::NerSentence, key: &str| {
        s.comments.iter().find_map(|c| {
            let (k, v) = c.trim_start_matches('#').split_once('=')?;
            (k.trim() == key).then(|| v.trim().to_string())
        })
    };
    let mut current: Option<String> = None;
    sentences
        .iter()
        .map(|s| {
            if let Some(d) = field(s, "newdoc id") {
                current = Some(d);
            }
            current.clone().unwrap_or_else(|| {
                field(s, "sent_id")
                    .map(|id| match id.rsplit_once('-') {
                        Some((doc, n)) if n.chars().all(|c| c.is_ascii_digit()) => doc.to_string(),
                        _ => id,
                    })
                    .unwrap_or_default()
            })
        })
        .collect()
}

/// IOB2 tags for spans; spans past `n` are clipped.
pub fn spans_to_iob2(n: usize, spans: &[EntitySpan]) -> Vec<String> {
    let mut tags = vec!["O".to_string(); n];
    for s in spans {
        for (k, t) in tags
            .iter_mut()
            .enumerate()
            .take(s.end_token.min(n))
            .skip(s.start_token)
        {
            *t = format!("{}-{}", if k == s.start_token { "B" } else { "I" }, s.label);
        }
    }
    tags
}

#[derive(Debug, thiserror::Error)]
pub enum NerError {
    #[error("NER model: {0}")]
    Model(#[from] chronicle_ml::ModelError),
    #[error("NER model was trained with unknown tag {0:?}")]
    UnknownTag(String),
    #[error("{0}")]
    Invalid(String),
    #[error(transparent)]
    Format(#[from] chronicle_formats::FormatError),
    #[error("cannot read {path}: {err}")]
    Io {
        path: std::path::PathBuf,
        #[source]
        err: std::io::Error,
    },
    #[error("{path}: malformed MEANTIME XML: {reason}")]
    Xml { path: String, reason: String },
}

pub(crate) const MODEL_KIND: &str = "ner-v1";
/// Same features without tag history, decoded with Viterbi.
pub(crate) const MODEL_KIND_VITERBI: &str = "ner-viterbi-v1";
const FILE_MAGIC: &[u8; 8] = b"CHRNNER1";
const FILE_VERSION: u16 = 1;

/// Position of a tag inside an entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Part {
    Out,
    Begin,
    Inside,
    Last,
    Unit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Tag {
    pub part: Part,
    pub label: Option<Label>,
    /// Internal "other name" class; `label` is then `None`.
    pub other: bool,
}

impl Tag {
    pub fn parse(s: &str) -> Option<Tag> {
        if s == "O" {
            return Some(Tag {
                part: Part::Out,
                label: None,
                other: false,
            });
        }
        let (p, l) = s.split_once('-')?;
        let part = match p {
            "B" => Part::Begin,
            "I" => Part::Inside,
            "L" => Part::Last,
            "U" => Part::Unit,
            _ => return None,
        };
        if l == OTHER {
            return Some(Tag {
                part,
                label: None,
                other: true,
            });
        }
        Some(Tag {
            part,
            label: Some(Label::parse(l)?),
            other: false,
        })
    }

    /// Whether an entity is open after this tag (the next tag must continue it).
    pub(crate) fn is_open(self) -> bool {
        self.open()
    }

    fn open(self) -> bool {
        matches!(self.part, Part::Begin | Part::Inside)
    }

    /// Whether `self` may follow `prev` (`None` = sentence start). Under BILOU
    /// an open entity must be continued; under IOB2 it may simply stop.
    pub fn allowed_after(self, prev: Option<Tag>, bilou: bool) -> bool {
        let continues = matches!(self.part, Part::Inside | Part::Last);
        match prev {
            Some(p) if p.open() => {
                if continues {
                    p.label == self.label && p.other == self.other
                } else {
                    !bilou
                }
            }
            _ => !continues,
        }
    }
}

/// Internal type name of the "other name" class.
pub(crate) const OTHER: &str = "OTH";

/// Tag encodings the tagger can be trained with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Scheme {
    /// Begin/Inside/Last/Unit: explicit end decisions, but a greedy decoder
    /// that opened an entity must finish it.
    Bilou,
    /// Begin/Inside: an entity can end at any token.
    Iob2,
}

pub(crate) fn scheme_labels(scheme: Scheme) -> Vec<String> {
    let parts: &[&str] = match scheme {
        Scheme::Bilou => &["B", "I", "L", "U"],
        Scheme::Iob2 => &["B", "I"],
    };
    let mut v = vec!["O".to_string()];
    for l in Label::ALL.iter().map(|l| l.as_str()).chain([OTHER]) {
        for p in parts {
            v.push(format!("{p}-{l}"));
        }
    }
    v
}

/// Gold tag strings for a training example. Other-name ranges that overlap an
/// entity are skipped.
pub(crate) fn scheme_tags(
    scheme: Scheme,
    n: usize,
    spans: &[EntitySpan],
    others: &[(usize, usize)],
) -> Vec<String> {
    let bilou = scheme == Scheme::Bilou;
    let mut tags = vec!["O".to_string(); n];
    let write = |tags: &mut Vec<String>, start: usize, end: usize, ty: &str| {
        let end = end.min(n);
        if start >= end || tags[start..end].iter().any(|t| t != "O") {
            return;
        }
        if end - start == 1 {
            tags[start] = format!("{}-{ty}", if bilou { "U" } else { "B" });
            return;
        }
        for (k, t) in tags.iter_mut().enumerate().take(end).skip(start) {
            let p = if k == start {
                "B"
            } else if k + 1 == end && bilou {
                "L"
            } else {
                "I"
            };
            *t = format!("{p}-{ty}");
        }
    };
    for s in spans {
        write(&mut tags, s.start_token, s.end_token, s.label.as_str());
    }
    for &(s, e) in others {
        write(&mut tags, s, e, OTHER);
    }
    tags
}

/// Trained tagger. Immutable and `Send + Sync`; tagging allocates only
/// per-thread scratch space.
#[derive(Debug, Clone)]
pub struct NerModel {
    pub(crate) model: Model,
    pub(crate) tags: Vec<Tag>,
    pub(crate) bilou: bool,
    /// Set for Viterbi models: dense transition scores and constraints.
    pub(crate) viterbi: Option<(Vec<f32>, viterbi::Constraints)>,
    pub(crate) lexicon: Lexicon,
}

/// Per-thread buffers, and the memo of words' own partial scores.
#[derive(Default)]
struct Scratch {
    prep: Prepared,
    feats: Vec<u64>,
    scores: Vec<f32>,
    acc: Vec<i32>,
    memo: chronicle_ml::Memo,
}

/// 4,096 slots of 17 classes: under 300 KB.
const MEMO_SLOTS: usize = 4096;

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

impl NerModel {
    pub(crate) fn from_model(model: Model, lexicon: Lexicon) -> Result<Self, NerError> {
        let tags = model
            .labels()
            .iter()
            .map(|l| Tag::parse(l).ok_or_else(|| NerError::UnknownTag(l.clone())))
            .collect::<Result<Vec<_>, _>>()?;
        if !tags.iter().any(|t| t.part == Part::Out) {
            return Err(NerError::Invalid("NER model has no O tag".into()));
        }
        if model.kind() != MODEL_KIND && model.kind() != MODEL_KIND_VITERBI {
            return Err(NerError::Model(chronicle_ml::ModelError::WrongKind {
                expected: MODEL_KIND.to_string(),
                found: model.kind().to_string(),
            }));
        }
        let bilou = tags
            .iter()
            .any(|t| matches!(t.part, Part::Last | Part::Unit));
        let viterbi = (model.kind() == MODEL_KIND_VITERBI).then(|| {
            let cons = viterbi::Constraints::new(&tags, bilou);
            let trans = viterbi::transitions(tags.len(), &cons, |f, row| model.score(f, row));
            (trans, cons)
        });
        Ok(NerModel {
            model,
            tags,
            bilou,
            viterbi,
            lexicon,
        })
    }

    /// Reads a file written by [`NerModel::to_bytes`]; corrupt input is an error,
    /// never a panic.
    pub fn from_bytes(b: &[u8]) -> Result<Self, NerError> {
        let payload = unpack_version(FILE_MAGIC, FILE_VERSION, b)?;
        let mut r = Reader::new(&payload);
        let model = Model::read(&mut r)?;
        let n = r.count(1)?;
        let mut words = Vec::with_capacity(n);
        let mut prev = 0u64;
        for i in 0..n {
            let d = r.varint()?;
            if i > 0 && d == 0 {
                return Err(NerError::Invalid(
                    "NER model lexicon is not strictly sorted".into(),
                ));
            }
            prev = prev
                .checked_add(d)
                .ok_or_else(|| NerError::Invalid("NER model lexicon overflows".into()))?;
            words.push(prev);
        }
        r.finish()?;
        Self::from_model(model, Lexicon::new(words))
    }

    /// Compact zstd-compressed file; deterministic for a given model.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer::new();
        self.model.write(&mut w);
        w.varint(self.lexicon.words.len() as u64);
        let mut prev = 0u64;
        for &h in &self.lexicon.words {
            w.varint(h - prev);
            prev = h;
        }
        pack(FILE_MAGIC, FILE_VERSION, &w.into_inner())
    }

    /// Number of stored weights (a size indicator).
    pub fn n_weights(&self) -> usize {
        self.model.n_weights()
    }

    /// Entities in `words` (one token each), left to right, non-overlapping.
    pub fn tag(&self, words: &[&str]) -> Vec<EntitySpan> {
        if words.is_empty() {
            return Vec::new();
        }
        SCRATCH.with(|s| {
            let mut guard = s.borrow_mut();
            let sc = &mut *guard;
            features::prepare(words, &self.lexicon, &mut sc.prep);
            let classes = self.decode(sc);
            self.spans(&classes)
        })
    }

    /// Feature extraction alone, for profiling.
    #[doc(hidden)]
    pub fn bench_features(&self, words: &[&str]) -> usize {
        SCRATCH.with(|s| {
            let mut guard = s.borrow_mut();
            features::prepare(words, &self.lexicon, &mut guard.prep);
            guard.prep.feats.len()
        })
    }

    /// Greedy decoding under BILOU constraints; returns class ids.
    fn decode(&self, sc: &mut Scratch) -> Vec<usize> {
        let Scratch {
            prep,
            feats,
            scores,
            acc,
            memo,
        } = sc;
        let n = prep.len();
        let k = self.tags.len();
        if let Some((trans, cons)) = &self.viterbi {
            scores.clear();
            scores.resize(n * k, 0.0);
            for (i, row) in scores.chunks_mut(k).enumerate() {
                // Exactly `score(prep.static_features(i))`, with the word's
                // own part summed once per word and circumstance.
                acc.clear();
                acc.resize(k, 0);
                let own = prep.own_features(i);
                memo.add(
                    &self.model,
                    MEMO_SLOTS,
                    prep.keys[i],
                    |f| f.extend_from_slice(own),
                    acc,
                );
                self.model.add_raw(prep.context_features(i), acc);
                self.model.finish(acc, row);
            }
            return viterbi::decode(scores, k, trans, cons);
        }
        scores.resize(k, 0.0);
        let mut out = Vec::with_capacity(n);
        let mut prev = START;
        let mut prev2 = START;
        for i in 0..n {
            feats.clear();
            feats.extend_from_slice(prep.static_features(i));
            features::history(prep, i, prev, prev2, false, feats);
            self.model.score(feats, scores);
            let c = self.best_allowed(scores, out.last().copied(), i + 1 == n);
            out.push(c);
            prev2 = prev;
            prev = c as u64;
        }
        out
    }

    /// Highest-scoring class that keeps the tag sequence well formed, including
    /// closing any open entity on the last token.
    pub(crate) fn best_allowed(
        &self,
        scores: &mut [f32],
        prev: Option<usize>,
        last: bool,
    ) -> usize {
        let prev_tag = prev.map(|p| self.tags[p]);
        for (c, t) in self.tags.iter().enumerate() {
            if !t.allowed_after(prev_tag, self.bilou) || (self.bilou && last && t.open()) {
                scores[c] = f32::NEG_INFINITY;
            }
        }
        argmax(&scores[..self.tags.len()])
    }

    pub(crate) fn spans(&self, classes: &[usize]) -> Vec<EntitySpan> {
        let mut spans = Vec::new();
        let mut open: Option<(usize, Label)> = None;
        // IOB2 entities end implicitly where no I follows; BILOU ones only at L.
        let close = |open: &mut Option<(usize, Label)>, end: usize, spans: &mut Vec<EntitySpan>| {
            if let Some((s, l)) = open.take() {
                if !self.bilou {
                    spans.push(EntitySpan {
                        start_token: s,
                        end_token: end,
                        label: l,
                    });
                }
            }
        };
        for (i, &c) in classes.iter().enumerate() {
            let t = self.tags[c];
            match (t.part, t.label) {
                (Part::Inside, Some(l)) if open.is_some_and(|(_, ol)| ol == l) => {}
                (Part::Last, Some(l)) if open.is_some_and(|(_, ol)| ol == l) => {
                    if let Some((s, l)) = open.take() {
                        spans.push(EntitySpan {
                            start_token: s,
                            end_token: i + 1,
                            label: l,
                        });
                    }
                }
                (Part::Unit, Some(l)) => {
                    close(&mut open, i, &mut spans);
                    spans.push(EntitySpan {
                        start_token: i,
                        end_token: i + 1,
                        label: l,
                    });
                }
                (Part::Begin, Some(l)) => {
                    close(&mut open, i, &mut spans);
                    open = Some((i, l));
                }
                _ => close(&mut open, i, &mut spans),
            }
        }
        close(&mut open, classes.len(), &mut spans);
        spans
    }
}

/// History value for positions before the sentence start.
pub(crate) const START: u64 = 1000;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bilou_constraints() {
        let t = |s: &str| Tag::parse(s).unwrap();
        assert!(t("B-PER").allowed_after(None, true));
        assert!(!t("I-PER").allowed_after(None, true));
        assert!(t("O").allowed_after(Some(t("I-LOC")), false));
        assert!(!t("I-PER").allowed_after(Some(t("O")), false));
        assert!(!t("L-PER").allowed_after(Some(t("O")), true));
        assert!(t("L-PER").allowed_after(Some(t("B-PER")), true));
        assert!(!t("L-ORG").allowed_after(Some(t("B-PER")), true));
        assert!(!t("O").allowed_after(Some(t("I-LOC")), true));
        assert!(t("U-LOC").allowed_after(Some(t("L-PER")), true));
        assert!(Tag::parse("X-PER").is_none());
        assert!(Tag::parse("B-OTH").is_some_and(|t| t.other && t.label.is_none()));
        assert!(Tag::parse("B-MISC").is_none());
        assert!(!t("I-OTH").allowed_after(Some(t("B-PER")), true));
        assert!(t("L-OTH").allowed_after(Some(t("B-OTH")), true));
    }

    #[test]
    fn bilou_and_iob2_round_trip() {
        let spans = vec![
            EntitySpan {
                start_token: 0,
                end_token: 1,
                label: Label::Per,
            },
            EntitySpan {
                start_token: 2,
                end_token: 5,
                label: Label::Org,
            },
        ];
        assert_eq!(
            scheme_tags(Scheme::Bilou, 6, &spans, &[]),
            ["U-PER", "O", "B-ORG", "I-ORG", "L-ORG", "O"]
        );
        // Other names fill only free tokens.
        assert_eq!(
            scheme_tags(Scheme::Bilou, 6, &spans, &[(1, 2), (4, 6)]),
            ["U-PER", "U-OTH", "B-ORG", "I-ORG", "L-ORG", "O"]
        );
        let iob = spans_to_iob2(6, &spans);
        assert_eq!(iob, ["B-PER", "O", "B-ORG", "I-ORG", "I-ORG", "O"]);
        let ex = NerExample::from_iob2(vec!["x".into(); 6], &iob).unwrap();
        assert_eq!(ex.entities, spans);
    }

    #[test]
    fn iob2_sentences_know_their_document() {
        let text =
            "# newdoc id = a\n# sent_id = a-0001\n1\tx\tO\n\n# sent_id = a-0002\n1\ty\tO\n\n\
                    # sent_id = b-c-0007\n1\tz\tO\n\n# sent_id = loose\n1\tw\tO\n\n1\tv\tO\n";
        let sents = chronicle_formats::read_iob2(text, "t").unwrap();
        // `b-c-0007` has no newdoc line but follows document `a`'s: newdoc wins
        // until the next one, as UD files are laid out.
        assert_eq!(iob2_document_keys(&sents), ["a", "a", "a", "a", "a"]);
        let loose = chronicle_formats::read_iob2(
            "# sent_id = b-c-0007\n1\tz\tO\n\n# sent_id = loose\n1\tw\tO\n\n1\tv\tO\n",
            "t",
        )
        .unwrap();
        assert_eq!(iob2_document_keys(&loose), ["b-c", "loose", ""]);
        let ex = examples_from_iob2(&loose).unwrap();
        assert_eq!(ex[0].document, "b-c");
    }

    #[test]
    fn oth_and_b_o_are_outside() {
        let ex = NerExample::from_iob2(
            vec!["a".into(), "b".into(), "c".into()],
            &["B-OTH", "B-O", "B-LOC"],
        )
        .unwrap();
        assert_eq!(
            ex.entities,
            vec![EntitySpan {
                start_token: 2,
                end_token: 3,
                label: Label::Loc
            }]
        );
    }
}
