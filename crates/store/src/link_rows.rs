//! The cross-document tables in SQLite (migration 4): stories with their key
//! postings, merged events with their mentions, cross-document entities with
//! their name keys, statements, claim links, date corrections and the link
//! queue. Candidate lookups read postings by index with caps, so their cost
//! follows the cap, not the store. Aggregates (story and merged-event counts,
//! consensus, dates, first report) are kept on their rows and updated from a
//! step's new rows only (merged events through per-value tallies, migration
//! 5), so a step's cost does not grow with a story's size; a step that replaces
//! or moves rows (a merge, a re-written mention) recomputes what it touched
//! from the rows, and `check` compares the kept counts with the rows.

use crate::filter::{limit, Where};
use crate::links::*;
use crate::rows::{claim_row, CLAIM_COLUMNS};
use rusqlite::{params, Connection, OptionalExtension};
use std::collections::{BTreeSet, HashMap};

pub const MIGRATION: &str = "CREATE TABLE link_order (
        seq INTEGER PRIMARY KEY,
        doc_id TEXT NOT NULL UNIQUE REFERENCES documents(id),
        linked INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX link_order_pending ON link_order(linked, seq);
    INSERT INTO link_order (doc_id) SELECT id FROM documents ORDER BY rowid;
    CREATE TABLE stories (
        id TEXT PRIMARY KEY,
        label TEXT NOT NULL DEFAULT '',
        first_date TEXT,
        last_date TEXT,
        num_documents INTEGER NOT NULL DEFAULT 0,
        num_articles INTEGER NOT NULL DEFAULT 0,
        founded_seq INTEGER NOT NULL DEFAULT 0,
        merged_into TEXT,
        profile BLOB NOT NULL DEFAULT x''
    );
    CREATE INDEX stories_first_date ON stories(first_date);
    CREATE TABLE story_documents (
        doc_id TEXT PRIMARY KEY REFERENCES documents(id),
        story_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        score REAL NOT NULL DEFAULT 1,
        copy_of TEXT,
        outlet TEXT,
        date TEXT
    );
    CREATE INDEX story_documents_story ON story_documents(story_id, seq);
    CREATE INDEX story_documents_dates ON story_documents(story_id, date);
    CREATE TABLE story_postings (
        stamp INTEGER PRIMARY KEY,
        key TEXT NOT NULL,
        story_id TEXT NOT NULL,
        UNIQUE (key, story_id)
    );
    CREATE INDEX story_postings_recent ON story_postings(key, stamp);
    CREATE TABLE link_keys (
        key TEXT PRIMARY KEY,
        documents INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE link_meta (
        name TEXT PRIMARY KEY,
        value INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE story_merges (
        from_id TEXT PRIMARY KEY,
        into_id TEXT NOT NULL,
        reason TEXT NOT NULL,
        seq INTEGER NOT NULL,
        at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
    );
    CREATE TABLE merged_events (
        id TEXT PRIMARY KEY,
        story_id TEXT NOT NULL,
        code TEXT, source TEXT, target TEXT, place TEXT, date TEXT,
        num_mentions INTEGER NOT NULL DEFAULT 0,
        num_sources INTEGER NOT NULL DEFAULT 0,
        num_articles INTEGER NOT NULL DEFAULT 0,
        first_doc TEXT,
        first_date TEXT,
        last_seq INTEGER NOT NULL DEFAULT 0,
        disagreements TEXT NOT NULL DEFAULT '[]',
        profile BLOB NOT NULL DEFAULT x''
    );
    CREATE INDEX merged_events_story ON merged_events(story_id, last_seq);
    CREATE INDEX merged_events_date ON merged_events(date);
    CREATE TABLE merged_event_mentions (
        doc_id TEXT NOT NULL REFERENCES documents(id),
        idx INTEGER NOT NULL,
        merged_id TEXT NOT NULL,
        outlet TEXT,
        copy_of TEXT,
        start INTEGER NOT NULL,
        end INTEGER NOT NULL,
        seq INTEGER NOT NULL,
        code TEXT, source TEXT, target TEXT, place TEXT, date TEXT,
        source_entity TEXT, target_entity TEXT,
        PRIMARY KEY (doc_id, idx)
    ) WITHOUT ROWID;
    CREATE INDEX merged_event_mentions_event ON merged_event_mentions(merged_id, seq);
    CREATE TABLE xdoc_entities (
        id TEXT PRIMARY KEY,
        canonical TEXT NOT NULL,
        label TEXT NOT NULL,
        num_mentions INTEGER NOT NULL DEFAULT 0,
        num_documents INTEGER NOT NULL DEFAULT 0,
        first_seen TEXT,
        last_seen TEXT,
        profile BLOB NOT NULL DEFAULT x''
    );
    CREATE TABLE xdoc_entity_keys (
        key TEXT NOT NULL,
        entity_id TEXT NOT NULL,
        PRIMARY KEY (key, entity_id)
    ) WITHOUT ROWID;
    CREATE INDEX xdoc_entity_keys_entity ON xdoc_entity_keys(entity_id);
    CREATE TABLE xdoc_entity_mentions (
        doc_id TEXT NOT NULL REFERENCES documents(id),
        start INTEGER NOT NULL,
        end INTEGER NOT NULL,
        entity_id TEXT NOT NULL,
        text TEXT NOT NULL,
        role TEXT,
        date TEXT,
        PRIMARY KEY (doc_id, start, end)
    ) WITHOUT ROWID;
    CREATE INDEX xdoc_entity_mentions_entity ON xdoc_entity_mentions(entity_id, text);
    CREATE TABLE statements (
        doc_id TEXT NOT NULL REFERENCES documents(id),
        idx INTEGER NOT NULL,
        statement_id TEXT NOT NULL,
        story_id TEXT NOT NULL,
        speaker_key TEXT NOT NULL,
        content TEXT NOT NULL,
        seq INTEGER NOT NULL,
        PRIMARY KEY (doc_id, idx)
    ) WITHOUT ROWID;
    CREATE INDEX statements_lookup ON statements(story_id, speaker_key, seq);
    CREATE TABLE claim_events (
        doc_id TEXT NOT NULL REFERENCES documents(id),
        idx INTEGER NOT NULL,
        merged_id TEXT NOT NULL,
        PRIMARY KEY (doc_id, idx)
    ) WITHOUT ROWID;
    CREATE TABLE date_corrections (
        doc_id TEXT PRIMARY KEY REFERENCES documents(id),
        story_id TEXT NOT NULL,
        stated TEXT,
        previous TEXT,
        corrected TEXT NOT NULL,
        evidence TEXT NOT NULL DEFAULT '[]',
        reason TEXT NOT NULL
    );
    CREATE INDEX date_corrections_story ON date_corrections(story_id);";

/// Tables the link step fills; `clear_links` empties them (both backends).
pub(crate) const LINK_TABLES: &[&str] = &[
    "stories",
    "story_documents",
    "story_postings",
    "link_keys",
    "link_meta",
    "story_merges",
    "merged_events",
    "merged_event_mentions",
    "merged_event_tallies",
    "xdoc_entities",
    "xdoc_entity_keys",
    "xdoc_entity_mentions",
    "statements",
    "claim_events",
    "claim_contexts",
    "date_corrections",
];

/// A story merged into another keeps answering for it; merges chain at most
/// this deep (a longer chain is a loop written by a faulty linker).
const MAX_MERGE_HOPS: usize = 64;

/// `date` moved by `days` (`YYYY-MM-DD`), or `None` if `date` is not one.
/// The candidate window is computed here so every backend reads it the same way.
pub fn shift_date(date: &str, days: i64) -> Option<String> {
    let b = date.as_bytes();
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let y: i64 = date.get(0..4)?.parse().ok()?;
    let m: i64 = date.get(5..7)?.parse().ok()?;
    let d: i64 = date.get(8..10)?.parse().ok()?;
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    let (y, m, d) = civil_from_days(days_from_civil(y, m, d) + days);
    if !(0..=9999).contains(&y) {
        return None;
    }
    Some(format!("{y:04}-{m:02}-{d:02}"))
}

/// Days since 1970-01-01 (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe - 719468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719468;
    let era = z.div_euclid(146097);
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// The link order of a document (its row in `link_order`).
fn seq_of(tx: &Connection, doc_id: &str) -> rusqlite::Result<i64> {
    Ok(tx
        .prepare_cached("SELECT seq FROM link_order WHERE doc_id = ?1")?
        .query_row([doc_id], |r| r.get(0))
        .optional()?
        .unwrap_or(0))
}

/// Queues a newly stored document for linking (called with its insert).
pub fn enqueue(tx: &Connection, doc_id: &str) -> rusqlite::Result<()> {
    tx.prepare_cached("INSERT OR IGNORE INTO link_order (doc_id) VALUES (?1)")?
        .execute([doc_id])?;
    Ok(())
}

fn bump_meta(tx: &Connection, name: &str, by: i64) -> rusqlite::Result<()> {
    tx.prepare_cached(
        "INSERT INTO link_meta (name, value) VALUES (?1, ?2)
         ON CONFLICT(name) DO UPDATE SET value = value + excluded.value",
    )?
    .execute(params![name, by])?;
    Ok(())
}

pub fn meta(conn: &Connection, name: &str) -> rusqlite::Result<i64> {
    Ok(conn
        .prepare_cached("SELECT value FROM link_meta WHERE name = ?1")?
        .query_row([name], |r| r.get(0))
        .optional()?
        .unwrap_or(0))
}

/// Writes one link step (the caller holds the write transaction), unless
/// another writer linked since the step read the store (`generation` moved) or
/// one of its documents is linked already: then nothing is written and the
/// answer is `false`.
pub fn put(tx: &Connection, b: &LinkBatch) -> rusqlite::Result<bool> {
    if meta(tx, "generation")? != b.generation {
        return Ok(false);
    }
    for d in &b.linked {
        let linked: Option<i64> = tx
            .prepare_cached("SELECT linked FROM link_order WHERE doc_id = ?1")?
            .query_row([d], |r| r.get(0))
            .optional()?;
        if linked == Some(1) {
            return Ok(false);
        }
    }
    let mut touched_stories: BTreeSet<String> = BTreeSet::new();
    let mut touched_events: BTreeSet<String> = BTreeSet::new();
    let max_seq = b
        .linked
        .iter()
        .map(|d| seq_of(tx, d))
        .collect::<rusqlite::Result<Vec<_>>>()?
        .into_iter()
        .max()
        .unwrap_or(0);
    for doc in &b.updated_documents {
        crate::sqlite::rewrite_document(tx, doc)?;
    }
    for s in &b.stories {
        let founded = b
            .story_documents
            .iter()
            .find(|d| d.story_id == s.id)
            .map(|d| seq_of(tx, &d.doc_id))
            .transpose()?
            .unwrap_or(max_seq);
        tx.prepare_cached(
            "INSERT INTO stories (id, label, profile, founded_seq) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT(id) DO UPDATE SET label = excluded.label, profile = excluded.profile",
        )?
        .execute(params![s.id, s.label, s.profile, founded])?;
        touched_stories.insert(s.id.clone());
    }
    // Re-posting moves a story to the newest end of the key's posting.
    let mut post = tx.prepare_cached(
        "INSERT OR REPLACE INTO story_postings (stamp, key, story_id)
         VALUES ((SELECT COALESCE(MAX(stamp), 0) + 1 FROM story_postings), ?1, ?2)",
    )?;
    for (key, story) in &b.postings {
        post.execute(params![key, story])?;
    }
    let mut count = tx.prepare_cached(
        "INSERT INTO link_keys (key, documents) VALUES (?1, ?2)
         ON CONFLICT(key) DO UPDATE SET documents = documents + excluded.documents",
    )?;
    for (key, n) in &b.key_counts {
        count.execute(params![key, *n as i64])?;
    }
    bump_meta(tx, "documents_counted", b.documents_counted as i64)?;
    bump_meta(tx, "generation", 1)?;
    // Stories whose counts are recomputed from their rows (rows moved or
    // replaced); the others add this step's documents to what their row says.
    let mut recount: BTreeSet<String> = BTreeSet::new();
    let mut step_docs: HashMap<&str, Vec<&str>> = HashMap::new();
    for d in &b.story_documents {
        let seq = seq_of(tx, &d.doc_id)?;
        if let Some(before) = story_of(tx, &d.doc_id)? {
            recount.insert(before);
            recount.insert(d.story_id.clone());
        }
        step_docs
            .entry(d.story_id.as_str())
            .or_default()
            .push(d.doc_id.as_str());
        tx.prepare_cached(
            "INSERT OR REPLACE INTO story_documents (doc_id, story_id, seq, score, copy_of, outlet, date)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?
        .execute(params![
            d.doc_id,
            d.story_id,
            seq,
            d.score as f64,
            d.copy_of,
            d.outlet,
            d.date
        ])?;
        touched_stories.insert(d.story_id.clone());
    }
    for e in &b.merged_events {
        tx.prepare_cached(
            "INSERT INTO merged_events (id, story_id, profile) VALUES (?1, ?2, ?3)
             ON CONFLICT(id) DO UPDATE SET story_id = excluded.story_id, profile = excluded.profile",
        )?
        .execute(params![e.id, e.story_id, e.profile])?;
        touched_events.insert(e.id.clone());
    }
    // Merged events recomputed from their rows (a mention re-written); the
    // others take each new mention into their tallies and counts.
    let mut rebuild: BTreeSet<String> = BTreeSet::new();
    for m in &b.event_mentions {
        let seq = seq_of(tx, &m.doc_id)?;
        let before: Option<String> = tx
            .prepare_cached(
                "SELECT merged_id FROM merged_event_mentions WHERE doc_id = ?1 AND idx = ?2",
            )?
            .query_row(params![m.doc_id, m.idx as i64], |r| r.get(0))
            .optional()?;
        tx.prepare_cached(
            "INSERT OR REPLACE INTO merged_event_mentions (doc_id, idx, merged_id, outlet, copy_of,
             start, end, seq, code, source, target, place, date, source_entity, target_entity)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
        )?
        .execute(params![
            m.doc_id,
            m.idx as i64,
            m.merged_id,
            m.outlet,
            m.copy_of,
            m.start as i64,
            m.end as i64,
            seq,
            m.code,
            m.source,
            m.target,
            m.place,
            m.date,
            m.source_entity,
            m.target_entity
        ])?;
        if let Some(before) = before {
            rebuild.insert(before);
            rebuild.insert(m.merged_id.clone());
        } else if !rebuild.contains(&m.merged_id) {
            add_mention(tx, m, seq)?;
        }
        touched_events.insert(m.merged_id.clone());
    }
    for e in &b.entities {
        tx.prepare_cached(
            "INSERT INTO xdoc_entities (id, canonical, label, profile) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT(id) DO UPDATE SET canonical = excluded.canonical, label = excluded.label,
             profile = excluded.profile",
        )?
        .execute(params![e.id, e.canonical, e.label, e.profile])?;
        tx.prepare_cached("DELETE FROM xdoc_entity_keys WHERE entity_id = ?1")?
            .execute([&e.id])?;
        let mut ins = tx.prepare_cached(
            "INSERT OR IGNORE INTO xdoc_entity_keys (key, entity_id) VALUES (?1, ?2)",
        )?;
        for k in &e.keys {
            ins.execute(params![k, e.id])?;
        }
    }
    // Entity counts are kept incrementally: a country or a president is named
    // in most documents, and recounting its mentions every step would grow with
    // the store.
    for m in &b.entity_mentions {
        // By the document's rows (`+` keeps the planner off the entity index,
        // which would scan every mention of a common name).
        let seen_in_doc = tx
            .prepare_cached(
                "SELECT 1 FROM xdoc_entity_mentions WHERE doc_id = ?1 AND +entity_id = ?2 LIMIT 1",
            )?
            .query_row(params![m.doc_id, m.entity_id], |_| Ok(()))
            .optional()?
            .is_some();
        let inserted = tx
            .prepare_cached(
                "INSERT OR IGNORE INTO xdoc_entity_mentions (doc_id, start, end, entity_id, text, role, date)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?
            .execute(params![
                m.doc_id,
                m.start as i64,
                m.end as i64,
                m.entity_id,
                m.text,
                m.role,
                m.date
            ])?;
        if inserted == 1 {
            tx.prepare_cached(
                "UPDATE xdoc_entities SET num_mentions = num_mentions + 1,
                   num_documents = num_documents + ?2,
                   first_seen = CASE WHEN ?3 IS NOT NULL AND (first_seen IS NULL OR ?3 < first_seen) THEN ?3 ELSE first_seen END,
                   last_seen = CASE WHEN ?3 IS NOT NULL AND (last_seen IS NULL OR ?3 > last_seen) THEN ?3 ELSE last_seen END
                 WHERE id = ?1",
            )?
            .execute(params![m.entity_id, i64::from(!seen_in_doc), m.date])?;
        }
    }
    for s in &b.statements {
        let seq = seq_of(tx, &s.doc_id)?;
        tx.prepare_cached(
            "INSERT OR REPLACE INTO statements (doc_id, idx, statement_id, story_id, speaker_key, content, seq)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?
        .execute(params![
            s.doc_id,
            s.idx as i64,
            s.statement_id,
            s.story_id,
            s.speaker_key,
            s.content,
            seq
        ])?;
    }
    for c in &b.claim_events {
        tx.prepare_cached(
            "INSERT OR REPLACE INTO claim_events (doc_id, idx, merged_id) VALUES (?1, ?2, ?3)",
        )?
        .execute(params![c.doc_id, c.idx as i64, c.merged_id])?;
    }
    for c in &b.claim_contexts {
        tx.prepare_cached(
            "INSERT OR REPLACE INTO claim_contexts (doc_id, idx, context) VALUES (?1, ?2, ?3)",
        )?
        .execute(params![c.doc_id, c.idx as i64, c.context])?;
    }
    for c in &b.date_corrections {
        // A correction carried over from before a relink (no evidence of its
        // own) names the evidence recorded when it was made, for the same date.
        tx.prepare_cached(
            "INSERT OR REPLACE INTO date_corrections (doc_id, story_id, stated, previous, corrected, evidence, reason)
             VALUES (?1, ?2, ?3, ?4, ?5, CASE WHEN ?6 = '[]' THEN COALESCE((SELECT k.evidence
               FROM date_evidence_kept k WHERE k.doc_id = ?1 AND k.corrected = ?5), '[]') ELSE ?6 END, ?7)",
        )?
        .execute(params![
            c.doc_id,
            c.story_id,
            c.stated,
            c.previous,
            c.corrected,
            serde_json::to_string(&c.evidence).unwrap_or_else(|_| "[]".into()),
            c.reason
        ])?;
        tx.prepare_cached("UPDATE story_documents SET date = ?2 WHERE doc_id = ?1")?
            .execute(params![c.doc_id, c.corrected])?;
        if let Some(story) = story_of(tx, &c.doc_id)? {
            // A correction of an earlier step's document can move the story's
            // bounds inward: only its rows tell.
            if !step_docs
                .get(story.as_str())
                .is_some_and(|d| d.contains(&c.doc_id.as_str()))
            {
                recount.insert(story.clone());
            }
            touched_stories.insert(story);
        }
    }
    for m in &b.merges {
        merge(tx, m, max_seq)?;
        touched_stories.insert(m.from.clone());
        touched_stories.insert(m.into.clone());
        recount.insert(m.from.clone());
        recount.insert(m.into.clone());
    }
    for d in &b.linked {
        tx.prepare_cached("UPDATE link_order SET linked = 1 WHERE doc_id = ?1")?
            .execute([d])?;
    }
    for s in &touched_stories {
        if recount.contains(s) {
            refresh_story(tx, s)?;
        } else {
            add_story_documents(tx, s, step_docs.get(s.as_str()).map_or(&[], |d| d))?;
        }
    }
    for e in &touched_events {
        if rebuild.contains(e) {
            rebuild_event(tx, e)?;
        } else {
            summarize_event(tx, e)?;
        }
    }
    Ok(true)
}

/// Moves everything of `from` into `into` and records the merge; stories that
/// were merged into `from` now point to `into`, so every old id resolves in one
/// hop. Postings under `from` stay: they resolve to `into`, as the linker expects.
fn merge(tx: &Connection, m: &StoryMergeWrite, seq: i64) -> rusqlite::Result<()> {
    if m.from == m.into {
        return Ok(());
    }
    for sql in [
        "UPDATE story_documents SET story_id = ?2 WHERE story_id = ?1",
        "UPDATE merged_events SET story_id = ?2 WHERE story_id = ?1",
        "UPDATE statements SET story_id = ?2 WHERE story_id = ?1",
        "UPDATE date_corrections SET story_id = ?2 WHERE story_id = ?1",
        "UPDATE stories SET merged_into = ?2 WHERE merged_into = ?1",
        "UPDATE stories SET merged_into = ?2 WHERE id = ?1",
        "UPDATE story_merges SET into_id = ?2 WHERE into_id = ?1",
    ] {
        tx.prepare_cached(sql)?.execute(params![m.from, m.into])?;
    }
    tx.prepare_cached(
        "INSERT OR REPLACE INTO story_merges (from_id, into_id, reason, seq) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![m.from, m.into, m.reason, seq])?;
    Ok(())
}

fn story_of(tx: &Connection, doc_id: &str) -> rusqlite::Result<Option<String>> {
    tx.prepare_cached("SELECT story_id FROM story_documents WHERE doc_id = ?1")?
        .query_row([doc_id], |r| r.get(0))
        .optional()
}

/// Dates and counts of a story from its documents.
fn refresh_story(tx: &Connection, id: &str) -> rusqlite::Result<()> {
    let (first, last, n, articles): (Option<String>, Option<String>, i64, i64) = tx
        .prepare_cached(
            "SELECT MIN(date), MAX(date), COUNT(*), COALESCE(SUM(copy_of IS NULL), 0)
             FROM story_documents WHERE story_id = ?1",
        )?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
    tx.prepare_cached(
        "UPDATE stories SET first_date = ?2, last_date = ?3, num_documents = ?4, num_articles = ?5 WHERE id = ?1",
    )?
    .execute(params![id, first, last, n, articles])?;
    Ok(())
}

/// Adds a step's new documents (their rows as written, corrections included)
/// to the counts and dates the story's row holds: the same values
/// `refresh_story` computes, without reading the story's other documents.
fn add_story_documents(tx: &Connection, id: &str, docs: &[&str]) -> rusqlite::Result<()> {
    let mut read = tx.prepare_cached(
        "SELECT date, copy_of IS NULL FROM story_documents WHERE doc_id = ?1 AND +story_id = ?2",
    )?;
    let (mut n, mut articles) = (0i64, 0i64);
    let (mut first, mut last): (Option<String>, Option<String>) = (None, None);
    for d in docs {
        let Some((date, article)) = read
            .query_row(params![d, id], |r| {
                Ok((r.get::<_, Option<String>>(0)?, r.get::<_, bool>(1)?))
            })
            .optional()?
        else {
            continue;
        };
        n += 1;
        articles += i64::from(article);
        if let Some(date) = date {
            if first.as_ref().is_none_or(|f| date < *f) {
                first = Some(date.clone());
            }
            if last.as_ref().is_none_or(|l| date > *l) {
                last = Some(date);
            }
        }
    }
    tx.prepare_cached(
        "UPDATE stories SET num_documents = num_documents + ?2, num_articles = num_articles + ?3,
           first_date = CASE WHEN ?4 IS NOT NULL AND (first_date IS NULL OR ?4 < first_date) THEN ?4 ELSE first_date END,
           last_date = CASE WHEN ?5 IS NOT NULL AND (last_date IS NULL OR ?5 > last_date) THEN ?5 ELSE last_date END
         WHERE id = ?1",
    )?
    .execute(params![id, n, articles, first, last])?;
    Ok(())
}

const EVENT_FIELDS: [&str; 5] = ["code", "source", "target", "place", "date"];
/// Tally fields behind NumArticles and NumSources (not mention columns).
const ARTICLE: &str = "#article";
const SOURCE: &str = "#source";

/// Migration 5: per-value tallies of each merged event's mentions, and the
/// first report's order key, so a new mention updates an event's counts,
/// consensus and first report without reading its other mentions.
const TALLIES: &str = "CREATE TABLE merged_event_tallies (
        merged_id TEXT NOT NULL,
        field TEXT NOT NULL,
        value TEXT NOT NULL,
        n INTEGER NOT NULL,
        first_seq INTEGER NOT NULL,
        PRIMARY KEY (merged_id, field, value)
    ) WITHOUT ROWID;
    ALTER TABLE merged_events ADD COLUMN first_seq INTEGER;
    ALTER TABLE merged_events ADD COLUMN first_idx INTEGER;";

/// Migration 6: the evidence of date corrections, kept through a relink.
/// Migration 9: each claim's reading in its report, written by the link step
/// (see [`crate::ClaimContextWrite`]). Documents linked before it have none
/// until `relink`; readers fall back to the document.
pub const CLAIM_CONTEXTS: &str = "CREATE TABLE claim_contexts (
        doc_id TEXT NOT NULL REFERENCES documents(id),
        idx INTEGER NOT NULL,
        context TEXT NOT NULL,
        PRIMARY KEY (doc_id, idx)
    ) WITHOUT ROWID;";

pub const KEPT_EVIDENCE: &str = "CREATE TABLE date_evidence_kept (
        doc_id TEXT PRIMARY KEY,
        corrected TEXT NOT NULL,
        evidence TEXT NOT NULL
    ) WITHOUT ROWID;";

/// Migration 5: creates the tallies and fills them from the stored mentions.
pub fn migrate_tallies(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute_batch(TALLIES)?;
    let ids = conn
        .prepare("SELECT id FROM merged_events ORDER BY id")?
        .query_map([], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for id in ids {
        rebuild_event(conn, &id)?;
    }
    Ok(())
}

/// Counts one value of a field; `true` if the event had not seen it.
fn tally(tx: &Connection, id: &str, field: &str, value: &str, seq: i64) -> rusqlite::Result<bool> {
    let n: i64 = tx
        .prepare_cached(
            "INSERT INTO merged_event_tallies (merged_id, field, value, n, first_seq)
             VALUES (?1, ?2, ?3, 1, ?4)
             ON CONFLICT(merged_id, field, value)
             DO UPDATE SET n = n + 1, first_seq = MIN(first_seq, excluded.first_seq)
             RETURNING n",
        )?
        .query_row(params![id, field, value, seq], |r| r.get(0))?;
    Ok(n == 1)
}

/// Takes one new mention into its event's tallies, counts and first report. A
/// copy adds a mention, not an article or a source; a document without an
/// outlet is its own source. The first report is the earliest published
/// (undated last), then the first linked.
fn add_mention(tx: &Connection, m: &EventMentionWrite, seq: i64) -> rusqlite::Result<()> {
    let id = m.merged_id.as_str();
    let values = [&m.code, &m.source, &m.target, &m.place, &m.date];
    for (field, value) in EVENT_FIELDS.iter().zip(values) {
        if let Some(v) = value {
            tally(tx, id, field, v, seq)?;
        }
    }
    let article = tally(
        tx,
        id,
        ARTICLE,
        m.copy_of.as_deref().unwrap_or(&m.doc_id),
        seq,
    )?;
    let source = match &m.copy_of {
        Some(_) => false,
        None => {
            let key = match &m.outlet {
                Some(o) => o.clone(),
                None => format!("document:{}", m.doc_id),
            };
            tally(tx, id, SOURCE, &key, seq)?
        }
    };
    let published: Option<String> = tx
        .prepare_cached("SELECT published_date FROM documents WHERE id = ?1")?
        .query_row([&m.doc_id], |r| r.get(0))
        .optional()?
        .flatten();
    tx.prepare_cached(
        "UPDATE merged_events SET num_mentions = num_mentions + 1,
           num_articles = num_articles + ?2, num_sources = num_sources + ?3,
           last_seq = MAX(last_seq, ?4),
           first_doc = CASE WHEN ?7 THEN ?5 ELSE first_doc END,
           first_date = CASE WHEN ?7 THEN ?6 ELSE first_date END,
           first_seq = CASE WHEN ?7 THEN ?4 ELSE first_seq END,
           first_idx = CASE WHEN ?7 THEN ?8 ELSE first_idx END
         WHERE id = ?1",
    )?
    .execute(params![
        id,
        i64::from(article),
        i64::from(source),
        seq,
        m.doc_id,
        published,
        is_first(tx, id, published.as_deref(), seq, m.idx as i64)?,
        m.idx as i64
    ])?;
    Ok(())
}

/// Whether a mention (published, seq, idx) comes before the event's first report.
fn is_first(
    tx: &Connection,
    id: &str,
    published: Option<&str>,
    seq: i64,
    idx: i64,
) -> rusqlite::Result<bool> {
    type Key = (Option<String>, Option<String>, Option<i64>, Option<i64>);
    let current: Option<Key> = tx
        .prepare_cached(
            "SELECT first_doc, first_date, first_seq, first_idx FROM merged_events WHERE id = ?1",
        )?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .optional()?;
    let Some((Some(_), date, Some(fseq), Some(fidx))) = current else {
        return Ok(true);
    };
    let new = (published.is_none(), published, seq, idx);
    Ok(new < (date.is_none(), date.as_deref(), fseq, fidx))
}

/// Consensus fields and disagreements of a merged event from its tallies: per
/// field the most frequent value (ties: the earliest linked, then the value);
/// a field with several values is a disagreement listing them all.
fn summarize_event(tx: &Connection, id: &str) -> rusqlite::Result<()> {
    let mut read = tx.prepare_cached(
        "SELECT value, n, first_seq FROM merged_event_tallies WHERE merged_id = ?1 AND field = ?2",
    )?;
    let mut consensus: Vec<Option<String>> = Vec::new();
    let mut disagreements = Vec::new();
    for field in EVENT_FIELDS {
        let mut values = read
            .query_map(params![id, field], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, i64>(2)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        values.sort_by(|a, b| b.1.cmp(&a.1).then(a.2.cmp(&b.2)).then(a.0.cmp(&b.0)));
        consensus.push(values.first().map(|v| v.0.clone()));
        if values.len() > 1 {
            disagreements.push(FieldDisagreement {
                field: field.to_string(),
                values: values
                    .into_iter()
                    .map(|(name, count, _)| Counted {
                        name,
                        count: count as u64,
                    })
                    .collect(),
            });
        }
    }
    let json = serde_json::to_string(&disagreements).unwrap_or_else(|_| "[]".into());
    tx.prepare_cached(
        "UPDATE merged_events SET code = ?2, source = ?3, target = ?4, place = ?5, date = ?6,
         disagreements = ?7 WHERE id = ?1",
    )?
    .execute(params![
        id,
        consensus[0],
        consensus[1],
        consensus[2],
        consensus[3],
        consensus[4],
        json
    ])?;
    Ok(())
}

/// Recomputes a merged event's tallies, counts and first report from its
/// mention rows (a step that re-wrote a mention, a migrated store, a
/// re-dated document), then its consensus.
fn rebuild_event(tx: &Connection, id: &str) -> rusqlite::Result<()> {
    tx.prepare_cached("DELETE FROM merged_event_tallies WHERE merged_id = ?1")?
        .execute([id])?;
    for field in EVENT_FIELDS {
        tx.prepare_cached(&format!(
            "INSERT INTO merged_event_tallies (merged_id, field, value, n, first_seq)
             SELECT ?1, '{field}', {field}, COUNT(*), MIN(seq) FROM merged_event_mentions
             WHERE merged_id = ?1 AND {field} IS NOT NULL GROUP BY {field}"
        ))?
        .execute([id])?;
    }
    tx.prepare_cached(&format!(
        "INSERT INTO merged_event_tallies (merged_id, field, value, n, first_seq)
         SELECT ?1, '{ARTICLE}', COALESCE(copy_of, doc_id), COUNT(*), MIN(seq)
         FROM merged_event_mentions WHERE merged_id = ?1 GROUP BY 3"
    ))?
    .execute([id])?;
    tx.prepare_cached(&format!(
        "INSERT INTO merged_event_tallies (merged_id, field, value, n, first_seq)
         SELECT ?1, '{SOURCE}', COALESCE(outlet, 'document:' || doc_id), COUNT(*), MIN(seq)
         FROM merged_event_mentions WHERE merged_id = ?1 AND copy_of IS NULL GROUP BY 3"
    ))?
    .execute([id])?;
    let (n, last_seq): (i64, Option<i64>) = tx
        .prepare_cached(
            "SELECT COUNT(*), MAX(seq) FROM merged_event_mentions WHERE merged_id = ?1",
        )?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    let (articles, sources): (i64, i64) = tx
        .prepare_cached(&format!(
            "SELECT COALESCE(SUM(field = '{ARTICLE}'), 0), COALESCE(SUM(field = '{SOURCE}'), 0)
             FROM merged_event_tallies WHERE merged_id = ?1 AND field IN ('{ARTICLE}', '{SOURCE}')"
        ))?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    type First = (String, Option<String>, i64, i64);
    let first: Option<First> = tx
        .prepare_cached(
            "SELECT m.doc_id, d.published_date, m.seq, m.idx FROM merged_event_mentions m
             JOIN documents d ON d.id = m.doc_id WHERE m.merged_id = ?1
             ORDER BY d.published_date IS NULL, d.published_date, m.seq, m.idx LIMIT 1",
        )?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .optional()?;
    let (doc, date, fseq, fidx) = match first {
        Some((doc, date, s, i)) => (Some(doc), date, Some(s), Some(i)),
        None => (None, None, None, None),
    };
    tx.prepare_cached(
        "UPDATE merged_events SET num_mentions = ?2, num_articles = ?3, num_sources = ?4,
         last_seq = ?5, first_doc = ?6, first_date = ?7, first_seq = ?8, first_idx = ?9 WHERE id = ?1",
    )?
    .execute(params![
        id,
        n,
        articles,
        sources,
        last_seq.unwrap_or(0),
        doc,
        date,
        fseq,
        fidx
    ])?;
    summarize_event(tx, id)
}

/// Recomputes the merged events a re-written document is mentioned in: its
/// new date can change their first report.
pub fn rebuild_document_events(tx: &Connection, doc_id: &str) -> rusqlite::Result<()> {
    let ids: BTreeSet<String> = document_event_mentions(tx, doc_id)?
        .into_iter()
        .map(|(_, id)| id)
        .collect();
    for id in ids {
        rebuild_event(tx, &id)?;
    }
    Ok(())
}

/// Empties the cross-document tables and queues every document again, in
/// stored order.
pub fn clear(tx: &Connection) -> rusqlite::Result<()> {
    // A document re-dated by its story keeps its new date in its row; the
    // evidence that dated it is kept here so relinking can name it again.
    // Added to, never emptied: a relink stopped before it re-wrote a
    // document's correction must not lose that document's evidence.
    tx.execute_batch(
        "INSERT OR REPLACE INTO date_evidence_kept (doc_id, corrected, evidence)
         SELECT doc_id, corrected, evidence FROM date_corrections",
    )?;
    for t in LINK_TABLES {
        tx.execute_batch(&format!("DELETE FROM {t}"))?;
    }
    tx.execute_batch("UPDATE link_order SET linked = 0")
}

pub fn unlinked(conn: &Connection, n: usize) -> rusqlite::Result<Vec<PendingDocument>> {
    let mut stmt = conn.prepare_cached(
        "SELECT l.seq, l.doc_id, d.duplicate_of FROM link_order l
         JOIN documents d ON d.id = l.doc_id
         WHERE l.linked = 0 ORDER BY l.seq LIMIT ?1",
    )?;
    let rows = stmt.query_map([n as i64], |r| {
        Ok(PendingDocument {
            seq: r.get(0)?,
            doc_id: r.get(1)?,
            duplicate_of: r.get(2)?,
        })
    })?;
    rows.collect()
}

const STORY_COLUMNS: &str = "s.id, s.label, s.first_date, s.last_date, s.num_documents, s.num_articles, s.merged_into, s.profile";

fn story_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<StoryRow> {
    Ok(StoryRow {
        id: r.get(0)?,
        label: r.get(1)?,
        first_date: r.get(2)?,
        last_date: r.get(3)?,
        num_documents: r.get::<_, i64>(4)? as u64,
        num_articles: r.get::<_, i64>(5)? as u64,
        outlets: Vec::new(),
        merged_into: r.get(6)?,
        profile: r.get(7)?,
    })
}

fn story_outlets(conn: &Connection, id: &str) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT DISTINCT outlet FROM story_documents WHERE story_id = ?1 AND outlet IS NOT NULL ORDER BY outlet",
    )?;
    let rows = stmt.query_map([id], |r| r.get(0))?;
    rows.collect()
}

/// One stored story by id (without outlets).
fn story_by_id(conn: &Connection, id: &str) -> rusqlite::Result<Option<StoryRow>> {
    conn.prepare_cached(&format!(
        "SELECT {STORY_COLUMNS} FROM stories s WHERE s.id = ?1"
    ))?
    .query_row([id], story_row)
    .optional()
}

/// The id of the story `id` names now, following merges (an old id answers its
/// successor); an unknown id is returned as given.
fn current_story_id(conn: &Connection, id: &str) -> rusqlite::Result<String> {
    let mut stmt = conn.prepare_cached("SELECT merged_into FROM stories WHERE id = ?1")?;
    let mut current = id.to_string();
    for _ in 0..MAX_MERGE_HOPS {
        let next: Option<Option<String>> = stmt.query_row([&current], |r| r.get(0)).optional()?;
        match next {
            Some(Some(next)) if next != current => current = next,
            _ => break,
        }
    }
    Ok(current)
}

/// The story `id` names, following merges (an old id answers its successor).
pub fn story(conn: &Connection, id: &str) -> rusqlite::Result<Option<StoryRow>> {
    let current = current_story_id(conn, id)?;
    let Some(mut row) = story_by_id(conn, &current)? else {
        return Ok(None);
    };
    if row.merged_into.as_ref().is_some_and(|next| *next != row.id) {
        // More merge hops than MAX_MERGE_HOPS: a cycle, not a story.
        return Ok(None);
    }
    row.outlets = story_outlets(conn, &row.id)?;
    Ok(Some(row))
}

/// The story `id` names (following merges), without its outlets.
pub fn story_profile(conn: &Connection, id: &str) -> rusqlite::Result<Option<StoryRow>> {
    let current = current_story_id(conn, id)?;
    Ok(story_by_id(conn, &current)?
        .filter(|row| row.merged_into.as_ref().is_none_or(|next| *next == row.id)))
}

pub fn story_of_document(conn: &Connection, doc_id: &str) -> rusqlite::Result<Option<String>> {
    story_of(conn, doc_id)
}

/// The stories last posted under `key`, oldest first, at most `cap` (the newest).
pub fn story_posting(conn: &Connection, key: &str, cap: usize) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT story_id FROM story_postings WHERE key = ?1 ORDER BY stamp DESC LIMIT ?2",
    )?;
    let mut ids = stmt
        .query_map(params![key, cap as i64], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    ids.reverse();
    Ok(ids)
}

/// Documents counted in the key statistics, and how many hold each key.
pub fn key_stats(conn: &Connection, keys: &[String]) -> rusqlite::Result<(u64, Vec<u64>)> {
    let total = meta(conn, "documents_counted")? as u64;
    let mut stmt = conn.prepare_cached("SELECT documents FROM link_keys WHERE key = ?1")?;
    let mut out = Vec::with_capacity(keys.len());
    for k in keys {
        let n: Option<i64> = stmt.query_row([k], |r| r.get(0)).optional()?;
        out.push(n.unwrap_or(0) as u64);
    }
    Ok((total, out))
}

pub fn stories(conn: &Connection, f: &StoryFilter) -> rusqlite::Result<Vec<StoryRow>> {
    let mut w = Where::default();
    if !f.include_merged {
        w.raw("s.merged_into IS NULL", None);
    }
    w.period("s.last_date", f.from.as_deref(), None)
        .period("s.first_date", None, f.to.as_deref());
    if let Some(a) = &f.actor {
        w.raw(
            "EXISTS (SELECT 1 FROM story_documents sd JOIN actor_mentions am ON am.doc_id = sd.doc_id
              WHERE sd.story_id = s.id AND (am.actor LIKE {} ESCAPE '\\' OR am.text LIKE {0} ESCAPE '\\' OR am.code LIKE {0} ESCAPE '\\'))",
            Some(format!("%{}%", crate::filter::like_escape(a))),
        );
    }
    let sql = format!(
        "SELECT {STORY_COLUMNS} FROM stories s{} ORDER BY s.first_date IS NULL, s.first_date, s.id{}",
        w.sql(),
        limit(f.limit)
    );
    let mut stmt = conn.prepare(&sql)?;
    let mut out = stmt
        .query_map(w.args(), story_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for s in &mut out {
        s.outlets = story_outlets(conn, &s.id)?;
    }
    Ok(out)
}

pub fn story_documents(
    conn: &Connection,
    story_id: &str,
    n: Option<usize>,
) -> rusqlite::Result<Vec<StoryDocumentRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT sd.story_id, sd.doc_id, sd.seq, sd.score, sd.copy_of, d.outlet, d.title, d.url, d.published_date,
                (d.warnings LIKE '%\"date_conflict\"%' AND d.published_provenance IS NOT 'story'),
                d.published_provenance
         FROM story_documents sd JOIN documents d ON d.id = sd.doc_id
         WHERE sd.story_id = ?1 ORDER BY sd.seq{}",
        limit(n)
    ))?;
    let rows = stmt.query_map([story_id], |r| {
        Ok(StoryDocumentRow {
            story_id: r.get(0)?,
            doc_id: r.get(1)?,
            seq: r.get(2)?,
            score: r.get::<_, f64>(3)? as f32,
            copy_of: r.get(4)?,
            outlet: r.get(5)?,
            title: r.get(6)?,
            url: r.get(7)?,
            published: r.get(8)?,
            date_in_doubt: r.get(9)?,
            provenance: r.get(10)?,
        })
    })?;
    rows.collect()
}

