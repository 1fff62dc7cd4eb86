//! The record: where documents and everything extracted from them are kept.
//!
//! `Store` is the seam every stage writes through; `SqliteStore` is the embedded
//! default (one file, WAL, versioned migrations, FTS5 search). A PostgreSQL backend
//! implements the same trait without touching the pipeline.

mod events;
mod sqlite;

pub use sqlite::SqliteStore;

use chronicle_core::Document;
use serde::Serialize;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database {path}: {source}")]
    Sqlite {
        path: String,
        #[source]
        source: rusqlite::Error,
    },
    #[error("database {path}: stored document {id} is unreadable: {reason}")]
    Corrupt {
        path: String,
        id: String,
        reason: String,
    },
    #[error("database {path}: schema version {found} is newer than this program knows ({known}); upgrade chronicle")]
    TooNew {
        path: String,
        found: i64,
        known: i64,
    },
    #[error("search query {query:?} is not valid FTS5 syntax: {reason}")]
    BadQuery { query: String, reason: String },
}

/// How a document relates to one already stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DuplicateLink {
    pub doc_id: String,
    pub other_id: String,
    /// `exact` (same normalized content) or `near` (MinHash Jaccard estimate high).
    pub kind: String,
    pub similarity: f32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PutOutcome {
    /// A new document was stored.
    Inserted,
    /// The same content was already stored; only the new source location was added.
    AlreadyStored,
}

/// One row of `chronicle documents`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DocumentSummary {
    pub id: String,
    pub outlet: Option<String>,
    pub title: Option<String>,
    pub url: Option<String>,
    pub language: Option<String>,
    pub published: Option<String>,
    pub provenance: Option<String>,
    pub confidence: Option<f32>,
    pub estimated: bool,
    pub warnings: Vec<String>,
    pub duplicate_of: Option<String>,
    pub sources: u32,
}

#[derive(Debug, Clone, Default)]
pub struct DocumentFilter {
    pub outlet: Option<String>,
    /// Inclusive ISO date bounds on `published`.
    pub from: Option<String>,
    pub to: Option<String>,
    pub language: Option<String>,
    pub limit: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchHit {
    pub id: String,
    pub title: Option<String>,
    pub outlet: Option<String>,
    pub published: Option<String>,
    /// Matching passage with the hits in `[brackets]`.
    pub snippet: String,
    pub rank: f64,
}

/// Filter for `chronicle events`.
#[derive(Debug, Clone, Default)]
pub struct EventFilter {
    /// Actor code prefix matched against source or target (`RUS`, `RUSGOV`).
    pub actor: Option<String>,
    /// CAMEO code prefix (`16`, `1124`).
    pub code: Option<String>,
    /// Inclusive ISO date bounds on the event date.
    pub from: Option<String>,
    pub to: Option<String>,
    pub limit: Option<usize>,
}

/// One stored event, with its document's URL and publication date.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EventRow {
    pub doc_id: String,
    pub index: usize,
    pub code: String,
    pub source_code: Option<String>,
    pub source_text: Option<String>,
    pub source_actor: Option<String>,
    pub target_code: Option<String>,
    pub target_text: Option<String>,
    pub target_actor: Option<String>,
    pub location: Option<String>,
    pub date: Option<String>,
    pub date_source: Option<String>,
    pub plover_type: Option<String>,
    pub plover_mode: Option<String>,
    pub quad_class: Option<u8>,
    pub goldstein: Option<f32>,
    pub modality: Option<String>,
    pub start: usize,
    pub end: usize,
    pub sentence: String,
    pub url: Option<String>,
    pub published: Option<String>,
}

/// An actor with one code and role, over the documents that mention it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActorSummary {
    pub actor: String,
    pub code: Option<String>,
    pub role: Option<String>,
    pub first_seen: Option<String>,
    pub last_seen: Option<String>,
    pub mentions: u64,
    pub documents: u64,
    /// The words used for it.
    pub variants: Vec<String>,
    /// Where the code came from: dictionary, text, entity, coreference.
    pub origins: Vec<String>,
    /// The earliest mention as `document:start-end` (bytes into its text).
    pub evidence: Option<String>,
}

/// A document ready to store, with what ingest learned about it.
#[derive(Debug, Clone)]
pub struct NewDocument {
    pub doc: Document,
    /// Near-duplicate signature of the text (opaque bytes from the linker).
    pub fingerprint: Option<Vec<u8>>,
    /// The stored document this one nearly duplicates, if any.
    pub duplicate_of: Option<DuplicateLink>,
}

/// What a backend must do. Writes take a batch so backends can use one transaction.
pub trait Store {
    /// Stores each document (with its near-duplicate link, if any) atomically as a
    /// batch: either the whole batch lands or none of it does.
    fn put_batch(&mut self, docs: &[NewDocument]) -> Result<Vec<PutOutcome>, StoreError>;
    /// Replaces the annotation layers of a stored document.
    fn update_document(&mut self, doc: &Document) -> Result<(), StoreError>;
    fn get(&self, id: &str) -> Result<Option<Document>, StoreError>;
    /// Ids starting with `prefix` (for short ids typed by users).
    fn resolve_id(&self, prefix: &str) -> Result<Vec<String>, StoreError>;
    fn list(&self, filter: &DocumentFilter) -> Result<Vec<DocumentSummary>, StoreError>;
    fn search(&self, query: &str, limit: usize) -> Result<Vec<SearchHit>, StoreError>;
    fn duplicates(&self) -> Result<Vec<DuplicateLink>, StoreError>;
    /// (id, signature) of every stored document that is not itself a near-duplicate,
    /// to seed near-duplicate detection.
    fn fingerprints(&self) -> Result<Vec<(String, Vec<u8>)>, StoreError>;
    fn contains(&self, id: &str) -> Result<bool, StoreError>;
    fn count(&self) -> Result<u64, StoreError>;
    /// Coded events matching the filter, by date.
    fn events(&self, filter: &EventFilter) -> Result<Vec<EventRow>, StoreError>;
    /// Actors with their codes and roles over time.
    fn actors(&self) -> Result<Vec<ActorSummary>, StoreError>;
}
