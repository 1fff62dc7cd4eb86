//! One ingest run: read → clean → skip what is stored → annotate → link
//! near-duplicates → store, in batches, through the `Store` trait.
//!
//! Work is done once: a document's id is its content hash, known right after
//! reading, so a document already stored (or repeated within the run) only gets
//! its new source location recorded and is never annotated again. A killed run
//! therefore redoes at most the batch it was writing.

use crate::link::{fingerprint, link_batch};
use crate::link_pass::{link_pending, LinkReport, LinkSettings};
use crate::report::{Failures, IngestReport};
use crate::{EngineError, IngestEvent, IngestSettings, Progress};
use chronicle_core::Document;
use chronicle_ingest::LineStats;
use chronicle_store::{NewDocument, NewSource, PutOutcome, Store, StoreError};
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

/// Documents per transaction: large enough to amortize commits, small enough that a
/// killed ingest loses at most a few seconds of work.
const BATCH: usize = 256;
/// Source locations of skipped documents per transaction: cheap rows, so more.
const SOURCE_BATCH: usize = 4096;

/// Where a queued document or source came from, for progress and for naming what
/// was not stored.
struct Origin {
    input: String,
    /// This record's share of its file's bytes, for progress.
    bytes: f64,
}

struct Run<'a> {
    store: &'a mut dyn Store,
    report: IngestReport,
    failures: Failures,
    /// Ids queued since the last stored batch (a later copy of a stored one is
    /// found in the store, so the run keeps no set of every id read): a repeat
    /// is never annotated twice.
    seen: HashSet<String>,
    /// Ids that failed annotation in this run (not stored): a repeat is a
    /// failure naming the first, not annotated again.
    failed_ids: HashSet<String>,
    docs: Vec<NewDocument>,
    doc_origins: Vec<Origin>,
    sources: Vec<NewSource>,
    source_origins: Vec<Origin>,
    settings: &'a IngestSettings,
    on_event: &'a mut dyn FnMut(&IngestEvent),
    done_bytes: f64,
    link: &'a LinkSettings,
    link_report: LinkReport,
    /// Why linking stopped for this run (the store stayed busy), if it did.
    link_stopped: Option<String>,
    /// Documents just stored, in hand for linking (not read back).
    fresh: HashMap<String, Document>,
    /// This run's own annotation threads, when the settings ask for a number.
    pool: Option<rayon::ThreadPool>,
    /// The input is documents annotated elsewhere (`ingest --from-jsonl`):
    /// stored as they come, never annotated again.
    annotated_input: bool,
}

/// The input a document came from: `path [record]`.
fn input_name(doc: &Document) -> String {
    match &doc.source.record {
        Some(r) => format!("{} [{r}]", doc.source.path),
        None => doc.source.path.clone(),
    }
}

