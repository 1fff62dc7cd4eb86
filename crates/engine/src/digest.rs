//! What changed in a story since a date or a report: the morning digest. The
//! reports after that point, the events they add, the figures they give anew or
//! revise (each with its source, beside what the earlier reports said), the
//! people and organizations they bring in, and the earlier events they date
//! differently from the earlier reports.
//! Read from the store; claims are read with `chronicle_link::conflicts`'s
//! readers (headline figures, subject classes, place keys). Earlier events the
//! later reports deny or contradict: `denials.rs`.

mod denials;

pub use denials::DeniedEvent;

use crate::timeline::{self, TimelineEntry};
use chronicle_link::conflicts::{self, ClaimRef, FigureValue};
use chronicle_store::{EntityFilter, MergedEventFilter, Store, StoreError, StoryDocumentRow};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// The point a digest starts after.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Since {
    /// Reports published after this day (`YYYY-MM-DD`, or a month or year:
    /// after its whole period).
    Date(String),
    /// Reports published after this one (same day: linked after it).
    Document(String),
}

/// A later report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DigestReport {
    pub document: String,
    pub outlet: Option<String>,
    pub title: Option<String>,
    pub published: Option<String>,
}

/// How a quantity's figures moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FigureChangeKind {
    /// No earlier report gave this quantity.
    New,
    /// A later report gives a value no earlier report gave.
    Revised,
}

/// One quantity the later reports give anew or revise.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FigureChange {
    pub change: FigureChangeKind,
    pub kind: String,
    pub subject: String,
    pub place: Option<String>,
    pub time: Option<String>,
    /// What the earlier reports said (empty for a new figure).
    pub before: Vec<FigureValue>,
    /// What the later reports say.
    pub after: Vec<FigureValue>,
}

/// A person or organization the later reports bring into the story.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NewActor {
    pub entity: String,
    pub name: String,
    pub label: String,
    pub first_seen: Option<String>,
}

/// An earlier event a later report tells differently.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RetoldEvent {
    pub event: String,
    pub label: String,
    /// What differs: `date` (dates the texts state).
    pub field: String,
    /// What the earlier reports gave, and what the later ones give instead.
    pub before: Vec<String>,
    pub after: Vec<String>,
    /// The later reports that differ.
    pub documents: Vec<String>,
}

/// `story ID --since DATE|DOC`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoryDigest {
    pub story: String,
    /// The cutoff as given.
    pub since: String,
    pub reports: Vec<DigestReport>,
    pub new_events: Vec<TimelineEntry>,
    pub figures: Vec<FigureChange>,
    pub new_actors: Vec<NewActor>,
    pub retold: Vec<RetoldEvent>,
    /// Earlier events a later report denies ("X denied carrying out the
    /// strike") or contradicts (the same act by the same actors told as not
    /// done), each with the sentence, its report and who denies.
    pub denied: Vec<DeniedEvent>,
}

/// Why a digest could not be made.
#[derive(Debug, thiserror::Error)]
pub enum DigestError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("document {0} is not a report of this story")]
    NotInStory(String),
}

/// Whether `date` falls after the whole period `day` names ("2016-10" covers
/// the month: later means a later month).
fn after_period(date: Option<&str>, day: &str) -> bool {
    date.is_some_and(|d| d.get(..day.len()).is_some_and(|head| head > day))
}

/// Whether a report comes after the cutoff.
fn after_cutoff(d: &StoryDocumentRow, since: &Since, anchor: Option<&StoryDocumentRow>) -> bool {
    match (since, anchor) {
        (Since::Date(day), _) => after_period(d.published.as_deref(), day),
        (Since::Document(_), Some(a)) => {
            (d.published.as_deref(), d.seq) > (a.published.as_deref(), a.seq)
                && d.doc_id != a.doc_id
        }
        (Since::Document(_), None) => false,
    }
}

