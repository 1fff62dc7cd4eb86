//! `chronicle export parquet` on a store of the example corpus: the lake's
//! tables hold the listings' rows, under Hive folders, in the types
//! `_schema.json` declares; `--since` exports a subset; exports never collide.

mod common;

use common::chronicle;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use serde_json::Value;
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

fn corpus() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/corpus")
}

fn parquet_files(dir: &Path, found: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries {
        let p = e.expect("dir entry").path();
        if p.is_dir() {
            parquet_files(&p, found);
        } else if p.extension().is_some_and(|x| x == "parquet") {
            found.push(p);
        }
    }
}

fn files_of(lake: &Path, table: &str) -> Vec<PathBuf> {
    let mut found = Vec::new();
    parquet_files(&lake.join(table), &mut found);
    found.sort();
    found
}

fn rows_of(lake: &Path, table: &str) -> usize {
    files_of(lake, table)
        .iter()
        .map(|f| {
            let file = std::fs::File::open(f).expect("open part file");
            let b = ParquetRecordBatchReaderBuilder::try_new(file).expect("a Parquet file");
            usize::try_from(b.metadata().file_metadata().num_rows()).expect("row count")
        })
        .sum()
}

fn listing(db: &Path, args: &[&str]) -> Vec<Value> {
    let (code, stdout, stderr) = chronicle(db, args);
    assert_eq!(code, 0, "{args:?}: {stderr}");
    serde_json::from_str(&stdout).expect("a JSON listing")
}

fn arrow_type(declared: &str) -> &'static str {
    match declared {
        "string" | "string (JSON)" => "Utf8",
        "int64" => "Int64",
        "float64" => "Float64",
        "boolean" => "Boolean",
        "date32" => "Date32",
        "list<string>" => "List",
        other => panic!("undocumented type {other}"),
    }
}

#[test]
fn the_lake_holds_the_listings_rows_typed_and_partitioned() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("c.db");
    let corpus = corpus();
    let (code, _, stderr) = chronicle(
        &db,
        &["demo", "--corpus", corpus.to_str().expect("utf-8 path")],
    );
    assert_eq!(code, 0, "{stderr}");
    let lake = dir.path().join("lake");
    let lake_arg = lake.to_str().expect("utf-8 path");
    let (code, _, stderr) = chronicle(&db, &["export", "parquet", "--out", lake_arg]);
    assert_eq!(code, 0, "{stderr}");

    // Row counts equal the listings'.
    let documents = listing(&db, &["documents", "--json"]);
    let events = listing(&db, &["events", "--json"]);
    let expected: BTreeMap<&str, usize> = [
        ("documents", documents.len()),
        ("events", events.len()),
        ("quotes", listing(&db, &["quotes", "--json"]).len()),
        ("claims", listing(&db, &["claims", "--json"]).len()),
        ("actors", listing(&db, &["actors", "--json"]).len()),
        ("stories", listing(&db, &["stories", "--json"]).len()),
        (
            "merged_events",
            listing(&db, &["events", "--merged", "--json"]).len(),
        ),
    ]
    .into_iter()
    .collect();
    for (table, n) in &expected {
        assert!(*n > 0, "the corpus gives {table} rows");
        assert_eq!(rows_of(&lake, table), *n, "{table}");
    }

    // Every file under year=YYYY/month=MM (or unknown), events by their months.
    for f in files_of(&lake, "events") {
        let month = f.parent().and_then(Path::file_name).expect("month folder");
        let year = f
            .parent()
            .and_then(Path::parent)
            .and_then(Path::file_name)
            .expect("year folder");
        assert!(month.to_string_lossy().starts_with("month="), "{f:?}");
        assert!(year.to_string_lossy().starts_with("year="), "{f:?}");
    }
    assert!(lake.join("events/year=2025/month=03").is_dir());
    assert!(lake.join("documents/year=2025/month=03").is_dir());

    // Column names and types as _schema.json documents them, in every file.
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(lake.join("_schema.json")).expect("_schema.json"),
    )
    .expect("schema JSON");
    let tables = schema["tables"].as_object().expect("tables");
    assert_eq!(tables.len(), 11);
    for (table, spec) in tables {
        let files = files_of(&lake, table);
        assert!(!files.is_empty(), "{table} has files");
        for f in files {
            let file = std::fs::File::open(&f).expect("open");
            let b = ParquetRecordBatchReaderBuilder::try_new(file).expect("parquet");
            let got: Vec<(String, String)> = b
                .schema()
                .fields()
                .iter()
                .map(|x| {
                    let t = format!("{}", x.data_type());
                    let t = if t.starts_with("List(") {
                        "List".to_string()
                    } else {
                        t
                    };
                    (x.name().clone(), t)
                })
                .collect();
            let want: Vec<(String, String)> = spec["columns"]
                .as_array()
                .expect("columns")
                .iter()
                .map(|c| {
                    (
                        c["name"].as_str().expect("name").to_string(),
                        arrow_type(c["type"].as_str().expect("type")).to_string(),
                    )
                })
                .collect();
            assert_eq!(got, want, "{f:?}");
        }
    }

    // --since: the documents published on or after the day, and their events.
    let since = "2025-03-07";
    let kept: HashSet<&str> = documents
        .iter()
        .filter(|d| d["published"].as_str().is_some_and(|p| p >= since))
        .filter_map(|d| d["id"].as_str())
        .collect();
    assert!(!kept.is_empty() && kept.len() < documents.len());
    let newer = dir.path().join("newer");
    let (code, _, stderr) = chronicle(
        &db,
        &[
            "export",
            "parquet",
            "--out",
            newer.to_str().expect("utf-8"),
            "--since",
            since,
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(rows_of(&newer, "documents"), kept.len());
    let kept_events = events
        .iter()
        .filter(|e| e["doc_id"].as_str().is_some_and(|d| kept.contains(d)))
        .count();
    assert_eq!(rows_of(&newer, "events"), kept_events);
    assert!(rows_of(&newer, "stories") <= expected["stories"]);

    // A second export into the same lake adds its own files beside the first's.
    let before = files_of(&lake, "events");
    let (code, _, stderr) = chronicle(&db, &["export", "parquet", "--out", lake_arg]);
    assert_eq!(code, 0, "{stderr}");
    let after = files_of(&lake, "events");
    assert_eq!(after.len(), 2 * before.len());
    assert!(before.iter().all(|f| after.contains(f)));
    assert_eq!(rows_of(&lake, "events"), 2 * events.len());

    // Texts only when asked for.
    let texts = |lake: &Path| -> usize {
        files_of(lake, "documents")
            .iter()
            .map(|f| {
                let file = std::fs::File::open(f).expect("open");
                let reader = ParquetRecordBatchReaderBuilder::try_new(file)
                    .expect("parquet")
                    .build()
                    .expect("reader");
                reader
                    .map(|b| {
                        let b = b.expect("batch");
                        let col = b.column_by_name("text").expect("text column");
                        col.len() - col.null_count()
                    })
                    .sum::<usize>()
            })
            .sum()
    };
    assert_eq!(texts(&newer), 0);
    let with_text = dir.path().join("with-text");
    let (code, _, stderr) = chronicle(
        &db,
        &[
            "export",
            "parquet",
            "--with-text",
            "--out",
            with_text.to_str().expect("utf-8"),
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(texts(&with_text), documents.len());

    // A bad --since is a usage error.
    let (code, _, _) = chronicle(
        &db,
        &["export", "parquet", "--out", lake_arg, "--since", "2025-03"],
    );
    assert_eq!(code, 2);
}
