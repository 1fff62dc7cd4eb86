//! Scores tokenization and sentence splitting on a CoNLL-U file and writes the
//! system output as CoNLL-U, so the figures can be checked with the official
//! CoNLL 2018 scorer:
//!
//! cargo run --release -p chronicle-text --example eval_tokens -- GOLD.conllu [SYS_OUT.conllu] [MODEL.bin|rules]
//! python3 conll18_ud_eval.py -v GOLD.conllu SYS_OUT.conllu

use chronicle_text::{score, to_conllu, BoundaryModel, GoldText, Segmenter};
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let Some(gold_path) = args.next() else {
        return Err("usage: eval_tokens GOLD.conllu [SYS_OUT.conllu] [MODEL.bin|rules]".into());
    };
    let out = args.next();
    let segmenter = match args.next().as_deref() {
        None => Segmenter::new(),
        Some("rules") => Segmenter::rules(),
        Some(p) => Segmenter::with_model(BoundaryModel::from_bytes(&std::fs::read(p)?)?),
    };
    let sentences = chronicle_formats::read_conllu_file(&PathBuf::from(gold_path))?;
    let gold = GoldText::from_conllu(&sentences);
    let t0 = std::time::Instant::now();
    let seg = segmenter.segment(&gold.text);
    let secs = t0.elapsed().as_secs_f64();
    let s = score(&gold, &seg);
    println!("{}", serde_json::to_string_pretty(&s)?);
    eprintln!(
        "{} bytes, {} tokens in {:.3}s: {:.2} M tokens/s",
        gold.text.len(),
        seg.tokens.len(),
        secs,
        seg.tokens.len() as f64 / secs / 1e6
    );
    if let Some(p) = out {
        std::fs::write(p, to_conllu(&gold.text, &seg))?;
    }
    Ok(())
}
