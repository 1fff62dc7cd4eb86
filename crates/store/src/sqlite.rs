//! `SqliteStore`: the embedded backend of the `Store` trait (one file, WAL, bounded
//! waits for other writers, read-only and immutable opens, batched transactions).

use crate::filter::{limit, Where};
use crate::links::*;
use crate::schema::{Migration, MIGRATIONS};
use crate::{
    ActorSummary, BatchOutcome, CheckReport, ClaimFilter, ClaimRow, DocumentFilter,
    DocumentSummary, DuplicateLink, EventFilter, EventRow, Linker, NearDuplicateLookup,
    NewDocument, NewSource, PutOutcome, QuoteFilter, QuoteRow, SearchHit, Store, StoreError,
};
use chronicle_core::Document;
use rusqlite::{params, Connection, ErrorCode, OpenFlags, OptionalExtension};
use std::path::Path;
use std::time::{Duration, Instant};

/// How long a writer waits for another writer by default. Other writers hold the
/// lock only while they commit a batch (annotation happens outside it), so waits
/// are normally well under a second; what holds it for minutes is a migration
/// back-filling a large store or a `VACUUM`. Ten minutes covers those and still
/// ends a run stuck behind a forgotten open transaction in a `sqlite3` shell.
pub const DEFAULT_WAIT: Duration = Duration::from_secs(600);

/// How long one attempt to take the write lock lets SQLite's own busy handler
/// wait before our loop (which can report waiting) tries again.
const ATTEMPT: Duration = Duration::from_millis(250);

/// Told to the writer's `on_wait` callback when another process holds the write
/// lock and this one starts waiting for it.
#[derive(Debug, Clone)]
pub struct WaitNotice {
    pub path: String,
    pub max_wait: Duration,
}

/// Told once per wait; the CLI prints it.
pub type WaitCallback = Box<dyn FnMut(&WaitNotice) + Send>;

/// How a writer behaves when another process is writing.
pub struct WriterOptions {
    /// Give up (with `StoreError::Busy`) after waiting this long for the lock.
    pub max_wait: Duration,
    /// Called each time a wait for the lock begins (the library cannot print).
    pub on_wait: Option<WaitCallback>,
}

impl Default for WriterOptions {
    fn default() -> Self {
        WriterOptions {
            max_wait: DEFAULT_WAIT,
            on_wait: None,
        }
    }
}

pub struct SqliteStore {
    conn: Connection,
    path: String,
    writer: WriterOptions,
}

pub(crate) fn compress(doc: &Document) -> Vec<u8> {
    let json = serde_json::to_vec(doc).unwrap_or_default();
    zstd::encode_all(&json[..], 3).unwrap_or(json)
}

/// A stored document blob back to a `Document`, or why it cannot be.
pub(crate) fn decode_blob(blob: &[u8]) -> Result<Document, String> {
    let json = zstd::decode_all(blob).map_err(|e| format!("not zstd: {e}"))?;
    serde_json::from_slice(&json).map_err(|e| format!("not a document: {e}"))
}

fn code(e: &rusqlite::Error) -> Option<ErrorCode> {
    match e {
        rusqlite::Error::SqliteFailure(f, _) => Some(f.code),
        _ => None,
    }
}

fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(
        code(e),
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked)
    )
}

/// The error for `source` on `path`: damage (a corrupt page, or a file that is not
/// a database at all) gets the message with recovery advice.
pub(crate) fn store_error(
    path: &str,
    operation: &'static str,
    source: rusqlite::Error,
) -> StoreError {
    match code(&source) {
        Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase) => StoreError::Damaged {
            path: path.to_string(),
            reason: source.to_string(),
        },
        _ => StoreError::Backend {
            path: path.to_string(),
            operation,
            message: source.to_string(),
        },
    }
}

/// A read-only open that failed.
fn read_only_error(path: &Path, source: rusqlite::Error) -> StoreError {
    store_error(&path.display().to_string(), "opening read-only", source)
}

/// SQLite cannot open the file here (read-only folder: no -wal/-shm possible).
fn cannot_open(e: &rusqlite::Error) -> bool {
    matches!(code(e), Some(ErrorCode::CannotOpen | ErrorCode::ReadOnly))
}

/// `store_error` for a write: a read-only file or folder says so plainly.
fn writer_error(path: &str, operation: &'static str, source: rusqlite::Error) -> StoreError {
    match code(&source) {
        Some(ErrorCode::ReadOnly | ErrorCode::CannotOpen) => StoreError::NotWritable {
            path: path.to_string(),
            reason: source.to_string(),
        },
        _ => store_error(path, operation, source),
    }
}

/// `file:` URI of a path (SQLite needs `?`, `#` and `%` escaped; we escape more).
fn file_uri(path: &Path, immutable: bool) -> String {
    let mut uri = String::from("file:");
    for b in path.to_string_lossy().bytes() {
        if b.is_ascii_alphanumeric() || b"/-_.~".contains(&b) {
            uri.push(b as char);
        } else {
            uri.push_str(&format!("%{b:02X}"));
        }
    }
    uri.push_str(if immutable {
        "?mode=ro&immutable=1"
    } else {
        "?mode=ro"
    });
    uri
}

