//! `chronicle stories`, `story ID`, `events --merged` and `relink`: the
//! cross-document record, read from the store's link tables. Disagreements are
//! computed at read time from the story's claims (`chronicle_link::conflicts`).

use crate::cmd_query::open_existing;
use crate::listing::{self, OutputArgs};
use crate::outln;
use crate::story_view::{
    self, Disagreement, FigureValue, Spelling, StoryDetail, StoryItem, StoryReport,
};
use crate::UsageError;
use anyhow::bail;
use chronicle_link::conflicts;
use chronicle_store::{EntityFilter, EventFilter, MergedEventFilter, Store, StoryFilter, StoryRow};
use std::collections::HashMap;
use std::path::Path;
use std::process::ExitCode;

/// How many actors and places a story lists.
const TOP: usize = 5;
/// How many evidence documents a date correction names in the text view.
const EVIDENCE_NAMED: usize = 4;
/// A story larger than this is shown in part: every report listed from the
/// link tables, but only its newest this many documents read whole (for their
/// dates' provenance and their claims), and its first [`VIEW_EVENTS`] merged
/// events in date order. A 12,000-document story then answers in seconds
/// instead of reading every document.
const VIEW_DOCUMENTS: usize = 500;
const VIEW_EVENTS: usize = 1000;

pub fn stories(db: &Path, filter: StoryFilter, output: &OutputArgs) -> anyhow::Result<ExitCode> {
    let store = open_existing(db)?;
    let rows = story_items(&store, &filter)?;
    listing::emit(&rows, output, db, "stories")?;
    Ok(ExitCode::SUCCESS)
}

/// The stories matching `filter`, each with its documents and top names.
pub fn story_items(store: &dyn Store, filter: &StoryFilter) -> anyhow::Result<Vec<StoryItem>> {
    let mut items = Vec::new();
    for s in store.stories(filter)? {
        items.push(item(store, s)?);
    }
    Ok(items)
}

fn item(store: &dyn Store, s: StoryRow) -> anyhow::Result<StoryItem> {
    let mut docs = store.story_documents(&s.id, None)?;
    docs.sort_by(|a, b| (&a.published, a.seq).cmp(&(&b.published, b.seq)));
    let top = store.story_top(&s.id, TOP)?;
    // The people and organizations the story names most, one name per person
    // (cross-document entities); the coded actors' words when linking found none.
    let entities: Vec<chronicle_store::EntityRow> = store
        .entities(&EntityFilter {
            story: Some(s.id.clone()),
            ..Default::default()
        })?
        .into_iter()
        .filter(|e| e.label == "PER" || e.label == "ORG")
        .fold(
            Vec::new(),
            |mut kept: Vec<chronicle_store::EntityRow>, e| {
                // One name once, whatever labels the tagger gave its mentions.
                if !kept
                    .iter()
                    .any(|k| k.canonical.eq_ignore_ascii_case(&e.canonical))
                {
                    kept.push(e);
                }
                kept
            },
        )
        .into_iter()
        .take(TOP)
        .collect();
    let spellings = entities
        .iter()
        .filter_map(|e| {
            let other = other_spellings(&e.canonical, &e.variants);
            (!other.is_empty()).then(|| Spelling {
                actor: e.canonical.clone(),
                entity: e.id.clone(),
                variants: other,
            })
        })
        .collect();
    let mut actors: Vec<String> = entities.into_iter().map(|e| e.canonical).collect();
    if actors.is_empty() {
        actors = top.actors.into_iter().map(|c| c.name).collect();
    }
    Ok(StoryItem {
        documents: docs.into_iter().map(|d| d.doc_id).collect(),
        top_actors: actors,
        spellings,
        top_places: top.places.into_iter().map(|c| c.name).collect(),
        id: s.id,
        label: s.label,
        first_date: s.first_date,
        last_date: s.last_date,
        outlets: s.outlets,
    })
}

