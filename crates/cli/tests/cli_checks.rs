//! The command line checks what it is given and never destroys a file: bad dates,
//! codes and kinds are usage errors; `--out` refuses to clobber; a closed pipe is
//! a quiet success; the demo never replaces a database; every listing speaks
//! every format.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

mod common;
use common::chronicle;

/// One small store shared by the tests of this file (ingesting is the slow part).
fn store() -> &'static Path {
    static DB: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    let (_, db) = DB.get_or_init(|| {
        let dir = tempfile::tempdir().expect("tempdir");
        let src = dir.path().join("in");
        std::fs::create_dir(&src).expect("mkdir");
        std::fs::write(
            src.join("brief.txt"),
            "Valdoran troops shell border town\n\nPublished: 2016-10-04\n\n\
             Valdoran artillery shelled the border town of Kesh on Monday, killing 12 civilians, \
             the regional governor said. \"We have asked the United Nations for help,\" Governor \
             Mira Oskan told reporters. The Valdoran defence ministry accused Ostrevia of \
             provoking the attack.\n",
        )
        .expect("write");
        std::fs::write(
            src.join("second.txt"),
            "Aid convoy reaches Kesh\n\nPublished: 2016-10-06\n\n\
             An aid convoy of 30 trucks reached Kesh on Wednesday, two days after the shelling, \
             officials said. About 4,000 residents had fled the town since Monday.\n",
        )
        .expect("write");
        let db = dir.path().join("store.db");
        let (code, out, err) = chronicle(&db, &["ingest", src.to_str().expect("utf-8")]);
        assert_eq!(code, 0, "{out}\n{err}");
        (dir, db)
    });
    db
}