/// The digest of `story` since `since`; `label_of` names a CAMEO code's action.
pub fn story_since(
    store: &dyn Store,
    story: &str,
    since: &Since,
    label_of: &dyn Fn(&str) -> String,
) -> Result<StoryDigest, DigestError> {
    let docs = store.story_documents(story, None)?;
    let anchor = match since {
        Since::Document(id) => Some(
            docs.iter()
                .find(|d| d.doc_id == *id)
                .ok_or_else(|| DigestError::NotInStory(id.clone()))?,
        ),
        Since::Date(_) => None,
    };
    let later: BTreeSet<&str> = docs
        .iter()
        .filter(|d| after_cutoff(d, since, anchor))
        .map(|d| d.doc_id.as_str())
        .collect();
    let mut reports: Vec<DigestReport> = docs
        .iter()
        .filter(|d| later.contains(d.doc_id.as_str()))
        .map(|d| DigestReport {
            document: d.doc_id.clone(),
            outlet: d.outlet.clone(),
            title: d.title.clone(),
            published: d.published.clone(),
        })
        .collect();
    reports.sort_by(|a, b| (&a.published, &a.document).cmp(&(&b.published, &b.document)));

    let events = store.merged_events(&MergedEventFilter {
        story: Some(story.to_string()),
        with_mentions: true,
        ..Default::default()
    })?;
    let mut new_rows = Vec::new();
    let mut retold = Vec::new();
    let mut earlier = Vec::new();
    for e in events {
        let (late, early): (Vec<_>, Vec<_>) = e
            .mentions
            .iter()
            .partition(|m| later.contains(m.document.as_str()));
        if late.is_empty() {
            earlier.push(e);
            continue;
        }
        if early.is_empty() {
            new_rows.push(e);
            continue;
        }
        let retold_event = retold_date(&e, &early, &late, label_of);
        retold.extend(retold_event);
        earlier.push(e);
    }
    let new_events = {
        let t = timeline::order(String::new(), new_rows, label_of);
        t.events.into_iter().chain(t.undated).collect()
    };

    let figures = figure_changes(store, &docs, &later)?;
    let denied = denied_events(store, &docs, &later, &earlier, label_of)?;

    let first_seen_after = |first: Option<&str>| match (since, anchor) {
        (Since::Date(day), _) => after_period(first, day),
        (Since::Document(_), Some(a)) => {
            first.is_some_and(|f| a.published.as_deref().is_some_and(|p| f > p))
        }
        _ => false,
    };
    let new_actors = store
        .entities(&EntityFilter {
            story: Some(story.to_string()),
            ..Default::default()
        })?
        .into_iter()
        .filter(|e| {
            (e.label == "PER" || e.label == "ORG") && first_seen_after(e.first_seen.as_deref())
        })
        .map(|e| NewActor {
            entity: e.id,
            name: e.canonical,
            label: e.label,
            first_seen: e.first_seen,
        })
        .collect();

    Ok(StoryDigest {
        story: story.to_string(),
        since: match since {
            Since::Date(d) => d.clone(),
            Since::Document(d) => d.clone(),
        },
        reports,
        new_events,
        figures,
        new_actors,
        retold,
        denied,
    })
}

/// An event told before and after the cutoff whose later reports' texts state
/// a date the earlier ones did not.
fn retold_date(
    e: &chronicle_store::MergedEventRow,
    early: &[&chronicle_store::EventMentionRow],
    late: &[&chronicle_store::EventMentionRow],
    label_of: &dyn Fn(&str) -> String,
) -> Option<RetoldEvent> {
    // Only dates a report's text states: a mention dated by its report's
    // publication day says when it was reported, not when it happened.
    let stated = |m: &&&chronicle_store::EventMentionRow| {
        m.date_source.as_deref() == Some("time_expression") && !m.date_in_doubt
    };
    let before: BTreeSet<String> = early
        .iter()
        .filter(stated)
        .filter_map(|m| m.date.clone())
        .collect();
    let differing: Vec<&&chronicle_store::EventMentionRow> = late
        .iter()
        .filter(stated)
        .filter(|m| m.date.as_ref().is_some_and(|v| !before.contains(v)))
        .collect();
    if before.is_empty() || differing.is_empty() {
        return None;
    }
    Some(RetoldEvent {
        event: e.id.clone(),
        label: timeline::label(e, label_of),
        field: "date".to_string(),
        before: before.into_iter().collect(),
        after: differing
            .iter()
            .filter_map(|m| m.date.clone())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect(),
        documents: differing
            .iter()
            .map(|m| m.document.clone())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect(),
    })
}

/// Later reports read for denials: the first this many after the cutoff, so
/// the digest of a huge story reads a bounded number of documents.
const DENIAL_REPORTS: usize = 500;
/// Earlier events listed per denying sentence, closest fits first: "denied any
/// involvement" fits every act of force of the denier.
const EVENTS_PER_DENIAL: usize = 3;

