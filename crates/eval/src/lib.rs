//! Accuracy scorers for the tasks that need the whole annotation pipeline, beside
//! the prediction functions they score, so `chronicle benchmark accuracy`, `chronicle
//! tag` and any later front end (the server) report one and the same output.
//!
//! The model scorers (tokens, POS, NER, parse) stay beside their models
//! (`chronicle_text::evaluate_conllu`, `chronicle_tagger::evaluate_pos`, …); the
//! scorers here cannot live in `timex`, `events` or `quotes`, because they run
//! `chronicle-annotate`, which depends on those crates. Gold files are read through
//! `chronicle-formats`; every figure is computed with [`chronicle_formats::prf`].
//!
//! Each scorer returns a plain report (`serde::Serialize`: the figures the benchmark
//! prints as JSON) and never prints; lines that explain the errors (`diagnostics`)
//! and inputs it could not read are returned for the caller to show.

pub mod claims;
pub mod conflicts;
pub mod coref;
pub mod coref_metrics;
pub mod docdate;
pub mod extraction;
pub mod folds;
pub mod incident;
pub mod ner;
pub mod parse;
pub mod petrarch;
pub mod plover;
pub mod plover_cv;
pub mod quotes;
pub mod speed;
pub mod stories;
pub mod timelines;
pub mod timex;

use chronicle_annotate::Pipeline;
use chronicle_core::Document;
use std::path::PathBuf;

/// Why a benchmark could not be scored.
#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    #[error(transparent)]
    Format(#[from] chronicle_formats::FormatError),
    #[error(transparent)]
    Ingest(#[from] chronicle_ingest::IngestError),
    #[error("the embedded models do not load: {0}")]
    Models(String),
    #[error("the embedded codebook does not load: {0}")]
    Codebook(String),
    #[error("cannot read {path}: {err}")]
    Io {
        path: PathBuf,
        #[source]
        err: std::io::Error,
    },
    /// The input holds nothing this benchmark can score.
    #[error("{path}: {reason}")]
    NothingToScore { path: PathBuf, reason: String },
}

/// A text as one English document, not yet annotated: how every scorer here, and
/// `chronicle tag`, hands gold text to the pipeline.
pub fn english_document(id: &str, path: &str, text: String) -> Document {
    let mut d = Document::from_text(id, path, text);
    d.language = Some("eng".into());
    d
}

/// The shared pipeline with its embedded models.
pub fn pipeline() -> Result<&'static Pipeline, EvalError> {
    Pipeline::shared().map_err(|e| EvalError::Models(e.to_string()))
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

fn read_bytes(path: &std::path::Path) -> Result<Vec<u8>, EvalError> {
    std::fs::read(path).map_err(|err| EvalError::Io {
        path: path.to_path_buf(),
        err,
    })
}
