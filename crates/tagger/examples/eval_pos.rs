//! Scores a model on a CoNLL-U file's gold tokens (UPOS, XPOS, lemma):
//! cargo run --release -p chronicle-tagger --example eval_pos -- MODEL FILE.conllu

use chronicle_formats::read_conllu_file;
use chronicle_tagger::{evaluate_pos, PosModel};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [model, data] = args.as_slice() else {
        return Err("usage: eval_pos MODEL FILE.conllu".into());
    };
    let model = PosModel::from_bytes(&std::fs::read(model)?)?;
    let gold = read_conllu_file(std::path::Path::new(data))?;
    let s = evaluate_pos(&model, &gold);
    println!(
        "UPOS {:.2}  XPOS {:.2}  lemma {:.2}  ({} words)",
        s.upos_accuracy * 100.0,
        s.xpos_accuracy * 100.0,
        s.lemma_accuracy * 100.0,
        s.words
    );
    Ok(())
}
