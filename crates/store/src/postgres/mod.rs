//! `PgStore`: the `Store` trait on a PostgreSQL server (15 or later), so several
//! ingest workers on one or many machines write one record.
//!
//! One `PgStore` is one connection (the sync client of rust-postgres), like a
//! `SqliteStore`; the client sits in a `RefCell` because the trait's reads take
//! `&self` and the client's queries `&mut self` (`Send`, not `Sync`).
//!
//! **Writers queue on an advisory lock.** Every write transaction (`put_batch`,
//! `put_batch_linked`, `update_document`, `put_links`, `clear_links`) begins with
//! `pg_advisory_xact_lock(WRITE_LOCK)`, so writers take turns like SQLite's one
//! writer: the near-duplicate decision (read the originals, then write) and the
//! link step's generation check (read, then write) keep exactly the semantics
//! the conformance suite tests, while annotation, the cost, runs outside the
//! transaction in every worker at once. SERIALIZABLE with retries would let
//! writes overlap, but a conflicting link step would redo all its reads and the
//! whole step, and writes are short, so a queue costs little. Documents are
//! idempotent by content id (`ON CONFLICT (id) DO NOTHING`): two workers given
//! the same document store it once.
//!
//! **Faults.** A query that fails because the connection is gone (the client is
//! closed, an I/O error, SQLSTATE class 08, or the server shutting down:
//! 57P01-57P03) reconnects and reruns the whole transaction with backoff (0.25 s
//! doubling, at most 5 s apart) for up to `PgOptions::retry_for`, then fails
//! with `StoreError::Unavailable` naming the server, the tries, the time waited
//! and the last reason. Rerunning is safe: each transaction is atomic, documents
//! are stored by id, and a link step that did commit answers `Ok(false)` on its
//! rerun (its generation moved), so the caller reads again. Every method goes
//! through `with_retry`. The first connection is not retried: a wrong address
//! or password is reported at once.
//!
//! Errors name the server as `host:port/dbname` ([`redacted`]), never the password.

mod check;
pub mod copy;
mod documents;
pub mod link_rows;
mod listings;
mod schema;

pub use documents::rewrite_document;

use crate::links::*;
use crate::{
    ActorSummary, BatchOutcome, CheckReport, ClaimFilter, ClaimRow, DocumentFilter,
    DocumentSummary, DuplicateLink, EventFilter, EventRow, Interrupter, Linker,
    NearDuplicateLookup, NewDocument, NewSource, PutOutcome, QuoteFilter, QuoteRow, SearchHit,
    Store, StoreError,
};
use ::postgres::config::Host;
use ::postgres::{CancelToken, Client, Config, Error, NoTls, Transaction};
use chronicle_core::Document;
use std::cell::RefCell;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The advisory lock every write transaction takes first (see the module doc).
pub const WRITE_LOCK: i64 = 0x6368_726f_6e01;

/// The first wait before reconnecting, doubled after each failed try.
const FIRST_BACKOFF: Duration = Duration::from_millis(250);
/// The longest wait between two tries.
const MAX_BACKOFF: Duration = Duration::from_secs(5);

/// How a `PgStore` behaves when the server goes away.
#[derive(Debug, Clone)]
pub struct PgOptions {
    /// Keep reconnecting and retrying a transaction this long after the
    /// connection is lost, then fail with `StoreError::Unavailable`.
    pub retry_for: Duration,
    /// Limit of one attempt to open a connection (unless the URL sets
    /// `connect_timeout`): an unreachable host fails instead of hanging.
    pub connect_timeout: Duration,
}

impl Default for PgOptions {
    fn default() -> Self {
        PgOptions {
            retry_for: Duration::from_secs(60),
            connect_timeout: Duration::from_secs(10),
        }
    }
}

/// A connection to a PostgreSQL database holding a Chronicle record.
pub struct PgStore {
    client: RefCell<Client>,
    /// Parsed from the URL; holds the password, so it is never printed.
    config: Config,
    /// `host:port/dbname`: what every error says.
    name: String,
    /// The password, removed from any message that might quote it.
    secret: Option<String>,
    options: PgOptions,
    /// A query connection: every transaction is read-only.
    read_only: bool,
    /// Cancels the running query of the current connection (renewed on reconnect).
    cancel: Arc<Mutex<CancelToken>>,
}

