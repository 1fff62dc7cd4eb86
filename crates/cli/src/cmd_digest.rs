//! `chronicle story ID --since DATE|DOC`: what the reports after a date or a
//! report add to a story (`chronicle_engine::digest`), as text or JSON.

use crate::cmd_query::open_existing;
use crate::cmd_stories::resolve_story;
use crate::outln;
use crate::output::truncate;
use crate::story_view::{cameo_label, plural, short, value_text};
use crate::UsageError;
use anyhow::bail;
use chronicle_engine::digest::{self, FigureChangeKind, Since, StoryDigest};
use chronicle_engine::query::QueryError;
use chronicle_link::conflicts::FigureValue;
use chronicle_store::Location;
use chronicle_store::Store;
use std::process::ExitCode;

/// A date bound, else a document id (or unique prefix) of the store.
fn since_of(store: &dyn Store, arg: &str) -> anyhow::Result<Since> {
    match chronicle_engine::query::params::since(store, arg) {
        Ok(s) => Ok(s),
        Err(QueryError::Invalid { .. }) => bail!(UsageError(format!(
            "--since {arg:?} is neither a date (YYYY, YYYY-MM or YYYY-MM-DD) nor a document id"
        ))),
        Err(QueryError::NotFound { .. }) => {
            bail!("no document with id {arg:?} (`chronicle story ID` lists the story's reports)")
        }
        Err(QueryError::Ambiguous { candidates, .. }) => bail!(UsageError(format!(
            "document id prefix {arg:?} is ambiguous: {} ids match",
            candidates.len()
        ))),
        Err(e) => Err(e.into()),
    }
}

pub fn run(db: &Location, id: &str, since: &str, json: bool) -> anyhow::Result<ExitCode> {
    let store = open_existing(db)?;
    let story = resolve_story(&*store, id, db)?;
    let since = since_of(&*store, since)?;
    let d = digest::story_since(&*store, &story.id, &since, &cameo_label)?;
    if json {
        outln!("{}", serde_json::to_string_pretty(&d)?)?;
    } else {
        print(&d, &story.label)?;
    }
    Ok(ExitCode::SUCCESS)
}

fn figure_text(v: &FigureValue) -> String {
    let who = v
        .claimant
        .clone()
        .or_else(|| v.outlet.clone())
        .unwrap_or_else(|| short(&v.document).to_string());
    let n = value_text(v.value);
    match &v.qualifier {
        Some(q) => format!("{q} {n} ({who}, {})", short(&v.document)),
        None => format!("{n} ({who}, {})", short(&v.document)),
    }
}

fn print(d: &StoryDigest, label: &str) -> anyhow::Result<()> {
    outln!("{} — {label}", d.story)?;
    outln!(
        "Since {}: {}",
        d.since,
        plural(d.reports.len() as u64, "later report")
    )?;
    for r in &d.reports {
        outln!(
            "  {}  {:<24} {}",
            r.published.as_deref().unwrap_or("undated   "),
            truncate(r.outlet.as_deref().unwrap_or(short(&r.document)), 24),
            truncate(r.title.as_deref().unwrap_or(""), 80)
        )?;
    }
    if d.reports.is_empty() {
        return Ok(());
    }
    outln!("New events ({}):", d.new_events.len())?;
    for e in &d.new_events {
        outln!(
            "  {:<10}  {} ({})",
            e.date.as_deref().unwrap_or("undated"),
            e.label,
            plural(e.num_sources, "source")
        )?;
        if let Some(s) = e.evidence.as_ref().and_then(|v| v.sentence.as_deref()) {
            outln!("      \"{}\"", truncate(s, 150))?;
        }
    }
    outln!("Figures, new or revised ({}):", d.figures.len())?;
    for f in &d.figures {
        let what = format!(
            "{} {}{}",
            f.kind,
            f.subject,
            f.place
                .as_deref()
                .map(|p| format!(" in {p}"))
                .unwrap_or_default()
        );
        let after: Vec<String> = f.after.iter().map(figure_text).collect();
        match f.change {
            FigureChangeKind::New => outln!("  new      {what}: {}", after.join("; "))?,
            FigureChangeKind::Revised => {
                let before: Vec<String> = f.before.iter().map(figure_text).collect();
                outln!(
                    "  revised  {what}: {} → {}",
                    before.join("; "),
                    after.join("; ")
                )?
            }
        }
    }
    outln!("New people and organizations ({}):", d.new_actors.len())?;
    for a in &d.new_actors {
        outln!(
            "  {} ({}, first seen {})",
            a.name,
            a.label,
            a.first_seen.as_deref().unwrap_or("-")
        )?;
    }
    outln!(
        "Denied or contradicted by later reports ({}):",
        d.denied.len()
    )?;
    // One block per denying sentence, the events it answers under it.
    let mut last: Option<(&str, usize)> = None;
    for x in &d.denied {
        if last != Some((x.document.as_str(), x.start)) {
            last = Some((x.document.as_str(), x.start));
            let who = match (&x.denier, &x.denier_code) {
                (Some(w), Some(c)) => format!("{w} ({c})"),
                (Some(w), None) => w.clone(),
                _ => "the report".to_string(),
            };
            outln!(
                "  {} by {who}: {} {}, {} [{}-{}]",
                x.kind,
                x.outlet.as_deref().unwrap_or("-"),
                x.published.as_deref().unwrap_or("undated"),
                short(&x.document),
                x.start,
                x.end
            )?;
            outln!("      \"{}\"", truncate(&x.sentence, 150))?;
            if x.equally_fitting > 1 {
                outln!(
                    "      fits {} earlier events equally; the most reported:",
                    x.equally_fitting
                )?;
            }
        }
        outln!(
            "      → {:<10}  {} (first report {} {}, {})",
            x.date.as_deref().unwrap_or("undated"),
            x.label,
            x.first_date.as_deref().unwrap_or("undated"),
            x.first_outlet.as_deref().unwrap_or("-"),
            x.first_document.as_deref().map(short).unwrap_or("-")
        )?;
        outln!("          matched: {}", x.matched.join("; "))?;
    }
    outln!("Told differently by later reports ({}):", d.retold.len())?;
    for r in &d.retold {
        outln!(
            "  {} — {}: {} → {} ({})",
            r.label,
            r.field,
            r.before.join(", "),
            r.after.join(", "),
            r.documents
                .iter()
                .map(|d| short(d))
                .collect::<Vec<_>>()
                .join(", ")
        )?;
    }
    Ok(())
}