impl SqliteStore {
    /// Opens (creating if needed) and migrates the database at `path` for writing,
    /// waiting up to `DEFAULT_WAIT` for other writers. Refuses a damaged database.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        Self::open_writer(path, WriterOptions::default())
    }

    /// Opens for writing: WAL, SQLite's quick check (a damaged file is refused
    /// before anything is written into it), then pending migrations.
    pub fn open_writer(path: &Path, writer: WriterOptions) -> Result<Self, StoreError> {
        let name = path.display().to_string();
        let conn =
            Connection::open(path).map_err(|e| writer_error(&name, "opening for writing", e))?;
        let mut store = SqliteStore {
            conn,
            path: name,
            writer,
        };
        store.configure_writer()?;
        store.quick_check()?;
        store.migrate()?;
        Ok(store)
    }

    pub fn open_in_memory() -> Result<Self, StoreError> {
        let conn = Connection::open_in_memory()
            .map_err(|e| store_error(":memory:", "opening in memory", e))?;
        let mut store = SqliteStore {
            conn,
            path: ":memory:".into(),
            writer: WriterOptions::default(),
        };
        store.configure_writer()?;
        store.migrate()?;
        Ok(store)
    }

    /// Opens an existing database for queries: never writes, never migrates, reads
    /// alongside a running ingest (WAL readers see the last committed batch).
    ///
    /// A database whose schema is older than this version is refused with
    /// `TooOld` rather than read: the queries read tables (typed quote and claim
    /// rows, the id-keyed FTS) that older schemas lack, so they would answer
    /// wrongly or slowly, and upgrading means writing, which a query must never do
    /// (the file may be read-only or in use by an older chronicle).
    ///
    /// In a folder where the `-wal` and `-shm` files cannot be created (read-only
    /// media, a shared archive), it falls back to SQLite's `immutable=1`, which
    /// skips locking and the WAL. That is safe there: a process writing in WAL mode
    /// keeps a `-wal` file beside the database, which cannot exist in such a
    /// folder, so no one can change the file while we read it. If a leftover
    /// non-empty `-wal` is present (a writer killed before the folder became
    /// read-only), its changes would be invisible, so the open is refused instead.
    pub fn open_read_only(path: &Path) -> Result<Self, StoreError> {
        let store = match Self::connect_read_only(path, false) {
            Err(source) if cannot_open(&source) => {
                let wal = std::path::PathBuf::from(format!("{}-wal", path.display()));
                if std::fs::metadata(&wal).is_ok_and(|m| m.len() > 0) {
                    return Err(StoreError::ReadOnly {
                        path: path.display().to_string(),
                        reason: format!(
                            "{} holds changes not yet merged into it and SQLite cannot open it here ({source}); copy the database and its -wal file to a writable folder",
                            wal.display()
                        ),
                    });
                }
                Self::try_read_only(path, true)?
            }
            other => other.map_err(|e| read_only_error(path, e))?,
        };
        crate::readable_version(
            &store.path,
            store.schema_version()?,
            MIGRATIONS.len() as i64,
        )?;
        Ok(store)
    }

    /// Opens a database on read-only media with SQLite's `immutable=1` (no locks,
    /// no WAL): what `open_read_only` falls back to when the folder is read-only.
    /// Only for files no process can be writing (see `open_read_only`).
    pub fn open_immutable(path: &Path) -> Result<Self, StoreError> {
        Self::try_read_only(path, true)
    }

    /// Opens read-only whatever the schema version: what `check` reads.
    pub fn open_for_check(path: &Path) -> Result<Self, StoreError> {
        match Self::connect_read_only(path, false) {
            Err(source) if cannot_open(&source) => Self::try_read_only(path, true),
            other => other.map_err(|e| read_only_error(path, e)),
        }
    }

    fn try_read_only(path: &Path, immutable: bool) -> Result<Self, StoreError> {
        Self::connect_read_only(path, immutable).map_err(|e| read_only_error(path, e))
    }

    /// Opens read-only and reads the schema; SQLite's own error, so the caller can
    /// tell "cannot open here" (retry immutable) from the rest.
    fn connect_read_only(path: &Path, immutable: bool) -> rusqlite::Result<Self> {
        let name = path.display().to_string();
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
            | OpenFlags::SQLITE_OPEN_URI
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(file_uri(path, immutable), flags)?;
        let store = SqliteStore {
            conn,
            path: name,
            writer: WriterOptions::default(),
        };
        // Reading the schema opens the WAL index: a folder where it cannot be
        // created fails here, not in the middle of a query.
        store
            .conn
            .busy_timeout(Duration::from_secs(5))
            // Memory-mapped reads skip a read() per page: listings scan row tables.
            .and_then(|_| {
                store
                    .conn
                    .execute_batch("PRAGMA query_only = 1; PRAGMA mmap_size = 1073741824;")
            })
            .and_then(|_| {
                store
                    .conn
                    .query_row("SELECT COUNT(*) FROM sqlite_master", [], |r| {
                        r.get::<_, i64>(0)
                    })
            })?;
        Ok(store)
    }

    pub(crate) fn err(&self, operation: &'static str, source: rusqlite::Error) -> StoreError {
        store_error(&self.path, operation, source)
    }

    /// SQLite's `PRAGMA data_version`: changes between two calls on this
    /// connection when another connection committed in between (a reader's
    /// cue that what it derived from the store is stale).
    pub fn data_version(&self) -> Result<i64, StoreError> {
        self.conn
            .query_row("PRAGMA data_version", [], |r| r.get(0))
            .map_err(|e| self.err("reading the data version", e))
    }

    /// The underlying connection, for tests and tools that read the tables directly.
    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    /// The file, as errors name it.
    pub fn path(&self) -> &str {
        &self.path
    }

    fn configure_writer(&mut self) -> Result<(), StoreError> {
        self.conn
            .busy_timeout(ATTEMPT)
            .map_err(|e| self.err("configuring for writing", e))?;
        // WAL keeps readers unblocked during ingest and makes a killed writer
        // harmless: an unfinished transaction is simply absent after restart.
        // Switching a new file to WAL takes the write lock, so it waits like a write.
        self.with_wait("configuring for writing", |c| {
            c.execute_batch(
                "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;",
            )
        })
    }

    /// Runs `f` until it stops failing with "busy", telling `on_wait` once when the
    /// wait starts and giving up after `max_wait`.
    fn with_wait<T>(
        &mut self,
        operation: &'static str,
        mut f: impl FnMut(&Connection) -> rusqlite::Result<T>,
    ) -> Result<T, StoreError> {
        let started = Instant::now();
        let mut told = false;
        loop {
            match f(&self.conn) {
                Ok(v) => return Ok(v),
                Err(e) if is_busy(&e) => {
                    if started.elapsed() >= self.writer.max_wait {
                        return Err(StoreError::Busy {
                            path: self.path.clone(),
                            waited: started.elapsed(),
                        });
                    }
                    if !told {
                        told = true;
                        if let Some(cb) = self.writer.on_wait.as_mut() {
                            cb(&WaitNotice {
                                path: self.path.clone(),
                                max_wait: self.writer.max_wait,
                            });
                        }
                    }
                    // SQLite's busy handler already slept `ATTEMPT`; a little more
                    // keeps a zero timeout from spinning.
                    std::thread::sleep(Duration::from_millis(10));
                }
                Err(e) => return Err(writer_error(&self.path, operation, e)),
            }
        }
    }

    /// Takes the write lock now (`BEGIN IMMEDIATE`), waiting for another writer as
    /// `with_wait` does: a deferred transaction that upgrades later can fail with
    /// "database is locked" after doing its work.
    fn begin_write(&mut self) -> Result<WriteTx<'_>, StoreError> {
        self.with_wait("starting a write", |c| c.execute_batch("BEGIN IMMEDIATE"))?;
        Ok(WriteTx {
            conn: &self.conn,
            path: &self.path,
            open: true,
        })
    }

    fn migrate(&mut self) -> Result<(), StoreError> {
        let known = MIGRATIONS.len() as i64;
        loop {
            let version = self.schema_version()?;
            if version > known {
                return Err(StoreError::TooNew {
                    path: self.path.clone(),
                    found: version,
                    known,
                });
            }
            if version == known {
                return Ok(());
            }
            let tx = self.begin_write()?;
            // Another writer may have migrated while we waited for the lock.
            let version: i64 = tx
                .query_row("PRAGMA user_version", [], |r| r.get(0))
                .map_err(|e| tx.err("upgrading the schema", e))?;
            if let Some(m) = MIGRATIONS.get(version as usize) {
                match m {
                    Migration::Sql(sql) => tx.execute_batch(sql),
                    Migration::Rust(f) => f(&tx),
                }
                .and_then(|_| tx.pragma_update(None, "user_version", version + 1))
                .map_err(|e| tx.err("upgrading the schema", e))?;
                tx.commit()?;
            } else {
                tx.commit()?;
            }
        }
    }

    pub fn schema_version(&self) -> Result<i64, StoreError> {
        self.conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(|e| self.err("reading the schema version", e))
    }

    /// Refreshes the query planner's statistics for tables that grew a lot since
    /// they were last measured (sampled, so cheap): without them SQLite may sort
    /// every quote before applying a `LIMIT`. Ingest calls it when it is done.
    pub fn optimize(&mut self) -> Result<(), StoreError> {
        self.with_wait("refreshing statistics", |c| {
            c.execute_batch("PRAGMA analysis_limit = 1000; PRAGMA optimize = 0x10002;")
        })
    }

    /// SQLite's `quick_check`: a damaged database is refused with recovery advice.
    pub fn quick_check(&self) -> Result<(), StoreError> {
        let lines = crate::check::pragma_lines(&self.conn, "PRAGMA quick_check")
            .map_err(|e| self.err("checking integrity", e))?;
        if lines == ["ok"] {
            return Ok(());
        }
        let shown: Vec<String> = lines
            .iter()
            .take(3)
            .map(|l| l.chars().take(100).collect())
            .collect();
        Err(StoreError::Damaged {
            path: self.path.clone(),
            reason: format!(
                "SQLite's quick check found {} problem(s): {}",
                lines.len(),
                shown.join("; ")
            ),
        })
    }

    fn decode(&self, id: &str, blob: &[u8]) -> Result<Document, StoreError> {
        decode_blob(blob).map_err(|reason| StoreError::Corrupt {
            path: self.path.clone(),
            id: id.to_string(),
            reason,
        })
    }
}

