//! Read-side commands: `documents`, `show`, `search`, and `annotate` (no storing).

use crate::listing::{self, Listing, OutputArgs};
use crate::output::print_document;
use crate::FieldArgs;
use anyhow::{bail, Context};
use chronicle_ingest::{IngestOptions, LineStats};
use chronicle_store::{DocumentFilter, DocumentSummary, SearchHit, SqliteStore, Store};
use std::path::Path;
use std::process::ExitCode;

/// Opens a database for reading: never created, never written, never migrated;
/// works while an ingest writes and in a read-only folder.
pub fn open_existing(db: &Path) -> anyhow::Result<SqliteStore> {
    if !db.exists() {
        bail!(
            "database {} does not exist; run `chronicle ingest` first (or pass --db)",
            db.display()
        );
    }
    Ok(SqliteStore::open_read_only(db)?)
}

/// The one stored document an id or id prefix names.
pub fn resolve_document(store: &impl Store, id: &str, db: &Path) -> anyhow::Result<String> {
    match store.resolve_id(id)?.as_slice() {
        [one] => Ok(one.clone()),
        [] => bail!("no document with id {id:?} in {}", db.display()),
        many => bail!("id prefix {id:?} is ambiguous: {}", many.join(", ")),
    }
}

fn short(id: &str) -> &str {
    &id[..id.len().min(12)]
}

impl Listing for DocumentSummary {
    fn header() -> Vec<&'static str> {
        vec![
            "id",
            "published",
            "from",
            "outlet",
            "lang",
            "title",
            "notes",
        ]
    }
    fn row(&self) -> Vec<String> {
        let mut notes = self.warnings.join(",");
        if let Some(d) = &self.duplicate_of {
            notes.push_str(&format!(" near-dup-of:{}", &d[..d.len().min(8)]));
        }
        if self.sources > 1 {
            notes.push_str(&format!(" sources:{}", self.sources));
        }
        vec![
            short(&self.id).to_string(),
            self.published.clone().unwrap_or_else(|| "no date".into()),
            match &self.provenance {
                Some(p) if self.estimated => format!("{p}, estimated"),
                Some(p) => p.clone(),
                None => "-".into(),
            },
            self.outlet.clone().unwrap_or_else(|| "-".into()),
            self.language.clone().unwrap_or_else(|| "-".into()),
            self.title.clone().unwrap_or_else(|| "-".into()),
            notes.trim().to_string(),
        ]
    }
}

impl Listing for SearchHit {
    fn header() -> Vec<&'static str> {
        vec!["id", "published", "outlet", "title", "passage"]
    }
    fn row(&self) -> Vec<String> {
        vec![
            short(&self.id).to_string(),
            self.published.clone().unwrap_or_else(|| "no date".into()),
            self.outlet.clone().unwrap_or_else(|| "-".into()),
            self.title.clone().unwrap_or_else(|| "-".into()),
            self.snippet.clone(),
        ]
    }
}

pub fn documents(
    db: &Path,
    filter: DocumentFilter,
    output: &OutputArgs,
) -> anyhow::Result<ExitCode> {
    let store = open_existing(db)?;
    let rows = store.list(&filter)?;
    listing::emit(&rows, output, db, "documents")?;
    Ok(ExitCode::SUCCESS)
}

pub fn show(db: &Path, id: &str, json: bool) -> anyhow::Result<ExitCode> {
    let store = open_existing(db)?;
    let full = resolve_document(&store, id, db)?;
    let doc = store
        .get(&full)?
        .with_context(|| format!("document {full} vanished"))?;
    if json {
        crate::outln!("{}", serde_json::to_string_pretty(&doc)?)?;
    } else {
        print_document(&doc)?;
    }
    Ok(ExitCode::SUCCESS)
}

pub fn search(
    db: &Path,
    query: &str,
    limit: usize,
    output: &OutputArgs,
) -> anyhow::Result<ExitCode> {
    let store = open_existing(db)?;
    let hits = store.search(query, limit)?;
    listing::emit(&hits, output, db, "hits")?;
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
            crate::outln!("{}", serde_json::to_string_pretty(&docs[0])?)?;
        } else {
            crate::outln!("{}", serde_json::to_string_pretty(&docs)?)?;
        }
    } else {
        for d in &docs {
            print_document(d)?;
        }
    }
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
