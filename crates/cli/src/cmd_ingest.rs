//! `chronicle ingest`: read → clean → skip what is stored → annotate → link
//! near-duplicates → store, in batches.
//!
//! Work is done once: a document's id is its content hash, known right after
//! reading, so a document already stored (or repeated within the run) only gets
//! its new source location recorded and is never annotated again. A killed ingest
//! therefore redoes at most the batch it was writing.

use crate::FieldArgs;
use anyhow::Context;
use chronicle_ingest::{IngestError, IngestOptions, LineStats};
use chronicle_link::{NearDuplicateIndex, Signature};
use chronicle_store::{
    DuplicateLink, NewDocument, NewSource, PutOutcome, SqliteStore, Store, StoreError, WaitNotice,
    WriterOptions,
};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, HashSet};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

/// Documents per transaction: large enough to amortize commits, small enough that a
/// killed ingest loses at most a few seconds of work.
const BATCH: usize = 256;
/// Source locations of skipped documents per transaction: cheap rows, so more.
const SOURCE_BATCH: usize = 4096;
/// How many unread inputs an interrupted ingest names before "… and N more".
const NAMED_INPUTS: usize = 20;

#[derive(clap::Args, Clone)]
pub struct IngestArgs {
    /// Files and folders to read (folders recursively).
    #[arg(required_unless_present = "upgrade")]
    pub paths: Vec<PathBuf>,
    /// Refuse input files larger than this many bytes.
    #[arg(long, default_value_t = chronicle_ingest::DEFAULT_MAX_BYTES)]
    pub max_bytes: u64,
    #[command(flatten)]
    pub fields: FieldArgs,
    /// Print the ingest report as JSON.
    #[arg(long)]
    pub json: bool,
    /// When another process is writing to the database, wait this many seconds for
    /// it (batches interleave), then stop; what was stored stays stored.
    #[arg(long, value_name = "SECONDS", default_value_t = 600)]
    pub wait: u64,
    /// Annotation time allowed per document; a document over it is reported as
    /// failed and not stored, and the batch goes on.
    #[arg(long, value_name = "SECONDS", default_value_t = 30.0)]
    pub doc_budget: f64,
    /// List every near-duplicate and every failed input on its own line (the
    /// default groups them with counts).
    #[arg(long)]
    pub verbose: bool,
    /// Only bring the database to this version's schema (back-filling new tables),
    /// then stop.
    #[arg(long)]
    pub upgrade: bool,
}

/// Failed inputs that share one reason.
#[derive(Debug, Clone, Serialize)]
pub struct FailureGroup {
    pub reason: String,
    pub count: usize,
    /// The first input that failed this way.
    pub first: String,
}

#[derive(Debug, Default, Serialize)]
pub struct IngestReport {
    pub files: usize,
    pub documents_read: usize,
    pub inserted: usize,
    pub already_stored: usize,
    pub near_duplicates: Vec<DuplicateLink>,
    pub failures: Vec<String>,
    pub inserted_ids: Vec<String>,
    pub seconds: f64,
    pub bytes: u64,
    /// Documents found stored (or repeated in this run) before annotation: only
    /// their source location was recorded. Part of `already_stored`.
    pub skipped_before_annotation: usize,
    /// Documents annotated in this run.
    pub annotated: usize,
    /// Documents whose annotation ran over `--doc-budget` (also in `failures`).
    pub over_budget: usize,
    /// `failures` grouped by reason, most frequent first.
    pub failure_groups: Vec<FailureGroup>,
    /// Why the run stopped early (the write lock stayed taken), if it did.
    pub stopped: Option<String>,
    /// Inputs not stored because the run stopped early.
    pub not_stored: Vec<String>,
}

/// Where a queued document or source came from, for progress and for naming what
/// was not stored.
struct Origin {
    input: String,
    /// This record's share of its file's bytes, for the progress bar.
    bytes: f64,
}

