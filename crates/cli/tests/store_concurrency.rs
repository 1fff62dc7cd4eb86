//! Two writers on one database: the second waits (saying so once) and proceeds;
//! nothing is dropped and every document is stored once. When the wait runs out,
//! the run stops naming what was not stored.

mod common;
mod ingest_fixtures;
use chronicle_store::{DocumentFilter, SqliteStore, Store};
use common::{chronicle, chronicle_cmd};
use ingest_fixtures::jsonl;
use std::process::Stdio;

#[test]
fn two_ingests_at_once_both_finish_and_store_everything_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("c.db");
    // Several batches each, and a file both read.
    let a = jsonl(dir.path(), "a.jsonl", "canal", 0..300);
    let b = jsonl(dir.path(), "b.jsonl", "quarry", 0..300);
    let shared = jsonl(dir.path(), "shared.jsonl", "orchard", 0..40);
    let spawn = |inputs: [&std::path::Path; 2]| {
        chronicle_cmd(&db)
            .arg("ingest")
            .arg("--json")
            .args(inputs)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn ingest")
    };
    let first = spawn([&a, &shared]);
    let second = spawn([&shared, &b]);
    let mut inserted = 0;
    for child in [first, second] {
        let out = child.wait_with_output().expect("wait");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{err}");
        let r: serde_json::Value = serde_json::from_slice(&out.stdout).expect("report");
        assert_eq!(r["documents_read"], 340, "{r}");
        assert!(r["stopped"].is_null());
        inserted += r["inserted"].as_u64().expect("inserted");
    }
    assert_eq!(inserted, 640);
    let store = SqliteStore::open_read_only(&db).expect("open");
    let docs = store.list(&DocumentFilter::default()).expect("list");
    assert_eq!(docs.len(), 640);
    // The shared file was read by both, from the same place: one source each.
    assert!(docs.iter().all(|d| d.sources == 1));
    let (code, out, _) = chronicle(&db, &["check"]);
    assert_eq!(code, 0, "{out}");
}

#[test]
fn a_writer_waits_for_the_lock_then_proceeds() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("w.db");
    let input = jsonl(dir.path(), "a.jsonl", "foundry", 0..3);
    let holder = SqliteStore::open(&db).expect("open");
    holder
        .connection()
        .execute_batch("BEGIN IMMEDIATE")
        .expect("take the write lock");
    let mut child = chronicle_cmd(&db)
        .args(["ingest", "--wait", "600"])
        .arg(&input)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    // Release the lock only once the writer has said it waits: a fixed sleep
    // would race the writer's start-up (model loading) on a loaded machine.
    use std::io::BufRead;
    let mut stderr = std::io::BufReader::new(child.stderr.take().expect("stderr"));
    let mut err = String::new();
    loop {
        let mut line = String::new();
        let n = stderr.read_line(&mut line).expect("read stderr");
        err.push_str(&line);
        if n == 0 || line.contains("is busy") {
            break;
        }
    }
    holder
        .connection()
        .execute_batch("COMMIT")
        .expect("release");
    std::io::Read::read_to_string(&mut stderr, &mut err).expect("read stderr");
    let out = child.wait_with_output().expect("wait");
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert_eq!(err.matches("is busy").count(), 1, "{err}");
    assert_eq!(holder.count().expect("count"), 3);
}

#[test]
fn when_the_wait_runs_out_the_run_stops_and_names_what_was_not_stored() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("t.db");
    let stored = jsonl(dir.path(), "stored.jsonl", "granary", 0..2);
    let (code, _, err) = chronicle(&db, &["ingest", stored.to_str().expect("utf-8")]);
    assert_eq!(code, 0, "{err}");
    let later = jsonl(dir.path(), "later.jsonl", "archive", 0..2);
    let holder = SqliteStore::open(&db).expect("open");
    holder
        .connection()
        .execute_batch("BEGIN IMMEDIATE")
        .expect("take the write lock");
    let (code, _, err) = chronicle(
        &db,
        &["ingest", "--wait", "1", later.to_str().expect("utf-8")],
    );
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("is busy"), "{err}");
    assert!(err.contains("Not stored: 2 input(s)"), "{err}");
    assert!(err.contains("later.jsonl"), "{err}");
    holder
        .connection()
        .execute_batch("ROLLBACK")
        .expect("release");
    // Nothing stored before is lost, and the same command then stores the rest.
    assert_eq!(holder.count().expect("count"), 2);
    let (code, _, err) = chronicle(&db, &["ingest", later.to_str().expect("utf-8")]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(holder.count().expect("count"), 4);
}
