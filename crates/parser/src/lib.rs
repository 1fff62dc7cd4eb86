//! chronicle-parser: a greedy arc-hybrid dependency parser for Universal
//! Dependencies, trained with a dynamic oracle and exploration (Goldberg &
//! Nivre 2012/2013) and an averaged perceptron over Zhang & Nivre (2011)-style
//! feature templates.
//!
//! Transitions are scored unlabelled; when an arc is made its label is chosen
//! by a second perceptron over arc-specific features (one table per arc
//! direction). Labels are assigned the moment the arc is built, so later
//! transition features can still look at them.
//!
//! The shipped model (`models/parse.v1.bin.zst`) is trained on UD English EWT
//! train with each sentence twice: once with gold tags and once with tags from
//! 5-fold jackknifed taggers, because at run time the tags come from our tagger.
//! On EWT dev (gold tokens, punctuation included, scored like the CoNLL 2018
//! scorer): UAS 87.78 / LAS 85.98 with gold tags, UAS 84.20 / LAS 80.99 with
//! tags from `models/pos.v1.bin.zst`.

mod eval;
mod features;
mod io;
mod system;
mod train;
mod weights;

pub use eval::{evaluate_parser, predict, score_arcs, ParseScores, TagFn, TagSource};
pub use train::{train_parser, EpochReport, TrainOptions};

use features::{label_features, transition_features, Tokens, N_LABEL_FEATS, N_TRANS_FEATS};
use std::collections::HashMap;
use system::{State, LEFT, N_TRANS, SHIFT};
use weights::{LabelTable, TransTable};