pub fn story_merges(conn: &Connection) -> rusqlite::Result<Vec<StoryMergeRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT from_id, into_id, reason, seq, at FROM story_merges ORDER BY seq, from_id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(StoryMergeRow {
            from: r.get(0)?,
            into: r.get(1)?,
            reason: r.get(2)?,
            seq: r.get(3)?,
            at: r.get(4)?,
        })
    })?;
    rows.collect()
}

fn counted(
    conn: &Connection,
    sql: &str,
    story_id: &str,
    n: usize,
) -> rusqlite::Result<Vec<Counted>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map(params![story_id, n as i64], |r| {
        Ok(Counted {
            name: r.get(0)?,
            count: r.get::<_, i64>(1)? as u64,
        })
    })?;
    rows.collect()
}

pub fn story_top(conn: &Connection, story_id: &str, n: usize) -> rusqlite::Result<StoryTop> {
    let actors = counted(
        conn,
        "SELECT COALESCE(am.actor, am.text) AS name, COUNT(*) AS c FROM story_documents sd
         JOIN actor_mentions am ON am.doc_id = sd.doc_id
         WHERE sd.story_id = ?1 AND am.code IS NOT NULL
         GROUP BY name COLLATE NOCASE ORDER BY c DESC, name LIMIT ?2",
        story_id,
        n,
    )?;
    let places = story_places(conn, story_id, n)?;
    Ok(StoryTop { actors, places })
}

