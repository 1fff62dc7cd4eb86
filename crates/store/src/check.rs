//! `check`: SQLite's own integrity check, then the record's invariants. Reads only;
//! a damaged file yields a report listing what could not be read, not an error.

use crate::{CheckProblem, CheckReport};
use rusqlite::Connection;
use std::collections::HashMap;

/// Tables whose rows belong to a document, and the columns naming it.
pub(crate) const OWNED: &[(&str, &str)] = &[
    ("events", "doc_id"),
    ("actor_mentions", "doc_id"),
    ("quotes", "doc_id"),
    ("claims", "doc_id"),
    ("entities", "doc_id"),
    ("sources", "doc_id"),
    ("duplicates", "doc_id"),
    ("duplicates", "other_id"),
    ("link_order", "doc_id"),
    ("story_documents", "doc_id"),
    ("merged_event_mentions", "doc_id"),
    ("xdoc_entity_mentions", "doc_id"),
    ("statements", "doc_id"),
    ("claim_events", "doc_id"),
    ("claim_contexts", "doc_id"),
    ("date_corrections", "doc_id"),
];

/// Cross-document rows that must point to a row of another link table:
/// (kind, query returning offending (document or id, detail)). Plain SQL that
/// SQLite and PostgreSQL both read.
pub(crate) const LINK_INVARIANTS: &[(&str, &str)] = &[
    (
        "link-queue-missing",
        "SELECT d.id, 'document is neither linked nor queued for linking' FROM documents d
         WHERE NOT EXISTS (SELECT 1 FROM link_order l WHERE l.doc_id = d.id)",
    ),
    (
        "linked-without-story",
        "SELECT l.doc_id, 'marked linked but in no story (run `chronicle relink`)' FROM link_order l
         WHERE l.linked = 1 AND NOT EXISTS (SELECT 1 FROM story_documents sd WHERE sd.doc_id = l.doc_id)",
    ),
    (
        "story-missing",
        "SELECT sd.doc_id, 'in story ' || sd.story_id || ', which is not stored' FROM story_documents sd
         WHERE NOT EXISTS (SELECT 1 FROM stories s WHERE s.id = sd.story_id)",
    ),
    (
        "story-merged-but-holding",
        "SELECT sd.doc_id, 'in story ' || sd.story_id || ', which was merged into ' || s.merged_into
         FROM story_documents sd JOIN stories s ON s.id = sd.story_id WHERE s.merged_into IS NOT NULL",
    ),
    (
        "merge-target-missing",
        "SELECT NULL, 'story ' || s.id || ' merged into ' || s.merged_into || ', which is not a live story'
         FROM stories s WHERE s.merged_into IS NOT NULL AND NOT EXISTS
         (SELECT 1 FROM stories t WHERE t.id = s.merged_into AND t.merged_into IS NULL)",
    ),
    (
        "story-count-mismatch",
        "SELECT NULL, 'story ' || s.id || ' says ' || s.num_documents || ' documents, holds ' || COUNT(sd.doc_id)
         FROM stories s LEFT JOIN story_documents sd ON sd.story_id = s.id
         GROUP BY s.id HAVING COUNT(sd.doc_id) != s.num_documents",
    ),
    (
        "merged-event-missing",
        "SELECT m.doc_id, 'event ' || m.idx || ' in merged event ' || m.merged_id || ', which is not stored'
         FROM merged_event_mentions m
         WHERE NOT EXISTS (SELECT 1 FROM merged_events e WHERE e.id = m.merged_id)",
    ),
    (
        "merged-event-count-mismatch",
        "SELECT NULL, 'merged event ' || e.id || ' says ' || e.num_mentions || ' mentions, holds ' || COUNT(m.doc_id)
         FROM merged_events e LEFT JOIN merged_event_mentions m ON m.merged_id = e.id
         GROUP BY e.id HAVING COUNT(m.doc_id) != e.num_mentions",
    ),
    (
        "merged-event-story-missing",
        "SELECT NULL, 'merged event ' || e.id || ' belongs to story ' || e.story_id || ', which is not a live story'
         FROM merged_events e WHERE NOT EXISTS
         (SELECT 1 FROM stories s WHERE s.id = e.story_id AND s.merged_into IS NULL)",
    ),
    (
        "mention-out-of-range",
        "SELECT m.doc_id, 'merged-event mention ' || m.idx || ' names no stored event' FROM merged_event_mentions m
         WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.doc_id = m.doc_id AND e.idx = m.idx)",
    ),
    (
        "entity-missing",
        "SELECT m.doc_id, 'mention ' || m.start || '-' || m.end || ' of entity ' || m.entity_id || ', which is not stored'
         FROM xdoc_entity_mentions m
         WHERE NOT EXISTS (SELECT 1 FROM xdoc_entities x WHERE x.id = m.entity_id)",
    ),
    (
        "entity-count-mismatch",
        "SELECT NULL, 'entity ' || x.id || ' says ' || x.num_mentions || ' mentions, holds ' || COUNT(m.doc_id)
         FROM xdoc_entities x LEFT JOIN xdoc_entity_mentions m ON m.entity_id = x.id
         GROUP BY x.id HAVING COUNT(m.doc_id) != x.num_mentions",
    ),
    (
        "statement-quote-missing",
        "SELECT s.doc_id, 'statement row for quote ' || s.idx || ', which is not stored' FROM statements s
         WHERE NOT EXISTS (SELECT 1 FROM quotes q WHERE q.doc_id = s.doc_id AND q.idx = s.idx)",
    ),
    (
        "date-correction-not-applied",
        "SELECT c.doc_id, 'corrected to ' || c.corrected || ' but the document says ' || COALESCE(d.published_date, 'no date')
         FROM date_corrections c JOIN documents d ON d.id = c.doc_id
         WHERE d.published_date IS DISTINCT FROM c.corrected",
    ),
];

