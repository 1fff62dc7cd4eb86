//! `chronicle check`: the backend's own check (SQLite's integrity check; PostgreSQL's
//! amcheck where installed) plus the record's invariants.
//! Reads only. Exit 0 when clean, 1 with every problem listed.

use anyhow::bail;
use chronicle_store::Location;
use chronicle_store::{CheckProblem, CheckReport, SqliteStore, Store, StoreError};
use std::io::Write;
use std::process::ExitCode;

/// The report for a file SQLite cannot even open as a database.
fn unopenable(db: &Location, e: &StoreError) -> CheckReport {
    CheckReport {
        path: db.display().to_string(),
        schema_version: None,
        documents: 0,
        integrity: vec![e.to_string()],
        problems: vec![CheckProblem {
            kind: "sqlite-integrity".into(),
            doc_id: None,
            detail: e.to_string(),
        }],
    }
}

pub fn run(db: &Location, json: bool) -> anyhow::Result<ExitCode> {
    if !db.may_exist() {
        bail!("database {} does not exist (pass --db)", db.display());
    }
    let opened = match db {
        Location::File(path) => {
            SqliteStore::open_for_check(path).map(|s| Box::new(s) as Box<dyn Store + Send>)
        }
        Location::Postgres(_) => db.open_read_only(),
    };
    let report = match opened {
        Ok(store) => store.check()?,
        Err(e @ StoreError::Damaged { .. }) => unopenable(db, &e),
        Err(e) => return Err(e.into()),
    };
    // Written, not printed: a closed pipe (`check | head`) is an error main ends quietly.
    let mut out = std::io::stdout().lock();
    if json {
        writeln!(out, "{}", serde_json::to_string_pretty(&report)?)?;
    } else if report.is_clean() {
        writeln!(
            out,
            "{}: ok ({} documents, schema version {}; {}, documents decode, full-text rows match, every row points to a stored document)",
            report.path,
            report.documents,
            report
                .schema_version
                .map(|v| v.to_string())
                .unwrap_or_else(|| "?".into()),
            match db {
                Location::File(_) => "SQLite integrity check",
                Location::Postgres(_) => "PostgreSQL's amcheck where installed",
            }
        )?;
    } else {
        writeln!(out, "{}: {} problem(s)", report.path, report.problems.len())?;
        for p in &report.problems {
            match &p.doc_id {
                Some(id) => writeln!(out, "  {}: document {id}: {}", p.kind, p.detail)?,
                None => writeln!(out, "  {}: {}", p.kind, p.detail)?,
            }
        }
        if report.problems.iter().any(|p| p.kind != "old-schema") {
            writeln!(
                out,
                "  To recover: {}",
                chronicle_store::RECOVERY_ADVICE.replace("DB", &report.path)
            )?;
        }
    }
    Ok(if report.is_clean() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
