//! Part-of-speech tagging and lemmatization for Chronicle.
//!
//! One greedy left-to-right averaged-perceptron tagger (from `chronicle-ml`)
//! predicts a joint `UPOS|XPOS` label per word, so the two tag layers can never
//! contradict each other. Frequent unambiguous words skip the classifier via a
//! tag dictionary. Lemmas come from a table of the training corpus's
//! (word, XPOS) pairs and, for unseen words, from a classifier over
//! suffix-rewrite rules. Everything lives in one compressed model file loaded
//! once and shared across threads.
//!
//! Shipped model (`models/pos.v1.bin.zst`, ~2.1 MB) on UD English EWT dev with
//! gold tokens: UPOS 94.81, XPOS 94.18, lemma 97.09 (identical to
//! `conll18_ud_eval.py`; reproduce with the `predict_conllu` example). Predicting
//! XPOS alone and deriving UPOS from it scored 93.45 UPOS, hence the joint label.
//! Training: `examples/train_pos.rs` (about 10 CPU-seconds, deterministic).

mod eval;
mod features;
mod lemma;
mod model;
mod train;

pub use eval::{evaluate_pos, LabelScores, PosScores};
pub use model::{PosModel, PosTag};
pub use train::{train_pos, EpochReport, TrainOptions};

/// Errors loading a POS model.
#[derive(Debug, thiserror::Error)]
pub enum TaggerError {
    #[error(transparent)]
    Model(#[from] chronicle_ml::ModelError),
    #[error("POS model corrupt: {0}")]
    Corrupt(String),
}
