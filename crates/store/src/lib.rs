//! The record: where documents and everything extracted from them are kept.
//!
//! `Store` is the seam every stage writes through; `SqliteStore` is the embedded
//! default (one file, WAL, versioned migrations, FTS5 search). A PostgreSQL backend
//! implements the same trait without touching the pipeline.

mod check;
mod events;
mod filter;
mod link_rows;
mod links;
mod location;
pub mod near_dup;
pub mod postgres;
mod rows;
mod schema;
mod sqlite;

pub use self::postgres::{PgOptions, PgStore};
pub use link_rows::shift_date;
pub use links::*;
pub use location::Location;
pub use sqlite::{SqliteStore, WaitCallback, WaitNotice, WriterOptions, DEFAULT_WAIT};

use chronicle_core::{Document, SourceRef};
use schemars::JsonSchema;
use serde::Serialize;
use std::time::Duration;

/// How to recover a damaged database; part of every `Damaged` error so the user
/// sees it wherever the damage is found.
pub const RECOVERY_ADVICE: &str = "recover what is readable with `sqlite3 DB .recover | sqlite3 recovered.db` and use recovered.db, or re-ingest the sources into a new database file";

/// What went wrong in a store, whatever the backend. Each variant is a kind a
/// caller can act on; the backend's own error is kept only as text (`message`,
/// `reason`), so no backend's types leak through the trait, and new kinds can be
/// added (`#[non_exhaustive]`) without breaking front ends.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The backend failed at `operation` (`listing documents`, `storing
    /// documents`, …); `message` is the backend's own words.
    #[error("database {path}: {operation}: {message}")]
    Backend {
        path: String,
        operation: &'static str,
        message: String,
    },
    #[error("database {path}: stored document {id} is unreadable: {reason}")]
    Corrupt {
        path: String,
        id: String,
        reason: String,
    },
    #[error("database {path} is damaged ({reason}); chronicle will not write into it. To recover: {}", RECOVERY_ADVICE.replace("DB", path))]
    Damaged { path: String, reason: String },
    #[error("database {path}: schema version {found} is newer than this program knows ({known}); upgrade chronicle")]
    TooNew {
        path: String,
        found: i64,
        known: i64,
    },
    #[error("database {path} has schema version {found}, older than this chronicle reads ({known}); upgrade it once with `chronicle --db {path} ingest --upgrade` (query commands never write)")]
    TooOld {
        path: String,
        found: i64,
        known: i64,
    },
    #[error("database {path}: another process kept the write lock for {waited:?} (the wait limit); nothing was written by this transaction")]
    Busy { path: String, waited: Duration },
    #[error("database {path} cannot be written here ({reason}); writing needs write access to the file and its folder (SQLite keeps -wal and -shm files beside it). Queries still work")]
    NotWritable { path: String, reason: String },
    #[error("database {path} cannot be opened read-only: {reason}")]
    ReadOnly { path: String, reason: String },
    /// The database server could not be reached for `waited` (`tries`
    /// attempts with backoff); nothing of the failed transaction was written.
    #[error("database {path}: {operation}: the server could not be reached for {waited:?} ({tries} tries); last error: {reason}")]
    Unavailable {
        path: String,
        operation: &'static str,
        tries: u32,
        waited: Duration,
        reason: String,
    },
    /// The search query cannot be run; `reason` is the backend's explanation,
    /// which may say what syntax it expects.
    #[error("search query {query:?} is not valid: {reason}")]
    BadQuery { query: String, reason: String },
}

/// How a document relates to one already stored.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct DuplicateLink {
    pub doc_id: String,
    pub other_id: String,
    /// `exact` (same normalized content) or `near` (MinHash Jaccard estimate high).
    pub kind: String,
    pub similarity: f32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum PutOutcome {
    /// A new document was stored.
    Inserted,
    /// The same content was already stored; only the new source location was added.
    AlreadyStored,
}

/// One row of `chronicle documents`.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
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

