use crate::{
    ActorSummary, DocumentFilter, DocumentSummary, DuplicateLink, EventFilter, EventRow,
    NewDocument, PutOutcome, SearchHit, Store, StoreError,
};
use chronicle_core::Document;
use rusqlite::{params, Connection, OptionalExtension};
use std::path::Path;

/// Schema migrations, applied in order; `PRAGMA user_version` records how many ran.
const MIGRATIONS: &[&str] = &[
    // 1: documents, their sources, duplicate links, full-text index
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
    // 2: coded events and actor mentions (crates/store/src/events.rs)
    crate::events::MIGRATION,
];

pub struct SqliteStore {
    conn: Connection,
    path: String,
}

fn compress(doc: &Document) -> Vec<u8> {
    let json = serde_json::to_vec(doc).unwrap_or_default();
    zstd::encode_all(&json[..], 3).unwrap_or(json)
}

impl SqliteStore {
    /// Opens (creating if needed) and migrates the database at `path`.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        let name = path.display().to_string();
        let conn = Connection::open(path).map_err(|source| StoreError::Sqlite {
            path: name.clone(),
            source,
        })?;
        Self::init(conn, name)
    }

    pub fn open_in_memory() -> Result<Self, StoreError> {
        let conn = Connection::open_in_memory().map_err(|source| StoreError::Sqlite {
            path: ":memory:".into(),
            source,
        })?;
        Self::init(conn, ":memory:".into())
    }

    fn init(conn: Connection, path: String) -> Result<Self, StoreError> {
        let mut store = SqliteStore { conn, path };
        store.configure()?;
        store.migrate()?;
        Ok(store)
    }

    fn err(&self, source: rusqlite::Error) -> StoreError {
        StoreError::Sqlite {
            path: self.path.clone(),
            source,
        }
    }

    fn configure(&self) -> Result<(), StoreError> {
        // WAL keeps readers unblocked during ingest and makes a killed writer harmless:
        // an unfinished transaction is simply absent after restart.
        self.conn
            .execute_batch("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;")
            .map_err(|e| self.err(e))
    }

    fn migrate(&mut self) -> Result<(), StoreError> {
        let version: i64 = self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(|e| self.err(e))?;
        let known = MIGRATIONS.len() as i64;
        if version > known {
            return Err(StoreError::TooNew {
                path: self.path.clone(),
                found: version,
                known,
            });
        }
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
            let tx = self
                .conn
                .transaction()
                .map_err(|source| StoreError::Sqlite {
                    path: self.path.clone(),
                    source,
                })?;
            tx.execute_batch(sql)
                .and_then(|_| tx.pragma_update(None, "user_version", (i + 1) as i64))
                .and_then(|_| tx.commit())
                .map_err(|source| StoreError::Sqlite {
                    path: self.path.clone(),
                    source,
                })?;
        }
        Ok(())
    }

    pub fn schema_version(&self) -> Result<i64, StoreError> {
        self.conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(|e| self.err(e))
    }

    fn decode(&self, id: &str, blob: &[u8]) -> Result<Document, StoreError> {
        let corrupt = |reason: String| StoreError::Corrupt {
            path: self.path.clone(),
            id: id.to_string(),
            reason,
        };
        let json = zstd::decode_all(blob).map_err(|e| corrupt(e.to_string()))?;
        serde_json::from_slice(&json).map_err(|e| corrupt(e.to_string()))
    }
}

