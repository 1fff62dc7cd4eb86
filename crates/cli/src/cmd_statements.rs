//! `chronicle quotes` and `chronicle claims`: the quote and claim rows of the
//! store (typed tables, so no stored document is decoded), filtered.

use crate::cmd_query::open_existing;
use crate::listing::{self, Listing, OutputArgs};
use crate::StatementArgs;
use anyhow::bail;
use chronicle_store::{ClaimFilter, ClaimRow, QuoteFilter, QuoteRow, Store};
use std::path::Path;
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

/// `--document` takes an id prefix; it must name one stored document.
fn document_id(store: &impl Store, prefix: Option<&str>) -> anyhow::Result<Option<String>> {
    let Some(p) = prefix else { return Ok(None) };
    match store.resolve_id(p)?.as_slice() {
        [one] => Ok(Some(one.clone())),
        [] => bail!("no document with id {p:?}"),
        many => bail!("id prefix {p:?} is ambiguous: {}", many.join(", ")),
    }
}

pub fn quotes(
    db: &Path,
    speaker: Option<String>,
    f: &StatementArgs,
    output: &OutputArgs,
) -> anyhow::Result<ExitCode> {
    let store = open_existing(db)?;
    let rows = store.quotes(&QuoteFilter {
        speaker,
        kind: None,
        outlet: f.outlet.clone(),
        from: f.from.clone(),
        to: f.to.clone(),
        doc_id: document_id(&store, f.document.as_deref())?,
        limit: f.limit,
    })?;
    listing::emit(&rows, output, db, "quotes")?;
    Ok(ExitCode::SUCCESS)
}

pub fn claims(
    db: &Path,
    kind: Option<String>,
    f: &StatementArgs,
    output: &OutputArgs,
) -> anyhow::Result<ExitCode> {
    let store = open_existing(db)?;
    let rows = store.claims(&ClaimFilter {
        kind,
        outlet: f.outlet.clone(),
        from: f.from.clone(),
        to: f.to.clone(),
        doc_id: document_id(&store, f.document.as_deref())?,
        limit: f.limit,
    })?;
    listing::emit(&rows, output, db, "claims")?;
    Ok(ExitCode::SUCCESS)
}
