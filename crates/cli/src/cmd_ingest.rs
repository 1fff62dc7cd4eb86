//! `chronicle ingest`: read → clean → link duplicates → store, in batches.

use crate::output;
use crate::FieldArgs;
use anyhow::Context;
use chronicle_core::Document;
use chronicle_ingest::{IngestOptions, LineStats};
use chronicle_link::{NearDuplicateIndex, Signature};
use chronicle_store::{DuplicateLink, NewDocument, PutOutcome, SqliteStore, Store};
use rayon::prelude::*;
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Documents per transaction: large enough to amortize commits, small enough that a
/// killed ingest loses at most a few seconds of work.
const BATCH: usize = 256;

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
}

pub fn ingest_paths(
    store: &mut SqliteStore,
    paths: &[PathBuf],
    opts: &IngestOptions,
    show_progress: bool,
) -> anyhow::Result<IngestReport> {
    let started = std::time::Instant::now();
    let (files, walk_errors) = chronicle_ingest::collect_inputs(paths);
    let mut report = IngestReport {
        files: files.len(),
        ..Default::default()
    };
    report
        .failures
        .extend(walk_errors.iter().map(ToString::to_string));

    let mut index = NearDuplicateIndex::new();
    for (id, bytes) in store
        .fingerprints()
        .context("reading stored fingerprints")?
    {
        if let Some(sig) = Signature::from_bytes(&bytes) {
            index.insert(id, sig);
        }
    }
    let stats = LineStats::default();
    let bar = output::progress_bar(files.len() as u64, show_progress);
    let mut pending: Vec<NewDocument> = Vec::new();

    for file in &files {
        bar.set_message(file.display().to_string());
        report.bytes += std::fs::metadata(file).map(|m| m.len()).unwrap_or(0);
        match chronicle_ingest::read_file(file, opts, &stats) {
            Err(e) => report.failures.push(e.to_string()),
            Ok(records) => {
                for rec in records {
                    match rec {
                        Err(e) => report.failures.push(e.to_string()),
                        Ok(doc) => {
                            report.documents_read += 1;
                            let nd = prepare(doc, &mut index, store)?;
                            pending.push(nd);
                            // Flush inside a file too: one CSV or WARC can hold
                            // thousands of articles, and memory must stay bounded
                            // and work must land progressively.
                            if pending.len() >= BATCH {
                                flush(store, &mut pending, &mut report)?;
                            }
                        }
                    }
                }
            }
        }
        bar.inc(1);
    }
    flush(store, &mut pending, &mut report)?;
    bar.finish_and_clear();
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}

fn flush(
    store: &mut SqliteStore,
    pending: &mut Vec<NewDocument>,
    report: &mut IngestReport,
) -> anyhow::Result<()> {
    if pending.is_empty() {
        return Ok(());
    }
    // Annotation is per document and deterministic, so it runs on all cores; the
    // reading and cleaning before it stays sequential to keep boilerplate statistics
    // (and so the output) independent of thread timing.
    pending
        .par_iter_mut()
        .for_each(|nd| crate::pipeline::annotate(&mut nd.doc));
    let outcomes = store
        .put_batch(pending)
        .context("writing a batch to the database")?;
    for (nd, outcome) in pending.iter().zip(outcomes) {
        match outcome {
            PutOutcome::Inserted => {
                report.inserted += 1;
                report.inserted_ids.push(nd.doc.id.clone());
                if let Some(l) = &nd.duplicate_of {
                    report.near_duplicates.push(l.clone());
                }
            }
            PutOutcome::AlreadyStored => report.already_stored += 1,
        }
    }
    pending.clear();
    Ok(())
}

/// Fingerprints the document and links it to a near-duplicate already seen.
fn prepare(
    doc: Document,
    index: &mut NearDuplicateIndex,
    store: &SqliteStore,
) -> anyhow::Result<NewDocument> {
    let sig = Signature::of_text(&doc.text);
    let mut duplicate_of = None;
    let exact = store
        .contains(&doc.id)
        .context("checking for a stored copy")?;
    if !exact {
        if let Some((other, jaccard)) = index.nearest(&sig) {
            if other != doc.id {
                duplicate_of = Some(DuplicateLink {
                    doc_id: doc.id.clone(),
                    other_id: other.to_string(),
                    kind: "near".into(),
                    similarity: jaccard,
                });
            }
        }
        if duplicate_of.is_none() {
            index.insert(doc.id.clone(), sig.clone());
        }
    }
    Ok(NewDocument {
        doc,
        fingerprint: Some(sig.to_bytes()),
        duplicate_of,
    })
}

pub fn run(
    db: &Path,
    paths: &[PathBuf],
    max_bytes: u64,
    fields: &FieldArgs,
    json: bool,
) -> anyhow::Result<ExitCode> {
    let mut store = SqliteStore::open(db)?;
    let opts = IngestOptions {
        max_bytes,
        fields: fields.to_map(),
    };
    let report = ingest_paths(&mut store, paths, &opts, !json)?;
    if json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print_report(&report, db);
    }
    Ok(if report.failures.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

pub fn print_report(report: &IngestReport, db: &Path) {
    let secs = report.seconds.max(1e-9);
    println!(
        "{} files, {} documents read: {} stored, {} already stored, {} near-duplicates linked, {} failed ({:.1} docs/s, {:.2} MB/s) → {}",
        report.files,
        report.documents_read,
        report.inserted,
        report.already_stored,
        report.near_duplicates.len(),
        report.failures.len(),
        report.documents_read as f64 / secs,
        report.bytes as f64 / 1e6 / secs,
        db.display()
    );
    for l in &report.near_duplicates {
        println!(
            "  near-duplicate: {} ≈ {} (similarity {:.2})",
            l.doc_id, l.other_id, l.similarity
        );
    }
    for f in &report.failures {
        eprintln!("  failed: {f}");
    }
}
