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
/// The story view lists every report (from the link tables) and its first
/// this many merged events in date order (the rest are paged by
/// `events --merged --story` or `GET /api/v1/merged-events?story=`), each with
/// its first [`VIEW_MENTIONS`] mentions (`num_mentions` counts them all): a
/// story of thousands of events, or an event copied by hundreds of outlets,
/// answers as fast as a small one.
pub const VIEW_EVENTS: usize = 300;
pub const VIEW_MENTIONS: usize = 20;

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

/// What a story's view left out: its merged events after the first
/// [`VIEW_EVENTS`], or mentions after an event's first [`VIEW_MENTIONS`].
/// Every report and every claim (hence every disagreement) is always in.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct PartialView {
    /// Reports whose claims the disagreements compare: all of them.
    pub documents_read: usize,
    pub events_shown: usize,
    pub events_total: usize,
    /// Events listed with only their first mentions.
    #[serde(default)]
    pub events_with_mentions_cut: usize,
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
    Ok(item_and_documents(store, s)?.0)
}

/// The story's row and its documents' rows (in link order), read once for
/// both the list row and the view.
fn item_and_documents(
    store: &dyn Store,
    s: StoryRow,
) -> Result<(StoryItem, Vec<chronicle_store::StoryDocumentRow>), QueryError> {
    let docs = store.story_documents(&s.id, None)?;
    let mut published: Vec<&chronicle_store::StoryDocumentRow> = docs.iter().collect();
    published.sort_by(|a, b| (&a.published, a.seq).cmp(&(&b.published, b.seq)));
    // The people and organizations the story names most, one name per person
    // (cross-document entities); the coded actors' words when linking found none.
    let entities = top_people(store, &s.id, TOP)?;
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
    let places = if actors.is_empty() {
        let top = store.story_top(&s.id, TOP)?;
        actors = top.actors.into_iter().map(|c| c.name).collect();
        top.places
    } else {
        store.story_places(&s.id, TOP)?
    };
    let item = StoryItem {
        documents: published.into_iter().map(|d| d.doc_id.clone()).collect(),
        top_actors: actors,
        spellings,
        top_places: places.into_iter().map(|c| c.name).collect(),
        id: s.id,
        label: s.label,
        first_date: s.first_date,
        last_date: s.last_date,
        outlets: s.outlets,
    };
    Ok((item, docs))
}

