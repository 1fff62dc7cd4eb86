//! `chronicle quotes` and `chronicle claims`: the quote and claim layers of every
//! stored document, filtered by speaker or kind.

use crate::cmd_query::open_existing;
use crate::output::truncate;
use chronicle_core::{Claim, Document, Quote};
use chronicle_store::{DocumentFilter, Store};
use serde::Serialize;
use std::path::Path;
use std::process::ExitCode;

#[derive(Serialize)]
struct Row<'a, T> {
    document: &'a str,
    title: Option<&'a str>,
    published: Option<&'a str>,
    #[serde(flatten)]
    item: &'a T,
}

/// Every stored document, in listing order. One unreadable document is reported and
/// skipped, not fatal.
fn documents(db: &Path) -> anyhow::Result<Vec<Document>> {
    let store = open_existing(db)?;
    let mut out = Vec::new();
    for s in store.list(&DocumentFilter::default())? {
        match store.get(&s.id) {
            Ok(Some(d)) => out.push(d),
            Ok(None) => {}
            Err(e) => eprintln!("skipping {}: {e}", s.id),
        }
    }
    Ok(out)
}

fn speaker_matches(q: &Quote, name: &str) -> bool {
    let name = name.to_lowercase();
    [&q.speaker, &q.speaker_canonical].iter().any(|s| {
        s.as_deref()
            .is_some_and(|s| s.to_lowercase().contains(&name))
    })
}

fn print_rows<T: Serialize>(
    docs: &[Document],
    pick: impl Fn(&Document) -> Vec<&T>,
    line: impl Fn(&T) -> String,
    json: bool,
) -> anyhow::Result<usize> {
    let mut rows = Vec::new();
    for d in docs {
        for item in pick(d) {
            rows.push(Row {
                document: &d.id,
                title: d.title.as_deref(),
                published: d.published.as_ref().map(|p| p.date.as_str()),
                item,
            });
        }
    }
    if json {
        println!("{}", serde_json::to_string_pretty(&rows)?);
    } else {
        for r in &rows {
            println!(
                "{}  {}",
                &r.document[..r.document.len().min(12)],
                line(r.item)
            );
        }
    }
    Ok(rows.len())
}

pub fn quotes(db: &Path, speaker: Option<&str>, json: bool) -> anyhow::Result<ExitCode> {
    let docs = documents(db)?;
    let n = print_rows(
        &docs,
        |d| {
            d.quotes
                .iter()
                .filter(|q| speaker.is_none_or(|s| speaker_matches(q, s)))
                .collect()
        },
        |q: &Quote| {
            format!(
                "{:<8} {:<28} {:<10} {}",
                q.kind,
                truncate(
                    q.speaker_canonical
                        .as_deref()
                        .or(q.speaker.as_deref())
                        .unwrap_or("-"),
                    28
                ),
                truncate(q.cue.as_deref().unwrap_or("-"), 10),
                truncate(&q.text.replace('\n', " "), 100)
            )
        },
        json,
    )?;
    eprintln!("{n} quotes");
    Ok(ExitCode::SUCCESS)
}

pub fn claims(db: &Path, kind: Option<&str>, json: bool) -> anyhow::Result<ExitCode> {
    let docs = documents(db)?;
    let n = print_rows(
        &docs,
        |d| {
            d.claims
                .iter()
                .filter(|c| kind.is_none_or(|k| c.kind.eq_ignore_ascii_case(k)))
                .collect()
        },
        |c: &Claim| {
            format!(
                "{:<8} {:>12} {:<12} {:<24} {:<24} {}",
                c.kind,
                c.value,
                c.qualifier.as_deref().unwrap_or("-"),
                truncate(c.subject.as_deref().unwrap_or("-"), 24),
                truncate(c.claimant.as_deref().unwrap_or("-"), 24),
                truncate(&c.text, 60)
            )
        },
        json,
    )?;
    eprintln!("{n} claims");
    Ok(ExitCode::SUCCESS)
}
