//! What only the PostgreSQL backend has: credentials kept out of errors, a
//! schema newer than the binary refused, several writers on one database, and
//! a server that goes away mid-run. On the server named by `CHRONICLE_TEST_PG`
//! (skipped without one, except under CI); the restart test also needs
//! `CHRONICLE_TEST_PG_CTL`, that server's `ci/pg_cluster.sh` folder, which it
//! stops and starts again.

use chronicle_core::Document;
use chronicle_store::{NewDocument, PgOptions, PgStore, PutOutcome, Store, StoreError};
use std::collections::HashSet;
use std::process::Command;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::RwLock;
use std::time::Duration;

/// The restart test stops the server every other test uses: it runs alone.
static SERVER: RwLock<()> = RwLock::new(());

/// The admin URL, or `None` (after saying why) when no server is named.
fn admin_url() -> Option<String> {
    match std::env::var("CHRONICLE_TEST_PG") {
        Ok(url) => Some(url),
        Err(_) => {
            assert!(
                std::env::var_os("CI").is_none(),
                "CI must run the PostgreSQL tests: set CHRONICLE_TEST_PG"
            );
            eprintln!("CHRONICLE_TEST_PG is not set: PostgreSQL tests skipped");
            None
        }
    }
}

/// `url` naming database `name` instead of its own.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, format!("?{q}")),
        None => (url, String::new()),
    };
    let scheme_end = base.find("://").map(|i| i + 3).unwrap_or(0);
    let base = match base[scheme_end..].find('/') {
        Some(i) => &base[..scheme_end + i],
        None => base,
    };
    format!("{base}/{name}{query}")
}

/// A database made for one test, dropped with the guard.
struct TestDatabase {
    admin: String,
    name: String,
    url: String,
}

impl TestDatabase {
    fn create(admin: &str) -> TestDatabase {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let name = format!(
            "pgonly_{}_{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::SeqCst)
        );
        let mut c = postgres::Client::connect(admin, postgres::NoTls).unwrap();
        // A leftover of a killed run goes first (one statement each: neither
        // runs inside a transaction block).
        c.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .unwrap();
        c.batch_execute(&format!("CREATE DATABASE {name}")).unwrap();
        TestDatabase {
            admin: admin.to_string(),
            url: with_database(admin, &name),
            name,
        }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let Ok(mut c) = postgres::Client::connect(&self.admin, postgres::NoTls) {
            let _ = c.batch_execute(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ));
        }
    }
}

fn doc(id: &str) -> NewDocument {
    let mut d = Document::from_text(
        id,
        format!("{id}.txt"),
        format!("Report {id}: the convoy reached the bridge at dawn."),
    );
    d.title = Some(format!("Report {id}"));
    NewDocument {
        doc: d,
        fingerprint: None,
        duplicate_of: None,
    }
}

/// `url` with a password put in (the server trusts us, so any password works).
fn with_password(url: &str, password: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap();
    let rest = match rest.split_once('@') {
        Some((user, host)) => format!("{}:{password}@{host}", user.split(':').next().unwrap()),
        None => format!("chronicle:{password}@{rest}"),
    };
    format!("{scheme}://{rest}")
}

#[test]
fn errors_name_the_server_but_never_the_password() {
    let Some(admin) = admin_url() else { return };
    let _shared = SERVER.read().unwrap_or_else(|e| e.into_inner());
    let secret = "Sup3r-s3cret-pw";
    let missing = with_password(&with_database(&admin, "no_such_database_here"), secret);
    for e in [
        PgStore::connect(&missing).err(),
        PgStore::connect_read_only(&missing).err(),
    ] {
        let e = e.expect("a missing database is an error").to_string();
        assert!(!e.contains(secret), "{e}");
        assert!(e.contains("/no_such_database_here"), "{e}");
        assert!(e.contains("does not exist"), "{e}");
    }
    // Nothing listens on port 1: refused at once, not retried.
    let refused = format!("postgres://u:{secret}@127.0.0.1:1/db");
    let started = std::time::Instant::now();
    let e = PgStore::connect(&refused).err().unwrap().to_string();
    assert!(started.elapsed() < Duration::from_secs(30), "{e}");
    assert!(e.starts_with("database 127.0.0.1:1/db: connecting:"), "{e}");
    assert!(!e.contains(secret), "{e}");
    let garbled = format!("postgres://u:{secret}@127.0.0.1:notaport/db");
    let e = PgStore::connect(&garbled).err().unwrap().to_string();
    assert!(!e.contains(secret), "{e}");
    assert_eq!(
        chronicle_store::postgres::redacted(&garbled),
        "127.0.0.1:notaport/db"
    );
}

