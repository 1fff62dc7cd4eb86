#![no_main]
//! HTML main-content and metadata extraction.
use chronicle_ingest::formats::html::read_html;
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|text: &str| {
    let _ = read_html(text, Some("https://example.org/2016/10/03/x.html"), Path::new("x.html"));
});
