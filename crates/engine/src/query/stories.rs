//! The story list (`chronicle stories --json`, `GET /api/v1/stories`) and the
//! story view (`chronicle story ID --json`, `GET /api/v1/stories/{id}`):
//! documents and outlets, merged events in date order with their sources,
//! story-level date corrections, disagreeing figures (computed at read time with
//! `chronicle_link::conflicts`) and top actors. These types are the contract
//! other tools read: fields are only added.

use super::{short, QueryError};
use chronicle_link::conflicts;
use chronicle_store::{
    EntityFilter, MergedEventFilter, MergedEventRow, Store, StoryFilter, StoryRow,
};
use schemars::JsonSchema;
use serde::Serialize;
use std::collections::HashMap;

/// How many actors and places a story lists.
const TOP: usize = 5;
/// How many evidence documents a date correction names in the text view.
const EVIDENCE_NAMED: usize = 4;
/// A story larger than this is shown in part: every report listed from the
/// link tables, but only its newest this many documents read whole (for their
/// dates' provenance and their claims), and its first [`VIEW_EVENTS`] merged
/// events in date order. A 12,000-document story then answers in seconds
/// instead of reading every document.
pub const VIEW_DOCUMENTS: usize = 500;
pub const VIEW_EVENTS: usize = 1000;

/// One row of `stories --json`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct StoryItem {
    /// Stable id: it survives re-ingest and later merges.
    pub id: String,
    /// The most representative headline.
    pub label: String,
    pub first_date: Option<String>,
    pub last_date: Option<String>,
    /// Document ids, in publication order.
    pub documents: Vec<String>,
    /// Distinct outlets.
    pub outlets: Vec<String>,
    /// The most mentioned actors and places.
    pub top_actors: Vec<String>,
    /// Top actors the outlets spell in more than one way.
    pub spellings: Vec<Spelling>,
    pub top_places: Vec<String>,
}

/// One person or organization written several ways across the story's reports.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Spelling {
    pub actor: String,
    /// The cross-document entity.
    pub entity: String,
    /// The other full spellings ("Sergey Lavrov" beside "Sergei Lavrov").
    pub variants: Vec<String>,
}

/// One value of a disagreement, tied to who said it and where.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct FigureValue {
    pub value: f64,
    pub claimant: Option<String>,
    pub outlet: Option<String>,
    pub document: String,
    pub start: usize,
    pub end: usize,
    /// The document's publication date.
    pub date: Option<String>,
}

/// Numeric claims about the same quantity whose values differ.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Disagreement {
    /// Claim kind: KILL, WOUND, BESIEGED, DISPLACE, …
    pub kind: String,
    pub place: Option<String>,
    pub time: Option<String>,
    /// Largest value minus smallest.
    pub spread: f64,
    pub values: Vec<FigureValue>,
}

/// One document of a story, with its stated and (where the story corrected or
/// supplied it) its story-level date.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct StoryReport {
    pub document: String,
    pub outlet: Option<String>,
    pub title: Option<String>,
    /// The publication date in use, and where it came from (`header`, `story`, …).
    pub published: Option<String>,
    pub provenance: Option<String>,
    /// When the story corrected or supplied the date: the date the document
    /// stated (None when it stated none).
    pub stated_date: Option<String>,
    /// Why the story's date was chosen, naming the documents it rests on.
    pub date_evidence: Option<String>,
}

impl StoryReport {
    pub fn corrected(&self) -> bool {
        self.provenance.as_deref() == Some("story")
    }
}

/// `story ID --json`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct StoryDetail {
    pub id: String,
    pub label: String,
    pub first_date: Option<String>,
    pub last_date: Option<String>,
    /// Document ids, in publication order.
    pub documents: Vec<String>,
    pub outlets: Vec<String>,
    pub top_actors: Vec<String>,
    pub spellings: Vec<Spelling>,
    pub top_places: Vec<String>,
    /// Each document with its outlet, title and dates.
    pub reports: Vec<StoryReport>,
    /// Merged events in date order, with their mentions.
    pub events: Vec<MergedEventRow>,
    pub disagreements: Vec<Disagreement>,
    /// Set when the story is too large to show whole: what was read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub partial: Option<PartialView>,
}

/// What a very large story's view read: its newest documents whole (their
/// claims give the disagreements) and its first merged events in date order.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct PartialView {
    pub documents_read: usize,
    pub events_shown: usize,
    pub events_total: usize,
}

/// The stories matching `filter`, each with its documents and top names.
pub fn story_items(store: &dyn Store, filter: &StoryFilter) -> Result<Vec<StoryItem>, QueryError> {
    let mut items = Vec::new();
    for s in store.stories(filter)? {
        items.push(story_item(store, s)?);
    }
    Ok(items)
}

