//! `chronicle copy --to URL`: a SQLite file's whole record moved into an empty
//! PostgreSQL database (the copy itself is `PgStore::copy_from_sqlite`). For a
//! record that outgrew one machine: no document is annotated or linked again.

use anyhow::bail;
use chronicle_store::{Location, PgStore, SqliteStore};
use std::io::Write;
use std::process::ExitCode;

pub fn run(db: &Location, to: &str, json: bool) -> anyhow::Result<ExitCode> {
    let Location::File(path) = db else {
        bail!(
            "copy reads a SQLite file (--db FILE) and writes a PostgreSQL database (--to); {} is a server",
            db.display()
        );
    };
    if !db.may_exist() {
        bail!("database {} does not exist (pass --db)", db.display());
    }
    let dest = Location::parse(to);
    let Location::Postgres(url) = &dest else {
        bail!(
            "--to {to}: copy writes a PostgreSQL database (postgres://USER[:PASSWORD]@HOST[:PORT]/DBNAME); to copy a SQLite file, copy the file"
        );
    };
    let source = SqliteStore::open_read_only(path)?;
    let target = PgStore::connect(url)?;
    let mut progress = |table: &str, rows: u64| {
        if !json {
            eprintln!("  {table}: {rows} rows");
        }
    };
    let report = target.copy_from_sqlite(&source, &mut progress)?;
    let mut out = std::io::stdout().lock();
    if json {
        writeln!(out, "{}", serde_json::to_string_pretty(&report)?)?;
    } else {
        let rows: u64 = report.tables.iter().map(|(_, n)| n).sum();
        writeln!(
            out,
            "copied {} documents ({rows} rows in {} tables) from {} to {} in {:.1} s",
            report.documents,
            report.tables.len(),
            db.display(),
            dest.display(),
            report.seconds
        )?;
    }
    Ok(ExitCode::SUCCESS)
}
