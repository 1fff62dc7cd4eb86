//! Chronicle's first text stage: splits raw English news into words and sentences
//! with byte offsets into the input, following UD English EWT conventions (the
//! treebank the later stages are trained and scored on). Every token is a span of
//! the original text, so all later annotations point back at the source bytes.
//!
//! ```
//! let text = "Mr. Smith didn't go. He stayed in the U.S.";
//! let seg = chronicle_text::segment(text);
//! let words: Vec<&str> = seg.tokens.iter().map(|t| t.text(text)).collect();
//! assert_eq!(words[..5], ["Mr.", "Smith", "did", "n't", "go"]);
//! assert_eq!(seg.sentences.len(), 2);
//! ```

mod eval;
mod lexicon;
mod model;
mod sentence;
mod tokenize;

pub use eval::{
    evaluate_conllu, evaluate_conllu_with, score, surface_spans, to_conllu, GoldText, TokenScores,
};
pub use model::{train_sentence_model, BoundaryModel, ModelError, TrainOptions};
pub use sentence::{segment, Segmented, Segmenter, SentenceSpan};
pub use tokenize::{tokenize, Token};
