#![no_main]
//! JSON Lines from a stream (`annotate --jsonl -`, `ingest --from-jsonl`): any
//! bytes, with a small line cap so over-long lines are exercised; every
//! document built has spans on its text's char boundaries.
use chronicle_ingest::{IngestOptions, JsonlStream, LineStats};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let opts = IngestOptions {
        max_bytes: 256,
        ..Default::default()
    };
    let stats = LineStats::default();
    for doc in JsonlStream::new(data, std::path::Path::new("-"), &opts, &stats).flatten() {
        assert!(doc.check_spans().is_ok());
    }
});
