//! `chronicle schema NAME`: the JSON Schema of each JSON output, generated from
//! the very types the commands serialize, so it cannot drift from them.

use anyhow::bail;
use schemars::{schema_for, Schema};
use std::process::ExitCode;

/// (name, what it describes, its schema). Listings are arrays of their row type
/// (`--format json`); `--format jsonl` writes one row per line.
fn schemas() -> Vec<(&'static str, &'static str, Schema)> {
    vec![
        (
            "document",
            "one document with every layer: `show --json`, `annotate --json`",
            schema_for!(chronicle_core::Document),
        ),
        (
            "documents",
            "`documents --format json`",
            schema_for!(Vec<chronicle_store::DocumentSummary>),
        ),
        (
            "search",
            "`search --format json`",
            schema_for!(Vec<chronicle_store::SearchHit>),
        ),
        (
            "events",
            "`events --format json`",
            schema_for!(Vec<chronicle_store::EventRow>),
        ),
        (
            "actors",
            "`actors --format json`",
            schema_for!(Vec<crate::cmd_events::ActorRow>),
        ),
        (
            "quotes",
            "`quotes --format json`",
            schema_for!(Vec<chronicle_store::QuoteRow>),
        ),
        (
            "claims",
            "`claims --format json`",
            schema_for!(Vec<chronicle_store::ClaimRow>),
        ),
        (
            "stories",
            "`stories --format json`",
            schema_for!(Vec<crate::story_view::StoryItem>),
        ),
        (
            "story",
            "`story ID --json`: documents, merged events, disagreements",
            schema_for!(crate::story_view::StoryDetail),
        ),
        (
            "merged-events",
            "`events --merged --format json`",
            schema_for!(Vec<chronicle_store::MergedEventRow>),
        ),
        (
            "check",
            "`check --json`",
            schema_for!(chronicle_store::CheckReport),
        ),
    ]
}

pub fn run(name: Option<&str>) -> anyhow::Result<ExitCode> {
    let all = schemas();
    let Some(name) = name else {
        for (n, what, _) in &all {
            crate::outln!("{n:<14} {what}")?;
        }
        return Ok(ExitCode::SUCCESS);
    };
    match all.into_iter().find(|(n, _, _)| *n == name) {
        Some((_, _, schema)) => {
            crate::outln!("{}", serde_json::to_string_pretty(&schema)?)?;
            Ok(ExitCode::SUCCESS)
        }
        None => {
            let names: Vec<&str> = schemas().iter().map(|(n, _, _)| *n).collect();
            bail!(crate::UsageError(format!(
                "no schema named {name:?}; the names are: {}",
                names.join(", ")
            )))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_schema_names_its_fields() {
        for (name, _, schema) in schemas() {
            let text = serde_json::to_string(&schema).unwrap();
            assert!(text.contains("\"properties\""), "{name}");
        }
        let events = serde_json::to_string(&schema_for!(Vec<chronicle_store::EventRow>)).unwrap();
        assert!(events.contains("doc_id") && events.contains("plover_type"));
    }
}
