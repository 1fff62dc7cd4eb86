//! Work is done once: documents already stored, and repeats within one run, are
//! skipped before annotation (asserted through the JSON report's counters).

mod common;
mod ingest_fixtures;
use ingest_fixtures::{ingest_json, jsonl};

#[test]
fn re_ingest_skips_annotation_and_records_the_new_source() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("s.db");
    let first = jsonl(dir.path(), "a.jsonl", "harbour", 0..12);
    let (code, r, err) = ingest_json(&db, &[&first]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(r["inserted"], 12, "{r}");
    assert_eq!(r["annotated"], 12);
    assert_eq!(r["skipped_before_annotation"], 0);

    // The same articles again, under another name: nothing is annotated.
    let copy = dir.path().join("copy.jsonl");
    std::fs::copy(&first, &copy).expect("copy");
    let (code, r, err) = ingest_json(&db, &[&first, &copy]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(r["documents_read"], 24, "{r}");
    assert_eq!(r["inserted"], 0);
    assert_eq!(r["annotated"], 0);
    assert_eq!(r["skipped_before_annotation"], 24);
    assert_eq!(r["already_stored"], 24);

    let (code, out, _) = common::chronicle(&db, &["check"]);
    assert_eq!(code, 0, "{out}");
}

#[test]
fn a_repeat_within_one_run_is_annotated_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("r.db");
    let a = jsonl(dir.path(), "a.jsonl", "valley", 0..5);
    let b = dir.path().join("b.jsonl");
    std::fs::copy(&a, &b).expect("copy");
    let (code, r, err) = ingest_json(&db, &[&a, &b]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(r["inserted"], 5, "{r}");
    assert_eq!(r["annotated"], 5);
    assert_eq!(r["skipped_before_annotation"], 5);
    assert_eq!(r["already_stored"], 5);
}

#[test]
fn repeated_failures_are_grouped_and_verbose_lists_them() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("f.db");
    let inputs = dir.path().join("in");
    std::fs::create_dir(&inputs).expect("mkdir");
    for i in 0..4 {
        std::fs::write(inputs.join(format!("empty{i}.txt")), "  \n").expect("write");
    }
    let (code, out, err) = common::chronicle(&db, &["ingest", inputs.to_str().expect("utf-8")]);
    assert_eq!(code, 1, "{out}");
    assert_eq!(err.matches("failed").count(), 1, "{err}");
    assert!(err.contains("(4×)"), "{err}");
    let (_, _, err) = common::chronicle(
        &db,
        &["ingest", "--verbose", inputs.to_str().expect("utf-8")],
    );
    assert_eq!(err.matches("failed:").count(), 4, "{err}");
}

#[test]
fn a_document_over_its_time_budget_is_one_failure_and_not_stored() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("b.db");
    let input = jsonl(dir.path(), "a.jsonl", "reservoir", 0..3);
    let (code, out, err) = common::chronicle(
        &db,
        &[
            "ingest",
            "--json",
            "--doc-budget",
            "0.000001",
            input.to_str().expect("utf-8"),
        ],
    );
    assert_eq!(code, 1, "{err}");
    let r: serde_json::Value = serde_json::from_str(&out).expect("report");
    assert_eq!(r["over_budget"], 3, "{r}");
    assert_eq!(r["inserted"], 0);
    let failures = r["failures"].as_array().expect("failures");
    assert_eq!(failures.len(), 3);
    assert!(failures[0]
        .as_str()
        .is_some_and(|f| f.contains("a.jsonl") && f.contains("--doc-budget")));
    // Nothing half-annotated was stored; a normal run then stores all three.
    let (code, r, err) = ingest_json(&db, &[&input]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(r["inserted"], 3, "{r}");
}