/// Filters shared by the listings. Text filters are substring matches in which
/// `%` and `_` are literal characters. Date bounds are `YYYY`, `YYYY-MM` or
/// `YYYY-MM-DD` (the CLI validates them): `from` is inclusive, and `to` includes
/// the whole period it names (`to = 2016-10` keeps 2016-10-31).
#[derive(Debug, Clone, Default)]
pub struct DocumentFilter {
    /// Substring of the outlet (case-insensitive for ASCII).
    pub outlet: Option<String>,
    /// Bounds on `published`.
    pub from: Option<String>,
    pub to: Option<String>,
    pub language: Option<String>,
    pub limit: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
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
    /// With `actor`, a dyad: only events whose other side starts with this
    /// code, either way round (`actor` the source and this the target, or
    /// the reverse). Ignored without `actor`.
    pub other: Option<String>,
    /// CAMEO code prefix (`16`, `1124`).
    pub code: Option<String>,
    /// PLOVER event type, exact (`ASSAULT`).
    pub plover_type: Option<String>,
    /// Bounds on the event date (see [`DocumentFilter`] for the forms).
    pub from: Option<String>,
    pub to: Option<String>,
    pub limit: Option<usize>,
}

/// One stored event, with its document's URL and publication date.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
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
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
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

/// A byte range `[start, end)` into a document's text (the JSON form of
/// `chronicle_core::Span`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
pub struct ByteSpan {
    pub start: usize,
    pub end: usize,
}

/// Filter for `chronicle quotes`.
#[derive(Debug, Clone, Default)]
pub struct QuoteFilter {
    /// Substring of the speaker as written or as resolved (case-insensitive).
    pub speaker: Option<String>,
    /// `direct`, `indirect` or `partial`, exact.
    pub kind: Option<String>,
    /// Substring of the outlet.
    pub outlet: Option<String>,
    /// Bounds on the document's publication date.
    pub from: Option<String>,
    pub to: Option<String>,
    /// A document id or an id prefix.
    pub doc_id: Option<String>,
    pub limit: Option<usize>,
}

/// Filter for `chronicle claims`.
#[derive(Debug, Clone, Default)]
pub struct ClaimFilter {
    /// `KILL`, `WOUND`, `DISPLACE`, `MONEY`, …, exact.
    pub kind: Option<String>,
    /// Substring of the outlet.
    pub outlet: Option<String>,
    /// Bounds on the document's publication date.
    pub from: Option<String>,
    pub to: Option<String>,
    /// A document id or an id prefix.
    pub doc_id: Option<String>,
    pub limit: Option<usize>,
}

/// One attributed quote with its document's outlet, date and title.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct QuoteRow {
    pub doc_id: String,
    /// Position of the quote in the document's quote layer.
    pub index: usize,
    pub outlet: Option<String>,
    pub published: Option<String>,
    pub title: Option<String>,
    pub start: usize,
    pub end: usize,
    pub text: String,
    /// direct, indirect or partial.
    pub kind: String,
    pub cue: Option<String>,
    pub speaker: Option<String>,
    pub speaker_canonical: Option<String>,
    pub speaker_span: Option<ByteSpan>,
    pub cue_span: Option<ByteSpan>,
    /// The statement this quote reports: shared by the same statement quoted in
    /// several documents of a story (`None` until the document is linked).
    pub statement: Option<String>,
}

/// One numeric claim with its document's outlet, date and title.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct ClaimRow {
    pub doc_id: String,
    /// Position of the claim in the document's claim layer.
    pub index: usize,
    pub outlet: Option<String>,
    pub published: Option<String>,
    pub title: Option<String>,
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub value: f64,
    pub qualifier: Option<String>,
    pub kind: String,
    pub subject: Option<String>,
    pub claimant: Option<String>,
    pub place: Option<String>,
    pub time: Option<String>,
}

/// One thing `check` found wrong.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct CheckProblem {
    /// `sqlite-integrity`, `undecodable-document`, `fts-missing`, `fts-orphan`,
    /// `fts-duplicate`, `orphan-row`, `unreadable`.
    pub kind: String,
    /// The document concerned, when there is one.
    pub doc_id: Option<String>,
    pub detail: String,
}

/// What `chronicle check` found.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct CheckReport {
    pub path: String,
    pub schema_version: Option<i64>,
    pub documents: u64,
    /// What SQLite's `integrity_check` said (`["ok"]` when clean).
    pub integrity: Vec<String>,
    pub problems: Vec<CheckProblem>,
}