/// `host:port/dbname` of a PostgreSQL URL or key=value connection string,
/// without the user or password: how errors and messages name the server.
pub fn redacted(url: &str) -> String {
    match url.parse::<Config>() {
        Ok(c) => {
            let host = match c.get_hosts().first() {
                Some(Host::Tcp(h)) => h.clone(),
                #[cfg(unix)]
                Some(Host::Unix(p)) => p.display().to_string(),
                None => c
                    .get_hostaddrs()
                    .first()
                    .map(|a| a.to_string())
                    .unwrap_or_else(|| "localhost".into()),
            };
            let port = c.get_ports().first().copied().unwrap_or(5432);
            // PostgreSQL's default database is the user's name.
            let db = c.get_dbname().or(c.get_user()).unwrap_or("postgres");
            format!("{host}:{port}/{db}")
        }
        Err(_) => rough_redacted(url),
    }
}

/// `redacted` of a URL the client cannot parse: only what follows the last
/// `@` of its authority (where a user and password would end).
fn rough_redacted(url: &str) -> String {
    let Some((_, rest)) = url.split_once("://") else {
        return "(a PostgreSQL connection string that does not parse)".into();
    };
    let rest = rest.split(['?', '#']).next().unwrap_or("");
    let rest = rest.rsplit_once('@').map(|(_, r)| r).unwrap_or(rest);
    match rest.split_once('/') {
        Some((host, db)) => format!("{host}/{db}"),
        None => rest.to_string(),
    }
}

/// The password a connection string carries, parsed or not.
fn password_of(url: &str) -> Option<String> {
    if let Ok(c) = url.parse::<Config>() {
        if let Some(p) = c.get_password() {
            return Some(String::from_utf8_lossy(p).into_owned());
        }
    }
    if let Some((_, rest)) = url.split_once("://") {
        let userinfo = rest.rsplit_once('@').map(|(u, _)| u)?;
        return userinfo.split_once(':').map(|(_, p)| p.to_string());
    }
    let (_, after) = url.split_once("password=")?;
    after.split_whitespace().next().map(str::to_string)
}

/// `message` with any copy of `secret` removed.
fn scrub(secret: Option<&str>, message: String) -> String {
    match secret {
        Some(s) if !s.is_empty() && message.contains(s) => message.replace(s, "***"),
        _ => message,
    }
}

/// The server's words for a failure: severity, message, SQLSTATE, detail and
/// hint for a database error; the client's otherwise.
pub(crate) fn reason(e: &Error) -> String {
    match e.as_db_error() {
        Some(db) => {
            let mut s = format!(
                "{}: {} (SQLSTATE {})",
                db.severity(),
                db.message(),
                db.code().code()
            );
            if let Some(d) = db.detail() {
                s.push_str(&format!("; {d}"));
            }
            if let Some(h) = db.hint() {
                s.push_str(&format!("; hint: {h}"));
            }
            s
        }
        None => {
            // The client's words name the step ("error connecting to
            // server"); the causes say why (refused, unknown host, …).
            let mut s = e.to_string();
            let mut source = std::error::Error::source(e);
            while let Some(cause) = source {
                let text = cause.to_string();
                if !s.contains(&text) {
                    s.push_str(&format!(": {text}"));
                }
                source = cause.source();
            }
            s
        }
    }
}

/// The connection is gone (or going): reconnecting and rerunning may succeed.
fn connection_lost(e: &Error) -> bool {
    if e.is_closed() {
        return true;
    }
    if let Some(code) = e.code() {
        let c = code.code();
        return c.starts_with("08") || matches!(c, "57P01" | "57P02" | "57P03");
    }
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        if s.is::<std::io::Error>() {
            return true;
        }
        source = s.source();
    }
    false
}

/// Why a transaction failed: the server's error (which `with_retry` may
/// retry), or a store error decided on our side (never retried).
pub(crate) enum Fail {
    Pg(Error),
    Store(StoreError),
}

impl From<Error> for Fail {
    fn from(e: Error) -> Self {
        Fail::Pg(e)
    }
}

impl From<StoreError> for Fail {
    fn from(e: StoreError) -> Self {
        Fail::Store(e)
    }
}

