//! `check` on PostgreSQL: the record's invariants, through the same queries as
//! SQLite's check where they are plain SQL (`crate::check`'s tables and link
//! invariants). PostgreSQL has no `integrity_check`; its `amcheck` verifies
//! B-tree indexes when the extension is installed and this user may run it
//! (it needs a superuser or a grant), and is skipped otherwise.

use crate::check::{problem, LINK_INVARIANTS, OWNED};
use crate::CheckReport;
use ::postgres::{Error, GenericClient};
use std::collections::HashSet;

pub fn run(c: &mut impl GenericClient, name: &str) -> CheckReport {
    let mut report = CheckReport {
        path: name.to_string(),
        schema_version: super::schema::version(c).ok(),
        documents: 0,
        integrity: vec!["ok".to_string()],
        problems: Vec::new(),
    };
    let unreadable = |what: &str, e: Error| {
        problem(
            "unreadable",
            None,
            format!("cannot read {what}: {}", super::reason(&e)),
        )
    };
    match amcheck(c) {
        Ok(lines) if !lines.is_empty() => {
            for line in &lines {
                report
                    .problems
                    .push(problem("postgres-amcheck", None, line.clone()));
            }
            report.integrity = lines;
        }
        Ok(_) => {}
        Err(e) => report.problems.push(unreadable("amcheck's answer", e)),
    }
    if let Err(e) = documents(c, &mut report) {
        report.problems.push(unreadable("the documents", e));
    }
    let known = super::schema::known();
    if report.schema_version.is_some_and(|v| v < known) {
        report.problems.push(problem(
            "old-schema",
            None,
            format!(
                "schema version {} is older than {known}: connect once with a writer (`chronicle --db URL ingest --upgrade`)",
                report.schema_version.unwrap_or(0)
            ),
        ));
        return report;
    }
    if let Err(e) = fts(c, &mut report) {
        report.problems.push(unreadable("the full-text rows", e));
    }
    for (table, column) in OWNED {
        if let Err(e) = orphans(c, table, column, &mut report) {
            report.problems.push(unreadable(table, e));
        }
    }
    for (kind, sql) in LINK_INVARIANTS {
        match c.query(*sql, &[]) {
            Ok(rows) => {
                for r in rows {
                    let doc_id: Option<String> = r.get(0);
                    let detail: String = r.get(1);
                    report.problems.push(problem(kind, doc_id, detail));
                }
            }
            Err(e) => report.problems.push(unreadable(kind, e)),
        }
    }
    report
}

/// `bt_index_check` of this database's B-tree indexes, when amcheck is
/// installed and may be run: one line per index it rejects. Nothing (and no
/// problem) when it is absent or not allowed.
fn amcheck(c: &mut impl GenericClient) -> Result<Vec<String>, Error> {
    let usable: bool = c
        .query_one(
            "SELECT CASE WHEN EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'amcheck')
                THEN has_function_privilege('bt_index_check(regclass)', 'EXECUTE')
                ELSE false END",
            &[],
        )
        .map(|r| r.get(0))
        // Without the extension the function name does not resolve.
        .unwrap_or(false);
    if !usable {
        return Ok(Vec::new());
    }
    let indexes = c.query(
        "SELECT i.indexrelid::regclass::text FROM pg_index i
         JOIN pg_class t ON t.oid = i.indrelid
         JOIN pg_am a ON a.oid = (SELECT relam FROM pg_class WHERE oid = i.indexrelid)
         WHERE t.relnamespace = current_schema()::regnamespace AND a.amname = 'btree'",
        &[],
    )?;
    let mut lines = Vec::new();
    for r in indexes {
        let index: String = r.get(0);
        if let Err(e) = c.execute("SELECT bt_index_check($1::text::regclass)", &[&index]) {
            lines.push(format!("index {index}: {}", super::reason(&e)));
        }
    }
    Ok(lines)
}

/// Every document row decodes, and decodes to itself.
fn documents(c: &mut impl GenericClient, report: &mut CheckReport) -> Result<(), Error> {
    // Read in slices of ids: one query holding every blob would hold them all.
    let mut after = String::new();
    loop {
        let rows = c.query(
            "SELECT id, doc FROM documents WHERE id > $1 ORDER BY id LIMIT 500",
            &[&after],
        )?;
        let Some(last) = rows.last() else {
            return Ok(());
        };
        after = last.get(0);
        for r in &rows {
            report.documents += 1;
            let id: String = r.get(0);
            let blob: Vec<u8> = r.get(1);
            match crate::sqlite::decode_blob(&blob) {
                Ok(doc) if doc.id == id => {}
                Ok(doc) => report.problems.push(problem(
                    "undecodable-document",
                    Some(id),
                    format!("row holds document {}", doc.id),
                )),
                Err(reason) => {
                    report
                        .problems
                        .push(problem("undecodable-document", Some(id), reason))
                }
            }
        }
    }
}

/// Full-text rows and document rows match one to one (the row is keyed by
/// document id, so there is never more than one).
fn fts(c: &mut impl GenericClient, report: &mut CheckReport) -> Result<(), Error> {
    let missing = c.query(
        "SELECT d.id FROM documents d
         WHERE NOT EXISTS (SELECT 1 FROM documents_fts f WHERE f.doc_id = d.id) ORDER BY d.id",
        &[],
    )?;
    for r in missing {
        report.problems.push(problem(
            "fts-missing",
            Some(r.get(0)),
            "document has no full-text row: `search` cannot find it",
        ));
    }
    let orphans = c.query(
        "SELECT f.doc_id FROM documents_fts f
         WHERE NOT EXISTS (SELECT 1 FROM documents d WHERE d.id = f.doc_id) ORDER BY f.doc_id",
        &[],
    )?;
    let mut seen = HashSet::new();
    for r in orphans {
        let id: String = r.get(0);
        if seen.insert(id.clone()) {
            report.problems.push(problem(
                "fts-orphan",
                Some(id),
                "full-text row for a document that is not stored",
            ));
        }
    }
    Ok(())
}

fn orphans(
    c: &mut impl GenericClient,
    table: &str,
    column: &str,
    report: &mut CheckReport,
) -> Result<(), Error> {
    let rows = c.query(
        &format!(
            "SELECT t.{column}, COUNT(*) FROM {table} t
             WHERE NOT EXISTS (SELECT 1 FROM documents d WHERE d.id = t.{column})
             GROUP BY t.{column} ORDER BY t.{column}"
        ),
        &[],
    )?;
    for r in rows {
        let id: String = r.get(0);
        let n: i64 = r.get(1);
        report.problems.push(problem(
            "orphan-row",
            Some(id),
            format!("{n} {table} row(s) ({column}) point to a document that is not stored"),
        ));
    }
    Ok(())
}
