//! `chronicle timeline --actor X | --pair X Y | --story ID`: the merged events
//! of an actor, a pair or a story in order, read from the store
//! (`chronicle_engine::timeline`), printed as text, JSON, CSV or the
//! SemEval-2015 TimeLine layout.

use crate::cmd_query::open_existing;
use crate::outln;
use crate::output::truncate;
use crate::story_view::{cameo_label, plural, short, value_text};
use crate::UsageError;
use anyhow::bail;
use chronicle_engine::timeline::{
    self, FigureGroup, Party, Side, Strength, Timeline, TimelineEntry, TimelineQuery,
    TimelineSubject,
};
use chronicle_store::Location;
use std::collections::BTreeMap;
use std::process::ExitCode;

/// How the timeline is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TimelineFormat {
    Text,
    Json,
    /// One row per event with a header: order, date or range, label, sources,
    /// first report, evidence, and every differing date and figure.
    Csv,
    /// `order<TAB>date<TAB>docid-sentence-token…`, the SemEval-2015 TimeLine layout.
    Semeval,
}

/// An actor argument: a CAMEO actor code or its start when written in capitals
/// (RUS, USAGOV), else a name of people or organizations ("Lavrov").
fn party(s: &str) -> anyhow::Result<Party> {
    chronicle_engine::query::params::party(s).map_err(|e| UsageError(e).into())
}

pub struct TimelineArgs {
    pub actor: Option<String>,
    pub pair: Option<Vec<String>>,
    pub story: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub format: TimelineFormat,
}

pub fn run(db: &Location, a: TimelineArgs) -> anyhow::Result<ExitCode> {
    let subject = match (a.actor, a.pair, a.story) {
        (Some(x), None, None) => TimelineSubject::Actor(party(&x)?),
        (None, Some(p), None) if p.len() == 2 => {
            TimelineSubject::Pair(party(&p[0])?, party(&p[1])?)
        }
        (None, None, Some(id)) => {
            let store = open_existing(db)?;
            TimelineSubject::Story(crate::cmd_stories::resolve_story(&*store, &id, db)?.id)
        }
        _ => bail!(UsageError(
            "give exactly one of --actor CODE, --pair CODE CODE or --story ID".into()
        )),
    };
    let store = open_existing(db)?;
    let query = TimelineQuery {
        subject,
        from: a.from,
        to: a.to,
    };
    let t = timeline::timeline(&*store, &query, &cameo_label)?;
    if t.events.is_empty() && t.undated.is_empty() {
        bail!(
            "no merged events for {} in {}{} (`chronicle events --merged` lists them)",
            t.subject,
            db.display(),
            match (&query.from, &query.to) {
                (None, None) => String::new(),
                (f, to) => format!(
                    " between {} and {}",
                    f.as_deref().unwrap_or("the start"),
                    to.as_deref().unwrap_or("the end")
                ),
            }
        );
    }
    match a.format {
        TimelineFormat::Json => outln!("{}", serde_json::to_string_pretty(&t)?)?,
        TimelineFormat::Semeval => {
            for line in timeline::semeval_lines(&*store, &t)? {
                outln!("{line}")?;
            }
        }
        TimelineFormat::Csv => write_csv(&mut std::io::stdout().lock(), &t)?,
        TimelineFormat::Text => print(&t)?,
    }
    Ok(ExitCode::SUCCESS)
}

fn print(t: &Timeline) -> anyhow::Result<()> {
    let bounded = t.events.iter().filter(|e| e.range.is_some()).count();
    let placed = t.undated.iter().filter(|e| e.placed.is_some()).count();
    outln!(
        "Timeline of {}: {}{}, {} undated{}",
        t.subject,
        plural(t.events.len() as u64, "dated event"),
        if bounded > 0 {
            format!(" ({bounded} only bounded)")
        } else {
            String::new()
        },
        t.undated.len(),
        if placed > 0 {
            format!(" ({placed} placed by the text)")
        } else {
            String::new()
        }
    )?;
    // Undated events the text places go beside their anchor's order: those
    // before it ahead of its first entry, those after it behind its last.
    let mut beside: BTreeMap<(usize, bool), Vec<&TimelineEntry>> = BTreeMap::new();
    for u in &t.undated {
        if let Some(p) = &u.placed {
            beside
                .entry((p.order, p.side == Side::After))
                .or_default()
                .push(u);
        }
    }
    for (i, e) in t.events.iter().enumerate() {
        let order = e.order.unwrap_or_default();
        let first = i == 0 || t.events[i - 1].order != e.order;
        let last = t.events.get(i + 1).is_none_or(|n| n.order != e.order);
        if first {
            for u in beside.get(&(order, false)).into_iter().flatten() {
                entry(u)?;
            }
        }
        entry(e)?;
        if last {
            for u in beside.get(&(order, true)).into_iter().flatten() {
                entry(u)?;
            }
        }
    }
    if placed < t.undated.len() {
        outln!("Undated (no report gives a date or relates them to a dated event; kept apart, not guessed):")?;
        for e in t.undated.iter().filter(|e| e.placed.is_none()) {
            entry(e)?;
        }
    }
    Ok(())
}

