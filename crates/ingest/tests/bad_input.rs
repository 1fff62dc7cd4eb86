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

#[cfg(unix)]
fn mkfifo(path: &Path) {
    use std::os::unix::ffi::OsStrExt;
    let c = std::ffi::CString::new(path.as_os_str().as_bytes()).expect("no NUL in path");
    // SAFETY: `c` is a valid NUL-terminated path for the duration of the call.
    let rc = unsafe { libc::mkfifo(c.as_ptr(), 0o644) };
    assert_eq!(rc, 0, "mkfifo {}", path.display());
}

/// A FIFO would block the reader until a writer came, a device would never end: both
/// are one error line each, named and never opened, inside folders too.
#[cfg(unix)]
#[test]
fn fifos_and_devices_are_one_error_each_and_never_opened() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), ARTICLE).unwrap();
    mkfifo(&dir.path().join("pipe"));
    std::os::unix::fs::symlink("/dev/zero", dir.path().join("zeros.txt")).unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    let fifo = elsewhere.path().join("named-fifo");
    mkfifo(&fifo);
    let (files, errors) = collect_inputs(&[
        dir.path().to_path_buf(),
        fifo.clone(),
        PathBuf::from("/dev/urandom"),
    ]);
    assert_eq!(files, vec![dir.path().join("a.txt")]);
    let msgs: Vec<String> = errors.iter().map(ToString::to_string).collect();
    for needle in [
        "/named-fifo: not a regular file (FIFO), skipped",
        "/pipe: not a regular file (FIFO), skipped",
        "/zeros.txt: not a regular file (character device), skipped",
        "/dev/urandom: not a regular file (character device), skipped",
    ] {
        assert_eq!(
            msgs.iter().filter(|m| m.ends_with(needle)).count(),
            1,
            "{needle} in {msgs:?}"
        );
    }
    assert_eq!(msgs.len(), 4, "{msgs:?}");
    assert!(errors
        .iter()
        .all(|e| matches!(e, IngestError::NotRegular { .. })));
    // Reading one directly is refused the same way, without blocking on the FIFO.
    for p in [fifo.as_path(), Path::new("/dev/zero")] {
        let e = read_file(p, &IngestOptions::default(), &LineStats::default()).unwrap_err();
        assert!(matches!(e, IngestError::NotRegular { .. }), "{e}");
    }
}

#[test]
fn broken_csv_quote_reaches_the_document_as_a_warning() {
    let csv = format!(
        "title,date,content\nA,2016-10-03,\"{}\"\nB,2016-10-04,\"{}",
        ARTICLE.lines().collect::<Vec<_>>().join(" "),
        "Negotiators left the capital on Friday without a deal, officials said."
    );
    let out = read(csv.as_bytes(), "dump.csv").unwrap();
    assert_eq!(out.len(), 2);
    assert!(out[0]
        .as_ref()
        .unwrap()
        .warnings
        .iter()
        .all(|w| !w.code.starts_with("csv")));
    let doc = out[1].as_ref().unwrap();
    let w = doc
        .warnings
        .iter()
        .find(|w| w.code == "csv_unterminated_quote")
        .expect("warning on row 2");
    assert!(w.message.starts_with("row 2 (line 3)"), "{}", w.message);
    assert!(
        doc.text.ends_with("without a deal, officials said."),
        "{}",
        doc.text
    );
}

#[test]
fn csv_with_a_header_only_is_an_error() {
    let e = read(b"title,content,date\n", "empty.csv").unwrap_err();
    assert!(
        e.to_string()
            .starts_with("empty.csv: CSV input is malformed"),
        "{e}"
    );
}