impl CheckReport {
    pub fn is_clean(&self) -> bool {
        self.problems.is_empty()
    }
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

/// One more place a document (already stored, or stored earlier in the same
/// batch) was read from: recorded without the document, which was never annotated.
#[derive(Debug, Clone)]
pub struct NewSource {
    pub doc_id: String,
    pub source: SourceRef,
}

/// What one linked batch wrote.
#[derive(Debug, Clone, Default)]
pub struct BatchOutcome {
    /// One per document, in order.
    pub documents: Vec<PutOutcome>,
    /// One per source: `false` when its document is not stored (its first copy
    /// failed), so nothing was recorded.
    pub sources: Vec<bool>,
}

/// The near-duplicate candidates of a fingerprint, asked inside a batch's
/// write transaction, so every writer's originals stored so far are seen.
pub trait NearDuplicateLookup {
    /// Stored originals whose fingerprint shares a band with `fingerprint`
    /// (see `near_dup`), oldest stored first: (id, fingerprint).
    fn originals_like(&self, fingerprint: &[u8]) -> Result<Vec<(String, Vec<u8>)>, StoreError>;
}

/// Called inside the write transaction to (re)decide the batch's near-duplicate
/// links, asking the store for candidates; an error aborts the batch.
pub type Linker<'a> =
    dyn FnMut(&dyn NearDuplicateLookup, &mut [NewDocument]) -> Result<(), StoreError> + 'a;

/// What a backend must do. Writes take a batch so backends can use one transaction.
pub trait Store {
    /// Stores each document (with its near-duplicate link, if any) atomically as a
    /// batch: either the whole batch lands or none of it does.
    fn put_batch(&mut self, docs: &[NewDocument]) -> Result<Vec<PutOutcome>, StoreError>;
    /// `put_batch` for concurrent writers: in one write transaction, lets `link`
    /// decide the near-duplicate links against the originals stored so far (by
    /// anyone), stores the documents (indexing the originals' fingerprints) and
    /// records `sources`.
    fn put_batch_linked(
        &mut self,
        docs: &mut [NewDocument],
        sources: &[NewSource],
        link: &mut Linker<'_>,
    ) -> Result<BatchOutcome, StoreError>;
    /// Replaces the annotation layers (and their rows) of a stored document.
    fn update_document(&mut self, doc: &Document) -> Result<(), StoreError>;
    fn get(&self, id: &str) -> Result<Option<Document>, StoreError>;
    /// Ids starting with `prefix` (for short ids typed by users).
    fn resolve_id(&self, prefix: &str) -> Result<Vec<String>, StoreError>;
    fn list(&self, filter: &DocumentFilter) -> Result<Vec<DocumentSummary>, StoreError>;
    fn search(&self, query: &str, limit: usize) -> Result<Vec<SearchHit>, StoreError>;
    fn duplicates(&self) -> Result<Vec<DuplicateLink>, StoreError>;
    /// (id, signature) of every stored document that is not itself a
    /// near-duplicate (for checks and tools; ingest asks [`NearDuplicateLookup`]).
    fn fingerprints(&self) -> Result<Vec<(String, Vec<u8>)>, StoreError>;
    fn contains(&self, id: &str) -> Result<bool, StoreError>;
    fn count(&self) -> Result<u64, StoreError>;
    /// Coded events matching the filter, by date.
    fn events(&self, filter: &EventFilter) -> Result<Vec<EventRow>, StoreError>;
    /// Actors with their codes and roles over time.
    fn actors(&self) -> Result<Vec<ActorSummary>, StoreError>;
    /// Quotes matching the filter, by publication date, document and position.
    fn quotes(&self, filter: &QuoteFilter) -> Result<Vec<QuoteRow>, StoreError>;
    /// Claims matching the filter, by publication date, document and position.
    fn claims(&self, filter: &ClaimFilter) -> Result<Vec<ClaimRow>, StoreError>;
    /// The claims of each document in `ids` (whole ids), by position; a
    /// document with none is absent. A backend that pays a round trip per
    /// query reads them in one (a timeline reads the claims of every report
    /// of its events).
    fn claims_of_documents(
        &self,
        ids: &[String],
    ) -> Result<std::collections::HashMap<String, Vec<ClaimRow>>, StoreError> {
        let mut out: std::collections::HashMap<String, Vec<ClaimRow>> =
            std::collections::HashMap::new();
        for id in ids {
            let rows = self.claims(&ClaimFilter {
                doc_id: Some(id.clone()),
                ..Default::default()
            })?;
            for row in rows.into_iter().filter(|r| &r.doc_id == id) {
                out.entry(id.clone()).or_default().push(row);
            }
        }
        Ok(out)
    }
    /// The backend's own integrity check plus the record's invariants.
    fn check(&self) -> Result<CheckReport, StoreError>;

