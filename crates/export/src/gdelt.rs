//! The GDELT 2.0 event table (61 tab-separated columns, codebook order, no
//! header) and its mentions table (16 columns).

use crate::cameo::{split_actor, ActorParts};
use crate::context::{place_event, DocContext, Origin};
use crate::dates::{decide, DateDecision, Day};
use crate::scan::{by_document, event_id, published, stated_date};
use crate::{ExportError, ExportOptions};
use chronicle_core::{Document, Event, EventActor};
use chronicle_geo::Gazetteer;
use chronicle_store::Store;
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
}

struct Row {
    sort: (String, u64),
    event: Vec<String>,
    mention: Vec<String>,
}

/// Writes the event table to `events` and, when given, the mentions table to
/// `mentions`. Rows are ordered by SQLDATE, then event id.
pub fn write<S: Store + ?Sized>(
    store: &S,
    options: &ExportOptions,
    events: &mut dyn Write,
    mut mentions: Option<&mut dyn Write>,
) -> Result<GdeltSummary, ExportError> {
    let g = crate::gazetteer()?;
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
    rows.sort_by(|a, b| a.sort.cmp(&b.sort));
    for r in &rows {
        write_tsv(events, &r.event).map_err(|e| ExportError::write("the GDELT event table", e))?;
        if let Some(m) = mentions.as_deref_mut() {
            write_tsv(m, &r.mention)
                .map_err(|e| ExportError::write("the GDELT mentions table", e))?;
            summary.mentions += 1;
        }
        summary.written += 1;
    }
    Ok(summary)
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
    // One event in one document, mentioned once: what is true before events
    // are merged across documents.
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
        event: row,
        mention,
    }
}
