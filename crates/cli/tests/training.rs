//! The shipped NER model is exactly what `chronicle train ner` produces from the
//! data: a code change that alters training fails here until the model is retrained.
//! Needs ../shared/data; skips itself (with a printed reason) without it.

use std::path::PathBuf;
use std::process::Command;

#[test]
fn train_ner_reproduces_the_shipped_model() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let data = root.join("../shared/data");
    if !data.join("uner-ewt").is_dir() || !data.join("meantime").is_dir() {
        eprintln!("skipped: {} not found", data.display());
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("ner.bin.zst");
    let status = Command::new(env!("CARGO_BIN_EXE_chronicle"))
        .arg("train")
        .arg("ner")
        .arg("--train")
        .arg(data.join("uner-ewt/en_ewt-ud-train.iob2"))
        .arg(data.join("meantime/corpus_airbus"))
        .arg(data.join("meantime/corpus_apple"))
        .arg("--out")
        .arg(&out)
        .status()
        .expect("run chronicle train ner");
    assert!(status.success());
    let trained = std::fs::read(&out).expect("trained model");
    let shipped = std::fs::read(root.join("models/ner.v1.bin.zst")).expect("shipped model");
    assert!(trained == shipped, "models/ner.v1.bin.zst is stale: retrain it with `chronicle train ner` (see models/PROVENANCE.md)");
}
