//! `chronicle demo`: the main job on the bundled corpus, in a fresh database.

use crate::cmd_ingest::ingest_paths;
use crate::outln;
use crate::output::truncate;
use anyhow::bail;
use chronicle_engine::{IngestSettings, LinkSettings};
use chronicle_store::{DocumentFilter, SqliteStore, Store, StoryFilter};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn default_corpus() -> Option<PathBuf> {
    let candidates = [
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/corpus"),
        PathBuf::from("examples/corpus"),
    ];
    candidates.into_iter().find(|p| p.is_dir())
}

/// The demo writes only into a database it creates: an existing `--db` is refused
/// (it may be someone's record), and when the default name is taken the next free
/// `chronicle-demo-N.db` is used. Nothing is ever deleted.
fn demo_database(asked: Option<&Path>) -> anyhow::Result<PathBuf> {
    let taken = |p: &Path| p.exists() || p.symlink_metadata().is_ok();
    if let Some(p) = asked {
        if taken(p) {
            bail!(crate::UsageError(format!(
                "{} already exists; the demo writes only to a new database and never replaces one. Pass a new --db path, or leave --db out to use a fresh chronicle-demo file",
                p.display()
            )));
        }
        return Ok(p.to_path_buf());
    }
    let default = PathBuf::from("chronicle-demo.db");
    if !taken(&default) {
        return Ok(default);
    }
    for n in 2..10_000 {
        let p = PathBuf::from(format!("chronicle-demo-{n}.db"));
        if !taken(&p) {
            eprintln!(
                "{} already exists and is kept; writing the demo to {} instead",
                default.display(),
                p.display()
            );
            return Ok(p);
        }
    }
    bail!("no free chronicle-demo-N.db name in this folder; pass --db NEW_FILE")
}

pub fn run(db: Option<&Path>, corpus: Option<PathBuf>) -> anyhow::Result<ExitCode> {
    let corpus = match corpus.or_else(default_corpus) {
        Some(c) => c,
        None => bail!("cannot find the example corpus; pass --corpus DIR"),
    };
    let db = demo_database(db)?;
    let mut store = SqliteStore::open(&db)?;
    outln!("Ingesting {} into {}\n", corpus.display(), db.display())?;
    let report = ingest_paths(
        &mut store,
        &[corpus],
        &IngestSettings::default(),
        &LinkSettings::default(),
        true,
    )?;

    let rows = store.list(&DocumentFilter::default())?;
    outln!(
        "{:<10} {:<26} {:<36} {:<3} title",
        "id",
        "published (provenance)",
        "outlet",
        "lng"
    )?;
    for r in &rows {
        let date = match (&r.published, &r.provenance) {
            (Some(d), Some(p)) => format!("{d} ({p})"),
            _ => "no date".into(),
        };
        outln!(
            "{:<10} {:<26} {:<36} {:<3} {}",
            &r.id[..8.min(r.id.len())],
            date,
            truncate(r.outlet.as_deref().unwrap_or("-"), 36),
            r.language.as_deref().unwrap_or("-"),
            truncate(r.title.as_deref().unwrap_or("-"), 70)
        )?;
    }
    outln!("\nWarnings:")?;
    for r in &rows {
        if let Some(doc) = store.get(&r.id)? {
            for w in &doc.warnings {
                outln!("  {} {}: {}", &r.id[..8.min(r.id.len())], w.code, w.message)?;
            }
        }
    }
    outln!("\nDuplicates:")?;
    for d in store.duplicates()? {
        if d.kind == "near" {
            outln!(
                "  {} is a near-duplicate of {} (Jaccard ≈ {:.2})",
                &d.doc_id[..8],
                &d.other_id[..8],
                d.similarity
            )?;
        } else {
            outln!("  {} stored once, read from {}", &d.doc_id[..8], d.kind)?;
        }
    }
    outln!()?;
    crate::cmd_ingest::print_report(&report, &chronicle_store::Location::File(db.clone()));
    story_view(&store)?;
    outln!(
        "\nNext: chronicle --db {} stories | story ID | events --merged | actors | documents | search \"convoy\"",
        db.display()
    )?;
    // Failed inputs in the demo corpus are deliberate (an error page): report, don't fail.
    Ok(ExitCode::SUCCESS)
}

/// The record across outlets, last, because it is what a newcomer came for:
/// each story told by several documents in full (merged events in date order
/// with their sources, story-level dates, disagreements), then the stories of
/// one document each, by label.
fn story_view(store: &SqliteStore) -> anyhow::Result<()> {
    let stories = crate::cmd_stories::story_items(store, &StoryFilter::default())?;
    let (told, alone): (Vec<_>, Vec<_>) = stories.into_iter().partition(|s| s.documents.len() > 1);
    outln!(
        "\nStories: {} told by several documents, {} by one",
        told.len(),
        alone.len()
    )?;
    for s in told {
        let Some(row) = store.story(&s.id)? else {
            continue;
        };
        outln!()?;
        crate::story_view::print_story(&crate::cmd_stories::story_detail(store, row)?, false)?;
    }
    if !alone.is_empty() {
        outln!("\nStories of one document:")?;
        for s in alone {
            outln!(
                "  {} {} {}",
                crate::story_view::short(&s.id),
                s.first_date.as_deref().unwrap_or("no date"),
                truncate(&s.label, 80)
            )?;
        }
    }
    Ok(())
}
