#![no_main]
//! The HTML depth bound: pages built from nesting pieces (random bytes rarely nest
//! 128 deep), checked to reach readability no deeper than the cap, the flat form to stay
//! flat, and `read_html` to finish on them.
use chronicle_ingest::formats::html::read_html;
use chronicle_ingest::formats::html_depth::{
    bounded, flatten, nests_deeper_than, page_from_pieces, MAX_DEPTH,
};
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let pieces: Vec<(u8, u8)> = data
        .chunks(2)
        .map(|c| (c[0], c.get(1).copied().unwrap_or(0)))
        .collect();
    let html = page_from_pieces(&pieces);
    assert!(!nests_deeper_than(&flatten(&html), 8), "flat form nests: {html}");
    assert!(!nests_deeper_than(&bounded(&html), MAX_DEPTH));
    let _ = read_html(&html, None, Path::new("x.html"));
});