/// A write transaction begun with `BEGIN IMMEDIATE`; rolled back unless committed.
struct WriteTx<'c> {
    conn: &'c Connection,
    path: &'c str,
    open: bool,
}

impl std::ops::Deref for WriteTx<'_> {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        self.conn
    }
}

impl WriteTx<'_> {
    fn err(&self, operation: &'static str, e: rusqlite::Error) -> StoreError {
        writer_error(self.path, operation, e)
    }

    fn commit(mut self) -> Result<(), StoreError> {
        self.conn
            .execute_batch("COMMIT")
            .map_err(|e| writer_error(self.path, "committing a write", e))?;
        self.open = false;
        Ok(())
    }
}

impl Drop for WriteTx<'_> {
    fn drop(&mut self) {
        if self.open {
            // Nothing to report to: the error that made us leave early is returned.
            let _ = self.conn.execute_batch("ROLLBACK");
        }
    }
}

pub(crate) fn warnings_json(doc: &Document) -> String {
    serde_json::to_string(
        &doc.warnings
            .iter()
            .map(|w| w.code.as_str())
            .collect::<Vec<_>>(),
    )
    .unwrap_or_else(|_| "[]".into())
}

pub(crate) fn provenance_name(doc: &Document) -> Option<String> {
    doc.published.as_ref().map(|p| {
        serde_json::to_string(&p.provenance)
            .unwrap_or_default()
            .trim_matches('"')
            .to_string()
    })
}

