//! `chronicle export gdelt|acled`: the coded record in GDELT's and ACLED's
//! formats. The writers live in `chronicle-export`; this module opens the
//! store and the outputs and reports what was left out.

use crate::args;
use crate::cmd_query::open_existing;
use crate::sink::Sink;
use crate::{ExportCommand, UsageError};
use chronicle_export::{dates, ExportOptions};
use chronicle_store::Location;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Filters and output rules shared by every export.
#[derive(clap::Args, Clone, Debug)]
pub struct ExportArgs {
    #[command(flatten)]
    events: args::EventArgs,
    /// Also export events dated more than 30 days before their article (references
    /// to the past such as "since 1963"), which are left out by default.
    #[arg(long)]
    include_background: bool,
    /// Replace output files that already exist (each is replaced only once complete).
    #[arg(long)]
    force: bool,
}

impl ExportArgs {
    fn options(&self) -> anyhow::Result<ExportOptions> {
        Ok(ExportOptions {
            filter: self.events.filter(None).map_err(UsageError)?,
            include_background: self.include_background,
        })
    }
}

pub(crate) fn run(db: &Location, what: ExportCommand) -> anyhow::Result<ExitCode> {
    match what {
        ExportCommand::Gdelt {
            out,
            mentions,
            export,
        } => gdelt(db, &out, mentions.as_deref(), &export),
        ExportCommand::Acled { out, export } => acled(db, &out, &export),
        ExportCommand::Parquet { lake } => crate::cmd_export_parquet::run(db, &lake),
    }
}

fn same_output(a: &Path, b: &Path) -> bool {
    let abs = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| PathBuf::from(p));
    a == b || abs(a) == abs(b)
}

fn gdelt(
    db: &Location,
    out: &Path,
    mentions: Option<&Path>,
    export: &ExportArgs,
) -> anyhow::Result<ExitCode> {
    let options = export.options()?;
    if let Some(m) = mentions.filter(|m| same_output(m, out)) {
        return Err(UsageError(format!(
            "--out and --mentions are the same file ({}): give the mentions table its own",
            m.display()
        ))
        .into());
    }
    let store = open_existing(db)?;
    let mut events = Sink::create(out, export.force, db)?;
    let mut mentions = match mentions {
        Some(m) => Some(Sink::create(m, export.force, db)?),
        None => None,
    };
    let s = chronicle_export::gdelt::write(
        &*store,
        &options,
        &mut events,
        mentions.as_mut().map(|m| m as &mut dyn std::io::Write),
    )?;
    let events_name = events.name().to_string();
    events.commit()?;
    let mentions_name = match mentions {
        Some(m) => {
            let name = m.name().to_string();
            m.commit()?;
            Some(name)
        }
        None => None,
    };
    eprintln!(
        "wrote {} of {} events to {events_name} (GDELT 2.0 event table, 61 columns, tab-separated, no header)",
        s.written, s.matched
    );
    if s.merged > 0 {
        eprintln!(
            "  {} rows stand for a merged event told by several articles (NumMentions, NumSources, NumArticles count them)",
            s.merged
        );
    }
    if let Some(name) = mentions_name {
        eprintln!(
            "wrote {} mentions to {name} (GDELT 2.0 mentions table, 16 columns)",
            s.mentions
        );
    }
    left_out(s.background, s.undated, export.include_background);
    eprintln!(
        "  {} dated by their article's publication date (no day stated), {} of them because the stated date was more than {} days after it",
        s.dated_by_publication, s.implausible_dates, dates::FUTURE_DAYS
    );
    eprintln!(
        "  {} placed from the gazetteer (ActionGeo); {} more name a place it does not know; {} in the lead (IsRootEvent 1)",
        s.placed, s.unplaced_locations, s.in_lead
    );
    Ok(ExitCode::SUCCESS)
}

fn acled(db: &Location, out: &Path, export: &ExportArgs) -> anyhow::Result<ExitCode> {
    let options = export.options()?;
    let store = open_existing(db)?;
    let mut sink = Sink::create(out, export.force, db)?;
    let s = chronicle_export::acled::write(&*store, &options, &mut sink)?;
    let name = sink.name().to_string();
    sink.commit()?;
    eprintln!(
        "wrote {} of {} events to {name} (ACLED-style CSV with a header)",
        s.written, s.matched
    );
    let unmapped: Vec<String> = s
        .unmapped
        .iter()
        .map(|(root, n)| format!("{root}: {n}"))
        .collect();
    eprintln!(
        "  left out: {} with a CAMEO code ACLED records nothing for (by root code: {})",
        s.unmapped_total(),
        if unmapped.is_empty() {
            "none".to_string()
        } else {
            unmapped.join(", ")
        }
    );
    left_out(s.background, s.undated, export.include_background);
    eprintln!(
        "  left out: {} with no place the gazetteer knows in the event or its sentence",
        s.unplaced
    );
    eprintln!(
        "  {} events with fatalities ({} in all, from KILL claims)",
        s.with_fatalities, s.fatalities
    );
    Ok(ExitCode::SUCCESS)
}

fn left_out(background: usize, undated: usize, included: bool) {
    if !included {
        eprintln!(
            "  left out: {background} background events (dated more than {} days before their article; --include-background keeps them)",
            dates::BACKGROUND_DAYS
        );
    }
    eprintln!("  left out: {undated} with no usable date (no day stated and no publication date)");
}
