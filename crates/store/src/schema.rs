//! Versioned migrations. `PRAGMA user_version` records how many ran; each runs in
//! its own write transaction, so a killed upgrade leaves the previous version whole.
//! A migration's text never changes once released: databases in the field ran it.

use crate::rows;
use rusqlite::{params, Connection, OptionalExtension};

pub enum Migration {
    Sql(&'static str),
    /// SQL plus a back-fill that reads the stored documents.
    Rust(fn(&Connection) -> rusqlite::Result<()>),
}

pub const MIGRATIONS: &[Migration] = &[
    // 1: documents, their sources, duplicate links, full-text index
    Migration::Sql(
        "CREATE TABLE documents (
        id TEXT PRIMARY KEY,
        outlet TEXT,
        url TEXT,
        title TEXT,
        language TEXT,
        published_date TEXT,
        published_provenance TEXT,
        published_confidence REAL,
        estimated INTEGER NOT NULL DEFAULT 0,
        warnings TEXT NOT NULL DEFAULT '[]',
        fingerprint BLOB,
        duplicate_of TEXT,
        doc BLOB NOT NULL,
        ingested_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
    );
    CREATE INDEX documents_outlet ON documents(outlet);
    CREATE INDEX documents_published ON documents(published_date);
    CREATE INDEX documents_language ON documents(language);
    CREATE TABLE sources (
        doc_id TEXT NOT NULL REFERENCES documents(id),
        path TEXT NOT NULL,
        format TEXT NOT NULL,
        record TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (doc_id, path, record)
    );
    CREATE TABLE duplicates (
        doc_id TEXT NOT NULL REFERENCES documents(id),
        other_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        similarity REAL NOT NULL,
        PRIMARY KEY (doc_id, other_id)
    );
    CREATE VIRTUAL TABLE documents_fts USING fts5(title, text, tokenize = 'porter unicode61');",
    ),
    // 2: coded events and actor mentions (crates/store/src/events.rs)
    Migration::Sql(crate::events::MIGRATION),
    // 3: typed quote, claim and entity rows; FTS keyed by document id
    Migration::Rust(typed_rows),
    // 4: the cross-document layer (stories, merged events, entities, statements,
    // date corrections) and the link queue (crates/store/src/link_rows.rs)
    Migration::Sql(crate::link_rows::MIGRATION),
    // 5: per-value tallies of merged events and their first report's key, so a
    // link step updates an event from its new mentions only (link_rows.rs)
    Migration::Rust(crate::link_rows::migrate_tallies),
    // 6: date-correction evidence kept through a relink (link_rows.rs)
    Migration::Sql(crate::link_rows::KEPT_EVIDENCE),
    // 7: the near-duplicate index, back-filled from the stored originals (near_dup.rs)
    Migration::Sql(crate::near_dup::MIGRATION),
    // 8: a covering index of the document columns read with every listed
    // mention (date, its provenance, warnings): a row of `documents` starts
    // with its compressed blob's first page, and a timeline reads thousands
    // of them (`timeline --actor RUS` on 19,800 documents: 0.19 -> 0.17 s)
    Migration::Sql(
        "CREATE INDEX documents_read_dates ON documents(id, published_date, published_provenance, warnings);",
    ),
    // 9: each claim's reading in its report, kept by the link step so a
    // story's disagreements come from rows (link_rows.rs)
    Migration::Sql(crate::link_rows::CLAIM_CONTEXTS),
    // 10: a covering index of the document columns a story's report list
    // reads (outlet, title, url, dates, warnings): 700 reports of a story read
    // their rows without touching the documents' blob pages (about 100 bytes
    // a document)
    Migration::Sql(
        "CREATE INDEX documents_report_rows ON documents(id, outlet, title, url, published_date, published_provenance, warnings);",
    ),
];

