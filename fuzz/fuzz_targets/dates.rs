#![no_main]
//! Date parsing from headers, URLs and running text.
use chronicle_ingest::dates::{dates_in_url, full_dates_in_text, parse_date};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let _ = parse_date(text);
    let _ = dates_in_url(text);
    for d in full_dates_in_text(text) {
        assert!(text.get(d.start..d.end).is_some());
    }
});