/// The `n` people and organizations a story mentions most, one entity per
/// name whatever labels the tagger gave its mentions, most mentioned first.
/// Only these are read with their variants and roles: a big story names
/// hundreds of entities.
pub fn top_people(
    store: &dyn Store,
    story: &str,
    n: usize,
) -> Result<Vec<chronicle_store::EntityRow>, QueryError> {
    let mut asked = n * 2;
    loop {
        // The store's order: most mentioned, then name, then id.
        let rows = store.entities(&EntityFilter {
            story: Some(story.to_string()),
            labels: vec!["PER".into(), "ORG".into()],
            limit: Some(asked),
            variants_only: true,
            ..Default::default()
        })?;
        let full = rows.len() == asked;
        let mut kept: Vec<chronicle_store::EntityRow> = Vec::new();
        for e in rows {
            if !kept
                .iter()
                .any(|k| k.canonical.eq_ignore_ascii_case(&e.canonical))
            {
                kept.push(e);
            }
        }
        // Names given by several entities can leave fewer than `n` from a
        // full read: ask for more.
        if kept.len() >= n || !full {
            kept.truncate(n);
            return Ok(kept);
        }
        asked *= 4;
    }
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
/// date order, story-level date corrections and disagreements. It reads rows
/// only (no document whole, except those linked before claim contexts were
/// kept), so its cost follows the story's rows, not its reports' length.
pub fn story_detail(store: &dyn Store, s: StoryRow) -> Result<StoryDetail, QueryError> {
    let (item, docs) = item_and_documents(store, s)?;
    let corrections: HashMap<String, chronicle_store::DateCorrection> = store
        .date_corrections(Some(&item.id))?
        .into_iter()
        .map(|c| (c.doc_id.clone(), c))
        .collect();
    let mut reports: Vec<StoryReport> = docs
        .iter()
        .map(|d| {
            let correction = corrections.get(&d.doc_id);
            StoryReport {
                document: d.doc_id.clone(),
                outlet: d.outlet.clone(),
                title: d.title.clone(),
                published: d.published.clone(),
                provenance: d
                    .provenance
                    .clone()
                    .or_else(|| correction.map(|_| "story".to_string())),
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
            }
        })
        .collect();
    reports.sort_by(|a, b| (&a.published, &a.document).cmp(&(&b.published, &b.document)));
    // In date order (then first report, then id), as the store lists them.
    let mut events = store.merged_events(&MergedEventFilter {
        story: Some(item.id.clone()),
        limit: Some(VIEW_EVENTS + 1),
        ..Default::default()
    })?;
    let more_events = events.len() > VIEW_EVENTS;
    events.truncate(VIEW_EVENTS);
    let mut cut = 0;
    let ids: Vec<String> = events.iter().map(|e| e.id.clone()).collect();
    let mut mentions = store.merged_event_mentions_of(&ids, Some(VIEW_MENTIONS))?;
    for e in &mut events {
        e.mentions = mentions.remove(&e.id).unwrap_or_default();
        cut += usize::from((e.mentions.len() as u64) < e.num_mentions);
    }
    let disagreements = story_disagreements(store, &item.id)?;
    let partial = if more_events || cut > 0 {
        let total = if more_events {
            store.story_event_count(&item.id)? as usize
        } else {
            events.len()
        };
        Some(PartialView {
            documents_read: docs.len(),
            events_shown: events.len(),
            events_total: total,
            events_with_mentions_cut: cut,
        })
    } else {
        None
    };
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

/// A story's disagreements (also `GET /api/v1/stories/{id}/disagreements`):
/// every report's claims, rebuilt from their rows and the context the link
/// step kept; a report linked before contexts were kept is read whole.
pub fn story_disagreements(
    store: &dyn Store,
    story: &str,
) -> Result<Vec<Disagreement>, QueryError> {
    disagreements_of(store, story, true)
}

/// [`story_disagreements`] from every report read whole, ignoring the kept
/// contexts: what they must agree with (the tests compare both).
pub fn story_disagreements_from_documents(
    store: &dyn Store,
    story: &str,
) -> Result<Vec<Disagreement>, QueryError> {
    disagreements_of(store, story, false)
}

fn disagreements_of(
    store: &dyn Store,
    story: &str,
    use_contexts: bool,
) -> Result<Vec<Disagreement>, QueryError> {
    let mut claims = Vec::new();
    let mut unread: Vec<String> = Vec::new();
    let mut merged_of: HashMap<(String, usize), String> = HashMap::new();
    for c in store.story_claims(story)? {
        let context = c
            .context
            .as_deref()
            .filter(|_| use_contexts)
            .and_then(|j| serde_json::from_str::<conflicts::ClaimContext>(j).ok());
        let Some(context) = context else {
            if let Some(m) = c.merged_event {
                merged_of.insert((c.claim.doc_id.clone(), c.claim.index), m);
            }
            if unread.last() != Some(&c.claim.doc_id) {
                unread.push(c.claim.doc_id);
            }
            continue;
        };
        let row = c.claim;
        claims.push(conflicts::ClaimRef::from_context(
            row.doc_id,
            row.outlet,
            row.published,
            chronicle_core::Claim {
                start: row.start,
                end: row.end,
                text: row.text,
                value: row.value,
                qualifier: row.qualifier,
                kind: row.kind,
                subject: row.subject,
                claimant: row.claimant,
                place: row.place,
                time: row.time,
            },
            c.merged_event,
            context,
        ));
    }
    for id in unread {
        if let Some(doc) = store.get(&id)? {
            for (i, mut c) in conflicts::claim_refs(&doc).into_iter().enumerate() {
                c.merged_event = merged_of.get(&(doc.id.clone(), i)).cloned();
                claims.push(c);
            }
        }
    }
    Ok(disagreements(&claims))
}

/// The story's numeric claims grouped by quantity, each tied to the merged
/// event it counts; only groups whose values differ are disagreements.
fn disagreements(claims: &[conflicts::ClaimRef]) -> Vec<Disagreement> {
    conflicts::disagreements(claims)
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
        .collect()
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
