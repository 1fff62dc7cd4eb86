//! The command line on a PostgreSQL store (`--db postgres://…`), against the
//! server `CHRONICLE_TEST_PG` names (`.ci/run` starts a throwaway cluster;
//! without one these tests say so and pass, except under CI, where they fail).
//! Each test makes a database of its own and drops it at the end.
//!
//! What must hold: the example corpus ingested into PostgreSQL answers every
//! listing exactly as the same corpus in SQLite does; two ingest processes
//! writing overlapping inputs at once store each document once; a wrong
//! password is refused without being echoed.

mod common;
mod ingest_fixtures;
use common::{chronicle, chronicle_cmd};
use ingest_fixtures::jsonl;
use std::path::{Path, PathBuf};
use std::process::Stdio;

/// A fresh database on the test server, dropped when this is.
struct TestDb {
    admin: String,
    name: String,
    url: String,
}

impl TestDb {
    fn create(tag: &str) -> Option<TestDb> {
        let Ok(admin) = std::env::var("CHRONICLE_TEST_PG") else {
            assert!(
                std::env::var_os("CI").is_none(),
                "CI must run the PostgreSQL tests: set CHRONICLE_TEST_PG (see .ci/run)"
            );
            eprintln!("CHRONICLE_TEST_PG is not set: skipping the PostgreSQL test {tag}");
            return None;
        };
        let name = format!(
            "cli_{tag}_{}_{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.subsec_nanos())
                .unwrap_or(0)
        );
        let mut client =
            postgres::Client::connect(&admin, postgres::NoTls).expect("connect to the test server");
        client
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .expect("create the test database");
        let url = match admin.rfind('/') {
            Some(i) => format!("{}/{name}", &admin[..i]),
            None => panic!("CHRONICLE_TEST_PG has no database part: {admin}"),
        };
        Some(TestDb { admin, name, url })
    }

    fn path(&self) -> PathBuf {
        PathBuf::from(&self.url)
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Ok(mut client) = postgres::Client::connect(&self.admin, postgres::NoTls) {
            let _ = client.batch_execute(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ));
        }
    }
}

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/corpus")
}

fn ok(db: &Path, args: &[&str]) -> String {
    let (code, out, err) = chronicle(db, args);
    assert_eq!(code, 0, "chronicle {args:?} on {}: {err}", db.display());
    out
}

#[test]
fn the_example_corpus_reads_the_same_from_postgres_and_sqlite() {
    let Some(pg) = TestDb::create("same") else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let sqlite = dir.path().join("c.db");
    let corpus = corpus();
    let corpus = corpus.to_str().expect("utf-8 path");
    // The corpus holds one page that is not an article: both runs exit 1 for it.
    let ingest = |db: &Path| -> (i32, serde_json::Value) {
        let (code, out, err) = chronicle(db, &["ingest", "--json", corpus]);
        (
            code,
            serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {err}")),
        )
    };
    let (pg_code, pg_report) = ingest(&pg.path());
    let (lite_code, lite_report) = ingest(&sqlite);
    assert_eq!(pg_code, lite_code);
    for key in ["documents_read", "inserted", "already_stored", "failed"] {
        assert_eq!(pg_report[key], lite_report[key], "{key}");
    }
    assert!(
        pg_report["inserted"].as_u64().unwrap_or(0) > 10,
        "{pg_report}"
    );
    assert_same_listings(&pg.path(), &sqlite);
    let check = ok(&pg.path(), &["check"]);
    assert!(check.contains("ok"), "{check}");
}

/// Every listing of two stores, row for row; search finds the same documents.
fn assert_same_listings(pg: &Path, sqlite: &Path) {
    // Every listing, row for row.
    for args in [
        &["documents", "--json"][..],
        &["events", "--json"],
        &["events", "--merged", "--json"],
        &["stories", "--json"],
        &["actors", "--json"],
        &["quotes", "--json"],
        &["claims", "--json"],
        &["timeline", "--actor", "GOV", "--json"],
    ] {
        let a = ok(pg, args);
        let b = ok(sqlite, args);
        assert!(
            a == b,
            "chronicle {args:?} differs between PostgreSQL and SQLite"
        );
    }
    // Search ranks by each engine's own measure (FTS5's bm25, PostgreSQL's
    // ts_rank): the same documents are found (all of them, so the ranks'
    // cut-off does not choose).
    for query in ["killed", "Vastrel", "harbour budget"] {
        let hits = |db: &Path| {
            let out = ok(db, &["search", query, "--limit", "1000", "--json"]);
            let rows: Vec<serde_json::Value> = serde_json::from_str(&out).expect("hits");
            let mut ids: Vec<String> = rows
                .iter()
                .filter_map(|r| r["id"].as_str().map(str::to_string))
                .collect();
            ids.sort();
            ids
        };
        let found = hits(sqlite);
        assert_eq!(hits(pg), found, "search {query:?}");
    }
    let stories: Vec<serde_json::Value> =
        serde_json::from_str(&ok(sqlite, &["stories", "--json"])).expect("stories");
    for s in stories
        .iter()
        .filter(|s| s["documents"].as_array().is_some_and(|d| d.len() > 1))
    {
        let id = s["id"].as_str().expect("story id");
        assert_eq!(
            ok(pg, &["story", id, "--json"]),
            ok(sqlite, &["story", id, "--json"]),
            "story {id}"
        );
    }
}

