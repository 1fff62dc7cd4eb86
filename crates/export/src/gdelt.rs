//! The GDELT 2.0 event table (61 tab-separated columns, codebook order, no
//! header) and its mentions table (16 columns).

use crate::cameo::{split_actor, ActorParts};
use crate::context::{place_event, DocContext, Origin};
use crate::dates::{decide, DateDecision, Day};
use crate::scan::{by_document, event_id, published, stated_date};
use crate::{ExportError, ExportOptions};
use chronicle_core::{Document, Event, EventActor};
use chronicle_geo::Gazetteer;
use chronicle_store::{MergedEventFilter, MergedEventRow, Store};
use std::collections::HashMap;
use std::io::Write;

/// GDELT 2.0 event-table columns, in codebook order.
pub const EVENT_COLUMNS: [&str; 61] = [
    "GLOBALEVENTID",
    "SQLDATE",
    "MonthYear",
    "Year",
    "FractionDate",
    "Actor1Code",
    "Actor1Name",
    "Actor1CountryCode",
    "Actor1KnownGroupCode",
    "Actor1EthnicCode",
    "Actor1Religion1Code",
    "Actor1Religion2Code",
    "Actor1Type1Code",
    "Actor1Type2Code",
    "Actor1Type3Code",
    "Actor2Code",
    "Actor2Name",
    "Actor2CountryCode",
    "Actor2KnownGroupCode",
    "Actor2EthnicCode",
    "Actor2Religion1Code",
    "Actor2Religion2Code",
    "Actor2Type1Code",
    "Actor2Type2Code",
    "Actor2Type3Code",
    "IsRootEvent",
    "EventCode",
    "EventBaseCode",
    "EventRootCode",
    "QuadClass",
    "GoldsteinScale",
    "NumMentions",
    "NumSources",
    "NumArticles",
    "AvgTone",
    "Actor1Geo_Type",
    "Actor1Geo_FullName",
    "Actor1Geo_CountryCode",
    "Actor1Geo_ADM1Code",
    "Actor1Geo_ADM2Code",
    "Actor1Geo_Lat",
    "Actor1Geo_Long",
    "Actor1Geo_FeatureID",
    "Actor2Geo_Type",
    "Actor2Geo_FullName",
    "Actor2Geo_CountryCode",
    "Actor2Geo_ADM1Code",
    "Actor2Geo_ADM2Code",
    "Actor2Geo_Lat",
    "Actor2Geo_Long",
    "Actor2Geo_FeatureID",
    "ActionGeo_Type",
    "ActionGeo_FullName",
    "ActionGeo_CountryCode",
    "ActionGeo_ADM1Code",
    "ActionGeo_ADM2Code",
    "ActionGeo_Lat",
    "ActionGeo_Long",
    "ActionGeo_FeatureID",
    "DATEADDED",
    "SOURCEURL",
];

/// GDELT 2.0 mentions-table columns, in codebook order.
pub const MENTION_COLUMNS: [&str; 16] = [
    "GLOBALEVENTID",
    "EventTimeDate",
    "MentionTimeDate",
    "MentionType",
    "MentionSourceName",
    "MentionIdentifier",
    "SentenceID",
    "Actor1CharOffset",
    "Actor2CharOffset",
    "ActionCharOffset",
    "InRawText",
    "Confidence",
    "MentionDocLen",
    "MentionDocTone",
    "MentionDocTranslationInfo",
    "Extras",
];

/// What `write` did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GdeltSummary {
    /// Event rows the filter matched.
    pub matched: usize,
    pub written: usize,
    pub mentions: usize,
    /// Left out: references to the past (see `dates`), unless asked for.
    pub background: usize,
    /// Left out: no publication date and no day stated.
    pub undated: usize,
    /// Written with the publication date because the stated date was not credible.
    pub implausible_dates: usize,
    /// Written with the publication date because the stated one was partial or absent.
    pub dated_by_publication: usize,
    /// Rows with ActionGeo filled from the gazetteer.
    pub placed: usize,
    /// Rows whose event has location words the gazetteer did not place.
    pub unplaced_locations: usize,
    pub in_lead: usize,
    /// Event rows standing for a merged event told by more than one article.
    pub merged: usize,
}

