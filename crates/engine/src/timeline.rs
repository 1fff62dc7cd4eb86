//! Timelines: the merged events of an actor, a pair of actors or a story, in
//! order, each with its date and that date's precision, a short label, its
//! sources, its first report and the sentence of its best mention. Read from
//! the stored merged events, never recomputed from documents. Where the reports
//! date one event differently, every version is kept with its outlets; undated
//! events are listed apart, never given a guessed date.

use chronicle_store::{EventMentionRow, MergedEventFilter, MergedEventRow, Store, StoreError};
use serde::Serialize;
use std::collections::BTreeMap;

/// How many mentions of each merged event a timeline reads (in link order).
pub const MENTIONS_READ: usize = 8;

/// One side of a timeline: a coded actor or a named person or organization.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Party {
    /// A CAMEO actor code or its prefix (`RUS`, `USAGOV`), as source or target.
    Code(String),
    /// A name (or part of one) of cross-document entities ("Lavrov"): every
    /// entity whose name or a variant contains it, as a mention's source or
    /// target.
    Name(String),
}

/// How many entities a name may answer.
pub const NAME_ENTITIES: usize = 50;

/// Whose timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TimelineSubject {
    Actor(Party),
    /// Events between two parties, either way round.
    Pair(Party, Party),
    /// Every merged event of one story (its full id).
    Story(String),
}

/// A party as the store's rows can be matched: a code prefix, or entity ids.
struct Resolved {
    code: Option<String>,
    entities: Vec<String>,
    label: String,
}

fn resolve(store: &dyn Store, p: &Party) -> Result<Resolved, StoreError> {
    Ok(match p {
        Party::Code(c) => Resolved {
            code: Some(c.clone()),
            entities: Vec::new(),
            label: c.clone(),
        },
        Party::Name(n) => {
            let found = store.entities(&chronicle_store::EntityFilter {
                name: Some(n.clone()),
                limit: Some(NAME_ENTITIES),
                ..Default::default()
            })?;
            let names: Vec<String> = found
                .iter()
                .map(|e| e.canonical.clone())
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .take(3)
                .collect();
            Resolved {
                code: None,
                label: if names.is_empty() {
                    n.clone()
                } else {
                    format!("{n} ({})", names.join(", "))
                },
                entities: found.into_iter().map(|e| e.id).collect(),
            }
        }
    })
}

impl Resolved {
    /// Whether a mention's source or target (`which`: 0 source, 1 target) is
    /// this party.
    fn is(&self, code: &Option<String>, entity: &Option<String>) -> bool {
        match &self.code {
            Some(c) => has_prefix(code, c),
            None => entity.as_ref().is_some_and(|e| self.entities.contains(e)),
        }
    }

    fn narrow(&self, filter: &mut MergedEventFilter) {
        match &self.code {
            Some(c) => filter.actor = Some(c.clone()),
            None => filter.entities = Some(self.entities.clone()),
        }
    }
}

/// A timeline request: the subject, and optional bounds on the event date
/// (`YYYY-MM-DD`, inclusive).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelineQuery {
    pub subject: TimelineSubject,
    pub from: Option<String>,
    pub to: Option<String>,
}

/// How much of a date the reports give.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DatePrecision {
    Day,
    Month,
    Year,
}

impl DatePrecision {
    /// The precision of an ISO date or partial date (`2016-10-03`, `2016-10`,
    /// `2016`); `None` for anything else.
    pub fn of(date: &str) -> Option<DatePrecision> {
        let parts: Vec<&str> = date.split('-').collect();
        let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
        match parts.as_slice() {
            [y] if digits(y, 4) => Some(DatePrecision::Year),
            [y, m] if digits(y, 4) && digits(m, 2) => Some(DatePrecision::Month),
            [y, m, d] if digits(y, 4) && digits(m, 2) && digits(d, 2) => Some(DatePrecision::Day),
            _ => None,
        }
    }
}

/// The sentence that best tells of an event, and where it is.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TimelineEvidence {
    pub document: String,
    pub outlet: Option<String>,
    /// Byte span of the event in the document's text.
    pub start: usize,
    pub end: usize,
    pub sentence: Option<String>,
}

/// One date the reports give an event, with who gives it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DateVersion {
    pub date: String,
    pub precision: Option<DatePrecision>,
    pub mentions: u64,
    pub outlets: Vec<String>,
    pub documents: Vec<String>,
}