pub fn story_item(store: &dyn Store, s: StoryRow) -> Result<StoryItem, QueryError> {
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
pub fn resolve_story(store: &dyn Store, prefix: &str) -> Result<StoryRow, QueryError> {
    if let Some(s) = store.story(prefix)? {
        return Ok(s);
    }
    let all = store.stories(&StoryFilter {
        include_merged: true,
        ..Default::default()
    })?;
    let hits: Vec<&StoryRow> = all.iter().filter(|s| s.id.starts_with(prefix)).collect();
    match hits.as_slice() {
        [one] => store.story(&one.id)?.ok_or_else(|| QueryError::Unreadable {
            what: "story",
            id: one.id.clone(),
        }),
        [] => Err(QueryError::NotFound {
            what: "story",
            id: prefix.to_string(),
        }),
        many => Err(QueryError::Ambiguous {
            what: "story",
            prefix: prefix.to_string(),
            candidates: many.iter().map(|s| s.id.clone()).collect(),
        }),
    }
}

/// Everything `story ID` shows: documents with their dates, merged events in
/// date order, story-level date corrections and disagreements.
pub fn story_detail(store: &dyn Store, s: StoryRow) -> Result<StoryDetail, QueryError> {
    let item = story_item(store, s)?;
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
            Some(p) => (Some(p.date.clone()), Some(provenance_name(&p.provenance))),
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
                    .map(|e| short(e))
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
    let partial = (docs.len() > VIEW_DOCUMENTS).then(|| PartialView {
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

/// A story's disagreements alone (`GET /api/v1/stories/{id}/disagreements`):
/// the same figures as the story view, from the same documents (the newest
/// [`VIEW_DOCUMENTS`] read whole, in the story's order).
pub fn story_disagreements(
    store: &dyn Store,
    story: &str,
) -> Result<Vec<Disagreement>, QueryError> {
    let docs = store.story_documents(story, None)?;
    let mut newest: Vec<&chronicle_store::StoryDocumentRow> = docs.iter().collect();
    newest.sort_by(|a, b| (&b.published, b.seq).cmp(&(&a.published, a.seq)));
    let read_whole: std::collections::HashSet<&str> = newest
        .iter()
        .take(VIEW_DOCUMENTS)
        .map(|d| d.doc_id.as_str())
        .collect();
    let mut documents = Vec::new();
    for d in docs
        .iter()
        .filter(|d| read_whole.contains(d.doc_id.as_str()))
    {
        documents.extend(store.get(&d.doc_id)?);
    }
    disagreements(store, story, &documents)
}

/// The story's numeric claims grouped by quantity, each tied to the merged
/// event it counts; only groups whose values differ are disagreements.
fn disagreements(
    store: &dyn Store,
    story: &str,
    docs: &[chronicle_core::Document],
) -> Result<Vec<Disagreement>, QueryError> {
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

/// A date provenance as its JSON name (`header`, `story`, …).
fn provenance_name(p: &chronicle_core::DateProvenance) -> String {
    serde_json::to_string(p)
        .unwrap_or_default()
        .trim_matches('"')
        .to_string()
}

/// The merged events `events --merged` lists: the filter's actor, CAMEO code
/// and dates apply to each merged event's consensus fields; a story given by
/// id prefix. A PLOVER type cannot select merged events (they carry a
/// consensus CAMEO code only).
pub fn merged_events(
    store: &dyn Store,
    filter: chronicle_store::EventFilter,
    story: Option<&str>,
    min_sources: Option<u64>,
) -> Result<Vec<MergedEventRow>, QueryError> {
    if let Some(p) = filter.plover_type {
        return Err(QueryError::Invalid {
            parameter: "code",
            message: format!("merged events carry a consensus CAMEO code, not a PLOVER type: give a CAMEO code or prefix instead of {p}"),
        });
    }
    let story = match story {
        Some(prefix) => Some(resolve_story(store, prefix)?.id),
        None => None,
    };
    Ok(store.merged_events(&MergedEventFilter {
        story,
        code: filter.code,
        actor: filter.actor,
        from: filter.from,
        to: filter.to,
        min_sources,
        entities: None,
        with_mentions: true,
        limit: filter.limit,
    })?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_story_contract_names_its_fields() {
        let s = serde_json::to_string(&schemars::schema_for!(StoryDetail)).unwrap();
        for f in [
            "documents",
            "events",
            "disagreements",
            "claimant",
            "num_sources",
        ] {
            assert!(s.contains(f), "{f}");
        }
    }

    #[test]
    fn other_spellings_are_full_names() {
        let v = vec![
            "Lavrov".to_string(),
            "Sergey Lavrov".to_string(),
            "sergei  lavrov".to_string(),
        ];
        assert_eq!(
            other_spellings("Sergei Lavrov", &v),
            vec!["Sergey Lavrov".to_string()]
        );
    }
}
