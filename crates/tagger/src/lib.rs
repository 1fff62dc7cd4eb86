//! Part-of-speech tagging and lemmatization for Chronicle.
//!
//! A greedy left-to-right averaged-perceptron tagger (from `chronicle-ml`)
//! predicts a joint `UPOS|XPOS` label per word, so the two tag layers can never
//! contradict each other. It runs in two passes: the second pass adds the first
//! pass's tags of the word and the two words to its right as features (trained
//! on 5-fold jackknifed first-pass tags), and only looks at words the first pass
//! was unsure of. Frequent unambiguous words skip the classifier via a tag
//! dictionary. Casing profiles from unlabeled news text (how often a word is
//! capitalized mid-sentence) and sentence-level casing help with PROPN vs NOUN.
//! Lemmas come from a table of the training corpus's (word, XPOS) pairs and,
//! for unseen words, from a classifier over suffix-rewrite rules. Everything
//! lives in one compressed model file loaded once and shared across threads.
//!
//! Shipped model (`models/pos.v1.bin.zst`, ~4.7 MB, format version 2) on UD
//! English EWT dev with gold tokens: UPOS 95.10, XPOS 94.46, lemma 97.14
//! (identical to `conll18_ud_eval.py` on `chronicle tag --format conllu
//! --gold-tokens` output; `benchmarks/crosscheck.sh` checks it in CI). The one-pass model before it scored 94.81 / 94.18 / 97.09.
//! Predicting XPOS alone and deriving UPOS from it scored 93.45 UPOS, hence the
//! joint label. Training: `examples/train_pos.rs` (about 60 CPU-seconds,
//! deterministic).
//!
//! Morphological features (CoNLL-U FEATS) come from a separate, smaller model
//! (`feats.rs`, `models/feats.v1.bin.zst`, ~1.6 MB) run on the tagger's output
//! only where FEATS are written: UFeats 95.72 on EWT dev with our tags (the
//! official scorer agrees), against 31.46 with the column empty. It is trained
//! on gold and on jackknifed tags (95.53 on gold tags alone).

mod casing;
mod eval;
mod feats;
mod feats_train;
mod features;
mod lemma;
mod memo;
mod model;
mod train;

pub use eval::{
    evaluate_pos, evaluate_pos_feats, predict_feats, predict_pos, score_feats, score_pos, PosScores,
};
pub use feats::{universal_feats, FeatsModel, FeatsToken, UNIVERSAL_FEATURES};
pub use feats_train::{feats_tokens, train_feats, FeatsEpochReport, FeatsTrainOptions};
pub use model::{PosModel, PosTag};
pub use train::{train_pos, train_pos_with_text, EpochReport, TrainOptions};

/// Errors loading a POS model.
#[derive(Debug, thiserror::Error)]
pub enum TaggerError {
    #[error(transparent)]
    Model(#[from] chronicle_ml::ModelError),
    #[error("POS model corrupt: {0}")]
    Corrupt(String),
}
