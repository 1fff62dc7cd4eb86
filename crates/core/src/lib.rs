//! The one `Document` model every Chronicle stage reads and extends.
//!
//! A document is the cleaned article text plus everything we know about where it
//! came from, and one layer per annotation kind. Every annotation carries a byte
//! span `[start, end)` into `text` that lands on char boundaries, so any fact can be
//! traced back to the words that support it. This crate does no I/O.

mod document;
mod id;
mod layers;
mod span;

pub use document::{
    DateEvidence, DateProvenance, Document, Published, RemovedLine, SourceRef, StatedDate, Warning,
};
pub use id::{content_id, normalize_for_id};
pub use layers::{
    ActorMention, Claim, Entity, Event, EventActor, Quote, Sentence, TimeExpr, Token,
};
pub use span::{Span, SpanError};

/// Version of the document JSON; bumped only when a field changes meaning.
/// Adding fields or layers does not bump it: consumers must ignore unknown fields.
pub const DOCUMENT_SCHEMA_VERSION: u32 = 1;