#[test]
fn bad_dates_are_usage_errors_that_show_the_format() {
    for args in [
        &["documents", "--from", "10/01/2016"][..],
        &["documents", "--to", "2024-13-45"],
        &["events", "--from", "garbage"],
        &["quotes", "--from", "2015-02-29"],
        &["claims", "--to", "2016-1"],
    ] {
        let (code, _, err) = chronicle(store(), args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(err.contains("YYYY-MM-DD"), "{args:?}: {err}");
    }
    let (code, _, err) = chronicle(
        store(),
        &["documents", "--from", "2016-11", "--to", "2016-10"],
    );
    assert_eq!(code, 2, "{err}");
}

#[test]
fn date_periods_are_inclusive() {
    let (code, out, _) = chronicle(
        store(),
        &[
            "documents",
            "--from",
            "2016-10",
            "--to",
            "2016-10",
            "--format",
            "jsonl",
        ],
    );
    assert_eq!(code, 0);
    assert_eq!(out.lines().count(), 2, "{out}");
    let (_, out, _) = chronicle(
        store(),
        &["documents", "--to", "2016-10-04", "--format", "jsonl"],
    );
    assert_eq!(out.lines().count(), 1, "{out}");
}

#[test]
fn codes_and_kinds_are_checked_against_the_tables() {
    let (code, _, err) = chronicle(store(), &["events", "--code", "ACCUSE"]);
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = chronicle(store(), &["events", "--code", "BOGUS"]);
    assert_eq!(code, 2);
    assert!(err.contains("ACCUSE") && err.contains("CAMEO"), "{err}");
    let (code, _, err) = chronicle(store(), &["events", "--code", "99"]);
    assert_eq!(code, 2, "{err}");
    let (code, _, err) = chronicle(store(), &["claims", "--kind", "DEATHS"]);
    assert_eq!(code, 2);
    assert!(err.contains("KILL") && err.contains("DISPLACE"), "{err}");
    let (code, out, _) = chronicle(store(), &["claims", "--kind", "kill", "--format", "jsonl"]);
    assert_eq!(code, 0);
    assert!(
        out.lines().all(|l| l.contains("\"kind\":\"KILL\"")),
        "{out}"
    );
}

#[test]
fn like_wildcards_in_text_filters_are_literal() {
    let (_, all, _) = chronicle(store(), &["documents", "--format", "jsonl"]);
    assert_eq!(all.lines().count(), 2);
    for pattern in ["%", "_"] {
        let (code, out, _) = chronicle(
            store(),
            &["documents", "--outlet", pattern, "--format", "jsonl"],
        );
        assert_eq!(code, 0);
        assert_eq!(out, "", "--outlet {pattern} matched: {out}");
    }
}

#[test]
fn every_listing_writes_every_format() {
    for listing in ["documents", "events", "actors", "quotes", "claims"] {
        let (code, json, err) = chronicle(store(), &[listing, "--format", "json"]);
        assert_eq!(code, 0, "{listing}: {err}");
        let v: serde_json::Value = serde_json::from_str(&json).expect("json");
        let n = v.as_array().expect("array").len();
        let (_, jsonl, _) = chronicle(store(), &[listing, "--format", "jsonl"]);
        assert_eq!(jsonl.lines().count(), n, "{listing}");
        for line in jsonl.lines() {
            serde_json::from_str::<serde_json::Value>(line).expect("jsonl line");
        }
        let (_, csv, _) = chronicle(store(), &[listing, "--format", "csv"]);
        let mut reader = csv::Reader::from_reader(csv.as_bytes());
        assert_eq!(reader.records().count(), n, "{listing}");
        let dir = tempfile::tempdir().expect("tempdir");
        let out = dir.path().join("x.parquet");
        let (code, _, err) = chronicle(
            store(),
            &[
                listing,
                "--format",
                "parquet",
                "--out",
                out.to_str().expect("utf-8"),
            ],
        );
        assert_eq!(code, 0, "{listing}: {err}");
        let bytes = std::fs::read(&out).expect("parquet file");
        assert!(
            bytes.starts_with(b"PAR1") && bytes.ends_with(b"PAR1"),
            "{listing}"
        );
    }
    // Document ids and dates carry the same names in every listing.
    for listing in ["events", "quotes", "claims"] {
        let (_, jsonl, _) = chronicle(store(), &[listing, "--format", "jsonl"]);
        let first = jsonl.lines().next().unwrap_or("{}");
        assert!(
            first.contains("\"doc_id\"") && first.contains("\"published\""),
            "{listing}: {first}"
        );
    }
}

#[test]
fn out_never_clobbers_and_never_touches_the_database() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("events.csv");
    std::fs::write(&out, "keep me").expect("write");
    let o = out.to_str().expect("utf-8");
    let (code, _, err) = chronicle(store(), &["events", "--format", "csv", "--out", o]);
    assert_eq!(code, 1);
    assert!(err.contains("--force"), "{err}");
    assert_eq!(std::fs::read_to_string(&out).expect("read"), "keep me");
    let (code, _, err) = chronicle(
        store(),
        &["events", "--format", "csv", "--out", o, "--force"],
    );
    assert_eq!(code, 0, "{err}");
    assert!(std::fs::read_to_string(&out)
        .expect("read")
        .starts_with("doc_id,"));

    let before = std::fs::read(store()).expect("db");
    let db = store().to_str().expect("utf-8");
    let (code, _, err) = chronicle(
        store(),
        &["documents", "--format", "csv", "--out", db, "--force"],
    );
    assert_eq!(code, 1);
    assert!(err.contains("database"), "{err}");
    #[cfg(unix)]
    {
        let link = dir.path().join("link.csv");
        std::os::unix::fs::symlink(store(), &link).expect("symlink");
        let (code, _, _) = chronicle(
            store(),
            &[
                "documents",
                "--format",
                "csv",
                "--out",
                link.to_str().expect("utf-8"),
                "--force",
            ],
        );
        assert_eq!(code, 1);
    }
    assert_eq!(std::fs::read(store()).expect("db"), before);

    let (code, out, _) = chronicle(store(), &["documents", "--format", "csv", "--out", "-"]);
    assert_eq!(code, 0);
    assert!(
        out.starts_with("id,") || out.starts_with("doc_id,"),
        "{out}"
    );
    assert!(!Path::new("-").exists());
}

#[cfg(unix)]
#[test]
fn a_fifo_is_written_through_not_replaced() {
    let dir = tempfile::tempdir().expect("tempdir");
    let fifo = dir.path().join("pipe");
    let made = Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("skipped: mkfifo is not available");
        return;
    }
    let reader_path = fifo.clone();
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        std::fs::File::open(&reader_path)
            .and_then(|mut f| f.read_to_string(&mut text))
            .map(|_| text)
    });
    let (code, _, err) = chronicle(
        store(),
        &[
            "documents",
            "--format",
            "jsonl",
            "--out",
            fifo.to_str().expect("utf-8"),
        ],
    );
    assert_eq!(code, 0, "{err}");
    let text = reader.join().expect("reader thread").expect("read fifo");
    assert_eq!(text.lines().count(), 2);
    use std::os::unix::fs::FileTypeExt;
    assert!(std::fs::symlink_metadata(&fifo)
        .expect("meta")
        .file_type()
        .is_fifo());
}