/// Earlier events (told by a report before the cutoff) that a later report
/// denies or contradicts.
fn denied_events(
    store: &dyn Store,
    docs: &[StoryDocumentRow],
    later: &BTreeSet<&str>,
    earlier: &[chronicle_store::MergedEventRow],
    label_of: &dyn Fn(&str) -> String,
) -> Result<Vec<DeniedEvent>, StoreError> {
    let Some(coder) = chronicle_events::EventCoder::shared() else {
        return Ok(Vec::new());
    };
    if earlier.is_empty() {
        return Ok(Vec::new());
    }
    let plover = |code: &str| coder.book.info(code).plover_type;
    let outlet_of = |id: &str| {
        docs.iter()
            .find(|d| d.doc_id == id)
            .and_then(|d| d.outlet.clone())
    };
    // Each earlier event with its mentions from reports before the cutoff.
    let told: Vec<(
        &chronicle_store::MergedEventRow,
        Vec<&chronicle_store::EventMentionRow>,
    )> = earlier
        .iter()
        .map(|e| {
            let early = e
                .mentions
                .iter()
                .filter(|m| !later.contains(m.document.as_str()))
                .collect();
            (e, early)
        })
        .collect();
    let mut reports: Vec<&StoryDocumentRow> = docs
        .iter()
        .filter(|d| later.contains(d.doc_id.as_str()))
        .collect();
    reports.sort_by(|a, b| (&a.published, a.seq).cmp(&(&b.published, b.seq)));
    let mut out: Vec<DeniedEvent> = Vec::new();
    for d in reports.into_iter().take(DENIAL_REPORTS) {
        let Some(doc) = store.get(&d.doc_id)? else {
            continue;
        };
        let found = coder.denials(&doc);
        if found.is_empty() {
            continue;
        }
        let entity_mentions = store.entity_mentions(&d.doc_id)?;
        for denial in &found {
            let l = denials::LaterDenial {
                denial,
                document: &d.doc_id,
                outlet: d.outlet.as_deref(),
                published: d.published.as_deref(),
                denier_entity: denial
                    .denier
                    .as_ref()
                    .and_then(|a| denials::entity_at(&entity_mentions, a.start, a.end)),
                source_entities: denial
                    .sources
                    .iter()
                    .filter_map(|a| denials::entity_at(&entity_mentions, a.start, a.end))
                    .collect(),
            };
            let mut fits: Vec<(u8, &chronicle_store::MergedEventRow, Vec<String>)> = told
                .iter()
                .filter(|(_, early)| !early.is_empty())
                .filter_map(|(e, early)| {
                    denials::fit(&l, e, early, &plover).map(|(s, why)| (s, *e, why))
                })
                .collect();
            let Some(best) = fits.iter().map(|f| f.0).max() else {
                continue;
            };
            fits.retain(|f| f.0 == best);
            let equally = fits.len();
            // The most reported events first (a denial answers what many
            // outlets told), then the most recent.
            fits.sort_by(|a, b| {
                (b.1.num_sources, &b.1.date)
                    .cmp(&(a.1.num_sources, &a.1.date))
                    .then(a.1.id.cmp(&b.1.id))
            });
            for (_, e, matched) in fits.into_iter().take(EVENTS_PER_DENIAL) {
                let duplicate = out.iter().any(|o| {
                    o.event == e.id && o.document == l.document && o.start == denial.start
                });
                if duplicate {
                    continue;
                }
                out.push(DeniedEvent {
                    event: e.id.clone(),
                    label: timeline::label(e, label_of),
                    date: e.date.clone(),
                    first_document: e.first_document.clone(),
                    first_date: e.first_date.clone(),
                    first_outlet: e.first_document.as_deref().and_then(outlet_of),
                    kind: denials::kind_word(denial.kind).to_string(),
                    sentence: denial.sentence.clone(),
                    document: l.document.to_string(),
                    outlet: l.outlet.map(str::to_string),
                    published: l.published.map(str::to_string),
                    start: denial.start,
                    end: denial.end,
                    cue: denial.cue_text.clone(),
                    cue_start: denial.cue.start,
                    cue_end: denial.cue.end,
                    denier: denial.denier.as_ref().map(|a| a.text.clone()),
                    denier_code: denial.denier.as_ref().and_then(|a| a.code.clone()),
                    matched,
                    equally_fitting: equally,
                });
            }
        }
    }
    Ok(out)
}

