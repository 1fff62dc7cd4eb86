//! Read-side commands: `documents`, `show`, `search`, and `annotate` (no storing).

use crate::listing::{self, Listing, OutputArgs};
use crate::output::print_document;
use crate::FieldArgs;
use anyhow::{bail, Context};
use chronicle_ingest::{IngestOptions, LineStats};
use chronicle_store::Location;
use chronicle_store::{DocumentFilter, DocumentSummary, SearchHit, Store};
use std::cell::RefCell;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

/// Opens a database for reading: never created, never written, never migrated;
/// works while an ingest writes and in a read-only folder.
pub fn open_existing(db: &Location) -> anyhow::Result<Box<dyn Store + Send>> {
    if !db.may_exist() {
        bail!(
            "database {} does not exist; run `chronicle ingest` first (or pass --db)",
            db.display()
        );
    }
    Ok(db.open_read_only()?)
}

/// The one stored document an id or id prefix names.
pub fn resolve_document(store: &dyn Store, id: &str, db: &Location) -> anyhow::Result<String> {
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
    db: &Location,
    filter: DocumentFilter,
    output: &OutputArgs,
) -> anyhow::Result<ExitCode> {
    let store = open_existing(db)?;
    let rows = store.list(&filter)?;
    listing::emit(&rows, output, db, "documents")?;
    Ok(ExitCode::SUCCESS)
}

pub fn show(db: &Location, id: &str, json: bool) -> anyhow::Result<ExitCode> {
    let store = open_existing(db)?;
    let full = resolve_document(&*store, id, db)?;
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
    db: &Location,
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
    let readable = records.iter().filter(|r| r.is_ok()).count();
    let mut docs = Annotating::new(records.into_iter());
    if json {
        let mut out = std::io::BufWriter::new(std::io::stdout().lock());
        if readable == 1 {
            if let Some(d) = docs.next() {
                serde_json::to_writer_pretty(&mut out, &d)?;
            }
        } else {
            serde_json::to_writer_pretty(&mut out, &JsonArray(RefCell::new(Some(&mut docs))))?;
        }
        writeln!(out)?;
        out.flush()?;
    } else {
        for d in docs.by_ref() {
            print_document(&d)?;
        }
    }
    // Records after the last readable one may still be failures to report.
    docs.by_ref().for_each(drop);
    Ok(if docs.failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// A file to read line by line, or standard input for `-`.
pub fn open_lines(path: &Path) -> anyhow::Result<Box<dyn std::io::BufRead>> {
    if path == Path::new("-") {
        return Ok(Box::new(std::io::stdin().lock()));
    }
    let f = std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    Ok(Box::new(std::io::BufReader::new(f)))
}

/// `annotate --jsonl FILE|-`: JSON Lines of articles in, one Document JSON
/// per line out, in input order. Memory holds a chunk of documents (a few per
/// thread), never the stream: it runs as a stage of any pipeline. A bad line
/// is reported on stderr with its number and the rest goes on (exit code 1).
pub fn annotate_jsonl(file: &Path, fields: &FieldArgs) -> anyhow::Result<ExitCode> {
    let opts = IngestOptions {
        fields: fields.to_map(),
        ..Default::default()
    };
    let reader = open_lines(file)?;
    let stats = LineStats::default();
    let records = chronicle_ingest::JsonlStream::new(reader, file, &opts, &stats);
    let mut docs = Annotating::new(records);
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for d in docs.by_ref() {
        let written = serde_json::to_writer(&mut out, &d)
            .map_err(std::io::Error::from)
            .and_then(|()| out.write_all(b"\n"));
        match written {
            // The reader of the pipe is gone (`head`): stop quietly.
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return Ok(ExitCode::SUCCESS),
            other => other?,
        }
    }
    match out.flush() {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return Ok(ExitCode::SUCCESS),
        other => other?,
    }
    Ok(if docs.failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Documents annotated at once per thread: enough to keep every thread busy
/// between uneven documents, few enough that memory stays flat however many
/// records the file holds (each result is printed and dropped before the next
/// chunk is annotated).
const DOCS_PER_THREAD: usize = 4;

/// The file's records, annotated chunk by chunk on the rayon pool (`--threads`)
/// and handed out in input order; unreadable records are reported on stderr.
struct Annotating<I> {
    records: I,
    ready: std::vec::IntoIter<chronicle_core::Document>,
    failed: bool,
}

impl<I> Annotating<I> {
    fn new(records: I) -> Self {
        Annotating {
            records,
            ready: Vec::new().into_iter(),
            failed: false,
        }
    }
}

impl<I, E> Iterator for Annotating<I>
where
    I: Iterator<Item = Result<chronicle_core::Document, E>>,
    E: std::fmt::Display,
{
    type Item = chronicle_core::Document;

    fn next(&mut self) -> Option<Self::Item> {
        use rayon::prelude::*;
        if let Some(d) = self.ready.next() {
            return Some(d);
        }
        let want = rayon::current_num_threads().max(1) * DOCS_PER_THREAD;
        let mut chunk = Vec::with_capacity(want);
        for r in self.records.by_ref() {
            match r {
                Ok(d) => chunk.push(d),
                Err(e) => {
                    eprintln!("failed: {e}");
                    self.failed = true;
                }
            }
            if chunk.len() == want {
                break;
            }
        }
        chunk.par_iter_mut().for_each(crate::pipeline::annotate);
        self.ready = chunk.into_iter();
        self.ready.next()
    }
}

/// Serializes an iterator as a JSON array while it runs, so the documents are
/// written as they are annotated (byte for byte what serializing a `Vec` of
/// them would give).
struct JsonArray<'a, I>(RefCell<Option<&'a mut I>>);

impl<I> serde::Serialize for JsonArray<'_, I>
where
    I: Iterator<Item = chronicle_core::Document>,
{
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let docs = self.0.borrow_mut().take();
        // No length hint: serde_json then writes elements as they come.
        s.collect_seq(docs.into_iter().flatten())
    }
}