pub(crate) fn problem(
    kind: &str,
    doc_id: Option<String>,
    detail: impl Into<String>,
) -> CheckProblem {
    CheckProblem {
        kind: kind.into(),
        doc_id,
        detail: detail.into(),
    }
}

pub fn run(conn: &Connection, path: &str) -> CheckReport {
    let mut report = CheckReport {
        path: path.to_string(),
        schema_version: conn.query_row("PRAGMA user_version", [], |r| r.get(0)).ok(),
        documents: 0,
        integrity: Vec::new(),
        problems: Vec::new(),
    };
    match integrity(conn) {
        Ok(lines) => report.integrity = lines,
        Err(e) => report.integrity = vec![e.to_string()],
    }
    if report.integrity != ["ok"] {
        for line in &report.integrity {
            report
                .problems
                .push(problem("sqlite-integrity", None, line.clone()));
        }
    }
    let unreadable = |what: &str, e: rusqlite::Error| {
        problem("unreadable", None, format!("cannot read {what}: {e}"))
    };
    match documents(conn, &mut report) {
        Ok(()) => {}
        Err(e) => report.problems.push(unreadable("the documents", e)),
    }
    let known = crate::schema::MIGRATIONS.len() as i64;
    if report.schema_version.is_some_and(|v| v < known) {
        // The id-keyed FTS and the typed tables do not exist yet: checking them
        // would only report their absence.
        report.problems.push(problem(
            "old-schema",
            None,
            format!(
                "schema version {} is older than {known}: upgrade with `chronicle --db {path} ingest --upgrade`",
                report.schema_version.unwrap_or(0)
            ),
        ));
        return report;
    }
    if let Err(e) = fts(conn, &mut report) {
        report.problems.push(unreadable("the full-text index", e));
    }
    for (table, column) in OWNED {
        if let Err(e) = orphans(conn, table, column, &mut report) {
            report.problems.push(unreadable(table, e));
        }
    }
    for (kind, sql) in LINK_INVARIANTS {
        if let Err(e) = invariant(conn, kind, sql, &mut report) {
            report.problems.push(unreadable(kind, e));
        }
    }
    report
}