/// One word's attachment. `head` is 0 for the root word, else the 1-based
/// index of the head word.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Arc {
    pub head: usize,
    pub deprel: String,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ParserError {
    #[error("not a Chronicle parser model (bad magic bytes)")]
    BadMagic,
    #[error("parser model format version {found} is not supported (this build reads {supported})")]
    UnsupportedVersion { found: u16, supported: u16 },
    #[error("parser model truncated while reading {0}")]
    Truncated(&'static str),
    #[error("parser model corrupt: {0}")]
    Corrupt(String),
    #[error("parser model decompression failed: {0}")]
    Decompress(String),
}

/// A trained parser. Immutable after construction, so it is `Send + Sync` and
/// one instance can serve every thread.
#[derive(Debug, Clone, PartialEq)]
pub struct ParserModel {
    labels: Vec<String>,
    root_label: u16,
    /// Per arc direction (0: dependent left of head, 1: right), the global
    /// label id of each column of that direction's label table.
    dir_labels: [Vec<u16>; 2],
    upos: Vec<String>,
    xpos: Vec<String>,
    upos_ids: HashMap<String, u32>,
    xpos_ids: HashMap<String, u32>,
    trans: TransTable,
    label_tables: [LabelTable; 2],
}

fn tag_ids(tags: &[String]) -> HashMap<String, u32> {
    tags.iter()
        .enumerate()
        .map(|(i, t)| (t.clone(), i as u32 + features::TAG_FIRST))
        .collect()
}

/// Reusable per-thread buffers, so a long document parses without per-sentence
/// reallocation.
#[derive(Debug, Default)]
pub(crate) struct Scratch {
    tokens: Tokens,
    state: Option<State>,
    lscores: Vec<i32>,
}

thread_local! {
    /// `parse` is called once per sentence: its buffers live with the thread.
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::new(Scratch::default());
}

impl ParserModel {
    pub fn from_bytes(b: &[u8]) -> Result<Self, ParserError> {
        io::decode(b)
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        io::encode(self)
    }

    /// Dependency labels this model can predict.
    pub fn labels(&self) -> &[String] {
        &self.labels
    }

    /// Parses one sentence. Tags missing at the end (shorter tag slices) are
    /// treated as unknown. Always returns `words.len()` arcs forming a tree
    /// with exactly one word attached to the root.
    pub fn parse(&self, words: &[&str], upos: &[&str], xpos: &[&str]) -> Vec<Arc> {
        SCRATCH.with(|sc| match sc.try_borrow_mut() {
            Ok(mut sc) => self.parse_with(&mut sc, words, upos, xpos),
            // Only reachable if parsing re-enters itself on this thread.
            Err(_) => self.parse_with(&mut Scratch::default(), words, upos, xpos),
        })
    }

    pub(crate) fn parse_with(
        &self,
        scratch: &mut Scratch,
        words: &[&str],
        upos: &[&str],
        xpos: &[&str],
    ) -> Vec<Arc> {
        let n = words.len();
        if n == 0 {
            return Vec::new();
        }
        scratch
            .tokens
            .fill(words, upos, xpos, &self.upos_ids, &self.xpos_ids);
        let st = match &mut scratch.state {
            Some(st) => {
                st.reset(n);
                st
            }
            None => scratch.state.insert(State::new(n)),
        };
        let tokens = &scratch.tokens;
        let mut tf = [0u64; N_TRANS_FEATS];
        let mut lf = [0u64; N_LABEL_FEATS];
        let width = self.label_tables[0].width.max(self.label_tables[1].width);
        let lscores = &mut scratch.lscores;
        lscores.clear();
        lscores.resize(width, 0);
        while !st.is_terminal() {
            let legal = st.legal();
            // A move with no alternative (SHIFT from a bare root, RIGHT once
            // the buffer is empty) needs no features and no scoring.
            let t = match only_legal(&legal) {
                Some(t) => t,
                None => {
                    let k = transition_features(st, tokens, &mut tf);
                    let scores = self.trans.score(&tf[..k]);
                    best_legal(&scores[..N_TRANS], &legal)
                }
            };
            let label = if t == SHIFT {
                system::NO_LABEL
            } else {
                let (h, d) = st.arc_of(t);
                self.predict_label(st, tokens, h, d, usize::from(t != LEFT), &mut lf, lscores)
            };
            st.apply(t, label);
        }
        (1..=n)
            .map(|d| Arc {
                head: st.head[d] as usize,
                deprel: self
                    .labels
                    .get(usize::from(st.label[d]))
                    .map_or("dep", |s| s.as_str())
                    .to_string(),
            })
            .collect()
    }

    #[allow(clippy::too_many_arguments)]
    fn predict_label(
        &self,
        st: &State,
        tokens: &Tokens,
        h: u32,
        d: u32,
        dir: usize,
        lf: &mut [u64; N_LABEL_FEATS],
        lscores: &mut [i32],
    ) -> u16 {
        if h == 0 {
            return self.root_label;
        }
        let table = &self.label_tables[dir];
        let cols = &self.dir_labels[dir];
        if cols.is_empty() {
            return system::NO_LABEL;
        }
        let k = label_features(st, tokens, h, d, lf);
        table.score(&lf[..k], lscores);
        let mut best = 0;
        for (i, &s) in lscores[..cols.len()].iter().enumerate() {
            if s > lscores[best] {
                best = i;
            }
        }
        cols[best]
    }
}

/// The transition when exactly one is legal; scoring could only pick it.
#[inline]
fn only_legal(legal: &[bool; N_TRANS]) -> Option<usize> {
    let mut it = legal.iter().enumerate().filter(|&(_, &ok)| ok);
    match (it.next(), it.next()) {
        (Some((t, _)), None) => Some(t),
        _ => None,
    }
}

/// Highest-scoring legal transition; ties go to the lowest index. The caller
/// guarantees some transition is legal in a non-terminal state (SHIFT while
/// the buffer is non-empty, RIGHT otherwise); RIGHT is the fallback.
#[inline]
pub(crate) fn best_legal<T: PartialOrd + Copy>(scores: &[T], legal: &[bool; N_TRANS]) -> usize {
    let mut best: Option<usize> = None;
    for (t, &ok) in legal.iter().enumerate() {
        let better = match best {
            None => true,
            Some(b) => scores[t] > scores[b],
        };
        if ok && better {
            best = Some(t);
        }
    }
    best.unwrap_or(system::RIGHT)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chronicle_formats::{Sentence, Word};

    pub(crate) fn sentence(rows: &[(&str, &str, &str, usize, &str)]) -> Sentence {
        Sentence {
            words: rows
                .iter()
                .map(|&(form, upos, xpos, head, deprel)| Word {
                    form: form.into(),
                    lemma: "_".into(),
                    upos: upos.into(),
                    xpos: xpos.into(),
                    feats: "_".into(),
                    head,
                    deprel: deprel.into(),
                    deps: "_".into(),
                    misc: "_".into(),
                })
                .collect(),
            ..Sentence::default()
        }
    }

    pub(crate) fn toy_corpus() -> Vec<Sentence> {
        vec![
            sentence(&[
                ("The", "DET", "DT", 2, "det"),
                ("dog", "NOUN", "NN", 3, "nsubj"),
                ("barked", "VERB", "VBD", 0, "root"),
                (".", "PUNCT", ".", 3, "punct"),
            ]),
            sentence(&[
                ("A", "DET", "DT", 2, "det"),
                ("cat", "NOUN", "NN", 3, "nsubj"),
                ("saw", "VERB", "VBD", 0, "root"),
                ("the", "DET", "DT", 5, "det"),
                ("dog", "NOUN", "NN", 3, "obj"),
                (".", "PUNCT", ".", 3, "punct"),
            ]),
            sentence(&[
                ("Rebels", "NOUN", "NNS", 2, "nsubj"),
                ("attacked", "VERB", "VBD", 0, "root"),
                ("the", "DET", "DT", 4, "det"),
                ("town", "NOUN", "NN", 2, "obj"),
                ("in", "ADP", "IN", 6, "case"),
                ("March", "PROPN", "NNP", 2, "obl"),
                (".", "PUNCT", ".", 2, "punct"),
            ]),
        ]
    }

    pub(crate) fn toy_model() -> ParserModel {
        let opts = TrainOptions {
            epochs: 10,
            trans_bits: 12,
            label_bits: 10,
            ..TrainOptions::default()
        };
        train_parser(&toy_corpus(), None, &opts, &mut |_| {})
    }

    #[test]
    fn only_legal_names_a_forced_move() {
        assert_eq!(only_legal(&[true, false, false]), Some(SHIFT));
        assert_eq!(only_legal(&[false, false, true]), Some(system::RIGHT));
        assert_eq!(only_legal(&[true, true, false]), None);
        assert_eq!(only_legal(&[true, true, true]), None);
    }

    #[test]
    fn model_is_send_and_sync() {
        fn check<T: Send + Sync>() {}
        check::<ParserModel>();
    }

    #[test]
    fn feature_template_counts_match_arrays() {
        let mut t = Tokens::default();
        let ids = HashMap::new();
        t.fill(&["a", "b", "c"], &[], &[], &ids, &ids);
        let mut st = State::new(3);
        st.apply(SHIFT, 0);
        let mut tf = [0u64; N_TRANS_FEATS];
        let mut lf = [0u64; N_LABEL_FEATS];
        assert_eq!(transition_features(&st, &t, &mut tf), N_TRANS_FEATS);
        assert_eq!(label_features(&st, &t, 2, 1, &mut lf), N_LABEL_FEATS);
    }

    #[test]
    fn toy_model_parses_toy_sentences() {
        let m = toy_model();
        for s in toy_corpus() {
            let words: Vec<&str> = s.words.iter().map(|w| w.form.as_str()).collect();
            let up: Vec<&str> = s.words.iter().map(|w| w.upos.as_str()).collect();
            let xp: Vec<&str> = s.words.iter().map(|w| w.xpos.as_str()).collect();
            let arcs = m.parse(&words, &up, &xp);
            let gold: Vec<(usize, &str)> = s
                .words
                .iter()
                .map(|w| (w.head, w.deprel.as_str()))
                .collect();
            let got: Vec<(usize, &str)> =
                arcs.iter().map(|a| (a.head, a.deprel.as_str())).collect();
            assert_eq!(got, gold);
        }
        let scores = evaluate_parser(&m, &toy_corpus(), TagSource::Gold);
        assert_eq!(scores.uas, 1.0);
        assert_eq!(scores.las, 1.0);
        assert_eq!(scores.per_deprel["obj"].f1, 1.0);
    }

    #[test]
    fn serialization_round_trips_exactly() {
        let m = toy_model();
        let bytes = m.to_bytes();
        let back = ParserModel::from_bytes(&bytes).unwrap();
        assert_eq!(back, m);
        assert_eq!(back.to_bytes(), bytes);
    }

    #[test]
    fn training_is_deterministic() {
        assert_eq!(toy_model().to_bytes(), toy_model().to_bytes());
    }

    #[test]
    fn corrupt_bytes_are_errors_not_panics() {
        let bytes = toy_model().to_bytes();
        assert_eq!(ParserModel::from_bytes(b""), Err(ParserError::BadMagic));
        assert_eq!(
            ParserModel::from_bytes(b"CHRNPOS1xxxxxxxxxxxx"),
            Err(ParserError::BadMagic)
        );
        assert!(ParserModel::from_bytes(&bytes[..bytes.len() / 2]).is_err());
        assert!(ParserModel::from_bytes(&bytes[..12]).is_err());
        let mut v = bytes.clone();
        v[8] ^= 0xFF;
        assert!(matches!(
            ParserModel::from_bytes(&v),
            Err(ParserError::UnsupportedVersion { .. })
        ));
        for i in (10..bytes.len()).step_by(bytes.len() / 50 + 1) {
            let mut v = bytes.clone();
            v[i] ^= 0x5A;
            // zstd's checksum catches most flips; whatever gets through must
            // still load into a model that parses without panicking.
            if let Ok(m) = ParserModel::from_bytes(&v) {
                m.parse(&["a", "b"], &["X", "X"], &["X", "X"]);
            }
        }
    }

    /// Every projective training tree of EWT is reproduced by following
    /// zero-cost transitions; skips when the shared data is absent.
    #[test]
    fn oracle_reproduces_ewt_training_trees() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../../shared/data/ud-ewt/en_ewt-ud-train.conllu");
        if !path.exists() {
            eprintln!("skipping: {} not found", path.display());
            return;
        }
        let sents = chronicle_formats::read_conllu_file(&path).unwrap();
        let (mut checked, mut nonproj) = (0, 0);
        for s in sents.iter().take(3000) {
            let n = s.words.len();
            let mut heads: Vec<u32> = std::iter::once(0)
                .chain(s.words.iter().map(|w| w.head as u32))
                .collect();
            if heads[1..].iter().filter(|&&h| h == 0).count() != 1 {
                continue;
            }
            if !system::is_projective(&heads) {
                nonproj += 1;
                system::projectivize(&mut heads);
            }
            let expect = heads[1..].to_vec();
            heads[0] = n as u32 + 1;
            heads.push(n as u32 + 1);
            let mut st = State::new(n);
            let mut on_stack = vec![false; n + 2];
            on_stack[0] = true;
            while !st.is_terminal() {
                let legal = st.legal();
                let c = st.costs(&heads, &on_stack);
                let t = (0..N_TRANS).find(|&t| legal[t] && c[t] == 0).unwrap();
                if t == SHIFT {
                    on_stack[st.b as usize] = true;
                } else {
                    on_stack[st.s(0) as usize] = false;
                }
                st.apply(t, 0);
            }
            assert_eq!(st.head[1..=n], expect[..]);
            checked += 1;
        }
        assert!(checked > 2900 && nonproj > 0, "{checked} {nonproj}");
    }
}