/// Replaces a stored document's layers and rows, and its date and warning
/// columns (a story can re-date a document). The FTS row stays: ingest fixes
/// `title` and `text` (stages only add layers).
pub(crate) fn rewrite_document(tx: &Connection, doc: &Document) -> rusqlite::Result<()> {
    let published = doc.published.as_ref();
    tx.prepare_cached(
        "UPDATE documents SET doc = ?2, published_date = ?3, published_provenance = ?4,
         published_confidence = ?5, estimated = ?6, warnings = ?7 WHERE id = ?1",
    )?
    .execute(params![
        doc.id,
        compress(doc),
        published.map(|p| p.date.clone()),
        provenance_name(doc),
        published.map(|p| p.confidence as f64),
        published.is_some_and(|p| p.estimated),
        warnings_json(doc),
    ])?;
    crate::events::write(tx, doc)?;
    crate::rows::write(tx, doc)
}

/// Inserts one new document with all its rows (the caller checked it is absent)
/// and queues it for linking.
fn insert_document(tx: &Connection, nd: &NewDocument) -> rusqlite::Result<()> {
    let doc = &nd.doc;
    let warnings = warnings_json(doc);
    let published = doc.published.as_ref();
    let provenance = provenance_name(doc);
    tx.prepare_cached(
        "INSERT INTO documents (id, outlet, url, title, language, published_date, published_provenance, published_confidence, estimated, warnings, fingerprint, duplicate_of, doc)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    )?
    .execute(params![
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
        nd.fingerprint,
        nd.duplicate_of.as_ref().map(|l| l.other_id.clone()),
        compress(doc),
    ])?;
    if let (None, Some(fp)) = (&nd.duplicate_of, &nd.fingerprint) {
        crate::near_dup::index(tx, &doc.id, fp)?;
    }
    crate::rows::write_fts(tx, doc)?;
    crate::events::write(tx, doc)?;
    crate::rows::write(tx, doc)?;
    if let Some(l) = &nd.duplicate_of {
        tx.prepare_cached(
            "INSERT OR IGNORE INTO duplicates (doc_id, other_id, kind, similarity) VALUES (?1, ?2, ?3, ?4)",
        )?
        .execute(params![l.doc_id, l.other_id, l.kind, l.similarity as f64])?;
    }
    crate::link_rows::enqueue(tx, &doc.id)
}

fn stored(tx: &Connection, id: &str) -> rusqlite::Result<bool> {
    Ok(tx
        .prepare_cached("SELECT 1 FROM documents WHERE id = ?1")?
        .query_row([id], |_| Ok(()))
        .optional()?
        .is_some())
}

fn add_source(
    tx: &Connection,
    id: &str,
    source: &chronicle_core::SourceRef,
) -> rusqlite::Result<()> {
    tx.prepare_cached(
        "INSERT OR IGNORE INTO sources (doc_id, path, format, record) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![
        id,
        source.path,
        source.format,
        source.record.clone().unwrap_or_default()
    ])?;
    Ok(())
}