    // The cross-document layer (issue 19). Profiles are the linker's opaque bytes.

    /// Writes everything of one link step in one transaction and marks
    /// `batch.linked` linked. `Ok(false)`: nothing written, because another
    /// writer linked since `batch.generation` (or linked one of these
    /// documents); the caller reads again and redoes the step.
    fn put_links(&mut self, batch: &LinkBatch) -> Result<bool, StoreError>;
    /// Empties the cross-document layer and queues every document again (relink).
    fn clear_links(&mut self) -> Result<(), StoreError>;
    /// Changes with every link step written (see [`LinkBatch::generation`]).
    fn link_generation(&self) -> Result<i64, StoreError>;
    /// Documents stored but not linked yet, in stored order, at most `limit`.
    fn unlinked_documents(&self, limit: usize) -> Result<Vec<PendingDocument>, StoreError>;
    /// The stories last posted under `key`, oldest first, at most `cap` (the
    /// newest): the candidate postings of story linking.
    fn story_posting(&self, key: &str, cap: usize) -> Result<Vec<String>, StoreError>;
    /// Documents counted in the key statistics, and how many of them hold each
    /// of `keys` (the idf of story linking).
    fn key_stats(&self, keys: &[String]) -> Result<(u64, Vec<u64>), StoreError>;
    /// A story by id, following merges (an old id answers the story it joined).
    fn story(&self, id: &str) -> Result<Option<StoryRow>, StoreError>;
    /// [`Store::story`] without `outlets` (left empty), which a backend may
    /// only get by reading every document of the story: what the linker loads
    /// for each candidate story, so its cost must not grow with the story.
    fn story_profile(&self, id: &str) -> Result<Option<StoryRow>, StoreError> {
        self.story(id).map(|s| {
            s.map(|mut s| {
                s.outlets.clear();
                s
            })
        })
    }
    /// The story a linked document belongs to.
    fn story_of_document(&self, doc_id: &str) -> Result<Option<String>, StoreError>;
    /// Stories by first date, then id.
    fn stories(&self, filter: &StoryFilter) -> Result<Vec<StoryRow>, StoreError>;
    /// A story's documents in joined order.
    fn story_documents(
        &self,
        story_id: &str,
        limit: Option<usize>,
    ) -> Result<Vec<StoryDocumentRow>, StoreError>;
    /// Every recorded merge, in link order.
    fn story_merges(&self) -> Result<Vec<StoryMergeRow>, StoreError>;
    /// A story's most named actors and places.
    fn story_top(&self, story_id: &str, limit: usize) -> Result<StoryTop, StoreError>;
    /// [`Store::story_top`]'s places alone (counting actors reads every
    /// actor mention of the story).
    fn story_places(&self, story_id: &str, limit: usize) -> Result<Vec<Counted>, StoreError> {
        self.story_top(story_id, limit).map(|t| t.places)
    }
    /// A story's merged events, most recently extended first, at most `cap`.
    fn merged_event_candidates(
        &self,
        story_id: &str,
        cap: usize,
    ) -> Result<MergedEventCandidates, StoreError>;
    /// Merged events by consensus date, with their mentions when asked.
    fn merged_events(&self, filter: &MergedEventFilter) -> Result<Vec<MergedEventRow>, StoreError>;
    /// How many merged events a story (or the story it was merged into) holds.
    fn story_event_count(&self, story_id: &str) -> Result<u64, StoreError>;
    /// One merged event's mentions in link order.
    fn merged_event_mentions(
        &self,
        merged_id: &str,
        limit: Option<usize>,
    ) -> Result<Vec<EventMentionRow>, StoreError>;
    /// The mentions of each merged event in `ids`, as `merged_event_mentions`
    /// answers for each (the first `limit` of each in link order); an id with
    /// none is absent. A backend that pays a round trip per query reads them
    /// in one (a timeline or a story page asks for hundreds of events).
    fn merged_event_mentions_of(
        &self,
        ids: &[String],
        limit: Option<usize>,
    ) -> Result<std::collections::HashMap<String, Vec<EventMentionRow>>, StoreError> {
        let mut out = std::collections::HashMap::new();
        for id in ids {
            let rows = self.merged_event_mentions(id, limit)?;
            if !rows.is_empty() {
                out.insert(id.clone(), rows);
            }
        }
        Ok(out)
    }
    /// `(event index, merged event id)` of a linked document's event mentions.
    fn document_merged_events(&self, doc_id: &str) -> Result<Vec<(usize, String)>, StoreError>;
    /// Entities sharing name `keys`, at most `cap`.
    fn entity_candidates(
        &self,
        keys: &[String],
        cap: usize,
    ) -> Result<EntityCandidates, StoreError>;
    /// Cross-document entities with their variants and dated roles, most
    /// mentioned first.
    fn entities(&self, filter: &EntityFilter) -> Result<Vec<EntityRow>, StoreError>;
    /// A document's entity mentions resolved to cross-document entities.
    fn entity_mentions(&self, doc_id: &str) -> Result<Vec<EntityMentionRow>, StoreError>;
    /// The latest statements of one speaker in a story, at most `cap`.
    fn statement_candidates(
        &self,
        story_id: &str,
        speaker_key: &str,
        cap: usize,
    ) -> Result<Vec<StatementRow>, StoreError>;
    /// Statement rows (of one story, or all), in link order.
    fn statements(&self, story_id: Option<&str>) -> Result<Vec<StatementRow>, StoreError>;
    /// A story's numeric claims with the merged event each counts.
    fn story_claims(&self, story_id: &str) -> Result<Vec<StoryClaim>, StoreError>;
    /// Documents re-dated by their story (of one story, or all), in link order.
    fn date_corrections(&self, story_id: Option<&str>) -> Result<Vec<DateCorrection>, StoreError>;
    /// Sizes of the cross-document layer.
    fn link_counts(&self) -> Result<LinkCounts, StoreError>;