struct Row {
    sort: (String, u64),
    doc: String,
    index: usize,
    event: Vec<String>,
    mention: Vec<String>,
}

/// Position of an event-table column.
fn col(name: &str) -> usize {
    EVENT_COLUMNS.iter().position(|c| *c == name).unwrap_or(0)
}

/// Writes the event table to `events` and, when given, the mentions table to
/// `mentions`. Rows are ordered by SQLDATE, then event id.
///
/// When linking ran, an event mentioned in several documents is one merged
/// event: one event row (coded from its first report) with the merged event's
/// NumMentions, NumSources and NumArticles, and one mentions-table row per
/// mention. Events no merged event holds are one row, mentioned once.
pub fn write<S: Store + ?Sized>(
    store: &S,
    options: &ExportOptions,
    events: &mut dyn Write,
    mentions: Option<&mut dyn Write>,
) -> Result<GdeltSummary, ExportError> {
    let g = crate::gazetteer()?;
    let merged = MergedIndex::load(store)?;
    let mut summary = GdeltSummary::default();
    let mut rows: Vec<Row> = Vec::new();
    by_document(store, &options.filter, |doc, indexes| {
        let cx = DocContext::new(doc);
        let doc_countries = cx.countries();
        for &i in indexes {
            summary.matched += 1;
            let Some(e) = doc.events.get(i) else { continue };
            let d = decide(stated_date(e), published(doc));
            let day = match d.decision {
                DateDecision::Stated(day) => day,
                DateDecision::Published(day) => {
                    summary.dated_by_publication += 1;
                    day
                }
                DateDecision::Background(day) if options.include_background => day,
                DateDecision::Background(_) => {
                    summary.background += 1;
                    continue;
                }
                DateDecision::None => {
                    summary.undated += 1;
                    continue;
                }
            };
            summary.implausible_dates += usize::from(d.implausible);
            let row = rows_for(g, &cx, &doc_countries, i, e, day, &mut summary);
            rows.push(row);
        }
        Ok(())
    })?;
    let (mut event_rows, mention_rows) = merge_rows(rows, &merged, &mut summary);
    event_rows.sort_by(|a, b| a.sort.cmp(&b.sort));
    for r in &event_rows {
        write_tsv(events, &r.event).map_err(|e| ExportError::write("the GDELT event table", e))?;
        summary.written += 1;
    }
    if let Some(m) = mentions {
        for r in &mention_rows {
            write_tsv(m, r).map_err(|e| ExportError::write("the GDELT mentions table", e))?;
            summary.mentions += 1;
        }
    }
    Ok(summary)
}

/// Which merged event holds each (document, event index), from the store's
/// merged events (empty when linking never ran).
struct MergedIndex {
    events: Vec<MergedEventRow>,
    by_mention: HashMap<(String, usize), usize>,
}

impl MergedIndex {
    fn load<S: Store + ?Sized>(store: &S) -> Result<MergedIndex, ExportError> {
        let events = store
            .merged_events(&MergedEventFilter {
                with_mentions: true,
                ..Default::default()
            })
            .map_err(|source| ExportError::Store {
                what: "reading the merged events".into(),
                source,
            })?;
        let mut by_mention = HashMap::new();
        for (k, m) in events.iter().enumerate() {
            for mention in &m.mentions {
                by_mention.insert((mention.document.clone(), mention.index), k);
            }
        }
        Ok(MergedIndex { events, by_mention })
    }
}

/// A stable GLOBALEVENTID for a merged event: 48 bits of FNV-1a over its id,
/// then 999 (a document's own event ids end in its event index, below 999 in
/// practice), so the two kinds of id do not meet.
fn merged_event_id(id: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in id.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    (h & 0xFFFF_FFFF_FFFF) * 1000 + 999
}

