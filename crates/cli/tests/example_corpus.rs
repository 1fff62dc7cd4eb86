//! End to end on the bundled example corpus: the README's main command, then the
//! read-side commands, checked against what the corpus was written to exercise.

use std::path::PathBuf;

mod common;
use common::chronicle;

fn corpus() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/corpus")
}

#[test]
fn demo_ingests_the_corpus_and_finds_what_it_was_written_to_show() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("demo.db");
    let corpus = corpus();
    let (code, stdout, stderr) = chronicle(
        &db,
        &["demo", "--corpus", corpus.to_str().expect("utf-8 path")],
    );
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert!(stdout.contains("near-duplicate of"), "{stdout}");
    assert!(stdout.contains("date_conflict"), "{stdout}");
    assert!(stdout.contains("not_english"), "{stdout}");
    assert!(
        stderr.contains("\"not found\" error page"),
        "{stdout}\n{stderr}"
    );

    let (code, json, _) = chronicle(&db, &["documents", "--json"]);
    assert_eq!(code, 0);
    let docs: serde_json::Value = serde_json::from_str(&json).expect("documents JSON");
    let docs = docs.as_array().expect("array");
    assert!(docs.len() >= 20, "{}", docs.len());
    let estimated: Vec<&serde_json::Value> =
        docs.iter().filter(|d| d["estimated"] == true).collect();
    assert!(
        !estimated.is_empty(),
        "the undated article gets a content estimate"
    );
    assert!(
        docs.iter().any(|d| d["sources"].as_u64().unwrap_or(0) > 1),
        "exact duplicates are one document with several sources"
    );

    // Re-ingesting stores nothing new.
    let (code, stdout, _) = chronicle(&db, &["ingest", corpus.to_str().expect("utf-8 path")]);
    assert_eq!(code, 1, "the 404 page still fails: {stdout}");
    assert!(stdout.contains(" 0 stored"), "{stdout}");

    // Search and show work on what was stored, with annotation layers present.
    let (code, hits, _) = chronicle(&db, &["search", "convoy", "--json"]);
    assert_eq!(code, 0);
    let hits: serde_json::Value = serde_json::from_str(&hits).expect("search JSON");
    let first = hits[0]["id"].as_str().expect("a hit");
    let (code, shown, _) = chronicle(&db, &["show", &first[..8], "--json"]);
    assert_eq!(code, 0);
    let doc: serde_json::Value = serde_json::from_str(&shown).expect("document JSON");
    assert!(!doc["tokens"].as_array().expect("tokens").is_empty());
    assert!(!doc["entities"].as_array().expect("entities").is_empty());
    for layer in ["times", "quotes", "claims", "events"] {
        assert!(doc[layer].is_array(), "{layer}");
    }
}

#[test]
fn annotate_prints_the_document_json_with_valid_spans() {
    let file = corpus().join("plain/2025-03-04_northgate-herald_overnight-strikes.txt");
    let dir = tempfile::tempdir().expect("tempdir");
    let (code, json, stderr) = chronicle(
        &dir.path().join("unused.db"),
        &["annotate", file.to_str().expect("utf-8"), "--json"],
    );
    assert_eq!(code, 0, "{stderr}");
    let doc: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    assert_eq!(doc["published"]["date"], "2025-03-04");
    assert_eq!(doc["published"]["provenance"], "header");
    let text = doc["text"].as_str().expect("text");
    for layer in ["sentences", "tokens", "entities"] {
        for item in doc[layer].as_array().expect("layer") {
            let (s, e) = (
                item["start"].as_u64().expect("start") as usize,
                item["end"].as_u64().expect("end") as usize,
            );
            assert!(text.get(s..e).is_some(), "{layer} span {s}..{e}");
        }
    }
}

