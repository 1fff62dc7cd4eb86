//! The cross-document tables in PostgreSQL: the port of
//! [`crate::link_rows`] (stories with their key postings, merged events with
//! their tallies and mentions, cross-document entities, statements, claim
//! links, date corrections and the link queue). Placeholder bodies until the
//! port lands; the signatures are final.

use crate::links::*;
use postgres::GenericClient;

/// The link tables, their indexes and `link_meta` (run by migration 1 after
/// the document tables).
pub const TABLES: &str = "";

fn not_built() -> postgres::Error {
    // A postgres::Error has no public constructor: a connection string with an
    // unknown option is the one public way to make one.
    match "chronicle_link_rows_not_built=1".parse::<postgres::Config>() {
        Err(e) => e,
        Ok(_) => unreachable!("an unknown option always fails to parse"),
    }
}

pub fn enqueue(c: &mut impl GenericClient, doc_id: &str) -> Result<(), postgres::Error> {
    let _ = (c, doc_id);
    Err(not_built())
}

pub fn meta(c: &mut impl GenericClient, name: &str) -> Result<i64, postgres::Error> {
    let _ = (c, name);
    Err(not_built())
}

pub fn put(c: &mut impl GenericClient, b: &LinkBatch) -> Result<bool, postgres::Error> {
    let _ = (c, b);
    Err(not_built())
}

pub fn rebuild_document_events(
    c: &mut impl GenericClient,
    doc_id: &str,
) -> Result<(), postgres::Error> {
    let _ = (c, doc_id);
    Err(not_built())
}

pub fn clear(c: &mut impl GenericClient) -> Result<(), postgres::Error> {
    let _ = c;
    Err(not_built())
}

pub fn unlinked(
    c: &mut impl GenericClient,
    n: usize,
) -> Result<Vec<PendingDocument>, postgres::Error> {
    let _ = (c, n);
    Err(not_built())
}

pub fn story(c: &mut impl GenericClient, id: &str) -> Result<Option<StoryRow>, postgres::Error> {
    let _ = (c, id);
    Err(not_built())
}

pub fn story_profile(
    c: &mut impl GenericClient,
    id: &str,
) -> Result<Option<StoryRow>, postgres::Error> {
    let _ = (c, id);
    Err(not_built())
}

pub fn story_of_document(
    c: &mut impl GenericClient,
    doc_id: &str,
) -> Result<Option<String>, postgres::Error> {
    let _ = (c, doc_id);
    Err(not_built())
}

pub fn story_posting(
    c: &mut impl GenericClient,
    key: &str,
    cap: usize,
) -> Result<Vec<String>, postgres::Error> {
    let _ = (c, key, cap);
    Err(not_built())
}

pub fn key_stats(
    c: &mut impl GenericClient,
    keys: &[String],
) -> Result<(u64, Vec<u64>), postgres::Error> {
    let _ = (c, keys);
    Err(not_built())
}

pub fn stories(
    c: &mut impl GenericClient,
    f: &StoryFilter,
) -> Result<Vec<StoryRow>, postgres::Error> {
    let _ = (c, f);
    Err(not_built())
}

pub fn story_documents(
    c: &mut impl GenericClient,
    story_id: &str,
    n: Option<usize>,
) -> Result<Vec<StoryDocumentRow>, postgres::Error> {
    let _ = (c, story_id, n);
    Err(not_built())
}

pub fn story_merges(c: &mut impl GenericClient) -> Result<Vec<StoryMergeRow>, postgres::Error> {
    let _ = c;
    Err(not_built())
}

pub fn story_top(
    c: &mut impl GenericClient,
    story_id: &str,
    n: usize,
) -> Result<StoryTop, postgres::Error> {
    let _ = (c, story_id, n);
    Err(not_built())
}

pub fn story_places(
    c: &mut impl GenericClient,
    story_id: &str,
    n: usize,
) -> Result<Vec<Counted>, postgres::Error> {
    let _ = (c, story_id, n);
    Err(not_built())
}

pub fn merged_event_candidates(
    c: &mut impl GenericClient,
    story_id: &str,
    cap: usize,
) -> Result<MergedEventCandidates, postgres::Error> {
    let _ = (c, story_id, cap);
    Err(not_built())
}

pub fn merged_events(
    c: &mut impl GenericClient,
    f: &MergedEventFilter,
) -> Result<Vec<MergedEventRow>, postgres::Error> {
    let _ = (c, f);
    Err(not_built())
}

pub fn story_event_count(
    c: &mut impl GenericClient,
    story_id: &str,
) -> Result<u64, postgres::Error> {
    let _ = (c, story_id);
    Err(not_built())
}

pub fn event_mentions(
    c: &mut impl GenericClient,
    merged_id: &str,
    n: Option<usize>,
) -> Result<Vec<EventMentionRow>, postgres::Error> {
    let _ = (c, merged_id, n);
    Err(not_built())
}

pub fn document_event_mentions(
    c: &mut impl GenericClient,
    doc_id: &str,
) -> Result<Vec<(usize, String)>, postgres::Error> {
    let _ = (c, doc_id);
    Err(not_built())
}

pub fn entity_candidates(
    c: &mut impl GenericClient,
    keys: &[String],
    cap: usize,
) -> Result<EntityCandidates, postgres::Error> {
    let _ = (c, keys, cap);
    Err(not_built())
}

pub fn entities(
    c: &mut impl GenericClient,
    f: &EntityFilter,
) -> Result<Vec<EntityRow>, postgres::Error> {
    let _ = (c, f);
    Err(not_built())
}

pub fn entity_mentions(
    c: &mut impl GenericClient,
    doc_id: &str,
) -> Result<Vec<EntityMentionRow>, postgres::Error> {
    let _ = (c, doc_id);
    Err(not_built())
}

pub fn statement_candidates(
    c: &mut impl GenericClient,
    story_id: &str,
    speaker_key: &str,
    cap: usize,
) -> Result<Vec<StatementRow>, postgres::Error> {
    let _ = (c, story_id, speaker_key, cap);
    Err(not_built())
}

pub fn statements(
    c: &mut impl GenericClient,
    story_id: Option<&str>,
) -> Result<Vec<StatementRow>, postgres::Error> {
    let _ = (c, story_id);
    Err(not_built())
}

pub fn story_claims(
    c: &mut impl GenericClient,
    story_id: &str,
) -> Result<Vec<StoryClaim>, postgres::Error> {
    let _ = (c, story_id);
    Err(not_built())
}

pub fn date_corrections(
    c: &mut impl GenericClient,
    story_id: Option<&str>,
) -> Result<Vec<DateCorrection>, postgres::Error> {
    let _ = (c, story_id);
    Err(not_built())
}

pub fn counts(c: &mut impl GenericClient) -> Result<LinkCounts, postgres::Error> {
    let _ = c;
    Err(not_built())
}