#[test]
fn a_schema_newer_than_the_binary_is_refused_with_both_versions() {
    let Some(admin) = admin_url() else { return };
    let _shared = SERVER.read().unwrap_or_else(|e| e.into_inner());
    let db = TestDatabase::create(&admin);
    // A database no chronicle has written is too old to query.
    let e = PgStore::connect_read_only(&db.url).err().unwrap();
    assert!(matches!(e, StoreError::TooOld { found: 0, .. }), "{e}");
    let mut store = PgStore::connect(&db.url).unwrap();
    let known = store.schema_version().unwrap();
    assert!(known >= 1);
    store.put_batch(&[doc("v001")]).unwrap();
    drop(store);
    // A query connection reads and never writes.
    let mut reader = PgStore::connect_read_only(&db.url).unwrap();
    assert_eq!(reader.count().unwrap(), 1);
    let e = reader.put_batch(&[doc("v002")]).err().unwrap().to_string();
    assert!(e.contains("read-only"), "{e}");
    drop(reader);
    let mut c = postgres::Client::connect(&db.url, postgres::NoTls).unwrap();
    c.batch_execute("UPDATE chronicle_schema SET version = 99")
        .unwrap();
    for e in [
        PgStore::connect(&db.url).err(),
        PgStore::connect_read_only(&db.url).err(),
    ] {
        let e = e.expect("a newer schema is refused");
        assert!(
            matches!(e, StoreError::TooNew { found: 99, known: k, .. } if k == known),
            "{e}"
        );
        let text = e.to_string();
        assert!(
            text.contains("99") && text.contains(&format!("({known})")),
            "{text}"
        );
    }
}

#[test]
fn two_writers_with_overlapping_batches_store_each_document_once() {
    let Some(admin) = admin_url() else { return };
    let _shared = SERVER.read().unwrap_or_else(|e| e.into_inner());
    let db = TestDatabase::create(&admin);
    PgStore::connect(&db.url).unwrap();
    // Worker 0 stores d000..d059, worker 1 d030..d089, ten at a time, each
    // batch through the near-duplicate lookup as ingest does.
    let workers: Vec<_> = (0..2)
        .map(|w| {
            let url = db.url.clone();
            std::thread::spawn(move || {
                let mut store = PgStore::connect(&url).unwrap();
                let mut inserted = Vec::new();
                for batch in 0..6 {
                    let first = w * 30 + batch * 10;
                    let mut docs: Vec<NewDocument> = (first..first + 10)
                        .map(|i| doc(&format!("d{i:03}")))
                        .collect();
                    let out = store
                        .put_batch_linked(&mut docs, &[], &mut |lookup, docs| {
                            for d in docs.iter() {
                                lookup.originals_like(d.fingerprint.as_deref().unwrap_or(&[]))?;
                            }
                            Ok(())
                        })
                        .unwrap();
                    for (d, o) in docs.iter().zip(out.documents) {
                        if o == PutOutcome::Inserted {
                            inserted.push(d.doc.id.clone());
                        }
                    }
                }
                inserted
            })
        })
        .collect();
    let mut inserted: Vec<String> = Vec::new();
    for w in workers {
        inserted.extend(w.join().unwrap());
    }
    let distinct: HashSet<&String> = inserted.iter().collect();
    assert_eq!(
        inserted.len(),
        90,
        "each document inserted by exactly one worker"
    );
    assert_eq!(distinct.len(), 90);
    let store = PgStore::connect(&db.url).unwrap();
    assert_eq!(store.count().unwrap(), 90);
    assert_eq!(store.unlinked_documents(1000).unwrap().len(), 90);
    assert_eq!(store.search("convoy", 1000).unwrap().len(), 90);
    let report = store.check().unwrap();
    assert!(report.is_clean(), "{report:?}");
    assert_eq!(report.documents, 90);
    // Twelve committed batches, each moved the counter once.
    assert_eq!(store.change_counter().unwrap(), 12);
}

/// `ci/pg_cluster.sh stop|start` on the cluster folder named by
/// `CHRONICLE_TEST_PG_CTL` (it runs the server as its owner when we are root).
fn cluster(dir: &str, command: &str) -> bool {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/ci/pg_cluster.sh");
    let mut cmd = Command::new("bash");
    cmd.args([script, command, dir]);
    if command == "start" {
        let port = std::fs::read_to_string(format!("{dir}/port")).unwrap_or_default();
        cmd.arg(port.trim());
    }
    cmd.output().map(|o| o.status.success()).unwrap_or(false)
}

