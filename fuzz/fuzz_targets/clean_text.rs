#![no_main]
//! The plain-text header and chrome parser.
use chronicle_ingest::clean::{clean, CleanOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let never = |_: &str| false;
    let c = clean(text, &CleanOptions { parse_header: true, known_title: None, is_boilerplate: &never });
    let _ = c.text.len();
});