/// Tables of migration 3. FTS rows carry the document id: the implicit rowid of
/// `documents` (no INTEGER PRIMARY KEY) may change on VACUUM. Typed rows are
/// clustered by document (WITHOUT ROWID), and two covering indexes give listings
/// their document columns without touching the document blobs' table.
const TYPED_ROWS: &str = "CREATE TABLE quotes (
        doc_id TEXT NOT NULL REFERENCES documents(id),
        idx INTEGER NOT NULL,
        start INTEGER NOT NULL,
        end INTEGER NOT NULL,
        text TEXT NOT NULL,
        kind TEXT NOT NULL,
        cue TEXT,
        speaker TEXT,
        speaker_canonical TEXT,
        speaker_start INTEGER, speaker_end INTEGER,
        cue_start INTEGER, cue_end INTEGER,
        speaker_search TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (doc_id, idx)
    ) WITHOUT ROWID;
    CREATE INDEX quotes_kind ON quotes(kind);
    CREATE TABLE claims (
        doc_id TEXT NOT NULL REFERENCES documents(id),
        idx INTEGER NOT NULL,
        start INTEGER NOT NULL,
        end INTEGER NOT NULL,
        text TEXT NOT NULL,
        value REAL,
        qualifier TEXT,
        kind TEXT NOT NULL,
        subject TEXT,
        claimant TEXT,
        place TEXT,
        time TEXT,
        PRIMARY KEY (doc_id, idx)
    ) WITHOUT ROWID;
    CREATE INDEX claims_kind ON claims(kind);
    CREATE TABLE entities (
        doc_id TEXT NOT NULL REFERENCES documents(id),
        idx INTEGER NOT NULL,
        start INTEGER NOT NULL,
        end INTEGER NOT NULL,
        text TEXT NOT NULL,
        label TEXT NOT NULL,
        country TEXT,
        PRIMARY KEY (doc_id, idx)
    ) WITHOUT ROWID;
    CREATE INDEX entities_label ON entities(label);
    CREATE INDEX entities_text ON entities(text COLLATE NOCASE);
    CREATE INDEX events_code ON events(code);
    CREATE INDEX events_plover ON events(plover_type);
    CREATE INDEX documents_published_id ON documents(published_date, id, outlet, title);
    CREATE INDEX documents_row_info ON documents(id, published_date, outlet, title, url);
    CREATE INDEX events_by_date ON events(date, doc_id, idx);
    CREATE INDEX documents_fingerprints ON documents(duplicate_of, id, fingerprint);
    DROP INDEX events_date;
    CREATE TABLE migration_skipped (
        migration INTEGER NOT NULL,
        doc_id TEXT NOT NULL,
        reason TEXT NOT NULL
    );
    ALTER TABLE documents_fts RENAME TO documents_fts_v2;
    CREATE VIRTUAL TABLE documents_fts USING fts5(doc_id UNINDEXED, title, text, tokenize = 'porter unicode61');";

