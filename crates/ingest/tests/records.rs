//! `read_records` hands out the same documents as `read_file`, built one at a
//! time in file order (so the boilerplate counts each sees are the same), and
//! keeps a bad row an error of its own, naming the file and the row.

use chronicle_ingest::{read_file, read_records, IngestOptions, LineStats};
use std::io::Write;

fn csv_file(rows: &[(&str, &str)]) -> tempfile::NamedTempFile {
    let mut f = tempfile::Builder::new()
        .suffix(".csv")
        .tempfile()
        .expect("temp file");
    writeln!(f, "title,text,source").expect("write");
    for (title, text) in rows {
        writeln!(f, "\"{title}\",\"{text}\",paper.example").expect("write");
    }
    f
}

#[test]
fn records_one_at_a_time_match_the_whole_file() {
    let footer = "Follow us for more news";
    let rows: Vec<(String, String)> = (0..6)
        .map(|i| {
            (
                format!("Council vote {i}"),
                format!(
                    "The council of Avonlea voted on plan {i} on Tuesday, officials said.\n{footer}"
                ),
            )
        })
        .collect();
    let rows: Vec<(&str, &str)> = rows.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let file = csv_file(&rows);
    let opts = IngestOptions::default();
    let whole: Vec<_> = read_file(file.path(), &opts, &LineStats::default())
        .expect("read")
        .into_iter()
        .map(|r| r.map(|d| (d.id, d.text)).map_err(|e| e.to_string()))
        .collect();
    let stats = LineStats::default();
    let records = read_records(file.path(), &opts, &stats).expect("read");
    assert_eq!(records.len(), 6);
    let mut lazy = Vec::new();
    for r in records {
        lazy.push(r.map(|d| (d.id, d.text)).map_err(|e| e.to_string()));
    }
    assert_eq!(whole, lazy);
    // The footer repeats in every row: later documents drop it, as when the
    // whole file was built at once.
    let last = lazy
        .last()
        .and_then(|r| r.as_ref().ok())
        .expect("a document");
    assert!(!last.1.contains(footer), "{:?}", last.1);
}

#[test]
fn a_bad_row_stays_one_error_naming_the_file_and_row() {
    let file = csv_file(&[
        (
            "Mill reopens",
            "The mill in Avonlea reopened on Monday after a year.",
        ),
        ("Empty", " "),
    ]);
    let stats = LineStats::default();
    let out: Vec<_> = read_records(file.path(), &IngestOptions::default(), &stats)
        .expect("read")
        .collect();
    assert_eq!(out.len(), 2);
    assert!(out[0].is_ok());
    let err = out[1].as_ref().expect_err("an error").to_string();
    let name = file.path().file_name().expect("name").to_string_lossy();
    assert!(err.contains(name.as_ref()), "{err}");
}
