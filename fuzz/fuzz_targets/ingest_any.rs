#![no_main]
//! Any bytes under any common file name: sniffing, decoding, every format reader.
use chronicle_ingest::{read_bytes, IngestOptions, LineStats};
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    for name in ["x.txt", "x.csv", "x.jsonl", "x.html", "x.warc.gz"] {
        if let Ok(recs) = read_bytes(data, Path::new(name), &IngestOptions::default(), &LineStats::default()) {
            for d in recs.into_iter().flatten() {
                assert!(d.check_spans().is_ok());
            }
        }
    }
});
