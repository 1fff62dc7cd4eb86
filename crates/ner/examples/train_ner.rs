//! Trains the NER model.
//!
//! cargo run --release -p chronicle-ner --example train_ner -- \
//!   --train ../shared/data/uner-ewt/en_ewt-ud-train.iob2 \
//!   --meantime ../shared/data/meantime/corpus_airbus --meantime ../shared/data/meantime/corpus_apple \
//!   --dev ../shared/data/uner-ewt/en_ewt-ud-dev.iob2 --out models/ner.v1.bin.zst

use chronicle_ner::{
    examples_from_iob2, load_meantime_dir, train_ner, NerExample, Scheme, TrainOptions,
};
use std::path::PathBuf;
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut train_files: Vec<PathBuf> = Vec::new();
    let mut meantime: Vec<PathBuf> = Vec::new();
    let mut dev: Option<PathBuf> = None;
    let mut out: Option<PathBuf> = None;
    let mut opts = TrainOptions::default();
    let mut meantime_repeat = 1usize;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut val = || args.next().ok_or_else(|| format!("{a} needs a value"));
        match a.as_str() {
            "--train" => train_files.push(val()?.into()),
            "--meantime" => meantime.push(val()?.into()),
            "--dev" => dev = Some(val()?.into()),
            "--out" => out = Some(val()?.into()),
            "--epochs" => opts.epochs = val()?.parse()?,
            // News is scarce next to web text; repeating it weights it up.
            "--meantime-repeat" => meantime_repeat = val()?.parse()?,
            "--seed" => opts.seed = val()?.parse()?,
            "--prune" => opts.prune = val()?.parse()?,
            "--word-dropout" => opts.word_dropout = val()?.parse()?,
            "--greedy" => opts.viterbi = false,
            "--scheme" => {
                opts.scheme = match val()?.as_str() {
                    "bilou" => Scheme::Bilou,
                    "iob2" => Scheme::Iob2,
                    s => return Err(format!("unknown scheme {s} (bilou, iob2)").into()),
                }
            }
            other => return Err(format!("unknown argument {other}").into()),
        }
    }
    let out = out.ok_or("--out FILE is required")?;
    let mut train: Vec<NerExample> = Vec::new();
    for f in &train_files {
        let s = chronicle_formats::read_iob2_file(f)?;
        train.extend(examples_from_iob2(&s)?);
    }
    for d in &meantime {
        let docs = load_meantime_dir(d)?;
        for _ in 0..meantime_repeat {
            train.extend(docs.iter().cloned());
        }
    }
    let dev_ex = match &dev {
        Some(f) => Some(examples_from_iob2(&chronicle_formats::read_iob2_file(f)?)?),
        None => None,
    };
    let n_tok: usize = train.iter().map(|e| e.tokens.len()).sum();
    let n_ent: usize = train.iter().map(|e| e.entities.len()).sum();
    eprintln!(
        "train: {} sentences, {n_tok} tokens, {n_ent} entities",
        train.len()
    );
    let t0 = Instant::now();
    let model = train_ner(&train, dev_ex.as_deref(), &opts, &mut |r| {
        let dev = r
            .dev
            .as_ref()
            .map(|d| format!(" dev P {:.4} R {:.4} F1 {:.4}", d.precision, d.recall, d.f1))
            .unwrap_or_default();
        eprintln!(
            "epoch {:2}: train tag acc {:.4}{dev} ({:.1}s)",
            r.epoch, r.train_tag_accuracy, r.seconds
        );
    });
    let bytes = model.to_bytes();
    std::fs::write(&out, &bytes)?;
    eprintln!(
        "wrote {} ({} bytes, {} weights) in {:.1}s",
        out.display(),
        bytes.len(),
        model.n_weights(),
        t0.elapsed().as_secs_f64()
    );
    Ok(())
}