/// An error of the first connection, with what to check.
fn connect_error(name: &str, secret: Option<&str>, e: &Error) -> StoreError {
    let why = match e.code().map(|c| c.code()) {
        Some("28P01" | "28000") => " (check the user and password in the URL)",
        Some("3D000") => " (create the database first, e.g. with `createdb`)",
        _ if connection_lost(e) => " (is the server running, and is the host and port right?)",
        _ => "",
    };
    StoreError::Backend {
        path: name.to_string(),
        operation: "connecting",
        message: scrub(secret, format!("{}{why}", reason(e))),
    }
}

impl PgStore {
    /// Connects to the database at `url` (`postgres://user:password@host:port/db`
    /// or a key=value string) and runs the pending migrations.
    pub fn connect(url: &str) -> Result<PgStore, StoreError> {
        Self::connect_with(url, PgOptions::default())
    }

    pub fn connect_with(url: &str, options: PgOptions) -> Result<PgStore, StoreError> {
        let store = Self::open(url, options, false)?;
        store.migrate()?;
        Ok(store)
    }

    /// Connects for queries: never migrates or writes (every transaction is
    /// read-only), and refuses a schema older or newer than this binary's, as
    /// `SqliteStore::open_read_only` does.
    pub fn connect_read_only(url: &str) -> Result<PgStore, StoreError> {
        Self::connect_read_only_with(url, PgOptions::default())
    }

    pub fn connect_read_only_with(url: &str, options: PgOptions) -> Result<PgStore, StoreError> {
        let store = Self::open(url, options, true)?;
        crate::readable_version(&store.name, store.schema_version()?, schema::known())?;
        Ok(store)
    }

    fn open(url: &str, options: PgOptions, read_only: bool) -> Result<PgStore, StoreError> {
        let name = redacted(url);
        let secret = password_of(url);
        let mut config: Config = url.parse().map_err(|e| StoreError::Backend {
            path: name.clone(),
            operation: "reading the server address",
            message: scrub(secret.as_deref(), reason(&e)),
        })?;
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(options.connect_timeout);
        }
        // Notices (a query of stop words only, …) are not errors; a library never prints.
        config.notice_callback(|_| {});
        let client = new_client(&config, read_only)
            .map_err(|e| connect_error(&name, secret.as_deref(), &e))?;
        let cancel = Arc::new(Mutex::new(client.cancel_token()));
        Ok(PgStore {
            client: RefCell::new(client),
            config,
            name,
            secret,
            options,
            read_only,
            cancel,
        })
    }

    /// `host:port/dbname` of the server (no credentials).
    pub fn name(&self) -> &str {
        &self.name
    }

    fn migrate(&self) -> Result<(), StoreError> {
        let outcome = self.with_retry("upgrading the schema", |c| {
            let mut tx = c.transaction()?;
            let m = schema::migrate(&mut tx)?;
            tx.commit()?;
            Ok(m)
        })?;
        match outcome {
            schema::Migrated::Current => Ok(()),
            schema::Migrated::TooNew(found) => Err(StoreError::TooNew {
                path: self.name.clone(),
                found,
                known: schema::known(),
            }),
        }
    }

    /// How many migrations the database has run.
    pub fn schema_version(&self) -> Result<i64, StoreError> {
        self.read("reading the schema version", schema::version)
    }

    /// Moves with every committed write transaction, whoever wrote it: a
    /// reader's cue that what it derived from the store is stale (what
    /// SQLite's `data_version` tells).
    pub fn change_counter(&self) -> Result<i64, StoreError> {
        self.read("reading the change counter", |c| {
            Ok(c.query_opt(
                "SELECT value FROM chronicle_meta WHERE name = 'writes'",
                &[],
            )?
            .map(|r| r.get::<_, i64>(0))
            .unwrap_or(0))
        })
    }

    fn error(&self, operation: &'static str, fail: Fail) -> StoreError {
        match fail {
            Fail::Store(e) => e,
            Fail::Pg(e) => StoreError::Backend {
                path: self.name.clone(),
                operation,
                message: scrub(self.secret.as_deref(), reason(&e)),
            },
        }
    }

    /// Runs `f` on the connection; when the connection is lost, reconnects
    /// and runs it again with backoff for up to `retry_for` (see the module doc).
    fn with_retry<T>(
        &self,
        operation: &'static str,
        mut f: impl FnMut(&mut Client) -> Result<T, Fail>,
    ) -> Result<T, StoreError> {
        let started = Instant::now();
        let mut delay = FIRST_BACKOFF;
        let mut tries = 0u32;
        loop {
            tries += 1;
            let lost = {
                let mut client = self.client.borrow_mut();
                if client.is_closed() {
                    match new_client(&self.config, self.read_only) {
                        Ok(fresh) => {
                            if let Ok(mut token) = self.cancel.lock() {
                                *token = fresh.cancel_token();
                            }
                            *client = fresh;
                            None
                        }
                        Err(e) if connection_lost(&e) => Some(e),
                        Err(e) => return Err(self.error(operation, Fail::Pg(e))),
                    }
                } else {
                    None
                }
            };
            let lost = match lost {
                Some(e) => e,
                None => match f(&mut self.client.borrow_mut()) {
                    Ok(v) => return Ok(v),
                    Err(Fail::Pg(e)) if connection_lost(&e) => e,
                    Err(fail) => return Err(self.error(operation, fail)),
                },
            };
            let waited = started.elapsed();
            if waited + delay > self.options.retry_for {
                return Err(StoreError::Unavailable {
                    path: self.name.clone(),
                    operation,
                    tries,
                    waited,
                    reason: scrub(self.secret.as_deref(), reason(&lost)),
                });
            }
            std::thread::sleep(delay);
            delay = (delay * 2).min(MAX_BACKOFF);
            // A failed query may leave the client open but unusable: start afresh.
            let mut client = self.client.borrow_mut();
            if !client.is_closed() {
                if let Ok(fresh) = new_client(&self.config, self.read_only) {
                    if let Ok(mut token) = self.cancel.lock() {
                        *token = fresh.cancel_token();
                    }
                    *client = fresh;
                }
            }
        }
    }

    /// A read (or a statement outside a transaction), retried as `with_retry` says.
    fn read<T>(
        &self,
        operation: &'static str,
        mut f: impl FnMut(&mut Client) -> Result<T, Error>,
    ) -> Result<T, StoreError> {
        self.with_retry(operation, |c| f(c).map_err(Fail::Pg))
    }

    /// A write transaction: the write lock first, then `f`, which answers its
    /// value and whether to commit; a commit also moves the change counter.
    fn write<T>(
        &self,
        operation: &'static str,
        mut f: impl FnMut(&mut Transaction<'_>) -> Result<(T, bool), Fail>,
    ) -> Result<T, StoreError> {
        self.with_retry(operation, |c| {
            let mut tx = c.transaction()?;
            tx.execute("SELECT pg_advisory_xact_lock($1)", &[&WRITE_LOCK])?;
            let (value, keep) = f(&mut tx)?;
            if keep {
                tx.execute(
                    "UPDATE chronicle_meta SET value = value + 1 WHERE name = 'writes'",
                    &[],
                )?;
                tx.commit()?;
            }
            Ok(value)
        })
    }

    fn decode(&self, id: &str, blob: &[u8]) -> Result<Document, StoreError> {
        crate::sqlite::decode_blob(blob).map_err(|reason| StoreError::Corrupt {
            path: self.name.clone(),
            id: id.to_string(),
            reason,
        })
    }
}

