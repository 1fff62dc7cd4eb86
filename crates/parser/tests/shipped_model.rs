//! The committed model loads, parses, and still scores as reported.

use chronicle_parser::{evaluate_parser, ParserModel, TagSource};
use std::path::Path;

fn shipped() -> ParserModel {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models/parse.v1.bin.zst");
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    ParserModel::from_bytes(&bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn shipped_model_parses_a_news_sentence() {
    let m = shipped();
    let words = ["The", "army", "shelled", "the", "city", "."];
    let upos = ["DET", "NOUN", "VERB", "DET", "NOUN", "PUNCT"];
    let xpos = ["DT", "NN", "VBD", "DT", "NN", "."];
    let arcs = m.parse(&words, &upos, &xpos);
    let got: Vec<(usize, &str)> = arcs.iter().map(|a| (a.head, a.deprel.as_str())).collect();
    assert_eq!(
        got,
        vec![
            (2, "det"),
            (3, "nsubj"),
            (0, "root"),
            (5, "det"),
            (3, "obj"),
            (3, "punct")
        ]
    );
}

#[test]
fn shipped_model_scores_on_ewt_dev() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/ud-ewt/en_ewt-ud-dev.conllu");
    if !path.exists() {
        eprintln!("skipping: {} not found", path.display());
        return;
    }
    let dev = chronicle_formats::read_conllu_file(&path).unwrap();
    let s = evaluate_parser(&shipped(), &dev, TagSource::Gold);
    // Reported: UAS 87.78, LAS 85.98 (gold tags).
    assert!(
        s.uas > 0.875 && s.las > 0.855,
        "UAS {} LAS {}",
        s.uas,
        s.las
    );
}
