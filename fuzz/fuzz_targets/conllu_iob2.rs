#![no_main]
//! CoNLL-U and IOB2 readers.
use chronicle_formats::{read_conllu, read_iob2};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let _ = read_conllu(text, "fuzz.conllu");
    let _ = read_iob2(text, "fuzz.iob2");
});