fn new_client(config: &Config, read_only: bool) -> Result<Client, Error> {
    let mut client = config.connect(NoTls)?;
    if read_only {
        client.batch_execute("SET default_transaction_read_only = on")?;
    }
    Ok(client)
}

/// The near-duplicate lookup of one write transaction. A server error is kept,
/// so a lost connection during the lookup reruns the batch like any other.
struct TxLookup<'a, 't> {
    tx: RefCell<&'a mut Transaction<'t>>,
    lost: RefCell<Option<Error>>,
    name: &'a str,
    secret: Option<&'a str>,
}

impl NearDuplicateLookup for TxLookup<'_, '_> {
    fn originals_like(&self, fingerprint: &[u8]) -> Result<Vec<(String, Vec<u8>)>, StoreError> {
        let mut tx = self.tx.borrow_mut();
        documents::candidates(&mut **tx, fingerprint).map_err(|e| {
            let err = StoreError::Backend {
                path: self.name.to_string(),
                operation: "finding near-duplicate candidates",
                message: scrub(self.secret, reason(&e)),
            };
            *self.lost.borrow_mut() = Some(e);
            err
        })
    }
}

impl Store for PgStore {
    fn put_batch(&mut self, docs: &[NewDocument]) -> Result<Vec<PutOutcome>, StoreError> {
        self.write("storing documents", |tx| {
            Ok((documents::write_batch(tx, docs, &[])?.documents, true))
        })
    }