/// The story's casualty figures by quantity over time: kind, what is counted
/// and where (not the day: a toll raised from 20 to 25 the next day is the same
/// quantity revised), one figure per report and quantity (its headline's, else
/// its first). Kept where a later report gives one: new when no earlier report
/// gave the quantity, revised when it gives a value none gave.
fn figure_changes(
    store: &dyn Store,
    docs: &[StoryDocumentRow],
    later: &BTreeSet<&str>,
) -> Result<Vec<FigureChange>, StoreError> {
    /// Kind, subject class, place key.
    type Key = (String, String, String);
    /// The place as first written, and each report's value (later or not).
    type Told = (Option<String>, Vec<(bool, FigureValue)>);
    let mut by_key: BTreeMap<Key, Told> = BTreeMap::new();
    let mut seen: BTreeSet<(String, Key)> = BTreeSet::new();
    for d in docs {
        let Some(doc) = store.get(&d.doc_id)? else {
            continue;
        };
        let mut claims: Vec<ClaimRef> = conflicts::claim_refs(&doc)
            .into_iter()
            .filter(|c| conflicts::CASUALTY_KINDS.contains(&c.claim.kind.as_str()))
            .filter(|c| c.claim.value > 0.0 && c.claim.value.is_finite())
            .filter(|c| !conflicts::chronicle_quotes_vague(&c.claim.text))
            .collect();
        claims.sort_by_key(|c| (!c.headline, c.claim.start));
        for c in claims {
            let place = c.claim.place.clone().or(c.context_place.clone());
            let key = (
                c.claim.kind.clone(),
                conflicts::ref_class(&c),
                place
                    .as_deref()
                    .map(conflicts::place_key)
                    .unwrap_or_default(),
            );
            if !seen.insert((d.doc_id.clone(), key.clone())) {
                continue;
            }
            let value = FigureValue {
                value: c.claim.value,
                qualifier: c.claim.qualifier.clone(),
                text: c.claim.text.clone(),
                claimant: c.claim.claimant.clone(),
                outlet: d.outlet.clone().or(c.outlet.clone()),
                document: d.doc_id.clone(),
                start: c.claim.start,
                end: c.claim.end,
                date: d.published.clone().or(c.date.clone()),
            };
            let slot = by_key
                .entry(key)
                .or_insert_with(|| (place.clone(), Vec::new()));
            slot.1.push((later.contains(d.doc_id.as_str()), value));
        }
    }
    let mut out = Vec::new();
    for ((kind, subject, _), (place, values)) in by_key {
        let (after, before): (Vec<_>, Vec<_>) = values.into_iter().partition(|(late, _)| *late);
        let after: Vec<FigureValue> = after.into_iter().map(|(_, v)| v).collect();
        let before: Vec<FigureValue> = before.into_iter().map(|(_, v)| v).collect();
        if after.is_empty() {
            continue;
        }
        let change = if before.is_empty() {
            FigureChangeKind::New
        } else if after
            .iter()
            .any(|a| !before.iter().any(|b| b.value == a.value))
        {
            FigureChangeKind::Revised
        } else {
            continue;
        };
        out.push(FigureChange {
            change,
            kind,
            subject,
            place,
            time: None,
            before,
            after,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(id: &str, published: Option<&str>, seq: i64) -> StoryDocumentRow {
        StoryDocumentRow {
            provenance: None,
            story_id: "s".into(),
            doc_id: id.into(),
            seq,
            score: 1.0,
            copy_of: None,
            outlet: None,
            title: None,
            url: None,
            published: published.map(str::to_string),
            date_in_doubt: false,
        }
    }

    #[test]
    fn the_cutoff_covers_a_whole_period() {
        let since = Since::Date("2016-10".into());
        assert!(!after_cutoff(
            &doc("a", Some("2016-10-31"), 1),
            &since,
            None
        ));
        assert!(after_cutoff(&doc("b", Some("2016-11-01"), 2), &since, None));
        let since = Since::Date("2016-10-03".into());
        assert!(!after_cutoff(
            &doc("c", Some("2016-10-03"), 3),
            &since,
            None
        ));
        assert!(after_cutoff(&doc("d", Some("2016-10-04"), 4), &since, None));
        assert!(!after_cutoff(&doc("e", None, 5), &since, None));
    }

    #[test]
    fn after_a_report_means_published_or_linked_after_it() {
        let anchor = doc("a", Some("2016-10-03"), 5);
        let since = Since::Document("a".into());
        assert!(!after_cutoff(&anchor, &since, Some(&anchor)));
        assert!(after_cutoff(
            &doc("b", Some("2016-10-03"), 6),
            &since,
            Some(&anchor)
        ));
        assert!(!after_cutoff(
            &doc("c", Some("2016-10-03"), 4),
            &since,
            Some(&anchor)
        ));
        assert!(after_cutoff(
            &doc("d", Some("2016-10-04"), 1),
            &since,
            Some(&anchor)
        ));
    }
}