fn entry(e: &TimelineEntry) -> anyhow::Result<()> {
    let order = match (e.order, &e.placed) {
        (Some(o), _) => o.to_string(),
        (None, Some(_)) => "~".to_string(),
        _ => "-".to_string(),
    };
    let sources = plural(e.num_sources, "source");
    let first = match (&e.first_date, &e.first_document) {
        (Some(d), Some(doc)) => format!("first reported {d} in {}", short(doc)),
        (None, Some(doc)) => format!("first reported in {}", short(doc)),
        _ => String::new(),
    };
    outln!(
        "{order:>4}  {:<10}  {}  ({sources}; {first}) [{}]",
        e.when(),
        e.label,
        e.event
    )?;
    if let Some(v) = &e.evidence {
        if let Some(s) = &v.sentence {
            outln!(
                "        \"{}\" ({})",
                truncate(s, 160),
                v.outlet.as_deref().unwrap_or(short(&v.document))
            )?;
        }
    }
    if let Some(r) = &e.range {
        if let (Some(cue), Some(ev)) = (&r.cue, &r.evidence) {
            outln!(
                "        only bounded: \"{cue}\" ({} {}:{}-{})",
                ev.outlet.as_deref().unwrap_or("-"),
                short(&ev.document),
                ev.start,
                ev.end
            )?;
        }
    }
    if let Some(p) = &e.placed {
        outln!(
            "        undated; placed {} {} ({}): \"{}\" ({} {}:{}-{})",
            side(p.side),
            p.order,
            strength(p.strength),
            p.cue,
            p.evidence.outlet.as_deref().unwrap_or("-"),
            short(&p.evidence.document),
            p.evidence.start,
            p.evidence.end
        )?;
    }
    if !e.date_versions.is_empty() {
        outln!(
            "        reports date it differently: {}",
            date_versions(e, |d| short(d).to_string()).join(" · ")
        )?;
    }
    for g in &e.figures {
        outln!(
            "        reports give different figures{}: {}",
            if g.disagrees {
                ""
            } else {
                " (they may agree: bounds, or different places)"
            },
            figure(g, |d| short(d).to_string())
        )?;
    }
    Ok(())
}

fn side(s: Side) -> &'static str {
    match s {
        Side::Before => "before",
        Side::After => "after",
    }
}

fn strength(s: Strength) -> &'static str {
    match s {
        Strength::Cue => "the text says so",
        Strength::Tense => "past perfect",
        Strength::DocumentOrder => "weak: order within one report",
    }
}

/// Each date version as "before 2016-10-03 (outlet, outlet)".
fn date_versions(e: &TimelineEntry, doc: impl Fn(&str) -> String) -> Vec<String> {
    e.date_versions
        .iter()
        .map(|v| {
            let who = if v.outlets.is_empty() {
                v.documents
                    .iter()
                    .map(|d| doc(d))
                    .collect::<Vec<_>>()
                    .join(", ")
            } else {
                v.outlets.join(", ")
            };
            let date = match v.relation {
                Some(r) => format!("{} {}", r.as_str(), v.date),
                None => v.date.clone(),
            };
            format!("{date} ({who})")
        })
        .collect()
}

/// "KILL people in Aleppo: 20 (sana 0a1b2c3d) · at least 25 (trt 9f8e7d6c)".
fn figure(g: &FigureGroup, doc: impl Fn(&str) -> String) -> String {
    let values: Vec<String> = g
        .values
        .iter()
        .map(|v| {
            format!(
                "{}{} ({} {})",
                v.qualifier
                    .as_deref()
                    .map(|q| format!("{q} "))
                    .unwrap_or_default(),
                value_text(v.value),
                v.outlet.as_deref().unwrap_or("-"),
                doc(&v.document)
            )
        })
        .collect();
    format!(
        "{} {}{}: {}",
        g.kind,
        g.subject,
        g.place
            .as_deref()
            .map(|p| format!(" in {p}"))
            .unwrap_or_default(),
        values.join(" · ")
    )
}

/// The CSV columns, in order.
const CSV_HEADER: [&str; 18] = [
    "order",
    "date",
    "precision",
    "range",
    "range_cue",
    "label",
    "num_sources",
    "num_mentions",
    "first_document",
    "first_date",
    "evidence_document",
    "evidence_start",
    "evidence_end",
    "evidence_sentence",
    "date_versions",
    "figures",
    "placed",
    "event",
];

/// The timeline as CSV: dated events in order, then the undated ones (with
/// where the text places them). Several versions in one cell are joined by
/// " | "; documents are named by their full ids.
fn write_csv(out: &mut impl std::io::Write, t: &Timeline) -> anyhow::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(CSV_HEADER)?;
    for e in t.events.iter().chain(&t.undated) {
        w.write_record(csv_row(e))?;
    }
    w.flush()?;
    Ok(())
}

