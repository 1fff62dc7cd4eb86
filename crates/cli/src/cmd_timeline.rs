//! `chronicle timeline --actor X | --pair X Y | --story ID`: the merged events
//! of an actor, a pair or a story in order, read from the store
//! (`chronicle_engine::timeline`), printed as text, JSON or the SemEval-2015
//! TimeLine layout.

use crate::cmd_query::open_existing;
use crate::outln;
use crate::output::truncate;
use crate::story_view::{cameo_label, plural, short};
use crate::UsageError;
use anyhow::bail;
use chronicle_engine::timeline::{
    self, Party, Timeline, TimelineEntry, TimelineQuery, TimelineSubject,
};
use std::path::Path;
use std::process::ExitCode;

/// How the timeline is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TimelineFormat {
    Text,
    Json,
    /// `order<TAB>date<TAB>docid-sentence-token…`, the SemEval-2015 TimeLine layout.
    Semeval,
}

/// An actor argument: a CAMEO actor code or its start when written in capitals
/// (RUS, USAGOV), else a name of people or organizations ("Lavrov").
fn party(s: &str) -> anyhow::Result<Party> {
    let a = s.trim();
    if a.chars().count() < 2 {
        bail!(UsageError(format!(
            "actor {s:?} is too short: give a CAMEO code (RUS, USAGOV) or a name (Lavrov)"
        )));
    }
    if a.len() >= 3
        && a.bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
    {
        Ok(Party::Code(a.to_string()))
    } else {
        Ok(Party::Name(a.to_string()))
    }
}

pub struct TimelineArgs {
    pub actor: Option<String>,
    pub pair: Option<Vec<String>>,
    pub story: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub format: TimelineFormat,
}

pub fn run(db: &Path, a: TimelineArgs) -> anyhow::Result<ExitCode> {
    let subject = match (a.actor, a.pair, a.story) {
        (Some(x), None, None) => TimelineSubject::Actor(party(&x)?),
        (None, Some(p), None) if p.len() == 2 => {
            TimelineSubject::Pair(party(&p[0])?, party(&p[1])?)
        }
        (None, None, Some(id)) => {
            let store = open_existing(db)?;
            TimelineSubject::Story(crate::cmd_stories::resolve_story(&store, &id, db)?.id)
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
    let t = timeline::timeline(&store, &query, &cameo_label)?;
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
            for line in timeline::semeval_lines(&store, &t)? {
                outln!("{line}")?;
            }
        }
        TimelineFormat::Text => print(&t)?,
    }
    Ok(ExitCode::SUCCESS)
}

fn print(t: &Timeline) -> anyhow::Result<()> {
    outln!(
        "Timeline of {}: {}, {} undated",
        t.subject,
        plural(t.events.len(), "dated event"),
        t.undated.len()
    )?;
    for e in &t.events {
        entry(e)?;
    }
    if !t.undated.is_empty() {
        outln!("Undated (no report gives a date; kept apart, not guessed):")?;
        for e in &t.undated {
            entry(e)?;
        }
    }
    Ok(())
}

fn entry(e: &TimelineEntry) -> anyhow::Result<()> {
    let order = e.order.map_or("-".to_string(), |o| o.to_string());
    let sources = plural(e.num_sources as usize, "source");
    let first = match (&e.first_date, &e.first_document) {
        (Some(d), Some(doc)) => format!("first reported {d} in {}", short(doc)),
        (None, Some(doc)) => format!("first reported in {}", short(doc)),
        _ => String::new(),
    };
    outln!(
        "{order:>4}  {:<10}  {}  ({sources}; {first}) [{}]",
        e.date.as_deref().unwrap_or("undated"),
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
    if !e.date_versions.is_empty() {
        let versions: Vec<String> = e
            .date_versions
            .iter()
            .map(|v| {
                let who = if v.outlets.is_empty() {
                    v.documents
                        .iter()
                        .map(|d| short(d))
                        .collect::<Vec<_>>()
                        .join(", ")
                } else {
                    v.outlets.join(", ")
                };
                format!("{} ({who})", v.date)
            })
            .collect();
        outln!(
            "        reports date it differently: {}",
            versions.join(" · ")
        )?;
    }
    Ok(())
}