/// One event row per merged event (the first report's mention, the lowest
/// event index breaking ties; when the first report is filtered out, the
/// earliest row written), every mention in the mentions table under the merged
/// event's id. Rows of events no merged event holds pass through.
fn merge_rows(
    rows: Vec<Row>,
    merged: &MergedIndex,
    summary: &mut GdeltSummary,
) -> (Vec<Row>, Vec<Vec<String>>) {
    let mut singles: Vec<Row> = Vec::new();
    let mut groups: HashMap<usize, Vec<Row>> = HashMap::new();
    for r in rows {
        match merged.by_mention.get(&(r.doc.clone(), r.index)) {
            Some(&k) => groups.entry(k).or_default().push(r),
            None => singles.push(r),
        }
    }
    let mut mention_rows: Vec<(String, u64, Vec<String>)> = singles
        .iter()
        .map(|r| (r.sort.0.clone(), r.sort.1, r.mention.clone()))
        .collect();
    let mut keys: Vec<usize> = groups.keys().copied().collect();
    keys.sort_unstable();
    for k in keys {
        let Some(mut group) = groups.remove(&k) else {
            continue;
        };
        let m = &merged.events[k];
        let first = m.first_document.as_deref();
        group.sort_by(|a, b| {
            let rank = |r: &Row| (Some(r.doc.as_str()) != first, r.sort.clone(), r.index);
            rank(a).cmp(&rank(b))
        });
        let gid = merged_event_id(&m.id);
        let id = gid.to_string();
        let mut head = group.remove(0);
        head.sort.1 = gid;
        head.event[0] = id.clone();
        head.event[col("NumMentions")] = m.num_mentions.max(1).to_string();
        head.event[col("NumSources")] = m.num_sources.max(1).to_string();
        head.event[col("NumArticles")] = m.num_articles.max(1).to_string();
        let event_time = head.event[col("DATEADDED")].clone();
        summary.merged += usize::from(m.num_articles > 1);
        for r in std::iter::once(&head).chain(group.iter()) {
            let mut mention = r.mention.clone();
            mention[0] = id.clone();
            mention[1] = event_time.clone();
            mention_rows.push((head.sort.0.clone(), gid, mention));
        }
        singles.push(head);
    }
    mention_rows.sort_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
    (
        singles,
        mention_rows.into_iter().map(|(_, _, m)| m).collect(),
    )
}

fn write_tsv(w: &mut dyn Write, cells: &[String]) -> std::io::Result<()> {
    let line: Vec<String> = cells
        .iter()
        .map(|c| c.replace(['\t', '\n', '\r'], " "))
        .collect();
    writeln!(w, "{}", line.join("\t"))
}

/// The actor's ten columns after the code; empty when there is no actor.
fn actor_cells(cx: &DocContext<'_>, a: Option<&EventActor>) -> [String; 10] {
    let empty: [String; 10] = Default::default();
    let Some(a) = a else { return empty };
    let Some(code) = a.code.as_deref().filter(|c| !c.is_empty()) else {
        return empty;
    };
    let ActorParts {
        code,
        country,
        known_group,
        ethnic,
        religion,
        types,
    } = split_actor(code, cx.origin(a) == Origin::AgentOnly);
    let [r1, r2] = religion;
    let [t1, t2, t3] = types;
    let name = a.actor.as_deref().unwrap_or(&a.text).to_uppercase();
    [code, name, country, known_group, ethnic, r1, r2, t1, t2, t3]
}

/// QuadClass from the root code when the event has none (CAMEO's four classes).
fn quad_class(e: &Event) -> Option<u8> {
    e.quad_class.filter(|q| (1..=4).contains(q)).or_else(|| {
        let root: u8 = e.cameo.get(..2)?.parse().ok()?;
        Some(match root {
            1..=5 => 1,
            6..=8 => 2,
            9..=13 => 3,
            14..=20 => 4,
            _ => return None,
        })
    })
}

/// `YYYYMMDDHHMMSS` of the document's publication (its time when known), else
/// of the event's day.
fn date_added(doc: &Document, day: Day) -> String {
    let date = doc
        .published
        .as_ref()
        .and_then(|p| Day::parse_iso(&p.date).map(|d| (d, p.time.as_deref())));
    let (d, time) = date.unwrap_or((day, None));
    let mut hms: String = time
        .unwrap_or("")
        .chars()
        .filter(char::is_ascii_digit)
        .take(6)
        .collect();
    let valid = hms.len() >= 4
        && hms
            .get(..2)
            .and_then(|h| h.parse::<u32>().ok())
            .is_some_and(|h| h < 24)
        && hms
            .get(2..4)
            .and_then(|m| m.parse::<u32>().ok())
            .is_some_and(|m| m < 60);
    if !valid {
        hms.clear();
    }
    while hms.len() < 6 {
        hms.push('0');
    }
    format!("{}{hms}", d.compact())
}

