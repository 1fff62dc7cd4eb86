//! `chronicle stories`, `story ID`, `events --merged` and `relink`: the
//! cross-document record, read from the store's link tables by
//! `chronicle_engine::query::stories` (which the HTTP API calls too); this
//! module words its errors and prints.

use crate::cmd_query::open_existing;
use crate::listing::{self, OutputArgs};
use crate::outln;
use crate::story_view::{self, StoryDetail, StoryItem};
use crate::UsageError;
use anyhow::bail;
use chronicle_engine::query::{stories, QueryError};
use chronicle_store::Location;
use chronicle_store::{EventFilter, Store, StoryFilter, StoryRow};
use std::process::ExitCode;

pub fn stories(
    db: &Location,
    filter: StoryFilter,
    output: &OutputArgs,
) -> anyhow::Result<ExitCode> {
    let store = open_existing(db)?;
    let rows = story_items(&*store, &filter)?;
    listing::emit(&rows, output, db, "stories")?;
    Ok(ExitCode::SUCCESS)
}

/// The stories matching `filter`, each with its documents and top names.
pub fn story_items(store: &dyn Store, filter: &StoryFilter) -> anyhow::Result<Vec<StoryItem>> {
    Ok(stories::story_items(store, filter)?)
}

/// The one story an id or id prefix names (a merged story's id answers the
/// story it was merged into).
pub fn resolve_story(store: &dyn Store, prefix: &str, db: &Location) -> anyhow::Result<StoryRow> {
    match stories::resolve_story(store, prefix) {
        Ok(s) => Ok(s),
        Err(QueryError::NotFound { .. }) => bail!(
            "no story with id {prefix:?} in {} (`chronicle stories` lists them)",
            db.display()
        ),
        Err(QueryError::Ambiguous { candidates, .. }) => bail!(
            "story id prefix {prefix:?} is ambiguous: {}",
            candidates.join(", ")
        ),
        Err(e) => Err(e.into()),
    }
}

/// Everything `story ID` shows.
pub fn story_detail(store: &dyn Store, s: StoryRow) -> anyhow::Result<StoryDetail> {
    Ok(stories::story_detail(store, s)?)
}

pub fn story(db: &Location, id: &str, json: bool) -> anyhow::Result<ExitCode> {
    let store = open_existing(db)?;
    let s = resolve_story(&*store, id, db)?;
    let detail = story_detail(&*store, s)?;
    if json {
        outln!("{}", serde_json::to_string_pretty(&detail)?)?;
    } else {
        story_view::print_story(&detail, true)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// `events --merged`: the event filter's actor, CAMEO code and dates apply to
/// each merged event's consensus fields.
pub fn merged_events(
    db: &Location,
    filter: EventFilter,
    story: Option<String>,
    min_sources: Option<u64>,
    output: &OutputArgs,
) -> anyhow::Result<ExitCode> {
    if let Some(p) = &filter.plover_type {
        bail!(UsageError(format!(
            "--merged events carry a consensus CAMEO code, not a PLOVER type: give a CAMEO code or prefix instead of {p}"
        )));
    }
    let store = open_existing(db)?;
    if let Some(prefix) = &story {
        // The CLI's wording of an unknown or ambiguous story.
        resolve_story(&*store, prefix, db)?;
    }
    let rows = stories::merged_events(&*store, filter, story.as_deref(), min_sources)?;
    listing::emit(&rows, output, db, "merged events")?;
    Ok(ExitCode::SUCCESS)
}

/// `relink`: the cross-document layer emptied and rebuilt over every stored
/// document, in stored order, with the current models (one command after a
/// model change). Waits for another writer as ingest does.
pub fn relink(db: &Location, json: bool) -> anyhow::Result<ExitCode> {
    if !db.may_exist() {
        bail!(
            "database {} does not exist; run `chronicle ingest` first (or pass --db)",
            db.display()
        );
    }
    let mut store = crate::cmd_ingest::open_writer(db, crate::cmd_ingest::DEFAULT_WAIT)?;
    // The report counts the caps hit; nothing to draw while it runs.
    let mut on_event = |_: &chronicle_engine::IngestEvent| {};
    let report = chronicle_engine::relink(
        store.as_mut(),
        &chronicle_engine::LinkSettings::default(),
        &mut on_event,
    )?;
    if json {
        outln!("{}", serde_json::to_string_pretty(&report)?)?;
    } else {
        outln!("relinked {}", db.display())?;
        crate::cmd_ingest::write_link_report(&mut std::io::stdout().lock(), &report)?;
    }
    Ok(ExitCode::SUCCESS)
}
