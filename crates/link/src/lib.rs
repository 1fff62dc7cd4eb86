//! Linking across documents: what turns many reports into one record. Each room
//! has one job and a reader finds it in one hop:
//!
//! - `near_dup`: copies of one article (MinHash over word 3-shingles, banded LSH).
//! - `stories`: each new document joins a story or starts one, found through an
//!   index of keys, never by comparing with every stored document.
//! - `coref`: cross-document coreference of event mentions (merged events) and of
//!   entity mentions (one actor per person or organization).
//! - `dating`: a story's reports date a document whose own date is stale or missing.
//! - `conflicts`: numeric claims about the same quantity grouped; differing values
//!   are disagreements.
//!
//! No I/O: the store keeps the state, this crate decides.

pub mod conflicts;
pub mod coref;
pub mod dating;
pub mod near_dup;
pub mod stories;

pub use near_dup::{NearDuplicateIndex, Signature, NEAR_DUPLICATE_JACCARD, SIGNATURE_LEN};
