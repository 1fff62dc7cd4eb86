//! Timelines: the merged events of an actor, a pair of actors or a story, in
//! order, each with its date and that date's precision, a short label, its
//! sources, its first report and the sentence of its best mention. Read from
//! the stored merged events, never recomputed from documents. Where the reports
//! date one event differently, every version is kept with its outlets, and so
//! is every figure they give (`figures`). An event the reports only bound
//! ("before 3 October") shows the range (`bounds`); undated events are listed
//! apart, never given a guessed date, and placed beside a dated one only where
//! the text relates them (`relations`).

mod bounds;
mod figures;
mod relations;

pub use bounds::BoundRelation;
pub use chronicle_link::conflicts::{FigureGroup, FigureValue};
pub use relations::{Placement, Side, Strength};

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
    /// An ISO week or weekend (`2016-W32`, `2016-W25-WE`): "last week".
    Week,
    Month,
    /// A season (`2012-SU`): "in the summer of 2012".
    Season,
    /// A quarter or half of a year (`2008-Q1`, `2008-H2`): "in the first
    /// quarter of 2008".
    Quarter,
    Year,
}

impl DatePrecision {
    /// The precision of an ISO date or partial date (`2016-10-03`, `2016-10`,
    /// `2016`), week (`2016-W32`, `2016-W25-WE`) or season (`2012-SU`);
    /// `None` for anything else.
    pub fn of(date: &str) -> Option<DatePrecision> {
        if bounds::is_week(date) {
            return Some(DatePrecision::Week);
        }
        if bounds::season_days(date).is_some() {
            return Some(DatePrecision::Season);
        }
        if bounds::quarter_days(date).is_some() {
            return Some(DatePrecision::Quarter);
        }
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

/// Where the words that bound a date are.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SpanEvidence {
    pub document: String,
    pub outlet: Option<String>,
    /// Byte span in the document's text.
    pub start: usize,
    pub end: usize,
}

/// A date range: the reports only bound the event by a date ("before
/// 3 October", "since March", "last week").
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DateRange {
    pub relation: BoundRelation,
    /// The bounding date (`2016-10-03`, `2016-03`, `2016-W32`).
    pub bound: String,
    pub precision: Option<DatePrecision>,
    /// The words that bound it, as written ("before 3 October"); none for a
    /// week or season, which the date itself states.
    pub cue: Option<String>,
    pub evidence: Option<SpanEvidence>,
}

impl DateRange {
    /// "before 2016-10-03", "within 2016-W32".
    pub fn describe(&self) -> String {
        format!("{} {}", self.relation.as_str(), self.bound)
    }
}

/// One date the reports give an event, with who gives it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DateVersion {
    pub date: String,
    /// Set when these reports only bound the event by `date`.
    pub relation: Option<BoundRelation>,
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
    /// The date most of its mentions give, when they state it as the day,
    /// month or year it happened (None: undated, or only bounded: `range`).
    pub date: Option<String>,
    /// The precision of `date`, else of `range`'s bound.
    pub precision: Option<DatePrecision>,
    /// Set when the reports only bound the event: the entry is ordered by its
    /// bound but has no `date`.
    pub range: Option<DateRange>,
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
    /// Every figure its reports give of one quantity, when they differ (a toll
    /// of 20 in one and 25 in another), each with its outlet and document.
    pub figures: Vec<FigureGroup>,
    /// For an undated event: the dated entry the text places it before or
    /// after, with the cue; None when nothing relates them.
    pub placed: Option<Placement>,
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
    let events = store.merged_events(&filter)?;
    // A merged event of a big story can hold thousands of mentions (copies of
    // one wire story): its first ones pick the evidence and show the dates,
    // `num_mentions` counts them all.
    let ids: Vec<String> = events.iter().map(|e| e.id.clone()).collect();
    let mut mentions = store.merged_event_mentions_of(&ids, Some(MENTIONS_READ))?;
    for mut e in events {
        e.mentions = mentions.remove(&e.id).unwrap_or_default();
        let keep = match &pair {
            Some((a, b)) => between(&e, a, b),
            None => true,
        };
        if keep {
            rows.push(e);
        }
    }
    let mut figures = figures::read(store, &rows)?;
    let mut t = order(subject, rows, label_of);
    for e in t.events.iter_mut().chain(t.undated.iter_mut()) {
        e.figures = figures.remove(&e.event).unwrap_or_default();
    }
    Ok(t)
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

/// The first and last day of the period a date names, as sortable strings
/// (a month ends on its "32nd", after every day a report can name in it).
fn period(date: &str) -> (String, String) {
    match DatePrecision::of(date) {
        Some(DatePrecision::Year) => (format!("{date}-01-01"), format!("{date}-12-32")),
        Some(DatePrecision::Month) => (format!("{date}-01"), format!("{date}-32")),
        Some(DatePrecision::Week) => {
            bounds::week_days(date).unwrap_or_else(|| (date.to_string(), date.to_string()))
        }
        Some(DatePrecision::Season) => {
            bounds::season_days(date).unwrap_or_else(|| (date.to_string(), date.to_string()))
        }
        Some(DatePrecision::Quarter) => {
            bounds::quarter_days(date).unwrap_or_else(|| (date.to_string(), date.to_string()))
        }
        _ => (date.to_string(), date.to_string()),
    }
}

/// Where an entry sorts: a period with its first day, before the days of it
/// a report names exactly; "before D" and "by D" before D's own events
/// (before its start, at its end), "after D" after all of D's.
fn sort_key(t: &TimelineEntry) -> (String, u8) {
    if let Some(d) = &t.date {
        let (start, _) = period(d);
        let tier = if t.precision == Some(DatePrecision::Day) {
            2
        } else {
            1
        };
        return (start, tier);
    }
    let Some(r) = &t.range else {
        return (String::new(), 0);
    };
    let (start, end) = period(&r.bound);
    match r.relation {
        BoundRelation::Before => (start, 0),
        BoundRelation::By => (end, 0),
        BoundRelation::Within | BoundRelation::Since => (start, 1),
        BoundRelation::After => (end, 3),
    }
}

impl TimelineEntry {
    /// Its date, its range ("before 2016-10-03") or "undated".
    pub fn when(&self) -> String {
        match (&self.date, &self.range) {
            (Some(d), _) => d.clone(),
            (None, Some(r)) => r.describe(),
            _ => "undated".to_string(),
        }
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
        if entry.date.is_some() || entry.range.is_some() {
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
    dated.sort_by_cached_key(|t| (sort_key(t), t.when(), report_key(t), t.event.clone()));
    let mut n = 0;
    let mut last: Option<String> = None;
    for t in &mut dated {
        let when = t.when();
        if last.as_deref() != Some(when.as_str()) {
            n += 1;
            last = Some(when);
        }
        t.order = Some(n);
    }
    undated.sort_by(|a, b| {
        report_key(a)
            .cmp(&report_key(b))
            .then(a.event.cmp(&b.event))
    });
    relations::place(&dated, &mut undated);
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
    let marks: Vec<Option<bounds::SentenceBound>> = e.mentions.iter().map(mention_bound).collect();
    let date_versions = date_versions(&e.mentions, &marks);
    let (date, range) = match e.date.clone().filter(|d| DatePrecision::of(d).is_some()) {
        Some(d)
            if matches!(
                DatePrecision::of(&d),
                Some(DatePrecision::Week | DatePrecision::Season | DatePrecision::Quarter)
            ) =>
        {
            (
                None,
                Some(DateRange {
                    relation: BoundRelation::Within,
                    precision: DatePrecision::of(&d),
                    bound: d,
                    cue: None,
                    evidence: None,
                }),
            )
        }
        Some(d) => match range_of(&e.mentions, &marks, &d) {
            Some(r) => (None, Some(r)),
            None => (Some(d), None),
        },
        None => (None, None),
    };
    TimelineEntry {
        order: None,
        precision: date
            .as_deref()
            .and_then(DatePrecision::of)
            .or(range.as_ref().and_then(|r| r.precision)),
        date,
        range,
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
        figures: Vec::new(),
        placed: None,
        mentions: e.mentions,
    }
}

/// The bound a mention's sentence puts on the date its time expression gave.
fn mention_bound(m: &EventMentionRow) -> Option<bounds::SentenceBound> {
    if m.date_source.as_deref() != Some("time_expression") {
        return None;
    }
    bounds::bound_in(
        m.sentence.as_deref()?,
        m.date.as_deref()?,
        m.published.as_deref(),
    )
}

/// The range of an event dated `date`: when every mention whose text gives
/// that date only bounds the event by it, the same way (a report stating the
/// day itself, or two reports bounding it from both sides, keep the date).
fn range_of(
    mentions: &[EventMentionRow],
    marks: &[Option<bounds::SentenceBound>],
    date: &str,
) -> Option<DateRange> {
    let mut found: Option<(&EventMentionRow, &bounds::SentenceBound)> = None;
    for (m, b) in mentions.iter().zip(marks) {
        if m.date.as_deref() != Some(date) || m.date_source.as_deref() != Some("time_expression") {
            continue;
        }
        let b = b.as_ref()?;
        match found {
            Some((_, f)) if f.relation != b.relation => return None,
            Some(_) => {}
            None => found = Some((m, b)),
        }
    }
    let (m, b) = found?;
    Some(DateRange {
        relation: b.relation,
        bound: date.to_string(),
        precision: DatePrecision::of(date),
        cue: Some(b.text.clone()),
        evidence: Some(SpanEvidence {
            document: m.document.clone(),
            outlet: m.outlet.clone(),
            start: m.start + b.start,
            end: m.start + b.end,
        }),
    })
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

/// The dates the mentions give (each with the bound its sentence puts on it,
/// if any), with their outlets and documents, when they give more than one;
/// copies count with their originals.
fn date_versions(
    mentions: &[EventMentionRow],
    marks: &[Option<bounds::SentenceBound>],
) -> Vec<DateVersion> {
    let mut by_date: BTreeMap<(&str, Option<BoundRelation>), DateVersion> = BTreeMap::new();
    for (m, b) in mentions.iter().zip(marks) {
        let Some(d) = m.date.as_deref() else {
            continue;
        };
        let relation = b.as_ref().map(|b| b.relation);
        let v = by_date.entry((d, relation)).or_insert_with(|| DateVersion {
            date: d.to_string(),
            relation,
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
        assert_eq!(DatePrecision::of("2016-W40"), Some(DatePrecision::Week));
        assert_eq!(DatePrecision::of("2016-W60"), None);
        assert_eq!(DatePrecision::of("2008-Q1"), Some(DatePrecision::Quarter));
        assert_eq!(DatePrecision::of("2008-H2"), Some(DatePrecision::Quarter));
        assert_eq!(DatePrecision::of(""), None);
    }

    /// "In the first quarter of 2008" dates an event within that quarter: a
    /// range on the timeline, after the year's own events start, not undated.
    #[test]
    fn a_quarter_is_a_range_not_undated() {
        let rows = vec![
            event("q", Some("2008-Q2"), vec![mention("a", None, "x", 1)]),
            event("d", Some("2008-05-10"), vec![mention("a", None, "x", 2)]),
            event("m", Some("2008-03"), vec![mention("a", None, "x", 3)]),
        ];
        let t = order("USA".into(), rows, &label);
        assert!(t.undated.is_empty(), "{:?}", t.undated);
        let ids: Vec<&str> = t.events.iter().map(|e| e.event.as_str()).collect();
        assert_eq!(ids, ["m", "q", "d"]);
        let q = &t.events[1];
        let range = q.range.as_ref().expect("a range");
        assert_eq!(range.describe(), "within 2008-Q2");
        assert_eq!(range.precision, Some(DatePrecision::Quarter));
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

    fn said(mut m: EventMentionRow, sentence: &str, date: &str) -> EventMentionRow {
        m.sentence = Some(sentence.into());
        m.date = Some(date.into());
        m.end = m.start + sentence.len();
        m
    }

    #[test]
    fn a_bounded_event_shows_its_range_and_sorts_by_its_bound() {
        let before = said(
            mention("a", None, "x", 100),
            "The US suspended talks before 3 October.",
            "2016-10-03",
        );
        let after = said(
            mention("b", None, "y", 0),
            "Strikes resumed after the talks on 3 October.",
            "2016-10-03",
        );
        let rows = vec![
            event(
                "on",
                Some("2016-10-03"),
                vec![mention("c", Some("2016-10-03"), "z", 0)],
            ),
            event("after", Some("2016-10-03"), vec![after]),
            event("before", Some("2016-10-03"), vec![before]),
            event(
                "week",
                Some("2016-W39"),
                vec![mention("d", Some("2016-W39"), "z", 0)],
            ),
        ];
        let t = order("USA".into(), rows, &label);
        let seen: Vec<(Option<usize>, String)> =
            t.events.iter().map(|e| (e.order, e.when())).collect();
        assert_eq!(
            seen,
            [
                (Some(1), "within 2016-W39".to_string()),
                (Some(2), "before 2016-10-03".to_string()),
                (Some(3), "2016-10-03".to_string()),
                (Some(4), "after 2016-10-03".to_string()),
            ]
        );
        let r = t.events[1].range.as_ref().unwrap();
        assert_eq!(t.events[1].date, None);
        assert_eq!(t.events[1].precision, Some(DatePrecision::Day));
        assert_eq!(r.cue.as_deref(), Some("before 3 October"));
        let ev = r.evidence.as_ref().unwrap();
        assert_eq!((ev.document.as_str(), ev.start, ev.end), ("a", 123, 139));
        assert_eq!(t.events[0].precision, Some(DatePrecision::Week));
    }

    #[test]
    fn a_report_stating_the_day_keeps_the_date_and_the_bound_is_a_version() {
        let e = event(
            "e",
            Some("2016-10-03"),
            vec![
                said(
                    mention("a", None, "x", 0),
                    "The US suspended talks before 3 October.",
                    "2016-10-03",
                ),
                said(
                    mention("b", None, "y", 0),
                    "The US suspended talks on 3 October.",
                    "2016-10-03",
                ),
            ],
        );
        let t = order("USA".into(), vec![e], &label);
        assert_eq!(t.events[0].date.as_deref(), Some("2016-10-03"));
        assert!(t.events[0].range.is_none());
        let v: Vec<(Option<BoundRelation>, &Vec<String>)> = t.events[0]
            .date_versions
            .iter()
            .map(|v| (v.relation, &v.outlets))
            .collect();
        assert_eq!(
            v,
            [
                (None, &vec!["y".to_string()]),
                (Some(BoundRelation::Before), &vec!["x".to_string()])
            ]
        );
    }

    #[test]
    fn undated_events_are_placed_only_where_the_text_relates_them() {
        let mut talks = said(
            mention("a", None, "x", 0),
            "The talks in Geneva collapsed on 3 October.",
            "2016-10-03",
        );
        talks.document = "a".into();
        let mut strikes = said(
            mention("b", None, "y", 500),
            "Russian jets resumed strikes after the Geneva talks collapsed.",
            "",
        );
        strikes.date = None;
        let mut alone = said(mention("c", None, "z", 0), "Jets struck a market.", "");
        alone.date = None;
        let mut earlier = said(
            mention("a", None, "x", 300),
            "Moscow had agreed to a pause.",
            "",
        );
        earlier.date = None;
        let rows = vec![
            event("talks", Some("2016-10-03"), vec![talks]),
            event("strikes", None, vec![strikes]),
            event("alone", None, vec![alone]),
            event("earlier", None, vec![earlier]),
        ];
        let t = order("RUS".into(), rows, &label);
        let placed = |id: &str| {
            t.undated
                .iter()
                .find(|e| e.event == id)
                .and_then(|e| e.placed.clone())
        };
        let p = placed("strikes").unwrap();
        assert_eq!(
            (p.side, p.order, p.strength),
            (Side::After, 1, Strength::Cue)
        );
        assert_eq!(p.cue, "after the Geneva talks collapsed");
        assert_eq!((p.evidence.start, p.evidence.end), (529, 561));
        let p = placed("earlier").unwrap();
        assert_eq!((p.side, p.strength), (Side::Before, Strength::Tense));
        assert_eq!(p.cue, "had agreed");
        assert!(placed("alone").is_none());
        assert!(t
            .undated
            .iter()
            .all(|e| e.date.is_none() && e.order.is_none()));
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
