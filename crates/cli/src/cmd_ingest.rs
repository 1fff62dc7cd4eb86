//! `chronicle ingest`: arguments, progress bar, report and exit code around the
//! engine's ingest run (`chronicle_engine::ingest_paths`), which does the work:
//! read → clean → skip what is stored → annotate → link near-duplicates → store
//! → link across documents (stories, merged events, entities, story dates).

use crate::FieldArgs;
use anyhow::Context;
use chronicle_engine::{
    IngestEvent, IngestOptions, IngestReport, IngestSettings, LinkReport, LinkSettings,
};
use chronicle_store::Location;
use chronicle_store::{Store, WaitNotice, WriterOptions};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

/// How long a writer waits for another one by default (`--wait`).
pub const DEFAULT_WAIT: Duration = Duration::from_secs(600);

/// How many unread inputs an interrupted ingest names before "… and N more".
const NAMED_INPUTS: usize = 20;

#[derive(clap::Args, Clone)]
pub struct IngestArgs {
    /// Files and folders to read (folders recursively).
    #[arg(required_unless_present_any = ["upgrade", "from_jsonl"])]
    pub paths: Vec<PathBuf>,
    /// Load documents annotated elsewhere (`chronicle annotate --jsonl`: one
    /// Document JSON per line) from this file, or `-` for standard input,
    /// without annotating them again; then link them as any ingest does.
    #[arg(long, value_name = "FILE", conflicts_with = "paths")]
    pub from_jsonl: Option<PathBuf>,
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
    /// Store without linking across documents (stories, merged events, entities,
    /// story dates); the documents stay pending until a later ingest or `relink`.
    #[arg(long)]
    pub no_link: bool,
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

/// Runs the engine's ingest, drawing its progress on stderr when `show_progress`
/// and stderr is a terminal.
pub fn ingest_paths(
    store: &mut dyn Store,
    paths: &[PathBuf],
    settings: &IngestSettings,
    link: &LinkSettings,
    show_progress: bool,
) -> anyhow::Result<IngestReport> {
    let mut bar = ProgressBar::hidden();
    let mut on_event = |event: &IngestEvent| match event {
        IngestEvent::Started { bytes, .. } => bar = progress_bar(*bytes, show_progress),
        IngestEvent::Progress(p) => {
            bar.set_position(p.done_bytes);
            bar.set_message(format!(
                "{} documents: {} stored, {} skipped, {} failed",
                p.documents_read, p.inserted, p.already_stored, p.failed
            ));
        }
        IngestEvent::Finished => bar.finish_and_clear(),
        _ => {}
    };
    let report = chronicle_engine::ingest_paths_with(store, paths, settings, link, &mut on_event);
    bar.finish_and_clear();
    Ok(report?)
}

/// Loads Document JSON lines (`--from-jsonl FILE|-`) through the engine,
/// without annotating; a spinner counts documents (a stream has no size).
fn ingest_annotated(
    store: &mut dyn Store,
    input: &Path,
    settings: &IngestSettings,
    link: &LinkSettings,
    show_progress: bool,
) -> anyhow::Result<IngestReport> {
    let reader = crate::cmd_query::open_lines(input)?;
    let stats = chronicle_ingest::LineStats::default();
    let mut docs = chronicle_ingest::JsonlStream::annotated(reader, input, &settings.read, &stats);
    let bar = if show_progress && std::io::stderr().is_terminal() {
        ProgressBar::new_spinner()
    } else {
        ProgressBar::hidden()
    };
    let mut on_event = |event: &IngestEvent| {
        if let IngestEvent::Progress(p) = event {
            bar.set_message(format!(
                "{} documents: {} stored, {} skipped, {} failed",
                p.documents_read, p.inserted, p.already_stored, p.failed
            ));
            bar.tick();
        }
    };
    let report = chronicle_engine::ingest_documents(
        store,
        &input.display().to_string(),
        &mut docs,
        settings,
        link,
        &mut on_event,
    );
    bar.finish_and_clear();
    Ok(report?)
}

/// Opens the database for ingest: refuses a damaged one, tells the user once when
/// it has to wait for another writer.
pub fn open_writer(db: &Location, wait: Duration) -> anyhow::Result<Box<dyn Store + Send>> {
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
    Ok(db.open_writer(WriterOptions {
        max_wait: wait,
        on_wait: Some(Box::new(on_wait)),
    })?)
}

pub fn run(db: &Location, args: &IngestArgs) -> anyhow::Result<ExitCode> {
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
    let settings = IngestSettings {
        read: opts,
        doc_budget: budget,
        // The global `--threads` option has sized rayon's global pool already.
        threads: None,
    };
    let mut link = LinkSettings::default();
    link.link = !args.no_link;
    let report = match &args.from_jsonl {
        Some(input) => ingest_annotated(store.as_mut(), input, &settings, &link, !args.json)?,
        None => ingest_paths(store.as_mut(), &args.paths, &settings, &link, !args.json)?,
    };
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

/// What linking did, in one line (and the candidate lists cut at their cap).
pub fn write_link_report(out: &mut impl Write, l: &LinkReport) -> std::io::Result<()> {
    writeln!(
        out,
        "  linked {} documents: {} stories started, {} joined, {} merged; {} event mentions in {} new merged events; {} entity mentions, {} new entities; {} quotes of a statement already reported; {} dates from the story ({:.2} s)",
        l.documents,
        l.stories_started,
        l.stories_joined,
        l.story_merges,
        l.event_mentions,
        l.merged_events_started,
        l.entity_mentions,
        l.entities_started,
        l.statements_shared,
        l.date_corrections,
        l.seconds
    )?;
    if l.cap_hits > 0 {
        writeln!(
            out,
            "  {} candidate lists cut at their cap (a large story or a common name: only the most recent candidates were compared)",
            l.cap_hits
        )?;
    }
    Ok(())
}

pub fn print_report(report: &IngestReport, db: &Location) {
    // The demo's summary: a closed stdout there has nothing left to tell.
    let _ = write_report(&mut std::io::stdout().lock(), report, db, false);
}

/// The summary line, then near-duplicates and failures: one line per item with
/// `verbose`, else counted (grouped by reason for failures). Failures go to stderr.
pub fn write_report(
    out: &mut impl Write,
    report: &IngestReport,
    db: &Location,
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
    if let Some(link) = &report.link {
        write_link_report(out, link)?;
    }
    if let Some(reason) = &report.link_stopped {
        writeln!(
            out,
            "  linking stopped: {reason}; the unlinked documents stay pending for the next ingest or `chronicle relink`"
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
