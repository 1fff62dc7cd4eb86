#![no_main]
//! brat standoff reader, and its character → byte offset conversion against the
//! input itself used as the text file.
use chronicle_formats::read_brat;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Ok(doc) = read_brat(text, "fuzz.ann") {
        for s in &doc.spans {
            if let Some(frags) = doc.byte_fragments(&s.id, text) {
                for (a, b) in frags {
                    assert!(text.is_char_boundary(a) && text.is_char_boundary(b) && a <= b);
                }
            }
        }
    }
});