struct Run<'a> {
    store: &'a mut SqliteStore,
    report: IngestReport,
    index: NearDuplicateIndex,
    indexed: HashSet<String>,
    cursor: i64,
    /// Ids queued or stored in this run: a repeat is never annotated twice.
    seen: HashSet<String>,
    docs: Vec<NewDocument>,
    doc_origins: Vec<Origin>,
    sources: Vec<NewSource>,
    source_origins: Vec<Origin>,
    budget: Duration,
    bar: ProgressBar,
    done_bytes: f64,
}

fn progress_bar(total_bytes: u64, enabled: bool) -> ProgressBar {
    if !enabled || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(total_bytes);
    bar.set_draw_target(ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template(
        "{bar:30} {bytes}/{total_bytes} {elapsed_precise} ETA {eta} {wide_msg}",
    ) {
        bar.set_style(style);
    }
    bar
}

/// The input a document came from: `path [record]`.
fn input_name(doc: &chronicle_core::Document) -> String {
    match &doc.source.record {
        Some(r) => format!("{} [{r}]", doc.source.path),
        None => doc.source.path.clone(),
    }
}

/// A failure's reason without the input's name (so the same reason groups), and
/// the input's name.
fn failure_parts(e: &IngestError) -> (String, String) {
    let line = e.to_string();
    let reason = match e {
        IngestError::Record { reason, .. } => reason.clone(),
        _ => match line.split_once(": ") {
            Some((_, reason)) => reason.to_string(),
            None => line.clone(),
        },
    };
    let input = line
        .strip_suffix(reason.as_str())
        .map(|i| i.trim_end_matches([':', ' ']).to_string())
        .unwrap_or_else(|| line.clone());
    (reason, input)
}

fn fail_ingest(run: &mut Run<'_>, e: &IngestError, groups: &mut BTreeMap<String, FailureGroup>) {
    let (reason, input) = failure_parts(e);
    run.fail(e.to_string(), reason, input, groups);
}

impl Run<'_> {
    /// Records a failure: `line` is what `--verbose` prints, `reason` the key that
    /// groups it with others, `input` the file or record named in the group line.
    fn fail(
        &mut self,
        line: String,
        reason: String,
        input: String,
        groups: &mut BTreeMap<String, FailureGroup>,
    ) {
        groups
            .entry(reason.clone())
            .and_modify(|g| g.count += 1)
            .or_insert(FailureGroup {
                reason,
                count: 1,
                first: input,
            });
        self.report.failures.push(line);
    }

    fn advance(&mut self, bytes: f64) {
        self.done_bytes += bytes;
        self.bar.set_position(self.done_bytes as u64);
        let r = &self.report;
        self.bar.set_message(format!(
            "{} documents: {} stored, {} skipped, {} failed",
            r.documents_read,
            r.inserted,
            r.already_stored,
            r.failures.len()
        ));
    }

    /// Queues one document read from input: as a source location when its content
    /// is already stored or queued, else for annotation.
    fn queue(&mut self, doc: chronicle_core::Document, bytes: f64) -> anyhow::Result<()> {
        self.report.documents_read += 1;
        let origin = Origin {
            input: input_name(&doc),
            bytes,
        };
        let known = self.seen.contains(&doc.id)
            || self
                .store
                .contains(&doc.id)
                .context("checking for a stored copy")?;
        if known {
            self.report.skipped_before_annotation += 1;
            self.seen.insert(doc.id.clone());
            self.sources.push(NewSource {
                doc_id: doc.id,
                source: doc.source,
            });
            self.source_origins.push(origin);
        } else {
            self.seen.insert(doc.id.clone());
            let fingerprint = Some(Signature::of_text(&doc.text).to_bytes());
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

    /// Annotates the queued documents (all cores) and stores them with the queued
    /// source locations in one transaction. A `Busy` store error is returned as is,
    /// with the batch still queued, so the caller can name what was not stored.
    fn flush(&mut self, groups: &mut BTreeMap<String, FailureGroup>) -> Result<(), StoreError> {
        if self.docs.is_empty() && self.sources.is_empty() {
            return Ok(());
        }
        // Annotation is per document and deterministic, so it runs on all cores; the
        // reading and cleaning before it stays sequential to keep boilerplate
        // statistics (and so the output) independent of thread timing.
        let budget = self.budget;
        let results: Vec<Result<(), crate::pipeline::OverBudget>> = self
            .docs
            .par_iter_mut()
            .map(|nd| crate::pipeline::annotate_within(&mut nd.doc, budget))
            .collect();
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
                    let reason = format!(
                        "annotation ran over the {} s budget; not stored (raise it with --doc-budget)",
                        budget.as_secs_f64()
                    );
                    self.fail(
                        format!("{}: {reason} ({over})", origin.input),
                        reason,
                        origin.input.clone(),
                        groups,
                    );
                    self.advance(origin.bytes);
                }
            }
        }
        self.docs = kept;
        self.doc_origins = kept_origins;
        let (index, indexed) = (&mut self.index, &mut self.indexed);
        let outcome = self.store.put_batch_linked(
            &mut self.docs,
            &self.sources,
            &mut self.cursor,
            &mut |stored, docs| link(index, indexed, stored, docs),
        )?;
        let docs = std::mem::take(&mut self.docs);
        let origins = std::mem::take(&mut self.doc_origins);
        for ((nd, origin), result) in docs.iter().zip(origins).zip(outcome.documents) {
            match result {
                PutOutcome::Inserted => {
                    self.report.inserted += 1;
                    self.report.inserted_ids.push(nd.doc.id.clone());
                    if let Some(l) = &nd.duplicate_of {
                        self.report.near_duplicates.push(l.clone());
                    }
                }
                PutOutcome::AlreadyStored => self.report.already_stored += 1,
            }
            self.advance(origin.bytes);
        }
        self.sources.clear();
        let origins = std::mem::take(&mut self.source_origins);
        for (origin, recorded) in origins.into_iter().zip(outcome.sources) {
            if recorded {
                self.report.already_stored += 1;
            } else {
                let reason =
                    "same content as an earlier input that was not stored (see its failure)"
                        .to_string();
                self.fail(
                    format!("{}: {reason}", origin.input),
                    reason,
                    origin.input.clone(),
                    groups,
                );
            }
            self.advance(origin.bytes);
        }
        Ok(())
    }
}