impl Run<'_> {
    fn advance(&mut self, bytes: f64) {
        self.done_bytes += bytes;
        let r = &self.report;
        (self.on_event)(&IngestEvent::Progress(Progress {
            done_bytes: self.done_bytes as u64,
            documents_read: r.documents_read,
            inserted: r.inserted,
            already_stored: r.already_stored,
            failed: r.failures.len(),
        }));
    }

    /// Queues one document read from input: as a source location when its content
    /// is already stored or queued, else for annotation.
    fn queue(&mut self, doc: Document, bytes: f64) -> Result<(), EngineError> {
        self.report.documents_read += 1;
        let origin = Origin {
            input: input_name(&doc),
            bytes,
        };
        let known = self.seen.contains(&doc.id)
            || self.failed_ids.contains(&doc.id)
            || self
                .store
                .contains(&doc.id)
                .map_err(|source| EngineError::Store {
                    doing: "checking for a stored copy",
                    source,
                })?;
        self.seen.insert(doc.id.clone());
        if known {
            self.report.skipped_before_annotation += 1;
            self.sources.push(NewSource {
                doc_id: doc.id,
                source: doc.source,
            });
            self.source_origins.push(origin);
        } else {
            let fingerprint = Some(fingerprint(&doc.text));
            self.docs.push(NewDocument {
                doc,
                fingerprint,
                duplicate_of: None,
            });
            self.doc_origins.push(origin);
        }
        Ok(())
    }

    fn full(&self) -> bool {
        self.docs.len() >= BATCH || self.sources.len() >= SOURCE_BATCH
    }

    /// Annotates the queued documents (all cores), dropping those over budget as
    /// failures.
    fn annotate_queued(&mut self) {
        if self.annotated_input {
            self.report.preannotated += self.docs.len();
            return;
        }
        // Annotation is per document and deterministic, so it runs on all cores; the
        // reading and cleaning before it stays sequential to keep boilerplate
        // statistics (and so the output) independent of thread timing.
        let budget = self.settings.doc_budget;
        let docs = &mut self.docs;
        let mut annotate_all = move || -> Vec<Result<(), crate::OverBudget>> {
            docs.par_iter_mut()
                .map(|nd| crate::annotate_within(&mut nd.doc, budget))
                .collect()
        };
        let results = match &self.pool {
            Some(pool) => pool.install(annotate_all),
            None => annotate_all(),
        };
        let mut kept = Vec::with_capacity(self.docs.len());
        let mut kept_origins = Vec::with_capacity(self.docs.len());
        let queued = std::mem::take(&mut self.docs);
        let origins = std::mem::take(&mut self.doc_origins);
        for ((nd, origin), r) in queued.into_iter().zip(origins).zip(results) {
            match r {
                Ok(()) => {
                    self.report.annotated += 1;
                    kept.push(nd);
                    kept_origins.push(origin);
                }
                Err(over) => {
                    self.report.over_budget += 1;
                    self.failed_ids.insert(nd.doc.id.clone());
                    let reason = format!(
                        "annotation ran over the {} s budget; not stored (raise it with --doc-budget)",
                        budget.as_secs_f64()
                    );
                    self.failures.add(
                        &mut self.report,
                        format!("{}: {reason} ({over})", origin.input),
                        reason,
                        origin.input.clone(),
                    );
                    self.advance(origin.bytes);
                }
            }
        }
        self.docs = kept;
        self.doc_origins = kept_origins;
    }

    /// Annotates the queued documents and stores them with the queued source
    /// locations in one transaction. A store error is returned as is, with the
    /// batch still queued, so the caller can name what was not stored.
    fn flush(&mut self) -> Result<(), StoreError> {
        if self.docs.is_empty() && self.sources.is_empty() {
            return Ok(());
        }
        self.annotate_queued();
        let outcome =
            self.store
                .put_batch_linked(&mut self.docs, &self.sources, &mut link_batch)?;
        let docs = std::mem::take(&mut self.docs);
        let origins = std::mem::take(&mut self.doc_origins);
        for ((nd, origin), result) in docs.into_iter().zip(origins).zip(outcome.documents) {
            match result {
                PutOutcome::Inserted => {
                    self.report.inserted += 1;
                    self.report.inserted_ids.push(nd.doc.id.clone());
                    if let Some(l) = &nd.duplicate_of {
                        self.report.near_duplicates.push(l.clone());
                    }
                    if self.link.link {
                        self.fresh.insert(nd.doc.id.clone(), nd.doc);
                    }
                }
                PutOutcome::AlreadyStored => self.report.already_stored += 1,
            }
            self.advance(origin.bytes);
        }
        self.sources.clear();
        self.seen.clear();
        let origins = std::mem::take(&mut self.source_origins);
        for (origin, recorded) in origins.into_iter().zip(outcome.sources) {
            if recorded {
                self.report.already_stored += 1;
            } else {
                let reason =
                    "same content as an earlier input that was not stored (see its failure)"
                        .to_string();
                self.failures.add(
                    &mut self.report,
                    format!("{}: {reason}", origin.input),
                    reason,
                    origin.input.clone(),
                );
            }
            self.advance(origin.bytes);
        }
        Ok(())
    }

    /// Links what is stored but not linked (this run's batches, and any left
    /// pending by an earlier run). A busy store stops linking for this run (the
    /// documents stay pending for the next ingest or `relink`); any other store
    /// failure fails the run.
    fn link_stored(&mut self) -> Result<(), EngineError> {
        if !self.link.link || self.link_stopped.is_some() {
            return Ok(());
        }
        match link_pending(
            &mut *self.store,
            &mut self.fresh,
            &mut self.link_report,
            &mut *self.on_event,
        ) {
            Ok(()) => Ok(()),
            Err(EngineError::Store {
                source: source @ StoreError::Busy { .. },
                ..
            }) => {
                self.fresh.clear();
                self.link_stopped = Some(source.to_string());
                Ok(())
            }
            Err(e) => Err(e),
        }
    }

    /// Reads one file and queues its documents, flushing full batches. A store
    /// error from a flush stops the run.
    fn read(&mut self, file: &std::path::Path, size: u64, stats: &LineStats) -> Result<(), Stop> {
        let records = match chronicle_ingest::read_records(file, &self.settings.read, stats) {
            Err(e) => {
                self.failures.add_ingest(&mut self.report, &e);
                self.advance(size as f64);
                return Ok(());
            }
            Ok(records) => records,
        };
        let count = records.len();
        let share = size as f64 / count.max(1) as f64;
        if count == 0 {
            self.advance(size as f64);
        }
        for rec in records {
            match rec {
                Err(e) => {
                    self.failures.add_ingest(&mut self.report, &e);
                    self.advance(share);
                }
                Ok(doc) => {
                    self.queue(doc, share).map_err(Stop::Failed)?;
                    // Flush inside a file too: one CSV or WARC can hold thousands
                    // of articles, and memory must stay bounded and work must land
                    // progressively.
                    if self.full() {
                        self.flush().map_err(Stop::Store)?;
                        release_free_memory();
                        self.link_stored().map_err(Stop::Failed)?;
                        release_free_memory();
                    }
                }
            }
        }
        Ok(())
    }
}

