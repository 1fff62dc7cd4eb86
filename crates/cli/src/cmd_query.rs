//! Read-side commands: `documents`, `show`, `search`, and `annotate` (no storing).

use crate::output::{print_document, truncate};
use crate::FieldArgs;
use anyhow::{bail, Context};
use chronicle_ingest::{IngestOptions, LineStats};
use chronicle_store::{DocumentFilter, SqliteStore, Store};
use std::path::Path;
use std::process::ExitCode;

pub fn open_existing(db: &Path) -> anyhow::Result<SqliteStore> {
    if !db.exists() {
        bail!(
            "database {} does not exist; run `chronicle ingest` first (or pass --db)",
            db.display()
        );
    }
    Ok(SqliteStore::open(db)?)
}

pub fn documents(db: &Path, filter: DocumentFilter, json: bool) -> anyhow::Result<ExitCode> {
    let store = open_existing(db)?;
    let rows = store.list(&filter)?;
    if json {
        println!("{}", serde_json::to_string_pretty(&rows)?);
        return Ok(ExitCode::SUCCESS);
    }
    for r in &rows {
        let date = match (&r.published, &r.provenance) {
            (Some(d), Some(p)) => {
                format!("{d} ({p}{})", if r.estimated { ", estimated" } else { "" })
            }
            _ => "no date".into(),
        };
        let mut notes = r.warnings.join(",");
        if let Some(d) = &r.duplicate_of {
            notes.push_str(&format!(" near-dup-of:{}", &d[..d.len().min(8)]));
        }
        if r.sources > 1 {
            notes.push_str(&format!(" sources:{}", r.sources));
        }
        println!(
            "{}  {:<28} {:<24} {:<3} {}  {}",
            &r.id[..r.id.len().min(12)],
            date,
            truncate(r.outlet.as_deref().unwrap_or("-"), 24),
            r.language.as_deref().unwrap_or("-"),
            truncate(r.title.as_deref().unwrap_or("-"), 60),
            notes.trim()
        );
    }
    eprintln!("{} documents", rows.len());
    Ok(ExitCode::SUCCESS)
}

pub fn show(db: &Path, id: &str, json: bool) -> anyhow::Result<ExitCode> {
    let store = open_existing(db)?;
    let ids = store.resolve_id(id)?;
    let full = match ids.as_slice() {
        [one] => one.clone(),
        [] => bail!("no document with id {id:?} in {}", db.display()),
        many => bail!("id prefix {id:?} is ambiguous: {}", many.join(", ")),
    };
    let doc = store
        .get(&full)?
        .with_context(|| format!("document {full} vanished"))?;
    if json {
        println!("{}", serde_json::to_string_pretty(&doc)?);
    } else {
        print_document(&doc);
    }
    Ok(ExitCode::SUCCESS)
}

pub fn search(db: &Path, query: &str, limit: usize, json: bool) -> anyhow::Result<ExitCode> {
    let store = open_existing(db)?;
    let hits = store.search(query, limit)?;
    if json {
        println!("{}", serde_json::to_string_pretty(&hits)?);
    } else {
        for h in &hits {
            println!(
                "{}  {}  {}  {}\n    {}",
                &h.id[..h.id.len().min(12)],
                h.published.as_deref().unwrap_or("no date"),
                h.outlet.as_deref().unwrap_or("-"),
                h.title.as_deref().unwrap_or("-"),
                h.snippet.replace('\n', " ")
            );
        }
        eprintln!("{} hits", hits.len());
    }
    Ok(ExitCode::SUCCESS)
}

/// Prints the document JSON (one object; a JSON array when the file holds several).
pub fn annotate(file: &Path, fields: &FieldArgs, json: bool) -> anyhow::Result<ExitCode> {
    let opts = IngestOptions {
        fields: fields.to_map(),
        ..Default::default()
    };
    let records = chronicle_ingest::read_file(file, &opts, &LineStats::default())?;
    let mut docs = Vec::new();
    let mut failed = false;
    for r in records {
        match r {
            Ok(mut d) => {
                crate::pipeline::annotate(&mut d);
                docs.push(d);
            }
            Err(e) => {
                eprintln!("failed: {e}");
                failed = true;
            }
        }
    }
    if json {
        if docs.len() == 1 {
            println!("{}", serde_json::to_string_pretty(&docs[0])?);
        } else {
            println!("{}", serde_json::to_string_pretty(&docs)?);
        }
    } else {
        for d in &docs {
            print_document(d);
        }
    }
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