impl Store for SqliteStore {
    fn put_batch(&mut self, docs: &[NewDocument]) -> Result<Vec<PutOutcome>, StoreError> {
        let path = self.path.clone();
        let e = |source| StoreError::Sqlite {
            path: path.clone(),
            source,
        };
        let tx = self.conn.transaction().map_err(e)?;
        let mut outcomes = Vec::with_capacity(docs.len());
        for NewDocument {
            doc,
            fingerprint,
            duplicate_of: link,
        } in docs
        {
            let exists: bool = tx
                .query_row("SELECT 1 FROM documents WHERE id = ?1", [&doc.id], |_| {
                    Ok(true)
                })
                .optional()
                .map_err(e)?
                .unwrap_or(false);
            if !exists {
                let warnings = serde_json::to_string(
                    &doc.warnings
                        .iter()
                        .map(|w| w.code.as_str())
                        .collect::<Vec<_>>(),
                )
                .unwrap_or_else(|_| "[]".into());
                let published = doc.published.as_ref();
                let provenance = published.map(|p| {
                    serde_json::to_string(&p.provenance)
                        .unwrap_or_default()
                        .trim_matches('"')
                        .to_string()
                });
                tx.execute(
                    "INSERT INTO documents (id, outlet, url, title, language, published_date, published_provenance, published_confidence, estimated, warnings, fingerprint, duplicate_of, doc)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
                    params![
                        doc.id,
                        doc.outlet,
                        doc.url,
                        doc.title,
                        doc.language,
                        published.map(|p| p.date.clone()),
                        provenance,
                        published.map(|p| p.confidence as f64),
                        published.is_some_and(|p| p.estimated),
                        warnings,
                        fingerprint,
                        link.as_ref().map(|l| l.other_id.clone()),
                        compress(doc),
                    ],
                )
                .map_err(e)?;
                let rowid = tx.last_insert_rowid();
                tx.execute(
                    "INSERT INTO documents_fts (rowid, title, text) VALUES (?1, ?2, ?3)",
                    params![rowid, doc.title.clone().unwrap_or_default(), doc.text],
                )
                .map_err(e)?;
                crate::events::write(&tx, doc).map_err(e)?;
                if let Some(l) = link {
                    tx.execute(
                        "INSERT OR IGNORE INTO duplicates (doc_id, other_id, kind, similarity) VALUES (?1, ?2, ?3, ?4)",
                        params![l.doc_id, l.other_id, l.kind, l.similarity as f64],
                    )
                    .map_err(e)?;
                }
            }
            tx.execute(
                "INSERT OR IGNORE INTO sources (doc_id, path, format, record) VALUES (?1, ?2, ?3, ?4)",
                params![doc.id, doc.source.path, doc.source.format, doc.source.record.clone().unwrap_or_default()],
            )
            .map_err(e)?;
            outcomes.push(if exists {
                PutOutcome::AlreadyStored
            } else {
                PutOutcome::Inserted
            });
        }
        tx.commit().map_err(e)?;
        Ok(outcomes)
    }

    fn update_document(&mut self, doc: &Document) -> Result<(), StoreError> {
        let path = self.path.clone();
        let e = |source| StoreError::Sqlite {
            path: path.clone(),
            source,
        };
        let tx = self.conn.transaction().map_err(e)?;
        tx.execute(
            "UPDATE documents SET doc = ?2 WHERE id = ?1",
            params![doc.id, compress(doc)],
        )
        .map_err(e)?;
        crate::events::write(&tx, doc).map_err(e)?;
        tx.commit().map_err(e)
    }

    fn events(&self, filter: &EventFilter) -> Result<Vec<EventRow>, StoreError> {
        crate::events::query(&self.conn, filter).map_err(|e| self.err(e))
    }

    fn actors(&self) -> Result<Vec<ActorSummary>, StoreError> {
        crate::events::actors(&self.conn).map_err(|e| self.err(e))
    }