/// The near-duplicate lookup of one write transaction.
struct TxLookup<'t> {
    tx: &'t Connection,
    path: &'t str,
}

impl NearDuplicateLookup for TxLookup<'_> {
    fn originals_like(&self, fingerprint: &[u8]) -> Result<Vec<(String, Vec<u8>)>, StoreError> {
        crate::near_dup::candidates(self.tx, fingerprint)
            .map_err(|e| writer_error(self.path, "finding near-duplicate candidates", e))
    }
}

/// Stores the documents not yet stored and records every source, inside `tx`.
fn write_batch(
    tx: &Connection,
    docs: &[NewDocument],
    sources: &[NewSource],
) -> rusqlite::Result<BatchOutcome> {
    let mut outcome = BatchOutcome::default();
    for nd in docs.iter() {
        let exists = stored(tx, &nd.doc.id)?;
        if !exists {
            insert_document(tx, nd)?;
        }
        add_source(tx, &nd.doc.id, &nd.doc.source)?;
        outcome.documents.push(if exists {
            PutOutcome::AlreadyStored
        } else {
            PutOutcome::Inserted
        });
    }
    for s in sources {
        let exists = stored(tx, &s.doc_id)?;
        if exists {
            add_source(tx, &s.doc_id, &s.source)?;
        }
        outcome.sources.push(exists);
    }
    Ok(outcome)
}

impl Store for SqliteStore {
    fn put_batch(&mut self, docs: &[NewDocument]) -> Result<Vec<PutOutcome>, StoreError> {
        let tx = self.begin_write()?;
        let outcome = write_batch(&tx, docs, &[]).map_err(|e| tx.err("storing documents", e))?;
        tx.commit()?;
        Ok(outcome.documents)
    }

    fn put_batch_linked(
        &mut self,
        docs: &mut [NewDocument],
        sources: &[NewSource],
        link: &mut Linker<'_>,
    ) -> Result<BatchOutcome, StoreError> {
        let tx = self.begin_write()?;
        // A batch of source locations only links nothing.
        if !docs.is_empty() {
            link(
                &TxLookup {
                    tx: tx.conn,
                    path: tx.path,
                },
                docs,
            )?;
        }
        let outcome =
            write_batch(&tx, docs, sources).map_err(|e| tx.err("storing documents", e))?;
        tx.commit()?;
        Ok(outcome)
    }

    fn update_document(&mut self, doc: &Document) -> Result<(), StoreError> {
        let tx = self.begin_write()?;
        rewrite_document(&tx, doc).map_err(|err| tx.err("updating a document", err))?;
        // Its date may have changed: the merged events it reports re-pick
        // their first report.
        crate::link_rows::rebuild_document_events(&tx, &doc.id)
            .map_err(|err| tx.err("updating a document's merged events", err))?;
        tx.commit()
    }

    fn put_links(&mut self, batch: &LinkBatch) -> Result<bool, StoreError> {
        let tx = self.begin_write()?;
        let written = crate::link_rows::put(&tx, batch).map_err(|e| tx.err("storing links", e))?;
        if written {
            tx.commit()?;
        }
        Ok(written)
    }

    fn clear_links(&mut self) -> Result<(), StoreError> {
        let tx = self.begin_write()?;
        crate::link_rows::clear(&tx).map_err(|e| tx.err("clearing links", e))?;
        tx.commit()
    }

    fn link_generation(&self) -> Result<i64, StoreError> {
        crate::link_rows::meta(&self.conn, "generation")
            .map_err(|e| self.err("reading the link generation", e))
    }

    fn unlinked_documents(&self, limit: usize) -> Result<Vec<PendingDocument>, StoreError> {
        crate::link_rows::unlinked(&self.conn, limit)
            .map_err(|e| self.err("listing unlinked documents", e))
    }

    fn story_posting(&self, key: &str, cap: usize) -> Result<Vec<String>, StoreError> {
        crate::link_rows::story_posting(&self.conn, key, cap)
            .map_err(|e| self.err("reading a story posting", e))
    }

    fn key_stats(&self, keys: &[String]) -> Result<(u64, Vec<u64>), StoreError> {
        crate::link_rows::key_stats(&self.conn, keys)
            .map_err(|e| self.err("reading key statistics", e))
    }

    fn story(&self, id: &str) -> Result<Option<StoryRow>, StoreError> {
        crate::link_rows::story(&self.conn, id).map_err(|e| self.err("reading a story", e))
    }

    fn story_profile(&self, id: &str) -> Result<Option<StoryRow>, StoreError> {
        crate::link_rows::story_profile(&self.conn, id)
            .map_err(|e| self.err("reading a story's profile", e))
    }