/// Full names other than `canonical` (a surname alone or a title is not
/// another spelling): "Andrei Zolotar" beside "Andrey Zolotar".
fn other_spellings(canonical: &str, variants: &[String]) -> Vec<String> {
    let fold = |s: &str| {
        s.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    let words = canonical.split_whitespace().count();
    let mut out: Vec<String> = Vec::new();
    for v in variants {
        let v = v.trim();
        let same_length = v.split_whitespace().count() == words && words > 1;
        if same_length && fold(v) != fold(canonical) && !out.iter().any(|o| fold(o) == fold(v)) {
            out.push(v.to_string());
        }
    }
    out
}

/// The one story an id or id prefix names (a merged story's id answers the
/// story it was merged into).
pub fn resolve_story(store: &dyn Store, prefix: &str, db: &Path) -> anyhow::Result<StoryRow> {
    if let Some(s) = store.story(prefix)? {
        return Ok(s);
    }
    let all = store.stories(&StoryFilter {
        include_merged: true,
        ..Default::default()
    })?;
    let hits: Vec<&StoryRow> = all.iter().filter(|s| s.id.starts_with(prefix)).collect();
    match hits.as_slice() {
        [one] => match store.story(&one.id)? {
            Some(s) => Ok(s),
            None => bail!("story {} is listed but cannot be read", one.id),
        },
        [] => bail!(
            "no story with id {prefix:?} in {} (`chronicle stories` lists them)",
            db.display()
        ),
        many => bail!(
            "story id prefix {prefix:?} is ambiguous: {}",
            many.iter()
                .map(|s| s.id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// Everything `story ID` shows: documents with their dates, merged events in
/// date order, story-level date corrections and disagreements.
pub fn story_detail(store: &dyn Store, s: StoryRow) -> anyhow::Result<StoryDetail> {
    let item = item(store, s)?;
    let docs = store.story_documents(&item.id, None)?;
    // The newest documents are read whole; the others are listed from their
    // link rows (the whole story when it is small).
    let mut newest: Vec<&chronicle_store::StoryDocumentRow> = docs.iter().collect();
    newest.sort_by(|a, b| (&b.published, b.seq).cmp(&(&a.published, a.seq)));
    let read_whole: std::collections::HashSet<&str> = newest
        .iter()
        .take(VIEW_DOCUMENTS)
        .map(|d| d.doc_id.as_str())
        .collect();
    let corrections: HashMap<String, chronicle_store::DateCorrection> = store
        .date_corrections(Some(&item.id))?
        .into_iter()
        .map(|c| (c.doc_id.clone(), c))
        .collect();
    let mut reports = Vec::with_capacity(docs.len());
    let mut documents = Vec::with_capacity(docs.len());
    for d in &docs {
        let doc = if read_whole.contains(d.doc_id.as_str()) {
            store.get(&d.doc_id)?
        } else {
            None
        };
        let (published, provenance) = match doc.as_ref().and_then(|doc| doc.published.as_ref()) {
            Some(p) => (
                Some(p.date.clone()),
                Some(crate::output::provenance_name(&p.provenance)),
            ),
            None => (
                d.published.clone(),
                corrections
                    .contains_key(&d.doc_id)
                    .then(|| "story".to_string()),
            ),
        };
        let correction = corrections.get(&d.doc_id);
        reports.push(StoryReport {
            document: d.doc_id.clone(),
            outlet: d.outlet.clone(),
            title: d.title.clone(),
            published,
            provenance,
            stated_date: correction.and_then(|c| c.previous.clone().or(c.stated.clone())),
            date_evidence: correction.map(|c| {
                let docs: Vec<&str> = c
                    .evidence
                    .iter()
                    .take(EVIDENCE_NAMED)
                    .map(|e| story_view::short(e))
                    .collect();
                let more = c.evidence.len().saturating_sub(EVIDENCE_NAMED);
                let more = if more > 0 {
                    format!(" and {more} more")
                } else {
                    String::new()
                };
                format!("{} (evidence: {}{more})", c.reason, docs.join(", "))
            }),
        });
        documents.extend(doc);
    }
    reports.sort_by(|a, b| (&a.published, &a.document).cmp(&(&b.published, &b.document)));
    let shown = (docs.len() > VIEW_DOCUMENTS).then_some(VIEW_EVENTS);
    let mut events = store.merged_events(&MergedEventFilter {
        story: Some(item.id.clone()),
        with_mentions: true,
        limit: shown,
        ..Default::default()
    })?;
    events.sort_by(|a, b| {
        (a.date.is_none(), &a.date, &a.first_date, &a.id).cmp(&(
            b.date.is_none(),
            &b.date,
            &b.first_date,
            &b.id,
        ))
    });
    let disagreements = disagreements(store, &item.id, &documents)?;
    let partial = (docs.len() > VIEW_DOCUMENTS).then(|| story_view::PartialView {
        documents_read: read_whole.len(),
        events_shown: events.len(),
        events_total: store
            .merged_events(&MergedEventFilter {
                story: Some(item.id.clone()),
                ..Default::default()
            })
            .map(|v| v.len())
            .unwrap_or(events.len()),
    });
    Ok(StoryDetail {
        partial,
        id: item.id,
        label: item.label,
        first_date: item.first_date,
        last_date: item.last_date,
        documents: item.documents,
        outlets: item.outlets,
        top_actors: item.top_actors,
        spellings: item.spellings,
        top_places: item.top_places,
        reports,
        events,
        disagreements,
    })
}

/// The story's numeric claims grouped by quantity, each tied to the merged
/// event it counts; only groups whose values differ are disagreements.
fn disagreements(
    store: &dyn Store,
    story: &str,
    docs: &[chronicle_core::Document],
) -> anyhow::Result<Vec<Disagreement>> {
    let merged: HashMap<(String, usize), String> = store
        .story_claims(story)?
        .into_iter()
        .filter_map(|c| Some(((c.claim.doc_id, c.claim.index), c.merged_event?)))
        .collect();
    let mut claims = Vec::new();
    for doc in docs {
        for (i, mut c) in conflicts::claim_refs(doc).into_iter().enumerate() {
            c.merged_event = merged.get(&(doc.id.clone(), i)).cloned();
            claims.push(c);
        }
    }
    Ok(conflicts::disagreements(&claims)
        .into_iter()
        .map(|g| Disagreement {
            kind: g.kind,
            place: g.place,
            time: g.time,
            spread: g.spread,
            values: g
                .values
                .into_iter()
                .map(|v| FigureValue {
                    value: v.value,
                    claimant: v.claimant,
                    outlet: v.outlet,
                    document: v.document,
                    start: v.start,
                    end: v.end,
                    date: v.date,
                })
                .collect(),
        })
        .collect())
}

pub fn story(db: &Path, id: &str, json: bool) -> anyhow::Result<ExitCode> {
    let store = open_existing(db)?;
    let s = resolve_story(&store, id, db)?;
    let detail = story_detail(&store, s)?;
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
    db: &Path,
    filter: EventFilter,
    story: Option<String>,
    min_sources: Option<u64>,
    output: &OutputArgs,
) -> anyhow::Result<ExitCode> {
    if let Some(p) = filter.plover_type {
        bail!(UsageError(format!(
            "--merged events carry a consensus CAMEO code, not a PLOVER type: give a CAMEO code or prefix instead of {p}"
        )));
    }
    let store = open_existing(db)?;
    let story = match story {
        Some(prefix) => Some(resolve_story(&store, &prefix, db)?.id),
        None => None,
    };
    let rows = store.merged_events(&MergedEventFilter {
        story,
        code: filter.code,
        actor: filter.actor,
        from: filter.from,
        to: filter.to,
        min_sources,
        entities: None,
        with_mentions: true,
        limit: filter.limit,
    })?;
    listing::emit(&rows, output, db, "merged events")?;
    Ok(ExitCode::SUCCESS)
}

/// `relink`: the cross-document layer emptied and rebuilt over every stored
/// document, in stored order, with the current models (one command after a
/// model change). Waits for another writer as ingest does.
pub fn relink(db: &Path, json: bool) -> anyhow::Result<ExitCode> {
    if !db.exists() {
        bail!(
            "database {} does not exist; run `chronicle ingest` first (or pass --db)",
            db.display()
        );
    }
    let mut store = crate::cmd_ingest::open_writer(db, crate::cmd_ingest::DEFAULT_WAIT)?;
    // The report counts the caps hit; nothing to draw while it runs.
    let mut on_event = |_: &chronicle_engine::IngestEvent| {};
    let report = chronicle_engine::relink(
        &mut store,
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
