//! A damaged database: ingest refuses to write into it (exit 1, recovery advice)
//! and `check` lists the damage; a clean one checks clean.

mod common;
mod ingest_fixtures;
use common::chronicle;
use ingest_fixtures::jsonl;
use std::io::{Seek, SeekFrom, Write};

fn stored_db(dir: &std::path::Path) -> std::path::PathBuf {
    let db = dir.join("d.db");
    let input = jsonl(dir, "a.jsonl", "station", 0..30);
    let (code, _, err) = chronicle(&db, &["ingest", input.to_str().expect("utf-8")]);
    assert_eq!(code, 0, "{err}");
    db
}

#[test]
fn a_clean_database_checks_clean() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = stored_db(dir.path());
    let (code, out, err) = chronicle(&db, &["check"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains(": ok (30 documents"), "{out}");
    let (code, json, _) = chronicle(&db, &["check", "--json"]);
    assert_eq!(code, 0);
    let r: serde_json::Value = serde_json::from_str(&json).expect("json");
    assert_eq!(r["integrity"], serde_json::json!(["ok"]));
    assert_eq!(r["problems"], serde_json::json!([]));
}

#[test]
fn overwritten_pages_are_refused_by_ingest_and_reported_by_check() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = stored_db(dir.path());
    // The ingest closed the database, so its WAL is merged into the file: damage
    // pages 4-6 (the first indexes of `documents`).
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .open(&db)
        .expect("open db file");
    f.seek(SeekFrom::Start(4096 * 3)).expect("seek");
    f.write_all(&[0xff; 4096 * 3]).expect("overwrite");
    drop(f);
    let more = jsonl(dir.path(), "more.jsonl", "embassy", 0..2);
    let (code, out, err) = chronicle(&db, &["ingest", more.to_str().expect("utf-8")]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(err.contains("is damaged"), "{err}");
    assert!(err.contains(".recover"), "{err}");
    assert!(
        err.contains("re-ingest the sources into a new database"),
        "{err}"
    );
    let (code, out, _) = chronicle(&db, &["check"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("sqlite-integrity"), "{out}");
    assert!(out.contains(".recover"), "{out}");
}

#[test]
fn a_file_that_is_not_a_database_gets_the_same_message() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("junk.db");
    std::fs::write(&db, vec![0x42; 10_000]).expect("write");
    let input = jsonl(dir.path(), "a.jsonl", "canal", 0..1);
    let (code, _, err) = chronicle(&db, &["ingest", input.to_str().expect("utf-8")]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("is damaged") && err.contains(".recover"),
        "{err}"
    );
    let (code, out, _) = chronicle(&db, &["check"]);
    assert_eq!(code, 1, "{out}");
    // The file itself is untouched.
    assert_eq!(std::fs::read(&db).expect("read"), vec![0x42; 10_000]);
}