/// Each row `sql` returns is one problem of `kind`.
fn invariant(
    conn: &Connection,
    kind: &str,
    sql: &str,
    report: &mut CheckReport,
) -> rusqlite::Result<()> {
    let mut stmt = conn.prepare(sql)?;
    let rows = stmt
        .query_map([], |r| {
            Ok((r.get::<_, Option<String>>(0)?, r.get::<_, String>(1)?))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    for (doc_id, detail) in rows {
        report.problems.push(problem(kind, doc_id, detail));
    }
    Ok(())
}

fn integrity(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    pragma_lines(conn, "PRAGMA integrity_check")
}

/// The lines an integrity pragma printed. SQLite can stop with "malformed" partway
/// through; what it said before that is kept, followed by the error.
pub(crate) fn pragma_lines(conn: &Connection, pragma: &str) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare(pragma)?;
    let mut rows = stmt.query([])?;
    let mut lines = Vec::new();
    loop {
        match rows.next() {
            Ok(Some(r)) => {
                let text: String = r.get(0)?;
                lines.extend(
                    text.lines()
                        .filter(|l| !l.starts_with("*** in database"))
                        .map(str::to_string),
                );
            }
            Ok(None) => break,
            Err(e) => {
                lines.push(e.to_string());
                break;
            }
        }
    }
    Ok(lines)
}

/// Every document row decodes, and decodes to itself.
fn documents(conn: &Connection, report: &mut CheckReport) -> rusqlite::Result<()> {
    let mut stmt = conn.prepare("SELECT id, doc FROM documents")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        report.documents += 1;
        let id: String = r.get(0)?;
        let blob: Vec<u8> = match r.get(1) {
            Ok(b) => b,
            Err(e) => {
                report.problems.push(problem(
                    "undecodable-document",
                    Some(id),
                    format!("document column is not a blob: {e}"),
                ));
                continue;
            }
        };
        match crate::sqlite::decode_blob(&blob) {
            Ok(doc) if doc.id == id => {}
            Ok(doc) => report.problems.push(problem(
                "undecodable-document",
                Some(id),
                format!("row holds document {}", doc.id),
            )),
            Err(reason) => report
                .problems
                .push(problem("undecodable-document", Some(id), reason)),
        }
    }
    Ok(())
}

/// FTS rows and document rows match one to one.
fn fts(conn: &Connection, report: &mut CheckReport) -> rusqlite::Result<()> {
    let mut counts: HashMap<String, u32> = HashMap::new();
    {
        let mut stmt = conn.prepare("SELECT doc_id FROM documents_fts")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            *counts
                .entry(r.get::<_, Option<String>>(0)?.unwrap_or_default())
                .or_default() += 1;
        }
    }
    let mut stmt = conn.prepare("SELECT id FROM documents ORDER BY id")?;
    let ids = stmt
        .query_map([], |r| r.get::<_, String>(0))?
        .collect::<Result<Vec<_>, _>>()?;
    for id in ids {
        match counts.remove(&id) {
            None => report.problems.push(problem(
                "fts-missing",
                Some(id),
                "document has no full-text row: `search` cannot find it",
            )),
            Some(1) => {}
            Some(n) => report.problems.push(problem(
                "fts-duplicate",
                Some(id),
                format!("{n} full-text rows for one document"),
            )),
        }
    }
    let mut orphans: Vec<_> = counts.into_keys().collect();
    orphans.sort();
    for id in orphans {
        report.problems.push(problem(
            "fts-orphan",
            Some(id),
            "full-text row for a document that is not stored",
        ));
    }
    Ok(())
}

fn orphans(
    conn: &Connection,
    table: &str,
    column: &str,
    report: &mut CheckReport,
) -> rusqlite::Result<()> {
    let mut stmt = conn.prepare(&format!(
        "SELECT t.{column}, COUNT(*) FROM {table} t
         WHERE NOT EXISTS (SELECT 1 FROM documents d WHERE d.id = t.{column})
         GROUP BY t.{column} ORDER BY t.{column}"
    ))?;
    let rows = stmt
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?
        .collect::<Result<Vec<_>, _>>()?;
    for (id, n) in rows {
        report.problems.push(problem(
            "orphan-row",
            Some(id),
            format!("{n} {table} row(s) ({column}) point to a document that is not stored"),
        ));
    }
    Ok(())
}