/// Why reading stopped before the last file.
/// Hands the allocator's free pages back to the system, after a batch is
/// stored and after it is linked. glibc keeps what a thread freed resident in
/// that thread's arena: the annotation threads' transients and the link
/// steps' reads left holes that added up over a long run (25,600 articles:
/// the main arena held 50 MB for 22 MB in use), so the peak grew with the
/// number of batches although what is live does not.
fn release_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns free pages of glibc's own heaps to the
    // kernel, under the arenas' locks; no live allocation is touched.
    unsafe {
        libc::malloc_trim(0);
    }
}

enum Stop {
    /// A batch could not be written (the batch stays queued).
    Store(StoreError),
    /// Any other store failure: the run fails.
    Failed(EngineError),
}

/// Ingests files and folders (folders recursively) into `store`. Returns the
/// report; a run stopped by a busy store is a report with `stopped` set and
/// `not_stored` naming what is left, while any other store failure is an error.
pub fn ingest_paths(
    store: &mut dyn Store,
    paths: &[PathBuf],
    settings: &IngestSettings,
    on_event: &mut dyn FnMut(&IngestEvent),
) -> Result<IngestReport, EngineError> {
    ingest_paths_with(store, paths, settings, &LinkSettings::default(), on_event)
}

/// [`ingest_paths`] with explicit link settings (`link: false` stores without
/// linking; the documents stay pending for a later run or `relink`).
pub fn ingest_paths_with(
    store: &mut dyn Store,
    paths: &[PathBuf],
    settings: &IngestSettings,
    link: &LinkSettings,
    on_event: &mut dyn FnMut(&IngestEvent),
) -> Result<IngestReport, EngineError> {
    let started = std::time::Instant::now();
    let (files, walk_errors) = chronicle_ingest::collect_inputs(paths);
    let sizes: Vec<u64> = files
        .iter()
        .map(|f| std::fs::metadata(f).map(|m| m.len()).unwrap_or(0))
        .collect();
    on_event(&IngestEvent::Started {
        files: files.len(),
        bytes: sizes.iter().sum(),
    });
    let mut run = Run::new(store, settings, link, on_event, false)?;
    run.report.files = files.len();
    for e in &walk_errors {
        run.failures.add_ingest(&mut run.report, e);
    }
    let stats = LineStats::default();
    let mut stopped: Option<(StoreError, usize)> = None;
    for (i, file) in files.iter().enumerate() {
        run.report.bytes += sizes[i];
        match run.read(file, sizes[i], &stats) {
            Ok(()) => {}
            Err(Stop::Failed(e)) => return Err(e),
            Err(Stop::Store(e)) => {
                stopped = Some((e, i + 1));
                break;
            }
        }
    }
    let unread = |next: usize| -> Vec<String> {
        files[next..]
            .iter()
            .map(|f| f.display().to_string())
            .collect()
    };
    let stopped = stopped.map(|(e, next)| (e, unread(next)));
    run.finish(stopped, started)
}

