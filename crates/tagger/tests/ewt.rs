//! Checks the shipped model against UD English EWT dev. Needs `../shared/data`
//! beside the repository; skips with a message when it is absent.

use chronicle_tagger::{evaluate_pos, evaluate_pos_feats, FeatsModel, PosModel};
use std::path::Path;

#[test]
fn shipped_model_scores_on_ewt_dev() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let dev = root.join("../shared/data/ud-ewt/en_ewt-ud-dev.conllu");
    if !dev.exists() {
        eprintln!("skipping: {} not found", dev.display());
        return;
    }
    let model_path = root.join("models/pos.v1.bin.zst");
    let bytes = std::fs::read(&model_path).expect("models/pos.v1.bin.zst is committed");
    assert!(bytes.len() <= 8 << 20, "model exceeds 8 MB");
    let model = PosModel::from_bytes(&bytes).expect("shipped model loads");
    let gold = chronicle_formats::read_conllu_file(&dev).expect("dev reads");
    let s = evaluate_pos(&model, &gold);
    eprintln!(
        "EWT dev: UPOS {:.2} XPOS {:.2} lemma {:.2}",
        s.upos_accuracy * 100.0,
        s.xpos_accuracy * 100.0,
        s.lemma_accuracy * 100.0
    );
    assert!(s.upos_accuracy >= 0.949, "UPOS {}", s.upos_accuracy);
    assert!(s.xpos_accuracy >= 0.943, "XPOS {}", s.xpos_accuracy);
    assert!(s.lemma_accuracy >= 0.960, "lemma {}", s.lemma_accuracy);
}

#[test]
fn shipped_feats_model_scores_on_ewt_dev() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let dev = root.join("../shared/data/ud-ewt/en_ewt-ud-dev.conllu");
    if !dev.exists() {
        eprintln!("skipping: {} not found", dev.display());
        return;
    }
    let bytes = std::fs::read(root.join("models/pos.v1.bin.zst")).expect("committed");
    let pos = PosModel::from_bytes(&bytes).expect("shipped model loads");
    let feats = FeatsModel::shared().expect("embedded FEATS model loads");
    let gold = chronicle_formats::read_conllu_file(&dev).expect("dev reads");
    let s = evaluate_pos_feats(&pos, feats, &gold);
    let ufeats = s.ufeats_accuracy.expect("FEATS scored");
    eprintln!("EWT dev: UFeats {:.2}", ufeats * 100.0);
    // The floor; the shipped model measured 95.72.
    assert!(ufeats >= 0.95, "UFeats {ufeats}");
    assert!(s.alltags_accuracy.expect("FEATS scored") <= s.tags_accuracy);
}
