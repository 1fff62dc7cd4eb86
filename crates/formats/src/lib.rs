//! Readers and writers for the annotation formats the field exchanges: CoNLL-U
//! (UD treebanks), IOB2 (UNER), TimeML / MEANTIME CAT (time expressions), brat
//! standoff and PolNeAR folders (attributions), PLOVER gold-standard records and
//! PETRARCH validation records (events), FA-KES CSV (article dates and death tolls),
//! SemEval-2015 TimeLine documents, targets and timelines.
//! The readers are the training and scoring input of every model and benchmark, so
//! they reject malformed input with the file and line instead of guessing; the
//! writers lay our predictions over a gold file without touching any other byte, so
//! the field's official scorers can check our figures. [`Score`] and [`prf`] are the
//! one way our scorers turn counts into precision, recall and F1.

mod brat;
mod brat_write;
mod conllu;
mod conllu_write;
mod corpus;
mod ecbplus;
mod fakes;
mod iob2;
mod overlay;
mod petrarch;
mod plover;
mod polnear;
mod score;
mod timeline;
mod timeml;
mod timeml_write;

pub use brat::{read_brat, read_brat_file, BratDocument, BratEvent, BratSpan, CharToByte};
pub use brat_write::{write_brat_attributions, BratAttribution};
pub use conllu::{read_conllu, read_conllu_file, MultiwordToken, Sentence, Word};
pub use conllu_write::{conllu_field, overlay_conllu, write_conllu};
pub use corpus::corpus_files;
pub use ecbplus::{
    ecbplus_doc_files, read_coref_sentences, read_coref_sentences_file, read_doc_clusters,
    read_doc_clusters_file, read_ecbplus, read_ecbplus_file, read_gold_mentions,
    read_gold_mentions_file, CorefSentence, DocCluster, EcbDocument, EcbMarkable, EcbRelation,
    EcbToken, GoldMention, TokenText,
};
pub use fakes::{read_fakes, read_fakes_file, FakesArticle, FakesDate};
pub use iob2::{overlay_iob2, read_iob2, read_iob2_file, NerSentence};
pub use petrarch::{
    read_petrarch_records, read_petrarch_records_file, PetrarchCoding, PetrarchRecord,
};
pub use plover::{read_plover, read_plover_file, PloverActor, PloverRecord};
pub use polnear::{read_polnear_attributions, read_polnear_dir, Fragments};
pub use polnear::{PolnearAttribution, PolnearDocument};
pub use score::{f1, prf, GoldNamed, Score};
pub use timeline::{
    read_targets, read_timeline, read_timeline_document, read_timeline_document_file,
    read_timeline_file, write_timeline, Timeline, TimelineDocument, TimelineEntry,
};
pub use timeml::{read_cat_timex, read_timeml, read_timeml_file, GoldTimex, TimeMlDocument};
pub use timeml_write::{overlay_timeml, Anchor, TimeMlOutput, TimexOut};

use std::path::PathBuf;

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