#[test]
fn a_server_restarted_mid_run_is_waited_for_and_nothing_is_stored_twice() {
    let Some(admin) = admin_url() else { return };
    let Ok(dir) = std::env::var("CHRONICLE_TEST_PG_CTL") else {
        eprintln!("CHRONICLE_TEST_PG_CTL is not set: restart test skipped");
        return;
    };
    let _alone = SERVER.write().unwrap_or_else(|e| e.into_inner());
    let db = TestDatabase::create(&admin);
    let mut store = PgStore::connect_with(
        &db.url,
        PgOptions {
            retry_for: Duration::from_millis(1500),
            ..Default::default()
        },
    )
    .unwrap();
    store.put_batch(&[doc("r001"), doc("r002")]).unwrap();

    // Down for longer than the store waits: the named error, nothing written.
    assert!(cluster(&dir, "stop"), "the cluster did not stop");
    let e = store.put_batch(&[doc("r003")]).err().unwrap();
    assert!(cluster(&dir, "start"), "the cluster did not start");
    let text = e.to_string();
    assert!(matches!(e, StoreError::Unavailable { .. }), "{text}");
    assert!(
        text.contains("could not be reached") && text.contains("tries"),
        "{text}"
    );
    assert!(
        text.contains(&chronicle_store::postgres::redacted(&db.url)),
        "{text}"
    );

    // Down for two seconds while a store that waits longer writes: it
    // reconnects and the batch lands once.
    let mut patient = PgStore::connect(&db.url).unwrap();
    assert_eq!(patient.count().unwrap(), 2);
    assert!(cluster(&dir, "stop"), "the cluster did not stop");
    let d = dir.clone();
    let starter = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_secs(2));
        cluster(&d, "start")
    });
    let out = patient
        .put_batch(&[doc("r002"), doc("r003"), doc("r004")])
        .unwrap();
    assert!(starter.join().unwrap(), "the cluster did not start");
    assert_eq!(
        out,
        [
            PutOutcome::AlreadyStored,
            PutOutcome::Inserted,
            PutOutcome::Inserted
        ]
    );
    // The first store reconnects too, and a re-run adds nothing.
    let again = store.put_batch(&[doc("r003"), doc("r004")]).unwrap();
    assert_eq!(
        again,
        [PutOutcome::AlreadyStored, PutOutcome::AlreadyStored]
    );
    assert_eq!(patient.count().unwrap(), 4);
    assert!(patient.check().unwrap().is_clean());
}

#[test]
fn check_runs_amcheck_when_the_server_has_it() {
    let Some(admin) = admin_url() else { return };
    let _shared = SERVER.read().unwrap_or_else(|e| e.into_inner());
    let db = TestDatabase::create(&admin);
    let mut store = PgStore::connect(&db.url).unwrap();
    store.put_batch(&[doc("k001"), doc("k002")]).unwrap();
    let mut c = postgres::Client::connect(&db.url, postgres::NoTls).unwrap();
    // A superuser (as the test clusters' `chronicle`) may install it; a
    // server without the contrib modules skips this part.
    if c.batch_execute("CREATE EXTENSION IF NOT EXISTS amcheck")
        .is_ok()
    {
        let report = store.check().unwrap();
        assert!(report.is_clean(), "{report:?}");
        assert_eq!(report.integrity, ["ok"]);
        assert_eq!(report.documents, 2);
    }
    // An orphan row and a document without its full-text row are reported.
    c.batch_execute(
        "DELETE FROM documents_fts WHERE doc_id = 'k002';
         INSERT INTO documents_fts (doc_id, title, text, search) VALUES ('ghost', '', '', '')",
    )
    .unwrap();
    let kinds: Vec<(String, Option<String>)> = store
        .check()
        .unwrap()
        .problems
        .into_iter()
        .map(|p| (p.kind, p.doc_id))
        .collect();
    assert!(
        kinds.contains(&("fts-missing".into(), Some("k002".into()))),
        "{kinds:?}"
    );
    assert!(
        kinds.contains(&("fts-orphan".into(), Some("ghost".into()))),
        "{kinds:?}"
    );
}

#[test]
fn the_copy_knows_every_table_of_both_backends() {
    let Some(admin) = admin_url() else { return };
    let _shared = SERVER.read().unwrap_or_else(|e| e.into_inner());
    let db = TestDatabase::create(&admin);
    let store = PgStore::connect(&db.url).unwrap();
    let mut c = postgres::Client::connect(&db.url, postgres::NoTls).unwrap();
    let mut pg: Vec<String> = c
        .query(
            "SELECT table_name::text FROM information_schema.tables
             WHERE table_schema = current_schema() ORDER BY 1",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    pg.retain(|t| !chronicle_store::postgres::copy::OWN_TABLES.contains(&t.as_str()));
    let mut copied: Vec<String> = chronicle_store::postgres::copy::tables()
        .iter()
        .map(|t| t.to_string())
        .collect();
    copied.sort();
    assert_eq!(pg, copied, "every PostgreSQL table is copied");
    // A SQLite file of this version holds them all, and the copy moves its
    // rows (an empty record: nothing but the schema's own rows).
    let dir = tempfile::tempdir().unwrap();
    let lite = chronicle_store::SqliteStore::open(&dir.path().join("c.db")).unwrap();
    let mut heard = Vec::new();
    let report = store
        .copy_from_sqlite(&lite, &mut |t, _| heard.push(t.to_string()))
        .unwrap();
    assert_eq!(heard.len(), chronicle_store::postgres::copy::tables().len());
    assert_eq!(report.documents, 0);
}
