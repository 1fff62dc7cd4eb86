//! Readers and writers for the annotation formats the field exchanges: CoNLL-U
//! (UD treebanks), IOB2 (UNER), TimeML / MEANTIME CAT (time expressions) and brat
//! standoff (PolNeAR attributions). The readers are the training and scoring input
//! of every model, so they reject malformed input with the file and line instead of
//! guessing; the writers lay our predictions over a gold file without touching any
//! other byte, so the field's official scorers can check our figures.

mod brat;
mod brat_write;
mod conllu;
mod conllu_write;
mod iob2;
mod overlay;
mod timeml;
mod timeml_write;

pub use brat::{read_brat, read_brat_file, BratDocument, BratEvent, BratSpan, CharToByte};
pub use brat_write::{write_brat_attributions, BratAttribution};
pub use conllu::{read_conllu, read_conllu_file, MultiwordToken, Sentence, Word};
pub use conllu_write::{conllu_field, overlay_conllu, write_conllu};
pub use iob2::{overlay_iob2, read_iob2, read_iob2_file, NerSentence};
pub use timeml::{read_cat_timex, read_timeml, read_timeml_file, GoldTimex, TimeMlDocument};
pub use timeml_write::{overlay_timeml, Anchor, TimeMlOutput, TimexOut};

use std::path::PathBuf;

/// Precision, recall and F1 from match counts, the way every scorer in the field
/// counts them (0 when a denominator is 0). Shared by all our scorers so the figures
/// they report are computed one way.
pub fn prf(correct: usize, predicted: usize, gold: usize) -> (f64, f64, f64) {
    let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    let (p, r) = (ratio(correct, predicted), ratio(correct, gold));
    let f = if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    };
    (p, r, f)
}

/// Errors name the source and the 1-based line so a user can open the file at the fault.
#[derive(Debug, thiserror::Error)]
pub enum FormatError {
    #[error("{source_name}:{line}: {reason}")]
    Malformed {
        source_name: String,
        line: usize,
        reason: String,
    },
    #[error("cannot read {path}: {err}")]
    Io {
        path: PathBuf,
        #[source]
        err: std::io::Error,
    },
}

impl FormatError {
    pub(crate) fn malformed(source_name: &str, line: usize, reason: impl Into<String>) -> Self {
        FormatError::Malformed {
            source_name: source_name.to_string(),
            line,
            reason: reason.into(),
        }
    }
}

pub(crate) fn read_to_string(path: &std::path::Path) -> Result<String, FormatError> {
    std::fs::read_to_string(path).map_err(|err| FormatError::Io {
        path: path.to_path_buf(),
        err,
    })
}