/// One event on a timeline.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TimelineEntry {
    /// Position on the timeline, from 1; events of one date share it. Undated
    /// events have none.
    pub order: Option<usize>,
    /// The merged event.
    pub event: String,
    pub story: String,
    /// The date most of its mentions give (None: undated).
    pub date: Option<String>,
    pub precision: Option<DatePrecision>,
    /// Source, action and target in words ("USA Threaten RUS").
    pub label: String,
    pub code: Option<String>,
    pub source: Option<String>,
    pub target: Option<String>,
    pub place: Option<String>,
    pub num_sources: u64,
    pub num_mentions: u64,
    pub num_articles: u64,
    pub first_document: Option<String>,
    pub first_date: Option<String>,
    pub evidence: Option<TimelineEvidence>,
    /// Every date its first mentions give, when they give more than one: the
    /// timeline does not silently pick one.
    pub date_versions: Vec<DateVersion>,
    /// Its first mentions (at most [`MENTIONS_READ`], in link order), each with
    /// its document, outlet and evidence span; `num_mentions` counts them all.
    pub mentions: Vec<EventMentionRow>,
}

/// A timeline: dated events in order, then the undated ones.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Timeline {
    pub subject: String,
    pub events: Vec<TimelineEntry>,
    pub undated: Vec<TimelineEntry>,
}

/// Reads the timeline `query` asks for from the store's merged events;
/// `label_of` names a CAMEO code's action (the caller's code table).
pub fn timeline(
    store: &dyn Store,
    query: &TimelineQuery,
    label_of: &dyn Fn(&str) -> String,
) -> Result<Timeline, StoreError> {
    let mut filter = MergedEventFilter {
        from: query.from.clone(),
        to: query.to.clone(),
        ..Default::default()
    };
    let mut pair: Option<(Resolved, Resolved)> = None;
    let subject = match &query.subject {
        TimelineSubject::Actor(a) => {
            let r = resolve(store, a)?;
            if r.code.is_none() && r.entities.is_empty() {
                return Ok(order(r.label, Vec::new(), label_of));
            }
            r.narrow(&mut filter);
            r.label
        }
        TimelineSubject::Pair(a, b) => {
            let (ra, rb) = (resolve(store, a)?, resolve(store, b)?);
            let label = format!("{} and {}", ra.label, rb.label);
            if [&ra, &rb]
                .iter()
                .any(|r| r.code.is_none() && r.entities.is_empty())
            {
                return Ok(order(label, Vec::new(), label_of));
            }
            ra.narrow(&mut filter);
            pair = Some((ra, rb));
            label
        }
        TimelineSubject::Story(s) => {
            filter.story = Some(s.clone());
            s.clone()
        }
    };
    let mut rows = Vec::new();
    for mut e in store.merged_events(&filter)? {
        // A merged event of a big story can hold thousands of mentions (copies
        // of one wire story): its first ones pick the evidence and show the
        // dates, `num_mentions` counts them all.
        e.mentions = store.merged_event_mentions(&e.id, Some(MENTIONS_READ))?;
        let keep = match &pair {
            Some((a, b)) => between(&e, a, b),
            None => true,
        };
        if keep {
            rows.push(e);
        }
    }
    Ok(order(subject, rows, label_of))
}

fn has_prefix(v: &Option<String>, prefix: &str) -> bool {
    v.as_deref().is_some_and(|v| v.starts_with(prefix))
}

/// Whether an event sets `a` against `b`, either way round, by its consensus
/// actors or by one of its mentions.
fn between(e: &MergedEventRow, a: &Resolved, b: &Resolved) -> bool {
    let pair = |s: (&Option<String>, &Option<String>), t: (&Option<String>, &Option<String>)| {
        (a.is(s.0, s.1) && b.is(t.0, t.1)) || (b.is(s.0, s.1) && a.is(t.0, t.1))
    };
    let none = None;
    pair((&e.source, &none), (&e.target, &none))
        || e.mentions
            .iter()
            .any(|m| pair((&m.source, &m.source_entity), (&m.target, &m.target_entity)))
}

