#![no_main]
//! RSS/Atom feeds and WARC records.
use chronicle_ingest::formats::{feed::read_feed, warc::read_warc};
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let _ = read_feed(data, Path::new("x.xml"));
    let _ = read_warc(data, Path::new("x.warc"));
});
