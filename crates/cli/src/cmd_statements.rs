//! `chronicle quotes` and `chronicle claims`: the quote and claim rows of the
//! store (typed tables, so no stored document is decoded), filtered.

use crate::cmd_query::{open_existing, resolve_document};
use crate::listing::{self, Listing, OutputArgs};
use crate::StatementArgs;
use chronicle_store::Location;
use chronicle_store::{ClaimFilter, ClaimRow, QuoteFilter, QuoteRow, Store, StoreError};
use std::process::ExitCode;

fn short(id: &str) -> String {
    id[..id.len().min(12)].to_string()
}

impl Listing for QuoteRow {
    fn header() -> Vec<&'static str> {
        vec![
            "doc",
            "published",
            "outlet",
            "kind",
            "speaker",
            "cue",
            "quote",
        ]
    }
    fn row(&self) -> Vec<String> {
        vec![
            short(&self.doc_id),
            self.published.clone().unwrap_or_else(|| "-".into()),
            self.outlet.clone().unwrap_or_else(|| "-".into()),
            self.kind.clone(),
            self.speaker_canonical
                .clone()
                .or_else(|| self.speaker.clone())
                .unwrap_or_else(|| "-".into()),
            self.cue.clone().unwrap_or_else(|| "-".into()),
            self.text.clone(),
        ]
    }
}

impl Listing for ClaimRow {
    fn header() -> Vec<&'static str> {
        vec![
            "doc",
            "published",
            "outlet",
            "kind",
            "value",
            "qualifier",
            "subject",
            "claimant",
            "evidence",
        ]
    }
    fn row(&self) -> Vec<String> {
        let dash = |s: &Option<String>| s.clone().unwrap_or_else(|| "-".into());
        vec![
            short(&self.doc_id),
            dash(&self.published),
            dash(&self.outlet),
            self.kind.clone(),
            self.value.to_string(),
            dash(&self.qualifier),
            dash(&self.subject),
            dash(&self.claimant),
            self.text.clone(),
        ]
    }
}

/// Opens the store, resolves `--document` (an id prefix naming one stored
/// document), runs the query with that id and prints the rows.
fn list<T: Listing>(
    db: &Location,
    f: &StatementArgs,
    output: &OutputArgs,
    noun: &str,
    query: impl FnOnce(&dyn Store, Option<String>) -> Result<Vec<T>, StoreError>,
) -> anyhow::Result<ExitCode> {
    let store = open_existing(db)?;
    let doc_id = match f.document.as_deref() {
        Some(prefix) => Some(resolve_document(&*store, prefix, db)?),
        None => None,
    };
    let rows = query(&*store, doc_id)?;
    listing::emit(&rows, output, db, noun)?;
    Ok(ExitCode::SUCCESS)
}

pub fn quotes(
    db: &Location,
    speaker: Option<String>,
    f: &StatementArgs,
    output: &OutputArgs,
) -> anyhow::Result<ExitCode> {
    list(db, f, output, "quotes", |store, doc_id| {
        store.quotes(&QuoteFilter {
            speaker,
            kind: None,
            outlet: f.outlet.clone(),
            from: f.from.clone(),
            to: f.to.clone(),
            doc_id,
            limit: f.limit,
        })
    })
}

pub fn claims(
    db: &Location,
    kind: Option<String>,
    f: &StatementArgs,
    output: &OutputArgs,
) -> anyhow::Result<ExitCode> {
    list(db, f, output, "claims", |store, doc_id| {
        store.claims(&ClaimFilter {
            kind,
            outlet: f.outlet.clone(),
            from: f.from.clone(),
            to: f.to.clone(),
            doc_id,
            limit: f.limit,
        })
    })
}
