#![no_main]
//! CoNLL-U and IOB2 readers, and the writers that lay predictions over what they accepted.
use chronicle_formats::{overlay_conllu, overlay_iob2, read_conllu, read_iob2, write_conllu};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Ok(sents) = read_conllu(text, "fuzz.conllu") {
        // Whatever the reader accepts, the writers must handle without error.
        overlay_conllu(text, "fuzz.conllu", &sents).expect("overlay of an accepted file");
        read_conllu(&write_conllu(&sents), "rt").expect("our output reads back");
    }
    if let Ok(sents) = read_iob2(text, "fuzz.iob2") {
        let tags: Vec<Vec<String>> = sents.into_iter().map(|s| s.tags).collect();
        overlay_iob2(text, "fuzz.iob2", &tags).expect("overlay of an accepted file");
    }
});
