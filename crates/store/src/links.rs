//! Backend-neutral types of the cross-document layer: what one link step writes
//! ([`LinkBatch`]) and what the listings read (stories, merged events, entities,
//! statements, date corrections). Profiles are opaque bytes: the engine
//! serializes the linker's types, so the store never depends on the linker.

use schemars::JsonSchema;
use serde::Serialize;

/// A story to create or update.
#[derive(Debug, Clone, Default)]
pub struct StoryWrite {
    pub id: String,
    /// The most representative headline.
    pub label: String,
    pub profile: Vec<u8>,
}

/// One document joining a story (or founding it).
#[derive(Debug, Clone, Default)]
pub struct StoryDocumentWrite {
    pub story_id: String,
    pub doc_id: String,
    /// Decision score (1.0 for a founder or a copy).
    pub score: f32,
    /// The original this document copies (a near duplicate joins its story and
    /// counts as a mention, not as a new article).
    pub copy_of: Option<String>,
    pub outlet: Option<String>,
    /// Publication date after any story-level correction, `YYYY-MM-DD`.
    pub date: Option<String>,
}

/// `from` merged into `into` (both ids stay valid: `story(from)` answers `into`).
#[derive(Debug, Clone, Default)]
pub struct StoryMergeWrite {
    pub from: String,
    pub into: String,
    pub reason: String,
}

/// A merged event to create or update; its counts, consensus fields, first
/// report and disagreements are computed by the store from its mentions.
#[derive(Debug, Clone, Default)]
pub struct MergedEventWrite {
    pub id: String,
    pub story_id: String,
    pub profile: Vec<u8>,
}

/// One event mention attached to a merged event. `idx` is the event's position
/// in its document's `events` layer.
#[derive(Debug, Clone, Default)]
pub struct EventMentionWrite {
    pub merged_id: String,
    pub doc_id: String,
    pub idx: usize,
    pub outlet: Option<String>,
    pub copy_of: Option<String>,
    pub start: usize,
    pub end: usize,
    pub code: Option<String>,
    pub source: Option<String>,
    pub target: Option<String>,
    pub place: Option<String>,
    pub date: Option<String>,
    /// Cross-document entities of the event's actors, when resolved.
    pub source_entity: Option<String>,
    pub target_entity: Option<String>,
}

/// A cross-document entity to create or update. `keys` replaces its name-key
/// postings.
#[derive(Debug, Clone, Default)]
pub struct EntityWrite {
    pub id: String,
    pub canonical: String,
    pub label: String,
    pub profile: Vec<u8>,
    pub keys: Vec<String>,
}

/// One entity mention of a document resolved to a cross-document entity.
#[derive(Debug, Clone, Default)]
pub struct EntityMentionWrite {
    pub entity_id: String,
    pub doc_id: String,
    pub start: usize,
    pub end: usize,
    pub text: String,
    /// The role the document gives it there ("foreign minister"), if any.
    pub role: Option<String>,
    /// The document's publication date, for dated roles.
    pub date: Option<String>,
}

/// A quote's statement: the same statement reported in several documents
/// shares one id (the first report's `doc:idx`).
#[derive(Debug, Clone, Default)]
pub struct StatementWrite {
    pub doc_id: String,
    /// The quote's position in its document's quote layer.
    pub idx: usize,
    pub statement_id: String,
    pub story_id: String,
    /// The speaker's entity id, or `name:` + the folded name when unresolved.
    pub speaker_key: String,
    /// Normalized quote content the linker compares.
    pub content: String,
}

/// A numeric claim tied to the merged event it counts.
#[derive(Debug, Clone, Default)]
pub struct ClaimEventWrite {
    pub doc_id: String,
    pub idx: usize,
    pub merged_id: String,
}

/// A claim's reading in its report (`chronicle_link::conflicts::ClaimContext`
/// as JSON: running total, headline figure, places, subject hints), written when
/// its document is linked so a story's disagreements are computed from rows
/// instead of from every report read whole.
#[derive(Debug, Clone, Default)]
pub struct ClaimContextWrite {
    pub doc_id: String,
    pub idx: usize,
    pub context: String,
}

/// A document re-dated from its story (the document itself is rewritten in
/// `LinkBatch::updated_documents`; this row is the audit trail).
#[derive(Debug, Clone, Default, PartialEq, Serialize, JsonSchema)]
pub struct DateCorrection {
    pub doc_id: String,
    pub story_id: String,
    /// What the source stated (verbatim date), if anything.
    pub stated: Option<String>,
    /// `published.date` before the correction.
    pub previous: Option<String>,
    pub corrected: String,
    /// Documents whose reports gave the date.
    pub evidence: Vec<String>,
    pub reason: String,
}