pub fn story_places(conn: &Connection, story_id: &str, n: usize) -> rusqlite::Result<Vec<Counted>> {
    counted(
        conn,
        "SELECT e.location AS name, COUNT(*) AS c FROM story_documents sd
         JOIN events e ON e.doc_id = sd.doc_id
         WHERE sd.story_id = ?1 AND e.location IS NOT NULL
         GROUP BY name COLLATE NOCASE ORDER BY c DESC, name LIMIT ?2",
        story_id,
        n,
    )
}

const EVENT_COLUMNS: &str = "m.id, m.story_id, m.code, m.source, m.target, m.place, m.date, m.num_mentions, m.num_sources, m.num_articles, m.first_doc, m.first_date, m.disagreements, m.profile";
/// [`EVENT_COLUMNS`] for readers: the linker's profile (kilobytes per event,
/// read by `merged_event_candidates`) is left empty.
const LISTED_EVENT_COLUMNS: &str = "m.id, m.story_id, m.code, m.source, m.target, m.place, m.date, m.num_mentions, m.num_sources, m.num_articles, m.first_doc, m.first_date, m.disagreements, x''";

fn event_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<MergedEventRow> {
    let disagreements: String = r.get(12)?;
    Ok(MergedEventRow {
        id: r.get(0)?,
        story_id: r.get(1)?,
        code: r.get(2)?,
        source: r.get(3)?,
        target: r.get(4)?,
        place: r.get(5)?,
        date: r.get(6)?,
        num_mentions: r.get::<_, i64>(7)? as u64,
        num_sources: r.get::<_, i64>(8)? as u64,
        num_articles: r.get::<_, i64>(9)? as u64,
        first_document: r.get(10)?,
        first_date: r.get(11)?,
        disagreements: parse_disagreements(&disagreements),
        mentions: Vec::new(),
        profile: r.get(13)?,
    })
}