#[test]
fn a_sqlite_record_copied_into_postgres_reads_the_same_and_grows_the_same() {
    let Some(pg) = TestDb::create("copy") else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let sqlite = dir.path().join("c.db");
    let corpus = corpus();
    let corpus = corpus.to_str().expect("utf-8 path");
    let _ = chronicle(&sqlite, &["ingest", corpus]);
    let url = pg.url.as_str();
    let report: serde_json::Value =
        serde_json::from_str(&ok(&sqlite, &["copy", "--to", url, "--json"])).expect("report");
    let docs: Vec<serde_json::Value> =
        serde_json::from_str(&ok(&sqlite, &["documents", "--json"])).expect("documents");
    assert_eq!(report["documents"], docs.len(), "{report}");
    assert_same_listings(&pg.path(), &sqlite);
    let check = ok(&pg.path(), &["check"]);
    assert!(check.contains("ok"), "{check}");
    // Both go on alike: a later ingest numbers, stores and links after the copy.
    let more = jsonl(dir.path(), "more.jsonl", "harbour", 0..12);
    let more = more.to_str().expect("utf-8 path");
    ok(&sqlite, &["ingest", more]);
    ok(&pg.path(), &["ingest", more]);
    assert_same_listings(&pg.path(), &sqlite);
    // A record is copied into an empty database only, and only that way round.
    let (code, _, err) = chronicle(&sqlite, &["copy", "--to", url]);
    assert_ne!(code, 0);
    assert!(err.contains("already holds rows"), "{err}");
    let (code, _, err) = chronicle(&pg.path(), &["copy", "--to", url]);
    assert_ne!(code, 0);
    assert!(err.contains("reads a SQLite file"), "{err}");
    let (code, _, err) = chronicle(&sqlite, &["copy", "--to", "other.db"]);
    assert_ne!(code, 0);
    assert!(err.contains("writes a PostgreSQL database"), "{err}");
}

#[test]
fn two_ingests_into_one_server_store_every_document_once() {
    let Some(pg) = TestDb::create("two") else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let a = jsonl(dir.path(), "a.jsonl", "canal", 0..150);
    let b = jsonl(dir.path(), "b.jsonl", "quarry", 0..150);
    let shared = jsonl(dir.path(), "shared.jsonl", "orchard", 0..40);
    // The schema is made by whichever worker comes first; start both at once.
    let spawn = |inputs: [&Path; 2]| {
        chronicle_cmd(&pg.path())
            .args(["ingest", "--json"])
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
        assert_eq!(r["documents_read"], 190, "{r}");
        inserted += r["inserted"].as_u64().expect("inserted");
    }
    assert_eq!(inserted, 340, "each document inserted by one worker");
    let docs: Vec<serde_json::Value> =
        serde_json::from_str(&ok(&pg.path(), &["documents", "--json"])).expect("documents");
    assert_eq!(docs.len(), 340);
    let stories: Vec<serde_json::Value> =
        serde_json::from_str(&ok(&pg.path(), &["stories", "--json"])).expect("stories");
    let linked: usize = stories
        .iter()
        .map(|s| s["documents"].as_array().map_or(0, |d| d.len()))
        .sum::<usize>();
    assert_eq!(linked, 340, "every document linked into one story");
    let check = ok(&pg.path(), &["check"]);
    assert!(check.contains("ok"), "{check}");
}

#[test]
fn a_wrong_password_is_refused_without_echoing_it() {
    let Some(pg) = TestDb::create("pw") else {
        return;
    };
    // The test cluster trusts its role; a role that does not exist is refused
    // like a bad password, and the URL's password must not be shown.
    let bad = pg.url.replacen(
        "postgres://chronicle@",
        "postgres://nobody:hunter2secret@",
        1,
    );
    let (code, _, err) = chronicle(Path::new(&bad), &["documents"]);
    assert_ne!(code, 0);
    assert!(!err.contains("hunter2secret"), "{err}");
    assert!(err.contains("127.0.0.1"), "names the server: {err}");
    let (code, _, err) = chronicle(
        Path::new("postgres://nobody:hunter2secret@127.0.0.1:1/x"),
        &["documents"],
    );
    assert_ne!(code, 0);
    assert!(!err.contains("hunter2secret"), "{err}");
}
