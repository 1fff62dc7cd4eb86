//! Chronicle's engine: the one flow every front end calls (the CLI now; an HTTP
//! server and a streaming stage later): ingest → annotate → link → store.
//!
//! API boundary: plain types only. Options go in ([`IngestSettings`]), a report
//! comes out ([`IngestReport`], serializable as is), and progress is reported as
//! [`IngestEvent`]s to a callback. The engine never prints, never parses
//! arguments and never chooses an exit code; it writes only through the
//! [`Store`](chronicle_store::Store) trait, so any backend works.

mod annotate;
pub mod digest;
mod ingest;
mod link;
mod link_pass;
pub mod query;
mod report;
mod story_backend;
pub mod timeline;

pub use annotate::{annotate, annotate_within, OverBudget};
pub use chronicle_ingest::IngestOptions;
pub use ingest::{ingest_documents, ingest_paths, ingest_paths_with};
pub use link_pass::{
    link_unlinked, relink, CapNote, LinkReport, LinkSettings, ENTITY_CANDIDATES, EVENT_CANDIDATES,
    LINK_BATCH, STATEMENT_CANDIDATES,
};
pub use report::{FailureGroup, IngestReport};

use chronicle_store::StoreError;
use std::num::NonZeroUsize;
use std::time::Duration;

/// How long annotating one document may take before it is reported as failed.
pub const DEFAULT_DOC_BUDGET: Duration = Duration::from_secs(30);

/// What an ingest run needs beyond its inputs.
#[derive(Debug, Clone)]
pub struct IngestSettings {
    /// How inputs are read (size cap, field names for JSON and CSV).
    pub read: IngestOptions,
    /// Annotation time allowed per document; a document over it is reported as
    /// failed and not stored, and the batch goes on.
    pub doc_budget: Duration,
    /// Threads that annotate documents; `None` uses the caller's rayon pool
    /// (the global one: one thread per core unless the program sized it). A
    /// server running several ingests at once gives each its own share.
    pub threads: Option<NonZeroUsize>,
}

impl Default for IngestSettings {
    fn default() -> Self {
        IngestSettings {
            read: IngestOptions::default(),
            doc_budget: DEFAULT_DOC_BUDGET,
            threads: None,
        }
    }
}

/// Counts so far, sent after every input is accounted for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// Input bytes accounted for (stored, skipped or failed).
    pub done_bytes: u64,
    pub documents_read: usize,
    pub inserted: usize,
    pub already_stored: usize,
    pub failed: usize,
}

/// What a run reports while it works, for a progress bar or a log.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum IngestEvent {
    /// The inputs were listed: how many files, and their total size.
    Started {
        files: usize,
        bytes: u64,
    },
    Progress(Progress),
    /// Reading and writing are over (only the report's bookkeeping is left).
    Finished,
    /// A link step was written: `documents` linked so far in this run.
    Linked {
        documents: usize,
    },
    /// A candidate list was cut at its cap while linking (a huge story or a
    /// common name): the decision saw only the most recent candidates.
    LinkCapped(CapNote),
}

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EngineError {
    /// The store failed in a way that waiting would not fix.
    #[error("{doing}")]
    Store {
        doing: &'static str,
        #[source]
        source: StoreError,
    },
    /// The annotation threads asked for in [`IngestSettings::threads`] could not start.
    #[error("cannot start {threads} annotation threads")]
    Threads {
        threads: usize,
        #[source]
        source: rayon::ThreadPoolBuildError,
    },
}
