//! `chronicle events` and `chronicle actors`: the coded record, read from the
//! store (the actor rows folded by `chronicle_engine::query::actors`; the
//! exports are in `cmd_export.rs`).

use crate::cmd_query::open_existing;
use crate::listing::{self, Listing, OutputArgs};
use chronicle_store::Location;
use chronicle_store::{EventFilter, EventRow};
use std::process::ExitCode;

impl Listing for EventRow {
    fn header() -> Vec<&'static str> {
        vec![
            "date",
            "code",
            "type",
            "source",
            "as written",
            "target",
            "place",
            "evidence",
            "doc",
            "modality",
        ]
    }
    fn row(&self) -> Vec<String> {
        let dash = |s: &Option<String>| s.clone().unwrap_or_else(|| "-".into());
        vec![
            dash(&self.date),
            self.code.clone(),
            dash(&self.plover_type),
            dash(&self.source_code),
            dash(&self.source_text),
            dash(&self.target_code),
            dash(&self.location),
            self.sentence.clone(),
            self.doc_id[..self.doc_id.len().min(8)].to_string(),
            self.modality.clone().unwrap_or_default(),
        ]
    }
}

impl Listing for ActorRow {
    fn header() -> Vec<&'static str> {
        vec![
            "actor",
            "code",
            "role",
            "first",
            "last",
            "mentions",
            "docs",
            "origin",
            "as written",
            "first evidence",
        ]
    }
    fn row(&self) -> Vec<String> {
        vec![
            self.actor.clone(),
            self.code.clone().unwrap_or_else(|| "-".into()),
            self.role.clone().unwrap_or_else(|| "-".into()),
            self.first_seen.clone().unwrap_or_else(|| "?".into()),
            self.last_seen.clone().unwrap_or_else(|| "?".into()),
            self.mentions.to_string(),
            self.documents.to_string(),
            self.origins.join(","),
            self.variants.join(" | "),
            self.evidence.clone().unwrap_or_else(|| "-".into()),
        ]
    }
}

pub fn events(db: &Location, filter: EventFilter, output: &OutputArgs) -> anyhow::Result<ExitCode> {
    let store = open_existing(db)?;
    let rows = store.events(&filter)?;
    listing::emit(&rows, output, db, "events")?;
    Ok(ExitCode::SUCCESS)
}

pub use chronicle_engine::query::actors::ActorRow;

pub fn actors(db: &Location, output: &OutputArgs, all: bool) -> anyhow::Result<ExitCode> {
    let store = open_existing(db)?;
    let rows = chronicle_engine::query::actors::actor_rows(&*store, all)?;
    listing::emit(&rows, output, db, "actor roles")?;
    Ok(ExitCode::SUCCESS)
}