/// Links each new document to the most similar original stored or queued before it,
/// after adding what other writers stored since the last look: called inside the
/// write transaction, so two interleaved ingests link against the same record.
fn link(
    index: &mut NearDuplicateIndex,
    indexed: &mut HashSet<String>,
    stored: &[(String, Vec<u8>)],
    docs: &mut [NewDocument],
) {
    for (id, bytes) in stored {
        if let Some(sig) = Signature::from_bytes(bytes) {
            if indexed.insert(id.clone()) {
                index.insert(id.clone(), sig);
            }
        }
    }
    for nd in docs {
        nd.duplicate_of = None;
        let Some(sig) = nd.fingerprint.as_deref().and_then(Signature::from_bytes) else {
            continue;
        };
        if let Some((other, jaccard)) = index.nearest(&sig) {
            if other != nd.doc.id {
                nd.duplicate_of = Some(DuplicateLink {
                    doc_id: nd.doc.id.clone(),
                    other_id: other.to_string(),
                    kind: "near".into(),
                    similarity: jaccard,
                });
                continue;
            }
        }
        if indexed.insert(nd.doc.id.clone()) {
            index.insert(nd.doc.id.clone(), sig);
        }
    }
}

/// What `ingest_paths_with` needs beyond the inputs.
pub struct Settings {
    pub show_progress: bool,
    pub doc_budget: Duration,
}

pub fn ingest_paths(
    store: &mut SqliteStore,
    paths: &[PathBuf],
    opts: &IngestOptions,
    show_progress: bool,
) -> anyhow::Result<IngestReport> {
    ingest_paths_with(
        store,
        paths,
        opts,
        &Settings {
            show_progress,
            doc_budget: Duration::from_secs(30),
        },
    )
}

