//! JSON Lines read from a stream (standard input, a pipe), one record at a
//! time: what `chronicle annotate --jsonl -` reads when a distributed engine
//! (Spark's `RDD.pipe`, GNU parallel over shards) hands it articles, and what
//! `chronicle ingest --from-jsonl` reads back (documents annotated elsewhere).
//! Memory holds one line, never the stream; each line fails alone. Articles
//! are mapped with the same field names as a `.jsonl` file (`--text-field`, …);
//! annotated documents are checked (a content id, spans on char boundaries).

use crate::article::{build_document, LineStats};
use crate::formats::json::record_from_line;
use crate::{IngestError, IngestOptions};
use chronicle_core::Document;
use std::io::BufRead;
use std::path::{Path, PathBuf};

/// The documents of a JSON Lines stream, in order; blank lines are skipped.
pub struct JsonlStream<'s, R> {
    reader: R,
    name: PathBuf,
    opts: IngestOptions,
    stats: &'s LineStats,
    line: usize,
    buf: Vec<u8>,
    done: bool,
    /// Lines are Document JSON already annotated, not articles.
    annotated: bool,
}

impl<'s, R: BufRead> JsonlStream<'s, R> {
    /// `name` names the stream in documents' sources and in errors (`-` for
    /// standard input); a line longer than `opts.max_bytes` fails alone.
    pub fn new(reader: R, name: &Path, opts: &IngestOptions, stats: &'s LineStats) -> Self {
        JsonlStream {
            reader,
            name: name.to_path_buf(),
            opts: opts.clone(),
            stats,
            line: 0,
            buf: Vec::new(),
            done: false,
            annotated: false,
        }
    }

    /// A stream of Document JSON lines, as `chronicle annotate --jsonl`
    /// writes them: each line must be a whole document with a content id and
    /// every span on its text's char boundaries.
    pub fn annotated(reader: R, name: &Path, opts: &IngestOptions, stats: &'s LineStats) -> Self {
        JsonlStream {
            annotated: true,
            ..Self::new(reader, name, opts, stats)
        }
    }

    /// Reads the next line into `buf` (without its end), at most the cap;
    /// `Ok(false)` at the end of the stream, `Ok(true)` with `too_long` set
    /// when the line was longer (the rest of it is skipped).
    fn next_line(&mut self) -> std::io::Result<Option<bool>> {
        self.buf.clear();
        let cap = self.opts.max_bytes;
        let mut too_long = false;
        loop {
            let chunk = self.reader.fill_buf()?;
            if chunk.is_empty() {
                return Ok((!self.buf.is_empty() || too_long).then_some(too_long));
            }
            let (take, end) = match chunk.iter().position(|&b| b == b'\n') {
                Some(i) => (i, true),
                None => (chunk.len(), false),
            };
            if !too_long {
                if (self.buf.len() + take) as u64 > cap {
                    too_long = true;
                    self.buf.clear();
                } else {
                    self.buf.extend_from_slice(&chunk[..take]);
                }
            }
            self.reader.consume(take + usize::from(end));
            if end {
                return Ok(Some(too_long));
            }
        }
    }
}

impl<R: BufRead> Iterator for JsonlStream<'_, R> {
    type Item = Result<Document, IngestError>;

    fn next(&mut self) -> Option<Self::Item> {
        while !self.done {
            let read = self.next_line();
            self.line += 1;
            let record = format!("line {}", self.line);
            let too_long = match read {
                Ok(None) => {
                    self.done = true;
                    return None;
                }
                Ok(Some(too_long)) => too_long,
                Err(e) => {
                    self.done = true;
                    return Some(Err(IngestError::record(
                        &self.name,
                        Some(record),
                        format!("cannot read the stream: {e}"),
                    )));
                }
            };
            if too_long {
                return Some(Err(IngestError::record(
                    &self.name,
                    Some(record),
                    format!("line longer than {} bytes", self.opts.max_bytes),
                )));
            }
            let Ok(text) = std::str::from_utf8(&self.buf) else {
                return Some(Err(IngestError::record(
                    &self.name,
                    Some(record),
                    "line is not UTF-8 (JSON Lines are UTF-8)",
                )));
            };
            let text = text.strip_suffix('\r').unwrap_or(text);
            if text.trim().is_empty() {
                continue;
            }
            if self.annotated {
                return Some(annotated_document(text, &self.name, record));
            }
            let raw = record_from_line(text, &self.name, &self.opts.fields, record);
            return Some(raw.and_then(|raw| build_document(raw, &self.name, self.stats)));
        }
        None
    }
}