#[test]
fn a_closed_pipe_ends_quietly_with_success() {
    for args in [
        &["documents"][..],
        &["events", "--format", "jsonl"],
        &["quotes", "--format", "csv"],
    ] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_chronicle"))
            .arg("--db")
            .arg(store())
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn");
        // Close our end before the program writes: every write then fails with EPIPE.
        drop(child.stdout.take());
        let out = child.wait_with_output().expect("wait");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {err}");
        assert!(
            !err.contains("panicked") && !err.contains("Broken pipe"),
            "{err}"
        );
    }
}

#[test]
fn demo_never_replaces_a_database() {
    let dir = tempfile::tempdir().expect("tempdir");
    let precious = dir.path().join("mine.db");
    std::fs::write(&precious, "my record").expect("write");
    let (code, _, err) = chronicle(&precious, &["demo"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("already exists"), "{err}");
    assert_eq!(
        std::fs::read_to_string(&precious).expect("read"),
        "my record"
    );

    // Without --db, a taken default name is kept and the next free name is used.
    std::fs::write(dir.path().join("chronicle-demo.db"), "old").expect("write");
    let corpus = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/corpus");
    let out = Command::new(env!("CARGO_BIN_EXE_chronicle"))
        .current_dir(dir.path())
        .args(["demo", "--corpus", corpus.to_str().expect("utf-8")])
        .output()
        .expect("run demo");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(err.contains("chronicle-demo-2.db"), "{err}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("chronicle-demo.db")).expect("read"),
        "old"
    );
    assert!(dir.path().join("chronicle-demo-2.db").exists());
}

#[test]
fn schemas_are_published_for_the_json_outputs() {
    let (code, names, _) = chronicle(store(), &["schema"]);
    assert_eq!(code, 0);
    for name in [
        "document",
        "documents",
        "events",
        "actors",
        "quotes",
        "claims",
    ] {
        assert!(names.contains(name), "{names}");
        let (code, text, err) = chronicle(store(), &["schema", name]);
        assert_eq!(code, 0, "{err}");
        let v: serde_json::Value = serde_json::from_str(&text).expect("schema JSON");
        assert!(v.get("$schema").is_some(), "{name}");
    }
    let (code, _, err) = chronicle(store(), &["schema", "nope"]);
    assert_eq!(code, 2, "{err}");
}

/// Subcommand names listed under "Commands:" in a help text.
fn subcommands(help: &str) -> Vec<String> {
    help.lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .filter(|c| c != "help")
        .collect()
}

#[test]
fn every_command_has_an_example_and_documented_options() {
    let (_, top, _) = chronicle(store(), &["--help"]);
    let mut todo: Vec<Vec<String>> = subcommands(&top).into_iter().map(|c| vec![c]).collect();
    assert!(todo.len() > 10, "{top}");
    while let Some(path) = todo.pop() {
        let mut args: Vec<&str> = path.iter().map(String::as_str).collect();
        args.push("--help");
        let (code, help, _) = chronicle(store(), &args);
        assert_eq!(code, 0, "{path:?}");
        let nested = subcommands(&help);
        if !nested.is_empty() {
            for n in nested {
                let mut p = path.clone();
                p.push(n);
                todo.push(p);
            }
            continue;
        }
        assert!(
            help.contains("Example: chronicle"),
            "{path:?} --help has no example:\n{help}"
        );
        // In the short help every option and argument has its description on its line.
        args.pop();
        args.push("-h");
        let (_, short, _) = chronicle(store(), &args);
        for line in short.lines().filter(|l| {
            let t = l.trim_start();
            l.starts_with("  ") && (t.starts_with('-') || t.starts_with('<') || t.starts_with('['))
        }) {
            let described = line
                .split_whitespace()
                .any(|w| !(w.starts_with('-') || w.starts_with('<') || w.starts_with('[')));
            assert!(described, "{path:?}: undocumented option {line:?}");
        }
    }
}