    /// Refreshes the backend's query statistics after a large write. Only
    /// statistics: callers may ignore a failure. Backends without any do nothing.
    fn optimize(&mut self) -> Result<(), StoreError> {
        Ok(())
    }

    /// A number that moves whenever a write is committed (by any connection
    /// but, for SQLite, this one): what a cache of answers compares before
    /// serving one. SQLite's `data_version`; PostgreSQL's counter of write
    /// transactions.
    fn change_counter(&self) -> Result<i64, StoreError>;

    /// How many of the backend's migrations the store has run.
    fn schema_version(&self) -> Result<i64, StoreError>;

    /// A handle another thread calls to stop this connection's running query
    /// (a request past its time), when the backend can.
    fn interrupter(&self) -> Option<Interrupter> {
        None
    }
}

/// A query connection reads only the schema this binary writes: an older one
/// lacks tables the queries read (and upgrading is a writer's job), a newer
/// one may mean something else.
pub(crate) fn readable_version(path: &str, found: i64, known: i64) -> Result<(), StoreError> {
    let path = path.to_string();
    match found.cmp(&known) {
        std::cmp::Ordering::Greater => Err(StoreError::TooNew { path, found, known }),
        std::cmp::Ordering::Less => Err(StoreError::TooOld { path, found, known }),
        std::cmp::Ordering::Equal => Ok(()),
    }
}

/// Stops one connection's running query from another thread.
pub struct Interrupter(Box<dyn Fn() + Send + Sync>);

impl Interrupter {
    pub fn new(stop: impl Fn() + Send + Sync + 'static) -> Self {
        Interrupter(Box::new(stop))
    }

    pub fn interrupt(&self) {
        (self.0)()
    }
}