/// Stores documents annotated elsewhere (`chronicle annotate --jsonl` on
/// other machines, read back by `chronicle ingest --from-jsonl`) without
/// annotating them again, then links them like any ingest: the same batches,
/// skips of stored ids, near-duplicate links and report. `name` names the
/// input (a file, `-` for standard input); a bad line is a failure of its own.
pub fn ingest_documents(
    store: &mut dyn Store,
    name: &str,
    documents: &mut dyn Iterator<Item = Result<Document, chronicle_ingest::IngestError>>,
    settings: &IngestSettings,
    link: &LinkSettings,
    on_event: &mut dyn FnMut(&IngestEvent),
) -> Result<IngestReport, EngineError> {
    let started = std::time::Instant::now();
    on_event(&IngestEvent::Started { files: 1, bytes: 0 });
    let mut run = Run::new(store, settings, link, on_event, true)?;
    run.report.files = 1;
    let mut stopped = None;
    for doc in documents {
        match doc {
            Err(e) => {
                run.failures.add_ingest(&mut run.report, &e);
                run.advance(0.0);
            }
            Ok(doc) => {
                run.report.bytes += doc.text.len() as u64;
                run.queue(doc, 0.0)?;
                if run.full() {
                    if let Err(e) = run.flush() {
                        stopped = Some((e, vec![format!("{name}: the rest of the input")]));
                        break;
                    }
                    release_free_memory();
                    run.link_stored()?;
                    release_free_memory();
                }
            }
        }
    }
    run.finish(stopped, started)
}

impl<'a> Run<'a> {
    fn new(
        store: &'a mut dyn Store,
        settings: &'a IngestSettings,
        link: &'a LinkSettings,
        on_event: &'a mut dyn FnMut(&IngestEvent),
        annotated_input: bool,
    ) -> Result<Self, EngineError> {
        let pool = match settings.threads {
            None => None,
            Some(n) => Some(
                rayon::ThreadPoolBuilder::new()
                    .num_threads(n.get())
                    .build()
                    .map_err(|source| EngineError::Threads {
                        threads: n.get(),
                        source,
                    })?,
            ),
        };
        Ok(Run {
            store,
            report: IngestReport::default(),
            failures: Failures::default(),
            seen: HashSet::new(),
            failed_ids: HashSet::new(),
            docs: Vec::new(),
            doc_origins: Vec::new(),
            sources: Vec::new(),
            source_origins: Vec::new(),
            settings,
            on_event,
            done_bytes: 0.0,
            link,
            link_report: LinkReport::default(),
            link_stopped: None,
            fresh: HashMap::new(),
            pool,
            annotated_input,
        })
    }

    /// Stores what is queued, links, and writes the report. `stopped`: the
    /// store error that stopped reading, with the inputs left unread.
    fn finish(
        mut self,
        mut stopped: Option<(StoreError, Vec<String>)>,
        started: std::time::Instant,
    ) -> Result<IngestReport, EngineError> {
        if stopped.is_none() {
            if let Err(e) = self.flush() {
                stopped = Some((e, Vec::new()));
            }
        }
        if stopped.is_none() {
            self.link_stored()?;
        }
        (self.on_event)(&IngestEvent::Finished);
        if stopped.is_none() && self.report.inserted > 0 {
            // Only statistics: a failure here loses nothing, so it does not fail the run.
            let _ = self.store.optimize();
        }
        let mut report = self.report;
        if let Some((e, unread)) = stopped {
            if !matches!(e, StoreError::Busy { .. }) {
                return Err(EngineError::Store {
                    doing: "writing a batch to the database",
                    source: e,
                });
            }
            report.stopped = Some(e.to_string());
            report.not_stored = self
                .doc_origins
                .iter()
                .chain(self.source_origins.iter())
                .map(|o| o.input.clone())
                .chain(unread)
                .collect();
        }
        if self.link.link {
            report.link = Some(self.link_report);
            report.link_stopped = self.link_stopped;
        }
        report.failure_groups = self.failures.into_sorted();
        report.seconds = started.elapsed().as_secs_f64();
        Ok(report)
    }
}
