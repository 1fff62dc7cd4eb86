//! Chronicle as a streaming stage: `annotate --jsonl -` reads articles on
//! standard input and writes Document JSON Lines in order; `ingest
//! --from-jsonl` loads them without annotating again, and the store holds the
//! same record as a direct ingest of the articles.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

fn chronicle(args: &[&str], stdin: &[u8]) -> (i32, Vec<u8>, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_chronicle"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run chronicle");
    let mut input = child.stdin.take().expect("stdin");
    let bytes = stdin.to_vec();
    let writer = std::thread::spawn(move || input.write_all(&bytes));
    let out = child.wait_with_output().expect("wait");
    writer.join().expect("writer").expect("write stdin");
    (
        out.status.code().unwrap_or(-1),
        out.stdout,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn articles() -> String {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/corpus/json");
    let mut lines = std::fs::read_to_string(corpus.join("wire-export_mixed-fields.jsonl"))
        .expect("example JSON Lines");
    // A second batch of our own words, with one broken line among them.
    lines.push_str("{\"title\": \"Ferry service resumes between the islands\", \"text\": \"The ferry between the two islands ran again on Friday after storms kept it in port for a week, the operator said.\", \"date\": \"2025-03-14\"}\n");
    lines.push_str("{\"title\": \"broken\", \"text\": \n");
    lines.push_str("{\"headline\": \"Council approves harbour budget\", \"body\": \"The city council approved the harbour budget on Thursday by nine votes to four.\", \"published\": \"2025-03-13\"}\n");
    lines
}

#[test]
fn annotate_then_load_equals_a_direct_ingest() {
    let dir = tempfile::tempdir().expect("temp dir");
    let input = articles();
    let (code, annotated, err) = chronicle(&["annotate", "--jsonl", "-"], input.as_bytes());
    assert_eq!(code, 1, "a broken line is a failure: {err}");
    assert!(err.contains("line 5"), "the broken line is named: {err}");
    let docs: Vec<serde_json::Value> = annotated
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .map(|l| serde_json::from_slice(l).expect("one Document JSON per line"))
        .collect();
    assert_eq!(docs.len(), 5, "every good line, in order");
    assert_eq!(
        docs[3]["title"],
        "Ferry service resumes between the islands"
    );
    assert!(docs
        .iter()
        .all(|d| d["sentences"].as_array().is_some_and(|s| !s.is_empty())));

    let direct = dir.path().join("direct.db");
    let loaded = dir.path().join("loaded.db");
    let articles_file = dir.path().join("articles.jsonl");
    std::fs::write(&articles_file, &input).expect("write");
    let db = |p: &Path| p.display().to_string();
    let (_, _, err) = chronicle(
        &[
            "--db",
            &db(&direct),
            "ingest",
            &articles_file.display().to_string(),
            "--json",
        ],
        b"",
    );
    assert!(direct.is_file(), "{err}");
    let load = || {
        let (code, report, err) = chronicle(
            &[
                "--db",
                &db(&loaded),
                "ingest",
                "--from-jsonl",
                "-",
                "--json",
            ],
            &annotated,
        );
        assert_eq!(code, 0, "{err}");
        serde_json::from_slice::<serde_json::Value>(&report).expect("report")
    };
    let report = load();
    assert_eq!(report["inserted"], 5);
    assert_eq!(report["preannotated"], 5);
    assert_eq!(report["annotated"], 0);
    for listing in [
        ["events", "--json"],
        ["stories", "--json"],
        ["claims", "--json"],
    ] {
        let a = chronicle(&[&["--db", &db(&direct)][..], &listing[..]].concat(), b"").1;
        let b = chronicle(&[&["--db", &db(&loaded)][..], &listing[..]].concat(), b"").1;
        assert_eq!(a, b, "{listing:?} differ");
    }
    // Loading again stores nothing twice.
    let again = load();
    assert_eq!(again["inserted"], 0);
    assert_eq!(again["already_stored"], 5);
}

#[test]
fn a_document_with_bad_spans_is_refused_and_the_rest_loads() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (_, annotated, _) = chronicle(&["annotate", "--jsonl", "-"], articles().as_bytes());
    let mut lines: Vec<serde_json::Value> = annotated
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .map(|l| serde_json::from_slice(l).expect("json"))
        .collect();
    lines[1]["sentences"][0]["end"] = serde_json::json!(1_000_000);
    let input: String = lines.iter().map(|l| format!("{l}\n")).collect();
    let db = dir.path().join("loaded.db").display().to_string();
    let (code, report, _) = chronicle(
        &["--db", &db, "ingest", "--from-jsonl", "-", "--json"],
        input.as_bytes(),
    );
    assert_eq!(code, 1);
    let report: serde_json::Value = serde_json::from_slice(&report).expect("report");
    assert_eq!(report["inserted"], 4);
    let failures = report["failures"].to_string();
    assert!(
        failures.contains("line 2") && failures.contains("span"),
        "{failures}"
    );
}