    fn story_of_document(&self, doc_id: &str) -> Result<Option<String>, StoreError> {
        crate::link_rows::story_of_document(&self.conn, doc_id)
            .map_err(|e| self.err("reading a document's story", e))
    }

    fn stories(&self, filter: &StoryFilter) -> Result<Vec<StoryRow>, StoreError> {
        crate::link_rows::stories(&self.conn, filter).map_err(|e| self.err("listing stories", e))
    }

    fn story_documents(
        &self,
        story_id: &str,
        limit: Option<usize>,
    ) -> Result<Vec<StoryDocumentRow>, StoreError> {
        crate::link_rows::story_documents(&self.conn, story_id, limit)
            .map_err(|e| self.err("listing a story's documents", e))
    }

    fn story_merges(&self) -> Result<Vec<StoryMergeRow>, StoreError> {
        crate::link_rows::story_merges(&self.conn).map_err(|e| self.err("listing story merges", e))
    }

    fn story_places(&self, story_id: &str, limit: usize) -> Result<Vec<Counted>, StoreError> {
        crate::link_rows::story_places(&self.conn, story_id, limit)
            .map_err(|e| self.err("counting a story's places", e))
    }

    fn story_top(&self, story_id: &str, limit: usize) -> Result<StoryTop, StoreError> {
        crate::link_rows::story_top(&self.conn, story_id, limit)
            .map_err(|e| self.err("reading a story's actors and places", e))
    }

    fn merged_event_candidates(
        &self,
        story_id: &str,
        cap: usize,
    ) -> Result<MergedEventCandidates, StoreError> {
        crate::link_rows::merged_event_candidates(&self.conn, story_id, cap)
            .map_err(|e| self.err("finding candidate merged events", e))
    }

    fn merged_events(&self, filter: &MergedEventFilter) -> Result<Vec<MergedEventRow>, StoreError> {
        crate::link_rows::merged_events(&self.conn, filter)
            .map_err(|e| self.err("listing merged events", e))
    }

    fn story_event_count(&self, story_id: &str) -> Result<u64, StoreError> {
        crate::link_rows::story_event_count(&self.conn, story_id)
            .map_err(|e| self.err("counting a story's merged events", e))
    }

    fn merged_event_mentions(
        &self,
        merged_id: &str,
        limit: Option<usize>,
    ) -> Result<Vec<EventMentionRow>, StoreError> {
        crate::link_rows::event_mentions(&self.conn, merged_id, limit)
            .map_err(|e| self.err("listing a merged event's mentions", e))
    }

    fn document_merged_events(&self, doc_id: &str) -> Result<Vec<(usize, String)>, StoreError> {
        crate::link_rows::document_event_mentions(&self.conn, doc_id)
            .map_err(|e| self.err("reading a document's merged events", e))
    }

    fn entity_candidates(
        &self,
        keys: &[String],
        cap: usize,
    ) -> Result<EntityCandidates, StoreError> {
        crate::link_rows::entity_candidates(&self.conn, keys, cap)
            .map_err(|e| self.err("finding candidate entities", e))
    }

    fn entities(&self, filter: &EntityFilter) -> Result<Vec<EntityRow>, StoreError> {
        crate::link_rows::entities(&self.conn, filter).map_err(|e| self.err("listing entities", e))
    }

    fn entity_mentions(&self, doc_id: &str) -> Result<Vec<EntityMentionRow>, StoreError> {
        crate::link_rows::entity_mentions(&self.conn, doc_id)
            .map_err(|e| self.err("listing a document's entities", e))
    }

    fn statement_candidates(
        &self,
        story_id: &str,
        speaker_key: &str,
        cap: usize,
    ) -> Result<Vec<StatementRow>, StoreError> {
        crate::link_rows::statement_candidates(&self.conn, story_id, speaker_key, cap)
            .map_err(|e| self.err("finding candidate statements", e))
    }

    fn statements(&self, story_id: Option<&str>) -> Result<Vec<StatementRow>, StoreError> {
        crate::link_rows::statements(&self.conn, story_id)
            .map_err(|e| self.err("listing statements", e))
    }

    fn story_claims(&self, story_id: &str) -> Result<Vec<StoryClaim>, StoreError> {
        crate::link_rows::story_claims(&self.conn, story_id)
            .map_err(|e| self.err("listing a story's claims", e))
    }

    fn date_corrections(&self, story_id: Option<&str>) -> Result<Vec<DateCorrection>, StoreError> {
        crate::link_rows::date_corrections(&self.conn, story_id)
            .map_err(|e| self.err("listing date corrections", e))
    }

    fn link_counts(&self) -> Result<LinkCounts, StoreError> {
        crate::link_rows::counts(&self.conn).map_err(|e| self.err("counting links", e))
    }

    fn events(&self, filter: &EventFilter) -> Result<Vec<EventRow>, StoreError> {
        crate::events::query(&self.conn, filter).map_err(|e| self.err("listing events", e))
    }

