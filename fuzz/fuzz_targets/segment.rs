#![no_main]
//! Tokenizer and sentence splitter: spans must stay valid on any text.
use chronicle_text::segment;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let s = segment(text);
    for t in &s.tokens {
        assert!(text.get(t.start..t.end).is_some());
    }
});