/// `annotate` writes a many-record file document by document, on any number of
/// threads, exactly as one array built in memory would print.
#[test]
fn annotate_streams_every_record_the_same_on_any_thread_count() {
    let file = corpus().join("json/wire-export_mixed-fields.jsonl");
    let file = file.to_str().expect("utf-8");
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("unused.db");
    let (code, one, stderr) = chronicle(&db, &["--threads", "1", "annotate", file, "--json"]);
    assert_eq!(code, 0, "{stderr}");
    let (code, two, stderr) = chronicle(&db, &["annotate", file, "--json", "--threads", "2"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(one, two);
    let docs: Vec<chronicle_core::Document> = serde_json::from_str(&one).expect("JSON array");
    assert!(docs.len() > 1, "{}", docs.len());
    assert!(docs.iter().all(|d| !d.tokens.is_empty()));
    // A Vec of the same documents prints byte for byte what the stream wrote.
    assert_eq!(
        serde_json::to_string_pretty(&docs).expect("JSON") + "\n",
        one
    );
    let (_, text1, _) = chronicle(&db, &["annotate", file, "--threads", "1"]);
    let (_, text2, _) = chronicle(&db, &["annotate", file, "--threads", "2"]);
    assert_eq!(text1, text2);
    let (code, _, _) = chronicle(&db, &["annotate", file, "--threads", "0"]);
    assert_eq!(code, 2, "--threads 0 is a usage error");
}

#[test]
fn usage_errors_exit_2() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (code, _, _) = chronicle(&dir.path().join("x.db"), &["ingest"]);
    assert_eq!(code, 2);
}

#[test]
fn events_actors_and_gdelt_export_read_the_coded_record() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("c.db");
    let corpus = corpus();
    let (code, _, stderr) = chronicle(&db, &["ingest", corpus.to_str().expect("utf-8 path")]);
    assert!(code == 0 || code == 1, "{stderr}");
    let (code, stdout, stderr) = chronicle(&db, &["events", "--json"]);
    assert_eq!(code, 0, "{stderr}");
    let events: serde_json::Value = serde_json::from_str(&stdout).expect("events JSON");
    let events = events.as_array().expect("array");
    assert!(!events.is_empty(), "the corpus tells of talks and shelling");
    for e in events {
        assert!(e["code"].as_str().is_some_and(|c| c.len() >= 2));
        assert!(e["sentence"].as_str().is_some());
    }
    let (code, stdout, _) = chronicle(&db, &["events", "--code", "19", "--json"]);
    assert_eq!(code, 0);
    let only: serde_json::Value = serde_json::from_str(&stdout).expect("JSON");
    assert!(only
        .as_array()
        .expect("array")
        .iter()
        .all(|e| e["code"].as_str().is_some_and(|c| c.starts_with("19"))));
    let (code, stdout, _) = chronicle(&db, &["actors", "--json"]);
    assert_eq!(code, 0);
    let actors: serde_json::Value = serde_json::from_str(&stdout).expect("actors JSON");
    assert!(actors
        .as_array()
        .expect("array")
        .iter()
        .any(|a| a["role"].as_str() == Some("Foreign Minister")));
    // Generic agents ("civilians", "artillery") only with --all; titles are not names.
    let named = actors.as_array().expect("array");
    assert!(named
        .iter()
        .all(|a| a["actor"].as_str() != Some("civilians")
            && a["actor"].as_str() != Some("Dr Lena Kovar")));
    let (code, stdout, _) = chronicle(&db, &["actors", "--json", "--all"]);
    assert_eq!(code, 0);
    let all: serde_json::Value = serde_json::from_str(&stdout).expect("actors JSON");
    assert!(all.as_array().expect("array").len() > named.len());
    let out = dir.path().join("gdelt.tsv");
    let (code, _, stderr) = chronicle(
        &db,
        &[
            "export",
            "gdelt",
            "--out",
            out.to_str().expect("utf-8 path"),
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    let tsv = std::fs::read_to_string(&out).expect("export written");
    // Background references and undatable events are left out of the export.
    assert!(tsv.lines().count() <= events.len() && tsv.lines().count() > 0);
    assert!(tsv.lines().all(|l| l.split('\t').count() == 61));
}