/// One Document JSON line, checked before anything trusts its offsets.
fn annotated_document(text: &str, name: &Path, record: String) -> Result<Document, IngestError> {
    let doc: Document = serde_json::from_str(text).map_err(|e| {
        IngestError::record(
            name,
            Some(record.clone()),
            format!("not a Document JSON: {e}"),
        )
    })?;
    let id_ok = doc.id.len() == 16
        && doc
            .id
            .bytes()
            .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
    if !id_ok {
        return Err(IngestError::record(
            name,
            Some(record),
            format!(
                "id {:?} is not a content id (16 hexadecimal digits)",
                doc.id
            ),
        ));
    }
    if let Err((layer, e)) = doc.check_spans() {
        return Err(IngestError::record(
            name,
            Some(record),
            format!("a {layer} span does not fit the text: {e}"),
        ));
    }
    Ok(doc)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(input: &[u8], opts: &IngestOptions) -> Vec<Result<Document, IngestError>> {
        let stats = LineStats::default();
        JsonlStream::new(input, Path::new("-"), opts, &stats).collect()
    }

    #[test]
    fn lines_become_documents_in_order_and_bad_lines_fail_alone() {
        let input = b"{\"title\": \"Port reopens\", \"text\": \"The harbour reopened on Monday after repairs.\"}\n\
            \n\
            not json\n\
            {\"body\": \"Talks resumed in the capital on Tuesday, officials said.\"}\r\n\
            {\"title\": \"no text\"}";
        let out = read(input, &IngestOptions::default());
        assert_eq!(out.len(), 4, "{out:?}");
        let first = out[0].as_ref().expect("first line");
        assert_eq!(first.title.as_deref(), Some("Port reopens"));
        assert!(first.text.contains("harbour"));
        assert_eq!(first.source.record.as_deref(), Some("line 1"));
        let bad = out[1].as_ref().expect_err("not json").to_string();
        assert!(bad.contains("line 3"), "{bad}");
        assert!(out[2].as_ref().expect("fourth line").text.contains("Talks"));
        assert!(out[3].is_err(), "a record without text fails");
    }

    #[test]
    fn the_file_reader_and_the_stream_agree() {
        let input = "{\"title\": \"A\", \"text\": \"First report of the day.\"}\n{\"title\": \"B\", \"text\": \"Second report of the day.\", \"url\": \"https://example.org/b\"}\n";
        let stats = LineStats::default();
        let from_file = crate::read_bytes(
            input.as_bytes(),
            Path::new("-"),
            &IngestOptions::default(),
            &stats,
        )
        .expect("read");
        let streamed = read(input.as_bytes(), &IngestOptions::default());
        let ids = |v: &[Result<Document, IngestError>]| -> Vec<String> {
            v.iter()
                .filter_map(|d| d.as_ref().ok())
                .map(|d| d.id.clone())
                .collect()
        };
        assert_eq!(ids(&from_file), ids(&streamed));
        assert_eq!(ids(&streamed).len(), 2);
    }

    #[test]
    fn an_overlong_line_fails_alone() {
        let opts = IngestOptions {
            max_bytes: 64,
            ..Default::default()
        };
        let long = format!("{{\"text\": \"{}\"}}\n", "word ".repeat(40));
        let input = format!("{long}{{\"text\": \"Short and fine.\"}}\n");
        let out = read(input.as_bytes(), &opts);
        assert_eq!(out.len(), 2);
        assert!(out[0]
            .as_ref()
            .expect_err("too long")
            .to_string()
            .contains("longer"));
        assert!(out[1].is_ok());
    }

    #[test]
    fn annotated_lines_are_checked_before_they_are_trusted() {
        let stats = LineStats::default();
        let doc = Document::from_text("0123456789abcdef", "a.txt", "Talks resumed on Tuesday.");
        let good = serde_json::to_string(&doc).expect("json");
        let mut bad_span = doc.clone();
        bad_span.sentences.push(chronicle_core::Sentence {
            start: 3,
            end: 999,
            token_start: 0,
            token_end: 0,
        });
        let mut bad_id = doc.clone();
        bad_id.id = "../../etc".into();
        let input = format!(
            "{good}\n{}\n{}\n{{\"text\": \"an article, not a document\"}}\n",
            serde_json::to_string(&bad_span).expect("json"),
            serde_json::to_string(&bad_id).expect("json"),
        );
        let out: Vec<_> = JsonlStream::annotated(
            input.as_bytes(),
            Path::new("-"),
            &IngestOptions::default(),
            &stats,
        )
        .collect();
        assert_eq!(out.len(), 4);
        assert_eq!(out[0].as_ref().expect("good").text, doc.text);
        for (i, why) in [(1, "span"), (2, "content id"), (3, "Document JSON")] {
            let e = out[i].as_ref().expect_err(why).to_string();
            assert!(
                e.contains(why) && e.contains(&format!("line {}", i + 1)),
                "{e}"
            );
        }
    }

    proptest::proptest! {
        /// Any bytes: no panic, at most one result per line, and every
        /// document's spans on its text's char boundaries.
        #[test]
        fn any_bytes_stream_safely(data in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..600)) {
            let opts = IngestOptions { max_bytes: 128, ..Default::default() };
            let out = read(&data, &opts);
            let lines = data.split(|&b| b == b'\n').count();
            proptest::prop_assert!(out.len() <= lines);
            for d in out.into_iter().flatten() {
                proptest::prop_assert!(d.check_spans().is_ok());
            }
        }
    }
}