pub fn ingest_paths_with(
    store: &mut SqliteStore,
    paths: &[PathBuf],
    opts: &IngestOptions,
    settings: &Settings,
) -> anyhow::Result<IngestReport> {
    let started = std::time::Instant::now();
    let (files, walk_errors) = chronicle_ingest::collect_inputs(paths);
    let sizes: Vec<u64> = files
        .iter()
        .map(|f| std::fs::metadata(f).map(|m| m.len()).unwrap_or(0))
        .collect();
    let mut run = Run {
        store,
        report: IngestReport {
            files: files.len(),
            ..Default::default()
        },
        index: NearDuplicateIndex::new(),
        indexed: HashSet::new(),
        cursor: 0,
        seen: HashSet::new(),
        docs: Vec::new(),
        doc_origins: Vec::new(),
        sources: Vec::new(),
        source_origins: Vec::new(),
        budget: settings.doc_budget,
        bar: progress_bar(sizes.iter().sum(), settings.show_progress),
        done_bytes: 0.0,
    };
    let mut groups: BTreeMap<String, FailureGroup> = BTreeMap::new();
    for e in &walk_errors {
        fail_ingest(&mut run, e, &mut groups);
    }
    let stats = LineStats::default();
    let mut stopped: Option<(StoreError, usize)> = None;
    'files: for (i, file) in files.iter().enumerate() {
        run.report.bytes += sizes[i];
        match chronicle_ingest::read_file(file, opts, &stats) {
            Err(e) => {
                fail_ingest(&mut run, &e, &mut groups);
                run.advance(sizes[i] as f64);
            }
            Ok(records) => {
                let share = sizes[i] as f64 / records.len().max(1) as f64;
                if records.is_empty() {
                    run.advance(sizes[i] as f64);
                }
                for rec in records {
                    match rec {
                        Err(e) => {
                            fail_ingest(&mut run, &e, &mut groups);
                            run.advance(share);
                        }
                        Ok(doc) => {
                            run.queue(doc, share)?;
                            // Flush inside a file too: one CSV or WARC can hold
                            // thousands of articles, and memory must stay bounded
                            // and work must land progressively.
                            if run.full() {
                                if let Err(e) = run.flush(&mut groups) {
                                    stopped = Some((e, i + 1));
                                    break 'files;
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    if stopped.is_none() {
        if let Err(e) = run.flush(&mut groups) {
            stopped = Some((e, files.len()));
        }
    }
    run.bar.finish_and_clear();
    if stopped.is_none() && run.report.inserted > 0 {
        // Only statistics: a failure here loses nothing, so it does not fail the run.
        let _ = run.store.optimize();
    }
    let mut report = run.report;
    if let Some((e, next_file)) = stopped {
        if !matches!(e, StoreError::Busy { .. }) {
            return Err(e).context("writing a batch to the database");
        }
        report.stopped = Some(e.to_string());
        report.not_stored = run
            .doc_origins
            .iter()
            .chain(run.source_origins.iter())
            .map(|o| o.input.clone())
            .chain(files[next_file..].iter().map(|f| f.display().to_string()))
            .collect();
    }
    let mut groups: Vec<FailureGroup> = groups.into_values().collect();
    groups.sort_by(|a, b| b.count.cmp(&a.count).then(a.reason.cmp(&b.reason)));
    report.failure_groups = groups;
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}

/// Opens the database for ingest: refuses a damaged one, tells the user once when
/// it has to wait for another writer.
fn open_writer(db: &Path, wait: Duration) -> anyhow::Result<SqliteStore> {
    let mut told = false;
    let on_wait = move |n: &WaitNotice| {
        if !told {
            told = true;
            eprintln!(
                "database {} is busy (another process is writing to it); waiting up to {} s (--wait)",
                n.path,
                n.max_wait.as_secs()
            );
        }
    };
    Ok(SqliteStore::open_writer(
        db,
        WriterOptions {
            max_wait: wait,
            on_wait: Some(Box::new(on_wait)),
        },
    )?)
}

pub fn run(db: &Path, args: &IngestArgs) -> anyhow::Result<ExitCode> {
    let mut store = open_writer(db, Duration::from_secs(args.wait))?;
    if args.upgrade && args.paths.is_empty() {
        writeln!(
            std::io::stdout().lock(),
            "database {} is at schema version {}",
            db.display(),
            store.schema_version()?
        )?;
        return Ok(ExitCode::SUCCESS);
    }
    let opts = IngestOptions {
        max_bytes: args.max_bytes,
        fields: args.fields.to_map(),
    };
    let budget = Duration::try_from_secs_f64(args.doc_budget)
        .ok()
        .filter(|d| !d.is_zero())
        .context("--doc-budget must be a positive number of seconds")?;
    let report = ingest_paths_with(
        &mut store,
        &args.paths,
        &opts,
        &Settings {
            show_progress: !args.json,
            doc_budget: budget,
        },
    )?;
    if args.json {
        let mut out = std::io::stdout().lock();
        writeln!(out, "{}", serde_json::to_string_pretty(&report)?)?;
    } else {
        write_report(&mut std::io::stdout().lock(), &report, db, args.verbose)?;
    }
    if let Some(reason) = &report.stopped {
        eprintln!("error: stopped early: {reason}.");
        eprintln!(
            "  Everything stored before this is kept ({} documents stored in this run). Not stored: {} input(s):",
            report.inserted,
            report.not_stored.len()
        );
        for input in report.not_stored.iter().take(NAMED_INPUTS) {
            eprintln!("    {input}");
        }
        if report.not_stored.len() > NAMED_INPUTS {
            eprintln!("    … and {} more", report.not_stored.len() - NAMED_INPUTS);
        }
        eprintln!(
            "  Run the same ingest again to store them (stored documents are skipped, not redone)."
        );
        return Ok(ExitCode::from(1));
    }
    Ok(if report.failures.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

pub fn print_report(report: &IngestReport, db: &Path) {
    // The demo's summary: a closed stdout there has nothing left to tell.
    let _ = write_report(&mut std::io::stdout().lock(), report, db, false);
}

/// The summary line, then near-duplicates and failures: one line per item with
/// `verbose`, else counted (grouped by reason for failures). Failures go to stderr.
pub fn write_report(
    out: &mut impl Write,
    report: &IngestReport,
    db: &Path,
    verbose: bool,
) -> std::io::Result<()> {
    let secs = report.seconds.max(1e-9);
    writeln!(
        out,
        "{} files, {} documents read: {} stored, {} already stored ({} skipped before annotation), {} near-duplicates linked, {} failed ({:.1} docs/s, {:.2} MB/s) → {}",
        report.files,
        report.documents_read,
        report.inserted,
        report.already_stored,
        report.skipped_before_annotation,
        report.near_duplicates.len(),
        report.failures.len(),
        report.documents_read as f64 / secs,
        report.bytes as f64 / 1e6 / secs,
        db.display()
    )?;
    if verbose {
        for l in &report.near_duplicates {
            writeln!(
                out,
                "  near-duplicate: {} ≈ {} (similarity {:.2})",
                l.doc_id, l.other_id, l.similarity
            )?;
        }
        for f in &report.failures {
            eprintln!("  failed: {f}");
        }
        return Ok(());
    }
    if !report.near_duplicates.is_empty() {
        writeln!(
            out,
            "  {} near-duplicates linked to an earlier document (--verbose lists them; `chronicle documents` shows near-dup-of)",
            report.near_duplicates.len()
        )?;
    }
    for g in &report.failure_groups {
        if g.count == 1 {
            eprintln!("  failed: {}: {}", g.first, g.reason);
        } else {
            eprintln!(
                "  failed ({}×): {} (first: {}; --verbose lists all)",
                g.count, g.reason, g.first
            );
        }
    }
    Ok(())
}