    fn get(&self, id: &str) -> Result<Option<Document>, StoreError> {
        let blob: Option<Vec<u8>> = self
            .conn
            .query_row("SELECT doc FROM documents WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .optional()
            .map_err(|e| self.err(e))?;
        blob.map(|b| self.decode(id, &b)).transpose()
    }

    fn resolve_id(&self, prefix: &str) -> Result<Vec<String>, StoreError> {
        let pattern = format!("{}%", prefix.replace(['%', '_'], ""));
        let mut stmt = self
            .conn
            .prepare("SELECT id FROM documents WHERE id LIKE ?1 LIMIT 10")
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([pattern], |r| r.get(0))
            .map_err(|e| self.err(e))?;
        rows.collect::<Result<Vec<String>, _>>()
            .map_err(|e| self.err(e))
    }

    fn list(&self, filter: &DocumentFilter) -> Result<Vec<DocumentSummary>, StoreError> {
        let mut sql = String::from(
            "SELECT d.id, d.outlet, d.title, d.url, d.language, d.published_date, d.published_provenance, d.published_confidence, d.estimated, d.warnings, d.duplicate_of,
                    (SELECT COUNT(*) FROM sources s WHERE s.doc_id = d.id)
             FROM documents d WHERE 1=1",
        );
        let mut args: Vec<String> = Vec::new();
        if let Some(o) = &filter.outlet {
            args.push(format!("%{o}%"));
            sql.push_str(&format!(" AND d.outlet LIKE ?{}", args.len()));
        }
        if let Some(f) = &filter.from {
            args.push(f.clone());
            sql.push_str(&format!(" AND d.published_date >= ?{}", args.len()));
        }
        if let Some(t) = &filter.to {
            args.push(t.clone());
            sql.push_str(&format!(" AND d.published_date <= ?{}", args.len()));
        }
        if let Some(l) = &filter.language {
            args.push(l.clone());
            sql.push_str(&format!(" AND d.language = ?{}", args.len()));
        }
        sql.push_str(" ORDER BY d.published_date IS NULL, d.published_date, d.outlet, d.id");
        if let Some(n) = filter.limit {
            sql.push_str(&format!(" LIMIT {n}"));
        }
        let mut stmt = self.conn.prepare(&sql).map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map(rusqlite::params_from_iter(args.iter()), |r| {
                let warnings: String = r.get(9)?;
                Ok(DocumentSummary {
                    id: r.get(0)?,
                    outlet: r.get(1)?,
                    title: r.get(2)?,
                    url: r.get(3)?,
                    language: r.get(4)?,
                    published: r.get(5)?,
                    provenance: r.get(6)?,
                    confidence: r.get::<_, Option<f64>>(7)?.map(|c| c as f32),
                    estimated: r.get(8)?,
                    warnings: serde_json::from_str(&warnings).unwrap_or_default(),
                    duplicate_of: r.get(10)?,
                    sources: r.get(11)?,
                })
            })
            .map_err(|e| self.err(e))?;
        rows.collect::<Result<Vec<_>, _>>().map_err(|e| self.err(e))
    }

    fn search(&self, query: &str, limit: usize) -> Result<Vec<SearchHit>, StoreError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT d.id, d.title, d.outlet, d.published_date, snippet(documents_fts, 1, '[', ']', '…', 16), bm25(documents_fts)
                 FROM documents_fts JOIN documents d ON d.rowid = documents_fts.rowid
                 WHERE documents_fts MATCH ?1 ORDER BY bm25(documents_fts) LIMIT ?2",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt.query_map(params![query, limit as i64], |r| {
            Ok(SearchHit {
                id: r.get(0)?,
                title: r.get(1)?,
                outlet: r.get(2)?,
                published: r.get(3)?,
                snippet: r.get(4)?,
                rank: r.get(5)?,
            })
        });
        let bad = |e: rusqlite::Error| StoreError::BadQuery {
            query: query.to_string(),
            reason: e.to_string(),
        };
        // Collected into a local first: the row iterator borrows `stmt`.
        #[allow(clippy::let_and_return)]
        let hits = rows
            .map_err(bad)?
            .collect::<Result<Vec<_>, _>>()
            .map_err(bad);
        hits
    }

    fn duplicates(&self) -> Result<Vec<DuplicateLink>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT doc_id, other_id, kind, similarity FROM duplicates ORDER BY doc_id")
            .map_err(|e| self.err(e))?;
        let mut out: Vec<DuplicateLink> = stmt
            .query_map([], |r| {
                Ok(DuplicateLink {
                    doc_id: r.get(0)?,
                    other_id: r.get(1)?,
                    kind: r.get(2)?,
                    similarity: r.get::<_, f64>(3)? as f32,
                })
            })
            .map_err(|e| self.err(e))?
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| self.err(e))?;
        // Exact duplicates are the same stored document read from several sources.
        let mut stmt = self
            .conn
            .prepare("SELECT doc_id, COUNT(*) FROM sources GROUP BY doc_id HAVING COUNT(*) > 1 ORDER BY doc_id")
            .map_err(|e| self.err(e))?;
        let exact = stmt
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))
            .map_err(|e| self.err(e))?
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| self.err(e))?;
        for (id, n) in exact {
            out.push(DuplicateLink {
                doc_id: id.clone(),
                other_id: id,
                kind: format!("exact ({n} sources)"),
                similarity: 1.0,
            });
        }
        Ok(out)
    }

    fn fingerprints(&self) -> Result<Vec<(String, Vec<u8>)>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT id, fingerprint FROM documents WHERE fingerprint IS NOT NULL AND duplicate_of IS NULL")
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, Vec<u8>>(1)?))
            })
            .map_err(|e| self.err(e))?;
        rows.collect::<Result<Vec<_>, _>>().map_err(|e| self.err(e))
    }

    fn contains(&self, id: &str) -> Result<bool, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT 1 FROM documents WHERE id = ?1", [id], |_| Ok(()))
            .optional()
            .map_err(|e| self.err(e))?
            .is_some())
    }

    fn count(&self) -> Result<u64, StoreError> {
        self.conn
            .query_row("SELECT COUNT(*) FROM documents", [], |r| r.get::<_, i64>(0))
            .map(|n| n as u64)
            .map_err(|e| self.err(e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(id: &str, text: &str, path: &str) -> Document {
        let mut d = Document::from_text(id, path, text);
        d.title = Some(format!("Title {id}"));
        d.outlet = Some("example.org".into());
        d
    }

    fn new(doc: Document) -> NewDocument {
        NewDocument {
            doc,
            fingerprint: Some(vec![7; 4]),
            duplicate_of: None,
        }
    }

    #[test]
    fn stores_once_and_counts_sources() {
        let mut s = SqliteStore::open_in_memory().unwrap();
        let out = s
            .put_batch(&[new(doc(
                "a1",
                "Ceasefire talks resumed in the capital.",
                "x.txt",
            ))])
            .unwrap();
        assert_eq!(out, vec![PutOutcome::Inserted]);
        let out = s
            .put_batch(&[new(doc(
                "a1",
                "Ceasefire talks resumed in the capital.",
                "copy.txt",
            ))])
            .unwrap();
        assert_eq!(out, vec![PutOutcome::AlreadyStored]);
        assert_eq!(s.count().unwrap(), 1);
        let list = s.list(&DocumentFilter::default()).unwrap();
        assert_eq!(list[0].sources, 2);
        assert!(s.duplicates().unwrap()[0].kind.starts_with("exact"));
    }

    #[test]
    fn full_text_search_and_roundtrip() {
        let mut s = SqliteStore::open_in_memory().unwrap();
        s.put_batch(&[new(doc(
            "b2",
            "The convoy reached the besieged city on Tuesday.",
            "y.txt",
        ))])
        .unwrap();
        let hits = s.search("convoy", 10).unwrap();
        assert_eq!(hits[0].id, "b2");
        assert!(hits[0].snippet.contains("[convoy]"));
        assert_eq!(
            s.get("b2").unwrap().unwrap().text,
            "The convoy reached the besieged city on Tuesday."
        );
        assert!(matches!(
            s.search("\"unbalanced", 10),
            Err(StoreError::BadQuery { .. })
        ));
        assert_eq!(s.resolve_id("b").unwrap(), vec!["b2".to_string()]);
    }

    #[test]
    fn migrations_are_versioned_and_reopen_is_safe() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("c.db");
        {
            let mut s = SqliteStore::open(&p).unwrap();
            s.put_batch(&[new(doc("c3", "text", "z.txt"))]).unwrap();
        }
        let s = SqliteStore::open(&p).unwrap();
        assert_eq!(s.schema_version().unwrap(), MIGRATIONS.len() as i64);
        assert_eq!(s.count().unwrap(), 1);
    }
}
