//! Queries on a database in a read-only folder, and while another process writes.

mod common;
mod ingest_fixtures;
use chronicle_store::{DocumentFilter, SqliteStore, Store};
use common::chronicle;
use ingest_fixtures::jsonl;
use std::os::unix::fs::PermissionsExt;

#[test]
fn a_database_in_a_read_only_folder_can_be_queried() {
    let dir = tempfile::tempdir().expect("tempdir");
    let folder = dir.path().join("archive");
    std::fs::create_dir(&folder).expect("mkdir");
    let db = folder.join("ro.db");
    let input = jsonl(dir.path(), "a.jsonl", "academy", 0..4);
    let (code, _, err) = chronicle(&db, &["ingest", input.to_str().expect("utf-8")]);
    assert_eq!(code, 0, "{err}");
    assert!(
        !folder.join("ro.db-wal").exists(),
        "the last writer merged its WAL"
    );
    let mode = |m| std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(m));
    mode(0o555).expect("chmod");
    // Root ignores permissions: there, the folder is writable whatever its mode.
    let probe = folder.join("probe");
    let root = std::fs::write(&probe, b"").is_ok();
    if root {
        let _ = std::fs::remove_file(&probe);
        mode(0o755).expect("chmod back");
        eprintln!(
            "running as root, so chmod 0555 does not make the folder read-only: \
             testing the immutable fallback through the library instead"
        );
        let store = SqliteStore::open_immutable(&db).expect("immutable open");
        assert_eq!(
            store.list(&DocumentFilter::default()).expect("list").len(),
            4
        );
        assert!(!folder.join("ro.db-wal").exists());
        return;
    }
    let (code, out, err) = chronicle(&db, &["search", "academy"]);
    let (code2, _, err2) = chronicle(&db, &["check"]);
    mode(0o755).expect("chmod back");
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(code2, 0, "{err2}");
    assert!(!folder.join("ro.db-wal").exists());
}

#[test]
fn reads_see_committed_batches_while_a_writer_holds_the_lock() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("w.db");
    let input = jsonl(dir.path(), "a.jsonl", "pasture", 0..3);
    let (code, _, err) = chronicle(&db, &["ingest", input.to_str().expect("utf-8")]);
    assert_eq!(code, 0, "{err}");
    let writer = SqliteStore::open(&db).expect("open");
    writer
        .connection()
        .execute_batch("BEGIN IMMEDIATE; DELETE FROM sources;")
        .expect("uncommitted write");
    let reader = SqliteStore::open_read_only(&db).expect("read-only open");
    assert_eq!(reader.count().expect("count"), 3);
    let (code, _, err) = chronicle(&db, &["search", "pasture"]);
    assert_eq!(code, 0, "{err}");
    writer
        .connection()
        .execute_batch("ROLLBACK")
        .expect("rollback");
}