fn csv_row(e: &TimelineEntry) -> Vec<String> {
    let ev = e.evidence.as_ref();
    let text = |v: Option<String>| v.unwrap_or_default();
    let precision = e
        .precision
        .map(|p| format!("{p:?}").to_lowercase())
        .unwrap_or_default();
    let range_cue = e.range.as_ref().and_then(|r| {
        let at = r.evidence.as_ref()?;
        Some(format!(
            "{} ({}:{}-{})",
            r.cue.as_deref()?,
            at.document,
            at.start,
            at.end
        ))
    });
    let placed = e.placed.as_ref().map(|p| {
        format!(
            "{} {} ({}): {} ({}:{}-{})",
            side(p.side),
            p.order,
            strength(p.strength),
            p.cue,
            p.evidence.document,
            p.evidence.start,
            p.evidence.end
        )
    });
    let row: [String; CSV_HEADER.len()] = [
        e.order.map(|o| o.to_string()).unwrap_or_default(),
        text(e.date.clone()),
        precision,
        text(e.range.as_ref().map(|r| r.describe())),
        text(range_cue),
        e.label.clone(),
        e.num_sources.to_string(),
        e.num_mentions.to_string(),
        text(e.first_document.clone()),
        text(e.first_date.clone()),
        text(ev.map(|v| v.document.clone())),
        text(ev.map(|v| v.start.to_string())),
        text(ev.map(|v| v.end.to_string())),
        text(ev.and_then(|v| v.sentence.clone())),
        date_versions(e, str::to_string).join(" | "),
        e.figures
            .iter()
            .map(|g| {
                format!(
                    "{}{}",
                    figure(g, str::to_string),
                    if g.disagrees { "" } else { " (may agree)" }
                )
            })
            .collect::<Vec<_>>()
            .join(" | "),
        text(placed),
        e.event.clone(),
    ];
    row.into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chronicle_engine::timeline::{order, DatePrecision};
    use chronicle_store::{EventMentionRow, MergedEventRow};

    fn row(id: &str, date: Option<&str>, sentence: &str) -> MergedEventRow {
        let m = EventMentionRow {
            merged_id: id.into(),
            document: format!("doc-{id}"),
            index: 0,
            outlet: Some("outlet, with comma".into()),
            copy_of: None,
            start: 10,
            end: 10 + sentence.len(),
            code: Some("172".into()),
            source: Some("USA".into()),
            target: Some("RUS".into()),
            place: None,
            date: date.map(str::to_string),
            date_source: Some("time_expression".into()),
            source_entity: None,
            target_entity: None,
            published: Some("2016-10-15".into()),
            sentence: Some(sentence.into()),
            seq: 0,
            date_in_doubt: false,
        };
        MergedEventRow {
            id: id.into(),
            story_id: "story-1".into(),
            code: Some("172".into()),
            source: Some("USA".into()),
            target: Some("RUS".into()),
            place: None,
            date: date.map(str::to_string),
            num_mentions: 1,
            num_sources: 1,
            num_articles: 1,
            first_document: Some(format!("doc-{id}")),
            first_date: Some("2016-10-15".into()),
            disagreements: Vec::new(),
            mentions: vec![m],
            profile: Vec::new(),
        }
    }

    #[test]
    fn csv_has_a_header_and_one_row_per_event_with_ranges() {
        let rows = vec![
            row(
                "e1",
                Some("2016-10-03"),
                "The US halted \"talks\" before 3 October.",
            ),
            row("e2", Some("2016-10-05"), "Talks resumed on 5 October."),
            row("u", None, "Jets struck a market."),
        ];
        let t = order("USA".into(), rows, &|_| "Impose sanctions".into());
        assert_eq!(t.events[0].precision, Some(DatePrecision::Day));
        let mut out = Vec::new();
        write_csv(&mut out, &t).unwrap();
        let mut r = csv::Reader::from_reader(out.as_slice());
        let header: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
        assert_eq!(header, CSV_HEADER);
        let recs: Vec<csv::StringRecord> = r.records().map(|x| x.unwrap()).collect();
        assert_eq!(recs.len(), 3);
        let col = |i: usize, name: &str| {
            recs[i]
                .get(CSV_HEADER.iter().position(|h| *h == name).unwrap())
                .unwrap()
                .to_string()
        };
        assert_eq!(col(0, "order"), "1");
        assert_eq!(col(0, "date"), "");
        assert_eq!(col(0, "range"), "before 2016-10-03");
        assert_eq!(col(0, "range_cue"), "before 3 October (doc-e1:32-48)");
        assert_eq!(
            col(0, "evidence_sentence"),
            "The US halted \"talks\" before 3 October."
        );
        assert_eq!(col(1, "date"), "2016-10-05");
        assert_eq!(col(1, "precision"), "day");
        assert_eq!(col(2, "order"), "");
        assert_eq!(col(2, "event"), "u");
    }
}
