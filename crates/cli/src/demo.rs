//! `chronicle demo`: the main job on the bundled corpus, in a fresh database.

use crate::cmd_ingest::ingest_paths;
use crate::output::truncate;
use anyhow::{bail, Context};
use chronicle_ingest::IngestOptions;
use chronicle_store::{DocumentFilter, SqliteStore, Store};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn default_corpus() -> Option<PathBuf> {
    let candidates = [
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/corpus"),
        PathBuf::from("examples/corpus"),
    ];
    candidates.into_iter().find(|p| p.is_dir())
}

pub fn run(db: Option<&Path>, corpus: Option<PathBuf>) -> anyhow::Result<ExitCode> {
    let corpus = match corpus.or_else(default_corpus) {
        Some(c) => c,
        None => bail!("cannot find the example corpus; pass --corpus DIR"),
    };
    let db = db
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("chronicle-demo.db"));
    for suffix in ["", "-wal", "-shm"] {
        let p = PathBuf::from(format!("{}{suffix}", db.display()));
        if p.exists() {
            std::fs::remove_file(&p)
                .with_context(|| format!("removing the previous demo database {}", p.display()))?;
        }
    }
    let mut store = SqliteStore::open(&db)?;
    println!("Ingesting {} into {}\n", corpus.display(), db.display());
    let report = ingest_paths(&mut store, &[corpus], &IngestOptions::default(), true)?;

    let rows = store.list(&DocumentFilter::default())?;
    println!(
        "{:<10} {:<26} {:<36} {:<3} title",
        "id", "published (provenance)", "outlet", "lng"
    );
    for r in &rows {
        let date = match (&r.published, &r.provenance) {
            (Some(d), Some(p)) => format!("{d} ({p})"),
            _ => "no date".into(),
        };
        println!(
            "{:<10} {:<26} {:<36} {:<3} {}",
            &r.id[..8.min(r.id.len())],
            date,
            truncate(r.outlet.as_deref().unwrap_or("-"), 36),
            r.language.as_deref().unwrap_or("-"),
            truncate(r.title.as_deref().unwrap_or("-"), 70)
        );
    }
    println!("\nWarnings:");
    for r in &rows {
        if let Some(doc) = store.get(&r.id)? {
            for w in &doc.warnings {
                println!("  {} {}: {}", &r.id[..8.min(r.id.len())], w.code, w.message);
            }
        }
    }
    println!("\nDuplicates:");
    for d in store.duplicates()? {
        if d.kind == "near" {
            println!(
                "  {} is a near-duplicate of {} (Jaccard ≈ {:.2})",
                &d.doc_id[..8],
                &d.other_id[..8],
                d.similarity
            );
        } else {
            println!("  {} stored once, read from {}", &d.doc_id[..8], d.kind);
        }
    }
    println!();
    crate::cmd_ingest::print_report(&report, &db);
    println!(
        "\nNext: chronicle --db {} documents | show ID | search \"convoy\"",
        db.display()
    );
    // Failed inputs in the demo corpus are deliberate (an error page): report, don't fail.
    Ok(ExitCode::SUCCESS)
}
