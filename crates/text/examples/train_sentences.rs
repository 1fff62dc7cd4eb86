//! Trains the sentence-boundary model shipped as `models/sentence.v1.bin`.
//!
//! cargo run --release -p chronicle-text --example train_sentences -- \
//!     ../shared/data/ud-ewt/en_ewt-ud-train.conllu models/sentence.v1.bin

use chronicle_text::{train_sentence_model, TrainOptions};
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (Some(train), Some(out)) = (args.next(), args.next()) else {
        return Err(
            "usage: train_sentences TRAIN.conllu OUT.bin [EPOCHS] [HASH_BITS] [SEED]".into(),
        );
    };
    let mut opts = TrainOptions::default();
    if let Some(e) = args.next() {
        opts.epochs = e.parse()?;
    }
    if let Some(b) = args.next() {
        opts.hash_bits = b.parse()?;
    }
    if let Some(s) = args.next() {
        opts.seed = s.parse()?;
    }
    let sentences = chronicle_formats::read_conllu_file(&PathBuf::from(train))?;
    let model = train_sentence_model(&sentences, opts);
    let bytes = model.to_bytes();
    std::fs::write(&out, &bytes)?;
    eprintln!("wrote {out}: {} bytes", bytes.len());
    Ok(())
}