pub(crate) fn parse_disagreements(json: &str) -> Vec<FieldDisagreement> {
    #[derive(serde::Deserialize)]
    struct C {
        name: String,
        count: u64,
    }
    #[derive(serde::Deserialize)]
    struct D {
        field: String,
        values: Vec<C>,
    }
    serde_json::from_str::<Vec<D>>(json)
        .unwrap_or_default()
        .into_iter()
        .map(|d| FieldDisagreement {
            field: d.field,
            values: d
                .values
                .into_iter()
                .map(|c| Counted {
                    name: c.name,
                    count: c.count,
                })
                .collect(),
        })
        .collect()
}

/// The story's merged events most recently extended first, at most `cap`.
pub fn merged_event_candidates(
    conn: &Connection,
    story_id: &str,
    cap: usize,
) -> rusqlite::Result<MergedEventCandidates> {
    // The bound on last_seq (the (cap+1)-th newest) keeps the sort by id to
    // the newest rows: a 10,000-document story has thousands of events.
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {EVENT_COLUMNS} FROM merged_events m WHERE m.story_id = ?1
           AND m.last_seq >= COALESCE((SELECT last_seq FROM merged_events WHERE story_id = ?1
                ORDER BY last_seq DESC LIMIT 1 OFFSET ?2 - 1), 0)
         ORDER BY m.last_seq DESC, m.id LIMIT ?2"
    ))?;
    let mut events = stmt
        .query_map(params![story_id, (cap + 1) as i64], event_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let capped = events.len() > cap;
    events.truncate(cap);
    Ok(MergedEventCandidates { events, capped })
}