    fn put_batch_linked(
        &mut self,
        docs: &mut [NewDocument],
        sources: &[NewSource],
        link: &mut Linker<'_>,
    ) -> Result<BatchOutcome, StoreError> {
        let (name, secret) = (self.name.clone(), self.secret.clone());
        self.write("storing documents", |tx| {
            // A batch of source locations only links nothing.
            if !docs.is_empty() {
                let lookup = TxLookup {
                    tx: RefCell::new(&mut *tx),
                    lost: RefCell::new(None),
                    name: &name,
                    secret: secret.as_deref(),
                };
                let linked = link(&lookup, docs);
                let lost = lookup.lost.into_inner();
                if let Err(e) = linked {
                    return Err(match lost {
                        Some(pg) if connection_lost(&pg) => Fail::Pg(pg),
                        _ => Fail::Store(e),
                    });
                }
            }
            Ok((documents::write_batch(tx, docs, sources)?, true))
        })
    }

    fn update_document(&mut self, doc: &Document) -> Result<(), StoreError> {
        self.write("updating a document", |tx| {
            documents::rewrite_document(tx, doc)?;
            // Its date may have changed: the merged events it reports re-pick
            // their first report.
            link_rows::rebuild_document_events(tx, &doc.id)?;
            Ok(((), true))
        })
    }

    fn get(&self, id: &str) -> Result<Option<Document>, StoreError> {
        let blob = self.read("reading a document", |c| documents::blob(c, id))?;
        blob.map(|b| self.decode(id, &b)).transpose()
    }

    fn resolve_id(&self, prefix: &str) -> Result<Vec<String>, StoreError> {
        self.read("resolving an id", |c| documents::resolve_id(c, prefix))
    }

    fn list(&self, filter: &DocumentFilter) -> Result<Vec<DocumentSummary>, StoreError> {
        self.read("listing documents", |c| listings::documents(c, filter))
    }

    fn search(&self, query: &str, limit: usize) -> Result<Vec<SearchHit>, StoreError> {
        self.with_retry("searching", |c| {
            documents::search(c, query, limit).map_err(|e| match e.code().map(|c| c.code()) {
                // websearch_to_tsquery reads any text; a syntax or data error
                // here still means the query, not the store.
                Some(code) if code.starts_with("42") || code.starts_with("22") => {
                    Fail::Store(StoreError::BadQuery {
                        query: query.to_string(),
                        reason: format!(
                            "{} (PostgreSQL web search syntax: words, \"phrases\", or, -word)",
                            reason(&e)
                        ),
                    })
                }
                _ => Fail::Pg(e),
            })
        })
    }

    fn duplicates(&self) -> Result<Vec<DuplicateLink>, StoreError> {
        self.read("listing duplicates", documents::duplicates)
    }

    fn fingerprints(&self) -> Result<Vec<(String, Vec<u8>)>, StoreError> {
        self.read("reading fingerprints", documents::fingerprints)
    }

    fn contains(&self, id: &str) -> Result<bool, StoreError> {
        self.read("looking up a document", |c| documents::contains(c, id))
    }

    fn count(&self) -> Result<u64, StoreError> {
        self.read("counting documents", documents::count)
    }

    fn events(&self, filter: &EventFilter) -> Result<Vec<EventRow>, StoreError> {
        self.read("listing events", |c| listings::events(c, filter))
    }

    fn actors(&self) -> Result<Vec<ActorSummary>, StoreError> {
        self.read("listing actors", listings::actors)
    }

    fn quotes(&self, filter: &QuoteFilter) -> Result<Vec<QuoteRow>, StoreError> {
        self.read("listing quotes", |c| listings::quotes(c, filter))
    }

    fn claims(&self, filter: &ClaimFilter) -> Result<Vec<ClaimRow>, StoreError> {
        self.read("listing claims", |c| listings::claims(c, filter))
    }

    fn claims_of_documents(
        &self,
        ids: &[String],
    ) -> Result<std::collections::HashMap<String, Vec<ClaimRow>>, StoreError> {
        self.read("listing documents' claims", |c| {
            listings::claims_of_documents(c, ids)
        })
    }

    fn check(&self) -> Result<CheckReport, StoreError> {
        self.with_retry("checking", |c| Ok(check::run(c, &self.name)))
    }