    fn actors(&self) -> Result<Vec<ActorSummary>, StoreError> {
        crate::events::actors(&self.conn).map_err(|e| self.err("listing actors", e))
    }

    fn quotes(&self, filter: &QuoteFilter) -> Result<Vec<QuoteRow>, StoreError> {
        crate::rows::quotes(&self.conn, filter).map_err(|e| self.err("listing quotes", e))
    }

    fn claims(&self, filter: &ClaimFilter) -> Result<Vec<ClaimRow>, StoreError> {
        crate::rows::claims(&self.conn, filter).map_err(|e| self.err("listing claims", e))
    }

    fn check(&self) -> Result<CheckReport, StoreError> {
        Ok(crate::check::run(&self.conn, &self.path))
    }

    fn optimize(&mut self) -> Result<(), StoreError> {
        SqliteStore::optimize(self)
    }

    fn change_counter(&self) -> Result<i64, StoreError> {
        self.data_version()
    }

    fn schema_version(&self) -> Result<i64, StoreError> {
        SqliteStore::schema_version(self)
    }

    fn interrupter(&self) -> Option<crate::Interrupter> {
        let handle = self.conn.get_interrupt_handle();
        Some(crate::Interrupter::new(move || handle.interrupt()))
    }

    fn get(&self, id: &str) -> Result<Option<Document>, StoreError> {
        let blob: Option<Vec<u8>> = self
            .conn
            .query_row("SELECT doc FROM documents WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .optional()
            .map_err(|e| self.err("reading a document", e))?;
        blob.map(|b| self.decode(id, &b)).transpose()
    }

    fn resolve_id(&self, prefix: &str) -> Result<Vec<String>, StoreError> {
        let mut w = Where::default();
        w.prefix_range("id", Some(prefix));
        let mut stmt = self
            .conn
            .prepare(&format!("SELECT id FROM documents{} LIMIT 10", w.sql()))
            .map_err(|e| self.err("resolving an id", e))?;
        let rows = stmt
            .query_map(w.args(), |r| r.get(0))
            .map_err(|e| self.err("resolving an id", e))?;
        rows.collect::<Result<Vec<String>, _>>()
            .map_err(|e| self.err("resolving an id", e))
    }

    fn list(&self, filter: &DocumentFilter) -> Result<Vec<DocumentSummary>, StoreError> {
        let mut sql = String::from(
            "SELECT d.id, d.outlet, d.title, d.url, d.language, d.published_date, d.published_provenance, d.published_confidence, d.estimated, d.warnings, d.duplicate_of,
                    (SELECT COUNT(*) FROM sources s WHERE s.doc_id = d.id)
             FROM documents d",
        );
        let mut w = Where::default();
        w.contains("d.outlet", filter.outlet.as_deref())
            .period(
                "d.published_date",
                filter.from.as_deref(),
                filter.to.as_deref(),
            )
            .equals("d.language", filter.language.as_deref());
        sql.push_str(&w.sql());
        sql.push_str(" ORDER BY d.published_date IS NULL, d.published_date, d.outlet, d.id");
        sql.push_str(&limit(filter.limit));
        let mut stmt = self
            .conn
            .prepare(&sql)
            .map_err(|e| self.err("listing documents", e))?;
        let rows = stmt
            .query_map(w.args(), |r| {
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
            .map_err(|e| self.err("listing documents", e))?;
        rows.collect::<Result<Vec<_>, _>>()
            .map_err(|e| self.err("listing documents", e))
    }

    fn search(&self, query: &str, limit: usize) -> Result<Vec<SearchHit>, StoreError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT d.id, d.title, d.outlet, d.published_date, snippet(documents_fts, 2, '[', ']', '…', 16), bm25(documents_fts)
                 FROM documents_fts JOIN documents d ON d.id = documents_fts.doc_id
                 WHERE documents_fts MATCH ?1 ORDER BY bm25(documents_fts) LIMIT ?2",
            )
            .map_err(|e| self.err("searching", e))?;
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
            reason: format!("{e} (SQLite FTS5 syntax: words, \"phrases\", AND/OR/NOT, prefix*)"),
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
            .map_err(|e| self.err("listing duplicates", e))?;
        let mut out: Vec<DuplicateLink> = stmt
            .query_map([], |r| {
                Ok(DuplicateLink {
                    doc_id: r.get(0)?,
                    other_id: r.get(1)?,
                    kind: r.get(2)?,
                    similarity: r.get::<_, f64>(3)? as f32,
                })
            })
            .map_err(|e| self.err("listing duplicates", e))?
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| self.err("listing duplicates", e))?;
        // Exact duplicates are the same stored document read from several sources.
        let mut stmt = self
            .conn
            .prepare("SELECT doc_id, COUNT(*) FROM sources GROUP BY doc_id HAVING COUNT(*) > 1 ORDER BY doc_id")
            .map_err(|e| self.err("listing duplicates", e))?;
        let exact = stmt
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))
            .map_err(|e| self.err("listing duplicates", e))?
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| self.err("listing duplicates", e))?;
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
            .map_err(|e| self.err("reading fingerprints", e))?;
        let rows = stmt
            .query_map([], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, Vec<u8>>(1)?))
            })
            .map_err(|e| self.err("reading fingerprints", e))?;
        rows.collect::<Result<Vec<_>, _>>()
            .map_err(|e| self.err("reading fingerprints", e))
    }

    fn contains(&self, id: &str) -> Result<bool, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT 1 FROM documents WHERE id = ?1", [id], |_| Ok(()))
            .optional()
            .map_err(|e| self.err("looking up a document", e))?
            .is_some())
    }

    fn count(&self) -> Result<u64, StoreError> {
        self.conn
            .query_row("SELECT COUNT(*) FROM documents", [], |r| r.get::<_, i64>(0))
            .map(|n| n as u64)
            .map_err(|e| self.err("counting documents", e))
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
        let bad = s.search("\"unbalanced", 10).err().unwrap();
        assert!(matches!(bad, StoreError::BadQuery { .. }), "{bad}");
        // The backend, not the trait, says which syntax it reads.
        assert!(bad.to_string().contains("SQLite FTS5 syntax"), "{bad}");
        assert_eq!(s.resolve_id("b").unwrap(), vec!["b2".to_string()]);
    }

    #[test]
    fn backend_errors_name_the_database_and_the_operation() {
        let s = SqliteStore::open_in_memory().unwrap();
        s.connection().execute_batch("DROP TABLE sources").unwrap();
        let e = s.list(&DocumentFilter::default()).err().unwrap();
        assert!(
            matches!(
                &e,
                StoreError::Backend {
                    operation: "listing documents",
                    ..
                }
            ),
            "{e:?}"
        );
        assert!(
            e.to_string()
                .starts_with("database :memory:: listing documents: no such table"),
            "{e}"
        );
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

    #[test]
    fn read_only_never_writes_and_refuses_older_schemas() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("r.db");
        {
            let mut s = SqliteStore::open(&p).unwrap();
            s.put_batch(&[new(doc("r1", "text", "z.txt"))]).unwrap();
        }
        let ro = SqliteStore::open_read_only(&p).unwrap();
        assert_eq!(ro.count().unwrap(), 1);
        assert!(ro.connection().execute_batch("CREATE TABLE x (a)").is_err());
        drop(ro);
        Connection::open(&p)
            .unwrap()
            .pragma_update(None, "user_version", 2)
            .unwrap();
        let err = SqliteStore::open_read_only(&p).err().unwrap();
        assert!(err.to_string().contains("ingest --upgrade"), "{err}");
    }

    #[test]
    fn immutable_fallback_reads_a_database_without_wal_files() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("i.db");
        {
            let mut s = SqliteStore::open(&p).unwrap();
            s.put_batch(&[new(doc("i1", "text", "z.txt"))]).unwrap();
        }
        // The path `open_read_only` takes when -wal/-shm cannot be created.
        let s = SqliteStore::try_read_only(&p, true).unwrap();
        assert_eq!(s.count().unwrap(), 1);
        assert!(file_uri(Path::new("/a b/c?d#e%.db"), true)
            .starts_with("file:/a%20b/c%3Fd%23e%25.db?mode=ro&immutable=1"));
    }

    #[test]
    fn a_second_writer_waits_reports_once_and_gives_up_at_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("w.db");
        SqliteStore::open(&p).unwrap();
        let holder = Connection::open(&p).unwrap();
        holder.execute_batch("BEGIN IMMEDIATE").unwrap();
        let told = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let t = told.clone();
        let mut w = SqliteStore::open_writer(
            &p,
            WriterOptions {
                max_wait: Duration::from_millis(600),
                on_wait: Some(Box::new(move |_| {
                    t.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                })),
            },
        )
        .unwrap();
        let err = w
            .put_batch(&[new(doc("w1", "text", "z.txt"))])
            .err()
            .unwrap();
        assert!(matches!(err, StoreError::Busy { .. }), "{err}");
        assert_eq!(told.load(std::sync::atomic::Ordering::SeqCst), 1);
        holder.execute_batch("COMMIT").unwrap();
        w.put_batch(&[new(doc("w1", "text", "z.txt"))]).unwrap();
        assert_eq!(w.count().unwrap(), 1);
    }

    #[test]
    fn a_file_that_is_not_a_database_is_damaged_with_advice() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("junk.db");
        std::fs::write(&p, vec![0x5a; 8192]).unwrap();
        let err = SqliteStore::open(&p).err().unwrap();
        assert!(matches!(err, StoreError::Damaged { .. }), "{err}");
        assert!(err.to_string().contains(".recover"), "{err}");
        let err = SqliteStore::open_read_only(&p).err().unwrap();
        assert!(matches!(err, StoreError::Damaged { .. }), "{err}");
    }
}