/// The start of the period a date names, for ordering: a month sorts with
/// its first day, before the days of that month a report names exactly.
fn sort_key(date: &str) -> (String, u8) {
    match DatePrecision::of(date) {
        Some(DatePrecision::Year) => (format!("{date}-01-01"), 0),
        Some(DatePrecision::Month) => (format!("{date}-01"), 0),
        _ => (date.to_string(), 1),
    }
}

/// Orders merged events into a timeline (see [`timeline`]); pure, so front
/// ends and tests can build one from rows they already hold.
pub fn order(
    subject: String,
    rows: Vec<MergedEventRow>,
    label_of: &dyn Fn(&str) -> String,
) -> Timeline {
    let mut dated: Vec<TimelineEntry> = Vec::new();
    let mut undated: Vec<TimelineEntry> = Vec::new();
    for e in rows {
        let entry = entry(e, label_of);
        if entry.precision.is_some() {
            dated.push(entry);
        } else {
            undated.push(entry);
        }
    }
    // Within one date, the order the reports tell them in: the first report's
    // date, then its document, then the position in it.
    let report_key = |t: &TimelineEntry| {
        (
            t.first_date.clone().unwrap_or_default(),
            t.evidence.as_ref().map(|v| (v.document.clone(), v.start)),
        )
    };
    dated.sort_by(|a, b| {
        let (ka, kb) = (
            sort_key(a.date.as_deref().unwrap_or("")),
            sort_key(b.date.as_deref().unwrap_or("")),
        );
        ka.cmp(&kb)
            .then_with(|| report_key(a).cmp(&report_key(b)))
            .then_with(|| a.event.cmp(&b.event))
    });
    let mut n = 0;
    let mut last: Option<String> = None;
    for t in &mut dated {
        if last.as_deref() != t.date.as_deref() {
            n += 1;
            last = t.date.clone();
        }
        t.order = Some(n);
    }
    undated.sort_by(|a, b| {
        report_key(a)
            .cmp(&report_key(b))
            .then(a.event.cmp(&b.event))
    });
    Timeline {
        subject,
        events: dated,
        undated,
    }
}

/// A merged event's short label: source, action (the code's name, else the
/// code) and target ("USA Impose sanctions RUS").
pub fn label(e: &MergedEventRow, label_of: &dyn Fn(&str) -> String) -> String {
    let action = e
        .code
        .as_deref()
        .map(|c| {
            let l = label_of(c);
            if l.is_empty() {
                c.to_string()
            } else {
                l
            }
        })
        .unwrap_or_else(|| "event".to_string());
    [
        e.source.as_deref(),
        Some(action.as_str()),
        e.target.as_deref(),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" ")
}

fn entry(e: MergedEventRow, label_of: &dyn Fn(&str) -> String) -> TimelineEntry {
    let label = label(&e, label_of);
    let evidence = best_mention(&e).map(|m| TimelineEvidence {
        document: m.document.clone(),
        outlet: m.outlet.clone(),
        start: m.start,
        end: m.end,
        sentence: m.sentence.clone(),
    });
    let date_versions = date_versions(&e.mentions);
    let date = e.date.clone().filter(|d| DatePrecision::of(d).is_some());
    TimelineEntry {
        order: None,
        precision: date.as_deref().and_then(DatePrecision::of),
        date,
        label,
        event: e.id,
        story: e.story_id,
        code: e.code,
        source: e.source,
        target: e.target,
        place: e.place,
        num_sources: e.num_sources,
        num_mentions: e.num_mentions,
        num_articles: e.num_articles,
        first_document: e.first_document,
        first_date: e.first_date,
        evidence,
        date_versions,
        mentions: e.mentions,
    }
}

/// The mention that tells the event best: one whose date the text states
/// (not only the publication date), from a document whose own date is not in
/// doubt, the earliest published, then the first in its document.
fn best_mention(e: &MergedEventRow) -> Option<&EventMentionRow> {
    e.mentions.iter().min_by(|a, b| {
        let key = |m: &EventMentionRow| {
            (
                m.date_in_doubt,
                m.copy_of.is_some(),
                m.date_source.as_deref() != Some("time_expression"),
                m.published.clone().unwrap_or_else(|| "9999".into()),
                m.document.clone(),
                m.start,
            )
        };
        key(a).cmp(&key(b))
    })
}