pub fn merged_events(
    conn: &Connection,
    f: &MergedEventFilter,
) -> rusqlite::Result<Vec<MergedEventRow>> {
    let mut w = Where::default();
    if let Some(s) = &f.story {
        // An old (merged) id answers its successor.
        let id = current_story_id(conn, s)?;
        w.equals("m.story_id", Some(&id));
    }
    w.prefix_range("m.code", f.code.as_deref())
        .starts_with_any(&["m.source", "m.target"], f.actor.as_deref())
        .period("m.date", f.from.as_deref(), f.to.as_deref());
    if let Some(n) = f.min_sources {
        w.raw("m.num_sources >= CAST({} AS INTEGER)", Some(n.to_string()));
    }
    if let Some(ids) = &f.entities {
        // One JSON array parameter, however many entities: a person's name
        // can answer several entities.
        let list = serde_json::to_string(ids).unwrap_or_else(|_| "[]".into());
        w.raw(
            "m.id IN (SELECT x.merged_id FROM merged_event_mentions x
                      WHERE x.source_entity IN (SELECT value FROM json_each({0}))
                         OR x.target_entity IN (SELECT value FROM json_each({0})))",
            Some(list),
        );
    }
    let sql = format!(
        "SELECT {LISTED_EVENT_COLUMNS} FROM merged_events m{} ORDER BY m.date IS NULL, m.date, m.first_date, m.id{}",
        w.sql(),
        limit(f.limit)
    );
    let mut stmt = conn.prepare(&sql)?;
    let mut out = stmt
        .query_map(w.args(), event_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    if f.with_mentions {
        for e in &mut out {
            e.mentions = event_mentions(conn, &e.id, None)?;
        }
    }
    Ok(out)
}