/// Everything one link step writes, in one transaction: a crash leaves the
/// step's documents pending (see [`Store::unlinked_documents`](crate::Store)).
#[derive(Debug, Clone, Default)]
pub struct LinkBatch {
    /// [`Store::link_generation`](crate::Store) when the step began reading: if
    /// another writer linked since, the step is refused (its decisions read a
    /// store that changed) and the caller links again.
    pub generation: i64,
    /// Documents this step links (marked linked on commit).
    pub linked: Vec<String>,
    pub stories: Vec<StoryWrite>,
    /// `(key, story)` posted in this order: each moves the story to the newest
    /// end of the key's posting.
    pub postings: Vec<(String, String)>,
    /// Documents holding each key, added to the key statistics.
    pub key_counts: Vec<(String, u64)>,
    /// Documents added to the statistics' total.
    pub documents_counted: u64,
    pub story_documents: Vec<StoryDocumentWrite>,
    pub merges: Vec<StoryMergeWrite>,
    pub merged_events: Vec<MergedEventWrite>,
    pub event_mentions: Vec<EventMentionWrite>,
    pub entities: Vec<EntityWrite>,
    pub entity_mentions: Vec<EntityMentionWrite>,
    pub statements: Vec<StatementWrite>,
    pub claim_events: Vec<ClaimEventWrite>,
    pub claim_contexts: Vec<ClaimContextWrite>,
    pub date_corrections: Vec<DateCorrection>,
    /// Documents rewritten by this step (re-dated: `published`, `date_evidence`,
    /// re-resolved times and event dates), replacing their rows.
    pub updated_documents: Vec<chronicle_core::Document>,
}

/// A stored story. `profile` is the linker's opaque state.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct StoryRow {
    pub id: String,
    pub label: String,
    pub first_date: Option<String>,
    pub last_date: Option<String>,
    /// Documents, copies included.
    pub num_documents: u64,
    /// Documents that are not copies of another.
    pub num_articles: u64,
    pub outlets: Vec<String>,
    /// Set when this story was merged into another.
    pub merged_into: Option<String>,
    #[serde(skip)]
    #[schemars(skip)]
    pub profile: Vec<u8>,
}

/// Which stories to list.
#[derive(Debug, Clone, Default)]
pub struct StoryFilter {
    /// Stories overlapping these dates (see `DocumentFilter` for the forms).
    pub from: Option<String>,
    pub to: Option<String>,
    /// Substring of an actor or entity named in the story (case-insensitive).
    pub actor: Option<String>,
    /// Include stories merged into others (default: only live stories).
    pub include_merged: bool,
    pub limit: Option<usize>,
}

/// A document of a story, in joined order.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct StoryDocumentRow {
    pub story_id: String,
    pub doc_id: String,
    /// Global link order (stored order).
    pub seq: i64,
    pub score: f32,
    pub copy_of: Option<String>,
    pub outlet: Option<String>,
    pub title: Option<String>,
    pub url: Option<String>,
    pub published: Option<String>,
    /// Where `published` came from (`header`, `story`, …), as the document's
    /// `published.provenance` names it.
    pub provenance: Option<String>,
    /// The document's own date is contradicted by its text (`date_conflict`)
    /// and no story corrected it: its date is no evidence for its peers'.
    pub date_in_doubt: bool,
}

/// A recorded merge of two stories.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct StoryMergeRow {
    pub from: String,
    pub into: String,
    pub reason: String,
    /// Link order at the merge.
    pub seq: i64,
    pub at: String,
}

/// A name (actor, place) and how often a story names it.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Counted {
    pub name: String,
    pub count: u64,
}

/// A story's most named actors and places (read from its documents' rows).
#[derive(Debug, Clone, Default, PartialEq, Serialize, JsonSchema)]
pub struct StoryTop {
    pub actors: Vec<Counted>,
    pub places: Vec<Counted>,
}

/// A field of a merged event on which its mentions disagree.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct FieldDisagreement {
    /// `code`, `source`, `target`, `place` or `date`.
    pub field: String,
    /// Each distinct value with its number of mentions, most frequent first.
    pub values: Vec<Counted>,
}

/// One mention of a merged event, with its evidence span.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct EventMentionRow {
    pub merged_id: String,
    pub document: String,
    /// Position of the event in the document's `events` layer.
    pub index: usize,
    pub outlet: Option<String>,
    pub copy_of: Option<String>,
    pub start: usize,
    pub end: usize,
    pub code: Option<String>,
    pub source: Option<String>,
    pub target: Option<String>,
    pub place: Option<String>,
    pub date: Option<String>,
    /// How the mention's event was dated (`time_expression`, `published`).
    pub date_source: Option<String>,
    pub source_entity: Option<String>,
    pub target_entity: Option<String>,
    /// The mention's document's publication date.
    pub published: Option<String>,
    /// The sentence (or clause) that tells of the event.
    pub sentence: Option<String>,
    pub seq: i64,
    /// The mention's document's own date is in doubt (see
    /// [`StoryDocumentRow::date_in_doubt`]).
    pub date_in_doubt: bool,
}