    fn put_links(&mut self, batch: &LinkBatch) -> Result<bool, StoreError> {
        self.write("storing links", |tx| {
            let written = link_rows::put(tx, batch)?;
            Ok((written, written))
        })
    }

    fn clear_links(&mut self) -> Result<(), StoreError> {
        self.write("clearing links", |tx| {
            link_rows::clear(tx)?;
            Ok(((), true))
        })
    }

    fn link_generation(&self) -> Result<i64, StoreError> {
        self.read("reading the link generation", |c| {
            link_rows::meta(c, "generation")
        })
    }

    fn unlinked_documents(&self, limit: usize) -> Result<Vec<PendingDocument>, StoreError> {
        self.read("listing unlinked documents", |c| {
            link_rows::unlinked(c, limit)
        })
    }

    fn story_posting(&self, key: &str, cap: usize) -> Result<Vec<String>, StoreError> {
        self.read("reading a story posting", |c| {
            link_rows::story_posting(c, key, cap)
        })
    }

    fn key_stats(&self, keys: &[String]) -> Result<(u64, Vec<u64>), StoreError> {
        self.read("reading key statistics", |c| link_rows::key_stats(c, keys))
    }

    fn story(&self, id: &str) -> Result<Option<StoryRow>, StoreError> {
        self.read("reading a story", |c| link_rows::story(c, id))
    }

    fn story_profile(&self, id: &str) -> Result<Option<StoryRow>, StoreError> {
        self.read("reading a story's profile", |c| {
            link_rows::story_profile(c, id)
        })
    }

    fn story_of_document(&self, doc_id: &str) -> Result<Option<String>, StoreError> {
        self.read("reading a document's story", |c| {
            link_rows::story_of_document(c, doc_id)
        })
    }

    fn stories(&self, filter: &StoryFilter) -> Result<Vec<StoryRow>, StoreError> {
        self.read("listing stories", |c| link_rows::stories(c, filter))
    }

    fn story_documents(
        &self,
        story_id: &str,
        limit: Option<usize>,
    ) -> Result<Vec<StoryDocumentRow>, StoreError> {
        self.read("listing a story's documents", |c| {
            link_rows::story_documents(c, story_id, limit)
        })
    }

    fn story_merges(&self) -> Result<Vec<StoryMergeRow>, StoreError> {
        self.read("listing story merges", link_rows::story_merges)
    }

    fn story_top(&self, story_id: &str, limit: usize) -> Result<StoryTop, StoreError> {
        self.read("reading a story's actors and places", |c| {
            link_rows::story_top(c, story_id, limit)
        })
    }

    fn story_places(&self, story_id: &str, limit: usize) -> Result<Vec<Counted>, StoreError> {
        self.read("counting a story's places", |c| {
            link_rows::story_places(c, story_id, limit)
        })
    }

    fn merged_event_candidates(
        &self,
        story_id: &str,
        cap: usize,
    ) -> Result<MergedEventCandidates, StoreError> {
        self.read("finding candidate merged events", |c| {
            link_rows::merged_event_candidates(c, story_id, cap)
        })
    }

    fn merged_events(&self, filter: &MergedEventFilter) -> Result<Vec<MergedEventRow>, StoreError> {
        self.read("listing merged events", |c| {
            link_rows::merged_events(c, filter)
        })
    }

    fn story_event_count(&self, story_id: &str) -> Result<u64, StoreError> {
        self.read("counting a story's merged events", |c| {
            link_rows::story_event_count(c, story_id)
        })
    }

    fn merged_event_mentions(
        &self,
        merged_id: &str,
        limit: Option<usize>,
    ) -> Result<Vec<EventMentionRow>, StoreError> {
        self.read("listing a merged event's mentions", |c| {
            link_rows::event_mentions(c, merged_id, limit)
        })
    }

    fn merged_event_mentions_of(
        &self,
        ids: &[String],
        limit: Option<usize>,
    ) -> Result<std::collections::HashMap<String, Vec<EventMentionRow>>, StoreError> {
        self.read("listing merged events' mentions", |c| {
            link_rows::event_mentions_of(c, ids, limit)
        })
    }

    fn document_merged_events(&self, doc_id: &str) -> Result<Vec<(usize, String)>, StoreError> {
        self.read("reading a document's merged events", |c| {
            link_rows::document_event_mentions(c, doc_id)
        })
    }