pub fn story_event_count(conn: &Connection, story_id: &str) -> rusqlite::Result<u64> {
    let id = current_story_id(conn, story_id)?;
    conn.prepare_cached("SELECT COUNT(*) FROM merged_events WHERE story_id = ?1")?
        .query_row([id], |r| r.get::<_, i64>(0))
        .map(|n| n as u64)
}

pub fn event_mentions(
    conn: &Connection,
    merged_id: &str,
    n: Option<usize>,
) -> rusqlite::Result<Vec<EventMentionRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT m.merged_id, m.doc_id, m.idx, m.outlet, m.copy_of, m.start, m.end, m.code, m.source,
                m.target, m.place, m.date, m.source_entity, m.target_entity, d.published_date,
                e.sentence, m.seq, e.date_source,
                (d.warnings LIKE '%\"date_conflict\"%' AND d.published_provenance IS NOT 'story')
         FROM merged_event_mentions m JOIN documents d ON d.id = m.doc_id
         LEFT JOIN events e ON e.doc_id = m.doc_id AND e.idx = m.idx
         WHERE m.merged_id = ?1 ORDER BY m.seq, m.doc_id, m.idx{}",
        limit(n)
    ))?;
    let rows = stmt.query_map([merged_id], |r| {
        Ok(EventMentionRow {
            merged_id: r.get(0)?,
            document: r.get(1)?,
            index: r.get::<_, i64>(2)? as usize,
            outlet: r.get(3)?,
            copy_of: r.get(4)?,
            start: r.get::<_, i64>(5)? as usize,
            end: r.get::<_, i64>(6)? as usize,
            code: r.get(7)?,
            source: r.get(8)?,
            target: r.get(9)?,
            place: r.get(10)?,
            date: r.get(11)?,
            source_entity: r.get(12)?,
            target_entity: r.get(13)?,
            published: r.get(14)?,
            sentence: r.get(15)?,
            seq: r.get(16)?,
            date_source: r.get(17)?,
            date_in_doubt: r.get(18)?,
        })
    })?;
    rows.collect()
}

