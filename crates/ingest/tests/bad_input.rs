//! Every kind of bad input yields one clear error naming the input, and the rest of
//! the batch still loads.

use chronicle_ingest::{
    collect_inputs, read_bytes, read_file, IngestError, IngestOptions, LineStats,
};
use std::io::Write;
use std::path::{Path, PathBuf};

const ARTICLE: &str = "Talks resume in the capital\n\nNegotiators returned to the table on Thursday, officials said, after a week in which the ceasefire nearly collapsed twice.\n\nAid agencies said at least 40 trucks were waiting at the northern checkpoint.\n";

fn read(bytes: &[u8], name: &str) -> chronicle_ingest::FileResult {
    read_bytes(
        bytes,
        Path::new(name),
        &IngestOptions::default(),
        &LineStats::default(),
    )
}

#[test]
fn empty_and_whitespace_files() {
    for b in [&b""[..], b"   \n\t \r\n"] {
        let e = read(b, "empty.txt").unwrap_err();
        assert!(matches!(e, IngestError::Empty { .. }), "{e}");
        assert!(e.to_string().starts_with("empty.txt:"));
    }
}

#[test]
fn binary_is_refused() {
    let e = read(b"\x89PNG\r\n\x1a\n\0\0\0IHDR", "photo.txt").unwrap_err();
    assert!(e.to_string().contains("PNG image"), "{e}");
}

#[test]
fn invalid_utf8_is_decoded_as_legacy() {
    let mut bytes = ARTICLE.as_bytes().to_vec();
    bytes.extend_from_slice(
        b"\n\x93We will not leave,\x94 said Jos\xe9 Arrieta, the convoy chief.\n",
    );
    let docs = read(&bytes, "legacy.txt").unwrap();
    let doc = docs.into_iter().next().unwrap().unwrap();
    assert!(
        doc.text.contains("“We will not leave,” said José Arrieta"),
        "{}",
        doc.text
    );
}

#[test]
fn size_cap() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("big.txt");
    std::fs::write(&p, ARTICLE.repeat(10)).unwrap();
    let opts = IngestOptions {
        max_bytes: 100,
        ..Default::default()
    };
    let e = read_file(&p, &opts, &LineStats::default()).unwrap_err();
    assert!(matches!(e, IngestError::TooLarge { .. }), "{e}");
    assert!(e.to_string().contains("--max-bytes"));
}

#[test]
fn truncated_gzip() {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(ARTICLE.repeat(50).as_bytes()).unwrap();
    let full = enc.finish().unwrap();
    let e = read(&full[..full.len() / 2], "cut.txt.gz").unwrap_err();
    assert!(matches!(e, IngestError::BadGzip { .. }), "{e}");
    // the intact stream reads
    assert!(read(&full, "ok.txt.gz").unwrap()[0].is_ok());
}

#[test]
fn malformed_json_and_jsonl_lines() {
    let e = read(b"[{\"title\": \"x\", \"text\": ", "broken.json").unwrap_err();
    assert!(e.to_string().contains("JSON input is malformed"), "{e}");
    let jsonl = format!(
        "{}\n{{not json}}\n{}\n",
        serde_json::json!({"title": "A", "body": ARTICLE}),
        serde_json::json!({"headline": "B", "content": ARTICLE.replace("Thursday", "Friday")})
    );
    let out = read(jsonl.as_bytes(), "feed.jsonl").unwrap();
    assert_eq!(out.len(), 3);
    assert!(out[0].is_ok() && out[2].is_ok());
    let e = out[1].as_ref().unwrap_err().to_string();
    assert!(
        e.contains("feed.jsonl [line 2]") && e.contains("malformed JSON"),
        "{e}"
    );
}

#[test]
fn malformed_csv_row_fails_alone() {
    let csv = format!(
        "title,content,date\nA,\"{}\",2016-10-03\nB,only two fields\nC,\"{}\",2016-10-04\n",
        ARTICLE.replace('"', "\"\""),
        ARTICLE.replace("Thursday", "Friday")
    );
    let out = read(csv.as_bytes(), "dump.csv").unwrap();
    assert_eq!(out.len(), 3);
    assert!(out[0].is_ok() && out[2].is_ok());
    let e = out[1].as_ref().unwrap_err().to_string();
    assert!(e.contains("dump.csv [row 2]"), "{e}");
}

#[test]
fn html_without_text() {
    let e = read(
        b"<html><head><title>x</title></head><body><nav><a href='/'>Home</a></nav></body></html>",
        "empty.html",
    );
    let failed = match e {
        Err(e) => e.to_string(),
        Ok(recs) => recs.into_iter().next().unwrap().unwrap_err().to_string(),
    };
    assert!(failed.starts_with("empty.html"), "{failed}");
}

#[test]
fn missing_paths_and_symlink_loops() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), ARTICLE).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(dir.path(), dir.path().join("loop")).unwrap();
    let missing = PathBuf::from("/definitely/not/here.txt");
    let (files, errors) = collect_inputs(&[dir.path().to_path_buf(), missing]);
    assert_eq!(files.len(), 1);
    let msgs: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert!(
        msgs.iter()
            .any(|m| m.contains("not/here.txt") && m.contains("no such file")),
        "{msgs:?}"
    );
    #[cfg(unix)]
    assert!(msgs.iter().any(|m| m.contains("symlink loop")), "{msgs:?}");
}
