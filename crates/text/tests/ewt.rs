//! Accuracy on UD English EWT dev, the split quoted in the docs. Skips itself
//! when the data folder is absent (fresh clones); CI has it.

use chronicle_text::{evaluate_conllu, evaluate_conllu_with, Segmenter};
use std::path::Path;

#[test]
fn ewt_dev_scores() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/ud-ewt/en_ewt-ud-dev.conllu");
    if !path.exists() {
        eprintln!("skipping: {} not found", path.display());
        return;
    }
    let sentences = chronicle_formats::read_conllu_file(&path).unwrap();
    let s = evaluate_conllu(&sentences);
    eprintln!("model: {s:?}");
    assert!(s.token_f1 >= 0.99, "{s:?}");
    assert!(s.sentence_f1 >= 0.85, "{s:?}");
    let r = evaluate_conllu_with(&Segmenter::rules(), &sentences);
    eprintln!("rules: {r:?}");
    assert!(r.sentence_f1 >= 0.75, "{r:?}");
    assert!(s.sentence_f1 > r.sentence_f1);
}

/// The shipped model must be exactly what the documented command produces, so
/// a tokenizer change that alters the training data fails here until retrained.
#[test]
fn shipped_model_is_reproducible() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/ud-ewt/en_ewt-ud-train.conllu");
    if !path.exists() {
        eprintln!("skipping: {} not found", path.display());
        return;
    }
    let sentences = chronicle_formats::read_conllu_file(&path).unwrap();
    let trained = chronicle_text::train_sentence_model(&sentences, Default::default());
    let shipped = chronicle_text::BoundaryModel::embedded().unwrap();
    assert!(
        trained.to_bytes() == shipped.to_bytes(),
        "models/sentence.v1.bin is stale: rerun examples/train_sentences"
    );
}
