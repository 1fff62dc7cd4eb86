//! WARC archives: each HTML response record read as a page, with the capture date as evidence.

use super::html;
use super::Records;
use crate::{decode, IngestError};
use ::warc::{RecordType, WarcHeader, WarcReader};
use chronicle_core::{DateEvidence, DateProvenance};
use std::path::Path;

/// HTML `response` records of a WARC file (already gunzipped). Other record types are
/// skipped; a record that fails to parse ends the file with an error for that record,
/// after the records before it were read.
pub fn read_warc(bytes: &[u8], path: &Path) -> Records {
    let reader = WarcReader::new(std::io::BufReader::new(bytes));
    let mut out = Vec::new();
    for (i, rec) in reader.iter_records().enumerate() {
        let record_name = format!("record {}", i + 1);
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                out.push(Err(IngestError::record(
                    path,
                    Some(record_name),
                    format!("malformed WARC record: {e}"),
                )));
                break;
            }
        };
        if *rec.warc_type() != RecordType::Response {
            continue;
        }
        // `Record::header` unwraps a UTF-8 conversion of the raw value and panics on
        // malformed bytes, so read raw headers and decode them lossily instead.
        let crawl = Some(
            rec.date()
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        );
        let (raw_headers, body) = rec.into_raw_parts();
        let uri = raw_headers.headers.get(&WarcHeader::TargetURI).map(|v| {
            String::from_utf8_lossy(v)
                .trim_matches(['<', '>'])
                .to_string()
        });
        let body = body.as_slice();
        let Some((headers, payload)) = split_http(body) else {
            out.push(Err(IngestError::record(
                path,
                Some(record_name),
                "response record has no HTTP header block",
            )));
            continue;
        };
        let ctype = header_value(headers, "content-type")
            .unwrap_or_default()
            .to_ascii_lowercase();
        if !ctype.is_empty() && !ctype.contains("html") {
            continue;
        }
        let charset = ctype
            .split("charset=")
            .nth(1)
            .map(|c| c.trim().trim_matches('"').to_string());
        let text = decode::decode(payload, charset.as_deref()).text;
        match html::read_html(&text, uri.as_deref(), path) {
            Ok(mut a) => {
                a.format = "warc";
                a.record = Some(match &uri {
                    Some(u) => format!("{record_name} {u}"),
                    None => record_name,
                });
                if a.url.is_none() {
                    a.url = uri;
                }
                if let Some(c) = crawl.as_deref().and_then(crate::dates::parse_date) {
                    a.extra_dates.push(DateEvidence {
                        date: crate::dates::iso(c.date),
                        provenance: DateProvenance::Crawl,
                        verbatim: crawl.clone().unwrap_or_default(),
                        confidence: 0.2,
                    });
                }
                out.push(Ok(a));
            }
            Err(e) => out.push(Err(IngestError::record(path, Some(record_name), e))),
        }
    }
    out
}

fn split_http(block: &[u8]) -> Option<(&str, &[u8])> {
    let pos = block
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|p| (p, 4))
        .or_else(|| block.windows(2).position(|w| w == b"\n\n").map(|p| (p, 2)))?;
    let headers = std::str::from_utf8(&block[..pos.0]).ok()?;
    if !headers.starts_with("HTTP/") {
        return None;
    }
    Some((headers, &block[pos.0 + pos.1..]))
}

fn header_value<'a>(headers: &'a str, name: &str) -> Option<&'a str> {
    headers.lines().find_map(|l| {
        let (k, v) = l.split_once(':')?;
        k.trim().eq_ignore_ascii_case(name).then(|| v.trim())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Found by `cargo fuzz run feed_warc`: a `WARC-Target-URI` holding a byte that is not
    /// UTF-8 made the `warc` crate's `Record::header` unwrap panic.
    #[test]
    fn non_utf8_target_uri_does_not_panic() {
        let input: &[u8] = b"WARC/1.0\r\n\
WARC-Type: response\r\n\
WARC-Record-ID: <urn:uuid:1>\r\n\
WARC-Date: 2025-03-09T10:00:00Z\r\n\
WARC-Target-URI: https://x.example/analysi\xf3/2025/03/09/a\r\n\
Content-Length: 76\r\n\
\r\n\
HTTP/1.1 200 OK\r\n\
Content-Type: text/html\r\n\
\r\n\
<html><p>Talks stall.</p></html>\r\n\r\n";
        let recs = read_warc(input, Path::new("x.warc"));
        assert_eq!(recs.len(), 1);
        let a = recs[0].as_ref().expect("record reads");
        assert_eq!(
            a.url.as_deref(),
            Some("https://x.example/analysi\u{fffd}/2025/03/09/a")
        );
    }
}