/// The merged events a document's mentions belong to (engine: peers for dating).
pub fn document_event_mentions(
    conn: &Connection,
    doc_id: &str,
) -> rusqlite::Result<Vec<(usize, String)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT idx, merged_id FROM merged_event_mentions WHERE doc_id = ?1 ORDER BY idx",
    )?;
    let rows = stmt.query_map([doc_id], |r| Ok((r.get::<_, i64>(0)? as usize, r.get(1)?)))?;
    rows.collect()
}

const ENTITY_COLUMNS: &str = "x.id, x.canonical, x.label, x.num_mentions, x.num_documents, x.first_seen, x.last_seen, x.profile";

fn entity_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<EntityRow> {
    Ok(EntityRow {
        id: r.get(0)?,
        canonical: r.get(1)?,
        label: r.get(2)?,
        mentions: r.get::<_, i64>(3)? as u64,
        documents: r.get::<_, i64>(4)? as u64,
        first_seen: r.get(5)?,
        last_seen: r.get(6)?,
        variants: Vec::new(),
        roles: Vec::new(),
        profile: r.get(7)?,
    })
}

fn entity_by_id(conn: &Connection, id: &str) -> rusqlite::Result<Option<EntityRow>> {
    conn.prepare_cached(&format!(
        "SELECT {ENTITY_COLUMNS} FROM xdoc_entities x WHERE x.id = ?1"
    ))?
    .query_row([id], entity_row)
    .optional()
}