/// The dates the mentions give, with their outlets and documents, when they
/// give more than one; copies count with their originals.
fn date_versions(mentions: &[EventMentionRow]) -> Vec<DateVersion> {
    let mut by_date: BTreeMap<&str, DateVersion> = BTreeMap::new();
    for m in mentions {
        let Some(d) = m.date.as_deref() else {
            continue;
        };
        let v = by_date.entry(d).or_insert_with(|| DateVersion {
            date: d.to_string(),
            precision: DatePrecision::of(d),
            mentions: 0,
            outlets: Vec::new(),
            documents: Vec::new(),
        });
        v.mentions += 1;
        if let Some(o) = &m.outlet {
            if !v.outlets.contains(o) {
                v.outlets.push(o.clone());
            }
        }
        if !v.documents.contains(&m.document) {
            v.documents.push(m.document.clone());
        }
    }
    if by_date.len() < 2 {
        return Vec::new();
    }
    by_date.into_values().collect()
}

/// The SemEval-2015 TimeLine layout of a timeline, one line per event:
/// `order<TAB>date<TAB>docid-sentence-token…` (dates as `YYYY-MM-DD` with `XX`
/// for what the reports do not give; undated events as order 0 and
/// `XXXX-XX-XX`). A mention is named by its document id, the index of its
/// sentence and of its first token in the document (both from 0); mentions
/// whose document cannot be read are left out of the line.
pub fn semeval_lines(store: &dyn Store, t: &Timeline) -> Result<Vec<String>, StoreError> {
    let mut docs: BTreeMap<String, Option<chronicle_core::Document>> = BTreeMap::new();
    let mut lines = Vec::new();
    for e in t.events.iter().chain(&t.undated) {
        let date = match e.date.as_deref().map(|d| (d, DatePrecision::of(d))) {
            Some((d, Some(DatePrecision::Day))) => d.to_string(),
            Some((d, Some(DatePrecision::Month))) => format!("{d}-XX"),
            Some((d, Some(DatePrecision::Year))) => format!("{d}-XX-XX"),
            _ => "XXXX-XX-XX".to_string(),
        };
        let mut ids = Vec::new();
        for m in &e.mentions {
            if !docs.contains_key(&m.document) {
                let doc = store.get(&m.document)?;
                docs.insert(m.document.clone(), doc);
            }
            let Some(Some(doc)) = docs.get(&m.document) else {
                continue;
            };
            let token = doc.tokens.partition_point(|t| t.end <= m.start);
            let sentence = doc.sentences.partition_point(|s| s.end <= m.start);
            ids.push(format!("{}-{sentence}-{token}", m.document));
        }
        lines.push(format!(
            "{}\t{date}\t{}",
            e.order.unwrap_or(0),
            ids.join("\t")
        ));
    }
    Ok(lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mention(doc: &str, date: Option<&str>, outlet: &str, start: usize) -> EventMentionRow {
        EventMentionRow {
            merged_id: String::new(),
            document: doc.into(),
            index: 0,
            outlet: Some(outlet.into()),
            copy_of: None,
            start,
            end: start + 5,
            code: Some("172".into()),
            source: Some("USA".into()),
            target: Some("RUS".into()),
            place: None,
            date: date.map(str::to_string),
            date_source: Some("time_expression".into()),
            source_entity: None,
            target_entity: None,
            published: Some("2016-10-04".into()),
            sentence: Some(format!("sentence of {doc}")),
            seq: 0,
            date_in_doubt: false,
        }
    }

    fn event(id: &str, date: Option<&str>, mentions: Vec<EventMentionRow>) -> MergedEventRow {
        MergedEventRow {
            id: id.into(),
            story_id: "story-1".into(),
            code: Some("172".into()),
            source: Some("USA".into()),
            target: Some("RUS".into()),
            place: None,
            date: date.map(str::to_string),
            num_mentions: mentions.len() as u64,
            num_sources: 1,
            num_articles: 1,
            first_document: mentions.first().map(|m| m.document.clone()),
            first_date: Some("2016-10-04".into()),
            disagreements: Vec::new(),
            mentions,
            profile: Vec::new(),
        }
    }

    fn label(code: &str) -> String {
        if code == "172" {
            "Impose sanctions".into()
        } else {
            String::new()
        }
    }

    #[test]
    fn precision_reads_the_date_shape() {
        assert_eq!(DatePrecision::of("2016-10-03"), Some(DatePrecision::Day));
        assert_eq!(DatePrecision::of("2016-10"), Some(DatePrecision::Month));
        assert_eq!(DatePrecision::of("2016"), Some(DatePrecision::Year));
        assert_eq!(DatePrecision::of("2016-W40"), None);
        assert_eq!(DatePrecision::of(""), None);
    }

    #[test]
    fn events_are_ordered_by_date_with_months_before_their_days() {
        let rows = vec![
            event("e3", Some("2016-10-05"), vec![mention("a", None, "x", 9)]),
            event("e1", Some("2016-10"), vec![mention("a", None, "x", 1)]),
            event("e2", Some("2016-10-03"), vec![mention("b", None, "y", 2)]),
            event("e4", Some("2016-10-03"), vec![mention("a", None, "x", 3)]),
            event("u", None, vec![mention("a", None, "x", 4)]),
        ];
        let t = order("USA".into(), rows, &label);
        let ids: Vec<&str> = t.events.iter().map(|e| e.event.as_str()).collect();
        assert_eq!(ids, ["e1", "e4", "e2", "e3"]);
        let orders: Vec<Option<usize>> = t.events.iter().map(|e| e.order).collect();
        assert_eq!(orders, [Some(1), Some(2), Some(2), Some(3)]);
        assert_eq!(t.events[0].precision, Some(DatePrecision::Month));
        assert_eq!(t.undated.len(), 1);
        assert_eq!(t.undated[0].order, None);
        assert_eq!(t.events[0].label, "USA Impose sanctions RUS");
    }

    #[test]
    fn differing_dates_are_all_shown_with_their_outlets() {
        let e = event(
            "e",
            Some("2016-10-03"),
            vec![
                mention("a", Some("2016-10-03"), "x", 0),
                mention("b", Some("2016-10-03"), "y", 0),
                mention("c", Some("2016-10-02"), "z", 0),
            ],
        );
        let t = order("USA".into(), vec![e], &label);
        let v = &t.events[0].date_versions;
        assert_eq!(v.len(), 2);
        assert_eq!(v[0].date, "2016-10-02");
        assert_eq!(v[0].outlets, ["z"]);
        assert_eq!(v[1].outlets, ["x", "y"]);
        let agreeing = event(
            "f",
            Some("2016-10-03"),
            vec![mention("a", Some("2016-10-03"), "x", 0)],
        );
        assert!(order("USA".into(), vec![agreeing], &label).events[0]
            .date_versions
            .is_empty());
    }

    #[test]
    fn the_best_mention_states_its_date_and_is_not_in_doubt() {
        let mut doubtful = mention("early", Some("2015-03-20"), "x", 0);
        doubtful.date_in_doubt = true;
        doubtful.published = Some("2015-03-20".into());
        let mut by_header = mention("b", Some("2016-10-03"), "y", 0);
        by_header.date_source = Some("published".into());
        let good = mention("c", Some("2016-10-03"), "z", 7);
        let e = event("e", Some("2016-10-03"), vec![doubtful, by_header, good]);
        let t = order("USA".into(), vec![e], &label);
        assert_eq!(
            t.events[0].evidence.as_ref().map(|v| v.document.as_str()),
            Some("c")
        );
    }

    fn code(c: &str) -> Resolved {
        Resolved {
            code: Some(c.into()),
            entities: Vec::new(),
            label: c.into(),
        }
    }

    #[test]
    fn a_pair_matches_either_way_round() {
        let e = event("e", None, vec![mention("a", None, "x", 0)]);
        assert!(between(&e, &code("RUS"), &code("USA")));
        assert!(between(&e, &code("USA"), &code("RUS")));
        assert!(!between(&e, &code("USA"), &code("SYR")));
    }

    #[test]
    fn a_named_party_matches_its_entities_in_the_mentions() {
        let mut m = mention("a", None, "x", 0);
        m.target_entity = Some("entity-lavrov".into());
        let e = event("e", None, vec![m]);
        let lavrov = Resolved {
            code: None,
            entities: vec!["entity-lavrov".into()],
            label: "Lavrov".into(),
        };
        assert!(between(&e, &code("USA"), &lavrov));
        assert!(between(&e, &lavrov, &code("USA")));
        assert!(!between(&e, &lavrov, &code("SYR")));
    }
}