    fn entity_candidates(
        &self,
        keys: &[String],
        cap: usize,
    ) -> Result<EntityCandidates, StoreError> {
        self.read("finding candidate entities", |c| {
            link_rows::entity_candidates(c, keys, cap)
        })
    }

    fn entities(&self, filter: &EntityFilter) -> Result<Vec<EntityRow>, StoreError> {
        self.read("listing entities", |c| link_rows::entities(c, filter))
    }

    fn entity_mentions(&self, doc_id: &str) -> Result<Vec<EntityMentionRow>, StoreError> {
        self.read("listing a document's entities", |c| {
            link_rows::entity_mentions(c, doc_id)
        })
    }

    fn statement_candidates(
        &self,
        story_id: &str,
        speaker_key: &str,
        cap: usize,
    ) -> Result<Vec<StatementRow>, StoreError> {
        self.read("finding candidate statements", |c| {
            link_rows::statement_candidates(c, story_id, speaker_key, cap)
        })
    }

    fn statements(&self, story_id: Option<&str>) -> Result<Vec<StatementRow>, StoreError> {
        self.read("listing statements", |c| link_rows::statements(c, story_id))
    }

    fn story_claims(&self, story_id: &str) -> Result<Vec<StoryClaim>, StoreError> {
        self.read("listing a story's claims", |c| {
            link_rows::story_claims(c, story_id)
        })
    }

    fn date_corrections(&self, story_id: Option<&str>) -> Result<Vec<DateCorrection>, StoreError> {
        self.read("listing date corrections", |c| {
            link_rows::date_corrections(c, story_id)
        })
    }

    fn link_counts(&self) -> Result<LinkCounts, StoreError> {
        self.read("counting links", link_rows::counts)
    }

    fn optimize(&mut self) -> Result<(), StoreError> {
        if self.read_only {
            return Ok(());
        }
        self.read("refreshing statistics", |c| c.batch_execute("ANALYZE"))
    }

    fn change_counter(&self) -> Result<i64, StoreError> {
        PgStore::change_counter(self)
    }

    fn schema_version(&self) -> Result<i64, StoreError> {
        PgStore::schema_version(self)
    }

    fn interrupter(&self) -> Option<Interrupter> {
        let cancel = self.cancel.clone();
        Some(Interrupter::new(move || {
            let token = cancel.lock().ok().map(|t| t.clone());
            if let Some(token) = token {
                // Nothing to tell: the interrupted query reports its own error.
                let _ = token.cancel_query(NoTls);
            }
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacted_names_host_port_and_database_only() {
        for (url, want) in [
            (
                "postgres://chronicle:s3cret@db.example.org:6543/news",
                "db.example.org:6543/news",
            ),
            (
                "postgresql://u:pw@127.0.0.1/rec?sslmode=disable",
                "127.0.0.1:5432/rec",
            ),
            ("postgres://alice@localhost", "localhost:5432/alice"),
            (
                "host=db port=5433 user=u password=hunter22 dbname=x",
                "db:5433/x",
            ),
            // Not parseable (a bad port): only what follows the credentials.
            ("postgres://u:top:secret@h:notaport/db", "h:notaport/db"),
            (
                "not a url at all password=abc",
                "(a PostgreSQL connection string that does not parse)",
            ),
        ] {
            let r = redacted(url);
            assert_eq!(r, want, "{url}");
            for secret in ["s3cret", "pw", "hunter22", "top:secret", "secret", "abc"] {
                assert!(!r.contains(secret), "{r}");
            }
        }
    }

    #[test]
    fn passwords_are_found_and_scrubbed() {
        assert_eq!(
            password_of("postgres://u:s3cret@h/db").as_deref(),
            Some("s3cret")
        );
        assert_eq!(
            password_of("postgres://u:top:secret@h:notaport/db").as_deref(),
            Some("top:secret")
        );
        assert_eq!(
            password_of("host=h password=hunter22").as_deref(),
            Some("hunter22")
        );
        assert_eq!(password_of("postgres://u@h/db"), None);
        assert_eq!(
            scrub(Some("s3cret"), "bad s3cret here".into()),
            "bad *** here"
        );
    }

    #[test]
    fn an_unparseable_url_is_an_error_without_the_password() {
        let e = PgStore::connect("postgres://u:s3cret@h:notaport/db")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(e.contains("h:notaport/db"), "{e}");
        assert!(!e.contains("s3cret"), "{e}");
    }
}