/// Migration 3: creates the typed tables and back-fills them, and the new FTS
/// table, from every stored document. A blob that does not decode is recorded in
/// `migration_skipped` and keeps its old FTS row, so one bad
/// document does not hold the whole database at the old version; `check` reports it.
fn typed_rows(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute_batch(TYPED_ROWS)?;
    let mut docs = conn.prepare("SELECT rowid, id, doc FROM documents ORDER BY rowid")?;
    let mut rows_iter = docs.query([])?;
    while let Some(r) = rows_iter.next()? {
        let rowid: i64 = r.get(0)?;
        let id: String = r.get(1)?;
        let blob: Vec<u8> = r.get(2)?;
        match crate::sqlite::decode_blob(&blob) {
            Ok(doc) if doc.id == id => {
                rows::write_fts(conn, &doc)?;
                rows::write(conn, &doc)?;
            }
            outcome => {
                let reason = match outcome {
                    Ok(doc) => format!("blob holds document {}", doc.id),
                    Err(e) => e,
                };
                conn.execute(
                    "INSERT INTO migration_skipped (migration, doc_id, reason) VALUES (3, ?1, ?2)",
                    params![id, reason],
                )?;
                let old: Option<(String, String)> = conn
                    .query_row(
                        "SELECT title, text FROM documents_fts_v2 WHERE rowid = ?1",
                        [rowid],
                        |r| Ok((r.get(0)?, r.get(1)?)),
                    )
                    .optional()?;
                if let Some((title, text)) = old {
                    conn.execute(
                        "INSERT INTO documents_fts (doc_id, title, text) VALUES (?1, ?2, ?3)",
                        params![id, title, text],
                    )?;
                }
            }
        }
    }
    // Statistics let the planner pick the document-ordered plan for listings.
    conn.execute_batch("DROP TABLE documents_fts_v2; ANALYZE;")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ClaimFilter, QuoteFilter, SqliteStore, Store};
    use chronicle_core::{Claim, Document, Entity, Quote, Span};

    fn annotated(id: &str) -> Document {
        let mut d = Document::from_text(
            id,
            "a.txt",
            "\"We will hold,\" said Ana Ruiz. Twelve people were killed.",
        );
        d.title = Some("Siege".into());
        d.quotes = vec![Quote {
            start: 0,
            end: 15,
            text: "\"We will hold,\"".into(),
            kind: "direct".into(),
            cue: Some("said".into()),
            speaker: Some("Ana Ruiz".into()),
            speaker_canonical: Some("Ana Ruiz".into()),
            speaker_span: Some(Span::new(21, 29)),
            cue_span: Some(Span::new(16, 20)),
        }];
        d.claims = vec![Claim {
            start: 31,
            end: 56,
            text: "Twelve people were killed".into(),
            value: 12.0,
            qualifier: None,
            kind: "KILL".into(),
            subject: Some("people".into()),
            claimant: None,
            place: None,
            time: None,
        }];
        d.entities = vec![Entity {
            start: 21,
            end: 29,
            text: "Ana Ruiz".into(),
            label: "PER".into(),
            country: None,
        }];
        d
    }

    /// A version-2 database as the previous release wrote it: FTS linked by rowid.
    fn v2_database(path: &std::path::Path, docs: &[(&str, Vec<u8>, &str)]) {
        let c = Connection::open(path).unwrap();
        for m in &MIGRATIONS[..2] {
            let Migration::Sql(sql) = m else {
                panic!("migrations 1 and 2 are SQL")
            };
            c.execute_batch(sql).unwrap();
        }
        c.pragma_update(None, "user_version", 2).unwrap();
        for (id, blob, text) in docs {
            c.execute(
                "INSERT INTO documents (id, title, published_date, doc) VALUES (?1, 'Siege', '2016-10-03', ?2)",
                params![id, blob],
            )
            .unwrap();
            c.execute(
                "INSERT INTO documents_fts (rowid, title, text) VALUES (?1, 'Siege', ?2)",
                params![c.last_insert_rowid(), text],
            )
            .unwrap();
        }
    }

    #[test]
    fn version_2_databases_are_back_filled_and_a_bad_blob_is_recorded() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("v2.db");
        let good = annotated("good1");
        let blob = crate::sqlite::compress(&good);
        v2_database(
            &p,
            &[
                ("good1", blob, &good.text),
                ("bad2", b"not zstd".to_vec(), "the convoy text"),
            ],
        );
        let s = SqliteStore::open(&p).unwrap();
        assert_eq!(s.schema_version().unwrap(), MIGRATIONS.len() as i64);
        let q = s.quotes(&QuoteFilter::default()).unwrap();
        assert_eq!(q.len(), 1);
        assert_eq!(q[0].speaker.as_deref(), Some("Ana Ruiz"));
        assert_eq!(q[0].speaker_span.map(|s| (s.start, s.end)), Some((21, 29)));
        assert_eq!(q[0].published.as_deref(), Some("2016-10-03"));
        let c = s.claims(&ClaimFilter::default()).unwrap();
        assert_eq!((c[0].kind.as_str(), c[0].value), ("KILL", 12.0));
        // Both documents are searchable through the new doc_id column.
        assert_eq!(s.search("convoy", 5).unwrap()[0].id, "bad2");
        assert_eq!(s.search("hold", 5).unwrap()[0].id, "good1");
        let report = s.check().unwrap();
        assert!(report
            .problems
            .iter()
            .any(|p| p.kind == "undecodable-document" && p.doc_id.as_deref() == Some("bad2")));
        let skipped: i64 = s
            .connection()
            .query_row("SELECT COUNT(*) FROM migration_skipped", [], |r| r.get(0))
            .unwrap();
        assert_eq!(skipped, 1);
    }
}