/// Our confidence in the extraction, in percent (GDELT's own formula is not
/// published): 100, less 20 for each actor resolved from elsewhere in the
/// document, 10 without a second actor, 10 when the event is reported speech
/// or an intention rather than something stated as done.
fn confidence(cx: &DocContext<'_>, e: &Event) -> u8 {
    let mut c: i32 = 100;
    for a in [e.source.as_ref(), e.target.as_ref()].into_iter().flatten() {
        if cx.origin(a) == Origin::Coreference {
            c -= 20;
        }
    }
    if e.target.is_none() {
        c -= 10;
    }
    if matches!(e.modality.as_deref(), Some("reported" | "intent")) {
        c -= 10;
    }
    c.clamp(10, 100) as u8
}

fn rows_for(
    g: &Gazetteer,
    cx: &DocContext<'_>,
    doc_countries: &[String],
    index: usize,
    e: &Event,
    day: Day,
    summary: &mut GdeltSummary,
) -> Row {
    let doc = cx.doc;
    let id = event_id(&doc.id, index);
    let mut row: Vec<String> = Vec::with_capacity(EVENT_COLUMNS.len());
    row.push(id.to_string());
    row.push(day.compact());
    row.push(format!("{:04}{:02}", day.y, day.m));
    row.push(format!("{:04}", day.y));
    // GDELT's approximation of the fraction of the year (30-day months), from
    // 0 so that 31 December stays inside its year.
    let fraction = ((day.m as f64 - 1.0) * 30.0 + day.d as f64) / 365.0;
    row.push(format!("{:.4}", day.y as f64 + fraction.min(0.9999)));
    row.extend(actor_cells(cx, e.source.as_ref()));
    row.extend(actor_cells(cx, e.target.as_ref()));
    let lead = cx.in_lead(e);
    summary.in_lead += usize::from(lead);
    row.push(if lead { "1" } else { "0" }.to_string());
    row.push(e.cameo.clone());
    row.push(e.cameo.get(..3).unwrap_or(&e.cameo).to_string());
    row.push(e.cameo.get(..2).unwrap_or(&e.cameo).to_string());
    row.push(quad_class(e).map(|q| q.to_string()).unwrap_or_default());
    row.push(
        e.goldstein
            .filter(|g| g.is_finite())
            .map(|g| format!("{:.1}", g.clamp(-10.0, 10.0)))
            .unwrap_or_default(),
    );
    // One event in one document, mentioned once; `merge_rows` replaces these
    // with the merged event's counts.
    row.extend(["1", "1", "1"].map(str::to_string));
    row.push(String::new()); // AvgTone: we compute no tone
    row.extend(std::iter::repeat_n(String::new(), 16)); // actor geographies
    match place_event(g, cx, e, doc_countries) {
        Some(p) => {
            summary.placed += 1;
            let coord = |v: Option<f64>| v.map(|x| format!("{x:.4}")).unwrap_or_default();
            row.push(p.geo_type().to_string());
            row.push(p.full_name());
            row.push(p.country.fips.clone());
            row.push(p.adm1_code());
            row.push(String::new()); // ADM2: GAUL codes are not in our gazetteer
            row.push(coord(p.lat));
            row.push(coord(p.lon));
            row.push(p.feature_id());
        }
        None => {
            summary.unplaced_locations += usize::from(e.location.is_some());
            row.extend(std::iter::repeat_n(String::new(), 8));
        }
    }
    let added = date_added(doc, day);
    row.push(added.clone());
    let url = cx.source_url();
    row.push(url.clone());

    let offset = |a: Option<&EventActor>| -> String {
        a.map(|a| cx.char_offset(a.start).to_string())
            .unwrap_or_else(|| "-1".into())
    };
    let at = e.verb.map(|v| v.start).unwrap_or(e.start);
    let coref = [e.source.as_ref(), e.target.as_ref()]
        .into_iter()
        .flatten()
        .any(|a| cx.origin(a) == Origin::Coreference);
    let has_url = cx.url().is_some();
    let mention = vec![
        id.to_string(),
        added.clone(),
        added,
        if has_url { "1" } else { "2" }.to_string(),
        cx.outlet(),
        url,
        cx.sentence_index(at)
            .map(|s| (s + 1).to_string())
            .unwrap_or_else(|| "-1".into()),
        offset(e.source.as_ref()),
        offset(e.target.as_ref()),
        cx.char_offset(at).to_string(),
        if coref { "0" } else { "1" }.to_string(),
        confidence(cx, e).to_string(),
        cx.char_len().to_string(),
        String::new(),
        String::new(),
        String::new(),
    ];
    Row {
        sort: (day.compact(), id),
        doc: doc.id.clone(),
        index,
        event: row,
        mention,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chronicle_store::EventMentionRow;

    fn row(doc: &str, index: usize, date: &str) -> Row {
        let mut event = vec![String::new(); EVENT_COLUMNS.len()];
        event[0] = format!("{doc}{index}");
        event[col("DATEADDED")] = format!("{date}000000");
        event[col("NumMentions")] = "1".into();
        let mut mention = vec![String::new(); MENTION_COLUMNS.len()];
        mention[0] = event[0].clone();
        mention[1] = event[col("DATEADDED")].clone();
        mention[2] = mention[1].clone();
        mention[4] = doc.to_string();
        Row {
            sort: (date.to_string(), index as u64),
            doc: doc.into(),
            index,
            event,
            mention,
        }
    }

    fn mention(merged: &str, doc: &str, index: usize) -> EventMentionRow {
        EventMentionRow {
            merged_id: merged.into(),
            document: doc.into(),
            index,
            outlet: None,
            copy_of: None,
            start: 0,
            end: 1,
            code: None,
            source: None,
            target: None,
            place: None,
            date: None,
            date_source: None,
            source_entity: None,
            target_entity: None,
            published: None,
            sentence: None,
            seq: 0,
            date_in_doubt: false,
        }
    }

    #[test]
    fn a_merged_event_is_one_row_from_its_first_report_with_every_mention() {
        let merged = MergedEventRow {
            id: "m1".into(),
            story_id: "s1".into(),
            code: Some("173".into()),
            source: None,
            target: None,
            place: None,
            date: None,
            num_mentions: 3,
            num_sources: 2,
            num_articles: 3,
            first_document: Some("b".into()),
            first_date: None,
            disagreements: vec![],
            mentions: vec![
                mention("m1", "a", 0),
                mention("m1", "b", 2),
                mention("m1", "c", 1),
            ],
            profile: vec![],
        };
        let index = MergedIndex {
            by_mention: merged
                .mentions
                .iter()
                .map(|m| ((m.document.clone(), m.index), 0))
                .collect(),
            events: vec![merged],
        };
        let rows = vec![
            row("a", 0, "20250311"),
            row("b", 2, "20250310"),
            row("c", 1, "20250311"),
            row("d", 0, "20250309"),
        ];
        let mut summary = GdeltSummary::default();
        let (events, mentions) = merge_rows(rows, &index, &mut summary);
        assert_eq!(events.len(), 2);
        let m = events
            .iter()
            .find(|r| r.doc == "b")
            .expect("b stands for it");
        let id = merged_event_id("m1").to_string();
        assert_eq!(m.event[0], id);
        assert_eq!(m.event[col("NumMentions")], "3");
        assert_eq!(m.event[col("NumSources")], "2");
        assert_eq!(m.event[col("NumArticles")], "3");
        assert_eq!(summary.merged, 1);
        let of_merged: Vec<&Vec<String>> = mentions.iter().filter(|r| r[0] == id).collect();
        assert_eq!(of_merged.len(), 3);
        // Every mention keeps its own document and time; the event time is the first report's.
        assert!(of_merged.iter().all(|r| r[1] == "20250310000000"));
        assert!(of_merged
            .iter()
            .any(|r| r[4] == "a" && r[2] == "20250311000000"));
        assert_eq!(mentions.len(), 4);
    }
}