/// A merged event: one real-world event told by several mentions.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct MergedEventRow {
    pub id: String,
    pub story_id: String,
    /// Consensus (most frequent among the mentions; ties: the earliest).
    pub code: Option<String>,
    pub source: Option<String>,
    pub target: Option<String>,
    pub place: Option<String>,
    pub date: Option<String>,
    pub num_mentions: u64,
    /// Distinct outlets, copies not counted.
    pub num_sources: u64,
    /// Distinct articles: a copy counts with its original.
    pub num_articles: u64,
    /// The first report: the earliest published mention's document.
    pub first_document: Option<String>,
    pub first_date: Option<String>,
    pub disagreements: Vec<FieldDisagreement>,
    /// Filled when the filter asks for mentions.
    pub mentions: Vec<EventMentionRow>,
    /// The linker's state: filled by `merged_event_candidates` only, empty
    /// in listings.
    #[serde(skip)]
    #[schemars(skip)]
    pub profile: Vec<u8>,
}

/// Which merged events to list.
#[derive(Debug, Clone, Default)]
pub struct MergedEventFilter {
    pub story: Option<String>,
    /// CAMEO code prefix of the consensus code.
    pub code: Option<String>,
    /// Actor code prefix, consensus source or target.
    pub actor: Option<String>,
    /// Bounds on the consensus date.
    pub from: Option<String>,
    pub to: Option<String>,
    /// Only events with at least this many sources.
    pub min_sources: Option<u64>,
    /// Only events a mention of which has one of these cross-document
    /// entities as its source or target.
    pub entities: Option<Vec<String>>,
    pub with_mentions: bool,
    pub limit: Option<usize>,
}

/// Candidate merged events of a story, most recently extended first.
#[derive(Debug, Clone, Default)]
pub struct MergedEventCandidates {
    pub events: Vec<MergedEventRow>,
    pub capped: bool,
}

/// A role an entity held, over the dates the documents give it.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct DatedRole {
    pub role: String,
    pub first_seen: Option<String>,
    pub last_seen: Option<String>,
    pub mentions: u64,
}

/// A cross-document entity: one person or organization across documents.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct EntityRow {
    pub id: String,
    pub canonical: String,
    pub label: String,
    pub mentions: u64,
    pub documents: u64,
    pub first_seen: Option<String>,
    pub last_seen: Option<String>,
    /// Every spelling used, most frequent first.
    pub variants: Vec<String>,
    pub roles: Vec<DatedRole>,
    #[serde(skip)]
    #[schemars(skip)]
    pub profile: Vec<u8>,
}

/// Candidate entities for a mention, found through name keys.
#[derive(Debug, Clone, Default)]
pub struct EntityCandidates {
    pub entities: Vec<EntityRow>,
    pub capped: bool,
}

/// Which entities to list.
#[derive(Debug, Clone, Default)]
pub struct EntityFilter {
    /// Substring of the canonical name or a variant (case-insensitive).
    pub name: Option<String>,
    /// `PER`, `ORG`, `LOC`, exact.
    pub label: Option<String>,
    /// Any of these labels (with `label`, both must hold).
    pub labels: Vec<String>,
    /// Entities mentioned in this story.
    pub story: Option<String>,
    pub limit: Option<usize>,
    /// Read each entity's variants but not its roles over time (which read
    /// every mention of a much-mentioned name).
    pub variants_only: bool,
}

/// One resolved entity mention.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct EntityMentionRow {
    pub entity_id: String,
    pub doc_id: String,
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub role: Option<String>,
    pub date: Option<String>,
}

/// A quote's statement id, with what the linker compares.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct StatementRow {
    pub doc_id: String,
    pub idx: usize,
    pub statement_id: String,
    pub story_id: String,
    pub speaker_key: String,
    pub content: String,
    pub seq: i64,
}

/// A story's claim, tied to the merged event it counts where there is one.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct StoryClaim {
    pub claim: crate::ClaimRow,
    pub merged_event: Option<String>,
    /// Its [`ClaimContextWrite::context`]; `None` when its document was linked
    /// by a version that did not write one (read the document instead).
    pub context: Option<String>,
}

/// A document stored but not yet linked, in stored order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingDocument {
    pub seq: i64,
    pub doc_id: String,
    /// The stored original this document nearly duplicates.
    pub duplicate_of: Option<String>,
}

/// Sizes of the cross-document layer (for reports and `check`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, JsonSchema)]
pub struct LinkCounts {
    pub stories: u64,
    pub merged_stories: u64,
    pub merged_events: u64,
    pub entities: u64,
    pub statements: u64,
    pub date_corrections: u64,
    pub linked_documents: u64,
    pub pending_documents: u64,
}