/// Candidate entities sharing a name key, by keys shared then id; at most
/// `cap` (`capped` when a key or the union had more).
pub fn entity_candidates(
    conn: &Connection,
    keys: &[String],
    cap: usize,
) -> rusqlite::Result<EntityCandidates> {
    let mut hits: HashMap<String, usize> = HashMap::new();
    let mut capped = false;
    let mut stmt = conn.prepare_cached(
        "SELECT entity_id FROM xdoc_entity_keys WHERE key = ?1 ORDER BY entity_id LIMIT ?2",
    )?;
    for key in keys {
        let found = stmt
            .query_map(params![key, (cap + 1) as i64], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        if found.len() > cap {
            capped = true;
        }
        for id in found.into_iter().take(cap) {
            *hits.entry(id).or_default() += 1;
        }
    }
    let mut ranked: Vec<(String, usize)> = hits.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    if ranked.len() > cap {
        capped = true;
        ranked.truncate(cap);
    }
    let mut entities = Vec::with_capacity(ranked.len());
    for (id, _) in ranked {
        if let Some(e) = entity_by_id(conn, &id)? {
            entities.push(e);
        }
    }
    Ok(EntityCandidates { entities, capped })
}

fn entity_details(conn: &Connection, e: &mut EntityRow, roles: bool) -> rusqlite::Result<()> {
    let mut stmt = conn.prepare_cached(
        "SELECT text FROM xdoc_entity_mentions WHERE entity_id = ?1
         GROUP BY text ORDER BY COUNT(*) DESC, text",
    )?;
    e.variants = stmt
        .query_map([&e.id], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    if !roles {
        return Ok(());
    }
    let mut stmt = conn.prepare_cached(
        "SELECT role, MIN(date), MAX(date), COUNT(*) FROM xdoc_entity_mentions
         WHERE entity_id = ?1 AND role IS NOT NULL
         GROUP BY role COLLATE NOCASE ORDER BY MIN(date), role",
    )?;
    e.roles = stmt
        .query_map([&e.id], |r| {
            Ok(DatedRole {
                role: r.get(0)?,
                first_seen: r.get(1)?,
                last_seen: r.get(2)?,
                mentions: r.get::<_, i64>(3)? as u64,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(())
}

pub fn entities(conn: &Connection, f: &EntityFilter) -> rusqlite::Result<Vec<EntityRow>> {
    let mut w = Where::default();
    w.equals("x.label", f.label.as_deref());
    if !f.labels.is_empty() {
        let list = serde_json::to_string(&f.labels).unwrap_or_else(|_| "[]".into());
        w.raw("x.label IN (SELECT value FROM json_each({}))", Some(list));
    }
    if let Some(n) = &f.name {
        w.raw(
            "(x.canonical LIKE {} ESCAPE '\\' OR EXISTS (SELECT 1 FROM xdoc_entity_mentions em
               WHERE em.entity_id = x.id AND em.text LIKE {0} ESCAPE '\\'))",
            Some(format!("%{}%", crate::filter::like_escape(n))),
        );
    }
    if let Some(s) = &f.story {
        let id = current_story_id(conn, s)?;
        // From the story's documents to their mentions: an EXISTS per entity
        // would read every mention of a common name for each story listed.
        w.raw(
            "x.id IN (SELECT em.entity_id FROM story_documents sd
               JOIN xdoc_entity_mentions em ON em.doc_id = sd.doc_id WHERE sd.story_id = {})",
            Some(id),
        );
    }
    let sql = format!(
        "SELECT {ENTITY_COLUMNS} FROM xdoc_entities x{} ORDER BY x.num_mentions DESC, x.canonical, x.id{}",
        w.sql(),
        limit(f.limit)
    );
    let mut stmt = conn.prepare(&sql)?;
    let mut out = stmt
        .query_map(w.args(), entity_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for e in &mut out {
        entity_details(conn, e, !f.variants_only)?;
    }
    Ok(out)
}

pub fn entity_mentions(conn: &Connection, doc_id: &str) -> rusqlite::Result<Vec<EntityMentionRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT entity_id, doc_id, start, end, text, role, date FROM xdoc_entity_mentions
         WHERE doc_id = ?1 ORDER BY start, end",
    )?;
    let rows = stmt.query_map([doc_id], |r| {
        Ok(EntityMentionRow {
            entity_id: r.get(0)?,
            doc_id: r.get(1)?,
            start: r.get::<_, i64>(2)? as usize,
            end: r.get::<_, i64>(3)? as usize,
            text: r.get(4)?,
            role: r.get(5)?,
            date: r.get(6)?,
        })
    })?;
    rows.collect()
}

fn statement_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<StatementRow> {
    Ok(StatementRow {
        doc_id: r.get(0)?,
        idx: r.get::<_, i64>(1)? as usize,
        statement_id: r.get(2)?,
        story_id: r.get(3)?,
        speaker_key: r.get(4)?,
        content: r.get(5)?,
        seq: r.get(6)?,
    })
}

const STATEMENT_COLUMNS: &str = "doc_id, idx, statement_id, story_id, speaker_key, content, seq";

/// The latest statements of a speaker in a story, at most `cap`.
pub fn statement_candidates(
    conn: &Connection,
    story_id: &str,
    speaker_key: &str,
    cap: usize,
) -> rusqlite::Result<Vec<StatementRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {STATEMENT_COLUMNS} FROM statements WHERE story_id = ?1 AND speaker_key = ?2
           AND seq >= COALESCE((SELECT seq FROM statements WHERE story_id = ?1 AND speaker_key = ?2
                ORDER BY seq DESC LIMIT 1 OFFSET ?3 - 1), 0)
         ORDER BY seq DESC, idx LIMIT ?3"
    ))?;
    let rows = stmt.query_map(params![story_id, speaker_key, cap as i64], statement_row)?;
    rows.collect()
}

pub fn statements(
    conn: &Connection,
    story_id: Option<&str>,
) -> rusqlite::Result<Vec<StatementRow>> {
    let mut w = Where::default();
    let id = story_id.map(|s| current_story_id(conn, s)).transpose()?;
    w.equals("story_id", id.as_deref());
    let mut stmt = conn.prepare(&format!(
        "SELECT {STATEMENT_COLUMNS} FROM statements{} ORDER BY seq, idx",
        w.sql()
    ))?;
    let rows = stmt.query_map(w.args(), statement_row)?;
    rows.collect()
}

pub fn story_claims(conn: &Connection, story_id: &str) -> rusqlite::Result<Vec<StoryClaim>> {
    let id = current_story_id(conn, story_id)?;
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {CLAIM_COLUMNS}, ce.merged_id, cc.context
         FROM story_documents sd JOIN claims x ON x.doc_id = sd.doc_id
         JOIN documents d ON d.id = sd.doc_id
         LEFT JOIN claim_events ce ON ce.doc_id = x.doc_id AND ce.idx = x.idx
         LEFT JOIN claim_contexts cc ON cc.doc_id = x.doc_id AND cc.idx = x.idx
         WHERE sd.story_id = ?1 ORDER BY sd.seq, x.idx"
    ))?;
    let rows = stmt.query_map([id], |r| {
        Ok(StoryClaim {
            claim: claim_row(r)?,
            merged_event: r.get(15)?,
            context: r.get(16)?,
        })
    })?;
    rows.collect()
}

pub fn date_corrections(
    conn: &Connection,
    story_id: Option<&str>,
) -> rusqlite::Result<Vec<DateCorrection>> {
    let mut w = Where::default();
    let id = story_id.map(|s| current_story_id(conn, s)).transpose()?;
    w.equals("c.story_id", id.as_deref());
    let mut stmt = conn.prepare(&format!(
        "SELECT c.doc_id, c.story_id, c.stated, c.previous, c.corrected, c.evidence, c.reason
         FROM date_corrections c LEFT JOIN link_order l ON l.doc_id = c.doc_id{} ORDER BY l.seq, c.doc_id",
        w.sql()
    ))?;
    let rows = stmt.query_map(w.args(), |r| {
        let evidence: String = r.get(5)?;
        Ok(DateCorrection {
            doc_id: r.get(0)?,
            story_id: r.get(1)?,
            stated: r.get(2)?,
            previous: r.get(3)?,
            corrected: r.get(4)?,
            evidence: serde_json::from_str(&evidence).unwrap_or_default(),
            reason: r.get(6)?,
        })
    })?;
    rows.collect()
}

pub fn counts(conn: &Connection) -> rusqlite::Result<LinkCounts> {
    let n = |sql: &str| {
        conn.query_row(sql, [], |r| r.get::<_, i64>(0))
            .map(|v| v as u64)
    };
    Ok(LinkCounts {
        stories: n("SELECT COUNT(*) FROM stories WHERE merged_into IS NULL")?,
        merged_stories: n("SELECT COUNT(*) FROM stories WHERE merged_into IS NOT NULL")?,
        merged_events: n("SELECT COUNT(*) FROM merged_events")?,
        entities: n("SELECT COUNT(*) FROM xdoc_entities")?,
        statements: n("SELECT COUNT(DISTINCT statement_id) FROM statements")?,
        date_corrections: n("SELECT COUNT(*) FROM date_corrections")?,
        linked_documents: n("SELECT COUNT(*) FROM link_order WHERE linked = 1")?,
        pending_documents: n("SELECT COUNT(*) FROM link_order WHERE linked = 0")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_shift_across_months_years_and_leap_days() {
        assert_eq!(shift_date("2016-10-03", 1).as_deref(), Some("2016-10-04"));
        assert_eq!(shift_date("2016-10-03", -30).as_deref(), Some("2016-09-03"));
        assert_eq!(shift_date("2016-02-28", 1).as_deref(), Some("2016-02-29"));
        assert_eq!(shift_date("2015-12-31", 1).as_deref(), Some("2016-01-01"));
        assert_eq!(shift_date("2016", 1), None);
        assert_eq!(shift_date("2016-13-01", 1), None);
    }
}
