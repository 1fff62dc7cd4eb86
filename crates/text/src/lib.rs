//! Chronicle's first text stage: splits raw English news into words and sentences
//! with byte offsets into the input, following UD English EWT conventions (the
//! treebank the later stages are trained and scored on). Every token is a span of
//! the original text, so all later annotations point back at the source bytes.
//!
//! Tokenization is rule-based: EWT's conventions (hyphens split except bound
//! prefixes, contractions as multiword tokens, "5pm" → "5" "pm", abbreviations
//! keep their period unless it ends the sentence) are regular enough that rules
//! score ~99.6 token F1 on EWT dev. Sentence splitting fixes blank lines,
//! headlines and datelines by rule and leaves running text to a small averaged
//! perceptron trained on EWT train (`models/sentence.v1.bin`, retrain with
//! `examples/train_sentences.rs`), which beats the rules alone by ~6 F1 points
//! on EWT's unpunctuated web text. [`evaluate_conllu`] scores both exactly like
//! the CoNLL 2018 shared-task scorer.
//!
//! ```
//! let text = "Mr. Smith didn't go. He stayed in the U.S.";
//! let seg = chronicle_text::segment(text);
//! let words: Vec<&str> = seg.tokens.iter().map(|t| t.text(text)).collect();
//! assert_eq!(words[..5], ["Mr.", "Smith", "did", "n't", "go"]);
//! assert_eq!(seg.sentences.len(), 2);
//! ```

mod conllu;
mod eval;
mod lexicon;
mod model;
mod sentence;
mod tokenize;

pub use conllu::{conllu_sentences, to_conllu};
pub use eval::{
    align_words, evaluate_conllu, evaluate_conllu_with, score, surface_spans, system_words,
    GoldText, TokenScores, WordSpan,
};
pub use model::{train_sentence_model, BoundaryModel, ModelError, TrainOptions};
pub use sentence::{segment, Segmented, Segmenter, SentenceSpan};
pub use tokenize::{tokenize, Token};
