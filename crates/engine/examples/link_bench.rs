//! Measures ingest with and without linking: `cargo run --release -p
//! chronicle-engine --example link_bench -- DB [--no-link] [--relink]
//! [--strip-copies] [--check] [--link-pending] PATH...`.
//! Prints one JSON line: documents, seconds, documents/s, and the link pass's
//! time per document for each link step (so growth with the store shows).
//!
//! `DB --grow-story STORY --to N` builds a huge story: it stores copies of the
//! story's own reports (each under a new id and a distinct title, not marked
//! as near duplicates, so each takes the full story path) until the story and
//! the new documents number N, unlinked; `--link-pending` then links them.

use chronicle_engine::{IngestEvent, IngestSettings, LinkSettings};
use chronicle_store::{SqliteStore, Store};
use std::path::PathBuf;
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    if args.is_empty() {
        return Err("usage: link_bench DB [--no-link] [--relink] PATH...".into());
    }
    let db = PathBuf::from(args.remove(0));
    let no_link = args.iter().any(|a| a == "--no-link");
    let relink = args.iter().any(|a| a == "--relink");
    let paths: Vec<PathBuf> = args
        .iter()
        .enumerate()
        .filter(|(i, a)| {
            let flag_value = *i > 0 && ["--grow-story", "--to"].contains(&args[i - 1].as_str());
            !a.starts_with("--") && !flag_value
        })
        .map(|(_, a)| PathBuf::from(a))
        .collect();
    let mut store = SqliteStore::open(&db)?;
    if args.iter().any(|a| a == "--strip-copies") {
        // Measures the full story path for every document: repeated inputs
        // are near duplicates, which would otherwise take the copy path.
        store
            .connection()
            .execute_batch("UPDATE documents SET duplicate_of = NULL")?;
    }
    let mut link = LinkSettings::default();
    link.link = !no_link;
    // Per link step: (documents linked so far, seconds since the previous step).
    let mut steps: Vec<(usize, f64)> = Vec::new();
    let mut last = Instant::now();
    let mut caps = 0usize;
    let mut on_event = |e: &IngestEvent| match e {
        IngestEvent::Linked { documents } => {
            steps.push((*documents, last.elapsed().as_secs_f64()));
            last = Instant::now();
        }
        IngestEvent::Progress(_) => {}
        IngestEvent::LinkCapped(_) => caps += 1,
        _ => last = Instant::now(),
    };
    if args.iter().any(|a| a == "--check") {
        let report = store.check()?;
        let mut kinds: std::collections::BTreeMap<String, usize> = Default::default();
        for p in &report.problems {
            *kinds.entry(p.kind.clone()).or_default() += 1;
        }
        println!(
            "{}",
            serde_json::json!({"documents": report.documents, "problems": kinds,
                "links": store.link_counts()?})
        );
        return Ok(());
    }
    if let Some(story) = value(&args, "--grow-story") {
        let to: usize = value(&args, "--to").unwrap_or("10000").parse()?;
        let added = grow_story(&mut store, story, to)?;
        println!("{}", serde_json::json!({"story": story, "added": added}));
        return Ok(());
    }
    let started = Instant::now();
    let pending_only = args.iter().any(|a| a == "--link-pending");
    if relink || pending_only {
        let r = if relink {
            chronicle_engine::relink(&mut store, &link, &mut on_event)?
        } else {
            chronicle_engine::link_unlinked(&mut store, &mut on_event)?
        };
        let secs = started.elapsed().as_secs_f64();
        println!(
            "{}",
            serde_json::json!({"relinked": r.documents, "seconds": secs,
                "ms_per_doc": 1000.0 * r.seconds / r.documents.max(1) as f64,
                "stories": r.stories_started, "merges": r.story_merges, "cap_hits": r.cap_hits,
                "phases": r.phase_seconds, "date_corrections": r.date_corrections,
                "steps": steps})
        );
        return Ok(());
    }
    let settings = IngestSettings::default();
    let report =
        chronicle_engine::ingest_paths_with(&mut store, &paths, &settings, &link, &mut on_event)?;
    let secs = started.elapsed().as_secs_f64();
    let link_secs = report.link.as_ref().map_or(0.0, |l| l.seconds);
    println!(
        "{}",
        serde_json::json!({
            "inserted": report.inserted,
            "stored_total": store.count()?,
            "seconds": secs,
            "docs_per_s": report.inserted as f64 / secs,
            "link_seconds": link_secs,
            "link_ms_per_doc": 1000.0 * link_secs / report.inserted.max(1) as f64,
            "cap_hits": caps,
            "link": report.link,
            "steps": steps,
        })
    );
    Ok(())
}

/// The argument after `flag`.
fn value<'a>(args: &'a [String], flag: &str) -> Option<&'a str> {
    let i = args.iter().position(|a| a == flag)?;
    args.get(i + 1).map(String::as_str)
}

/// Stores copies of `story`'s original reports until the story (with them)
/// holds `to` documents; returns how many were stored. Copies keep every layer
/// (no annotation), take a new id and a distinct title, and are not marked as
/// near duplicates.
fn grow_story(
    store: &mut SqliteStore,
    story: &str,
    to: usize,
) -> Result<usize, Box<dyn std::error::Error>> {
    use std::hash::{Hash, Hasher};
    let members = store.story_documents(story, None)?;
    let mut originals = Vec::new();
    for m in members.iter().filter(|m| m.copy_of.is_none()) {
        if let Some(d) = store.get(&m.doc_id)? {
            originals.push(d);
        }
    }
    if originals.is_empty() {
        return Err(format!("story {story} has no readable reports").into());
    }
    let mut added = 0usize;
    let mut batch = Vec::new();
    while members.len() + added < to {
        let mut d = originals[added % originals.len()].clone();
        // DefaultHasher::new() has fixed keys: the same ids on every run.
        let mut h = std::collections::hash_map::DefaultHasher::new();
        (d.id.as_str(), added).hash(&mut h);
        d.id = format!("{:016x}", h.finish());
        d.title = Some(format!(
            "{} (grown {added})",
            d.title.as_deref().unwrap_or("untitled")
        ));
        batch.push(chronicle_store::NewDocument {
            doc: d,
            fingerprint: None,
            duplicate_of: None,
        });
        added += 1;
        if batch.len() == 256 {
            store.put_batch(&batch)?;
            batch.clear();
        }
    }
    store.put_batch(&batch)?;
    Ok(added)
}
